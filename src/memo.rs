//! A bounded memo of answers keyed by text, for the per-thread caches of pure functions whose
//! inputs documents repeat (lexicon membership, class/id verdicts, phone candidates).

use rustc_hash::FxHashMap;

/// Answers keyed by text. When it holds `capacity` answers it starts again empty: memory stays
/// bounded however long the run, and a cleared memo only costs recomputation.
#[derive(Debug)]
pub struct StrMemo<V> {
    answers: FxHashMap<Box<str>, V>,
    capacity: usize,
}

impl<V: Clone> StrMemo<V> {
    pub fn new(capacity: usize) -> Self {
        StrMemo {
            answers: FxHashMap::default(),
            capacity,
        }
    }

    /// The answer for `key`, computed by `compute` the first time.
    pub fn get_or_insert_with(&mut self, key: &str, compute: impl FnOnce() -> V) -> V {
        if let Some(answer) = self.answers.get(key) {
            return answer.clone();
        }
        let answer = compute();
        if self.answers.len() >= self.capacity {
            self.answers.clear();
        }
        self.answers.insert(key.into(), answer.clone());
        answer
    }

    pub fn clear(&mut self) {
        self.answers.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_once_per_key_and_stays_bounded() {
        let mut memo = StrMemo::new(2);
        let calls = std::cell::Cell::new(0);
        let mut ask = |key: &str| {
            memo.get_or_insert_with(key, || {
                calls.set(calls.get() + 1);
                key.len()
            })
        };
        assert_eq!(ask("ab"), 2);
        assert_eq!(ask("ab"), 2);
        assert_eq!(ask("abc"), 3);
        assert_eq!(calls.get(), 2);
        // Full: the third key empties the memo, so "ab" is computed again.
        assert_eq!(ask("abcd"), 4);
        assert_eq!(ask("ab"), 2);
        assert!(memo.answers.len() <= 2);
        assert_eq!(calls.get(), 4);
    }
}
