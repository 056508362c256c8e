//! The options the commands share, as clap reads them, and how they become
//! the library's settings.

use keikaku::batch::combined::CombinedFormats;
use keikaku::batch::Isolation;
use keikaku::extract::{ExtractOptions, Limits};
use keikaku::write;
use std::path::PathBuf;

/// An output format of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `<stem>.json` per input: the document tree.
    Json,
    /// `records.jsonl`: every input's records, one per line.
    Jsonl,
    /// `records.csv`: the same records as CSV.
    Csv,
    /// `<stem>.html` per input and `index.html`: the review pages of
    /// `keikaku report`.
    Html,
}

/// What `convert` writes.
#[derive(clap::Args)]
pub struct FormatOptions {
    /// The outputs, comma-separated: json (a document per input), jsonl and
    /// csv (all records in one file; with either, datapackage.json too),
    /// html (a review page per input and index.html, as `keikaku report`).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "json")]
    pub format: Vec<OutputFormat>,
    /// The encoding of records.csv: utf-8 (with a BOM, as Excel needs) or
    /// cp932 for older tools (characters it lacks become 〓, with a warning).
    #[arg(long, value_parser = parse_csv_encoding, default_value = "utf-8")]
    pub csv_encoding: &'static encoding_rs::Encoding,
    /// Check each output against the JSON Schema in schema/ before writing
    /// it. keikaku's outputs conform by construction (its tests check every
    /// fixture's and every generated document's), so this only costs time;
    /// it is for a pipeline that wants the proof on each run.
    #[arg(long)]
    pub validate: bool,
}

impl FormatOptions {
    /// True if `format` is among the outputs asked for.
    pub fn wants(&self, format: OutputFormat) -> bool {
        self.format.contains(&format)
    }

    /// Outputs beyond the documents: OUT must be a directory.
    pub fn combined(&self) -> bool {
        self.wants(OutputFormat::Jsonl) || self.wants(OutputFormat::Csv)
    }

    /// The combined files to write, if any is asked for.
    pub fn combined_formats(&self) -> Option<CombinedFormats> {
        self.combined().then(|| CombinedFormats {
            jsonl: self.wants(OutputFormat::Jsonl),
            csv: self.wants(OutputFormat::Csv).then_some(self.csv_encoding),
        })
    }
}

fn parse_csv_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    write::csv::csv_encoding(label).ok_or_else(|| {
        format!("{label:?} is not a CSV encoding keikaku writes (utf-8, cp932, euc-jp)")
    })
}

/// How a batch of inputs is run.
#[derive(clap::Args)]
pub struct BatchOptions {
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
    /// The batch settings for `files`, with a progress bar if `progress_bar`.
    pub fn settings(
        &self,
        files: &[PathBuf],
        options: &ExtractOptions,
        progress_bar: bool,
    ) -> keikaku::batch::Settings {
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
            progress_bar,
        }
    }
}

/// How inputs are read.
#[derive(clap::Args)]
pub struct ReadOptions {
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
    /// How inputs are read, as the library takes it.
    pub fn extract_options(&self) -> ExtractOptions {
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
pub fn parse_size(text: &str) -> Result<u64, String> {
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

/// What datapackage.json says about the data (with --format jsonl or csv).
/// Each may also be given in a keikaku.toml beside the inputs (the same
/// names; source_urls and keywords as lists); an option given here wins.
#[derive(clap::Args)]
#[command(next_help_heading = "Data Package (with --format jsonl or csv)")]
pub struct PackageOptions {
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
    pub fn metadata(&self) -> write::metadata::PackageMetadata {
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

/// Where `convert` writes, and whether it may replace what is there.
#[derive(clap::Args)]
pub struct OutputOptions {
    /// The output file (one input), `-` for standard output (one input), or
    /// a directory (several inputs, or --format jsonl or csv).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Refuse to replace an existing output (by default it is replaced,
    /// whole, once the new one is written).
    #[arg(long)]
    pub no_clobber: bool,
}

/// Which inputs to read.
#[derive(clap::Args)]
pub struct InputOptions {
    /// Input files (.txt, .pdf) or directories of them; `-` alone reads one
    /// document from standard input.
    #[arg(required_unless_present = "files_from")]
    pub inputs: Vec<PathBuf>,
    /// Read the paths of the inputs from FILE, one a line (`-` for standard
    /// input), as tar and rsync do.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Look for inputs in the subdirectories of directories too (outputs
    /// keep the subdirectories).
    #[arg(short, long)]
    pub recursive: bool,
}

/// How messages are given.
#[derive(clap::Args)]
#[command(next_help_heading = "Messages")]
pub struct MessageOptions {
    /// List each warning of each document on standard error, as
    /// `file:page:line: code: message`.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print errors only: no notes, no summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Messages on standard error as text, or as JSON, one object a line
    /// (`level`, `file`, `message`, …), for programs.
    #[arg(long, value_enum, global = true, default_value = "human")]
    pub error_format: ErrorFormat,
    /// Exit with status 3 when a document gives no goal and no record (not
    /// a plan keikaku can read), even if nothing failed.
    #[arg(long, global = true)]
    pub strict: bool,
}

/// How messages are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// `keikaku: error: FILE: reason`, one line each.
    Human,
    /// One JSON object a line.
    Json,
}
