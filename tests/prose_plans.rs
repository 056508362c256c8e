//! The prose plans' acceptance points, checked against what the source text
//! says (read by hand from the fixture inputs), independently of the golden
//! files.

mod common;

use common::*;
use keikaku::document::{Document, Policy, Section, SectionKind, WarningCode};

fn goal_titles(doc: &Document) -> Vec<&str> {
    doc.goals
        .iter()
        .map(|g| g.title.as_deref().unwrap_or_default())
        .collect()
}

fn policy_titles(policies: &[Policy]) -> Vec<(u32, &str, bool)> {
    policies
        .iter()
        .map(|p| (p.number, p.title.as_deref().unwrap_or_default(), p.priority))
        .collect()
}

fn warning_lines(doc: &Document, code: WarningCode) -> Vec<u32> {
    doc.warnings
        .iter()
        .filter(|w| w.code == code)
        .map(|w| w.line)
        .collect()
}

fn json(doc: &Document) -> String {
    serde_json::to_string(doc).unwrap()
}

/// The document's JSON without its warnings, which quote the source as it
/// was (a doubling warning holds the doubled original).
fn placed_json(doc: &Document) -> String {
    let mut value = serde_json::to_value(doc).unwrap();
    value.as_object_mut().unwrap().remove("warnings");
    value.to_string()
}

// --- Seed 003: the 6th plan's goals and policies ---------------------------

#[test]
fn plan6_goals_policies_and_priorities() {
    let doc = convert(TAMA_PLAN6_DRAFT);
    assert_eq!(
        goal_titles(&doc),
        [
            "多様な主体が参加する地域づくり",
            "多世代交流でつながる地域づくり",
            "見守り・支え合いのネットワークづくり"
        ]
    );
    assert_eq!(
        policy_titles(&doc.goals[0].policies),
        [
            (1, "情報提供の拡充", true),
            (2, "地域で活躍する人材の育成", false),
            (3, "地域活動への支援", false)
        ]
    );
    assert_eq!(
        policy_titles(&doc.goals[1].policies),
        [
            (1, "身近な地域での交流の促進", false),
            (2, "地域の支え合い活動の推進", true)
        ]
    );
    assert_eq!(
        policy_titles(&doc.goals[2].policies),
        [
            (1, "支援につながる仕組みづくり", false),
            (2, "区民・団体・民間・行政の連携", true)
        ]
    );
}

#[test]
fn plan6_goal_descriptions_are_unbroken_paragraphs() {
    let doc = convert(TAMA_PLAN6_DRAFT);
    let first = &doc.goals[0].descriptions[0];
    assert_eq!(
        first.text,
        "地域福祉を推進するためには、区民一人ひとりが、自分自身のことや住んでいる地域に目を向け、できることに取り組んでいくことが必要です。また、多摩区では地域で様々な地域福祉活動が行われており、多様な主体が日々、地域をより良くするために活動しています。"
    );
    assert_eq!((first.span.line_start, first.span.line_end), (6, 10));
    let counts: Vec<usize> = doc.goals.iter().map(|g| g.descriptions.len()).collect();
    assert_eq!(counts, [3, 3, 3]);
    for goal in &doc.goals {
        for paragraph in &goal.descriptions {
            assert!(paragraph.text.ends_with('。'), "{:?}", paragraph.text);
        }
    }
    // The wrap inside `LGBT の方など` / `様々な背景` joins with no space.
    assert!(doc.goals[1].descriptions[0]
        .text
        .contains("LGBT の方など様々な背景を持つ方"));
}

