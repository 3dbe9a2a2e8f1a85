//! Layout: glyphs -> lines (with word spaces) -> blocks, in content-stream order.
//!
//! Content order is kept: OCR layers (tesseract, OCRmyPDF) and most producers write text in
//! reading order, and sorting by position interleaves columns. Geometry decides where words,
//! lines and paragraphs break.

use super::fonts::FontCache;
use super::interp::PageGlyphs;
use crate::model::BlockKind;

/// A gap wider than this share of the font size between two glyphs is a word space.
const WORD_GAP: f32 = 0.15;
/// A superscript (footnote mark) closer than this share of the line's size to the previous
/// glyph is attached to it.
const SUPERSCRIPT_GAP: f32 = 0.25;
/// Baseline tolerance (share of the font size) for glyphs of one line; tolerates the skew of
/// scanned pages because each glyph is compared with the previous one.
const BASELINE_TOLERANCE: f32 = 0.45;
/// A horizontal jump wider than this (share of the size) on one baseline starts a new line
/// (table cells, tab stops), except after a lone list marker.
const MAX_LINE_GAP: f32 = 3.0;
/// Lines of the current block compared with a new line.
const RECENT_LINES: usize = 40;

/// One glyph's place in a line's text, for link anchors.
#[derive(Debug, Clone, Copy)]
pub struct CharBox {
    pub x: f32,
    pub y: f32,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline of the line's full-size glyphs.
    pub y: f32,
    pub size: f32,
    pub bold_chars: usize,
    pub chars: Vec<CharBox>,
    /// Byte spans of raised, smaller glyphs (footnote marks) in `text`.
    pub superscripts: Vec<(usize, usize)>,
    pub invisible: usize,
    /// Writing direction (quarter turns); coordinates are in that reading frame.
    pub dir: u8,
    last_end_x: f32,
    last_x: f32,
    pending_space: bool,
}

impl Line {
    fn new(x: f32, y: f32, size: f32, dir: u8) -> Line {
        Line {
            text: String::new(),
            x0: x,
            x1: x,
            y,
            size,
            bold_chars: 0,
            chars: Vec::new(),
            superscripts: Vec::new(),
            invisible: 0,
            dir,
            last_end_x: x,
            last_x: x,
            pending_space: false,
        }
    }

    pub fn char_count(&self) -> usize {
        self.chars.len()
    }

    pub fn is_bold(&self) -> bool {
        !self.chars.is_empty() && self.bold_chars * 10 >= self.chars.len() * 8
    }
}

/// Whether `text` is a list marker (bullet glyph or a short enumerator such as `a)` or `(3)`).
/// OCR reads bullets as `e`, `o`, `¢` or `©`: alone at the start of a line these are no word
/// either, so they count too.
pub fn is_list_marker(token: &str) -> bool {
    const BULLETS: &str = "•◦▪▫‣●○■□►▶➢➤✓✔–—-*+·→◆◇\u{f0b7}\u{f0a7}oe¢©";
    let mut chars = token.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return BULLETS.contains(c);
    }
    let inner = token
        .strip_prefix('(')
        .unwrap_or(token)
        .strip_suffix(')')
        .unwrap_or("");
    !inner.is_empty()
        && inner.len() <= 3
        && (inner.bytes().all(|b| b.is_ascii_digit())
            || (inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase())))
}

/// A section-numbered title line: "2. Synergies", "3.1 Renforcer les partenariats",
/// "IV. Budget" — a number, then a capitalised word, few words, no closing punctuation.
pub fn is_numbered_heading(text: &str) -> bool {
    let mut tokens = text.split_whitespace();
    let (Some(number), Some(word)) = (tokens.next(), tokens.next()) else {
        return false;
    };
    let digits = number.trim_end_matches('.');
    let arabic = !digits.is_empty()
        && digits.len() <= 8
        && digits
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    let roman = number.ends_with('.')
        && !digits.is_empty()
        && digits.len() <= 5
        && digits.bytes().all(|b| b"IVX".contains(&b));
    let words = text.split_whitespace().count();
    (arabic || roman)
        && (number.contains('.') || digits.len() <= 2)
        && word.chars().next().is_some_and(char::is_uppercase)
        && words <= 12
        && !text.trim_end().ends_with(['.', ',', ';'])
}

/// Section level of a numbered heading: "3." -> 1, "3.1" -> 2.
fn numbered_level(text: &str) -> u8 {
    let number = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    number.split('.').count().clamp(1, 6) as u8
}

