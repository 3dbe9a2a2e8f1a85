//! Boilerplate rules: class/id patterns and the phrase lexicon, compiled into the binary from
//! `rules/boilerplate/` and parsed once.

use crate::memo::StrMemo;
use std::cell::RefCell;
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

    /// The pattern as a regular expression over the signature (tokens are runs of [a-z0-9]).
    fn to_regex(&self) -> String {
        match self {
            Pattern::Token(word) => {
                format!("(?:^|[^a-z0-9]){}(?:$|[^a-z0-9])", regex::escape(word))
            }
            Pattern::TokenPrefix(prefix) => format!("(?:^|[^a-z0-9]){}", regex::escape(prefix)),
            Pattern::Substring(word) => regex::escape(word),
        }
    }
}

/// The patterns of one section, compiled into one regular expression (its literal prefilter
/// makes matching hundreds of patterns cost about one scan of the signature).
#[derive(Debug, Default)]
struct PatternSet {
    patterns: Vec<Pattern>,
    compiled: Option<regex::Regex>,
}

impl PatternSet {
    fn compile(&mut self) {
        if self.patterns.is_empty() {
            return;
        }
        let alternation: Vec<String> = self.patterns.iter().map(Pattern::to_regex).collect();
        // The patterns are escaped literals: this cannot fail short of a size limit, and then
        // the set stays empty (never matches) rather than aborting.
        self.compiled = regex::Regex::new(&alternation.join("|")).ok();
    }

    fn matches(&self, signature: &str) -> bool {
        self.compiled
            .as_ref()
            .is_some_and(|r| r.is_match(signature))
    }
}

/// What the class/id rules say about one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassVerdict {
    /// Boilerplate container (see `[drop]`, `[drop-always]`).
    pub drop: bool,
    /// Matched `[comments]`: dropped even when it holds long paragraphs.
    pub comments: bool,
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
    comments: PatternSet,
    drop_unless_headline: PatternSet,
    keep: PatternSet,
    positive: PatternSet,
    negative: PatternSet,
    body: PatternSet,
    not_body: PatternSet,
    never_drop: PatternSet,
    /// Lexicon phrases matched at the start of a block.
    prefixes: Vec<String>,
    /// Lexicon phrases matched against the whole block.
    exact: Vec<String>,
    /// Lexicon phrases matched at the start of a block of any length.
    strong: Vec<String>,
}

/// Class/id combinations one thread keeps classified before it starts again empty.
const CLASS_MEMO_ENTRIES: usize = 1 << 14;

/// The verdicts one thread has computed, for the rules at address `rules`.
struct ClassMemo {
    rules: usize,
    /// Scratch space for the lookup key.
    key: String,
    verdicts: StrMemo<ClassVerdict>,
}

thread_local! {
    static CLASS_MEMO: RefCell<ClassMemo> = RefCell::new(ClassMemo {
        rules: 0,
        key: String::new(),
        verdicts: StrMemo::new(CLASS_MEMO_ENTRIES),
    });
}

/// The rules, parsed on first use.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::parse(CLASS_ID_RULES, LEXICON))
}

