//! Stage 3, segment: normalized lines → the document tree.
//!
//! Two passes over the units (`paragraphs.rs`): the outline (`outline.rs`)
//! reads the plan's levels from its heading candidates and decides, per
//! unit, what it is (a heading at a level, or prose); then the state
//! machine here builds the tree, unit by unit, with a cursor on the
//! innermost open heading (goal → policy → measure → sub-measure). This
//! file holds the machine's state and its dispatch ([`Segmenter::unit`]);
//! what each kind of unit does lives beside it: headings move the cursor
//! (`headings.rs`, the cursor and the nodes it reaches in `cursor.rs`),
//! table rows become initiatives under it (`rows.rs`), plain text goes
//! where the state says (`placement.rs`), brochure prose and sections in
//! `prose.rs`. Every line ends somewhere: in a field, or in the document's
//! unplaced lines with a reason.
//!
//! Decisions that need the whole document are taken after the last line
//! (see [`Segmenter::finish`]): a heading repeated at page breaks with a typo
//! keeps the title most of its repeats print; department cells are split by
//! the vocabulary of names the document uses alone; progress marks are
//! labelled from the document's legend wherever it stands.

mod actions;
mod columns;
mod cursor;
mod departments;
mod finish;
mod first_chars;
mod headings;
mod indicator_lines;
mod markers;
mod memo;
mod notations;
mod numbers;
mod outline;
mod paragraphs;
mod pattern;
mod placement;
mod prose;
mod quantity;
mod ratings;
mod rows;
mod sections;
mod table;

use crate::document::{
    Document, LegendEntry, Location, SourceMeta, Span, Text, UnplacedLine, Warning, WarningCode,
};
use crate::normalize::Normalized;
use crate::quoted::Quoted;
use cursor::Cursor;
use headings::{headings_of, same_title, without_spaces};
use markers::{Level, Marker};
use paragraphs::Unit;
use placement::{pending, text_at, text_of, PendingMarker};
use rows::OpenTable;
use std::collections::BTreeMap;

pub use numbers::fiscal_year;

/// The version of the document format, as `schema/` describes it.
pub const FORMAT_VERSION: &str = "1.0";

/// Builds the document tree of `normalized`, the lines of the input `meta`
/// describes.
pub fn segment(meta: SourceMeta, normalized: Normalized) -> Document {
    let mut segmenter = Segmenter::new(meta, normalized.warnings);
    let (lines, cut) = table::cells_from_spaces(normalized.lines);
    for (at, message) in cut {
        segmenter.warn(WarningCode::CellsFromSpaces, at, message);
    }
    let mut classifier = markers::Classifier::default();
    let units = paragraphs::units(&lines, &mut classifier);
    // Each unit's marker, read once for the outline and the state machine.
    let own_markers: Vec<Option<Marker>> =
        units.iter().map(|u| classifier.classify(&u.text)).collect();
    let outline = outline::decide(&units, &own_markers, &mut classifier);
    drop(classifier);
    if let Some((first, message)) = outline.uncertain {
        segmenter.warn(
            WarningCode::StructureUncertain,
            units[first].location(),
            message,
        );
    }
    for ((unit, own), decision) in units.iter().zip(own_markers).zip(outline.decisions) {
        segmenter.unit(unit, own, decision);
    }
    segmenter.finish()
}

/// What a plain text line means, given the line before it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// Nothing in particular.
    Nothing,
    /// The title of the heading at `level` that had none on its line. For a
    /// repeated heading (`repeat`), only a bracketed title or one like the
    /// node's own is taken: the line after a repeat is often just prose.
    Title { level: Level, repeat: bool },
    /// The text of 【基本理念】, whose marker stood alone on its line.
    Philosophy(PendingMarker),
    /// A `〜subtitle〜` line under the 基本理念 just read.
    PhilosophySubtitle,
    /// The text of 【めざす方向】, whose marker stood alone on its line.
    Direction(PendingMarker),
    /// More lines of the direction's paragraph, until a blank line.
    DirectionMore,
    /// The rest of a legend entry broken across lines.
    LegendMore,
    /// A priority badge (重点項目) alone: the policy heading it marks.
    PriorityFor(PendingMarker),
    /// The 「subtitle」 of the priority section just opened.
    Subtitle,
    /// The text of 【具体的な取組】, whose marker stood alone on its line.
    Actions(PendingMarker),
    /// The display lines listed under a 目標 label: each a goal.
    GoalList { found: u32 },
}

