//! Table rows: a header opens a table, each row under it becomes an
//! initiative under the cursor (its cells placed by [`table::align`]), a
//! policy cell (`(1)title ⇒description`) opens or continues a policy.

use super::columns::{self, Cell};
use super::headings::titles_match;
use super::markers::Marker;
use super::markers::{self, HeadingMarker, Level};
use super::paragraphs::Unit;
use super::quantity::year_in;
use super::table::{self, Column, Header, TableKind};
use super::{fiscal_year, numbers, text_at, Expect, Segmenter};
use crate::document::{
    ExtraCell, Indicator, Initiative, Location, Reference, Span, TableColumn, TableHeader,
    WarningCode,
};
use crate::normalize::join_wrapped;
use crate::quoted::Quoted;

/// A table being read: its columns and their header texts.
#[derive(Clone)]
pub(super) struct OpenTable {
    pub(super) columns: Vec<Column>,
    pub(super) headers: Vec<String>,
    /// The fiscal year each header names (`現状値（2014年度）`, `R5実績`).
    pub(super) header_years: Vec<Option<i32>>,
    pub(super) kind: TableKind,
}

/// The years a header cell names.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeaderCellYears {
    /// As the fiscal year of the table (`取組状況(令和元年度)`):
    /// [`fiscal_year`].
    table: Option<i32>,
    /// As the year of its column's values (`R5実績`): [`year_in`].
    column: Option<i32>,
}

impl HeaderCellYears {
    fn of(cell: &str) -> HeaderCellYears {
        HeaderCellYears {
            table: fiscal_year(cell),
            column: year_in(cell),
        }
    }
}

impl Segmenter {
    pub(super) fn table_header(&mut self, unit: &Unit, header: Header) {
        let Header { columns, kind } = header;
        let at = unit.location();
        self.header_legends(unit);
        self.expect_next(Expect::Nothing);
        let years: Vec<HeaderCellYears> = unit
            .cells()
            .iter()
            .map(|cell| {
                self.header_cell_years
                    .get_or_read(cell, HeaderCellYears::of)
            })
            .collect();
        let year = years.iter().find_map(|years| years.table);
        self.doc.tables.push(TableHeader {
            columns: unit
                .cells()
                .iter()
                .zip(&columns)
                .map(|(header, column)| TableColumn {
                    header: header.clone(),
                    field: column.field_names().map(str::to_string),
                })
                .collect(),
            fiscal_year: year,
            span: Span::line(at),
        });
        if self.after_repeated_heading
            && self.table.is_none()
            && !self.initiatives_under_cursor().is_empty()
        {
            let under = self.cursor_description();
            self.warn(
                WarningCode::TableContinued,
                at,
                format!("the table goes on after a repeated page heading with no new heading; its rows are kept under {under}"),
            );
        }
        self.after_repeated_heading = false;
        let table = OpenTable {
            columns,
            headers: unit.cells().to_vec(),
            header_years: years.iter().map(|years| years.column).collect(),
            kind,
        };
        self.last_table = Some(table.clone());
        self.table = Some(table);
    }

    /// The legends header cells carry in brackets (`評価（◎:達成 ○:概ね達成）`),
    /// each a scale of its own.
    fn header_legends(&mut self, unit: &Unit) {
        for header in unit.cells() {
            if let Some(legend) = markers::header_legend(header) {
                let scale = self.next_scale();
                self.push_legend(legend, unit.span(), scale);
            }
        }
    }

    /// Reads a row that stands under no header (a heading closed the table
    /// above it) under the columns of the last header seen, when all its
    /// cells fit them: a table printed with its header once, at the top of
    /// each page (a spreadsheet's print titles), and heading rows inside it.
    /// True when it was read so; the table is open again.
    pub(super) fn row_under_last_header(&mut self, unit: &Unit) -> bool {
        let Some(last) = self.last_table.clone() else {
            return false;
        };
        if unit.cells().len() > last.columns.len() {
            return false;
        }
        let row = table::align(
            unit.cells(),
            &last.columns,
            unit.cell_columns(),
            &mut self.cell_shapes,
        );
        let filled = row.by_column.iter().flatten().count();
        if filled < 2 || !row.unaligned.is_empty() || !row.missing.is_empty() {
            return false;
        }
        self.warn(
            WarningCode::TableContinued,
            unit.location(),
            format!(
                "rows after a heading with no header of their own, read under the last header's columns ({})",
                last.headers.join(" / ")
            ),
        );
        self.table_row(unit, &last);
        self.table = Some(last);
        true
    }

