//! The fixes made to the vendored PDF parser (`vendor/pdf-extract`, see its
//! PATCHES.md), each on a small PDF built here that does what real Japanese
//! PDFs do: a width table in its range form, an embedded CMap with a CID
//! range, the predefined CJK CMaps of PDFs with non-embedded fonts, a
//! ToUnicode given by name, marked-content replacement text, the painting
//! operators of table rules, forms placed by a matrix.

mod common;

use common::build_pdf::{codes_in, PdfBuilder};
use keikaku::document::WarningCode;
use lopdf::{dictionary, Object};

/// The text lines keikaku reads from `pdf`.
fn lines_of(pdf: &[u8]) -> Vec<String> {
    let extracted = keikaku::extract::extract("test.pdf", pdf).unwrap();
    extracted
        .lines
        .into_iter()
        .map(|line| line.text())
        .collect()
}

/// `text` as a PDF hex string.
fn hex(bytes: &[u8]) -> String {
    let digits: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("<{digits}>")
}

/// A page of two lines in 10 pt, with one-byte codes 21–25 for `A`–`E`,
/// where `A`–`C` are half an em wide and `D`, `E` one em:
/// - `ABC` at x = 100, then `D` on its own at x = 115, where `C` ends: a
///   width misread puts `C` after `D`;
/// - `ABCD` at x = 100, then `E` on its own at x = 117.5, after where `D`
///   starts (115) and before where it would start if `C` were one em wide
///   (120): a range that leaves out its last CID puts `E` before `D`.
///
/// Read right, the lines are `ABCD` and `ABCDE`.
fn widths_page(encoding: Object, widths: Vec<Object>, builder: PdfBuilder) -> Vec<u8> {
    let mut builder = builder;
    let letters = [
        (0x21, "A"),
        (0x22, "B"),
        (0x23, "C"),
        (0x24, "D"),
        (0x25, "E"),
    ];
    let to_unicode = builder.unicode_cmap(1, &letters);
    let font = builder.type0_font(encoding, Some(to_unicode), Some(widths));
    builder.font("F1", font);
    builder.page(
        b"BT /F1 10 Tf 100 700 Td <212223> Tj ET BT /F1 10 Tf 115 700 Td <24> Tj ET \
          BT /F1 10 Tf 100 680 Td <21222324> Tj ET BT /F1 10 Tf 117.5 680 Td <25> Tj ET",
    )
}

const WIDTHS_PAGE_LINES: [&str; 2] = ["ABCD", "ABCDE"];

/// An embedded CMap of one-byte codes 20–7E mapped by one cidrange, code
/// 21 (`A`) to CID `first_cid`.
fn one_byte_cmap(builder: &mut PdfBuilder, first_cid: u32) -> Object {
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CMapName /KeikakuTest-H def /CMapType 1 def\n\
         1 begincodespacerange <00> <FF> endcodespacerange\n\
         1 begincidrange <20> <7E> {} endcidrange\n\
         endcmap CMapName currentdict /CMap defineresource pop end end\n",
        first_cid - 1
    );
    Object::Reference(builder.stream(dictionary! {"Type" => "CMap"}, cmap.into_bytes()))
}

#[test]
fn patch_1_widths_in_the_range_form_of_w() {
    // The embedded CMap makes code 21 CID 2 (keeping the CIDs small). W
    // gives CIDs 0 and 1 in the array form, then CIDs 2–4 (codes 21–23)
    // half an em in the `c_first c_last w` form; codes 24 and 25 are CIDs 5
    // and 6, their width the default, one em.
    let mut builder = PdfBuilder::new();
    let encoding = one_byte_cmap(&mut builder, 2);
    let widths = vec![
        0.into(),
        vec![Object::Integer(1000), Object::Integer(1000)].into(),
        2.into(),
        4.into(),
        500.into(),
    ];
    assert_eq!(
        lines_of(&widths_page(encoding, widths, builder)),
        WIDTHS_PAGE_LINES
    );
}

#[test]
fn patch_2_a_cidrange_maps_its_first_code_to_its_first_cid() {
    // Codes 20–7E are CIDs 1000–1094: code 21 is CID 1001. Upstream read it
    // as CID 1001 + 0x21 (whose width is the default) and looked ToUnicode
    // up by that CID, which gave no text at all.
    let mut builder = PdfBuilder::new();
    let encoding = one_byte_cmap(&mut builder, 1001);
    let widths = vec![1001.into(), 1003.into(), 500.into()];
    assert_eq!(
        lines_of(&widths_page(encoding, widths, builder)),
        WIDTHS_PAGE_LINES
    );
}

/// A page writing `bytes` with a Type0 font whose encoding is the
/// predefined CMap `cmap`, with no ToUnicode (as PDFs with non-embedded
/// Japanese fonts do).
fn predefined_cmap_page(cmap: &str, bytes: &[u8], to_unicode: Option<Object>) -> Vec<u8> {
    let mut builder = PdfBuilder::new();
    let font = builder.type0_font(Object::Name(cmap.into()), to_unicode, None);
    builder.font("F1", font);
    builder.page(format!("BT /F1 10 Tf 72 700 Td {} Tj ET", hex(bytes)).as_bytes())
}

