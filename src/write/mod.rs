//! Stage 4, write: the document as JSON and the flat records as JSON Lines,
//! serialized straight from their types (checked against `schema/` on
//! request: [`check_document_json`]), the records as CSV ([`csv`]) and
//! a Data Package describing them ([`datapackage`]), and files written
//! atomically.

pub mod csv;
pub mod datapackage;
mod json;
pub mod metadata;
pub mod municipalities;
pub mod target;

use crate::document::Document;
use crate::records::Record;
use crate::schema;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The document as pretty-printed JSON (with a final newline), serialized
/// straight from its types: UTF-8 bytes, as they are written to a file
/// (a `String` would have them checked for UTF-8 once more, byte by byte).
///
/// Not checked against the schema here: the types' conformance is proved
/// by the tests (every fixture's output, and every document the property
/// tests and fuzzers make, go through [`check_document_json`]), so a run
/// need not build and walk a value tree per output to check it again.
/// `--validate` checks each output all the same.
pub fn document_json(document: &Document) -> Vec<u8> {
    let mut out = Vec::with_capacity(document_json_capacity(document.source.byte_count));
    json::write(&mut out, document, json::Layout::Pretty)
        .expect("a document serializes: its maps have string keys");
    out.push(b'\n');
    out
}

/// Bytes a record's JSON line is reserved: the seeds' lines are 1.2-1.7 kB
/// (a record repeats its goal's and policy's titles), so the buffer is
/// not grown, and copied, half-way through (issue 21, eleventh round).
const RECORD_LINE_BYTES: usize = 2048;

/// The capacity a document's JSON is begun with, from its input's size:
/// the pretty text is 2.5-8.2 times a text input's bytes on the seeds, and
/// a buffer grown by doubling copies what it holds at each step. Reserved
/// memory that is never written costs no physical memory; the upper bound
/// keeps a large PDF (its bytes mostly images and fonts) from reserving
/// far more than its text could fill.
fn document_json_capacity(input_bytes: u64) -> usize {
    const PER_INPUT_BYTE: u64 = 8;
    const LEAST: u64 = 64 * 1024;
    const MOST: u64 = 16 << 20;
    (input_bytes.saturating_mul(PER_INPUT_BYTE)).clamp(LEAST, MOST) as usize
}

/// The records as JSON Lines, one record a line, serialized straight from
/// their type (see [`document_json`] on the schema): UTF-8 bytes, as
/// [`document_json`] gives the document, each record written into the one
/// buffer (a string per record would be grown, copied and freed, a record
/// at a time).
pub fn records_jsonl<S: Serialize>(records: &[Record<S>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * RECORD_LINE_BYTES);
    for record in records {
        json::write(&mut out, record, json::Layout::Compact)
            .expect("a record serializes: its maps have string keys");
        out.push(b'\n');
    }
    out
}

/// The records as JSON values, for the outputs built from values (the
/// combined records, CSV).
pub fn record_values<S: Serialize>(records: &[Record<S>]) -> Vec<serde_json::Value> {
    records
        .iter()
        .map(|record| {
            serde_json::to_value(record).expect("a record serializes: its maps have string keys")
        })
        .collect()
}

/// Checks a document's JSON text, as [`document_json`] writes it, against
/// the document schema: what `--validate` and the tests do.
pub fn check_document_json(json: impl AsRef<[u8]>) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_slice(json.as_ref()).map_err(|e| format!("not JSON: {e}"))?;
    schema::validate_document(&value)
}

/// Checks JSON Lines of records, as [`records_jsonl`] writes them, each
/// against the record schema.
pub fn check_records_jsonl(lines: impl AsRef<[u8]>) -> Result<(), String> {
    let lines = lines.as_ref();
    // Each line ends in a line feed (the last may lack it), which starts
    // no line of its own; no records, no lines.
    let lines = lines.strip_suffix(b"\n").unwrap_or(lines);
    if lines.is_empty() {
        return Ok(());
    }
    for (index, line) in lines.split(|&byte| byte == b'\n').enumerate() {
        let value: serde_json::Value = serde_json::from_slice(line)
            .map_err(|e| format!("record {}: not JSON: {e}", index + 1))?;
        schema::validate_record(&value).map_err(|e| format!("record {}: {e}", index + 1))?;
    }
    Ok(())
}

/// Checks record values, as [`record_values`] gives them, each against the
/// record schema.
pub fn check_record_values(values: &[serde_json::Value]) -> Result<(), String> {
    for (index, value) in values.iter().enumerate() {
        schema::validate_record(value).map_err(|e| format!("record {}: {e}", index + 1))?;
    }
    Ok(())
}

