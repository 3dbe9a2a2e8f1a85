//! Fonts: how the bytes of a shown string split into codes, what text each code stands for and
//! how wide its glyph is. Fonts are parsed once per document ([`FontCache`]).

use super::cmap::{EncodingCMap, ToUnicode, code_of};
use super::glyphs::{BaseEncoding, glyph_name_to_unicode, normalize_glyph_text};
use super::std14;
use lopdf::{Dictionary, Document, Object, ObjectId};
// FxHash: these maps are looked up per word, glyph or element; SipHash was a visible cost.
use rustc_hash::FxHashMap as HashMap;

/// One decoded code: its text (ligatures expanded) and advance width in text space (em units).
#[derive(Debug, Clone, Default)]
pub struct CodeInfo {
    pub text: Box<str>,
    pub width: f32,
}

#[derive(Debug)]
enum Kind {
    /// One byte per code; the 256 codes are decoded when the font is parsed.
    Simple(Vec<CodeInfo>),
    /// Type0: codes split by the encoding CMap, decoded lazily and memoised.
    Composite(Box<Composite>),
}

#[derive(Debug)]
struct Composite {
    encoding: EncodingCMap,
    /// `*-UCS2-*` / `*-UTF16-*` CMaps: the code is the Unicode value.
    ucs2: bool,
    widths: CidWidths,
    to_unicode: Option<ToUnicode>,
    decoded: HashMap<u32, CodeInfo>,
}

#[derive(Debug, Default)]
struct CidWidths {
    default: f32,
    singles: HashMap<u32, f32>,
    /// (first CID, last CID, width)
    ranges: Vec<(u32, u32, f32)>,
}

impl CidWidths {
    fn get(&self, cid: u32) -> f32 {
        if let Some(w) = self.singles.get(&cid) {
            return *w;
        }
        self.ranges
            .iter()
            .find(|(lo, hi, _)| *lo <= cid && cid <= *hi)
            .map(|r| r.2)
            .unwrap_or(self.default)
    }
}

/// A parsed font.
#[derive(Debug)]
pub struct Font {
    pub bold: bool,
    kind: Kind,
}

/// Problems met while parsing fonts are not fatal: the glyphs still get positions.
fn dict_get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let obj = dict.get(key).ok()?;
    doc.dereference(obj).ok().map(|(_, o)| o)
}

fn as_number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, obj: &Object, limit: usize) -> Option<Vec<u8>> {
    let (_, obj) = doc.dereference(obj).ok()?;
    obj.as_stream()
        .ok()?
        .get_plain_content_with_limit(limit)
        .ok()
}

fn strip_subset(name: &str) -> &str {
    match name.split_once('+') {
        Some((prefix, rest))
            if prefix.len() == 6 && prefix.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            rest
        }
        _ => name,
    }
}

