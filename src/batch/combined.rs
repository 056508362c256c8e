//! The outputs one batch writes for all its inputs together:
//! `records.jsonl`, `records.csv` and the `datapackage.json` that describes
//! them, in one directory.
//!
//! Records are appended as each input's turn comes (input order, so the
//! files do not depend on the number of threads) and the files are put in
//! place whole at the end ([`crate::write::AtomicFile`]). A file that cannot
//! be written (a full disk) is given up with a [`Notice`], and the others go
//! on; `datapackage.json` lists only the files written.

use crate::write::{self, csv::CsvEncoder, datapackage};
use crate::{records, Document, Error};
use std::path::{Path, PathBuf};

/// The name of the records as JSON Lines.
pub const JSONL_NAME: &str = "records.jsonl";
/// The name of the records as CSV.
pub const CSV_NAME: &str = "records.csv";
/// The name of the package descriptor.
pub const DATAPACKAGE_NAME: &str = "datapackage.json";

/// Which combined files to write, and what the package says of them.
#[derive(Debug, Clone)]
pub struct CombinedFormats {
    /// Write `records.jsonl`.
    pub jsonl: bool,
    /// Write `records.csv`, in this encoding (UTF-8 gets a BOM).
    pub csv: Option<&'static encoding_rs::Encoding>,
}

/// One converted input, as the combined outputs need it: its records
/// already written for them, where the document was converted (a batch's
/// threads write them side by side; the outputs only append them, in
/// input order).
#[derive(Debug)]
pub struct Converted {
    /// Its records as JSON Lines (empty unless `records.jsonl` is written).
    pub jsonl: Vec<u8>,
    /// Its records as JSON values, the CSV's rows to be (empty unless
    /// `records.csv` is written).
    pub csv_values: Vec<serde_json::Value>,
    /// Its entry in `datapackage.json`.
    pub source: datapackage::Source,
}

impl Converted {
    /// What `formats` need of `document`, whose JSON is at `json_path` in
    /// the package (if written): its records, read from it without a copy
    /// of their texts, in the forms the files take.
    pub fn of(
        document: &Document,
        formats: &CombinedFormats,
        json_path: Option<String>,
    ) -> Converted {
        let records = records::borrowed(document);
        Converted {
            jsonl: match formats.jsonl {
                true => write::records_jsonl(&records),
                false => Vec::new(),
            },
            csv_values: match formats.csv {
                Some(_) => write::record_values(&records),
                None => Vec::new(),
            },
            source: datapackage::Source::of(document, json_path),
        }
    }
}

/// What the combined outputs have to tell the user, beside errors of the
/// inputs.
#[derive(Debug, thiserror::Error)]
pub enum Notice {
    /// A file could not be written and was given up; the others go on.
    #[error("{}: cannot write: {source}; {} not written, the other outputs go on", path.display(), path.file_name().unwrap_or_default().to_string_lossy())]
    GivenUp {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A character the CSV encoding has no code for, written as
    /// [`write::csv::STAND_IN`].
    #[error("{}: row {row}, {column}: {character:?} (U+{:04X}) has no code in {encoding}; written as {}", path.display(), u32::from(*character), write::csv::STAND_IN)]
    Substituted {
        /// The CSV file.
        path: PathBuf,
        /// The data row.
        row: usize,
        /// The column's header.
        column: String,
        /// The character.
        character: char,
        /// The encoding's name.
        encoding: &'static str,
    },
    /// What the package could not say of an input's municipality (none
    /// named, or a name several municipalities share).
    #[error("{0}")]
    Municipality(String),
    /// No record file was written, so no package describes them.
    #[error("{}: not written: it would describe no file", path.display())]
    NoPackage {
        /// Where the package would have gone.
        path: PathBuf,
    },
}

impl Notice {
    /// True for a file given up or not written (an error), false for a
    /// warning or a note.
    pub fn is_error(&self) -> bool {
        matches!(self, Notice::GivenUp { .. } | Notice::NoPackage { .. })
    }

