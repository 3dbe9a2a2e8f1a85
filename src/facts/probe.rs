//! `docfacts probe`: the mentions of one text, as JSON (the contract of
//! `shared/facts-dev/README.md`).

use super::FactEngine;
use super::engine::Mention;
use super::resolve::Value;
use super::time::{self, Anchor, Clock, Context, Date, Point, YearPolicy};
use anyhow::{Context as _, Result, anyhow};
use serde_json::{Value as Json, json};

/// Parses `YYYY-MM-DD[THH:MM[:SS]]`.
pub fn parse_reference(s: &str) -> Result<(Date, Clock)> {
    let (d, t) = s.split_once('T').unwrap_or((s, "00:00"));
    let mut dp = d.split('-').map(|x| x.parse::<i64>());
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(day))) = (dp.next(), dp.next(), dp.next()) else {
        return Err(anyhow!(
            "bad reference date {s:?} (want YYYY-MM-DDTHH:MM:SS)"
        ));
    };
    let date = Date::new(y as i32, m as u32, day as u32)
        .ok_or_else(|| anyhow!("bad reference date {s:?}"))?;
    let mut tp = t.split(':').map(|x| x.parse::<u32>());
    let hour = tp.next().and_then(Result::ok).unwrap_or(0);
    let minute = tp.next().and_then(Result::ok).unwrap_or(0);
    Ok((
        date,
        Clock {
            hour,
            minute,
            second: None,
        },
    ))
}

pub fn context(reference: Option<&str>, policy: YearPolicy) -> Result<Context> {
    let anchor = match reference {
        Some(r) => {
            let (d, c) = parse_reference(r).context("reading the reference")?;
            Anchor::Date(d, c)
        }
        None => Anchor::None,
    };
    Ok(Context { anchor, policy })
}

/// A time-only point gets the reference day (the next one when the time is past).
fn with_reference_day(p: &Point, ctx: &Context) -> Point {
    let mut q = *p;
    if !p.has_date()
        && let (Some(c), Anchor::Date(d, now)) = (p.clock, ctx.anchor)
    {
        let day = if c < now { d.add_days(1) } else { d };
        q.year = Some(day.year);
        q.month = Some(day.month);
        q.day = Some(day.day);
    }
    q
}

fn fmt_num(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// Fields a mention adds beside its value (`qualifier`, `raw`...).
pub type Extra = Vec<(&'static str, Json)>;

/// (dimension, value, extra fields) of a mention under a context.
pub fn mention_value(m: &Mention, ctx: &Context) -> Option<(&'static str, Json, Extra)> {
    Some(match &m.value {
        Value::Point(p) => {
            let r = time::resolve(p, ctx);
            if r.iso().is_empty() {
                return None;
            }
            let dim = match (p.clock.is_some(), p.has_date()) {
                (true, true) => "datetime",
                (true, false) => "time",
                _ => "date",
            };
            (dim, json!(r.iso()), Vec::new())
        }
        Value::Interval(a, b) => {
            let (ra, rb) = time::resolve_interval(a, b, ctx);
            (
                "interval",
                json!(format!("{}/{}", ra.iso(), rb.iso())),
                Vec::new(),
            )
        }
        Value::OpenAfter(p) => {
            let r = time::resolve(&with_reference_day(p, ctx), ctx);
            ("interval", json!(format!("{}/..", r.iso())), Vec::new())
        }
        Value::OpenBefore(p) => {
            let r = time::resolve(&with_reference_day(p, ctx), ctx);
            ("interval", json!(format!("../{}", r.iso())), Vec::new())
        }
        Value::Number {
            value,
            qualifier,
            min,
            max,
        } => {
            let mut extra = Vec::new();
            if let Some(q) = qualifier {
                extra.push(("qualifier", json!(q)));
            }
            if let Some(v) = min {
                extra.push(("min", fmt_num(*v)));
            }
            if let Some(v) = max {
                extra.push(("max", fmt_num(*v)));
            }
            ("number", value.map_or(Json::Null, fmt_num), extra)
        }
        Value::Ordinal(v) => ("ordinal", fmt_num(*v), Vec::new()),
        Value::Phone(p) => (
            "phone",
            p.e164.clone().map_or(Json::Null, Json::String),
            vec![("raw", json!(p.raw)), ("country", json!(p.country))],
        ),
        Value::Email(e) => ("email", json!(e), Vec::new()),
        Value::Url(u) => ("url", json!(u), Vec::new()),
    })
}

/// The value as rule examples write it: ISO strings, `500`, `more_than 500`, `between 20 30`.
pub fn example_value(m: &Mention, ctx: &Context) -> Option<String> {
    let (_, v, extra) = mention_value(m, ctx)?;
    let field = |k: &str| {
        extra
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    let base = match v {
        Json::String(s) => s,
        Json::Null => field("raw")
            .map(|r| r.trim_matches('"').to_string())
            .unwrap_or_default(),
        other => other.to_string(),
    };
    Some(match (field("qualifier"), field("min"), field("max")) {
        (Some(q), Some(a), Some(b)) => format!("{} {a} {b}", q.trim_matches('"')),
        (Some(q), _, _) => format!("{} {base}", q.trim_matches('"')),
        _ => base,
    })
}

/// Every mention of `text` under the rules of `lang`.
pub fn mentions(engine: &FactEngine, text: &str, lang: &str) -> Vec<Mention> {
    let lang = if lang == "fr" { "fr" } else { "en" };
    engine.scan(text, 0, text.len(), lang)
}

/// The `{"mentions": [...]}` object of one text.
pub fn probe_json(engine: &FactEngine, text: &str, lang: &str, ctx: &Context) -> Json {
    let map = crate::offsets::OffsetMap::new(text);
    let list: Vec<Json> = mentions(engine, text, lang)
        .iter()
        .filter_map(|m| {
            let (dim, value, extra) = mention_value(m, ctx)?;
            let mut o = serde_json::Map::new();
            o.insert("dimension".into(), json!(dim));
            o.insert(
                "text".into(),
                json!(text.get(m.start..m.end).unwrap_or_default()),
            );
            o.insert("start".into(), json!(map.to_char(m.start)));
            o.insert("end".into(), json!(map.to_char(m.end)));
            o.insert("value".into(), value);
            o.insert("rule".into(), json!(m.rule));
            o.insert(
                "confidence".into(),
                json!(crate::record::round3(m.confidence)),
            );
            for (k, v) in extra {
                o.insert(k.into(), v);
            }
            Some(Json::Object(o))
        })
        .collect();
    json!({ "mentions": list })
}

/// `probe --jsonl`: one `{"text", "lang", "reference"}` per input line, one result per line.
pub fn probe_jsonl(
    engine: &FactEngine,
    input: impl std::io::BufRead,
    mut out: impl std::io::Write,
    policy: YearPolicy,
) -> Result<()> {
    for (i, line) in input.lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let result = (|| -> Result<Json> {
            let v: Json = serde_json::from_str(&line)?;
            let text = v
                .get("text")
                .and_then(Json::as_str)
                .ok_or_else(|| anyhow!("no \"text\""))?;
            let lang = v.get("lang").and_then(Json::as_str).unwrap_or("en");
            let reference = v.get("reference").and_then(Json::as_str);
            let ctx = context(reference, policy)?;
            Ok(probe_json(engine, text, lang, &ctx))
        })();
        let json = match result {
            Ok(j) => j,
            Err(e) => json!({"mentions": [], "error": format!("line {}: {e:#}", i + 1)}),
        };
        writeln!(out, "{json}").context("writing stdout")?;
    }
    Ok(())
}
