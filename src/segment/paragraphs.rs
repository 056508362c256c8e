//! Units: what the segmenter reads. A table row is a unit; prose lines that a
//! hard wrap broke apart are joined back into one unit, a paragraph.
//!
//! A text file exported from a PDF keeps the PDF's line breaks: a sentence
//! goes on over several lines, sometimes with blank lines between
//! (`…地域に目` / blank / `を向け、…`). Whether a line break is a wrap or the
//! end of a paragraph is read from the lines themselves:
//!
//! - a line that ends a sentence (`。`, `！`, `？`) ends its paragraph;
//! - a line that opens a unit of its own (a heading, a bullet, a label: any
//!   marker of [`markers::classify`], a note `※…`, an indented first line)
//!   starts one, and so does the second of two lines that both open as
//!   entries of a list (`順調：…` over `遅れ：…`, `◎　…` over `○　…`);
//! - a wrapped line is filled to the wrap width, so it is at least about as
//!   wide as the line it wraps onto; a shorter line is a heading or the end
//!   of a paragraph;
//! - a title (display text, no punctuation) does not go on across a blank
//!   line onto a shorter line: that is a label under it (`資料5-2`);
//! - a label ending in its number (`資料5-2`) is complete on its line;
//! - a short line directly followed by a wider one is a title over that
//!   paragraph, not the tail of the paragraph before;
//! - a line printed in fake bold (see [`crate::normalize::undouble`]) is
//!   display text whose breaks the designer chose;
//! - lines on different pages are never joined (a span has one page);
//! - a PDF line that the layout saw run up to its page's text frame
//!   ([`Line::wrapped_at_edge`]) goes on, unless the next line opens a
//!   unit of its own.

use super::markers::Classifier;
use super::{indicator_lines, markers, notations, numbers};
use crate::document::{Location, Span};
use crate::extract::CellColumns;
use crate::normalize::{join_wrapped, Line};
use unicode_width::UnicodeWidthStr;

/// How much narrower (in display columns, a full-width character being 2)
/// a wrapped line may be than the line it wraps onto: lines filled to the
/// same width differ by a character or two of kinsoku shifting, or by a
/// few half-width letters.
const WRAP_WIDTH_TOLERANCE: usize = 6;

/// Characters that end a sentence, so a line ending in one ends its
/// paragraph.
pub const SENTENCE_ENDS: &[char] = &['。', '．', '！', '？', '!', '?'];

/// Marks that open a note (注記): `※`, `＊` (`*` after NFKC).
const NOTE_MARKS: &[char] = &['※', '*'];

/// Punctuation of running text: a line without any is display text (a
/// title, a label).
const CLAUSE_MARKS: &[char] = &['、', '。', ',', '，'];

/// One unit of input: a table row, or the prose lines of one paragraph.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// The source lines from the unit's first to its last, blank lines
    /// between included.
    pub lines: &'a [Line],
    /// Its text: a row's cells joined by spaces, or the paragraph's lines
    /// joined as hard wraps.
    pub text: String,
    /// The unit is directly (no blank line) followed by a wider prose line:
    /// it reads as the title of the paragraph that follows.
    pub leads_paragraph: bool,
    /// A blank line stands right before it.
    pub after_blank: bool,
    /// It is the second heading of a line that held two, glued together
    /// by the extraction ([`notations::glued_heading`]), split off from the
    /// first.
    pub split_off: bool,
}

impl Unit<'_> {
    fn first(&self) -> &Line {
        &self.lines[0]
    }

    /// Where the unit starts.
    pub fn location(&self) -> Location {
        self.first().location
    }

    /// The lines it covers.
    pub fn span(&self) -> Span {
        let last = self.lines[self.lines.len() - 1].location;
        Span::line(self.location()).through(last)
    }

    /// A table row or header: more than one cell.
    pub fn is_row(&self) -> bool {
        self.first().is_row()
    }

    /// The cells of a row (of the single line it is).
    pub fn cells(&self) -> &[String] {
        &self.first().cells
    }

    /// Whether the row's cells stand in their columns (a PDF table's row)
    /// or only in order.
    pub fn cell_columns(&self) -> CellColumns {
        self.first().columns
    }

    /// The lines with text, each once, for the list of unplaced lines.
    pub fn text_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|line| !line.is_blank())
    }

    /// The unit is one line as its writer wrote it: a single line, or
    /// lines that only a PDF page's frame broke
    /// ([`Line::wrapped_at_edge`]), a heading whose title ran past the
    /// margin being a heading all the same.
    pub fn is_one_written_line(&self) -> bool {
        let mut text_lines = self.text_lines().peekable();
        while let Some(line) = text_lines.next() {
            if text_lines.peek().is_some() && !line.wrapped_at_edge {
                return false;
            }
        }
        true
    }

    /// Display text rather than a sentence: no sentence end in it.
    pub fn is_display(&self) -> bool {
        !self.text.contains(SENTENCE_ENDS)
    }
}

