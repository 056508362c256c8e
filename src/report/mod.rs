//! The review report: one self-contained HTML page per conversion (no
//! network: its style and script are inline), for the people who check a
//! conversion before they publish it. It shows the summary and a traffic
//! light, the plan as an outline, the records as a table, the source beside
//! the result (a PDF's pages drawn from the glyphs keikaku read, or a
//! text's numbered lines) with every line marked with what became of it,
//! and every warning and unplaced line linked to its line.
//!
//! Everything is readable with the script off (sorting, filtering and the
//! click-to-highlight are the script's); the page prints on A4.
//!
//! [`document_page`] writes one document's page, [`index_page`] a batch's
//! index, [`diff_page`] what changed between two conversions, by goal.

mod diff_page;
mod html;
mod outline;
mod records_table;
mod source;

pub use diff_page::diff_page;
pub use outline::{outline, Outline, Place, Places, Role};

use crate::document::{Document, WarningCode};
use crate::Reviewed;
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// What a reviewer should do with a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Light {
    /// No warning, no unplaced line: nothing to check.
    Clear,
    /// Warnings or unplaced lines to look at.
    Check,
    /// The plan's structure is uncertain, or nothing was found.
    Uncertain,
}

impl Light {
    /// The class and the words of the light.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Light::Clear => ("clear", "nothing to check"),
            Light::Check => ("check", "check the warnings"),
            Light::Uncertain => ("uncertain", "structure uncertain or nothing found"),
        }
    }
}

/// Warnings that put the plan's structure itself in doubt.
const STRUCTURE_DOUBTS: &[WarningCode] = &[
    WarningCode::StructureUncertain,
    WarningCode::MissingParent,
    WarningCode::ListingsDisagree,
];

/// The share of the content lines left unplaced past which the structure
/// is in doubt: a plan read right places nearly every line.
const UNPLACED_DOUBT_SHARE: f64 = 0.2;

/// The counts a reviewer sees first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Goals.
    pub goals: usize,
    /// Policies.
    pub policies: usize,
    /// Measures and sub-measures.
    pub measures: usize,
    /// Initiatives.
    pub initiatives: usize,
    /// Indicators.
    pub indicators: usize,
    /// Warnings, by code (as the JSON spells it).
    pub warnings: BTreeMap<String, usize>,
    /// Unplaced lines.
    pub unplaced: usize,
    /// The traffic light.
    pub light: Light,
}

/// The summary of `document`.
pub fn summary(document: &Document) -> Summary {
    let policies = document.goals.iter().flat_map(|g| &g.policies);
    let measures = policies.clone().flat_map(|p| &p.measures);
    let sub_measures = measures.clone().flat_map(|m| &m.sub_measures);
    let records = crate::records::records(document);
    let indicators = records
        .iter()
        .filter(|r| r.kind == crate::records::RecordKind::Indicator)
        .count();
    let mut warnings = BTreeMap::new();
    for warning in &document.warnings {
        *warnings.entry(json_name(warning.code)).or_insert(0) += 1;
    }
    let content_lines =
        (document.source.line_count as usize).saturating_sub(document.furniture.len());
    let doubt = document
        .warnings
        .iter()
        .any(|w| STRUCTURE_DOUBTS.contains(&w.code))
        || (document.goals.is_empty() && records.is_empty())
        || document.unplaced.len() as f64 > content_lines as f64 * UNPLACED_DOUBT_SHARE;
    let light = if doubt {
        Light::Uncertain
    } else if document.warnings.is_empty() && document.unplaced.is_empty() {
        Light::Clear
    } else {
        Light::Check
    };
    Summary {
        goals: document.goals.len(),
        policies: policies.count(),
        measures: measures.count() + sub_measures.count(),
        initiatives: records.len() - indicators,
        indicators,
        warnings,
        unplaced: document.unplaced.len(),
        light,
    }
}

