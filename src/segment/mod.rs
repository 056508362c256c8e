//! Stage 3, segment: normalized lines → the document tree.
//!
//! The segmenter reads lines in order and keeps a cursor on the innermost
//! open heading (goal → policy → measure → sub-measure). Heading lines move
//! the cursor, a table header starts a table whose rows become initiatives
//! under the cursor, prose goes to the goal it stands under. Every line ends
//! somewhere: in a field, or in the document's unplaced lines with a reason.
//!
//! Decisions that need the whole document are taken after the last line
//! (see [`Segmenter::finish`]): a heading repeated at page breaks with a typo
//! keeps the title most of its repeats print; department cells are split by
//! the vocabulary of names the document uses alone; progress marks are
//! labelled from the document's legend wherever it stands.

mod departments;
mod finish;
mod markers;
mod notations;
mod numbers;
mod outline;
mod paragraphs;
mod prose;
mod table;

use crate::document::{
    Document, ExtraCell, Goal, Heading, Initiative, LegendEntry, Location, Measure, Philosophy,
    Policy, Reference, SourceMeta, Span, SubMeasure, TableColumn, TableHeader, Text, UnplacedLine,
    Warning, WarningCode,
};
use crate::normalize::{join_wrapped, Normalized};
use markers::{HeadingMarker, Level, Marker};
use paragraphs::Unit;
use std::collections::BTreeMap;
use table::Column;

pub use numbers::fiscal_year;

/// The version of the document format, as `schema/` describes it.
pub const FORMAT_VERSION: &str = "1.0";

/// Builds the document tree of `normalized`, the lines of the input `meta`
/// describes.
pub fn segment(meta: SourceMeta, normalized: Normalized) -> Document {
    let mut segmenter = Segmenter::new(meta, normalized.warnings);
    let units = paragraphs::units(&normalized.lines);
    // Each unit's marker, read once for the outline and the state machine.
    let own_markers: Vec<Option<Marker>> =
        units.iter().map(|u| markers::classify(&u.text)).collect();
    let outline = outline::decide(&units, &own_markers);
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

/// Two titles closer than this (normalized Levenshtein similarity) are the
/// same heading printed twice, one with a typo.
const SAME_TITLE_SIMILARITY: f64 = 0.6;

/// A legend entry's label broken across lines goes on for at most this many
/// characters on the next line.
const LEGEND_CONTINUATION_MAX_CHARS: usize = 20;

/// Where the segmenter stands in the tree: the index of the open node at each
/// level, inner levels `None` when closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Cursor {
    goal: Option<usize>,
    policy: Option<usize>,
    measure: Option<usize>,
    sub_measure: Option<usize>,
}

impl Cursor {
    /// The cursor with `level` set to `index` and the levels inside it closed.
    fn opened(self, level: Level, index: usize) -> Cursor {
        match level {
            Level::Goal => Cursor {
                goal: Some(index),
                ..Cursor::default()
            },
            Level::Policy => Cursor {
                policy: Some(index),
                measure: None,
                sub_measure: None,
                ..self
            },
            Level::Measure => Cursor {
                measure: Some(index),
                sub_measure: None,
                ..self
            },
            Level::SubMeasure => Cursor {
                sub_measure: Some(index),
                ..self
            },
        }
    }

    /// The cursor up to `level`, the levels inside it closed: the key of the
    /// node at that level.
    fn up_to(self, level: Level) -> Cursor {
        match level {
            Level::Goal => Cursor {
                goal: self.goal,
                ..Cursor::default()
            },
            Level::Policy => Cursor {
                measure: None,
                sub_measure: None,
                ..self
            },
            Level::Measure => Cursor {
                sub_measure: None,
                ..self
            },
            Level::SubMeasure => self,
        }
    }
}

/// A marker line (【めざす方向】 alone) whose text is still to come: placed
/// with its text, or unplaced if something else comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PendingMarker {
    span: Span,
    /// Its source lines as printed, for the unplaced list.
    lines: Vec<(Location, String)>,
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

/// The node open at some level: its index among its siblings, its number
/// and its first title.
struct OpenNode {
    index: usize,
    number: u32,
    title: Option<String>,
}

/// A table being read: its columns and their header texts.
struct OpenTable {
    columns: Vec<Column>,
    headers: Vec<String>,
}

