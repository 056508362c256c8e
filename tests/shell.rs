//! The command line in the shell, as issue 15 found it wanting: outputs
//! that never destroy, runs that never stay silent, standard input and
//! output, closed pipes, and messages that say what and where once.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A copy of the Tama progress report in `dir`, as `name`.
fn copy_of_report(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(input_path(TAMA_REPORT), &path).unwrap();
    path
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// JSON Lines of records with `source_file` taken out (a document read
/// from standard input has no file name), for comparing conversions of one
/// document read two ways.
fn without_source_file(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|line| {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            record.as_object_mut().unwrap().remove("source_file");
            record
        })
        .collect()
}

/// The records of the Tama report as `keikaku records FILE` prints them.
fn records_of_report() -> String {
    stdout_of(
        &keikaku()
            .arg("records")
            .arg(input_path(TAMA_REPORT))
            .output()
            .unwrap(),
    )
}

// 1. Outputs never destroy.

#[test]
fn an_output_that_is_the_input_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let input = copy_of_report(dir.path(), "same.txt");
    let before = std::fs::read(&input).unwrap();
    let output = convert_cmd(&input, &input).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    let message = stderr_of(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("same.txt") && message.contains("input"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input was changed"
    );
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symlink_to_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = copy_of_report(dir.path(), "plan.txt");
    let before = std::fs::read(&input).unwrap();
    let link = dir.path().join("plan.json");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let output = convert_cmd(&input, &link).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn an_output_symlink_is_written_through_and_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    convert_cmd(input_path(TAMA_REPORT), &link)
        .assert()
        .success();
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert!(written["goals"].as_array().is_some_and(|g| !g.is_empty()));
}

#[cfg(unix)]
#[test]
fn a_non_regular_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let output = convert_cmd(input_path(TAMA_REPORT), &fifo)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("not a regular file"));
    use std::os::unix::fs::FileTypeExt;
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
}

#[test]
fn dash_as_output_writes_the_document_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tama.json");
    convert_cmd(input_path(TAMA_REPORT), &file)
        .assert()
        .success();
    let output = convert_cmd(input_path(TAMA_REPORT), "-")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), std::fs::read_to_string(&file).unwrap());
    assert!(!dir.path().join("-").exists(), "a file named - was written");
}

#[test]
fn dash_as_output_with_jsonl_prints_the_records() {
    let output = convert_cmd(input_path(TAMA_REPORT), "-")
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), records_of_report());
}

#[test]
fn dash_as_output_takes_one_input() {
    let output = keikaku()
        .arg("convert")
        .arg(input_path(TAMA_REPORT))
        .arg(input_path(MACHIDA_REPORT))
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout_of(&output).is_empty());
}

#[test]
fn no_clobber_refuses_an_existing_output_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "keep").unwrap();
    let output = convert_cmd(input_path(TAMA_REPORT), &out)
        .arg("--no-clobber")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("--no-clobber"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    // Without it, the output is replaced.
    convert_cmd(input_path(TAMA_REPORT), &out)
        .assert()
        .success();
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "keep");
}

// 2. Runs that do nothing say so.

#[test]
fn an_empty_directory_is_nothing_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("empty");
    std::fs::create_dir(&input).unwrap();
    let out = dir.path().join("out");
    let output = convert_cmd(&input, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    let message = stderr_of(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("no .txt or .pdf files in"), "{message}");
    assert!(!out.exists(), "an output directory was made for nothing");
}

#[test]
fn a_directory_of_other_files_is_nothing_to_convert() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "# notes").unwrap();
    let output = convert_cmd(dir.path(), dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("no .txt or .pdf files in"));
}

#[test]
fn inputs_only_in_subdirectories_point_to_recursive_which_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("plans");
    std::fs::create_dir_all(inputs.join("2019")).unwrap();
    std::fs::create_dir_all(inputs.join("2024")).unwrap();
    copy_of_report(&inputs.join("2019"), "report.txt");
    std::fs::copy(
        input_path(MACHIDA_REPORT),
        inputs.join("2024").join("report.txt"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = convert_cmd(&inputs, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("-r"), "{}", stderr_of(&output));
    // With -r, both are found, and their outputs keep their folders apart.
    let output = convert_cmd(&inputs, &out).arg("-r").output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(out.join("2019").join("report.json").is_file());
    assert!(out.join("2024").join("report.json").is_file());
}

/// A text that is not a plan: no goal, no initiative.
const NOT_A_PLAN: &str =
    "議事録\n\n本日の会議では、今後の進め方について意見交換を行った。\n次回は来月開催する。\n";

#[test]
fn a_document_with_no_goals_and_no_records_gets_a_note_and_fails_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("minutes.txt");
    std::fs::write(&input, NOT_A_PLAN).unwrap();
    let out = dir.path().join("minutes.json");
    let output = convert_cmd(&input, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let message = stderr_of(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("minutes.txt") && message.contains("no goals and no records"),
        "{message}"
    );
    let strict = convert_cmd(&input, &out).arg("--strict").output().unwrap();
    assert_eq!(strict.status.code(), Some(3));
    // -q silences the note, not the outcome.
    let quiet = convert_cmd(&input, &out).arg("-q").output().unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stderr.is_empty(), "{}", stderr_of(&quiet));
}

