//! A benchmark corpus made from the fixtures: many documents of varied size,
//! the same every time (no randomness, only arithmetic on the index).
//!
//! Document `i` is fixture `i mod 5`, cut to between a quarter and all of its
//! lines and repeated one to three times; one in seven is written in
//! Shift_JIS, as many municipal sites serve it. Sizes range from about 3 KB
//! to 200 KB, as real plans' text does.

use std::path::{Path, PathBuf};

/// The fixture texts the corpus is made from.
pub fn fixture_texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/input");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/input")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(p).expect("UTF-8 fixture"))
        })
        .collect()
}

/// One document of the corpus: its file name and bytes.
pub struct CorpusDocument {
    /// `NNNNN-<fixture>.txt`.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Document `index` of the corpus made from `fixtures`.
pub fn document(fixtures: &[(String, String)], index: usize) -> CorpusDocument {
    let (stem, text) = &fixtures[index % fixtures.len()];
    let lines: Vec<&str> = text.lines().collect();
    let percent = 25 + (index * 37) % 76;
    let keep = (lines.len() * percent / 100).max(1);
    let part = lines[..keep].join("\n") + "\n";
    let repeats = 1 + (index * 13) % 3;
    let body = part.repeat(repeats);
    let bytes = if index % 7 == 3 {
        let windows: String = body.replace('〜', "～").replace('−', "－");
        let (encoded, _, _) = encoding_rs::SHIFT_JIS.encode(&windows);
        encoded.into_owned()
    } else {
        body.into_bytes()
    };
    CorpusDocument {
        name: format!("{index:05}-{stem}.txt"),
        bytes,
    }
}

/// The first `count` documents.
pub fn corpus(count: usize) -> Vec<CorpusDocument> {
    let fixtures = fixture_texts();
    (0..count).map(|i| document(&fixtures, i)).collect()
}
