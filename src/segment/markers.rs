//! The heading markers of the plan hierarchy, as a table: which words open
//! which level, and how its number and title are read.
//!
//! To support another municipality's wording, add a row to [`LEVEL_WORDS`] (or
//! a word to the prose marker patterns below); the segmenter does not know
//! any marker word itself.
//!
//! Besides headings, prose plans mark their structure with badges
//! (◎重点的な取組, 重点項目１), bracketed labels (【具体的な取組】,
//! 【子ども・子育て】), bullets, data call-outs (`DATA 2-1`) and list labels
//! (事業・取組 with its page pointer); [`classify`] reads them all.

use super::first_chars::FirstChars;
use super::memo::Memo;
use super::notations::{self, HeadingLine};
use super::numbers::{circled_value, leading_number};
use super::pattern::{Pattern, PatternCaptures};
use crate::per_thread::{Regex, RegexSet};
use std::sync::LazyLock;

/// A level of the plan hierarchy that a heading line opens, outermost
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 基本目標, 目標.
    Goal,
    /// 基本方針, 基本施策, 重点施策, 施策の方向, 施策.
    Policy,
    /// (1) under a policy.
    Measure,
    /// ① under a measure.
    SubMeasure,
}

/// A heading line read: its level, number and title (the title may be on the
/// next line, in which case it is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingMarker {
    /// The level it opens.
    pub level: Level,
    /// Its number.
    pub number: u32,
    /// The parent's number, when printed with it (`基本方針 2-2`: goal 2).
    pub parent: Option<u32>,
    /// Its title, without brackets or priority badge.
    pub title: Option<String>,
    /// A priority badge (◎重点的な取組, 重点項目) printed with the heading.
    pub priority: bool,
    /// The level word printed before its number (基本目標, 施策の方向), or
    /// the chapter word (章); `None` for a number alone.
    pub word: Option<String>,
    /// The numbers of the nodes above it, from the goal down, when the
    /// outline places a second witness of a heading read earlier (a
    /// progress sheet listing the tree again): the node is found there,
    /// wherever the reading stands.
    pub ancestors: Option<Vec<u32>>,
    /// The text a second witness prints after the title it repeats (a
    /// progress sheet's `(1)title target`): an item of that node.
    pub item: Option<String>,
}

/// What a single-cell line is, structurally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// A heading of the hierarchy.
    Heading(HeadingMarker),
    /// 【基本理念】 with the philosophy's text, if on the same line.
    Philosophy(Option<String>),
    /// 【めざす方向】 with the direction's text, if on the same line.
    Direction(Option<String>),
    /// One or more legend entries `○:実施 △:未実施`.
    Legend(Legend),
    /// `川崎市社協10の取組`: a label counting the titled actions printed
    /// with it (in a brochure, the titles stand above it).
    ActionCount(u32),
    /// `…を進める2つの基本方針`: a sentence announcing how many policies
    /// follow (as bare numbers, in brochures).
    PolicyCount(u32),
    /// 重点項目 or ◎重点的な取組 alone: a badge on the policy heading after it.
    PriorityBadge,
    /// A priority section's heading: `◎重点的な取組 title` or
    /// `title重点項目１`.
    Priority {
        /// The badge comes first (`◎重点的な取組 title`): the section's text
        /// follows. A badge after the title marks a brochure's title box.
        leads: bool,
        /// The badge as printed.
        label: String,
        /// Its number, if printed.
        number: Option<u32>,
        /// The title beside it.
        title: String,
    },
    /// 【具体的な取組】, with its text if on the same line.
    Actions(Option<String>),
    /// 【title】 alone: a category heading.
    Category(String),
    /// 事業・取組: the label over a bulleted list of initiatives.
    ListLabel,
    /// `事業・取組の詳細は、P92に掲載しています`: the plan pages of the list
    /// above it.
    PagePointer(Vec<u32>),
    /// `- item`, `●item`, `・item`: a bulleted item.
    Bullet {
        /// The bullet (the last one, for `- ・item`).
        mark: char,
        /// The item's text.
        text: String,
    },
    /// `DATA 2-1 title`: a data call-out.
    DataCallout {
        /// The label as printed (`DATA 2-1`).
        label: String,
        /// Its title.
        title: Option<String>,
    },
    /// `資料:…`: the source of a data call-out.
    SourceNote,
    /// `2`, `２ title` or `２．title`: a line opened by a number. A heading
    /// only in context (a 基本方針 list, an announced number of policies or
    /// goals).
    Numbered {
        /// The number.
        number: u32,
        /// The text after it.
        title: Option<String>,
    },
    /// `［現状と課題］`, `＜PDCAサイクル＞` (NFKC `[…]`, `<…>`): a label line
    /// in square or angle brackets over the text after it. Prose, but a unit
    /// of its own: no wrapped line runs into it.
    BracketedLabel,
    /// `目次`: the label over a table of contents.
    ContentsLabel,
    /// `策定の趣旨 ・・・・・ 1`: an entry of a table of contents (a title,
    /// a dot leader, a page number). Never a heading, whatever it starts
    /// with: it names a heading that stands elsewhere.
    ContentsEntry,
    /// `第６期計画 基本理念 第６期計画 目標`: a line of labels only, naming
    /// the display text around it.
    Labels {
        /// 基本理念 is among the labels.
        philosophy: bool,
        /// 目標 is among the labels.
        goals: bool,
    },
}

impl Marker {
    /// True for markers that make a unit of their own: no hard-wrapped line
    /// is joined after them. Markers that open text (a bullet, 【めざす方向】
    /// with its text) may go on over several lines.
    pub fn is_closed(&self) -> bool {
        !matches!(
            self,
            Marker::Philosophy(Some(_))
                | Marker::Direction(Some(_))
                | Marker::Actions(Some(_))
                | Marker::Bullet { .. }
                | Marker::SourceNote
        )
    }
}

impl Marker {
    /// True for the markers [`classify`] reads before headings: a line
    /// they match is never a heading, whatever number it starts with.
    pub fn outranks_headings(&self) -> bool {
        // A label line of the 基本理念 (`４ 基本理念`) is numbered as the
        // plan's sections are: it keeps its place in their sequence.
        matches!(
            self,
            Marker::Philosophy(Some(_))
                | Marker::Direction(_)
                | Marker::Actions(_)
                | Marker::ContentsEntry
                | Marker::ContentsLabel
                | Marker::Legend(_)
                | Marker::PolicyCount(_)
        )
    }
}

/// How a heading's number is written after its marker word.
#[derive(Debug, Clone, Copy)]
enum NumberStyle {
    /// Any notation `leading_number` reads (`1`, `Ⅲ`, `III`, `１`, `①`),
    /// or a number in parentheses.
    Any,
    /// `(1)`, the NFKC form of `（１）` and `⑴`.
    Parenthesized,
    /// `①`.
    Circled,
}

/// One row of the heading table.
struct HeadingRule {
    level: Level,
    /// What its headings open with, before their number.
    opening: Opening,
    numbers: NumberStyle,
}

