//! Grids drawn by cell backgrounds: a table whose cells are filled
//! rectangles set apart by thin white gaps (the way Excel, design tools and
//! CSS `border-spacing` print a table without stroked borders) has its cell
//! edges in the fills. Each fill that has a neighbouring fill across a gap
//! gives its four edges as rules, the edges on either side of a gap moved
//! to the gap's middle, so that `grid` finds the table as if it were ruled.
//! A fill standing alone (a heading's coloured bar, a highlight) gives
//! nothing: it frames no grid.

use super::super::device::{Fill, Rule};

/// The widest white gap between two fills of one grid (points): CSS
/// `border-spacing` and spreadsheet gridline gaps are 1–3 points.
const FILL_GAP: f64 = 4.0;

/// More fills than this on a page are a drawing (a chart, a pattern), not
/// a table's cells; they give no rules, which also bounds the pairwise work.
const MAX_GRID_FILLS: usize = 2000;

/// A fill narrower or lower than this (points) is a dot or a rule's
/// corner, no cell.
const MIN_CELL_SIDE: f64 = 4.0;

/// The rules that the grids of filled cells among `fills` stand for. Only
/// the outermost fills count: a fill inside another (a paragraph's shading
/// inside a shaded cell) is the cell's content, not a cell; and so is a
/// fill inside a ruled table (`ruled`: the tables' bounds, left, top, right,
/// bottom), whose rules already give its cells.
pub fn grid_rules(fills: &[Fill], ruled: &[(f64, f64, f64, f64)]) -> Vec<Rule> {
    let inside = |f: &Fill, (left, top, right, bottom): (f64, f64, f64, f64)| {
        f.x0 >= left - 1.0 && f.x1 <= right + 1.0 && f.y0 >= top - 1.0 && f.y1 <= bottom + 1.0
    };
    let fills: Vec<Fill> = fills
        .iter()
        .filter(|f| f.x1 - f.x0 >= MIN_CELL_SIDE && f.y1 - f.y0 >= MIN_CELL_SIDE)
        .filter(|f| !ruled.iter().any(|&bounds| inside(f, bounds)))
        .copied()
        .collect();
    let fills: Vec<Fill> = fills
        .iter()
        .enumerate()
        .filter(|&(i, f)| {
            !fills.iter().enumerate().any(|(j, outer)| {
                j != i
                    && inside(f, (outer.x0, outer.y0, outer.x1, outer.y1))
                    && (outer != f || j < i)
            })
        })
        .map(|(_, f)| *f)
        .collect();
    if fills.len() > MAX_GRID_FILLS {
        return Vec::new();
    }
    // Each fill's edges, moved to the middle of the gaps it shares.
    let mut edges: Vec<Fill> = fills.to_vec();
    let mut in_grid = vec![false; fills.len()];
    for a in 0..fills.len() {
        for b in (0..fills.len()).filter(|&b| b != a) {
            let (first, second) = (&fills[a], &fills[b]);
            let across = gap_middle(
                (first.x1, second.x0),
                (first.y0, first.y1, second.y0, second.y1),
            );
            let down = gap_middle(
                (first.y1, second.y0),
                (first.x0, first.x1, second.x0, second.x1),
            );
            if let Some(middle) = across {
                (edges[a].x1, edges[b].x0) = (middle, middle);
            }
            if let Some(middle) = down {
                (edges[a].y1, edges[b].y0) = (middle, middle);
            }
            if across.is_some() || down.is_some() {
                (in_grid[a], in_grid[b]) = (true, true);
            }
        }
    }
    edges
        .iter()
        .zip(&in_grid)
        .filter(|(_, &in_grid)| in_grid)
        .flat_map(|(e, _)| {
            [
                Rule {
                    x0: e.x0,
                    y0: e.y0,
                    x1: e.x1,
                    y1: e.y0,
                },
                Rule {
                    x0: e.x0,
                    y0: e.y1,
                    x1: e.x1,
                    y1: e.y1,
                },
                Rule {
                    x0: e.x0,
                    y0: e.y0,
                    x1: e.x0,
                    y1: e.y1,
                },
                Rule {
                    x0: e.x1,
                    y0: e.y0,
                    x1: e.x1,
                    y1: e.y1,
                },
            ]
        })
        .collect()
}

/// The middle of the gap between one fill's edge and the next one's
/// (`edges`: the first's far edge, the second's near edge) when the gap is
/// a grid's white line and the two fills face each other across it
/// (`spans`: both fills' extents along the gap share more than a point).
fn gap_middle(edges: (f64, f64), spans: (f64, f64, f64, f64)) -> Option<f64> {
    let (end, start) = edges;
    let (a0, a1, b0, b1) = spans;
    ((0.0..=FILL_GAP).contains(&(start - end)) && overlap(a0, a1, b0, b1))
        .then_some((end + start) / 2.0)
}

/// True when two spans share more than a point.
fn overlap(a0: f64, a1: f64, b0: f64, b1: f64) -> bool {
    a1.min(b1) - a0.max(b0) > 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(x0: f64, y0: f64, x1: f64, y1: f64) -> Fill {
        Fill { x0, y0, x1, y1 }
    }

    #[test]
    fn cells_apart_by_white_gaps_give_rules_in_the_gaps() {
        // Two cells side by side, 2 points apart, and one below them both.
        let rules = grid_rules(
            &[
                fill(10.0, 10.0, 50.0, 30.0),
                fill(52.0, 10.0, 90.0, 30.0),
                fill(10.0, 32.0, 90.0, 50.0),
            ],
            &[],
        );
        let verticals: Vec<f64> = rules
            .iter()
            .filter(|r| !r.is_horizontal())
            .map(|r| r.x0)
            .collect();
        assert!(verticals.contains(&51.0), "{verticals:?}");
        assert!(!verticals.contains(&50.0) && !verticals.contains(&52.0));
        let horizontals: Vec<f64> = rules
            .iter()
            .filter(|r| r.is_horizontal())
            .map(|r| r.y0)
            .collect();
        assert!(horizontals.contains(&31.0), "{horizontals:?}");
    }

    #[test]
    fn a_fill_alone_frames_nothing() {
        assert!(grid_rules(
            &[fill(10.0, 10.0, 200.0, 24.0), fill(10.0, 60.0, 200.0, 74.0)],
            &[]
        )
        .is_empty());
    }

    #[test]
    fn a_fill_inside_a_fill_or_a_ruled_table_is_content() {
        // A shaded cell holding a shaded line of text, beside another cell.
        let cells = [fill(10.0, 10.0, 50.0, 30.0), fill(52.0, 10.0, 90.0, 30.0)];
        let with_inner = [
            cells[0],
            cells[1],
            fill(14.0, 12.0, 46.0, 20.0),
            fill(14.0, 20.0, 46.0, 28.0),
        ];
        assert_eq!(grid_rules(&with_inner, &[]), grid_rules(&cells, &[]));
        assert!(grid_rules(&cells, &[(0.0, 0.0, 100.0, 40.0)]).is_empty());
    }
}
