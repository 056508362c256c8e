//! Text input: which encoding the bytes are in, and the text they decode to.
//!
//! The encoding is taken from, in order: the user (`--encoding`), a byte
//! order mark, a declaration in the first kilobyte (`charset=Shift_JIS`,
//! `coding: euc-jp`) if the bytes are valid in it, ISO-2022-JP's escape
//! sequences, UTF-16 without a BOM (zero bytes all at one parity), strict
//! UTF-8, and last the Japanese legacy encodings: the one that decodes without an
//! error, `chardetng`'s guess when both Shift_JIS and EUC-JP do. When none
//! is clean, the one with the fewest errors is used if its errors are rare,
//! and every undecodable byte sequence is reported with its byte offset.

use crate::error::InputError;
use crate::per_thread::BytesRegex as Regex;
use encoding_rs::{
    DecoderResult, Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8,
};
use std::sync::LazyLock;

/// A text that decodes with more undecodable sequences than one per this
/// many bytes is not in that encoding at all: it is refused, not repaired.
const MAX_ERROR_RATE: usize = 100;

/// Declarations are looked for in this many leading bytes.
const DECLARATION_WINDOW: usize = 1024;

/// `charset=Shift_JIS` (HTML), `encoding="EUC-JP"` (XML), `coding: cp932`
/// (Emacs, Python): an encoding's label declared in the text.
static DECLARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:charset|encoding|coding)\s*[=:]\s*["']?([A-Za-z][A-Za-z0-9_.:\-]*)"#)
        .expect("valid pattern")
});

/// Names Japanese tools give encodings that are not WHATWG labels.
const EXTRA_LABELS: &[(&str, &Encoding)] = &[
    ("cp932", SHIFT_JIS),
    ("windows-932", SHIFT_JIS),
    ("ibm-943", SHIFT_JIS),
    ("eucjp-ms", EUC_JP),
    ("eucjp-win", EUC_JP),
    ("jis", ISO_2022_JP),
];

/// The encoding a label names: a WHATWG label (`shift_jis`, `sjis`,
/// `euc-jp`, `iso-2022-jp`, `utf-8`, `utf-16le`…) or a common Japanese
/// alias (`cp932`), case-insensitive.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.as_bytes()).or_else(|| {
        EXTRA_LABELS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(label.trim()))
            .map(|(_, encoding)| *encoding)
    })
}

/// How the encoding was found, for the warnings and the source metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Given by the user.
    Forced,
    /// A byte order mark.
    ByteOrderMark,
    /// Declared in the text.
    Declared,
    /// Read from the bytes.
    Detected,
}

/// A byte sequence that is not valid in the encoding used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    /// Its offset in the input, in bytes.
    pub offset: usize,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Where the U+FFFD standing for it is in the decoded text, in bytes.
    pub text_offset: usize,
}

/// Decoded text input.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, U+FFFD where bytes could not be decoded.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: &'static Encoding,
    /// How that encoding was found.
    pub evidence: Evidence,
    /// A declared encoding the bytes are not valid in (then detection chose).
    pub rejected_declaration: Option<&'static Encoding>,
    /// What could not be decoded.
    pub undecodable: Vec<Undecodable>,
}

/// Decodes `bytes`, in `forced` if given, else in the encoding found as the
/// module documentation says.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, InputError> {
    if let Some(encoding) = forced {
        // A BOM of the forced encoding is not text.
        let bom = match Encoding::for_bom(bytes) {
            Some((found, length)) if found == encoding => length,
            _ => 0,
        };
        return accept(
            decode_in(bytes, bom, encoding),
            Evidence::Forced,
            bytes.len(),
        );
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return accept(
            decode_in(bytes, bom, encoding),
            Evidence::ByteOrderMark,
            bytes.len(),
        );
    }
    let mut rejected_declaration = None;
    if let Some(encoding) = declared_encoding(bytes) {
        let decoded = decode_in(bytes, 0, encoding);
        if decoded.undecodable.is_empty() {
            return Ok(with_evidence(decoded, Evidence::Declared));
        }
        rejected_declaration = Some(encoding);
    }
    let mut decoded = detect(bytes)?;
    decoded.rejected_declaration = rejected_declaration;
    Ok(decoded)
}

