//! The `keikaku` command: convert plans to JSON, print flat records, validate.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use keikaku::batch::{Isolation, Outcome};
use keikaku::extract::{ExtractOptions, Limits};
use keikaku::{records, write, Document, Error};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
        // Boxed: the largest of the commands' options.
        #[command(flatten)]
        package: Box<PackageOptions>,
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
    /// A batch's worker process (started by keikaku itself with --isolate):
    /// converts the inputs requested on standard input.
    #[command(hide = true)]
    Worker,
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
}

/// What datapackage.json says about the data (with --format jsonl or csv).
/// Each may also be given in a keikaku.toml beside the inputs (the same
/// names; source_urls and keywords as lists); an option given here wins.
#[derive(clap::Args)]
struct PackageOptions {
    /// The package's title (default: one naming the municipality, if all
    /// inputs are of one).
    #[arg(long)]
    title: Option<String>,
    /// A description of the data (Markdown).
    #[arg(long)]
    description: Option<String>,
    /// Who publishes the data (a contributor of role publisher).
    #[arg(long)]
    publisher: Option<String>,
    /// Where the documents were published, an http(s) URL (repeatable).
    #[arg(long = "source-url", value_name = "URL")]
    source_urls: Vec<keikaku::write::metadata::SourceUrl>,
    /// Keywords, comma-separated (repeatable).
    #[arg(long, value_delimiter = ',')]
    keywords: Vec<String>,
    /// The version of the data (any text: 2024.1, 1.0.0). `keikaku
    /// --version` still prints keikaku's own version.
    #[arg(long = "version", value_name = "VERSION")]
    data_version: Option<String>,
    /// The licence of the data: an SPDX identifier (default CC-BY-4.0), or
    /// gov-std-2.0 (政府標準利用規約 第2.0版) or PDL-1.0 (公共データ利用規約
    /// 第1.0版), both compatible with CC BY 4.0: check the source's terms.
    #[arg(long)]
    license: Option<keikaku::write::metadata::License>,
    /// The package's name: a-z, 0-9 and - . _ / (default: from an ASCII
    /// title, else keikaku-plan-records and the municipality's code).
    #[arg(long)]
    name: Option<keikaku::write::metadata::PackageName>,
}

impl PackageOptions {
    /// The options as the library's metadata.
    fn metadata(&self) -> write::metadata::PackageMetadata {
        write::metadata::PackageMetadata {
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            publisher: self.publisher.clone(),
            source_urls: self.source_urls.clone(),
            keywords: self.keywords.clone(),
            version: self.data_version.clone(),
            license: self.license.clone(),
        }
    }
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
    /// Convert each input in a worker process, so that an input that
    /// crashes the reader or overruns --timeout costs that input alone
    /// (the default for a batch with a PDF in it).
    #[arg(long, overrides_with = "no_isolate")]
    isolate: bool,
    /// Convert every input in this process (the default for one input, or
    /// for text inputs only).
    #[arg(long, overrides_with = "isolate")]
    no_isolate: bool,
}

