//! keikaku patch 3: the predefined CJK CMaps of PDF 32000-1 §9.7.5.2.
//!
//! Upstream 0.12.1 panics on any Type0 font whose `Encoding` is a predefined
//! CMap other than `Identity-H`/`Identity-V`. Older Japanese PDFs with
//! non-embedded fonts use exactly those (`90ms-RKSJ-H`, `UniJIS-UCS2-H`,
//! `EUC-H`, `H`, …). Each predefined CMap is named after the character
//! encoding of the codes it takes, so the codes can be decoded to Unicode by
//! that encoding directly, without the CID tables: the CID is only needed for
//! glyph widths, which are estimated instead (see [`PredefinedCMap::width`]).

use adobe_cmap_parser::CodeRange;
use encoding_rs::{Encoding, BIG5, EUC_JP, EUC_KR, GBK, SHIFT_JIS, UTF_16BE};

/// The character encoding a predefined CMap's codes are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredefinedCMap {
    /// `Uni*-UCS2-*`: two-byte UCS-2 codes.
    Ucs2,
    /// `Uni*-UTF16-*`: UTF-16BE, two or four bytes.
    Utf16,
    /// `Uni*-UTF32-*`: four-byte code points.
    Utf32,
    /// `*-RKSJ-*` (`90ms-RKSJ-H`, `90msp-RKSJ-H`, `83pv-RKSJ-H`, …):
    /// Shift_JIS / CP932.
    ShiftJis,
    /// `EUC-H`, `EUC-V`: EUC-JP.
    EucJp,
    /// `H`, `V`: JIS X 0208 row and cell as two bytes 0x21–0x7E
    /// (ISO-2022-JP without the escapes).
    Jis,
    /// `GBK-EUC-*`, `GB-EUC-*`, `GBpc-EUC-*`, `GBK2K-*`: GBK.
    Gbk,
    /// `B5pc-*`, `ETen-B5-*`, `HKscs-B5-*`: Big5.
    Big5,
    /// `KSC-EUC-*`, `KSCms-UHC-*`, `KSCpc-EUC-*`: EUC-KR / UHC.
    EucKr,
}

