//! keikaku used from Rust, not from the shell: a batch with its combined
//! outputs, and errors a caller can match on, the same whether an input
//! was converted in this process or in a worker.

mod common;

use common::*;
use keikaku::batch::combined::{CombinedFormats, CombinedOutputs, Converted};
use keikaku::batch::{Isolation, Outcome, Settings};
use keikaku::{Error, InputError, PdfProblem};
use std::path::PathBuf;

fn settings(isolation: Isolation) -> Settings {
    Settings {
        jobs: Some(2),
        fail_fast: false,
        isolation,
        options: Default::default(),
        progress_bar: false,
    }
}

fn workers() -> Isolation {
    Isolation::Workers {
        program: PathBuf::from(env!("CARGO_BIN_EXE_keikaku")),
    }
}

#[test]
fn a_batch_writes_the_combined_records_of_every_input_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = ALL_FIXTURES.iter().map(|s| input_path(s)).collect();
    let formats = CombinedFormats {
        jsonl: true,
        csv: None,
    };
    let mut outputs = CombinedOutputs::create(dir.path(), &formats).unwrap();
    let outcomes = keikaku::batch::run(
        &files,
        &settings(Isolation::InProcess),
        |_, _, document| Ok(Converted::of(&document, &formats, None)),
        |converted| {
            assert!(outputs.add(converted).is_empty());
            Ok(())
        },
        |error| panic!("{error}"),
    )
    .unwrap();
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Converted { .. })));
    assert!(outputs.finish(&Default::default()).is_empty());
    let expected: Vec<u8> = ALL_FIXTURES
        .iter()
        .flat_map(|stem| keikaku::write::records_jsonl(&convert_records(stem)))
        .collect();
    let written = std::fs::read(dir.path().join("records.jsonl")).unwrap();
    assert!(
        written == expected,
        "records.jsonl is not the inputs' records in order"
    );
    assert!(dir.path().join("datapackage.json").is_file());
}

/// The errors of a missing file, an encrypted PDF and an empty text, as a
/// caller matches them.
fn assert_typed(errors: &[Error], missing: &std::path::Path) {
    assert!(
        matches!(&errors[0], Error::Read { path, source }
            if path == missing && source.kind() == std::io::ErrorKind::NotFound),
        "{:?}",
        errors[0]
    );
    assert!(
        matches!(
            &errors[1],
            Error::Input {
                source: InputError::Pdf {
                    kind: PdfProblem::Encrypted {
                        password_given: false
                    },
                    ..
                },
                ..
            }
        ),
        "{:?}",
        errors[1]
    );
    assert!(
        matches!(
            &errors[2],
            Error::Input {
                source: InputError::Empty,
                ..
            }
        ),
        "{:?}",
        errors[2]
    );
}

#[test]
fn errors_are_typed_in_this_process_and_from_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let encrypted = fixture_dir()
        .join("pdf")
        .join(format!("{TAMA_PLAN6_DRAFT}.user-password.pdf"));
    let files = vec![missing.clone(), encrypted, empty];
    for isolation in [Isolation::InProcess, workers()] {
        let outcomes = keikaku::batch::run(
            &files,
            &settings(isolation.clone()),
            |_, _, _| Ok(()),
            |()| Ok(()),
            |_| {},
        )
        .unwrap();
        let errors: Vec<Error> = outcomes
            .into_iter()
            .map(|o| match o {
                Outcome::Failed(error) => error,
                _ => panic!("{isolation:?}: an input did not fail"),
            })
            .collect();
        assert_typed(&errors, &missing);
        // Each message names the file once and gives the reason once.
        for error in &errors {
            let text = error.to_string();
            assert!(text.starts_with(&error.path().display().to_string()));
            assert_eq!(text.matches(&error.reason()).count(), 1, "{text}");
        }
    }
}
