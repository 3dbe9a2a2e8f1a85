//! The matching pass: every rule of a segment's language, one pass per segment, then overlap
//! resolution and the combination of adjacent time mentions.
//!
//! Overlap policy: contact mentions (e-mail, URL, phone) are placed first and protect their span
//! from every other dimension; within a family (contacts, time, numbers) the longest mention
//! wins, then the higher priority, then the earlier one. A number inside a longer time mention
//! is dropped ("18" of "18 décembre").

use super::resolve::{self, Value};
use super::rules::{Combine, LanguageRules};

/// At most this many matches per rule and segment: bounds the work on pathological input.
const MAX_MATCHES_PER_RULE: usize = 20_000;
/// How far before a mention a combine rule's `lead` may reach, in bytes.
const LEAD_WINDOW: usize = 48;

/// One match of one rule (or of a combination of mentions).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte span in the scanned text.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub value: Value,
    pub confidence: f64,
    pub priority: i32,
    /// Default `about` of the rule.
    pub about: Option<String>,
    /// Rule ids of the parts a combination was built from (for `explain`).
    pub parts: Vec<String>,
    /// Combine rules already applied to this mention (one-part rules apply once).
    pub applied: Vec<String>,
}

fn family(v: &Value) -> u8 {
    match v {
        Value::Phone(_) | Value::Email(_) | Value::Url(_) => 0,
        Value::Number { .. } | Value::Ordinal(_) => 2,
        _ => 1,
    }
}

fn overlaps(a: &Mention, b: &Mention) -> bool {
    a.start < b.end && b.start < a.end
}

/// Greedy selection: longest first, then priority, then earliest.
fn select(mut ms: Vec<Mention>) -> Vec<Mention> {
    ms.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(b.priority.cmp(&a.priority))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    let mut kept: Vec<Mention> = Vec::new();
    for m in ms {
        if !kept.iter().any(|k| overlaps(k, &m)) {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| (m.start, m.end));
    kept
}

/// Trailing characters that end a sentence rather than an address.
fn contact_end(text: &str, start: usize, end: usize, v: &Value) -> usize {
    if !matches!(v, Value::Url(_) | Value::Email(_)) {
        return end;
    }
    let mut e = end;
    while e > start {
        let Some(s) = text.get(start..e) else { break };
        let Some(last) = s.chars().last() else { break };
        let unbalanced = (last == ')' && s.matches('(').count() < s.matches(')').count())
            || (last == ']' && s.matches('[').count() < s.matches(']').count());
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '"' | '\'' | '»' | '”' | '>'
        ) || unbalanced
        {
            e -= last.len_utf8();
        } else {
            break;
        }
    }
    e
}

/// A URL is certain only when whitespace, punctuation or a bracket surrounds it: "Awcd.coe.int"
/// after "https/" or "www.coe.int/" before "{/congress" are pieces of an address OCR broke.
fn url_stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().last());
    let after = text.get(end..).and_then(|t| t.chars().next());
    let bad_before = before.is_some_and(|c| {
        matches!(
            c,
            '/' | ':' | '@' | '.' | '-' | '_' | '=' | '&' | '?' | '\\'
        )
    });
    let ok_after = after.is_none_or(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | ')'
                    | ']'
                    | '>'
                    | '"'
                    | '\''
                    | '»'
                    | '”'
                    | '’'
                    | '*'
                    | '|'
            )
    });
    !bad_before && ok_after
}