#[test]
fn plan6_priority_sections_go_to_their_policies() {
    let doc = convert(TAMA_PLAN6_DRAFT);
    let section = |g: usize, p: usize| -> &Section {
        let sections = &doc.goals[g].policies[p].sections;
        assert_eq!(sections.len(), 1, "goal {} policy {}", g + 1, p + 1);
        &sections[0]
    };
    let first = section(0, 0);
    assert_eq!(first.kind, SectionKind::Priority);
    assert_eq!(first.title.as_deref(), Some("情報提供の拡充"));
    assert_eq!(
        first.subtitle.as_deref(),
        Some("より多くの区民に地域福祉への理解と関心を広める")
    );
    assert_eq!(first.paragraphs.len(), 2);
    assert!(first.paragraphs[1]
        .text
        .ends_with("効果的な内容に工夫していきます。"));
    assert_eq!(
        section(1, 1).subtitle.as_deref(),
        Some("身近な地域での支え合い活動の推進")
    );
    // Goal 3's section is titled with goal 2's policy (a slip in the
    // source); it goes to the goal's one ◎ policy, with a warning.
    assert_eq!(
        section(2, 1).subtitle.as_deref(),
        Some("分野を横断した連携体制の充実")
    );
    assert_eq!(warning_lines(&doc, WarningCode::SectionAttached), [103]);
    assert!(doc.goals[2].policies[0].sections.is_empty());
}

#[test]
fn plan6_policies_listed_without_a_marker_are_inferred_with_warnings() {
    let doc = convert(TAMA_PLAN6_DRAFT);
    assert_eq!(
        warning_lines(&doc, WarningCode::HeadingInferred),
        [24, 26, 64, 101]
    );
    assert!(doc.unplaced.is_empty());
}

// --- Seed 001: the 7th plan's chapter on goal 2 ----------------------------

#[test]
fn plan7_goal_2_with_its_two_policies() {
    let doc = convert(TAMA_PLAN7_CHAPTER);
    assert_eq!(doc.goals.len(), 1);
    assert_eq!(doc.goals[0].number, 2);
    assert_eq!(
        doc.goals[0].title.as_deref(),
        Some("多世代交流で つながる地域づくり")
    );
    assert_eq!(
        policy_titles(&doc.goals[0].policies),
        [
            (1, "誰もが気軽に参加できる活動・交流の機会づくり", false),
            (2, "身近な地域での支え合い活動の推進", true)
        ]
    );
    // `基本方針 2-2` and its 【title】 are the same policy again.
    let headings: Vec<u32> = doc.goals[0].policies[1]
        .headings
        .iter()
        .map(|h| h.line)
        .collect();
    assert!(
        headings.contains(&45) && headings.contains(&47),
        "{headings:?}"
    );
}

