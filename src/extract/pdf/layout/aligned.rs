//! Tables without vertical rules, found from the alignment of their text:
//! the "stream" tables of Tabula and camelot, pdfplumber's text strategy.
//! Word tab stops, Ichitaro tables, reports with a rule under the header
//! only: the columns are where text stands, not where lines are drawn.
//!
//! 1. The free glyphs are cut into pieces: a line's runs of text set apart
//!    by a gap of 0.8 em or more, as the reading order cuts them.
//! 2. A *region* is a run of lines, close one under the other, that begins
//!    at a line of three pieces or more; each later line joins while none
//!    of its pieces reaches across a gutter of the region (a line across
//!    the columns, a heading inside the table, ends it). A line above, whose
//!    pieces all stand in the region's columns and not only in the first
//!    (the upper lines of a header wrapped over several), joins too.
//! 3. The columns are the region's pieces projected on the x axis: text of
//!    one column overlaps, columns leave gutters. A header piece that runs
//!    over the body's text on both sides of a gutter (tab stops set close)
//!    is cut at its widest gap inside the gutter.
//! 4. The rows: each column's pieces fall into blocks (a cell's lines, at the
//!    column's line pitch); a row begins where several columns begin a
//!    block on the same line (cells are set at the top of their row), or
//!    below a rule across the table. A block belongs to the row it begins
//!    in, so a cell merged down its group, whose text runs on beside the
//!    rows after, is read whole in its first row.
//! 5. A region is a table when it has two rows or more and three columns
//!    or more, and most of its blocks begin with a row (text columns of a
//!    page begin their paragraphs anywhere).

use super::super::device::{Glyph, Rule};
use super::{lines, order, vertical, LaidOutLine};

/// A line more than this many ems below the one above it is no line of
/// the same region (a blank line's worth and a cell's padding).
const MAX_LINE_GAP: f64 = 1.6;

/// A piece reaching this many points past a gutter's edge crosses it.
const CROSSING: f64 = 1.0;

/// In a column, a baseline this much further than the column's usual pitch
/// below the one before begins a new block.
const BLOCK_BREAK: f64 = 1.25;

/// The share of a region's blocks that must begin with a row.
const MIN_ALIGNED_SHARE: f64 = 0.6;

/// A table found from alignment: its bounds and its rows, each a line of
/// cells in column order.
#[derive(Debug, Clone)]
pub struct AlignedTable {
    /// `(left, top, right, bottom)`.
    pub bounds: (f64, f64, f64, f64),
    /// The rows, top to bottom.
    pub rows: Vec<LaidOutLine>,
}

/// A piece of a line: glyphs side by side with no wide gap.
#[derive(Debug, Clone)]
struct Piece {
    glyphs: Vec<usize>,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    baseline: f64,
    size: f64,
}

impl Piece {
    /// The piece of these glyphs (left to right), or none when they are
    /// all white space.
    fn of(glyphs: &[Glyph], group: Vec<usize>) -> Option<Piece> {
        let ink: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| !glyphs[i].is_space())
            .collect();
        if ink.is_empty() {
            return None;
        }
        let (left, top, right, bottom) = vertical::bounds_of(glyphs, &ink);
        Some(Piece {
            baseline: lines::baseline(glyphs, &ink),
            size: lines::line_size(glyphs, &ink),
            glyphs: group,
            left,
            right,
            top,
            bottom,
        })
    }

    /// Where the piece is to be cut when it stands over the body's text on
    /// both sides of a gutter (`from`, `to`: where the text on its left
    /// ends and the text on its right begins): at its widest gap between
    /// glyphs inside the gutter (the space between two header words), else
    /// at the gutter's middle. `None` when it stands over one side only (a
    /// header wider than the narrow column it is centred over).
    fn cut_point(&self, glyphs: &[Glyph], (from, to): (f64, f64)) -> Option<f64> {
        let middle = (from + to) / 2.0;
        if self.left >= from || self.right <= to {
            return None;
        }
        let ink: Vec<&Glyph> = self
            .glyphs
            .iter()
            .map(|&i| &glyphs[i])
            .filter(|g| !g.is_space())
            .collect();
        let widest = ink
            .windows(2)
            .map(|w| (w[0].right(), w[1].x))
            .filter(|&(end, start)| (end + start) / 2.0 > from && (end + start) / 2.0 < to)
            .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)));
        Some(widest.map_or(middle, |(end, start)| (end + start) / 2.0))
    }

    /// The piece cut at `x`: the glyphs whose centre stands left of it, and
    /// the others.
    fn cut_at(&self, glyphs: &[Glyph], x: f64) -> Vec<Piece> {
        let (before, after): (Vec<usize>, Vec<usize>) =
            self.glyphs.iter().partition(|&&i| glyphs[i].centre().0 < x);
        [before, after]
            .into_iter()
            .filter_map(|group| Piece::of(glyphs, group))
            .collect()
    }
}

