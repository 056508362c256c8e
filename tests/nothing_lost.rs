//! Nothing lost: every non-blank line of every fixture is accounted for in
//! the document, either
//! - among the unplaced lines, by its page and line, or
//! - covered by the location of something in the tree (a heading, a text's
//!   span, a table header, a legend entry, an initiative's row), with every
//!   piece of its text present in the strings of what covers it (not just
//!   anywhere in the document).
//!
//! The check reads the serialized JSON, not the Rust types, so it sees what
//! a user of the output sees.

// The tests read outputs with regexes of their own, on one thread: the
// per-thread patterns clippy.toml asks for are the library's.
#![allow(clippy::disallowed_types)]

mod common;

use common::*;
use keikaku::normalize::normalize_chars;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Bullets the format consumes into the list they mark (a list item is an
/// initiative of its own, its name without the bullet).
const BULLET_MARKS: &[char] = &['-', '‐', '・', '●', '◆', '■', '□', '▪', '•'];

/// Marks that enclose a text the format stores without them: the 「」 of a
/// 基本理念 slogan, the 〜 〜 of its subtitle.
const ENCLOSING_MARKS: &[char] = &['「', '」', '『', '』', '〜', '~'];

/// Marker words the format consumes into field names rather than text.
const CONSUMED_MARKERS: &[&str] = &["【基本理念】", "【めざす方向】", "【具体的な取組】"];

/// Collects every string and number in `value`, each followed by a
/// separator.
fn collect_strings(value: &Value, strings: &mut String) {
    match value {
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, strings)),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, strings)),
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

/// Something of the output that says where it stood: the lines it covers
/// (its page, first and last line) and every string in it.
struct Located {
    page: u64,
    lines: std::ops::RangeInclusive<u64>,
    strings: String,
}