/// A code or a kind as the JSON spells it (`row_joined`, `priority`).
fn json_name(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The review page of one conversion, whose [`summary`] is `summary` (the
/// caller has it for the index).
pub fn document_page(reviewed: &Reviewed, summary: &Summary) -> String {
    let document = &reviewed.document;
    let name = &document.source.file_name;
    let outline = outline::outline(document);
    let marks = source::LineMarks::new(document, &outline.places);
    let mut out = String::with_capacity(1 << 16);
    head(&mut out, &format!("{name} — keikaku review"));
    let source = &document.source;
    let _ = write!(
        out,
        r##"<header><h1>{}</h1><p class="meta">{} · {} pages · {} lines · {} bytes · sha256 <code>{}</code></p>
<nav aria-label="sections"><a href="#summary">Summary</a> <a href="#outline">Outline</a> <a href="#records">Records</a> <a href="#source">Source</a> <a href="#warnings">Warnings</a> <a href="#unplaced">Unplaced</a></nav></header><main><div class="result">"##,
        html::text(name),
        html::text(&source.encoding),
        source.page_count,
        source.line_count,
        source.byte_count,
        html::text(&source.sha256),
    );
    summary_section(&mut out, summary);
    let _ = write!(
        out,
        r#"<section id="outline"><h2>Outline</h2>{}</section>"#,
        outline.html
    );
    let _ = write!(
        out,
        r#"<section id="records"><h2>Records ({})</h2>{}</section>"#,
        summary.initiatives + summary.indicators,
        records_table::records_table(document)
    );
    warnings_section(&mut out, document);
    unplaced_section(&mut out, document);
    // The source beside the result on a wide screen, below it on a narrow
    // one and on paper.
    let _ = write!(
        out,
        r#"</div><div class="source-pane"><section id="source"><h2>Source</h2><p class="legend">Lines are outlined in the colour of their goal; <span class="key furn">furniture</span> is grey, <span class="key unplaced">unplaced</span> lines are red, lines <span class="key warn">with a warning</span> are dashed. Click a line to see where it went.</p>{}</section></div>"#,
        source::source_view(&reviewed.source, &marks)
    );
    out.push_str(r#"</main><aside id="line-panel" hidden aria-live="polite"></aside>"#);
    let places: Vec<(&str, &str)> = outline
        .places
        .places
        .iter()
        .map(|p| (p.label.as_str(), p.anchor.as_str()))
        .collect();
    let places = serde_json::to_string(&places).unwrap_or_else(|_| "[]".into());
    let _ = write!(
        out,
        r#"<script type="application/json" id="places">{}</script><script>{SCRIPT}</script></body></html>"#,
        html::script_json(&places)
    );
    out
}

/// The document head: the style inline, and a policy that forbids the
/// page to load anything (no network, no CDN).
fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"><meta name="generator" content="keikaku {}"><title>{}</title><style>{STYLE}</style></head><body>"#,
        env!("CARGO_PKG_VERSION"),
        html::text(title)
    );
}

fn light(out: &mut String, light: Light) {
    let (class, words) = light.describe();
    let _ = write!(
        out,
        r#"<span class="light {class}"><span class="lamp" aria-hidden="true"></span>{words}</span>"#
    );
}

fn summary_section(out: &mut String, summary: &Summary) {
    out.push_str(r#"<section id="summary"><h2>Summary</h2><p role="status">"#);
    light(out, summary.light);
    out.push_str("</p>");
    let _ = write!(
        out,
        r#"<table class="counts"><tbody><tr><th scope="row">goals</th><td>{}</td></tr><tr><th scope="row">policies</th><td>{}</td></tr><tr><th scope="row">measures</th><td>{}</td></tr><tr><th scope="row">initiatives</th><td>{}</td></tr><tr><th scope="row">indicators</th><td>{}</td></tr><tr><th scope="row">warnings</th><td>{}</td></tr><tr><th scope="row">unplaced lines</th><td>{}</td></tr></tbody></table>"#,
        summary.goals,
        summary.policies,
        summary.measures,
        summary.initiatives,
        summary.indicators,
        summary.warnings.values().sum::<usize>(),
        summary.unplaced,
    );
    if !summary.warnings.is_empty() {
        out.push_str(r#"<table class="codes"><caption>Warnings by code</caption><thead><tr><th scope="col">code</th><th scope="col">count</th></tr></thead><tbody>"#);
        for (code, count) in &summary.warnings {
            let _ = write!(
                out,
                r##"<tr><td><a href="#w-{code}"><code>{code}</code></a></td><td>{count}</td></tr>"##
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

/// One row of a list of lines to check: where, and its two cells of words
/// (the first inside `<code>` when `code` is set).
struct LineRow {
    id: Option<String>,
    page: u32,
    line: u32,
    cells: [String; 2],
}

/// A section listing lines to check (warnings, unplaced lines), each row
/// linked to its line.
fn lines_section(
    out: &mut String,
    (id, heading, class): (&str, &str, &str),
    columns: [&str; 2],
    code: bool,
    rows: Vec<LineRow>,
) {
    let _ = write!(
        out,
        r#"<section id="{id}"><h2>{heading} ({})</h2>"#,
        rows.len()
    );
    if rows.is_empty() {
        out.push_str("<p>None.</p></section>");
        return;
    }
    let _ = write!(
        out,
        r#"<table class="list"><thead><tr><th scope="col">where</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        columns[0], columns[1]
    );
    for row in rows {
        let row_id = row.id.map(|i| format!(r#" id="{i}""#)).unwrap_or_default();
        let _ = write!(out, r#"<tr class="{class}"{row_id}><td>"#);
        html::locator(out, row.page, row.line, row.line);
        let first = html::text(&row.cells[0]);
        let first = match code {
            true => format!("<code>{first}</code>"),
            false => first,
        };
        let _ = write!(
            out,
            "</td><td>{first}</td><td>{}</td></tr>",
            html::text(&row.cells[1])
        );
    }
    out.push_str("</tbody></table></section>");
}

fn warnings_section(out: &mut String, document: &Document) {
    // The first warning of each code is the summary's link target.
    let mut first_of_code = std::collections::BTreeSet::new();
    let rows = document
        .warnings
        .iter()
        .map(|warning| {
            let code = json_name(warning.code);
            LineRow {
                id: first_of_code
                    .insert(code.clone())
                    .then(|| format!("w-{code}")),
                page: warning.page,
                line: warning.line,
                cells: [code, warning.message.clone()],
            }
        })
        .collect();
    let section = ("warnings", "Warnings", "warning");
    lines_section(out, section, ["code", "what happened"], true, rows);
}

fn unplaced_section(out: &mut String, document: &Document) {
    let rows = document
        .unplaced
        .iter()
        .map(|unplaced| LineRow {
            id: None,
            page: unplaced.page,
            line: unplaced.line,
            cells: [unplaced.text.clone(), unplaced.reason.clone()],
        })
        .collect();
    let section = ("unplaced", "Unplaced lines", "unplaced-line");
    lines_section(out, section, ["line", "why"], false, rows);
}

/// One input of a batch, for the index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The input as the user named it.
    pub input: String,
    /// The report's file name, relative to the index; `None` when the input
    /// could not be converted.
    pub report: Option<String>,
    /// The conversion's summary, or why there is none.
    pub outcome: Result<Summary, String>,
}

/// The index of a batch's reports: one row per input, its light and counts
/// (or its error), linking to its report.
pub fn index_page(entries: &[IndexEntry]) -> String {
    let mut out = String::new();
    head(&mut out, "keikaku review");
    let _ = write!(
        out,
        r#"<header><h1>keikaku review: {} documents</h1></header><main><section id="documents"><h2>Documents</h2><table class="list" id="index-table"><thead><tr><th scope="col">document</th><th scope="col">light</th><th scope="col">goals</th><th scope="col">policies</th><th scope="col">initiatives</th><th scope="col">indicators</th><th scope="col">warnings</th><th scope="col">unplaced</th></tr></thead><tbody>"#,
        entries.len()
    );
    for entry in entries {
        let name = match &entry.report {
            Some(report) => format!(
                r#"<a href="{}">{}</a>"#,
                html::attr(report),
                html::text(&entry.input)
            ),
            None => html::text(&entry.input),
        };
        let _ = write!(out, "<tr><td>{name}</td>");
        match &entry.outcome {
            Ok(summary) => {
                out.push_str("<td>");
                light(&mut out, summary.light);
                let _ = write!(
                    out,
                    "</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    summary.goals,
                    summary.policies,
                    summary.initiatives,
                    summary.indicators,
                    summary.warnings.values().sum::<usize>(),
                    summary.unplaced
                );
            }
            Err(reason) => {
                let _ = write!(
                    out,
                    r#"<td colspan="7" class="error">error: {}</td></tr>"#,
                    html::text(reason)
                );
            }
        }
    }
    out.push_str("</tbody></table></section></main></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "基本目標 1 参加する地域づくり\n基本方針\t具体的取組・事業名\t回答課\n(1)健康づくり\t1 体操\t地域支援課\n";

    fn light_of(text: &str) -> Light {
        summary(&crate::convert("a.txt", text.as_bytes()).unwrap()).light
    }

    #[test]
    fn the_light_says_what_to_check() {
        assert_eq!(light_of(PLAN), Light::Clear);
        // A tag removed is a warning to check.
        assert_eq!(light_of(&PLAN.replace("体操", "<p>体操")), Light::Check);
        // Nothing found.
        assert_eq!(
            light_of("ごあいさつ\n今年もよろしくお願いします。\n"),
            Light::Uncertain
        );
    }

    #[test]
    fn the_summary_counts_the_tree() {
        let document = crate::convert("a.txt", PLAN.as_bytes()).unwrap();
        let summary = summary(&document);
        assert_eq!(
            (
                summary.goals,
                summary.policies,
                summary.initiatives,
                summary.indicators
            ),
            (1, 1, 1, 0)
        );
    }
}
