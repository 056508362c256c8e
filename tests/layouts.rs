//! The layout corpus (issue 16): the fixture texts printed in other layouts
//! and by other producers (`fixtures/layouts/`, made by
//! `fixtures/layouts/make_layouts.py`), each PDF with its reading-order
//! truth. Every case found in the folder is scored:
//!
//! - **reading order**: the share of the truth's lines that `keikaku text`
//!   gives in order (and, when `pdftotext` is on `PATH`, that poppler gives);
//! - **structure**: the goals, policies and records of the PDF against those
//!   of the fixture text it was printed from, locations left out.
//!
//! The scores go to `target/layout-scores.md`. [`READ`] lists the cases
//! keikaku reads right; the test fails when one of them regresses, and when
//! a case outside the list reads right, so that the list stays exact.

mod common;

use common::{
    fixture_dir, input_path, json_differences, pdftotext, pdftotext_available, record_fields,
};
use keikaku::extract::{numbered_text, ExtractOptions};
use keikaku::Document;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use unicode_normalization::UnicodeNormalization;

/// The cases (`<fixture>.<layout>.<producer>`) that keikaku reads right:
/// every line of the truth in order, and the structure of the text. A case
/// that comes to read right after a change to the PDF reader must be added.
const READ: &[&str] = &[
    "machida-progress-report-fy2024.heading-beside-box.chromium",
    "machida-progress-report-fy2024.landscape-rotated.chromium",
    "machida-progress-report-fy2024.landscape-rotated270.chromium",
    "machida-progress-report-fy2024.two-columns.chromium",
    "tama-plan6-goals-draft.boxed-lists.chromium",
    "tama-plan6-goals-draft.cover-and-figures.chromium",
    "tama-plan6-goals-draft.label-beside-box.chromium",
    "tama-plan6-goals-draft.three-columns.reportlab",
    "tama-plan6-goals-draft.two-columns.chromium",
    "tama-plan6-goals-draft.two-columns.libreoffice",
    "tama-plan6-goals-draft.vertical.chromium",
    "tama-plan7-goal2-chapter.boxed-lists.chromium",
    "tama-plan7-goal2-chapter.cover-and-figures.chromium",
    "tama-plan7-goal2-chapter.label-beside-box.chromium",
    "tama-plan7-goal2-chapter.three-columns.reportlab",
    "tama-plan7-goal2-chapter.two-columns.chromium",
    "tama-plan7-goal2-chapter.two-columns.libreoffice",
    "tama-plan7-goal2-chapter.vertical.chromium",
    "tama-progress-report-fy2019.landscape-rotated.chromium",
    "tama-progress-report-fy2019.rotated180.chromium",
    "tama-progress-report-fy2019.two-columns.chromium",
    "tama-shakyo-action-plan-summary.cover-and-figures.chromium",
    "tama-shakyo-action-plan-summary.three-columns.reportlab",
    "tama-shakyo-action-plan-summary.two-columns.chromium",
    "tama-shakyo-action-plan-summary.two-columns.libreoffice",
];

/// How many differences of structure, and misread lines, a case's report
/// shows.
const SHOWN_DIFFERENCES: usize = 4;

/// One PDF of the corpus and what it is checked against.
struct Case {
    /// `<fixture>.<layout>.<producer>`, the file stem.
    name: String,
    fixture: String,
    producer: String,
    pdf: PathBuf,
    truth: Vec<String>,
}

/// How close an extracted text comes to the truth, line by line.
#[derive(Debug, Default, Clone, PartialEq)]
struct Order {
    /// Truth lines (non-blank after folding).
    lines: usize,
    /// Found after the previous line found in order.
    in_order: usize,
    /// Found, but only before that point.
    out_of_order: usize,
    /// Not found at all.
    missing: usize,
    /// Characters of the truth that the text lacks (counted as a multiset,
    /// so a character that is there but elsewhere is not missing).
    missing_chars: usize,
    /// The first lines out of order or missing, for the report.
    misread: Vec<String>,
}

impl Order {
    fn note(&mut self, line: String) {
        if self.misread.len() < SHOWN_DIFFERENCES {
            self.misread.push(line);
        }
    }

    fn all_in_order(&self) -> bool {
        self.in_order == self.lines
    }

    fn cells(&self) -> String {
        format!(
            "{:.1} % ({}/{}) | {} | {}",
            percent(self.in_order, self.lines),
            self.in_order,
            self.lines,
            self.out_of_order,
            self.missing
        )
    }
}

/// What one case gave.
struct Outcome {
    /// Reading order of `keikaku text`, or why the PDF could not be read.
    keikaku: Result<Order, String>,
    /// Differences of structure from the fixture text (empty: equal), or why
    /// the PDF could not be converted.
    structure: Result<Vec<String>, String>,
    /// Reading order of `pdftotext`, when it ran.
    pdftotext: Option<Result<Order, String>>,
}

