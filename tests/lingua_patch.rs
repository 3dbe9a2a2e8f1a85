//! The lingua in vendor/lingua is lingua 1.8.0 with a per-thread memo of n-gram lookups and a
//! faster character-rule count (vendor/README.md). This checks that it gives the results of
//! the published lingua: tests/lingua/reference.json holds the published crate's confidence
//! values on 589 texts (corpus paragraphs, their 150-letter probes, lines and short phrases),
//! made by vendor/lingua-reference/make.sh.
//!
//! Values are compared to within 1e-12: the published crate sums the softmax denominator in a
//! HashMap's random order, so its own last bits vary from run to run (the patch sums in
//! language order).

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::collections::BTreeMap;

/// A detector for docfacts' languages, as `docfacts::language` builds it.
fn detector() -> LanguageDetector {
    LanguageDetectorBuilder::from_languages(&docfacts::language::LANGUAGES).build()
}

struct Case {
    text: String,
    values: BTreeMap<String, f64>,
}

fn reference() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lingua/reference.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("reference.json"))
            .expect("json");
    json.as_array()
        .expect("array of cases")
        .iter()
        .map(|case| Case {
            text: case["text"].as_str().expect("text").to_string(),
            values: case["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|pair| {
                    let bits =
                        u64::from_str_radix(pair[1].as_str().expect("bits"), 16).expect("hex");
                    (
                        pair[0].as_str().expect("language").to_string(),
                        f64::from_bits(bits),
                    )
                })
                .collect(),
        })
        .collect()
}

fn values(detector: &LanguageDetector, text: &str) -> BTreeMap<String, f64> {
    detector
        .compute_language_confidence_values(text)
        .into_iter()
        .map(|(language, confidence)| (language.to_string(), confidence))
        .collect()
}

fn assert_same(case: &Case, got: &BTreeMap<String, f64>) {
    assert_eq!(got.len(), case.values.len(), "languages of {:?}", case.text);
    for (language, expected) in &case.values {
        let value = got[language];
        assert!(
            (value - expected).abs() <= 1e-12,
            "{language} on {:?}: patched {value}, published {expected}",
            case.text
        );
    }
}

#[test]
fn patched_lingua_gives_the_published_results() {
    let cases = reference();
    assert!(cases.len() > 500, "{} cases", cases.len());
    let detector = detector();
    // Twice: the first pass fills this thread's memo, the second reads from it.
    for pass in 0..2 {
        for case in &cases {
            let got = values(&detector, &case.text);
            assert_same(case, &got);
        }
        let decided = cases
            .iter()
            .filter(|c| c.values.values().any(|v| *v > 0.5))
            .count();
        assert!(
            decided > 400,
            "pass {pass}: {decided} texts with a clear language"
        );
    }
}

#[test]
fn patched_lingua_is_bit_identical_across_threads_and_runs() {
    let cases = reference();
    let first: Vec<Vec<u64>> = cases
        .iter()
        .map(|case| {
            values(&detector(), &case.text)
                .values()
                .map(|v| v.to_bits())
                .collect()
        })
        .collect();
    // Another thread (a cold memo) and the reverse order (a memo filled by other texts).
    let other = std::thread::spawn(move || {
        let detector = detector();
        let mut all: Vec<Vec<u64>> = reference()
            .iter()
            .rev()
            .map(|case| {
                values(&detector, &case.text)
                    .values()
                    .map(|v| v.to_bits())
                    .collect()
            })
            .collect();
        all.reverse();
        all
    })
    .join()
    .expect("thread");
    let differing = first.iter().zip(&other).position(|(a, b)| a != b);
    assert_eq!(
        differing.map(|index| &cases[index].text),
        None,
        "confidence bits differ between runs on this text"
    );
}

#[test]
fn upstream_documented_example_holds() {
    // From lingua's own documentation of compute_language_confidence_values.
    let detector = LanguageDetectorBuilder::from_languages(&[
        Language::English,
        Language::French,
        Language::German,
        Language::Spanish,
    ])
    .build();
    let rounded: Vec<(Language, f64)> = detector
        .compute_language_confidence_values("languages are awesome")
        .into_iter()
        .map(|(language, confidence)| (language, (confidence * 100.0).round() / 100.0))
        .collect();
    assert_eq!(
        rounded,
        vec![
            (Language::English, 0.93),
            (Language::French, 0.04),
            (Language::German, 0.02),
            (Language::Spanish, 0.01)
        ]
    );
}
