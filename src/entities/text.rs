//! Text helpers shared by the entity extractors: normalised keys, OCR-tolerant literal patterns,
//! sentence and paragraph bounds. All positions are byte offsets into the text.

use unicode_normalization::UnicodeNormalization;

/// The scorer's normalisation: lower case, accents removed, œ→oe, æ→ae, every non-alphanumeric
/// character becomes a space, spaces collapsed.
pub fn fold(s: &str) -> String {
    /// Appends to the folded text, with one space for each run of separators between words.
    struct Folded {
        out: String,
        gap: bool,
    }
    impl Folded {
        fn word_char(&mut self, c: char) {
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.gap = false;
            self.out.push(c);
        }
    }
    let mut folded = Folded {
        out: String::with_capacity(s.len()),
        gap: false,
    };
    if s.is_ascii() {
        // Nothing to decompose (most names and sentences).
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() {
                folded.word_char(char::from(b.to_ascii_lowercase()));
            } else {
                folded.gap = true;
            }
        }
        return folded.out;
    }
    for c in s.nfd() {
        match c {
            'œ' | 'Œ' => "oe".chars().for_each(|c| folded.word_char(c)),
            'æ' | 'Æ' => "ae".chars().for_each(|c| folded.word_char(c)),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c if c.is_alphanumeric() => c.to_lowercase().for_each(|c| folded.word_char(c)),
            _ => folded.gap = true,
        }
    }
    folded.out
}

/// Matching key of an organisation name: folded, a leading article dropped, spaces removed.
pub fn org_key(s: &str) -> String {
    let folded = fold(s);
    let mut words: Vec<&str> = folded.split(' ').collect();
    if words.len() > 1 && matches!(words[0], "l" | "le" | "la" | "les" | "the") {
        words.remove(0);
    }
    words.concat()
}

