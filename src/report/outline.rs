//! The plan as an outline (基本理念 → goals → policies → measures →
//! sub-measures → initiatives and indicators), and, from the same walk,
//! where every line of the source went: the report's "clicking a line
//! shows where it went" and the colour of each line come from [`Places`].

use super::html::{self, locator};
use crate::document::{
    Document, Goal, Heading, Indicator, Initiative, Measure, Policy, Section, Span, SubMeasure,
    Text,
};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What a line became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The document's title, preamble or 基本理念.
    Front,
    /// A heading of a node of the plan.
    Heading,
    /// Prose: a description, a paragraph, a section's text.
    Prose,
    /// An initiative.
    Record,
    /// An indicator.
    Indicator,
    /// A legend entry or a table's header row.
    Key,
}

impl Role {
    /// The class a line of this role has in the source view.
    pub fn class(self) -> &'static str {
        match self {
            Role::Front => "front",
            Role::Heading => "heading",
            Role::Prose => "prose",
            Role::Record => "record",
            Role::Indicator => "indicator",
            Role::Key => "key",
        }
    }
}

/// One thing of the output that says it came from some lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// What it is, in words (`基本目標 1 › 基本方針 2 › 取組 12 見守り`).
    pub label: String,
    /// The id of the outline element that shows it.
    pub anchor: String,
    /// The goal it stands under (its index), which gives its colour.
    pub goal: Option<usize>,
    /// What the lines became.
    pub role: Role,
}

/// Every place, and the places of each line.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// The places, in document order.
    pub places: Vec<Place>,
    /// For each line, the places (indices into `places`) that cover it.
    pub by_line: BTreeMap<u32, Vec<usize>>,
}

impl Places {
    fn add(&mut self, first: u32, last: u32, place: Place) {
        let index = self.places.len();
        self.places.push(place);
        for line in first..=last.max(first) {
            self.by_line.entry(line).or_default().push(index);
        }
    }

    /// The places that cover `line`.
    pub fn of_line(&self, line: u32) -> impl Iterator<Item = &Place> {
        self.by_line
            .get(&line)
            .into_iter()
            .flatten()
            .map(|&i| &self.places[i])
    }
}

/// The outline as HTML (nested lists, each node a `<details>` whose
/// summary names it), and the places it found.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The HTML of the outline.
    pub html: String,
    /// Where each line went.
    pub places: Places,
}

