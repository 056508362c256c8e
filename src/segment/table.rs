//! Tables read by their header row.
//!
//! A header row names its columns; `markers::HEADER_FIELDS` maps header text to the
//! field a column feeds, so the order of columns is never hard-coded. The PDF
//! export shifts cells (a missing leading cell, an empty cell too many, the
//! last cell pushed one column right) and splits them (`41` `マタニティ…`), so a
//! row's cells are not trusted to stand under their header: [`align`] places
//! each cell in the column whose kind of content it has, keeping the
//! columns' order and preferring a cell's own position where content does
//! not decide. Every departure from the header's layout is reported.

use crate::document::Location;
use crate::extract::CellColumns;
use crate::normalize::Line;
use crate::per_thread::{Regex, RegexSet};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

pub use super::columns::Column;
use super::columns::{column_in_indicator_table, column_of_header, spec, CellForm};
use super::memo::Memo;

impl Column {
    /// The column a header cell names.
    pub fn from_header(header: &str) -> Column {
        column_of_header(header)
    }

    /// The record field(s) the column feeds, as the document's table list
    /// names them.
    pub fn field_names(self) -> Option<&'static str> {
        spec(self)?.fields
    }

    fn form(self) -> CellForm {
        spec(self).map_or(CellForm::Text, |spec| spec.cells)
    }

    /// Whether `cell` has the form this column's cells have.
    #[cfg(test)]
    fn accepts(self, cell: &str) -> bool {
        CellShape::of(cell).has(self.form())
    }

    /// Whether leaving this column empty is itself suspicious: a row
    /// without its number or department is most likely misaligned.
    fn is_required(self) -> bool {
        spec(self).is_some_and(|spec| spec.required)
    }
}

/// A pattern a cell's text may have, one per row of [`SHAPE_PATTERNS`]; the
/// cell forms ([`CellForm`]) are made of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `(1)title ⇒description`, or the `⇒description` that continues one.
    Policy,
    /// `12 name`, or `①name` (an action plan's targets, numbered within
    /// their heading).
    NumberName,
    /// Digits alone.
    Number,
    /// `3 目標をほぼ達成`.
    Achievement,
    /// A grade alone under an achievement column (`3`, `A`).
    Grade,
    /// `A 貢献している`.
    Contribution,
    /// `85.0%`, `85`, `-`.
    Percent,
    /// A progress mark alone (○, △).
    Progress,
}

const ACHIEVEMENT_PATTERN: &str = r"^(\d)\s*([^\d\s。][^。]{0,24})$";
const CONTRIBUTION_PATTERN: &str = r"^([A-Z])\s+([^A-Za-z\s。][^。]{0,24})$";

/// Each shape's pattern. Read together, in one pass over the cell
/// ([`CellShape::of`]): a row's cells are each asked about many columns.
const SHAPE_PATTERNS: [(Shape, &str); 8] = [
    (Shape::Policy, r"^(?:\(\d{1,2}\)|⇒)"),
    (
        Shape::NumberName,
        r"^(?:\d{1,4}(?:\s+\S.*|[.、]\s*[^\d\s].*)?|[①-⑳]\s*\S.*)$",
    ),
    (Shape::Number, r"^\d{1,4}$"),
    (Shape::Achievement, ACHIEVEMENT_PATTERN),
    (Shape::Grade, r"^(?:\d|[A-ES])$"),
    (Shape::Contribution, CONTRIBUTION_PATTERN),
    (Shape::Percent, r"^(?:\d{1,3}(?:\.\d+)?\s*%?|[-－―—])$"),
    (Shape::Progress, r"^[○△×◎●▲■□◇◆◯−\-－]$"),
];

static SHAPE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(SHAPE_PATTERNS.iter().map(|(_, pattern)| pattern))
        .expect("cell shape patterns are valid")
});
static ACHIEVEMENT_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(ACHIEVEMENT_PATTERN).unwrap());
static CONTRIBUTION_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(CONTRIBUTION_PATTERN).unwrap());

/// True if a text opening with `c` may have a shape: every one of
/// [`SHAPE_PATTERNS`] opens with a digit (any numeric character is let
/// through), a capital, or one of [`SHAPE_OPENING_MARKS`].
fn may_open_a_shape(c: char) -> bool {
    // Most cells open with kana or a kanji, none of which is numeric: told
    // from their ranges, where `is_numeric` would search Unicode's table.
    if matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}') {
        return false;
    }
    c.is_numeric() || c.is_ascii_uppercase() || SHAPE_OPENING_MARKS.contains(&c)
}

/// The brackets, arrows, dashes and marks a shape opens with.
const SHAPE_OPENING_MARKS: [char; 18] = [
    '(', '⇒', '-', '－', '―', '—', '−', '○', '△', '×', '◎', '●', '▲', '■', '□', '◇', '◆', '◯',
];

/// Which shapes a cell's text has, and what else its forms ask of it: read
/// once for every column the cell is tried under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CellShape {
    /// Bit `Shape as u8` set for each shape the text has.
    shapes: u16,
    /// A word of a usual grading scale (実施済).
    scale_word: bool,
    /// Short enough for a list of names, and no sentence end in it.
    name_list_length: bool,
}

/// The most characters a cell of department names holds.
const MAX_DEPARTMENT_CELL_CHARS: usize = 160;

impl CellShape {
    fn of(cell: &str) -> CellShape {
        // Most cells are words and sentences, whose first character opens
        // no shape: told at a glance, before the set is read.
        let shapes = if cell.chars().next().is_some_and(may_open_a_shape) {
            SHAPE_SET.matches(cell).iter().fold(0u16, |bits, index| {
                bits | 1 << SHAPE_PATTERNS[index].0 as u8
            })
        } else {
            0
        };
        CellShape {
            shapes,
            scale_word: super::ratings::is_scale_word(cell),
            // Counted only past as many bytes: a character is a byte or more.
            name_list_length: (cell.len() <= MAX_DEPARTMENT_CELL_CHARS
                || cell.chars().count() <= MAX_DEPARTMENT_CELL_CHARS)
                && !cell.contains('。'),
        }
    }

