//! Patterns, and a quicker reading of those whose last group is the rest
//! of the line (`^(\d+)\s+(\S.*)$`): without stepping through that rest.
//!
//! The regex crate finds a match's groups with an engine that walks the
//! whole match, a few dozen instructions a byte: for `(\S.*)$` that is the
//! whole paragraph, though nothing in it can change the answer. On a text
//! without a line feed, `.*$` matches whatever follows, in one way only, so
//! `P(X.*)$` matches exactly where `P(X)` does, with the same groups, and
//! its last group runs to the end of the text; so does an optional rest,
//! `P(?:Q(X.*))?$`, read as `P(?:Q(X)|$)`. [`Pattern`] tries the short
//! pattern and takes the rest as it stands; on a text with a line feed
//! (`.` stops there), and for a pattern of any other shape, it runs the
//! pattern as written.

use crate::per_thread::{Regex, RegexSet};
use regex::Captures;

/// A regex, read with a short pattern where its last group takes the rest
/// of the line (see the module's documentation).
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as written.
    full: Regex,
    /// The short pattern, and the index of the rest's group.
    head: Option<(Regex, usize)>,
}

/// The groups of a [`Pattern`]'s match.
#[derive(Debug)]
pub struct PatternCaptures<'t> {
    captures: Captures<'t>,
    /// Where the short pattern was read: the whole match and the rest (if
    /// its group took part), which run to the end of the text, and the
    /// rest's group.
    tail: Option<(&'t str, Option<&'t str>, usize)>,
}

impl Pattern {
    /// Builds the pattern.
    ///
    /// # Panics
    /// If `pattern` is no valid regex: a pattern written in this crate,
    /// wrong only by a programming error.
    pub fn new(pattern: &str) -> Pattern {
        Pattern::from(Regex::new(pattern).expect("patterns are valid"))
    }

    /// A pattern that matches exactly the texts without a line feed that
    /// this one matches: the short one, if it has one, else this one.
    pub fn short_str(&self) -> &str {
        match &self.head {
            Some((head, _)) => head.as_str(),
            None => self.full.as_str(),
        }
    }

    /// The groups of the pattern's match in `text`, or `None`.
    pub fn captures<'t>(&self, text: &'t str) -> Option<PatternCaptures<'t>> {
        match &self.head {
            Some((head, rest_group)) if !text.contains('\n') => {
                let captures = head.captures(text)?;
                let whole = &text[captures.get(0)?.start()..];
                let rest = captures
                    .get(*rest_group)
                    .map(|group| &text[group.start()..]);
                Some(PatternCaptures {
                    captures,
                    tail: Some((whole, rest, *rest_group)),
                })
            }
            _ => Some(PatternCaptures {
                captures: self.full.captures(text)?,
                tail: None,
            }),
        }
    }
}

/// Patterns tried in order, the first that matches read: all of them
/// tried in one pass of a [`RegexSet`] (of their short patterns, which match
/// where they do), then the one found read for its groups.
#[derive(Debug)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    /// Each pattern's short pattern, or the pattern as written.
    shorts: RegexSet,
}

impl PatternSet {
    /// Builds the set.
    ///
    /// # Panics
    /// If a pattern is no valid regex: patterns written in this crate,
    /// wrong only by a programming error.
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> PatternSet {
        let patterns: Vec<Pattern> = patterns.into_iter().map(Pattern::new).collect();
        let shorts =
            RegexSet::new(patterns.iter().map(Pattern::short_str)).expect("patterns are valid");
        PatternSet { patterns, shorts }
    }

    /// The index of the first pattern that matches `text`, and its groups.
    pub fn first_captures<'t>(&self, text: &'t str) -> Option<(usize, PatternCaptures<'t>)> {
        let first = if text.contains('\n') {
            // The short patterns say nothing of such a text: each is tried.
            (0..self.patterns.len()).find(|&i| self.patterns[i].full.is_match(text))?
        } else {
            self.shorts.matches(text).iter().next()?
        };
        Some((first, self.patterns[first].captures(text)?))
    }
}

impl From<Regex> for Pattern {
    /// The pattern of `full`, with its short reading if it has that shape.
    fn from(full: Regex) -> Pattern {
        let head = short_pattern(full.as_str()).map(|short| {
            let head = Regex::new(&short).expect("patterns are valid");
            assert_eq!(head.captures_len(), full.captures_len(), "{short:?}");
            (head, full.captures_len() - 1)
        });
        Pattern { full, head }
    }
}

