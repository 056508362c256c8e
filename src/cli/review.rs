//! `report` (and `convert --format html`): a review page per input in the
//! output directory, `<stem>.html`, and `index.html` listing them all with
//! their traffic lights. Inputs are converted in parallel; each page is
//! written whole (atomically) as its input is done, so memory does not
//! grow with the batch, and a failed input costs only its own page.

use super::convert::{output_names, write_output};
use super::inputs::{self, InputFile, Inputs};
use super::options::{InputOptions, ReadOptions};
use super::report::{Reporter, Tally};
use super::{Exit, UsageError};
use anyhow::Context;
use keikaku::report::{document_page, index_page, summary, IndexEntry};
use keikaku::write::target::{self, InputFiles, TargetError};
use keikaku::Error;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The batch's index page.
pub const INDEX_NAME: &str = "index.html";

/// `keikaku report INPUT... -o DIR`.
pub fn report(
    inputs: &InputOptions,
    directory: &Path,
    read: &ReadOptions,
    no_clobber: bool,
    reporter: &Reporter,
) -> anyhow::Result<Exit> {
    let files = match inputs::find(inputs)? {
        Inputs::Stdin => {
            return Err(UsageError(
                "report reads files (its pages name them): save standard input to a file first"
                    .into(),
            )
            .into())
        }
        Inputs::Files(files) => files,
    };
    if directory.exists() && !directory.is_dir() {
        return Err(UsageError(format!(
            "{}: not a directory (reports go in a directory: a page per input and {INDEX_NAME})",
            directory.display()
        ))
        .into());
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let input_files = InputFiles::of(&paths);
    let targets = output_names(&files, directory, "html", &[INDEX_NAME])?;
    // Every output is checked before anything is converted: one that is an
    // input stops the run; any other refused costs its input alone.
    let mut refused: Vec<Option<TargetError>> = Vec::with_capacity(targets.len());
    for target in &targets {
        refused.push(match target::resolve(target, &input_files, no_clobber) {
            Ok(_) => None,
            Err(error @ TargetError::IsInput { .. }) => return Err(error.into()),
            Err(error) => Some(error),
        });
    }
    let index = directory.join(INDEX_NAME);
    target::resolve(&index, &input_files, no_clobber)?;
    std::fs::create_dir_all(directory).with_context(|| {
        format!(
            "{}: cannot create the output directory",
            directory.display()
        )
    })?;
    let options = read.extract_options();
    let outcomes: Vec<Result<keikaku::report::Summary, String>> = files
        .par_iter()
        .zip(&targets)
        .zip(refused)
        .map(|((file, target), refused)| {
            if let Some(error) = refused {
                reporter.error(Some(target), &error.reason());
                return Err(error.reason());
            }
            one_report(file, target, &options, no_clobber).map_err(|error| {
                reporter.input_error(&error);
                super::report::one_line(&anyhow::Error::new(error))
            })
        })
        .collect();
    let mut tally = Tally::default();
    let entries: Vec<IndexEntry> = files
        .iter()
        .zip(&targets)
        .zip(outcomes)
        .map(|((file, target), outcome)| {
            match &outcome {
                Ok(summary) => {
                    tally.converted += 1;
                    tally.warnings += summary.warnings.values().sum::<usize>();
                }
                Err(_) => tally.failed += 1,
            }
            IndexEntry {
                input: file.path.display().to_string(),
                report: outcome.is_ok().then(|| relative_link(target, directory)),
                outcome,
            }
        })
        .collect();
    if let Err(source) = write_output(&index, index_page(&entries).as_bytes(), no_clobber) {
        reporter.input_error(&Error::Write {
            path: index.clone(),
            source,
        });
        tally.failed += 1;
    }
    reporter.summary(files.len(), &tally);
    Ok(match tally.failed {
        0 => Exit::Success,
        _ => Exit::Failed,
    })
}

/// Converts one input and writes its page; gives its summary.
fn one_report(
    file: &InputFile,
    target: &Path,
    options: &keikaku::extract::ExtractOptions,
    no_clobber: bool,
) -> Result<keikaku::report::Summary, Error> {
    let reviewed = keikaku::review_path(&file.path, options)?;
    let summary = summary(&reviewed.document);
    let page = document_page(&reviewed, &summary);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: target.to_path_buf(),
            source,
        })?;
    }
    write_output(target, page.as_bytes(), no_clobber).map_err(|source| Error::Write {
        path: target.to_path_buf(),
        source,
    })?;
    Ok(summary)
}

/// `target` as a link from the index in `directory` (`2019/a.html`).
fn relative_link(target: &Path, directory: &Path) -> String {
    target
        .strip_prefix(directory)
        .unwrap_or(target)
        .components()
        .map(|c| percent_encode(&c.as_os_str().to_string_lossy()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as a part of a link: the characters a URL gives a meaning
/// to (`#`, `?`, `%`) and white space written as `%XX`; everything else,
/// Japanese included, as it is (browsers take UTF-8 in links).
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '%' | '#' | '?' | '"' | '<' | '>' | '\\' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_whitespace() || c.is_control() => {
                let mut bytes = [0u8; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_reports_escape_what_a_url_reads() {
        let directory = Path::new("out");
        assert_eq!(
            relative_link(Path::new("out/2019/第2期 計画#1.html"), directory),
            "2019/第2期%20計画%231.html"
        );
    }
}
