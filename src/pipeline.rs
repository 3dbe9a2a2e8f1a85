//! One document through every stage: read -> extract -> repair -> language -> facts -> record.
//!
//! The stages are plain functions; this module only chains them, and draws the document
//! boundary: whatever goes wrong inside (an error, even a panic) becomes an error record for that
//! document, and the batch goes on.

use crate::extract;
use crate::facts::FactEngine;
use crate::language;
use crate::limits::Limits;
use crate::model::{Problem, Source, Stage};
use crate::read::{self, InputFile};
use crate::record::{self, Record};
use crate::repair::{RepairOptions, Repairer};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Time spent in each stage, summed over the documents of a run (`--timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    pub read: Duration,
    pub extract: Duration,
    pub repair: Duration,
    pub language: Duration,
    pub facts: Duration,
    pub record: Duration,
    pub write: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, other: Self) {
        self.read += other.read;
        self.extract += other.extract;
        self.repair += other.repair;
        self.language += other.language;
        self.facts += other.facts;
        self.record += other.record;
        self.write += other.write;
    }
}

impl StageTimes {
    /// `(stage, seconds)` in pipeline order.
    pub fn rows(&self) -> [(&'static str, f64); 7] {
        [
            ("read", self.read.as_secs_f64()),
            ("extract", self.extract.as_secs_f64()),
            ("repair", self.repair.as_secs_f64()),
            ("language", self.language.as_secs_f64()),
            ("facts", self.facts.as_secs_f64()),
            ("record", self.record.as_secs_f64()),
            ("write", self.write.as_secs_f64()),
        ]
    }
}

/// The first `max` bytes of a repaired document (cut at a line or word boundary), for the fact
/// stage; `None` when the document is within the limit. Offsets stay valid: it is a prefix.
fn fact_view(doc: &crate::model::Repaired, max: usize) -> Option<crate::model::Repaired> {
    if doc.clean.len() <= max {
        return None;
    }
    let mut cut = max;
    while !doc.clean.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &doc.clean[..cut];
    let cut = head
        .rfind('\n')
        .or_else(|| head.rfind(char::is_whitespace))
        .unwrap_or(cut);
    let mut view = crate::model::Repaired {
        clean: doc.clean[..cut].to_string(),
        raw: String::new(),
        corrections: Vec::new(),
        blocks: doc.blocks.clone(),
        links: doc.links.clone(),
        kind: doc.kind,
        meta: doc.meta.clone(),
        encoding: doc.encoding.clone(),
        pages: doc.pages,
        warnings: Vec::new(),
        errors: Vec::new(),
        language: doc.language,
        languages: doc.languages.clone(),
    };
    view.blocks.retain(|b| b.start < cut);
    for block in &mut view.blocks {
        block.end = block.end.min(cut);
    }
    view.links.retain(|l| l.end <= cut);
    Some(view)
}

/// Builds what the stages otherwise build on first use (entity rules, phone-number metadata,
/// language models), so no worker waits for it in the middle of a document. Errors are left for
/// the documents to report, as before. Each is built on its own thread: together they were the
/// longest part of start-up.
fn warm_up<'scope>(scope: &'scope std::thread::Scope<'scope, '_>) {
    scope.spawn(|| {
        let _ = crate::entities::rules::rules();
    });
    scope.spawn(crate::facts::contacts::warm_up);
    scope.spawn(|| {
        let _ = language::detect("The rules are built before the first document is read.");
    });
}

/// A [`Pipeline`] built when the first document needs it: an incremental rerun over unchanged
/// inputs never compiles the rules (building them was a third of such a rerun).
pub struct LazyPipeline {
    pub limits: Limits,
    built: OnceLock<Result<Pipeline, String>>,
}

impl LazyPipeline {
    /// The embedded pipeline with these limits, to be built on first use.
    pub fn new(limits: Limits) -> Self {
        LazyPipeline {
            limits,
            built: OnceLock::new(),
        }
    }

    /// A pipeline already built (with options the lazy one does not take).
    pub fn ready(pipeline: Pipeline) -> Self {
        LazyPipeline {
            limits: pipeline.limits.clone(),
            built: OnceLock::from(Ok(pipeline)),
        }
    }

    /// The pipeline, built by the first caller (the others wait for it), or why it could not be.
    pub fn get(&self) -> Result<&Pipeline, &str> {
        self.built
            .get_or_init(|| {
                Pipeline::new(self.limits.clone()).map_err(|e| format!("loading rules: {e:#}"))
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Everything a run needs that is built once and shared by all documents.
pub struct Pipeline {
    pub limits: Limits,
    pub repairer: Repairer,
    pub facts: FactEngine,
}

impl Pipeline {
    /// A pipeline with the rules built into the binary.
    ///
    /// The rule sets compile on three threads at once: start-up was about 0.4 s of one core
    /// (regexes, the gazetteer, the phone-number metadata), a tenth of a 600-document run, and
    /// it held every worker back.
    pub fn new(limits: Limits) -> anyhow::Result<Self> {
        Self::with_repair_options(limits, RepairOptions::default())
    }

    /// [`Pipeline::new`] with some repair rules or layers switched off (`--repair-disable`).
    pub fn with_repair_options(limits: Limits, options: RepairOptions) -> anyhow::Result<Self> {
        let (repairer, facts) = std::thread::scope(|scope| {
            let repairer = scope.spawn(|| Repairer::with_options(options));
            warm_up(scope);
            let facts = FactEngine::embedded();
            let repairer = repairer
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("building the OCR repair rules panicked")));
            (repairer, facts)
        });
        Ok(Pipeline {
            limits,
            repairer: repairer?,
            facts: facts?,
        })
    }

    /// Reads and processes one input file. Never fails: problems become an error record.
    pub fn process_file(&self, input: &InputFile) -> Record {
        self.process_file_timed(input).0
    }

    /// [`Pipeline::process_file`], with the time spent in each stage.
    pub fn process_file_timed(&self, input: &InputFile) -> (Record, StageTimes) {
        let started = Instant::now();
        let loaded = read::load(input, &self.limits);
        self.process_loaded(loaded, started.elapsed())
    }

    /// [`Pipeline::process_file_timed`] for a file whose bytes (and their SHA-256, if known) the
    /// caller has already read.
    pub fn process_read_timed(
        &self,
        input: &InputFile,
        bytes: Vec<u8>,
        sha256: Option<String>,
    ) -> (Record, StageTimes) {
        let started = Instant::now();
        let loaded = read::load_read(input, bytes, sha256, &self.limits);
        self.process_loaded(loaded, started.elapsed())
    }

    /// The record of a file once read (or the error record of a read that failed).
    fn process_loaded(
        &self,
        loaded: Result<Source, Box<(Source, Problem)>>,
        read_time: Duration,
    ) -> (Record, StageTimes) {
        let (record, mut times) = match loaded {
            Ok(source) => self.process_source_timed(&source),
            Err(failure) => {
                let (source, problem) = *failure;
                (
                    record::failed(&source, vec![problem]),
                    StageTimes::default(),
                )
            }
        };
        times.read += read_time;
        (record, times)
    }

    /// Processes one source that is already in memory. Never fails and never panics outward.
    pub fn process_source(&self, source: &Source) -> Record {
        self.process_source_timed(source).0
    }

    /// [`Pipeline::process_source`], with the time spent in each stage.
    pub fn process_source_timed(&self, source: &Source) -> (Record, StageTimes) {
        let mut times = StageTimes::default();
        let record = match catch_unwind(AssertUnwindSafe(|| self.stages(source, &mut times))) {
            Ok(Ok(record)) => record,
            Ok(Err(problem)) => record::failed(source, vec![problem]),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                record::failed(
                    source,
                    vec![Problem::new(
                        Stage::Extract,
                        format!("internal error while processing this document: {what}"),
                    )],
                )
            }
        };
        (record, times)
    }

    fn stages(&self, source: &Source, times: &mut StageTimes) -> Result<Record, Problem> {
        let mut clock = Instant::now();
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - clock;
            clock = now;
        };
        let limits = self.limits.for_document();
        let extracted = extract::extract(source, &limits)?;
        lap(&mut times.extract);
        let mut repaired = self.repairer.repair(extracted);
        lap(&mut times.repair);
        language::annotate(&mut repaired);
        lap(&mut times.language);
        limits.check_time(Stage::Extract)?;
        let facts = match fact_view(&repaired, limits.max_fact_text_bytes) {
            Some(view) => {
                repaired.warnings.push(Problem::new(
                    Stage::Extract,
                    format!(
                        "facts extracted from the first {} bytes of {} only (fact text limit)",
                        view.clean.len(),
                        repaired.clean.len()
                    ),
                ));
                self.facts.extract(&view)
            }
            None => self.facts.extract(&repaired),
        };
        lap(&mut times.facts);
        let record = record::build(source, &repaired, facts);
        lap(&mut times.record);
        Ok(record)
    }
}
