//! The plan's levels, read from the document itself before the tree is
//! built.
//!
//! Every heading candidate (`notations::read_heading_line`) has a style: a
//! level word (基本目標, 施策…), a chapter (第N章, 第N), or a number alone in
//! one notation (`1`, `(1)`, `①`, `ア`…). Walking the candidates in order
//! with a stack of styles gives each its depth:
//!
//! - a style already on the stack returns to its level (the levels inside
//!   it close);
//! - a new style opens a level under the innermost open heading; a number
//!   alone does so only at 1 (a list starts at its first item), and a
//!   number alone already on the stack goes on only with the next number
//!   (or the same one: a heading repeated at a page break), so table
//!   captions and PDCA steps printed with ① do not take a level;
//! - a level word or a chapter never stands under a number alone, and a
//!   word of a higher rank (基本目標) never under one of a lower rank (施策):
//!   such frames are closed first.
//!
//! - a number alone that continues an outer list a level word closed
//!   (`Ⅳ．計画の推進` after the goals, whose list `Ⅰ`…`Ⅲ` stood around
//!   them) ends the levels open and takes that list's place again;
//! - a marked section (`■成果指標`) inside a level word's heading, when
//!   that word opens headings again after it or the same label stood
//!   inside an earlier one, is a label of the heading's text, not a
//!   level; a new one after the last heading (`■計画の推進`) closes the
//!   levels;
//! - a heading whose title goes on after a sentence end is running text
//!   (a chart written out as sentences for a text version);
//! - a number alone out of sequence that names a heading read earlier (a
//!   progress sheet, a chart or a contents list printing the tree again)
//!   takes that heading's place again (a witness); other numbers out of
//!   sequence, numbered sentences and the numbers under a label over
//!   indicators (【成果指標】) are no headings.
//!
//! The goal level is then the outermost level word; with no level word in
//! the document, the level a section titled 基本目標 holds (`２ 基本目標` /
//! `１．…`), else the chapters that hold the deepest complete outline
//! (第2 / 1 / (1) / ア beside 第1 / 1 / (1)). Levels under the goal level
//! are policies, measures and sub-measures, deeper ones text; chapters
//! above it are prose, and so is a candidate outside every goal in a
//! document that has goals.
//!
//! It reads the units' markers as [`markers::classify`] gave them
//! (`classify` runs once per unit, in `mod.rs`). The result is a decision
//! per unit; the state machine (`mod.rs`) keeps its own reading of the
//! units this pass leaves undecided.

use super::markers::{
    self, inferred_heading, Classifier, HeadingMarker, Level, Marker, LEVEL_WORDS,
};
use super::notations::{read_marked_section, HeadingLine, Notation, Style};
use super::paragraphs::{Unit, SENTENCE_ENDS};
use super::{same_title, without_spaces};
use crate::quoted::Quoted;
use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;

/// A number alone with a longer title than this (in characters) is a
/// sentence of a list, not a heading.
const MAX_BARE_TITLE_CHARS: usize = 60;

/// What the outline says a unit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A heading of the plan at the level it names.
    Heading {
        /// The heading read, its level set.
        marker: HeadingMarker,
        /// Why a heading with no mark of its level was read at it: the
        /// message of a `heading_inferred` warning.
        inferred: Option<String>,
    },
    /// A numbered line that is no node of the plan: a chapter above the
    /// goals, or a section of background text outside every goal.
    Prose,
}

/// One level of the outline as walked: its style and its last number.
#[derive(Debug, Clone)]
struct Frame {
    style: Style,
    rank: Option<Level>,
    last: u32,
    /// The title of its last heading, to tell a repeat from a line that
    /// only reuses the number. Shared: every heading placed keeps a copy
    /// of the frames open above it.
    last_title: Option<Rc<str>>,
}

/// A candidate accepted by the walk: its unit, what it says, and the styles
/// open above it (itself last).
struct Placed {
    unit: usize,
    line: HeadingLine,
    path: Vec<Style>,
    /// The candidate's number at each level of its path.
    numbers: Vec<u32>,
    /// The open levels it stands in, itself last.
    frames: Vec<Frame>,
    /// Why its level was read from context (a list going on), if it was.
    inferred: Option<String>,
    /// It names a heading read earlier, out of the reading's sequence.
    witness: bool,
    /// The text a witness prints after the title it repeats (a progress
    /// sheet's target beside its heading).
    item: Option<String>,
}

/// What the outline read: a decision per unit, and why the structure is
/// unclear when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// The decision for each unit, `None` where the outline has nothing to
    /// say.
    pub decisions: Vec<Option<Decision>>,
    /// Numbered headings that make no plan: the unit of the first and the
    /// message of a `structure_uncertain` warning.
    pub uncertain: Option<(usize, String)>,
}

/// Fewer numbered headings than this that make no plan are not worth a
/// warning (a short note, a list in a letter).
const UNCERTAIN_MIN_HEADINGS: usize = 3;

