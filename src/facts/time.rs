//! Calendar values: partial points in time as the text writes them, and their resolution against
//! a reference date by a year policy.
//!
//! A [`Point`] keeps only what the text fixes (day, month, year, weekday, time of day). Resolution
//! fills the missing year (and month or day for day-only and weekday-only mentions) from a
//! reference; when there is none the missing digits print as `X` (`XXXX-05-21`).

/// A civil date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(())?;
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.days() + 3).rem_euclid(7) as u32
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock {
    pub hour: u32,
    pub minute: u32,
    pub second: Option<u32>,
}

/// A point in time as written: every field the text does not fix is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Point {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// 0 = Monday: a constraint on the resolved date, never printed.
    pub weekday: Option<u32>,
    pub clock: Option<Clock>,
    /// "dernier" / "last" (Some(false)), "prochain" / "next" (Some(true)).
    pub future: Option<bool>,
    /// Days from the reference: "aujourd'hui" 0, "demain" 1, "hier" -1.
    pub rel_days: Option<i32>,
    /// Filled by resolution: the year (or month, day) came from the reference.
    pub inferred: bool,
}

impl Point {
    pub fn has_date(&self) -> bool {
        self.year.is_some()
            || self.month.is_some()
            || self.day.is_some()
            || self.weekday.is_some()
            || self.rel_days.is_some()
    }

    /// Whether the text fixes enough of the date for a document fact (a month or a year).
    pub fn is_calendar(&self) -> bool {
        self.year.is_some() || self.month.is_some()
    }

    /// Fill the fields this point lacks from `other` (a date part onto a time, or the month of
    /// an interval end onto its start). Returns false on a conflict.
    pub fn merge(&mut self, other: &Point) -> bool {
        fn pick<T: PartialEq + Copy>(a: &mut Option<T>, b: Option<T>) -> bool {
            match (*a, b) {
                (Some(x), Some(y)) => x == y,
                (None, y) => {
                    *a = y;
                    true
                }
                _ => true,
            }
        }
        pick(&mut self.year, other.year)
            && pick(&mut self.month, other.month)
            && pick(&mut self.day, other.day)
            && pick(&mut self.weekday, other.weekday)
            && pick(&mut self.clock, other.clock)
            && pick(&mut self.future, other.future)
            && pick(&mut self.rel_days, other.rel_days)
    }

    pub fn granularity(&self) -> &'static str {
        match self.clock {
            Some(Clock {
                second: Some(_), ..
            }) => "second",
            Some(_) => "minute",
            None if self.day.is_some() => "day",
            None if self.month.is_some() => "month",
            None => "year",
        }
    }

    /// ISO 8601 with reduced precision; `X` for digits the text does not fix.
    pub fn iso(&self) -> String {
        let mut s = String::new();
        let has_date = self.year.is_some() || self.month.is_some() || self.day.is_some();
        if has_date {
            match self.year {
                Some(y) => s.push_str(&format!("{y:04}")),
                None => s.push_str("XXXX"),
            }
            if self.month.is_some() || self.day.is_some() {
                match self.month {
                    Some(m) => s.push_str(&format!("-{m:02}")),
                    None => s.push_str("-XX"),
                }
            }
            if let Some(d) = self.day {
                s.push_str(&format!("-{d:02}"));
            }
        }
        if let Some(c) = self.clock {
            s.push_str(&format!("T{:02}:{:02}", c.hour, c.minute));
            if let Some(sec) = c.second {
                s.push_str(&format!(":{sec:02}"));
            }
        }
        s
    }
}

/// How a year-less date gets its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearPolicy {
    /// The next occurrence on or after the reference (the peers' policy).
    Future,
    /// The occurrence nearest the reference; "dernier"/"last" forces the past and
    /// "prochain"/"next" the future (documents, anchored on the dateline).
    Nearest,
}

/// What year-less mentions are resolved against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    /// No reference: missing digits stay `X`.
    None,
    /// Only a year is known (the one year a document mentions).
    Year(i32),
    /// A full reference date (and time of day, for bare-time intervals).
    Date(Date, Clock),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    pub anchor: Anchor,
    pub policy: YearPolicy,
}

impl Context {
    pub fn none() -> Self {
        Context {
            anchor: Anchor::None,
            policy: YearPolicy::Nearest,
        }
    }
}