    pub(super) fn table_row(&mut self, unit: &Unit, table: &OpenTable) {
        let at = unit.location();
        let row = table::align(
            unit.cells(),
            &table.columns,
            unit.cell_columns(),
            &mut self.cell_shapes,
        );
        if !row.moved.is_empty() {
            // Columns left empty between filled ones are the guess a reader
            // should check: the cell may be missing, or merged into another.
            let first = row.by_column.iter().position(Option::is_some).unwrap_or(0);
            let last = row.by_column.iter().rposition(Option::is_some).unwrap_or(0);
            let empty: Vec<&str> = (first..last)
                .filter(|&j| row.by_column[j].is_none())
                .filter_map(|j| table.columns[j].field_names())
                .collect();
            let left_empty = if empty.is_empty() {
                String::new()
            } else {
                format!("; left empty: {}", empty.join(", "))
            };
            self.warn(
                WarningCode::RowRealigned,
                at,
                format!(
                    "{} cell(s) did not stand under their header and were placed by their content: {}{left_empty}",
                    row.moved.len(),
                    quote_list(&row.moved)
                ),
            );
        }
        for joined in &row.joined {
            self.warn(
                WarningCode::CellsJoined,
                at,
                format!(
                    "number and name stood in two cells; joined as {joined:?}",
                    joined = Quoted(joined)
                ),
            );
        }
        let mut initiative = Initiative::empty(Span::line(at));
        let mut indicator = Indicator::named(String::new(), Span::line(at));
        let mut has_content = false;
        for (j, cell) in row.by_column.iter().enumerate() {
            let Some(text) = cell else { continue };
            let column = table.columns[j];
            let cell = Cell {
                header: &table.headers[j],
                header_year: table.header_years[j],
                text,
            };
            if column == Column::Policy {
                self.policy_cell(text, unit);
                continue;
            }
            has_content = true;
            match table.kind {
                TableKind::Initiatives => columns::fill_initiative(&mut initiative, column, &cell),
                TableKind::Indicators => columns::fill_indicator(&mut indicator, column, &cell),
            }
        }
        if table.kind == TableKind::Indicators {
            self.indicator_row(unit, indicator, row.unaligned, has_content);
            return;
        }
        // A name without its number is suspect in a table whose rows carry
        // numbers; a table of names alone (施策名) is none. Which it is is
        // known at the end (`finish`), from every table of the same header.
        if table.columns.contains(&Column::NumberName) {
            let header = table.headers.join("\t");
            match (initiative.number, &initiative.name) {
                (Some(_), _) => {
                    self.numbered_tables.insert(header);
                }
                (None, Some(_)) => self.unnumbered_names.push((at, header)),
                (None, None) => {}
            }
        }
        for column in &row.missing {
            if has_content {
                self.warn(
                    WarningCode::MissingCell,
                    at,
                    format!(
                        "the row has no {} cell",
                        column.field_names().unwrap_or("?")
                    ),
                );
            }
        }
        if !has_content {
            if !row.unaligned.is_empty() {
                self.unplace(unit, "a table row with no initiative in it");
            }
            return;
        }
        for text in row.unaligned {
            self.warn(
                WarningCode::ExtraCell,
                at,
                format!(
                    "cell {text:?} fits no column; kept among the initiative's extra cells",
                    text = Quoted(text)
                ),
            );
            initiative.extra_cells.push(ExtraCell {
                header: String::new(),
                text: text.to_string(),
            });
        }
        self.flags(&mut initiative, at);
        self.attach(initiative);
    }

    /// A row of a table of indicators: an indicator under the cursor, the
    /// unit of its values when a 単位 column gives none.
    fn indicator_row(
        &mut self,
        unit: &Unit,
        mut indicator: Indicator,
        unaligned: Vec<&str>,
        has_content: bool,
    ) {
        let at = unit.location();
        if !has_content || indicator.name.is_empty() {
            self.unplace(unit, "a row of an indicator table with no indicator name");
            return;
        }
        for text in unaligned {
            self.warn(
                WarningCode::ExtraCell,
                at,
                format!(
                    "cell {text:?} fits no column; kept among the indicator's extra cells",
                    text = Quoted(text)
                ),
            );
            indicator.extra_cells.push(ExtraCell {
                header: String::new(),
                text: text.to_string(),
            });
        }
        settle_unit(&mut indicator);
        self.attach_indicator(indicator);
    }