struct Segmenter {
    doc: Document,
    cursor: Cursor,
    table: Option<OpenTable>,
    expect: Expect,
    /// Every title printed for each node, for the majority vote at the end.
    titles: BTreeMap<Cursor, Vec<(String, Location)>>,
    /// The nodes opened under each parent, by level and number: where a
    /// heading naming an earlier node (a witness) finds it without a scan.
    siblings: BTreeMap<(Cursor, Level, u32), Vec<usize>>,
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
    section: Option<prose::SectionRef>,
    /// The category (【…】) that listed initiatives stand under.
    category: Option<String>,
    /// 【具体的な取組】 blocks, given to priority sections at the end.
    actions: Vec<prose::PendingActions>,
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
                warnings,
                unplaced: Vec::new(),
                furniture: Vec::new(),
            },
            cursor: Cursor::default(),
            table: None,
            expect: Expect::Nothing,
            titles: BTreeMap::new(),
            siblings: BTreeMap::new(),
            after_repeated_heading: false,
            previous_heading: None,
            announced_policies: None,
            announced_goals: None,
            skipped_levels: BTreeMap::new(),
            section: None,
            category: None,
            actions: Vec::new(),
        }
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
            self.unplace_at(line.location, line.raw.clone(), reason);
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
        if unit.is_row() {
            if let Some(columns) = table::read_header(unit.cells()) {
                self.table_header(unit, columns);
                return;
            }
            if let Some(open) = self.table.take() {
                self.table_row(unit, &open);
                self.table = Some(open);
                return;
            }
        }
        let text = unit.text.clone();
        if unit.split_off {
            self.warn(
                WarningCode::HeadingSplit,
                unit.location(),
                format!("the line held a second heading, {text:?}, glued onto the first; read as two headings"),
            );
        }
        if self.doc.goals.is_empty() {
            if let Some(count) = markers::announced_goal_count(&text) {
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
        if self.prose_in_context(marker.as_ref(), unit, previous_heading) {
            return;
        }
        match marker {
            Some(Marker::Heading(heading)) => {
                self.table = None;
                let badge = self.take_badge(heading.level);
                self.expect_next(Expect::Nothing);
                self.heading(heading, &text, unit, badge);
            }
            Some(Marker::Philosophy(content)) => {
                self.table = None;
                match content {
                    Some(content) => {
                        let label = text.strip_suffix(content.as_str()).map(str::trim);
                        let label = label.map(str::to_string);
                        self.place_philosophy(text_of(content, unit), label);
                    }
                    None => {
                        // A label under a label (`１ 計画の理念` / `基本理念`):
                        // the outer one is a heading of the text, kept as prose.
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
                        self.expect_next(Expect::Philosophy(pending(unit)));
                    }
                }
            }
            Some(Marker::Direction(content)) => self.direction_marker(content, unit),
            Some(Marker::Legend(entries)) => {
                for (mark, label) in entries {
                    self.doc.legends.push(LegendEntry {
                        mark,
                        label,
                        span: unit.span(),
                    });
                }
                self.expect_next(Expect::LegendMore);
            }
            Some(prose) => self.prose_marker(prose, unit),
            None => self.plain_text(text, unit),
        }
    }

    fn direction_marker(&mut self, content: Option<String>, unit: &Unit) {
        self.table = None;
        if self.cursor.goal.is_none() {
            self.unplace(unit, "【めざす方向】 before any goal heading");
            return;
        }
        match content {
            Some(content) => {
                self.place_direction(text_of(content, unit));
                self.expect_next(Expect::DirectionMore);
            }
            None => self.expect_next(Expect::Direction(pending(unit))),
        }
    }

    fn plain_text(&mut self, text: String, unit: &Unit) {
        let at = unit.location();
        let span = unit.span();
        // What was expected is consumed here, or given up.
        match std::mem::replace(&mut self.expect, Expect::Nothing) {
            Expect::Title { level, repeat } => {
                if !repeat || self.is_title_of_open(level, &text) {
                    self.place_title(level, &text, unit);
                    return;
                }
            }
            Expect::Philosophy(marker) => {
                let label = Some(marker.label());
                self.place_philosophy(text_from(text, &marker, span), label);
                return;
            }
            Expect::PhilosophySubtitle => {
                if let Some(subtitle) = tilde_subtitle(&text) {
                    if let Some(philosophy) = self
                        .doc
                        .philosophy
                        .as_mut()
                        .filter(|p| p.subtitle.is_none())
                    {
                        if let Some(reached) = philosophy.span.reaching(span.end()) {
                            philosophy.subtitle = Some(subtitle);
                            philosophy.span = reached;
                            return;
                        }
                    }
                }
            }
            Expect::Direction(marker) => {
                self.expect = Expect::DirectionMore;
                self.place_direction(text_from(text, &marker, span));
                return;
            }
            Expect::DirectionMore => {
                if let Some(direction) = self.goal_mut().direction.as_mut() {
                    // On the next page it is a paragraph of its own place.
                    if let Some(reached) = direction.span.reaching(span.end()) {
                        direction.text = join_wrapped(&direction.text, &text);
                        direction.span = reached;
                        self.expect = Expect::DirectionMore;
                        return;
                    }
                }
            }
            Expect::LegendMore => {
                if text.chars().count() <= LEGEND_CONTINUATION_MAX_CHARS {
                    if let Some(entry) = self
                        .doc
                        .legends
                        .last_mut()
                        .filter(|e| e.span.page == span.page)
                    {
                        let message = format!(
                            "legend entry {}:{} continues on the next line {:?}; joined",
                            entry.mark, entry.label, text
                        );
                        entry.label = join_wrapped(&entry.label, &text);
                        entry.span = entry.span.through(span.end());
                        self.warn(WarningCode::LegendJoined, at, message);
                        return;
                    }
                }
            }
            Expect::Subtitle => {
                if let Some(subtitle) = prose::bracketed_subtitle(&text) {
                    let section = self
                        .open_section_mut()
                        .expect("a subtitle follows its section");
                    section.subtitle = Some(subtitle);
                    section.headings.extend(headings_of(unit));
                    return;
                }
            }
            Expect::Actions(marker) => {
                self.read_actions(text_from(text, &marker, span));
                return;
            }
            previous @ (Expect::PriorityFor(_) | Expect::GoalList { .. } | Expect::Nothing) => {
                self.expect = previous;
                self.expect_next(Expect::Nothing);
            }
        }
        if self.table.is_some() {
            self.unplace(unit, "a line inside a table that is not a row of it");
            return;
        }
        self.place_paragraph(text_of(text, unit));
    }

    /// Prose goes into the open section, else under the innermost open
    /// policy or goal, else before the first goal (the title first).
    fn place_paragraph(&mut self, text: Text) {
        if let Some(section) = self.open_section_mut() {
            section.paragraphs.push(text);
            return;
        }
        let owner = self.current_owner();
        if owner == prose::Owner::Document
            && self.doc.title.is_none()
            && self.doc.preamble.is_empty()
        {
            self.doc.title = Some(text);
            return;
        }
        self.place_in_owner(owner, text);
    }

    /// The document's 基本理念, found by `label`; a second one is kept in
    /// the preamble.
    fn place_philosophy(&mut self, text: Text, label: Option<String>) {
        if self.doc.philosophy.is_some() {
            self.warn_repeated_marker("【基本理念】", "the preamble", &text);
            // The label's line is covered by the text's span: keep its words.
            let text = match label {
                Some(label) => Text {
                    text: format!("{label} {}", text.text),
                    span: text.span,
                },
                None => text,
            };
            self.doc.preamble.push(text);
            return;
        }
        let (slogan, subtitle) = split_subtitle(&text.text);
        self.doc.philosophy = Some(Philosophy {
            text: unquoted(&slogan).to_string(),
            label,
            subtitle,
            span: text.span,
        });
        self.expect_next(Expect::PhilosophySubtitle);
    }

    /// The open goal's 【めざす方向】; a second one under the same goal is
    /// kept among its descriptions.
    fn place_direction(&mut self, text: Text) {
        if self.goal_mut().direction.is_none() {
            self.goal_mut().direction = Some(text);
            return;
        }
        self.warn_repeated_marker("【めざす方向】", "the goal's descriptions", &text);
        self.goal_mut().descriptions.push(text);
    }

    fn warn_repeated_marker(&mut self, marker: &str, kept_in: &str, text: &Text) {
        let at = text.span.start();
        self.warn(
            WarningCode::RepeatedMarker,
            at,
            format!("{marker} appears a second time; its text is kept in {kept_in}"),
        );
    }

    fn goal_mut(&mut self) -> &mut Goal {
        let goal = self.cursor.goal.expect("a goal is open");
        &mut self.doc.goals[goal]
    }

    /// A heading line: the same node again (a page-break repeat), or a new
    /// node under the cursor.
    fn heading(
        &mut self,
        marker: HeadingMarker,
        text: &str,
        unit: &Unit,
        badge: Option<PendingMarker>,
    ) {
        let at = unit.location();
        if let Some(ancestors) = &marker.ancestors {
            self.move_to_ancestors(marker.level, ancestors);
        }
        let level = self.placed_level(marker.level, text, unit);
        let marker = HeadingMarker { level, ..marker };
        self.section = None;
        self.category = None;
        let Some(current) = self.current_at(level) else {
            if let Some(badge) = badge {
                self.expect = Expect::PriorityFor(badge);
                self.expect_next(Expect::Nothing);
            }
            self.unplace(unit, missing_parent_reason(level));
            self.warn(
                WarningCode::MissingParent,
                at,
                format!("heading {text:?} has no {} above it", parent_name(level)),
            );
            return;
        };
        if let Some(index) = self.earlier_sibling(level, &marker, current.as_ref()) {
            self.cursor = self.cursor.opened(level, index);
            self.warn(
                WarningCode::HeadingWitness,
                at,
                format!(
                    "heading {text:?} names {} {} read earlier; read as that node again",
                    level_name(level),
                    marker.number
                ),
            );
            self.repeat_heading(level, index, &marker, heading_lines(text, unit));
            self.after_heading(&marker, at, badge);
            self.witness_item(marker.item, unit);
            return;
        }
        if let Some(OpenNode {
            index,
            number,
            title,
        }) = current
        {
            if number == marker.number {
                if same_title(title.as_deref(), marker.title.as_deref()) {
                    self.repeat_heading(level, index, &marker, heading_lines(text, unit));
                    self.after_heading(&marker, at, badge);
                    self.witness_item(marker.item, unit);
                    return;
                }
                self.warn(
                    WarningCode::DuplicateNumber,
                    at,
                    format!(
                        "heading {text:?} repeats the number {} of the heading before it ({:?}) with another title; read as a new heading",
                        marker.number,
                        title.unwrap_or_default()
                    ),
                );
            }
        }
        self.open_heading(level, &marker, heading_lines(text, unit));
        self.after_heading(&marker, at, badge);
    }

    /// The text a second witness prints after the title it repeats: the
    /// node's one item when its own text lists none (a progress sheet
    /// giving the target of a section written as prose), else a paragraph.
    /// Either way the guess is a warning.
    fn witness_item(&mut self, item: Option<String>, unit: &Unit) {
        let Some(item) = item else { return };
        let at = unit.location();
        if self.initiatives_under_cursor().is_empty() {
            self.warn(
                WarningCode::HeadingWitness,
                at,
                format!(
                    "{item:?}, printed after the title of a heading read earlier, is read as the one item of {}, whose own text lists none",
                    self.cursor_description()
                ),
            );
            let mut initiative = Initiative::empty(Span::line(at));
            initiative.name = Some(item);
            self.attach(initiative);
        } else {
            self.warn(
                WarningCode::HeadingWitness,
                at,
                format!(
                    "{item:?}, printed after the title of a heading read earlier, is kept as a paragraph: {} lists its items already",
                    self.cursor_description()
                ),
            );
            self.place_paragraph(text_at(item, at));
        }
    }

    /// The level a heading printed at `printed` is read at. Plans skip
    /// levels (具体的な施策 ① straight under a 基本目標): a heading whose
    /// parent level is not open stands one level under the innermost open
    /// node, and later headings of its style stand at that level too, with
    /// a warning each. Before any goal nothing is open to stand under: the
    /// heading keeps its level (and is listed as unplaced).
    fn placed_level(&mut self, printed: Level, text: &str, unit: &Unit) -> Level {
        if self.current_at(printed).is_some() || self.cursor.goal.is_none() {
            return printed;
        }
        let placed = match self.skipped_levels.get(&printed) {
            Some(&placed) if self.current_at(placed).is_some() => placed,
            _ => {
                let c = self.cursor;
                let under_innermost = if c.policy.is_none() {
                    Level::Policy
                } else if c.measure.is_none() {
                    Level::Measure
                } else {
                    Level::SubMeasure
                };
                if under_innermost >= printed {
                    return printed;
                }
                self.skipped_levels.insert(printed, under_innermost);
                under_innermost
            }
        };
        self.warn(
            WarningCode::MissingParent,
            unit.location(),
            format!(
                "heading {text:?} has no {} above it; read as a {}, the level under the open {}",
                parent_name(printed),
                level_name(placed),
                level_name(parent_level(placed)),
            ),
        );
        placed
    }

    /// What every heading, new or repeated, does to the state: a priority
    /// badge (on its line, or alone just before it) flags the policy, a
    /// printed parent number is checked, a `２ title` line may continue it.
    fn after_heading(
        &mut self,
        marker: &HeadingMarker,
        at: Location,
        badge: Option<PendingMarker>,
    ) {
        self.previous_heading = Some((marker.level, marker.number));
        if marker.level == Level::Policy && (marker.priority || badge.is_some()) {
            if let Some(policy) = self.open_policy_mut() {
                policy.priority = true;
                for (at, raw) in badge.into_iter().flat_map(|b| b.lines) {
                    policy.headings.push(heading_at(raw.trim(), at));
                }
            }
        }
        if let (Some(parent), Level::Policy) = (marker.parent, marker.level) {
            let goal = self.cursor.goal.map(|g| self.doc.goals[g].number);
            if goal != Some(parent) {
                self.warn(
                    WarningCode::MissingParent,
                    at,
                    format!(
                        "the heading names goal {parent} as its parent but stands under goal {}",
                        goal.map_or("(none)".to_string(), |g| g.to_string())
                    ),
                );
            }
        }
    }

    /// Moves the cursor to the nodes numbered `ancestors` (from the goal
    /// down) above a heading of `level`: the last node of each number, under
    /// the one found above it. Stops where a number is not found.
    fn move_to_ancestors(&mut self, level: Level, ancestors: &[u32]) {
        let levels = [Level::Goal, Level::Policy, Level::Measure];
        for (&above, &number) in levels
            .iter()
            .zip(ancestors)
            .take_while(|(l, _)| **l < level)
        {
            let c = self.cursor;
            let numbers: Vec<u32> = match above {
                Level::Goal => self.doc.goals.iter().map(|g| g.number).collect(),
                Level::Policy => match c.goal {
                    Some(g) => self.doc.goals[g]
                        .policies
                        .iter()
                        .map(|p| p.number)
                        .collect(),
                    None => return,
                },
                Level::Measure | Level::SubMeasure => match (c.goal, c.policy) {
                    (Some(g), Some(p)) => self.doc.goals[g].policies[p]
                        .measures
                        .iter()
                        .map(|m| m.number)
                        .collect(),
                    _ => return,
                },
            };
            let Some(index) = numbers.iter().rposition(|&n| n == number) else {
                return;
            };
            if self.current_at(above).flatten().map(|node| node.index) != Some(index) {
                self.cursor = c.opened(above, index);
            }
        }
    }

    /// A node at `level` under the open parent, other than the open one,
    /// with the number and title of `marker`: the heading is a second
    /// witness of it (a table of contents, a chart, a second listing).
    fn earlier_sibling(
        &self,
        level: Level,
        marker: &HeadingMarker,
        current: Option<&OpenNode>,
    ) -> Option<usize> {
        let title = marker.title.as_deref()?;
        let open = current.map(|node| node.index);
        let same_number = self
            .siblings
            .get(&(self.parent_key(level), level, marker.number))?;
        same_number.iter().copied().find(|&index| {
            Some(index) != open
                && self.sibling_title(level, index).is_some_and(|other| {
                    titles_match(other, title) || same_title(Some(other), Some(title))
                })
        })
    }

    /// The key of the node a heading of `level` stands under (the
    /// document's for a goal).
    fn parent_key(&self, level: Level) -> Cursor {
        match level {
            Level::Goal => Cursor::default(),
            Level::Policy => self.cursor.up_to(Level::Goal),
            Level::Measure => self.cursor.up_to(Level::Policy),
            Level::SubMeasure => self.cursor.up_to(Level::Measure),
        }
    }

    /// The title of the sibling `index` at `level` under the open parent.
    fn sibling_title(&self, level: Level, index: usize) -> Option<&str> {
        let c = self.cursor;
        let goals = &self.doc.goals;
        match level {
            Level::Goal => goals.get(index)?.title.as_deref(),
            Level::Policy => goals[c.goal?].policies.get(index)?.title.as_deref(),
            Level::Measure => goals[c.goal?].policies[c.policy?]
                .measures
                .get(index)?
                .title
                .as_deref(),
            Level::SubMeasure => goals[c.goal?].policies[c.policy?].measures[c.measure?]
                .sub_measures
                .get(index)?
                .title
                .as_deref(),
        }
    }

    /// The badge waiting for a heading of `level` (only policies take one).
    fn take_badge(&mut self, level: Level) -> Option<PendingMarker> {
        if level != Level::Policy {
            return None;
        }
        match std::mem::replace(&mut self.expect, Expect::Nothing) {
            Expect::PriorityFor(badge) => Some(badge),
            other => {
                self.expect = other;
                None
            }
        }
    }

    /// The node open at `level`: `None` if its parent is not open (no place
    /// for a heading of that level), `Some(None)` if no node of that level
    /// is open yet.
    fn current_at(&self, level: Level) -> Option<Option<OpenNode>> {
        let c = self.cursor;
        let open = |index: usize, number: u32, title: &Option<String>| OpenNode {
            index,
            number,
            title: title.clone(),
        };
        let found = match level {
            Level::Goal => c
                .goal
                .map(|g| open(g, self.doc.goals[g].number, &self.doc.goals[g].title)),
            Level::Policy => {
                let policies = &self.doc.goals[c.goal?].policies;
                c.policy
                    .map(|p| open(p, policies[p].number, &policies[p].title))
            }
            Level::Measure => {
                let measures = &self.doc.goals[c.goal?].policies[c.policy?].measures;
                c.measure
                    .map(|m| open(m, measures[m].number, &measures[m].title))
            }
            Level::SubMeasure => {
                let subs =
                    &self.doc.goals[c.goal?].policies[c.policy?].measures[c.measure?].sub_measures;
                c.sub_measure
                    .map(|s| open(s, subs[s].number, &subs[s].title))
            }
        };
        Some(found)
    }

    fn repeat_heading(
        &mut self,
        level: Level,
        index: usize,
        marker: &HeadingMarker,
        headings: Vec<Heading>,
    ) {
        let at = headings[0].location();
        let key = self.cursor.up_to(level).opened(level, index).up_to(level);
        if let Some(title) = &marker.title {
            self.titles
                .entry(key)
                .or_default()
                .push((title.clone(), at));
        }
        self.node_parts(key).1.extend(headings);
        if matches!(level, Level::Goal | Level::Policy) {
            self.after_repeated_heading = true;
        }
        if marker.title.is_none() {
            self.expect_next(Expect::Title {
                level,
                repeat: true,
            });
        }
    }

    fn open_heading(&mut self, level: Level, marker: &HeadingMarker, headings: Vec<Heading>) {
        let at = headings[0].location();
        let title = marker.title.clone();
        let parent = self.parent_key(level);
        let c = self.cursor;
        let index = match level {
            Level::Goal => push(
                &mut self.doc.goals,
                Goal {
                    number: marker.number,
                    title,
                    level_word: marker.word.clone(),
                    headings,
                    direction: None,
                    descriptions: Vec::new(),
                    sections: Vec::new(),
                    policies: Vec::new(),
                    initiatives: Vec::new(),
                },
            ),
            Level::Policy => push(
                &mut self.doc.goals[c.goal.unwrap_or_default()].policies,
                Policy {
                    number: marker.number,
                    title,
                    level_word: marker.word.clone(),
                    headings,
                    description: None,
                    priority: false,
                    paragraphs: Vec::new(),
                    sections: Vec::new(),
                    measures: Vec::new(),
                    initiatives: Vec::new(),
                },
            ),
            Level::Measure => push(
                &mut self.policy_at(c).measures,
                Measure {
                    number: marker.number,
                    title,
                    level_word: marker.word.clone(),
                    headings,
                    sub_measures: Vec::new(),
                    initiatives: Vec::new(),
                },
            ),
            Level::SubMeasure => push(
                &mut self.policy_at(c).measures[c.measure.unwrap_or_default()].sub_measures,
                SubMeasure {
                    number: marker.number,
                    title,
                    level_word: marker.word.clone(),
                    headings,
                    initiatives: Vec::new(),
                },
            ),
        };
        self.siblings
            .entry((parent, level, marker.number))
            .or_default()
            .push(index);
        self.cursor = c.opened(level, index);
        if let Some(title) = &marker.title {
            self.titles
                .entry(self.cursor)
                .or_default()
                .push((title.clone(), at));
        }
        self.after_repeated_heading = false;
        if marker.title.is_none() {
            self.expect_next(Expect::Title {
                level,
                repeat: false,
            });
        }
    }

    fn policy_at(&mut self, c: Cursor) -> &mut Policy {
        &mut self.doc.goals[c.goal.unwrap_or_default()].policies[c.policy.unwrap_or_default()]
    }

    /// The title and headings of the node `key` names (its deepest level).
    fn node_parts(&mut self, key: Cursor) -> (&mut Option<String>, &mut Vec<Heading>) {
        let goal = &mut self.doc.goals[key.goal.unwrap_or_default()];
        let Some(policy) = key.policy.map(|p| &mut goal.policies[p]) else {
            return (&mut goal.title, &mut goal.headings);
        };
        let Some(measure) = key.measure.map(|m| &mut policy.measures[m]) else {
            return (&mut policy.title, &mut policy.headings);
        };
        match key.sub_measure.map(|s| &mut measure.sub_measures[s]) {
            Some(sub) => (&mut sub.title, &mut sub.headings),
            None => (&mut measure.title, &mut measure.headings),
        }
    }

    fn table_header(&mut self, unit: &Unit, columns: Vec<Column>) {
        let at = unit.location();
        self.expect_next(Expect::Nothing);
        let year = unit.cells().iter().find_map(|cell| fiscal_year(cell));
        self.doc.tables.push(TableHeader {
            columns: unit
                .cells()
                .iter()
                .zip(&columns)
                .map(|(header, column)| TableColumn {
                    header: header.clone(),
                    field: column.field_names().map(str::to_string),
                })
                .collect(),
            fiscal_year: year,
            span: Span::line(at),
        });
        if self.after_repeated_heading
            && self.table.is_none()
            && !self.initiatives_under_cursor().is_empty()
        {
            let under = self.cursor_description();
            self.warn(
                WarningCode::TableContinued,
                at,
                format!("the table goes on after a repeated page heading with no new heading; its rows are kept under {under}"),
            );
        }
        self.after_repeated_heading = false;
        self.table = Some(OpenTable {
            columns,
            headers: unit.cells().to_vec(),
        });
    }

    fn table_row(&mut self, unit: &Unit, table: &OpenTable) {
        let at = unit.location();
        let row = table::align(unit.cells(), &table.columns);
        if !row.moved.is_empty() {
            // Columns left empty between filled ones are the guess a reader
            // should check: the cell may be missing, or merged into another.
            let first = row.by_column.iter().position(Option::is_some).unwrap_or(0);
            let last = row.by_column.iter().rposition(Option::is_some).unwrap_or(0);
            let empty: Vec<&str> = (first..last)
                .filter(|&j| row.by_column[j].is_none())
                .filter_map(|j| table.columns[j].field_names())
                .collect();
            let left_empty = if empty.is_empty() {
                String::new()
            } else {
                format!("; left empty: {}", empty.join(", "))
            };
            self.warn(
                WarningCode::RowRealigned,
                at,
                format!(
                    "{} cell(s) did not stand under their header and were placed by their content: {}{left_empty}",
                    row.moved.len(),
                    quote_list(&row.moved)
                ),
            );
        }
        for joined in &row.joined {
            self.warn(
                WarningCode::CellsJoined,
                at,
                format!("number and name stood in two cells; joined as {joined:?}"),
            );
        }
        let mut initiative = Initiative::empty(Span::line(at));
        let mut has_content = false;
        for ((column, header), cell) in table.columns.iter().zip(&table.headers).zip(&row.by_column)
        {
            let Some(cell) = cell else { continue };
            if *column == Column::Policy {
                self.policy_cell(cell, unit);
            } else {
                has_content = true;
                fill(&mut initiative, *column, header, cell);
            }
        }
        let unnumbered = initiative.number.is_none() && initiative.name.is_some();
        if unnumbered && table.columns.contains(&Column::NumberName) {
            self.warn(
                WarningCode::MissingCell,
                at,
                "the row's number,name cell has no number; read as the name alone".into(),
            );
        }
        for column in &row.missing {
            if has_content {
                self.warn(
                    WarningCode::MissingCell,
                    at,
                    format!(
                        "the row has no {} cell",
                        column.field_names().unwrap_or("?")
                    ),
                );
            }
        }
        if !has_content {
            if !row.unaligned.is_empty() {
                self.unplace(unit, "a table row with no initiative in it");
            }
            return;
        }
        for text in row.unaligned {
            self.warn(
                WarningCode::ExtraCell,
                at,
                format!("cell {text:?} fits no column; kept among the initiative's extra cells"),
            );
            initiative.extra_cells.push(ExtraCell {
                header: String::new(),
                text,
            });
        }
        self.flags(&mut initiative, at);
        self.attach(initiative);
    }

    /// The flags printed inside an initiative's text: 【全市的取組】,
    /// 【…事業終了】, 【再掲…】.
    fn flags(&mut self, initiative: &mut Initiative, at: Location) {
        let texts: Vec<String> = [
            &initiative.name,
            &initiative.status,
            &initiative.evaluation,
            &initiative.direction,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        for text in &texts {
            initiative.citywide |= markers::CITYWIDE.is_match(text);
            initiative.discontinued |= markers::DISCONTINUED.is_match(text);
            if initiative.reposted_from.is_none() {
                if let Some(c) = markers::REPOSTED.captures(text) {
                    let (reference, unreadable) = read_reference(&c[1]);
                    if unreadable {
                        self.warn(
                            WarningCode::UnreadableReference,
                            at,
                            format!("could not read all of the reference {:?}", &c[0]),
                        );
                    }
                    initiative.reposted_from = Some(reference);
                }
            }
        }
    }

    /// A table's policy cell: `(N)title ⇒description` opens a policy;
    /// `⇒description` alone continues the open one's description.
    fn policy_cell(&mut self, cell: &str, unit: &Unit) {
        let at = unit.location();
        let (head, description) = match cell.split_once('⇒') {
            Some((head, description)) => (head.trim(), Some(description.trim())),
            None => (cell.trim(), None),
        };
        if head.is_empty() {
            let Some(policy) = self.open_policy_mut() else {
                self.unplace(unit, "a policy description with no policy above it");
                return;
            };
            let description = description.unwrap_or_default();
            let number = policy.number;
            let more = text_at(description.to_string(), at);
            let continued_on_page = match policy.description.as_mut() {
                Some(existing) => match existing.span.reaching(at) {
                    Some(reached) => {
                        existing.text = join_wrapped(&existing.text, description);
                        existing.span = reached;
                        true
                    }
                    // Continued on the next page: kept where it stands.
                    None => {
                        policy.paragraphs.push(more);
                        false
                    }
                },
                None => {
                    policy.description = Some(more);
                    true
                }
            };
            let kept = if continued_on_page {
                "joined"
            } else {
                "kept among its paragraphs, on the next page"
            };
            self.warn(
                WarningCode::DescriptionContinued,
                at,
                format!("the description of policy ({number}) continues in the next row: {description:?}; {kept}"),
            );
            return;
        }
        let Some(Marker::Heading(marker)) = markers::classify(head) else {
            self.unplace(
                unit,
                "a policy cell that does not start with a policy number",
            );
            return;
        };
        let marker = HeadingMarker {
            level: Level::Policy,
            ..marker
        };
        self.heading(marker, head, unit, None);
        let (Some(description), Some(policy)) = (description, self.open_policy_mut()) else {
            return;
        };
        let text = text_at(description.to_string(), at);
        match &policy.description {
            None => policy.description = Some(text),
            // The policy cell printed again with its description (a page
            // break): the heading is recorded, the text is already kept.
            Some(kept) if titles_match(&kept.text, description) => {}
            Some(_) => {
                let number = policy.number;
                policy.paragraphs.push(text);
                self.warn(
                    WarningCode::RepeatedMarker,
                    at,
                    format!("policy ({number}) has a second ⇒ description {description:?}; kept among its paragraphs"),
                );
            }
        }
    }

    fn open_policy_mut(&mut self) -> Option<&mut Policy> {
        let c = self.cursor;
        self.doc.goals.get_mut(c.goal?)?.policies.get_mut(c.policy?)
    }

    fn initiatives_under_cursor_mut(&mut self) -> &mut Vec<Initiative> {
        let c = self.cursor;
        let Some(goal) = c.goal.map(|g| &mut self.doc.goals[g]) else {
            return &mut self.doc.initiatives;
        };
        let Some(policy) = c.policy.map(|p| &mut goal.policies[p]) else {
            return &mut goal.initiatives;
        };
        let Some(measure) = c.measure.map(|m| &mut policy.measures[m]) else {
            return &mut policy.initiatives;
        };
        match c.sub_measure {
            Some(s) => &mut measure.sub_measures[s].initiatives,
            None => &mut measure.initiatives,
        }
    }

    fn initiatives_under_cursor(&self) -> &[Initiative] {
        let c = self.cursor;
        let Some(goal) = c.goal.map(|g| &self.doc.goals[g]) else {
            return &self.doc.initiatives;
        };
        let Some(policy) = c.policy.map(|p| &goal.policies[p]) else {
            return &goal.initiatives;
        };
        let Some(measure) = c.measure.map(|m| &policy.measures[m]) else {
            return &policy.initiatives;
        };
        match c.sub_measure {
            Some(s) => &measure.sub_measures[s].initiatives,
            None => &measure.initiatives,
        }
    }

    /// Adds an initiative under the innermost open heading.
    fn attach(&mut self, initiative: Initiative) {
        if self.cursor.goal.is_none() {
            self.warn(
                WarningCode::MissingParent,
                initiative.span.start(),
                "a table row before any goal heading".into(),
            );
        }
        self.initiatives_under_cursor_mut().push(initiative);
    }

    fn cursor_description(&self) -> String {
        let c = self.cursor;
        let mut parts = Vec::new();
        if let Some(goal) = c.goal.map(|g| &self.doc.goals[g]) {
            parts.push(format!("goal {}", goal.number));
            if let Some(policy) = c.policy.map(|p| &goal.policies[p]) {
                parts.push(format!("policy {}", policy.number));
                if let Some(measure) = c.measure.map(|m| &policy.measures[m]) {
                    parts.push(format!("measure ({})", measure.number));
                    if let Some(sub) = c.sub_measure.map(|s| &measure.sub_measures[s]) {
                        parts.push(format!(
                            "sub-measure {} {}",
                            sub.number,
                            sub.title.as_deref().unwrap_or("")
                        ));
                    }
                }
            }
        }
        parts.join(", ")
    }
}

/// Puts one cell's content into the initiative's fields.
fn fill(initiative: &mut Initiative, column: Column, header: &str, cell: &str) {
    match column {
        Column::NumberName => match table::read_number_name(cell) {
            Some((number, name)) => {
                initiative.number = Some(number);
                initiative.name = name;
            }
            None => initiative.name = Some(cell.to_string()),
        },
        Column::Number => initiative.number = cell.parse().ok(),
        Column::LocalNumber => initiative.local_number = cell.parse().ok(),
        Column::Status => initiative.status = Some(cell.to_string()),
        Column::Evaluation => initiative.evaluation = Some(cell.to_string()),
        Column::Direction => initiative.direction = Some(cell.to_string()),
        Column::Achievement => {
            if let Some((code, label)) = table::read_achievement(cell) {
                initiative.achievement_code = Some(code);
                initiative.achievement_label = Some(label);
            }
        }
        Column::Contribution => {
            if let Some((code, label)) = table::read_contribution(cell) {
                initiative.contribution_code = Some(code);
                initiative.contribution_label = Some(label);
            }
        }
        Column::Departments => {
            initiative.departments_cell = Some(cell.to_string());
            initiative.plan_pages = departments::plan_pages(cell);
        }
        Column::Progress => initiative.progress_mark = Some(cell.to_string()),
        Column::Unknown | Column::Policy => {
            initiative.extra_cells.push(ExtraCell {
                header: header.to_string(),
                text: cell.to_string(),
            });
        }
    }
}

/// Reads `Ⅲ-1-(2)-①` as goal 3, policy 1, measure 2, sub-measure 1; the
/// flag is true if some part could not be read.
fn read_reference(inner: &str) -> (Reference, bool) {
    let mut numbers = Vec::new();
    let mut unreadable = false;
    if !inner.trim().is_empty() {
        for part in inner.split(['-', '－', '‐']) {
            let part = part
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .trim();
            match numbers::leading_number(part) {
                Some((n, len)) if len == part.len() => numbers.push(Some(n)),
                _ => {
                    unreadable = true;
                    numbers.push(None);
                }
            }
        }
    }
    let at = |i: usize| numbers.get(i).copied().flatten();
    let reference = Reference {
        goal: at(0),
        policy: at(1),
        measure: at(2),
        sub_measure: at(3),
    };
    (reference, unreadable || numbers.len() > 4)
}

fn push<T>(list: &mut Vec<T>, item: T) -> usize {
    list.push(item);
    list.len() - 1
}

fn text_at(text: String, at: Location) -> Text {
    Text {
        text,
        span: Span::line(at),
    }
}

/// The text of `unit`, with its span.
fn text_of(text: String, unit: &Unit) -> Text {
    Text {
        text,
        span: unit.span(),
    }
}

/// A marker standing alone, waiting for its text in the next unit.
fn pending(unit: &Unit) -> PendingMarker {
    PendingMarker {
        span: unit.span(),
        lines: unit
            .text_lines()
            .map(|line| (line.location, line.raw.clone()))
            .collect(),
    }
}

impl PendingMarker {
    /// The marker's lines as printed, joined: a label.
    fn label(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(_, raw)| raw.trim()).collect();
        crate::normalize::normalize_chars(&lines.join(" "))
            .trim()
            .to_string()
    }
}