/// Reads the outline of `units`, which [`markers::classify`] reads as
/// `markers`; `classifier` is the document's, whose heading-line readings
/// of the units' texts the paragraph joiner mostly made already.
pub fn decide(units: &[Unit], markers: &[Option<Marker>], classifier: &mut Classifier) -> Outline {
    let (placed, rejected) = walk(units, markers, classifier);
    let named_goal_style = named_goal_style(&placed);
    let goal_chapters = goal_chapters(&placed);
    let goal_depth_of = |p: &Placed| match named_goal_style {
        Some(style) => p.path.iter().position(|s| *s == style),
        None => goal_depth(p, &goal_chapters),
    };
    let goals_inferred = match named_goal_style {
        Some(_) => Some("a section titled with the goals' level word holds them"),
        None if !placed.iter().any(|p| p.path.iter().any(|s| matches!(s, Style::Word(_)))) => {
            Some("the plan prints no level word; its goals are the chapters that hold the deepest outline")
        }
        None => None,
    };
    let any_goal = placed.iter().any(|p| goal_depth_of(p).is_some());
    let mut decisions = vec![None; units.len()];
    for p in &placed {
        let decision = match goal_depth_of(p) {
            Some(goal) => match (p.path.len() - 1).checked_sub(goal) {
                None => Some(Decision::Prose),
                // Deeper than the tree's four levels: an item of the text.
                Some(offset) if level_at(offset).is_none() => Some(Decision::Prose),
                Some(offset) => level_at(offset).map(|level| {
                    let reason = p.inferred.clone().or_else(|| {
                        (offset == 0)
                            .then(|| goals_inferred.map(str::to_string))
                            .flatten()
                    });
                    let mut marker = marker_of(&p.line, level);
                    if p.witness {
                        marker.ancestors = Some(p.numbers[goal..p.numbers.len() - 1].to_vec());
                        marker.item = p.item.clone();
                    }
                    Decision::Heading {
                        marker,
                        inferred: reason.map(|reason| {
                            format!(
                                "{:?} read as {} heading {}: {reason}",
                                Quoted(&units[p.unit].text),
                                p.path
                                    .iter()
                                    .rev()
                                    .find_map(|s| match s {
                                        Style::Word(word) => Some(*word),
                                        _ => None,
                                    })
                                    .unwrap_or(level_label(level)),
                                p.line.number
                            )
                        }),
                    }
                }),
            },
            None if any_goal => Some(Decision::Prose),
            None => None,
        };
        decisions[p.unit] = decision;
    }
    // A number out of sequence in a plan whose levels are known is a list
    // item or a caption, not a heading.
    if any_goal {
        for unit in rejected {
            decisions[unit] = Some(Decision::Prose);
        }
    }
    let uncertain = (!any_goal && placed.len() >= UNCERTAIN_MIN_HEADINGS).then(|| {
        let styles: std::collections::BTreeSet<String> =
            placed.iter().map(|p| format!("{:?}", p.line.style)).collect();
        (
            placed[0].unit,
            format!(
                "{} numbered headings in {} styles, but no level word (基本目標, 施策…) and no chapter whose sections all hold items: no level is read as the plan's goals",
                placed.len(),
                styles.len()
            ),
        )
    });
    Outline {
        decisions,
        uncertain,
    }
}

/// In a plan with no level word on its headings, a section titled with one
/// (`２ 基本目標`) names the level of the headings under it: the style of
/// the first candidate inside it is the goal level.
fn named_goal_style(placed: &[Placed]) -> Option<Style> {
    if placed
        .iter()
        .any(|p| p.path.iter().any(|s| matches!(s, Style::Word(_))))
    {
        return None;
    }
    placed.windows(2).find_map(|pair| {
        let [label, first] = pair else { return None };
        let names_goals = label.line.title.as_deref().is_some_and(|t| {
            LEVEL_WORDS
                .iter()
                .any(|w| w.word == t && w.rank == Level::Goal)
        });
        (names_goals
            && first.path.len() == label.path.len() + 1
            && first.path.starts_with(&label.path))
        .then_some(first.line.style)
    })
}

/// What a level is called in a warning when the plan prints no word for
/// it.
fn level_label(level: Level) -> &'static str {
    match level {
        Level::Goal => "goal",
        Level::Policy => "policy",
        Level::Measure => "measure",
        Level::SubMeasure => "sub-measure",
    }
}

/// The level `offset` levels under the goals.
fn level_at(offset: usize) -> Option<Level> {
    [
        Level::Goal,
        Level::Policy,
        Level::Measure,
        Level::SubMeasure,
    ]
    .get(offset)
    .copied()
}

/// The heading marker the state machine reads for `line` at `level`.
fn marker_of(line: &HeadingLine, level: Level) -> HeadingMarker {
    let mut marker = inferred_heading(level, line.number, "");
    marker.title = line.title.clone();
    marker.parent = line.parent;
    marker.priority = line.priority;
    marker.word = match line.style {
        Style::Word(word) | Style::Chapter(word) => {
            Some(word.to_string()).filter(|w| !w.is_empty())
        }
        Style::Bare(_) | Style::Marked(_) => None,
    };
    marker
}

