//! The `keikaku` command: convert plans to JSON, print flat records, validate.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use keikaku::extract::{ExtractOptions, Limits};
use keikaku::{records, write, Error};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Turns Japanese municipal plan documents (地域福祉計画, progress reports)
/// into validated, structured data.
#[derive(Parser)]
#[command(name = "keikaku", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert plans (TXT or PDF) to document JSON. One input: OUT is the output
    /// file (or, if it is an existing directory, gets <stem>.json). Several
    /// inputs or a directory: OUT is a directory that gets <stem>.json for
    /// each input. With --format jsonl or csv, OUT is a directory that also
    /// gets records.jsonl / records.csv for all inputs and datapackage.json.
    Convert {
        /// Input files (.txt, .pdf), directories of them, or - to read the
        /// paths from standard input, one a line.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The output file (one input) or directory (several).
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        read: ReadOptions,
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        formats: FormatOptions,
    },
    /// Print the flat records (one initiative per line) as JSON Lines.
    Records {
        /// Input files (.txt, .pdf), directories of them, or - to read the
        /// paths from standard input, one a line.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadOptions,
        #[command(flatten)]
        batch: BatchOptions,
    },
    /// Print the text lines keikaku reads from an input, cells separated by
    /// tabs and pages by form feeds: the lines that `line` in the output
    /// counts (for a PDF, the rebuilt text, page furniture included).
    Text {
        /// One input file.
        input: PathBuf,
        #[command(flatten)]
        read: ReadOptions,
    },
    /// Compare two conversions record by record (by goal, policy, measure,
    /// sub-measure and number): records added and removed, fields changed.
    /// Each side is a document JSON, a records JSON Lines file, or an input
    /// (.txt, .pdf) converted on the spot. Exit status 0 if they are the
    /// same, 1 if they differ, 2 on error.
    Diff {
        /// The earlier conversion.
        old: PathBuf,
        /// The later one.
        new: PathBuf,
        /// Print the differences as JSON (added, removed, changed).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        read: ReadOptions,
    },
    /// Check document JSON files against the schema.
    Validate {
        /// Document JSON files written by `keikaku convert`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// An output format of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// `<stem>.json` per input: the document tree.
    Json,
    /// `records.jsonl`: every input's records, one per line.
    Jsonl,
    /// `records.csv`: the same records as CSV.
    Csv,
}

/// What `convert` writes.
#[derive(clap::Args)]
struct FormatOptions {
    /// The outputs, comma-separated: json (a document per input), jsonl and
    /// csv (all records in one file; with either, datapackage.json too).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "json")]
    format: Vec<OutputFormat>,
    /// The encoding of records.csv: utf-8 (with a BOM, as Excel needs) or
    /// cp932 for older tools (characters it lacks become 〓, with a warning).
    #[arg(long, value_parser = parse_csv_encoding, default_value = "utf-8")]
    csv_encoding: &'static encoding_rs::Encoding,
    /// The licence of the data, as an SPDX identifier, for datapackage.json.
    /// Most municipalities publish under 政府標準利用規約 2.0, which is
    /// compatible with CC BY 4.0: check the source's terms.
    #[arg(long, default_value = "CC-BY-4.0")]
    license: String,
}

impl FormatOptions {
    fn wants(&self, format: OutputFormat) -> bool {
        self.format.contains(&format)
    }

    /// Outputs beyond the documents: OUT must be a directory.
    fn combined(&self) -> bool {
        self.wants(OutputFormat::Jsonl) || self.wants(OutputFormat::Csv)
    }
}

fn parse_csv_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    write::csv::csv_encoding(label).ok_or_else(|| {
        format!("{label:?} is not a CSV encoding keikaku writes (utf-8, cp932, euc-jp)")
    })
}

