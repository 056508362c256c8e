//! Where a unit of plain text goes: the text a marker alone on its line was
//! waiting for (the 基本理念, the 【めざす方向】, a heading's title, the rest
//! of a legend entry), else a paragraph of the open section, policy, goal
//! or preamble.

use super::paragraphs::Unit;
use super::{headings_of, notations, prose, sections, Expect, Segmenter};
use crate::document::{Location, Philosophy, Span, Text, WarningCode};
use crate::normalize::join_wrapped;
use crate::quoted::Quoted;

/// Marks that open a note (注記) under a table.
const NOTE_MARKS: &[char] = &['※', '＊', '*'];

/// A legend entry's label broken across lines goes on for at most this many
/// characters on the next line.
const LEGEND_CONTINUATION_MAX_CHARS: usize = 20;

/// A marker line (【めざす方向】 alone) whose text is still to come: placed
/// with its text, or unplaced if something else comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PendingMarker {
    pub(super) span: Span,
    /// Its source lines as printed, for the unplaced list.
    pub(super) lines: Vec<(Location, String)>,
}

/// The wave dashes that enclose a subtitle (NFKC leaves `〜` as the
/// normalize stage writes `～`).
const TILDES: &[char] = &['〜', '~'];

impl PendingMarker {
    /// The marker's lines as printed, joined: a label.
    pub(super) fn label(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(_, raw)| raw.trim()).collect();
        crate::normalize::normalize_chars(&lines.join(" "))
            .trim()
            .to_string()
    }
}

impl Segmenter {
    pub(super) fn direction_marker(&mut self, content: Option<String>, unit: &Unit) {
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

    pub(super) fn plain_text(&mut self, text: String, unit: &Unit) {
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
            // A numbered heading after the label is the next entry of a
            // list the label belongs to (a table of contents, `１．基本理念` /
            // `２．基本的視点`): the label has no text here and stays a
            // paragraph; the heading is read as it stands.
            Expect::Philosophy(marker) if notations::read_heading_line(&text).is_some() => {
                self.place_paragraph(Text {
                    text: marker.label(),
                    span: marker.span,
                });
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
                            entry.mark,
                            entry.label,
                            Quoted(&text)
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
        // A note under a table (`※…`) is the table's text, read as prose;
        // any other line amid its rows is a piece of a cell the export cut
        // off, which no field can take.
        if self.table.is_some() && !text.starts_with(NOTE_MARKS) {
            self.unplace(unit, "a line inside a table that is not a row of it");
            return;
        }
        self.place_paragraph(text_of(text, unit));
    }

    /// Prose goes into the open section, else under the innermost open
    /// policy or goal, else before the first goal (the title first).
    pub(super) fn place_paragraph(&mut self, text: Text) {
        if let Some(section) = self.open_section_mut() {
            section.paragraphs.push(text);
            return;
        }
        let owner = self.current_owner();
        if owner == sections::Owner::Document
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
    pub(super) fn place_philosophy(&mut self, text: Text, label: Option<String>) {
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
}

pub(super) fn text_at(text: String, at: Location) -> Text {
    Text {
        text,
        span: Span::line(at),
    }
}

/// The text of `unit`, with its span.
pub(super) fn text_of(text: String, unit: &Unit) -> Text {
    Text {
        text,
        span: unit.span(),
    }
}

/// A marker standing alone, waiting for its text in the next unit.
pub(super) fn pending(unit: &Unit) -> PendingMarker {
    PendingMarker {
        span: unit.span(),
        lines: unit
            .text_lines()
            .map(|line| (line.location, line.raw().into_owned()))
            .collect(),
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
