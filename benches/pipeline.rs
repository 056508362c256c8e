//! Criterion benchmarks of keikaku's stages and of whole runs, on a corpus
//! made from the fixtures (`benches/common/corpus.rs`).
//!
//! `cargo bench --bench pipeline` runs them all; criterion prints each
//! one's time and throughput (MB/s of input text for the stages, documents/s
//! for the batch). The README has the figures and how they were taken.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/passes.rs"]
mod passes;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use keikaku::{extract, normalize, records, segment, write};
use rayon::prelude::*;
use std::hint::black_box;

/// The allocator the `keikaku` command runs with (`src/main.rs`): the
/// stages allocate many small strings, and their time depends on it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Documents per stage measurement: every fixture, cut and repeated.
const STAGE_DOCUMENTS: usize = 35;
/// Documents in the batch measurement, as issue 7's target names.
const BATCH_DOCUMENTS: usize = 1000;

fn stages(c: &mut Criterion) {
    let documents = corpus::corpus(STAGE_DOCUMENTS);
    let bytes: u64 = documents.iter().map(|d| d.bytes.len() as u64).sum();
    let extracted: Vec<extract::Extracted> = documents
        .iter()
        .map(|d| extract::extract(&d.name, &d.bytes).expect("the corpus converts"))
        .collect();
    let normalized: Vec<normalize::Normalized> =
        extracted.iter().map(normalize::normalize).collect();
    let converted: Vec<keikaku::Document> = documents
        .iter()
        .map(|d| keikaku::convert(&d.name, &d.bytes).expect("the corpus converts"))
        .collect();
    let texts = passes::plain_texts(&documents);

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("extract", |b| {
        b.iter(|| {
            for d in &documents {
                black_box(extract::extract(&d.name, &d.bytes).unwrap());
            }
        })
    });
    group.bench_function("normalize", |b| {
        b.iter(|| {
            for e in &extracted {
                black_box(normalize::normalize(e));
            }
        })
    });
    group.bench_function("bare_nfkc", |b| b.iter(|| passes::bare_nfkc(&texts)));
    group.bench_function("segment", |b| {
        b.iter_batched(
            || {
                extracted
                    .iter()
                    .map(|e| e.meta.clone())
                    .zip(normalized.clone())
                    .collect::<Vec<_>>()
            },
            |inputs| {
                for (meta, n) in inputs {
                    black_box(segment::segment(meta, n));
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("write", |b| {
        b.iter(|| {
            for d in &converted {
                black_box(write::document_json(d));
                black_box(write::records_jsonl(&records::records(d)));
            }
        })
    });
    group.bench_function("whole", |b| b.iter(|| passes::whole(&documents)));
    group.finish();
}

fn batch(c: &mut Criterion) {
    let documents = corpus::corpus(BATCH_DOCUMENTS);
    let mut group = c.benchmark_group("batch_1000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH_DOCUMENTS as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    documents.par_iter().for_each(|d| {
                        let document = keikaku::convert(&d.name, &d.bytes).unwrap();
                        black_box(write::document_json(&document));
                    })
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages, batch);
criterion_main!(benches);
