//! Objectives: goals a text gives an organisation. Items of a list introduced as objectives
//! ("poursuit les objectifs suivants :", "un double objectif : …"), one fact per item or
//! coordinated infinitive, and sentences with an aim marker ("vise à", "a pour but de", "aim is
//! to"); in a section headed "Objectifs" / "Dans quel but ?" also "veut", "s'emploie à".

use super::orgs::{OrgIndex, static_re};
use super::rules::Rules;
use super::text::{collapse, fold, sentence_at, sentence_end, trim_span};
use crate::record::{Evidence, ObjectiveFact};
use regex::Regex;
use std::sync::OnceLock;

const STRIP: &[char] = &['.', ';', ',', ':', '«', '»', '"', '“', '”', '…', '-', '–'];

/// Headings of the text: (byte offset, folded text). A heading is a short line of its own,
/// after a blank line, starting with a capital or a section number, without a final period.
fn headings(text: &str) -> Vec<(usize, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = static_re(
        &RE,
        r"(?m)(?:\A|\n[ \t]*\n)[ \t]*(?:#+[ \t]*)?(?P<h>(?:\d+(?:\.\d+)*\.?[ \t]+)?\p{Lu}[^\n.,;:]{0,60}?[ \t]*[?]?)[ \t]*$",
    );
    re.captures_iter(text)
        .filter_map(|c| c.name("h"))
        .filter(|h| h.as_str().split_whitespace().count() <= 7)
        .map(|h| (h.start(), fold(h.as_str())))
        .collect()
}

/// Whether `word` looks like an infinitive (French -er/-ir/-re/-oir, or after "to").
fn is_infinitive(word: &str) -> bool {
    let w = word.to_lowercase();
    let w = w.trim_matches(|c: char| !c.is_alphabetic());
    w.chars().count() >= 3 && (w.ends_with("er") || w.ends_with("ir") || w.ends_with("re"))
}

/// Whether the text at `pos` starts with an infinitive (possibly reflexive: "se rendre", "s’assurer").
fn starts_with_infinitive(text: &str) -> bool {
    let t = text.trim_start();
    let mut words = t.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let lower = first.to_lowercase();
    if lower == "se" {
        return words.next().is_some_and(is_infinitive);
    }
    if let Some(rest) = lower
        .strip_prefix("s'")
        .or_else(|| lower.strip_prefix("s’"))
    {
        return is_infinitive(rest);
    }
    is_infinitive(first)
}

fn owner(text: &str, index: &OrgIndex, pos: usize) -> Vec<String> {
    let (s, _) = sentence_at(text, pos);
    let in_sentence = index
        .mentions
        .iter()
        .find(|m| m.start >= s && m.end <= pos)
        .and_then(|m| index.orgs.get(m.org));
    in_sentence
        .or_else(|| index.last_before(pos, pos.saturating_sub(1500)))
        .map(|o| vec![o.name.clone()])
        .unwrap_or_default()
}

struct Found {
    start: usize,
    end: usize,
    cue: String,
    list_label: Option<String>,
    position: Option<u32>,
    rule: &'static str,
    owner_pos: usize,
}

/// The objective after a sentence cue: from the cue's end to the end of the sentence.
fn sentence_objective(text: &str, cue_end: usize) -> Option<(usize, usize)> {
    let end = sentence_end(text, cue_end);
    let (mut s, e) = trim_span(text, cue_end, end, STRIP);
    // "a pour but, avec la participation de …, de favoriser …": skip to the infinitive.
    let body = text.get(s..e)?;
    if !starts_with_infinitive(body) {
        static DE_INF: OnceLock<Regex> = OnceLock::new();
        let re = static_re(&DE_INF, r",\s*(?:de|d['’])\s*");
        if let Some(m) = re
            .find_iter(body)
            .find(|m| starts_with_infinitive(body.get(m.end()..).unwrap_or("")))
        {
            s += m.end();
        }
    }
    let (s, e) = trim_span(text, s, e, STRIP);
    let words = text.get(s..e)?.split_whitespace().count();
    (words >= 2).then_some((s, e))
}

/// Items of an inline list after a colon, split before each coordinated infinitive.
fn inline_items(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    static SEP: OnceLock<Regex> = OnceLock::new();
    let sep = static_re(&SEP, r",\s*(?:et\s+|and\s+)?|\s+et\s+|\s+and\s+|;\s*");
    let body = text.get(start..end).unwrap_or("");
    let mut items = Vec::new();
    let mut item_start = 0;
    for m in sep.find_iter(body) {
        if starts_with_infinitive(body.get(m.end()..).unwrap_or("")) && m.start() > item_start {
            items.push((start + item_start, start + m.start()));
            item_start = m.end();
        }
    }
    items.push((start + item_start, end));
    items
        .into_iter()
        .map(|(s, e)| trim_span(text, s, e, STRIP))
        .filter(|(s, e)| e > s)
        .collect()
}

