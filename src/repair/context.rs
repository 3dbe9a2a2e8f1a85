//! Context layer: real-word errors the lexicon cannot see (`a` for `à`, `Congres` for
//! `Congrès`), decided from the neighbouring words or from the document itself.

use super::edits::Edit;
use super::lexicon::Lexicon;
use super::rules::{WordRule, WordTest};
use super::text::{Protected, Token, is_apostrophe, tokens};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How much more frequent (Zipf) the accented variant must be for the accent vote.
const VOTE_MIN_ZIPF_GAIN: f64 = 1.0;

/// A neighbouring word as the context tests see it.
#[derive(Debug, Clone, Default)]
struct Neighbour {
    /// Lower-cased, `’` as `'`, with a trailing `'` when the word is elided (`l'`).
    lower: String,
    capitalised: bool,
    /// The word begins a sentence (so a capital says nothing).
    sentence_start: bool,
    present: bool,
}

fn neighbour(text: &str, toks: &[Token], idx: Option<usize>) -> Neighbour {
    let Some(t) = idx.and_then(|i| toks.get(i)) else {
        return Neighbour::default();
    };
    let w = t.text(text);
    let mut lower = w.to_lowercase();
    if text
        .get(t.end..)
        .and_then(|r| r.chars().next())
        .is_some_and(is_apostrophe)
    {
        lower.push('\'');
    }
    let before = text.get(..t.start).unwrap_or("");
    let prev_char = before.chars().rev().find(|c| !c.is_whitespace());
    Neighbour {
        lower,
        capitalised: w.chars().next().is_some_and(char::is_uppercase),
        sentence_start: matches!(prev_char, None | Some('.' | '!' | '?' | ':' | '•' | '\n')),
        present: true,
    }
}

fn passes(test: &WordTest, n: &Neighbour) -> bool {
    if test.none && !n.present {
        return true;
    }
    if !n.present {
        return false;
    }
    let word = n.lower.trim_end_matches('\'');
    test.is.contains(&n.lower)
        || test.prefix.iter().any(|p| n.lower.starts_with(p.as_str()))
        || (word.chars().count() >= 4 && test.suffix.iter().any(|s| word.ends_with(s.as_str())))
        || (test.capitalised && n.capitalised && !n.sentence_start)
}

/// Edits of one word rule (`word` -> `replacement` when the neighbours pass).
pub fn word_edits(
    id: &str,
    confidence: f64,
    rule: &WordRule,
    text: &str,
    protected: &Protected,
) -> Vec<Edit> {
    let WordRule {
        word,
        replacement,
        next,
        next_not,
        prev,
        prev_not,
    } = rule;
    let toks = tokens(text);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.text(text) != word || protected.overlaps(t.start, t.end) {
            continue;
        }
        // The word itself must stand alone (not `a` of `a-t-il`, not an elided `l'a`).
        let after = text.get(t.end..).and_then(|r| r.chars().next());
        let before = text.get(..t.start).and_then(|r| r.chars().next_back());
        if after.is_some_and(is_apostrophe) || before.is_some_and(is_apostrophe) {
            continue;
        }
        let n = neighbour(text, &toks, Some(i + 1));
        let p = neighbour(text, &toks, i.checked_sub(1));
        let ok = next.as_ref().is_none_or(|tst| passes(tst, &n))
            && next_not.as_ref().is_none_or(|tst| !passes(tst, &n))
            && prev.as_ref().is_none_or(|tst| passes(tst, &p))
            && prev_not.as_ref().is_none_or(|tst| !passes(tst, &p));
        if ok {
            out.push(Edit {
                start: t.start,
                end: t.end,
                replacement: replacement.clone(),
                rule: id.to_string(),
                confidence,
            });
        }
    }
    out
}

fn strip_accents(w: &str) -> String {
    w.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Accent vote: a known word without diacritics (`Congres`) becomes the accented variant the
/// document also uses (`Congrès`) when that variant is clearly the more frequent word.
pub fn accent_vote_edits(
    id: &str,
    confidence: f64,
    text: &str,
    protected: &Protected,
    lexicon: &Lexicon,
) -> Vec<Edit> {
    let toks = tokens(text);
    // Accented words the document uses, by their stripped lower-case form.
    let mut accented: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for t in &toks {
        let w = t.text(text);
        if !w.is_ascii() && w.chars().all(char::is_alphabetic) {
            let lower = w.to_lowercase();
            let stripped = strip_accents(&lower);
            if stripped != lower && lexicon.knows(&lower) {
                *accented
                    .entry(stripped)
                    .or_default()
                    .entry(lower)
                    .or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for t in &toks {
        let w = t.text(text);
        if !w.is_ascii() || w.chars().count() < 4 || protected.overlaps(t.start, t.end) {
            continue;
        }
        if w.chars().skip(1).any(char::is_uppercase) || !lexicon.knows(w) {
            continue;
        }
        let lower = w.to_lowercase();
        let Some(variants) = accented.get(&lower) else {
            continue;
        };
        // The most used variant; ties go to the more frequent word, then the first in order.
        let Some((variant, _)) = variants.iter().max_by(|a, b| {
            a.1.cmp(b.1)
                .then(lexicon.zipf(a.0).total_cmp(&lexicon.zipf(b.0)))
                .then(b.0.cmp(a.0))
        }) else {
            continue;
        };
        if lexicon.zipf(variant) < lexicon.zipf(&lower) + VOTE_MIN_ZIPF_GAIN {
            continue;
        }
        let replacement = if w.chars().next().is_some_and(char::is_uppercase) {
            let mut c = variant.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => continue,
            }
        } else {
            variant.clone()
        };
        out.push(Edit {
            start: t.start,
            end: t.end,
            replacement,
            rule: id.to_string(),
            confidence,
        });
    }
    out
}
