//! Document metadata: title, document type and issuing organisation.

use super::orgs::{OrgIndex, static_re};
use super::rules::Rules;
use super::text::{collapse, fold, org_key, trim_span};
use crate::model::{Repaired, SourceKind};
use crate::record::{ContactFact, Evidence};
use crate::wordre::{WordRegex, static_word_re};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Default)]
pub struct DocumentFacts {
    pub title: Option<(String, Evidence)>,
    pub document_type: Option<String>,
    pub issuing_organisation: Option<String>,
}

fn char_window(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((i, _)) => text.get(..i).unwrap_or(text),
        None => text,
    }
}

pub fn document_type(doc: &Repaired, rules: &Rules) -> Option<String> {
    let text = doc.clean.as_str();
    for k in &rules.doc_kinds {
        let hay = if k.rule.anywhere {
            text
        } else {
            char_window(text, k.rule.window.unwrap_or(600))
        };
        if k.re.is_match(hay) {
            return Some(k.rule.document_type.clone());
        }
    }
    (doc.kind == SourceKind::Html).then(|| "web_page".to_string())
}

/// Kickers and datelines that start a heading but are not the title.
fn kicker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    static_re(
        &RE,
        r"(?i)^(?:invitation presse|invitation à la presse|communiqué de presse|communiqué|press release|media advisory|avis aux médias)\s*[–—:-]?\s*(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+)?(?:\d{1,2}(?:er)?\s+\p{L}+(?:\s+\d{4})?(?:\s+(?:à|at)\s+\d{1,2}\s?[h:.]\s?\d{0,2})?)?\s*[–—:-]?\s*",
    )
}

fn title(doc: &Repaired, document_type: Option<&str>) -> Option<(String, Evidence)> {
    let text = doc.clean.as_str();
    let make = |s: usize, e: usize| -> Option<(String, Evidence)> {
        let (s, e) = trim_span(text, s, e, &['#', '|', ':', '-', '–']);
        let t = collapse(text.get(s..e)?);
        let words = t.split_whitespace().count();
        (2..=40)
            .contains(&words)
            .then(|| (t, Evidence::at(text, s, e)))
    };
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut pos = 0;
        for line in text.split('\n') {
            v.push((pos, line));
            pos += line.len() + 1;
        }
        v
    };
    // Web-page chrome: the line after a breadcrumb "Accueil"/"Home", or after a font-size toolbar.
    for (i, (pos, line)) in lines.iter().enumerate() {
        let t = line.trim();
        if matches!(t, "Accueil" | "Home" | "Startseite")
            && let Some((p, l)) = lines.iter().skip(i + 1).find(|(_, l)| !l.trim().is_empty())
        {
            return make(*p, p + l.len());
        }
        if let Some(idx) = line.find("A=")
            && line.contains("A+")
        {
            return make(pos + idx + 2, pos + line.len());
        }
    }
    // The first markdown heading, without its kicker.
    for (pos, line) in &lines {
        let t = line.trim_start();
        if let Some(h) = t.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim_start();
            let h_start = pos + (line.len() - h.len());
            let skip = kicker_re().find(h).map(|m| m.end()).unwrap_or(0);
            if let Some(found) = make(h_start + skip, pos + line.len()) {
                return Some(found);
            }
        }
    }
    // Press documents: the first short line after the dateline / kicker.
    if matches!(
        document_type,
        Some("press_release" | "press_invitation" | "news_article")
    ) {
        let mut after_kicker = false;
        for (pos, line) in &lines {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            let kicker_only = kicker_re().find(t).is_some_and(|m| m.end() >= t.len());
            if kicker_only || dateline(t).is_some() {
                after_kicker = true;
                continue;
            }
            if !after_kicker {
                continue;
            }
            if t.split_whitespace().count() <= 40 && !t.ends_with('.') {
                return make(*pos, pos + line.len());
            }
            break;
        }
    }
    // Any document: a short first line of its own (not a dateline, a numbered heading or a
    // sentence) is its title ("Mentions légales", "Declaration of the Mayors of Europe").
    let first = lines.iter().position(|(_, l)| !l.trim().is_empty());
    if let Some(i) = first
        && let Some((pos, line)) = lines.get(i)
    {
        let t = line.trim();
        let words = t.split_whitespace().count();
        let blank_after = lines.get(i + 1).is_none_or(|(_, l)| l.trim().is_empty());
        // Section numbers ("1. Objectifs", "3.2 Activités"), not counts ("120 collectivités").
        static NUMBERED: OnceLock<Regex> = OnceLock::new();
        let numbered = static_re(&NUMBERED, r"^\d+(?:\.\d+)*[.)]\s|^\d+(?:\.\d+)+\s").is_match(t);
        if blank_after
            && (2..=15).contains(&words)
            && !numbered
            && !t.ends_with(['.', ':', ',', ';'])
            && t.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            && dateline(t).is_none()
            && kicker_re().find(t).is_none_or(|m| m.end() < t.len())
        {
            return make(*pos, pos + line.len());
        }
    }
    doc.meta.title.as_ref().map(|t| {
        let t = collapse(t);
        (
            t.clone(),
            Evidence {
                text: t,
                ..Evidence::default()
            },
        )
    })
}

