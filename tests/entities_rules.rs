//! Every rule file under rules/entities/ loads, and every example written in it gives the fact
//! it promises (the entity half of `docfacts rules test`).

mod common;

use docfacts::entities::{self, rules, selftest};
use docfacts::facts::selftest::Report;
use docfacts::model::{Extracted, Repaired, SourceKind};

fn doc(text: &str, language: &'static str) -> Repaired {
    let mut e = Extracted::new(SourceKind::Text);
    e.text = text.to_string();
    let mut r = Repaired::unchanged(e);
    r.language = Some(language);
    r
}

#[test]
fn rule_files_load() {
    let r = rules::rules().unwrap_or_else(|e| panic!("entity rules do not load: {e}"));
    assert!(r.orgs.len() > 50, "gazetteer has {} bodies", r.orgs.len());
    assert!(r.first_names.contains("Hélène"));
    assert!(r.first_names.len() > 400);
}

#[test]
fn every_entity_rule_example_passes() {
    let report = selftest::run();
    for f in &report.failures {
        eprintln!("FAIL {} {}: {}", f.file, f.rule, f.message);
    }
    assert!(report.checked > 350, "only {} checks", report.checked);
    assert!(
        report.failures.is_empty(),
        "{} entity rule checks failed",
        report.failures.len()
    );
}

#[test]
fn rules_test_command_runs_the_entity_examples() {
    let out = common::docfacts(&["rules", "test"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let entity_checks = selftest::run().checked;
    assert!(
        stdout.contains(&format!("entity rules: {entity_checks} checks")),
        "{stdout}"
    );
    assert!(stdout.contains(", 0 failed"), "{stdout}");
    assert_eq!(out.status.code(), Some(0));
}

fn example_set(rule: &str) -> rules::ExampleSet {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    r.examples
        .iter()
        .find(|s| s.rule == rule)
        .cloned()
        .unwrap_or_else(|| panic!("no example set {rule}"))
}

#[test]
fn every_rule_list_carries_examples_and_counter_examples() {
    let r = rules::rules().unwrap_or_else(|e| panic!("{e}"));
    for set in &r.examples {
        assert!(
            !set.examples.is_empty() || !set.counter_examples.is_empty(),
            "{} {} has neither examples nor counter-examples",
            set.file,
            set.rule
        );
    }
    for file in [
        "organisations.toml",
        "org_heads.toml",
        "quantities.toml",
        "objectives.toml",
        "people.toml",
        "documents.toml",
        "contacts.toml",
    ] {
        let counters: usize = r
            .examples
            .iter()
            .filter(|s| s.file == file)
            .map(|s| s.counter_examples.len())
            .sum();
        assert!(counters > 0, "{file} has no counter-example");
    }
}

#[test]
fn a_wrong_expectation_fails_and_names_its_rule() {
    let mut set = example_set("unit.cities");
    let Some(first) = set.examples.first_mut() else {
        panic!("unit.cities has no example");
    };
    first.value = Some(first.value.unwrap_or(0.0) + 1.0);
    let mut report = Report::default();
    selftest::run_set(&set, &mut report);
    assert_eq!(
        report.checked,
        set.examples.len() + set.counter_examples.len()
    );
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].rule, "unit.cities");
    assert_eq!(report.failures[0].file, "entities/quantities.toml");
    assert!(report.failures[0].message.contains("not found among"));
}

#[test]
fn a_counter_example_that_yields_a_fact_fails() {
    let mut set = example_set("head.body");
    let Some(example) = set.examples.first().cloned() else {
        panic!("head.body has no example");
    };
    set.examples.clear();
    set.counter_examples = vec![example];
    let mut report = Report::default();
    selftest::run_set(&set, &mut report);
    assert_eq!(report.checked, 1);
    assert_eq!(report.failures.len(), 1);
    assert!(report.failures[0].message.starts_with("counter-example"));
}

#[test]
fn attributes_the_example_does_not_give_must_be_absent() {
    // The person example of a role that names its body: dropping the organisation from the
    // expectation must fail, since the fact carries one.
    let mut set = example_set("roles");
    set.examples.retain(|e| e.organisation.is_some());
    set.counter_examples.clear();
    assert!(!set.examples.is_empty());
    for e in &mut set.examples {
        e.organisation = None;
    }
    let mut report = Report::default();
    selftest::run_set(&set, &mut report);
    assert_eq!(report.failures.len(), set.examples.len());
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
