//! Glyph names and base encodings: what Unicode text a glyph name stands for.

use super::tables::{encodings, glyph_names::GLYPH_NAMES};

/// A simple font's built-in or named base encoding (code -> glyph name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    MacExpert,
    PdfDoc,
    Symbol,
    ZapfDingbats,
}

impl BaseEncoding {
    /// The encoding named by a PDF `/Encoding` or `/BaseEncoding` name.
    pub fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"MacExpertEncoding" => Some(BaseEncoding::MacExpert),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            _ => None,
        }
    }

    /// Glyph name of `code`, `""` when the encoding has none.
    pub fn glyph_name(self, code: u8) -> &'static str {
        let table = match self {
            BaseEncoding::Standard => &encodings::STANDARD,
            BaseEncoding::WinAnsi => &encodings::WIN_ANSI,
            BaseEncoding::MacRoman => &encodings::MAC_ROMAN,
            BaseEncoding::MacExpert => &encodings::MAC_EXPERT,
            BaseEncoding::PdfDoc => &encodings::PDF_DOC,
            BaseEncoding::Symbol => &encodings::SYMBOL,
            BaseEncoding::ZapfDingbats => &encodings::ZAPF_DINGBATS,
        };
        table[usize::from(code)]
    }
}

/// Unicode text of a glyph name: Adobe Glyph List names, `uniXXXX[YYYY...]`, `uXXXX[XX]`,
/// ligature names joined by `_` (`f_f_i`), and variant suffixes (`a.sc`). `None` for names
/// that carry no text (`g123`, `cid42`, `.notdef`).
pub fn glyph_name_to_unicode(name: &str) -> Option<String> {
    // Suffixes after '.' name variants of the same glyph ("fi.alt", "one.oldstyle").
    let base = match name.find('.') {
        Some(0) => return None,
        Some(dot) => &name[..dot],
        None => name,
    };
    if base.contains('_') {
        let mut out = String::new();
        for part in base.split('_') {
            out.push_str(&single_name_to_unicode(part)?);
        }
        return Some(out);
    }
    single_name_to_unicode(base)
}

fn single_name_to_unicode(name: &str) -> Option<String> {
    if let Ok(idx) = GLYPH_NAMES.binary_search_by(|(n, _)| (*n).cmp(name)) {
        return GLYPH_NAMES.get(idx).map(|(_, c)| c.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni")
        && !hex.is_empty()
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let mut out = String::new();
        for chunk in hex.as_bytes().chunks(4) {
            let digits = std::str::from_utf8(chunk).ok()?;
            let value = u32::from_str_radix(digits, 16).ok()?;
            out.push(char::from_u32(value)?);
        }
        return Some(out);
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let value = u32::from_str_radix(hex, 16).ok()?;
        return char::from_u32(value).map(|c| c.to_string());
    }
    None
}

/// Expands typographic ligatures (U+FB00..U+FB06) into their letters, maps a soft hyphen drawn
/// as a glyph to a hyphen, and drops NUL and other control characters that carry no text.
pub fn normalize_glyph_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' => out.push('-'),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_through_the_glyph_list_and_uni_forms() {
        assert_eq!(glyph_name_to_unicode("eacute").as_deref(), Some("é"));
        assert_eq!(glyph_name_to_unicode("uni00E9").as_deref(), Some("é"));
        assert_eq!(glyph_name_to_unicode("uni00660069").as_deref(), Some("fi"));
        assert_eq!(glyph_name_to_unicode("u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_name_to_unicode("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_name_to_unicode("a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_unicode("g42"), None);
        assert_eq!(glyph_name_to_unicode(".notdef"), None);
        assert_eq!(normalize_glyph_text("\u{FB01}n\u{FB03}"), "finffi");
    }

    #[test]
    fn base_encodings_name_their_glyphs() {
        assert_eq!(BaseEncoding::WinAnsi.glyph_name(0xE9), "eacute");
        assert_eq!(BaseEncoding::WinAnsi.glyph_name(0x80), "Euro");
        assert_eq!(BaseEncoding::Standard.glyph_name(0xAE), "fi");
        assert_eq!(BaseEncoding::MacRoman.glyph_name(0x8E), "eacute");
    }
}
