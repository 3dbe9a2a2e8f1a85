//! Structural layer: regex rules for damage that has a shape (elisions, bullets, `&` for `à`,
//! doubled apostrophes, line-end hyphenation), each gated by its guards.

use super::edits::Edit;
use super::lexical::Fixer;
use super::rules::{Guard, StructuralRule};
use super::text::{Protected, is_apostrophe};

/// The edits one structural rule proposes on `text`.
pub fn edits(
    id: &str,
    confidence: f64,
    rule: &StructuralRule,
    text: &str,
    protected: &Protected,
    fixer: &Fixer<'_>,
) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for caps in rule.pattern.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let target = caps.name("t").unwrap_or(whole);
        if protected.overlaps(whole.start(), whole.end())
            || protected.overlaps(target.start(), target.end())
        {
            continue;
        }
        let mut replacement = String::new();
        caps.expand(&rule.replacement, &mut replacement);
        let ok = rule
            .guards
            .iter()
            .all(|g| guard_passes(*g, text, target.start(), target.end(), &replacement, fixer));
        if !ok {
            continue;
        }
        if out.last().is_some_and(|p| p.end > target.start()) {
            continue;
        }
        out.push(Edit {
            start: target.start(),
            end: target.end(),
            replacement,
            rule: id.to_string(),
            confidence,
        });
    }
    out
}

fn letters_before(text: &str, pos: usize) -> usize {
    let before = text.get(..pos).unwrap_or("");
    let mut start = pos;
    for (i, c) in before.char_indices().rev() {
        if c.is_alphanumeric() {
            start = i;
        } else {
            break;
        }
    }
    start
}

fn letters_after(text: &str, pos: usize) -> usize {
    let after = text.get(pos..).unwrap_or("");
    let mut end = pos;
    for (i, c) in after.char_indices() {
        if c.is_alphanumeric() {
            end = pos + i + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn known_or_fixable(word: &str, fixer: &Fixer<'_>) -> bool {
    !word.is_empty() && (fixer.lexicon.knows(word) || fixer.best(word).is_some())
}

fn guard_passes(
    guard: Guard,
    text: &str,
    start: usize,
    end: usize,
    replacement: &str,
    fixer: &Fixer<'_>,
) -> bool {
    match guard {
        Guard::NextWordKnown => {
            // Skip apostrophes right after the target, then take the next word.
            let mut pos = end;
            while let Some(c) = text.get(pos..).and_then(|r| r.chars().next()) {
                if is_apostrophe(c) {
                    pos += c.len_utf8();
                } else {
                    break;
                }
            }
            let word_end = letters_after(text, pos);
            let Some(word) = text.get(pos..word_end) else {
                return false;
            };
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            capitalised || known_or_fixable(word, fixer)
        }
        Guard::ResultWordKnown => {
            let left = text.get(letters_before(text, start)..start).unwrap_or("");
            let right = text.get(end..letters_after(text, end)).unwrap_or("");
            let word = format!("{left}{replacement}{right}");
            fixer.lexicon.knows(&word)
        }
        Guard::RawWordUnknown => {
            let s = letters_before(text, start);
            let e = letters_after(text, end.max(start));
            // The letters only: `'la` is the word `la`, `[Iexclusion` is `Iexclusion`.
            let word: String = text
                .get(s..e)
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect();
            !word.is_empty() && !fixer.lexicon.knows(&word)
        }
        Guard::HyphenJoin => {
            let left = text.get(letters_before(text, start)..start).unwrap_or("");
            let right = text.get(end..letters_after(text, end)).unwrap_or("");
            !left.is_empty()
                && !right.is_empty()
                && fixer.lexicon.knows(&format!("{left}{right}"))
                && !fixer.lexicon.knows(&format!("{left}-{right}"))
        }
        Guard::NotQuote => {
            // The glyph right at `end` (the apostrophe) must not come back as a closing quote
            // later on the same line: `'word'` or `'a few words'`.
            let Some(glyph) = text.get(end..).and_then(|r| r.chars().next()) else {
                return false;
            };
            let line_rest = text
                .get(end + glyph.len_utf8()..)
                .and_then(|r| r.split('\n').next())
                .unwrap_or("");
            let chars: Vec<char> = line_rest.chars().collect();
            !chars.iter().enumerate().any(|(i, &c)| {
                c == glyph
                    && i > 0
                    && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric())
                    && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
            })
        }
    }
}
