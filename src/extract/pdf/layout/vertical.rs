//! Vertical writing (縦書き): glyphs stacked top to bottom, in columns read
//! right to left.
//!
//! A PDF seldom says that its text is vertical: Chromium and most office
//! software draw each upright glyph at its place (Latin letters turned a
//! quarter), and only a font with a vertical CMap tells. So vertical text is
//! found from the page: a glyph whose neighbour touches it from below (the
//! next glyph one advance down, at the same x) and none beside it on its
//! baseline is in a vertical line. Horizontal text the other way round:
//! glyphs touch on their baseline, and lines stand a line pitch apart, more
//! than one advance.

use super::super::device::{Direction, Glyph};

/// Glyphs whose centres are this many font sizes apart across the line or
/// closer are in one vertical line.
const SAME_COLUMN: f64 = 0.3;

/// The gap (font sizes) between two glyphs of one vertical line at most,
/// from the bottom of one to the top of the next: touching, give or take
/// letter spacing.
const TOUCHING: f64 = 0.15;

/// A vertical line holds at least this many glyphs: two glyphs stacked may
/// be two lines of a table's narrow column.
const MIN_COLUMN_GLYPHS: usize = 3;

/// The gap within one vertical line at most, in font sizes: a space or
/// two between words.
const SPACE_IN_LINE: f64 = 2.2;

/// See [`touching_beside`].
const NEAR_TEXT: f64 = 2.5;

/// A vertical line of this many glyphs is vertical writing even alone (a
/// title set vertically).
const LONG_LINE_GLYPHS: usize = 6;

/// A page with this many vertical lines of [`MIN_COLUMN_GLYPHS`] or more,
/// or one of [`LONG_LINE_GLYPHS`], has vertical writing; otherwise none.
const MIN_VERTICAL_LINES: usize = 3;

/// One vertical line: its glyphs top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Indices of the page's glyphs, top to bottom.
    pub glyphs: Vec<usize>,
    /// Its box: left, top, right, bottom.
    pub bounds: (f64, f64, f64, f64),
}

/// Splits `indices` into the vertical lines found among them and the glyphs
/// left for horizontal lines.
pub fn find_columns(glyphs: &[Glyph], indices: &[usize]) -> (Vec<Column>, Vec<usize>) {
    let ink: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| !glyphs[i].is_space())
        .collect();
    let beside = touching_beside(glyphs, &ink);
    // Candidates: upright glyphs with no neighbour on their baseline.
    let mut candidates: Vec<usize> = ink
        .iter()
        .copied()
        .filter(|i| glyphs[*i].direction == Direction::Upright && !beside.contains(i))
        .collect();
    candidates.sort_by(|&a, &b| {
        let (ca, cb) = (glyphs[a].centre(), glyphs[b].centre());
        ca.0.total_cmp(&cb.0)
            .then(ca.1.total_cmp(&cb.1))
            .then(a.cmp(&b))
    });
    let mut columns: Vec<Vec<usize>> = Vec::new();
    let mut used = vec![false; candidates.len()];
    for start in 0..candidates.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let mut column = vec![candidates[start]];
        // Follow the glyph below, one at a time, among the candidates
        // whose centres stand at this x.
        loop {
            let last = &glyphs[column[column.len() - 1]];
            let (cx, _) = last.centre();
            let (_, _, _, bottom) = last.bounds();
            let next = (start + 1..candidates.len())
                .take_while(|&j| glyphs[candidates[j]].centre().0 - cx <= SAME_COLUMN * last.size)
                .filter(|&j| !used[j])
                .filter(|&j| {
                    let g = &glyphs[candidates[j]];
                    let (_, top, _, _) = g.bounds();
                    (g.centre().0 - cx).abs() <= SAME_COLUMN * last.size
                        && top >= bottom - TOUCHING * last.size
                        && top <= bottom + TOUCHING * last.size
                })
                .min_by(|&a, &b| {
                    let (ta, tb) = (glyphs[candidates[a]].y, glyphs[candidates[b]].y);
                    ta.total_cmp(&tb).then(a.cmp(&b))
                });
            match next {
                Some(j) => {
                    used[j] = true;
                    column.push(candidates[j]);
                }
                None => break,
            }
        }
        columns.push(column);
    }
    // Where the page has vertical writing, a glyph or two stacked alone
    // inside its area is a short vertical line too (a number, a word set
    // off by spaces).
    let (long, short): (Vec<Vec<usize>>, Vec<Vec<usize>>) = columns
        .into_iter()
        .partition(|c| c.len() >= MIN_COLUMN_GLYPHS);
    // Vertical writing comes in blocks of lines, or in a long line: one or
    // two short stacks of glyphs alone are a list's markers or a table's
    // first characters set tight, not vertical lines.
    if long.len() < MIN_VERTICAL_LINES && long.iter().all(|c| c.len() < LONG_LINE_GLYPHS) {
        return (Vec::new(), indices.to_vec());
    }
    let mut lines = long;
    let (left, top, right, bottom) = bounds_of(glyphs, &lines.concat());
    lines.extend(short.into_iter().filter(|c| {
        let (x, y) = glyphs[c[0]].centre();
        let margin = glyphs[c[0]].size;
        x >= left - margin && x <= right + margin && y >= top - margin && y <= bottom + margin
    }));
    let mut columns: Vec<Column> = lines
        .into_iter()
        .map(|line| Column {
            bounds: bounds_of(glyphs, &line),
            glyphs: line,
        })
        .collect();
    let taken: std::collections::BTreeSet<usize> = columns
        .iter()
        .flat_map(|c| c.glyphs.iter().copied())
        .collect();
    // Glyphs turned a quarter (Latin words, digits in a vertical line) and
    // spaces inside a column's box, or just below it, go with it, top to
    // bottom, each lengthening the column for the next.
    let mut rest = Vec::new();
    let mut guests: Vec<usize> = Vec::new();
    for &index in indices {
        if taken.contains(&index) {
            continue;
        }
        let glyph = &glyphs[index];
        if glyph.direction != Direction::Upright || glyph.is_space() {
            guests.push(index);
        } else {
            rest.push(index);
        }
    }
    guests.sort_by(|&a, &b| {
        glyphs[a]
            .centre()
            .1
            .total_cmp(&glyphs[b].centre().1)
            .then(a.cmp(&b))
    });
    for index in guests {
        let glyph = &glyphs[index];
        let (x, y) = glyph.centre();
        let host = columns.iter().position(|c| {
            let (left, top, right, bottom) = c.bounds;
            x >= left && x <= right && y >= top - glyph.size && y <= bottom + glyph.size
        });
        match host {
            Some(c) => {
                let column = &mut columns[c];
                column.glyphs.push(index);
                if !glyph.is_space() {
                    let (l, t, r, b) = glyph.bounds();
                    let (cl, ct, cr, cb) = column.bounds;
                    column.bounds = (cl.min(l), ct.min(t), cr.max(r), cb.max(b));
                }
            }
            None => rest.push(index),
        }
    }
    rest.sort_unstable();
    // Parts of a line set off by spaces or by turned Latin words are one
    // line.
    let mut columns = merge_across_spaces(glyphs, columns.into_iter().map(|c| c.glyphs).collect());
    for column in &mut columns {
        column.glyphs.sort_by(|&a, &b| {
            glyphs[a]
                .centre()
                .1
                .total_cmp(&glyphs[b].centre().1)
                .then(a.cmp(&b))
        });
        column.bounds = bounds_of(glyphs, &column.glyphs);
    }
    (columns, rest)
}