/// How a batch of inputs is run.
#[derive(clap::Args)]
struct BatchOptions {
    /// Stop at the first input that fails (files already being converted
    /// finish); by default every input is tried.
    #[arg(long)]
    fail_fast: bool,
    /// How many inputs to convert at once (default: one per core). The
    /// output is the same whatever the number.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

/// How inputs are read.
#[derive(clap::Args)]
struct ReadOptions {
    /// The password of PDFs encrypted with a user password (one with only
    /// an owner password, restricting copying or printing, needs none).
    #[arg(long)]
    password: Option<String>,
    /// The encoding of text inputs (shift_jis, cp932, euc-jp, iso-2022-jp,
    /// utf-8, utf-16le, …), instead of the one detected from the bytes.
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,
    /// The largest input read, in bytes or with a unit (500K, 256M, 1G);
    /// larger files are refused.
    #[arg(long, value_parser = parse_size, default_value = "256M")]
    max_input_size: u64,
    /// The most pages an input may have; longer ones are refused.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_PAGES)]
    max_pages: u32,
    /// The most content-stream operators a PDF may execute, all pages and
    /// forms together; a PDF that asks for more is refused.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_OPERATORS)]
    max_operators: u64,
    /// The most glyphs a PDF may draw; a PDF that draws more is refused.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_GLYPHS)]
    max_glyphs: u64,
    /// The most form XObjects a PDF may draw; a PDF that draws more is
    /// refused.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_FORM_DRAWS)]
    max_form_draws: u64,
    /// The most a PDF's compressed streams may inflate to, in all, in bytes
    /// or with a unit (512M, 1G); a PDF whose streams inflate to more is
    /// refused.
    #[arg(long, value_parser = parse_size, default_value = "1G")]
    max_inflated: u64,
}

impl ReadOptions {
    fn extract_options(&self) -> ExtractOptions {
        ExtractOptions {
            password: self.password.clone(),
            encoding: self.encoding,
            limits: Limits {
                max_input_bytes: self.max_input_size,
                max_pages: self.max_pages,
                max_operators: self.max_operators,
                max_glyphs: self.max_glyphs,
                max_form_draws: self.max_form_draws,
                max_inflated_bytes: self.max_inflated,
                ..Limits::default()
            },
        }
    }
}

/// A size in bytes, with an optional binary unit: `500K`, `256M`, `1G`.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("unknown unit in {text:?} (use K, M or G)")),
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 256M)"))?;
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// An encoding by any of its labels (`sjis`, `cp932`, `euc-jp`…).
fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    keikaku::extract::text::encoding_for_label(label).ok_or_else(|| {
        format!("unknown encoding {label:?} (try shift_jis, cp932, euc-jp, iso-2022-jp, utf-8, utf-16le)")
    })
}

fn main() -> ExitCode {
    // Panics inside a conversion are caught and reported as that file's
    // one-line error; the default hook would print a multi-line report.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert {
            inputs,
            output,
            read,
            batch,
            formats,
        } => convert(&inputs, &output, &read.extract_options(), &batch, &formats),
        Command::Records {
            inputs,
            read,
            batch,
        } => print_records(&inputs, &read.extract_options(), &batch),
        Command::Text { input, read } => print_text(&input, &read.extract_options()),
        Command::Validate { files } => validate(&files),
        Command::Diff {
            old,
            new,
            json,
            read,
        } => {
            return match diff(&old, &new, json, &read.extract_options()) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(error) => {
                    eprintln!("keikaku: error: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("keikaku: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The input files: files as given, directories' convertible files in name
/// order, and for `-` the paths read from standard input, one a line (so
/// that a list from `find` or a scheduler can be piped in).
fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            let listed = std::io::read_to_string(std::io::stdin())
                .context("cannot read the list of inputs from standard input")?;
            files.extend(
                listed
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .map(PathBuf::from),
            );
        } else if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("{}: cannot list the directory", input.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.is_file() && is_convertible(path))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn is_convertible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("pdf"))
}

/// What became of one input of a batch.
enum Outcome<T> {
    /// Converted, with the document's warning count.
    Converted { value: T, warnings: usize },
    /// Failed, with why.
    Failed(Error),
    /// Not tried: `--fail-fast` stopped the batch first.
    Skipped,
}

/// Inputs converted at once per thread, between two hand-overs to the
/// consumer: what bounds a batch's memory (the documents of one chunk),
/// while keeping every thread busy.
const CHUNK_PER_THREAD: usize = 8;

