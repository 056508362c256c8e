//! The words a table's header uses for its columns, as data: one row of
//! [`HEADER_FIELDS`] per kind of column, saying which header texts name it,
//! what its cells look like (for [`super::table::align`]), and what a cell
//! does to the initiative of its row, or to the indicator of its row in a
//! table of indicators. To read another municipality's column word, add it
//! to its row's pattern; a new kind of column is a new row (and a variant
//! of [`Column`]).

use super::quantity::{percent, read_quantity};
use super::{departments, table};
use crate::document::{ExtraCell, Indicator, Initiative};
use crate::per_thread::{Regex, RegexSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 基本方針: `(1)title ⇒description`, filled on the first row of a group.
    Policy,
    /// 具体的取組・事業名: `12 name`, number and name in one cell.
    NumberName,
    /// 通番: the initiative's number.
    Number,
    /// 取組施策No.: the number within its sub-measure.
    LocalNumber,
    /// 事業概要 / 取組内容.
    Summary,
    /// 取組状況 / 実績.
    Status,
    /// 成果.
    Outcome,
    /// 取組状況に対する評価, 評価: text, or a grade on the document's scale.
    Evaluation,
    /// 課題.
    Issues,
    /// 改善策.
    Improvement,
    /// 今後の予定 / next year's target.
    Plan,
    /// 取組の方向性.
    Direction,
    /// 事業の達成度: `3 目標をほぼ達成`, or a grade.
    Achievement,
    /// 貢献度: `A 貢献している`.
    Contribution,
    /// 回答課 / 担当課 (with plan pages `(P.57)`).
    Departments,
    /// 進捗評価: a mark such as ○.
    Progress,
    /// 進捗率 / 達成率: a percentage.
    Percent,
    /// 指標名: an indicator's name.
    IndicatorName,
    /// 単位: the unit an indicator is counted in.
    Unit,
    /// 現状値 / 基準値: an indicator's baseline.
    Baseline,
    /// 目標値: an indicator's target.
    Target,
    /// 実績値 / 中間値: an indicator's result.
    Actual,
    /// A header keikaku does not know; its cells are kept as extra cells.
    Unknown,
}

/// What a column's cells look like, for placing a row's cells by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellForm {
    /// Any text (free-text columns).
    Text,
    /// `(1)title ⇒description`, or `⇒description` alone.
    PolicyCell,
    /// `12 name` or `①name`.
    NumberName,
    /// Digits alone.
    Number,
    /// `3 目標をほぼ達成`, or a grade alone.
    Achievement,
    /// `A 貢献している`.
    Contribution,
    /// A short list of department names.
    Department,
    /// A grade alone: a mark (○, △), a letter or digit, a word of a
    /// usual scale (実施済).
    Mark,
    /// A percentage.
    Percent,
}

/// One cell of a row, with what its column's header says.
pub struct Cell<'a> {
    /// The column's header as printed.
    pub header: &'a str,
    /// The fiscal year the header names (`R5実績` → 2023).
    pub header_year: Option<i32>,
    /// The cell's text.
    pub text: &'a str,
}

