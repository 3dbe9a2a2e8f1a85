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
use crate::repair::Repairer;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Everything a run needs that is built once and shared by all documents.
pub struct Pipeline {
    pub limits: Limits,
    pub repairer: Repairer,
    pub facts: FactEngine,
}

impl Pipeline {
    /// A pipeline with the rules built into the binary.
    pub fn new(limits: Limits) -> anyhow::Result<Self> {
        Ok(Pipeline {
            limits,
            repairer: Repairer::embedded()?,
            facts: FactEngine::embedded()?,
        })
    }

    /// Reads and processes one input file. Never fails: problems become an error record.
    pub fn process_file(&self, input: &InputFile) -> Record {
        match read::load(input, &self.limits) {
            Ok(source) => self.process_source(&source),
            Err(failure) => {
                let (source, problem) = *failure;
                record::failed(&source, vec![problem])
            }
        }
    }

    /// Processes one source that is already in memory. Never fails and never panics outward.
    pub fn process_source(&self, source: &Source) -> Record {
        match catch_unwind(AssertUnwindSafe(|| self.stages(source))) {
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
        }
    }

    fn stages(&self, source: &Source) -> Result<Record, Problem> {
        let extracted = extract::extract(source, &self.limits)?;
        let mut repaired = self.repairer.repair(extracted);
        language::annotate(&mut repaired);
        let facts = self.facts.extract(&repaired);
        Ok(record::build(source, &repaired, facts))
    }
}
