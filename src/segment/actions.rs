//! 【具体的な取組】 blocks and the priority sections they belong to. A block
//! is kept until the end, when every section is known: in reading order
//! when the order is plain, else (a two-column brochure scrambles it) each
//! block goes to the section whose title it resembles most, over all the
//! owner's sections at once.

use super::sections::{section_name, Owner, SectionRef};
use super::Segmenter;
use crate::document::{SectionKind, Text, WarningCode};
use crate::quoted::Quoted;

/// A 【具体的な取組】 block waiting for its priority section.
#[derive(Debug, Clone)]
pub(super) struct PendingActions {
    owner: Owner,
    text: Text,
    /// The priority section open when it was read, if any.
    in_reading_order: Option<SectionRef>,
}

/// Two texts sharing fewer character pairs than this (Dice coefficient) are
/// not taken to be about the same thing.
pub(super) const MIN_ACTIONS_SIMILARITY: f64 = 0.05;

/// Permutations are searched exhaustively up to this many sections.
pub(super) const MAX_EXHAUSTIVE_SECTIONS: usize = 8;

impl Segmenter {
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
                                Quoted(&block.text.text)
                            ),
                        );
                    }
                    None => {
                        self.warn(
                            WarningCode::SectionAttached,
                            at,
                            format!(
                                "【具体的な取組】 {:?} resembles no priority section; kept in the text",
                                Quoted(&block.text.text)
                            ),
                        );
                        self.place_in_owner(owner, block.text.clone());
                    }
                }
            }
        }
    }
}

/// The distinct character pairs (bigrams) of a text, sorted: a set, kept
/// in a vector (a tree of pairs costs an allocation a pair).
fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// How many pairs two sorted sets of pairs share, read side by side.
fn shared(a: &[(char, char)], b: &[(char, char)]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// Dice similarity of two texts' character pairs (as [`bigrams`] gives
/// them), in 0..=1.
fn similarity(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * shared(a, b) as f64 / (a.len() + b.len()) as f64
}

/// For each text, the index of the title it is given: each title to at most
/// one text, the total similarity as high as possible (exhaustively for a
/// few titles, greedily beyond). `None` where no title is similar enough.
fn best_assignment(texts: &[&str], titles: &[String]) -> Vec<Option<usize>> {
    let title_pairs: Vec<Vec<(char, char)>> = titles.iter().map(|t| bigrams(t)).collect();
    let scores: Vec<Vec<f64>> = texts
        .iter()
        .map(|text| {
            let pairs = bigrams(text);
            title_pairs
                .iter()
                .map(|title| similarity(&pairs, title))
                .collect()
        })
        .collect();
    let mut choice = vec![None; texts.len()];
    if titles.len() <= MAX_EXHAUSTIVE_SECTIONS && texts.len() <= titles.len() {
        for (i, k) in best_distinct(&scores).into_iter().enumerate() {
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

/// A branch of [`search`] is cut only when it falls short of the best by
/// more than this: sums of the same scores added in another order differ in
/// their last bits, and a cut must never drop the branch the whole search
/// would keep.
const BOUND_SLACK: f64 = 1e-9;

/// The title index of each row of `scores` (a text's similarity to each
/// title), distinct titles, the total as high as possible; of equal totals,
/// the first in the order of the search (ties go to the earlier title).
fn best_distinct(scores: &[Vec<f64>]) -> Vec<usize> {
    // bounds[i]: the most the rows from i on could add, each its best score.
    let mut bounds = vec![0.0; scores.len() + 1];
    for i in (0..scores.len()).rev() {
        let row_best = scores[i].iter().copied().fold(0.0, f64::max);
        bounds[i] = bounds[i + 1] + row_best;
    }
    let mut best = (-1.0, Vec::new());
    let titles = scores.first().map_or(0, Vec::len);
    let mut used = vec![false; titles];
    search(scores, &bounds, &mut used, &mut Vec::new(), 0.0, &mut best);
    best.1
}

/// Depth-first search over assignments of texts to distinct titles; keeps the
/// first best (so ties go to the earlier title, deterministically). A branch
/// that could not beat the best found even if every text left got its best
/// score is cut: the answer is the whole search's, in a fraction of its steps.
fn search(
    scores: &[Vec<f64>],
    bounds: &[f64],
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
    if total + bounds[current.len()] + BOUND_SLACK <= best.0 + 1e-12 {
        return;
    }
    let row = &scores[current.len()];
    for k in 0..used.len() {
        if used[k] {
            continue;
        }
        used[k] = true;
        current.push(k);
        search(scores, bounds, used, current, total + row[k], best);
        current.pop();
        used[k] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Dice similarity the plain way: the two sets of pairs as sets.
    fn similarity_of_sets(a: &str, b: &str) -> f64 {
        let pairs = |text: &str| -> BTreeSet<(char, char)> {
            let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
            chars.windows(2).map(|w| (w[0], w[1])).collect()
        };
        let (a, b) = (pairs(a), pairs(b));
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
    }

    #[test]
    fn similarity_counts_each_shared_pair_once() {
        // 地域 twice in one, once in the other: one shared pair, not two.
        let (a, b) = ("地域と地域", "地域の");
        assert_eq!(
            similarity(&bigrams(a), &bigrams(b)),
            similarity_of_sets(a, b)
        );
        assert_eq!(
            similarity(&bigrams(a), &bigrams(b)),
            2.0 * 1.0 / (3.0 + 2.0)
        );
    }

    /// Every assignment, in the search's order, the first best kept (the
    /// search with nothing cut): what [`best_distinct`] must answer.
    fn every_assignment(scores: &[Vec<f64>]) -> Vec<usize> {
        let never_cut = vec![f64::INFINITY; scores.len() + 1];
        let mut best = (-1.0, Vec::new());
        let mut used = vec![false; scores.first().map_or(0, Vec::len)];
        search(
            scores,
            &never_cut,
            &mut used,
            &mut Vec::new(),
            0.0,
            &mut best,
        );
        best.1
    }

    /// Score matrices of up to 8 titles with ties: scores in eighths, as
    /// bigram similarities of short titles often are, or any in [0, 1].
    fn score_matrices() -> impl Strategy<Value = Vec<Vec<f64>>> {
        (1usize..=MAX_EXHAUSTIVE_SECTIONS).prop_flat_map(|titles| {
            let score = prop_oneof![(0u8..=8).prop_map(|e| f64::from(e) / 8.0), 0.0..=1.0f64];
            prop::collection::vec(prop::collection::vec(score, titles), 0..=titles)
        })
    }

    proptest! {
        #[test]
        fn similarity_is_the_sets_similarity(a in "[地域福祉の ]{0,14}", b in "[地域福祉の ]{0,14}") {
            prop_assert_eq!(similarity(&bigrams(&a), &bigrams(&b)), similarity_of_sets(&a, &b));
        }

        #[test]
        fn the_cut_search_finds_what_the_whole_search_finds(scores in score_matrices()) {
            prop_assert_eq!(best_distinct(&scores), every_assignment(&scores));
        }
    }

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
}
