//! Repair rules as data: `rules/repair/*.toml`, one file per language (`common.toml` for rules
//! of every language), embedded in the binary. Each rule has an id, a layer, its own fields,
//! a confidence, and examples / counter-examples that `cargo test` runs.

use super::lexicon::Lang;
use anyhow::{Context, Result, bail};
use regex::Regex;
use serde::Deserialize;

/// The repair layers, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Structural,
    Lexical,
    Context,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Structural => "structural",
            Layer::Lexical => "lexical",
            Layer::Context => "context",
        }
    }

    pub fn parse(name: &str) -> Option<Layer> {
        match name {
            "structural" => Some(Layer::Structural),
            "lexical" => Some(Layer::Lexical),
            "context" => Some(Layer::Context),
            _ => None,
        }
    }
}

/// Checks a structural match must pass before it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    /// The word that follows the target (skipping apostrophes) is a known word, a capitalised
    /// word, or a word the lexical layer can fix.
    NextWordKnown,
    /// The letters around the target, with the replacement in place, form a known word.
    ResultWordKnown,
    /// The letters around the target, as they stand, are not a known word.
    RawWordUnknown,
    /// The apostrophe is not an opening quotation mark (no closing one on the same line).
    NotQuote,
    /// Line-end hyphenation: the letters around the target joined are a known word, and the
    /// hyphenated compound is not.
    HyphenJoin,
}

/// How a context rule sees a neighbouring word.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordTest {
    /// Lower-cased word is one of these (an elided word is written with its apostrophe: `l'`).
    #[serde(default)]
    pub is: Vec<String>,
    /// Lower-cased word starts with one of these.
    #[serde(default)]
    pub prefix: Vec<String>,
    /// Lower-cased word ends with one of these (and is at least 4 letters long).
    #[serde(default)]
    pub suffix: Vec<String>,
    /// The word starts with an upper-case letter (and is not the first of a sentence).
    #[serde(default)]
    pub capitalised: bool,
    /// There is no word (start or end of the text, or a line of its own).
    #[serde(default)]
    pub none: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    layer: Layer,
    #[serde(default)]
    description: String,
    confidence: f64,
    // structural
    pattern: Option<String>,
    replacement: Option<String>,
    #[serde(default)]
    guards: Vec<Guard>,
    /// A structural rule implemented in code instead of a regex (`footnotes`).
    special: Option<String>,
    // lexical
    from: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    at_start: bool,
    cost: Option<f64>,
    // context
    word: Option<String>,
    next: Option<WordTest>,
    next_not: Option<WordTest>,
    prev: Option<WordTest>,
    prev_not: Option<WordTest>,
    /// A document-level vote (`accent_vote`) instead of a word test.
    vote: Option<String>,
    #[serde(default)]
    examples: Vec<[String; 2]>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleSpec>,
}

/// A regex rule of the structural layer. Only the named group `t` (or the whole match) is
/// replaced; `replacement` may refer to groups (`$1`, `${t}`).
#[derive(Debug, Clone)]
pub struct StructuralRule {
    pub pattern: Regex,
    pub replacement: String,
    pub guards: Vec<Guard>,
}

/// An OCR confusion class of the lexical layer: `from` may have been read for one of `to`.
#[derive(Debug, Clone)]
pub struct ConfusionRule {
    pub from: String,
    pub to: Vec<String>,
    /// Only at the start of the word.
    pub at_start: bool,
    /// Ranking penalty (in Zipf units) per use.
    pub cost: f64,
}

/// A context rule on one word and its neighbours.
#[derive(Debug, Clone)]
pub struct WordRule {
    pub word: String,
    pub replacement: String,
    pub next: Option<WordTest>,
    pub next_not: Option<WordTest>,
    pub prev: Option<WordTest>,
    pub prev_not: Option<WordTest>,
}

/// A real-word rule of the context layer.
#[derive(Debug, Clone)]
pub enum ContextRule {
    /// `word` becomes `replacement` when its neighbours pass the tests.
    Word(Box<WordRule>),
    /// A known word without diacritics becomes its accented variant when the document itself
    /// uses that variant and it is the more frequent word.
    AccentVote,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Structural(StructuralRule),
    /// Footnote marks glued to words or years (see `footnote.rs`).
    Footnotes,
    Confusion(ConfusionRule),
    Context(ContextRule),
}

