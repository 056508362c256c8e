//! The flat record: one initiative or indicator with the numbers and titles of the
//! headings above it, the portal's contract (`schema/record.schema.json`).
//! Field names and order are those of DESIGN.md's table.

use crate::document::{
    Document, ExtraCell, Goal, Indicator, Initiative, Measure, Policy, Quantity, Reference, Span,
    SubMeasure,
};
use serde::{Deserialize, Serialize};

/// One initiative, flat. Its texts are `S`: its own (`String`, the
/// default), or borrowed from the document it was read from (`&str`,
/// [`borrowed`]), which writes the same JSON without copying them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<S = String> {
    /// The input's file name.
    pub source_file: S,
    /// 基本目標 number (`null` only for a row above every goal heading).
    pub goal_number: Option<u32>,
    /// 基本目標 title.
    pub goal_title: Option<S>,
    /// 基本方針 / 基本施策 number.
    pub policy_number: Option<u32>,
    /// 基本方針 / 基本施策 title.
    pub policy_title: Option<S>,
    /// (N) under the policy.
    pub measure_number: Option<u32>,
    /// Its title.
    pub measure_title: Option<S>,
    /// ① under the measure.
    pub sub_measure_number: Option<u32>,
    /// Its title.
    pub sub_measure_title: Option<S>,
    /// The initiative's printed number.
    pub number: Option<u32>,
    /// Its number within the sub-measure (取組施策No.).
    pub local_number: Option<u32>,
    /// 具体的取組・事業名.
    pub name: Option<S>,
    /// The category (【子ども・子育て】) a listed initiative stands under.
    pub category: Option<S>,
    /// 取組状況.
    pub status: Option<S>,
    /// 取組状況に対する評価.
    pub evaluation: Option<S>,
    /// 取組の方向性.
    pub direction: Option<S>,
    /// 事業の達成度 code.
    pub achievement_code: Option<u32>,
    /// 事業の達成度 label.
    pub achievement_label: Option<S>,
    /// 貢献度 code.
    pub contribution_code: Option<S>,
    /// 貢献度 label.
    pub contribution_label: Option<S>,
    /// 進捗評価 mark.
    pub progress_mark: Option<S>,
    /// The mark's meaning from the document's legend.
    pub progress_label: Option<S>,
    /// The year the report covers.
    pub fiscal_year: Option<i32>,
    /// One entry per department.
    pub departments: Vec<S>,
    /// Plan pages cited.
    pub plan_pages: Vec<u32>,
    /// Where a 【再掲…】 initiative first appears.
    pub reposted_from: Option<Reference>,
    /// 【全市的取組】.
    pub citywide: bool,
    /// Marked as ended.
    pub discontinued: bool,
    /// The source page of the row.
    pub page: u32,
    /// Its first line.
    pub line_start: u32,
    /// Its last line.
    pub line_end: u32,
    /// The plan's own word for the goal level (基本目標, 目標, 章…). The
    /// four level words stand last so that the columns before keep their
    /// places in the CSV.
    pub goal_level_word: Option<S>,
    /// The plan's own word for the policy level (基本方針, 施策の方向…).
    pub policy_level_word: Option<S>,
    /// The plan's own word for the measure level.
    pub measure_level_word: Option<S>,
    /// The plan's own word for the sub-measure level.
    pub sub_measure_level_word: Option<S>,
    /// What the record is: an initiative (a row of a table of initiatives,
    /// a listed 事業) or an indicator (KPI). The fields after it stand last
    /// so that the columns before keep their places in the CSV.
    #[serde(default)]
    pub kind: RecordKind,
    /// 事業概要 / 取組内容.
    #[serde(default)]
    pub summary: Option<S>,
    /// 成果.
    #[serde(default)]
    pub outcome: Option<S>,
    /// 課題.
    #[serde(default)]
    pub issues: Option<S>,
    /// 改善策.
    #[serde(default)]
    pub improvement: Option<S>,
    /// 今後の予定, next year's target.
    #[serde(default)]
    pub plan: Option<S>,
    /// The grade on the document's evaluation scale, as printed.
    #[serde(default)]
    pub rating: Option<S>,
    /// Its meaning in the document's legend.
    #[serde(default)]
    pub rating_label: Option<S>,
    /// Its place on the scale (1 = the first grade the legend lists).
    #[serde(default)]
    pub rating_rank: Option<u32>,
    /// The whole scale as the legend gives it.
    #[serde(default)]
    pub rating_scale: Option<S>,
    /// 進捗率 / 達成率 of an initiative, in percent.
    #[serde(default)]
    pub progress_percent: Option<f64>,
    /// Cells under columns keikaku does not read, by their header.
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// An indicator's unit.
    #[serde(default)]
    pub unit: Option<S>,
    /// An indicator's baseline (現状値).
    #[serde(default)]
    pub baseline: Option<Quantity>,
    /// An indicator's target (目標値).
    #[serde(default)]
    pub target: Option<Quantity>,
    /// An indicator's results, in the order printed.
    #[serde(default)]
    pub actuals: Vec<Quantity>,
    /// An indicator's achievement (達成率), in percent.
    #[serde(default)]
    pub achievement_percent: Option<f64>,
}