/// One line of the page: its pieces left to right.
#[derive(Debug, Clone)]
struct Line {
    pieces: Vec<Piece>,
    top: f64,
    bottom: f64,
    size: f64,
}

/// Finds the tables of the upright glyphs among `free` that their alignment
/// shows; gives them and the glyphs left free.
pub fn find_aligned_tables(
    glyphs: &[Glyph],
    free: &[usize],
    rules: &[Rule],
) -> (Vec<AlignedTable>, Vec<usize>) {
    let upright: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&i| glyphs[i].direction == super::super::device::Direction::Upright)
        .collect();
    let page_lines: Vec<Line> = lines::group_lines(glyphs, &upright)
        .into_iter()
        .filter_map(|line| line_of(glyphs, line))
        .collect();
    let mut tables = Vec::new();
    let mut taken = vec![false; page_lines.len()];
    let mut start = 0;
    while start < page_lines.len() {
        if taken[start] || page_lines[start].pieces.len() < 3 {
            start += 1;
            continue;
        }
        let (first, last) = region(&page_lines, start, &taken);
        match table_of(glyphs, &page_lines[first..=last], rules) {
            Some(table) => {
                taken[first..=last].iter_mut().for_each(|t| *t = true);
                tables.push(table);
                start = last + 1;
            }
            None => start += 1,
        }
    }
    let in_tables: std::collections::HashSet<usize> = page_lines
        .iter()
        .zip(&taken)
        .filter(|(_, &t)| t)
        .flat_map(|(line, _)| line.pieces.iter().flat_map(|p| p.glyphs.iter().copied()))
        .collect();
    let left_free = free
        .iter()
        .copied()
        .filter(|i| !in_tables.contains(i))
        .collect();
    (tables, left_free)
}

/// A line's pieces, or none for a line of white space.
fn line_of(glyphs: &[Glyph], mut line: Vec<usize>) -> Option<Line> {
    line.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
    let groups = order::cut_at_gaps(glyphs, &line);
    let pieces: Vec<Piece> = groups
        .into_iter()
        .filter_map(|group| Piece::of(glyphs, group))
        .collect();
    let first = pieces.first()?;
    let (top, bottom) = pieces.iter().fold((first.top, first.bottom), |(t, b), p| {
        (t.min(p.top), b.max(p.bottom))
    });
    let size = pieces.iter().map(|p| p.size).fold(0.0, f64::max);
    Some(Line {
        pieces,
        top,
        bottom,
        size,
    })
}

