//! Rule files (`rules/facts/*.toml`): loading, fragment expansion, compilation.
//!
//! Three kinds of file, told apart by name:
//! * `lexicon.LANG.toml`: word tables (months, weekdays, number words). Each table also becomes
//!   a fragment of the same name: `{months}` is the alternation of its words, longest first.
//! * `fragments.LANG.toml` (and `fragments.toml` for every language): named regex pieces.
//! * any other `NAME.LANG.toml` (`LANG` = `any` for rules of every language): `[[rule]]`
//!   (a pattern and a resolver) and `[[combine]]` (two mentions and the text between them).
//!
//! `{name}` in a pattern is replaced by the fragment `name` (recursively, with cycle and
//! unknown-name checks) when the rules load; every pattern compiles once, case-insensitive.

use anyhow::{Context as _, Result, anyhow, bail};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::numbers::NumberWords;

/// The rule files built into the binary, as (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "lexicon.fr.toml",
        include_str!("../../rules/facts/lexicon.fr.toml"),
    ),
    (
        "lexicon.en.toml",
        include_str!("../../rules/facts/lexicon.en.toml"),
    ),
    (
        "fragments.toml",
        include_str!("../../rules/facts/fragments.toml"),
    ),
    (
        "fragments.fr.toml",
        include_str!("../../rules/facts/fragments.fr.toml"),
    ),
    (
        "fragments.en.toml",
        include_str!("../../rules/facts/fragments.en.toml"),
    ),
    (
        "contacts.any.toml",
        include_str!("../../rules/facts/contacts.any.toml"),
    ),
    (
        "dates.any.toml",
        include_str!("../../rules/facts/dates.any.toml"),
    ),
    (
        "dates.fr.toml",
        include_str!("../../rules/facts/dates.fr.toml"),
    ),
    (
        "dates.en.toml",
        include_str!("../../rules/facts/dates.en.toml"),
    ),
    (
        "numbers.fr.toml",
        include_str!("../../rules/facts/numbers.fr.toml"),
    ),
    (
        "numbers.en.toml",
        include_str!("../../rules/facts/numbers.en.toml"),
    ),
];

/// The languages with rule files. Other languages use the English rules plus the common ones.
pub const LANGUAGES: &[&str] = &["fr", "en"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// The expected value of the mention covering the most text, as `probe` prints it
    /// (ISO string, number, e-mail...). For numbers with a qualifier: `"more_than 500"`.
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub pattern: String,
    pub resolve: String,
    pub confidence: f64,
    #[serde(default)]
    pub priority: i32,
    /// What a date from this rule is about when no trigger word says otherwise.
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombineSpec {
    pub id: String,
    /// Kinds of the mentions combined, in text order: `date` (a date without time), `time` (a
    /// time without date), `datetime`, `point` (any of those), `weekday` (a weekday alone),
    /// `interval`. One or two parts.
    pub parts: Vec<String>,
    /// Regex the text just before the first part must end with (optional).
    #[serde(default)]
    pub lead: Option<String>,
    /// Regex the whole text between two parts must match.
    #[serde(default)]
    pub gap: Option<String>,
    /// Regex the text just after the last part must start with (optional).
    #[serde(default)]
    pub trail: Option<String>,
    pub resolve: String,
    pub confidence: f64,
    #[serde(default)]
    pub about: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    combine: Vec<CombineSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentFile {
    fragments: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    months: BTreeMap<String, u32>,
    #[serde(default)]
    weekdays: BTreeMap<String, u32>,
    #[serde(default)]
    cardinals: BTreeMap<String, f64>,
    #[serde(default)]
    ordinals: BTreeMap<String, f64>,
    /// Fixed-date holidays: name -> "MM-DD".
    #[serde(default)]
    holidays: BTreeMap<String, String>,
    #[serde(default)]
    joiners: Vec<String>,
    #[serde(default)]
    decimal_words: Vec<String>,
    /// Trigger stems of `about` values: `created = ["créé", "fondé"]`.
    #[serde(default)]
    about: BTreeMap<String, Vec<String>>,
}

/// The word tables of one language.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub months: BTreeMap<String, u32>,
    pub weekdays: BTreeMap<String, u32>,
    /// Fixed-date holidays: lower-case name -> (month, day).
    pub holidays: BTreeMap<String, (u32, u32)>,
    pub numbers: NumberWords,
    /// (about value, trigger stems), checked nearest first.
    pub about: Vec<(String, Vec<String>)>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    pub regex: Regex,
    /// The regex's capture group names, by index (resolvers look groups up by name).
    pub group_names: Vec<Option<String>>,
    pub file: String,
}

#[derive(Debug)]
pub struct Combine {
    pub spec: CombineSpec,
    pub lead: Option<Regex>,
    pub gap: Option<Regex>,
    pub trail: Option<Regex>,
    pub file: String,
}

/// Every rule of one language (its own and the common ones), compiled.
#[derive(Debug)]
pub struct LanguageRules {
    pub language: String,
    pub rules: Vec<Rule>,
    pub combines: Vec<Combine>,
    pub lexicon: Lexicon,
    /// Reference time of the examples, per rule file.
    pub references: BTreeMap<String, String>,
}

pub const RESOLVERS: &[&str] = &[
    "day_month_year",
    "month_year",
    "year",
    "day",
    "weekday",
    "weekday_day_month_time",
    "numeric_date",
    "time_of_day",
    "datetime",
    "interval",
    "year_range",
    "today",
    "relative_day",
    "holiday",
    "dateline",
    "number",
    "number_words",
    "ordinal",
    "ordinal_words",
    "qualifier",
    "number_range",
    "phone",
    "email",
    "email_spoken",
    "url",
    "host",
];

pub const COMBINE_RESOLVERS: &[&str] = &[
    "datetime",
    "interval",
    "interval_pm",
    "open_after",
    "open_before",
];

/// Raw file contents by name, from the binary or a folder.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| anyhow!("bad file name {}", path.display()))?
            .to_string();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        files.push((name, text));
    }
    files.sort();
    Ok(files)
}

