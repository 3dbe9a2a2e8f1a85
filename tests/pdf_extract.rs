//! PDF text extraction, feature by feature, on PDFs built here with lopdf and on the corpus.

#[path = "pdf/builder.rs"]
mod builder;

use builder::{PdfBuilder, text_lines};
use docfacts::extract::pdf::extract;
use docfacts::limits::Limits;
use docfacts::model::{BlockKind, Extracted, SourceKind};
use lopdf::{Object, dictionary};

fn run(bytes: &[u8]) -> Extracted {
    extract(bytes, &Limits::default()).expect("the PDF extracts")
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn block_texts(ex: &Extracted, kind: BlockKind) -> Vec<String> {
    ex.blocks
        .iter()
        .filter(|b| b.kind == kind)
        .map(|b| ex.text[b.start..b.end].to_string())
        .collect()
}

#[test]
fn form_xobject_text_is_extracted_with_a_warning() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    let form = pdf.add_form(
        "BT /F1 12 Tf 72 700 Td (Text inside a form) Tj ET",
        &[("F1", font)],
        Some([1.0, 0.0, 0.0, 1.0, 0.0, -100.0]),
    );
    let image = pdf.add_image();
    pdf.add_page(
        "q 595 0 0 842 0 0 cm /Im0 Do Q q /Fm0 Do Q",
        &[],
        &[("Fm0", form), ("Im0", image)],
    );
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "Text inside a form");
    assert!(
        ex.warnings
            .iter()
            .any(|w| w.message.contains("Form XObject"))
    );
    assert_eq!(ex.blocks.first().and_then(|b| b.page), Some(1));
}

#[test]
fn form_xobject_cycles_and_depth_are_bounded() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    // A form that draws itself.
    let form_id = pdf.doc.new_object_id();
    let stream = lopdf::Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font },
                "XObject" => dictionary! { "Me" => form_id },
            },
        },
        b"BT /F1 12 Tf 72 700 Td (Loop) Tj ET /Me Do".to_vec(),
    );
    pdf.doc.objects.insert(form_id, Object::Stream(stream));
    pdf.add_page("/Me Do", &[], &[("Me", form_id)]);
    let ex = run(&pdf.finish());
    assert_eq!(fold(&ex.text), "Loop");
    assert!(ex.warnings.iter().any(|w| w.message.contains("skipped")));
}

/// A Type0 font with Identity-H codes, a ToUnicode CMap with bfchar/bfrange and CID widths.
#[test]
fn identity_h_font_decodes_through_to_unicode_and_cid_widths() {
    let mut pdf = PdfBuilder::new();
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        2 beginbfchar <0001> <0043> <0009> <00660069> endbfchar\n\
        1 beginbfrange <0002> <0005> [<00E9> <0065> <0020> <006C>] endbfrange\n\
        endcmap end end";
    let to_unicode = pdf.add_stream(dictionary! {}, cmap);
    let descendant = pdf.add_font(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Test",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 1000,
        "W" => vec![1.into(), vec![600.into(), 500.into(), 500.into(), 250.into(), 300.into()].into(), 9.into(), 9.into(), 550.into()],
    });
    let font = pdf.add_font(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Test",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![descendant.into()],
        "ToUnicode" => to_unicode,
    });
    // "Créée" then a space glyph, "l" and the "fi" ligature; a second word placed by TJ kerning.
    let content = "BT /F1 10 Tf 72 700 Td <0001000200030003>Tj [<0004>-10<0006>] TJ ET\n\
                   BT /F1 10 Tf 72 680 Td [<0001> -400 <0009>] TJ ET";
    pdf.add_page(content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "Céee\n\nC fi");
}

#[test]
fn differences_with_uni_names_decode_per_glyph() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.add_font(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
        "Encoding" => dictionary! {
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![233.into(), "uni00E9".into(), 128.into(), "u1F600".into(), "f_i".into(), "g123".into()],
        },
    });
    // \351 = 233 (uni00E9), \200 = 128 (u1F600), \201 = f_i, \202 = unknown name, \350 = WinAnsi è.
    pdf.add_page(
        "BT /F1 12 Tf 72 700 Td (Cr\\351\\351e \\350 \\201n \\200) Tj ET",
        &[("F1", font)],
        &[],
    );
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "Créée è fin 😀");
}