/// Bullet items that follow `pos` (a list introduced by a colon at the end of a line).
fn bullet_items(text: &str, pos: usize) -> Vec<(usize, usize)> {
    static BULLET: OnceLock<Regex> = OnceLock::new();
    let bullet = static_re(&BULLET, r"^[ \t]*(?:[•\-–—*·▪►○◦¢©]|[eoO]|\d+[.)])[ \t]+");
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut blank_seen = false;
    let mut line_start = pos;
    let mut steps = 0;
    while line_start < text.len() && steps < 200 {
        steps += 1;
        let rest = text.get(line_start..).unwrap_or("");
        let line_len = rest.find('\n').unwrap_or(rest.len());
        let line = rest.get(..line_len).unwrap_or("");
        let next = line_start + line_len + 1;
        if line.trim().is_empty() {
            blank_seen = true;
            line_start = next;
            continue;
        }
        if let Some(m) = bullet.find(line) {
            items.push((line_start + m.end(), line_start + line_len));
            blank_seen = false;
        } else if let Some(last) = items.last_mut()
            && !blank_seen
        {
            last.1 = line_start + line_len;
        } else {
            break;
        }
        if items.len() > 30 {
            break;
        }
        line_start = next;
    }
    items
        .into_iter()
        .map(|(s, e)| trim_span(text, s, e, STRIP))
        .filter(|(s, e)| e > s)
        .collect()
}

/// Whether a cue belongs to other bodies than the subject ("d'autres organisations qui visent à").
fn other_bodies_before(text: &str, pos: usize) -> bool {
    let from = pos.saturating_sub(120);
    let mut from = from;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = fold(text.get(from..pos).unwrap_or(""));
    let relative =
        before.ends_with(" qui") || before.ends_with(" which") || before.ends_with(" that");
    relative && (before.contains("d autres") || before.contains("other "))
}

pub fn find(text: &str, rules: &Rules, index: &OrgIndex) -> Vec<ObjectiveFact> {
    // Headings are only needed for a section cue's match, which most documents do not have.
    let heads: std::cell::OnceCell<Vec<(usize, String)>> = std::cell::OnceCell::new();
    let section_of = |pos: usize| -> &str {
        heads
            .get_or_init(|| headings(text))
            .iter()
            .rev()
            .find(|(p, _)| *p < pos)
            .map(|(_, h)| h.as_str())
            .unwrap_or("")
    };
    let mut found: Vec<Found> = Vec::new();
    for (cue_idx, (cue, re)) in rules.cues.iter().enumerate() {
        let section_re = rules.section_res.get(cue_idx).and_then(Option::as_ref);
        for m in re.find_all(text) {
            let cue_text = collapse(m.as_str().trim_end_matches([':', ',', ' ']));
            match cue.kind.as_str() {
                "sentence" | "section" => {
                    if cue.kind == "section" {
                        let heading = section_of(m.start());
                        let in_section = section_re.is_some_and(|re| re.is_match(heading));
                        if !in_section {
                            continue;
                        }
                    }
                    if other_bodies_before(text, m.start()) {
                        continue;
                    }
                    let Some((s, e)) = sentence_objective(text, m.end()) else {
                        continue;
                    };
                    found.push(Found {
                        start: s,
                        end: e,
                        cue: cue_text,
                        list_label: None,
                        position: None,
                        rule: if cue.kind == "section" {
                            "obj.section_cue"
                        } else {
                            "obj.sentence_cue"
                        },
                        owner_pos: m.start(),
                    });
                }
                "list" => {
                    // The list starts after a colon in the same sentence.
                    let end = sentence_end(text, m.end());
                    let window = text.get(m.end()..end.min(m.end() + 160)).unwrap_or("");
                    let Some(colon) = window.find(':') else {
                        continue;
                    };
                    let after = m.end() + colon + 1;
                    let (label_start, _) = sentence_at(text, m.start());
                    let label = collapse(text.get(label_start..m.end()).unwrap_or(""));
                    let rest_of_line = text
                        .get(after..)
                        .unwrap_or("")
                        .split('\n')
                        .next()
                        .unwrap_or("");
                    let items = if rest_of_line.trim().is_empty() {
                        bullet_items(text, after)
                    } else {
                        inline_items(text, after, sentence_end(text, after))
                    };
                    for (i, (s, e)) in items.into_iter().enumerate() {
                        found.push(Found {
                            start: s,
                            end: e,
                            cue: cue_text.clone(),
                            list_label: Some(label.clone()),
                            position: u32::try_from(i + 1).ok(),
                            rule: "obj.list_item",
                            owner_pos: m.start(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    // List items win over sentence cues inside them; one fact per distinct text.
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out: Vec<ObjectiveFact> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for f in found {
        if spans.iter().any(|(s, e)| *s <= f.start && f.end <= *e) {
            continue;
        }
        let text_value = collapse(text.get(f.start..f.end).unwrap_or(""));
        if out.iter().any(|o| fold(&o.text) == fold(&text_value)) {
            continue;
        }
        spans.push((f.start, f.end));
        out.push(ObjectiveFact {
            id: String::new(),
            text: text_value,
            organisations: owner(text, index, f.owner_pos),
            cue: Some(f.cue),
            list_label: f.list_label,
            position: f.position,
            evidence: vec![Evidence::at(text, f.start, f.end)],
            rule: f.rule.to_string(),
            confidence: if f.rule == "obj.list_item" { 0.8 } else { 0.75 },
        });
    }
    out.sort_by_key(|o| o.evidence.first().and_then(|e| e.start).unwrap_or(0));
    out
}
