//! Messages on standard error: errors, notes, a document's warnings (with
//! `-v`) and a batch's summary, as lines of text a person reads
//! (`keikaku: error: FILE: reason`, warnings as `file:page:line: code:
//! message` like a compiler's) or, with `--error-format json`, as one JSON
//! object a line for programs.

use super::options::{ErrorFormat, MessageOptions};
use keikaku::document::Warning;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// Prints messages as the options ask.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    format: ErrorFormat,
    verbose: bool,
    quiet: bool,
}

/// What a batch came to, for its summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Inputs converted.
    pub converted: usize,
    /// Inputs that failed (or whose output was refused).
    pub failed: usize,
    /// Inputs not tried (`--fail-fast`).
    pub skipped: usize,
    /// Warnings of the documents converted.
    pub warnings: usize,
    /// Documents with no goal and no record.
    pub empty: usize,
}

impl Reporter {
    /// The reporter the options ask for.
    pub fn new(options: &MessageOptions) -> Reporter {
        Reporter {
            format: options.error_format,
            verbose: options.verbose,
            quiet: options.quiet,
        }
    }

    /// True if a progress bar may be shown: not with `-q`, nor when
    /// messages are JSON for a program.
    pub fn shows_progress(&self) -> bool {
        !self.quiet && self.format == ErrorFormat::Human
    }

    /// True if each document's warnings are to be listed.
    pub fn lists_warnings(&self) -> bool {
        self.verbose
    }

    /// An error about `file` (if the error is about one): `message` is the
    /// reason alone.
    pub fn error(&self, file: Option<&Path>, message: &str) {
        self.emit("error", file, message, Value::Null);
    }

    /// An error on one line of `file` (`FILE:LINE: reason`).
    pub fn error_at_line(&self, file: &Path, line: usize, message: &str) {
        match self.format {
            ErrorFormat::Human => {
                let at = format!("{}:{line}", file.display());
                self.emit("error", Some(Path::new(&at)), message, Value::Null)
            }
            ErrorFormat::Json => self.emit("error", Some(file), message, json!({ "line": line })),
        }
    }

    /// A library error, which names its file.
    pub fn input_error(&self, error: &keikaku::Error) {
        self.error(Some(error.path()), &error.reason());
    }

    /// A warning about `file`, not tied to a line of it.
    pub fn warning(&self, file: Option<&Path>, message: &str) {
        self.emit("warning", file, message, Value::Null);
    }

    /// A note: something the user should know that is not wrong (silenced
    /// by `-q`).
    pub fn note(&self, file: Option<&Path>, message: &str) {
        if !self.quiet {
            self.emit("note", file, message, Value::Null);
        }
    }

    /// One warning of a document read from `file` (with `-v`).
    pub fn document_warning(&self, file: &Path, warning: &Warning) {
        if !self.verbose {
            return;
        }
        let code = serde_json::to_value(warning.code)
            .ok()
            .and_then(|c| c.as_str().map(str::to_string))
            .unwrap_or_default();
        let line = match self.format {
            ErrorFormat::Human => format!(
                "{}:{}:{}: {code}: {}",
                file.display(),
                warning.page,
                warning.line,
                warning.message
            ),
            ErrorFormat::Json => json!({
                "level": "warning",
                "file": file.display().to_string(),
                "page": warning.page,
                "line": warning.line,
                "code": code,
                "message": warning.message,
            })
            .to_string(),
        };
        print_line(&line);
    }

    /// The summary of a batch of `inputs` (printed for more than one).
    pub fn summary(&self, inputs: usize, tally: &Tally) {
        if inputs < 2 || self.quiet {
            return;
        }
        let line = match self.format {
            ErrorFormat::Human => {
                let mut line = format!(
                    "keikaku: {} converted, {} failed",
                    tally.converted, tally.failed
                );
                if tally.skipped > 0 {
                    line.push_str(&format!(", {} not tried (--fail-fast)", tally.skipped));
                }
                line.push_str(&format!(", {} warnings", tally.warnings));
                if tally.empty > 0 {
                    line.push_str(&format!(", {} with no goal and no record", tally.empty));
                }
                line
            }
            ErrorFormat::Json => json!({
                "level": "summary",
                "converted": tally.converted,
                "failed": tally.failed,
                "skipped": tally.skipped,
                "warnings": tally.warnings,
                "empty": tally.empty,
            })
            .to_string(),
        };
        print_line(&line);
    }

    /// The last line of an interrupted run: how far a batch got (inputs
    /// finished of all; `0 of 0` for a run that is not a batch) and the
    /// outputs not written.
    pub fn interrupted(&self, (done, total): (usize, usize), not_written: &[String]) {
        let line = match self.format {
            ErrorFormat::Human => {
                let mut line = match total {
                    0 => "keikaku: interrupted".to_string(),
                    _ => format!("keikaku: interrupted after {done} of {total} inputs"),
                };
                if !not_written.is_empty() {
                    line.push_str(&format!("; {} not written", not_written.join(", ")));
                }
                line
            }
            ErrorFormat::Json => json!({
                "level": "interrupted",
                "done": done,
                "total": total,
                "not_written": not_written,
            })
            .to_string(),
        };
        print_line(&line);
    }

    fn emit(&self, level: &str, file: Option<&Path>, message: &str, extra: Value) {
        let line = match self.format {
            ErrorFormat::Human => match file {
                Some(file) => format!("keikaku: {level}: {}: {message}", file.display()),
                None => format!("keikaku: {level}: {message}"),
            },
            ErrorFormat::Json => {
                let mut object = json!({ "level": level, "message": message });
                if let Some(file) = file {
                    object["file"] = Value::String(file.display().to_string());
                }
                if let (Value::Object(object), Value::Object(extra)) = (&mut object, extra) {
                    object.extend(extra);
                }
                object.to_string()
            }
        };
        print_line(&line);
    }
}

/// One line on standard error, whole (lines of threads do not mix). A
/// standard error that cannot be written to has nobody to tell.
fn print_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// An error and its causes in one line, each reason once: a cause whose
/// words the message already holds (an error that prints its source) is
/// not repeated.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let missing = std::io::Error::from_raw_os_error(2);
        let error = keikaku::Error::Read {
            path: "plan.txt".into(),
            source: missing,
        };
        let wrapped = anyhow::Error::new(error).context("cannot diff");
        let line = one_line(&wrapped);
        assert_eq!(line.matches("os error 2").count(), 1, "{line}");
        assert!(
            line.starts_with("cannot diff: plan.txt: cannot read"),
            "{line}"
        );
    }
}
