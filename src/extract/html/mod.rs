//! HTML: charset decoding (WHATWG), main content, blocks, links and page metadata.

use crate::limits::Limits;
use crate::model::{Extracted, Problem, Stage};

/// Extracts the main content of an HTML page.
pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<Extracted, Problem> {
    Err(Problem::new(Stage::Html, "HTML extraction not built yet"))
}
