//! The progress reports' acceptance points, checked against what the source
//! text says (read by hand from the fixture inputs), independently of the
//! golden files.

mod common;

use common::*;
use keikaku::document::WarningCode;
use keikaku::records::Record;
use std::collections::BTreeSet;

/// The record numbered `number`.
fn by_number(records: &[Record], number: u32) -> &Record {
    records
        .iter()
        .find(|r| r.number == Some(number))
        .unwrap_or_else(|| panic!("no record numbered {number}"))
}

/// Asserts that the records numbered in `range` have this goal and policy.
fn assert_policy(records: &[Record], range: std::ops::RangeInclusive<u32>, goal: u32, policy: u32) {
    for number in range {
        let r = by_number(records, number);
        assert_eq!(
            (r.goal_number, r.policy_number),
            (Some(goal), Some(policy)),
            "record {number}"
        );
    }
}

fn goal_titles(doc: &keikaku::Document) -> Vec<&str> {
    doc.goals
        .iter()
        .map(|g| g.title.as_deref().unwrap())
        .collect()
}

#[test]
fn tama_has_76_records_numbered_1_to_76() {
    let records = convert_records(TAMA_REPORT);
    let numbers: Vec<u32> = records.iter().map(|r| r.number.unwrap()).collect();
    assert_eq!(numbers, (1..=76).collect::<Vec<_>>());
}

#[test]
fn tama_goals_and_policies_follow_the_policy_cells() {
    let records = convert_records(TAMA_REPORT);
    assert_policy(&records, 1..=10, 1, 1);
    assert_policy(&records, 11..=17, 1, 2);
    // Policy (3) of goal 1 opens in a cell wrapped in <p>…</p>.
    assert_policy(&records, 18..=27, 1, 3);
    assert_policy(&records, 28..=37, 2, 1);
    assert_policy(&records, 38..=51, 2, 2);
    assert_policy(&records, 52..=67, 3, 1);
    // Policy (2) of goal 3 stands one column right of its header.
    assert_policy(&records, 68..=72, 3, 2);
    // Policy (3)'s title and its ⇒ description are in two rows.
    assert_policy(&records, 73..=76, 3, 3);
    let r = by_number(&records, 73);
    assert_eq!(r.policy_title.as_deref(), Some("相談・支援体制の充実"));
    assert_eq!(
        r.goal_title.as_deref(),
        Some("見守り・支え合いのネットワークづくり")
    );
    assert!(records.iter().all(|r| r.fiscal_year == Some(2019)));
}

#[test]
fn tama_codes_are_read_and_null_where_the_row_has_none() {
    let records = convert_records(TAMA_REPORT);
    let without_codes: BTreeSet<u32> = [31, 40, 57, 61, 62, 63, 64, 65, 68, 72, 73, 76].into();
    for r in &records {
        let number = r.number.unwrap();
        if without_codes.contains(&number) {
            assert_eq!(
                (r.achievement_code, r.contribution_code.as_deref()),
                (None, None),
                "record {number}"
            );
            assert_eq!(
                (
                    r.achievement_label.as_deref(),
                    r.contribution_label.as_deref()
                ),
                (None, None)
            );
        } else {
            assert!(
                r.achievement_code.is_some() && r.contribution_code.is_some(),
                "record {number}"
            );
        }
    }
    let below_target: Vec<u32> = records
        .iter()
        .filter(|r| r.achievement_code == Some(4))
        .map(|r| r.number.unwrap())
        .collect();
    assert_eq!(below_target, [10, 21, 35]);
    let r = by_number(&records, 21);
    assert_eq!(r.achievement_label.as_deref(), Some("目標を下回った"));
    assert_eq!(r.contribution_code.as_deref(), Some("B"));
    assert_eq!(r.contribution_label.as_deref(), Some("やや貢献している"));
    // Row 5 is marked 【全市的取組】 but does carry codes.
    let r = by_number(&records, 5);
    assert!(r.citywide);
    assert_eq!(
        (r.achievement_code, r.contribution_code.as_deref()),
        (Some(3), Some("A"))
    );
}

