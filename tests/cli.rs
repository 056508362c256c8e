//! The `keikaku` command as a user runs it.

mod common;

use common::*;
use std::path::Path;

fn json_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn convert_one_file_writes_the_named_output_and_it_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tama.json");
    convert_cmd(input_path(TAMA_REPORT).to_str().unwrap(), &out)
        .assert()
        .success();
    keikaku()
        .arg("validate")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("valid"));
}

#[test]
fn one_file_into_an_existing_directory_gets_its_stem() {
    let dir = tempfile::tempdir().unwrap();
    convert_cmd(input_path(TAMA_REPORT), dir.path())
        .assert()
        .success();
    assert_eq!(
        json_files(dir.path()),
        [dir.path().join(format!("{TAMA_REPORT}.json"))]
    );
}

#[cfg(unix)]
#[test]
fn outputs_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tama.json");
    convert_cmd(input_path(TAMA_REPORT), &out)
        .assert()
        .success();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // The same permissions as any new file (the umask decides), not the
    // 0600 of a temporary file.
    let ordinary = dir.path().join("ordinary.txt");
    std::fs::File::create(&ordinary).unwrap();
    assert_eq!(mode(&out), mode(&ordinary), "mode {:o}", mode(&out));
    std::fs::remove_file(&ordinary).unwrap();
    // No temporary file is left beside the output.
    assert_eq!(json_files(dir.path()), [out]);
}

#[test]
fn convert_a_directory_writes_one_valid_file_per_input() {
    let dir = tempfile::tempdir().unwrap();
    convert_cmd(fixture_dir().join("input"), dir.path())
        .assert()
        .success();
    let written = json_files(dir.path());
    assert_eq!(written.len(), ALL_FIXTURES.len());
    for stem in ALL_FIXTURES {
        assert!(
            dir.path().join(format!("{stem}.json")).is_file(),
            "{stem}.json"
        );
    }
    keikaku().arg("validate").args(&written).assert().success();
}

#[test]
fn records_prints_one_json_line_per_initiative() {
    let output = keikaku()
        .arg("records")
        .arg(input_path(TAMA_REPORT))
        .arg(input_path(MACHIDA_REPORT))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 76 + 156);
    assert_eq!(lines[0]["source_file"], "tama-progress-report-fy2019.txt");
    assert_eq!(
        lines[76]["source_file"],
        "machida-progress-report-fy2024.txt"
    );
    for line in &lines {
        keikaku::schema::validate_record(line).unwrap();
    }
}

/// Writes `bytes` to a file named `name` in a new directory, and checks that
/// converting it fails with one line naming the file and `reason`, a
/// non-zero exit and no output file.
#[test]
fn empty_input_is_refused() {
    assert_refused("empty.txt", b"", "empty input");
    assert_refused("blank.txt", b"\n \n\t\n", "empty input");
}

#[test]
fn binary_garbage_is_refused() {
    let garbage: Vec<u8> = (0u32..8192)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_refused("garbage.txt", &garbage, "not");
    assert_refused("nul.txt", b"\x00\x01\x02binary\x00\xff\xfe", "binary");
}

#[test]
fn a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let output = convert_cmd("no-such-plan.txt", &out).output().unwrap();
    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("no-such-plan.txt") && lines[0].contains("cannot read"),
        "{}",
        lines[0]
    );
    assert!(!out.exists());
}

#[test]
fn one_bad_file_does_not_stop_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(input_path(TAMA_REPORT), inputs.join("a.txt")).unwrap();
    std::fs::write(inputs.join("b.txt"), b"").unwrap();
    std::fs::copy(input_path(MACHIDA_REPORT), inputs.join("c.txt")).unwrap();
    let out = dir.path().join("out");
    let output = convert_cmd(&inputs, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("b.txt"));
    // The summary: the two reports' warnings, counted.
    let warnings = convert(TAMA_REPORT).warnings.len() + convert(MACHIDA_REPORT).warnings.len();
    assert_eq!(
        lines[1],
        format!("keikaku: 2 converted, 1 failed, {warnings} warnings")
    );
    assert_eq!(file_names(&out), ["a.json", "c.json"]);
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A batch of a bad file then two good ones, in a directory.
fn batch_with_a_bad_first_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("a.txt"), b"").unwrap();
    std::fs::copy(input_path(TAMA_REPORT), inputs.join("b.txt")).unwrap();
    std::fs::copy(input_path(MACHIDA_REPORT), inputs.join("c.txt")).unwrap();
    (dir, inputs)
}

