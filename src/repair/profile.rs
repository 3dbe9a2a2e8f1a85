//! Measurable signals about a raw text: which lexicon it fits (fr/en) and whether it shows OCR
//! damage. Repair changes words only in texts that show it, so clean born-digital and HTML text
//! stays untouched.

use super::lexicon::{Lang, Lexicons};
use super::text::{Protected, Token, is_apostrophe, tokens};
use crate::model::SourceKind;
use regex::Regex;
// FxHash: these maps are looked up per word, glyph or element; SipHash was a visible cost.
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Share of checked words outside the lexicon above which a text counts as OCR-damaged.
pub const UNKNOWN_SHARE_THRESHOLD: f64 = 0.025;
/// Typical OCR artefacts per 1,000 words above which a text counts as OCR-damaged.
pub const ARTEFACTS_PER_1000_THRESHOLD: f64 = 4.0;
/// Fewer checked words than this: too little evidence, unless the source kind says OCR.
pub const MIN_WORDS: usize = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub lang: Lang,
    /// Lower-case words checked against the lexicons.
    pub words: usize,
    /// Share of those that the chosen language's lexicon does not know.
    pub unknown_share: f64,
    /// Count of typical OCR artefacts (`I'` elisions, doubled apostrophes, `ceuvre`, ...).
    pub artefacts: usize,
    /// The text shows OCR symptoms (or comes from an OCR text layer).
    pub ocr: bool,
    /// Byte spans of paragraphs written in the other language (an English abstract in a French
    /// report): language-specific rules leave them alone.
    pub foreign: Vec<(usize, usize)>,
    /// The spans of the text no rule may touch (the repair layers start from them).
    pub protected: Protected,
}

/// A paragraph needs this many checked words to be judged foreign.
const MIN_PARAGRAPH_WORDS: usize = 8;

/// Known-word counts of one paragraph.
#[derive(Debug, Clone, Copy)]
struct Paragraph {
    start: usize,
    end: usize,
    words: usize,
    fr: usize,
    en: usize,
}

/// The gap between two tokens contains a blank line.
fn blank_line(gap: &str) -> bool {
    let mut newlines = 0;
    for c in gap.chars() {
        match c {
            '\n' => {
                newlines += 1;
                if newlines >= 2 {
                    return true;
                }
            }
            c if c.is_whitespace() => {}
            _ => newlines = 0,
        }
    }
    false
}