    /// The flags printed inside an initiative's text: 【全市的取組】,
    /// 【…事業終了】, 【再掲…】.
    pub(super) fn flags(&mut self, initiative: &mut Initiative, at: Location) {
        let (mut citywide, mut discontinued) = (false, false);
        let mut reposted_from = None;
        let texts = [
            &initiative.name,
            &initiative.status,
            &initiative.evaluation,
            &initiative.direction,
        ];
        // Every flag is printed in 【】 (markers::FLAG_OPENING): a text
        // without one, nearly every text, has none.
        for text in texts
            .into_iter()
            .flatten()
            .filter(|text| text.contains(markers::FLAG_OPENING))
        {
            citywide |= markers::CITYWIDE.is_match(text);
            discontinued |= markers::DISCONTINUED.is_match(text);
            if initiative.reposted_from.is_none() && reposted_from.is_none() {
                if let Some(c) = markers::REPOSTED.captures(text) {
                    let (reference, unreadable) = read_reference(&c[1]);
                    if unreadable {
                        self.warn(
                            WarningCode::UnreadableReference,
                            at,
                            format!("could not read all of the reference {:?}", Quoted(&c[0])),
                        );
                    }
                    reposted_from = Some(reference);
                }
            }
        }
        initiative.citywide |= citywide;
        initiative.discontinued |= discontinued;
        if reposted_from.is_some() {
            initiative.reposted_from = reposted_from;
        }
    }

    /// A table's policy cell: `(N)title ⇒description` opens a policy;
    /// `⇒description` alone continues the open one's description.
    fn policy_cell(&mut self, cell: &str, unit: &Unit) {
        let at = unit.location();
        let (head, description) = match cell.split_once('⇒') {
            Some((head, description)) => (head.trim(), Some(description.trim())),
            None => (cell.trim(), None),
        };
        if head.is_empty() {
            let Some(policy) = self.open_policy_mut() else {
                self.unplace(unit, "a policy description with no policy above it");
                return;
            };
            let description = description.unwrap_or_default();
            let number = policy.number;
            let more = text_at(description.to_string(), at);
            let continued_on_page = match policy.description.as_mut() {
                Some(existing) => match existing.span.reaching(at) {
                    Some(reached) => {
                        existing.text = join_wrapped(&existing.text, description);
                        existing.span = reached;
                        true
                    }
                    // Continued on the next page: kept where it stands.
                    None => {
                        policy.paragraphs.push(more);
                        false
                    }
                },
                None => {
                    policy.description = Some(more);
                    true
                }
            };
            let kept = if continued_on_page {
                "joined"
            } else {
                "kept among its paragraphs, on the next page"
            };
            self.warn(
                WarningCode::DescriptionContinued,
                at,
                format!("the description of policy ({number}) continues in the next row: {description:?}; {kept}", description = Quoted(description)),
            );
            return;
        }
        let Some(Marker::Heading(marker)) = markers::classify(head) else {
            self.unplace(
                unit,
                "a policy cell that does not start with a policy number",
            );
            return;
        };
        let marker = HeadingMarker {
            level: Level::Policy,
            ..marker
        };
        self.heading(marker, head, unit, None);
        let (Some(description), Some(policy)) = (description, self.open_policy_mut()) else {
            return;
        };
        let text = text_at(description.to_string(), at);
        match &policy.description {
            None => policy.description = Some(text),
            // The policy cell printed again with its description (a page
            // break): the heading is recorded, the text is already kept.
            Some(kept) if titles_match(&kept.text, description) => {}
            Some(_) => {
                let number = policy.number;
                policy.paragraphs.push(text);
                self.warn(
                    WarningCode::RepeatedMarker,
                    at,
                    format!("policy ({number}) has a second ⇒ description {description:?}; kept among its paragraphs", description = Quoted(description)),
                );
            }
        }
    }
}

/// Reads `Ⅲ-1-(2)-①` as goal 3, policy 1, measure 2, sub-measure 1; the
/// flag is true if some part could not be read.
fn read_reference(inner: &str) -> (Reference, bool) {
    let mut numbers = Vec::new();
    let mut unreadable = false;
    if !inner.trim().is_empty() {
        for part in inner.split(['-', '－', '‐']) {
            let part = part
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .trim();
            match numbers::leading_number(part) {
                Some((n, len)) if len == part.len() => numbers.push(Some(n)),
                _ => {
                    unreadable = true;
                    numbers.push(None);
                }
            }
        }
    }
    let at = |i: usize| numbers.get(i).copied().flatten();
    let reference = Reference {
        goal: at(0),
        policy: at(1),
        measure: at(2),
        sub_measure: at(3),
    };
    (reference, unreadable || numbers.len() > 4)
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("{:?}", Quoted(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An indicator's unit: a 単位 column's, else its target's, baseline's or
/// first result's; values printed without a unit take the 単位 column's.
pub(super) fn settle_unit(indicator: &mut Indicator) {
    if let Some(unit) = indicator.unit.clone() {
        let values = indicator
            .baseline
            .iter_mut()
            .chain(indicator.target.iter_mut())
            .chain(indicator.actuals.iter_mut());
        for quantity in values {
            if quantity.unit.is_none() && quantity.value.is_some() {
                quantity.unit = Some(unit.clone());
            }
        }
        return;
    }
    indicator.unit = [&indicator.target, &indicator.baseline]
        .into_iter()
        .flatten()
        .chain(indicator.actuals.iter())
        .find_map(|quantity| quantity.unit.clone());
}
