//! keikaku (計画, "plan") turns Japanese municipal plan documents (地域福祉計画
//! and their yearly progress reports) into validated, structured data.
//!
//! The pipeline has four stages, each a plain function from one typed value
//! to the next:
//!
//! 1. [`extract::extract`]: bytes → [`extract::Extracted`] (lines with page and line);
//! 2. [`normalize::normalize`]: → [`normalize::Normalized`] (cells, folded characters);
//! 3. [`segment::segment`]: → [`document::Document`] (the goal → policy → … tree);
//! 4. [`write`]: → JSON checked against `schema/`, and [`records::records`] for
//!    the flat records.
//!
//! [`convert`] runs the first three.
//!
//! ```
//! let text = "基本目標 1 参加する地域づくり\n基本方針\t具体的取組・事業名\t回答課\n(1)健康づくり\t1 体操\t地域支援課\n";
//! let document = keikaku::convert("plan.txt", text.as_bytes()).unwrap();
//! let records = keikaku::records::records(&document);
//! assert_eq!(records[0].goal_number, Some(1));
//! assert_eq!(records[0].departments, ["地域支援課"]);
//! ```

pub mod batch;
pub mod diff;
pub mod document;
pub mod error;
pub mod extract;
pub mod normalize;
pub mod per_thread;
pub mod quoted;
pub mod records;
pub mod report;
pub mod schema;
pub mod segment;
pub mod write;

/// Every line of the fixture texts (`fixtures/input`), for the tests that
/// check a pattern, a gate or a shortcut against all of them.
#[cfg(test)]
fn fixture_lines() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/input");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Every text of up to `count` of `pieces` in a row (each piece may come
/// again), for the tests that prove a shortcut on all the texts a pattern's
/// pieces make.
#[cfg(test)]
fn texts_of_pieces(pieces: &[&str], count: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut longest = vec![String::new()];
    for _ in 0..count {
        longest = longest
            .iter()
            .flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}")))
            .collect();
        texts.extend(longest.iter().cloned());
    }
    texts
}

#[cfg(test)]
#[test]
fn texts_of_pieces_are_every_row_of_up_to_count_pieces() {
    assert_eq!(
        texts_of_pieces(&["a", "b"], 2),
        ["", "a", "b", "aa", "ab", "ba", "bb"]
    );
}

pub use document::Document;
pub use error::{Error, InputError, PdfProblem};

/// Reads, normalizes and segments one input, given its file name (for the
/// source metadata and the format) and its bytes.
pub fn convert(file_name: &str, bytes: &[u8]) -> Result<Document, InputError> {
    convert_with(file_name, bytes, &extract::ExtractOptions::default())
}

/// [`convert`], with options for reading the input (a PDF's password).
pub fn convert_with(
    file_name: &str,
    bytes: &[u8],
    options: &extract::ExtractOptions,
) -> Result<Document, InputError> {
    let extract::Extracted {
        meta,
        lines,
        warnings,
        furniture,
        ..
    } = extract::extract_with(file_name, bytes, options)?;
    // The source lines are not needed past normalize, which takes them over:
    // a line already normal goes on with its own cells, and a long text is
    // not held twice while segment builds the tree.
    let normalized = normalize::normalize_lines(lines, warnings);
    let mut document = segment::segment(meta, normalized);
    document.furniture = furniture;
    Ok(document)
}

/// A conversion kept with what it was read from: what the review report
/// shows side by side.
#[derive(Debug, Clone)]
pub struct Reviewed {
    /// The document, as [`convert`] gives it.
    pub document: Document,
    /// The input as extracted: its numbered lines, furniture and, for a
    /// PDF, its pages drawn again ([`extract::Extracted::page_views`]).
    pub source: extract::Extracted,
}

/// [`convert_with`], keeping the extracted input for the review report.
pub fn convert_for_review(
    file_name: &str,
    bytes: &[u8],
    options: &extract::ExtractOptions,
) -> Result<Reviewed, InputError> {
    let source = extract::extract_for_review(file_name, bytes, options)?;
    let normalized = normalize::normalize(&source);
    let mut document = segment::segment(source.meta.clone(), normalized);
    document.furniture = source.furniture.clone();
    Ok(Reviewed { document, source })
}

/// [`convert_for_review`] of the file at `path`; errors name the file, as
/// [`convert_path`]'s do.
pub fn review_path(
    path: &std::path::Path,
    options: &extract::ExtractOptions,
) -> Result<Reviewed, Error> {
    run_on_file(path, &options.limits, |name, bytes| {
        convert_for_review(name, bytes, options)
    })
}

/// Reads and converts the file at `path`, then checks the document against
/// the schema. Errors name the file. A panic inside the pipeline (a bug, or
/// a dependency's) is caught and reported as this file's error, so that a
/// batch goes on with the other files.
pub fn convert_path(path: &std::path::Path) -> Result<Document, Error> {
    convert_path_with(path, &extract::ExtractOptions::default())
}

/// [`convert_path`], with options for reading the input.
pub fn convert_path_with(
    path: &std::path::Path,
    options: &extract::ExtractOptions,
) -> Result<Document, Error> {
    run_on_file(path, &options.limits, |name, bytes| {
        convert_with(name, bytes, options)
    })
}