/// `slogan〜subtitle〜`: the text and its subtitle, when it ends in one.
fn split_subtitle(text: &str) -> (String, Option<String>) {
    let trimmed = text.trim_end();
    let Some(inner) = trimmed.strip_suffix(TILDES) else {
        return (text.to_string(), None);
    };
    match inner.rfind(TILDES) {
        Some(open) if open > 0 => {
            let tilde = inner[open..].chars().next().map_or(1, char::len_utf8);
            let subtitle = inner[open + tilde..].trim();
            (
                inner[..open].trim_end().to_string(),
                (!subtitle.is_empty()).then(|| subtitle.to_string()),
            )
        }
        _ => (text.to_string(), None),
    }
}

/// A line that is only a subtitle: `〜subtitle〜`.
fn tilde_subtitle(text: &str) -> Option<String> {
    let inner = text
        .trim()
        .strip_prefix(TILDES)?
        .strip_suffix(TILDES)?
        .trim();
    (!inner.is_empty() && !inner.contains(TILDES)).then(|| inner.to_string())
}

/// The wave dashes that enclose a subtitle (NFKC leaves `〜` as the
/// normalize stage writes `～`).
const TILDES: &[char] = &['〜', '~'];

/// A slogan without the 「」 or 『』 that enclose it whole.
fn unquoted(text: &str) -> &str {
    let text = text.trim();
    for (open, close) in [('「', '」'), ('『', '』')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            if !inner.contains([open, close]) {
                return inner.trim();
            }
        }
    }
    text
}

