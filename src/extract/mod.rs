//! Stage 1, extract: bytes → lines of text, each with its page and line.
//!
//! Text input is decoded by [`text`] (any Japanese encoding, each
//! undecodable byte sequence a warning with its offset); a form feed starts
//! a new page, as `pdftotext` writes them. PDF input is read by [`pdf`], which rebuilds
//! lines and table rows from glyph positions and gives the same
//! [`Extracted`] value, so later stages do not care where lines came from.

pub mod pdf;
pub mod text;

use crate::document::{Format, Furniture, Location, SourceMeta, Warning, WarningCode};
use crate::error::InputError;
use encoding_rs::Encoding;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// One line of the source as decoded, with where it stood: its cells, kept
/// apart as the input separates them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// Page and line.
    pub location: Location,
    /// The line's cells. A text line's are the parts between its tabs, all
    /// of them (joined by tabs they give the line back as decoded); a PDF
    /// line's are its cells as laid out, a table row keeping the empty cells
    /// before and between its filled ones and none after. A line of one
    /// cell is plain text.
    pub cells: Vec<String>,
    /// Whether each cell's place in `cells` is its column in its table.
    pub columns: CellColumns,
    /// The PDF layout saw the line run up to the right edge of its page's
    /// text frame with the next line's first unit not fitting: the line
    /// break is the frame's. Never set for a text file, whose lines give no
    /// frame.
    pub wrapped_at_edge: bool,
}

/// How a line's cells stand under the columns of the table they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellColumns {
    /// The cells are in order, but which column each stands in is for
    /// segment to find from its content: the tabs of a text export, whose
    /// rows come shifted, or a PDF line cut at wide gaps.
    #[default]
    InOrder,
    /// Cell *i* stands in column *i* of its table: the PDF layout found the
    /// table's columns (from its rules or fills, or from the alignment of its
    /// text) and placed each cell under one.
    Known,
}

impl SourceLine {
    /// A line of a text file: its cells split at tabs.
    pub fn from_text(location: Location, text: &str) -> SourceLine {
        SourceLine {
            location,
            cells: split_at_byte(text, b'\t').map(str::to_string).collect(),
            columns: CellColumns::InOrder,
            wrapped_at_edge: false,
        }
    }

    /// The line as text: its cells joined by tabs (for a text line, the line
    /// as decoded).
    pub fn text(&self) -> String {
        self.cells.join("\t")
    }
}

/// The extract stage's output: what the input was and its lines.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// File name, hash, format, encoding, counts.
    pub meta: SourceMeta,
    /// Every line, blank ones included, in order.
    pub lines: Vec<SourceLine>,
    /// Decoding problems and layout repairs, with where they stood.
    pub warnings: Vec<Warning>,
    /// A PDF's page furniture (running headers, page numbers, repeated
    /// table headers), set aside from the lines.
    pub furniture: Vec<Furniture>,
    /// A PDF's pages drawn again from the glyphs each line was read from:
    /// filled by [`extract_for_review`] only, empty otherwise.
    pub page_views: Vec<pdf::view::PageView>,
}

/// How to read inputs. (Serializable, so that a batch can hand them to its
/// worker processes.)
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExtractOptions {
    /// The user password of encrypted PDFs.
    pub password: Option<String>,
    /// The encoding of text inputs, instead of the one detected.
    #[serde(with = "encoding_by_name")]
    pub encoding: Option<&'static Encoding>,
    /// The largest input read.
    pub limits: Limits,
}

/// The largest input keikaku reads, and the most work one document may
/// cost: a file past them is refused with an error (one line naming the
/// limit and its flag) rather than read at any size or for any time.
/// (Compressed PDF streams have a fixed cap of their own,
/// `pdf_extract::MAX_INFLATED_STREAM`.)
///
/// The PDF work limits are summed over all the pages of one document and
/// all the threads reading them. Their defaults are ten to a hundred times
/// what the longest real plans need (a 200-page plan draws about 2,000
/// glyphs and at most 100,000 operators a page, a few forms a page, and
/// inflates tens of megabytes), and low enough that a hostile file built to
/// pass them stops within seconds and a few hundred megabytes on a 2-core
/// machine: the glyphs drawn are kept (about 80 bytes each, more in layout),
/// so they bound memory; the operators and form draws bound time (a million
/// form draws took minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// The input's size in bytes.
    pub max_input_bytes: u64,
    /// Its pages (a PDF's pages, or a text's form-feed pages).
    pub max_pages: u32,
    /// The time one input may take (`--timeout`): the PDF reader stops
    /// past it, and a batch's worker process is killed soon after.
    pub timeout: Option<std::time::Duration>,
    /// A text's lines (`--max-lines`).
    pub max_lines: u64,
    /// A text line's length in bytes (`--max-line-length`).
    pub max_line_bytes: u64,
    /// Content-stream operators a PDF may execute (a form's each time it
    /// is drawn).
    pub max_operators: u64,
    /// Glyphs a PDF may draw.
    pub max_glyphs: u64,
    /// Form XObjects a PDF may draw.
    pub max_form_draws: u64,
    /// Bytes a PDF's compressed streams may inflate to, in all.
    pub max_inflated_bytes: u64,
}

