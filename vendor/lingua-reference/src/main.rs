//! Reads a JSON array of texts on stdin and prints, for each, the confidence values the
//! published lingua 1.8.0 gives with docfacts' seven languages, as exact f64 bits.

use lingua::{Language, LanguageDetectorBuilder};
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let texts: Vec<String> = serde_json::from_str(&input)?;
    let detector = LanguageDetectorBuilder::from_languages(&[
        Language::French,
        Language::English,
        Language::German,
        Language::Spanish,
        Language::Italian,
        Language::Dutch,
        Language::Portuguese,
    ])
    .build();
    let cases: Vec<serde_json::Value> = texts
        .iter()
        .map(|text| {
            let values: Vec<serde_json::Value> = detector
                .compute_language_confidence_values(text.as_str())
                .into_iter()
                .map(|(language, confidence)| {
                    serde_json::json!([language.to_string(), format!("{:016x}", confidence.to_bits())])
                })
                .collect();
            serde_json::json!({ "text": text, "values": values })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&cases)?);
    Ok(())
}
