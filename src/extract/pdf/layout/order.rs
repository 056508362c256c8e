//! Reading order: the page's pieces (pieces of text lines, tables, boxes,
//! vertical lines) put in the order a reader reads them.
//!
//! A recursive XY-cut, the method of xpdf's and poppler's reading order, on
//! pieces rather than pixels:
//! - The pieces are cut into bands: runs of pieces whose heights overlap
//!   (a line of text; a table with what stands beside it). Bands are read
//!   top to bottom.
//! - Consecutive bands that share a gutter (a strip of white from top to
//!   bottom of them, between text on both sides) are columns when the strip
//!   is wide enough for the number of lines it runs through (xpdf's rule:
//!   three font sizes for two lines, down to 0.8 for five or more; one
//!   character cell wide, it needs text on both sides on three lines), both
//!   sides are wide enough to be columns of text, text stands on both sides
//!   on two lines or more (or on the first line of a short column area of
//!   one piece of text a side), the text on the left runs up to the strip
//!   (it wraps there), and the lines left of it are not cut into cells (a
//!   table's rows). The left side is read before the right, each side cut
//!   again the same way (three columns are two cuts); the right side wraps
//!   at the edge of the text it stands in when its own lines do not show
//!   one.
//! - A line of two pieces whose second starts where a column of the
//!   document starts, between neighbours that neither have a piece there
//!   nor run across it, is two columns' lines (a column area one line
//!   deep).
//! - Inside one band, pieces side by side that share no line (a heading
//!   and a box, two boxes, a column whose lines do not stand on the other's
//!   baselines) are read left to right, vertical lines right to left; a
//!   one-line box beside a box whose first line is on its baseline is that
//!   line's label.
//! - Pieces of one text line stay one line, split into cells at wide gaps.
//!
//! Nothing in here knows a producer, a font or a word: only positions.

use super::super::device::{Direction, Glyph};
use super::grid::Table;
use super::lines;
use super::vertical::bounds_of;
use super::LaidOutLine;

/// A gap between glyphs of a line of at least this many font sizes may be
/// a gutter between columns: the line is cut into pieces there.
const PIECE_GAP: f64 = 0.8;

/// The narrowest gutter (font sizes), for columns of many lines.
const MIN_GUTTER: f64 = 0.8;

/// The gutter a column of two lines needs (font sizes); each more line
/// lowers it by [`GUTTER_SLOPE`], down to [`MIN_GUTTER`].
const MAX_GUTTER: f64 = 3.0;

/// See [`MAX_GUTTER`].
const GUTTER_SLOPE: f64 = 0.5;

/// A gutter narrower than this many font sizes is one character cell (a
/// full-width space) wide: see [`MIN_LINES_BESIDE_NARROW_GUTTER`].
const NARROW_GUTTER: f64 = 1.5;

/// A gutter one character cell wide separates columns only with text on
/// both sides on this many lines: two lines of fixed-pitch text whose
/// full-width spaces line up are no columns.
const MIN_LINES_BESIDE_NARROW_GUTTER: usize = 3;

/// A column of text is at least this many font sizes wide: narrower
/// strips of text beside a gutter are labels or numbers of a list.
const MIN_COLUMN_WIDTH: f64 = 6.0;

/// The share of the lines left of a gutter that must run up to it (within
/// [`REACH`] font sizes) for the two sides to be columns of flowing text.
const MIN_REACHING_SHARE: f64 = 0.3;

/// A run with this many lines cut into cells left of a gutter is a table,
/// not columns.
const MIN_TABLE_ROWS: usize = 2;

/// Columns have text on both sides of their gutter on at least this many
/// lines.
const MIN_LINES_BOTH_SIDES: usize = 2;

/// A column's (or a page's) rightmost line end is the edge its text wraps
/// at when this many of its lines end within a font size of it.
pub(super) const MIN_LINES_AT_EDGE: usize = 2;

/// See [`MIN_REACHING_SHARE`].
const REACH: f64 = 4.0;

/// Glyphs of turned text this many font sizes apart or closer are read
/// together.
const CLUSTER_GAP: f64 = 1.5;

