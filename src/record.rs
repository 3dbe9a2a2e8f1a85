//! The output schema (`schema/facts.schema.json`, version 1.1) as Rust types.
//!
//! Field order here is the order in the JSON, so output is stable. Fact stages build these types
//! with **byte** offsets into `text.clean` in their evidence ([`Evidence::at`]); [`build`] converts
//! every offset to code points, adds the raw-text span and the page, once, at the end.

use crate::model::{BlockKind, Problem, Repaired, Source, SourceKind};
use crate::offsets::OffsetMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const SCHEMA_VERSION: &str = "1.1";

/// One output file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub schema_version: String,
    pub doc_id: String,
    pub source: SourceInfo,
    pub producer: Producer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextPair>,
    #[serde(default)]
    pub blocks: Vec<BlockOut>,
    #[serde(default)]
    pub corrections: Vec<CorrectionOut>,
    #[serde(default)]
    pub languages: Vec<LanguageShare>,
    #[serde(default)]
    pub errors: Vec<Problem>,
    #[serde(default)]
    pub warnings: Vec<Problem>,
    pub document: DocumentMeta,
    pub facts: Facts,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SourceInfo {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean_text_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean_text_chars: Option<usize>,
    /// `WARC-Record-ID` of the record a page came from (then `file`/`path` name the archive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_warc_record_id: Option<String>,
    /// `WARC-Target-URI` of that record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_warc_target_uri: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Producer {
    pub name: String,
    pub version: String,
    pub kind: String,
    /// Only written when `SOURCE_DATE_EPOCH` is set, so that runs stay byte-identical.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TextPair {
    pub raw: String,
    pub clean: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BlockOut {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_confidence: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CorrectionOut {
    pub raw: String,
    pub clean: String,
    pub raw_start: usize,
    pub raw_end: usize,
    pub clean_start: usize,
    pub clean_end: usize,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LanguageShare {
    pub language: String,
    pub share: f64,
}

/// `document`: metadata for archivists. The six value fields are always written (null when the
/// text does not give them).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct DocumentMeta {
    pub title: Option<String>,
    pub document_type: Option<String>,
    pub issuing_organisation: Option<String>,
    pub place: Option<String>,
    pub publication_date: Option<String>,
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub evidence: std::collections::BTreeMap<String, Evidence>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rules: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub confidence: std::collections::BTreeMap<String, f64>,
}

/// A span of `text.clean` supporting a fact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Evidence {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Evidence {
    /// Evidence for the byte span `[start, end)` of `clean`. Offsets stay in bytes until
    /// [`build`] converts them.
    pub fn at(clean: &str, start: usize, end: usize) -> Self {
        Evidence {
            text: clean.get(start..end).unwrap_or_default().to_string(),
            start: Some(start),
            end: Some(end),
            ..Evidence::default()
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Facts {
    pub dates: Vec<DateFact>,
    pub quantities: Vec<QuantityFact>,
    pub objectives: Vec<ObjectiveFact>,
    pub contacts: Vec<ContactFact>,
    pub people: Vec<PersonFact>,
    pub organisations: Vec<OrganisationFact>,
    pub urls: Vec<UrlFact>,
    pub emails: Vec<EmailFact>,
    pub phones: Vec<PhoneFact>,
}

impl Facts {
    pub fn count(&self) -> usize {
        self.counts().iter().map(|(_, n)| n).sum()
    }

    /// Number of facts per type, in schema order.
    pub fn counts(&self) -> [(&'static str, usize); 9] {
        [
            ("dates", self.dates.len()),
            ("quantities", self.quantities.len()),
            ("objectives", self.objectives.len()),
            ("contacts", self.contacts.len()),
            ("people", self.people.len()),
            ("organisations", self.organisations.len()),
            ("urls", self.urls.len()),
            ("emails", self.emails.len()),
            ("phones", self.phones.len()),
        ]
    }

    /// Every evidence list of every fact, for offset conversion.
    fn evidence_lists_mut(&mut self) -> Vec<&mut Vec<Evidence>> {
        let mut lists: Vec<&mut Vec<Evidence>> = Vec::new();
        lists.extend(self.dates.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.quantities.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.objectives.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.contacts.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.people.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.organisations.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.urls.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.emails.iter_mut().map(|f| &mut f.evidence));
        lists.extend(self.phones.iter_mut().map(|f| &mut f.evidence));
        lists
    }

    /// Give every fact its `type-n` id, in list order.
    fn number(&mut self) {
        fn set<T>(items: &mut [T], prefix: &str, id: impl Fn(&mut T) -> &mut String) {
            for (i, item) in items.iter_mut().enumerate() {
                *id(item) = format!("{prefix}-{}", i + 1);
            }
        }
        set(&mut self.dates, "date", |f| &mut f.id);
        set(&mut self.quantities, "qty", |f| &mut f.id);
        set(&mut self.objectives, "obj", |f| &mut f.id);
        set(&mut self.contacts, "contact", |f| &mut f.id);
        set(&mut self.people, "person", |f| &mut f.id);
        set(&mut self.organisations, "org", |f| &mut f.id);
        set(&mut self.urls, "url", |f| &mut f.id);
        set(&mut self.emails, "email", |f| &mut f.id);
        set(&mut self.phones, "phone", |f| &mut f.id);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct DateFact {
    pub id: String,
    pub value: String,
    pub interval: bool,
    pub granularity: String,
    pub year_inferred: bool,
    pub about: String,
    pub subject: Option<String>,
    pub label: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct QuantityFact {
    pub id: String,
    pub subject: String,
    pub value: f64,
    pub qualifier: String,
    pub unit: String,
    pub unit_text: Option<String>,
    pub measure: String,
    pub label: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ObjectiveFact {
    pub id: String,
    pub text: String,
    pub organisations: Vec<String>,
    pub cue: Option<String>,
    pub list_label: Option<String>,
    pub position: Option<u32>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PhoneEntry {
    pub raw: String,
    pub e164: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ContactFact {
    pub id: String,
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub phones: Vec<PhoneEntry>,
    pub emails: Vec<String>,
    pub kind: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PersonFact {
    pub id: String,
    pub name: String,
    pub honorific: Option<String>,
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct OrganisationFact {
    pub id: String,
    pub name: String,
    pub acronym: Option<String>,
    pub aliases: Vec<String>,
    pub org_type: Option<String>,
    pub location: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct UrlFact {
    pub id: String,
    pub value: String,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct EmailFact {
    pub id: String,
    pub value: String,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PhoneFact {
    pub id: String,
    pub value: Option<String>,
    pub raw: String,
    pub country: Option<String>,
    pub evidence: Vec<Evidence>,
    pub rule: String,
    pub confidence: f64,
}

/// What the fact stage produces for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactsOutput {
    pub document: DocumentMeta,
    pub facts: Facts,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `producer.created` from `SOURCE_DATE_EPOCH` (reproducible builds convention), else absent.
fn created_from_env() -> Option<String> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(format_unix_utc(secs))
}

/// Format seconds since the Unix epoch as `YYYY-MM-DDThh:mm:ssZ` (proleptic Gregorian, UTC).
pub fn format_unix_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn producer() -> Producer {
    Producer {
        name: "docfacts".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        kind: "pipeline".to_string(),
        created: created_from_env(),
    }
}

fn source_info(source: &Source) -> SourceInfo {
    SourceInfo {
        file: source.file_name.clone(),
        path: Some(source.rel_path.clone()),
        kind: None,
        bytes: Some(source.file_size),
        media_type: Some(source.format.media_type().to_string()),
        encoding: None,
        pages: None,
        sha256: Some(
            source
                .sha256
                .clone()
                .unwrap_or_else(|| sha256_hex(&source.bytes)),
        ),
        clean_text_sha256: None,
        clean_text_chars: None,
        x_warc_record_id: source.warc.as_ref().map(|w| w.record_id.clone()),
        x_warc_target_uri: source.warc.as_ref().map(|w| w.uri.clone()),
    }
}

/// The record of a document that could not be processed: no text, empty facts, the errors.
pub fn failed(source: &Source, errors: Vec<Problem>) -> Record {
    let mut warnings = source.warnings.clone();
    warnings.sort_by_key(|w| (w.page, w.stage));
    Record {
        schema_version: SCHEMA_VERSION.to_string(),
        doc_id: source.doc_id.clone(),
        source: source_info(source),
        producer: producer(),
        text: None,
        blocks: Vec::new(),
        corrections: Vec::new(),
        languages: Vec::new(),
        errors,
        warnings,
        document: DocumentMeta::default(),
        facts: Facts::default(),
    }
}

/// The record of a processed document. Converts every byte offset to code points, fills each
/// evidence's raw span (from the corrections) and page (from the blocks), and numbers the facts.
pub fn build(source: &Source, doc: &Repaired, output: FactsOutput) -> Record {
    let clean_map = OffsetMap::new(&doc.clean);
    let raw_map = OffsetMap::new(&doc.raw);
    let FactsOutput {
        mut document,
        mut facts,
    } = output;

    for list in facts.evidence_lists_mut() {
        for ev in list.iter_mut() {
            fix_evidence(ev, doc, &clean_map, &raw_map);
        }
        // One supporting span per place: drop repeats, keep text order.
        list.sort_by_key(|e| (e.start, e.end));
        list.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.text == b.text);
    }
    for ev in document.evidence.values_mut() {
        fix_evidence(ev, doc, &clean_map, &raw_map);
    }
    facts.number();

    let mut info = source_info(source);
    info.kind = Some(doc.kind);
    info.encoding = doc.encoding.clone();
    info.pages = doc.pages;
    info.clean_text_sha256 = Some(sha256_hex(doc.clean.as_bytes()));
    info.clean_text_chars = Some(clean_map.char_len());

    let blocks = doc
        .blocks
        .iter()
        .map(|b| BlockOut {
            kind: b.kind,
            start: clean_map.to_char(b.start),
            end: clean_map.to_char(b.end),
            page: b.page,
            level: b.level,
            language: b.language.map(str::to_string),
            language_confidence: b.language_confidence.map(round3),
        })
        .collect();
    let corrections = doc
        .corrections
        .iter()
        .map(|c| CorrectionOut {
            raw: c.raw.clone(),
            clean: c.clean.clone(),
            raw_start: raw_map.to_char(c.raw_start),
            raw_end: raw_map.to_char(c.raw_end),
            clean_start: clean_map.to_char(c.clean_start),
            clean_end: clean_map.to_char(c.clean_end),
            rule: c.rule.clone(),
            confidence: c.confidence,
        })
        .collect();
    let languages = doc
        .languages
        .iter()
        .map(|(language, share)| LanguageShare {
            language: language.to_string(),
            share: round3(*share),
        })
        .collect();
    let mut warnings: Vec<Problem> = source.warnings.clone();
    warnings.extend(doc.warnings.iter().cloned());

    Record {
        schema_version: SCHEMA_VERSION.to_string(),
        doc_id: source.doc_id.clone(),
        source: info,
        producer: producer(),
        text: Some(TextPair {
            raw: doc.raw.clone(),
            clean: doc.clean.clone(),
        }),
        blocks,
        corrections,
        languages,
        errors: doc.errors.clone(),
        warnings,
        document,
        facts,
    }
}

/// Round to 3 decimals: confidences and shares need no more, and fewer digits keep diffs readable.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Turn an evidence built with byte offsets into `clean` into the schema's form.
fn fix_evidence(ev: &mut Evidence, doc: &Repaired, clean_map: &OffsetMap, raw_map: &OffsetMap) {
    let (Some(start), Some(end)) = (ev.start, ev.end) else {
        return;
    };
    if ev.page.is_none() {
        ev.page = doc.block_at(start).and_then(|b| b.page);
    }
    let (raw_start, raw_end) = crate::repair::clean_span_to_raw(doc, start, end);
    if let Some(raw_text) = doc.raw.get(raw_start..raw_end)
        && raw_text != ev.text
        && !raw_text.is_empty()
    {
        ev.raw_text = Some(raw_text.to_string());
    }
    ev.raw_start = Some(raw_map.to_char(raw_start));
    ev.raw_end = Some(raw_map.to_char(raw_end));
    ev.start = Some(clean_map.to_char(start));
    ev.end = Some(clean_map.to_char(end));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_formats_as_utc() {
        assert_eq!(format_unix_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix_utc(1_387_324_800), "2013-12-18T00:00:00Z");
        assert_eq!(format_unix_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
