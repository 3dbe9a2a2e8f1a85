//! A run over many documents: inputs from folders or stdin, processed by worker threads,
//! written in input order by the calling thread, with an incremental manifest and a summary.
//!
//! Memory stays flat whatever the number of documents: at most a few documents per worker are
//! in flight or waiting in the reorder buffer, and the summary keeps counts, not records.

use crate::extract::html::warc::{WarcItem, WarcRecords};
use crate::limits::Limits;
use crate::model::{Problem, Stage, WarcOrigin};
use crate::pipeline::{LazyPipeline, Pipeline, StageTimes};
use crate::read::{self, InputFile};
use crate::record::{self, Record, sha256_hex};
use crate::write::{self, Summary};
use anyhow::{Context, Result};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};
use std::time::Instant;

/// One unit of work: a file on disk, bytes handed over on stdin, or a page of a WARC archive
/// (made by the run itself from a `File` or `Inline` archive, see [`Documents`]).
#[derive(Debug, Clone)]
pub enum WorkItem {
    File(InputFile),
    Inline {
        doc_id: String,
        bytes: Vec<u8>,
    },
    WarcPage(Box<WarcPage>),
    /// A stdin line that names no document (bad JSON, bad base64, neither path nor data): it
    /// gets an error record, so that it is reported like any failed document.
    Rejected {
        doc_id: String,
        problem: Problem,
    },
}

/// The inputs of a run: files found in folders (known up front, so the progress bar has a
/// length), or work items streamed in as they are read (stdin), so that a run fed by another
/// engine holds a bounded window of them, never the whole stream.
pub enum Inputs {
    Listed(Vec<WorkItem>),
    Streamed(mpsc::Receiver<WorkItem>),
}

/// One HTML record of a WARC archive, or the part of an archive that could not be read.
#[derive(Debug, Clone)]
pub struct WarcPage {
    /// `<archive doc id>/<page id>`: output under `OUT/<archive path>/`.
    pub doc_id: String,
    pub archive: String,
    pub origin: WarcOrigin,
    /// The HTTP payload, or why the record could not be read.
    pub payload: Result<Vec<u8>, Problem>,
    /// Hash of the whole archive (incremental runs): a changed archive redoes all its pages.
    pub archive_sha256: Option<String>,
}

impl WorkItem {
    pub fn doc_id(&self) -> &str {
        match self {
            WorkItem::File(input) => &input.rel_path,
            WorkItem::Inline { doc_id, .. } => doc_id,
            WorkItem::WarcPage(page) => &page.doc_id,
            WorkItem::Rejected { doc_id, .. } => doc_id,
        }
    }
}

/// An archive being read by [`Documents`].
struct OpenArchive {
    doc_id: String,
    records: WarcRecords,
    sha256: Option<String>,
}

/// The documents of a run, in input order: the work items as they are, except that a WARC
/// archive is replaced by its HTML pages, read from it as the run asks for them. So a run holds
/// a few pages per worker at a time, never a whole archive.
struct Documents<'a> {
    items: Box<dyn Iterator<Item = WorkItem> + Send + 'a>,
    /// The inputs are streamed: the progress bar's length grows as they arrive.
    streamed: bool,
    archive: Option<OpenArchive>,
    limits: &'a Limits,
    /// Hash archives for the manifest (incremental runs only: it reads each archive twice).
    hash_archives: bool,
    /// Archive records that are not HTML pages, by what they are.
    skipped_records: BTreeMap<String, usize>,
    progress: indicatif::ProgressBar,
}