/// Every object of `value` with a location (a heading, a text, a row, a
/// table header, a legend entry, the 基本理念…), with the strings it holds.
fn collect_located(value: &Value, out: &mut Vec<Located>) {
    match value {
        Value::Object(map) => {
            let page = map.get("page").and_then(Value::as_u64);
            let start = map
                .get("line_start")
                .or_else(|| map.get("line"))
                .and_then(Value::as_u64);
            if let (Some(page), Some(start)) = (page, start) {
                let end = map.get("line_end").and_then(Value::as_u64).unwrap_or(start);
                let mut strings = String::new();
                collect_strings(value, &mut strings);
                out.push(Located {
                    page,
                    lines: start..=end,
                    strings,
                });
            }
            map.values().for_each(|v| collect_located(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_located(v, out)),
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
        .map(|p| p.trim_start_matches(BULLET_MARKS))
        .flat_map(split_number_separator)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// `1.保育士の確保` is a number and a name: the format keeps them in two
/// fields and not the period between.
fn split_number_separator(piece: &str) -> Vec<&str> {
    let digits = piece.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    match piece[digits..].strip_prefix(['.', '、']) {
        Some(rest)
            if digits > 0
                && !rest.is_empty()
                && !rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            vec![&piece[..digits], rest]
        }
        _ => vec![piece],
    }
}

/// A percentage (`100%`) held as a number in percent (`progress_percent`):
/// its number as JSON writes it.
fn as_percent_field(piece: &str) -> Option<String> {
    let number: f64 = piece.strip_suffix('%')?.parse().ok()?;
    serde_json::to_string(&number).ok()
}

/// The document's located objects, leaving out warnings and unplaced lines
/// (warnings quote source text: they must not count as placing it).
fn located(document: &keikaku::Document) -> Vec<Located> {
    let mut value = serde_json::to_value(document).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("warnings");
    object.remove("unplaced");
    let mut out = Vec::new();
    collect_located(&value, &mut out);
    out
}

/// The text lines repaired from fake-bold doubling, by (page, line): the
/// original and the text read, both as the warning quotes them. (A PDF's
/// glyphs drawn over themselves are read once before its lines exist: the
/// lines checked are already the repaired ones.)
fn undoubled_lines(document: &keikaku::Document) -> BTreeMap<(u64, u64), (String, String)> {
    let quoted =
        regex::Regex::new(r#"^text doubled by fake-bold rendering "(.*)" read as "(.*)"$"#)
            .unwrap();
    let is_pdf = document.source.format == keikaku::document::Format::Pdf;
    document
        .warnings
        .iter()
        .filter(|w| w.code == keikaku::document::WarningCode::DoubledText)
        .filter_map(|w| {
            let c = quoted.captures(&w.message);
            assert!(
                c.is_some() || is_pdf,
                "a doubling warning quotes both texts"
            );
            let c = c?;
            Some((
                (u64::from(w.page), u64::from(w.line)),
                (c[1].to_string(), c[2].to_string()),
            ))
        })
        .collect()
}

/// The lines read as two headings (a `heading_split` warning), by location:
/// the second heading as the warning quotes it.
fn split_lines(document: &keikaku::Document) -> BTreeMap<(u64, u64), String> {
    let quoted = regex::Regex::new(r#"^the line held a second heading, "(.*)", glued"#).unwrap();
    document
        .warnings
        .iter()
        .filter(|w| w.code == keikaku::document::WarningCode::HeadingSplit)
        .map(|w| {
            let c = quoted
                .captures(&w.message)
                .expect("a split warning quotes the second heading");
            ((u64::from(w.page), u64::from(w.line)), c[1].to_string())
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
    check_document(name, &document, &text_lines(&text))
}

/// The lines of a text file with their (page, line): form feeds start
/// pages, as keikaku reads them.
fn text_lines(text: &str) -> Vec<((u64, u64), String)> {
    let mut page = 1u64;
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            page += line.matches('\u{c}').count() as u64;
            ((page, index as u64 + 1), line.to_string())
        })
        .collect()
}

/// The lines a PDF's extraction gives, with their (page, line): what the
/// document's locations name.
fn pdf_lines(path: &std::path::Path) -> Vec<((u64, u64), String)> {
    let extracted = keikaku::extract_path(path, &Default::default()).expect("the PDF extracts");
    extracted
        .lines
        .iter()
        .map(|l| {
            (
                (u64::from(l.location.page), u64::from(l.location.line)),
                l.text(),
            )
        })
        .collect()
}

/// The lines of `text` that `document` (its conversion) does not account
/// for, named by `name`.
fn check_document(
    name: &str,
    document: &keikaku::Document,
    lines: &[((u64, u64), String)],
) -> Vec<String> {
    let unplaced: BTreeSet<(u64, u64)> = document
        .unplaced
        .iter()
        .map(|u| (u64::from(u.page), u64::from(u.line)))
        .collect();
    let located = located(document);
    let undoubled = undoubled_lines(document);
    let splits = split_lines(document);

    let mut lost = Vec::new();
    for (at, line) in lines {
        let at = *at;
        if line.trim().is_empty() || unplaced.contains(&at) {
            continue;
        }
        // The text of a line must be in what covers it: the heading, text
        // or row that says it stood there, not anywhere in the document.
        let strings: String = located
            .iter()
            .filter(|l| l.page == at.0 && l.lines.contains(&at.1))
            .map(|l| l.strings.as_str())
            .collect();
        if strings.is_empty() {
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
        // A line read as two headings holds each in its own heading: its
        // pieces are looked up with the line cut where the warning says.
        let expected = match splits.get(&at) {
            Some(second) => {
                let line = normalize_chars(&expected)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                match line.find(second.as_str()) {
                    Some(cut) => format!("{} {}", &line[..cut], &line[cut..]),
                    None => {
                        lost.push(format!(
                            "{name} line {}: the split warning's heading {second:?} is not in the line",
                            at.1
                        ));
                        line
                    }
                }
            }
            None => expected,
        };
        for piece in pieces(&expected) {
            // The marks that enclose a slogan or a subtitle (「…」, 〜…〜)
            // are consumed into the field: the 基本理念's text and subtitle.
            let unenclosed = piece.trim_matches(ENCLOSING_MARKS);
            let in_percent = as_percent_field(&piece).is_some_and(|n| strings.contains(&n));
            if !strings.contains(&piece)
                && (unenclosed.is_empty() || !strings.contains(unenclosed))
                && !in_percent
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
    // The hold-out sets too: a plan whose structure is misread must still
    // keep every line. The indicator corpus with them.
    let folders = [
        "structures",
        "structures-holdout",
        "indicators",
        "indicators-holdout",
        "indicators-holdout2",
        "indicators-holdout3",
    ];
    let mut texts: Vec<std::path::PathBuf> = folders
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(fixture_dir().join(folder))
                .unwrap_or_else(|e| panic!("fixtures/{folder} is readable: {e}"))
        })
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    assert!(texts.len() >= 50, "{} texts", texts.len());
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
    // line must be reported.
    let text = text_lines(&std::fs::read_to_string(input_path(TAMA_REPORT)).unwrap());
    let mut document = convert(TAMA_REPORT);
    assert!(check_document(TAMA_REPORT, &document, &text).is_empty());
    let removed = document.goals[0].policies[0].initiatives.remove(1);
    let lost = check_document(TAMA_REPORT, &document, &text);
    let line = format!("line {}:", removed.span.line_start);
    assert!(lost.iter().any(|l| l.contains(&line)), "{lost:?}");
}

#[test]
fn the_check_notices_text_placed_in_the_wrong_node() {
    // Two initiatives' names swapped: every line is still covered and every
    // word is somewhere in the document, but not in the row that covers it.
    let text = text_lines(&std::fs::read_to_string(input_path(TAMA_REPORT)).unwrap());
    let mut document = convert(TAMA_REPORT);
    let initiatives = &mut document.goals[0].policies[0].initiatives;
    let first = initiatives[1].name.take();
    initiatives[1].name = initiatives[2].name.take();
    initiatives[2].name = first;
    let lost = check_document(TAMA_REPORT, &document, &text);
    assert!(
        lost.iter().any(|l| l.contains("is in no field")),
        "{lost:?}"
    );
}

#[test]
fn every_line_of_the_fixture_pdfs_is_accounted_for() {
    let mut lost = Vec::new();
    let mut checked = 0;
    for folder in [
        "pdf",
        "layouts",
        "tables",
        "tables-holdout",
        "indicators/pdf",
        "indicators-holdout2/pdf",
        "indicators-holdout3/pdf",
    ] {
        for entry in std::fs::read_dir(fixture_dir().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            // The user-password PDF is the owner-password one, encrypted.
            if !name.ends_with(".pdf") || name.contains("user-password") {
                continue;
            }
            let document = keikaku::convert_path(&path).expect("the PDF converts");
            lost.extend(check_document(&name, &document, &pdf_lines(&path)));
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked} PDFs checked");
    assert!(
        lost.is_empty(),
        "{} line(s) lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

#[test]
fn every_normalized_line_of_the_fixtures_gives_back_its_source_line() {
    // Normalization keeps a line's decoded text only where its cells no
    // longer give it back; read back, it must be the source line in every
    // case (PDF rows with empty cells, text rows, repaired lines).
    let mut checked = 0;
    for path in files_under(&fixture_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".pdf") || name.ends_with(".txt")) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(extracted) = keikaku::extract::extract(&name, &bytes) else {
            continue; // the refused fixtures (a password, a bad file)
        };
        let normalized = keikaku::normalize::normalize(&extracted);
        for (source, line) in extracted.lines.iter().zip(&normalized.lines) {
            assert_eq!(line.raw(), source.text(), "{name} {:?}", line.location);
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked} lines checked");
}