/// `NAME.LANG.toml` -> (NAME, Some(LANG)); `NAME.toml` -> (NAME, None).
fn split_name(file: &str) -> (&str, Option<&str>) {
    let stem = file.strip_suffix(".toml").unwrap_or(file);
    match stem.rsplit_once('.') {
        Some((name, lang)) => (name, Some(lang)),
        None => (stem, None),
    }
}

fn alternation(words: impl Iterator<Item = String>) -> String {
    let mut ws: Vec<String> = words.collect();
    ws.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    ws.dedup();
    let parts: Vec<String> = ws
        .iter()
        .map(|w| {
            regex::escape(w)
                .replace("\\ ", "\\s+")
                .replace(' ', "\\s+")
                .replace('\'', "['’]")
        })
        .collect();
    format!("(?:{})", parts.join("|"))
}

/// Expands `{name}` references. Regex repetitions (`{2}`, `{1,3}`) start with a digit and stay.
pub fn expand(pattern: &str, fragments: &BTreeMap<String, String>, depth: usize) -> Result<String> {
    if depth > 12 {
        bail!("fragment references nest too deep (a cycle?) in {pattern:?}");
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let closes = after[name_len..].starts_with('}');
        if !name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic()) && closes {
            let body = fragments
                .get(name)
                .ok_or_else(|| anyhow!("unknown fragment {{{name}}}"))?;
            out.push_str("(?:");
            out.push_str(&expand(body, fragments, depth + 1)?);
            out.push(')');
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `\b` becomes an ASCII word boundary: the regex crate's fast automata give up on Unicode word
/// boundaries in non-ASCII text (French), which made matching a hundred times slower. Letters
/// with accents then count as non-word characters, which the patterns tolerate.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str("(?-u:\\b)"),
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn compile(pattern: &str) -> Result<Regex> {
    let pattern = &ascii_boundaries(pattern);
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(64 << 20)
        .dfa_size_limit(crate::wordre::DFA_CACHE_BYTES)
        .build()
        .with_context(|| format!("compiling {pattern:?}"))
}

fn number_words_of(lx: &LexiconFile) -> NumberWords {
    NumberWords {
        cardinals: lx.cardinals.clone(),
        ordinals: lx.ordinals.clone(),
        joiners: lx.joiners.clone(),
        decimal_words: lx.decimal_words.clone(),
    }
}

/// The number words of the built-in lexicon of `lang`, for readers of numbers outside the
/// engine (the quantities of `entities`), so that both read numbers with the same words.
pub fn embedded_number_words(lang: &str) -> Result<NumberWords> {
    let name = format!("lexicon.{lang}.toml");
    let (_, text) = EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| anyhow!("no built-in {name}"))?;
    let lx: LexiconFile = toml::from_str(text).with_context(|| format!("parsing {name}"))?;
    Ok(number_words_of(&lx))
}

/// Loads and compiles the rules of every language from file contents.
pub fn load(files: &[(String, String)]) -> Result<BTreeMap<String, LanguageRules>> {
    let mut out = BTreeMap::new();
    for lang in LANGUAGES {
        out.insert(lang.to_string(), load_language(files, lang)?);
    }
    Ok(out)
}

fn load_language(files: &[(String, String)], lang: &str) -> Result<LanguageRules> {
    let mut fragments: BTreeMap<String, String> = BTreeMap::new();
    let mut lexicon = Lexicon::default();
    for (name, text) in files {
        let (kind, file_lang) = split_name(name);
        if kind == "lexicon" && file_lang == Some(lang) {
            let lx: LexiconFile =
                toml::from_str(text).with_context(|| format!("parsing {name}"))?;
            fragments.insert("months".into(), alternation(lx.months.keys().cloned()));
            fragments.insert("weekdays".into(), alternation(lx.weekdays.keys().cloned()));
            fragments.insert(
                "cardinals".into(),
                alternation(lx.cardinals.keys().cloned()),
            );
            fragments.insert("ordinals".into(), alternation(lx.ordinals.keys().cloned()));
            fragments.insert("holidays".into(), alternation(lx.holidays.keys().cloned()));
            for (k, v) in &lx.holidays {
                let (m, d) = v
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .ok_or_else(|| anyhow!("{name}: holiday {k:?}: want \"MM-DD\", got {v:?}"))?;
                lexicon.holidays.insert(k.to_lowercase(), (m, d));
            }
            lexicon.numbers = number_words_of(&lx);
            lexicon.months = lx.months;
            lexicon.weekdays = lx.weekdays;
            lexicon.about = lx.about.into_iter().collect();
        }
    }
    for (name, text) in files {
        let (kind, file_lang) = split_name(name);
        if kind == "fragments" && (file_lang.is_none() || file_lang == Some(lang)) {
            let ff: FragmentFile =
                toml::from_str(text).with_context(|| format!("parsing {name}"))?;
            for (k, v) in ff.fragments {
                if fragments.insert(k.clone(), v).is_some() {
                    bail!("{name}: fragment {k} defined twice");
                }
            }
        }
    }
    let mut rules = Vec::new();
    let mut combines = Vec::new();
    let mut references = BTreeMap::new();
    for (name, text) in files {
        let (kind, file_lang) = split_name(name);
        if kind == "lexicon" || kind == "fragments" {
            continue;
        }
        if file_lang != Some(lang) && file_lang != Some("any") {
            continue;
        }
        let rf: RuleFile = toml::from_str(text).with_context(|| format!("parsing {name}"))?;
        if let Some(r) = rf.reference {
            references.insert(name.clone(), r);
        }
        for spec in rf.rule {
            if !RESOLVERS.contains(&spec.resolve.as_str()) {
                bail!(
                    "{name}: rule {}: unknown resolver {:?}",
                    spec.id,
                    spec.resolve
                );
            }
            let pattern = expand(&spec.pattern, &fragments, 0)
                .with_context(|| format!("{name}: rule {}", spec.id))?;
            let regex = compile(&pattern).with_context(|| format!("{name}: rule {}", spec.id))?;
            let group_names = regex
                .capture_names()
                .map(|n| n.map(str::to_string))
                .collect();
            rules.push(Rule {
                spec,
                regex,
                group_names,
                file: name.clone(),
            });
        }
        for spec in rf.combine {
            if !COMBINE_RESOLVERS.contains(&spec.resolve.as_str()) {
                bail!(
                    "{name}: combine {}: unknown resolver {:?}",
                    spec.id,
                    spec.resolve
                );
            }
            if spec.parts.is_empty() || spec.parts.len() > 2 {
                bail!("{name}: combine {}: one or two parts", spec.id);
            }
            let build = |p: &Option<String>, anchor: &str| -> Result<Option<Regex>> {
                p.as_ref()
                    .map(|p| {
                        let body = expand(p, &fragments, 0)?;
                        let full = match anchor {
                            "end" => format!("(?:{body})$"),
                            "start" => format!("^(?:{body})"),
                            _ => format!("^(?:{body})$"),
                        };
                        compile(&full)
                    })
                    .transpose()
                    .with_context(|| format!("{name}: combine {}", spec.id))
            };
            let lead = build(&spec.lead, "end")?;
            let gap = build(&spec.gap, "full")?;
            let trail = build(&spec.trail, "start")?;
            combines.push(Combine {
                lead,
                gap,
                trail,
                spec,
                file: name.clone(),
            });
        }
    }
    Ok(LanguageRules {
        language: lang.to_string(),
        rules,
        combines,
        lexicon,
        references,
    })
}
