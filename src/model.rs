//! The values that flow between pipeline stages.
//!
//! `read` produces a [`Source`]; an extractor (`extract::{html,pdf,text}`) turns it into an
//! [`Extracted`]; `repair` turns that into a [`Repaired`]; `language` annotates the repaired
//! blocks; `facts` reads the repaired text. All offsets inside these values are **byte** offsets
//! into the text they belong to (fast slicing); `record` converts them to code points once, when
//! the output is built, because the schema counts code points.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The container format of an input, detected from its bytes (not only its extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Html,
    Pdf,
    Text,
}

impl Format {
    /// IANA media type written to `source.media_type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html",
            Format::Pdf => "application/pdf",
            Format::Text => "text/plain",
        }
    }
}

/// How the text was obtained (`source.kind` in the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Html,
    /// A born-digital PDF: its text layer is what the author typed.
    PdfText,
    /// A scanned PDF with an OCR text layer: expect OCR artefacts.
    PdfOcr,
    Text,
}

/// One input document as read from disk (or from a container such as gzip or WARC).
#[derive(Debug, Clone)]
pub struct Source {
    /// Output identifier: the input file name with its extension (`003.pdf`), or for inputs in
    /// subfolders / containers a relative, sanitised path (`sub/003.pdf`).
    pub doc_id: String,
    /// Input path relative to the input root, `/`-separated.
    pub rel_path: String,
    /// File name without directory.
    pub file_name: String,
    /// The (decompressed) bytes.
    pub bytes: Vec<u8>,
    /// Size of the file on disk in bytes (before decompression).
    pub file_size: u64,
    pub format: Format,
    /// Warnings raised while reading (e.g. "decompressed gzip").
    pub warnings: Vec<Problem>,
    /// The WARC record this document is the payload of, if any.
    pub warc: Option<WarcOrigin>,
    /// SHA-256 (hex) of `bytes`, when the reader already computed it (an incremental run hashes
    /// each input before deciding to process it); `None`: computed for the record.
    pub sha256: Option<String>,
}

/// The WARC record a document came from (`source.x_warc_*` in the output).
#[derive(Debug, Clone, PartialEq)]
pub struct WarcOrigin {
    /// `WARC-Record-ID`.
    pub record_id: String,
    /// `WARC-Target-URI`: also the page's URL for its metadata and relative links.
    pub uri: String,
    /// Charset of the HTTP `Content-Type` inside the record: it outranks the page's `<meta>`.
    pub charset: Option<String>,
}

/// The pipeline stage a problem belongs to (`errors[].stage` in the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Read,
    Detect,
    Html,
    Pdf,
    Text,
    Repair,
    Language,
    Extract,
    Write,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Stage::Read => "read",
            Stage::Detect => "detect",
            Stage::Html => "html",
            Stage::Pdf => "pdf",
            Stage::Text => "text",
            Stage::Repair => "repair",
            Stage::Language => "language",
            Stage::Extract => "extract",
            Stage::Write => "write",
        };
        f.write_str(name)
    }
}

/// An error or warning of one stage, as written to `errors[]` / `warnings[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub stage: Stage,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Problem {
    pub fn new(stage: Stage, message: impl Into<String>) -> Self {
        Problem {
            stage,
            message: message.into(),
            page: None,
        }
    }

    pub fn on_page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(page) => write!(f, "{} (page {}): {}", self.stage, page, self.message),
            None => write!(f, "{}: {}", self.stage, self.message),
        }
    }
}

/// Layout role of a block (`blocks[].kind` in the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Footnote,
    PageHeader,
    PageFooter,
    Caption,
    Table,
    Quote,
    Other,
}

impl BlockKind {
    /// Page furniture: kept in the text but never a source of facts.
    pub fn is_page_furniture(self) -> bool {
        matches!(self, BlockKind::PageHeader | BlockKind::PageFooter)
    }
}