/// What kind of laid-out block a piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A ruled table of several columns.
    Table,
    /// A box: a one-column table.
    Box,
    /// A line of vertical writing.
    VerticalLine,
    /// A line of text turned a quarter or upside down.
    TurnedLine,
}

impl BlockKind {
    /// A table's kind.
    pub fn of_table(table: &Table) -> BlockKind {
        if table.is_box() {
            BlockKind::Box
        } else {
            BlockKind::Table
        }
    }
}

/// One piece of the page to be put in order.
#[derive(Debug, Clone)]
pub struct Atom {
    /// Left, top, right, bottom.
    bounds: (f64, f64, f64, f64),
    /// Its font size.
    size: f64,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    /// A piece of a text line: the line's number on the page, and its
    /// glyphs left to right.
    Piece { line: usize, glyphs: Vec<usize> },
    /// Lines laid out already.
    Block {
        kind: BlockKind,
        lines: Vec<LaidOutLine>,
    },
}

impl Atom {
    /// A block of lines laid out already.
    pub fn block(
        bounds: (f64, f64, f64, f64),
        size: f64,
        lines: Vec<LaidOutLine>,
        kind: BlockKind,
    ) -> Atom {
        Atom {
            bounds,
            size,
            content: Content::Block { kind, lines },
        }
    }

    fn left(&self) -> f64 {
        self.bounds.0
    }
    fn top(&self) -> f64 {
        self.bounds.1
    }
    fn right(&self) -> f64 {
        self.bounds.2
    }
    fn bottom(&self) -> f64 {
        self.bounds.3
    }

    fn line(&self) -> Option<usize> {
        match self.content {
            Content::Piece { line, .. } => Some(line),
            Content::Block { .. } => None,
        }
    }

    fn kind(&self) -> Option<BlockKind> {
        match self.content {
            Content::Piece { .. } => None,
            Content::Block { kind, .. } => Some(kind),
        }
    }
}

/// The pieces of the free text: upright lines cut at gaps that may be
/// gutters, and lines of turned text laid out in their own direction.
pub fn free_atoms(glyphs: &[Glyph], free: &[usize]) -> Vec<Atom> {
    let mut atoms = Vec::new();
    let upright: Vec<usize> = free
        .iter()
        .copied()
        .filter(|&i| glyphs[i].direction == Direction::Upright)
        .collect();
    for (number, line) in lines::group_lines(glyphs, &upright).into_iter().enumerate() {
        for piece in cut_at_gaps(glyphs, &line) {
            let ink: Vec<usize> = piece
                .iter()
                .copied()
                .filter(|&i| !glyphs[i].is_space())
                .collect();
            if ink.is_empty() {
                continue;
            }
            atoms.push(Atom {
                bounds: bounds_of(glyphs, &ink),
                size: lines::line_size(glyphs, &ink),
                content: Content::Piece {
                    line: number,
                    glyphs: piece,
                },
            });
        }
    }
    for direction in [Direction::Down, Direction::UpsideDown, Direction::Up] {
        let turned: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| glyphs[i].direction == direction)
            .collect();
        if !turned.is_empty() {
            atoms.extend(turned_lines(glyphs, &turned, direction));
        }
    }
    // Spaces of no line (white space alone, in no piece) show nothing and
    // are left out.
    atoms
}

/// A line cut into pieces at gaps between ink of [`PIECE_GAP`] font sizes
/// or more; white space goes with the piece before it.
pub(super) fn cut_at_gaps(glyphs: &[Glyph], line: &[usize]) -> Vec<Vec<usize>> {
    let mut pieces: Vec<Vec<usize>> = vec![Vec::new()];
    let mut last_ink: Option<&Glyph> = None;
    for &index in line {
        let glyph = &glyphs[index];
        if !glyph.is_space() {
            if let Some(p) = last_ink {
                if glyph.x - p.right() >= PIECE_GAP * glyph.size.max(p.size) {
                    pieces.push(Vec::new());
                }
            }
            last_ink = Some(glyph);
        }
        pieces.last_mut().expect("one piece at least").push(index);
    }
    pieces
}

