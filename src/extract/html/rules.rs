//! Boilerplate rules: class/id patterns and the phrase lexicon, compiled into the binary from
//! `rules/boilerplate/` and parsed once.

use std::sync::OnceLock;

const CLASS_ID_RULES: &str = include_str!("../../../rules/boilerplate/class-id.txt");
const LEXICON: &str = include_str!("../../../rules/boilerplate/lexicon.txt");

/// One class/id pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// A token equal to the word.
    Token(String),
    /// A token starting with the word.
    TokenPrefix(String),
    /// The word anywhere in the signature.
    Substring(String),
}

impl Pattern {
    fn parse(line: &str) -> Option<Pattern> {
        let line = line.trim().to_ascii_lowercase();
        if line.is_empty() {
            return None;
        }
        if let Some(inner) = line.strip_prefix('*').and_then(|l| l.strip_suffix('*')) {
            return Some(Pattern::Substring(inner.to_string()));
        }
        if let Some(prefix) = line.strip_suffix('*') {
            return Some(Pattern::TokenPrefix(prefix.to_string()));
        }
        if line.chars().all(|c| c.is_ascii_alphanumeric()) {
            Some(Pattern::Token(line))
        } else {
            // "tag-list" can never be one token: look for it in the whole signature.
            Some(Pattern::Substring(line))
        }
    }

    fn matches(&self, signature: &str, tokens: &[&str]) -> bool {
        match self {
            Pattern::Token(word) => tokens.iter().any(|t| t == word),
            Pattern::TokenPrefix(prefix) => tokens.iter().any(|t| t.starts_with(prefix.as_str())),
            Pattern::Substring(word) => signature.contains(word.as_str()),
        }
    }
}

#[derive(Debug, Default)]
struct PatternSet(Vec<Pattern>);

impl PatternSet {
    fn matches(&self, signature: &str, tokens: &[&str]) -> bool {
        self.0.iter().any(|p| p.matches(signature, tokens))
    }
}

/// What the class/id rules say about one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassVerdict {
    /// Boilerplate container (see `[drop]`, `[drop-always]`).
    pub drop: bool,
    /// Boilerplate unless it holds a headline.
    pub drop_unless_headline: bool,
    /// Content weight, Readability-style (-25, 0, +25), +60 more for an article-body class.
    pub weight: i32,
    /// Matched an article-body class.
    pub body: bool,
}

/// The compiled rules.
#[derive(Debug, Default)]
pub struct Rules {
    drop: PatternSet,
    drop_always: PatternSet,
    drop_unless_headline: PatternSet,
    keep: PatternSet,
    positive: PatternSet,
    negative: PatternSet,
    body: PatternSet,
    /// Lexicon phrases matched at the start of a block.
    prefixes: Vec<String>,
    /// Lexicon phrases matched against the whole block.
    exact: Vec<String>,
}

/// The rules, parsed on first use.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::parse(CLASS_ID_RULES, LEXICON))
}

/// Blocks longer than this are never dropped by the lexicon.
pub const LEXICON_MAX_CHARS: usize = 160;