/// Groups a page's glyphs into lines, in content order.
pub fn build_lines(page: &PageGlyphs, fonts: &FontCache) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<Line> = None;
    for g in &page.glyphs {
        let text = page.glyph_text(g);
        let size = if g.size.is_finite() && g.size > 0.1 {
            g.size
        } else {
            1.0
        };
        if !(g.x.is_finite() && g.y.is_finite() && g.end_x.is_finite()) {
            continue;
        }
        let blank = text.chars().all(char::is_whitespace);
        if let Some(line) = current.as_mut() {
            let dy = g.y - line.y;
            let gap = g.x - line.last_end_x;
            let ref_size = line.size.min(size);
            let small = size < 0.9 * line.size;
            let superscript = small && dy > 0.15 * line.size && dy <= 0.8 * line.size;
            let subscript = small && dy < -0.15 * line.size && dy >= -0.45 * line.size;
            let same_baseline =
                !superscript && !subscript && dy.abs() <= BASELINE_TOLERANCE * ref_size;
            // A full-size glyph after a leading mark that was small and raised.
            let rebase = size > 1.1 * line.size && dy < 0.0 && dy >= -0.8 * size;
            let lone_marker = is_list_marker(line.text.trim());
            let max_gap = if lone_marker { 8.0 } else { MAX_LINE_GAP } * size.max(line.size);
            let forward = g.dir == line.dir && gap >= -0.6 * size.max(line.size) && gap <= max_gap;
            if (same_baseline
                || superscript
                || subscript
                || rebase
                || blank && dy.abs() <= line.size)
                && forward
            {
                if blank {
                    if !line.text.is_empty() {
                        line.pending_space = true;
                    }
                    continue;
                }
                if text.is_empty() {
                    line.last_end_x = g.end_x;
                    continue;
                }
                // Overprinted duplicates (fake bold) add nothing.
                if same_baseline
                    && (g.x - line.last_x).abs() < 0.15 * size
                    && line.text.ends_with(text)
                {
                    continue;
                }
                // Footnote marks often sit a hair away from their word (kerning, side bearings):
                // judge their gap against the line's size, with more room.
                let space_gap = if superscript {
                    SUPERSCRIPT_GAP * line.size
                } else {
                    WORD_GAP * ref_size
                };
                if (line.pending_space || gap > space_gap)
                    && !line.text.is_empty()
                    && !line.text.ends_with(' ')
                {
                    line.text.push(' ');
                }
                line.pending_space = false;
                let start = line.text.len();
                line.text.push_str(text);
                let end = line.text.len();
                if superscript {
                    match line.superscripts.last_mut() {
                        Some(last) if last.1 == start => last.1 = end,
                        _ => line.superscripts.push((start, end)),
                    }
                } else if rebase && !same_baseline {
                    let prior = line.text.len() - text.len();
                    line.superscripts.retain(|s| s.1 <= prior);
                    if prior > 0 {
                        line.superscripts.push((0, prior));
                    }
                    line.y = g.y;
                    line.size = size;
                } else if same_baseline {
                    line.y = g.y;
                    line.size = line.size.max(size);
                }
                push_char(line, g, start, end, fonts);
                continue;
            }
            if let Some(done) = current.take() {
                finish_line(&mut lines, done);
            }
        }
        if blank || text.is_empty() {
            continue;
        }
        let mut line = Line::new(g.x, g.y, size, g.dir);
        line.text.push_str(text);
        let end = line.text.len();
        push_char(&mut line, g, 0, end, fonts);
        current = Some(line);
    }
    if let Some(done) = current.take() {
        finish_line(&mut lines, done);
    }
    lines
}

fn push_char(
    line: &mut Line,
    g: &super::interp::Glyph,
    start: usize,
    end: usize,
    fonts: &FontCache,
) {
    line.chars.push(CharBox {
        x: (g.x + g.end_x) / 2.0,
        y: g.y,
        start,
        end,
    });
    if fonts.fonts.get(g.font as usize).is_some_and(|f| f.bold) {
        line.bold_chars += 1;
    }
    if g.invisible {
        line.invisible += 1;
    }
    line.x0 = line.x0.min(g.x);
    line.x1 = line.x1.max(g.end_x);
    line.last_end_x = g.end_x;
    line.last_x = g.x;
}

