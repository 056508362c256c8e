//! The indicator and progress-table corpus (issue 19): short plans and
//! reports with KPI tables, indicator lines and evaluation tables in the
//! styles real municipalities use (`fixtures/indicators/`, each
//! `<name>.txt` with a hand-written `<name>.expected.json`, see its
//! README), and the hold-out sets `fixtures/indicators-holdout/`,
//! `fixtures/indicators-holdout2/` and `fixtures/indicators-holdout3/` (the
//! last two also printed as PDF), written after the rules and not tuned to.
//!
//! Each case's indicator records and initiative records are compared with
//! the expected ones item by item, field by field (every field the expected
//! file gives). The scores go to `target/indicator-scores.md` and `target/indicator-holdout-scores.md`; [`READ`] and
//! [`HOLDOUT_READ`] list the cases read right, and the test fails when a
//! listed case regresses or an unlisted one comes to read right, so the
//! lists stay exact.

mod common;

use common::corpus_cases;
use keikaku::records::{records, Record, RecordKind};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The corpus cases keikaku reads right, every field of every item.
const READ: &[&str] = &[
    "final-report-indicator-lines-achievement",
    "jigyo-hyoka-sheet-sabc-footnote-extra-column",
    "kpi-yearly-actuals-achievement-rate",
    "label-line-indicators-genjo-dai7ki",
    "mark-legend-in-header-and-word-scale-shinchoku",
    "progress-table-abcd-legend-above",
    "seika-shihyo-unit-column-per-goal",
    "sogo-senryaku-kpi-table-fullwidth-cells",
];

/// The corpus cases whose PDF (`fixtures/indicators/pdf/<name>.chromium.pdf`,
/// printed by `make_pdfs.py` with ruled tables) keikaku reads as right as
/// their text.
const PDF_READ: &[&str] = &[
    "final-report-indicator-lines-achievement",
    "jigyo-hyoka-sheet-sabc-footnote-extra-column",
    "kpi-yearly-actuals-achievement-rate",
    "label-line-indicators-genjo-dai7ki",
    "mark-legend-in-header-and-word-scale-shinchoku",
    "progress-table-abcd-legend-above",
    "seika-shihyo-unit-column-per-goal",
    "sogo-senryaku-kpi-table-fullwidth-cells",
];

/// The hold-out cases keikaku reads right.
const HOLDOUT_READ: &[&str] = &[
    "five-level-digit-rating-legend",
    "midterm-baseline-interim-target",
    "word-grades-legend-lines-second-department",
    "year-in-cell-direction-source",
];

/// The cases of the second hold-out set keikaku reads right, from their
/// text and from their PDF.
const HOLDOUT2_READ: &[&str] = &[
    "bunya-kpi-year-columns-five-grade-footnote",
    "kpi-table-unit-column-roman-goals",
    "numeric-targets-legend-table-direction-words",
    "seisaku-shisaku-indicator-lines-header-cell-legend",
    "welfare-plan-numbered-records-word-scale-second-table",
];
const HOLDOUT2_PDF_READ: &[&str] = &[
    "bunya-kpi-year-columns-five-grade-footnote",
    "kpi-table-unit-column-roman-goals",
    "numeric-targets-legend-table-direction-words",
    "seisaku-shisaku-indicator-lines-header-cell-legend",
    "welfare-plan-numbered-records-word-scale-second-table",
];

/// The same for the third hold-out set.
const HOLDOUT3_READ: &[&str] = &["kenko-zoshin-unit-column-midterm-judgement"];
const HOLDOUT3_PDF_READ: &[&str] = &["kenko-zoshin-unit-column-midterm-judgement"];

