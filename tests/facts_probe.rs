//! `probe`: the JSON contract of shared/facts-dev/README.md on texts of our own.

use docfacts::facts::FactEngine;
use docfacts::facts::probe::{context, probe_json, probe_jsonl};
use docfacts::facts::time::YearPolicy;
use serde_json::Value;

fn values(text: &str, lang: &str, reference: Option<&str>, dim: &str) -> Vec<Value> {
    let engine = FactEngine::embedded().expect("rules");
    let ctx = context(reference, YearPolicy::Future).expect("context");
    let out = probe_json(&engine, text, lang, &ctx);
    out["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .filter(|m| m["dimension"] == dim)
        .map(|m| m["value"].clone())
        .collect()
}

#[test]
fn dates_times_and_intervals() {
    let r = Some("2019-03-04T08:00:00");
    assert_eq!(
        values("rendez-vous le 9 avril à 14h15", "fr", r, "datetime"),
        [Value::from("2019-04-09T14:15")]
    );
    assert_eq!(
        values("du 21 au 24 mai", "fr", None, "interval"),
        [Value::from("XXXX-05-21/XXXX-05-24")]
    );
    assert_eq!(
        values("from 2 to 6 June 2021", "en", r, "interval"),
        [Value::from("2021-06-02/2021-06-06")]
    );
    assert_eq!(
        values("à partir du 8 mars", "fr", r, "interval"),
        [Value::from("2019-03-08/..")]
    );
    assert_eq!(
        values("vers 17h45", "fr", r, "time"),
        [Value::from("T17:45")]
    );
}

#[test]
fn numbers_phones_offsets() {
    let n = values("plus de 1 200 villes", "fr", None, "number");
    assert_eq!(n, [Value::from(1200)]);
    let engine = FactEngine::embedded().expect("rules");
    let ctx = context(None, YearPolicy::Future).expect("context");
    let out = probe_json(
        &engine,
        "Tél. : 01 45 67 89 10 — écrire à é@x.fr",
        "fr",
        &ctx,
    );
    let phone = out["mentions"]
        .as_array()
        .expect("m")
        .iter()
        .find(|m| m["dimension"] == "phone")
        .cloned()
        .expect("phone");
    assert_eq!(phone["value"], "+33145678910");
    assert_eq!(phone["start"], 7, "code-point offsets");
    assert_eq!(phone["end"], 21);
}

#[test]
fn jsonl_one_line_per_input_even_when_bad() {
    let engine = FactEngine::embedded().expect("rules");
    let input = "{\"text\": \"le 3 mars\", \"lang\": \"fr\", \"reference\": \"2020-01-01T00:00:00\"}\nnot json\n{\"text\": \"x\", \"lang\": \"en\", \"reference\": null}\n";
    let mut out = Vec::new();
    probe_jsonl(&engine, input.as_bytes(), &mut out, YearPolicy::Future).expect("probe");
    let text = String::from_utf8(out).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].contains("2020-03-03"));
    assert!(lines[1].contains("error"));
}