impl Limits {
    /// 256 MiB: a published plan is a few megabytes, a scanned one tens.
    pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;
    /// 5,000 pages: the longest plans have a few hundred.
    pub const DEFAULT_MAX_PAGES: u32 = 5000;
    /// 60 s: a plan of a few hundred pages converts in under a second.
    pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
    /// 250,000 lines: a whole prefectural plan has a few thousand. Every
    /// line costs a record or an unplaced entry in the output, about 1 KB of
    /// memory while it is built.
    pub const DEFAULT_MAX_LINES: u64 = 250_000;
    /// 1 MiB: a paragraph left unwrapped is a few kilobytes; a longer line
    /// is not a plan's text, and is copied a few times on its way out.
    pub const DEFAULT_MAX_LINE_BYTES: u64 = 1 << 20;
    /// 20 million: 200 pages of 100,000 operators (a dense page of a real
    /// plan has a few thousand to tens of thousands); about 3 s of parsing.
    pub const DEFAULT_MAX_OPERATORS: u64 = 20_000_000;
    /// 4 million: 2,000 pages of 2,000 glyphs; kept as they are drawn, they
    /// take about 700 MB through layout at most.
    pub const DEFAULT_MAX_GLYPHS: u64 = 4_000_000;
    /// 100,000: a form or two on each page of the longest plans, a hundred
    /// times over; a form draw costs microseconds to milliseconds.
    pub const DEFAULT_MAX_FORM_DRAWS: u64 = 100_000;
    /// 1 GiB: a plan's content streams and fonts inflate to tens of
    /// megabytes (images are not inflated); inflating 1 GiB takes seconds.
    pub const DEFAULT_MAX_INFLATED_BYTES: u64 = 1 << 30;

    /// An error if an input of `size` bytes is over the limit.
    pub fn check_size(&self, size: u64) -> Result<(), InputError> {
        if size > self.max_input_bytes {
            return Err(InputError::TooLarge {
                size: Some(size),
                limit: self.max_input_bytes,
            });
        }
        Ok(())
    }

    /// An error if `pages` pages are over the limit.
    pub fn check_pages(&self, pages: u32) -> Result<(), InputError> {
        if pages > self.max_pages {
            return Err(InputError::TooManyPages {
                pages,
                limit: self.max_pages,
            });
        }
        Ok(())
    }

    /// An error if `text` has more lines, or a longer line, than the
    /// limits: checked on the decoded text before it is split, so that a
    /// refused text costs no more than its decoding.
    pub fn check_lines(&self, text: &str) -> Result<(), InputError> {
        // Counted as `split_lines` splits: the last line end ends a line.
        let text = text.strip_suffix('\n').unwrap_or(text);
        let bytes = text.strip_suffix('\r').unwrap_or(text).as_bytes();
        let is_end =
            |i: usize, b: u8| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        let mut lines = 0u64;
        let mut start = 0usize;
        let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes)
            .map(|i| (i, bytes[i]))
            .filter(|&(i, b)| is_end(i, b));
        loop {
            let end = ends.next().map(|(i, _)| i);
            lines += 1;
            let length = (end.unwrap_or(bytes.len()) - start) as u64;
            if length > self.max_line_bytes {
                return Err(InputError::LineTooLong {
                    line: lines,
                    bytes: length,
                    limit: self.max_line_bytes,
                });
            }
            if lines > self.max_lines {
                let rest = ends.count() as u64;
                return Err(InputError::TooManyLines {
                    lines: lines + rest + u64::from(end.is_some()),
                    limit: self.max_lines,
                });
            }
            match end {
                Some(end) => start = end + 1,
                None => return Ok(()),
            }
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: Self::DEFAULT_MAX_INPUT_BYTES,
            max_pages: Self::DEFAULT_MAX_PAGES,
            timeout: Some(Self::DEFAULT_TIMEOUT),
            max_lines: Self::DEFAULT_MAX_LINES,
            max_line_bytes: Self::DEFAULT_MAX_LINE_BYTES,
            max_operators: Self::DEFAULT_MAX_OPERATORS,
            max_glyphs: Self::DEFAULT_MAX_GLYPHS,
            max_form_draws: Self::DEFAULT_MAX_FORM_DRAWS,
            max_inflated_bytes: Self::DEFAULT_MAX_INFLATED_BYTES,
        }
    }
}

