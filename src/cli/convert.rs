//! `convert`, `records` and `text`: inputs found, converted (a batch, one
//! file, or standard input), outputs checked and written, and what became
//! of each input reported.

use super::inputs::{self, InputFile, Inputs};
use super::options::{
    BatchOptions, FormatOptions, InputOptions, OutputFormat, OutputOptions, PackageOptions,
    ReadOptions,
};
use super::report::{Reporter, Tally};
use super::{write_stdout, Exit, UsageError};
use anyhow::Context;
use keikaku::batch::combined::{self, CombinedFormats, CombinedOutputs, Converted};
use keikaku::batch::Outcome;
use keikaku::document::Warning;
use keikaku::extract::ExtractOptions;
use keikaku::write::target::{self, InputFiles, TargetError};
use keikaku::{records, write, Document, Error};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What one document has to say beside its output: its warnings (kept
/// when they are to be listed) and whether it gave nothing.
#[derive(Debug)]
struct Diagnostics {
    warnings: Vec<Warning>,
    /// The count of lines read, for a document with no goal and no record.
    empty: Option<u32>,
}

impl Diagnostics {
    fn of(document: &Document, list_warnings: bool, record_count: usize) -> Diagnostics {
        Diagnostics {
            warnings: if list_warnings {
                document.warnings.clone()
            } else {
                Vec::new()
            },
            empty: (document.goals.is_empty() && record_count == 0)
                .then_some(document.source.line_count),
        }
    }

    /// Lists the warnings (with `-v`) and notes an empty document.
    fn report(&self, file: &Path, reporter: &Reporter, tally: &mut Tally) {
        for warning in &self.warnings {
            reporter.document_warning(file, warning);
        }
        if let Some(lines) = self.empty {
            tally.empty += 1;
            reporter.note(
                Some(file),
                &format!("no goals and no records found in its {lines} lines: not a plan keikaku reads? (--strict makes this an error)"),
            );
        }
    }
}

/// The exit of a run that converted and wrote what it could.
fn exit_of(tally: &Tally, strict: bool) -> Exit {
    if tally.failed > 0 || tally.skipped > 0 {
        Exit::Failed
    } else if strict && tally.empty > 0 {
        Exit::Strict
    } else {
        Exit::Success
    }
}

/// Everything `convert` was asked.
pub struct ConvertRequest<'a> {
    /// The inputs.
    pub inputs: &'a InputOptions,
    /// Where to write.
    pub output: &'a OutputOptions,
    /// How to read.
    pub read: &'a ReadOptions,
    /// How to run a batch.
    pub batch: &'a BatchOptions,
    /// What to write.
    pub formats: &'a FormatOptions,
    /// What `datapackage.json` says of the data.
    pub package: &'a PackageOptions,
}

/// `keikaku convert`.
pub fn convert(
    request: &ConvertRequest,
    reporter: &Reporter,
    strict: bool,
) -> anyhow::Result<Exit> {
    if request.formats.wants(OutputFormat::Html) {
        return convert_with_reports(request, reporter, strict);
    }
    let options = request.read.extract_options();
    let output = &request.output.output;
    let to_stdout = output.as_os_str() == "-";
    let files = match inputs::find(request.inputs)? {
        Inputs::Stdin => {
            if !to_stdout {
                check_target(
                    output,
                    &InputFiles::standard_input(),
                    request.output.no_clobber,
                )?;
            }
            let document = read_stdin(&options)?;
            let name = PathBuf::from(keikaku::STDIN_NAME);
            return write_single(document, &name, request, reporter, strict);
        }
        Inputs::Files(files) => files,
    };
    let one_named_file = files.len() == 1
        && request.inputs.files_from.is_none()
        && request.inputs.inputs.len() == 1
        && !request.inputs.inputs[0].is_dir();
    if to_stdout && files.len() != 1 {
        return Err(UsageError(format!(
            "-o - (standard output) takes one input; {} were given",
            files.len()
        ))
        .into());
    }
    // `-o out/` names a directory, made if need be, even for one input.
    let names_directory = output.is_dir() || output.as_os_str().to_string_lossy().ends_with('/');
    if to_stdout || (one_named_file && !names_directory && !request.formats.combined()) {
        let path = &files[0].path;
        let inputs = InputFiles::of(std::slice::from_ref(path));
        if !to_stdout {
            check_target(output, &inputs, request.output.no_clobber)?;
        }
        return match keikaku::convert_path_with(path, &options) {
            Ok(document) => write_single(document, path, request, reporter, strict),
            Err(error) => {
                reporter.input_error(&error);
                Ok(Exit::Failed)
            }
        };
    }
    convert_batch(&files, request, &options, reporter, strict)
}