/// Writes `content` to `path` through a temporary file in the same
/// directory and a rename, so that `path` is either absent, its old content,
/// or the whole new content: never half written, whether keikaku fails,
/// panics or is killed midway.
///
/// The file is not synced to disk (no fsync): that would cost more than the
/// whole conversion of a small document, once per file of a batch, and
/// guards only against the machine itself losing power in the seconds
/// after the run. A pipeline that needs that can `sync` once after a batch.
pub fn write_atomically(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(content)?;
    file.commit()
}

/// [`write_atomically`], refusing to replace a file at `path` (an
/// `AlreadyExists` error), even one that appeared while `content` was made.
pub fn write_new(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(content)?;
    file.commit_new()
}

/// A file written in pieces and put in place whole, as [`write_atomically`]
/// does: until [`AtomicFile::commit`], `path` is untouched, and a file
/// dropped without it (an error, a panic) leaves nothing behind. While it is
/// being written, its temporary file is listed for
/// [`remove_temporary_files`], which an interrupted run calls before it
/// exits.
pub struct AtomicFile {
    path: std::path::PathBuf,
    temporary: Option<std::io::BufWriter<tempfile::NamedTempFile>>,
}

impl AtomicFile {
    /// Starts the file that will become `path`, in its directory, as
    /// `.keikaku-PID-XXXXXX` (the process id tells a later run whether the
    /// file is a leftover: see [`remove_stale_temporaries`]).
    ///
    /// A `path` that is a symbolic link is written through: the file it
    /// points to is replaced, and the link stays.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        // One look at the path tells both whether it is a link and, if
        // not, the permissions of the file it replaces (a call less per
        // output of a batch).
        let metadata = path.symlink_metadata().ok();
        let is_link = metadata
            .as_ref()
            .is_some_and(|m| m.file_type().is_symlink());
        let resolved;
        let (path, existing) = if is_link {
            resolved = std::fs::canonicalize(path)?;
            (resolved.as_path(), std::fs::metadata(&resolved).ok())
        } else {
            (path, metadata)
        };
        let mut builder = tempfile::Builder::new();
        let prefix = format!("{TEMPORARY_PREFIX}{}-", std::process::id());
        builder.prefix(&prefix);
        // A temporary file is private (0600) by default. A new output should
        // get the permissions any new file gets, so ask for 0666 and let the
        // umask narrow it, as `File::create` does; a replaced one keeps its
        // own (a private file stays private).
        match existing {
            Some(existing) => {
                builder.permissions(existing.permissions());
            }
            #[cfg(unix)]
            None => {
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            }
            #[cfg(not(unix))]
            None => {}
        }
        let temporary = builder
            .tempfile_in(directory_of(path))
            .map_err(without_temporary_name)?;
        live_temporaries().push(LiveTemporary {
            temporary: temporary.path().to_path_buf(),
            target: path.to_path_buf(),
        });
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary: Some(std::io::BufWriter::new(temporary)),
        })
    }

    /// Appends `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self.temporary.as_mut() {
            Some(file) => file.write_all(bytes).map_err(without_temporary_name),
            None => Err(std::io::Error::other("the file was already put in place")),
        }
    }

    /// Puts the whole file in place, replacing what is there.
    pub fn commit(self) -> std::io::Result<()> {
        self.put_in_place(Replace::Yes)
    }

    /// Puts the whole file in place unless a file is there by then (one
    /// that appeared since the output was checked): `--no-clobber` holds
    /// to the last moment.
    pub fn commit_new(self) -> std::io::Result<()> {
        self.put_in_place(Replace::No)
    }

    fn put_in_place(mut self, replace: Replace) -> std::io::Result<()> {
        let Some(temporary) = self.temporary.take() else {
            return Err(std::io::Error::other("the file was already put in place"));
        };
        let temporary = temporary
            .into_inner()
            .map_err(|e| without_temporary_name(e.into_error()))?;
        let persisted = match replace {
            Replace::Yes => temporary.persist(&self.path),
            Replace::No => temporary.persist_noclobber(&self.path),
        }
        .map_err(|e| e.error);
        // Listed until the rename: removing it now would be too late to
        // matter and too early if the rename failed (NamedTempFile, dropped
        // with the error, removes it itself).
        forget_temporary(&self.path);
        persisted.map(drop)
    }
}

/// Whether putting a file in place may replace an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replace {
    Yes,
    No,
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.temporary.take().is_some() {
            forget_temporary(&self.path);
        }
    }
}

