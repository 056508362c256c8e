//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod build_pdf;
pub mod encodings;
pub mod glyphs;
pub mod hostile;
pub mod pdf_property;

use keikaku::records::{records, Record};
use keikaku::Document;
use serde_json::Value;
use std::path::PathBuf;

/// The fixture inputs, by stem.
pub const TAMA_REPORT: &str = "tama-progress-report-fy2019";
pub const MACHIDA_REPORT: &str = "machida-progress-report-fy2024";
/// The prose plans, by stem.
pub const TAMA_PLAN7_CHAPTER: &str = "tama-plan7-goal2-chapter";
pub const SHAKYO_SUMMARY: &str = "tama-shakyo-action-plan-summary";
pub const TAMA_PLAN6_DRAFT: &str = "tama-plan6-goals-draft";
/// Every bundled input, by stem.
pub const ALL_FIXTURES: &[&str] = &[
    TAMA_REPORT,
    MACHIDA_REPORT,
    TAMA_PLAN7_CHAPTER,
    SHAKYO_SUMMARY,
    TAMA_PLAN6_DRAFT,
];

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every file under `dir`, in its folders too, in no particular order.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// The cases of a corpus `fixtures/<folder>`: each `<name>.txt` with its
/// hand-written `<name>.expected.json`, as name, text path, expected value,
/// sorted by name.
pub fn corpus_cases(folder: &str) -> Vec<(String, PathBuf, Value)> {
    let dir = fixture_dir().join(folder);
    let mut cases: Vec<(String, PathBuf, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures/{folder} is readable: {e}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|text| {
            let name = text
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a UTF-8 file name")
                .to_string();
            let expected_path = dir.join(format!("{name}.expected.json"));
            let expected: Value = serde_json::from_str(
                &std::fs::read_to_string(&expected_path)
                    .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            (name, text, expected)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

pub fn input_path(stem: &str) -> PathBuf {
    fixture_dir().join("input").join(format!("{stem}.txt"))
}

pub fn input_text(stem: &str) -> String {
    std::fs::read_to_string(input_path(stem)).expect("fixture input is readable UTF-8")
}

pub fn convert(stem: &str) -> Document {
    keikaku::convert_path(&input_path(stem)).expect("fixture converts")
}

pub fn convert_records(stem: &str) -> Vec<Record> {
    records(&convert(stem))
}

/// The differences between two JSON values, each as `path: expected … got …`.
pub fn json_differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("", expected, actual, &mut out);
    out
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                match a.get(key) {
                    Some(av) => diff_at(&format!("{path}/{key}"), ev, av, out),
                    None => out.push(format!("{path}/{key}: expected {ev}, field missing")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}/{key}: unexpected field {}", a[key]));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff_at(&format!("{path}/{i}"), ev, av, out);
            }
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}",
                    e.len(),
                    a.len()
                ));
            }
        }
        _ if expected != actual => out.push(format!("{path}: expected {expected}, got {actual}")),
        _ => {}
    }
}

/// Fails with the first differences, listed by path.
pub fn assert_same_json(what: &str, expected: &Value, actual: &Value) {
    let differences = json_differences(expected, actual);
    assert!(
        differences.is_empty(),
        "{what} differs from its expected output in {} place(s):\n{}",
        differences.len(),
        differences
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The `keikaku` command built by this package.
pub fn keikaku() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("keikaku").unwrap()
}

/// `keikaku convert INPUT -o OUT`.
pub fn convert_cmd(
    input: impl AsRef<std::ffi::OsStr>,
    out: impl AsRef<std::ffi::OsStr>,
) -> assert_cmd::Command {
    let mut command = keikaku();
    command.arg("convert").arg(input).arg("-o").arg(out);
    command
}

/// Standard error, line by line.
pub fn stderr_lines(output: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Writes `bytes` as `name`, converts it with the command, and checks the
/// refusal: exit status 1, one line naming the file and the reason, no
/// panic report, no output file.
pub fn assert_refused(name: &str, bytes: &[u8], reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    let out = dir.path().join("out.json");
    let output = convert_cmd(&input, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{name}: exit status");
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{name}: {lines:?}");
    assert!(
        lines[0].contains(name) && lines[0].contains(reason),
        "{name}: {}",
        lines[0]
    );
    assert!(!out.exists(), "{name}: an output file was written");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

/// A document's records as JSON, without the fields that tell where each
/// stood (file, page, lines), which differ between a text and a PDF of it
/// by design.
pub fn record_fields(document: &Document) -> Vec<Value> {
    records(document)
        .iter()
        .map(|record| {
            let mut value = serde_json::to_value(record).unwrap();
            let object = value.as_object_mut().unwrap();
            for field in ["source_file", "page", "line_start", "line_end"] {
                assert!(object.remove(field).is_some(), "record has {field}");
            }
            value
        })
        .collect()
}

/// Whether poppler's `pdftotext` can be run.
pub fn pdftotext_available() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `pdftotext [OPTIONS] -enc UTF-8 PDF -`: the text poppler reads, or its
/// error.
pub fn pdftotext(pdf: &std::path::Path, options: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("pdftotext")
        .args(options)
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
