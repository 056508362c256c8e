// keikaku: upstream code is kept as it is apart from the patches of
// PATCHES.md; its own lint warnings are silenced rather than edited, and
// rustfmt leaves it alone so that it stays comparable with upstream.
#![allow(warnings, clippy::all)]
#![cfg_attr(rustfmt, rustfmt::skip)]
// keikaku: nothing a file holds may panic the parser: a malformed value is
// skipped or read as its default (as pdf.js does), a damaged part of a page
// reported through `OutputDev::problem`.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unimplemented, clippy::todo, clippy::unreachable)]

extern crate lopdf;

use adobe_cmap_parser::{ByteMapping, CodeRange, CIDRange};
use encoding_rs::UTF_16BE;
use lopdf::content::Content;
pub use lopdf::*;
use euclid::*;
use lopdf::encryption::DecryptionError;
use std::fmt::{Debug, Formatter};
extern crate encoding_rs;
extern crate euclid;
extern crate adobe_cmap_parser;
extern crate type1_encoding_parser;
extern crate unicode_normalization;
use euclid::vec2;
use unicode_normalization::UnicodeNormalization;
use std::fmt;
use std::str;
use std::fs::File;
use std::slice::Iter;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::rc::Rc;
use std::marker::PhantomData;
use std::result::Result;
use log::{warn, error, debug};
// keikaku: upstream modules, left unformatted like the rest of upstream.
#[rustfmt::skip]
mod core_fonts;
#[rustfmt::skip]
mod glyphnames;
#[rustfmt::skip]
mod zapfglyphnames;
#[rustfmt::skip]
mod encodings;
// keikaku patch 3: predefined CJK CMaps.
mod predefined_cmap;
use predefined_cmap::PredefinedCMap;
// keikaku patches 11–13: bounded work on hostile files.
mod budget;
mod pieces;
mod widths;
pub use budget::{Budget, Exceeded, Limit};
use budget::Meter;
use widths::CidWidths;

pub struct Space;
pub type Transform = Transform2D<f64, Space, Space>;

#[derive(Debug)]
pub enum OutputError
{
    FormatError(std::fmt::Error),
    IoError(std::io::Error),
    PdfError(lopdf::Error),
    /// keikaku patch 10: a stream inflates past the limits (a decompression
    /// bomb); it was not inflated further.
    LimitExceeded(String),
    /// keikaku patch 12: the document went past a limit of its [`Budget`]
    /// (patch 10's caps are among them).
    Budget(Exceeded),
}

impl std::fmt::Display for OutputError
{
    fn fmt(&self, f: &mut Formatter<'_>) -> Result<(), std::fmt::Error> {
        match self {
            OutputError::FormatError(e) => write!(f, "Formating error: {}", e),
            OutputError::IoError(e) => write!(f, "IO error: {}", e),
            OutputError::PdfError(e) => write!(f, "PDF error: {}", e),
            OutputError::LimitExceeded(e) => write!(f, "{}", e),
            OutputError::Budget(e) => write!(f, "{}", e),
        }
    }
}

impl std::error::Error for OutputError{}

impl From<std::fmt::Error> for OutputError {
    fn from(e: std::fmt::Error) -> Self {
        OutputError::FormatError(e)
    }
}

impl From<std::io::Error> for OutputError {
    fn from(e: std::io::Error) -> Self {
        OutputError::IoError(e)
    }
}

impl From<lopdf::Error> for OutputError {
    fn from(e: lopdf::Error) -> Self {
        OutputError::PdfError(e)
    }
}

macro_rules! dlog {
    ($($e:expr),*) => { {} }
    //($($t:tt)*) => { println!($($t)*) }
}

fn get_info(doc: &Document) -> Option<&Dictionary> {
    match doc.trailer.get(b"Info") {
        Ok(&Object::Reference(ref id)) => {
            match doc.get_object(*id) {
                Ok(&Object::Dictionary(ref info)) => { return Some(info); }
                _ => {}
            }
        }
        _ => {}
    }
    None
}

// keikaku: None instead of a panic when the file has no catalog.
fn get_catalog(doc: &Document) -> Option<&Dictionary> {
    doc.catalog().ok()
}

fn get_pages(doc: &Document) -> Option<&Dictionary> {
    let catalog = get_catalog(doc)?;
    maybe_get(doc, catalog, b"Pages")
}

#[allow(non_upper_case_globals)]
const PDFDocEncoding: &'static [u16] = &[
    0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008,
    0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011,
    0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017, 0x02d8, 0x02c7, 0x02c6,
    0x02d9, 0x02dd, 0x02db, 0x02da, 0x02dc, 0x0020, 0x0021, 0x0022, 0x0023,
    0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c,
    0x002d, 0x002e, 0x002f, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035,
    0x0036, 0x0037, 0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e,
    0x003f, 0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
    0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f, 0x0050,
    0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059,
    0x005a, 0x005b, 0x005c, 0x005d, 0x005e, 0x005f, 0x0060, 0x0061, 0x0062,
    0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006a, 0x006b,
    0x006c, 0x006d, 0x006e, 0x006f, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074,
    0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007a, 0x007b, 0x007c, 0x007d,
    0x007e, 0x0000, 0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192,
    0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c, 0x201d, 0x2018,
    0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160, 0x0178,
    0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0x0000, 0x20ac, 0x00a1,
    0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7, 0x00a8, 0x00a9, 0x00aa,
    0x00ab, 0x00ac, 0x0000, 0x00ae, 0x00af, 0x00b0, 0x00b1, 0x00b2, 0x00b3,
    0x00b4, 0x00b5, 0x00b6, 0x00b7, 0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc,
    0x00bd, 0x00be, 0x00bf, 0x00c0, 0x00c1, 0x00c2, 0x00c3, 0x00c4, 0x00c5,
    0x00c6, 0x00c7, 0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce,
    0x00cf, 0x00d0, 0x00d1, 0x00d2, 0x00d3, 0x00d4, 0x00d5, 0x00d6, 0x00d7,
    0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x00dd, 0x00de, 0x00df, 0x00e0,
    0x00e1, 0x00e2, 0x00e3, 0x00e4, 0x00e5, 0x00e6, 0x00e7, 0x00e8, 0x00e9,
    0x00ea, 0x00eb, 0x00ec, 0x00ed, 0x00ee, 0x00ef, 0x00f0, 0x00f1, 0x00f2,
    0x00f3, 0x00f4, 0x00f5, 0x00f6, 0x00f7, 0x00f8, 0x00f9, 0x00fa, 0x00fb,
    0x00fc, 0x00fd, 0x00fe, 0x00ff];

fn pdf_to_utf8(s: &[u8]) -> String {
    to_utf8(PDFDocEncoding, s)
}

// keikaku: bad UTF-16 is decoded with U+FFFD (upstream unwrapped the
// decoding and panicked), and a code past the end of a short encoding table
// is U+0000, as codes the table leaves out are.
fn to_utf8(encoding: &[u16], s: &[u8]) -> String {
    if let Some(utf16) = s.strip_prefix(&[0xfe, 0xff]).filter(|rest| !rest.is_empty()) {
        return UTF_16BE.decode_without_bom_handling(utf16).0.into_owned()
    } else {
        let r : Vec<u8> = s.iter().map(|x| *x).flat_map(|x| {
            let k = encoding.get(x as usize).copied().unwrap_or(0);
            vec![(k>>8) as u8, k as u8].into_iter()}).collect();
        return UTF_16BE.decode_without_bom_handling(&r).0.into_owned()
    }
}

/// keikaku: what a reference to no object (or a chain of references that
/// loops) stands for: null, as PDF 32000-1 §7.3.10 says of a reference to
/// an object that does not exist. Upstream panicked.
static NULL: Object = Object::Null;

fn maybe_deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        &Object::Reference(r) => doc.get_object(r).unwrap_or(&NULL),
        _ => o
    }
}

fn maybe_get_obj<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).map(|o| maybe_deref(doc, o)).ok()
}

// an intermediate trait that can be used to chain conversions that may have failed
trait FromOptObj<'a> {
    fn from_opt_obj(doc: &'a Document, obj: Option<&'a Object>, key: &[u8]) -> Self;
}

// conditionally convert to Self returns None if the conversion failed
trait FromObj<'a> where Self: std::marker::Sized {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self>;
}

impl<'a, T: FromObj<'a>> FromOptObj<'a> for Option<T> {
    fn from_opt_obj(doc: &'a Document, obj: Option<&'a Object>, _key: &[u8]) -> Self {
        obj.and_then(|x| T::from_obj(doc,x))
    }
}

// keikaku: upstream also converted to a plain `T`, panicking when the key
// was missing or of the wrong type; every caller now asks for an Option and
// does without the value.

// we follow the same conventions as pdfium for when to support indirect objects:
// on arrays, streams and dicts
// keikaku: an element of the wrong type makes the whole array unreadable
// (None) instead of panicking.
impl<'a, T: FromObj<'a>> FromObj<'a> for Vec<T> {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self> {
        maybe_deref(doc, obj).as_array().ok()?.iter()
            .map(|x| T::from_obj(doc, x))
            .collect()
    }
}

// keikaku: None unless the array has exactly N elements of the right type
// (upstream panicked).
impl<'a, T: FromObj<'a>, const N: usize> FromObj<'a> for [T; N] {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<Self> {
        let all: Vec<T> = FromObj::from_obj(doc, obj)?;
        std::convert::TryInto::try_into(all).ok()
    }
}

impl<'a> FromObj<'a> for f64 {
    fn from_obj(_doc: &Document, obj: &Object) -> Option<Self> {
        match obj {
            &Object::Integer(i) => Some(i as f64),
            &Object::Real(f) => Some(f.into()),
            _ => None
        }
    }
}

impl<'a> FromObj<'a> for i64 {
    fn from_obj(_doc: &Document, obj: &Object) -> Option<Self> {
        match obj {
            &Object::Integer(i) => Some(i),
            _ => None
        }
    }
}

impl<'a> FromObj<'a> for &'a Dictionary {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
        maybe_deref(doc, obj).as_dict().ok()
    }
}

impl<'a> FromObj<'a> for &'a Stream {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Stream> {
        maybe_deref(doc, obj).as_stream().ok()
    }
}

impl<'a> FromObj<'a> for &'a Object {
    fn from_obj(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
        Some(maybe_deref(doc, obj))
    }
}

fn get<'a, T: FromOptObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> T {
    T::from_opt_obj(doc, dict.get(key).ok(), key)
}

fn maybe_get<'a, T: FromObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<T> {
    maybe_get_obj(doc, dict, key).and_then(|o| T::from_obj(doc, o))
}

// keikaku: empty when missing or not a name (upstream panicked).
fn get_name_string<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> String {
    maybe_get_name(doc, dict, key).map(pdf_to_utf8).unwrap_or_default()
}

#[allow(dead_code)]
fn maybe_get_name_string<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<String> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_name().ok()).map(|n| pdf_to_utf8(n))
}

fn maybe_get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_name().ok())
}

fn maybe_get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    maybe_get_obj(doc, dict, key).and_then(|n| n.as_array().ok())
}

#[derive(Clone)]
struct PdfSimpleFont<'a> {
    font: &'a Dictionary,
    doc: &'a Document,
    encoding: Option<Vec<u16>>,
    unicode_map: Option<HashMap<u32, String>>,
    widths: HashMap<CharCode, f64>, // should probably just use i32 here
    missing_width: f64,
}

#[derive(Clone)]
struct PdfType3Font<'a> {
    font: &'a Dictionary,
    doc: &'a Document,
    encoding: Option<Vec<u16>>,
    unicode_map: Option<HashMap<CharCode, String>>,
    widths: HashMap<CharCode, f64>, // should probably just use i32 here
}


/// keikaku: what reading a font needs besides the file: the budget its
/// streams are inflated against, and where to say what could not be read.
struct Cx<'m, 'b> {
    meter: &'m Meter<'b>,
    problems: Vec<String>,
}

fn make_font<'a>(doc: &'a Document, font: &'a Dictionary, cx: &mut Cx) -> Rc<dyn PdfFont + 'a> {
    let subtype = get_name_string(doc, font, b"Subtype");
    dlog!("MakeFont({})", subtype);
    if subtype == "Type0" {
        Rc::new(PdfCIDFont::new(doc, font, cx))
    } else if subtype == "Type3" {
        Rc::new(PdfType3Font::new(doc, font, cx))
    } else {
        Rc::new(PdfSimpleFont::new(doc, font, cx))
    }
}

fn is_core_font(name: &str) -> bool {
    match name {
        "Courier-Bold" |
        "Courier-BoldOblique" |
        "Courier-Oblique" |
        "Courier" |
        "Helvetica-Bold" |
        "Helvetica-BoldOblique" |
        "Helvetica-Oblique" |
        "Helvetica" |
        "Symbol" |
        "Times-Bold" |
        "Times-BoldItalic" |
        "Times-Italic" |
        "Times-Roman" |
        "ZapfDingbats" => true,
        _ => false,
    }
}

// keikaku: an encoding name the spec does not define (StandardEncoding is
// often written though it is not a base encoding) is read as
// StandardEncoding, the font's built-in encoding, as pdf.js does; upstream
// panicked.
fn encoding_to_unicode_table(name: &[u8]) -> Vec<u16> {
    let encoding = match &name[..] {
        b"MacRomanEncoding" => encodings::MAC_ROMAN_ENCODING,
        b"MacExpertEncoding" => encodings::MAC_EXPERT_ENCODING,
        b"WinAnsiEncoding" => encodings::WIN_ANSI_ENCODING,
        _ => encodings::STANDARD_ENCODING,
    };
    names_to_unicode(&encoding)
}

