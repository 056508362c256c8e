//! Heading lines in every notation of Japanese official documents: a level
//! word and its number (`基本目標１：`, `【基本目標１】`, `4-1 基本目標1`,
//! `施策１-２`), a chapter (`第２章`, `第2`), or a number alone (`1`, `(1)`,
//! `①`, `ア`, `(ア)`, `Ⅱ`, `1-1-1`).
//!
//! A line read here is a *candidate*: whether it is a node of the plan, and
//! at which level, is decided by `outline.rs` from the document's order of
//! styles. The words are the rows of [`super::markers::LEVEL_WORDS`] and
//! [`CHAPTER_WORDS`] there; the notations are the rows of [`BARE_NOTATIONS`].

use super::markers::{
    heading_title, without_badge, Level, CHAPTER_WORDS, COUNTERS, HEADING_LEAD_MARKS, LEVEL_WORDS,
    PARTICLES, QUANTITY_UNITS, SECTION_MARKS, STATUS_TAG,
};
use super::numbers::{circled_value, leading_number};
use super::paragraphs::SENTENCE_ENDS;
use super::pattern::PatternSet;
use crate::per_thread::Regex;
use std::sync::LazyLock;

/// How a heading's number is printed, when no level word goes before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notation {
    /// `1 title`.
    Arabic,
    /// `1. title` (NFKC of `１．`): a style of its own beside `1 title`.
    ArabicDotted,
    /// `(1) title` (NFKC of `（１）` and `⑴`).
    Parenthesized,
    /// `1) title` (NFKC of `１）`): a closing bracket alone.
    ClosingParenthesis,
    /// `① title`.
    Circled,
    /// `ア title`, in the アイウエオ order.
    Katakana,
    /// `(ア) title`.
    ParenthesizedKatakana,
    /// `Ⅱ title`.
    Roman,
    /// `1-2-3 title`: the number is the last part; the count of parts is
    /// part of the style.
    Hierarchical(u8),
}

/// What kind of marker a heading line carries: lines of one style are one
/// level of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// A chapter-like division: `第２章`, `第2節`, `第2` (its word, `""`
    /// for a bare 第N).
    Chapter(&'static str),
    /// A level word and a number: `基本目標１`, `施策の方向 (2)`.
    Word(&'static str),
    /// A number alone.
    Bare(Notation),
    /// A section of a brochure marked with a square and no number
    /// (`■計画の推進`): the mark.
    Marked(char),
}

/// A line read as a heading candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingLine {
    /// Its style.
    pub style: Style,
    /// The level its word names, for a level word.
    pub rank: Option<Level>,
    /// Its number (the last part of a hierarchical number).
    pub number: u32,
    /// The part before the last of a hierarchical number (`施策１-２`: 1).
    pub parent: Option<u32>,
    /// Its title, without separators, brackets, status tags and marks.
    pub title: Option<String>,
    /// A priority mark (★, ◎, 【最重点】) was printed with it.
    pub priority: bool,
}

/// Katakana item numbers in order: ア is 1.
const KATAKANA_ORDER: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ";

/// [`STATUS_TAG`] at the end of a title.
static STATUS_TAG_AT_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(STATUS_TAG).unwrap());

/// `第2章 title`, `第2 title`: the number, the chapter word, the title.
static CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<&str> = CHAPTER_WORDS
        .iter()
        .copied()
        .filter(|w| !w.is_empty())
        .collect();
    Regex::new(&format!(
        r"^第\s*([0-9]+|[一二三四五六七八九十]+)\s*(?:({})\s*(.*)|(?:\s+|[.:]\s*)(\S.*))$",
        words.join("|")
    ))
    .unwrap()
});

/// A section number before a level word (`4-1 基本目標1`), or a mark
/// ([`HEADING_LEAD_MARKS`]: `◆目標１`): not part of the heading.
static SECTION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    let marks: String = HEADING_LEAD_MARKS.iter().collect();
    Regex::new(&format!(r"^(?:[0-9]+(?:-[0-9]+)+\s+|[{marks}]\s*)")).unwrap()
});

/// One row of [`BARE_NOTATIONS`]: a pattern with the number in group 1 and
/// the title in group 2.
struct BareNotation {
    notation: Notation,
    pattern: &'static str,
}

