//! Arbitrary UTF-8 text as an edition file: `model::load` must return an
//! edition or diagnostics, never panic, and every diagnostic's span must lie
//! within the text (so it can be turned into a line and column).

#![no_main]

use factsheet::diag::{FileId, line_col};
use factsheet::model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Err(diagnostics) = model::load(text, FileId(0)) else {
        return;
    };
    assert!(!diagnostics.is_empty(), "load failed without a diagnostic");
    for diagnostic in &diagnostics {
        assert!(
            !diagnostic.message.is_empty(),
            "empty message: {diagnostic:?}"
        );
        if let Some(span) = &diagnostic.span {
            assert_eq!(span.file, FileId(0), "span in another file: {diagnostic:?}");
            assert!(
                span.range.start <= span.range.end && span.range.end <= text.len(),
                "span {:?} outside 0..={}: {diagnostic:?}",
                span.range,
                text.len()
            );
            let _ = line_col(text, span.range.start);
        }
    }
});
