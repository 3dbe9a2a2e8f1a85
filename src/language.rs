//! Stage 4: language of each block and of the document, with lingua.
//!
//! Runs on the repaired text. Each block long enough to judge is classified on a bounded sample
//! (its first [`SAMPLE_CHARS`] characters: enough for lingua's high-accuracy mode, and it keeps
//! long documents cheap); the document language is the one with the largest share of classified
//! characters; blocks too short to judge inherit it.

use crate::model::Repaired;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The languages we classify into. A closed set keeps lingua accurate on short blocks.
pub const LANGUAGES: [Language; 7] = [
    Language::French,
    Language::English,
    Language::German,
    Language::Spanish,
    Language::Italian,
    Language::Dutch,
    Language::Portuguese,
];

/// Blocks with fewer letters than this inherit the document language.
const MIN_LETTERS: usize = 25;
/// Characters of a block given to the detector.
const SAMPLE_CHARS: usize = 600;
/// Letters of the probe tried first on a long block. lingua scores texts of 120 letters or more
/// with trigrams alone (fewer letters take all n-grams of length 1 to 5, five times the work),
/// so the probe is just above that. Detection cost grows with the letters read, and language
/// detection was half the CPU of a run.
const PROBE_LETTERS: usize = 150;
/// A probe this confident decides; anything less is judged again on the full sample. On 14,321
/// blocks of the scale corpus this changed 8 labels, all of them Indonesian blocks (outside the
/// languages we classify into, so wrong either way), and cut the stage's time by a quarter.
const PROBE_CONFIDENCE: f64 = 0.99;

fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| LanguageDetectorBuilder::from_languages(&LANGUAGES).build())
}

/// ISO 639-1 code of a lingua language.
fn code(language: Language) -> &'static str {
    match language {
        Language::French => "fr",
        Language::English => "en",
        Language::German => "de",
        Language::Spanish => "es",
        Language::Italian => "it",
        Language::Dutch => "nl",
        Language::Portuguese => "pt",
    }
}

/// The first `SAMPLE_CHARS` characters of `text`, cut at a word boundary.
fn sample(text: &str) -> &str {
    match text.char_indices().nth(SAMPLE_CHARS) {
        Some((cut, _)) => {
            let head = &text[..cut];
            head.rfind(char::is_whitespace)
                .map_or(head, |ws| &head[..ws])
        }
        None => text,
    }
}

/// The start of `text` holding [`PROBE_LETTERS`] letters, cut at the end of a word.
fn probe(text: &str) -> &str {
    let mut seen = 0;
    for (at, c) in text.char_indices() {
        if seen >= PROBE_LETTERS && c.is_whitespace() {
            return &text[..at];
        }
        if c.is_alphabetic() {
            seen += 1;
        }
    }
    text
}

/// Language of a text and lingua's confidence in it, or `None` when undecided: from a short
/// probe when lingua is sure of it, else from the full sample.
pub fn detect(text: &str) -> Option<(&'static str, f64)> {
    detect_sample(sample(text))
}

/// [`detect`] of a text's [`sample`] (all that `detect` reads of it).
fn detect_sample(sample: &str) -> Option<(&'static str, f64)> {
    let probe = probe(sample);
    if probe.len() < sample.len()
        && let Some((language, confidence)) =
            top(detector().compute_language_confidence_values(probe))
        && confidence >= PROBE_CONFIDENCE
    {
        return Some((code(language), confidence));
    }
    let (language, confidence) = top(detector().compute_language_confidence_values(sample))?;
    (confidence > 0.0).then(|| (code(language), confidence))
}

fn top(values: Vec<(Language, f64)>) -> Option<(Language, f64)> {
    values.into_iter().next()
}

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// Fills `language` and `language_confidence` of every block, and the document's `language`
/// and `languages`.
pub fn annotate(doc: &mut Repaired) {
    let mut chars_by_language: BTreeMap<&'static str, usize> = BTreeMap::new();
    // Documents repeat blocks (headings, captions, table cells, notices): each sample is
    // judged once.
    let mut judged: FxHashMap<&str, Option<(&'static str, f64)>> = FxHashMap::default();
    for block in &mut doc.blocks {
        let text = doc.clean.get(block.start..block.end).unwrap_or_default();
        if block.kind.is_page_furniture() || letters(text) < MIN_LETTERS {
            continue;
        }
        let sample = sample(text);
        let verdict = *judged
            .entry(sample)
            .or_insert_with(|| detect_sample(sample));
        if let Some((language, confidence)) = verdict {
            block.language = Some(language);
            block.language_confidence = Some(confidence);
            *chars_by_language.entry(language).or_default() += text.chars().count();
        }
    }
    if chars_by_language.is_empty() && letters(&doc.clean) > 0 {
        // Only short blocks (or none): judge the text as a whole.
        if let Some((language, _)) = detect(&doc.clean) {
            chars_by_language.insert(language, doc.clean.chars().count());
        }
    }
    let total: usize = chars_by_language.values().sum();
    let mut shares: Vec<(&'static str, f64)> = chars_by_language
        .into_iter()
        .map(|(language, chars)| (language, chars as f64 / total.max(1) as f64))
        .collect();
    // Largest share first; ties broken by code so output is deterministic.
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    doc.language = shares.first().map(|(language, _)| *language);
    doc.languages = shares;
    if let Some(language) = doc.language {
        for block in &mut doc.blocks {
            if block.language.is_none() && !block.kind.is_page_furniture() {
                block.language = Some(language);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_and_english() {
        let fr = detect(
            "La Charte européenne des villes d'intégration vise à promouvoir la mise en œuvre",
        );
        assert_eq!(fr.map(|(l, _)| l), Some("fr"));
        let en = detect("The city of Paris has signed the Integrating Cities Charter today.");
        assert_eq!(en.map(|(l, _)| l), Some("en"));
    }

    #[test]
    fn long_blocks_are_probed_first() {
        let paragraph = "The members of the network meet every year to compare how their cities \
            welcome newcomers, and they publish what works so that others can follow. ";
        let long = paragraph.repeat(6);
        let p = probe(sample(&long));
        assert!(p.len() < sample(&long).len());
        assert!(p.chars().filter(|c| c.is_alphabetic()).count() >= PROBE_LETTERS);
        // A clear text is decided by its probe, with lingua's confidence in it.
        let (language, confidence) = detect(&long).unwrap_or(("?", 0.0));
        assert_eq!(language, "en");
        assert!(confidence >= PROBE_CONFIDENCE);
        // A probe lingua is unsure of defers to the whole sample.
        let mixed = format!(
            "{} {}",
            "EUROCITIES on Twitter: www.twitter.com/eurocities".repeat(3),
            long
        );
        assert_eq!(detect(&mixed).map(|(l, _)| l), Some("en"));
    }

    #[test]
    fn sample_cuts_at_a_word_boundary() {
        let long = "mot ".repeat(400);
        let s = sample(&long);
        assert!(s.chars().count() <= SAMPLE_CHARS);
        assert!(s.ends_with("mot"));
    }
}
