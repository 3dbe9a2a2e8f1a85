//! Entity facts on the real corpus texts (corpus/*.txt), with concrete values.

use docfacts::entities::{self, EntityFacts};
use docfacts::model::{Extracted, Repaired, SourceKind};
use std::path::PathBuf;

fn run(name: &str, language: &'static str) -> (String, EntityFacts) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut e = Extracted::new(SourceKind::Text);
    e.text = text.clone();
    let mut doc = Repaired::unchanged(e);
    doc.language = Some(language);
    (text, entities::extract(&doc))
}

fn org<'a>(f: &'a EntityFacts, name: &str) -> Option<&'a docfacts::record::OrganisationFact> {
    f.organisations.iter().find(|o| o.name == name)
}

#[test]
fn press_invitation_000() {
    let (text, f) = run("000.txt", "fr");
    let alliance = org(
        &f,
        "Alliance européenne des villes et des régions pour l'inclusion des Roms",
    );
    assert!(alliance.is_some());
    assert!(alliance.is_some_and(|o| {
        o.aliases
            .iter()
            .any(|a| a == "l'Alliance" || a == "L'Alliance")
    }));
    let paris = org(&f, "Ville de Paris");
    assert!(paris.is_some_and(|o| o.aliases.contains(&"Mairie de Paris".to_string())));
    assert!(
        org(
            &f,
            "Congrès des pouvoirs locaux et régionaux du Conseil de l'Europe"
        )
        .is_some()
    );
    let names: Vec<&str> = f.people.iter().map(|p| p.name.as_str()).collect();
    for n in [
        "Claudine Bouygues",
        "Pierre Schapira",
        "Paul Bevan",
        "Jean-Claude Frécon",
        "Sébastien Pant",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let bevan = f.people.iter().find(|p| p.name == "Paul Bevan");
    assert_eq!(
        bevan.and_then(|p| p.role.as_deref()),
        Some("Secrétaire général d'Eurocities")
    );
    let pant = f
        .contacts
        .iter()
        .find(|c| c.name.as_deref() == Some("Sébastien Pant"));
    let phone = pant.and_then(|c| c.phones.first());
    assert_eq!(phone.and_then(|p| p.e164.as_deref()), Some("+325520886"));
    assert_eq!(phone.and_then(|p| p.country.as_deref()), Some("BE"));
    let spence = f
        .contacts
        .iter()
        .find(|c| c.name.as_deref() == Some("Giles Spence"));
    assert_eq!(
        spence
            .and_then(|c| c.phones.first())
            .and_then(|p| p.e164.as_deref()),
        Some("+33142764961")
    );
    assert!(
        f.contacts
            .iter()
            .any(|c| c.name.is_none() && c.kind.as_deref() == Some("accreditation"))
    );
    let q121 = f.quantities.iter().find(|q| q.value == 121.0);
    assert_eq!(q121.map(|q| q.unit.as_str()), Some("cities"));
    assert_eq!(q121.map(|q| q.measure.as_str()), Some("member_count"));
    assert!(
        f.objectives
            .iter()
            .any(|o| o.cue.as_deref() == Some("destinée à")
                && o.text.starts_with("renforcer les capacités"))
    );
    assert_eq!(f.document_type.as_deref(), Some("press_invitation"));
    let title = f.title.as_ref().map(|t| t.0.as_str()).unwrap_or("");
    assert!(
        title.starts_with("Cérémonie à l'occasion de la signature"),
        "{title}"
    );
    // Evidence offsets are byte offsets into the text.
    for o in &f.organisations {
        for e in &o.evidence {
            let (s, en) = (e.start.unwrap_or(0), e.end.unwrap_or(0));
            assert_eq!(text.get(s..en), Some(e.text.as_str()));
        }
    }
}

#[test]
fn press_release_001() {
    let (_, f) = run("001.txt", "en");
    assert!(org(&f, "City of Paris").is_some());
    let euro = org(&f, "EUROCITIES");
    assert!(
        euro.is_some_and(|o| o.aliases.contains(&"EURO CITIES".to_string())),
        "{:?}",
        f.organisations
    );
    assert!(org(&f, "Paris Co-Développement Sud label").is_some());
    let rank = f.quantities.iter().find(|q| q.value == 33.0);
    assert_eq!(rank.map(|q| q.measure.as_str()), Some("rank"));
    let citizens = f.quantities.iter().find(|q| q.value == 130_000_000.0);
    assert_eq!(
        citizens.map(|q| (q.qualifier.as_str(), q.unit.as_str())),
        Some(("about", "people"))
    );
    let over = f.quantities.iter().find(|q| q.value == 130.0);
    assert_eq!(
        over.map(|q| (q.qualifier.as_str(), q.unit.as_str())),
        Some(("more_than", "cities"))
    );
    assert!(
        !f.quantities.iter().any(|q| q.value == 3.0),
        "three quarters is no count"
    );
    let bevan = f.people.iter().find(|p| p.name == "Paul Bevan");
    assert_eq!(
        bevan.and_then(|p| p.organisation.as_deref()),
        Some("EUROCITIES")
    );
    let thomas = f
        .contacts
        .iter()
        .find(|c| c.name.as_deref() == Some("Thomas Jézéquel"));
    assert_eq!(
        thomas.and_then(|c| c.role.as_deref()),
        Some("project coordinator")
    );
    assert!(
        f.objectives
            .iter()
            .any(|o| o.text == "promote cultural diversity in the capital")
    );
    assert_eq!(f.document_type.as_deref(), Some("press_release"));
    assert_eq!(
        f.title.as_ref().map(|t| t.0.as_str()),
        Some("Paris sets out commitment to migrant integration")
    );
    assert_eq!(f.issuing_organisation.as_deref(), Some("EUROCITIES"));
}

#[test]
fn web_pages_002_004() {
    let (_, f) = run("002.txt", "fr");
    assert!(org(&f, "Conseil Général du Val de Marne").is_some());
    assert!(org(&f, "MERI").is_some());
    let five = f.quantities.iter().find(|q| q.value == 5.0);
    assert_eq!(five.map(|q| q.unit.as_str()), Some("countries"));
    assert_eq!(f.document_type.as_deref(), Some("web_page"));
    assert_eq!(
        f.title.as_ref().map(|t| t.0.as_str()),
        Some("120 collectivités territoriales membres de l’Alliance")
    );

    let (_, f) = run("004.txt", "fr");
    let cglu = org(&f, "Cités et gouvernements locaux unis");
    assert_eq!(cglu.and_then(|o| o.acronym.as_deref()), Some("CGLU"));
    assert!(
        f.organisations
            .iter()
            .any(|o| o.acronym.as_deref() == Some("ICORN"))
    );
    let threshold = f.quantities.iter().find(|q| q.value == 200_000.0);
    assert_eq!(threshold.map(|q| q.measure.as_str()), Some("threshold"));
    let eurocites: Vec<_> = f
        .objectives
        .iter()
        .filter(|o| o.cue.as_deref() == Some("trois objectifs"))
        .collect();
    assert_eq!(eurocites.len(), 3);
    assert_eq!(eurocites.get(2).and_then(|o| o.position), Some(3));
    assert_eq!(
        f.title.as_ref().map(|t| t.0.as_str()),
        Some("La participation aux réseaux des villes")
    );
    assert_eq!(f.issuing_organisation.as_deref(), Some("Ville de Paris"));
}

#[test]
fn ocr_policy_paper_003() {
    let (_, f) = run("003.txt", "fr");
    // OCR forms ("Congres", "I'Europe") still reach the gazetteer's names.
    assert!(
        org(
            &f,
            "Congrès des pouvoirs locaux et régionaux du Conseil de l'Europe"
        )
        .is_some()
    );
    let coe = org(&f, "Conseil de l'Europe");
    assert_eq!(coe.and_then(|o| o.acronym.as_deref()), Some("CdE"));
    let mtm = f
        .organisations
        .iter()
        .find(|o| o.acronym.as_deref() == Some("MtM"));
    assert!(mtm.is_some());
    let linge = f.people.iter().find(|p| p.name == "Inger Linge");
    assert_eq!(linge.and_then(|p| p.country_code.as_deref()), Some("SE"));
    assert_eq!(linge.and_then(|p| p.honorific.as_deref()), Some("Mme"));
    let listed: Vec<_> = f
        .objectives
        .iter()
        .filter(|o| o.cue.as_deref() == Some("objectifs suivants"))
        .collect();
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .first()
            .is_some_and(|o| o.text.starts_with("Permettre aux villes"))
    );
    // Activities and expected results are not objectives; section numbers are not quantities.
    assert!(
        !f.objectives
            .iter()
            .any(|o| o.text.starts_with("Lever les obstacles"))
    );
    assert!(
        !f.quantities
            .iter()
            .any(|q| q.value == 5.1 || q.value == 6.3)
    );
    assert_eq!(f.document_type.as_deref(), Some("policy_paper"));
    assert_eq!(f.title, None);
}

#[test]
fn output_is_deterministic() {
    let (_, a) = run("003.txt", "fr");
    let (_, b) = run("003.txt", "fr");
    assert_eq!(a, b);
}
