//! Small PDFs built in the tests with lopdf, each showing one thing a real
//! PDF does (a font encoding, a width table, a marked-content span) without
//! needing a PDF tool on the machine.

use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};

/// A PDF being built: the fonts, forms and images its one page uses.
pub struct PdfBuilder {
    doc: lopdf::Document,
    fonts: Dictionary,
    xobjects: Dictionary,
    /// Other resources, by category (`ExtGState`, …).
    resources: Dictionary,
}

impl Default for PdfBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfBuilder {
    pub fn new() -> Self {
        PdfBuilder {
            doc: lopdf::Document::with_version("1.7"),
            fonts: Dictionary::new(),
            xobjects: Dictionary::new(),
            resources: Dictionary::new(),
        }
    }

    /// An object id for an object added later with [`PdfBuilder::set`]
    /// (objects that refer to each other).
    pub fn reserve(&mut self) -> ObjectId {
        self.doc.new_object_id()
    }

    /// Puts `object` at `id` (reserved, or to replace).
    pub fn set(&mut self, id: ObjectId, object: impl Into<Object>) {
        self.doc.objects.insert(id, object.into());
    }

    /// Names the object `id` as the page's XObject resource `name`.
    pub fn xobject(&mut self, name: &str, id: ObjectId) {
        self.xobjects.set(name, id);
    }

    /// Names `value` as the page's resource `name` of `category`
    /// (`ExtGState`, `ColorSpace`, …).
    pub fn resource(&mut self, category: &str, name: &str, value: impl Into<Object>) {
        let mut entries = self
            .resources
            .get(category.as_bytes())
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default();
        entries.set(name, value);
        self.resources.set(category, entries);
    }

    /// Adds `object` to the file and returns its id.
    pub fn add(&mut self, object: impl Into<Object>) -> ObjectId {
        self.doc.add_object(object)
    }

    /// Adds a stream with `dict` and `content`.
    pub fn stream(&mut self, dict: Dictionary, content: impl Into<Vec<u8>>) -> ObjectId {
        self.doc.add_object(Stream::new(dict, content.into()))
    }

    /// Names `font` as the page's font resource `name`.
    pub fn font(&mut self, name: &str, font: Dictionary) {
        let id = self.add(font);
        self.fonts.set(name, id);
    }

