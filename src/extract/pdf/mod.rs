//! PDF: a content-stream interpreter and layout on top of lopdf's parsing.
//!
//! lopdf loads the file (xref repair, decryption with the empty password, decompression); the
//! rest is ours: [`interp`] runs each page's content stream (and its Form XObjects) into
//! positioned glyphs decoded by [`fonts`], [`layout`] groups them into lines and blocks, and
//! this module assembles the document text, blocks, links and metadata.

mod cmap;
mod fonts;
mod glyphs;
mod interp;
mod layout;
mod std14;
mod tables;

use crate::limits::Limits;
use crate::model::{Block, BlockKind, DeclaredMeta, Extracted, Link, Problem, SourceKind, Stage};
use fonts::FontCache;
use interp::{InterpLimits, Interpreter, Matrix, PageGlyphs};
use layout::LayoutBlock;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

/// A URI link annotation of a page, its rectangle in the page's upright space.
struct PageLink {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    href: String,
}

/// What one page gave.
struct PageResult {
    glyphs: PageGlyphs,
    height: f32,
    links: Vec<PageLink>,
}

/// Extracts the text layer of a PDF in reading order, with blocks that carry their page.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, Problem> {
    let max_stream = usize::try_from(limits.max_decoded_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(max_stream),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| Problem::new(Stage::Pdf, format!("cannot read the PDF structure: {e}")))?;
    if doc.is_encrypted() && doc.authenticate_password("").is_err() {
        return Err(Problem::new(
            Stage::Pdf,
            "the PDF is encrypted and needs a password (the empty user password was refused)",
        ));
    }
    let mut out = Extracted::new(SourceKind::PdfText);
    if doc.xref_recovery.is_some() {
        out.warnings.push(Problem::new(
            Stage::Pdf,
            "damaged cross-reference table: objects were recovered by scanning the file",
        ));
    }
    out.meta = read_meta(&doc);
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Problem::new(Stage::Pdf, "the PDF has no readable pages"));
    }
    let total_pages = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    out.pages = Some(total_pages);
    if total_pages > limits.max_pages {
        out.warnings.push(Problem::new(
            Stage::Pdf,
            format!(
                "page limit reached: only the first {} of {total_pages} pages were read",
                limits.max_pages
            ),
        ));
    }

    let interp_limits = InterpLimits {
        max_operators: limits.max_operators_per_page,
        max_form_depth: limits.max_xobject_depth,
        max_stream_bytes: max_stream,
    };
    let mut fonts = FontCache::default();
    let mut results: Vec<(u32, PageResult)> = Vec::new();
    let mut form_text_pages = 0usize;
    for (&number, &page_id) in pages.iter().take(limits.max_pages as usize) {
        match read_page(&doc, page_id, &mut fonts, interp_limits) {
            Ok(result) => {
                report_page(&result.glyphs, number, limits, &mut out.warnings);
                let in_form = result.glyphs.glyphs.iter().filter(|g| g.in_form).count();
                if in_form * 2 > result.glyphs.glyphs.len() {
                    form_text_pages += 1;
                }
                results.push((number, result));
            }
            Err(problem) => out.errors.push(problem.on_page(number)),
        }
    }
    if results.is_empty() && !out.errors.is_empty() {
        let first = out
            .errors
            .first()
            .map(|p| p.message.clone())
            .unwrap_or_default();
        return Err(Problem::new(
            Stage::Pdf,
            format!("no page could be read: {first}"),
        ));
    }
    if form_text_pages > 0 {
        out.warnings.push(Problem::new(
            Stage::Pdf,
            "text layer drawn inside a Form XObject (OCRmyPDF layout)",
        ));
    }
    out.kind = detect_kind(&doc, &results);

    let heights: Vec<f32> = results.iter().map(|(_, r)| r.height).collect();
    let mut page_blocks: Vec<Vec<LayoutBlock>> = results
        .iter()
        .map(|(_, r)| {
            layout::build_blocks(layout::reorder_columns(layout::build_lines(
                &r.glyphs, &fonts,
            )))
        })
        .collect();
    layout::mark_furniture(&mut page_blocks, &heights);
    layout::classify(&mut page_blocks, &heights);
    assemble(&mut out, &results, &page_blocks, limits);
    Ok(out)
}

