//! Indicators printed as lines rather than table rows: a name, then its
//! values each after the word that says what it is:
//!
//! - `（１）ふれあいサロンの設置数　現状18か所→目標25か所`
//! - `地域生活への移行者数　第7期目標値　60人`
//! - `指標：登録者数　策定時 820人（平成30年度）→目標 1,000人（令和5年度）`
//! - `【最終値 874人（令和4年度）】→【指標達成度 30.0％】`, a line of values
//!   alone that goes on with the indicator above it.
//!
//! The words are [`VALUE_LABELS`]; a line is an indicator when it names
//! something and gives it at least one value, and either stands under a
//! label over indicators (【成果指標】, ＜数値目標＞), says so itself (`指標：`), or
//! compares a baseline with a target.

use super::quantity::{percent, read_quantity, year_in};
use crate::document::{ExtraCell, Indicator, Span};
use crate::per_thread::Regex;
use std::sync::LazyLock;

/// What a labelled value on an indicator line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Baseline,
    Target,
    Actual,
    Achievement,
}

/// The words that label a value, with what the value is; tried in order
/// at each place, so longer words stand first. A fiscal year may stand
/// before 実績 and 目標 (`令和4年度実績`), a plan period before 目標値
/// (`第7期目標値`).
const VALUE_LABELS: &[(&str, Role)] = &[
    (r"指標達成度|達成率|達成度", Role::Achievement),
    (
        r"(?:計画)?策定時(?:の値)?|現状値?|基準値|当初値",
        Role::Baseline,
    ),
    (r"最終値|中間値|直近値|(?:YEAR)?実績値?", Role::Actual),
    (r"(?:第\d{1,2}期)?(?:YEAR)?目標値?", Role::Target),
];

/// A fiscal year as a label's prefix.
const YEAR: &str = r"(?:(?:令和|平成)(?:元|\d{1,2})年度|R\d{1,2}|(?:19|20)\d{2}年度)";

/// A label where a value begins: after the start, white space, an arrow,
/// a bracket or a comma; followed by white space, a colon or the value.
static LABEL: LazyLock<Vec<(Regex, Role)>> = LazyLock::new(|| {
    VALUE_LABELS
        .iter()
        .map(|(words, role)| {
            let words = words.replace("YEAR", YEAR);
            let pattern = format!(r"(?:^|[\s→⇒、,【(\[])((?:{words}))\s*[:：]?\s*");
            (
                Regex::new(&pattern).expect("label patterns are valid"),
                *role,
            )
        })
        .collect()
});

/// Any of the label words, wherever it stands: a text without one has no
/// labelled value, and most texts have none. Each [`LABEL`] pattern's
/// label is one of these words, so a text this does not match matches no
/// [`LABEL`]; this one pattern skips from literal to literal where the
/// four would each read the text through.
///
/// The words are read without the numbered prefixes a label may carry (a
/// fiscal year, a plan period): a match of a label holds its word without
/// them, and words alone are literals, which the search skips between
/// (`R\d`, `20\d\d` among them would have it read every character).
static ANY_LABEL_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = VALUE_LABELS
        .iter()
        .map(|(words, _)| {
            let words = NUMBERED_PREFIXES
                .iter()
                .fold(words.to_string(), |words, prefix| words.replace(prefix, ""));
            format!("(?:{words})")
        })
        .collect();
    Regex::new(&words.join("|")).expect("label patterns are valid")
});

/// The optional numbered prefixes of [`VALUE_LABELS`]' words, as written
/// there.
const NUMBERED_PREFIXES: [&str; 2] = ["(?:YEAR)?", r"(?:第\d{1,2}期)?"];

/// What may stand before the name: a list number, a label saying it is an
/// indicator.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:\(\d{1,2}\)|\d{1,2}[.)]|[①-⑳]|[・●○◇◆■□])?\s*",
        r"(?:【(?:成果指標|評価指標|指標名?|KPI|数値目標)】\s*",
        r"|(?:成果指標|評価指標|指標名?|KPI|数値目標)\s*[:：]\s*)?"
    ))
    .unwrap()
});

