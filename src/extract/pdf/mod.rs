//! PDF: a content-stream interpreter and layout on top of lopdf's parsing.

use crate::limits::Limits;
use crate::model::{Extracted, Problem, Stage};

/// Extracts the text layer of a PDF in reading order, with blocks that carry their page.
pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<Extracted, Problem> {
    Err(Problem::new(Stage::Pdf, "PDF extraction not built yet"))
}
