//! Values as plans print them: `年１,５００人`, `５年間で２人`, `32.0%（R4）`,
//! `－`. A [`Quantity`] keeps the text as printed beside what is read from
//! it: the first number that is neither a year nor a period, the counter
//! after it, whether it is per year or over several years, and the fiscal
//! year it refers to.
//!
//! The cells reach here normalized (NFKC: ASCII digits, `%`), so the
//! patterns are written for half-width text.

use super::numbers::fiscal_year;
use crate::document::Quantity;
use crate::per_thread::Regex;
use std::sync::LazyLock;

/// Counters a value may carry, longest first where one starts another
/// (`人日` before `人`, `万円` before `円`).
const UNITS: &[&str] = &[
    "%",
    "ポイント",
    "pt",
    "人日",
    "万人",
    "千人",
    "人",
    "名",
    "校",
    "回",
    "か所",
    "ヵ所",
    "カ所",
    "ケ所",
    "箇所",
    "件",
    "団体",
    "事業",
    "組織",
    "世帯",
    "時間",
    "日",
    "億円",
    "万円",
    "千円",
    "円",
    "市町村",
    "施設",
    "店舗",
    "店",
    "社",
    "台",
    "戸",
    "個",
    "冊",
    "講座",
    "教室",
    "地区",
    "kg",
    "t",
    "歳",
    "倍",
    "割",
];

/// A number: digits with thousands separators and a decimal part.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?").unwrap());

/// What may stand right after a number that makes it a year, not a value
/// (`2014年度`, `令和5年`, `R5`): checked on the text around the number.
static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*年度|^\s*年(?:[^間]|$)").unwrap());
/// An era or its letter right before a number (`令和`, `R`, `H`).
static ERA_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:令和|平成|昭和|(?:^|[^A-Za-z])[RH])\s*$").unwrap());
/// `5年間で`, `/5年間`, `5か年で`: the number is the length of a period.
static PERIOD_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:年間|か年|ヵ年|カ年)").unwrap());
/// Before a value, it is per year: `年12人`, `年間12人`, `毎年12人`.
static PER_YEAR_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d元])年間?\s*$|毎年\s*$").unwrap());
/// After a value and its counter, it is per year: `12人/年`.
static PER_YEAR_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*/\s*年").unwrap());
/// A fiscal year abbreviated by its era's letter: `R5`, `(H30)`, `R元`.
static ERA_LETTER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^A-Za-z])([RH])\s*(元|\d{1,2})(?:年度?)?(?:[^\d]|$)").unwrap()
});
/// An era year without 度 (`令和4年`, `令和4年3月末`) or a western year
/// (`2014年`, `(2014)`).
static ERA_YEAR_PLAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(令和|平成)\s*(元|\d{1,2})\s*年").unwrap());
/// A character each of the patterns [`year_in`] tries after
/// [`fiscal_year`] must match.
const YEAR_PATTERN_CHARACTERS: [char; 4] = ['年', 'R', 'H', ')'];
static WESTERN_YEAR_PLAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})(?:\s*年|\))").unwrap());

/// The fiscal year `text` names in any of the notations plans use for a
/// value's year: `2014年度`, `令和元年度`, `令和4年`, `R5`, `H30`, `(2014)`.
pub fn year_in(text: &str) -> Option<i32> {
    if let Some(year) = fiscal_year(text) {
        return Some(year);
    }
    // Each pattern holds one of these characters (年, an era's letter, a
    // closing bracket): a text with none names no year.
    if !text.contains(YEAR_PATTERN_CHARACTERS) {
        return None;
    }
    year_by_patterns(text)
}

/// The year of `text` in the notations other than [`fiscal_year`]'s.
fn year_by_patterns(text: &str) -> Option<i32> {
    let era = |name: &str, n: &str| {
        let first = if name == "令和" || name == "R" {
            2019
        } else {
            1989
        };
        let n: i32 = if n == "元" { 1 } else { n.parse().ok()? };
        Some(first + n - 1)
    };
    if let Some(c) = ERA_YEAR_PLAIN.captures(text) {
        return era(&c[1], &c[2]);
    }
    if let Some(c) = ERA_LETTER_YEAR.captures(text) {
        return era(&c[1], &c[2]);
    }
    WESTERN_YEAR_PLAIN
        .captures(text)
        .and_then(|c| c[1].parse().ok())
}

