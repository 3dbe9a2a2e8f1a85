//! Numbers as written: digits with French or English separators and scale words, numbers in
//! words, ordinals. The word values come from the lexicon files (`rules/facts/lexicon.*.toml`);
//! this module only composes them.

use std::collections::BTreeMap;

/// Word values of one language.
#[derive(Debug, Clone, Default)]
pub struct NumberWords {
    /// "vingt" -> 20, "cent" -> 100, "mille" -> 1000, "million" -> 1e6 ...
    pub cardinals: BTreeMap<String, f64>,
    /// "premier" -> 1, "twenty-fifth" is composed: "fifth" -> 5.
    pub ordinals: BTreeMap<String, f64>,
    /// Words that join parts and carry no value ("et", "and").
    pub joiners: Vec<String>,
    /// Decimal mark in words ("virgule", "point").
    pub decimal_words: Vec<String>,
}

fn is_scale(v: f64) -> bool {
    v >= 1000.0
}

/// Splits words on spaces and hyphens, lower-cased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

impl NumberWords {
    fn value_of(&self, w: &str) -> Option<f64> {
        if let Some(v) = self.cardinals.get(w) {
            return Some(*v);
        }
        // Plural scale words: "millions", "billions", "vingts", "cents".
        w.strip_suffix('s')
            .and_then(|s| self.cardinals.get(s))
            .copied()
    }

    /// Parses a cardinal in words ("quatre vingt onze", "seven hundred twenty-one thousand and
    /// twelve", "deux cent virgule trois").
    pub fn parse_cardinal(&self, text: &str) -> Option<f64> {
        let ws = words(text);
        if let Some(pos) = ws.iter().position(|w| self.decimal_words.contains(w)) {
            let int = self.compose(ws.get(..pos)?)?;
            let frac_words = ws.get(pos + 1..)?;
            let frac = self.compose(frac_words)?;
            let digits = format!("{}", frac as i64).len() as i32;
            return Some(int + frac / 10f64.powi(digits));
        }
        self.compose(&ws)
    }

    fn compose(&self, ws: &[String]) -> Option<f64> {
        if ws.is_empty() || ws.len() > 24 {
            return None;
        }
        let mut total = 0.0;
        let mut current = 0.0;
        let mut prev: Option<f64> = None;
        let mut seen = false;
        for (i, w) in ws.iter().enumerate() {
            if self.joiners.contains(w) {
                continue;
            }
            // English "a hundred", "a thousand".
            let v = if (w == "a" || w == "an") && i == 0 {
                1.0
            } else {
                self.value_of(w)?
            };
            seen = true;
            if v == 100.0 {
                current = if current == 0.0 {
                    100.0
                } else {
                    current * 100.0
                };
            } else if is_scale(v) {
                let base = if current == 0.0 { 1.0 } else { current };
                total += base * v;
                current = 0.0;
            } else if v == 20.0 && prev == Some(4.0) && current % 100.0 == 4.0 {
                // "quatre-vingt(s)": four twenties.
                current += 76.0;
            } else {
                current += v;
            }
            prev = Some(v);
        }
        seen.then_some(total + current)
    }

    /// Parses an ordinal in words ("premier", "twenty-fifth", "forty-second", "ninetieth").
    pub fn parse_ordinal(&self, text: &str) -> Option<f64> {
        let ws = words(text);
        let (last, head) = ws.split_last()?;
        let v = self.ordinals.get(last).copied()?;
        if head.is_empty() {
            return Some(v);
        }
        Some(self.compose(head)? + v)
    }
}

