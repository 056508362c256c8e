//! The document tree that `keikaku convert` writes, and the pieces shared by
//! every stage: where a line came from, warnings, unplaced lines.
//!
//! Field order here is the field order of the JSON output, so it is part of
//! the output contract (`schema/document.schema.json`).

use serde::{Deserialize, Serialize};

/// Where a line stood in the source: its page (1-based; a text file without
/// form feeds is one page) and its line (1-based; for text input the line of
/// the file; for PDF input the line of the text keikaku rebuilt, counted
/// through the document, as `keikaku text` prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// The page, from 1.
    pub page: u32,
    /// The line, from 1.
    pub line: u32,
}

/// A run of source lines on one page: the provenance of a paragraph or a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The page of the first line.
    pub page: u32,
    /// The first line.
    pub line_start: u32,
    /// The last line (equal to `line_start` for a single line).
    pub line_end: u32,
}

impl Span {
    /// The span of one line.
    pub fn line(at: Location) -> Span {
        Span {
            page: at.page,
            line_start: at.line,
            line_end: at.line,
        }
    }

    /// Where the span starts.
    pub fn start(self) -> Location {
        Location {
            page: self.page,
            line: self.line_start,
        }
    }

    /// Where the span ends.
    pub fn end(self) -> Location {
        Location {
            page: self.page,
            line: self.line_end,
        }
    }

    /// This span stretched to end at `at`, if `at` is on its page: a span
    /// names one page, so text that goes on over a page break is kept in
    /// pieces, each with its own place.
    pub fn reaching(self, at: Location) -> Option<Span> {
        (at.page == self.page).then(|| self.through(at))
    }

    /// This span stretched to end at `at` (a later line).
    pub fn through(self, at: Location) -> Span {
        Span {
            line_end: self.line_end.max(at.line),
            ..self
        }
    }
}

/// A piece of text with the lines it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The text, normalized.
    pub text: String,
    /// Where it stood.
    #[serde(flatten)]
    pub span: Span,
}

/// The plan's 基本理念: its text, and the label and subtitle printed with
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Philosophy {
    /// The text, normalized, without the 「」 that enclose a slogan.
    pub text: String,
    /// The label it was found by, as printed (`【基本理念】`, `4 基本理念`,
    /// `■基本理念`), or `None` when the text was read from its place alone.
    pub label: Option<String>,
    /// A subtitle printed under it between 〜 〜, without the 〜.
    pub subtitle: Option<String>,
    /// Where it stood, label and subtitle included.
    #[serde(flatten)]
    pub span: Span,
}

/// Something the converter repaired, guessed or could not read. Every repair
/// leaves one, so that a reader can check the guess against the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable machine-readable code, e.g. `row_realigned`.
    pub code: WarningCode,
    /// What happened, in words, quoting the source text involved.
    pub message: String,
    /// The page of the line concerned.
    pub page: u32,
    /// The line concerned.
    pub line: u32,
}

