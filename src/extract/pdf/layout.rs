//! One page's glyphs and rules → lines of cells, in reading order.
//!
//! 1. Glyphs drawn again at (nearly) the same place, the way office software
//!    fakes bold, are read once ([`drop_copies`]).
//! 2. Ruled tables are found from the page's rules: the horizontal rules cut
//!    a table into rows (bands), the vertical rules crossing a band cut it
//!    into cells, and a cell's column is where its left rule stands among all
//!    the table's vertical rules. Text wrapped inside a cell is joined, so a
//!    row comes out as one line of cells, as in the tab-separated exports.
//! 3. The other glyphs are grouped into lines by their baselines (glyphs that
//!    overlap across on different baselines are on different lines); a wide
//!    gap splits a line into cells, and a gap between lines of more than one
//!    and a half times the page's usual line pitch is a blank line.

use super::device::{Glyph, PageContent, Rule};

/// Rules closer than this (points) are the same rule.
const RULE_TOLERANCE: f64 = 1.5;

/// A gap wider than this many font sizes between glyphs of a line outside a
/// table separates cells.
const CELL_GAP: f64 = 2.5;

/// A gap wider than this many font sizes, with no space glyph in it, is a
/// word space.
const SPACE_GAP: f64 = 0.2;

/// The same, next to a full-width character. Office software sets off
/// Latin text from Japanese by a quarter of an em (Word's and LibreOffice's
/// "autospace"), which is not a space in the text.
const WIDE_SPACE_GAP: f64 = 0.45;

/// A half-width glyph: ASCII, or half-width forms.
fn is_narrow(glyph: &Glyph) -> bool {
    glyph
        .text
        .chars()
        .all(|c| c.is_ascii() || ('\u{ff61}'..='\u{ffdc}').contains(&c))
}

/// One line of the page as laid out.
#[derive(Debug, Clone, PartialEq)]
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
    /// Lines top to bottom.
    pub lines: Vec<LaidOutLine>,
}

/// Lays out one page.
pub fn layout_page(page: &PageContent) -> PageLayout {
    if super::INJECT_LAYOUT_PANIC.load(std::sync::atomic::Ordering::Relaxed) {
        panic!("a panic injected into layout_page (INJECT_LAYOUT_PANIC)");
    }
    let (glyphs, copies) = drop_copies(&page.glyphs);
    let tables = find_tables(&page.rules);
    let mut free = Vec::new();
    let mut in_cells: Vec<Vec<Vec<&Glyph>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.bands.len()])
        .collect();
    for glyph in &glyphs {
        match locate(&tables, glyph) {
            Some((table, band)) => in_cells[table][band].push(*glyph),
            None => free.push(*glyph),
        }
    }
    let mut lines: Vec<LaidOutLine> = Vec::new();
    for (table, bands) in tables.iter().zip(&in_cells) {
        for (band, glyphs) in table.bands.iter().zip(bands) {
            if glyphs.iter().all(|g| g.is_space()) {
                continue;
            }
            lines.push(band_line(table, band, glyphs));
        }
    }
    lines.extend(free_lines(&free));
    lines.sort_by(|a, b| a.top.total_cmp(&b.top));
    let mut lines = with_blank_lines(lines);
    attach_copies(&mut lines, copies);
    PageLayout {
        page: page.number,
        height: page.height,
        lines,
    }
}

/// A glyph drawn again at nearly the same place, read once.
#[derive(Debug, Clone)]
struct Copy {
    text: String,
    y: f64,
}

/// Drops the glyphs that repeat an earlier glyph of the same text at nearly
/// the same place: closer than half its width (a quarter of the font size
/// at most) across and a tenth of the font size up or down. Consecutive
/// identical characters (`たまたま`, `11`) stand a whole advance apart and
/// are kept.
fn drop_copies(glyphs: &[Glyph]) -> (Vec<&Glyph>, Vec<Copy>) {
    let mut order: Vec<&Glyph> = glyphs.iter().collect();
    order.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut kept: Vec<&Glyph> = Vec::with_capacity(order.len());
    // The kept glyphs of each text, to look for an original among.
    let mut by_text: std::collections::HashMap<&str, Vec<&Glyph>> = Default::default();
    let mut copies = Vec::new();
    for glyph in order {
        let reach = (glyph.width * 0.5).min(glyph.size * 0.25).max(0.01);
        let same_text = by_text.entry(glyph.text.as_str()).or_default();
        let is_copy = same_text
            .iter()
            .any(|k| (k.x - glyph.x).abs() < reach && (k.y - glyph.y).abs() < glyph.size * 0.1);
        if !is_copy {
            same_text.push(glyph);
        }
        if is_copy {
            if !glyph.is_space() {
                copies.push(Copy {
                    text: glyph.text.clone(),
                    y: glyph.y,
                });
            }
        } else {
            kept.push(glyph);
        }
    }
    (kept, copies)
}