struct Segmenter {
    doc: Document,
    cursor: Cursor,
    table: Option<OpenTable>,
    /// The last table header read, kept after its table closes: rows after
    /// a heading inside a table printed with one header take its columns.
    last_table: Option<OpenTable>,
    expect: Expect,
    /// Every title printed for each node, for the majority vote at the end.
    titles: BTreeMap<Cursor, Vec<(String, Location)>>,
    /// The nodes opened under each parent, by level and number: where a
    /// heading naming an earlier node (a witness) finds it without a scan.
    siblings: BTreeMap<(Cursor, Level, u32), Vec<usize>>,
    /// The nodes a second listing of the tree names again (a chart, a
    /// table of contents, a progress sheet), with where it first does.
    witnessed: BTreeMap<Cursor, Location>,
    /// A goal or policy heading was repeated (a page break) and no heading
    /// has opened a new node since.
    after_repeated_heading: bool,
    /// The level of the heading read as the previous unit, and its number:
    /// a `２ title` line right after `基本方針 １ title` continues the list.
    previous_heading: Option<(Level, u32)>,
    /// How many policies the text announced (`2つの基本方針`): bare
    /// numbers up to it are policy headings.
    announced_policies: Option<u32>,
    /// How many goals the text announced before its first goal (`4つの
    /// 基本目標`): numbered display lines up to it are goal headings.
    announced_goals: Option<u32>,
    /// Heading styles placed above their printed level because the plan
    /// skips a level (具体的な施策 ① straight under a goal): printed level →
    /// the level they are read at.
    skipped_levels: BTreeMap<Level, Level>,
    /// The section that prose goes into, if one is open.
    section: Option<sections::SectionRef>,
    /// The category (【…】) that listed initiatives stand under.
    category: Option<String>,
    /// 【具体的な取組】 blocks, given to priority sections at the end.
    actions: Vec<actions::PendingActions>,
    /// The scale the last unit's legend (or legend label) opened: a line
    /// right after it with one grade alone continues it.
    legend_scale: Option<u32>,
    /// A legend printed as a table is open: its scale, and its header row
    /// (words and where it stood) until the first entry takes it as lead.
    legend_table: Option<(u32, Option<(String, Span)>)>,
    /// A label over indicators (【成果指標】, ＜数値目標＞) stands above, under
    /// the same heading: lines with a name and a value are indicators.
    under_indicator_label: bool,
    /// The last unit was an indicator line: a line of values alone goes on
    /// with it.
    after_indicator_line: bool,
    /// The headers (joined) of tables with a row read with its number.
    numbered_tables: std::collections::BTreeSet<String>,
    /// Rows read as a name without its number, with their table's header.
    unnumbered_names: Vec<(Location, String)>,
    /// Every row is tried as a table header: the columns its cells name,
    /// kept.
    headers: table::HeaderReader,
    /// Every row's cells are aligned by their shapes: the shapes of the
    /// cells that recur, kept.
    cell_shapes: table::CellShapes,
    /// The years a header cell names (as the table's year, as its
    /// column's): headers repeat on every page.
    header_cell_years: memo::Memo<rows::HeaderCellYears>,
}

impl Segmenter {
    fn new(source: SourceMeta, warnings: Vec<Warning>) -> Segmenter {
        Segmenter {
            doc: Document {
                format_version: FORMAT_VERSION.to_string(),
                source,
                title: None,
                preamble: Vec::new(),
                philosophy: None,
                fiscal_year: None,
                legends: Vec::new(),
                tables: Vec::new(),
                goals: Vec::new(),
                sections: Vec::new(),
                initiatives: Vec::new(),
                indicators: Vec::new(),
                warnings,
                unplaced: Vec::new(),
                furniture: Vec::new(),
            },
            cursor: Cursor::default(),
            table: None,
            last_table: None,
            expect: Expect::Nothing,
            titles: BTreeMap::new(),
            siblings: BTreeMap::new(),
            witnessed: BTreeMap::new(),
            after_repeated_heading: false,
            previous_heading: None,
            announced_policies: None,
            announced_goals: None,
            skipped_levels: BTreeMap::new(),
            section: None,
            category: None,
            actions: Vec::new(),
            legend_scale: None,
            legend_table: None,
            under_indicator_label: false,
            after_indicator_line: false,
            numbered_tables: std::collections::BTreeSet::new(),
            unnumbered_names: Vec::new(),
            headers: table::HeaderReader::default(),
            cell_shapes: table::CellShapes::default(),
            header_cell_years: memo::Memo::default(),
        }
    }