/// The kinds of warning. Serialized in snake_case; the list is documented in
/// the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// Bytes that could not be decoded in the detected encoding.
    UndecodableBytes,
    /// A control character or U+FFFD removed from the text.
    CharacterRemoved,
    /// A character replaced by the one it stands for: a Kangxi or CJK
    /// radical (`⽀`, `⺠`) that a PDF's text map gave for an ideograph, the
    /// hyphenation point `‧` for `・`.
    CharacterReplaced,
    /// A table row of a PDF split by a page break, its parts joined.
    RowJoined,
    /// An HTML tag such as `<p>` removed from the text.
    HtmlRemoved,
    /// Text doubled by fake-bold rendering (`計画計画`), read once; the
    /// message holds the original.
    DoubledText,
    /// A table row whose cells did not stand under their header and were
    /// placed by their content.
    RowRealigned,
    /// An initiative's number and name split into two cells, joined.
    CellsJoined,
    /// A table typed with spaces between its cells (no tabs, no rules), cut
    /// into cells at the spaces.
    CellsFromSpaces,
    /// A row with more cells than the table has columns; the extra text was
    /// appended to a neighbouring field.
    ExtraCell,
    /// A row with no department cell, or a required cell missing.
    MissingCell,
    /// A policy's description continued in the first cell of the next row.
    DescriptionContinued,
    /// A heading repeated (page break) with a different title; the canonical
    /// title was kept.
    HeadingVariant,
    /// A heading that reuses the number of the heading before it with another
    /// title.
    DuplicateNumber,
    /// Initiative numbers that do not run on by one (a gap or a repeat).
    NumberSequence,
    /// A table that continues after a repeated page heading with no new
    /// sub-heading: its rows were kept under the last heading. Or rows after
    /// a heading with no header of their own, read under the columns of the
    /// last header seen (a header printed once per page).
    TableContinued,
    /// A department cell split into several departments, or fragments joined
    /// into one, by the document's own vocabulary of departments.
    DepartmentsRepaired,
    /// A legend entry broken across lines, joined.
    LegendJoined,
    /// A progress mark with no entry in the document's legend.
    UnknownMark,
    /// A row or heading found where the hierarchy above it is missing.
    MissingParent,
    /// A `【再掲…】` reference that could not be read.
    UnreadableReference,
    /// A marker that should appear once (【基本理念】, a goal's 【めざす方向】)
    /// appearing again; its text was kept elsewhere.
    RepeatedMarker,
    /// A heading read from its context rather than from a marker word: a
    /// bare number under `…2つの基本方針`, a `２ title` line continuing a
    /// 基本方針 list, goals listed under a 目標 label.
    HeadingInferred,
    /// A heading naming a node read earlier, not the one open (a table of
    /// contents or a 施策体系 chart before the body, a second listing of
    /// the goals): read as that node again, not as a new one.
    HeadingWitness,
    /// A plan that lists its tree twice (a 施策体系 chart or a table of
    /// contents before the body, a progress sheet after it) has a node in
    /// one listing that the other leaves out.
    ListingsDisagree,
    /// A line holding two headings, the first item of a deeper list glued
    /// onto the heading above it by the extraction (`（１）…の充実ア  …の
    /// 整備`): read as two headings.
    HeadingSplit,
    /// Numbered headings that make no plan the converter can tell: no level
    /// word, no chapter whose sections all hold items. No goal is read.
    StructureUncertain,
    /// A section placed by a guess rather than by reading order: a
    /// 【具体的な取組】 given to the 重点項目 whose text it resembles, a
    /// ◎重点的な取組 whose title matches no policy.
    SectionAttached,
    /// Part of a PDF page that could not be drawn as the file asks and was
    /// skipped: a form XObject that draws itself or is nested too deep, a
    /// damaged content stream, font or CMap, a stream whose length is wrong.
    PdfContentSkipped,
}

/// A line that fits nowhere in the tree, kept with where it stood and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnplacedLine {
    /// The line as it stood in the source (decoded, not normalized).
    pub text: String,
    /// Its page.
    pub page: u32,
    /// Its line.
    pub line: u32,
    /// Why it could not be placed.
    pub reason: String,
}

/// A line a PDF prints on its pages that is not content: kept out of the
/// tree and listed here, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Furniture {
    /// What it is.
    pub kind: FurnitureKind,
    /// The line (cells separated by tabs).
    pub text: String,
    /// Its page.
    pub page: u32,
    /// Its line.
    pub line: u32,
}

/// The kinds of page furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// A line repeated at the top of three or more pages.
    RunningHeader,
    /// A line repeated at the foot of three or more pages.
    RunningFooter,
    /// A page number at the top or foot of a page.
    PageNumber,
    /// A table's header row printed again at the top of a later page.
    RepeatedTableHeader,
    /// A table's row printed again at the top of the next page: Chromium
    /// draws the row that opens a cell merged down across the page break
    /// on both pages.
    RepeatedTableRow,
}

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (possibly tab-separated table exports).
    Txt,
    /// PDF.
    Pdf,
}

