//! What a document repeats, read once: an answer kept for each distinct
//! text, for a reading that is a pure function of the text.

use hashbrown::HashMap;
use rustc_hash::FxBuildHasher;

/// The answers of one reading of texts, kept by text. One per document
/// and reading: it holds that document's distinct texts.
#[derive(Debug)]
pub struct Memo<V> {
    known: HashMap<String, V, FxBuildHasher>,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo {
            known: HashMap::default(),
        }
    }
}

impl<V> Memo<V> {
    /// The answer for `text`, lent: the one kept, or `read(text)`, then
    /// kept. `read` must answer the same for the same text. For a caller
    /// that only looks at the answer (an answer holding strings is not
    /// copied).
    pub fn read(&mut self, text: &str, read: impl FnOnce(&str) -> V) -> &V {
        // Found or made room for with one hash of the text (a paragraph
        // may be long), the key copied only when it is new.
        self.known.entry_ref(text).or_insert_with(|| read(text))
    }
}

impl<V: Clone> Memo<V> {
    /// The answer for `text`, as [`Memo::read`] gives it, owned.
    pub fn get_or_read(&mut self, text: &str, read: impl FnOnce(&str) -> V) -> V {
        self.read(text, read).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_read_once() {
        let mut memo = Memo::default();
        let mut reads = 0;
        let mut length = |text: &str| {
            reads += 1;
            text.chars().count()
        };
        assert_eq!(memo.get_or_read("地域", &mut length), 2);
        assert_eq!(memo.get_or_read("地域", &mut length), 2);
        assert_eq!(memo.get_or_read("地域福祉", &mut length), 4);
        assert_eq!(reads, 2);
    }

    #[test]
    fn a_lent_answer_is_the_kept_one() {
        let mut memo = Memo::default();
        let mut reads = 0;
        let mut owned = |text: &str| {
            reads += 1;
            text.to_string()
        };
        assert_eq!(memo.read("地域", &mut owned), "地域");
        assert_eq!(memo.get_or_read("地域", &mut owned), "地域");
        assert_eq!(memo.read("地域", &mut owned), "地域");
        assert_eq!(reads, 1);
    }
}
