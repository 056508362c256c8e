//! The flat records as CSV, for spreadsheet users.
//!
//! The columns are read from the record schema (`schema/record.schema.json`),
//! in its order, so that the CSV, its Table Schema in `datapackage.json` and
//! the JSON Lines never disagree:
//!
//! - a scalar field is a column of its own (`null` is an empty cell);
//! - a list field (`departments`, `plan_pages`) is one cell, its items joined
//!   by [`LIST_SEPARATOR`];
//! - an object field (`reposted_from`, `baseline`) is a yes/no column under
//!   its own name (is it there?) and one column per part
//!   (`reposted_from_goal`, …, `baseline_value`, …);
//! - an object of free keys (`extra`: header → cell) is one cell, the object
//!   as JSON; so is each item of a list of objects (`actuals`).
//!
//! The file is UTF-8 with a byte order mark, which Excel needs to open
//! Japanese text right, or CP932 for older tools: a character CP932 lacks is
//! written as `〓` (the geta mark, the customary stand-in) and reported, never
//! turned silently into an HTML entity as encoding_rs would.

use crate::schema::RECORD_SCHEMA;
use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};
use serde_json::Value;
use std::sync::LazyLock;

/// Joins the items of a list field in one cell. Department names and page
/// numbers never hold it.
pub const LIST_SEPARATOR: &str = "|";

/// What stands for a character the CSV's encoding cannot hold.
pub const STAND_IN: char = '〓';

/// The kind of values a column holds, as Table Schema names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number (`38.2`).
    Number,
    /// `true` or `false`.
    Boolean,
}

impl ColumnType {
    /// Its Table Schema name.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
        }
    }
}

/// Where a column's cell comes from in a record's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// The field's value.
    Field(String),
    /// A list field, its items joined.
    List(String),
    /// Whether an object field is there.
    Present(String),
    /// An object of free keys, as JSON.
    Json(String),
    /// A part of an object field.
    Part(String, String),
}

/// One CSV column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its header.
    pub name: String,
    /// What it holds.
    pub kind: ColumnType,
    /// What it means, from the record schema.
    pub description: String,
    /// The column cannot be empty.
    pub required: bool,
    source: Source,
}

/// The columns, in order, read from the record schema.
pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(RECORD_SCHEMA).expect("the bundled schema is JSON");
    let properties = schema["properties"]
        .as_object()
        .expect("the record schema has properties");
    properties
        .iter()
        .flat_map(|(name, property)| columns_of(name, property))
        .collect()
});

/// The column(s) of one record field.
fn columns_of(name: &str, property: &Value) -> Vec<Column> {
    let types = type_names(property);
    let description = property["description"].as_str().unwrap_or_default();
    let nullable = types.contains(&"null");
    if types.contains(&"object") && property.get("properties").is_none() {
        return vec![Column {
            name: name.to_string(),
            kind: ColumnType::String,
            description: format!("{description} (as a JSON object)"),
            required: false,
            source: Source::Json(name.to_string()),
        }];
    }
    if types.contains(&"object") {
        let mut columns = vec![Column {
            name: name.to_string(),
            kind: ColumnType::Boolean,
            description: format!("Whether it is given: {description}"),
            required: true,
            source: Source::Present(name.to_string()),
        }];
        let parts = property["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (part, schema) in &parts {
            let mut column = scalar_column(&format!("{name}_{part}"), schema);
            column.required = false;
            column.source = Source::Part(name.to_string(), part.clone());
            columns.push(column);
        }
        return columns;
    }
    if types.contains(&"array") {
        return vec![Column {
            name: name.to_string(),
            kind: ColumnType::String,
            description: format!("{description} (items joined by \"{LIST_SEPARATOR}\")"),
            required: false,
            source: Source::List(name.to_string()),
        }];
    }
    let mut column = scalar_column(name, property);
    column.required = !nullable;
    vec![column]
}