impl Font {
    /// Parses a font dictionary. Never fails: whatever is missing gets a default.
    pub fn parse(doc: &Document, dict: &Dictionary, max_stream_bytes: usize) -> Font {
        let base_font = dict_get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let name = strip_subset(&base_font).to_string();
        let subtype = dict_get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or_default()
            .to_vec();
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o, max_stream_bytes))
            .map(|data| ToUnicode::parse(&data))
            .filter(|cmap| !cmap.is_empty());
        let lower = name.to_ascii_lowercase();
        let descriptor_flags = descriptor(doc, dict)
            .and_then(|d| dict_get(doc, d, b"Flags"))
            .and_then(as_number)
            .unwrap_or(0.0) as u32;
        let bold = lower.contains("bold")
            || lower.contains("black")
            || lower.contains("heavy")
            || descriptor(doc, dict)
                .and_then(|d| dict_get(doc, d, b"FontWeight"))
                .and_then(as_number)
                .is_some_and(|w| w >= 600.0)
            || descriptor_flags & (1 << 18) != 0;
        let kind = if subtype == b"Type0" {
            parse_composite(doc, dict, to_unicode, max_stream_bytes)
        } else {
            parse_simple(doc, dict, &subtype, &name, to_unicode.as_ref())
        };
        Font { bold, kind }
    }

    /// Splits `bytes` into codes and calls `each(code info, is_single_byte_space)` per code
    /// (word spacing applies to single-byte code 32 only).
    pub fn decode(&mut self, bytes: &[u8], mut each: impl FnMut(&CodeInfo, bool)) {
        match &mut self.kind {
            Kind::Simple(table) => {
                for &b in bytes {
                    if let Some(info) = table.get(usize::from(b)) {
                        each(info, b == 32);
                    }
                }
            }
            Kind::Composite(composite) => {
                let Composite {
                    encoding,
                    ucs2,
                    widths,
                    to_unicode,
                    decoded,
                } = composite.as_mut();
                let mut pos = 0usize;
                while pos < bytes.len() {
                    let rest = bytes.get(pos..).unwrap_or_default();
                    let len = encoding.code_length(rest).max(1);
                    let code_bytes = rest.get(..len).unwrap_or(rest);
                    pos += len;
                    let code = code_of(code_bytes);
                    let info = decoded.entry(code).or_insert_with(|| {
                        let text = to_unicode
                            .as_ref()
                            .and_then(|m| m.lookup(code))
                            .or_else(|| {
                                if *ucs2 {
                                    char::from_u32(code).map(String::from)
                                } else {
                                    None
                                }
                            })
                            .unwrap_or_default();
                        let width = widths.get(encoding.cid(code)) / 1000.0;
                        CodeInfo {
                            text: normalize_glyph_text(&text).into(),
                            width,
                        }
                    });
                    each(info, len == 1 && code == 32);
                }
            }
        }
    }
}

fn descriptor<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    if let Some(desc) = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok()) {
        return Some(desc);
    }
    // Type0: the descriptor lives in the descendant CIDFont.
    let descendant = dict_get(doc, dict, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())?;
    dict_get(doc, descendant, b"FontDescriptor").and_then(|o| o.as_dict().ok())
}

