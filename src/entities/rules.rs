//! The entity rules kept as data under `rules/entities/`, embedded in the binary and compiled once.

use super::gazetteer::{PatternId, PatternSet, Spec};
use super::text::{acronym_pattern, fold, tolerant_pattern};
use crate::facts::numbers::{NumberWords, ORDINAL_SUFFIXES};
use crate::facts::rules::embedded_number_words;
use crate::wordre::WordRegex;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

pub const ORGANISATIONS_TOML: &str = include_str!("../../rules/entities/organisations.toml");
pub const ORG_HEADS_TOML: &str = include_str!("../../rules/entities/org_heads.toml");
pub const QUANTITIES_TOML: &str = include_str!("../../rules/entities/quantities.toml");
pub const OBJECTIVES_TOML: &str = include_str!("../../rules/entities/objectives.toml");
pub const PEOPLE_TOML: &str = include_str!("../../rules/entities/people.toml");
pub const DOCUMENTS_TOML: &str = include_str!("../../rules/entities/documents.toml");
pub const CONTACTS_TOML: &str = include_str!("../../rules/entities/contacts.toml");
pub const FIRST_NAMES_TXT: &str = include_str!("../../rules/entities/first_names.txt");

/// One example or counter-example of an entity rule: a sentence of our own and, for an example,
/// the fact it must yield. Only the fields of the rule's fact type are read; see
/// `rules/entities/README.md`.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub lang: String,
    pub text: String,
    // Organisations and people (name), contacts (name of the person).
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub org_type: Option<String>,
    // Quantities.
    pub value: Option<f64>,
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub measure: Option<String>,
    pub subject: Option<String>,
    // People and contacts.
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub honorific: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub kind: Option<String>,
    // Objectives: every objective of the text, in order.
    #[serde(default)]
    pub objectives: Vec<String>,
}

/// The fact type an example set is checked against, with what the rule fixes of it.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpectKind {
    Organisation { org_type: Option<String> },
    Quantity { unit: Option<String> },
    Objective,
    Person,
    Contact { rule: String },
    DocumentType { document_type: String },
}

/// The examples and counter-examples written next to one rule.
#[derive(Debug, Clone)]
pub struct ExampleSet {
    pub file: &'static str,
    pub rule: String,
    pub kind: ExpectKind,
    pub examples: Vec<Example>,
    pub counter_examples: Vec<Example>,
}

