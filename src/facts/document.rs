//! From mentions to the record's facts: segments to scan (page headers and footers left out),
//! link targets, the dateline, year resolution by the document's anchor, `about` from trigger
//! words, and one fact per distinct value.

use super::FactEngine;
use super::engine::Mention;
use super::resolve::Value;
use super::rules::Lexicon;
use super::time::{self, Anchor, Clock, Context, Date, Point, YearPolicy};
use crate::model::Repaired;
use crate::model::SourceKind;
use crate::record::{DateFact, EmailFact, Evidence, FactsOutput, PhoneFact, UrlFact};
use std::collections::BTreeMap;

/// Facts below this confidence are kept for `probe` but not written to records.
pub const MIN_FACT_CONFIDENCE: f64 = 0.5;
/// A dateline sits near the top of the document: in the first bytes or the first tenth.
const DATELINE_WINDOW: usize = 2500;
/// How far before a date trigger words are looked for, in bytes.
const ABOUT_WINDOW: usize = 110;

/// A byte span of the text scanned with one language's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub language: &'static str,
}

fn rules_language(lang: Option<&str>) -> &'static str {
    match lang {
        Some("fr") => "fr",
        _ => "en",
    }
}

/// Runs of consecutive blocks of one language, page headers and footers excluded. A text
/// without blocks is one segment.
pub fn segments(doc: &Repaired) -> Vec<Segment> {
    let doc_lang = rules_language(doc.language);
    if doc.blocks.is_empty() {
        return vec![Segment {
            start: 0,
            end: doc.clean.len(),
            language: doc_lang,
        }];
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut open: Option<Segment> = None;
    let mut furniture_seen = false;
    for b in &doc.blocks {
        if b.kind.is_page_furniture() {
            furniture_seen = true;
            if let Some(s) = open.take() {
                out.push(s);
            }
            continue;
        }
        let lang = b.language.map_or(doc_lang, |l| rules_language(Some(l)));
        match open.as_mut() {
            Some(s) if s.language == lang || b.language.is_none() => s.end = b.end.max(s.end),
            _ => {
                if let Some(s) = open.take() {
                    out.push(s);
                }
                // Text before the first block (no furniture yet) is scanned with it.
                let start = if out.is_empty() && !furniture_seen {
                    0
                } else {
                    b.start
                };
                open = Some(Segment {
                    start,
                    end: b.end,
                    language: lang,
                });
            }
        }
    }
    if let Some(s) = open.take() {
        out.push(s);
    }
    out.retain(|s| s.start < s.end && s.end <= doc.clean.len());
    out
}

/// A mention as the document resolved it.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub mention: Mention,
    /// The value written to the fact (dates resolved by the anchor).
    pub value: Option<String>,
    pub fact_type: &'static str,
    pub about: Option<String>,
}

fn parse_meta_date(s: &str) -> Option<Date> {
    let t = s.trim().trim_start_matches("D:");
    let digits: String = t.chars().filter(char::is_ascii_digit).take(8).collect();
    if digits.len() < 8 {
        return None;
    }
    let y = digits.get(0..4)?.parse().ok()?;
    let m = digits.get(4..6)?.parse().ok()?;
    let d = digits.get(6..8)?.parse().ok()?;
    Date::new(y, m, d)
}

/// The `about` of a date: the nearest trigger word before it in its sentence, else the rule's.
fn about_of(text: &str, m: &Mention, prev_end: usize, lex: &Lexicon) -> String {
    let strong = ["publication", "target", "period"];
    if let Some(a) = &m.about
        && strong.contains(&a.as_str())
    {
        return a.clone();
    }
    let mut from = m.start.saturating_sub(ABOUT_WINDOW).max(prev_end);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text.get(from..m.start).unwrap_or_default();
    // The sentence the date is in: cut at the last sentence end or blank line.
    let cut = [". ", ".\n", "\n\n", "! ", "? ", ";"]
        .iter()
        .filter_map(|p| before.rfind(p).map(|i| i + p.len()))
        .max()
        .unwrap_or(0);
    let own = text.get(m.start..m.end).unwrap_or_default();
    let window = format!("{} {}", before.get(cut..).unwrap_or_default(), own).to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for (about, stems) in &lex.about {
        for stem in stems {
            if let Some(i) = window.rfind(&stem.to_lowercase())
                && best.is_none_or(|(j, _)| i > j)
            {
                best = Some((i, about));
            }
        }
    }
    if let Some((_, a)) = best {
        return a.to_string();
    }
    m.about.clone().unwrap_or_else(|| "event".to_string())
}

