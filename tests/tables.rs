//! The table corpus (issue 18): the two progress reports printed as the
//! tables offices print (`fixtures/tables/`, made by
//! `fixtures/tables/make_tables.py`): with no vertical rules, with no rules
//! at all, as a grid of cell fills, kept in a spreadsheet and printed by
//! LibreOffice Calc (print titles, merged heading rows, a column merged
//! down), kept in Word and printed by LibreOffice Writer, with a header
//! wrapped over several lines, with rows split by page breaks.
//!
//! Every PDF found there must give the records of the text it was printed
//! from, field by field (locations left out). The scores go to
//! `target/table-scores.md`, beside what the civic-tech volunteer's script
//! gives (`pdftotext -layout`, each line cut into cells at runs of two
//! spaces or more, read as a text file), when `pdftotext` is on `PATH`.

// The tests read outputs with regexes of their own, on one thread: the
// per-thread patterns clippy.toml asks for are the library's.
#![allow(clippy::disallowed_types)]

mod common;

use common::{
    fixture_dir, input_path, json_differences, pdftotext, pdftotext_available, record_fields,
};
use keikaku::Document;
use rayon::prelude::*;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The corpus holds at least this many PDFs: seven layouts of two reports.
const CASES_AT_LEAST: usize = 14;

/// How many differences a failing case shows.
const SHOWN_DIFFERENCES: usize = 5;

/// The fields whose text the PDF does not hold whole: a space of the text
/// that falls where the producer wrapped the line, which LibreOffice
/// Writer does not draw (no glyph, no gap: the line is full). `(case,
/// record, field)`; each must differ from the text by missing spaces alone,
/// and the list is exact (a field that comes to read right must leave it).
const SPACES_NOT_PRINTED: &[(&str, usize, &str)] = &[
    ("tama-progress-report-fy2019.docx.writer", 8, "status"),
    ("tama-progress-report-fy2019.docx.writer", 36, "status"),
    ("tama-progress-report-fy2019.docx.writer", 43, "evaluation"),
];

/// The hold-out set (`fixtures/tables-holdout/`): short progress reports of
/// other municipalities, each printed in a table style unlike the corpus's
/// (tab stops, a borderless sheet with cells set at the bottom, booktabs
/// rules, zebra bands, a reportlab grid, vertical rules only), written by
/// an author who did not read the code. The cases keikaku reads right, every
/// record field for field; the list is exact.
const HOLDOUT_READ: &[&str] = &[
    "aobagaoka-progress-report-fy2024.tab-stops.writer",
    "midorigahara-ward-progress-report-fy2019.zebra.chromium",
    "minase-progress-report-fy2019.vertical-rules-landscape.writer",
    "shiomihama-progress-report-fy2024.booktabs.chromium",
    "shirakabadai-progress-report-fy2024.thin-grid.reportlab",
];

/// One PDF of a folder: `<fixture>.<layout>.<producer>.pdf`, and the text
/// it was printed from.
struct Case {
    name: String,
    text: PathBuf,
    pdf: PathBuf,
}