    /// Reads the unit as an indicator line (`name　現状18か所→目標25か所`), or
    /// as a line of values going on with the indicator line before it.
    /// True when it was one.
    fn indicator_line(&mut self, unit: &Unit, after_indicator_line: bool) -> bool {
        let Some(line) = indicator_lines::read(&unit.text, self.under_indicator_label, unit.span())
        else {
            return false;
        };
        match line.name {
            Some(_) => {
                let mut indicator = line.values;
                indicator.line = Some(unit.text.clone());
                self.attach_indicator(indicator);
            }
            None => {
                let last = self.indicators_under_cursor_mut().last_mut();
                let Some(indicator) = last.filter(|_| after_indicator_line) else {
                    return false;
                };
                indicator.actuals.extend(line.values.actuals);
                indicator.achievement_percent = indicator
                    .achievement_percent
                    .or(line.values.achievement_percent);
                indicator.baseline = indicator.baseline.take().or(line.values.baseline);
                indicator.target = indicator.target.take().or(line.values.target);
                indicator.span = indicator.span.through(unit.span().end());
                let lines = indicator.line.get_or_insert_with(String::new);
                lines.push('\n');
                lines.push_str(&unit.text);
                rows::settle_unit(indicator);
            }
        }
        self.after_indicator_line = true;
        true
    }

    /// The number of a scale not used yet.
    fn next_scale(&self) -> u32 {
        self.doc.legends.last().map_or(0, |entry| entry.scale + 1)
    }

    fn push_legend(&mut self, legend: markers::Legend, span: Span, scale: u32) {
        let mut lead = legend.lead;
        for (mark, label) in legend.entries {
            self.doc.legends.push(LegendEntry {
                mark,
                label,
                scale,
                lead: lead.take(),
                span,
            });
        }
    }

    /// Reads a row of a legend printed as a table of two columns (`評価 |
    /// 評価の内容`, then `S | 目標を大きく上回った`, …): the header opens a
    /// scale and each row after it is an entry, until a row that is none.
    /// True when the row was one.
    fn legend_table_row(&mut self, unit: &Unit) -> bool {
        let cells: Vec<&str> = unit
            .cells()
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        let [first, second] = cells.as_slice() else {
            self.legend_table = None;
            return false;
        };
        if markers::is_legend_table_header(first, second) {
            let scale = self.next_scale();
            self.legend_table = Some((scale, Some((unit.text.clone(), unit.span()))));
            self.table = None;
            return true;
        }
        let Some((scale, header)) = self.legend_table.take() else {
            return false;
        };
        let Some(entry) = markers::legend_table_entry(first, second) else {
            return false;
        };
        let (lead, span) = match header {
            Some((lead, at)) => (Some(lead), at.through(unit.span().end())),
            None => (None, unit.span()),
        };
        self.push_legend(markers::Legend { lead, ..entry }, span, scale);
        self.legend_table = Some((scale, None));
        true
    }

    fn warn(&mut self, code: WarningCode, at: Location, message: String) {
        self.doc.warnings.push(Warning {
            code,
            message,
            page: at.page,
            line: at.line,
        });
    }

    fn unplace(&mut self, unit: &Unit, reason: &str) {
        for line in unit.text_lines() {
            self.unplace_at(line.location, line.raw().into_owned(), reason);
        }
    }

    fn unplace_at(&mut self, at: Location, text: String, reason: &str) {
        self.doc.unplaced.push(UnplacedLine {
            text,
            page: at.page,
            line: at.line,
            reason: reason.to_string(),
        });
    }

    /// Sets what the next plain line means. A marker still waiting for its
    /// text has none: it is listed as unplaced, not dropped.
    fn expect_next(&mut self, next: Expect) {
        let previous = std::mem::replace(&mut self.expect, next);
        if let Expect::Philosophy(marker)
        | Expect::Direction(marker)
        | Expect::PriorityFor(marker)
        | Expect::Actions(marker) = previous
        {
            for (at, raw) in marker.lines {
                self.unplace_at(at, raw, "a marker with no text after it");
            }
        }
    }