impl PredefinedCMap {
    /// The predefined CMap called `name`, if it is one whose codes can be
    /// decoded; `Identity-H`/`-V` are handled by the caller.
    pub fn from_name(name: &str) -> Option<PredefinedCMap> {
        let stem = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))
            .unwrap_or(name);
        let cmap = if stem.starts_with("Uni") {
            if stem.contains("UCS2") {
                PredefinedCMap::Ucs2
            } else if stem.contains("UTF16") {
                PredefinedCMap::Utf16
            } else if stem.contains("UTF32") {
                PredefinedCMap::Utf32
            } else {
                return None;
            }
        } else if stem.ends_with("RKSJ") || stem.contains("-RKSJ") {
            PredefinedCMap::ShiftJis
        } else if stem == "EUC" {
            PredefinedCMap::EucJp
        } else if name == "H" || name == "V" {
            PredefinedCMap::Jis
        } else if stem.starts_with("GB") {
            PredefinedCMap::Gbk
        } else if stem.contains("B5") {
            PredefinedCMap::Big5
        } else if stem.starts_with("KSC") {
            PredefinedCMap::EucKr
        } else {
            return None;
        };
        Some(cmap)
    }

    /// The code space: which byte sequences are one code.
    pub fn codespace(self) -> Vec<CodeRange> {
        let range = |width, start, end| CodeRange { width, start, end };
        match self {
            PredefinedCMap::Ucs2 => vec![range(2, 0x0000, 0xffff)],
            PredefinedCMap::Utf16 => vec![
                range(2, 0x0000, 0xd7ff),
                range(2, 0xe000, 0xffff),
                range(4, 0xd800_dc00, 0xdbff_dfff),
            ],
            PredefinedCMap::Utf32 => vec![range(4, 0x0000_0000, 0x0010_ffff)],
            PredefinedCMap::ShiftJis => vec![
                range(1, 0x00, 0x80),
                range(1, 0xa0, 0xdf),
                range(1, 0xfd, 0xff),
                range(2, 0x8140, 0x9ffc),
                range(2, 0xe040, 0xfcfc),
            ],
            PredefinedCMap::EucJp => vec![
                range(1, 0x00, 0x80),
                range(2, 0x8ea0, 0x8edf),
                range(2, 0xa1a1, 0xfefe),
            ],
            PredefinedCMap::Jis => vec![range(2, 0x2121, 0x7e7e)],
            PredefinedCMap::Gbk | PredefinedCMap::Big5 | PredefinedCMap::EucKr => {
                vec![range(1, 0x00, 0x80), range(2, 0x8140, 0xfefe)]
            }
        }
    }

    /// The text of `code`, a code of `width` bytes; empty when the code
    /// does not decode.
    pub fn decode(self, code: u32, width: u8) -> String {
        let bytes = code.to_be_bytes();
        let bytes = bytes
            .get(4 - usize::from(width.clamp(1, 4))..)
            .unwrap_or_default();
        match self {
            PredefinedCMap::Ucs2 | PredefinedCMap::Utf16 => decode_with(UTF_16BE, bytes),
            PredefinedCMap::Utf32 => char::from_u32(code).map(String::from).unwrap_or_default(),
            PredefinedCMap::ShiftJis => decode_with(SHIFT_JIS, bytes),
            PredefinedCMap::EucJp => decode_with(EUC_JP, bytes),
            PredefinedCMap::Jis => {
                let euc: Vec<u8> = bytes.iter().map(|b| b | 0x80).collect();
                decode_with(EUC_JP, &euc)
            }
            PredefinedCMap::Gbk => decode_with(GBK, bytes),
            PredefinedCMap::Big5 => decode_with(BIG5, bytes),
            PredefinedCMap::EucKr => decode_with(EUC_KR, bytes),
        }
    }

    /// The advance width, in thousandths of the font size, of `text` in a
    /// font whose default width is `default_width`. The font's `W` array is
    /// keyed by CID, which these codes do not give without Adobe's CID
    /// tables, so the width is estimated the way CJK fonts draw: half-width
    /// characters (ASCII, half-width katakana) take half the default.
    pub fn width(text: &str, default_width: f64) -> f64 {
        let half = text
            .chars()
            .all(|c| c.is_ascii() || ('\u{ff61}'..='\u{ff9f}').contains(&c));
        if half && !text.is_empty() {
            default_width / 2.0
        } else {
            default_width
        }
    }
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_their_encodings() {
        assert_eq!(
            PredefinedCMap::from_name("90ms-RKSJ-H"),
            Some(PredefinedCMap::ShiftJis)
        );
        assert_eq!(
            PredefinedCMap::from_name("90msp-RKSJ-V"),
            Some(PredefinedCMap::ShiftJis)
        );
        assert_eq!(
            PredefinedCMap::from_name("UniJIS-UCS2-H"),
            Some(PredefinedCMap::Ucs2)
        );
        assert_eq!(
            PredefinedCMap::from_name("UniJIS-UCS2-HW-H"),
            Some(PredefinedCMap::Ucs2)
        );
        assert_eq!(
            PredefinedCMap::from_name("UniJIS-UTF16-V"),
            Some(PredefinedCMap::Utf16)
        );
        assert_eq!(
            PredefinedCMap::from_name("EUC-H"),
            Some(PredefinedCMap::EucJp)
        );
        assert_eq!(PredefinedCMap::from_name("H"), Some(PredefinedCMap::Jis));
        assert_eq!(PredefinedCMap::from_name("Adobe-Japan1-6"), None);
    }

    #[test]
    fn codes_decode() {
        // 計 is 0x8C76 in Shift_JIS, 0xB7D7 in EUC-JP, 0x3757 in JIS X 0208.
        assert_eq!(PredefinedCMap::ShiftJis.decode(0x8c76, 2), "計");
        assert_eq!(PredefinedCMap::ShiftJis.decode(0x41, 1), "A");
        assert_eq!(PredefinedCMap::EucJp.decode(0xb7d7, 2), "計");
        assert_eq!(PredefinedCMap::Jis.decode(0x3757, 2), "計");
        assert_eq!(PredefinedCMap::Ucs2.decode(0x8a08, 2), "計");
        assert_eq!(PredefinedCMap::Utf16.decode(0xd840_dc0b, 4), "\u{2000b}");
        assert_eq!(PredefinedCMap::ShiftJis.decode(0x85, 1), "");
    }
}
