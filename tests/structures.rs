//! The structure corpus (issue 17): short plans in the styles real
//! municipalities use (`fixtures/structures/`, each `<name>.txt` with a
//! hand-written `<name>.expected.json`, see its README). Every case found in
//! the folder is scored: the nodes of its expected tree (goals, policies,
//! measures, sub-measures: a node is its path of numbers and its title)
//! that keikaku gives, the nodes it gives that the tree does not hold, and
//! its 基本理念.
//!
//! The scores go to `target/structure-scores.md`. [`READ`] lists the cases
//! keikaku reads right; the test fails when one of them regresses, and when
//! a case outside the list reads right, so that the list stays exact.
//!
//! The plan's own word for each node's level (`level_word`) is compared
//! node by node. Not compared: `not_headings`, which the node counts cover
//! (a caption read as a heading is an extra node).

mod common;

use common::corpus_cases;
use keikaku::document::Document;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The cases (file stems) that keikaku reads right: every node of the
/// expected tree, no other, and the 基本理念. A case that comes to read
/// right must be added.
const READ: &[&str] = &[
    "bracket-goals-labels",
    "bracket-kihon-mokuhyo-label-sections",
    "chapter-section-action-plan",
    "chapter-section-only",
    "circled-number-after-word",
    "dotted-goals-after-intro-philosophy-quoted",
    "fullwidth-toc",
    "gaiyou-goals-only-figure-legend",
    "gaiyou-bare-shisaku",
    "goal-direction-chart",
    "kihon-hoshin-shisaku-juten-marks",
    "kihon-mokuhyo-colon-juten-shisaku-maru",
    "kihon-mokuhyo-kihon-hoshin-maru",
    "kihon-mokuhyo-space-shisaku-no-hoko-katakana",
    "kobunsho-dai-n",
    "koyobun-dai-number-order",
    "mokuhyo-roman-hoshin-paren",
    "outer-roman-sections-juten-mokuhyo",
    "parenthesized-digit-chars-katakana-paren",
    "policy-circled-pdca",
    "rinen-label-shiten-list",
    "roman-glued-goals-hyphen-policies-jigyo-table",
    "roman-goals-bullets",
    "running-head-footer-glued-policy",
    "section-prefix-kihon-mokuhyo-status-tags",
    "seisaku-shisaku-jigyo",
    "seisaku-shisaku-jigyo-hierarchical-numbers",
    "senryaku-program-textban",
    "shisaku-taikei-chart-then-body",
    "summary-bare-numbered-shisaku-table-captions",
    "taikei-table-rows-wording-differs",
    "textban-page-markers-kakko",
    "toc-kihon-mokuhyo-number-paren-katakana",
];

/// The cases of the hold-out set (`fixtures/structures-holdout/`) that
/// keikaku reads right.
const HOLDOUT_READ: &[&str] = &[];

/// A node of a plan's tree: the numbers from its goal down, and its title
/// folded (NFKC, no white space).
type Node = (Vec<u64>, String);

/// What one case gave.
struct Outcome {
    name: String,
    expected: BTreeSet<Node>,
    found: BTreeSet<Node>,
    philosophy_expected: Option<String>,
    philosophy_found: Option<String>,
    /// The plan's own word for each node's level, by the node's path.
    words_expected: BTreeMap<Vec<u64>, Option<String>>,
    words_found: BTreeMap<Vec<u64>, Option<String>>,
}

impl Outcome {
    fn right(&self) -> usize {
        self.expected.intersection(&self.found).count()
    }

    fn extra(&self) -> usize {
        self.found.difference(&self.expected).count()
    }

    fn philosophy_right(&self) -> bool {
        self.philosophy_expected == self.philosophy_found
    }

    /// The nodes whose level word is the expected one.
    fn words_right(&self) -> usize {
        self.words_expected
            .iter()
            .filter(|(path, word)| self.words_found.get(*path) == Some(word))
            .count()
    }

    fn reads_right(&self) -> bool {
        self.expected == self.found
            && self.philosophy_right()
            && self.words_right() == self.words_expected.len()
    }
}