/// Text that runs another way than left to right, read in its own
/// direction: its glyphs are turned upright and put in reading order as the
/// page's are, and the lines come out as one block where the text stands
/// on the page.
fn turned_lines(glyphs: &[Glyph], indices: &[usize], direction: Direction) -> Vec<Atom> {
    let mut upright: Vec<Glyph> = glyphs.to_vec();
    for &i in indices {
        let g = &mut upright[i];
        let (x, y) = (g.x, g.y);
        (g.x, g.y) = match direction {
            Direction::Down => (y, -x),
            Direction::Up => (-y, x),
            Direction::UpsideDown => (-x, -y),
            Direction::Upright => (x, y),
        };
        g.direction = Direction::Upright;
    }
    // The turned text of a page may stand in several places (a label
    // here, a rotated table there): each cluster of glyphs is read on its
    // own, where it stands.
    let mut atoms = Vec::new();
    for cluster in clusters(glyphs, indices) {
        let mut lines = order(
            &upright,
            free_atoms(&upright, &cluster),
            &Frame::default(),
            &mut Vec::new(),
        );
        for line in &mut lines {
            // Its positions are the turned ones: no column edges to join by.
            line.free = false;
            line.measure = None;
            let ink: Vec<usize> = line
                .glyphs
                .iter()
                .copied()
                .filter(|&i| !glyphs[i].is_space())
                .collect();
            let (_, top, _, bottom) = bounds_of(glyphs, &ink);
            (line.top, line.bottom) = (top, bottom);
        }
        let ink: Vec<usize> = cluster
            .iter()
            .copied()
            .filter(|&i| !glyphs[i].is_space())
            .collect();
        if lines.is_empty() || ink.is_empty() {
            continue;
        }
        // One line of text turned a quarter clockwise reads top to bottom:
        // a vertical line (a number or a Latin word set sideways among
        // vertical writing).
        let kind = if direction == Direction::Down && lines.len() == 1 {
            lines[0].vertical = true;
            BlockKind::VerticalLine
        } else {
            BlockKind::TurnedLine
        };
        atoms.push(Atom::block(
            bounds_of(glyphs, &ink),
            lines::line_size(glyphs, &ink),
            lines,
            kind,
        ));
    }
    atoms
}

