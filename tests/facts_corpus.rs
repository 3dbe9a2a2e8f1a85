//! The fact stage on the real corpus texts and on hand-built documents (blocks, links).

use docfacts::facts::FactEngine;
use docfacts::limits::Limits;
use docfacts::model::{Block, BlockKind, Extracted, Link, Repaired, SourceKind};
use docfacts::pipeline::Pipeline;
use docfacts::read::InputFile;
use docfacts::record::Record;
use std::path::Path;

fn run(name: &str) -> Record {
    let pipeline = Pipeline::new(Limits::default()).expect("pipeline");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    pipeline.process_file(&InputFile {
        path,
        rel_path: name.to_string(),
    })
}

fn dates(r: &Record) -> Vec<(String, String)> {
    r.facts
        .dates
        .iter()
        .map(|d| (d.value.clone(), d.about.clone()))
        .collect()
}

fn has(r: &Record, value: &str, about: &str) -> bool {
    dates(r).iter().any(|(v, a)| v == value && a == about)
}

#[test]
fn press_invitation_fr() {
    let r = run("000.txt");
    assert_eq!(r.document.publication_date.as_deref(), Some("2013-12-18"));
    assert_eq!(r.document.place.as_deref(), Some("Paris"));
    assert_eq!(r.document.language.as_deref(), Some("fr"));
    assert!(has(&r, "2013-12-18", "publication"), "{:?}", dates(&r));
    assert!(has(&r, "2013-12-18T17:45", "event"), "{:?}", dates(&r));
    assert!(has(&r, "2013-12-18", "event"), "{:?}", dates(&r));
    assert!(has(&r, "2006", "adopted"), "{:?}", dates(&r));
    assert!(has(&r, "2011", "created"), "{:?}", dates(&r));
    assert!(has(&r, "2013-03", "launched"), "{:?}", dates(&r));
    let inferred = r
        .facts
        .dates
        .iter()
        .find(|d| d.value == "2013-12-18T17:45")
        .expect("datetime");
    assert!(inferred.year_inferred);
    let phones: Vec<_> = r
        .facts
        .phones
        .iter()
        .map(|p| p.value.clone().unwrap_or_default())
        .collect();
    assert_eq!(phones, ["+325520886", "+33388412597", "+33142764961"]);
    assert_eq!(r.facts.phones[2].country.as_deref(), Some("FR"));
    let emails: Vec<_> = r.facts.emails.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(
        emails,
        [
            "service.presse@paris.fr",
            "sebastien.pant@eurocities.eu",
            "sabine.zimmer@coe.int",
            "giles.spence@paris.fr"
        ]
    );
    // Evidence offsets are code points into text.clean.
    let clean: Vec<char> = r.text.as_ref().expect("text").clean.chars().collect();
    for e in r.facts.emails.iter().flat_map(|f| &f.evidence) {
        let (s, t) = (e.start.expect("start"), e.end.expect("end"));
        assert_eq!(clean[s..t].iter().collect::<String>(), e.text);
    }
}

#[test]
fn press_release_en() {
    let r = run("001.txt");
    assert_eq!(r.document.publication_date.as_deref(), Some("2013-12-18"));
    assert_eq!(r.document.place.as_deref(), Some("Brussels"));
    assert!(has(&r, "2013-12-18", "signature"), "{:?}", dates(&r));
    assert!(has(&r, "2010", "created"), "{:?}", dates(&r));
    let urls: Vec<_> = r.facts.urls.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://goo.gl/aDpklq",
            "http://www.eurocities.eu",
            "https://www.twitter.com/eurocitiestweet"
        ]
    );
    // The markdown link text and its target are one fact with two pieces of evidence.
    assert_eq!(r.facts.urls[1].evidence.len(), 2);
    assert_eq!(r.facts.emails.len(), 1);
    assert_eq!(r.facts.emails[0].value, "thomas.jezequel@eurocities.eu");
}

#[test]
fn web_page_year_from_the_only_year() {
    let r = run("002.txt");
    assert_eq!(r.document.publication_date, None);
    assert!(has(&r, "2013-06-10", "event"), "{:?}", dates(&r));
    assert!(has(&r, "2013-09", "start"), "{:?}", dates(&r));
}