/// What the input was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// The input's file name (no directory).
    pub file_name: String,
    /// SHA-256 of the input bytes, lower-case hex.
    pub sha256: String,
    /// The input format.
    pub format: Format,
    /// The text encoding found (WHATWG name, e.g. `UTF-8`, `Shift_JIS`).
    pub encoding: String,
    /// The size of the input in bytes.
    pub byte_count: u64,
    /// The number of pages.
    pub page_count: u32,
    /// The number of lines.
    pub line_count: u32,
}

/// A legend entry: a mark and what the document says it means (`○:実施`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegendEntry {
    /// The mark, e.g. `○`.
    pub mark: String,
    /// Its meaning, e.g. `実施`.
    pub label: String,
    /// The scale it belongs to: entries read from one legend (a line, the
    /// lines that continue it, a header cell) share it, numbered from 0 in
    /// the document.
    pub scale: u32,
    /// The words printed before the legend's first entry on its line
    /// (`評価`, `※評価基準`), on that entry.
    pub lead: Option<String>,
    /// Where the entry stood.
    #[serde(flatten)]
    pub span: Span,
}

/// A table header row: the header text of each column and the field it feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableHeader {
    /// The columns, left to right.
    pub columns: Vec<TableColumn>,
    /// The fiscal year the header names (`取組状況(令和元年度)`), if any.
    pub fiscal_year: Option<i32>,
    /// Where the header row stood.
    #[serde(flatten)]
    pub span: Span,
}

/// One column of a table header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableColumn {
    /// The header text as printed.
    pub header: String,
    /// The record field(s) it feeds, e.g. `departments` or `number,name`;
    /// `null` for a column keikaku does not know (its cells go to
    /// `extra_cells`).
    pub field: Option<String>,
}

/// A heading occurrence: the heading line as printed and where it stood.
/// Headings repeated at page breaks are kept as further occurrences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// The heading line, normalized.
    pub text: String,
    /// Its page.
    pub page: u32,
    /// Its line.
    pub line: u32,
}

impl Heading {
    /// Where the heading stood.
    pub fn location(&self) -> Location {
        Location {
            page: self.page,
            line: self.line,
        }
    }
}

/// The whole converted document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The version of the output format (the schema's).
    pub format_version: String,
    /// What the input was.
    pub source: SourceMeta,
    /// The document's title, if it has one before its first heading.
    pub title: Option<Text>,
    /// Further lines before the first heading (document labels, subtitles).
    pub preamble: Vec<Text>,
    /// 基本理念, the plan's basic philosophy.
    pub philosophy: Option<Philosophy>,
    /// The fiscal year the report covers, from a table header or the title.
    pub fiscal_year: Option<i32>,
    /// The document's legends of marks (`○:実施`).
    pub legends: Vec<LegendEntry>,
    /// Every table header row, in order.
    pub tables: Vec<TableHeader>,
    /// 基本目標, in order.
    pub goals: Vec<Goal>,
    /// Sections standing outside any goal (a brochure's 重点項目).
    pub sections: Vec<Section>,
    /// Initiatives found before any goal heading (normally none).
    pub initiatives: Vec<Initiative>,
    /// Indicators found before any goal heading.
    pub indicators: Vec<Indicator>,
    /// Every repair and guess, in source order.
    pub warnings: Vec<Warning>,
    /// Lines that fit nowhere, in source order.
    pub unplaced: Vec<UnplacedLine>,
    /// Page furniture of a PDF (running headers and footers, page numbers,
    /// repeated table headers), in source order.
    pub furniture: Vec<Furniture>,
}

