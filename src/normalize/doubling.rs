//! Text doubled by fake-bold rendering, repaired.
//!
//! Some PDF producers draw bold text twice, and text extraction then yields
//! every run twice: a whole line (`計画の理念と目標計画の理念と目標`), or
//! run by run (`川崎市社協川崎市社協1100のの取組取組`, where `1100` is `10`
//! with each digit drawn twice). Real Japanese repeats characters too
//! (`たまたま`, `いろいろ`, `ますます`, `人々`), so a line is repaired only
//! when the line *as a whole* is made of doubled runs, end to end, and is long
//! enough that chance cannot explain it.

/// A line shorter than this (in characters) is never read as doubled: a
/// lone `たまたま` or `いろいろ` is a word, not a rendering defect.
const MIN_DOUBLED_CHARS: usize = 6;

/// Lines longer than this are body text, never fake bold (and the search
/// below is quadratic in the length).
const MAX_DOUBLED_CHARS: usize = 400;

/// The text of `line` with its doubling undone, or `None` when the line is
/// not doubled end to end.
///
/// The line must split into consecutive pieces each of which is some run
/// written twice (`ww`); of all such splits the one with the fewest pieces is
/// taken, and the result is the runs once each. A line printed twice with a
/// space between (`X X`) counts as doubled too.
///
/// ```
/// use keikaku::normalize::undouble;
/// assert_eq!(undouble("計画の理念と目標計画の理念と目標").as_deref(), Some("計画の理念と目標"));
/// assert_eq!(undouble("川崎市社協川崎市社協1100のの取組取組").as_deref(), Some("川崎市社協10の取組"));
/// assert_eq!(undouble("たまたま子育てまつり"), None);
/// ```
pub fn undouble(line: &str) -> Option<String> {
    let text = line.trim();
    if !may_split_into_squares(text) {
        return None;
    }
    undouble_searching(text)
}

/// Whether `text`, or `text` followed by a space, could split into squares.
/// In a run written twice every character comes an even number of times, so
/// in a line of squares too; a text where some character comes an odd
/// number of times is none. The counts' parities are folded into one word
/// (each character spread over its bits and XORed in: characters that come
/// in pairs cancel), one pass without allocation where the search collects
/// the characters and tries every run. The fold can miss an odd count (two
/// spreads that cancel): then the search answers, as before.
fn may_split_into_squares(text: &str) -> bool {
    let odd = text.chars().fold(0, |odd, c| odd ^ spread(c));
    odd == 0 || odd == spread(' ')
}

