//! One page's glyphs and rules → lines of cells, in reading order.
//!
//! 1. Glyphs drawn again at (nearly) the same place, the way office software
//!    fakes bold, are read once ([`copies`]).
//! 2. Ruled tables and boxes are found from the page's rules ([`grid`]); a
//!    glyph whose centre stands inside one of their cells is read into that
//!    cell, every other glyph is free text. A row of a table comes out as
//!    one line of cells, the text wrapped inside each cell joined; the lines
//!    of a box (a one-column table, or a row of one cell) stay lines, joined
//!    only where a line was wrapped (the next line's start would not have
//!    fitted).
//!    Grids drawn by filled cells count as ruled ([`fills`]).
//! 3. Free glyphs stacked top to bottom are vertical lines ([`vertical`]);
//!    tables without vertical rules are found from the alignment of the
//!    rest ([`aligned`]); the others are grouped into lines by their
//!    baselines ([`lines`]).
//! 4. Tables, boxes, vertical lines and pieces of lines are put in reading
//!    order ([`order`]): top to bottom, a page's columns one after the
//!    other, boxes side by side left to right, vertical lines right to
//!    left.
//! 5. A gap between lines of more than one and a half times the page's
//!    usual line pitch is a blank line.
//!
//! Every glyph drawn on the page ends up in exactly one line
//! ([`LaidOutLine::glyphs`]) or is a copy counted in the line of the glyph
//! it repeats ([`LaidOutLine::copies`]); [`unaccounted`] checks it.

mod aligned;
mod copies;
mod fills;
mod grid;
mod headers;
mod lines;
mod order;
mod vertical;

pub use lines::join_wrapped;

use super::device::{Direction, Glyph, PageContent, Rule};
use grid::Table;
use rayon::prelude::*;

/// One line of the page as laid out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LaidOutLine {
    /// The cells, left to right; a table row keeps the empty cells before
    /// its first filled one (they tell its column).
    pub cells: Vec<String>,
    /// Top of the line (points from the top of the page).
    pub top: f64,
    /// Bottom of the line.
    pub bottom: f64,
    /// The line is a table row whose bottom border is missing at the foot
    /// of the page: the row goes on at the top of the next page.
    pub open_bottom: bool,
    /// The line is a table row (of a ruled table).
    pub in_table: bool,
    /// Repairs made in the line, in words.
    pub repairs: Vec<String>,
    /// The page's glyphs read into the line (indices into
    /// [`PageContent::glyphs`]), white space included.
    pub glyphs: Vec<usize>,
    /// The glyphs dropped as copies of glyphs of this line (fake bold).
    pub copies: Vec<usize>,
    /// A line of free text (not a table row, a box's line, a vertical or a
    /// turned line).
    pub free: bool,
    /// A line of vertical writing.
    pub vertical: bool,
    /// The left and right edges of the column the line stands in, when the
    /// page gives them (a column cut off by a gutter, whose lines run up
    /// to it): what tells a wrapped line from one that ends.
    pub measure: Option<(f64, f64)>,
    /// The line runs up to the right edge of the page's text frame and the
    /// next line's first unit would not have fitted there: its break is
    /// the frame's, not the writer's. Set on lines no column gave a
    /// measure (they are not joined here; see [`page_frame`]).
    pub wrapped_at_edge: bool,
}

impl LaidOutLine {
    /// The cells joined by tabs, empty trailing cells left out.
    pub fn text(&self) -> String {
        let last = self
            .cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        self.cells[..last].join("\t")
    }

    /// How many cells hold text.
    pub fn filled_cells(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_empty()).count()
    }

    /// True for a blank line.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }
}

/// A page laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    /// The page number.
    pub page: u32,
    /// Page height, for telling headers and footers.
    pub height: f64,
    /// Lines in reading order.
    pub lines: Vec<LaidOutLine>,
    /// Where columns start on this page (the right side of each gutter
    /// read as columns), for the pages that show too few lines to tell.
    pub column_starts: Vec<f64>,
}

/// Lays out every page of a document, in parallel. A page with a free line
/// of several cells is laid out again knowing where columns start on the
/// other pages (its own column areas may be one line deep); the result
/// does not depend on the order the pages were done in.
pub fn layout_pages(pages: &[PageContent]) -> Vec<PageLayout> {
    let mut layouts: Vec<PageLayout> = pages.par_iter().map(layout_page).collect();
    let starts = document_column_starts(&layouts);
    if starts.is_empty() {
        return layouts;
    }
    let again: Vec<(usize, PageLayout)> = layouts
        .par_iter()
        .enumerate()
        .filter(|(_, layout)| {
            layout
                .lines
                .iter()
                .any(|line| line.free && line.cells.len() > 1)
        })
        .map(|(i, _)| (i, layout_page_knowing(&pages[i], &starts)))
        .collect();
    for (i, layout) in again {
        layouts[i] = layout;
    }
    layouts
}

/// The column starts of all pages, sorted, those within a point of the one
/// before dropped.
fn document_column_starts(layouts: &[PageLayout]) -> Vec<f64> {
    let mut starts: Vec<f64> = layouts
        .iter()
        .flat_map(|l| l.column_starts.iter().copied())
        .collect();
    starts.sort_by(f64::total_cmp);
    starts.dedup_by(|later, kept| *later - *kept <= 1.0);
    starts
}

/// Lays out one page on its own.
pub fn layout_page(page: &PageContent) -> PageLayout {
    layout_page_knowing(page, &[])
}