fn read_meta(doc: &Document) -> DeclaredMeta {
    let mut meta = DeclaredMeta::default();
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let Some(info) = info else {
        return meta;
    };
    let text = |key: &[u8]| -> Option<String> {
        let obj = info.get(key).ok()?;
        let (_, obj) = doc.dereference(obj).ok()?;
        let value = lopdf::decode_text_string(obj).ok()?;
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    };
    meta.title = text(b"Title");
    meta.author = text(b"Author");
    meta.published = text(b"CreationDate");
    meta
}

fn info_text(doc: &Document, key: &[u8]) -> String {
    doc.trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
        .and_then(|d| d.get(key).ok())
        .and_then(|o| lopdf::decode_text_string(o).ok())
        .unwrap_or_default()
}

/// OCR when most glyphs are invisible over page images, or an OCR tool made the file.
fn detect_kind(doc: &Document, results: &[(u32, PageResult)]) -> SourceKind {
    let (mut glyphs, mut invisible, mut images) = (0usize, 0usize, 0usize);
    for (_, r) in results {
        glyphs += r.glyphs.glyphs.len();
        invisible += r.glyphs.glyphs.iter().filter(|g| g.invisible).count();
        images += r.glyphs.images;
    }
    let tools = format!(
        "{} {}",
        info_text(doc, b"Creator"),
        info_text(doc, b"Producer")
    )
    .to_lowercase();
    let ocr_tool = [
        "tesseract",
        "ocrmypdf",
        "abbyy",
        "finereader",
        "omnipage",
        "readiris",
        "hocr",
    ]
    .iter()
    .any(|t| tools.contains(t));
    if (images > 0 && invisible * 2 > glyphs) || ocr_tool {
        SourceKind::PdfOcr
    } else {
        SourceKind::PdfText
    }
}

fn report_page(glyphs: &PageGlyphs, page: u32, limits: &Limits, warnings: &mut Vec<Problem>) {
    let has_text = glyphs.glyphs.iter().any(|g| g.text_end > g.text_start);
    if !has_text && glyphs.images > 0 {
        warnings.push(Problem::new(Stage::Pdf, "no text layer (image-only page)").on_page(page));
    }
    if glyphs.operator_limit_hit {
        warnings.push(
            Problem::new(
                Stage::Pdf,
                format!(
                    "operator limit ({}) reached: the rest of the page was not read",
                    limits.max_operators_per_page
                ),
            )
            .on_page(page),
        );
    }
    if glyphs.forms_skipped > 0 {
        warnings.push(
            Problem::new(
                Stage::Pdf,
                format!(
                    "{} Form XObject(s) skipped (nesting deeper than {} or a cycle)",
                    glyphs.forms_skipped, limits.max_xobject_depth
                ),
            )
            .on_page(page),
        );
    }
    if glyphs.syntax_errors > 0 {
        warnings.push(
            Problem::new(
                Stage::Pdf,
                "content stream syntax error: the text after it was not read",
            )
            .on_page(page),
        );
    }
}

fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// An inheritable page attribute (`/MediaBox`, `/CropBox`, `/Rotate`), looked up the page tree.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(obj) = node.get(key) {
            return doc.dereference(obj).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").ok()?;
        node = doc.dereference(parent).ok()?.1.as_dict().ok()?;
    }
    None
}

fn read_page(
    doc: &Document,
    page_id: ObjectId,
    fonts: &mut FontCache,
    limits: InterpLimits,
) -> Result<PageResult, Problem> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| Problem::new(Stage::Pdf, format!("page object unreadable: {e}")))?;
    let rect = |key: &[u8]| -> Option<[f32; 4]> {
        let arr = inherited(doc, page, key)?.as_array().ok()?;
        let mut v = [0f32; 4];
        for (slot, o) in v.iter_mut().zip(arr) {
            *slot = doc.dereference(o).ok().and_then(|(_, o)| number(o))?;
        }
        (arr.len() >= 4).then_some(v)
    };
    let [bx0, by0, bx1, by1] = rect(b"CropBox")
        .or_else(|| rect(b"MediaBox"))
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let (x0, x1) = (bx0.min(bx1), bx0.max(bx1));
    let (y0, y1) = (by0.min(by1), by0.max(by1));
    let (width, height) = (x1 - x0, y1 - y0);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    // Map the page into upright coordinates with the origin at the bottom-left of the crop box.
    let shift = Matrix::IDENTITY.then(&translate(-x0, -y0));
    let (base, upright_height) = match rotate {
        90 => (shift.then(&mat([0.0, -1.0, 1.0, 0.0, 0.0, width])), width),
        180 => (
            shift.then(&mat([-1.0, 0.0, 0.0, -1.0, width, height])),
            height,
        ),
        270 => (shift.then(&mat([0.0, 1.0, -1.0, 0.0, height, 0.0])), width),
        _ => (shift, height),
    };

    let content = doc
        .get_page_content_with_limit(page_id, limits.max_stream_bytes)
        .map_err(|e| {
            // lopdf reports a stream cut at the size cap as a plain decompression failure.
            let why = match e {
                lopdf::Error::Decompress(_) => format!(
                    "{e} (corrupt, or inflating past the {} MiB limit on decoded streams)",
                    limits.max_stream_bytes >> 20
                ),
                other => other.to_string(),
            };
            Problem::new(Stage::Pdf, format!("page content unreadable: {why}"))
        })?;
    let (direct, referenced) = doc
        .get_page_resources(page_id)
        .map_err(|e| Problem::new(Stage::Pdf, format!("page resources unreadable: {e}")))?;
    let mut resources: Vec<&Dictionary> = Vec::new();
    if let Some(d) = direct {
        resources.push(d);
    }
    for id in referenced {
        if let Ok(d) = doc.get_dictionary(id) {
            resources.push(d);
        }
    }
    let glyphs = Interpreter::new(doc, fonts, limits).run_page(&content, &resources, base);
    let links = page_links(doc, page, &base);
    Ok(PageResult {
        glyphs,
        height: upright_height,
        links,
    })
}