#[test]
fn plan7_listed_initiatives_with_categories_and_pages() {
    let records = convert_records(TAMA_PLAN7_CHAPTER);
    let listed: Vec<(&str, &str, Vec<u32>)> = records
        .iter()
        .map(|r| {
            (
                r.name.as_deref().unwrap(),
                r.category.as_deref().unwrap(),
                r.plan_pages.clone(),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, Vec<u32>)> = vec![
        ("多摩区子育て支援パスポート事業", "子ども・子育て", vec![92]),
        ("子育てサロン・子育てひろば", "子ども・子育て", vec![92]),
        ("子ども子育て推進事業", "子ども・子育て", vec![92]),
        ("身体測定・遊びの広場", "子ども・子育て", vec![92]),
        (
            "子育てひろば・外国人の子育てひろば",
            "子ども・子育て",
            vec![92],
        ),
        ("たまたま子育てまつり", "子ども・子育て", vec![92]),
        (
            "障がい者と地域住民の交流の場 「障がい者社会参加学習活動」",
            "高齢者・障がい者",
            vec![93],
        ),
        (
            "「Anker フロントウン生田」との連携イベント・教室",
            "地域・防災・暮らし",
            vec![93],
        ),
        ("多摩区スポーツフェスタ", "地域・防災・暮らし", vec![93]),
        (
            "川崎市多摩スポーツセンターの運営",
            "地域・防災・暮らし",
            vec![93],
        ),
        ("魅力的な公園整備事業", "地域・防災・暮らし", vec![93]),
        ("地域包括ケアシステムの推進", "地域・防災・暮らし", vec![94]),
        (
            "地区カルテ等を活用した地域ごとの情報の集約と見える化",
            "地域・防災・暮らし",
            vec![94],
        ),
        ("多摩区・3大学連携事業", "地域・防災・暮らし", vec![94]),
        (
            "生田地区コミュニティ推進事業",
            "地域・防災・暮らし",
            vec![94],
        ),
    ];
    assert_eq!(listed, expected);
    for r in &records {
        assert_eq!((r.goal_number, r.policy_number), (Some(2), Some(2)));
        assert_eq!(r.number, None);
    }
}

#[test]
fn plan7_data_call_outs_keep_their_sources() {
    let doc = convert(TAMA_PLAN7_CHAPTER);
    let data: Vec<(&str, &str, usize)> = doc.goals[0].policies[1]
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Data)
        .map(|s| {
            (
                s.label.as_deref().unwrap(),
                s.notes[0].text.as_str(),
                s.paragraphs.len(),
            )
        })
        .collect();
    assert_eq!(
        data,
        [
            ("DATA 2-1", "資料:令和4年度川崎市地域福祉実態調査", 2),
            ("DATA 2-2", "資料:令和4年度川崎市地域福祉実態調査", 2)
        ]
    );
    let highlights: Vec<&str> = doc.goals[0].policies[1]
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Highlight)
        .map(|s| s.title.as_deref().unwrap())
        .collect();
    assert_eq!(highlights.len(), 7);
    assert_eq!(highlights[1], "たまたま子育てまつり");
}

// --- Seed 002: the social welfare council's summary ------------------------

