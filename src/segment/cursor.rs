//! The tree walk: where the segmenter stands (a [`Cursor`] on the open
//! goal, policy, measure and sub-measure), the nodes it can reach from
//! there, and where an initiative goes.

use super::markers::Level;
use super::Segmenter;
use crate::document::{Goal, Heading, Indicator, Initiative, Policy, WarningCode};

/// Where the segmenter stands in the tree: the index of the open node at each
/// level, inner levels `None` when closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Cursor {
    pub(super) goal: Option<usize>,
    pub(super) policy: Option<usize>,
    pub(super) measure: Option<usize>,
    pub(super) sub_measure: Option<usize>,
}

/// The node open at some level: its index among its siblings, its number
/// and its first title.
pub(super) struct OpenNode {
    pub(super) index: usize,
    pub(super) number: u32,
    pub(super) title: Option<String>,
}

impl Cursor {
    /// The cursor with `level` set to `index` and the levels inside it closed.
    pub(super) fn opened(self, level: Level, index: usize) -> Cursor {
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
    pub(super) fn up_to(self, level: Level) -> Cursor {
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

impl Segmenter {
    pub(super) fn goal_mut(&mut self) -> &mut Goal {
        let goal = self.cursor.goal.expect("a goal is open");
        &mut self.doc.goals[goal]
    }

    /// The node open at `level`: `None` if its parent is not open (no place
    /// for a heading of that level), `Some(None)` if no node of that level
    /// is open yet.
    pub(super) fn current_at(&self, level: Level) -> Option<Option<OpenNode>> {
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

    pub(super) fn policy_at(&mut self, c: Cursor) -> &mut Policy {
        &mut self.doc.goals[c.goal.unwrap_or_default()].policies[c.policy.unwrap_or_default()]
    }

    /// The title and headings of the node `key` names (its deepest level).
    pub(super) fn node_parts(&mut self, key: Cursor) -> (&mut Option<String>, &mut Vec<Heading>) {
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

    /// The key of the node a heading of `level` stands under (the
    /// document's for a goal).
    pub(super) fn parent_key(&self, level: Level) -> Cursor {
        match level {
            Level::Goal => Cursor::default(),
            Level::Policy => self.cursor.up_to(Level::Goal),
            Level::Measure => self.cursor.up_to(Level::Policy),
            Level::SubMeasure => self.cursor.up_to(Level::Measure),
        }
    }

    /// The title of the sibling `index` at `level` under the open parent.
    pub(super) fn sibling_title(&self, level: Level, index: usize) -> Option<&str> {
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

    pub(super) fn open_policy_mut(&mut self) -> Option<&mut Policy> {
        let c = self.cursor;
        self.doc.goals.get_mut(c.goal?)?.policies.get_mut(c.policy?)
    }

    pub(super) fn initiatives_under_cursor_mut(&mut self) -> &mut Vec<Initiative> {
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

    /// The indicators of the cursor's innermost node.
    pub(super) fn indicators_under_cursor_mut(&mut self) -> &mut Vec<Indicator> {
        let c = self.cursor;
        let Some(goal) = c.goal.map(|g| &mut self.doc.goals[g]) else {
            return &mut self.doc.indicators;
        };
        let Some(policy) = c.policy.map(|p| &mut goal.policies[p]) else {
            return &mut goal.indicators;
        };
        let Some(measure) = c.measure.map(|m| &mut policy.measures[m]) else {
            return &mut policy.indicators;
        };
        match c.sub_measure {
            Some(s) => &mut measure.sub_measures[s].indicators,
            None => &mut measure.indicators,
        }
    }

    /// Puts an indicator under the cursor's innermost node.
    pub(super) fn attach_indicator(&mut self, indicator: Indicator) {
        self.indicators_under_cursor_mut().push(indicator);
    }

    pub(super) fn initiatives_under_cursor(&self) -> &[Initiative] {
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
    pub(super) fn attach(&mut self, initiative: Initiative) {
        if self.cursor.goal.is_none() {
            self.warn(
                WarningCode::MissingParent,
                initiative.span.start(),
                "a table row before any goal heading".into(),
            );
        }
        self.initiatives_under_cursor_mut().push(initiative);
    }

    pub(super) fn cursor_description(&self) -> String {
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

    /// Moves the cursor to the nodes numbered `ancestors` (from the goal
    /// down) above a heading of `level`: the last node of each number, under
    /// the one found above it. Stops where a number is not found.
    pub(super) fn move_to_ancestors(&mut self, level: Level, ancestors: &[u32]) {
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
}
