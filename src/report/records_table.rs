//! The records as a table: the CSV's columns (read from the record schema,
//! `write::csv::COLUMNS`) and cells, each row linked to its lines, with the
//! filters (goal, department, rating) the script runs.

use super::html;
use crate::document::Document;
use crate::records::records;
use crate::write::csv::{row, COLUMNS};
use std::collections::BTreeSet;
use std::fmt::Write;

/// The columns the filters read.
const GOAL: &str = "goal_number";
const DEPARTMENTS: &str = "departments";
const RATING: &str = "rating";

/// The records table of `document`, with its filters.
pub fn records_table(document: &Document) -> String {
    let records = records(document);
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| serde_json::to_value(r).map_or_else(|_| Vec::new(), |v| row(&v)))
        .collect();
    let column = |name: &str| COLUMNS.iter().position(|c| c.name == name);
    let (goal, departments, rating) = (column(GOAL), column(DEPARTMENTS), column(RATING));
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("<p>No records.</p>");
        return out;
    }
    filters(&mut out, &rows, goal, departments, rating);
    out.push_str(
        r#"<div class="scroll"><table id="records-table"><thead><tr><th scope="col">lines</th>"#,
    );
    for (index, c) in COLUMNS.iter().enumerate() {
        let _ = write!(
            out,
            r#"<th scope="col" title="{}"><button type="button" data-col="{}">{}</button></th>"#,
            html::attr(&c.description),
            index + 1,
            html::text(&c.name),
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (index, (record, cells)) in records.iter().zip(&rows).enumerate() {
        let cell = |column: Option<usize>| {
            column
                .and_then(|c| cells.get(c))
                .map(String::as_str)
                .unwrap_or_default()
        };
        let _ = write!(
            out,
            r#"<tr id="rec-{}" data-goal="{}" data-departments="{}" data-rating="{}"><td>"#,
            index + 1,
            html::attr(cell(goal)),
            html::attr(cell(departments)),
            html::attr(cell(rating)),
        );
        html::locator(&mut out, record.page, record.line_start, record.line_end);
        out.push_str("</td>");
        for cell in cells {
            let _ = write!(out, "<td>{}</td>", html::text(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The filter controls: hidden until the script shows them (they do
/// nothing without it).
fn filters(
    out: &mut String,
    rows: &[Vec<String>],
    goal: Option<usize>,
    departments: Option<usize>,
    rating: Option<usize>,
) {
    let values = |column: Option<usize>, split: bool| -> BTreeSet<String> {
        let Some(column) = column else {
            return BTreeSet::new();
        };
        rows.iter()
            .filter_map(|r| r.get(column))
            .flat_map(|cell| {
                if split {
                    cell.split(crate::write::csv::LIST_SEPARATOR)
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                } else {
                    vec![cell.clone()]
                }
            })
            .filter(|v| !v.is_empty())
            .collect()
    };
    out.push_str(r#"<form class="filters" hidden aria-label="filter the records">"#);
    let mut goals: Vec<String> = values(goal, false).into_iter().collect();
    goals.sort_by_key(|g| g.parse::<u64>().unwrap_or(u64::MAX));
    select(out, "goal", "goal", &goals);
    select(
        out,
        "departments",
        "department",
        &values(departments, true).into_iter().collect::<Vec<_>>(),
    );
    select(
        out,
        "rating",
        "rating",
        &values(rating, false).into_iter().collect::<Vec<_>>(),
    );
    out.push_str(r#" <button type="button" data-page="prev">previous</button> <output id="records-shown"></output> <button type="button" data-page="next">next</button></form>"#);
}

fn select(out: &mut String, key: &str, label: &str, options: &[String]) {
    let _ = write!(
        out,
        r#"<label>{label} <select data-filter="{key}"><option value="">all</option>"#
    );
    for option in options {
        let _ = write!(
            out,
            r#"<option value="{}">{}</option>"#,
            html::attr(option),
            html::text(option)
        );
    }
    out.push_str("</select></label> ");
}
