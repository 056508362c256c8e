//! Writes every hostile PDF of `tests/common/hostile.rs` (issue 14) into a
//! directory, one file per case named by the case, at full size, to
//! measure the command on them:
//!
//! ```sh
//! cargo run --release --example make_hostile_corpus -- DIR
//! for f in DIR/*.pdf; do /usr/bin/time -v target/release/keikaku convert "$f" -o /tmp/x.json; done
//! ```

#[path = "../tests/common/build_pdf.rs"]
#[allow(dead_code)]
mod build_pdf;
#[path = "../tests/common/hostile.rs"]
mod hostile;

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: make_hostile_corpus DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in hostile::all() {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes)?;
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