fn mat(m: [f32; 6]) -> Matrix {
    Matrix::from_array(m)
}

fn translate(x: f32, y: f32) -> Matrix {
    Matrix::from_array([1.0, 0.0, 0.0, 1.0, x, y])
}

fn page_links(doc: &Document, page: &Dictionary, base: &Matrix) -> Vec<PageLink> {
    let mut links = Vec::new();
    let Some(annots) = page
        .get(b"Annots")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_array().ok())
    else {
        return links;
    };
    for annot in annots.iter().take(10_000) {
        let Some(dict) = doc
            .dereference(annot)
            .ok()
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        if dict.get(b"Subtype").and_then(|o| o.as_name()).ok() != Some(b"Link".as_slice()) {
            continue;
        }
        let Some(action) = dict
            .get(b"A")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        let Some(href) = action
            .get(b"URI")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_str().ok())
            .map(|s| String::from_utf8_lossy(s).trim().to_string())
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let Some(rect) = dict.get(b"Rect").ok().and_then(|o| o.as_array().ok()) else {
            continue;
        };
        let v: Vec<f32> = rect
            .iter()
            .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| number(o)))
            .collect();
        let [ax, ay, bx, by] = v.as_slice() else {
            continue;
        };
        let (px, py) = base.apply(*ax, *ay);
        let (qx, qy) = base.apply(*bx, *by);
        links.push(PageLink {
            x0: px.min(qx),
            y0: py.min(qy),
            x1: px.max(qx),
            y1: py.max(qy),
            href,
        });
    }
    links
}

/// Whether a block is part of the page's running text (not furniture, not a footnote).
fn is_body(block: &LayoutBlock) -> bool {
    !block.kind.is_page_furniture() && block.kind != BlockKind::Footnote
}

/// Whether `next` (first body block of a page) continues `prev` (last body block of the page
/// before): `prev` stops mid-sentence and `next` starts in lower case.
fn continues_paragraph(prev: &LayoutBlock, next: &LayoutBlock) -> bool {
    let next_text = next
        .lines
        .first()
        .map(|l| l.text.trim_start())
        .unwrap_or("");
    is_unfinished(prev) && next_text.chars().next().is_some_and(char::is_lowercase)
}

/// Whether a body block stops mid-sentence (its paragraph may go on overleaf).
fn is_unfinished(block: &LayoutBlock) -> bool {
    block.kind != BlockKind::Heading
        && block
            .lines
            .last()
            .and_then(|l| l.text.trim_end().chars().last())
            .is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | ';' | '»' | '"' | '”' | ')'))
}