/// `convert --format html,…`: the review pages (as `keikaku report`) in
/// the output directory, then the other formats asked for beside them.
fn convert_with_reports(
    request: &ConvertRequest,
    reporter: &Reporter,
    strict: bool,
) -> anyhow::Result<Exit> {
    let output = &request.output.output;
    if output.as_os_str() == "-" {
        return Err(UsageError(
            "--format html writes a directory of pages, not standard output".into(),
        )
        .into());
    }
    let others: Vec<OutputFormat> = request
        .formats
        .format
        .iter()
        .copied()
        .filter(|f| *f != OutputFormat::Html)
        .collect();
    let reports = super::review::report(
        request.inputs,
        output,
        request.read,
        request.output.no_clobber,
        reporter,
    )?;
    if others.is_empty() {
        return Ok(reports);
    }
    // The other formats go in the same directory, whatever the number of
    // inputs.
    let directory = PathBuf::from(format!("{}/", output.display()));
    let formats = FormatOptions {
        format: others,
        ..*request.formats
    };
    let rest = convert(
        &ConvertRequest {
            formats: &formats,
            output: &OutputOptions {
                output: directory,
                no_clobber: request.output.no_clobber,
            },
            ..*request
        },
        reporter,
        strict,
    )?;
    Ok(std::cmp::max_by_key(reports, rest, |e| match e {
        Exit::Success => 0,
        Exit::Strict => 1,
        Exit::Failed => 2,
        Exit::Usage => 3,
    }))
}

/// A document read from standard input.
fn read_stdin(options: &ExtractOptions) -> anyhow::Result<Document> {
    Ok(keikaku::convert_reader_with(
        keikaku::STDIN_NAME,
        std::io::stdin().lock(),
        options,
    )?)
}

/// Checks `output` before anything is converted; a refusal is a
/// [`TargetError`], whose exit status [`is_failure`] tells.
fn check_target(output: &Path, inputs: &InputFiles, no_clobber: bool) -> anyhow::Result<()> {
    target::resolve(output, inputs, no_clobber)?;
    Ok(())
}

/// A refused output that is a failure of its input (exit status 1: kept by
/// --no-clobber, or one that cannot be looked at), not a command that
/// cannot be done as given (2).
pub fn is_failure(error: &TargetError) -> bool {
    matches!(
        error,
        TargetError::Exists { .. } | TargetError::Unreadable { .. }
    )
}

