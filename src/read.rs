//! Stage 1: find the input files, read their bytes, undo gzip, and detect their format from the
//! bytes (not only the extension).

use crate::extract::html::warc::{WarcRecords, is_warc, peek_head};
use crate::limits::Limits;
use crate::model::{Format, Problem, Source, Stage, WarcOrigin};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input file found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Path relative to the input root it was found under, `/`-separated.
    pub rel_path: String,
}

/// Name of the file, in any input folder, that lists (in `.gitignore` syntax) the files of that
/// folder and its subfolders that are not documents: sidecar files such as gold texts or notes.
/// Ignored files are reported in the summary, never dropped silently.
pub const IGNORE_FILE: &str = ".docfactsignore";

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The documents, sorted by relative path.
    pub files: Vec<InputFile>,
    pub report: WalkReport,
}

/// What the walk over the input folders has to say besides the documents: it goes into the
/// run's summary.
#[derive(Debug, Default)]
pub struct WalkReport {
    /// Problems outside any document (unreadable folders, symlink loops, bad ignore files).
    pub problems: Vec<String>,
    /// Relative paths of files excluded by an [`IGNORE_FILE`], sorted.
    pub ignored: Vec<String>,
}

/// Lists the input files under `inputs` (files, or folders walked recursively), sorted by
/// relative path so that runs are deterministic. Hidden files, files excluded by an
/// [`IGNORE_FILE`] and our own outputs (`*.json` inside the output folder) are skipped; problems
/// (unreadable folders, symlink loops) are returned beside the list so the caller can report them.
pub fn discover(inputs: &[PathBuf], output_dir: Option<&Path>) -> Discovery {
    let mut found = Discovery::default();
    let output_dir = output_dir.and_then(|d| d.canonicalize().ok());
    for input in inputs {
        if input.is_dir() {
            let walker = walkdir::WalkDir::new(input)
                .follow_links(true)
                .sort_by_file_name();
            // Ignore files of the folders walked so far, deepest last (the walk is pre-order,
            // so a folder's own ignore file is read before any file inside it).
            let mut ignore_files: Vec<(PathBuf, ignore::gitignore::Gitignore)> = Vec::new();
            for entry in walker {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        // walkdir reports symlink loops, unreadable folders and dangling
                        // links here. A dangling link is a document we cannot read: it gets
                        // an error record like any unreadable file, so it is never lost.
                        match err.path() {
                            Some(path) if err.loop_ancestor().is_none() && !path.is_dir() => {
                                let rel = path.strip_prefix(input).unwrap_or(path);
                                if is_ignored(path, &ignore_files) {
                                    found.report.ignored.push(slash_path(rel));
                                    continue;
                                }
                                found.files.push(InputFile {
                                    path: path.to_path_buf(),
                                    rel_path: slash_path(rel),
                                });
                            }
                            _ => found
                                .report
                                .problems
                                .push(format!("{}: {err}", input.display())),
                        }
                        continue;
                    }
                };
                let path = entry.path();
                if let Some(out) = &output_dir
                    && path.canonicalize().is_ok_and(|p| p.starts_with(out))
                {
                    continue;
                }
                let rel = path.strip_prefix(input).unwrap_or(path);
                if entry.file_type().is_dir() {
                    if !is_hidden(rel) {
                        read_ignore_file(path, &mut ignore_files, &mut found.report.problems);
                    }
                    continue;
                }
                if is_hidden(rel) {
                    continue;
                }
                if is_ignored(path, &ignore_files) {
                    found.report.ignored.push(slash_path(rel));
                    continue;
                }
                found.files.push(InputFile {
                    path: path.to_path_buf(),
                    rel_path: slash_path(rel),
                });
            }
        } else {
            // A single file (or a dangling name: reading it reports the error as a record).
            // Named explicitly, it is a document even if an ignore file lists it.
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| slash_path(input));
            found.files.push(InputFile {
                path: input.clone(),
                rel_path: name,
            });
        }
    }
    found.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    found.files.dedup_by(|a, b| a.rel_path == b.rel_path);
    found.report.ignored.sort();
    found.report.ignored.dedup();
    found
}

