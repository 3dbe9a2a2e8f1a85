//! CMaps: `/ToUnicode` (code -> text) and embedded `/Encoding` CMaps of composite fonts
//! (code splitting by codespace ranges, code -> CID).
//!
//! Ranges are kept as ranges and looked up on demand: tesseract's `GlyphLessFont` maps
//! `<0000> <FFFF>` in one line, and expanding it eagerly costs ~100 ms per font.

// FxHash: these maps are looked up per word, glyph or element; SipHash was a visible cost.
use rustc_hash::FxHashMap as HashMap;

/// A lexical token of a CMap (a small PostScript subset).
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Name(&'a [u8]),
    Int(i64),
    Word(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn is_delimiter(b: u8) -> bool {
        b.is_ascii_whitespace() || b"[]<>(){}/%".contains(&b)
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.peek()?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let b = self.peek()?;
        match b {
            b'[' => {
                self.pos += 1;
                Some(Token::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Some(Token::ArrayEnd)
            }
            b'<' => {
                self.pos += 1;
                if self.peek() == Some(b'<') {
                    self.pos += 1;
                    return Some(Token::Other);
                }
                let mut digits = Vec::new();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    if let Some(v) = (c as char).to_digit(16) {
                        digits.push(v as u8);
                    }
                }
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                Some(Token::Hex(
                    digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect(),
                ))
            }
            b'>' => {
                self.pos += 1;
                if self.peek() == Some(b'>') {
                    self.pos += 1;
                }
                Some(Token::Other)
            }
            b'(' => {
                // Literal strings only appear in CMap headers; skip them with nesting.
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Some(Token::Other)
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if Self::is_delimiter(c) {
                        break;
                    }
                    self.pos += 1;
                }
                Some(Token::Name(
                    self.data.get(start..self.pos).unwrap_or_default(),
                ))
            }
            b'{' | b'}' | b')' => {
                self.pos += 1;
                Some(Token::Other)
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if Self::is_delimiter(c) {
                        break;
                    }
                    self.pos += 1;
                }
                let word = self.data.get(start..self.pos).unwrap_or_default();
                if word.is_empty() {
                    self.pos += 1;
                    return Some(Token::Other);
                }
                match std::str::from_utf8(word)
                    .ok()
                    .and_then(|s| s.parse::<i64>().ok())
                {
                    Some(v) => Some(Token::Int(v)),
                    None => Some(Token::Word(word)),
                }
            }
        }
    }
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

fn utf16_text(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| match p {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            [single] => u16::from(*single),
            _ => 0,
        })
        .collect();
    String::from_utf16_lossy(&units)
}

#[derive(Debug, Clone)]
enum RangeTarget {
    /// Text of the first code as UTF-16 units; later codes increment the last unit.
    Offset(Vec<u16>),
    /// One text per code.
    Array(Vec<String>),
}

#[derive(Debug, Clone)]
struct UnicodeRange {
    lo: u32,
    hi: u32,
    target: RangeTarget,
}

