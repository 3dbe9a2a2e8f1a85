//! `docfacts rules test`: every rule's examples and counter-examples through the whole engine
//! (so an edit to one rule is checked against all the others).

use super::FactEngine;
use super::probe;
use super::time::YearPolicy;

/// One failed check.
#[derive(Debug, Clone)]
pub struct Failure {
    pub file: String,
    pub rule: String,
    pub message: String,
}

/// Results of `rules test`.
#[derive(Debug, Default)]
pub struct Report {
    pub checked: usize,
    pub failures: Vec<Failure>,
}

fn produced_by(m: &super::Mention, id: &str) -> bool {
    m.rule == id || m.parts.iter().any(|p| p == id)
}

/// Runs every example of every rule file.
pub fn run(engine: &FactEngine) -> Report {
    let mut report = Report::default();
    for lr in engine.languages() {
        let lang = lr.language.as_str();
        let checks = lr
            .rules
            .iter()
            .map(|r| {
                (
                    &r.file,
                    &r.spec.id,
                    &r.spec.examples,
                    &r.spec.counter_examples,
                )
            })
            .chain(lr.combines.iter().map(|c| {
                (
                    &c.file,
                    &c.spec.id,
                    &c.spec.examples,
                    &c.spec.counter_examples,
                )
            }));
        for (file, id, examples, counters) in checks {
            // Common rules are checked once, with the French rules.
            if file.contains(".any.") && lang != "fr" {
                continue;
            }
            let fail = |message: String| Failure {
                file: file.clone(),
                rule: id.clone(),
                message,
            };
            if examples.len() < 2 {
                report.failures.push(fail(format!(
                    "{} example(s); every rule needs at least two",
                    examples.len()
                )));
            }
            let reference = lr.references.get(file.as_str()).map(String::as_str);
            let ctx = match probe::context(reference, YearPolicy::Future) {
                Ok(c) => c,
                Err(e) => {
                    report.failures.push(fail(format!("{e:#}")));
                    continue;
                }
            };
            for ex in examples {
                report.checked += 1;
                let ms = probe::mentions(engine, &ex.text, lang);
                // The rule's own longest mention, else the longest of all (for the message).
                let best = ms
                    .iter()
                    .filter(|m| produced_by(m, id))
                    .max_by_key(|m| m.end - m.start)
                    .or_else(|| ms.iter().max_by_key(|m| (m.end - m.start, m.start == 0)));
                let got = best.and_then(|m| probe::example_value(m, &ctx));
                if got.as_deref() != Some(ex.value.as_str()) {
                    report.failures.push(fail(format!(
                        "{:?}: expected {:?}, got {:?} (by {})",
                        ex.text,
                        ex.value,
                        got,
                        best.map_or("no rule".to_string(), |m| m.rule.clone())
                    )));
                }
            }
            for ce in counters {
                report.checked += 1;
                let ms = probe::mentions(engine, ce, lang);
                if let Some(m) = ms.iter().find(|m| produced_by(m, id)) {
                    report.failures.push(fail(format!(
                        "counter-example {ce:?} matched {:?}",
                        ce.get(m.start..m.end).unwrap_or_default()
                    )));
                }
            }
        }
    }
    report
}