/// All mentions of `text[start..end]` (offsets stay relative to `text`).
pub fn scan(text: &str, start: usize, end: usize, lr: &LanguageRules) -> Vec<Mention> {
    let Some(seg) = text.get(start..end) else {
        return Vec::new();
    };
    let french = lr.language == "fr";
    let mut all = Vec::new();
    // Every rule runs on its own compiled regex: a RegexSet prefilter over all patterns was
    // measured ten times slower than the rules themselves (its automaton is too big to cache).
    for rule in &lr.rules {
        for caps in rule.regex.captures_iter(seg).take(MAX_MATCHES_PER_RULE) {
            let Some(whole) = caps.name("m").or_else(|| caps.get(0)) else {
                continue;
            };
            if whole.start() == whole.end() {
                continue;
            }
            let Some(value) = resolve::run(
                &rule.spec.resolve,
                &caps,
                &rule.group_names,
                &lr.lexicon,
                french,
            ) else {
                continue;
            };
            let s = start + whole.start();
            let e = contact_end(text, s, start + whole.end(), &value);
            if matches!(value, Value::Url(_)) && !url_stands_alone(text, s, start + whole.end()) {
                continue;
            }
            all.push(Mention {
                start: s,
                end: e,
                rule: rule.spec.id.clone(),
                value,
                confidence: rule.spec.confidence,
                priority: rule.spec.priority,
                about: rule.spec.about.clone(),
                parts: Vec::new(),
                applied: Vec::new(),
            });
        }
    }
    let (contacts, rest): (Vec<Mention>, Vec<Mention>) =
        all.into_iter().partition(|m| family(&m.value) == 0);
    let contacts = select(contacts);
    let rest: Vec<Mention> = rest
        .into_iter()
        .filter(|m| !contacts.iter().any(|c| overlaps(c, m)))
        .collect();
    let (times, numbers): (Vec<Mention>, Vec<Mention>) =
        rest.into_iter().partition(|m| family(&m.value) == 1);
    let times = combine(text, start, end, select(times), &lr.combines, &lr.lexicon);
    let numbers: Vec<Mention> = select(numbers)
        .into_iter()
        .filter(|n| {
            !times
                .iter()
                .any(|t| t.confidence >= 0.5 && t.start <= n.start && n.end <= t.end)
        })
        .collect();
    let mut out = contacts;
    out.extend(times);
    out.extend(numbers);
    out.sort_by_key(|m| (m.start, m.end));
    out
}

fn kind_matches(part: &str, v: &Value) -> bool {
    if part == "weekday" {
        return matches!(v, Value::Point(p) if p.weekday.is_some() && p.day.is_none() && p.month.is_none() && p.year.is_none() && p.clock.is_none());
    }
    let k = v.part_kind();
    part == k || (part == "point" && matches!(k, "date" | "time" | "datetime"))
}