/// Gives each line a repair note for the glyph copies dropped on it.
fn attach_copies(lines: &mut [LaidOutLine], copies: Vec<Copy>) {
    let mut per_line: Vec<Vec<String>> = vec![Vec::new(); lines.len()];
    for copy in copies {
        if let Some(i) = lines
            .iter()
            .position(|l| copy.y >= l.top - 0.5 && copy.y <= l.bottom + 0.5)
        {
            per_line[i].push(copy.text);
        }
    }
    for (line, dropped) in lines.iter_mut().zip(per_line) {
        if !dropped.is_empty() {
            let read: String = line.text().replace('\t', " ").chars().take(40).collect();
            line.repairs.push(format!(
                "{} glyphs drawn again over themselves (fake bold) were read once: \"{}\"",
                dropped.len(),
                read
            ));
        }
    }
}

/// A ruled table: its column rules and its rows.
#[derive(Debug, Clone)]
struct Table {
    left: f64,
    right: f64,
    /// Every vertical rule's x, sorted: the column boundaries.
    columns: Vec<f64>,
    bands: Vec<Band>,
}

/// One row of a table, between two horizontal rules.
#[derive(Debug, Clone)]
struct Band {
    top: f64,
    bottom: f64,
    /// The boundaries of its cells: the vertical rules crossing it.
    cuts: Vec<f64>,
    open_bottom: bool,
}

/// Finds the ruled tables: groups of rules that touch, with at least two
/// vertical rules and one horizontal rule.
fn find_tables(rules: &[Rule]) -> Vec<Table> {
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
            Band {
                top: w[0],
                bottom: w[1],
                cuts,
                open_bottom: open_bottom && i + 1 == last,
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

/// The glyph's centre: half an advance right of its origin, a third of the
/// font size above its baseline.
fn centre(glyph: &Glyph) -> (f64, f64) {
    (
        glyph.x + glyph.width.max(glyph.size * 0.3) / 2.0,
        glyph.y - glyph.size * 0.35,
    )
}

/// Which table and band a glyph stands in, if any.
fn locate(tables: &[Table], glyph: &Glyph) -> Option<(usize, usize)> {
    let (x, y) = centre(glyph);
    tables.iter().enumerate().find_map(|(t, table)| {
        if x < table.left || x > table.right {
            return None;
        }
        table
            .bands
            .iter()
            .position(|b| y >= b.top && y <= b.bottom)
            .map(|b| (t, b))
    })
}

/// One table row: each cell's glyphs read as lines and the lines joined.
fn band_line(table: &Table, band: &Band, glyphs: &[&Glyph]) -> LaidOutLine {
    let mut cells: Vec<String> = Vec::new();
    for pair in band.cuts.windows(2) {
        let (left, right) = (pair[0], pair[1]);
        let inside: Vec<&Glyph> = glyphs
            .iter()
            .copied()
            .filter(|g| {
                let (x, _) = centre(g);
                x >= left && x < right
            })
            .collect();
        let column = table
            .columns
            .iter()
            .position(|&c| (c - left).abs() <= RULE_TOLERANCE)
            .unwrap_or(cells.len());
        if cells.len() < column {
            cells.resize(column, String::new());
        }
        let text = join_wrapped(
            &group_lines(&inside)
                .iter()
                .map(|l| line_text(l))
                .collect::<Vec<_>>(),
        );
        cells.push(text);
    }
    LaidOutLine {
        cells,
        top: band.top,
        bottom: band.bottom,
        open_bottom: band.open_bottom,
        in_table: true,
        repairs: Vec::new(),
    }
}

/// The lines of text inside a cell, joined. Japanese text wraps anywhere
/// and is joined as it is; where a line ended in a space glyph (a Latin
/// word wrapped at its space) the space stays. No space is made up: a
/// number or a word broken across the wrap (`2,5` / `00`) is one.
pub fn join_wrapped(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line.trim_start_matches(' '));
    }
    out.trim().to_string()
}