/// One kind of column.
pub struct ColumnSpec {
    /// The kind.
    pub column: Column,
    /// The header texts (white space removed) that name it.
    pub headers: &'static str,
    /// The record fields it feeds, as the document's table list names them.
    pub fields: Option<&'static str>,
    /// What its cells look like.
    pub cells: CellForm,
    /// Leaving it empty makes a row suspect (most likely misaligned).
    pub required: bool,
    /// What it is in a table of indicators, when that differs, and the
    /// headers (white space removed) that take that meaning there (`目標`
    /// alone is a target, `R5実績` a result; `事業名` or `取組状況` keep
    /// theirs and go to the extra cells).
    pub in_indicator_table: Option<(Column, &'static str)>,
    /// What a cell does to its row's initiative.
    pub fill: fn(&mut Initiative, &Cell),
    /// What a cell does to its row's indicator.
    pub measure: fn(&mut Indicator, &Cell),
}

/// Header text (white space removed) → column, tried in order; the first
/// match wins, so more specific patterns stand first. A static, not a
/// constant: one table in memory, whose rows [`spec`] hands out by kind.
pub static HEADER_FIELDS: &[ColumnSpec] = &[
    ColumnSpec {
        column: Column::Policy,
        headers: r"^(?:基本方針|基本施策|施策)$",
        fields: Some("policy_number,policy_title"),
        cells: CellForm::PolicyCell,
        required: false,
        in_indicator_table: None,
        // The segmenter reads a policy cell itself: it opens a heading.
        fill: extra,
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::IndicatorName,
        headers: r"^(?:重要業績評価指標|成果指標|評価指標|目標指標|活動指標|数値目標|指標名?|指標項目|KPI)(?:\(.*\))?$",
        fields: Some("name"),
        cells: CellForm::Text,
        required: true,
        in_indicator_table: None,
        fill: extra,
        measure: |indicator, cell| {
            if indicator.name.is_empty() {
                indicator.name = cell.text.to_string();
            } else {
                indicator_extra(indicator, cell);
            }
        },
    },
    ColumnSpec {
        column: Column::Percent,
        headers: r"達成率|^指標達成度|^達成度\(%\)$|^進捗率",
        fields: Some("progress_percent"),
        cells: CellForm::Percent,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| match percent_of(cell) {
            Some(p) if initiative.progress_percent.is_none() => {
                initiative.progress_percent = Some(p)
            }
            _ => extra(initiative, cell),
        },
        measure: |indicator, cell| match percent_of(cell) {
            Some(p) if indicator.achievement_percent.is_none() => {
                indicator.achievement_percent = Some(p);
            }
            _ => indicator_extra(indicator, cell),
        },
    },
    ColumnSpec {
        column: Column::Unit,
        headers: r"^単位$",
        fields: Some("unit"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: extra,
        measure: |indicator, cell| match indicator.unit {
            None => indicator.unit = Some(cell.text.to_string()),
            Some(_) => indicator_extra(indicator, cell),
        },
    },
    ColumnSpec {
        column: Column::Baseline,
        headers: r"^(?:現状|基準|策定時|計画策定時|当初)値?(?:\(.*\))?$",
        fields: Some("baseline"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: extra,
        measure: |indicator, cell| put_quantity(indicator, cell, |i| &mut i.baseline),
    },
    ColumnSpec {
        column: Column::Target,
        headers: r"目標値|^目標\(.*\)$",
        fields: Some("target"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.plan),
        measure: |indicator, cell| put_quantity(indicator, cell, |i| &mut i.target),
    },
    ColumnSpec {
        column: Column::Actual,
        headers: r"実績値|^中間値|^最終値|^直近値|^直近の?実績",
        fields: Some("actuals"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.status),
        measure: actual,
    },
    ColumnSpec {
        column: Column::NumberName,
        headers: r"^(?:具体的)?取組[・･]?事業名?$|^(?:事業|取組|施策|取組項目|主な(?:取組|事業)|具体的な?(?:取組|事業))名?$|^目標$",
        fields: Some("number,name"),
        cells: CellForm::NumberName,
        required: true,
        in_indicator_table: Some((Column::Target, r"^目標$")),
        fill: |initiative, cell| {
            if initiative.name.is_some() {
                return extra(initiative, cell);
            }
            match table::read_number_name(cell.text) {
                Some((number, name)) => {
                    initiative.number = initiative.number.or(Some(number));
                    initiative.name = name;
                }
                None => initiative.name = Some(cell.text.to_string()),
            }
        },
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Number,
        headers: r"^(?:通番|番号|No\.?)$",
        fields: Some("number"),
        cells: CellForm::Number,
        required: true,
        in_indicator_table: None,
        fill: |initiative, cell| match cell.text.parse().ok() {
            Some(number) if initiative.number.is_none() => initiative.number = Some(number),
            _ => extra(initiative, cell),
        },
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::LocalNumber,
        headers: r"^取組施策No\.?$",
        fields: Some("local_number"),
        cells: CellForm::Number,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| initiative.local_number = cell.text.parse().ok(),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Summary,
        headers: r"^(?:事業|取組|実施)?(?:の)?(?:概要|内容)$",
        fields: Some("summary"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.summary),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Evaluation,
        headers: r"^取組状況に対する評価$|^評価理由$|^(?:自己|総合|事業)?評価(?:結果)?$",
        fields: Some("evaluation,rating"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| {
            if is_grade(cell.text) {
                put(initiative, cell, |i| &mut i.rating);
            } else {
                put(initiative, cell, |i| &mut i.evaluation);
            }
        },
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Status,
        headers: r"^取組状況|^実施状況$|実績$|(?:\d|元)年度の?(?:主な)?取組(?:内容)?$",
        fields: Some("status"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: Some((Column::Actual, r"実績$")),
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.status),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Outcome,
        headers: r"^(?:主な|取組の)?成果$",
        fields: Some("outcome"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.outcome),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Issues,
        headers: r"^(?:今後の)?課題$",
        fields: Some("issues"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.issues),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Improvement,
        headers: r"^改善(?:策|点|内容)$|^今後の取組$",
        fields: Some("improvement"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.improvement),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Plan,
        headers: r"^今後の予定$|^計画$|^次年度(?:の取組|計画|の予定)|(?:年度|^R\d{1,2})目標$",
        fields: Some("plan"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: Some((Column::Target, r"目標$")),
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.plan),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Direction,
        headers: r"方向性$",
        fields: Some("direction"),
        cells: CellForm::Text,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| put(initiative, cell, |i| &mut i.direction),
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Achievement,
        headers: r"達成度$",
        fields: Some("achievement_code,achievement_label,rating"),
        cells: CellForm::Achievement,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| match table::read_achievement(cell.text) {
            Some((code, label)) => {
                initiative.achievement_code = Some(code);
                initiative.achievement_label = Some(label.clone());
                if initiative.rating.is_none() {
                    initiative.rating = Some(code.to_string());
                    initiative.rating_label = Some(label);
                }
            }
            None => put(initiative, cell, |i| &mut i.rating),
        },
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Contribution,
        headers: r"貢献度$",
        fields: Some("contribution_code,contribution_label"),
        cells: CellForm::Contribution,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| {
            if let Some((code, label)) = table::read_contribution(cell.text) {
                initiative.contribution_code = Some(code);
                initiative.contribution_label = Some(label);
            }
        },
        measure: indicator_extra,
    },
    ColumnSpec {
        column: Column::Departments,
        headers: r"^(?:回答課|担当課|所管課|担当部署|担当部局|所管部署|主管課|推進者|実施主体|関係課|担当)",
        fields: Some("departments,plan_pages"),
        cells: CellForm::Department,
        required: true,
        in_indicator_table: None,
        fill: |initiative, cell| {
            if initiative.departments_cell.is_some() {
                return extra(initiative, cell);
            }
            initiative.departments_cell = Some(cell.text.to_string());
            initiative.plan_pages = departments::plan_pages(cell.text);
        },
        measure: |indicator, cell| {
            if indicator.departments_cell.is_some() {
                return indicator_extra(indicator, cell);
            }
            indicator.departments_cell = Some(cell.text.to_string());
        },
    },
    ColumnSpec {
        column: Column::Progress,
        headers: r"進捗評価$|^進捗状況$",
        fields: Some("progress_mark,rating"),
        cells: CellForm::Mark,
        required: false,
        in_indicator_table: None,
        fill: |initiative, cell| {
            put(initiative, cell, |i| &mut i.progress_mark);
            if initiative.rating.is_none() {
                initiative.rating = Some(cell.text.to_string());
            }
        },
        measure: indicator_extra,
    },
];

/// The spec of a column kind (`Unknown` has none), looked up by the kind:
/// a row's alignment asks it for every cell and column it tries.
pub fn spec(column: Column) -> Option<&'static ColumnSpec> {
    SPEC_OF_KIND[column as usize]
}

/// How many column kinds there are: `Unknown` is the last.
const COLUMN_KINDS: usize = Column::Unknown as usize + 1;

/// [`HEADER_FIELDS`] by column kind: each kind's first spec.
static SPEC_OF_KIND: LazyLock<[Option<&'static ColumnSpec>; COLUMN_KINDS]> = LazyLock::new(|| {
    let mut by_kind = [None; COLUMN_KINDS];
    for spec in HEADER_FIELDS.iter().rev() {
        by_kind[spec.column as usize] = Some(spec);
    }
    by_kind
});

/// Every spec's header pattern in one set, in [`HEADER_FIELDS`]' order:
/// a cell is read once for all of them (every cell of every row is tried
/// as a header, so this is on the hot path), and the first spec that
/// matches wins, as when they were tried one by one.
static HEADER_PATTERNS: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(HEADER_FIELDS.iter().map(|spec| spec.headers)).expect("header patterns are valid")
});

