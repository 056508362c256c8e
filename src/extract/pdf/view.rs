//! The pages as keikaku read them, kept for drawing them again: the review
//! report (`keikaku report`) shows each page from the glyphs the reader
//! placed, every line outlined where it stood, so that a reviewer sees
//! the source beside what became of it.
//!
//! Built only when asked ([`super::read_pdf_for_review`]): a conversion
//! does not need it.

use super::device::{Direction, Glyph, PageContent, Rule};

/// The glyphs of one numbered line on one page (a row split by a page
/// break has a piece on each of its pages, both under the row's number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlyphLine {
    /// The page the glyphs are on.
    pub page: u32,
    /// The line they were read into (the numbering of `keikaku text`).
    pub line: u32,
    /// Indices into the page's glyphs, white space included; copies drawn
    /// over another glyph (fake bold) are not among them.
    pub glyphs: Vec<usize>,
}

/// One page drawn again: its size, its text in runs and its rules, and the
/// box of every line read on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageView {
    /// The page number, from 1.
    pub page: u32,
    /// Width in points, as read (turned upright).
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// The text, in runs of glyphs set side by side on one baseline.
    pub runs: Vec<TextRun>,
    /// The table borders and rules.
    pub rules: Vec<Rule>,
    /// The box each line takes on this page, in line order.
    pub lines: Vec<LineBox>,
}

/// Glyphs of one line set one after the other on one baseline, drawn as
/// one piece of text stretched to their width.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The line the glyphs were read into; `None` for glyphs in no line
    /// (the layout's accounting says there are none; drawn all the same).
    pub line: Option<u32>,
    /// The text.
    pub text: String,
    /// The left end of the baseline (the origin of the first glyph).
    pub x: f64,
    /// The baseline.
    pub y: f64,
    /// From the first glyph's origin to the last one's advance.
    pub width: f64,
    /// Font size.
    pub size: f64,
    /// Which way the text runs.
    pub direction: Direction,
}

/// The box one line covers on a page: the union of its glyphs' boxes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// The line's number.
    pub line: u32,
    /// Left edge, points from the page's left.
    pub left: f64,
    /// Top edge, points from the page's top.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

/// The views of the pages, from what each drew and which glyphs went into
/// which numbered line.
pub fn page_views(pages: &[PageContent], glyph_lines: &[GlyphLine]) -> Vec<PageView> {
    pages
        .iter()
        .map(|page| {
            let lines: Vec<&GlyphLine> = glyph_lines
                .iter()
                .filter(|l| l.page == page.number)
                .collect();
            page_view(page, &lines)
        })
        .collect()
}

fn page_view(page: &PageContent, lines: &[&GlyphLine]) -> PageView {
    let mut placed = vec![false; page.glyphs.len()];
    let mut runs = Vec::new();
    let mut boxes = Vec::new();
    for line in lines {
        let glyphs: Vec<&Glyph> = line
            .glyphs
            .iter()
            .filter_map(|&g| {
                let glyph = page.glyphs.get(g)?;
                placed[g] = true;
                Some(glyph)
            })
            .collect();
        runs.extend(runs_of(&glyphs, Some(line.line)));
        boxes.extend(box_of(&glyphs, line.line));
    }
    let strays: Vec<&Glyph> = page
        .glyphs
        .iter()
        .zip(&placed)
        .filter(|(g, placed)| !**placed && !g.is_space())
        .map(|(g, _)| g)
        .collect();
    runs.extend(runs_of(&strays, None));
    // Lines in number order, a line's pieces together, so that the report
    // finds them by number.
    boxes.sort_by_key(|b: &LineBox| b.line);
    PageView {
        page: page.number,
        width: page.width,
        height: page.height,
        runs,
        rules: page.rules.clone(),
        lines: boxes,
    }
}

/// How far past the previous glyph's advance (in ems) the next glyph may
/// start and still be drawn in the same run: a word space. A wider gap (a
/// table's next cell, a tab) starts a new run, so that each run is drawn
/// where it stood.
const RUN_GAP: f64 = 0.6;

/// The glyphs cut into runs: upright glyphs one after the other on one
/// baseline go together; a glyph turned or set below the one before (a
/// vertical line) is a run of its own.
fn runs_of(glyphs: &[&Glyph], line: Option<u32>) -> Vec<TextRun> {
    let mut runs: Vec<TextRun> = Vec::new();
    for glyph in glyphs {
        if let Some(run) = runs.last_mut() {
            let end = run.x + run.width;
            let goes_on = glyph.direction == Direction::Upright
                && run.direction == Direction::Upright
                && (glyph.y - run.y).abs() <= 0.2 * glyph.size.max(run.size)
                && glyph.x >= end - 0.3 * glyph.size
                && glyph.x <= end + RUN_GAP * glyph.size;
            if goes_on {
                run.text.push_str(&glyph.text);
                run.width = glyph.right() - run.x;
                continue;
            }
        }
        runs.push(TextRun {
            line,
            text: glyph.text.clone(),
            x: glyph.x,
            y: glyph.y,
            width: glyph.width,
            size: glyph.size,
            direction: glyph.direction,
        });
    }
    runs.retain(|r| !r.text.trim().is_empty());
    runs
}

/// The union of the glyphs' boxes, white space left out.
fn box_of(glyphs: &[&Glyph], line: u32) -> Option<LineBox> {
    glyphs
        .iter()
        .filter(|g| !g.is_space())
        .map(|g| g.bounds())
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
        .map(|(left, top, right, bottom)| LineBox {
            line,
            left,
            top,
            right,
            bottom,
        })
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
            direction: Direction::Upright,
        }
    }

    #[test]
    fn glyphs_side_by_side_are_one_run_and_a_wide_gap_starts_another() {
        let glyphs = [
            glyph("基", 0.0, 20.0),
            glyph("本", 10.0, 20.0),
            glyph("課", 60.0, 20.0),
        ];
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        let runs = runs_of(&refs, Some(3));
        let texts: Vec<(&str, f64, f64)> = runs
            .iter()
            .map(|r| (r.text.as_str(), r.x, r.width))
            .collect();
        assert_eq!(texts, [("基本", 0.0, 20.0), ("課", 60.0, 10.0)]);
    }

    #[test]
    fn a_glyph_below_the_one_before_is_a_run_of_its_own() {
        let glyphs = [glyph("縦", 0.0, 20.0), glyph("書", 0.0, 30.0)];
        let refs: Vec<&Glyph> = glyphs.iter().collect();
        assert_eq!(runs_of(&refs, None).len(), 2);
    }

    #[test]
    fn every_glyph_of_a_page_is_drawn_in_its_line_or_as_a_stray() {
        let page = PageContent {
            number: 1,
            width: 100.0,
            height: 100.0,
            glyphs: vec![glyph("a", 0.0, 20.0), glyph("b", 50.0, 50.0)],
            ..PageContent::default()
        };
        let lines = [GlyphLine {
            page: 1,
            line: 7,
            glyphs: vec![0],
        }];
        let view = &page_views(&[page], &lines)[0];
        let drawn: Vec<(Option<u32>, &str)> = view
            .runs
            .iter()
            .map(|r| (r.line, r.text.as_str()))
            .collect();
        assert_eq!(drawn, [(Some(7), "a"), (None, "b")]);
        assert_eq!(view.lines.len(), 1);
        assert_eq!(view.lines[0].line, 7);
    }
}
