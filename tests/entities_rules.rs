//! Every rule file under rules/entities/ loads, and every example written in it gives the fact
//! it promises.

use docfacts::entities::{self, document, objectives, orgs, people, quantities, rules, text};
use docfacts::model::{Extracted, Repaired, SourceKind};

fn doc(text: &str, language: &'static str) -> Repaired {
    let mut e = Extracted::new(SourceKind::Text);
    e.text = text.to_string();
    let mut r = Repaired::unchanged(e);
    r.language = Some(language);
    r
}

fn language_of(text: &str) -> &'static str {
    let f = text::fold(text);
    let english = [" the ", " is ", " of ", " and ", " to "]
        .iter()
        .filter(|w| format!(" {f} ").contains(*w))
        .count();
    if english >= 1 { "en" } else { "fr" }
}

#[test]
fn rule_files_load() {
    let r = rules::rules().unwrap_or_else(|e| panic!("entity rules do not load: {e}"));
    assert!(r.orgs.len() > 50, "gazetteer has {} bodies", r.orgs.len());
    assert!(r.first_names.contains("Claudine"));
    assert!(r.first_names.len() > 400);
}

#[test]
fn every_gazetteer_name_and_acronym_is_found_in_a_sentence() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for g in &r.orgs {
        for name in g.entry.names.iter().chain(&g.entry.aliases) {
            let sentence = format!("Nous saluons le travail de {name} depuis des années.");
            let index = orgs::find(&sentence, r, Some("fr"));
            let key = text::org_key(name);
            assert!(
                index.orgs.iter().any(|o| o.keys().contains(&key)),
                "{}: name {name:?} not found in {sentence:?}",
                g.entry.id
            );
        }
        for acr in &g.entry.acronyms {
            let sentence = format!("Le rapport publié par l'{acr} en 2014 le montre.");
            let index = orgs::find(&sentence, r, Some("fr"));
            assert!(
                index
                    .orgs
                    .iter()
                    .any(|o| o.gaz.as_deref() == Some(g.entry.id.as_str())),
                "{}: acronym {acr:?} not found",
                g.entry.id
            );
        }
    }
}

#[test]
fn head_word_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for h in &r.heads {
        for ex in &h.examples {
            let index = orgs::find(&ex.text, r, Some("fr"));
            let names: Vec<&str> = index.orgs.iter().map(|o| o.name.as_str()).collect();
            assert!(
                names.contains(&ex.expect.as_str()),
                "{:?}: expected {:?}, found {names:?}",
                ex.text,
                ex.expect
            );
            let found = index.orgs.iter().find(|o| o.name == ex.expect);
            assert_eq!(
                found.map(|o| o.org_type.as_str()),
                Some(h.org_type.as_str()),
                "{}",
                ex.text
            );
        }
    }
}

#[test]
fn unit_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for u in &r.unit_rules {
        for ex in &u.examples {
            let lang = language_of(&ex.text);
            let index = orgs::find(&ex.text, r, Some(lang));
            let facts = quantities::find(&ex.text, r, &index, Some(lang));
            assert!(
                facts
                    .iter()
                    .any(|q| q.value == ex.value && q.unit == ex.unit && q.measure == ex.measure),
                "{:?}: expected {} {} {}, found {:?}",
                ex.text,
                ex.value,
                ex.unit,
                ex.measure,
                facts
                    .iter()
                    .map(|q| (q.value, q.unit.clone(), q.measure.clone()))
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn objective_cue_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for (cue, _) in &r.cues {
        for ex in &cue.examples {
            let index = orgs::find(&ex.text, r, Some("fr"));
            let facts = objectives::find(&ex.text, r, &index);
            assert!(
                facts.iter().any(|o| o.text.starts_with(&ex.expect)),
                "{:?}: expected an objective starting {:?}, found {:?}",
                ex.text,
                ex.expect,
                facts.iter().map(|o| o.text.clone()).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn role_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for ex in &r.role_examples {
        let index = orgs::find(&ex.text, r, Some("fr"));
        let found = people::find(&ex.text, r, &index, &[]);
        let person = found.iter().find(|p| p.name == ex.name);
        assert!(person.is_some(), "{:?}: no person {:?}", ex.text, ex.name);
        if !ex.role.is_empty() {
            assert_eq!(person.and_then(|p| p.role.clone()), Some(ex.role.clone()));
        }
    }
}

#[test]
fn document_kind_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for k in &r.doc_kinds {
        for ex in &k.rule.examples {
            let d = doc(ex, "fr");
            assert_eq!(
                document::document_type(&d, r).as_deref(),
                Some(k.rule.document_type.as_str()),
                "{ex:?}"
            );
        }
    }
}

#[test]
fn extract_never_panics_on_odd_input() {
    let inputs = [
        String::new(),
        "(".repeat(5000),
        "Conseil ".repeat(3000),
        "M. ".repeat(2000),
        "12 000 000 000 000 000 000 villes".to_string(),
        "a pour but, de ".repeat(500),
        "objectifs suivants :\n\ne \ne \n".repeat(300),
        "\u{0}\u{feff}É\u{301}(ABC)".repeat(100),
    ];
    for input in &inputs {
        let started = std::time::Instant::now();
        let _ = entities::extract(&doc(input, "fr"));
        assert!(
            started.elapsed().as_secs() < 20,
            "too slow on {:?}",
            &input[..input.len().min(40)]
        );
    }
}