impl Documents<'_> {
    /// The archive an item is, opened; the item itself when it is no archive.
    fn open_archive(&self, item: WorkItem) -> Result<OpenArchive, WorkItem> {
        match item {
            WorkItem::File(input) => match read::open_warc(&input.path, self.limits) {
                Some(records) => Ok(OpenArchive {
                    sha256: if self.hash_archives {
                        file_sha256(&input.path)
                    } else {
                        None
                    },
                    doc_id: input.rel_path,
                    records,
                }),
                None => Err(WorkItem::File(input)),
            },
            WorkItem::Inline { doc_id, bytes } => {
                let sha256 = self.hash_archives.then(|| sha256_hex(&bytes));
                match read::open_warc_bytes(bytes, self.limits) {
                    Ok(records) => Ok(OpenArchive {
                        doc_id,
                        records,
                        sha256,
                    }),
                    Err(bytes) => Err(WorkItem::Inline { doc_id, bytes }),
                }
            }
            other => Err(other),
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = WorkItem;

    fn next(&mut self) -> Option<WorkItem> {
        loop {
            if let Some(archive) = &mut self.archive {
                let (page_id, origin, payload) = match archive.records.next() {
                    Some(WarcItem::Html(page)) => (page.id, page.origin, Ok(page.payload)),
                    Some(WarcItem::Broken {
                        id,
                        uri,
                        record_id,
                        message,
                    }) => {
                        let origin = WarcOrigin {
                            record_id,
                            uri,
                            charset: None,
                        };
                        (id, origin, Err(Problem::new(Stage::Read, message)))
                    }
                    Some(WarcItem::Skipped(what)) => {
                        *self
                            .skipped_records
                            .entry(format!("warc {what}"))
                            .or_default() += 1;
                        continue;
                    }
                    None => {
                        // The archive stood for one document in the progress bar's length.
                        self.progress.inc(1);
                        self.archive = None;
                        continue;
                    }
                };
                self.progress.inc_length(1);
                return Some(WorkItem::WarcPage(Box::new(WarcPage {
                    doc_id: format!("{}/{page_id}", archive.doc_id),
                    archive: archive.doc_id.clone(),
                    origin,
                    payload,
                    archive_sha256: archive.sha256.clone(),
                })));
            }
            let item = self.items.next()?;
            if self.streamed {
                self.progress.inc_length(1);
            }
            match self.open_archive(item) {
                Ok(archive) => self.archive = Some(archive),
                Err(item) => return Some(item),
            }
        }
    }
}

/// SHA-256 of a file read in pieces, or `None` when it cannot be read.
fn file_sha256(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n)?);
    }
    Some(record::hex(&hasher.finalize()))
}

/// Where records go.
#[derive(Debug, Clone)]
pub enum Sink {
    /// One JSON file per document under this folder, then `summary.json`.
    Folder(PathBuf),
    /// JSON Lines on stdout, in input order.
    Stdout,
}

/// Options of a batch run beyond the inputs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub sink: Sink,
    pub threads: usize,
    /// Skip documents whose input, rules and version are unchanged since the last run.
    pub incremental: bool,
    /// With `incremental`: delete outputs of inputs that no longer exist.
    pub prune: bool,
    pub show_progress: bool,
    /// The settings that change what a document's record says (disabled repair rules,
    /// limits): a rerun with other settings reprocesses everything.
    pub settings: String,
}

/// What a batch did: the summary and the summed stage times.
pub struct BatchResult {
    pub summary: Summary,
    pub times: StageTimes,
    pub skipped: usize,
    pub pruned: usize,
    pub wall_seconds: f64,
}