/// The notations of a number alone, tried in order.
const BARE_NOTATIONS: &[BareNotation] = &[
    BareNotation {
        notation: Notation::Hierarchical(0),
        pattern: r"^([0-9]+(?:[-‐−][0-9]+)+)(?:\s+|\.\s*)(\S.*)$",
    },
    BareNotation {
        notation: Notation::ArabicDotted,
        pattern: r"^([0-9]{1,2})\.\s*([^\d\s.].*)$",
    },
    BareNotation {
        notation: Notation::Arabic,
        pattern: r"^([0-9]{1,2})(?:\s+|、\s*)(\S.*)$",
    },
    BareNotation {
        notation: Notation::Parenthesized,
        pattern: r"^\(([0-9]{1,2})\)\s*(\S.*)$",
    },
    BareNotation {
        notation: Notation::ClosingParenthesis,
        pattern: r"^([0-9]{1,2})\)\s*(\S.*)$",
    },
    // A text version read aloud (テキスト版) spells the brackets out:
    // `かっこ1 title` is `(1) title`.
    BareNotation {
        notation: Notation::Parenthesized,
        pattern: r"^かっこ([0-9]{1,2})(?:\s+|、\s*)(\S.*)$",
    },
    BareNotation {
        notation: Notation::ParenthesizedKatakana,
        pattern: r"^\(([ア-ワ])\)\s*(\S.*)$",
    },
    BareNotation {
        notation: Notation::Circled,
        pattern: r"^([①-⑳])\s*(\S.*)$",
    },
    BareNotation {
        notation: Notation::Katakana,
        pattern: r"^([ア-ワ])(?:\s+|[.、]\s*)(\S.*)$",
    },
    BareNotation {
        notation: Notation::Roman,
        pattern: r"^([Ⅰ-Ⅻ])(?:\s+|[.、]\s*)?(\S.*)$",
    },
];

static BARE_PATTERNS: LazyLock<PatternSet> =
    LazyLock::new(|| PatternSet::new(BARE_NOTATIONS.iter().map(|n| n.pattern)));

/// `【基本目標１】 title`, `基本目標１：title`: the level word, then the
/// rest of the line.
static LEVEL_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<&str> = LEVEL_WORDS.iter().map(|w| w.word).collect();
    Regex::new(&format!(r"^([【〔［\[〈《])?({})\s*", words.join("|"))).unwrap()
});

/// A marked section's title is a short label: at most this many
/// characters.
const MAX_MARKED_TITLE_CHARS: usize = 20;

/// Reads `text` (one normalized line) as a heading candidate, or `None`.
pub fn read_heading_line(text: &str) -> Option<HeadingLine> {
    // Most lines are prose: their first character already says so, before
    // any pattern is tried.
    if !may_be_heading_line(text) {
        return None;
    }
    read_chapter(text)
        .or_else(|| read_word(text))
        .or_else(|| read_bare(text))
}

/// False for a text whose first character no heading line starts with:
/// [`read_heading_line`] reads it as `None` at a glance.
pub fn may_be_heading_line(text: &str) -> bool {
    text.chars().next().is_some_and(may_open_a_heading)
}

/// The notations whose first item the extraction may glue onto the end of
/// the heading above it: the deeper lists of an outline, whose first
/// character cannot end a title.
const GLUED_NOTATIONS: &[Notation] = &[
    Notation::Parenthesized,
    Notation::ParenthesizedKatakana,
    Notation::Circled,
    Notation::Katakana,
];

/// A glued-on title must be at least this long (in characters), and so
/// must the title it is glued to: a one-character piece is no heading.
const MIN_GLUED_TITLE_CHARS: usize = 2;

/// Where a second heading starts inside the heading line `text`, when the
/// extraction glued the first item of a deeper list onto it (`（１）障害福祉
/// サービスの充実ア  障害福祉サービスの提供体制の整備`): a byte offset, or
/// `None`. The item must be number 1 of another notation than the line's,
/// stand right after a kanji or kana that ends the first title (not inside
/// a katakana word), and have a title of its own that is no sentence.
/// `first` is `text` read as a heading line.
pub fn glued_heading(text: &str, first: &HeadingLine) -> Option<usize> {
    if first.title.as_deref().map_or(0, |t| t.chars().count()) < MIN_GLUED_TITLE_CHARS {
        return None;
    }
    let mut previous = None;
    for (at, c) in text.char_indices() {
        let after_title_text = previous.is_some_and(ends_a_glued_title);
        previous = Some(c);
        if at == 0 || !after_title_text || !may_open_a_glued_item(c) {
            continue;
        }
        let Some(second) = read_bare(&text[at..]) else {
            continue;
        };
        let glued = matches!(second.style, Style::Bare(n) if GLUED_NOTATIONS.contains(&n))
            && second.style != first.style
            && second.number == 1
            && second.title.as_deref().is_some_and(|t| {
                t.chars().count() >= MIN_GLUED_TITLE_CHARS && !t.ends_with(SENTENCE_ENDS)
            })
            && read_heading_line(text[..at].trim_end()).is_some_and(|head| {
                head.title.as_deref().map_or(0, |t| t.chars().count()) >= MIN_GLUED_TITLE_CHARS
            });
        if glued {
            return Some(at);
        }
    }
    None
}

