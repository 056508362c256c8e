//! Writes `fixtures/encodings/`: the Tama and Machida progress reports
//! (seeds 000 and 004) re-encoded as Shift_JIS, EUC-JP, UTF-16LE with a BOM,
//! UTF-8 with a BOM, and UTF-8 with CRLF line ends, each in a folder named
//! for its encoding and under the original's file name (so that the records,
//! which carry the file name, can be compared byte for byte).
//!
//! Run with `cargo run --example make_encoded_fixtures`; `tests/encodings.rs`
//! checks that the committed files are what this writes.

#[path = "../tests/common/encodings.rs"]
mod encodings;

use encodings::{reencode, VARIANTS};
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for stem in [
        "tama-progress-report-fy2019",
        "machida-progress-report-fy2024",
    ] {
        let name = format!("{stem}.txt");
        let original = std::fs::read_to_string(root.join("input").join(&name))
            .expect("the fixture is UTF-8 text");
        for variant in VARIANTS {
            let bytes = reencode(&original, variant)
                .unwrap_or_else(|c| panic!("{name}: {c:?} has no code in {}", variant.folder));
            let folder = root.join("encodings").join(variant.folder);
            std::fs::create_dir_all(&folder).expect("create the folder");
            std::fs::write(folder.join(&name), bytes).expect("write the fixture");
            println!("{}/{name}", variant.folder);
        }
    }
}
