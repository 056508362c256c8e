//! `keikaku diff OLD NEW`: what changed between two conversions of a plan
//! (two years' progress reports, or a fixture before and after a parser
//! change), record by record.
//!
//! A record is known by its place in the plan: goal, policy, measure and
//! sub-measure numbers and its printed number (its name when it has none, as
//! listed initiatives do; the n-th of equal keys matches the n-th). Records
//! only in NEW are added, only in OLD removed; in both, every field that
//! differs is listed, except where the record stood in the file
//! ([`LOCATION_FIELDS`]), which moves with any edit above it.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Fields that say where a record stood, not what it says.
pub const LOCATION_FIELDS: &[&str] = &["source_file", "page", "line_start", "line_end"];

/// Where a record stands in the plan: what identifies it across versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordKey {
    /// An indicator's record (`kind: "indicator"`) is never an initiative's.
    pub indicator: bool,
    /// 基本目標 number.
    pub goal: Option<u64>,
    /// 基本方針 / 基本施策 number.
    pub policy: Option<u64>,
    /// (N).
    pub measure: Option<u64>,
    /// ①.
    pub sub_measure: Option<u64>,
    /// The printed number.
    pub number: Option<u64>,
    /// The name, for records without a number.
    pub name: Option<String>,
    /// Which of the records with the same key (0 for the first).
    pub occurrence: usize,
}

impl RecordKey {
    /// A short label: `1-2-(3)-④ No.12`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        parts.extend(self.goal.map(|g| g.to_string()));
        parts.extend(self.policy.map(|p| p.to_string()));
        parts.extend(self.measure.map(|m| format!("({m})")));
        parts.extend(self.sub_measure.map(circled));
        let mut label = parts.join("-");
        if self.indicator {
            label.push_str(" 指標");
        }
        match (&self.number, &self.name) {
            (Some(number), _) => label.push_str(&format!(" No.{number}")),
            (None, Some(name)) => label.push_str(&format!(" 「{name}」")),
            (None, None) => {}
        }
        if self.occurrence > 0 {
            label.push_str(&format!(" (#{})", self.occurrence + 1));
        }
        label.trim().to_string()
    }
}

/// ① for 1 … ⑳ for 20; beyond, the number in parentheses.
fn circled(n: u64) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from),
        _ => format!("({n})"),
    }
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field's name.
    pub field: String,
    /// Its value in OLD.
    pub old: Value,
    /// Its value in NEW.
    pub new: Value,
}

/// A record in both, with the fields that differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedRecord {
    /// Where it stands.
    pub key: RecordKey,
    /// Its name in NEW.
    pub name: Value,
    /// What differs.
    pub fields: Vec<FieldChange>,
}

/// Everything that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Records only in NEW, in NEW's order.
    pub added: Vec<Value>,
    /// Records only in OLD, in OLD's order.
    pub removed: Vec<Value>,
    /// Records in both that differ, in NEW's order.
    pub changed: Vec<ChangedRecord>,
}

impl Diff {
    /// True if nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// The diff for people: a line per record, an indented line per field,
    /// and a count.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for record in &self.changed {
            out.push_str(&format!(
                "changed {}{}\n",
                record.key.label(),
                name_suffix(&record.name, &record.key)
            ));
            for change in &record.fields {
                out.push_str(&format!(
                    "  {}: {} → {}\n",
                    change.field,
                    show(&change.old),
                    show(&change.new)
                ));
            }
        }
        for (verb, records) in [("added", &self.added), ("removed", &self.removed)] {
            for record in records {
                let key = key_of(record, 0);
                out.push_str(&format!(
                    "{verb} {}{}\n",
                    key.label(),
                    name_suffix(&record["name"], &key)
                ));
            }
        }
        out.push_str(&format!(
            "{} changed, {} added, {} removed\n",
            self.changed.len(),
            self.added.len(),
            self.removed.len()
        ));
        out
    }
}

/// ` 「name」` after a key that does not already show it.
fn name_suffix(name: &Value, key: &RecordKey) -> String {
    match (name.as_str(), &key.number) {
        (Some(name), Some(_)) => format!(" 「{name}」"),
        _ => String::new(),
    }
}

/// A value for people: strings quoted, `null` as `(none)`.
pub fn show(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        other => other.to_string(),
    }
}

/// The key of `record`, the `occurrence`-th with it.
pub fn key_of(record: &Value, occurrence: usize) -> RecordKey {
    let number = record["number"].as_u64();
    RecordKey {
        indicator: record["kind"] == "indicator",
        goal: record["goal_number"].as_u64(),
        policy: record["policy_number"].as_u64(),
        measure: record["measure_number"].as_u64(),
        sub_measure: record["sub_measure_number"].as_u64(),
        number,
        name: number
            .is_none()
            .then(|| record["name"].as_str().map(str::to_string))
            .flatten(),
        occurrence,
    }
}

