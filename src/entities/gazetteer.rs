//! The gazetteer's patterns (names, aliases, short forms, acronyms) searched together, in time
//! and memory bounded by the text rather than by the text times the number of patterns.
//!
//! Each pattern used to be its own `regex::Regex` run with `find_iter` over every whole
//! document. Their Unicode `\b` makes the lazy DFA quit on non-ASCII text, so a few hundred
//! patterns each scanned each document with the PikeVM or the backtracker, and each kept its own
//! per-thread caches (lazy DFA up to 2 MB, backtracker visited set up to 256 KB): most of the
//! heap peak of a run. Now one Aho-Corasick automaton, which keeps no cache, finds in one pass
//! a literal that every match of a pattern must contain (its anchor), and a pattern's regex only
//! runs in a window around its anchors, as wide as the pattern can match; the caches of the
//! regexes stay small because they only ever see such windows. Acronyms have no anchor (see
//! [`PatternSet::search`]). The matches equal those of `find_iter` over the whole text.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::Input;
use regex_automata::meta;
use regex_syntax::hir::{Class, Hir, HirKind, Literal};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Index of a pattern in the [`PatternSet`] (the order of [`PatternSet::new`]'s list).
pub type PatternId = usize;

/// A pattern to add to the set.
pub enum Spec {
    /// A regex; an anchor is taken from the literal text it must match.
    Regex(String),
    /// The regex of `text::acronym_pattern` for this acronym (letters, optional dots between).
    Acronym { acronym: String, pattern: String },
}

/// Shortest anchor worth searching for: a shorter one would hit most words of a text.
const MIN_ANCHOR: usize = 3;

/// How a pattern's windows are found in a text.
enum Finder {
    /// Around each occurrence of its anchor, found by the Aho-Corasick automaton.
    Anchor,
    /// Where its letters are written, with or without dots (`.0`: the letters).
    Acronym(Vec<char>),
    /// Nowhere in particular: the whole text is searched (no anchor and no acronym).
    FullScan,
}

struct Pattern {
    /// The regex as written, for messages and tests.
    source: String,
    re: meta::Regex,
    finder: Finder,
    /// The most bytes of a match that are not matched by an unbounded repetition.
    budget: usize,
    /// The characters an unbounded repetition of the pattern matches (the `\s` of `\s+`):
    /// however many of them a match holds, they do not count in `budget`.
    free: CharSet,
}

/// A set of characters given as ranges, asked about every character around each anchor: a
/// bitmap for ASCII, merged sorted ranges searched by halves for the rest. (A linear scan of
/// the ranges, hundreds for a class like `\w`, was a quarter of the organisation finder.)
struct CharSet {
    ascii: u128,
    ranges: Vec<(char, char)>,
}

impl CharSet {
    fn new(mut ranges: Vec<(char, char)>) -> Self {
        ranges.sort();
        let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if u32::from(lo) <= u32::from(last.1).saturating_add(1) => {
                    last.1 = last.1.max(hi);
                }
                _ => merged.push((lo, hi)),
            }
        }
        let mut ascii = 0u128;
        for c in 0u8..128 {
            let c = char::from(c);
            if merged.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) {
                ascii |= 1 << u32::from(c);
            }
        }
        CharSet {
            ascii,
            ranges: merged,
        }
    }

    fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii >> u32::from(c) & 1 == 1;
        }
        let after = self.ranges.partition_point(|(lo, _)| *lo <= c);
        after > 0 && self.ranges.get(after - 1).is_some_and(|(_, hi)| c <= *hi)
    }
}

impl Pattern {
    fn is_free(&self, c: char) -> bool {
        self.free.contains(c)
    }

    /// The window around an anchor at `[start, end)` that holds every match containing it:
    /// such a match has at most `budget` bytes outside its unbounded repetitions on either side.
    /// The walk back stops at `floor` (the end of the previous window, which this one joins).
    fn window(&self, text: &str, start: usize, end: usize, floor: usize) -> (usize, usize) {
        let mut from = start;
        let mut spent = 0;
        for (i, c) in text.get(floor..start).unwrap_or("").char_indices().rev() {
            if !self.is_free(c) {
                spent += c.len_utf8();
                if spent > self.budget {
                    break;
                }
            }
            from = floor + i;
        }
        let mut to = end;
        spent = 0;
        for c in text.get(end..).unwrap_or("").chars() {
            if !self.is_free(c) {
                spent += c.len_utf8();
                if spent > self.budget {
                    break;
                }
            }
            to += c.len_utf8();
        }
        (from, to)
    }
}