/// Parses digits with separators. `french`: comma is the decimal mark and dot or space groups
/// thousands; else the English convention. Scale suffixes ("M", "k", "million") are handled by
/// [`scale_of`].
pub fn parse_digits(text: &str, french: bool) -> Option<f64> {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '0'..='9' => s.push(c),
            ',' if french => s.push('.'),
            '.' if french => {
                // "1.200.000": dot groups thousands; "1.5" (not 3 digits after): a decimal.
                s.push('§');
            }
            // One comma not followed by a group of three digits is a decimal comma even in
            // English text ("2,5 million" quoted from a French source).
            ',' if english_decimal_comma(t) => s.push('.'),
            ',' => {}
            '.' => s.push('.'),
            c if c.is_whitespace() || c == '\'' || c == '’' => {}
            _ => return None,
        }
    }
    if french && s.contains('§') {
        let groups: Vec<&str> = s.split('§').collect();
        let all_thousands = groups.iter().skip(1).all(|g| {
            g.len() >= 3
                && g.get(..3)
                    .is_some_and(|x| x.bytes().all(|b| b.is_ascii_digit()))
        });
        s = if all_thousands {
            groups.concat()
        } else {
            groups.join(".")
        };
    }
    let v: f64 = s.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn english_decimal_comma(t: &str) -> bool {
    let mut parts = t.split(',');
    let (Some(_), Some(after), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !t.contains('.') && after.len() != 3 && after.bytes().all(|b| b.is_ascii_digit())
}

/// The multiplier of a scale suffix or word.
pub fn scale_of(word: &str, words: &NumberWords) -> Option<f64> {
    let w = word.trim().to_lowercase();
    match w.as_str() {
        "" => Some(1.0),
        "k" => Some(1e3),
        "m" => Some(1e6),
        "md" | "mds" | "bn" | "b" => Some(1e9),
        _ => words.value_of(&w).filter(|v| is_scale(*v)),
    }
}

/// Ordinal suffixes written after digits, French and English ("33rd", "15e", "2ème", "1er").
pub const ORDINAL_SUFFIXES: &[&str] = &["st", "nd", "rd", "th", "e", "ème", "eme", "er"];

/// Parses one number as a counting phrase writes it: digits with separators and an optional
/// scale word ("1,2 million", "130 million", "2,5 milliards"), an ordinal in digits ("33rd"),
/// or a cardinal in words ("cinq", "three"). The same digit and word readers as the rules'
/// `number` resolver, so a quantity and a number fact never disagree on a value.
pub fn parse_written(text: &str, french: bool, words: &NumberWords) -> Option<f64> {
    let t = text.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return words.parse_cardinal(t);
    }
    let digits_end = t
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(t.len(), |(i, _)| i);
    let (digits, tail) = t.split_at(digits_end);
    let tail = tail.trim().to_lowercase();
    if tail.is_empty() {
        return parse_digits(digits, french);
    }
    if ORDINAL_SUFFIXES.contains(&tail.as_str()) && !digits.ends_with(char::is_whitespace) {
        return parse_digits(digits, french);
    }
    let scale = scale_of(&tail, words)?;
    // Round away float noise from decimal scales ("1,2 million").
    Some((parse_digits(digits, french)? * scale * 1e6).round() / 1e6)
}

/// Parses an ordinal in digits ("33rd", "15e", "1er", "2ème").
pub fn parse_ordinal_digits(text: &str) -> Option<f64> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_follow_the_language() {
        assert_eq!(parse_digits("1.200.000", true), Some(1_200_000.0));
        assert_eq!(parse_digits("6 700,54", true), Some(6700.54));
        assert_eq!(parse_digits("4,800", true), Some(4.8));
        assert_eq!(parse_digits("100,000.5", false), Some(100_000.5));
        assert_eq!(parse_digits("-9,2321312", true), Some(-9.2321312));
        assert_eq!(parse_digits("2,5", false), Some(2.5));
        assert_eq!(parse_digits("300,000", false), Some(300_000.0));
    }

    fn lexicon_words(lexicon: &str) -> NumberWords {
        super::super::rules::embedded_number_words(lexicon)
            .unwrap_or_else(|e| panic!("lexicon {lexicon}: {e:#}"))
    }

    #[test]
    fn written_numbers_with_scales_ordinals_and_words() {
        let fr = lexicon_words("fr");
        let en = lexicon_words("en");
        assert_eq!(parse_written("300 000", true, &fr), Some(300_000.0));
        assert_eq!(parse_written("300,000", false, &en), Some(300_000.0));
        assert_eq!(parse_written("1,2 million", true, &fr), Some(1_200_000.0));
        assert_eq!(
            parse_written("2,5 milliards", true, &fr),
            Some(2_500_000_000.0)
        );
        assert_eq!(
            parse_written("130 million", false, &en),
            Some(130_000_000.0)
        );
        assert_eq!(parse_written("1.234.567", true, &fr), Some(1_234_567.0));
        assert_eq!(parse_written("33rd", false, &en), Some(33.0));
        assert_eq!(parse_written("15e", true, &fr), Some(15.0));
        assert_eq!(parse_written("cinq", true, &fr), Some(5.0));
        assert_eq!(parse_written("three", false, &en), Some(3.0));
        assert_eq!(parse_written("12 lorem", true, &fr), None);
        assert_eq!(parse_written("abc", true, &fr), None);
    }
}
