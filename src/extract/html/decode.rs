//! Charset decoding of an HTML byte stream, after the WHATWG "encoding sniffing algorithm":
//! BOM, then the transport-layer charset (HTTP header, e.g. from a WARC record), then the
//! `<meta charset>` / `http-equiv=content-type` prescan of the first 1024 bytes, then
//! statistical sniffing with `chardetng`.

use encoding_rs::Encoding;

/// How many bytes the `<meta>` prescan looks at (WHATWG: 1024).
const PRESCAN_BYTES: usize = 1024;

/// Where the chosen encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Transport,
    Meta,
    /// The declaration said otherwise, but the bytes are valid UTF-8 with multi-byte sequences.
    Utf8OverDeclared,
    Sniffed,
}

/// A decoded page.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: EncodingSource,
    /// Malformed byte sequences were replaced by U+FFFD.
    pub had_errors: bool,
    /// C0/C1 control characters (other than whitespace) were removed.
    pub removed_controls: usize,
}

impl Decoded {
    /// WHATWG name of the encoding, lower case ("utf-8", "windows-1252").
    pub fn encoding_name(&self) -> String {
        self.encoding.name().to_ascii_lowercase()
    }
}

/// Decodes `bytes`; `transport_charset` is the `charset` parameter of an HTTP `Content-Type`.
pub fn decode(bytes: &[u8], transport_charset: Option<&str>) -> Decoded {
    let (encoding, source, body) = choose_encoding(bytes, transport_charset);
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let mut text = text.into_owned();
    let removed_controls = remove_controls(&mut text);
    Decoded {
        text,
        encoding,
        source,
        had_errors,
        removed_controls,
    }
}

/// Picks the encoding and returns the bytes to decode (without the BOM).
fn choose_encoding<'a>(
    bytes: &'a [u8],
    transport_charset: Option<&str>,
) -> (&'static Encoding, EncodingSource, &'a [u8]) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (
            encoding,
            EncodingSource::Bom,
            bytes.get(bom_len..).unwrap_or_default(),
        );
    }
    let declared = transport_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(|enc| (enc, EncodingSource::Transport))
        .or_else(|| prescan(bytes).map(|enc| (enc, EncodingSource::Meta)));
    if let Some((encoding, source)) = declared {
        let encoding = html_compatible(encoding);
        // Pages very often declare a legacy charset while their bytes are UTF-8 (templates
        // saved as UTF-8, header left as ISO-8859-1). Legacy single-byte text almost never forms
        // valid multi-byte UTF-8, so valid UTF-8 with non-ASCII bytes wins.
        if encoding != encoding_rs::UTF_8 && is_multibyte_utf8(bytes) {
            return (encoding_rs::UTF_8, EncodingSource::Utf8OverDeclared, bytes);
        }
        return (encoding, source, bytes);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (encoding_rs::UTF_8, EncodingSource::Sniffed, bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    (html_compatible(guess), EncodingSource::Sniffed, bytes)
}

/// WHATWG: a `<meta>` declaring UTF-16 means UTF-8 (the bytes are ASCII-compatible, or the
/// prescan would not have read them); `x-user-defined` means windows-1252.
fn html_compatible(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else if encoding == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        encoding
    }
}

fn is_multibyte_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Removes control characters other than tab, newline, carriage return and form feed: C0
/// controls and the C1 range U+0080..U+009F (in HTML those can only come from bytes that the
/// declared encoding leaves undefined).
fn remove_controls(text: &mut String) -> usize {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r' | '\u{c}');
    // Fast path on bytes: C0 controls and DEL are single bytes, C1 controls are 0xC2 0x80..0x9F.
    // Chunks are tested without branching (the compiler vectorises the fold); only a chunk
    // with a candidate byte is read closely (0xC2 also starts common characters: no-break space,
    // guillemets).
    let bytes = text.as_bytes();
    let suspicious = bytes.chunks(256).enumerate().any(|(n, chunk)| {
        let candidate = chunk.iter().fold(false, |seen, &b| {
            seen | (b < 0x20) & (b != b'\n') & (b != b'\t') & (b != b'\r') & (b != 0x0c)
                | (b == 0x7f)
                | (b == 0xc2)
        });
        candidate
            && chunk.iter().enumerate().any(|(i, &b)| {
                (b < 0x20 && !matches!(b, b'\n' | b'\t' | b'\r' | 0x0c))
                    || b == 0x7f
                    || (b == 0xc2
                        && bytes
                            .get(n * 256 + i + 1)
                            .is_some_and(|next| (0x80..=0x9f).contains(next)))
            })
    });
    if !suspicious {
        return 0;
    }
    let count = text.chars().filter(|&c| is_bad(c)).count();
    if count > 0 {
        text.retain(|c| !is_bad(c));
    }
    count
}

/// The `<meta>` prescan: finds `<meta charset=…>` or `<meta http-equiv=content-type
/// content="…charset=…">` in the first 1024 bytes, skipping comments.
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..PRESCAN_BYTES.min(bytes.len()))?;
    let mut pos = 0;
    while pos < head.len() {
        let rest = head.get(pos..)?;
        if rest.starts_with(b"<!--") {
            pos += find(rest, b"-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        if rest.len() > 5
            && rest.get(..5)?.eq_ignore_ascii_case(b"<meta")
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            let (attrs, consumed) = parse_attributes(rest.get(5..)?);
            pos += 5 + consumed;
            if let Some(encoding) = meta_encoding(&attrs) {
                return Some(encoding);
            }
            continue;
        }
        pos += 1;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The encoding declared by one `<meta>` tag's attributes, if any.
fn meta_encoding(attrs: &[(String, String)]) -> Option<&'static Encoding> {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(label) = get("charset") {
        return Encoding::for_label(label.trim().as_bytes());
    }
    let is_content_type = get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
    if is_content_type {
        return get("content").and_then(charset_from_content_type);
    }
    None
}

