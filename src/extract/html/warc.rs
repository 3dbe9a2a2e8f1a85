//! HTML pages inside WARC archives (`.warc`, `.warc.gz`), read as a stream of records:
//! `response` records with an HTML HTTP payload, and `resource` records of type text/html.
//!
//! Why not the `warc` crate (0.4): after an error its readers are left inside a block with no
//! way to resynchronise on the next `WARC/1.x` line (one record whose `Content-Length` disagrees
//! with the data loses the rest of the archive), `iter_records` refuses records without a
//! `WARC-Date`, header blocks must end in CRLF CRLF, and bodies are read line by line into a
//! fresh 1 MiB buffer per record. Here every length comes from the input and is checked against
//! what is there, a truncated record becomes a [`WarcItem::Broken`] while the records before it
//! are kept, garbage between records is reported and skipped up to the next record header, and
//! `.warc.gz` (one gzip member per record, as the standard recommends, or one for all) goes
//! through flate2's multi-member decoder, already a dependency.
//!
//! Records are read one at a time from a [`BufRead`]: memory is bounded by the largest record
//! (capped at `Limits::max_decoded_bytes`), never by the archive.

use crate::limits::Limits;
use crate::model::WarcOrigin;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

/// One HTML page found in an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlPage {
    /// File-name-safe id, unique within the archive: one path component, no `..`.
    pub id: String,
    /// The record's URI and id, and the charset of its HTTP `Content-Type` (WHATWG name).
    pub origin: WarcOrigin,
    /// The HTTP payload: de-chunked, decompressed.
    pub payload: Vec<u8>,
}

/// What one step of [`WarcRecords`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum WarcItem {
    Html(HtmlPage),
    /// A record that is not an HTML page, named by what it is (`request`, `response image/png`).
    Skipped(String),
    /// Bytes that could not be read as a record. `id` is the record's id when its header could
    /// be read, else one naming the byte offset. Reading goes on after it when it can.
    Broken {
        id: String,
        uri: String,
        record_id: String,
        message: String,
    },
}

/// Longest header line of a record, and most header lines.
const MAX_HEADER_LINE: u64 = 64 * 1024;
const MAX_HEADER_LINES: usize = 1_000;
/// Longest document id derived from a URI, before its hash suffix.
const MAX_ID_CHARS: usize = 100;

/// Whether `head` (the first bytes of a stream, gzip already undone) starts a WARC archive.
pub fn is_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.")
}

/// The first `n` bytes of a stream, gzip undone when it starts with the gzip magic: enough to
/// tell a WARC archive from anything else without reading it all.
pub fn peek_head(mut reader: impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    // Only `n` bytes are read from a plain file (every input is peeked at, so no read-ahead
    // buffer: it was a fifth of an incremental rerun on an unchanged archive).
    let mut raw = Vec::with_capacity(n.max(2));
    (&mut reader).take(n.max(2) as u64).read_to_end(&mut raw)?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        raw.truncate(n);
        return Ok(raw);
    }
    // A damaged stream still shows its first bytes; its error comes when it is read for real.
    let mut head = Vec::with_capacity(n);
    let _ = flate2::read::MultiGzDecoder::new(std::io::Cursor::new(raw).chain(reader))
        .take(n as u64)
        .read_to_end(&mut head);
    Ok(head)
}

/// The records of one archive, as an iterator of [`WarcItem`]s in archive order.
pub struct WarcRecords {
    reader: Box<dyn BufRead + Send>,
    /// Bytes consumed so far (of the decompressed stream), for messages and ids.
    offset: u64,
    /// A record's first line met while skipping garbage, read by the next step.
    pending_line: Option<Vec<u8>>,
    used_ids: HashSet<String>,
    finished: bool,
    limits: Limits,
}