    fn is(self, shape: Shape) -> bool {
        self.shapes & (1 << shape as u8) != 0
    }

    /// Whether the text has the form a column of `form` holds.
    fn has(self, form: CellForm) -> bool {
        match form {
            CellForm::Text => true,
            CellForm::PolicyCell => self.is(Shape::Policy),
            CellForm::NumberName => self.is(Shape::NumberName),
            CellForm::Number => self.is(Shape::Number),
            CellForm::Achievement => {
                self.is(Shape::Achievement) || self.is(Shape::Grade) || self.scale_word
            }
            CellForm::Contribution => self.is(Shape::Contribution),
            // A department cell is a short list of names: no sentence
            // end, not a code.
            CellForm::Department => {
                self.name_list_length
                    && ![
                        Shape::Achievement,
                        Shape::Contribution,
                        Shape::Number,
                        Shape::Progress,
                    ]
                    .into_iter()
                    .any(|shape| self.is(shape))
            }
            CellForm::Mark => self.is(Shape::Progress) || self.is(Shape::Grade) || self.scale_word,
            CellForm::Percent => self.is(Shape::Percent),
        }
    }
}

/// The shapes of a document's cells, a cell that may have one read once:
/// its short cells (numbers, marks, codes, department names) come back row
/// after row. Cells of words and sentences, told at a glance, are not kept.
/// One per document.
#[derive(Debug, Default)]
pub struct CellShapes {
    read: Memo<CellShape>,
}

impl CellShapes {
    fn of(&mut self, cell: &str) -> CellShape {
        if cell.chars().next().is_some_and(may_open_a_shape) {
            self.read.get_or_read(cell, CellShape::of)
        } else {
            CellShape::of(cell)
        }
    }
}

/// What a table's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Initiatives (事業, 取組): the records.
    Initiatives,
    /// Indicators (指標, KPI): a name with its baseline, target, results.
    Indicators,
}

/// A header row read: the column of each cell and what the rows are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The column of each header cell.
    pub columns: Vec<Column>,
    /// What the rows under it are.
    pub kind: TableKind,
}

/// Reads a header row, or `None` if the row is not a header (fewer than
/// two known headers, or fewer known than unknown). A table is one of
/// indicators when a column names an indicator and another its values
/// (a baseline, a target, a result); its columns are then read as an
/// indicator table reads them (`実績` a result, `目標` a target).
pub fn read_header(cells: &[String]) -> Option<Header> {
    read_header_by(cells, &mut Column::from_header)
}

/// [`read_header`] with the column of each text kept: every row of a
/// document is tried as a header, and its short cells (numbers, marks,
/// department names), the ones read first, come back row after row. One
/// per document.
#[derive(Debug, Default)]
pub struct HeaderReader {
    columns: Memo<Column>,
}

impl HeaderReader {
    /// The header `cells` are, as [`read_header`] reads them.
    pub fn read(&mut self, cells: &[String]) -> Option<Header> {
        read_header_by(cells, &mut |cell: &str| {
            self.columns.get_or_read(cell, Column::from_header)
        })
    }
}

/// [`read_header`], each cell's column named by `column_of`.
fn read_header_by(cells: &[String], column_of: &mut impl FnMut(&str) -> Column) -> Option<Header> {
    if !could_be_header(cells, column_of) {
        return None;
    }
    let columns: Vec<Column> = cells.iter().map(|c| column_of(c)).collect();
    let known = columns.iter().filter(|&&c| c != Column::Unknown).count();
    let filled = cells.iter().filter(|c| !c.is_empty()).count();
    if !enough_known(known, filled) {
        return None;
    }
    // In a table of indicators some headers mean a value (`目標`, `R5実績`).
    let as_indicators: Vec<Column> = columns
        .iter()
        .zip(cells)
        .map(|(&column, header)| column_in_indicator_table(column, header))
        .collect();
    let is_value =
        |column: &Column| matches!(column, Column::Baseline | Column::Target | Column::Actual);
    let names_indicators =
        columns.contains(&Column::IndicatorName) && as_indicators.iter().any(is_value);
    Some(if names_indicators {
        Header {
            columns: as_indicators,
            kind: TableKind::Indicators,
        }
    } else {
        Header {
            columns,
            kind: TableKind::Initiatives,
        }
    })
}

/// False when the row cannot have two known headers and as many known as
/// unknown, found without reading every cell: every row of a document is
/// tried as a header, and a row of data is told by its first few unknown
/// cells. The shortest cells are read first (headers are short; a
/// description is long and costs the most to read).
fn could_be_header(cells: &[String], column_of: &mut impl FnMut(&str) -> Column) -> bool {
    let mut filled: Vec<&str> = cells
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    filled.sort_by_key(|c| c.len());
    let mut unknown = 0;
    for cell in &filled {
        if column_of(cell) == Column::Unknown {
            unknown += 1;
            if !enough_known(filled.len() - unknown, filled.len()) {
                return false;
            }
        }
    }
    true
}

/// A header row names at least two columns, and at least half its filled
/// cells.
fn enough_known(known: usize, filled: usize) -> bool {
    known >= 2 && known * 2 >= filled
}

/// The words of a normalized cell: the parts between its spaces, its only
/// white space (see [`Line::cells`]). Found by a byte search for the space,
/// where `split_whitespace` would decode and test every character of every
/// line of prose to find none.
fn words_of(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(' ').filter(|word| !word.is_empty())
}

