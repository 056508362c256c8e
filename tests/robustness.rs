//! Properties on inputs nobody wrote by hand: documents assembled from the
//! fixtures' own lines and cells, reshuffled, cut and mixed with noise. For
//! every one, the pipeline must not panic, what it outputs must validate
//! against the schema, and every line must be placed or listed as unplaced.

// The tests read outputs with regexes of their own, on one thread: the
// per-thread patterns clippy.toml asks for are the library's.
#![allow(clippy::disallowed_types)]

mod common;

use common::*;
use keikaku::document::WarningCode;
use keikaku::{normalize::normalize_chars, records, write, InputError};
use proptest::prelude::*;
use std::sync::LazyLock;

/// Every non-blank line of every fixture: the material the generator
/// recombines.
static FIXTURE_LINES: LazyLock<Vec<String>> = LazyLock::new(|| {
    ALL_FIXTURES
        .iter()
        .flat_map(|stem| {
            input_text(stem)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|l| !l.trim().is_empty())
        .collect()
});

/// One generated line: a fixture line as is, with its cells shifted or
/// dropped, cut short, or noise.
fn line() -> impl Strategy<Value = String> {
    let count = FIXTURE_LINES.len();
    prop_oneof![
        4 => (0..count).prop_map(|i| FIXTURE_LINES[i].clone()),
        2 => (0..count, 0..4usize).prop_map(|(i, shift)| format!("{}{}", "\t".repeat(shift), FIXTURE_LINES[i])),
        2 => (0..count, any::<usize>()).prop_map(|(i, seed)| {
            let cells: Vec<&str> = FIXTURE_LINES[i].split('\t').collect();
            let drop = seed % cells.len().max(1);
            cells.iter().enumerate().filter(|(j, _)| *j != drop).map(|(_, c)| *c).collect::<Vec<_>>().join("\t")
        }),
        1 => (0..count, 0..40usize).prop_map(|(i, keep)| FIXTURE_LINES[i].chars().take(keep).collect()),
        1 => "[ \t①②(1)Ⅲ基本目標基本施策方針通番○△:【】〔〕「」⇒◎●・重点項目事業取組具体的DATA資料P。、0-9a-zあ-ん\u{3000}\u{FFFD}\\-]{0,30}",
        1 => Just(String::new()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 1..60).prop_map(|lines| lines.join("\n"))
}

// 256 cases per property by default; PROPTEST_CASES=N runs more.
proptest! {
    #[test]
    fn converting_never_panics_and_always_validates(text in document()) {
        match keikaku::convert("generated.txt", text.as_bytes()) {
            Ok(doc) => {
                let checked = write::check_document_json(write::document_json(&doc));
                prop_assert!(checked.is_ok(), "{:?}", checked.err());
                let checked = write::check_records_jsonl(write::records_jsonl(&records::records(&doc)));
                prop_assert!(checked.is_ok(), "{:?}", checked.err());
            }
            Err(error) => prop_assert!(matches!(error, InputError::Empty | InputError::Binary), "{error}"),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(doc) = keikaku::convert("bytes.txt", &bytes) {
            prop_assert!(write::check_document_json(write::document_json(&doc)).is_ok());
        }
    }

    #[test]
    fn every_generated_line_is_placed_or_unplaced(text in document()) {
        let Ok(doc) = keikaku::convert("generated.txt", text.as_bytes()) else { return Ok(()) };
        let value = serde_json::to_value(&doc).unwrap();
        let mut lines = std::collections::BTreeSet::new();
        collect_lines(&value, &mut lines);
        for u in &doc.unplaced {
            lines.insert(u.line as u64);
        }
        let tag = regex::Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").unwrap();
        for (index, line) in text.split('\n').enumerate() {
            let number = index as u64 + 1;
            let readable = |t: &str| t.chars().any(|c| !(c.is_whitespace() || c == '\u{FFFD}' || c.is_control()));
            if !readable(line) || lines.contains(&number) {
                continue;
            }
            // A line emptied by normalization is accounted for by the
            // warning that says what was removed.
            let emptied = !readable(&tag.replace_all(line, ""))
                && doc.warnings.iter().any(|w| u64::from(w.line) == number);
            prop_assert!(emptied, "line {number} {line:?} is neither placed nor unplaced");
        }
    }

    #[test]
    fn mutated_encoded_fixtures_never_panic(
        (variant, stem, flips) in (
            0..common::encodings::VARIANTS.len(),
            0..ALL_FIXTURES.len(),
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        )
    ) {
        let variant = &common::encodings::VARIANTS[variant];
        let Ok(mut bytes) = common::encodings::reencode(&input_text(ALL_FIXTURES[stem]), variant) else {
            return Ok(());
        };
        for (at, byte) in &flips {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        match keikaku::convert("mutated.txt", &bytes) {
            Ok(doc) => {
                prop_assert!(write::check_document_json(write::document_json(&doc)).is_ok());
                for w in doc.warnings.iter().filter(|w| w.code == WarningCode::UndecodableBytes) {
                    prop_assert!(w.line >= 1 && w.line <= doc.source.line_count, "{w:?}");
                }
            }
            Err(error) => prop_assert!(
                matches!(error, InputError::Binary | InputError::UnknownEncoding { .. }),
                "{error}"
            ),
        }
    }

    #[test]
    fn normalization_is_idempotent(text in "\\PC{0,40}") {
        let once = normalize_chars(&text);
        prop_assert_eq!(normalize_chars(&once), once);
    }

    /// Folding by segments, copying what NFKC keeps, gives what NFKC of
    /// each run between protected characters gives: on any text, and on
    /// text dense in what NFKC changes or combines (half-width kana and
    /// their voiced marks, combining marks, compatibility characters,
    /// circled numbers) next to kana and kanji.
    #[test]
    fn folding_by_segments_is_nfkc(text in prop_oneof![
        "\\PC{0,40}",
        "[かきがｶﾞﾟｱ\u{3099}\u{309A}\u{0301}\u{0323}eA漢㈱①Ⅲ～（１）\u{F929}ﬁ㍻\u{3000} ]{0,30}",
    ]) {
        prop_assert_eq!(normalize_chars(&text), nfkc_between_protected(&text));
    }
}

/// NFKC of each run of `text` between the characters keikaku keeps out of
/// it, those kept as they are (the full-width tilde as the wave dash): the
/// definition [`normalize_chars`] must meet.
fn nfkc_between_protected(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars() {
        let kept = match c {
            '\u{FF5E}' => Some('\u{301C}'),
            c if keikaku::normalize::is_protected(c) => Some(c),
            _ => None,
        };
        match kept {
            Some(kept) => {
                out.extend(run.nfkc());
                run.clear();
                out.push(kept);
            }
            None => run.push(c),
        }
    }
    out.extend(run.nfkc());
    out
}

/// Every line number that a location in the output (outside warnings) covers.
fn collect_lines(value: &serde_json::Value, lines: &mut std::collections::BTreeSet<u64>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key == "warnings" {
                    continue;
                }
                collect_lines(value, lines);
            }
            let start = map
                .get("line_start")
                .or_else(|| map.get("line"))
                .and_then(|v| v.as_u64());
            if let Some(start) = start {
                let end = map
                    .get("line_end")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(start);
                lines.extend(start..=end);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_lines(v, lines)),
        _ => {}
    }
}

// A PDF takes milliseconds, not microseconds: fewer cases by default
// (PROPTEST_CASES still sets them).
proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
    ))]

    /// A fixture PDF with bytes overwritten, or cut short: refused with an
    /// error or converted to a valid document, never a panic out of
    /// `convert_path`, nor one caught there (`Error::Internal`):
    /// `tests/injected_panic.rs` shows this fails on one.
    #[test]
    fn mutated_pdfs_never_panic(mutation in common::pdf_property::mutations()) {
        common::pdf_property::mutated_pdf_converts_or_is_refused(mutation)?;
    }
}