/// Every gazetteer pattern, with the one automaton over their anchors.
pub struct PatternSet {
    patterns: Vec<Pattern>,
    anchors: AhoCorasick,
    /// For each anchor (pattern id of `anchors`): the patterns it anchors.
    anchored: Vec<Vec<PatternId>>,
    /// For each ASCII byte: the acronym patterns whose first letter it is.
    acronyms_by_first: Vec<Vec<PatternId>>,
    /// The non-ASCII characters an anchor's letters also match case-insensitively, with that
    /// letter: ('ſ', b's') and the Kelvin sign for k. The automaton only folds ASCII case, so a
    /// text holding one of these is scanned in a copy where each is replaced by its letter.
    folded: BTreeMap<char, u8>,
}

/// Per pattern, the windows of one text where it can match (sorted, disjoint).
pub struct Hits<'a> {
    set: &'a PatternSet,
    text: &'a str,
    windows: Vec<Vec<(usize, usize)>>,
}

impl Hits<'_> {
    /// The matches of pattern `id`, as `find_iter` over the whole text gives them.
    ///
    /// Every match of the pattern lies inside one window (it contains an anchor, and the window
    /// of that anchor holds it; overlapping windows were joined). So a leftmost-first search
    /// restricted to the windows, in order, sees every match start that a search of the whole
    /// text sees, and each with the same end: the preferred match from a start lies in the same
    /// window, and a span only cuts paths that would fail anyway (`\b` still sees the text
    /// outside the span).
    pub fn matches(&self, id: PatternId) -> Vec<(usize, usize)> {
        let (Some(p), Some(windows)) = (self.set.patterns.get(id), self.windows.get(id)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &(a, b) in windows {
            let input = Input::new(self.text).span(a..b);
            out.extend(p.re.find_iter(input).map(|m| (m.start(), m.end())));
        }
        out
    }
}

