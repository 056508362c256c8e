//! keikaku patch 11: a CID font's `W` array, read with bounded work.
//!
//! Upstream expanded every `c_first c_last w` range into a hash map entry per
//! CID, so `/W [0 4294967295 1000]` (a few bytes) asked for four billion
//! entries, and 200,000 overlapping ranges for as many times the range. CIDs
//! stop at 65,535 (PDF 32000-1, Annex C), so widths are kept in a table of
//! at most 65,536 entries; the entries are read from the last to the first
//! (a later entry wins, as it did when upstream inserted them in order), and
//! each CID is set once: a union-find of the next unset CID lets each entry
//! skip the CIDs already set, so the work is the size of the array plus the
//! CIDs it sets, whatever the ranges.

use lopdf::Object;

/// The largest CID (PDF 32000-1, Annex C: "CIDs: 65,535").
const MAX_CID: u32 = 65_535;

/// One entry of a `W` array: CIDs `first..=last`, each given its own width
/// (`c [w1 w2 …]`) or all one (`c_first c_last w`).
enum Entry<'a> {
    Each(u32, &'a [Object]),
    All(u32, u32, f64),
}

/// The widths of a CID font, by CID.
#[derive(Debug, Clone, Default)]
pub(crate) struct CidWidths {
    /// Widths by CID; NaN where the array gives none.
    widths: Vec<f64>,
}

fn number(object: &Object) -> Option<f64> {
    match *object {
        Object::Integer(i) => Some(i as f64),
        Object::Real(r) => Some(f64::from(r)),
        _ => None,
    }
}

fn cid(object: &Object) -> Option<u32> {
    match *object {
        Object::Integer(i) => Some(i.clamp(0, i64::from(u32::MAX)) as u32),
        Object::Real(r) if r.is_finite() => Some(r.clamp(0.0, u32::MAX as f32) as u32),
        _ => None,
    }
}

impl CidWidths {
    /// Reads a `W` array (its elements already dereferenced). A malformed
    /// entry ends the reading: the entries before it are kept.
    pub(crate) fn read(w: &[&Object]) -> CidWidths {
        let mut entries = Vec::new();
        let mut i = 0;
        while let (Some(first), Some(second)) = (w.get(i), w.get(i + 1)) {
            let Some(first) = cid(first) else { break };
            if let Object::Array(each) = second {
                entries.push(Entry::Each(first, each));
                i += 2;
            } else {
                let (Some(last), Some(width)) = (cid(second), w.get(i + 2).and_then(|w| number(w)))
                else {
                    break;
                };
                entries.push(Entry::All(first, last, width));
                i += 3;
            }
        }
        let top = entries
            .iter()
            .map(|e| match *e {
                Entry::Each(first, each) => first.saturating_add(each.len() as u32),
                Entry::All(_, last, _) => last.saturating_add(1),
            })
            .max()
            .unwrap_or(0)
            .min(MAX_CID + 1) as usize;
        let mut widths = vec![f64::NAN; top];
        // next[c]: the lowest CID >= c not yet set (top when none is left).
        let mut next: Vec<u32> = (0..=top as u32).collect();
        for entry in entries.iter().rev() {
            let (first, last) = match *entry {
                Entry::Each(first, each) => (
                    first,
                    first.saturating_add(each.len() as u32).saturating_sub(1),
                ),
                Entry::All(first, last, _) => (first, last),
            };
            if first as usize >= top || last < first {
                continue;
            }
            let last = (last as usize).min(top - 1);
            let mut c = find(&mut next, first as usize);
            while c <= last {
                let width = match *entry {
                    Entry::Each(first, each) => each
                        .get(c - first as usize)
                        .and_then(number)
                        .unwrap_or(f64::NAN),
                    Entry::All(_, _, width) => width,
                };
                if let Some(slot) = widths.get_mut(c) {
                    *slot = width;
                }
                if let Some(link) = next.get_mut(c) {
                    *link = c as u32 + 1;
                }
                c = find(&mut next, c + 1);
            }
        }
        CidWidths { widths }
    }

    /// The width of `cid`, if the array gives one.
    pub(crate) fn get(&self, cid: u32) -> Option<f64> {
        self.widths
            .get(cid as usize)
            .copied()
            .filter(|w| !w.is_nan())
    }
}

/// The lowest unset CID at or after `c`, compressing the path walked.
fn find(next: &mut [u32], c: usize) -> usize {
    let mut root = c;
    while let Some(&n) = next.get(root) {
        if n as usize == root {
            break;
        }
        root = n as usize;
    }
    let mut at = c;
    while at != root {
        match next.get_mut(at) {
            Some(link) => at = std::mem::replace(link, root as u32) as usize,
            None => break,
        }
    }
    root
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn read(w: Vec<Object>) -> CidWidths {
        let refs: Vec<&Object> = w.iter().collect();
        CidWidths::read(&refs)
    }

    #[test]
    fn both_forms_and_later_entries_win() {
        let w = read(vec![
            1.into(),
            vec![Object::Integer(500), Object::Integer(600)].into(),
            10.into(),
            20.into(),
            700.into(),
            15.into(),
            15.into(),
            300.into(),
        ]);
        assert_eq!(w.get(1), Some(500.0));
        assert_eq!(w.get(2), Some(600.0));
        assert_eq!(w.get(3), None);
        assert_eq!(w.get(10), Some(700.0));
        assert_eq!(w.get(15), Some(300.0));
        assert_eq!(w.get(20), Some(700.0));
        assert_eq!(w.get(21), None);
    }

    #[test]
    fn a_huge_range_is_capped_by_the_cid_space() {
        let w = read(vec![0.into(), Object::Integer(4_294_967_295), 1000.into()]);
        assert_eq!(w.get(65_535), Some(1000.0));
        assert_eq!(w.get(65_536), None);
    }

    #[test]
    fn many_overlapping_ranges_set_each_cid_once() {
        let mut array = Vec::new();
        for i in 0..200_000i64 {
            array.extend([
                Object::Integer(i % 7),
                Object::Integer(65_535),
                Object::Integer(i),
            ]);
        }
        let start = std::time::Instant::now();
        let w = read(array);
        assert!(start.elapsed().as_secs() < 5);
        assert_eq!(w.get(0), Some(199_997.0));
        assert_eq!(w.get(60_000), Some(199_999.0));
    }

    #[test]
    fn a_malformed_entry_ends_the_array() {
        let w = read(vec![
            1.into(),
            vec![Object::Integer(500)].into(),
            Object::Name(b"x".to_vec()),
            5.into(),
        ]);
        assert_eq!(w.get(1), Some(500.0));
    }
}