fn point_written(p: &Point) -> bool {
    p.is_calendar()
}

/// Everything of one document: the output, and each mention with what became of it.
pub fn extract(engine: &FactEngine, doc: &Repaired) -> (FactsOutput, Vec<Resolved>) {
    let text = &doc.clean;
    let mut out = FactsOutput::default();
    out.document.language = doc.language.map(str::to_string);
    let segs = segments(doc);
    let mut mentions: Vec<(Mention, &'static str)> = Vec::new();
    for s in &segs {
        for m in engine.scan(text, s.start, s.end, s.language) {
            mentions.push((m, s.language));
        }
    }
    // Link targets: `mailto:` gives an e-mail; an http(s) target gives a URL when its anchor
    // text is itself an address (navigation links are not facts).
    for link in &doc.links {
        if doc
            .block_at(link.start)
            .is_some_and(|b| b.kind.is_page_furniture())
        {
            continue;
        }
        let anchor = text.get(link.start..link.end).unwrap_or_default();
        let href = link.href.trim();
        let value = if href.to_lowercase().starts_with("mailto:") {
            super::contacts::email(href).map(Value::Email)
        } else if href.starts_with("http://") || href.starts_with("https://") {
            let a = anchor.trim();
            let looks_like_address = a.starts_with("http")
                || a.starts_with("www.")
                || super::contacts::url(a, true).is_some();
            (looks_like_address && !a.contains(char::is_whitespace))
                .then(|| Value::Url(href.to_string()))
        } else {
            None
        };
        if let Some(value) = value {
            let lang = rules_language(doc.language);
            mentions.push((
                Mention {
                    start: link.start,
                    end: link.end,
                    rule: if matches!(value, Value::Email(_)) {
                        "email.link".into()
                    } else {
                        "url.link".into()
                    },
                    value,
                    confidence: 0.99,
                    priority: 0,
                    about: None,
                    parts: Vec::new(),
                    applied: Vec::new(),
                },
                lang,
            ));
        }
    }
    mentions.sort_by(|a, b| (a.0.start, a.0.end, &a.0.rule).cmp(&(b.0.start, b.0.end, &b.0.rule)));

    // The dateline: the first dateline mention near the top.
    let dateline = mentions.iter().find(|(m, _)| {
        m.start < DATELINE_WINDOW.max(text.len() / 10)
            && m.rule.contains("dateline")
            && matches!(&m.value, Value::Point(p) if p.year.is_some() && p.month.is_some())
    });
    let mut anchor = Anchor::None;
    if let Some((m, _)) = dateline
        && let Value::Point(p) = &m.value
        && let (Some(y), Some(mo)) = (p.year, p.month)
    {
        let day = p.day.unwrap_or(1);
        if let Some(d) = Date::new(y, mo, day) {
            anchor = Anchor::Date(
                d,
                Clock {
                    hour: 0,
                    minute: 0,
                    second: None,
                },
            );
        }
        out.document.publication_date = Some(
            Point {
                clock: None,
                weekday: None,
                ..*p
            }
            .iso(),
        );
        let ev = Evidence::at(text, m.start, m.end);
        out.document
            .evidence
            .insert("publication_date".into(), ev.clone());
        out.document
            .rules
            .insert("publication_date".into(), m.rule.clone());
        out.document
            .confidence
            .insert("publication_date".into(), m.confidence);
        if let Some(place) = dateline_place(text.get(m.start..m.end).unwrap_or_default()) {
            out.document.place = Some(place);
            out.document.evidence.insert("place".into(), ev);
            out.document.rules.insert("place".into(), m.rule.clone());
            out.document.confidence.insert("place".into(), m.confidence);
        }
    }
    // A scan's declared dates are when it was scanned or OCR'd, not when the document was
    // issued: only born-digital files and pages vouch for their own publication date.
    if anchor == Anchor::None
        && doc.kind != SourceKind::PdfOcr
        && let Some(d) = doc.meta.published.as_deref().and_then(parse_meta_date)
    {
        anchor = Anchor::Date(
            d,
            Clock {
                hour: 0,
                minute: 0,
                second: None,
            },
        );
        out.document.publication_date = Some(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
        out.document
            .rules
            .insert("publication_date".into(), "doc.meta.published".into());
        out.document
            .confidence
            .insert("publication_date".into(), 0.8);
    }
    let mut anchor_confidence = 1.0;
    if anchor == Anchor::None {
        // One year in the whole document: year-less dates belong to it.
        let mut years: Vec<i32> = mentions
            .iter()
            .filter(|(m, _)| m.confidence >= MIN_FACT_CONFIDENCE)
            .filter_map(|(m, _)| match &m.value {
                Value::Point(p) => p.year,
                Value::OpenAfter(p) | Value::OpenBefore(p) => p.year,
                _ => None,
            })
            .collect();
        years.sort_unstable();
        years.dedup();
        if let [y] = years.as_slice() {
            anchor = Anchor::Year(*y);
            anchor_confidence = 0.8;
        }
    }
    let ctx = Context {
        anchor,
        policy: YearPolicy::Nearest,
    };

    let mut dates: BTreeMap<(String, String), DateFact> = BTreeMap::new();
    let mut date_order: Vec<(String, String)> = Vec::new();
    let mut emails: BTreeMap<String, EmailFact> = BTreeMap::new();
    let mut urls: BTreeMap<String, UrlFact> = BTreeMap::new();
    let mut phones: BTreeMap<String, PhoneFact> = BTreeMap::new();
    let mut resolved = Vec::new();
    let mut prev_time_end = 0usize;
    let is_dateline =
        |m: &Mention| dateline.is_some_and(|(d, _)| d.start == m.start && d.end == m.end);
    for (m, lang) in &mentions {
        let lex = engine.language(lang).map(|l| &l.lexicon);
        let mut rec = Resolved {
            mention: m.clone(),
            value: None,
            fact_type: "",
            about: None,
        };
        let ev = || Evidence::at(text, m.start, m.end);
        let keep = m.confidence >= MIN_FACT_CONFIDENCE;
        match &m.value {
            v if v.is_time() => {
                let fact = date_fact(m, &ctx, anchor_confidence);
                let this_end = m.end;
                if let (Some(mut f), true, Some(lex)) = (fact, keep, lex) {
                    f.about = if is_dateline(m) {
                        "publication".to_string()
                    } else {
                        about_of(text, m, prev_time_end, lex)
                    };
                    f.evidence = vec![ev()];
                    rec.value = Some(f.value.clone());
                    rec.fact_type = "dates";
                    rec.about = Some(f.about.clone());
                    let key = (f.value.clone(), f.about.clone());
                    match dates.get_mut(&key) {
                        Some(existing) => {
                            existing.evidence.push(ev());
                            existing.confidence = existing.confidence.max(f.confidence);
                        }
                        None => {
                            date_order.push(key.clone());
                            dates.insert(key, f);
                        }
                    }
                }
                prev_time_end = this_end;
            }
            Value::Email(e) if keep => {
                rec.value = Some(e.clone());
                rec.fact_type = "emails";
                emails
                    .entry(e.clone())
                    .and_modify(|f| f.evidence.push(ev()))
                    .or_insert_with(|| EmailFact {
                        id: String::new(),
                        value: e.clone(),
                        evidence: vec![ev()],
                        rule: m.rule.clone(),
                        confidence: m.confidence,
                    });
            }
            Value::Url(u) if keep => {
                rec.value = Some(u.clone());
                rec.fact_type = "urls";
                let key = url_key(u);
                let has_scheme = u.contains("://");
                urls.entry(key)
                    .and_modify(|f| {
                        f.evidence.push(ev());
                        if has_scheme && !f.value.contains("://") {
                            f.value = u.clone();
                        }
                    })
                    .or_insert_with(|| UrlFact {
                        id: String::new(),
                        value: u.clone(),
                        evidence: vec![ev()],
                        rule: m.rule.clone(),
                        confidence: m.confidence,
                    });
            }
            Value::Phone(p) if keep && (p.e164.is_some() || p.valid) => {
                rec.value = p.e164.clone().or_else(|| Some(p.raw.clone()));
                rec.fact_type = "phones";
                let key = p
                    .e164
                    .clone()
                    .unwrap_or_else(|| p.raw.chars().filter(char::is_ascii_digit).collect());
                let confidence = if p.valid {
                    m.confidence
                } else {
                    m.confidence * 0.7
                };
                phones
                    .entry(key)
                    .and_modify(|f| f.evidence.push(ev()))
                    .or_insert_with(|| PhoneFact {
                        id: String::new(),
                        value: p.e164.clone(),
                        raw: p.raw.clone(),
                        country: p.country.clone(),
                        evidence: vec![ev()],
                        rule: m.rule.clone(),
                        confidence,
                    });
            }
            _ => {}
        }
        resolved.push(rec);
    }
    out.facts.dates = date_order.iter().filter_map(|k| dates.remove(k)).collect();
    out.facts.emails = emails.into_values().collect();
    out.facts.urls = urls.into_values().collect();
    out.facts.phones = phones.into_values().collect();
    sort_by_first_evidence(&mut out.facts.emails, |f| &f.evidence);
    sort_by_first_evidence(&mut out.facts.urls, |f| &f.evidence);
    sort_by_first_evidence(&mut out.facts.phones, |f| &f.evidence);
    (out, resolved)
}

fn sort_by_first_evidence<T>(items: &mut [T], ev: impl Fn(&T) -> &Vec<Evidence>) {
    items.sort_by_key(|f| ev(f).first().and_then(|e| e.start).unwrap_or(usize::MAX));
}

/// URLs that differ only by scheme, `www.`, host case or a trailing slash are one fact.
pub fn url_key(u: &str) -> String {
    let lower = u.trim();
    let rest = lower.split_once("://").map_or(lower, |(_, r)| r);
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("")),
        None => (rest, ""),
    };
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    format!(
        "{host}{}",
        path.trim_end_matches(['/', '?', '#', '.', ',', ';', ':'])
    )
}

