//! Resolvers: the closed set of Rust functions that turn a rule's match into a value. A rule
//! names its resolver; the resolver reads the rule's named groups.
//!
//! Group names say what a group holds: `day`, `month`, `year`, `weekday`, `hour`, `minute`,
//! `second`, `ampm`, `daypart`, `timeword`, `minus`, `rel` for a point in time (with a `2`
//! suffix for the second point of an interval), `num`, `scale`, `qual`, `qual_after` for
//! numbers, `place` for a dateline, `m` for the span of the mention when the pattern needs
//! context around it (the regex crate has no look-behind). A `__x` suffix lets two
//! alternatives of one pattern fill the same field (`day__a`, `day__b`).

use super::contacts;
use super::numbers::{self, NumberWords};
use super::rules::Lexicon;
use super::time::{Clock, Point};
use regex::Captures;

/// A resolved mention value, before year resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Point(Point),
    Interval(Point, Point),
    OpenAfter(Point),
    OpenBefore(Point),
    Number {
        value: Option<f64>,
        qualifier: Option<&'static str>,
        min: Option<f64>,
        max: Option<f64>,
    },
    Ordinal(f64),
    Phone(contacts::Phone),
    Email(String),
    Url(String),
}

impl Value {
    pub fn is_time(&self) -> bool {
        matches!(
            self,
            Value::Point(_) | Value::Interval(..) | Value::OpenAfter(_) | Value::OpenBefore(_)
        )
    }

    /// The kind a combine rule's part names.
    pub fn part_kind(&self) -> &'static str {
        match self {
            Value::Point(p) if p.clock.is_some() && p.has_date() => "datetime",
            Value::Point(p) if p.clock.is_some() => "time",
            Value::Point(_) => "date",
            Value::Interval(..) => "interval",
            Value::OpenAfter(_) | Value::OpenBefore(_) => "open_interval",
            Value::Number { .. } => "number",
            Value::Ordinal(_) => "ordinal",
            Value::Phone(_) => "phone",
            Value::Email(_) => "email",
            Value::Url(_) => "url",
        }
    }
}

/// The named groups of a match, by field, for the first and second point.
struct Fields<'t> {
    first: Vec<(&'t str, regex::Match<'t>)>,
    second: Vec<(&'t str, regex::Match<'t>)>,
}

fn fields<'t>(caps: &Captures<'t>, names: &'t [Option<String>]) -> Fields<'t> {
    let mut f = Fields {
        first: Vec::new(),
        second: Vec::new(),
    };
    for (i, name) in names.iter().enumerate() {
        let (Some(name), Some(m)) = (name, caps.get(i)) else {
            continue;
        };
        let base = name.split("__").next().unwrap_or(name);
        match base.strip_suffix('2') {
            Some(b) => f.second.push((b, m)),
            None => f.first.push((base, m)),
        }
    }
    f
}

fn get<'t>(list: &[(&'t str, regex::Match<'t>)], field: &str) -> Option<&'t str> {
    list.iter()
        .find(|(n, _)| *n == field)
        .map(|(_, m)| m.as_str())
}

fn clean_word(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

/// A small number written in digits or words ("15", "quinze", "1er", "first").
fn small_number(s: &str, words: &NumberWords) -> Option<u32> {
    let t = s.trim();
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        return numbers::parse_ordinal_digits(t).map(|v| v as u32);
    }
    let w = clean_word(t);
    match w.as_str() {
        "quart" | "quarter" | "a quarter" | "le quart" => return Some(15),
        "demi" | "demie" | "half" => return Some(30),
        "trois quarts" => return Some(45),
        _ => {}
    }
    words
        .parse_ordinal(&w)
        .or_else(|| words.parse_cardinal(&w))
        .filter(|v| *v >= 0.0 && *v < 1000.0)
        .map(|v| v as u32)
}

fn year_of(s: &str) -> Option<i32> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    let v: i32 = d.parse().ok()?;
    match d.len() {
        4 => Some(v),
        // Two-digit years: 1950-2049, as the peers do.
        2 => Some(if v < 50 { 2000 + v } else { 1900 + v }),
        _ => None,
    }
}