impl BatchOptions {
    /// The batch settings for `files`.
    fn settings(&self, files: &[PathBuf], options: &ExtractOptions) -> keikaku::batch::Settings {
        let has_pdf = files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")));
        let isolate = self.isolate || (!self.no_isolate && files.len() > 1 && has_pdf);
        let isolation = match std::env::current_exe() {
            Ok(program) if isolate => Isolation::Workers { program },
            _ => Isolation::InProcess,
        };
        keikaku::batch::Settings {
            jobs: self.jobs.map(usize::from),
            fail_fast: self.fail_fast,
            isolation,
            options: options.clone(),
        }
    }
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
    /// The most seconds one input may take (0: no limit). Past it the PDF
    /// reader stops with an error, and a worker process (--isolate) is
    /// killed.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// The most lines a text input may have; longer ones are refused.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_LINES)]
    max_lines: u64,
    /// The longest line a text input may have, in bytes or with a unit
    /// (64K, 1M).
    #[arg(long, value_parser = parse_size, default_value = "1M")]
    max_line_length: u64,
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
                timeout: (self.timeout > 0).then(|| std::time::Duration::from_secs(self.timeout)),
                max_lines: self.max_lines,
                max_line_bytes: self.max_line_length,
                max_operators: self.max_operators,
                max_glyphs: self.max_glyphs,
                max_form_draws: self.max_form_draws,
                max_inflated_bytes: self.max_inflated,
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
    if let Command::Worker = cli.command {
        return match keikaku::batch::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("keikaku worker: {error}");
                ExitCode::from(2)
            }
        };
    }
    exit_cleanly_on_interrupt();
    let result = match cli.command {
        Command::Convert {
            inputs,
            output,
            read,
            batch,
            formats,
            package,
        } => convert(
            &inputs,
            &output,
            &read.extract_options(),
            &batch,
            &formats,
            &package,
        ),
        Command::Records {
            inputs,
            read,
            batch,
        } => print_records(&inputs, &read.extract_options(), &batch),
        Command::Text { input, read } => print_text(&input, &read.extract_options()),
        Command::Validate { files } => validate(&files),
        Command::Worker => unreachable!("served above"),
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

/// On SIGINT, SIGTERM or SIGHUP: removes the temporary files of outputs
/// being written, says how far the batch got and what was not written, and
/// exits with 130. Documents already written stay.
fn exit_cleanly_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        let unwritten = write::remove_temporary_files();
        let (done, total) = keikaku::batch::PROGRESS.get();
        let mut line = format!("keikaku: interrupted after {done} of {total} inputs");
        let mut names: Vec<String> = unwritten
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.dedup();
        if !names.is_empty() {
            line.push_str(&format!("; {} not written", names.join(", ")));
        }
        eprintln!("{line}");
        std::process::exit(130);
    });
    if let Err(error) = installed {
        eprintln!("keikaku: note: cannot catch interrupts ({error}); an interrupted run may leave .keikaku-* files");
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
    package: &PackageOptions,
) -> anyhow::Result<bool> {
    let started = std::time::SystemTime::now();
    let files = expand(inputs)?;
    // The package's metadata, checked before anything is converted.
    let metadata = match formats.combined() {
        true => write::metadata::PackageMetadata::for_inputs(inputs, &files, package.metadata())
            .map_err(anyhow::Error::msg)?,
        false => Default::default(),
    };
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
    if let Some(target) = targets.first() {
        remove_stale_temporaries(write::directory_of(target), started);
    }
    let write_json = formats.wants(OutputFormat::Json);
    let mut combined = if formats.combined() {
        Some(CombinedOutputs::create(output, formats)?)
    } else {
        None
    };
    let outcomes = keikaku::batch::run(
        &files,
        &batch.settings(&files, options),
        |index, input, document| {
            let target = write_json.then(|| targets[index].as_path());
            finish_one(input, document, target, formats.combined())
        },
        |converted| {
            if let Some(outputs) = combined.as_mut() {
                outputs.add(converted);
            }
            Ok(())
        },
    )?;
    let all_converted = report(&outcomes);
    let all_written = match combined {
        Some(outputs) => outputs.finish(formats, &metadata)?,
        None => true,
    };
    Ok(all_converted && all_written)
}