/// Reads the file at `path` through the extract stage only (for `keikaku
/// text`). Errors name the file, as [`convert_path`]'s do.
pub fn extract_path(
    path: &std::path::Path,
    options: &extract::ExtractOptions,
) -> Result<extract::Extracted, Error> {
    run_on_file(path, &options.limits, |name, bytes| {
        extract::extract_with(name, bytes, options)
    })
}

/// The name standard input goes by in messages and in a document's source
/// (`grep` says the same).
pub const STDIN_NAME: &str = "(standard input)";

/// Reads a document from `reader` (standard input, say) and converts it,
/// as [`convert_path_with`] converts a file: the size limit is checked as
/// it is read, and errors name the input `name` (see [`STDIN_NAME`]). A PDF
/// is known by its first bytes.
pub fn convert_reader_with(
    name: &str,
    reader: impl std::io::Read,
    options: &extract::ExtractOptions,
) -> Result<Document, Error> {
    let path = std::path::Path::new(name);
    let bytes = read_limited(path, reader, None, &options.limits)?;
    run_on_bytes(path, name, &bytes, |name, bytes| {
        convert_with(name, bytes, options)
    })
}

/// Reads a document from `reader` through the extract stage only, as
/// [`extract_path`] reads a file.
pub fn extract_reader(
    name: &str,
    reader: impl std::io::Read,
    options: &extract::ExtractOptions,
) -> Result<extract::Extracted, Error> {
    let path = std::path::Path::new(name);
    let bytes = read_limited(path, reader, None, &options.limits)?;
    run_on_bytes(path, name, &bytes, |name, bytes| {
        extract::extract_with(name, bytes, options)
    })
}

/// The flat records of a conversion, as JSON values, for `keikaku diff`:
/// from a document JSON or a records JSON Lines file that keikaku wrote, or
/// from an input (`.txt`, `.pdf`) converted now. A file is checked against
/// the schemas as it is read (it may not be keikaku's); records made now
/// conform by construction.
pub fn conversion_records(
    path: &std::path::Path,
    options: &extract::ExtractOptions,
) -> Result<Vec<serde_json::Value>, Error> {
    let not_keikaku = |reason: String| Error::Input {
        path: path.to_path_buf(),
        source: InputError::Unsupported(reason),
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(extension.as_deref(), Some("txt" | "pdf")) {
        let document = convert_path_with(path, options)?;
        return Ok(write::record_values(&records::borrowed(&document)));
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        if value.get("format_version").is_some() {
            schema::validate_document(&value)
                .map_err(|e| not_keikaku(format!("not a keikaku document: {e}")))?;
            let document: Document = serde_json::from_value(value)
                .map_err(|e| not_keikaku(format!("not a keikaku document: {e}")))?;
            return Ok(write::record_values(&records::borrowed(&document)));
        }
    }
    let mut values = Vec::new();
    for (index, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            not_keikaku(format!(
                "line {}: neither a keikaku document nor JSON Lines of records: {e}",
                index + 1
            ))
        })?;
        schema::validate_record(&value)
            .map_err(|e| not_keikaku(format!("line {}: not a keikaku record: {e}", index + 1)))?;
        values.push(value);
    }
    Ok(values)
}

/// Reads the file and runs `stage` on its name and bytes, as
/// [`run_on_bytes`] does.
fn run_on_file<T>(
    path: &std::path::Path,
    limits: &extract::Limits,
    stage: impl Fn(&str, &[u8]) -> Result<T, InputError> + std::panic::RefUnwindSafe,
) -> Result<T, Error> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    let bytes = read_limited(path, file, Some(size), limits)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    run_on_bytes(path, &file_name, &bytes, stage)
}

/// Runs `stage` on an input's name and bytes. A panic inside (a bug, or a
/// dependency's: the PDF parser's on a malformed file) is caught and
/// reported as this input's error, so that a batch goes on.
fn run_on_bytes<T>(
    path: &std::path::Path,
    name: &str,
    bytes: &[u8],
    stage: impl Fn(&str, &[u8]) -> Result<T, InputError> + std::panic::RefUnwindSafe,
) -> Result<T, Error> {
    match std::panic::catch_unwind(|| stage(name, bytes)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(source)) => Err(Error::Input {
            path: path.to_path_buf(),
            source,
        }),
        Err(panic) => Err(Error::Internal {
            path: path.to_path_buf(),
            message: format!(
                "internal error while reading (a bug in keikaku or its PDF parser, please report it): {}",
                panic_message(&panic)
            ),
        }),
    }
}

/// The bytes of `reader`, refused without reading them all if they are
/// more than the limit: a file's `size`, when known, is checked first, and
/// the read stops past the limit in any case (a file that grows meanwhile,
/// a pipe).
fn read_limited(
    path: &std::path::Path,
    reader: impl std::io::Read,
    size: Option<u64>,
    limits: &extract::Limits,
) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let too_large = |size| Error::Input {
        path: path.to_path_buf(),
        source: InputError::TooLarge {
            size,
            limit: limits.max_input_bytes,
        },
    };
    if let Some(size) = size.filter(|&s| s > limits.max_input_bytes) {
        return Err(too_large(Some(size)));
    }
    let mut bytes = Vec::with_capacity(size.unwrap_or(0).min(limits.max_input_bytes) as usize);
    reader
        .take(limits.max_input_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(too_large(size.filter(|&s| s == bytes.len() as u64)));
    }
    Ok(bytes)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