/// Reads work items from `reader` (stdin), one per line, and hands each to `send` as soon as it
/// is read, until `send` returns false: a path, or a JSON object `{"id": ..., "path": ...}` or
/// `{"id": ..., "data_base64": ...}`. A line that cannot be understood becomes a
/// [`WorkItem::Rejected`] item (an error record `stdin-N`), and so does a read error, which
/// also ends the input: nothing is dropped silently.
pub fn read_items(reader: impl BufRead, mut send: impl FnMut(WorkItem) -> bool) {
    #[derive(Deserialize)]
    struct Line {
        id: Option<String>,
        path: Option<String>,
        data_base64: Option<String>,
    }
    let rejected = |n: usize, message: String| WorkItem::Rejected {
        doc_id: format!("stdin-{n}"),
        problem: Problem::new(Stage::Read, format!("stdin line {n}: {message}")),
    };
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                send(rejected(
                    n,
                    format!("unreadable ({err}); the rest of stdin is not read"),
                ));
                return;
            }
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let item = if trimmed.starts_with('{') {
            match serde_json::from_str::<Line>(trimmed) {
                Err(err) => rejected(n, format!("invalid JSON: {err}")),
                Ok(Line {
                    id,
                    path: Some(path),
                    ..
                }) => {
                    let doc_id = id.unwrap_or_else(|| safe_doc_id(&path));
                    WorkItem::File(InputFile {
                        path: PathBuf::from(path),
                        rel_path: safe_doc_id(&doc_id),
                    })
                }
                Ok(Line {
                    id,
                    path: None,
                    data_base64: Some(data),
                }) => {
                    let doc_id = safe_doc_id(&id.unwrap_or_else(|| format!("stdin-{n}")));
                    match base64::engine::general_purpose::STANDARD.decode(data.trim()) {
                        Ok(bytes) => WorkItem::Inline { doc_id, bytes },
                        Err(err) => WorkItem::Rejected {
                            problem: Problem::new(
                                Stage::Read,
                                format!("stdin line {n} ({doc_id}): invalid base64: {err}"),
                            ),
                            doc_id,
                        },
                    }
                }
                Ok(_) => rejected(n, "needs \"path\" or \"data_base64\"".to_string()),
            }
        } else {
            WorkItem::File(InputFile {
                path: PathBuf::from(trimmed),
                rel_path: safe_doc_id(trimmed),
            })
        };
        if !send(item) {
            return;
        }
    }
}

/// A document id from an outside name: `/`-separated, no root, no `.`/`..`, no empty parts.
pub fn safe_doc_id(name: &str) -> String {
    let parts: Vec<&str> = name
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    if parts.is_empty() {
        "unnamed".to_string()
    } else {
        parts.join("/").replace('\0', "")
    }
}

/// The incremental-run manifest kept in the output folder.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    version: String,
    rules_hash: String,
    /// Hash of the docfacts executable: a rebuilt binary (changed code) reprocesses everything,
    /// even when the version number did not change.
    build_hash: String,
    /// Size and modification time of the executable when `build_hash` was computed: while they
    /// hold, a rerun takes the hash from here instead of reading the (large) executable again.
    #[serde(default)]
    build_stat: Option<FileStat>,
    /// [`BatchOptions::settings`] of the run that wrote the manifest.
    #[serde(default)]
    settings: String,
    /// doc_id -> SHA-256 of its input bytes.
    inputs: BTreeMap<String, String>,
    /// doc_id -> size and modification time of its input file when it was hashed.
    #[serde(default)]
    stats: BTreeMap<String, FileStat>,
    /// doc_id -> what the summary counts of its record, so that a rerun need not read it.
    #[serde(default)]
    tallies: BTreeMap<String, write::Tally>,
}

/// Size and modification time (ns) of an input file. When both are as the last run saw them,
/// the file's hash is taken from the manifest instead of reading and hashing the file again, as
/// git's index and rsync's quick check do: a rerun on an unchanged archive then reads only
/// metadata. Any change of size or time (a rewrite, `touch`) rehashes the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileStat {
    size: u64,
    modified_ns: u64,
}

impl FileStat {
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(FileStat {
            size: meta.len(),
            modified_ns: u64::try_from(since.as_nanos()).ok()?,
        })
    }
}

/// What an incremental run knows of an input: its hash, and for a file, its [`FileStat`].
struct InputKey {
    hash: String,
    stat: Option<FileStat>,
}

const MANIFEST: &str = ".docfacts-manifest.json";