/// Lays out one page knowing where columns start on the document's other
/// pages: a page whose column areas are one line deep cannot show its
/// gutter, and a line that stands across a gutter of the document is read
/// as two columns' lines (see `order`).
pub fn layout_page_knowing(page: &PageContent, known_column_starts: &[f64]) -> PageLayout {
    if super::INJECT_LAYOUT_PANIC.load(std::sync::atomic::Ordering::Relaxed) {
        panic!("a panic injected into layout_page (INJECT_LAYOUT_PANIC)");
    }
    let glyphs = &page.glyphs;
    let (kept, copies) = copies::drop_copies(glyphs);
    // Grids drawn by fills, outside the tables the rules draw.
    let mut tables = grid::find_tables(&page.rules);
    let ruled: Vec<(f64, f64, f64, f64)> = tables
        .iter()
        .map(|t| (t.left, t.top(), t.right, t.bottom()))
        .collect();
    let fill_rules = fills::grid_rules(&page.fills, &ruled);
    if !fill_rules.is_empty() {
        let mut rules = page.rules.clone();
        rules.extend(fill_rules);
        tables = grid::find_tables(&rules);
    }
    // Each glyph is read into one cell of one table, or is free.
    let mut in_cells: Vec<Vec<Vec<Vec<usize>>>> = tables
        .iter()
        .map(|t| {
            t.bands
                .iter()
                .map(|b| vec![Vec::new(); b.cuts.len().saturating_sub(1)])
                .collect()
        })
        .collect();
    let mut free = Vec::new();
    for &index in &kept {
        let glyph = &glyphs[index];
        let (x, y) = glyph.centre();
        let cell = (glyph.direction == Direction::Upright)
            .then(|| {
                tables.iter().enumerate().find_map(|(t, table)| {
                    table.cell_at(x, y).map(|(b, c)| {
                        let (b, c) = table.owner(b, c);
                        (t, b, c)
                    })
                })
            })
            .flatten();
        match cell {
            Some((t, b, c)) => in_cells[t][b][c].push(index),
            None => free.push(index),
        }
    }
    let mut atoms: Vec<order::Atom> = Vec::new();
    for (table, cells) in tables.iter().zip(&in_cells) {
        let mut lines = table_lines(glyphs, table, cells);
        let mut top = table.top();
        if let Some(header) = headers::header_above(glyphs, table, &free) {
            let taken: std::collections::HashSet<usize> = header.glyphs.iter().copied().collect();
            free.retain(|i| !taken.contains(i));
            top = header.top;
            lines.insert(0, header);
        }
        if !lines.is_empty() {
            atoms.push(order::Atom::block(
                (table.left, top, table.right, table.bottom()),
                median_size(glyphs, lines.iter().flat_map(|l| l.glyphs.iter().copied())),
                lines,
                order::BlockKind::of_table(table),
            ));
        }
    }
    let (columns, free) = vertical::find_columns(glyphs, &free);
    // Rows of an unruled table may be told by rules between them, or by
    // the edges of banded row backgrounds.
    let separators: Vec<Rule> = page
        .rules
        .iter()
        .copied()
        .chain(page.fills.iter().flat_map(|f| {
            [f.y0, f.y1].map(|y| Rule {
                x0: f.x0,
                y0: y,
                x1: f.x1,
                y1: y,
            })
        }))
        .collect();
    let (aligned_tables, free) = aligned::find_aligned_tables(glyphs, &free, &separators);
    for table in aligned_tables {
        let size = median_size(
            glyphs,
            table.rows.iter().flat_map(|l| l.glyphs.iter().copied()),
        );
        atoms.push(order::Atom::block(
            table.bounds,
            size,
            table.rows,
            order::BlockKind::Table,
        ));
    }
    for column in &columns {
        let size = median_size(glyphs, column.glyphs.iter().copied());
        let (_, top, _, bottom) = column.bounds;
        let line = LaidOutLine {
            cells: vec![vertical::column_text(glyphs, column)],
            top,
            bottom,
            glyphs: column.glyphs.clone(),
            vertical: true,
            ..LaidOutLine::default()
        };
        atoms.push(order::Atom::block(
            column.bounds,
            size,
            vec![line],
            order::BlockKind::VerticalLine,
        ));
    }
    atoms.extend(order::free_atoms(glyphs, &free));
    let (lines, column_starts) = order::reading_order(glyphs, atoms, known_column_starts);
    let frame = page_frame(glyphs, &lines, page.width);
    let lines = join_wrapped_lines(glyphs, lines, frame);
    let mut lines = with_blank_lines(glyphs, lines);
    attach_copies(glyphs, &mut lines, &copies);
    PageLayout {
        page: page.number,
        height: page.height,
        lines,
        column_starts,
    }
}

/// The median font size of some glyphs (0 for none).
fn median_size(glyphs: &[Glyph], indices: impl Iterator<Item = usize>) -> f64 {
    let mut sizes: Vec<f64> = indices.map(|i| glyphs[i].size).collect();
    if sizes.is_empty() {
        return 0.0;
    }
    sizes.sort_by(f64::total_cmp);
    sizes[sizes.len() / 2]
}

/// The lines of a table: a row of several cells is one line, each cell's
/// wrapped text joined; a row of one cell (a box, a heading across the
/// table) gives a line for each line of its text that ends where it ends,
/// joining only the wrapped ones.
fn table_lines(glyphs: &[Glyph], table: &Table, cells: &[Vec<Vec<usize>>]) -> Vec<LaidOutLine> {
    let mut out = Vec::new();
    let in_table = !table.is_box();
    for (b, (band, band_cells)) in table.bands.iter().zip(cells).enumerate() {
        if band_cells.iter().flatten().all(|&i| glyphs[i].is_space()) {
            continue;
        }
        if band_cells.len() == 1 {
            let (left, right) = (band.cuts[0], band.cuts[band.cuts.len() - 1]);
            let mut lines = box_lines(glyphs, &band_cells[0], left, right);
            for line in &mut lines {
                line.in_table = in_table;
            }
            if let Some(last) = lines.last_mut() {
                last.open_bottom = band.open_bottom;
            }
            // A row of one cell keeps its column (a heading row spans from
            // the table's first column).
            let column = table.column_of(b, 0);
            for line in &mut lines {
                if in_table && column > 0 {
                    let mut cells = vec![String::new(); column];
                    cells.append(&mut line.cells);
                    line.cells = cells;
                }
            }
            out.extend(lines);
            continue;
        }
        // A band may hold several rows: a table ruled between its columns
        // only. They are told as in a table without rules.
        if let Some(rows) = aligned::rows_in_band(glyphs, band_cells) {
            let count = rows.len();
            for (k, row) in rows.into_iter().enumerate() {
                let mut line = LaidOutLine {
                    open_bottom: band.open_bottom && k + 1 == count,
                    cells: Vec::new(),
                    ..row
                };
                for (c, text) in row.cells.into_iter().enumerate() {
                    let column = table.column_of(b, c);
                    if line.cells.len() < column {
                        line.cells.resize(column, String::new());
                    }
                    line.cells.push(text);
                }
                out.push(line);
            }
            continue;
        }
        let mut line = LaidOutLine {
            top: band.top,
            bottom: band.bottom,
            open_bottom: band.open_bottom,
            in_table: true,
            ..LaidOutLine::default()
        };
        for (c, cell) in band_cells.iter().enumerate() {
            let column = table.column_of(b, c);
            if line.cells.len() < column {
                line.cells.resize(column, String::new());
            }
            let cell_lines = lines::group_lines(glyphs, cell);
            let text = join_wrapped(
                &cell_lines
                    .iter()
                    .map(|l| lines::line_text(glyphs, l))
                    .collect::<Vec<_>>(),
            );
            line.cells.push(text);
            line.glyphs.extend(cell.iter().copied());
        }
        out.push(line);
    }
    out
}

