//! The whole pipeline on the embedded corpus: one schema-valid JSON per document, deterministic
//! output, and the committed `output/` snapshot reproduced byte for byte.

mod common;

use common::*;

const CORPUS_DOCUMENTS: [&str; 12] = [
    "000.html",
    "000.txt",
    "001.html",
    "001.pdf",
    "001.txt",
    "002.html",
    "002.txt",
    "003-tesseract.pdf",
    "003.pdf",
    "003.txt",
    "004.html",
    "004.txt",
];

#[test]
fn corpus_gives_one_valid_record_per_document_and_is_deterministic() {
    let first = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let second = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let code = run_into(&corpus_dir(), first.path());
    assert_eq!(code, 0, "every corpus document must process without error");

    let mut expected: Vec<String> = CORPUS_DOCUMENTS
        .iter()
        .map(|d| format!("{d}.json"))
        .collect();
    expected.push("summary.json".to_string());
    expected.sort();
    assert_eq!(files_under(first.path()), expected);

    for doc in CORPUS_DOCUMENTS {
        let record = read_json(&first.path().join(format!("{doc}.json")));
        let errors = schema_errors(&record);
        assert!(errors.is_empty(), "{doc}: schema errors: {errors:#?}");
        assert_eq!(record["doc_id"], doc);
        assert_eq!(record["source"]["file"], doc);
        assert!(
            record["errors"].as_array().is_some_and(|e| e.is_empty()),
            "{doc}: {}",
            record["errors"]
        );
        let clean = record["text"]["clean"].as_str().unwrap_or_default();
        assert!(
            clean.chars().count() > 500,
            "{doc}: too little text ({} chars)",
            clean.len()
        );
        let language = record["document"]["language"].as_str();
        let want = if doc.starts_with("001") { "en" } else { "fr" };
        assert_eq!(language, Some(want), "{doc}: document language");
        // Every block span lies inside the clean text.
        let chars = clean.chars().count() as u64;
        for block in record["blocks"].as_array().into_iter().flatten() {
            let (start, end) = (block["start"].as_u64(), block["end"].as_u64());
            assert!(
                start <= end && end <= Some(chars),
                "{doc}: block out of range: {block}"
            );
        }
    }
    let summary = read_json(&first.path().join("summary.json"));
    assert_eq!(summary["documents"], 12);
    assert_eq!(summary["failed"], 0);

    run_into(&corpus_dir(), second.path());
    for file in files_under(first.path()) {
        let a = std::fs::read(first.path().join(&file)).unwrap_or_default();
        let b = std::fs::read(second.path().join(&file)).unwrap_or_default();
        assert!(a == b, "{file} differs between two runs");
    }
}

#[test]
fn committed_output_snapshot_is_reproduced() {
    let fresh = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    run_into(&corpus_dir(), fresh.path());
    let committed = project_root().join("output");
    assert_eq!(
        files_under(&committed),
        files_under(fresh.path()),
        "output/ lists other files than a fresh run: regenerate it with `cargo run --release` and review the diff"
    );
    for file in files_under(fresh.path()) {
        let a = std::fs::read(committed.join(&file)).unwrap_or_default();
        let b = std::fs::read(fresh.path().join(&file)).unwrap_or_default();
        assert!(
            a == b,
            "output/{file} differs from a fresh run: regenerate output/ with `cargo run --release` and review the diff"
        );
    }
}

#[test]
fn jsonl_streams_one_valid_record_per_line_in_input_order() {
    let output = docfacts(&["run", "corpus", "--jsonl"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ids: Vec<String> = stdout
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            assert!(schema_errors(&record).is_empty());
            record["doc_id"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(ids, CORPUS_DOCUMENTS);
}

#[test]
fn schema_command_prints_the_vendored_schema() {
    let output = docfacts(&["schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$defs"]["date_fact"].is_object());
}