/// Strings compared after NFKC and with runs of white space collapsed.
/// The wave dash is one character whichever code the file used (`～`
/// U+FF5E, `〜` U+301C; NFKC makes the first `~`): keikaku writes `〜`.
fn fold(text: &str) -> String {
    let folded: String = text
        .nfkc()
        .map(|c| if c == '~' { '〜' } else { c })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `found` is what `expected` says, for one field: strings folded,
/// numbers to 0.05, objects on the keys the expected one gives, lists item
/// by item.
fn same(expected: &Value, found: &Value) -> bool {
    match (expected, found) {
        (Value::String(e), Value::String(f)) => fold(e) == fold(f),
        (Value::Number(e), Value::Number(f)) => {
            (e.as_f64().unwrap_or(f64::NAN) - f.as_f64().unwrap_or(f64::NAN)).abs() < 0.05
        }
        (Value::Object(e), Value::Object(f)) => {
            // Keys are strings too (an `extra` cell's header as printed).
            let found: std::collections::BTreeMap<String, &Value> =
                f.iter().map(|(k, v)| (fold(k), v)).collect();
            e.len() == f.len()
                && e.iter()
                    .all(|(k, v)| found.get(&fold(k)).is_some_and(|f| same(v, f)))
        }
        (Value::Array(e), Value::Array(f)) => {
            e.len() == f.len() && e.iter().zip(f).all(|(e, f)| same(e, f))
        }
        (e, f) => e == f,
    }
}

/// The differences between the expected items and the records found, as
/// `item n: field: expected … found …` lines, and the count of fields right.
fn compare(what: &str, expected: &[Value], found: &[Value]) -> (Vec<String>, usize, usize) {
    let mut problems = Vec::new();
    let (mut right, mut total) = (0, 0);
    if expected.len() != found.len() {
        problems.push(format!(
            "{what}: {} expected, {} found",
            expected.len(),
            found.len()
        ));
    }
    for (n, item) in expected.iter().enumerate() {
        let fields = item.as_object().expect("an expected item is an object");
        let record = found.get(n).cloned().unwrap_or(Value::Null);
        for (field, value) in fields {
            total += 1;
            let got = record.get(field).cloned().unwrap_or(Value::Null);
            if same(value, &got) {
                right += 1;
            } else {
                problems.push(format!("{what} {n}: {field}: expected {value} found {got}"));
            }
        }
    }
    (problems, right, total)
}

struct Outcome {
    name: String,
    problems: Vec<String>,
    right: usize,
    total: usize,
    items: usize,
}

fn as_values(records: &[Record], kind: RecordKind) -> Vec<Value> {
    records
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| serde_json::to_value(r).expect("a record is JSON"))
        .collect()
}

fn outcome(name: &str, text: &Path, expected: &Value) -> Outcome {
    let document = keikaku::convert_path(text)
        .unwrap_or_else(|e| panic!("{}: does not convert: {e}", text.display()));
    let found = records(&document);
    let list = |key: &str| expected[key].as_array().cloned().unwrap_or_default();
    let (mut problems, mut right, mut total) = (Vec::new(), 0, 0);
    for (key, kind) in [
        ("indicators", RecordKind::Indicator),
        ("records", RecordKind::Initiative),
    ] {
        let (p, r, t) = compare(key, &list(key), &as_values(&found, kind));
        problems.extend(p);
        right += r;
        total += t;
    }
    Outcome {
        name: name.to_string(),
        problems,
        right,
        total,
        items: list("indicators").len() + list("records").len(),
    }
}

/// Scores a folder into `markdown` and checks that `read` is exactly the
/// cases read right.
fn score(folder: &str, read: &[&str], min_cases: usize, scores: &str) {
    score_cases(folder, corpus_cases(folder), read, min_cases, scores);
}

