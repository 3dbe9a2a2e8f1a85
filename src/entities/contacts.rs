//! Contacts: press and accreditation blocks ("Réseau Atlas: Léa Morin / 00 32 400 11 22 /
//! lea.morin@atlas.example", "Contact: Tom Reyes, ICLEI project officer, tom.reyes@iclei.example",
//! "accréditation auprès de presse@ville.example").

use super::orgs::{OrgIndex, static_re};
use super::text::{collapse, fold, org_key, sentence_at};
use crate::record::{ContactFact, Evidence, PhoneEntry};
use crate::wordre::{WordRegex, static_word_re};
use regex::Regex;
use std::sync::OnceLock;

const EMAIL: &str = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}";
const PHONE: &str =
    r"(?:\+|00)\s?\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}|\b0[1-9](?:[\s.-]?\d{2}){4}\b";

fn phone_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    static_re(&RE, PHONE)
}

fn email_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    static_re(&RE, EMAIL)
}

/// A phone number as written, with its E.164 form and country when they can be inferred:
/// "00 32 …" / "+32 …" carry their country; a French national number ("01 45 00 12 34") in a
/// French document is French.
pub fn phone_entry(raw: &str, language: Option<&str>) -> PhoneEntry {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let trimmed = raw.trim();
    let e164 = if trimmed.starts_with('+') {
        Some(format!("+{digits}"))
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(format!("+{rest}"))
    } else if digits.len() == 10 && digits.starts_with('0') && language == Some("fr") {
        Some(format!("+33{}", &digits[1..]))
    } else {
        None
    };
    let country = e164.as_ref().and_then(|e| {
        phonenumber::parse(None, e)
            .ok()
            .and_then(|n| n.country().id())
            .map(|id| id.as_ref().to_string())
            .or_else(|| calling_code_country(e))
    });
    PhoneEntry {
        raw: collapse(raw),
        e164,
        country,
    }
}

/// Country of a calling code when the number itself is too short for the metadata.
fn calling_code_country(e164: &str) -> Option<String> {
    let digits = e164.trim_start_matches('+');
    let table = [
        ("33", "FR"),
        ("32", "BE"),
        ("41", "CH"),
        ("352", "LU"),
        ("49", "DE"),
        ("44", "GB"),
        ("39", "IT"),
        ("34", "ES"),
        ("31", "NL"),
        ("43", "AT"),
        ("1", "US"),
    ];
    table
        .iter()
        .filter(|(code, _)| digits.starts_with(code))
        .max_by_key(|(code, _)| code.len())
        .map(|(_, c)| c.to_string())
}

/// Kind of contact from the heading or words around it.
fn kind_near(text: &str, pos: usize) -> Option<String> {
    let from = pos.saturating_sub(400);
    let mut from = from;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = fold(text.get(from..pos).unwrap_or(""));
    if before.contains("presse") || before.contains("press") || before.contains("media") {
        Some("press".to_string())
    } else {
        Some("general".to_string())
    }
}

fn org_name(index: &OrgIndex, surface: &str) -> String {
    index
        .by_surface(surface)
        .map(|o| {
            // Keep the form written in the contact line when it is one of the body's names.
            if org_key(surface) == org_key(&o.name) {
                o.name.clone()
            } else {
                collapse(surface)
            }
        })
        .unwrap_or_else(|| collapse(surface))
}

/// Whether some `@` has, before its local part and any white space, a `/`: the slashes pattern
/// ends in `/ e-mail`, so a text without one cannot match it. (The pattern's DFA is slow: a
/// capital letter, then counted runs of anything; most pages with an address fail this test.)
fn email_after_slash(text: &str) -> bool {
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    text.match_indices('@').any(|(at, _)| {
        let before = text[..at]
            .trim_end_matches(local)
            .trim_end_matches(char::is_whitespace);
        before.ends_with('/')
    })
}

/// Whether the text says "contact" in any case: the contact-line pattern starts with it. (No
/// letter of the word has a case variant outside ASCII, so an ASCII-insensitive search is
/// exact.)
fn mentions_contact(text: &str) -> bool {
    const WORD: &[u8] = b"contact";
    text.as_bytes()
        .windows(WORD.len())
        .any(|w| w.eq_ignore_ascii_case(WORD))
}

