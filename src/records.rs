//! The flat record: one initiative with the numbers and titles of the
//! headings above it, the portal's contract (`schema/record.schema.json`).
//! Field names and order are those of DESIGN.md's table.

use crate::document::{Document, Goal, Initiative, Measure, Policy, Reference, SubMeasure};
use serde::{Deserialize, Serialize};

/// One initiative, flat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The input's file name.
    pub source_file: String,
    /// 基本目標 number (`null` only for a row above every goal heading).
    pub goal_number: Option<u32>,
    /// 基本目標 title.
    pub goal_title: Option<String>,
    /// 基本方針 / 基本施策 number.
    pub policy_number: Option<u32>,
    /// 基本方針 / 基本施策 title.
    pub policy_title: Option<String>,
    /// (N) under the policy.
    pub measure_number: Option<u32>,
    /// Its title.
    pub measure_title: Option<String>,
    /// ① under the measure.
    pub sub_measure_number: Option<u32>,
    /// Its title.
    pub sub_measure_title: Option<String>,
    /// The initiative's printed number.
    pub number: Option<u32>,
    /// Its number within the sub-measure (取組施策No.).
    pub local_number: Option<u32>,
    /// 具体的取組・事業名.
    pub name: Option<String>,
    /// The category (【子ども・子育て】) a listed initiative stands under.
    pub category: Option<String>,
    /// 取組状況.
    pub status: Option<String>,
    /// 取組状況に対する評価.
    pub evaluation: Option<String>,
    /// 取組の方向性.
    pub direction: Option<String>,
    /// 事業の達成度 code.
    pub achievement_code: Option<u32>,
    /// 事業の達成度 label.
    pub achievement_label: Option<String>,
    /// 貢献度 code.
    pub contribution_code: Option<String>,
    /// 貢献度 label.
    pub contribution_label: Option<String>,
    /// 進捗評価 mark.
    pub progress_mark: Option<String>,
    /// The mark's meaning from the document's legend.
    pub progress_label: Option<String>,
    /// The year the report covers.
    pub fiscal_year: Option<i32>,
    /// One entry per department.
    pub departments: Vec<String>,
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
    pub goal_level_word: Option<String>,
    /// The plan's own word for the policy level (基本方針, 施策の方向…).
    pub policy_level_word: Option<String>,
    /// The plan's own word for the measure level.
    pub measure_level_word: Option<String>,
    /// The plan's own word for the sub-measure level.
    pub sub_measure_level_word: Option<String>,
}

/// The headings above an initiative.
#[derive(Default, Clone, Copy)]
struct Ancestry<'a> {
    goal: Option<&'a Goal>,
    policy: Option<&'a Policy>,
    measure: Option<&'a Measure>,
    sub_measure: Option<&'a SubMeasure>,
}

/// The flat records of `doc`, in document order.
pub fn records(doc: &Document) -> Vec<Record> {
    let mut out = Vec::new();
    let mut add = |ancestry: Ancestry, initiatives: &[Initiative]| {
        out.extend(initiatives.iter().map(|i| flatten(doc, ancestry, i)));
    };
    add(Ancestry::default(), &doc.initiatives);
    for goal in &doc.goals {
        let at_goal = Ancestry {
            goal: Some(goal),
            ..Ancestry::default()
        };
        add(at_goal, &goal.initiatives);
        for policy in &goal.policies {
            let at_policy = Ancestry {
                policy: Some(policy),
                ..at_goal
            };
            add(at_policy, &policy.initiatives);
            for measure in &policy.measures {
                let at_measure = Ancestry {
                    measure: Some(measure),
                    ..at_policy
                };
                add(at_measure, &measure.initiatives);
                for sub_measure in &measure.sub_measures {
                    let at_sub = Ancestry {
                        sub_measure: Some(sub_measure),
                        ..at_measure
                    };
                    add(at_sub, &sub_measure.initiatives);
                }
            }
        }
    }
    out
}

fn flatten(doc: &Document, up: Ancestry, i: &Initiative) -> Record {
    Record {
        source_file: doc.source.file_name.clone(),
        goal_number: up.goal.map(|g| g.number),
        goal_title: up.goal.and_then(|g| g.title.clone()),
        policy_number: up.policy.map(|p| p.number),
        policy_title: up.policy.and_then(|p| p.title.clone()),
        measure_number: up.measure.map(|m| m.number),
        measure_title: up.measure.and_then(|m| m.title.clone()),
        sub_measure_number: up.sub_measure.map(|s| s.number),
        sub_measure_title: up.sub_measure.and_then(|s| s.title.clone()),
        number: i.number,
        local_number: i.local_number,
        name: i.name.clone(),
        category: i.category.clone(),
        status: i.status.clone(),
        evaluation: i.evaluation.clone(),
        direction: i.direction.clone(),
        achievement_code: i.achievement_code,
        achievement_label: i.achievement_label.clone(),
        contribution_code: i.contribution_code.clone(),
        contribution_label: i.contribution_label.clone(),
        progress_mark: i.progress_mark.clone(),
        progress_label: i.progress_label.clone(),
        fiscal_year: doc.fiscal_year,
        departments: i.departments.clone(),
        plan_pages: i.plan_pages.clone(),
        reposted_from: i.reposted_from.clone(),
        citywide: i.citywide,
        discontinued: i.discontinued,
        page: i.span.page,
        line_start: i.span.line_start,
        line_end: i.span.line_end,
        goal_level_word: up.goal.and_then(|g| g.level_word.clone()),
        policy_level_word: up.policy.and_then(|p| p.level_word.clone()),
        measure_level_word: up.measure.and_then(|m| m.level_word.clone()),
        sub_measure_level_word: up.sub_measure.and_then(|s| s.level_word.clone()),
    }
}