#[test]
fn standard_14_widths_place_words_without_widths_array() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    // Helvetica: W = 944, o = 556, r = 333, d = 556 (AFM) -> "Word" = 2.389 em.
    // At 10 pt the word ends at 72 + 23.89; "next" starts 3 pt later (a space),
    // "glued" starts exactly at the end of "next" (no space).
    let next_end = 95.89 + 3.0 + 10.0 * (0.556 + 0.556 + 0.5 + 0.278);
    let content = format!(
        "BT /F1 10 Tf 72 700 Td (Word) Tj ET BT /F1 10 Tf 98.89 700 Td (next) Tj ET BT /F1 10 Tf {next_end} 700 Td (glued) Tj ET"
    );
    pdf.add_page(&content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "Word nextglued");
}

#[test]
fn hyphenated_line_ends_are_kept_as_drawn() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Times-Roman");
    let content = text_lines(&[
        (72.0, 700.0, 11.0, "Les politiques na-"),
        (72.0, 687.0, 11.0, "tionales et locales."),
    ]);
    pdf.add_page(&content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "Les politiques na-\ntionales et locales.");
    assert_eq!(ex.blocks.len(), 1);
}

#[test]
fn two_columns_come_out_column_by_column() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    let content = text_lines(&[
        (50.0, 700.0, 10.0, "Left column first line"),
        (50.0, 688.0, 10.0, "left column second line."),
        (320.0, 700.0, 10.0, "Right column first line"),
        (320.0, 688.0, 10.0, "right column second line."),
    ]);
    pdf.add_page(&content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(
        ex.text,
        "Left column first line\nleft column second line.\n\nRight column first line\nright column second line."
    );
    assert_eq!(ex.blocks.len(), 2);
}

#[test]
fn two_columns_drawn_row_by_row_are_put_back_in_column_order() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    let left = [
        "Left column line one here",
        "left column line two here",
        "left column line three ends.",
    ];
    let right = [
        "Right column line one here",
        "right column line two here",
        "right column line three ends.",
    ];
    let mut rows = vec![(
        50.0,
        760.0,
        10.0,
        "A title that spans both of the two columns of the page",
    )];
    for (i, (l, r)) in left.iter().zip(&right).enumerate() {
        let y = 700.0 - 12.0 * i as f32;
        rows.push((50.0, y, 10.0, l));
        rows.push((320.0, y, 10.0, r));
    }
    pdf.add_page(&text_lines(&rows), &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(
        ex.text,
        "A title that spans both of the two columns of the page\n\n\
         Left column line one here\nleft column line two here\nleft column line three ends.\n\n\
         Right column line one here\nright column line two here\nright column line three ends."
    );
}

#[test]
fn rotated_text_is_read_along_its_baseline() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    // A sidebar written upwards (90°) in the left margin, then horizontal body text.
    let content = "BT /F1 9 Tf 0 1 -1 0 30 300 Tm (arXiv:1234.5678 [cs.CL] 1 Jan 2024) Tj ET\n\
                   BT /F1 11 Tf 72 700 Td (Body text on the page.) Tj ET";
    pdf.add_page(content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(
        ex.text,
        "arXiv:1234.5678 [cs.CL] 1 Jan 2024\n\nBody text on the page."
    );
}