/// 基本目標: a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Its number (Ⅰ, I, １, 1 → 1).
    pub number: u32,
    /// Its canonical title: the one most of its headings print.
    pub title: Option<String>,
    /// The plan's own word for its level as printed on its heading
    /// (基本目標, 施策の方向, 章…), `None` for a number alone.
    pub level_word: Option<String>,
    /// Every heading line that names this goal (repeats at page breaks too).
    pub headings: Vec<Heading>,
    /// 【めざす方向】: the direction the goal aims at.
    pub direction: Option<Text>,
    /// Other prose under the goal, paragraph by paragraph.
    pub descriptions: Vec<Text>,
    /// Sections under the goal but outside its policies.
    pub sections: Vec<Section>,
    /// 基本方針 / 基本施策 under this goal.
    pub policies: Vec<Policy>,
    /// Initiatives directly under the goal (no policy above them).
    pub initiatives: Vec<Initiative>,
    /// Indicators (KPIs) of the goal itself.
    pub indicators: Vec<Indicator>,
}

/// 基本方針 or 基本施策: a policy under a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Its number within the goal ((1) → 1, 基本施策2 → 2).
    pub number: u32,
    /// Its canonical title.
    pub title: Option<String>,
    /// The plan's own word for its level as printed on its heading
    /// (基本目標, 施策の方向, 章…), `None` for a number alone.
    pub level_word: Option<String>,
    /// Every heading (or table cell) that names this policy.
    pub headings: Vec<Heading>,
    /// Its description (the text after ⇒ in a table's policy cell).
    pub description: Option<Text>,
    /// Flagged as a priority (◎重点的な取組, 重点項目).
    pub priority: bool,
    /// Prose under the policy heading, paragraph by paragraph.
    pub paragraphs: Vec<Text>,
    /// Sections under the policy: its ◎重点的な取組, data call-outs,
    /// categories, highlighted initiatives, lists.
    pub sections: Vec<Section>,
    /// (1), (2)…: measures under this policy.
    pub measures: Vec<Measure>,
    /// Initiatives directly under the policy.
    pub initiatives: Vec<Initiative>,
    /// Indicators (KPIs) of the policy.
    pub indicators: Vec<Indicator>,
}

/// What a section of a prose plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// ◎重点的な取組 or 重点項目N: a priority and what it sets out to do.
    Priority,
    /// `DATA 2-1 title`: a data call-out, its caption, its text and its
    /// source (資料:…).
    Data,
    /// 【子ども・子育て】: a category heading; the sections and listed
    /// initiatives after it carry its name.
    Category,
    /// ●name and its paragraph: an initiative shown with a description.
    Highlight,
    /// 事業・取組: a bulleted list of initiatives (they are in the tree's
    /// initiatives; the section keeps the list's label and page pointer).
    List,
    /// 目次: a table of contents; its entries (`title ・・・ 7`) are its
    /// paragraphs, as printed. Kept apart so that the headings it names are
    /// not read twice.
    Contents,
    /// One of the N titled actions a label line counts (`川崎市社協10の取組`):
    /// its title and the paragraphs under it, numbered in reading order.
    Action,
}

/// A titled block of a prose plan: a priority, a data call-out, a category,
/// a highlighted initiative, a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// What it is.
    pub kind: SectionKind,
    /// Its number, when printed (重点項目１ → 1).
    pub number: Option<u32>,
    /// Its label as printed (`◎重点的な取組`, `重点項目1`, `DATA 2-1`,
    /// `事業・取組`).
    pub label: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// A subtitle in 「」 under the title.
    pub subtitle: Option<String>,
    /// The category (【…】) it stands under.
    pub category: Option<String>,
    /// The line(s) that opened it.
    pub headings: Vec<Heading>,
    /// Its prose, paragraph by paragraph.
    pub paragraphs: Vec<Text>,
    /// 【具体的な取組】: the concrete actions of a priority.
    pub actions: Vec<Text>,
    /// Sources (資料:…) and page pointers (`詳細は、P92に掲載`).
    pub notes: Vec<Text>,
}