/// The column a header cell names.
pub fn column_of_header(header: &str) -> Column {
    // Every cell of every row is tried as a header: most have no space.
    let compact: Cow<str> = if header.contains(char::is_whitespace) {
        Cow::Owned(header.split(char::is_whitespace).collect())
    } else {
        Cow::Borrowed(header)
    };
    let find = |text: &str| {
        HEADER_PATTERNS
            .matches(text)
            .iter()
            .next()
            .map(|first| HEADER_FIELDS[first].column)
    };
    // A header may carry a note or the legend of its grades in brackets
    // (`評価(◎:達成 ○:概ね達成)`, `取組状況(令和元年度)`): the word outside names it.
    // A header may name the year its cells are of before its word
    // (`令和5年度の取組状況`, `R5年度実施内容`): the word after names it.
    find(&compact)
        .or_else(|| match BRACKETED.replace_all(&compact, "") {
            // Nothing bracketed: the same text, already tried.
            Cow::Borrowed(_) => None,
            Cow::Owned(outside) => find(&outside),
        })
        .or_else(|| {
            let year = YEAR_PREFIX.find(&compact)?;
            find(&compact[year.end()..])
        })
        .unwrap_or(Column::Unknown)
}

/// A header that is a fiscal year and nothing else.
static YEAR_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:令和|平成|R|H)(?:\d{1,2}|元)(?:年度)?|(?:19|20)\d{2}年度)$").unwrap()
});