/// Whitespace runs collapsed to one space, ends trimmed.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A regex fragment that matches `literal` case-insensitively in running text, tolerating
/// line breaks, both apostrophes, missing accents and the commonest OCR confusions
/// ("I'Europe", "'UE", "Congres", "ceuvre").
pub fn tolerant_pattern(literal: &str) -> String {
    let chars: Vec<char> = literal.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let is_apostrophe = |c: Option<char>| matches!(c, Some('\'') | Some('’') | Some('‘'));
        match c {
            'l' | 'L' if is_apostrophe(next) && (i == 0 || !chars[i - 1].is_alphanumeric()) => {
                out.push_str(r"(?:[lLI1|\[]\s?)?['’‘]");
                i += 2;
                continue;
            }
            '\'' | '’' | '‘' => out.push_str(r"['’‘]"),
            ' ' | '\n' | '\t' => out.push_str(r"\s+"),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => out.push_str(r"[eéèêë]{1,2}"),
            'à' | 'â' | 'À' => out.push_str("[aàâ&]"),
            'î' | 'ï' => out.push_str("[iîï]"),
            'ô' => out.push_str("[oô6]"),
            'ù' | 'û' | 'ü' => out.push_str("[uùûü]"),
            'ç' => out.push_str("[cç]"),
            'œ' => out.push_str("(?:œ|oe|ce)"),
            '-' | '‐' | '–' => out.push_str(r"[-‐–]?\s*"),
            '!' => out.push_str(r"\s?!"),
            '.' => out.push_str(r"\.?"),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    let starts_word = chars.first().is_some_and(|c| c.is_alphanumeric());
    let ends_word = chars.last().is_some_and(|c| c.is_alphanumeric());
    format!(
        "{}{}{}",
        if starts_word { r"\b" } else { "" },
        out,
        if ends_word { r"\b" } else { "" }
    )
}

/// A case-sensitive acronym pattern that also accepts dots between letters ("C.G.L.U").
pub fn acronym_pattern(acronym: &str) -> String {
    let letters: Vec<String> = acronym
        .chars()
        .map(|c| regex::escape(&c.to_string()))
        .collect();
    format!(r"\b{}\b\.?", letters.join(r"\.?"))
}

/// Whether a '.' at byte `pos` of `text` ends a sentence (not "M.", "Mme.", "C.G.L.U", "2.5").
fn dot_ends_sentence(text: &str, pos: usize) -> bool {
    let after = text.get(pos + 1..).unwrap_or("");
    let next = after.chars().next();
    if !next.is_none_or(char::is_whitespace) {
        return false;
    }
    let before = text.get(..pos).unwrap_or("");
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let abbrev = matches!(
        word.as_str(),
        "M" | "Mme" | "Mr" | "Mrs" | "Ms" | "Dr" | "Pr" | "St" | "cf" | "p" | "n" | "no" | "art"
    ) || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || word.contains('.');
    !abbrev
}

/// Byte span of the sentence containing `pos`: bounded by . ! ? … ; a blank line, or the text.
pub fn sentence_at(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let mut start = 0;
    let mut prev_newline = false;
    for (i, c) in text.get(..pos).unwrap_or("").char_indices().rev() {
        if c == '\n' {
            if prev_newline {
                start = i + 2;
                break;
            }
            prev_newline = true;
            continue;
        }
        if !c.is_whitespace() {
            prev_newline = false;
        }
        if matches!(c, '!' | '?' | '…') || (c == '.' && dot_ends_sentence(text, i)) {
            start = i + c.len_utf8();
            break;
        }
    }
    (skip_space(text, start), sentence_end(text, pos))
}

/// Byte offset where the sentence running at `pos` ends (exclusive, before the final mark).
pub fn sentence_end(text: &str, pos: usize) -> usize {
    let mut prev_newline = false;
    let tail = text.get(pos..).unwrap_or("");
    for (i, c) in tail.char_indices() {
        let abs = pos + i;
        if c == '\n' {
            if prev_newline {
                return trim_end_at(text, abs);
            }
            prev_newline = true;
            continue;
        }
        if !c.is_whitespace() {
            prev_newline = false;
        }
        if matches!(c, '!' | '?' | '…') || (c == '.' && dot_ends_sentence(text, abs)) {
            return abs;
        }
    }
    trim_end_at(text, text.len())
}

fn skip_space(text: &str, mut pos: usize) -> usize {
    while let Some(c) = text.get(pos..).and_then(|t| t.chars().next()) {
        if !c.is_whitespace() {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// Moves `end` back over trailing whitespace.
pub fn trim_end_at(text: &str, mut end: usize) -> usize {
    while end > 0 {
        let Some(c) = text.get(..end).and_then(|t| t.chars().next_back()) else {
            break;
        };
        if !c.is_whitespace() {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// Span `[start, end)` with leading/trailing whitespace and the given characters removed.
pub fn trim_span(text: &str, mut start: usize, mut end: usize, strip: &[char]) -> (usize, usize) {
    while start < end {
        let Some(c) = text.get(start..end).and_then(|t| t.chars().next()) else {
            break;
        };
        if c.is_whitespace() || strip.contains(&c) {
            start += c.len_utf8();
        } else {
            break;
        }
    }
    while end > start {
        let Some(c) = text.get(start..end).and_then(|t| t.chars().next_back()) else {
            break;
        };
        if c.is_whitespace() || strip.contains(&c) {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    (start, end)
}

/// Whether a word starts with an upper-case letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A cheap repair of OCR forms inside a name taken from the text: "I'Europe" → "l'Europe".
pub fn tidy_name(s: &str) -> String {
    let collapsed = collapse(s);
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let prev_word = i == 0 || !chars[i - 1].is_alphanumeric();
        let next_apos = matches!(chars.get(i + 1), Some('\'') | Some('’'));
        if *c == 'I' && prev_word && next_apos {
            out.push('l');
        } else {
            out.push(*c);
        }
    }
    // A function word typed twice ("de de l'Administration") is a typo, not part of the name.
    let words: Vec<&str> = out.split(' ').collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for w in words {
        let repeated = kept.last().is_some_and(|p| *p == w)
            && matches!(
                w,
                "de" | "des" | "du" | "la" | "le" | "les" | "of" | "the" | "et" | "and"
            );
        if !repeated {
            kept.push(w);
        }
    }
    kept.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn keys_follow_the_scorer() {
        assert_eq!(org_key("l'Alliance"), "alliance");
        assert_eq!(org_key("C.G.L.U"), "cglu");
        assert_eq!(org_key("EURO CITIES"), "eurocities");
        assert_eq!(fold("Congrès œuvre"), "congres oeuvre");
    }

    #[test]
    fn fold_is_the_decompose_lower_and_collapse_it_stands_for() {
        // The definition, written plainly.
        fn plain(s: &str) -> String {
            let mut out = String::new();
            for c in s.nfd() {
                match c {
                    'œ' | 'Œ' => out.push_str("oe"),
                    'æ' | 'Æ' => out.push_str("ae"),
                    c if unicode_normalization::char::is_combining_mark(c) => {}
                    c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
                    _ => out.push(' '),
                }
            }
            out.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        for s in [
            "",
            "   ",
            " Conseil  de l'Europe. ",
            "C.G.L.U",
            "--a--",
            "Œuvre ÆON, İstanbul\u{301}  Straße",
            "e\u{301}te\u{301} à  Paris\n\t(2020)",
            "ＡＢＣ ½ ² №5",
            "l’Alliance « des villes »",
        ] {
            assert_eq!(fold(s), plain(s), "{s:?}");
        }
    }

    #[test]
    fn tolerant_pattern_accepts_ocr_forms() {
        let re = Regex::new(&format!("(?i){}", tolerant_pattern("Conseil de l'Europe")))
            .expect("pattern compiles");
        assert!(re.is_match("du Conseil de I'Europe"));
        assert!(re.is_match("du Conseil de\n'Europe"));
        let re = Regex::new(&format!("(?i){}", tolerant_pattern("Congrès des pouvoirs")))
            .expect("pattern compiles");
        assert!(re.is_match("le Congres des\npouvoirs"));
        assert!(re.is_match("le Congreés des pouvoirs"));
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let t = "Il est là. M. Pinto (Portugal) parle. Fin";
        let pos = t.find("Pinto").unwrap_or(0);
        let (s, e) = sentence_at(t, pos);
        assert_eq!(&t[s..e], "M. Pinto (Portugal) parle");
    }
}