#[test]
fn batch_exit_status_is_zero_only_if_every_input_converted() {
    let (dir, inputs) = batch_with_a_bad_first_file();
    let out = dir.path().join("out");
    assert_eq!(
        convert_cmd(&inputs, &out).output().unwrap().status.code(),
        Some(1)
    );
    std::fs::remove_file(inputs.join("a.txt")).unwrap();
    let output = convert_cmd(&inputs, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines = stderr_lines(&output);
    assert!(
        lines[0].starts_with("keikaku: 2 converted, 0 failed, "),
        "{lines:?}"
    );
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let (dir, inputs) = batch_with_a_bad_first_file();
    let out = dir.path().join("out");
    // One thread takes the inputs in order: the first fails, the rest are
    // not tried.
    let output = convert_cmd(&inputs, &out)
        .arg("--fail-fast")
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(
        lines[1],
        "keikaku: 0 converted, 1 failed, 2 not tried (--fail-fast), 0 warnings"
    );
    assert!(file_names(&out).is_empty());
}

#[test]
fn a_failed_write_mid_batch_leaves_no_partial_file() {
    let (dir, inputs) = batch_with_a_bad_first_file();
    std::fs::remove_file(inputs.join("a.txt")).unwrap();
    let out = dir.path().join("out");
    // b.json cannot be written: a directory stands in its place.
    std::fs::create_dir_all(out.join("b.json")).unwrap();
    let output = convert_cmd(&inputs, &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert!(
        lines[0].contains("b.json") && lines[0].contains("not a regular file (a directory)"),
        "{lines:?}"
    );
    // c.json is whole, and no temporary file is left behind.
    assert_eq!(file_names(&out), ["b.json", "c.json"]);
    assert!(out.join("b.json").is_dir());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("c.json")).unwrap()).unwrap();
    assert!(keikaku::schema::validate_document(&written).is_ok());
}

#[test]
fn inputs_over_the_size_limit_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let output = convert_cmd(input_path(TAMA_REPORT), &out)
        .args(["--max-input-size", "10K"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(
            "input of 45.7 KiB is over the limit of 10 KiB (raise it with --max-input-size)"
        ),
        "{}",
        lines[0]
    );
    assert!(!out.exists());
    // At the default, it converts.
    assert!(convert_cmd(input_path(TAMA_REPORT), &out)
        .output()
        .unwrap()
        .status
        .success());
    let bad_unit = convert_cmd(input_path(TAMA_REPORT), &out)
        .args(["--max-input-size", "10X"])
        .output()
        .unwrap();
    assert_eq!(bad_unit.status.code(), Some(2));
}

#[test]
fn inputs_over_the_page_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("pages.txt");
    std::fs::write(
        &text,
        "基本目標 1 まち\n\u{c}基本目標 2 ひと\n\u{c}基本目標 3 しごと\n",
    )
    .unwrap();
    let pdf = fixture_dir()
        .join("pdf")
        .join("machida-progress-report-fy2024.chromium.pdf");
    for input in [text, pdf] {
        let out = dir.path().join("out.json");
        let output = convert_cmd(&input, &out)
            .args(["--max-pages", "2"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let lines = stderr_lines(&output);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("over the limit of 2"), "{}", lines[0]);
        assert!(!out.exists());
    }
}

#[test]
fn a_forced_encoding_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture_dir()
        .join("encodings")
        .join("shift_jis")
        .join(format!("{TAMA_REPORT}.txt"));
    let out = dir.path().join("out.json");
    let forced_wrong = convert_cmd(&input, &out)
        .args(["--encoding", "euc-jp"])
        .output()
        .unwrap();
    assert_eq!(forced_wrong.status.code(), Some(1));
    assert!(stderr_lines(&forced_wrong)[0].contains("EUC-JP"));
    let forced_right = convert_cmd(&input, &out)
        .args(["--encoding", "cp932"])
        .output()
        .unwrap();
    assert!(forced_right.status.success());
    let unknown = convert_cmd(&input, &out)
        .args(["--encoding", "klingon"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn validate_rejects_a_document_that_breaks_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"format_version": "1.0", "goals": "none"}"#).unwrap();
    let output = keikaku().arg("validate").arg(&bad).output().unwrap();
    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("bad.json") && lines[0].contains("not a valid document"));
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    // Each input converted in this process, or in worker processes (the
    // default for a batch with PDFs).
    for (run, threads, isolation) in [
        (0, "1", "--isolate"),
        (1, "2", "--no-isolate"),
        (2, "2", "--isolate"),
    ] {
        let out = dir.path().join(format!("run{run}"));
        convert_cmd(fixture_dir().join("input"), out.join("text"))
            .args(["--format", "json,jsonl,csv", isolation])
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        // The PDFs' pages are read in parallel runs, one per thread. The
        // PDF that needs a password fails (exit 1); the others convert.
        convert_cmd(fixture_dir().join("pdf"), out.join("pdf"))
            .arg(isolation)
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .code(1);
        // The text run's folder also holds records.jsonl, records.csv and
        // datapackage.json.
        let contents: Vec<Vec<u8>> = [json_files(&out.join("text")), json_files(&out.join("pdf"))]
            .concat()
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        runs.push(contents);
    }
    let pdfs = std::fs::read_dir(fixture_dir().join("pdf"))
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().extension() == Some("pdf".as_ref()))
        .count();
    assert_eq!(runs[0].len(), ALL_FIXTURES.len() + 3 + pdfs - 1);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[1], runs[2]);
}

#[test]
fn jobs_1_and_2_give_byte_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("jobs{jobs}"));
        convert_cmd(fixture_dir().join("input"), &out)
            .args(["--format", "json,jsonl,csv", "--jobs", jobs])
            .assert()
            .success();
        let files: Vec<(std::path::PathBuf, Vec<u8>)> = json_files(&out)
            .into_iter()
            .map(|p| (p.file_name().unwrap().into(), std::fs::read(&p).unwrap()))
            .collect();
        runs.push(files);
    }
    assert_eq!(runs[0].len(), ALL_FIXTURES.len() + 3);
    assert_eq!(runs[0], runs[1]);
    let zero = convert_cmd(fixture_dir().join("input"), dir.path().join("zero"))
        .args(["--jobs", "0"])
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2));
}