/// A fiscal year before a header's word: `令和5年度の`, `R5年度`, `2023年度`,
/// `平成30年度の`.
static YEAR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:令和|平成|R|H)(?:\d{1,2}|元)|(?:19|20)\d{2})年度の?").unwrap()
});

/// The column `header` (read as `column`) is in a table of indicators,
/// where some headers mean a value ([`ColumnSpec::in_indicator_table`]).
pub fn column_in_indicator_table(column: Column, header: &str) -> Column {
    let compact: String = header.split(char::is_whitespace).collect();
    // A column headed by a fiscal year alone (`令和4年度`, `R5`) holds that
    // year's results.
    if column == Column::Unknown && YEAR_ALONE.is_match(&compact) {
        return Column::Actual;
    }
    INDICATOR_MEANINGS
        .iter()
        .find(|(of, pattern, _)| *of == column && pattern.is_match(&compact))
        .map_or(column, |(_, _, meaning)| *meaning)
}

/// Each spec's [`ColumnSpec::in_indicator_table`], its pattern compiled.
static INDICATOR_MEANINGS: LazyLock<Vec<(Column, Regex, Column)>> = LazyLock::new(|| {
    HEADER_FIELDS
        .iter()
        .filter_map(|spec| {
            let (meaning, headers) = spec.in_indicator_table?;
            let pattern = Regex::new(headers).expect("header patterns are valid");
            Some((spec.column, pattern, meaning))
        })
        .collect()
});