/// What a record is. Records written before indicators were read have no
/// `kind`: they are initiatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A row of a table of initiatives, or a listed 事業.
    #[default]
    Initiative,
    /// An indicator (KPI) with its values.
    Indicator,
}

/// The headings above an initiative.
#[derive(Default, Clone, Copy)]
struct Ancestry<'a> {
    goal: Option<&'a Goal>,
    policy: Option<&'a Policy>,
    measure: Option<&'a Measure>,
    sub_measure: Option<&'a SubMeasure>,
}

/// The flat records of `doc`: the nodes in document order, each node's
/// initiatives, then its indicators.
pub fn records(doc: &Document) -> Vec<Record> {
    records_of(doc)
}

/// The flat records of `doc`, as [`records`], with their texts borrowed
/// from it: what a writer of their JSON or CSV needs, without a copy of
/// each text.
pub fn borrowed(doc: &Document) -> Vec<Record<&str>> {
    records_of(doc)
}

fn records_of<'d, S: From<&'d str>>(doc: &'d Document) -> Vec<Record<S>> {
    // Counted first: a record is large, and a vector grown by doubling
    // copies every record built so far at each step.
    let mut out = Vec::with_capacity(count(doc));
    each_list(doc, |ancestry, initiatives, indicators| {
        out.extend(initiatives.iter().map(|i| flatten(doc, ancestry, i)));
        out.extend(
            indicators
                .iter()
                .map(|i| flatten_indicator(doc, ancestry, i)),
        );
    });
    out
}

/// How many records [`records`] gives for `doc`, none of them built (a
/// conversion that writes only the document counts them for its summary).
pub fn count(doc: &Document) -> usize {
    let mut count = 0;
    each_list(doc, |_, initiatives, indicators| {
        count += initiatives.len() + indicators.len();
    });
    count
}

/// Calls `f` with every node's initiatives and indicators, and the
/// headings above them, the nodes in document order.
fn each_list<'d>(
    doc: &'d Document,
    mut f: impl FnMut(Ancestry<'d>, &'d [Initiative], &'d [Indicator]),
) {
    f(Ancestry::default(), &doc.initiatives, &doc.indicators);
    for goal in &doc.goals {
        let at_goal = Ancestry {
            goal: Some(goal),
            ..Ancestry::default()
        };
        f(at_goal, &goal.initiatives, &goal.indicators);
        for policy in &goal.policies {
            let at_policy = Ancestry {
                policy: Some(policy),
                ..at_goal
            };
            f(at_policy, &policy.initiatives, &policy.indicators);
            for measure in &policy.measures {
                let at_measure = Ancestry {
                    measure: Some(measure),
                    ..at_policy
                };
                f(at_measure, &measure.initiatives, &measure.indicators);
                for sub_measure in &measure.sub_measures {
                    let at_sub = Ancestry {
                        sub_measure: Some(sub_measure),
                        ..at_measure
                    };
                    f(at_sub, &sub_measure.initiatives, &sub_measure.indicators);
                }
            }
        }
    }
}

