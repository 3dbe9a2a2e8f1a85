//! OCR repair on arbitrary UTF-8 text. The first byte picks the source kind (most inputs are
//! taken as OCR'd PDFs, the kind that gets the most repair work); the rest is the text, split into
//! blocks by the plain-text extractor so block offsets are remapped too.
#![no_main]

use docfacts::extract::text;
use docfacts::limits::Limits;
use docfacts::model::SourceKind;
use docfacts::repair::Repairer;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn repairer() -> &'static Repairer {
    static REPAIRER: OnceLock<Repairer> = OnceLock::new();
    REPAIRER.get_or_init(|| match Repairer::embedded() {
        Ok(repairer) => repairer,
        Err(err) => panic!("embedded repair rules do not load: {err:#}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let mut extracted = text::extract(body.as_bytes(), &Limits::default());
    extracted.kind = match selector % 4 {
        0 => SourceKind::PdfText,
        1 => SourceKind::Text,
        _ => SourceKind::PdfOcr,
    };
    let repaired = repairer().repair(extracted);
    // The invariants later stages rely on: blocks and links index the clean text.
    for block in &repaired.blocks {
        assert!(block.start <= block.end && block.end <= repaired.clean.len());
        assert!(repaired.clean.is_char_boundary(block.start));
        assert!(repaired.clean.is_char_boundary(block.end));
    }
    for c in &repaired.corrections {
        assert!(repaired.raw.get(c.raw_start..c.raw_end).is_some());
        assert!(repaired.clean.get(c.clean_start..c.clean_end).is_some());
    }
});
