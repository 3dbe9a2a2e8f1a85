//! Every repair rule's examples must come out as written, and its counter-examples untouched
//! (the whole repairer runs, forced into the rule's language, whatever the OCR symptoms).

use docfacts::repair::Repairer;
use docfacts::repair::edits::rebuild_raw;
use docfacts::repair::lexicon::Lang;

#[test]
fn every_rule_example_and_counter_example() {
    let repairer = Repairer::embedded().expect("repairer");
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for rule in repairer.rules() {
        let langs: Vec<Lang> = match rule.lang {
            Some(l) => vec![l],
            None => vec![Lang::Fr, Lang::En],
        };
        for lang in langs {
            for (input, expected) in &rule.examples {
                checked += 1;
                let (clean, corrections) = repairer.repair_as(input, lang);
                if &clean != expected {
                    failures.push(format!(
                        "{} [{}] example {input:?}: got {clean:?}, want {expected:?}",
                        rule.id,
                        lang.code()
                    ));
                }
                assert_eq!(
                    rebuild_raw(&clean, &corrections).as_deref(),
                    Some(input.as_str())
                );
                if !corrections
                    .iter()
                    .any(|c| c.rule.split('+').any(|r| r == rule.id))
                {
                    failures.push(format!(
                        "{} [{}] example {input:?}: rule not logged in {corrections:?}",
                        rule.id,
                        lang.code()
                    ));
                }
            }
            for input in &rule.counter_examples {
                checked += 1;
                let (clean, _) = repairer.repair_as(input, lang);
                if &clean != input {
                    failures.push(format!(
                        "{} [{}] counter-example {input:?} changed to {clean:?}",
                        rule.id,
                        lang.code()
                    ));
                }
            }
        }
    }
    assert!(checked > 60, "only {checked} examples");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rules_have_ids_layers_and_examples() {
    let repairer = Repairer::embedded().expect("repairer");
    let rules = repairer.rules();
    assert!(rules.len() >= 30);
    for layer in ["structural", "lexical", "context"] {
        assert!(rules.iter().any(|r| r.layer.name() == layer), "{layer}");
    }
    for r in rules {
        assert!(r.id.contains('.'), "{}", r.id);
        assert!((0.0..=1.0).contains(&r.confidence));
    }
}

#[test]
fn lexicons_answer_membership_and_frequency() {
    let repairer = Repairer::embedded().expect("repairer");
    let lex = repairer.lexicons();
    for w in [
        "œuvre",
        "dernières",
        "Alliance",
        "ALLIANCE",
        "aujourd'hui",
        "aujourd’hui",
        "connaitre",
        "connaître",
    ] {
        assert!(lex.fr.knows(w), "fr {w}");
    }
    for w in ["ceuvre", "derniéres", "lhistoire", "r6le"] {
        assert!(!lex.fr.knows(w), "fr {w}");
    }
    for w in ["organisations", "organizations", "government", "The"] {
        assert!(lex.en.knows(w), "en {w}");
    }
    assert!(lex.fr.zipf("congrès") > lex.fr.zipf("congres") + 1.0);
    assert!(lex.fr.len() > 300_000 && lex.en.len() > 150_000);
}

/// French rules leave an English paragraph of a French document alone.
#[test]
fn foreign_paragraphs_are_left_alone() {
    let repairer = Repairer::embedded().expect("repairer");
    let text = "Conformément a la Déclaration de Strasbourg, les villes et les régions visent a renforcer les capacités des collectivités.\n\n\
Poverty is a cause of exclusion, and a la carte policies are not enough for the cities of the region.\n\n\
Les collectivités qui aspirent a devenir participant sont invitées a exprimer leur engagement auprès du Congrès.";
    let (clean, corrections) = repairer.repair_as(text, Lang::Fr);
    assert!(clean.contains("Conformément à la"), "{clean}");
    assert!(clean.contains("aspirent à devenir"), "{clean}");
    assert!(
        clean.contains("is a cause of exclusion, and a la carte"),
        "{clean}"
    );
    assert_eq!(corrections.len(), 4, "{corrections:?}");
}