const PLAN_LINE: &str = "基本目標1 地域で支え合う";

fn utf16_be(text: &str) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| unit.to_be_bytes())
        .collect()
}

#[test]
fn patch_3_shift_jis_cmaps() {
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(PLAN_LINE);
    assert!(!bad);
    for cmap in ["90ms-RKSJ-H", "90ms-RKSJ-V", "90msp-RKSJ-H", "83pv-RKSJ-H"] {
        assert_eq!(
            lines_of(&predefined_cmap_page(cmap, &sjis, None)),
            [PLAN_LINE],
            "{cmap}"
        );
    }
}

#[test]
fn patch_3_euc_and_jis_cmaps() {
    let (euc, _, bad) = encoding_rs::EUC_JP.encode(PLAN_LINE);
    assert!(!bad);
    assert_eq!(
        lines_of(&predefined_cmap_page("EUC-H", &euc, None)),
        [PLAN_LINE]
    );
    // `H` is two-byte JIS X 0208: the EUC bytes with the high bit cleared
    // (its text has no half-width characters, which H cannot hold).
    let kanji = "基本目標地域で支え合う";
    let (euc, _, _) = encoding_rs::EUC_JP.encode(kanji);
    let jis: Vec<u8> = euc.iter().map(|b| b & 0x7F).collect();
    assert_eq!(lines_of(&predefined_cmap_page("H", &jis, None)), [kanji]);
}

#[test]
fn patch_3_unicode_cmaps() {
    let utf16 = utf16_be(PLAN_LINE);
    for cmap in ["UniJIS-UCS2-H", "UniJIS-UTF16-H", "UniJIS-UCS2-HW-H"] {
        assert_eq!(
            lines_of(&predefined_cmap_page(cmap, &utf16, None)),
            [PLAN_LINE],
            "{cmap}"
        );
    }
}

#[test]
fn patch_4_a_tounicode_given_by_name_is_left_to_the_encoding() {
    let utf16 = utf16_be(PLAN_LINE);
    let named = Some(Object::Name(b"UniJIS-UCS2-H".to_vec()));
    assert_eq!(
        lines_of(&predefined_cmap_page("UniJIS-UCS2-H", &utf16, named)),
        [PLAN_LINE]
    );
}

/// A page writing `民生委員の支援` with a font whose ToUnicode names the
/// radicals `⺠` and `⽀` for 民 and 支, as Chromium's do; with `actual_text`
/// each of the two is wrapped in a span giving the ideograph.
fn radical_page(actual_text: bool) -> Vec<u8> {
    let alphabet = "⺠生委員の⽀援";
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", alphabet);
    let span = |glyph: &str, meant: &str| {
        let codes = codes_in(alphabet, glyph);
        if !actual_text {
            return format!("{codes} Tj ");
        }
        let utf16: String = meant.encode_utf16().map(|u| format!("{u:04X}")).collect();
        format!("/Span <</ActualText <FEFF{utf16}>>> BDC {codes} Tj EMC ")
    };
    let content = format!(
        "BT /F1 10 Tf 72 700 Td {}{} Tj {}{} Tj ET",
        span("⺠", "民"),
        codes_in(alphabet, "生委員の"),
        span("⽀", "支"),
        codes_in(alphabet, "援"),
    );
    builder.page(content.as_bytes())
}

#[test]
fn patch_5_marked_content_replacement_text_gives_the_ideographs() {
    assert_eq!(lines_of(&radical_page(true)), ["民生委員の支援"]);
}

#[test]
fn radicals_without_replacement_text_are_replaced_in_normalization_with_a_warning() {
    // The text map's radicals come through extraction as they are...
    assert_eq!(lines_of(&radical_page(false)), ["⺠生委員の⽀援"]);
    // ...and normalization replaces them, with a warning at the line.
    let document = keikaku::convert("test.pdf", &radical_page(false)).unwrap();
    let text = serde_json::to_string(&document).unwrap();
    assert!(text.contains("民生委員の支援"), "{text}");
    assert!(!text.contains("民生委員の⽀援"));
    let warning = document
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::CharacterReplaced)
        .expect("a character_replaced warning");
    assert_eq!((warning.page, warning.line), (1, 1));
}