/// Reading order of all blocks as (page index, block index, glued to the previous block).
/// Pages follow each other, except that body text running over a page break stays in one
/// piece: the footnotes, footer and next header that the break puts in its way are emitted
/// once the run of text ends (after the last body block of the page where it ends).
fn reading_order(page_blocks: &[Vec<LayoutBlock>]) -> Vec<(usize, usize, bool)> {
    let mut order = Vec::new();
    let mut deferred: Vec<(usize, usize, bool)> = Vec::new();
    let mut last_body: Option<&LayoutBlock> = None;
    for (p, blocks) in page_blocks.iter().enumerate() {
        let first_body = blocks.iter().position(is_body);
        let last = blocks.iter().rposition(is_body);
        let glue = match (last_body, first_body.and_then(|fb| blocks.get(fb))) {
            (Some(prev), Some(next)) => continues_paragraph(prev, next),
            _ => false,
        };
        let mut trailing = Vec::new();
        match (glue, first_body) {
            (true, Some(fb)) => {
                order.push((p, fb, true));
                for i in (0..blocks.len()).filter(|i| *i != fb) {
                    if i < fb {
                        deferred.push((p, i, false));
                    } else if last.is_some_and(|lb| i <= lb) {
                        order.push((p, i, false));
                    } else {
                        trailing.push((p, i, false));
                    }
                }
            }
            _ => {
                order.append(&mut deferred);
                for i in 0..blocks.len() {
                    if last.is_some_and(|lb| i <= lb) {
                        order.push((p, i, false));
                    } else {
                        trailing.push((p, i, false));
                    }
                }
            }
        }
        last_body = last.and_then(|lb| blocks.get(lb));
        let runs_on = last_body.is_some_and(is_unfinished) && p + 1 < page_blocks.len();
        if runs_on {
            deferred.append(&mut trailing);
        } else {
            order.append(&mut deferred);
            order.append(&mut trailing);
        }
    }
    order.append(&mut deferred);
    order
}

/// Joins the pages' blocks into the document text: lines of a block joined by `\n`, blocks and
/// pages separated by a blank line (a paragraph continued overleaf by a single `\n`).
fn assemble(
    out: &mut Extracted,
    results: &[(u32, PageResult)],
    page_blocks: &[Vec<LayoutBlock>],
    limits: &Limits,
) {
    let mut truncated = false;
    // (x, baseline y, start, end) of every glyph, absolute offsets, per page.
    let mut boxes: Vec<Vec<(f32, f32, usize, usize)>> = vec![Vec::new(); page_blocks.len()];
    for (p, b, glued) in reading_order(page_blocks) {
        let (Some((number, _)), Some(block)) =
            (results.get(p), page_blocks.get(p).and_then(|bl| bl.get(b)))
        else {
            continue;
        };
        let separator = match (out.text.is_empty(), glued) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => 2,
        };
        let block_len: usize = block.lines.iter().map(|l| l.text.len()).sum::<usize>()
            + block.lines.len().saturating_sub(1);
        if out.text.len() + separator + block_len > limits.max_text_bytes {
            truncated = true;
            break;
        }
        if !out.text.is_empty() {
            out.text.push_str(if glued { "\n" } else { "\n\n" });
        }
        let start = out.text.len();
        for (i, line) in block.lines.iter().enumerate() {
            if i > 0 {
                out.text.push('\n');
            }
            let line_start = out.text.len();
            out.text.push_str(&line.text);
            out.superscripts.extend(
                line.superscripts
                    .iter()
                    .map(|(s, e)| (line_start + s, line_start + e)),
            );
            if let Some(page_boxes) = boxes.get_mut(p) {
                page_boxes.extend(
                    line.chars
                        .iter()
                        .filter(|_| line.dir == 0)
                        .map(|c| (c.x, c.y, line_start + c.start, line_start + c.end)),
                );
            }
        }
        let mut block_out = Block::new(block.kind, start, out.text.len());
        block_out.page = Some(*number);
        block_out.level = block.level;
        out.blocks.push(block_out);
    }
    for ((_, result), page_boxes) in results.iter().zip(&boxes) {
        for link in &result.links {
            let inside = page_boxes.iter().filter(|(x, y, _, _)| {
                *x >= link.x0 - 1.0
                    && *x <= link.x1 + 1.0
                    && *y >= link.y0 - 2.0
                    && *y <= link.y1 + 1.0
            });
            let span = inside.fold(
                None,
                |acc: Option<(usize, usize)>, (_, _, s, e)| match acc {
                    None => Some((*s, *e)),
                    Some((a, b)) => Some((a.min(*s), b.max(*e))),
                },
            );
            if let Some((start, end)) = span {
                out.links.push(Link {
                    start,
                    end,
                    href: link.href.clone(),
                });
            }
        }
    }
    out.links.sort_by_key(|l| (l.start, l.end));
    out.superscripts.sort_unstable();
    if truncated {
        out.warnings.push(Problem::new(
            Stage::Pdf,
            format!(
                "text limit ({} bytes) reached: the rest of the document was dropped",
                limits.max_text_bytes
            ),
        ));
    }
}
