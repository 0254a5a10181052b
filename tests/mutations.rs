//! Mutation smoke test (a fuzzer's little sibling that runs in every
//! `cargo test`): the Kosovo 2024 edition, mutated a few thousand times in fixed,
//! repeatable ways, must never make `model::load` panic, and every
//! diagnostic it returns must point inside the text.

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};

use factsheet::diag::{FileId, line_col};
use factsheet::model;

/// The Kosovo 2024 edition as one self-contained file: the programme's
/// tables, then the edition's (what `load` reads when no programme.toml is
/// beside the file). Comment lines are left out so that mutations land in
/// keys and values.
fn kosovo() -> String {
    let whole = format!(
        "{}\n{}",
        include_str!("../data/kosovo/programme.toml"),
        include_str!("../data/kosovo/2024.toml")
    );
    whole
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect()
}
const MUTATIONS: usize = 2000;

/// A 64-bit linear congruential generator (Knuth's MMIX constants): the
/// same mutations on every run and platform.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that stress the TOML parser, serde and the checks.
const INSERTS: &[&str] = &[
    "\"",
    "\"\"\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    "#",
    "\n",
    "\\",
    "\\u",
    "\\uD800",
    "99999999999999999999",
    "-9223372036854775808",
    "1e400",
    "nan",
    "-0",
    "0x7fffffffffffffff",
    "2023-13-45",
    "2023-12-31T25:61:00",
    "true",
    "[]",
    "{}",
    "\u{0}",
    "\u{1b}[2J",
    "\u{feff}",
    "é",
    "😀",
    "科",
    "**",
    "*",
    "[x](javascript:alert(1))",
    "# ",
    "- ",
    "<b>",
    "{donors}",
    "key_figures = true\n",
    "[edition]\n",
    "[[results]]\n",
    "x = 1\n",
];

/// One mutation of `text`; may produce bytes that are not UTF-8.
fn mutate(text: &str, rng: &mut Lcg) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    match rng.below(7) {
        // Delete a byte range (up to 40 bytes).
        0 => {
            let start = rng.below(out.len());
            let end = (start + 1 + rng.below(40)).min(out.len());
            out.drain(start..end);
        }
        // Duplicate a line.
        1 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let i = rng.below(lines.len());
            let mut joined: Vec<&str> = lines.clone();
            joined.insert(i, lines[i]);
            out = joined.concat().into_bytes();
        }
        // Swap two lines.
        2 => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
            out = lines.concat().into_bytes();
        }
        // Insert a fragment.
        3 | 4 => {
            let at = rng.below(out.len() + 1);
            let fragment = INSERTS[rng.below(INSERTS.len())];
            out.splice(at..at, fragment.bytes());
        }
        // Insert a few random printable ASCII characters.
        5 => {
            let at = rng.below(out.len() + 1);
            let count = 1 + rng.below(4);
            let chars: Vec<u8> = (0..count).map(|_| b' ' + rng.below(95) as u8).collect();
            out.splice(at..at, chars);
        }
        // Replace a digit run or a value with a huge number.
        _ => {
            let at = rng.below(out.len());
            let end = out[at..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(out.len(), |n| at + n);
            out.splice(at..end, b"18446744073709551616".iter().copied());
        }
    }
    out
}

fn check_spans(text: &str, diagnostics: &[factsheet::diag::Diagnostic]) -> Result<(), String> {
    if diagnostics.is_empty() {
        return Err("load failed without a diagnostic".into());
    }
    for diagnostic in diagnostics {
        let Some(span) = &diagnostic.span else {
            continue;
        };
        let Range { start, end } = span.range;
        if span.file != FileId(0) || start > end || end > text.len() {
            return Err(format!(
                "span {start}..{end} outside 0..={}: {diagnostic:?}",
                text.len()
            ));
        }
        let _ = line_col(text, start);
    }
    Ok(())
}

#[test]
fn mutated_editions_never_panic_and_spans_stay_in_bounds() {
    // Silence the default hook so a caught panic prints once, in the report.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let kosovo = kosovo();
    assert!(
        model::load(&kosovo, FileId(0)).is_ok(),
        "the unmutated edition must load"
    );
    let mut rng = Lcg(0x5EED_FAC7_5EE7);
    let mut failures = Vec::new();
    let mut loaded = 0;
    let mut tried = 0;
    for n in 0..MUTATIONS {
        let mut bytes = mutate(&kosovo, &mut rng);
        // Every fourth case stacks a second mutation on the first.
        if n % 4 == 3
            && let Ok(text) = std::str::from_utf8(&bytes)
        {
            bytes = mutate(text, &mut rng);
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        tried += 1;
        match catch_unwind(AssertUnwindSafe(|| model::load(text, FileId(0)))) {
            Ok(Ok(_)) => loaded += 1,
            Ok(Err(diagnostics)) => {
                if let Err(why) = check_spans(text, &diagnostics) {
                    failures.push(format!("mutation {n}: {why}"));
                }
            }
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("mutation {n}: panicked: {why}"));
            }
        }
    }
    std::panic::set_hook(hook);
    println!("{tried} mutations were UTF-8; {loaded} still loaded");
    assert!(tried > MUTATIONS / 2, "too few UTF-8 mutations: {tried}");
    assert!(
        failures.is_empty(),
        "{} of {tried} mutations went wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