/// keikaku: the Unicode table of an encoding's glyph names (0 where a name
/// has no Unicode value).
fn names_to_unicode(encoding: &[Option<&str>]) -> Vec<u16> {
    encoding.iter()
        .map(|x| x.and_then(glyphnames::name_to_unicode).unwrap_or(0))
        .collect()
}

/// keikaku: sets `table[code]` if the code is in the table (a code from the
/// file may be anything).
fn set_code(table: &mut [u16], code: i64, unicode: u16) {
    if let Some(slot) = <usize as std::convert::TryFrom<i64>>::try_from(code).ok().and_then(|c| table.get_mut(c)) {
        *slot = unicode;
    }
}

/* "Glyphs in the font are selected by single-byte character codes obtained from a string that
    is shown by the text-showing operators. Logically, these codes index into a table of 256
    glyphs; the mapping from codes to glyphs is called the font’s encoding. Each font program
    has a built-in encoding. Under some circumstances, the encoding can be altered by means
    described in Section 5.5.5, “Character Encoding.”
*/
impl<'a> PdfSimpleFont<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cx: &mut Cx) -> PdfSimpleFont<'a> {
        let base_name = get_name_string(doc, font, b"BaseFont");
        let subtype = get_name_string(doc, font, b"Subtype");

        let encoding: Option<&Object> = get(doc, font, b"Encoding");
        dlog!("base_name {} {} enc:{:?} {:?}", base_name, subtype, encoding, font);
        let descriptor: Option<&Dictionary> = get(doc, font, b"FontDescriptor");
        let mut type1_encoding = None;
        let mut unicode_map = None;
        if let Some(descriptor) = descriptor {
            dlog!("descriptor {:?}", descriptor);
            if subtype == "Type1" {
                let file = maybe_get_obj(doc, descriptor, b"FontFile");
                match file {
                    Some(&Object::Stream(ref s)) => {
                        let s = get_contents(s, cx.meter);
                        //dlog!("font contents {:?}", pdf_to_utf8(&s));
                        // keikaku: a font program whose encoding cannot be
                        // read is used without it (upstream panicked).
                        type1_encoding = type1_encoding_parser::get_encoding_map(&s).ok();
                    }
                    _ => { dlog!("font file {:?}", file) }
                }
            } else if subtype == "TrueType" {
                let file = maybe_get_obj(doc, descriptor, b"FontFile2");
                match file {
                    Some(&Object::Stream(_)) => {
                        // keikaku patch 10: the font program was inflated
                        // here and never used; it no longer is.
                    }
                    _ => { dlog!("font file {:?}", file) }
                }
            }

            let font_file3 = get::<Option<&Object>>(doc, descriptor, b"FontFile3");
            match font_file3 {
                Some(&Object::Stream(ref s)) => {
                    let subtype = get_name_string(doc, &s.dict, b"Subtype");
                    dlog!("font file {}, {:?}", subtype, s);
                    let s = get_contents(s, cx.meter);
                    // keikaku: a CFF program that does not parse gives no
                    // map (upstream panicked).
                    if let (true, Some(table)) = (subtype == "Type1C", cff_parser::Table::parse(&s)) {
                        //use std::io::Write;
                        //File::create(format!("/tmp/{}", base_name)).unwrap().write_all(&s);
                        
                        let encoding = table.encoding.get_code_to_sid_table(&table.charset);

                        let mapping: HashMap<u32, String> = encoding.into_iter().filter_map(|(cid, sid)| {
                            let name = cff_parser::string_by_id(&table, sid)?;
                            if name == ".notdef" {
                                return None;
                            }
                            let unicode = glyphnames::name_to_unicode(&name).or_else(|| {
                                zapfglyphnames::zapfdigbats_names_to_unicode(name)
                            });
                            let Some(unicode) = unicode else {
                                warn!("Couldn't find unicode for {}", name);
                                return None;
                            };
                            let str = String::from_utf16(&[unicode]).ok()?;
                            Some((cid as u32, str))
                        }).collect();
                        unicode_map = Some(mapping);
                    }

                    //
                    //File::create(format!("/tmp/{}", base_name)).unwrap().write_all(&s);
                }
                None => {}
                _ => { dlog!("unexpected") }
            }

            let charset = maybe_get_obj(doc, descriptor, b"CharSet");
            let _charset = match charset {
                Some(&Object::String(ref s, _)) => { Some(pdf_to_utf8(&s)) }
                _ => { None }
            };
            //dlog!("charset {:?}", charset);
        }

        let mut unicode_map = match unicode_map {
            Some(mut unicode_map) => {
                unicode_map.extend(get_unicode_map(doc, font, cx).unwrap_or(HashMap::new()));
                Some(unicode_map)
            }
            None => {
                get_unicode_map(doc, font, cx)
            }
        };


        let mut encoding_table = None;
        match encoding {
            Some(&Object::Name(ref encoding_name)) => {
                dlog!("encoding {:?}", pdf_to_utf8(encoding_name));
                encoding_table = Some(encoding_to_unicode_table(encoding_name));
            }
            Some(&Object::Dictionary(ref encoding)) => {
                //dlog!("Encoding {:?}", encoding);
                let mut table = if let Some(base_encoding) = maybe_get_name(doc, encoding, b"BaseEncoding") {
                    dlog!("BaseEncoding {:?}", base_encoding);
                    encoding_to_unicode_table(base_encoding)
                } else {
                    Vec::from(PDFDocEncoding)
                };
                let differences = maybe_get_array(doc, encoding, b"Differences");
                if let Some(differences) = differences {
                    dlog!("Differences");
                    let mut code = 0;
                    for o in differences {
                        let o = maybe_deref(doc, o);
                        match o {
                            &Object::Integer(i) => { code = i; },
                            &Object::Name(ref n) => {
                                let name = pdf_to_utf8(&n);
                                // XXX: names of Type1 fonts can map to arbitrary strings instead of real
                                // unicode names, so we should probably handle this differently
                                let unicode = glyphnames::name_to_unicode(&name);
                                if let Some(unicode) = unicode{
                                    set_code(&mut table, code, unicode);
                                    if let Some(ref mut unicode_map) = unicode_map {
                                        let be = [unicode];
                                        let named = String::from_utf16_lossy(&be);
                                        match unicode_map.entry(code as u32) {
                                            // If there's a unicode table entry missing use one based on the name
                                            Entry::Vacant(v) => { v.insert(named); }
                                            Entry::Occupied(e) => {
                                                if e.get() != &named {
                                                    let normal_match  = e.get().nfkc().eq(named.nfkc());
                                                    if !normal_match {
                                                        warn!("Unicode mismatch {} {} {:?} {:?} {:?}", normal_match, name, e.get(), String::from_utf16(&be), be);
                                                    }
                                                }
                                            }
                                        }
                                    }
                                } else {
                                    match unicode_map {
                                        Some(ref mut unicode_map) if base_name.contains("FontAwesome") => {
                                            // the fontawesome tex package will use glyph names that don't have a corresponding unicode
                                            // code point, so we'll use an empty string instead. See issue #76
                                            match unicode_map.entry(code as u32) {
                                                Entry::Vacant(v) => { v.insert("".to_owned()); }
                                                // keikaku: the map's own entry is kept (upstream panicked).
                                                Entry::Occupied(_) => {}
                                            }
                                        }
                                        _ => {
                                            warn!("unknown glyph name '{}' for font {}", name, base_name);
                                        }
                                    }
                                }
                                dlog!("{} = {} ({:?})", code, name, unicode);
                                if let Some(ref mut unicode_map) = unicode_map {
                                    // The unicode map might not have the code in it, but the code might
                                    // not be used so we don't want to panic here.
                                    // An example of this is the 'suppress' character in the TeX Latin Modern font.
                                    // This shows up in https://arxiv.org/pdf/2405.01295v1.pdf
                                    dlog!("{} {:?}", code, unicode_map.get(&(code as u32)));
                                }
                                code = code.saturating_add(1);
                            }
                            // keikaku: anything else is skipped (upstream panicked).
                            _ => { dlog!("wrong type {:?}", o); }
                        }
                    }
                }
                // "Type" is optional
                let name = encoding.get(b"Type").and_then(|x| x.as_name()).and_then(|x| Ok(pdf_to_utf8(x)));
                dlog!("name: {}", name);

                encoding_table = Some(table);
            }
            None => {
                if let Some(type1_encoding) = type1_encoding {
                    let mut table = Vec::from(PDFDocEncoding);
                    dlog!("type1encoding");
                    for (code, name) in type1_encoding {
                        let unicode = glyphnames::name_to_unicode(&pdf_to_utf8(&name));
                        if let Some(unicode) = unicode {
                            set_code(&mut table, code as i64, unicode);
                        } else {
                            dlog!("unknown character {}", pdf_to_utf8(&name));
                        }
                    }
                    encoding_table = Some(table)
                } else if subtype == "TrueType" {
                    encoding_table = Some(names_to_unicode(&encodings::WIN_ANSI_ENCODING));
                }
            }
            // keikaku: an Encoding of another type is ignored (upstream panicked).
            _ => { dlog!("unexpected encoding {:?}", encoding) }
        }

        let mut width_map = HashMap::new();
        /* "Ordinarily, a font dictionary that refers to one of the standard fonts
            should omit the FirstChar, LastChar, Widths, and FontDescriptor entries.
            However, it is permissible to override a standard font by including these
            entries and embedding the font program in the PDF file."

            Note: some PDFs include a descriptor but still don't include these entries */

        // If we have widths prefer them over the core font widths. Needed for https://dkp.de/wp-content/uploads/parteitage/Sozialismusvorstellungen-der-DKP.pdf
        if let (Some(first_char), Some(last_char), Some(widths)) = (maybe_get::<i64>(doc, font, b"FirstChar"), maybe_get::<i64>(doc, font, b"LastChar"), maybe_get::<Vec<f64>>(doc, font, b"Widths")) {
            // Some PDF's don't have these like fips-197.pdf
            let mut i: i64 = 0;
            dlog!("first_char {:?}, last_char: {:?}, widths: {} {:?}", first_char, last_char, widths.len(), widths);

            for w in widths {
                width_map.insert(first_char.saturating_add(i) as CharCode, w);
                i += 1;
            }
            // keikaku: upstream asserted that LastChar matched the widths
            // given; the widths are what counts.
        } else {
            let name = if is_core_font(&base_name) {
                &base_name
            } else {
                warn!("no widths and not core font {:?}", base_name);

                // This situation is handled differently by different readers
                // but basically we try to substitute the best font that we can.

                // Poppler/Xpdf:
                // this is technically an error -- the Widths entry is required
                // for all but the Base-14 fonts -- but certain PDF generators
                // apparently don't include widths for Arial and TimesNewRoman

                // Pdfium: CFX_FontMapper::FindSubstFont

                // mupdf: pdf_load_substitute_font

                // We can try to do a better job guessing at a font by looking at the flags
                // or the basename but for now we'll just use Helvetica
                "Helvetica"
            };
            for font_metrics in core_fonts::metrics().iter() {
                if font_metrics.0 == base_name {
                    if let Some(ref encoding) = encoding_table {
                        dlog!("has encoding");
                        for w in font_metrics.2 {
                            let c = glyphnames::name_to_unicode(w.2).unwrap_or(0);
                            for (i, e) in encoding.iter().enumerate() {
                                if *e == c {
                                    width_map.insert(i as CharCode, w.1 as f64);
                                }
                            }
                        }
                    } else {
                        // Instead of using the encoding from the core font we'll just look up all
                        // of the character names. We should probably verify that this produces the
                        // same result.

                        let mut table = vec![0; 256];
                        for w in font_metrics.2 {
                            dlog!("{} {}", w.0, w.2);
                            // -1 is "not encoded"
                            if w.0 != -1 {
                                let unicode = if base_name == "ZapfDingbats" {
                                    zapfglyphnames::zapfdigbats_names_to_unicode(w.2)
                                } else {
                                    glyphnames::name_to_unicode(w.2)
                                };
                                set_code(&mut table, w.0 as i64, unicode.unwrap_or(0));
                            }
                        }

                        let encoding = &table[..];
                        for w in font_metrics.2 {
                            width_map.insert(w.0 as CharCode, w.1 as f64);
                            // -1 is "not encoded"
                        }
                        encoding_table = Some(encoding.to_vec());
                    }
                    /* "Ordinarily, a font dictionary that refers to one of the standard fonts
                        should omit the FirstChar, LastChar, Widths, and FontDescriptor entries.
                        However, it is permissible to override a standard font by including these
                        entries and embedding the font program in the PDF file."

                        Note: some PDFs include a descriptor but still don't include these entries */
                    // assert!(maybe_get_obj(doc, font, b"FirstChar").is_none());
                    // assert!(maybe_get_obj(doc, font, b"LastChar").is_none());
                    // assert!(maybe_get_obj(doc, font, b"Widths").is_none());
                }
            }
        }