#[test]
fn verbose_lists_each_warning_as_file_page_line_code_message() {
    let input = input_path(TAMA_REPORT);
    let document = keikaku::convert_path(&input).unwrap();
    assert!(!document.warnings.is_empty(), "the fixture has warnings");
    let output = keikaku()
        .args(["records", "-v"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success());
    let lines = stderr_lines(&output);
    let expected: Vec<String> = document
        .warnings
        .iter()
        .map(|w| {
            let code = serde_json::to_value(w.code).unwrap();
            format!(
                "{}:{}:{}: {}: {}",
                input.display(),
                w.page,
                w.line,
                code.as_str().unwrap(),
                w.message
            )
        })
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn error_format_json_gives_one_json_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let output = keikaku()
        .args(["records", "--error-format", "json"])
        .arg(&missing)
        .arg(input_path(TAMA_REPORT))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let messages: Vec<serde_json::Value> = stderr_lines(&output)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let error = messages
        .iter()
        .find(|m| m["level"] == "error")
        .expect("an error");
    assert_eq!(error["file"], missing.display().to_string());
    assert!(error["message"].as_str().unwrap().contains("No such file"));
    let summary = messages
        .iter()
        .find(|m| m["level"] == "summary")
        .expect("a summary");
    assert_eq!(summary["converted"], 1);
    assert_eq!(summary["failed"], 1);
}

// 3. Standard input is a document; lists of paths come with --files-from.

#[test]
fn records_reads_a_document_from_standard_input() {
    let output = keikaku()
        .args(["records", "-"])
        .write_stdin(std::fs::read(input_path(TAMA_REPORT)).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let records = without_source_file(&stdout_of(&output));
    assert!(!records.is_empty());
    assert!(records == without_source_file(&records_of_report()));
}

#[test]
fn text_reads_a_document_from_standard_input() {
    let from_file = keikaku()
        .arg("text")
        .arg(input_path(MACHIDA_REPORT))
        .output()
        .unwrap();
    let from_stdin = keikaku()
        .args(["text", "-"])
        .write_stdin(std::fs::read(input_path(MACHIDA_REPORT)).unwrap())
        .output()
        .unwrap();
    assert!(from_stdin.status.success(), "{}", stderr_of(&from_stdin));
    assert_eq!(stdout_of(&from_stdin), stdout_of(&from_file));
}

#[test]
fn a_pdf_from_standard_input_is_read_as_a_pdf() {
    let pdf = fixture_dir()
        .join("pdf")
        .join(format!("{TAMA_REPORT}.chromium.pdf"));
    let from_file = keikaku().arg("records").arg(&pdf).output().unwrap();
    let from_stdin = keikaku()
        .args(["records", "-"])
        .write_stdin(std::fs::read(&pdf).unwrap())
        .output()
        .unwrap();
    assert!(from_stdin.status.success(), "{}", stderr_of(&from_stdin));
    let records = without_source_file(&stdout_of(&from_stdin));
    assert!(!records.is_empty());
    assert!(records == without_source_file(&stdout_of(&from_file)));
}

#[test]
fn convert_writes_a_document_read_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tama.json");
    keikaku()
        .args(["convert", "-", "-o"])
        .arg(&out)
        .write_stdin(std::fs::read(input_path(TAMA_REPORT)).unwrap())
        .assert()
        .success();
    // The document's records are the report's.
    let document: keikaku::Document =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let records = String::from_utf8(keikaku::write::records_jsonl(&keikaku::records::records(
        &document,
    )))
    .expect("JSON Lines are UTF-8");
    assert!(without_source_file(&records) == without_source_file(&records_of_report()));
}

#[test]
fn standard_input_needs_an_output_file_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = keikaku()
        .args(["convert", "-", "-o"])
        .arg(dir.path())
        .write_stdin(std::fs::read(input_path(TAMA_REPORT)).unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("a directory"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn files_from_reads_the_list_of_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        format!(
            "{}\n\n{}\n",
            input_path(TAMA_REPORT).display(),
            input_path(MACHIDA_REPORT).display()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    keikaku()
        .args(["convert", "--files-from"])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join(format!("{TAMA_REPORT}.json")).is_file());
    assert!(out.join(format!("{MACHIDA_REPORT}.json")).is_file());
    // From standard input.
    let output = keikaku()
        .args(["records", "--files-from", "-"])
        .write_stdin(std::fs::read(&list).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(stdout_of(&output).starts_with(&records_of_report()));
}

// 5. A closed pipe ends quietly.

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("records")
        .arg(fixture_dir().join("input"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first record is written, as `head`
    // does after its lines.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(output.stderr.is_empty(), "{}", stderr_of(&output));
}

// 6. Messages say what and where, once.

#[test]
fn sizes_are_given_in_the_unit_that_shows_them() {
    let output = keikaku()
        .args(["records", "--max-input-size", "10K"])
        .arg(input_path(TAMA_REPORT))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr_of(&output);
    assert!(message.contains("over the limit of 10 KiB"), "{message}");
    assert!(!message.contains("MiB"), "{message}");
}

#[test]
fn the_reason_is_given_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let output = keikaku().arg("records").arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr_of(&output);
    assert_eq!(message.matches("No such file").count(), 1, "{message}");
    assert!(message.contains("missing.txt"), "{message}");
    // The same for every command that reads an input.
    let commands: [Vec<std::ffi::OsString>; 3] = [
        vec![
            "convert".into(),
            missing.clone().into(),
            "-o".into(),
            dir.path().join("out.json").into(),
        ],
        vec!["text".into(), missing.clone().into()],
        vec![
            "diff".into(),
            missing.clone().into(),
            input_path(TAMA_REPORT).into(),
        ],
    ];
    for args in commands {
        let output = keikaku().args(&args).output().unwrap();
        let message = stderr_of(&output);
        assert_eq!(
            message.matches("No such file").count(),
            1,
            "{args:?}: {message}"
        );
    }
}

#[test]
fn an_unwritable_output_is_named_not_its_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // A directory that cannot be made (its parent is a file): what a
    // read-only directory does for a user who is not root.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let out = blocker.join("tama.json");
    let output = convert_cmd(input_path(TAMA_REPORT), &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    let message = stderr_of(&output);
    assert!(message.contains("tama.json"), "{message}");
    assert!(!message.contains(".keikaku-"), "{message}");
}

#[test]
fn validate_knows_the_data_package_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    keikaku()
        .arg("convert")
        .arg(input_path(TAMA_REPORT))
        .arg(input_path(MACHIDA_REPORT))
        .args(["--format", "json,jsonl,csv", "-o"])
        .arg(&out)
        .assert()
        .success();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl"))
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f.ends_with("datapackage.json")));
    let output = keikaku().arg("validate").args(&files).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output).lines().count(), files.len());
    // A record that breaks the schema is found, with its line.
    let jsonl = out.join("records.jsonl");
    let mut text = std::fs::read_to_string(&jsonl).unwrap();
    text.push_str("{\"number\": \"x\"}\n");
    let lines = text.lines().count();
    std::fs::write(&jsonl, text).unwrap();
    let output = keikaku().arg("validate").arg(&jsonl).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains(&format!("records.jsonl:{lines}:")),
        "{}",
        stderr_of(&output)
    );
}

