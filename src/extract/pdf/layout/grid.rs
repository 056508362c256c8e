//! Ruled tables and boxes, from the page's rules: the horizontal rules cut
//! a table into rows (bands), the vertical rules crossing a band cut it into
//! cells, and a cell's column is where its left rule stands among all the
//! table's vertical rules.

use super::super::device::Rule;

/// Rules closer than this (points) are the same rule.
pub const RULE_TOLERANCE: f64 = 1.5;

/// A ruled table, or a box (a table of one column): its column rules and
/// its rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// The leftmost vertical rule.
    pub left: f64,
    /// The rightmost vertical rule.
    pub right: f64,
    /// Every vertical rule's x, sorted: the column boundaries.
    pub columns: Vec<f64>,
    /// The rows, top to bottom.
    pub bands: Vec<Band>,
}

/// One row of a table, between two horizontal rules.
#[derive(Debug, Clone)]
pub struct Band {
    /// The rule above.
    pub top: f64,
    /// The rule below (or the bottom of the vertical rules, when open).
    pub bottom: f64,
    /// The boundaries of its cells: the vertical rules crossing it.
    pub cuts: Vec<f64>,
    /// The band has no rule below: the table goes on past the page.
    pub open_bottom: bool,
    /// For each cell, whether no rule closes it at the top: it is the same
    /// cell as the one above it, merged down (a group's name spanning its
    /// rows).
    pub merged_above: Vec<bool>,
}

impl Table {
    /// The top of the first row.
    pub fn top(&self) -> f64 {
        self.bands.first().map_or(0.0, |b| b.top)
    }

    /// The bottom of the last row.
    pub fn bottom(&self) -> f64 {
        self.bands.last().map_or(0.0, |b| b.bottom)
    }

    /// True for a box: one column, whatever it holds.
    pub fn is_box(&self) -> bool {
        self.columns.len() <= 2
    }

    /// The row and the cell (by its left cut) a point stands in, if it
    /// stands inside one: a point between the rules of a band but outside
    /// all its cells (beside a narrower row) is in no cell.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        if x < self.left || x > self.right {
            return None;
        }
        let band = self
            .bands
            .iter()
            .position(|b| y >= b.top && y <= b.bottom)?;
        let cuts = &self.bands[band].cuts;
        let cell = cuts.windows(2).position(|w| x >= w[0] && x < w[1])?;
        Some((band, cell))
    }

    /// The cell that holds what stands in a band's cell: the cell itself,
    /// or, when it is merged with the cell above it, the first cell of the
    /// merge. (A cell merged down its group is read once, in its first row;
    /// the rows after it leave it empty, as a text export does.)
    pub fn owner(&self, band: usize, cell: usize) -> (usize, usize) {
        let (mut band, mut cell) = (band, cell);
        while band > 0 && self.bands[band].merged_above.get(cell) == Some(&true) {
            let cuts = &self.bands[band].cuts;
            let middle = (cuts[cell] + cuts[cell + 1]) / 2.0;
            let Some(above) = self.bands[band - 1]
                .cuts
                .windows(2)
                .position(|w| middle >= w[0] && middle < w[1])
            else {
                break;
            };
            band -= 1;
            cell = above;
        }
        (band, cell)
    }

    /// The column of a band's cell: where its left rule stands among all
    /// the table's vertical rules.
    pub fn column_of(&self, band: usize, cell: usize) -> usize {
        let left = self.bands[band].cuts[cell];
        self.columns
            .iter()
            .position(|&c| (c - left).abs() <= RULE_TOLERANCE)
            .unwrap_or(cell)
    }
}

/// Finds the ruled tables: groups of rules that touch, with at least two
/// vertical rules and one horizontal rule.
pub fn find_tables(rules: &[Rule]) -> Vec<Table> {
    let groups = touching_groups(rules);
    let mut tables: Vec<Table> = groups
        .into_iter()
        .filter_map(|group| table_of(&group))
        .collect();
    tables.sort_by(|a, b| a.bands[0].top.total_cmp(&b.bands[0].top));
    tables
}

/// Rules that touch or cross, gathered by union-find.
fn touching_groups(rules: &[Rule]) -> Vec<Vec<Rule>> {
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if touch(&rules[i], &rules[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, rule) in rules.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(*rule);
    }
    groups.into_values().collect()
}

fn touch(a: &Rule, b: &Rule) -> bool {
    a.x0 <= b.x1 + RULE_TOLERANCE
        && b.x0 <= a.x1 + RULE_TOLERANCE
        && a.y0 <= b.y1 + RULE_TOLERANCE
        && b.y0 <= a.y1 + RULE_TOLERANCE
}

fn table_of(rules: &[Rule]) -> Option<Table> {
    let (horizontal, vertical): (Vec<Rule>, Vec<Rule>) =
        rules.iter().partition(|r| r.is_horizontal());
    let columns = distinct(vertical.iter().map(|r| r.x0));
    let mut rows = distinct(horizontal.iter().map(|r| r.y0));
    if columns.len() < 2 || rows.is_empty() {
        return None;
    }
    let top = vertical.iter().map(|r| r.y0).fold(f64::INFINITY, f64::min);
    let bottom = vertical
        .iter()
        .map(|r| r.y1)
        .fold(f64::NEG_INFINITY, f64::max);
    let open_bottom = bottom > rows[rows.len() - 1] + RULE_TOLERANCE * 2.0;
    if top < rows[0] - RULE_TOLERANCE * 2.0 {
        rows.insert(0, top);
    }
    if open_bottom {
        rows.push(bottom);
    }
    let last = rows.len().saturating_sub(1);
    let bands = rows
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[1] - w[0] > RULE_TOLERANCE * 2.0)
        .map(|(i, w)| {
            let middle = (w[0] + w[1]) / 2.0;
            let cuts = distinct(
                vertical
                    .iter()
                    .filter(|r| r.y0 <= middle && r.y1 >= middle)
                    .map(|r| r.x0),
            );
            // A cell with no rule along its top (the table's first band
            // aside) is merged with the cell above.
            let merged_above = cuts
                .windows(2)
                .map(|cut| {
                    let middle = (cut[0] + cut[1]) / 2.0;
                    i > 0
                        && !horizontal.iter().any(|r| {
                            (r.y0 - w[0]).abs() <= RULE_TOLERANCE
                                && r.x0 <= middle
                                && r.x1 >= middle
                        })
                })
                .collect();
            Band {
                top: w[0],
                bottom: w[1],
                cuts,
                open_bottom: open_bottom && i + 1 == last,
                merged_above,
            }
        })
        .filter(|b| b.cuts.len() >= 2)
        .collect::<Vec<_>>();
    if bands.is_empty() {
        return None;
    }
    Some(Table {
        left: columns[0],
        right: columns[columns.len() - 1],
        columns,
        bands,
    })
}

/// Sorted values with the ones closer than the tolerance merged.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for v in values {
        match out.last() {
            Some(&last) if v - last <= RULE_TOLERANCE => {}
            _ => out.push(v),
        }
    }
    out
}
