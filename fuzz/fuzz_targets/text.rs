//! Arbitrary bytes as a text input (`input.txt`): encoding detection,
//! normalization, segmentation, the writer and the records. See `src/lib.rs`
//! for what is checked.

#![no_main]

use keikaku_fuzz::{check, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Bytes that start with `%PDF` are read as a PDF whatever the file's
    // name: that is the other target's ground, and its parser's findings
    // must not be counted twice.
    if data.starts_with(b"%PDF") {
        return;
    }
    check(Format::Text, data);
});
