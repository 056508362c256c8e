//! What the fuzz targets check on each input (`fuzz_targets/`): keikaku
//! either refuses it with one error line of the kinds its format can give, or
//! converts it to a document that the writer accepts (valid against
//! `schema/`) and whose every location points into the input. Any panic,
//! abort, hang or runaway memory on the way is a finding.
//!
//! The targets call [`keikaku::convert`], not `convert_path`: the latter
//! catches panics (so that a batch goes on), which would hide them from the
//! fuzzer.

use keikaku::{records, write, Document, InputError};

/// The input formats, each with the file name it is given to keikaku under
/// (the name's extension chooses the reader) and the errors it may refuse
/// an input with.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    Text,
    Pdf,
}

impl Format {
    fn file_name(self) -> &'static str {
        match self {
            Format::Text => "input.txt",
            Format::Pdf => "input.pdf",
        }
    }

    /// Whether `error` is one that this format's reader may give. A text
    /// refused as a PDF, or an input refused for its size (the fuzzer's
    /// inputs are far below the limit), is a bug.
    fn may_refuse_with(self, error: &InputError) -> bool {
        match self {
            Format::Text => matches!(
                error,
                InputError::Empty
                    | InputError::Binary
                    | InputError::UnknownEncoding { .. }
                    | InputError::TooManyPages { .. }
            ),
            Format::Pdf => matches!(
                error,
                InputError::Empty | InputError::Pdf { .. } | InputError::TooManyPages { .. }
            ),
        }
    }
}

/// Converts `data` as an input of `format` and checks the outcome; panics
/// (a finding) if a check fails.
pub fn check(format: Format, data: &[u8]) {
    match keikaku::convert(format.file_name(), data) {
        Ok(document) => check_document(&document),
        Err(error) => check_error(format, &error),
    }
}

/// A refusal is one line (the batch prints it after `keikaku: error: FILE:`)
/// and of a kind the format can give.
fn check_error(format: Format, error: &InputError) {
    let message = error.to_string();
    assert!(
        !message.trim().is_empty() && !message.contains(['\n', '\r']),
        "an error message that is not one line: {message:?}"
    );
    assert!(
        format.may_refuse_with(error),
        "a {format:?} input refused with {error:?}"
    );
}

/// The document goes through the writer as `keikaku convert` writes it
/// (which checks it against the document schema), its records as `keikaku
/// records` prints them (each checked against the record schema), and every
/// page and line it names is one of the input's.
fn check_document(document: &Document) {
    if let Err(error) = write::check_document_json(write::document_json(document)) {
        panic!("the document does not match the schema: {error}");
    }
    let records = records::records(document);
    if let Err(error) = write::check_records_jsonl(write::records_jsonl(&records)) {
        panic!("a record does not match the schema: {error}");
    }
    let source = &document.source;
    let within = |what: &str, page: u32, first: u32, last: u32| {
        assert!(
            (1..=source.page_count).contains(&page)
                && 1 <= first
                && first <= last
                && last <= source.line_count,
            "{what} at page {page}, lines {first}–{last}: outside the input's {} pages, {} lines",
            source.page_count,
            source.line_count
        );
    };
    for record in &records {
        within("a record", record.page, record.line_start, record.line_end);
    }
    for line in &document.unplaced {
        within("an unplaced line", line.page, line.line, line.line);
    }
}