/// Writes one document in the one format asked, to the output file or
/// standard output.
fn write_single(
    document: Document,
    name: &Path,
    request: &ConvertRequest,
    reporter: &Reporter,
    strict: bool,
) -> anyhow::Result<Exit> {
    let output = &request.output.output;
    let to_stdout = output.as_os_str() == "-";
    let [format] = request.formats.format.as_slice() else {
        return Err(UsageError(format!(
            "one input to {} takes one --format (several need a directory for -o)",
            if to_stdout {
                "standard output"
            } else {
                "one file"
            }
        ))
        .into());
    };
    let input = PathBuf::from(&document.source.file_name);
    let records = records::borrowed(&document);
    let mut tally = Tally::default();
    let diagnostics = Diagnostics::of(&document, reporter.lists_warnings(), records.len());
    let validate = request.formats.validate;
    let bytes = match format {
        OutputFormat::Json => {
            let json = write::document_json(&document);
            if validate {
                write::check_document_json(&json)
                    .map_err(|violation| Error::schema(&input, &violation))?;
            }
            json
        }
        OutputFormat::Jsonl => {
            let lines = write::records_jsonl(&records);
            if validate {
                write::check_records_jsonl(&lines)
                    .map_err(|violation| Error::schema(&input, &violation))?;
            }
            lines
        }
        OutputFormat::Csv => {
            let values = write::record_values(&records);
            if validate {
                write::check_record_values(&values)
                    .map_err(|violation| Error::schema(&input, &violation))?;
            }
            let mut encoder = write::csv::CsvEncoder::new(request.formats.csv_encoding);
            let rows = encoder.rows(&values);
            for u in &rows.unmappable {
                let notice = combined::Notice::Substituted {
                    path: output.clone(),
                    row: u.row,
                    column: u.column.clone(),
                    character: u.character,
                    encoding: encoder.encoding().name(),
                };
                reporter.warning(None, &notice.to_string());
            }
            let mut bytes = encoder.header();
            bytes.extend(rows.bytes);
            bytes
        }
        OutputFormat::Html => unreachable!("--format html is written by convert_with_reports"),
    };
    diagnostics.report(name, reporter, &mut tally);
    if to_stdout {
        write_stdout(&bytes)?;
    } else if let Err(source) = write_output(output, &bytes, request.output.no_clobber) {
        reporter.input_error(&Error::Write {
            path: output.clone(),
            source,
        });
        return Ok(Exit::Failed);
    }
    Ok(exit_of(&tally, strict))
}

/// Converts many inputs into the output directory: a document JSON each
/// (`json`), and the combined files (`jsonl`, `csv`, `datapackage.json`).
fn convert_batch(
    files: &[InputFile],
    request: &ConvertRequest,
    options: &ExtractOptions,
    reporter: &Reporter,
    strict: bool,
) -> anyhow::Result<Exit> {
    let started = std::time::SystemTime::now();
    let directory = &request.output.output;
    if directory.exists() && !directory.is_dir() {
        return Err(UsageError(format!(
            "{}: not a directory (the outputs of several inputs, or of --format jsonl or csv, go in a directory)",
            directory.display()
        ))
        .into());
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let input_files = InputFiles::of(&paths);
    let write_json = request.formats.wants(OutputFormat::Json);
    let reserved: &[&str] = match request.formats.combined() {
        true => &[combined::DATAPACKAGE_NAME],
        false => &[],
    };
    let targets = output_names(files, directory, "json", reserved)?;
    // Every output is checked before anything is written: one that is an
    // input stops the run; any other refused (kept by --no-clobber, not a
    // regular file) costs its input alone.
    let mut refused: Vec<Option<TargetError>> = Vec::with_capacity(files.len());
    for target in &targets {
        refused.push(match write_json {
            true => match target::resolve(target, &input_files, request.output.no_clobber) {
                Ok(_) => None,
                Err(error @ TargetError::IsInput { .. }) => return Err(error.into()),
                Err(error) => Some(error),
            },
            false => None,
        });
    }
    let combined_formats = request.formats.combined_formats();
    // The package's metadata (options over keikaku.toml), checked before
    // anything is converted.
    let metadata = match combined_formats {
        Some(_) => write::metadata::PackageMetadata::for_inputs(
            &request.inputs.inputs,
            &paths,
            request.package.metadata(),
        )
        .map_err(UsageError)?,
        None => Default::default(),
    };
    if combined_formats.is_some() {
        for name in [
            combined::JSONL_NAME,
            combined::CSV_NAME,
            combined::DATAPACKAGE_NAME,
        ] {
            check_target(
                &directory.join(name),
                &input_files,
                request.output.no_clobber,
            )?;
        }
    }
    std::fs::create_dir_all(directory).with_context(|| {
        format!(
            "{}: cannot create the output directory",
            directory.display()
        )
    })?;
    for target in &targets {
        if let Some(parent) = target.parent().filter(|p| *p != directory.as_path()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create the directory", parent.display()))?;
        }
    }
    remove_stale_temporaries(directory, started, reporter);
    let mut combined = match &combined_formats {
        Some(formats) => Some(CombinedOutputs::create(directory, formats)?),
        None => None,
    };
    // The inputs whose outputs may be written, with their index among all.
    let (indices, to_convert): (Vec<usize>, Vec<PathBuf>) = refused
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| (i, paths[i].clone()))
        .unzip();
    let list_warnings = reporter.lists_warnings();
    let validate = request.formats.validate;
    let mut tally = Tally::default();
    let outcomes = keikaku::batch::run(
        &to_convert,
        &request
            .batch
            .settings(&to_convert, options, reporter.shows_progress()),
        |index, input, document| {
            // The summary needs the records' count alone; they are
            // written only for the combined outputs (`finish_one`).
            let diagnostics = Diagnostics::of(&document, list_warnings, records::count(&document));
            let index = indices[index];
            let target = write_json.then(|| targets[index].as_path());
            let json_path = target.map(|t| relative_to(t, directory));
            let no_clobber = request.output.no_clobber;
            let converted = finish_one(
                input,
                document,
                Destination {
                    target,
                    json_path,
                    no_clobber,
                    validate,
                },
                combined_formats.as_ref(),
            )?;
            Ok((input.to_path_buf(), converted, diagnostics))
        },
        |(input, converted, diagnostics)| {
            diagnostics.report(&input, reporter, &mut tally);
            if let (Some(outputs), Some(converted)) = (combined.as_mut(), converted) {
                for notice in outputs.add(converted) {
                    report_notice(reporter, &notice);
                }
            }
            Ok(())
        },
        |error| reporter.input_error(error),
    )?;
    // A refusal names the output; the input is the one it would come from.
    for error in refused.iter().flatten() {
        reporter.error(Some(error.target()), &error.reason());
        tally.failed += 1;
    }
    count_outcomes(&outcomes, &mut tally);
    let mut outputs_failed = false;
    if let Some(outputs) = combined {
        for notice in outputs.finish(&metadata) {
            outputs_failed |= notice.is_error();
            report_notice(reporter, &notice);
        }
    }
    reporter.summary(files.len(), &tally);
    Ok(match outputs_failed {
        true => Exit::Failed,
        false => exit_of(&tally, strict),
    })
}

