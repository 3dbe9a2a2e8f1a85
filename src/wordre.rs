//! Regexes with Unicode word boundaries, searched fast.
//!
//! The regex crate's lazy DFA cannot evaluate a Unicode `\b` on non-ASCII text: it gives up at
//! the first accented letter and the whole search falls back to the PikeVM, an order of
//! magnitude slower. French text always has accented letters, so every rule pattern with `\b`
//! ran on the slow engine over the whole document (the largest cost of the fact stage).
//!
//! [`WordRegex`] searches in two passes. The *loose* pattern is the rule pattern with its word
//! boundary assertions removed: it accepts everything the rule accepts (and a little more),
//! needs no look-around, so the DFA scans the document at full speed. The *exact* pattern then
//! runs only at each position of each loose match, as an anchored search (regex-automata's
//! meta engine, which `regex` wraps): where no match starts, the attempt dies within a few
//! bytes, where an unanchored search would run on to the end of its window (three times slower
//! on the quantity pattern). Every exact match starts inside some loose
//! match (the loose pattern can match wherever the exact one can, and a leftmost-first scan
//! never skips past such a position), so checking those windows in order, and resuming after
//! each exact match, gives the same matches as a plain `captures_iter` of the exact pattern —
//! except a match that runs more than [`SLACK`] bytes past the loose match it starts in, which
//! the window cannot hold. Rule patterns match a few words, so the limit is far away; it is what
//! keeps a loose match the exact pattern rejects from costing a scan of the rest of the text.

use regex::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, meta};
use std::sync::OnceLock;

/// Lazy DFA cache per regex and thread. The regex crate's default (2 MiB) is too small for our
/// patterns with Unicode classes and counted repetitions: the DFA kept clearing its cache and
/// rebuilding states, or gave up for the PikeVM, on every long document.
pub const DFA_CACHE_BYTES: usize = 4 << 20;

/// A regex with our lazy DFA cache size ([`DFA_CACHE_BYTES`]).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(DFA_CACHE_BYTES)
        .build()
}

/// Bytes past a loose match that an exact match starting inside it may still cover.
/// Rule patterns span a few words; 256 bytes leaves room for several times that.
const SLACK: usize = 256;
/// An exact match ending this close to a window's cut might have been shortened by the cut: it
/// is searched again without the cut.
const GUARD: usize = 64;

/// One match of a [`WordRegex`] or one of its groups: a span of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordMatch<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> WordMatch<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub fn as_str(&self) -> &'t str {
        self.text.get(self.start..self.end).unwrap_or_default()
    }
}

/// The groups of one match of a [`WordRegex`] (the counterpart of `regex::Captures`).
#[derive(Debug, Clone)]
pub struct WordCaptures<'t> {
    text: &'t str,
    caps: Captures,
}

impl<'t> WordCaptures<'t> {
    /// Group `index` (0: the whole match), if it took part in the match.
    pub fn get(&self, index: usize) -> Option<WordMatch<'t>> {
        self.caps.get_group(index).map(|s| self.span(s))
    }

    /// The named group, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<WordMatch<'t>> {
        self.caps.get_group_by_name(name).map(|s| self.span(s))
    }

    fn span(&self, s: regex_automata::Span) -> WordMatch<'t> {
        WordMatch {
            text: self.text,
            start: s.start,
            end: s.end,
        }
    }

    fn whole(&self) -> (usize, usize) {
        self.caps
            .get_match()
            .map_or((0, 0), |m| (m.start(), m.end()))
    }
}

/// A regex searched through a word-boundary-free prefilter (see the module comment).
#[derive(Debug, Clone)]
pub struct WordRegex {
    exact: meta::Regex,
    /// `None` when the pattern has no word boundary: the exact pattern is fast on its own.
    loose: Option<Regex>,
}

impl WordRegex {
    pub fn new(pattern: &str) -> Result<Self, regex::Error> {
        let exact = meta::Regex::builder()
            .configure(meta::Config::new().hybrid_cache_capacity(DFA_CACHE_BYTES))
            .build(pattern)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let stripped = strip_word_boundaries(pattern);
        let loose = if stripped == pattern {
            None
        } else {
            Some(regex(&stripped)?)
        };
        Ok(Self { exact, loose })
    }

