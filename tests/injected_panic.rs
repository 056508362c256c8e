//! The PDF property test fails when the pipeline panics: a panic injected
//! into layout (by the library's test-only switch) makes the very property
//! of `tests/robustness.rs` fail, where it once passed because
//! `convert_path` turned the panic into an error the test ignored.
//!
//! A test binary of its own: the switch is global, and no other test may
//! run while it is set.

mod common;

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::sync::atomic::Ordering;

#[test]
fn the_pdf_property_fails_on_a_panic_in_layout() {
    // A fixed seed: most mutations make a PDF unreadable before any page is
    // laid out, so with a random one a few cases may all be refused and
    // never reach the panic. With this seed, some of the 12 reach layout.
    let property = |cases| {
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        runner.run(
            &common::pdf_property::mutations(),
            common::pdf_property::mutated_pdf_converts_or_is_refused,
        )
    };
    // Without the panic, the property holds on these cases.
    assert!(property(12).is_ok());
    keikaku::extract::pdf::INJECT_LAYOUT_PANIC.store(true, Ordering::SeqCst);
    let with_panic = property(12);
    keikaku::extract::pdf::INJECT_LAYOUT_PANIC.store(false, Ordering::SeqCst);
    let failure = with_panic.expect_err("the property passed with a panic injected");
    assert!(
        failure.to_string().contains("injected into layout_page"),
        "{failure}"
    );
}
