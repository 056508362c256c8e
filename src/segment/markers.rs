//! The heading markers of the plan hierarchy, as a table: which words open
//! which level, and how its number and title are read.
//!
//! To support another municipality's wording, add a row to [`HEADINGS`]; the
//! segmenter does not know any marker word itself.

use super::numbers::{circled_value, leading_number};
use regex::Regex;
use std::sync::LazyLock;

/// A level of the plan hierarchy that a heading line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 基本目標.
    Goal,
    /// 基本方針 / 基本施策.
    Policy,
    /// (1) under a policy.
    Measure,
    /// ① under a measure.
    SubMeasure,
}

/// A heading line read: its level, number and title (the title may be on the
/// next line, in which case it is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingMarker {
    /// The level it opens.
    pub level: Level,
    /// Its number.
    pub number: u32,
    /// Its title, without brackets.
    pub title: Option<String>,
}

/// What a single-cell line is, structurally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// A heading of the hierarchy.
    Heading(HeadingMarker),
    /// 【基本理念】 with the philosophy's text, if on the same line.
    Philosophy(Option<String>),
    /// 【めざす方向】 with the direction's text, if on the same line.
    Direction(Option<String>),
    /// One or more legend entries `○:実施 △:未実施`.
    Legend(Vec<(String, String)>),
}

/// How a heading's number is written after its marker word.
#[derive(Debug, Clone, Copy)]
enum NumberStyle {
    /// Any notation `leading_number` reads (`1`, `Ⅲ`, `III`, `１`).
    Any,
    /// `(1)`, the NFKC form of `（１）` and `⑴`.
    Parenthesized,
    /// `①`.
    Circled,
}

/// One row of the heading table.
struct HeadingRule {
    level: Level,
    /// The words that open the heading, as a regex anchored at the start.
    marker: &'static str,
    numbers: NumberStyle,
}

/// The heading markers, tried in order.
const HEADINGS: &[HeadingRule] = &[
    HeadingRule {
        level: Level::Goal,
        marker: r"^基本目標",
        numbers: NumberStyle::Any,
    },
    HeadingRule {
        level: Level::Policy,
        marker: r"^(?:基本方針|基本施策)",
        numbers: NumberStyle::Any,
    },
    HeadingRule {
        level: Level::Measure,
        marker: r"^",
        numbers: NumberStyle::Parenthesized,
    },
    HeadingRule {
        level: Level::SubMeasure,
        marker: r"^",
        numbers: NumberStyle::Circled,
    },
];

static HEADING_MARKERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    HEADINGS
        .iter()
        .map(|rule| Regex::new(rule.marker).unwrap())
        .collect()
});

static PHILOSOPHY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^【基本理念】\s*(.*)$").unwrap());
static DIRECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^【めざす方向】\s*(.*)$").unwrap());
/// A legend entry: a mark, a colon, its meaning up to the next mark.
static LEGEND_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([○△×◎●▲■□◇◆])\s*[:：]\s*([^○△×◎●▲■□◇◆]+)").unwrap());
static LEGEND_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[○△×◎●▲■□◇◆]\s*[:：]\s*[^○△×◎●▲■□◇◆]+\s*)+$").unwrap());

/// Reads a single-cell line as a marker, or `None` for plain text.
pub fn classify(text: &str) -> Option<Marker> {
    if let Some(c) = PHILOSOPHY.captures(text) {
        return Some(Marker::Philosophy(non_empty(&c[1])));
    }
    if let Some(c) = DIRECTION.captures(text) {
        return Some(Marker::Direction(non_empty(&c[1])));
    }
    if LEGEND_LINE.is_match(text) {
        let entries = LEGEND_ENTRY
            .captures_iter(text)
            .map(|c| (c[1].to_string(), c[2].trim().to_string()))
            .collect();
        return Some(Marker::Legend(entries));
    }
    HEADINGS
        .iter()
        .zip(HEADING_MARKERS.iter())
        .find_map(|(rule, marker)| {
            let rest = &text[marker.find(text)?.end()..];
            read_heading(rule, rest)
        })
        .map(Marker::Heading)
}

