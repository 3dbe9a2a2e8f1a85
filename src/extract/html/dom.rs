//! Flattens the parsed page into an element arena and a list of text blocks, in one iterative
//! walk (no recursion: nesting depth is unbounded in hostile pages).
//!
//! Elements are stored in document (pre-order) order, so a parent always has a smaller index
//! than its children and an element's blocks are the contiguous range
//! `blocks[first_block..end_block]`. Hard boilerplate (scripts, styles, hidden elements, inline
//! boilerplate) is skipped during the walk; container-level decisions that need subtree
//! statistics (nav, aside, sidebars…) are recorded as flags and taken later by `content`.

use super::rules::{ClassVerdict, rules};
use crate::model::BlockKind;
use ego_tree::iter::Edge;
use scraper::{Html, Node};
// FxHash: these maps are looked up per word, glyph or element; SipHash was a visible cost.
use rustc_hash::FxHashMap as HashMap;

/// One element of the page.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    pub parent: Option<usize>,
    pub tag: &'a str,
    pub class: ClassVerdict,
    /// nav, aside, footer, form…: boilerplate by tag, unless it holds most of the text.
    pub tag_drop: bool,
    /// `<header>`: boilerplate unless it holds a headline.
    pub header: bool,
    /// `itemprop=articleBody` or similar.
    pub article_body: bool,
    pub first_block: usize,
    pub end_block: usize,
}

/// A run of text of one block-level element.
#[derive(Debug, Clone)]
pub struct RawBlock {
    /// The block-level element whose own (inline) text this is.
    pub owner: usize,
    pub kind: BlockKind,
    pub level: Option<u8>,
    /// Whitespace-collapsed text; lines (from `<br>`) separated by '\n', each trimmed.
    pub text: String,
    /// Characters of `text`.
    pub chars: usize,
    /// Characters inside navigational links (not `mailto:`/`tel:`).
    pub link_chars: usize,
    /// `(start, end, href)`: byte spans of anchor texts in `text`.
    pub links: Vec<(usize, usize, String)>,
    /// Number of table cells that contributed text (table rows).
    pub cells: usize,
    /// For list items and table rows: the list or table they belong to (consecutive blocks of
    /// one group are written one per line, without a blank line between them).
    pub group: Option<usize>,
}

/// The flattened page.
#[derive(Debug, Default)]
pub struct Dom<'a> {
    pub elements: Vec<Element<'a>>,
    pub blocks: Vec<RawBlock>,
    /// The walk stopped at the node limit.
    pub truncated: bool,
    /// Index of `<body>`, if any.
    pub body: Option<usize>,
}

/// Elements whose whole subtree carries no main text.
fn is_skipped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            // MathML is text, but not its annotations (the TeX source, not rendered).
            | "annotation"
            | "annotation-xml"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "head"
            | "title"
            | "select"
            | "option"
            | "textarea"
            | "button"
            | "input"
            | "map"
            | "link"
            | "meta"
            | "img"
            | "picture"
            | "source"
            | "dialog"
    )
}

/// Elements that start and end a block of text.
fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "ul"
            | "caption"
            | "legend"
            | "frameset"
            | "noframes"
    )
}

/// Boilerplate by tag (decided later, with the share-of-text guard). Figures are images with
/// their captions and photo credits, which are not the article's text.
fn is_boilerplate_tag(tag: &str) -> bool {
    matches!(
        tag,
        "nav" | "aside" | "footer" | "form" | "menu" | "figure" | "figcaption"
    )
}

fn is_boilerplate_role(role: &str) -> bool {
    matches!(
        role.trim().to_ascii_lowercase().as_str(),
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "menu"
            | "menubar"
            | "search"
            | "dialog"
            | "alertdialog"
            | "alert"
            | "toolbar"
            | "tablist"
    )
}

/// Inline elements that never hold main text themselves when their class/id says boilerplate.
fn is_inline(tag: &str) -> bool {
    !is_block_tag(tag) && !matches!(tag, "td" | "th")
}

