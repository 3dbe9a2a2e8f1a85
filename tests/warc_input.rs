//! WARC archives as input of `docfacts run`: one document per HTML response record, ids from
//! the target URI that stay inside the output folder, the charset of the HTTP header, skipped
//! records counted, a truncated record reported while the records before it are kept.

mod common;

use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// One WARC record: header, block, the two CRLF that end it.
fn record(kind: &str, uri: &str, id: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Corpus page 004 (ISO-8859-1 declared in a <meta>) without its <meta> declaration: only the
/// HTTP header of the record names the charset.
fn page_004_without_meta_charset() -> Vec<u8> {
    let bytes = std::fs::read(corpus_dir().join("004.html")).unwrap_or_else(|e| panic!("{e}"));
    let declaration: &[u8] =
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\" />";
    let at = bytes
        .windows(declaration.len())
        .position(|w| w == declaration)
        .unwrap_or_else(|| panic!("004.html has no charset <meta>"));
    [&bytes[..at], &bytes[at + declaration.len()..]].concat()
}

/// The records of the test archives, in order; the last one is cut short.
fn records() -> Vec<Vec<u8>> {
    let page_000 = std::fs::read(corpus_dir().join("000.html")).unwrap_or_else(|e| panic!("{e}"));
    let passwd_page =
        b"<html><head><title>Note</title></head><body><p>Une page au chemin hostile, \
        dont le nom ne doit jamais sortir du dossier de sortie.</p></body></html>";
    let mut cut = record(
        "response",
        "https://ex.fr/coupee",
        "5",
        &http_response("text/html", b"<html><body><p>Texte coupe au milieu du"),
    );
    cut.truncate(cut.len() - 30);
    vec![
        record("warcinfo", "", "0", b"software: docfacts-test\r\n"),
        record(
            "request",
            "https://www.paris.fr/presse",
            "1",
            b"GET /presse HTTP/1.1\r\nHost: www.paris.fr\r\n\r\n",
        ),
        record(
            "response",
            "https://www.paris.fr/presse",
            "2",
            &http_response("text/html; charset=utf-8", &page_000),
        ),
        record(
            "response",
            "https://ex.fr/logo.png",
            "3",
            &http_response("image/png", b"\x89PNG\r\n\x1a\n"),
        ),
        record(
            "response",
            "https://www.uclg.org/reseaux",
            "4",
            &http_response(
                "text/html; charset=windows-1252",
                &page_004_without_meta_charset(),
            ),
        ),
        record(
            "response",
            "http://x/../../etc/passwd",
            "6",
            &http_response("text/html", passwd_page),
        ),
        cut,
    ]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    encoder.finish().unwrap_or_else(|e| panic!("{e}"))
}

/// The ids the records get: host and path, a hash of record id and URI.
const IDS: [&str; 4] = [
    "www.paris.fr_presse-6b03d60d.html",
    "www.uclg.org_reseaux-dc16cd04.html",
    "x_._._etc_passwd-67d759de.html",
    "ex.fr_coupee-cc223567.html",
];

fn run_on(input: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let (i, o) = (input.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["run", &i, "-o", &o];
    args.extend_from_slice(extra);
    let output = docfacts(&args);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn check_archive_outputs(out: &Path, archive: &str) {
    let expected: Vec<String> = IDS
        .iter()
        .map(|id| format!("{archive}/{id}.json"))
        .collect();
    let found: Vec<String> = files_under(out)
        .into_iter()
        .filter(|f| f.starts_with(&format!("{archive}/")))
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(found, expected_sorted);

    let paris = read_json(&out.join(&expected[0]));
    assert_eq!(paris["doc_id"], format!("{archive}/{}", IDS[0]));
    let file_name = archive.rsplit('/').next().unwrap_or(archive);
    assert_eq!(paris["source"]["file"], file_name);
    assert_eq!(paris["source"]["path"], archive);
    assert_eq!(paris["source"]["x_warc_record_id"], "<urn:uuid:2>");
    assert_eq!(
        paris["source"]["x_warc_target_uri"],
        "https://www.paris.fr/presse"
    );
    assert!(
        schema_errors(&paris).is_empty(),
        "{:?}",
        schema_errors(&paris)
    );

    // The same facts and text as the page read from its own file.
    let direct_000 = read_json(&project_root().join("output/000.html.json"));
    assert_eq!(paris["text"], direct_000["text"]);
    assert_eq!(paris["facts"], direct_000["facts"]);

    // Charset from the HTTP header only: windows-1252, no C1 control left, same text.
    let uclg = read_json(&out.join(&expected[1]));
    let direct_004 = read_json(&project_root().join("output/004.html.json"));
    assert_eq!(uclg["source"]["encoding"], "windows-1252");
    assert_eq!(uclg["text"], direct_004["text"]);
    assert_eq!(uclg["facts"], direct_004["facts"]);
    let clean = uclg["text"]["clean"].as_str().unwrap_or_default();
    assert!(clean.contains("réseaux"));
    assert!(!clean.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)));

    let passwd = read_json(&out.join(&expected[2]));
    assert_eq!(
        passwd["source"]["x_warc_target_uri"],
        "http://x/../../etc/passwd"
    );
    assert!(
        passwd["text"]["clean"]
            .as_str()
            .is_some_and(|t| t.starts_with("Une page au chemin hostile"))
    );

    let cut = read_json(&out.join(&expected[3]));
    assert_eq!(cut["errors"][0]["stage"], "read");
    let message = cut["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("is truncated"), "{message}");
    assert_eq!(cut["source"]["x_warc_record_id"], "<urn:uuid:5>");
    assert!(schema_errors(&cut).is_empty(), "{:?}", schema_errors(&cut));
}

#[test]
fn warc_and_warc_gz_records_become_documents() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let records = records();
    std::fs::write(input.path().join("crawl.warc"), records.concat())
        .unwrap_or_else(|e| panic!("{e}"));
    // One gzip member per record, as WARC writers do.
    let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    std::fs::create_dir_all(input.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(input.path().join("sub/crawl.warc.gz"), members)
        .unwrap_or_else(|e| panic!("{e}"));

    let (code, stderr) = run_on(input.path(), out.path(), &[]);
    assert_eq!(code, 1, "the truncated records fail: {stderr}");
    check_archive_outputs(out.path(), "crawl.warc");
    check_archive_outputs(out.path(), "sub/crawl.warc.gz");
    // Nothing outside the output folder, nothing for the archives themselves.
    assert!(!out.path().join("crawl.warc.json").exists());

    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["documents"], 8);
    assert_eq!(summary["failed"], 2);
    let skipped: Value = serde_json::json!({
        "warc request": 2, "warc response image/png": 2, "warc warcinfo": 2
    });
    assert_eq!(summary["skipped_records"], skipped);
    assert!(
        stderr.contains("6 archive records skipped (not HTML pages)"),
        "{stderr}"
    );

    // Incremental: the archives are unchanged, so are all their pages.
    let (_, stderr) = run_on(input.path(), out.path(), &["--incremental"]);
    assert!(stderr.contains("0 unchanged, 8 processed"), "{stderr}");
    let (_, stderr) = run_on(input.path(), out.path(), &["--incremental"]);
    assert!(stderr.contains("8 unchanged, 0 processed"), "{stderr}");
    // A changed archive redoes its pages; a removed one is pruned with --prune.
    std::fs::write(input.path().join("crawl.warc"), records[..3].concat())
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, stderr) = run_on(input.path(), out.path(), &["--incremental", "--prune"]);
    assert!(
        stderr.contains("4 unchanged, 1 processed, 3 outputs pruned"),
        "{stderr}"
    );
    assert!(
        out.path()
            .join("crawl.warc")
            .join(format!("{}.json", IDS[0]))
            .exists()
    );
    assert!(
        !out.path()
            .join("crawl.warc")
            .join(format!("{}.json", IDS[1]))
            .exists()
    );
}

#[test]
fn warc_records_stream_as_json_lines() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = input.path().join("one.warc.gz");
    std::fs::write(&path, gzip(&records()[..3].concat())).unwrap_or_else(|e| panic!("{e}"));
    let output = docfacts(&["run", &path.to_string_lossy(), "--jsonl"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["doc_id"], format!("one.warc.gz/{}", IDS[0]));
    assert_eq!(output.status.code(), Some(0));
}