fn artefact_patterns() -> &'static [Regex] {
    static CELL: OnceLock<Vec<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        [
            // French elision read with a capital I or a bracket: `I'Europe`, `[I'Alliance`.
            r"(?:^|[\s(«“])[\[]?I['’][aeiouyhàâéèêîôûAEIOUYÉÈ]",
            // Doubled apostrophe after an elided letter: `d’'une`.
            r"\p{L}['’]['’]\p{L}",
            // `œ` read as `ce`: `ceuvre`, `sceur`, `cceur`.
            r"(?i)(?-u:\b)(?:ceuvr|sceur|cceur|ceil)",
            // A letter glued to a digit inside a word: `r6le`.
            r"\p{Ll}+[0-9]\p{Ll}+",
            // `à` read as `a` before an article after a word or a comma: `visent a la`,
            // `participantes a l'Alliance` (`il a la` is rarer than OCR's damage).
            r"(?:\p{L}{3,}|[,;])[ \t\n]+a[ \t\n]+(?:la|l['’]\p{L})",
            // Lost bullets read as letters at line start: `e Permettre`, `¢ meilleure`.
            r"(?m)^[ \t]*[eo¢©][ \t]+\p{L}",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// Measures the text. `kind` = `PdfOcr` always counts as OCR.
pub fn measure(text: &str, kind: SourceKind, lexicons: &Lexicons) -> Profile {
    let protected = Protected::find(text);
    let toks = tokens(text);
    let mut words = 0usize;
    let mut known_fr = 0usize;
    let mut known_en = 0usize;
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut prev_end = 0usize;
    // Whether each lexicon knows a word, asked once per distinct word: text repeats its words,
    // and these lookups were most of the repair stage's lexicon time.
    let mut known_words: HashMap<&str, (bool, bool)> = HashMap::default();
    for (i, t) in toks.iter().enumerate() {
        if paragraphs.is_empty() || text.get(prev_end..t.start).is_some_and(blank_line) {
            paragraphs.push(Paragraph {
                start: t.start,
                end: t.end,
                words: 0,
                fr: 0,
                en: 0,
            });
        }
        prev_end = t.end;
        let Some(para) = paragraphs.last_mut() else {
            continue;
        };
        para.end = t.end;
        let w = t.text(text);
        if !is_checkable(w) || protected.overlaps(t.start, t.end) || is_elided(text, &toks, i) {
            continue;
        }
        words += 1;
        let (fr_word, en_word) = *known_words
            .entry(w)
            .or_insert_with(|| (lexicons.fr.knows(w), lexicons.en.knows(w)));
        let fr = fr_word || joined_known(text, &toks, i, |s| lexicons.fr.knows(s));
        let en = en_word || joined_known(text, &toks, i, |s| lexicons.en.knows(s));
        known_fr += usize::from(fr);
        known_en += usize::from(en);
        para.words += 1;
        para.fr += usize::from(fr);
        para.en += usize::from(en);
    }
    let lang = if known_en > known_fr {
        Lang::En
    } else {
        Lang::Fr
    };
    let known = known_fr.max(known_en);
    let unknown_share = if words == 0 {
        0.0
    } else {
        (words - known) as f64 / words as f64
    };
    let artefacts: usize = artefact_patterns()
        .iter()
        .map(|re| re.find_iter(text).count())
        .sum();
    let per_1000 = if words == 0 {
        0.0
    } else {
        artefacts as f64 * 1000.0 / words as f64
    };
    let ocr = kind == SourceKind::PdfOcr
        || (words >= MIN_WORDS
            && (unknown_share >= UNKNOWN_SHARE_THRESHOLD
                || per_1000 >= ARTEFACTS_PER_1000_THRESHOLD));
    let foreign = paragraphs
        .iter()
        .filter(|p| {
            let (own, other) = match lang {
                Lang::Fr => (p.fr, p.en),
                Lang::En => (p.en, p.fr),
            };
            p.words >= MIN_PARAGRAPH_WORDS && other * 2 > own * 3
        })
        .map(|p| (p.start, p.end))
        .collect();
    Profile {
        lang,
        words,
        unknown_share,
        artefacts,
        ocr,
        foreign,
        protected,
    }
}

/// Words worth checking: at least two letters, all letters, starting lower-case (capitalised
/// words are often names the lexicons do not list).
fn is_checkable(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_lowercase() && w.chars().count() >= 2 && w.chars().all(char::is_alphabetic)
}

/// The token is the elided part of `l'`, `qu'` ... (checked with its neighbour instead).
fn is_elided(text: &str, toks: &[Token], i: usize) -> bool {
    let Some(t) = toks.get(i) else { return false };
    text.get(t.end..)
        .and_then(|r| r.chars().next())
        .is_some_and(is_apostrophe)
        && toks.get(i + 1).is_some_and(|n| {
            text.get(t.end..n.start)
                .is_some_and(|gap| gap.chars().count() == 1)
        })
}

/// The token is part of a compound the lexicon knows (`aujourd'hui`, `c'est-à-dire`, `mi-parcours`).
pub fn joined_known(text: &str, toks: &[Token], i: usize, knows: impl Fn(&str) -> bool) -> bool {
    if i >= toks.len() {
        return false;
    }
    let joiner = |a: &Token, b: &Token| {
        text.get(a.end..b.start).is_some_and(|g| {
            g.chars().count() == 1 && g.chars().all(|c| c == '-' || is_apostrophe(c))
        })
    };
    // Widen over at most two joiners on each side.
    let mut lo = i;
    while lo > 0 && i - lo < 2 && toks.get(lo - 1).is_some_and(|p| joiner(p, &toks[lo])) {
        lo -= 1;
    }
    let mut hi = i;
    while hi + 1 < toks.len() && hi - i < 2 && joiner(&toks[hi], &toks[hi + 1]) {
        hi += 1;
    }
    for a in lo..=i {
        for b in i..=hi {
            if a == b {
                continue;
            }
            if let (Some(sa), Some(sb)) = (toks.get(a), toks.get(b))
                && let Some(s) = text.get(sa.start..sb.end)
                && knows(s)
            {
                return true;
            }
        }
    }
    false
}