fn scalar_column(name: &str, property: &Value) -> Column {
    let types = type_names(property);
    let kind = if types.contains(&"integer") {
        ColumnType::Integer
    } else if types.contains(&"number") {
        ColumnType::Number
    } else if types.contains(&"boolean") {
        ColumnType::Boolean
    } else {
        ColumnType::String
    };
    Column {
        name: name.to_string(),
        kind,
        description: property["description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        required: !types.contains(&"null"),
        source: Source::Field(name.to_string()),
    }
}

/// A JSON Schema property's `type`, as a list.
pub(crate) fn type_names(property: &Value) -> Vec<&str> {
    match &property["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A scalar as a cell: text as is, numbers and booleans as JSON writes
/// them, `null` empty.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One record's cells, in the order of [`COLUMNS`], as the CSV writes them.
pub fn row(record: &Value) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|column| match &column.source {
            Source::Field(name) => cell(&record[name]),
            Source::List(name) => record[name]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(cell)
                        .collect::<Vec<_>>()
                        .join(LIST_SEPARATOR)
                })
                .unwrap_or_default(),
            Source::Present(name) => (!record[name].is_null()).to_string(),
            Source::Json(name) => record[name].to_string(),
            Source::Part(name, part) => cell(&record[name][part]),
        })
        .collect()
}

/// A character the chosen encoding cannot hold, where it stood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmappable {
    /// The character.
    pub character: char,
    /// The data row (1 is the first after the header).
    pub row: usize,
    /// The column's header.
    pub column: String,
}

/// The CSV file: its bytes, and the characters replaced by [`STAND_IN`].
#[derive(Debug, Clone)]
pub struct Csv {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// What the encoding could not hold.
    pub unmappable: Vec<Unmappable>,
}

/// The records (JSON values of [`crate::records::Record`]) as a CSV file in
/// `encoding`: UTF-8 with a BOM, or a legacy encoding such as CP932.
pub fn records_csv(records: &[Value], encoding: &'static Encoding) -> Csv {
    let mut encoder = CsvEncoder::new(encoding);
    let mut bytes = encoder.header();
    let rows = encoder.rows(records);
    bytes.extend(rows.bytes);
    Csv {
        bytes,
        unmappable: rows.unmappable,
    }
}

/// Writes a CSV file piece by piece (the header, then rows as they come),
/// so that a batch need not hold all its records.
#[derive(Debug, Clone)]
pub struct CsvEncoder {
    encoding: &'static Encoding,
    /// Data rows written so far.
    rows: usize,
}

impl CsvEncoder {
    /// An encoder for a file in `encoding`.
    pub fn new(encoding: &'static Encoding) -> CsvEncoder {
        CsvEncoder { encoding, rows: 0 }
    }

    /// The encoding it writes.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// The file's start: a BOM for UTF-8, and the header line.
    pub fn header(&self) -> Vec<u8> {
        let names: Vec<String> = COLUMNS.iter().map(|c| c.name.clone()).collect();
        let mut bytes = if self.encoding == UTF_8 {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        bytes.extend(self.encode(&[names]));
        bytes
    }

    /// The lines of `records`, numbered on from the rows before them.
    pub fn rows(&mut self, records: &[Value]) -> Csv {
        let mut unmappable = Vec::new();
        let mut rows = Vec::with_capacity(records.len());
        for record in records {
            self.rows += 1;
            let mut cells = row(record);
            if self.encoding != UTF_8 {
                for (cell, column) in cells.iter_mut().zip(COLUMNS.iter()) {
                    *cell = stand_in_for_unmappable(cell, self.encoding, |character| {
                        unmappable.push(Unmappable {
                            character,
                            row: self.rows,
                            column: column.name.clone(),
                        })
                    });
                }
            }
            rows.push(cells);
        }
        Csv {
            bytes: self.encode(&rows),
            unmappable,
        }
    }

    /// `rows` as CSV lines (CRLF) in the encoding; every character is
    /// mappable by now.
    fn encode(&self, rows: &[Vec<String>]) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for cells in rows {
            writer
                .write_record(cells)
                .expect("writing to memory does not fail");
        }
        let text = String::from_utf8(writer.into_inner().expect("flushing memory does not fail"))
            .expect("the cells are UTF-8");
        if self.encoding == UTF_8 {
            text.into_bytes()
        } else {
            self.encoding.encode(&text).0.into_owned()
        }
    }
}