/// Runs `convert` on each input in parallel (`--jobs` at once), with a
/// progress bar on a terminal, and hands each result to `consume` in input
/// order, chunk by chunk, so that results stream through rather than
/// pile up. With `fail_fast`, inputs not yet started when one fails are
/// skipped. Outcomes come back in input order.
fn run_batch<T: Send, R>(
    files: &[PathBuf],
    batch: &BatchOptions,
    convert: impl Fn(usize, &Path) -> Result<(T, usize), Error> + Sync,
    mut consume: impl FnMut(T) -> anyhow::Result<R>,
) -> anyhow::Result<Vec<Outcome<R>>> {
    let failed = AtomicBool::new(false);
    let progress = progress_bar(files.len());
    let convert_one = |index: usize| {
        let outcome = if batch.fail_fast && failed.load(Ordering::SeqCst) {
            Outcome::Skipped
        } else {
            match convert(index, &files[index]) {
                Ok((value, warnings)) => Outcome::Converted { value, warnings },
                Err(error) => {
                    failed.store(true, Ordering::SeqCst);
                    Outcome::Failed(error)
                }
            }
        };
        progress.inc(1);
        outcome
    };
    let pool = match batch.jobs {
        Some(jobs) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(usize::from(jobs))
                .build()
                .context("cannot start the worker threads")?,
        ),
        None => None,
    };
    let convert_range = |range: std::ops::Range<usize>| -> Vec<Outcome<T>> {
        let run = || range.into_par_iter().map(convert_one).collect();
        match &pool {
            Some(pool) => pool.install(run),
            None => run(),
        }
    };
    let threads = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let chunk = (CHUNK_PER_THREAD * threads).max(1);
    let mut outcomes = Vec::with_capacity(files.len());
    for start in (0..files.len()).step_by(chunk) {
        let end = (start + chunk).min(files.len());
        for outcome in convert_range(start..end) {
            outcomes.push(match outcome {
                Outcome::Converted { value, warnings } => Outcome::Converted {
                    value: consume(value)?,
                    warnings,
                },
                Outcome::Failed(error) => Outcome::Failed(error),
                Outcome::Skipped => Outcome::Skipped,
            });
        }
    }
    progress.finish_and_clear();
    Ok(outcomes)
}

/// A progress bar on standard error when it is a terminal and there is more
/// than one input; hidden otherwise (logs and pipes get no bar).
fn progress_bar(inputs: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if inputs < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(inputs as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} files, {per_sec}, {eta} left",
    )
    .expect("the template is valid");
    bar.set_style(style);
    bar
}

/// Reports each failure on one line, in input order, and for a batch of
/// more than one input a summary line; true if every input converted.
fn report<T>(outcomes: &[Outcome<T>]) -> bool {
    let (mut converted, mut failed, mut skipped, mut warnings) = (0, 0, 0, 0);
    for outcome in outcomes {
        match outcome {
            Outcome::Converted { warnings: w, .. } => {
                converted += 1;
                warnings += w;
            }
            Outcome::Failed(error) => {
                eprintln!("keikaku: error: {error}");
                failed += 1;
            }
            Outcome::Skipped => skipped += 1,
        }
    }
    if outcomes.len() > 1 {
        let mut summary = format!("keikaku: {converted} converted, {failed} failed");
        if skipped > 0 {
            summary.push_str(&format!(", {skipped} not tried (--fail-fast)"));
        }
        summary.push_str(&format!(", {warnings} warnings"));
        eprintln!("{summary}");
    }
    failed == 0 && skipped == 0
}

