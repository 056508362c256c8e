//! PDF input: the pages' glyphs and rules through pdf-extract (vendored and
//! patched for Japanese PDFs, see `vendor/pdf-extract/PATCHES.md`), then
//! lines and table cells rebuilt from their positions ([`layout`]), then page
//! furniture set aside ([`furniture`]).
//!
//! Lines come out as the text stage's do: cells separated by tabs, one
//! [`SourceLine`] each, numbered through the document (the numbering of
//! `keikaku text`, which prints them), with their PDF page.

mod device;
mod furniture;
mod layout;
mod repair;
pub mod view;

pub use device::{Direction, Glyph, PageContent, PageGeometry, Rule};
pub use layout::{layout_page, layout_pages, unaccounted, LaidOutLine, PageLayout};

use super::{CellColumns, Limits, SourceLine};
use crate::document::{Furniture, FurnitureKind, Location, Warning, WarningCode};
use crate::error::{InputError, PdfProblem};
use lopdf::Document as PdfDocument;
use lopdf::{Object, ObjectId};
use rayon::prelude::*;

/// What the PDF reader gives the extract stage.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// The lines that carry content, in reading order.
    pub lines: Vec<SourceLine>,
    /// Running headers, footers, page numbers and repeated table headers,
    /// set aside from the content.
    pub furniture: Vec<Furniture>,
    /// Repairs made while rebuilding lines (glyphs drawn twice, rows
    /// joined across a page break).
    pub warnings: Vec<Warning>,
    /// The number of pages.
    pub page_count: u32,
    /// Which glyphs of which page each numbered line (content or
    /// furniture) was read from.
    pub glyph_lines: Vec<view::GlyphLine>,
}

/// A test-only switch: while it is set, laying out a page panics. A test
/// sets it to show that the PDF property test catches a panic in the
/// pipeline, which `convert_path` turns into [`crate::Error::Internal`]
/// rather than let it through. Nothing else sets it.
#[doc(hidden)]
pub static INJECT_LAYOUT_PANIC: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// What each page of a PDF draws, in order: its glyphs as placed on the
/// page as read, its rules and images, before any layout. For tools and
/// tests that check the layout against what was drawn (every glyph is in
/// one line: [`unaccounted`]).
pub fn read_page_contents(
    bytes: &[u8],
    password: Option<&str>,
    limits: &Limits,
) -> Result<Vec<PageContent>, InputError> {
    read_pages(bytes, password, limits).map(|(pages, _)| pages)
}

/// Reads the text of a PDF. `password` opens a PDF encrypted with a user
/// password; one with only an owner password (copying or printing
/// restricted) opens without.
/// A PDF of more than `limits.max_pages` pages is refused before any is
/// read; one that passes a work limit while it is read is refused then.
pub fn read_pdf(
    bytes: &[u8],
    password: Option<&str>,
    limits: &Limits,
) -> Result<PdfText, InputError> {
    let (pages, repaired) = read_pages(bytes, password, limits)?;
    text_of_pages(&pages, repaired)
}

/// [`read_pdf`], and the pages drawn again from the glyphs each line was
/// read from (for the review report).
pub fn read_pdf_for_review(
    bytes: &[u8],
    password: Option<&str>,
    limits: &Limits,
) -> Result<(PdfText, Vec<view::PageView>), InputError> {
    let (pages, repaired) = read_pages(bytes, password, limits)?;
    let text = text_of_pages(&pages, repaired)?;
    let views = view::page_views(&pages, &text.glyph_lines);
    Ok((text, views))
}