/// Chooses among candidate dates by the policy: `future` forces the next, `Some(false)` the
/// last before the reference, `None` follows the policy.
fn choose(
    candidates: &[Date],
    reference: Date,
    policy: YearPolicy,
    dir: Option<bool>,
) -> Option<Date> {
    let after = candidates.iter().copied().filter(|d| *d >= reference).min();
    let before = candidates.iter().copied().filter(|d| *d <= reference).max();
    match (dir, policy) {
        (Some(true), _) => after.or(before),
        (Some(false), _) => before.or(after),
        (None, YearPolicy::Future) => after.or(before),
        (None, YearPolicy::Nearest) => match (after, before) {
            (Some(a), Some(b)) => {
                if a.days() - reference.days() < reference.days() - b.days() {
                    Some(a)
                } else {
                    Some(b)
                }
            }
            (a, b) => a.or(b),
        },
    }
}

/// Fills the year (and for day-only or weekday-only mentions the month and day) of `p`.
pub fn resolve(p: &Point, ctx: &Context) -> Point {
    let mut out = *p;
    if let Some(n) = p.rel_days {
        if let Anchor::Date(d, _) = ctx.anchor
            && p.year.is_none()
            && p.month.is_none()
            && p.day.is_none()
        {
            let day = d.add_days(i64::from(n));
            out.year = Some(day.year);
            out.month = Some(day.month);
            out.day = Some(day.day);
            out.inferred = true;
        }
        return out;
    }
    if p.year.is_some() || !p.has_date() {
        return out;
    }
    let (reference, _clock) = match ctx.anchor {
        Anchor::None => return out,
        Anchor::Year(y) => {
            if p.month.is_some() {
                out.year = Some(y);
                out.inferred = true;
            }
            return out;
        }
        Anchor::Date(d, c) => (d, c),
    };
    let mut candidates = Vec::new();
    let weekday_ok = |d: &Date| p.weekday.is_none_or(|w| d.weekday() == w);
    match (p.month, p.day) {
        (Some(m), Some(day)) => {
            let years = reference.year - 1..=reference.year + 1;
            candidates.extend(
                years
                    .clone()
                    .filter_map(|y| Date::new(y, m, day))
                    .filter(weekday_ok),
            );
            // A weekday that fits no nearby year is a slip of the writer: ignore it.
            if candidates.is_empty() {
                candidates.extend(years.filter_map(|y| Date::new(y, m, day)));
            }
        }
        (Some(m), None) => {
            // Month grain: compare on the first of the month.
            let reference_month = Date {
                year: reference.year,
                month: reference.month,
                day: 1,
            };
            let years = reference.year - 1..=reference.year + 1;
            let cands: Vec<Date> = years.filter_map(|y| Date::new(y, m, 1)).collect();
            if let Some(d) = choose(&cands, reference_month, ctx.policy, p.future) {
                out.year = Some(d.year);
                out.inferred = true;
            }
            return out;
        }
        (None, Some(day)) => {
            let base = reference.year * 12 + reference.month as i32 - 1;
            for k in -13..=36 {
                let ym = base + k;
                let (y, m) = (ym.div_euclid(12), ym.rem_euclid(12) as u32 + 1);
                if let Some(d) = Date::new(y, m, day).filter(weekday_ok) {
                    candidates.push(d);
                }
            }
            // Only the nearest few on each side matter.
            let after: Vec<Date> = candidates
                .iter()
                .copied()
                .filter(|d| *d >= reference)
                .take(1)
                .collect();
            let before: Vec<Date> = candidates
                .iter()
                .copied()
                .rfind(|d| *d <= reference)
                .into_iter()
                .collect();
            candidates = after.into_iter().chain(before).collect();
            if let Some(d) = choose(&candidates, reference, ctx.policy, p.future) {
                out.month = Some(d.month);
                out.year = Some(d.year);
                out.inferred = true;
            }
            return out;
        }
        (None, None) => {
            if let Some(w) = p.weekday {
                let delta = (i64::from(w) - i64::from(reference.weekday())).rem_euclid(7);
                let next = reference.add_days(if delta == 0 { 7 } else { delta });
                let prev = reference.add_days(delta - 7);
                let d = match (p.future, ctx.policy) {
                    (Some(false), _) => prev,
                    (None, YearPolicy::Nearest) if 7 - delta < delta => prev,
                    _ => next,
                };
                out.year = Some(d.year);
                out.month = Some(d.month);
                out.day = Some(d.day);
                out.inferred = true;
            }
            return out;
        }
    }
    if let Some(d) = choose(&candidates, reference, ctx.policy, p.future) {
        out.year = Some(d.year);
        out.inferred = true;
    }
    out
}