/// Scores `cases` (name, input, expected) into `target/<scores>` and checks
/// that `read` is exactly the cases read right.
fn score_cases(
    folder: &str,
    cases: Vec<(String, PathBuf, Value)>,
    read: &[&str],
    min_cases: usize,
    scores: &str,
) {
    let mut markdown = String::new();
    assert!(
        cases.len() >= min_cases,
        "fixtures/{folder} holds {} cases",
        cases.len()
    );
    let outcomes: Vec<Outcome> = cases
        .iter()
        .map(|(name, text, expected)| outcome(name, text, expected))
        .collect();
    writeln!(
        markdown,
        "\n## {folder}\n\n| case | items | fields right | read right |\n|---|---:|---:|---|"
    )
    .unwrap();
    let (mut right, mut total) = (0, 0);
    for o in &outcomes {
        right += o.right;
        total += o.total;
        writeln!(
            markdown,
            "| {} | {} | {}/{} | {} |",
            o.name,
            o.items,
            o.right,
            o.total,
            if o.problems.is_empty() { "yes" } else { "no" }
        )
        .unwrap();
    }
    writeln!(markdown, "| all | | {right}/{total} | |").unwrap();
    let mut wrong = Vec::new();
    for o in &outcomes {
        let listed = read.contains(&o.name.as_str());
        if listed && !o.problems.is_empty() {
            wrong.push(format!(
                "{} is listed as read right but:\n  {}",
                o.name,
                o.problems.join("\n  ")
            ));
        }
        if !listed && o.problems.is_empty() {
            wrong.push(format!("{} reads right: add it to the list", o.name));
        }
        if !o.problems.is_empty() {
            writeln!(
                markdown,
                "\n### {}\n\n```\n{}\n```",
                o.name,
                o.problems.join("\n")
            )
            .unwrap();
        }
    }
    for name in read {
        assert!(
            outcomes.iter().any(|o| o.name == *name),
            "{name} is listed but not in fixtures/{folder}"
        );
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).ok();
    std::fs::write(target.join(scores), markdown.as_bytes()).ok();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_indicator_corpus_reads_as_its_expected_records() {
    score("indicators", READ, 6, "indicator-scores.md");
}

/// The cases of `folder` printed as PDF (`<folder>/pdf/<name>.chromium.pdf`,
/// ruled tables, Chromium), each expected to give what its text gives.
fn pdf_cases(folder: &str) -> Vec<(String, PathBuf, Value)> {
    corpus_cases(folder)
        .into_iter()
        .map(|(name, text, expected)| {
            let pdf = text
                .with_file_name("pdf")
                .join(format!("{name}.chromium.pdf"));
            (name, pdf, expected)
        })
        .collect()
}

/// The corpus printed as PDF: each PDF gives the records its text gives.
#[test]
fn the_indicator_corpus_printed_as_pdf_reads_as_its_text() {
    score_cases(
        "indicators/pdf",
        pdf_cases("indicators"),
        PDF_READ,
        6,
        "indicator-pdf-scores.md",
    );
}

#[test]
fn the_indicator_holdout_reads_as_its_expected_records() {
    score(
        "indicators-holdout",
        HOLDOUT_READ,
        4,
        "indicator-holdout-scores.md",
    );
}

/// The second hold-out set, written blind after the rules of the first
/// (`fixtures/indicators-holdout2/`), as text and printed as PDF.
#[test]
fn the_second_indicator_holdout_reads_as_its_expected_records() {
    score(
        "indicators-holdout2",
        HOLDOUT2_READ,
        5,
        "indicator-holdout2-scores.md",
    );
    score_cases(
        "indicators-holdout2/pdf",
        pdf_cases("indicators-holdout2"),
        HOLDOUT2_PDF_READ,
        5,
        "indicator-holdout2-pdf-scores.md",
    );
}

/// The third hold-out set, written blind after the rules the first two
/// showed (`fixtures/indicators-holdout3/`), as text and printed as PDF.
#[test]
fn the_third_indicator_holdout_reads_as_its_expected_records() {
    score(
        "indicators-holdout3",
        HOLDOUT3_READ,
        5,
        "indicator-holdout3-scores.md",
    );
    score_cases(
        "indicators-holdout3/pdf",
        pdf_cases("indicators-holdout3"),
        HOLDOUT3_PDF_READ,
        5,
        "indicator-holdout3-pdf-scores.md",
    );
}
