//! Arbitrary UTF-8 text through the whole pipeline (load, layout, render).
//! The library has no in-memory build, so the input is written to
//! `tests/fuzz-tmp/<pid>.toml` inside the project (project discovery walks up
//! from the file to the folder with fonts/ and assets/) and removed again.
//! The result is ignored: only a panic or a hang is a finding.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use factsheet::diag::Sources;
use factsheet::{BuildOptions, build};
use libfuzzer_sys::fuzz_target;

fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("tests")
            .join("fuzz-tmp");
        std::fs::create_dir_all(&folder).expect("create tests/fuzz-tmp");
        folder.join(format!("{}.toml", std::process::id()))
    })
}

fuzz_target!(|text: &str| {
    let path = input_path();
    std::fs::write(path, text).expect("write fuzz input");
    let _ = build(path, &BuildOptions::default(), &mut Sources::default());
    let _ = std::fs::remove_file(path);
});
