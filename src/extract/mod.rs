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
        Format::Html => {
            // html5ever's scope checks walk the stack of open elements: on a page nested tens of
            // thousands deep, parsing turns quadratic. Refuse such pages before parsing.
            let depth = html_nesting_depth(&source.bytes);
            if depth > limits.max_html_depth {
                return Err(Problem::new(
                    crate::model::Stage::Html,
                    format!(
                        "HTML nested {depth} elements deep, over the limit of {}",
                        limits.max_html_depth
                    ),
                ));
            }
            let (charset, url) = source.warc.as_ref().map_or((None, None), |w| {
                (w.charset.as_deref(), Some(w.uri.as_str()))
            });
            html::extract_with(&source.bytes, charset, url, limits)
        }
        Format::Pdf => pdf::extract(&source.bytes, limits),
        Format::Text => Ok(text::extract(&source.bytes, limits)),
    }
}

/// Elements that never have content, so never deepen the tree.
const VOID_ELEMENTS: [&[u8]; 16] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr", b"p", b"li",
];

/// An upper estimate of the nesting depth of an HTML page, from its tags alone (no parsing):
/// start tags deepen, end tags close. `p` and `li` are counted as void because pages often leave
/// them open and the parser closes them itself.
pub fn html_nesting_depth(bytes: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        if rest.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = rest.get(..name_len).unwrap_or_default();
        if name.is_empty() || VOID_ELEMENTS.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_open_elements() {
        assert_eq!(
            html_nesting_depth(b"<html><body><div><p>a<br>b</div></body></html>"),
            3
        );
        assert_eq!(html_nesting_depth(&b"<div>".repeat(50)), 50);
        assert_eq!(html_nesting_depth(b"<ul><li>a<li>b</ul> 1 < 2"), 1);
    }
}