    /// Reads one unit, which [`markers::classify`] reads as `own`;
    /// `decision` is what the outline says it is, if it says anything.
    fn unit(&mut self, unit: &Unit, own: Option<Marker>, decision: Option<outline::Decision>) {
        // Only the unit right after a heading may continue its list.
        let previous_heading = self.previous_heading.take();
        if unit.after_blank && matches!(self.expect, Expect::DirectionMore | Expect::LegendMore) {
            self.expect_next(Expect::Nothing);
        }
        // A table of indicators is a block of rows: the text after it (its
        // initiatives, their effects) is no part of it. A marked section
        // (`■まとめ`) ends any table: a new part of the document begins.
        let ends_tables = |open: &OpenTable| {
            open.kind == table::TableKind::Indicators
                || notations::read_marked_section(&unit.text).is_some()
        };
        if !unit.is_row() && self.table.as_ref().is_some_and(ends_tables) {
            self.table = None;
        }
        if !unit.is_row() {
            // A legend table ends at the first line that is no row of it.
            self.legend_table = None;
        } else if self.legend_table_row(unit) {
            return;
        }
        if unit.is_row() {
            self.legend_scale = None;
            if let Some(header) = self.headers.read(unit.cells()) {
                self.table_header(unit, header);
                return;
            }
            if let Some(open) = self.table.take() {
                self.table_row(unit, &open);
                self.table = Some(open);
                return;
            }
            if self.row_under_last_header(unit) {
                return;
            }
        }
        let text = unit.text.as_str();
        // A legend's lines, or the label over them, leave the scale open
        // for the next line only.
        let legend_scale = self.legend_scale.take();
        let own = match (own, legend_scale) {
            (None, Some(_)) => markers::legend_entries(text, true)
                .or_else(|| markers::word_legend_entry(text))
                .map(Marker::Legend),
            (own, _) => own,
        };
        if markers::is_legend_label(text) {
            self.legend_scale = Some(self.next_scale());
        }
        if unit.split_off {
            self.warn(
                WarningCode::HeadingSplit,
                unit.location(),
                format!("the line held a second heading, {text:?}, glued onto the first; read as two headings", text = Quoted(text)),
            );
        }
        if self.doc.goals.is_empty() {
            if let Some(count) = markers::announced_goal_count(text) {
                self.announced_goals = Some(count);
            }
        }
        let marker = match decision {
            // The 基本理念's label is never a node, however numbered.
            _ if matches!(own, Some(Marker::Philosophy(_))) => own,
            Some(outline::Decision::Heading {
                marker, inferred, ..
            }) => {
                if let Some(message) = inferred {
                    self.warn(WarningCode::HeadingInferred, unit.location(), message);
                }
                Some(Marker::Heading(marker))
            }
            // A numbered line the outline places outside the plan's levels.
            Some(outline::Decision::Prose) => {
                own.filter(|m| !matches!(m, Marker::Heading(_) | Marker::Numbered { .. }))
            }
            None => own,
        };
        let after_indicator_line = std::mem::take(&mut self.after_indicator_line);
        if !matches!(marker, Some(Marker::Heading(_)))
            && self.indicator_line(unit, after_indicator_line)
        {
            return;
        }
        // A label opens (【成果指標】) or closes (【主な取組】, ■今後の取組) the
        // list of indicators under it.
        if markers::is_label(text, marker.as_ref())
            || notations::read_marked_section(text).is_some()
        {
            self.under_indicator_label = markers::is_indicator_label(text);
        }
        if self.prose_in_context(marker.as_ref(), unit, previous_heading) {
            return;
        }
        match marker {
            Some(Marker::Heading(heading)) => {
                self.table = None;
                self.under_indicator_label = false;
                let badge = self.take_badge(heading.level);
                self.expect_next(Expect::Nothing);
                self.heading(heading, text, unit, badge);
            }
            Some(Marker::Philosophy(content)) => {
                self.table = None;
                // A label under a label (`１ 計画の理念` / `基本理念`, `３．基本
                // 理念` / `基本理念：「…」`): the outer one is a heading of the
                // text, kept as prose.
                if matches!(self.expect, Expect::Philosophy(_)) {
                    if let Expect::Philosophy(outer) =
                        std::mem::replace(&mut self.expect, Expect::Nothing)
                    {
                        let outer_text = outer.label();
                        self.place_paragraph(Text {
                            text: outer_text,
                            span: outer.span,
                        });
                    }
                }
                match content {
                    Some(content) => {
                        let label = text.strip_suffix(content.as_str()).map(str::trim);
                        let label = label.map(str::to_string);
                        self.place_philosophy(text_of(content, unit), label);
                    }
                    None => self.expect_next(Expect::Philosophy(pending(unit))),
                }
            }
            Some(Marker::Direction(content)) => self.direction_marker(content, unit),
            Some(Marker::Legend(legend)) => {
                // A grade alone on its line under a legend (or its label)
                // goes on with its scale; a legend of its own is a new one.
                let alone = legend.lead.is_none() && legend.entries.len() == 1;
                let scale = legend_scale
                    .filter(|_| alone)
                    .unwrap_or_else(|| self.next_scale());
                self.push_legend(legend, unit.span(), scale);
                self.legend_scale = Some(scale);
                self.expect_next(Expect::LegendMore);
            }
            Some(prose) => self.prose_marker(prose, unit),
            None => self.plain_text(text.to_string(), unit),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::WarningCode;

    fn convert(text: &str) -> crate::Document {
        crate::convert("t.txt", text.as_bytes()).unwrap()
    }

    #[test]
    fn grades_rank_on_the_form_of_their_scale_the_document_uses() {
        // 達成 / 概ね達成 / 未達成 with no legend: 未達成 is third, not the
        // fourth of the longer form with 一部達成.
        let text = "基本目標1 見守り\n事業名\t担当課\t評価\n見守り訪問\t福祉課\t達成\n配食\t高齢課\t未達成\n";
        let ranks: Vec<Option<u32>> = convert(text).goals[0]
            .initiatives
            .iter()
            .map(|i| i.rating_rank)
            .collect();
        assert_eq!(ranks, [Some(1), Some(3)]);
    }

    #[test]
    fn a_legend_printed_as_a_table_gives_its_grades_their_labels() {
        let text = "評価\t評価の内容\nS\t目標を大きく上回った\nA\t目標を達成した\n\
                    基本目標1 見守り\n事業名\t担当課\t評価\n見守り訪問\t福祉課\tA\n";
        let document = convert(text);
        let rated = &document.goals[0].initiatives[0];
        assert_eq!(rated.rating_label.as_deref(), Some("目標を達成した"));
        assert_eq!(rated.rating_rank, Some(2));
        assert_eq!(document.unplaced, []);
    }

    #[test]
    fn a_legend_table_ends_at_the_first_line_that_is_no_row_of_it() {
        // The two-cell rows after the prose are a table of their own, not
        // more grades.
        let text = "評価\t評価の内容\nA\t目標を達成した\n本年度の結果は次のとおりです。\n\
                    地区\t参加者\n北部\t120人\n";
        let marks: Vec<String> = convert(text)
            .legends
            .iter()
            .map(|l| l.mark.clone())
            .collect();
        assert_eq!(marks, ["A"]);
    }

    #[test]
    fn another_label_closes_the_list_of_indicators() {
        // A name and one target is an indicator under 【成果指標】, and a
        // plan's sentence under 【主な取組】.
        let text = "基本目標1 見守り\n【成果指標】\n見守り訪問の回数　目標 120回\n\
                    【主な取組】\n見守り訪問の実施　目標 120回\n";
        let document = convert(text);
        let names: Vec<&str> = document.goals[0]
            .indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["見守り訪問の回数"]);
    }

    #[test]
    fn a_name_without_a_number_is_suspect_only_among_numbered_rows() {
        // Whatever the order of the rows.
        let missing = |text: &str| -> Vec<u32> {
            convert(text)
                .warnings
                .iter()
                .filter(|w| w.code == WarningCode::MissingCell)
                .map(|w| w.line)
                .collect()
        };
        let names = "基本目標1 見守り\n施策名\t主管課\n見守り訪問\t福祉課\n配食サービス\t高齢課\n";
        assert_eq!(missing(names), Vec::<u32>::new());
        let numbered =
            "基本目標1 見守り\n事業名\t主管課\n1 見守り訪問\t福祉課\n配食サービス\t高齢課\n";
        assert_eq!(missing(numbered), [4]);
    }

    #[test]
    fn a_note_under_a_table_and_a_marked_section_after_it_are_prose() {
        let text = "基本目標1 見守り\n事業名\t主管課\n1 見守り訪問\t福祉課\n※No.1は年度途中に開始しました。\n2 配食\t高齢課\n■まとめ\n2事業とも順調でした。\n";
        let document = convert(text);
        assert_eq!(document.unplaced, []);
        assert_eq!(document.goals[0].initiatives.len(), 2);
        // A line amid the rows that is no note stays unplaced.
        let cut = "基本目標1 見守り\n事業名\t主管課\n1 見守り訪問\t福祉課\n開始しました。\n2 配食\t高齢課\n";
        assert_eq!(convert(cut).unplaced.len(), 1);
    }

    #[test]
    fn no_cell_of_an_indicator_row_overwrites_another() {
        // Two baseline columns, and a 事業名 column beside the indicator's:
        // the first baseline is the baseline, the rest are kept by header.
        let text = "基本目標1 健康\n事業名\t指標名\t基準値(R1)\t現状値(R5)\t目標値(R10)\n健診事業\t受診率\t30%\t35%\t50%\n";
        let document = convert(text);
        let indicator = &document.goals[0].indicators[0];
        assert_eq!(indicator.name, "受診率");
        assert_eq!(indicator.baseline.as_ref().unwrap().raw, "30%");
        assert_eq!(indicator.target.as_ref().unwrap().raw, "50%");
        let extra: Vec<(&str, &str)> = indicator
            .extra_cells
            .iter()
            .map(|c| (c.header.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(extra, [("事業名", "健診事業"), ("現状値(R5)", "35%")]);
    }

    #[test]
    fn legends_on_two_lines_are_two_scales_and_a_grade_alone_continues_one() {
        let text = "基本目標1 健康\n達成度 1:達成 2:未達成\n方向性 ○:継続 △:見直し\n【評価の基準】\nA:順調\nB:遅れ\n";
        let scales: Vec<(String, u32)> = convert(text)
            .legends
            .iter()
            .map(|e| (e.mark.clone(), e.scale))
            .collect();
        let scale_of = |mark: &str| scales.iter().find(|(m, _)| m == mark).unwrap().1;
        assert_ne!(scale_of("1"), scale_of("○"));
        assert_eq!(scale_of("A"), scale_of("B"));
        assert_ne!(scale_of("A"), scale_of("○"));
    }

    /// The lines of the `listings_disagree` warnings of `text`.
    fn disagreements(text: &str) -> Vec<u32> {
        convert(text)
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::ListingsDisagree)
            .map(|w| w.line)
            .collect()
    }

    #[test]
    fn a_second_listing_that_leaves_a_node_out_is_a_warning() {
        let body = "基本目標1 職場\n(1)採用の拡大\n採用を増やします。\n(2)休暇の取得\n\
                    休暇を進めます。\n(3)研修の充実\n研修を充実します。\n点検票\n";
        // The sheet names (1) and (3) again: (2), line 4, is left out.
        assert_eq!(
            disagreements(&format!("{body}(1)採用の拡大\n(3)研修の充実\n")),
            [4]
        );
        // The sheet names all three: the listings agree.
        assert!(disagreements(&format!(
            "{body}(1)採用の拡大\n(2)休暇の取得\n(3)研修の充実\n"
        ))
        .is_empty());
        // One name again is a cross-reference, not a listing.
        assert!(disagreements(&format!("{body}(1)採用の拡大\n")).is_empty());
    }

    #[test]
    fn a_node_the_first_listing_lacks_is_a_warning() {
        let text = "基本目標1 職場\n(1)採用の拡大\n(2)休暇の取得\n本文\n基本目標1 職場\n\
                    (1)採用の拡大\n採用を増やします。\n(2)休暇の取得\n休暇を進めます。\n\
                    (3)研修の充実\n研修を充実します。\n";
        assert_eq!(disagreements(text), [10]);
    }

    #[test]
    fn a_philosophy_label_in_a_contents_list_waits_for_its_text_in_the_body() {
        let doc = convert(
            "目次\n1.基本理念\n2.基本的視点\n第1章 考え方\n1.基本理念\n\
             ともに生きるまち\n2.基本的視点\n(1)人権の尊重\n",
        );
        let philosophy = doc.philosophy.expect("the 基本理念 of the body");
        assert_eq!(philosophy.text, "ともに生きるまち");
        assert_eq!(philosophy.span.start().line, 5);
        // The contents entry is kept as a paragraph (here the first, which
        // a document without a title line takes as its title).
        assert!(doc
            .title
            .iter()
            .chain(&doc.preamble)
            .any(|p| p.text == "1.基本理念" && p.span.start().line == 2));
        assert!(doc.unplaced.is_empty());
    }

    #[test]
    fn a_philosophy_labelled_with_a_colon_under_a_numbered_label() {
        let doc = convert("3.基本理念\n基本理念:「ともに輝ける まち」\n基本目標1 参画\n");
        let philosophy = doc.philosophy.expect("the 基本理念");
        assert_eq!(philosophy.text, "ともに輝ける まち");
        assert_eq!(philosophy.label.as_deref(), Some("基本理念:"));
        // The numbered label over it is a heading of the text, kept.
        assert!(doc
            .title
            .iter()
            .chain(&doc.preamble)
            .any(|p| p.text == "3.基本理念"));
        assert!(doc.unplaced.is_empty());
    }

    #[test]
    fn a_marker_with_no_text_after_it_is_unplaced() {
        let doc = convert("基本目標1 参加\n【めざす方向】\n基本目標 2 交流\n");
        assert_eq!(doc.goals.len(), 2);
        assert_eq!(doc.unplaced.len(), 1);
        assert_eq!(
            (doc.unplaced[0].line, doc.unplaced[0].text.as_str()),
            (2, "【めざす方向】")
        );
        let at_end = convert("基本目標1 参加\n【めざす方向】\n");
        assert_eq!(at_end.unplaced[0].line, 2);
    }

    #[test]
    fn a_second_policy_description_is_kept_with_a_warning() {
        let header = "基本方針\t具体的取組・事業名\t回答課\n";
        let text = format!(
            "基本目標1 まち\n{header}(1)見守り ⇒見守りを広げる\t1 訪問\t地域支援課\n(1)見守り ⇒相談につなぐ\t2 相談\t地域支援課\n"
        );
        let doc = convert(&text);
        let policy = &doc.goals[0].policies[0];
        assert_eq!(policy.description.as_ref().unwrap().text, "見守りを広げる");
        assert_eq!(policy.paragraphs[0].text, "相談につなぐ");
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::RepeatedMarker));
    }

