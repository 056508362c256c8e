//! Tells the tests whether the real PDFs of `../shared/real-pdf` (and the
//! real plan text of `../shared/real-txt`) are beside
//! the repository (they cannot be committed to it): the tests that need
//! them are marked ignored, with the reason in `cargo test`'s own report,
//! when they are not, so that a skip is never silent.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_real_pdf)");
    println!("cargo::rustc-check-cfg=cfg(shared_real_txt)");
    println!("cargo::rerun-if-changed=build.rs");
    let real_pdf = Path::new("../shared/real-pdf");
    if real_pdf.is_dir() {
        println!("cargo::rustc-cfg=shared_real_pdf");
        // Watched only while it exists: cargo re-runs a build script whose
        // watched path is missing at every build. A `../shared` added later
        // is seen after `touch build.rs`.
        println!("cargo::rerun-if-changed=../shared/real-pdf");
    }
    if Path::new("../shared/real-txt").is_dir() {
        println!("cargo::rustc-cfg=shared_real_txt");
        println!("cargo::rerun-if-changed=../shared/real-txt");
    }
}
