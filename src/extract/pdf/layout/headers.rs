//! A header printed without rules above a ruled table: Word's and
//! Excel's tables whose header row has no borders (or only a rule under it
//! that the grid starts from), the header's words set over the columns the
//! rules below draw. The free lines right above a table, close to it and
//! one over the other, whose every piece stands inside one of the table's
//! columns and that together fill three columns or more, are the table's
//! first row; a header wrapped over several lines is one row.
//!
//! A caption above a table (`表1 地域の人口` with `（単位：人）` at the
//! right) fills two columns at most and stays a line of its own.

use super::super::device::{Direction, Glyph};
use super::grid::Table;
use super::{lines, order, vertical, LaidOutLine};

/// A header line stands this many ems above the table at most, and above
/// the header line below it.
const MAX_GAP: f64 = 1.0;

/// Lines looked at above a table, at most: a header is a few lines.
const MAX_HEADER_LINES: usize = 4;

/// A piece may reach this far (points) past its column's rules.
const TOLERANCE: f64 = 1.5;

/// The columns a header must fill.
const MIN_COLUMNS: usize = 3;

/// A line of a header: its top, its bottom, and its pieces, each with the
/// column it stands in.
type HeaderLine = (f64, f64, Vec<(usize, Vec<usize>)>);

/// The header row printed without rules right above `table`, from the
/// `free` glyphs, if there is one.
pub fn header_above(glyphs: &[Glyph], table: &Table, free: &[usize]) -> Option<LaidOutLine> {
    if table.is_box() || table.columns.len() <= MIN_COLUMNS {
        return None;
    }
    let top = table.top();
    let near: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&i| {
            let glyph = &glyphs[i];
            let (left, glyph_top, right, bottom) = glyph.bounds();
            glyph.direction == Direction::Upright
                && left >= table.left - TOLERANCE
                && right <= table.right + TOLERANCE
                && bottom <= top + TOLERANCE
                && glyph_top >= top - glyph.size * (MAX_HEADER_LINES as f64 * 1.5 + MAX_GAP)
        })
        .collect();
    let mut header: Vec<HeaderLine> = Vec::new();
    let mut below = top;
    for mut line in lines::group_lines(glyphs, &near).into_iter().rev() {
        line.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
        let ink: Vec<usize> = line
            .iter()
            .copied()
            .filter(|&i| !glyphs[i].is_space())
            .collect();
        let (size, line_top, line_bottom) = extent(glyphs, &ink)?;
        if below - line_bottom > MAX_GAP * size || header.len() == MAX_HEADER_LINES {
            break;
        }
        // A line with a piece across a column rule (a title, a caption)
        // ends the header.
        let Some(pieces) = pieces_in_columns(glyphs, table, &line) else {
            break;
        };
        header.push((line_top, line_bottom, pieces));
        below = line_top;
    }
    header.reverse();
    let mut filled: Vec<usize> = header
        .iter()
        .flat_map(|(_, _, pieces)| pieces.iter().map(|(c, _)| *c))
        .collect();
    filled.sort_unstable();
    filled.dedup();
    if filled.len() < MIN_COLUMNS {
        return None;
    }
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); table.columns.len() - 1];
    let mut row = LaidOutLine {
        in_table: true,
        top: header[0].0,
        bottom: header[header.len() - 1].1,
        ..LaidOutLine::default()
    };
    for (_, _, pieces) in &header {
        for (column, piece) in pieces {
            texts[*column].push(lines::line_text(glyphs, piece));
            row.glyphs.extend(piece.iter().copied());
        }
    }
    row.cells = texts.iter().map(|t| lines::join_wrapped(t)).collect();
    Some(row)
}

/// A line's pieces, each with the column it stands inside; none when a
/// piece stands across a column rule.
fn pieces_in_columns(
    glyphs: &[Glyph],
    table: &Table,
    line: &[usize],
) -> Option<Vec<(usize, Vec<usize>)>> {
    let mut pieces = Vec::new();
    for piece in order::cut_at_gaps(glyphs, line) {
        let ink: Vec<usize> = piece
            .iter()
            .copied()
            .filter(|&i| !glyphs[i].is_space())
            .collect();
        let Some(&first) = ink.first() else { continue };
        let left = glyphs[first].x;
        let right = ink
            .iter()
            .map(|&i| glyphs[i].right())
            .fold(f64::MIN, f64::max);
        let column = table
            .columns
            .windows(2)
            .position(|w| left >= w[0] - TOLERANCE && right <= w[1] + TOLERANCE)?;
        pieces.push((column, piece));
    }
    Some(pieces)
}

/// A line's font size, top and bottom (none for a line without ink).
fn extent(glyphs: &[Glyph], ink: &[usize]) -> Option<(f64, f64, f64)> {
    if ink.is_empty() {
        return None;
    }
    let (_, top, _, bottom) = vertical::bounds_of(glyphs, ink);
    Some((lines::line_size(glyphs, ink), top, bottom))
}

#[cfg(test)]
mod tests {
    use super::super::super::device::Rule;
    use super::super::grid;
    use super::super::tests::text;
    use super::*;

    /// A ruled table of three columns (x 0–100–200–300) from y 30 to 60.
    fn table() -> Table {
        let v = |x: f64| Rule {
            x0: x,
            y0: 30.0,
            x1: x,
            y1: 60.0,
        };
        let h = |y: f64| Rule {
            x0: 0.0,
            y0: y,
            x1: 300.0,
            y1: y,
        };
        let rules = [v(0.0), v(100.0), v(200.0), v(300.0), h(30.0), h(60.0)];
        grid::find_tables(&rules).remove(0)
    }

    #[test]
    fn words_over_the_columns_right_above_a_table_are_its_header() {
        let mut glyphs = Vec::new();
        text(&mut glyphs, "基本目標", 5.0, 14.0);
        text(&mut glyphs, "施策", 105.0, 14.0);
        text(&mut glyphs, "指標", 205.0, 14.0);
        text(&mut glyphs, "(KPI)", 205.0, 26.0);
        let free: Vec<usize> = (0..glyphs.len()).collect();
        let header = header_above(&glyphs, &table(), &free).expect("a header");
        assert_eq!(header.cells, ["基本目標", "施策", "指標(KPI)"]);
        assert_eq!(header.glyphs.len(), glyphs.len());
    }

    #[test]
    fn a_caption_or_a_title_above_a_table_is_no_header() {
        let mut glyphs = Vec::new();
        text(&mut glyphs, "表1 人口", 5.0, 26.0);
        text(&mut glyphs, "単位:人", 225.0, 26.0);
        let free: Vec<usize> = (0..glyphs.len()).collect();
        assert!(header_above(&glyphs, &table(), &free).is_none());
        let mut glyphs = Vec::new();
        text(&mut glyphs, "地域福祉計画の全体像と指標", 5.0, 26.0);
        let free: Vec<usize> = (0..glyphs.len()).collect();
        assert!(header_above(&glyphs, &table(), &free).is_none());
    }
}