/// How often an incremental run saves its manifest while it goes, so that a killed run resumes
/// where it stopped instead of from the start.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl Manifest {
    /// The manifest of this run before any document: this build, these rules and settings.
    /// The executable's hash is taken from `previous` when its size and time are unchanged.
    fn current(settings: &str, previous: Option<&Manifest>) -> Self {
        let exe = std::env::current_exe().ok();
        let build_stat = exe.as_deref().and_then(FileStat::of);
        let build_hash = match (previous, &build_stat) {
            (Some(previous), Some(stat))
                if previous.build_stat.as_ref() == Some(stat)
                    && !previous.build_hash.is_empty() =>
            {
                previous.build_hash.clone()
            }
            _ => exe
                .and_then(|exe| std::fs::read(exe).ok())
                .map(|bytes| sha256_hex(&bytes))
                .unwrap_or_default(),
        };
        Manifest {
            settings: settings.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            rules_hash: env!("DOCFACTS_RULES_HASH").to_string(),
            build_hash,
            build_stat,
            inputs: BTreeMap::new(),
            stats: BTreeMap::new(),
            tallies: BTreeMap::new(),
        }
    }

    fn load(out_dir: &Path) -> Option<Self> {
        let bytes = std::fs::read(out_dir.join(MANIFEST)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Saves the manifest: this run's documents, and while the run goes on (`previous` given)
    /// the previous run's entries for the others. Every entry names an output on disk that matches it (a
    /// record is written before its entry is added), so a rerun after a kill skips exactly the
    /// documents whose output is up to date, and still prunes what the previous run had. The
    /// two are merged by reference, not copied (a copy of the tallies cost 13 MB of peak RSS).
    fn save(&self, previous: Option<&Manifest>, out_dir: &Path) -> Result<()> {
        fn merged<'a, T>(
            previous: Option<&'a BTreeMap<String, T>>,
            current: &'a BTreeMap<String, T>,
        ) -> BTreeMap<&'a str, &'a T> {
            let mut all: BTreeMap<&str, &T> = previous
                .into_iter()
                .flatten()
                .map(|(doc_id, value)| (doc_id.as_str(), value))
                .collect();
            all.extend(
                current
                    .iter()
                    .map(|(doc_id, value)| (doc_id.as_str(), value)),
            );
            all
        }
        /// [`Manifest`] with borrowed fields, serialised the same way.
        #[derive(Serialize)]
        struct Checkpoint<'a> {
            version: &'a str,
            rules_hash: &'a str,
            build_hash: &'a str,
            build_stat: &'a Option<FileStat>,
            settings: &'a str,
            inputs: BTreeMap<&'a str, &'a String>,
            stats: BTreeMap<&'a str, &'a FileStat>,
            tallies: BTreeMap<&'a str, &'a write::Tally>,
        }
        let checkpoint = Checkpoint {
            version: &self.version,
            rules_hash: &self.rules_hash,
            build_hash: &self.build_hash,
            build_stat: &self.build_stat,
            settings: &self.settings,
            inputs: merged(previous.map(|p| &p.inputs), &self.inputs),
            stats: merged(previous.map(|p| &p.stats), &self.stats),
            tallies: merged(previous.map(|p| &p.tallies), &self.tallies),
        };
        let bytes = serde_json::to_vec(&checkpoint).context("serialising the manifest")?;
        write::write_atomic(&out_dir.join(MANIFEST), &bytes)
    }
}

/// Hash of an item's input bytes, or `None` when it cannot be read (then it is processed, and
/// the read error is reported by the pipeline). A file whose [`FileStat`] the previous run
/// recorded unchanged keeps the hash recorded with it. A file read to hash it comes back with
/// its bytes, for the pipeline to take instead of reading it again.
fn input_key(
    item: &WorkItem,
    previous: Option<&Manifest>,
    limits: &crate::limits::Limits,
) -> (Option<InputKey>, Option<Vec<u8>>) {
    let hash_only = |hash: Option<String>| hash.map(|hash| InputKey { hash, stat: None });
    match item {
        WorkItem::File(input) => {
            let stat = FileStat::of(&input.path);
            let doc_id = item.doc_id();
            if let (Some(stat), Some(previous)) = (&stat, previous)
                && previous.stats.get(doc_id) == Some(stat)
                && let Some(hash) = previous.inputs.get(doc_id)
            {
                let key = InputKey {
                    hash: hash.clone(),
                    stat: Some(stat.clone()),
                };
                return (Some(key), None);
            }
            // A file over the input limit is hashed in pieces, never held whole (the pipeline
            // gives it an error record).
            if stat
                .as_ref()
                .is_none_or(|stat| stat.size > limits.max_input_bytes)
            {
                let key = file_sha256(&input.path).map(|hash| InputKey { hash, stat });
                return (key, None);
            }
            match std::fs::read(&input.path) {
                Ok(bytes) => {
                    let hash = sha256_hex(&bytes);
                    (Some(InputKey { hash, stat }), Some(bytes))
                }
                Err(_) => (None, None),
            }
        }
        WorkItem::Inline { bytes, .. } => (hash_only(Some(sha256_hex(bytes))), None),
        WorkItem::WarcPage(page) => (hash_only(page.archive_sha256.clone()), None),
        WorkItem::Rejected { .. } => (None, None),
    }
}

