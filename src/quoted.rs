//! Document text quoted in a warning's message.
//!
//! Warnings quote the text they are about as Rust's `{:?}` quotes a string
//! (`"…"`, with control and invisible characters escaped), which the golden
//! fixtures and users' diffs rely on. The standard formatter decides each
//! character that is not ASCII through Unicode's printable tables, a search
//! of several hundred steps; a Japanese plan's warnings quote whole headings
//! and cells, so that search was a noticeable part of a conversion.
//! [`Quoted`] writes the same bytes, answering the characters of Japanese
//! text from a short list of ranges instead.

use std::fmt;

/// `text` as `format!("{:?}", text)` writes it, only faster: format it with
/// `{:?}` (`format!("heading {text:?}", text = Quoted(text))`).
#[derive(Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        let text = self.0;
        f.write_char('"')?;
        let mut as_is_from = 0;
        for (at, c) in text.char_indices() {
            if prints_as_itself(c) {
                continue;
            }
            f.write_str(&text[as_is_from..at])?;
            // `str`'s Debug escapes each character as `char::escape_debug`
            // does, but for the single quote, which it leaves alone (and
            // which `prints_as_itself` answers before this).
            write!(f, "{}", c.escape_debug())?;
            as_is_from = at + c.len_utf8();
        }
        f.write_str(&text[as_is_from..])?;
        f.write_char('"')
    }
}

/// Ranges of characters beyond ASCII that `{:?}` writes as themselves: the
/// blocks of Japanese text (kana, kanji, CJK and
/// general punctuation, full-width forms, the symbols plans use as marks)
/// without their combining, invisible and unassigned characters. A
/// character outside them is escaped or not as `{:?}` decides; the tests
/// check every character of every range against `{:?}`.
const AS_ITSELF: &[(char, char)] = &[
    ('\u{A1}', '\u{AC}'),
    ('\u{AE}', '\u{FF}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{205E}'),
    ('\u{2150}', '\u{218B}'),
    ('\u{2190}', '\u{23FF}'),
    ('\u{2460}', '\u{257F}'),
    ('\u{25A0}', '\u{27BF}'),
    ('\u{3001}', '\u{3029}'),
    ('\u{3030}', '\u{303F}'),
    ('\u{3041}', '\u{3096}'),
    ('\u{309B}', '\u{30FF}'),
    ('\u{3200}', '\u{321E}'),
    ('\u{3220}', '\u{33FF}'),
    ('\u{4E00}', '\u{9FFF}'),
    ('\u{FF01}', '\u{FF9D}'),
    ('\u{FFE0}', '\u{FFE6}'),
];

fn prints_as_itself(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, ' '..='~') && c != '"' && c != '\\';
    }
    AS_ITSELF
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn std_debug(text: &str) -> String {
        format!("{text:?}")
    }

    /// `c` among other characters is written as `{:?}` writes it.
    fn assert_written_as_debug(c: char) {
        let text = format!("a{c}漢'");
        let code = u32::from(c);
        assert_eq!(
            format!("{:?}", Quoted(&text)),
            std_debug(&text),
            "U+{code:04X}"
        );
    }

    #[test]
    fn every_character_of_the_ranges_is_written_as_debug_writes_it() {
        for &(first, last) in AS_ITSELF {
            for c in first..=last {
                assert_written_as_debug(c);
                // And `{:?}` does write it as itself: the range is right.
                assert_eq!(std_debug(&c.to_string()), format!("\"{c}\""));
            }
        }
    }

    #[test]
    fn every_ascii_character_is_written_as_debug_writes_it() {
        ('\0'..='\u{7F}').for_each(assert_written_as_debug);
    }

    #[test]
    fn escaped_characters_are_escaped_as_debug_escapes_them() {
        for text in [
            "",
            "か\u{3099}",
            "tab\there",
            "quote \" and back\\slash",
            "it's",
            "\u{200B}zero width",
            "\u{3000}ideographic space",
            "\u{0}\u{7F}\u{AD}",
            "ｶﾞ\u{FF9E}",
            "e\u{301}",
            "\u{302A}",
            "\u{E000}private",
            "😀\u{1F3FB}",
        ] {
            assert_eq!(format!("{:?}", Quoted(text)), std_debug(text));
        }
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_debug_writes_it(text in any::<String>()) {
            prop_assert_eq!(format!("{:?}", Quoted(&text)), std_debug(&text));
        }

        #[test]
        fn japanese_text_with_marks_is_written_as_debug_writes_it(
            text in "[\u{3000}-\u{30FF}\u{FF00}-\u{FFEF}\u{2000}-\u{27FF}\u{0300}-\u{036F}a-z\"'\\\\\t]{0,40}"
        ) {
            prop_assert_eq!(format!("{:?}", Quoted(&text)), std_debug(&text));
        }
    }
}