/// What a heading of a rule opens with.
enum Opening {
    /// One of its level's words, as a regex anchored at the start.
    Word(&'static LazyLock<Regex>),
    /// Its number, at the text's start: a notation without a word, read
    /// without a search.
    Number,
}

/// A word plans print before a heading's number, and the level it names
/// where the plan does not say otherwise (the document's own order of
/// levels comes first, see `outline.rs`).
pub struct LevelWord {
    /// The word as printed (after NFKC).
    pub word: &'static str,
    /// The level it usually names.
    pub rank: Level,
}

/// The level words, longest first where one starts another (施策の方向
/// before 施策): the first that opens a line wins.
pub const LEVEL_WORDS: &[LevelWord] = &[
    LevelWord {
        word: "基本目標",
        rank: Level::Goal,
    },
    LevelWord {
        word: "目標",
        rank: Level::Goal,
    },
    LevelWord {
        word: "政策",
        rank: Level::Goal,
    },
    LevelWord {
        word: "重点戦略",
        rank: Level::Goal,
    },
    LevelWord {
        word: "基本的な方針",
        rank: Level::Goal,
    },
    LevelWord {
        word: "基本的方向",
        rank: Level::Goal,
    },
    LevelWord {
        word: "分野",
        rank: Level::Goal,
    },
    LevelWord {
        word: "基本方針",
        rank: Level::Policy,
    },
    LevelWord {
        word: "基本施策",
        rank: Level::Policy,
    },
    LevelWord {
        word: "重点施策",
        rank: Level::Policy,
    },
    LevelWord {
        word: "重点目標",
        rank: Level::Policy,
    },
    LevelWord {
        word: "施策の方向",
        rank: Level::Policy,
    },
    LevelWord {
        word: "施策",
        rank: Level::Policy,
    },
    LevelWord {
        word: "方針",
        rank: Level::Policy,
    },
];

/// The heading markers, tried in order: the level words of each rank, then
/// the notations that are headings without a word.
static HEADINGS: [HeadingRule; 4] = [
    HeadingRule {
        level: Level::Goal,
        opening: Opening::Word(&GOAL_WORDS),
        numbers: NumberStyle::Any,
    },
    HeadingRule {
        level: Level::Policy,
        opening: Opening::Word(&POLICY_WORDS),
        numbers: NumberStyle::Any,
    },
    HeadingRule {
        level: Level::Measure,
        opening: Opening::Number,
        numbers: NumberStyle::Parenthesized,
    },
    HeadingRule {
        level: Level::SubMeasure,
        opening: Opening::Number,
        numbers: NumberStyle::Circled,
    },
];

/// The words of a goal heading, anchored at the start.
static GOAL_WORDS: LazyLock<Regex> = LazyLock::new(|| level_words(Level::Goal));
/// The words of a policy heading, anchored at the start.
static POLICY_WORDS: LazyLock<Regex> = LazyLock::new(|| level_words(Level::Policy));

/// The words of [`LEVEL_WORDS`] of the rank `rank`, as a regex anchored at
/// the start.
fn level_words(rank: Level) -> Regex {
    let words: Vec<&str> = LEVEL_WORDS
        .iter()
        .filter(|w| w.rank == rank)
        .map(|w| w.word)
        .collect();
    regex(&format!("^(?:{})", words.join("|")))
}

/// Builds a regex from a pattern written in this file.
fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("marker patterns are valid")
}

/// The bracket every initiative flag below opens with: a text without it
/// has no flag (tested on every flag pattern).
pub const FLAG_OPENING: char = '【';
/// An initiative's flag: it is carried out city-wide (【全市的取組】).
pub static CITYWIDE: LazyLock<Regex> = LazyLock::new(|| regex(r"【全市的取組】"));
/// An initiative's flag: it has ended (【事業終了】, 【廃止】).
pub static DISCONTINUED: LazyLock<Regex> =
    LazyLock::new(|| regex(r"【[^】]*(?:事業終了|終了|廃止)】"));
/// An initiative printed again (【再掲 Ⅲ-1-(2)-①】): where it first stands.
pub static REPOSTED: LazyLock<Regex> = LazyLock::new(|| regex(r"【再掲\s*([^】]*)】"));

/// Words a heading over the goals' list carries (`計画の理念と目標`): not
/// a goal itself.
pub const LIST_HEADING_WORDS: &[&str] = &["理念", "目標"];

/// Polite predicate endings: a title is a noun phrase or a plain verb
/// (`体制を充実する`); a line ending in one of these is a sentence whose
/// full stop the layout dropped.
pub const POLITE_ENDINGS: &[&str] = &["ます", "です", "ました", "でした", "ません"];

/// The words after 第N that make a chapter-like division, outermost first.
/// A bare 第N (公用文) is the row `""`.
pub const CHAPTER_WORDS: &[&str] = &["編", "部", "章", "節", ""];

/// Counters after 第N that make it an ordinal, not a division (`第 2 次`
/// letter-spaced, `第3期`).
pub const COUNTERS: &[char] = &['次', '期', '回', '号', '条', '項', '版', '年', '弾'];

/// Particles a sentence goes on with after `第N章` or `第N編`
/// (`第1編を…とし`): a title never starts with one.
pub const PARTICLES: &[char] = &[
    'を', 'は', 'が', 'の', 'に', 'で', 'と', 'も', 'へ', 'や', 'か',
];

/// Tags printed after a title that are not part of it: what the plan does
/// with the item (【新規】, 【継続】…) and priority marks. The second group
/// marks priority.
pub const STATUS_TAG: &str = r"\s*(?:【(?:新規|継続|強化|拡充|充実|見直し|新)】|(【(?:最重点|重点)】|[★☆◎]\s*(?:重点)?))\s*$";

/// Units and counters after a number that make it a quantity, not a
/// heading's number (`目標 80%`, `2030年度`, `5か所`).
pub const QUANTITY_UNITS: &[&str] = &[
    "%", "年", "人", "件", "か所", "箇所", "カ所", "円", "回", "歳", "倍", "割", "万", "千", "億",
];

/// The marks of a brochure's unnumbered sections (`■計画の推進`).
pub const SECTION_MARKS: &[char] = &['■', '◆'];

/// Marks a plan may print before a level word's heading (`◆目標１`,
/// `●基本施策１`): the heading is the level word's.
pub const HEADING_LEAD_MARKS: &[char] = &['■', '◆', '●', '◇', '□'];

/// The priority badges, anywhere they are read.
const PRIORITY_WORDS: &str = r"(?:重点的な取組|重点項目|重点取組)";

static POLICY_COUNT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+)つの(?:基本方針|基本施策)$"));
/// What every [`POLICY_COUNT`] ends with.
const POLICY_COUNT_ENDINGS: [&str; 2] = ["つの基本方針", "つの基本施策"];
/// A heading title's trailing badge: `情報提供の拡充 ◎重点的な取組`.
static TITLE_BADGE: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"\s*(?:◎\s*{PRIORITY_WORDS}\s*\d*|◎)$")));
static BADGE_ALONE: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"^◎?\s*{PRIORITY_WORDS}$")));
static PRIORITY_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^(◎\s*{PRIORITY_WORDS})\s*(\S.*)$")));
static PRIORITY_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^(\S.*?)\s*(◎?\s*{PRIORITY_WORDS}\s*(\d+))$")));
/// What every [`PRIORITY_SUFFIX`] ends with, anchored at the end only.
static PRIORITY_SUFFIX_TAIL: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"{PRIORITY_WORDS}\s*\d+$")));
static ACTIONS: LazyLock<Regex> = LazyLock::new(|| regex(r"^【具体的な取組み?】\s*(.*)$"));
/// A label over a list of indicators (【成果指標】, ＜数値目標＞): the
/// numbered lines under it measure the plan; they are not its headings.
static INDICATOR_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^[【\[<≪〈《■◆]?\s*(?:成果指標|数値目標|評価指標|目標指標|活動指標|指標|KPI|重要業績評価指標)\s*[】\]>≫〉》]?$",
    )
});
static CATEGORY: LazyLock<Regex> = LazyLock::new(|| regex(r"^【([^【】]+)】$"));
/// The label over a list of initiatives, bare or in brackets (`＜主な事業＞`,
/// NFKC `<主な事業>`).
static LIST_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[<〈《≪\[［]?\s*(?:事業・取組|主な事業|主な取組|関連事業)\s*[>〉》≫\]］]?$")
});
/// A page pointer names the plan's pages where details stand.
static PAGE_POINTER: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:詳細|掲載).*P\.?\s*\d+"));
/// One of these every [`PAGE_POINTER`] holds, and a `P`.
const PAGE_POINTER_WORDS: [&str; 2] = ["詳細", "掲載"];
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"P\.?\s*(\d+)"));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:[-‐・●◆■□▪•]\s*)*([-‐・●◆■□▪•])\s*(\S.*)$"));
static DATA_CALLOUT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^((?:DATA|データ)\s*\d+(?:-\d+)?)\s*(.*)$"));
static SOURCE_NOTE: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:資料|出典)\s*[:：]"));
/// A number alone, or before a title after a space or a period (`1.title`,
/// but not `1.5倍`).
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(\d{1,2})(?:(?:\s+|\.\s*)([^\d\s].*))?$"));
/// `川崎市社協10の取組`: a label line counting actions (a display line, not
/// a sentence: it ends with the word).
static ACTION_COUNT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[^、。]{0,40}?(\d{1,2})(?:つ)?の(?:取組|取り組み)$"));
/// What every [`ACTION_COUNT`] ends with.
const ACTION_COUNT_ENDINGS: [&str; 2] = ["の取組", "の取り組み"];
/// `…を4つの基本目標として設定します`: how many goals the plan has.
static GOAL_COUNT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+)つの基本目標"));
/// A dot leader and a page number closing a line: a table of contents entry.
static CONTENTS_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\S\s*(?:[・･.…‥]\s*){4,}(?:P\.?\s*)?\d{1,4}$"));
static BRACKETED_LABEL: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:\[[^\[\]]+\]|<[^<>]+>)$"));
static CONTENTS_LABEL: LazyLock<Regex> = LazyLock::new(|| regex(r"^目\s*次$"));
static LABEL_WORD: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:基本理念|理念|基本目標|目標)$"));
/// What a line with a [`LABEL_WORD`] among its words holds somewhere.
static LABEL_WORD_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| regex(&LABEL_WORDS_ANYWHERE.join("|")));
/// The words of [`LABEL_WORD_ANYWHERE`], also looked for without it (its
/// gate's precondition).
const LABEL_WORDS_ANYWHERE: [&str; 2] = ["理念", "目標"];
static LABEL_QUALIFIER: LazyLock<Regex> = LazyLock::new(|| regex(r"^第\d+期(?:計画)?$"));

