//! Helpers shared by the integration tests: run the real binary, validate against the schema.
#![allow(dead_code)]

pub mod hostile;
pub mod pdfgen;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus_dir() -> PathBuf {
    project_root().join("corpus")
}

/// Runs the docfacts binary with `args` from the project root.
pub fn docfacts(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docfacts"))
        .args(args)
        .current_dir(project_root())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap_or_else(|e| panic!("cannot start docfacts: {e}"))
}

/// Runs `docfacts run INPUT -o OUT` and returns the exit code.
pub fn run_into(input: &Path, out: &Path) -> i32 {
    let output = docfacts(&[
        "run",
        &input.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    output.status.code().unwrap_or(-1)
}

pub fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Schema errors of one record (empty when valid).
pub fn schema_errors(record: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(docfacts::SCHEMA_JSON).unwrap_or(Value::Null);
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("the vendored schema does not compile: {e}"));
    validator
        .iter_errors(record)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// All files under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walk(dir)
        .into_iter()
        .filter_map(|p| {
            p.strip_prefix(dir)
                .ok()
                .map(|r| r.to_string_lossy().into_owned())
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
