//! The PDF property of `tests/robustness.rs`, as a strategy and a check of
//! its own, so that `tests/injected_panic.rs` can run the very same
//! property with a panic injected and show that it fails.

use proptest::prelude::*;
use std::sync::LazyLock;

/// The fixture PDFs, read once.
pub static FIXTURE_PDFS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut paths: Vec<_> = std::fs::read_dir(super::fixture_dir().join("pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
});

/// A case: which fixture PDF, the bytes overwritten, and where it is cut.
pub type Mutation = (
    usize,
    Vec<(prop::sample::Index, u8)>,
    Option<prop::sample::Index>,
);

/// The mutations tried.
pub fn mutations() -> impl Strategy<Value = Mutation> {
    (
        0..FIXTURE_PDFS.len(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        prop::option::of(any::<prop::sample::Index>()),
    )
}

/// A fixture PDF with bytes overwritten, or cut short, is refused with an
/// error about the input or converted to a schema-valid document: never a
/// panic, which `convert_path` reports as [`keikaku::Error::Internal`].
pub fn mutated_pdf_converts_or_is_refused(
    (pdf, flips, cut): Mutation,
) -> Result<(), TestCaseError> {
    let mut bytes = FIXTURE_PDFS[pdf].clone();
    for (at, byte) in &flips {
        let at = at.index(bytes.len());
        bytes[at] = *byte;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len()).max(1));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mutated.pdf");
    std::fs::write(&path, &bytes).unwrap();
    match keikaku::convert_path(&path) {
        Ok(document) => {
            prop_assert!(
                keikaku::write::check_document_json(keikaku::write::document_json(&document))
                    .is_ok()
            );
            // What converts has every glyph it drew in one line.
            if let Err(e) = super::glyphs::check_accounting(&bytes) {
                prop_assert!(false, "glyph accounting: {e}");
            }
        }
        Err(error @ keikaku::Error::Internal { .. }) => {
            prop_assert!(false, "keikaku's own failure: {error}")
        }
        Err(_) => {}
    }
    Ok(())
}
