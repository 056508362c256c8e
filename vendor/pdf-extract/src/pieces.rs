//! keikaku patch 13: content streams decoded a piece at a time.
//!
//! lopdf's `Content::decode` turns a whole stream into a `Vec<Operation>`
//! (about 80 bytes an operation, several times the two bytes of `q\n`), and
//! fails whole on one bad operation (an array nested past lopdf's depth
//! limit, an inline image it cannot read). So a 60 MiB stream of tiny
//! operators took gigabytes, and one bad operator lost the page's text.
//! lopdf's content parser is private, so the stream is cut here, at the ends
//! of operators (a small lexer that knows strings, comments, arrays,
//! dictionaries and inline images: where a cut is safe, not what the tokens
//! mean), into pieces of about [`PIECE`] bytes, each decoded by lopdf and
//! executed before the next is decoded. A piece that lopdf cannot decode
//! whole, or decodes only in part, is decoded again an operator at a time,
//! and only the operators it cannot read are lost.

use lopdf::content::{Content, Operation};

/// About this many bytes of a stream are decoded at a time (a piece ends at
/// the first operator end past it): some thousands of operators, a few
/// megabytes decoded.
pub(crate) const PIECE: usize = 64 << 10;

/// A piece is cut here even inside an array or dictionary, which then does
/// not decode (it is lost, and reported): an operand this long is not a
/// real document's, and decoded whole it would take gigabytes.
pub(crate) const MAX_PIECE: usize = 4 << 20;

/// The pieces of a content stream, in order.
pub(crate) struct Pieces<'c> {
    content: &'c [u8],
    at: usize,
    target: usize,
}

/// One piece: its bytes and the number of operators the lexer saw in it.
pub(crate) struct Piece<'c> {
    pub(crate) bytes: &'c [u8],
    pub(crate) operators: usize,
    /// Where the bytes after the last operator start (operands of an
    /// operator further on, or nothing): the length, unless the piece is
    /// the end of the stream.
    pub(crate) tail: usize,
}

impl<'c> Pieces<'c> {
    /// Pieces of about `target` bytes (1: one operator each).
    pub(crate) fn new(content: &'c [u8], target: usize) -> Pieces<'c> {
        Pieces {
            content,
            at: 0,
            target,
        }
    }
}

impl<'c> Iterator for Pieces<'c> {
    type Item = Piece<'c>;

