//! What a PDF page draws, as pdf-extract's output device reports it: glyphs
//! with their positions, the straight rules of table borders, and images.
//!
//! Coordinates are PDF points with the origin at the top left of the page
//! as a reader sees it (y grows downwards): the page's visible box (its
//! CropBox within its MediaBox) and its `/Rotate` applied, so that a
//! landscape page stored as a portrait one turned a quarter is read
//! upright.

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// Which way a glyph's text runs on the page as read, in quarter turns
/// clockwise from left-to-right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Direction {
    /// Left to right, upright: nearly all text.
    #[default]
    Upright,
    /// Top to bottom, the glyph turned a quarter clockwise (Latin text in a
    /// vertical line, a label along a table's side).
    Down,
    /// Right to left, upside down.
    UpsideDown,
    /// Bottom to top, the glyph turned a quarter anticlockwise.
    Up,
}

impl Direction {
    /// The direction nearest to the text-space x axis drawn as `(dx, dy)`
    /// on the page (y down).
    pub fn of_vector(dx: f64, dy: f64) -> Direction {
        if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                Direction::Upright
            } else {
                Direction::UpsideDown
            }
        } else if dy > 0.0 {
            Direction::Down
        } else {
            Direction::Up
        }
    }
}

/// One drawn character (or the replacement text of a marked-content span).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The text it stands for: usually one character, sometimes a ligature
    /// or a replacement text of several.
    pub text: String,
    /// Origin: the left end of the baseline for upright text (in general
    /// the start of the advance along `direction`).
    pub x: f64,
    /// Origin: the baseline for upright text.
    pub y: f64,
    /// Advance width, along `direction`.
    pub width: f64,
    /// Font size on the page (the text matrix applied).
    pub size: f64,
    /// Which way its text runs.
    pub direction: Direction,
}

/// The share of the font size above the baseline that a glyph's body
/// reaches (CJK fonts: 0.88 of the em box is ascent).
const ASCENT: f64 = 0.88;

impl Glyph {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// True for a glyph of white space only.
    pub fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }

    /// The box the glyph covers on the page as read: `(left, top, right,
    /// bottom)`. Its em box along its advance, whichever way it runs.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let (ascent, descent) = (self.size * ASCENT, self.size * (1.0 - ASCENT));
        let advance = self.width.max(self.size * 0.3);
        match self.direction {
            Direction::Upright => (self.x, self.y - ascent, self.x + advance, self.y + descent),
            Direction::Down => (self.x - descent, self.y, self.x + ascent, self.y + advance),
            Direction::UpsideDown => (self.x - advance, self.y - descent, self.x, self.y + ascent),
            Direction::Up => (self.x - ascent, self.y - advance, self.x + descent, self.y),
        }
    }

    /// The centre of [`Glyph::bounds`].
    pub fn centre(&self) -> (f64, f64) {
        let (left, top, right, bottom) = self.bounds();
        ((left + right) / 2.0, (top + bottom) / 2.0)
    }
}

/// Where a page's visible area lies in PDF user space and how a viewer
/// turns it: what turns user space into the page as read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// The visible box `[llx, lly, urx, ury]`: the CropBox clipped to the
    /// MediaBox, or the MediaBox.
    pub visible: Option<[f64; 4]>,
    /// `/Rotate`: quarter turns clockwise, 0 to 3.
    pub quarter_turns: u8,
}

impl PageGeometry {
    /// Upright, with the MediaBox visible.
    pub const PLAIN: PageGeometry = PageGeometry {
        visible: None,
        quarter_turns: 0,
    };

    /// The transform from user space to the page as read (origin top
    /// left, y down), and the page's width and height as read.
    pub fn to_reader(&self, media_box: [f64; 4]) -> (Transform, f64, f64) {
        let [llx, lly, urx, ury] = self.visible.unwrap_or(media_box);
        let (width, height) = ((urx - llx).abs(), (ury - lly).abs());
        // Each turn maps the visible box's corner that a viewer shows at
        // the top left to the origin.
        match self.quarter_turns % 4 {
            1 => (
                Transform::row_major(0.0, 1.0, 1.0, 0.0, -lly, -llx),
                height,
                width,
            ),
            2 => (
                Transform::row_major(-1.0, 0.0, 0.0, 1.0, urx, -lly),
                width,
                height,
            ),
            3 => (
                Transform::row_major(0.0, -1.0, -1.0, 0.0, ury, urx),
                height,
                width,
            ),
            _ => (
                Transform::row_major(1.0, 0.0, 0.0, -1.0, -llx, ury),
                width,
                height,
            ),
        }
    }
}

