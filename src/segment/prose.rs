//! The segmenter's reading of brochure prose: priority badges and sections,
//! lists of initiatives, data call-outs, categories, headings read from
//! their context, and goals listed under a label.
//!
//! These are methods of the same state machine as the table reading in
//! `mod.rs`; they live here because they are a different kind of document.

use super::markers::{self, Level, Marker};
use super::paragraphs::{Unit, SENTENCE_ENDS};
use super::{headings_of, pending, same_title, text_of, Expect, Segmenter};
use crate::document::{
    Goal, Heading, Initiative, Location, Section, SectionKind, Text, WarningCode,
};
use crate::normalize::join_wrapped;

/// Who holds a list of sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    /// The document, outside any goal.
    Document,
    /// A goal, by index.
    Goal(usize),
    /// A policy, by goal and policy index.
    Policy(usize, usize),
}

/// A section, by its owner and its index among the owner's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SectionRef {
    owner: Owner,
    index: usize,
}

/// A 【具体的な取組】 block waiting for its priority section.
#[derive(Debug, Clone)]
pub(super) struct PendingActions {
    owner: Owner,
    text: Text,
    /// The priority section open when it was read, if any.
    in_reading_order: Option<SectionRef>,
}

/// An action's title counted by a label line is a display line of at most
/// this many characters.
const MAX_ACTION_TITLE_CHARS: usize = 40;

/// Two texts sharing fewer character pairs than this (Dice coefficient) are
/// not taken to be about the same thing.
const MIN_ACTIONS_SIMILARITY: f64 = 0.05;

