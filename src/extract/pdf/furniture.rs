//! Page furniture: what a PDF prints on every page that is not content.
//! Running headers and footers, page numbers, and the header row a table
//! repeats at the top of each page (or a row of the page before, drawn
//! again) are kept out of the lines the later stages read, and listed in
//! the document instead, so nothing is lost.

use super::layout::PageLayout;
use crate::document::FurnitureKind;
use crate::per_thread::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The top and foot margins: lines within this share of the page height
/// from its edge.
const MARGIN_SHARE: f64 = 0.1;

/// A running header or footer repeats on at least this many pages.
const MIN_REPEATS: usize = 3;

/// `3`, `- 3 -`, `―3―`, `P.3`, `3/16`, full-width digits too.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s\-－―—–‐ー]*(?:[PpＰｐ]\.?\s*)?[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?[\s\-－―—–‐ー]*$")
        .expect("valid regex")
});

/// For each page and each of its lines, the kind of furniture it is, if it
/// is furniture.
pub fn classify(pages: &[PageLayout]) -> Vec<Vec<Option<FurnitureKind>>> {
    let repeats = margin_repeats(pages);
    let mut first_rows: Vec<String> = Vec::new();
    // Whether the last content line was a row of several cells: a table
    // going on into the next page, whose header row the page repeats. After
    // a heading, a header row is the document's own, printed again for the
    // next table, and stays.
    let mut in_running_table = false;
    // The rows of the page before, and of this page.
    // Each with its number of cells.
    let mut rows_before: Vec<(String, usize)> = Vec::new();
    let mut rows: Vec<(String, usize)> = Vec::new();
    pages
        .iter()
        .map(|page| {
            rows_before = std::mem::take(&mut rows);
            let mut first_table_row = true;
            page.lines
                .iter()
                .map(|line| {
                    let zone = zone(page, line.top, line.bottom);
                    let text = line.text();
                    if line.is_blank() {
                        return None;
                    }
                    if line.in_table {
                        let first = std::mem::take(&mut first_table_row);
                        if first && in_running_table {
                            // The page's first rows: a header printed
                            // again, then perhaps a row of the page before
                            // printed again (they stay "first").
                            if first_rows.contains(&text) {
                                first_table_row = true;
                                return Some(FurnitureKind::RepeatedTableHeader);
                            }
                            // A row of the same table: as many cells as the
                            // page before's last row (a row of another table
                            // there, such as its header, printed again is a
                            // new table's).
                            if line.filled_cells() > 1
                                && rows_before.iter().any(|(row, _)| *row == text)
                                && rows_before.last().map(|(_, cells)| *cells)
                                    == Some(line.cells.len())
                            {
                                first_table_row = true;
                                return Some(FurnitureKind::RepeatedTableRow);
                            }
                        }
                        if first {
                            first_rows.push(text.clone());
                        }
                        rows.push((text, line.cells.len()));
                        in_running_table = line.filled_cells() > 1;
                        return None;
                    }
                    // Running headers, footers and page numbers are set
                    // across the page: a line of vertical writing that
                    // starts in the top margin is text.
                    let zone = zone.filter(|_| !line.vertical);
                    let kind = zone.and_then(|zone| {
                        if PAGE_NUMBER.is_match(&text) {
                            return Some(FurnitureKind::PageNumber);
                        }
                        let count = repeats.get(&(zone, shape(&text))).copied().unwrap_or(0);
                        (count >= MIN_REPEATS).then_some(match zone {
                            Zone::Top => FurnitureKind::RunningHeader,
                            Zone::Foot => FurnitureKind::RunningFooter,
                        })
                    });
                    if kind.is_none() {
                        in_running_table = false;
                    }
                    kind
                })
                .collect()
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Zone {
    Top,
    Foot,
}

fn zone(page: &PageLayout, top: f64, bottom: f64) -> Option<Zone> {
    let margin = page.height * MARGIN_SHARE;
    if bottom <= margin {
        Some(Zone::Top)
    } else if top >= page.height - margin {
        Some(Zone::Foot)
    } else {
        None
    }
}

/// A line's text with its digits blurred, so that `- 3 -` and `- 4 -`, or a
/// header with the chapter's page count, count as the same line.
fn shape(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_numeric() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// How many pages have each shape of line in each margin.
fn margin_repeats(pages: &[PageLayout]) -> HashMap<(Zone, String), usize> {
    let mut counts: HashMap<(Zone, String), usize> = HashMap::new();
    for page in pages {
        let mut seen = std::collections::HashSet::new();
        for line in page
            .lines
            .iter()
            .filter(|l| !l.in_table && !l.vertical && !l.is_blank())
        {
            if let Some(zone) = zone(page, line.top, line.bottom) {
                let key = (zone, shape(&line.text()));
                if seen.insert(key.clone()) {
                    *counts.entry(key).or_default() += 1;
                }
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::super::layout::tests::{page_layout, table_row};
    use super::*;
    use crate::extract::pdf::LaidOutLine;

    fn line(text: &str, top: f64, vertical: bool) -> LaidOutLine {
        LaidOutLine {
            cells: vec![text.to_string()],
            top,
            bottom: top + 10.0,
            vertical,
            ..LaidOutLine::default()
        }
    }

    #[test]
    fn the_header_of_an_earlier_table_at_the_top_of_a_page_is_content() {
        // Page 1: a table of three columns, one of two (header A), then one
        // of three again; the page ends in it. Page 2 opens with header A
        // again: a new table's header, not a row of the running table.
        let (row, page) = (table_row, page_layout);
        let header = ["番号", "取組"];
        let pages = [
            page(
                1,
                vec![
                    row(&["区分", "現状", "目標"], 60.0),
                    row(&["人数", "10", "20"], 80.0),
                    row(&header, 100.0),
                    row(&["1", "見守り"], 120.0),
                    row(&["指標", "現状", "目標"], 160.0),
                    row(&["参加率", "30%", "40%"], 180.0),
                ],
            ),
            page(2, vec![row(&header, 100.0), row(&["2", "相談"], 120.0)]),
        ];
        assert_eq!(classify(&pages)[1], [None, None]);
    }

    #[test]
    fn a_row_of_the_page_before_drawn_again_at_the_top_is_furniture() {
        let (row, page) = (table_row, page_layout);
        let header = ["番号", "取組"];
        let pages = [
            page(
                1,
                vec![
                    row(&header, 100.0),
                    row(&["1", "見守り"], 120.0),
                    row(&["2", "相談"], 140.0),
                ],
            ),
            // The header again, then row 2 drawn again, then row 3.
            page(
                2,
                vec![
                    row(&header, 100.0),
                    row(&["2", "相談"], 120.0),
                    row(&["3", "居場所"], 140.0),
                ],
            ),
            // Row 1 again, but not the page before's: content.
            page(3, vec![row(&["1", "見守り"], 100.0)]),
        ];
        let kinds = classify(&pages);
        assert_eq!(
            kinds,
            [
                vec![None, None, None],
                vec![
                    Some(FurnitureKind::RepeatedTableHeader),
                    Some(FurnitureKind::RepeatedTableRow),
                    None
                ],
                vec![None],
            ]
        );
    }

    #[test]
    fn a_number_in_the_margin_is_a_page_number_unless_it_is_vertical_writing() {
        let page = page_layout(
            1,
            vec![
                line("1", 20.0, true),
                line("本文", 400.0, false),
                line("1", 780.0, false),
            ],
        );
        let kinds = classify(&[page]);
        assert_eq!(kinds, [[None, None, Some(FurnitureKind::PageNumber)]]);
    }
}