/// Examples of a part of a file that is not a rule list of its own (stop lists, qualifiers).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExamplesOnly {
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
pub struct OrgEntry {
    pub id: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub short: Vec<String>,
    pub org_type: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OrgFile {
    org: Vec<OrgEntry>,
    /// How the gazetteer is used in running text (aliases, acronyms, short forms).
    #[serde(default)]
    usage: ExamplesOnly,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadRule {
    pub words: Vec<String>,
    pub org_type: String,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StopPhrases {
    phrases: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct HeadFile {
    head: Vec<HeadRule>,
    /// Examples of the organisation patterns written in code (orgs.rs).
    #[serde(default)]
    patterns: ExamplesOnly,
    stop: StopPhrases,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRule {
    pub unit: String,
    pub measure: String,
    pub nouns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StopNouns {
    nouns: Vec<String>,
    #[serde(default)]
    gap_words: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct QuantityFile {
    unit: Vec<UnitRule>,
    qualifiers: BTreeMap<String, Vec<String>>,
    /// Examples of the qualifiers and of shares ("40 %"), which have no unit rule.
    #[serde(default)]
    qualifier_examples: ExamplesOnly,
    #[serde(default)]
    percent: ExamplesOnly,
    stop: StopNouns,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueRule {
    pub kind: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub section_headings: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct ObjectiveFile {
    cue: Vec<CueRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HonorificRule {
    pub form: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleWords {
    words: Vec<String>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct PeopleFile {
    honorific: Vec<HonorificRule>,
    roles: RoleWords,
    countries: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    country_examples: ExamplesOnly,
    /// Names told by a listed first name alone (`first_names.txt`).
    #[serde(default)]
    first_name_examples: ExamplesOnly,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocKindRule {
    pub document_type: String,
    #[serde(default)]
    pub window: Option<usize>,
    #[serde(default)]
    pub anywhere: bool,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<Example>,
}

/// `contacts.toml`: the contact rules are code (`contacts.rs`); their examples live here.
#[derive(Debug, Deserialize)]
struct ContactFile {
    rule: Vec<ContactRuleExamples>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactRuleExamples {
    id: String,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    counter_examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct DocumentFile {
    kind: Vec<DocKindRule>,
}

/// One gazetteer entry with its patterns, which live in [`Rules::gazetteer`].
pub struct GazOrg {
    pub entry: OrgEntry,
    /// (listed name, pattern) for names and aliases, longest first.
    pub names: Vec<(String, PatternId)>,
    pub acronyms: Vec<(String, PatternId)>,
    pub shorts: Vec<(String, PatternId)>,
}

pub struct UnitCompiled {
    pub unit: String,
    pub measure: String,
}

pub struct DocKind {
    pub rule: DocKindRule,
    pub re: WordRegex,
}

/// Head words of organisation names with their org_type, by first character: every capital
/// letter of a text is asked whether a head word starts there (a scan of all of them, each a
/// string comparison, was a tenth of the organisation finder).
pub struct HeadWords {
    /// First character → (word, org_type), longest words first.
    by_first: HashMap<char, Vec<(String, String)>>,
}

impl HeadWords {
    fn new(mut words: Vec<(String, String)>) -> Self {
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut by_first: HashMap<char, Vec<(String, String)>> = HashMap::default();
        for (word, org_type) in words {
            if let Some(first) = word.chars().next() {
                by_first.entry(first).or_default().push((word, org_type));
            }
        }
        HeadWords { by_first }
    }

    /// The head word that starts at byte `pos` of `text` and ends at a word end (the longest),
    /// with its org_type.
    pub fn at(&self, text: &str, pos: usize) -> Option<(&str, &str)> {
        let rest = text.get(pos..)?;
        let words = self.by_first.get(&rest.chars().next()?)?;
        words.iter().find_map(|(w, t)| {
            let after = rest.strip_prefix(w.as_str())?;
            let boundary = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            boundary.then_some((w.as_str(), t.as_str()))
        })
    }
}

pub struct Rules {
    pub orgs: Vec<GazOrg>,
    /// Every pattern of `orgs`, searched together (one automaton over literal anchors).
    pub gazetteer: PatternSet,
    pub heads: Vec<HeadRule>,
    /// Head word → org_type.
    pub head_words: HeadWords,
    pub stop_phrases: Vec<String>,
    pub units: Vec<UnitCompiled>,
    pub unit_rules: Vec<UnitRule>,
    /// Each unit noun (longest first) with the index of its unit in `units`.
    pub unit_nouns: Vec<(Regex, usize)>,
    /// The quantity pattern: qualifier? number adjectives? unit (named groups).
    pub quantity_re: WordRegex,
    pub qualifier_res: Vec<(String, Regex)>,
    pub stop_nouns: BTreeSet<String>,
    pub gap_words: BTreeSet<String>,
    pub cues: Vec<(CueRule, WordRegex)>,
    pub honorifics: Vec<HonorificRule>,
    /// An honorific then a capitalised name of up to three words (groups `hon`, `name`).
    pub honorific_name_re: Regex,
    /// A role word ending a line segment just before a name ("… le maire\n").
    pub role_end_re: Regex,
    /// Each honorific pattern (anchored) with the form the fact keeps.
    pub honorific_forms: Vec<(Regex, String)>,
    /// Per cue (same order as `cues`): the pattern its section heading must match, if any.
    pub section_res: Vec<Option<Regex>>,
    pub role_re: Regex,
    /// Folded country name → (code, name as listed).
    pub countries: BTreeMap<String, String>,
    pub first_names: BTreeSet<String>,
    pub doc_kinds: Vec<DocKind>,
    /// Every rule's examples and counter-examples, for `docfacts rules test`.
    pub examples: Vec<ExampleSet>,
    /// Number words of the fact engine's lexicons: quantities read numbers as the number rules do.
    pub numbers_fr: NumberWords,
    pub numbers_en: NumberWords,
}

impl Rules {
    pub fn number_words(&self, english: bool) -> &NumberWords {
        if english {
            &self.numbers_en
        } else {
            &self.numbers_fr
        }
    }
}

/// Regex fragment of one number in a counting phrase: digits with separators, an optional scale
/// word and an optional ordinal suffix, or a cardinal word of either lexicon. "un"/"one" are
/// left out on purpose (as quantities they are nearly always articles: "une ville"), and so are
/// bare scale words ("several thousand euros", "cent" in "pour cent").
fn number_pattern(fr: &NumberWords, en: &NumberWords) -> String {
    let cardinals = || fr.cardinals.iter().chain(&en.cardinals);
    let mut words: Vec<&str> = cardinals()
        .filter(|(_, v)| (2.0..100.0).contains(*v))
        .map(|(w, _)| w.as_str())
        .collect();
    let mut scales: Vec<&str> = cardinals()
        .filter(|(_, v)| **v >= 1000.0)
        .map(|(w, _)| w.as_str())
        .collect();
    for list in [&mut words, &mut scales] {
        list.sort_by_key(|w| (std::cmp::Reverse(w.len()), *w));
        list.dedup();
    }
    format!(
        r"(?:\d{{1,3}}(?:[ \u{{a0}}\u{{202f}}.,]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s*(?:{})s?\b)?(?:{})?\b|\b(?i:{})\b",
        scales.join("|"),
        ORDINAL_SUFFIXES.join("|"),
        words.join("|")
    )
}

/// Role words that end a line segment just before a name.
const ROLE_END_WORDS: &str = "secretary[- ]general|secrétaire général(?:e)?|president|président(?:e)?|mayor|maire|director|directeur|directrice|chair(?:man|woman|person)?|commissioner|commissaire|minister|ministre|coordinator|coordinateur|coordinatrice|spokesperson|porte-parole";

fn compile(pattern: &str) -> Result<Regex, String> {
    crate::wordre::regex(pattern).map_err(|e| format!("bad pattern {pattern:?}: {e}"))
}

/// A pattern run over whole documents: word boundaries searched through a DFA prefilter.
fn compile_word(pattern: &str) -> Result<WordRegex, String> {
    WordRegex::new(pattern).map_err(|e| format!("bad pattern {pattern:?}: {e}"))
}

/// The parsed rule files, before compilation.
struct RuleFiles<'a> {
    orgs: &'a OrgFile,
    heads: &'a HeadFile,
    quantities: &'a QuantityFile,
    objectives: &'a ObjectiveFile,
    people: &'a PeopleFile,
    documents: &'a DocumentFile,
    contacts: &'a ContactFile,
}

/// Every example set of the rule files, each tagged with the fact type it is checked against.
fn example_sets(files: &RuleFiles) -> Vec<ExampleSet> {
    let set = |file: &'static str,
               rule: String,
               kind: ExpectKind,
               examples: &[Example],
               counter_examples: &[Example]| ExampleSet {
        file,
        rule,
        kind,
        examples: examples.to_vec(),
        counter_examples: counter_examples.to_vec(),
    };
    let only = |file: &'static str, rule: &str, kind: ExpectKind, e: &ExamplesOnly| {
        set(
            file,
            rule.to_string(),
            kind,
            &e.examples,
            &e.counter_examples,
        )
    };
    let mut out = vec![only(
        "organisations.toml",
        "usage",
        ExpectKind::Organisation { org_type: None },
        &files.orgs.usage,
    )];
    for h in &files.heads.head {
        out.push(set(
            "org_heads.toml",
            format!("head.{}", h.org_type),
            ExpectKind::Organisation {
                org_type: Some(h.org_type.clone()),
            },
            &h.examples,
            &h.counter_examples,
        ));
    }
    out.push(only(
        "org_heads.toml",
        "patterns",
        ExpectKind::Organisation { org_type: None },
        &files.heads.patterns,
    ));
    out.push(set(
        "org_heads.toml",
        "stop".to_string(),
        ExpectKind::Organisation { org_type: None },
        &[],
        &files.heads.stop.counter_examples,
    ));
    for u in &files.quantities.unit {
        out.push(set(
            "quantities.toml",
            format!("unit.{}", u.unit),
            ExpectKind::Quantity {
                unit: Some(u.unit.clone()),
            },
            &u.examples,
            &u.counter_examples,
        ));
    }
    out.push(only(
        "quantities.toml",
        "qualifiers",
        ExpectKind::Quantity { unit: None },
        &files.quantities.qualifier_examples,
    ));
    out.push(only(
        "quantities.toml",
        "percent",
        ExpectKind::Quantity {
            unit: Some("percent".to_string()),
        },
        &files.quantities.percent,
    ));
    out.push(set(
        "quantities.toml",
        "stop".to_string(),
        ExpectKind::Quantity { unit: None },
        &[],
        &files.quantities.stop.counter_examples,
    ));
    for c in &files.objectives.cue {
        out.push(set(
            "objectives.toml",
            format!("cue.{}", c.kind),
            ExpectKind::Objective,
            &c.examples,
            &c.counter_examples,
        ));
    }
    for h in &files.people.honorific {
        out.push(set(
            "people.toml",
            format!("honorific.{}", h.form),
            ExpectKind::Person,
            &h.examples,
            &h.counter_examples,
        ));
    }
    let roles = &files.people.roles;
    out.push(set(
        "people.toml",
        "roles".to_string(),
        ExpectKind::Person,
        &roles.examples,
        &roles.counter_examples,
    ));
    out.push(only(
        "people.toml",
        "countries",
        ExpectKind::Person,
        &files.people.country_examples,
    ));
    out.push(only(
        "people.toml",
        "first_names",
        ExpectKind::Person,
        &files.people.first_name_examples,
    ));
    for k in &files.documents.kind {
        out.push(set(
            "documents.toml",
            format!("kind.{}", k.document_type),
            ExpectKind::DocumentType {
                document_type: k.document_type.clone(),
            },
            &k.examples,
            &k.counter_examples,
        ));
    }
    for c in &files.contacts.rule {
        out.push(set(
            "contacts.toml",
            c.id.clone(),
            ExpectKind::Contact { rule: c.id.clone() },
            &c.examples,
            &c.counter_examples,
        ));
    }
    out
}

fn load() -> Result<Rules, String> {
    let orgs: OrgFile =
        toml::from_str(ORGANISATIONS_TOML).map_err(|e| format!("organisations.toml: {e}"))?;
    let heads: HeadFile =
        toml::from_str(ORG_HEADS_TOML).map_err(|e| format!("org_heads.toml: {e}"))?;
    let quantities: QuantityFile =
        toml::from_str(QUANTITIES_TOML).map_err(|e| format!("quantities.toml: {e}"))?;
    let objectives: ObjectiveFile =
        toml::from_str(OBJECTIVES_TOML).map_err(|e| format!("objectives.toml: {e}"))?;
    let people: PeopleFile =
        toml::from_str(PEOPLE_TOML).map_err(|e| format!("people.toml: {e}"))?;
    let documents: DocumentFile =
        toml::from_str(DOCUMENTS_TOML).map_err(|e| format!("documents.toml: {e}"))?;
    let contacts: ContactFile =
        toml::from_str(CONTACTS_TOML).map_err(|e| format!("contacts.toml: {e}"))?;
    let examples = example_sets(&RuleFiles {
        orgs: &orgs,
        heads: &heads,
        quantities: &quantities,
        objectives: &objectives,
        people: &people,
        documents: &documents,
        contacts: &contacts,
    });

    let mut gaz = Vec::new();
    let mut specs: Vec<Spec> = Vec::new();
    let mut add = |spec: Spec| {
        specs.push(spec);
        specs.len() - 1
    };
    for entry in orgs.org {
        let mut names: Vec<String> = entry.names.iter().chain(&entry.aliases).cloned().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let names = names
            .into_iter()
            .map(|n| {
                let id = add(Spec::Regex(format!("(?i){}", tolerant_pattern(&n))));
                (n, id)
            })
            .collect();
        let acronyms = entry
            .acronyms
            .iter()
            .map(|a| {
                let id = add(Spec::Acronym {
                    acronym: a.clone(),
                    pattern: acronym_pattern(a),
                });
                (a.clone(), id)
            })
            .collect();
        // Short forms keep their capital: "Congrès" the body, not "un congrès".
        let shorts = entry
            .short
            .iter()
            .map(|s| {
                let first: String = s.chars().take(1).collect();
                let rest: String = s.chars().skip(1).collect();
                let pattern = format!(r"\b{}(?i:{})\b", regex::escape(&first), {
                    let p = tolerant_pattern(&rest);
                    p.trim_start_matches(r"\b").to_string()
                });
                (s.clone(), add(Spec::Regex(pattern)))
            })
            .collect();
        gaz.push(GazOrg {
            entry,
            names,
            acronyms,
            shorts,
        });
    }
    let gazetteer = PatternSet::new(&specs)?;

    let head_words = HeadWords::new(
        heads
            .head
            .iter()
            .flat_map(|h| h.words.iter().map(|w| (w.clone(), h.org_type.clone())))
            .collect(),
    );

    let numbers_fr = embedded_number_words("fr").map_err(|e| format!("{e:#}"))?;
    let numbers_en = embedded_number_words("en").map_err(|e| format!("{e:#}"))?;
    let mut noun_alts: Vec<(String, usize)> = Vec::new();
    for (i, u) in quantities.unit.iter().enumerate() {
        for n in &u.nouns {
            noun_alts.push((n.clone(), i));
        }
    }
    // Longest nouns first so "villes et régions" beats "villes".
    noun_alts.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let unit_group = noun_alts
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join("|");
    let unit_nouns = noun_alts
        .iter()
        .map(|(n, i)| Ok((compile(&format!("(?i)^(?:{n})$"))?, *i)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut qualifier_alts: Vec<String> = quantities
        .qualifiers
        .values()
        .flatten()
        .map(|q| tolerant_pattern(q))
        .collect();
    qualifier_alts.sort_by_key(|q| std::cmp::Reverse(q.len()));
    let quantity_pattern = format!(
        r"(?i)(?:(?P<qual>{})\s+)?(?P<num>{}|\d+(?:st|nd|rd|th|e|ème|er)\b)\s*(?P<pct>%)?(?P<adj>(?:\s*(?:of\s+)?[\p{{L}}][\p{{L}}’'-]*){{0,3}}?)\s*\b(?P<unit>{})(?:\b|$)",
        qualifier_alts.join("|"),
        number_pattern(&numbers_fr, &numbers_en),
        unit_group
    );
    let quantity_re = compile_word(&quantity_pattern)?;
    let qualifier_res = quantities
        .qualifiers
        .iter()
        .map(|(k, v)| {
            let alts: Vec<String> = v.iter().map(|q| tolerant_pattern(q)).collect();
            Ok((
                k.clone(),
                compile(&format!("(?i)^(?:{})$", alts.join("|")))?,
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let units = quantities
        .unit
        .iter()
        .map(|u| UnitCompiled {
            unit: u.unit.clone(),
            measure: u.measure.clone(),
        })
        .collect();

    let section_res = objectives
        .cue
        .iter()
        .map(|c| {
            if c.section_headings.is_empty() {
                Ok(None)
            } else {
                compile(&format!(r"\b(?:{})\b", c.section_headings.join("|"))).map(Some)
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    let cues = objectives
        .cue
        .into_iter()
        .map(|c| {
            // A space in a cue also matches a line break ("a principalement\npour but").
            let alts: Vec<String> = c.patterns.iter().map(|p| p.replace(' ', r"\s+")).collect();
            let re = compile_word(&format!(r"(?i)\b(?:{})(?:\b|\s|$)", alts.join("|")))?;
            Ok((c, re))
        })
        .collect::<Result<Vec<_>, String>>()?;

    let honorific_re = people
        .honorific
        .iter()
        .flat_map(|h| h.patterns.iter().cloned())
        .collect::<Vec<_>>()
        .join("|");
    let honorific_forms = people
        .honorific
        .iter()
        .flat_map(|h| h.patterns.iter().map(move |p| (p, &h.form)))
        .map(|(p, form)| Ok((compile(&format!("^(?:{p})$"))?, form.clone())))
        .collect::<Result<Vec<_>, String>>()?;
    let honorific_name_re = compile(&format!(
        r"(?:^|[^\p{{L}}])(?P<hon>{honorific_re})[ \t]+(?P<name>\p{{Lu}}[\p{{L}}'’-]+(?:[ \t\n]+\p{{Lu}}[\p{{L}}'’-]+){{0,2}})"
    ))?;
    let role_end_re = compile(&format!(
        r"(?i)(?:\p{{Lu}}[\p{{L}} ]*?\s)?\b(?:{ROLE_END_WORDS})\s*$"
    ))?;
    let role_re = compile(&format!(r"(?i)^(?:{})\b", people.roles.words.join("|")))?;
    let mut countries = BTreeMap::new();
    for (code, names) in &people.countries {
        for n in names {
            countries.insert(fold(n), code.clone());
        }
    }
    let first_names = FIRST_NAMES_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let doc_kinds = documents
        .kind
        .into_iter()
        .map(|k| {
            let re = compile_word(&format!("(?im){}", k.patterns.join("|")))?;
            Ok(DocKind { rule: k, re })
        })
        .collect::<Result<Vec<_>, String>>()?;

    Ok(Rules {
        orgs: gaz,
        gazetteer,
        heads: heads.head,
        head_words,
        stop_phrases: heads.stop.phrases,
        units,
        unit_rules: quantities.unit,
        unit_nouns,
        quantity_re,
        qualifier_res,
        gap_words: quantities.stop.gap_words.into_iter().collect(),
        stop_nouns: quantities.stop.nouns.into_iter().collect(),
        cues,
        honorifics: people.honorific,
        honorific_name_re,
        role_end_re,
        honorific_forms,
        section_res,
        role_re,
        countries,
        first_names,
        doc_kinds,
        examples,
        numbers_fr,
        numbers_en,
    })
}

/// The embedded rules, compiled on first use. An error names the broken file.
pub fn rules() -> Result<&'static Rules, &'static str> {
    static RULES: OnceLock<Result<Rules, String>> = OnceLock::new();
    RULES.get_or_init(load).as_ref().map_err(String::as_str)
}