/// Glyphs gathered into clusters: glyphs whose boxes come within a line's
/// height of each other are in one (union-find over the pairs, the glyphs
/// sorted by their left edge so that only near ones are compared).
fn clusters(glyphs: &[Glyph], indices: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = indices.to_vec();
    order.sort_by(|&a, &b| {
        glyphs[a]
            .bounds()
            .0
            .total_cmp(&glyphs[b].bounds().0)
            .then(a.cmp(&b))
    });
    let mut parent: Vec<usize> = (0..order.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let reach = |i: usize| glyphs[order[i]].size * CLUSTER_GAP;
    for i in 0..order.len() {
        let (_, top, right, bottom) = glyphs[order[i]].bounds();
        for j in i + 1..order.len() {
            let (left_j, top_j, _, bottom_j) = glyphs[order[j]].bounds();
            if left_j > right + reach(i) {
                break;
            }
            if top_j <= bottom + reach(i) && bottom_j >= top - reach(i) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, &glyph) in order.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(glyph);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    groups
}

/// The lines of the page's pieces, in reading order.
///
/// `known_column_starts` are where columns start on other pages of the
/// document; the page's own are given back with its lines.
pub fn reading_order(
    glyphs: &[Glyph],
    atoms: Vec<Atom>,
    known_column_starts: &[f64],
) -> (Vec<LaidOutLine>, Vec<f64>) {
    let frame = Frame {
        right_edge: None,
        column_starts: known_column_starts.to_vec(),
    };
    let mut found = Vec::new();
    let lines = order(glyphs, atoms, &frame, &mut found);
    (lines, found)
}

/// What the enclosing cuts know of the area being ordered.
#[derive(Debug, Clone, Default)]
struct Frame {
    /// The right edge of the area's text, when a cut gave it: the right
    /// column of a split ends where the text of the whole split ends.
    right_edge: Option<f64>,
    /// Where columns start on the page: the right side of every gutter
    /// read as columns so far.
    column_starts: Vec<f64>,
}

fn order(
    glyphs: &[Glyph],
    atoms: Vec<Atom>,
    frame: &Frame,
    found: &mut Vec<f64>,
) -> Vec<LaidOutLine> {
    if atoms.is_empty() {
        return Vec::new();
    }
    let bands = into_bands(atoms);
    if bands.len() == 1 {
        let band = bands.into_iter().next().expect("one band");
        return order_band(glyphs, band, frame, found);
    }
    let size = median(bands.iter().flatten().map(|a| a.size));
    let runs = column_runs(&bands, size);
    let text_right = bands
        .iter()
        .flatten()
        .map(Atom::right)
        .fold(frame.right_edge.unwrap_or(f64::NEG_INFINITY), f64::max);
    // A column start found anywhere on this level holds for all of it: a
    // line that stands across the page's gutter is two columns' lines.
    let starts: Vec<f64> = runs
        .iter()
        .filter_map(|run| run.gutter.map(|(_, start)| start))
        .collect();
    found.extend(&starts);
    let mut inner = frame.clone();
    inner.column_starts.extend(starts);
    let outlines: Vec<BandOutline> = bands.iter().map(|b| BandOutline::of(b)).collect();
    let mut bands: Vec<Option<Vec<Atom>>> = bands.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for run in runs {
        let atoms: Vec<Atom> = bands[run.first..=run.last]
            .iter_mut()
            .flat_map(|b| b.take().unwrap_or_default())
            .collect();
        match run.gutter {
            None => {
                let lone = Frame {
                    right_edge: inner.right_edge,
                    column_starts: lone_line_starts(
                        &outlines,
                        run.first,
                        &inner.column_starts,
                        size,
                    ),
                };
                out.extend(order_band(glyphs, atoms, &lone, found));
            }
            Some((gutter, _)) => {
                let (left, right): (Vec<Atom>, Vec<Atom>) = atoms
                    .into_iter()
                    .partition(|a| (a.left() + a.right()) / 2.0 < gutter);
                // The left column's right edge is somewhere in the gutter;
                // the right column's is the edge of all the text.
                let left_frame = Frame {
                    right_edge: None,
                    ..inner.clone()
                };
                let right_frame = Frame {
                    right_edge: Some(text_right),
                    ..inner.clone()
                };
                for (part, part_frame) in [(left, left_frame), (right, right_frame)] {
                    let mut lines = order(glyphs, part, &part_frame, found);
                    set_measure(glyphs, &mut lines, size, part_frame.right_edge);
                    out.extend(lines);
                }
            }
        }
    }
    out
}

/// A band's extent and its pieces of text, for telling its neighbours'
/// layout.
struct BandOutline {
    top: f64,
    bottom: f64,
    /// Left and right of each piece of a text line.
    pieces: Vec<(f64, f64)>,
}

impl BandOutline {
    fn of(band: &[Atom]) -> BandOutline {
        BandOutline {
            top: band.iter().map(Atom::top).fold(f64::INFINITY, f64::min),
            bottom: band
                .iter()
                .map(Atom::bottom)
                .fold(f64::NEG_INFINITY, f64::max),
            pieces: band
                .iter()
                .filter(|a| a.line().is_some())
                .map(|a| (a.left(), a.right()))
                .collect(),
        }
    }
}

/// The column starts a lone band (`band`, a run of its own) may be split
/// at: not one that a neighbour band has a piece at (a column of rows, a
/// table without rules), nor one that a piece of the line right above or
/// below runs across (text of one column: a row set on tab stops, wrapped).
fn lone_line_starts(outlines: &[BandOutline], band: usize, starts: &[f64], size: f64) -> Vec<f64> {
    let this = &outlines[band];
    let neighbours: Vec<(&BandOutline, f64)> = [band.checked_sub(1), Some(band + 1)]
        .into_iter()
        .flatten()
        .filter_map(|b| outlines.get(b).map(|o| (o, b)))
        .map(|(o, b)| {
            let gap = if b < band {
                this.top - o.bottom
            } else {
                o.top - this.bottom
            };
            (o, gap)
        })
        .collect();
    let taken = |start: f64| {
        neighbours.iter().any(|(o, gap)| {
            o.pieces.iter().any(|&(left, right)| {
                (left - start).abs() <= size
                    || (*gap < size && left < start - size && right > start + size)
            })
        })
    };
    starts
        .iter()
        .copied()
        .filter(|&start| !taken(start))
        .collect()
}

/// Gives the free lines of a column its edges, unless a column inside it
/// gave them already: the left of its leftmost line and the right of its
/// rightmost, when [`MIN_LINES_AT_EDGE`] lines run up to that edge (a
/// column of short lines has no edge its text wraps at), or else
/// `known_right`, the edge the enclosing cut gives.
fn set_measure(glyphs: &[Glyph], lines: &mut [LaidOutLine], size: f64, known_right: Option<f64>) {
    let ink_edges = |line: &LaidOutLine| {
        line.glyphs
            .iter()
            .filter(|&&i| !glyphs[i].is_space())
            .map(|&i| (glyphs[i].x, glyphs[i].right()))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), (gl, gr)| {
                (l.min(gl), r.max(gr))
            })
    };
    let free: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| l.free && l.measure.is_none())
        .map(ink_edges)
        .collect();
    if free.is_empty() {
        return;
    }
    let left = free.iter().map(|e| e.0).fold(f64::INFINITY, f64::min);
    let mut right = free.iter().map(|e| e.1).fold(f64::NEG_INFINITY, f64::max);
    // Lines that end within a font size of the edge: wrapped lines do, and
    // two of them make it the edge the column wraps at.
    let at_edge = free.iter().filter(|e| e.1 >= right - size).count();
    if at_edge < MIN_LINES_AT_EDGE {
        match known_right {
            Some(edge) if edge >= right => right = edge,
            _ => return,
        }
    }
    for line in lines.iter_mut().filter(|l| l.free && l.measure.is_none()) {
        line.measure = Some((left, right));
    }
}