/// Groups glyphs into lines by baseline, each sorted left to right.
fn group_lines<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for glyph in sorted {
        match lines.last_mut() {
            Some(line) if (glyph.y - line[0].y).abs() <= line[0].size.max(glyph.size) * 0.5 => {
                line.push(glyph)
            }
            _ => lines.push(vec![glyph]),
        }
    }
    lines
        .into_iter()
        .flat_map(split_stacked)
        // A line of spaces alone is no line: nothing shows on the page.
        .filter(|line| line.iter().any(|g| !g.is_space()))
        .map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            line
        })
        .collect()
}

/// Glyphs whose baselines differ by more than this many font sizes are on
/// different baselines (glyphs of one line differ by less: mixed fonts).
const BASELINE_TOLERANCE: f64 = 0.2;

/// Splits a group of glyphs that holds more than one line: one line's
/// glyphs never overlap across, so when glyphs on different baselines do (a
/// caption or a boxed figure set into a paragraph, a heading number in a
/// larger size beside a label), the group is cut at every gap between
/// baselines, top first. Read as one line, the two would interleave
/// character by character.
fn split_stacked(mut line: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    let ink = |g: &&&Glyph| !g.is_space();
    let mut by_x: Vec<&Glyph> = line.iter().filter(ink).copied().collect();
    by_x.sort_by(|a, b| a.x.total_cmp(&b.x));
    let stacked = by_x.iter().enumerate().any(|(i, glyph)| {
        by_x[..i].iter().any(|earlier| {
            let overlap = earlier.right() - glyph.x;
            overlap > 0.25 * earlier.width.min(glyph.width)
                && (earlier.y - glyph.y).abs() > BASELINE_TOLERANCE * earlier.size.max(glyph.size)
        })
    });
    if !stacked {
        return vec![line];
    }
    line.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for glyph in line {
        match lines.last_mut() {
            Some(current)
                if glyph.y - current[current.len() - 1].y
                    <= BASELINE_TOLERANCE * glyph.size.max(current[0].size) =>
            {
                current.push(glyph)
            }
            _ => lines.push(vec![glyph]),
        }
    }
    lines
}

/// The text of one line of glyphs, with spaces where the glyphs leave a
/// word-sized gap and no space glyph stands.
fn line_text(line: &[&Glyph]) -> String {
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    for glyph in line {
        if let Some(p) = previous {
            let gap = glyph.x - p.right();
            let threshold = if is_narrow(p) && is_narrow(glyph) {
                SPACE_GAP
            } else {
                WIDE_SPACE_GAP
            };
            if gap > glyph.size.max(p.size) * threshold && !p.is_space() && !glyph.is_space() {
                text.push(' ');
            }
        }
        text.push_str(&glyph.text);
        previous = Some(glyph);
    }
    text
}

/// Lines of the text outside tables, split into cells at wide gaps.
fn free_lines(glyphs: &[&Glyph]) -> Vec<LaidOutLine> {
    group_lines(glyphs)
        .into_iter()
        .map(|line| {
            let mut cells = Vec::new();
            let mut start = 0;
            let mut last_ink: Option<&Glyph> = None;
            for (i, glyph) in line.iter().enumerate() {
                if glyph.is_space() {
                    continue;
                }
                if let Some(p) = last_ink {
                    if glyph.x - p.right() > glyph.size.max(p.size) * CELL_GAP {
                        cells.push(line_text(&line[start..i]).trim().to_string());
                        start = i;
                    }
                }
                last_ink = Some(glyph);
            }
            cells.push(line_text(&line[start..]).trim_end().to_string());
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let baseline = line[0].y;
            LaidOutLine {
                cells,
                top: baseline - size,
                bottom: baseline + size * 0.2,
                open_bottom: false,
                in_table: false,
                repairs: Vec::new(),
            }
        })
        .collect()
}