/// Permutations are searched exhaustively up to this many sections.
const MAX_EXHAUSTIVE_SECTIONS: usize = 8;

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
                unit.text,
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
            });
            self.warn(
                WarningCode::HeadingInferred,
                at,
                format!(
                    "{:?} read as goal {number}: a display line listed under the 目標 label",
                    unit.text
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

    /// A 【具体的な取組】 block: kept until the end, when every priority
    /// section is known.
    pub(super) fn read_actions(&mut self, text: Text) {
        let in_reading_order = self
            .section
            .filter(|r| self.section_at(*r).kind == SectionKind::Priority);
        self.actions.push(PendingActions {
            owner: self.current_owner(),
            text,
            in_reading_order,
        });
    }

    /// Gives every 【具体的な取組】 block to its priority section. In reading
    /// order when the order is plain (each block after its own section);
    /// otherwise the layout has scrambled the order (a two-column brochure),
    /// and each block goes to the section whose title it resembles most,
    /// over all the owner's sections at once, with a warning.
    pub(super) fn place_actions(&mut self) {
        let pending = std::mem::take(&mut self.actions);
        let mut owners: Vec<Owner> = pending.iter().map(|p| p.owner).collect();
        owners.dedup();
        for owner in owners {
            let blocks: Vec<&PendingActions> =
                pending.iter().filter(|p| p.owner == owner).collect();
            let sections: Vec<usize> = self
                .sections_mut(owner)
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == SectionKind::Priority)
                .map(|(i, _)| i)
                .collect();
            let mut in_order: Vec<usize> = blocks
                .iter()
                .filter_map(|b| b.in_reading_order.map(|r| r.index))
                .collect();
            let all_in_order = in_order.len() == blocks.len() && {
                in_order.sort_unstable();
                in_order.windows(2).all(|w| w[0] != w[1])
            };
            if all_in_order || sections.is_empty() {
                for block in blocks {
                    match block.in_reading_order {
                        Some(r) => self.sections_mut(r.owner)[r.index]
                            .actions
                            .push(block.text.clone()),
                        None => self.place_in_owner(owner, block.text.clone()),
                    }
                }
                continue;
            }
            let titles: Vec<String> = sections
                .iter()
                .map(|&i| {
                    self.sections_mut(owner)[i]
                        .title
                        .clone()
                        .unwrap_or_default()
                })
                .collect();
            let texts: Vec<&str> = blocks.iter().map(|b| b.text.text.as_str()).collect();
            let choice = best_assignment(&texts, &titles);
            for (block, chosen) in blocks.iter().zip(choice) {
                let at = block.text.span.start();
                match chosen {
                    Some(k) => {
                        let section = &mut self.sections_mut(owner)[sections[k]];
                        section.actions.push(block.text.clone());
                        let name = section_name(section);
                        self.warn(
                            WarningCode::SectionAttached,
                            at,
                            format!(
                                "【具体的な取組】 {:?} stands apart from its section in the text's order; given to {name}, whose title it resembles most",
                                block.text.text
                            ),
                        );
                    }
                    None => {
                        self.warn(
                            WarningCode::SectionAttached,
                            at,
                            format!(
                                "【具体的な取組】 {:?} resembles no priority section; kept in the text",
                                block.text.text
                            ),
                        );
                        self.place_in_owner(owner, block.text.clone());
                    }
                }
            }
        }
    }

    /// Where a ◎重点的な取組 section goes: the policy of the open goal it
    /// names; failing that, the goal's one policy flagged priority (with a
    /// warning: the title names another); failing that, the goal.
    fn priority_owner(&mut self, section: &Section) -> Owner {
        let Some(g) = self.cursor.goal else {
            return Owner::Document;
        };
        let title = section.title.as_deref();
        let policies = &self.doc.goals[g].policies;
        let named = policies
            .iter()
            .position(|p| p.title.is_some() && same_title(p.title.as_deref(), title));
        if let Some(p) = named {
            self.doc.goals[g].policies[p].priority = true;
            return Owner::Policy(g, p);
        }
        let flagged: Vec<usize> = (0..policies.len())
            .filter(|&p| policies[p].priority)
            .collect();
        let at = section.headings[0].location();
        if let [p] = flagged[..] {
            let number = policies[p].number;
            self.warn(
                WarningCode::SectionAttached,
                at,
                format!(
                    "the priority section {:?} names no policy of goal {}; given to policy {number}, the goal's one policy flagged priority",
                    title.unwrap_or_default(),
                    self.doc.goals[g].number
                ),
            );
            return Owner::Policy(g, p);
        }
        self.warn(
            WarningCode::SectionAttached,
            at,
            format!(
                "the priority section {:?} names no policy of goal {}; kept under the goal",
                title.unwrap_or_default(),
                self.doc.goals[g].number
            ),
        );
        Owner::Goal(g)
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
                joined.text
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
            format!("the {count} display titles above the label {label:?} read as its {count} actions, each with the paragraphs after it"),
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
                        section.title.as_deref().unwrap_or_default()
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

    fn new_section(&self, kind: SectionKind, unit: &Unit) -> Section {
        let mut section = Section::new(kind);
        section.category = self.category.clone();
        section.headings = headings_of(unit);
        section
    }

    fn open_section(&mut self, owner: Owner, section: Section) {
        let index = self.add_section(owner, section);
        self.section = Some(SectionRef { owner, index });
    }

    fn add_section(&mut self, owner: Owner, section: Section) -> usize {
        let sections = self.sections_mut(owner);
        sections.push(section);
        sections.len() - 1
    }

    pub(super) fn current_owner(&self) -> Owner {
        match (self.cursor.goal, self.cursor.policy) {
            (Some(g), Some(p)) => Owner::Policy(g, p),
            (Some(g), None) => Owner::Goal(g),
            (None, _) => Owner::Document,
        }
    }

    fn sections_mut(&mut self, owner: Owner) -> &mut Vec<Section> {
        match owner {
            Owner::Document => &mut self.doc.sections,
            Owner::Goal(g) => &mut self.doc.goals[g].sections,
            Owner::Policy(g, p) => &mut self.doc.goals[g].policies[p].sections,
        }
    }

    fn section_at(&self, r: SectionRef) -> &Section {
        match r.owner {
            Owner::Document => &self.doc.sections[r.index],
            Owner::Goal(g) => &self.doc.goals[g].sections[r.index],
            Owner::Policy(g, p) => &self.doc.goals[g].policies[p].sections[r.index],
        }
    }

    pub(super) fn open_section_mut(&mut self) -> Option<&mut Section> {
        let r = self.section?;
        Some(&mut self.sections_mut(r.owner)[r.index])
    }

    fn open_section_kind(&self) -> Option<SectionKind> {
        self.section.map(|r| self.section_at(r).kind)
    }

    /// Text that belongs to `owner` itself rather than to one of its
    /// sections.
    pub(super) fn place_in_owner(&mut self, owner: Owner, text: Text) {
        match owner {
            Owner::Document => self.doc.preamble.push(text),
            Owner::Goal(g) => self.doc.goals[g].descriptions.push(text),
            Owner::Policy(g, p) => self.doc.goals[g].policies[p].paragraphs.push(text),
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

fn section_name(section: &Section) -> String {
    let label = section.label.as_deref().unwrap_or_default();
    let title = section.title.as_deref().unwrap_or_default();
    format!("{label} {title:?}")
}

/// The character pairs (bigrams) of a text.
fn bigrams(text: &str) -> std::collections::BTreeSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice similarity of two texts' character pairs, in 0..=1.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(a), bigrams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
}

/// For each text, the index of the title it is given: each title to at most
/// one text, the total similarity as high as possible (exhaustively for a
/// few titles, greedily beyond). `None` where no title is similar enough.
fn best_assignment(texts: &[&str], titles: &[String]) -> Vec<Option<usize>> {
    let scores: Vec<Vec<f64>> = texts
        .iter()
        .map(|t| titles.iter().map(|title| similarity(t, title)).collect())
        .collect();
    let mut choice = vec![None; texts.len()];
    if titles.len() <= MAX_EXHAUSTIVE_SECTIONS && texts.len() <= titles.len() {
        let mut best = (-1.0, Vec::new());
        let mut used = vec![false; titles.len()];
        let mut current = Vec::new();
        search(&scores, &mut used, &mut current, 0.0, &mut best);
        for (i, k) in best.1.into_iter().enumerate() {
            choice[i] = (scores[i][k] >= MIN_ACTIONS_SIMILARITY).then_some(k);
        }
        return choice;
    }
    let mut used = vec![false; titles.len()];
    for (i, row) in scores.iter().enumerate() {
        let best = (0..titles.len())
            .filter(|&k| !used[k] || texts.len() > titles.len())
            .max_by(|&a, &b| row[a].total_cmp(&row[b]).then(b.cmp(&a)));
        if let Some(k) = best.filter(|&k| row[k] >= MIN_ACTIONS_SIMILARITY) {
            used[k] = true;
            choice[i] = Some(k);
        }
    }
    choice
}

/// Depth-first search over assignments of texts to distinct titles; keeps the
/// first best (so ties go to the earlier title, deterministically).
fn search(
    scores: &[Vec<f64>],
    used: &mut [bool],
    current: &mut Vec<usize>,
    total: f64,
    best: &mut (f64, Vec<usize>),
) {
    if current.len() == scores.len() {
        if total > best.0 + 1e-12 {
            *best = (total, current.clone());
        }
        return;
    }
    let row = &scores[current.len()];
    for k in 0..used.len() {
        if used[k] {
            continue;
        }
        used[k] = true;
        current.push(k);
        search(scores, used, current, total + row[k], best);
        current.pop();
        used[k] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_go_to_the_titles_they_resemble_as_a_whole() {
        let titles: Vec<String> = [
            "総合相談の充実と適切な支援の実施",
            "地域ネットワークの強化と地域福祉活動推進のための財源確保",
            "福祉教育等の推進による新たな地域福祉の担い手の育成",
        ]
        .map(String::from)
        .to_vec();
        let texts = [
            "福祉教育の推進と、ボランティア活動の啓発による担い手の育成",
            "総合相談充実、地域福祉サービスの充実強化",
            "会員間の連携強化、地域福祉活動推進のための財源の確保と活用",
        ];
        assert_eq!(
            best_assignment(&texts, &titles),
            [Some(2), Some(0), Some(1)]
        );
    }

    #[test]
    fn an_unrelated_text_gets_no_title() {
        let titles = vec!["総合相談の充実".to_string()];
        assert_eq!(best_assignment(&["ABC"], &titles), [None]);
    }

    #[test]
    fn subtitles_are_whole_bracketed_lines() {
        assert_eq!(bracketed_subtitle("「広める」").as_deref(), Some("広める"));
        assert_eq!(bracketed_subtitle("「A」と「B」"), None);
        assert_eq!(bracketed_subtitle("広める"), None);
    }
}
