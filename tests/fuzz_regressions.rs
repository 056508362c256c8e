//! What the fuzzers found (`fuzz/regressions/<target>/`, one file a
//! finding, named by what it broke): each once panicked in the PDF parser,
//! and must now end as the fuzz targets demand, in a document that passes
//! the writer's schema check or in one line of error. Called through
//! `keikaku::convert`, which does not catch panics, so a panic fails here.

use std::path::Path;

fn findings(target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn the_pdf_findings_end_in_a_document_or_one_line() {
    let files = findings("pdf");
    assert!(files.len() >= 6, "the findings are there: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match keikaku::convert(&name, &bytes) {
            Ok(document) => {
                keikaku::write::check_document_json(keikaku::write::document_json(&document))
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                keikaku::write::check_records_jsonl(keikaku::write::records_jsonl(
                    &keikaku::records::records(&document),
                ))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            Err(error) => {
                let message = error.to_string();
                assert!(
                    !message.is_empty() && !message.contains('\n'),
                    "{name}: {message:?}"
                );
            }
        }
    }
}
