//! Throughput of the fact stage (run by bench/facts_throughput.sh; ignored in plain `cargo test`).
//! The corpus texts are repeated to at least 50 MB and split into documents of the corpus' size.

use docfacts::facts::FactEngine;
use docfacts::model::{Extracted, Repaired, SourceKind};
use std::path::Path;
use std::time::Instant;

#[test]
#[ignore]
fn facts_stage_throughput() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut docs = Vec::new();
    for name in ["000.txt", "001.txt", "002.txt", "003.txt", "004.txt"] {
        let text = std::fs::read_to_string(corpus.join(name)).expect("corpus text");
        let lang = if name.starts_with("001") { "en" } else { "fr" };
        docs.push((text, lang));
    }
    let target: usize = std::env::var("FACTS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        << 20;
    let engine = FactEngine::embedded().expect("rules");
    let mut prepared = Vec::new();
    let mut bytes = 0;
    while bytes < target {
        for (text, lang) in &docs {
            let mut ex = Extracted::new(SourceKind::Text);
            ex.text = text.clone();
            let mut r = Repaired::unchanged(ex);
            r.language = Some(lang);
            bytes += text.len();
            prepared.push(r);
        }
    }
    let start = Instant::now();
    let mut facts = 0;
    for doc in &prepared {
        facts += engine.extract(doc).facts.count();
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "facts stage: {mb:.1} MB of text in {} documents, {secs:.2} s, {:.2} MB/s, {facts} facts (one thread)",
        prepared.len(),
        mb / secs
    );
}