pub fn find(text: &str, index: &OrgIndex, language: Option<&str>) -> Vec<ContactFact> {
    // Every contact pattern below ends in an e-mail address; without an `@` none can match,
    // and the two line patterns are among the slowest of the stage.
    if !text.contains('@') {
        return Vec::new();
    }
    static SLASHES: OnceLock<WordRegex> = OnceLock::new();
    static CONTACT: OnceLock<WordRegex> = OnceLock::new();
    let slashes = static_word_re(
        &SLASHES,
        &format!(
            r"(?P<org>\p{{Lu}}[^:\n/@]{{1,80}}?)\s*:\s*(?P<name>\p{{Lu}}[^/\n:@]{{1,60}}?)\s*/\s*(?P<phone>{PHONE})\s*/\s*(?P<email>{EMAIL})"
        ),
    );
    let contact_line = static_word_re(
        &CONTACT,
        &format!(
            r"(?i:contacts?(?:\s+(?:presse|press|media|médias))?)\s*:\s*(?P<name>\p{{Lu}}[\p{{L}}'’-]+(?:\s+\p{{Lu}}[\p{{L}}'’-]+){{1,3}})(?:\s*,\s*(?P<role>[^,\n\[\]@]{{2,100}}?))?\s*,?\s*\[?(?P<email>{EMAIL})"
        ),
    );
    let mut out: Vec<ContactFact> = Vec::new();
    let slashed = email_after_slash(text);
    for c in slashed
        .then(|| slashes.captures_all(text))
        .into_iter()
        .flatten()
    {
        let (Some(all), Some(org), Some(name), Some(phone), Some(email)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4))
        else {
            continue;
        };
        out.push(ContactFact {
            id: String::new(),
            name: Some(collapse(name.as_str())),
            organisation: Some(org_name(index, org.as_str().trim())),
            role: None,
            phones: vec![phone_entry(phone.as_str(), language)],
            emails: vec![email.as_str().to_lowercase()],
            kind: kind_near(text, all.start()),
            evidence: vec![Evidence::at(text, org.start(), email.end())],
            rule: "contact.org_name_phone_email_slashes".to_string(),
            confidence: 0.9,
        });
    }
    let named = mentions_contact(text);
    for c in named
        .then(|| contact_line.captures_all(text))
        .into_iter()
        .flatten()
    {
        let (Some(all), Some(name), Some(email)) = (c.get(0), c.get(1), c.get(3)) else {
            continue;
        };
        let email_l = email.as_str().to_lowercase();
        if out.iter().any(|o| o.emails.contains(&email_l)) {
            continue;
        }
        let role_text = c.get(2).map(|r| collapse(r.as_str()));
        // "EUROCITIES project coordinator": the organisation named inside the role.
        let (organisation, role) = match (&role_text, c.get(2)) {
            (Some(r), Some(rm)) => match index.first_in(rm.start(), rm.end()) {
                Some(o) => {
                    let m = index
                        .mentions
                        .iter()
                        .find(|m| m.start >= rm.start() && m.end <= rm.end());
                    let rest = m
                        .and_then(|m| text.get(m.end..rm.end()))
                        .map(collapse)
                        .filter(|s| !s.is_empty());
                    (Some(o.name.clone()), rest.or(Some(r.clone())))
                }
                None => (None, Some(r.clone())),
            },
            _ => (None, None),
        };
        out.push(ContactFact {
            id: String::new(),
            name: Some(collapse(name.as_str())),
            organisation,
            role,
            phones: Vec::new(),
            emails: vec![email_l],
            kind: kind_near(text, all.end()),
            evidence: vec![Evidence::at(text, all.start(), email.end())],
            rule: "contact.contact_line".to_string(),
            confidence: 0.85,
        });
    }
    // Functional addresses given for accreditation or press enquiries.
    static ACCRED: OnceLock<Regex> = OnceLock::new();
    let accred = static_re(
        &ACCRED,
        r"(?i)accr[ée]dit|accreditation|inscri(?:re|ption|vez)|register|rsvp|pour assister",
    );
    for m in email_re().find_iter(text) {
        let email = m.as_str().to_lowercase();
        if out.iter().any(|o| o.emails.contains(&email)) {
            continue;
        }
        let (s, e) = sentence_at(text, m.start());
        let sentence = text.get(s..e.max(m.end())).unwrap_or("");
        let local = email.split('@').next().unwrap_or("");
        let (kind, rule) = if accred.is_match(sentence) {
            ("accreditation", "contact.email_only")
        } else if local.contains("presse") || local.contains("press") || local.contains("media") {
            ("press", "contact.email_only")
        } else {
            continue;
        };
        // The organisation whose name is the mail domain ("paris.fr" → Ville de Paris).
        let domain = email.split('@').nth(1).unwrap_or("");
        let label = domain.split('.').rev().nth(1).unwrap_or("");
        let (s, e) = (s, e.max(m.end()));
        let organisation = index
            .by_surface(label)
            .or_else(|| index.first_in(s, e))
            .map(|o| o.name.clone());
        // Phones written on the same line belong to that address.
        let line_start = text
            .get(..m.start())
            .unwrap_or("")
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        let line_end = text
            .get(m.end()..)
            .and_then(|t| t.find('\n'))
            .map(|i| m.end() + i)
            .unwrap_or(text.len());
        let line = text.get(line_start..line_end).unwrap_or("");
        let phones: Vec<PhoneEntry> = phone_re()
            .find_iter(line)
            .map(|p| phone_entry(p.as_str(), language))
            .collect();
        out.push(ContactFact {
            id: String::new(),
            name: None,
            organisation,
            role: None,
            phones,
            emails: vec![email],
            kind: Some(kind.to_string()),
            evidence: vec![Evidence::at(text, s, e.max(m.end()))],
            rule: rule.to_string(),
            confidence: 0.8,
        });
    }
    out.sort_by_key(|c| c.evidence.first().and_then(|e| e.start).unwrap_or(0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_test_finds_an_address_after_a_slash() {
        assert!(email_after_slash(
            "Léa Morin / 00 32 2 400 11 22 / lea.morin@iclei.example.org"
        ));
        assert!(email_after_slash("a /\n\tx@y.org"));
        assert!(!email_after_slash(
            "Écrivez à bonjour@ville.example.org / merci"
        ));
        assert!(!email_after_slash("no address / here"));
    }

    #[test]
    fn contact_test_ignores_ascii_case_only() {
        assert!(mentions_contact("CONTACTS PRESSE"));
        assert!(mentions_contact("Pour nous contacter"));
        assert!(!mentions_contact("Contributions"));
    }
}