/// A notice of the combined outputs, as an error or a warning.
fn report_notice(reporter: &Reporter, notice: &combined::Notice) {
    if notice.is_note() {
        reporter.note(None, &notice.to_string());
    } else if notice.is_error() {
        reporter.error(None, &notice.to_string());
    } else {
        reporter.warning(None, &notice.to_string());
    }
}

/// Counts the outcomes (each failure was reported as it came).
fn count_outcomes<T>(outcomes: &[Outcome<T>], tally: &mut Tally) {
    for outcome in outcomes {
        match outcome {
            Outcome::Converted { warnings, .. } => {
                tally.converted += 1;
                tally.warnings += warnings;
            }
            Outcome::Failed(_) => tally.failed += 1,
            Outcome::Skipped => tally.skipped += 1,
        }
    }
}

/// `path` relative to `directory`, as `datapackage.json` names its files.
fn relative_to(path: &Path, directory: &Path) -> String {
    path.strip_prefix(directory)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Removes what an interrupted run left in `directory`, with a note.
fn remove_stale_temporaries(directory: &Path, started: std::time::SystemTime, reporter: &Reporter) {
    if let Ok(removed) = write::remove_stale_temporaries(directory, started) {
        if !removed.is_empty() {
            reporter.note(
                Some(directory),
                &format!(
                    "removed {} temporary file(s) that an interrupted run left: {}",
                    removed.len(),
                    removed
                        .iter()
                        .filter_map(|p| p.file_name())
                        .map(|n| n.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

/// The output of each input in `directory`: `<stem>.<extension>`, or for
/// an input found with `-r`, its path below the directory searched with
/// that extension. Two inputs with one output would write over each other,
/// and an input named like one of the `reserved` files of the batch
/// (`datapackage.json`, `index.html`) over it: both are refused before
/// anything is written.
pub(super) fn output_names(
    files: &[InputFile],
    directory: &Path,
    extension: &str,
    reserved: &[&str],
) -> anyhow::Result<Vec<PathBuf>> {
    let mut names: Vec<PathBuf> = Vec::with_capacity(files.len());
    // Each output's first input, to find a second one in one look-up (a
    // search of the names before each made a batch's start quadratic).
    let mut first_input: HashMap<PathBuf, &Path> = HashMap::with_capacity(files.len());
    for file in files {
        let target = match &file.below {
            Some(below) => directory.join(below.with_extension(extension)),
            None => {
                let stem = file
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                directory.join(format!("{stem}.{extension}"))
            }
        };
        if let Some(name) = reserved
            .iter()
            .find(|&&name| target == directory.join(name))
        {
            return Err(UsageError(format!(
                "{}: its output would be written to {}, which the batch's {name} takes (rename the input)",
                file.path.display(),
                target.display()
            ))
            .into());
        }
        if let Some(twin) = first_input.insert(target.clone(), &file.path) {
            return Err(UsageError(format!(
                "{} and {} would both be written to {}",
                twin.display(),
                file.path.display(),
                target.display()
            ))
            .into());
        }
        names.push(target);
    }
    Ok(names)
}

/// Where one document of a batch goes and how.
struct Destination<'a> {
    /// Its document JSON's path, if JSON is written.
    target: Option<&'a Path>,
    /// That path as the Data Package names it.
    json_path: Option<String>,
    /// Never over an existing file.
    no_clobber: bool,
    /// Check each output against the schema first (`--validate`).
    validate: bool,
}

/// Writes the JSON of `document`, converted from `input`, to its
/// destination's target (if given); gives what the `combined` outputs
/// need of it, when they are written.
fn finish_one(
    input: &Path,
    document: Document,
    destination: Destination,
    combined: Option<&CombinedFormats>,
) -> Result<Option<Converted>, Error> {
    let schema_error = |violation: String| Error::schema(input, &violation);
    let converted =
        combined.map(|formats| Converted::of(&document, formats, destination.json_path));
    if let Some(converted) = converted.as_ref().filter(|_| destination.validate) {
        // The records in whichever form they are written: the same records.
        match converted.jsonl.is_empty() {
            false => write::check_records_jsonl(&converted.jsonl),
            true => write::check_record_values(&converted.csv_values),
        }
        .map_err(schema_error)?;
    }
    if let Some(target) = destination.target {
        let json = write::document_json(&document);
        if destination.validate {
            write::check_document_json(&json).map_err(schema_error)?;
        }
        write_output(target, &json, destination.no_clobber).map_err(|source| Error::Write {
            path: target.to_path_buf(),
            source,
        })?;
    }
    Ok(converted)
}

/// Writes an output whole; with `no_clobber`, never over a file that
/// appeared since it was checked.
pub(super) fn write_output(path: &Path, bytes: &[u8], no_clobber: bool) -> std::io::Result<()> {
    match no_clobber {
        true => write::write_new(path, bytes),
        false => write::write_atomically(path, bytes),
    }
}

/// `keikaku records`: the records of each input as JSON Lines, printed as
/// each input's turn comes.
pub fn print_records(
    inputs: &InputOptions,
    read: &ReadOptions,
    batch: &BatchOptions,
    reporter: &Reporter,
    strict: bool,
    validate: bool,
) -> anyhow::Result<Exit> {
    let options = read.extract_options();
    let files = match inputs::find(inputs)? {
        Inputs::Stdin => {
            let document = read_stdin(&options)?;
            let records = records::borrowed(&document);
            let name = PathBuf::from(keikaku::STDIN_NAME);
            let lines = write::records_jsonl(&records);
            if validate {
                write::check_records_jsonl(&lines)
                    .map_err(|violation| Error::schema(&name, &violation))?;
            }
            let mut tally = Tally::default();
            let diagnostics = Diagnostics::of(&document, reporter.lists_warnings(), records.len());
            diagnostics.report(&name, reporter, &mut tally);
            note_no_records(&name, &lines, &diagnostics, reporter);
            write_stdout(&lines)?;
            return Ok(exit_of(&tally, strict));
        }
        Inputs::Files(files) => files,
    };
    let paths: Vec<PathBuf> = files.into_iter().map(|f| f.path).collect();
    let list_warnings = reporter.lists_warnings();
    let mut tally = Tally::default();
    let outcomes = keikaku::batch::run(
        &paths,
        &batch.settings(&paths, &options, reporter.shows_progress()),
        |_, input, document| {
            let records = records::borrowed(&document);
            let diagnostics = Diagnostics::of(&document, list_warnings, records.len());
            let lines = write::records_jsonl(&records);
            if validate {
                write::check_records_jsonl(&lines)
                    .map_err(|violation| Error::schema(input, &violation))?;
            }
            Ok((input.to_path_buf(), lines, diagnostics))
        },
        |(input, lines, diagnostics)| {
            diagnostics.report(&input, reporter, &mut tally);
            note_no_records(&input, &lines, &diagnostics, reporter);
            write_stdout(&lines)
        },
        |error| reporter.input_error(error),
    )?;
    count_outcomes(&outcomes, &mut tally);
    reporter.summary(paths.len(), &tally);
    Ok(exit_of(&tally, strict))
}

/// A note for a document that has goals but no record, which `records`
/// would otherwise pass over without a word (one with neither has its
/// own note).
fn note_no_records(file: &Path, lines: &[u8], diagnostics: &Diagnostics, reporter: &Reporter) {
    if lines.is_empty() && diagnostics.empty.is_none() {
        reporter.note(
            Some(file),
            "no records: its goals list no initiatives (`keikaku convert` gives its tree)",
        );
    }
}

/// `keikaku text`: the lines keikaku reads from one input.
pub fn print_text(input: &Path, read: &ReadOptions, reporter: &Reporter) -> anyhow::Result<Exit> {
    let options = read.extract_options();
    let extracted = if input.as_os_str() == "-" {
        keikaku::extract_reader(keikaku::STDIN_NAME, std::io::stdin().lock(), &options)
    } else {
        keikaku::extract_path(input, &options)
    };
    match extracted {
        Ok(extracted) => {
            write_stdout(keikaku::extract::numbered_text(&extracted).as_bytes())?;
            Ok(Exit::Success)
        }
        Err(error) => {
            reporter.input_error(&error);
            Ok(Exit::Failed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, below: Option<&str>) -> InputFile {
        InputFile {
            path: PathBuf::from(path),
            below: below.map(PathBuf::from),
        }
    }

    fn refusal(files: &[InputFile], reserved: &[&str]) -> String {
        output_names(files, Path::new("out"), "json", reserved)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn each_input_gets_its_stem_or_its_path_below_the_root() {
        let files = [
            input("2019/a.txt", Some("2019/a.txt")),
            input("2020/a.txt", Some("2020/a.txt")),
            input("b.pdf", None),
        ];
        let names = output_names(&files, Path::new("out"), "json", &[]).unwrap();
        assert_eq!(
            names,
            ["out/2019/a.json", "out/2020/a.json", "out/b.json"].map(PathBuf::from)
        );
    }

    #[test]
    fn two_inputs_with_one_output_are_named_first_then_second() {
        // The second of a pair may come long after the first, with other
        // inputs between: the check is over the whole batch.
        let mut files: Vec<InputFile> = (0..50)
            .map(|i| input(&format!("plans/{i}.txt"), None))
            .collect();
        files.insert(3, input("plans/twin.txt", None));
        files.push(input("reports/twin.pdf", None));
        files.push(input("elsewhere/twin.txt", None));
        assert_eq!(
            refusal(&files, &[]),
            "plans/twin.txt and reports/twin.pdf would both be written to out/twin.json"
        );
        // The same path spelled two ways is one output.
        let spelled = [
            input("a/x.txt", Some("a/x.txt")),
            input("a/x.pdf", Some("a//x.pdf")),
        ];
        assert!(refusal(&spelled, &[]).contains("would both be written to"));
    }

    #[test]
    fn an_input_named_like_a_reserved_file_is_refused() {
        let files = [input("a.txt", None), input("datapackage.txt", None)];
        assert!(refusal(&files, &["datapackage.json"])
            .starts_with("datapackage.txt: its output would be written to out/datapackage.json"));
        assert!(output_names(&files, Path::new("out"), "json", &[]).is_ok());
    }
}