/// What separates values: arrows, brackets, commas, colons.
const SEPARATORS: &[char] = &['→', '⇒', '、', ',', '【', '】', '[', ']', ':', '：'];

/// A value with its label.
struct Labelled<'a> {
    role: Role,
    label: &'a str,
    value: &'a str,
}

/// The labelled values of `text`, in order: one at each [`LABEL`] match
/// (a text without [`ANY_LABEL_WORD`] has none, and [`read`] turns it away
/// first).
fn labelled_values(text: &str) -> Vec<(usize, Labelled<'_>)> {
    let mut found: Vec<(usize, usize, usize, Role)> = Vec::new();
    for (pattern, role) in LABEL.iter() {
        for c in pattern.captures_iter(text) {
            let (label, all) = (
                c.get(1).expect("the label group"),
                c.get(0).expect("a match"),
            );
            found.push((label.start(), label.end(), all.end(), *role));
        }
    }
    found.sort_by_key(|&(start, end, _, _)| (start, std::cmp::Reverse(end)));
    // A label inside a longer one (目標 in 目標値, 実績 in 令和4年度実績) is
    // part of it.
    let mut labels: Vec<(usize, usize, usize, Role)> = Vec::new();
    for label in found {
        if labels.last().is_none_or(|last| label.0 >= last.1) {
            labels.push(label);
        }
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, &(start, end, value_start, role))| {
            let value_end = labels.get(i + 1).map_or(text.len(), |next| next.0);
            let value = text[value_start.min(value_end)..value_end]
                .trim()
                .trim_matches(SEPARATORS)
                .trim();
            (
                start,
                Labelled {
                    role,
                    label: &text[start..end],
                    value,
                },
            )
        })
        .collect()
}

/// A value begins with its number, a per-year word, a sign for none or a
/// word of direction (`増加`, `維持`); a sentence going on after a label
/// (`目標値は…`) is no value.
/// A value may open with a short qualifier before its number (`累計3,420名`,
/// `延べ96人`, `月平均12件`): at most this many characters.
const MAX_VALUE_QUALIFIER_CHARS: usize = 3;

/// Whether a labelled part reads as a value: [`starts_like_a_value`], or a
/// short qualifier and then a number.
fn looks_like_a_value(value: &str) -> bool {
    let qualifier = value
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or(value);
    starts_like_a_value(value)
        || (qualifier.len() < value.len()
            && qualifier.chars().count() <= MAX_VALUE_QUALIFIER_CHARS
            && !qualifier.contains(char::is_whitespace)
            && !value.contains(['。', '=', '÷', '×']))
}

/// Whether text starts as a value does (a number, `年`, `毎`, a dash, a
/// word such as 増加): a name never does.
fn starts_like_a_value(value: &str) -> bool {
    const STARTS: &[char] = &['年', '毎', '約', '-', '－', '―', '−', '‐', '+', '(', '各'];
    const WORDS: &[&str] = &["増加", "減少", "維持", "現状維持", "横ばい", "向上", "なし"];
    // A formula (`(最終値-策定時の値)÷(目標値-策定時の値)×100`) is no value.
    !value.contains(['。', '=', '÷', '×'])
        && (value.starts_with(|c: char| c.is_ascii_digit() || STARTS.contains(&c))
            || WORDS.iter().any(|w| value.starts_with(w)))
}

fn extra(labelled: &Labelled) -> ExtraCell {
    ExtraCell {
        header: labelled.label.to_string(),
        text: labelled.value.to_string(),
    }
}

/// What an indicator line gives.
pub struct IndicatorLine {
    /// The indicator, or, for a line of values alone, `None` (they go on
    /// with the indicator above).
    pub name: Option<String>,
    /// The values read into an indicator's fields.
    pub values: Indicator,
}