        let missing_width = get::<Option<f64>>(doc, font, b"MissingWidth").unwrap_or(0.);
        PdfSimpleFont {doc, font, widths: width_map, encoding: encoding_table, missing_width, unicode_map}
    }

    #[allow(dead_code)]
    fn get_type(&self) -> String {
        get_name_string(self.doc, self.font, b"Type")
    }
    #[allow(dead_code)]
    fn get_basefont(&self) -> String {
        get_name_string(self.doc, self.font, b"BaseFont")
    }
    #[allow(dead_code)]
    fn get_subtype(&self) -> String {
        get_name_string(self.doc, self.font, b"Subtype")
    }
    #[allow(dead_code)]
    fn get_widths(&self) -> Option<&Vec<Object>> {
        maybe_get_obj(self.doc, self.font, b"Widths").and_then(|widths| widths.as_array().ok())
    }
    /* For type1: This entry is obsolescent and its use is no longer recommended. (See
     * implementation note 42 in Appendix H.) */
    #[allow(dead_code)]
    fn get_name(&self) -> Option<String> {
        maybe_get_name_string(self.doc, self.font, b"Name")
    }

    #[allow(dead_code)]
    fn get_descriptor(&self) -> Option<PdfFontDescriptor> {
        maybe_get_obj(self.doc, self.font, b"FontDescriptor").and_then(|desc| desc.as_dict().ok()).map(|desc| PdfFontDescriptor{desc: desc, doc: self.doc})
    }
}



impl<'a> PdfType3Font<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cx: &mut Cx) -> PdfType3Font<'a> {

        let unicode_map = get_unicode_map(doc, font, cx);
        let encoding: Option<&Object> = get(doc, font, b"Encoding");

        let encoding_table;
        match encoding {
            Some(&Object::Name(ref encoding_name)) => {
                dlog!("encoding {:?}", pdf_to_utf8(encoding_name));
                encoding_table = Some(encoding_to_unicode_table(encoding_name));
            }
            Some(&Object::Dictionary(ref encoding)) => {
                //dlog!("Encoding {:?}", encoding);
                let mut table = if let Some(base_encoding) = maybe_get_name(doc, encoding, b"BaseEncoding") {
                    dlog!("BaseEncoding {:?}", base_encoding);
                    encoding_to_unicode_table(base_encoding)
                } else {
                    Vec::from(PDFDocEncoding)
                };
                let differences = maybe_get_array(doc, encoding, b"Differences");
                if let Some(differences) = differences {
                    dlog!("Differences");
                    let mut code = 0;
                    for o in differences {
                        match o {
                            &Object::Integer(i) => { code = i; },
                            &Object::Name(ref n) => {
                                let name = pdf_to_utf8(&n);
                                // XXX: names of Type1 fonts can map to arbitrary strings instead of real
                                // unicode names, so we should probably handle this differently
                                let unicode = glyphnames::name_to_unicode(&name);
                                if let Some(unicode) = unicode{
                                    set_code(&mut table, code, unicode);
                                }
                                dlog!("{} = {} ({:?})", code, name, unicode);
                                if let Some(ref unicode_map) = unicode_map {
                                    dlog!("{} {:?}", code, unicode_map.get(&(code as u32)));
                                }
                                code = code.saturating_add(1);
                            }
                            // keikaku: skipped (upstream panicked).
                            _ => { dlog!("wrong type"); }
                        }
                    }
                }
                let name_encoded = encoding.get(b"Type");
                if let Ok(Object::Name(name)) = name_encoded {
                    dlog!("name: {}", pdf_to_utf8(name));
                } else {
                    dlog!("name not found");
                }

                encoding_table = Some(table);
            }
            // keikaku: no encoding (upstream panicked, though the font's
            // ToUnicode may be enough).
            _ => { encoding_table = None; }
        }

        // keikaku: missing entries give no widths (upstream panicked).
        let first_char: i64 = get::<Option<i64>>(doc, font, b"FirstChar").unwrap_or(0);
        let last_char: i64 = get::<Option<i64>>(doc, font, b"LastChar").unwrap_or(0);
        let widths: Vec<f64> = get::<Option<Vec<f64>>>(doc, font, b"Widths").unwrap_or_default();

        let mut width_map = HashMap::new();

        let mut i = 0;
        dlog!("first_char {:?}, last_char: {:?}, widths: {} {:?}", first_char, last_char, widths.len(), widths);

        for w in widths {
            width_map.insert(first_char.saturating_add(i) as CharCode, w);
            i += 1;
        }
        PdfType3Font {doc, font, widths: width_map, encoding: encoding_table, unicode_map}
    }
}

type CharCode = u32;

struct PdfFontIter<'a>
{
    i: Iter<'a, u8>,
    font: &'a dyn PdfFont,
}

impl<'a> Iterator for PdfFontIter<'a> {
    type Item = (CharCode, u8);
    fn next(&mut self) -> Option<(CharCode, u8)> {
        self.font.next_char(&mut self.i)
    }
}

trait PdfFont : Debug {
    fn get_width(&self, id: CharCode) -> f64;
    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)>;
    fn decode_char(&self, char: CharCode) -> String;
    /// keikaku patch 17: a font written vertically (WMode 1: a `-V`
    /// CMap), whose glyphs advance down the page.
    fn is_vertical(&self) -> bool { false }

        /*fn char_codes<'a>(&'a self, chars: &'a [u8]) -> PdfFontIter {
            let p = self;
            PdfFontIter{i: chars.iter(), font: p as &PdfFont}
        }*/

}

impl<'a> dyn PdfFont + 'a {
    fn char_codes(&'a self, chars: &'a [u8]) -> PdfFontIter {
        PdfFontIter{i: chars.iter(), font: self}
    }
    fn decode(&self, chars: &[u8]) -> String {
        let strings = self.char_codes(chars).map(|x| self.decode_char(x.0)).collect::<Vec<_>>();
        strings.join("")
    }

}


impl<'a> PdfFont for PdfSimpleFont<'a> {
    fn get_width(&self, id: CharCode) -> f64 {
        let width = self.widths.get(&id);
        if let Some(width) = width {
            return *width;
        } else {
            let mut widths = self.widths.iter().collect::<Vec<_>>();
            widths.sort_by_key(|x| x.0);
            dlog!("missing width for {} len(widths) = {}, {:?} falling back to missing_width {:?}", id, self.widths.len(), widths, self.font);
            return self.missing_width;
        }
    }
    /*fn decode(&self, chars: &[u8]) -> String {
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        iter.next().map(|x| (*x as CharCode, 1))
    }
    fn decode_char(&self, char: CharCode) -> String {
        let slice = [char as u8];
        if let Some(ref unicode_map) = self.unicode_map {
            let s = unicode_map.get(&char);
            let s = match s {
                None => {
                    debug!("missing char {:?} in unicode map {:?} for {:?}", char, unicode_map, self.font);
                    // some pdf's like http://arxiv.org/pdf/2312.00064v1 are missing entries in their unicode map but do have
                    // entries in the encoding.
                    // keikaku: PDFDocEncoding when there is no encoding either (upstream panicked).
                    let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(PDFDocEncoding);
                    let s = to_utf8(encoding, &slice);
                    debug!("falling back to encoding {} -> {:?}", char, s);
                    s
                }
                Some(s) => { s.clone() }
            };
            return s
        }
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        //dlog!("char_code {:?} {:?}", char, self.encoding);
        let s = to_utf8(encoding, &slice);
        s
    }
}



impl<'a> fmt::Debug for PdfSimpleFont<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}

impl<'a> PdfFont for PdfType3Font<'a> {
    fn get_width(&self, id: CharCode) -> f64 {
        let width = self.widths.get(&id);
        if let Some(width) = width {
            return *width;
        } else {
            // keikaku: no advance (upstream panicked).
            dlog!("missing width for {} {:?}", id, self.font);
            return 0.;
        }
    }
    /*fn decode(&self, chars: &[u8]) -> String {
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        iter.next().map(|x| (*x as CharCode, 1))
    }
    fn decode_char(&self, char: CharCode) -> String {
        let slice = [char as u8];
        if let Some(ref unicode_map) = self.unicode_map {
            let s = unicode_map.get(&char);
            let s = match s {
                None => {
                    debug!("missing char {:?} in unicode map {:?} for {:?}", char, unicode_map, self.font);
                    // some pdf's like http://arxiv.org/pdf/2312.00577v1 are missing entries in their unicode map but do have
                    // entries in the encoding.
                    // keikaku: PDFDocEncoding when there is no encoding either (upstream panicked).
                    let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(PDFDocEncoding);
                    let s = to_utf8(encoding, &slice);
                    debug!("falling back to encoding {} -> {:?}", char, s);
                    s
                }
                Some(s) => { s.clone() }
            };
            return s
        }
        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        //dlog!("char_code {:?} {:?}", char, self.encoding);
        let s = to_utf8(encoding, &slice);
        s
    }
}



impl<'a> fmt::Debug for PdfType3Font<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}

struct PdfCIDFont<'a> {
    /// keikaku patch 17: the encoding CMap is vertical (WMode 1).
    vertical: bool,
    font: &'a Dictionary,
    #[allow(dead_code)]
    doc: &'a Document,
    #[allow(dead_code)]
    encoding: ByteMapping,
    /// keikaku patch 3: set when `Encoding` is a predefined CMap other than
    /// Identity; codes are then decoded by its character encoding.
    predefined: Option<PredefinedCMap>,
    to_unicode: Option<HashMap<u32, String>>,
    /// keikaku patch 11: read with bounded work (upstream expanded every
    /// range into a hash map).
    widths: CidWidths,
    default_width: Option<f64>, // only used for CID fonts and we should probably brake out the different font types
}

/// keikaku: the font's name for a problem report.
fn font_name(doc: &Document, font: &Dictionary) -> String {
    let name = get_name_string(doc, font, b"BaseFont");
    if name.is_empty() { "a font without a name".to_string() } else { format!("font {}", name) }
}

fn get_unicode_map<'a>(doc: &'a Document, font: &'a Dictionary, cx: &mut Cx) -> Option<HashMap<u32, String>> {
    let to_unicode = maybe_get_obj(doc, font, b"ToUnicode");
    dlog!("ToUnicode: {:?}", to_unicode);
    let mut unicode_map = None;
    match to_unicode {
        Some(&Object::Stream(ref stream)) => {
            let contents = get_contents(stream, cx.meter);

            // keikaku: a CMap that does not parse (cut short, a count that
            // does not match its entries) is reported and the font decoded
            // by its encoding; upstream panicked.
            let cmap = match adobe_cmap_parser::get_unicode_map(&contents) {
                Ok(cmap) => cmap,
                Err(e) => {
                    cx.problems.push(format!("{}: its ToUnicode CMap is damaged ({}); text decoded by the font's encoding", font_name(doc, font), e));
                    return None;
                }
            };
            let mut unicode = HashMap::new();
            // "It must use the beginbfchar, endbfchar, beginbfrange, and endbfrange operators to
            // define the mapping from character codes to Unicode character sequences expressed in
            // UTF-16BE encoding."
            for (&k, v) in cmap.iter() {
                // keikaku: an odd last byte is dropped, bad UTF-16 read with
                // U+FFFD (upstream asserted and unwrapped).
                let be: Vec<u16> = v.chunks_exact(2).filter_map(|p| <[u8; 2] as std::convert::TryFrom<&[u8]>>::try_from(p).ok()).map(u16::from_be_bytes).collect();
                match &be[..] {
                    [0xd800 ..= 0xdfff] => {
                        // this range is not specified as not being encoded
                        // we ignore them so we don't an error from from_utt16
                        continue;
                    }
                    _ => {}
                }
                let s = String::from_utf16_lossy(&be);

                unicode.insert(k, s);
            }
            unicode_map = Some(unicode);

            dlog!("map: {:?}", unicode_map);
        }
        None => { }
        Some(&Object::Name(ref name)) => {
            // keikaku patch 4: a ToUnicode given as a name (a predefined
            // CMap) maps codes to CIDs, not to Unicode; upstream hit todo!().
            // Ignoring it falls back on the font's encoding.
            let name = pdf_to_utf8(name);
            dlog!("ToUnicode given by name {:?}, ignored", name);
        }
        // keikaku: ignored (upstream panicked).
        _ => { dlog!("unsupported cmap {:?}", to_unicode) }
    }
    unicode_map
}


impl<'a> PdfCIDFont<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, cx: &mut Cx) -> PdfCIDFont<'a> {
        let base_name = get_name_string(doc, font, b"BaseFont");
        // keikaku: a missing descendant font gives default widths, a missing
        // or unknown encoding Identity-H, each reported (upstream panicked).
        // With Identity-H the codes are still read two bytes at a time, and
        // ToUnicode, keyed by code, still decodes them.
        static NO_DICT: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
        let ciddict = maybe_get_array(doc, font, b"DescendantFonts")
            .and_then(|d| d.first())
            .and_then(|d| maybe_deref(doc, d).as_dict().ok())
            .unwrap_or_else(|| {
                cx.problems.push(format!("{}: no descendant font; default widths used", font_name(doc, font)));
                NO_DICT.get_or_init(Dictionary::new)
            });
        let encoding = maybe_get_obj(doc, font, b"Encoding").unwrap_or(&NULL);
        dlog!("base_name {} {:?}", base_name, font);
        let identity = || ByteMapping { codespace: vec![CodeRange{width: 2, start: 0, end: 0xffff }], cid: vec![CIDRange{ src_code_lo: 0, src_code_hi: 0xffff, dst_CID_lo: 0 }]};

        let mut predefined = None;
        // keikaku patch 17: a `-V` CMap name (Identity-V, UniJIS-UCS2-V,
        // 90ms-RKSJ-V, …) or an embedded CMap with /WMode 1 writes
        // vertically.
        let vertical = match encoding {
            &Object::Name(ref name) => pdf_to_utf8(name).ends_with("-V"),
            &Object::Stream(ref stream) => matches!(stream.dict.get(b"WMode"), Ok(&Object::Integer(1))),
            _ => false,
        };
        let encoding = match encoding {
            &Object::Name(ref name) => {
                let name = pdf_to_utf8(name);
                dlog!("encoding {:?}", name);
                if name == "Identity-H" || name == "Identity-V" {
                    identity()
                } else if let Some(cmap) = PredefinedCMap::from_name(&name) {
                    // keikaku patch 3: codes pass through unchanged (the
                    // "CID" handed on is the code) and decode_char decodes
                    // them by the CMap's character encoding.
                    predefined = Some(cmap);
                    ByteMapping { codespace: cmap.codespace(), cid: vec![CIDRange{ src_code_lo: 0, src_code_hi: u32::MAX, dst_CID_lo: 0 }]}
                } else {
                    cx.problems.push(format!("{}: unsupported encoding {}; read as Identity-H", font_name(doc, font), name));
                    identity()
                }
            }
            &Object::Stream(ref stream) => {
                let contents = get_contents(stream, cx.meter);
                match adobe_cmap_parser::get_byte_mapping(&contents) {
                    Ok(mapping) => mapping,
                    Err(e) => {
                        cx.problems.push(format!("{}: its encoding CMap is damaged ({}); read as Identity-H", font_name(doc, font), e));
                        identity()
                    }
                }
            }
            _ => {
                cx.problems.push(format!("{}: no encoding; read as Identity-H", font_name(doc, font)));
                identity()
            }
        };

        // Sometimes a Type0 font might refer to the same underlying data as regular font. In this case we may be able to extract some encoding
        // data.
        // We should also look inside the truetype data to see if there's a cmap table. It will help us convert as well.
        // This won't work if the cmap has been subsetted. A better approach might be to hash glyph contents and use that against
        // a global library of glyph hashes
        let unicode_map = get_unicode_map(doc, font, cx);

        // keikaku: the FontDescriptor upstream required (and did not use)
        // is not needed to read text.
        let default_width = get::<Option<i64>>(doc, ciddict, b"DW").unwrap_or(1000);
        let w: Option<Vec<&Object>> = get(doc, ciddict, b"W");
        dlog!("widths {:?}", w);
        // keikaku patch 1: the `c_first c_last w` form is read as a range
        // (upstream read all three values from w[i]); keikaku patch 11:
        // with bounded work (see widths.rs).
        let widths = w.map(|w| CidWidths::read(&w)).unwrap_or_default();
        PdfCIDFont{vertical, doc, font, widths, to_unicode: unicode_map, encoding, predefined, default_width: Some(default_width as f64) }
    }
}

impl<'a> PdfFont for PdfCIDFont<'a> {
    fn is_vertical(&self) -> bool { self.vertical }
    fn get_width(&self, id: CharCode) -> f64 {
        if self.predefined.is_some() {
            // keikaku patch 3: W is keyed by CID, which we do not have.
            return PredefinedCMap::width(&self.decode_char(id), self.default_width.unwrap_or(1000.));
        }
        // keikaku patch 2: `id` is the character code (ToUnicode is keyed
        // by code); W is keyed by CID.
        let width = self.widths.get(self.cid_of(id));
        if let Some(width) = width {
            dlog!("GetWidth {} -> {}", id, width);
            return width;
        } else {
            dlog!("missing width for {} falling back to default_width", id);
            return self.default_width.unwrap_or(1000.);
        }
    }/*
    fn decode(&self, chars: &[u8]) -> String {
        self.char_codes(chars);

        //let utf16 = Vec::new();

        let encoding = self.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
        to_utf8(encoding, chars)
    }*/

