//! Word lists (membership) and word frequencies for French and English, as FSTs.
//!
//! The data lives in `rules/lexicon/` as gzip'd sorted lists (see its README for sources and
//! licences, and `scripts/build_lexicon.py` for how they are made). `build.rs` turns them into
//! `fst` sets/maps that the binary embeds and reads in place.

use crate::memo::StrMemo;
use anyhow::Result;
use fst::{Map, Set};
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// FST bytes: embedded in the binary, or built in memory (tests).
type FstBytes = Cow<'static, [u8]>;

/// A language the repair stage has a lexicon for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// One language's forms and frequencies.
pub struct Lexicon {
    /// Tells this lexicon's answers apart in the per-thread memo ([`Lexicon::knows`]).
    id: usize,
    words: Set<FstBytes>,
    /// Lower-cased form -> Zipf frequency × 100 (wordfreq).
    freq: Map<FstBytes>,
}

impl Lexicon {
    /// A lexicon over FSTs made by `build.rs`.
    fn from_fst_bytes(words: &'static [u8], freq: &'static [u8], name: &str) -> Result<Self> {
        let words = Set::new(Cow::Borrowed(words))
            .map_err(|e| anyhow::anyhow!("the embedded {name} word set: {e}"))?;
        let freq = Map::new(Cow::Borrowed(freq))
            .map_err(|e| anyhow::anyhow!("the embedded {name} frequency map: {e}"))?;
        Ok(Lexicon {
            id: next_lexicon_id(),
            words,
            freq,
        })
    }

    /// Builds a lexicon from in-memory lists (tests).
    pub fn from_lists(words: &[&str], freq: &[(&str, f64)]) -> Result<Self> {
        let mut w: Vec<&str> = words.to_vec();
        w.sort_unstable();
        w.dedup();
        let words = Set::new(Cow::Owned(Set::from_iter(w)?.into_fst().into_inner()))?;
        let mut f: Vec<(&str, u64)> = freq
            .iter()
            .map(|(w, z)| (*w, (z * 100.0).round() as u64))
            .collect();
        f.sort_unstable();
        f.dedup_by(|a, b| a.0 == b.0);
        let freq = Map::new(Cow::Owned(Map::from_iter(f)?.into_fst().into_inner()))?;
        Ok(Lexicon {
            id: next_lexicon_id(),
            words,
            freq,
        })
    }