/// Pieces grouped into bands of overlapping heights, top to bottom.
fn into_bands(mut atoms: Vec<Atom>) -> Vec<Vec<Atom>> {
    atoms.sort_by(|a, b| {
        a.top()
            .total_cmp(&b.top())
            .then(a.left().total_cmp(&b.left()))
            .then(a.bottom().total_cmp(&b.bottom()))
    });
    let mut bands: Vec<Vec<Atom>> = Vec::new();
    let mut band_bottom = f64::NEG_INFINITY;
    for atom in atoms {
        let slack = 0.1 * atom.size;
        if atom.top() < band_bottom - slack {
            band_bottom = band_bottom.max(atom.bottom());
            bands.last_mut().expect("a band is open").push(atom);
        } else {
            band_bottom = atom.bottom();
            bands.push(vec![atom]);
        }
    }
    bands
}

/// A run of consecutive bands, read as columns split at `gutter` when it
/// has one: its middle, and its right side (where the next column starts).
struct Run {
    first: usize,
    last: usize,
    gutter: Option<(f64, f64)>,
}

/// The bands cut into runs: the longest runs of bands that share a gutter
/// that passes the tests of the module's doc, and single bands between.
fn column_runs(bands: &[Vec<Atom>], size: f64) -> Vec<Run> {
    let left = bands
        .iter()
        .flatten()
        .map(Atom::left)
        .fold(f64::INFINITY, f64::min);
    let right = bands
        .iter()
        .flatten()
        .map(Atom::right)
        .fold(f64::NEG_INFINITY, f64::max);
    let free: Vec<Vec<(f64, f64)>> = bands
        .iter()
        .map(|b| free_strips(b, left, right, size))
        .collect();
    let mut runs = Vec::new();
    let mut first = 0;
    while first < bands.len() {
        let mut strips = free[first].clone();
        let mut last = first;
        let mut best: Option<(usize, (f64, f64))> = None;
        loop {
            if last > first {
                if let Some(gutter) = gutter_of(&bands[first..=last], &strips, left, right, size) {
                    best = Some((last, gutter));
                }
            }
            if last + 1 >= bands.len() {
                break;
            }
            let next = intersect(&strips, &free[last + 1], MIN_GUTTER * size);
            if next.is_empty() {
                break;
            }
            strips = next;
            last += 1;
        }
        match best {
            Some((last, gutter)) => {
                runs.push(Run {
                    first,
                    last,
                    gutter: Some(gutter),
                });
                first = last + 1;
            }
            None => {
                runs.push(Run {
                    first,
                    last: first,
                    gutter: None,
                });
                first += 1;
            }
        }
    }
    runs
}