/// The place of a dateline: "Lyon, le 3 mars 2015" -> Lyon; "... 2016 - BRUSSELS" ->
/// Brussels.
fn dateline_place(s: &str) -> Option<String> {
    let t = s.trim();
    let nice = |p: &str| -> Option<String> {
        let p = p.trim().trim_matches(|c: char| !c.is_alphabetic());
        if p.is_empty() || p.chars().count() > 40 || p.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        if p.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        {
            // "BRUSSELS" -> "Brussels".
            let mut out = String::new();
            for (i, w) in p.split(' ').enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(&cs.as_str().to_lowercase());
                }
            }
            return Some(out);
        }
        Some(p.to_string())
    };
    if let Some((before, _)) = t.split_once(',')
        && !before.chars().any(|c| c.is_ascii_digit())
    {
        return nice(before);
    }
    let parts: Vec<&str> = t.split([' ', '\u{a0}']).collect();
    let dash = parts
        .iter()
        .rposition(|p| *p == "-" || *p == "–" || *p == "—")?;
    let tail = parts.get(dash + 1..)?.join(" ");
    if tail.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    nice(&tail)
}

/// A date fact from a time mention, resolved against the document's anchor. `None` when the
/// text fixes neither a month nor a year (bare times, weekdays, day numbers).
fn date_fact(m: &Mention, ctx: &Context, anchor_confidence: f64) -> Option<DateFact> {
    let (value, gran, inferred, interval) = match &m.value {
        Value::Point(p) => {
            let relative = p.rel_days.is_some() && matches!(ctx.anchor, Anchor::Date(..));
            if !point_written(p) && !relative {
                return None;
            }
            let r = time::resolve(p, ctx);
            (r.iso(), r.granularity(), r.inferred, false)
        }
        Value::OpenAfter(p) | Value::OpenBefore(p) => {
            if !point_written(p) {
                return None;
            }
            let r = time::resolve(p, ctx);
            (r.iso(), r.granularity(), r.inferred, false)
        }
        Value::Interval(a, b) => {
            if !(point_written(a) || point_written(b)) {
                return None;
            }
            let (ra, rb) = time::resolve_interval(a, b, ctx);
            (
                format!("{}/{}", ra.iso(), rb.iso()),
                ra.granularity(),
                ra.inferred || rb.inferred,
                true,
            )
        }
        _ => return None,
    };
    let confidence = if inferred {
        m.confidence * anchor_confidence
    } else {
        m.confidence
    };
    Some(DateFact {
        id: String::new(),
        value,
        interval,
        granularity: gran.to_string(),
        year_inferred: inferred,
        about: String::new(),
        subject: None,
        label: None,
        evidence: Vec::new(),
        rule: m.rule.clone(),
        confidence: crate::record::round3(confidence),
    })
}