/// The encoding of bytes that carry no BOM and no valid declaration.
fn detect(bytes: &[u8]) -> Result<Decoded, InputError> {
    if is_iso_2022_jp(bytes) {
        return accept(
            decode_in(bytes, 0, ISO_2022_JP),
            Evidence::Detected,
            bytes.len(),
        );
    }
    // Before UTF-8: ASCII in UTF-16 is valid UTF-8 with NULs.
    if let Some(encoding) = utf16_without_bom(bytes) {
        return accept(
            decode_in(bytes, 0, encoding),
            Evidence::Detected,
            bytes.len(),
        );
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8,
            evidence: Evidence::Detected,
            rejected_declaration: None,
            undecodable: Vec::new(),
        });
    }
    // Which legacy encodings decode without an error: each check stops at
    // the first error, so the wrong one costs little, and the right one's
    // text is kept.
    let clean: Vec<(&'static Encoding, String)> = [SHIFT_JIS, EUC_JP]
        .into_iter()
        .filter_map(|e| {
            e.decode_without_bom_handling_and_without_replacement(bytes)
                .map(|text| (e, text.into_owned()))
        })
        .collect();
    let clean_decoding = |(encoding, text): (&'static Encoding, String)| Decoded {
        text,
        encoding,
        evidence: Evidence::Detected,
        rejected_declaration: None,
        undecodable: Vec::new(),
    };
    let chosen = match clean.len() {
        0 => [SHIFT_JIS, EUC_JP, UTF_8]
            .into_iter()
            .map(|encoding| decode_in(bytes, 0, encoding))
            .min_by_key(|d| d.undecodable.len())
            .expect("three candidates"),
        1 => clean_decoding(clean.into_iter().next().expect("one")),
        _ => {
            let guess = chardetng_guess(bytes);
            let index = clean.iter().position(|(e, _)| *e == guess).unwrap_or(0);
            clean_decoding(clean.into_iter().nth(index).expect("in range"))
        }
    };
    if chosen.undecodable.len() * MAX_ERROR_RATE > bytes.len() && bytes.contains(&0) {
        return Err(InputError::Binary);
    }
    accept(chosen, Evidence::Detected, bytes.len())
}

/// `chardetng`'s guess for Japanese text (the `.jp` top-level domain).
fn chardetng_guess(bytes: &[u8]) -> &'static Encoding {
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(Some(b"jp"), Utf8Detection::Allow)
}

/// Refuses a decoding whose errors are too many to be a few damaged bytes.
fn accept(decoded: Decoded, evidence: Evidence, length: usize) -> Result<Decoded, InputError> {
    let errors = decoded.undecodable.len();
    if errors > 0 && errors * MAX_ERROR_RATE > length {
        return Err(InputError::UnknownEncoding {
            best: decoded.encoding.name().to_string(),
            errors,
        });
    }
    Ok(with_evidence(decoded, evidence))
}

fn with_evidence(mut decoded: Decoded, evidence: Evidence) -> Decoded {
    decoded.evidence = evidence;
    decoded
}

/// Decodes `bytes[skip..]` in `encoding`, a U+FFFD for each undecodable
/// sequence, which is recorded with its offset.
fn decode_in(bytes: &[u8], skip: usize, encoding: &'static Encoding) -> Decoded {
    let input = &bytes[skip..];
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(input.len())
        .unwrap_or(input.len() * 3)
        + 16;
    let mut text = String::with_capacity(capacity);
    let mut undecodable = Vec::new();
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&input[read_total..], &mut text, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(input.len() - read_total + 16),
            DecoderResult::Malformed(bad, after) => {
                let end = read_total - usize::from(after);
                let start = end.saturating_sub(usize::from(bad));
                undecodable.push(Undecodable {
                    offset: skip + start,
                    bytes: input[start..end].to_vec(),
                    text_offset: text.len(),
                });
                if text.capacity() - text.len() < 3 {
                    text.reserve(16);
                }
                text.push('\u{FFFD}');
            }
        }
    }
    Decoded {
        text,
        encoding,
        evidence: Evidence::Detected,
        rejected_declaration: None,
        undecodable,
    }
}