fn point_of(list: &[(&str, regex::Match)], lex: &Lexicon) -> Option<Point> {
    let words = &lex.numbers;
    let mut p = Point::default();
    if let Some(w) = get(list, "weekday") {
        p.weekday = Some(*lex.weekdays.get(&clean_word(w))?);
    }
    if let Some(d) = get(list, "day") {
        let v = small_number(d, words)?;
        (1..=31).contains(&v).then_some(())?;
        p.day = Some(v);
    }
    if let Some(m) = get(list, "month") {
        let m = m.trim();
        let v = if m.starts_with(|c: char| c.is_ascii_digit()) {
            m.parse().ok()?
        } else {
            *lex.months.get(&clean_word(m))?
        };
        (1..=12).contains(&v).then_some(())?;
        p.month = Some(v);
    }
    if let Some(y) = get(list, "year") {
        p.year = Some(year_of(y)?);
    }
    if let (Some(y), Some(m), Some(d)) = (p.year, p.month, p.day) {
        super::time::Date::new(y, m, d)?;
    } else if let (Some(m), Some(d)) = (p.month, p.day) {
        (d <= super::time::days_in_month(2000, m)).then_some(())?;
    }
    if let Some(r) = get(list, "rel") {
        let r = clean_word(r);
        p.future = Some(!(r.starts_with("dern") || r.starts_with("last") || r.starts_with("pass")));
    }
    p.clock = clock_of(list, words)?;
    Some(p)
}

/// The time of day of a match: `Ok(None)` when it has no time groups, `None` when invalid.
fn clock_of(list: &[(&str, regex::Match)], words: &NumberWords) -> Option<Option<Clock>> {
    let timeword = get(list, "timeword").map(clean_word);
    let hour = get(list, "hour");
    if timeword.is_none() && hour.is_none() {
        return Some(None);
    }
    let mut h: u32 = match (&timeword, hour) {
        (Some(w), _) if w.starts_with("mi") && w.contains("nuit") || w.starts_with("midn") => 0,
        (Some(_), _) => 12,
        (None, Some(h)) => small_number(h, words)?,
        (None, None) => return Some(None),
    };
    let mut minute = match get(list, "minute") {
        Some(m) => small_number(m, words)?,
        None => 0,
    };
    let second = match get(list, "second") {
        Some(s) => Some(s.trim().parse().ok()?),
        None => None,
    };
    let pm = get(list, "ampm")
        .map(|a| a.trim_start().to_lowercase().starts_with('p'))
        .or_else(|| {
            get(list, "daypart").map(|d| {
                let d = d.to_lowercase();
                !(d.contains("matin") || d.contains("morning"))
            })
        });
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    if let Some(minus) = get(list, "minus") {
        let m = small_number(minus, words)?;
        let total = (h * 60 + minute + 24 * 60).checked_sub(m)? % (24 * 60);
        h = total / 60;
        minute = total % 60;
    }
    if h > 24 || minute > 59 || second.is_some_and(|s: u32| s > 59) {
        return None;
    }
    Some(Some(Clock {
        hour: h % 24,
        minute,
        second,
    }))
}

