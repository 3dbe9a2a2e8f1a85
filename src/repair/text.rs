//! Word tokens and protected spans of a text under repair.

use super::edits::Replaced;
use regex::Regex;
use std::sync::OnceLock;

/// A run of letters and digits: byte span `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The word tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push(Token { start: s, end: i });
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            end: text.len(),
        });
    }
    out
}

/// Sorted, merged byte spans that no rule may touch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Protected {
    /// Every match of the protection patterns, sorted (what [`Protected::update`] moves).
    matches: Vec<(usize, usize)>,
    spans: Vec<(usize, usize)>,
}

fn protect_patterns() -> &'static [Regex] {
    static CELL: OnceLock<Vec<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        [
            // URLs, including OCR-damaged schemes (`https:/iwed…`) and bare `www.` hosts.
            r"(?i)(?-u:\b)(?:[a-z][a-z0-9+.-]*:/{1,2}|www\.)\S+",
            // E-mail addresses.
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
            // Phone numbers: digit groups with separators.
            r"\+?\(?\d[\d ().-]{5,}\d",
            // Numbers (with decimal or thousands separators).
            r"(?-u:\b)[0-9]+(?:[.,:/-][0-9]+)*(?-u:\b)",
            // Inline code.
            r"`[^`\n]{1,200}`",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// The separators of a technical token, each between a word character (or `)`) and a word
/// character (or `(`): `ViewDoc.jsp`, `a/b`, `Ref=CM`, `x_y`. Indexed by byte.
const IS_TECHNICAL_SEPARATOR: [bool; 256] = {
    let mut table = [false; 256];
    let separators = b"./=&@_\\#%~|";
    let mut i = 0;
    while i < separators.len() {
        table[separators[i] as usize] = true;
        i += 1;
    }
    table
};

/// Technical tokens (host names, file names, paths, query strings, identifiers): the
/// whitespace-delimited tokens holding a separator between word characters. This is what the
/// pattern `\S*[\w)][./=&@_\\#%~|][\w(]\S*` finds, matched as a leftmost-first regex does
/// (a whole token per match), by a byte scan for the separators: the regex took a third of the
/// time of finding protected spans, which repair does again after each layer that edits.
fn technical_tokens(text: &str, spans: &mut Vec<(usize, usize)>) {
    let word = |c: char| regex_syntax::is_word_character(c);
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes.get(at..).and_then(|rest| {
        rest.iter()
            .position(|&b| IS_TECHNICAL_SEPARATOR[usize::from(b)])
    }) {
        // An ASCII byte: `sep` and `sep + 1` are character boundaries.
        let sep = at + offset;
        let before = text.get(..sep).and_then(|t| t.chars().next_back());
        let after = text.get(sep + 1..).and_then(|t| t.chars().next());
        let fits = before.is_some_and(|c| c == ')' || word(c))
            && after.is_some_and(|c| c == '(' || word(c));
        if !fits {
            at = sep + 1;
            continue;
        }
        let start = text
            .get(..sep)
            .and_then(|t| t.char_indices().rev().find(|(_, c)| c.is_whitespace()))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text
            .get(sep..)
            .and_then(|t| t.find(char::is_whitespace))
            .map_or(text.len(), |i| sep + i);
        spans.push((start, end));
        at = end;
    }
}

/// The matches of the protection patterns in `text[from..to]` (offsets in `text`), pushed to
/// `out`. No pattern matches a line break or looks past one, so the matches of a text are those
/// of its lines, each searched alone: `from` and `to` must be line bounds (see
/// [`Protected::update`]).
fn pattern_matches(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let Some(lines) = text.get(from..to) else {
        return;
    };
    let first = out.len();
    technical_tokens(lines, out);
    for re in protect_patterns() {
        out.extend(re.find_iter(lines).map(|m| (m.start(), m.end())));
    }
    for span in &mut out[first..] {
        span.0 += from;
        span.1 += from;
    }
}

impl Protected {
    pub fn find(text: &str) -> Self {
        let mut matches = Vec::new();
        pattern_matches(text, 0, text.len(), &mut matches);
        matches.sort_unstable();
        let spans = Self::spans_of(text, &matches);
        Protected { matches, spans }
    }

    /// The protected spans of the text `log` became after [`EditLog::apply`] replaced the
    /// regions `replaced` of the text these spans are of. Only the lines holding a replaced
    /// region are searched again; the other matches move with the text. This gives what
    /// [`Protected::find`] gives on the new text (see [`pattern_matches`]), for the cost of
    /// the edited lines: repair recomputed the spans after every layer that edited.
    ///
    /// [`EditLog::apply`]: super::edits::EditLog::apply
    pub fn update(&mut self, text: &str, replaced: &[Replaced]) {
        if replaced.is_empty() {
            return;
        }
        let line_start = |at: usize| {
            text.get(..at)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1)
        };
        let line_end = |at: usize| {
            text.get(at..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| at + i)
        };
        // The lines to search again, in the new text: each replaced region widened to whole
        // lines, merged when they meet.
        let mut dirty: Vec<(usize, usize)> = Vec::new();
        let mut shift: isize = 0;
        for r in replaced {
            let new_start = r.old_start.saturating_add_signed(shift);
            let (from, to) = (line_start(new_start), line_end(new_start + r.new_len));
            match dirty.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => dirty.push((from, to)),
            }
            shift += r.new_len as isize - (r.old_end - r.old_start) as isize;
        }
        // Matches outside the dirty lines, moved by the replacements before them.
        let mut matches: Vec<(usize, usize)> = Vec::with_capacity(self.matches.len());
        let mut next = 0;
        let mut shift: isize = 0;
        for &(start, end) in &self.matches {
            while let Some(r) = replaced.get(next).filter(|r| r.old_end <= start) {
                shift += r.new_len as isize - (r.old_end - r.old_start) as isize;
                next += 1;
            }
            // A match overlapping a replaced region is on a dirty line.
            if replaced.get(next).is_some_and(|r| r.old_start < end) {
                continue;
            }
            let (start, end) = (
                start.saturating_add_signed(shift),
                end.saturating_add_signed(shift),
            );
            let i = dirty.partition_point(|d| d.1 < start);
            if dirty.get(i).is_some_and(|d| d.0 <= start) {
                continue;
            }
            matches.push((start, end));
        }
        for &(from, to) in &dirty {
            pattern_matches(text, from, to, &mut matches);
        }
        matches.sort_unstable();
        self.spans = Self::spans_of(text, &matches);
        self.matches = matches;
    }

    /// The protected spans from the pattern matches (sorted): URLs go on over a line break
    /// when the next line carries on the query, then overlapping spans merge.
    fn spans_of(text: &str, matches: &[(usize, usize)]) -> Vec<(usize, usize)> {
        // A URL broken at a line end continues on the next line (`…&BackColorInte\nrnet=…`).
        let extra = matches.iter().filter_map(|&(s, e)| {
            let piece = text.get(s..e)?;
            if !(piece.contains("://") || piece.contains(":/") || piece.starts_with("www.")) {
                return None;
            }
            let rest = text.get(e..)?;
            let rest = rest.strip_prefix('\n')?;
            let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let next = rest.get(..len)?;
            (next.contains('=') || next.contains('&') || next.contains('/'))
                .then_some((e + 1, e + 1 + len))
        });
        let mut spans: Vec<(usize, usize)> = matches.iter().copied().chain(extra).collect();
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// Whether `[start, end)` shares a byte with a protected span (an empty span counts when
    /// it lies strictly inside one).
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        let idx = self.spans.partition_point(|&(_, e)| e <= start);
        match self.spans.get(idx) {
            Some(&(s, e)) => {
                if start == end {
                    s < start && start < e
                } else {
                    s < end
                }
            }
            None => false,
        }
    }

    pub fn spans(&self) -> &[(usize, usize)] {
        &self.spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protects_urls_mails_numbers() {
        let t = "voir https://wcd.coe.int/ViewDoc.jsp?Ref=CM(2010)133&L anguage=x, a@b.fr, +33 1 42 76 00 00 et 2014-2016.";
        let p = Protected::find(t);
        let at = |s: &str| t.find(s).unwrap_or(0);
        assert!(p.overlaps(at("ViewDoc"), at("ViewDoc") + 3));
        assert!(p.overlaps(at("a@b"), at("a@b") + 1));
        assert!(p.overlaps(at("42"), at("42") + 2));
        assert!(p.overlaps(at("2016"), at("2016") + 1));
        assert!(!p.overlaps(at("voir"), at("voir") + 4));
        assert!(!p.overlaps(at("et 2014"), at("et 2014") + 2));
    }

    #[test]
    fn technical_tokens_are_the_regex_matches() {
        let re = Regex::new(r"\S*[\w)][./=&@_\\#%~|][\w(]\S*").expect("pattern compiles");
        let texts = [
            "voir https://wcd.coe.int/ViewDoc.jsp?Ref=CM(2010)133&L anguage=x, a@b.fr",
            "etc.) fin. Début_x a..b (c).d e.(f g|h i~j k#l m%n o\\p q=r s&t",
            "été.élu über_alles ƒ.ß ١٢.٣ x.\u{a0}y.z\u{2003}w.v a\u{200d}.b",
            ".a a. _ __ a_ _a )( ).( ).a a.(",
            "",
            "x.y",
        ];
        for text in texts {
            let mut got = Vec::new();
            technical_tokens(text, &mut got);
            let want: Vec<(usize, usize)> =
                re.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(got, want, "{text:?}");
        }
        // Random strings over the characters that matter (a fixed-seed LCG: reproducible).
        let alphabet: Vec<char> = "ab9é_.()/=&@#%~|\\ \n\u{a0}\u{200d}١-,".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed >> 59) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let mut got = Vec::new();
            technical_tokens(&text, &mut got);
            let want: Vec<(usize, usize)> =
                re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(got, want, "{text:?}");
        }
        let mut some = Vec::new();
        technical_tokens(texts[0], &mut some);
        assert_eq!(some.len(), 3);
    }

    #[test]
    fn updated_spans_are_the_spans_of_the_new_text() {
        use super::super::edits::{Edit, EditLog};
        // Pieces that make and break URLs, e-mails, numbers, phones, code and technical tokens,
        // joined by spaces and line breaks; edits then insert, delete and replace pieces (line
        // breaks included) in several rounds, as the repair layers do.
        let pieces = [
            "https://wcd.coe.int/View",
            "Doc.jsp?Ref=CM",
            "&L=x",
            "www.",
            "coe.int",
            "a@b.fr",
            "+33",
            "1 42",
            "76 00",
            "2014-2016",
            "`code`",
            "`",
            "r6le",
            "mise",
            "en",
            "ceuvre",
            "é_x",
            "(c).d",
            "-",
            ".",
            "=",
            "\n",
            " ",
            "\n\n",
            "I'Alliance",
            "12,5",
            "x/y",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..next(40) {
                text.push_str(pieces[next(pieces.len())]);
                text.push_str([" ", "\n", "", " "][next(4)]);
            }
            let mut log = EditLog::new(text.clone());
            let mut protected = Protected::find(log.text());
            for _ in 0..4 {
                let current = log.text().to_string();
                let bounds: Vec<usize> = (0..=current.len())
                    .filter(|&i| current.is_char_boundary(i))
                    .collect();
                let mut edits = Vec::new();
                for _ in 0..next(5) {
                    let a = bounds[next(bounds.len())];
                    let b = bounds[next(bounds.len())];
                    let (start, end) = (a.min(b), a.max(b).min(a.min(b) + 12));
                    let end = bounds.iter().copied().find(|&i| i >= end).unwrap_or(start);
                    edits.push(Edit {
                        start,
                        end,
                        replacement: pieces[next(pieces.len())].to_string(),
                        rule: "test".to_string(),
                        confidence: 0.9,
                    });
                }
                let replaced = log.apply(edits);
                protected.update(log.text(), &replaced);
                assert_eq!(protected, Protected::find(log.text()), "{:?}", log.text());
            }
        }
    }

    #[test]
    fn tokens_split_on_punctuation() {
        let t = "l’accès r6le, œuvre";
        let words: Vec<&str> = tokens(t).iter().map(|k| k.text(t)).collect();
        assert_eq!(words, vec!["l", "accès", "r6le", "œuvre"]);
    }
}