impl PatternSet {
    pub fn new(specs: &[Spec]) -> Result<PatternSet, String> {
        // The regex crate's defaults (the same matches as `regex::Regex::new`) without the lazy
        // DFA: the Unicode `\b` of every pattern makes it quit at the first non-ASCII byte, and
        // the windows are short enough for the bounded backtracker, so its cache (up to 2 MB per
        // pattern and thread) would cost memory for nothing. (Measured on 150 documents: the
        // regex caches of the gazetteer peak at 0.8 MB without it, 5.6 MB with it.)
        let config = meta::Config::new().hybrid(false);
        let mut patterns = Vec::with_capacity(specs.len());
        let mut anchor_texts: Vec<Vec<u8>> = Vec::new();
        let mut anchored: Vec<Vec<PatternId>> = Vec::new();
        let mut acronyms_by_first: Vec<Vec<PatternId>> = vec![Vec::new(); 128];
        let mut folded = BTreeMap::new();
        for (id, spec) in specs.iter().enumerate() {
            let source = match spec {
                Spec::Regex(p) => p,
                Spec::Acronym { pattern, .. } => pattern,
            };
            let hir = regex_automata::util::syntax::parse(source)
                .map_err(|e| format!("bad pattern {source:?}: {e}"))?;
            let re = meta::Builder::new()
                .configure(config.clone())
                .build_from_hir(&hir)
                .map_err(|e| format!("bad pattern {source:?}: {e}"))?;
            let mut free = Vec::new();
            let budget = budget(&hir, &mut free);
            let nonempty = hir.properties().minimum_len().is_some_and(|n| n > 0);
            let finder = match (spec, budget) {
                // An empty match or an unbounded run of anything but `free` characters would
                // need a window without bound: search the whole text.
                (_, None) => Finder::FullScan,
                _ if !nonempty => Finder::FullScan,
                (Spec::Acronym { acronym, .. }, _) => {
                    let letters: Vec<char> = acronym.chars().collect();
                    match letters.first() {
                        Some(&c)
                            if c.is_ascii_alphabetic()
                                && acronym.chars().all(|c| c.is_ascii_alphanumeric()) =>
                        {
                            if let Some(list) = acronyms_by_first.get_mut(c as usize) {
                                list.push(id);
                            }
                            Finder::Acronym(letters)
                        }
                        _ => Finder::FullScan,
                    }
                }
                (Spec::Regex(_), _) => {
                    let (anchor, extra) = longest_anchor(&hir);
                    if anchor.len() < MIN_ANCHOR {
                        Finder::FullScan
                    } else {
                        folded.extend(extra);
                        let n = match anchor_texts.iter().position(|a| *a == anchor) {
                            Some(n) => n,
                            None => {
                                anchor_texts.push(anchor);
                                anchored.push(Vec::new());
                                anchor_texts.len() - 1
                            }
                        };
                        if let Some(list) = anchored.get_mut(n) {
                            list.push(id);
                        }
                        Finder::Anchor
                    }
                }
            };
            patterns.push(Pattern {
                source: source.clone(),
                re,
                finder,
                budget: budget.unwrap_or(0),
                free: CharSet::new(free),
            });
        }
        let anchors = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&anchor_texts)
            .map_err(|e| format!("gazetteer anchors: {e}"))?;
        Ok(PatternSet {
            patterns,
            anchors,
            anchored,
            acronyms_by_first,
            folded,
        })
    }

    /// The patterns searched in full in every text (no usable anchor), as written.
    pub fn full_scan(&self) -> Vec<&str> {
        self.patterns
            .iter()
            .filter(|p| matches!(p.finder, Finder::FullScan))
            .map(|p| p.source.as_str())
            .collect()
    }

    /// Finds where each pattern can match in `text`: one pass of the anchor automaton
    /// (overlapping, so no anchor hides another) and one pass for acronyms.
    ///
    /// Acronyms are case-sensitive, two to seven letters, and may be dotted ("C.G.L.U"), so the
    /// only literal every match holds is one letter; as an ASCII-case-insensitive anchor, "un"
    /// or "ce" would fire on most French words. Instead a match must start at a word start with
    /// the acronym's letters, each followed by at most one dot: from each ASCII letter after a
    /// non-word byte, the acronyms with that first letter are read off the text (at most seven
    /// steps each), and the regex checks the few that fit.
    pub fn search<'a>(&'a self, text: &'a str) -> Hits<'a> {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.patterns.len()];
        let mut add = |id: PatternId, (a, b): (usize, usize)| {
            if let Some(list) = windows.get_mut(id) {
                match list.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(b),
                    _ => list.push((a, b)),
                }
            }
        };
        for (id, p) in self.patterns.iter().enumerate() {
            if matches!(p.finder, Finder::FullScan) {
                add(id, (0, text.len()));
            }
        }
        // Ends of the last window of each pattern, where the walk back of the next stops.
        let mut floor = vec![0; self.patterns.len()];
        let (haystack, shifts) = self.fold(text);
        for m in self.anchors.find_overlapping_iter(haystack.as_ref()) {
            let (start, end) = (to_text(&shifts, m.start()), to_text(&shifts, m.end()));
            for &id in self
                .anchored
                .get(m.pattern().as_usize())
                .into_iter()
                .flatten()
            {
                let (Some(p), Some(f)) = (self.patterns.get(id), floor.get_mut(id)) else {
                    continue;
                };
                let w = p.window(text, start, end, *f);
                *f = w.1;
                add(id, w);
            }
        }
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let Some(candidates) = self.acronyms_by_first.get(b as usize) else {
                continue;
            };
            if candidates.is_empty()
                || i.checked_sub(1)
                    .and_then(|j| bytes.get(j))
                    .is_some_and(|&p| p.is_ascii_alphanumeric() || p == b'_')
            {
                continue;
            }
            for &id in candidates {
                let Some(Pattern {
                    finder: Finder::Acronym(letters),
                    budget,
                    ..
                }) = self.patterns.get(id)
                else {
                    continue;
                };
                if acronym_at(text, i, letters) {
                    let mut end = (i + budget).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    add(id, (i, end));
                }
            }
        }
        Hits {
            set: self,
            text,
            windows,
        }
    }

    /// `text` as the anchor automaton reads it: each character of `folded` replaced by its
    /// ASCII letter, with the shifts that map offsets of the copy back to `text`: (offset in the
    /// copy just after a replaced letter, bytes dropped up to there). Most texts hold none of
    /// these characters and are read as they are.
    fn fold<'t>(&self, text: &'t str) -> (Cow<'t, str>, Vec<(usize, usize)>) {
        if !text.contains(|c: char| !c.is_ascii() && self.folded.contains_key(&c)) {
            return (Cow::Borrowed(text), Vec::new());
        }
        let mut copy = String::with_capacity(text.len());
        let mut shifts = Vec::new();
        let mut dropped = 0;
        for c in text.chars() {
            match self.folded.get(&c) {
                Some(&letter) => {
                    copy.push(char::from(letter));
                    dropped += c.len_utf8() - 1;
                    shifts.push((copy.len(), dropped));
                }
                None => copy.push(c),
            }
        }
        (Cow::Owned(copy), shifts)
    }
}

