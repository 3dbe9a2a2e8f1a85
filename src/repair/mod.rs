//! Stage 3: OCR artefact repair, `text.raw` -> `text.clean` with an audit trail.

use crate::model::{Extracted, Repaired};

/// The compiled repair rules and lexicons. Built once per run and shared by every document.
pub struct Repairer {}

impl Repairer {
    /// The repairer with the rules and lexicons built into the binary.
    pub fn embedded() -> anyhow::Result<Self> {
        Ok(Repairer {})
    }

    /// Repairs the extracted text. Every change is a [`crate::model::Correction`]; blocks and
    /// links are moved to the clean text's offsets.
    pub fn repair(&self, extracted: Extracted) -> Repaired {
        Repaired::unchanged(extracted)
    }
}

/// Maps the byte span `[start, end)` of `doc.clean` to the span of `doc.raw` it came from. A
/// bound inside a correction widens to that correction's raw span.
pub fn clean_span_to_raw(doc: &Repaired, start: usize, end: usize) -> (usize, usize) {
    let map = |pos: usize, is_end: bool| -> usize {
        // Corrections are in text order and do not overlap.
        let idx = doc.corrections.partition_point(|c| c.clean_end <= pos);
        if let Some(c) = doc.corrections.get(idx)
            && c.clean_start < pos
        {
            return if is_end { c.raw_end } else { c.raw_start };
        }
        if let Some(c) = doc.corrections.get(idx)
            && c.clean_start == pos
            && !is_end
        {
            return c.raw_start;
        }
        match idx.checked_sub(1).and_then(|i| doc.corrections.get(i)) {
            Some(prev) => (pos + prev.raw_end).saturating_sub(prev.clean_end),
            None => pos,
        }
    };
    let raw_start = map(start, false).min(doc.raw.len());
    let raw_end = map(end, true).clamp(raw_start, doc.raw.len());
    (raw_start, raw_end)
}