fn flatten<'d, S: From<&'d str>>(
    doc: &'d Document,
    up: Ancestry<'d>,
    i: &'d Initiative,
) -> Record<S> {
    Record {
        source_file: S::from(&doc.source.file_name),
        goal_number: up.goal.map(|g| g.number),
        goal_title: up.goal.and_then(|g| text(&g.title)),
        policy_number: up.policy.map(|p| p.number),
        policy_title: up.policy.and_then(|p| text(&p.title)),
        measure_number: up.measure.map(|m| m.number),
        measure_title: up.measure.and_then(|m| text(&m.title)),
        sub_measure_number: up.sub_measure.map(|s| s.number),
        sub_measure_title: up.sub_measure.and_then(|s| text(&s.title)),
        number: i.number,
        local_number: i.local_number,
        name: text(&i.name),
        category: text(&i.category),
        status: text(&i.status),
        evaluation: text(&i.evaluation),
        direction: text(&i.direction),
        achievement_code: i.achievement_code,
        achievement_label: text(&i.achievement_label),
        contribution_code: text(&i.contribution_code),
        contribution_label: text(&i.contribution_label),
        progress_mark: text(&i.progress_mark),
        progress_label: text(&i.progress_label),
        fiscal_year: doc.fiscal_year,
        departments: texts(&i.departments),
        plan_pages: i.plan_pages.clone(),
        reposted_from: i.reposted_from.clone(),
        citywide: i.citywide,
        discontinued: i.discontinued,
        page: i.span.page,
        line_start: i.span.line_start,
        line_end: i.span.line_end,
        goal_level_word: up.goal.and_then(|g| text(&g.level_word)),
        policy_level_word: up.policy.and_then(|p| text(&p.level_word)),
        measure_level_word: up.measure.and_then(|m| text(&m.level_word)),
        sub_measure_level_word: up.sub_measure.and_then(|s| text(&s.level_word)),
        kind: RecordKind::Initiative,
        summary: text(&i.summary),
        outcome: text(&i.outcome),
        issues: text(&i.issues),
        improvement: text(&i.improvement),
        plan: text(&i.plan),
        rating: text(&i.rating),
        rating_label: text(&i.rating_label),
        rating_rank: i.rating_rank,
        rating_scale: text(&i.rating_scale),
        progress_percent: i.progress_percent,
        extra: extra_of(&i.extra_cells),
        unit: None,
        baseline: None,
        target: None,
        actuals: Vec::new(),
        achievement_percent: None,
    }
}

/// An initiative with nothing read: what an indicator's record takes the
/// initiative's fields from, where the indicator has none of its own (its
/// span is the indicator's, set over it).
static NO_INITIATIVE: std::sync::LazyLock<Initiative> = std::sync::LazyLock::new(|| {
    Initiative::empty(Span {
        page: 0,
        line_start: 0,
        line_end: 0,
    })
});

/// An indicator as a record: the initiative's fields it has (its name, its
/// departments, its extra cells, where it stood) and its values; the others
/// empty.
fn flatten_indicator<'d, S: From<&'d str>>(
    doc: &'d Document,
    up: Ancestry<'d>,
    indicator: &'d Indicator,
) -> Record<S> {
    Record {
        kind: RecordKind::Indicator,
        name: Some(S::from(&indicator.name)),
        departments: texts(&indicator.departments),
        extra: extra_of(&indicator.extra_cells),
        page: indicator.span.page,
        line_start: indicator.span.line_start,
        line_end: indicator.span.line_end,
        unit: text(&indicator.unit),
        baseline: indicator.baseline.clone(),
        target: indicator.target.clone(),
        actuals: indicator.actuals.clone(),
        achievement_percent: indicator.achievement_percent,
        ..flatten(doc, up, &NO_INITIATIVE)
    }
}

/// A text of the document as a record's text.
fn text<'d, S: From<&'d str>>(text: &'d Option<String>) -> Option<S> {
    text.as_deref().map(S::from)
}

/// The document's texts as a record's.
fn texts<'d, S: From<&'d str>>(texts: &'d [String]) -> Vec<S> {
    texts.iter().map(|t| S::from(t)).collect()
}

/// Extra cells by header; a cell under no header, or a second cell under
/// the same header, keeps its place with the header numbered
/// (`備考`, `備考 (2)`).
fn extra_of(cells: &[ExtraCell]) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    for cell in cells {
        let header = if cell.header.is_empty() {
            "(no column)"
        } else {
            cell.header.as_str()
        };
        let mut key = header.to_string();
        let mut n = 1;
        while map.contains_key(&key) {
            n += 1;
            key = format!("{header} ({n})");
        }
        map.insert(key, serde_json::Value::String(cell.text.clone()));
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_is_the_number_of_records_borrowed_or_owned() {
        // Plans of initiatives and plans of indicators.
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let (mut initiatives, mut indicators) = (0, 0);
        for dir in ["input", "indicators"] {
            for entry in std::fs::read_dir(fixtures.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "txt") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy();
                let document = crate::convert(&name, &bytes).unwrap();
                let records = records(&document);
                assert_eq!(count(&document), records.len(), "{name}");
                // Borrowed or owned, the same records.
                assert!(
                    crate::write::records_jsonl(&borrowed(&document))
                        == crate::write::records_jsonl(&records),
                    "{name}"
                );
                for record in &records {
                    match record.kind {
                        RecordKind::Initiative => initiatives += 1,
                        RecordKind::Indicator => indicators += 1,
                    }
                }
            }
        }
        assert!(
            initiatives > 100 && indicators > 10,
            "{initiatives} {indicators}"
        );
    }
}
