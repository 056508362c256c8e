//! Every output of the fixture corpus, byte for byte, against the digests
//! committed in `fixtures/outputs.sha256` (the `sha256sum` format, so
//! `cd OUT && sha256sum -c` checks a run by hand too).
//!
//! The golden tests compare five documents field by field; this one guards
//! the bytes of all of them: every text and PDF under `fixtures/`, as
//! document JSON, records.jsonl, records.csv and datapackage.json, at one
//! and at two jobs. A speed change that moves a key, a space or a float's
//! digits fails here. After a deliberate change of the outputs, regenerate
//! the digests with `KEIKAKU_BLESS=1 cargo test --test outputs_unchanged`
//! and say in the commit why they moved.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The one input of the corpus that is refused: it needs `--password`.
const REFUSED: &str = "tama-plan6-goals-draft.user-password.pdf";

fn manifest_path() -> std::path::PathBuf {
    fixture_dir().join("outputs.sha256")
}

/// `keikaku convert -r fixtures` with every output format into `out`.
fn convert_corpus(out: &Path, jobs: &str) {
    let output = keikaku()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "convert",
            "-r",
            "fixtures",
            "-q",
            "--format",
            "json,jsonl,csv",
        ])
        .args(["--jobs", jobs])
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    let errors = stderr_lines(&output);
    assert_eq!(output.status.code(), Some(1), "{errors:?}");
    assert_eq!(errors.len(), 1, "only the password PDF fails: {errors:?}");
    assert!(errors[0].contains(REFUSED), "{errors:?}");
}

/// Each file under `dir`, by its path relative to `dir` with `/`, and the
/// hex SHA-256 of its bytes.
fn digests(dir: &Path) -> BTreeMap<String, String> {
    files_under(dir)
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap();
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_str().expect("UTF-8 names"))
                .collect::<Vec<_>>()
                .join("/");
            let digest = Sha256::digest(std::fs::read(&path).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            (name, hex)
        })
        .collect()
}

fn manifest_text(digests: &BTreeMap<String, String>) -> String {
    digests
        .iter()
        .map(|(name, hex)| format!("{hex}  {name}\n"))
        .collect()
}

fn read_manifest() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(manifest_path()).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (KEIKAKU_BLESS=1 creates it)",
            manifest_path().display()
        )
    });
    text.lines()
        .map(|line| {
            let (hex, name) = line.split_once("  ").expect("`HEX  NAME` lines");
            (name.to_string(), hex.to_string())
        })
        .collect()
}

/// The names whose digests differ, or that one side lacks.
fn differences(
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut names: Vec<&String> = expected.keys().chain(actual.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| expected.get(*name) != actual.get(*name))
        .map(|name| match (expected.get(name), actual.get(name)) {
            (Some(_), Some(_)) => format!("{name}: bytes differ"),
            (Some(_), None) => format!("{name}: no longer written"),
            _ => format!("{name}: new output"),
        })
        .collect()
}

#[test]
fn every_output_of_the_fixture_corpus_is_byte_identical_at_one_and_two_jobs() {
    let scratch = tempfile::tempdir().unwrap();
    let one = scratch.path().join("jobs1");
    let two = scratch.path().join("jobs2");
    convert_corpus(&one, "1");
    convert_corpus(&two, "2");
    let at_one = digests(&one);
    assert_eq!(at_one, digests(&two), "outputs differ between 1 and 2 jobs");
    assert!(
        at_one.len() > 150,
        "the corpus gave {} outputs",
        at_one.len()
    );

    if std::env::var_os("KEIKAKU_BLESS").is_some() {
        std::fs::write(manifest_path(), manifest_text(&at_one)).unwrap();
        return;
    }
    let changed = differences(&read_manifest(), &at_one);
    assert!(
        changed.is_empty(),
        "{} outputs differ from fixtures/outputs.sha256:\n{}",
        changed.len(),
        changed.join("\n")
    );
}

#[test]
fn the_manifest_comparison_names_a_changed_file() {
    let expected: BTreeMap<String, String> = [("a.json", "00"), ("b.json", "11")]
        .into_iter()
        .map(|(n, h)| (n.to_string(), h.to_string()))
        .collect();
    let mut actual = expected.clone();
    actual.insert("b.json".into(), "12".into());
    actual.insert("c.json".into(), "22".into());
    assert_eq!(
        differences(&expected, &actual),
        ["b.json: bytes differ", "c.json: new output"]
    );
    assert!(differences(&expected, &expected).is_empty());
}
