//! The repair stage on every corpus document: `text.raw` rebuilds exactly from `text.clean` and
//! the corrections (through the library's pipeline, in the record's code-point offsets), clean
//! documents get no correction, and the OCR'd seed gets its corrections outside URLs, e-mails
//! and numbers.

use docfacts::extract;
use docfacts::limits::Limits;
use docfacts::model::{Extracted, Repaired, SourceKind};
use docfacts::pipeline::Pipeline;
use docfacts::read::{self, InputFile};
use docfacts::repair::edits::rebuild_raw;
use docfacts::repair::text::Protected;
use docfacts::repair::{RepairOptions, Repairer};
use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<InputFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let found = read::discover(&[root], None);
    assert!(
        found.report.problems.is_empty(),
        "{:?}",
        found.report.problems
    );
    let files = found.files;
    assert!(files.len() >= 10, "corpus has {} files", files.len());
    files
}

fn input(name: &str) -> InputFile {
    InputFile {
        path: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(name),
        rel_path: name.to_string(),
    }
}

fn repaired(repairer: &Repairer, file: &InputFile) -> Repaired {
    try_repaired(repairer, file).unwrap_or_else(|p| panic!("{p}"))
}

/// `Err` when the file cannot be extracted (an extractor this branch does not have yet).
fn try_repaired(repairer: &Repairer, file: &InputFile) -> Result<Repaired, String> {
    let limits = Limits::default();
    let source = read::load(file, &limits).map_err(|e| format!("{:?}", e.1))?;
    let extracted = extract::extract(&source, &limits)
        .map_err(|p| format!("extracting {}: {p}", file.rel_path))?;
    Ok(repairer.repair(extracted))
}

fn check_invariant(doc: &Repaired, name: &str) {
    assert_eq!(
        rebuild_raw(&doc.clean, &doc.corrections).as_deref(),
        Some(doc.raw.as_str()),
        "{name}: raw does not rebuild"
    );
    for c in &doc.corrections {
        assert_eq!(
            doc.raw.get(c.raw_start..c.raw_end),
            Some(c.raw.as_str()),
            "{name}"
        );
        assert_eq!(
            doc.clean.get(c.clean_start..c.clean_end),
            Some(c.clean.as_str()),
            "{name}"
        );
        assert_ne!(c.raw, c.clean, "{name}: empty correction {c:?}");
        assert!((0.0..=1.0).contains(&c.confidence));
        assert!(!c.rule.is_empty());
    }
    for w in doc.corrections.windows(2) {
        assert!(
            w[0].clean_end <= w[1].clean_start,
            "{name}: {:?} / {:?}",
            w[0],
            w[1]
        );
        assert!(
            w[0].raw_end <= w[1].raw_start,
            "{name}: {:?} / {:?}",
            w[0],
            w[1]
        );
    }
    for b in &doc.blocks {
        assert!(
            b.start <= b.end && b.end <= doc.clean.len(),
            "{name}: block {b:?}"
        );
        assert!(doc.clean.is_char_boundary(b.start) && doc.clean.is_char_boundary(b.end));
    }
}

/// Through the whole pipeline: the record's `text.raw` rebuilds from `text.clean` and
/// `corrections` with code-point offsets, exactly as the schema's reader does it.
#[test]
fn raw_rebuilds_from_clean_for_every_corpus_document() {
    let pipeline = Pipeline::new(Limits::default()).expect("pipeline");
    for file in corpus_files() {
        let record = pipeline.process_file(&file);
        let value = serde_json::to_value(&record).expect("record serialises");
        let Some(text) = value.get("text").filter(|t| !t.is_null()) else {
            // A document the pipeline could not read (e.g. a format not supported yet) has
            // no text and no corrections.
            assert!(record.corrections.is_empty());
            continue;
        };
        let raw = text["raw"].as_str().expect("raw");
        let clean = text["clean"].as_str().expect("clean");
        let mut rebuilt: Vec<char> = clean.chars().collect();
        let corrections = value["corrections"].as_array().cloned().unwrap_or_default();
        for c in corrections.iter().rev() {
            let s = c["clean_start"].as_u64().expect("clean_start") as usize;
            let e = c["clean_end"].as_u64().expect("clean_end") as usize;
            let piece: String = rebuilt[s..e].iter().collect();
            assert_eq!(
                piece,
                c["clean"].as_str().unwrap_or_default(),
                "{}",
                file.rel_path
            );
            let raw_piece: Vec<char> = c["raw"].as_str().unwrap_or_default().chars().collect();
            rebuilt.splice(s..e, raw_piece);
        }
        let rebuilt: String = rebuilt.into_iter().collect();
        assert_eq!(rebuilt, raw, "{}: raw does not rebuild", file.rel_path);

        let repairer = &pipeline.repairer;
        let doc = repaired(repairer, &file);
        check_invariant(&doc, &file.rel_path);
    }
}

