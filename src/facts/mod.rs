//! Stage 5: facts from the repaired text, by rules kept as data under `rules/facts/`.

use crate::model::Repaired;
use crate::record::FactsOutput;

/// The compiled fact rules. Built once per run and shared by every document.
pub struct FactEngine {}

impl FactEngine {
    /// The engine with the rules built into the binary.
    pub fn embedded() -> anyhow::Result<Self> {
        Ok(FactEngine {})
    }

    /// Facts and document metadata of one repaired document.
    pub fn extract(&self, doc: &Repaired) -> FactsOutput {
        let mut out = FactsOutput::default();
        out.document.language = doc.language.map(str::to_string);
        out
    }
}