/// The region's pieces, a header's cut where they stand across a gutter
/// of the body: a header whose words run from one column over the next (tab
/// stops set close, a header cell wider than its column). A gutter is an
/// x range of half an em or more where no line of the body has ink, between
/// ink; the header is the region's first [`HEADER_LINES`] lines.
fn cut_at_gutters(glyphs: &[Glyph], region: &[Line]) -> Vec<Piece> {
    let pieces = || region.iter().flat_map(|l| l.pieces.iter().cloned());
    let body = region.get(HEADER_LINES..).unwrap_or_default();
    let Some(size) = body.iter().map(|l| l.size).max_by(f64::total_cmp) else {
        return pieces().collect();
    };
    let ink = spans(body.iter().flat_map(|l| l.pieces.iter()));
    let gutters: Vec<(f64, f64)> = ink
        .windows(2)
        .filter(|w| w[1].0 - w[0].1 >= size * 0.5)
        .map(|w| (w[0].1, w[1].0))
        .collect();
    let mut out = Vec::new();
    for (k, line) in region.iter().enumerate() {
        for piece in &line.pieces {
            let mut parts = vec![piece.clone()];
            if k < HEADER_LINES {
                for &gutter in &gutters {
                    parts = parts
                        .into_iter()
                        .flat_map(|p| match p.cut_point(glyphs, gutter) {
                            Some(x) => p.cut_at(glyphs, x),
                            None => vec![p],
                        })
                        .collect();
                }
            }
            out.extend(parts);
        }
    }
    out
}

/// The lines of a region that may be its header.
const HEADER_LINES: usize = 3;

/// The x spans of a set of pieces, overlapping ones merged: the columns.
fn spans<'a>(pieces: impl Iterator<Item = &'a Piece>) -> Vec<(f64, f64)> {
    merged_spans(pieces.map(|p| (p.left, p.right)))
}

/// Spans `(left, right)`, overlapping ones merged, left to right.
fn merged_spans(spans: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut all: Vec<(f64, f64)> = spans.collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (left, right) in all {
        match merged.last_mut() {
            Some(last) if left <= last.1 => last.1 = last.1.max(right),
            _ => merged.push((left, right)),
        }
    }
    merged
}

/// True when a piece reaches across a gutter between two of `columns`.
fn crosses(piece: &Piece, columns: &[(f64, f64)]) -> bool {
    columns
        .windows(2)
        .any(|w| piece.left < w[0].1 - CROSSING && piece.right > w[1].0 + CROSSING)
}

/// The column a piece stands in: the one its left edge is in, else the
/// nearest one to its left.
fn column_of(piece: &Piece, columns: &[(f64, f64)]) -> usize {
    columns
        .iter()
        .rposition(|&(left, _)| left <= piece.left + CROSSING)
        .unwrap_or(0)
}

/// The lines of the region that begins at `start`: `(first, last)`.
fn region(page_lines: &[Line], start: usize, taken: &[bool]) -> (usize, usize) {
    let close = |upper: &Line, lower: &Line| {
        lower.top - upper.bottom <= MAX_LINE_GAP * upper.size.max(lower.size)
    };
    let mut columns = spans(page_lines[start].pieces.iter());
    let mut last = start;
    while let Some(next) = page_lines.get(last + 1) {
        if taken[last + 1] || !close(&page_lines[last], next) {
            break;
        }
        let fits = next.pieces.iter().all(|p| !crosses(p, &columns));
        if !fits {
            break;
        }
        let candidate = merged_spans(
            columns
                .iter()
                .copied()
                .chain(next.pieces.iter().map(|p| (p.left, p.right))),
        );
        // A line that would merge two columns into one is no line of this
        // table.
        if candidate.len() < columns.len() && columns.len() >= 3 {
            break;
        }
        columns = candidate;
        last += 1;
    }
    let mut first = start;
    while first > 0 && !taken[first - 1] {
        let above = &page_lines[first - 1];
        let beside_first = above
            .pieces
            .iter()
            .any(|p| column_of(p, &columns) > 0 && p.left >= columns[0].1);
        let inside = above
            .pieces
            .iter()
            .all(|p| !crosses(p, &columns) && p.left >= columns[0].0 - CROSSING);
        if !close(above, &page_lines[first]) || !inside || !beside_first {
            break;
        }
        first -= 1;
    }
    (first, last)
}