fn convert(
    inputs: &[PathBuf],
    output: &Path,
    options: &ExtractOptions,
    batch: &BatchOptions,
    formats: &FormatOptions,
) -> anyhow::Result<bool> {
    let files = expand(inputs)?;
    // One input file names the output file, unless OUT is an existing
    // directory, which then gets <stem>.json like a batch.
    let single_file = inputs.len() == 1
        && inputs[0].as_os_str() != "-"
        && !inputs[0].is_dir()
        && !output.is_dir()
        && !formats.combined();
    let targets: Vec<PathBuf> = if single_file {
        vec![output.to_path_buf()]
    } else {
        std::fs::create_dir_all(output)
            .with_context(|| format!("{}: cannot create the output directory", output.display()))?;
        output_names(&files, output)?
    };
    let write_json = formats.wants(OutputFormat::Json);
    let mut combined = if formats.combined() {
        Some(CombinedOutputs::create(output, formats)?)
    } else {
        None
    };
    let outcomes = run_batch(
        &files,
        batch,
        |index, input| {
            let target = write_json.then(|| targets[index].as_path());
            convert_one(input, target, options, formats.combined())
        },
        |converted| match combined.as_mut() {
            Some(outputs) => outputs.add(converted),
            None => Ok(()),
        },
    )?;
    let all_converted = report(&outcomes);
    if let Some(outputs) = combined {
        outputs.finish(formats)?;
    }
    Ok(all_converted)
}

/// One converted input, as the combined outputs need it.
struct Converted {
    /// Its records, checked against the record schema (when wanted).
    records: Vec<serde_json::Value>,
    /// Its entry in datapackage.json.
    source: write::datapackage::Source,
}

/// records.jsonl, records.csv and datapackage.json being written: records
/// are appended as each input's turn comes (input order), and the files put
/// in place whole at the end.
struct CombinedOutputs {
    directory: PathBuf,
    jsonl: Option<write::AtomicFile>,
    csv: Option<(write::AtomicFile, write::csv::CsvEncoder)>,
    sources: Vec<write::datapackage::Source>,
}

impl CombinedOutputs {
    fn create(directory: &Path, formats: &FormatOptions) -> anyhow::Result<CombinedOutputs> {
        let start = |name: &str| {
            let path = directory.join(name);
            write::AtomicFile::create(&path)
                .with_context(|| format!("{}: cannot write", path.display()))
        };
        let jsonl = match formats.wants(OutputFormat::Jsonl) {
            true => Some(start("records.jsonl")?),
            false => None,
        };
        let csv = match formats.wants(OutputFormat::Csv) {
            true => {
                let mut file = start("records.csv")?;
                let encoder = write::csv::CsvEncoder::new(formats.csv_encoding);
                file.write_all(&encoder.header())?;
                Some((file, encoder))
            }
            false => None,
        };
        Ok(CombinedOutputs {
            directory: directory.to_path_buf(),
            jsonl,
            csv,
            sources: Vec::new(),
        })
    }

    /// Appends one input's records.
    fn add(&mut self, converted: Converted) -> anyhow::Result<()> {
        if let Some(file) = self.jsonl.as_mut() {
            file.write_all(write::jsonl(&converted.records).as_bytes())
                .context("records.jsonl: cannot write")?;
        }
        if let Some((file, encoder)) = self.csv.as_mut() {
            let rows = encoder.rows(&converted.records);
            for u in &rows.unmappable {
                eprintln!(
                    "keikaku: warning: records.csv: row {}, {}: {:?} (U+{:04X}) has no code in {}; written as {}",
                    u.row,
                    u.column,
                    u.character,
                    u32::from(u.character),
                    encoder.encoding().name(),
                    write::csv::STAND_IN
                );
            }
            file.write_all(&rows.bytes)
                .context("records.csv: cannot write")?;
        }
        self.sources.push(converted.source);
        Ok(())
    }

    /// Puts the record files in place and writes datapackage.json.
    fn finish(self, formats: &FormatOptions) -> anyhow::Result<()> {
        if let Some(file) = self.jsonl {
            file.commit().context("records.jsonl: cannot write")?;
        }
        let mut csv_codec = None;
        if let Some((file, encoder)) = self.csv {
            file.commit().context("records.csv: cannot write")?;
            csv_codec = Some(write::csv::codec_name(encoder.encoding()));
        }
        let package = write::datapackage::datapackage_json(&write::datapackage::Contents {
            sources: &self.sources,
            csv_encoding: csv_codec,
            jsonl: formats.wants(OutputFormat::Jsonl),
            license: &formats.license,
        });
        let path = self.directory.join("datapackage.json");
        write::write_atomically(&path, package.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))
    }
}