/// A parsed `/ToUnicode` CMap.
#[derive(Debug, Clone, Default)]
pub struct ToUnicode {
    singles: HashMap<u32, String>,
    /// Sorted by `lo`.
    ranges: Vec<UnicodeRange>,
}

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let mut cmap = ToUnicode::default();
        let mut lexer = Lexer::new(data);
        let mut section: Option<&[u8]> = None;
        let mut pending: Vec<Token> = Vec::new();
        let mut array: Option<Vec<String>> = None;
        while let Some(token) = lexer.next_token() {
            match token {
                Token::Word(b"beginbfchar") => section = Some(b"bfchar"),
                Token::Word(b"beginbfrange") => section = Some(b"bfrange"),
                Token::Word(b"endbfchar") | Token::Word(b"endbfrange") => {
                    section = None;
                    pending.clear();
                }
                Token::ArrayStart if section == Some(b"bfrange") => array = Some(Vec::new()),
                Token::ArrayEnd => {
                    if let (Some(items), [Token::Hex(lo), Token::Hex(hi)]) =
                        (array.take(), pending.as_slice())
                    {
                        let (lo, hi) = (code_value(lo), code_value(hi));
                        if hi >= lo {
                            cmap.ranges.push(UnicodeRange {
                                lo,
                                hi,
                                target: RangeTarget::Array(items),
                            });
                        }
                    }
                    pending.clear();
                }
                Token::Hex(bytes) if array.is_some() => {
                    if let Some(items) = array.as_mut() {
                        items.push(utf16_text(&bytes));
                    }
                }
                Token::Name(name) if array.is_some() => {
                    if let Some(items) = array.as_mut() {
                        let text = std::str::from_utf8(name)
                            .ok()
                            .and_then(super::glyphs::glyph_name_to_unicode)
                            .unwrap_or_default();
                        items.push(text);
                    }
                }
                tok @ (Token::Hex(_) | Token::Name(_)) if section.is_some() => {
                    pending.push(tok);
                    cmap.take_entry(section.unwrap_or_default(), &mut pending);
                }
                _ => {}
            }
        }
        cmap.ranges.sort_by_key(|r| r.lo);
        cmap
    }

    fn take_entry(&mut self, section: &[u8], pending: &mut Vec<Token>) {
        let dst_text = |tok: &Token| -> Option<String> {
            match tok {
                Token::Hex(bytes) => Some(utf16_text(bytes)),
                Token::Name(name) => std::str::from_utf8(name)
                    .ok()
                    .and_then(super::glyphs::glyph_name_to_unicode),
                _ => None,
            }
        };
        match (section, pending.as_slice()) {
            (b"bfchar", [Token::Hex(src), dst]) => {
                if let Some(text) = dst_text(dst) {
                    self.singles.insert(code_value(src), text);
                }
                pending.clear();
            }
            (b"bfrange", [Token::Hex(lo), Token::Hex(hi), dst]) => {
                let (lo, hi) = (code_value(lo), code_value(hi));
                if hi >= lo {
                    let target = match dst {
                        Token::Hex(bytes) => Some(RangeTarget::Offset(
                            bytes
                                .chunks(2)
                                .map(|p| match p {
                                    [a, b] => u16::from_be_bytes([*a, *b]),
                                    [a] => u16::from(*a),
                                    _ => 0,
                                })
                                .collect(),
                        )),
                        _ => dst_text(dst).map(|t| RangeTarget::Array(vec![t])),
                    };
                    if let Some(target) = target {
                        self.ranges.push(UnicodeRange { lo, hi, target });
                    }
                }
                pending.clear();
            }
            (_, p) if p.len() >= 3 => pending.clear(),
            _ => {}
        }
    }

    /// Text of `code`, if the CMap maps it.
    pub fn lookup(&self, code: u32) -> Option<String> {
        if let Some(text) = self.singles.get(&code) {
            return Some(text.clone());
        }
        let idx = self.ranges.partition_point(|r| r.lo <= code);
        // Ranges may overlap; look back a few for one that contains the code.
        for range in self.ranges[..idx].iter().rev().take(16) {
            if code > range.hi {
                continue;
            }
            let offset = code - range.lo;
            return match &range.target {
                RangeTarget::Offset(units) => {
                    let mut units = units.clone();
                    let last = units.last_mut()?;
                    *last = last.wrapping_add(u16::try_from(offset).ok()?);
                    Some(String::from_utf16_lossy(&units))
                }
                RangeTarget::Array(items) => items.get(usize::try_from(offset).ok()?).cloned(),
            };
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.singles.is_empty() && self.ranges.is_empty()
    }
}

/// Codespace ranges and the code -> CID map of a composite font's encoding CMap.
#[derive(Debug, Clone, Default)]
pub struct EncodingCMap {
    /// (byte length, low, high)
    pub codespace: Vec<(usize, u32, u32)>,
    /// (low, high, first CID), sorted by low.
    cid_ranges: Vec<(u32, u32, u32)>,
    cid_singles: HashMap<u32, u32>,
}

impl EncodingCMap {
    /// Identity-H / Identity-V: two-byte codes, CID = code.
    pub fn identity() -> Self {
        EncodingCMap {
            codespace: vec![(2, 0, 0xFFFF)],
            cid_ranges: vec![(0, 0xFFFF, 0)],
            cid_singles: HashMap::default(),
        }
    }

