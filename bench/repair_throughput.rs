//! Repair throughput in words/s on the corpus texts repeated to at least 1 M words.
//!
//! `CARGO_TARGET_DIR=/work/target cargo bench --bench repair_throughput`
//! Two passes: every document forced through all layers (as an OCR text layer, the worst case),
//! then as plain text (the symptom check decides; clean texts pass through unchanged).

use docfacts::model::{Extracted, SourceKind};
use docfacts::repair::lexicon::Lang;
use docfacts::repair::{RepairOptions, Repairer};
use std::path::Path;
use std::time::Instant;

const MIN_WORDS: usize = 1_000_000;
/// `cargo test --all-targets` runs this file too (without `--bench`): a quick smoke run then.
const SMOKE_WORDS: usize = 10_000;

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    for dir in ["corpus", "tests/gold-main"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            texts.push(std::fs::read_to_string(&p)?);
        }
    }
    let words_per_round: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    anyhow::ensure!(words_per_round > 0, "no corpus text found");
    let min_words = if std::env::args().any(|a| a == "--bench") {
        MIN_WORDS
    } else {
        SMOKE_WORDS
    };
    let rounds = min_words.div_ceil(words_per_round);
    let words = rounds * words_per_round;

    let t0 = Instant::now();
    let repairer = Repairer::embedded()?;
    println!(
        "load: {:.0} ms (rules + lexicons fr {} / en {} forms)",
        t0.elapsed().as_secs_f64() * 1000.0,
        repairer.lexicons().fr.len(),
        repairer.lexicons().en.len()
    );

    for (label, kind) in [
        (
            "all layers (documents as OCR text layers)",
            SourceKind::PdfOcr,
        ),
        ("as plain text (symptom check decides)", SourceKind::Text),
    ] {
        let start = Instant::now();
        let mut corrections = 0usize;
        for _ in 0..rounds {
            for t in &texts {
                let mut e = Extracted::new(kind);
                e.text = t.clone();
                corrections += repairer.repair(e).corrections.len();
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{label}: {} documents, {words} words in {secs:.2} s = {:.0} words/s ({corrections} corrections)",
            rounds * texts.len(),
            words as f64 / secs
        );
    }

    // Where the time goes: the symptom check alone, then one layer at a time on the OCR seed.
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            std::hint::black_box(repairer.profile(t, SourceKind::Text));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("symptom check only: {:.0} words/s", words as f64 / secs);
    let seed = texts
        .iter()
        .find(|t| repairer.profile(t, SourceKind::Text).ocr)
        .cloned()
        .unwrap_or_default();
    let seed_words = seed.split_whitespace().count().max(1);
    for only in ["structural", "lexical", "context"] {
        let others: Vec<String> = ["structural", "lexical", "context"]
            .iter()
            .filter(|l| **l != only)
            .map(|l| l.to_string())
            .collect();
        let r = Repairer::with_options(RepairOptions::from_switches(&others))?;
        let reps = if min_words == MIN_WORDS { 30 } else { 1 };
        let start = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(r.repair_as(&seed, Lang::Fr));
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "OCR seed, {only} layer only: {:.0} words/s",
            (reps * seed_words) as f64 / secs
        );
    }

    // Lexicon membership checks.
    let lex = &repairer.lexicons().fr;
    let sample: Vec<&str> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let start = Instant::now();
    let mut known = 0usize;
    let mut checks = 0usize;
    while checks < 2 * min_words {
        for w in &sample {
            known += usize::from(lex.knows(w));
        }
        checks += sample.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "lexicon: {checks} membership checks in {secs:.2} s = {:.0} checks/s ({known} known)",
        checks as f64 / secs
    );
    Ok(())
}
