//! Headings: a new node under the cursor, the open node again (a repeat at
//! a page break), or a node read earlier (a witness: a table of contents,
//! a chart, a progress sheet); the levels a plan skips; the titles two
//! witnesses of one heading are matched by.

use super::cursor::OpenNode;
use super::markers::{HeadingMarker, Level};
use super::paragraphs::Unit;
use super::{text_at, Expect, PendingMarker, Segmenter};
use crate::document::{
    Goal, Heading, Initiative, Location, Measure, Policy, Span, SubMeasure, WarningCode,
};
use crate::quoted::Quoted;

/// Two titles closer than this (normalized Levenshtein similarity) are the
/// same heading printed twice, one with a typo.
const SAME_TITLE_SIMILARITY: f64 = 0.6;

impl Segmenter {
    /// A heading line: the same node again (a page-break repeat), or a new
    /// node under the cursor.
    pub(super) fn heading(
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
                format!(
                    "heading {text:?} has no {} above it",
                    parent_name(level),
                    text = Quoted(text)
                ),
            );
            return;
        };
        if let Some(index) = self.earlier_sibling(level, &marker, current.as_ref()) {
            self.cursor = self.cursor.opened(level, index);
            self.witnessed.entry(self.cursor.up_to(level)).or_insert(at);
            self.warn(
                WarningCode::HeadingWitness,
                at,
                format!(
                    "heading {text:?} names {} {} read earlier; read as that node again",
                    level_name(level),
                    marker.number,
                    text = Quoted(text)
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
                let cut_short = match (title.as_deref(), marker.title.as_deref()) {
                    (Some(open), Some(new)) => is_cut_short(new, open),
                    _ => false,
                };
                if cut_short || same_title(title.as_deref(), marker.title.as_deref()) {
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
                        Quoted(&title.unwrap_or_default()),
                        text = Quoted(text)
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
                    self.cursor_description(),
                    item = Quoted(&item)
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
                    self.cursor_description(),
                    item = Quoted(&item)
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
                text = Quoted(text),
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

    /// The badge waiting for a heading of `level` (only policies take one).
    pub(super) fn take_badge(&mut self, level: Level) -> Option<PendingMarker> {
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
            let titles = self.titles.entry(key).or_default();
            // A title cut short (a merged cell drawn again, clipped, at the
            // top of the next page) is no variant to vote on.
            match titles.iter().find(|(full, _)| is_cut_short(title, full)) {
                Some((full, _)) => {
                    let message = format!(
                        "a repeated heading reads {title:?}, the start of the title {full:?}; read as that title cut short",
                        title = Quoted(title),
                        full = Quoted(full)
                    );
                    self.warn(WarningCode::HeadingVariant, at, message);
                }
                None => titles.push((title.clone(), at)),
            }
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
                    indicators: Vec::new(),
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
                    indicators: Vec::new(),
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
                    indicators: Vec::new(),
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
                    indicators: Vec::new(),
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
pub(super) fn headings_of(unit: &Unit) -> Vec<Heading> {
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
pub(super) fn titles_match(a: &str, b: &str) -> bool {
    // Compared as they are read, no copy made: most pairs differ early.
    fn letters(title: &str) -> impl Iterator<Item = char> + '_ {
        title.chars().filter(|c| !c.is_whitespace())
    }
    letters(a).eq(letters(b))
}

/// A title as two witnesses of one heading are matched: without white
/// space (a table of contents pads titles with spaces).
pub(super) fn without_spaces(title: &str) -> String {
    // The runs between spaces copied whole, not a character at a time.
    title.split(char::is_whitespace).collect()
}

/// A title that is the start of another, at least [`MIN_CUT_TITLE`]
/// characters of it: the same title cut short where its cell or line was
/// clipped (a spreadsheet draws a cell merged across a page break again at
/// the top of the next page, as much as fits).
pub(super) fn is_cut_short(title: &str, full: &str) -> bool {
    // A heading repeated on every page is mostly compared with its own
    // title, letter for letter to the end: the same text, told at once,
    // is not cut short.
    if title == full {
        return false;
    }
    // Compared as they are read, as [`titles_match`]: a heading is tried
    // against every title open, and most differ at once.
    let mut title = title.chars().filter(|c| !c.is_whitespace());
    let mut full = full.chars().filter(|c| !c.is_whitespace());
    let mut length = 0;
    for letter in title.by_ref() {
        if full.next() != Some(letter) {
            return false;
        }
        length += 1;
    }
    length >= MIN_CUT_TITLE && full.next().is_some()
}

/// The fewest characters of a title that tell it cut short from another
/// title that happens to start alike.
const MIN_CUT_TITLE: usize = 4;

/// Two titles of one heading printed twice, one perhaps with a typo
/// (normalized Levenshtein similarity at least [`SAME_TITLE_SIMILARITY`]);
/// a missing title matches any.
pub(super) fn same_title(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a == b {
        return true;
    }
    // The distance is at least the difference in length, so titles whose
    // lengths differ too much are told apart without the distance's table
    // (a title is compared with every heading printed near it).
    let (length_a, length_b) = (a.chars().count(), b.chars().count());
    let longer = length_a.max(length_b) as f64;
    if 1.0 - length_a.abs_diff(length_b) as f64 / longer < SAME_TITLE_SIMILARITY {
        return false;
    }
    strsim::normalized_levenshtein(a, b) >= SAME_TITLE_SIMILARITY
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

fn push<T>(list: &mut Vec<T>, item: T) -> usize {
    list.push(item);
    list.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`is_cut_short`] means, written the plain way: both titles
    /// without white space, the first a shorter start of the second, of
    /// [`MIN_CUT_TITLE`] characters or more.
    fn cut_short_by_copies(title: &str, full: &str) -> bool {
        let (title, full) = (without_spaces(title), without_spaces(full));
        title.chars().count() >= MIN_CUT_TITLE
            && title.len() < full.len()
            && full.starts_with(&title)
    }

    /// What [`same_title`] means, without its shortcuts.
    fn same_title_by_distance(a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => strsim::normalized_levenshtein(a, b) >= SAME_TITLE_SIMILARITY,
            _ => true,
        }
    }

    #[test]
    fn same_title_agrees_with_the_distance_at_the_length_bound() {
        // A title of 5 against titles of 0 to 12: at 2 or fewer and 9 or
        // more the lengths decide, between them the distance does.
        let a = "地域福祉計";
        for length in 0..=12 {
            for b in [
                "地域福祉計画推進協議会"
                    .chars()
                    .take(length)
                    .collect::<String>(),
                "あ".repeat(length),
            ] {
                assert_eq!(
                    same_title(Some(a), Some(&b)),
                    same_title_by_distance(Some(a), Some(&b)),
                    "{a} ~ {b}"
                );
            }
        }
        assert!(same_title(Some(""), Some("")));
        assert!(!same_title(Some(""), Some("あ")));
        assert!(same_title(None, Some("あ")));
    }

    #[test]
    fn a_title_cut_short() {
        assert!(is_cut_short("地域 で支え", "地域で支え合う まちづくり"));
        for (title, full, why) in [
            ("地域で", "地域で支え合う", "too short to tell"),
            ("地域で支え合う", "地域 で支え合う", "the same title"),
            ("地域で支え合う", "地域で支え合う", "the same text"),
            ("地域で支え合う人", "地域で支え合う", "longer"),
            ("地域を支え", "地域で支え合う", "another title"),
        ] {
            assert!(!is_cut_short(title, full), "{why}");
        }
    }

    proptest! {
        #[test]
        fn same_title_agrees_with_the_distance(
            a in "[地域福祉のまちづくり ]{0,12}",
            b in "[地域福祉のまちづくり ]{0,12}",
        ) {
            prop_assert_eq!(same_title(Some(&a), Some(&b)), same_title_by_distance(Some(&a), Some(&b)));
        }

        // Titles of a few letters and spaces, so that starts and
        // near-starts are common.
        #[test]
        fn cut_short_read_in_place_agrees_with_copies(
            title in "[地域 で支\u{3000}合]{0,9}",
            full in "[地域 で支\u{3000}合]{0,12}",
        ) {
            prop_assert_eq!(is_cut_short(&title, &full), cut_short_by_copies(&title, &full));
            let prefix: String = full.chars().take(title.chars().count()).collect();
            prop_assert_eq!(is_cut_short(&prefix, &full), cut_short_by_copies(&prefix, &full));
        }
    }
}