/// The ten actions (取組) the label `…川崎市社協10の取組` counts stand above
/// it as titled paragraphs; the seventh's title is printed under its text.
#[test]
fn shakyo_ten_actions_counted_by_their_label() {
    let doc = convert(SHAKYO_SUMMARY);
    let actions: Vec<(u32, &str, usize)> = doc
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Action)
        .map(|s| {
            (
                s.number.unwrap(),
                s.title.as_deref().unwrap(),
                s.paragraphs.len(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            (1, "「伝わる」広報・啓発", 1),
            (2, "福祉人材の発掘・育成・支援", 1),
            (3, "場づくり・機会づくり", 1),
            (4, "活用の見える化〜寄附文化の醸成〜", 1),
            (5, "住民主体の活動の振興", 1),
            (6, "多種多様な社会資源同士の連携強化と協働", 1),
            (7, "持続可能な地域福祉の推進に向けた調査研究の強化", 1),
            (8, "「ふくし」の心が育つ取組", 1),
            (9, "多様化する地域課題・生活課題への対応", 1),
            (10, "災害に強い地域づくり", 1),
        ]
    );
    let seventh = &doc.sections[6].paragraphs[0].text;
    assert!(seventh.ends_with("調査研究を強化します。"), "{seventh}");
}

#[test]
fn shakyo_philosophy_and_four_goals_without_doubling() {
    let doc = convert(SHAKYO_SUMMARY);
    let philosophy = doc.philosophy.as_ref().expect("a 基本理念");
    assert_eq!(
        philosophy.text,
        "みんなで支えあいともに安心してその人らしく暮らせる川崎のまちづくり"
    );
    assert_eq!(
        philosophy.subtitle.as_deref(),
        Some("ともに目指す地域共生社会の実現")
    );
    assert_eq!(
        (philosophy.span.line_start, philosophy.span.line_end),
        (11, 17)
    );
    assert_eq!(
        goal_titles(&doc),
        [
            "認め合い支え合う心を広げよう",
            "みんなが参加できる地域をつくろう",
            "寄り添い支え合える地域のネットワークをつくろう",
            "未来の福祉を共創しよう"
        ]
    );
    let heading_lines: Vec<u32> = doc.goals.iter().map(|g| g.headings[0].line).collect();
    assert_eq!(heading_lines, [30, 32, 34, 35]);
}

#[test]
fn shakyo_heading_of_the_ten_initiatives_is_read_once() {
    let doc = convert(SHAKYO_SUMMARY);
    assert!(doc
        .preamble
        .iter()
        .any(|t| t.text == "地域共生社会の実現に向けた川崎市社協10の取組"));
    assert!(!placed_json(&doc).contains("川崎市社協川崎市社協"));
    assert!(
        json(&doc).contains("川崎市社協川崎市社協"),
        "the warning keeps the original"
    );
}

#[test]
fn shakyo_priorities_with_their_titles_and_actions() {
    let doc = convert(SHAKYO_SUMMARY);
    let priorities: Vec<(Option<u32>, &str, Vec<&str>)> = doc
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Priority)
        .map(|s| {
            (
                s.number,
                s.title.as_deref().unwrap(),
                s.actions.iter().map(|a| a.text.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        priorities,
        [
            (
                Some(1),
                "総合相談の充実と適切な支援の実施",
                vec!["総合相談充実、地域福祉サービスの充実強化、災害支援ボランティア活動の推進"]
            ),
            (
                Some(3),
                "地域ネットワークの強化と地域福祉活動推進のための財源確保",
                vec!["関係機関との連携強化、会員間の連携強化、地域福祉活動推進のための財源の確保と活用、安定的に持続した組織基盤づくり"]
            ),
            (
                Some(4),
                "福祉教育等の推進による新たな地域福祉の担い手の育成",
                vec!["福祉教育の推進と、ボランティア活動の啓発による担い手の育成、広報・情報提供の充実"]
            ),
            (
                Some(2),
                "多世代交流の促進と地域福祉活動の啓発・推進",
                vec!["子育て支援の展開、小地域活動の推進、他団体の各種行事の協力・助成、社会福祉大会の開催による啓発活動"]
            ),
        ]
    );
    // The layout scrambled the reading order: every block was placed by
    // resemblance, and says so (line 74: the paragraph of the seventh
    // action, printed above its title).
    assert_eq!(
        warning_lines(&doc, WarningCode::SectionAttached),
        [74, 104, 136, 166, 186]
    );
}

#[test]
fn shakyo_replacement_characters_are_removed_with_a_warning() {
    let doc = convert(SHAKYO_SUMMARY);
    assert!(!json(&doc).contains('\u{FFFD}'));
    assert_eq!(warning_lines(&doc, WarningCode::CharacterRemoved), [34]);
}

// --- All fixtures ------------------------------------------------------------

#[test]
fn only_fake_bold_lines_are_undoubled() {
    let expected: &[(&str, &[u32])] = &[
        (TAMA_REPORT, &[]),
        (MACHIDA_REPORT, &[]),
        (TAMA_PLAN7_CHAPTER, &[]),
        (TAMA_PLAN6_DRAFT, &[]),
        (
            SHAKYO_SUMMARY,
            &[11, 12, 14, 15, 17, 21, 30, 32, 34, 35, 98],
        ),
    ];
    for (stem, lines) in expected {
        assert_eq!(
            warning_lines(&convert(stem), WarningCode::DoubledText),
            *lines,
            "{stem}"
        );
    }
}

#[test]
fn real_repetition_survives_in_every_output() {
    for stem in ALL_FIXTURES {
        let input = input_text(stem);
        let output = json(&convert(stem));
        for word in [
            "たまたま子育てまつり",
            "いろいろ",
            "ますます",
            "人々",
            "様々",
        ] {
            if input.contains(word) {
                assert!(output.contains(word), "{stem}: {word} lost");
            }
        }
    }
    assert!(json(&convert(TAMA_PLAN7_CHAPTER)).contains("たまたま子育てまつり"));
}