/// 【基本理念】, or `基本理念：` with its text on the same line.
static PHILOSOPHY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:【基本理念】|基本理念\s*:)\s*(.*)$").unwrap());
/// The 基本理念 labelled on a line of its own, numbered or marked as the
/// plan's sections are (`基本理念`, `4 基本理念`, `3-1 基本理念`, `■基本理念`,
/// `計画の理念`, `まちづくりの基本理念`): its text is on the lines after.
static PHILOSOPHY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(?:[0-9]+(?:-[0-9]+)*(?:\s+|[.、]\s*)|[■◆]\s*)?(?:[^\sの]{{2,8}}の)?(?:基本的?)?{PHILOSOPHY_LABEL_ENDING}$"
    ))
});
/// What every [`PHILOSOPHY_LABEL`] ends with (its gate's precondition).
const PHILOSOPHY_LABEL_ENDING: &str = "理念";
static DIRECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^【めざす方向】\s*(.*)$").unwrap());
/// The marks a legend gives a meaning: symbols, grade letters, grade
/// digits.
const LEGEND_SYMBOLS: &str = "○△×◎●▲■□◇◆";
/// A mark and its colon where a legend entry begins: a symbol anywhere
/// (`○:実施△:未実施`), a letter or digit at the start or after white space
/// or a separator.
static LEGEND_MARK: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?:(?:^|[\s、,/・])([A-ES]|[1-9])|([{LEGEND_SYMBOLS}]))\s*[:：=＝]\s*"
    ))
});
/// The colons, one of which every [`LEGEND_MARK`] holds.
const LEGEND_COLONS: [char; 4] = [':', '：', '=', '＝'];
/// What may stand before a legend's first entry: a label of a few words
/// (`評価`, `※評価基準`, `【凡例】`), once followed by a colon at most.
static LEGEND_LEAD: LazyLock<Regex> = LazyLock::new(|| regex(r"^[^:：。、]{0,12}[:：]?\s*$"));
/// A line that announces the legend lines under it (`【評価の基準】`, `凡例`).
static LEGEND_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^[※＊*]?\s*[【\[<〈(]?\s*(?:[^\s:：、。]{0,4}?(?:評価|判定|達成度|進捗状況|進捗))?(?:の)?(?:基準|区分|凡例|評価基準)\s*[】\]>〉)]?\s*[:：]?$",
    )
});

/// A legend read from a line: the words before its entries, and the
/// entries (mark, meaning) in the order printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legend {
    /// The label before the first entry (`評価`, `※評価基準`), if any.
    pub lead: Option<String>,
    /// Each mark with its meaning.
    pub entries: Vec<(String, String)>,
}

/// The legend entries of `text` (`A：順調　B：概ね順調`, `評価 ◎:達成 ○:概ね達成`,
/// `○:実施`): a mark, a colon and its meaning up to the next mark, after a
/// short label at most. Grades by letter or digit need two entries on the
/// line (a lone `A：…` is more often a question's answer than a legend)
/// unless `alone_allowed` (the line follows a legend or its label).
pub fn legend_entries(text: &str, alone_allowed: bool) -> Option<Legend> {
    // Every mark holds a colon: most texts have none, told by a byte search.
    if !holds_legend_colon(text) {
        return None;
    }
    let marks: Vec<regex::Captures> = LEGEND_MARK.captures_iter(text).collect();
    let first = marks.first()?;
    let lead = &text[..first.get(0)?.start()];
    if !LEGEND_LEAD.is_match(lead) {
        return None;
    }
    let mut entries = Vec::new();
    for (i, mark) in marks.iter().enumerate() {
        let end = marks
            .get(i + 1)
            .and_then(|next| next.get(0))
            .map_or(text.len(), |m| m.start());
        let label = text[mark.get(0)?.end()..end]
            .trim()
            .trim_end_matches(['、', ',', '/']);
        if label.is_empty() || label.contains('。') || label.chars().count() > 24 {
            return None;
        }
        let symbol = mark.get(1).or(mark.get(2))?.as_str();
        entries.push((symbol.to_string(), label.trim().to_string()));
    }
    let symbols = entries
        .iter()
        .all(|(mark, _)| mark.chars().all(|c| LEGEND_SYMBOLS.contains(c)));
    let lead = lead.trim();
    (symbols || entries.len() >= 2 || alone_allowed).then(|| Legend {
        lead: (!lead.is_empty()).then(|| lead.to_string()),
        entries,
    })
}

/// A legend entry whose grade is a word (`順調：計画どおりに実施できた`): a
/// short word, a colon, and its meaning. Read only where a legend is open
/// (under its label or after an entry), as any `word：text` line could be
/// one.
pub fn word_legend_entry(text: &str) -> Option<Legend> {
    let c = WORD_ENTRY
        .captures(text)
        .or_else(|| SPACED_ENTRY.captures(text))?;
    let meaning = c[2].trim();
    (meaning.chars().count() <= MAX_WORD_MEANING_CHARS).then(|| Legend {
        lead: None,
        entries: vec![(c[1].to_string(), meaning.to_string())],
    })
}

/// A word grade and its meaning (see [`word_legend_entry`]).
static WORD_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^([^\s:：、。,()（）【】]{1,8})\s*[:：]\s*(\S.*)$"));

/// A mark and its meaning set off by a space, no colon (`◎　計画を上回って
/// 実施した`, `A 順調`): a legend's line under its label.
static SPACED_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^([{LEGEND_SYMBOLS}]|[A-ES]|[1-9])\s+(\S.*)$")));

/// A word grade's meaning is a phrase, not a paragraph.
const MAX_WORD_MEANING_CHARS: usize = 40;

/// True if `text` and `next` are entries of one list of words and their
/// meanings (`順調：…` over `遅れ：…`, `目的：…` over `期間：…`): a short word and
/// a colon open both, so `next` is no wrapped tail of `text`.
pub fn are_sibling_entries(text: &str, next: &str) -> bool {
    opens_an_entry(text) && opens_an_entry(next)
}

/// True if a [`WORD_ENTRY`] or a [`SPACED_ENTRY`] is `text`: each pattern
/// is tried behind a test without a regex that every text it matches
/// passes (a colon somewhere; a mark first), which turns most lines away.
fn opens_an_entry(text: &str) -> bool {
    let opens_with_mark = text.starts_with(|c: char| {
        LEGEND_SYMBOLS.contains(c) || matches!(c, 'A'..='E' | 'S' | '1'..='9')
    });
    ((text.contains(':') || text.contains('：')) && WORD_ENTRY.is_match(text))
        || (opens_with_mark && SPACED_ENTRY.is_match(text))
}