/// An encoding as its WHATWG name, for serde.
mod encoding_by_name {
    use encoding_rs::Encoding;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        encoding: &Option<&'static Encoding>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        encoding.map(Encoding::name).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<&'static Encoding>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|name| {
                Encoding::for_label(name.as_bytes())
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown encoding {name:?}")))
            })
            .transpose()
    }
}

/// Reads `bytes` (the content of a file called `file_name`) into lines.
pub fn extract(file_name: &str, bytes: &[u8]) -> Result<Extracted, InputError> {
    extract_with(file_name, bytes, &ExtractOptions::default())
}

/// [`extract`], with options.
pub fn extract_with(
    file_name: &str,
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<Extracted, InputError> {
    extract_keeping(file_name, bytes, options, false)
}

/// [`extract_with`], keeping a PDF's pages as read ([`Extracted::page_views`])
/// for the review report.
pub fn extract_for_review(
    file_name: &str,
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<Extracted, InputError> {
    extract_keeping(file_name, bytes, options, true)
}

fn extract_keeping(
    file_name: &str,
    bytes: &[u8],
    options: &ExtractOptions,
    page_views: bool,
) -> Result<Extracted, InputError> {
    options.limits.check_size(bytes.len() as u64)?;
    if is_pdf(file_name, bytes) {
        return extract_pdf(file_name, bytes, options, page_views);
    }
    let decoded = text::decode(bytes, options.encoding)?;
    if decoded.text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    if looks_binary(&decoded.text) {
        return Err(InputError::Binary);
    }
    options.limits.check_lines(&decoded.text)?;
    let (lines, starts) = split_lines(&decoded.text);
    options
        .limits
        .check_pages(lines.last().map_or(1, |l| l.location.page))?;
    let warnings = decoding_warnings(&decoded, &lines, &starts);
    let meta = SourceMeta {
        file_name: file_name.to_string(),
        sha256: sha256_hex(bytes),
        format: Format::Txt,
        encoding: decoded.encoding.name().to_string(),
        byte_count: bytes.len() as u64,
        page_count: lines.last().map_or(1, |l| l.location.page),
        line_count: lines.len() as u32,
    };
    Ok(Extracted {
        meta,
        lines,
        warnings,
        furniture: Vec::new(),
        page_views: Vec::new(),
    })
}

/// A warning for each undecodable byte sequence, at the line it stood on,
/// and one for a declared encoding the bytes are not in.
fn decoding_warnings(
    decoded: &text::Decoded,
    lines: &[SourceLine],
    starts: &[usize],
) -> Vec<Warning> {
    let line_at = |text_offset: usize| {
        let index = starts.partition_point(|&start| start <= text_offset);
        lines[index.saturating_sub(1)].location
    };
    let mut warnings = Vec::new();
    if let Some(declared) = decoded.rejected_declaration {
        warnings.push(Warning {
            code: WarningCode::UndecodableBytes,
            message: format!(
                "the text declares the encoding {} but is not valid in it; read as {}, detected from its bytes",
                declared.name(),
                decoded.encoding.name()
            ),
            page: 1,
            line: 1,
        });
    }
    for bad in &decoded.undecodable {
        let at = line_at(bad.text_offset);
        let hex: Vec<String> = bad.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
        warnings.push(Warning {
            code: WarningCode::UndecodableBytes,
            message: format!(
                "byte(s) {} at byte offset {} are not valid {}; read as U+FFFD",
                hex.join(" "),
                bad.offset,
                decoded.encoding.name()
            ),
            page: at.page,
            line: at.line,
        });
    }
    warnings
}

fn extract_pdf(
    file_name: &str,
    bytes: &[u8],
    options: &ExtractOptions,
    page_views: bool,
) -> Result<Extracted, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if !bytes.starts_with(b"%PDF") {
        return Err(InputError::pdf(crate::PdfProblem::NotPdf));
    }
    let password = options.password.as_deref();
    let (text, page_views) = if page_views {
        pdf::read_pdf_for_review(bytes, password, &options.limits)?
    } else {
        (pdf::read_pdf(bytes, password, &options.limits)?, Vec::new())
    };
    let line_count = text.lines.len() as u32 + text.furniture.len() as u32;
    let meta = SourceMeta {
        file_name: file_name.to_string(),
        sha256: sha256_hex(bytes),
        format: Format::Pdf,
        encoding: "PDF".to_string(),
        byte_count: bytes.len() as u64,
        page_count: text.page_count,
        line_count,
    };
    Ok(Extracted {
        meta,
        lines: text.lines,
        warnings: text.warnings,
        furniture: text.furniture,
        page_views,
    })
}

/// The lines as `keikaku text` prints them: page furniture in its place,
/// cells separated by tabs, a form feed before each new page, so that the
/// n-th line printed is line n of the output's locations.
pub fn numbered_text(extracted: &Extracted) -> String {
    let mut lines: Vec<(Location, String)> = extracted
        .lines
        .iter()
        .map(|l| (l.location, l.text()))
        .chain(extracted.furniture.iter().map(|f| {
            (
                Location {
                    page: f.page,
                    line: f.line,
                },
                f.text.clone(),
            )
        }))
        .collect();
    lines.sort_by_key(|(location, _)| *location);
    let mut out = String::new();
    let mut page = 1;
    for (location, text) in lines {
        while page < location.page {
            out.push('\u{c}');
            page += 1;
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// A PDF is recognised by its magic bytes, or its name when the bytes are
/// damaged, so that a truncated PDF is not read as text.
fn is_pdf(file_name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF") || file_name.to_ascii_lowercase().ends_with(".pdf")
}

/// Text with NUL bytes, or where control characters other than tab, form
/// feed and line endings are more than 1 in 100 characters, is not a text
/// document.
fn looks_binary(text: &str) -> bool {
    // Most texts hold no byte a control character is made of: that is
    // found a block of bytes at a time (a loop the compiler reads a vector
    // at a time), before any character is decoded.
    let may_be_control =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f || b == 0xc2;
    let any_such_byte = text.as_bytes().chunks(64).any(|block| {
        block
            .iter()
            .fold(false, |found, &b| found | may_be_control(b))
    });
    if !any_such_byte {
        return false;
    }
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    control * 100 > total
}

/// Splits on LF, CRLF and CR; a form feed starts a new page and restarts
/// nothing else (line numbers are the file's, so an editor finds them).
/// Also gives the byte offset in `text` where each line starts.
fn split_lines(text: &str) -> (Vec<SourceLine>, Vec<usize>) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    let mut page = 1u32;
    let mut offset = 0;
    for raw in split_at_byte(text, b'\n') {
        let line_end = offset + raw.len() + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A lone CR inside what LF splitting gave us is an old Mac line end.
        for mut part in split_at_byte(raw, b'\r') {
            starts.push(offset);
            offset += part.len() + 1;
            while let Some(rest) = part.strip_prefix('\u{c}') {
                page += 1;
                part = rest;
            }
            let line_number = (lines.len() + 1) as u32;
            let location = Location {
                page,
                line: line_number,
            };
            let text = if memchr::memchr(0x0c, part.as_bytes()).is_some() {
                Cow::Owned(part.replace('\u{c}', ""))
            } else {
                Cow::Borrowed(part)
            };
            lines.push(SourceLine::from_text(location, &text));
        }
        offset = line_end;
    }
    (lines, starts)
}

/// `text` split at each `byte`, an ASCII byte, as `str::split` splits it
/// at that character; the byte found by the `memchr` crate, a vector at a
/// time (every line and cell of a text input is split so).
fn split_at_byte(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    debug_assert!(byte.is_ascii());
    let mut start = 0;
    memchr::memchr_iter(byte, text.as_bytes())
        .map(Some)
        .chain([None])
        .map(move |at| {
            let end = at.unwrap_or(text.len());
            // An ASCII byte is a character of its own: both ends fall on
            // character boundaries.
            let piece = &text[start..end];
            start = end + 1;
            piece
        })
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    // Into one string: a string per byte would be 32 allocations a file.
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        write!(hex, "{byte:02x}").expect("a String takes any text");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::SHIFT_JIS;
    use proptest::prelude::*;

    #[test]
    fn the_hash_is_written_as_lowercase_hex() {
        // FIPS 180-2's example for "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// [`looks_binary`] as its doc says it, a character at a time.
    fn looks_binary_by_characters(text: &str) -> bool {
        let total = text.chars().count();
        let control = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
            .count();
        text.contains('\0') || control * 100 > total
    }

    proptest! {
        #[test]
        fn split_at_a_byte_as_str_splits(
            text in "[a\t\r\nあ漢]{0,12}",
            byte in proptest::sample::select(&[b'\t', b'\r', b'\n'][..]),
        ) {
            let split: Vec<&str> = split_at_byte(&text, byte).collect();
            prop_assert_eq!(split, text.split(char::from(byte)).collect::<Vec<_>>());
        }

        #[test]
        fn binary_counted_on_bytes_as_on_characters(
            text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}あ])*",
            prose in "[あ-ん漢字 \t\n\r\u{c}]{0,300}",
            controls in "[\u{1}-\u{8}\u{7f}-\u{9f}]{0,4}",
        ) {
            prop_assert_eq!(looks_binary(&text), looks_binary_by_characters(&text));
            // Near the threshold: a little control in much prose.
            let mixed = format!("{prose}{controls}");
            prop_assert_eq!(looks_binary(&mixed), looks_binary_by_characters(&mixed));
        }
    }

    #[test]
    fn empty_and_blank_inputs_are_errors() {
        assert_eq!(extract("a.txt", b"").unwrap_err(), InputError::Empty);
        assert_eq!(extract("a.txt", b" \n\t\n").unwrap_err(), InputError::Empty);
    }

    #[test]
    fn binary_garbage_is_an_error() {
        let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(matches!(
            extract("a.txt", &garbage).unwrap_err(),
            InputError::Binary | InputError::UnknownEncoding { .. }
        ));
        assert_eq!(
            extract("a.txt", b"abc\x01\x02\x03\x04def").unwrap_err(),
            InputError::Binary
        );
    }

    #[test]
    fn line_endings_and_form_feeds() {
        let got = extract("a.txt", b"a\r\nb\rc\n\x0cd\n").unwrap();
        let texts: Vec<_> = got.lines.iter().map(|l| l.text()).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        let pages: Vec<_> = got.lines.iter().map(|l| l.location.page).collect();
        assert_eq!(pages, [1, 1, 1, 2]);
        let numbers: Vec<_> = got.lines.iter().map(|l| l.location.line).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(got.meta.page_count, 2);
    }

    #[test]
    fn boms_and_legacy_encodings() {
        let text = "基本目標 1 多様な主体\n";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let got = extract("a.txt", &sjis).unwrap();
        assert_eq!(got.meta.encoding, "Shift_JIS");
        assert_eq!(got.lines[0].text(), "基本目標 1 多様な主体");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(
            extract("a.txt", &bom).unwrap().lines[0].text(),
            "基本目標 1 多様な主体"
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let got = extract("a.txt", &utf16).unwrap();
        assert_eq!(got.meta.encoding, "UTF-16LE");
        assert_eq!(got.lines[0].text(), "基本目標 1 多様な主体");
    }

    #[test]
    fn line_limits_count_lines_as_they_are_split() {
        let limits = Limits {
            max_lines: 3,
            max_line_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(limits.check_lines("a\r\nb\rc\n"), Ok(()));
        assert_eq!(limits.check_lines("abcd\nabcd"), Ok(()));
        assert_eq!(
            limits.check_lines("a\nb\nc\nd\n"),
            Err(InputError::TooManyLines { lines: 4, limit: 3 })
        );
        assert_eq!(
            limits.check_lines("a\nabcde\n"),
            Err(InputError::LineTooLong {
                line: 2,
                bytes: 5,
                limit: 4
            })
        );
        let refused = extract_with(
            "a.txt",
            "一\n二\n三\n四\n".as_bytes(),
            &ExtractOptions {
                limits,
                ..ExtractOptions::default()
            },
        );
        assert!(matches!(refused, Err(InputError::TooManyLines { .. })));
    }

    #[test]
    fn a_pdf_name_on_other_bytes_is_not_read_as_text() {
        assert!(matches!(
            extract("a.pdf", b"hello").unwrap_err(),
            InputError::Pdf { .. }
        ));
        assert!(matches!(
            extract("a.pdf", b"%PDF-1.7").unwrap_err(),
            InputError::Pdf { .. }
        ));
    }
}
