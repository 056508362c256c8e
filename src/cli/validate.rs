//! `keikaku validate`: checks what keikaku wrote, whatever kind of file it
//! is: a document JSON against the document schema, JSON Lines of records
//! line by line against the record schema, and a `datapackage.json`
//! (the descriptor, and each file it lists).

use super::report::Reporter;
use super::{write_stdout, ClosedPipe, Exit};
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

/// What a file holds, as keikaku writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A document JSON, one record (no `format_version`), or a Data
    /// Package (`resources`).
    Json,
    /// JSON Lines of records.
    JsonLines,
    /// `records.csv`, in this encoding (`None`: detected).
    Csv(Option<&'static encoding_rs::Encoding>),
}

impl Kind {
    /// The kind a file's name says.
    fn of_name(path: &Path) -> Kind {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("jsonl" | "ndjson") => Kind::JsonLines,
            Some("csv") => Kind::Csv(None),
            _ => Kind::Json,
        }
    }
}

/// Checks each file; prints `FILE: valid (what)` for each valid one and
/// the problems of the others (`FILE:LINE: reason` for a JSON Lines file).
/// A closed standard output does not stop the checks: the exit status
/// still tells whether every file is valid.
pub fn validate(files: &[std::path::PathBuf], reporter: &Reporter) -> anyhow::Result<Exit> {
    let mut exit = Exit::Success;
    let mut stdout_open = true;
    for file in files {
        match check_file(file, Kind::of_name(file), true) {
            Ok(found) if stdout_open => {
                let line = format!("{}: valid ({found})\n", file.display());
                match write_stdout(line.as_bytes()) {
                    Ok(()) => {}
                    Err(error) if error.is::<ClosedPipe>() => stdout_open = false,
                    Err(error) => return Err(error),
                }
            }
            Ok(_) => {}
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

/// Whether the file at `path`, expected to be of `kind`, is valid. A JSON
/// file with `resources` is a Data Package where `packages` allows one (not
/// inside a package: a package that lists itself is not read again).
fn check_file(path: &Path, kind: Kind, packages: bool) -> Result<Found, Vec<Problem>> {
    if let Kind::Csv(encoding) = kind {
        return check_csv(path, encoding);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Problem::whole(format!("cannot read: {e}"))])?;
    if kind == Kind::JsonLines {
        return check_records(&text);
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(value) if value.get("resources").is_some() => match packages {
            true => check_package(path, &value),
            false => Err(vec![Problem::whole(
                "a data package where a document was expected",
            )]),
        },
        // A record alone: JSON Lines of one line.
        Ok(value) if value.get("format_version").is_none() && value.get("number").is_some() => {
            check_records(&text)
        }
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
                reason: format!("not JSON (at column {}): {e}", e.column()),
            }),
        }
    }
    match problems.is_empty() {
        true => Ok(plural(records, "record")),
        false => Err(problems),
    }
}

fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// A Data Package: the descriptor's required parts (a valid name for the
/// package and each resource, unique; a path for each resource) and each
/// file it lists, checked as the format it declares.
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
        let kind = match resource["format"].as_str() {
            Some("csv") => Some(Kind::Csv(
                resource["encoding"]
                    .as_str()
                    .and_then(keikaku::write::csv::csv_encoding),
            )),
            Some("json") => Some(Kind::Json),
            Some("jsonl") => Some(Kind::JsonLines),
            _ => None,
        };
        let checked = match kind {
            Some(kind) => check_file(&resource_path, kind, false).map(drop),
            None => resource_path
                .is_file()
                .then_some(())
                .ok_or_else(|| vec![Problem::whole("missing")]),
        };
        if let (Some(Kind::Csv(_)), Ok(())) = (kind, &checked) {
            if let Err(problem) = check_csv_fields(&resource_path, resource) {
                problems.push(problem);
            }
        }
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
        true => Ok(format!(
            "data package, {}",
            plural(resources.len(), "resource")
        )),
        false => Err(problems),
    }
}

/// `records.csv` as keikaku writes it: decoded in `encoding` (or the one
/// of UTF-8, CP932 and EUC-JP that decodes it), keikaku's header row, and
/// every row whole, with as many fields as the header.
fn check_csv(
    path: &Path,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Found, Vec<Problem>> {
    let bytes =
        std::fs::read(path).map_err(|e| vec![Problem::whole(format!("cannot read: {e}"))])?;
    let candidates = match encoding {
        Some(encoding) => vec![encoding],
        None => vec![
            encoding_rs::UTF_8,
            encoding_rs::SHIFT_JIS,
            encoding_rs::EUC_JP,
        ],
    };
    let Some(text) = candidates.iter().find_map(|encoding| {
        let (text, _, errors) = encoding.decode(&bytes);
        (!errors).then_some(text)
    }) else {
        return Err(vec![Problem::whole(format!(
            "not text in {}",
            candidates
                .iter()
                .map(|e| e.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))]);
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![Problem::whole(format!("not CSV: {e}"))])?
        .iter()
        .map(str::to_string)
        .collect();
    let expected = record_columns();
    if header != expected {
        return Err(vec![Problem {
            line: Some(1),
            reason: format!(
                "the header row is not keikaku's records ({} columns, expected {})",
                header.len(),
                expected.len()
            ),
        }]);
    }
    let mut problems = Vec::new();
    let mut rows = 0;
    for row in reader.records() {
        match row {
            Ok(row) if row.len() == header.len() => rows += 1,
            Ok(row) => problems.push(Problem {
                line: row.position().map(|p| p.line() as usize),
                reason: format!("{} fields, expected {}", row.len(), header.len()),
            }),
            Err(e) => problems.push(Problem {
                line: e.position().map(|p| p.line() as usize),
                reason: format!("not CSV: {e}"),
            }),
        }
    }
    match problems.is_empty() {
        true => Ok(plural(rows, "row")),
        false => Err(problems),
    }
}

/// A CSV resource's header row against its Table Schema's fields.
fn check_csv_fields(path: &Path, resource: &Value) -> Result<(), Problem> {
    let fields: Vec<&str> = resource["schema"]["fields"]
        .as_array()
        .map(|fields| fields.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    let expected = record_columns();
    match fields == expected {
        true => Ok(()),
        false => Err(Problem::whole(format!(
            "{}: the schema's fields ({}) are not the header row's",
            path.display(),
            fields.join(",")
        ))),
    }
}

/// A name as a Data Package's names must be: `^[-a-z0-9._/]+$`, the rule
/// `--name` is checked by.
fn is_valid_name(name: &str) -> bool {
    name.parse::<keikaku::write::metadata::PackageName>()
        .is_ok()
}

/// The header of keikaku's `records.csv`: the record schema's columns.
fn record_columns() -> Vec<&'static str> {
    keikaku::write::csv::COLUMNS
        .iter()
        .map(|c| c.name.as_str())
        .collect()
}