/// The two shapes read short: how each ends, how many groups stand open
/// before that end, and what replaces it.
const SHAPES: [(&str, usize, &str); 2] = [
    // `P(X.*)$` → `P(X)`
    (".*)$", 1, ")"),
    // `P(?:Q(X.*))?$` → `P(?:Q(X)|$)`
    (".*))?$", 2, ")|$)"),
];

/// The short pattern of `pattern`, if it has one of the [`SHAPES`]: the
/// groups open before its end are the rest's group and, for an optional
/// rest, a non-capturing group right around it; the rest's group holds no
/// group, and no `|` stands outside groups or right inside an open one
/// (each match then holds the rest, or ends without it where the pattern
/// says).
fn short_pattern(pattern: &str) -> Option<String> {
    SHAPES.iter().find_map(|&(end, open_count, short_end)| {
        let before_end = pattern.strip_suffix(end)?;
        // `\.*)$` is a literal dot: no rest there.
        let escapes = before_end.len() - before_end.trim_end_matches('\\').len();
        if escapes % 2 == 1 {
            return None;
        }
        let scan = scan_groups(before_end)?;
        let (&outermost, &rest) = (scan.open_groups.first()?, scan.open_groups.last()?);
        let wraps = scan.open_groups.len() == open_count
            && !before_end[rest..].starts_with("(?")
            && (open_count == 1 || before_end[outermost..].starts_with("(?:"))
            && scan.last_open == Some(rest)
            && !scan
                .bars
                .iter()
                .any(|bar| bar.is_none_or(|group| scan.open_groups.contains(&group)));
        wraps.then(|| format!("{before_end}{short_end}"))
    })
}

/// The groups of a pattern's start: where those still open at its end
/// open, where the last group opens, and for each `|` where the innermost
/// group around it opens (`None` outside groups).
struct GroupScan {
    open_groups: Vec<usize>,
    last_open: Option<usize>,
    bars: Vec<Option<usize>>,
}

/// Scans `pattern` for its groups, past escapes and character classes
/// (nested ones too, `[[:alpha:]]`); `None` if a group closes that is not
/// open, or a class holds a `]` of its own (`[]a]`), which this scan does
/// not follow.
fn scan_groups(pattern: &str) -> Option<GroupScan> {
    let mut scan = GroupScan {
        open_groups: Vec::new(),
        last_open: None,
        bars: Vec::new(),
    };
    let (mut class_depth, mut escaped, mut previous) = (0usize, false, None);
    for (at, c) in pattern.char_indices() {
        let after = previous.replace(c);
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => class_depth += 1,
            ']' if class_depth > 0 && matches!(after, Some('[' | '^')) => return None,
            ']' if class_depth > 0 => class_depth -= 1,
            _ if class_depth > 0 => {}
            '(' => {
                scan.open_groups.push(at);
                scan.last_open = Some(at);
            }
            ')' => {
                scan.open_groups.pop()?;
            }
            '|' => scan.bars.push(scan.open_groups.last().copied()),
            _ => {}
        }
    }
    Some(scan)
}

impl<'t> PatternCaptures<'t> {
    /// The text of group `index`, if it took part in the match.
    pub fn get(&self, index: usize) -> Option<&'t str> {
        match self.tail {
            Some((whole, _, _)) if index == 0 => Some(whole),
            Some((_, rest, rest_group)) if index == rest_group => rest,
            _ => self.captures.get(index).map(|m| m.as_str()),
        }
    }
}

