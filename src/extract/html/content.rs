//! Main-content selection on the flattened page: boilerplate containers are dropped, the
//! article container is chosen by Readability-style scoring (paragraph scores flow to their
//! ancestors, weighted by class/id and link density), related siblings and the headline
//! "prelude" are added, then each block is filtered (link density, boilerplate lexicon).
//!
//! With the environment variable `DOCFACTS_HTML_DEBUG` set, the drop decisions on large
//! containers and the best candidates are written to stderr (for tuning the rules).

use super::dom::{Dom, RawBlock};
use super::rules::rules;
use crate::model::BlockKind;
use std::io::Write;

/// A container that holds more than this share of the page's text is never dropped as
/// boilerplate (a layout wrapper named "sidebar-layout" around the article).
const MAX_DROPPED_SHARE: f64 = 0.5;
/// Paragraphs shorter than this do not vote for their container.
const MIN_SCORED_CHARS: usize = 25;
/// Below this many characters, the selection is considered failed and the fallback runs.
pub const MIN_EXTRACTED_CHARS: usize = 250;
/// A candidate scoring at least this share of the top one may be another segment of it.
const SPLIT_SEGMENT_SHARE: f64 = 0.6;
/// How far above the top candidate the segments may join.
const SPLIT_SEGMENT_LEVELS: usize = 2;
/// Below this score the top candidate is too weak to be the article on its own.
const WEAK_TOP_SCORE: f64 = 25.0;
/// A paragraph this long, with few links, is prose.
const LONG_PARAGRAPH_CHARS: usize = 120;
/// Class-dropped elements holding this many prose paragraphs are kept.
const MIN_PROSE_PARAGRAPHS: usize = 3;
/// Article-body elements whose ancestors are protected from dropping.
const MAX_PROTECTED_BODIES: usize = 32;
/// Bound on ancestor walks.
const MAX_ANCESTOR_STEPS: usize = 256;

/// Per-element drop decisions and subtree statistics.
struct Analysis {
    dropped: Vec<bool>,
    /// Prefix sums over blocks (kept blocks only): characters and link characters.
    chars_prefix: Vec<usize>,
    link_prefix: Vec<usize>,
}

impl Analysis {
    fn range_chars(&self, first: usize, end: usize) -> usize {
        prefix_range(&self.chars_prefix, first, end)
    }
    fn range_links(&self, first: usize, end: usize) -> usize {
        prefix_range(&self.link_prefix, first, end)
    }
    fn block_dropped(&self, block: &RawBlock) -> bool {
        self.dropped.get(block.owner).copied().unwrap_or(true)
    }
}

fn prefix_range(prefix: &[usize], first: usize, end: usize) -> usize {
    let a = prefix.get(first).copied().unwrap_or(0);
    let b = prefix.get(end).copied().unwrap_or(a);
    b.saturating_sub(a)
}

fn prefix_sums(blocks: &[RawBlock], value: impl Fn(&RawBlock) -> usize) -> Vec<usize> {
    let mut prefix = Vec::with_capacity(blocks.len() + 1);
    let mut total = 0usize;
    prefix.push(0);
    for b in blocks {
        total += value(b);
        prefix.push(total);
    }
    prefix
}