fn parse_simple(
    doc: &Document,
    dict: &Dictionary,
    subtype: &[u8],
    name: &str,
    to_unicode: Option<&ToUnicode>,
) -> Kind {
    // Glyph names per code: base encoding, then /Differences.
    let encoding_obj = dict_get(doc, dict, b"Encoding");
    let lower = name.to_ascii_lowercase();
    let builtin = if lower.contains("symbol") {
        BaseEncoding::Symbol
    } else if lower.contains("dingbat") {
        BaseEncoding::ZapfDingbats
    } else if subtype == b"TrueType" {
        BaseEncoding::WinAnsi
    } else {
        BaseEncoding::Standard
    };
    let base = match encoding_obj {
        Some(Object::Name(n)) => BaseEncoding::from_name(n).unwrap_or(builtin),
        Some(Object::Dictionary(d)) => dict_get(doc, d, b"BaseEncoding")
            .and_then(|o| o.as_name().ok())
            .and_then(BaseEncoding::from_name)
            .unwrap_or(builtin),
        _ => builtin,
    };
    let mut names: Vec<String> = (0..=255u8)
        .map(|c| base.glyph_name(c).to_string())
        .collect();
    if let Some(Object::Dictionary(d)) = encoding_obj
        && let Some(Object::Array(diffs)) = dict_get(doc, d, b"Differences")
    {
        let mut code: i64 = 0;
        for item in diffs {
            match item {
                Object::Integer(i) => code = *i,
                Object::Name(n) => {
                    if let Some(slot) = usize::try_from(code).ok().and_then(|c| names.get_mut(c)) {
                        *slot = String::from_utf8_lossy(n).into_owned();
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }

    // Widths: /Widths from /FirstChar, else the standard-14 metrics.
    let first_char = dict_get(doc, dict, b"FirstChar")
        .and_then(as_number)
        .unwrap_or(0.0) as i64;
    let widths: Vec<f32> = dict_get(doc, dict, b"Widths")
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .map(|o| {
                    doc.dereference(o)
                        .ok()
                        .and_then(|(_, o)| as_number(o))
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .unwrap_or_default();
    let missing_width = descriptor(doc, dict)
        .and_then(|d| dict_get(doc, d, b"MissingWidth"))
        .and_then(as_number);
    let metrics = if widths.is_empty() {
        Some(std14::metrics_for(name))
    } else {
        None
    };
    // Type3 glyph widths are in glyph space, scaled by /FontMatrix.
    let scale = if subtype == b"Type3" {
        dict_get(doc, dict, b"FontMatrix")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(as_number)
            .filter(|s| s.is_finite() && *s != 0.0)
            .unwrap_or(0.001)
    } else {
        0.001
    };

    let table = names
        .iter()
        .enumerate()
        .map(|(code, glyph)| {
            let code_u32 = code as u32;
            let from_cmap = to_unicode
                .and_then(|m| m.lookup(code_u32))
                .filter(|t| !t.is_empty() && t != "\0");
            let text = from_cmap
                .or_else(|| glyph_name_to_unicode(glyph))
                .unwrap_or_default();
            let index = code as i64 - first_char;
            let width = usize::try_from(index)
                .ok()
                .and_then(|i| widths.get(i).copied())
                .or_else(|| metrics.and_then(|m| std14::width(m, glyph)))
                .or(missing_width)
                .unwrap_or(if metrics.is_some() || widths.is_empty() {
                    500.0
                } else {
                    0.0
                });
            CodeInfo {
                text: normalize_glyph_text(&text).into(),
                width: width * scale,
            }
        })
        .collect();
    Kind::Simple(table)
}

fn parse_composite(
    doc: &Document,
    dict: &Dictionary,
    to_unicode: Option<ToUnicode>,
    max_stream_bytes: usize,
) -> Kind {
    let (encoding, ucs2) = match dict_get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            let name = String::from_utf8_lossy(n);
            let ucs2 = name.contains("UCS2") || name.contains("UTF16");
            (EncodingCMap::identity(), ucs2)
        }
        Some(obj @ Object::Stream(_)) => {
            let cmap = stream_bytes(doc, obj, max_stream_bytes)
                .map(|d| EncodingCMap::parse(&d))
                .unwrap_or_else(EncodingCMap::identity);
            (cmap, false)
        }
        _ => (EncodingCMap::identity(), false),
    };
    let descendant = dict_get(doc, dict, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let mut widths = CidWidths {
        default: 1000.0,
        ..CidWidths::default()
    };
    if let Some(desc) = descendant {
        if let Some(dw) = dict_get(doc, desc, b"DW").and_then(as_number) {
            widths.default = dw;
        }
        if let Some(Object::Array(w)) = dict_get(doc, desc, b"W") {
            let items: Vec<&Object> = w
                .iter()
                .filter_map(|o| doc.dereference(o).ok().map(|(_, o)| o))
                .collect();
            let mut i = 0usize;
            while i < items.len() {
                let Some(first) = items.get(i).and_then(|o| as_number(o)) else {
                    i += 1;
                    continue;
                };
                let first = first as u32;
                match items.get(i + 1) {
                    Some(Object::Array(list)) => {
                        for (k, o) in list.iter().enumerate() {
                            if let Some(width) =
                                doc.dereference(o).ok().and_then(|(_, o)| as_number(o))
                            {
                                widths.singles.insert(first.saturating_add(k as u32), width);
                            }
                        }
                        i += 2;
                    }
                    Some(last) => {
                        if let (Some(last), Some(width)) =
                            (as_number(last), items.get(i + 2).and_then(|o| as_number(o)))
                        {
                            widths.ranges.push((first, last as u32, width));
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
        }
    }
    Kind::Composite(Box::new(Composite {
        encoding,
        ucs2,
        widths,
        to_unicode,
        decoded: HashMap::default(),
    }))
}

/// Identity of a font dictionary: its object id, or for a dictionary written inline, its
/// address (stable while the document is borrowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontKey {
    Object(ObjectId),
    Inline(usize),
}

/// Fonts of one document, parsed on first use.
#[derive(Debug, Default)]
pub struct FontCache {
    index: HashMap<FontKey, usize>,
    pub fonts: Vec<Font>,
}

impl FontCache {
    /// Index of the font for `key`, parsing `dict` the first time.
    pub fn get_or_parse(
        &mut self,
        key: FontKey,
        doc: &Document,
        dict: &Dictionary,
        max_stream_bytes: usize,
    ) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.fonts.len();
        self.fonts.push(Font::parse(doc, dict, max_stream_bytes));
        self.index.insert(key, i);
        i
    }
}
