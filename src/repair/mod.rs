//! Stage 3: OCR artefact repair, `text.raw` -> `text.clean` with an audit trail.
//!
//! Layers, in order, each made of data rules (`rules/repair/*.toml`):
//! 0. protected spans (URLs, e-mails, phone numbers, numbers, code) that no rule touches;
//! 1. structural rules (regexes with guards): elisions, bullets, `&` for `à`, apostrophes;
//! 2. lexical: unknown words -> the most frequent known word reachable through OCR confusion
//!    classes (lexicons in `rules/lexicon/`);
//! 3. context: real-word errors decided by neighbouring words or by the document.
//!
//! A document is repaired only when it shows OCR symptoms (see [`profile`]); clean text passes
//! through unchanged. Every change is a [`Correction`]; `raw` rebuilds exactly from `clean`.

pub mod context;
pub mod edits;
pub mod footnote;
pub mod lexical;
pub mod lexicon;
pub mod profile;
pub mod rules;
pub mod structural;
pub mod text;

use crate::model::{Correction, Extracted, Problem, Repaired, SourceKind, Stage};
use anyhow::{Result, bail};
use edits::{Edit, EditLog};
use lexical::Fixer;
use lexicon::{Lang, Lexicons};
use profile::Profile;
use rules::{ContextRule, Layer, Rule, RuleKind};
use std::sync::Arc;
use text::Protected;

/// Switches that turn rules or whole layers off (`docfacts run --repair-disable ID`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepairOptions {
    /// Rule ids (`fr.elision.capital_i`) that must not run.
    pub disabled_rules: Vec<String>,
    /// Layers that must not run.
    pub disabled_layers: Vec<Layer>,
}

impl RepairOptions {
    /// Options from `--repair-disable` values: each is a layer name (`structural`, `lexical`,
    /// `context`) or a rule id.
    pub fn from_switches(values: &[String]) -> Self {
        let mut options = RepairOptions::default();
        for v in values {
            for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match Layer::parse(part) {
                    Some(layer) => options.disabled_layers.push(layer),
                    None => options.disabled_rules.push(part.to_string()),
                }
            }
        }
        options
    }
}

/// The compiled repair rules and lexicons. Built once per run and shared by every document.
pub struct Repairer {
    rules: Vec<Rule>,
    lexicons: Arc<Lexicons>,
    options: RepairOptions,
}

impl Repairer {
    /// The repairer with the rules and lexicons built into the binary.
    pub fn embedded() -> Result<Self> {
        Self::with_options(RepairOptions::default())
    }