#[test]
fn patch_6_rules_filled_even_odd_or_filled_and_stroked_split_table_cells() {
    // Two columns whose texts stand 8 pt apart, closer than the gap that
    // splits free text into cells: only the ruled column border at x = 136
    // (drawn with `f*` and `B`) makes them two cells.
    let alphabet = "見守り活動の推進地域ケア課項目担当";
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", alphabet);
    let rules = "0 g \
        50 700 250 0.5 re f* 50 680 250 0.5 re f* 50 660 250 0.5 re f* \
        0 G 0.5 w 50 660 0.5 40.5 re B 136 660 0.5 40.5 re B 300 660 0.5 40.5 re B";
    let text = format!(
        "BT /F1 10 Tf 52 686 Td {} Tj ET BT /F1 10 Tf 140 686 Td {} Tj ET \
         BT /F1 10 Tf 52 666 Td {} Tj ET BT /F1 10 Tf 140 666 Td {} Tj ET",
        codes_in(alphabet, "項目"),
        codes_in(alphabet, "担当"),
        codes_in(alphabet, "見守り活動の推進"),
        codes_in(alphabet, "地域ケア推進課"),
    );
    let pdf = builder.page(format!("{rules} {text}").as_bytes());
    assert_eq!(
        lines_of(&pdf),
        ["項目\t担当", "見守り活動の推進\t地域ケア推進課"]
    );
}

#[test]
fn patch_7_a_form_is_drawn_where_its_placement_and_matrix_put_it() {
    // The form's text stands at y = 100 in its own space; its Matrix moves
    // it up 30 and the page's `cm` 600 more: y = 730, between the page's
    // lines at 760 and 700. Upstream drew it at 100 (last line).
    let alphabet = "一二三行目";
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", alphabet);
    builder.form(
        "Fm0",
        [1.0, 0.0, 0.0, 1.0, 0.0, 30.0],
        &format!(
            "BT /F1 10 Tf 72 100 Td {} Tj ET",
            codes_in(alphabet, "二行目")
        ),
    );
    let content = format!(
        "BT /F1 10 Tf 72 760 Td {} Tj ET q 1 0 0 1 0 600 cm /Fm0 Do Q \
         BT /F1 10 Tf 72 700 Td {} Tj ET",
        codes_in(alphabet, "一行目"),
        codes_in(alphabet, "三行目"),
    );
    let lines = lines_of(&builder.page(content.as_bytes()));
    assert_eq!(lines, ["一行目", "二行目", "三行目"]);
}

#[test]
fn patch_9_quote_operators_move_to_the_next_line_and_show_their_text() {
    // Lines 20 pt apart: the first by Tj, the second by `'`, the third by
    // `"` (which also sets the spacing), the fourth by Td from the third.
    // Upstream dropped the text of `'` and `"` and did not move down for
    // them, so the fourth line stood where the second should.
    let alphabet = "一二三四行目";
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", alphabet);
    let content = format!(
        "BT /F1 10 Tf 20 TL 72 760 Td {} Tj {} ' 0 0 {} \" 0 -20 Td {} Tj ET",
        codes_in(alphabet, "一行目"),
        codes_in(alphabet, "二行目"),
        codes_in(alphabet, "三行目"),
        codes_in(alphabet, "四行目"),
    );
    let lines = lines_of(&builder.page(content.as_bytes()));
    assert_eq!(lines, ["一行目", "二行目", "三行目", "四行目"]);
}

#[test]
fn patch_17_a_vertical_font_advances_down_the_page() {
    // Three columns of vertical writing in an Identity-V font, the first at
    // x = 300, the others 20 pt apart to its left, all from the top; the
    // second with a TJ adjustment of half an em (500: down, in vertical
    // writing). Upstream advanced every
    // font across, so the columns came out as overlapping rows.
    let alphabet = "一二行目です縦書の。";
    let pairs: Vec<(u32, String)> = alphabet
        .chars()
        .enumerate()
        .map(|(i, c)| (i as u32 + 1, c.to_string()))
        .collect();
    let mut builder = PdfBuilder::new();
    let to_unicode = builder.unicode_cmap(2, &pairs);
    let font = builder.type0_font(Object::Name(b"Identity-V".to_vec()), Some(to_unicode), None);
    builder.font("F1", font);
    let content = format!(
        "BT /F1 10 Tf 1 0 0 1 300 700 Tm {} Tj ET \
         BT /F1 10 Tf 1 0 0 1 280 700 Tm [{} 500 {}] TJ ET \
         BT /F1 10 Tf 1 0 0 1 260 700 Tm {} Tj ET",
        codes_in(alphabet, "一行目の縦書です。"),
        codes_in(alphabet, "二行目"),
        codes_in(alphabet, "です"),
        codes_in(alphabet, "縦書です"),
    );
    let pdf = builder.page(content.as_bytes());
    assert_eq!(
        lines_of(&pdf),
        ["一行目の縦書です。", "二行目 です", "縦書です"]
    );
    // The glyphs stand one under the other, each em box below the last.
    let limits = keikaku::extract::Limits::default();
    let page = &keikaku::extract::pdf::read_page_contents(&pdf, None, &limits).unwrap()[0];
    let first: Vec<(f64, f64)> = page.glyphs[..3]
        .iter()
        .map(|g| (g.x.round(), g.y.round()))
        .collect();
    // x: 300 less half the default width (1000/2 per mille of 10 pt).
    assert_eq!(first, [(295.0, 151.0), (295.0, 161.0), (295.0, 171.0)]);
}