/// Reads `text` as an indicator line. `under_label` says the line stands
/// under a label over indicators.
pub fn read(text: &str, under_label: bool, span: Span) -> Option<IndicatorLine> {
    // Most texts hold no label word, so no labelled value: they are turned
    // away before their lead is read (the values are read after the lead,
    // in a part of the text).
    if !ANY_LABEL_WORD.is_match(text) {
        return None;
    }
    let lead_match = LEAD.find(text);
    let lead = lead_match.map_or(0, |m| m.end());
    let says_indicator =
        lead_match.is_some_and(|m| m.as_str().contains('指') || m.as_str().contains("KPI"));
    let rest = &text[lead..];
    let values = labelled_values(rest);
    let (first, _) = values.first()?;
    let name = rest[..*first].trim().trim_matches(SEPARATORS).trim();
    // A name is words: a value before the first label (`41人 第7期目標値 58人`,
    // the rest of a wrapped line) is no name.
    if name.contains('。') || name.chars().count() > 80 || starts_like_a_value(name) {
        return None;
    }
    if values.iter().any(|(_, v)| !looks_like_a_value(v.value)) {
        return None;
    }
    let mut indicator = Indicator::named(name.to_string(), span);
    for (_, labelled) in &values {
        let year = year_in(labelled.label);
        let quantity = || read_quantity(labelled.value, year);
        match labelled.role {
            Role::Baseline if indicator.baseline.is_none() => indicator.baseline = Some(quantity()),
            Role::Target if indicator.target.is_none() => indicator.target = Some(quantity()),
            Role::Actual => indicator.actuals.push(quantity()),
            Role::Achievement if indicator.achievement_percent.is_none() => {
                match percent(labelled.value) {
                    Some(p) => indicator.achievement_percent = Some(p),
                    None => indicator.extra_cells.push(extra(labelled)),
                }
            }
            // A second baseline or target (`目標 25か所(R7)→目標 30か所(R12)`)
            // is kept under its label.
            Role::Baseline | Role::Target | Role::Achievement => {
                indicator.extra_cells.push(extra(labelled));
            }
        }
    }
    let counted = [&indicator.baseline, &indicator.target]
        .into_iter()
        .flatten()
        .chain(&indicator.actuals)
        .any(|q| q.value.is_some());
    if name.is_empty() {
        // Values alone: they go on with the indicator above.
        let opens_with_value = rest
            .trim_start()
            .trim_start_matches(SEPARATORS)
            .trim_start();
        let starts_with_label = values
            .first()
            .is_some_and(|(_, v)| opens_with_value.starts_with(v.label));
        return starts_with_label.then_some(IndicatorLine {
            name: None,
            values: indicator,
        });
    }
    let compares = indicator.baseline.is_some() && indicator.target.is_some();
    (counted && (under_label || says_indicator || compares)).then(|| {
        super::rows::settle_unit(&mut indicator);
        IndicatorLine {
            name: Some(name.to_string()),
            values: indicator,
        }
    })
}