    fn next_char(&self, iter: &mut Iter<u8>) -> Option<(CharCode, u8)> {
        let mut c = *iter.next()? as u32;
        let mut code = None;
        'outer: for width in 1..=4 {
            for range in &self.encoding.codespace {
                if c as u32 >= range.start && c as u32 <= range.end && range.width == width {
                    code = Some((c as u32, width));
                    break 'outer;
                }
            }
            let next = *iter.next()?;
            c = ((c as u32) << 8) | next as u32;
        }
        let code = code?;
        // keikaku patch 2: the code itself is handed on, because ToUnicode
        // is keyed by code; get_width finds the CID (cid_of). Upstream
        // handed on code + dst_CID_lo, which is neither. A code in the code
        // space that no cidrange maps is CID 0 (`.notdef`), as the spec says.
        Some((code.0, code.1 as u8))
    }
    fn decode_char(&self, char: CharCode) -> String {
        let s = self.to_unicode.as_ref().and_then(|x| x.get(&char));
        if let Some(s) = s {
            s.clone()
        } else if let Some(cmap) = self.predefined {
            // keikaku patch 3: the code in the CMap's own encoding.
            let width = (1..=4u8).find(|w| u64::from(char) < 1u64 << (8 * u32::from(*w))).unwrap_or(4);
            let width = cmap.codespace().iter().map(|r| r.width as u8).filter(|w| *w >= width).min().unwrap_or(width);
            cmap.decode(char, width)
        } else {
            dlog!("Unknown character {:?} in {:?} {:?}", char, self.font, self.to_unicode);
            "".to_string()
        }
    }
}

impl<'a> PdfCIDFont<'a> {
    /// keikaku patch 2: the CID of a character code: a cidrange maps
    /// src_code_lo to dst_CID_lo and the codes after it in order.
    fn cid_of(&self, code: CharCode) -> CharCode {
        self.encoding.cid.iter()
            .find(|range| code >= range.src_code_lo && code <= range.src_code_hi)
            .map_or(0, |range| code.wrapping_sub(range.src_code_lo).wrapping_add(range.dst_CID_lo))
    }
}

impl<'a> fmt::Debug for PdfCIDFont<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.font.fmt(f)
    }
}



#[derive(Copy, Clone)]
struct PdfFontDescriptor<'a> {
    desc: &'a Dictionary,
    doc: &'a Document
}

impl<'a> PdfFontDescriptor<'a> {
    #[allow(dead_code)]
    fn get_file(&self) -> Option<&'a Object> {
        maybe_get_obj(self.doc, self.desc, b"FontFile")
    }
}

impl<'a> fmt::Debug for PdfFontDescriptor<'a> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.desc.fmt(f)
    }
}

#[derive(Clone, Debug)]
struct Type0Func {
    domain: Vec<f64>,
    range: Vec<f64>,
    contents: Vec<u8>,
    size: Vec<i64>,
    bits_per_sample: i64,
    encode: Vec<f64>,
    decode: Vec<f64>,
}

#[allow(dead_code)]
fn interpolate(x: f64, x_min: f64, _x_max: f64, y_min: f64, y_max: f64) -> f64 {
    let divisor = x - x_min;
    if divisor != 0. {
        y_min + (x - x_min) * ((y_max - y_min) / divisor)
    } else {
        // (x - x_min) will be 0 which means we want to discard the interpolation
        // and arbitrarily choose y_min to match pdfium
        y_min
    }
}

impl Type0Func {
    #[allow(dead_code)]
    fn eval(&self, _input: &[f64], _output: &mut [f64]) {
        let _n_inputs = self.domain.len() / 2;
        let _n_ouputs = self.range.len() / 2;

    }
}

#[derive(Clone, Debug)]
struct Type2Func {
    c0: Option<Vec<f64>>,
    c1: Option<Vec<f64>>,
    n: f64,
}

#[derive(Clone, Debug)]
enum Function {
    Type0(Type0Func),
    Type2(Type2Func),
    #[allow(dead_code)]
    Type3,
    #[allow(dead_code)]
    Type4(Vec<u8>)
}

impl Function {
    // keikaku: None for a function that cannot be read (upstream panicked).
    fn new(doc: &Document, obj: &Object, meter: &Meter) -> Option<Function> {
        let dict = match obj {
            &Object::Dictionary(ref dict) => dict,
            &Object::Stream(ref stream) => &stream.dict,
            _ => return None,
        };
        let function_type: i64 = get::<Option<i64>>(doc, dict, b"FunctionType")?;
        let f = match function_type {
            0 => {
                // Sampled function
                let stream = match obj {
                    &Object::Stream(ref stream) => stream,
                    _ => return None,
                };
                let range: Vec<f64> = get::<Option<Vec<f64>>>(doc, dict, b"Range")?;
                let domain: Vec<f64> = get::<Option<Vec<f64>>>(doc, dict, b"Domain")?;
                let contents = get_contents(stream, meter);
                let size: Vec<i64> = get::<Option<Vec<i64>>>(doc, dict, b"Size")?;
                let bits_per_sample = get::<Option<i64>>(doc, dict, b"BitsPerSample")?;
                // We ignore 'Order' like pdfium, poppler and pdf.js

                let encode = get::<Option<Vec<f64>>>(doc, dict, b"Encode");
                // maybe there's some better way to write this.
                let encode = encode.unwrap_or_else(|| {
                    let mut default = Vec::new();
                    for i in &size {
                        default.extend([0., i.saturating_sub(1) as f64].iter());
                    }
                    default
                });
                let decode = get::<Option<Vec<f64>>>(doc, dict, b"Decode").unwrap_or_else(|| range.clone());

                Function::Type0(Type0Func { domain, range, size, contents, bits_per_sample, encode, decode })
            }
            2 => {
                // Exponential interpolation function
                let c0 = get::<Option<Vec<f64>>>(doc, dict, b"C0");
                let c1 = get::<Option<Vec<f64>>>(doc, dict, b"C1");
                let n = get::<Option<f64>>(doc, dict, b"N")?;
                Function::Type2(Type2Func { c0, c1, n})
            }
            3 => {
                // Stitching function
                Function::Type3
            }
            4 => {
                // PostScript calculator function
                let contents = match obj {
                    &Object::Stream(ref stream) => get_contents(stream, meter),
                    _ => return None,
                };
                Function::Type4(contents)
            }
            _ => return None,
        };
        Some(f)
    }
}

/// A number operand or value; None for anything else (upstream panicked).
fn as_num(o: &Object) -> Option<f64> {
    match o {
        &Object::Integer(i) => Some(i as f64),
        &Object::Real(f) => Some(f.into()),
        _ => None,
    }
}

/// keikaku: the last N operands as numbers, None if there are fewer or one
/// is not a number. Like pdf.js, an operator with too few operands is
/// skipped and extra operands before the ones it takes are ignored
/// (upstream indexed the operands and panicked).
fn nums<const N: usize>(operands: &[Object]) -> Option<[f64; N]> {
    let last = operands.get(operands.len().checked_sub(N)?..)?;
    let mut out = [0.; N];
    for (o, v) in out.iter_mut().zip(last) {
        *o = as_num(v)?;
    }
    Some(out)
}

#[derive(Clone)]
struct TextState<'a>
{
    font: Option<Rc<dyn PdfFont + 'a>>,
    font_size: f64,
    character_spacing: f64,
    word_spacing: f64,
    horizontal_scaling: f64,
    leading: f64,
    rise: f64,
    tm: Transform,
}

/// keikaku patch 10: no stream is inflated past this many bytes (a page's
/// content is a few megabytes at most; a decompression bomb is gigabytes).
pub const MAX_INFLATED_STREAM: usize = 64 << 20;
/// keikaku patch 10: inflates zlib data (or raw deflate after a damaged
/// header, as lopdf does) to at most `cap` bytes; `None` if it would give
/// more. The output is never allowed to grow past `cap`.
pub fn inflate_capped(input: &[u8], cap: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let limit = cap as u64 + 1;
    let mut out = Vec::new();
    let failed = flate2::read::ZlibDecoder::new(input)
        .take(limit)
        .read_to_end(&mut out)
        .is_err();
    if let (true, true, Some(raw)) = (failed, out.is_empty(), input.get(2..)) {
        let _ = flate2::read::DeflateDecoder::new(raw)
            .take(limit)
            .read_to_end(&mut out);
    }
    (out.len() <= cap).then_some(out)
}

// XXX: We'd ideally implement this without having to copy the uncompressed data
// keikaku patch 10: inflating is capped (see MAX_INFLATED_STREAM); a stream
// over the cap gives no content and the document is refused at the next
// check. keikaku patch 12: what is inflated counts against the document's
// budget (the per-call cap of patch 10 became `Budget::max_inflated`).
fn get_contents(contents: &Stream, meter: &Meter) -> Vec<u8> {
    let filters = match contents.filters() {
        Ok(filters) if !filters.is_empty() => filters,
        _ => return contents.content.clone(),
    };
    let cap = MAX_INFLATED_STREAM;
    let plain_flate = filters == [&b"FlateDecode"[..]]
        && contents.dict.get(b"DecodeParms").is_err();
    let out = if filters.first() == Some(&&b"FlateDecode"[..]) {
        match inflate_capped(&contents.content, cap) {
            None => {
                meter.budget.refuse(Limit::StreamSize, cap as u64, meter.page);
                return Vec::new();
            }
            Some(out) if plain_flate => out,
            // Other filters after it, or a predictor: lopdf decodes it, now
            // that its size is known to be sane.
            Some(_) => contents.decompressed_content().unwrap_or_else(|_| contents.content.clone()),
        }
    } else {
        contents.decompressed_content().unwrap_or_else(|_| contents.content.clone())
    };
    // Other filters (LZW, …) are not capped while they decode; what they
    // gave is still refused past the cap.
    if out.len() > cap {
        meter.budget.refuse(Limit::StreamSize, cap as u64, meter.page);
        return Vec::new();
    }
    if !meter.inflated(out.len()) {
        return Vec::new();
    }
    out
}

