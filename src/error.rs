//! Errors: each names what went wrong in one line, so the command can print
//! `keikaku: FILE: reason` and go on with the next file.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Why one input could not be converted, or one output not written: the
/// file the user gave, and what went wrong with it.
///
/// The message (`Display`) is one line, `FILE: reason`, with the reason
/// given once: a caller that prints an error's chain of sources as well
/// (`anyhow`'s `{:#}`) should print this error alone.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The input is not something keikaku can read, or is over a limit.
    #[error("{}: {source}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: InputError,
    },
    /// The output could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// keikaku's own failure, not the input's: a panic caught in the
    /// pipeline, an output that breaks the schema, a worker process that
    /// cannot be started.
    #[error("{}: {message}", path.display())]
    Internal {
        /// The input being converted.
        path: PathBuf,
        /// What went wrong, ending with a plea to report a bug where it is one.
        message: String,
    },
}

impl Error {
    /// The reason alone, without the file's name: what follows `FILE: ` in
    /// the message.
    pub fn reason(&self) -> String {
        match self {
            Error::Read { source, .. } => format!("cannot read: {source}"),
            Error::Input { source, .. } => source.to_string(),
            Error::Write { source, .. } => format!("cannot write: {source}"),
            Error::Internal { message, .. } => message.clone(),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Error::Read { path, .. }
            | Error::Input { path, .. }
            | Error::Write { path, .. }
            | Error::Internal { path, .. } => path,
        }
    }

    /// An output of `input` that breaks the schema: a bug in keikaku.
    pub fn schema(input: &std::path::Path, violation: &str) -> Error {
        Error::Internal {
            path: input.to_path_buf(),
            message: format!(
                "output does not match the schema (a bug in keikaku, please report it): {violation}"
            ),
        }
    }
}

/// What the extract stage found wrong with the bytes, before a path is known.
/// Serializable, so that a worker process can hand it back to its batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum InputError {
    /// No bytes, or only white space.
    #[error("empty input: no text to convert")]
    Empty,
    /// Bytes that are not text in any encoding keikaku reads.
    #[error(
        "binary data, not text (NUL bytes or control characters), and not a PDF (no %PDF header)"
    )]
    Binary,
    /// Bytes that are not valid in any supported Japanese encoding: even
    /// the best of them leaves more than a few undecodable sequences.
    #[error("not readable as text: {errors} undecodable byte sequences even in {best}, the best of UTF-8, UTF-16, Shift_JIS, EUC-JP and ISO-2022-JP (give the encoding with --encoding)")]
    UnknownEncoding {
        /// The encoding with the fewest errors (or the one forced).
        best: String,
        /// How many byte sequences it could not decode.
        errors: usize,
    },
    /// A PDF that cannot be read: damaged, encrypted, not a PDF, no text;
    /// on a page, when the problem is one page's.
    #[error("{}{kind}", page.map_or_else(String::new, |p| format!("page {p}: ")))]
    Pdf {
        /// The page the reader was on, if the problem is one page's.
        page: Option<u32>,
        /// What is wrong.
        kind: PdfProblem,
    },
    /// The worker process converting the input died or was killed: a crash
    /// of the reader, or the time limit (`--timeout`).
    #[error("{0}")]
    Stopped(String),
    /// An input larger than the limit (`--max-input-size`).
    #[error("input of {} is over the limit of {} (raise it with --max-input-size)", size.map_or_else(|| format!("more than {}", self::size(*limit)), self::size), self::size(*limit))]
    TooLarge {
        /// Its size in bytes, when known (a pipe is read only up to the limit).
        size: Option<u64>,
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
    #[error("line {line} is {} long, over the limit of {} (raise it with --max-line-length)", self::size(*bytes), self::size(*limit))]
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

impl InputError {
    /// A PDF problem not tied to a page.
    pub fn pdf(kind: PdfProblem) -> InputError {
        InputError::Pdf { page: None, kind }
    }
}

/// What is wrong with a PDF.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PdfProblem {
    /// The bytes do not start with `%PDF`.
    #[error("not a PDF: it does not start with %PDF")]
    NotPdf,
    /// The file structure cannot be read (the parser's reason).
    #[error("{0}")]
    Damaged(String),
    /// Encrypted with a user password that was not given, or given wrong.
    #[error("{}", if *password_given { "encrypted PDF: the password given does not open it" } else { "encrypted PDF: it needs a password to open (give it with --password)" })]
    Encrypted {
        /// Whether `--password` was given.
        password_given: bool,
    },
    /// A page tree with no page.
    #[error("PDF without pages")]
    NoPages,
    /// Pages, but no text on them: a scan, or text the reader could not get.
    #[error("{0}")]
    NoText(String),
    /// A compressed object stream that would inflate past the reader's cap.
    #[error("an object stream inflates past {limit_mib} MiB (a decompression bomb?); refused, not inflated")]
    DecompressionBomb {
        /// The cap, in MiB.
        limit_mib: u64,
    },
    /// The document asks for more work than its budget (`--max-operators`,
    /// `--max-glyphs`, `--max-form-draws`, `--max-inflated`, `--timeout`).
    #[error("{0}")]
    OverBudget(String),
    /// A page's content could not be read (the parser's reason).
    #[error("{0}")]
    Unreadable(String),
}

/// A size in the unit that shows it: bytes, KiB, MiB or GiB, with one
/// decimal unless it is a whole number of the unit (`10 KiB`, `1.5 MiB`).
pub fn size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 3] = [("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            let value = bytes as f64 / (1u64 << shift) as f64;
            let text = format!("{value:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return format!("{text} {unit}");
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_the_largest_unit_that_shows_them() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(1023), "1023 bytes");
        assert_eq!(size(10 << 10), "10 KiB");
        assert_eq!(size(122_880 + 512), "120.5 KiB");
        assert_eq!(size(3 << 29), "1.5 GiB");
    }

    #[test]
    fn an_error_gives_its_reason_once() {
        let missing = std::io::Error::from_raw_os_error(2);
        let error = Error::Read {
            path: "plan.txt".into(),
            source: missing,
        };
        let text = error.to_string();
        assert!(text.starts_with("plan.txt: cannot read: "), "{text}");
        assert_eq!(text.matches("os error 2").count(), 1, "{text}");
    }

    #[test]
    fn a_pdf_problem_names_its_page() {
        let error = InputError::Pdf {
            page: Some(3),
            kind: PdfProblem::Unreadable("bad operator".into()),
        };
        assert_eq!(error.to_string(), "page 3: bad operator");
        assert_eq!(
            InputError::pdf(PdfProblem::NoPages).to_string(),
            "PDF without pages"
        );
    }
}
