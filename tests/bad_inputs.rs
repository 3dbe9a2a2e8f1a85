//! A folder of broken inputs next to a good one: the batch completes, every bad file gets an
//! error record (in its JSON and in the summary), the good ones are processed, exit code 1.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

/// Deterministic pseudo-random bytes (xorshift), so the test is repeatable.
fn noise(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("writing {name}: {e}"));
}

fn make_bad_folder(dir: &Path) {
    let pdf = std::fs::read(corpus_dir().join("001.pdf")).unwrap_or_default();
    assert!(pdf.len() > 10_000);
    write(dir, "empty.txt", b"");
    write(dir, "random.pdf", &noise(20_000, 0x9e37_79b9_7f4a_7c15));
    write(dir, "truncated.pdf", &pdf[..pdf.len() * 2 / 5]);
    // Broken cross-reference: the startxref offset points nowhere and the table is garbage.
    let mut broken = pdf.clone();
    if let Some(pos) = broken.windows(4).rposition(|w| w == b"xref") {
        for b in broken.iter_mut().skip(pos).take(60) {
            if b.is_ascii_digit() {
                *b = b'7';
            }
        }
    }
    write(dir, "broken-xref.pdf", &broken);
    let mut html = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bad bytes</title></head><body><article><p>Contact: ".to_vec();
    html.extend_from_slice(b"\xff\xfe\xc3 r\xe9union \x80\x81 presse@example.org, le 3 mars 2014.</p></article></body></html>");
    write(dir, "invalid-bytes.html", &html);
    write(
        dir,
        "unreadable.txt",
        "Texte lisible par root seulement.".as_bytes(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(
            dir.join("unreadable.txt"),
            std::fs::Permissions::from_mode(0o000),
        );
        let _ =
            std::os::unix::fs::symlink(dir.join("does-not-exist.txt"), dir.join("dangling.txt"));
    }
    let mut line = Vec::with_capacity(50 * 1024 * 1024 + 64);
    while line.len() < 50 * 1024 * 1024 {
        line.extend_from_slice("la ville de Paris adhère au réseau des villes ".as_bytes());
    }
    write(dir, "huge-line.txt", &line);
    write(
        dir,
        "good.txt",
        "Paris, le 18 décembre 2013\n\nContact presse : service.presse@paris.fr\n".as_bytes(),
    );
}

fn record(out: &Path, name: &str) -> Value {
    read_json(&out.join(format!("{name}.json")))
}

fn first_error_stage(record: &Value) -> Option<String> {
    record["errors"][0]["stage"].as_str().map(str::to_string)
}

#[test]
fn bad_inputs_get_error_records_and_the_batch_completes() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    make_bad_folder(input.path());
    let code = run_into(input.path(), out.path());
    assert_eq!(code, 1, "some documents failed: exit code 1");

    // Every input has a record, and every record is schema-valid.
    let mut names = vec![
        "broken-xref.pdf",
        "empty.txt",
        "good.txt",
        "huge-line.txt",
        "invalid-bytes.html",
        "random.pdf",
        "truncated.pdf",
        "unreadable.txt",
    ];
    if cfg!(unix) {
        names.push("dangling.txt");
    }
    for name in &names {
        let rec = record(out.path(), name);
        assert!(
            schema_errors(&rec).is_empty(),
            "{name}: {:?}",
            schema_errors(&rec)
        );
        let messages = rec["errors"].to_string();
        assert!(
            !messages.contains("internal error"),
            "{name} panicked: {messages}"
        );
    }

    assert_eq!(
        first_error_stage(&record(out.path(), "empty.txt")).as_deref(),
        Some("read")
    );
    assert_eq!(
        first_error_stage(&record(out.path(), "random.pdf")).as_deref(),
        Some("detect")
    );
    if cfg!(unix) {
        assert_eq!(
            first_error_stage(&record(out.path(), "dangling.txt")).as_deref(),
            Some("read")
        );
    }
    // A truncated PDF or a broken xref is either recovered (with its text) or a pdf error.
    for name in ["truncated.pdf", "broken-xref.pdf"] {
        let rec = record(out.path(), name);
        match first_error_stage(&rec) {
            Some(stage) => assert_eq!(stage, "pdf", "{name}"),
            None => assert!(
                rec["text"]["raw"].as_str().is_some_and(|t| !t.is_empty()),
                "{name}"
            ),
        }
    }
    // Root reads a mode-000 file; anyone else gets a read error.
    let unreadable = record(out.path(), "unreadable.txt");
    match first_error_stage(&unreadable) {
        Some(stage) => assert_eq!(stage, "read"),
        None => assert_eq!(
            unreadable["text"]["raw"],
            "Texte lisible par root seulement."
        ),
    }

    // Invalid bytes in HTML decode like a browser would (U+FFFD), and the text is kept.
    let html = record(out.path(), "invalid-bytes.html");
    assert!(
        html["errors"].as_array().is_some_and(|e| e.is_empty()),
        "{}",
        html["errors"]
    );
    assert!(
        html["text"]["clean"]
            .as_str()
            .is_some_and(|t| t.contains("presse@example.org"))
    );

    let huge = record(out.path(), "huge-line.txt");
    assert!(huge["errors"].as_array().is_some_and(|e| e.is_empty()));
    assert!(
        huge["text"]["raw"]
            .as_str()
            .is_some_and(|t| t.len() >= 50 * 1024 * 1024)
    );

    let good = record(out.path(), "good.txt");
    assert!(good["errors"].as_array().is_some_and(|e| e.is_empty()));
    assert_eq!(good["document"]["language"], "fr");

    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["documents"], names.len());
    let failed: Vec<&str> = summary["failed_documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["doc_id"].as_str())
        .collect();
    for name in ["empty.txt", "random.pdf"] {
        assert!(
            failed.contains(&name),
            "{name} missing from the summary's failed list: {failed:?}"
        );
    }
    assert_eq!(
        summary["failed"].as_u64(),
        Some(failed.len() as u64),
        "summary counts add up"
    );
    assert_eq!(
        summary["succeeded"].as_u64().unwrap_or(0) + summary["failed"].as_u64().unwrap_or(0),
        names.len() as u64
    );
}
