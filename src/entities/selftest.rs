//! The entity half of `docfacts rules test`: every example written next to an entity rule
//! (`rules/entities/*.toml`) runs through the whole entity extraction, so an edit to one rule
//! is checked against all the others. An example must yield the fact it names with the
//! attributes it names; a counter-example must yield no fact of the rule's type. The gazetteer
//! is checked entry by entry too: each name and acronym must be found in a neutral sentence.

use super::rules::{Example, ExampleSet, ExpectKind, Rules};
use super::text::org_key;
use super::{EntityFacts, orgs};
use crate::facts::selftest::{Failure, Report};
use crate::model::{Extracted, Repaired, SourceKind};

/// A one-text document in `lang`, as the pipeline hands it to the extractors.
fn document(text: &str, lang: &str) -> Repaired {
    let mut extracted = Extracted::new(SourceKind::Text);
    extracted.text = text.to_string();
    let mut doc = Repaired::unchanged(extracted);
    doc.language = match lang {
        "en" => Some("en"),
        _ => Some("fr"),
    };
    doc
}

/// `expected` given in the example, compared with what was found; an absent expectation means
/// the attribute must be absent (so an example also pins what a fact must not carry).
fn same(label: &str, expected: Option<&str>, found: Option<&str>) -> Result<(), String> {
    if expected == found {
        Ok(())
    } else {
        Err(format!("{label}: expected {expected:?}, got {found:?}"))
    }
}

/// Compared only when the example gives it (attributes a rule may leave to others).
fn same_if_given(label: &str, expected: Option<&str>, found: Option<&str>) -> Result<(), String> {
    match expected {
        Some(_) => same(label, expected, found),
        None => Ok(()),
    }
}

/// The role and organisation of a person or contact, both pinned by the example.
fn same_role_and_organisation(
    ex: &Example,
    role: Option<&str>,
    organisation: Option<&str>,
) -> Result<(), String> {
    same("role", ex.role.as_deref(), role)?;
    same("organisation", ex.organisation.as_deref(), organisation)
}

fn required<'a>(label: &str, value: Option<&'a str>) -> Result<&'a str, String> {
    value.ok_or_else(|| format!("the example gives no {label}"))
}

/// The first candidate fact that matches, else the error of the closest one (the first with
/// the same name), else a list of what was found.
fn best_of<T>(
    found: &[T],
    key: impl Fn(&T) -> bool,
    check: impl Fn(&T) -> Result<(), String>,
    describe: impl Fn(&T) -> String,
) -> Result<(), String> {
    let mut first_error = None;
    for fact in found.iter().filter(|f| key(f)) {
        match check(fact) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| {
        let all: Vec<String> = found.iter().map(describe).collect();
        format!("not found among {all:?}")
    }))
}

fn check_example(kind: &ExpectKind, ex: &Example, got: &EntityFacts) -> Result<(), String> {
    match kind {
        ExpectKind::Organisation { org_type } => {
            let name = required("name", ex.name.as_deref())?;
            let org_type = ex.org_type.as_deref().or(org_type.as_deref());
            best_of(
                &got.organisations,
                |o| o.name == name,
                |o| {
                    same("org_type", org_type, o.org_type.as_deref())?;
                    same("acronym", ex.acronym.as_deref(), o.acronym.as_deref())
                },
                |o| o.name.clone(),
            )
        }
        ExpectKind::Quantity { unit } => {
            let value = ex.value.ok_or("the example gives no value")?;
            let unit = required("unit", ex.unit.as_deref().or(unit.as_deref()))?;
            let qualifier = required("qualifier", ex.qualifier.as_deref())?;
            let measure = required("measure", ex.measure.as_deref())?;
            best_of(
                &got.quantities,
                |q| q.value == value && q.unit == unit,
                |q| {
                    same("qualifier", Some(qualifier), Some(&q.qualifier))?;
                    same("measure", Some(measure), Some(&q.measure))?;
                    same_if_given("subject", ex.subject.as_deref(), Some(&q.subject))
                },
                |q| format!("{} {} {} {}", q.qualifier, q.value, q.unit, q.measure),
            )
        }
        ExpectKind::Objective => {
            if ex.objectives.is_empty() {
                return Err("the example gives no objectives".to_string());
            }
            let texts: Vec<&str> = got.objectives.iter().map(|o| o.text.as_str()).collect();
            if texts != ex.objectives {
                return Err(format!(
                    "objectives: expected {:?}, got {texts:?}",
                    ex.objectives
                ));
            }
            match &ex.organisation {
                Some(owner) => got
                    .objectives
                    .iter()
                    .find(|o| !o.organisations.contains(owner))
                    .map_or(Ok(()), |o| {
                        Err(format!(
                            "owner: expected {owner:?}, {:?} has {:?}",
                            o.text, o.organisations
                        ))
                    }),
                None => Ok(()),
            }
        }
        ExpectKind::Person => {
            let name = required("name", ex.name.as_deref())?;
            best_of(
                &got.people,
                |p| p.name == name,
                |p| {
                    same_role_and_organisation(ex, p.role.as_deref(), p.organisation.as_deref())?;
                    same_if_given("honorific", ex.honorific.as_deref(), p.honorific.as_deref())?;
                    same_if_given(
                        "country_code",
                        ex.country_code.as_deref(),
                        p.country_code.as_deref(),
                    )
                },
                |p| p.name.clone(),
            )
        }
        ExpectKind::Contact { rule } => {
            let email = required("email", ex.email.as_deref())?;
            best_of(
                &got.contacts,
                |c| c.emails.iter().any(|e| e == email),
                |c| {
                    same("rule", Some(rule), Some(&c.rule))?;
                    same("name", ex.name.as_deref(), c.name.as_deref())?;
                    same_role_and_organisation(ex, c.role.as_deref(), c.organisation.as_deref())?;
                    let phones: Vec<&str> =
                        c.phones.iter().filter_map(|p| p.e164.as_deref()).collect();
                    same("phone", ex.phone.as_deref(), phones.first().copied())?;
                    same_if_given("kind", ex.kind.as_deref(), c.kind.as_deref())
                },
                |c| format!("{:?}", c.emails),
            )
        }
        ExpectKind::DocumentType { document_type } => same(
            "document_type",
            Some(document_type),
            got.document_type.as_deref(),
        ),
    }
}

