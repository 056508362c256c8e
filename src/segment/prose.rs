//! The segmenter's reading of brochure prose: priority badges and sections,
//! lists of initiatives, data call-outs, categories, headings read from
//! their context, and goals listed under a label.
//!
//! These are methods of the same state machine as the table reading in
//! `rows.rs`; they live here because they are a different kind of document.
//! Where sections go is `sections.rs`; the 【具体的な取組】 blocks given to
//! them at the end, `actions.rs`.

use super::markers::{self, Level, Marker};
use super::paragraphs::{Unit, SENTENCE_ENDS};
use super::{headings_of, pending, same_title, text_of, Expect, Segmenter};
use crate::document::{
    Goal, Heading, Initiative, Location, Section, SectionKind, Text, WarningCode,
};
use crate::normalize::join_wrapped;
use crate::quoted::Quoted;

/// An action's title counted by a label line is a display line of at most
/// this many characters.
const MAX_ACTION_TITLE_CHARS: usize = 40;

impl Segmenter {
    /// Readings that depend on what came before: a goal listed under a 目標
    /// label, a numbered line that continues the heading list of
    /// `previous_heading` (the unit just before), a list of initiatives
    /// ending. True if the unit was consumed.
    pub(super) fn prose_in_context(
        &mut self,
        marker: Option<&Marker>,
        unit: &Unit,
        previous_heading: Option<(Level, u32)>,
    ) -> bool {
        if self.table.is_some() {
            return false;
        }
        // A heading's title in 【】 on the next line is not a category.
        if let (Expect::Title { level, .. }, Some(Marker::Category(_))) = (&self.expect, marker) {
            let level = *level;
            self.expect = Expect::Nothing;
            self.place_title(level, &unit.text, unit);
            return true;
        }
        if let Expect::GoalList { found } = self.expect {
            if self.listed_goal(found, marker, unit) {
                return true;
            }
        }
        if self.open_section_kind() == Some(SectionKind::List)
            && !matches!(marker, Some(Marker::Bullet { .. } | Marker::PagePointer(_)))
        {
            self.section = None;
        }
        let Some(&Marker::Numbered { number, ref title }) = marker else {
            return false;
        };
        let title = title.clone().unwrap_or_default();
        let (level, reason) = match previous_heading {
            // Goals and policies are listed this way; measures and
            // sub-measures carry their own marks ((2), ②).
            Some((level @ (Level::Goal | Level::Policy), previous))
                if number == previous + 1 && !title.is_empty() =>
            {
                (
                    level,
                    format!("it continues the list after heading {previous}"),
                )
            }
            _ if self.announces_policy(number) => (
                Level::Policy,
                format!(
                    "the text announced {} policies",
                    self.announced_policies.unwrap_or_default()
                ),
            ),
            // A goal heading with no 基本目標 on it (`１．title` on its own
            // page) is read only under an announced count, and only as a
            // display line of its own, not a table row or a sentence.
            _ if self.announces_goal(number)
                && !title.is_empty()
                && !unit.is_row()
                && unit.is_display() =>
            {
                (
                    Level::Goal,
                    format!(
                        "the text announced {} goals",
                        self.announced_goals.unwrap_or_default()
                    ),
                )
            }
            _ => return false,
        };
        let heading = markers::inferred_heading(level, number, &title);
        let at = unit.location();
        self.warn(
            WarningCode::HeadingInferred,
            at,
            format!(
                "{:?} read as {} heading {number}: {reason}",
                Quoted(&unit.text),
                level_name(level)
            ),
        );
        let badge = self.take_badge(level);
        self.expect_next(Expect::Nothing);
        let text = unit.text.clone();
        self.heading(heading, &text, unit, badge);
        true
    }

    /// A bare number is the next policy when the text announced how many
    /// policies follow (`2つの基本方針`) and this is the next of them.
    fn announces_policy(&self, number: u32) -> bool {
        let (Some(count), Some(goal)) = (self.announced_policies, self.cursor.goal) else {
            return false;
        };
        let last = self.doc.goals[goal].policies.last().map_or(0, |p| p.number);
        number <= count && number == last + 1
    }

    /// A numbered line is the next goal when the text announced how many
    /// goals the plan has (`4つの基本目標`) and this is the next of them.
    fn announces_goal(&self, number: u32) -> bool {
        let Some(count) = self.announced_goals else {
            return false;
        };
        let last = self.doc.goals.last().map_or(0, |g| g.number);
        number <= count && number == last + 1
    }