/// `text` in the forms a Windows file holds (`〜` as `～`), each character
/// `encoding` still cannot hold replaced by [`STAND_IN`] and reported to
/// `found`.
fn stand_in_for_unmappable(
    text: &str,
    encoding: &'static Encoding,
    mut found: impl FnMut(char),
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buffer = [0u8; 4];
    for c in crate::extract::text::to_windows_forms(text).chars() {
        let (_, _, lossy) = encoding.encode(c.encode_utf8(&mut buffer));
        if lossy {
            found(c);
            out.push(STAND_IN);
        } else {
            out.push(c);
        }
    }
    out
}

/// The name Python's codecs (and so frictionless) give `encoding`, for
/// `datapackage.json`: UTF-8 with a BOM is `utf-8-sig`.
pub fn codec_name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "utf-8-sig"
    } else if encoding == SHIFT_JIS {
        "cp932"
    } else {
        "euc-jp"
    }
}

/// The encoding `--csv-encoding` names: `utf-8` (with a BOM) or a legacy
/// Japanese one (`cp932`, `shift_jis`, `euc-jp`).
pub fn csv_encoding(label: &str) -> Option<&'static Encoding> {
    let encoding = crate::extract::text::encoding_for_label(label)?;
    (encoding == UTF_8 || encoding == SHIFT_JIS || encoding == encoding_rs::EUC_JP)
        .then_some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names() -> Vec<String> {
        COLUMNS.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn columns_follow_the_record_schema() {
        let names = names();
        assert_eq!(names[0], "source_file");
        let at = |n: &str| names.iter().position(|c| c == n).unwrap();
        assert_eq!(
            names[at("reposted_from")..at("reposted_from") + 5],
            [
                "reposted_from",
                "reposted_from_goal",
                "reposted_from_policy",
                "reposted_from_measure",
                "reposted_from_sub_measure"
            ]
        );
        let departments = &COLUMNS[at("departments")];
        assert_eq!(departments.kind, ColumnType::String);
        assert!(departments.description.contains("joined by \"|\""));
        assert_eq!(COLUMNS[at("number")].kind, ColumnType::Integer);
        assert_eq!(COLUMNS[at("citywide")].kind, ColumnType::Boolean);
    }

    #[test]
    fn lists_join_objects_spread_nulls_empty() {
        let record = json!({
            "source_file": "a.txt", "number": 3, "departments": ["地域支援課", "保健福祉課"],
            "plan_pages": [57, 58], "reposted_from": {"goal": 3, "policy": 1, "measure": null, "sub_measure": null},
            "citywide": false, "name": null
        });
        let cells = row(&record);
        let at = |n: &str| cells[names().iter().position(|c| c == n).unwrap()].clone();
        assert_eq!(at("departments"), "地域支援課|保健福祉課");
        assert_eq!(at("plan_pages"), "57|58");
        assert_eq!(at("reposted_from"), "true");
        assert_eq!(at("reposted_from_goal"), "3");
        assert_eq!(at("reposted_from_measure"), "");
        assert_eq!(at("number"), "3");
        assert_eq!(at("name"), "");
        assert_eq!(at("citywide"), "false");
    }

    #[test]
    fn utf8_has_a_bom_and_cp932_stands_in_for_what_it_lacks() {
        let record = json!({"source_file": "a.txt", "name": "𠮷野家と髙島屋"});
        let utf8 = records_csv(std::slice::from_ref(&record), UTF_8);
        assert!(utf8.bytes.starts_with("\u{feff}source_file,".as_bytes()));
        assert!(utf8.unmappable.is_empty());
        let cp932 = records_csv(&[record], SHIFT_JIS);
        let (text, _, _) = SHIFT_JIS.decode(&cp932.bytes);
        assert!(text.contains("〓野家と髙島屋"), "{text}");
        assert_eq!(
            cp932.unmappable,
            [Unmappable {
                character: '𠮷',
                row: 1,
                column: "name".into()
            }]
        );
    }
}
