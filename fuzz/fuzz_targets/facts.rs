//! Fact extraction on arbitrary UTF-8 text. The first byte picks the source kind and the
//! document language (French, English, or none: lingua is not run, to keep executions fast and to
//! reach both rule sets whatever the text); the rest is the text, split into blocks by the
//! plain-text extractor.
#![no_main]

use docfacts::extract::text;
use docfacts::facts::FactEngine;
use docfacts::limits::Limits;
use docfacts::model::{Repaired, SourceKind};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static FactEngine {
    static ENGINE: OnceLock<FactEngine> = OnceLock::new();
    ENGINE.get_or_init(|| match FactEngine::embedded() {
        Ok(engine) => engine,
        Err(err) => panic!("embedded fact rules do not load: {err:#}"),
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
    extracted.kind = match selector & 3 {
        0 => SourceKind::PdfText,
        1 => SourceKind::PdfOcr,
        2 => SourceKind::Html,
        _ => SourceKind::Text,
    };
    let mut doc = Repaired::unchanged(extracted);
    let language = match (selector >> 2) % 3 {
        0 => Some("fr"),
        1 => Some("en"),
        _ => None,
    };
    doc.language = language;
    if let Some(code) = language {
        doc.languages = vec![(code, 1.0)];
        for block in &mut doc.blocks {
            block.language = Some(code);
        }
    }
    let _ = engine().extract(&doc);
});
