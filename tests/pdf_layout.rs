//! The page as a reader sees it: a page stored turned (`/Rotate`) or with
//! a CropBox is read upright from its visible corner, and text drawn turned
//! on an upright page is read in its own direction. Built with the PDF
//! builder of `tests/common/build_pdf.rs`, so that each case is exact.

mod common;

use common::build_pdf::{codes_in, PdfBuilder};
use keikaku::extract::pdf::Direction;
use lopdf::Object;

const ALPHABET: &str = "一二三行目横";

/// The lines `keikaku text` reads from a one-page PDF whose three lines
/// are drawn by `show(line, text)` and whose page dictionary is changed by
/// `edit`.
fn read(
    show: impl Fn(usize, &str) -> String,
    edit: impl FnOnce(&mut lopdf::Dictionary),
) -> Vec<String> {
    read_page(show, edit).0
}

/// The same, with the page as drawn: its size as read and each glyph's
/// direction.
fn read_page(
    show: impl Fn(usize, &str) -> String,
    edit: impl FnOnce(&mut lopdf::Dictionary),
) -> (Vec<String>, keikaku::extract::pdf::PageContent) {
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", ALPHABET);
    let content: String = ["一行目", "二行目", "三行目"]
        .iter()
        .enumerate()
        .map(|(k, text)| show(k, text))
        .collect();
    let pdf = builder.page_with(
        vec![lopdf::Stream::new(
            lopdf::dictionary! {},
            content.into_bytes(),
        )],
        |_, page| edit(page),
    );
    let extracted = keikaku::extract::extract("test.pdf", &pdf).unwrap();
    let limits = keikaku::extract::Limits::default();
    let mut pages = keikaku::extract::pdf::read_page_contents(&pdf, None, &limits).unwrap();
    (
        extracted.lines.iter().map(|l| l.text()).collect(),
        pages.remove(0),
    )
}

/// Shows `text` with the text matrix `[a b c d e f]`.
fn shown(text: &str, matrix: [f64; 6]) -> String {
    let [a, b, c, d, e, f] = matrix;
    format!(
        "BT /F1 10 Tf {a} {b} {c} {d} {e} {f} Tm {} Tj ET\n",
        codes_in(ALPHABET, text)
    )
}

const EXPECTED: [&str; 3] = ["一行目", "二行目", "三行目"];

#[test]
fn a_page_stored_turned_is_read_upright() {
    // The A4 MediaBox is 595 × 842. For each /Rotate, the lines are drawn
    // so that a viewer, which turns the page, shows them upright, 20 pt
    // apart from y = 100 down, from x = 72: where each lands in user space
    // follows from how the viewer turns it.
    for (rotate, place) in [
        // 90: the reader's (X, Y) is user (Y, X); text runs up the page.
        (
            90,
            (|k: usize| [0.0, 1.0, -1.0, 0.0, 100.0 + 20.0 * k as f64, 72.0])
                as fn(usize) -> [f64; 6],
        ),
        // 180: (X, Y) is (595 - x, y); text runs leftwards, upside down.
        (180, |k| {
            [-1.0, 0.0, 0.0, -1.0, 595.0 - 72.0, 100.0 + 20.0 * k as f64]
        }),
        // 270: (X, Y) is (842 - y, 595 - x); text runs down the page.
        (270, |k| {
            [
                0.0,
                -1.0,
                1.0,
                0.0,
                595.0 - 100.0 - 20.0 * k as f64,
                842.0 - 72.0,
            ]
        }),
    ] {
        let (lines, page) = read_page(
            |k, text| shown(text, place(k)),
            |page| page.set("Rotate", Object::Integer(rotate)),
        );
        assert_eq!(lines, EXPECTED, "/Rotate {rotate}");
        // Upright as read, on a page as wide as the viewer shows it.
        assert!(page
            .glyphs
            .iter()
            .all(|g| g.direction == Direction::Upright));
        let (width, height) = if rotate == 180 {
            (595.0, 842.0)
        } else {
            (842.0, 595.0)
        };
        assert_eq!(
            (page.width, page.height),
            (width, height),
            "/Rotate {rotate}"
        );
        let first = &page.glyphs[0];
        assert_eq!(
            (first.x.round(), first.y.round()),
            (72.0, 100.0),
            "/Rotate {rotate}"
        );
        // Without the /Rotate, the same drawing is turned text, read in
        // its own direction all the same.
        let lines = read(|k, text| shown(text, place(k)), |_| {});
        assert_eq!(lines, EXPECTED, "turned text, /Rotate {rotate} left out");
    }
}

#[test]
fn a_rotate_of_minus_270_is_a_quarter_turn() {
    // -270 is 90; the value set on the page wins over none.
    let lines = read(
        |k, text| shown(text, [0.0, 1.0, -1.0, 0.0, 100.0 + 20.0 * k as f64, 72.0]),
        |page| page.set("Rotate", Object::Integer(-270)),
    );
    assert_eq!(lines, EXPECTED);
}

#[test]
fn the_crop_box_origin_is_the_top_left_of_the_page() {
    // Upright lines, and a CropBox that starts at (100, 100): the text is
    // read the same, and a line above the CropBox (outside it, hidden by a
    // viewer) is still read, first, not lost.
    let (lines, page) = read_page(
        |k, text| shown(text, [1.0, 0.0, 0.0, 1.0, 150.0, 600.0 - 20.0 * k as f64]),
        |page| {
            page.set(
                "CropBox",
                vec![100.into(), 100.into(), 500.into(), 700.into()],
            )
        },
    );
    assert_eq!(lines, EXPECTED);
    // Positions count from the CropBox's top left corner.
    assert_eq!((page.width, page.height), (400.0, 600.0));
    let first = &page.glyphs[0];
    assert_eq!((first.x.round(), first.y.round()), (50.0, 100.0));
}