impl Rules {
    fn parse(class_id: &str, lexicon: &str) -> Rules {
        let mut rules = Rules::default();
        let mut section = String::new();
        for line in class_id.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.to_string();
                continue;
            }
            let Some(pattern) = Pattern::parse(line) else {
                continue;
            };
            let set = match section.as_str() {
                "drop" => &mut rules.drop,
                "drop-always" => &mut rules.drop_always,
                "drop-unless-headline" => &mut rules.drop_unless_headline,
                "keep" => &mut rules.keep,
                "positive" => &mut rules.positive,
                "negative" => &mut rules.negative,
                "body" => &mut rules.body,
                _ => continue,
            };
            set.0.push(pattern);
        }
        for line in lexicon.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            match line.strip_prefix('=') {
                Some(exact) => rules.exact.push(normalise_phrase(exact)),
                None => rules.prefixes.push(normalise_phrase(line)),
            }
        }
        rules.prefixes.retain(|p| !p.is_empty());
        rules.exact.retain(|p| !p.is_empty());
        rules
    }

    /// Applies the class/id rules to an element's class and id attributes.
    pub fn classify(&self, class: Option<&str>, id: Option<&str>) -> ClassVerdict {
        let mut signature = String::new();
        for part in [class, id].into_iter().flatten() {
            signature.push_str(&part.to_lowercase());
            signature.push(' ');
        }
        let signature = signature.trim();
        if signature.is_empty() {
            return ClassVerdict::default();
        }
        let tokens: Vec<&str> = signature
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        let keep = self.keep.matches(signature, &tokens);
        let body = self.body.matches(signature, &tokens);
        let drop_always = self.drop_always.matches(signature, &tokens);
        let drop = drop_always || (!keep && !body && self.drop.matches(signature, &tokens));
        let drop_unless_headline =
            !drop && !keep && self.drop_unless_headline.matches(signature, &tokens);
        let mut weight = 0;
        if self.negative.matches(signature, &tokens) {
            weight -= 25;
        }
        if self.positive.matches(signature, &tokens) {
            weight += 25;
        }
        if body {
            weight += 60;
        }
        ClassVerdict {
            drop,
            drop_unless_headline,
            weight,
            body,
        }
    }

    /// Whether a short block is boilerplate by the lexicon.
    pub fn is_boilerplate_phrase(&self, text: &str) -> bool {
        if text.chars().count() > LEXICON_MAX_CHARS {
            return false;
        }
        let norm = normalise_phrase(text);
        if norm.is_empty() {
            return false;
        }
        self.exact.iter().any(|e| *e == norm)
            || self.prefixes.iter().any(|p| starts_with_phrase(&norm, p))
    }
}

/// `text` starts with `phrase` at a word boundary.
fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    match text.strip_prefix(phrase) {
        Some(rest) => {
            rest.is_empty()
                || !rest.starts_with(char::is_alphanumeric)
                || !phrase.ends_with(char::is_alphanumeric)
        }
        None => false,
    }
}

/// Lower case, whitespace collapsed, list bullets and surrounding punctuation removed.
fn normalise_phrase(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let joined = words.join(" ");
    joined
        .trim_matches(|c: char| {
            !c.is_alphanumeric() && !matches!(c, ':' | '+' | '-' | '«' | '.') || c == '.'
        })
        .trim_start_matches(['-', '•', '·'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_rules() {
        let r = rules();
        assert!(r.classify(Some("share-bar"), None).drop);
        assert!(r.classify(Some("widget"), Some("colonne-droite")).drop);
        assert!(r.classify(Some("partage"), None).drop);
        assert!(!r.classify(Some("post-content share-enabled"), None).drop);
        assert!(r.classify(Some("main-menu"), None).drop);
        assert!(r.classify(Some("entry-header"), None).drop_unless_headline);
        let body = r.classify(Some("article-body"), None);
        assert!(body.body && !body.drop && body.weight > 25);
        assert_eq!(r.classify(None, None), ClassVerdict::default());
        assert!(!r.classify(Some("research-paper"), None).drop);
    }

    #[test]
    fn lexicon() {
        let r = rules();
        assert!(r.is_boilerplate_phrase("Partager sur Facebook"));
        assert!(r.is_boilerplate_phrase("  Suivez-nous  "));
        assert!(r.is_boilerplate_phrase("Imprimer"));
        assert!(r.is_boilerplate_phrase("Crédits photo : AFP"));
        assert!(r.is_boilerplate_phrase("Mehr zum Thema"));
        assert!(r.is_boilerplate_phrase("« Retour à la liste des communiqués"));
        assert!(!r.is_boilerplate_phrase("Imprimerie nationale : un nouveau directeur"));
        assert!(!r.is_boilerplate_phrase("Retour sur la conférence de Paris"));
        let long = format!("Partager sur {}", "x ".repeat(100));
        assert!(!r.is_boilerplate_phrase(&long));
    }
}