/// Blocks longer than this are dropped by the lexicon's "!" phrases only.
pub const LEXICON_MAX_CHARS: usize = 160;
/// A block this short containing "©" is a photo credit or copyright line.
const CREDIT_MAX_CHARS: usize = 200;

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
                "comments" => &mut rules.comments,
                "drop-unless-headline" => &mut rules.drop_unless_headline,
                "keep" => &mut rules.keep,
                "positive" => &mut rules.positive,
                "negative" => &mut rules.negative,
                "body" => &mut rules.body,
                "not-body" => &mut rules.not_body,
                "never-drop" => &mut rules.never_drop,
                _ => continue,
            };
            set.patterns.push(pattern);
        }
        for line in lexicon.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            if let Some(exact) = line.strip_prefix('=') {
                rules.exact.push(normalise_phrase(exact));
            } else if let Some(strong) = line.strip_prefix('!') {
                rules.strong.push(normalise_phrase(strong));
            } else {
                rules.prefixes.push(normalise_phrase(line));
            }
        }
        for set in [
            &mut rules.drop,
            &mut rules.drop_always,
            &mut rules.comments,
            &mut rules.drop_unless_headline,
            &mut rules.keep,
            &mut rules.positive,
            &mut rules.negative,
            &mut rules.body,
            &mut rules.not_body,
            &mut rules.never_drop,
        ] {
            set.compile();
        }
        rules.prefixes.retain(|p| !p.is_empty());
        rules.exact.retain(|p| !p.is_empty());
        rules.strong.retain(|p| !p.is_empty());
        rules
    }

    /// [`Rules::classify`] through a per-thread memo. Pages of one site share their class
    /// names, so most combinations were classified on an earlier page; ten pattern sets run
    /// on each new one (the memo made classification a seventh of its cost).
    pub fn classify_memo(&self, class: Option<&str>, id: Option<&str>) -> ClassVerdict {
        CLASS_MEMO.with(|memo| {
            let Ok(mut memo) = memo.try_borrow_mut() else {
                return self.classify(class, id);
            };
            let ClassMemo {
                rules,
                key,
                verdicts,
            } = &mut *memo;
            let rules_id = self as *const Rules as usize;
            if *rules != rules_id {
                *rules = rules_id;
                verdicts.clear();
            }
            // One key for both attributes: a NUL byte cannot occur in an HTML attribute value
            // (the tokenizer replaces it).
            key.clear();
            key.push_str(class.unwrap_or(""));
            key.push('\0');
            key.push_str(id.unwrap_or(""));
            verdicts.get_or_insert_with(key, || self.classify(class, id))
        })
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
        if self.never_drop.matches(signature) {
            return ClassVerdict::default();
        }
        let keep = self.keep.matches(signature);
        let body = self.body.matches(signature) && !self.not_body.matches(signature);
        let comments = self.comments.matches(signature);
        let drop_always = comments || self.drop_always.matches(signature);
        let drop = !body && (drop_always || (!keep && self.drop.matches(signature)));
        let drop_unless_headline = !drop && !keep && self.drop_unless_headline.matches(signature);
        let mut weight = 0;
        if self.negative.matches(signature) {
            weight -= 25;
        }
        if self.positive.matches(signature) {
            weight += 25;
        }
        if body {
            weight += 60;
        }
        ClassVerdict {
            drop,
            comments: comments && !body,
            drop_unless_headline,
            weight,
            body,
        }
    }

    /// Whether a short block is boilerplate by the lexicon.
    pub fn is_boilerplate_phrase(&self, text: &str) -> bool {
        let chars = text.chars().count();
        if chars > LEXICON_MAX_CHARS {
            let head: String = text.chars().take(LEXICON_MAX_CHARS).collect();
            let norm = normalise_phrase(&head);
            return self.strong.iter().any(|p| starts_with_phrase(&norm, p));
        }
        if chars <= CREDIT_MAX_CHARS && text.contains('©') {
            return true;
        }
        let norm = normalise_phrase(text);
        if norm.is_empty() {
            return false;
        }
        self.exact.contains(&norm)
            || self.prefixes.iter().any(|p| starts_with_phrase(&norm, p))
            || self.strong.iter().any(|p| starts_with_phrase(&norm, p))
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
    fn memoised_verdicts_are_the_rules_verdicts() {
        let r = rules();
        let other = Rules::parse("[drop]\nwidget\n", "");
        let pairs = [
            (Some("share-bar"), None),
            (Some("widget"), Some("colonne-droite")),
            (Some("post-content share-enabled"), None),
            (Some("article-body"), None),
            (Some("widget"), None),
            (None, Some("widget")),
            (Some(""), None),
            (None, None),
        ];
        // Each rule set twice (the second round answers from the memo), then the first again:
        // a rule set never reads another's verdicts.
        for rules in [r, r, &other, &other, r] {
            for (class, id) in pairs {
                assert_eq!(rules.classify_memo(class, id), rules.classify(class, id));
            }
        }
        assert!(other.classify_memo(Some("widget"), None).drop);
        assert_ne!(
            r.classify_memo(Some("article-body"), None),
            other.classify_memo(Some("article-body"), None)
        );
    }

    #[test]
    fn class_rules() {
        let r = rules();
        assert!(r.classify(Some("share-bar"), None).drop);
        assert!(r.classify(Some("widget"), Some("colonne-droite")).drop);
        assert!(r.classify(Some("partage"), None).drop);
        assert!(!r.classify(Some("post-content share-enabled"), None).drop);
        assert!(r.classify(Some("main-menu"), None).drop);
        assert!(r.classify(Some("site-header"), None).drop_unless_headline);
        assert!(!r.classify(Some("comment-body"), None).body);
        let body = r.classify(Some("article-body"), None);
        assert!(body.body && !body.drop && body.weight > 25);
        assert_eq!(r.classify(None, None), ClassVerdict::default());
        assert!(!r.classify(Some("research-paper"), None).drop);
        assert!(!r.classify(Some("MathJax CtxtMenu_Attached_0"), None).drop);
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
        let consent = format!(
            "Wir respektieren deine Privatsphäre {}",
            "und so weiter ".repeat(20)
        );
        assert!(r.is_boilerplate_phrase(&consent));
        assert!(
            r.is_boilerplate_phrase("Lee Elder beim Masters. | © Augusta National/Getty Images")
        );
    }
}