/// An axis-parallel straight line drawn on the page: a table border.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Start (the smaller coordinate).
    pub x0: f64,
    /// Start.
    pub y0: f64,
    /// End (the larger coordinate).
    pub x1: f64,
    /// End.
    pub y1: f64,
}

impl Rule {
    /// True for a horizontal rule.
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() <= (self.x1 - self.x0).abs()
    }
}

/// A filled rectangle larger than a rule: a cell's or a row's background.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

/// Everything one page drew that the layout needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageContent {
    /// The page number, from 1.
    pub number: u32,
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Glyphs in drawing order.
    pub glyphs: Vec<Glyph>,
    /// Horizontal and vertical rules.
    pub rules: Vec<Rule>,
    /// Rectangles filled in a colour other than white (a white fill on
    /// white paper draws nothing a reader sees).
    pub fills: Vec<Fill>,
    /// How many images the page drew.
    pub images: usize,
    /// What the parser could not draw as the file asks (a form that draws
    /// itself, a damaged stream or font), each with how many times it was
    /// met; at most [`MAX_PROBLEMS`] kinds, the last counting the others.
    pub problems: Vec<(String, usize)>,
}

/// The kinds of problem kept for one page: a hostile page can name a
/// different missing object a million times.
pub const MAX_PROBLEMS: usize = 20;

/// Rules thinner than this (points) are lines; a filled rectangle this thin
/// is a border drawn as a fill, which is how Chromium and LibreOffice draw
/// table borders.
const MAX_RULE_THICKNESS: f64 = 2.5;

/// What stands for the problems past [`MAX_PROBLEMS`].
const OTHER_PROBLEMS: &str = "other parts of the page could not be drawn";

/// A rule shorter than this is a tick or a bullet, not a border.
const MIN_RULE_LENGTH: f64 = 4.0;

/// The output device that records the pages of a document.
#[derive(Debug, Default)]
pub struct Recorder {
    /// The pages drawn, the last one being drawn.
    pub pages: Vec<PageContent>,
    /// Each page's geometry, by page number; a page not listed is plain.
    geometry: std::collections::BTreeMap<u32, PageGeometry>,
    /// Turns PDF user space (origin bottom left) into page space as read
    /// (top left).
    flip: Option<Transform>,
}

impl Recorder {
    /// A recorder that reads each page by its geometry.
    pub fn new(geometry: std::collections::BTreeMap<u32, PageGeometry>) -> Recorder {
        Recorder {
            geometry,
            ..Recorder::default()
        }
    }

    /// The page being drawn. The parser begins a page before drawing on it;
    /// the default page only guards against a parser that would not.
    fn page(&mut self) -> &mut PageContent {
        if self.pages.is_empty() {
            self.pages.push(PageContent::default());
        }
        self.pages.last_mut().expect("a page was just pushed")
    }

    fn to_page(&self, transform: &Transform, x: f64, y: f64) -> (f64, f64) {
        let point = transform.transform_point(pdf_extract_point(x, y));
        match &self.flip {
            Some(flip) => {
                let p = flip.transform_point(point);
                (p.x, p.y)
            }
            None => (point.x, point.y),
        }
    }