/// The attributes the extraction reads of every element, found in one pass over the
/// element's attributes. `Element::attr` makes an interned atom of the name it is asked for on
/// every call; asking it for eight names per element was a few per cent of a run.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CommonAttrs<'a> {
    pub hidden: bool,
    pub aria_hidden: Option<&'a str>,
    pub style: Option<&'a str>,
    pub class: Option<&'a str>,
    pub id: Option<&'a str>,
    pub role: Option<&'a str>,
    pub href: Option<&'a str>,
    pub itemprop: Option<&'a str>,
    pub rel: Option<&'a str>,
}

impl<'a> CommonAttrs<'a> {
    pub(crate) fn of(el: &'a scraper::node::Element) -> Self {
        let mut attrs = CommonAttrs::default();
        for (key, value) in &el.attrs {
            // `Element::attr` answers for attributes in no namespace only (not `xlink:href`).
            if !key.ns.is_empty() {
                continue;
            }
            let value: &str = value;
            let slot = match &*key.local {
                "hidden" => {
                    attrs.hidden = true;
                    continue;
                }
                "aria-hidden" => &mut attrs.aria_hidden,
                "style" => &mut attrs.style,
                "class" => &mut attrs.class,
                "id" => &mut attrs.id,
                "role" => &mut attrs.role,
                "href" => &mut attrs.href,
                "itemprop" => &mut attrs.itemprop,
                "rel" => &mut attrs.rel,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        attrs
    }

    /// `hidden`, `aria-hidden=true`, `display:none`, `visibility:hidden`.
    fn is_hidden(&self) -> bool {
        if self.hidden {
            return true;
        }
        if self
            .aria_hidden
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return true;
        }
        if let Some(style) = self.style {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return true;
            }
        }
        false
    }
}

fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// A finished block of text, before it gets its owner and kind.
struct TakenBlock {
    text: String,
    link_chars: usize,
    links: Vec<(usize, usize, String)>,
    cells: usize,
}

/// Builds the text of the block being read, collapsing whitespace on the fly.
#[derive(Debug, Default)]
struct BlockBuilder {
    text: String,
    /// A collapsible space is pending (written before the next visible character).
    space: bool,
    link_chars: usize,
    links: Vec<(usize, usize, String)>,
    /// The open link: href, start once its first visible character is written, navigational.
    open_link: Option<(String, Option<usize>, bool)>,
    cells: usize,
    cell_has_text: bool,
}

