//! Organisations: gazetteer names and acronyms, name patterns (head words, acronyms in
//! parentheses, city governments, quoted programme names), short forms resolved to the full
//! name inside the document ("l'Alliance"), and merging of every form that shares a key.

use super::gazetteer::Hits;
use super::rules::{GazOrg, Rules};
use super::text::{collapse, fold, is_capitalised, org_key, tidy_name};
use crate::record::{Evidence, OrganisationFact};
use crate::wordre::{WordRegex, static_word_re};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// One mention of an organisation in the text.
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// Index into [`OrgIndex::orgs`].
    pub org: usize,
    /// Whether the mention is a full name (not an acronym, short form or bare place).
    pub full: bool,
}

/// An organisation being built.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub name: String,
    pub acronym: Option<String>,
    pub aliases: BTreeSet<String>,
    pub org_type: String,
    pub location: Option<String>,
    pub rule: String,
    pub confidence: f64,
    /// Gazetteer id, when the organisation is in the gazetteer.
    pub gaz: Option<String>,
    /// For city governments: the place name ("Paris").
    pub place: Option<String>,
    pub spans: Vec<(usize, usize)>,
}

impl Org {
    pub fn keys(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        keys.insert(org_key(&self.name));
        for a in &self.aliases {
            keys.insert(org_key(a));
        }
        if let Some(a) = &self.acronym {
            keys.insert(org_key(a));
        }
        keys.remove("");
        keys
    }
}

/// The organisations of a document and where they are mentioned.
#[derive(Debug, Default)]
pub struct OrgIndex {
    pub orgs: Vec<Org>,
    /// Sorted by start.
    pub mentions: Vec<Mention>,
}

impl OrgIndex {
    /// The organisation mentioned last before `pos`, no further back than `min`.
    pub fn last_before(&self, pos: usize, min: usize) -> Option<&Org> {
        self.mentions
            .iter()
            .rev()
            .find(|m| m.end <= pos && m.start >= min)
            .and_then(|m| self.orgs.get(m.org))
    }

    /// The first organisation mentioned inside `[start, end)`.
    pub fn first_in(&self, start: usize, end: usize) -> Option<&Org> {
        self.mentions
            .iter()
            .find(|m| m.start >= start && m.end <= end)
            .and_then(|m| self.orgs.get(m.org))
    }

    /// The organisation whose key equals the key of `surface` ("Mairie de Paris", "Eurocities").
    pub fn by_surface(&self, surface: &str) -> Option<&Org> {
        let key = org_key(surface);
        if key.is_empty() {
            return None;
        }
        self.orgs.iter().find(|o| o.keys().contains(&key))
    }

    /// Number of mentions of each organisation.
    pub fn mention_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.orgs.len()];
        for m in &self.mentions {
            if let Some(c) = counts.get_mut(m.org) {
                *c += 1;
            }
        }
        counts
    }

    pub fn facts(&self, clean: &str) -> Vec<OrganisationFact> {
        self.orgs
            .iter()
            .filter(|o| !o.spans.is_empty())
            .map(|o| {
                let mut aliases: Vec<String> = o
                    .aliases
                    .iter()
                    .filter(|a| **a != o.name && !a.is_empty())
                    .cloned()
                    .collect();
                aliases.sort();
                aliases.dedup();
                OrganisationFact {
                    id: String::new(),
                    name: o.name.clone(),
                    acronym: o.acronym.clone(),
                    aliases,
                    org_type: Some(o.org_type.clone()),
                    location: o.location.clone(),
                    evidence: o
                        .spans
                        .iter()
                        .take(3)
                        .map(|(s, e)| Evidence::at(clean, *s, *e))
                        .collect(),
                    rule: o.rule.clone(),
                    confidence: o.confidence,
                }
            })
            .collect()
    }
}

/// A raw match before overlaps are resolved and organisations are grouped.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    /// Grouping key: gazetteer id ("gaz:coe") or a name key ("pat:...").
    group: String,
    surface: String,
    /// Listed gazetteer name for full-name mentions.
    listed: Option<String>,
    acronym: Option<String>,
    org_type: String,
    rule: &'static str,
    full: bool,
    place: Option<String>,
}

const CONNECTORS: &[&str] = &[
    "de", "des", "du", "d'", "d’", "l'", "l’", "la", "le", "les", "et", "pour", "sur", "of", "the",
    "for", "and", "on", "aux", "à", "en", "contre", "against", "in",
];

