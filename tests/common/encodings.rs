//! The encodings that the fixtures of `fixtures/encodings/` are written in:
//! shared by `examples/make_encoded_fixtures.rs`, which writes them, and
//! `tests/encodings.rs`, which reads them.

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16LE, UTF_8};
use keikaku::extract::text::{encode_strictly, to_windows_forms};

/// One way of writing a text file.
pub struct Variant {
    /// The folder under `fixtures/encodings/`.
    pub folder: &'static str,
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Starts with a byte order mark.
    pub bom: bool,
    /// Lines end in CR LF.
    pub crlf: bool,
}

/// Every variant the fixtures come in.
pub const VARIANTS: &[Variant] = &[
    Variant {
        folder: "shift_jis",
        encoding: SHIFT_JIS,
        bom: false,
        crlf: false,
    },
    Variant {
        folder: "euc-jp",
        encoding: EUC_JP,
        bom: false,
        crlf: false,
    },
    Variant {
        folder: "utf-16le-bom",
        encoding: UTF_16LE,
        bom: true,
        crlf: false,
    },
    Variant {
        folder: "utf-8-bom",
        encoding: UTF_8,
        bom: true,
        crlf: false,
    },
    Variant {
        folder: "utf-8-crlf",
        encoding: UTF_8,
        bom: false,
        crlf: true,
    },
];

/// `text` written as `variant` says (in a legacy encoding, as Windows writes
/// it); the character it cannot hold if any.
pub fn reencode(text: &str, variant: &Variant) -> Result<Vec<u8>, char> {
    let mut text = if variant.crlf {
        text.replace('\n', "\r\n")
    } else {
        text.to_string()
    };
    if variant.encoding != UTF_8 && variant.encoding != UTF_16LE {
        text = to_windows_forms(&text);
    }
    let mut bytes = Vec::new();
    if variant.bom {
        bytes.extend(encode_strictly("\u{feff}", variant.encoding)?);
    }
    bytes.extend(encode_strictly(&text, variant.encoding)?);
    Ok(bytes)
}
