//! Nothing lost: every non-blank line of every fixture is accounted for in
//! the document, either
//! - among the unplaced lines, by its page and line, or
//! - covered by the location of something in the tree (a heading, a text's
//!   span, a table header, a legend entry, an initiative's row), with every
//!   piece of its text present in the document's strings.
//!
//! The check reads the serialized JSON, not the Rust types, so it sees what
//! a user of the output sees.

mod common;

use common::*;
use keikaku::normalize::normalize_chars;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Marks that enclose a text the format stores without them: the 「」 of a
/// 基本理念 slogan, the 〜 〜 of its subtitle.
const ENCLOSING_MARKS: &[char] = &['「', '」', '『', '』', '〜', '~'];

/// Marker words the format consumes into field names rather than text.
const CONSUMED_MARKERS: &[&str] = &["【基本理念】", "【めざす方向】", "【具体的な取組】"];

/// Collects every string and number in `value` (skipping the named
/// top-level keys) and every (page, line) it covers.
fn collect(value: &Value, strings: &mut String, lines: &mut BTreeSet<(u64, u64)>) {
    match value {
        Value::Object(map) => {
            if let (Some(page), Some(start)) = (
                map.get("page").and_then(Value::as_u64),
                map.get("line_start").and_then(Value::as_u64),
            ) {
                let end = map.get("line_end").and_then(Value::as_u64).unwrap_or(start);
                lines.extend((start..=end).map(|l| (page, l)));
            }
            if let (Some(page), Some(line)) = (
                map.get("page").and_then(Value::as_u64),
                map.get("line").and_then(Value::as_u64),
            ) {
                lines.insert((page, line));
            }
            for value in map.values() {
                collect(value, strings, lines);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, strings, lines)),
        Value::String(s) => {
            strings.push_str(s);
            strings.push('\u{1}');
        }
        Value::Number(n) => {
            strings.push_str(&n.to_string());
            strings.push('\u{1}');
        }
        _ => {}
    }
}