/// The text of the pages read: laid out, numbered, furniture set aside.
fn text_of_pages(
    pages: &[PageContent],
    repaired: Vec<repair::Repaired>,
) -> Result<PdfText, InputError> {
    let page_count = pages.len() as u32;
    if pages.iter().all(|p| p.glyphs.iter().all(Glyph::is_space)) {
        let images: usize = pages.iter().map(|p| p.images).sum();
        let mut reason = if images > 0 {
            format!("PDF without a text layer ({page_count} pages of images only): it is a scan, and OCR would be needed to read it")
        } else {
            "PDF without any text".into()
        };
        // What could not be read may be why there is no text.
        let problems: Vec<String> = repaired
            .iter()
            .map(|r| r.message())
            .chain(pages.iter().flat_map(|p| {
                p.problems
                    .iter()
                    .map(move |(problem, _)| format!("page {}: {problem}", p.number))
            }))
            .collect();
        if !problems.is_empty() {
            reason = format!("{reason} ({})", problems.join("; "));
        }
        return Err(InputError::pdf(PdfProblem::NoText(reason)));
    }
    let problems: Vec<(u32, String)> = repaired
        .iter()
        .map(|r| (r.page.unwrap_or(1), r.message()))
        .chain(pages.iter().flat_map(|p| {
            p.problems.iter().map(move |(problem, times)| {
                let message = if *times > 1 {
                    format!("{problem} ({times} times)")
                } else {
                    problem.clone()
                };
                (p.number, message)
            })
        }))
        .collect();
    let layouts = layout_pages(pages);
    let mut text = assemble(layouts, page_count);
    text.warnings.extend(problem_warnings(&text, problems));
    Ok(text)
}

/// A warning for each part of a page the parser could not draw, at the
/// first line of its page (or the last line before it).
fn problem_warnings(text: &PdfText, problems: Vec<(u32, String)>) -> Vec<Warning> {
    let mut locations: Vec<Location> = text
        .lines
        .iter()
        .map(|l| l.location)
        .chain(text.furniture.iter().map(|f| Location {
            page: f.page,
            line: f.line,
        }))
        .collect();
    locations.sort();
    problems
        .into_iter()
        .map(|(page, message)| {
            let at = locations.partition_point(|l| l.page < page);
            let line = match locations.get(at).filter(|l| l.page == page) {
                Some(l) => l.line,
                None => at
                    .checked_sub(1)
                    .and_then(|i| locations.get(i))
                    .map_or(1, |l| l.line),
            };
            Warning {
                code: WarningCode::PdfContentSkipped,
                message,
                page,
                line,
            }
        })
        .collect()
}

/// The PDF parser's budget for one document, from the limits; the clock
/// starts now.
fn budget_of(limits: &Limits) -> pdf_extract::Budget {
    pdf_extract::Budget::new(
        limits.max_operators,
        limits.max_glyphs,
        limits.max_form_draws,
        limits.max_inflated_bytes,
        limits
            .timeout
            .and_then(|t| std::time::Instant::now().checked_add(t)),
    )
}

/// A limit passed, in one line: what, on which page, and the flag that
/// raises it.
fn describe_exceeded(exceeded: &pdf_extract::Exceeded, limits: &Limits) -> InputError {
    use pdf_extract::Limit;
    let reason = match exceeded.limit {
        Limit::Deadline => format!(
            "reading took longer than {} s (limit --timeout)",
            limits.timeout.map_or(0, |t| t.as_secs())
        ),
        Limit::StreamSize => exceeded.to_string(),
        Limit::Operators => format!("{exceeded} (limit --max-operators)"),
        Limit::Glyphs => format!("{exceeded} (limit --max-glyphs)"),
        Limit::FormDraws => format!("{exceeded} (limit --max-form-draws)"),
        Limit::Inflated => format!("{exceeded} (limit --max-inflated)"),
    };
    InputError::Pdf {
        page: Some(exceeded.page),
        kind: PdfProblem::OverBudget(reason),
    }
}

