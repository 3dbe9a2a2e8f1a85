//! The correction log: the current text of a document under repair plus the corrections that
//! lead back to the raw text. Each repair layer proposes edits on the *current* text; applying
//! them keeps the invariant "raw == current text with every correction undone" by merging an
//! edit into any earlier correction it touches.

use crate::model::Correction;

/// A replacement of the byte span `[start, end)` of the current text.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub rule: String,
    pub confidence: f64,
}

/// A region of the text that [`EditLog::apply`] replaced: `[old_start, old_end)` of the text
/// before, now `new_len` bytes long. Regions come in order and do not overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    pub old_start: usize,
    pub old_end: usize,
    pub new_len: usize,
}

/// The raw text, the current (partly repaired) text and the corrections between them.
#[derive(Debug, Clone)]
pub struct EditLog {
    raw: String,
    text: String,
    corrections: Vec<Correction>,
}

/// Whether an edit must be merged with an existing correction (they share text, or one of them
/// is an insertion/deletion at the other's boundary, where the order of undoing is ambiguous).
fn touches(c_start: usize, c_end: usize, e_start: usize, e_end: usize) -> bool {
    let strict = c_start < e_end && e_start < c_end;
    let empty = c_start == c_end || e_start == e_end;
    strict || (empty && c_start <= e_end && e_start <= c_end)
}

