//! Department cells → one entry per department.
//!
//! A cell may name several departments separated by spaces, one department
//! broken by a wrap (`保育所等・地域連 携担当`), a division written under its
//! centre (`道路公園センター 整備課`), or two departments run together with no
//! space (`子ども家庭支援課指導課`). The document itself says which names are
//! departments: every cell that holds a single name with no space is one.
//! That vocabulary, and the way Japanese administrative names end (課, 係,
//! センター…), decide where a cell is split.

use crate::per_thread::Regex;
use crate::quoted::Quoted;
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Endings of a complete department name: a token without one is a fragment
/// of a wrapped name.
const NAME_ENDINGS: &[&str] = &[
    "課",
    "係",
    "担当",
    "室",
    "班",
    "部",
    "局",
    "センター",
    "所",
    "館",
    "署",
    "協議会",
    "委員会",
    "事務局",
    "本部",
    "公社",
    "財団",
    "会",
    // Roles that stand for a department in an action plan's 推進者 column.
    "長",
    "員",
];

/// Endings of a role (所属長, 職員): a letter-spaced run of characters is
/// split after one only.
const ROLE_ENDINGS: &[&str] = &["長", "員"];

/// Endings of an organisation that contains divisions (a centre, a bureau):
/// `道路公園センター 整備課` is the 整備課 of that centre, one department.
const CONTAINER_ENDINGS: &[&str] = &[
    "センター",
    "局",
    "部",
    "本部",
    "事務所",
    "区役所",
    "市役所",
    "支所",
];

/// Endings of a division inside a container.
const UNIT_ENDINGS: &[&str] = &["課", "係", "担当", "室", "班"];

static PLAN_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*P\.?\s*(\d{1,4})(?:\s*[-〜~]\s*(\d{1,4}))?\s*\)").unwrap());

/// The plan pages a cell cites: `(P.57)` → `[57]`, `(P.57-58)` → `[57, 58]`.
pub fn plan_pages(cell: &str) -> Vec<u32> {
    let mut pages = Vec::new();
    // Found by the pattern, read by hand: a pattern's groups take a slower
    // engine, and nearly every department cell cites a page.
    for citation in PLAN_PAGE.find_iter(cell) {
        let (first, last) = citation_numbers(citation.as_str());
        let first: u32 = first.parse().unwrap_or(0);
        let last: u32 = last.and_then(|n| n.parse().ok()).unwrap_or(first);
        if first > 0 && last >= first && last - first < 50 {
            pages.extend(first..=last);
        }
    }
    pages
}

/// The numbers of a citation [`PLAN_PAGE`] matched (`(P.57 - 58)`): the
/// first, and the last of a range. A number runs to the space, dash or
/// bracket after it, none of which is a digit.
fn citation_numbers(citation: &str) -> (&str, Option<&str>) {
    let ends_a_number = |c: char| c.is_whitespace() || PAGE_DASHES.contains(&c) || c == ')';
    let number = |text: &str| -> (usize, usize) {
        let start = text.len() - text.trim_start().len();
        let end = text[start..]
            .find(ends_a_number)
            .map_or(text.len(), |end| start + end);
        (start, end)
    };
    let after_p = citation
        .strip_prefix('(')
        .map(str::trim_start)
        .and_then(|text| text.strip_prefix('P'))
        .map(|text| text.strip_prefix('.').unwrap_or(text))
        .unwrap_or_default();
    let (start, end) = number(after_p);
    let rest = after_p[end..].trim_start();
    let last = rest.strip_prefix(PAGE_DASHES).map(|range| {
        let (start, end) = number(range);
        &range[start..end]
    });
    (&after_p[start..end], last)
}

/// The dashes of a page range in [`PLAN_PAGE`].
const PAGE_DASHES: [char; 3] = ['-', '〜', '~'];

/// The cell without its page citations.
fn names_part(cell: &str) -> String {
    PLAN_PAGE.replace_all(cell, " ").trim().to_string()
}

/// The department names a document uses alone in a cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    names: BTreeSet<String>,
}

impl Vocabulary {
    /// Collects the single-name cells among `cells`.
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        // A document's rows name the same few departments again and again:
        // each distinct cell is read once.
        let distinct: FxHashSet<&str> = cells.into_iter().collect();
        let names = distinct
            .into_iter()
            .map(names_part)
            .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace))
            .collect();
        Vocabulary { names }
    }

    fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Splits `word` into two or more known names, each a complete name,
    /// if it is exactly such a run (`子ども家庭支援課指導課`).
    fn segment(&self, word: &str) -> Option<Vec<String>> {
        // parts[i]: a split of word[i..] into known names, if there is one.
        let boundaries: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        let mut parts: Vec<Option<Vec<String>>> = vec![None; boundaries.len()];
        parts[boundaries.len() - 1] = Some(Vec::new());
        for (bi, &start) in boundaries.iter().enumerate().rev().skip(1) {
            parts[bi] = boundaries[bi + 1..]
                .iter()
                .enumerate()
                .find_map(|(offset, &end)| {
                    let piece = &word[start..end];
                    let rest = parts[bi + 1 + offset].as_ref()?;
                    (piece != word && self.contains(piece) && has_ending(piece, NAME_ENDINGS)).then(
                        || {
                            let mut split = vec![piece.to_string()];
                            split.extend(rest.iter().cloned());
                            split
                        },
                    )
                });
        }
        parts[0].take().filter(|split| split.len() >= 2)
    }
}

