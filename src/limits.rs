//! Per-document limits. Hostile or broken input must never stall or exhaust the batch: every
//! loop whose length depends on the input is bounded by one of these, and hitting one is
//! reported (an error or a warning on the document), never silent.

use crate::model::{Problem, Stage};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_input_bytes: u64,
    /// Largest decompressed stream (gzip input, PDF FlateDecode streams), in bytes. The
    /// decoded buffer is held whole, so this bounds the peak memory of a decompression bomb
    /// (at 256 MiB a 1 GiB Flate bomb peaked at 327 MB of RSS, over the 300 MB goal; real
    /// content streams are far smaller).
    pub max_decoded_bytes: u64,
    /// Pages read from one PDF.
    pub max_pages: u32,
    /// Content-stream operators interpreted per PDF page.
    pub max_operators_per_page: usize,
    /// Nesting depth of Form XObjects.
    pub max_xobject_depth: u32,
    /// Extracted text kept per document, in bytes.
    pub max_text_bytes: usize,
    /// HTML nodes parsed.
    pub max_html_nodes: usize,
    /// Nesting depth of an HTML page (estimated from its tags before parsing).
    pub max_html_depth: usize,
    /// Text the fact stage reads per document, in bytes; past it, facts come from the first
    /// part only (with a warning). Fact rules and entity grouping cost more than linear time on
    /// pathological text (one 50 MB line), and facts of such documents are rarely the point.
    pub max_fact_text_bytes: usize,
    /// Wall-clock budget of one document, in seconds.
    pub seconds_per_document: u64,
    /// When the current document's budget runs out; set by [`Limits::for_document`].
    pub deadline: Option<Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 512 * 1024 * 1024,
            max_decoded_bytes: 128 * 1024 * 1024,
            max_pages: 5_000,
            max_operators_per_page: 2_000_000,
            max_xobject_depth: 12,
            max_text_bytes: 64 * 1024 * 1024,
            max_html_nodes: 2_000_000,
            max_html_depth: 5_000,
            max_fact_text_bytes: 2 * 1024 * 1024,
            seconds_per_document: 120,
            deadline: None,
        }
    }
}

impl Limits {
    /// The limits for one document: the same, with its wall-clock budget starting now.
    pub fn for_document(&self) -> Limits {
        Limits {
            deadline: Instant::now().checked_add(Duration::from_secs(self.seconds_per_document)),
            ..self.clone()
        }
    }

    /// Whether the document's wall-clock budget is spent. Loops whose length depends on the
    /// input call this between units of work (a page, a block), so that one pathological file
    /// cannot stall the batch.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// `Err` with a clear message when the budget is spent.
    pub fn check_time(&self, stage: Stage) -> Result<(), Problem> {
        if self.out_of_time() {
            return Err(Problem::new(
                stage,
                format!(
                    "time budget of {} s per document exceeded (--seconds-per-document)",
                    self.seconds_per_document
                ),
            ));
        }
        Ok(())
    }
}