/// Resolves an interval: each end takes the fields it lacks from the other (the month of
/// "du 21 au 24 mai", the day of "jeudi de 9h à 11h"), then the start is resolved and the end
/// placed on or after it.
pub fn resolve_interval(a: &Point, b: &Point, ctx: &Context) -> (Point, Point) {
    let mut start = *a;
    let mut end = *b;
    // Date fields flow both ways, clock never.
    let date_only = |p: &Point| Point {
        clock: None,
        future: None,
        ..*p
    };
    if start.clock.is_none() || end.clock.is_none() || !start.has_date() || !end.has_date() {
        if start.year.is_none()
            && start.month.is_none()
            && start.day.is_none()
            && start.weekday.is_none()
        {
            let mut d = date_only(&end);
            d.clock = start.clock;
            d.future = end.future;
            start = d;
        } else if end.year.is_none()
            && end.month.is_none()
            && end.day.is_none()
            && end.weekday.is_none()
        {
            let mut d = date_only(&start);
            d.clock = end.clock;
            end = d;
        }
    }
    if start.month.is_none() && start.day.is_some() {
        start.month = end.month;
    }
    if start.year.is_none() && (start.month.is_some() || start.day.is_some()) && end.year.is_some()
    {
        start.year = end.year;
    }
    if start.future.is_none() {
        start.future = end.future;
    }
    // A bare time range is placed on the reference day (the next one when already past).
    if !start.has_date()
        && start.clock.is_some()
        && let Anchor::Date(d, c) = ctx.anchor
    {
        let day = match start.clock {
            Some(sc) if sc < c => d.add_days(1),
            _ => d,
        };
        for p in [&mut start, &mut end] {
            p.year = Some(day.year);
            p.month = Some(day.month);
            p.day = Some(day.day);
        }
    }
    // "entre midi et 2": an end hour before the start is in the afternoon.
    if let (Some(sc), Some(ec)) = (start.clock, end.clock.as_mut())
        && ec.hour < sc.hour
        && ec.hour < 12
    {
        ec.hour += 12;
    }
    let mut rs = resolve(&start, ctx);
    let mut re = end;
    if re.year.is_none() && rs.year.is_some() {
        re.year = rs.year;
        re.inferred = true;
        if re.month.is_none() && re.day.is_some() {
            re.month = rs.month;
        }
        if let (Some(y), Some(sm), Some(em)) = (rs.year, rs.month, re.month)
            && (em < sm || (em == sm && re.day < rs.day))
        {
            re.year = Some(y + 1);
        }
    } else if re.year.is_none() {
        re = resolve(&re, ctx);
    }
    if re.month.is_none() && re.day.is_some() && rs.month.is_some() {
        re.month = rs.month;
    }
    // A weekday-only start resolved to a day: the end shares it.
    if re.day.is_none() && re.month.is_none() && re.year.is_some() && rs.day.is_some() {
        re.month = rs.month;
        re.day = rs.day;
    }
    if let (Some(_), None) = (re.weekday, re.day) {
        re.day = rs.day;
        re.month = rs.month;
    }
    if rs.weekday.is_some() && re.day.is_none() {
        re.day = rs.day;
    }
    rs.weekday = None;
    (rs, re)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_days() {
        let d = Date::new(2013, 2, 12).unwrap_or(Date {
            year: 0,
            month: 1,
            day: 1,
        });
        assert_eq!(d.weekday(), 1);
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::new(2013, 2, 29), None);
    }

    #[test]
    fn future_policy() {
        let ctx = Context {
            anchor: Anchor::Date(
                Date {
                    year: 2013,
                    month: 2,
                    day: 12,
                },
                Clock {
                    hour: 4,
                    minute: 30,
                    second: None,
                },
            ),
            policy: YearPolicy::Future,
        };
        let p = Point {
            day: Some(15),
            weekday: Some(3),
            ..Point::default()
        };
        assert_eq!(resolve(&p, &ctx).iso(), "2013-08-15");
        let p = Point {
            month: Some(2),
            day: Some(10),
            weekday: Some(6),
            ..Point::default()
        };
        assert_eq!(resolve(&p, &ctx).iso(), "2013-02-10");
        let p = Point {
            month: Some(1),
            day: Some(1),
            ..Point::default()
        };
        assert_eq!(resolve(&p, &ctx).iso(), "2014-01-01");
    }
}
