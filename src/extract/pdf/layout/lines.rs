//! Glyphs into lines of text: grouped by baseline, read left to right, with
//! a space where the glyphs leave a word-sized gap, and split into cells at
//! a wide gap.
//!
//! Every function here takes the page's glyphs and the indices of the ones
//! it works on, and gives indices back, so that the layout can tell which
//! line each glyph went into.

use super::super::device::Glyph;
use super::LaidOutLine;

/// A gap wider than this many font sizes between glyphs of a line outside a
/// table separates cells.
pub const CELL_GAP: f64 = 2.5;

/// A gap wider than this many font sizes, with no space glyph in it, is a
/// word space.
const SPACE_GAP: f64 = 0.2;

/// The same, next to a full-width character. Office software sets off
/// Latin text from Japanese by a quarter of an em (Word's and LibreOffice's
/// "autospace"), which is not a space in the text.
const WIDE_SPACE_GAP: f64 = 0.45;

/// Glyphs whose baselines differ by more than this many font sizes are on
/// different baselines (glyphs of one line differ by less: mixed fonts).
const BASELINE_TOLERANCE: f64 = 0.2;

/// A half-width glyph: ASCII, or half-width forms.
fn is_narrow(glyph: &Glyph) -> bool {
    glyph
        .text
        .chars()
        .all(|c| c.is_ascii() || ('\u{ff61}'..='\u{ffdc}').contains(&c))
}

/// Groups glyphs into lines by baseline, each sorted left to right, top
/// line first. A line of spaces alone is no line (nothing shows).
pub fn group_lines(glyphs: &[Glyph], indices: &[usize]) -> Vec<Vec<usize>> {
    let mut sorted: Vec<usize> = indices.to_vec();
    sorted.sort_by(|&a, &b| {
        let (ga, gb) = (&glyphs[a], &glyphs[b]);
        ga.y.total_cmp(&gb.y)
            .then(ga.x.total_cmp(&gb.x))
            .then(a.cmp(&b))
    });
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for index in sorted {
        let glyph = &glyphs[index];
        match lines.last_mut() {
            Some(line)
                if (glyph.y - glyphs[line[0]].y).abs()
                    <= glyphs[line[0]].size.max(glyph.size) * 0.5 =>
            {
                line.push(index)
            }
            _ => lines.push(vec![index]),
        }
    }
    lines
        .into_iter()
        .flat_map(|line| split_stacked(glyphs, line))
        .filter(|line| line.iter().any(|&i| !glyphs[i].is_space()))
        .map(|mut line| {
            line.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x).then(a.cmp(&b)));
            line
        })
        .collect()
}

/// Splits a group of glyphs that holds more than one line: one line's
/// glyphs never overlap across, so when glyphs on different baselines do (a
/// caption or a boxed figure set into a paragraph, a heading number in a
/// larger size beside a label), the group is cut at every gap between
/// baselines, top first. Read as one line, the two would interleave
/// character by character.
fn split_stacked(glyphs: &[Glyph], mut line: Vec<usize>) -> Vec<Vec<usize>> {
    let mut by_x: Vec<&Glyph> = line
        .iter()
        .map(|&i| &glyphs[i])
        .filter(|g| !g.is_space())
        .collect();
    by_x.sort_by(|a, b| a.x.total_cmp(&b.x));
    let stacked = by_x.iter().enumerate().any(|(i, glyph)| {
        by_x[..i].iter().any(|earlier| {
            let overlap = earlier.right() - glyph.x;
            overlap > 0.25 * earlier.width.min(glyph.width)
                && (earlier.y - glyph.y).abs() > BASELINE_TOLERANCE * earlier.size.max(glyph.size)
        })
    });
    if !stacked {
        return vec![line];
    }
    line.sort_by(|&a, &b| glyphs[a].y.total_cmp(&glyphs[b].y).then(a.cmp(&b)));
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for index in line {
        let glyph = &glyphs[index];
        match lines.last_mut() {
            Some(current)
                if glyph.y - glyphs[current[current.len() - 1]].y
                    <= BASELINE_TOLERANCE * glyph.size.max(glyphs[current[0]].size) =>
            {
                current.push(index)
            }
            _ => lines.push(vec![index]),
        }
    }
    lines
}

/// The text of one line of glyphs (left to right), with spaces where the
/// glyphs leave a word-sized gap and no space glyph stands.
pub fn line_text(glyphs: &[Glyph], line: &[usize]) -> String {
    let mut text = String::new();
    let mut previous: Option<&Glyph> = None;
    for &index in line {
        let glyph = &glyphs[index];
        if let Some(p) = previous {
            let gap = glyph.x - p.right();
            let threshold = if is_narrow(p) && is_narrow(glyph) {
                SPACE_GAP
            } else {
                WIDE_SPACE_GAP
            };
            if gap > glyph.size.max(p.size) * threshold && !p.is_space() && !glyph.is_space() {
                text.push(' ');
            }
        }
        text.push_str(&glyph.text);
        previous = Some(glyph);
    }
    text
}

