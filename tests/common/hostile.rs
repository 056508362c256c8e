//! Hostile and broken PDFs (issue 14), built with [`PdfBuilder`]: each asks
//! the parser for unbounded work, loops it, or gives it a value it once
//! panicked on. Used by `tests/hostile_pdfs.rs` (each case's outcome) and
//! `examples/make_hostile_corpus.rs` (the files, to measure the command on).
//!
//! Every page that can also shows [`TEXT`] in a plain font, so that a case
//! the parser survives converts to a document holding it.
#![allow(dead_code)]

use super::build_pdf::PdfBuilder;
use lopdf::{dictionary, Dictionary, Object, Stream};

/// The text each page shows besides what is hostile in it.
pub const TEXT: &str = "Hello keikaku";

/// Content drawing [`TEXT`] in the font `/F1` of [`builder`].
pub const SHOW_TEXT: &str = "BT /F1 12 Tf 72 720 Td (Hello keikaku) Tj ET\n";

/// A builder whose page has Helvetica (a standard font: no widths or font
/// program needed) as `/F1`.
pub fn builder() -> PdfBuilder {
    let mut builder = PdfBuilder::new();
    builder.font(
        "F1",
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    builder
}

/// A form XObject stream drawing `content`, with `/F1` and the XObjects
/// `xobjects` as its resources.
fn form(content: impl Into<Vec<u8>>, xobjects: Dictionary) -> Stream {
    Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! {
                "Font" => dictionary! {
                    "F1" => dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
                },
                "XObject" => xobjects,
            },
        },
        content.into(),
    )
}

/// A form that draws itself (`/Fx Do` inside `/Fx`).
pub fn form_draws_itself() -> Vec<u8> {
    let mut b = builder();
    let fx = b.reserve();
    b.set(fx, form("/Fx Do\n", dictionary! { "Fx" => fx }));
    b.xobject("Fx", fx);
    b.page(format!("{SHOW_TEXT}/Fx Do\n").as_bytes())
}

/// Two forms that draw each other.
pub fn forms_draw_each_other() -> Vec<u8> {
    let mut b = builder();
    let (fa, fb) = (b.reserve(), b.reserve());
    b.set(fa, form("/Fb Do\n", dictionary! { "Fb" => fb }));
    b.set(fb, form("/Fa Do\n", dictionary! { "Fa" => fa }));
    b.xobject("Fa", fa);
    b.page(format!("{SHOW_TEXT}/Fa Do\n").as_bytes())
}

/// A chain of `depth` forms, each drawing the next; the last shows text.
pub fn form_chain(depth: usize) -> Vec<u8> {
    let mut b = builder();
    let ids: Vec<_> = (0..depth).map(|_| b.reserve()).collect();
    for (i, &id) in ids.iter().enumerate() {
        let stream = match ids.get(i + 1) {
            Some(&next) => form("/Fn Do\n", dictionary! { "Fn" => next }),
            None => form(
                "BT /F1 12 Tf 72 600 Td (the last form) Tj ET\n",
                dictionary! {},
            ),
        };
        b.set(id, stream);
    }
    if let Some(&first) = ids.first() {
        b.xobject("F0", first);
    }
    b.page(format!("{SHOW_TEXT}/F0 Do\n").as_bytes())
}

/// Forms nested `depth` deep, each drawing the next `fanout` times; the
/// innermost shows a character: `fanout`^`depth` draws.
pub fn forms_fan_out(depth: usize, fanout: usize) -> Vec<u8> {
    let mut b = builder();
    let ids: Vec<_> = (0..depth).map(|_| b.reserve()).collect();
    for (i, &id) in ids.iter().enumerate() {
        let stream = match ids.get(i + 1) {
            Some(&next) => form("/Fn Do\n".repeat(fanout), dictionary! { "Fn" => next }),
            None => form("BT /F1 12 Tf 72 600 Td (x) Tj ET\n", dictionary! {}),
        };
        b.set(id, stream);
    }
    if let Some(&first) = ids.first() {
        b.xobject("F0", first);
    }
    b.page(format!("{SHOW_TEXT}/F0 Do\n").as_bytes())
}

/// A Flate-compressed stream of `content`.
fn compressed(content: &[u8]) -> Stream {
    let mut stream = Stream::new(dictionary! {}, content.to_vec());
    stream.compress().expect("compresses");
    stream
}

/// `count` compressed content streams of `size` bytes each, all of
/// `unit` repeated (`q Q ` is two operators in four bytes, ` ` none).
pub fn big_streams(count: usize, size: usize, unit: &str) -> Vec<u8> {
    let repeated = unit.repeat(size / unit.len().max(1));
    // One compression for all: the streams are the same.
    let one = compressed(repeated.as_bytes());
    let mut contents = vec![Stream::new(dictionary! {}, SHOW_TEXT.as_bytes().to_vec())];
    contents.extend(std::iter::repeat_n(one, count));
    builder().page_with(contents, |_, _| {})
}