/// The `charset=` parameter of a Content-Type value (`text/html; charset="utf-8"`).
pub fn charset_from_content_type(value: &str) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(rest.get(..end)?.as_bytes())
}

/// Parses the attributes of a tag (after its name) up to `>`; returns lower-cased names and
/// raw values, and the number of bytes consumed.
fn parse_attributes(bytes: &[u8]) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let mut pos = 0;
    // Each iteration consumes at least one byte, so the loop ends.
    while pos < bytes.len() {
        let Some(&b) = bytes.get(pos) else { break };
        if b == b'>' {
            return (attrs, pos + 1);
        }
        if b.is_ascii_whitespace() || b == b'/' {
            pos += 1;
            continue;
        }
        let name_start = pos;
        while bytes
            .get(pos)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
        {
            pos += 1;
        }
        let name = String::from_utf8_lossy(bytes.get(name_start..pos).unwrap_or_default())
            .to_ascii_lowercase();
        while bytes.get(pos).is_some_and(|c| c.is_ascii_whitespace()) {
            pos += 1;
        }
        let mut value = String::new();
        if bytes.get(pos) == Some(&b'=') {
            pos += 1;
            while bytes.get(pos).is_some_and(|c| c.is_ascii_whitespace()) {
                pos += 1;
            }
            match bytes.get(pos) {
                Some(&quote @ (b'"' | b'\'')) => {
                    pos += 1;
                    let start = pos;
                    while bytes.get(pos).is_some_and(|&c| c != quote) {
                        pos += 1;
                    }
                    value = String::from_utf8_lossy(bytes.get(start..pos).unwrap_or_default())
                        .into_owned();
                    pos += 1;
                }
                _ => {
                    let start = pos;
                    while bytes
                        .get(pos)
                        .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                    {
                        pos += 1;
                    }
                    value = String::from_utf8_lossy(bytes.get(start..pos).unwrap_or_default())
                        .into_owned();
                }
            }
        }
        if name.is_empty() {
            pos += 1;
        } else {
            attrs.push((name, value));
        }
    }
    (attrs, pos.min(bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_meta() {
        let bytes = b"\xef\xbb\xbf<meta charset=iso-8859-1><p>\xc3\xa9</p>";
        let decoded = decode(bytes, None);
        assert_eq!(decoded.encoding_name(), "utf-8");
        assert_eq!(decoded.source, EncodingSource::Bom);
        assert!(decoded.text.contains("<p>é</p>"));
    }

    #[test]
    fn controls_are_found_anywhere_and_common_characters_kept() {
        for at in [0, 1, 254, 255, 256, 257, 511, 600] {
            let mut text = "a".repeat(700);
            text.insert(at, '\u{1}');
            assert_eq!(remove_controls(&mut text), 1, "control at {at}");
            assert_eq!(text, "a".repeat(700));
            // A C1 control whose two bytes straddle a chunk border.
            let mut text = "a".repeat(700);
            text.insert(at, '\u{85}');
            assert_eq!(remove_controls(&mut text), 1, "C1 control at {at}");
        }
        let mut french = "« Bonjour », dit-il\u{a0}: 20\u{b0}.\n\tFin\r\n".repeat(40);
        let before = french.clone();
        assert_eq!(remove_controls(&mut french), 0);
        assert_eq!(french, before);
    }

    #[test]
    fn meta_http_equiv_latin1_is_windows_1252() {
        let bytes = b"<html><head><!-- <meta charset=utf-8> --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><p>caf\xe9 \x85 \x80 \x81</p>";
        let decoded = decode(bytes, None);
        assert_eq!(decoded.encoding_name(), "windows-1252");
        assert_eq!(decoded.source, EncodingSource::Meta);
        assert!(decoded.text.contains("café … €"));
        // 0x81 is undefined in windows-1252: it would be U+0081, a C1 control.
        assert_eq!(decoded.removed_controls, 1);
        assert!(
            !decoded
                .text
                .chars()
                .any(|c| ('\u{80}'..='\u{9f}').contains(&c))
        );
    }

    #[test]
    fn meta_charset_attribute() {
        assert_eq!(
            prescan(b"<!doctype html><META CHARSET='Shift_JIS'>"),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(prescan(b"<meta name=x content=y>"), None);
    }

    #[test]
    fn transport_charset_before_meta() {
        let decoded = decode(b"<meta charset=utf-8><p>\xe9t\xe9</p>", Some("latin1"));
        assert_eq!(decoded.encoding_name(), "windows-1252");
        assert!(decoded.text.contains("été"));
    }

    #[test]
    fn declared_latin1_but_utf8_bytes() {
        let decoded = decode("<meta charset=iso-8859-1><p>été</p>".as_bytes(), None);
        assert_eq!(decoded.encoding_name(), "utf-8");
        assert!(decoded.text.contains("été"));
    }

    #[test]
    fn undeclared_legacy_bytes_are_sniffed() {
        let bytes = b"<p>Les d\xe9l\xe9gu\xe9s se sont r\xe9unis \xe0 Strasbourg pour l'\xe9t\xe9 prochain, apr\xe8s la r\xe9union g\xe9n\xe9rale.</p>";
        let decoded = decode(bytes, None);
        assert_eq!(decoded.encoding_name(), "windows-1252");
        assert!(decoded.text.contains("délégués"));
    }
}