/// The encoding a declaration in the first kilobyte names, if encoding_rs
/// knows the label.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    DECLARATION
        .captures_iter(window)
        .find_map(|c| encoding_for_label(std::str::from_utf8(&c[1]).ok()?))
}

/// Seven-bit bytes with a JIS X 0208 escape (`ESC $ B`, `ESC $ @`).
fn is_iso_2022_jp(bytes: &[u8]) -> bool {
    bytes.is_ascii() && bytes.windows(3).any(|w| matches!(w, b"\x1b$B" | b"\x1b$@"))
}

/// UTF-16 with no BOM. Text in any other encoding keikaku reads has no
/// zero byte, and UTF-16 has many (ASCII's high bytes), so zero bytes are
/// what call for it. Which byte order is what reads as Japanese text: in the
/// wrong one, line ends become U+0A00, kana and most ideographs land in
/// unrelated blocks. (Counting zero bytes at each parity is not enough: the
/// ideographic space U+3000, in every Japanese layout, and 一 U+4E00 have a
/// zero low byte.)
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if !bytes.len().is_multiple_of(2) || !bytes.contains(&0) {
        return None;
    }
    [UTF_16LE, UTF_16BE]
        .into_iter()
        .filter_map(|encoding| {
            let decoded = decode_in(bytes, 0, encoding);
            let (mut total, mut plausible) = (0usize, 0usize);
            for c in decoded.text.chars() {
                if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
                    return None;
                }
                total += 1;
                plausible += usize::from(is_japanese_text_char(c));
            }
            let share = plausible as f64 / total.max(1) as f64;
            (decoded.undecodable.is_empty() && share >= MIN_PLAUSIBLE_SHARE)
                .then_some((encoding, share))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(encoding, _)| encoding)
}

/// The share of characters of the blocks Japanese text is written in that a
/// byte order must give to be taken for UTF-16.
const MIN_PLAUSIBLE_SHARE: f64 = 0.8;