/// One compressed content stream of `operators` operators (`q` and `Q`).
pub fn many_operators(operators: usize) -> Vec<u8> {
    let mut content = SHOW_TEXT.as_bytes().to_vec();
    content.extend("q Q ".repeat(operators / 2).as_bytes());
    builder().page_with(vec![compressed(&content)], |_, _| {})
}

/// `glyphs` glyphs of `x` in 1 pt type, in strings of 1,000.
pub fn many_glyphs(glyphs: usize) -> Vec<u8> {
    let mut content = SHOW_TEXT.to_string();
    let line = format!("BT /F1 1 Tf 10 10 Td ({}) Tj ET\n", "x".repeat(1000));
    content.push_str(&line.repeat(glyphs / 1000));
    builder().page_with(vec![compressed(content.as_bytes())], |_, _| {})
}

/// A Type0 font `/F2` with the width array `widths` and a ToUnicode map of
/// codes 0001–0003 to `A`–`C`, showing `ABC`.
fn cid_font_page(widths: Vec<Object>) -> Vec<u8> {
    let mut b = builder();
    let to_unicode = b.unicode_cmap(2, &[(1, "A"), (2, "B"), (3, "C")]);
    let font = b.type0_font(
        Object::Name(b"Identity-H".to_vec()),
        Some(to_unicode),
        Some(widths),
    );
    b.font("F2", font);
    b.page(format!("{SHOW_TEXT}BT /F2 12 Tf 72 700 Td <000100020003> Tj ET\n").as_bytes())
}

/// `/W [0 4294967295 1000]`: four billion CIDs in one range.
pub fn w_huge_range() -> Vec<u8> {
    cid_font_page(vec![0.into(), Object::Integer(4_294_967_295), 1000.into()])
}

/// 200,000 `/W` ranges, each over 65,536 CIDs.
pub fn w_many_ranges() -> Vec<u8> {
    let mut widths = Vec::with_capacity(600_000);
    for i in 0..200_000i64 {
        widths.extend([
            Object::Integer(i % 3),
            Object::Integer(65_535),
            Object::Integer(500 + i % 500),
        ]);
    }
    cid_font_page(widths)
}

/// A page whose /Parent chain loops (A → B → A) and whose resources and
/// MediaBox would be inherited from it.
pub fn parent_loop() -> Vec<u8> {
    let b = builder();
    b.page_with(
        vec![Stream::new(dictionary! {}, SHOW_TEXT.as_bytes().to_vec())],
        |doc, page| {
            let (a, c) = (doc.new_object_id(), doc.new_object_id());
            doc.objects.insert(
                a,
                Object::Dictionary(dictionary! { "Type" => "Pages", "Parent" => c }),
            );
            doc.objects.insert(
                c,
                Object::Dictionary(dictionary! { "Type" => "Pages", "Parent" => a }),
            );
            page.remove(b"Resources");
            page.remove(b"MediaBox");
            page.set("Parent", a);
        },
    )
}

/// A page tree whose /Kids lists the tree itself after the page.
pub fn kids_loop() -> Vec<u8> {
    let mut bytes = builder().page(SHOW_TEXT.as_bytes());
    // The page tree is the first object PdfBuilder adds after the fonts:
    // its Kids gain a reference to itself, by editing the loaded file.
    let mut doc = lopdf::Document::load_mem(&bytes).expect("loads");
    let pages = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("page tree");
    if let Ok(Object::Dictionary(tree)) = doc.get_object_mut(pages) {
        if let Ok(Object::Array(kids)) = tree.get_mut(b"Kids") {
            kids.push(Object::Reference(pages));
        }
    }
    bytes.clear();
    doc.save_to(&mut bytes).expect("saves");
    bytes
}

/// A font resource that refers to an object the file does not have.
pub fn missing_reference() -> Vec<u8> {
    let mut b = builder();
    let mut missing = b.reserve();
    missing.0 += 1000;
    b.resource("Font", "F2", missing);
    b.page(format!("{SHOW_TEXT}BT /F2 12 Tf 72 700 Td (lost) Tj ET\n").as_bytes())
}

/// An /XObject entry that is a number, not a stream.
pub fn xobject_wrong_type() -> Vec<u8> {
    let mut b = builder();
    let number = b.add(Object::Integer(7));
    b.xobject("X1", number);
    b.page(format!("{SHOW_TEXT}/X1 Do\n").as_bytes())
}

/// `re` with three operands.
pub fn re_three_operands() -> Vec<u8> {
    builder().page(format!("{SHOW_TEXT}10 20 30 re f\n").as_bytes())
}

/// A font `/F2` whose ToUnicode CMap is `cmap`, showing `<0001>`.
fn to_unicode_page(cmap: &str) -> Vec<u8> {
    let mut b = builder();
    let to_unicode = b.stream(dictionary! {}, cmap.as_bytes().to_vec());
    let font = b.type0_font(
        Object::Name(b"Identity-H".to_vec()),
        Some(Object::Reference(to_unicode)),
        None,
    );
    b.font("F2", font);
    b.page(format!("{SHOW_TEXT}BT /F2 12 Tf 72 700 Td <0001> Tj ET\n").as_bytes())
}