// What a review found still destroyed data, or failed silently.

#[test]
fn standard_input_redirected_from_the_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = copy_of_report(dir.path(), "plan.txt");
    let before = std::fs::read(&plan).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["convert", "-", "-o"])
        .arg(&plan)
        .stdin(std::fs::File::open(&plan).unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("(standard input)"));
    assert_eq!(std::fs::read(&plan).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn an_output_that_is_standard_output_redirected_to_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    std::fs::write(&log, "precious line\n").unwrap();
    let appended = std::fs::File::options().append(true).open(&log).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("convert")
        .arg(input_path(TAMA_REPORT))
        .args(["-o", "/dev/stdout"])
        .stdout(appended)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("-o -"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "precious line\n");
}

#[cfg(unix)]
#[test]
fn an_output_with_other_hard_links_is_not_split_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::hard_link(&out, dir.path().join("other-name.json")).unwrap();
    let output = convert_cmd(input_path(TAMA_REPORT), &out).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("hard links"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
}

#[cfg(unix)]
#[test]
fn a_private_output_replaced_through_a_symlink_stays_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    convert_cmd(input_path(TAMA_REPORT), &link)
        .assert()
        .success();
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

#[test]
fn an_input_whose_document_would_be_the_data_package_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_of_report(dir.path(), "datapackage.txt");
    let out = dir.path().join("out");
    let output = convert_cmd(dir.path().join("datapackage.txt"), &out)
        .args(["--format", "json,jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(!out.join("datapackage.json").exists());
}

#[test]
fn validate_checks_the_csv_and_never_follows_a_package_into_itself() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    keikaku()
        .arg("convert")
        .arg(input_path(MACHIDA_REPORT))
        .args(["--format", "csv", "--csv-encoding", "cp932", "-o"])
        .arg(&out)
        .assert()
        .success();
    let files = [out.join("datapackage.json"), out.join("records.csv")];
    let output = keikaku().arg("validate").args(&files).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    // A row cut short is found, through the package too.
    let csv = out.join("records.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.extend_from_slice(b"x,\"unterminated\r\n");
    std::fs::write(&csv, bytes).unwrap();
    let output = keikaku().arg("validate").args(&files).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr_lines(&output).len(), 2, "{}", stderr_of(&output));
    // A package that lists itself is an error, not a stack overflow.
    let selfish = dir.path().join("datapackage.json");
    std::fs::write(
        &selfish,
        r#"{"resources":[{"name":"a","path":"datapackage.json","format":"json"}]}"#,
    )
    .unwrap();
    let output = keikaku().arg("validate").arg(&selfish).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
}

#[test]
fn a_closed_pipe_does_not_hide_an_invalid_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    convert_cmd(input_path(TAMA_REPORT), &good)
        .assert()
        .success();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{}").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
}