/// An error of a temporary file, without the temporary file's name that
/// `tempfile` adds: the user never asked for that file, and the caller
/// names the output. An error without that name is left as it is.
fn without_temporary_name(error: std::io::Error) -> std::io::Error {
    let os_error = error
        .get_ref()
        .and_then(|inner| inner.source())
        .and_then(|cause| cause.downcast_ref::<std::io::Error>())
        .and_then(std::io::Error::raw_os_error);
    if let Some(code) = os_error {
        return std::io::Error::from_raw_os_error(code);
    }
    match error.get_ref() {
        // tempfile's error prints the operating system's message, then
        // ` at path "…"`: the message is kept, the path dropped.
        Some(inner) => {
            let message = inner.to_string();
            let message = message
                .rsplit_once(" at path ")
                .map_or(message.as_str(), |(before, _)| before);
            std::io::Error::new(error.kind(), message.to_string())
        }
        None => error,
    }
}

/// The start of every temporary file keikaku writes.
pub const TEMPORARY_PREFIX: &str = ".keikaku-";

/// A temporary file being written, and the file it will become.
struct LiveTemporary {
    temporary: std::path::PathBuf,
    target: std::path::PathBuf,
}

fn live_temporaries() -> std::sync::MutexGuard<'static, Vec<LiveTemporary>> {
    static LIVE: std::sync::Mutex<Vec<LiveTemporary>> = std::sync::Mutex::new(Vec::new());
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn forget_temporary(target: &Path) {
    live_temporaries().retain(|live| live.target != target);
}

/// Removes the temporary files of every [`AtomicFile`] still being written,
/// and gives the files they would have become: what an interrupted run
/// calls before it exits, so that it leaves no partial file behind.
pub fn remove_temporary_files() -> Vec<std::path::PathBuf> {
    let mut live = live_temporaries();
    let mut unwritten = Vec::new();
    for file in live.drain(..) {
        let _ = std::fs::remove_file(&file.temporary);
        unwritten.push(file.target);
    }
    unwritten
}

/// Removes the temporary files in `directory` that an earlier run left
/// behind (killed before it could clean up): files named exactly as
/// [`AtomicFile`] names them, `.keikaku-PID-XXXXXX` (six letters or
/// digits), by a process that is no longer running, and last changed
/// before `started`. Gives the files removed. The files of a run still
/// going on, and any other file, are left alone.
pub fn remove_stale_temporaries(
    directory: &Path,
    started: std::time::SystemTime,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMPORARY_PREFIX)) else {
            continue;
        };
        let Some(writer) = temporary_writer(rest) else {
            continue;
        };
        if process_is_running(writer) {
            continue;
        }
        let metadata = entry.metadata()?;
        let old = metadata.modified().is_ok_and(|changed| changed < started);
        if metadata.is_file() && old {
            std::fs::remove_file(entry.path())?;
            removed.push(entry.path());
        }
    }
    removed.sort();
    Ok(removed)
}

/// The process id in the name of one of keikaku's temporary files, after
/// its prefix: `PID-XXXXXX`, six ASCII letters or digits (tempfile's
/// random part); `None` for any other name.
fn temporary_writer(rest: &str) -> Option<u32> {
    let (pid, random) = rest.split_once('-')?;
    let is_random = random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric());
    let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    (is_random && is_pid).then(|| pid.parse().ok()).flatten()
}

/// Whether process `pid` exists (where that cannot be known, it is taken to).
fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// The directory an output file at `path` is written in (`.` for a bare
/// file name): where its temporary file goes.
pub fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_json_buffer_is_sized_from_its_input_within_bounds() {
        assert_eq!(document_json_capacity(0), 64 * 1024);
        assert_eq!(document_json_capacity(100_000), 800_000);
        // A large PDF (images, fonts) reserves no more than the bound.
        assert_eq!(document_json_capacity(200 << 20), 16 << 20);
        assert_eq!(document_json_capacity(u64::MAX), 16 << 20);
    }

    #[test]
    fn only_names_keikaku_gives_its_temporary_files_are_taken_for_them() {
        assert_eq!(temporary_writer("4242-Xy34Zw"), Some(4242));
        for other in [
            "notes",
            "plan.txt",
            "4242-Xy34Zw.txt",
            "-Xy34Zw",
            "42a-Xy34Zw",
            "4242-Xy-4Zw",
        ] {
            assert_eq!(temporary_writer(other), None, "{other}");
        }
    }

    #[test]
    fn a_user_file_with_the_prefix_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join(".keikaku-notes");
        std::fs::write(&user, "mine").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        let removed = remove_stale_temporaries(dir.path(), later).unwrap();
        assert!(removed.is_empty());
        assert!(user.exists());
    }
}