/// A ToUnicode CMap whose bfchar count is more than its entries.
pub fn to_unicode_bfchar_short() -> Vec<u8> {
    to_unicode_page("1 begincodespacerange <0000> <FFFF> endcodespacerange\n2 beginbfchar <0001> <0041> endbfchar\n")
}

/// A ToUnicode CMap whose bfrange entry is missing its destination.
pub fn to_unicode_bfrange_short() -> Vec<u8> {
    to_unicode_page(
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0001> <0002>",
    )
}

/// A ToUnicode CMap that stops inside a hex string.
pub fn to_unicode_unterminated() -> Vec<u8> {
    to_unicode_page("1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfchar <0001")
}

/// An /ExtGState whose /Type is not ExtGState.
pub fn ext_gstate_wrong_type() -> Vec<u8> {
    let mut b = builder();
    b.resource(
        "ExtGState",
        "G1",
        dictionary! { "Type" => "Font", "LW" => 2 },
    );
    b.page(format!("/G1 gs\n{SHOW_TEXT}").as_bytes())
}

/// A TJ array nested 10,000 deep between two good text objects.
pub fn tj_nested_deep() -> Vec<u8> {
    let depth = 10_000;
    let content = format!(
        "{SHOW_TEXT}BT /F1 12 Tf 72 700 Td {}(deep){} TJ ET\nBT /F1 12 Tf 72 680 Td (after) Tj ET\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    builder().page(content.as_bytes())
}

/// A font resource that is a reference to a reference to it (1 → 2 → 1).
pub fn reference_cycle() -> Vec<u8> {
    let mut b = builder();
    let (one, two) = (b.reserve(), b.reserve());
    b.set(one, Object::Reference(two));
    b.set(two, Object::Reference(one));
    b.resource("Font", "F2", one);
    b.page(format!("{SHOW_TEXT}BT /F2 12 Tf 72 700 Td (lost) Tj ET\n").as_bytes())
}

/// A page with no MediaBox (nor any to inherit).
pub fn media_box_missing() -> Vec<u8> {
    builder().page_with(
        vec![Stream::new(dictionary! {}, SHOW_TEXT.as_bytes().to_vec())],
        |_, page| {
            page.remove(b"MediaBox");
        },
    )
}

/// A page whose MediaBox has three numbers.
pub fn media_box_short() -> Vec<u8> {
    builder().page_with(
        vec![Stream::new(dictionary! {}, SHOW_TEXT.as_bytes().to_vec())],
        |_, page| {
            page.set("MediaBox", vec![0.into(), 0.into(), 595.into()]);
        },
    )
}

/// A content stream whose /Length runs past the end of the file: the
/// stream is the file's last object, its data 100–999 bytes, its /Length
/// rewritten to 999 (same digits, so no offset moves).
pub fn length_past_end() -> Vec<u8> {
    let mut content = SHOW_TEXT.to_string();
    while content.len() < 100 {
        content.push(' ');
    }
    content.push('\n');
    let length = content.len();
    let bytes = builder().page_with(Vec::new(), |doc, page| {
        let id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        page.set("Contents", id);
    });
    // The content stream was added last, so it is written last.
    let from = format!("/Length {length}>>");
    let at = bytes
        .windows(from.len())
        .rposition(|w| w == from.as_bytes())
        .expect("the content stream's length");
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(b"/Length 999>>");
    out.extend_from_slice(&bytes[at + from.len()..]);
    out
}

/// Every case, by name, at full size (some are hundreds of megabytes
/// inflated, a few kilobytes on disk).
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("form-draws-itself", form_draws_itself()),
        ("forms-draw-each-other", forms_draw_each_other()),
        ("form-chain-10000", form_chain(10_000)),
        ("forms-fan-out-6x10", forms_fan_out(6, 10)),
        (
            "streams-20x60MiB-operators",
            big_streams(20, 60 << 20, "q Q "),
        ),
        ("streams-20x60MiB-blank", big_streams(20, 60 << 20, " ")),
        ("operators-10-million", many_operators(10_000_000)),
        ("glyphs-5-million", many_glyphs(5_000_000)),
        ("w-huge-range", w_huge_range()),
        ("w-200000-ranges", w_many_ranges()),
        ("parent-loop", parent_loop()),
        ("kids-loop", kids_loop()),
        ("missing-reference", missing_reference()),
        ("xobject-wrong-type", xobject_wrong_type()),
        ("re-three-operands", re_three_operands()),
        ("to-unicode-bfchar-short", to_unicode_bfchar_short()),
        ("to-unicode-bfrange-short", to_unicode_bfrange_short()),
        ("to-unicode-unterminated", to_unicode_unterminated()),
        ("ext-gstate-wrong-type", ext_gstate_wrong_type()),
        ("tj-nested-10000", tj_nested_deep()),
        ("reference-cycle", reference_cycle()),
        ("media-box-missing", media_box_missing()),
        ("media-box-short", media_box_short()),
        ("length-past-end", length_past_end()),
    ]
}