#[test]
fn small_text_at_the_page_bottom_is_a_footnote_and_superscripts_stay_attached() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Times-Roman");
    let mut content = String::new();
    let body = [
        "The Alliance was created in 2013 by the Congress",
        "of Local and Regional Authorities of the Council",
        "of Europe and gathers more than 120 cities and",
    ];
    for (i, line) in body.iter().enumerate() {
        content.push_str(&format!(
            "BT /F1 11 Tf 72 {} Td ({line}) Tj ET\n",
            700 - 13 * i as i32
        ));
    }
    // A superscript footnote mark right after "countries." (raised, smaller).
    content
        .push_str("BT /F1 11 Tf 72 661 Td (regions of 27 countries.) Tj /F1 7 Tf 4 Ts (1) Tj ET\n");
    content.push_str("BT /F1 11 Tf 72 400 Td (Another paragraph.) Tj ET\n");
    content.push_str(
        "BT /F1 8 Tf 72 80 Td (1 Roma is the term used by the Council of Europe.) Tj ET\n",
    );
    pdf.add_page(&content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(
        block_texts(&ex, BlockKind::Footnote),
        vec!["1 Roma is the term used by the Council of Europe.".to_string()]
    );
    let paragraphs = block_texts(&ex, BlockKind::Paragraph);
    assert_eq!(paragraphs.len(), 2);
    assert!(
        paragraphs
            .first()
            .is_some_and(|p| p.ends_with("regions of 27 countries.1"))
    );
}

#[test]
fn superscript_mark_is_glued_to_its_word() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Times-Roman");
    // Times-Roman "2010" = 4 x 500 = 2.0 em = 22 pt at 11 pt.
    let content = "BT /F1 11 Tf 72 700 Td (in 2010) Tj /F1 7 Tf 4 Ts (2) Tj /F1 11 Tf 0 Ts ( and later) Tj ET";
    pdf.add_page(content, &[("F1", font)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(ex.text, "in 20102 and later");
    assert_eq!(ex.superscripts, vec![(7, 8)]);
}

#[test]
fn running_headers_and_page_number_footers_are_page_furniture() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    for page in 1..=3 {
        // The footer is drawn first, as reportlab's onPage does.
        let content = text_lines(&[
            (280.0, 40.0, 9.0, &format!("Page {page} / 3")),
            (72.0, 800.0, 9.0, "Council of Europe - Roma inclusion"),
            (
                72.0,
                700.0,
                11.0,
                &format!("Body text of page {page} with enough words."),
            ),
        ]);
        pdf.add_page(&content, &[("F1", font)], &[]);
    }
    let ex = run(&pdf.finish());
    let headers = block_texts(&ex, BlockKind::PageHeader);
    let footers = block_texts(&ex, BlockKind::PageFooter);
    assert_eq!(headers.len(), 3, "{:?}", ex.blocks);
    assert_eq!(footers, vec!["Page 1 / 3", "Page 2 / 3", "Page 3 / 3"]);
    // Headers first and footers last on each page, whatever the drawing order.
    assert!(
        ex.text
            .starts_with("Council of Europe - Roma inclusion\n\nBody text of page 1")
    );
    assert!(
        ex.text
            .ends_with("Body text of page 3 with enough words.\n\nPage 3 / 3")
    );
    let pages: Vec<Option<u32>> = ex.blocks.iter().map(|b| b.page).collect();
    assert_eq!(
        pages,
        vec![
            Some(1),
            Some(1),
            Some(1),
            Some(2),
            Some(2),
            Some(2),
            Some(3),
            Some(3),
            Some(3)
        ]
    );
}

#[test]
fn list_items_and_headings_are_recognised() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    let bold = pdf.standard_font("Helvetica-Bold");
    let content = "BT /F2 16 Tf 72 745 Td (Objectives) Tj ET\n\
        BT /F1 11 Tf 72 730 Td (The Alliance pursues three aims, listed below in order.) Tj ET\n\
        BT /F1 11 Tf 72 717 Td (They were adopted in 2013 by the founding members.) Tj ET\n\
        BT /F1 11 Tf 72 690 Td (\\225) Tj ET BT /F1 11 Tf 90 690 Td (Speak with one voice against exclusion,) Tj ET\n\
        BT /F1 11 Tf 90 677 Td (in every member city.) Tj ET\n\
        BT /F1 11 Tf 72 664 Td (\\225) Tj ET BT /F1 11 Tf 90 664 Td (Share know-how between cities.) Tj ET\n";
    pdf.add_page(content, &[("F1", font), ("F2", bold)], &[]);
    let ex = run(&pdf.finish());
    assert_eq!(block_texts(&ex, BlockKind::Heading), vec!["Objectives"]);
    assert_eq!(ex.blocks.first().and_then(|b| b.level), Some(1));
    assert_eq!(
        block_texts(&ex, BlockKind::ListItem),
        vec![
            "• Speak with one voice against exclusion,\nin every member city.",
            "• Share know-how between cities."
        ]
    );
}