/// The font size of a line: its largest glyph's.
pub fn line_size(glyphs: &[Glyph], line: &[usize]) -> f64 {
    line.iter().map(|&i| glyphs[i].size).fold(0.0, f64::max)
}

/// The baseline of a line: its first glyph's.
pub fn baseline(glyphs: &[Glyph], line: &[usize]) -> f64 {
    line.first().map_or(0.0, |&i| glyphs[i].y)
}

/// A line of text outside tables, split into cells at wide gaps.
pub fn free_line(glyphs: &[Glyph], line: &[usize]) -> LaidOutLine {
    let mut cells = Vec::new();
    let mut start = 0;
    let mut last_ink: Option<&Glyph> = None;
    for (i, &index) in line.iter().enumerate() {
        let glyph = &glyphs[index];
        if glyph.is_space() {
            continue;
        }
        if let Some(p) = last_ink {
            if glyph.x - p.right() > glyph.size.max(p.size) * CELL_GAP {
                cells.push(line_text(glyphs, &line[start..i]).trim().to_string());
                start = i;
            }
        }
        last_ink = Some(glyph);
    }
    cells.push(line_text(glyphs, &line[start..]).trim_end().to_string());
    let size = line_size(glyphs, line);
    let baseline = baseline(glyphs, line);
    LaidOutLine {
        cells,
        top: baseline - size,
        bottom: baseline + size * 0.2,
        glyphs: line.to_vec(),
        free: true,
        ..LaidOutLine::default()
    }
}

/// The lines of text inside a cell, joined. Japanese text wraps anywhere
/// and is joined as it is; where a line ended in a space glyph (a Latin
/// word wrapped at its space) the space stays. No space is made up: a
/// number or a word broken across the wrap (`2,5` / `00`) is one.
pub fn join_wrapped(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line.trim_start_matches(' '));
    }
    out.trim().to_string()
}

/// True when the text of `next` could not have begun at the end of `line`
/// within a measure whose right edge is `right`: the line was wrapped there,
/// not ended. What must fit is the next line's first unit: its first glyph
/// for Japanese text, its first word for Latin text (which wraps at
/// spaces). `slack` allows for the measure's inner padding.
///
/// A break the Japanese line-breaking rules forbid (JIS X 4051 禁則: an
/// opening bracket at the end of a line, a closing bracket or a comma or
/// full stop at the start of one) is a wrap whatever the widths: a
/// producer that breaks there was filling the line, and no author ends a
/// line on 「 or starts one with 、.
pub fn is_wrapped(
    glyphs: &[Glyph],
    line: &[usize],
    next: &[usize],
    right: f64,
    slack: f64,
) -> bool {
    let Some(end) = line
        .iter()
        .rev()
        .map(|&i| &glyphs[i])
        .find(|g| !g.is_space())
    else {
        return false;
    };
    let next_first = next.iter().map(|&i| &glyphs[i]).find(|g| !g.is_space());
    if end.text.ends_with(NEVER_ENDS_A_LINE)
        || next_first.is_some_and(|g| g.text.starts_with(NEVER_STARTS_A_LINE))
    {
        return true;
    }
    // The first unit: a Latin word, or a glyph with the marks the rules
    // keep with it (報・ moves to the next line as one, and an opening
    // bracket with the glyph after it: `（令` goes on as one).
    let mut first_unit = 0.0;
    let mut started_wide = false;
    for glyph in next.iter().map(|&i| &glyphs[i]) {
        if glyph.is_space() {
            if first_unit > 0.0 {
                break;
            }
            continue;
        }
        let kept = glyph.text.starts_with(NEVER_STARTS_A_LINE)
            || glyph.text.starts_with(ALSO_KEPT_WITH_PREVIOUS);
        if started_wide && !kept {
            break;
        }
        first_unit += glyph.width.max(glyph.size * 0.3);
        started_wide |= !is_narrow(glyph) && !glyph.text.starts_with(NEVER_ENDS_A_LINE);
    }
    end.right() + first_unit > right - slack
}

/// Opening brackets: the Japanese line-breaking rules keep them off the end
/// of a line (行末禁則).
const NEVER_ENDS_A_LINE: &[char] = &[
    '「', '『', '（', '(', '【', '〈', '《', '〔', '［', '｛', '“', '‘',
];

/// Closing brackets, commas and full stops: kept off the start of a line
/// (行頭禁則).
const NEVER_STARTS_A_LINE: &[char] = &[
    '」', '』', '）', ')', '】', '〉', '》', '〕', '］', '｝', '”', '’', '、', '。', '，', '．',
    ',',
];

/// Besides the marks of [`NEVER_STARTS_A_LINE`], what the line-breaking
/// rules keep with the glyph before it: middle dots, colons, the long-vowel
/// mark, iteration marks and small kana. (A line may still start with some
/// of them, a bullet ・ for one, so only a glyph that follows counts.)
const ALSO_KEPT_WITH_PREVIOUS: &[char] = &[
    '・', '：', '；', '！', '？', 'ー', '々', 'ゝ', 'ゞ', 'ヽ', 'ヾ', 'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ',
    'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ッ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ',
    'ヶ',
];