/// The table the region's lines make, if they make one.
fn table_of(glyphs: &[Glyph], region: &[Line], rules: &[Rule]) -> Option<AlignedTable> {
    let owned = cut_at_gutters(glyphs, region);
    let pieces: Vec<&Piece> = owned.iter().collect();
    let columns = spans(pieces.iter().copied());
    if columns.len() < 3 || pieces.iter().any(|p| crosses(p, &columns)) {
        return None;
    }
    let left = columns[0].0;
    let right = columns[columns.len() - 1].1;
    let top = region[0].top;
    let bottom = region[region.len() - 1].bottom;
    // Each column's pieces, top to bottom, cut into blocks.
    let mut by_column: Vec<Vec<&Piece>> = vec![Vec::new(); columns.len()];
    for piece in &pieces {
        by_column[column_of(piece, &columns)].push(piece);
    }
    let across = separators(rules, (left, top, right, bottom));
    let cells = rows_of(&mut by_column, &columns, &across, region[0].size)?;
    let rows = cells.into_iter().map(|row| row_line(glyphs, row)).collect();
    Some(AlignedTable {
        bounds: (left, top, right, bottom),
        rows,
    })
}

/// The rows of a table whose columns are known: each column's pieces (in
/// any order; sorted here) fall into blocks at the table's line pitch, rows
/// begin where cells begin together or below a separator (`across`: `(y,
/// left, right)`), and each block goes to the row it begins in. `columns`
/// are the columns' x extents; `size` the text's size. `None` when the
/// pieces make fewer than two rows, or most blocks begin with no row (no
/// table: columns of running text).
fn rows_of<'a>(
    by_column: &mut [Vec<&'a Piece>],
    columns: &[(f64, f64)],
    across: &[(f64, f64, f64)],
    size: f64,
) -> Option<Vec<Vec<Vec<&'a Piece>>>> {
    let pieces: Vec<&Piece> = by_column.iter().flatten().copied().collect();
    for column in by_column.iter_mut() {
        column.sort_by(|a, b| {
            a.baseline
                .total_cmp(&b.baseline)
                .then(a.left.total_cmp(&b.left))
        });
    }
    // The pitch of a cell's wrapped lines, over all columns: a column of
    // one-line cells shows only the steps from row to row.
    let pitch = usual_pitch(by_column);
    let mut blocks: Vec<(usize, Vec<&Piece>)> = Vec::new();
    for (c, column) in by_column.iter().enumerate() {
        let mut block: Vec<&Piece> = Vec::new();
        for piece in column.iter() {
            if let Some(previous) = block.last() {
                let step = piece.baseline - previous.baseline;
                let centre = (columns[c].0 + columns[c].1) / 2.0;
                let ruled = across.iter().any(|&(y, x0, x1)| {
                    y > previous.baseline && y < piece.top && x0 <= centre && centre <= x1
                });
                if step > pitch.unwrap_or(previous.size * 1.2) * BLOCK_BREAK || ruled {
                    blocks.push((c, std::mem::take(&mut block)));
                }
            }
            block.push(piece);
        }
        if !block.is_empty() {
            blocks.push((c, block));
        }
    }
    // Rows begin where several columns begin a block on one line, or on the
    // first line below a rule across the table. Cells begun together do not
    // begin a row while most cells of the row above run on past them: they
    // are set lower in the same row (centred, or under a header's first
    // line).
    let needed = if columns.len() <= 3 { 2 } else { 3 };
    let tolerance = size * 0.5;
    blocks.sort_by(|a, b| a.1[0].top.total_cmp(&b.1[0].top).then(a.0.cmp(&b.0)));
    let block_top = |b: &(usize, Vec<&Piece>)| b.1[0].top;
    let block_bottom = |b: &(usize, Vec<&Piece>)| b.1[b.1.len() - 1].bottom;
    let mut row_tops: Vec<f64> = Vec::new();
    // Whether each row was begun by a rule above it, not by its cells.
    let mut ruled_rows: Vec<bool> = Vec::new();
    let mut in_row: Vec<usize> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let start = block_top(block);
        if row_tops.last().is_some_and(|&t| start - t <= tolerance) {
            in_row.push(i);
            continue;
        }
        let together = blocks[i..]
            .iter()
            .take_while(|b| block_top(b) - start <= tolerance)
            .count();
        let below_rule = across.iter().any(|&(y, _, _)| {
            y < start
                && row_tops.last().is_none_or(|&t| y > t)
                && !pieces
                    .iter()
                    .any(|p| p.top > y && p.top < start - tolerance)
        });
        let running_on = in_row
            .iter()
            .filter(|&&b| block_bottom(&blocks[b]) > start + tolerance)
            .count();
        let opens = row_tops.is_empty()
            || below_rule
            || (together >= needed && running_on * 2 < in_row.len());
        if opens {
            row_tops.push(start);
            ruled_rows.push(below_rule);
            in_row.clear();
        }
        in_row.push(i);
    }
    if row_tops.len() < 2 {
        return None;
    }
    // The row a block begins in: the last begun at or above its top.
    let row_of = |top: f64| {
        row_tops
            .iter()
            .rposition(|&t| t <= top + tolerance)
            .unwrap_or(0)
    };
    let aligned = blocks
        .iter()
        .filter(|(_, b)| {
            let row = row_of(b[0].top);
            (b[0].top - row_tops[row]).abs() <= tolerance || ruled_rows[row]
        })
        .count();
    if (aligned as f64) < blocks.len() as f64 * MIN_ALIGNED_SHARE {
        return None;
    }
    let mut cells: Vec<Vec<Vec<&Piece>>> = vec![vec![Vec::new(); columns.len()]; row_tops.len()];
    for (c, block) in blocks {
        cells[row_of(block[0].top)][c].extend(block);
    }
    Some(cells)
}