/// The offset in the text of offset `pos` of its folded copy (see [`PatternSet::fold`]).
fn to_text(shifts: &[(usize, usize)], pos: usize) -> usize {
    let before = shifts.partition_point(|&(after, _)| after <= pos);
    pos + before
        .checked_sub(1)
        .and_then(|i| shifts.get(i))
        .map_or(0, |&(_, dropped)| dropped)
}

/// Whether `letters` are written from byte `pos`, each after the previous one or after one dot
/// following it: what `\bA\.?B\.?C` needs, word boundaries aside (the regex checks those).
fn acronym_at(text: &str, pos: usize, letters: &[char]) -> bool {
    let mut rest = text.get(pos..).unwrap_or("");
    for (i, &l) in letters.iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('.').unwrap_or(rest);
        }
        match rest.strip_prefix(l) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    true
}

/// The most bytes a match of `hir` holds outside unbounded repetitions of a class, whose
/// classes are added to `free`; None when some other part is unbounded.
fn budget(hir: &Hir, free: &mut Vec<(char, char)>) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(Literal(bytes)) => Some(bytes.len()),
        HirKind::Class(Class::Unicode(c)) => {
            Some(c.ranges().last().map_or(0, |r| r.end().len_utf8()))
        }
        HirKind::Class(Class::Bytes(_)) => Some(1),
        HirKind::Repetition(r) => match r.max {
            Some(max) => budget(&r.sub, free)?.checked_mul(max as usize),
            None => match r.sub.kind() {
                HirKind::Class(Class::Unicode(c)) => {
                    free.extend(c.ranges().iter().map(|r| (r.start(), r.end())));
                    Some(0)
                }
                _ => None,
            },
        },
        HirKind::Capture(c) => budget(&c.sub, free),
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(0usize, |sum, s| sum.checked_add(budget(s, free)?)),
        HirKind::Alternation(subs) => subs
            .iter()
            .try_fold(0usize, |most, s| Some(most.max(budget(s, free)?))),
    }
}

/// The longest run of consecutive parts of `hir`'s top-level sequence that each match one
/// fixed text up to ASCII case: its bytes (ASCII letters lower-cased) and the non-ASCII
/// characters its letters also match, with the letter ("(?i)s" matches 'ſ').
fn longest_anchor(hir: &Hir) -> (Vec<u8>, Vec<(char, u8)>) {
    let parts: &[Hir] = match hir.kind() {
        HirKind::Concat(subs) => subs,
        _ => std::slice::from_ref(hir),
    };
    let mut best: (Vec<u8>, Vec<(char, u8)>) = (Vec::new(), Vec::new());
    let mut run: (Vec<u8>, Vec<(char, u8)>) = (Vec::new(), Vec::new());
    for part in parts {
        let fixed = match part.kind() {
            // Only ASCII: the copy of `PatternSet::fold` changes some non-ASCII characters.
            HirKind::Literal(Literal(bytes)) if bytes.is_ascii() => {
                Some((bytes.to_ascii_lowercase(), Vec::new()))
            }
            HirKind::Class(Class::Unicode(c)) => one_ascii_letter(c)
                .map(|(b, extra)| (vec![b], extra.into_iter().map(|c| (c, b)).collect())),
            _ => None,
        };
        match fixed {
            Some((bytes, extra)) => {
                run.0.extend(bytes);
                run.1.extend(extra);
            }
            None => run = (Vec::new(), Vec::new()),
        }
        if run.0.len() > best.0.len() {
            best = run.clone();
        }
    }
    best
}