/// Groups `lines` into units, in order; blank lines belong to no unit except
/// as the gap inside a paragraph.
pub fn units<'a>(lines: &'a [Line], classifier: &mut Classifier) -> Vec<Unit<'a>> {
    let content: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
    let mut units = Vec::new();
    let mut k = 0;
    while k < content.len() {
        let first = content[k];
        let mut last = first;
        let mut text = lines[first].text().into_owned();
        while let Some(&next) = content.get(k + 1) {
            let after = content.get(k + 2).map(|&a| &lines[a]);
            if !wraps_onto(&lines[last], &text, &lines[next], after, classifier) {
                break;
            }
            text = join_wrapped(&text, &lines[next].text());
            last = next;
            k += 1;
        }
        let leads_paragraph = content
            .get(k + 1)
            .is_some_and(|&next| is_title_over(&text, &lines[last], &lines[next]));
        let after_blank = first > 0 && lines[first - 1].is_blank();
        let glued = (first == last && !lines[first].is_row())
            .then(|| {
                let first = classifier.heading_line_ref(&text)?;
                notations::glued_heading(&text, first)
            })
            .flatten();
        if let Some(at) = glued {
            let second = text[at..].to_string();
            text.truncate(at);
            units.push(Unit {
                lines: &lines[first..=last],
                text: text.trim_end().to_string(),
                leads_paragraph: false,
                after_blank,
                split_off: false,
            });
            units.push(Unit {
                lines: &lines[first..=last],
                text: second,
                leads_paragraph,
                after_blank: false,
                split_off: true,
            });
        } else {
            units.push(Unit {
                lines: &lines[first..=last],
                text,
                leads_paragraph,
                after_blank,
                split_off: false,
            });
        }
        k += 1;
    }
    units
}

/// True if `next` continues the paragraph whose last line is `line` (its
/// text so far `text`): a hard wrap, not a new paragraph. `after` is the
/// next line with text after `next`.
fn wraps_onto(
    line: &Line,
    text: &str,
    next: &Line,
    after: Option<&Line>,
    classifier: &mut Classifier,
) -> bool {
    // The cheap tests first: table rows and sentence ends never join, and
    // most lines are one or the other.
    if !is_prose(line)
        || !is_prose(next)
        || line.location.page != next.location.page
        || starts_with_indent(next)
    {
        return false;
    }
    let line_text = line.text();
    if line_text.ends_with(SENTENCE_ENDS) {
        return false;
    }
    // A note (`※…`) opens a unit of its own, whatever stands above it.
    if next.text().starts_with(NOTE_MARKS) {
        return false;
    }
    // A number broken at its hyphen (`DATA 2-` / `1 title`: vertical text
    // sets `2-1` upright, and a reader may break it) goes on.
    if ends_in_open_number(&line_text) && next.text().starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    // A PDF line that runs up to its frame's edge was broken by the frame,
    // not by its writer: it goes on whatever it is (a numbered title, a
    // heading's text, a line shorter than the next), unless the next line
    // opens a unit of its own.
    let broken_by_frame = line.wrapped_at_edge;
    let text_marker = classifier.marker(text);
    let text_is_marker = text_marker.is_some();
    if !broken_by_frame && text_marker.is_some_and(|m| m.is_closed()) {
        return false;
    }
    let next_text = next.text();
    match classifier.marker(&next_text) {
        // A title box's badge ends its title: the lines right above it (no
        // blank between) are the start of that title, however short.
        Some(markers::Marker::Priority { leads: false, .. }) => {
            return next.location.line == line.location.line + 1 && !text_is_marker;
        }
        Some(_) => return false,
        None => {}
    }
    // A numbered heading in any notation (`ア title`, `1-1-1 title`) opens
    // a unit of its own, and a numbered title (no clause marks) ends its
    // own; a numbered sentence (`1 本計画は、…`) goes on.
    if classifier.heading_line_ref(&next_text).is_some()
        || (!broken_by_frame
            && classifier.heading_line_ref(&line_text).is_some()
            && !line_text.contains(CLAUSE_MARKS))
    {
        return false;
    }
    // An indicator line (`名称　第7期目標値　60人`) opens a unit of its own: a
    // name and its values, however short the line before.
    if indicator_lines::is_indicator_line(&next_text) {
        return false;
    }
    // A grade of a legend on its own line (`B：遅れ` under `A：順調`) is an
    // entry of its own.
    if markers::legend_entries(&next_text, true).is_some()
        || markers::are_sibling_entries(&line_text, &next_text)
    {
        return false;
    }
    if broken_by_frame {
        return true;
    }
    if width(&line_text) + WRAP_WIDTH_TOLERANCE < width(&next_text) {
        return false;
    }
    if is_numbered_label(text) {
        return false;
    }
    let across_blank = next.location.line > line.location.line + 1;
    if across_blank
        && !text.contains(CLAUSE_MARKS)
        && width(&next_text) + WRAP_WIDTH_TOLERANCE < width(&line_text)
    {
        return false;
    }
    // `next` is a title over the paragraph after it, not a wrapped tail.
    !after.is_some_and(|after| is_title_over(&next_text, next, after))
}

