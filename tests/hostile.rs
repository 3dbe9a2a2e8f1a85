//! The hostile corpus: every generated file gets a record (output or error), no document
//! panics or hangs, and the summary adds up. `cargo test` runs 100 files; the full-size run
//! (1,000+ files, a 1 GB Flate bomb, a 100 MB line) is `bench/hostile.sh`, which runs the
//! ignored test below with HOSTILE_COUNT and HOSTILE_SCALE set.

mod common;

use common::hostile::{Scale, generate};
use common::*;

fn hostile_run(count: usize, scale: &Scale) {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let names = generate(input.path(), count, scale);
    assert!(
        names.len() >= count.min(100),
        "generated only {} files",
        names.len()
    );
    let output = docfacts(&[
        "run",
        &input.path().to_string_lossy(),
        "-o",
        &out.path().to_string_lossy(),
        "--seconds-per-document",
        "60",
    ]);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0) | Some(1)),
        "run ended with {code:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut panics = Vec::new();
    let mut failed = 0u64;
    for name in &names {
        let path = out.path().join(format!("{name}.json"));
        assert!(path.exists(), "{name}: no record");
        let record = read_json(&path);
        let errors = record["errors"].as_array().cloned().unwrap_or_default();
        if !errors.is_empty() {
            failed += 1;
        }
        if errors.iter().any(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.contains("internal error"))
        }) {
            panics.push(format!("{name}: {}", record["errors"]));
        }
        let schema = schema_errors(&record);
        assert!(schema.is_empty(), "{name}: {schema:?}");
    }
    assert!(panics.is_empty(), "documents that panicked: {panics:#?}");
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["documents"].as_u64(), Some(names.len() as u64));
    assert_eq!(summary["failed"].as_u64(), Some(failed));
    assert_eq!(
        summary["succeeded"].as_u64().unwrap_or(0) + failed,
        names.len() as u64,
        "summary counts add up"
    );
    eprintln!(
        "hostile corpus: {} files, {} failed with an error record, 0 panics",
        names.len(),
        failed
    );
}

#[test]
fn hostile_corpus_small() {
    hostile_run(
        100,
        &Scale {
            bomb_bytes: 64 << 20,
            long_line_bytes: 5 << 20,
        },
    );
}

#[test]
#[ignore = "full size: run by bench/hostile.sh"]
fn hostile_corpus_full() {
    let count = std::env::var("HOSTILE_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    hostile_run(
        count,
        &Scale {
            bomb_bytes: 1 << 30,
            long_line_bytes: 100 << 20,
        },
    );
}
