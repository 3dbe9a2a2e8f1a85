//! Byte offset -> code point offset conversion.
//!
//! Rust slices strings by byte; the schema counts code points. Every record converts many offsets
//! (blocks, corrections, evidence), so the map keeps a checkpoint every [`STRIDE`] bytes and counts
//! characters only from the nearest checkpoint: O(1) memory per KB of text, O(STRIDE) per lookup.

const STRIDE: usize = 256;

pub struct OffsetMap<'a> {
    text: &'a str,
    /// `checkpoints[i]` = number of chars in `text[..i * STRIDE]` (rounded down to a boundary).
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> OffsetMap<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut next = 0usize;
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            if byte >= next {
                checkpoints.push((byte, chars));
                next = byte + STRIDE;
            }
        }
        if checkpoints.is_empty() {
            checkpoints.push((0, 0));
        }
        OffsetMap { text, checkpoints }
    }

    /// Code-point offset of byte offset `byte` (clamped to the text; a byte inside a character
    /// counts as that character's start).
    pub fn to_char(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let idx = self.checkpoints.partition_point(|&(b, _)| b <= byte);
        let (base_byte, base_chars) = self.checkpoints[idx.saturating_sub(1)];
        let tail = self.text.get(base_byte..).unwrap_or_default();
        base_chars
            + tail
                .char_indices()
                .take_while(|&(i, _)| base_byte + i < byte)
                .count()
    }

    pub fn char_len(&self) -> usize {
        self.to_char(self.text.len())
    }
}

/// Byte offset of code-point offset `chars` in `text` (clamped to its length).
pub fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(byte, _)| byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_multibyte_offsets() {
        let text = "é".repeat(300) + "abc";
        let map = OffsetMap::new(&text);
        assert_eq!(map.to_char(0), 0);
        assert_eq!(map.to_char(2), 1);
        assert_eq!(map.to_char(600), 300);
        assert_eq!(map.to_char(603), 303);
        assert_eq!(map.char_len(), 303);
        assert_eq!(char_to_byte(&text, 301), 601);
    }

    #[test]
    fn empty_text() {
        let map = OffsetMap::new("");
        assert_eq!(map.to_char(5), 0);
        assert_eq!(map.char_len(), 0);
    }
}