/// The lines of one cell read as a box: one line for each line of text,
/// a line that was wrapped (its next line's start would not have fitted
/// before the cell's right rule) joined with the next.
fn box_lines(glyphs: &[Glyph], cell: &[usize], left: f64, right: f64) -> Vec<LaidOutLine> {
    let text_lines = lines::group_lines(glyphs, cell);
    // The cell's inner padding: as much on the right as the text leaves on
    // the left, at least a point.
    let inner_left = text_lines
        .iter()
        .flat_map(|l| l.iter().map(|&i| glyphs[i].x))
        .fold(f64::INFINITY, f64::min);
    let padding = (inner_left - left).clamp(1.0, 12.0);
    let mut out: Vec<LaidOutLine> = Vec::new();
    let mut pieces: Vec<String> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    let mut top = f64::INFINITY;
    for (k, line) in text_lines.iter().enumerate() {
        pieces.push(lines::line_text(glyphs, line));
        members.extend(line.iter().copied());
        // Top and bottom as a free line's, so that pitches compare.
        let (baseline, size) = (
            lines::baseline(glyphs, line),
            lines::line_size(glyphs, line),
        );
        top = top.min(baseline - size);
        let wrapped = text_lines
            .get(k + 1)
            .is_some_and(|next| lines::is_wrapped(glyphs, line, next, right, padding + 0.5));
        if !wrapped {
            out.push(LaidOutLine {
                cells: vec![join_wrapped(&pieces)],
                top,
                bottom: baseline + size * 0.2,
                glyphs: std::mem::take(&mut members),
                ..LaidOutLine::default()
            });
            pieces.clear();
            top = f64::INFINITY;
        }
    }
    // Spaces no line took (a cell of blanks beside text) go with the last.
    let taken: std::collections::BTreeSet<usize> =
        out.iter().flat_map(|l| l.glyphs.iter().copied()).collect();
    let spaces: Vec<usize> = cell
        .iter()
        .copied()
        .filter(|i| !taken.contains(i))
        .collect();
    if let Some(last) = out.last_mut() {
        last.glyphs.extend(spaces);
    }
    out
}

/// Joins each line of a column that was wrapped at the column's edge with
/// the line that goes on with its text: the next line in reading order,
/// below it in the same column or at the top of the next, starting at its
/// column's left edge. A line is wrapped when the next line's first unit
/// (a glyph, or a Latin word) would not have fitted before the edge. Only
/// columns whose edges the page gives are joined; lines elsewhere are left
/// to the segment stage, which knows the markers that open a unit.
///
/// A line of the page's own frame (`frame`, see [`page_frame`]) that wraps
/// onto the next the same way is not joined but marked
/// [`LaidOutLine::wrapped_at_edge`]: the segment stage joins it, keeping
/// each printed line its own number.
fn join_wrapped_lines(
    glyphs: &[Glyph],
    lines: Vec<LaidOutLine>,
    frame: Option<(f64, f64)>,
) -> Vec<(LaidOutLine, f64)> {
    let mut out: Vec<(LaidOutLine, f64)> = Vec::with_capacity(lines.len());
    // The last line as printed: what a wrap is measured on, and where the
    // text was when it was cut.
    let mut printed: Option<LaidOutLine> = None;
    let vertical = VerticalMeasure::of(glyphs, &lines);
    for line in lines {
        let continues = printed.as_ref().is_some_and(|previous| {
            continues_onto(glyphs, previous, &line)
                || vertical.is_some_and(|m| m.continues_onto(glyphs, previous, &line))
        });
        let in_frame = |l: &LaidOutLine| l.measure.is_none().then_some(frame).flatten();
        let wraps_in_frame = printed.as_ref().is_some_and(|previous| {
            let (Some(measure), Some(_)) = (in_frame(previous), in_frame(&line)) else {
                return false;
            };
            wraps_within(glyphs, previous, &line, measure, measure)
        });
        if wraps_in_frame {
            if let Some((last, _)) = out.last_mut() {
                last.wrapped_at_edge = true;
            }
        }
        let this = line.clone();
        match out.last_mut() {
            Some((joined, last_top)) if continues => {
                *last_top = line.top;
                let before = printed.as_ref().map(|p| ink(glyphs, p)).unwrap_or_default();
                let after = ink(glyphs, &line);
                // A Latin word wrapped at its space keeps the space.
                let latin = |i: Option<&usize>| {
                    i.is_some_and(|&i| glyphs[i].text.chars().all(|c| c.is_ascii_alphanumeric()))
                };
                let space = if latin(before.last()) && latin(after.first()) {
                    " "
                } else {
                    ""
                };
                let text = format!("{}{space}{}", joined.text(), line.text());
                joined.cells = vec![text];
                joined.bottom = joined.bottom.max(line.bottom);
                joined.glyphs.extend(line.glyphs);
                joined.copies.extend(line.copies);
                joined.repairs.extend(line.repairs);
            }
            _ => {
                let top = line.top;
                out.push((line, top));
            }
        }
        printed = Some(this);
    }
    out
}