/// Text whose marker stood alone before it: its span covers both, so the
/// marker's lines are accounted for.
fn text_from(text: String, marker: &PendingMarker, span: Span) -> Text {
    Text {
        text,
        span: marker.span.through(span.end()),
    }
}

/// The heading `text` read from `unit`: on its line, or for a heading
/// joined from several lines, one per line.
fn heading_lines(text: &str, unit: &Unit) -> Vec<Heading> {
    if unit.text_lines().count() > 1 {
        headings_of(unit)
    } else {
        vec![heading_at(text, unit.location())]
    }
}

/// One heading per source line of `unit`: a heading wrapped over two lines
/// is located on both.
fn headings_of(unit: &Unit) -> Vec<Heading> {
    unit.text_lines()
        .map(|line| heading_at(&line.text(), line.location))
        .collect()
}

fn heading_at(text: &str, at: Location) -> Heading {
    Heading {
        text: text.to_string(),
        page: at.page,
        line: at.line,
    }
}

/// Two titles of one node: equal once white space is taken out (a table
/// of contents pads its titles with spaces).
fn titles_match(a: &str, b: &str) -> bool {
    without_spaces(a) == without_spaces(b)
}

/// A title as two witnesses of one heading are matched: without white
/// space (a table of contents pads titles with spaces).
pub(super) fn without_spaces(title: &str) -> String {
    title.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Two titles of one heading printed twice, one perhaps with a typo
/// (normalized Levenshtein similarity at least [`SAME_TITLE_SIMILARITY`]);
/// a missing title matches any.
pub(super) fn same_title(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => strsim::normalized_levenshtein(a, b) >= SAME_TITLE_SIMILARITY,
        _ => true,
    }
}

fn parent_name(level: Level) -> &'static str {
    match level {
        Level::Goal => "document",
        Level::Policy => "goal (基本目標)",
        Level::Measure => "policy (基本方針/基本施策)",
        Level::SubMeasure => "measure ((1)…)",
    }
}

/// The level a heading of `level` stands under.
fn parent_level(level: Level) -> Level {
    match level {
        Level::Goal | Level::Policy => Level::Goal,
        Level::Measure => Level::Policy,
        Level::SubMeasure => Level::Measure,
    }
}

/// What a node of `level` is called in messages.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::Goal => "goal (基本目標)",
        Level::Policy => "policy (基本方針/基本施策)",
        Level::Measure => "measure ((1)…)",
        Level::SubMeasure => "sub-measure (①…)",
    }
}

fn missing_parent_reason(level: Level) -> &'static str {
    match level {
        Level::Goal => "a goal heading with no place in the document",
        Level::Policy => "a policy heading before any goal heading",
        Level::Measure => "a measure heading before any policy heading",
        Level::SubMeasure => "a sub-measure heading before any measure heading",
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::document::WarningCode;

    fn convert(text: &str) -> crate::Document {
        crate::convert("t.txt", text.as_bytes()).unwrap()
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