/// When the class is one ASCII letter in either case, plus at most a few non-ASCII characters
/// (case folding: "(?i)k" is `[Kk\u{212A}]`): the letter lower-cased and those characters.
fn one_ascii_letter(class: &regex_syntax::hir::ClassUnicode) -> Option<(u8, Vec<char>)> {
    let mut ascii = BTreeSet::new();
    let mut extra = Vec::new();
    for r in class.ranges() {
        for c in r.start()..=r.end() {
            if c.is_ascii() {
                ascii.insert(c.to_ascii_lowercase());
            } else if extra.len() < 4 {
                extra.push(c);
            } else {
                return None;
            }
        }
    }
    match ascii.into_iter().collect::<Vec<_>>().as_slice() {
        [c] if c.is_ascii_alphabetic() => u8::try_from(*c).ok().map(|b| (b, extra)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn set(patterns: &[&str]) -> PatternSet {
        let specs: Vec<Spec> = patterns
            .iter()
            .map(|p| Spec::Regex(p.to_string()))
            .collect();
        match PatternSet::new(&specs) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    /// The set's matches equal `find_iter` over the whole text, pattern by pattern.
    fn same_as_find_iter(patterns: &[&str], specs: &[Spec], text: &str) {
        let s = match PatternSet::new(specs) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let hits = s.search(text);
        for (id, p) in patterns.iter().enumerate() {
            let re = Regex::new(p).unwrap_or_else(|e| panic!("{e}"));
            let want: Vec<(usize, usize)> =
                re.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(hits.matches(id), want, "pattern {p:?} in {text:?}");
        }
    }

    #[test]
    fn char_sets_answer_as_their_ranges() {
        let ranges = vec![
            ('a', 'z'),
            ('\t', '\r'),
            (' ', ' '),
            ('à', 'ö'),
            ('ø', 'ÿ'),
            ('b', 'c'),
            ('\u{2000}', '\u{200A}'),
            ('\u{2009}', '\u{3000}'),
        ];
        let set = CharSet::new(ranges.clone());
        for c in [
            'a',
            'q',
            'z',
            'A',
            '\n',
            ' ',
            '_',
            'é',
            '÷',
            'ø',
            'ÿ',
            'Ā',
            '\u{2005}',
            '\u{2FFF}',
            '\u{3001}',
            '\u{10FFFF}',
        ] {
            let expected = ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
            assert_eq!(set.contains(c), expected, "{c:?}");
        }
        assert!(!CharSet::new(Vec::new()).contains('a'));
    }

    #[test]
    fn windows_find_what_find_iter_finds() {
        let patterns = [
            r"(?i)\bConseil\s+de\s+(?:[lLI1|\[]\s?)?['’‘]Europe\b",
            r"(?i)\bCongr[eéèêë]{1,2}s\s+des\s+pouvoirs\b",
            r"\bC(?i:ongr[eéèêë]{1,2}s)\b",
            r"(?i)\baa\s+aa\b",
            r"(?i)\bkommission\b",
        ];
        let specs: Vec<Spec> = patterns
            .iter()
            .map(|p| Spec::Regex(p.to_string()))
            .collect();
        for text in [
            "Le Conseil de l'Europe et le CONSEIL   DE\n\nI'EUROPE. Congrès des     pouvoirs; Congres",
            "Conseil de l’Europe",
            "xConseil de l'Europe Conseil de l'Europex Conseil de 'Europe",
            "aa aa aa aa aa",
            "ſ Conseil de l'Europe Congreés des pouvoirs",
            "Conſeil de l'Europe, CONSEIL DE L'EUROPE ſ Congreſ des pouvoirs Congreſ",
            "ſſ aa aa ſ aa aa",
            "\u{212A}ommission \u{212A}ommission",
            "",
        ] {
            same_as_find_iter(&patterns, &specs, text);
        }
    }

    #[test]
    fn acronyms_dotted_or_not() {
        let patterns = [r"\bC\.?G\.?L\.?U\b\.?", r"\bC\.?E\b\.?", r"\bU\.?N\b\.?"];
        let specs: Vec<Spec> = ["CGLU", "CE", "UN"]
            .iter()
            .zip(patterns)
            .map(|(a, p)| Spec::Acronym {
                acronym: a.to_string(),
                pattern: p.to_string(),
            })
            .collect();
        for text in [
            "La CGLU, la C.G.L.U. et la C.G.LU; CE. C.E. CEB C.E.B UN un UNESCO xUN éUN _UN",
            "C.E.C.E UN.",
        ] {
            same_as_find_iter(&patterns, &specs, text);
        }
    }

    /// Every pattern of the real gazetteer, on its own names written in the forms the patterns
    /// tolerate and in some they do not, against `find_iter` over the whole text.
    #[test]
    fn gazetteer_patterns_match_as_find_iter() {
        let rules = match crate::entities::rules::rules() {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        // Patterns without an anchor are searched over each whole text: keep them rare (there
        // are none today).
        let full_scan = rules.gazetteer.full_scan();
        assert!(full_scan.len() <= 2, "searched in full: {full_scan:?}");
        let mut forms = Vec::new();
        for g in &rules.orgs {
            let e = &g.entry;
            for n in e.names.iter().chain(&e.aliases).chain(&e.short) {
                forms.push(n.clone());
                forms.push(n.to_uppercase());
                forms.push(n.to_lowercase());
                forms.push(n.replace(' ', "\n   \t "));
                forms.push(n.replace("l'", "I'").replace('é', "e").replace('-', "- "));
                forms.push(n.replace('s', "ſ").replace('k', "\u{212A}"));
                forms.push(format!("x{n}"));
            }
            for a in &e.acronyms {
                let dotted: Vec<String> = a.chars().map(String::from).collect();
                forms.push(a.clone());
                forms.push(format!("{}.", dotted.join(".")));
                forms.push(format!("({a})"));
                forms.push(format!("{a}x"));
                forms.push(format!("é{a}"));
            }
        }
        let joined: Vec<String> = [" ", ", ", "", "\n\n", " é "]
            .iter()
            .map(|sep| forms.join(sep))
            .collect();
        let examples = rules
            .examples
            .iter()
            .flat_map(|s| s.examples.iter().chain(&s.counter_examples))
            .map(|e| e.text.clone());
        let res: Vec<(&str, Regex)> = (rules.gazetteer.patterns.iter())
            .map(|p| {
                (
                    p.source.as_str(),
                    Regex::new(&p.source).unwrap_or_else(|e| panic!("{e}")),
                )
            })
            .collect();
        let mut found = 0;
        for text in joined.into_iter().chain(examples) {
            let hits = rules.gazetteer.search(&text);
            for (id, (source, re)) in res.iter().enumerate() {
                let want: Vec<(usize, usize)> =
                    re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                found += want.len();
                assert_eq!(hits.matches(id), want, "pattern {source:?}");
            }
        }
        assert!(found > 10 * res.len(), "only {found} matches");
    }

    #[test]
    fn anchors_are_letters_copied_verbatim() {
        let s = set(&[r"(?i)\bConseil\s+de\s+(?:[lLI1|\[]\s?)?['’‘]Europe\b"]);
        assert!(s.full_scan().is_empty());
        assert_eq!(s.folded.get(&'ſ'), Some(&b's'));
        let (anchor, _) = match regex_automata::util::syntax::parse(r"(?i)\bCongr[eé]{1,2}s\b") {
            Ok(h) => longest_anchor(&h),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(anchor, b"congr");
    }
}