/// Place of a dateline: "Lyon, le 3 mars 2015", "PRESS RELEASE - 9 June 2016 - VIENNA".
fn dateline(line: &str) -> Option<String> {
    static FR: OnceLock<Regex> = OnceLock::new();
    static EN: OnceLock<Regex> = OnceLock::new();
    let fr = static_re(
        &FR,
        r"^\s*(?P<p>\p{Lu}[\p{L}-]+(?:[ -]\p{Lu}[\p{L}-]+)?),\s+(?:le\s+)?\d{1,2}",
    );
    let en = static_re(&EN, r"\d{4}\s*[-–—]\s*(?P<p>\p{Lu}[\p{Lu}-]+)\s*$");
    fr.captures(line)
        .or_else(|| en.captures(line))
        .and_then(|c| c.name("p"))
        .map(|m| m.as_str().to_string())
}

fn issuer(
    doc: &Repaired,
    index: &OrgIndex,
    contacts: &[ContactFact],
    document_type: Option<&str>,
) -> Option<String> {
    let text = doc.clean.as_str();
    let press = matches!(document_type, Some("press_release" | "press_invitation"));
    if press {
        let place = text.lines().take(15).find_map(dateline).map(|p| fold(&p));
        let orgs: Vec<&String> = contacts
            .iter()
            .filter_map(|c| c.organisation.as_ref())
            .collect();
        if let Some(place) = &place
            && let Some(o) = orgs.iter().find(|o| fold(o).contains(place.as_str()))
        {
            return Some((*o).clone());
        }
        let mut distinct: Vec<&String> = orgs.clone();
        distinct.sort();
        distinct.dedup_by_key(|o| org_key(o));
        if distinct.len() == 1 {
            return distinct.first().map(|o| (*o).clone());
        }
        // A body named inside the press contact ("Service de presse du ministère de l'Intérieur").
        if distinct.is_empty()
            && let Some(o) = contacts.iter().find_map(|c| {
                let e = c.evidence.first()?;
                index.first_in(e.start?, e.end?)
            })
        {
            return Some(o.name.clone());
        }
    }
    // "édité par la Commune de …", "published by …".
    static BY: OnceLock<WordRegex> = OnceLock::new();
    let by = static_word_re(
        &BY,
        r"(?i)\b(?:édité|publié|édité et publié|published|issued|produced|rédigé)\s+(?:par|by)\s+(?:la\s+|le\s+|les\s+|l['’]|the\s+)?",
    );
    for m in by.find_all(text) {
        if let Some(o) = index
            .mentions
            .iter()
            .find(|x| x.start >= m.end() && x.start <= m.end() + 2)
            .and_then(|x| index.orgs.get(x.org))
        {
            return Some(o.name.clone());
        }
    }
    // The page's declared URL or site name names a body of the text.
    for declared in [&doc.meta.url, &doc.meta.site_name].into_iter().flatten() {
        static LABEL: OnceLock<Regex> = OnceLock::new();
        let label = static_re(
            &LABEL,
            r"(?i)(?:^|[/.])(?P<l>[a-z0-9-]+)\.[a-z]{2,4}(?:/|$)",
        );
        let candidate = label
            .captures(declared)
            .and_then(|c| c.name("l"))
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| declared.clone());
        if let Some(o) = index.by_surface(&candidate) {
            return Some(o.name.clone());
        }
    }
    // The site's own domain names a body of the text ("international.paris.fr" → Ville de Paris).
    static HOST: OnceLock<WordRegex> = OnceLock::new();
    let host = static_word_re(
        &HOST,
        r"(?i)\b(?:https?://)?(?:[a-z0-9-]+\.)*(?P<label>[a-z0-9-]+)\.(?:fr|eu|int|org|com|be|de|net|it|es|ch|lu|nl|uk)\b",
    );
    for c in host.captures_all(text) {
        let Some(label) = c.name("label") else {
            continue;
        };
        // Not the domain of an e-mail address.
        let start = c.get(0).map(|m| m.start()).unwrap_or(0);
        let prev = text.get(..start).and_then(|t| t.chars().next_back());
        if prev == Some('@') || text.get(..label.start()).is_some_and(|t| t.ends_with('@')) {
            continue;
        }
        if let Some(o) = index.by_surface(label.as_str()) {
            return Some(o.name.clone());
        }
    }
    // Otherwise the body the text is mostly about.
    let counts = index.mention_counts();
    let (best, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (*n >= 3)
        .then(|| index.orgs.get(best).map(|o| o.name.clone()))
        .flatten()
}

pub fn find(
    doc: &Repaired,
    rules: &Rules,
    index: &OrgIndex,
    contacts: &[ContactFact],
) -> DocumentFacts {
    let document_type = document_type(doc, rules);
    DocumentFacts {
        title: title(doc, document_type.as_deref()),
        issuing_organisation: issuer(doc, index, contacts, document_type.as_deref()),
        document_type,
    }
}
