//! The HTML extractor on the corpus pages: main text against the hand-made gold main texts
//! (tests/gold-main/*.main.txt), scored with the shingle F1 of shared/bench/html/score.py
//! (re-implemented below), and the charset of the windows-1252 page.

use docfacts::extract::html;
use docfacts::limits::Limits;
use docfacts::model::{BlockKind, SourceKind};
use std::collections::HashMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// score.py's tokens: maximal runs of Unicode word characters (Python's `\w+`: letters,
/// digits and numerics, and '_').
fn tokens(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// score.py's shingles: all runs of 4 consecutive tokens (fewer tokens: one shorter shingle).
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let toks = tokens(text);
    let mut counts = HashMap::new();
    if toks.is_empty() {
        return counts;
    }
    if toks.len() < 4 {
        *counts.entry(toks).or_insert(0) += 1;
        return counts;
    }
    for window in toks.windows(4) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Per-page precision, recall and F1 of the multiset shingle comparison.
fn shingle_prf(predicted: &str, truth: &str) -> (f64, f64, f64) {
    let pred = shingles(predicted);
    let gold = shingles(truth);
    let mut tp = 0usize;
    for (s, &n) in &pred {
        tp += n.min(gold.get(s).copied().unwrap_or(0));
    }
    let pred_total: usize = pred.values().sum();
    let gold_total: usize = gold.values().sum();
    let (fp, fn_) = (pred_total - tp, gold_total - tp);
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

fn extract(name: &str) -> docfacts::model::Extracted {
    let path = root().join("corpus").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    html::extract(&bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("extracting {}: {e}", path.display()))
}

fn check_against_gold(id: &str) -> docfacts::model::Extracted {
    let out = extract(&format!("{id}.html"));
    let gold_path = root()
        .join("tests/gold-main")
        .join(format!("{id}.main.txt"));
    let gold = std::fs::read_to_string(&gold_path).expect("reading gold main text");
    let (p, r, f1) = shingle_prf(&out.text, &gold);
    assert!(
        f1 >= 0.98,
        "{id}.html: shingle P {p:.3} R {r:.3} F1 {f1:.3} < 0.98\n--- got:\n{}\n",
        out.text
    );
    assert_eq!(out.kind, SourceKind::Html);
    // Layout: blocks separated by a blank line, lines trimmed, blocks cover their text.
    for line in out.text.lines() {
        assert_eq!(line, line.trim(), "{id}: untrimmed line {line:?}");
    }
    for block in &out.blocks {
        let text = &out.text[block.start..block.end];
        assert!(!text.trim().is_empty(), "{id}: empty block");
    }
    for link in &out.links {
        assert!(out.text.is_char_boundary(link.start) && out.text.is_char_boundary(link.end));
    }
    out
}

#[test]
fn shingle_metric_matches_score_py_definition() {
    assert_eq!(
        tokens("Écrire à l'équipe_2 : ok"),
        vec!["Écrire", "à", "l", "équipe_2", "ok"]
    );
    let (p, r, f1) = shingle_prf("a b c d e", "a b c d");
    assert_eq!((p, r), (0.5, 1.0));
    assert!((f1 - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(shingle_prf("un deux", "un deux").2, 1.0);
}

#[test]
fn page_000_press_invitation() {
    let out = check_against_gold("000");
    assert_eq!(out.encoding.as_deref(), Some("utf-8"));
    assert_eq!(out.meta.language.as_deref(), Some("fr"));
    assert_eq!(
        out.meta.title.as_deref(),
        Some("INVITATION PRESSE – Mercredi 18 décembre à 17h45")
    );
    assert_eq!(
        out.meta.published.as_deref(),
        Some("2013-12-18T09:47:00+01:00")
    );
    assert_eq!(out.meta.site_name.as_deref(), Some("Paris.fr"));
    // The contact list keeps one item per block, and the mailto links point into the text.
    let items = out
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::ListItem)
        .count();
    assert_eq!(items, 7);
    let mail: Vec<(&str, &str)> = out
        .links
        .iter()
        .filter(|l| l.href.starts_with("mailto:"))
        .map(|l| (&out.text[l.start..l.end], l.href.as_str()))
        .collect();
    assert_eq!(mail.len(), 4);
    assert!(mail.contains(&("giles.spence@paris.fr", "mailto:giles.spence@paris.fr")));
    let h1 = out
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Heading && b.level == Some(1))
        .expect("h1 block");
    assert_eq!(
        &out.text[h1.start..h1.end],
        "INVITATION PRESSE – Mercredi 18 décembre à 17h45"
    );
}

#[test]
fn page_001_press_release() {
    let out = check_against_gold("001");
    assert_eq!(out.meta.language.as_deref(), Some("en"));
    assert!(out.blocks.iter().any(|b| b.kind == BlockKind::Quote));
    assert!(
        out.links.iter().any(|l| l.href == "http://goo.gl/aDpklq"
            && &out.text[l.start..l.end] == "http://goo.gl/aDpklq")
    );
}

#[test]
fn page_002_wordpress_post() {
    let out = check_against_gold("002");
    assert_eq!(
        out.meta.published.as_deref().map(|d| &d[..10]),
        Some("2013-07-04")
    );
    assert!(!out.text.contains("Partager"));
    assert!(!out.text.contains("Suis nous sur"));
}

#[test]
fn page_004_windows_1252() {
    let out = check_against_gold("004");
    assert_eq!(out.encoding.as_deref(), Some("windows-1252"));
    assert!(
        !out.text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "C1 control characters left in the text"
    );
    // 0x85 and 0x92 are '…' and '’' in windows-1252.
    assert!(out.text.contains("infrastructures…"));
    assert!(out.text.contains("C’est le porte parole"));
    assert_eq!(
        out.meta.title.as_deref(),
        Some("La participation aux réseaux des villes")
    );
}