    #[test]
    fn a_second_direction_is_kept_with_a_warning() {
        let doc = convert("基本目標1 参加\n【めざす方向】 一つ目\n【めざす方向】 二つ目\n");
        let goal = &doc.goals[0];
        assert_eq!(goal.direction.as_ref().unwrap().text, "一つ目");
        assert_eq!(goal.descriptions[0].text, "二つ目");
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::RepeatedMarker && w.line == 3));
    }

    #[test]
    fn a_goal_title_on_the_next_line() {
        let doc = convert("基本目標2\n〔多世代交流〕\n");
        assert_eq!(doc.goals[0].number, 2);
        assert_eq!(doc.goals[0].title.as_deref(), Some("多世代交流"));
        assert_eq!(doc.goals[0].headings.len(), 2);
    }

    #[test]
    fn numbered_lines_continue_a_policy_list_only_right_after_it() {
        let doc = convert("基本目標1 まち\n基本方針 1 交流 ◎重点的な取組\n 2 支え合い\n\n地域の話です。\n3 数字で始まる行\n");
        let policies: Vec<(u32, bool)> = doc.goals[0]
            .policies
            .iter()
            .map(|p| (p.number, p.priority))
            .collect();
        assert_eq!(policies, [(1, true), (2, false)]);
        assert_eq!(doc.goals[0].policies[1].paragraphs.len(), 2);
    }

    #[test]
    fn bare_numbers_are_policies_only_when_announced() {
        let plain = convert("基本目標2\n〔交流〕\n1\n\n気軽な交流\n");
        assert!(plain.goals[0].policies.is_empty());
        let announced = convert("基本目標2\n〔交流〕\n交流を進める2つの基本方針\n1\n\n気軽な交流\n重点項目\n2\n支え合い\n3\n");
        let policies: Vec<(u32, Option<&str>, bool)> = announced.goals[0]
            .policies
            .iter()
            .map(|p| (p.number, p.title.as_deref(), p.priority))
            .collect();
        assert_eq!(
            policies,
            [(1, Some("気軽な交流"), false), (2, Some("支え合い"), true)]
        );
    }

    #[test]
    fn a_bracketed_line_after_a_bare_heading_is_its_title_not_a_category() {
        let doc = convert("基本目標1 まち\n基本方針 1-2\n【つながる】\n【子ども】\n");
        let policy = &doc.goals[0].policies[0];
        assert_eq!(
            (policy.number, policy.title.as_deref()),
            (2, Some("つながる"))
        );
        assert_eq!(policy.sections.len(), 1);
        assert_eq!(policy.sections[0].title.as_deref(), Some("子ども"));
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        // The printed parent is checked against the goal it stands under.
        let misplaced = convert("基本目標1 まち\n基本方針 2-1 交流\n");
        assert_eq!(misplaced.warnings[0].code, WarningCode::MissingParent);
    }

    /// Goal headings without 基本目標 (`１．title`) under an announced count,
    /// in a document whose contents, overview table and a quoted plan's
    /// numbered goals all come first.
    const ANNOUNCED_GOALS: &str = "目次