/// One layout block: the byte span `[start, end)` of the text it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
    /// 1-based page (PDF).
    pub page: Option<u32>,
    /// Heading level, 1 = top.
    pub level: Option<u8>,
    /// ISO 639-1 code, filled by the language stage.
    pub language: Option<&'static str>,
    pub language_confidence: Option<f64>,
}

impl Block {
    pub fn new(kind: BlockKind, start: usize, end: usize) -> Self {
        Block {
            kind,
            start,
            end,
            page: None,
            level: None,
            language: None,
            language_confidence: None,
        }
    }
}

/// A hyperlink whose anchor text is the byte span `[start, end)` of the text (HTML `<a href>`,
/// PDF URI annotations). Fact extraction reads link targets (`mailto:`, `http:`) from here.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub start: usize,
    pub end: usize,
    pub href: String,
}

/// Metadata a page or file declares about itself (HTML `<head>`, PDF Info dictionary).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeclaredMeta {
    pub title: Option<String>,
    /// As declared (ISO 8601 string or a raw PDF date), normalised later by the fact stage.
    pub published: Option<String>,
    pub author: Option<String>,
    /// `<html lang>`, `content-language`, `og:locale`: lower-case, as declared.
    pub language: Option<String>,
    /// The page's own URL (`<link rel=canonical>`, `og:url`, WARC target URI).
    pub url: Option<String>,
    pub site_name: Option<String>,
}

/// The output of an extractor: the text with its structure.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub kind: SourceKind,
    pub text: String,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub meta: DeclaredMeta,
    /// WHATWG name of the encoding used to decode the input (absent for PDFs).
    pub encoding: Option<String>,
    /// Number of pages (PDF).
    pub pages: Option<u32>,
    pub warnings: Vec<Problem>,
    /// Problems that left part of the input unread (e.g. one page that failed to parse).
    pub errors: Vec<Problem>,
    /// Byte spans of `text` drawn raised and smaller than their line (PDF footnote marks such
    /// as the "2" of "20102"), for the repair stage.
    pub superscripts: Vec<(usize, usize)>,
}

impl Extracted {
    pub fn new(kind: SourceKind) -> Self {
        Extracted {
            kind,
            text: String::new(),
            blocks: Vec::new(),
            links: Vec::new(),
            meta: DeclaredMeta::default(),
            encoding: None,
            pages: None,
            warnings: Vec::new(),
            errors: Vec::new(),
            superscripts: Vec::new(),
        }
    }
}

/// One OCR repair: `raw` (byte span of the raw text) became `clean` (byte span of the clean text).
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub raw: String,
    pub clean: String,
    pub raw_start: usize,
    pub raw_end: usize,
    pub clean_start: usize,
    pub clean_end: usize,
    pub rule: String,
    pub confidence: f64,
}

/// The output of the repair stage. `blocks` and `links` index `clean`.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub kind: SourceKind,
    pub raw: String,
    pub clean: String,
    pub corrections: Vec<Correction>,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub meta: DeclaredMeta,
    pub encoding: Option<String>,
    pub pages: Option<u32>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    /// Document language (ISO 639-1), filled by the language stage.
    pub language: Option<&'static str>,
    /// Languages by share of classified characters, largest first.
    pub languages: Vec<(&'static str, f64)>,
}

impl Repaired {
    /// A repaired document that needed no repair: `clean == raw`.
    pub fn unchanged(extracted: Extracted) -> Self {
        Repaired {
            kind: extracted.kind,
            clean: extracted.text.clone(),
            raw: extracted.text,
            corrections: Vec::new(),
            blocks: extracted.blocks,
            links: extracted.links,
            meta: extracted.meta,
            encoding: extracted.encoding,
            pages: extracted.pages,
            warnings: extracted.warnings,
            errors: extracted.errors,
            language: None,
            languages: Vec::new(),
        }
    }

    /// The block that contains byte offset `pos` of `clean`, if any.
    pub fn block_at(&self, pos: usize) -> Option<&Block> {
        let idx = self.blocks.partition_point(|b| b.end <= pos);
        self.blocks.get(idx).filter(|b| b.start <= pos)
    }
}
