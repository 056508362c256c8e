//! The outputs for the data portal: records as CSV and JSON Lines, the Data
//! Package describing them, and `keikaku diff` between two conversions.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

/// `keikaku convert` of the fixture inputs with `formats` into `out`.
fn convert_fixtures(out: &Path, formats: &str, extra: &[&str]) {
    convert_cmd(fixture_dir().join("input"), out)
        .args(["--format", formats])
        .args(extra)
        .assert()
        .success();
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The header the README documents: the record fields in order, lists as
/// one column, `reposted_from`, `baseline` and `target` as a yes/no column
/// and one per part, `extra` as one JSON cell.
const DOCUMENTED_HEADER: &[&str] = &[
    "source_file",
    "goal_number",
    "goal_title",
    "policy_number",
    "policy_title",
    "measure_number",
    "measure_title",
    "sub_measure_number",
    "sub_measure_title",
    "number",
    "local_number",
    "name",
    "category",
    "status",
    "evaluation",
    "direction",
    "achievement_code",
    "achievement_label",
    "contribution_code",
    "contribution_label",
    "progress_mark",
    "progress_label",
    "fiscal_year",
    "departments",
    "plan_pages",
    "reposted_from",
    "reposted_from_goal",
    "reposted_from_policy",
    "reposted_from_measure",
    "reposted_from_sub_measure",
    "citywide",
    "discontinued",
    "page",
    "line_start",
    "line_end",
    "goal_level_word",
    "policy_level_word",
    "measure_level_word",
    "sub_measure_level_word",
    "kind",
    "summary",
    "outcome",
    "issues",
    "improvement",
    "plan",
    "rating",
    "rating_label",
    "rating_rank",
    "rating_scale",
    "progress_percent",
    "extra",
    "unit",
    "baseline",
    "baseline_raw",
    "baseline_value",
    "baseline_unit",
    "baseline_period_years",
    "baseline_year",
    "target",
    "target_raw",
    "target_value",
    "target_unit",
    "target_period_years",
    "target_year",
    "actuals",
    "achievement_percent",
];

/// The object fields the CSV spreads into a yes/no column and one per part.
const SPREAD_OBJECTS: &[&str] = &["reposted_from", "baseline", "target"];

/// What a CSV cell should hold for `value`, written here independently of
/// keikaku's writer.
fn expected_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(expected_cell)
            .collect::<Vec<_>>()
            .join("|"),
        other => other.to_string(),
    }
}

#[test]
fn the_csv_of_the_machida_report_has_its_156_records_as_the_json_lines_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    convert_cmd(input_path(MACHIDA_REPORT), &out)
        .args(["--format", "jsonl,csv"])
        .assert()
        .success();
    // Only the combined files: no document JSON was asked for.
    assert!(!out.join(format!("{MACHIDA_REPORT}.json")).exists());
    let bytes = std::fs::read(out.join("records.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with a BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, DOCUMENTED_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 156);
    let jsonl = read_jsonl(&out.join("records.jsonl"));
    assert_eq!(jsonl.len(), 156);
    assert_eq!(
        jsonl,
        read_jsonl(
            &fixture_dir()
                .join("expected")
                .join(format!("{MACHIDA_REPORT}.records.jsonl"))
        )
    );
    for (row, record) in rows.iter().zip(&jsonl) {
        for (column, cell) in header.iter().zip(row.iter()) {
            let part_of = SPREAD_OBJECTS.iter().find_map(|object| {
                let part = column.strip_prefix(object)?.strip_prefix('_')?;
                Some((*object, part))
            });
            let expected = match part_of {
                Some((object, part)) => expected_cell(&record[object][part]),
                None if SPREAD_OBJECTS.contains(&column.as_str()) => {
                    (!record[column].is_null()).to_string()
                }
                None => expected_cell(&record[column]),
            };
            assert_eq!(cell, expected, "row {:?}, {column}", record["number"]);
        }
    }
}

#[test]
fn the_data_package_describes_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    convert_fixtures(&out, "json,jsonl,csv", &[]);
    let package: Value =
        serde_json::from_slice(&std::fs::read(out.join("datapackage.json")).unwrap()).unwrap();
    let resources = package["resources"].as_array().unwrap();
    let paths: Vec<&str> = resources
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths[..2], ["records.csv", "records.jsonl"]);
    assert_eq!(paths.len(), 2 + ALL_FIXTURES.len());
    for path in &paths {
        assert!(out.join(path).exists(), "{path}");
    }
    // The CSV's Table Schema names its header, with types.
    let fields = resources[0]["schema"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, DOCUMENTED_HEADER);
    let type_of = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap()["type"].clone();
    assert_eq!(type_of("number"), "integer");
    assert_eq!(type_of("citywide"), "boolean");
    assert_eq!(type_of("departments"), "string");
    assert!(fields
        .iter()
        .all(|f| f["description"].as_str().is_some_and(|d| !d.is_empty())));
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    // The municipalities, with their codes, from data/municipalities.csv.
    let municipalities: Vec<(&str, &str)> = package["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        municipalities,
        [("町田市", "132098"), ("川崎市多摩区", "141356")]
    );
    let sources = package["sources"].as_array().unwrap();
    assert_eq!(sources.len(), ALL_FIXTURES.len());
    assert!(sources.iter().all(|s| s["municipality_code"].is_string()));
}

#[test]
fn a_cp932_csv_reads_back_in_windows_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    convert_fixtures(&out, "csv", &["--csv-encoding", "cp932"]);
    let bytes = std::fs::read(out.join("records.csv")).unwrap();
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    assert!(text.starts_with("source_file,"));
    // 〜 is written as CP932 holds it (～), not replaced.
    assert!(!text.contains('〓'));
    let package = std::fs::read_to_string(out.join("datapackage.json")).unwrap();
    assert!(package.contains("\"encoding\": \"cp932\""));
}