/// True if `text`, whose last line is `last`, is a title over `following`:
/// display text with `following` right under it (no blank line between),
/// clearly wider.
fn is_title_over(text: &str, last: &Line, following: &Line) -> bool {
    following.location.line == last.location.line + 1
        && is_prose(following)
        && !text.ends_with(SENTENCE_ENDS)
        && width(&following.text()) > width(text) + WRAP_WIDTH_TOLERANCE
}

/// True if `text` ends in a number and a hyphen (`DATA 2-`): the rest of
/// the number is on the next line.
fn ends_in_open_number(text: &str) -> bool {
    let mut tail = text.chars().rev();
    matches!(tail.next(), Some('-' | '‐' | '−')) && tail.next().is_some_and(|c| c.is_ascii_digit())
}

/// Display text ending in a number (`資料5-2`, `参考資料①`, `図表3`): a
/// label, complete on its line.
fn is_numbered_label(text: &str) -> bool {
    // The last character first: `text` may be a long paragraph, asked
    // again at each of its lines.
    text.chars()
        .last()
        .is_some_and(|c| c.is_ascii_digit() || numbers::circled_value(c).is_some())
        && !text.contains(CLAUSE_MARKS)
}

/// A single-cell line not printed in fake bold: text that may wrap.
fn is_prose(line: &Line) -> bool {
    !line.is_blank() && !line.is_row() && !line.bold
}

/// An indented first line (字下げ) opens a paragraph.
fn starts_with_indent(line: &Line) -> bool {
    line.raw().starts_with([' ', '\u{3000}', '\t'])
}

