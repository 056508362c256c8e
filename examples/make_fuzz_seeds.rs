//! Writes the seed PDFs of the `pdf` fuzz target into the folder given
//! (`fuzz/seed.sh` calls it with `fuzz/corpus/pdf`):
//! - small PDFs built as the tests build theirs (`tests/common/build_pdf.rs`),
//!   each using one feature of the parser: a ToUnicode CMap, `TJ` arrays, a
//!   width table, an embedded CMap, the predefined Japanese CMaps, a simple
//!   font with `/Differences`, forms, images, marked content, quote
//!   operators, table rules, a compressed stream, a page tree with inherited
//!   resources;
//! - the first page of each fixture PDF, its streams inflated and its font
//!   and glyph programs left out (keikaku reads no glyph outlines), if it
//!   is then no longer than the fuzzer's inputs may be.
//!
//! The fixture PDFs as they are (100–800 KB, compressed) would make slow
//! seeds whose every mutation lands in deflated bytes; these are a few KB,
//! in plain PDF syntax that the fuzzer's mutations and its dictionary
//! (`fuzz/pdf.dict`) can work on.
//!
//! Run with `cargo run --example make_fuzz_seeds -- DIR`.

// Shared with the tests, which use more of the builder than the seeds do.
#[path = "../tests/common/build_pdf.rs"]
#[allow(dead_code)]
mod build_pdf;

use build_pdf::{codes_in, PdfBuilder};
use lopdf::{dictionary, Object, Stream};
use std::path::{Path, PathBuf};

/// The characters of the built pages' text: enough for plan headings,
/// markers and a table row.
const ALPHABET: &str =
    " 基本目標方針施策1234５(1)①②地域で支え合うづくり見守り活動の推進ケア課項目担当○△年度実績";

/// The fuzzer's largest input (`-max_len` in `fuzz/run.sh`): a longer seed
/// would be cut short. Chromium's pages with their many Type3 fonts are
/// mostly over it; one of them (60 KB) is kept.
const MAX_SEED_BYTES: usize = 64 << 10;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: make_fuzz_seeds OUTPUT_DIR"),
    );
    std::fs::create_dir_all(&out).expect("create the output folder");
    let mut written = 0;
    for (name, pdf) in built_pdfs() {
        std::fs::write(out.join(format!("{name}.pdf")), pdf).expect("write a seed");
        written += 1;
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf");
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures/pdf")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    paths.sort();
    for path in paths {
        let Some(pdf) = first_page(&path).filter(|pdf| pdf.len() <= MAX_SEED_BYTES) else {
            continue;
        };
        let stem = path.file_stem().unwrap().to_string_lossy();
        std::fs::write(out.join(format!("{stem}.page1.pdf")), pdf).expect("write a seed");
        written += 1;
    }
    eprintln!("make_fuzz_seeds: {written} PDFs in {}", out.display());
}

/// `text` in the codes of the built pages' font.
fn codes(text: &str) -> String {
    codes_in(ALPHABET, text)
}

