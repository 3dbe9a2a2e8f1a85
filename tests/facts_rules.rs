//! `docfacts rules test` as part of `cargo test`: every example and counter-example of every
//! fact rule, through the whole engine, and the rule folder loads like the embedded rules.

use docfacts::facts::{FactEngine, selftest};
use std::path::Path;

#[test]
fn every_rule_example_passes() {
    let engine = FactEngine::embedded().expect("embedded rules load");
    let report = selftest::run(&engine);
    for f in &report.failures {
        eprintln!("FAIL {} {}: {}", f.file, f.rule, f.message);
    }
    assert!(report.checked > 200, "only {} checks", report.checked);
    assert!(
        report.failures.is_empty(),
        "{} rule checks failed",
        report.failures.len()
    );
}

#[test]
fn rule_folder_matches_the_embedded_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/facts");
    let from_dir = FactEngine::from_dir(&dir).expect("rule folder loads");
    let embedded = FactEngine::embedded().expect("embedded rules load");
    let names = |e: &FactEngine| e.files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let mut a = names(&from_dir);
    let mut b = names(&embedded);
    a.sort();
    b.sort();
    assert_eq!(
        a, b,
        "every file of rules/facts must be embedded (rules.rs EMBEDDED)"
    );
    assert!(selftest::run(&from_dir).failures.is_empty());
}

#[test]
fn broken_rule_files_are_refused_with_context() {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/facts");
    for entry in std::fs::read_dir(&src).expect("rules dir") {
        let p = entry.expect("entry").path();
        std::fs::copy(&p, dir.path().join(p.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(
        dir.path().join("extra.fr.toml"),
        "[[rule]]\nid = \"x\"\npattern = '{no_such_fragment}'\nresolve = \"year\"\nconfidence = 0.5\n",
    )
    .expect("write");
    let err = FactEngine::from_dir(dir.path())
        .err()
        .expect("unknown fragment refused");
    assert!(format!("{err:#}").contains("no_such_fragment"), "{err:#}");
}