/// Display width in columns, a full-width character counting 2.
fn width(text: &str) -> usize {
    // Most lines are kana, kanji, CJK punctuation and printable ASCII
    // alone, whose widths (2 and 1) need no table and no look at the
    // characters around them; at any other character the line is measured
    // by `unicode-width`.
    let mut columns = 0;
    for c in text.chars() {
        columns += match c {
            ' '..='~' => 1,
            '\u{3001}'..='\u{3029}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FC}'
            | '\u{4E00}'..='\u{9FFF}' => 2,
            _ => return text.width(),
        };
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;
    use crate::normalize::normalize;

    proptest::proptest! {
        // Kana, kanji and ASCII, with now and then a character of another
        // kind (half-width katakana, a combining mark, a symbol).
        #[test]
        fn width_is_unicode_width(
            text in "([ -~、-〩ぁ-ゖァ-ー一-鿿]|[ｱﾞ\u{3099}\u{302A}\u{300}○①\t])*",
        ) {
            proptest::prop_assert_eq!(width(&text), text.width());
        }
    }

    #[test]
    fn width_of_every_character_is_unicode_width() {
        // Every character of the Basic Multilingual Plane and beyond it
        // between kana and ASCII: the ranges measured without a table and
        // the characters on either side of each.
        let characters = (0..=0xFFFF)
            .chain(0x1_0000..=0x1_0100)
            .filter_map(char::from_u32);
        for c in characters {
            let text = format!("あ{c}a漢");
            assert_eq!(width(&text), text.width(), "U+{:04X}", c as u32);
        }
    }

    fn units_of(text: &str) -> Vec<(String, u32, u32)> {
        let normalized = normalize(&extract("t.txt", text.as_bytes()).unwrap());
        units(&normalized.lines, &mut Classifier::default())
            .iter()
            .map(|u| (u.text.clone(), u.span().line_start, u.span().line_end))
            .collect()
    }

    #[test]
    fn a_sentence_wrapped_across_a_blank_line_is_one_paragraph() {
        let text = "区民一人ひとりが、自分自身のことや住んでいる地域に目\n\nを向け、できることに取り組んでいくことが必要です。\n\nまた、多摩区では地域で様々な\n";
        assert_eq!(
            units_of(text),
            [
                (
                    "区民一人ひとりが、自分自身のことや住んでいる地域に目を向け、できることに取り組んでいくことが必要です。".into(),
                    1,
                    3
                ),
                ("また、多摩区では地域で様々な".into(), 5, 5),
            ]
        );
    }

    #[test]
    fn a_short_line_over_a_wider_one_is_a_title() {
        let text = "「伝わる」広報・啓発\n社協に関する事業や、地域の様々な団体・活動の情報発信を\n通じ「ふくし」への理解を広めます。\n";
        let units = units_of(text);
        assert_eq!(units[0].0, "「伝わる」広報・啓発");
        assert_eq!(
            units[1].0,
            "社協に関する事業や、地域の様々な団体・活動の情報発信を通じ「ふくし」への理解を広めます。"
        );
    }

    #[test]
    fn a_title_wrapped_over_two_short_lines_is_joined() {
        let text = "多種多様な社会資源同士の\n連携強化と協働\n\n既存の制度や仕組みでは解決できない地域課題やニーズへ\n";
        assert_eq!(
            units_of(text)[0].0,
            "多種多様な社会資源同士の連携強化と協働"
        );
    }

    #[test]
    fn markers_and_indents_open_units() {
        let text = "基本方針 1 情報提供の拡充 ◎重点的な取組\n\n 2 地域で活躍する人材の育成\n- 子育てサロン\n- 子育てひろば\n 高齢者や子ども子育て、暮らし、防災などの情報とともに\n";
        assert_eq!(units_of(text).len(), 5);
    }

    #[test]
    fn a_narrower_line_is_not_wrapped_onto_a_wider_one() {
        let text = "イラスト\n\n3年後を見据えてめざす多摩区の姿\n";
        assert_eq!(units_of(text).len(), 2);
    }

    #[test]
    fn a_title_does_not_swallow_the_labels_under_it() {
        let text = "町田市地域ホッとプラン 取組の進捗状況について\n\n資料5-2\n参考資料①\n";
        assert_eq!(units_of(text).len(), 3);
    }

    #[test]
    fn a_title_box_takes_the_line_above_its_badge() {
        let text = "\n地域ネットワークの強化と\n地域福祉活動推進のための財源確保重点項目3\n";
        assert_eq!(
            units_of(text),
            [(
                "地域ネットワークの強化と地域福祉活動推進のための財源確保重点項目3".into(),
                2,
                3
            )]
        );
    }

    #[test]
    fn a_note_opens_a_unit_of_its_own() {
        let text = "・認知症サポーター養成数　現状値 3,420名→目標値 5,000名\n※目標値は、計画期間中の新規養成数です。\n";
        assert_eq!(units_of(text).len(), 2);
    }

    #[test]
    fn entries_of_a_list_of_words_and_meanings_stay_apart() {
        // The first is wider and does not end a sentence, yet the second
        // opens like it: a word and a colon.
        let text = "概ね順調：一部に課題はあるが、おおむね計画どおりに実施できた\n遅れ：計画どおりに実施できなかった\n";
        assert_eq!(units_of(text).len(), 2);
    }

    #[test]
    fn bold_lines_stay_apart() {
        let text = "認め合い支え合う心を広げよう認め合い支え合う心を広げよう\n\nみんなが参加できる地域をつくろうみんなが参加できる地域をつくろう\n";
        let units = units_of(text);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].0, "認め合い支え合う心を広げよう");
    }

    /// The units of `text`, its line `at_edge` marked as a PDF layout marks
    /// a line that ran up to its page's frame.
    fn units_with_edge(text: &str, at_edge: usize) -> Vec<(String, bool)> {
        let mut lines = normalize(&extract("t.txt", text.as_bytes()).unwrap()).lines;
        lines[at_edge].wrapped_at_edge = true;
        units(&lines, &mut Classifier::default())
            .iter()
            .map(|u| (u.text.clone(), u.is_one_written_line()))
            .collect()
    }

    #[test]
    fn a_line_broken_by_the_frame_goes_on_even_as_a_numbered_title() {
        // A numbered line with no clause marks is a title complete on its
        // line, unless the page's frame broke it: then its tail goes on.
        let text = "（１）市民の割合　現状41.5％→目標50％\n（令和11年度）\n";
        assert_eq!(units_of(text).len(), 2);
        assert_eq!(
            units_with_edge(text, 0),
            [(
                "(1)市民の割合 現状41.5%→目標50%(令和11年度)".to_string(),
                true
            )]
        );
        // A heading on the next line opens a unit of its own all the same.
        let text = "本市では地域の支え合いを進めるため、住民と\n（２）見守り活動の推進\n";
        assert_eq!(units_with_edge(text, 0).len(), 2);
    }
}
