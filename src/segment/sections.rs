//! Sections of the text (priority sections, data call-outs, labelled
//! blocks, action sections) and who holds them: the document, a goal or a
//! policy. The open section takes prose until the next heading.

use super::paragraphs::Unit;
use super::Segmenter;
use super::{headings_of, same_title};
use crate::document::{Section, SectionKind, Text, WarningCode};
use crate::quoted::Quoted;

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
    pub(super) owner: Owner,
    pub(super) index: usize,
}

impl Segmenter {
    /// Where a ◎重点的な取組 section goes: the policy of the open goal it
    /// names; failing that, the goal's one policy flagged priority (with a
    /// warning: the title names another); failing that, the goal.
    pub(super) fn priority_owner(&mut self, section: &Section) -> Owner {
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
                    Quoted(title.unwrap_or_default()),
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
                Quoted(title.unwrap_or_default()),
                self.doc.goals[g].number
            ),
        );
        Owner::Goal(g)
    }

    pub(super) fn new_section(&self, kind: SectionKind, unit: &Unit) -> Section {
        let mut section = Section::new(kind);
        section.category = self.category.clone();
        section.headings = headings_of(unit);
        section
    }

    pub(super) fn open_section(&mut self, owner: Owner, section: Section) {
        let index = self.add_section(owner, section);
        self.section = Some(SectionRef { owner, index });
    }

    pub(super) fn add_section(&mut self, owner: Owner, section: Section) -> usize {
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

    pub(super) fn sections_mut(&mut self, owner: Owner) -> &mut Vec<Section> {
        match owner {
            Owner::Document => &mut self.doc.sections,
            Owner::Goal(g) => &mut self.doc.goals[g].sections,
            Owner::Policy(g, p) => &mut self.doc.goals[g].policies[p].sections,
        }
    }

    pub(super) fn section_at(&self, r: SectionRef) -> &Section {
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

    pub(super) fn open_section_kind(&self) -> Option<SectionKind> {
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

pub(super) fn section_name(section: &Section) -> String {
    let label = section.label.as_deref().unwrap_or_default();
    let title = section.title.as_deref().unwrap_or_default();
    format!("{label} {title:?}", title = Quoted(title))
}
