//! The JSON Schemas in `schema/`, compiled once, and validation against them:
//! for `keikaku validate`, for `--validate` (each output checked before it
//! is written; an invalid one is a bug in keikaku, reported as an error
//! rather than written) and for the tests, which prove that keikaku's
//! outputs conform without a check on every run.

use serde_json::Value;
use std::sync::LazyLock;

/// The document schema's text (`schema/document.schema.json`).
pub const DOCUMENT_SCHEMA: &str = include_str!("../schema/document.schema.json");
/// The flat record schema's text (`schema/record.schema.json`).
pub const RECORD_SCHEMA: &str = include_str!("../schema/record.schema.json");

static DOCUMENT: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile(DOCUMENT_SCHEMA));
static RECORD: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile(RECORD_SCHEMA));

fn compile(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).expect("the bundled schema is JSON");
    jsonschema::draft202012::new(&schema)
        .expect("the bundled schema is a valid draft 2020-12 schema")
}

/// Checks a document against the document schema; the error lists the first
/// few violations, each with its JSON pointer.
pub fn validate_document(document: &Value) -> Result<(), String> {
    check(&DOCUMENT, document)
}

/// Checks one flat record against the record schema.
pub fn validate_record(record: &Value) -> Result<(), String> {
    check(&RECORD, record)
}

fn check(validator: &jsonschema::Validator, instance: &Value) -> Result<(), String> {
    // The common case, valid, without collecting errors.
    if validator.is_valid(instance) {
        return Ok(());
    }
    let problems: Vec<String> = validator
        .iter_errors(instance)
        .take(3)
        .map(|e| format!("at {:?}: {}", e.instance_path().to_string(), e))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
