//! The characters a match of a pattern anchored at the text's start may
//! begin with, read from the pattern's syntax (`regex-syntax`).
//!
//! A set of such patterns can match only a text whose first character is
//! one of theirs, and most texts open with a character none of them opens
//! with (a kanji or kana of a sentence): asked first, one look-up turns
//! them away before the set's search, which would read into the text. The
//! regex crate finds literal prefixes on its own, but gives up on classes
//! as wide as `\d` (every script's digits) or `[^【】]`, which the marker
//! patterns are full of.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};
use std::cmp::Ordering;

/// The characters that may open a match of any of some patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstChars {
    /// Sorted, disjoint ranges of characters; `None` when any text may
    /// match (a pattern not anchored at the start, one that matches the
    /// empty string, or one whose opening is not read).
    ranges: Option<Vec<(char, char)>>,
}

impl FirstChars {
    /// The characters that may open a match of any of `patterns`, each
    /// parsed as the regex crate parses it.
    ///
    /// # Panics
    /// If a pattern does not parse: the patterns are the program's own.
    pub fn of_patterns<'p>(patterns: impl IntoIterator<Item = &'p str>) -> FirstChars {
        let mut all = ClassUnicode::empty();
        for pattern in patterns {
            let hir = regex_syntax::parse(pattern).expect("the program's patterns parse");
            let anchored = hir.properties().look_set_prefix().contains(Look::Start);
            match opening(&hir) {
                Some(class) if anchored && !may_be_empty(&hir) => all.union(&class),
                _ => return FirstChars { ranges: None },
            }
        }
        FirstChars {
            ranges: Some(all.ranges().iter().map(|r| (r.start(), r.end())).collect()),
        }
    }

    /// False if no match of the patterns can begin `text` (it may still
    /// not match where this is true).
    pub fn may_open(&self, text: &str) -> bool {
        let Some(ranges) = &self.ranges else {
            return true;
        };
        let Some(first) = text.chars().next() else {
            // Every pattern consumes a character.
            return false;
        };
        ranges
            .binary_search_by(|&(start, end)| {
                if end < first {
                    Ordering::Less
                } else if start > first {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// True if `hir` may match the empty string.
fn may_be_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

/// The characters a match of `hir` that consumes any may begin with, or
/// `None` where they are not read (a class of bytes, a literal not UTF-8).
fn opening(hir: &Hir) -> Option<ClassUnicode> {
    match hir.kind() {
        // Zero-width: they open nothing, and what follows them opens.
        HirKind::Empty | HirKind::Look(_) => Some(ClassUnicode::empty()),
        HirKind::Literal(literal) => {
            let first = std::str::from_utf8(&literal.0).ok()?.chars().next()?;
            Some(ClassUnicode::new([ClassUnicodeRange::new(first, first)]))
        }
        HirKind::Class(Class::Unicode(class)) => Some(class.clone()),
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(repetition) => opening(&repetition.sub),
        HirKind::Capture(capture) => opening(&capture.sub),
        // A part that may match nothing lets the next one open.
        HirKind::Concat(parts) => {
            let mut class = ClassUnicode::empty();
            for part in parts {
                class.union(&opening(part)?);
                if !may_be_empty(part) {
                    break;
                }
            }
            Some(class)
        }
        HirKind::Alternation(branches) => {
            let mut class = ClassUnicode::empty();
            for branch in branches {
                class.union(&opening(branch)?);
            }
            Some(class)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opens(patterns: &[&str], text: &str) -> bool {
        FirstChars::of_patterns(patterns.iter().copied()).may_open(text)
    }

    #[test]
    fn the_opening_is_read_through_every_kind_of_syntax() {
        // Literals, alternations, captures.
        assert!(opens(&["^(?:ab|cd)"], "c"));
        assert!(!opens(&["^(?:ab|cd)"], "b"));
        // A part that may be empty lets the next one open, a required
        // one does not.
        assert!(opens(&[r"^x?\s*y"], "y"));
        assert!(opens(&[r"^x?\s*y"], "\u{3000}y"));
        assert!(!opens(&[r"^x?\s*y"], "zy"));
        assert!(!opens(&[r"^x+y"], "y"));
        // Classes, negated and Unicode.
        assert!(opens(&[r"^\d"], "３"));
        assert!(!opens(&[r"^\d"], "三"));
        assert!(opens(&["^[^a]"], "b"));
        assert!(!opens(&["^[^a]"], "a"));
        // Several patterns: any of theirs.
        assert!(opens(&["^a", "^【"], "【基本理念】"));
        assert!(!opens(&["^a", "^【"], "基本理念"));
        // Every pattern consumes a character: the empty text opens none.
        assert!(!opens(&["^a"], ""));
    }

    #[test]
    fn a_pattern_that_may_match_anywhere_or_nothing_lets_every_text_in() {
        for pattern in ["a", "^a?", "^", r"^\b", "^.*$", "(?m)^a", r"^(?-u:\w)"] {
            assert!(opens(&[pattern, "^b"], "z"), "{pattern}");
            assert!(opens(&[pattern, "^b"], ""), "{pattern}");
        }
    }

    #[test]
    fn zero_width_assertions_open_nothing() {
        assert!(opens(&[r"^\bab"], "a"));
        assert!(!opens(&[r"^\bab"], "b"));
    }
}