impl WarcRecords {
    /// Reads the archive `reader` gives (gzip undone when it starts with the gzip magic).
    pub fn new(reader: impl Read + Send + 'static, limits: &Limits) -> std::io::Result<Self> {
        let mut buffered = BufReader::new(reader);
        let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(
                buffered,
            )))
        } else {
            Box::new(buffered)
        };
        Ok(WarcRecords {
            reader,
            offset: 0,
            pending_line: None,
            used_ids: HashSet::new(),
            finished: false,
            limits: limits.clone(),
        })
    }

    /// One line (with its line break), at most [`MAX_HEADER_LINE`] bytes; empty at the end.
    fn read_line(&mut self) -> std::io::Result<Vec<u8>> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        self.offset += line.len() as u64;
        Ok(line)
    }

    /// A broken stretch whose record header could not be read: the rest of the archive is lost
    /// when `fatal`.
    fn broken_at(&mut self, offset: u64, message: String, fatal: bool) -> WarcItem {
        self.finished |= fatal;
        WarcItem::Broken {
            id: format!("unreadable-at-byte-{offset}"),
            uri: String::new(),
            record_id: String::new(),
            message,
        }
    }

    /// Finds the first line of the next record. `Err` is the item to report instead (damage,
    /// or the end of the archive as `Ok(None)`).
    fn next_record_line(&mut self) -> Result<Option<Vec<u8>>, WarcItem> {
        if let Some(line) = self.pending_line.take() {
            return Ok(Some(line));
        }
        // Blank lines between records are normal; anything else is damage, reported once for
        // the whole stretch of it.
        let garbage_start = self.offset;
        let mut garbage = 0u64;
        loop {
            let line = self.read_line().map_err(|err| {
                let at = self.offset;
                self.broken_at(
                    at,
                    format!("cannot read the archive at byte {at}: {err}"),
                    true,
                )
            })?;
            if line.is_empty() {
                self.finished = true;
                if garbage > 0 {
                    let message =
                        format!("{garbage} bytes at byte {garbage_start} are not a WARC record");
                    return Err(self.broken_at(garbage_start, message, true));
                }
                return Ok(None);
            }
            if is_warc(&line) {
                if garbage > 0 {
                    self.pending_line = Some(line);
                    let message = format!(
                        "{garbage} bytes at byte {garbage_start} are not a WARC record: skipped up to the next record"
                    );
                    return Err(self.broken_at(garbage_start, message, false));
                }
                return Ok(Some(line));
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                garbage += line.len() as u64;
            }
        }
    }

    fn next_item(&mut self) -> Option<WarcItem> {
        let first_line = match self.next_record_line() {
            Ok(Some(line)) => line,
            Ok(None) => return None,
            Err(item) => return Some(item),
        };
        let record_start = self.offset - first_line.len() as u64;
        let mut header_bytes = first_line;
        let mut lines = 0;
        loop {
            let line = match self.read_line() {
                Ok(line) => line,
                Err(err) => {
                    let message =
                        format!("cannot read the record header at byte {record_start}: {err}");
                    return Some(self.broken_at(record_start, message, true));
                }
            };
            if line.is_empty() {
                let message =
                    format!("archive ends inside the record header at byte {record_start}");
                return Some(self.broken_at(record_start, message, true));
            }
            let blank = line == b"\r\n" || line == b"\n";
            header_bytes.extend_from_slice(&line);
            lines += 1;
            if blank {
                break;
            }
            if lines > MAX_HEADER_LINES || !line.ends_with(b"\n") {
                let message = format!("record header at byte {record_start} is too long");
                return Some(self.broken_at(record_start, message, false));
            }
        }
        let headers = parse_headers(&header_bytes);
        let kind = header(&headers, "warc-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let uri = header(&headers, "warc-target-uri")
            .unwrap_or_default()
            .trim_matches(['<', '>', ' '])
            .to_string();
        let record_id = header(&headers, "warc-record-id")
            .unwrap_or_default()
            .to_string();
        let broken = |this: &mut Self, message: String| WarcItem::Broken {
            id: this.unique_id(&uri, &record_id),
            uri: uri.clone(),
            record_id: record_id.clone(),
            message,
        };
        let Some(content_length) =
            header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
        else {
            // Without its length the record's end is unknown: skip to the next record header.
            let message = format!("record at byte {record_start} has no valid Content-Length");
            return Some(broken(self, message));
        };
        if content_length > self.limits.max_decoded_bytes {
            let skipped = std::io::copy(
                &mut (&mut self.reader).take(content_length),
                &mut std::io::sink(),
            );
            self.offset += skipped.as_ref().map_or(0, |n| *n);
            if skipped.as_ref().map_or(true, |n| *n < content_length) {
                self.finished = true;
            }
            let message = format!(
                "record at byte {record_start} is {content_length} bytes, over the limit of {} bytes",
                self.limits.max_decoded_bytes
            );
            return Some(broken(self, message));
        }
        let mut block = Vec::new();
        let read = (&mut self.reader)
            .take(content_length)
            .read_to_end(&mut block);
        self.offset += block.len() as u64;
        if let Err(err) = read {
            self.finished = true;
            let message = format!("cannot read the record at byte {record_start}: {err}");
            return Some(broken(self, message));
        }
        if (block.len() as u64) < content_length {
            self.finished = true;
            let message = format!(
                "record at byte {record_start} is truncated: {} of {content_length} bytes",
                block.len()
            );
            return Some(broken(self, message));
        }
        let page = match kind.as_str() {
            "response" => http_html_payload(&block, &self.limits),
            "resource" => {
                let content_type = header(&headers, "content-type").unwrap_or_default();
                if is_html_type(content_type) {
                    Ok((block, charset_of(content_type)))
                } else {
                    Err(format!("resource {}", media_type(content_type)))
                }
            }
            "" => Err("record without WARC-Type".to_string()),
            other => Err(other.to_string()),
        };
        Some(match page {
            Ok((payload, charset)) => WarcItem::Html(HtmlPage {
                id: self.unique_id(&uri, &record_id),
                origin: WarcOrigin {
                    record_id,
                    uri,
                    charset,
                },
                payload,
            }),
            Err(what) => WarcItem::Skipped(what),
        })
    }

    /// [`doc_id_from_uri`] with a short hash of the record id and URI, so that two captures of
    /// one URI get two ids; a repeat of both (a copied record) gets a counter too.
    fn unique_id(&mut self, uri: &str, record_id: &str) -> String {
        let digest = Sha256::digest(format!("{record_id}\n{uri}").as_bytes());
        let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        let stem = format!("{}-{hash}", doc_id_from_uri(uri));
        let mut candidate = format!("{stem}.html");
        let mut n = 2u64;
        while self.used_ids.contains(&candidate) {
            candidate = format!("{stem}-{n}.html");
            n += 1;
        }
        self.used_ids.insert(candidate.clone());
        candidate
    }
}

