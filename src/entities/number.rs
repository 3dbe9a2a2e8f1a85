//! Small number parser for quantities: digits with French/English separators ("300 000",
//! "300,000", "1,2 million"), ordinals ("33rd", "3e") and number words ("cinq", "three").
//! The fact engine has its own parser; the two will be merged later.

/// French and English cardinal words, with their value. "un"/"one" are left out on purpose: as
/// quantities they are nearly always articles ("une ville"); so are bare scale words ("several
/// thousand euros", "cent" in "pour cent").
pub const NUMBER_WORDS: &[(&str, f64)] = &[
    ("deux", 2.0),
    ("trois", 3.0),
    ("quatre", 4.0),
    ("cinq", 5.0),
    ("six", 6.0),
    ("sept", 7.0),
    ("huit", 8.0),
    ("neuf", 9.0),
    ("dix", 10.0),
    ("onze", 11.0),
    ("douze", 12.0),
    ("treize", 13.0),
    ("quatorze", 14.0),
    ("quinze", 15.0),
    ("seize", 16.0),
    ("vingt", 20.0),
    ("trente", 30.0),
    ("quarante", 40.0),
    ("cinquante", 50.0),
    ("soixante", 60.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
];

/// Regex fragment matching one number as written: digits with separators, an optional scale word,
/// an optional ordinal suffix, or a number word.
pub fn number_pattern() -> String {
    let mut words: Vec<&str> = NUMBER_WORDS.iter().map(|(w, _)| *w).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    format!(
        r"(?:\d{{1,3}}(?:[ \u{{a0}}\u{{202f}}.,]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s*(?:millions?|milliards?|billions?|thousand|mille)\b)?(?:st|nd|rd|th|e|ème|eme|er)?\b|\b(?i:{})\b",
        words.join("|")
    )
}

/// Whether the written number is an ordinal ("33rd", "15th", "3e", "2ème").
pub fn is_ordinal(written: &str) -> bool {
    let t = written.trim();
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && ["st", "nd", "rd", "th", "e", "ème", "eme", "er"]
            .iter()
            .any(|s| t.ends_with(s) && !t.ends_with("illions") && !t.ends_with("mille"))
}

/// Value of a written number, or None. `english` decides whether "300,000" is 300000 (English
/// thousands) — in French "1,2" is a decimal comma.
pub fn parse_number(written: &str, english: bool) -> Option<f64> {
    let t = written.trim();
    let lower = t.to_lowercase();
    if let Some((_, v)) = NUMBER_WORDS.iter().find(|(w, _)| *w == lower) {
        return Some(*v);
    }
    // Split off a scale word.
    let mut scale = 1.0;
    let mut digits_part = lower.as_str();
    for (word, factor) in [
        ("milliards", 1e9),
        ("milliard", 1e9),
        ("billions", 1e9),
        ("billion", 1e9),
        ("millions", 1e6),
        ("million", 1e6),
        ("thousand", 1e3),
        ("mille", 1e3),
    ] {
        if let Some(pos) = digits_part.find(word) {
            scale = factor;
            digits_part = digits_part[..pos].trim_end();
            break;
        }
    }
    let digits_part = digits_part.trim_end_matches(|c: char| c.is_alphabetic());
    let mut int = String::new();
    let mut groups: Vec<String> = vec![String::new()];
    let mut seps: Vec<char> = Vec::new();
    for c in digits_part.chars() {
        if c.is_ascii_digit() {
            if let Some(g) = groups.last_mut() {
                g.push(c);
            }
        } else if matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | ',') {
            seps.push(c);
            groups.push(String::new());
        } else {
            return None;
        }
    }
    if groups.iter().any(String::is_empty) {
        return None;
    }
    match seps.as_slice() {
        [] => int.push_str(&groups[0]),
        [sep] => {
            let last = &groups[1];
            let thousands = match sep {
                ' ' | '\u{a0}' | '\u{202f}' => true,
                ',' => english && last.len() == 3 && scale == 1.0,
                _ => !english && last.len() == 3 && scale == 1.0,
            };
            if thousands {
                int.push_str(&groups[0]);
                int.push_str(last);
            } else {
                int = format!("{}.{}", groups[0], last);
            }
        }
        _ => {
            // Several separators: all but a final decimal one are thousands separators.
            let last_sep = seps[seps.len() - 1];
            let decimal = seps[..seps.len() - 1].iter().all(|s| *s != last_sep)
                && groups.last().is_some_and(|g| g.len() != 3);
            let n = groups.len();
            for (i, g) in groups.iter().enumerate() {
                if decimal && i == n - 1 {
                    int.push('.');
                }
                int.push_str(g);
            }
        }
    }
    let value: f64 = int.parse().ok()?;
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_separators_and_words() {
        assert_eq!(parse_number("300 000", false), Some(300000.0));
        assert_eq!(parse_number("300,000", true), Some(300000.0));
        assert_eq!(parse_number("1 000", false), Some(1000.0));
        assert_eq!(parse_number("1,2 million", false), Some(1_200_000.0));
        assert_eq!(parse_number("130 million", true), Some(130_000_000.0));
        assert_eq!(parse_number("cinq", false), Some(5.0));
        assert_eq!(parse_number("trente", false), Some(30.0));
        assert_eq!(parse_number("three", true), Some(3.0));
        assert_eq!(parse_number("33rd", true), Some(33.0));
        assert_eq!(parse_number("2,5", false), Some(2.5));
        assert_eq!(parse_number("1.234.567", false), Some(1_234_567.0));
        assert!(is_ordinal("33rd"));
        assert!(!is_ordinal("130 million"));
        assert_eq!(parse_number("abc", false), None);
    }
}