/// A document of this run: processed now, or taken over unchanged from the last run.
enum Outcome {
    /// Processed now: the worker has already written the record (see [`Written`]).
    Fresh {
        tally: write::Tally,
        written: Written,
        times: StageTimes,
    },
    /// What the summary needs of the previous run's record, still on disk.
    Unchanged(write::Tally),
}

/// What a worker did with a fresh record. Workers serialise and write records themselves, so
/// that the one writer thread only prints lines in order and keeps the books: with it doing the
/// JSON and the file writes, two workers on two cores ran at about 1.8 times one.
enum Written {
    /// Into the output folder (atomically), or why not.
    Folder(Result<()>),
    /// A JSON line for the writer to print in input order.
    Line(Result<Vec<u8>>),
}

/// The tally of the previous run's record of `item`, when its input, the rules and the version are unchanged
/// and the record is still on disk and readable.
fn unchanged_record(
    previous: Option<&Manifest>,
    hash: Option<&str>,
    out_dir: Option<&Path>,
    item: &WorkItem,
) -> Option<write::Tally> {
    let (previous, hash, dir) = (previous?, hash?, out_dir?);
    if previous.inputs.get(item.doc_id()).map(String::as_str) != Some(hash) {
        return None;
    }
    // A previous manifest comes from this same build (see `run`), which keeps a tally for every
    // entry. The record must still be there: a deleted one is made again.
    let tally = previous.tallies.get(item.doc_id())?;
    write::output_path(dir, item.doc_id())
        .ok()?
        .is_file()
        .then(|| tally.clone())
}

/// The error record of an item that could not be processed at all.
fn unprocessed(item: &WorkItem, problem: Problem) -> Record {
    let source = match item {
        WorkItem::File(input) => read::unread_source(input),
        WorkItem::Inline { doc_id, .. } | WorkItem::Rejected { doc_id, .. } => {
            read::unread_source(&InputFile {
                path: PathBuf::from(doc_id),
                rel_path: doc_id.clone(),
            })
        }
        WorkItem::WarcPage(page) => {
            read::warc_page_source(&page.archive, &page.doc_id, Vec::new(), page.origin.clone())
        }
    };
    record::failed(&source, vec![problem])
}

/// Processes one item through the pipeline; `read` is a file item's bytes and their hash when
/// [`input_key`] has already read them.
fn process(
    pipeline: &Pipeline,
    item: &WorkItem,
    read: Option<(Vec<u8>, Option<String>)>,
) -> (Record, StageTimes) {
    match item {
        WorkItem::File(input) => match read {
            Some((bytes, sha256)) => pipeline.process_read_timed(input, bytes, sha256),
            None => pipeline.process_file_timed(input),
        },
        WorkItem::Inline { doc_id, bytes } => {
            let started = Instant::now();
            let loaded =
                read::from_bytes(doc_id, bytes.clone(), bytes.len() as u64, &pipeline.limits);
            let read_time = started.elapsed();
            let (record, mut times) = match loaded {
                Ok(source) => pipeline.process_source_timed(&source),
                Err(problem) => {
                    let input = InputFile {
                        path: PathBuf::from(doc_id),
                        rel_path: doc_id.clone(),
                    };
                    (
                        record::failed(&read::unread_source(&input), vec![problem]),
                        StageTimes::default(),
                    )
                }
            };
            times.read += read_time;
            (record, times)
        }
        WorkItem::Rejected { problem, .. } => {
            (unprocessed(item, problem.clone()), StageTimes::default())
        }
        WorkItem::WarcPage(page) => {
            let payload = page
                .payload
                .as_ref()
                .map_or_else(|_| Vec::new(), Vec::clone);
            let source =
                read::warc_page_source(&page.archive, &page.doc_id, payload, page.origin.clone());
            match &page.payload {
                Ok(_) => pipeline.process_source_timed(&source),
                Err(problem) => (
                    record::failed(&source, vec![problem.clone()]),
                    StageTimes::default(),
                ),
            }
        }
    }
}

