//! Regressions: inputs under tests/regressions/ that once crashed a stage, and the run-level
//! failures found by bench/kill_resume.sh (leftovers of a killed run, an outdated manifest).

mod common;

use common::*;
use docfacts::limits::Limits;
use docfacts::pipeline::Pipeline;
use docfacts::read::InputFile;
use std::path::{Path, PathBuf};

fn regressions_dir() -> PathBuf {
    project_root().join("tests/regressions")
}

/// Runs the whole pipeline on one file and checks that it yields a schema-valid record whose
/// errors (if any) are reported problems, not a caught panic.
fn assert_yields_record(pipeline: &Pipeline, path: &Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let record = pipeline.process_file(&InputFile {
        path: path.to_path_buf(),
        rel_path: name.clone(),
    });
    assert_eq!(record.doc_id, name);
    let panics: Vec<&str> = record
        .errors
        .iter()
        .map(|p| p.message.as_str())
        .filter(|m| m.contains("internal error"))
        .collect();
    assert!(panics.is_empty(), "{name}: a stage panicked: {panics:?}");
    let json = serde_json::to_value(&record).unwrap_or_else(|e| panic!("{name}: {e}"));
    let schema = schema_errors(&json);
    assert!(schema.is_empty(), "{name}: {schema:?}");
}

fn pipeline() -> Pipeline {
    Pipeline::new(Limits {
        seconds_per_document: 60,
        ..Limits::default()
    })
    .unwrap_or_else(|e| panic!("the embedded rules do not load: {e:#}"))
}

/// Every input under tests/regressions/ (the ones whose bug is fixed; inputs of open bugs are
/// under tests/regressions/open/ and have an ignored test of their own).
#[test]
fn every_regression_input_yields_a_record() {
    let pipeline = pipeline();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(regressions_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    inputs.sort();
    for path in &inputs {
        assert_yields_record(&pipeline, path);
    }
}

fn run_capture(args: &[&str]) -> (i32, String) {
    let output = docfacts(args);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A run killed with SIGKILL leaves temporary files (`.<name>.tmp<pid>`) and the summary of the
/// run before it; the next run removes both, and writes a new summary only when it completes.
#[test]
fn leftovers_of_a_killed_run_are_cleaned() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(corpus_dir().join("000.txt"), input.path().join("000.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(out.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
    // pid 4999999 is above the kernel's pid_max: the run that wrote these is gone.
    let stale = [
        out.path().join(".000.txt.json.tmp4999999"),
        out.path().join("sub/.x.json.tmp4999999"),
    ];
    for path in &stale {
        std::fs::write(path, b"{\"half\": ").unwrap_or_else(|e| panic!("{e}"));
    }
    let (i, o) = (input.path().to_string_lossy(), out.path().to_string_lossy());
    let (code, stderr) = run_capture(&["run", &i, "-o", &o]);
    assert_eq!(code, 0, "{stderr}");
    for path in &stale {
        assert!(!path.exists(), "{} left behind", path.display());
    }
    assert_eq!(files_under(out.path()), ["000.txt.json", "summary.json"]);
}

/// A run that is not incremental (or has other settings) rewrites records the manifest of an
/// earlier incremental run vouches for: it drops that manifest, so a later incremental run
/// (after a kill, or with the first settings again) reprocesses instead of keeping them.
#[test]
fn a_plain_run_invalidates_the_incremental_manifest() {
    let input = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for name in ["000.txt", "001.txt"] {
        std::fs::copy(corpus_dir().join(name), input.path().join(name))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (i, o) = (input.path().to_string_lossy(), out.path().to_string_lossy());
    let incremental = ["run", &i, "-o", &o, "--incremental"];
    let (_, stderr) = run_capture(&incremental);
    assert!(stderr.contains("0 unchanged, 2 processed"), "{stderr}");
    let manifest = out.path().join(".docfacts-manifest.json");
    assert!(manifest.exists());

    let (code, stderr) = run_capture(&["run", &i, "-o", &o, "--repair-disable", "lexical"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !manifest.exists(),
        "the plain run kept a manifest it outdated"
    );
    let (_, stderr) = run_capture(&incremental);
    assert!(stderr.contains("0 unchanged, 2 processed"), "{stderr}");
    let (_, stderr) = run_capture(&incremental);
    assert!(stderr.contains("2 unchanged, 0 processed"), "{stderr}");
}