/// Reads `raw` as a quantity; `column_year` is the year its column's header
/// gives, used when the text names none.
pub fn read_quantity(raw: &str, column_year: Option<i32>) -> Quantity {
    let raw = raw.trim();
    let mut value = None;
    let mut unit = None;
    let mut period_years = None;
    for number in NUMBER.find_iter(raw) {
        let (before, after) = (&raw[..number.start()], &raw[number.end()..]);
        let four_digits = number.len() == 4 && number.as_str().bytes().all(|b| b.is_ascii_digit());
        if YEAR_AFTER.is_match(after) && (ERA_BEFORE.is_match(before) || four_digits)
            || ERA_BEFORE.is_match(before) && !before.ends_with("年")
        {
            continue;
        }
        if PERIOD_AFTER.is_match(after) {
            // `5年間で2人` and `2事業/5年間`: a period, before or after the value.
            let over = after
                .trim_start()
                .trim_start_matches(['年', '間', 'か', 'ヵ', 'カ']);
            let is_period =
                value.is_some() || over.starts_with('で') || before.trim_end().ends_with('/');
            if is_period && period_years.is_none() {
                period_years = number.as_str().parse().ok().filter(|&n: &u32| n >= 1);
            }
            if value.is_some() {
                break;
            }
            continue;
        }
        if value.is_some() {
            break;
        }
        value = number.as_str().replace(',', "").parse::<f64>().ok();
        unit = unit_at(after);
        let after_unit = after
            .trim_start()
            .strip_prefix(unit.as_deref().unwrap_or(""))
            .unwrap_or(after);
        if PER_YEAR_BEFORE.is_match(before) || PER_YEAR_AFTER.is_match(after_unit) {
            period_years = Some(1);
        }
    }
    Quantity {
        raw: raw.to_string(),
        value,
        unit,
        period_years,
        year: year_in(raw).or(column_year),
    }
}

/// The counter at the start of `after` (white space allowed before it):
/// the longest of [`UNITS`], else a counter the table does not list (`歩`,
/// `棟`, `メートル`, `km`) when it ends the value ([`OTHER_COUNTER`]).
fn unit_at(after: &str) -> Option<String> {
    let rest = after.trim_start();
    UNITS
        .iter()
        .filter(|unit| rest.starts_with(**unit))
        .max_by_key(|unit| unit.len())
        .map(|unit| unit.to_string())
        .or_else(|| {
            let counter = OTHER_COUNTER.captures(rest)?.get(1)?.as_str();
            (!QUALIFIERS.contains(&counter)).then(|| counter.to_string())
        })
}

/// A counter no table lists: one to three kanji, a katakana word or a
/// short Latin unit right after the number, ending the value (the end of
/// the cell, a space, a bracket, a slash, an arrow, a comma) or followed by
/// a qualifier (`30分以内`, `5棟以上`).
static OTHER_COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\p{Han}{1,3}?|\p{Katakana}[\p{Katakana}ー]*|[A-Za-z]{1,4})(?:$|[\s()/→、,]|以上|以下|未満|以内|程度|前後|超|増|減)",
    )
    .unwrap()
});

/// Words after a number that qualify it and count nothing.
const QUALIFIERS: &[&str] = &[
    "以上", "以下", "未満", "以内", "程度", "前後", "超", "増", "減", "増加", "減少", "維持",
    "達成",
];

