//! The `keikaku` command: convert plans to JSON, print flat records or the
//! text read, compare conversions, validate outputs.
//!
//! Exit status: 0 done; 1 an input failed or an output was not written; 2
//! the command cannot be done as given (nothing written); 3 `--strict` and
//! a document gave nothing; 130 interrupted.

mod cli;

use clap::{Parser, Subcommand};
use cli::convert::ConvertRequest;
use cli::options::{
    BatchOptions, FormatOptions, InputOptions, MessageOptions, OutputOptions, PackageOptions,
    ReadOptions,
};
use cli::report::{one_line, Reporter};
use cli::{ClosedPipe, Exit, UsageError};
use keikaku::write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Turns Japanese municipal plan documents (地域福祉計画, progress reports)
/// into validated, structured data.
#[derive(Parser)]
#[command(name = "keikaku", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    messages: MessageOptions,
}

#[derive(Subcommand)]
enum Command {
    /// Convert plans (TXT or PDF) to document JSON. One input: OUT is the
    /// output file, `-` for standard output (or, if it is an existing
    /// directory, gets <stem>.json). Several inputs or a directory: OUT is a
    /// directory that gets <stem>.json for each input. With --format jsonl
    /// or csv, OUT is a directory that also gets records.jsonl / records.csv
    /// for all inputs and datapackage.json.
    Convert {
        #[command(flatten)]
        inputs: InputOptions,
        #[command(flatten)]
        output: OutputOptions,
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
        #[command(flatten)]
        inputs: InputOptions,
        #[command(flatten)]
        read: ReadOptions,
        #[command(flatten)]
        batch: BatchOptions,
        /// Check each record against the JSON Schema in schema/ before
        /// printing it (keikaku's records conform by construction: this
        /// only costs time).
        #[arg(long)]
        validate: bool,
    },
    /// Print the text lines keikaku reads from an input, cells separated by
    /// tabs and pages by form feeds: the lines that `line` in the output
    /// counts (for a PDF, the rebuilt text, page furniture included).
    Text {
        /// One input file, or - for a document on standard input.
        input: PathBuf,
        #[command(flatten)]
        read: ReadOptions,
    },
    /// Write a review page per input (OUT/<stem>.html) and OUT/index.html:
    /// the summary and a traffic light, the plan as an outline, the records
    /// as a table, the source's pages or lines beside them with every line
    /// marked with where it went, every warning and unplaced line linked to
    /// its line. Self-contained HTML (no network), readable without script,
    /// printable on A4.
    Report {
        #[command(flatten)]
        inputs: InputOptions,
        /// The directory the pages are written to.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Refuse to replace an existing page.
        #[arg(long)]
        no_clobber: bool,
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
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Write the differences as a page, grouped by goal, to FILE
        /// (self-contained HTML) instead of printing them.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        #[command(flatten)]
        read: ReadOptions,
    },
    /// Check what keikaku wrote: document JSON files against the document
    /// schema, records JSON Lines line by line against the record schema,
    /// and datapackage.json with each file it lists.
    Validate {
        /// Files written by `keikaku convert`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A batch's worker process (started by keikaku itself with --isolate):
    /// converts the inputs requested on standard input.
    #[command(hide = true)]
    Worker,
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
    let reporter = Reporter::new(&cli.messages);
    exit_cleanly_on_interrupt(reporter);
    let strict = cli.messages.strict;
    let result = match &cli.command {
        Command::Convert {
            inputs,
            output,
            read,
            batch,
            formats,
            package,
        } => cli::convert::convert(
            &ConvertRequest {
                inputs,
                output,
                read,
                batch,
                formats,
                package,
            },
            &reporter,
            strict,
        ),
        Command::Records {
            inputs,
            read,
            batch,
            validate,
        } => cli::convert::print_records(inputs, read, batch, &reporter, strict, *validate),
        Command::Report {
            inputs,
            output,
            no_clobber,
            read,
        } => cli::review::report(inputs, output, read, *no_clobber, &reporter),
        Command::Text { input, read } => cli::convert::print_text(input, read, &reporter),
        Command::Validate { files } => cli::validate::validate(files, &reporter),
        Command::Diff {
            old,
            new,
            json,
            html,
            read,
        } => {
            let options = read.extract_options();
            return match cli::compare::diff(old, new, *json, html.as_deref(), &options) {
                Ok(same) => ExitCode::from(u8::from(!same)),
                Err(error) => {
                    report_error(&reporter, &error);
                    ExitCode::from(2)
                }
            };
        }
        Command::Worker => unreachable!("served above"),
    };
    let exit = match result {
        Ok(exit) => exit,
        Err(error) if error.is::<ClosedPipe>() => Exit::Success,
        Err(error) => report_error(&reporter, &error),
    };
    ExitCode::from(exit.code())
}

/// Prints an error that ended the command, and gives the exit it means: a
/// usage error 2, anything else 1.
fn report_error(reporter: &Reporter, error: &anyhow::Error) -> Exit {
    if let Some(error) = error.downcast_ref::<keikaku::Error>() {
        reporter.input_error(error);
        return Exit::Failed;
    }
    if let Some(refusal) = error.downcast_ref::<keikaku::write::target::TargetError>() {
        reporter.error(Some(refusal.target()), &refusal.reason());
        return match cli::convert::is_failure(refusal) {
            true => Exit::Failed,
            false => Exit::Usage,
        };
    }
    reporter.error(None, &one_line(error));
    if error.is::<UsageError>() {
        Exit::Usage
    } else {
        Exit::Failed
    }
}

/// On SIGINT, SIGTERM or SIGHUP: removes the temporary files of outputs
/// being written, says how far the batch got and what was not written, and
/// exits with 130. Documents already written stay.
fn exit_cleanly_on_interrupt(reporter: Reporter) {
    let installed = ctrlc::set_handler(move || {
        let unwritten = write::remove_temporary_files();
        let mut names: Vec<String> = unwritten
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.dedup();
        reporter.interrupted(keikaku::batch::PROGRESS.get(), &names);
        std::process::exit(130);
    });
    if let Err(error) = installed {
        reporter.note(
            None,
            &format!(
                "cannot catch interrupts ({error}); an interrupted run may leave .keikaku-* files"
            ),
        );
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