/// Reads `dir`'s [`IGNORE_FILE`], if any, into `ignore_files`.
fn read_ignore_file(
    dir: &Path,
    ignore_files: &mut Vec<(PathBuf, ignore::gitignore::Gitignore)>,
    problems: &mut Vec<String>,
) {
    let file = dir.join(IGNORE_FILE);
    if !file.is_file() {
        return;
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
    if let Some(err) = builder.add(&file) {
        problems.push(format!("{}: {err}", file.display()));
    }
    match builder.build() {
        Ok(matcher) => ignore_files.push((dir.to_path_buf(), matcher)),
        Err(err) => problems.push(format!("{}: {err}", file.display())),
    }
}

/// Whether the ignore files of `path`'s folders exclude it; the deepest folder that says
/// something decides, so a subfolder can re-include (`!pattern`) what a parent excludes.
fn is_ignored(path: &Path, ignore_files: &[(PathBuf, ignore::gitignore::Gitignore)]) -> bool {
    ignore_files
        .iter()
        .rev()
        .filter(|(dir, _)| path.starts_with(dir))
        .map(|(_, matcher)| matcher.matched_path_or_any_parents(path, false))
        .find(|m| !m.is_none())
        .is_some_and(|m| m.is_ignore())
}

fn is_hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn file_name_of(rel_path: &str) -> String {
    rel_path.rsplit('/').next().unwrap_or(rel_path).to_string()
}

/// A source with no bytes, for records of files that could not be read.
pub fn unread_source(input: &InputFile) -> Source {
    Source {
        doc_id: input.rel_path.clone(),
        rel_path: input.rel_path.clone(),
        file_name: file_name_of(&input.rel_path),
        bytes: Vec::new(),
        file_size: std::fs::metadata(&input.path).map_or(0, |m| m.len()),
        format: format_from_extension(&input.rel_path).unwrap_or(Format::Text),
        warnings: Vec::new(),
        warc: None,
        sha256: None,
    }
}

/// The source of one page of a WARC archive: `path`/`file` name the archive, the record is in
/// `warc`. `payload` empty when the record could not be read (then it gets an error record).
pub fn warc_page_source(
    archive_rel_path: &str,
    doc_id: &str,
    payload: Vec<u8>,
    origin: WarcOrigin,
) -> Source {
    Source {
        doc_id: doc_id.to_string(),
        rel_path: archive_rel_path.to_string(),
        file_name: file_name_of(archive_rel_path),
        file_size: payload.len() as u64,
        bytes: payload,
        format: Format::Html,
        warnings: Vec::new(),
        warc: Some(origin),
        sha256: None,
    }
}

/// The records of `path` when it is a WARC archive (`.warc` or `.warc.gz`, told from the bytes,
/// not the name); `None` for any other file, or one that cannot be opened (reading it again
/// reports why, as an error record).
pub fn open_warc(path: &Path, limits: &Limits) -> Option<WarcRecords> {
    let head = peek_head(std::fs::File::open(path).ok()?, 16).ok()?;
    if !is_warc(&head) {
        return None;
    }
    WarcRecords::new(std::fs::File::open(path).ok()?, limits).ok()
}

/// [`open_warc`] for bytes already in memory (stdin); `Err` gives back the bytes of anything
/// that is not a WARC archive.
pub fn open_warc_bytes(bytes: Vec<u8>, limits: &Limits) -> Result<WarcRecords, Vec<u8>> {
    let warc = peek_head(bytes.as_slice(), 16).is_ok_and(|head| is_warc(&head));
    if !warc {
        return Err(bytes);
    }
    // Reading from memory cannot fail to start.
    WarcRecords::new(std::io::Cursor::new(bytes), limits).map_err(|_| Vec::new())
}

/// Reads one input file: its bytes (capped at `limits.max_input_bytes`), gzip undone, format
/// detected. On failure, the source (as far as known) and the problem.
pub fn load(input: &InputFile, limits: &Limits) -> Result<Source, Box<(Source, Problem)>> {
    let fail =
        |stage, message: String| Box::new((unread_source(input), Problem::new(stage, message)));
    let meta = std::fs::metadata(&input.path).map_err(|e| {
        fail(
            Stage::Read,
            format!("cannot read {}: {e}", input.path.display()),
        )
    })?;
    if !meta.is_file() {
        return Err(fail(
            Stage::Read,
            format!("{} is not a regular file", input.path.display()),
        ));
    }
    if let Some(problem) = over_input_limit(meta.len(), limits) {
        return Err(Box::new((unread_source(input), problem)));
    }
    let bytes = std::fs::read(&input.path).map_err(|e| {
        fail(
            Stage::Read,
            format!("cannot read {}: {e}", input.path.display()),
        )
    })?;
    load_read(input, bytes, None, limits)
}

/// [`load`] for a file whose bytes the caller has already read (within
/// `limits.max_input_bytes`), with their SHA-256 when it has it: an incremental run reads and
/// hashes each input to decide whether to process it, and this spares a second read and hash.
pub fn load_read(
    input: &InputFile,
    bytes: Vec<u8>,
    sha256: Option<String>,
    limits: &Limits,
) -> Result<Source, Box<(Source, Problem)>> {
    let size = bytes.len() as u64;
    // The caller read the file after checking its size; it may have grown since.
    if let Some(problem) = over_input_limit(size, limits) {
        return Err(Box::new((unread_source(input), problem)));
    }
    // The hash is of the file's bytes: the source's too unless gzip is undone.
    let sha256 = sha256.filter(|_| !is_gzip(&bytes));
    let mut source = from_bytes(&input.rel_path, bytes, size, limits)
        .map_err(|problem| Box::new((unread_source(input), problem)))?;
    source.sha256 = sha256;
    Ok(source)
}

/// Builds a source from bytes already in memory (files, stdin, container records).
pub fn from_bytes(
    rel_path: &str,
    bytes: Vec<u8>,
    file_size: u64,
    limits: &Limits,
) -> Result<Source, Problem> {
    let mut warnings = Vec::new();
    if bytes.is_empty() {
        return Err(Problem::new(Stage::Read, "empty file (0 bytes)"));
    }
    let bytes = if is_gzip(&bytes) {
        let inflated = gunzip(&bytes, limits.max_decoded_bytes)?;
        warnings.push(Problem::new(
            Stage::Read,
            format!(
                "gzip-compressed input: {} bytes decompressed",
                inflated.len()
            ),
        ));
        inflated
    } else {
        bytes
    };
    if bytes.is_empty() {
        return Err(Problem::new(
            Stage::Read,
            "empty file (0 bytes after decompression)",
        ));
    }
    let name_without_gz = rel_path.strip_suffix(".gz").unwrap_or(rel_path);
    let format = detect_format(&bytes, name_without_gz)?;
    Ok(Source {
        doc_id: rel_path.to_string(),
        rel_path: rel_path.to_string(),
        file_name: file_name_of(rel_path),
        bytes,
        file_size,
        format,
        warnings,
        warc: None,
        sha256: None,
    })
}

/// The error of an input file of `size` bytes over `--max-input-mb`, if it is.
fn over_input_limit(size: u64, limits: &Limits) -> Option<Problem> {
    (size > limits.max_input_bytes).then(|| {
        Problem::new(
            Stage::Read,
            format!(
                "file is {size} bytes, over the input limit of {} bytes (--max-input-mb)",
                limits.max_input_bytes
            ),
        )
    })
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Inflates gzip data, refusing to produce more than `cap` bytes (decompression bombs).
fn gunzip(bytes: &[u8], cap: u64) -> Result<Vec<u8>, Problem> {
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    let mut out = Vec::new();
    decoder
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| Problem::new(Stage::Read, format!("corrupt gzip data: {e}")))?;
    if out.len() as u64 > cap {
        return Err(Problem::new(
            Stage::Read,
            format!("gzip data inflates past the limit of {cap} bytes"),
        ));
    }
    Ok(out)
}

fn format_from_extension(name: &str) -> Option<Format> {
    let ext = name.rsplit('.').next()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(Format::Pdf),
        "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
        "txt" | "text" | "md" => Some(Format::Text),
        _ => None,
    }
}