１ まちの魅力づくり ・・・・・・・・ 3
 ① 交流の場 ・・・・・・・・ 3
２ 人の流れ ・・・・・・・・ 5
他の計画の基本目標は次のとおりです。
1.自然を守る
本戦略では、「まちの魅力づくり」「人の流れ」を２つの基本目標として設定します。
基本目標\t具体的な施策
１．まちの魅力づくり ◇指標\t①交流の場
２．人の流れ ◇指標\t①移住の促進
１．まちの魅力づくり
［現状と課題］
若い人が減っています。
① 交流の場
交流の場をつくります。
＜主な事業＞
・交流事業
・【再掲】移住事業
［期待される効果］
② 情報の発信
(1) 広報紙
２．人の流れ
① 移住の促進
";

    #[test]
    fn numbered_goals_are_read_under_an_announced_count() {
        let doc = convert(ANNOUNCED_GOALS);
        let goals: Vec<(u32, Option<&str>, u32)> = doc
            .goals
            .iter()
            .map(|g| (g.number, g.title.as_deref(), g.headings[0].line))
            .collect();
        assert_eq!(
            goals,
            [(1, Some("まちの魅力づくり"), 11), (2, Some("人の流れ"), 22)]
        );
        let inferred = doc
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::HeadingInferred)
            .count();
        assert_eq!(inferred, 2);
        // Before the announcement, `1.title` is prose.
        assert!(doc.preamble.iter().any(|t| t.text == "1.自然を守る"));
        // Without one, no goal at all.
        let unannounced = ANNOUNCED_GOALS.replace("２つの基本目標として設定", "目標を設定");
        assert!(convert(&unannounced).goals.is_empty());
    }

    #[test]
    fn contents_entries_are_kept_apart_and_never_read_as_headings() {
        let doc = convert(ANNOUNCED_GOALS);
        assert_eq!(doc.sections.len(), 1);
        let contents = &doc.sections[0];
        assert_eq!(contents.kind, crate::document::SectionKind::Contents);
        assert_eq!(contents.label.as_deref(), Some("目次"));
        let lines: Vec<u32> = contents
            .paragraphs
            .iter()
            .map(|p| p.span.line_start)
            .collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(doc.unplaced.is_empty(), "{:?}", doc.unplaced);
    }

    #[test]
    fn circled_headings_straight_under_a_goal_are_its_policies() {
        let doc = convert(ANNOUNCED_GOALS);
        let policies: Vec<Vec<(u32, &str)>> = doc
            .goals
            .iter()
            .map(|g| {
                g.policies
                    .iter()
                    .map(|p| (p.number, p.title.as_deref().unwrap_or_default()))
                    .collect()
            })
            .collect();
        assert_eq!(
            policies,
            [
                vec![(1, "交流の場"), (2, "情報の発信")],
                vec![(1, "移住の促進")]
            ]
        );
        // The level under them is still free for (1).
        let measures = &doc.goals[0].policies[1].measures;
        assert_eq!((measures.len(), measures[0].number), (1, 1));
        let skipped = doc
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::MissingParent)
            .map(|w| w.line)
            .collect::<Vec<_>>();
        assert_eq!(skipped, [14, 20, 23]);
    }

    #[test]
    fn an_angle_bracketed_list_label_lists_initiatives() {
        let doc = convert(ANNOUNCED_GOALS);
        let policy = &doc.goals[0].policies[0];
        let names: Vec<&str> = policy
            .initiatives
            .iter()
            .map(|i| i.name.as_deref().unwrap_or_default())
            .collect();
        // The bracketed label after the list is not joined onto its last item.
        assert_eq!(names, ["交流事業", "【再掲】移住事業"]);
        assert!(policy.initiatives[1].reposted_from.is_some());
        assert!(policy.initiatives[0].reposted_from.is_none());
        assert!(policy
            .paragraphs
            .iter()
            .any(|p| p.text == "[期待される効果]"));
    }
}