/// The strips of a band's width (from `left` to `right`) that no piece
/// covers, at least [`MIN_GUTTER`] font sizes wide.
fn free_strips(band: &[Atom], left: f64, right: f64, size: f64) -> Vec<(f64, f64)> {
    let mut covered: Vec<(f64, f64)> = band.iter().map(|a| (a.left(), a.right())).collect();
    covered.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut strips = Vec::new();
    let mut x = left;
    for (l, r) in covered {
        if l > x {
            strips.push((x, l));
        }
        x = x.max(r);
    }
    if right > x {
        strips.push((x, right));
    }
    strips.retain(|(l, r)| r - l >= MIN_GUTTER * size);
    strips
}

/// The parts of two sets of strips that both hold, at least `min` wide.
fn intersect(a: &[(f64, f64)], b: &[(f64, f64)], min: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &(al, ar) in a {
        for &(bl, br) in b {
            let (l, r) = (al.max(bl), ar.min(br));
            if r - l >= min {
                out.push((l, r));
            }
        }
    }
    out
}

/// The middle and the right side of the widest strip that makes `bands`
/// two columns, if one does (the tests of the module's doc).
fn gutter_of(
    bands: &[Vec<Atom>],
    strips: &[(f64, f64)],
    left: f64,
    right: f64,
    size: f64,
) -> Option<(f64, f64)> {
    let lines = bands.len() as f64;
    let needed = (MAX_GUTTER - GUTTER_SLOPE * lines).max(MIN_GUTTER) * size;
    let atoms = || bands.iter().flatten();
    strips
        .iter()
        .filter(|(l, r)| *l > left && *r < right && r - l >= needed)
        .filter(|&&(l, r)| {
            let left_edge = atoms()
                .filter(|a| a.right() <= l)
                .map(Atom::left)
                .fold(f64::INFINITY, f64::min);
            let right_edge = atoms()
                .filter(|a| a.left() >= r)
                .map(Atom::right)
                .fold(f64::NEG_INFINITY, f64::max);
            if l - left_edge < MIN_COLUMN_WIDTH * size || right_edge - r < MIN_COLUMN_WIDTH * size {
                return false;
            }
            // Columns have text on both sides of the gutter on several
            // lines (a header above one column and headings below the
            // other are not columns), or start together: a short column
            // area (two headings set in columns between tables that span
            // the page) has its first lines side by side, and one side
            // runs on below the other, each line one piece of text (not a
            // box beside a heading, which is read where it stands, nor
            // text set on tab stops).
            let has_both =
                |b: &Vec<Atom>| b.iter().any(|a| a.right() <= l) && b.iter().any(|a| a.left() >= r);
            let one_piece_a_side = |b: &Vec<Atom>| {
                b.iter().filter(|a| a.right() <= l).count() <= 1
                    && b.iter().filter(|a| a.left() >= r).count() <= 1
            };
            let both_sides = bands.iter().filter(|b| has_both(b)).count();
            let start_together = has_both(&bands[0])
                && atoms().all(|a| a.kind().is_none())
                && bands.iter().all(one_piece_a_side);
            if both_sides < MIN_LINES_BOTH_SIDES && !start_together {
                return false;
            }
            // A strip one character cell wide lines up by chance in
            // fixed-pitch (CJK) text: the full-width spaces of two
            // neighbouring lines. Such a gutter needs more lines beside it.
            if r - l < NARROW_GUTTER * size && both_sides < MIN_LINES_BESIDE_NARROW_GUTTER {
                return false;
            }
            // Lines cut by a cell-wide gap left of the gutter are a table's
            // rows, whose cells stay together; a column of prose is one
            // piece a line. (Right of it may stand more columns.)
            let rows = bands
                .iter()
                .filter(|b| {
                    let mut left_side: Vec<&Atom> = b.iter().filter(|a| a.right() <= l).collect();
                    left_side.sort_by(|a, b| a.left().total_cmp(&b.left()));
                    left_side.windows(2).any(|w| {
                        w[0].line().is_some()
                            && w[0].line() == w[1].line()
                            && w[1].left() - w[0].right() >= lines::CELL_GAP * size
                    })
                })
                .count();
            if rows >= MIN_TABLE_ROWS {
                return false;
            }

            // The text on the left runs up to the gutter in enough lines.
            let ends: Vec<f64> = bands
                .iter()
                .filter_map(|b| {
                    b.iter()
                        .filter(|a| a.right() <= l)
                        .map(Atom::right)
                        .reduce(f64::max)
                })
                .collect();
            let reaching = ends.iter().filter(|&&e| e >= l - REACH * size).count();
            !ends.is_empty() && reaching as f64 >= MIN_REACHING_SHARE * ends.len() as f64
        })
        .max_by(|a, b| {
            (a.1 - a.0)
                .total_cmp(&(b.1 - b.0))
                .then(b.0.total_cmp(&a.0))
        })
        .map(|&(l, r)| ((l + r) / 2.0, r))
}