/// Reads the number and title after a heading's marker word.
fn read_heading(rule: &HeadingRule, rest: &str) -> Option<HeadingMarker> {
    let rest = rest.trim_start();
    let (number, after) = match rule.numbers {
        NumberStyle::Any => {
            let (n, len) = leading_number(rest)?;
            (n, &rest[len..])
        }
        NumberStyle::Parenthesized => {
            let inner = rest.strip_prefix('(')?;
            let close = inner.find(')')?;
            let n = inner[..close].trim().parse().ok()?;
            (n, &inner[close + 1..])
        }
        NumberStyle::Circled => {
            let c = rest.chars().next()?;
            (circled_value(c)?, &rest[c.len_utf8()..])
        }
    };
    let title = heading_title(after);
    // A measure or sub-measure marker needs its title on the same line:
    // a bare `(1)` or `①` is more likely a stray list item than a heading.
    if title.is_none()
        && matches!(
            rule.numbers,
            NumberStyle::Parenthesized | NumberStyle::Circled
        )
    {
        return None;
    }
    Some(HeadingMarker {
        level: rule.level,
        number,
        title,
    })
}

/// The title after a heading's number (or on the line after a bare
/// heading): separators and enclosing brackets (〔〕, 【】) stripped.
pub fn heading_title(after: &str) -> Option<String> {
    let title = after
        .trim()
        .trim_start_matches(['.', '．', ':', '：', '、', ' ']);
    let title = strip_enclosing(title, '〔', '〕')
        .or_else(|| strip_enclosing(title, '【', '】'))
        .unwrap_or(title)
        .trim();
    non_empty(title)
}

fn strip_enclosing(text: &str, open: char, close: char) -> Option<&str> {
    text.strip_prefix(open)?.strip_suffix(close)
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> Option<(Level, u32, Option<String>)> {
        match classify(text)? {
            Marker::Heading(h) => Some((h.level, h.number, h.title)),
            _ => None,
        }
    }

    #[test]
    fn goal_headings_in_every_notation() {
        let title = Some("今を生きる".to_string());
        assert_eq!(
            heading("基本目標 I 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標Ⅰ 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標1 今を生きる"),
            Some((Level::Goal, 1, title.clone()))
        );
        assert_eq!(
            heading("基本目標 3 〔今を生きる〕"),
            Some((Level::Goal, 3, title))
        );
        assert_eq!(heading("基本目標2"), Some((Level::Goal, 2, None)));
        assert_eq!(heading("基本目標とは"), None);
    }

    #[test]
    fn policy_measure_and_sub_measure_headings() {
        assert_eq!(
            heading("基本施策1 地域への意識"),
            Some((Level::Policy, 1, Some("地域への意識".into())))
        );
        assert_eq!(
            heading("基本方針 2 交流"),
            Some((Level::Policy, 2, Some("交流".into())))
        );
        assert_eq!(
            heading("(1) 持続可能な"),
            Some((Level::Measure, 1, Some("持続可能な".into())))
        );
        assert_eq!(
            heading("② 就労に向けた支援"),
            Some((Level::SubMeasure, 2, Some("就労に向けた支援".into())))
        );
        assert_eq!(heading("(1)"), None);
        assert_eq!(heading("参考資料①"), None);
    }

    #[test]
    fn legends_direction_and_philosophy() {
        assert_eq!(
            classify("○:実施 △:未実施・"),
            Some(Marker::Legend(vec![
                ("○".into(), "実施".into()),
                ("△".into(), "未実施・".into())
            ]))
        );
        assert_eq!(classify("【めざす方向】"), Some(Marker::Direction(None)));
        assert_eq!(
            classify("【基本理念】 支え合いのまち"),
            Some(Marker::Philosophy(Some("支え合いのまち".into())))
        );
        assert_eq!(classify("進捗遅れ"), None);
    }
}