    /// The exact form is in the list.
    pub fn contains_exact(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The word is a form of the language, allowing the capitalisation of sentence starts and
    /// headings (`Alliance`, `ALLIANCE` for `alliance`). Apostrophes are compared as `'`.
    pub fn knows(&self, word: &str) -> bool {
        KNOWN_WORDS.with(|memo| match memo.try_borrow_mut() {
            Ok(mut memo) => memo.knows(self, word),
            Err(_) => self.knows_in_fst(word),
        })
    }

    /// [`Lexicon::knows`], asked of the FST.
    fn knows_in_fst(&self, word: &str) -> bool {
        if word.is_empty() {
            return false;
        }
        let normalised;
        let word = if word.contains('’') {
            normalised = word.replace('’', "'");
            normalised.as_str()
        } else {
            word
        };
        if self.words.contains(word) {
            return true;
        }
        let mut chars = word.chars();
        let first = chars.next().unwrap_or(' ');
        if !first.is_uppercase() {
            return false;
        }
        let rest = chars.as_str();
        let lower_first: String = first.to_lowercase().chain(rest.chars()).collect();
        if self.words.contains(&lower_first) {
            return true;
        }
        if rest.chars().any(char::is_uppercase) {
            let lower = word.to_lowercase();
            if self.words.contains(&lower) {
                return true;
            }
            // ALL-CAPS word: try the capitalised form (proper names).
            let mut cap: String = first.to_string();
            cap.push_str(&rest.to_lowercase());
            return self.words.contains(&cap);
        }
        false
    }

    /// Zipf frequency (0 = unknown) of the lower-cased word.
    pub fn zipf(&self, word: &str) -> f64 {
        let lower = word.to_lowercase().replace('’', "'");
        self.freq
            .get(lower)
            .map(|f| f as f64 / 100.0)
            .unwrap_or(0.0)
    }

    /// Every form of the list that `word` becomes through at most `max_subs` substitutions
    /// `subs[i].0` -> one of `subs[i].1` (`subs[i].2`: only at the word start), found by walking
    /// the FST so that only prefixes of real forms are explored. Returns the forms with the
    /// indices of the substitutions used; at most `max_results`. `steps` counts the FST nodes
    /// visited (added to, so a caller can keep a budget across words).
    pub fn variants(
        &self,
        word: &str,
        subs: &[(&str, &[String], bool)],
        max_subs: usize,
        max_results: usize,
        steps: &mut usize,
    ) -> Vec<(String, Vec<usize>)> {
        let fst = self.words.as_fst();
        let mut results = Vec::new();
        let mut walk = Walk {
            fst,
            word,
            subs,
            max_subs,
            max_results,
            out: String::with_capacity(word.len() + 8),
            used: Vec::new(),
            results: &mut results,
            steps: 0,
        };
        walk.go(fst.root(), 0);
        *steps += walk.steps;
        results
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The French and English lexicons.
pub struct Lexicons {
    pub fr: Lexicon,
    pub en: Lexicon,
}

impl Lexicons {
    pub fn get(&self, lang: Lang) -> &Lexicon {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// The lexicons built into the binary.
    pub fn embedded() -> Result<Arc<Lexicons>> {
        static CELL: OnceLock<Result<Arc<Lexicons>, String>> = OnceLock::new();
        let built = CELL.get_or_init(|| {
            let build = || -> Result<Lexicons> {
                Ok(Lexicons {
                    fr: Lexicon::from_fst_bytes(
                        include_bytes!(concat!(env!("OUT_DIR"), "/fr.words.fst")),
                        include_bytes!(concat!(env!("OUT_DIR"), "/fr.freq.fst")),
                        "fr",
                    )?,
                    en: Lexicon::from_fst_bytes(
                        include_bytes!(concat!(env!("OUT_DIR"), "/en.words.fst")),
                        include_bytes!(concat!(env!("OUT_DIR"), "/en.freq.fst")),
                        "en",
                    )?,
                })
            };
            build().map(Arc::new).map_err(|e| format!("{e:#}"))
        });
        match built {
            Ok(lex) => Ok(Arc::clone(lex)),
            Err(e) => Err(anyhow::anyhow!("loading the embedded lexicons: {e}")),
        }
    }
}

/// Most FST nodes visited for one word: a bound on hostile input.
const MAX_WALK_STEPS: usize = 20_000;

struct Walk<'a, 'w> {
    fst: &'a fst::raw::Fst<FstBytes>,
    word: &'w str,
    subs: &'w [(&'w str, &'w [String], bool)],
    max_subs: usize,
    max_results: usize,
    out: String,
    used: Vec<usize>,
    results: &'w mut Vec<(String, Vec<usize>)>,
    steps: usize,
}

impl Walk<'_, '_> {
    /// Follows the bytes of `s` from `node`.
    fn follow<'n>(&self, node: fst::raw::Node<'n>, s: &str) -> Option<fst::raw::Node<'n>>
    where
        Self: 'n,
    {
        let mut node = node;
        for b in s.bytes() {
            let i = node.find_input(b)?;
            node = self.fst.node(node.transition(i).addr);
        }
        Some(node)
    }

    fn go(&mut self, node: fst::raw::Node<'_>, pos: usize) {
        self.steps += 1;
        if self.steps > MAX_WALK_STEPS || self.results.len() >= self.max_results {
            return;
        }
        let Some(rest) = self.word.get(pos..) else {
            return;
        };
        if rest.is_empty() {
            if node.is_final() && !self.used.is_empty() {
                self.results.push((self.out.clone(), self.used.clone()));
            }
            return;
        }
        // The next char as it stands.
        if let Some(ch) = rest.chars().next() {
            let mut buf = [0u8; 4];
            let s: &str = ch.encode_utf8(&mut buf);
            if let Some(next) = self.follow(node, s) {
                self.out.push(ch);
                self.go(next, pos + ch.len_utf8());
                self.out.pop();
            }
        }
        if self.used.len() >= self.max_subs {
            return;
        }
        // A substitution starting here.
        for (i, (from, tos, at_start)) in self.subs.iter().enumerate() {
            if (*at_start && pos != 0) || from.is_empty() || !rest.starts_with(from) {
                continue;
            }
            for to in tos.iter() {
                let Some(next) = self.follow(node, to) else {
                    continue;
                };
                let len = self.out.len();
                self.out.push_str(to);
                self.used.push(i);
                self.go(next, pos + from.len());
                self.used.pop();
                self.out.truncate(len);
            }
        }
    }
}
/// Words a thread's memo keeps per lexicon before it starts again empty (about 2 MiB each).
const MEMO_WORDS: usize = 1 << 15;
/// Lexicons a thread's memo keeps answers for (a run has two; tests build more).
const MEMO_LEXICONS: usize = 4;

fn next_lexicon_id() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// [`Lexicon::knows`] answers of one thread. Texts, and the documents of an archive, repeat
/// their words (Zipf): asking each lexicon once per distinct word and thread replaces FST walks
/// (several per capitalised word) that were most of the repair stage's lexicon time.
#[derive(Default)]
struct KnownWords {
    /// (lexicon id, word -> known), most recently added lexicon last.
    by_lexicon: Vec<(usize, StrMemo<bool>)>,
}

thread_local! {
    static KNOWN_WORDS: RefCell<KnownWords> = RefCell::new(KnownWords::default());
}

impl KnownWords {
    fn knows(&mut self, lexicon: &Lexicon, word: &str) -> bool {
        let slot = match self.by_lexicon.iter().position(|(id, _)| *id == lexicon.id) {
            Some(slot) => slot,
            None => {
                if self.by_lexicon.len() >= MEMO_LEXICONS {
                    self.by_lexicon.remove(0);
                }
                self.by_lexicon.push((lexicon.id, StrMemo::new(MEMO_WORDS)));
                self.by_lexicon.len() - 1
            }
        };
        match self.by_lexicon.get_mut(slot) {
            Some((_, known)) => known.get_or_insert_with(word, || lexicon.knows_in_fst(word)),
            None => lexicon.knows_in_fst(word),
        }
    }
}