/// Detects the format from the bytes; the extension only breaks ties for text that carries no
/// markers. Binary data that is neither PDF nor text is an error, whatever its name says.
pub fn detect_format(bytes: &[u8], name: &str) -> Result<Format, Problem> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if looks_like_html(bytes) {
        return Ok(Format::Html);
    }
    let by_ext = format_from_extension(name);
    if looks_binary(bytes) {
        let claimed = match by_ext {
            Some(Format::Pdf) => " (named .pdf but without a %PDF- header)",
            _ => "",
        };
        return Err(Problem::new(
            Stage::Detect,
            format!("unrecognised binary content{claimed}: not PDF, HTML or text"),
        ));
    }
    match by_ext {
        Some(Format::Pdf) => Err(Problem::new(
            Stage::Detect,
            "named .pdf but has no %PDF- header: not a PDF",
        )),
        Some(format) => Ok(format),
        None => Ok(Format::Text),
    }
}

/// HTML markers near the start (after a BOM, whitespace, comments, an XML declaration).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let text = String::from_utf8_lossy(&lower);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('<') {
        return false;
    }
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
    ]
    .iter()
    .any(|marker| text.contains(marker))
}

/// Binary data: NUL bytes, or many control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(
            detect_format(b"%PDF-1.4\n...", "x.txt").ok(),
            Some(Format::Pdf)
        );
        assert_eq!(
            detect_format(b"\xef\xbb\xbf<!DOCTYPE html><p>x", "x.txt").ok(),
            Some(Format::Html)
        );
        assert_eq!(
            detect_format(b"Hello world", "x.html").ok(),
            Some(Format::Html)
        );
        assert_eq!(detect_format(b"Hello world", "x").ok(), Some(Format::Text));
        assert!(detect_format(b"\x00\x01\x02garbage", "x.pdf").is_err());
        assert!(detect_format(b"just text", "x.pdf").is_err());
    }

    #[test]
    fn a_known_hash_is_kept_only_for_the_bytes_it_was_taken_of() {
        let input = InputFile {
            path: PathBuf::from("page.html"),
            rel_path: "page.html".to_string(),
        };
        let limits = Limits::default();
        let page = b"<html><body><p>Bonjour</p></body></html>".to_vec();
        let hash = Some("given".to_string());
        let plain = load_read(&input, page.clone(), hash.clone(), &limits);
        assert_eq!(plain.map(|s| s.sha256).ok(), Some(hash.clone()));
        // Once gunzipped, the source is other bytes than the hashed file.
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&page).unwrap_or_default();
        let gz = enc.finish().unwrap_or_default();
        let gunzipped = load_read(&input, gz, hash, &limits);
        assert_eq!(gunzipped.map(|s| s.sha256).ok(), Some(None));
    }

    #[test]
    fn gzip_is_undone_and_capped() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"<html><body><p>Bonjour</p></body></html>")
            .unwrap_or_default();
        let gz = enc.finish().unwrap_or_default();
        let limits = Limits::default();
        let source = from_bytes("page.html.gz", gz.clone(), gz.len() as u64, &limits);
        let source = source.map_err(|p| p.message);
        assert_eq!(source.as_ref().map(|s| s.format), Ok(Format::Html));
        let tiny = Limits {
            max_decoded_bytes: 10,
            ..Limits::default()
        };
        assert!(from_bytes("page.html.gz", gz, 0, &tiny).is_err());
    }
}
