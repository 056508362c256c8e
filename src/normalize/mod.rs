//! Stage 2, normalize: characters and cells.
//!
//! Every line is split into cells at tabs (the PDF table exports separate
//! columns with them) and each cell's characters are folded: NFKC turns
//! full-width ASCII into half-width and half-width katakana into full-width,
//! but it is not applied blindly. Characters that carry structure or meaning
//! NFKC would destroy are kept as they are (see [`is_protected`]): circled
//! numbers (① is a sub-measure marker, NFKC makes it `1`), Roman numerals
//! (goal numbers), and CJK compatibility ideographs (NFKC rewrites them to
//! other code points, which changes names). The full-width tilde becomes the
//! wave dash `〜`, as Japanese date ranges mean it, instead of NFKC's `~`.
//! HTML tags left by the export (`<p>`), control characters and U+FFFD are
//! removed, each removal a warning. Before any folding, characters a PDF's
//! text map gives in place of the one printed (a radical `⽀` for 支, `‧` for
//! `・`; see [`stands_for`]) are replaced, each replacement a warning. A line
//! whose text came doubled by fake-bold rendering is repaired ([`undouble`])
//! and marked as bold.

mod doubling;
mod radicals;

pub use doubling::undouble;

use crate::document::{Location, Warning, WarningCode};
use crate::extract::{CellColumns, Extracted, SourceLine};
use crate::per_thread::Regex;
use crate::quoted::Quoted;
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// One normalized line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Where it stood.
    pub location: Location,
    /// The line as decoded, for the list of unplaced lines, kept where the
    /// cells may no longer give it back (a line that went through the
    /// repairs, a fake-bold line undone, empty cells dropped at its end, a
    /// row cut anew); `None` where `cells` joined by tabs are that text, not
    /// kept twice. Read it by [`Line::raw`].
    pub raw: Option<String>,
    /// Its cells: the tab-separated parts, normalized and trimmed, with no
    /// white space in them but single ASCII spaces between words. Leading
    /// empty cells are kept (they tell which column a row starts in);
    /// trailing empty cells are dropped. A blank line has no cells. Changed
    /// only by [`Line::set_cells`], which keeps `raw` true.
    pub cells: Vec<String>,
    /// Whether each cell's place is its column (a PDF table's row) or only
    /// its order (tabs, gaps).
    pub columns: CellColumns,
    /// The line was printed in fake bold: its text came doubled and was
    /// repaired. Bold lines are display text (headings, slogans) whose line
    /// breaks the designer chose, so they are never joined as hard wraps.
    pub bold: bool,
    /// The line ran up to the right edge of its PDF page's text frame: its
    /// break is a wrap, whatever its text (see
    /// [`crate::extract::SourceLine::wrapped_at_edge`]).
    pub wrapped_at_edge: bool,
}

impl Line {
    /// True for a line with no text.
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }

    /// True for a line of more than one cell: a table row or header.
    pub fn is_row(&self) -> bool {
        self.cells.len() > 1
    }

    /// The line as decoded: its cells joined by tabs, or the text kept where
    /// normalization changed them.
    pub fn raw(&self) -> Cow<'_, str> {
        match (&self.raw, self.cells.as_slice()) {
            (Some(raw), _) => Cow::Borrowed(raw),
            (None, [only]) => Cow::Borrowed(only),
            (None, cells) => Cow::Owned(cells.join("\t")),
        }
    }

    /// Puts `cells` in place of the line's (a row cut at its spaces), the
    /// line as decoded kept: what changes the cells goes through here.
    pub fn set_cells(&mut self, cells: Vec<String>) {
        let before = std::mem::replace(&mut self.cells, cells);
        if self.raw.is_none() {
            self.raw = Some(match <[String; 1]>::try_from(before) {
                Ok([only]) => only,
                Err(before) => before.join("\t"),
            });
        }
    }

    /// The text of the line: its cells joined by a space.
    pub fn text(&self) -> Cow<'_, str> {
        let mut filled = self.cells.iter().filter(|c| !c.is_empty());
        match (filled.next(), filled.next()) {
            (None, _) => Cow::Borrowed(""),
            // Most lines are one cell of prose: nothing to join.
            (Some(only), None) => Cow::Borrowed(only),
            (Some(first), Some(second)) => {
                // Sized at once, as a row's cells are many (no formatting
                // machinery, no growing).
                let length = self.cells.iter().map(|cell| cell.len() + 1).sum();
                let mut joined = String::with_capacity(length);
                joined.push_str(first);
                for cell in std::iter::once(second).chain(filled) {
                    joined.push(' ');
                    joined.push_str(cell);
                }
                Cow::Owned(joined)
            }
        }
    }
}