/// A title as compared: NFKC (full-width letters and brackets as the
/// normalize stage gives them) without white space.
fn fold(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The nodes of an expected tree, level by level (`goals`, `policies`,
/// `measures`, `sub_measures`).
fn expected_nodes(tree: &Value) -> BTreeSet<Node> {
    const LEVELS: [&str; 4] = ["goals", "policies", "measures", "sub_measures"];
    fn walk(items: &Value, level: usize, path: &[u64], out: &mut BTreeSet<Node>) {
        for item in items.as_array().into_iter().flatten() {
            let mut here = path.to_vec();
            here.push(item["number"].as_u64().expect("a node has a number"));
            let title = item["title"].as_str().unwrap_or_default();
            out.insert((here.clone(), fold(title)));
            if let Some(children) = LEVELS.get(level + 1).map(|key| &item[*key]) {
                walk(children, level + 1, &here, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&tree[LEVELS[0]], 0, &[], &mut out);
    out
}

/// The level word of each node of an expected tree, by its path.
fn expected_words(tree: &Value) -> BTreeMap<Vec<u64>, Option<String>> {
    const LEVELS: [&str; 4] = ["goals", "policies", "measures", "sub_measures"];
    fn walk(
        items: &Value,
        level: usize,
        path: &[u64],
        out: &mut BTreeMap<Vec<u64>, Option<String>>,
    ) {
        for item in items.as_array().into_iter().flatten() {
            let mut here = path.to_vec();
            here.push(item["number"].as_u64().expect("a node has a number"));
            out.insert(here.clone(), item["level_word"].as_str().map(fold));
            if let Some(children) = LEVELS.get(level + 1).map(|key| &item[*key]) {
                walk(children, level + 1, &here, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&tree[LEVELS[0]], 0, &[], &mut out);
    out
}

/// The level word of each node of a converted document, by its path.
fn document_words(document: &Document) -> BTreeMap<Vec<u64>, Option<String>> {
    let mut out = BTreeMap::new();
    let word = |w: &Option<String>| w.as_deref().map(fold);
    for goal in &document.goals {
        let g = vec![u64::from(goal.number)];
        out.insert(g.clone(), word(&goal.level_word));
        for policy in &goal.policies {
            let p = [g.clone(), vec![u64::from(policy.number)]].concat();
            out.insert(p.clone(), word(&policy.level_word));
            for measure in &policy.measures {
                let m = [p.clone(), vec![u64::from(measure.number)]].concat();
                out.insert(m.clone(), word(&measure.level_word));
                for sub in &measure.sub_measures {
                    let s = [m.clone(), vec![u64::from(sub.number)]].concat();
                    out.insert(s, word(&sub.level_word));
                }
            }
        }
    }
    out
}

/// The nodes of a converted document, in the same shape.
fn document_nodes(document: &Document) -> BTreeSet<Node> {
    let mut out = BTreeSet::new();
    let title = |t: &Option<String>| fold(t.as_deref().unwrap_or_default());
    for goal in &document.goals {
        let g = vec![u64::from(goal.number)];
        out.insert((g.clone(), title(&goal.title)));
        for policy in &goal.policies {
            let p = [g.clone(), vec![u64::from(policy.number)]].concat();
            out.insert((p.clone(), title(&policy.title)));
            for measure in &policy.measures {
                let m = [p.clone(), vec![u64::from(measure.number)]].concat();
                out.insert((m.clone(), title(&measure.title)));
                for sub in &measure.sub_measures {
                    let s = [m.clone(), vec![u64::from(sub.number)]].concat();
                    out.insert((s, title(&sub.title)));
                }
            }
        }
    }
    out
}

fn outcome(name: String, text: &Path, expected: &Value) -> Outcome {
    let document = keikaku::convert_path(text)
        .unwrap_or_else(|e| panic!("{}: does not convert: {e}", text.display()));
    Outcome {
        name,
        expected: expected_nodes(expected),
        found: document_nodes(&document),
        philosophy_expected: expected["philosophy"].as_str().map(fold),
        philosophy_found: document.philosophy.as_ref().map(|p| fold(&p.text)),
        words_expected: expected_words(expected),
        words_found: document_words(&document),
    }
}

/// Scores every case of `fixtures/<folder>`, writes the table to
/// `target/<scores>`, and checks that `read` lists exactly the cases read
/// right.
fn score_folder(folder: &str, read: &[&str], scores: &str, min_cases: usize) {
    let cases = corpus_cases(folder);
    assert!(
        cases.len() >= min_cases,
        "fixtures/{folder} holds {} cases",
        cases.len()
    );
    let outcomes: Vec<Outcome> = cases
        .iter()
        .map(|(name, text, expected)| outcome(name.clone(), text, expected))
        .collect();

    let mut markdown = String::from(
        "| case | nodes right | extra nodes | level words right | 基本理念 | read right |\n|---|---:|---:|---:|---|---|\n",
    );
    let (mut right, mut expected, mut extra, mut words, mut words_expected) = (0, 0, 0, 0, 0);
    for o in &outcomes {
        right += o.right();
        expected += o.expected.len();
        extra += o.extra();
        words += o.words_right();
        words_expected += o.words_expected.len();
        let philosophy = match (&o.philosophy_expected, o.philosophy_right()) {
            (None, true) => "none, none found",
            (None, false) => "none, one found",
            (Some(_), true) => "right",
            (Some(_), false) => "wrong",
        };
        writeln!(
            markdown,
            "| {} | {}/{} | {} | {}/{} | {} | {} |",
            o.name,
            o.right(),
            o.expected.len(),
            o.extra(),
            o.words_right(),
            o.words_expected.len(),
            philosophy,
            if o.reads_right() { "yes" } else { "no" }
        )
        .unwrap();
    }
    writeln!(
        markdown,
        "| **all {} cases** | {right}/{expected} | {extra} | {words}/{words_expected} | {} right | {} |",
        outcomes.len(),
        outcomes.iter().filter(|o| o.philosophy_right()).count(),
        outcomes.iter().filter(|o| o.reads_right()).count()
    )
    .unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(scores);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &markdown).unwrap();
    println!("{markdown}\n(written to {})", path.display());

    for o in &outcomes {
        let listed = read.contains(&o.name.as_str());
        assert_eq!(
            listed,
            o.reads_right(),
            "{}: {}",
            o.name,
            if listed {
                "listed as read right but no longer read right"
            } else {
                "reads right now: list it as read right"
            }
        );
    }
    for name in read {
        assert!(
            outcomes.iter().any(|o| o.name == *name),
            "{name} is listed as read right but not in fixtures/{folder}"
        );
    }
}

#[test]
fn structure_corpus_is_scored_and_read_lists_the_cases_read_right() {
    score_folder("structures", READ, "structure-scores.md", 12);
}

/// A hold-out set judges the rules on plans written after them, by an
/// author who did not read them: it is scored, not tuned to.
/// [`HOLDOUT_READ`] lists its cases read right, so the list stays exact
/// as the rules improve.
#[test]
fn structure_hold_out_is_scored_and_its_list_is_exact() {
    score_folder(
        "structures-holdout",
        HOLDOUT_READ,
        "structure-holdout-scores.md",
        5,
    );
}

#[test]
fn a_tree_is_compared_node_by_node_with_titles_folded() {
    let tree: Value = serde_json::json!({
        "goals": [{"number": 1, "title": "地域で　支え合う", "policies": [
            {"number": 2, "title": "ＳＮＳの活用", "measures": []}
        ]}]
    });
    let nodes = expected_nodes(&tree);
    assert_eq!(
        nodes,
        BTreeSet::from([
            (vec![1], "地域で支え合う".to_string()),
            (vec![1, 2], "SNSの活用".to_string()),
        ])
    );
}

/// The prefectural plan of `../shared/real-txt` (a 障害福祉計画, whole, as a
/// third party extracted it) has no 基本目標 and no 施策体系: its README says
/// zero goals is the right answer, and that its 基本理念 is the paragraph
/// under 「3　計画の基本的理念」. Its 第1…第9 chapters, 圏域 sections and
/// 条例 articles make no goals.
#[test]
#[cfg_attr(not(shared_real_txt), ignore = "../shared/real-txt is not present")]
fn the_real_prefectural_plan_makes_up_no_goals_and_finds_its_philosophy() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-txt/fukushima_pref_dai7ki_shougai_fukushi_keikaku_full.txt");
    let document = keikaku::convert_path(&path).expect("the real plan converts");
    assert!(document.goals.is_empty(), "{} goals", document.goals.len());
    // The structure is unclear, and the document says so.
    assert!(document
        .warnings
        .iter()
        .any(|w| w.code == keikaku::document::WarningCode::StructureUncertain));
    let philosophy = document.philosophy.expect("a 基本理念");
    assert!(philosophy.text.starts_with("共生社会を実現するため"));
    assert!(philosophy.text.ends_with("この計画を策定します。"));
    assert_eq!(philosophy.label.as_deref(), Some("3 計画の基本的理念"));
}
