//! Per-document limits. Hostile or broken input must never stall or exhaust the batch: every
//! loop whose length depends on the input is bounded by one of these, and hitting one is
//! reported (an error or a warning on the document), never silent.

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_input_bytes: u64,
    /// Largest decompressed stream (gzip input, PDF FlateDecode streams), in bytes.
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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 512 * 1024 * 1024,
            max_decoded_bytes: 256 * 1024 * 1024,
            max_pages: 5_000,
            max_operators_per_page: 2_000_000,
            max_xobject_depth: 12,
            max_text_bytes: 64 * 1024 * 1024,
            max_html_nodes: 2_000_000,
        }
    }
}
