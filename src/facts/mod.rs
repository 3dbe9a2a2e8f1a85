//! Stage 5: facts from the repaired text, by rules kept as data under `rules/facts/`.
//!
//! [`rules`] loads and compiles the rule files, [`engine`] matches them (one pass per segment,
//! overlap resolution, combination of adjacent mentions), [`resolve`] and [`contacts`] are the
//! resolvers, [`time`] and [`numbers`] the value types, [`document`] turns mentions into the
//! record's facts, [`probe`] and [`selftest`] serve the `probe` and `rules test` commands.

pub mod contacts;
pub mod document;
pub mod engine;
pub mod numbers;
pub mod probe;
pub mod resolve;
pub mod rules;
pub mod selftest;
pub mod time;

use crate::model::Repaired;
use crate::record::FactsOutput;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

pub use engine::Mention;

/// The compiled fact rules. Built once per run and shared by every document.
pub struct FactEngine {
    languages: BTreeMap<String, rules::LanguageRules>,
    /// The rule files as loaded, for `rules test`.
    pub files: Vec<(String, String)>,
}

impl FactEngine {
    /// The engine with the rules built into the binary.
    pub fn embedded() -> Result<Self> {
        let files: Vec<(String, String)> = rules::EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Self::from_files(files)
    }

    /// The engine with the rule files of a folder (for maintainers editing rules).
    pub fn from_dir(path: &Path) -> Result<Self> {
        Self::from_files(rules::read_dir(path)?)
    }

    fn from_files(files: Vec<(String, String)>) -> Result<Self> {
        let languages = rules::load(&files)?;
        Ok(FactEngine { languages, files })
    }

    /// The rules of a language (English for languages without rule files).
    pub fn language(&self, lang: &str) -> Option<&rules::LanguageRules> {
        self.languages
            .get(lang)
            .or_else(|| self.languages.get("en"))
    }

    pub fn languages(&self) -> impl Iterator<Item = &rules::LanguageRules> {
        self.languages.values()
    }

    /// Mentions of `text[start..end]` by the rules of `lang`.
    pub fn scan(&self, text: &str, start: usize, end: usize, lang: &str) -> Vec<Mention> {
        match self.language(lang) {
            Some(lr) => engine::scan(text, start, end, lr),
            None => Vec::new(),
        }
    }

    /// Facts and document metadata of one repaired document.
    pub fn extract(&self, doc: &Repaired) -> FactsOutput {
        document::extract(self, doc).0
    }
}
