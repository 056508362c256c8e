//! `datapackage.json`: a Frictionless Data Package describing what a batch
//! wrote, for data portals (CKAN and others read it): the records as CSV
//! with their Table Schema (types and descriptions from the record schema),
//! as JSON Lines, and each document's JSON; the licence, the sources, and the
//! municipalities with their 全国地方公共団体コード where known.
//!
//! Municipalities are recognised by a name in the document's title or
//! preamble, from the table `data/municipalities.csv` (code, prefecture,
//! municipality, the name looked for): add a row to support another.

use super::csv::{Column, COLUMNS};
use crate::document::Document;
use serde_json::{json, Map, Value};
use std::sync::LazyLock;

/// The table of municipalities (`data/municipalities.csv`).
pub const MUNICIPALITIES_CSV: &str = include_str!("../../data/municipalities.csv");

/// A municipality of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// 全国地方公共団体コード, six digits with the check digit.
    pub code: String,
    /// Its prefecture (`東京都`).
    pub prefecture: String,
    /// Its name (`川崎市多摩区`).
    pub name: String,
    /// The name a document of it prints (`多摩区`).
    pub name_in_text: String,
}

/// The table, read once.
pub static MUNICIPALITIES: LazyLock<Vec<Municipality>> = LazyLock::new(|| {
    csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes())
        .records()
        .map(|row| {
            let row = row.expect("data/municipalities.csv is valid CSV");
            Municipality {
                code: row[0].to_string(),
                prefecture: row[1].to_string(),
                name: row[2].to_string(),
                name_in_text: row[3].to_string(),
            }
        })
        .collect()
});

/// The municipality a document is of: the one whose name stands first in
/// its prose (title, preamble, 基本理念, then each goal's title, direction
/// and descriptions), if any does.
pub fn municipality_of(document: &Document) -> Option<&'static Municipality> {
    let mut texts: Vec<&str> = document
        .title
        .iter()
        .chain(&document.preamble)
        .chain(&document.philosophy)
        .map(|t| t.text.as_str())
        .collect();
    for goal in &document.goals {
        texts.extend(goal.title.as_deref());
        texts.extend(
            goal.direction
                .iter()
                .chain(&goal.descriptions)
                .map(|t| t.text.as_str()),
        );
    }
    let text = texts.join("\n");
    MUNICIPALITIES
        .iter()
        .filter_map(|m| text.find(&m.name_in_text).map(|at| (at, m)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, m)| m)
}

/// True if `code` is six digits whose last is the check digit of the first
/// five (JIS X 0401/0402: weights 6 to 2, modulus 11).
pub fn valid_code(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 6 || code.len() != 6 {
        return false;
    }
    let sum: u32 = digits[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = (11 - sum % 11) % 10;
    digits[5] == check
}

/// One converted input, as the package lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input's file name.
    pub file_name: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its municipality, if known.
    pub municipality: Option<&'static Municipality>,
    /// The file name of its document JSON, if written.
    pub json_path: Option<String>,
}

impl Source {
    /// `document`'s entry, its JSON written as `json_path`.
    pub fn of(document: &Document, json_path: Option<String>) -> Source {
        Source {
            file_name: document.source.file_name.clone(),
            sha256: document.source.sha256.clone(),
            municipality: municipality_of(document),
            json_path,
        }
    }
}

/// What a batch wrote, for the package.
pub struct Contents<'a> {
    /// The converted inputs, in input order.
    pub sources: &'a [Source],
    /// `records.csv` was written, in this encoding (a Python codec name).
    pub csv_encoding: Option<&'static str>,
    /// `records.jsonl` was written.
    pub jsonl: bool,
    /// The licence of the data, an SPDX identifier.
    pub license: &'a str,
}

