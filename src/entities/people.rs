//! People: names recognised by an honorific ("Mme Anna Berg (Suède)") or a known first name
//! ("Nadia Lefort"), with the role and organisation of an apposition ("Marc Olsen,
//! Secrétaire général d'ICLEI", "ICLEI Secretary-General Marc Olsen"), and the
//! country given in parentheses. Contact names are people too.

use super::orgs::{OrgIndex, static_re};
use super::rules::Rules;
use super::text::{collapse, fold, is_capitalised, trim_span};
use crate::record::{ContactFact, Evidence, PersonFact};
use crate::wordre::{WordRegex, static_word_re};
use regex::Regex;
use std::sync::OnceLock;

/// Words that look like names after a capitalised first name but are not surnames.
const NOT_SURNAMES: &[&str] = &[
    "Le", "La", "Les", "The", "De", "Du", "Des", "Et", "And", "A", "Au", "En", "Un", "Une",
];

/// Words before a name that make it a street, school or saint, not a person.
const PLACE_WORDS: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "place",
    "quai",
    "lycée",
    "collège",
    "école",
    "saint",
    "sainte",
    "street",
    "square",
    "allée",
    "impasse",
    "pont",
    "stade",
    "gare",
    "st",
];

fn first_name_ok(rules: &Rules, first: &str) -> bool {
    first
        .split('-')
        .all(|part| rules.first_names.contains(part))
}

/// Role written after the name: ", adjointe chargée des …" up to the end of the clause.
fn role_after(text: &str, rules: &Rules, index: &OrgIndex, end: usize) -> Option<(usize, usize)> {
    let rest = text.get(end..)?;
    let after_comma = rest.strip_prefix(',')?;
    let lead = after_comma.len() - after_comma.trim_start().len();
    let start = end + 1 + lead;
    let body = text.get(start..)?;
    // The role starts with a role word, or with an organisation followed by one.
    let starts_with_role = rules.role_re.is_match(body)
        || index
            .mentions
            .iter()
            .find(|m| m.start == start)
            .and_then(|m| text.get(m.end..))
            .is_some_and(|t| rules.role_re.is_match(t.trim_start()));
    if !starts_with_role {
        return None;
    }
    static STOP: OnceLock<Regex> = OnceLock::new();
    let stop = static_re(
        &STOP,
        r"\n|\s/\s|\s[-–]\s|;|\(|\[|,?\s+(?:said|says|a déclaré|déclare|a dit)\b|,?\s+(?:and|et)\s+\p{Lu}|[.!?](?:\s|$)|$",
    );
    let mut stop_at = stop.find(body).map(|m| m.start()).unwrap_or(body.len());
    // A comma ends the role unless what follows continues it ("chargée des sports, de la
    // jeunesse", "Sénatrice, Vice-Présidente de la commission", "deputy mayor, responsible for").
    static GOES_ON: OnceLock<Regex> = OnceLock::new();
    let goes_on = static_re(
        &GOES_ON,
        r"^\s*(?i:de|des|du|d['’]|et|and|of|for|chargée?s?|responsible|in charge|en charge)\b",
    );
    let mut search = 0;
    while let Some(i) = body.get(search..stop_at).and_then(|b| b.find(',')) {
        let comma = search + i;
        let after = body.get(comma + 1..).unwrap_or("");
        if !(goes_on.is_match(after) || rules.role_re.is_match(after.trim_start())) {
            stop_at = comma;
            break;
        }
        search = comma + 1;
    }
    let (s, e) = trim_span(text, start, start + stop_at, &[',', ':', '.']);
    (e > s).then_some((s, e))
}

/// Role written just before the name on the same line: "ICLEI Secretary-General Marc Olsen".
fn role_before(text: &str, role_end_re: &Regex, start: usize) -> Option<(usize, usize)> {
    let line_start = text.get(..start)?.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = text.get(line_start..start)?;
    let m = role_end_re.find(before)?;
    let s = line_start + m.start();
    let (s, e) = trim_span(text, s, line_start + m.end(), &[]);
    (e > s).then_some((s, e))
}