impl Section {
    /// A section of `kind` with nothing in it yet.
    pub fn new(kind: SectionKind) -> Section {
        Section {
            kind,
            number: None,
            label: None,
            title: None,
            subtitle: None,
            category: None,
            headings: Vec::new(),
            paragraphs: Vec::new(),
            actions: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// (N): a measure under a policy (Machida's layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Its number within the policy.
    pub number: u32,
    /// Its title.
    pub title: Option<String>,
    /// The plan's own word for its level as printed on its heading
    /// (基本目標, 施策の方向, 章…), `None` for a number alone.
    pub level_word: Option<String>,
    /// Every heading that names this measure.
    pub headings: Vec<Heading>,
    /// ①, ②…: sub-measures.
    pub sub_measures: Vec<SubMeasure>,
    /// Initiatives directly under the measure.
    pub initiatives: Vec<Initiative>,
    /// Indicators (KPIs) of the measure.
    pub indicators: Vec<Indicator>,
}

/// ①: a sub-measure under a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubMeasure {
    /// Its number (① → 1).
    pub number: u32,
    /// Its title.
    pub title: Option<String>,
    /// The plan's own word for its level as printed on its heading
    /// (基本目標, 施策の方向, 章…), `None` for a number alone.
    pub level_word: Option<String>,
    /// Every heading that names this sub-measure.
    pub headings: Vec<Heading>,
    /// Its initiatives.
    pub initiatives: Vec<Initiative>,
    /// Its indicators (KPIs).
    pub indicators: Vec<Indicator>,
}

/// 【再掲Ⅲ-1-(2)-①】: where a reposted initiative first appears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The goal number, if the reference names one.
    pub goal: Option<u32>,
    /// The policy number.
    pub policy: Option<u32>,
    /// The measure number.
    pub measure: Option<u32>,
    /// The sub-measure number.
    pub sub_measure: Option<u32>,
}

/// A cell under a column keikaku does not know, kept with its header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraCell {
    /// The column's header text.
    pub header: String,
    /// The cell's text.
    pub text: String,
}

/// One initiative (a table row or a listed 事業・取組). The flat record
/// (`records.rs`) is this plus the numbers and titles of its ancestors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    /// The printed number (Tama 1–76, Machida 通番).
    pub number: Option<u32>,
    /// The number within its sub-measure (Machida's 取組施策No.).
    pub local_number: Option<u32>,
    /// 具体的取組・事業名.
    pub name: Option<String>,
    /// The category (【子ども・子育て】) a listed initiative stands under.
    pub category: Option<String>,
    /// 事業概要 / 取組内容: what the initiative is.
    pub summary: Option<String>,
    /// 取組状況 / 実績: what was done.
    pub status: Option<String>,
    /// 成果: what it achieved.
    pub outcome: Option<String>,
    /// 取組状況に対する評価, or a 評価 column of text.
    pub evaluation: Option<String>,
    /// 課題.
    pub issues: Option<String>,
    /// 改善策 / 今後の取組.
    pub improvement: Option<String>,
    /// 今後の予定 / the next year's target (`R6目標`).
    pub plan: Option<String>,
    /// 取組の方向性 / 今後の方向性.
    pub direction: Option<String>,
    /// 事業の達成度, its code (`3`).
    pub achievement_code: Option<u32>,
    /// 事業の達成度, its label (`目標をほぼ達成`).
    pub achievement_label: Option<String>,
    /// 貢献度, its code (`A`).
    pub contribution_code: Option<String>,
    /// 貢献度, its label (`貢献している`).
    pub contribution_label: Option<String>,
    /// 進捗評価 mark (`○`).
    pub progress_mark: Option<String>,
    /// The mark's meaning from the document's legend (`実施`).
    pub progress_label: Option<String>,
    /// The initiative's rating on the document's evaluation scale, as
    /// printed (`A`, `◎`, `3`, `実施済`).
    pub rating: Option<String>,
    /// Its meaning in the document's legend (`順調`).
    pub rating_label: Option<String>,
    /// Its place on the scale: 1 for the first grade the legend lists (or,
    /// for a word scale with no legend, the first of its usual order).
    pub rating_rank: Option<u32>,
    /// The whole scale as the legend gives it (`A:順調 B:概ね順調 C:やや遅れ`).
    pub rating_scale: Option<String>,
    /// 進捗率 / 達成率, in percent.
    pub progress_percent: Option<f64>,
    /// 担当課 / 回答課, one entry per department.
    pub departments: Vec<String>,
    /// The department cell as printed (before splitting), for checking.
    pub departments_cell: Option<String>,
    /// Plan pages cited with the department (`(P.57)`).
    pub plan_pages: Vec<u32>,
    /// Where a 【再掲…】 initiative first appears.
    pub reposted_from: Option<Reference>,
    /// Marked 【全市的取組】 (a citywide initiative).
    pub citywide: bool,
    /// Marked as ended (【平成29年度で事業終了】).
    pub discontinued: bool,
    /// Cells under columns keikaku does not know.
    pub extra_cells: Vec<ExtraCell>,
    /// Where the row stood.
    #[serde(flatten)]
    pub span: Span,
}