/// The normalize stage's output.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The lines, in order, blank ones included.
    pub lines: Vec<Line>,
    /// The warnings of extraction and normalization, in source order.
    pub warnings: Vec<Warning>,
}

/// Normalizes every line of `extracted`, which stays as it was (the review
/// report shows the source beside the result): [`normalize_lines`] of a copy.
pub fn normalize(extracted: &Extracted) -> Normalized {
    normalize_lines(extracted.lines.clone(), extracted.warnings.clone())
}

/// Normalizes `lines`, taken over: a line already normal keeps its cells,
/// not a copy of them. `warnings` are extraction's; normalization's follow
/// them, in source order.
pub fn normalize_lines(lines: Vec<SourceLine>, mut warnings: Vec<Warning>) -> Normalized {
    let lines = lines
        .into_iter()
        .map(|source| {
            let (mut cells, mut raw, mut line_warnings) =
                normalize_line(source.cells, source.location);
            warnings.append(&mut line_warnings);
            let bold = repair_doubling(&mut cells, &mut raw, source.location, &mut warnings);
            Line {
                location: source.location,
                raw,
                cells,
                columns: source.columns,
                bold,
                wrapped_at_edge: source.wrapped_at_edge,
            }
        })
        .collect();
    Normalized { lines, warnings }
}

/// Undoes fake-bold doubling on a single-cell line (table rows are not
/// brochure text), with a warning holding the original; true if repaired.
/// The line as decoded (`raw`) is then the cell as it came, if not kept
/// already.
fn repair_doubling(
    cells: &mut [String],
    raw: &mut Option<String>,
    at: Location,
    warnings: &mut Vec<Warning>,
) -> bool {
    let [text] = cells else {
        return false;
    };
    let Some(once) = undouble(text) else {
        return false;
    };
    warnings.push(Warning {
        code: WarningCode::DoubledText,
        message: format!(
            "text doubled by fake-bold rendering {text:?} read as {once:?}",
            text = Quoted(text),
            once = Quoted(&once)
        ),
        page: at.page,
        line: at.line,
    });
    let doubled = std::mem::replace(text, once);
    raw.get_or_insert(doubled);
    true
}

static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").unwrap());

/// Normalizes one line's cells, with a warning for each kind of text
/// removed.
/// Also gives the line as decoded where the cells no longer give it back
/// (see [`Line::raw`]).
fn normalize_line(
    source_cells: Vec<String>,
    at: Location,
) -> (Vec<String>, Option<String>, Vec<Warning>) {
    // Most lines are normal already: one scan instead of a pass per repair.
    if source_cells.iter().all(|cell| is_normal(cell)) {
        // Empty cells dropped after others: their tabs are gone.
        let raw = (source_cells.len() > 1 && source_cells.last().is_some_and(String::is_empty))
            .then(|| source_cells.join("\t"));
        return (drop_trailing_empty(source_cells), raw, Vec::new());
    }
    let (cells, warnings) = repair_line(&source_cells, at);
    (cells, Some(source_cells.join("\t")), warnings)
}

