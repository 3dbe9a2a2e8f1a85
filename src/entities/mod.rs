//! Organisation-level facts: organisations, people and their roles, contacts, quantities that
//! size an organisation, objectives, and document metadata (title, type, issuer).
//!
//! Rules are data under `rules/entities/` (gazetteer, head words, units, cues, first names),
//! embedded in the binary. Every evidence offset is a byte offset into `doc.clean`.

pub mod contacts;
pub mod document;
pub mod gazetteer;
pub mod objectives;
pub mod orgs;
pub mod people;
pub mod quantities;
pub mod rules;
pub mod selftest;
pub mod text;

use crate::model::Repaired;
use crate::record::{
    ContactFact, Evidence, ObjectiveFact, OrganisationFact, PersonFact, QuantityFact,
};

/// Everything this module finds in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityFacts {
    pub organisations: Vec<OrganisationFact>,
    pub people: Vec<PersonFact>,
    pub contacts: Vec<ContactFact>,
    pub quantities: Vec<QuantityFact>,
    pub objectives: Vec<ObjectiveFact>,
    pub title: Option<(String, Evidence)>,
    pub document_type: Option<String>,
    pub issuing_organisation: Option<String>,
}

/// Entity facts of one repaired document. Never panics on input; with broken embedded rules
/// (a build error caught by the tests) it returns nothing.
pub fn extract(doc: &Repaired) -> EntityFacts {
    let Ok(rules) = rules::rules() else {
        return EntityFacts::default();
    };
    let text = doc.clean.as_str();
    let index = orgs::find(text, rules, doc.language);
    let contacts = contacts::find(text, &index, doc.language);
    let people = people::find(text, rules, &index, &contacts);
    let quantities = quantities::find(text, rules, &index, doc.language);
    let objectives = objectives::find(text, rules, &index);
    let meta = document::find(doc, rules, &index, &contacts);
    EntityFacts {
        organisations: index.facts(text),
        people,
        contacts,
        quantities,
        objectives,
        title: meta.title,
        document_type: meta.document_type,
        issuing_organisation: meta.issuing_organisation,
    }
}