#[test]
fn invisible_text_over_an_image_is_ocr_and_image_only_pages_warn() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    let image = pdf.add_image();
    pdf.add_page(
        "q 595 0 0 842 0 0 cm /Im0 Do Q BT 3 Tr /F1 11 Tf 72 700 Td (Scanned words) Tj ET",
        &[("F1", font)],
        &[("Im0", image)],
    );
    pdf.add_page("q 595 0 0 842 0 0 cm /Im0 Do Q", &[], &[("Im0", image)]);
    let ex = run(&pdf.finish());
    assert_eq!(ex.kind, SourceKind::PdfOcr);
    assert_eq!(ex.text, "Scanned words");
    assert_eq!(ex.pages, Some(2));
    let no_text: Vec<_> = ex
        .warnings
        .iter()
        .filter(|w| w.message.contains("no text layer"))
        .collect();
    assert_eq!(no_text.len(), 1);
    assert_eq!(no_text.first().and_then(|w| w.page), Some(2));
}

#[test]
fn uri_link_annotations_become_links_on_their_anchor_text() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    // "Contact: " = C722 o556 n556 t278 a556 c500 t278 :278 space278 = 4.002 em -> 40 pt at 10 pt.
    let annot = dictionary! {
        "Type" => "Annot", "Subtype" => "Link",
        "Rect" => vec![111.into(), 695.into(), 199.into(), 710.into()],
        "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("mailto:anna@example.org") },
    };
    pdf.add_page_with(
        "BT /F1 10 Tf 72 700 Td (Contact: anna@example.org today) Tj ET",
        &[("F1", font)],
        &[],
        vec![Object::Dictionary(annot)],
    );
    pdf.set_info(dictionary! {
        "Title" => Object::string_literal("Press contacts"),
        "Author" => Object::string_literal("City of Paris"),
        "CreationDate" => Object::string_literal("D:20131218112000+01'00'"),
    });
    let ex = run(&pdf.finish());
    let link = ex.links.first().expect("one link");
    assert_eq!(&ex.text[link.start..link.end], "anna@example.org");
    assert_eq!(link.href, "mailto:anna@example.org");
    assert_eq!(ex.meta.title.as_deref(), Some("Press contacts"));
    assert_eq!(ex.meta.author.as_deref(), Some("City of Paris"));
    assert_eq!(
        ex.meta.published.as_deref(),
        Some("D:20131218112000+01'00'")
    );
}

#[test]
fn limits_are_reported() {
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    for page in 1..=3 {
        pdf.add_page(
            &format!("BT /F1 11 Tf 72 700 Td (Page {page} text) Tj ET"),
            &[("F1", font)],
            &[],
        );
    }
    let bytes = pdf.finish();
    let limits = Limits {
        max_pages: 2,
        max_operators_per_page: 4,
        ..Limits::default()
    };
    let ex = extract(&bytes, &limits).expect("extracts");
    assert_eq!(ex.pages, Some(3));
    assert!(ex.warnings.iter().any(|w| w.message.contains("page limit")));
    assert!(
        ex.warnings
            .iter()
            .any(|w| w.message.contains("operator limit") && w.page == Some(1))
    );
    assert!(!ex.text.contains("Page 3"));
    let tiny = Limits {
        max_text_bytes: 12,
        ..Limits::default()
    };
    let ex = extract(&bytes, &tiny).expect("extracts");
    assert_eq!(ex.text, "Page 1 text");
    assert!(ex.warnings.iter().any(|w| w.message.contains("text limit")));
}