/// The rows of a ruled band that holds several: a table ruled between its
/// columns but not between its rows. `cells` are the band's cells' glyphs,
/// left to right. `None` when the band is one row.
pub fn rows_in_band(glyphs: &[Glyph], cells: &[Vec<usize>]) -> Option<Vec<LaidOutLine>> {
    let lines: Vec<Vec<Line>> = cells
        .iter()
        .map(|cell| {
            lines::group_lines(glyphs, cell)
                .into_iter()
                .filter_map(|line| line_of(glyphs, line))
                .collect()
        })
        .collect();
    if lines.iter().filter(|cell| cell.len() > 1).count() < 2 {
        return None;
    }
    let mut by_column: Vec<Vec<&Piece>> = lines
        .iter()
        .map(|cell| cell.iter().flat_map(|line| line.pieces.iter()).collect())
        .collect();
    // A cell is a column here; its extent is its pieces'.
    let columns: Vec<(f64, f64)> = by_column
        .iter()
        .map(|pieces| {
            pieces
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), p| {
                    (l.min(p.left), r.max(p.right))
                })
        })
        .collect();
    let size = by_column
        .iter()
        .flatten()
        .map(|p| p.size)
        .fold(0.0, f64::max);
    let rows = rows_of(&mut by_column, &columns, &[], size)?;
    Some(rows.into_iter().map(|row| row_line(glyphs, row)).collect())
}