    /// True for a note: something to know that is not wrong.
    pub fn is_note(&self) -> bool {
        matches!(self, Notice::Municipality(_))
    }
}

/// The combined files of a batch, being written.
pub struct CombinedOutputs {
    directory: PathBuf,
    formats: CombinedFormats,
    jsonl: Option<write::AtomicFile>,
    csv: Option<(write::AtomicFile, CsvEncoder)>,
    sources: Vec<datapackage::Source>,
    given_up: Vec<&'static str>,
}

impl CombinedOutputs {
    /// Starts the files of `formats` in `directory` (which must exist).
    pub fn create(directory: &Path, formats: &CombinedFormats) -> Result<CombinedOutputs, Error> {
        let start = |name: &str| {
            let path = directory.join(name);
            write::AtomicFile::create(&path).map_err(|source| Error::Write { path, source })
        };
        let jsonl = match formats.jsonl {
            true => Some(start(JSONL_NAME)?),
            false => None,
        };
        let csv = match formats.csv {
            Some(encoding) => {
                let mut file = start(CSV_NAME)?;
                let encoder = CsvEncoder::new(encoding);
                file.write_all(&encoder.header())
                    .map_err(|source| Error::Write {
                        path: directory.join(CSV_NAME),
                        source,
                    })?;
                Some((file, encoder))
            }
            None => None,
        };
        Ok(CombinedOutputs {
            directory: directory.to_path_buf(),
            formats: formats.clone(),
            jsonl,
            csv,
            sources: Vec::new(),
            given_up: Vec::new(),
        })
    }

    /// Appends one input's records; says what could not be done.
    pub fn add(&mut self, converted: Converted) -> Vec<Notice> {
        let mut notices: Vec<Notice> = converted
            .source
            .note()
            .map(Notice::Municipality)
            .into_iter()
            .collect();
        if let Some(file) = self.jsonl.as_mut() {
            if let Err(source) = file.write_all(&converted.jsonl) {
                notices.push(self.give_up(JSONL_NAME, source));
                self.jsonl = None;
            }
        }
        if let Some((file, encoder)) = self.csv.as_mut() {
            let rows = encoder.rows(&converted.csv_values);
            let path = self.directory.join(CSV_NAME);
            notices.extend(rows.unmappable.iter().map(|u| Notice::Substituted {
                path: path.clone(),
                row: u.row,
                column: u.column.clone(),
                character: u.character,
                encoding: encoder.encoding().name(),
            }));
            if let Err(source) = file.write_all(&rows.bytes) {
                notices.push(self.give_up(CSV_NAME, source));
                self.csv = None;
            }
        }
        self.sources.push(converted.source);
        notices
    }

    fn give_up(&mut self, name: &'static str, source: std::io::Error) -> Notice {
        self.given_up.push(name);
        Notice::GivenUp {
            path: self.directory.join(name),
            source,
        }
    }

    /// Puts the record files in place and writes `datapackage.json` with
    /// `metadata`, listing the files written; says what could not be
    /// written (an empty list: everything was).
    pub fn finish(mut self, metadata: &datapackage::PackageMetadata) -> Vec<Notice> {
        let mut notices = Vec::new();
        if let Some(file) = self.jsonl.take() {
            if let Err(source) = file.commit() {
                notices.push(self.give_up(JSONL_NAME, source));
            }
        }
        let mut csv_codec = None;
        if let Some((file, encoder)) = self.csv.take() {
            match file.commit() {
                Ok(()) => csv_codec = Some(write::csv::codec_name(encoder.encoding())),
                Err(source) => notices.push(self.give_up(CSV_NAME, source)),
            }
        }
        let path = self.directory.join(DATAPACKAGE_NAME);
        let jsonl = self.formats.jsonl && !self.given_up.contains(&JSONL_NAME);
        if !jsonl && csv_codec.is_none() {
            notices.push(Notice::NoPackage { path });
            return notices;
        }
        let package = datapackage::datapackage_json(&datapackage::Contents {
            sources: &self.sources,
            csv_encoding: csv_codec,
            jsonl,
            metadata,
        });
        if let Err(source) = write::write_atomically(&path, package.as_bytes()) {
            notices.push(Notice::GivenUp { path, source });
        }
        notices
    }
}
