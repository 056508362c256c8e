//! Tells the tests whether the real PDFs of `../shared/real-pdf` (and the
//! real plan text of `../shared/real-txt`) are beside
//! the repository (they cannot be committed to it): the tests that need
//! them are marked ignored, with the reason in `cargo test`'s own report,
//! when they are not, so that a skip is never silent. The same for the
//! browser tests of the review report, which need Chromium.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_real_pdf)");
    println!("cargo::rustc-check-cfg=cfg(shared_real_txt)");
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    println!("cargo::rerun-if-env-changed=KEIKAKU_CHROMIUM");
    println!("cargo::rerun-if-changed=build.rs");
    let real_pdf = Path::new("../shared/real-pdf");
    if real_pdf.is_dir() {
        println!("cargo::rustc-cfg=shared_real_pdf");
        // Watched only while it exists: cargo re-runs a build script whose
        // watched path is missing at every build. A `../shared` added later
        // is seen after `touch build.rs`.
        println!("cargo::rerun-if-changed=../shared/real-pdf");
    }
    // The review report's browser tests (tests/report.rs) need Chromium:
    // Debian's `chromium`, or the one KEIKAKU_CHROMIUM names.
    let chromium = std::env::var_os("KEIKAKU_CHROMIUM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if chromium.is_file() {
        println!("cargo::rustc-cfg=chromium");
        println!("cargo::rerun-if-changed={}", chromium.display());
    }
    if Path::new("../shared/real-txt").is_dir() {
        println!("cargo::rustc-cfg=shared_real_txt");
        println!("cargo::rerun-if-changed=../shared/real-txt");
    }
}
