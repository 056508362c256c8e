//! The batch's side of isolation: worker processes (`keikaku worker`), one
//! per job, each converting one input at a time. A worker is reused from
//! input to input; one that dies (a crash, or killed at the time limit) is
//! reaped, its input gets one error line saying how and on which page it
//! died, and the next input starts a fresh worker.

use super::protocol::{self, Message, Reply, Request};
use crate::extract::ExtractOptions;
use crate::{Document, Error, InputError};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long past `--timeout` a worker gets before it is killed: the worker
/// checks the time limit itself where it can (in the PDF reader) and then
/// answers with a proper error; the kill is for where it cannot.
const KILL_GRACE: Duration = Duration::from_secs(2);

/// The last bytes of a worker's standard error kept, to say why it died
/// (Rust prints `has overflowed its stack` or `memory allocation of N bytes
/// failed` there before aborting).
const STDERR_TAIL: usize = 4096;

/// Worker processes converting inputs for a batch.
#[derive(Debug)]
pub struct WorkerPool {
    program: PathBuf,
    options: ExtractOptions,
    idle: Mutex<Vec<Worker>>,
}

impl WorkerPool {
    /// A pool running `program worker`, reading inputs with `options`.
    /// Workers are started when first needed.
    pub fn new(program: PathBuf, options: ExtractOptions) -> WorkerPool {
        WorkerPool {
            program,
            options,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Converts `path` in a worker: an idle one, or a new one.
    pub fn convert(&self, path: &Path) -> Result<Document, Error> {
        let request = Request::new(path, &self.options);
        let limit = self.options.limits.timeout.map(|t| t + KILL_GRACE);
        let mut fresh = false;
        loop {
            let idle = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let mut worker = match idle {
                Some(worker) => worker,
                None => {
                    fresh = true;
                    Worker::start(&self.program).map_err(|e| Error::Internal {
                        path: path.to_path_buf(),
                        message: format!(
                            "cannot start a worker process ({}): {e}",
                            self.program.display()
                        ),
                    })?
                }
            };
            match worker.convert(&request, limit) {
                Ok(reply) => {
                    self.idle
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(worker);
                    return match reply {
                        Reply::Converted(document) => Ok(*document),
                        Reply::Failed(failure) => Err(failure.into_error(path)),
                    };
                }
                // An idle worker that died while it waited (killed from
                // outside) could not even take the request: not this
                // input's doing, so it goes to a fresh worker.
                Err(death) if !death.request_taken && !fresh => {
                    worker.reap(death, None);
                }
                Err(death) => {
                    return Err(Error::Input {
                        path: path.to_path_buf(),
                        source: InputError::Stopped(
                            worker.reap(death, self.options.limits.timeout),
                        ),
                    })
                }
            }
        }
    }
}

impl Drop for WorkerPool {
    /// Idle workers are ended and reaped (they would end by themselves
    /// when their input closes, but not be waited for).
    fn drop(&mut self) {
        let idle = self.idle.get_mut().unwrap_or_else(PoisonError::into_inner);
        for worker in idle.drain(..) {
            let mut child = worker.child.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One worker process.
#[derive(Debug)]
struct Worker {
    /// Shared with the watchdog that kills it at the time limit.
    child: Arc<Mutex<Child>>,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// The end of its standard error, collected by `stderr_reader`.
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
}

/// How a conversion in a worker ended without a reply.
#[derive(Debug)]
struct Death {
    /// Whether the worker said it had read the request (`taken`): a worker
    /// that died before never had the input.
    request_taken: bool,
    /// The page being read, as the worker last reported.
    page: Option<u32>,
    /// Killed by the watchdog at the time limit.
    timed_out: bool,
}

impl Worker {
    fn start(program: &Path) -> std::io::Result<Worker> {
        let mut child = Command::new(program)
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (stdin, stdout, mut stderr) =
            match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
                (Some(stdin), Some(stdout), Some(stderr)) => (stdin, stdout, stderr),
                _ => return Err(std::io::Error::other("no pipes to the worker")),
            };
        // Standard error is drained all along, so that a worker writing to
        // it never blocks on a full pipe; only its end is kept.
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr_tail);
        let stderr_reader = std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buffer) {
                let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                tail.extend_from_slice(&buffer[..n]);
                let excess = tail.len().saturating_sub(STDERR_TAIL);
                tail.drain(..excess);
            }
        });
        Ok(Worker {
            child: Arc::new(Mutex::new(child)),
            stdin,
            stdout: BufReader::new(stdout),
            stderr_tail,
            stderr_reader: Some(stderr_reader),
        })
    }