/// Hashes (for incremental runs) and processes one item, or takes its previous record over.
fn process_item(
    pipeline: &LazyPipeline,
    item: &WorkItem,
    incremental: bool,
    previous: Option<&Manifest>,
    out_dir: Option<&Path>,
) -> (Option<InputKey>, Outcome) {
    let (key, bytes) = if incremental {
        input_key(item, previous, &pipeline.limits)
    } else {
        (None, None)
    };
    let hash = key.as_ref().map(|k| k.hash.as_str());
    let outcome = match unchanged_record(previous, hash, out_dir, item) {
        Some(record) => Outcome::Unchanged(record),
        None => {
            let (record, mut times) = match pipeline.get() {
                Ok(pipeline) => {
                    let read = bytes.map(|bytes| (bytes, key.as_ref().map(|k| k.hash.clone())));
                    process(pipeline, item, read)
                }
                Err(message) => (
                    unprocessed(item, Problem::new(Stage::Extract, message)),
                    StageTimes::default(),
                ),
            };
            let started = Instant::now();
            let written = match out_dir {
                Some(dir) => Written::Folder(write::write_record(dir, &record).map(|_| ())),
                None => Written::Line(write::to_json_line(&record)),
            };
            times.write += started.elapsed();
            Outcome::Fresh {
                tally: write::Tally::of(&record),
                written,
                times,
            }
        }
    };
    (key, outcome)
}

/// Documents a worker may run ahead of the next record to write, per thread, when records go
/// to a folder: the workers write them, so the writer holds only each one's tally (a few hundred
/// bytes). A slow document (a long PDF, a huge page) then no longer stalls the other workers
/// once they have done the few documents a small window allowed past it.
const AHEAD_FOLDER: usize = 64;
/// The same for JSON lines on stdout, where the writer holds each waiting record's line.
const AHEAD_STDOUT: usize = 4;

/// Hands the documents out to the workers in input order, numbered, at most `ahead` past the
/// next record to write. It owns the document source, so a WARC archive is read one page at a
/// time as workers ask for pages.
struct Gate<'a> {
    state: Mutex<GateState<'a>>,
    moved: Condvar,
    ahead: usize,
}

struct GateState<'a> {
    documents: Documents<'a>,
    /// Documents handed out so far (the number of the next one).
    next: usize,
    written: usize,
    closed: bool,
    /// The document source is used up.
    exhausted: bool,
}

impl<'a> Gate<'a> {
    fn new(documents: Documents<'a>, ahead: usize) -> Self {
        Gate {
            state: Mutex::new(GateState {
                documents,
                next: 0,
                written: 0,
                closed: false,
                exhausted: false,
            }),
            moved: Condvar::new(),
            ahead: ahead.max(1),
        }
    }

    /// The next document and its number, once there is room for it; `None` when all are handed
    /// out or the run stopped.
    fn take(&self) -> Option<(usize, WorkItem)> {
        // A poisoned lock only means another worker panicked; the counters stay consistent.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.closed || state.exhausted {
                return None;
            }
            if state.next < state.written + self.ahead {
                return match state.documents.next() {
                    Some(item) => {
                        state.next += 1;
                        Some((state.next - 1, item))
                    }
                    None => {
                        state.exhausted = true;
                        self.moved.notify_all();
                        None
                    }
                };
            }
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn written(&self, count: usize) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .written = count;
        self.moved.notify_all();
    }

    fn close(&self) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .closed = true;
        self.moved.notify_all();
    }

    /// What was handed out, once the workers are gone.
    fn finish(self) -> GateState<'a> {
        self.state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the pipeline over `items` on worker threads, writing each record in input order as soon
