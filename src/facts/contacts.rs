//! Resolvers for phones (validated by the `phonenumber` crate), e-mails and URLs.

use crate::memo::StrMemo;
use phonenumber::country::Id;
use std::cell::RefCell;

#[derive(Debug, Clone, PartialEq)]
pub struct Phone {
    /// E.164 when the country can be told.
    pub e164: Option<String>,
    pub raw: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The number is valid for its country (libphonenumber metadata).
    pub valid: bool,
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A phone candidate: an international number ("+33 1 ...", "00 32 ...", "(+1) 650...") gets its
/// country from its code; a national number ("01 45 00 12 34") only in a French text.
/// Loads the phone-number metadata (a tenth of a second, otherwise spent in the first
/// document with a phone number).
pub fn warm_up() {
    let _ = phone("+33 1 42 76 49 61", true);
}

pub fn phone(text: &str, french: bool) -> Option<Phone> {
    // Parsing with the phone-number metadata is the costly part, and the same numbers recur
    // (a site's contact line on each of its pages): each thread keeps its answers.
    thread_local! {
        // One memo for French texts, one for the others.
        static PHONES: RefCell<[StrMemo<Option<Phone>>; 2]> = RefCell::new([
            StrMemo::new(PHONE_MEMO_ENTRIES),
            StrMemo::new(PHONE_MEMO_ENTRIES),
        ]);
    }
    PHONES.with(|memo| match memo.try_borrow_mut() {
        Ok(mut memo) => {
            memo[usize::from(french)].get_or_insert_with(text, || parse_phone(text, french))
        }
        Err(_) => parse_phone(text, french),
    })
}

/// Phone candidates one thread keeps parsed before it starts again empty.
const PHONE_MEMO_ENTRIES: usize = 4096;

/// [`phone`] without the memo.
fn parse_phone(text: &str, french: bool) -> Option<Phone> {
    let raw = text.trim().trim_end_matches(['.', ',', ';']).to_string();
    // An extension ("ext 897", "poste 12") is not part of the number.
    let lower = raw.to_lowercase();
    let main = ["ext", "poste", "x"]
        .iter()
        .filter_map(|k| lower.find(k))
        .min()
        .and_then(|i| raw.get(..i))
        .unwrap_or(&raw);
    let d = digits(main);
    if d.len() < 5 || d.len() > 15 {
        return None;
    }
    let compact: String = main
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect();
    let international = if compact.starts_with('+') {
        Some(d.clone())
    } else {
        d.strip_prefix("00")
            .filter(|_| compact.starts_with("00"))
            .map(str::to_string)
    };
    if let Some(intl) = international {
        let parsed = phonenumber::parse(None, format!("+{intl}")).ok();
        let (e164, country, valid) = match &parsed {
            Some(n) => (
                format!("+{}{}", n.code().value(), n.national().value()),
                n.country().id().map(|id| id.as_ref().to_string()),
                phonenumber::is_valid(n),
            ),
            None => (format!("+{intl}"), None, false),
        };
        // An explicit country code fixes the E.164 form even when the metadata finds the
        // number invalid (a digit lost in transcription).
        return Some(Phone {
            e164: Some(e164),
            raw,
            country,
            valid,
        });
    }
    if french && d.starts_with('0') && d.len() == 10 {
        let n = phonenumber::parse(Some(Id::FR), &d).ok()?;
        if phonenumber::is_valid(&n) {
            return Some(Phone {
                e164: Some(format!("+{}{}", n.code().value(), n.national().value())),
                raw,
                country: Some("FR".to_string()),
                valid: true,
            });
        }
    }
    Some(Phone {
        e164: None,
        raw,
        country: None,
        valid: false,
    })
}

/// An e-mail address, lower-cased, without `mailto:` and trailing punctuation; `None` when the
/// domain has no dot, a one-letter top-level domain or is an IP address.
pub fn email(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("mailto:")
        .or_else(|| t.strip_prefix("MAILTO:"))
        .unwrap_or(t);
    let t = t.split('?').next().unwrap_or(t);
    let t = t.trim_end_matches(['.', ',', ';', ':', ')', ']', '>']);
    let (user, domain) = t.split_once('@')?;
    if user.is_empty() || domain.contains('@') {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last()?;
    if labels.len() < 2
        || tld.len() < 2
        || !tld.chars().all(|c| c.is_alphabetic())
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.contains('_')
    {
        return None;
    }
    Some(t.to_lowercase())
}

/// Top-level domains accepted for bare host names (no scheme, no `www.`): a bare `x.y` needs a
/// known ending, or "rapport.pdf" and "C.G.L.U" would be hosts.
const BARE_TLDS: &[&str] = &[
    "fr", "com", "org", "net", "eu", "int", "edu", "gov", "io", "info", "be", "de", "uk", "ch",
    "it", "es", "nl", "lu", "ca", "us", "co", "ma", "tn", "dz", "sn", "ci", "pt", "pl", "at", "se",
    "dk", "no", "fi", "ie", "gr", "ro", "hu", "cz", "sk", "si", "hr", "bg", "tr", "ru", "ly", "gl",
    "asso", "gouv", "biz", "tv", "me",
];

/// A URL as written (OCR-repaired when certain), trailing sentence punctuation dropped.
/// `bare`: a host name without scheme or `www.`, checked against [`BARE_TLDS`].
pub fn url(text: &str, bare: bool) -> Option<String> {
    let mut t = text.trim().to_string();
    // Trailing punctuation belongs to the sentence; a closing bracket only when unbalanced.
    while let Some(last) = t.chars().last() {
        let unbalanced_close = (last == ')' && t.matches('(').count() < t.matches(')').count())
            || (last == ']' && t.matches('[').count() < t.matches(']').count());
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '"' | '\'' | '»' | '”' | '>'
        ) || unbalanced_close
        {
            t.pop();
        } else {
            break;
        }
    }
    // An OCR line break or space inside a query was joined by the pattern: drop it.
    t.retain(|c| !c.is_whitespace());
    let t = repair_scheme(&t);
    let lower = t.to_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("ftp://"));
    let host_part = rest.unwrap_or(&lower);
    let host = host_part
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default();
    if host.is_empty() {
        return None;
    }
    if bare {
        let labels: Vec<&str> = host.split('.').collect();
        let tld = labels.last()?;
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) || !BARE_TLDS.contains(tld) {
            return None;
        }
    }
    Some(t)
}

