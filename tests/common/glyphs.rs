//! Nothing lost, at the glyph level: every glyph a PDF draws is in exactly
//! one output line, or is a fake-bold copy counted in the warning of the
//! line of the glyph it repeats.

use keikaku::extract::pdf::{layout_pages, read_page_contents, read_pdf, unaccounted};
use keikaku::extract::Limits;
use std::collections::BTreeMap;

/// How many times each character that is not white space occurs.
fn characters<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for text in texts {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            *counts.entry(c).or_default() += 1;
        }
    }
    counts
}

/// The characters counted in `a` but not `b`, and the other way round.
fn difference(a: &BTreeMap<char, usize>, b: &BTreeMap<char, usize>) -> String {
    let mut out = Vec::new();
    for (c, &n) in a {
        let m = b.get(c).copied().unwrap_or(0);
        if n != m {
            out.push(format!("{c:?}: {n} vs {m}"));
        }
    }
    for (c, &m) in b {
        if !a.contains_key(c) {
            out.push(format!("{c:?}: 0 vs {m}"));
        }
    }
    out.truncate(12);
    out.join(", ")
}

/// Checks the accounting of one PDF, three ways:
/// 1. by glyph: every glyph drawn (not white space) is in exactly one laid
///    out line or is a copy counted in one ([`unaccounted`]);
/// 2. by character, per page: the characters drawn are the characters of
///    the page's lines plus those of its copies (so each line's text is
///    made of its glyphs);
/// 3. through the page-break joins and the furniture: the characters of
///    the PDF reader's lines and furniture are those of all pages' lines.
pub fn check_accounting(bytes: &[u8]) -> Result<(), String> {
    let limits = Limits::default();
    let pages = read_page_contents(bytes, None, &limits).map_err(|e| e.to_string())?;
    let mut laid_out = Vec::new();
    // As a conversion lays them out: a page may be laid out twice, knowing
    // the document's columns.
    for (page, layout) in pages.iter().zip(layout_pages(&pages)) {
        let missing = unaccounted(page, &layout);
        if !missing.is_empty() {
            let text: String = missing
                .iter()
                .take(40)
                .map(|&i| page.glyphs[i].text.as_str())
                .collect();
            return Err(format!(
                "page {}: {} glyphs in no line or in two: {text:?}",
                page.number,
                missing.len()
            ));
        }
        let drawn = characters(page.glyphs.iter().map(|g| g.text.as_str()));
        let lines: Vec<String> = layout.lines.iter().map(|l| l.text()).collect();
        let copies = layout
            .lines
            .iter()
            .flat_map(|l| l.copies.iter().map(|&i| page.glyphs[i].text.as_str()));
        let read = characters(lines.iter().map(String::as_str).chain(copies));
        if drawn != read {
            return Err(format!(
                "page {}: characters drawn vs read: {}",
                page.number,
                difference(&drawn, &read)
            ));
        }
        laid_out.extend(lines);
    }
    let text = read_pdf(bytes, None, &limits).map_err(|e| e.to_string())?;
    let line_texts: Vec<String> = text.lines.iter().map(|l| l.text()).collect();
    let assembled = characters(
        line_texts
            .iter()
            .map(String::as_str)
            .chain(text.furniture.iter().map(|f| f.text.as_str())),
    );
    let pages = characters(laid_out.iter().map(String::as_str));
    if assembled != pages {
        return Err(format!(
            "pages' lines vs the reader's lines and furniture: {}",
            difference(&pages, &assembled)
        ));
    }
    Ok(())
}