/// Tables of indicators typed with spaces between their cells (a
/// plain-text export, a table pasted as text): a line of three words or
/// more that all name columns of an indicator table is a header, and the
/// lines right after it with as many words are its rows; their words become
/// cells (in order, as a text export's tabs). A row with more words, in a
/// table whose first column is the indicator's name, has a name of several
/// words (values hold no spaces): its first words are the name. Other
/// lines are left as they are. Each table cut so gives a warning at its
/// header: where the cells were is a reading of the spaces.
pub fn cells_from_spaces(mut lines: Vec<Line>) -> (Vec<Line>, Vec<(Location, String)>) {
    let words = |line: &Line| -> Option<Vec<String>> {
        let [text] = line.cells.as_slice() else {
            return None;
        };
        Some(words_of(text).map(str::to_string).collect())
    };
    // Every line is looked at: the words are counted and read before any
    // is copied.
    let header_words = |line: &Line| -> Option<Vec<String>> {
        let [text] = line.cells.as_slice() else {
            return None;
        };
        let three_or_more = words_of(text).nth(2).is_some();
        let all_known = || words_of(text).all(|word| Column::from_header(word) != Column::Unknown);
        (three_or_more && all_known()).then(|| words_of(text).map(str::to_string).collect())
    };
    let mut cut = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // Only a table of indicators: its cells (a name, values) hold no
        // spaces, where an initiative's description or departments do.
        let header = header_words(&lines[i]).and_then(|w| {
            let header = read_header(&w).filter(|h| h.kind == TableKind::Indicators)?;
            Some((w, header))
        });
        let Some((header, read)) = header else {
            i += 1;
            continue;
        };
        let at = lines[i].location;
        let width = header.len();
        let name_first = read.columns.first() == Some(&Column::IndicatorName);
        lines[i].set_cells(header);
        i += 1;
        let (mut rows, mut names_joined) = (0, 0);
        while let Some(mut row) = lines.get(i).and_then(words) {
            if row.len() > width && name_first {
                let name = row
                    .drain(..=row.len() - width)
                    .collect::<Vec<_>>()
                    .join(" ");
                row.insert(0, name);
                names_joined += 1;
            }
            // The cells under the value columns hold values: a line of
            // prose after the table, however many words, is no row.
            let values_read = row.iter().zip(&read.columns).all(|(cell, column)| {
                !matches!(column, Column::Baseline | Column::Target | Column::Actual)
                    || looks_like_a_value(cell)
            });
            if row.len() != width || !values_read {
                break;
            }
            lines[i].set_cells(row);
            rows += 1;
            i += 1;
        }
        let joined = match names_joined {
            0 => String::new(),
            n => format!(", the words of {n} name(s) before their values kept together"),
        };
        cut.push((
            at,
            format!("a table typed with spaces, no tabs: its header and {rows} row(s) cut into {width} cells at the spaces{joined}"),
        ));
    }
    (lines, cut)
}

/// A cell that can be a value of an indicator: a number in it, or a word
/// that stands for a value (`－`, `増加`, `維持`).
fn looks_like_a_value(cell: &str) -> bool {
    const VALUE_WORDS: &[&str] = &[
        "-", "－", "―", "—", "‐", "増加", "減少", "維持", "向上", "なし",
    ];
    cell.chars().any(|c| c.is_ascii_digit()) || VALUE_WORDS.contains(&cell)
}

/// A row's cells placed under the table's columns: the cells' own texts,
/// borrowed from the row (only a joined pair is a text of its own).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlignedRow<'c> {
    /// The text of each column (by the header's column index), if any.
    pub by_column: Vec<Option<Cow<'c, str>>>,
    /// Cells that fit no column, kept in order.
    pub unaligned: Vec<&'c str>,
    /// Cells that did not stand under their own header.
    pub moved: Vec<&'c str>,
    /// Pairs of cells joined into one (`41` + `マタニティ…`).
    pub joined: Vec<String>,
    /// Required columns left empty.
    pub missing: Vec<Column>,
}

/// One step of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The cell goes under the column.
    Place,
    /// The cell and the next one, joined, go under the column.
    Join,
    /// The column stays empty.
    Skip,
    /// The cell fits no column.
    Unaligned,
}

/// Costs of the alignment. Only their order matters: content outweighs
/// position, and losing a cell to `unaligned` is the last resort.
const COST_MOVED: u32 = 1;
const COST_JOIN: u32 = 1;
const COST_TYPED_IN_TEXT: u32 = 2;
const COST_UNNUMBERED_NAME: u32 = 2;
const COST_REQUIRED_EMPTY: u32 = 3;
const COST_UNALIGNED: u32 = 5;

/// Places a row's cells under `columns`. `cells` are the row's cells as
/// split (empty ones included, so positions are known). When the layout
/// knows each cell's column (`CellColumns::Known`: a PDF table's row) and
/// every cell may stand under its own column, that is where they go; else
/// (a text export's tabs, or a known column that cannot hold its cell: the
/// header counted its columns otherwise) the cells are placed by content.
///
/// This is a minimum-cost alignment of the non-empty cells against the
/// columns, in order: a cell may go under a column whose form it has (any
/// cell under a free-text column), a column may stay empty, a number-only
/// cell may be joined with the name after it, and a cell may be left
/// unaligned. Ties go to the earliest column.
pub fn align<'c>(
    cells: &'c [String],
    columns: &[Column],
    placement: CellColumns,
    shapes: &mut CellShapes,
) -> AlignedRow<'c> {
    align_searching(cells, columns, placement, shapes, Search::SkipWhenFree)
}

/// Whether [`align`] may skip its search when every cell stands, at no
/// cost, under its own column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// Skip it: no other alignment costs nothing (see [`align_searching`]).
    SkipWhenFree,
    /// Search always: what the tests compare the skip with.
    #[cfg(test)]
    Always,
}

/// A filled cell of the row [`align_searching`] places.
struct FilledCell<'c> {
    /// Its place among the row's cells, empty ones counted.
    position: usize,
    text: &'c str,
    shape: CellShape,
    /// Whether a typed column of the table would take it, asked at most once.
    typed_takes: OnceCell<bool>,
}

