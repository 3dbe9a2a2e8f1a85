//! HTML: charset decoding (WHATWG), main content, blocks, links and page metadata.
//!
//! `decode` picks the charset and decodes; `scraper` (html5ever) parses; `dom` flattens the
//! tree into elements and text blocks in one iterative walk; `content` chooses the main-content
//! blocks; `meta` reads the declared metadata. This module assembles the [`Extracted`] text:
//! blocks separated by a blank line, the items of one list (rows of one table) one per line.

pub mod content;
pub mod decode;
pub mod dom;
pub mod main_text;
pub mod meta;
pub mod rules;
pub mod warc;

use crate::limits::Limits;
use crate::model::{Block, BlockKind, Extracted, Link, Problem, SourceKind, Stage};
use scraper::Html;

/// Extracts the main content of an HTML page.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, Problem> {
    extract_with(bytes, None, None, limits)
}

/// Extracts the main content of an HTML page, with what the transport said about it: the
/// `charset` of its HTTP `Content-Type` and its URL (e.g. from a WARC record).
pub fn extract_with(
    bytes: &[u8],
    transport_charset: Option<&str>,
    url: Option<&str>,
    limits: &Limits,
) -> Result<Extracted, Problem> {
    let mut out = Extracted::new(SourceKind::Html);
    let decoded = decode::decode(bytes, transport_charset);
    if decoded.had_errors {
        out.warnings.push(Problem::new(
            Stage::Html,
            format!(
                "malformed {} byte sequences replaced by U+FFFD",
                decoded.encoding_name()
            ),
        ));
    }
    if decoded.source == decode::EncodingSource::Utf8OverDeclared {
        out.warnings.push(Problem::new(
            Stage::Html,
            "declared charset contradicted by the bytes: decoded as utf-8",
        ));
    }
    if decoded.removed_controls > 0 {
        out.warnings.push(Problem::new(
            Stage::Html,
            format!(
                "{} control characters removed (undefined in {})",
                decoded.removed_controls,
                decoded.encoding_name()
            ),
        ));
    }
    out.encoding = Some(decoded.encoding_name());

    let html = Html::parse_document(&decoded.text);
    let (meta, base) = meta::read(&html, url);
    out.meta = meta;
    let dom = dom::flatten(&html, limits.max_html_nodes);
    if dom.truncated {
        out.warnings.push(Problem::new(
            Stage::Html,
            format!(
                "page has more than {} nodes: the rest was not read",
                limits.max_html_nodes
            ),
        ));
    }
    let selected = content::select(&dom);
    assemble(&mut out, &dom, &selected, base.as_ref(), limits);
    Ok(out)
}

/// Writes the selected blocks into the text, with their spans and links.
fn assemble(
    out: &mut Extracted,
    dom: &dom::Dom<'_>,
    selected: &[usize],
    base: Option<&url::Url>,
    limits: &Limits,
) {
    let mut previous_group: Option<usize> = None;
    for &index in selected {
        let Some(block) = dom.blocks.get(index) else {
            continue;
        };
        let separator = if out.text.is_empty() {
            ""
        } else if block.group.is_some() && block.group == previous_group {
            "\n"
        } else {
            "\n\n"
        };
        if out.text.len() + separator.len() + block.text.len() > limits.max_text_bytes {
            out.warnings.push(Problem::new(
                Stage::Html,
                format!(
                    "main text longer than {} bytes: truncated",
                    limits.max_text_bytes
                ),
            ));
            break;
        }
        out.text.push_str(separator);
        let start = out.text.len();
        out.text.push_str(&block.text);
        let mut b = Block::new(block.kind, start, out.text.len());
        if block.kind == BlockKind::Heading {
            b.level = block.level;
        }
        out.blocks.push(b);
        for (s, e, href) in &block.links {
            if let Some(href) = resolve(href, base) {
                out.links.push(Link {
                    start: start + s,
                    end: start + e,
                    href,
                });
            }
        }
        previous_group = block.group;
    }
}

/// An absolute link target, or None for links that lead nowhere (`#`, `javascript:`).
fn resolve(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty() || href.starts_with('#') || lower.starts_with("javascript:") {
        return None;
    }
    if let Ok(absolute) = url::Url::parse(href) {
        return Some(absolute.to_string());
    }
    match base.and_then(|b| b.join(href).ok()) {
        Some(joined) => Some(joined.to_string()),
        None => Some(href.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!(
            "<html lang=fr><head><title>T</title><link rel=canonical href='https://ex.fr/a/b'></head><body>\
             <nav><ul><li><a href='/'>Accueil</a></li><li><a href='/x'>Rubrique</a></li></ul></nav>\
             <div class=content>{body}</div>\
             <div class=share><a href='https://fb.com/share'>Partager sur Facebook</a></div>\
             <footer><p>Mentions légales, plan du site, contact et accessibilité du site.</p></footer></body></html>"
        )
    }

    #[test]
    fn main_text_blocks_and_links() {
        let para = "Le conseil municipal a voté, après un long débat, le budget de l'année prochaine, qui prévoit des investissements importants.";
        let html = page(&format!(
            "<h1>Budget voté</h1><p>{para}</p><ul><li>Écoles</li><li>Voirie</li></ul>\
             <p>{para} Contact : <a href='mailto:presse@ex.fr'>presse@ex.fr</a>, <a href='../doc.pdf'>le document</a>.</p>"
        ));
        let out = extract(html.as_bytes(), &Limits::default()).expect("extract");
        assert_eq!(
            out.text,
            format!(
                "Budget voté\n\n{para}\n\nÉcoles\nVoirie\n\n{para} Contact : presse@ex.fr, le document."
            )
        );
        let kinds: Vec<BlockKind> = out.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(out.blocks[0].level, Some(1));
        let links: Vec<(&str, &str)> = out
            .links
            .iter()
            .map(|l| (&out.text[l.start..l.end], l.href.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                ("presse@ex.fr", "mailto:presse@ex.fr"),
                ("le document", "https://ex.fr/doc.pdf")
            ]
        );
        assert_eq!(out.meta.language.as_deref(), Some("fr"));
        assert_eq!(out.encoding.as_deref(), Some("utf-8"));
    }

    #[test]
    fn garbage_does_not_panic() {
        for input in [
            &b""[..],
            b"\x00\x01\x02\xff\xfe",
            b"<<<>>><p",
            b"<html><body><table><tr><td><p>x</td></tr></table>",
            b"\xff\xfe<\x00p\x00>\x00",
        ] {
            let out = extract(input, &Limits::default()).expect("extract");
            assert!(!out.text.contains('\u{0}'));
        }
    }
}