/// One repair rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub layer: Layer,
    /// `None`: every language.
    pub lang: Option<Lang>,
    pub description: String,
    pub confidence: f64,
    pub kind: RuleKind,
    pub examples: Vec<(String, String)>,
    pub counter_examples: Vec<String>,
}

/// The rule files built into the binary: (file name, language, contents).
pub const EMBEDDED: &[(&str, Option<Lang>, &str)] = &[
    (
        "common.toml",
        None,
        include_str!("../../rules/repair/common.toml"),
    ),
    (
        "fr.toml",
        Some(Lang::Fr),
        include_str!("../../rules/repair/fr.toml"),
    ),
    (
        "en.toml",
        Some(Lang::En),
        include_str!("../../rules/repair/en.toml"),
    ),
];

/// Parses one rule file.
pub fn parse_file(name: &str, lang: Option<Lang>, text: &str) -> Result<Vec<Rule>> {
    let file: RuleFile =
        toml::from_str(text).with_context(|| format!("parsing rules/repair/{name}"))?;
    file.rule
        .into_iter()
        .map(|spec| {
            let id = spec.id.clone();
            build_rule(spec, lang).with_context(|| format!("rule {id} in rules/repair/{name}"))
        })
        .collect()
}

fn build_rule(spec: RuleSpec, lang: Option<Lang>) -> Result<Rule> {
    if !(0.0..=1.0).contains(&spec.confidence) {
        bail!("confidence {} is not in [0, 1]", spec.confidence);
    }
    let kind = match spec.layer {
        Layer::Structural if spec.special.as_deref() == Some("footnotes") => RuleKind::Footnotes,
        Layer::Structural => {
            if let Some(other) = spec.special {
                bail!("unknown special rule `{other}`");
            }
            let (Some(pattern), Some(replacement)) = (spec.pattern, spec.replacement) else {
                bail!("a structural rule needs `pattern` and `replacement`");
            };
            RuleKind::Structural(StructuralRule {
                pattern: Regex::new(&pattern).context("compiling `pattern`")?,
                replacement,
                guards: spec.guards,
            })
        }
        Layer::Lexical => {
            let Some(from) = spec.from else {
                bail!("a lexical rule needs `from` and `to`");
            };
            if from.is_empty() || spec.to.is_empty() {
                bail!("a lexical rule needs a non-empty `from` and `to`");
            }
            RuleKind::Confusion(ConfusionRule {
                from,
                to: spec.to,
                at_start: spec.at_start,
                cost: spec.cost.unwrap_or(0.5),
            })
        }
        Layer::Context => match (spec.vote.as_deref(), spec.word, spec.replacement) {
            (Some("accent_vote"), _, _) => RuleKind::Context(ContextRule::AccentVote),
            (Some(other), _, _) => bail!("unknown vote `{other}`"),
            (None, Some(word), Some(replacement)) => {
                RuleKind::Context(ContextRule::Word(Box::new(WordRule {
                    word,
                    replacement,
                    next: spec.next,
                    next_not: spec.next_not,
                    prev: spec.prev,
                    prev_not: spec.prev_not,
                })))
            }
            _ => bail!("a context rule needs `word` and `replacement`, or `vote`"),
        },
    };
    Ok(Rule {
        id: spec.id,
        layer: spec.layer,
        lang,
        description: spec.description,
        confidence: spec.confidence,
        kind,
        examples: spec.examples.into_iter().map(|[a, b]| (a, b)).collect(),
        counter_examples: spec.counter_examples,
    })
}

/// Every embedded rule, with ids checked unique.
pub fn embedded_rules() -> Result<Vec<Rule>> {
    let mut rules = Vec::new();
    for (name, lang, text) in EMBEDDED {
        rules.extend(parse_file(name, *lang, text)?);
    }
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        bail!("rule id {} is defined twice in rules/repair/", w[0]);
    }
    Ok(rules)
}
