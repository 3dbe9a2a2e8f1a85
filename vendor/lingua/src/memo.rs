/*
 * docfacts patch to lingua 1.8.0 (see vendor/README.md): a per-thread memo of n-gram
 * probability lookups.
 *
 * Scoring a text looks up each of its n-grams once per candidate language, and each lookup
 * walks an FST after a DashMap read (with a SipHash of the language). Natural text repeats its
 * n-grams heavily, so most lookups ask again for values already read. The memo keeps, per
 * n-gram, the probabilities in every language of the detector, so one hash lookup serves all
 * candidate languages. Results are exactly those of the FSTs: the memo stores the bits the
 * FSTs returned, and models never change once loaded.
 */

use std::cell::RefCell;
use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use crate::language::Language;

/// An n-gram (at most 5 characters, so at most 20 bytes of UTF-8), zero-padded, with its length
/// in the last byte, as three words: compared inline, without a call to `memcmp`.
type Key = [u64; 3];

/// Longest n-gram (in bytes) the memo keeps; longer ones are looked up directly.
const MAX_NGRAM_BYTES: usize = 20;

/// N-grams kept per thread before the memo starts again empty (a few MiB).
const MAX_NGRAMS: usize = 1 << 16;

/// Stored for a language in which the n-gram is unknown. Never the bits of a log-probability.
const ABSENT: u64 = u64::MAX;

/// The n-gram probabilities of one thread, for one detector's languages and model map.
pub(crate) struct Memo {
    /// Address of the model map the entries came from (tests build other maps).
    models: usize,
    /// The detector's languages, sorted; the slot of a language is its index here.
    languages: Vec<Language>,
    /// Where each n-gram's probabilities start in `bits`.
    rows: HashMap<Key, u32, FxBuildHasher>,
    /// `languages.len()` probability bits per n-gram ([`ABSENT`] when unknown).
    bits: Vec<u64>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::new(0, Vec::new()));
}

impl Memo {
    fn new(models: usize, languages: Vec<Language>) -> Self {
        Memo {
            models,
            languages,
            rows: HashMap::with_hasher(FxBuildHasher),
            bits: Vec::new(),
        }
    }

    /// The slot of `language` in the rows, if the detector has it.
    pub(crate) fn slot(&self, language: Language) -> Option<usize> {
        self.languages.iter().position(|known| *known == language)
    }

    /// The probability bits of `ngram` in every language of the detector (one per slot,
    /// [`ABSENT`] when unknown), read with `look_up` the first time.
    pub(crate) fn row(
        &mut self,
        ngram: &str,
        look_up: impl Fn(Language, &str) -> Option<f64>,
    ) -> Row<'_> {
        let bytes = ngram.as_bytes();
        let width = self.languages.len();
        if bytes.len() > MAX_NGRAM_BYTES {
            return Row::Direct(
                self.languages
                    .iter()
                    .map(|language| look_up(*language, ngram).map_or(ABSENT, f64::to_bits))
                    .collect(),
            );
        }
        let mut raw = [0u8; 24];
        raw[..bytes.len()].copy_from_slice(bytes);
        raw[23] = bytes.len() as u8;
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&raw[i * 8..i * 8 + 8]);
            u64::from_ne_bytes(w)
        };
        let key: Key = [word(0), word(1), word(2)];
        if let Some(&start) = self.rows.get(&key) {
            let start = start as usize;
            return Row::Memo(&self.bits[start..start + width]);
        }
        if self.rows.len() >= MAX_NGRAMS {
            self.rows.clear();
            self.bits.clear();
        }
        let start = self.bits.len();
        for language in &self.languages {
            self.bits
                .push(look_up(*language, ngram).map_or(ABSENT, f64::to_bits));
        }
        self.rows.insert(key, start as u32);
        Row::Memo(&self.bits[start..start + width])
    }
}

/// The probability bits of one n-gram, one per slot.
pub(crate) enum Row<'a> {
    Memo(&'a [u64]),
    Direct(Vec<u64>),
}

impl Row<'_> {
    /// The probability in the language of `slot`, if known.
    pub(crate) fn probability(&self, slot: usize) -> Option<f64> {
        let bits = match self {
            Row::Memo(bits) => bits[slot],
            Row::Direct(bits) => bits[slot],
        };
        (bits != ABSENT).then(|| f64::from_bits(bits))
    }
}

/// Runs `work` with this thread's memo for the model map at address `models` and the detector
/// `languages` (sorted).
pub(crate) fn with_memo<R>(
    models: usize,
    languages: &[Language],
    work: impl FnOnce(&mut Memo) -> R,
) -> R {
    MEMO.with(|memo| match memo.try_borrow_mut() {
        Ok(mut memo) => {
            if memo.models != models || memo.languages != languages {
                *memo = Memo::new(models, languages.to_vec());
            }
            work(&mut memo)
        }
        // Only if `work` re-entered the memo, which it does not: fall back to a fresh one.
        Err(_) => work(&mut Memo::new(models, languages.to_vec())),
    })
}