    /// Names a form XObject drawing `content` with `matrix` as `name`; it
    /// uses the page's fonts.
    pub fn form(&mut self, name: &str, matrix: [f32; 6], content: &str) {
        let fonts = Object::Dictionary(self.fonts.clone());
        let id = self.stream(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Matrix" => matrix.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
                "Resources" => dictionary! { "Font" => fonts },
            },
            content.as_bytes().to_vec(),
        );
        self.xobjects.set(name, id);
    }

    /// Names a form XObject whose content is `stream` as `name`.
    pub fn form_stream(&mut self, name: &str, mut stream: Stream) {
        stream.dict.set("Type", "XObject");
        stream.dict.set("Subtype", "Form");
        stream
            .dict
            .set("BBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        let id = self.add(stream);
        self.xobjects.set(name, id);
    }

    /// Names a grey image `width` × `height` pixels as `name`.
    pub fn image(&mut self, name: &str, width: i64, height: i64, pixels: Vec<u8>) {
        let id = self.stream(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            pixels,
        );
        self.xobjects.set(name, id);
    }

    /// The file: one A4 page drawing `content`.
    pub fn page(self, content: &[u8]) -> Vec<u8> {
        self.page_with(
            vec![Stream::new(dictionary! {}, content.to_vec())],
            |_, _| {},
        )
    }

    /// The file: one A4 page drawing `contents` one after the other, its
    /// dictionary changed by `edit` (given the document too, to add
    /// objects) before the file is written.
    pub fn page_with(
        self,
        contents: Vec<Stream>,
        edit: impl FnOnce(&mut lopdf::Document, &mut Dictionary),
    ) -> Vec<u8> {
        let PdfBuilder {
            mut doc,
            fonts,
            xobjects,
            resources,
        } = self;
        let pages_id = doc.new_object_id();
        let content_ids: Vec<Object> = contents
            .into_iter()
            .map(|c| doc.add_object(c).into())
            .collect();
        let mut resources = resources;
        resources.set("Font", fonts);
        resources.set("XObject", xobjects);
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => match content_ids.as_slice() {
                [one] => one.clone(),
                _ => Object::Array(content_ids.clone()),
            },
            "Resources" => resources,
        };
        edit(&mut doc, &mut page);
        let page_id = doc.add_object(page);
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    /// A Type0 font with a CID font under it (no font program: text
    /// extraction needs none) and `encoding` (a CMap name or stream).
    pub fn type0_font(
        &mut self,
        encoding: Object,
        to_unicode: Option<Object>,
        widths: Option<Vec<Object>>,
    ) -> Dictionary {
        let descriptor = self.add(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "KeikakuTest", "Flags" => 4,
            "FontBBox" => vec![0.into(), (-120).into(), 1000.into(), 880.into()],
            "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120,
            "CapHeight" => 700, "StemV" => 80,
        });
        let mut cid_font = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "KeikakuTest",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Japan1"),
                "Supplement" => 6,
            },
            "FontDescriptor" => descriptor,
            "DW" => 1000,
        };
        if let Some(widths) = widths {
            cid_font.set("W", widths);
        }
        let mut font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "KeikakuTest",
            "Encoding" => encoding,
            "DescendantFonts" => vec![Object::Dictionary(cid_font)],
        };
        if let Some(to_unicode) = to_unicode {
            font.set("ToUnicode", to_unicode);
        }
        font
    }

    /// Names as `name` an `Identity-H` font whose two-byte codes stand for
    /// the characters of `alphabet` (see [`codes_in`]).
    pub fn alphabet_font(&mut self, name: &str, alphabet: &str) {
        let to_unicode = self.unicode_cmap(2, &alphabet_codes(alphabet));
        let font = self.type0_font(Object::Name(b"Identity-H".to_vec()), Some(to_unicode), None);
        self.font(name, font);
    }

    /// A ToUnicode CMap stream mapping each one-byte or two-byte code (as
    /// hex) to its text.
    pub fn unicode_cmap<S: AsRef<str>>(&mut self, code_bytes: usize, pairs: &[(u32, S)]) -> Object {
        let hex = |code: u32| format!("{code:0width$X}", width = code_bytes * 2);
        let (lo, hi) = (0, (1u64 << (8 * code_bytes)) - 1);
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
             /CMapName /KeikakuTest-UCS2 def /CMapType 2 def\n",
        );
        cmap += &format!(
            "1 begincodespacerange <{}> <{}> endcodespacerange\n",
            hex(lo),
            hex(hi as u32)
        );
        cmap += &format!("{} beginbfchar\n", pairs.len());
        for (code, text) in pairs {
            let utf16: String = text
                .as_ref()
                .encode_utf16()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            cmap += &format!("<{}> <{utf16}>\n", hex(*code));
        }
        cmap += "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n";
        Object::Reference(self.stream(dictionary! {}, cmap.into_bytes()))
    }
}

/// `text` as a PDF hex string of two-byte codes: each character is its
/// position in `alphabet` plus one (the codes of [`PdfBuilder::unicode_cmap`]
/// and [`PdfBuilder::alphabet_font`] built over the same alphabet).
pub fn codes_in(alphabet: &str, text: &str) -> String {
    let hex: String = text
        .chars()
        .map(|c| {
            let i = alphabet.chars().position(|a| a == c).expect("in alphabet");
            format!("{:04X}", i + 1)
        })
        .collect();
    format!("<{hex}>")
}

/// Each character of `alphabet` with its two-byte code (see [`codes_in`]).
fn alphabet_codes(alphabet: &str) -> Vec<(u32, String)> {
    alphabet
        .chars()
        .enumerate()
        .map(|(i, c)| (i as u32 + 1, c.to_string()))
        .collect()
}