/// The left and right edges of the text frame of the page's free lines
/// that no column gave a measure (a page of one column): the left of its
/// leftmost line and the right of its rightmost, when that right is the
/// edge the text wraps at. It is when [`order::MIN_LINES_AT_EDGE`] lines end
/// within a font size of it (filled lines), or when it mirrors the left
/// margin within a font size: producers set a page's left and right
/// margins alike (Word's, Ichitaro's and a browser's print defaults), so
/// a line that ends there reaches the frame even if it is the page's only
/// long line. A frame narrower than [`MIN_FRAME_SHARE`] of the page is
/// none: lines of a list that end alike are not filled lines.
fn page_frame(glyphs: &[Glyph], lines: &[LaidOutLine], page_width: f64) -> Option<(f64, f64)> {
    let inks: Vec<(f64, f64, f64)> = lines
        .iter()
        .filter(|l| l.free && !l.vertical && l.measure.is_none() && l.cells.len() == 1)
        .filter_map(|l| {
            let ink = ink(glyphs, l);
            let (left, _, right, _) = vertical::bounds_of(glyphs, &ink);
            (!ink.is_empty()).then_some((left, right, lines::line_size(glyphs, &ink)))
        })
        .collect();
    let left = inks.iter().map(|e| e.0).fold(f64::INFINITY, f64::min);
    let (right, size) = inks
        .iter()
        .map(|e| (e.1, e.2))
        .fold(
            (f64::NEG_INFINITY, 0.0),
            |a, b| if b.0 > a.0 { b } else { a },
        );
    if inks.is_empty() || right - left < MIN_FRAME_SHARE * page_width {
        return None;
    }
    let at_edge = inks.iter().filter(|e| e.1 >= right - e.2).count();
    let mirrored = (page_width - right - left).abs() <= size;
    (at_edge >= order::MIN_LINES_AT_EDGE || mirrored).then_some((left, right))
}

/// See [`page_frame`].
const MIN_FRAME_SHARE: f64 = 0.5;

/// The top and bottom edges of a page's vertical writing, when at least
/// [`MIN_VERTICAL_AT_EDGE`] of its lines run down to the bottom one: the
/// measure its lines wrap at.
#[derive(Debug, Clone, Copy)]
struct VerticalMeasure {
    top: f64,
    bottom: f64,
}

/// See [`VerticalMeasure`].
const MIN_VERTICAL_AT_EDGE: usize = 2;

impl VerticalMeasure {
    fn of(glyphs: &[Glyph], lines: &[LaidOutLine]) -> Option<VerticalMeasure> {
        let vertical: Vec<&LaidOutLine> = lines.iter().filter(|l| l.vertical).collect();
        let top = vertical.iter().map(|l| l.top).fold(f64::INFINITY, f64::min);
        let bottom = vertical
            .iter()
            .map(|l| l.bottom)
            .fold(f64::NEG_INFINITY, f64::max);
        let size = vertical
            .iter()
            .flat_map(|l| l.glyphs.first())
            .map(|&i| glyphs[i].size)
            .fold(0.0, f64::max);
        let at_edge = vertical
            .iter()
            .filter(|l| l.bottom >= bottom - size)
            .count();
        (at_edge >= MIN_VERTICAL_AT_EDGE).then_some(VerticalMeasure { top, bottom })
    }

    /// True when the vertical line `next` goes on with `line`: `line` runs
    /// down to the bottom edge (the next glyph would not have fitted), and
    /// `next` starts at the top edge; not after a sentence end, nor before
    /// a bullet.
    fn continues_onto(&self, glyphs: &[Glyph], line: &LaidOutLine, next: &LaidOutLine) -> bool {
        if !line.vertical || !next.vertical {
            return false;
        }
        let (Some(&last), Some(&first)) = (line.glyphs.last(), next.glyphs.first()) else {
            return false;
        };
        let size = glyphs[first].size;
        !glyphs[last].text.ends_with(SENTENCE_ENDS)
            && !glyphs[first].text.starts_with(ITEM_STARTS)
            && line.bottom + size > self.bottom - WRAP_SLACK * size
            && next.top <= self.top + WRAP_SLACK * size
    }
}

/// A line's glyphs that show, left to right.
fn ink(glyphs: &[Glyph], line: &LaidOutLine) -> Vec<usize> {
    let mut ink: Vec<usize> = line
        .glyphs
        .iter()
        .copied()
        .filter(|&i| !glyphs[i].is_space())
        .collect();
    ink.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
    ink
}

/// How far short of a column's right edge (font sizes) the next line's
/// first unit may end and the line still count as wrapped: the edge is the
/// rightmost end of the column's lines, which wrapped text reaches within
/// less than one unit of its true measure.
const WRAP_SLACK: f64 = 0.5;

/// The characters that open an item of a list in Japanese documents:
/// bullets, dashes used as bullets, reference marks, circled numbers.
const ITEM_STARTS: &[char] = &[
    '・', '●', '○', '◎', '◯', '■', '□', '◆', '◇', '▲', '△', '▼', '▽', '★', '☆', '※', '•', '-',
    '－', '−', '–', '—', '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮',
    '⑯', '⑰', '⑱', '⑲', '⑳',
];

/// Lines whose font sizes differ by more than this share are not one text.
const SAME_SIZE: f64 = 0.15;

/// The characters that end a sentence.
const SENTENCE_ENDS: &[char] = &['。', '．', '.', '！', '？', '!', '?'];

/// The distance between the tops of a wrapped line and its continuation,
/// at most, in font sizes: the line pitch of set text (up to 1.8) and not a
/// line more.
const MAX_WRAPPED_PITCH: f64 = 1.9;

/// True when `next` goes on with the text of `line`, wrapped at the edge
/// of `line`'s column (see [`join_wrapped_lines`]).
fn continues_onto(glyphs: &[Glyph], line: &LaidOutLine, next: &LaidOutLine) -> bool {
    let (Some(measure), Some(next_measure)) = (line.measure, next.measure) else {
        return false;
    };
    wraps_within(glyphs, line, next, measure, next_measure)
}

