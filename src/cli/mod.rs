//! The command line's parts: options ([`options`]), finding the inputs
//! ([`inputs`]), the commands that convert ([`convert`]), compare
//! ([`compare`]) and check ([`validate`]), the review pages ([`review`]), and messages ([`report`]). The work itself is the
//! library's; this is how a shell reaches it.

pub mod compare;
pub mod convert;
pub mod inputs;
pub mod options;
pub mod report;
pub mod review;
pub mod validate;

use std::io::Write;

/// How a command ended, as its exit status says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything asked for was done.
    Success,
    /// 3: done, but under `--strict` a document gave no goal and no record.
    Strict,
    /// 1: an input failed, or an output could not be written (the others
    /// were done).
    Failed,
    /// 2: the command cannot be done as given (nothing to convert, an
    /// output that is an input); nothing was written.
    Usage,
}

impl Exit {
    /// The exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Strict => 3,
        }
    }
}

/// Standard output was closed by its reader (`| head`): the command stops
/// and ends quietly with status 0, as jq and ripgrep do.
#[derive(Debug, thiserror::Error)]
#[error("standard output closed")]
pub struct ClosedPipe;

/// A command that cannot be done as given: printed as an error, exit
/// status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Writes `bytes` to standard output; a closed pipe is [`ClosedPipe`].
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
        Err(error) => Err(anyhow::Error::new(error).context("cannot write to standard output")),
    }
}