#[test]
fn tama_citywide_and_discontinued_flags() {
    let records = convert_records(TAMA_REPORT);
    let citywide: Vec<u32> = records
        .iter()
        .filter(|r| r.citywide)
        .map(|r| r.number.unwrap())
        .collect();
    assert_eq!(citywide, [5, 31, 57, 61, 62, 63, 64, 65, 68, 72, 73, 76]);
    let ended: Vec<u32> = records
        .iter()
        .filter(|r| r.discontinued)
        .map(|r| r.number.unwrap())
        .collect();
    assert_eq!(ended, [40]);
}

#[test]
fn tama_departments_are_split_right() {
    let records = convert_records(TAMA_REPORT);
    let departments = |n| by_number(&records, n).departments.clone();
    assert_eq!(
        departments(24),
        ["保育所等・地域連携担当", "地域ケア推進課"]
    );
    for n in [43, 44, 45] {
        assert_eq!(departments(n), ["保育所等・地域連携担当"], "record {n}");
    }
    assert_eq!(departments(50), ["道路公園センター整備課"]);
    // The department pushed to an eighth column.
    assert_eq!(departments(31), ["高齢・障害課"]);
    assert!(records
        .iter()
        .all(|r| r.departments.len() == 1 || r.number == Some(24)));
}

#[test]
fn tama_split_cells_and_shifted_rows_are_repaired() {
    let records = convert_records(TAMA_REPORT);
    let r = by_number(&records, 41);
    assert_eq!(
        r.name.as_deref(),
        Some("マタニティ食育体験教室・親子料理教室")
    );
    assert!(r
        .status
        .as_deref()
        .unwrap()
        .starts_with("マタニティブラッシング"));
    let r = by_number(&records, 27);
    assert_eq!(
        r.name.as_deref(),
        Some("町内会・自治会への加入促進に向けた広報啓発・情報発信")
    );
    assert_eq!(r.departments, ["地域振興課"]);
    // The evaluation cell of 74 is missing from the source: the status keeps
    // its text and the codes stay in their columns.
    let r = by_number(&records, 74);
    assert!(r.status.as_deref().unwrap().starts_with("1歳半健康診査"));
    assert_eq!(r.evaluation, None);
    assert_eq!(r.achievement_code, Some(3));
    let doc = convert(TAMA_REPORT);
    let codes: BTreeSet<WarningCode> = doc.warnings.iter().map(|w| w.code).collect();
    for code in [
        WarningCode::RowRealigned,
        WarningCode::CellsJoined,
        WarningCode::HtmlRemoved,
        WarningCode::DepartmentsRepaired,
    ] {
        assert!(codes.contains(&code), "no {code:?} warning");
    }
    let missing_74 = doc
        .warnings
        .iter()
        .find(|w| w.line == 101 && w.code == WarningCode::RowRealigned)
        .unwrap();
    assert!(
        missing_74.message.contains("left empty: evaluation"),
        "{}",
        missing_74.message
    );
}

#[test]
fn tama_stray_line_and_html_are_nowhere_in_the_records() {
    let records = convert_records(TAMA_REPORT);
    let all = serde_json::to_string(&records).unwrap();
    assert!(!all.contains("安産"));
    assert!(!all.contains("<p>") && !all.contains("</p>"));
    let doc = convert(TAMA_REPORT);
    assert_eq!(doc.unplaced.len(), 1);
    assert_eq!(doc.unplaced[0].text, "安産1〜10人まで。");
    assert_eq!((doc.unplaced[0].page, doc.unplaced[0].line), (1, 95));
}

