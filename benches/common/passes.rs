//! The two passes whose ratio issue 21 sets a target for, shared by the
//! criterion benchmarks (`pipeline.rs`) and the paired ratio (`ratio.rs`),
//! so that both time the same work.

use crate::corpus::CorpusDocument;
use keikaku::{extract, records, write};
use std::hint::black_box;
use unicode_normalization::UnicodeNormalization;

/// Each document's text as keikaku reads it (its lines, decoded), the
/// input of the bare pass.
pub fn plain_texts(documents: &[CorpusDocument]) -> Vec<String> {
    documents
        .iter()
        .map(|d| {
            let extracted = extract::extract(&d.name, &d.bytes).expect("the corpus converts");
            extracted
                .lines
                .iter()
                .map(|l| l.text())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// The yardstick: NFKC over every text, and nothing else.
pub fn bare_nfkc(texts: &[String]) {
    for text in texts {
        black_box(text.nfkc().collect::<String>());
    }
}

/// The whole pipeline over every document: bytes to the document's JSON
/// and the records' JSON Lines.
pub fn whole(documents: &[CorpusDocument]) {
    for d in documents {
        let document = keikaku::convert(&d.name, &d.bytes).expect("the corpus converts");
        black_box(write::document_json(&document));
        black_box(write::records_jsonl(&records::borrowed(&document)));
    }
}