impl Outcome {
    /// Reads right: every truth line in order and the same structure.
    fn reads_right(&self) -> bool {
        matches!(&self.keikaku, Ok(order) if order.all_in_order())
            && matches!(&self.structure, Ok(differences) if differences.is_empty())
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// A text folded for comparison: NFKC (full-width letters and digits, ①, the
/// compatibility forms a PDF's text map may give), then without white space,
/// which a layout adds and removes freely (tabs between cells included), and
/// without control characters: a glyph the font lacks (reportlab's stand-in
/// for U+FFFD) reads as U+0000, a box no reader reads as text.
fn fold(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect()
}

/// Scores `output` against the truth lines: each line is looked for in the
/// folded output from just after the previous line found in order, so that
/// a line that a layout split over several printed lines is still found,
/// and a line found only earlier is out of order (the position is not moved
/// back for it, so that one block read too early costs its own lines).
fn reading_order(truth: &[String], output: &str) -> Order {
    let stream = fold(output);
    let mut order = Order::default();
    let mut cursor = 0;
    let mut wanted: HashMap<char, usize> = HashMap::new();
    for line in truth {
        let line = fold(line);
        if line.is_empty() {
            continue;
        }
        order.lines += 1;
        for c in line.chars() {
            *wanted.entry(c).or_default() += 1;
        }
        if let Some(at) = stream[cursor..].find(&line) {
            order.in_order += 1;
            cursor += at + line.len();
        } else if stream.contains(&line) {
            order.out_of_order += 1;
            order.note(format!("out of order: {line}"));
        } else {
            order.missing += 1;
            order.note(format!("missing: {line}"));
        }
    }
    for c in stream.chars() {
        if let Some(count) = wanted.get_mut(&c) {
            *count = count.saturating_sub(1);
        }
    }
    order.missing_chars = wanted.values().sum();
    order
}

/// Goals and policies, one line each, the policy under its goal's number.
fn outline(document: &Document) -> Vec<String> {
    let mut lines = Vec::new();
    for goal in &document.goals {
        lines.push(format!("goal {} {:?}", goal.number, goal.title));
        for policy in &goal.policies {
            lines.push(format!(
                "policy {}-{} {:?}",
                goal.number, policy.number, policy.title
            ));
        }
    }
    lines
}

/// The differences of structure between the text's document and the PDF's:
/// outline lines missing or extra, then records field by field.
fn structure_differences(expected: &Document, actual: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let (want, got) = (outline(expected), outline(actual));
    if want != got {
        for line in want.iter().filter(|l| !got.contains(l)) {
            out.push(format!("missing {line}"));
        }
        for line in got.iter().filter(|l| !want.contains(l)) {
            out.push(format!("extra {line}"));
        }
        if out.is_empty() {
            out.push("goals and policies in another order".to_string());
        }
    }
    let (want, got) = (record_fields(expected), record_fields(actual));
    if want.len() != got.len() {
        out.push(format!("{} records, expected {}", got.len(), want.len()));
    }
    for (index, (w, g)) in want.iter().zip(&got).enumerate() {
        for difference in json_differences(w, g) {
            out.push(format!("record {}: {difference}", index + 1));
        }
    }
    out
}

/// Every case of `fixtures/layouts/`: each PDF there, with the truth beside
/// it and the fixture text named by the first part of its name.
fn cases() -> Vec<Case> {
    let dir = fixture_dir().join("layouts");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures/layouts is readable") {
        let pdf = entry.expect("a directory entry").path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let name = pdf
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        let parts: Vec<&str> = name.split('.').collect();
        let [fixture, _layout, producer] = parts[..] else {
            panic!("{name}.pdf: not named <fixture>.<layout>.<producer>.pdf");
        };
        let truth_path = dir.join(format!("{name}.truth.txt"));
        let truth = std::fs::read_to_string(&truth_path)
            .unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
        assert!(
            input_path(fixture).is_file(),
            "{name}.pdf: no fixture text {fixture}.txt"
        );
        cases.push(Case {
            fixture: fixture.to_string(),
            producer: producer.to_string(),
            name,
            pdf,
            truth: truth.lines().map(str::to_string).collect(),
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

fn score(case: &Case, text_document: &Document, with_pdftotext: bool) -> Outcome {
    let keikaku = keikaku::extract_path(&case.pdf, &ExtractOptions::default())
        .map(|extracted| reading_order(&case.truth, &numbered_text(&extracted)))
        .map_err(|e| e.to_string());
    let structure = keikaku::convert_path(&case.pdf)
        .map(|document| structure_differences(text_document, &document))
        .map_err(|e| e.to_string());
    let pdftotext = with_pdftotext
        .then(|| pdftotext(&case.pdf, &[]).map(|text| reading_order(&case.truth, &text)));
    Outcome {
        keikaku,
        structure,
        pdftotext,
    }
}

/// The Markdown table of every case's scores.
fn table(cases: &[Case], outcomes: &[Outcome], with_pdftotext: bool) -> String {
    let mut out = String::from(
        "| case | producer | keikaku: lines in order | out of order | missing | characters missing | same structure |",
    );
    let mut rule = String::from("|---|---|---:|---:|---:|---:|---|");
    if with_pdftotext {
        out.push_str(" pdftotext: lines in order | out of order | missing |");
        rule.push_str("---:|---:|---:|");
    }
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    let failed = |e: &String| format!("failed: {} | | | |", e.replace('|', "/"));
    for (case, outcome) in cases.iter().zip(outcomes) {
        let layout = case.name.trim_end_matches(&format!(".{}", case.producer));
        let keikaku = match &outcome.keikaku {
            Ok(order) => format!("{} | {}", order.cells(), order.missing_chars),
            Err(e) => failed(e),
        };
        let structure = match &outcome.structure {
            Ok(d) if d.is_empty() => "yes".to_string(),
            Ok(d) => format!("no ({} differences)", d.len()),
            Err(_) => "failed".to_string(),
        };
        let _ = write!(
            out,
            "| {layout} | {} | {keikaku} | {structure} |",
            case.producer
        );
        match &outcome.pdftotext {
            Some(Ok(order)) => {
                let _ = write!(out, " {} |", order.cells());
            }
            Some(Err(e)) => {
                let _ = write!(out, " failed: {} | | |", e.replace('|', "/"));
            }
            None => {}
        }
        out.push('\n');
    }
    out
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

#[test]
fn layouts_are_read_in_order_with_their_structure() {
    let cases = cases();
    assert!(!cases.is_empty(), "fixtures/layouts holds no PDF");
    let with_pdftotext = pdftotext_available();

    // The fixture texts are converted once each, the cases on every core
    // (an unoptimized build reads a PDF many times slower than a release one).
    let mut texts: HashMap<&str, Document> = HashMap::new();
    for case in &cases {
        texts.entry(&case.fixture).or_insert_with(|| {
            keikaku::convert_path(&input_path(&case.fixture))
                .unwrap_or_else(|e| panic!("{}: {e}", case.fixture))
        });
    }
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(index) else { break };
                let outcome = score(case, &texts[case.fixture.as_str()], with_pdftotext);
                results.lock().unwrap().push((index, outcome));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(index, _)| *index);
    let outcomes: Vec<Outcome> = results.into_iter().map(|(_, o)| o).collect();

    let markdown = table(&cases, &outcomes, with_pdftotext);
    let path = target_dir().join("layout-scores.md");
    std::fs::create_dir_all(target_dir()).expect("target directory");
    std::fs::write(&path, &markdown).expect("layout-scores.md written");
    println!("{markdown}\n(written to {})", path.display());
    for (case, outcome) in cases.iter().zip(&outcomes) {
        match &outcome.keikaku {
            Ok(order) if !order.misread.is_empty() => {
                println!("{}: lines misread:", case.name);
                for line in &order.misread {
                    println!("  {line}");
                }
            }
            Err(e) => println!("{}: not read: {e}", case.name),
            Ok(_) => {}
        }
        match &outcome.structure {
            Ok(differences) if !differences.is_empty() => {
                println!(
                    "{}: {} differences of structure:",
                    case.name,
                    differences.len()
                );
                for difference in differences.iter().take(SHOWN_DIFFERENCES) {
                    println!("  {difference}");
                }
            }
            Err(e) => println!("{}: not converted: {e}", case.name),
            Ok(_) => {}
        }
    }

    let mut wrong = Vec::new();
    for name in READ {
        if !cases.iter().any(|c| c.name == *name) {
            wrong.push(format!("{name}: in READ but not in fixtures/layouts"));
        }
    }
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let listed = READ.contains(&case.name.as_str());
        if listed && !outcome.reads_right() {
            wrong.push(format!("{}: in READ but no longer read right", case.name));
        }
        if !listed && outcome.reads_right() {
            wrong.push(format!("{}: reads right now: add it to READ", case.name));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn reading_order_counts_lines_in_order_out_of_order_and_missing() {
    let truth: Vec<String> = ["第一 行", "二行目", "三行目", "四行目"]
        .map(String::from)
        .to_vec();
    // Full-width and half-width fold together; a line split in two is found.
    let order = reading_order(&truth, "第一\n行\n三行目\n二行目\n");
    assert_eq!(
        order,
        Order {
            lines: 4,
            in_order: 2,
            out_of_order: 1,
            missing: 1,
            missing_chars: 3,
            misread: vec!["out of order: 三行目".into(), "missing: 四行目".into()],
        }
    );
    let folded = reading_order(&["ＡＢ　１".to_string()], "AB\t1");
    assert!(folded.all_in_order());
}