#[test]
fn encrypted_pdfs_open_with_the_empty_password_or_fail_clearly() {
    let page = |pdf: &mut PdfBuilder| {
        let font = pdf.standard_font("Helvetica");
        pdf.add_page(
            "BT /F1 11 Tf 72 700 Td (Secret minutes) Tj ET",
            &[("F1", font)],
            &[],
        );
    };
    let mut pdf = PdfBuilder::new();
    page(&mut pdf);
    let open = pdf.finish_encrypted("", "owner");
    assert_eq!(run(&open).text, "Secret minutes");

    let mut pdf = PdfBuilder::new();
    page(&mut pdf);
    let locked = pdf.finish_encrypted("user", "owner");
    let err = extract(&locked, &Limits::default()).expect_err("needs a password");
    assert!(err.message.contains("password"), "{}", err.message);
}

#[test]
fn broken_input_is_an_error_not_a_panic() {
    assert!(extract(b"not a pdf at all", &Limits::default()).is_err());
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    pdf.add_page(
        "BT /F1 11 Tf 72 700 Td (Whole text) Tj ET",
        &[("F1", font)],
        &[],
    );
    let bytes = pdf.finish();
    // Every truncation either recovers something or fails cleanly.
    for cut in (0..bytes.len()).step_by(37) {
        let _ = extract(&bytes[..cut], &Limits::default());
    }
    // A file cut before its cross-reference data is rebuilt by scanning its objects.
    let xref = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("has startxref");
    let ex = run(&bytes[..xref]);
    assert_eq!(ex.text, "Whole text");
    assert!(
        ex.warnings
            .iter()
            .any(|w| w.message.contains("cross-reference"))
    );
    // A garbled content stream keeps the text before the error.
    let mut pdf = PdfBuilder::new();
    let font = pdf.standard_font("Helvetica");
    pdf.add_page(
        "BT /F1 11 Tf 72 700 Td (Before) Tj ET BT /F1 11 Tf 72 680 Td (broken] Tj ET",
        &[("F1", font)],
        &[],
    );
    let ex = run(&pdf.finish());
    assert!(ex.text.starts_with("Before"));
}

#[test]
fn corpus_ocrmypdf_layer_matches_its_text() {
    let bytes = std::fs::read("corpus/003.pdf").expect("corpus/003.pdf");
    let truth = std::fs::read_to_string("corpus/003.txt").expect("corpus/003.txt");
    let ex = run(&bytes);
    assert_eq!(ex.kind, SourceKind::PdfOcr);
    assert_eq!(ex.pages, Some(8));
    assert_eq!(fold(&ex.text), fold(&truth));
    assert!(ex.blocks.iter().all(|b| b.page.is_some()));
}

#[test]
fn corpus_tesseract_layer_has_no_doubled_spaces() {
    let bytes = std::fs::read("corpus/003-tesseract.pdf").expect("corpus/003-tesseract.pdf");
    let ex = run(&bytes);
    assert_eq!(ex.kind, SourceKind::PdfOcr);
    assert!(!ex.text.contains("  "));
    assert!(ex.text.contains(
        "L'Alliance européenne des villes et des régions pour l'inclusion des Roms a principalement"
    ));
}

#[test]
fn corpus_press_release_has_letterhead_footer_and_links() {
    let bytes = std::fs::read("corpus/001.pdf").expect("corpus/001.pdf");
    let ex = run(&bytes);
    assert_eq!(ex.kind, SourceKind::PdfText);
    assert_eq!(block_texts(&ex, BlockKind::PageHeader), vec!["EUROCITIES"]);
    let footers = block_texts(&ex, BlockKind::PageFooter);
    assert_eq!(footers.len(), 2);
    assert!(
        footers
            .iter()
            .all(|f| f.starts_with("EUROCITIES asbl – Square de Meeûs 1"))
    );
    assert!(footers.first().is_some_and(|f| f.ends_with("page 1 / 2")));
    assert!(
        ex.links
            .iter()
            .any(|l| l.href == "mailto:thomas.jezequel@eurocities.eu"
                && &ex.text[l.start..l.end] == "thomas.jezequel@eurocities.eu")
    );
    assert_eq!(
        ex.meta.title.as_deref(),
        Some("Paris sets out commitment to migrant integration")
    );
}