/// Characters of the blocks Japanese documents are written in: ASCII and
/// Latin-1, general punctuation, arrows, numbers in circles and Roman
/// numerals, box drawing and shapes, CJK punctuation, kana, ideographs,
/// full- and half-width forms.
fn is_japanese_text_char(c: char) -> bool {
    matches!(u32::from(c),
        0x09 | 0x0A | 0x0C | 0x0D | 0x20..=0x7E | 0xA0..=0xFF
        | 0x2000..=0x22FF | 0x2460..=0x27BF | 0x2E80..=0x2FDF
        | 0x3000..=0x30FF | 0x3190..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// Characters that the JIS X 0208 table of the WHATWG (and so encoding_rs)
/// maps only in their Windows (CP932) form: a file written on Windows has
/// the second where Unicode text has the first, and reads back as it.
pub const WINDOWS_FORMS: &[(char, char)] = &[
    ('〜', '～'),
    ('−', '－'),
    ('‖', '∥'),
    ('¢', '￠'),
    ('£', '￡'),
    ('¬', '￢'),
    ('—', '―'),
];

/// `text` with the characters of [`WINDOWS_FORMS`] in their Windows form,
/// as a Shift_JIS or EUC-JP file written on Windows holds them.
pub fn to_windows_forms(text: &str) -> String {
    text.chars()
        .map(|c| {
            WINDOWS_FORMS
                .iter()
                .find(|(unicode, _)| *unicode == c)
                .map_or(c, |(_, windows)| *windows)
        })
        .collect()
}

/// Writes `text` in `encoding`, refusing characters it cannot hold (which
/// encoding_rs would write as `&#NNNNN;`). For tests and fixture tools.
pub fn encode_strictly(text: &str, encoding: &'static Encoding) -> Result<Vec<u8>, char> {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        let little = encoding == UTF_16LE;
        return Ok(text
            .encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect());
    }
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(text.len() * 2 + 16);
    let mut read_total = 0;
    loop {
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(
            &text[read_total..],
            &mut out,
            true,
        );
        read_total += read;
        match result {
            encoding_rs::EncoderResult::InputEmpty => return Ok(out),
            encoding_rs::EncoderResult::OutputFull => out.reserve(text.len() + 16),
            encoding_rs::EncoderResult::Unmappable(c) => return Err(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "基本目標 1 多様な主体が参加する地域づくり\n①ｶﾀｶﾅとＩＣＴ\n";

    fn detected(bytes: &[u8], text: &str) -> (&'static str, Evidence) {
        let decoded = decode(bytes, None).unwrap();
        assert_eq!(decoded.text, text);
        (decoded.encoding.name(), decoded.evidence)
    }

    #[test]
    fn every_japanese_encoding_is_recognised() {
        for encoding in [SHIFT_JIS, EUC_JP, ISO_2022_JP, UTF_8, UTF_16LE, UTF_16BE] {
            // ISO-2022-JP has no half-width katakana: the encoder widens them.
            let text = if encoding == ISO_2022_JP {
                TEXT.replace("ｶﾀｶﾅ", "カタカナ")
            } else {
                TEXT.to_string()
            };
            let bytes = encode_strictly(TEXT, encoding).unwrap();
            assert_eq!(
                detected(&bytes, &text),
                (encoding.name(), Evidence::Detected),
                "{}",
                encoding.name()
            );
        }
    }

    #[test]
    fn utf16_without_bom_with_ideographs_of_a_zero_low_byte() {
        // U+3000 (the ideographic space) and U+4E00 (一) put a zero byte at
        // the parity of ASCII's non-zero bytes.
        let text = "第１章　計画の策定にあたって\n　一　基本目標 1 地域づくり\n";
        for encoding in [UTF_16LE, UTF_16BE] {
            let bytes = encode_strictly(text, encoding).unwrap();
            assert_eq!(
                detected(&bytes, text),
                (encoding.name(), Evidence::Detected)
            );
        }
    }

    #[test]
    fn a_declaration_is_used_when_the_bytes_are_valid_in_it() {
        let mut bytes = b"<meta charset=\"EUC-JP\">\n".to_vec();
        bytes.extend(encode_strictly(TEXT, EUC_JP).unwrap());
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(
            (decoded.encoding, decoded.evidence),
            (EUC_JP, Evidence::Declared)
        );
        // A wrong declaration is overruled by the bytes, and said.
        let mut wrong = b"# coding: utf-8\n".to_vec();
        wrong.extend(encode_strictly(TEXT, SHIFT_JIS).unwrap());
        let decoded = decode(&wrong, None).unwrap();
        assert_eq!(decoded.encoding, SHIFT_JIS);
        assert_eq!(decoded.rejected_declaration, Some(UTF_8));
    }

    #[test]
    fn undecodable_bytes_are_reported_with_their_offset() {
        let mut bytes = encode_strictly(&TEXT.repeat(20), SHIFT_JIS).unwrap();
        bytes.insert(10, 0xA0);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.encoding, SHIFT_JIS);
        assert_eq!(decoded.undecodable.len(), 1);
        assert_eq!(decoded.undecodable[0].offset, 10);
        assert_eq!(decoded.undecodable[0].bytes, [0xA0]);
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 1);
    }

    #[test]
    fn a_forced_encoding_wins_and_its_errors_are_counted() {
        let bytes = encode_strictly(TEXT, SHIFT_JIS).unwrap();
        let forced = decode(&bytes, Some(EUC_JP));
        assert!(matches!(
            forced,
            Err(InputError::UnknownEncoding { best, .. }) if best == "EUC-JP"
        ));
        let utf8 = decode(TEXT.as_bytes(), Some(UTF_8)).unwrap();
        assert_eq!(utf8.evidence, Evidence::Forced);
    }

    #[test]
    fn labels_include_japanese_aliases() {
        assert_eq!(encoding_for_label("CP932"), Some(SHIFT_JIS));
        assert_eq!(encoding_for_label("sjis"), Some(SHIFT_JIS));
        assert_eq!(encoding_for_label("EUC-JP"), Some(EUC_JP));
        assert_eq!(encoding_for_label("klingon"), None);
    }

    #[test]
    fn cp932_lacks_some_characters() {
        assert_eq!(
            encode_strictly("髙", SHIFT_JIS).ok(),
            Some(vec![0xFB, 0xFC])
        );
        assert_eq!(encode_strictly("𠮷", SHIFT_JIS), Err('𠮷'));
    }
}
