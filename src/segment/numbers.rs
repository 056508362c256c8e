//! Numbers as plans print them: `1`, `Ⅲ`, `III`, `①`, `三`, and fiscal years
//! in the Japanese eras (`令和元年度` → 2019).

use crate::per_thread::Regex;
use std::sync::LazyLock;

/// Reads the number that `text` starts with, in any of the notations plans
/// use for headings. Returns its value and its length in bytes. ASCII Roman
/// numerals count only when no ASCII letter follows (`I 今を` is 1, `ICT`
/// is not a number).
pub fn leading_number(text: &str) -> Option<(u32, usize)> {
    let first = text.chars().next()?;
    if first.is_ascii_digit() {
        let len = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        return text[..len].parse().ok().map(|n| (n, len));
    }
    if let Some(n) = roman_char_value(first).or_else(|| circled_value(first)) {
        return Some((n, first.len_utf8()));
    }
    if matches!(first, 'I' | 'V' | 'X') {
        let len = text
            .find(|c: char| !matches!(c, 'I' | 'V' | 'X'))
            .unwrap_or(text.len());
        let followed_by_letter = text[len..].starts_with(|c: char| c.is_ascii_alphabetic());
        return match (followed_by_letter, ascii_roman_value(&text[..len])) {
            (false, Some(n)) => Some((n, len)),
            _ => None,
        };
    }
    let len = text
        .find(|c: char| kanji_digit(c).is_none())
        .unwrap_or(text.len());
    kanji_value(&text[..len]).map(|n| (n, len))
}

/// The value of a circled number ①–⑳, ㉑–㉟, ㊱–㊿.
pub fn circled_value(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x2460..=0x2473 => Some(code - 0x2460 + 1),
        0x3251..=0x325F => Some(code - 0x3251 + 21),
        0x32B1..=0x32BF => Some(code - 0x32B1 + 36),
        _ => None,
    }
}

/// The value of a Roman numeral character Ⅰ–Ⅻ or ⅰ–ⅻ.
fn roman_char_value(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x2160..=0x216B => Some(code - 0x2160 + 1),
        0x2170..=0x217B => Some(code - 0x2170 + 1),
        _ => None,
    }
}

/// The value of an ASCII Roman numeral (I to XXXIX), or `None` if the letters
/// are not a well-formed numeral (`IIII`, `VX`).
fn ascii_roman_value(text: &str) -> Option<u32> {
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = text.chars().take_while(|&c| c == 'X').count();
    if tens > 3 {
        return None;
    }
    let unit = UNITS.iter().position(|&u| u == &text[tens..])?;
    let value = (tens * 10 + unit) as u32;
    (value > 0).then_some(value)
}

fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九十"
        .chars()
        .position(|k| k == c)
        .map(|p| p as u32)
}

/// The value of a kanji numeral up to 99 (`三`, `十二`, `二十一`).
fn kanji_value(text: &str) -> Option<u32> {
    let digits: Vec<u32> = text.chars().map(kanji_digit).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] if *d > 0 => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [t, 10] if (2..10).contains(t) => Some(t * 10),
        [t, 10, d] if (2..10).contains(t) && (1..10).contains(d) => Some(t * 10 + d),
        _ => None,
    }
}

static ERA_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(令和|平成|昭和)\s*(元|\d{1,2})\s*年度").unwrap());
static WESTERN_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度").unwrap());

/// The first fiscal year `text` names: `令和元年度` → 2019, `2024年度` → 2024.
pub fn fiscal_year(text: &str) -> Option<i32> {
    // Both patterns end in 年度: most texts are turned away by a substring
    // search, before either pattern is set up for its groups.
    if !text.contains(FISCAL_YEAR_WORD) {
        return None;
    }
    fiscal_year_by_patterns(text)
}

/// The word each of [`fiscal_year`]'s patterns ends in.
const FISCAL_YEAR_WORD: &str = "年度";

/// [`fiscal_year`], every text read by the patterns.
fn fiscal_year_by_patterns(text: &str) -> Option<i32> {
    let era = ERA_YEAR.captures(text).map(|c| {
        let first_year = match &c[1] {
            "令和" => 2019,
            "平成" => 1989,
            _ => 1926,
        };
        let n: i32 = if &c[2] == "元" {
            1
        } else {
            c[2].parse().unwrap_or(1)
        };
        (c.get(0).map_or(0, |m| m.start()), first_year + n - 1)
    });
    let western = WESTERN_YEAR
        .captures(text)
        .and_then(|c| Some((c.get(0)?.start(), c[1].parse().ok()?)));
    match (era, western) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|(_, year)| year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // Years in every notation, with and without the word.
        #[test]
        fn no_fiscal_year_without_its_word(
            text in "[令和]?(令和|平成|昭和|19|20|R|H)? ?(元|[0-9]{1,2}) ?年?度?[ )の]?",
        ) {
            if !text.contains(FISCAL_YEAR_WORD) {
                proptest::prop_assert_eq!(fiscal_year_by_patterns(&text), None);
            }
        }
    }

    #[test]
    fn heading_numbers_in_every_notation() {
        assert_eq!(leading_number("1 多様な"), Some((1, 1)));
        assert_eq!(leading_number("12"), Some((12, 2)));
        assert_eq!(leading_number("Ⅲ 必要な"), Some((3, 3)));
        assert_eq!(leading_number("I 今を生きる"), Some((1, 1)));
        assert_eq!(leading_number("III"), Some((3, 3)));
        assert_eq!(leading_number("IV-2"), Some((4, 2)));
        assert_eq!(leading_number("②地域"), Some((2, 3)));
        assert_eq!(leading_number("三 見守り"), Some((3, 3)));
        assert_eq!(leading_number("二十一"), Some((21, 9)));
        assert_eq!(leading_number("ICT"), None);
        assert_eq!(leading_number("IIII"), None);
        assert_eq!(leading_number("地域"), None);
        assert_eq!(leading_number(""), None);
    }

    #[test]
    fn circled_numbers_beyond_twenty() {
        assert_eq!(circled_value('①'), Some(1));
        assert_eq!(circled_value('⑳'), Some(20));
        assert_eq!(circled_value('㉑'), Some(21));
        assert_eq!(circled_value('㊿'), Some(50));
        assert_eq!(circled_value('1'), None);
    }

    #[test]
    fn fiscal_years_in_eras_and_western_years() {
        assert_eq!(fiscal_year("取組状況(令和元年度)"), Some(2019));
        assert_eq!(fiscal_year("令和6年度"), Some(2024));
        assert_eq!(fiscal_year("平成29年度で事業終了"), Some(2017));
        assert_eq!(fiscal_year("2024年度進捗評価"), Some(2024));
        assert_eq!(fiscal_year("2024年度 進捗評価"), Some(2024));
        assert_eq!(fiscal_year("進捗評価"), None);
    }
}