/// The horizontal rules inside the region (`left, top, right, bottom`)
/// that reach across half its width or more, pieces drawn end to end (a
/// cell's border each) joined: `(y, left, right)`.
fn separators(
    rules: &[Rule],
    (left, top, right, bottom): (f64, f64, f64, f64),
) -> Vec<(f64, f64, f64)> {
    let mut pieces: Vec<(f64, f64, f64)> = rules
        .iter()
        .filter(|r| r.is_horizontal() && r.y0 > top && r.y0 < bottom)
        .map(|r| (r.y0, r.x0.max(left), r.x1.min(right)))
        .filter(|(_, x0, x1)| x1 > x0)
        .collect();
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut joined: Vec<(f64, f64, f64)> = Vec::new();
    for (y, x0, x1) in pieces {
        match joined.last_mut() {
            Some(last) if (y - last.0).abs() <= JOIN_TOLERANCE && x0 <= last.2 + JOIN_TOLERANCE => {
                last.2 = last.2.max(x1);
            }
            _ => joined.push((y, x0, x1)),
        }
    }
    joined.retain(|(_, x0, x1)| x1 - x0 >= (right - left) * 0.5);
    joined
}

/// Rule pieces this close (points) in height and end to end are one rule.
const JOIN_TOLERANCE: f64 = 2.0;

/// The distance between the baselines of a cell's wrapped lines: the
/// smallest step from a piece to the next in its column (steps from row to
/// row are longer by the cells' padding), leaving out steps shorter than
/// the text's size (a line is never set closer than solid; a shorter step
/// is a superscript or a jitter of baselines).
fn usual_pitch(columns: &[Vec<&Piece>]) -> Option<f64> {
    columns
        .iter()
        .flat_map(|column| {
            column
                .windows(2)
                .map(|w| w[1].baseline - w[0].baseline)
                .filter(|&step| step >= column[0].size * 0.95)
        })
        .min_by(f64::total_cmp)
}