fn word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    static_re(&RE, r"^[ \t]*\n?[ \t]*([\p{L}\p{N}][\p{L}\p{N}'’!-]*)")
}

/// A built-in regex compiled once (see [`crate::wordre::built_in`]).
pub fn static_re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    crate::wordre::built_in(cell, pattern, crate::wordre::regex)
}

/// Whether the acronym match at `[s, e)` stands in running text rather than in an all-caps
/// heading ("WHO WE ARE"): short acronyms need a neighbour word that is not all capitals.
fn acronym_in_context(text: &str, s: usize, e: usize, known: &BTreeSet<String>) -> bool {
    let len = text
        .get(s..e)
        .map(|t| t.chars().filter(|c| c.is_alphabetic()).count());
    if len.is_some_and(|l| l > 3) {
        return true;
    }
    let is_caps_word = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) && !known.contains(w)
    };
    let before = text.get(..s).unwrap_or("");
    let prev: String = before
        .trim_end()
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let after = text.get(e..).unwrap_or("");
    let next: String = after
        .trim_start()
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    !(is_caps_word(&prev) || is_caps_word(&next))
}

/// Gazetteer names and acronyms found in `text`, pattern by pattern in the order of `rules.orgs`
/// (the order decides ties between equal spans). `hits` locates each pattern's matches.
fn gazetteer_candidates(text: &str, rules: &Rules, hits: &Hits) -> Vec<Candidate> {
    let known: BTreeSet<String> = rules
        .orgs
        .iter()
        .flat_map(|o| o.entry.acronyms.iter().cloned())
        .collect();
    let mut out = Vec::new();
    for g in &rules.orgs {
        let group = format!("gaz:{}", g.entry.id);
        for (listed, id) in &g.names {
            let single_word = !listed.contains(' ');
            for (start, end) in hits.matches(*id) {
                let surface = text.get(start..end).unwrap_or_default();
                // A one-word name needs its capital ("Metropolis", not "a metropolis").
                if single_word && !is_capitalised(surface) {
                    continue;
                }
                out.push(Candidate {
                    start,
                    end,
                    group: group.clone(),
                    surface: surface.to_string(),
                    listed: Some(listed.clone()),
                    acronym: None,
                    org_type: g.entry.org_type.clone(),
                    rule: "org.gazetteer",
                    full: true,
                    place: None,
                });
            }
        }
        for (acr, id) in &g.acronyms {
            for (start, m_end) in hits.matches(*id) {
                let found = text.get(start..m_end).unwrap_or_default();
                let end = if found.ends_with('.') && !acr.ends_with('.') {
                    // Keep a trailing dot only when it is part of the dotted form ("A.I.M.F.").
                    if found.matches('.').count() > 1 {
                        m_end
                    } else {
                        m_end - 1
                    }
                } else {
                    m_end
                };
                if !acronym_in_context(text, start, end, &known) {
                    continue;
                }
                out.push(Candidate {
                    start,
                    end,
                    group: group.clone(),
                    surface: text.get(start..end).unwrap_or_default().to_string(),
                    listed: None,
                    acronym: Some(acr.clone()),
                    org_type: g.entry.org_type.clone(),
                    rule: "org.gazetteer",
                    full: false,
                    place: None,
                });
            }
        }
    }
    out
}

/// Short forms ("l'Alliance", "Congrès") of gazetteer bodies already named in full.
fn short_candidates(text: &str, g: &GazOrg, hits: &Hits) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (_, id) in &g.shorts {
        for (m_start, m_end) in hits.matches(*id) {
            // Include an elided or plain article written before it: "l'Alliance", "L’Alliance".
            let before = text.get(..m_start).unwrap_or("");
            let mut start = m_start;
            for art in ["l'", "l’", "L'", "L’", "I'", "I’", "['", "'", "’"] {
                if before.ends_with(art) {
                    start -= art.len();
                    break;
                }
            }
            let surface = tidy_name(text.get(start..m_end).unwrap_or_default());
            out.push(Candidate {
                start,
                end: m_end,
                group: format!("gaz:{}", g.entry.id),
                surface: surface.trim_start_matches(['\'', '’', '[']).to_string(),
                listed: None,
                acronym: None,
                org_type: g.entry.org_type.clone(),
                rule: "org.gazetteer",
                full: false,
                place: None,
            });
        }
    }
    out
}