fn finish_line(lines: &mut Vec<Line>, mut line: Line) {
    let trimmed_len = line.text.trim_end().len();
    line.text.truncate(trimmed_len);
    if !line.text.is_empty() {
        lines.push(line);
    }
}

/// Puts the lines of two columns drawn row by row (left line, right line on the same
/// baseline, left line again...) back into column order. Content order is kept everywhere
/// else: it only applies when most lines pair up side by side as running text (long lines,
/// not table cells). Lines spanning both columns split the page into regions, each read left
/// column first.
pub fn reorder_columns(lines: Vec<Line>) -> Vec<Line> {
    let mut right_starts: Vec<f32> = Vec::new();
    for i in 1..lines.len() {
        let (Some(prev), Some(line)) = (lines.get(i - 1), lines.get(i)) else {
            continue;
        };
        let size = prev.size.max(line.size);
        let side_by_side = line.x0 > prev.x1 + size && (line.y - prev.y).abs() < 0.5 * size;
        let back_left = lines.get(i + 1).is_none_or(|next| next.x0 < line.x0 - size);
        if side_by_side && back_left && prev.char_count() >= 15 && line.char_count() >= 15 {
            right_starts.push(line.x0);
        }
    }
    if right_starts.len() < 3 || right_starts.len() * 4 < lines.len() {
        return lines;
    }
    let split = right_starts.iter().copied().fold(f32::MAX, f32::min);
    let mut out = Vec::with_capacity(lines.len());
    let mut left: Vec<Line> = Vec::new();
    let mut right: Vec<Line> = Vec::new();
    for line in lines {
        let spanning = line.x0 < split - line.size && line.x1 > split + line.size;
        if spanning {
            out.append(&mut left);
            out.append(&mut right);
            out.push(line);
        } else if line.x0 < split - 0.5 * line.size {
            left.push(line);
        } else {
            right.push(line);
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// A block of lines on one page.
#[derive(Debug, Clone)]
pub struct LayoutBlock {
    pub lines: Vec<Line>,
    pub kind: BlockKind,
    pub level: Option<u8>,
}

impl LayoutBlock {
    pub fn size(&self) -> f32 {
        let (sum, n) = self.lines.iter().fold((0.0, 0usize), |(s, n), l| {
            (s + l.size * l.char_count() as f32, n + l.char_count())
        });
        if n == 0 { 0.0 } else { sum / n as f32 }
    }

    /// Writing direction of the block's lines (blocks never mix directions).
    pub fn dir(&self) -> u8 {
        self.lines.first().map(|l| l.dir).unwrap_or(0)
    }

    pub fn top(&self) -> f32 {
        self.lines
            .iter()
            .map(|l| l.y + l.size * 0.8)
            .fold(f32::MIN, f32::max)
    }

    pub fn bottom(&self) -> f32 {
        self.lines
            .iter()
            .map(|l| l.y - l.size * 0.2)
            .fold(f32::MAX, f32::min)
    }

    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Groups lines into paragraphs and list items.
pub fn build_blocks(lines: Vec<Line>) -> Vec<LayoutBlock> {
    let mut blocks: Vec<LayoutBlock> = Vec::new();
    for line in lines {
        let starts_item = line
            .text
            .split_whitespace()
            .next()
            .is_some_and(is_list_marker)
            && line.text.split_whitespace().nth(1).is_some();
        let numbered = is_numbered_heading(&line.text);
        let continues = blocks.last().is_some_and(|block| {
            let Some(prev) = block.lines.last() else {
                return false;
            };
            // A numbered title stands alone, whatever the spacing around it.
            if starts_item
                || numbered
                || prev.dir != line.dir
                || (block.lines.len() == 1 && is_numbered_heading(&prev.text))
            {
                return false;
            }
            let size = prev.size.max(line.size);
            // Only the block's recent lines count: keeps a page-long block linear.
            let recent = &block.lines[block.lines.len().saturating_sub(RECENT_LINES)..];
            let (size_sum, chars) = recent.iter().fold((0.0, 0usize), |(s, n), l| {
                (s + l.size * l.char_count() as f32, n + l.char_count())
            });
            let block_size = if chars == 0 {
                line.size
            } else {
                size_sum / chars as f32
            };
            if (line.size - block_size).abs() > 0.2 * block_size.max(1.0) {
                return false;
            }
            let drop = prev.y - line.y;
            if drop < -0.5 * size {
                return false;
            }
            let pitch = match block.lines.len() {
                0 | 1 => None,
                n => block.lines.get(n - 2).map(|p2| p2.y - prev.y),
            };
            let max_drop = match pitch {
                Some(p) if p > 0.5 * size => (p * 1.3).max(p + 0.25 * size),
                _ => 1.75 * size,
            };
            if drop > max_drop {
                return false;
            }
            // Horizontal: a line must overlap the block's column.
            let block_x0 = recent.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
            let block_x1 = recent.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
            if line.x0 > block_x1 || line.x1 < block_x0 {
                return false;
            }
            let is_item = block.kind == BlockKind::ListItem;
            // First-line indent opens a paragraph (LaTeX style, no vertical gap).
            if !is_item
                && block.lines.len() >= 2
                && line.x0 > prev.x0 + 0.8 * size
                && line.x0 > block_x0 + 0.8 * size
            {
                return false;
            }
            // A line starting left of an item's text ends the item.
            if is_item && line.x0 < block_x0 - 0.5 * size {
                return false;
            }
            true
        });
        if continues {
            if let Some(block) = blocks.last_mut() {
                block.lines.push(line);
            }
        } else {
            blocks.push(LayoutBlock {
                kind: if starts_item {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                },
                level: None,
                lines: vec![line],
            });
        }
    }
    blocks
}

/// Most common line size over all pages, weighted by characters: the body text size.
pub fn body_size(pages: &[Vec<LayoutBlock>]) -> f32 {
    let mut buckets: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for line in pages.iter().flatten().flat_map(|b| &b.lines) {
        *buckets.entry((line.size * 2.0).round() as i32).or_default() += line.char_count();
    }
    buckets
        .iter()
        .max_by_key(|(size, count)| (**count, -**size))
        .map(|(size, _)| *size as f32 / 2.0)
        .unwrap_or(10.0)
}

/// Marks headings (larger or bold short blocks) and footnotes (small text below the body).
pub fn classify(pages: &mut [Vec<LayoutBlock>], page_heights: &[f32]) {
    let body = body_size(pages);
    let mut heading_sizes: Vec<i32> = Vec::new();
    for block in pages.iter_mut().flatten() {
        if block.kind != BlockKind::Paragraph {
            continue;
        }
        let size = block.size();
        let text = block.text();
        let words = text.split_whitespace().count();
        let larger = size >= 1.18 * body && block.lines.len() <= 3 && words <= 25;
        let bold = block.dir() == 0
            && block.lines.iter().all(Line::is_bold)
            && block.lines.len() <= 2
            && words <= 15
            && size >= 0.95 * body
            && !text.trim_end().ends_with(['.', ',', ';', ':']);
        let numbered = block.lines.len() == 1 && size >= 0.9 * body && is_numbered_heading(&text);
        if numbered {
            block.kind = BlockKind::Heading;
            block.level = Some(numbered_level(&text));
            continue;
        }
        if (larger || bold) && text.chars().any(char::is_alphabetic) {
            block.kind = BlockKind::Heading;
            let key = if larger {
                (size * 2.0).round() as i32
            } else {
                0
            };
            if !heading_sizes.contains(&key) {
                heading_sizes.push(key);
            }
        }
    }
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    for block in pages.iter_mut().flatten() {
        if block.kind == BlockKind::Heading && block.level.is_none() {
            let size = block.size();
            let larger = size >= 1.18 * body;
            let key = if larger {
                (size * 2.0).round() as i32
            } else {
                0
            };
            let rank = heading_sizes.iter().position(|k| *k == key).unwrap_or(0);
            block.level = Some((rank + 1).min(6) as u8);
        }
    }
    for (page, height) in pages.iter_mut().zip(page_heights) {
        // Footnotes: small blocks in the lower half below every body-size block.
        let lowest_body = page
            .iter()
            .filter(|b| !b.kind.is_page_furniture() && b.size() >= 0.92 * body)
            .map(LayoutBlock::bottom)
            .fold(f32::MAX, f32::min);
        for block in page.iter_mut() {
            if matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem)
                && block.dir() == 0
                && block.size() < 0.9 * body
                && block.top() < height * 0.5
                && block.top() <= lowest_body + 0.2 * body
            {
                block.kind = BlockKind::Footnote;
            }
        }
    }
}

/// Text normalised for comparing running headers/footers across pages: digits masked in
/// short lines (page numbers), case and spacing folded.
fn furniture_key(text: &str) -> String {
    let folded: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if folded.chars().count() <= 160 {
        folded
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    } else {
        folded
    }
}

/// A page number line: "12", "- 12 -", "page 3 / 8", "3/8", "Page 2 of 9".
pub fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let t = t
        .strip_prefix("page")
        .or_else(|| t.strip_prefix("p."))
        .unwrap_or(t)
        .trim();
    let mut parts = t
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty() && *p != "of" && *p != "sur" && *p != "de" && *p != "von");
    let first = parts.next();
    let second = parts.next();
    let rest = parts.next();
    let numeric = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    match (first, second, rest) {
        (Some(a), None, None) => numeric(a),
        (Some(a), Some(b), None) => numeric(a) && numeric(b),
        _ => false,
    }
}

/// Finds page headers and footers: blocks in the top/bottom band of the page whose text
/// (digits masked) recurs on another page, page-number lines, and a first-page letterhead
/// (one large short line at the very top). Headers move to the start of their page and footers
/// to its end, whatever order the content stream drew them in.
pub fn mark_furniture(pages: &mut [Vec<LayoutBlock>], page_heights: &[f32]) {
    let body = body_size(pages);
    let band = |height: f32| height * 0.12;
    let mut keys: Vec<Vec<(usize, bool, String)>> = Vec::new();
    for (page, height) in pages.iter().zip(page_heights) {
        let mut page_keys = Vec::new();
        for (i, block) in page.iter().enumerate() {
            if block.lines.len() > 3 || block.dir() != 0 {
                continue;
            }
            if block.top() > height - band(*height) {
                page_keys.push((i, true, furniture_key(&block.text())));
            } else if block.bottom() < band(*height) {
                page_keys.push((i, false, furniture_key(&block.text())));
            }
        }
        keys.push(page_keys);
    }
    // (top band?, key) -> pages where it occurs: one lookup per candidate, however many pages.
    let mut pages_with: std::collections::HashMap<(bool, &str), std::collections::BTreeSet<usize>> =
        std::collections::HashMap::new();
    for (p, page_keys) in keys.iter().enumerate() {
        for (_, top, key) in page_keys {
            pages_with
                .entry((*top, key.as_str()))
                .or_default()
                .insert(p);
        }
    }
    for (p, page) in pages.iter_mut().enumerate() {
        let Some(page_keys) = keys.get(p) else {
            continue;
        };
        for (i, top, key) in page_keys {
            let repeated = pages_with
                .get(&(*top, key.as_str()))
                .is_some_and(|pages| pages.len() >= 2);
            let Some(block) = page.get_mut(*i) else {
                continue;
            };
            let numbered = is_page_number(&block.text());
            if repeated || numbered {
                block.kind = if *top {
                    BlockKind::PageHeader
                } else {
                    BlockKind::PageFooter
                };
                block.level = None;
            }
        }
    }
    // Letterhead: the first block of the first page, alone near the top edge, large and short.
    if let (Some(first_page), Some(height)) = (pages.first_mut(), page_heights.first())
        && let Some(block) = first_page.first_mut()
        && block.lines.len() == 1
        && block.dir() == 0
        && block.top() > height * 0.92
        && block.size() >= 1.3 * body
        && block.text().split_whitespace().count() <= 5
    {
        block.kind = BlockKind::PageHeader;
        block.level = None;
    }
    for page in pages.iter_mut() {
        let blocks = std::mem::take(page);
        let (headers, rest): (Vec<_>, Vec<_>) = blocks
            .into_iter()
            .partition(|b| b.kind == BlockKind::PageHeader);
        let (footers, body_blocks): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|b| b.kind == BlockKind::PageFooter);
        page.extend(headers);
        page.extend(body_blocks);
        page.extend(footers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_titles_page_numbers_and_markers_are_recognised() {
        assert!(is_numbered_heading("2. Synergies"));
        assert!(is_numbered_heading("3.1 Renforcer les partenariats"));
        assert!(is_numbered_heading("IV. Budget"));
        assert!(!is_numbered_heading("2010 was a good year for the city."));
        assert!(!is_numbered_heading("1. le terme"));
        assert_eq!(numbered_level("3.1 Encourager"), 2);
        assert!(is_page_number("page 1 / 2"));
        assert!(is_page_number("- 12 -"));
        assert!(is_page_number("Page 2 of 9"));
        assert!(!is_page_number("Paris 2013"));
        assert!(is_list_marker("•"));
        assert!(is_list_marker("a)"));
        assert!(is_list_marker("(3)"));
        assert!(!is_list_marker("Alliance"));
    }
}