/// Decides which elements are boilerplate.
fn analyse(dom: &Dom<'_>) -> Analysis {
    let raw_chars = prefix_sums(&dom.blocks, |b| b.chars);
    let headlines = prefix_sums(&dom.blocks, |b| {
        usize::from(b.kind == BlockKind::Heading && b.level.is_some_and(|l| l <= 2))
    });
    let long_paragraphs = prefix_sums(&dom.blocks, |b| {
        usize::from(
            matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote)
                && b.chars >= LONG_PARAGRAPH_CHARS
                && b.link_chars * 5 < b.chars,
        )
    });
    let total = raw_chars.last().copied().unwrap_or(0);
    // Ancestors of an article-body element are never boilerplate (Blogger puts the post in a
    // "widget", some themes in a "sidebar-layout").
    let mut protected = vec![false; dom.elements.len()];
    let bodies = dom
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.article_body || e.class.body)
        .map(|(i, _)| i)
        .take(MAX_PROTECTED_BODIES);
    for body in bodies {
        let mut ancestor = Some(body);
        let mut steps = 0;
        while let Some(a) = ancestor {
            if steps > MAX_ANCESTOR_STEPS || protected.get(a).copied().unwrap_or(true) {
                break;
            }
            if let Some(p) = protected.get_mut(a) {
                *p = true;
            }
            ancestor = dom.elements.get(a).and_then(|e| e.parent);
            steps += 1;
        }
    }
    let mut dropped = vec![false; dom.elements.len()];
    for (i, el) in dom.elements.iter().enumerate() {
        let parent_dropped = el
            .parent
            .and_then(|p| dropped.get(p).copied())
            .unwrap_or(false);
        if parent_dropped {
            dropped[i] = true;
            continue;
        }
        let is_protected = protected.get(i).copied().unwrap_or(false) && !el.class.comments;
        if matches!(el.tag, "html" | "body") || is_protected {
            continue;
        }
        let chars = prefix_range(&raw_chars, el.first_block, el.end_block);
        let small = (chars as f64) < MAX_DROPPED_SHARE * total as f64;
        let has_headline = prefix_range(&headlines, el.first_block, el.end_block) > 0;
        // A "read-more" or "promo" wrapper holding several real paragraphs is article text.
        let prose =
            prefix_range(&long_paragraphs, el.first_block, el.end_block) >= MIN_PROSE_PARAGRAPHS;
        let boilerplate = (el.class.drop && (el.class.comments || !prose))
            || el.tag_drop
            || ((el.header || el.class.drop_unless_headline) && !has_headline);
        dropped[i] = boilerplate && small;
        if dropped[i] && chars > 1000 && std::env::var_os("DOCFACTS_HTML_DEBUG").is_some() {
            let _ = writeln!(
                std::io::stderr(),
                "dropped {i} <{}> {chars} chars (class {:?}, tag {})",
                el.tag,
                el.class,
                el.tag_drop
            );
        }
    }
    let kept = |b: &RawBlock| !dropped.get(b.owner).copied().unwrap_or(true);
    let chars_prefix = prefix_sums(&dom.blocks, |b| if kept(b) { b.chars } else { 0 });
    let link_prefix = prefix_sums(&dom.blocks, |b| if kept(b) { b.link_chars } else { 0 });
    Analysis {
        dropped,
        chars_prefix,
        link_prefix,
    }
}

fn tag_base_score(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Tags whose own text is a paragraph: their score goes to their parent.
fn is_paragraph_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "pre" | "tr" | "dd" | "dt" | "figcaption" | "caption" | "address"
    )
}

fn commas(text: &str) -> usize {
    text.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
        .count()
}

/// The selected blocks, in document order, as indices into `dom.blocks`.
pub fn select(dom: &Dom<'_>) -> Vec<usize> {
    let analysis = analyse(dom);
    let chosen = choose_by_score(dom, &analysis);
    let mut selected = filter_blocks(dom, &analysis, &chosen);
    let selected_chars: usize = selected
        .iter()
        .filter_map(|&i| dom.blocks.get(i))
        .map(|b| b.chars)
        .sum();
    if selected_chars < MIN_EXTRACTED_CHARS {
        // Fallback: every kept paragraph-like block of the page, when that gives more.
        let all: Vec<bool> = vec![true; dom.blocks.len()];
        let fallback = filter_blocks(dom, &analysis, &all);
        let fallback_chars: usize = fallback
            .iter()
            .filter_map(|&i| dom.blocks.get(i))
            .filter(|b| b.link_chars * 3 < b.chars)
            .map(|b| b.chars)
            .sum();
        if fallback_chars > selected_chars * 2 {
            selected = fallback;
        }
    }
    selected
}