    /// Records the axis-parallel segments of `path`, drawn through `ctm`.
    /// `filled` is `Some(visible)` for a fill, `None` for a stroke.
    fn record_path(&mut self, ctm: &Transform, path: &Path, filled: Option<bool>) {
        let mut start = None;
        let mut current = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    let p = self.to_page(ctm, x, y);
                    start = Some(p);
                    current = Some(p);
                }
                PathOp::LineTo(x, y) => {
                    let p = self.to_page(ctm, x, y);
                    if let Some(from) = current {
                        self.add_segment(from, p);
                    }
                    current = Some(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = Some(self.to_page(ctm, x, y)),
                PathOp::Rect(x, y, w, h) => {
                    let a = self.to_page(ctm, x, y);
                    let b = self.to_page(ctm, x + w, y + h);
                    self.add_rectangle(a, b, filled);
                }
                PathOp::Close => {
                    if let (Some(from), Some(to)) = (current, start) {
                        self.add_segment(from, to);
                    }
                    current = start;
                }
            }
        }
    }

    /// A thin filled rectangle is one rule; a stroked or larger one is its
    /// four sides (a cell's box), except that a large fill is a background,
    /// not a border.
    fn add_rectangle(&mut self, a: (f64, f64), b: (f64, f64), filled: Option<bool>) {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= MAX_RULE_THICKNESS && w >= MIN_RULE_LENGTH {
            let y = (y0 + y1) / 2.0;
            self.push(Rule {
                x0,
                y0: y,
                x1,
                y1: y,
            });
        } else if w <= MAX_RULE_THICKNESS && h >= MIN_RULE_LENGTH {
            let x = (x0 + x1) / 2.0;
            self.push(Rule {
                x0: x,
                y0,
                x1: x,
                y1,
            });
        } else if let Some(visible) = filled {
            if visible && [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
                self.page().fills.push(Fill { x0, y0, x1, y1 });
            }
        } else {
            self.add_segment((x0, y0), (x1, y0));
            self.add_segment((x0, y1), (x1, y1));
            self.add_segment((x0, y0), (x0, y1));
            self.add_segment((x1, y0), (x1, y1));
        }
    }

    fn add_segment(&mut self, from: (f64, f64), to: (f64, f64)) {
        let (x0, x1) = (from.0.min(to.0), from.0.max(to.0));
        let (y0, y1) = (from.1.min(to.1), from.1.max(to.1));
        let horizontal = y1 - y0 <= MAX_RULE_THICKNESS && x1 - x0 >= MIN_RULE_LENGTH;
        let vertical = x1 - x0 <= MAX_RULE_THICKNESS && y1 - y0 >= MIN_RULE_LENGTH;
        if horizontal {
            let y = (y0 + y1) / 2.0;
            self.push(Rule {
                x0,
                y0: y,
                x1,
                y1: y,
            });
        } else if vertical {
            let x = (x0 + x1) / 2.0;
            self.push(Rule {
                x0: x,
                y0,
                x1: x,
                y1,
            });
        }
    }

    fn push(&mut self, rule: Rule) {
        if [rule.x0, rule.y0, rule.x1, rule.y1]
            .iter()
            .all(|v| v.is_finite())
        {
            self.page().rules.push(rule);
        }
    }
}

/// True for paper white in a device colour space (a page or cell
/// background that shows nothing). Other spaces are taken as visible.
fn is_white(colorspace: &ColorSpace, color: &[f64]) -> bool {
    const NEAR: f64 = 0.02;
    match colorspace {
        ColorSpace::DeviceGray
        | ColorSpace::DeviceRGB
        | ColorSpace::CalGray(_)
        | ColorSpace::CalRGB(_) => !color.is_empty() && color.iter().all(|&c| c >= 1.0 - NEAR),
        ColorSpace::DeviceCMYK => !color.is_empty() && color.iter().all(|&c| c <= NEAR),
        _ => false,
    }
}

fn pdf_extract_point(x: f64, y: f64) -> euclid::Point2D<f64, pdf_extract::Space> {
    euclid::point2(x, y)
}

impl OutputDev for Recorder {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        super::page_begins(page_num);
        let geometry = self
            .geometry
            .get(&page_num)
            .copied()
            .unwrap_or(PageGeometry::PLAIN);
        let media = [media_box.llx, media_box.lly, media_box.urx, media_box.ury];
        let (flip, width, height) = geometry.to_reader(media);
        self.pages.push(PageContent {
            number: page_num,
            width,
            height,
            ..PageContent::default()
        });
        self.flip = Some(flip);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if text.is_empty() {
            return Ok(());
        }
        let (x, y) = self.to_page(trm, 0.0, 0.0);
        // The glyph's axes on the page: its advance and its height, one
        // font size each, so that a glyph drawn turned or mirrored keeps
        // its size and gets its direction.
        let (ax, ay) = self.to_page(trm, font_size, 0.0);
        let (ux, uy) = self.to_page(trm, 0.0, font_size);
        let (along, up) = ((ax - x).hypot(ay - y), (ux - x).hypot(uy - y));
        let size = (along * up).sqrt();
        let advance = width * along;
        let values = [x, y, size, advance];
        if values.iter().all(|v| v.is_finite()) && size > 0.0 {
            self.page().glyphs.push(Glyph {
                text: text.to_string(),
                x,
                y,
                width: advance.max(0.0),
                size,
                direction: Direction::of_vector(ax - x, ay - y),
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn image(&mut self, _ctm: &Transform) -> Result<(), OutputError> {
        self.page().images += 1;
        Ok(())
    }

    fn problem(&mut self, message: &str) -> Result<(), OutputError> {
        let problems = &mut self.page().problems;
        if let Some(known) = problems.iter_mut().find(|(m, _)| m == message) {
            known.1 += 1;
        } else if problems.len() + 1 < MAX_PROBLEMS {
            problems.push((message.to_string(), 1));
        } else if let Some(other) = problems.iter_mut().find(|(m, _)| m == OTHER_PROBLEMS) {
            other.1 += 1;
        } else {
            problems.push((OTHER_PROBLEMS.to_string(), 1));
        }
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.record_path(ctm, path, None);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.record_path(ctm, path, Some(!is_white(colorspace, color)));
        Ok(())
    }
}
