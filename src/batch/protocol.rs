//! What the batch and its worker processes say to each other, over the
//! worker's standard input and output.
//!
//! The batch writes one [`Request`] a line, as JSON. The worker answers each
//! with a line `taken 1` as soon as it has read it (a worker that dies
//! before, killed while it waited, never had the input, which goes to
//! another worker), any number of progress lines (`page N`, as the PDF
//! reader begins a page, so that a crash can be placed) and then one reply:
//! a line `done LEN` followed by LEN bytes of JSON, a [`Reply`]. Anything
//! else, or the end of the stream before the reply, means the worker died.

use crate::extract::ExtractOptions;
use crate::{Document, Error, InputError};
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;

/// Convert one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// The input file, as the bytes of its path (a path need not be UTF-8).
    pub path: Vec<u8>,
    /// How to read it.
    pub options: ExtractOptions,
}

impl Request {
    /// The request to convert `path` with `options`.
    pub fn new(path: &std::path::Path, options: &ExtractOptions) -> Request {
        Request {
            path: path_bytes(path),
            options: options.clone(),
        }
    }

    /// The input file.
    pub fn path(&self) -> PathBuf {
        path_from_bytes(&self.path)
    }
}

/// What became of a [`Request`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    /// The document, checked against nothing yet: the batch writes it.
    Converted(Box<Document>),
    /// Why the input could not be converted, without the file's name (the
    /// batch adds the name the user gave).
    Failed(Failure),
}

/// An [`Error`] without its path, as it crosses from a worker to its batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// [`Error::Read`]: the operating system's error number where there is
    /// one (so that the batch says it in its own words), and its message.
    Read {
        /// `errno`.
        os_error: Option<i32>,
        /// The message, for an error without a number.
        message: String,
    },
    /// [`Error::Input`].
    Input(InputError),
    /// [`Error::Write`] or [`Error::Internal`]: keikaku's side, in words.
    Internal(String),
}

impl Failure {
    /// The failure of `error`.
    pub fn of(error: &Error) -> Failure {
        match error {
            Error::Read { source, .. } => Failure::Read {
                os_error: source.raw_os_error(),
                message: source.to_string(),
            },
            Error::Input { source, .. } => Failure::Input(source.clone()),
            Error::Write { .. } | Error::Internal { .. } => Failure::Internal(error.reason()),
        }
    }

    /// The error this failure was, for the input at `path`.
    pub fn into_error(self, path: &std::path::Path) -> Error {
        let path = path.to_path_buf();
        match self {
            Failure::Read { os_error, message } => Error::Read {
                path,
                source: match os_error {
                    Some(code) => io::Error::from_raw_os_error(code),
                    None => io::Error::other(message),
                },
            },
            Failure::Input(source) => Error::Input { path, source },
            Failure::Internal(message) => Error::Internal { path, message },
        }
    }
}

/// A message from the worker, as the batch reads it.
#[derive(Debug)]
pub enum Message {
    /// The worker has read the request.
    Taken,
    /// The PDF reader began this page.
    Page(u32),
    /// The answer to the request.
    Reply(Reply),
}

/// Replies larger than this are not believed (a document is a few MB; the
/// limits on input size keep it far below).
const MAX_REPLY_BYTES: usize = 4 << 30;

/// Writes the line that says the request was read.
pub fn write_taken(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "taken 1")?;
    out.flush()
}

/// Writes the progress line for page `page`.
pub fn write_page(out: &mut impl Write, page: u32) -> io::Result<()> {
    writeln!(out, "page {page}")?;
    out.flush()
}

/// Writes `reply`, framed.
pub fn write_reply(out: &mut impl Write, reply: &Reply) -> io::Result<()> {
    let json = serde_json::to_vec(reply).map_err(io::Error::other)?;
    writeln!(out, "done {}", json.len())?;
    out.write_all(&json)?;
    out.flush()
}

/// Reads the next message; `Ok(None)` at the end of the stream.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let malformed = || io::Error::new(io::ErrorKind::InvalidData, format!("{line:?}"));
    let (word, number) = line.trim_end().split_once(' ').ok_or_else(malformed)?;
    match word {
        "taken" => Ok(Some(Message::Taken)),
        "page" => Ok(Some(Message::Page(
            number.parse().map_err(|_| malformed())?,
        ))),
        "done" => {
            let length: usize = number.parse().map_err(|_| malformed())?;
            if length > MAX_REPLY_BYTES {
                return Err(malformed());
            }
            let mut json = Vec::with_capacity(length.min(64 << 20));
            input.take(length as u64).read_to_end(&mut json)?;
            if json.len() < length {
                return Ok(None);
            }
            let reply = serde_json::from_slice(&json).map_err(io::Error::other)?;
            Ok(Some(Message::Reply(reply)))
        }
        _ => Err(malformed()),
    }
}

#[cfg(unix)]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let mut wire = Vec::new();
        write_taken(&mut wire).unwrap();
        write_page(&mut wire, 3).unwrap();
        write_reply(
            &mut wire,
            &Reply::Failed(Failure::Internal("damaged PDF".into())),
        )
        .unwrap();
        let mut input = io::Cursor::new(wire);
        assert!(matches!(
            read_message(&mut input).unwrap(),
            Some(Message::Taken)
        ));
        assert!(matches!(
            read_message(&mut input).unwrap(),
            Some(Message::Page(3))
        ));
        match read_message(&mut input).unwrap() {
            Some(Message::Reply(Reply::Failed(Failure::Internal(reason)))) => {
                assert_eq!(reason, "damaged PDF")
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(read_message(&mut input).unwrap().is_none());
    }

    #[test]
    fn a_reply_cut_short_is_the_end_of_the_stream() {
        let mut wire = Vec::new();
        write_reply(
            &mut wire,
            &Reply::Failed(Failure::Internal("x".repeat(100))),
        )
        .unwrap();
        wire.truncate(wire.len() - 10);
        assert!(read_message(&mut io::Cursor::new(wire)).unwrap().is_none());
    }

    #[test]
    fn garbage_is_an_error() {
        let mut input = io::Cursor::new(b"thread 'main' panicked\n".to_vec());
        assert!(read_message(&mut input).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_survive() {
        let path = path_from_bytes(b"/tmp/\xff\xfe.txt");
        let request = Request::new(&path, &ExtractOptions::default());
        let json = serde_json::to_string(&request).unwrap();
        let back: Request = serde_json::from_str(&json).unwrap();
        assert_eq!(back.path(), path);
    }
}
