//! Errors: each names what went wrong in one line, so the command can print
//! `keikaku: FILE: reason` and go on with the next file.

use std::path::PathBuf;

/// Why one input could not be converted, or one output not written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The input is not something keikaku can read.
    #[error("{path}: {reason}")]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, e.g. `empty input` or `binary data, not text`.
        reason: String,
    },
    /// The output did not validate against the schema: a bug in keikaku.
    #[error(
        "{path}: output does not match the schema (a bug in keikaku, please report it): {reason}"
    )]
    Schema {
        /// The input the output came from.
        path: PathBuf,
        /// The first schema violation.
        reason: String,
    },
    /// The output could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl Error {
    /// The reason alone, without the file's name: what follows `FILE: ` in
    /// the message.
    pub fn reason(&self) -> String {
        match self {
            Error::Read { source, .. } => format!("cannot read: {source}"),
            Error::Input { reason, .. } => reason.clone(),
            Error::Schema { reason, .. } => format!(
                "output does not match the schema (a bug in keikaku, please report it): {reason}"
            ),
            Error::Write { source, .. } => format!("cannot write: {source}"),
        }
    }
}

/// What the extract stage found wrong with the bytes, before a path is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// No bytes, or only white space.
    #[error("empty input: no text to convert")]
    Empty,
    /// Bytes that are not text in any encoding keikaku reads.
    #[error("binary data, not text (NUL bytes or control characters; a PDF must end in .pdf)")]
    Binary,
    /// Bytes that are not valid in any supported Japanese encoding: even
    /// the best of them leaves more than a few undecodable sequences.
    #[error("not readable as text: {errors} undecodable byte sequences even in {best}, the best of UTF-8, UTF-16, Shift_JIS, EUC-JP and ISO-2022-JP (give the encoding with --encoding)")]
    UnknownEncoding {
        /// The encoding with the fewest errors (or the one forced).
        best: &'static str,
        /// How many byte sequences it could not decode.
        errors: usize,
    },
    /// A PDF that cannot be read: damaged, encrypted, not a PDF, no text.
    #[error("{0}")]
    Pdf(String),
    /// An input larger than the limit (`--max-input-size`).
    #[error("input of {} MiB is over the limit of {} MiB (raise it with --max-input-size)", mib(*size), mib(*limit))]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// An input with more pages than the limit (`--max-pages`).
    #[error("{pages} pages, over the limit of {limit} (raise it with --max-pages)")]
    TooManyPages {
        /// Its pages.
        pages: u32,
        /// The limit.
        limit: u32,
    },
    /// A text with more lines than the limit (`--max-lines`).
    #[error("{lines} lines, over the limit of {limit} (raise it with --max-lines)")]
    TooManyLines {
        /// Its lines (its line feeds, counted once the limit was passed).
        lines: u64,
        /// The limit.
        limit: u64,
    },
    /// A text line longer than the limit (`--max-line-length`).
    #[error("line {line} is {} long, over the limit of {} (raise it with --max-line-length)", size(*bytes), size(*limit))]
    LineTooLong {
        /// The line's number.
        line: u64,
        /// Its length in bytes.
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A format keikaku cannot read yet.
    #[error("unsupported input format: {0}")]
    Unsupported(String),
}

/// A size in the unit that shows it: bytes, KiB, MiB or GiB, one decimal.
fn size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            return format!("{:.1} {unit}", bytes as f64 / (1u64 << shift) as f64);
        }
    }
    format!("{bytes} bytes")
}

/// Bytes in MiB, one decimal, for messages.
fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1 << 20) as f64)
}