    /// The embedded repairer with some rules or layers switched off. Unknown rule ids are an
    /// error (a typo would silently disable nothing).
    pub fn with_options(options: RepairOptions) -> Result<Self> {
        let rules = rules::embedded_rules()?;
        for id in &options.disabled_rules {
            if !rules.iter().any(|r| &r.id == id) {
                bail!(
                    "--repair-disable {id}: no such repair rule or layer (layers: structural, lexical, context)"
                );
            }
        }
        Ok(Repairer {
            rules,
            lexicons: Lexicons::embedded()?,
            options,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn lexicons(&self) -> &Lexicons {
        &self.lexicons
    }

    pub fn options(&self) -> &RepairOptions {
        &self.options
    }

    /// Repairs the extracted text. Every change is a [`crate::model::Correction`]; blocks and
    /// links are moved to the clean text's offsets.
    pub fn repair(&self, extracted: Extracted) -> Repaired {
        let profile = profile::measure(&extracted.text, extracted.kind, &self.lexicons);
        if !profile.ocr {
            return Repaired::unchanged(extracted);
        }
        let (log, exhausted) = self.run_layers(
            EditLog::new(extracted.text.clone()),
            profile.lang,
            &profile.foreign,
            profile.protected,
        );
        let mut repaired = Repaired::unchanged(extracted);
        if exhausted {
            repaired.warnings.push(Problem::new(
                Stage::Repair,
                "lexical repair stopped early: the candidate-search budget for this document was spent",
            ));
        }
        for b in &mut repaired.blocks {
            let start = log.raw_to_clean(b.start, false);
            let end = log.raw_to_clean(b.end, true).max(start);
            b.start = start;
            b.end = end;
        }
        for l in &mut repaired.links {
            let start = log.raw_to_clean(l.start, false);
            let end = log.raw_to_clean(l.end, true).max(start);
            l.start = start;
            l.end = end;
        }
        let (raw, clean, corrections) = log.into_parts();
        repaired.raw = raw;
        repaired.clean = clean;
        repaired.corrections = corrections;
        repaired
    }

    /// The profile (language guess, OCR symptoms) the repair decision is based on.
    pub fn profile(&self, text: &str, kind: SourceKind) -> Profile {
        profile::measure(text, kind, &self.lexicons)
    }

    /// Runs every enabled layer for `lang` on `text`, whatever its symptoms (rule examples,
    /// benchmarks). Returns the clean text and the corrections.
    pub fn repair_as(&self, text: &str, lang: Lang) -> (String, Vec<Correction>) {
        let profile = profile::measure(text, SourceKind::Text, &self.lexicons);
        let foreign = if profile.lang == lang {
            profile.foreign
        } else {
            Vec::new()
        };
        let (log, _) = self.run_layers(
            EditLog::new(text.to_string()),
            lang,
            &foreign,
            profile.protected,
        );
        let (_, clean, corrections) = log.into_parts();
        (clean, corrections)
    }

    fn enabled(&self, rule: &Rule, lang: Lang) -> bool {
        rule.lang.is_none_or(|l| l == lang)
            && !self.options.disabled_layers.contains(&rule.layer)
            && !self.options.disabled_rules.contains(&rule.id)
    }

    /// Drops the edits of a language-specific rule that fall in a paragraph of the other
    /// language (`foreign`: raw byte spans, mapped to the current text).
    fn outside_foreign(log: &EditLog, foreign: &[(usize, usize)], edits: &mut Vec<Edit>) {
        if foreign.is_empty() {
            return;
        }
        let spans: Vec<(usize, usize)> = foreign
            .iter()
            .map(|&(s, e)| (log.raw_to_clean(s, false), log.raw_to_clean(e, true)))
            .collect();
        edits.retain(|ed| {
            !spans
                .iter()
                .any(|&(s, e)| ed.start < e && s < ed.end.max(ed.start + 1))
        });
    }

    /// Runs the layers; the flag says the lexical search ran out of budget (hostile input).
    fn run_layers(
        &self,
        mut log: EditLog,
        lang: Lang,
        foreign: &[(usize, usize)],
        // The protected spans of `log`'s text (from its profile).
        mut protected: Protected,
    ) -> (EditLog, bool) {
        let lexicon = self.lexicons.get(lang);
        let fixer = Fixer {
            lexicon,
            classes: self
                .rules
                .iter()
                .filter(|r| self.enabled(r, lang))
                .filter_map(|r| match &r.kind {
                    RuleKind::Confusion(c) => Some((r.id.as_str(), c, r.confidence)),
                    _ => None,
                })
                .collect(),
            budget: std::cell::Cell::new(lexical::DOCUMENT_BUDGET),
            other: Some(self.lexicons.get(match lang {
                Lang::Fr => Lang::En,
                Lang::En => Lang::Fr,
            })),
        };

        // Layer 1: structural rules, one at a time, each seeing the previous one's output.
        for rule in self.rules.iter().filter(|r| self.enabled(r, lang)) {
            let edits = match &rule.kind {
                RuleKind::Structural(s) => {
                    structural::edits(&rule.id, rule.confidence, s, log.text(), &protected, &fixer)
                }
                RuleKind::Footnotes => {
                    footnote::edits(&rule.id, rule.confidence, log.text(), lexicon)
                }
                _ => continue,
            };
            let mut edits = edits;
            if rule.lang.is_some() {
                Self::outside_foreign(&log, foreign, &mut edits);
            }
            if !edits.is_empty() {
                let replaced = log.apply(edits);
                protected.update(log.text(), &replaced);
            }
        }

        // Layer 2: lexical.
        if !self.options.disabled_layers.contains(&Layer::Lexical) && !fixer.classes.is_empty() {
            let mut edits = fixer.edits(log.text(), &protected);
            Self::outside_foreign(&log, foreign, &mut edits);
            if !edits.is_empty() {
                let replaced = log.apply(edits);
                protected.update(log.text(), &replaced);
            }
        }

        // Layer 3: context.
        for rule in self.rules.iter().filter(|r| self.enabled(r, lang)) {
            let RuleKind::Context(c) = &rule.kind else {
                continue;
            };
            let edits = match c {
                ContextRule::Word(w) => {
                    context::word_edits(&rule.id, rule.confidence, w, log.text(), &protected)
                }
                ContextRule::AccentVote => context::accent_vote_edits(
                    &rule.id,
                    rule.confidence,
                    log.text(),
                    &protected,
                    lexicon,
                ),
            };
            let mut edits = edits;
            if rule.lang.is_some() {
                Self::outside_foreign(&log, foreign, &mut edits);
            }
            if !edits.is_empty() {
                let replaced = log.apply(edits);
                protected.update(log.text(), &replaced);
            }
        }
        let exhausted = fixer.budget.get() == 0;
        (log, exhausted)
    }
}

/// Maps the byte span `[start, end)` of `doc.clean` to the span of `doc.raw` it came from. A
/// bound inside a correction widens to that correction's raw span.
pub fn clean_span_to_raw(doc: &Repaired, start: usize, end: usize) -> (usize, usize) {
    let map = |pos: usize, is_end: bool| -> usize {
        // Corrections are in text order and do not overlap.
        let idx = doc.corrections.partition_point(|c| c.clean_end <= pos);
        if let Some(c) = doc.corrections.get(idx)
            && c.clean_start < pos
        {
            return if is_end { c.raw_end } else { c.raw_start };
        }
        if let Some(c) = doc.corrections.get(idx)
            && c.clean_start == pos
            && !is_end
        {
            return c.raw_start;
        }
        match idx.checked_sub(1).and_then(|i| doc.corrections.get(i)) {
            Some(prev) => (pos + prev.raw_end).saturating_sub(prev.clean_end),
            None => pos,
        }
    };
    let raw_start = map(start, false).min(doc.raw.len());
    let raw_end = map(end, true).clamp(raw_start, doc.raw.len());
    (raw_start, raw_end)
}
