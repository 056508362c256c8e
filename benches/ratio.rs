//! The whole pipeline against the bare NFKC pass, timed in pairs:
//! `cargo bench --bench ratio`.
//!
//! Criterion times each benchmark for seconds on end, one after the
//! other, and a shared machine's speed drifts between them by more than
//! the ratio's own changes. Here each round times both passes back to
//! back, in alternating order, and the ratio reported is the median of
//! the rounds' ratios: a drift that spoils a round is the same for its
//! two passes.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/passes.rs"]
mod passes;

use std::time::{Duration, Instant};

/// The allocator the `keikaku` command runs with, as in `pipeline.rs`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The documents of criterion's stage benchmarks (`pipeline.rs`).
const DOCUMENTS: usize = 35;
/// Rounds untimed, then timed.
const WARM_UP_ROUNDS: usize = 5;
const ROUNDS: usize = 101;

fn timed(pass: impl FnOnce()) -> Duration {
    let start = Instant::now();
    pass();
    start.elapsed()
}

/// The value at quantile `q` of `values`, sorted.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then one round shows that the bench runs.
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let (warm_up, rounds) = if benchmarking {
        (WARM_UP_ROUNDS, ROUNDS)
    } else {
        (0, 1)
    };
    let documents = corpus::corpus(DOCUMENTS);
    let bytes: usize = documents.iter().map(|d| d.bytes.len()).sum();
    let texts = passes::plain_texts(&documents);
    for _ in 0..warm_up {
        passes::bare_nfkc(&texts);
        passes::whole(&documents);
    }
    let (mut bare, mut whole, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (b, w) = if round % 2 == 0 {
            let b = timed(|| passes::bare_nfkc(&texts));
            (b, timed(|| passes::whole(&documents)))
        } else {
            let w = timed(|| passes::whole(&documents));
            (timed(|| passes::bare_nfkc(&texts)), w)
        };
        bare.push(b.as_secs_f64());
        whole.push(w.as_secs_f64());
        ratios.push(w.as_secs_f64() / b.as_secs_f64());
    }
    let whole_median = quantile(&mut whole, 0.5);
    let mib_per_s = bytes as f64 / whole_median / (1024.0 * 1024.0);
    println!(
        "{DOCUMENTS} documents, {:.2} MiB, {rounds} rounds of both passes",
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!(
        "whole pipeline: median {:.2} ms ({mib_per_s:.1} MiB/s, {:.1} MB/s)",
        whole_median * 1e3,
        bytes as f64 / whole_median / 1e6
    );
    println!("bare NFKC: median {:.2} ms", quantile(&mut bare, 0.5) * 1e3);
    println!(
        "whole / bare, by round: median {:.2}x (quartiles {:.2}x-{:.2}x)",
        quantile(&mut ratios, 0.5),
        quantile(&mut ratios, 0.25),
        quantile(&mut ratios, 0.75)
    );
}