    /// Sends `request` and waits for the reply, killing the worker if
    /// `limit` passes first.
    fn convert(&mut self, request: &Request, limit: Option<Duration>) -> Result<Reply, Death> {
        let mut death = Death {
            request_taken: false,
            page: None,
            timed_out: false,
        };
        let sent = serde_json::to_vec(request)
            .map_err(std::io::Error::other)
            .and_then(|mut line| {
                line.push(b'\n');
                self.stdin.write_all(&line)?;
                self.stdin.flush()
            });
        if sent.is_err() {
            return Err(death);
        }
        let watchdog = limit.map(|limit| Watchdog::start(Arc::clone(&self.child), limit));
        let reply = loop {
            match protocol::read_message(&mut self.stdout) {
                // Written into the pipe is not taken: a worker killed while
                // it waited dies with the request unread.
                Ok(Some(Message::Taken)) => death.request_taken = true,
                Ok(Some(Message::Page(page))) => death.page = Some(page),
                Ok(Some(Message::Reply(reply))) => break Some(reply),
                Ok(None) | Err(_) => break None,
            }
        };
        death.timed_out = watchdog.is_some_and(Watchdog::stop);
        reply.ok_or(death)
    }

    /// Ends the worker after `death` and says how it died.
    fn reap(mut self, death: Death, timeout: Option<Duration>) -> String {
        let status = {
            let mut child = self.child.lock().unwrap_or_else(PoisonError::into_inner);
            // A worker that sent garbage may still be running.
            let _ = child.kill();
            child.wait().ok()
        };
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let stderr = String::from_utf8_lossy(
            &self
                .stderr_tail
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
        .into_owned();
        describe_death(&death, status, &stderr, timeout)
    }
}

/// Kills a worker when its time is up, unless stopped first.
struct Watchdog {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<bool>,
}

impl Watchdog {
    fn start(child: Arc<Mutex<Child>>, limit: Duration) -> Watchdog {
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::spawn(move || match stopped.recv_timeout(limit) {
            Err(RecvTimeoutError::Timeout) => {
                let _ = child.lock().unwrap_or_else(PoisonError::into_inner).kill();
                true
            }
            _ => false,
        });
        Watchdog { stop, thread }
    }

    /// Stops the watchdog; true if it had already killed the worker.
    fn stop(self) -> bool {
        let _ = self.stop.send(());
        self.thread.join().unwrap_or(false)
    }
}

/// One line on how a worker died: where, and what its exit status and the
/// end of its standard error tell.
fn describe_death(
    death: &Death,
    status: Option<ExitStatus>,
    stderr: &str,
    timeout: Option<Duration>,
) -> String {
    let at = death
        .page
        .map_or_else(String::new, |page| format!(" while reading page {page}"));
    if death.timed_out {
        let seconds = timeout.map_or(0, |t| t.as_secs());
        return format!(
            "stopped{at}: over the time limit of {seconds} s (raise it with --timeout)"
        );
    }
    let what = if stderr.contains("has overflowed its stack") {
        "stack overflow".to_string()
    } else if stderr.contains("memory allocation of") {
        "out of memory".to_string()
    } else {
        match status {
            Some(status) => describe_status(status),
            None => "no exit status".to_string(),
        }
    };
    format!("crashed{at} ({what})")
}

#[cfg(unix)]
fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGKILL) => "killed, perhaps for using too much memory".to_string(),
        Some(libc::SIGSEGV) => "segmentation fault".to_string(),
        Some(libc::SIGABRT) => "aborted".to_string(),
        Some(libc::SIGBUS) => "bus error".to_string(),
        Some(signal) => format!("killed by signal {signal}"),
        None => format!("exited with {status}"),
    }
}

#[cfg(not(unix))]
fn describe_status(status: ExitStatus) -> String {
    format!("exited with {status}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn death(page: Option<u32>, timed_out: bool) -> Death {
        Death {
            request_taken: true,
            page,
            timed_out,
        }
    }

    #[test]
    fn a_stack_overflow_is_named_with_its_page() {
        let stderr =
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n";
        assert_eq!(
            describe_death(&death(Some(3), false), None, stderr, None),
            "crashed while reading page 3 (stack overflow)"
        );
    }

    #[test]
    fn a_timeout_names_the_limit() {
        assert_eq!(
            describe_death(&death(None, true), None, "", Some(Duration::from_secs(60))),
            "stopped: over the time limit of 60 s (raise it with --timeout)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn signals_are_named() {
        use std::os::unix::process::ExitStatusExt;
        let killed = ExitStatus::from_raw(libc::SIGKILL);
        assert!(
            describe_death(&death(Some(1), false), Some(killed), "", None)
                .contains("too much memory")
        );
        let segfault = ExitStatus::from_raw(libc::SIGSEGV);
        assert!(
            describe_death(&death(None, false), Some(segfault), "", None)
                .contains("segmentation fault")
        );
    }
}