/// Whether `text` reads as an indicator line with its name, wherever it
/// stands: a paragraph never runs on into or out of one.
pub fn is_indicator_line(text: &str) -> bool {
    let nowhere = Span::line(crate::document::Location { page: 1, line: 1 });
    read(text, true, nowhere).is_some_and(|line| line.name.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The gate holds: a text some [`LABEL`] matches, [`ANY_LABEL_WORD`]
    /// matches too.
    fn gate_holds(text: &str) -> bool {
        !LABEL.iter().any(|(label, _)| label.is_match(text)) || ANY_LABEL_WORD.is_match(text)
    }

    #[test]
    fn the_gate_reads_the_words_without_their_numbered_prefixes() {
        for prefix in NUMBERED_PREFIXES {
            assert!(
                VALUE_LABELS.iter().any(|(words, _)| words.contains(prefix)),
                "{prefix} is written in the labels"
            );
        }
        for (prefix, word) in [("令和4年度", "実績"), ("R5", "目標値"), ("第7期", "目標")]
        {
            let label = format!("{prefix}{word}");
            assert!(ANY_LABEL_WORD.is_match(&label), "{label}");
            assert!(!ANY_LABEL_WORD.is_match(prefix), "{prefix}");
        }
    }

    #[test]
    fn every_label_of_the_fixtures_passes_the_gate() {
        let mut labelled = 0;
        for line in crate::fixture_lines() {
            assert!(gate_holds(&line), "{line:?}");
            labelled += usize::from(LABEL.iter().any(|(label, _)| label.is_match(&line)));
        }
        assert!(labelled > 0, "the fixtures have labelled values to check");
    }

    proptest! {
        #[test]
        fn every_label_passes_the_gate(
            text in "(令和4年度|令和元年度|R5|2024年度|第7期|計画|策定時|の値|現状|基準値|当初値|最終値|中間値|直近値|実績|目標|値|達成率|達成度|指標|、| |→|:|12人|\\(){0,8}"
        ) {
            prop_assert!(gate_holds(&text));
        }
    }

    fn line(text: &str, under_label: bool) -> Option<IndicatorLine> {
        read(
            text,
            under_label,
            Span::line(crate::document::Location { page: 1, line: 1 }),
        )
    }

    fn raw(q: &Option<crate::document::Quantity>) -> Option<(&str, Option<f64>, Option<i32>)> {
        q.as_ref().map(|q| (q.raw.as_str(), q.value, q.year))
    }

    #[test]
    fn a_value_may_open_with_a_short_qualifier() {
        let read = line(
            "・認知症サポーター養成数　現状値 累計3,420名(R4)→ 目標値 5年間で1,500名",
            true,
        )
        .expect("an indicator line");
        assert_eq!(raw(&read.values.baseline).unwrap().1, Some(3420.0));
        assert_eq!(raw(&read.values.target).unwrap().1, Some(1500.0));
        // A name never opens like a value.
        assert!(line("第2子以降の出生数　現状 120人→目標 150人", true).is_some());
    }

    #[test]
    fn a_baseline_and_a_target_after_a_list_number() {
        let read = line("(1)ふれあいサロンの設置数 現状18か所→目標25か所", false).unwrap();
        assert_eq!(read.name.as_deref(), Some("ふれあいサロンの設置数"));
        assert_eq!(
            raw(&read.values.baseline),
            Some(("18か所", Some(18.0), None))
        );
        assert_eq!(raw(&read.values.target), Some(("25か所", Some(25.0), None)));
        assert_eq!(read.values.unit.as_deref(), Some("か所"));
    }

    #[test]
    fn a_target_alone_needs_a_label_over_it() {
        assert!(line("地域生活への移行者数 第7期目標値 60人", false).is_none());
        let read = line("地域生活への移行者数 第7期目標値 60人", true).unwrap();
        assert_eq!(raw(&read.values.target), Some(("60人", Some(60.0), None)));
        let read = line("就労移行者数 令和4年度実績 41人 第7期目標値 58人", true).unwrap();
        assert_eq!(read.values.actuals.len(), 1);
        assert_eq!(read.values.actuals[0].year, Some(2022));
        assert_eq!(raw(&read.values.target), Some(("58人", Some(58.0), None)));
    }

    #[test]
    fn years_in_the_values_and_a_line_of_values_alone() {
        let read = line(
            "指標:登録者数 策定時 820人(平成30年度)→目標 1,000人(令和5年度)",
            false,
        )
        .unwrap();
        assert_eq!(read.name.as_deref(), Some("登録者数"));
        assert_eq!(
            raw(&read.values.baseline),
            Some(("820人(平成30年度)", Some(820.0), Some(2018)))
        );
        let more = line("【最終値 874人(令和4年度)】→【指標達成度 30.0%】", false).unwrap();
        assert_eq!(more.name, None);
        assert_eq!(more.values.actuals[0].year, Some(2022));
        assert_eq!(more.values.achievement_percent, Some(30.0));
    }

    #[test]
    fn prose_is_no_indicator() {
        for text in [
            "41人 第7期目標値 58人",
            "現状と課題",
            "目標の達成に向けて、関係機関と連携します。",
            "最終値は原則として令和5年度の値です。",
            "指標達成度(%)=(最終値-策定時の値)÷(目標値-策定時の値)×100",
        ] {
            assert!(line(text, true).is_none(), "{text}");
        }
    }
}