/// Returns a per-block mask of the chosen region (container, siblings, prelude).
fn choose_by_score(dom: &Dom<'_>, analysis: &Analysis) -> Vec<bool> {
    let n = dom.elements.len();
    let mut scores: Vec<Option<f64>> = vec![None; n];
    for block in &dom.blocks {
        if analysis.block_dropped(block)
            || block.chars < MIN_SCORED_CHARS
            || !matches!(block.kind, BlockKind::Paragraph | BlockKind::Quote)
        {
            continue;
        }
        let owner_tag = dom.elements.get(block.owner).map_or("", |e| e.tag);
        let score = 1.0 + commas(&block.text) as f64 + (block.chars as f64 / 100.0).min(3.0);
        // The scored element is the paragraph; its score goes to its ancestors. Text directly
        // in a div is a paragraph of its own inside that div.
        let mut ancestor = if is_paragraph_tag(owner_tag) {
            dom.elements.get(block.owner).and_then(|e| e.parent)
        } else {
            Some(block.owner)
        };
        let mut level = 0usize;
        while let Some(a) = ancestor {
            if level >= 5 {
                break;
            }
            let Some(el) = dom.elements.get(a) else { break };
            if matches!(el.tag, "html") {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            if let Some(slot) = scores.get_mut(a) {
                let base = slot.get_or_insert_with(|| {
                    tag_base_score(el.tag)
                        + f64::from(el.class.weight)
                        + if el.article_body { 60.0 } else { 0.0 }
                });
                *base += score / divider;
            }
            ancestor = el.parent;
            level += 1;
        }
    }
    // Final scores: scaled by (1 - link density).
    let final_score = |i: usize| -> Option<f64> {
        let raw = scores.get(i).copied().flatten()?;
        let el = dom.elements.get(i)?;
        let chars = analysis.range_chars(el.first_block, el.end_block);
        if chars == 0 || analysis.dropped.get(i).copied().unwrap_or(true) {
            return None;
        }
        let density = analysis.range_links(el.first_block, el.end_block) as f64 / chars as f64;
        Some(raw * (1.0 - density))
    };
    let mut ranked: Vec<(usize, f64)> = (0..n)
        .filter_map(|i| final_score(i).map(|s| (i, s)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if std::env::var_os("DOCFACTS_HTML_DEBUG").is_some() {
        for &(i, score) in ranked.iter().take(8) {
            if let Some(e) = dom.elements.get(i) {
                let first = dom
                    .blocks
                    .get(e.first_block)
                    .map_or("", |b| b.text.as_str());
                let _ = writeln!(
                    std::io::stderr(),
                    "candidate {i} <{}> score {score:.1} weight {} blocks {}..{}: {:.60}",
                    e.tag,
                    e.class.weight,
                    e.first_block,
                    e.end_block,
                    first
                );
            }
        }
    }
    let mut mask = vec![false; dom.blocks.len()];
    let Some(&(mut top, mut top_score)) = ranked.first() else {
        // Nothing scored: the whole body.
        mask.iter_mut().for_each(|m| *m = true);
        return mask;
    };

    // Readability: when several of the best candidates share an ancestor, that ancestor is
    // the article (a body split into several wrappers).
    let alternatives: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(_, s)| *s >= 0.75 * top_score)
        .map(|&(i, _)| i)
        .collect();
    if alternatives.len() >= 3 {
        let mut ancestor = dom.elements.get(top).and_then(|e| e.parent);
        let mut steps = 0;
        while let Some(a) = ancestor {
            if steps > 50 || dom.elements.get(a).is_some_and(|e| e.tag == "body") {
                break;
            }
            let containing = alternatives
                .iter()
                .filter(|&&alt| is_ancestor(dom, a, alt))
                .count();
            if containing >= 3 {
                top = a;
                top_score = final_score(a).unwrap_or(top_score);
                break;
            }
            ancestor = dom.elements.get(a).and_then(|e| e.parent);
            steps += 1;
        }
    }
    // Readability: climb while the parent scores higher (the top candidate was one part).
    {
        let threshold = top_score / 3.0;
        let mut last = top_score;
        let mut ancestor = dom.elements.get(top).and_then(|e| e.parent);
        let mut steps = 0;
        while let Some(a) = ancestor {
            if steps > 50 || dom.elements.get(a).is_none_or(|e| e.tag == "body") {
                break;
            }
            steps += 1;
            let Some(score) = final_score(a) else {
                ancestor = dom.elements.get(a).and_then(|e| e.parent);
                continue;
            };
            if score < threshold {
                break;
            }
            if score > last {
                top = a;
                top_score = score;
                break;
            }
            last = score;
            ancestor = dom.elements.get(a).and_then(|e| e.parent);
        }
    }
    // An article split into separate wrappers (an ad or a pull quote between them): a strong
    // candidate outside the top one, joined to it a few levels up, is part of the same body.
    for &(other, score) in ranked.iter().take(6) {
        if score < SPLIT_SEGMENT_SHARE * top_score
            || is_ancestor(dom, top, other)
            || is_ancestor(dom, other, top)
            || other == top
        {
            continue;
        }
        let mut ancestor = dom.elements.get(top).and_then(|e| e.parent);
        for _ in 0..SPLIT_SEGMENT_LEVELS {
            let Some(a) = ancestor else { break };
            if dom
                .elements
                .get(a)
                .is_none_or(|e| matches!(e.tag, "body" | "html"))
            {
                break;
            }
            if is_ancestor(dom, a, other) {
                top = a;
                top_score = top_score.max(final_score(a).unwrap_or(top_score));
                break;
            }
            ancestor = dom.elements.get(a).and_then(|e| e.parent);
        }
    }
    // A weak top candidate inside a semantic <main>/<article> with little link text: the page
    // is made of several short sections (a landing page), and the semantic container is the
    // content.
    if top_score < WEAK_TOP_SCORE {
        let mut ancestor = dom.elements.get(top).and_then(|e| e.parent);
        let mut steps = 0;
        while let Some(a) = ancestor {
            let Some(el) = dom.elements.get(a) else { break };
            if steps > MAX_ANCESTOR_STEPS || matches!(el.tag, "body" | "html") {
                break;
            }
            if matches!(el.tag, "main" | "article") {
                let chars = analysis.range_chars(el.first_block, el.end_block);
                let links = analysis.range_links(el.first_block, el.end_block);
                if chars > 0 && (links as f64) < 0.25 * chars as f64 {
                    top = a;
                }
                break;
            }
            ancestor = el.parent;
            steps += 1;
        }
    }
    let Some(top_el) = dom.elements.get(top) else {
        return mask;
    };
    mark(&mut mask, top_el.first_block, top_el.end_block);

    // Siblings that look like more of the same article.
    if let Some(parent) = top_el.parent {
        let sibling_threshold = (top_score * 0.2).max(10.0);
        for (i, el) in dom.elements.iter().enumerate().skip(top + 1) {
            if el.first_block >= dom.elements.get(parent).map_or(0, |p| p.end_block) {
                break;
            }
            if el.parent != Some(parent) || analysis.dropped.get(i).copied().unwrap_or(true) {
                continue;
            }
            let mut include = final_score(i).is_some_and(|s| s >= sibling_threshold);
            if !include && el.tag == "p" {
                let chars = analysis.range_chars(el.first_block, el.end_block);
                let links = analysis.range_links(el.first_block, el.end_block);
                let density = if chars == 0 {
                    1.0
                } else {
                    links as f64 / chars as f64
                };
                include = chars > 80 && density < 0.25;
            }
            if include {
                mark(&mut mask, el.first_block, el.end_block);
            }
        }
        // Earlier siblings too (a lede paragraph before the body wrapper).
        for (i, el) in dom.elements.iter().enumerate().take(top).skip(parent + 1) {
            if el.parent != Some(parent) || analysis.dropped.get(i).copied().unwrap_or(true) {
                continue;
            }
            if final_score(i).is_some_and(|s| s >= sibling_threshold) {
                mark(&mut mask, el.first_block, el.end_block);
            }
        }
    }
    add_prelude(dom, analysis, top, &mut mask);
    mask
}

fn mark(mask: &mut [bool], first: usize, end: usize) {
    for m in mask.iter_mut().take(end).skip(first) {
        *m = true;
    }
}

fn is_ancestor(dom: &Dom<'_>, ancestor: usize, node: usize) -> bool {
    match (dom.elements.get(ancestor), dom.elements.get(node)) {
        (Some(a), Some(n)) => {
            ancestor < node
                && a.first_block <= n.first_block
                && n.end_block <= a.end_block
                && n.first_block < a.end_block
        }
        _ => false,
    }
}

/// Adds the headline block(s) that precede the container: climbing at most three levels, the
/// blocks between an ancestor's start and the container are taken when they hold an h1/h2 and
/// are short compared with the article (kicker, dateline, headline, lede).
fn add_prelude(dom: &Dom<'_>, analysis: &Analysis, top: usize, mask: &mut [bool]) {
    let Some(first_selected) = mask.iter().position(|&m| m) else {
        return;
    };
    let selected_chars: usize = dom
        .blocks
        .iter()
        .zip(mask.iter())
        .filter(|&(b, &m)| m && !analysis.block_dropped(b))
        .map(|(b, _)| b.chars)
        .sum();
    let mut ancestor = dom.elements.get(top).and_then(|e| e.parent);
    for _ in 0..3 {
        let Some(a) = ancestor else { return };
        let Some(el) = dom.elements.get(a) else {
            return;
        };
        if el.tag == "body" || el.tag == "html" {
            return;
        }
        let start = el.first_block;
        let prelude: Vec<usize> = (start..first_selected)
            .filter(|&i| {
                dom.blocks
                    .get(i)
                    .is_some_and(|b| !analysis.block_dropped(b))
            })
            .collect();
        let chars: usize = prelude
            .iter()
            .filter_map(|&i| dom.blocks.get(i))
            .map(|b| b.chars)
            .sum();
        let links: usize = prelude
            .iter()
            .filter_map(|&i| dom.blocks.get(i))
            .map(|b| b.link_chars)
            .sum();
        if chars as f64 > 300.0 + 0.25 * selected_chars as f64 || links * 3 > chars.max(1) {
            return;
        }
        let headline = prelude
            .iter()
            .filter_map(|&i| dom.blocks.get(i))
            .any(|b| b.kind == BlockKind::Heading && b.level.is_some_and(|l| l <= 2));
        if headline {
            for i in prelude {
                if let Some(m) = mask.get_mut(i) {
                    *m = true;
                }
            }
            return;
        }
        ancestor = el.parent;
    }
}

/// Keeps the masked blocks that pass the block filters.
fn filter_blocks(dom: &Dom<'_>, analysis: &Analysis, mask: &[bool]) -> Vec<usize> {
    let rules = rules();
    let mut out: Vec<usize> = Vec::new();
    for (i, block) in dom.blocks.iter().enumerate() {
        if !mask.get(i).copied().unwrap_or(false) || analysis.block_dropped(block) {
            continue;
        }
        let density = block.link_chars as f64 / block.chars.max(1) as f64;
        let link_heavy = if block.kind == BlockKind::Table {
            density > 0.5
        } else if block.chars < 200 {
            density > 0.8
        } else {
            density > 0.5
        };
        if link_heavy || rules.is_boilerplate_phrase(&block.text) {
            continue;
        }
        out.push(i);
    }
    // A heading with nothing after it titles something that was removed ("Related", "Comments").
    while out
        .last()
        .and_then(|&i| dom.blocks.get(i))
        .is_some_and(|b| b.kind == BlockKind::Heading)
    {
        out.pop();
    }
    out
}
