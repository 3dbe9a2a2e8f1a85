//! Stage 2: text with its structure, one extractor per format.

pub mod html;
pub mod pdf;
pub mod text;

use crate::limits::Limits;
use crate::model::{Extracted, Format, Problem, Source};

/// Extracts the text and blocks of a source with the extractor of its format. An `Err` means
/// nothing usable came out (the document gets an error record); partial failures are in
/// `Extracted::errors`.
pub fn extract(source: &Source, limits: &Limits) -> Result<Extracted, Problem> {
    match source.format {
        Format::Html => html::extract(&source.bytes, limits),
        Format::Pdf => pdf::extract(&source.bytes, limits),
        Format::Text => Ok(text::extract(&source.bytes, limits)),
    }
}