/// The small PDFs, each with a name saying what it exercises.
fn built_pdfs() -> Vec<(&'static str, Vec<u8>)> {
    let mut pdfs = Vec::new();

    // A plan's headings and a ruled table row, with Tj, TJ (with kerning)
    // and TD/T* moves, through an Identity-H font and its ToUnicode CMap.
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", ALPHABET);
    let content = format!(
        "0 g 50 700 300 0.5 re f 50 640 300 0.5 re f 0 G 0.5 w 50 640 0.5 60 re B 200 640 0.5 60 re B \
         BT /F1 12 Tf 14 TL 72 760 Td {} Tj T* [{} -250 {}] TJ 0 -20 TD {} Tj ET \
         BT /F1 10 Tf 52 680 Td {} Tj 150 0 Td {} Tj ET BT /F1 10 Tf 52 660 Td {} Tj 150 0 Td {} Tj ET",
        codes("基本目標1 地域で支え合う"),
        codes("基本方針"),
        codes("(1)見守り活動の推進"),
        codes("①地域づくり"),
        codes("項目"),
        codes("担当"),
        codes("見守り活動"),
        codes("地域ケア課"),
    );
    pdfs.push(("headings-and-table", builder.page(content.as_bytes())));

    // The same text in a compressed content stream (FlateDecode).
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", ALPHABET);
    let mut stream = Stream::new(
        dictionary! {},
        format!("BT /F1 10 Tf 72 700 Td {} Tj ET", codes("基本施策2")).into_bytes(),
    );
    stream.compress().expect("deflate");
    builder.form_stream("Fx", stream);
    pdfs.push(("compressed-form", builder.page(b"/Fx Do")));

    // A width table in both of its forms over an embedded CMap with a CID
    // range.
    let mut builder = PdfBuilder::new();
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                /CMapName /KeikakuSeed-H def /CMapType 1 def\n\
                1 begincodespacerange <00> <FF> endcodespacerange\n\
                1 begincidrange <20> <7E> 1 endcidrange\n\
                1 begincidchar <80> 200 endcidchar\n\
                endcmap CMapName currentdict /CMap defineresource pop end end\n";
    let encoding = Object::Reference(builder.stream(dictionary! {"Type" => "CMap"}, cmap));
    let letters = [(0x21, "A"), (0x22, "B"), (0x23, "C"), (0x24, "計")];
    let to_unicode = builder.unicode_cmap(1, &letters);
    let widths = vec![
        0.into(),
        vec![Object::Integer(1000), Object::Integer(500)].into(),
        2.into(),
        4.into(),
        500.into(),
    ];
    let font = builder.type0_font(encoding, Some(to_unicode), Some(widths));
    builder.font("F1", font);
    pdfs.push((
        "widths-and-cidrange",
        builder.page(b"BT /F1 10 Tf 100 700 Td <21222324> Tj 0 -12 Td (!\"#$) Tj ET"),
    ));

    // The predefined CMaps of fonts that are not embedded: Shift_JIS,
    // EUC-JP and UTF-16, no ToUnicode.
    let line = "基本目標1 地域で支え合う";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(line);
    let (euc, _, _) = encoding_rs::EUC_JP.encode(line);
    let utf16: Vec<u8> = line.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, cmap, bytes) in [
        ("cmap-90ms-rksj", "90ms-RKSJ-H", sjis.into_owned()),
        ("cmap-euc", "EUC-H", euc.into_owned()),
        ("cmap-unijis-ucs2", "UniJIS-UCS2-H", utf16),
    ] {
        let mut builder = PdfBuilder::new();
        let font = builder.type0_font(Object::Name(cmap.into()), None, None);
        builder.font("F1", font);
        pdfs.push((
            name,
            builder.page(format!("BT /F1 10 Tf 72 700 Td {} Tj ET", hex(&bytes)).as_bytes()),
        ));
    }

    // A simple font: WinAnsi with /Differences and a /Widths array, shown
    // with the quote operators.
    let mut builder = PdfBuilder::new();
    builder.font(
        "F2",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "FirstChar" => 32, "LastChar" => 126,
            "Widths" => (32..=126).map(|_| Object::Integer(556)).collect::<Vec<_>>(),
            "Encoding" => dictionary! {
                "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), Object::Name(b"B".to_vec()), Object::Name(b"bullet".to_vec())],
            },
        },
    );
    pdfs.push((
        "simple-font-quotes",
        builder.page(
            b"BT /F2 10 Tf 12 TL 72 760 Td (Plan 2024) Tj (AB line) ' 1 0 (third \\(3\\)) \" ET",
        ),
    ));

    // A form placed by its matrix and the page's `cm`, an image, and
    // marked content giving replacement text.
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", ALPHABET);
    builder.form(
        "Fm0",
        [1.0, 0.0, 0.0, 1.0, 0.0, 30.0],
        &format!("BT /F1 10 Tf 72 100 Td {} Tj ET", codes("実績○")),
    );
    builder.image("Im0", 2, 2, vec![0, 255, 255, 0]);
    let utf16: String = "支".encode_utf16().map(|u| format!("{u:04X}")).collect();
    let content = format!(
        "BT /F1 10 Tf 72 760 Td /Span <</ActualText <FEFF{utf16}>>> BDC {} Tj EMC {} Tj ET \
         q 1 0 0 1 0 600 cm /Fm0 Do Q q 20 0 0 20 300 300 cm /Im0 Do Q",
        codes("ケ"),
        codes("年度"),
    );
    pdfs.push(("form-image-actualtext", builder.page(content.as_bytes())));

    pdfs.push(("page-tree", page_tree()));
    pdfs
}

