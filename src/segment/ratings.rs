//! Grades on an evaluation scale (`A`, `◎`, `3`, `実施済`): their meaning and
//! their place on the scale, from the document's own legends, so that the
//! reports of different municipalities can be compared.
//!
//! A legend is a scale (`A：順調　B：概ね順調　C：やや遅れ　D：遅れ`): its entries in
//! the order printed. A grade takes the nearest legend that lists it (above
//! the table, a footnote under it, its header cell); a grade no legend lists
//! may be a word of a scale plans use without one ([`WORD_SCALES`]).

use crate::document::{Initiative, LegendEntry, Span};

/// Scales of words plans print without a legend, best first. Some come
/// in a shorter and a longer form; a document's grades are ranked on the
/// form that holds the most of them (the shorter on a tie).
pub const WORD_SCALES: &[&[&str]] = &[
    &["実施済", "一部実施", "未実施"],
    &["達成", "概ね達成", "未達成"],
    &["達成", "概ね達成", "一部達成", "未達成"],
    &["順調", "概ね順調", "遅れ"],
    &["順調", "概ね順調", "やや遅れ", "遅れ"],
    &["拡充", "継続", "見直し", "縮小", "廃止"],
];

/// Whether `text` is a word of one of the [`WORD_SCALES`].
pub fn is_scale_word(text: &str) -> bool {
    WORD_SCALES.iter().any(|scale| scale.contains(&text))
}

/// One scale of the document: its entries, in the order printed.
struct Scale<'a> {
    entries: Vec<&'a LegendEntry>,
}

impl Scale<'_> {
    /// `A:順調 B:概ね順調 …`.
    fn describe(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{}:{}", e.mark, e.label))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// How far the scale stands from `span`, in lines (pages apart count as
    /// far, a scale on the same page as near).
    fn distance(&self, span: Span) -> u64 {
        let at = |page: u32, line: u32| u64::from(page) * 100_000 + u64::from(line);
        let row = at(span.page, span.line_start);
        self.entries
            .iter()
            .map(|e| at(e.span.page, e.span.line_start).abs_diff(row))
            .min()
            .unwrap_or(u64::MAX)
    }
}

fn scales(legends: &[LegendEntry]) -> Vec<Scale<'_>> {
    let mut scales: Vec<Scale> = Vec::new();
    for entry in legends {
        match scales.last_mut() {
            Some(scale) if scale.entries[0].scale == entry.scale => scale.entries.push(entry),
            _ => scales.push(Scale {
                entries: vec![entry],
            }),
        }
    }
    scales
}

/// Gives each rated initiative its grade's label, rank and scale. Returns
/// the grades that no legend and no word scale knows, with where they stood.
pub fn rate(legends: &[LegendEntry], initiatives: &mut [&mut Initiative]) -> Vec<(Span, String)> {
    let scales = scales(legends);
    // Each scale described once, not once per initiative it rates.
    let descriptions: Vec<String> = scales.iter().map(Scale::describe).collect();
    let graded: std::collections::BTreeSet<String> = initiatives
        .iter()
        .filter_map(|i| i.rating.clone())
        .collect();
    let mut unknown = Vec::new();
    for initiative in initiatives.iter_mut() {
        let Some(grade) = initiative.rating.as_deref() else {
            continue;
        };
        let nearest = scales
            .iter()
            .zip(&descriptions)
            .filter_map(|(scale, description)| {
                let rank = scale.entries.iter().position(|e| e.mark == grade)?;
                Some((scale.distance(initiative.span), rank, scale, description))
            })
            .min_by_key(|(distance, ..)| *distance);
        if let Some((_, rank, scale, description)) = nearest {
            initiative.rating_label = Some(scale.entries[rank].label.clone());
            initiative.rating_rank = u32::try_from(rank + 1).ok();
            initiative.rating_scale = Some(description.clone());
            continue;
        }
        let word = WORD_SCALES
            .iter()
            .filter_map(|scale| Some((scale.iter().position(|w| *w == grade)?, scale)))
            .max_by_key(|(_, scale)| {
                let held = scale.iter().filter(|w| graded.contains(**w)).count();
                (held, std::cmp::Reverse(scale.len()))
            });
        match word {
            Some((rank, scale)) => {
                initiative.rating_rank = u32::try_from(rank + 1).ok();
                initiative.rating_scale = Some(scale.join(" "));
            }
            // A grade with its meaning printed beside it (`3 目標をほぼ達成`)
            // needs no legend.
            None if initiative.rating_label.is_some() => {}
            // A progress mark is reported where its label is looked up.
            None if initiative.progress_mark.as_deref() == Some(grade) => {}
            None => unknown.push((initiative.span, grade.to_string())),
        }
    }
    unknown
}