/// True for the header row of a legend printed as a table: a word for the
/// grade (`評価`, `区分`, `記号`) over the first column, a word for its
/// meaning (`評価の内容`, `基準`, `説明`) over the second.
pub fn is_legend_table_header(first: &str, second: &str) -> bool {
    LEGEND_TABLE_GRADE.is_match(first) && LEGEND_TABLE_MEANING.is_match(second)
}

/// A row of a legend table: a grade (a short word without spaces) and its
/// meaning (a phrase).
pub fn legend_table_entry(grade: &str, meaning: &str) -> Option<Legend> {
    let grade_like =
        (1..=8).contains(&grade.chars().count()) && !grade.contains(char::is_whitespace);
    (grade_like && meaning.chars().count() <= MAX_WORD_MEANING_CHARS).then(|| Legend {
        lead: None,
        entries: vec![(grade.to_string(), meaning.to_string())],
    })
}

static LEGEND_TABLE_GRADE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:評価|評定|判定|区分|記号|達成度|進捗状況|評価区分|ランク|段階)$"));
static LEGEND_TABLE_MEANING: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(?:評価|判定|区分)?(?:の)?(?:内容|説明|基準|意味|定義|目安|考え方|判断基準)$")
});

/// A line announcing legend lines under it (`【評価の基準】`).
pub fn is_legend_label(text: &str) -> bool {
    LEGEND_LABEL.is_match(text)
}

/// The legend a header cell carries in brackets
/// (`評価(◎:達成 ○:概ね達成 △:一部未達成)`).
pub fn header_legend(header: &str) -> Option<Legend> {
    let open = header.find(['(', '（'])?;
    let inner = header[open..]
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    legend_entries(inner, false)
}

/// Reads a single-cell line (or a paragraph of joined lines) as a marker,
/// or `None` for plain text.
pub fn classify(text: &str) -> Option<Marker> {
    let gates = Gates::of(text);
    let captures = |gate: Gate| gates.open(gate).then(|| gate.captures(text))?;
    if let Some(c) = captures(Gate::Philosophy) {
        return Some(Marker::Philosophy(non_empty(&c[1])));
    }
    if gates.open(Gate::PhilosophyLabel) {
        return Some(Marker::Philosophy(None));
    }
    if let Some(c) = captures(Gate::Direction) {
        return Some(Marker::Direction(non_empty(&c[1])));
    }
    if let Some(c) = captures(Gate::Actions) {
        return Some(Marker::Actions(non_empty(&c[1])));
    }
    // Before headings: `① title ・・・・ 7` names a heading, it is not one.
    if gates.open(Gate::ContentsEntry) {
        return Some(Marker::ContentsEntry);
    }
    if gates.open(Gate::ContentsLabel) {
        return Some(Marker::ContentsLabel);
    }
    if let Some(legend) = gates
        .open(Gate::LegendMark)
        .then(|| legend_entries(text, false))
        .flatten()
    {
        return Some(Marker::Legend(legend));
    }
    // Before headings: `基本目標2【…】を進める2つの基本方針` is a sentence.
    if let Some(c) = captures(Gate::PolicyCount) {
        return Some(Marker::PolicyCount(c[1].parse().ok()?));
    }
    if let Some(heading) = HEADINGS
        .iter()
        .zip(HEADING_GATES)
        .filter(|(_, gate)| gate.is_none_or(|gate| gates.open(gate)))
        .find_map(|(rule, _)| {
            let (word, rest) = match rule.opening {
                Opening::Word(words) => {
                    let word = words.find(text)?;
                    (Some(word.as_str()), &text[word.end()..])
                }
                Opening::Number => (None, text),
            };
            let mut heading = read_heading(rule, rest)?;
            heading.word = word.filter(|w| !w.is_empty()).map(str::to_string);
            Some(heading)
        })
    {
        return Some(Marker::Heading(heading));
    }
    classify_prose(text, &gates)
}

/// [`classify`] and [`notations::read_heading_line`] with the answers
/// kept: a document's texts are each read once, though the paragraph
/// joiner asks about every line (as the text so far and as the next line)
/// and the segmenter and the outline about every unit, most of them the
/// same texts. One per document: it holds that document's distinct texts.
#[derive(Debug, Default)]
pub struct Classifier {
    markers: Memo<Option<Marker>>,
    heading_lines: Memo<Option<HeadingLine>>,
}

impl Classifier {
    /// The marker of `text`, as [`classify`] reads it.
    pub fn classify(&mut self, text: &str) -> Option<Marker> {
        self.marker(text).cloned()
    }

    /// The marker of `text`, as [`classify`] reads it, lent.
    pub fn marker(&mut self, text: &str) -> Option<&Marker> {
        self.markers.read(text, classify).as_ref()
    }

    /// `text` read as a heading candidate, as
    /// [`notations::read_heading_line`] reads it.
    pub fn heading_line(&mut self, text: &str) -> Option<HeadingLine> {
        self.heading_line_ref(text).cloned()
    }

    /// [`Classifier::heading_line`], lent.
    pub fn heading_line_ref(&mut self, text: &str) -> Option<&HeadingLine> {
        // Prose is told at its first character, quicker than looked up.
        if !notations::may_be_heading_line(text) {
            return None;
        }
        self.heading_lines
            .read(text, notations::read_heading_line)
            .as_ref()
    }
}

/// The markers of brochure prose, after the hierarchy's headings.
fn classify_prose(text: &str, gates: &Gates) -> Option<Marker> {
    let captures = |gate: Gate| gates.open(gate).then(|| gate.captures(text))?;
    if gates.open(Gate::PagePointer) {
        let pages = PAGE_NUMBER
            .captures_iter(text)
            .filter_map(|c| c[1].parse().ok())
            .collect();
        return Some(Marker::PagePointer(pages));
    }
    if gates.open(Gate::BadgeAlone) {
        return Some(Marker::PriorityBadge);
    }
    if let Some(c) = captures(Gate::PriorityPrefix) {
        return Some(Marker::Priority {
            leads: true,
            label: c[1].to_string(),
            number: None,
            title: c[2].trim().to_string(),
        });
    }
    if let Some(c) = captures(Gate::PrioritySuffix) {
        return Some(Marker::Priority {
            leads: false,
            label: c[2].to_string(),
            number: c[3].parse().ok(),
            title: c[1].trim().to_string(),
        });
    }
    if let Some(c) = captures(Gate::Category) {
        return Some(Marker::Category(c[1].trim().to_string()));
    }
    if gates.open(Gate::ListLabel) {
        return Some(Marker::ListLabel);
    }
    if gates.open(Gate::BracketedLabel) {
        return Some(Marker::BracketedLabel);
    }
    if let Some(c) = captures(Gate::DataCallout) {
        return Some(Marker::DataCallout {
            label: c[1].to_string(),
            title: non_empty(&c[2]),
        });
    }
    if gates.open(Gate::SourceNote) {
        return Some(Marker::SourceNote);
    }
    if let Some(labels) = gates
        .open(Gate::LabelWordAnywhere)
        .then(|| read_labels(text))
        .flatten()
    {
        return Some(labels);
    }
    if let Some(c) = captures(Gate::Bullet) {
        return Some(Marker::Bullet {
            mark: c[1].chars().next()?,
            text: c[2].trim().to_string(),
        });
    }
    if let Some(c) = captures(Gate::ActionCount) {
        return Some(Marker::ActionCount(c[1].parse().ok()?));
    }
    if let Some(c) = captures(Gate::Numbered) {
        return Some(Marker::Numbered {
            number: c[1].parse().ok()?,
            title: c.get(2).and_then(non_empty),
        });
    }
    None
}