/// Puts a blank line where the gap above a line is more than one and a half
/// times the page's usual pitch (its most common distance between lines).
fn with_blank_lines(lines: Vec<LaidOutLine>) -> Vec<LaidOutLine> {
    let pitches: Vec<f64> = lines
        .windows(2)
        .filter(|w| !w[0].in_table && !w[1].in_table)
        .map(|w| w[1].top - w[0].top)
        .filter(|d| *d > 0.0)
        .collect();
    let Some(pitch) = most_common(&pitches) else {
        return lines;
    };
    let mut out = Vec::with_capacity(lines.len());
    let mut previous_top: Option<f64> = None;
    let mut previous_in_table = false;
    for line in lines {
        if let Some(top) = previous_top {
            if !line.in_table && !previous_in_table && line.top - top > pitch * 1.5 {
                out.push(LaidOutLine {
                    cells: Vec::new(),
                    top: top + pitch,
                    bottom: top + pitch,
                    open_bottom: false,
                    in_table: false,
                    repairs: Vec::new(),
                });
            }
        }
        previous_top = Some(line.top);
        previous_in_table = line.in_table;
        out.push(line);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, y: f64) -> Glyph {
        Glyph {
            text: text.into(),
            x,
            y,
            width: 10.0,
            size: 10.0,
        }
    }

    /// The texts of the lines `glyphs` are grouped into.
    fn line_texts(glyphs: &[Glyph]) -> Vec<String> {
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        group_lines(&refs).iter().map(|l| line_text(l)).collect()
    }

    #[test]
    fn lines_overlapping_across_on_close_baselines_are_not_interleaved() {
        // A paragraph line at y = 50 and a call-out at y = 54 set over it,
        // closer than half a font size: two lines, top first.
        let mut glyphs: Vec<Glyph> = "本文の行です"
            .chars()
            .enumerate()
            .map(|(i, c)| glyph(&c.to_string(), 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        glyphs.extend(
            "数値目標"
                .chars()
                .enumerate()
                .map(|(i, c)| glyph(&c.to_string(), 105.0 + 10.0 * i as f64, 54.0)),
        );
        assert_eq!(line_texts(&glyphs), ["本文の行です", "数値目標"]);
        // Side by side, the same baselines make one line (mixed fonts).
        let side_by_side = vec![
            glyph("見", 100.0, 50.0),
            glyph("出", 110.0, 51.0),
            glyph("し", 120.0, 49.5),
        ];
        assert_eq!(line_texts(&side_by_side), ["見出し"]);
        // A line of spaces alone is not a line.
        let spaces = vec![glyph("本", 100.0, 50.0), glyph(" ", 100.0, 80.0)];
        assert_eq!(line_texts(&spaces), ["本"]);
    }

    #[test]
    fn copies_at_the_same_place_are_dropped_neighbours_kept() {
        // 森 drawn four times a fraction of a point apart, then たまたま.
        let glyphs = vec![
            glyph("森", 100.0, 50.0),
            glyph("森", 100.2, 50.3),
            glyph("森", 100.0, 50.3),
            glyph("森", 100.2, 50.0),
            glyph("た", 110.0, 50.0),
            glyph("ま", 120.0, 50.0),
            glyph("た", 130.0, 50.0),
            glyph("ま", 140.0, 50.0),
        ];
        let (kept, copies) = drop_copies(&glyphs);
        let text: String = kept.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "森たまたま");
        assert_eq!(copies.len(), 3);
    }

    #[test]
    fn wrapped_cell_lines_join_without_made_up_spaces() {
        let lines = ["子育て".to_string(), "グループ".to_string()];
        assert_eq!(join_wrapped(&lines), "子育てグループ");
        let lines = ["2,5".to_string(), "00部".to_string()];
        assert_eq!(join_wrapped(&lines), "2,500部");
        let lines = ["Team ".to_string(), "SUGE".to_string()];
        assert_eq!(join_wrapped(&lines), "Team SUGE");
    }

    #[test]
    fn a_ruled_grid_gives_rows_of_cells_in_their_columns() {
        let h = |y: f64| Rule {
            x0: 0.0,
            y0: y,
            x1: 300.0,
            y1: y,
        };
        let v = |x: f64, y0: f64, y1: f64| Rule {
            x0: x,
            y0,
            x1: x,
            y1,
        };
        let page = PageContent {
            number: 1,
            width: 300.0,
            height: 400.0,
            // Two rows; the second fills column 1 only (its empty first
            // cell is kept), and its text wraps inside the cell.
            rules: vec![
                h(0.0),
                h(30.0),
                h(80.0),
                v(0.0, 0.0, 80.0),
                v(100.0, 0.0, 80.0),
                v(200.0, 0.0, 80.0),
                v(300.0, 0.0, 80.0),
            ],
            glyphs: vec![
                glyph("A", 10.0, 20.0),
                glyph("B", 110.0, 20.0),
                glyph("C", 210.0, 20.0),
                glyph("子", 110.0, 45.0),
                glyph("育", 110.0, 60.0),
            ],
            images: 0,
            problems: Vec::new(),
        };
        let layout = layout_page(&page);
        let texts: Vec<String> = layout.lines.iter().map(LaidOutLine::text).collect();
        assert_eq!(texts, ["A\tB\tC", "\t子育"]);
    }
}
