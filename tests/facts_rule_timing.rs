//! Time spent by each rule on the corpus texts (diagnostic, ignored in plain `cargo test`).

use docfacts::facts::FactEngine;
use std::time::Instant;

#[test]
#[ignore]
fn rule_timing() {
    let engine = FactEngine::embedded().expect("rules");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut text = String::new();
    for n in ["000.txt", "002.txt", "003.txt", "004.txt"] {
        text.push_str(&std::fs::read_to_string(dir.join(n)).expect("text"));
    }
    for lr in engine.languages() {
        let mut times: Vec<(f64, String, usize)> = Vec::new();
        for r in &lr.rules {
            let t = Instant::now();
            let n = r.regex.captures_iter(&text).count();
            times.push((t.elapsed().as_secs_f64() * 1000.0, r.spec.id.clone(), n));
        }
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, id, n) in times.iter().take(12) {
            println!("{} {ms:8.2} ms {id} ({n} matches)", lr.language);
        }
    }
    println!("text {} bytes", text.len());
}
