//! `keikaku diff OLD NEW --html FILE`: what changed between two
//! conversions (last year's progress report and this year's), as a page
//! grouped by goal: for each goal, the records changed (each field's old
//! and new value), added and removed.

use super::html;
use crate::diff::{key_of, show, Diff};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One row of the page: a record changed, added or removed.
struct Row {
    what: &'static str,
    label: String,
    name: String,
    fields: Vec<(String, String, String)>,
}

/// The page of `diff` between the conversions named `old` and `new`, whose
/// records (`records`, either side's) give the goals' titles.
pub fn diff_page(old: &str, new: &str, diff: &Diff, records: &[&Value]) -> String {
    // Goals by number (none: records outside every goal), each with its
    // title as the records print it.
    let mut goals: BTreeMap<Option<u64>, (Option<String>, Vec<Row>)> = BTreeMap::new();
    let title = |record: &Value| record["goal_title"].as_str().map(str::to_string);
    let titles: BTreeMap<u64, String> = records
        .iter()
        .filter_map(|r| Some((r["goal_number"].as_u64()?, title(r)?)))
        .collect();
    for record in &diff.changed {
        let entry = goals.entry(record.key.goal).or_default();
        if entry.0.is_none() {
            entry.0 = record.key.goal.and_then(|g| titles.get(&g).cloned());
        }
        entry.1.push(Row {
            what: "changed",
            label: record.key.label(),
            name: record.name.as_str().unwrap_or_default().to_string(),
            fields: record
                .fields
                .iter()
                .map(|f| (f.field.clone(), show(&f.old), show(&f.new)))
                .collect(),
        });
    }
    for (what, records) in [("added", &diff.added), ("removed", &diff.removed)] {
        for record in records {
            let key = key_of(record, 0);
            let entry = goals.entry(key.goal).or_default();
            if entry.0.is_none() {
                entry.0 = title(record);
            }
            entry.1.push(Row {
                what,
                label: key.label(),
                name: record["name"].as_str().unwrap_or_default().to_string(),
                fields: Vec::new(),
            });
        }
    }
    let mut out = String::new();
    super::head(&mut out, &format!("{new} against {old} — keikaku diff"));
    let _ = write!(
        out,
        r#"<header><h1>What changed: {} against {}</h1></header><main><section id="summary"><h2>Summary</h2><p role="status">{} changed, {} added, {} removed</p>"#,
        html::text(new),
        html::text(old),
        diff.changed.len(),
        diff.added.len(),
        diff.removed.len()
    );
    out.push_str(r#"<table class="counts"><thead><tr><th scope="col">goal</th><th scope="col">changed</th><th scope="col">added</th><th scope="col">removed</th></tr></thead><tbody>"#);
    for (goal, (title, rows)) in &goals {
        let count = |what: &str| rows.iter().filter(|r| r.what == what).count();
        let _ = write!(
            out,
            r##"<tr><th scope="row"><a href="#goal-{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>"##,
            goal_id(*goal),
            html::text(&goal_name(*goal, title.as_deref())),
            count("changed"),
            count("added"),
            count("removed")
        );
    }
    out.push_str("</tbody></table></section>");
    for (goal, (title, rows)) in &goals {
        let _ = write!(
            out,
            r#"<section id="goal-{}" class="goal-changes"><h2>{}</h2><table class="list"><thead><tr><th scope="col">record</th><th scope="col">name</th><th scope="col">change</th></tr></thead><tbody>"#,
            goal_id(*goal),
            html::text(&goal_name(*goal, title.as_deref()))
        );
        for row in rows {
            let _ = write!(
                out,
                r#"<tr class="{}"><td>{} {}</td><td>{}</td><td>"#,
                row.what,
                row.what,
                html::text(&row.label),
                html::text(&row.name)
            );
            if !row.fields.is_empty() {
                out.push_str("<dl>");
                for (field, old, new) in &row.fields {
                    let _ = write!(
                        out,
                        "<dt><code>{}</code></dt><dd><del>{}</del> → <ins>{}</ins></dd>",
                        html::text(field),
                        html::text(old),
                        html::text(new)
                    );
                }
                out.push_str("</dl>");
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table></section>");
    }
    if goals.is_empty() {
        out.push_str("<section><p>Nothing changed.</p></section>");
    }
    out.push_str("</main></body></html>");
    out
}

fn goal_id(goal: Option<u64>) -> String {
    goal.map_or_else(|| "none".into(), |g| g.to_string())
}

fn goal_name(goal: Option<u64>, title: Option<&str>) -> String {
    match (goal, title) {
        (Some(g), Some(t)) => format!("goal {g}: {t}"),
        (Some(g), None) => format!("goal {g}"),
        (None, _) => "outside every goal".into(),
    }
}