/// The package descriptor, as pretty JSON with a final newline. It holds no
/// date or path of this machine, so that runs give the same bytes.
pub fn datapackage_json(contents: &Contents) -> String {
    let mut resources = Vec::new();
    if let Some(encoding) = contents.csv_encoding {
        resources.push(json!({
            "name": "records",
            "title": "Initiatives, one per row (CSV)",
            "path": "records.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": encoding,
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": true},
            "schema": table_schema(),
        }));
    }
    if contents.jsonl {
        resources.push(json!({
            "name": "records-jsonl",
            "title": "Initiatives, one per line (JSON Lines; schema/record.schema.json of keikaku)",
            "path": "records.jsonl",
            "profile": "tabular-data-resource",
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "encoding": "utf-8",
            "schema": jsonl_table_schema(),
        }));
    }
    let mut names = Vec::new();
    for source in contents.sources {
        let Some(path) = &source.json_path else {
            continue;
        };
        let name = unique_name(&resource_name(path), &mut names);
        resources.push(json!({
            "name": name,
            "title": format!("The document tree of {} (schema/document.schema.json of keikaku)", source.file_name),
            "path": path,
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }));
    }
    let sources: Vec<Value> = contents
        .sources
        .iter()
        .map(|source| {
            let mut entry = json!({
                "title": source.file_name,
                "sha256": source.sha256,
            });
            if let Some(m) = source.municipality {
                entry["municipality"] = json!(m.name);
                entry["municipality_code"] = json!(m.code);
            }
            entry
        })
        .collect();
    let mut municipalities: Vec<&Municipality> = contents
        .sources
        .iter()
        .filter_map(|s| s.municipality)
        .collect();
    municipalities.sort_by(|a, b| a.code.cmp(&b.code));
    municipalities.dedup();
    let package = json!({
        "profile": "data-package",
        "name": "keikaku-plan-records",
        "title": "Initiatives of municipal plans (地域福祉計画), converted by keikaku",
        "licenses": [license(contents.license)],
        "sources": sources,
        "municipalities": municipalities.iter().map(|m| json!({
            "name": m.name,
            "prefecture": m.prefecture,
            "code": m.code,
        })).collect::<Vec<_>>(),
        "resources": resources,
    });
    let mut text = serde_json::to_string_pretty(&package).expect("JSON values serialize");
    text.push('\n');
    text
}

/// The Table Schema of `records.csv`.
fn table_schema() -> Value {
    let fields: Vec<Value> = COLUMNS.iter().map(field).collect();
    json!({"fields": fields, "missingValues": [""]})
}

/// The Table Schema of `records.jsonl`: a field per record property, lists
/// and objects as they are in JSON.
fn jsonl_table_schema() -> Value {
    let schema: Value =
        serde_json::from_str(crate::schema::RECORD_SCHEMA).expect("the bundled schema is JSON");
    let fields: Vec<Value> = schema["properties"]
        .as_object()
        .expect("the record schema has properties")
        .iter()
        .map(|(name, property)| {
            let types = super::csv::type_names(property);
            let kind = ["integer", "boolean", "array", "object", "string"]
                .into_iter()
                .find(|t| types.contains(t))
                .unwrap_or("any");
            let mut field = json!({
                "name": name,
                "type": kind,
                "description": property["description"],
            });
            if !types.contains(&"null") {
                field["constraints"] = json!({"required": true});
            }
            field
        })
        .collect();
    json!({"fields": fields, "missingValues": [""]})
}

fn field(column: &Column) -> Value {
    let mut field = Map::new();
    field.insert("name".into(), json!(column.name));
    field.insert("type".into(), json!(column.kind.name()));
    field.insert("description".into(), json!(column.description));
    if column.required {
        field.insert("constraints".into(), json!({"required": true}));
    }
    Value::Object(field)
}

/// A licence by SPDX identifier, with its title and address for the common
/// open-data ones.
fn license(id: &str) -> Value {
    const KNOWN: &[(&str, &str, &str)] = &[
        (
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        (
            "CC0-1.0",
            "CC0 1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            "ODC-BY-1.0",
            "Open Data Commons Attribution License 1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
    ];
    match KNOWN
        .iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(id))
    {
        Some((name, title, path)) => json!({"name": name, "title": title, "path": path}),
        None => json!({"name": id}),
    }
}

/// A resource name from a file name: lower case, and `-` for anything but
/// `a-z0-9._-` (Data Package names allow no more).
fn resource_name(path: &str) -> String {
    let stem = path.strip_suffix(".json").unwrap_or(path);
    let name: String = stem
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '_' | '-') => c,
            _ => '-',
        })
        .collect();
    format!("document-{name}")
}

/// `name`, or `name-2`, `name-3`… if taken.
fn unique_name(name: &str, taken: &mut Vec<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_in_the_table_has_its_check_digit() {
        assert!(!MUNICIPALITIES.is_empty());
        for m in MUNICIPALITIES.iter() {
            assert!(valid_code(&m.code), "{m:?}");
        }
        assert!(valid_code("131016")); // 千代田区
        assert!(!valid_code("141357"));
        assert!(!valid_code("14135"));
    }

    #[test]
    fn resource_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(
            unique_name(&resource_name("多摩区 Plan.json"), &mut taken),
            "document-----plan"
        );
        assert_eq!(
            unique_name(&resource_name("多摩区 Plan.json"), &mut taken),
            "document-----plan-2"
        );
    }
}
