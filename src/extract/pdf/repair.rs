//! Streams whose `/Length` is wrong, read up to their `endstream`.
//!
//! lopdf reads a stream's data by its `/Length`; when the length runs past
//! the end of the file (a file cut short, a producer that wrote a wrong
//! length), or stops short of `endstream`, the whole object fails to load
//! and is left out of the document, or kept as its bare dictionary, without
//! a word, so a page whose content it was came out with no text ("PDF
//! without any text"). pdf.js, poppler and pdfium all fall back on looking
//! for `endstream`; so does this, for the objects the cross-reference table
//! names that lopdf could not load, loaded as a dictionary where the file
//! has a stream, or loaded with no data because an indirect `/Length` was
//! missing.

use lopdf::content::Content;
use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, Stream};

/// At most this many streams are repaired in one document: each repair
/// scans the file, and a real damaged file has a few.
const MAX_REPAIRS: usize = 100;

/// A stream read up to its `endstream` instead of by its `/Length`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The stream object.
    pub id: ObjectId,
    /// The page whose content it is, if it is one's.
    pub page: Option<u32>,
}

impl Repaired {
    /// What was done, in one line.
    pub fn message(&self) -> String {
        let (number, generation) = self.id;
        format!(
            "stream object {number} {generation} R: its /Length does not match its data (past the end of the file?); read up to its endstream"
        )
    }
}

/// Repairs the streams of `document` (loaded from `bytes`) that lopdf could
/// not read by their length. Encrypted documents are left alone (their
/// streams would need decrypting).
pub fn streams_cut_short(document: &mut Document, bytes: &[u8]) -> Vec<Repaired> {
    if document.trailer.has(b"Encrypt") {
        return Vec::new();
    }
    let broken: Vec<(ObjectId, usize)> = document
        .reference_table
        .entries
        .iter()
        .filter_map(|(&number, entry)| match *entry {
            XrefEntry::Normal { offset, generation } => {
                let id = (number, generation);
                let unread = match document.objects.get(&id) {
                    None | Some(Object::Dictionary(_)) => true,
                    Some(Object::Stream(s)) => s.content.is_empty() && s.start_position.is_some(),
                    Some(_) => false,
                };
                unread.then_some((id, offset as usize))
            }
            _ => None,
        })
        .collect();
    // Most candidates are dictionaries that are only that; the ones
    // followed by `stream` are read.
    let streams: Vec<(ObjectId, usize, usize)> = broken
        .into_iter()
        .filter_map(|(id, offset)| Some((id, offset, stream_keyword(bytes, offset, id)?)))
        .take(MAX_REPAIRS)
        .collect();
    if streams.is_empty() {
        return Vec::new();
    }
    let ends = endstreams(bytes);
    let mut repaired = Vec::new();
    for (id, offset, keyword) in streams {
        if let Some(stream) = read_stream(bytes, offset, keyword, &ends) {
            document.objects.insert(id, Object::Stream(stream));
            repaired.push(Repaired { id, page: None });
        }
    }
    repaired
}

/// The repaired streams, each with the page whose content it is.
pub fn on_pages(mut repaired: Vec<Repaired>, document: &Document) -> Vec<Repaired> {
    if repaired.is_empty() {
        return repaired;
    }
    for (number, page_id) in document.get_pages() {
        let contents = document.get_page_contents(page_id);
        for r in repaired.iter_mut().filter(|r| r.page.is_none()) {
            if contents.contains(&r.id) {
                r.page = Some(number);
            }
        }
    }
    repaired
}

/// Where each `endstream` of the file starts, in order (one scan of the
/// file, however many streams are repaired).
fn endstreams(bytes: &[u8]) -> Vec<usize> {
    match regex::bytes::Regex::new("endstream") {
        Ok(pattern) => pattern.find_iter(bytes).map(|m| m.start()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A stream's dictionary is no longer than this.
const MAX_DICTIONARY: usize = 64 << 10;

/// Where the `stream` keyword of object `id` at `offset` is in the file:
/// right after the object's dictionary, before any `endobj`. None for an
/// object that is not a stream.
fn stream_keyword(bytes: &[u8], offset: usize, id: ObjectId) -> Option<usize> {
    let object = bytes.get(offset..)?;
    let header = format!("{} {} obj", id.0, id.1);
    let body_at = object
        .get(..header.len() + 16)
        .unwrap_or(object)
        .windows(header.len())
        .position(|w| w == header.as_bytes())?
        + header.len();
    let body = object.get(body_at..)?;
    let body = body.get(..MAX_DICTIONARY).unwrap_or(body);
    // Whichever comes first: a plain object's `endobj` ends the search at
    // once (this runs for every dictionary of the file).
    let keyword = body
        .windows(6)
        .position(|w| w == b"stream" || w == b"endobj")
        .filter(|&at| body.get(at..at + 6) == Some(&b"stream"[..]))?;
    let before = body.get(..keyword)?.trim_ascii();
    let is_dictionary = before.starts_with(b"<<") && before.ends_with(b">>");
    is_dictionary.then_some(offset + body_at + keyword)
}

/// The stream whose `stream` keyword is at `keyword`: its dictionary
/// (between `obj` and the keyword), and its data from after the keyword's
/// line to before the next `endstream` (or the end of the file).
fn read_stream(bytes: &[u8], offset: usize, keyword: usize, ends: &[usize]) -> Option<Stream> {
    let before = bytes.get(offset..keyword)?;
    let open = before.windows(2).position(|w| w == b"<<")?;
    let dictionary_text = before.get(open..)?;
    // The stream keyword ends its line (CR LF or LF).
    let mut data_at = keyword + 6;
    match bytes.get(data_at..data_at + 2) {
        Some(b"\r\n") => data_at += 2,
        Some([b'\n' | b'\r', _]) => data_at += 1,
        _ => {}
    }
    let end = ends
        .get(ends.partition_point(|&e| e < data_at))
        .copied()
        .unwrap_or(bytes.len());
    let mut data = bytes.get(data_at..end)?;
    for eol in [&b"\r\n"[..], b"\n", b"\r"] {
        if let Some(trimmed) = data.strip_suffix(eol) {
            data = trimmed;
            break;
        }
    }
    let dictionary = parse_dictionary(dictionary_text)?;
    Some(Stream::new(dictionary, data.to_vec()))
}

/// A dictionary written as PDF text, read by lopdf's content parser (as the
/// operand of a made-up operator: lopdf's object parser is private).
fn parse_dictionary(text: &[u8]) -> Option<lopdf::Dictionary> {
    let mut operation = text.to_vec();
    operation.extend_from_slice(b" x");
    let content = Content::decode(&operation).ok()?;
    match content.operations.first()?.operands.first()? {
        Object::Dictionary(dictionary) => Some(dictionary.clone()),
        _ => None,
    }
}