/// The outline of `document`.
pub fn outline(document: &Document) -> Outline {
    let mut walk = Walk::default();
    walk.front(document);
    walk.html.push_str(r#"<ul class="tree">"#);
    let top = Node {
        anchor: "outline".into(),
        label: String::new(),
        goal: None,
    };
    walk.sections(&top, &document.sections);
    for (index, goal) in document.goals.iter().enumerate() {
        walk.goal(index, goal);
    }
    walk.leaves(&top, &document.initiatives, &document.indicators);
    walk.html.push_str("</ul>");
    Outline {
        html: walk.html,
        places: walk.places,
    }
}

/// The node a walk is in: what a line under it is called and coloured.
struct Node {
    anchor: String,
    label: String,
    goal: Option<usize>,
}

impl Node {
    fn child(&self, anchor: String, name: &str) -> Node {
        Node {
            label: if self.label.is_empty() {
                name.to_string()
            } else {
                format!("{} › {name}", self.label)
            },
            anchor,
            goal: self.goal,
        }
    }

    fn place(&self, what: &str, role: Role) -> Place {
        Place {
            label: if self.label.is_empty() {
                what.to_string()
            } else {
                format!("{}: {what}", self.label)
            },
            anchor: self.anchor.clone(),
            goal: self.goal,
            role,
        }
    }
}

#[derive(Default)]
struct Walk {
    html: String,
    places: Places,
    records: usize,
}

/// How a node names itself: the document's word for its level and its
/// number (`基本目標 1`), or the number alone in the document's absence of
/// a word.
fn node_name(level_word: Option<&str>, number: u32) -> String {
    match level_word {
        Some(word) => format!("{word} {number}"),
        None => format!("{number}"),
    }
}

impl Walk {
    fn text_place(&mut self, node: &Node, text: &Text, what: &str, role: Role) {
        self.places.add(
            text.span.line_start,
            text.span.line_end,
            node.place(what, role),
        );
    }

    /// The title, the preamble and the 基本理念, before the tree.
    fn front(&mut self, document: &Document) {
        let top = Node {
            anchor: "outline".into(),
            label: String::new(),
            goal: None,
        };
        let mut items = String::new();
        if let Some(title) = &document.title {
            self.text_place(&top, title, "title", Role::Front);
            item(&mut items, "表題 title", &title.text, title.span);
        }
        for text in &document.preamble {
            self.text_place(&top, text, "preamble", Role::Front);
        }
        if let Some(philosophy) = &document.philosophy {
            self.places.add(
                philosophy.span.line_start,
                philosophy.span.line_end,
                top.place("基本理念", Role::Front),
            );
            let label = philosophy.label.as_deref().unwrap_or("基本理念");
            item(&mut items, label, &philosophy.text, philosophy.span);
        }
        for entry in &document.legends {
            self.places.add(
                entry.span.line_start,
                entry.span.line_end,
                top.place(
                    &format!("legend {}: {}", entry.mark, entry.label),
                    Role::Key,
                ),
            );
        }
        for table in &document.tables {
            self.places.add(
                table.span.line_start,
                table.span.line_end,
                top.place("table header", Role::Key),
            );
        }
        if !items.is_empty() {
            let _ = write!(self.html, r#"<dl class="front">{items}</dl>"#);
        }
    }

    /// Opens a node: its `<li>`, its `<details>` and its summary line.
    fn open(
        &mut self,
        node: &Node,
        class: &str,
        name: &str,
        title: Option<&str>,
        at: Option<Span>,
    ) {
        let colour = node
            .goal
            .map(|g| format!(" g{}", g % 8))
            .unwrap_or_default();
        let _ = write!(
            self.html,
            r#"<li class="node {class}{colour}" id="{}"><details open><summary><span class="sw" aria-hidden="true"></span><span class="lw">{}</span> <span class="tt">{}</span> "#,
            html::attr(&node.anchor),
            html::text(name),
            html::text(title.unwrap_or("(no title)")),
        );
        if let Some(span) = at {
            locator(&mut self.html, span.page, span.line_start, span.line_end);
        }
        self.html.push_str("</summary><ul>");
    }

    fn close(&mut self) {
        self.html.push_str("</ul></details></li>");
    }

    fn headings(&mut self, node: &Node, headings: &[Heading]) -> Option<Span> {
        for heading in headings {
            self.places.add(
                heading.line,
                heading.line,
                node.place("heading", Role::Heading),
            );
        }
        headings.first().map(|h| Span::line(h.location()))
    }

    fn goal(&mut self, index: usize, goal: &Goal) {
        let name = node_name(goal.level_word.as_deref(), goal.number);
        let node = Node {
            anchor: format!("n-g{index}"),
            label: name.clone(),
            goal: Some(index),
        };
        let at = self.headings(&node, &goal.headings);
        self.open(&node, "goal", &name, goal.title.as_deref(), at);
        if let Some(direction) = &goal.direction {
            self.text_place(&node, direction, "めざす方向", Role::Prose);
            prose_item(&mut self.html, "めざす方向", direction);
        }
        for text in &goal.descriptions {
            self.text_place(&node, text, "description", Role::Prose);
        }
        prose_count(&mut self.html, goal.descriptions.len(), "description");
        self.sections(&node, &goal.sections);
        for (p, policy) in goal.policies.iter().enumerate() {
            self.policy(&node, p, policy);
        }
        self.leaves(&node, &goal.initiatives, &goal.indicators);
        self.close();
    }

    fn policy(&mut self, parent: &Node, index: usize, policy: &Policy) {
        let name = node_name(policy.level_word.as_deref(), policy.number);
        let node = parent.child(format!("{}-p{index}", parent.anchor), &name);
        let at = self.headings(&node, &policy.headings);
        let class = if policy.priority {
            "policy priority"
        } else {
            "policy"
        };
        self.open(&node, class, &name, policy.title.as_deref(), at);
        if let Some(description) = &policy.description {
            self.text_place(&node, description, "description", Role::Prose);
            prose_item(&mut self.html, "description", description);
        }
        for text in &policy.paragraphs {
            self.text_place(&node, text, "paragraph", Role::Prose);
        }
        prose_count(&mut self.html, policy.paragraphs.len(), "paragraph");
        self.sections(&node, &policy.sections);
        for (m, measure) in policy.measures.iter().enumerate() {
            self.measure(&node, m, measure);
        }
        self.leaves(&node, &policy.initiatives, &policy.indicators);
        self.close();
    }

    fn measure(&mut self, parent: &Node, index: usize, measure: &Measure) {
        let name = node_name(measure.level_word.as_deref(), measure.number);
        let node = parent.child(format!("{}-m{index}", parent.anchor), &name);
        let at = self.headings(&node, &measure.headings);
        self.open(&node, "measure", &name, measure.title.as_deref(), at);
        for (s, sub) in measure.sub_measures.iter().enumerate() {
            self.sub_measure(&node, s, sub);
        }
        self.leaves(&node, &measure.initiatives, &measure.indicators);
        self.close();
    }

    fn sub_measure(&mut self, parent: &Node, index: usize, sub: &SubMeasure) {
        let name = node_name(sub.level_word.as_deref(), sub.number);
        let node = parent.child(format!("{}-s{index}", parent.anchor), &name);
        let at = self.headings(&node, &sub.headings);
        self.open(&node, "sub-measure", &name, sub.title.as_deref(), at);
        self.leaves(&node, &sub.initiatives, &sub.indicators);
        self.close();
    }

    fn sections(&mut self, parent: &Node, sections: &[Section]) {
        for section in sections {
            let name = section
                .label
                .clone()
                .or_else(|| section.title.clone())
                .unwrap_or_else(|| super::json_name(section.kind));
            for heading in &section.headings {
                self.places.add(
                    heading.line,
                    heading.line,
                    parent.place(&format!("section {name}"), Role::Heading),
                );
            }
            let texts = section
                .paragraphs
                .iter()
                .chain(&section.actions)
                .chain(&section.notes);
            for text in texts {
                self.text_place(parent, text, &format!("section {name}"), Role::Prose);
            }
            let _ = write!(
                self.html,
                r#"<li class="section"><span class="lw">{}</span> {}"#,
                html::text(&name),
                html::text(section.title.as_deref().unwrap_or_default()),
            );
            if let Some(heading) = section.headings.first() {
                self.html.push(' ');
                locator(&mut self.html, heading.page, heading.line, heading.line);
            }
            self.html.push_str("</li>");
        }
    }

    /// A node's initiatives and indicators, each a leaf of the outline.
    fn leaves(&mut self, parent: &Node, initiatives: &[Initiative], indicators: &[Indicator]) {
        for initiative in initiatives {
            self.records += 1;
            let anchor = format!("o-{}", self.records);
            let name = match (initiative.number, &initiative.name) {
                (Some(n), Some(name)) => format!("{n} {name}"),
                (None, Some(name)) => name.clone(),
                (Some(n), None) => n.to_string(),
                (None, None) => "(no name)".into(),
            };
            let place = Place {
                anchor: anchor.clone(),
                ..parent.place(&format!("initiative {name}"), Role::Record)
            };
            let span = initiative.span;
            self.places.add(span.line_start, span.line_end, place);
            let _ = write!(
                self.html,
                r#"<li class="leaf record" id="{anchor}"><span class="tt">{}</span>"#,
                html::text(&name)
            );
            if !initiative.departments.is_empty() {
                let _ = write!(
                    self.html,
                    r#" <span class="dept">{}</span>"#,
                    html::text(&initiative.departments.join("・"))
                );
            }
            if let Some(rating) = initiative
                .rating
                .as_ref()
                .or(initiative.progress_mark.as_ref())
            {
                let _ = write!(
                    self.html,
                    r#" <span class="rating">{}</span>"#,
                    html::text(rating)
                );
            }
            self.html.push(' ');
            locator(&mut self.html, span.page, span.line_start, span.line_end);
            self.html.push_str("</li>");
        }
        for indicator in indicators {
            self.records += 1;
            let anchor = format!("o-{}", self.records);
            let place = Place {
                anchor: anchor.clone(),
                ..parent.place(&format!("indicator {}", indicator.name), Role::Indicator)
            };
            let span = indicator.span;
            self.places.add(span.line_start, span.line_end, place);
            let target = indicator
                .target
                .as_ref()
                .map(|t| format!(" → {}", t.raw))
                .unwrap_or_default();
            let _ = write!(
                self.html,
                r#"<li class="leaf indicator" id="{anchor}"><span class="lw">指標</span> <span class="tt">{}</span>{} "#,
                html::text(&indicator.name),
                html::text(&target)
            );
            locator(&mut self.html, span.page, span.line_start, span.line_end);
            self.html.push_str("</li>");
        }
    }
}

fn item(out: &mut String, label: &str, value: &str, span: Span) {
    let _ = write!(
        out,
        "<dt>{}</dt><dd>{} ",
        html::text(label),
        html::text(value)
    );
    locator(out, span.page, span.line_start, span.line_end);
    out.push_str("</dd>");
}

fn prose_item(out: &mut String, label: &str, text: &Text) {
    let _ = write!(
        out,
        r#"<li class="prose"><span class="lw">{}</span> {} "#,
        html::text(label),
        html::text(&text.text)
    );
    locator(
        out,
        text.span.page,
        text.span.line_start,
        text.span.line_end,
    );
    out.push_str("</li>");
}

fn prose_count(out: &mut String, count: usize, what: &str) {
    if count > 0 {
        let plural = if count == 1 { "" } else { "s" };
        let _ = write!(out, r#"<li class="prose">{count} {what}{plural}</li>"#);
    }
}