#[test]
fn ocr_policy_paper() {
    let r = run("003.txt");
    for (v, a) in [
        ("2011", "event"),
        ("2013", "created"),
        ("2010", "adopted"),
        ("XXXX-08-02", "commemoration"),
        ("2013-10", "start"),
        ("2011", "launched"),
        ("2014-06-11", "start"),
        ("2010-10", "adopted"),
        ("2011-09", "event"),
        ("2014/2016", "period"),
    ] {
        assert!(has(&r, v, a), "{v} {a}: {:?}", dates(&r));
    }
    let urls: Vec<_> = r.facts.urls.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert!(
        urls[0].starts_with("https://wed.coe.int/ViewDoc.jsp?Ref=CM(2010)133&Language=lanFrench&"),
        "{urls:?}"
    );
    assert!(
        urls[0]
            .ends_with("BackColorInternet=DBDCF2&BackColorIntranet=FDC864&BackColorLogged=FDC864")
    );
    // Numbers inside URLs are not dates.
    assert!(
        !dates(&r)
            .iter()
            .any(|(v, _)| v.starts_with("2011-09-22") || v == "20110922")
    );
}

#[test]
fn web_page_with_numeric_date_line() {
    let r = run("004.txt");
    assert_eq!(r.document.publication_date.as_deref(), Some("2012-04-05"));
    assert!(has(&r, "2030", "target"), "{:?}", dates(&r));
    assert!(has(&r, "2004-05", "created"), "{:?}", dates(&r));
    assert!(has(&r, "1961-04", "created"), "{:?}", dates(&r));
    assert!(has(&r, "2002", "joined"), "{:?}", dates(&r));
    // "dernier" is the past of the page's date.
    assert!(has(&r, "2011-05-21/2011-05-24", "event"), "{:?}", dates(&r));
    let urls: Vec<_> = r.facts.urls.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(urls, ["international.paris.fr"]);
}

fn repaired(text: &str, blocks: Vec<Block>, links: Vec<Link>) -> Repaired {
    let mut ex = Extracted::new(SourceKind::Html);
    ex.text = text.to_string();
    ex.blocks = blocks;
    ex.links = links;
    let mut r = Repaired::unchanged(ex);
    r.language = Some("fr");
    r
}

#[test]
fn page_headers_and_footers_give_no_facts() {
    let header = "Rapport 2019 - 3 mars 2019 - contact@exemple.fr";
    let body = "La réunion aura lieu le 12 avril 2019 à Lyon.";
    let text = format!("{header}\n\n{body}");
    let blocks = vec![
        Block::new(BlockKind::PageHeader, 0, header.len()),
        Block::new(BlockKind::Paragraph, header.len() + 2, text.len()),
    ];
    let engine = FactEngine::embedded().expect("rules");
    let out = engine.extract(&repaired(&text, blocks, Vec::new()));
    let values: Vec<_> = out.facts.dates.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["2019-04-12"]);
    assert!(out.facts.emails.is_empty());
}

#[test]
fn link_targets_give_emails_and_urls() {
    let text = "Écrire à la presse ou voir www.exemple.fr et le menu Accueil.";
    let span = |s: &str| {
        let i = text.find(s).expect("in text");
        (i, i + s.len())
    };
    let (a, b) = span("la presse");
    let (c, d) = span("www.exemple.fr");
    let (e, f) = span("Accueil");
    let links = vec![
        Link {
            start: a,
            end: b,
            href: "mailto:Presse@Exemple.fr".into(),
        },
        Link {
            start: c,
            end: d,
            href: "https://www.exemple.fr/".into(),
        },
        Link {
            start: e,
            end: f,
            href: "https://www.exemple.fr/accueil".into(),
        },
    ];
    let engine = FactEngine::embedded().expect("rules");
    let out = engine.extract(&repaired(
        text,
        vec![Block::new(BlockKind::Paragraph, 0, text.len())],
        links,
    ));
    let emails: Vec<_> = out.facts.emails.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(emails, ["presse@exemple.fr"]);
    let urls: Vec<_> = out.facts.urls.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(
        urls,
        ["https://www.exemple.fr/"],
        "navigation links are not facts"
    );
}

#[test]
fn hostile_text_is_bounded() {
    let engine = FactEngine::embedded().expect("rules");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("{} ", i % 97));
        if i % 7 == 0 {
            text.push_str("le 1er mars 2013 à 17h45, http://x.fr/a?b=c&d ");
        }
    }
    text.push_str(&"9".repeat(10_000));
    text.push_str(&"(".repeat(5_000));
    let start = std::time::Instant::now();
    let out = engine.extract(&repaired(&text, Vec::new(), Vec::new()));
    assert!(start.elapsed().as_secs() < 20);
    let values: Vec<_> = out.facts.dates.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["2013-03-01T17:45"]);
    assert!(out.facts.dates[0].evidence.len() > 2000);
    assert_eq!(out.facts.urls.len(), 1);
}
