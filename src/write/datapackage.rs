//! `datapackage.json`: a Frictionless Data Package describing what a batch
//! wrote, for data portals (CKAN and others read it): the records as CSV
//! with their Table Schema (types and descriptions from the record schema),
//! as JSON Lines, and each document's JSON; the metadata a portal shows
//! ([`PackageMetadata`]: name, title, description, publisher, keywords,
//! version, licence, source URLs), the sources, and the municipalities with
//! their 全国地方公共団体コード where known ([`super::municipalities`]).
//!
//! Resource names are made valid from any file name ([`resource_names`]).

use super::csv::{Column, COLUMNS};
pub use super::metadata::{License, PackageMetadata};
pub use super::municipalities::{
    municipality_of, valid_code, Municipality, Named, MUNICIPALITIES, MUNICIPALITIES_CSV,
};
use crate::document::Document;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// One converted input, as the package lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input's file name.
    pub file_name: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The municipality it names itself by, if any.
    pub municipality: Named,
    /// The file name of its document JSON, if written.
    pub json_path: Option<String>,
}

impl Source {
    /// `document`'s entry, its JSON written as `json_path`.
    pub fn of(document: &Document, json_path: Option<String>) -> Source {
        Source {
            file_name: document.source.file_name.clone(),
            sha256: document.source.sha256.clone(),
            municipality: super::municipalities::municipality_named(document),
            json_path,
        }
    }