/// The depth of the goal level on `p`'s path, if it has one: its outermost
/// level word; with no level word in the document, its outermost chapter
/// if that chapter is one of `goal_chapters`.
fn goal_depth(p: &Placed, goal_chapters: &FxHashSet<ChapterKey>) -> Option<usize> {
    if let Some(depth) = p.path.iter().position(|s| matches!(s, Style::Word(_))) {
        return Some(depth);
    }
    let chapter = p.path.iter().position(|s| matches!(s, Style::Chapter(_)))?;
    goal_chapters
        .contains(&(p.path[..=chapter].to_vec(), p.numbers[..=chapter].to_vec()))
        .then_some(chapter)
}

/// A chapter node: the styles and numbers of its path.
type ChapterKey = (Vec<Style>, Vec<u32>);

/// In a plan with no level word, the chapters that are its goals: those
/// that hold the deepest outline under chapters of their style (at least
/// two levels), every section of them with items down to that depth (a
/// plan's hierarchy, not a report whose sections are sometimes a
/// paragraph). One pass over the candidates, grouped by chapter.
fn goal_chapters(all: &[Placed]) -> FxHashSet<ChapterKey> {
    if all
        .iter()
        .any(|p| p.path.iter().any(|s| matches!(s, Style::Word(_))))
    {
        return FxHashSet::default();
    }
    let mut inside: FxHashMap<ChapterKey, Vec<&Placed>> = FxHashMap::default();
    for p in all {
        if let Some(chapter) = p.path.iter().position(|s| matches!(s, Style::Chapter(_))) {
            if p.path.len() > chapter + 1 {
                let key = (p.path[..=chapter].to_vec(), p.numbers[..=chapter].to_vec());
                inside.entry(key).or_default().push(p);
            }
        }
    }
    // The deepest outline under any chapter of each style (and place).
    let depth = |key: &ChapterKey, members: &[&Placed]| {
        members
            .iter()
            .map(|q| q.path.len() - key.0.len())
            .max()
            .unwrap_or(0)
    };
    let mut deepest: FxHashMap<&[Style], usize> = FxHashMap::default();
    for (key, members) in &inside {
        let d = depth(key, members);
        let entry = deepest.entry(key.0.as_slice()).or_default();
        *entry = (*entry).max(d);
    }
    inside
        .iter()
        .filter(|(key, members)| {
            let d = depth(key, members);
            d >= 2 && deepest.get(key.0.as_slice()) == Some(&d) && is_complete(key, members)
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// True if every section right under the chapter `key` has items down to
/// the chapter's deepest level, `members` being what stands inside it.
fn is_complete(key: &ChapterKey, members: &[&Placed]) -> bool {
    let child = key.0.len();
    let Some(deepest) = members.iter().map(|q| q.path.len()).max() else {
        return false;
    };
    let reaching: FxHashSet<(Style, u32)> = members
        .iter()
        .filter(|q| q.path.len() == deepest)
        .map(|q| (q.path[child], q.numbers[child]))
        .collect();
    let mut sections = members
        .iter()
        .filter(|q| q.path.len() == child + 1)
        .peekable();
    sections.peek().is_some()
        && sections.all(|section| reaching.contains(&(section.path[child], section.numbers[child])))
}

/// Walks the candidates of `units` with the stack of styles; returns those
/// accepted, with their paths, and the units of those rejected (a number
/// alone out of sequence).
fn walk(
    units: &[Unit],
    markers: &[Option<Marker>],
    classifier: &mut Classifier,
) -> (Vec<Placed>, Vec<usize>) {
    let mut walk = Walk::default();
    // A candidate is a line as written, not a row or a paragraph.
    let candidates: Vec<bool> = units
        .iter()
        .map(|unit| !unit.is_row() && unit.is_one_written_line())
        .collect();
    let lines: Vec<Option<HeadingLine>> = units
        .iter()
        .zip(&candidates)
        .map(|(unit, &candidate)| {
            candidate
                .then(|| {
                    classifier
                        .heading_line(&unit.text)
                        .or_else(|| read_marked_section(&unit.text))
                })
                .flatten()
        })
        .collect();
    // The titles of the marked sections read as labels inside headings.
    let mut labels_inside: FxHashSet<Option<String>> = FxHashSet::default();
    // Where each level word opens its last heading.
    let mut last_of_word: FxHashMap<Style, usize> = FxHashMap::default();
    for (index, line) in lines.iter().enumerate() {
        if let Some(line) = line.as_ref().filter(|l| matches!(l.style, Style::Word(_))) {
            last_of_word.insert(line.style, index);
        }
    }
    for (((index, unit), marker), line) in units.iter().enumerate().zip(markers).zip(lines) {
        if !candidates[index] {
            continue;
        }
        // Markers read before headings (a contents entry names a heading
        // that stands elsewhere; `基本目標2…を進める2つの基本方針` is a
        // sentence) are not candidates.
        if marker.as_ref().is_some_and(|m| m.outranks_headings()) {
            walk.under_indicators = false;
            continue;
        }
        // A marked section inside a level word's heading, whose word opens
        // headings again after it (`■めざす姿` / `■成果指標` under each
        // 施策), is a label of that heading's text, not a section that
        // closes the plan's levels; so is the same label in the last
        // heading. A new one after the last heading (`■計画の推進`) closes
        // them.
        let inside_a_word = |line: &HeadingLine| {
            let word_open = |frame: &Frame| matches!(frame.style, Style::Word(_));
            matches!(line.style, Style::Marked(_))
                && walk.stack.iter().any(word_open)
                && (labels_inside.contains(&line.title)
                    || walk.stack.iter().any(|frame| {
                        word_open(frame)
                            && last_of_word
                                .get(&frame.style)
                                .is_some_and(|&last| last > index)
                    }))
        };
        match line {
            Some(line) if inside_a_word(&line) => {
                walk.under_indicators = markers::is_indicator_label(&unit.text);
                labels_inside.insert(line.title);
            }
            Some(line) => walk.candidate(index, line),
            // A line the markers read as a heading that is no candidate
            // here is a sentence (`基本目標1 …の推進。かっこ1 …。`, a
            // chart written out for a text version).
            None if matches!(marker, Some(Marker::Heading(_))) => walk.rejected.push(index),
            None if markers::is_label(&unit.text, marker.as_ref()) => {
                walk.under_indicators = markers::is_indicator_label(&unit.text);
            }
            // Text after a list of indicators ends it.
            None => walk.under_indicators = false,
        }
    }
    (walk.placed, walk.rejected)
}

/// The state of the walk over the candidates.
#[derive(Default)]
struct Walk {
    /// The open levels, outermost first.
    stack: Vec<Frame>,
    /// Lists of numbers alone that a level word or a chapter closed: the
    /// sections of a summary around its goals.
    /// Each with the depth it stood at: how many levels were open above it.
    outer: Vec<(usize, Frame)>,
    /// Under a label over indicators (【成果指標】) numbered lines are
    /// indicators, until the next heading or label.
    under_indicators: bool,
    placed: Vec<Placed>,
    rejected: Vec<usize>,
    /// The last placed candidate of each style, number and title (white
    /// space taken out): where a witness finds the heading it names.
    by_title: FxHashMap<(Style, u32, String), usize>,
    /// The placed candidates of each style and number, in order: where a
    /// witness that goes on past the title finds the heading it names.
    by_number: FxHashMap<(Style, u32), Vec<usize>>,
}

impl Walk {
    fn candidate(&mut self, index: usize, line: HeadingLine) {
        let bare = matches!(line.style, Style::Bare(_));
        if !bare && !plausible(&line) {
            self.rejected.push(index);
            return;
        }
        if bare && (self.under_indicators || !plausible(&line)) {
            if !self.under_indicators {
                if let Some((earlier, item)) = self.witness_with_item(&line) {
                    let title = self.placed[earlier].line.title.clone();
                    self.witness(index, HeadingLine { title, ..line }, earlier, Some(item));
                    return;
                }
            }
            self.rejected.push(index);
            return;
        }
        self.under_indicators = false;
        let inferred = match self.stack.iter().position(|f| f.style == line.style) {
            Some(at) => {
                if !self.return_to(at, &line) {
                    self.witness_or_reject(index, line);
                    return;
                }
                None
            }
            // `基本方針 １ title` / `２ title`: a number alone right after a
            // word's heading, with the next number, goes on with its list.
            None if bare && self.continues_list(index, &line) => {
                let top = self.stack.last_mut().expect("a list to go on");
                let reason = format!("it continues the list after heading {}", top.last);
                top.last = line.number;
                top.last_title = line.title.as_deref().map(Rc::from);
                Some(reason)
            }
            // A section of an outer list going on after the levels a word
            // closed (`Ⅳ．計画の推進` after the goals): those levels end.
            None if bare && self.resumes_outer_list(&line) => None,
            // A list starts at its first item.
            None if bare && line.number != 1 => {
                self.witness_or_reject(index, line);
                return;
            }
            None => {
                if !bare {
                    let closed = close_frames_under(&mut self.stack, &line);
                    // Closed innermost first: the last stood just above
                    // the levels still open.
                    let base = self.stack.len();
                    self.outer.extend(
                        closed
                            .into_iter()
                            .rev()
                            .enumerate()
                            .map(|(i, f)| (base + i, f)),
                    );
                }
                self.stack.push(Frame {
                    style: line.style,
                    rank: line.rank,
                    last: line.number,
                    last_title: line.title.as_deref().map(Rc::from),
                });
                None
            }
        };
        let depth = self
            .stack
            .iter()
            .position(|f| f.style == line.style)
            .map_or(self.stack.len(), |at| at + 1);
        let frames = self.stack[..depth].to_vec();
        self.push(index, line, frames, inferred);
    }

    /// A candidate of the style open at `at`: true if it goes on there (the
    /// next number, a repeat, or a word's heading), closing the levels
    /// inside unless it repeats the open heading.
    fn return_to(&mut self, at: usize, line: &HeadingLine) -> bool {
        let frame = &self.stack[at];
        let last = frame.last;
        let repeat =
            line.number == last && same_title(frame.last_title.as_deref(), line.title.as_deref());
        if matches!(line.style, Style::Bare(_)) && !follows(last, line.number) && !repeat {
            // The number of the last heading with another title: a section
            // of an outer list of this style going on (`４ 計画の推進` after
            // the goals), or else a plan that numbers two headings alike
            // (read as a new heading).
            let outer_list = self
                .outer
                .iter_mut()
                .map(|(_, f)| f)
                .find(|f| f.style == line.style && follows(f.last, line.number));
            if line.number != last || outer_list.is_some() {
                if let Some(frame) = outer_list {
                    frame.last = line.number;
                }
                return false;
            }
        }
        // A heading repeated at a page break re-announces where the text
        // goes on: the levels inside it stay open.
        if !repeat {
            self.stack.truncate(at + 1);
            self.stack[at].last = line.number;
            self.stack[at].last_title = line.title.as_deref().map(Rc::from);
        }
        true
    }

    /// True if `line` (a number alone of a style not open) is the next
    /// section of an outer list that a level word closed: the open levels
    /// end, and that list is open again at `line`.
    fn resumes_outer_list(&mut self, line: &HeadingLine) -> bool {
        let Some(at) = self
            .outer
            .iter()
            .rposition(|(_, f)| f.style == line.style && follows(f.last, line.number))
        else {
            return false;
        };
        let (depth, mut frame) = self.outer.remove(at);
        frame.last = line.number;
        frame.last_title = line.title.as_deref().map(Rc::from);
        self.stack.truncate(depth);
        self.stack.push(frame);
        true
    }

    /// A number alone out of sequence: a second witness of a heading read
    /// earlier (a progress sheet or a chart listing the tree again), whose
    /// place it takes again; else no heading.
    fn witness_or_reject(&mut self, index: usize, line: HeadingLine) {
        let earlier = line
            .title
            .as_deref()
            .and_then(|title| {
                self.by_title
                    .get(&(line.style, line.number, without_spaces(title)))
            })
            .copied();
        match earlier {
            Some(earlier) => self.witness(index, line, earlier, None),
            None => self.rejected.push(index),
        }
    }

    /// `line` at unit `index` names the heading placed `earlier`: it takes
    /// that heading's place again, with the `item` printed after its title.
    fn witness(&mut self, index: usize, line: HeadingLine, earlier: usize, item: Option<String>) {
        let frames = self.placed[earlier].frames.clone();
        self.stack = frames.clone();
        self.push(index, line, frames, None);
        if let Some(placed) = self.placed.last_mut() {
            placed.witness = true;
            placed.item = item;
        }
    }

    /// A numbered line too long or too sentence-like for a heading that
    /// starts with the number and title of a heading read earlier, then a
    /// space and more text (`(1)女性採用比率の向上 採用試験からの…努めます。`):
    /// a progress sheet or a chart printing the heading with its target.
    /// The earlier heading and the text after the title.
    fn witness_with_item(&self, line: &HeadingLine) -> Option<(usize, String)> {
        let printed = line.title.as_deref()?;
        let earlier = self.by_number.get(&(line.style, line.number))?;
        earlier.iter().rev().find_map(|&at| {
            let title = self.placed[at].line.title.as_deref()?;
            let rest = printed.strip_prefix(title)?;
            let item = rest.strip_prefix(char::is_whitespace)?.trim();
            (!item.is_empty()).then(|| (at, item.to_string()))
        })
    }

    fn push(
        &mut self,
        unit: usize,
        line: HeadingLine,
        frames: Vec<Frame>,
        inferred: Option<String>,
    ) {
        if let Some(title) = line.title.as_deref() {
            self.by_title.insert(
                (line.style, line.number, without_spaces(title)),
                self.placed.len(),
            );
        }
        self.by_number
            .entry((line.style, line.number))
            .or_default()
            .push(self.placed.len());
        self.placed.push(Placed {
            unit,
            path: frames.iter().map(|f| f.style).collect(),
            numbers: frames.iter().map(|f| f.last).collect(),
            frames,
            line,
            inferred,
            witness: false,
            item: None,
        });
    }

    /// True if `line` (a number alone, at unit `index`) continues the list
    /// of the word heading on the unit just before it.
    fn continues_list(&self, index: usize, line: &HeadingLine) -> bool {
        let (Some(previous), Some(top)) = (self.placed.last(), self.stack.last()) else {
            return false;
        };
        previous.unit + 1 == index
            && matches!(top.style, Style::Word(_))
            && previous.path.last() == Some(&top.style)
            && line.style == Style::Bare(Notation::Arabic)
            && follows(top.last, line.number)
    }
}

/// True if `number` is the one after `last` (and `last` is not the
/// largest number there is).
fn follows(last: u32, number: u32) -> bool {
    last.checked_add(1) == Some(number)
}

/// A level word or a chapter opening a new style: the frames it cannot
/// stand under close first (numbers alone, words of a lower rank, chapters
/// of a smaller division).
fn close_frames_under(stack: &mut Vec<Frame>, line: &HeadingLine) -> Vec<Frame> {
    let mut closed = Vec::new();
    while let Some(top) = stack.last() {
        let under_a_word = stack[..stack.len() - 1]
            .iter()
            .any(|f| matches!(f.style, Style::Word(_)));
        let closes = match (top.style, line.style) {
            // Numbers alone inside a level word's heading hold the words
            // of lower levels (重点戦略１ / １、…プログラム / 重点施策１);
            // outside every word they are background sections.
            (Style::Bare(_), Style::Word(_)) => !under_a_word,
            (Style::Bare(_), _) => true,
            // A marked section closes everything up to a chapter; a
            // chapter closes it.
            (Style::Marked(_), _) => true,
            (Style::Word(_), Style::Marked(_)) => true,
            (Style::Chapter(_), Style::Marked(_)) => false,
            (Style::Word(_), Style::Chapter(_)) => true,
            (Style::Word(_), Style::Word(_)) => top.rank.zip(line.rank).is_some_and(|(t, l)| t > l),
            (Style::Chapter(outer), Style::Chapter(inner)) => {
                chapter_rank(outer) >= chapter_rank(inner)
            }
            (Style::Chapter(_) | Style::Word(_), Style::Bare(_))
            | (Style::Chapter(_), Style::Word(_)) => false,
        };
        if !closes {
            break;
        }
        closed.extend(stack.pop().filter(|f| matches!(f.style, Style::Bare(_))));
    }
    closed
}

/// How large a division a chapter word names: 編 before 章 before 節
/// before a bare 第N (the order of `CHAPTER_WORDS`).
fn chapter_rank(word: &str) -> usize {
    super::markers::CHAPTER_WORDS
        .iter()
        .position(|w| *w == word)
        .unwrap_or(usize::MAX)
}

/// A number alone heads a short title, not a sentence.
fn plausible(line: &HeadingLine) -> bool {
    // A title that goes on after a sentence end is running text (a chart
    // written out as sentences: `基本目標1 理解の推進。かっこ1 …。`).
    let goes_on_after_a_sentence = line.title.as_deref().is_some_and(|title| {
        title
            .trim_end_matches(SENTENCE_ENDS)
            .contains(SENTENCE_ENDS)
    });
    if goes_on_after_a_sentence {
        return false;
    }
    if !matches!(line.style, Style::Bare(_)) {
        return true;
    }
    line.title.as_deref().is_some_and(|title| {
        !title.ends_with(SENTENCE_ENDS)
            && !markers::POLITE_ENDINGS.iter().any(|e| title.ends_with(e))
            && title.chars().count() <= MAX_BARE_TITLE_CHARS
    })
}

#[cfg(test)]
mod tests {
    use crate::document::WarningCode;

    /// The tree of `text` as `number title` lines, indented by level.
    fn tree(text: &str) -> Vec<String> {
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        let mut lines = Vec::new();
        let title = |t: &Option<String>| t.clone().unwrap_or_default();
        for goal in &document.goals {
            lines.push(format!("{} {}", goal.number, title(&goal.title)));
            for policy in &goal.policies {
                lines.push(format!("  {} {}", policy.number, title(&policy.title)));
                for measure in &policy.measures {
                    lines.push(format!("    {} {}", measure.number, title(&measure.title)));
                    for sub in &measure.sub_measures {
                        lines.push(format!("      {} {}", sub.number, title(&sub.title)));
                    }
                }
            }
        }
        lines
    }

    #[test]
    fn levels_come_from_the_order_of_the_document_own_styles() {
        // The same notations in another order give another tree: the
        // level is where a style first opens, not a fixed table.
        let paren_first = "基本目標1 まち\n(1) 見守り\nア 訪問\n(2) 相談\nア 窓口\n";
        assert_eq!(
            tree(paren_first),
            [
                "1 まち",
                "  1 見守り",
                "    1 訪問",
                "  2 相談",
                "    1 窓口"
            ]
        );
        let kana_first = "基本目標1 まち\nア 見守り\n(1) 訪問\nイ 相談\n(1) 窓口\n";
        assert_eq!(
            tree(kana_first),
            [
                "1 まち",
                "  1 見守り",
                "    1 訪問",
                "  2 相談",
                "    1 窓口"
            ]
        );
    }

    #[test]
    fn chapters_holding_the_deepest_complete_outline_are_the_goals() {
        let text = "第1 総論\n1 趣旨\n2 期間\n(1) 5年間\n\
                    第2 施策\n1 支援\n(1) 研修\nア 開催\n2 人材\n(1) 確保\nア 説明会\n\
                    第3 推進\n1 体制\n";
        assert_eq!(
            tree(text),
            [
                "2 施策",
                "  1 支援",
                "    1 研修",
                "      1 開催",
                "  2 人材",
                "    1 確保",
                "      1 説明会"
            ]
        );
        // A chapter one of whose sections is a bare paragraph is a report
        // chapter, not a plan's goal.
        let report = "第1 施策\n1 支援\n(1) 研修\nア 開催\n2 概要\n";
        assert!(tree(report).is_empty());
    }

    #[test]
    fn numbers_out_of_sequence_are_not_headings() {
        // A caption ① after ③, PDCA steps after the goals' chapter.
        let text = "基本目標1 まち\n施策1 見守り\n① 訪問\n② 相談\n③ 窓口\n\
                    ①年齢別人口の推計 単位:人\n\
                    第4章 計画の推進\n① Plan(計画)\n② Do(実行)\n";
        assert_eq!(
            tree(text),
            [
                "1 まち",
                "  1 見守り",
                "    1 訪問",
                "    2 相談",
                "    3 窓口"
            ]
        );
    }

    #[test]
    fn a_number_alone_continuing_a_word_list_is_inferred_with_a_warning() {
        let text = "基本目標1 まち\n基本方針 1 見守り\n2 相談\n3 窓口\n";
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        let policies: Vec<u32> = document.goals[0]
            .policies
            .iter()
            .map(|p| p.number)
            .collect();
        assert_eq!(policies, [1, 2, 3]);
        let inferred = document
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::HeadingInferred)
            .count();
        assert_eq!(inferred, 2);
    }

    #[test]
    fn a_second_listing_of_the_tree_is_merged_into_it() {
        // A table of contents without page numbers, then the body.
        let text = "基本目標1 まち\n(1) 見守り\n基本目標2 ひと\n(1) 相談\n\
                    基本目標1 まち\n(1) 見守り\n① 訪問\n基本目標2 ひと\n(1) 相談\n① 窓口\n";
        assert_eq!(
            tree(text),
            [
                "1 まち",
                "  1 見守り",
                "    1 訪問",
                "2 ひと",
                "  1 相談",
                "    1 窓口"
            ]
        );
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        assert!(document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::HeadingWitness));
    }

    #[test]
    fn a_progress_sheet_listing_the_items_again_names_the_same_nodes() {
        let text = "第1 施策\n1 支援\n(1) 研修\n(2) 講座\n2 人材\n(1) 確保\n(2) 定着\n\
                    進捗状況等点検票\n(1) 研修\n(2) 講座\n(1) 確保\n";
        assert_eq!(
            tree(text),
            [
                "1 施策",
                "  1 支援",
                "    1 研修",
                "    2 講座",
                "  2 人材",
                "    1 確保",
                "    2 定着"
            ]
        );
    }

    #[test]
    fn numbered_lines_under_an_indicator_label_are_indicators() {
        let text = "基本目標1 まち\n【成果指標】\n(1) 参加率 現状32%→目標40%\n\
                    施策1 見守り\n【今後の方向性】\n(1) 情報発信\n";
        assert_eq!(tree(text), ["1 まち", "  1 見守り", "    1 情報発信"]);
    }

    #[test]
    fn the_largest_numbers_do_not_overflow() {
        let text = "基本方針4294967295 見守り\n4294967295 相談\n(4294967295) 窓口\n";
        // Read without a panic (an overflow panics in a test build).
        let _ = tree(text);
    }

    #[test]
    fn items_below_the_fourth_level_are_text() {
        let text = "第1 施策\n1 支援\n(1) 研修\nア 開催\n(ア) 会場の確保\n(イ) 講師の依頼\n\
                    2 人材\n(1) 確保\nア 説明会\n(ア) 日程\n";
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        let subs: Vec<&str> = document.goals[0]
            .policies
            .iter()
            .flat_map(|p| &p.measures)
            .flat_map(|m| &m.sub_measures)
            .filter_map(|s| s.title.as_deref())
            .collect();
        assert_eq!(subs, ["開催", "説明会"]);
    }

    #[test]
    fn text_after_a_list_of_indicators_ends_it() {
        let text = "基本目標1 まち\n施策1 見守り\n【成果指標】\n(1) 参加率 32%\n\
                    地域の見守りを広げます。\n(1) 訪問\n(2) 相談\n";
        assert_eq!(
            tree(text),
            ["1 まち", "  1 見守り", "    1 訪問", "    2 相談"]
        );
    }

    #[test]
    fn numbers_alone_inside_a_word_hold_lower_words() {
        let text = "重点戦略1、支え合う社会\n1、共生プログラム\n重点施策1、体制づくり\n\
                    重点施策2、居場所づくり\n2、権利擁護プログラム\n重点施策1、後見人の養成\n";
        assert_eq!(
            tree(text),
            [
                "1 支え合う社会",
                "  1 共生プログラム",
                "    1 体制づくり",
                "    2 居場所づくり",
                "  2 権利擁護プログラム",
                "    1 後見人の養成"
            ]
        );
    }

    #[test]
    fn a_progress_sheet_gives_a_prose_section_its_target() {
        let text = "基本目標1 職場\n(1)採用の拡大\n女性の採用を増やします。\n\
                    (2)休暇の取得\n目標\t推進者\n①年次休暇の取得を促します。\t総務課長\n\
                    点検票\n(1)採用の拡大 採用者に占める女性の割合を50%とします。\n\
                    (2)休暇の取得 取得率を上げます。\n";
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        let measures = &document.goals[0].policies;
        let items: Vec<Vec<Option<&str>>> = measures
            .iter()
            .map(|p| p.initiatives.iter().map(|i| i.name.as_deref()).collect())
            .collect();
        // Measure (1) wrote its target as prose: the sheet's is its item.
        // Measure (2) lists its own: the sheet's sentence is a paragraph.
        assert_eq!(
            items,
            [
                vec![Some("採用者に占める女性の割合を50%とします。")],
                vec![Some("年次休暇の取得を促します。")]
            ]
        );
        assert!(measures[1]
            .paragraphs
            .iter()
            .any(|p| p.text == "取得率を上げます。"));
        let witnessed = document
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::HeadingWitness)
            .count();
        assert_eq!(witnessed, 4);
    }

    #[test]
    fn a_sentence_after_a_title_never_read_before_is_no_witness() {
        let text = "基本目標1 職場\n(1)採用の拡大\n女性の採用を増やします。\n\
                    (1)休暇の取得 取得率を上げます。\n";
        let document = crate::convert("t.txt", text.as_bytes()).unwrap();
        let policies = &document.goals[0].policies;
        assert_eq!(policies.len(), 1);
        assert!(policies[0].initiatives.is_empty());
    }

    #[test]
    fn other_plans_words_for_their_levels_rank_them() {
        // 基本的な方針 ranks as a goal, so 目標 (a goal's word elsewhere)
        // stands under it; 重点目標 ranks as a policy under 基本目標.
        let text = "基本的な方針1 学ぶ力を育む\n目標(1)確かな学力の育成\n①少人数指導の充実\n\
                    目標(2)豊かな心の育成\n基本的な方針2 社会を支える\n目標(3)キャリア教育の推進\n";
        assert_eq!(
            tree(text),
            [
                "1 学ぶ力を育む",
                "  1 確かな学力の育成",
                "    1 少人数指導の充実",
                "  2 豊かな心の育成",
                "2 社会を支える",
                "  3 キャリア教育の推進"
            ]
        );
        let text = "基本目標Ⅰ意識の改革\n重点目標1 役割分担意識の解消\n(1)広報・啓発活動の充実\n\
                    基本目標Ⅱ女性の参画\n重点目標2 働く場での活躍\n(1)就業の支援\n";
        assert_eq!(
            tree(text),
            [
                "1 意識の改革",
                "  1 役割分担意識の解消",
                "    1 広報・啓発活動の充実",
                "2 女性の参画",
                "  2 働く場での活躍",
                "    1 就業の支援"
            ]
        );
    }

    #[test]
    fn a_heading_that_goes_on_as_sentences_is_no_heading() {
        // A chart written out for a text version: each line a goal and its
        // policies as sentences, before the body prints them as headings.
        // The first line's title goes on after a sentence end; the second
        // ends in one, so no heading is read from it at all.
        let text = "基本目標1 理解の推進。(1) 理解の促進。(2) 虐待の防止\n\
                    基本目標2 生活の支援。(1) 相談の充実。\n\
                    基本目標1 理解の推進\n(1) 理解の促進\n(2) 虐待の防止\n\
                    基本目標2 生活の支援\n(1) 相談の充実\n";
        assert_eq!(
            tree(text),
            [
                "1 理解の推進",
                "  1 理解の促進",
                "  2 虐待の防止",
                "2 生活の支援",
                "  1 相談の充実"
            ]
        );
    }

    #[test]
    fn marked_labels_inside_headings_close_no_level_and_a_new_one_after_them_does() {
        // ■主な取組 under each 施策 is a label of its text; the (1) under it
        // are the policy's measures, in the last 施策 too. ■計画の推進 after
        // the last heading is a section of the document: it closes them.
        let text = "政策1 健やかなまち\n施策1 健康づくり\n■主な取組\n(1) 健診の勧奨\n\
                    施策2 地域福祉\n■主な取組\n(1) 会議の開催\n(2) 見守り\n\
                    ■計画の推進\n(1) 推進体制\n";
        assert_eq!(
            tree(text),
            [
                "1 健やかなまち",
                "  1 健康づくり",
                "    1 健診の勧奨",
                "  2 地域福祉",
                "    1 会議の開催",
                "    2 見守り"
            ]
        );
    }

    #[test]
    fn level_words_in_any_bracket_and_fields_of_a_plan_are_levels() {
        let text =
            "◆重点目標１　観光の振興\n〔施策の方向１〕観光客の誘致\n〔施策の方向２〕受入環境\n";
        assert_eq!(
            tree(text),
            ["1 観光の振興", "  1 観光客の誘致", "  2 受入環境"]
        );
        let text = "分野1　栄養・食生活\n(1) 子どもの食育\n分野2　運動\n(1) きっかけづくり\n";
        assert_eq!(
            tree(text),
            [
                "1 栄養・食生活",
                "  1 子どもの食育",
                "2 運動",
                "  1 きっかけづくり"
            ]
        );
    }

    #[test]
    fn an_outer_list_going_on_after_the_goals_closes_them() {
        let text = "Ⅰ.計画の考え方\n1.計画の趣旨\nⅡ.施策の展開\n\
                    重点目標1 参画の拡大\n1.審議会への登用\n(1)登用の促進\n\
                    重点目標2 仕事と生活\n1.働き方の見直し\n(1)時間外労働の是正\n\
                    Ⅲ.計画の推進\n1.推進体制\n(1)推進本部\n2.進行管理\n(1)年次報告\n";
        assert_eq!(
            tree(text),
            [
                "1 参画の拡大",
                "  1 審議会への登用",
                "    1 登用の促進",
                "2 仕事と生活",
                "  1 働き方の見直し",
                "    1 時間外労働の是正"
            ]
        );
    }
}