/// A pattern of [`classify`]'s ladder. All of them are tried on a unit in
/// one pass ([`Gates::of`]): the ladder then runs, in its order, only the
/// steps whose pattern matched (for the captures, or for the test a
/// pattern only guards, as [`legend_entries`] needs a [`LEGEND_MARK`]).
/// The marker found is the one trying them one by one would find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Philosophy,
    PhilosophyLabel,
    Direction,
    Actions,
    ContentsEntry,
    ContentsLabel,
    LegendMark,
    PolicyCount,
    GoalWord,
    PolicyWord,
    PagePointer,
    BadgeAlone,
    PriorityPrefix,
    PrioritySuffix,
    Category,
    ListLabel,
    BracketedLabel,
    DataCallout,
    SourceNote,
    LabelWordAnywhere,
    Bullet,
    ActionCount,
    Numbered,
}

impl Gate {
    /// Every gate, each at its index (its place in [`Gates`]).
    const ALL: [Gate; 23] = [
        Gate::Philosophy,
        Gate::PhilosophyLabel,
        Gate::Direction,
        Gate::Actions,
        Gate::ContentsEntry,
        Gate::ContentsLabel,
        Gate::LegendMark,
        Gate::PolicyCount,
        Gate::GoalWord,
        Gate::PolicyWord,
        Gate::PagePointer,
        Gate::BadgeAlone,
        Gate::PriorityPrefix,
        Gate::PrioritySuffix,
        Gate::Category,
        Gate::ListLabel,
        Gate::BracketedLabel,
        Gate::DataCallout,
        Gate::SourceNote,
        Gate::LabelWordAnywhere,
        Gate::Bullet,
        Gate::ActionCount,
        Gate::Numbered,
    ];

    /// The pattern the gate stands for.
    fn pattern(self) -> &'static Regex {
        match self {
            Gate::Philosophy => &PHILOSOPHY,
            Gate::PhilosophyLabel => &PHILOSOPHY_LABEL,
            Gate::Direction => &DIRECTION,
            Gate::Actions => &ACTIONS,
            Gate::ContentsEntry => &CONTENTS_ENTRY,
            Gate::ContentsLabel => &CONTENTS_LABEL,
            Gate::LegendMark => &LEGEND_MARK,
            Gate::PolicyCount => &POLICY_COUNT,
            Gate::GoalWord => &GOAL_WORDS,
            Gate::PolicyWord => &POLICY_WORDS,
            Gate::PagePointer => &PAGE_POINTER,
            Gate::BadgeAlone => &BADGE_ALONE,
            Gate::PriorityPrefix => &PRIORITY_PREFIX,
            Gate::PrioritySuffix => &PRIORITY_SUFFIX,
            Gate::Category => &CATEGORY,
            Gate::ListLabel => &LIST_LABEL,
            Gate::BracketedLabel => &BRACKETED_LABEL,
            Gate::DataCallout => &DATA_CALLOUT,
            Gate::SourceNote => &SOURCE_NOTE,
            Gate::LabelWordAnywhere => &LABEL_WORD_ANYWHERE,
            Gate::Bullet => &BULLET,
            Gate::ActionCount => &ACTION_COUNT,
            Gate::Numbered => &NUMBERED,
        }
    }

    /// The groups of the gate's pattern in `text` (see [`Pattern`]: a
    /// heading's or a bullet's title is read without stepping through it).
    fn captures(self, text: &str) -> Option<PatternCaptures<'_>> {
        self.reader().captures(text)
    }

    /// The gate's pattern, read short where it can be (see [`Pattern`]).
    fn reader(self) -> &'static Pattern {
        static READERS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
            Gate::ALL
                .iter()
                .map(|gate| Pattern::from(gate.pattern().clone()))
                .collect()
        });
        &READERS[self as usize]
    }

    /// A quick test that holds for every text the gate's own pattern
    /// matches (a part each of its matches holds), for the patterns tried
    /// alone: a character or a word looked up without a regex turns most
    /// texts away, where even a regex that gives up at once costs the
    /// search's setting up, once per gate and text. Behind it, the pattern
    /// is tried alone.
    fn precondition(self) -> Option<fn(&str) -> bool> {
        match self {
            // A mark's colon.
            Gate::LegendMark => Some(holds_legend_colon),
            // Its label may follow a few words of any kind (`…の理念`),
            // which would let nearly every text into the anchored set
            // (see [`FirstChars`]); the label closes the text.
            Gate::PhilosophyLabel => Some(|text| text.ends_with(PHILOSOPHY_LABEL_ENDING)),
            // The badge and its number close the text: a digit last, then
            // the words before it, read from the end.
            Gate::PrioritySuffix => {
                Some(|text| ends_with_digit(text) && PRIORITY_SUFFIX_TAIL.is_match(text))
            }
            // The counted word closes the text; the 40 characters before
            // it would also cost a set many states.
            Gate::ActionCount => Some(|text| ends_with_any(text, &ACTION_COUNT_ENDINGS)),
            Gate::PolicyCount => Some(|text| ends_with_any(text, &POLICY_COUNT_ENDINGS)),
            // A page number closes an entry.
            Gate::ContentsEntry => Some(ends_with_digit),
            Gate::PagePointer => Some(|text| {
                text.contains('P') && PAGE_POINTER_WORDS.iter().any(|word| text.contains(word))
            }),
            Gate::LabelWordAnywhere => {
                Some(|text| LABEL_WORDS_ANYWHERE.iter().any(|word| text.contains(word)))
            }
            _ => None,
        }
    }
}

/// True if the last character of `text` is one `\d` may match (a digit
/// of any script: `char::is_numeric` holds for every one of them).
fn ends_with_digit(text: &str) -> bool {
    text.chars().next_back().is_some_and(char::is_numeric)
}

/// True if `text` ends with one of `endings`.
fn ends_with_any(text: &str, endings: &[&str]) -> bool {
    endings.iter().any(|ending| text.ends_with(ending))
}