impl std::ops::Index<usize> for PatternCaptures<'_> {
    type Output = str;

    /// The text of group `index`.
    ///
    /// # Panics
    /// If the group did not take part in the match, as
    /// [`regex::Captures`]'s index does.
    fn index(&self, index: usize) -> &str {
        self.get(index)
            .unwrap_or_else(|| panic!("no group at index {index}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Patterns of the shape read short, patterns of shapes that must not
    /// be (alternatives around the rest, a group or a `|` inside it, no
    /// rest), and the pieces to build texts of.
    const PATTERNS: [&str; 18] = [
        r"^([0-9]{1,2})(?:\s+|、\s*)(\S.*)$",
        r"^([0-9]{1,2})\.\s*([^\d\s.].*)$",
        r"^(?:[-・●]\s*)*([-・●])\s*(\S.*)$",
        r"^([Ⅰ-Ⅻ])(?:\s+|[.、]\s*)?(\S.*)$",
        r"^(?:【基本理念】|基本理念\s*:)\s*(.*)$",
        r"(\d+)つの(.*)$",
        r"^1(\S.*)$|^・(\S.*)$",
        r"^(1|・.*)$",
        r"^((1)\S.*)$",
        r"^([\(|]\S.*)$",
        r"^(\d{1,2})(?:(?:\s+|\.\s*)([^\d\s].*))?$",
        r"^(\d{1,2})(?:\s*(\S.*))?$",
        r"^(?:1|(?:\s*(\S.*))?)$",
        r"^1(?:\s*(\S.*))?$|^・$",
        r"^1|^・(\S.*)$",
        r"^(1\.*)$",
        r"^([[:digit:]]\S.*)$",
        r"^([]1]\S.*)$",
    ];
    const PIECES: [&str; 15] = [
        "1",
        "12",
        " ",
        "、",
        ".",
        "・",
        "●",
        "-",
        "Ⅱ",
        "【基本理念】",
        "基本理念:",
        "3つの",
        "地域",
        "\n",
        "|",
    ];

    #[test]
    fn reads_short_only_the_patterns_of_that_shape() {
        let short: Vec<bool> = PATTERNS
            .iter()
            .map(|p| Pattern::new(p).head.is_some())
            .collect();
        assert_eq!(
            short,
            [
                true, true, true, true, true, true, false, false, false, true, true, true, false,
                false, false, false, true, false
            ]
        );
    }

    /// Each pattern, as [`Pattern`] reads it and as written.
    fn both_readings() -> Vec<(Pattern, Regex)> {
        PATTERNS
            .iter()
            .map(|p| (Pattern::new(p), Regex::new(p).unwrap()))
            .collect()
    }

    /// The short reading agrees with the pattern as written, group by group.
    fn assert_agrees((ours, full): &(Pattern, Regex), text: &str) {
        let (mine, theirs) = (ours.captures(text), full.captures(text));
        assert_eq!(mine.is_some(), theirs.is_some(), "{full:?} on {text:?}");
        if let (Some(mine), Some(theirs)) = (mine, theirs) {
            for index in 0..full.captures_len() {
                let expected = theirs.get(index).map(|m| m.as_str());
                assert_eq!(
                    mine.get(index),
                    expected,
                    "group {index} of {full:?} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_the_pattern_on_every_text_of_four_pieces() {
        for pattern in &both_readings() {
            for a in PIECES {
                for b in PIECES {
                    for c in PIECES {
                        for d in PIECES {
                            assert_agrees(pattern, &[a, b, c, d].concat());
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_pattern_on_any_text(text in "[0-9 、.・●\\-Ⅱ地域\\n:基本理念【】つの|(]{0,12}") {
            for pattern in &both_readings() {
                assert_agrees(pattern, &text);
            }
        }
    }

    #[test]
    fn a_set_reads_the_first_pattern_that_matches() {
        let set = PatternSet::new(PATTERNS);
        let readings = both_readings();
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    let text = [a, b, c].concat();
                    let expected = readings.iter().enumerate().find_map(|(i, (_, full))| {
                        let groups = full.captures(&text)?;
                        Some((
                            i,
                            groups
                                .iter()
                                .map(|g| g.map(|g| g.as_str()))
                                .collect::<Vec<_>>(),
                        ))
                    });
                    let found = set.first_captures(&text).map(|(i, groups)| {
                        (
                            i,
                            (0..readings[i].1.captures_len())
                                .map(|g| groups.get(g))
                                .collect(),
                        )
                    });
                    assert_eq!(found, expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn reads_the_rest_to_the_end() {
        let pattern = Pattern::new(r"^([0-9]{1,2})(?:\s+|、\s*)(\S.*)$");
        let c = pattern.captures("12 地域の見守り、支え合い").unwrap();
        assert_eq!((&c[1], &c[2]), ("12", "地域の見守り、支え合い"));
        assert!(pattern.captures("12 ").is_none());
        // A line feed: `.` stops there, as the pattern says.
        assert!(pattern.captures("1 地域\nの").is_none());
    }
}
