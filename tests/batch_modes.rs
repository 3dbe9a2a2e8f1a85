//! Batch modes: incremental reruns, pruning, and stdin input (paths, JSON lines, base64).

mod common;

use common::*;
use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

fn run_capture(args: &[&str]) -> (i32, String) {
    let output = docfacts(args);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn incremental_runs_redo_only_what_changed_and_prune_deleted_inputs() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for name in ["000.txt", "001.txt", "002.txt"] {
        std::fs::copy(corpus_dir().join(name), input.path().join(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (i, o) = (input.path().to_string_lossy(), out.path().to_string_lossy());
    let args = ["run", &i, "-o", &o, "--incremental"];

    let (code, stderr) = run_capture(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 unchanged, 3 processed"), "{stderr}");
    let first = std::fs::read(out.path().join("001.txt.json")).unwrap_or_default();

    let (_, stderr) = run_capture(&args);
    assert!(stderr.contains("3 unchanged, 0 processed"), "{stderr}");
    assert_eq!(
        std::fs::read(out.path().join("001.txt.json")).unwrap_or_default(),
        first
    );
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(
        summary["documents"], 3,
        "unchanged documents still count in the summary"
    );
    // The summary of a rerun (tallied from the records on disk) equals the full run's.
    let (_, _) = run_capture(&["run", &i, "-o", &o]);
    assert_eq!(read_json(&out.path().join("summary.json")), summary);
    let (_, stderr) = run_capture(&args);
    assert!(
        stderr.contains("0 unchanged, 3 processed"),
        "a plain run voids the manifest: {stderr}"
    );
    assert_eq!(read_json(&out.path().join("summary.json")), summary);

    // Same size, new bytes: the file's time changed, so it is hashed again and reprocessed.
    let path = input.path().join("001.txt");
    let mut bytes = std::fs::read(&path).unwrap_or_default();
    if let Some(b) = bytes.iter_mut().find(|b| b.is_ascii_lowercase()) {
        *b = b.to_ascii_uppercase();
    }
    std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let (_, stderr) = run_capture(&args);
    assert!(stderr.contains("2 unchanged, 1 processed"), "{stderr}");

    // One changed document: only that one is processed again.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(input.path().join("002.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    writeln!(file, "\nContact : presse@example.org").unwrap_or_default();
    let (_, stderr) = run_capture(&args);
    assert!(stderr.contains("2 unchanged, 1 processed"), "{stderr}");
    let record = read_json(&out.path().join("002.txt.json"));
    assert!(
        record["text"]["raw"]
            .as_str()
            .is_some_and(|t| t.contains("presse@example.org"))
    );

    // A deleted input: its output stays unless --prune is given.
    std::fs::remove_file(input.path().join("000.txt")).unwrap_or_else(|e| panic!("{e}"));
    let (_, stderr) = run_capture(&args);
    assert!(stderr.contains("0 outputs pruned"), "{stderr}");
    assert!(out.path().join("000.txt.json").exists());
    let mut pruning = args.to_vec();
    pruning.push("--prune");
    std::fs::remove_file(input.path().join("001.txt")).unwrap_or_else(|e| panic!("{e}"));
    let (_, stderr) = run_capture(&pruning);
    assert!(stderr.contains("1 unchanged, 0 processed"), "{stderr}");
    assert!(!out.path().join("001.txt.json").exists());
}

#[test]
fn stdin_takes_paths_json_lines_and_inline_bytes() {
    let corpus = corpus_dir();
    let text = "Le Conseil de l'Europe, Strasbourg. Contact : info@coe.int";
    let encoded = base64_encode(text.as_bytes());
    let lines = format!(
        "{}\n{{\"id\": \"renamed/001.txt\", \"path\": \"{}\"}}\n{{\"id\": \"inline.txt\", \"data_base64\": \"{encoded}\"}}\n",
        corpus.join("000.txt").display(),
        corpus.join("001.txt").display(),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_docfacts"))
        .args(["run", "--stdin", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(lines.as_bytes()).unwrap_or_default();
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(0));
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(records.len(), 3);
    assert!(
        records[0]["doc_id"]
            .as_str()
            .is_some_and(|id| id.ends_with("corpus/000.txt"))
    );
    assert!(
        !records[0]["doc_id"]
            .as_str()
            .unwrap_or("/")
            .starts_with('/')
    );
    assert_eq!(records[1]["doc_id"], "renamed/001.txt");
    assert_eq!(records[1]["document"]["language"], "en");
    assert_eq!(records[2]["doc_id"], "inline.txt");
    assert_eq!(records[2]["text"]["raw"], text);
}

#[test]
fn stdin_is_streamed_and_bad_lines_get_error_records() {
    let corpus = corpus_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_docfacts"))
        .args(["run", "--stdin", "--jsonl", "--jobs", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if lines_tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    // The first record comes out while stdin is still open: the input is not read to its end
    // before the run starts.
    writeln!(stdin, "{}", corpus.join("000.txt").display()).unwrap_or_else(|e| panic!("{e}"));
    stdin.flush().unwrap_or_else(|e| panic!("{e}"));
    let first = lines_rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("no record before the end of stdin: {e}"));
    let first: serde_json::Value = serde_json::from_str(&first).unwrap_or_default();
    assert!(
        first["doc_id"]
            .as_str()
            .is_some_and(|id| id.ends_with("000.txt"))
    );
    // Lines that name no document are reported, not dropped, and do not stop the run.
    let bad =
        "{\"id\": \"broken\"\n{\"id\": \"x.txt\", \"data_base64\": \"%%%\"}\n{\"id\": \"y\"}\n";
    stdin
        .write_all(bad.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    writeln!(stdin, "{}", corpus.join("001.txt").display()).unwrap_or_else(|e| panic!("{e}"));
    drop(stdin);
    let rest: Vec<serde_json::Value> = lines_rx
        .iter()
        .map(|l| serde_json::from_str(&l).unwrap_or_default())
        .collect();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(1), "failed documents: exit code 1");
    let ids: Vec<&str> = rest.iter().filter_map(|r| r["doc_id"].as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(&ids[..3], ["stdin-2", "x.txt", "stdin-4"]);
    assert!(ids[3].ends_with("001.txt"));
    let error = |i: usize| {
        rest[i]["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        error(0).contains("stdin line 2: invalid JSON"),
        "{}",
        error(0)
    );
    assert!(error(1).contains("invalid base64"), "{}", error(1));
    assert!(
        error(2).contains("needs \"path\" or \"data_base64\""),
        "{}",
        error(2)
    );
    assert_eq!(rest[3]["errors"], serde_json::json!([]));
}

#[test]
fn list_names_the_documents_a_run_processes() {
    let corpus = corpus_dir();
    let listed = Command::new(env!("CARGO_BIN_EXE_docfacts"))
        .args(["list"])
        .arg(&corpus)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.status.code(), Some(0));
    let lines = String::from_utf8_lossy(&listed.stdout).to_string();
    let ids: Vec<&str> = lines.lines().filter_map(|l| l.split('\t').next()).collect();
    // The gold main texts beside the pages are in corpus/.docfactsignore: not documents.
    assert!(ids.iter().all(|id| !id.ends_with(".main.txt")), "{ids:?}");
    assert!(
        String::from_utf8_lossy(&listed.stderr).contains("ignored (.docfactsignore): 000.main.txt")
    );
    let run = Command::new(env!("CARGO_BIN_EXE_docfacts"))
        .args(["run", "--jsonl"])
        .arg(&corpus)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let run_ids: Vec<String> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|r| r["doc_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids, run_ids);
    assert_eq!(ids.len(), 12);
    for line in lines.lines() {
        let path = line.split('\t').nth(1).unwrap_or("");
        assert!(std::path::Path::new(path).is_file(), "{line}");
    }
}

/// Standard base64, so the test does not trust the code it checks.
fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn ignore_files_exclude_sidecars_and_the_summary_lists_them() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = input.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    };
    write("page.txt", "Contact : info@example.org");
    write("page.main.txt", "gold text, not a document");
    write("notes/readme.md", "notes");
    write("sub/keep.main.txt", "re-included below");
    write(".docfactsignore", "# sidecars\n*.main.txt\nnotes/\n");
    write("sub/.docfactsignore", "!keep.main.txt\n");
    // A link to a gold text that is not there (a copied folder): ignored all the same.
    #[cfg(unix)]
    std::os::unix::fs::symlink("../elsewhere/gone.main.txt", root.join("gone.main.txt"))
        .unwrap_or_else(|e| panic!("{e}"));

    let (code, stderr) = run_capture(&[
        "run",
        &root.to_string_lossy(),
        "-o",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let ignored_count = if cfg!(unix) { 3 } else { 2 };
    assert!(
        stderr.contains(&format!("ignored: {ignored_count} files")),
        "{stderr}"
    );
    assert_eq!(
        files_under(out.path()),
        ["page.txt.json", "sub/keep.main.txt.json", "summary.json"]
    );
    let summary = read_json(&out.path().join("summary.json"));
    let mut ignored = vec!["notes/readme.md", "page.main.txt"];
    if cfg!(unix) {
        ignored.insert(0, "gone.main.txt");
    }
    assert_eq!(summary["ignored_files"], serde_json::json!(ignored));
    assert_eq!(summary["documents"], 2);

    // Named on the command line, an ignored file is a document after all.
    let single = root.join("page.main.txt");
    let (code, _) = run_capture(&[
        "run",
        &single.to_string_lossy(),
        "-o",
        &out.path().to_string_lossy(),
    ]);
    assert_eq!(code, 0);
    assert!(out.path().join("page.main.txt.json").is_file());
}
