//! What a document repeats, read once: an answer kept for each distinct
//! text, for a reading that is a pure function of the text.

use rustc_hash::FxHashMap;

/// The answers of one reading of texts, kept by text. One per document
/// and reading: it holds that document's distinct texts.
#[derive(Debug)]
pub struct Memo<V> {
    known: FxHashMap<String, V>,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo {
            known: FxHashMap::default(),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The answer for `text`: the one kept, or `read(text)`, then kept.
    /// `read` must answer the same for the same text.
    pub fn get_or_read(&mut self, text: &str, read: impl FnOnce(&str) -> V) -> V {
        if let Some(answer) = self.known.get(text) {
            return answer.clone();
        }
        let answer = read(text);
        self.known.insert(text.to_string(), answer.clone());
        answer
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
}