/// keikaku patch 10: a page's content streams (read through `get_contents`
/// one at a time by `process_streams`; lopdf's `get_page_content` inflates
/// them all at once, without a cap).
fn page_streams(doc: &Document, page_id: ObjectId) -> Vec<&Stream> {
    doc.get_page_contents(page_id)
        .into_iter()
        .filter_map(|id| doc.get_object(id).and_then(Object::as_stream).ok())
        .collect()
}

#[derive(Clone)]
struct GraphicsState<'a>
{
    ctm: Transform,
    ts: TextState<'a>,
    smask: Option<Dictionary>,
    fill_colorspace: ColorSpace,
    fill_color: Vec<f64>,
    stroke_colorspace: ColorSpace,
    stroke_color: Vec<f64>,
    line_width: f64,
}

/// keikaku patch 5: the replacement text of a marked-content span
/// (`/Span <</ActualText (…)>> BDC … EMC`, PDF 32000-1 §14.9.4). Chromium
/// writes one around every glyph whose ToUnicode entry is not the character
/// the document holds: a Japanese font's glyph for 支 is also the glyph of
/// the Kangxi radical ⽀, and the ToUnicode map names the radical. Upstream
/// ignored the replacement and gave the radical.
struct ReplacementText {
    text: String,
    /// Whether the text was already given, at the first glyph of the span;
    /// the span's other glyphs give nothing.
    given: bool,
}

impl ReplacementText {
    /// The replacement text of a `BDC` operation's properties, if any.
    fn of(doc: &Document, resources: &Dictionary, operation: &lopdf::content::Operation) -> Option<ReplacementText> {
        let properties = match operation.operands.get(1)? {
            Object::Dictionary(d) => d,
            Object::Name(name) => {
                let named: &Dictionary = maybe_get(doc, resources, b"Properties")?;
                maybe_get::<&Dictionary>(doc, named, name)?
            }
            _ => return None,
        };
        let text = match maybe_deref(doc, properties.get(b"ActualText").ok()?) {
            Object::String(bytes, _) => text_string(bytes),
            _ => return None,
        };
        Some(ReplacementText { text, given: false })
    }
}

/// A PDF text string (UTF-16BE with a BOM, UTF-8 with a BOM, else
/// PDFDocEncoding), decoded without panicking on bad bytes.
fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        UTF_16BE.decode_without_bom_handling(utf16).0.into_owned()
    } else if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().filter_map(|&b| PDFDocEncoding.get(b as usize).and_then(|&u| char::from_u32(u32::from(u)))).collect()
    }
}