/// The parts of one vertical line set off by a space or two (`基本目標１`,
/// a space, `多様な…`) are one line: parts at the same x, top to bottom,
/// at most [`SPACE_IN_LINE`] font sizes apart (white space does not count:
/// the parts are measured by their ink).
fn merge_across_spaces(glyphs: &[Glyph], mut parts: Vec<Vec<usize>>) -> Vec<Column> {
    let key = |part: &Vec<usize>| (axis(glyphs, part), ink_bounds(glyphs, part).1);
    parts.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let mut columns: Vec<Column> = Vec::new();
    for part in parts {
        let bounds = ink_bounds(glyphs, &part);
        let size = glyphs[part[0]].size;
        let centre = axis(glyphs, &part);
        let host = columns.iter_mut().rev().find(|c| {
            (axis(glyphs, &c.glyphs) - centre).abs() <= SAME_COLUMN * size
                && bounds.1 >= c.bounds.3 - TOUCHING * size
                && bounds.1 - c.bounds.3 <= SPACE_IN_LINE * size
        });
        match host {
            Some(column) => {
                column.glyphs.extend(part);
                column.bounds = ink_bounds(glyphs, &column.glyphs);
            }
            None => columns.push(Column {
                bounds,
                glyphs: part,
            }),
        }
    }
    columns
}

/// The x a vertical line's upright glyphs are centred on (turned glyphs
/// stand off it by their descent): their middle one's.
fn axis(glyphs: &[Glyph], part: &[usize]) -> f64 {
    let mut centres: Vec<f64> = part
        .iter()
        .map(|&i| &glyphs[i])
        .filter(|g| g.direction == Direction::Upright && !g.is_space())
        .map(|g| g.centre().0)
        .collect();
    if centres.is_empty() {
        let (left, _, right, _) = ink_bounds(glyphs, part);
        return (left + right) / 2.0;
    }
    centres.sort_by(f64::total_cmp);
    centres[centres.len() / 2]
}

/// The box of the glyphs that show (of all, when none does).
fn ink_bounds(glyphs: &[Glyph], indices: &[usize]) -> (f64, f64, f64, f64) {
    let ink: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| !glyphs[i].is_space())
        .collect();
    bounds_of(glyphs, if ink.is_empty() { indices } else { &ink })
}

