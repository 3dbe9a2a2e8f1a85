//! Stage 6: records to bytes. Files are written atomically (temporary file in the same folder,
//! then rename), so a killed run never leaves a half-written JSON; `summary.json` is written last.

use crate::model::Problem;
use crate::record::Record;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Serialises a record as the JSON written to its file: pretty-printed, newline-terminated.
pub fn to_pretty_json(record: &Record) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(record).context("serialising the record")?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Serialises a record as one JSON Lines line (no newline inside, one at the end).
pub fn to_json_line(record: &Record) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(record).context("serialising the record")?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Where the record of `doc_id` goes: `OUT/<doc_id>.json`. A document-supplied id can never
/// escape the output folder: `..`, absolute paths and empty components are refused.
pub fn output_path(out_dir: &Path, doc_id: &str) -> Result<PathBuf> {
    let relative = Path::new(doc_id);
    let safe = !doc_id.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !doc_id.contains('\\')
        && !doc_id.contains('\0');
    if !safe {
        bail!("document id {doc_id:?} is not a safe relative path");
    }
    Ok(out_dir.join(format!("{doc_id}.json")))
}

/// Writes `bytes` to `path` atomically and durably: a temporary file beside it, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, true)
}

/// Whether each record is flushed to disk on its own. On Linux records are not: [`sync_outputs`]
/// flushes them all at once before the manifest that lists them and before the summary. A flush
/// per record was about a sixth of a run's wall time and a tenth of its CPU.
const SYNC_EACH_RECORD: bool = !cfg!(target_os = "linux");

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename, so a reader
/// or a killed run never sees half a file), flushing it to disk first when `sync` is set.
fn write_atomic_with(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", tmp.display()))?;
        if sync {
            file.sync_all()
                .with_context(|| format!("syncing {}", tmp.display()))?;
        }
        std::fs::rename(&tmp, path)
            .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The process id in the name of a temporary file of [`write_atomic`] (`.<name>.tmp<pid>`).
fn temp_file_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (stem, pid) = rest.rsplit_once(".tmp")?;
    if stem.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` may still be running (then its temporary files are left alone). Where
/// this cannot be told (no `/proc`), it is taken as gone: a second run into the same output
/// folder at the same time is not supported anyway.
fn process_alive(pid: u32) -> bool {
    pid == std::process::id()
        || (Path::new("/proc/self").exists() && Path::new(&format!("/proc/{pid}")).exists())
}

/// Deletes the temporary files a killed run left under `out_dir` (a run killed between creating
/// a temporary file and renaming it leaves one behind). Returns the problems met, for the summary.
pub fn remove_stale_temp_files(out_dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(out_dir).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let Some(pid) = temp_file_pid(&name) else {
            continue;
        };
        if process_alive(pid) {
            continue;
        }
        if let Err(err) = std::fs::remove_file(entry.path())
            && err.kind() != std::io::ErrorKind::NotFound
        {
            problems.push(format!(
                "removing stale temporary file {}: {err}",
                entry.path().display()
            ));
        }
    }
    problems
}

/// Writes one record to its file under `out_dir`.
pub fn write_record(out_dir: &Path, record: &Record) -> Result<PathBuf> {
    let path = output_path(out_dir, &record.doc_id)?;
    write_atomic_with(&path, &to_pretty_json(record)?, SYNC_EACH_RECORD)?;
    Ok(path)
}

/// Makes every record written so far into `out_dir` durable, with one flush of its file system
/// (group commit). A run calls it before each manifest checkpoint and before its summary, so the
/// manifest never lists a record that a power cut could still lose.
pub fn sync_outputs(out_dir: &Path) -> Result<()> {
    if SYNC_EACH_RECORD {
        return Ok(());
    }
    let dir = std::fs::File::open(out_dir)
        .with_context(|| format!("opening {} to flush it", out_dir.display()))?;
    #[cfg(target_os = "linux")]
    rustix::fs::syncfs(&dir).with_context(|| format!("flushing {}", out_dir.display()))?;
    Ok(())
}

/// A failed document in the summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FailedDocument {
    pub doc_id: String,
    pub stage: String,
    pub message: String,
}

/// `summary.json`: what a run did, deterministic (no timings, no timestamps).
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Summary {
    pub documents: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub with_warnings: usize,
    pub facts: BTreeMap<String, usize>,
    pub errors_by_stage: BTreeMap<String, usize>,
    pub warnings_by_stage: BTreeMap<String, usize>,
    pub corrections: usize,
    pub failed_documents: Vec<FailedDocument>,
    /// Records of WARC archives that are not HTML pages (requests, images...), by what they
    /// are: counted, since they make no document.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub skipped_records: BTreeMap<String, usize>,
    /// Problems outside any document (unreadable folders, symlink loops, write failures).
    pub run_problems: Vec<String>,
    /// Files of the input folders that a `.docfactsignore` declares not to be documents.
    pub ignored_files: Vec<String>,
}

/// What the run summary counts of a record. Incremental runs keep it in their manifest, so a
/// rerun counts an unchanged document without opening its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub doc_id: String,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    corrections: usize,
    /// Facts per type.
    facts: BTreeMap<String, usize>,
}

impl Tally {
    pub fn of(record: &Record) -> Tally {
        Tally {
            doc_id: record.doc_id.clone(),
            errors: record.errors.clone(),
            warnings: record.warnings.clone(),
            corrections: record.corrections.len(),
            facts: record
                .facts
                .counts()
                .into_iter()
                .map(|(name, count)| (name.to_string(), count))
                .collect(),
        }
    }
}

impl Summary {
    /// Counts one document in.
    pub fn add(&mut self, record: &Tally) {
        self.documents += 1;
        if record.errors.is_empty() {
            self.succeeded += 1;
        } else {
            self.failed += 1;
            if let Some(first) = record.errors.first() {
                self.failed_documents.push(FailedDocument {
                    doc_id: record.doc_id.clone(),
                    stage: first.stage.to_string(),
                    message: first.message.clone(),
                });
            }
        }
        if !record.warnings.is_empty() {
            self.with_warnings += 1;
        }
        for (name, count) in &record.facts {
            *self.facts.entry(name.clone()).or_default() += count;
        }
        for problem in &record.errors {
            *self
                .errors_by_stage
                .entry(problem.stage.to_string())
                .or_default() += 1;
        }
        for problem in &record.warnings {
            *self
                .warnings_by_stage
                .entry(problem.stage.to_string())
                .or_default() += 1;
        }
        self.corrections += record.corrections;
    }

    /// The one-line summary printed at the end of a run.
    pub fn one_line(&self) -> String {
        let facts: usize = self.facts.values().sum();
        let mut line = format!(
            "{} documents: {} ok, {} failed, {} with warnings; {} facts, {} corrections",
            self.documents,
            self.succeeded,
            self.failed,
            self.with_warnings,
            facts,
            self.corrections
        );
        let skipped: usize = self.skipped_records.values().sum();
        if skipped > 0 {
            line.push_str(&format!(
                "; {skipped} archive records skipped (not HTML pages)"
            ));
        }
        line
    }

    pub fn write(&self, out_dir: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).context("serialising the summary")?;
        bytes.push(b'\n');
        write_atomic(&out_dir.join("summary.json"), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside_the_folder() {
        let out = Path::new("/tmp/out");
        assert_eq!(
            output_path(out, "sub/003.pdf").ok(),
            Some(PathBuf::from("/tmp/out/sub/003.pdf.json"))
        );
        assert!(output_path(out, "../etc/passwd").is_err());
        assert!(output_path(out, "/etc/passwd").is_err());
        assert!(output_path(out, "a/./b").is_ok_and(|p| p.starts_with(out)));
        assert!(output_path(out, "").is_err());
    }

    #[test]
    fn stale_temp_files_of_dead_runs_are_removed() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let sub = dir.path().join("r001");
        std::fs::create_dir_all(&sub)?;
        // A pid above the kernel's pid_max (2^22) belongs to no process.
        let dead = sub.join(".a.json.tmp4999999");
        let own = sub.join(format!(".b.json.tmp{}", std::process::id()));
        let input_like = sub.join(".hidden.tmp");
        for path in [&dead, &own, &input_like] {
            std::fs::write(path, b"{")?;
        }
        assert!(remove_stale_temp_files(dir.path()).is_empty());
        assert!(!dead.exists());
        assert!(own.exists());
        assert!(input_like.exists());
        assert_eq!(temp_file_pid(".summary.json.tmp12"), Some(12));
        assert_eq!(temp_file_pid("summary.json.tmp12"), None);
        assert_eq!(temp_file_pid(".x.tmp"), None);
        Ok(())
    }

    #[test]
    fn atomic_write_replaces_whole_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x/y.json");
        write_atomic(&path, b"first")?;
        write_atomic(&path, b"second")?;
        assert_eq!(std::fs::read(&path)?, b"second");
        let leftovers = std::fs::read_dir(dir.path().join("x"))?.count();
        assert_eq!(leftovers, 1);
        Ok(())
    }
}