/// Two pages under a nested page tree, the font inherited from the root
/// node's resources, the second page rotated.
fn page_tree() -> Vec<u8> {
    let mut builder = PdfBuilder::new();
    builder.alphabet_font("F1", ALPHABET);
    // A page built the usual way gives the font dictionary to borrow.
    let donor = lopdf::Document::load_mem(&builder.page(b"")).expect("a built PDF");
    let font_id = *donor
        .objects
        .iter()
        .find(|(_, object)| {
            object
                .as_dict()
                .and_then(|dict| dict.get(b"Subtype"))
                .and_then(Object::as_name)
                .is_ok_and(|subtype| subtype == b"Type0")
        })
        .expect("the font")
        .0;
    let mut doc = donor;
    let root_id = doc.new_object_id();
    let node_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (n, text) in [(1, "基本目標1"), (2, "基本方針")] {
        let content = doc.add_object(Stream::new(
            dictionary! {},
            format!("BT /F1 10 Tf 72 700 Td {} Tj ET", codes(text)).into_bytes(),
        ));
        let mut page = dictionary! { "Type" => "Page", "Parent" => node_id, "Contents" => content };
        if n == 2 {
            page.set("Rotate", 90);
        }
        kids.push(Object::Reference(doc.add_object(page)));
    }
    doc.objects.insert(
        node_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Parent" => root_id, "Kids" => kids, "Count" => 2,
        }),
    );
    doc.objects.insert(
        root_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![Object::Reference(node_id)], "Count" => 2,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => root_id });
    doc.trailer.set("Root", catalog);
    doc.prune_objects();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

/// The first page of the PDF at `path`, streams inflated, font programs
/// left out; `None` for one that cannot be read without a password.
fn first_page(path: &Path) -> Option<Vec<u8>> {
    let mut doc = lopdf::Document::load(path).ok()?;
    if doc.is_encrypted() {
        return None;
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().skip(1).collect();
    doc.delete_pages(&pages);
    for object in doc.objects.values_mut() {
        if let Ok(descriptor) = object.as_dict_mut() {
            for program in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                descriptor.remove(program);
            }
        }
    }
    // Chromium's fonts are Type3, a glyph program (a content stream) per
    // character: keikaku runs none of them, and they would make most of
    // the seed's bytes.
    let glyph_programs: Vec<lopdf::ObjectId> = doc
        .objects
        .values()
        .filter_map(|object| {
            object
                .as_dict()
                .ok()?
                .get(b"CharProcs")
                .ok()?
                .as_dict()
                .ok()
        })
        .flat_map(|procs| procs.iter().filter_map(|(_, p)| p.as_reference().ok()))
        .collect();
    for id in glyph_programs {
        if let Ok(Object::Stream(program)) = doc.get_object_mut(id) {
            program.set_plain_content(b"0 0 d0".to_vec());
        }
    }
    doc.prune_objects();
    doc.decompress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).ok()?;
    Some(bytes)
}

/// `bytes` as a PDF hex string.
fn hex(bytes: &[u8]) -> String {
    let digits: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("<{digits}>")
}