/// `<stem>.json` in `directory` for each input; two inputs with one stem
/// would overwrite each other, so that is refused before anything is written.
fn output_names(files: &[PathBuf], directory: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut names: Vec<PathBuf> = Vec::new();
    for file in files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = directory.join(format!("{stem}.json"));
        if let Some(twin) = files.iter().zip(&names).find(|(_, t)| **t == target) {
            bail!(
                "{} and {} would both be written to {}",
                twin.0.display(),
                file.display(),
                target.display()
            );
        }
        names.push(target);
    }
    Ok(names)
}

/// Converts `input` and writes its JSON to `target` (if given); with
/// `keep_records`, what the combined outputs need of it.
fn convert_one(
    input: &Path,
    target: Option<&Path>,
    options: &ExtractOptions,
    keep_records: bool,
) -> Result<(Converted, usize), Error> {
    let document = keikaku::convert_path_with(input, options)?;
    let schema_error = |reason| Error::Schema {
        path: input.to_path_buf(),
        reason,
    };
    let json = write::document_json(&document).map_err(schema_error)?;
    let records = if keep_records {
        write::record_values(&records::records(&document)).map_err(schema_error)?
    } else {
        Vec::new()
    };
    if let Some(target) = target {
        write::write_atomically(target, json.as_bytes()).map_err(|source| Error::Write {
            path: target.to_path_buf(),
            source,
        })?;
    }
    let json_path = target
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    let converted = Converted {
        records,
        source: write::datapackage::Source::of(&document, json_path),
    };
    Ok((converted, document.warnings.len()))
}

fn print_records(
    inputs: &[PathBuf],
    options: &ExtractOptions,
    batch: &BatchOptions,
) -> anyhow::Result<bool> {
    let files = expand(inputs)?;
    let mut stdout = std::io::stdout().lock();
    let outcomes = run_batch(
        &files,
        batch,
        |_, input| {
            let document = keikaku::convert_path_with(input, options)?;
            let lines = write::records_jsonl(&records::records(&document)).map_err(|reason| {
                Error::Schema {
                    path: input.to_path_buf(),
                    reason,
                }
            })?;
            Ok((lines, document.warnings.len()))
        },
        // Printed as each input's turn comes, not held to the end.
        |lines| {
            std::io::Write::write_all(&mut stdout, lines.as_bytes())
                .context("cannot write to standard output")
        },
    )?;
    Ok(report(&outcomes))
}

fn print_text(input: &Path, options: &ExtractOptions) -> anyhow::Result<bool> {
    match keikaku::extract_path(input, options) {
        Ok(extracted) => {
            let text = keikaku::extract::numbered_text(&extracted);
            std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
                .context("cannot write to standard output")?;
            Ok(true)
        }
        Err(error) => {
            eprintln!("keikaku: error: {error}");
            Ok(false)
        }
    }
}

/// Prints what differs between two conversions; true if nothing does.
fn diff(old: &Path, new: &Path, json: bool, options: &ExtractOptions) -> anyhow::Result<bool> {
    let old_records = keikaku::conversion_records(old, options)?;
    let new_records = keikaku::conversion_records(new, options)?;
    let found = keikaku::diff::diff(&old_records, &new_records);
    let text = if json {
        let mut text = serde_json::to_string_pretty(&found)?;
        text.push('\n');
        text
    } else {
        found.to_text()
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
        .context("cannot write to standard output")?;
    Ok(found.is_empty())
}

fn validate(files: &[PathBuf]) -> anyhow::Result<bool> {
    let mut all_valid = true;
    for file in files {
        let checked = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|text| serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}")))
            .and_then(|value| {
                keikaku::schema::validate_document(&value).map_err(|e| format!("invalid: {e}"))
            });
        match checked {
            Ok(()) => println!("{}: valid", file.display()),
            Err(reason) => {
                eprintln!("keikaku: error: {}: {reason}", file.display());
                all_valid = false;
            }
        }
    }
    Ok(all_valid)
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