/// True if `c` may open an item of [`GLUED_NOTATIONS`]: a bracket, a
/// circled number or a katakana item number (not the first character of a
/// level word, which [`may_open_a_heading`] also allows).
fn may_open_a_glued_item(c: char) -> bool {
    c == '(' || circled_value(c).is_some() || ('ア'..='ワ').contains(&c)
}

/// A character a title may end with before a glued heading: a kanji or a
/// hiragana, not a katakana (`ア` inside `サービスアクセス` goes on a word)
/// and not punctuation or a space (a list inside a sentence).
fn ends_a_glued_title(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '々')
}

/// Reads `text` as a marked section of a brochure (`■計画の推進`): a
/// mark, then a short label with no number and no punctuation of a
/// sentence.
pub fn read_marked_section(text: &str) -> Option<HeadingLine> {
    let mark = text.chars().next().filter(|c| SECTION_MARKS.contains(c))?;
    let title = text[mark.len_utf8()..].trim();
    let is_label = !title.is_empty()
        && title.chars().count() <= MAX_MARKED_TITLE_CHARS
        && !title.contains(['、', '。', ',', '：', ':'])
        && read_heading_line(title).is_none();
    is_label.then(|| titled(Style::Marked(mark), None, 0, None, title))
}

/// True if a heading line may start with `c`: a digit, a bracket, 第, a
/// circled or Roman number, a katakana item number, or the first character
/// of a level word.
fn may_open_a_heading(c: char) -> bool {
    // The first characters of the words and marks, gathered once: every
    // line is asked.
    static WORD_STARTS: LazyLock<Vec<char>> = LazyLock::new(|| {
        let mut starts: Vec<char> = SPELLED_BRACKETS
            .iter()
            .copied()
            .chain(LEVEL_WORDS.iter().map(|w| w.word))
            .filter_map(|word| word.chars().next())
            .chain(HEADING_LEAD_MARKS.iter().copied())
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts
    });
    c.is_ascii_digit()
        || matches!(c, '(' | '第' | '【' | '〔' | '[' | '〈' | '《')
        || circled_value(c).is_some()
        || ('ア'..='ワ').contains(&c)
        || ('Ⅰ'..='Ⅻ').contains(&c)
        || WORD_STARTS.binary_search(&c).is_ok()
}

/// Brackets as a text version spells them out (the first character of a
/// row of [`BARE_NOTATIONS`] that is no digit or bracket).
const SPELLED_BRACKETS: &[&str] = &["かっこ"];

fn read_chapter(text: &str) -> Option<HeadingLine> {
    let c = CHAPTER.captures(text)?;
    let number = leading_number(&c[1])?.0;
    let word = c.get(2).map_or("", |w| w.as_str());
    let word = CHAPTER_WORDS.iter().copied().find(|w| *w == word)?;
    let title = c.get(3).or(c.get(4)).map_or("", |t| t.as_str());
    let counted = word.is_empty() && title.starts_with(COUNTERS);
    if counted || title.starts_with(PARTICLES) || title.ends_with(SENTENCE_ENDS) {
        return None;
    }
    Some(titled(Style::Chapter(word), None, number, None, title))
}

fn read_word(text: &str) -> Option<HeadingLine> {
    let text = match SECTION_PREFIX.find(text) {
        Some(prefix) => &text[prefix.end()..],
        None => text,
    };
    let c = LEVEL_WORD.captures(text)?;
    let word = LEVEL_WORDS.iter().find(|w| w.word == &c[2])?;
    let rest = &text[c.get(0)?.end()..];
    let (number, parent, mut after) = word_number(rest)?;
    // `目標 80%以上`, `目標2030年度までに…`: a quantity, not a heading's
    // number (the unit follows the digits directly).
    if is_quantity(after) {
        return None;
    }
    // `施策1の推進に努めます。`: a sentence, the particle glued to the
    // number. A title set off by a space or a bracket may begin with one
    // (`【基本目標１】　ともに理解し合うまち`).
    let mut glued_particle = after.starts_with(PARTICLES);
    if c.get(1).is_some() {
        after = after
            .trim_start()
            .strip_prefix(['】', '〕', '］', ']', '〉', '》'])?;
        // `【基本目標1】の実現に向けて`: the particle glued to the bracket.
        glued_particle |= after.starts_with(PARTICLES);
    }
    let title = after.trim_start();
    if glued_particle || title.ends_with(SENTENCE_ENDS) {
        return None;
    }
    Some(titled(
        Style::Word(word.word),
        Some(word.rank),
        number,
        parent,
        after,
    ))
}