/// [`align`], told whether to skip the search when it cannot do better.
///
/// Every cost is positive except placing a cell under its own column that
/// no typed column would rather take, and skipping an optional column. So
/// when each cell is such a cell and each required column has its cell, the
/// row as split costs nothing and is the only alignment that costs nothing:
/// the search would find that row, and it is taken without the search.
fn align_searching<'c>(
    cells: &'c [String],
    columns: &[Column],
    placement: CellColumns,
    shapes: &mut CellShapes,
    search: Search,
) -> AlignedRow<'c> {
    // Each filled cell with what its text is asked (whether a column takes
    // it, whether a typed column of the table would), answered from its
    // shape, read once: the search below asks each question many times.
    // Every cell's is asked at least once, whether it stands under its
    // column.
    let filled: Vec<FilledCell> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(position, text)| FilledCell {
            position,
            text,
            shape: shapes.of(text),
            typed_takes: OnceCell::new(),
        })
        .collect();
    let (n, m) = (filled.len(), columns.len());
    let shape = |cell: usize| filled[cell].shape;
    // A column's form and whether it is required, by its kind (a look-up).
    let form_of = |column: usize| columns[column].form();
    let required = |column: usize| columns[column].is_required();
    let accepts = |cell: usize, column: usize| shape(cell).has(form_of(column));
    let a_typed_column_takes = |cell: usize| {
        *filled[cell].typed_takes.get_or_init(|| {
            (0..m).any(|column| {
                form_of(column) != CellForm::Text
                    && columns[column] != Column::Departments
                    && accepts(cell, column)
            })
        })
    };
    let place_cost = |cell: usize, column: usize| -> Option<u32> {
        let position = filled[cell].position;
        let kind = columns[column];
        if !accepts(cell, column) {
            // A name printed without its number (the one target of a
            // heading) under its own header is the name.
            let unnumbered_name =
                kind == Column::NumberName && position == column && !a_typed_column_takes(cell);
            return unnumbered_name.then_some(COST_UNNUMBERED_NAME);
        }
        let moved = if position == column { 0 } else { COST_MOVED };
        let typed_elsewhere = form_of(column) == CellForm::Text && a_typed_column_takes(cell);
        Some(
            moved
                + if typed_elsewhere {
                    COST_TYPED_IN_TEXT
                } else {
                    0
                },
        )
    };
    let each_cell_under_its_column = |cost_allowed: fn(Option<u32>) -> bool| {
        filled.iter().enumerate().all(|(cell, filled)| {
            filled.position < m && cost_allowed(place_cost(cell, filled.position))
        })
    };
    let as_split_is_free = || {
        each_cell_under_its_column(|cost| cost == Some(0))
            && (0..m).all(|column| {
                !required(column) || filled.iter().any(|cell| cell.position == column)
            })
    };
    if (placement == CellColumns::Known && each_cell_under_its_column(|cost| cost.is_some()))
        || (search == Search::SkipWhenFree && as_split_is_free())
    {
        let mut row = AlignedRow {
            by_column: vec![None; m],
            ..AlignedRow::default()
        };
        for cell in &filled {
            row.by_column[cell.position] = Some(Cow::Borrowed(cell.text));
        }
        row.missing = (0..m)
            .filter(|&j| required(j) && row.by_column[j].is_none())
            .map(|j| columns[j])
            .collect();
        return row;
    }
    let join_cost = |cell: usize, column: usize| -> Option<u32> {
        let position = filled[cell].position;
        filled.get(cell + 1)?;
        let joinable = columns[column] == Column::NumberName
            && shape(cell).is(Shape::Number)
            && !a_typed_column_takes(cell + 1);
        joinable.then_some(COST_JOIN + if position == column { 0 } else { COST_MOVED })
    };

    // best[i][j]: the cheapest way to place cells i.. under columns j..
    let width = m + 1;
    let mut best = vec![(u32::MAX, Step::Skip); (n + 1) * width];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            if i == n && j == m {
                best[i * width + j] = (0, Step::Skip);
                continue;
            }
            let mut choice = (u32::MAX, Step::Skip);
            let mut consider = |cost: Option<u32>, rest: (usize, usize), step: Step| {
                if let Some(cost) = cost {
                    let total = cost.saturating_add(best[rest.0 * width + rest.1].0);
                    if total < choice.0 {
                        choice = (total, step);
                    }
                }
            };
            if i < n && j < m {
                consider(place_cost(i, j), (i + 1, j + 1), Step::Place);
            }
            if i + 1 < n && j < m {
                consider(join_cost(i, j), (i + 2, j + 1), Step::Join);
            }
            if j < m {
                let cost = if required(j) { COST_REQUIRED_EMPTY } else { 0 };
                consider(Some(cost), (i, j + 1), Step::Skip);
            }
            if i < n {
                consider(Some(COST_UNALIGNED), (i + 1, j), Step::Unaligned);
            }
            best[i * width + j] = choice;
        }
    }

    let mut row = AlignedRow {
        by_column: vec![None; m],
        ..AlignedRow::default()
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match best[i * width + j].1 {
            Step::Place => {
                let FilledCell { position, text, .. } = filled[i];
                if position != j {
                    row.moved.push(text);
                }
                row.by_column[j] = Some(Cow::Borrowed(text));
                i += 1;
                j += 1;
            }
            Step::Join => {
                let joined = format!("{} {}", filled[i].text, filled[i + 1].text);
                row.joined.push(joined.clone());
                row.by_column[j] = Some(Cow::Owned(joined));
                i += 2;
                j += 1;
            }
            Step::Skip => {
                if required(j) {
                    row.missing.push(columns[j]);
                }
                j += 1;
            }
            Step::Unaligned => {
                row.unaligned.push(filled[i].text);
                i += 1;
            }
        }
    }
    row
}