#[test]
fn tama_document_tree() {
    let doc = convert(TAMA_REPORT);
    assert_eq!(
        doc.philosophy.as_ref().unwrap().text,
        "多様な主体と多世代がつながる支え合いのまち多摩区"
    );
    let titles = goal_titles(&doc);
    assert_eq!(
        titles,
        [
            "多様な主体が参加する地域づくり",
            "多世代交流でつながる地域づくり",
            "見守り・支え合いのネットワークづくり"
        ]
    );
    let policies: Vec<usize> = doc.goals.iter().map(|g| g.policies.len()).collect();
    assert_eq!(policies, [3, 2, 3]);
    for goal in &doc.goals {
        assert!(
            goal.direction.as_ref().is_some_and(|d| d.text.len() > 100),
            "goal {} direction",
            goal.number
        );
        for policy in &goal.policies {
            assert!(
                policy.description.is_some(),
                "goal {} policy {} description",
                goal.number,
                policy.number
            );
        }
    }
    let continued = &doc.goals[2].policies[2].description.as_ref().unwrap();
    assert_eq!(
        continued.text,
        "様々な関係団体等と連携を強化することで、相談・支援体制の充実を図ります。"
    );
    assert_eq!(doc.goals[1].direction.as_ref().unwrap().span.line_start, 38);
}

#[test]
fn machida_has_156_records_numbered_1_to_156() {
    let records = convert_records(MACHIDA_REPORT);
    let numbers: Vec<u32> = records.iter().map(|r| r.number.unwrap()).collect();
    assert_eq!(numbers, (1..=156).collect::<Vec<_>>());
    assert!(records.iter().all(|r| r.fiscal_year == Some(2024)));
}

#[test]
fn machida_hierarchy_numbers() {
    let records = convert_records(MACHIDA_REPORT);
    let goal_of = |n| by_number(&records, n).goal_number.unwrap();
    assert!((1..=24).all(|n| goal_of(n) == 1), "Ⅰ and I are goal 1");
    assert!((25..=32).all(|n| goal_of(n) == 2));
    assert!((33..=156).all(|n| goal_of(n) == 3));
    let path = |n: u32| {
        let r = by_number(&records, n);
        (
            r.policy_number,
            r.measure_number,
            r.sub_measure_number,
            r.local_number,
        )
    };
    assert_eq!(path(1), (Some(1), Some(1), Some(1), Some(1)));
    assert_eq!(path(3), (Some(1), Some(1), Some(2), Some(2)));
    assert_eq!(path(12), (Some(2), Some(1), Some(1), Some(1)));
    assert_eq!(path(44), (Some(1), Some(1), Some(1), Some(12)));
    assert_eq!(path(107), (Some(2), Some(5), Some(1), Some(1)));
    assert_eq!(path(131), (Some(2), Some(9), Some(1), Some(2)));
    assert_eq!(path(143), (Some(3), Some(1), Some(5), Some(4)));
    // Rows that continue on a new page with no ① heading stay under theirs.
    for (n, local) in [(61, 7), (62, 8), (63, 9), (64, 10)] {
        assert_eq!(
            path(n),
            (Some(1), Some(2), Some(2), Some(local)),
            "record {n}"
        );
        assert_eq!(
            by_number(&records, n).sub_measure_title,
            by_number(&records, 60).sub_measure_title
        );
    }
    for (n, local) in [(76, 3), (83, 10)] {
        assert_eq!(
            path(n),
            (Some(1), Some(3), Some(2), Some(local)),
            "record {n}"
        );
    }
    for (n, local) in [(151, 3), (152, 4)] {
        assert_eq!(
            path(n),
            (Some(3), Some(2), Some(2), Some(local)),
            "record {n}"
        );
        assert_eq!(
            by_number(&records, n).sub_measure_title.as_deref(),
            Some("福祉サービス事業者向けの研修の充実")
        );
    }
    // Two ② headings in a row: two sub-measures, each with its own rows.
    assert_eq!(
        by_number(&records, 153).sub_measure_title.as_deref(),
        Some("地域における包括的支援体制の充実")
    );
    assert_eq!(
        by_number(&records, 155).sub_measure_title.as_deref(),
        Some("地域における相談支援機関の連携・協働の推進")
    );
    assert_eq!(path(155), (Some(3), Some(2), Some(2), Some(1)));
}

