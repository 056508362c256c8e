//! The decisions that need the whole document, taken after its last line:
//! canonical titles, departments, legend labels, the number sequence, two
//! listings of the tree compared.

use super::cursor::Cursor;
use super::markers::Level;
use super::memo::Memo;
use super::{departments, fiscal_year, Segmenter};
use crate::document::{Document, Indicator, Initiative, Location, Span, WarningCode};
use crate::quoted::Quoted;
use std::collections::BTreeMap;

impl Segmenter {
    /// The decisions that need the whole document, then the document.
    pub(super) fn finish(mut self) -> Document {
        self.expect_next(super::Expect::Nothing);
        self.place_actions();
        self.choose_titles();
        self.split_departments();
        self.label_progress_marks();
        self.rate();
        self.check_unnumbered_names();
        self.check_number_sequence();
        self.compare_listings();
        self.doc.fiscal_year = self
            .doc
            .tables
            .iter()
            .find_map(|t| t.fiscal_year)
            .or_else(|| self.doc.title.as_ref().and_then(|t| fiscal_year(&t.text)));
        self.doc.warnings.sort_by_key(|w| (w.page, w.line));
        self.doc
    }

    /// Each node's title is the one most of its headings print (the first of
    /// equally many); every other reading is a warning.
    fn choose_titles(&mut self) {
        let titles = std::mem::take(&mut self.titles);
        for (key, votes) in titles {
            let Some(canonical) = majority(&votes) else {
                continue;
            };
            for (title, at) in &votes {
                if *title != canonical {
                    self.warn(
                        WarningCode::HeadingVariant,
                        *at,
                        format!("a repeated heading reads {title:?}; kept the title the other headings print, {canonical:?}", title = Quoted(title), canonical = Quoted(&canonical)),
                    );
                }
            }
            *self.node_parts(key).0 = Some(canonical);
        }
    }

    fn split_departments(&mut self) {
        let vocabulary = departments::Vocabulary::from_cells(
            all_initiatives(&self.doc).filter_map(|i| i.departments_cell.as_deref()),
        );
        // A document names the same few departments row after row: each
        // cell's text is split once.
        let mut splits = Memo::default();
        let mut split =
            |cell: &str| splits.get_or_read(cell, |cell| departments::split(cell, &vocabulary));
        let mut warnings = Vec::new();
        for_each_initiative(&mut self.doc, |initiative| {
            if let Some(cell) = &initiative.departments_cell {
                let (names, repair) = split(cell);
                initiative.departments = names;
                if let Some(repair) = repair {
                    warnings.push((initiative.span, repair));
                }
            }
        });
        for_each_indicator(&mut self.doc, |indicator| {
            if let Some(cell) = &indicator.departments_cell {
                let (names, repair) = split(cell);
                indicator.departments = names;
                if let Some(repair) = repair {
                    warnings.push((indicator.span, repair));
                }
            }
        });
        for (span, repair) in warnings {
            let at = span.start();
            self.warn(WarningCode::DepartmentsRepaired, at, repair);
        }
    }

    fn label_progress_marks(&mut self) {
        let legends: Vec<(String, String)> = self
            .doc
            .legends
            .iter()
            .map(|e| (e.mark.clone(), e.label.clone()))
            .collect();
        let mut unknown = Vec::new();
        for_each_initiative(&mut self.doc, |initiative| {
            if let Some(mark) = &initiative.progress_mark {
                initiative.progress_label = legends
                    .iter()
                    .find(|(m, _)| m == mark)
                    .map(|(_, label)| label.clone());
                if initiative.progress_label.is_none() && !super::ratings::is_scale_word(mark) {
                    unknown.push((initiative.span, mark.clone()));
                }
            }
        });
        for (span, mark) in unknown {
            let at = span.start();
            self.warn(
                WarningCode::UnknownMark,
                at,
                format!(
                    "the mark {mark:?} is not in the document's legend",
                    mark = Quoted(&mark)
                ),
            );
        }
    }

    /// A name read without its number in a table whose other rows carry
    /// numbers (a number lost or split off by the export).
    fn check_unnumbered_names(&mut self) {
        for (at, header) in std::mem::take(&mut self.unnumbered_names) {
            if self.numbered_tables.contains(&header) {
                self.warn(
                    WarningCode::MissingCell,
                    at,
                    "the row's number,name cell has no number; read as the name alone".into(),
                );
            }
        }
    }

    /// Each grade's label, rank and scale from the document's legends.
    fn rate(&mut self) {
        let legends = std::mem::take(&mut self.doc.legends);
        let mut rated = Vec::new();
        collect_initiatives(&mut self.doc, &mut rated);
        let unknown = super::ratings::rate(&legends, &mut rated);
        self.doc.legends = legends;
        for (span, grade) in unknown {
            if self.doc.legends.iter().all(|e| e.mark != grade) {
                self.warn(
                    WarningCode::UnknownMark,
                    span.start(),
                    format!(
                        "the grade {grade:?} is in no legend of the document",
                        grade = Quoted(&grade)
                    ),
                );
            }
        }
    }

    fn check_number_sequence(&mut self) {
        let numbered: Vec<(u32, Span)> = all_initiatives(&self.doc)
            .filter_map(|i| Some((i.number?, i.span)))
            .collect();
        let mut messages = Vec::new();
        for pair in numbered.windows(2) {
            let ((before, _), (after, span)) = (pair[0], pair[1]);
            if after != before + 1 {
                messages.push((
                    span,
                    format!("initiative {after} follows initiative {before}"),
                ));
            }
        }
        for (span, message) in messages {
            let at = span.start();
            self.warn(WarningCode::NumberSequence, at, message);
        }
    }
}