    /// One line saying why this source got no municipality code, if it
    /// got none (main.rs prints it as a note).
    pub fn note(&self) -> Option<String> {
        self.municipality.note(&self.file_name)
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
    /// What the package says about the data.
    pub metadata: &'a PackageMetadata,
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
    let documents: Vec<(&Source, &String)> = contents
        .sources
        .iter()
        .filter_map(|s| s.json_path.as_ref().map(|path| (s, path)))
        .collect();
    let paths: Vec<&str> = documents.iter().map(|(_, p)| p.as_str()).collect();
    for ((source, path), name) in documents.iter().zip(resource_names(&paths)) {
        resources.push(json!({
            "name": name,
            "title": format!("The document tree of {} (schema/document.schema.json of keikaku)", source.file_name),
            "path": path,
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }));
    }
    let metadata = contents.metadata;
    let mut sources: Vec<Value> = metadata
        .source_urls
        .iter()
        .map(|url| json!({"title": url.as_str(), "path": url.as_str()}))
        .collect();
    sources.extend(contents.sources.iter().map(|source| {
        let mut entry = json!({
            "title": source.file_name,
            "sha256": source.sha256,
        });
        match &source.municipality {
            Named::Found(m) => {
                entry["municipality"] = json!(m.name);
                entry["municipality_code"] = json!(m.code);
            }
            // The name without a code: several municipalities have it.
            Named::Ambiguous { name, .. } => entry["municipality"] = json!(name),
            Named::Nothing => {}
        }
        entry
    }));
    let mut municipalities: Vec<&Municipality> = contents
        .sources
        .iter()
        .filter_map(|s| s.municipality.found())
        .collect();
    municipalities.sort_by(|a, b| a.code.cmp(&b.code));
    municipalities.dedup();
    // The municipality of every input, if all are of one.
    let found: Vec<Option<&Municipality>> = contents
        .sources
        .iter()
        .map(|s| s.municipality.found())
        .collect();
    let all_of_one: Vec<&Municipality> = match found.first() {
        Some(Some(first))
            if found
                .iter()
                .all(|m| m.is_some_and(|m| m.code == first.code)) =>
        {
            vec![*first]
        }
        _ => Vec::new(),
    };
    let license = metadata.license_or_default();
    let mut package = Map::new();
    package.insert("profile".into(), json!("data-package"));
    package.insert("name".into(), json!(package_name(metadata, &all_of_one)));
    package.insert("title".into(), json!(package_title(metadata, &all_of_one)));
    if let Some(description) = &metadata.description {
        package.insert("description".into(), json!(description));
    }
    if let Some(version) = &metadata.version {
        package.insert("version".into(), json!(version));
    }
    let keywords = metadata.keyword_list();
    if !keywords.is_empty() {
        package.insert("keywords".into(), json!(keywords));
    }
    if let Some(publisher) = &metadata.publisher {
        package.insert(
            "contributors".into(),
            json!([{"title": publisher, "role": "publisher"}]),
        );
    }
    package.insert(
        "licenses".into(),
        json!([{"name": license.id, "title": license.title, "path": license.url}]),
    );
    package.insert("sources".into(), json!(sources));
    package.insert(
        "municipalities".into(),
        municipalities
            .iter()
            .map(|m| json!({"name": m.name, "prefecture": m.prefecture, "code": m.code}))
            .collect(),
    );
    package.insert("resources".into(), json!(resources));
    let package = Value::Object(package);
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
            let kind = ["integer", "number", "boolean", "array", "object", "string"]
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

/// The package's name: the one given; else, for a title all in ASCII
/// (full-width letters folded), its words (`Machida Plan 2024` →
/// `machida-plan-2024`); else `keikaku-plan-records`, with the
/// municipality's code when all inputs are of one
/// (`keikaku-plan-records-132098`).
fn package_name(metadata: &PackageMetadata, municipalities: &[&Municipality]) -> String {
    if let Some(name) = &metadata.name {
        return name.as_str().to_string();
    }
    if let Some(title) = &metadata.title {
        use unicode_normalization::UnicodeNormalization;
        let words = ascii_words(title);
        if title.nfkc().all(|c| c.is_ascii()) && !words.is_empty() {
            return words;
        }
    }
    match municipalities {
        [one] => format!("keikaku-plan-records-{}", one.code),
        _ => "keikaku-plan-records".to_string(),
    }
}

/// The package's title: the one given, else one naming the municipality
/// when all inputs are of one.
fn package_title(metadata: &PackageMetadata, municipalities: &[&Municipality]) -> String {
    if let Some(title) = &metadata.title {
        return title.clone();
    }
    match municipalities {
        [one] => format!(
            "Initiatives of the plans of {}{} (地域福祉計画), converted by keikaku",
            one.prefecture, one.name
        ),
        _ => "Initiatives of municipal plans (地域福祉計画), converted by keikaku".to_string(),
    }
}

/// The runs of ASCII letters, digits and `._` of `text` (full-width ones
/// folded), lower case, joined by `-`; empty if it has none.
fn ascii_words(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if matches!(c, 'a'..='z' | '0'..='9' | '.' | '_') {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    words.push(word);
    words.retain(|w| !w.trim_matches(['.', '_']).is_empty());
    words.join("-")
}

/// Valid, unique Data Package resource names for the document files
/// `paths`, in order: `document-` and the file stem's ASCII words (lower
/// case, full-width letters folded, runs of anything else as one `-`);
/// where the stem had anything else (a Japanese name), the first 8 hex
/// digits of the SHA-256 of the file name follow, so that `多摩区 Plan.json`
/// and `町田市 Plan.json` differ and each keeps its name whatever else the
/// batch holds (`document-plan-1b2c3d4e`; a stem of no ASCII word gives
/// `document-1b2c3d4e`). A name already given (`Plan.json`, `plan.json`)
/// gets `-2`, `-3`… in input order. The file name itself stays in the
/// resource's `path` and `title`.
pub fn resource_names(paths: &[&str]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for path in paths {
        let stem = path.strip_suffix(".json").unwrap_or(path);
        let words = ascii_words(stem);
        let plain = stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ' '));
        let mut name = match words.is_empty() {
            true => "document".to_string(),
            false => format!("document-{words}"),
        };
        if !plain || words.is_empty() {
            let digest = Sha256::digest(path.as_bytes());
            let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
            name = format!("{name}-{hex}");
        }
        let mut candidate = name.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{name}-{n}");
            n += 1;
        }
        taken.push(candidate);
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_in_the_table_has_its_check_digit() {
        assert!(MUNICIPALITIES.len() > 1900);
        for m in MUNICIPALITIES.iter() {
            assert!(valid_code(&m.code), "{m:?}");
        }
        assert!(valid_code("131016")); // 千代田区
        assert!(!valid_code("141357"));
        assert!(!valid_code("14135"));
    }

    #[test]
    fn resource_names_are_valid_and_unique() {
        let names = resource_names(&[
            "machida-report.json",
            "多摩区 Plan.json",
            "町田市 Plan.json",
            "計画.json",
            "Plan.json",
            "plan.json",
            "ＦＹ２０２４.json",
        ]);
        assert_eq!(names[0], "document-machida-report");
        assert!(names[1].starts_with("document-plan-") && names[1].len() == 22);
        assert!(names[2].starts_with("document-plan-") && names[1] != names[2]);
        assert!(names[3].starts_with("document-") && names[3].len() == 17);
        assert_eq!(names[4], "document-plan");
        assert_eq!(names[5], "document-plan-2");
        assert!(names[6].starts_with("document-fy2024-"));
        // Stable: the same file name gives the same name in another batch.
        assert_eq!(resource_names(&["計画.json"])[0], names[3]);
    }
}
