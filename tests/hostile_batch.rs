//! A batch as a portal runs it: the hostile and broken files of issue 14
//! mixed with the five fixture plans, through the command with its
//! defaults (a batch with PDFs runs in worker processes). The plans convert,
//! every hostile file ends in its own document or its own one error line,
//! the summary follows, and the exit status says that not all converted.
//!
//! The cases that cost hundreds of megabytes of work at full size run
//! smaller here, with the limits they test lowered to match (the full
//! sizes: `examples/make_hostile_corpus.rs`, figures in the README).

mod common;

use common::hostile;
use common::*;
use std::collections::BTreeSet;

/// The hostile inputs, by file name, and whether each must be refused.
fn hostile_inputs() -> Vec<(String, Vec<u8>, bool)> {
    let big = [
        "forms-fan-out-6x10",
        "streams-20x60MiB-operators",
        "streams-20x60MiB-blank",
        "operators-10-million",
        "glyphs-5-million",
    ];
    let refused_pdfs = ["parent-loop"];
    let mut inputs: Vec<(String, Vec<u8>, bool)> = hostile::all()
        .into_iter()
        .filter(|(name, _)| !big.contains(name))
        .map(|(name, bytes)| (format!("{name}.pdf"), bytes, refused_pdfs.contains(&name)))
        .collect();
    // The big cases, smaller, against the lowered limits of `batch_limits`.
    inputs.extend(
        [
            (
                "forms-fan-out-5x10.pdf",
                hostile::forms_fan_out(5, 10),
                true,
            ),
            (
                "streams-4x1MiB-operators.pdf",
                hostile::big_streams(4, 1 << 20, "q Q "),
                true,
            ),
            (
                "streams-4x32MiB-blank.pdf",
                hostile::big_streams(4, 32 << 20, " "),
                true,
            ),
            (
                "operators-100-thousand.pdf",
                hostile::many_operators(100_000),
                false,
            ),
            (
                "glyphs-300-thousand.pdf",
                hostile::many_glyphs(300_000),
                true,
            ),
        ]
        .map(|(name, bytes, refused)| (name.to_string(), bytes, refused)),
    );
    // Texts: 300,000 lines (over the 250,000 of --max-lines), one line of
    // 2 MiB (over --max-line-length's 1 MiB), and a UTF-16 text without a
    // byte order mark, which converts.
    let lines: String = (0..300_000)
        .map(|i| format!("見守り{:04}\n", i % 10_000))
        .collect();
    let long_line = "見守り活動".repeat((2 << 20) / 15);
    let utf16: Vec<u8> = input_text(TAMA_PLAN6_DRAFT)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    inputs.extend([
        (
            "lines-300-thousand.txt".to_string(),
            lines.into_bytes(),
            true,
        ),
        (
            "one-line-2MiB.txt".to_string(),
            long_line.into_bytes(),
            true,
        ),
        ("utf16-no-bom.txt".to_string(), utf16, false),
    ]);
    inputs
}

/// The PDF limits lowered for the smaller big cases.
const BATCH_LIMITS: [&str; 8] = [
    "--max-operators",
    "200000",
    "--max-glyphs",
    "200000",
    "--max-form-draws",
    "10000",
    "--max-inflated",
    "64M",
];

#[test]
fn a_batch_of_hostile_files_and_plans_converts_the_plans_and_reports_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let hostile = hostile_inputs();
    for (name, bytes, _) in &hostile {
        std::fs::write(inputs.join(name), bytes).unwrap();
    }
    for stem in ALL_FIXTURES {
        std::fs::copy(input_path(stem), inputs.join(format!("{stem}.txt"))).unwrap();
    }
    let out = dir.path().join("out");
    let output = convert_cmd(&inputs, &out)
        .args(BATCH_LIMITS)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let (summary, messages) = lines.split_last().unwrap();
    // Notes (a document with no goal) are not errors.
    let errors: Vec<&str> = messages
        .iter()
        .copied()
        .filter(|l| !l.starts_with("keikaku: note: "))
        .collect();

    // The plans convert.
    for stem in ALL_FIXTURES {
        assert!(out.join(format!("{stem}.json")).exists(), "{stem}");
    }
    // Each hostile file: a document, or one error line naming it.
    let mut failed = BTreeSet::new();
    for (name, _, _) in &hostile {
        let path = inputs.join(name);
        let naming: Vec<&str> = errors
            .iter()
            .filter(|l| l.starts_with(&format!("keikaku: error: {}: ", path.display())))
            .copied()
            .collect();
        let stem = name.rsplit_once('.').unwrap().0;
        let document = out.join(format!("{stem}.json"));
        match naming.len() {
            0 => assert!(document.exists(), "{name}: neither a document nor an error"),
            1 => {
                assert!(!document.exists(), "{name}: a document and an error");
                failed.insert(name.as_str());
            }
            n => panic!("{name}: {n} error lines"),
        }
    }
    assert_eq!(errors.len(), failed.len(), "{stderr}");
    let expected: BTreeSet<&str> = hostile
        .iter()
        .filter(|(_, _, refused)| *refused)
        .map(|(name, _, _)| name.as_str())
        .collect();
    assert_eq!(failed, expected, "{stderr}");
    let converted = hostile.len() + ALL_FIXTURES.len() - failed.len();
    assert!(
        summary.starts_with(&format!(
            "keikaku: {converted} converted, {} failed, ",
            failed.len()
        )),
        "{summary}"
    );
}