#[test]
fn diff_reports_exactly_one_changed_mark() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_dir()
        .join("expected")
        .join(format!("{MACHIDA_REPORT}.json"));
    // A copy of the records with the mark of the 41st flipped.
    let mut records = read_jsonl(
        &fixture_dir()
            .join("expected")
            .join(format!("{MACHIDA_REPORT}.records.jsonl")),
    );
    let record = records.iter_mut().find(|r| r["number"] == 41).unwrap();
    let old_mark = record["progress_mark"].as_str().unwrap().to_string();
    let new_mark = if old_mark == "○" { "△" } else { "○" };
    record["progress_mark"] = Value::from(new_mark);
    let changed = dir.path().join("changed.jsonl");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&changed, text).unwrap();

    let output = keikaku()
        .arg("diff")
        .arg(&expected)
        .arg(&changed)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "differences give exit status 1"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        format!("changed 3-1-(1)-① No.41\n  progress_mark: \"{old_mark}\" → \"{new_mark}\"\n1 changed, 0 added, 0 removed\n")
    );
    let output = keikaku()
        .arg("diff")
        .arg("--json")
        .arg(&expected)
        .arg(&changed)
        .output()
        .unwrap();
    let found: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found["added"], Value::Array(vec![]));
    assert_eq!(found["removed"], Value::Array(vec![]));
    assert_eq!(found["changed"].as_array().unwrap().len(), 1);
    assert_eq!(found["changed"][0]["key"]["number"], 41);
    assert_eq!(found["changed"][0]["fields"][0]["field"], "progress_mark");
    // The input itself against its reviewed output: the same.
    let same = keikaku()
        .arg("diff")
        .arg(input_path(MACHIDA_REPORT))
        .arg(&expected)
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    // A file that is not a conversion: exit status 2, one line.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"x\": 1}").unwrap();
    let output = keikaku()
        .arg("diff")
        .arg(&bad)
        .arg(&expected)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_lines(&output).len(), 1);
}

#[test]
fn a_document_round_trips_through_its_json() {
    for stem in ALL_FIXTURES {
        let document = convert(stem);
        let json = serde_json::to_value(&document).unwrap();
        let back: keikaku::Document = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), json, "{stem}");
    }
}

/// Every file under `dir`, by its name relative to `dir`, with its bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn validate_checks_each_output_and_changes_none() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, validated) = (dir.path().join("plain"), dir.path().join("validated"));
    convert_fixtures(&plain, "json,jsonl,csv", &[]);
    convert_fixtures(&validated, "json,jsonl,csv", &["--validate"]);
    let (plain, validated) = (files_of(&plain), files_of(&validated));
    assert_eq!(plain.len(), ALL_FIXTURES.len() + 3);
    assert!(plain == validated, "--validate changed an output");
    let records = |extra: &[&str]| {
        keikaku()
            .arg("records")
            .arg(fixture_dir().join("input"))
            .args(extra)
            .output()
            .unwrap()
    };
    let (plain, validated) = (records(&[]), records(&["--validate"]));
    assert!(validated.status.success());
    assert!(!plain.stdout.is_empty() && plain.stdout == validated.stdout);
}

#[test]
fn the_output_checks_refuse_what_breaks_the_schema() {
    let json = keikaku::write::document_json(&convert(MACHIDA_REPORT));
    keikaku::write::check_document_json(&json).unwrap();
    let mut broken: Value = serde_json::from_slice(&json).unwrap();
    broken["goals"][0]["number"] = Value::from("one");
    let error = keikaku::write::check_document_json(broken.to_string()).unwrap_err();
    assert!(error.contains("/goals/0/number"), "{error}");
    broken.as_object_mut().unwrap().remove("format_version");
    assert!(keikaku::write::check_document_json(broken.to_string()).is_err());
    assert!(keikaku::write::check_document_json("{").is_err());

    let records = keikaku::records::records(&convert(MACHIDA_REPORT));
    let lines = keikaku::write::records_jsonl(&records);
    keikaku::write::check_records_jsonl(&lines).unwrap();
    let mut values = keikaku::write::record_values(&records);
    keikaku::write::check_record_values(&values).unwrap();
    values[3]["goal_number"] = Value::from("three");
    let error = keikaku::write::check_record_values(&values).unwrap_err();
    assert!(error.starts_with("record 4:"), "{error}");
    let broken_lines: String = values.iter().map(|v| format!("{v}\n")).collect();
    let error = keikaku::write::check_records_jsonl(&broken_lines).unwrap_err();
    assert!(error.starts_with("record 4:"), "{error}");
    // Lines are told by their line feeds: the last may lack its own, a
    // blank line is a record that is not JSON, no records are no lines.
    let unterminated = &lines[..lines.len() - 1];
    assert_eq!(lines.last(), Some(&b'\n'));
    keikaku::write::check_records_jsonl(unterminated).unwrap();
    let first_end = lines.iter().position(|&byte| byte == b'\n').unwrap() + 1;
    let with_blank = [&lines[..first_end], b"\n", &lines[first_end..]].concat();
    let error = keikaku::write::check_records_jsonl(&with_blank).unwrap_err();
    assert!(error.starts_with("record 2: not JSON"), "{error}");
    keikaku::write::check_records_jsonl(keikaku::write::records_jsonl::<String>(&[])).unwrap();
    assert!(keikaku::write::records_jsonl::<String>(&[]).is_empty());
}