/// `c`'s bits spread over a word, so that a few distinct characters rarely
/// XOR to nothing.
fn spread(c: char) -> u64 {
    u64::from(c).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// [`undouble`] of a trimmed `text` by the search alone.
fn undouble_searching(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < MIN_DOUBLED_CHARS
        || chars.len() > MAX_DOUBLED_CHARS
        || !chars.iter().any(|c| !c.is_ascii() && c.is_alphanumeric())
    {
        return None;
    }
    let halves = split_into_squares(&chars).or_else(|| {
        // `X X`: the second copy follows a space, the first lacks one at the end.
        let mut spaced = chars.clone();
        spaced.push(' ');
        split_into_squares(&spaced)
    })?;
    Some(halves.into_iter().collect::<String>().trim().to_string())
}

/// Splits `chars` into the fewest consecutive squares (a run written twice)
/// and returns the first half of each, or `None` if no split exists.
fn split_into_squares(chars: &[char]) -> Option<Vec<char>> {
    let n = chars.len();
    // fewest[i]: the fewest squares that make up chars[..i], with the half
    // length of the last one.
    let mut fewest: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    fewest[0] = Some((0, 0));
    for start in 0..n {
        let Some((count, _)) = fewest[start] else {
            continue;
        };
        // Longer halves first, so that ties keep the longest runs.
        for half in (1..=(n - start) / 2).rev() {
            let end = start + 2 * half;
            // The first characters first: most halves differ there, and a
            // slice comparison is a call.
            if chars[start] != chars[start + half]
                || chars[start..start + half] != chars[start + half..end]
            {
                continue;
            }
            if fewest[end].is_none_or(|(best, _)| count + 1 < best) {
                fewest[end] = Some((count + 1, half));
            }
        }
    }
    fewest[n]?;
    let mut runs = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, half) = fewest[end].expect("every step back lands on a reachable split");
        let start = end - 2 * half;
        runs.push(&chars[start..start + half]);
        end = start;
    }
    Some(runs.into_iter().rev().flatten().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lines_doubled() {
        assert_eq!(
            undouble("ともに安心してともに安心して").as_deref(),
            Some("ともに安心して")
        );
        assert_eq!(
            undouble("〜ともに目指す地域共生社会の実現〜〜ともに目指す地域共生社会の実現〜")
                .as_deref(),
            Some("〜ともに目指す地域共生社会の実現〜")
        );
    }

    #[test]
    fn lines_doubled_with_a_space_between() {
        assert_eq!(
            undouble("みんなで支えあい みんなで支えあい").as_deref(),
            Some("みんなで支えあい")
        );
        assert_eq!(
            undouble("その人らしく暮らせる その人らしく暮らせる ").as_deref(),
            Some("その人らしく暮らせる")
        );
    }

    #[test]
    fn run_by_run_doubling() {
        assert_eq!(
            undouble("地域共生社会の実現に向け地域共生社会の実現に向けたた川崎市社協川崎市社協1100のの取組取組")
                .as_deref(),
            Some("地域共生社会の実現に向けた川崎市社協10の取組")
        );
    }

    #[test]
    fn real_repetition_survives() {
        for text in [
            "たまたま子育てまつり",
            "いろいろな方が参加しています",
            "ますます高齢化が進む中、人々のつながりが大切です",
            "たまたま",
            "いろいろいろ",
            "第6期計画 基本理念 第6期計画 目標",
            "------",
            "112233",
            "○○○○○○",
        ] {
            assert_eq!(undouble(text), None, "{text}");
        }
    }

    /// Every text of up to ten characters over two letters and a space.
    fn short_texts() -> impl Iterator<Item = String> {
        const LETTERS: [char; 3] = ['あ', 'い', ' '];
        (0..=10u32).flat_map(|length| {
            (0..3usize.pow(length)).map(move |mut code| {
                (0..length)
                    .map(|_| {
                        let letter = LETTERS[code % 3];
                        code /= 3;
                        letter
                    })
                    .collect()
            })
        })
    }

    /// The parity fold turns away no text that the search would undouble.
    fn assert_filter_agrees(text: &str) {
        assert_eq!(undouble(text), undouble_searching(text.trim()), "{text:?}");
    }

    #[test]
    fn the_parity_fold_loses_no_doubled_text() {
        let mut doubled = 0;
        for text in short_texts() {
            assert_filter_agrees(&text);
            doubled += usize::from(undouble_searching(text.trim()).is_some());
        }
        // The texts include doubled ones, spaced ones among them.
        assert!(doubled > 100, "{doubled}");
        assert!(undouble("あいあ あいあ").is_some());
    }

    proptest::proptest! {
        #[test]
        fn the_parity_fold_agrees_on_generated_lines(
            runs in proptest::collection::vec("[あいう地域 1]{1,4}", 1..6),
            spaced in proptest::bool::ANY,
            extra in proptest::option::of("[あいう地域 1]"),
        ) {
            let mut text: String = runs.iter().map(|run| run.repeat(2)).collect();
            if spaced {
                let once: String = runs.concat();
                text = format!("{once} {once}");
            }
            if let Some(extra) = extra {
                text.push_str(&extra);
            }
            assert_filter_agrees(&text);
        }
    }

    #[test]
    fn a_line_that_only_almost_doubles_is_left_alone() {
        assert_eq!(undouble("計画の理念と目標計画の理念と目的"), None);
        assert_eq!(undouble("ああいいうえ"), None);
    }
}
