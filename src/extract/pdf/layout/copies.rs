//! Glyphs drawn again over themselves, the way office software fakes bold
//! (and some producers draw a shadow), are read once.

use super::super::device::Glyph;
use std::collections::HashMap;

/// A glyph dropped as a copy: its index in the page's glyphs, and the index
/// of the glyph it repeats (which is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copy {
    /// The glyph dropped.
    pub index: usize,
    /// The kept glyph it repeats.
    pub of: usize,
}

/// Splits the page's glyphs into the ones kept (indices, in drawing order)
/// and the copies: a glyph that repeats an earlier one of the same text at
/// nearly the same place, closer than half its width (a quarter of the font
/// size at most) along its line and a tenth of the font size across it.
/// Consecutive identical characters (`たまたま`, `11`) stand a whole
/// advance apart and are kept. Copies of white space are dropped too (they
/// show nothing).
pub fn drop_copies(glyphs: &[Glyph]) -> (Vec<usize>, Vec<Copy>) {
    let mut order: Vec<usize> = (0..glyphs.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&glyphs[a], &glyphs[b]);
        a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x))
    });
    let mut kept: Vec<usize> = Vec::with_capacity(order.len());
    // The kept glyphs of each text and direction, to look for an original
    // among.
    let mut by_text: HashMap<(&str, super::super::device::Direction), Vec<usize>> = HashMap::new();
    let mut copies = Vec::new();
    for index in order {
        let glyph = &glyphs[index];
        let reach = (glyph.width * 0.5).min(glyph.size * 0.25).max(0.01);
        let same_text = by_text
            .entry((glyph.text.as_str(), glyph.direction))
            .or_default();
        let original = same_text.iter().copied().find(|&k| {
            let k = &glyphs[k];
            (k.x - glyph.x).abs() < reach && (k.y - glyph.y).abs() < glyph.size * 0.1
        });
        match original {
            Some(of) => copies.push(Copy { index, of }),
            None => {
                same_text.push(index);
                kept.push(index);
            }
        }
    }
    kept.sort_unstable();
    copies.sort_by_key(|c| c.index);
    (kept, copies)
}

#[cfg(test)]
mod tests {
    use super::super::tests::glyph;
    use super::*;

    #[test]
    fn copies_at_the_same_place_are_dropped_neighbours_kept() {
        // 森 drawn four times a fraction of a point apart, then たまたま.
        let glyphs = vec![
            glyph("森", 100.0, 50.0),
            glyph("森", 100.2, 50.3),
            glyph("森", 100.0, 50.3),
            glyph("森", 100.2, 50.0),
            glyph("た", 110.0, 50.0),
            glyph("ま", 120.0, 50.0),
            glyph("た", 130.0, 50.0),
            glyph("ま", 140.0, 50.0),
        ];
        let (kept, copies) = drop_copies(&glyphs);
        let text: String = kept.iter().map(|&i| glyphs[i].text.as_str()).collect();
        assert_eq!(text, "森たまたま");
        assert_eq!(copies.len(), 3);
        assert!(copies.iter().all(|c| c.of == 0));
    }
}