/// `cells` without the empty cells at its end (a row's unfilled columns).
fn drop_trailing_empty(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

/// [`normalize_line`]'s repairs, each a pass over the line: HTML tags,
/// stand-ins, removed characters, NFKC, spaces.
fn repair_line(source_cells: &[String], at: Location) -> (Vec<String>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let tags: Vec<&str> = source_cells
        .iter()
        .flat_map(|cell| HTML_TAG.find_iter(cell).map(|m| m.as_str()))
        .collect();
    if !tags.is_empty() {
        warnings.push(Warning {
            code: WarningCode::HtmlRemoved,
            message: format!(
                "removed {} HTML tag(s) ({}) left by the export",
                tags.len(),
                distinct(&tags).join(" ")
            ),
            page: at.page,
            line: at.line,
        });
    }
    let mut replaced = Vec::new();
    let replaced_cells: Vec<Cow<'_, str>> = source_cells
        .iter()
        .map(|cell| {
            let (cell, mut these) = replace_stand_ins(cell);
            replaced.append(&mut these);
            cell
        })
        .collect();
    if !replaced.is_empty() {
        let names: Vec<String> = replaced
            .iter()
            .map(|(from, to)| format!("{from}→{to}"))
            .collect();
        warnings.push(Warning {
            code: WarningCode::CharacterReplaced,
            message: format!(
                "replaced {} character(s) a PDF text map gives for the one printed ({})",
                replaced.len(),
                distinct(&names).join(" ")
            ),
            page: at.page,
            line: at.line,
        });
    }
    let mut removed = Vec::new();
    let cells = drop_trailing_empty(
        replaced_cells
            .iter()
            .map(|cell| normalize_cell(&HTML_TAG.replace_all(cell, " "), &mut removed))
            .collect(),
    );
    if !removed.is_empty() {
        let names: Vec<String> = removed
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        warnings.push(Warning {
            code: WarningCode::CharacterRemoved,
            message: format!(
                "removed {} unreadable or control character(s) ({}) from {:?}",
                removed.len(),
                distinct(&names).join(" "),
                Quoted(&with_removed_named(&replaced_cells.join("\t")))
            ),
            page: at.page,
            line: at.line,
        });
    }
    (cells, warnings)
}

/// True if the repairs ([`repair_line`]) would leave `cell` as it is,
/// with no warning: no HTML tag (no `<` at all), no stand-in, no character
/// to remove, every character one that NFKC leaves alone and never combines
/// with its neighbour (a normalization boundary before it: the case where
/// [`normalize_chars`] copies) or one kept out of NFKC as itself, and only
/// single spaces between words.
fn is_normal(cell: &str) -> bool {
    let mut after_space = true;
    cell.chars().all(|c| {
        let ok = match c {
            ' ' => !after_space,
            '<' | '\u{FF5E}' => false,
            c if c.is_ascii() => !c.is_ascii_control(),
            // No space, stand-in or removed character among them.
            c if is_plain_japanese(c) => true,
            c => {
                !c.is_whitespace()
                    && !is_removed(c)
                    && stands_for(c).is_none()
                    && (is_protected(c) || starts_segment(c))
            }
        };
        after_space = c == ' ';
        ok
    }) && !cell.ends_with(' ')
}

/// `text` with every stand-in replaced by the character it stands for, and
/// the pairs replaced, in order.
fn replace_stand_ins(text: &str) -> (Cow<'_, str>, Vec<(char, char)>) {
    // Most lines have none: no copy then.
    if !text.chars().any(|c| stands_for(c).is_some()) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut replaced = Vec::new();
    let out: String = text
        .chars()
        .map(|c| match stands_for(c) {
            Some(meant) => {
                replaced.push((c, meant));
                meant
            }
            None => c,
        })
        .collect();
    (Cow::Owned(out), replaced)
}

/// The character a stand-in stands for, `None` for any other character.
///
/// Stand-ins are what a PDF's glyph-to-text map gives when one glyph serves
/// two code points and the map picks the wrong one: a Kangxi or CJK radical
/// (U+2E80–U+2FDF) for the ideograph drawn with the same glyph (`⽀` for 支,
/// `⺠` for 民, `⼾` for 戸; the table is generated from Unicode's
/// Equivalent_Unified_Ideograph by `tools/gen_radicals.py`), and the
/// hyphenation point `‧` (U+2027, never used in Japanese text) for the
/// katakana middle dot `・`. NFKC alone repairs only some radicals, and some
/// of those to the Kangxi form (`⼾` to 戶), so this runs before it.
pub fn stands_for(c: char) -> Option<char> {
    match c {
        '\u{2027}' => Some('・'),
        '\u{2E80}'..='\u{2FDF}' => radicals::RADICAL_IDEOGRAPHS
            .binary_search_by_key(&c, |&(radical, _)| radical)
            .ok()
            .map(|i| radicals::RADICAL_IDEOGRAPHS[i].1),
        _ => None,
    }
}

/// `text` with each character normalization removes written as its code
/// point (`<U+FFFD>`), so that the warning quotes the line without carrying
/// the unreadable character into the output.
fn with_removed_named(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_removed(c) {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Characters that carry no text: U+FFFD (a byte the decoder could not
/// read) and control characters other than the tab (a cell separator).
fn is_removed(c: char) -> bool {
    c == '\u{FFFD}' || (c.is_control() && c != '\t')
}

fn distinct<T: AsRef<str>>(items: &[T]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for item in items {
        if !seen.contains(&item.as_ref()) {
            seen.push(item.as_ref());
        }
    }
    seen
}

/// Normalizes one cell: characters folded, control characters and U+FFFD
/// removed (and reported in `removed`), white space collapsed and trimmed.
fn normalize_cell(cell: &str, removed: &mut Vec<char>) -> String {
    let cleaned: Cow<str> = if cell.chars().any(is_removed) {
        Cow::Owned(
            cell.chars()
                .filter(|&c| {
                    let drop = is_removed(c);
                    if drop {
                        removed.push(c);
                    }
                    !drop
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(cell)
    };
    collapse_spaces(normalize_chars(&cleaned))
}

/// Folds characters with NFKC, except those NFKC would wrongly rewrite.
///
/// Text NFKC leaves as it is is copied, not normalized: the text is cut
/// at normalization boundaries (before a character that NFKC neither
/// decomposes nor combines with what stands before it: see
/// [`starts_segment`]), which Unicode guarantees NFKC never carries
/// anything across (UAX #15, "Detecting Normalization Forms"), and only
/// the segments holding another character go through NFKC. Most Japanese
/// text (kana, kanji, ASCII) is copied at the speed of a scan.
pub fn normalize_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // text[..copied] is in `out`; the segment being read began at `segment`
    // and `unstable` says whether it holds a character NFKC may change.
    let (mut copied, mut segment, mut unstable) = (0, 0, false);
    for (at, c) in text.char_indices() {
        let kept = keep_as(c);
        if kept.is_none() && !starts_segment(c) {
            unstable = true;
            continue;
        }
        if unstable {
            out.push_str(&text[copied..segment]);
            out.extend(text[segment..at].nfkc());
            copied = at;
            unstable = false;
        }
        segment = at;
        if let Some(kept) = kept {
            out.push_str(&text[copied..at]);
            out.push(kept);
            copied = at + c.len_utf8();
            segment = copied;
        }
    }
    out.push_str(&text[copied..segment]);
    if unstable {
        out.extend(text[segment..].nfkc());
    } else {
        out.push_str(&text[segment..]);
    }
    out
}

/// True if NFKC leaves `c` as it is and never combines it with the
/// character before it (canonical combining class 0, NFKC quick check
/// Yes): a normalization boundary stands before it. ASCII and the usual
/// characters of a Japanese plan are answered without a table look-up.
fn starts_segment(c: char) -> bool {
    c.is_ascii()
        || is_plain_japanese(c)
        || (unicode_normalization::char::canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Hiragana, katakana with its middle dot and long vowel mark, the unified
/// ideographs of the BMP, the CJK punctuation plans print (、。「」【】〜々),
/// and the arrows, marks and shapes of their lists (⇒ ※ ○ ● ◎ △ ■ ★): most
/// characters of a Japanese plan, which [`starts_segment`] answers without
/// a table look-up. Its test checks every one of them against the tables.
fn is_plain_japanese(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{3096}'      // hiragana
        | '\u{30A1}'..='\u{30FD}'    // katakana, ・, ー, ヽ
        | '\u{4E00}'..='\u{9FFF}'    // unified ideographs
        | '\u{3001}'..='\u{3029}'    // CJK punctuation, up to the combining tone marks
        | '\u{2190}'..='\u{2199}'    // arrows
        | '\u{21D0}'..='\u{21FF}'    // double arrows (⇒)
        | '\u{203B}'                  // ※
        | '\u{25A0}'..='\u{26FF}'    // geometric shapes, miscellaneous symbols
    )
}

/// What a character NFKC must not touch becomes instead (itself, or for the
/// full-width tilde the wave dash); `None` for characters NFKC may fold.
fn keep_as(c: char) -> Option<char> {
    match c {
        '\u{FF5E}' => Some('\u{301C}'),
        c if is_protected(c) => Some(c),
        _ => None,
    }
}

/// Characters kept out of NFKC: circled numbers ①–㊿ (sub-measure markers),
/// Roman numerals Ⅰ–ⅿ (goal numbers), and CJK compatibility ideographs (NFKC
/// and even NFC rewrite U+F929 朗 to U+6717, which changes a name's glyph).
pub fn is_protected(c: char) -> bool {
    matches!(c as u32,
        0x2160..=0x217F        // Roman numerals
        | 0x2460..=0x2473      // ①–⑳
        | 0x3251..=0x325F      // ㉑–㉟
        | 0x32B1..=0x32BF      // ㊱–㊿
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0x2F800..=0x2FA1F) // CJK compatibility ideographs supplement
}

/// Joins a line to the text it continues, as a hard wrap split them: with no
/// space between Japanese characters, with one between two Latin letters or
/// digits (`LGBT` / `の方` joins as `LGBTの方`, `ICT` / `tools` as `ICT tools`).
pub fn join_wrapped(before: &str, after: &str) -> String {
    let needs_space = before
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    let mut joined = String::with_capacity(before.len() + after.len() + 1);
    joined.push_str(before);
    if needs_space {
        joined.push(' ');
    }
    joined.push_str(after);
    joined
}

/// Collapses runs of white space into one space and trims the ends; text
/// that has none to collapse is returned as it is.
fn collapse_spaces(text: String) -> String {
    let mut previous_space = true;
    let collapsed = text.chars().all(|c| {
        let ok = match c {
            ' ' => !previous_space,
            c => !c.is_whitespace(),
        };
        previous_space = c == ' ';
        ok
    }) && !text.ends_with(' ');
    if collapsed {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lines_text_is_its_filled_cells_joined_by_a_space() {
        let line = |cells: &[&str]| Line {
            location: Location { page: 1, line: 1 },
            raw: None,
            cells: cells.iter().map(|c| c.to_string()).collect(),
            columns: CellColumns::default(),
            bold: false,
            wrapped_at_edge: false,
        };
        for cells in [
            &[][..],
            &[""],
            &["地域"],
            &["", "地域"],
            &["1", "地域", "", "○"],
            &["", "a", "", "b", "c", ""],
        ] {
            let plain: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
            assert_eq!(line(cells).text(), plain.join(" "), "{cells:?}");
        }
    }

    /// `normalize_line` on a text line, its cells split at tabs.
    fn normalize_text(text: &str, at: Location) -> (Vec<String>, Vec<Warning>) {
        let (cells, _, warnings) = normalize_line(SourceLine::from_text(at, text).cells, at);
        (cells, warnings)
    }

    #[test]
    fn the_ranges_read_without_a_table_start_segments() {
        let table_free = (0..=0xFFFF)
            .filter_map(char::from_u32)
            .filter(|&c| c.is_ascii() || is_plain_japanese(c));
        for c in table_free {
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "{c}"
            );
            assert_eq!(is_nfkc_quick(std::iter::once(c)), IsNormalized::Yes, "{c}");
            // is_normal takes them as they are.
            if !c.is_ascii() {
                assert!(!c.is_whitespace() && !is_removed(c), "{c}");
                assert_eq!(stands_for(c), None, "{c}");
            }
        }
    }

    #[test]
    fn folding_by_segments_is_nfkc_of_the_whole() {
        // Combining marks after kana and Latin letters, half-width voiced
        // katakana, compatibility characters between kanji, a protected
        // character before a combining mark.
        let texts = [
            "か\u{3099}き\u{309A}く",
            "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ",
            "e\u{301}a\u{300}\u{323}",
            "漢字㈱字（１）字ｱ\u{FF9E}",
            "①\u{3099}あ",
            "〜～~",
            "ﬁ ㍻ ㌔ ｶ",
            "",
        ];
        for text in texts {
            let whole: String = text
                .split(|c: char| keep_as(c).is_some())
                .map(|run| run.nfkc().collect::<String>())
                .collect::<Vec<_>>()
                .join("\u{0}");
            let kept: Vec<char> = text.chars().filter_map(keep_as).collect();
            let mut expected = String::new();
            for (i, run) in whole.split('\u{0}').enumerate() {
                expected.push_str(run);
                if let Some(k) = kept.get(i) {
                    expected.push(*k);
                }
            }
            assert_eq!(normalize_chars(text), expected, "{text:?}");
        }
    }

    #[test]
    fn spaces_collapse_only_where_needed() {
        assert_eq!(collapse_spaces("a b".into()), "a b");
        assert_eq!(collapse_spaces(" a  b ".into()), "a b");
        assert_eq!(collapse_spaces("a\u{3000}b".into()), "a b");
        assert_eq!(collapse_spaces("a b ".into()), "a b");
        assert_eq!(collapse_spaces(" ".into()), "");
        assert_eq!(collapse_spaces("".into()), "");
    }

    #[test]
    fn nfkc_folds_widths_but_keeps_markers() {
        assert_eq!(normalize_chars("ＩＣＴ１２３"), "ICT123");
        assert_eq!(normalize_chars("ｶﾀｶﾅ ｶﾞ"), "カタカナ ガ");
        assert_eq!(normalize_chars("①②③"), "①②③");
        assert_eq!(normalize_chars("基本目標Ⅲ"), "基本目標Ⅲ");
        assert_eq!(normalize_chars("（１）"), "(1)");
        assert_eq!(normalize_chars("\u{F929}"), "\u{F929}");
        assert_eq!(
            normalize_chars("令和3年度～令和7年度"),
            "令和3年度〜令和7年度"
        );
        assert_eq!(
            normalize_chars("令和3年度〜令和7年度"),
            "令和3年度〜令和7年度"
        );
        assert_eq!(normalize_chars("全角　空白"), "全角 空白");
    }

    #[test]
    fn normalization_is_idempotent_on_tricky_text() {
        for text in ["①ＩＣＴ～ｶﾞ㈱⑴Ⅻ\u{F929}", "〜～~", "ｱｲｳ　ＡＢＣ"] {
            let once = normalize_chars(text);
            assert_eq!(normalize_chars(&once), once);
        }
    }

    #[test]
    fn cells_tags_and_control_characters() {
        let at = Location { page: 1, line: 7 };
        let (cells, warnings) = normalize_text("<p>(3) 情報</p>\t18 研修\t\t\t", at);
        assert_eq!(cells, ["(3) 情報", "18 研修"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::HtmlRemoved);
        let (cells, warnings) = normalize_text("\t\t69 制度", at);
        assert_eq!(cells, ["", "", "69 制度"]);
        assert!(warnings.is_empty());
        let (cells, warnings) = normalize_text("\u{FFFD}寄り添い\u{7}", at);
        assert_eq!(cells, ["寄り添い"]);
        assert_eq!(warnings[0].code, WarningCode::CharacterRemoved);
        assert!(warnings[0].message.contains("U+FFFD"));
    }

    #[test]
    fn wrapped_lines_join_without_a_space_between_japanese() {
        assert_eq!(join_wrapped("未実施・", "進捗遅れ"), "未実施・進捗遅れ");
        assert_eq!(join_wrapped("ICT", "tools"), "ICT tools");
        assert_eq!(join_wrapped("LGBT", "の方"), "LGBTの方");
    }

    #[test]
    fn radicals_and_hyphenation_points_become_what_they_stand_for() {
        let at = Location { page: 3, line: 9 };
        let (cells, warnings) = normalize_text("⽀援\t⺠生委員の⼾別訪問‧見守り\t⽀", at);
        assert_eq!(cells, ["支援", "民生委員の戸別訪問・見守り", "支"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::CharacterReplaced);
        assert_eq!((warnings[0].page, warnings[0].line), (3, 9));
        assert!(warnings[0].message.contains("replaced 5 character(s)"));
        assert!(warnings[0].message.contains("⽀→支 ⺠→民 ⼾→戸 ‧→・"));
        let (cells, warnings) = normalize_text("支援と民生委員・戸別", at);
        assert_eq!(cells, ["支援と民生委員・戸別"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn the_radical_table_is_sorted_and_maps_into_the_ideograph_blocks() {
        let table = radicals::RADICAL_IDEOGRAPHS;
        assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for &(radical, ideograph) in table {
            assert!(('\u{2E80}'..='\u{2FDF}').contains(&radical));
            let cp = ideograph as u32;
            let unified = (0x4E00..=0x9FFF).contains(&cp)
                || (0x3400..=0x4DBF).contains(&cp)
                || (0x20000..=0x3134F).contains(&cp);
            assert!(unified, "{radical} maps to U+{cp:04X}");
        }
        // Every Kangxi radical (U+2F00–U+2FD5) has its ideograph.
        assert!((0x2F00..=0x2FD5)
            .filter_map(char::from_u32)
            .all(|c| stands_for(c).is_some()));
    }

    /// Characters of every kind the repairs treat apart: ASCII (spaces,
    /// `<`, a tag's letters, a control), kana, kanji, stable punctuation,
    /// full-width forms, the wide tilde, protected markers, combining
    /// marks, half-width katakana, stand-ins, U+FFFD, other white space.
    const KINDS: &str = " a1<b>\u{7}あア漢、。「（）１Ａ～〜①Ⅲ\u{F929}\u{301}\u{3099}ｶﾞ\u{2027}⽀\u{FFFD}\u{3000}\u{A0}";

    /// The kinds' characters, a tab the last.
    fn kinds() -> Vec<char> {
        KINDS.chars().chain(['\t']).collect()
    }

    /// The text of the kinds at `picks`: what the property tests generate.
    fn text_of_picks(picks: &[usize]) -> String {
        let kinds = kinds();
        picks.iter().map(|&i| kinds[i]).collect()
    }

    /// Every text of three characters of the kinds, a tab among them.
    fn texts_of_three_kinds() -> Vec<String> {
        let kinds = kinds();
        let mut texts = Vec::new();
        for &a in &kinds {
            for &b in &kinds {
                for &c in &kinds {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        texts
    }

    /// The shortcut of `normalize_line` changes nothing: where it takes a
    /// line as normal, the repairs give its cells back (the trailing empty
    /// ones dropped) with no warning.
    fn assert_shortcut_agrees(text: &str) -> bool {
        let at = Location { page: 1, line: 1 };
        let cells = crate::extract::SourceLine::from_text(at, text).cells;
        let normal = cells.iter().all(|cell| is_normal(cell));
        if normal {
            let kept = drop_trailing_empty(cells.clone());
            assert_eq!(repair_line(&cells, at), (kept, Vec::new()), "{text:?}");
        }
        normal
    }

    #[test]
    fn a_line_taken_as_normal_is_one_the_repairs_leave_alone() {
        let lines = crate::fixture_lines();
        let normal = lines.iter().filter(|l| assert_shortcut_agrees(l)).count();
        // Most fixture lines take the shortcut, not all.
        assert!(normal * 10 > lines.len() * 8, "{normal} of {}", lines.len());
        assert!(normal < lines.len());
        // Every text of three characters of the kinds, tabs among them.
        let texts = texts_of_three_kinds();
        let taken = texts.iter().filter(|t| assert_shortcut_agrees(t)).count();
        assert!(taken > 0 && taken < texts.len());
    }

    proptest::proptest! {
        #[test]
        fn any_line_taken_as_normal_is_one_the_repairs_leave_alone(
            picks in proptest::collection::vec(0..KINDS.chars().count() + 1, 0..16)
        ) {
            let text = text_of_picks(&picks);
            assert_shortcut_agrees(&text);
        }
    }

    /// The normalized line gives back `text` as decoded (kept, or its cells
    /// joined); true if it was kept.
    fn assert_raw_given_back(text: &str) -> bool {
        let at = Location { page: 1, line: 1 };
        let normalized = normalize_lines(vec![SourceLine::from_text(at, text)], Vec::new());
        let [line] = normalized.lines.as_slice() else {
            panic!("one line in, one out");
        };
        assert_eq!(line.raw(), text, "{:?}", line.cells);
        line.raw.is_some()
    }

    #[test]
    fn every_line_gives_back_the_line_as_decoded() {
        let lines = crate::fixture_lines();
        let kept = lines.iter().filter(|l| assert_raw_given_back(l)).count();
        // Most fixture lines are their cells again and are not kept twice.
        assert!(kept * 10 < lines.len(), "{kept} of {}", lines.len());
        let texts = texts_of_three_kinds();
        let kept = texts.iter().filter(|t| assert_raw_given_back(t)).count();
        assert!(kept > 0 && kept < texts.len());
        // A line doubled by fake bold, repaired, and one with empty cells
        // dropped at its end, normal otherwise.
        assert!(assert_raw_given_back("計画の理念と目標計画の理念と目標"));
        assert!(assert_raw_given_back("地域\t福祉\t\t"));
        assert!(!assert_raw_given_back("\t地域\t福祉"));
    }

    proptest::proptest! {
        #[test]
        fn any_line_gives_back_the_line_as_decoded(
            picks in proptest::collection::vec(0..KINDS.chars().count() + 1, 0..16),
            doubled in proptest::bool::ANY,
        ) {
            let text = text_of_picks(&picks);
            assert_raw_given_back(&if doubled { text.repeat(2) } else { text });
        }
    }

    /// True if `cell` holds no white space but single ASCII spaces between
    /// words, none at its ends: what segment splits words at.
    fn spaced_as_words(cell: &str) -> bool {
        !cell.chars().any(|c| c.is_whitespace() && c != ' ')
            && !cell.contains("  ")
            && !cell.starts_with(' ')
            && !cell.ends_with(' ')
    }

    #[test]
    fn a_cell_holds_single_spaces_between_words_and_no_other_white_space() {
        let at = Location { page: 1, line: 1 };
        let spaces: Vec<char> = (char::MIN..=char::MAX)
            .filter(|c| c.is_whitespace())
            .collect();
        assert!(spaces.len() > 20 && spaces.contains(&'\u{3000}'));
        for c in spaces {
            for text in [
                format!("地域{c}福祉"),
                format!("{c}地域"),
                format!("地域{c}"),
                format!("a{c}{c}b"),
                format!("a {c} b\t{c}c{c}"),
            ] {
                let normalized =
                    normalize_lines(vec![SourceLine::from_text(at, &text)], Vec::new());
                for cell in &normalized.lines[0].cells {
                    assert!(spaced_as_words(cell), "{:04X}: {cell:?}", u32::from(c));
                }
            }
        }
        let lines = crate::fixture_lines();
        for line in &lines {
            let normalized = normalize_lines(vec![SourceLine::from_text(at, line)], Vec::new());
            assert!(
                normalized.lines[0].cells.iter().all(|c| spaced_as_words(c)),
                "{line:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_cell_holds_single_spaces_between_words(
            picks in proptest::collection::vec(0..KINDS.chars().count() + 1, 0..16)
        ) {
            let text = text_of_picks(&picks);
            let at = Location { page: 1, line: 1 };
            let normalized = normalize_lines(vec![SourceLine::from_text(at, &text)], Vec::new());
            for cell in &normalized.lines[0].cells {
                proptest::prop_assert!(spaced_as_words(cell), "{:?}", cell);
            }
        }
    }

    #[test]
    fn blank_lines_have_no_cells() {
        let at = Location { page: 1, line: 1 };
        assert!(normalize_text("\t\t \t", at).0.is_empty());
        assert!(normalize_text("", at).0.is_empty());
    }
}