/// The number after a level word: `1`, `①`, `Ⅲ`, `(1)`, `1-2`. Returns the
/// number, the part before it, and the rest.
fn word_number(rest: &str) -> Option<(u32, Option<u32>, &str)> {
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')')?;
        let n = inner[..close].trim().parse().ok()?;
        return Some((n, None, &inner[close + 1..]));
    }
    let (n, len) = leading_number(rest)?;
    let after = &rest[len..];
    if let Some(tail) = after.strip_prefix(['-', '‐', '−']) {
        let digits = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        if let Ok(child) = tail[..digits].parse() {
            return Some((child, Some(n), &tail[digits..]));
        }
    }
    Some((n, None, after))
}

/// True if `after` (what follows a number) starts with a unit or counter:
/// the number is a quantity (`80%`, `2030年度`, `5か所`).
pub fn is_quantity(after: &str) -> bool {
    QUANTITY_UNITS.iter().any(|unit| after.starts_with(unit))
}

fn read_bare(text: &str) -> Option<HeadingLine> {
    let (index, c) = BARE_PATTERNS.first_captures(text)?;
    let rule = &BARE_NOTATIONS[index];
    let digits = &c[1];
    let (notation, number, parent) = match rule.notation {
        Notation::Hierarchical(_) => {
            let parts: Vec<u32> = digits
                .split(['-', '‐', '−'])
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            let depth = u8::try_from(parts.len()).ok()?;
            let parent = parts.len().checked_sub(2).map(|i| parts[i]);
            (Notation::Hierarchical(depth), *parts.last()?, parent)
        }
        Notation::Katakana | Notation::ParenthesizedKatakana => {
            let kana = digits.chars().next()?;
            let position = KATAKANA_ORDER.chars().position(|k| k == kana)?;
            (rule.notation, u32::try_from(position).ok()? + 1, None)
        }
        Notation::Circled => (rule.notation, circled_value(digits.chars().next()?)?, None),
        Notation::Roman
        | Notation::Arabic
        | Notation::ArabicDotted
        | Notation::Parenthesized
        | Notation::ClosingParenthesis => (rule.notation, leading_number(digits)?.0, None),
    };
    let line = titled(Style::Bare(notation), None, number, parent, &c[2]);
    // A number alone is a heading only with its title on the line.
    line.title.is_some().then_some(line)
}