/// A bracketed part of a header.
static BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]").unwrap());

/// What a row's cell does to its initiative, by its column's kind.
pub fn fill_initiative(initiative: &mut Initiative, column: Column, cell: &Cell) {
    match spec(column) {
        Some(spec) => (spec.fill)(initiative, cell),
        None => extra(initiative, cell),
    }
}

/// What a row's cell does to its indicator, by its column's kind.
pub fn fill_indicator(indicator: &mut Indicator, column: Column, cell: &Cell) {
    match spec(column) {
        Some(spec) => (spec.measure)(indicator, cell),
        None => indicator_extra(indicator, cell),
    }
}

/// A grade on a scale rather than a sentence: a mark, a letter, a digit, a
/// word of a usual scale or a word of four characters at most (`A`, `◎`,
/// `3`, `概ね順調`, `実施済`); a department's name pushed into the column is
/// longer.
pub fn is_grade(text: &str) -> bool {
    let text = text.trim();
    if super::ratings::is_scale_word(text) {
        return true;
    }
    (1..=4).contains(&text.chars().count())
        && !text.contains(['。', '、', ',', '.'])
        && !text.chars().any(char::is_whitespace)
}

fn quantity(cell: &Cell) -> crate::document::Quantity {
    read_quantity(cell.text, cell.header_year)
}

/// A quantity field is fed by the first column that names it; a second
/// one (`基準値` beside `現状値`) goes to the extra cells.
fn put_quantity(
    indicator: &mut Indicator,
    cell: &Cell,
    field: fn(&mut Indicator) -> &mut Option<crate::document::Quantity>,
) {
    if field(indicator).is_none() {
        *field(indicator) = Some(quantity(cell));
    } else {
        indicator_extra(indicator, cell);
    }
}

/// A percentage cell's number, when the cell is that number alone
/// (`85.0%`); a cell with more (`105.3%(R5)`, `-`) is kept whole instead.
fn percent_of(cell: &Cell) -> Option<f64> {
    let text = cell.text.trim();
    let bare = text.trim_end_matches('%').trim();
    bare.parse::<f64>().ok().and(percent(text))
}

fn actual(indicator: &mut Indicator, cell: &Cell) {
    indicator.actuals.push(quantity(cell));
}

/// A field is fed by the first column that names it; a second column for
/// it (two years of 実績) goes to the extra cells, under its header.
fn put(
    initiative: &mut Initiative,
    cell: &Cell,
    field: fn(&mut Initiative) -> &mut Option<String>,
) {
    if field(initiative).is_none() {
        *field(initiative) = Some(cell.text.to_string());
    } else {
        extra(initiative, cell);
    }
}

fn extra(initiative: &mut Initiative, cell: &Cell) {
    initiative.extra_cells.push(ExtraCell {
        header: cell.header.to_string(),
        text: cell.text.to_string(),
    });
}

fn indicator_extra(indicator: &mut Indicator, cell: &Cell) {
    indicator.extra_cells.push(ExtraCell {
        header: cell.header.to_string(),
        text: cell.text.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_the_first_spec_the_table_lists_for_it() {
        let kinds = HEADER_FIELDS
            .iter()
            .map(|spec| spec.column)
            .chain([Column::Unknown]);
        for kind in kinds {
            let first = HEADER_FIELDS.iter().find(|spec| spec.column == kind);
            let same = match (spec(kind), first) {
                (Some(looked_up), Some(first)) => std::ptr::eq(looked_up, first),
                (None, None) => true,
                _ => false,
            };
            assert!(same, "{kind:?}");
        }
    }
}