fn show_text(gs: &mut GraphicsState, s: &[u8],
             _tlm: &Transform,
             _flip_ctm: &Transform,
             output: &mut dyn OutputDev,
             mut replacement: Option<&mut ReplacementText>,
             meter: &mut Meter) -> Result<(), OutputError> {
    let ts = &mut gs.ts;
    // keikaku: text shown before any font is set is skipped (upstream
    // panicked); pdf.js does the same.
    let Some(font) = ts.font.as_ref() else { return Ok(()) };
    //let encoding = font.encoding.as_ref().map(|x| &x[..]).unwrap_or(&PDFDocEncoding);
    dlog!("{:?}", font.decode(s));
    dlog!("{:?}", font.decode(s).as_bytes());
    dlog!("{:?}", s);
    output.begin_word()?;

    for (c, length) in font.char_codes(s) {
        // keikaku patch 12: every glyph counts against the budget.
        if !meter.glyph() {
            return Err(meter.stopped());
        }
        // 5.3.3 Text Space Details
        let tsm = Transform2D::row_major(ts.horizontal_scaling,
                                                 0.,
                                                 0.,
                                                 1.0,
                                                 0.,
                                                 ts.rise);
        // Trm = Tsm × Tm × CTM
        let mut trm = tsm.post_transform(&ts.tm.post_transform(&gs.ctm));
        // keikaku patch 17: in vertical writing the current point is the
        // glyph's vertical origin, the middle of its top edge; the glyph is
        // drawn from its horizontal origin, the position vector v below and
        // left of it (9.2.4; DW2's default v = (w0/2, 0.88)).
        let vertical = font.is_vertical();
        if vertical {
            let w = font.get_width(c) / 1000.;
            trm = Transform2D::create_translation(-w / 2. * ts.font_size, -0.88 * ts.font_size).post_transform(&trm);
        }
        //dlog!("ctm: {:?} tm {:?}", gs.ctm, tm);
        //dlog!("current pos: {:?}", position);
        // 5.9 Extraction of Text Content


        //dlog!("w: {}", font.widths[&(*c as i64)]);
        let w0 = font.get_width(c) / 1000.;

        let mut spacing = ts.character_spacing;
        // "Word spacing is applied to every occurrence of the single-byte character code 32 in a
        //  string when using a simple font or a composite font that defines code 32 as a
        //  single-byte code. It does not apply to occurrences of the byte value 32 in
        //  multiple-byte codes."
        let is_space = c == 32 && length == 1;
        if is_space { spacing += ts.word_spacing }

        match replacement.as_deref_mut() {
            None => output.output_character(&trm, w0, spacing, ts.font_size, &font.decode_char(c))?,
            Some(r) if !r.given => {
                r.given = true;
                output.output_character(&trm, w0, spacing, ts.font_size, &r.text)?;
            }
            Some(_) => {}
        }
        let tj = 0.;
        // keikaku patch 17: a vertical font advances down by its vertical
        // displacement w1 (DW2's default -1000), with the spacing, and not
        // across (9.4.4: ty = (w1 - Tj/1000) × Tfs + Tc + Tw).
        let (tx, ty) = if vertical {
            (0., (-1. - tj/1000.) * ts.font_size + spacing)
        } else {
            (ts.horizontal_scaling * ((w0 - tj/1000.)* ts.font_size + spacing), 0.)
        };
        dlog!("horizontal {} adjust {} {} {} {}", ts.horizontal_scaling, tx, w0, ts.font_size, spacing);
        // dlog!("w0: {}, tx: {}", w0, tx);
        ts.tm = ts.tm.pre_transform(&Transform2D::create_translation(tx, ty));
        let _trm = ts.tm.pre_transform(&gs.ctm);
        //dlog!("post pos: {:?}", trm);

    }
    output.end_word()?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct MediaBox {
    pub llx: f64,
    pub lly: f64,
    pub urx: f64,
    pub ury: f64
}

fn apply_state(doc: &Document, gs: &mut GraphicsState, state: &Dictionary) {
    for (k, v) in state.iter() {
        let k : &[u8] = k.as_ref();
        match k {
            b"SMask" => { match maybe_deref(doc, v)  {
                // keikaku: other names and types are ignored, as a wrong
                // /Type is below (upstream panicked or asserted).
                &Object::Name(ref name) => {
                    if name == b"None" {
                        gs.smask = None;
                    }
                }
                &Object::Dictionary(ref dict) => {
                    gs.smask = Some(dict.clone());
                }
                _ => { dlog!("unexpected smask type {:?}", v) }
            }}
            b"Type" => {}
            _ => {  dlog!("unapplied state: {:?} {:?}", k, v); }
        }
    }

}

#[derive(Debug)]
pub enum PathOp {
    MoveTo(f64, f64),
    LineTo(f64, f64),
    // XXX: is it worth distinguishing the different kinds of curve ops?
    CurveTo(f64, f64, f64, f64, f64, f64),
    Rect(f64, f64, f64, f64),
    Close,
}

#[derive(Debug)]
pub struct Path {
    pub ops: Vec<PathOp>
}

impl Path {
    fn new() -> Path {
        Path { ops: Vec::new() }
    }
    // keikaku: None when there is no current point (upstream panicked).
    fn current_point(&self) -> Option<(f64, f64)> {
        match self.ops.last()? {
            &PathOp::MoveTo(x, y) => Some((x, y)),
            &PathOp::LineTo(x, y) => Some((x, y)),
            &PathOp::CurveTo(_, _, _, _, x, y) => Some((x, y)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct CalGray {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    gamma: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct CalRGB {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    gamma: Option<[f64; 3]>,
    matrix: Option<Vec<f64>>
}

#[derive(Clone, Debug)]
pub struct Lab {
    white_point: [f64; 3],
    black_point: Option<[f64; 3]>,
    range: Option<[f64; 4]>,
}

#[derive(Clone, Debug)]
pub enum AlternateColorSpace {
    DeviceGray,
    DeviceRGB,
    DeviceCMYK,
    CalRGB(CalRGB),
    CalGray(CalGray),
    Lab(Lab),
    ICCBased(Vec<u8>)
}

#[derive(Clone)]
pub struct Separation {
    name: String,
    alternate_space: AlternateColorSpace,
    tint_transform: Box<Function>,
}

#[derive(Clone)]
pub enum ColorSpace {
    DeviceGray,
    DeviceRGB,
    DeviceCMYK,
    DeviceN,
    Pattern,
    CalRGB(CalRGB),
    CalGray(CalGray),
    Lab(Lab),
    Separation(Separation),
    ICCBased(Vec<u8>)
}

// keikaku: None for a colour space that cannot be read, and the caller keeps
// DeviceGray (upstream panicked; keikaku does not use colours).
fn make_colorspace<'a>(doc: &'a Document, name: &[u8], resources: &'a Dictionary, meter: &Meter) -> Option<ColorSpace> {
    match name {
        b"DeviceGray" => Some(ColorSpace::DeviceGray),
        b"DeviceRGB" => Some(ColorSpace::DeviceRGB),
        b"DeviceCMYK" => Some(ColorSpace::DeviceCMYK),
        b"Pattern" => Some(ColorSpace::Pattern),
        _ => {
            let colorspaces: &Dictionary = get::<Option<&Dictionary>>(&doc, resources, b"ColorSpace")?;
            let cs: &Object = maybe_get_obj(doc, colorspaces, &name[..])?;
            if let Ok(cs) = cs.as_array() {
                let cs_name = pdf_to_utf8(cs.first()?.as_name().ok()?);
                let arg = |i: usize| cs.get(i).map(|o| maybe_deref(doc, o));
                let cal_dict = || arg(1).and_then(|d| d.as_dict().ok());
                match cs_name.as_ref() {
                    "Separation" => {
                        let name = pdf_to_utf8(arg(1)?.as_name().ok()?);
                        let alternate_space = match arg(2)? {
                            Object::Name(name) => {
                                match &name[..] {
                                    b"DeviceGray" => AlternateColorSpace::DeviceGray,
                                    b"DeviceRGB" => AlternateColorSpace::DeviceRGB,
                                    b"DeviceCMYK" => AlternateColorSpace::DeviceCMYK,
                                    _ => return None,
                                }
                            }
                            Object::Array(cs) => {
                                let cs_name = pdf_to_utf8(cs.first()?.as_name().ok()?);
                                let dict = || cs.get(1).and_then(|d| maybe_deref(doc, d).as_dict().ok());
                                match cs_name.as_ref() {
                                    "ICCBased" => {
                                        let stream = maybe_deref(doc, cs.get(1)?).as_stream().ok()?;
                                        dlog!("ICCBased {:?}", stream);
                                        // XXX: we're going to be continually decompressing everytime this object is referenced
                                        AlternateColorSpace::ICCBased(get_contents(stream, meter))
                                    }
                                    "CalGray" => AlternateColorSpace::CalGray(cal_gray(doc, dict()?)),
                                    "CalRGB" => AlternateColorSpace::CalRGB(cal_rgb(doc, dict()?)),
                                    "Lab" => AlternateColorSpace::Lab(lab(doc, dict()?)),
                                    _ => return None,
                                }
                            }
                            _ => return None,
                        };
                        let tint_transform = Box::new(Function::new(doc, arg(3)?, meter)?);
                        dlog!("{:?} {:?} {:?}", name, alternate_space, tint_transform);
                        Some(ColorSpace::Separation(Separation{ name, alternate_space, tint_transform}))
                    }
                    "ICCBased" => {
                        let stream = arg(1)?.as_stream().ok()?;
                        dlog!("ICCBased {:?}", stream);
                        // XXX: we're going to be continually decompressing everytime this object is referenced
                        Some(ColorSpace::ICCBased(get_contents(stream, meter)))
                    }
                    "CalGray" => Some(ColorSpace::CalGray(cal_gray(doc, cal_dict()?))),
                    "CalRGB" => Some(ColorSpace::CalRGB(cal_rgb(doc, cal_dict()?))),
                    "Lab" => Some(ColorSpace::Lab(lab(doc, cal_dict()?))),
                    "Pattern" => Some(ColorSpace::Pattern),
                    "DeviceGray" => Some(ColorSpace::DeviceGray),
                    "DeviceRGB" => Some(ColorSpace::DeviceRGB),
                    "DeviceCMYK" => Some(ColorSpace::DeviceCMYK),
                    "DeviceN" => Some(ColorSpace::DeviceN),
                    _ => None,
                }
            } else if let Ok(cs) = cs.as_name() {
                match pdf_to_utf8(cs).as_ref() {
                    "DeviceRGB" => Some(ColorSpace::DeviceRGB),
                    "DeviceGray" => Some(ColorSpace::DeviceGray),
                    _ => None,
                }
            } else {
                None
            }
        }
    }
}

// keikaku: the CIE-based colour spaces' entries, each defaulted when
// missing or malformed (upstream panicked).
fn cal_gray(doc: &Document, dict: &Dictionary) -> CalGray {
    CalGray {
        white_point: get::<Option<[f64; 3]>>(doc, dict, b"WhitePoint").unwrap_or_default(),
        black_point: get(doc, dict, b"BackPoint"),
        gamma: get(doc, dict, b"Gamma"),
    }
}

fn cal_rgb(doc: &Document, dict: &Dictionary) -> CalRGB {
    CalRGB {
        white_point: get::<Option<[f64; 3]>>(doc, dict, b"WhitePoint").unwrap_or_default(),
        black_point: get(doc, dict, b"BackPoint"),
        gamma: get(doc, dict, b"Gamma"),
        matrix: get(doc, dict, b"Matrix"),
    }
}

fn lab(doc: &Document, dict: &Dictionary) -> Lab {
    Lab {
        white_point: get::<Option<[f64; 3]>>(doc, dict, b"WhitePoint").unwrap_or_default(),
        black_point: get(doc, dict, b"BackPoint"),
        range: get(doc, dict, b"Range"),
    }
}

/// keikaku patch 14: forms nested deeper than this are not drawn (each is
/// a recursive call; a chain of thousands overflowed the stack). xpdf's
/// Gfx::doForm stops past 20 levels; real documents nest a few.
pub const MAX_FORM_DEPTH: usize = 32;

struct Processor<'a> {
    // keikaku patch 8: keyed by the font dictionary's address in the
    // document (the same dictionary is the same font), not by its resource
    // name, which a form's own resources or the next page may give to
    // another font. So it need not be cleared, and each font is parsed once
    // per document instead of once per page.
    font_table: HashMap<*const Dictionary, Rc<dyn PdfFont + 'a>>,
    /// keikaku patch 12: the operators, glyphs and forms spent, told to the
    /// document's budget.
    meter: Meter<'a>,
    /// keikaku patch 14: the forms being drawn, outermost first, by the
    /// address of their stream in the document: a form found here again
    /// draws itself.
    forms: Vec<*const Stream>,
    /// keikaku patch 13: operators of the current page that could not be
    /// read (a damaged content stream), reported at the end of the page.
    lost: usize,
    _none: PhantomData<&'a ()>,
}

impl<'a> Processor<'a> {
    fn new(budget: &'a Budget) -> Processor<'a> {
        Processor { font_table: HashMap::new(), meter: Meter::new(budget), forms: Vec::new(), lost: 0, _none: PhantomData }
    }

    fn process_stream(&mut self, doc: &'a Document, streams: &[&'a Stream], resources: &'a Dictionary, media_box: &MediaBox, output: &mut dyn OutputDev, page_num: u32) -> Result<(), OutputError> {
        let gs: GraphicsState = GraphicsState {
            ts: TextState {
                font: None,
                font_size: std::f64::NAN,
                character_spacing: 0.,
                word_spacing: 0.,
                horizontal_scaling: 100. / 100.,
                leading: 0.,
                rise: 0.,
                tm: Transform2D::identity(),
            },
            fill_color: Vec::new(),
            fill_colorspace: ColorSpace::DeviceGray,
            stroke_color: Vec::new(),
            stroke_colorspace: ColorSpace::DeviceGray,
            line_width: 1.,
            ctm: Transform2D::identity(),
            smask: None
        };
        self.process_form(doc, streams, resources, media_box, output, page_num, &gs)
    }

    /// keikaku patch 7: a content stream run in the graphics state of its
    /// caller (a form XObject is drawn where the page's CTM puts it; upstream
    /// drew it at the page origin).
    /// keikaku patch 13: `streams` (a page's several, or a form's one) are
    /// inflated one at a time and decoded a piece at a time (`pieces.rs`);
    /// an operation split between two streams is put back together.
    fn process_form(&mut self, doc: &'a Document, streams: &[&'a Stream], resources: &'a Dictionary, media_box: &MediaBox, output: &mut dyn OutputDev, page_num: u32, gs: &GraphicsState<'a>) -> Result<(), OutputError> {
        let mut gs = gs.clone();
        //let mut ts = &mut gs.ts;
        let mut gs_stack = Vec::new();
        let mut mc_stack: Vec<Option<ReplacementText>> = Vec::new();
        // XXX: replace tlm with a point for text start
        let mut tlm = Transform2D::identity();
        let mut path = Path::new();
        let flip_ctm = Transform2D::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        dlog!("MediaBox {:?}", media_box);
        let mut carry: Vec<u8> = Vec::new();
        for (k, stream) in streams.iter().enumerate() {
            let mut content = std::mem::take(&mut carry);
            content.extend(get_contents(stream, &self.meter));
            content.push(b'\n');
            if self.meter.budget.stopped(self.meter.page) {
                return Err(self.meter.stopped());
            }
            let last_stream = k + 1 == streams.len();
            for piece in pieces::Pieces::new(&content, pieces::PIECE) {
                // The end of a stream that is not the last may hold the
                // operands of an operator in the next one.
                let piece = if last_stream { piece } else {
                    let (run, rest) = piece.bytes.split_at(piece.tail.min(piece.bytes.len()));
                    carry.extend_from_slice(rest);
                    pieces::Piece { bytes: run, operators: piece.operators, tail: run.len() }
                };
                let decoded = pieces::decode(&piece);
                self.lost += decoded.lost;
        for operation in &decoded.operations {
            //dlog!("op: {:?}", operation);
            // keikaku patch 12: every operator counts against the budget.
            if !self.meter.operator() {
                return Err(self.meter.stopped());
            }
            let operands = &operation.operands[..];

            // keikaku: an operator whose operands are missing or of the
            // wrong type is skipped (`continue`), as pdf.js does; upstream
            // indexed, unwrapped and asserted, and panicked.
            match operation.operator.as_ref() {
                "BT" => {
                    tlm = Transform2D::identity();
                    gs.ts.tm = tlm;
                }
                "ET" => {
                    tlm = Transform2D::identity();
                    gs.ts.tm = tlm;
                }
                "cm" => {
                    let Some([a, b, c, d, e, f]) = nums::<6>(operands) else { continue };
                    let m = Transform2D::row_major(a, b, c, d, e, f);
                    gs.ctm = gs.ctm.pre_transform(&m);
                    dlog!("matrix {:?}", gs.ctm);
                }
                "CS" => {
                    let Some(name) = operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    gs.stroke_colorspace = make_colorspace(doc, name, resources, &self.meter).unwrap_or(ColorSpace::DeviceGray);
                }
                "cs" => {
                    let Some(name) = operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    gs.fill_colorspace = make_colorspace(doc, name, resources, &self.meter).unwrap_or(ColorSpace::DeviceGray);
                }
                "SC" | "SCN" => {
                    gs.stroke_color = match gs.stroke_colorspace {
                        ColorSpace::Pattern => { dlog!("unhandled pattern color"); Vec::new() }
                        _ => { operands.iter().filter_map(as_num).collect() }
                    };
                }
                "sc" | "scn" => {
                    gs.fill_color = match gs.fill_colorspace {
                        ColorSpace::Pattern => { dlog!("unhandled pattern color"); Vec::new() }
                        _ => { operands.iter().filter_map(as_num).collect() }
                    };
                }
                "G" | "g" | "RG" | "rg" | "K" | "k" => {
                    dlog!("unhandled color operation {:?}", operation);
                }
                "TJ" => {
                    match operands.first() {
                        Some(Object::Array(ref array)) => {
                            for e in array {
                                match e {
                                    &Object::String(ref s, _) => {
                                        let replacement = mc_stack.iter_mut().find_map(|r: &mut Option<ReplacementText>| r.as_mut());
                                        show_text(&mut gs, s, &tlm, &flip_ctm, output, replacement, &mut self.meter)?;
                                    }
                                    &Object::Integer(_) | &Object::Real(_) => {
                                        let ts = &mut gs.ts;
                                        let w0 = 0.;
                                        let tj = as_num(e).unwrap_or(0.);
                                        // keikaku patch 17: a vertical font's adjustment moves down.
                                        let vertical = ts.font.as_ref().is_some_and(|f| f.is_vertical());
                                        let (tx, ty) = if vertical {
                                            (0., -tj / 1000. * ts.font_size)
                                        } else {
                                            (ts.horizontal_scaling * ((w0 - tj / 1000.) * ts.font_size), 0.)
                                        };
                                        ts.tm = ts.tm.pre_transform(&Transform2D::create_translation(tx, ty));
                                        dlog!("adjust text by: {} {:?}", tj, ts.tm);
                                    }
                                    _ => { dlog!("kind of {:?}", e); }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                "Tj" => {
                    match operands.first() {
                        Some(Object::String(ref s, _)) => {
                            let replacement = mc_stack.iter_mut().find_map(|r: &mut Option<ReplacementText>| r.as_mut());
                            show_text(&mut gs, s, &tlm, &flip_ctm, output, replacement, &mut self.meter)?;
                        }
                        _ => { dlog!("unexpected Tj operand {:?}", operation) }
                    }
                }
                "Tc" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.ts.character_spacing = v;
                }
                "Tw" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.ts.word_spacing = v;
                }
                "Tz" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.ts.horizontal_scaling = v / 100.;
                }
                "TL" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.ts.leading = v;
                }
                "Tf" => {
                    let (Some(name), Some([size])) = (operands.len().checked_sub(2).and_then(|i| operands.get(i)).and_then(|o| o.as_name().ok()), nums::<1>(operands)) else { continue };
                    // keikaku: a font the resources do not name is reported
                    // and its text skipped (upstream panicked).
                    let font_dict = get::<Option<&Dictionary>>(doc, resources, b"Font")
                        .and_then(|fonts| get::<Option<&Dictionary>>(doc, fonts, name));
                    gs.ts.font = match font_dict {
                        Some(font_dict) => {
                            let font = match self.font_table.entry(font_dict as *const Dictionary) {
                                Entry::Occupied(e) => e.get().clone(),
                                Entry::Vacant(v) => {
                                    let mut cx = Cx { meter: &self.meter, problems: Vec::new() };
                                    let font = make_font(doc, font_dict, &mut cx);
                                    for problem in &cx.problems {
                                        output.problem(problem)?;
                                    }
                                    v.insert(font).clone()
                                }
                            };
                            Some(font)
                        }
                        None => {
                            output.problem(&format!("font /{} is not in the page's resources; its text is skipped", pdf_to_utf8(name)))?;
                            None
                        }
                    };
                    gs.ts.font_size = size;
                    dlog!("font {} size: {} {:?}", pdf_to_utf8(name), gs.ts.font_size, operation);
                }
                "Ts" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.ts.rise = v;
                }
                "Tm" => {
                    let Some([a, b, c, d, e, f]) = nums::<6>(operands) else { continue };
                    tlm = Transform2D::row_major(a, b, c, d, e, f);
                    gs.ts.tm = tlm;
                    dlog!("Tm: matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }
                "Td" => {
                    /* Move to the start of the next line, offset from the start of the current line by (tx , ty ).
                   tx and ty are numbers expressed in unscaled text space units.
                   More precisely, this operator performs the following assignments:
                 */
                    let Some([tx, ty]) = nums::<2>(operands) else { continue };
                    dlog!("translation: {} {}", tx, ty);

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("Td matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }

                "TD" => {
                    /* Move to the start of the next line, offset from the start of the current line by (tx , ty ).
                   As a side effect, this operator sets the leading parameter in the text state.
                 */
                    let Some([tx, ty]) = nums::<2>(operands) else { continue };
                    dlog!("translation: {} {}", tx, ty);
                    gs.ts.leading = -ty;

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("TD matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }

                "T*" => {
                    let tx = 0.0;
                    let ty = -gs.ts.leading;

                    tlm = tlm.pre_transform(&Transform2D::create_translation(tx, ty));
                    gs.ts.tm = tlm;
                    dlog!("T* matrix {:?}", gs.ts.tm);
                    output.end_line()?;
                }
                "'" | "\"" => {
                    // keikaku patch 9: `'` and `"` move to the next line, as
                    // T* does, and show a string; `"` first sets the word and
                    // character spacing. Upstream ignored both: their text
                    // was lost, and every later line of the text object stood
                    // too high by the leading, once for each.
                    let string_index = if operation.operator == "\"" {
                        gs.ts.word_spacing = operands.first().and_then(as_num).unwrap_or(gs.ts.word_spacing);
                        gs.ts.character_spacing = operands.get(1).and_then(as_num).unwrap_or(gs.ts.character_spacing);
                        2
                    } else {
                        0
                    };
                    tlm = tlm.pre_transform(&Transform2D::create_translation(0., -gs.ts.leading));
                    gs.ts.tm = tlm;
                    output.end_line()?;
                    if let Some(Object::String(ref s, _)) = operands.get(string_index) {
                        let replacement = mc_stack.iter_mut().find_map(|r: &mut Option<ReplacementText>| r.as_mut());
                        show_text(&mut gs, s, &tlm, &flip_ctm, output, replacement, &mut self.meter)?;
                    }
                }
                "q" => { gs_stack.push(gs.clone()); }
                "Q" => {
                    let s = gs_stack.pop();
                    if let Some(s) = s {
                        gs = s;
                    } else {
                        warn!("No state to pop");
                    }
                }
                "gs" => {
                    let state = operands.first().and_then(|o| o.as_name().ok()).and_then(|name| {
                        let ext_gstate = get::<Option<&Dictionary>>(doc, resources, b"ExtGState")?;
                        get::<Option<&Dictionary>>(doc, ext_gstate, name)
                    });
                    if let Some(state) = state {
                        apply_state(doc, &mut gs, state);
                    }
                }
                "i" => { dlog!("unhandled graphics state flattness operator {:?}", operation); }
                "w" => {
                    let Some([v]) = nums::<1>(operands) else { continue };
                    gs.line_width = v;
                }
                "J" | "j" | "M" | "d" | "ri"  => { dlog!("unknown graphics state operator {:?}", operation); }
                "m" => {
                    let Some([x, y]) = nums::<2>(operands) else { continue };
                    path.ops.push(PathOp::MoveTo(x, y))
                }
                "l" => {
                    let Some([x, y]) = nums::<2>(operands) else { continue };
                    path.ops.push(PathOp::LineTo(x, y))
                }
                "c" => {
                    let Some([x1, y1, x2, y2, x3, y3]) = nums::<6>(operands) else { continue };
                    path.ops.push(PathOp::CurveTo(x1, y1, x2, y2, x3, y3))
                }
                "v" => {
                    let (Some((x, y)), Some([x2, y2, x3, y3])) = (path.current_point(), nums::<4>(operands)) else { continue };
                    path.ops.push(PathOp::CurveTo(x, y, x2, y2, x3, y3))
                }
                "y" => {
                    let Some([x1, y1, x3, y3]) = nums::<4>(operands) else { continue };
                    path.ops.push(PathOp::CurveTo(x1, y1, x3, y3, x3, y3))
                }
                "h" => { path.ops.push(PathOp::Close) }
                "re" => {
                    let Some([x, y, w, h]) = nums::<4>(operands) else { continue };
                    path.ops.push(PathOp::Rect(x, y, w, h))
                }
                // keikaku patch 6: every painting operator reaches the output
                // device (table rules are often `re f*` or `re B`); upstream
                // dropped these and left the path to leak into the next one.
                "f*" => {
                    output.fill(&gs.ctm, &gs.fill_colorspace, &gs.fill_color, &path)?;
                    path.ops.clear();
                }
                "s" => {
                    path.ops.push(PathOp::Close);
                    output.stroke(&gs.ctm, &gs.stroke_colorspace, &gs.stroke_color, &path)?;
                    path.ops.clear();
                }
                "B" | "B*" | "b" | "b*" => {
                    output.fill(&gs.ctm, &gs.fill_colorspace, &gs.fill_color, &path)?;
                    output.stroke(&gs.ctm, &gs.stroke_colorspace, &gs.stroke_color, &path)?;
                    path.ops.clear();
                }
                "S" => {
                    output.stroke(&gs.ctm, &gs.stroke_colorspace, &gs.stroke_color, &path)?;
                    path.ops.clear();
                }
                "F" | "f" => {
                    output.fill(&gs.ctm, &gs.fill_colorspace, &gs.fill_color, &path)?;
                    path.ops.clear();
                }
                "W" | "w*" => { dlog!("unhandled clipping operation {:?}", operation); }
                "n" => {
                    dlog!("discard {:?}", path);
                    path.ops.clear();
                }
                "BMC" => {
                    mc_stack.push(None);
                }
                "BDC" => {
                    mc_stack.push(ReplacementText::of(doc, resources, operation));
                }
                "EMC" => {
                    mc_stack.pop();
                }
                "Do" => {
                    // `Do` process an entire subdocument, so we do a recursive call to `process_stream`
                    // with the subdocument content and resources
                    let Some(name) = operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let xobjects = get::<Option<&Dictionary>>(doc, resources, b"XObject");
                    // keikaku: an XObject that is missing or not a stream
                    // is reported and skipped (upstream panicked).
                    let Some(xf) = xobjects.and_then(|x| get::<Option<&Stream>>(doc, x, name)) else {
                        output.problem(&format!("XObject /{} is missing or not a stream; not drawn", pdf_to_utf8(name)))?;
                        continue;
                    };
                    // keikaku patch 7: an image XObject is not a content
                    // stream (upstream parsed its pixels as operators); the
                    // output device is told of it instead. A form's own
                    // Matrix and graphics state apply inside it only.
                    if maybe_get_name(doc, &xf.dict, b"Subtype") == Some(&b"Image"[..]) {
                        output.image(&gs.ctm)?;
                        continue;
                    }
                    // keikaku patch 14: a form that draws itself (directly or
                    // through others), or one nested too deep, is not drawn;
                    // upstream recursed until the stack overflowed.
                    let key = xf as *const Stream;
                    if self.forms.contains(&key) {
                        output.problem(&format!("form XObject /{} draws itself; not drawn again", pdf_to_utf8(name)))?;
                        continue;
                    }
                    if self.forms.len() >= MAX_FORM_DEPTH {
                        output.problem(&format!("form XObjects nested more than {} deep; /{} not drawn", MAX_FORM_DEPTH, pdf_to_utf8(name)))?;
                        continue;
                    }
                    if !self.meter.form_draw() {
                        return Err(self.meter.stopped());
                    }
                    let resources = maybe_get_obj(&doc, &xf.dict, b"Resources").and_then(|n| n.as_dict().ok()).unwrap_or(resources);
                    let matrix: Option<[f64; 6]> = maybe_get_obj(doc, &xf.dict, b"Matrix").and_then(|m| FromObj::from_obj(doc, m));
                    let saved_ctm = gs.ctm;
                    if let Some([a, b, c, d, e, f]) = matrix {
                        let m = Transform2D::row_major(a, b, c, d, e, f);
                        gs.ctm = gs.ctm.pre_transform(&m);
                    }
                    self.forms.push(key);
                    let drawn = self.process_form(&doc, &[xf], resources, &media_box, output, page_num, &gs);
                    self.forms.pop();
                    drawn?;
                    gs.ctm = saved_ctm;
                }
                _ => { dlog!("unknown operation {:?}", operation); }

            }
        }
            }
        }
        Ok(())
    }
}

impl Meter<'_> {
    /// keikaku patch 12: the error that stops a document once its budget
    /// is spent.
    fn stopped(&self) -> OutputError {
        OutputError::Budget(self.budget.exceeded().unwrap_or(Exceeded { limit: Limit::Deadline, max: 0, page: self.page }))
    }
}


pub trait OutputDev {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, art_box: Option<(f64, f64, f64, f64)>)-> Result<(), OutputError>;
    fn end_page(&mut self)-> Result<(), OutputError>;
    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError>;
    fn begin_word(&mut self)-> Result<(), OutputError>;
    fn end_word(&mut self)-> Result<(), OutputError>;
    fn end_line(&mut self)-> Result<(), OutputError>;
    /// keikaku patch 7: an image is drawn, placed by `ctm` (the unit square).
    fn image(&mut self, _ctm: &Transform) -> Result<(), OutputError> {Ok(())}
    /// keikaku: part of the page could not be drawn as the file asks (a
    /// damaged stream or font, a form that draws itself): `message` says
    /// what, in one line. The rest of the page is drawn.
    fn problem(&mut self, _message: &str) -> Result<(), OutputError> {Ok(())}
    fn stroke(&mut self, _ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], _path: &Path)-> Result<(), OutputError> {Ok(())}
    fn fill(&mut self, _ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], _path: &Path)-> Result<(), OutputError> {Ok(())}
}


pub struct HTMLOutput<'a>  {
    file: &'a mut dyn std::io::Write,
    flip_ctm: Transform,
    last_ctm: Transform,
    buf_ctm: Transform,
    buf_font_size: f64,
    buf: String
}

fn insert_nbsp(input: &str) -> String {
    let mut result = String::new();
    let mut word_end = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            if !word_end || chars.peek().filter(|x| **x != ' ').is_none() {
                result += "&nbsp;";
            } else {
                result += " ";
            }
            word_end = false;
        } else {
            word_end = true;
            result.push(c);
        }
    }
    result
}

impl<'a> HTMLOutput<'a> {
    pub fn new(file: &mut dyn std::io::Write) -> HTMLOutput {
        HTMLOutput {
            file,
            flip_ctm: Transform2D::identity(),
            last_ctm: Transform2D::identity(),
            buf_ctm: Transform2D::identity(),
            buf: String::new(),
            buf_font_size: 0.,
        }
    }
    fn flush_string(&mut self) -> Result<(), OutputError>{
        if self.buf.len() != 0 {

            let position = self.buf_ctm.post_transform(&self.flip_ctm);
            let transformed_font_size_vec = self.buf_ctm.transform_vector(vec2(self.buf_font_size, self.buf_font_size));
            // get the length of one sized of the square with the same area with a rectangle of size (x, y)
            let transformed_font_size = (transformed_font_size_vec.x * transformed_font_size_vec.y).sqrt();
            let (x, y) = (position.m31, position.m32);
            warn!("flush {} {:?}", self.buf, (x,y));

            write!(self.file, "<div style='position: absolute; left: {}px; top: {}px; font-size: {}px'>{}</div>\n",
                   x, y, transformed_font_size, insert_nbsp(&self.buf))?;
        }
        Ok(())
    }
}

type ArtBox = (f64, f64, f64, f64);

impl<'a> OutputDev for HTMLOutput<'a> {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, _: Option<ArtBox>) -> Result<(), OutputError> {
        write!(self.file, "<meta charset='utf-8' /> ")?;
        write!(self.file, "<!-- page {} -->", page_num)?;
        write!(self.file, "<div id='page{}' style='position: relative; height: {}px; width: {}px; border: 1px black solid'>", page_num, media_box.ury - media_box.lly, media_box.urx - media_box.llx)?;
        self.flip_ctm = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.flush_string()?;
        self.buf = String::new();
        self.last_ctm = Transform::identity();
        write!(self.file, "</div>")?;
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError>{
        if trm.approx_eq(&self.last_ctm) {
            let position = trm.post_transform(&self.flip_ctm);
            let (x, y) = (position.m31, position.m32);

            warn!("accum {} {:?}", char, (x,y));
            self.buf += char;
        } else {
            warn!("flush {} {:?} {:?} {} {} {}", char, trm, self.last_ctm, width, font_size, spacing);
            self.flush_string()?;
            self.buf = char.to_owned();
            self.buf_font_size = font_size;
            self.buf_ctm = *trm;
        }
        let position = trm.post_transform(&self.flip_ctm);
        let transformed_font_size_vec = trm.transform_vector(vec2(font_size, font_size));
        // get the length of one sized of the square with the same area with a rectangle of size (x, y)
        let transformed_font_size = (transformed_font_size_vec.x * transformed_font_size_vec.y).sqrt();
        let (x, y) = (position.m31, position.m32);
        write!(self.file, "<div style='position: absolute; color: red; left: {}px; top: {}px; font-size: {}px'>{}</div>",
               x, y, transformed_font_size, char)?;
        self.last_ctm = trm.pre_transform(&Transform2D::create_translation(width * font_size + spacing, 0.));

        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError> {Ok(())}
}

pub struct SVGOutput<'a>  {
    file: &'a mut dyn std::io::Write
}
impl<'a> SVGOutput<'a> {
    pub fn new(file: &mut dyn std::io::Write) -> SVGOutput {
        SVGOutput{file}
    }
}

impl<'a> OutputDev for SVGOutput<'a> {
    fn begin_page(&mut self, _page_num: u32, media_box: &MediaBox, art_box: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        let ver = 1.1;
        write!(self.file, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n")?;
        if ver == 1.1 {
            write!(self.file, r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">"#)?;
        } else {
            write!(self.file, r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd">"#)?;
        }
        if let Some(art_box) = art_box {
            let width = art_box.2 - art_box.0;
            let height = art_box.3 - art_box.1;
            let y = media_box.ury - art_box.1 - height;
            write!(self.file, "<svg width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" version=\"{}\" viewBox='{} {} {} {}'>", width, height, ver, art_box.0, y, width, height)?;
        } else {
            let width = media_box.urx - media_box.llx;
            let height = media_box.ury - media_box.lly;
            write!(self.file, "<svg width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" version=\"{}\" viewBox='{} {} {} {}'>", width, height, ver, media_box.llx, media_box.lly, width, height)?;
        }
        write!(self.file, "\n")?;
        type Mat = Transform;

        let ctm = Mat::create_scale(1., -1.).post_translate(vec2(0., media_box.ury));
        write!(self.file, "<g transform='matrix({}, {}, {}, {}, {}, {})'>\n",
               ctm.m11,
               ctm.m12,
               ctm.m21,
               ctm.m22,
               ctm.m31,
               ctm.m32,
        )?;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError>{
        write!(self.file, "</g>\n")?;
        write!(self.file, "</svg>")?;
        Ok(())
    }
    fn output_character(&mut self, _trm: &Transform, _width: f64, _spacing: f64, _font_size: f64, _char: &str) -> Result<(), OutputError>{
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError> {Ok(())}
    fn fill(&mut self, ctm: &Transform, _colorspace: &ColorSpace, _color: &[f64], path: &Path) -> Result<(), OutputError>{
        write!(self.file, "<g transform='matrix({}, {}, {}, {}, {}, {})'>",
               ctm.m11,
               ctm.m12,
               ctm.m21,
               ctm.m22,
               ctm.m31,
               ctm.m32,
        )?;

        /*if path.ops.len() == 1 {
            if let PathOp::Rect(x, y, width, height) = path.ops[0] {
                write!(self.file, "<rect x={} y={} width={} height={} />\n", x, y, width, height);
                write!(self.file, "</g>");
                return;
            }
        }*/
        let mut d = Vec::new();
        for op in &path.ops {
            match op {
                &PathOp::MoveTo(x, y) => { d.push(format!("M{} {}", x, y))}
                &PathOp::LineTo(x, y) => { d.push(format!("L{} {}", x, y))},
                &PathOp::CurveTo(x1, y1, x2, y2, x, y) => { d.push(format!("C{} {} {} {} {} {}", x1, y1, x2, y2, x, y))},
                &PathOp::Close => { d.push(format!("Z"))},
                &PathOp::Rect(x, y, width, height) => {
                    d.push(format!("M{} {}", x, y));
                    d.push(format!("L{} {}", x + width, y));
                    d.push(format!("L{} {}", x + width, y + height));
                    d.push(format!("L{} {}", x, y + height));
                    d.push(format!("Z"));
                }

            }
        }
        write!(self.file, "<path d='{}' />", d.join(" "))?;
        write!(self.file, "</g>")?;
        write!(self.file, "\n")?;
        Ok(())
    }
}

/*
File doesn't implement std::fmt::Write so we have
to do some gymnastics to accept a File or String
See https://github.com/rust-lang/rust/issues/51305
*/

pub trait ConvertToFmt {
    type Writer: std::fmt::Write;
    fn convert(self) -> Self::Writer;
}

impl<'a> ConvertToFmt for &'a mut String {
    type Writer = &'a mut String;
    fn convert(self) -> Self::Writer {
        self
    }
}

pub struct WriteAdapter<W> {
    f: W,
}

impl<W: std::io::Write> std::fmt::Write for WriteAdapter<W> {
    fn write_str(&mut self, s: &str) -> Result<(), std::fmt::Error> {
        self.f.write_all(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

impl<'a> ConvertToFmt for &'a mut dyn std::io::Write {
    type Writer = WriteAdapter<Self>;
    fn convert(self) -> Self::Writer {
        WriteAdapter { f: self }
    }
}

impl<'a> ConvertToFmt for &'a mut File {
    type Writer = WriteAdapter<Self>;
    fn convert(self) -> Self::Writer {
        WriteAdapter { f: self }
    }
}

pub struct PlainTextOutput<W: ConvertToFmt>   {
    writer: W::Writer,
    last_end: f64,
    last_y: f64,
    first_char: bool,
    flip_ctm: Transform,
}

impl<W: ConvertToFmt> PlainTextOutput<W> {
    pub fn new(writer: W) -> PlainTextOutput<W> {
        PlainTextOutput{
            writer: writer.convert(),
            last_end: 100000.,
            first_char: false,
            last_y: 0.,
            flip_ctm: Transform2D::identity(),
        }
    }
}

/* There are some structural hints that PDFs can use to signal word and line endings:
 * however relying on these is not likely to be sufficient. */
impl<W: ConvertToFmt> OutputDev for PlainTextOutput<W> {
    fn begin_page(&mut self, _page_num: u32, media_box: &MediaBox, _: Option<ArtBox>) -> Result<(), OutputError> {
        self.flip_ctm = Transform2D::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError> {
        let position = trm.post_transform(&self.flip_ctm);
        let transformed_font_size_vec = trm.transform_vector(vec2(font_size, font_size));
        // get the length of one sized of the square with the same area with a rectangle of size (x, y)
        let transformed_font_size = (transformed_font_size_vec.x*transformed_font_size_vec.y).sqrt();
        let (x, y) = (position.m31, position.m32);
        use std::fmt::Write;
        //dlog!("last_end: {} x: {}, width: {}", self.last_end, x, width);
        if self.first_char {
            if (y - self.last_y).abs() > transformed_font_size * 1.5 {
                write!(self.writer, "\n")?;
            }

            // we've moved to the left and down
            if x < self.last_end && (y - self.last_y).abs() > transformed_font_size * 0.5 {
                write!(self.writer, "\n")?;
            }

            if x > self.last_end + transformed_font_size * 0.1 {
                dlog!("width: {}, space: {}, thresh: {}", width, x - self.last_end, transformed_font_size * 0.1);
                write!(self.writer, " ")?;
            }
        }
        //let norm = unicode_normalization::UnicodeNormalization::nfkc(char);
        write!(self.writer, "{}", char)?;
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * transformed_font_size;
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {Ok(())}
    fn end_line(&mut self) -> Result<(), OutputError>{
        //write!(self.file, "\n");
        Ok(())
    }
}


pub fn print_metadata(doc: &Document) {
    dlog!("Version: {}", doc.version);
    if let Some(ref info) = get_info(&doc) {
        for (k, v) in *info {
            match v {
                &Object::String(ref s, StringFormat::Literal) => { dlog!("{}: {}", pdf_to_utf8(k), pdf_to_utf8(s)); }
                _ => {}
            }
        }
    }
    dlog!("Page count: {}", get::<Option<i64>>(&doc, &get_pages(&doc), b"Count"));
    dlog!("Pages: {:?}", get_pages(&doc));
    dlog!("Type: {:?}", get_pages(&doc).get(b"Type").and_then(|x| x.as_name()).unwrap());
}

/// Extract the text from a pdf at `path` and return a `String` with the results
pub fn extract_text<P: std::convert::AsRef<std::path::Path>>(path: P) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load(path)?;
        maybe_decrypt(&mut doc)?;
        output_doc(&doc, &mut output)?;
    }
    Ok(s)
}

fn maybe_decrypt(doc: &mut Document) -> Result<(), OutputError> {
    if ! doc.is_encrypted() {
        return Ok(());
    }

    if let Err(e) = doc.decrypt("") {
        if let Error::Decryption(DecryptionError::IncorrectPassword) = e {
            error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted")
        }

        return Err(OutputError::PdfError(e));
    }

    Ok(())
}

pub fn extract_text_encrypted<P: std::convert::AsRef<std::path::Path>>(
    path: P,
    password: &str,
) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load(path)?;
        output_doc_encrypted(&mut doc, &mut output, password)?;
    }
    Ok(s)
}

pub fn extract_text_from_mem(buffer: &[u8]) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load_mem(buffer)?;
        maybe_decrypt(&mut doc)?;
        output_doc(&doc, &mut output)?;
    }
    Ok(s)
}

pub fn extract_text_from_mem_encrypted(
    buffer: &[u8],
    password: &str,
) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        let mut doc = Document::load_mem(buffer)?;
        output_doc_encrypted(&mut doc, &mut output, password)?;
    }
    Ok(s)
}


fn extract_text_by_page(doc: &Document, page_num: u32) -> Result<String, OutputError> {
    let mut s = String::new();
    {
        let mut output = PlainTextOutput::new(&mut s);
        output_doc_page(doc, &mut output, page_num)?;
    }
    Ok(s)
}

/// Extract the text from a pdf at `path` and return a `Vec<String>` with the results separately by page

pub fn extract_text_by_pages<P: std::convert::AsRef<std::path::Path>>(path: P) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load(path)?;
        maybe_decrypt(&mut doc)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_by_pages_encrypted<P: std::convert::AsRef<std::path::Path>>(path: P, password: &str) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load(path)?;
        doc.decrypt(password)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&mut doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_from_mem_by_pages(buffer: &[u8]) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load_mem(buffer)?;
        maybe_decrypt(&mut doc)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}

pub fn extract_text_from_mem_by_pages_encrypted(buffer: &[u8], password: &str) -> Result<Vec<String>, OutputError> {
    let mut v = Vec::new();
    {
        let mut doc = Document::load_mem(buffer)?;
        doc.decrypt(password)?;
        let mut page_num = 1;
        while let Ok(content) = extract_text_by_page(&doc, page_num) {
            v.push(content);
            page_num += 1;
        }
    }
    Ok(v)
}


/// keikaku patch 15: a page's attribute, from the page or the nearest of
/// its ancestors that has it. Upstream followed /Parent with no end: a
/// page tree whose /Parent links loop spun forever. Ancestors already seen
/// end the search, and so does the depth of lopdf's page tree walk.
fn get_inherited<'a, T: FromObj<'a>>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<T> {
    const MAX_PAGE_TREE_DEPTH: usize = 256;
    let mut seen = std::collections::HashSet::new();
    let mut dict = dict;
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        let o: Option<T> = get(doc, dict, key);
        if o.is_some() {
            return o;
        }
        let parent = dict.get(b"Parent").and_then(|parent| parent.as_reference()).ok()?;
        if !seen.insert(parent) {
            return None;
        }
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

pub fn output_doc_encrypted(
    doc: &mut Document,
    output: &mut dyn OutputDev,
    password: &str,
) -> Result<(), OutputError> {
    doc.decrypt(password)?;
    output_doc(doc, output)
}

/// Parse a given document and output it to `output`
pub fn output_doc(doc: &Document, output: &mut dyn OutputDev) -> Result<(), OutputError> {
    if doc.is_encrypted() {
        error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted");
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    output_doc_pages(doc, output, &pages)
}

pub fn output_doc_page(doc: &Document, output: &mut dyn OutputDev, page_num: u32) -> Result<(), OutputError> {
    output_doc_pages(doc, output, &[page_num])
}

/// keikaku patch 8: draws the pages numbered `page_nums`, in that order, to
/// `output`, reading each font once for them all (output_doc_page reads the
/// fonts anew for every page). Lets a caller split a document's pages among
/// threads, one call each.
pub fn output_doc_pages(doc: &Document, output: &mut dyn OutputDev, page_nums: &[u32]) -> Result<(), OutputError> {
    output_doc_pages_with_budget(doc, output, page_nums, &Budget::unlimited())
}

/// keikaku patch 12: [`output_doc_pages`] within `budget`, which the calls
/// for the other pages of the same document (on other threads) share. Once
/// the budget is spent, every call stops with [`OutputError::Budget`],
/// naming the first limit passed (also kept by the budget).
pub fn output_doc_pages_with_budget(doc: &Document, output: &mut dyn OutputDev, page_nums: &[u32], budget: &Budget) -> Result<(), OutputError> {
    if doc.is_encrypted() {
        error!("Encrypted documents must be decrypted with a password using {{extract_text|extract_text_from_mem|output_doc}}_encrypted");
    }
    let empty_resources = Dictionary::new();
    let pages = doc.get_pages();
    let mut p = Processor::new(budget);
    for &page_num in page_nums {
        let object_id = pages.get(&page_num).ok_or(lopdf::Error::PageNumberNotFound(page_num))?;
        p.meter.page = page_num;
        output_doc_inner(page_num, *object_id, doc, &mut p, output, &empty_resources)?;
        // Counts still in the meter are told before the next page, so that
        // a limit passed on this page is reported on it.
        if !p.meter.flush() {
            return Err(p.meter.stopped());
        }
    }
    Ok(())
}

/// keikaku: the page size when a page has no usable MediaBox (US Letter,
/// as pdf.js uses; upstream panicked).
const DEFAULT_MEDIA_BOX: [f64; 4] = [0., 0., 612., 792.];

fn output_doc_inner<'a>(page_num: u32, object_id: ObjectId, doc: &'a Document, p: & mut Processor<'a>, output: &mut dyn OutputDev, empty_resources: &'a Dictionary) -> Result<(), OutputError> {
    let page_dict = doc.get_dictionary(object_id)?;
    dlog!("page {} {:?}", page_num, page_dict);
    // keikaku patch 8: the font cache is keyed by font dictionary, so it
    // stays valid from page to page (upstream cleared it here).
    // XXX: Some pdfs lack a Resources directory
    let resources = get_inherited(doc, page_dict, b"Resources").unwrap_or(empty_resources);
    dlog!("resources {:?}", resources);
    // pdfium searches up the page tree for MediaBoxes as needed
    let media_box: [f64; 4] = get_inherited(doc, page_dict, b"MediaBox").unwrap_or(DEFAULT_MEDIA_BOX);
    let [llx, lly, urx, ury] = media_box;
    let media_box = MediaBox { llx, lly, urx, ury };
    let art_box = get::<Option<[f64; 4]>>(&doc, page_dict, b"ArtBox")
        .map(|[a, b, c, d]| (a, b, c, d));
    output.begin_page(page_num, &media_box, art_box)?;
    p.lost = 0;
    p.process_stream(&doc, &page_streams(doc, object_id), resources, &media_box, output, page_num)?;
    if p.lost > 0 {
        output.problem(&format!("{} content operators could not be read (a damaged content stream); skipped", p.lost))?;
    }
    output.end_page()?;
    Ok(())
}