    /// Under a 目標 label: a display line standing alone is the next goal;
    /// headings over the list and titled paragraphs before it are prose. True
    /// if the unit was consumed.
    fn listed_goal(&mut self, found: u32, marker: Option<&Marker>, unit: &Unit) -> bool {
        let names_the_list = markers::LIST_HEADING_WORDS
            .iter()
            .any(|w| unit.text.contains(w));
        let is_goal =
            marker.is_none() && unit.is_display() && !unit.leads_paragraph && !names_the_list;
        if is_goal {
            let at = unit.location();
            let number = found + 1;
            self.doc.goals.push(Goal {
                number,
                title: Some(unit.text.clone()),
                level_word: None,
                headings: headings_of(unit),
                direction: None,
                descriptions: Vec::new(),
                sections: Vec::new(),
                policies: Vec::new(),
                initiatives: Vec::new(),
                indicators: Vec::new(),
            });
            self.warn(
                WarningCode::HeadingInferred,
                at,
                format!(
                    "{:?} read as goal {number}: a display line listed under the 目標 label",
                    Quoted(&unit.text)
                ),
            );
            self.expect = Expect::GoalList { found: number };
            return true;
        }
        if found == 0 && marker.is_none() {
            self.place_paragraph(text_of(unit.text.clone(), unit));
            return true;
        }
        self.expect = Expect::Nothing;
        false
    }

    /// The markers of brochure prose that need no context.
    pub(super) fn prose_marker(&mut self, marker: Marker, unit: &Unit) {
        let at = unit.location();
        let text = unit.text.clone();
        match marker {
            Marker::PriorityBadge => self.expect_next(Expect::PriorityFor(pending(unit))),
            Marker::Priority {
                leads,
                label,
                number,
                title,
            } => {
                self.expect_next(Expect::Nothing);
                let mut section = self.new_section(SectionKind::Priority, unit);
                section.label = Some(label);
                section.number = number;
                section.title = Some(title);
                if leads {
                    let owner = self.priority_owner(&section);
                    self.open_section(owner, section);
                    self.expect = Expect::Subtitle;
                } else {
                    // A title box of a brochure: its text stands elsewhere
                    // on the page, so prose after it is not taken as its own.
                    self.add_section(self.current_owner(), section);
                }
            }
            Marker::Actions(content) => match content {
                Some(content) => self.read_actions(text_of(content, unit)),
                None => self.expect_next(Expect::Actions(pending(unit))),
            },
            Marker::Category(name) => {
                self.expect_next(Expect::Nothing);
                let mut section = self.new_section(SectionKind::Category, unit);
                section.title = Some(name.clone());
                section.category = None;
                self.section = None;
                self.add_section(self.current_owner(), section);
                self.category = Some(name);
            }
            Marker::ListLabel => {
                self.expect_next(Expect::Nothing);
                let mut section = self.new_section(SectionKind::List, unit);
                section.label = Some(text);
                self.open_section(self.current_owner(), section);
            }
            Marker::PagePointer(pages) => {
                self.expect_next(Expect::Nothing);
                if self.open_section_kind() == Some(SectionKind::List) {
                    self.give_pages(&pages);
                }
                match self.open_section_mut() {
                    Some(section) => section.notes.push(text_of(text, unit)),
                    None => self.place_paragraph(text_of(text, unit)),
                }
                if self.open_section_kind() == Some(SectionKind::List) {
                    self.section = None;
                }
            }
            Marker::Bullet { mark, text: item } => {
                self.expect_next(Expect::Nothing);
                if self.open_section_kind() == Some(SectionKind::List) {
                    self.list_item(item, unit);
                } else if matches!(mark, '●' | '◆' | '■') {
                    let mut section = self.new_section(SectionKind::Highlight, unit);
                    section.title = Some(item);
                    self.open_section(self.current_owner(), section);
                } else {
                    self.place_paragraph(text_of(text, unit));
                }
            }
            Marker::DataCallout { label, title } => {
                self.expect_next(Expect::Nothing);
                let mut section = self.new_section(SectionKind::Data, unit);
                section.label = Some(label);
                section.title = title;
                section.category = None;
                self.open_section(self.current_owner(), section);
            }
            Marker::SourceNote => {
                self.expect_next(Expect::Nothing);
                if self.open_section_kind() == Some(SectionKind::Data) {
                    if let Some(section) = self.open_section_mut() {
                        section.notes.push(text_of(text, unit));
                    }
                    self.section = None;
                } else {
                    self.place_paragraph(text_of(text, unit));
                }
            }
            Marker::ActionCount(count) => {
                self.expect_next(Expect::Nothing);
                self.actions_above_label(count, &text, at);
                self.place_paragraph(text_of(text, unit));
            }
            Marker::PolicyCount(count) => {
                self.expect_next(Expect::Nothing);
                self.announced_policies = Some(count);
                self.place_paragraph(text_of(text, unit));
            }
            Marker::Labels { philosophy, goals } => {
                self.expect_next(Expect::Nothing);
                if philosophy {
                    self.philosophy_above_label(at);
                }
                self.place_paragraph(text_of(text, unit));
                if goals && self.doc.goals.is_empty() {
                    self.expect = Expect::GoalList { found: 0 };
                }
            }
            Marker::ContentsLabel => {
                self.expect_next(Expect::Nothing);
                let mut section = self.new_section(SectionKind::Contents, unit);
                section.label = Some(text);
                section.category = None;
                self.add_section(self.current_owner(), section);
            }
            Marker::ContentsEntry => {
                self.expect_next(Expect::Nothing);
                self.contents_entry(text_of(text, unit));
            }
            Marker::Numbered { .. } | Marker::BracketedLabel => self.plain_text(text, unit),
            Marker::Heading(_)
            | Marker::Philosophy(_)
            | Marker::Direction(_)
            | Marker::Legend(_) => unreachable!("read in Segmenter::unit"),
        }
    }

