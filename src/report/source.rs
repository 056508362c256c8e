//! The source beside the result: a PDF's pages drawn again from the glyphs
//! keikaku read (SVG text, each line outlined), or a text's numbered
//! lines; each line marked with what became of it (its goal's colour, its
//! role, furniture greyed, unplaced and warned lines marked) and carrying
//! the places it went to, which the script shows on a click and a browser
//! without script shows as the element's title.

use super::html;
use super::outline::Places;
use crate::document::{Document, FurnitureKind, UnplacedLine, Warning};
use crate::extract::pdf::view::{PageView, TextRun};
use crate::extract::pdf::Direction;
use crate::extract::Extracted;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// What the report knows of each line: the places it went to, and whether
/// it is furniture, unplaced or warned about.
pub struct LineMarks<'a> {
    places: &'a Places,
    furniture: BTreeMap<u32, FurnitureKind>,
    unplaced: BTreeMap<u32, &'a UnplacedLine>,
    warnings: BTreeMap<u32, Vec<&'a Warning>>,
}

impl<'a> LineMarks<'a> {
    /// The marks of every line of `document`.
    pub fn new(document: &'a Document, places: &'a Places) -> LineMarks<'a> {
        let mut warnings: BTreeMap<u32, Vec<&Warning>> = BTreeMap::new();
        for warning in &document.warnings {
            warnings.entry(warning.line).or_default().push(warning);
        }
        LineMarks {
            places,
            furniture: document
                .furniture
                .iter()
                .map(|f| (f.line, f.kind))
                .collect(),
            unplaced: document.unplaced.iter().map(|u| (u.line, u)).collect(),
            warnings,
        }
    }

    /// The lines that a warning or an unplaced entry points at: each must
    /// have an anchor in the source view.
    pub fn pointed_at(&self) -> BTreeSet<u32> {
        self.unplaced
            .keys()
            .chain(self.warnings.keys())
            .copied()
            .collect()
    }

    /// True for a line a warning or an unplaced entry points at: its box
    /// takes the keyboard's focus.
    fn pointed_at_line(&self, line: u32) -> bool {
        self.unplaced.contains_key(&line) || self.warnings.contains_key(&line)
    }

    /// The classes of a line: its role and goal colour, or furniture;
    /// unplaced; warned.
    fn classes(&self, line: u32) -> String {
        let mut classes = String::from("ln");
        if self.furniture.contains_key(&line) {
            classes.push_str(" furn");
        } else if let Some(place) = self.places.of_line(line).last() {
            // The innermost place says what the line is (a record inside
            // a goal is a record).
            let _ = write!(classes, " {}", place.role.class());
            if let Some(goal) = place.goal {
                let _ = write!(classes, " g{}", goal % 8);
            }
        }
        if self.unplaced.contains_key(&line) {
            classes.push_str(" unplaced");
        }
        if self.warnings.contains_key(&line) {
            classes.push_str(" warn");
        }
        classes
    }

    /// What there is to check on a line, in words, one item a line: the
    /// element's title (a line with nothing to check has none: the places
    /// it went to are the script's to show, from `data-p`, which keeps a
    /// long report small).
    fn title(&self, line: u32) -> String {
        let mut items = Vec::new();
        if let Some(kind) = self.furniture.get(&line) {
            items.push(format!("furniture: {kind:?}"));
        }
        if let Some(unplaced) = self.unplaced.get(&line) {
            items.push(format!("unplaced: {}", unplaced.reason));
        }
        for warning in self.warnings.get(&line).into_iter().flatten() {
            let code = super::json_name(warning.code);
            items.push(format!("warning {code}: {}", warning.message));
        }
        items.join("\n")
    }

    /// The indices of the places a line went to, for the script's links.
    fn place_indices(&self, line: u32) -> String {
        self.places
            .by_line
            .get(&line)
            .map(|indices| {
                indices
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    /// The attributes every line element carries: its classes, its
    /// number and page, the places it went to, and what there is to check.
    fn attributes(&self, page: u32, line: u32) -> String {
        let title = self.title(line);
        let title = match title.is_empty() {
            true => String::new(),
            false => format!(r#" title="{}""#, html::attr(&title)),
        };
        format!(
            r#"class="{}" data-l="{line}" data-pg="{page}" data-p="{}"{title}"#,
            self.classes(line),
            self.place_indices(line),
        )
    }
}

/// The source view of `source`: its pages drawn again (a PDF) or its
/// numbered lines (a text).
pub fn source_view(source: &Extracted, marks: &LineMarks) -> String {
    if source.page_views.is_empty() {
        text_lines(source, marks)
    } else {
        pdf_pages(source, &source.page_views, marks)
    }
}

/// A text's lines, page by page, each with its number.
fn text_lines(source: &Extracted, marks: &LineMarks) -> String {
    let mut out = String::new();
    let mut page = 0;
    for line in &source.lines {
        let at = line.location;
        if at.page != page {
            if page != 0 {
                out.push_str("</ol></section>");
            }
            page = at.page;
            let _ = write!(
                out,
                r#"<section class="text-page" id="page-{page}"><h3>Page {page}</h3><ol class="lines">"#
            );
        }
        let _ = write!(
            out,
            r##"<li id="L{n}" {}><a class="no" href="#L{n}">{n}</a><span class="t">"##,
            marks.attributes(at.page, at.line),
            n = at.line,
        );
        for (i, cell) in line.cells.iter().enumerate() {
            if i > 0 {
                out.push_str(r#"<span class="tab" aria-label="tab">⇥</span>"#);
            }
            out.push_str(&html::text(cell));
        }
        out.push_str("</span></li>");
    }
    if page != 0 {
        out.push_str("</ol></section>");
    }
    out
}

/// How large a page is drawn: CSS pixels a point (a point is 1.33 pixels
/// at 100 %; 1.5 makes small print readable on screen).
const SCALE: f64 = 1.5;

/// A PDF's pages, each an SVG of its text runs over the boxes of its lines.
fn pdf_pages(source: &Extracted, views: &[PageView], marks: &LineMarks) -> String {
    // Lines with no box on any page (blank lines, a line of white space)
    // that a warning or an unplaced entry points at get an empty anchor at
    // the top of their page, so that every link lands.
    let boxed: BTreeSet<u32> = views
        .iter()
        .flat_map(|v| v.lines.iter().map(|b| b.line))
        .collect();
    let pages_of_lines: BTreeMap<u32, u32> = source
        .lines
        .iter()
        .map(|l| (l.location.line, l.location.page))
        .chain(source.furniture.iter().map(|f| (f.line, f.page)))
        .collect();
    let mut anchors: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for line in marks.pointed_at() {
        if !boxed.contains(&line) {
            let page = pages_of_lines.get(&line).copied().unwrap_or(1);
            anchors.entry(page).or_default().push(line);
        }
    }
    let mut out = String::new();
    let mut anchored = BTreeSet::new();
    for view in views {
        let (width, height) = (html::points(view.width), html::points(view.height));
        let _ = write!(
            out,
            r#"<figure class="page" id="page-{p}" style="contain-intrinsic-size: auto {w}px auto {h}px"><figcaption>Page {p}</figcaption>"#,
            p = view.page,
            w = html::points(view.width * SCALE),
            h = html::points(view.height * SCALE + 24.0),
        );
        for line in anchors.get(&view.page).into_iter().flatten() {
            let _ = write!(
                out,
                r#"<span id="L{line}" {}></span>"#,
                marks.attributes(view.page, *line)
            );
        }
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{}" height="{}" role="img" aria-label="page {}"><rect class="paper" width="{width}" height="{height}"/>"#,
            html::points(view.width * SCALE),
            html::points(view.height * SCALE),
            view.page
        );
        rules(&mut out, view);
        for line_box in &view.lines {
            // The first piece of a line takes its id; a row continued on the
            // next page has a piece there too.
            let id = if anchored.insert(line_box.line) {
                format!(r#"id="L{}" "#, line_box.line)
            } else {
                String::new()
            };
            let focusable = if marks.pointed_at_line(line_box.line) {
                r#" tabindex="0""#
            } else {
                ""
            };
            let pad = 1.0;
            let _ = write!(
                out,
                r#"<rect {id}{}{focusable} x="{}" y="{}" width="{}" height="{}"/>"#,
                marks.attributes(view.page, line_box.line),
                html::points(line_box.left - pad),
                html::points(line_box.top - pad),
                html::points(line_box.right - line_box.left + 2.0 * pad),
                html::points(line_box.bottom - line_box.top + 2.0 * pad),
            );
        }
        out.push_str(r#"<g class="tx">"#);
        for run in &view.runs {
            text_run(&mut out, run);
        }
        out.push_str("</g></svg></figure>");
    }
    out
}

/// The page's rules, as one path.
fn rules(out: &mut String, view: &PageView) {
    if view.rules.is_empty() {
        return;
    }
    out.push_str(r#"<path class="rules" d=""#);
    for rule in &view.rules {
        let _ = write!(
            out,
            "M{} {}L{} {}",
            html::points(rule.x0),
            html::points(rule.y0),
            html::points(rule.x1),
            html::points(rule.y1)
        );
    }
    out.push_str(r#""/>"#);
}

/// One run of text, stretched to the width its glyphs took on the page;
/// turned text turned about its origin.
fn text_run(out: &mut String, run: &TextRun) {
    let (x, y) = (html::points(run.x), html::points(run.y));
    let turn = match run.direction {
        Direction::Upright => String::new(),
        Direction::Down => format!(r#" transform="rotate(90 {x} {y})""#),
        Direction::UpsideDown => format!(r#" transform="rotate(180 {x} {y})""#),
        Direction::Up => format!(r#" transform="rotate(-90 {x} {y})""#),
    };
    let stretch = if run.text.chars().count() > 1 && run.width > 0.0 {
        format!(
            r#" textLength="{}" lengthAdjust="spacingAndGlyphs""#,
            html::points(run.width)
        )
    } else {
        String::new()
    };
    let class = if run.line.is_none() {
        r#" class="stray""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" font-size="{}"{stretch}{turn}{class}>{}</text>"#,
        html::points(run.size),
        html::text(&run.text)
    );
}