impl BlockBuilder {
    fn push_text(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            match c {
                '\n' if pre => self.newline(),
                ' ' | '\t' | '\n' | '\r' | '\u{c}' => self.space = true,
                // Zero-width characters and soft hyphens carry no text.
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
                c if c.is_whitespace() && c != '\u{a0}' => self.space = true,
                c if c.is_control() => {}
                c => self.push_visible(c),
            }
        }
    }

    fn push_visible(&mut self, c: char) {
        let at_line_start = self.text.is_empty() || self.text.ends_with('\n');
        if self.space && !at_line_start {
            self.text.push(' ');
        }
        self.space = false;
        if c == '\u{a0}' && at_line_start {
            // A non-breaking space at the start of a line is indentation.
            return;
        }
        if let Some((_, start @ None, _)) = &mut self.open_link {
            *start = Some(self.text.len());
        }
        if let Some((_, Some(_), true)) = &self.open_link {
            self.link_chars += 1;
        }
        self.text.push(c);
        self.cell_has_text = true;
    }

    fn newline(&mut self) {
        while self.text.ends_with([' ', '\u{a0}']) {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.space = false;
    }

    fn start_cell(&mut self) {
        if self.cell_has_text {
            self.cells += 1;
            self.space = false;
            self.text.push_str(" | ");
        }
        self.cell_has_text = false;
    }

    fn open_link(&mut self, href: &str) {
        self.close_link();
        let href = href.trim();
        let lower = href.to_ascii_lowercase();
        let navigational = !(lower.starts_with("mailto:") || lower.starts_with("tel:"));
        self.open_link = Some((href.to_string(), None, navigational));
    }

    fn close_link(&mut self) {
        if let Some((href, Some(start), _)) = self.open_link.take() {
            let end = self.text.trim_end().len();
            if end > start {
                self.links.push((start, end, href));
            }
        }
    }

    /// Takes the block read so far, leaving an open link open in the next block.
    fn take(&mut self) -> Option<TakenBlock> {
        let reopen = self.open_link.as_ref().map(|(h, _, _)| h.clone());
        self.close_link();
        let mut text = std::mem::take(&mut self.text);
        // Table separators and line breaks at the end are not text.
        loop {
            let trimmed = text.trim_end().trim_end_matches(" |").trim_end();
            if trimmed.len() == text.len() {
                break;
            }
            let len = trimmed.len();
            text.truncate(len);
        }
        let links = std::mem::take(&mut self.links)
            .into_iter()
            .filter_map(|(s, e, h)| {
                let e = e.min(text.len());
                (s < e && text.is_char_boundary(s) && text.is_char_boundary(e)).then_some((s, e, h))
            })
            .collect();
        let link_chars = std::mem::take(&mut self.link_chars);
        let cells = std::mem::take(&mut self.cells) + usize::from(self.cell_has_text);
        self.space = false;
        self.cell_has_text = false;
        if let Some(href) = reopen {
            self.open_link(&href);
        }
        if text.chars().any(char::is_alphanumeric) {
            Some(TakenBlock {
                text,
                link_chars,
                links,
                cells,
            })
        } else {
            None
        }
    }
}

