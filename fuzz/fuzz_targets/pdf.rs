//! Arbitrary bytes as a PDF input (`input.pdf`): the vendored PDF parser
//! (lopdf, pdf-extract, the CMap parser), the layout of lines and table
//! cells, then the same stages as a text. See `src/lib.rs` for what is
//! checked.

#![no_main]

use keikaku_fuzz::{check, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // keikaku reads a PDF's pages in parallel (rayon). A fuzzing job is
        // one process on one core: one thread keeps it there, and its runs
        // alike from one input to the next.
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global()
            .expect("the global thread pool is set once");
    },
    |data: &[u8]| {
        check(Format::Pdf, data);
    }
);
