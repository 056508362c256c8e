//! Stage 4, write: the document as JSON and the flat records as JSON Lines,
//! each validated against `schema/` first, the records as CSV ([`csv`]) and
//! a Data Package describing them ([`datapackage`]), and files written
//! atomically.

pub mod csv;
pub mod datapackage;

use crate::document::Document;
use crate::records::Record;
use crate::schema;
use std::io::Write;
use std::path::Path;

/// The document as pretty-printed JSON (with a final newline), after
/// checking it against the document schema.
pub fn document_json(document: &Document) -> Result<String, String> {
    let value = serde_json::to_value(document).map_err(|e| e.to_string())?;
    schema::validate_document(&value)?;
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// The records as JSON values, each checked against the record schema.
pub fn record_values(records: &[Record]) -> Result<Vec<serde_json::Value>, String> {
    records
        .iter()
        .map(|record| {
            let value = serde_json::to_value(record).map_err(|e| e.to_string())?;
            schema::validate_record(&value)
                .map_err(|e| format!("record {:?}: {e}", record.number))?;
            Ok(value)
        })
        .collect()
}

/// The records as JSON Lines, one record a line, each checked against the
/// record schema.
pub fn records_jsonl(records: &[Record]) -> Result<String, String> {
    Ok(jsonl(&record_values(records)?))
}

/// Values as JSON Lines.
pub fn jsonl(values: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for value in values {
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
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

/// A file written in pieces and put in place whole, as [`write_atomically`]
/// does: until [`AtomicFile::commit`], `path` is untouched, and a file
/// dropped without it (an error, a panic) leaves nothing behind.
pub struct AtomicFile {
    path: std::path::PathBuf,
    temporary: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts the file that will become `path`, in its directory.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".keikaku-");
        // A temporary file is private (0600) by default; the output should
        // get the permissions any new file gets, so ask for 0666 and let the
        // umask narrow it, as `File::create` does.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary: std::io::BufWriter::new(builder.tempfile_in(directory)?),
        })
    }

    /// Appends `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.temporary.write_all(bytes)
    }

    /// Puts the whole file in place.
    pub fn commit(self) -> std::io::Result<()> {
        let temporary = self.temporary.into_inner().map_err(|e| e.into_error())?;
        temporary.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}
