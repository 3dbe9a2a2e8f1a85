//! HTML pages inside WARC archives (`.warc`, `.warc.gz`): `response` records with an HTML
//! HTTP payload and `resource` records of type text/html.
//!
//! The format is simple (a header block, `Content-Length` bytes of block, CRLF CRLF), so it is
//! parsed here with explicit bounds rather than through a crate: every length comes from the
//! input and is checked against what is left, and decompression is capped.

use crate::limits::Limits;
use std::io::Read;

/// One HTML page found in an archive.
pub type HtmlRecord = (
    String,         // safe document id derived from the target URI
    String,         // target URI
    String,         // WARC-Record-ID
    Vec<u8>,        // HTTP payload (de-chunked, decompressed)
    Option<String>, // charset of the HTTP Content-Type
);

/// Records read per archive.
const MAX_RECORDS: usize = 1_000_000;
/// Longest document id derived from a URI.
const MAX_ID_CHARS: usize = 120;

/// The HTML pages of a WARC archive (gzip-compressed or not), in archive order.
pub fn html_records(bytes: &[u8]) -> Vec<HtmlRecord> {
    let limits = Limits::default();
    let data = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        // A truncated archive still yields the records read before the damage.
        let _ = flate2::read::MultiGzDecoder::new(bytes)
            .take(limits.max_decoded_bytes)
            .read_to_end(&mut out);
        out
    } else {
        bytes.to_vec()
    };
    let mut records = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut pos = 0usize;
    for _ in 0..MAX_RECORDS {
        let Some(rest) = data.get(pos..) else { break };
        let Some(start) = find(rest, b"WARC/") else {
            break;
        };
        let record_start = pos + start;
        let Some(header_len) = data.get(record_start..).and_then(header_end) else {
            break;
        };
        let header_bytes = data
            .get(record_start..record_start + header_len)
            .unwrap_or_default();
        let headers = parse_headers(header_bytes);
        let content_length: usize = header(&headers, "content-length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let block_start = record_start + header_len;
        let block_end = block_start.saturating_add(content_length).min(data.len());
        let block = data.get(block_start..block_end).unwrap_or_default();
        pos = block_end.max(record_start + 5);

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
        let page = match kind.as_str() {
            "response" => http_html_payload(block, &limits),
            "resource" => {
                let content_type = header(&headers, "content-type").unwrap_or_default();
                is_html_type(content_type).then(|| (block.to_vec(), charset_of(content_type)))
            }
            _ => None,
        };
        if let Some((payload, charset)) = page {
            let id = unique_id(doc_id_from_uri(&uri), &mut used_ids);
            records.push((id, uri, record_id, payload, charset));
        }
    }
    records
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

/// The body of an HTTP response whose Content-Type is HTML (or absent and the body looks
/// like HTML), de-chunked and decompressed.
fn http_html_payload(block: &[u8], limits: &Limits) -> Option<(Vec<u8>, Option<String>)> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let head_len = header_end(block)?;
    let headers = parse_headers(block.get(..head_len)?);
    let mut body = block.get(head_len..)?.to_vec();
    let content_type = header(&headers, "content-type").unwrap_or_default();
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
    let looks_html = {
        let head = body.get(..body.len().min(1024)).unwrap_or_default();
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        lower.contains("<html") || lower.contains("<!doctype html")
    };
    let html = if content_type.is_empty() {
        looks_html
    } else {
        is_html_type(content_type)
    };
    html.then(|| (body, charset_of(content_type)))
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

/// A file-name-safe id from a URI: host and path, other characters as '_', plus ".html".
fn doc_id_from_uri(uri: &str) -> String {
    let without_scheme = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let mut id: String = without_scheme
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    id = id.trim_matches(['_', '.']).to_string();
    if id.len() > MAX_ID_CHARS {
        id.truncate(MAX_ID_CHARS);
    }
    if id.is_empty() {
        id.push_str("record");
    }
    let lower = id.to_ascii_lowercase();
    if !(lower.ends_with(".html") || lower.ends_with(".htm")) {
        id.push_str(".html");
    }
    id
}

fn unique_id(id: String, used: &mut Vec<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while used.contains(&candidate) && n < MAX_RECORDS {
        candidate = format!("{}-{n}.html", id.trim_end_matches(".html"));
        n += 1;
    }
    used.push(candidate.clone());
    candidate
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
            "resource",
            "https://ex.fr/actualites/page?id=3",
            "<urn:uuid:4>",
            b"<html><p>deux</p></html>",
        ));
        data
    }

    #[test]
    fn reads_html_records() {
        let records = html_records(&archive());
        assert_eq!(records.len(), 1);
        let (id, uri, record_id, payload, charset) = &records[0];
        assert_eq!(id, "ex.fr_actualites_page_id_3.html");
        assert_eq!(uri, "https://ex.fr/actualites/page?id=3");
        assert_eq!(record_id, "<urn:uuid:2>");
        assert_eq!(payload.as_slice(), b"<p>caf\xe9</p>\n");
        assert_eq!(charset.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn resource_records_and_gzip_members() {
        let mut data = archive();
        data.extend(record("resource", "https://ex.fr/b", "<urn:uuid:5>", b"x"));
        // Resource records need an HTML Content-Type: rebuild one with it.
        let html = b"<html><p>deux</p></html>";
        let mut resource = format!(
            "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://ex.fr/actualites/page?id=3\r\nWARC-Record-ID: <urn:uuid:6>\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            html.len()
        )
        .into_bytes();
        resource.extend_from_slice(html);
        resource.extend_from_slice(b"\r\n\r\n");
        data.extend(resource);
        // .warc.gz: one gzip member per record is usual; two members here.
        let mut gz = Vec::new();
        for part in [&data[..data.len() / 2], &data[data.len() / 2..]] {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(part).expect("gzip");
            gz.extend(enc.finish().expect("gzip"));
        }
        let records = html_records(&gz);
        let ids: Vec<&str> = records.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "ex.fr_actualites_page_id_3.html",
                "ex.fr_actualites_page_id_3-2.html"
            ]
        );
        assert_eq!(records[1].3.as_slice(), html);
    }

    #[test]
    fn garbage_and_truncation() {
        assert!(html_records(b"").is_empty());
        assert!(html_records(b"WARC/1.0\r\nContent-Length: 99999999999\r\n\r\nabc").is_empty());
        let data = archive();
        let cut = &data[..data.len() - 40];
        assert_eq!(html_records(cut).len(), 1);
        assert!(html_records(&[0x1f, 0x8b, 0, 1, 2]).is_empty());
    }
}