/// Walks the page. Stops (with `truncated`) after `max_nodes` nodes.
pub fn flatten(html: &Html, max_nodes: usize) -> Dom<'_> {
    let rules = rules();
    let mut dom = Dom::default();
    // Open elements: (arena index, is block-level).
    let mut stack: Vec<(usize, bool)> = Vec::new();
    // Nesting counters of the open elements that change how text is read.
    let mut pre_depth = 0usize;
    let mut quote_depth = 0usize;
    let mut builder = BlockBuilder::default();
    // While Some, every edge is ignored until this node closes.
    let mut skip_until: Option<ego_tree::NodeId> = None;
    let mut visited = 0usize;
    // Pages repeat the same class/id combinations many times: classify each once.
    let mut verdicts: HashMap<(&str, &str), ClassVerdict> = HashMap::default();

    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_until.is_some() {
                    continue;
                }
                visited += 1;
                if visited > max_nodes {
                    dom.truncated = true;
                    break;
                }
                match node.value() {
                    Node::Text(text) => {
                        builder.push_text(text, pre_depth > 0);
                    }
                    Node::Element(el) => {
                        let tag = el.name();
                        let attrs = CommonAttrs::of(el);
                        if is_skipped_tag(tag) || attrs.is_hidden() {
                            skip_until = Some(node.id());
                            continue;
                        }
                        let (class_attr, id_attr) = (attrs.class, attrs.id);
                        let class = if pre_depth > 0 || (class_attr.is_none() && id_attr.is_none())
                        {
                            ClassVerdict::default()
                        } else {
                            *verdicts
                                .entry((class_attr.unwrap_or(""), id_attr.unwrap_or("")))
                                .or_insert_with(|| rules.classify_memo(class_attr, id_attr))
                        };
                        let role_drop = attrs.role.is_some_and(is_boilerplate_role);
                        if is_inline(tag) && (class.drop || role_drop) && tag != "a" {
                            skip_until = Some(node.id());
                            continue;
                        }
                        if tag == "br" {
                            builder.newline();
                            continue;
                        }
                        let block = is_block_tag(tag);
                        if block {
                            flush(&mut dom, &stack, &mut builder, pre_depth, quote_depth);
                        }
                        if matches!(tag, "td" | "th") {
                            builder.start_cell();
                        }
                        if tag == "a"
                            && let Some(href) = attrs.href
                        {
                            builder.open_link(href);
                        }
                        if tag == "pre" {
                            pre_depth += 1;
                        }
                        if tag == "blockquote" {
                            quote_depth += 1;
                        }
                        let article_body = attrs
                            .itemprop
                            .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
                        let index = dom.elements.len();
                        if tag == "body" && dom.body.is_none() {
                            dom.body = Some(index);
                        }
                        dom.elements.push(Element {
                            parent: stack.last().map(|&(i, _)| i),
                            tag,
                            class,
                            tag_drop: is_boilerplate_tag(tag) || role_drop,
                            header: tag == "header",
                            article_body,
                            first_block: dom.blocks.len(),
                            end_block: dom.blocks.len(),
                        });
                        stack.push((index, block));
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip_until {
                    if id == node.id() {
                        skip_until = None;
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else {
                    continue;
                };
                let tag = el.name();
                if tag == "br" {
                    continue;
                }
                // Only elements pushed at Open are on the stack; match by tag (the stack top is
                // always this element, since skipped subtrees never push).
                let Some(&(index, block)) = stack.last() else {
                    continue;
                };
                if dom.elements.get(index).map(|e| e.tag) != Some(tag) {
                    continue;
                }
                if block {
                    flush(&mut dom, &stack, &mut builder, pre_depth, quote_depth);
                }
                if tag == "a" {
                    builder.close_link();
                }
                if tag == "pre" {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if tag == "blockquote" {
                    quote_depth = quote_depth.saturating_sub(1);
                }
                let end = dom.blocks.len();
                if let Some(e) = dom.elements.get_mut(index) {
                    e.end_block = end;
                }
                stack.pop();
            }
        }
    }
    flush(&mut dom, &stack, &mut builder, pre_depth, quote_depth);
    // Elements left open by truncation end at the last block.
    let end = dom.blocks.len();
    for &(index, _) in &stack {
        if let Some(e) = dom.elements.get_mut(index) {
            e.end_block = end;
        }
    }
    dom
}

/// Ends the current block: its owner is the innermost open block-level element.
fn flush(
    dom: &mut Dom<'_>,
    stack: &[(usize, bool)],
    builder: &mut BlockBuilder,
    pre_depth: usize,
    quote_depth: usize,
) {
    let Some(TakenBlock {
        text,
        link_chars,
        links,
        cells,
    }) = builder.take()
    else {
        return;
    };
    let Some(owner) = stack
        .iter()
        .rev()
        .find(|(_, block)| *block)
        .map(|&(i, _)| i)
    else {
        return;
    };
    let owner_tag = dom.elements.get(owner).map_or("", |e| e.tag);
    // The closest list item or heading among the open elements gives the kind.
    let mut kind = BlockKind::Paragraph;
    let mut level = None;
    for &(i, _) in stack.iter().rev() {
        let Some(tag) = dom.elements.get(i).map(|e| e.tag) else {
            continue;
        };
        if let Some(l) = heading_level(tag) {
            kind = BlockKind::Heading;
            level = Some(l);
            break;
        }
        match tag {
            "li" | "dd" | "dt" => {
                kind = BlockKind::ListItem;
                break;
            }
            "figcaption" | "caption" => {
                kind = BlockKind::Caption;
                break;
            }
            "p" | "pre" | "blockquote" | "table" | "ul" | "ol" | "dl" | "article" | "section"
            | "main" | "body" => break,
            _ => {}
        }
    }
    if kind == BlockKind::Paragraph && quote_depth > 0 {
        kind = BlockKind::Quote;
    }
    if kind == BlockKind::Paragraph && owner_tag == "tr" && cells > 1 {
        kind = BlockKind::Table;
    }
    let group_tags: &[&str] = match kind {
        BlockKind::ListItem => &["ul", "ol", "dl", "menu"],
        BlockKind::Table => &["table"],
        _ => &[],
    };
    let group = stack.iter().rev().map(|&(i, _)| i).find(|&i| {
        dom.elements
            .get(i)
            .is_some_and(|e| group_tags.contains(&e.tag))
    });
    let _ = pre_depth;
    let chars = text.chars().count();
    dom.blocks.push(RawBlock {
        owner,
        kind,
        level,
        text,
        chars,
        link_chars: link_chars.min(chars),
        links,
        cells,
        group,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(BlockKind, String)> {
        let html = Html::parse_document(html);
        let dom = flatten(&html, 10_000);
        dom.blocks.into_iter().map(|b| (b.kind, b.text)).collect()
    }

    #[test]
    fn common_attributes_are_those_attr_reads() {
        let html = Html::parse_document(
            "<body><p id=a CLASS='x y' hidden aria-hidden=' TRUE ' style='Display : none' \
             role=navigation itemprop=articleBody rel=author href=/p>t</p>\
             <svg><a xlink:href='/svg' href='/plain'>s</a></svg><div>u</div></body>",
        );
        for node in html.tree.nodes() {
            let Node::Element(el) = node.value() else {
                continue;
            };
            let attrs = CommonAttrs::of(el);
            for (name, got) in [
                ("aria-hidden", attrs.aria_hidden),
                ("style", attrs.style),
                ("class", attrs.class),
                ("id", attrs.id),
                ("role", attrs.role),
                ("href", attrs.href),
                ("itemprop", attrs.itemprop),
                ("rel", attrs.rel),
            ] {
                assert_eq!(got, el.attr(name), "{name} of <{}>", el.name());
            }
            assert_eq!(attrs.hidden, el.attr("hidden").is_some());
            assert_eq!(attrs.is_hidden(), el.name() == "p");
        }
    }

    #[test]
    fn blocks_and_kinds() {
        let got = blocks(
            "<body><h2>Titre</h2><p>Un <b>texte</b>\n  ici.<br>Ligne 2</p>\
             <ul><li>un</li><li>deux <a href='/x'>lien</a></li></ul>\
             <blockquote><p>cité</p></blockquote>\
             <table><tr><td>a</td><td>b</td></tr></table>\
             <script>var x = 1;</script><div style='display: none'>caché</div></body>",
        );
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading, "Titre".to_string()),
                (BlockKind::Paragraph, "Un texte ici.\nLigne 2".to_string()),
                (BlockKind::ListItem, "un".to_string()),
                (BlockKind::ListItem, "deux lien".to_string()),
                (BlockKind::Quote, "cité".to_string()),
                (BlockKind::Table, "a | b".to_string()),
            ]
        );
    }

    #[test]
    fn links_have_spans() {
        let html = Html::parse_document(
            "<p>Écrire à <a href='mailto:a@b.fr'>a@b.fr</a> ou <a href='/p'> la page </a>.</p>",
        );
        let dom = flatten(&html, 10_000);
        let block = &dom.blocks[0];
        assert_eq!(block.text, "Écrire à a@b.fr ou la page .");
        let spans: Vec<&str> = block
            .links
            .iter()
            .map(|(s, e, _)| &block.text[*s..*e])
            .collect();
        assert_eq!(spans, vec!["a@b.fr", "la page"]);
        // mailto: is not navigation; link characters are the visible ones ("lapage").
        assert_eq!(block.link_chars, 6);
    }

    #[test]
    fn node_limit_truncates() {
        let page = format!("<body>{}</body>", "<p>x</p>".repeat(1000));
        let html = Html::parse_document(&page);
        let dom = flatten(&html, 100);
        assert!(dom.truncated);
        assert!(dom.blocks.len() < 100);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let page = format!(
            "{}texte profond{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let html = Html::parse_document(&page);
        let dom = flatten(&html, 1_000_000);
        assert!(dom.blocks.iter().any(|b| b.text == "texte profond"));
    }
}