#[test]
fn clean_documents_get_no_correction() {
    let repairer = Repairer::embedded().expect("repairer");
    for name in [
        "000.txt", "000.html", "001.txt", "001.html", "001.pdf", "002.txt", "002.html", "004.txt",
        "004.html",
    ] {
        let doc = match try_repaired(&repairer, &input(name)) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("skipped {name}: {e}");
                continue;
            }
        };
        assert!(
            doc.corrections.is_empty(),
            "{name}: {} corrections, first {:?}",
            doc.corrections.len(),
            doc.corrections.first()
        );
        assert_eq!(doc.clean, doc.raw);
        let profile = repairer.profile(&doc.raw, doc.kind);
        assert!(!profile.ocr, "{name}: {profile:?}");
    }
    // The main text of the HTML pages, as the HTML extractor is meant to produce it.
    let gold_main = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold-main");
    let mut seen = 0;
    for entry in std::fs::read_dir(&gold_main)
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut extracted = Extracted::new(SourceKind::Html);
        extracted.text = text;
        let doc = repairer.repair(extracted);
        assert!(
            doc.corrections.is_empty(),
            "{:?}: {:?}",
            entry.path(),
            doc.corrections.first()
        );
        seen += 1;
    }
    eprintln!("{seen} HTML main texts checked");
}

#[test]
fn ocr_seed_is_repaired_outside_protected_spans() {
    let repairer = Repairer::embedded().expect("repairer");
    let doc = repaired(&repairer, &input("003.txt"));
    check_invariant(&doc, "003.txt");
    let profile = repairer.profile(&doc.raw, doc.kind);
    assert!(profile.ocr, "{profile:?}");
    assert_eq!(profile.lang.code(), "fr");
    assert!(doc.corrections.len() > 150, "{}", doc.corrections.len());
    let protected = Protected::find(&doc.raw);
    for c in &doc.corrections {
        assert!(
            !protected.overlaps(c.raw_start, c.raw_end),
            "correction inside a URL, e-mail or number: {c:?}"
        );
        assert!(
            !c.raw.chars().any(|ch| ch.is_ascii_digit()) || c.raw.chars().any(char::is_alphabetic)
        );
    }
    // Typical repairs.
    for (raw, clean) in [
        ("Conseil de I'Europe", "Conseil de l'Europe"),
        ("mise en ceuvre", "mise en œuvre"),
        ("ces derniéres", "ces dernières"),
        ("au r6le", "au rôle"),
        ("Conformément a la", "Conformément à la"),
        ("e Permettre", "• Permettre"),
    ] {
        assert!(doc.raw.contains(raw), "{raw}");
        assert!(!doc.clean.contains(raw), "{raw} left");
        assert!(doc.clean.contains(clean), "{clean} missing");
    }
    // The URLs survive unchanged.
    assert!(
        doc.clean
            .contains("http://www.coe.int/t/congress/sessions/20110922-roma-summit/default_FR.asp")
    );
    assert!(
        doc.clean
            .contains("ViewDoc.jsp?Ref=CM(2010)133&L anguage=lanFrench")
    );
}

