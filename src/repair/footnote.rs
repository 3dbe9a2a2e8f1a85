//! Footnote marks glued to the word or year they follow (`Roms1`, `20113` for 2011 + note 3).
//!
//! A mark is rewritten as a superscript only where the document shows the footnote itself: a
//! line starting with the same number (`3 http://…`), with the notes numbered 1, 2, 3 … in text
//! order and each call before its note. Then both the call and the note's number become
//! superscripts (`2011³`, `³ http://…`), so that fact extraction never reads `20113` as a year.

use super::edits::Edit;
use super::lexicon::Lexicon;
use regex::Regex;
use std::sync::OnceLock;

/// Footnotes numbered past this are not looked for.
const MAX_NOTES: usize = 99;

fn superscript(digits: &str) -> Option<String> {
    digits
        .chars()
        .map(|c| match c {
            '0' => Some('⁰'),
            '1' => Some('¹'),
            '2' => Some('²'),
            '3' => Some('³'),
            '4' => Some('⁴'),
            '5' => Some('⁵'),
            '6' => Some('⁶'),
            '7' => Some('⁷'),
            '8' => Some('⁸'),
            '9' => Some('⁹'),
            _ => None,
        })
        .collect()
}

fn note_line() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(r"(?m)^[ \t]*(?P<n>[1-9][0-9]?)[ \t]+(?:\p{Lu}|https?:|www\.)").ok()
    })
    .as_ref()
}

fn call() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        // A year followed by the mark, or a word of letters followed by the mark.
        Regex::new(
            r"(?:\b(?P<year>(?:1[89]|20)[0-9]{2})|(?P<word>\b\p{L}{2,}))(?P<n>[1-9][0-9]?)\b",
        )
        .ok()
    })
    .as_ref()
}

/// Edits for the footnote calls and note numbers `text` shows.
pub fn edits(id: &str, confidence: f64, text: &str, lexicon: &Lexicon) -> Vec<Edit> {
    let (Some(note_line), Some(call)) = (note_line(), call()) else {
        return Vec::new();
    };
    // Note lines numbered 1, 2, 3 … in order (other numbered lines are skipped).
    let mut notes: Vec<(usize, usize, String)> = Vec::new(); // (start, end, digits)
    for caps in note_line.captures_iter(text) {
        let Some(n) = caps.name("n") else { continue };
        if n.as_str() == (notes.len() + 1).to_string() {
            notes.push((n.start(), n.end(), n.as_str().to_string()));
            if notes.len() >= MAX_NOTES {
                break;
            }
        }
    }
    if notes.is_empty() {
        return Vec::new();
    }
    let calls: Vec<(usize, usize, String)> = call
        .captures_iter(text)
        .filter_map(|caps| {
            let n = caps.name("n")?;
            if let Some(w) = caps.name("word") {
                // A real word (`Roms1`), not a code (`A4`, `COVID19`).
                let word = w.as_str();
                let lower_tail = word.chars().skip(1).all(char::is_lowercase);
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                if !lower_tail || !(capitalised || lexicon.knows(word)) {
                    return None;
                }
            }
            // Not inside a URL, path or e-mail.
            let line_start = text
                .get(..n.start())?
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            let piece = text.get(line_start..n.end())?;
            if piece.contains('/') || piece.contains('@') || piece.contains('=') {
                return None;
            }
            Some((n.start(), n.end(), n.as_str().to_string()))
        })
        .collect();

    let mut out = Vec::new();
    let mut after = 0usize;
    for (note_start, note_end, digits) in &notes {
        let found = calls
            .iter()
            .find(|(s, _, d)| *s >= after && *s < *note_start && d == digits);
        let Some((call_start, call_end, _)) = found else {
            continue;
        };
        let Some(sup) = superscript(digits) else {
            continue;
        };
        out.push(Edit {
            start: *call_start,
            end: *call_end,
            replacement: sup.clone(),
            rule: id.to_string(),
            confidence,
        });
        out.push(Edit {
            start: *note_start,
            end: *note_end,
            replacement: sup,
            rule: id.to_string(),
            confidence,
        });
        after = *call_end;
    }
    out
}