pub fn find(
    text: &str,
    rules: &Rules,
    index: &OrgIndex,
    contacts: &[ContactFact],
) -> Vec<PersonFact> {
    static NAME: OnceLock<WordRegex> = OnceLock::new();
    let name_re = static_word_re(
        &NAME,
        r"\b(?P<first>\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)[ \t]+(?P<last>\p{Lu}[\p{L}'’]*\p{Ll}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]+)?|\p{Lu}{2,}(?:-\p{Lu}{2,})?)\b",
    );
    let mut people: Vec<PersonFact> = Vec::new();
    let mut add = |p: PersonFact| {
        let key = fold(&p.name);
        if let Some(existing) = people.iter_mut().find(|x| fold(&x.name) == key) {
            if existing.role.is_none() {
                existing.role = p.role;
            }
            if existing.organisation.is_none() {
                existing.organisation = p.organisation;
            }
            if existing.honorific.is_none() {
                existing.honorific = p.honorific;
            }
            if existing.country.is_none() {
                existing.country = p.country;
                existing.country_code = p.country_code;
            }
            existing.evidence.extend(p.evidence);
        } else {
            people.push(p);
        }
    };
    let in_org = |s: usize, e: usize| {
        index
            .mentions
            .iter()
            .any(|m| m.full && m.start < e && s < m.end)
    };

    let mut spans: Vec<(usize, usize, Option<String>)> = Vec::new();
    for c in rules.honorific_name_re.captures_iter(text) {
        let (Some(h), Some(n)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let form = rules
            .honorific_forms
            .iter()
            .find(|(re, _)| re.is_match(h.as_str()))
            .map(|(_, form)| form.clone());
        // "Mr President", "M. Le Maire": a post, not a name.
        if n.as_str()
            .split_whitespace()
            .any(|w| rules.role_re.is_match(w) || NOT_SURNAMES.contains(&w))
        {
            continue;
        }
        spans.push((n.start(), n.end(), form));
    }
    // Matches may overlap ("Secretary-General Marc Olsen": "General Marc" is tried first), so
    // after a rejected match the search goes on from its second word.
    let mut at = 0;
    let mut steps = 0;
    while let Some(c) = name_re.captures_at(text, at) {
        steps += 1;
        if steps > 100_000 {
            break;
        }
        let (Some(all), Some(first), Some(last)) = (c.get(0), c.get(1), c.get(2)) else {
            break;
        };
        at = last.start();
        if !first_name_ok(rules, first.as_str()) || NOT_SURNAMES.contains(&last.as_str()) {
            continue;
        }
        at = all.end();
        let prev: String = text
            .get(..all.start())
            .unwrap_or("")
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        if PLACE_WORDS.contains(&prev.trim_matches(|c: char| !c.is_alphanumeric())) {
            continue;
        }
        if spans
            .iter()
            .any(|(s, e, _)| *s < all.end() && all.start() < *e)
        {
            continue;
        }
        spans.push((all.start(), all.end(), None));
    }
    spans.sort_by_key(|(s, _, _)| *s);
    for (s, e, honorific) in spans {
        if in_org(s, e) {
            continue;
        }
        let name = collapse(text.get(s..e).unwrap_or_default());
        if !name.split_whitespace().all(is_capitalised) {
            continue;
        }
        let mut role = None;
        let mut organisation = None;
        if let Some((rs, re)) = role_after(text, rules, index, e) {
            role = Some(collapse(text.get(rs..re).unwrap_or_default()));
            organisation = index
                .first_in(rs, re)
                .map(|o| o.name.clone())
                .or_else(|| city_of_role(text, rs, re, index));
        } else if let Some((rs, re)) = role_before(text, &rules.role_end_re, s) {
            let org = index.first_in(rs, re);
            let role_start = index
                .mentions
                .iter()
                .find(|m| m.start >= rs && m.end <= re)
                .map(|m| m.end)
                .unwrap_or(rs);
            let (a, b) = trim_span(text, role_start, re, &[]);
            role = Some(collapse(text.get(a..b).unwrap_or_default()));
            organisation = org.map(|o| o.name.clone());
        }
        // Country in parentheses right after the name: "Mme Anna Berg (Suède)".
        let mut country = None;
        let mut country_code = None;
        if let Some(rest) = text.get(e..) {
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('(')
                && let Some(close) = inner.find(')')
            {
                let c = collapse(&inner[..close]);
                if let Some(code) = rules.countries.get(&fold(&c)) {
                    country = Some(c);
                    country_code = Some(code.clone());
                }
            }
        }
        add(PersonFact {
            id: String::new(),
            name,
            honorific,
            role,
            organisation,
            country,
            country_code,
            evidence: vec![Evidence::at(text, s, e)],
            rule: "person.name".to_string(),
            confidence: 0.8,
        });
    }
    for c in contacts {
        let Some(name) = &c.name else { continue };
        add(PersonFact {
            id: String::new(),
            name: name.clone(),
            honorific: None,
            role: c.role.clone(),
            organisation: c.organisation.clone(),
            country: None,
            country_code: None,
            evidence: c.evidence.clone(),
            rule: "person.contact_line".to_string(),
            confidence: 0.85,
        });
    }
    people
}

/// "maire de Paris" / "mayor of Paris" inside a role: the city government of that place.
fn city_of_role(text: &str, rs: usize, re: usize, index: &OrgIndex) -> Option<String> {
    let role = fold(text.get(rs..re)?);
    index
        .orgs
        .iter()
        .filter_map(|o| o.place.as_ref().map(|p| (o, fold(p))))
        .find(|(_, p)| {
            role.contains(&format!("maire de {p}")) || role.contains(&format!("mayor of {p}"))
        })
        .map(|(o, _)| o.name.clone())
}