/// The head word that starts at byte `pos`, with its org_type.
fn head_at<'r>(text: &str, pos: usize, rules: &'r Rules) -> Option<(&'r str, &'r str)> {
    rules.head_words.at(text, pos)
}

fn is_word_start(text: &str, pos: usize) -> bool {
    text.get(..pos)
        .and_then(|b| b.chars().next_back())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Extends a name from the end of its head word over capitalised words and connectors.
/// Returns the end of the name, or None when no capitalised word follows the head.
fn extend_name(text: &str, head_end: usize) -> Option<usize> {
    let mut pos = head_end;
    let mut end = None;
    let mut steps = 0;
    while steps < 16 {
        steps += 1;
        let rest = text.get(pos..)?;
        let Some(c) = word_re().captures(rest) else {
            break;
        };
        let Some(w) = c.get(1) else { break };
        let word = w.as_str();
        let lower = word.to_lowercase();
        // Elided article glued to a capitalised word: "d’Europe", "l’Intérieur", "I’Administration".
        let elided = {
            let mut cs = word.chars();
            let first = cs.next();
            let second = cs.next();
            matches!(first, Some('d' | 'l' | 'I' | 'D' | 'L'))
                && matches!(second, Some('\'' | '’'))
                && cs.next().is_some_and(char::is_uppercase)
        };
        if CONNECTORS.contains(&lower.as_str()) && !is_capitalised(word) {
            pos += w.end();
            continue;
        }
        if is_capitalised(word)
            && !elided
            && word.chars().nth(1).is_some_and(|c| c == '\'' || c == '’')
        {
            break;
        }
        if is_capitalised(word) || elided {
            pos += w.end();
            end = Some(pos);
            continue;
        }
        break;
    }
    end
}

fn head_candidates(text: &str, rules: &Rules) -> Vec<Candidate> {
    static CAP: OnceLock<Regex> = OnceLock::new();
    let cap = static_re(&CAP, r"\p{Lu}");
    let mut out = Vec::new();
    for m in cap.find_iter(text) {
        let pos = m.start();
        if !is_word_start(text, pos) {
            continue;
        }
        let Some((head, org_type)) = head_at(text, pos, rules) else {
            continue;
        };
        if org_type == "local_government"
            && matches!(
                head,
                "Ville" | "City" | "Mairie" | "Municipalité" | "Commune"
            )
        {
            continue;
        }
        // The head must start its capitalised run ("Integrating Cities Charter" is no network).
        let prev_word: String = text
            .get(..pos)
            .unwrap_or("")
            .trim_end_matches([' ', '\t'])
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let prev_word: String = prev_word.chars().rev().collect();
        let before_char = text
            .get(..pos)
            .unwrap_or("")
            .trim_end_matches([' ', '\t'])
            .chars()
            .next_back();
        if is_capitalised(&prev_word) && !matches!(before_char, Some('\n')) {
            let article = matches!(
                prev_word.as_str(),
                "Le" | "La" | "Les" | "The" | "L" | "Du" | "Des" | "Au" | "Aux"
            );
            if !article {
                continue;
            }
        }
        let head_end = pos + head.len();
        let Some(mut end) = extend_name(text, head_end) else {
            continue;
        };
        // A name does not end on a post ("Congrès et du Secrétaire général"): cut it back.
        let mut cut_steps = 0;
        while end > head_end && cut_steps < 8 {
            cut_steps += 1;
            let span = text.get(head_end..end).unwrap_or("");
            let last_word = span.split_whitespace().next_back().unwrap_or("");
            if !rules.role_re.is_match(last_word) {
                break;
            }
            let cut = span.trim_end().len() - last_word.len();
            let kept = span.get(..cut).unwrap_or("");
            let mut words: Vec<&str> = kept.split_whitespace().collect();
            while words
                .last()
                .is_some_and(|w| CONNECTORS.contains(&w.to_lowercase().as_str()))
            {
                words.pop();
            }
            end = if words.is_empty() {
                head_end
            } else {
                let last = words.last().copied().unwrap_or("");
                head_end + kept.rfind(last).map(|i| i + last.len()).unwrap_or(0)
            };
        }
        if end <= head_end {
            continue;
        }
        let surface = text.get(pos..end).unwrap_or_default();
        let name = tidy_name(surface);
        if rules
            .stop_phrases
            .iter()
            .any(|s| fold(&name).starts_with(&fold(s)))
            || rules.countries.contains_key(&fold(&name))
        {
            continue;
        }
        out.push(Candidate {
            start: pos,
            end,
            group: format!("pat:{}", org_key(&name)),
            surface: name,
            listed: None,
            acronym: None,
            org_type: org_type.to_string(),
            rule: "org.head_pattern",
            full: true,
            place: None,
        });
    }
    out
}

fn acronym_letters(acr: &str) -> String {
    acr.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn parens_candidates(text: &str, rules: &Rules) -> Vec<Candidate> {
    static PAREN: OnceLock<Regex> = OnceLock::new();
    let paren = static_re(
        &PAREN,
        r"\(\s*(?P<acr>\p{Lu}[\p{Lu}\p{Ll}]?(?:\.?\p{Lu}[\p{Ll}]?){1,8}\.?)(?:/(?P<alt>\p{Lu}[\p{L}]{1,9}))?\s*\)",
    );
    let known: BTreeSet<String> = rules
        .orgs
        .iter()
        .flat_map(|o| o.entry.acronyms.iter().map(|a| acronym_letters(a)))
        .collect();
    let mut out = Vec::new();
    for c in paren.captures_iter(text) {
        let (Some(all), Some(acr)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let acr_text = acr.as_str().trim_end_matches('.');
        let letters = acronym_letters(acr_text);
        let upper = acr_text.chars().filter(|c| c.is_uppercase()).count();
        if upper < 2 || known.contains(&letters) {
            continue;
        }
        // The window before "(": back to punctuation or a blank line, at most 220 bytes.
        let open = all.start();
        let mut win_start = open.saturating_sub(220);
        while !text.is_char_boundary(win_start) {
            win_start += 1;
        }
        let window = text.get(win_start..open).unwrap_or("");
        let mut cut = 0;
        for (i, ch) in window.char_indices() {
            if matches!(
                ch,
                ',' | ';' | ':' | '(' | ')' | '«' | '»' | '"' | '/' | '“' | '”'
            ) || (ch == '.'
                && window
                    .get(i + 1..)
                    .is_some_and(|r| r.starts_with(char::is_whitespace)))
            {
                cut = i + ch.len_utf8();
            }
        }
        if let Some(b) = window.rfind("\n\n") {
            cut = cut.max(b + 2);
        }
        let base = win_start + cut;
        let span_text = text.get(base..open).unwrap_or("");
        // The farthest head word in the window starts the name.
        let mut start = None;
        for (i, _) in span_text.char_indices() {
            let abs = base + i;
            if is_word_start(text, abs) && head_at(text, abs, rules).is_some() {
                start = Some(abs);
                break;
            }
        }
        let Some(start) = start else { continue };
        let Some((_, org_type)) = head_at(text, start, rules) else {
            continue;
        };
        let name = tidy_name(text.get(start..open).unwrap_or_default());
        if name.split_whitespace().count() < 2 {
            continue;
        }
        let mut surface_acr = acr_text.to_string();
        let alt = c.get(2).map(|a| a.as_str().to_string());
        if let Some(a) = &alt {
            surface_acr = format!("{surface_acr}/{a}");
        }
        out.push(Candidate {
            start,
            end: all.end(),
            group: format!("pat:{}", org_key(&name)),
            surface: name,
            listed: alt,
            acronym: Some(acr_text.replace('.', "")),
            org_type: org_type.to_string(),
            rule: "org.name_acronym_parens",
            full: true,
            place: Some(surface_acr),
        });
    }
    out
}

/// "ICORN (International Cities of Refuge Network)": the initials spell the acronym.
fn acronym_name_candidates(text: &str, rules: &Rules) -> Vec<Candidate> {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    let re = static_word_re(
        &RE,
        r"\b(?P<acr>\p{Lu}{2,8})\s*\((?P<name>\p{Lu}[^()\n]{4,120})\)",
    );
    let mut out = Vec::new();
    for c in re.captures_all(text) {
        let (Some(acr), Some(name)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let initials: String = name
            .as_str()
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        let sig: String = name
            .as_str()
            .split_whitespace()
            .filter(|w| is_capitalised(w))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        let letters = acronym_letters(acr.as_str());
        if initials != letters && sig != letters {
            continue;
        }
        let n = collapse(name.as_str());
        // The head word the name starts with tells its type ("AMR (Association des Maires
        // Ruraux)": an association); a name without one keeps the type most such bodies have
        // in these documents: a network.
        let org_type = head_at(text, name.start(), rules).map_or("network", |(_, t)| t);
        out.push(Candidate {
            start: acr.start(),
            end: name.end() + 1,
            group: format!("pat:{}", org_key(&n)),
            surface: n,
            listed: None,
            acronym: Some(acr.as_str().to_string()),
            org_type: org_type.to_string(),
            rule: "org.acronym_name_parens",
            full: true,
            place: None,
        });
    }
    out
}

fn city_candidates(text: &str) -> Vec<Candidate> {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    let re = static_word_re(
        &RE,
        r"\b(?P<head>[VvMmCc](?:ille|airie|ity|ommune)|[Mm]unicipalité)\s+(?:de|of|d['’])\s*(?P<place>\p{Lu}[\p{Ll}]+(?:-\p{L}[\p{Ll}]+)*)",
    );
    let mut out = Vec::new();
    for c in re.captures_all(text) {
        let (Some(all), Some(head), Some(place)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let h = head.as_str().to_lowercase();
        if !matches!(
            h.as_str(),
            "ville" | "mairie" | "city" | "municipalité" | "commune"
        ) {
            continue;
        }
        let mut surface = all.as_str().to_string();
        if let Some(first) = surface.chars().next() {
            surface = first.to_uppercase().collect::<String>() + &surface[first.len_utf8()..];
        }
        out.push(Candidate {
            start: all.start(),
            end: all.end(),
            group: format!("city:{}", fold(place.as_str())),
            surface: collapse(&surface),
            listed: None,
            acronym: None,
            org_type: "local_government".to_string(),
            rule: "org.city_government",
            full: true,
            place: Some(place.as_str().to_string()),
        });
    }
    out
}

/// "le ministère de l'Intérieur": French ministries are written in lower case.
fn ministry_candidates(text: &str) -> Vec<Candidate> {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    let re = static_word_re(&RE, r"\b(?:minist[èe]re|Ministry)\b");
    let mut out = Vec::new();
    for m in re.find_all(text) {
        let Some(end) = extend_name(text, m.end()) else {
            continue;
        };
        let surface = tidy_name(text.get(m.start()..end).unwrap_or_default());
        let mut chars = surface.chars();
        let name = match chars.next() {
            Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
            None => continue,
        };
        out.push(Candidate {
            start: m.start(),
            end,
            group: format!("pat:{}", org_key(&name)),
            surface: name,
            listed: None,
            acronym: None,
            org_type: "national_government".to_string(),
            rule: "org.ministry",
            full: true,
            place: None,
        });
    }
    out
}

/// "OVH SAS", "Acme Ltd": a capitalised name followed by a legal form.
fn company_candidates(text: &str) -> Vec<Candidate> {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    let re = static_word_re(
        &RE,
        r"\b(?P<name>\p{Lu}[\p{L}&'’-]*(?:[ \t]+\p{Lu}[\p{L}&'’-]*){0,3})[ \t]+(?P<form>SAS|SASU|SA|SARL|EURL|SCOP|SNC|GmbH|AG|Ltd|Limited|Inc|LLC|PLC|plc|S\.A\.|B\.V\.|N\.V\.)(?:\b|$)",
    );
    re.captures_all(text)
        .into_iter()
        .filter_map(|c| {
            let all = c.get(0)?;
            let name = c.name("name")?;
            let full = collapse(all.as_str());
            let mut cand = Candidate {
                start: all.start(),
                end: all.end(),
                group: format!("pat:{}", org_key(&full)),
                surface: full,
                listed: None,
                acronym: None,
                org_type: "company".to_string(),
                rule: "org.company_legal_form",
                full: true,
                place: None,
            };
            // The bare name is an alias ("OVH").
            cand.listed = Some(collapse(name.as_str()));
            Some(cand)
        })
        .collect()
}

fn quoted_candidates(text: &str) -> Vec<Candidate> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = static_re(
        &RE,
        r"[‘'“«]\s*(?P<name>\p{Lu}[^‘’'“”«»\n]{2,80}?\s(?i:label|programme|program|prize|award|campaign|campagne|initiative))\s*[’'”»]",
    );
    re.captures_iter(text)
        .filter_map(|c| {
            let name = c.get(1)?;
            let n = collapse(name.as_str());
            Some(Candidate {
                start: name.start(),
                end: name.end(),
                group: format!("pat:{}", org_key(&n)),
                surface: n,
                listed: None,
                acronym: None,
                org_type: "programme".to_string(),
                rule: "org.quoted_name",
                full: true,
                place: None,
            })
        })
        .collect()
}

fn overlaps(a: &Candidate, b: &Candidate) -> bool {
    a.start < b.end && b.start < a.end
}

/// Whether gazetteer body `inner` is `outer` or one of its ancestors.
fn is_ancestor(rules: &Rules, outer: &str, inner: &str) -> bool {
    let mut current = Some(outer.to_string());
    let mut steps = 0;
    while let Some(id) = current {
        if id == inner {
            return true;
        }
        steps += 1;
        if steps > 8 {
            break;
        }
        current = rules
            .orgs
            .iter()
            .find(|o| o.entry.id == id)
            .and_then(|o| o.entry.parent.clone());
    }
    false
}

fn english_name(g: &GazOrg) -> Option<&String> {
    g.entry.names.iter().find(|n| {
        let f = format!(" {} ", n.to_lowercase());
        !f.contains(" de ")
            && !f.contains(" des ")
            && !f.contains(" du ")
            && !n.contains(['é', 'è'])
    })
}

/// Finds every organisation of `text`. `language` picks the listed name of gazetteer bodies
/// known only by a short form or an acronym.
pub fn find(text: &str, rules: &Rules, language: Option<&str>) -> OrgIndex {
    // 1. Gazetteer names and acronyms; longer matches win, a body keeps its parent named inside.
    let hits = rules.gazetteer.search(text);
    let mut gaz = gazetteer_candidates(text, rules, &hits);
    gaz.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut kept: Vec<Candidate> = Vec::new();
    for c in gaz {
        let clash = kept.iter().any(|k| {
            overlaps(k, &c)
                && !(k.start <= c.start
                    && c.end <= k.end
                    && is_ancestor(
                        rules,
                        k.group.trim_start_matches("gaz:"),
                        c.group.trim_start_matches("gaz:"),
                    ))
        });
        if !clash {
            kept.push(c);
        }
    }
    // 2. Short forms of bodies named in full.
    let named: BTreeSet<String> = kept
        .iter()
        .filter(|c| c.full)
        .map(|c| c.group.clone())
        .collect();
    for g in &rules.orgs {
        if !named.contains(&format!("gaz:{}", g.entry.id)) {
            continue;
        }
        for c in short_candidates(text, g, &hits) {
            if !kept.iter().any(|k| overlaps(k, &c)) {
                kept.push(c);
            }
        }
    }
    // 3. Patterns. A pattern that starts before every gazetteer match it overlaps wins over them
    //    ("Conseil des Autorités Locales ... du Conseil de l'Europe").
    let mut patterns: Vec<Candidate> = Vec::new();
    patterns.extend(parens_candidates(text, rules));
    patterns.extend(acronym_name_candidates(text, rules));
    patterns.extend(city_candidates(text));
    patterns.extend(quoted_candidates(text));
    patterns.extend(ministry_candidates(text));
    patterns.extend(company_candidates(text));
    patterns.extend(head_candidates(text, rules));
    let mut accepted: Vec<Candidate> = Vec::new();
    for p in patterns {
        if accepted.iter().any(|a| overlaps(a, &p)) {
            continue;
        }
        let blocked = kept
            .iter()
            .any(|k| overlaps(k, &p) && (k.start <= p.start || k.end > p.end));
        if blocked {
            continue;
        }
        accepted.push(p);
    }
    kept.retain(|k| !accepted.iter().any(|a| overlaps(a, k)));
    kept.extend(accepted);
    kept.sort_by_key(|c| (c.start, c.end));

    // 4. Group by body, then merge groups that share a key.
    let mut groups: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for c in kept {
        groups.entry(c.group.clone()).or_default().push(c);
    }
    let mut orgs: Vec<(Org, Vec<Candidate>)> = Vec::new();
    for (group, cands) in groups {
        let org = build_org(&group, &cands, rules, language);
        orgs.push((org, cands));
    }
    // Merge organisations that share a key (union-find over keys: linear in the number of keys).
    let mut parent: Vec<usize> = (0..orgs.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner_of_key: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (org, _)) in orgs.iter().enumerate() {
        for key in org.keys() {
            match owner_of_key.get(&key) {
                Some(&j) => {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    if ri != rj {
                        parent[ri.max(rj)] = ri.min(rj);
                    }
                }
                None => {
                    owner_of_key.insert(key, i);
                }
            }
        }
    }
    let mut merged_orgs: Vec<(Org, Vec<Candidate>)> = Vec::new();
    let mut slot_of_root: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, (org, cands)) in orgs.into_iter().enumerate() {
        let r = root(&mut parent, i);
        match slot_of_root.get(&r) {
            Some(&slot) => {
                if let Some((target, tc)) = merged_orgs.get_mut(slot) {
                    absorb(target, org);
                    tc.extend(cands);
                }
            }
            None => {
                slot_of_root.insert(r, merged_orgs.len());
                merged_orgs.push((org, cands));
            }
        }
    }
    let mut orgs = merged_orgs;
    // Order by first mention, so output follows the text.
    orgs.sort_by_key(|(_, c)| c.iter().map(|x| x.start).min().unwrap_or(usize::MAX));
    let mut index = OrgIndex::default();
    for (i, (mut org, cands)) in orgs.into_iter().enumerate() {
        let mut spans: Vec<(usize, usize)> = cands.iter().map(|c| (c.start, c.end)).collect();
        spans.sort();
        spans.dedup();
        // Full-name spans first in the evidence.
        let mut full: Vec<(usize, usize)> = cands
            .iter()
            .filter(|c| c.full)
            .map(|c| (c.start, c.end))
            .collect();
        full.sort();
        full.dedup();
        let rest: Vec<(usize, usize)> = spans
            .iter()
            .filter(|s| !full.contains(s))
            .copied()
            .collect();
        org.spans = full.into_iter().chain(rest).collect();
        for c in &cands {
            index.mentions.push(Mention {
                start: c.start,
                end: c.end,
                org: i,
                full: c.full,
            });
        }
        index.orgs.push(org);
    }
    add_place_mentions(text, &mut index);
    index.mentions.sort_by_key(|m| (m.start, m.end));
    index
}

/// Bare place names of city governments ("Lyon a un double objectif") count as mentions, for
/// finding the subject of quantities and objectives.
fn add_place_mentions(text: &str, index: &mut OrgIndex) {
    let places: Vec<(usize, String)> = index
        .orgs
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.place.clone().map(|p| (i, p)))
        .collect();
    for (i, place) in places {
        for (start, end) in word_occurrences(text, &place) {
            if index
                .mentions
                .iter()
                .any(|x| x.start < end && start < x.end)
            {
                continue;
            }
            index.mentions.push(Mention {
                start,
                end,
                org: i,
                full: false,
            });
        }
    }
}

/// The matches of `\b{word}\b` in `text`, leftmost first and not overlapping, as `find_iter`
/// gives them, without compiling a regex per document: a literal search, then the Unicode word
/// boundary test of the regex crate at both ends. Every occurrence is tried, overlapping ones
/// too, since one that fails a boundary test does not hide the next. `word` is a place name of
/// the city pattern (a capital and lower-case letters), never empty.
fn word_occurrences(text: &str, word: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let Some(step) = word.chars().next().map(char::len_utf8) else {
        return out;
    };
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find(word)) {
        let start = from + found;
        let end = start + word.len();
        if word_boundary(text, start) && word_boundary(text, end) {
            out.push((start, end));
            from = end;
        } else {
            from = start + step;
        }
    }
    out
}

/// The regex crate's Unicode `\b` at byte `pos`: a word character on one side only.
fn word_boundary(text: &str, pos: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(regex_syntax::is_word_character);
    let before = is_word(text.get(..pos).and_then(|t| t.chars().next_back()));
    let after = is_word(text.get(pos..).and_then(|t| t.chars().next()));
    before != after
}

fn absorb(target: &mut Org, other: Org) {
    // A gazetteer body keeps its name; otherwise the longer name wins.
    let other_wins = (other.gaz.is_some() && target.gaz.is_none())
        || (other.gaz.is_some() == target.gaz.is_some() && other.name.len() > target.name.len());
    let (mut keep, lose) = if other_wins {
        (other, target.clone())
    } else {
        (target.clone(), other)
    };
    keep.aliases.insert(lose.name.clone());
    keep.aliases.extend(lose.aliases);
    if keep.acronym.is_none() {
        keep.acronym = lose.acronym;
    }
    if keep.place.is_none() {
        keep.place = lose.place;
    }
    *target = keep;
}

fn build_org(group: &str, cands: &[Candidate], rules: &Rules, language: Option<&str>) -> Org {
    let gaz = group
        .strip_prefix("gaz:")
        .and_then(|id| rules.orgs.iter().find(|o| o.entry.id == id));
    let mut org = Org {
        org_type: cands
            .first()
            .map(|c| c.org_type.clone())
            .unwrap_or_default(),
        rule: cands
            .first()
            .map(|c| c.rule.to_string())
            .unwrap_or_default(),
        confidence: if gaz.is_some() { 0.9 } else { 0.75 },
        gaz: gaz.map(|g| g.entry.id.clone()),
        ..Org::default()
    };
    for c in cands {
        if let Some(a) = &c.acronym
            && org.acronym.is_none()
        {
            org.acronym = Some(a.replace('.', ""));
        }
        if c.rule == "org.company_legal_form"
            && let Some(bare) = &c.listed
        {
            org.aliases.insert(bare.clone());
        }
        if c.rule == "org.name_acronym_parens" {
            if let Some(alt) = &c.listed {
                org.aliases.insert(alt.clone());
            }
            if let Some(surface_acr) = &c.place
                && surface_acr.contains('/')
            {
                org.aliases.insert(surface_acr.clone());
            }
        }
        if !c.full || c.rule != "org.gazetteer" {
            org.aliases.insert(tidy_name(&c.surface));
        }
    }
    if let Some(g) = gaz {
        // The fullest listed name found in the text, else the listed name in the document's language.
        // Each full mention reads as the listed form written exactly so ("EUROCITIES", not the
        // alias "EURO CITIES" that also matches it), else as the form its pattern came from.
        let exact = |c: &Candidate| -> Option<String> {
            let surface = tidy_name(&c.surface);
            g.entry
                .names
                .iter()
                .chain(&g.entry.aliases)
                .find(|n| **n == surface)
                .cloned()
                .or_else(|| c.listed.clone())
        };
        let forms: Vec<String> = cands.iter().filter(|c| c.full).filter_map(exact).collect();
        let in_names = |n: &String| g.entry.names.contains(n);
        let found = forms
            .iter()
            .max_by_key(|n| (in_names(n), fold(n).split(' ').count(), n.len()))
            .cloned();
        let name = found.or_else(|| {
            if cands.iter().all(|c| c.acronym.is_some()) {
                org.acronym.clone()
            } else if language == Some("en") {
                english_name(g).cloned()
            } else {
                g.entry.names.first().cloned()
            }
        });
        org.name = name.unwrap_or_else(|| g.entry.id.clone());
        org.aliases.extend(forms);
        org.location = None;
    } else if group.starts_with("city:") {
        let place = cands
            .iter()
            .find_map(|c| c.place.clone())
            .unwrap_or_default();
        org.place = Some(place.clone());
        let has_ville = cands.iter().any(|c| fold(&c.surface).starts_with("ville"));
        let english = cands.iter().any(|c| fold(&c.surface).starts_with("city"));
        org.name = if has_ville || !english {
            if has_ville {
                format!("Ville de {place}")
            } else {
                cands.first().map(|c| c.surface.clone()).unwrap_or_default()
            }
        } else {
            format!("City of {place}")
        };
        org.aliases.insert(place);
    } else {
        // The longest form; the first written on ties.
        org.name = cands
            .iter()
            .filter(|c| c.full)
            .map(|c| tidy_name(&c.surface))
            .enumerate()
            .max_by_key(|(i, n)| (n.len(), std::cmp::Reverse(*i)))
            .map(|(_, n)| n)
            .or_else(|| cands.first().map(|c| tidy_name(&c.surface)))
            .unwrap_or_default();
    }
    org
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_occurrences_match_as_the_regex() {
        for (text, word) in [
            (
                "Paris, Parisien, xParis Paris-Nord éParis Paris_ Paris2 (Paris) Paris",
                "Paris",
            ),
            ("Saint-Denis Saint-Denis-Ouest Saint-Denisé", "Saint-Denis"),
            ("Lyon.Lyon Lyon\nLyon", "Lyon"),
            ("Aaa AaAa Aa Aa", "Aa"),
            ("Éze, xÉze Éze", "Éze"),
        ] {
            let re = Regex::new(&format!(r"\b{}\b", regex::escape(word)))
                .unwrap_or_else(|e| panic!("{e}"));
            let want: Vec<(usize, usize)> =
                re.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(word_occurrences(text, word), want, "{word:?} in {text:?}");
        }
    }
}
