//! The entity rules kept as data under `rules/entities/`, embedded in the binary and compiled once.

use super::text::{acronym_pattern, fold, tolerant_pattern};
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub const ORGANISATIONS_TOML: &str = include_str!("../../rules/entities/organisations.toml");
pub const ORG_HEADS_TOML: &str = include_str!("../../rules/entities/org_heads.toml");
pub const QUANTITIES_TOML: &str = include_str!("../../rules/entities/quantities.toml");
pub const OBJECTIVES_TOML: &str = include_str!("../../rules/entities/objectives.toml");
pub const PEOPLE_TOML: &str = include_str!("../../rules/entities/people.toml");
pub const DOCUMENTS_TOML: &str = include_str!("../../rules/entities/documents.toml");
pub const FIRST_NAMES_TXT: &str = include_str!("../../rules/entities/first_names.txt");

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
}

#[derive(Debug, Deserialize, Clone)]
pub struct HeadExample {
    pub text: String,
    pub expect: String,
}

#[derive(Debug, Deserialize)]
pub struct HeadRule {
    pub words: Vec<String>,
    pub org_type: String,
    #[serde(default)]
    pub examples: Vec<HeadExample>,
}

#[derive(Debug, Deserialize)]
struct StopPhrases {
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct HeadFile {
    head: Vec<HeadRule>,
    stop: StopPhrases,
}

#[derive(Debug, Deserialize, Clone)]
pub struct UnitExample {
    pub text: String,
    pub value: f64,
    pub unit: String,
    pub measure: String,
}

#[derive(Debug, Deserialize)]
pub struct UnitRule {
    pub unit: String,
    pub measure: String,
    pub nouns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<UnitExample>,
}

#[derive(Debug, Deserialize)]
struct StopNouns {
    nouns: Vec<String>,
    #[serde(default)]
    gap_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct QuantityFile {
    unit: Vec<UnitRule>,
    qualifiers: BTreeMap<String, Vec<String>>,
    stop: StopNouns,
}

#[derive(Debug, Deserialize, Clone)]
pub struct CueExample {
    pub text: String,
    pub expect: String,
}

#[derive(Debug, Deserialize)]
pub struct CueRule {
    pub kind: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub section_headings: Vec<String>,
    #[serde(default)]
    pub examples: Vec<CueExample>,
}

#[derive(Debug, Deserialize)]
struct ObjectiveFile {
    cue: Vec<CueRule>,
}

#[derive(Debug, Deserialize)]
pub struct HonorificRule {
    pub form: String,
    pub patterns: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct RoleExample {
    pub text: String,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Deserialize)]
struct RoleWords {
    words: Vec<String>,
    #[serde(default)]
    examples: Vec<RoleExample>,
}

#[derive(Debug, Deserialize)]
struct PeopleFile {
    honorific: Vec<HonorificRule>,
    roles: RoleWords,
    countries: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub struct DocKindRule {
    pub document_type: String,
    #[serde(default)]
    pub window: Option<usize>,
    #[serde(default)]
    pub anywhere: bool,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct DocumentFile {
    kind: Vec<DocKindRule>,
}

/// One gazetteer entry with its compiled patterns.
pub struct GazOrg {
    pub entry: OrgEntry,
    /// (listed name, pattern) for names and aliases, longest first.
    pub names: Vec<(String, Regex)>,
    pub acronyms: Vec<(String, Regex)>,
    pub shorts: Vec<(String, Regex)>,
}

pub struct UnitCompiled {
    pub unit: String,
    pub measure: String,
}

pub struct DocKind {
    pub rule: DocKindRule,
    pub re: Regex,
}

pub struct Rules {
    pub orgs: Vec<GazOrg>,
    pub heads: Vec<HeadRule>,
    /// Head word → org_type, longest words first.
    pub head_words: Vec<(String, String)>,
    pub stop_phrases: Vec<String>,
    pub units: Vec<UnitCompiled>,
    pub unit_rules: Vec<UnitRule>,
    /// Each unit noun (longest first) with the index of its unit in `units`.
    pub unit_nouns: Vec<(Regex, usize)>,
    /// The quantity pattern: qualifier? number adjectives? unit (named groups).
    pub quantity_re: Regex,
    pub qualifier_res: Vec<(String, Regex)>,
    pub stop_nouns: BTreeSet<String>,
    pub gap_words: BTreeSet<String>,
    pub cues: Vec<(CueRule, Regex)>,
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
    pub role_examples: Vec<RoleExample>,
    /// Folded country name → (code, name as listed).
    pub countries: BTreeMap<String, String>,
    pub first_names: BTreeSet<String>,
    pub doc_kinds: Vec<DocKind>,
}

/// Role words that end a line segment just before a name.
const ROLE_END_WORDS: &str = "secretary[- ]general|secrétaire général(?:e)?|president|président(?:e)?|mayor|maire|director|directeur|directrice|chair(?:man|woman|person)?|commissioner|commissaire|minister|ministre|coordinator|coordinateur|coordinatrice|spokesperson|porte-parole";

fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("bad pattern {pattern:?}: {e}"))
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

    let mut gaz = Vec::new();
    for entry in orgs.org {
        let mut names: Vec<String> = entry.names.iter().chain(&entry.aliases).cloned().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let names = names
            .into_iter()
            .map(|n| {
                Ok((
                    n.clone(),
                    compile(&format!("(?i){}", tolerant_pattern(&n)))?,
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let acronyms = entry
            .acronyms
            .iter()
            .map(|a| Ok((a.clone(), compile(&acronym_pattern(a))?)))
            .collect::<Result<Vec<_>, String>>()?;
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
                Ok((s.clone(), compile(&pattern)?))
            })
            .collect::<Result<Vec<_>, String>>()?;
        gaz.push(GazOrg {
            entry,
            names,
            acronyms,
            shorts,
        });
    }

    let mut head_words: Vec<(String, String)> = heads
        .head
        .iter()
        .flat_map(|h| h.words.iter().map(|w| (w.clone(), h.org_type.clone())))
        .collect();
    head_words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));

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
        super::number::number_pattern(),
        unit_group
    );
    let quantity_re = compile(&quantity_pattern)?;
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
            let re = compile(&format!(r"(?i)\b(?:{})(?:\b|\s|$)", alts.join("|")))?;
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
            let re = compile(&format!("(?im){}", k.patterns.join("|")))?;
            Ok(DocKind { rule: k, re })
        })
        .collect::<Result<Vec<_>, String>>()?;

    Ok(Rules {
        orgs: gaz,
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
        role_examples: people.roles.examples,
        countries,
        first_names,
        doc_kinds,
    })
}

/// The embedded rules, compiled on first use. An error names the broken file.
pub fn rules() -> Result<&'static Rules, &'static str> {
    static RULES: OnceLock<Result<Rules, String>> = OnceLock::new();
    RULES.get_or_init(load).as_ref().map_err(String::as_str)
}