    fn next(&mut self) -> Option<Piece<'c>> {
        let rest = self.content.get(self.at..).filter(|r| !r.is_empty())?;
        let (length, operators, tail) = piece_end(rest, self.target);
        let length = length.max(1);
        self.at += length;
        rest.get(..length).map(|bytes| Piece {
            bytes,
            operators,
            tail,
        })
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// The length of the piece at the start of `bytes` (ending after the first
/// operator at the top level that ends at or past `target`, or at
/// [`MAX_PIECE`], or at the end), the operators in it, and where its tail
/// after the last operator starts.
fn piece_end(bytes: &[u8], target: usize) -> (usize, usize, usize) {
    let at = |i: usize| bytes.get(i).copied();
    let mut i = 0;
    let mut depth = 0i64;
    let mut operators = 0;
    let mut tail = 0;
    while let Some(c) = at(i) {
        if i >= MAX_PIECE {
            return (i, operators, i);
        }
        match c {
            c if is_white(c) => i += 1,
            b'%' => {
                while at(i).is_some_and(|c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, `\` escapes one.
                let mut open = 0i64;
                while let Some(c) = at(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'(' => open += 1,
                        b')' => {
                            open -= 1;
                            if open == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            b'<' if at(i + 1) == Some(b'<') => {
                depth += 1;
                i += 2;
            }
            b'<' => {
                while at(i).is_some_and(|c| c != b'>') {
                    i += 1;
                }
                i += 1;
            }
            b'>' if at(i + 1) == Some(b'>') => {
                depth -= 1;
                i += 2;
            }
            b'[' => {
                depth += 1;
                i += 1;
            }
            b']' => {
                depth -= 1;
                i += 1;
            }
            b'/' => {
                i += 1;
                while at(i).is_some_and(|c| !is_white(c) && !is_delimiter(c)) {
                    i += 1;
                }
            }
            c if is_delimiter(c) => i += 1,
            _ => {
                let start = i;
                while at(i).is_some_and(|c| !is_white(c) && !is_delimiter(c)) {
                    i += 1;
                }
                let token = bytes.get(start..i).unwrap_or_default();
                let is_operator = token
                    .first()
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'\'' || *c == b'"')
                    && !matches!(token, b"true" | b"false" | b"null");
                if !is_operator || depth > 0 {
                    continue;
                }
                if token == b"BI" {
                    i = inline_image_end(bytes, i);
                }
                operators += 1;
                tail = i;
                if i >= target {
                    return (i, operators, i);
                }
            }
        }
    }
    (bytes.len(), operators, tail)
}

/// Where an inline image that starts after `BI` at `from` ends: after the
/// `EI` that follows its data (`ID`, the data, white space, `EI`, white
/// space or the end), as lopdf finds it when the data's length is unknown.
fn inline_image_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let Some(data) = rest.windows(2).position(|w| w == b"ID") else {
        return bytes.len();
    };
    let ei = rest
        .windows(4)
        .enumerate()
        .skip(data + 2)
        .find(|(_, w)| matches!(w, [a, b'E', b'I', b] if is_white(*a) && is_white(*b)))
        .map(|(at, _)| at + 3);
    match ei {
        Some(end) => from + end,
        None => bytes.len(),
    }
}

/// What decoding a piece gave: its operations, and how many of the
/// operators the lexer saw could not be read.
pub(crate) struct Decoded {
    pub(crate) operations: Vec<Operation>,
    pub(crate) lost: usize,
}

/// Decodes `piece`: whole if lopdf reads all of it, else an operator at a
/// time, keeping what can be read.
pub(crate) fn decode(piece: &Piece) -> Decoded {
    if let Ok(content) = Content::decode(piece.bytes) {
        if content.operations.len() >= piece.operators {
            return Decoded {
                operations: content.operations,
                lost: 0,
            };
        }
    }
    let mut operations = Vec::new();
    let mut lost = 0;
    for one in Pieces::new(piece.bytes, 1) {
        match Content::decode(one.bytes) {
            Ok(content) => {
                lost += one.operators.saturating_sub(content.operations.len());
                operations.extend(content.operations);
            }
            Err(_) => lost += one.operators.max(1),
        }
    }
    Decoded { operations, lost }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn pieces(content: &[u8], target: usize) -> Vec<(String, usize)> {
        Pieces::new(content, target)
            .map(|p| (String::from_utf8_lossy(p.bytes).into_owned(), p.operators))
            .collect()
    }

    #[test]
    fn cuts_only_after_operators_at_the_top_level() {
        let content = b"q 1 0 0 1 0 0 cm BT /F1 12 Tf (a (Tj) \\) Tj) Tj [(x) -20 (y)] TJ <</A [1 2]>> BDC ET Q";
        let got = pieces(content, 1);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.trim()).collect();
        assert_eq!(
            texts,
            [
                "q",
                "1 0 0 1 0 0 cm",
                "BT",
                "/F1 12 Tf",
                "(a (Tj) \\) Tj) Tj",
                "[(x) -20 (y)] TJ",
                "<</A [1 2]>> BDC",
                "ET",
                "Q"
            ]
        );
        assert!(got.iter().all(|(_, n)| *n == 1));
    }

    #[test]
    fn an_inline_image_is_one_operator() {
        let content = b"q BI /W 2 /H 1 /CS /G /BPC 8 ID \x00Q EI Q";
        let texts: Vec<String> = pieces(content, 1).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            ["q", " BI /W 2 /H 1 /CS /G /BPC 8 ID \x00Q EI", " Q"]
        );
    }

    #[test]
    fn a_bad_operator_loses_only_itself() {
        let mut content = b"BT (a) Tj ".to_vec();
        content.extend(std::iter::repeat_n(b'[', 200));
        content.extend(std::iter::repeat_n(b']', 200));
        content.extend(b" TJ (b) Tj ET");
        let piece = Pieces::new(&content, PIECE).next().unwrap();
        assert_eq!(piece.operators, 5);
        let decoded = decode(&piece);
        let operators: Vec<&str> = decoded
            .operations
            .iter()
            .map(|o| o.operator.as_str())
            .collect();
        assert_eq!(operators, ["BT", "Tj", "Tj", "ET"]);
        assert_eq!(decoded.lost, 1);
    }

    #[test]
    fn pieces_cover_the_stream() {
        let content: Vec<u8> = b"0 0 m 10 10 l S ".repeat(20_000);
        let all: Vec<u8> = Pieces::new(&content, PIECE)
            .flat_map(|p| p.bytes.to_vec())
            .collect();
        assert_eq!(all, content);
        assert!(Pieces::new(&content, PIECE).all(|p| p.bytes.len() < PIECE + 16));
    }
}