    /// All non-overlapping matches, leftmost first: the same as `Regex::captures_iter`.
    pub fn captures_all<'t>(&self, text: &'t str) -> Vec<WordCaptures<'t>> {
        let mut out = Vec::new();
        self.search_from(text, 0, |found| {
            out.push(found);
            true
        });
        out
    }

    /// Whether the pattern matches anywhere in `text` (stops at the first match).
    pub fn is_match(&self, text: &str) -> bool {
        match &self.loose {
            None => self.exact.is_match(text),
            Some(_) => self.captures_at(text, 0).is_some(),
        }
    }

    /// The first match starting at or after byte `start` (the text before it still counts for
    /// word boundaries): the same as `Regex::captures_at`.
    pub fn captures_at<'t>(&self, text: &'t str, start: usize) -> Option<WordCaptures<'t>> {
        let mut first = None;
        self.search_from(text, start, |found| {
            first = Some(found);
            false
        });
        first
    }

    /// Spans of all non-overlapping matches: the same as `Regex::find_iter`.
    pub fn find_all<'t>(&self, text: &'t str) -> Vec<WordMatch<'t>> {
        self.captures_all(text)
            .iter()
            .filter_map(|c| c.get(0))
            .collect()
    }

    /// The exact pattern's match anchored at `at`, in `text[..cut]` (the text after `cut` still
    /// counts for look-around). `caps` is scratch space, reused across a search's attempts.
    fn anchored<'t>(
        &self,
        text: &'t str,
        at: usize,
        cut: usize,
        caps: &mut Captures,
    ) -> Option<WordCaptures<'t>> {
        let input = Input::new(text).span(at..cut).anchored(Anchored::Yes);
        self.exact.search_captures(&input, caps);
        caps.is_match().then(|| WordCaptures {
            text,
            caps: caps.clone(),
        })
    }

    /// Calls `each` with the exact matches starting at or after byte `from`, in order, until it
    /// returns false.
    fn search_from<'t>(
        &self,
        text: &'t str,
        from: usize,
        mut each: impl FnMut(WordCaptures<'t>) -> bool,
    ) {
        let Some(loose) = &self.loose else {
            if from > text.len() {
                return;
            }
            for caps in self.exact.captures_iter(Input::new(text).range(from..)) {
                if !each(WordCaptures { text, caps }) {
                    return;
                }
            }
            return;
        };
        let mut caps = self.exact.create_captures();
        // Where the next exact match may start (after the previous one).
        let mut resume = from;
        // Where the next loose match is looked for.
        let mut next = from;
        while next <= text.len() {
            let Some(candidate) = loose.find_at(text, next) else {
                break;
            };
            if candidate.start() == candidate.end() {
                next = next_char(text, candidate.end()).max(next + 1);
                continue;
            }
            next = candidate.end();
            let cut = ceil_char_boundary(text, candidate.end().saturating_add(SLACK));
            // Every exact match starting inside the candidate is tried where it would start:
            // an anchored attempt dies within a few bytes where nothing starts, where an
            // unanchored search would run on to the cut.
            let mut at = resume.max(candidate.start());
            while at < candidate.end() {
                if !text.is_char_boundary(at) {
                    at += 1;
                    continue;
                }
                let Some(mut found) = self.anchored(text, at, cut, &mut caps) else {
                    at = next_char(text, at);
                    continue;
                };
                if cut < text.len() && found.whole().1 + GUARD > cut {
                    match self.anchored(text, at, text.len(), &mut caps) {
                        Some(whole) => found = whole,
                        None => break,
                    }
                }
                let (start, end) = found.whole();
                resume = if end > start {
                    end
                } else {
                    next_char(text, end)
                };
                at = resume;
                if !each(found) {
                    return;
                }
            }
        }
    }
}

/// A built-in pattern compiled once by `compile`. The patterns are literals checked by the unit
/// tests, so a failure here is a programming error, not an input error.
pub fn built_in<T>(
    cell: &'static OnceLock<T>,
    pattern: &str,
    compile: impl FnOnce(&str) -> Result<T, regex::Error>,
) -> &'static T {
    cell.get_or_init(|| match compile(pattern) {
        Ok(re) => re,
        Err(e) => panic!("built-in pattern {pattern:?} does not compile: {e}"),
    })
}