/// Joins the characters of letter-spaced names (均等割り付け: `所 属 長`):
/// a run of one-character tokens is one name, split only after a role
/// (`所 属 長 職 員` → 所属長, 職員; `社 会 福 祉 協 議 会` and `市 長 室` stay
/// whole).
fn join_letter_spaced<'a>(
    tokens: impl Iterator<Item = &'a str>,
    repairs: &mut Vec<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut flush = |run: &mut Vec<&'a str>, out: &mut Vec<String>| {
        if run.is_empty() {
            return;
        }
        let names = split_after_roles(&run.concat());
        if run.len() > 1 {
            repairs.push(format!(
                "joined letter-spaced {:?} into {}",
                Quoted(&run.join(" ")),
                names.join(", ")
            ));
        }
        out.extend(names);
        run.clear();
    };
    for token in tokens {
        if token.chars().count() == 1 {
            run.push(token);
        } else {
            flush(&mut run, &mut out);
            out.push(token.to_string());
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `name` split after each role (`所属長職員` → 所属長, 職員) whose rest is a
/// complete name of two characters or more.
fn split_after_roles(name: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = name;
    'outer: while !rest.is_empty() {
        for (at, c) in rest.char_indices() {
            let end = at + c.len_utf8();
            let tail = &rest[end..];
            if has_ending(&rest[..end], ROLE_ENDINGS)
                && tail.chars().count() >= 2
                && has_ending(tail, NAME_ENDINGS)
            {
                names.push(rest[..end].to_string());
                rest = tail;
                continue 'outer;
            }
        }
        names.push(rest.to_string());
        break;
    }
    names
}

/// Marks that always separate two names in a cell (`福祉課、教育課`,
/// `子育て支援課/学校教育課`).
const LIST_SEPARATORS: &[char] = &['、', ',', '，', '/', '／'];

/// `福祉政策課・社会福祉協議会` is two departments, `高齢・障害課` one: a
/// middle dot separates names only when every part is a whole name.
fn split_at_middle_dots(token: String) -> Vec<String> {
    let parts: Vec<&str> = token.split('・').collect();
    if parts.len() > 1 && parts.iter().all(|part| has_ending(part, NAME_ENDINGS)) {
        parts.into_iter().map(str::to_string).collect()
    } else {
        vec![token]
    }
}

fn has_ending(name: &str, endings: &[&str]) -> bool {
    endings.iter().any(|e| name.ends_with(e))
}

/// The departments of one cell, and a description of the repair if the
/// split was not simply at the cell's own separators (spaces, 、, /, and ・
/// between whole names) between names.
pub fn split(cell: &str, vocabulary: &Vocabulary) -> (Vec<String>, Option<String>) {
    let names_text = names_part(cell).replace(LIST_SEPARATORS, " ");
    let mut repairs = Vec::new();
    let tokens: Vec<String> = join_letter_spaced(names_text.split_whitespace(), &mut repairs)
        .into_iter()
        .flat_map(split_at_middle_dots)
        .collect();

    // Join what the layout split: wrap fragments and centre + division.
    let mut names: Vec<String> = Vec::new();
    for token in tokens {
        if let Some(last) = names.last_mut() {
            let fragment = !vocabulary.contains(last) && !has_ending(last, NAME_ENDINGS);
            let division = !vocabulary.contains(last)
                && !vocabulary.contains(&token)
                && has_ending(last, CONTAINER_ENDINGS)
                && has_ending(&token, UNIT_ENDINGS);
            if fragment || division {
                repairs.push(format!(
                    "joined {last:?} and {token:?} into one department",
                    last = Quoted(last),
                    token = Quoted(&token)
                ));
                last.push_str(&token);
                continue;
            }
        }
        names.push(token);
    }

    // Split what the layout ran together.
    let mut departments = Vec::new();
    for name in names {
        match vocabulary.segment(&name) {
            Some(parts) => {
                repairs.push(format!(
                    "split {name:?} into {}",
                    parts.join(", "),
                    name = Quoted(&name)
                ));
                departments.extend(parts);
            }
            None => departments.push(name),
        }
    }
    let repair = (!repairs.is_empty()).then(|| repairs.join("; "));
    (departments, repair)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`plan_pages`] read by the pattern's groups.
    fn plan_pages_by_groups(cell: &str) -> Vec<u32> {
        let mut pages = Vec::new();
        for c in PLAN_PAGE.captures_iter(cell) {
            let first: u32 = c[1].parse().unwrap_or(0);
            let last: u32 = c
                .get(2)
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(first);
            if first > 0 && last >= first && last - first < 50 {
                pages.extend(first..=last);
            }
        }
        pages
    }

    /// What citations are made of, and what is near them.
    const CITATION_PIECES: [&str; 16] = [
        "(", ")", "P", ".", " ", "\u{3000}", "57", "5", "60", "0", "٣", "-", "〜", "~", "課", "（",
    ];

    #[test]
    fn page_citations_read_as_the_patterns_groups() {
        let mut cited = 0;
        for text in crate::texts_of_pieces(&CITATION_PIECES, 3) {
            for end in ["", ")", " )", "-58)", " 〜 60 )"] {
                let cell = format!("({text}{end}");
                assert_eq!(plan_pages(&cell), plan_pages_by_groups(&cell), "{cell}");
                cited += usize::from(!plan_pages(&cell).is_empty());
            }
        }
        assert!(cited > 100, "{cited} cells cite pages");
        for line in crate::fixture_lines() {
            assert_eq!(plan_pages(&line), plan_pages_by_groups(&line), "{line}");
        }
    }

    proptest! {
        #[test]
        fn generated_page_citations_read_as_the_patterns_groups(
            pieces in prop::collection::vec(prop::sample::select(&CITATION_PIECES[..]), 0..12)
        ) {
            let cell = pieces.concat();
            prop_assert_eq!(plan_pages(&cell), plan_pages_by_groups(&cell));
        }
    }

    fn tama() -> Vocabulary {
        Vocabulary::from_cells([
            "地域支援課",
            "保育所等・地域連携担当",
            "地域ケア推進課",
            "高齢・障害課",
            "保育所等・地域連携担当 地域ケア推進課",
            "道路公園センター 整備課",
        ])
    }

    #[test]
    fn spaces_between_known_names_separate_departments() {
        let (got, repair) = split("保育所等・地域連携担当 地域ケア推進課", &tama());
        assert_eq!(got, ["保育所等・地域連携担当", "地域ケア推進課"]);
        assert_eq!(repair, None);
    }

    #[test]
    fn letter_spaced_names_are_joined_name_by_name() {
        let (got, repair) = split("総務課長 所 属 長 職  員", &Vocabulary::default());
        assert_eq!(got, ["総務課長", "所属長", "職員"]);
        assert!(repair.unwrap().contains("letter-spaced"));
        for whole in ["社 会 福 祉 協 議 会", "市 長 室"] {
            let (got, _) = split(whole, &Vocabulary::default());
            assert_eq!(got, [whole.replace(' ', "")], "{whole}");
        }
    }

    #[test]
    fn a_wrapped_name_is_joined() {
        let (got, repair) = split("保育所等・地域連 携担当", &tama());
        assert_eq!(got, ["保育所等・地域連携担当"]);
        assert!(repair.unwrap().contains("joined"));
    }

    #[test]
    fn a_division_under_its_centre_is_one_department() {
        let (got, _) = split("道路公園センター 整備課", &tama());
        assert_eq!(got, ["道路公園センター整備課"]);
    }

    #[test]
    fn names_run_together_are_split_by_the_vocabulary() {
        let vocabulary = Vocabulary::from_cells([
            "子ども家庭支援課 (P.79)",
            "指導課(P.61)",
            "子ども家庭支援課指導課 (P.73)",
        ]);
        let (got, repair) = split("子ども家庭支援課指導課 (P.73)", &vocabulary);
        assert_eq!(got, ["子ども家庭支援課", "指導課"]);
        assert!(repair.unwrap().contains("split"));
        // Without the vocabulary nothing justifies a split.
        let (got, _) = split("子ども家庭支援課指導課", &Vocabulary::default());
        assert_eq!(got, ["子ども家庭支援課指導課"]);
    }

    #[test]
    fn unknown_names_with_endings_are_kept_apart() {
        let vocabulary = Vocabulary::from_cells(["福祉総務課"]);
        let (got, _) = split("広聴課 福祉総務課 指導課 教育センター (P.73)", &vocabulary);
        assert_eq!(got, ["広聴課", "福祉総務課", "指導課", "教育センター"]);
    }

    #[test]
    fn separators_between_whole_names_separate_departments() {
        let none = Vocabulary::default();
        for cell in [
            "福祉政策課・社会福祉協議会",
            "福祉政策課、社会福祉協議会",
            "福祉政策課/社会福祉協議会",
        ] {
            assert_eq!(
                split(cell, &none).0,
                ["福祉政策課", "社会福祉協議会"],
                "{cell}"
            );
        }
        // A dot inside one name stays.
        assert_eq!(split("高齢・障害課", &none).0, ["高齢・障害課"]);
        assert_eq!(
            split("保育所等・地域連携担当", &none).0,
            ["保育所等・地域連携担当"]
        );
    }

    #[test]
    fn plan_pages_are_read() {
        assert_eq!(plan_pages("市民協働推進課(P.57)"), [57]);
        assert_eq!(plan_pages("町田市社会福祉協議会 (P.67)"), [67]);
        assert_eq!(plan_pages("課 (P.57-59)"), [57, 58, 59]);
        assert!(plan_pages("地域支援課").is_empty());
    }
}