/// `3 目標をほぼ達成` → (3, 目標をほぼ達成).
pub fn read_achievement(cell: &str) -> Option<(u32, String)> {
    // The pattern's groups are the first character and the rest after the
    // spaces, so a match is enough: asking the regex for the groups takes
    // a slower engine, once per row.
    if !ACHIEVEMENT_CELL.is_match(cell) {
        return None;
    }
    let (code, rest) = split_first_char(cell)?;
    Some((code.to_digit(10)?, rest.trim().to_string()))
}

/// A text's first character and the rest.
fn split_first_char(text: &str) -> Option<(char, &str)> {
    let first = text.chars().next()?;
    Some((first, &text[first.len_utf8()..]))
}

/// `A 貢献している` → (A, 貢献している).
pub fn read_contribution(cell: &str) -> Option<(String, String)> {
    // As read_achievement: the groups are the first character and the rest.
    if !CONTRIBUTION_CELL.is_match(cell) {
        return None;
    }
    let (code, rest) = split_first_char(cell)?;
    Some((code.to_string(), rest.trim().to_string()))
}

/// `12 name` → (12, Some(name)); `41` → (41, None).
pub fn read_number_name(cell: &str) -> Option<(u32, Option<String>)> {
    if let Some(circled) = cell.chars().next().and_then(super::numbers::circled_value) {
        let name = cell[cell.chars().next()?.len_utf8()..].trim();
        return Some((circled, (!name.is_empty()).then(|| name.to_string())));
    }
    let digits = cell
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(cell.len());
    let number = cell[..digits].parse().ok()?;
    let rest = cell[digits..].trim_start();
    // `1.5倍` is a number, not the number 1 and a name.
    let after_separator = rest.strip_prefix(['.', '、']);
    if after_separator.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    let name = after_separator.unwrap_or(rest).trim();
    Some((number, (!name.is_empty()).then(|| name.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every cell form, for the tests that try them all.
    const FORMS: [CellForm; 9] = [
        CellForm::Text,
        CellForm::PolicyCell,
        CellForm::NumberName,
        CellForm::Number,
        CellForm::Achievement,
        CellForm::Contribution,
        CellForm::Department,
        CellForm::Mark,
        CellForm::Percent,
    ];

    /// Whether `cell` has `form`, each shape's pattern tried alone: what
    /// [`CellShape`], read in one pass, must agree with.
    fn has_form_pattern_by_pattern(cell: &str, form: CellForm) -> bool {
        static ALONE: LazyLock<Vec<(Shape, Regex)>> = LazyLock::new(|| {
            SHAPE_PATTERNS
                .iter()
                .map(|&(shape, pattern)| (shape, Regex::new(pattern).unwrap()))
                .collect()
        });
        let is = |shape: Shape| {
            ALONE
                .iter()
                .any(|(s, pattern)| *s == shape && pattern.is_match(cell))
        };
        let scale_word = super::super::ratings::is_scale_word(cell);
        match form {
            CellForm::Text => true,
            CellForm::PolicyCell => is(Shape::Policy),
            CellForm::NumberName => is(Shape::NumberName),
            CellForm::Number => is(Shape::Number),
            CellForm::Achievement => is(Shape::Achievement) || is(Shape::Grade) || scale_word,
            CellForm::Contribution => is(Shape::Contribution),
            CellForm::Department => {
                cell.chars().count() <= MAX_DEPARTMENT_CELL_CHARS
                    && !cell.contains('。')
                    && !is(Shape::Achievement)
                    && !is(Shape::Contribution)
                    && !is(Shape::Number)
                    && !is(Shape::Progress)
            }
            CellForm::Mark => is(Shape::Progress) || is(Shape::Grade) || scale_word,
            CellForm::Percent => is(Shape::Percent),
        }
    }

    fn assert_shape_agrees(cell: &str) {
        let shape = CellShape::of(cell);
        for form in FORMS {
            assert_eq!(
                shape.has(form),
                has_form_pattern_by_pattern(cell, form),
                "{form:?} of {cell:?}"
            );
        }
    }

    #[test]
    fn a_cells_shape_read_at_once_agrees_with_each_pattern_alone() {
        use unicode_normalization::UnicodeNormalization;
        let lines = crate::fixture_lines();
        let mut cells = 0;
        for line in &lines {
            let normalized: String = line.nfkc().collect();
            for cell in line.split('\t').chain(normalized.split('\t')) {
                assert_shape_agrees(cell.trim());
                cells += 1;
            }
        }
        assert!(cells > 1000, "the fixtures hold {cells} cells");
        for cell in [
            "(1)地域で支え合う",
            "⇒説明",
            "12 事業名",
            "①名前",
            "41",
            "3 目標をほぼ達成",
            "3",
            "A",
            "A 貢献している",
            "85.0%",
            "-",
            "○",
            "実施済",
            "地域支援課",
            "地域支援課。",
            &"課".repeat(MAX_DEPARTMENT_CELL_CHARS),
            &"課".repeat(MAX_DEPARTMENT_CELL_CHARS + 1),
        ] {
            assert_shape_agrees(cell);
        }
    }

    #[test]
    fn a_header_reader_reads_as_read_header_with_its_columns_kept() {
        let mut reader = HeaderReader::default();
        let mut headers = 0;
        // Twice over, so that the second reading of every row is from
        // the columns kept.
        for line in crate::fixture_lines().iter().chain(&crate::fixture_lines()) {
            let row: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
            let read = reader.read(&row);
            assert_eq!(read, read_header(&row), "{line}");
            headers += usize::from(read.is_some());
        }
        assert!(headers >= 10, "{headers} header rows in the fixtures");
    }

    #[test]
    fn no_shape_opens_with_a_character_the_glance_turns_away() {
        // Each character, then the rests that complete some shape.
        let rests = [
            "", "1", ")", "2)題", " 名前", "名前", "%", "0%", ".5%", " 達成",
        ];
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            if may_open_a_shape(c) {
                continue;
            }
            for rest in rests {
                let text = format!("{c}{rest}");
                assert!(!SHAPE_SET.is_match(&text), "{text:?}");
            }
        }
    }

    /// Every column kind, for the alignment tests.
    const COLUMNS: [Column; 23] = [
        Column::Policy,
        Column::NumberName,
        Column::Number,
        Column::LocalNumber,
        Column::Summary,
        Column::Status,
        Column::Outcome,
        Column::Evaluation,
        Column::Issues,
        Column::Improvement,
        Column::Plan,
        Column::Direction,
        Column::Achievement,
        Column::Contribution,
        Column::Departments,
        Column::Progress,
        Column::Percent,
        Column::IndicatorName,
        Column::Unit,
        Column::Baseline,
        Column::Target,
        Column::Actual,
        Column::Unknown,
    ];

    /// Cells of every shape a table row holds, and empty ones.
    const CELLS: [&str; 16] = [
        "",
        "",
        "(1)地域で支え合う",
        "12 事業名",
        "41",
        "マタニティ教室",
        "3 目標をほぼ達成",
        "A 貢献している",
        "85.0%",
        "○",
        "実施済",
        "地域支援課",
        "地域支援課、保健所",
        "3",
        "取組を進めました。",
        "-",
    ];

    /// [`super::align`] with the shapes of the row's cells read afresh.
    fn align<'c>(
        cells: &'c [String],
        columns: &[Column],
        placement: CellColumns,
    ) -> AlignedRow<'c> {
        super::align(cells, columns, placement, &mut CellShapes::default())
    }

    /// `align` as a document runs it (the shapes of cells seen before kept
    /// in `kept`) against the search over shapes read afresh.
    fn assert_align_skips_only_what_the_search_finds(
        row: &[String],
        columns: &[Column],
        kept: &mut CellShapes,
    ) {
        for placement in [CellColumns::Known, CellColumns::InOrder] {
            assert_eq!(
                align_searching(row, columns, placement, kept, Search::SkipWhenFree),
                align_searching(
                    row,
                    columns,
                    placement,
                    &mut CellShapes::default(),
                    Search::Always
                ),
                "{row:?} under {columns:?}, {placement:?}"
            );
        }
    }

    /// The code and label cells read by their patterns' groups: what
    /// [`read_achievement`] and [`read_contribution`] must answer.
    fn achievement_by_groups(cell: &str) -> Option<(u32, String)> {
        let c = ACHIEVEMENT_CELL.captures(cell)?;
        Some((c[1].parse().ok()?, c[2].trim().to_string()))
    }

    fn contribution_by_groups(cell: &str) -> Option<(String, String)> {
        let c = CONTRIBUTION_CELL.captures(cell)?;
        Some((c[1].to_string(), c[2].trim().to_string()))
    }

    fn assert_codes_read_as_by_groups(cell: &str) {
        assert_eq!(
            read_achievement(cell),
            achievement_by_groups(cell),
            "{cell:?}"
        );
        assert_eq!(
            read_contribution(cell),
            contribution_by_groups(cell),
            "{cell:?}"
        );
    }

    #[test]
    fn code_cells_read_as_their_patterns_groups() {
        use unicode_normalization::UnicodeNormalization;
        for line in crate::fixture_lines() {
            let normalized: String = line.nfkc().collect();
            for cell in line.split('\t').chain(normalized.split('\t')) {
                assert_codes_read_as_by_groups(cell.trim());
            }
        }
        for cell in [
            "3 目標をほぼ達成",
            "3目標を達成",
            "３ 目標",
            "٣ 目標",
            "3\u{3000}\u{3000}達成 ",
            "B やや貢献している",
            "B  貢献 ",
            "Bやや",
            "",
        ] {
            assert_codes_read_as_by_groups(cell);
        }
    }

    #[test]
    fn a_cells_kept_shape_is_its_shape() {
        let mut kept = CellShapes::default();
        let lines = crate::fixture_lines();
        // Twice over, so that the second reading of a cell is the kept one.
        for line in lines.iter().chain(&lines) {
            for cell in line.split('\t') {
                assert_eq!(kept.of(cell.trim()), CellShape::of(cell.trim()), "{cell}");
            }
        }
    }

    #[test]
    fn a_row_aligned_without_the_search_is_the_rows_best_alignment_in_the_fixtures() {
        let lines = crate::fixture_lines();
        let headers: Vec<Vec<Column>> = lines
            .iter()
            .filter_map(|line| {
                let row: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
                read_header(&row).map(|header| header.columns)
            })
            .collect();
        assert!(headers.len() >= 10, "{} headers", headers.len());
        let mut rows = 0;
        let mut kept = CellShapes::default();
        for line in lines.iter().filter(|line| line.contains('\t')) {
            let row: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
            for columns in &headers {
                assert_align_skips_only_what_the_search_finds(&row, columns, &mut kept);
            }
            rows += 1;
        }
        assert!(rows > 200, "{rows} rows in the fixtures");
    }

    proptest! {
        #[test]
        fn generated_code_cells_read_as_their_patterns_groups(
            cell in "[0-9３٣A-Zb \u{3000}達成貢献。]{0,8}"
        ) {
            assert_codes_read_as_by_groups(&cell);
        }

        #[test]
        fn a_row_aligned_without_the_search_is_the_rows_best_alignment(
            row in prop::collection::vec(prop::sample::select(&CELLS[..]), 0..9),
            columns in prop::collection::vec(prop::sample::select(&COLUMNS[..]), 1..9),
        ) {
            let row: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            assert_align_skips_only_what_the_search_finds(&row, &columns, &mut CellShapes::default());
        }

        // Short cells of the characters the shapes turn on.
        #[test]
        fn shapes_agree_on_generated_cells(cell in "[0-9A-Z(). %⇒①○△・、。課達成-]{0,8}") {
            assert_shape_agrees(&cell);
        }
    }

    fn cells(row: &[&str]) -> Vec<String> {
        row.iter().map(|c| c.to_string()).collect()
    }

    fn tama_columns() -> Vec<Column> {
        read_header(&cells(&[
            "基本方針",
            "具体的取組・事業名",
            "取組状況(令和元年度)",
            "取組状況に対する評価",
            "事業の達成度",
            "施策(基本方針)への貢献度",
            "回答課",
        ]))
        .unwrap()
        .columns
    }

    #[test]
    fn headers_map_to_columns_whatever_their_variant() {
        assert_eq!(
            tama_columns(),
            [
                Column::Policy,
                Column::NumberName,
                Column::Status,
                Column::Evaluation,
                Column::Achievement,
                Column::Contribution,
                Column::Departments
            ]
        );
        assert_eq!(Column::from_header("施策への貢献度"), Column::Contribution);
        assert_eq!(Column::from_header("2024年度 進捗評価"), Column::Progress);
        assert_eq!(Column::from_header("担当課 / 掲載P"), Column::Departments);
        assert_eq!(Column::from_header("取組施策 No."), Column::LocalNumber);
        assert_eq!(Column::from_header("備考"), Column::Unknown);
        // The initiatives printed under a year are what was done in it.
        assert_eq!(Column::from_header("令和5年度の取組"), Column::Status);
        assert_eq!(Column::from_header("次年度の取組"), Column::Plan);
        assert_eq!(Column::from_header("主な事業"), Column::NumberName);
        // In a table of indicators a year alone heads its results.
        assert_eq!(
            super::column_in_indicator_table(Column::Unknown, "令和4年度"),
            Column::Actual
        );
        assert_eq!(
            super::column_in_indicator_table(Column::Unknown, "備考"),
            Column::Unknown
        );
        // An achievement column holds word grades too.
        assert!(Column::Achievement.accepts("概ね達成"));
        // A year before the word: the word names the column.
        assert_eq!(Column::from_header("令和5年度の取組状況"), Column::Status);
        assert_eq!(Column::from_header("R5年度 事業内容"), Column::Summary);
        assert_eq!(Column::from_header("2023年度課題"), Column::Issues);
        assert_eq!(Column::from_header("令和5年度"), Column::Unknown);
        assert!(read_header(&cells(&["地域支援課", "説明文"])).is_none());
    }

    #[test]
    fn the_words_of_a_normalized_cell_are_its_white_space_words() {
        let at = crate::document::Location { page: 1, line: 1 };
        let mut spaced = 0;
        for line in crate::fixture_lines() {
            let source = crate::extract::SourceLine::from_text(at, &line);
            let normalized = crate::normalize::normalize_lines(vec![source], Vec::new());
            for cell in &normalized.lines[0].cells {
                let words: Vec<&str> = words_of(cell).collect();
                assert_eq!(
                    words,
                    cell.split_whitespace().collect::<Vec<_>>(),
                    "{cell:?}"
                );
                spaced += usize::from(words.len() > 2);
            }
        }
        assert!(spaced > 10, "{spaced}");
    }

    #[test]
    fn kana_and_kanji_open_no_shape_as_the_full_test_says() {
        // The ranges told at a glance hold no character the whole test
        // (without them) would let through, over every character.
        let full =
            |c: char| c.is_numeric() || c.is_ascii_uppercase() || SHAPE_OPENING_MARKS.contains(&c);
        let differing: Vec<char> = (char::MIN..=char::MAX)
            .filter(|&c| may_open_a_shape(c) != full(c))
            .collect();
        assert!(differing.is_empty(), "{differing:?}");
        let opening = (char::MIN..=char::MAX)
            .filter(|&c| may_open_a_shape(c))
            .count();
        assert!(opening > 1000, "{opening}");
    }

    #[test]
    fn a_table_typed_with_spaces_is_cut_into_cells() {
        let line = |text: &str| Line {
            location: crate::document::Location { page: 1, line: 1 },
            raw: None,
            cells: vec![text.to_string()],
            columns: CellColumns::InOrder,
            bold: false,
            wrapped_at_edge: false,
        };
        let (lines, cut) = cells_from_spaces(vec![
            line("指標名 現状値(令和5年度) 目標値(令和10年度)"),
            line("特定健康診査の受診率 38.2% 50.0%"),
            // A name of two words: the values are the last words.
            line("がん検診 の受診率 20.1% 30.0%"),
            line("本計画は 市民の 健康を 守ります 。"),
            // Words that are not all column names are no header.
            line("指標名 は 次のとおり"),
        ]);
        let cells: Vec<usize> = lines.iter().map(|l| l.cells.len()).collect();
        assert_eq!(cells, [3, 3, 3, 1, 1]);
        assert_eq!(lines[1].cells[1], "38.2%");
        assert_eq!(lines[2].cells, ["がん検診 の受診率", "20.1%", "30.0%"]);
        // A row cut into cells is still the line it was, for the unplaced.
        assert_eq!(lines[2].raw(), "がん検診 の受診率 20.1% 30.0%");
        assert_eq!(lines[3].raw(), "本計画は 市民の 健康を 守ります 。");
        // The cut is a reading, and says so.
        assert_eq!(cut.len(), 1);
        assert!(cut[0].1.contains("2 row(s)"), "{cut:?}");
    }

    #[test]
    fn a_known_column_is_trusted_over_content_and_a_wrong_one_is_not() {
        // An evaluation cell that reads like an achievement, the
        // achievement cell empty: placed by content, it moves to the
        // achievement column; a PDF table's row, whose columns the layout
        // found, keeps it where it stands.
        let row = cells(&["", "2 体操", "運営。", "3 目標をほぼ達成"]);
        let by_content = align(&row, &tama_columns(), CellColumns::InOrder);
        assert_eq!(by_content.by_column[4].as_deref(), Some("3 目標をほぼ達成"));
        let known = align(&row, &tama_columns(), CellColumns::Known);
        assert_eq!(known.by_column[3].as_deref(), Some("3 目標をほぼ達成"));
        assert_eq!(known.by_column[4], None);
        assert!(known.moved.is_empty());
        // A known column that cannot hold its cell (an achievement column
        // given a name) is no column to trust: the row is placed by content.
        let shifted = cells(&["", "", "", "", "", "2 体操", "運営。"]);
        let row = align(&shifted, &tama_columns(), CellColumns::Known);
        assert_eq!(row.by_column[1].as_deref(), Some("2 体操"));
    }

    #[test]
    fn a_row_in_place_is_not_moved() {
        let row_cells = cells(&[
            "",
            "2 体操",
            "運営。",
            "継続。",
            "3 目標をほぼ達成",
            "A 貢献している",
            "地域支援課",
        ]);
        let row = align(&row_cells, &tama_columns(), CellColumns::InOrder);
        assert_eq!(row.by_column[1].as_deref(), Some("2 体操"));
        assert_eq!(row.by_column[6].as_deref(), Some("地域支援課"));
        assert!(row.moved.is_empty() && row.joined.is_empty() && row.unaligned.is_empty());
    }

    #[test]
    fn a_row_shifted_left_is_placed_by_content() {
        let row_cells = cells(&[
            "72 見守り事業",
            "【全市的取組】",
            "",
            "",
            "",
            "高齢・障害課",
        ]);
        let row = align(&row_cells, &tama_columns(), CellColumns::InOrder);
        assert_eq!(row.by_column[1].as_deref(), Some("72 見守り事業"));
        assert_eq!(row.by_column[2].as_deref(), Some("【全市的取組】"));
        assert_eq!(row.by_column[3], None);
        assert_eq!(row.by_column[6].as_deref(), Some("高齢・障害課"));
        assert_eq!(row.moved.len(), 3);
    }

    #[test]
    fn a_department_pushed_to_an_eighth_column() {
        let row_cells = cells(&[
            "",
            "31 老人クラブ",
            "【全市的取組】",
            "",
            "",
            "",
            "",
            "高齢・障害課",
        ]);
        let row = align(&row_cells, &tama_columns(), CellColumns::InOrder);
        assert_eq!(row.by_column[6].as_deref(), Some("高齢・障害課"));
        assert_eq!(row.moved, ["高齢・障害課"]);
    }

    #[test]
    fn a_number_split_from_its_name_is_joined() {
        let row_cells = cells(&[
            "41",
            "マタニティ教室",
            "実施しました。",
            "好評でした。",
            "3 目標をほぼ達成",
            "A 貢献している",
            "地域支援課",
        ]);
        let row = align(&row_cells, &tama_columns(), CellColumns::InOrder);
        assert_eq!(row.by_column[1].as_deref(), Some("41 マタニティ教室"));
        assert_eq!(row.by_column[2].as_deref(), Some("実施しました。"));
        assert_eq!(row.by_column[3].as_deref(), Some("好評でした。"));
        assert_eq!(row.joined, ["41 マタニティ教室"]);
    }

    #[test]
    fn a_name_printed_without_its_number_is_the_name() {
        let columns = read_header(&cells(&["目標", "推進者"])).unwrap().columns;
        assert_eq!(columns, [Column::NumberName, Column::Departments]);
        let row_cells = cells(&["休暇の取得を周知します。", "総務課長"]);
        let row = align(&row_cells, &columns, CellColumns::InOrder);
        assert_eq!(
            row.by_column[0].as_deref(),
            Some("休暇の取得を周知します。")
        );
        assert_eq!(row.by_column[1].as_deref(), Some("総務課長"));
        assert!(row.unaligned.is_empty() && row.missing.is_empty());
        // Out of its own column, a text is no name: it stays unaligned.
        let row_cells = cells(&["", "休暇の取得を周知します。"]);
        let row = align(&row_cells, &columns, CellColumns::InOrder);
        assert_eq!(row.by_column[0], None);
        assert_eq!(row.unaligned, ["休暇の取得を周知します。"]);
    }

    #[test]
    fn a_missing_evaluation_leaves_the_codes_in_place() {
        let row_cells = cells(&[
            "⇒連携を強化します。",
            "74 発達支援",
            "開催しました。",
            "3 目標をほぼ達成",
            "A 貢献している",
            "地域支援課",
        ]);
        let row = align(&row_cells, &tama_columns(), CellColumns::InOrder);
        assert_eq!(row.by_column[0].as_deref(), Some("⇒連携を強化します。"));
        assert_eq!(row.by_column[2].as_deref(), Some("開催しました。"));
        assert_eq!(row.by_column[3], None);
        assert_eq!(row.by_column[4].as_deref(), Some("3 目標をほぼ達成"));
    }

    #[test]
    fn a_row_with_too_many_cells_keeps_the_extra_one() {
        let columns = [Column::Number, Column::Progress];
        let row_cells = cells(&["1", "余分", "○"]);
        let row = align(&row_cells, &columns, CellColumns::InOrder);
        assert_eq!(row.by_column, [Some("1".into()), Some("○".into())]);
        assert_eq!(row.unaligned, ["余分"]);
    }

    #[test]
    fn cell_readers() {
        assert_eq!(
            read_achievement("3 目標をほぼ達成"),
            Some((3, "目標をほぼ達成".into()))
        );
        assert_eq!(
            read_contribution("B やや貢献している"),
            Some(("B".into(), "やや貢献している".into()))
        );
        assert_eq!(read_number_name("41"), Some((41, None)));
        assert_eq!(
            read_number_name("1.保育士の確保"),
            Some((1, Some("保育士の確保".into())))
        );
        assert_eq!(read_number_name("1.5倍"), None);
        assert_eq!(
            read_number_name("7 多摩区健康フェスタ"),
            Some((7, Some("多摩区健康フェスタ".into())))
        );
    }
}