/// Runs resolver `name` on a match. `None`: the match is not a valid mention.
pub fn run(
    name: &str,
    caps: &Captures,
    names: &[Option<String>],
    lex: &Lexicon,
    french: bool,
) -> Option<Value> {
    let f = fields(caps, names);
    let text = caps.get(0).map(|m| m.as_str()).unwrap_or_default();
    match name {
        "day_month_year"
        | "month_year"
        | "year"
        | "day"
        | "weekday"
        | "weekday_day_month_time"
        | "time_of_day"
        | "datetime"
        | "dateline" => {
            let p = point_of(&f.first, lex)?;
            Some(Value::Point(p))
        }
        "numeric_date" => numeric_date(&f.first, french),
        "holiday" => {
            let name = get(&f.first, "holiday")?.to_lowercase().replace('’', "'");
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            let (month, day) = *lex.holidays.get(&name)?;
            let mut p = point_of(&f.first, lex)?;
            p.month = Some(month);
            p.day = Some(day);
            Some(Value::Point(p))
        }
        "interval" | "year_range" => {
            let a = point_of(&f.first, lex)?;
            let b = point_of(&f.second, lex)?;
            if name == "year_range" && a.year >= b.year {
                return None;
            }
            Some(Value::Interval(a, b))
        }
        "today" | "relative_day" => {
            let mut p = point_of(&f.first, lex)?;
            let word = get(&f.first, "relday").unwrap_or(text).to_lowercase();
            let table: &[(&str, i32)] = &[
                ("après-demain", 2),
                ("apres-demain", 2),
                ("avant-hier", -2),
                ("day after tomorrow", 2),
                ("day before yesterday", -2),
                ("demain", 1),
                ("tomorrow", 1),
                ("hier", -1),
                ("yesterday", -1),
            ];
            if let (Some(num), Some(unit)) = (get(&f.first, "num"), get(&f.first, "unit")) {
                // "dans 3 jours", "2 weeks ago".
                let k = i32::try_from(small_number(num, &lex.numbers)?).ok()?;
                let unit = unit.to_lowercase();
                let days = if unit.starts_with('w') || unit.starts_with('s') {
                    7 * k
                } else {
                    k
                };
                let lower = text.to_lowercase();
                let past = lower.contains("ago") || lower.contains("il y a");
                p.rel_days = Some(if past { -days } else { days });
                return Some(Value::Point(p));
            }
            let n = table
                .iter()
                .find(|(k, _)| word.contains(k))
                .map_or(0, |(_, n)| *n);
            p.rel_days = Some(n);
            Some(Value::Point(p))
        }
        "number" | "number_words" | "qualifier" | "number_range" => {
            number(&f, &lex.numbers, french)
        }
        "ordinal" => {
            let n = get(&f.first, "num").unwrap_or(text);
            Some(Value::Ordinal(numbers::parse_ordinal_digits(n.trim())?))
        }
        "ordinal_words" => {
            let n = get(&f.first, "num").unwrap_or(text);
            Some(Value::Ordinal(lex.numbers.parse_ordinal(n)?))
        }
        "phone" => contacts::phone(text, french).map(Value::Phone),
        "email" => contacts::email(text).map(Value::Email),
        "email_spoken" => {
            let user = get(&f.first, "user")?;
            let domain = get(&f.first, "domain")?;
            contacts::email(&format!("{user}@{domain}")).map(Value::Email)
        }
        "url" | "host" => contacts::url(text, name == "host").map(Value::Url),
        _ => None,
    }
}

/// "18/12/2013", "12/18/2013", "2/15", "2/2013": day first in French (and whenever the first
/// number cannot be a month), month first in English.
fn numeric_date(list: &[(&str, regex::Match)], french: bool) -> Option<Value> {
    let a: u32 = get(list, "a")?.parse().ok()?;
    let b_text = get(list, "b")?;
    let b: u32 = b_text.parse().ok()?;
    let year = match get(list, "year") {
        Some(y) => Some(year_of(y)?),
        None => None,
    };
    // "2/2013": month/year.
    if year.is_none() && b_text.len() == 4 {
        (1..=12).contains(&a).then_some(())?;
        return Some(Value::Point(Point {
            year: year_of(b_text),
            month: Some(a),
            ..Point::default()
        }));
    }
    let (day, month) = if french || a > 12 { (a, b) } else { (b, a) };
    let p = Point {
        year,
        month: Some(month),
        day: Some(day),
        ..Point::default()
    };
    match year {
        Some(y) => super::time::Date::new(y, month, day)?,
        None => super::time::Date::new(2000, month, day)?,
    };
    let mut p = p;
    p.clock = clock_of(list, &NumberWords::default())?;
    Some(Value::Point(p))
}