/// A percentage (`66.7%`, `85.0`) as a number.
pub fn percent(raw: &str) -> Option<f64> {
    let quantity = read_quantity(raw, None);
    match quantity.unit.as_deref() {
        None | Some("%") => quantity.value,
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> (Option<f64>, Option<String>, Option<u32>, Option<i32>) {
        let q = read_quantity(raw, None);
        (q.value, q.unit, q.period_years, q.year)
    }

    fn some(unit: &str) -> Option<String> {
        Some(unit.to_string())
    }

    #[test]
    fn values_units_and_periods() {
        assert_eq!(q("年111校"), (Some(111.0), some("校"), Some(1), None));
        assert_eq!(q("年1,500人"), (Some(1500.0), some("人"), Some(1), None));
        assert_eq!(q("5年間で2人"), (Some(2.0), some("人"), Some(5), None));
        assert_eq!(q("2事業/5年間"), (Some(2.0), some("事業"), Some(5), None));
        assert_eq!(q("12人/年"), (Some(12.0), some("人"), Some(1), None));
        assert_eq!(q("9人(延べ243日)"), (Some(9.0), some("人"), None, None));
        assert_eq!(
            q("年3人(5年間で15人)"),
            (Some(3.0), some("人"), Some(1), None)
        );
        assert_eq!(q("38.2%"), (Some(38.2), some("%"), None, None));
        assert_eq!(q("-"), (None, None, None, None));
        assert_eq!(q("増加"), (None, None, None, None));
        assert_eq!(q("1年間収録しDVD化"), (None, None, None, None));
        assert_eq!(q("毎年10回"), (Some(10.0), some("回"), Some(1), None));
    }

    #[test]
    fn a_counter_no_table_lists_is_read_where_it_ends_the_value() {
        assert_eq!(q("7,676歩").1, some("歩"));
        assert_eq!(q("30分以内").1, some("分"));
        assert_eq!(q("5棟以上(R10)").1, some("棟"));
        assert_eq!(q("1,200メートル").1, some("メートル"));
        assert_eq!(q("12km/年"), (Some(12.0), some("km"), Some(1), None));
        // The table's counter comes first; words after a counter are no
        // part of it, and a qualifier alone counts nothing.
        assert_eq!(q("3回開催").1, some("回"));
        assert_eq!(q("30以上").1, None);
        assert_eq!(q("25減").1, None);
        assert_eq!(q("4地区で実施").1, some("地区"));
    }

    #[test]
    fn years_in_the_cell_are_no_values() {
        assert_eq!(q("32.0%(R4)"), (Some(32.0), some("%"), None, Some(2022)));
        assert_eq!(
            q("31.2%(令和5年度)"),
            (Some(31.2), some("%"), None, Some(2023))
        );
        assert_eq!(
            q("40人(2014年度)"),
            (Some(40.0), some("人"), None, Some(2014))
        );
        assert_eq!(
            q("令和5年度 31.2%"),
            (Some(31.2), some("%"), None, Some(2023))
        );
        assert_eq!(q("H30 28.5%"), (Some(28.5), some("%"), None, Some(2018)));
        assert_eq!(read_quantity("60人", Some(2026)).year, Some(2026));
        // A bare number is no year, whatever its value; 元年 is no "per year".
        assert_eq!(read_quantity("2025", Some(2019)).year, Some(2019));
        assert_eq!(
            q("令和元年 120人"),
            (Some(120.0), some("人"), None, Some(2019))
        );
        assert_eq!(q("0年間で3人").2, None);
    }

    #[test]
    fn a_text_without_the_year_characters_names_no_year() {
        for line in crate::fixture_lines() {
            for text in line.split('\t') {
                if !text.contains(YEAR_PATTERN_CHARACTERS) {
                    assert_eq!(year_by_patterns(text), None, "{text}");
                }
            }
        }
    }

    proptest::proptest! {
        // Every other character the patterns turn on.
        #[test]
        fn no_year_without_the_year_characters(
            text in "[(a-z]?(令和|平成|昭和|19|20|[A-GI-QS-Z])? ?(元|[0-9]{1,2}) ?度?[ （）の]?",
        ) {
            proptest::prop_assert_eq!(year_by_patterns(&text), None);
        }
    }

    #[test]
    fn years_in_every_notation() {
        assert_eq!(year_in("現状値(2014年度)"), Some(2014));
        assert_eq!(year_in("基準値(R1)"), Some(2019));
        assert_eq!(year_in("R5実績"), Some(2023));
        assert_eq!(year_in("目標値(R10)"), Some(2028));
        assert_eq!(year_in("令和4年3月末"), Some(2022));
        assert_eq!(year_in("(H30)"), Some(2018));
        assert_eq!(year_in("目標値"), None);
        assert_eq!(year_in("NPO法人"), None);
    }

    #[test]
    fn percents() {
        assert_eq!(percent("66.7%"), Some(66.7));
        assert_eq!(percent("85"), Some(85.0));
        assert_eq!(percent("3人"), None);
    }
}
