//! The worker process's side: `keikaku worker` reads requests on standard
//! input and answers each on standard output (see [`super::protocol`]),
//! until its input ends.

use super::protocol::{self, Failure, Reply, Request};
use std::io::{self, BufRead};

/// Serves requests from standard input until it ends: the body of
/// `keikaku worker`. A request that is not JSON ends the worker with an
/// error (the batch that started it is broken, not the input).
///
/// The worker converts one input at a time on one thread: the batch runs
/// as many workers as it has jobs, and a single thread makes the page a
/// crash happened on the page last reported.
pub fn serve() -> io::Result<()> {
    watch_parent();
    // The pool may already exist if the caller used rayon first; then its
    // size stays, and only the progress report is less precise.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    crate::extract::pdf::on_page_begin(report_page);
    let stdin = io::stdin();
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        protocol::write_taken(&mut io::stdout().lock())?;
        let reply = match crate::convert_path_with(&request.path(), &request.options) {
            Ok(document) => Reply::Converted(Box::new(document)),
            Err(error) => Reply::Failed(Failure::of(&error)),
        };
        protocol::write_reply(&mut io::stdout().lock(), &reply)?;
    }
    Ok(())
}

/// Tells the batch which page is being read (a crash is then reported at
/// it). A batch that is gone can no longer be told; the conversion goes on
/// and the worker ends at its next reply.
fn report_page(page: u32) {
    let _ = protocol::write_page(&mut io::stdout().lock(), page);
}

/// A worker dies with the batch that started it, however the batch ended
/// (even by SIGKILL), rather than finish a long document nobody reads.
/// Linux sends the signal when the *thread* that started the worker ends,
/// so the batch starts workers only on its pool's threads, which last as
/// long as the batch (`batch::run`).
#[cfg(target_os = "linux")]
fn watch_parent() {
    // SAFETY: prctl(PR_SET_PDEATHSIG) only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

#[cfg(not(target_os = "linux"))]
fn watch_parent() {}