/// True if `text` holds one of [`LEGEND_COLONS`]: the ASCII ones and the
/// lead byte of the full-width ones (U+FF1A, U+FF1D) are searched for
/// together, as bytes, and a lead byte found is then read as its
/// character.
fn holds_legend_colon(text: &str) -> bool {
    const FULL_WIDTH_LEAD: u8 = 0xEF;
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b':', b'=', FULL_WIDTH_LEAD, &bytes[from..]) {
        let at = from + at;
        if bytes[at] != FULL_WIDTH_LEAD || text[at..].starts_with(LEGEND_COLONS) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The gate of each [`HEADINGS`] rule: the level words' patterns; `None`
/// for the notations without a word (their marker matches any text).
const HEADING_GATES: [Option<Gate>; 4] = [Some(Gate::GoalWord), Some(Gate::PolicyWord), None, None];

/// The gates' patterns, read in two ways. Those anchored at the start of
/// the text are one [`RegexSet`]: its search gives up a few characters into most
/// texts. The few that may match anywhere are each tried alone, behind
/// their [`Gate::precondition`] (a word or a character they hold, looked
/// up without a regex), where a set's search would step through every
/// character of a long paragraph or row for all of them at once. So are
/// the anchored ones with a precondition: an anchored pattern that may
/// run on (`^(\S.*?)…$`) would keep the set reading to the end.
struct GatePatterns {
    anchored: RegexSet,
    /// The characters a match of `anchored` may open with: a text opening
    /// with another is not searched.
    anchored_opening: FirstChars,
    /// The anchored patterns read short (see [`Pattern`]), for the texts
    /// without a line feed: a pattern whose last group takes the rest of
    /// the line (`^(\d{1,2})…([^\d\s].*)$`) would keep the set reading a
    /// whole table row to its end.
    anchored_short: RegexSet,
    /// The characters a match of `anchored_short` may open with.
    anchored_short_opening: FirstChars,
    anchored_gates: Vec<Gate>,
    floating_gates: Vec<Gate>,
}

static GATE_PATTERNS: LazyLock<GatePatterns> = LazyLock::new(|| {
    let (anchored_gates, floating_gates): (Vec<Gate>, Vec<Gate>) =
        Gate::ALL.into_iter().partition(|gate| {
            gate.pattern().as_str().starts_with('^') && gate.precondition().is_none()
        });
    GatePatterns {
        anchored: RegexSet::new(anchored_gates.iter().map(|gate| gate.pattern().as_str()))
            .expect("marker patterns are valid"),
        anchored_short: RegexSet::new(anchored_gates.iter().map(|gate| gate.reader().short_str()))
            .expect("marker patterns are valid"),
        anchored_opening: FirstChars::of_patterns(
            anchored_gates.iter().map(|gate| gate.pattern().as_str()),
        ),
        anchored_short_opening: FirstChars::of_patterns(
            anchored_gates.iter().map(|gate| gate.reader().short_str()),
        ),
        anchored_gates,
        floating_gates,
    }
});

/// Which of the ladder's patterns match a unit's text.
struct Gates([bool; Gate::ALL.len()]);

impl Gates {
    fn of(text: &str) -> Gates {
        let patterns = &*GATE_PATTERNS;
        let mut open = [false; Gate::ALL.len()];
        let (anchored, opening) = if text.contains('\n') {
            (&patterns.anchored, &patterns.anchored_opening)
        } else {
            (&patterns.anchored_short, &patterns.anchored_short_opening)
        };
        if opening.may_open(text) {
            for index in anchored.matches(text).iter() {
                open[patterns.anchored_gates[index] as usize] = true;
            }
        }
        for &gate in &patterns.floating_gates {
            open[gate as usize] = gate.precondition().is_none_or(|quick| quick(text))
                && gate.pattern().is_match(text);
        }
        Gates(open)
    }

    fn open(&self, gate: Gate) -> bool {
        self.0[gate as usize]
    }
}

/// True if `text` is a label over a list of indicators (【成果指標】).
pub fn is_indicator_label(text: &str) -> bool {
    INDICATOR_LABEL.is_match(text)
}

/// True if `text`, which [`classify`] reads as `marker`, is a label line
/// (【成果指標】, 【現状と課題】, ≪施策の方向≫, ＜主な事業＞).
pub fn is_label(text: &str, marker: Option<&Marker>) -> bool {
    is_indicator_label(text)
        || matches!(
            marker,
            Some(Marker::Category(_) | Marker::BracketedLabel | Marker::ListLabel)
        )
        || (text.starts_with('≪') && text.ends_with('≫'))
}

/// The number of goals a sentence announces (`…を4つの基本目標として設定
/// します`), if it does.
pub fn announced_goal_count(text: &str) -> Option<u32> {
    GOAL_COUNT.captures(text)?[1].parse().ok()
}

/// `第6期計画 基本理念 第6期計画 目標`: every word a label or a qualifier,
/// with a label and more than one word.
fn read_labels(text: &str) -> Option<Marker> {
    // Every word is a label or a qualifier, so the first opens as one of
    // them does: a sentence is turned away at its first character, before
    // its words are read.
    let opens_as_a_word = text
        .trim_start()
        .starts_with(|c: char| LABEL_AND_QUALIFIER_OPENINGS.contains(&c));
    if !opens_as_a_word {
        return None;
    }
    let (mut words, mut any_label) = (0, false);
    let (mut philosophy, mut goals) = (false, false);
    for word in text.split_whitespace() {
        let label = LABEL_WORD.is_match(word);
        if !label && !LABEL_QUALIFIER.is_match(word) {
            return None;
        }
        words += 1;
        any_label |= label;
        philosophy |= word.contains("理念");
        goals |= word.contains("目標");
    }
    (words >= 2 && any_label).then_some(Marker::Labels { philosophy, goals })
}

/// The characters a [`LABEL_WORD`] or a [`LABEL_QUALIFIER`] opens with.
const LABEL_AND_QUALIFIER_OPENINGS: [char; 4] = ['基', '理', '目', '第'];

/// Reads the number and title after a heading's marker word.
/// `(1) rest`: the number in the parentheses and what follows them.
fn parenthesized(text: &str) -> Option<(u32, &str)> {
    let inner = text.strip_prefix('(')?;
    let close = inner.find(')')?;
    let n = inner[..close].trim().parse().ok()?;
    Some((n, &inner[close + 1..]))
}

fn read_heading(rule: &HeadingRule, rest: &str) -> Option<HeadingMarker> {
    let rest = rest.trim_start();
    let mut parent = None;
    let (number, after) = match rule.numbers {
        // A word's number may be in parentheses (`施策の方向 (1)`).
        NumberStyle::Any if rest.starts_with('(') => parenthesized(rest)?,
        NumberStyle::Any => {
            let (n, len) = leading_number(rest)?;
            match read_child_number(&rest[len..]) {
                Some((child, child_len)) => {
                    parent = Some(n);
                    (child, &rest[len + child_len..])
                }
                None => (n, &rest[len..]),
            }
        }
        NumberStyle::Parenthesized => parenthesized(rest)?,
        NumberStyle::Circled => {
            let c = rest.chars().next()?;
            (circled_value(c)?, &rest[c.len_utf8()..])
        }
    };
    if super::notations::is_quantity(after) {
        return None;
    }
    let badge = TITLE_BADGE.find(after);
    let priority = badge.is_some();
    let title = heading_title(badge.map_or(after, |b| &after[..b.start()]));
    // A measure or sub-measure marker needs its title on the same line:
    // a bare `(1)` or `①` is more likely a stray list item than a heading.
    if title.is_none()
        && matches!(
            rule.numbers,
            NumberStyle::Parenthesized | NumberStyle::Circled
        )
    {
        return None;
    }
    Some(HeadingMarker {
        level: rule.level,
        number,
        parent,
        title,
        priority,
        word: None,
        ancestors: None,
        item: None,
    })
}

/// A heading read from context (`２ title` after `基本方針 １ title`): its
/// title read as a marked heading's would be, priority badge included.
pub fn inferred_heading(level: Level, number: u32, after: &str) -> HeadingMarker {
    let badge = TITLE_BADGE.find(after);
    HeadingMarker {
        level,
        number,
        parent: None,
        title: heading_title(badge.map_or(after, |b| &after[..b.start()])),
        priority: badge.is_some(),
        word: None,
        ancestors: None,
        item: None,
    }
}

/// `after` without a priority badge closing it (`情報提供の拡充
/// ◎重点的な取組`), and whether it had one.
pub fn without_badge(after: &str) -> (&str, bool) {
    match TITLE_BADGE.find(after) {
        Some(badge) => (&after[..badge.start()], true),
        None => (after, false),
    }
}

/// `-2` after a number: `基本方針 2-2` is policy 2 of goal 2. Returns the
/// child's number and the length read.
fn read_child_number(text: &str) -> Option<(u32, usize)> {
    let dash = text
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '‐' | '−'))?;
    let rest = &text[dash.len_utf8()..];
    let len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let number = rest[..len].parse().ok()?;
    Some((number, dash.len_utf8() + len))
}

/// The title after a heading's number (or on the line after a bare
/// heading): separators and enclosing brackets (〔〕, 【】) stripped.
pub fn heading_title(after: &str) -> Option<String> {
    let title = after
        .trim()
        .trim_start_matches(['.', '．', ':', '：', '、', ' ']);
    let title = strip_enclosing(title, '〔', '〕')
        .or_else(|| strip_enclosing(title, '【', '】'))
        .unwrap_or(title)
        .trim();
    non_empty(title)
}

