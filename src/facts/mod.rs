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
        // Temporary wiring of the entity facts (entities branch) until the lead merges them.
        let e = crate::entities::extract(doc);
        (
            out.facts.organisations,
            out.facts.people,
            out.facts.contacts,
            out.facts.quantities,
            out.facts.objectives,
        ) = (
            e.organisations,
            e.people,
            e.contacts,
            e.quantities,
            e.objectives,
        );
        (
            out.document.title,
            out.document.document_type,
            out.document.issuing_organisation,
        ) = (
            e.title.map(|t| t.0),
            e.document_type,
            e.issuing_organisation,
        );
        out
    }
}
