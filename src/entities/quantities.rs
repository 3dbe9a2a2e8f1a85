//! Quantities that size or rank an organisation: "85 villes membres", "plus de 90 villes et
//! régions de 14 pays", "de plus de 50 000 habitants" (threshold), "the 12th city to sign"
//! (rank), "40%" (share). Only nouns listed in `rules/entities/quantities.toml` count, so
//! durations, article numbers, postal codes and registration numbers are left alone.

use super::orgs::{OrgIndex, static_re};
use super::rules::Rules;
use super::text::{collapse, sentence_at};
use crate::facts::numbers::{ORDINAL_SUFFIXES, parse_written};
use crate::record::{Evidence, QuantityFact};
use crate::wordre::{WordRegex, static_word_re};
use regex::Regex;
use std::sync::OnceLock;

const MONTHS: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether the written number is an ordinal in digits ("33rd", "15th", "3e", "2ème").
fn is_ordinal(written: &str) -> bool {
    let t = written.trim();
    t.starts_with(|c: char| c.is_ascii_digit())
        && ORDINAL_SUFFIXES.iter().any(|s| {
            t.strip_suffix(s)
                .is_some_and(|digits| digits.ends_with(|c: char| c.is_ascii_digit()))
        })
}

fn qualifier_of(rules: &Rules, written: Option<&str>) -> String {
    let Some(q) = written.map(collapse) else {
        return "exact".to_string();
    };
    rules
        .qualifier_res
        .iter()
        .find(|(_, re)| re.is_match(&q))
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| "exact".to_string())
}

/// The organisation a number is about: the first one named earlier in the sentence, else the
/// one the counted noun belongs to ("… membres de l'Alliance"), else the last one named before.
fn subject(text: &str, index: &OrgIndex, start: usize, unit_end: usize, unit: &str) -> String {
    let (s, _) = sentence_at(text, start);
    if let Some(o) = index
        .mentions
        .iter()
        .find(|m| m.start >= s && m.end <= start)
        .and_then(|m| index.orgs.get(m.org))
    {
        return o.name.clone();
    }
    if unit != "countries" {
        static MEMBERS_OF: OnceLock<Regex> = OnceLock::new();
        let re = static_re(
            &MEMBERS_OF,
            r"^\s*(?:\p{L}+\s+){0,1}(?:(?:sont|are)\s+)?(?:membres?|members?)\s+(?:de|du|des|of)\s*(?:l['’]|la\s+|le\s+|the\s+)?",
        );
        if let Some(m) = text.get(unit_end..).and_then(|t| re.find(t)) {
            let at = unit_end + m.end();
            if let Some(o) = index
                .mentions
                .iter()
                .find(|x| x.start <= at + 3 && x.end > at)
                .and_then(|x| index.orgs.get(x.org))
            {
                return o.name.clone();
            }
        }
    }
    index
        .last_before(start, start.saturating_sub(1500))
        .map(|o| o.name.clone())
        .unwrap_or_default()
}