/// Loads the document and records each page's drawing; also gives the
/// streams whose damage was repaired while loading.
fn read_pages(
    bytes: &[u8],
    password: Option<&str>,
    limits: &Limits,
) -> Result<(Vec<PageContent>, Vec<repair::Repaired>), InputError> {
    let budget = budget_of(limits);
    let options = lopdf::LoadOptions {
        password: password.map(str::to_string),
        filter: Some(defuse_object_stream),
        ..lopdf::LoadOptions::default()
    };
    let mut document = PdfDocument::load_mem_with_options(bytes, options)
        .map_err(|e| InputError::pdf(describe_load_error(&e, password.is_some())))?;
    let repaired = repair::streams_cut_short(&mut document, bytes);
    if document
        .objects
        .values()
        .any(|o| o.as_stream().is_ok_and(|s| s.dict.has(OVERSIZED)))
    {
        return Err(InputError::pdf(PdfProblem::DecompressionBomb {
            limit_mib: (pdf_extract::MAX_INFLATED_STREAM >> 20) as u64,
        }));
    }
    if document.is_encrypted() {
        return Err(InputError::pdf(PdfProblem::Encrypted {
            password_given: password.is_some(),
        }));
    }
    let page_ids = document.get_pages();
    let numbers: Vec<u32> = page_ids.keys().copied().collect();
    if numbers.is_empty() {
        return Err(InputError::pdf(PdfProblem::NoPages));
    }
    limits.check_pages(numbers.len() as u32)?;
    let geometry: std::collections::BTreeMap<u32, PageGeometry> = page_ids
        .iter()
        .map(|(&number, &id)| (number, page_geometry(&document, id)))
        .collect();
    // The pages are split into one run of consecutive pages per thread; the
    // parser reads each font once per run. The runs come back in order, so
    // the pages do whatever the number of threads.
    let run_length = numbers.len().div_ceil(rayon::current_num_threads());
    let runs: Vec<Result<Vec<PageContent>, InputError>> = numbers
        .par_chunks(run_length)
        .map(|run| {
            let mut recorder = device::Recorder::new(geometry.clone());
            pdf_extract::output_doc_pages_with_budget(&document, &mut recorder, run, &budget)
                .map_err(|e| {
                    let page = recorder.pages.last().map(|page| page.number);
                    let page = page.or(run.first().copied()).unwrap_or(1);
                    InputError::Pdf {
                        page: Some(page),
                        kind: PdfProblem::Unreadable(e.to_string()),
                    }
                })?;
            Ok(recorder.pages)
        })
        .collect();
    // A limit passed on one thread stops the others too: the error is the
    // limit's, whichever run reports it first.
    if let Some(exceeded) = budget.exceeded() {
        return Err(describe_exceeded(&exceeded, limits));
    }
    let mut pages = Vec::with_capacity(numbers.len());
    for run in runs {
        pages.extend(run?);
    }
    let repaired = repair::on_pages(repaired, &document);
    Ok((pages, repaired))
}

/// How deep a page's `/Parent` chain is followed for an inherited value
/// (lopdf's page-tree depth limit).
const MAX_INHERITANCE: usize = 256;