/// Repairs the scheme separator when OCR damaged it in a way that leaves no doubt:
/// "https:/iwed.coe.int" (the second slash of `://` read as a letter that looks like one) and
/// "http//www..." (the colon lost). Then [`repair_path_segments`].
fn repair_scheme(t: &str) -> String {
    for scheme in ["https", "http", "ftp"] {
        let Some(after) = t
            .get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
        else {
            continue;
        };
        let rest = t.get(after.len()..).unwrap_or_default();
        if let Some(rest) = rest.strip_prefix("//") {
            return repair_path_segments(&format!("{after}://{rest}"));
        }
        if let Some(rest) = rest.strip_prefix(":/")
            && !rest.starts_with('/')
        {
            let rest = rest.strip_prefix(['i', 'l', '1', 'I', '|']).unwrap_or(rest);
            return repair_path_segments(&format!("{after}://{rest}"));
        }
    }
    repair_path_segments(t)
}

/// Characters that cannot stand alone as a URL path segment (RFC 3986 excludes them), with the
/// letter OCR took them for: a one-character segment between slashes of small footnote type.
/// A lone `{` is never a URI template (those close their braces).
const LONE_SEGMENT_OCR: &[(&str, &str)] = &[("{", "t"), ("}", "t")];

/// `/{/` -> `/t/`: see [`LONE_SEGMENT_OCR`]. Only the path (after the host), never the query.
fn repair_path_segments(t: &str) -> String {
    let Some(scheme_end) = t.find("://").map(|i| i + 3) else {
        return t.to_string();
    };
    let path_end = t.find(['?', '#']).unwrap_or(t.len()).max(scheme_end);
    let (head, query) = t.split_at(path_end);
    let (prefix, path) = head.split_at(scheme_end);
    let mut segments: Vec<&str> = path.split('/').collect();
    for seg in segments.iter_mut().skip(1) {
        if let Some((_, letter)) = LONE_SEGMENT_OCR.iter().find(|(bad, _)| bad == seg) {
            *seg = letter;
        }
    }
    format!("{prefix}{}{query}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let p = phone("01 42 76 49 61", true);
        assert_eq!(p.and_then(|p| p.e164), Some("+33142764961".to_string()));
        let p = phone("00 32 552 08 86", true);
        assert_eq!(p.and_then(|p| p.e164), Some("+325520886".to_string()));
    }

    #[test]
    fn emails_and_urls() {
        assert_eq!(
            email("Alice_1@Outlook.com."),
            Some("alice_1@outlook.com".to_string())
        );
        assert_eq!(email("Bob@abc.c"), None);
        assert_eq!(
            url("https:/iwed.coe.int/x", false),
            Some("https://wed.coe.int/x".to_string())
        );
        assert_eq!(url("rapport.pdf", true), None);
        assert_eq!(
            url("http//www.coe.int/{/x/page.asp?", false),
            Some("http://www.coe.int/t/x/page.asp?".to_string())
        );
        // A URI template keeps its braces.
        assert_eq!(
            url("https://api.example.org/users/{id}/posts", false),
            Some("https://api.example.org/users/{id}/posts".to_string())
        );
    }
}