/// as it and all before it are done.
pub fn run(
    pipeline: &LazyPipeline,
    inputs: Inputs,
    options: &BatchOptions,
    walk: crate::read::WalkReport,
) -> Result<BatchResult> {
    let started = Instant::now();
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        n => n,
    };
    let out_dir = match &options.sink {
        Sink::Folder(dir) => Some(dir.clone()),
        Sink::Stdout => None,
    };
    let mut run_problems = walk.problems;
    if let Some(dir) = &out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // What a killed run left: its temporary files go, and so does the summary of the run
        // before it, so that `summary.json` is there only once this run has completed.
        run_problems.extend(write::remove_stale_temp_files(dir));
        match std::fs::remove_file(dir.join("summary.json")) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                run_problems.push(format!("removing the old summary.json: {err}"))
            }
            _ => {}
        }
    }

    let loaded = match (&out_dir, options.incremental) {
        (Some(dir), true) => Manifest::load(dir),
        _ => None,
    };
    let mut manifest = if options.incremental {
        Manifest::current(&options.settings, loaded.as_ref())
    } else {
        Manifest::default()
    };
    let previous = loaded.filter(|m| {
        let now = &manifest;
        m.version == now.version
            && m.rules_hash == now.rules_hash
            && m.build_hash == now.build_hash
            && m.settings == now.settings
            && !now.build_hash.is_empty()
    });

    if let Some(dir) = &out_dir
        && previous.is_none()
    {
        // This run rewrites outputs the old manifest vouches for (other settings, another
        // build, or a run that is not incremental): it must not outlive them, or a later
        // incremental run (this one killed, or the next one) would keep records it never made.
        match std::fs::remove_file(dir.join(MANIFEST)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                run_problems.push(format!("removing the old {MANIFEST}: {err}"))
            }
            _ => {}
        }
    }

    let (items, streamed, known): (Box<dyn Iterator<Item = WorkItem> + Send>, bool, usize) =
        match inputs {
            Inputs::Listed(items) => {
                let known = items.len();
                (Box::new(items.into_iter()), false, known)
            }
            Inputs::Streamed(receiver) => (Box::new(receiver.into_iter()), true, 0),
        };
    let progress = progress_bar(known as u64, options.show_progress);
    let mut summary = Summary {
        run_problems,
        ignored_files: walk.ignored,
        ..Summary::default()
    };
    let mut times = StageTimes::default();
    let mut skipped = 0usize;
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();

    // Documents handed out but not yet written. A slow document no longer holds up the others
    // (they are processed past it and wait in the reorder buffer), and this bound keeps that
    // buffer, and so memory, from growing with the corpus.
    let gate = Gate::new(
        Documents {
            items,
            streamed,
            archive: None,
            limits: &pipeline.limits,
            hash_archives: options.incremental,
            skipped_records: BTreeMap::new(),
            progress: progress.clone(),
        },
        threads
            * if out_dir.is_some() {
                AHEAD_FOLDER
            } else {
                AHEAD_STDOUT
            },
    );
    type Done = (usize, WorkItem, (Option<InputKey>, Outcome));
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    let mut written = 0usize;
    let mut last_checkpoint = Instant::now();
    // The documents of this run, for pruning the outputs of the others.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let written_all: Result<()> = std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let (gate, previous, out_dir, progress) = (&gate, &previous, &out_dir, &progress);
            scope.spawn(move || {
                let worked = catch_unwind(AssertUnwindSafe(|| {
                    while let Some((index, item)) = gate.take() {
                        let done = process_item(
                            pipeline,
                            &item,
                            options.incremental,
                            previous.as_ref(),
                            out_dir.as_deref(),
                        );
                        progress.inc(1);
                        if done_tx.send((index, item, done)).is_err() {
                            break;
                        }
                    }
                }));
                if worked.is_err() {
                    // The writer would wait forever for this worker's document.
                    gate.close();
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, (WorkItem, (Option<InputKey>, Outcome))> = BTreeMap::new();
        let mut write_in_order = || -> Result<()> {
            for (index, item, done) in done_rx.iter() {
                pending.insert(index, (item, done));
                while let Some((item, (key, outcome))) = pending.remove(&written) {
                    let write_started = Instant::now();
                    let tally = match outcome {
                        // Only runs into a folder take records over unchanged.
                        Outcome::Unchanged(tally) => {
                            skipped += 1;
                            tally
                        }
                        Outcome::Fresh {
                            tally,
                            written,
                            times: doc_times,
                        } => {
                            times += doc_times;
                            match written {
                                Written::Line(line) => {
                                    stdout.write_all(&line?).context("writing to stdout")?
                                }
                                Written::Folder(Err(err)) => summary
                                    .run_problems
                                    .push(format!("{}: {err:#}", tally.doc_id)),
                                Written::Folder(Ok(())) => {}
                            }
                            tally
                        }
                    };
                    times.write += write_started.elapsed();
                    if let Some(key) = key {
                        manifest.inputs.insert(item.doc_id().to_string(), key.hash);
                        if let Some(stat) = key.stat {
                            manifest.stats.insert(item.doc_id().to_string(), stat);
                        }
                        manifest
                            .tallies
                            .insert(item.doc_id().to_string(), tally.clone());
                    }
                    if options.incremental && options.prune {
                        seen.insert(item.doc_id().to_string());
                    }
                    summary.add(&tally);
                    written += 1;
                    gate.written(written);
                }
                if options.incremental
                    && let Some(dir) = &out_dir
                    && last_checkpoint.elapsed() >= CHECKPOINT_EVERY
                {
                    if let Err(err) = write::sync_outputs(dir)
                        .and_then(|()| manifest.save(previous.as_ref(), dir))
                    {
                        summary
                            .run_problems
                            .push(format!("saving the manifest checkpoint: {err:#}"));
                    }
                    last_checkpoint = Instant::now();
                }
            }
            Ok(())
        };
        let result = write_in_order();
        // On an error the workers must not wait for room that will never come.
        gate.close();
        result
    });
    written_all?;
    let handed_out = gate.finish();
    if !handed_out.exhausted || written < handed_out.next {
        anyhow::bail!(
            "a worker thread stopped: {written} of {} documents written",
            handed_out.next
        );
    }
    progress.finish_and_clear();
    summary.skipped_records = handed_out.documents.skipped_records;

    let mut pruned = 0;
    match (&options.sink, &out_dir) {
        (Sink::Folder(_), Some(dir)) => {
            write::sync_outputs(dir)
                .with_context(|| format!("flushing the records in {}", dir.display()))?;
            if options.incremental && options.prune {
                pruned = prune_outputs(dir, &seen, previous.as_ref(), &mut summary);
            }
            if options.incremental {
                // This run's documents only: the others are gone from the inputs.
                manifest
                    .save(None, dir)
                    .with_context(|| format!("writing {}/{MANIFEST}", dir.display()))?;
            }
            summary
                .write(dir)
                .with_context(|| format!("writing {}/summary.json", dir.display()))?;
        }
        _ => stdout.flush().context("writing to stdout")?,
    }
    Ok(BatchResult {
        summary,
        times,
        skipped,
        pruned,
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Deletes the outputs of documents the previous run had and this one does not.
fn prune_outputs(
    dir: &Path,
    current: &BTreeSet<String>,
    previous: Option<&Manifest>,
    summary: &mut Summary,
) -> usize {
    let Some(previous) = previous else { return 0 };
    let mut pruned = 0;
    for doc_id in previous.inputs.keys() {
        if current.contains(doc_id) {
            continue;
        }
        if let Ok(path) = write::output_path(dir, doc_id) {
            match std::fs::remove_file(&path) {
                Ok(()) => pruned += 1,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => summary.run_problems.push(
                    Problem::new(Stage::Write, format!("removing {}: {err}", path.display()))
                        .to_string(),
                ),
            }
        }
    }
    pruned
}

fn progress_bar(len: u64, show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} documents, {per_sec}, eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}