/// A page attribute, from the page or the nearest ancestor that has it.
fn inherited<'a>(document: &'a PdfDocument, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..MAX_INHERITANCE {
        if let Ok(value) = node.get(key) {
            return match value {
                Object::Reference(id) => document.get_object(*id).ok(),
                other => Some(other),
            };
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

/// A rectangle `[llx, lly, urx, ury]` with its corners in order, if the
/// value is one.
fn rectangle(document: &PdfDocument, value: Option<&Object>) -> Option<[f64; 4]> {
    let array = value?.as_array().ok()?;
    let numbers: Vec<f64> = array
        .iter()
        .map(|v| match v {
            Object::Reference(id) => document.get_object(*id).ok().and_then(number),
            other => number(other),
        })
        .collect::<Option<_>>()?;
    let [a, b, c, d] = numbers[..] else {
        return None;
    };
    let rect = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (rect.iter().all(|v| v.is_finite()) && rect[2] > rect[0] && rect[3] > rect[1]).then_some(rect)
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// How the page is shown: its `/Rotate` (inherited; a multiple of 90,
/// others are read as the nearest) and its CropBox within its MediaBox.
fn page_geometry(document: &PdfDocument, page: ObjectId) -> PageGeometry {
    let degrees = inherited(document, page, b"Rotate")
        .and_then(number)
        .filter(|d| d.is_finite())
        .unwrap_or(0.0);
    let quarter_turns = ((degrees / 90.0).round() as i64).rem_euclid(4) as u8;
    let media = rectangle(document, inherited(document, page, b"MediaBox"));
    let crop = rectangle(document, inherited(document, page, b"CropBox"));
    let visible = match (media, crop) {
        (Some(m), Some(c)) => {
            let clipped = [
                m[0].max(c[0]),
                m[1].max(c[1]),
                m[2].min(c[2]),
                m[3].min(c[3]),
            ];
            Some(if clipped[2] > clipped[0] && clipped[3] > clipped[1] {
                clipped
            } else {
                m
            })
        }
        (media, _) => media,
    };
    PageGeometry {
        visible,
        quarter_turns,
    }
}

/// Told the number of each page as the reader begins it, if set.
static PAGE_BEGIN: std::sync::OnceLock<fn(u32)> = std::sync::OnceLock::new();

/// Calls `hook` with each page's number as the reader begins to read it,
/// for the rest of the process: a batch's worker process reports it, so
/// that a crash can be placed on its page. Set once; later calls are
/// ignored.
pub fn on_page_begin(hook: fn(u32)) {
    let _ = PAGE_BEGIN.set(hook);
}

fn page_begins(page: u32) {
    if let Some(hook) = PAGE_BEGIN.get() {
        hook(page);
    }
}

/// The key `defuse_object_stream` marks a refused object stream with.
const OVERSIZED: &[u8] = b"KeikakuOversized";

/// A load filter: lopdf inflates object streams while it loads, with no cap.
/// One that would inflate past the parser's cap is emptied (so lopdf finds
/// no objects in it) and marked, and the load is refused after. Every other
/// object is kept as it is. (lopdf keeps the object it passed in, and uses
/// the returned one only for objects inside object streams, which are never
/// streams.)
fn defuse_object_stream(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else {
        return Some((id, object.clone()));
    };
    let flate_first = stream
        .filters()
        .is_ok_and(|f| f.first() == Some(&&b"FlateDecode"[..]));
    if stream.dict.has_type(b"ObjStm")
        && flate_first
        && pdf_extract::inflate_capped(&stream.content, pdf_extract::MAX_INFLATED_STREAM).is_none()
    {
        stream.content.clear();
        stream.dict.remove(b"Filter");
        stream.dict.set(OVERSIZED, true);
    }
    Some((id, Object::Null))
}

fn describe_load_error(error: &lopdf::Error, had_password: bool) -> PdfProblem {
    match error {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => PdfProblem::Encrypted {
            password_given: had_password,
        },
        other => PdfProblem::Damaged(format!("damaged PDF: {other}")),
    }
}

/// Numbers the lines through the document, sets page furniture aside, and
/// joins the parts of table rows split by a page break.
fn assemble(layouts: Vec<PageLayout>, page_count: u32) -> PdfText {
    let kinds = furniture::classify(&layouts);
    let mut text = PdfText {
        page_count,
        ..PdfText::default()
    };
    let key_columns = KeyColumns::of(&layouts, &kinds);
    let mut content: Vec<(Location, LaidOutLine)> = Vec::new();
    // The row left open at the foot of a page, by its index in `content`,
    // and the page its last piece stands on, until the next page's first
    // content line is seen.
    let mut open_row: Option<(usize, u32)> = None;
    let mut number = 0u32;
    for (layout, kinds) in layouts.into_iter().zip(kinds) {
        for (mut line, kind) in layout.lines.into_iter().zip(kinds) {
            // A row's continuation is read into the row and takes no line
            // number of its own, so that `keikaku text` prints one line per
            // number.
            // Furniture and blank lines between a row and its
            // continuation (the repeated header) leave the row open.
            let is_content = kind.is_none() && !line.is_blank();
            let continues =
                if is_content { open_row.take() } else { None }.filter(|&(open, page)| {
                    line.in_table
                        && page + 1 == layout.page
                        && (content[open].1.open_bottom || !key_columns.filled_in(&line))
                });
            if let Some((open, _)) = continues {
                let (at, row) = &mut content[open];
                text.glyph_lines.push(view::GlyphLine {
                    page: layout.page,
                    line: at.line,
                    glyphs: std::mem::take(&mut line.glyphs),
                });
                join_row(row, &line);
                row.open_bottom = line.open_bottom;
                text.warnings.push(Warning {
                    code: WarningCode::RowJoined,
                    message: format!(
                        "table row split by the page break, continued at the top of page {} (\"{}\"), joined",
                        layout.page,
                        line.text().replace('\t', " ")
                    ),
                    page: at.page,
                    line: at.line,
                });
                text.warnings.extend(repair_warnings(&line, *at));
                // A row goes on in one piece at the top of the next page;
                // the rows after that piece are rows of their own, even
                // with their key cell empty under a cell merged down. The
                // piece may be open in turn, at the foot of its page.
                open_row = line.open_bottom.then_some((open, layout.page));
                continue;
            }
            number += 1;
            let location = Location {
                page: layout.page,
                line: number,
            };
            text.warnings.extend(repair_warnings(&line, location));
            text.glyph_lines.push(view::GlyphLine {
                page: layout.page,
                line: number,
                glyphs: std::mem::take(&mut line.glyphs),
            });
            if let Some(kind) = kind {
                text.furniture.push(Furniture {
                    kind,
                    text: line.text(),
                    page: location.page,
                    line: location.line,
                });
                continue;
            }
            // The last table row of a page may go on at the top of the
            // next: open when its bottom border is missing (Chromium), and
            // otherwise tested on the next page's first row.
            open_row = line.in_table.then_some((content.len(), layout.page));
            content.push((location, line));
        }
    }
    text.lines = content
        .into_iter()
        .map(|(location, line)| source_line(location, line))
        .collect();
    text
}

/// A laid-out line as the later stages take it: its cells without the
/// empty ones after the last filled, whose columns are known when it is a
/// row of a table the layout found.
fn source_line(location: Location, line: LaidOutLine) -> SourceLine {
    let filled = line
        .cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(1, |i| i + 1);
    let mut cells = line.cells;
    cells.truncate(filled);
    if cells.is_empty() {
        cells.push(String::new());
    }
    SourceLine {
        location,
        cells,
        columns: if line.in_table {
            CellColumns::Known
        } else {
            CellColumns::InOrder
        },
        wrapped_at_edge: line.wrapped_at_edge,
    }
}

/// The columns that nearly every row of the document's ruled tables fills
/// (a number, a name, a department). A row at the top of a page with the
/// first of them empty is not a row of its own but the rest of the row the page
/// before ended with, split by the page break. LibreOffice and Word close a
/// split row with a border on both pages, so its missing bottom border does
/// not tell; its missing key cells do.
struct KeyColumns {
    columns: Vec<usize>,
}

/// A column is a key column when at least this share of the rows fill it.
const KEY_COLUMN_SHARE: f64 = 0.9;

impl KeyColumns {
    fn of(layouts: &[PageLayout], kinds: &[Vec<Option<FurnitureKind>>]) -> KeyColumns {
        let rows: Vec<&LaidOutLine> = layouts
            .iter()
            .zip(kinds)
            .flat_map(|(layout, kinds)| layout.lines.iter().zip(kinds))
            .filter(|(line, kind)| kind.is_none() && line.in_table && line.filled_cells() > 1)
            .map(|(line, _)| line)
            .collect();
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let columns = (0..width)
            .filter(|&column| {
                let filled = rows
                    .iter()
                    .filter(|r| r.cells.get(column).is_some_and(|c| !c.is_empty()))
                    .count();
                !rows.is_empty() && filled as f64 >= rows.len() as f64 * KEY_COLUMN_SHARE
            })
            .collect();
        KeyColumns { columns }
    }

    /// True when the row fills the first key column (or there is none to
    /// tell by). The first, not any: the text columns are key columns too,
    /// and the rest of a split row is mostly text.
    fn filled_in(&self, row: &LaidOutLine) -> bool {
        match self.columns.first() {
            None => true,
            Some(&first) => {
                // A row of one cell spans the table (a heading inside it).
                row.cells.len() <= 1 || row.cells.get(first).is_some_and(|c| !c.is_empty())
            }
        }
    }
}

/// The warnings for the repairs the layout made in a line.
fn repair_warnings(line: &LaidOutLine, at: Location) -> Vec<Warning> {
    line.repairs
        .iter()
        .map(|repair| Warning {
            code: WarningCode::DoubledText,
            message: repair.clone(),
            page: at.page,
            line: at.line,
        })
        .collect()
}

/// Joins the cells of a row's continuation to the row, column by column.
fn join_row(row: &mut LaidOutLine, continuation: &LaidOutLine) {
    if row.cells.len() < continuation.cells.len() {
        row.cells.resize(continuation.cells.len(), String::new());
    }
    for (cell, more) in row.cells.iter_mut().zip(&continuation.cells) {
        *cell = layout::join_wrapped(&[std::mem::take(cell), more.clone()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    fn row(cells: &[&str], top: f64, open_bottom: bool) -> LaidOutLine {
        LaidOutLine {
            open_bottom,
            ..layout::tests::table_row(cells, top)
        }
    }

    #[test]
    fn a_row_split_by_a_page_break_takes_one_piece_of_the_next_page() {
        // The name column is the key. Row 3 is cut by the page break; its
        // rest stands at the top of page 2, and the row after it has its
        // name cell empty too (a cell merged down covers it): a row of its
        // own all the same.
        let page = layout::tests::page_layout;
        let layouts = vec![
            page(
                1,
                vec![
                    row(&["基本方針", "取組", "状況"], 100.0, false),
                    row(&["(1)方針", "1 見守り", "実施した"], 120.0, false),
                    row(&["", "2 相談", "実施した"], 140.0, false),
                    row(&["(2)方針", "3 居場所", "実施し"], 160.0, true),
                ],
            ),
            page(
                2,
                vec![
                    row(&["", "", "た。"], 100.0, false),
                    row(&["", "", "合同で実施した"], 120.0, false),
                    row(&["(3)方針", "5 災害", "実施した"], 140.0, false),
                ],
            ),
        ];
        let text = assemble(layouts, 2);
        let lines: Vec<String> = text.lines.iter().map(|l| l.text()).collect();
        assert_eq!(
            lines,
            [
                "基本方針\t取組\t状況",
                "(1)方針\t1 見守り\t実施した",
                "\t2 相談\t実施した",
                "(2)方針\t3 居場所\t実施した。",
                "\t\t合同で実施した",
                "(3)方針\t5 災害\t実施した",
            ]
        );
        let joined = text
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::RowJoined)
            .count();
        assert_eq!(joined, 1);
    }

    fn object_stream(inflated_size: usize) -> Object {
        let mut stream = Stream::new(
            dictionary! { "Type" => "ObjStm" },
            vec![b' '; inflated_size],
        );
        stream.compress().unwrap();
        Object::Stream(stream)
    }

    #[test]
    fn an_object_stream_past_the_cap_is_emptied_and_marked() {
        let mut bomb = object_stream(pdf_extract::MAX_INFLATED_STREAM + 1);
        defuse_object_stream((1, 0), &mut bomb);
        let stream = bomb.as_stream().unwrap();
        assert!(stream.content.is_empty());
        assert!(stream.dict.has(OVERSIZED));
        let mut sane = object_stream(1000);
        let before = sane.clone();
        defuse_object_stream((2, 0), &mut sane);
        assert_eq!(sane, before);
    }
}