    /// An entry of a table of contents: into the owner's table of contents
    /// if it is the owner's last section (lines between entries, such as
    /// chapter titles without a page, do not end it), else a new one.
    fn contents_entry(&mut self, entry: Text) {
        let owner = self.current_owner();
        let sections = self.sections_mut(owner);
        match sections.last_mut() {
            Some(contents) if contents.kind == SectionKind::Contents => {
                contents.paragraphs.push(entry)
            }
            _ => {
                let mut contents = Section::new(SectionKind::Contents);
                contents.paragraphs.push(entry);
                sections.push(contents);
            }
        }
    }

    /// The title of the heading at `level` that had none on its own line.
    pub(super) fn place_title(&mut self, level: Level, text: &str, unit: &Unit) {
        let at = unit.location();
        let key = self.cursor.up_to(level);
        let title = markers::heading_title(text).unwrap_or_else(|| text.to_string());
        self.titles.entry(key).or_default().push((title, at));
        self.node_parts(key).1.extend(headings_of(unit));
    }

    /// True if `text` can be the title of the open node at `level`, printed
    /// again under a repeated heading: in brackets, or like its title.
    pub(super) fn is_title_of_open(&self, level: Level, text: &str) -> bool {
        let bracketed = ["〔", "【"].iter().any(|b| text.starts_with(b));
        let key = self.cursor.up_to(level);
        let known = self
            .titles
            .get(&key)
            .and_then(|t| t.first())
            .map(|t| t.0.clone());
        let title = markers::heading_title(text);
        bracketed || (known.is_some() && same_title(known.as_deref(), title.as_deref()))
    }

    /// 基本理念 named by a label line below it: the display lines just above
    /// the label (a slogan printed large) are its text.
    fn philosophy_above_label(&mut self, at: Location) {
        if self.doc.philosophy.is_some() || self.cursor.goal.is_some() {
            return;
        }
        let display = self
            .doc
            .preamble
            .iter()
            .rev()
            .take_while(|t| !t.text.contains(SENTENCE_ENDS))
            .count();
        if display == 0 {
            return;
        }
        let lines = self
            .doc
            .preamble
            .split_off(self.doc.preamble.len() - display);
        let mut joined = lines[0].clone();
        for text in &lines[1..] {
            joined.text = join_wrapped(&joined.text, &text.text);
            joined.span = joined.span.through(text.span.end());
        }
        self.warn(
            WarningCode::HeadingInferred,
            at,
            format!(
                "the {display} display line(s) above the label line read as the 基本理念: {:?}",
                Quoted(&joined.text)
            ),
        );
        self.place_philosophy(joined, None);
    }