#[test]
fn machida_departments_pages_and_marks() {
    let records = convert_records(MACHIDA_REPORT);
    let r = by_number(&records, 40);
    assert_eq!(r.departments, ["子ども家庭支援課", "指導課"]);
    assert_eq!(r.plan_pages, [73]);
    let r = by_number(&records, 27);
    assert_eq!(
        r.departments,
        ["市民協働推進課", "福祉総務課", "町田市社会福祉協議会"]
    );
    assert_eq!(
        by_number(&records, 119).departments,
        ["指導課", "教育センター"]
    );
    assert_eq!(by_number(&records, 104).departments.len(), 7);
    assert_eq!(by_number(&records, 1).plan_pages, [57]);
    assert_eq!(by_number(&records, 156).plan_pages, [99]);
    assert!(records
        .iter()
        .all(|r| !r.departments.is_empty() && r.plan_pages.len() == 1));
    let delayed: Vec<u32> = records
        .iter()
        .filter(|r| r.progress_mark.as_deref() == Some("△"))
        .map(|r| r.number.unwrap())
        .collect();
    assert_eq!(delayed, [6, 46]);
    for r in &records {
        let expected = if r.progress_mark.as_deref() == Some("△") {
            "未実施・進捗遅れ"
        } else {
            "実施"
        };
        assert_eq!(
            r.progress_label.as_deref(),
            Some(expected),
            "record {:?}",
            r.number
        );
    }
}

#[test]
fn machida_reposted_references() {
    let records = convert_records(MACHIDA_REPORT);
    let reposts: Vec<(u32, [Option<u32>; 4])> = records
        .iter()
        .filter_map(|r| {
            let f = r.reposted_from.as_ref()?;
            Some((
                r.number.unwrap(),
                [f.goal, f.policy, f.measure, f.sub_measure],
            ))
        })
        .collect();
    let s = Some;
    assert_eq!(
        reposts,
        [
            (83, [s(3), s(1), s(2), s(1)]),
            (93, [s(3), s(2), s(1), s(1)]),
            (98, [s(1), s(2), s(2), s(1)]),
            (139, [s(3), s(2), s(6), s(1)]),
            (142, [s(1), s(2), s(2), s(1)]),
            (156, [s(3), s(3), s(1), s(3)]),
        ]
    );
}

#[test]
fn machida_titles_are_canonical_and_typos_leave_warnings() {
    let doc = convert(MACHIDA_REPORT);
    let titles = goal_titles(&doc);
    assert_eq!(
        titles,
        [
            "今を生きる自分に合ったつながりをつくる",
            "つながりで地域の活力を生み出す",
            "必要な人に必要な支援が届く仕組みを作る"
        ]
    );
    let variants: Vec<(u32, bool)> = doc
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::HeadingVariant)
        .map(|w| {
            (
                w.line,
                w.message.contains("つながりて") || w.message.contains("必要の人に"),
            )
        })
        .collect();
    assert_eq!(variants, [(101, true), (323, true)]);
    let records = convert_records(MACHIDA_REPORT);
    assert!(records.iter().all(|r| {
        let title = r.goal_title.as_deref().unwrap();
        !title.contains("つながりて") && !title.contains("必要の人に")
    }));
    // Headings repeated at page breaks are kept as occurrences, not lost.
    assert_eq!(doc.goals[2].headings.len(), 12);
    assert_eq!(
        doc.goals
            .iter()
            .map(|g| g.policies.len())
            .collect::<Vec<_>>(),
        [2, 2, 3]
    );
    assert_eq!(
        doc.title.as_ref().unwrap().text,
        "町田市地域ホッとプラン 取組の進捗状況について"
    );
    assert!(doc.unplaced.is_empty(), "{:?}", doc.unplaced);
}

#[test]
fn machida_legend_is_joined_across_lines() {
    let doc = convert(MACHIDA_REPORT);
    let legend: Vec<(&str, &str)> = doc
        .legends
        .iter()
        .map(|e| (e.mark.as_str(), e.label.as_str()))
        .collect();
    assert_eq!(legend, [("○", "実施"), ("△", "未実施・進捗遅れ")]);
    assert_eq!(doc.fiscal_year, Some(2024));
}