/// Removes what an interrupted run left in `directory`, with a note.
fn remove_stale_temporaries(directory: &Path, started: std::time::SystemTime) {
    match write::remove_stale_temporaries(directory, started) {
        Ok(removed) if !removed.is_empty() => eprintln!(
            "keikaku: note: removed {} temporary file(s) that an interrupted run left in {}",
            removed.len(),
            directory.display()
        ),
        Ok(_) | Err(_) => {}
    }
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
/// in place whole at the end. A file that cannot be written (a full disk)
/// is given up with one error, and the others go on.
struct CombinedOutputs {
    directory: PathBuf,
    jsonl: Option<write::AtomicFile>,
    csv: Option<(write::AtomicFile, write::csv::CsvEncoder)>,
    sources: Vec<write::datapackage::Source>,
    /// The names of the files given up.
    given_up: Vec<&'static str>,
}

/// The combined files' names.
const JSONL_NAME: &str = "records.jsonl";
const CSV_NAME: &str = "records.csv";

impl CombinedOutputs {
    fn create(directory: &Path, formats: &FormatOptions) -> anyhow::Result<CombinedOutputs> {
        let start = |name: &str| {
            let path = directory.join(name);
            write::AtomicFile::create(&path)
                .with_context(|| format!("{}: cannot write", path.display()))
        };
        let jsonl = match formats.wants(OutputFormat::Jsonl) {
            true => Some(start(JSONL_NAME)?),
            false => None,
        };
        let csv = match formats.wants(OutputFormat::Csv) {
            true => {
                let mut file = start(CSV_NAME)?;
                let encoder = write::csv::CsvEncoder::new(formats.csv_encoding);
                file.write_all(&encoder.header()).with_context(|| {
                    format!("{}: cannot write", directory.join(CSV_NAME).display())
                })?;
                Some((file, encoder))
            }
            false => None,
        };
        Ok(CombinedOutputs {
            directory: directory.to_path_buf(),
            jsonl,
            csv,
            sources: Vec::new(),
            given_up: Vec::new(),
        })
    }

    /// Appends one input's records.
    fn add(&mut self, converted: Converted) {
        if let Some(note) = converted.source.note() {
            eprintln!("keikaku: note: {note}");
        }
        if let Some(file) = self.jsonl.as_mut() {
            if let Err(error) = file.write_all(write::jsonl(&converted.records).as_bytes()) {
                self.give_up(JSONL_NAME, &error);
                self.jsonl = None;
            }
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
            if let Err(error) = file.write_all(&rows.bytes) {
                self.give_up(CSV_NAME, &error);
                self.csv = None;
            }
        }
        self.sources.push(converted.source);
    }

    /// Says that `name` cannot be written and will not be.
    fn give_up(&mut self, name: &'static str, error: &std::io::Error) {
        eprintln!(
            "keikaku: error: {}: cannot write: {error}; {name} not written, the other outputs go on",
            self.directory.join(name).display()
        );
        self.given_up.push(name);
    }

    /// Puts the record files in place and writes datapackage.json, which
    /// lists the files written. True if every file was written.
    fn finish(
        mut self,
        formats: &FormatOptions,
        metadata: &write::metadata::PackageMetadata,
    ) -> anyhow::Result<bool> {
        if let Some(file) = self.jsonl.take() {
            if let Err(error) = file.commit() {
                self.give_up(JSONL_NAME, &error);
            }
        }
        let mut csv_codec = None;
        if let Some((file, encoder)) = self.csv.take() {
            match file.commit() {
                Ok(()) => csv_codec = Some(write::csv::codec_name(encoder.encoding())),
                Err(error) => self.give_up(CSV_NAME, &error),
            }
        }
        let jsonl = formats.wants(OutputFormat::Jsonl) && !self.given_up.contains(&JSONL_NAME);
        if !jsonl && csv_codec.is_none() {
            eprintln!("keikaku: datapackage.json not written: it would describe no file");
            return Ok(false);
        }
        let package = write::datapackage::datapackage_json(&write::datapackage::Contents {
            sources: &self.sources,
            csv_encoding: csv_codec,
            jsonl,
            metadata,
        });
        let path = self.directory.join("datapackage.json");
        write::write_atomically(&path, package.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(self.given_up.is_empty())
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

/// Writes the JSON of `document`, converted from `input`, to `target` (if
/// given); with `keep_records`, what the combined outputs need of it.
fn finish_one(
    input: &Path,
    document: Document,
    target: Option<&Path>,
    keep_records: bool,
) -> Result<Converted, Error> {
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
    Ok(Converted {
        records,
        source: write::datapackage::Source::of(&document, json_path),
    })
}

fn print_records(
    inputs: &[PathBuf],
    options: &ExtractOptions,
    batch: &BatchOptions,
) -> anyhow::Result<bool> {
    let files = expand(inputs)?;
    let mut stdout = std::io::stdout().lock();
    let outcomes = keikaku::batch::run(
        &files,
        &batch.settings(&files, options),
        |_, input, document| {
            write::records_jsonl(&records::records(&document)).map_err(|reason| Error::Schema {
                path: input.to_path_buf(),
                reason,
            })
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