impl EditLog {
    pub fn new(raw: String) -> Self {
        EditLog {
            text: raw.clone(),
            raw,
            corrections: Vec::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn corrections(&self) -> &[Correction] {
        &self.corrections
    }

    pub fn into_parts(self) -> (String, String, Vec<Correction>) {
        (self.raw, self.text, self.corrections)
    }

    /// Applies edits of the current text. Edits that overlap an earlier edit of the same batch,
    /// that do not fall on char boundaries, or that change nothing are dropped.
    pub fn apply(&mut self, mut edits: Vec<Edit>) -> Vec<Replaced> {
        edits.sort_by_key(|e| (e.start, e.end));
        let old_text = &self.text;
        let old = &self.corrections;
        let mut out_text = String::with_capacity(old_text.len() + 64);
        let mut out_corr: Vec<Correction> = Vec::with_capacity(old.len() + edits.len());
        let mut ci = 0usize; // next old correction not yet copied
        let mut cursor = 0usize; // old_text[..cursor] is already in out_text
        let mut last_end: Option<usize> = None;
        let mut replaced: Vec<Replaced> = Vec::new();

        for e in edits {
            if e.start > e.end
                || e.end > old_text.len()
                || !old_text.is_char_boundary(e.start)
                || !old_text.is_char_boundary(e.end)
                || old_text.get(e.start..e.end) == Some(e.replacement.as_str())
            {
                continue;
            }
            // Keep batch edits apart: a touching pair (with an insertion) would be ambiguous.
            if let Some(prev_end) = last_end
                && (e.start < prev_end || (e.start == prev_end && e.start == e.end))
            {
                continue;
            }
            // Old corrections this edit merges with: a contiguous run starting at `first`.
            let mut first = ci;
            while first < old.len() && old[first].clean_end < e.start {
                first += 1;
            }
            while first < old.len()
                && old[first].clean_end <= e.start
                && !touches(old[first].clean_start, old[first].clean_end, e.start, e.end)
            {
                first += 1;
            }
            let mut last = first;
            while last < old.len()
                && touches(old[last].clean_start, old[last].clean_end, e.start, e.end)
            {
                last += 1;
            }
            let u_start = if last > first {
                old[first].clean_start.min(e.start)
            } else {
                e.start
            };
            let u_end = if last > first {
                old[last - 1].clean_end.max(e.end)
            } else {
                e.end
            };
            if u_start < cursor {
                continue; // would reach back into the previous merged span
            }
            let shift = out_text.len() as isize - cursor as isize;
            for c in &old[ci..first] {
                out_corr.push(shifted(c, shift));
            }
            // Raw span of the merged region.
            let raw_start = if last > first && old[first].clean_start == u_start {
                old[first].raw_start
            } else {
                map_after(old, first, u_start)
            };
            let raw_end = if last > first && old[last - 1].clean_end == u_end {
                old[last - 1].raw_end
            } else {
                map_after(old, last, u_end)
            };
            let mut rule = String::new();
            let mut confidence = e.confidence;
            for c in &old[first..last] {
                push_rule(&mut rule, &c.rule);
                confidence = confidence.min(c.confidence);
            }
            push_rule(&mut rule, &e.rule);

            out_text.push_str(&old_text[cursor..u_start]);
            let clean_start = out_text.len();
            out_text.push_str(&old_text[u_start..e.start]);
            out_text.push_str(&e.replacement);
            out_text.push_str(&old_text[e.end..u_end]);
            let clean_end = out_text.len();
            replaced.push(Replaced {
                old_start: u_start,
                old_end: u_end,
                new_len: clean_end - clean_start,
            });
            let raw_piece = self.raw.get(raw_start..raw_end).unwrap_or_default();
            let clean_piece = &out_text[clean_start..clean_end];
            if raw_piece != clean_piece {
                out_corr.push(Correction {
                    raw: raw_piece.to_string(),
                    clean: clean_piece.to_string(),
                    raw_start,
                    raw_end,
                    clean_start,
                    clean_end,
                    rule,
                    confidence,
                });
            }
            cursor = u_end;
            ci = last;
            last_end = Some(e.end.max(u_end));
        }
        let shift = out_text.len() as isize - cursor as isize;
        for c in &old[ci..] {
            out_corr.push(shifted(c, shift));
        }
        out_text.push_str(&old_text[cursor..]);
        self.text = out_text;
        self.corrections = out_corr;
        replaced
    }

    /// Maps a byte offset of the raw text to the current text. A bound inside a correction
    /// goes to the start (for a start) or the end (for an end) of its clean span.
    pub fn raw_to_clean(&self, pos: usize, is_end: bool) -> usize {
        let cs = &self.corrections;
        let idx = cs.partition_point(|c| c.raw_end <= pos && c.raw_start < pos);
        if let Some(c) = cs.get(idx)
            && c.raw_start < pos
            && pos < c.raw_end
        {
            return if is_end { c.clean_end } else { c.clean_start };
        }
        let before = cs[..idx].last();
        match before {
            Some(prev) => (pos + prev.clean_end).saturating_sub(prev.raw_end),
            None => pos,
        }
        .min(self.text.len())
    }
}

/// Raw offset of current-text offset `pos`, given that every old correction before index `idx`
/// lies before `pos` and none from `idx` on contains it.
fn map_after(old: &[Correction], idx: usize, pos: usize) -> usize {
    match idx.checked_sub(1).and_then(|i| old.get(i)) {
        Some(prev) => (pos + prev.raw_end).saturating_sub(prev.clean_end),
        None => pos,
    }
}

fn shifted(c: &Correction, shift: isize) -> Correction {
    let mv = |p: usize| (p as isize + shift).max(0) as usize;
    Correction {
        clean_start: mv(c.clean_start),
        clean_end: mv(c.clean_end),
        ..c.clone()
    }
}

fn push_rule(rules: &mut String, id: &str) {
    if rules.split('+').any(|r| r == id) {
        return;
    }
    if !rules.is_empty() {
        rules.push('+');
    }
    rules.push_str(id);
}

/// Rebuilds the raw text from the clean text and the corrections, exactly as the schema's
/// reader does (replacing clean spans by raw strings from the last correction to the first).
pub fn rebuild_raw(clean: &str, corrections: &[Correction]) -> Option<String> {
    let mut text = clean.to_string();
    for c in corrections.iter().rev() {
        if text.get(c.clean_start..c.clean_end)? != c.clean {
            return None;
        }
        text.replace_range(c.clean_start..c.clean_end, &c.raw);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, rep: &str, rule: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: rep.to_string(),
            rule: rule.to_string(),
            confidence: 0.9,
        }
    }

    fn check(log: &EditLog) {
        let (raw, clean, corr) = log.clone().into_parts();
        assert_eq!(rebuild_raw(&clean, &corr).as_deref(), Some(raw.as_str()));
        for c in &corr {
            assert_eq!(&raw[c.raw_start..c.raw_end], c.raw);
            assert_eq!(&clean[c.clean_start..c.clean_end], c.clean);
        }
        for w in corr.windows(2) {
            assert!(w[0].clean_end <= w[1].clean_start && w[0].raw_end <= w[1].raw_start);
        }
    }

    #[test]
    fn layered_edits_merge_and_rebuild() {
        let mut log = EditLog::new("de I'accés a la ceuvre".to_string());
        log.apply(vec![edit(3, 4, "l", "elision"), edit(17, 19, "œ", "oe")]);
        assert_eq!(log.text(), "de l'accés a la œuvre");
        check(&log);
        // Second layer: an edit inside the first correction's word, one adjacent, one inside.
        log.apply(vec![
            edit(8, 10, "è", "accent"),
            edit(12, 13, "à", "a"),
            edit(18, 21, "x", "not a char boundary"),
        ]);
        assert_eq!(log.text(), "de l'accès à la œuvre");
        check(&log);
        // An edit over an earlier correction merges with it.
        log.apply(vec![edit(18, 20, "oe", "undo")]);
        assert_eq!(log.text(), "de l'accès à la oeuvre");
        check(&log);
        assert_eq!(log.corrections().len(), 4);
        assert_eq!(log.corrections()[3].rule, "oe+undo");
        assert_eq!(log.corrections()[3].raw, "ce");
        // An edit that restores the raw text removes the correction.
        log.apply(vec![edit(3, 4, "I", "back")]);
        assert_eq!(log.corrections().len(), 3);
        check(&log);
    }

    #[test]
    fn insertions_and_deletions() {
        let mut log = EditLog::new("lhistoire d’'une".to_string());
        log.apply(vec![edit(1, 1, "’", "ins"), edit(14, 15, "", "del")]);
        assert_eq!(log.text(), "l’histoire d’une");
        check(&log);
        log.apply(vec![edit(0, 4, "L’", "both")]);
        check(&log);
        assert_eq!(log.raw_to_clean(10, false), "L’histoire ".len());
    }
}