    /// The `count` actions a label line counts (`川崎市社協10の取組`), printed
    /// above it in a brochure: the last `count` display titles of the
    /// preamble, each with the paragraphs after it, become sections of their
    /// own. Nothing changes unless exactly that many titles stand there.
    fn actions_above_label(&mut self, count: u32, label: &str, at: Location) {
        if self.cursor.goal.is_some() || count == 0 {
            return;
        }
        let is_title = |t: &Text| {
            !t.text.contains(SENTENCE_ENDS) && t.text.chars().count() <= MAX_ACTION_TITLE_CHARS
        };
        let titles: Vec<usize> = (0..self.doc.preamble.len())
            .rev()
            .filter(|&i| is_title(&self.doc.preamble[i]))
            .take(count as usize)
            .collect();
        let Some(&first) = titles.last() else { return };
        if titles.len() != count as usize {
            return;
        }
        let tail = self.doc.preamble.split_off(first);
        let mut number = 0;
        for text in tail {
            if is_title(&text) {
                number += 1;
                let mut section = Section::new(SectionKind::Action);
                section.number = Some(number);
                section.label = Some(label.to_string());
                section.headings = (text.span.line_start..=text.span.line_end)
                    .map(|line| Heading {
                        text: text.text.clone(),
                        page: text.span.page,
                        line,
                    })
                    .collect();
                section.title = Some(text.text);
                self.doc.sections.push(section);
            } else if let Some(section) = self.doc.sections.last_mut() {
                section.paragraphs.push(text);
            }
        }
        self.warn(
            WarningCode::HeadingInferred,
            at,
            format!("the {count} display titles above the label {label:?} read as its {count} actions, each with the paragraphs after it", label = Quoted(label)),
        );
        self.give_back_paragraphs_above_titles();
    }

    /// A brochure column may print a title under its text: an action with
    /// no paragraph right after one with several takes that one's last
    /// paragraph, with a warning.
    fn give_back_paragraphs_above_titles(&mut self) {
        let mut moved = Vec::new();
        let sections = &mut self.doc.sections;
        for i in 1..sections.len() {
            let (before, after) = sections.split_at_mut(i);
            let (previous, section) = (&mut before[i - 1], &mut after[0]);
            if section.kind == SectionKind::Action
                && previous.kind == SectionKind::Action
                && section.paragraphs.is_empty()
                && previous.paragraphs.len() >= 2
            {
                let paragraph = previous.paragraphs.pop().expect("two paragraphs");
                moved.push((
                    paragraph.span.start(),
                    format!(
                        "the paragraph is printed above the title {:?}, which has none; given to it",
                        Quoted(section.title.as_deref().unwrap_or_default())
                    ),
                ));
                section.paragraphs.push(paragraph);
            }
        }
        for (at, message) in moved {
            self.warn(WarningCode::SectionAttached, at, message);
        }
    }

    /// An item of a 事業・取組 list: an initiative under the cursor.
    fn list_item(&mut self, name: String, unit: &Unit) {
        let mut initiative = Initiative::empty(unit.span());
        initiative.name = Some(name);
        initiative.category = self.category.clone();
        self.flags(&mut initiative, unit.location());
        self.attach(initiative);
    }

    /// The plan pages of a list's page pointer, for the list's initiatives
    /// that have none yet.
    fn give_pages(&mut self, pages: &[u32]) {
        let Some(list) = self.section.map(|r| self.section_at(r).headings[0].line) else {
            return;
        };
        for initiative in self.initiatives_under_cursor_mut() {
            if initiative.span.line_start > list && initiative.plan_pages.is_empty() {
                initiative.plan_pages = pages.to_vec();
            }
        }
    }
}

/// A `「subtitle」` line: its text without the brackets.
pub(super) fn bracketed_subtitle(text: &str) -> Option<String> {
    let inner = text.strip_prefix('「')?.strip_suffix('」')?;
    (!inner.contains(['「', '」'])).then(|| inner.trim().to_string())
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Goal => "基本目標",
        Level::Policy => "基本方針",
        Level::Measure => "(N)",
        Level::SubMeasure => "①",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtitles_are_whole_bracketed_lines() {
        assert_eq!(bracketed_subtitle("「広める」").as_deref(), Some("広める"));
        assert_eq!(bracketed_subtitle("「A」と「B」"), None);
        assert_eq!(bracketed_subtitle("広める"), None);
    }
}