/// True when `next` goes on with the text of `line`, the two standing in
/// columns of the given measures (left and right edges): `line` was
/// wrapped at its right edge (see [`join_wrapped_lines`]).
fn wraps_within(
    glyphs: &[Glyph],
    line: &LaidOutLine,
    next: &LaidOutLine,
    measure: (f64, f64),
    next_measure: (f64, f64),
) -> bool {
    let (right, next_left) = (measure.1, next_measure.0);
    if !line.free || !next.free || line.cells.len() != 1 || next.cells.len() != 1 {
        return false;
    }
    let (before, after) = (ink(glyphs, line), ink(glyphs, next));
    let Some(&first) = after.first() else {
        return false;
    };
    let size = glyphs[first].size;
    // Text in another size is another thing (a running header above a
    // column, a heading).
    let sizes = |line: &[usize]| lines::line_size(glyphs, line);
    if (sizes(&before) - sizes(&after)).abs() > SAME_SIZE * size {
        return false;
    }
    // A sentence that ends at the edge may end its paragraph: the segment
    // stage, which reads the text, decides (as it does for a text file).
    if before
        .last()
        .is_some_and(|&i| glyphs[i].text.ends_with(SENTENCE_ENDS))
    {
        return false;
    }
    // A line that starts with a bullet or an item number opens an item of
    // a list, whatever the line before it; the segment stage reads it.
    if glyphs[first].text.starts_with(ITEM_STARTS) {
        return false;
    }
    // The next line starts at its column's left edge (an indent opens a
    // paragraph), right below in the same column (a gap of a line or more
    // parts paragraphs) or at the top of another column.
    let at_left = glyphs[first].x <= next_left + 0.5 * size;
    let follows = if next_measure == measure {
        next.top >= line.top && next.top - line.top <= MAX_WRAPPED_PITCH * size
    } else {
        true
    };
    at_left && follows && lines::is_wrapped(glyphs, &before, &after, right, WRAP_SLACK * size)
}

/// Puts a blank line where the gap above a line is more than one and a half
/// times the page's usual pitch (its most common distance between lines).
/// A line that stands above the one before it (the top of the next column)
/// has no blank line before it: the text flows on. Vertical lines are
/// measured across, right to left: a gap of more than [`VERTICAL_BLANK`]
/// times their own line pitch between two is a blank line.
fn with_blank_lines(glyphs: &[Glyph], lines: Vec<(LaidOutLine, f64)>) -> Vec<LaidOutLine> {
    let spaced = |line: &LaidOutLine| !line.in_table && !line.vertical;
    // Each line with the top of its last printed line, which the gap to
    // the next line is measured from (a joined line spans several).
    let (lines, last_tops): (Vec<LaidOutLine>, Vec<f64>) = lines.into_iter().unzip();
    let pitches: Vec<f64> = lines
        .windows(2)
        .zip(&last_tops)
        .filter(|(w, _)| spaced(&w[0]) && spaced(&w[1]))
        .map(|(w, last_top)| w[1].top - last_top)
        .filter(|d| *d > 0.0)
        .collect();
    // A vertical line's place across: the centres of its glyphs, the
    // rightmost where it starts, the leftmost where it ends (its last
    // column, when it was wrapped over several). Centres, not edges: a
    // glyph turned sideways stands on the line's axis as an upright one.
    let centres = |line: &LaidOutLine| {
        line.glyphs
            .iter()
            .filter(|&&i| !glyphs[i].is_space())
            .map(|&i| glyphs[i].centre().0)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), x| {
                (l.min(x), r.max(x))
            })
    };
    let across = |before: &LaidOutLine, after: &LaidOutLine| centres(before).0 - centres(after).1;
    let vertical_pitches: Vec<f64> = lines
        .windows(2)
        .filter(|w| w[0].vertical && w[1].vertical)
        .map(|w| across(&w[0], &w[1]))
        .filter(|d| *d > 0.0)
        .collect();
    let pitch = most_common(&pitches);
    // Vertical lines: a gap wider than the pitch of a paragraph's own lines
    // (the smallest pitch that recurs) by [`VERTICAL_BLANK`] is a blank
    // line: vertical pages set off paragraphs by less than a line.
    let vertical_pitch = smallest_recurring(&vertical_pitches);
    let mut out = Vec::with_capacity(lines.len());
    let mut previous: Option<(&LaidOutLine, f64)> = None;
    let mut blank_before: Vec<bool> = Vec::with_capacity(lines.len());
    for (line, &last_top) in lines.iter().zip(&last_tops) {
        let blank = previous.is_some_and(|(p, p_last_top)| {
            if spaced(p) && spaced(line) {
                pitch.is_some_and(|pitch| line.top - p_last_top > pitch * 1.5)
            } else if p.vertical && line.vertical {
                vertical_pitch.is_some_and(|pitch| across(p, line) > pitch * VERTICAL_BLANK)
            } else {
                false
            }
        });
        blank_before.push(blank);
        previous = Some((line, last_top));
    }
    for (line, blank) in lines.into_iter().zip(blank_before) {
        if blank {
            out.push(LaidOutLine {
                top: line.top,
                bottom: line.top,
                ..LaidOutLine::default()
            });
        }
        out.push(line);
    }
    out
}

/// A gap across this many times the line pitch of vertical writing is a
/// blank line.
const VERTICAL_BLANK: f64 = 1.3;

/// The smallest value that occurs at least twice, to a tenth of a point
/// (the smallest of all when none does).
fn smallest_recurring(values: &[f64]) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for v in values {
        *counts.entry((v * 10.0).round() as i64).or_default() += 1;
    }
    let recurring = counts.iter().find(|&(_, &count)| count >= 2);
    recurring
        .or_else(|| counts.iter().next())
        .map(|(&value, _)| value as f64 / 10.0)
}

/// The most common value, to a tenth of a point.
fn most_common(values: &[f64]) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for v in values {
        *counts.entry((v * 10.0).round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(value, count)| (count, std::cmp::Reverse(value)))
        .map(|(value, _)| value as f64 / 10.0)
}