/// The lines of one band.
fn order_band(
    glyphs: &[Glyph],
    mut atoms: Vec<Atom>,
    frame: &Frame,
    found: &mut Vec<f64>,
) -> Vec<LaidOutLine> {
    let first_line = atoms[0].line();
    if atoms.len() == 1 || (first_line.is_some() && atoms.iter().all(|a| a.line() == first_line)) {
        return match split_at_column_start(atoms, &frame.column_starts) {
            Ok((left, right)) => {
                let mut lines = emit(glyphs, left);
                lines.extend(emit(glyphs, right));
                lines
            }
            Err(atoms) => emit(glyphs, atoms),
        };
    }
    atoms.sort_by(|a, b| {
        a.left()
            .total_cmp(&b.left())
            .then(a.top().total_cmp(&b.top()))
    });
    let size = median(atoms.iter().map(|a| a.size));
    // Cut where no piece spans, the gap is wide enough for what stands on
    // each side, and no text line has pieces on both sides.
    let mut parts: Vec<Vec<Atom>> = Vec::new();
    let mut reach = f64::NEG_INFINITY;
    for atom in atoms {
        let cut = parts.last().is_some_and(|part| {
            let gap = atom.left() - reach;
            let vertical = part
                .iter()
                .all(|a| a.kind() == Some(BlockKind::VerticalLine))
                && atom.kind() == Some(BlockKind::VerticalLine);
            let beside_block = atom.kind().is_some() || part.iter().any(|a| a.kind().is_some());
            let needed = if vertical {
                0.1
            } else if beside_block {
                0.5
            } else {
                MIN_GUTTER
            };
            gap >= needed * size
        });
        if cut {
            parts.push(vec![atom]);
        } else if let Some(part) = parts.last_mut() {
            part.push(atom);
        } else {
            parts.push(vec![atom]);
        }
        reach = reach.max(
            parts
                .last()
                .and_then(|p| p.last())
                .map_or(reach, Atom::right),
        );
    }
    let parts = join_split_lines(parts);
    if parts.len() == 1 {
        let atoms = parts.into_iter().next().expect("one part");
        return emit(glyphs, atoms);
    }
    // Vertical writing is read right to left: a band that is mostly
    // vertical lines (the rest being glyphs too few to stack) is.
    let vertical_lines = parts
        .iter()
        .flatten()
        .filter(|a| a.kind() == Some(BlockKind::VerticalLine))
        .count();
    let vertical = 2 * vertical_lines > parts.iter().map(Vec::len).sum::<usize>();
    let mut parts: Vec<(bool, Vec<LaidOutLine>)> = parts
        .into_iter()
        .map(|part| {
            let label = part.len() == 1 && part[0].kind() == Some(BlockKind::Box);
            let part_frame = Frame {
                right_edge: None,
                ..frame.clone()
            };
            (label, order(glyphs, part, &part_frame, found))
        })
        .collect();
    if vertical {
        parts.reverse();
    }
    let mut out: Vec<LaidOutLine> = Vec::new();
    let mut label: Option<LaidOutLine> = None;
    for (is_box, mut lines) in parts {
        if let Some(l) = label.take() {
            match lines.first_mut() {
                Some(first) if same_baseline(&l, first, size) && is_box => {
                    prefix_label(first, l);
                }
                _ => out.push(l),
            }
        }
        if is_box && lines.len() == 1 {
            label = lines.pop();
        }
        out.extend(lines);
    }
    out.extend(label);
    out
}

