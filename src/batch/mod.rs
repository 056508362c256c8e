//! Batches: many inputs converted at once (`--jobs`), each input's failure
//! its own, results handed on in input order so that the output does not
//! depend on the number of threads.
//!
//! An input is converted either in this process or, with
//! [`Isolation::Workers`], in a worker process ([`pool`]): keikaku run again
//! as `keikaku worker` ([`worker`]), as Apache Tika's pipes do, so that a
//! crash the process cannot catch (a stack overflow, an abort, the kernel's
//! out-of-memory kill) or a conversion that overruns `--timeout` costs that
//! one input, not the batch.

pub mod combined;
pub mod ordered;
pub mod pool;
pub mod protocol;
pub mod worker;

use crate::extract::ExtractOptions;
use crate::{Document, Error};
use pool::WorkerPool;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Where each input is converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// In this process: the cheapest, but a crash ends the whole batch.
    InProcess,
    /// In worker processes running `program worker`, one per job, reused
    /// from input to input and started again after a crash.
    Workers {
        /// The keikaku executable (`std::env::current_exe()` for the
        /// command itself).
        program: PathBuf,
    },
}

/// How a batch is run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How many inputs are converted at once; `None` for one per core.
    pub jobs: Option<usize>,
    /// Stop starting new inputs once one has failed.
    pub fail_fast: bool,
    /// Where inputs are converted.
    pub isolation: Isolation,
    /// How inputs are read (password, encoding, limits and the time limit).
    pub options: ExtractOptions,
    /// Show a progress bar on standard error when it is a terminal (a
    /// caller whose messages are read by a program turns it off).
    pub progress_bar: bool,
}

/// What became of one input of a batch.
#[derive(Debug)]
pub enum Outcome<T> {
    /// Converted, with the document's warning count.
    Converted {
        /// What the batch's consumer made of it.
        value: T,
        /// How many warnings the document has.
        warnings: usize,
    },
    /// Failed, with why.
    Failed(Error),
    /// Not tried: `fail_fast` stopped the batch first.
    Skipped,
}

/// How far the running batch has got: inputs finished (converted or
/// failed; a document converted is written by then), and inputs in all.
/// Read by the interrupt handler for its last line.
pub static PROGRESS: Progress = Progress {
    done: AtomicUsize::new(0),
    total: AtomicUsize::new(0),
};

/// A batch's progress, as [`PROGRESS`] holds it.
#[derive(Debug)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Inputs finished (converted or failed) and inputs in all.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::SeqCst),
            self.total.load(Ordering::SeqCst),
        )
    }
}

/// Converted inputs that may wait, per thread, for the one before them to
/// be handed to the consumer: what bounds a batch's memory (the documents
/// waiting), while a thread that finished early can go on.
const WAITING_PER_THREAD: usize = 8;

/// Converts each input (`settings.jobs` at once), runs `finish` on each
/// document in the thread that converted it (writing its own file, say),
/// and hands what `finish` made to `consume` in input order, one at a
/// time, as soon as it and every input before it are done ([`ordered`]:
/// on the batch's threads, whichever finished it or the input before), so
/// that results stream through rather than pile up; each failure goes to
/// `on_failure`, in the same order (to be reported as it comes, not at the
/// end). With `fail_fast`, inputs not yet started when one fails are
/// skipped. A progress bar is shown on a terminal if `settings` ask for it.
/// Outcomes come back in input order; an error of `consume` (a closed
/// standard output) ends the batch.
pub fn run<T: Send, R: Send>(
    files: &[PathBuf],
    settings: &Settings,
    finish: impl Fn(usize, &Path, Document) -> Result<T, Error> + Sync,
    mut consume: impl FnMut(T) -> anyhow::Result<R> + Send,
    mut on_failure: impl FnMut(&Error) + Send,
) -> anyhow::Result<Vec<Outcome<R>>> {
    use anyhow::Context;
    // A pool of the batch's own (0 threads: rayon's default, one per
    // core). Inputs are converted on its threads, which last as long as the
    // batch: a worker process dies with the thread that started it (see
    // `worker`), so it must not be started on a thread that ends earlier.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let threads = pool.current_num_threads();
    let converter = match &settings.isolation {
        Isolation::InProcess => Converter::InProcess(&settings.options),
        Isolation::Workers { program } => {
            Converter::Isolated(WorkerPool::new(program.clone(), settings.options.clone()))
        }
    };
    let failed = AtomicBool::new(false);
    let progress = match settings.progress_bar {
        true => progress_bar(files.len()),
        false => indicatif::ProgressBar::hidden(),
    };
    PROGRESS.done.store(0, Ordering::SeqCst);
    PROGRESS.total.store(files.len(), Ordering::SeqCst);
    let convert_one = |index: usize| {
        let outcome = if settings.fail_fast && failed.load(Ordering::SeqCst) {
            Outcome::Skipped
        } else {
            let path = &files[index];
            let converted = converter.convert(path).and_then(|document| {
                let warnings = document.warnings.len();
                finish(index, path, document).map(|value| (value, warnings))
            });
            match converted {
                Ok((value, warnings)) => Outcome::Converted { value, warnings },
                Err(error) => {
                    failed.store(true, Ordering::SeqCst);
                    Outcome::Failed(error)
                }
            }
        };
        progress.inc(1);
        PROGRESS.done.fetch_add(1, Ordering::SeqCst);
        outcome
    };
    let mut outcomes = Vec::with_capacity(files.len());
    ordered::map_in_order(
        &pool,
        files.len(),
        WAITING_PER_THREAD * threads,
        convert_one,
        |outcome| {
            outcomes.push(match outcome {
                Outcome::Converted { value, warnings } => Outcome::Converted {
                    value: consume(value)?,
                    warnings,
                },
                Outcome::Failed(error) => {
                    on_failure(&error);
                    Outcome::Failed(error)
                }
                Outcome::Skipped => Outcome::Skipped,
            });
            anyhow::Ok(())
        },
    )?;
    progress.finish_and_clear();
    Ok(outcomes)
}

/// Converts one input where the settings say.
enum Converter<'a> {
    InProcess(&'a ExtractOptions),
    Isolated(WorkerPool),
}

impl Converter<'_> {
    fn convert(&self, path: &Path) -> Result<Document, Error> {
        match self {
            Converter::InProcess(options) => crate::convert_path_with(path, options),
            Converter::Isolated(pool) => pool.convert(path),
        }
    }
}

/// A progress bar on standard error when it is a terminal and there is more
/// than one input; hidden otherwise (logs and pipes get no bar).
fn progress_bar(inputs: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if inputs < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(inputs as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