    pub fn parse(data: &[u8]) -> Self {
        let mut cmap = EncodingCMap::default();
        let mut lexer = Lexer::new(data);
        let mut section: &[u8] = b"";
        let mut pending: Vec<Token> = Vec::new();
        while let Some(token) = lexer.next_token() {
            match token {
                Token::Word(b"begincodespacerange") => section = b"codespace",
                Token::Word(b"begincidrange") => section = b"cidrange",
                Token::Word(b"begincidchar") => section = b"cidchar",
                Token::Word(w) if w.starts_with(b"end") => {
                    section = b"";
                    pending.clear();
                }
                tok @ (Token::Hex(_) | Token::Int(_)) if !section.is_empty() => {
                    pending.push(tok);
                    match (section, pending.as_slice()) {
                        (b"codespace", [Token::Hex(lo), Token::Hex(hi)]) => {
                            if !lo.is_empty() && lo.len() <= 4 {
                                cmap.codespace
                                    .push((lo.len(), code_value(lo), code_value(hi)));
                            }
                            pending.clear();
                        }
                        (b"cidrange", [Token::Hex(lo), Token::Hex(hi), Token::Int(cid)]) => {
                            if let Ok(cid) = u32::try_from(*cid) {
                                cmap.cid_ranges.push((code_value(lo), code_value(hi), cid));
                            }
                            pending.clear();
                        }
                        (b"cidchar", [Token::Hex(code), Token::Int(cid)]) => {
                            if let Ok(cid) = u32::try_from(*cid) {
                                cmap.cid_singles.insert(code_value(code), cid);
                            }
                            pending.clear();
                        }
                        (_, p) if p.len() >= 3 => pending.clear(),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        if cmap.codespace.is_empty() {
            cmap.codespace.push((2, 0, 0xFFFF));
        }
        cmap.cid_ranges.sort_by_key(|r| r.0);
        cmap
    }

    /// Length in bytes of the code that starts `bytes`.
    pub fn code_length(&self, bytes: &[u8]) -> usize {
        for len in 1..=4usize {
            let Some(prefix) = bytes.get(..len) else {
                break;
            };
            let value = code_value(prefix);
            if self
                .codespace
                .iter()
                .any(|&(l, lo, hi)| l == len && lo <= value && value <= hi)
            {
                return len;
            }
        }
        // No range matches: take the shortest declared length (at least one byte).
        self.codespace
            .iter()
            .map(|&(l, _, _)| l)
            .min()
            .unwrap_or(2)
            .clamp(1, bytes.len().max(1))
    }

    pub fn cid(&self, code: u32) -> u32 {
        if let Some(cid) = self.cid_singles.get(&code) {
            return *cid;
        }
        let idx = self.cid_ranges.partition_point(|r| r.0 <= code);
        for &(lo, hi, first) in self.cid_ranges[..idx].iter().rev().take(16) {
            if code <= hi {
                return first.saturating_add(code - lo);
            }
        }
        0
    }
}

pub(crate) fn code_of(bytes: &[u8]) -> u32 {
    code_value(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_reads_bfchar_bfrange_and_arrays_lazily() {
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar\n\
              2 beginbfrange <0000> <FFFF> <0000> <0100> <0102> [<00E9> <00E8> <0153>] endbfrange\n\
              endcmap",
        );
        assert_eq!(cmap.lookup(3).as_deref(), Some(" "));
        assert_eq!(cmap.lookup(0x11).as_deref(), Some("fi"));
        assert_eq!(cmap.lookup(0x41).as_deref(), Some("A"));
        assert_eq!(cmap.lookup(0x101).as_deref(), Some("è"));
        assert_eq!(cmap.lookup(0xE9).as_deref(), Some("é"));
    }

    #[test]
    fn encoding_cmap_splits_codes_by_codespace() {
        let cmap = EncodingCMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange\n\
              1 begincidrange <8140> <817E> 633 endcidrange",
        );
        assert_eq!(cmap.code_length(&[0x41, 0x42]), 1);
        assert_eq!(cmap.code_length(&[0x81, 0x41]), 2);
        assert_eq!(cmap.cid(0x8141), 634);
    }
}