/// Each record with its key, in order.
fn keyed(records: &[Value]) -> Vec<(RecordKey, &Value)> {
    let mut seen: BTreeMap<RecordKey, usize> = BTreeMap::new();
    records
        .iter()
        .map(|record| {
            let base = key_of(record, 0);
            let count = seen.entry(base.clone()).or_default();
            let key = RecordKey {
                occurrence: *count,
                ..base
            };
            *count += 1;
            (key, record)
        })
        .collect()
}

/// The fields of two versions of a record that differ, location aside, in
/// NEW's field order (then fields only OLD has).
fn field_changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let names = new
        .keys()
        .chain(old.keys().filter(|k| !new.contains_key(*k)));
    let mut changes = Vec::new();
    for name in names {
        if LOCATION_FIELDS.contains(&name.as_str()) {
            continue;
        }
        let (before, after) = (
            old.get(name).unwrap_or(&Value::Null),
            new.get(name).unwrap_or(&Value::Null),
        );
        if before != after {
            changes.push(FieldChange {
                field: name.clone(),
                old: before.clone(),
                new: after.clone(),
            });
        }
    }
    changes
}

/// Compares the records (JSON values of [`crate::records::Record`]) of two
/// conversions.
pub fn diff(old: &[Value], new: &[Value]) -> Diff {
    let old_keyed = keyed(old);
    let new_keyed = keyed(new);
    let old_by_key: BTreeMap<&RecordKey, &Value> = old_keyed.iter().map(|(k, v)| (k, *v)).collect();
    let new_by_key: BTreeMap<&RecordKey, &Value> = new_keyed.iter().map(|(k, v)| (k, *v)).collect();
    let mut result = Diff {
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for (key, record) in &new_keyed {
        match old_by_key.get(key) {
            None => result.added.push((*record).clone()),
            Some(before) => {
                let fields = field_changes(before, record);
                if !fields.is_empty() {
                    result.changed.push(ChangedRecord {
                        key: key.clone(),
                        name: record["name"].clone(),
                        fields,
                    });
                }
            }
        }
    }
    for (key, record) in &old_keyed {
        if !new_by_key.contains_key(key) {
            result.removed.push((*record).clone());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(number: u64, mark: &str, line: u64) -> Value {
        json!({"source_file": "a.txt", "goal_number": 1, "policy_number": 2, "measure_number": 3,
               "sub_measure_number": 4, "number": number, "name": format!("取組{number}"),
               "progress_mark": mark, "page": 1, "line_start": line, "line_end": line})
    }

    #[test]
    fn an_indicator_is_matched_by_its_name_and_its_values_compared() {
        let indicator = |target: f64| {
            json!({"kind": "indicator", "goal_number": 1, "policy_number": 2, "number": null,
                   "name": "登録者数", "target": {"raw": format!("{target}人"), "value": target},
                   "page": 1, "line_start": 5, "line_end": 5})
        };
        // An initiative of the same name is another record.
        let initiative = json!({"goal_number": 1, "policy_number": 2, "number": null,
                                "name": "登録者数", "page": 1, "line_start": 4, "line_end": 4});
        let old = vec![initiative.clone(), indicator(1000.0)];
        let new = vec![initiative, indicator(1200.0)];
        let found = diff(&old, &new);
        assert!(found.added.is_empty() && found.removed.is_empty());
        assert_eq!(found.changed.len(), 1);
        assert_eq!(found.changed[0].key.label(), "1-2 指標 「登録者数」");
        assert_eq!(found.changed[0].fields[0].field, "target");
    }

    #[test]
    fn a_changed_mark_is_the_one_change() {
        let old = vec![record(1, "○", 10), record(2, "○", 11)];
        let new = vec![record(1, "○", 12), record(2, "△", 13)];
        let found = diff(&old, &new);
        assert!(found.added.is_empty() && found.removed.is_empty());
        assert_eq!(found.changed.len(), 1);
        assert_eq!(
            found.changed[0].fields,
            [FieldChange {
                field: "progress_mark".into(),
                old: json!("○"),
                new: json!("△")
            }]
        );
        assert_eq!(
            found.to_text(),
            "changed 1-2-(3)-④ No.2 「取組2」\n  progress_mark: \"○\" → \"△\"\n1 changed, 0 added, 0 removed\n"
        );
    }

    #[test]
    fn records_are_matched_by_place_not_by_order() {
        let old = vec![record(1, "○", 1), record(2, "○", 2)];
        let new = vec![record(2, "○", 1), record(3, "○", 2)];
        let found = diff(&old, &new);
        assert_eq!(found.added, [record(3, "○", 2)]);
        assert_eq!(found.removed, [record(1, "○", 1)]);
        assert!(found.changed.is_empty());
        assert!(diff(&old, &old).is_empty());
    }

    #[test]
    fn unnumbered_records_are_known_by_name_and_occurrence() {
        let item = |name: &str| json!({"goal_number": 2, "number": null, "name": name});
        let old = vec![item("サロン"), item("サロン"), item("ひろば")];
        let new = vec![item("サロン"), item("ひろば")];
        let found = diff(&old, &new);
        assert_eq!(found.removed, [item("サロン")]);
        assert_eq!(found.to_text().lines().next(), Some("removed 2 「サロン」"));
    }
}
