//! Writes the benchmark corpus (`benches/common/corpus.rs`) as files:
//! `cargo run --release --example make_corpus -- DIR COUNT`. Used by
//! `benches/batch.sh` (scaling and peak memory through the command) and the
//! Spark recipe.

#[path = "../benches/common/corpus.rs"]
#[allow(dead_code)]
mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: make_corpus DIR COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("create DIR");
    let fixtures = corpus::fixture_texts();
    let mut bytes = 0;
    for index in 0..count {
        let document = corpus::document(&fixtures, index);
        bytes += document.bytes.len();
        std::fs::write(dir.join(&document.name), &document.bytes).expect("write a document");
    }
    println!(
        "{count} documents, {:.1} MB, in {}",
        bytes as f64 / 1e6,
        dir.display()
    );
}