/// A text line of two pieces cut where a column of the page starts: the
/// right piece starts there (within a font size), the gap before it is a
/// gutter, and both are wide enough to be columns. Such a line is two
/// columns' lines side by side (a heading in each column of a short column
/// area); a line of more pieces is a row of cells or text set on tab stops,
/// read as one line. Gives the pieces back when no such cut is found.
fn split_at_column_start(
    mut atoms: Vec<Atom>,
    column_starts: &[f64],
) -> Result<(Vec<Atom>, Vec<Atom>), Vec<Atom>> {
    if atoms.len() != 2 || column_starts.is_empty() {
        return Err(atoms);
    }
    atoms.sort_by(|a, b| a.left().total_cmp(&b.left()));
    let size = median(atoms.iter().map(|a| a.size));
    let (left, right) = (&atoms[0], &atoms[1]);
    let splits = column_starts.iter().any(|&column| {
        (right.left() - column).abs() <= size
            && right.left() - left.right() >= MIN_GUTTER * size
            && left.right() - left.left() >= MIN_COLUMN_WIDTH * size
            && right.right() - right.left() >= MIN_COLUMN_WIDTH * size
    });
    if !splits {
        return Err(atoms);
    }
    let right = atoms.split_off(1);
    Ok((atoms, right))
}

/// Parts that share a text line are one part: a line is never read in two
/// places.
fn join_split_lines(parts: Vec<Vec<Atom>>) -> Vec<Vec<Atom>> {
    let mut out: Vec<Vec<Atom>> = Vec::new();
    for part in parts {
        let shares = out.last().is_some_and(|previous| {
            previous
                .iter()
                .filter_map(Atom::line)
                .any(|line| part.iter().any(|a| a.line() == Some(line)))
        });
        match out.last_mut() {
            Some(previous) if shares => previous.extend(part),
            _ => out.push(part),
        }
    }
    out
}

fn same_baseline(a: &LaidOutLine, b: &LaidOutLine, size: f64) -> bool {
    (a.bottom - b.bottom).abs() <= 0.3 * size
}

/// Puts a box's one line before the first line of the box beside it, as
/// its label: `基本方針` beside `１ 情報提供の拡充` reads `基本方針 １ 情報提供の拡充`.
fn prefix_label(line: &mut LaidOutLine, label: LaidOutLine) {
    let text = label.text();
    match line.cells.first_mut() {
        Some(first) => *first = format!("{text} {first}").trim().to_string(),
        None => line.cells.push(text),
    }
    line.top = line.top.min(label.top);
    line.glyphs.extend(label.glyphs);
    line.copies.extend(label.copies);
    line.repairs.extend(label.repairs);
}

/// The lines of pieces that are read together: the pieces of each text
/// line make one line (cells split at wide gaps), a block gives its lines
/// in its own order; lines and blocks top to bottom by their first line's
/// bottom (where a line's baseline is: a table row's top is its rule,
/// above its text), to half a point, then left to right.
fn emit(glyphs: &[Glyph], atoms: Vec<Atom>) -> Vec<LaidOutLine> {
    let mut text_lines: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    let mut groups: Vec<Vec<LaidOutLine>> = Vec::new();
    for atom in atoms {
        match atom.content {
            Content::Piece { line, glyphs } => text_lines.entry(line).or_default().extend(glyphs),
            Content::Block { lines, .. } => groups.push(lines),
        }
    }
    for (_, mut members) in text_lines {
        members.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
        groups.push(vec![lines::free_line(glyphs, &members)]);
    }
    let key = |group: &Vec<LaidOutLine>| {
        let first = group.first();
        let bottom = first.map_or(0.0, |l| (l.bottom * 2.0).round());
        let left = first.map_or(0.0, |l| {
            l.glyphs
                .iter()
                .map(|&i| glyphs[i].x)
                .fold(f64::INFINITY, f64::min)
        });
        (bottom, left)
    };
    groups.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    groups.into_iter().flatten().collect()
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.filter(|v| *v > 0.0).collect();
    if values.is_empty() {
        return 1.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
