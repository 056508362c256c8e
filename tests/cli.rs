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
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("b.txt"));
    let written: Vec<String> = json_files(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["a.json", "c.json"]);
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
    assert!(lines[0].contains("bad.json") && lines[0].contains("invalid"));
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for (run, threads) in [(0, "1"), (1, "2"), (2, "2")] {
        let out = dir.path().join(format!("run{run}"));
        convert_cmd(fixture_dir().join("input"), out.join("text"))
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .success();
        // The PDFs' pages are read in parallel runs, one per thread. The
        // PDF that needs a password fails (exit 1); the others convert.
        convert_cmd(fixture_dir().join("pdf"), out.join("pdf"))
            .env("RAYON_NUM_THREADS", threads)
            .assert()
            .code(1);
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
    assert_eq!(runs[0].len(), ALL_FIXTURES.len() + pdfs - 1);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[1], runs[2]);
}