fn strip_enclosing(text: &str, open: char, close: char) -> Option<&str> {
    text.strip_prefix(open)?.strip_suffix(close)
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_gate_is_open_where_its_pattern_matches() {
        for (index, gate) in Gate::ALL.iter().enumerate() {
            assert_eq!(*gate as usize, index, "{gate:?}");
        }
        let mut texts = crate::fixture_lines();
        texts.extend(
            [
                "【基本理念】 共に",
                "基本目標Ⅰ 地域",
                "① 見守り",
                "目 次",
                "A:順調 B:遅れ",
                "",
            ]
            .map(str::to_string),
        );
        for text in &texts {
            assert_gates_are_their_patterns(text);
        }
    }

    #[test]
    fn the_anchored_gates_open_with_few_characters() {
        // Not a rule of reading but of speed: a gate that may open with
        // any character (a pattern led by a few words of any kind) lets
        // every text into the anchored set's search; such a gate goes
        // behind a precondition instead.
        let patterns = &*GATE_PATTERNS;
        for opening in [&patterns.anchored_opening, &patterns.anchored_short_opening] {
            for kana in 'ぁ'..='ゖ' {
                assert!(!opening.may_open(&kana.to_string()), "{kana}");
            }
        }
    }

    #[test]
    fn a_classifier_answers_as_the_readers_it_keeps() {
        let mut classifier = Classifier::default();
        let lines = crate::fixture_lines();
        // Twice over: the second answers are the kept ones.
        for text in lines.iter().chain(&lines) {
            assert_eq!(classifier.classify(text), classify(text), "{text}");
            assert_eq!(
                classifier.heading_line(text),
                notations::read_heading_line(text),
                "{text}"
            );
        }
    }

    /// Each gate of `text` is open exactly where its pattern matches, and
    /// each precondition matches wherever its gate's pattern does.
    fn assert_gates_are_their_patterns(text: &str) {
        let gates = Gates::of(text);
        for gate in Gate::ALL {
            let matches = gate.pattern().is_match(text);
            assert_eq!(gates.open(gate), matches, "{gate:?} on {text:?}");
            if let Some(quick) = gate.precondition() {
                assert!(
                    !matches || quick(text),
                    "{gate:?}'s precondition on {text:?}"
                );
            }
            // The groups the ladder reads are the pattern's own.
            let expected = gate
                .pattern()
                .captures(text)
                .map(|c| c.iter().map(|g| g.map(|g| g.as_str())).collect::<Vec<_>>());
            let read = gate.captures(text).map(|c| {
                (0..gate.pattern().captures_len())
                    .map(|i| c.get(i))
                    .collect::<Vec<_>>()
            });
            assert_eq!(read, expected, "{gate:?}'s groups on {text:?}");
        }
    }

    /// The pieces markers are made of, to build texts near every gate's
    /// edge: marks, level words, badges, legend grades, numbers, spaces,
    /// a line feed (the patterns read short stop being exact there).
    const MARKER_PIECES: [&str; 39] = [
        "基本目標",
        "基本方針",
        "理念",
        "目標",
        "【",
        "】",
        "<",
        ">",
        "◎",
        "重点項目",
        "重点的な取組",
        "重点取組",
        "A",
        "S",
        "3",
        "12",
        ":",
        "：",
        "=",
        "＝",
        "○",
        "、",
        "・",
        "・・・・",
        " ",
        "　",
        "P.",
        "詳細",
        "つの",
        "取組",
        "の",
        "取り組み",
        "基本施策",
        "掲載",
        "３",
        "- ",
        "資料",
        "地域の見守り",
        "\n",
    ];

    #[test]
    fn gates_are_their_patterns_on_every_text_of_three_pieces() {
        for a in MARKER_PIECES {
            for b in MARKER_PIECES {
                for c in MARKER_PIECES {
                    assert_gates_are_their_patterns(&[a, b, c].concat());
                }
            }
        }
    }

    #[test]
    fn an_entry_opens_a_text_where_its_patterns_match() {
        let assert_as_patterns = |text: &str| {
            let matches = WORD_ENTRY.is_match(text) || SPACED_ENTRY.is_match(text);
            assert_eq!(opens_an_entry(text), matches, "{text:?}");
        };
        for text in crate::texts_of_pieces(&MARKER_PIECES, 3) {
            assert_as_patterns(&text);
        }
        // Every mark, and the characters beside the marks' ranges, before
        // a meaning.
        for first in LEGEND_SYMBOLS.chars().chain("@ABCDEFRSTZ0129".chars()) {
            for piece in MARKER_PIECES {
                assert_as_patterns(&format!("{first}{piece}"));
                assert_as_patterns(&format!("{first} {piece}"));
                assert_as_patterns(&format!("{first} 計画{piece}"));
            }
        }
    }

    /// [`read_labels`] read the plain way: every word collected, then asked.
    fn labels_by_words(text: &str) -> Option<Marker> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let is_label = |w: &&str| LABEL_WORD.is_match(w);
        if words.len() < 2
            || !words.iter().any(is_label)
            || !words
                .iter()
                .all(|w| is_label(w) || LABEL_QUALIFIER.is_match(w))
        {
            return None;
        }
        Some(Marker::Labels {
            philosophy: words.iter().any(|w| w.contains("理念")),
            goals: words.iter().any(|w| w.contains("目標")),
        })
    }

    /// What label lines are made of, and words that are not labels.
    const LABEL_PIECES: [&str; 10] = [
        "基本理念",
        "理念",
        "基本目標",
        "目標",
        "第6期",
        "第7期計画",
        " ",
        "\u{3000}",
        "計画",
        "基本",
    ];

    #[test]
    fn every_label_and_qualifier_opens_with_a_listed_character() {
        let words = LABEL_WORD
            .as_str()
            .strip_prefix("^(?:")
            .and_then(|p| p.strip_suffix(")$"))
            .expect("the label pattern is a list of words");
        for word in words.split('|') {
            assert!(word.starts_with(LABEL_AND_QUALIFIER_OPENINGS), "{word}");
        }
        let qualifier = LABEL_QUALIFIER.as_str().strip_prefix('^').unwrap();
        assert!(
            qualifier.starts_with(LABEL_AND_QUALIFIER_OPENINGS),
            "{qualifier}"
        );
    }

    #[test]
    fn label_lines_read_as_their_words() {
        let mut labels = 0;
        for text in crate::texts_of_pieces(&LABEL_PIECES, 4) {
            assert_eq!(read_labels(&text), labels_by_words(&text), "{text}");
            labels += usize::from(read_labels(&text).is_some());
        }
        assert!(labels > 100, "{labels} label lines");
        for line in crate::fixture_lines() {
            assert_eq!(read_labels(&line), labels_by_words(&line), "{line}");
        }
    }

    /// The pieces flags are made of, and brackets that are not theirs.
    const FLAG_PIECES: [&str; 12] = [
        "【",
        "】",
        "[",
        "]",
        "〔",
        "（",
        "再掲",
        "全市的取組",
        "事業終了",
        "廃止",
        " ",
        "Ⅲ-1",
    ];

    /// The initiative flags, each with what it matches.
    fn flag_patterns() -> [&'static Regex; 3] {
        [&CITYWIDE, &DISCONTINUED, &REPOSTED]
    }

    /// No flag pattern matches `text` unless it holds the flag bracket.
    fn assert_no_flag_without_the_bracket(text: &str) {
        for pattern in flag_patterns() {
            assert!(
                !pattern.is_match(text) || text.contains(FLAG_OPENING),
                "{text}"
            );
        }
    }

    #[test]
    fn every_flag_opens_with_the_flag_bracket() {
        let mut flagged = 0;
        for line in crate::fixture_lines() {
            for pattern in flag_patterns() {
                for found in pattern.find_iter(&line) {
                    assert!(found.as_str().starts_with(FLAG_OPENING), "{line}");
                    flagged += 1;
                }
            }
        }
        assert!(flagged > 0, "the fixtures hold flags");
    }

    #[test]
    fn no_flag_without_the_flag_bracket_in_any_text_of_three_pieces() {
        for text in crate::texts_of_pieces(&FLAG_PIECES, 3) {
            assert_no_flag_without_the_bracket(&text);
        }
    }

    proptest::proptest! {
        #[test]
        fn no_flag_without_the_flag_bracket(
            pieces in proptest::collection::vec(proptest::sample::select(&FLAG_PIECES[..]), 0..7)
        ) {
            assert_no_flag_without_the_bracket(&pieces.concat());
        }

        #[test]
        fn gates_are_their_patterns_on_any_marker_like_text(
            pieces in proptest::collection::vec(proptest::sample::select(&MARKER_PIECES[..]), 0..10)
        ) {
            assert_gates_are_their_patterns(&pieces.concat());
        }
    }

    fn heading(text: &str) -> Option<(Level, u32, Option<String>)> {
        match classify(text)? {
            Marker::Heading(h) => Some((h.level, h.number, h.title)),
            _ => None,
        }
    }

    #[test]
    fn goal_headings_in_every_notation() {
        let title = Some("今を生きる".to_string());
        assert_eq!(
            heading("基本目標 I 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標Ⅰ 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標1 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標 3 〔今を生きる〕"),
            Some((Level::Goal, 3, title))
        );
        assert_eq!(heading("基本目標2"), Some((Level::Goal, 2, None)));
        assert_eq!(heading("基本目標とは"), None);
    }

    #[test]
    fn policy_measure_and_sub_measure_headings() {
        assert_eq!(
            heading("基本施策1 地域への意識"),
            Some((Level::Policy, 1, Some("地域への意識".into())))
        );
        assert_eq!(
            heading("基本方針 2 交流"),
            Some((Level::Policy, 2, Some("交流".into())))
        );
        assert_eq!(
            heading("(1) 持続可能な"),
            Some((Level::Measure, 1, Some("持続可能な".into())))
        );
        assert_eq!(
            heading("② 就労に向けた支援"),
            Some((Level::SubMeasure, 2, Some("就労に向けた支援".into())))
        );
        assert_eq!(heading("(1)"), None);
        assert_eq!(heading("参考資料①"), None);
    }

    #[test]
    fn other_municipalities_words_for_goals_and_policies() {
        let cases = [
            (
                "目標Ⅱ 安心して暮らせる地域",
                Level::Goal,
                2,
                "安心して暮らせる地域",
            ),
            ("基本目標① ふれあう地域", Level::Goal, 1, "ふれあう地域"),
            ("重点施策③:生活支援", Level::Policy, 3, "生活支援"),
            (
                "施策の方向 (2) 見守りの充実",
                Level::Policy,
                2,
                "見守りの充実",
            ),
            ("施策1 相談体制", Level::Policy, 1, "相談体制"),
        ];
        for (line, level, number, title) in cases {
            assert_eq!(heading(line), Some((level, number, Some(title.into()))));
        }
        // The words without a number after them are text.
        for line in ["目標をほぼ達成", "施策への貢献度", "施策の方向性を示します"]
        {
            assert_eq!(heading(line), None, "{line}");
        }
    }

    #[test]
    fn a_legend_printed_as_a_table_has_a_header_of_grade_and_meaning() {
        assert!(is_legend_table_header("評価", "評価の内容"));
        assert!(is_legend_table_header("区分", "基準"));
        assert!(!is_legend_table_header("事業名", "内容"));
        assert!(legend_table_entry("S", "目標を大きく上回った").is_some());
        assert!(legend_table_entry("観光PR 推進", "首都圏で行う").is_none());
        assert!(is_legend_label("【事業評価の区分】"));
    }

    #[test]
    fn a_word_grade_and_its_meaning_is_an_entry_and_lists_of_them_are_siblings() {
        let entry =
            word_legend_entry("概ね順調：一部に課題はあるが、おおむね計画どおりに実施できた")
                .unwrap();
        assert_eq!(
            entry.entries,
            [(
                "概ね順調".to_string(),
                "一部に課題はあるが、おおむね計画どおりに実施できた".to_string()
            )]
        );
        // A sentence with a colon late in it, or a paragraph after one, is
        // no entry.
        assert!(word_legend_entry("本市では、次の基準：A").is_none());
        assert!(word_legend_entry(&format!("説明：{}", "あ".repeat(41))).is_none());
        assert!(are_sibling_entries(
            "目的：計画の趣旨",
            "期間：令和6年度から5年間"
        ));
        assert!(!are_sibling_entries(
            "目的：計画の趣旨",
            "計画の期間は5年間です"
        ));
        // Marks and meanings set off by a space, one a line.
        assert!(are_sibling_entries(
            "◎ 計画を上回って実施した",
            "○ 計画どおり実施した"
        ));
        assert_eq!(
            word_legend_entry("△ 一部実施した").unwrap().entries,
            [("△".to_string(), "一部実施した".to_string())]
        );
    }

    #[test]
    fn legends_direction_and_philosophy() {
        assert_eq!(
            classify("○:実施 △:未実施・"),
            Some(Marker::Legend(Legend {
                lead: None,
                entries: vec![("○".into(), "実施".into()), ("△".into(), "未実施・".into())]
            }))
        );
        assert_eq!(
            classify("評価 A:順調 B:概ね順調 C:やや遅れ D:遅れ"),
            Some(Marker::Legend(Legend {
                lead: Some("評価".into()),
                entries: vec![
                    ("A".into(), "順調".into()),
                    ("B".into(), "概ね順調".into()),
                    ("C".into(), "やや遅れ".into()),
                    ("D".into(), "遅れ".into())
                ]
            }))
        );
        assert_eq!(
            legend_entries("※評価基準 S:計画以上に進んだ A:計画どおり進んだ", false)
                .map(|l| (l.lead, l.entries.len())),
            Some((Some("※評価基準".into()), 2))
        );
        // A lone grade is a legend only under a legend or its label.
        assert_eq!(legend_entries("A:順調", false), None);
        assert_eq!(
            legend_entries("A:順調", true).map(|l| l.entries),
            Some(vec![("A".into(), "順調".into())])
        );
        assert_eq!(legend_entries("Q:どこに相談? A:市役所です。", false), None);
        assert_eq!(
            header_legend("評価(◎:達成 ○:概ね達成 △:一部未達成 ×:未達成)").map(|l| l.entries.len()),
            Some(4)
        );
        assert_eq!(
            legend_entries("○:実施△:未実施", false).map(|l| l.entries.len()),
            Some(2)
        );
        assert!(is_legend_label("【評価の基準】"));
        assert!(!is_legend_label("評価の方法について"));
        assert_eq!(classify("【めざす方向】"), Some(Marker::Direction(None)));
        for label in [
            "基本理念",
            "4 基本理念",
            "3-1 基本理念",
            "■基本理念",
            "計画の理念",
            "まちづくりの基本理念",
            "3 計画の基本的理念",
        ] {
            assert_eq!(classify(label), Some(Marker::Philosophy(None)), "{label}");
        }
        assert_eq!(classify("基本理念と基本目標"), None);
        assert_eq!(classify("この理念"), None);
        assert_eq!(
            classify("地域福祉の基本理念"),
            Some(Marker::Philosophy(None))
        );
        assert_eq!(
            classify("【基本理念】 支え合いのまち"),
            Some(Marker::Philosophy(Some("支え合いのまち".into())))
        );
        assert_eq!(classify("進捗遅れ"), None);
    }

    #[test]
    fn numbered_lines_contents_entries_and_bracketed_labels() {
        let numbered = |number, title: &str| Marker::Numbered {
            number,
            title: Some(title.to_string()),
        };
        assert_eq!(classify("1.村の振興"), Some(numbered(1, "村の振興")));
        assert_eq!(classify("2 村の振興"), Some(numbered(2, "村の振興")));
        assert_eq!(classify("1.5倍になりました"), None);
        assert_eq!(classify("2015年度"), None);
        for entry in [
            "策定の趣旨 ・・・・・・・・ 1",
            "① 高校の仕組みの強化 ・・・・・・ 7",
            "基本目標1 まち ........ 12",
            "第1章 総論……………… P.3",
        ] {
            assert_eq!(classify(entry), Some(Marker::ContentsEntry), "{entry}");
        }
        assert_eq!(classify("目 次"), Some(Marker::ContentsLabel));
        assert_eq!(classify("[現状と課題]"), Some(Marker::BracketedLabel));
        assert_eq!(classify("<PDCAサイクル>"), Some(Marker::BracketedLabel));
        assert_eq!(
            classify("地域共生社会の実現に向けた川崎市社協10の取組"),
            Some(Marker::ActionCount(10))
        );
        assert_eq!(classify("市は、3つの取組を進めます。"), None);
        assert_eq!(classify("<主な事業>"), Some(Marker::ListLabel));
        assert_eq!(classify("[注]本文[参照]"), None);
        assert_eq!(
            announced_goal_count("…を4つの基本目標として設定します。"),
            Some(4)
        );
        assert_eq!(announced_goal_count("4つの政策分野ごとの基本目標"), None);
    }
}
