//! Lexical layer: a word outside the lexicon is replaced by the most frequent known word that
//! the OCR confusion classes (`rules/repair/*.toml`, `layer = "lexical"`) can turn it into.

use super::edits::Edit;
use super::lexicon::Lexicon;
use super::profile::joined_known;
use super::rules::ConfusionRule;
use super::text::{Protected, is_apostrophe, tokens};
use std::cell::Cell;
// FxHash: these maps are looked up per word, glyph or element; SipHash was a visible cost.
use rustc_hash::FxHashMap as HashMap;

/// Longest word (in chars) the candidate search looks at.
const MAX_WORD_CHARS: usize = 40;
/// Shortest word the candidate search looks at: two-letter tokens are too often foreign words
/// or abbreviations (`I've`, `vs`).
const MIN_WORD_CHARS: usize = 3;
/// Most confusion substitutions combined in one candidate.
const MAX_SUBSTITUTIONS: usize = 2;
/// Most known candidates considered for one word.
const MAX_CANDIDATES: usize = 500;
/// Capitalised words (often names) are changed only into common words.
const MIN_ZIPF_FOR_CAPITALISED: f64 = 3.0;

/// A proposed fix for one word.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub word: String,
    /// Ids of the confusion classes used, in order.
    pub rules: Vec<String>,
    pub score: f64,
    pub confidence: f64,
}

/// The confusion classes of one language with its lexicon.
pub struct Fixer<'a> {
    pub lexicon: &'a Lexicon,
    pub classes: Vec<(&'a str, &'a ConfusionRule, f64)>,
    /// FST nodes the candidate search may still visit for this document: bounds the work on
    /// hostile input (millions of distinct unknown "words"). Once spent, no more fixes.
    pub budget: Cell<usize>,
    /// The other language's lexicon: a word it knows better than the candidate (`the` in a
    /// French text is not `thé`) is a foreign word, not OCR damage.
    pub other: Option<&'a Lexicon>,
}

/// Candidate-search budget per document (FST nodes visited); a normal OCR'd page needs a few
/// thousand per unknown word.
pub const DOCUMENT_BUDGET: usize = 50_000_000;

impl<'a> Fixer<'a> {
    /// The best known word the confusion classes make of `word`, if `word` itself is unknown.
    pub fn best(&self, word: &str) -> Option<Fix> {
        let len = word.chars().count();
        if !(MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&len) || self.lexicon.knows(word) {
            return None;
        }
        if !word.chars().any(char::is_alphabetic) {
            return None;
        }
        let mut chars = word.chars();
        let first = chars.next()?;
        let rest_upper = chars.clone().any(char::is_uppercase);
        if rest_upper {
            return None; // acronyms, CamelCase names
        }
        let capitalised = first.is_uppercase();
        if capitalised && word.chars().any(|c| c.is_ascii_digit()) {
            return None; // `A1`, `B52`: codes, not words
        }

        if self.budget.get() == 0 {
            return None;
        }
        let subs: Vec<(&str, &[String], bool)> = self
            .classes
            .iter()
            .map(|(_, c, _)| (c.from.as_str(), c.to.as_slice(), c.at_start))
            .collect();
        let mut best: Option<Fix> = None;
        // Capitalised words are looked up with a lower-case first letter too (`Congrés`).
        let lower_first: String = first.to_lowercase().chain(chars).collect();
        let mut forms: Vec<(&str, bool)> = vec![(word, false)];
        if capitalised {
            forms.push((lower_first.as_str(), true));
        }
        for (form, recapitalise) in forms {
            let mut steps = 0usize;
            let found =
                self.lexicon
                    .variants(form, &subs, MAX_SUBSTITUTIONS, MAX_CANDIDATES, &mut steps);
            self.budget.set(self.budget.get().saturating_sub(steps));
            for (cand, used) in found {
                let cand = if recapitalise {
                    // A capital keeps its letter: French often drops accents on capitals
                    // (`Etats`, `A compter`), which is no OCR damage.
                    let mut c = cand.chars();
                    match c.next() {
                        Some(f) if f.to_uppercase().eq(first.to_uppercase()) => {
                            f.to_uppercase().chain(c).collect()
                        }
                        _ => continue,
                    }
                } else {
                    cand
                };
                self.consider(&cand, &used, capitalised, &mut best);
            }
        }
        best
    }

    fn consider(&self, cand: &str, used: &[usize], capitalised: bool, best: &mut Option<Fix>) {
        if cand.is_empty() || !self.lexicon.knows(cand) {
            return;
        }
        let zipf = self.lexicon.zipf(cand);
        if capitalised && zipf < MIN_ZIPF_FOR_CAPITALISED {
            return;
        }
        let cost: f64 = used
            .iter()
            .filter_map(|&i| self.classes.get(i))
            .map(|(_, c, _)| c.cost)
            .sum();
        let score = zipf - cost;
        if best.as_ref().is_some_and(|b| b.score >= score) {
            return;
        }
        let mut rules: Vec<String> = Vec::new();
        let mut confidence: f64 = 1.0;
        for &i in used {
            if let Some((id, _, conf)) = self.classes.get(i) {
                if !rules.iter().any(|r| r == id) {
                    rules.push(id.to_string());
                }
                confidence = confidence.min(*conf);
            }
        }
        // Rare candidates are less certain.
        if zipf < 2.0 {
            confidence *= 0.8;
        }
        *best = Some(Fix {
            word: cand.to_string(),
            rules,
            score,
            confidence,
        });
    }

    /// The fix edits for every unknown word of `text`.
    pub fn edits(&self, text: &str, protected: &Protected) -> Vec<Edit> {
        let toks = tokens(text);
        let mut out = Vec::new();
        // OCR repeats its errors: look each distinct unknown word up once.
        let mut cache: HashMap<&str, Option<Fix>> = HashMap::default();
        for (i, t) in toks.iter().enumerate() {
            let w = t.text(text);
            if protected.overlaps(t.start, t.end) || w.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            // Elided articles/pronouns (`l'`, `qu'`) are checked by the structural rules.
            let followed_by_apostrophe = text
                .get(t.end..)
                .and_then(|r| r.chars().next())
                .is_some_and(is_apostrophe);
            if followed_by_apostrophe && w.chars().count() <= 5 {
                continue;
            }
            if self.lexicon.knows(w) || joined_known(text, &toks, i, |s| self.lexicon.knows(s)) {
                continue;
            }
            let fix = cache.entry(w).or_insert_with(|| self.best(w)).clone();
            if let Some(fix) = fix {
                if let Some(other) = self.other
                    && other.knows(w)
                    && other.zipf(w) >= self.lexicon.zipf(&fix.word)
                {
                    continue;
                }
                out.push(Edit {
                    start: t.start,
                    end: t.end,
                    replacement: fix.word,
                    rule: fix.rules.join("+"),
                    confidence: fix.confidence,
                });
            }
        }
        out
    }
}
