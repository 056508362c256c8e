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
pub mod records;
pub mod schema;
pub mod segment;
pub mod write;

pub use document::Document;
pub use error::{Error, InputError};

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
    let extracted = extract::extract_with(file_name, bytes, options)?;
    let normalized = normalize::normalize(&extracted);
    // The source lines are not needed past normalize: freed before segment
    // builds the tree, so that a long text is not held twice.
    let extract::Extracted {
        meta, furniture, ..
    } = extracted;
    let mut document = segment::segment(meta, normalized);
    document.furniture = furniture;
    Ok(document)
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

/// The flat records of a conversion, as JSON values, for `keikaku diff`:
/// from a document JSON or a records JSON Lines file that keikaku wrote, or
/// from an input (`.txt`, `.pdf`) converted now. Each record is checked
/// against the record schema.
pub fn conversion_records(
    path: &std::path::Path,
    options: &extract::ExtractOptions,
) -> Result<Vec<serde_json::Value>, Error> {
    let input_error = |reason: String| Error::Input {
        path: path.to_path_buf(),
        reason,
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(extension.as_deref(), Some("txt" | "pdf")) {
        let document = convert_path_with(path, options)?;
        return write::record_values(&records::records(&document)).map_err(input_error);
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        if value.get("format_version").is_some() {
            schema::validate_document(&value)
                .map_err(|e| input_error(format!("not a keikaku document: {e}")))?;
            let document: Document = serde_json::from_value(value)
                .map_err(|e| input_error(format!("not a keikaku document: {e}")))?;
            return write::record_values(&records::records(&document)).map_err(input_error);
        }
    }
    let mut values = Vec::new();
    for (index, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            input_error(format!(
                "line {}: neither a keikaku document nor JSON Lines of records: {e}",
                index + 1
            ))
        })?;
        schema::validate_record(&value)
            .map_err(|e| input_error(format!("line {}: not a keikaku record: {e}", index + 1)))?;
        values.push(value);
    }
    Ok(values)
}

/// Reads the file and runs `stage` on its name and bytes. A panic inside
/// (a bug, or a dependency's: the PDF parser's on a malformed file) is
/// caught and reported as this file's error, so that a batch goes on.
fn run_on_file<T>(
    path: &std::path::Path,
    limits: &extract::Limits,
    stage: impl Fn(&str, &[u8]) -> Result<T, InputError> + std::panic::RefUnwindSafe,
) -> Result<T, Error> {
    let bytes = read_within(path, limits)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let outcome = std::panic::catch_unwind(|| stage(&file_name, &bytes));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(input)) => Err(Error::Input {
            path: path.to_path_buf(),
            reason: input.to_string(),
        }),
        Err(panic) => Err(Error::Input {
            path: path.to_path_buf(),
            reason: format!(
                "internal error while reading (a bug in keikaku or its PDF parser, please report it): {}",
                panic_message(&panic)
            ),
        }),
    }
}

/// The file's bytes, refused without reading them all if it is larger than
/// the limit (its size is checked first, and the read stops past it in case
/// the file grows meanwhile).
fn read_within(path: &std::path::Path, limits: &extract::Limits) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let too_large = |size| Error::Input {
        path: path.to_path_buf(),
        reason: InputError::TooLarge {
            size,
            limit: limits.max_input_bytes,
        }
        .to_string(),
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > limits.max_input_bytes {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits.max_input_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(too_large(bytes.len() as u64));
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
