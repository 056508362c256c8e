//! Hostile and broken PDFs (issue 14, `tests/common/hostile.rs`): each
//! finishes with one error naming the limit it passed, or with a document
//! holding the page's text and a warning for what was skipped. None panics,
//! hangs or overflows the stack. (`examples/make_hostile_corpus.rs` writes
//! the same files at full size, to measure the command's time and memory.)
//!
//! The cases that ask for hundreds of megabytes of work run here smaller,
//! with limits lowered to match, so that the debug build stays quick.

mod common;

use common::hostile::{self, TEXT};
use keikaku::document::WarningCode;
use keikaku::extract::{ExtractOptions, Limits};
use keikaku::{Document, InputError};
use std::time::Duration;

fn convert(bytes: &[u8], limits: Limits) -> Result<Document, InputError> {
    let options = ExtractOptions {
        limits,
        ..ExtractOptions::default()
    };
    keikaku::convert_with("hostile.pdf", bytes, &options)
}

/// The document, which must hold [`TEXT`] and whose PDF warnings must
/// include one containing each of `warnings`.
fn converts(bytes: &[u8], warnings: &[&str]) -> Document {
    let document = convert(bytes, Limits::default()).expect("converts");
    let json = serde_json::to_string(&document).unwrap();
    assert!(json.contains(TEXT), "the page's text is kept: {json}");
    let skipped: Vec<&str> = document
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::PdfContentSkipped)
        .map(|w| w.message.as_str())
        .collect();
    for expected in warnings {
        assert!(
            skipped.iter().any(|w| w.contains(expected)),
            "a warning containing {expected:?} in {skipped:?}"
        );
    }
    if warnings.is_empty() {
        assert!(skipped.is_empty(), "no warning expected: {skipped:?}");
    }
    document
}

/// The error, which must contain `reason`.
fn refused(bytes: &[u8], limits: Limits, reason: &str) {
    match convert(bytes, limits) {
        Ok(_) => panic!("converted; expected a refusal with {reason:?}"),
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains(reason),
                "{message:?} should contain {reason:?}"
            );
            assert!(!message.contains('\n'), "one line: {message:?}");
        }
    }
}

#[test]
fn a_form_that_draws_itself_is_drawn_once() {
    converts(
        &hostile::form_draws_itself(),
        &["form XObject /Fx draws itself; not drawn again"],
    );
}

#[test]
fn forms_that_draw_each_other_are_drawn_once_each() {
    converts(
        &hostile::forms_draw_each_other(),
        &["form XObject /Fa draws itself; not drawn again"],
    );
}

#[test]
fn a_chain_of_ten_thousand_forms_stops_at_the_depth_limit() {
    let document = converts(
        &hostile::form_chain(10_000),
        &["form XObjects nested more than 32 deep; /Fn not drawn"],
    );
    // The innermost form's text, past the limit, is not drawn.
    assert!(!serde_json::to_string(&document)
        .unwrap()
        .contains("the last form"));
    // A chain within the limit is drawn whole.
    let document = converts(&hostile::form_chain(30), &[]);
    assert!(serde_json::to_string(&document)
        .unwrap()
        .contains("the last form"));
}

#[test]
fn a_million_form_draws_pass_the_form_limit() {
    refused(
        &hostile::forms_fan_out(6, 10),
        Limits::default(),
        "page 1: more than 100000 form XObject draws (limit --max-form-draws)",
    );
}

#[test]
fn big_streams_of_operators_pass_the_operator_limit() {
    let limits = Limits {
        max_operators: 1_000_000,
        ..Limits::default()
    };
    refused(
        &hostile::big_streams(5, 4 << 20, "q Q "),
        limits,
        "page 1: more than 1000000 content operators (limit --max-operators)",
    );
    refused(
        &hostile::many_operators(2_000_000),
        limits,
        "page 1: more than 1000000 content operators (limit --max-operators)",
    );
}

#[test]
fn big_blank_streams_pass_the_inflated_limit() {
    let limits = Limits {
        max_inflated_bytes: 16 << 20,
        ..Limits::default()
    };
    refused(
        &hostile::big_streams(5, 4 << 20, " "),
        limits,
        "page 1: the streams inflate past 16 MiB in all; refused (limit --max-inflated)",
    );
}