#[cfg(test)]
mod tests {
    use super::super::tests::glyph;
    use super::*;

    /// The texts of the lines `glyphs` are grouped into.
    fn line_texts(glyphs: &[Glyph]) -> Vec<String> {
        let all: Vec<usize> = (0..glyphs.len()).collect();
        group_lines(glyphs, &all)
            .iter()
            .map(|l| line_text(glyphs, l))
            .collect()
    }

    #[test]
    fn lines_overlapping_across_on_close_baselines_are_not_interleaved() {
        // A paragraph line at y = 50 and a call-out at y = 54 set over it,
        // closer than half a font size: two lines, top first.
        let mut glyphs: Vec<Glyph> = "本文の行です"
            .chars()
            .enumerate()
            .map(|(i, c)| glyph(&c.to_string(), 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        glyphs.extend(
            "数値目標"
                .chars()
                .enumerate()
                .map(|(i, c)| glyph(&c.to_string(), 105.0 + 10.0 * i as f64, 54.0)),
        );
        assert_eq!(line_texts(&glyphs), ["本文の行です", "数値目標"]);
        // Side by side, the same baselines make one line (mixed fonts).
        let side_by_side = vec![
            glyph("見", 100.0, 50.0),
            glyph("出", 110.0, 51.0),
            glyph("し", 120.0, 49.5),
        ];
        assert_eq!(line_texts(&side_by_side), ["見出し"]);
        // A line of spaces alone is not a line.
        let spaces = vec![glyph("本", 100.0, 50.0), glyph(" ", 100.0, 80.0)];
        assert_eq!(line_texts(&spaces), ["本"]);
    }

    #[test]
    fn wrapped_cell_lines_join_without_made_up_spaces() {
        let lines = ["子育て".to_string(), "グループ".to_string()];
        assert_eq!(join_wrapped(&lines), "子育てグループ");
        let lines = ["2,5".to_string(), "00部".to_string()];
        assert_eq!(join_wrapped(&lines), "2,500部");
        let lines = ["Team ".to_string(), "SUGE".to_string()];
        assert_eq!(join_wrapped(&lines), "Team SUGE");
    }

    #[test]
    fn a_line_is_wrapped_only_when_the_next_lines_start_would_not_fit() {
        // A measure from 100 to 160: six glyphs of 10 fill it.
        let mut glyphs: Vec<Glyph> = (0..6)
            .map(|i| glyph("あ", 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        glyphs.push(glyph("い", 100.0, 65.0));
        let full: Vec<usize> = (0..6).collect();
        let short: Vec<usize> = (0..3).collect();
        assert!(is_wrapped(&glyphs, &full, &[6], 160.0, 1.0));
        assert!(!is_wrapped(&glyphs, &short, &[6], 160.0, 1.0));
        // A Latin word of four letters does not fit after four glyphs.
        let mut latin: Vec<Glyph> = (0..4)
            .map(|i| glyph("あ", 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        for (i, c) in "Word".chars().enumerate() {
            let mut g = glyph(&c.to_string(), 100.0 + 5.0 * i as f64, 65.0);
            g.width = 5.0;
            latin.push(g);
        }
        assert!(is_wrapped(&latin, &[0, 1, 2, 3], &[4, 5, 6, 7], 160.0, 1.0));
        assert!(!is_wrapped(&latin, &[0, 1, 2], &[4, 5, 6, 7], 160.0, 1.0));
    }

    #[test]
    fn a_break_the_line_breaking_rules_forbid_is_a_wrap_however_short_the_line() {
        // Three glyphs in a measure of six: short, yet it ends on 「.
        let mut glyphs: Vec<Glyph> = ["交", "流", "「"]
            .iter()
            .enumerate()
            .map(|(i, t)| glyph(t, 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        glyphs.push(glyph("障", 100.0, 65.0));
        assert!(is_wrapped(&glyphs, &[0, 1, 2], &[3], 160.0, 1.0));
        assert!(!is_wrapped(&glyphs, &[0, 1], &[3], 160.0, 1.0));
        // The next line starts with a comma: the line was not ended.
        glyphs.push(glyph("、", 100.0, 65.0));
        assert!(is_wrapped(&glyphs, &[0, 1], &[4], 160.0, 1.0));
    }

    #[test]
    fn an_opening_bracket_goes_on_with_the_glyph_after_it() {
        // Four glyphs in a measure of six leave room for one: `（令` needs two.
        let mut glyphs: Vec<Glyph> = (0..4)
            .map(|i| glyph("あ", 100.0 + 10.0 * i as f64, 50.0))
            .collect();
        glyphs.push(glyph("（", 100.0, 65.0));
        glyphs.push(glyph("令", 110.0, 65.0));
        glyphs.push(glyph("い", 100.0, 80.0));
        assert!(is_wrapped(&glyphs, &[0, 1, 2, 3], &[4, 5], 160.0, 1.0));
        // A glyph alone would have fitted.
        assert!(!is_wrapped(&glyphs, &[0, 1, 2, 3], &[6], 160.0, 1.0));
    }
}
