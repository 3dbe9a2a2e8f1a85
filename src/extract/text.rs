//! Plain text: decode (UTF-8, UTF-16 by BOM, windows-1252 fallback) and find paragraphs, list
//! items and headings. The text itself is kept exactly as decoded: `text.raw` is the file.

use crate::limits::Limits;
use crate::model::{Block, BlockKind, Extracted, Problem, SourceKind, Stage};

/// Decodes bytes as text: a BOM decides; else UTF-8 when valid; else windows-1252 (the usual
/// encoding of invalid-UTF-8 Western text; every byte maps to a character, so nothing is lost).
/// Returns the text, the WHATWG encoding name, and whether a fallback was used.
pub fn decode(bytes: &[u8]) -> (String, &'static str, bool) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(body);
        return (text.into_owned(), encoding_name(encoding), false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "utf-8", false),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "windows-1252", true)
        }
    }
}

fn encoding_name(encoding: &'static encoding_rs::Encoding) -> &'static str {
    // encoding_rs names are the WHATWG names in their canonical case; the schema wants lower case.
    match encoding.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        _ => "windows-1252",
    }
}

/// Extracts a plain-text document.
pub fn extract(bytes: &[u8], limits: &Limits) -> Extracted {
    let mut out = Extracted::new(SourceKind::Text);
    let (mut text, encoding, fell_back) = decode(bytes);
    if fell_back {
        out.warnings.push(Problem::new(
            Stage::Text,
            "input is not valid UTF-8: decoded as windows-1252",
        ));
    }
    // NUL and other C0 controls (but tab, newline, form feed) carry no text; they would only
    // break consumers of the JSON.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r' | '\u{c}'))
    {
        text.retain(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r' | '\u{c}'));
        out.warnings.push(Problem::new(
            Stage::Text,
            "control characters removed from the text",
        ));
    }
    truncate_to_limit(
        &mut text,
        limits.max_text_bytes,
        &mut out.warnings,
        Stage::Text,
    );
    out.blocks = blocks_of_plain_text(&text);
    out.text = text;
    out.encoding = Some(encoding.to_string());
    out
}

/// Cuts `text` at a char boundary to at most `max` bytes, with a warning.
pub fn truncate_to_limit(text: &mut String, max: usize, warnings: &mut Vec<Problem>, stage: Stage) {
    if text.len() <= max {
        return;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    warnings.push(Problem::new(
        stage,
        format!("text truncated to the limit of {max} bytes"),
    ));
}

/// A line that starts a list item: a bullet or a marker such as `1.`, `a)`, `-`.
pub fn bullet_len(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let mut chars = trimmed.char_indices();
    let (_, first) = chars.next()?;
    if matches!(
        first,
        '-' | '*' | '•' | '·' | '–' | '▪' | '►' | '◦' | '‣' | '\u{f0b7}' | '●'
    ) {
        let rest = &trimmed[first.len_utf8()..];
        if rest.starts_with(' ') || rest.starts_with('\t') {
            return Some(indent + first.len_utf8());
        }
    }
    None
}

/// A heading line: markdown `#`, or a short line without final punctuation standing alone.
fn heading_level(paragraph: &str) -> Option<u8> {
    let trimmed = paragraph.trim();
    if let Some(rest) = trimmed.strip_prefix('#') {
        let hashes = 1 + rest.chars().take_while(|&c| c == '#').count();
        return Some(hashes.min(6) as u8);
    }
    if trimmed.contains('\n') || trimmed.chars().count() > 90 || trimmed.is_empty() {
        return None;
    }
    let last = trimmed.chars().last()?;
    if matches!(
        last,
        '.' | ',' | ';' | ':' | '!' | '?' | '»' | '"' | '”' | ')'
    ) {
        return None;
    }
    let words = trimmed.split_whitespace().count();
    // A numbered section title: "1. Objectifs", "2.3 Funding".
    let numbered = trimmed.split_whitespace().next().is_some_and(|w| {
        w.trim_end_matches('.')
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    if numbered && words <= 12 {
        return Some(1);
    }
    let first_upper = trimmed.chars().next().is_some_and(char::is_uppercase);
    (first_upper && words <= 12).then_some(2)
}

/// Blocks of a plain text: paragraphs are separated by blank lines; lines that start with a
/// bullet become list items (continuation lines stay with their item).
pub fn blocks_of_plain_text(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (start, end) in paragraph_spans(text) {
        let paragraph = &text[start..end];
        if paragraph.lines().any(|l| bullet_len(l).is_some()) {
            let mut item_start: Option<usize> = None;
            let mut pos = start;
            let mut lead_in_start = start;
            for line in paragraph.split_inclusive('\n') {
                if bullet_len(line).is_some() {
                    if let Some(s) = item_start {
                        blocks.push(Block::new(
                            BlockKind::ListItem,
                            s,
                            trim_end_at(text, s, pos),
                        ));
                    } else if lead_in_start < pos {
                        blocks.push(Block::new(
                            BlockKind::Paragraph,
                            lead_in_start,
                            trim_end_at(text, lead_in_start, pos),
                        ));
                    }
                    item_start = Some(pos + (line.len() - line.trim_start().len()));
                }
                pos += line.len();
            }
            match item_start {
                Some(s) => blocks.push(Block::new(BlockKind::ListItem, s, end)),
                None => {
                    lead_in_start = start;
                    blocks.push(Block::new(BlockKind::Paragraph, lead_in_start, end));
                }
            }
            continue;
        }
        let mut block = Block::new(BlockKind::Paragraph, start, end);
        if let Some(level) = heading_level(paragraph) {
            block.kind = BlockKind::Heading;
            block.level = Some(level);
        }
        blocks.push(block);
    }
    blocks
}

/// End of `[start, pos)` without trailing whitespace.
fn trim_end_at(text: &str, start: usize, pos: usize) -> usize {
    start + text[start..pos].trim_end().len()
}

/// Byte spans of the paragraphs: runs of non-blank lines, trimmed of surrounding whitespace.
pub fn paragraph_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim();
        if content.is_empty() {
            if let Some(span) = current.take() {
                spans.push(span);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            let line_start = pos + lead;
            let line_end = line_start + content.len();
            current = Some(match current {
                Some((s, _)) => (s, line_end),
                None => (line_start, line_end),
            });
        }
        pos += line.len();
    }
    if let Some(span) = current {
        spans.push(span);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_falls_back_to_windows_1252() {
        assert_eq!(decode("déjà".as_bytes()).0, "déjà");
        let (text, enc, fell_back) = decode(b"d\xe9j\xe0 \x92");
        assert_eq!(
            (text.as_str(), enc, fell_back),
            ("déjà ’", "windows-1252", true)
        );
        let (text, enc, _) = decode(b"\xff\xfeh\x00i\x00");
        assert_eq!((text.as_str(), enc), ("hi", "utf-16le"));
    }

    #[test]
    fn finds_paragraphs_lists_and_headings() {
        let text = "## Title here\n\nA paragraph that\nspans two lines.\n\nAims:\n- first item\n  continued\n- second item\n";
        let blocks = blocks_of_plain_text(text);
        let kinds: Vec<_> = blocks
            .iter()
            .map(|b| (b.kind, &text[b.start..b.end]))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (BlockKind::Heading, "## Title here"),
                (BlockKind::Paragraph, "A paragraph that\nspans two lines."),
                (BlockKind::Paragraph, "Aims:"),
                (BlockKind::ListItem, "- first item\n  continued"),
                (BlockKind::ListItem, "- second item"),
            ]
        );
    }
}