/// The start of a `lead` match ending exactly at `pos`, looking back at most [`LEAD_WINDOW`].
fn lead_start(text: &str, seg_start: usize, pos: usize, c: &Combine) -> Option<usize> {
    let Some(lead) = &c.lead else {
        return Some(pos);
    };
    let mut from = pos.saturating_sub(LEAD_WINDOW).max(seg_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text.get(from..pos)?;
    lead.find(window).map(|m| from + m.start())
}

fn trail_end(text: &str, seg_end: usize, pos: usize, c: &Combine) -> Option<usize> {
    let Some(trail) = &c.trail else {
        return Some(pos);
    };
    let mut to = (pos + LEAD_WINDOW).min(seg_end);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let window = text.get(pos..to)?;
    trail.find(window).map(|m| pos + m.end())
}

/// The value of a combination, or `None` when the parts do not fit together.
fn combined(resolver: &str, a: &Value, b: Option<&Value>) -> Option<Value> {
    match (resolver, a, b) {
        ("datetime", Value::Point(p), Some(Value::Point(q))) => {
            let mut m = *p;
            m.merge(q).then_some(Value::Point(m))
        }
        ("datetime", Value::Point(d), Some(Value::Interval(x, y)))
        | ("datetime", Value::Interval(x, y), Some(Value::Point(d))) => {
            let (mut x, mut y) = (*x, *y);
            let date = super::time::Point { clock: None, ..*d };
            (x.merge(&date) && y.merge(&date)).then_some(Value::Interval(x, y))
        }
        ("interval" | "interval_pm", Value::Point(p), Some(Value::Point(q))) => {
            let (mut p, q) = (*p, *q);
            // Two written years of different grains ("2019 - 3 mars 2019") are no interval.
            if p.year.is_some()
                && q.year.is_some()
                && (p.month.is_some() != q.month.is_some() || p.day.is_some() != q.day.is_some())
            {
                return None;
            }
            // "3:30 to 6 PM" (12-hour clocks only): the start takes the afternoon of the end.
            if let (Some(pc), Some(qc)) = (p.clock.as_mut(), q.clock)
                && resolver == "interval_pm"
                && pc.hour < 12
                && qc.hour >= 12
                && pc.hour + 12 <= qc.hour
            {
                pc.hour += 12;
            }
            // "entre midi et 2": an end hour before the start is in the afternoon.
            let mut q = q;
            if let (Some(pc), Some(qc)) = (p.clock, q.clock.as_mut())
                && qc.hour < pc.hour
                && qc.hour < 12
            {
                qc.hour += 12;
            }
            Some(Value::Interval(p, q))
        }
        ("open_after", Value::Point(p), None) => Some(Value::OpenAfter(*p)),
        ("open_before", Value::Point(p), None) => Some(Value::OpenBefore(*p)),
        ("open_after" | "open_before", Value::Point(p), Some(Value::Point(q))) => {
            let mut m = *p;
            if !m.merge(q) {
                return None;
            }
            Some(if resolver == "open_after" {
                Value::OpenAfter(m)
            } else {
                Value::OpenBefore(m)
            })
        }
        _ => None,
    }
}

/// Applies the combine rules until nothing changes (bounded).
fn combine(
    text: &str,
    seg_start: usize,
    seg_end: usize,
    mut ms: Vec<Mention>,
    rules: &[Combine],
    _lex: &super::rules::Lexicon,
) -> Vec<Mention> {
    for _pass in 0..4 {
        let mut changed = false;
        for c in rules {
            // Each rule moves the mentions into a new list, merging as it goes: linear in the
            // number of mentions, whatever the number of merges.
            let parts = &c.spec.parts;
            let mut out: Vec<Mention> = Vec::with_capacity(ms.len());
            let mut items = std::mem::take(&mut ms).into_iter().peekable();
            while let Some(mut a) = items.next() {
                let prev_end = out.last().map_or(seg_start, |p| p.end);
                if !parts.first().is_some_and(|p| kind_matches(p, &a.value)) {
                    out.push(a);
                    continue;
                }
                if parts.len() == 1 {
                    if !a.applied.contains(&c.spec.id)
                        && let (Some(s), Some(e)) = (
                            lead_start(text, seg_start, a.start, c),
                            trail_end(text, seg_end, a.end, c),
                        )
                        // The lead must not swallow the previous mention.
                        && s >= prev_end
                        && let Some(v) = combined(&c.spec.resolve, &a.value, None)
                    {
                        a.parts.push(a.rule.clone());
                        a.rule = c.spec.id.clone();
                        a.value = v;
                        a.start = s;
                        a.end = e;
                        if a.confidence >= 0.5 {
                            a.confidence = c.spec.confidence;
                        }
                        a.about = c.spec.about.clone().or(a.about);
                        a.applied.push(c.spec.id.clone());
                        changed = true;
                    }
                    out.push(a);
                    continue;
                }
                let merged = items.peek().and_then(|b| {
                    if !parts.get(1).is_some_and(|p| kind_matches(p, &b.value)) {
                        return None;
                    }
                    let gap_ok = match (&c.gap, text.get(a.end..b.start)) {
                        (Some(g), Some(gap)) => g.is_match(gap),
                        (None, Some(gap)) => gap.trim().is_empty(),
                        _ => false,
                    };
                    if !gap_ok {
                        return None;
                    }
                    let s = lead_start(text, prev_end, a.start, c)?;
                    let e = trail_end(text, seg_end, b.end, c)?;
                    let v = combined(&c.spec.resolve, &a.value, Some(&b.value))?;
                    Some(Mention {
                        start: s,
                        end: e,
                        rule: c.spec.id.clone(),
                        value: v,
                        // The combination vouches for its parts (a bare year becomes a sure end).
                        confidence: c.spec.confidence,
                        priority: a.priority.max(b.priority),
                        about: c
                            .spec
                            .about
                            .clone()
                            .or_else(|| a.about.clone())
                            .or_else(|| b.about.clone()),
                        parts: a
                            .parts
                            .iter()
                            .chain([&a.rule])
                            .chain(b.parts.iter())
                            .chain([&b.rule])
                            .cloned()
                            .collect(),
                        applied: Vec::new(),
                    })
                });
                match merged {
                    Some(m) => {
                        items.next();
                        out.push(m);
                        changed = true;
                    }
                    None => out.push(a),
                }
            }
            ms = out;
        }
        if !changed {
            break;
        }
    }
    ms
}