pub fn find(
    text: &str,
    rules: &Rules,
    index: &OrgIndex,
    language: Option<&str>,
) -> Vec<QuantityFact> {
    let english = language == Some("en");
    let words = rules.number_words(english);
    let mut out: Vec<QuantityFact> = Vec::new();
    let mut push = |q: QuantityFact| {
        if let Some(existing) = out
            .iter_mut()
            .find(|x| x.value == q.value && x.unit == q.unit)
        {
            existing.evidence.extend(q.evidence);
        } else {
            out.push(q);
        }
    };
    for c in rules.quantity_re.captures_all(text) {
        let (Some(all), Some(num), Some(unit)) = (c.get(0), c.name("num"), c.name("unit")) else {
            continue;
        };
        // Not inside a code, URL, phone number or date ("CM(2010)133", "20110922").
        let before = text.get(..num.start()).unwrap_or("").chars().next_back();
        if before.is_some_and(|b| {
            b.is_alphanumeric() || matches!(b, '/' | '@' | '.' | '-' | '_' | '=' | '(' | '&')
        }) {
            continue;
        }
        let adj = c.name("adj").map(|a| a.as_str()).unwrap_or("");
        let adj_words: Vec<String> = adj.split_whitespace().map(str::to_lowercase).collect();
        if adj_words.iter().enumerate().any(|(i, w)| {
            rules.stop_nouns.contains(w)
                || MONTHS.contains(&w.as_str())
                || w.chars().any(|c| c.is_ascii_digit())
                || (rules.gap_words.contains(w) && !(i == 0 && w == "of"))
        }) {
            continue;
        }
        // Percentages are read below; section numbers ("5.1 Participants") are no quantities.
        if c.name("pct").is_some() {
            continue;
        }
        let line_start = text
            .get(..num.start())
            .unwrap_or("")
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        let at_line_start = text
            .get(line_start..num.start())
            .is_some_and(|t| t.trim().is_empty());
        if at_line_start && num.as_str().contains('.') {
            continue;
        }
        let written = num.as_str();
        let Some(value) = parse_written(written, !english, words) else {
            continue;
        };
        let qual_written = c.name("qual").map(|q| q.as_str());
        let plain_digits = written.chars().all(|c| c.is_ascii_digit());
        if plain_digits && (1800.0..=2100.0).contains(&value) && qual_written.is_none() {
            continue;
        }
        let unit_text = unit.as_str();
        let Some(unit_idx) = rules
            .unit_nouns
            .iter()
            .find(|(re, _)| re.is_match(unit_text))
            .map(|(_, i)| *i)
        else {
            continue;
        };
        let Some(u) = rules.units.get(unit_idx) else {
            continue;
        };
        let qualifier = qualifier_of(rules, qual_written);
        let start = c.name("qual").map(|q| q.start()).unwrap_or(num.start());
        // Only the word just before matters ("de", "of", "with"): lowercasing the whole text
        // before every quantity made long documents quadratic.
        let word_before = {
            let before = text.get(..start).unwrap_or("").trim_end();
            let tail = before.char_indices().rev().nth(7).map_or(0, |(at, _)| at);
            before.get(tail..).unwrap_or("").to_lowercase()
        };
        let mut measure = u.measure.clone();
        if is_ordinal(written) {
            measure = "rank".to_string();
        } else if qualifier == "more_than"
            && {
                let p = word_before.as_str();
                p.ends_with(" de") || p.ends_with(" of") || p.ends_with(" with")
            }
            && u.unit == "people"
        {
            measure = "threshold".to_string();
        }
        let unit_text_full = collapse(&format!("{adj} {unit_text}"));
        push(QuantityFact {
            id: String::new(),
            subject: subject(text, index, start, unit.end(), &u.unit),
            value,
            qualifier,
            unit: u.unit.clone(),
            unit_text: Some(unit_text_full),
            measure,
            label: None,
            evidence: vec![Evidence::at(text, start, all.end())],
            rule: if qual_written.is_some() {
                "qty.qualifier_n_unit"
            } else {
                "qty.n_unit"
            }
            .to_string(),
            confidence: 0.85,
        });
    }
    // Percentages: a share, with or without an organisation.
    static PCT: OnceLock<WordRegex> = OnceLock::new();
    let pct = static_word_re(
        &PCT,
        r"(?i)(?:(?P<qual>plus de|moins de|jusqu['’]à|environ|près de|over|more than|less than|up to|about|some|nearly)\s+)?\b(?P<num>\d+(?:[.,]\d+)?)\s?(?:%|pour ?cent\b|per ?cent\b)",
    );
    for c in pct.captures_all(text) {
        let (Some(all), Some(num)) = (c.get(0), c.name("num")) else {
            continue;
        };
        let Some(value) = parse_written(num.as_str(), !english, words) else {
            continue;
        };
        let qualifier = qualifier_of(rules, c.name("qual").map(|q| q.as_str()));
        push(QuantityFact {
            id: String::new(),
            subject: subject(text, index, all.start(), all.end(), "percent"),
            value,
            qualifier,
            unit: "percent".to_string(),
            unit_text: Some("%".to_string()),
            measure: "share".to_string(),
            label: None,
            evidence: vec![Evidence::at(text, all.start(), all.end())],
            rule: "qty.percent".to_string(),
            confidence: 0.7,
        });
    }
    out.sort_by_key(|q| q.evidence.first().and_then(|e| e.start).unwrap_or(0));
    out
}