/// The glyphs of horizontal text: those that touch a neighbour on their
/// baseline, and those within [`NEAR_TEXT`] font sizes of such a glyph on
/// their baseline.
fn touching_beside(glyphs: &[Glyph], ink: &[usize]) -> std::collections::BTreeSet<usize> {
    let mut by_line: Vec<usize> = ink.to_vec();
    by_line.sort_by(|&a, &b| {
        let (ga, gb) = (&glyphs[a], &glyphs[b]);
        ga.y.total_cmp(&gb.y)
            .then(ga.x.total_cmp(&gb.x))
            .then(a.cmp(&b))
    });
    let mut beside = std::collections::BTreeSet::new();
    // Glyphs of one baseline are contiguous in this order; within a
    // window of one baseline, neighbours in x are adjacent.
    let mut start = 0;
    while start < by_line.len() {
        let first = &glyphs[by_line[start]];
        let mut end = start + 1;
        while end < by_line.len() && (glyphs[by_line[end]].y - first.y).abs() <= 0.15 * first.size {
            end += 1;
        }
        let mut line: Vec<usize> = by_line[start..end].to_vec();
        line.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
        let mut touching = vec![false; line.len()];
        for (k, pair) in line.windows(2).enumerate() {
            let (a, b) = (&glyphs[pair[0]], &glyphs[pair[1]]);
            if a.direction != Direction::Upright || b.direction != Direction::Upright {
                continue;
            }
            let gap = b.x - a.right();
            if gap > -0.3 * a.size && gap <= TOUCHING * a.size.max(b.size) {
                touching[k] = true;
                touching[k + 1] = true;
            }
        }
        // A glyph set off by a space from horizontal text on its baseline
        // (a list's ① or ・, a spread-out label) belongs to that text.
        for (k, &index) in line.iter().enumerate() {
            let near = |j: usize| {
                touching[j]
                    && (glyphs[line[j]].x - glyphs[index].x).abs() <= NEAR_TEXT * glyphs[index].size
            };
            let left = (0..k).rev().take_while(|&j| {
                (glyphs[index].x - glyphs[line[j]].x) <= NEAR_TEXT * glyphs[index].size
            });
            let right = (k + 1..line.len()).take_while(|&j| {
                (glyphs[line[j]].x - glyphs[index].x) <= NEAR_TEXT * glyphs[index].size
            });
            if touching[k] || left.chain(right).any(near) {
                beside.insert(index);
            }
        }
        start = end;
    }
    beside
}

/// The box of some glyphs.
pub fn bounds_of(glyphs: &[Glyph], indices: &[usize]) -> (f64, f64, f64, f64) {
    indices.iter().map(|&i| glyphs[i].bounds()).fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(l, t, r, b), (gl, gt, gr, gb)| (l.min(gl), t.min(gt), r.max(gr), b.max(gb)),
    )
}

/// The text of a vertical line, top to bottom, with a space where the
/// glyphs leave a gap of half a font size or more.
pub fn column_text(glyphs: &[Glyph], column: &Column) -> String {
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    for &index in &column.glyphs {
        let glyph = &glyphs[index];
        if let Some(p) = previous {
            let (_, _, _, bottom) = p.bounds();
            let (_, top, _, _) = glyph.bounds();
            if top - bottom >= 0.5 * glyph.size && !p.is_space() && !glyph.is_space() {
                text.push(' ');
            }
        }
        text.push_str(&glyph.text);
        previous = Some(glyph);
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::super::tests::glyph;
    use super::*;

    #[test]
    fn glyphs_stacked_at_one_x_are_a_vertical_line_and_text_beside_is_not() {
        // Three vertical lines (x = 200, 180, 160) of three glyphs, and a
        // horizontal line below.
        let mut glyphs = Vec::new();
        for (x, line) in [(200.0, "地域福"), (180.0, "祉計画"), (160.0, "縦書き")] {
            for (i, c) in line.chars().enumerate() {
                glyphs.push(glyph(&c.to_string(), x, 50.0 + 10.0 * i as f64));
            }
        }
        for (i, c) in "横書き".chars().enumerate() {
            glyphs.push(glyph(&c.to_string(), 100.0 + 10.0 * i as f64, 150.0));
        }
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let (columns, rest) = find_columns(&glyphs, &all);
        let texts: Vec<String> = columns.iter().map(|c| column_text(&glyphs, c)).collect();
        assert_eq!(texts, ["縦書き", "祉計画", "地域福"]);
        assert_eq!(rest, [9, 10, 11]);
    }

    #[test]
    fn list_markers_set_tight_are_not_vertical_writing() {
        // Lines 11 apart (a line pitch of 1.1): each a marker, a full-width
        // space, and text. The markers stand one under the other, nearly
        // touching, but each has text beside it on its baseline.
        let mut glyphs = Vec::new();
        for (k, marker) in ["①", "②", "③", "④"].iter().enumerate() {
            let y = 50.0 + 11.0 * k as f64;
            glyphs.push(glyph(marker, 100.0, y));
            for (i, c) in "見守り活動".chars().enumerate() {
                glyphs.push(glyph(&c.to_string(), 120.0 + 10.0 * i as f64, y));
            }
        }
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let (columns, rest) = find_columns(&glyphs, &all);
        assert!(columns.is_empty());
        assert_eq!(rest.len(), glyphs.len());
    }
}