fn qualifier_of(q: &str) -> Option<&'static str> {
    let q = q.trim().to_lowercase();
    let q = q.as_str();
    let table: &[(&str, &str)] = &[
        ("au maximum", "at_most"),
        ("au minimum", "at_least"),
        ("au-dessus", "more_than"),
        ("au dessus", "more_than"),
        ("greater", "more_than"),
        ("larger", "more_than"),
        ("bigger", "more_than"),
        ("higher", "more_than"),
        ("smaller", "less_than"),
        ("lower", "less_than"),
        ("ou plus", "at_least"),
        ("or more", "at_least"),
        ("ou moins", "at_most"),
        ("or less", "at_most"),
        ("or fewer", "at_most"),
        ("supérieur ou égal", "at_least"),
        ("supérieure ou égale", "at_least"),
        ("inférieur ou égal", "at_most"),
        ("inférieure ou égale", "at_most"),
        ("au moins", "at_least"),
        ("pas moins de", "at_least"),
        ("no less than", "at_least"),
        ("no fewer than", "at_least"),
        ("at least", "at_least"),
        ("au plus", "at_most"),
        ("at most", "at_most"),
        ("no more than", "at_most"),
        ("pas plus de", "at_most"),
        ("jusqu", "up_to"),
        ("up to", "up_to"),
        ("plus de", "more_than"),
        ("more than", "more_than"),
        ("over", "more_than"),
        ("above", "more_than"),
        ("supérieur", "more_than"),
        ("au-delà de", "more_than"),
        ("moins de", "less_than"),
        ("less than", "less_than"),
        ("fewer than", "less_than"),
        ("under", "less_than"),
        ("below", "less_than"),
        ("inférieur", "less_than"),
        ("en dessous", "less_than"),
        ("en-dessous", "less_than"),
        ("environ", "about"),
        ("près de", "about"),
        ("presque", "about"),
        ("quelque", "about"),
        ("approximativement", "about"),
        ("about", "about"),
        ("around", "about"),
        ("some", "about"),
        ("nearly", "about"),
        ("almost", "about"),
        ("approximately", "about"),
        ("roughly", "about"),
    ];
    if q.contains("than or equal") || q.starts_with("equal to or") {
        let up = ["greater", "larger", "bigger", "higher", "more"]
            .iter()
            .any(|w| q.contains(w));
        return Some(if up { "at_least" } else { "at_most" });
    }
    table
        .iter()
        .find(|(k, _)| q.starts_with(k) || q.contains(k))
        .map(|(_, v)| *v)
}

/// A number in digits or words, with an optional scale (`scale`), qualifier (`qual` before,
/// `qual_after` after) or a second number (`num2`: a range).
fn number(f: &Fields, words: &NumberWords, french: bool) -> Option<Value> {
    let parse = |list: &[(&str, regex::Match)]| -> Option<f64> {
        let n = get(list, "num")?;
        let base = if n
            .trim()
            .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.' || c == '−')
        {
            numbers::parse_digits(n, french)?
        } else if matches!(n.trim().to_lowercase().as_str(), "un" | "une" | "a" | "an")
            && get(list, "scale").is_none()
        {
            // An article, not a number.
            return None;
        } else {
            words.parse_cardinal(n)?
        };
        let scale = match get(list, "scale") {
            Some(s) => numbers::scale_of(s, words)?,
            None => 1.0,
        };
        if scale == 1.0 {
            return Some(base);
        }
        // Round away float noise from decimal scales ("1,2M").
        Some((base * scale * 1e6).round() / 1e6)
    };
    let value = parse(&f.first)?;
    let qual_after = get(&f.first, "qual_after").and_then(qualifier_of);
    let qual = get(&f.first, "qual").and_then(qualifier_of);
    if !f.second.is_empty() {
        let max = parse(&f.second)?;
        return Some(Value::Number {
            value: None,
            qualifier: Some("between"),
            min: Some(value),
            max: Some(max),
        });
    }
    Some(Value::Number {
        value: Some(value),
        qualifier: qual_after.or(qual),
        min: None,
        max: None,
    })
}