/// The pieces of a source line that must appear in the output: its text,
/// normalized as keikaku normalizes, split at tabs, spaces, ⇒ and the
/// legend's colon, without HTML tags, consumed markers, and the characters
/// normalization removes with a warning (U+FFFD, control characters).
fn pieces(line: &str) -> Vec<String> {
    let without_tags = regex::Regex::new(r"</?[A-Za-z][A-Za-z0-9]*>")
        .unwrap()
        .replace_all(line, " ");
    let readable: String = without_tags
        .chars()
        .filter(|&c| c != '\u{FFFD}' && (!c.is_control() || c == '\t'))
        .collect();
    let mut text = normalize_chars(&readable);
    for marker in CONSUMED_MARKERS {
        text = text.replace(marker, " ");
    }
    text.split(|c: char| c.is_whitespace() || c == '⇒' || c == ':')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The document's strings and the (page, line) pairs its locations cover,
/// leaving out warnings and unplaced lines (warnings quote source text:
/// they must not count as placing it).
fn placed_strings_and_lines(document: &keikaku::Document) -> (String, BTreeSet<(u64, u64)>) {
    let mut value = serde_json::to_value(document).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("warnings");
    object.remove("unplaced");
    let mut strings = String::new();
    let mut covered = BTreeSet::new();
    collect(&value, &mut strings, &mut covered);
    (strings, covered)
}

/// The lines repaired from fake-bold doubling, by (page, line): the
/// original and the text read, both as the warning quotes them.
fn undoubled_lines(document: &keikaku::Document) -> BTreeMap<(u64, u64), (String, String)> {
    let quoted =
        regex::Regex::new(r#"^text doubled by fake-bold rendering "(.*)" read as "(.*)"$"#)
            .unwrap();
    document
        .warnings
        .iter()
        .filter(|w| w.code == keikaku::document::WarningCode::DoubledText)
        .map(|w| {
            let c = quoted
                .captures(&w.message)
                .expect("a doubling warning quotes both texts");
            (
                (u64::from(w.page), u64::from(w.line)),
                (c[1].to_string(), c[2].to_string()),
            )
        })
        .collect()
}

fn check(stem: &str) -> Vec<String> {
    check_file(stem, &input_path(stem))
}

/// The lines of a text file that are in no field, no location and not
/// unplaced, named by `name`.
fn check_file(name: &str, path: &std::path::Path) -> Vec<String> {
    let document = keikaku::convert_path(path).expect("the file converts");
    let text = std::fs::read_to_string(path).expect("the file is UTF-8");
    let unplaced: BTreeSet<(u64, u64)> = document
        .unplaced
        .iter()
        .map(|u| (u64::from(u.page), u64::from(u.line)))
        .collect();
    let (strings, covered) = placed_strings_and_lines(&document);
    let undoubled = undoubled_lines(&document);

    let mut lost = Vec::new();
    let mut page = 1u64;
    for (index, line) in text.split('\n').enumerate() {
        page += line.matches('\u{c}').count() as u64;
        let at = (page, index as u64 + 1);
        if line.trim().is_empty() || unplaced.contains(&at) {
            continue;
        }
        if !covered.contains(&at) {
            lost.push(format!(
                "{name} line {}: not covered by any location: {line:?}",
                at.1
            ));
            continue;
        }
        // A line repaired from fake-bold doubling must be in the output as
        // its warning says it was read, and the warning must hold the line.
        let expected = match undoubled.get(&at) {
            Some((original, once)) => {
                if !pieces(line).iter().all(|p| original.contains(p.as_str())) {
                    lost.push(format!(
                        "{name} line {}: the doubling warning does not hold the line",
                        at.1
                    ));
                }
                once.clone()
            }
            None => line.to_string(),
        };
        for piece in pieces(&expected) {
            // The marks that enclose a slogan or a subtitle (「…」, 〜…〜)
            // are consumed into the field: the 基本理念's text and subtitle.
            let unenclosed = piece.trim_matches(ENCLOSING_MARKS);
            if !strings.contains(&piece) && (unenclosed.is_empty() || !strings.contains(unenclosed))
            {
                lost.push(format!("{name} line {}: {piece:?} is in no field", at.1));
            }
        }
    }
    lost
}

fn assert_nothing_lost<'a>(stems: impl IntoIterator<Item = &'a str>) {
    let lost: Vec<String> = stems.into_iter().flat_map(check).collect();
    assert!(
        lost.is_empty(),
        "{} line(s) lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

#[test]
fn every_line_of_the_progress_reports_is_accounted_for() {
    assert_nothing_lost([TAMA_REPORT, MACHIDA_REPORT]);
}

#[test]
fn every_line_of_the_prose_plans_is_accounted_for() {
    assert_nothing_lost(
        ALL_FIXTURES
            .iter()
            .copied()
            .filter(|s| ![TAMA_REPORT, MACHIDA_REPORT].contains(s)),
    );
}

#[test]
fn every_line_of_the_structure_corpus_is_accounted_for() {
    let dir = fixture_dir().join("structures");
    let mut texts: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/structures is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    assert!(!texts.is_empty());
    let lost: Vec<String> = texts
        .iter()
        .flat_map(|path| check_file(&path.display().to_string(), path))
        .collect();
    assert!(
        lost.is_empty(),
        "{} line(s) lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

#[test]
fn the_check_notices_a_dropped_line() {
    // The accounting itself must be able to fail: drop one initiative's row
    // (the second: the first shares its line with the policy cell) and its
    // line and text must be missing.
    let mut document = convert(TAMA_REPORT);
    let removed = document.goals[0].policies[0].initiatives.remove(1);
    let (strings, covered) = placed_strings_and_lines(&document);
    assert!(!covered.contains(&(1, u64::from(removed.span.line_start))));
    assert!(!strings.contains("多摩区みんなの公園体操"));
}