/// The title most votes print (the first of equally many).
/// A second listing of the tree names at least this many siblings before
/// the ones it leaves out are worth a warning: one witness may be a stray
/// cross-reference.
const MIN_WITNESSED_SIBLINGS: usize = 2;

impl Segmenter {
    /// Where the tree is listed twice (a 施策体系 chart or a table of contents
    /// before the body, a progress sheet after it), the two listings are
    /// compared: a node among siblings that the second listing names again
    /// but that it leaves out (printed only before it), or that only it
    /// has (first printed after it began), is a warning.
    fn compare_listings(&mut self) {
        let mut warnings = Vec::new();
        // Every node opened enters the index of siblings: grouped by parent
        // and level, it lists every node.
        let mut groups: BTreeMap<(Cursor, Level), Vec<Cursor>> = BTreeMap::new();
        for ((parent, level, _), indices) in &self.siblings {
            groups
                .entry((*parent, *level))
                .or_default()
                .extend(indices.iter().map(|&index| parent.opened(*level, index)));
        }
        for group in groups.into_values() {
            let witnessed: Vec<Location> = group
                .iter()
                .filter_map(|key| self.witnessed.get(key).copied())
                .collect();
            let Some(&second_listing) = witnessed.iter().min() else {
                continue;
            };
            if witnessed.len() < MIN_WITNESSED_SIBLINGS {
                continue;
            }
            let left_out: Vec<Cursor> = group
                .into_iter()
                .filter(|k| !self.witnessed.contains_key(k))
                .collect();
            for key in left_out {
                let (title, headings) = self.node_parts(key);
                let Some(first) = headings.first().map(|h| h.location()) else {
                    continue;
                };
                let title = title.clone().unwrap_or_default();
                let message = if first < second_listing {
                    format!("heading {title:?} is not named again where its siblings are (from page {} line {}): the second listing of the tree leaves it out", second_listing.page, second_listing.line, title = Quoted(&title))
                } else {
                    format!("heading {title:?} is first printed after its siblings are named again (from page {} line {}): the first listing of the tree does not have it", second_listing.page, second_listing.line, title = Quoted(&title))
                };
                warnings.push((first, message));
            }
        }
        for (at, message) in warnings {
            self.warn(WarningCode::ListingsDisagree, at, message);
        }
    }
}

fn majority(votes: &[(String, Location)]) -> Option<String> {
    let mut best: Option<(&str, usize)> = None;
    for (title, _) in votes {
        let count = votes.iter().filter(|(t, _)| t == title).count();
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((title, count));
        }
    }
    best.map(|(title, _)| title.to_string())
}

/// Every initiative of the document, in document order.
pub(super) fn all_initiatives(doc: &Document) -> impl Iterator<Item = &Initiative> {
    doc.initiatives
        .iter()
        .chain(doc.goals.iter().flat_map(|goal| {
            goal.initiatives
                .iter()
                .chain(goal.policies.iter().flat_map(|policy| {
                    policy
                        .initiatives
                        .iter()
                        .chain(policy.measures.iter().flat_map(|measure| {
                            measure.initiatives.iter().chain(
                                measure
                                    .sub_measures
                                    .iter()
                                    .flat_map(|sub| sub.initiatives.iter()),
                            )
                        }))
                }))
        }))
}

/// Every initiative of the document, mutably, in document order.
fn collect_initiatives<'a>(doc: &'a mut Document, out: &mut Vec<&'a mut Initiative>) {
    out.extend(doc.initiatives.iter_mut());
    for goal in &mut doc.goals {
        out.extend(goal.initiatives.iter_mut());
        for policy in &mut goal.policies {
            out.extend(policy.initiatives.iter_mut());
            for measure in &mut policy.measures {
                out.extend(measure.initiatives.iter_mut());
                for sub in &mut measure.sub_measures {
                    out.extend(sub.initiatives.iter_mut());
                }
            }
        }
    }
}

/// Every indicator of the document, mutably, in document order.
pub(super) fn for_each_indicator(doc: &mut Document, mut f: impl FnMut(&mut Indicator)) {
    doc.indicators.iter_mut().for_each(&mut f);
    for goal in &mut doc.goals {
        goal.indicators.iter_mut().for_each(&mut f);
        for policy in &mut goal.policies {
            policy.indicators.iter_mut().for_each(&mut f);
            for measure in &mut policy.measures {
                measure.indicators.iter_mut().for_each(&mut f);
                for sub in &mut measure.sub_measures {
                    sub.indicators.iter_mut().for_each(&mut f);
                }
            }
        }
    }
}

pub(super) fn for_each_initiative(doc: &mut Document, mut f: impl FnMut(&mut Initiative)) {
    doc.initiatives.iter_mut().for_each(&mut f);
    for goal in &mut doc.goals {
        goal.initiatives.iter_mut().for_each(&mut f);
        for policy in &mut goal.policies {
            policy.initiatives.iter_mut().for_each(&mut f);
            for measure in &mut policy.measures {
                measure.initiatives.iter_mut().for_each(&mut f);
                for sub in &mut measure.sub_measures {
                    sub.initiatives.iter_mut().for_each(&mut f);
                }
            }
        }
    }
}
