//! `keikaku validate`: checks what keikaku wrote, whatever kind of file it
//! is: a document JSON against the document schema, JSON Lines of records
//! line by line against the record schema, and a `datapackage.json`
//! (the descriptor, and each file it lists).

use super::report::Reporter;
use super::{write_stdout, Exit};
use serde_json::Value;
use std::path::Path;

/// The most problems listed for one file; past it, a count.
const MAX_PROBLEMS: usize = 20;

/// What a file was found to be, when it is valid.
type Found = String;

/// A problem, with the line it is on when there is one.
#[derive(Debug)]
struct Problem {
    line: Option<usize>,
    reason: String,
}

impl Problem {
    fn whole(reason: impl Into<String>) -> Problem {
        Problem {
            line: None,
            reason: reason.into(),
        }
    }
}

/// Checks each file; prints `FILE: valid (what)` for each valid one and
/// the problems of the others (`FILE:LINE: reason` for a JSON Lines file).
pub fn validate(files: &[std::path::PathBuf], reporter: &Reporter) -> anyhow::Result<Exit> {
    let mut exit = Exit::Success;
    for file in files {
        match check_file(file) {
            Ok(found) => write_stdout(format!("{}: valid ({found})\n", file.display()).as_bytes())?,
            Err(problems) => {
                exit = Exit::Failed;
                for problem in problems.iter().take(MAX_PROBLEMS) {
                    match problem.line {
                        Some(line) => reporter.error_at_line(file, line, &problem.reason),
                        None => reporter.error(Some(file), &problem.reason),
                    }
                }
                if problems.len() > MAX_PROBLEMS {
                    reporter.error(
                        Some(file),
                        &format!("and {} more problems", problems.len() - MAX_PROBLEMS),
                    );
                }
            }
        }
    }
    Ok(exit)
}

/// What kind of file `path` holds, and whether it is valid.
fn check_file(path: &Path) -> Result<Found, Vec<Problem>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Problem::whole(format!("cannot read: {e}"))])?;
    let is_jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if is_jsonl {
        return check_records(&text);
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(value) if value.get("resources").is_some() => check_package(path, &value),
        Ok(value) => keikaku::schema::validate_document(&value)
            .map(|()| "document".to_string())
            .map_err(|e| vec![Problem::whole(format!("not a valid document: {e}"))]),
        // More than one value: JSON Lines under another name.
        Err(error) if error.is_syntax() && first_line_is_json(&text) => check_records(&text),
        Err(error) => Err(vec![Problem::whole(format!("not JSON: {error}"))]),
    }
}

fn first_line_is_json(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|line| serde_json::from_str::<Value>(line).is_ok())
}

/// JSON Lines, each line a record.
fn check_records(text: &str) -> Result<Found, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut records = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = Some(index + 1);
        match serde_json::from_str::<Value>(line) {
            Ok(value) => match keikaku::schema::validate_record(&value) {
                Ok(()) => records += 1,
                Err(e) => problems.push(Problem {
                    line: at,
                    reason: format!("not a valid record: {e}"),
                }),
            },
            Err(e) => problems.push(Problem {
                line: at,
                reason: format!("not JSON: {e}"),
            }),
        }
    }
    match problems.is_empty() {
        true => Ok(format!("{records} records")),
        false => Err(problems),
    }
}

/// A Data Package: the descriptor's required parts (a valid name for the
/// package and each resource, unique; a path for each resource) and each
/// file it lists, checked as what it says it is.
fn check_package(path: &Path, package: &Value) -> Result<Found, Vec<Problem>> {
    let mut problems = Vec::new();
    if let Some(name) = package.get("name").and_then(Value::as_str) {
        if !is_valid_name(name) {
            problems.push(Problem::whole(format!(
                "package name {name:?} is not lower-case letters, digits, -, ., _ or /"
            )));
        }
    }
    let resources = match package["resources"].as_array() {
        Some(resources) if !resources.is_empty() => resources,
        _ => return Err(vec![Problem::whole("a data package without resources")]),
    };
    let directory = keikaku::write::directory_of(path);
    let mut names = std::collections::BTreeSet::new();
    for (index, resource) in resources.iter().enumerate() {
        let label = resource["name"]
            .as_str()
            .map_or_else(|| format!("resource {}", index + 1), str::to_string);
        match resource["name"].as_str() {
            Some(name) if is_valid_name(name) => {
                if !names.insert(name) {
                    problems.push(Problem::whole(format!(
                        "resource name {name:?} is used twice"
                    )));
                }
            }
            Some(name) => problems.push(Problem::whole(format!(
                "resource name {name:?} is not lower-case letters, digits, -, ., _ or /"
            ))),
            None => problems.push(Problem::whole(format!("{label}: no name"))),
        }
        let Some(file) = resource["path"].as_str() else {
            problems.push(Problem::whole(format!("{label}: no path")));
            continue;
        };
        if file.starts_with('/') || file.split('/').any(|part| part == "..") {
            problems.push(Problem::whole(format!(
                "{label}: path {file:?} leaves the package's directory"
            )));
            continue;
        }
        let resource_path = directory.join(file);
        let checked = match resource["format"].as_str() {
            Some("csv") => check_csv_header(&resource_path, resource),
            Some("json" | "jsonl") => check_file(&resource_path).map(drop),
            _ => resource_path
                .is_file()
                .then_some(())
                .ok_or_else(|| vec![Problem::whole("missing")]),
        };
        if let Err(found) = checked {
            problems.extend(found.into_iter().map(|p| {
                Problem::whole(match p.line {
                    Some(line) => format!("{file}:{line}: {}", p.reason),
                    None => format!("{file}: {}", p.reason),
                })
            }));
        }
    }
    match problems.is_empty() {
        true => Ok(format!("data package, {} resources", resources.len())),
        false => Err(problems),
    }
}

/// A CSV resource's header row against its Table Schema's fields (the
/// header is ASCII in every encoding keikaku writes).
fn check_csv_header(path: &Path, resource: &Value) -> Result<(), Vec<Problem>> {
    let bytes =
        std::fs::read(path).map_err(|e| vec![Problem::whole(format!("cannot read: {e}"))])?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| vec![Problem::whole(format!("not CSV: {e}"))])?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let fields: Vec<String> = resource["schema"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if header != fields {
        return Err(vec![Problem::whole(format!(
            "the header row ({}) is not the schema's fields ({})",
            header.join(","),
            fields.join(",")
        ))]);
    }
    Ok(())
}

/// A name as a Data Package's names must be: `^[-a-z0-9._/]+$`.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'/'))
}