#[test]
fn many_glyphs_pass_the_glyph_limit() {
    let limits = Limits {
        max_glyphs: 50_000,
        ..Limits::default()
    };
    refused(
        &hostile::many_glyphs(100_000),
        limits,
        "page 1: more than 50000 glyphs (limit --max-glyphs)",
    );
}

#[test]
fn a_document_past_its_time_is_refused() {
    let limits = Limits {
        timeout: Some(Duration::ZERO),
        ..Limits::default()
    };
    refused(
        &hostile::many_operators(100_000),
        limits,
        "page 1: reading took longer than 0 s (limit --timeout)",
    );
}

#[test]
fn a_huge_width_range_costs_nothing() {
    let document = converts(&hostile::w_huge_range(), &[]);
    assert!(serde_json::to_string(&document).unwrap().contains("ABC"));
}

#[test]
fn two_hundred_thousand_width_ranges_cost_little() {
    // Each range sets only the CIDs not yet set (the time is lopdf's,
    // loading 600,000 numbers; the corpus measures the release build).
    let document = converts(&hostile::w_many_ranges(), &[]);
    assert!(serde_json::to_string(&document).unwrap().contains("ABC"));
}

#[test]
fn a_looping_parent_chain_ends() {
    // Nothing to inherit is found: no resources, so the font is unknown,
    // and the page has no text.
    refused(
        &hostile::parent_loop(),
        Limits::default(),
        "PDF without any text (page 1: font /F1 is not in the page's resources; its text is skipped)",
    );
}

#[test]
fn a_page_tree_listing_itself_ends() {
    let document = converts(&hostile::kids_loop(), &[]);
    assert!(document.source.page_count >= 1);
}

#[test]
fn a_reference_to_no_object_is_null() {
    converts(
        &hostile::missing_reference(),
        &["font /F2 is not in the page's resources; its text is skipped"],
    );
}

#[test]
fn an_xobject_of_the_wrong_type_is_skipped() {
    converts(
        &hostile::xobject_wrong_type(),
        &["XObject /X1 is missing or not a stream; not drawn"],
    );
}

#[test]
fn an_operator_short_of_operands_is_skipped() {
    converts(&hostile::re_three_operands(), &[]);
}

#[test]
fn cmaps_cut_short_are_reported() {
    for (bytes, reason) in [
        (
            hostile::to_unicode_bfchar_short(),
            "beginbfchar exected hexstring",
        ),
        (
            hostile::to_unicode_bfrange_short(),
            "beginbfrange exected array or literal",
        ),
        (
            hostile::to_unicode_unterminated(),
            "beginbfchar exected hexstring",
        ),
    ] {
        converts(
            &bytes,
            &[&format!(
                "font KeikakuTest: its ToUnicode CMap is damaged ({reason})"
            )],
        );
    }
}

#[test]
fn an_ext_gstate_of_another_type_is_applied_anyway() {
    converts(&hostile::ext_gstate_wrong_type(), &[]);
}

#[test]
fn an_array_nested_ten_thousand_deep_loses_only_its_operator() {
    let document = converts(
        &hostile::tj_nested_deep(),
        &["1 content operators could not be read (a damaged content stream); skipped"],
    );
    assert!(serde_json::to_string(&document).unwrap().contains("after"));
}

#[test]
fn a_reference_cycle_is_null() {
    converts(
        &hostile::reference_cycle(),
        &["font /F2 is not in the page's resources; its text is skipped"],
    );
}

#[test]
fn a_missing_or_short_media_box_is_letter_size() {
    converts(&hostile::media_box_missing(), &[]);
    converts(&hostile::media_box_short(), &[]);
}

#[test]
fn a_length_past_the_end_is_read_to_endstream() {
    converts(
        &hostile::length_past_end(),
        &["its /Length does not match its data (past the end of the file?); read up to its endstream"],
    );
}

#[test]
fn the_warnings_validate_against_the_schema() {
    let document = converts(
        &hostile::form_draws_itself(),
        &["form XObject /Fx draws itself"],
    );
    let value = serde_json::to_value(&document).unwrap();
    keikaku::schema::validate_document(&value).unwrap();
}