impl Iterator for WarcRecords {
    type Item = WarcItem;

    fn next(&mut self) -> Option<WarcItem> {
        if self.finished {
            return None;
        }
        self.next_item()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Length of a header block including its blank line (CRLF CRLF, or LF LF).
fn header_end(bytes: &[u8]) -> Option<usize> {
    let crlf = find(bytes, b"\r\n\r\n").map(|i| i + 4);
    let lf = find(bytes, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `Name: value` lines (names lower-cased); the first line (version or status) is skipped.
fn parse_headers(bytes: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(bytes)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn is_html_type(content_type: &str) -> bool {
    let lower = content_type.to_ascii_lowercase();
    lower.contains("text/html") || lower.contains("application/xhtml")
}

fn charset_of(content_type: &str) -> Option<String> {
    super::decode::charset_from_content_type(content_type).map(|e| e.name().to_ascii_lowercase())
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media.is_empty() {
        "without Content-Type".to_string()
    } else {
        media
    }
}

/// Content types that say nothing of the payload: the payload is sniffed instead.
fn is_unspecific_type(content_type: &str) -> bool {
    matches!(
        media_type(content_type).as_str(),
        "without Content-Type" | "application/octet-stream" | "unknown/unknown"
    )
}

/// The body of an HTTP response whose Content-Type is HTML (or says nothing and the body looks
/// like HTML), de-chunked and decompressed, with the charset of its Content-Type. `Err` names
/// what the record is instead, for the run's counts.
fn http_html_payload(block: &[u8], limits: &Limits) -> Result<(Vec<u8>, Option<String>), String> {
    if !block.starts_with(b"HTTP/") {
        return Err("response not HTTP".to_string());
    }
    let head_len = header_end(block).ok_or("response with a broken HTTP header")?;
    let headers = parse_headers(block.get(..head_len).unwrap_or_default());
    let content_type = header(&headers, "content-type").unwrap_or_default();
    if !is_html_type(content_type) && !is_unspecific_type(content_type) {
        return Err(format!("response {}", media_type(content_type)));
    }
    let mut body = block.get(head_len..).unwrap_or_default().to_vec();
    if header(&headers, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        body = dechunk(&body);
    }
    let encoding = header(&headers, "content-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if (encoding.contains("gzip") || body.starts_with(&[0x1f, 0x8b])) && !body.is_empty() {
        let mut out = Vec::new();
        if flate2::read::MultiGzDecoder::new(body.as_slice())
            .take(limits.max_decoded_bytes)
            .read_to_end(&mut out)
            .is_ok()
        {
            body = out;
        }
    }
    if !is_html_type(content_type) && !crate::read::looks_like_html(&body) {
        return Err(format!("response {}", media_type(content_type)));
    }
    Ok((body, charset_of(content_type)))
}

/// Decodes `Transfer-Encoding: chunked` (bounded by the input; stops at the first bad chunk).
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0usize;
    while pos < body.len() {
        let Some(line_len) = body.get(pos..).and_then(|r| find(r, b"\r\n")) else {
            break;
        };
        let size_line = String::from_utf8_lossy(body.get(pos..pos + line_len).unwrap_or_default());
        let size_hex = size_line.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            break;
        };
        if size == 0 {
            break;
        }
        let start = pos + line_len + 2;
        let end = start.saturating_add(size).min(body.len());
        out.extend_from_slice(body.get(start..end).unwrap_or_default());
        pos = end + 2;
    }
    out
}

/// A file-name-safe stem from a URI: host and path, other characters as '_', no run of dots
/// (so never `..`) or of underscores, at most [`MAX_ID_CHARS`] characters.
fn doc_id_from_uri(uri: &str) -> String {
    let without_scheme = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let mut id = String::new();
    for c in without_scheme.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
            c
        } else {
            '_'
        };
        if (c == '.' || c == '_') && id.ends_with(c) {
            continue;
        }
        id.push(c);
        if id.len() >= MAX_ID_CHARS {
            break;
        }
    }
    let id = id.trim_matches(['_', '.', '-']);
    if id.is_empty() {
        "record".to_string()
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, id: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Record-ID: {id}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn archive() -> Vec<u8> {
        let mut data = Vec::new();
        data.extend(record(
            "warcinfo",
            "",
            "<urn:uuid:0>",
            b"software: test\r\n",
        ));
        data.extend(record(
            "request",
            "https://ex.fr/a",
            "<urn:uuid:1>",
            b"GET /a HTTP/1.1\r\nHost: ex.fr\r\n\r\n",
        ));
        data.extend(record(
            "response",
            "https://ex.fr/actualites/page?id=3",
            "<urn:uuid:2>",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n<p>caf\xe9\r\n5\r\n</p>\n\r\n0\r\n\r\n",
        ));
        data.extend(record(
            "response",
            "https://ex.fr/logo.png",
            "<urn:uuid:3>",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        data.extend(record(
            "response",
            "https://ex.fr/sans-type",
            "<urn:uuid:4>",
            b"HTTP/1.1 200 OK\r\n\r\n<!DOCTYPE html><p>deux</p>",
        ));
        data
    }

    fn items(bytes: Vec<u8>) -> Vec<WarcItem> {
        WarcRecords::new(std::io::Cursor::new(bytes), &Limits::default())
            .map(Iterator::collect)
            .unwrap_or_default()
    }

    fn pages(items: &[WarcItem]) -> Vec<&HtmlPage> {
        items
            .iter()
            .filter_map(|item| match item {
                WarcItem::Html(page) => Some(page),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reads_html_records_and_names_the_others() {
        let items = items(archive());
        let skipped: Vec<&str> = items
            .iter()
            .filter_map(|item| match item {
                WarcItem::Skipped(what) => Some(what.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(skipped, vec!["warcinfo", "request", "response image/png"]);
        let pages = pages(&items);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].id, "ex.fr_actualites_page_id_3-9ffbfa7b.html");
        assert_eq!(pages[0].origin.uri, "https://ex.fr/actualites/page?id=3");
        assert_eq!(pages[0].origin.record_id, "<urn:uuid:2>");
        assert_eq!(pages[0].payload.as_slice(), b"<p>caf\xe9</p>\n");
        assert_eq!(pages[0].origin.charset.as_deref(), Some("windows-1252"));
        assert_eq!(pages[1].payload.as_slice(), b"<!DOCTYPE html><p>deux</p>");
        assert_eq!(pages[1].origin.charset, None);
    }

    #[test]
    fn gzip_members_per_record() {
        let mut gz = Vec::new();
        let data = archive();
        for part in [&data[..data.len() / 2], &data[data.len() / 2..]] {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(part).unwrap_or_default();
            gz.extend(enc.finish().unwrap_or_default());
        }
        assert_eq!(items(gz), items(archive()));
    }

    #[test]
    fn ids_stay_one_safe_component() {
        assert_eq!(
            doc_id_from_uri("http://x/../../etc/passwd"),
            "x_._._etc_passwd"
        );
        assert_eq!(doc_id_from_uri("/../.."), "record");
        assert_eq!(doc_id_from_uri(""), "record");
        assert_eq!(doc_id_from_uri(&"a".repeat(500)).len(), MAX_ID_CHARS);
    }

    #[test]
    fn garbage_and_truncation() {
        assert!(items(Vec::new()).is_empty());
        let huge = b"WARC/1.0\r\nContent-Length: 99999999999\r\n\r\nabc".to_vec();
        assert!(
            matches!(&items(huge)[..], [WarcItem::Broken { message, .. }] if message.contains("over the limit"))
        );
        let data = archive();
        let cut = data[..data.len() - 10].to_vec();
        let read = items(cut);
        assert_eq!(pages(&read).len(), 1);
        assert!(
            matches!(read.last(), Some(WarcItem::Broken { message, .. }) if message.contains("truncated"))
        );
        let mut with_garbage = b"junk line\r\n".to_vec();
        with_garbage.extend(archive());
        let read = items(with_garbage);
        assert!(matches!(&read[0], WarcItem::Broken { id, .. } if id == "unreadable-at-byte-0"));
        assert_eq!(pages(&read).len(), 2);
        assert!(
            items(vec![0x1f, 0x8b, 0, 1, 2])
                .iter()
                .all(|i| matches!(i, WarcItem::Broken { .. }))
        );
    }
}
