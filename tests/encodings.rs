//! Text inputs in any Japanese encoding: the progress reports re-encoded
//! (`fixtures/encodings/`, written by `examples/make_encoded_fixtures.rs`)
//! give byte for byte the records of the UTF-8 originals, and the same
//! document but for the source's encoding, hash and size; damaged bytes are
//! warnings with their offset, never silent.

mod common;

use common::encodings::{reencode, VARIANTS};
use common::*;
use keikaku::document::WarningCode;
use keikaku::write;
use serde_json::Value;

/// The document as JSON, without what describes the bytes themselves: the
/// source's encoding, hash and size, and the unplaced lines' text, which is
/// the line as decoded (a Shift_JIS file has `～` where UTF-8 has `〜`).
fn content_json(document: &keikaku::Document) -> Value {
    let mut json = serde_json::to_value(document).unwrap();
    let source = json["source"].as_object_mut().unwrap();
    for field in ["encoding", "sha256", "byte_count"] {
        source.remove(field);
    }
    for line in json["unplaced"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("text");
    }
    json
}

#[test]
fn reencoded_reports_give_byte_identical_records() {
    for stem in [TAMA_REPORT, MACHIDA_REPORT] {
        let original = convert(stem);
        let original_records = write::records_jsonl(&keikaku::records::records(&original));
        let original_content = content_json(&original);
        for variant in VARIANTS {
            let path = fixture_dir()
                .join("encodings")
                .join(variant.folder)
                .join(format!("{stem}.txt"));
            let what = format!("{}/{stem}", variant.folder);
            // The committed file is what it says it is.
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                bytes == reencode(&input_text(stem), variant).unwrap(),
                "{what}: not the original re-encoded (rerun cargo run --example make_encoded_fixtures)"
            );
            let document = keikaku::convert_path(&path).unwrap();
            assert_eq!(document.source.encoding, variant.encoding.name(), "{what}");
            let records = write::records_jsonl(&keikaku::records::records(&document));
            assert!(records == original_records, "{what}: the records differ");
            assert_same_json(&what, &original_content, &content_json(&document));
        }
    }
}

#[test]
fn a_damaged_byte_is_a_warning_with_its_offset_and_line() {
    let variant = &VARIANTS[0];
    let mut bytes = reencode(&input_text(TAMA_REPORT), variant).unwrap();
    // A lone trail byte at the start of line 5.
    let offset = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(3)
        .unwrap()
        .0
        + 1;
    bytes.insert(offset, 0xA0);
    let document = keikaku::convert("damaged.txt", &bytes).unwrap();
    assert_eq!(document.source.encoding, "Shift_JIS");
    let damaged: Vec<(u32, &str)> = document
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::UndecodableBytes)
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(damaged.len(), 1, "{damaged:?}");
    assert_eq!(damaged[0].0, 5);
    assert!(
        damaged[0]
            .1
            .contains(&format!("0xA0 at byte offset {offset}")),
        "{}",
        damaged[0].1
    );
    // The rest of the document is read as before.
    assert_eq!(keikaku::records::records(&document).len(), 76);
}

#[test]
fn text_in_no_known_encoding_is_refused_in_one_line() {
    let bytes: Vec<u8> = (0..4000u32).map(|i| (i * 37 % 128 + 128) as u8).collect();
    let error = keikaku::convert("noise.txt", &bytes)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("not readable as text"), "{error}");
    assert!(!error.contains('\n'));
}
