//! Where an output may go: checked before anything is converted, so that
//! keikaku never writes over one of its inputs, never replaces a symbolic
//! link or a device with a plain file, and, asked not to, never replaces
//! an existing output.
//!
//! A symbolic link is written through: the file it points to gets the new
//! content (by the same atomic rename as any output), and the link stays,
//! as `sed --follow-symlinks` and most editors do.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why an output path is refused.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The output is one of the inputs (the same file, by whatever name).
    #[error("{}: is the input {}; keikaku never writes over an input (give another output)", target.display(), input.display())]
    IsInput {
        /// The output as given.
        target: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// The output exists and `--no-clobber` was given.
    #[error("{}: exists, and --no-clobber keeps it", target.display())]
    Exists {
        /// The output as given.
        target: PathBuf,
    },
    /// The output is a directory, a device, a pipe or a socket.
    #[error("{}: not a regular file ({kind}); keikaku writes regular files (use -o - for standard output)", target.display())]
    NotRegular {
        /// The output as given.
        target: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// A symbolic link that points nowhere.
    #[error("{}: a symbolic link to {}, which does not exist", target.display(), points_to.display())]
    DanglingLink {
        /// The output as given.
        target: PathBuf,
        /// Where the link points.
        points_to: PathBuf,
    },
    /// The output is open as keikaku's own standard output or error
    /// (`-o /dev/stdout` with standard output redirected to a file):
    /// replacing it would lose what the file held.
    #[error("{}: is keikaku's standard {stream}; use -o - to write to standard output", target.display())]
    IsStandardStream {
        /// The output as given.
        target: PathBuf,
        /// `output` or `error`.
        stream: &'static str,
    },
    /// An existing output that may not be written (its permissions, or its
    /// owner's): replacing it by a rename would get round that.
    #[error("{}: is read-only; keikaku does not replace it", target.display())]
    ReadOnly {
        /// The output as given.
        target: PathBuf,
    },
    /// An existing output with other hard links: replacing it by a rename
    /// would leave the other names with the old content.
    #[error("{}: has {links} hard links; replacing it would split them (write elsewhere, or remove the other links)", target.display())]
    HardLinked {
        /// The output as given.
        target: PathBuf,
        /// Its link count.
        links: u64,
    },
    /// The output's kind could not be found out.
    #[error("{}: cannot write: {source}", target.display())]
    Unreadable {
        /// The output as given.
        target: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl TargetError {
    /// The output the error is about, as given.
    pub fn target(&self) -> &Path {
        match self {
            TargetError::IsInput { target, .. }
            | TargetError::Exists { target }
            | TargetError::NotRegular { target, .. }
            | TargetError::DanglingLink { target, .. }
            | TargetError::IsStandardStream { target, .. }
            | TargetError::ReadOnly { target }
            | TargetError::HardLinked { target, .. }
            | TargetError::Unreadable { target, .. } => target,
        }
    }

    /// The message without the output's name: what follows `OUTPUT: `.
    pub fn reason(&self) -> String {
        let message = self.to_string();
        let prefix = format!("{}: ", self.target().display());
        message
            .strip_prefix(&prefix)
            .map_or(message.clone(), str::to_string)
    }
}

/// The files an output must not be: the inputs of a run, by file identity,
/// to tell an output that is one of them whatever name either is given by
/// (a hard link, a symbolic link, `./a.txt` and `a.txt`), and keikaku's own
/// standard output and error when they are files.
///
/// The standard streams are looked up once, here, not for each output: a
/// batch checks a thousand outputs before it starts, and that check runs
/// while the batch's threads wait.
#[derive(Debug)]
pub struct InputFiles {
    by_identity: HashMap<FileIdentity, PathBuf>,
    /// Standard output's and standard error's files, with their names.
    standard_streams: Vec<(FileIdentity, &'static str)>,
}

impl Default for InputFiles {
    /// No inputs; the standard streams as they are now.
    fn default() -> InputFiles {
        InputFiles::of(&[])
    }
}

impl InputFiles {
    /// The identities of `inputs` (those that exist; one that does not will
    /// fail on its own).
    pub fn of(inputs: &[PathBuf]) -> InputFiles {
        let by_identity = inputs
            .iter()
            .filter_map(|input| Some((identity(input)?, input.clone())))
            .collect();
        InputFiles {
            by_identity,
            standard_streams: output_stream_identities(),
        }
    }

    /// The file standard input is, when it is one (`keikaku convert - -o
    /// plan.txt < plan.txt` must not write over its own input).
    pub fn standard_input() -> InputFiles {
        let by_identity = standard_stream_identity(Stream::Input)
            .map(|id| (id, PathBuf::from(crate::STDIN_NAME)))
            .into_iter()
            .collect();
        InputFiles {
            by_identity,
            standard_streams: output_stream_identities(),
        }
    }

    /// The input that `path` is, if it is one.
    pub fn containing(&self, path: &Path) -> Option<&Path> {
        self.input_of(&identity(path)?)
    }

    /// The input that the file with identity `id` is, if it is one.
    fn input_of(&self, id: &FileIdentity) -> Option<&Path> {
        self.by_identity.get(id).map(PathBuf::as_path)
    }

    /// The standard stream (`output`, `error`) that the file with identity
    /// `id` is, if it is one.
    fn standard_stream_of(&self, id: &FileIdentity) -> Option<&'static str> {
        self.standard_streams
            .iter()
            .find(|(stream, _)| stream == id)
            .map(|(_, name)| *name)
    }
}

/// Standard output's and standard error's files, when they are files.
fn output_stream_identities() -> Vec<(FileIdentity, &'static str)> {
    [(Stream::Output, "output"), (Stream::Error, "error")]
        .into_iter()
        .filter_map(|(stream, name)| Some((standard_stream_identity(stream)?, name)))
        .collect()
}

/// The file an output at `target` is written to: `target` itself, or, for
/// a symbolic link, the file it points to. Refused if that is one of
/// `inputs` or keikaku's own standard output or error, is not a regular
/// file, may not be written, has other hard links, or exists while
/// `no_clobber` is set.
pub fn resolve(
    target: &Path,
    inputs: &InputFiles,
    no_clobber: bool,
) -> Result<PathBuf, TargetError> {
    let unreadable = |source| TargetError::Unreadable {
        target: target.to_path_buf(),
        source,
    };
    let link = match target.symlink_metadata() {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(target.to_path_buf())
        }
        Err(error) => return Err(unreadable(error)),
        Ok(metadata) => metadata.file_type().is_symlink(),
    };
    // What the path leads to, links followed: a link to a pipe or a
    // terminal (/dev/stdout) is not a regular file, whatever its name.
    let metadata = match target.metadata() {
        Ok(metadata) => metadata,
        Err(error) if link && error.kind() == std::io::ErrorKind::NotFound => {
            return Err(TargetError::DanglingLink {
                target: target.to_path_buf(),
                points_to: std::fs::read_link(target).unwrap_or_default(),
            })
        }
        Err(error) => return Err(unreadable(error)),
    };
    if !metadata.is_file() {
        return Err(TargetError::NotRegular {
            target: target.to_path_buf(),
            kind: kind_of(&metadata.file_type()),
        });
    }
    let resolved = match link {
        true => std::fs::canonicalize(target).map_err(unreadable)?,
        false => target.to_path_buf(),
    };
    // `metadata` followed the links: its file is the one `resolved` names.
    if let Some(id) = identity_of(&resolved, &metadata) {
        if let Some(input) = inputs.input_of(&id) {
            return Err(TargetError::IsInput {
                target: target.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
        if let Some(stream) = inputs.standard_stream_of(&id) {
            return Err(TargetError::IsStandardStream {
                target: target.to_path_buf(),
                stream,
            });
        }
    }
    if no_clobber {
        return Err(TargetError::Exists {
            target: target.to_path_buf(),
        });
    }
    if !writable(&resolved) {
        return Err(TargetError::ReadOnly {
            target: target.to_path_buf(),
        });
    }
    let links = link_count(&metadata);
    if links > 1 {
        return Err(TargetError::HardLinked {
            target: target.to_path_buf(),
            links,
        });
    }
    Ok(resolved)
}

/// Whether this process may write to the file at `path` (its permissions
/// and its owner's, as `open` would find them).
fn writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: access(2) reads a NUL-terminated path and nothing else.
        unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
    }
}

fn link_count(metadata: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(metadata)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        1
    }
}

/// keikaku's own standard streams.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Input,
    Output,
    Error,
}

/// The file a standard stream is, when it is a regular file.
fn standard_stream_identity(stream: Stream) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let owned = match stream {
            Stream::Input => std::io::stdin().as_fd().try_clone_to_owned(),
            Stream::Output => std::io::stdout().as_fd().try_clone_to_owned(),
            Stream::Error => std::io::stderr().as_fd().try_clone_to_owned(),
        }
        .ok()?;
        let metadata = std::fs::File::from(owned).metadata().ok()?;
        metadata.is_file().then(|| (metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = stream;
        None
    }
}

/// What a file that is not a regular file is, in words.
fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// What makes two paths the same file.
#[cfg(unix)]
type FileIdentity = (u64, u64);
#[cfg(not(unix))]
type FileIdentity = PathBuf;

/// The file's device and inode (on Unix), or its canonical path.
fn identity(path: &Path) -> Option<FileIdentity> {
    identity_of(path, &path.metadata().ok()?)
}

/// The identity of the file at `path`, whose `metadata` (links followed)
/// has been read already.
fn identity_of(path: &Path, metadata: &std::fs::Metadata) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        std::fs::canonicalize(path).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_output_is_itself() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.json");
        let resolved = resolve(&target, &InputFiles::default(), true).unwrap();
        assert_eq!(resolved, target);
    }

    #[test]
    fn an_input_by_another_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.txt");
        std::fs::write(&input, "x").unwrap();
        let inputs = InputFiles::of(std::slice::from_ref(&input));
        let other_name = dir.path().join(".").join("a.txt");
        assert_eq!(inputs.containing(&other_name), Some(input.as_path()));
        assert_eq!(inputs.containing(&dir.path().join("b.txt")), None);
        assert!(matches!(
            resolve(&other_name, &inputs, false),
            Err(TargetError::IsInput { .. })
        ));
        #[cfg(unix)]
        {
            let hard = dir.path().join("hard.json");
            std::fs::hard_link(&input, &hard).unwrap();
            assert!(matches!(
                resolve(&hard, &inputs, false),
                Err(TargetError::IsInput { .. })
            ));
        }
    }

    #[test]
    fn an_existing_output_is_kept_under_no_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old").unwrap();
        assert!(resolve(&target, &InputFiles::default(), false).is_ok());
        assert!(matches!(
            resolve(&target, &InputFiles::default(), true),
            Err(TargetError::Exists { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_dangling_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        let resolved = resolve(&link, &InputFiles::default(), false).unwrap();
        assert_eq!(resolved, std::fs::canonicalize(&real).unwrap());
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("nowhere.json", &dangling).unwrap();
        assert!(matches!(
            resolve(&dangling, &InputFiles::default(), false),
            Err(TargetError::DanglingLink { .. })
        ));
    }

    #[test]
    fn a_directory_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = resolve(dir.path(), &InputFiles::default(), false).unwrap_err();
        assert!(error.to_string().contains("a directory"), "{error}");
    }
}