/// The PDFs of `fixtures/<folder>`; their texts are the fixture inputs
/// (`fixtures/input/<fixture>.txt`) or, when `beside`, the `.txt` of the
/// same fixture in the folder.
fn cases(folder: &str, beside: bool) -> Vec<Case> {
    let dir = fixture_dir().join(folder);
    let mut cases: Vec<Case> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures/{folder} is readable: {e}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .map(|pdf| {
            let name = pdf.file_stem().unwrap().to_string_lossy().into_owned();
            let fixture = name.split('.').next().unwrap();
            let text = if beside {
                dir.join(format!("{fixture}.txt"))
            } else {
                input_path(fixture)
            };
            Case { name, text, pdf }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Records found and fields right, against the text's records.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    records: usize,
    expected_records: usize,
    fields_right: usize,
    fields: usize,
}

impl Score {
    fn all_right(&self) -> bool {
        self.records == self.expected_records && self.fields_right == self.fields
    }

    fn cell(&self) -> String {
        format!(
            "{}/{} | {}/{}",
            self.records, self.expected_records, self.fields_right, self.fields
        )
    }
}

/// Compares records by their place in the list, field by field: a record
/// missing counts all its fields wrong.
fn score(expected: &[Value], actual: &[Value]) -> Score {
    let mut score = Score {
        records: actual.len(),
        expected_records: expected.len(),
        ..Score::default()
    };
    for (index, want) in expected.iter().enumerate() {
        let fields = want.as_object().expect("a record is an object");
        let got = actual.get(index).and_then(Value::as_object);
        score.fields += fields.len();
        score.fields_right += fields
            .iter()
            .filter(|(name, value)| got.and_then(|g| g.get(*name)) == Some(*value))
            .count();
    }
    score
}

/// The volunteer's script: `pdftotext -layout`, each line's runs of two
/// spaces or more made tabs, converted as a text file.
fn volunteer_document(pdf: &Path) -> Result<Document, String> {
    let text = pdftotext(pdf, &["-layout"])?;
    let gaps = regex::Regex::new(r" {2,}").unwrap();
    let tabbed: String = text
        .lines()
        .map(|line| gaps.replace_all(line.trim(), "\t").into_owned() + "\n")
        .collect();
    keikaku::convert("volunteer.txt", tabbed.as_bytes()).map_err(|e| e.to_string())
}

/// One case scored: keikaku's score, its differences from the text (those
/// of `SPACES_NOT_PRINTED` excused), and the volunteer's score when
/// `pdftotext` is there.
struct Outcome {
    keikaku: Score,
    differences: Vec<String>,
    volunteer: Option<Score>,
}

impl Outcome {
    fn reads_right(&self) -> bool {
        self.keikaku.records == self.keikaku.expected_records && self.differences.is_empty()
    }
}

fn score_case(case: &Case, with_pdftotext: bool) -> Outcome {
    let text = keikaku::convert_path(&case.text).expect("the text converts");
    let expected = record_fields(&text);
    let document =
        keikaku::convert_path(&case.pdf).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let actual = record_fields(&document);
    let mut differences: Vec<String> = Vec::new();
    for (index, (want, got)) in expected.iter().zip(&actual).enumerate() {
        let number = index + 1;
        let excused = |field: &str| {
            SPACES_NOT_PRINTED.contains(&(case.name.as_str(), number, field))
                && spaces_alone_missing(&want[field], &got[field])
        };
        for (field, value) in want.as_object().unwrap() {
            if got.get(field) != Some(value) && !excused(field) {
                let differing = json_differences(value, &got[field.as_str()]);
                differences.push(format!("record {number}: {field}: {differing:?}"));
            }
        }
        for &(_, _, field) in SPACES_NOT_PRINTED
            .iter()
            .filter(|(name, record, _)| *name == case.name && *record == number)
        {
            if got.get(field) == want.get(field) {
                differences.push(format!(
                    "record {number}: {field} reads right: take it out of SPACES_NOT_PRINTED"
                ));
            }
        }
    }
    let volunteer = with_pdftotext.then(|| {
        volunteer_document(&case.pdf)
            .map(|d| score(&expected, &record_fields(&d)))
            .unwrap_or_default()
    });
    Outcome {
        keikaku: score(&expected, &actual),
        differences,
        volunteer,
    }
}

/// Scores every case, writes their table to `target/<report>`, and gives
/// each case's outcome.
fn score_all(cases: &[Case], report: &str) -> Vec<Outcome> {
    let with_pdftotext = pdftotext_available();
    let outcomes: Vec<Outcome> = cases
        .par_iter()
        .map(|case| score_case(case, with_pdftotext))
        .collect();
    let mut table = String::from(
        "| layout | keikaku: records | fields right | pdftotext -layout + split: records | fields right |\n|---|---|---|---|---|\n",
    );
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let volunteer = outcome
            .volunteer
            .map_or("not run | not run".to_string(), |s| s.cell());
        let keikaku = outcome.keikaku.cell();
        writeln!(table, "| {} | {keikaku} | {volunteer} |", case.name).unwrap();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join(report), &table).unwrap();
    println!("{table}");
    outcomes
}

/// A case read wrong, in a line: its score and its first differences.
fn failure(case: &Case, outcome: &Outcome) -> String {
    let shown: Vec<&String> = outcome.differences.iter().take(SHOWN_DIFFERENCES).collect();
    let k = outcome.keikaku;
    format!(
        "{}: {} records of {}, {} of {} fields right; {shown:?}",
        case.name, k.records, k.expected_records, k.fields_right, k.fields
    )
}

#[test]
fn every_table_layout_gives_the_records_of_its_text() {
    let cases = cases("tables", false);
    assert!(
        cases.len() >= CASES_AT_LEAST,
        "{} PDFs in fixtures/tables, expected {CASES_AT_LEAST} or more",
        cases.len()
    );
    let outcomes = score_all(&cases, "table-scores.md");
    let failures: Vec<String> = cases
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| !outcome.reads_right())
        .map(|(case, outcome)| failure(case, outcome))
        .collect();
    assert!(
        failures.is_empty(),
        "{} table layout(s) read wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_hold_out_is_scored_and_its_list_is_exact() {
    let cases = cases("tables-holdout", true);
    assert!(cases.len() >= 6, "{} PDFs in the hold-out", cases.len());
    let outcomes = score_all(&cases, "table-holdout-scores.md");
    let mut wrong = Vec::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let listed = HOLDOUT_READ.contains(&case.name.as_str());
        if listed && !outcome.reads_right() {
            wrong.push(format!(
                "listed in HOLDOUT_READ, read wrong: {}",
                failure(case, outcome)
            ));
        }
        if !listed && outcome.reads_right() {
            wrong.push(format!("{} reads right: add it to HOLDOUT_READ", case.name));
        }
    }
    for listed in HOLDOUT_READ {
        assert!(cases.iter().any(|c| c.name == *listed), "no case {listed}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// True when `got` is `want` with some of its spaces missing, and nothing
/// else changed.
fn spaces_alone_missing(want: &Value, got: &Value) -> bool {
    let (Some(want), Some(got)) = (want.as_str(), got.as_str()) else {
        return false;
    };
    let without = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
    want != got && without(want) == without(got) && got.len() < want.len()
}

#[test]
fn a_missing_space_is_told_from_other_differences() {
    let want = Value::from("開催(10回) ・運営");
    assert!(spaces_alone_missing(
        &want,
        &Value::from("開催(10回)・運営")
    ));
    assert!(!spaces_alone_missing(&want, &want));
    assert!(!spaces_alone_missing(&want, &Value::from("開催(10回)・運")));
    assert!(!spaces_alone_missing(
        &Value::from("a b"),
        &Value::from("a  b")
    ));
}

#[test]
fn the_score_counts_a_missing_record_and_a_wrong_field() {
    let expected = vec![
        serde_json::json!({"name": "体操", "number": 1}),
        serde_json::json!({"name": "講座", "number": 2}),
    ];
    let one_wrong = vec![
        serde_json::json!({"name": "体操", "number": 1}),
        serde_json::json!({"name": "講", "number": 2}),
    ];
    let s = score(&expected, &one_wrong);
    assert_eq!((s.records, s.fields_right, s.fields), (2, 3, 4));
    assert!(!s.all_right());
    let s = score(&expected, &expected[..1]);
    assert_eq!((s.records, s.fields_right), (1, 2));
    assert!(score(&expected, &expected).all_right());
}