/// A built-in [`WordRegex`] compiled once (see [`built_in`]).
pub fn static_word_re(cell: &'static OnceLock<WordRegex>, pattern: &str) -> &'static WordRegex {
    built_in(cell, pattern, WordRegex::new)
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|t| t.chars().next())
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// The pattern without its word boundary assertions (`\b`, `\B`, `\b{start}` and the like).
/// Escapes are read pairwise, so `\\b` (a backslash then `b`) is left alone.
fn strip_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') | Some('B') => {
                // `\b{start}`, `\b{end}`, `\b{start-half}`, `\b{end-half}`.
                if chars.peek() == Some(&'{') {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(re: &WordRegex, text: &str) -> Vec<(usize, usize)> {
        re.captures_all(text)
            .iter()
            .map(WordCaptures::whole)
            .collect()
    }

    fn span(c: &regex::Captures<'_>) -> (usize, usize) {
        c.get(0).map_or((0, 0), |m| (m.start(), m.end()))
    }

    fn plain(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        Regex::new(pattern)
            .map(|re| re.find_iter(text).map(|m| (m.start(), m.end())).collect())
            .unwrap_or_default()
    }

    #[test]
    fn strips_boundaries_but_not_escaped_backslashes() {
        assert_eq!(strip_word_boundaries(r"\bville\b"), "ville");
        assert_eq!(strip_word_boundaries(r"a\\b\B\b{start}c"), r"a\\bc");
        assert_eq!(strip_word_boundaries(r"(?:\b|$)\d+"), r"(?:|$)\d+");
    }

    #[test]
    fn same_matches_as_a_plain_scan() {
        let pattern = r"(?i)(?:plus de\s+)?\b(?:\d+|deux|trois)\s+(?:\p{L}+\s+){0,2}?\b(?:villes|régions|pays)\b";
        let re = WordRegex::new(pattern).expect("pattern compiles");
        let text = "L'Alliance réunit plus de 120 villes et régions de 30 pays. \
                    Les élus de deux régions; bidonvilles 3 pays4 pays trois grandes régions \
                    étrangères, 5 villes";
        let got = spans(&re, text);
        assert_eq!(got, plain(pattern, text));
        assert_eq!(got.len(), 5);
        assert!(re.is_match(text));
        assert!(!re.is_match("bidonvilles 3 pays4"));
    }

    #[test]
    fn captures_at_gives_the_first_match_from_a_position() {
        let pattern = r"\b(?P<first>\p{Lu}\p{Ll}+)[ \t]+(?P<last>\p{Lu}\p{Ll}+)\b";
        let re = WordRegex::new(pattern).expect("pattern compiles");
        let plain = Regex::new(pattern).expect("pattern compiles");
        let text = "Secrétaire Générale Élise Dupont et Marc Olsen; ÉlisePas Dupont, Anna Berg";
        for start in (0..=text.len()).filter(|at| text.is_char_boundary(*at)) {
            let got = re.captures_at(text, start).map(|c| {
                let group = |n| c.name(n).map(|m| m.range());
                (c.whole(), group("first"), group("last"))
            });
            let want = plain.captures_at(text, start).map(|c| {
                let group = |n| c.name(n).map(|m| m.range());
                (span(&c), group("first"), group("last"))
            });
            assert_eq!(got, want, "from byte {start}");
        }
        assert!(re.captures_at(text, 0).is_some());
    }

    #[test]
    fn boundaries_next_to_accented_letters_hold() {
        // "é" is a word character: no match inside "élus2" or "3élus".
        let re = WordRegex::new(r"\b\d+ élus\b").expect("pattern compiles");
        let text = "12 élus, 3 élusé et 14 élus";
        assert_eq!(spans(&re, text), plain(r"\b\d+ élus\b", text));
        assert_eq!(spans(&re, text).len(), 2);
    }

    #[test]
    fn exact_matches_longer_than_the_loose_one_are_whole() {
        // The loose pattern stops at "abc"; the exact one needs the long branch.
        let pattern = r"\bab(?:c\b|cd[a-zé ]*\bz\b)";
        let re = WordRegex::new(pattern).expect("pattern compiles");
        // Up to SLACK bytes past the loose match (5 bytes a filler word).
        for filler in [10, (SLACK - 20) / 5] {
            let text = format!("é abcd {}z é abc", "mét ".repeat(filler));
            let got = spans(&re, &text);
            assert_eq!(got, plain(pattern, &text));
            assert_eq!(got.len(), 2);
        }
    }
}