/// What a counter-example yielded of the rule's fact type, if anything.
fn check_counter_example(kind: &ExpectKind, got: &EntityFacts) -> Result<(), String> {
    let found: Vec<String> = match kind {
        ExpectKind::Organisation { .. } => {
            got.organisations.iter().map(|o| o.name.clone()).collect()
        }
        ExpectKind::Quantity { .. } => got
            .quantities
            .iter()
            .map(|q| format!("{} {}", q.value, q.unit))
            .collect(),
        ExpectKind::Objective => got.objectives.iter().map(|o| o.text.clone()).collect(),
        ExpectKind::Person => got.people.iter().map(|p| p.name.clone()).collect(),
        ExpectKind::Contact { .. } => got.contacts.iter().flat_map(|c| c.emails.clone()).collect(),
        ExpectKind::DocumentType { document_type } => got
            .document_type
            .iter()
            .filter(|t| *t == document_type)
            .cloned()
            .collect(),
    };
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("yielded {found:?}"))
    }
}

/// Runs the examples and counter-examples of one rule; failures name the rule and the text.
pub fn run_set(set: &ExampleSet, report: &mut Report) {
    let fail = |message: String| Failure {
        file: format!("entities/{}", set.file),
        rule: set.rule.clone(),
        message,
    };
    for ex in &set.examples {
        report.checked += 1;
        let got = super::extract(&document(&ex.text, &ex.lang));
        if let Err(e) = check_example(&set.kind, ex, &got) {
            report.failures.push(fail(format!("{:?}: {e}", ex.text)));
        }
    }
    for ce in &set.counter_examples {
        report.checked += 1;
        let got = super::extract(&document(&ce.text, &ce.lang));
        if let Err(e) = check_counter_example(&set.kind, &got) {
            report
                .failures
                .push(fail(format!("counter-example {:?} {e}", ce.text)));
        }
    }
}

/// Every rule file proves itself in both languages of the corpus.
fn languages(sets: &[ExampleSet], report: &mut Report) {
    let mut files: Vec<&str> = sets.iter().map(|s| s.file).collect();
    files.dedup();
    for file in files {
        let written: Vec<&str> = sets
            .iter()
            .filter(|s| s.file == file)
            .flat_map(|s| s.examples.iter().chain(&s.counter_examples))
            .map(|e| e.lang.as_str())
            .collect();
        for lang in ["fr", "en"] {
            report.checked += 1;
            if !written.contains(&lang) {
                report.failures.push(Failure {
                    file: format!("entities/{file}"),
                    rule: "languages".to_string(),
                    message: format!("no {lang} example in the file"),
                });
            }
        }
    }
}

/// Each gazetteer name and acronym, found in a neutral sentence of our own.
fn gazetteer(rules: &Rules, report: &mut Report) {
    for g in &rules.orgs {
        let fail = |message: String| Failure {
            file: "entities/organisations.toml".to_string(),
            rule: g.entry.id.clone(),
            message,
        };
        for name in g.entry.names.iter().chain(&g.entry.aliases) {
            report.checked += 1;
            let sentence = format!("Nous saluons le travail de {name} depuis des années.");
            let index = orgs::find(&sentence, rules, Some("fr"));
            let key = org_key(name);
            if !index.orgs.iter().any(|o| o.keys().contains(&key)) {
                report
                    .failures
                    .push(fail(format!("name {name:?} not found in {sentence:?}")));
            }
        }
        for acronym in &g.entry.acronyms {
            report.checked += 1;
            let sentence = format!("Le rapport publié par l'{acronym} en 2014 le montre.");
            let index = orgs::find(&sentence, rules, Some("fr"));
            if !index
                .orgs
                .iter()
                .any(|o| o.gaz.as_deref() == Some(g.entry.id.as_str()))
            {
                report.failures.push(fail(format!(
                    "acronym {acronym:?} not found in {sentence:?}"
                )));
            }
        }
    }
}

/// Runs every entity rule's examples and counter-examples and every gazetteer entry. Rules that
/// do not load are one failure.
pub fn run() -> Report {
    let mut report = Report::default();
    let rules = match super::rules::rules() {
        Ok(r) => r,
        Err(e) => {
            report.failures.push(Failure {
                file: "entities".to_string(),
                rule: "load".to_string(),
                message: e.to_string(),
            });
            return report;
        }
    };
    for set in &rules.examples {
        run_set(set, &mut report);
    }
    languages(&rules.examples, &mut report);
    gazetteer(rules, &mut report);
    report
}