/// The candidate with its title read from `after`: separators and
/// brackets stripped, status tags and priority marks taken off the end.
fn titled(
    style: Style,
    rank: Option<Level>,
    number: u32,
    parent: Option<u32>,
    after: &str,
) -> HeadingLine {
    let (rest, mut priority) = without_badge(after);
    let mut rest = rest.trim_end();
    while let Some(tag) = STATUS_TAG_AT_END.captures(rest) {
        priority |= tag.get(1).is_some();
        rest = &rest[..tag.get(0).map_or(rest.len(), |m| m.start())];
    }
    let rest = rest.trim_start_matches(['★', '☆', '◎', ' ']);
    HeadingLine {
        style,
        rank,
        number,
        parent,
        title: heading_title(rest),
        priority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters a heading may open with, each list asked in turn.
    fn may_open_a_heading_by_lists(c: char) -> bool {
        c.is_ascii_digit()
            || matches!(c, '(' | '第' | '【' | '〔' | '[' | '〈' | '《')
            || circled_value(c).is_some()
            || ('ア'..='ワ').contains(&c)
            || ('Ⅰ'..='Ⅻ').contains(&c)
            || SPELLED_BRACKETS.iter().any(|w| w.starts_with(c))
            || HEADING_LEAD_MARKS.contains(&c)
            || LEVEL_WORDS.iter().any(|w| w.word.starts_with(c))
    }

    #[test]
    fn the_gathered_first_characters_are_the_lists() {
        let mut opening = 0;
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            assert_eq!(may_open_a_heading(c), may_open_a_heading_by_lists(c), "{c}");
            opening += usize::from(may_open_a_heading(c));
        }
        assert!(opening > 30, "{opening}");
    }

    /// The bare notations read in one set pass find what trying each
    /// pattern in order finds, groups and all: on every fixture line and
    /// on every text of three pieces of numbering.
    #[test]
    fn the_bare_notations_set_reads_as_trying_each_in_order() {
        let mut texts = crate::fixture_lines();
        const PIECES: [&str; 16] = [
            "1",
            "12",
            "-",
            "2",
            ".",
            "、",
            ")",
            "(",
            "かっこ",
            "ア",
            "①",
            "Ⅳ",
            " ",
            "地域",
            "\n",
            "5.",
        ];
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    texts.push([a, b, c].concat());
                }
            }
        }
        let patterns: Vec<Regex> = BARE_NOTATIONS
            .iter()
            .map(|n| Regex::new(n.pattern).unwrap())
            .collect();
        for text in &texts {
            let expected = patterns.iter().enumerate().find_map(|(i, p)| {
                let c = p.captures(text)?;
                Some((
                    i,
                    c.iter().map(|g| g.map(|g| g.as_str())).collect::<Vec<_>>(),
                ))
            });
            let found = BARE_PATTERNS.first_captures(text).map(|(i, c)| {
                (
                    i,
                    (0..patterns[i].captures_len()).map(|g| c.get(g)).collect(),
                )
            });
            assert_eq!(found, expected, "{text:?}");
        }
    }

    fn read(text: &str) -> Option<(Style, u32, Option<String>)> {
        read_heading_line(text).map(|h| (h.style, h.number, h.title))
    }

    #[test]
    fn every_notation_of_official_documents() {
        let cases: &[(&str, Style, u32, &str)] = &[
            ("第2章 施策の展開", Style::Chapter("章"), 2, "施策の展開"),
            ("第3節 推進体制", Style::Chapter("節"), 3, "推進体制"),
            (
                "第2 市町村への支援",
                Style::Chapter(""),
                2,
                "市町村への支援",
            ),
            ("第三章 計画の推進", Style::Chapter("章"), 3, "計画の推進"),
            ("基本目標1: 安心", Style::Word("基本目標"), 1, "安心"),
            (
                "【基本目標2】 支え合う",
                Style::Word("基本目標"),
                2,
                "支え合う",
            ),
            // A title set off by a space may begin with a particle's kana.
            (
                "【基本目標1】 ともに理解し合うまち",
                Style::Word("基本目標"),
                1,
                "ともに理解し合うまち",
            ),
            (
                "基本目標1 もっと身近に",
                Style::Word("基本目標"),
                1,
                "もっと身近に",
            ),
            (
                "4-1 基本目標1 介護予防",
                Style::Word("基本目標"),
                1,
                "介護予防",
            ),
            (
                "施策1-2 地域福祉の推進",
                Style::Word("施策"),
                2,
                "地域福祉の推進",
            ),
            ("重点施策③:生活支援", Style::Word("重点施策"), 3, "生活支援"),
            (
                "施策の方向 (2) 見守り",
                Style::Word("施策の方向"),
                2,
                "見守り",
            ),
            ("政策1 健やかなまち", Style::Word("政策"), 1, "健やかなまち"),
            ("1 推進体制", Style::Bare(Notation::Arabic), 1, "推進体制"),
            (
                "2、その他の事項",
                Style::Bare(Notation::Arabic),
                2,
                "その他の事項",
            ),
            (
                "2. 推進体制",
                Style::Bare(Notation::ArabicDotted),
                2,
                "推進体制",
            ),
            (
                "(3) 虐待の防止",
                Style::Bare(Notation::Parenthesized),
                3,
                "虐待の防止",
            ),
            (
                "② 見守りアプリ",
                Style::Bare(Notation::Circled),
                2,
                "見守りアプリ",
            ),
            (
                "ウ 受入れ支援",
                Style::Bare(Notation::Katakana),
                3,
                "受入れ支援",
            ),
            (
                "(イ) 参加が少ない",
                Style::Bare(Notation::ParenthesizedKatakana),
                2,
                "参加が少ない",
            ),
            ("Ⅱ 安心", Style::Bare(Notation::Roman), 2, "安心"),
            ("◆目標1 人づくり", Style::Word("目標"), 1, "人づくり"),
            (
                "●基本施策2 人材の育成",
                Style::Word("基本施策"),
                2,
                "人材の育成",
            ),
            (
                "2) 幼児教育との連携",
                Style::Bare(Notation::ClosingParenthesis),
                2,
                "幼児教育との連携",
            ),
            (
                "かっこ3 障害福祉サービスの充実",
                Style::Bare(Notation::Parenthesized),
                3,
                "障害福祉サービスの充実",
            ),
            (
                "1-1-3 食育の推進",
                Style::Bare(Notation::Hierarchical(3)),
                3,
                "食育の推進",
            ),
        ];
        for (line, style, number, title) in cases {
            assert_eq!(
                read(line),
                Some((*style, *number, Some(title.to_string()))),
                "{line}"
            );
        }
    }

    #[test]
    fn status_tags_and_priority_marks_are_not_the_title() {
        let line = read_heading_line("(1) 介護人材の確保【最重点】").unwrap();
        assert_eq!(line.title.as_deref(), Some("介護人材の確保"));
        assert!(line.priority);
        let line = read_heading_line("①体操教室の開催【継続】").unwrap();
        assert_eq!(line.title.as_deref(), Some("体操教室の開催"));
        assert!(!line.priority);
        let line = read_heading_line("施策4 権利擁護の推進★重点").unwrap();
        assert_eq!(line.title.as_deref(), Some("権利擁護の推進"));
        assert!(line.priority);
        let line = read_heading_line("施策2 地域活動の担い手の育成 ★").unwrap();
        assert_eq!(line.title.as_deref(), Some("地域活動の担い手の育成"));
        assert!(line.priority);
    }

    #[test]
    fn a_marked_section_is_a_short_label_after_a_square() {
        let line = read_marked_section("■計画の推進").unwrap();
        assert_eq!(line.style, Style::Marked('■'));
        assert_eq!(line.title.as_deref(), Some("計画の推進"));
        assert_eq!(
            read_marked_section("■市は、毎年度、取組を点検します。"),
            None
        );
        assert_eq!(read_marked_section("■基本目標1 支え合う"), None);
        assert_eq!(read_marked_section("●見守り活動"), None);
    }

    #[test]
    fn text_that_only_starts_like_a_heading_is_not_one() {
        for line in [
            "第108条に基づく計画",
            "第 2 次",
            "第1編を第7期計画とし、第2編を第3期計画とします。",
            "目標値を上回りました",
            "1.5倍になりました",
            "2015年度",
            "アプリの導入",
            "(1)",
            "施策への貢献度",
            "目標 80%以上",
            "目標2030年度までに達成",
            "施策1の推進に努めます。",
        ] {
            assert_eq!(read(line), None, "{line}");
        }
    }

    #[test]
    fn the_first_item_of_a_deeper_list_glued_onto_a_heading_is_found() {
        let glued = [
            (
                "(1)障害福祉サービスの充実ア 障害福祉サービスの提供体制の整備",
                "ア 障害福祉サービスの提供体制の整備",
            ),
            (
                "1 生活支援(1)障害福祉サービスの充実",
                "(1)障害福祉サービスの充実",
            ),
            (
                "(2)相談支援体制の構築①市町村の協議会の機能強化",
                "①市町村の協議会の機能強化",
            ),
            ("基本目標1 地域で支え合うまち(ア)見守り", "(ア)見守り"),
        ];
        for (line, second) in glued {
            let at = read_heading_line(line)
                .and_then(|first| glued_heading(line, &first))
                .unwrap_or_else(|| panic!("{line}"));
            assert_eq!(&line[at..], second, "{line}");
        }
    }

    #[test]
    fn a_heading_with_no_glued_item_is_left_whole() {
        for line in [
            // Katakana inside a word, an item other than the first, a
            // number after a space or punctuation, the same notation, a
            // sentence after the number, a one-character piece.
            "(1)サービスアクセスの改善",
            "(1)障害福祉サービスの充実イ 質の向上",
            "(1)障害福祉サービスの充実 ア 提供体制",
            "(1)相談、(ア)見守り",
            "(1)相談支援(1)見守り",
            "(1)相談支援①利用者の声を聞きます。",
            "(1)相ア 提供体制",
            "(1)障害福祉サービスの充実ア 整",
            "これは見出しではありません①見守り",
        ] {
            let glued = read_heading_line(line).and_then(|first| glued_heading(line, &first));
            assert_eq!(glued, None, "{line}");
        }
    }
}