/// Gives each copy to the line of the glyph it repeats, and each line with
/// copies of ink a repair note.
fn attach_copies(glyphs: &[Glyph], lines: &mut [LaidOutLine], copies: &[copies::Copy]) {
    let mut line_of: std::collections::HashMap<usize, usize> = Default::default();
    for (l, line) in lines.iter().enumerate() {
        for &g in &line.glyphs {
            line_of.insert(g, l);
        }
    }
    for copy in copies {
        // The original of a copy is always kept, and every kept glyph is
        // in a line; a space's copy whose space no line took is dropped
        // with it (it shows nothing).
        if let Some(&l) = line_of.get(&copy.of) {
            lines[l].copies.push(copy.index);
        }
    }
    for line in lines.iter_mut() {
        let ink = line
            .copies
            .iter()
            .filter(|&&i| !glyphs[i].is_space())
            .count();
        if ink > 0 {
            let read: String = line.text().replace('\t', " ").chars().take(40).collect();
            line.repairs.push(format!(
                "{ink} glyphs drawn again over themselves (fake bold) were read once: \"{read}\""
            ));
        }
    }
}

/// The ink glyphs of the page (not white space) that are in no line and
/// are no counted copy, or are in more than one line: empty when every
/// glyph is accounted for.
pub fn unaccounted(page: &PageContent, layout: &PageLayout) -> Vec<usize> {
    let mut seen = vec![0usize; page.glyphs.len()];
    for line in &layout.lines {
        for &g in line.glyphs.iter().chain(&line.copies) {
            if let Some(count) = seen.get_mut(g) {
                *count += 1;
            }
        }
    }
    page.glyphs
        .iter()
        .enumerate()
        .filter(|(i, g)| !g.is_space() && seen[*i] != 1)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row of a ruled table, 10 points high, with these cells.
    pub fn table_row(cells: &[&str], top: f64) -> LaidOutLine {
        LaidOutLine {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            top,
            bottom: top + 10.0,
            in_table: true,
            ..LaidOutLine::default()
        }
    }

    /// Page `number` of an A4-high document, laid out as `lines`.
    pub fn page_layout(number: u32, lines: Vec<LaidOutLine>) -> PageLayout {
        PageLayout {
            page: number,
            height: 800.0,
            lines,
            column_starts: Vec::new(),
        }
    }

    /// Glyphs of `s` from `x` on the baseline `y`, 10 points apart.
    pub fn text(glyphs: &mut Vec<Glyph>, s: &str, x: f64, y: f64) {
        for (k, c) in s.chars().enumerate() {
            glyphs.push(glyph(&c.to_string(), x + 10.0 * k as f64, y));
        }
    }

    /// An upright glyph of size 10 and advance 10.
    pub fn glyph(text: &str, x: f64, y: f64) -> Glyph {
        Glyph {
            text: text.into(),
            x,
            y,
            width: 10.0,
            size: 10.0,
            direction: Direction::Upright,
        }
    }

    fn h(x0: f64, x1: f64, y: f64) -> Rule {
        Rule {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }

    fn v(x: f64, y0: f64, y1: f64) -> Rule {
        Rule {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    fn page(glyphs: Vec<Glyph>, rules: Vec<Rule>) -> PageContent {
        PageContent {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
            rules,
            fills: Vec::new(),
            images: 0,
            problems: Vec::new(),
        }
    }

    fn texts(layout: &PageLayout) -> Vec<String> {
        layout.lines.iter().map(LaidOutLine::text).collect()
    }

    /// A line of 31 glyphs, across the test pages' columns.
    const ACROSS: &str = "ページの幅いっぱいに組んだ行です。ページの幅いっぱいに組んだ行";

    /// The non-blank lines a page of free glyphs is read as; every glyph is
    /// accounted for.
    fn read_free_text(glyphs: Vec<Glyph>) -> Vec<String> {
        let page = page(glyphs, Vec::new());
        let layout = layout_page(&page);
        assert!(unaccounted(&page, &layout).is_empty());
        texts(&layout)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect()
    }

    fn run(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| glyph(&c.to_string(), x + 10.0 * i as f64, y))
            .collect()
    }

    #[test]
    fn a_ruled_grid_gives_rows_of_cells_in_their_columns() {
        // Two rows; the second fills column 1 only (its empty first cell
        // is kept), and its text wraps inside the cell.
        let rules = vec![
            h(0.0, 300.0, 0.0),
            h(0.0, 300.0, 30.0),
            h(0.0, 300.0, 80.0),
            v(0.0, 0.0, 80.0),
            v(100.0, 0.0, 80.0),
            v(200.0, 0.0, 80.0),
            v(300.0, 0.0, 80.0),
        ];
        let glyphs = vec![
            glyph("A", 10.0, 20.0),
            glyph("B", 110.0, 20.0),
            glyph("C", 210.0, 20.0),
            glyph("子", 110.0, 45.0),
            glyph("育", 110.0, 60.0),
        ];
        let page = page(glyphs, rules);
        let layout = layout_page(&page);
        assert_eq!(texts(&layout), ["A\tB\tC", "\t子育"]);
        assert!(unaccounted(&page, &layout).is_empty());
    }

    #[test]
    fn a_heading_beside_a_box_is_read_before_it_not_lost() {
        // A legend box (x 300 to 500, y 0 to 20) standing on a table below
        // it (x 0 to 500, y 20 to 40, two columns): the heading at the
        // left of the box's row is inside the table's outer bounds but in
        // none of its cells.
        let rules = vec![
            h(300.0, 500.0, 0.0),
            h(0.0, 500.0, 20.0),
            h(0.0, 500.0, 40.0),
            v(300.0, 0.0, 40.0),
            v(500.0, 0.0, 40.0),
            v(0.0, 20.0, 40.0),
        ];
        let mut glyphs = run("①見出し", 50.0, 15.0);
        glyphs.extend(run("○:実施", 305.0, 15.0));
        glyphs.extend(run("番号", 5.0, 35.0));
        glyphs.extend(run("取組", 305.0, 35.0));
        let page = page(glyphs, rules);
        let layout = layout_page(&page);
        assert_eq!(texts(&layout), ["①見出し", "\t○:実施", "番号\t取組"]);
        assert!(unaccounted(&page, &layout).is_empty());
    }

    #[test]
    fn lines_in_a_box_keep_their_breaks_and_wrapped_lines_are_joined() {
        // A box from 0 to 100 (ten glyphs wide, a little padding): two
        // items that end early, and one that fills the box and wraps.
        let rules = vec![
            h(0.0, 100.0, 0.0),
            h(0.0, 100.0, 80.0),
            v(0.0, 0.0, 80.0),
            v(100.0, 0.0, 80.0),
        ];
        let mut glyphs = run("１情報提供", 2.0, 15.0);
        glyphs.extend(run("２人材育成", 2.0, 30.0));
        glyphs.extend(run("３地域活動への支援を", 2.0, 45.0));
        glyphs.extend(run("行う", 2.0, 60.0));
        let page = page(glyphs, rules);
        let layout = layout_page(&page);
        assert_eq!(
            texts(&layout),
            ["１情報提供", "２人材育成", "３地域活動への支援を行う"]
        );
        assert!(unaccounted(&page, &layout).is_empty());
    }

    #[test]
    fn full_width_spaces_lined_up_on_two_lines_are_no_gutter() {
        // Two indicator lines whose parts are set off by full-width spaces
        // (one em), between short lines; in fixed-pitch text the second
        // line's space at 28 ems stands right under the first line's. Each
        // line is read whole.
        let lines = [
            "＜数値目標＞",
            "福祉施設から一般就労への移行者数　令和4年度実績　41人　第7期目標値　58人",
            "就労定着支援事業の利用者数と定着率の推移　令和4年度実績　23人　目標値　40人",
            "①障がい者就労支援センターによる職場開拓",
            "②市役所における職場実習の受入れ",
        ];
        let mut glyphs = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            let y = 10.0 + 15.0 * k as f64;
            glyphs.extend(run(line, 0.0, y).into_iter().filter(|g| g.text != "　"));
        }
        let read = read_free_text(glyphs);
        assert_eq!(
            read,
            [
                "＜数値目標＞",
                "福祉施設から一般就労への移行者数 令和4年度実績 41人 第7期目標値 58人",
                "就労定着支援事業の利用者数と定着率の推移 令和4年度実績 23人 目標値 40人",
                "①障がい者就労支援センターによる職場開拓",
                "②市役所における職場実習の受入れ",
            ]
        );
    }

    #[test]
    fn two_columns_are_read_one_after_the_other_their_wraps_joined() {
        // A heading across the page, then two columns of five lines each,
        // one em apart, their lines on the same baselines. The first two
        // lines of each column are wrapped at its edge (ten glyphs fill
        // it); a sentence end at the edge, a bullet and short lines end
        // their text.
        let mut glyphs = run("見出しの行です", 0.0, 10.0);
        let left = [
            "左の段の文章は段の幅",
            "で折り返します。左の",
            "段の二つめの文です。",
            "短い行です。",
            "左の最後の行。",
        ];
        // On the right, a bullet opens an item after a full line.
        let right = [
            "右の段も同じように段",
            "の幅で折り返して次の",
            "行に続く一覧の見出しの",
            "・右の短い項目。",
            "右の最後の行。",
        ];
        for (k, (l, r)) in left.iter().zip(&right).enumerate() {
            let y = 30.0 + 14.0 * k as f64;
            glyphs.extend(run(l, 0.0, y));
            glyphs.extend(run(r, 110.0, y));
        }
        let read = read_free_text(glyphs);
        assert_eq!(
            read,
            [
                "見出しの行です",
                "左の段の文章は段の幅で折り返します。左の段の二つめの文です。",
                "短い行です。",
                "左の最後の行。",
                "右の段も同じように段の幅で折り返して次の行に続く一覧の見出しの",
                "・右の短い項目。",
                "右の最後の行。",
            ]
        );
    }

    #[test]
    fn a_short_column_area_is_read_column_by_column() {
        // A line across the page, then two headings set in two columns:
        // two lines on the left, one on the right, side by side at the
        // top; then a line across the page again.
        let mut glyphs = run(ACROSS, 0.0, 10.0);
        glyphs.extend(run("基本目標の見出し", 0.0, 30.0));
        glyphs.extend(run("①方針の見出し", 150.0, 30.0));
        glyphs.extend(run("基本施策", 0.0, 44.0));
        glyphs.extend(run(ACROSS, 0.0, 70.0));
        let read = read_free_text(glyphs);
        assert_eq!(
            read[1..4],
            ["基本目標の見出し", "基本施策", "①方針の見出し"]
        );
    }

    #[test]
    fn a_lone_line_across_a_gutter_of_the_document_is_two_columns_lines() {
        // Page 1: a column area (three lines a side) shows the gutter.
        let mut first = run(ACROSS, 0.0, 10.0);
        for k in 0..3 {
            let y = 30.0 + 14.0 * k as f64;
            first.extend(run("左の段の見出しです", 0.0, y));
            first.extend(run("右の段の見出しです", 150.0, y));
        }
        first.extend(run(ACROSS, 0.0, 90.0));
        // Page 2: between lines across the page, a line of two pieces that
        // start where the columns do; a line of three pieces (a row of
        // cells) that also has one there; and a lone line with text right
        // below it that runs across the gutter.
        let mut second = run(ACROSS, 0.0, 10.0);
        second.extend(run("(2)見守りの充実", 0.0, 30.0));
        second.extend(run("①人材の参加促進", 150.0, 30.0));
        second.extend(run(ACROSS, 0.0, 50.0));
        second.extend(run("番号", 0.0, 70.0));
        second.extend(run("取組の名前", 40.0, 70.0));
        second.extend(run("担当する課の名前", 150.0, 70.0));
        second.extend(run(ACROSS, 0.0, 90.0));
        second.extend(run("(3)相談体制の充実", 0.0, 110.0));
        second.extend(run("②身近な相談の場", 150.0, 110.0));
        second.extend(run(ACROSS, 0.0, 124.0));
        let pages = [page(first, Vec::new()), {
            let mut p = page(second, Vec::new());
            p.number = 2;
            p
        }];
        let alone = texts(&layout_page(&pages[1]));
        assert!(alone.contains(&"(2)見守りの充実\t①人材の参加促進".to_string()));
        let layouts = layout_pages(&pages);
        let read: Vec<String> = texts(&layouts[1])
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(read[1..3], ["(2)見守りの充実", "①人材の参加促進"]);
        assert_eq!(read[4], "番号 取組の名前\t担当する課の名前");
        assert_eq!(read[6], "(3)相談体制の充実\t②身近な相談の場");
        for (page, layout) in pages.iter().zip(&layouts) {
            assert!(unaccounted(page, layout).is_empty());
        }
    }

    #[test]
    fn the_right_column_wraps_at_the_edge_of_the_text_it_stands_in() {
        // Under a line across the page, three lines on the left and two on
        // the right; the right column's first line ends two ems short of
        // the edge of the text above, and wraps: the next line's 報・ would
        // not fit, and the rules keep ・ with 報 (the second line is short,
        // so the column alone does not show its edge).
        let mut glyphs = run(ACROSS, 0.0, 10.0);
        for k in 0..3 {
            glyphs.extend(run("左の段の短い行です。", 0.0, 30.0 + 14.0 * k as f64));
        }
        glyphs.extend(run("右の段の見出しは段の端まで届", 150.0, 30.0));
        glyphs.extend(run("報・続きです", 150.0, 44.0));
        let read = read_free_text(glyphs);
        assert_eq!(
            read.last().unwrap(),
            "右の段の見出しは段の端まで届報・続きです"
        );
    }

    /// The lines of a one-column page (600 wide) of `lines` (text, left),
    /// 14 points apart, with whether each was marked wrapped at the frame.
    fn frame_wraps(lines: &[(&str, f64)]) -> Vec<(String, bool)> {
        let mut glyphs = Vec::new();
        for (k, (line, left)) in lines.iter().enumerate() {
            glyphs.extend(run(line, *left, 20.0 + 14.0 * k as f64));
        }
        let page = page(glyphs, Vec::new());
        let layout = layout_page(&page);
        assert!(unaccounted(&page, &layout).is_empty());
        layout
            .lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| (l.text(), l.wrapped_at_edge))
            .collect()
    }

    #[test]
    fn a_line_that_reaches_the_mirror_of_the_left_margin_wraps_at_the_frame() {
        // Margins of 60 on a page 600 wide: the one long line ends at 540,
        // where the right margin mirrors the left, and `（令` would not fit
        // after it. Its break is the frame's; the lines stay two lines.
        let long = format!("（１）{}", "市民の割合を上げる".repeat(5));
        assert_eq!(long.chars().count(), 48);
        let read = frame_wraps(&[
            ("見出しの行", 60.0),
            (&long, 60.0),
            ("（令和11年度）", 60.0),
        ]);
        assert_eq!(
            read,
            [
                ("見出しの行".to_string(), false),
                (long.clone(), true),
                ("（令和11年度）".to_string(), false)
            ]
        );
        // The same line on a page whose right margin is wider than its
        // left (it ends at 500) shows no frame: one line reaches 500.
        let shorter: String = long.chars().take(44).collect();
        let read = frame_wraps(&[
            ("見出しの行", 60.0),
            (&shorter, 60.0),
            ("（令和11年度）", 60.0),
        ]);
        assert!(read.iter().all(|(_, wrapped)| !wrapped), "{read:?}");
        // Two lines that end at 500 show it: filled lines of a frame with
        // margins of 60 and 100.
        let read = frame_wraps(&[(&shorter, 60.0), (&shorter, 60.0), ("（令和11年度）", 60.0)]);
        assert_eq!(
            read.iter().map(|r| r.1).collect::<Vec<_>>(),
            [true, true, false]
        );
    }

    #[test]
    fn lines_of_a_list_that_end_alike_are_no_frame() {
        // Three names of one width, far narrower than the page: a list, not
        // filled lines, however alike their ends.
        let read = frame_wraps(&[
            ("地域福祉課", 60.0),
            ("高齢福祉課", 60.0),
            ("障害福祉課", 60.0),
        ]);
        assert!(read.iter().all(|(_, wrapped)| !wrapped), "{read:?}");
    }

    #[test]
    fn a_row_of_cells_without_rules_stays_one_line() {
        // Three short cells far apart on one baseline, three rows: a table
        // of labels, not columns of prose.
        let mut glyphs = Vec::new();
        for k in 0..3 {
            let y = 20.0 + 14.0 * k as f64;
            glyphs.extend(run("番号", 0.0, y));
            glyphs.extend(run("取組名", 100.0, y));
            glyphs.extend(run("担当課", 250.0, y));
        }
        let page = page(glyphs, Vec::new());
        let layout = layout_page(&page);
        assert_eq!(texts(&layout), ["番号\t取組名\t担当課"; 3]);
    }

    #[test]
    fn vertical_lines_are_read_right_to_left_wraps_joined_gaps_kept() {
        // Vertical lines 18 apart, right to left: the first runs down to
        // the bottom (five glyphs) and is wrapped; the second ends a
        // sentence there; the third is short; a gap of two pitches, then a
        // new paragraph.
        let mut glyphs = Vec::new();
        let lines = [
            (300.0, "地域福祉の"),
            (282.0, "計画です。"),
            (264.0, "縦書き"),
            (228.0, "次の段落"),
        ];
        for (x, line) in lines {
            for (i, c) in line.chars().enumerate() {
                glyphs.push(glyph(&c.to_string(), x, 40.0 + 10.0 * i as f64));
            }
        }
        let page = page(glyphs, Vec::new());
        let layout = layout_page(&page);
        assert_eq!(
            texts(&layout),
            ["地域福祉の計画です。", "縦書き", "", "次の段落"]
        );
        assert!(unaccounted(&page, &layout).is_empty());
    }
}
