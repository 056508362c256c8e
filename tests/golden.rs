//! Golden fixtures: each reviewed fixture's document JSON and flat records
//! are compared field by field with the expected output in
//! fixtures/expected/ (a clear diff), then byte for byte (so that a change
//! of spacing or key order shows too). After a deliberate change, regenerate them with
//! `KEIKAKU_BLESS=1 cargo test --test golden` and review the diff against
//! the source text by hand before committing.

mod common;

use common::*;
use keikaku::write;
use serde_json::Value;

/// Fixtures whose expected output has been reviewed against the source.
const REVIEWED: &[&str] = ALL_FIXTURES;

fn expected_path(stem: &str, suffix: &str) -> std::path::PathBuf {
    fixture_dir()
        .join("expected")
        .join(format!("{stem}{suffix}"))
}

fn check_or_bless(stem: &str, suffix: &str, actual_text: &str, compare: impl Fn(&str, &str)) {
    let path = expected_path(stem, suffix);
    if std::env::var_os("KEIKAKU_BLESS").is_some() {
        std::fs::write(&path, actual_text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with KEIKAKU_BLESS=1 to create it)",
            path.display()
        )
    });
    compare(&expected, actual_text);
}

#[test]
fn documents_match_their_expected_output() {
    for stem in REVIEWED {
        let json = String::from_utf8(write::document_json(&convert(stem))).expect("UTF-8");
        write::check_document_json(&json).expect("valid document");
        check_or_bless(stem, ".json", &json, |expected, actual| {
            let expected: Value = serde_json::from_str(expected).unwrap();
            let actual: Value = serde_json::from_str(actual).unwrap();
            assert_same_json(&format!("{stem}.json"), &expected, &actual);
        });
        let expected = std::fs::read_to_string(expected_path(stem, ".json")).unwrap();
        assert!(
            expected == json,
            "{stem}.json: same fields, different bytes"
        );
    }
}

#[test]
fn records_match_their_expected_output() {
    for stem in REVIEWED {
        let jsonl = String::from_utf8(write::records_jsonl(&convert_records(stem)))
            .expect("JSON Lines are UTF-8");
        write::check_records_jsonl(&jsonl).expect("valid records");
        check_or_bless(stem, ".records.jsonl", &jsonl, |expected, actual| {
            let expected: Vec<Value> = expected
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            let actual: Vec<Value> = actual
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(expected.len(), actual.len(), "{stem}: number of records");
            for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
                assert_same_json(&format!("{stem} record {}", i + 1), e, a);
            }
        });
        let expected = std::fs::read_to_string(expected_path(stem, ".records.jsonl")).unwrap();
        assert!(
            expected == jsonl,
            "{stem}.records.jsonl: same fields, different bytes"
        );
    }
}

#[test]
fn expected_outputs_validate_against_the_schema() {
    for stem in REVIEWED {
        let text = std::fs::read_to_string(expected_path(stem, ".json")).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        keikaku::schema::validate_document(&value).unwrap();
        let records = std::fs::read_to_string(expected_path(stem, ".records.jsonl")).unwrap();
        for line in records.lines() {
            keikaku::schema::validate_record(&serde_json::from_str(line).unwrap()).unwrap();
        }
    }
}