/// One row as a line of cells: each cell's lines joined as wrapped text.
fn row_line(glyphs: &[Glyph], row: Vec<Vec<&Piece>>) -> LaidOutLine {
    let mut line = LaidOutLine {
        in_table: true,
        top: f64::INFINITY,
        bottom: f64::NEG_INFINITY,
        ..LaidOutLine::default()
    };
    for cell in row {
        let texts: Vec<String> = cell
            .iter()
            .map(|p| lines::line_text(glyphs, &p.glyphs))
            .collect();
        for piece in &cell {
            line.top = line.top.min(piece.top);
            line.bottom = line.bottom.max(piece.bottom);
            line.glyphs.extend(piece.glyphs.iter().copied());
        }
        line.cells.push(lines::join_wrapped(&texts));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::tests::text;
    use super::*;

    fn tables_of(glyphs: &[Glyph]) -> (Vec<Vec<Vec<String>>>, Vec<usize>) {
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let (tables, free) = find_aligned_tables(glyphs, &all, &[]);
        let rows = tables
            .into_iter()
            .map(|t| t.rows.into_iter().map(|r| r.cells).collect())
            .collect();
        (rows, free)
    }

    /// A table of four columns and no rules: a header wrapped over two
    /// lines, rows 18 points apart where a cell's lines are 12.
    fn unruled_table(glyphs: &mut Vec<Glyph>) {
        text(glyphs, "通番", 0.0, 10.0);
        text(glyphs, "取組施策", 60.0, 10.0);
        text(glyphs, "取組の方向性", 200.0, 10.0);
        text(glyphs, "担当課", 400.0, 10.0);
        text(glyphs, "No.", 60.0, 22.0);
        text(glyphs, "1", 0.0, 40.0);
        text(glyphs, "見守り", 60.0, 40.0);
        text(glyphs, "地域の見守りを進め", 200.0, 40.0);
        text(glyphs, "福祉課", 400.0, 40.0);
        text(glyphs, "ます。", 200.0, 52.0);
        text(glyphs, "2", 0.0, 70.0);
        text(glyphs, "居場所", 60.0, 70.0);
        text(glyphs, "居場所をつくります。", 200.0, 70.0);
        text(glyphs, "協働課", 400.0, 70.0);
    }

    #[test]
    fn columns_come_from_alignment_and_rows_from_cells_begun_together() {
        let mut glyphs = Vec::new();
        unruled_table(&mut glyphs);
        let (tables, free) = tables_of(&glyphs);
        assert_eq!(
            tables,
            [[
                ["通番", "取組施策No.", "取組の方向性", "担当課"],
                ["1", "見守り", "地域の見守りを進めます。", "福祉課"],
                ["2", "居場所", "居場所をつくります。", "協働課"],
            ]]
        );
        assert!(free.is_empty(), "{free:?}");
    }

    #[test]
    fn a_cell_merged_down_is_read_whole_in_its_first_row() {
        // The policy column's text runs on beside the second row, at its
        // own line pitch.
        let mut glyphs = Vec::new();
        text(&mut glyphs, "基本方針", 0.0, 10.0);
        text(&mut glyphs, "取組", 100.0, 10.0);
        text(&mut glyphs, "状況", 200.0, 10.0);
        text(&mut glyphs, "課", 300.0, 10.0);
        text(&mut glyphs, "(1)見守", 0.0, 30.0);
        text(&mut glyphs, "1 訪問", 100.0, 30.0);
        text(&mut glyphs, "実施した", 200.0, 30.0);
        text(&mut glyphs, "福祉課", 300.0, 30.0);
        text(&mut glyphs, "りの充実", 0.0, 42.0);
        text(&mut glyphs, "を図る。", 0.0, 54.0);
        text(&mut glyphs, "2 相談", 100.0, 48.0);
        text(&mut glyphs, "実施した", 200.0, 48.0);
        text(&mut glyphs, "協働課", 300.0, 48.0);
        let (tables, _) = tables_of(&glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0][1],
            ["(1)見守りの充実を図る。", "1 訪問", "実施した", "福祉課"]
        );
        assert_eq!(tables[0][2], ["", "2 相談", "実施した", "協働課"]);
    }

    #[test]
    fn a_line_across_the_columns_ends_the_table() {
        let mut glyphs = Vec::new();
        unruled_table(&mut glyphs);
        let heading = glyphs.len();
        text(
            &mut glyphs,
            "基本施策2 地域の活動を支える仕組みをつくる",
            0.0,
            88.0,
        );
        let (tables, free) = tables_of(&glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].len(), 3);
        assert_eq!(free, (heading..glyphs.len()).collect::<Vec<_>>());
    }

    #[test]
    fn rows_between_rules_hold_cells_set_lower_in_them() {
        // Cells centred in their rows: the one-line cells begin below the
        // two-line cell's first line; a rule drawn cell by cell parts the
        // rows (the edges of banded backgrounds do the same).
        let mut glyphs = Vec::new();
        text(&mut glyphs, "番号", 0.0, 12.0);
        text(&mut glyphs, "取組", 100.0, 12.0);
        text(&mut glyphs, "担当課", 200.0, 12.0);
        text(&mut glyphs, "1", 0.0, 43.0);
        text(&mut glyphs, "地域の", 100.0, 37.0);
        text(&mut glyphs, "見守り", 100.0, 49.0);
        text(&mut glyphs, "福祉課", 200.0, 43.0);
        text(&mut glyphs, "2", 0.0, 73.0);
        text(&mut glyphs, "相談", 100.0, 73.0);
        text(&mut glyphs, "協働", 200.0, 67.0);
        text(&mut glyphs, "推進課", 200.0, 79.0);
        let rule = |x0: f64, x1: f64, y: f64| Rule {
            x0,
            y0: y,
            x1,
            y1: y,
        };
        let rules = [
            rule(-5.0, 95.0, 25.0),
            rule(95.0, 195.0, 25.0),
            rule(195.0, 260.0, 25.0),
            rule(-5.0, 95.0, 55.0),
            rule(95.0, 195.0, 55.0),
            rule(195.0, 260.0, 55.0),
        ];
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let (tables, _) = find_aligned_tables(&glyphs, &all, &rules);
        let rows: Vec<Vec<String>> = tables[0].rows.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            rows,
            [
                ["番号", "取組", "担当課"],
                ["1", "地域の見守り", "福祉課"],
                ["2", "相談", "協働推進課"],
            ]
        );
    }

    #[test]
    fn a_ruled_band_holding_several_rows_is_cut_into_them() {
        // A table ruled between its columns only: one band, three cells,
        // two rows in them (the second begun 18 points below the first
        // row's last line, a cell's lines 12 apart).
        let mut glyphs = Vec::new();
        let cell = |glyphs: &mut Vec<Glyph>, parts: &[(&str, f64)], x: f64| {
            let first = glyphs.len();
            for &(s, y) in parts {
                text(glyphs, s, x, y);
            }
            (first..glyphs.len()).collect::<Vec<usize>>()
        };
        let cells = vec![
            cell(&mut glyphs, &[("1 訪問", 10.0), ("2 相談", 40.0)], 0.0),
            cell(
                &mut glyphs,
                &[("見守りを", 10.0), ("進めた", 22.0), ("相談を受けた", 40.0)],
                100.0,
            ),
            cell(&mut glyphs, &[("福祉課", 10.0), ("協働課", 40.0)], 250.0),
        ];
        let rows = rows_in_band(&glyphs, &cells).expect("two rows");
        let texts: Vec<Vec<String>> = rows.into_iter().map(|r| r.cells).collect();
        assert_eq!(
            texts,
            [
                ["1 訪問", "見守りを進めた", "福祉課"],
                ["2 相談", "相談を受けた", "協働課"]
            ]
        );
        // One row whose cells wrap is one row.
        let mut glyphs = Vec::new();
        let one = vec![
            cell(&mut glyphs, &[("1 訪問", 10.0)], 0.0),
            cell(&mut glyphs, &[("見守りを", 10.0), ("進めた", 22.0)], 100.0),
            cell(&mut glyphs, &[("福祉", 10.0), ("課", 22.0)], 250.0),
        ];
        assert!(rows_in_band(&glyphs, &one).is_none());
    }

    #[test]
    fn a_header_run_over_two_columns_is_cut_where_the_body_parts_them() {
        // Tab stops set close: the header's words run from the number
        // column into the department column; the body's text leaves a
        // gutter between them.
        let mut glyphs = Vec::new();
        text(&mut glyphs, "通番", 0.0, 10.0);
        // Half an em between 策 and N, 0.7 em between . and 担: one piece.
        text(&mut glyphs, "取組施策", 60.0, 10.0);
        text(&mut glyphs, "No.", 105.0, 10.0);
        text(&mut glyphs, "担当課", 142.0, 10.0);
        text(&mut glyphs, "取組の方向性", 300.0, 10.0);
        for (row, y) in [(1, 30.0), (2, 60.0)] {
            text(&mut glyphs, &row.to_string(), 0.0, y);
            text(&mut glyphs, &row.to_string(), 60.0, y);
            text(&mut glyphs, "広報課", 150.0, y);
            text(&mut glyphs, "地域の活動を", 300.0, y);
            text(&mut glyphs, "広報する", 300.0, y + 12.0);
        }
        let (tables, _) = tables_of(&glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0][0],
            ["通番", "取組施策 No.", "担当課", "取組の方向性"]
        );
        assert_eq!(tables[0][2], ["2", "2", "広報課", "地域の活動を広報する"]);
    }

    #[test]
    fn columns_of_running_text_are_no_table() {
        // Three columns of a page, lines at one pitch, paragraphs begun
        // on different lines in each column.
        let mut glyphs = Vec::new();
        for line in 0..12 {
            let y = 10.0 + 12.0 * line as f64;
            for (column, paragraph_end) in [(0.0, 4), (200.0, 7), (400.0, 2)] {
                if line != paragraph_end {
                    text(&mut glyphs, "地域の福祉を進める文章", column, y);
                }
            }
        }
        let (tables, free) = tables_of(&glyphs);
        assert!(tables.is_empty(), "{tables:?}");
        assert_eq!(free.len(), glyphs.len());
    }
}