impl Initiative {
    /// An initiative with no content yet, at `span`.
    pub fn empty(span: Span) -> Initiative {
        Initiative {
            number: None,
            local_number: None,
            name: None,
            category: None,
            summary: None,
            status: None,
            outcome: None,
            evaluation: None,
            issues: None,
            improvement: None,
            plan: None,
            direction: None,
            achievement_code: None,
            achievement_label: None,
            contribution_code: None,
            contribution_label: None,
            progress_mark: None,
            progress_label: None,
            rating: None,
            rating_label: None,
            rating_rank: None,
            rating_scale: None,
            progress_percent: None,
            departments: Vec::new(),
            departments_cell: None,
            plan_pages: Vec::new(),
            reposted_from: None,
            citywide: false,
            discontinued: false,
            extra_cells: Vec::new(),
            span,
        }
    }
}

/// An indicator (KPI, 成果指標): what a plan measures itself by, with its
/// baseline, target and results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// 指標名, as printed.
    pub name: String,
    /// The unit its values are counted in (`人`, `%`), from a 単位 column
    /// or its values.
    pub unit: Option<String>,
    /// 現状値 / 基準値 / 策定時.
    pub baseline: Option<Quantity>,
    /// 目標値.
    pub target: Option<Quantity>,
    /// Results reported (実績値, `R5実績`, 中間値, 最終値), in the order printed.
    pub actuals: Vec<Quantity>,
    /// 達成率 / 指標達成度, in percent.
    pub achievement_percent: Option<f64>,
    /// 担当課, when the table gives one, one entry per department.
    pub departments: Vec<String>,
    /// The department cell as printed (before splitting).
    pub departments_cell: Option<String>,
    /// Cells under columns keikaku does not read as an indicator's.
    pub extra_cells: Vec<ExtraCell>,
    /// An indicator printed as a line (`（１）名称　現状18か所→目標25か所`): the
    /// line as printed, its list number and value words included (the lines,
    /// one a line, when values go on in the next); `None` for a table row.
    pub line: Option<String>,
    /// Where the row or line stood.
    #[serde(flatten)]
    pub span: Span,
}

impl Indicator {
    /// An indicator named `name` with no values yet, at `span`.
    pub fn named(name: String, span: Span) -> Indicator {
        Indicator {
            name,
            unit: None,
            baseline: None,
            target: None,
            actuals: Vec::new(),
            achievement_percent: None,
            departments: Vec::new(),
            departments_cell: None,
            extra_cells: Vec::new(),
            line: None,
            span,
        }
    }
}

/// A value as a plan prints it (`年１２人（延べ３００日）`) and as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The text as printed (normalized), without its column's label.
    pub raw: String,
    /// The first number in it; `None` when it has none or says there is
    /// none (`－`, `なし`).
    pub value: Option<f64>,
    /// The counter after that number (`人`, `か所`, `%`).
    pub unit: Option<String>,
    /// 1 for a value per year (`年12人`), N for one over N years
    /// (`5年間で2人`).
    pub period_years: Option<u32>,
    /// The fiscal year it refers to (western), from the text or its
    /// column's header.
    pub year: Option<i32>,
}