/// Character error rate against the hand-corrected gold (shared/ocr-seed, beside the repo).
#[test]
fn ocr_seed_character_error_rate() {
    let gold_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ocr-seed/003.gold.txt");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!("skipped: {} not found", gold_path.display());
        return;
    };
    let repairer = Repairer::embedded().expect("repairer");
    let doc = repaired(&repairer, &input("003.txt"));
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (gold_lines, clean_lines): (Vec<String>, Vec<String>) = (
        gold.lines().map(collapse).collect(),
        doc.clean.lines().map(collapse).collect(),
    );
    let raw_lines: Vec<String> = doc.raw.lines().map(collapse).collect();
    let cer = |hyp: &[String]| -> f64 {
        let mut edits = 0usize;
        let mut chars = 0usize;
        for (i, g) in gold_lines.iter().enumerate() {
            let h = hyp.get(i).map(String::as_str).unwrap_or("");
            edits += levenshtein(g, h);
            chars += g.chars().count();
        }
        edits as f64 / chars.max(1) as f64
    };
    let raw_cer = cer(&raw_lines);
    let clean_cer = cer(&clean_lines);
    eprintln!(
        "CER raw {:.2} % -> clean {:.2} %",
        raw_cer * 100.0,
        clean_cer * 100.0
    );
    assert!(raw_cer > 0.015);
    assert!(clean_cer <= 0.0030, "CER {:.3} %", clean_cer * 100.0);
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[test]
fn a_disabled_rule_or_layer_does_not_run() {
    let all = Repairer::embedded().expect("repairer");
    let no_elision = Repairer::with_options(RepairOptions::from_switches(&[
        "fr.elision.capital_i".to_string(),
    ]))
    .expect("repairer");
    let no_lexical = Repairer::with_options(RepairOptions::from_switches(&["lexical".to_string()]))
        .expect("repairer");
    let file = input("003.txt");
    let full = repaired(&all, &file);
    let a = repaired(&no_elision, &file);
    let b = repaired(&no_lexical, &file);
    assert!(
        full.corrections
            .iter()
            .any(|c| c.rule.contains("fr.elision.capital_i"))
    );
    assert!(
        !a.corrections
            .iter()
            .any(|c| c.rule.contains("fr.elision.capital_i"))
    );
    assert!(a.clean.contains("Conseil de I'Europe"));
    assert!(!b.corrections.iter().any(|c| c.rule.contains(".lexical.")));
    assert!(b.clean.contains("ceuvre"));
    assert!(
        Repairer::with_options(RepairOptions::from_switches(&["no.such.rule".to_string()]))
            .is_err()
    );
}

/// Garbage forced through every layer stays bounded and keeps the invariant.
#[test]
fn hostile_input_is_bounded() {
    let repairer = Repairer::embedded().expect("repairer");
    let mut seed: u64 = 42;
    let mut text = String::new();
    let letters: Vec<char> = "aeéèioucelrnmtsqg6'’[I&- ".chars().collect();
    for i in 0..200_000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let idx = (seed >> 33) as usize % letters.len();
        text.push(letters[idx]);
        if i % 97 == 0 {
            text.push('\n');
        }
    }
    let mut extracted = Extracted::new(SourceKind::PdfOcr);
    extracted.text = text;
    let start = std::time::Instant::now();
    let doc = repairer.repair(extracted);
    check_invariant(&doc, "hostile");
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

/// The hand-corrected seed is clean French: no symptoms, no change. The same text with `à`
/// read as `a` (the typical damage of a good tesseract layer) shows symptoms and is repaired.
#[test]
fn gold_text_is_clean_and_its_a_grave_damage_is_seen() {
    let gold_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ocr-seed/003.gold.txt");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!("skipped: {} not found", gold_path.display());
        return;
    };
    let repairer = Repairer::embedded().expect("repairer");
    let profile = repairer.profile(&gold, SourceKind::Text);
    assert!(!profile.ocr, "{profile:?}");
    let mut extracted = Extracted::new(SourceKind::Text);
    extracted.text = gold.clone();
    assert!(repairer.repair(extracted).corrections.is_empty());

    let damaged = gold.replace(" à ", " a ");
    assert!(repairer.profile(&damaged, SourceKind::Text).ocr);
    let mut extracted = Extracted::new(SourceKind::Text);
    extracted.text = damaged.clone();
    let doc = repairer.repair(extracted);
    let fixed = doc.corrections.iter().filter(|c| c.clean == "à").count();
    let damaged_count = damaged.matches(" a ").count() - gold.matches(" a ").count();
    assert!(
        fixed * 10 >= damaged_count * 8,
        "{fixed} of {damaged_count} fixed"
    );
}
