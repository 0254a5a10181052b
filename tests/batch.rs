//! Batch builds: many programmes and years in one command, results computed
//! from the history, one broken file never stopping the others.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

use factsheet::diag::Sources;

/// Yearly results of the fixture programme "Alphaland", 2019–2023:
/// land, items, beneficiaries, tasks.
const HISTORY: [(u16, [u64; 4]); 5] = [
    (2019, [1_000_000, 10, 100, 1]),
    (2020, [2_000_000, 20, 200, 2]),
    (2021, [3_000_000, 30, 300, 3]),
    (2022, [4_000_000, 40, 400, 4]),
    (2023, [5_000_000, 50, 500, 5]),
];

/// A programme file for `country` with the Kosovo indicators, links and
/// contacts, and `HISTORY` as its results.
fn programme(country: &str) -> String {
    let kosovo = std::fs::read_to_string(root().join("data/kosovo/programme.toml")).unwrap();
    let cut = kosovo.find("# Results history").unwrap();
    let links = kosovo.find("# MORE INFORMATION").unwrap();
    let head = &kosovo[..cut];
    let programme_table = head.find("[programme]").unwrap();
    let places = head.find("# Place names").unwrap();
    let mut text = format!(
        "{}[programme]\ncountry = \"{country}\"\norganisation = \"Norwegian People's Aid\"\n\n{}",
        &head[..programme_table],
        &head[places..]
    );
    for (year, [land, items, people, tasks]) in HISTORY {
        text.push_str(&format!(
            "[[results]]\nyear = {year}\nvalues = {{ land_released = {land}, items_destroyed = {items}, beneficiaries = {people}, tasks_completed = {tasks} }}\n\n"
        ));
    }
    text.push_str(&kosovo[links..]);
    text
}

/// The Kosovo 2024 edition text, as the edition of `year`.
fn edition(year: u16) -> String {
    let kosovo = std::fs::read_to_string(root().join("data/kosovo/2024.toml")).unwrap();
    kosovo
        .replace("year = 2024", &format!("year = {year}"))
        .replace("results_year = 2023\n", "")
        .replace(
            "data_as_of = 2023-12-31",
            &format!("data_as_of = {}-12-31", year - 1),
        )
}

/// data/alpha/{2021..2024}.toml, data/beta/{2022,2023}.toml, beta/2024.toml broken.
fn fixture(dir: &Path) {
    for (folder, country, years) in [
        ("alpha", "Alphaland", 2021..=2024),
        ("beta", "Betaland", 2022..=2023),
    ] {
        let folder = dir.join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("programme.toml"), programme(country)).unwrap();
        for year in years {
            std::fs::write(folder.join(format!("{year}.toml")), edition(year)).unwrap();
        }
    }
    let broken = edition(2024).replace("language = \"en\"", "language = \"en");
    std::fs::write(dir.join("beta/2024.toml"), broken).unwrap();
}

fn factsheet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factsheet"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn a_folder_builds_every_edition_and_one_broken_file_stops_nothing() {
    let dir = scratch("batch-folder");
    fixture(&dir.join("data"));
    let out = dir.join("out");
    let result = factsheet(&[
        "build",
        "--diagnostic-format",
        "short",
        "--jobs",
        "2",
        "-o",
        out.to_str().unwrap(),
        dir.join("data").to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    for name in [
        "alphaland-2021.pdf",
        "alphaland-2022.pdf",
        "alphaland-2023.pdf",
        "alphaland-2024.pdf",
        "betaland-2022.pdf",
        "betaland-2023.pdf",
    ] {
        let pdf =
            std::fs::read(out.join(name)).unwrap_or_else(|_| panic!("{name} missing\n{stderr}"));
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        6,
        "only the six PDFs"
    );
    let line = edition(2024)
        .lines()
        .position(|l| l.starts_with("language = "))
        .unwrap()
        + 1;
    let broken = format!("beta/2024.toml:{line}:");
    assert!(stderr.contains(&broken), "{stderr}");
    assert!(stderr.contains(": error: invalid basic string"), "{stderr}");
    assert!(stderr.contains("built 6 of 7, 1 failed: "), "{stderr}");
    assert!(stderr.trim_end().ends_with("beta/2024.toml"), "{stderr}");
}

#[test]
fn globs_and_all_select_editions() {
    let dir = scratch("batch-glob");
    fixture(&dir.join("data"));
    let out = dir.join("out");
    let pattern = format!("{}/alpha/202[23].toml", dir.join("data").display());
    let result = factsheet(&["build", "-o", out.to_str().unwrap(), &pattern]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let names = file_names(&out);
    assert_eq!(names, ["alphaland-2022.pdf", "alphaland-2023.pdf"]);
}

#[test]
fn two_inputs_writing_one_file_is_an_error_before_anything_is_built() {
    let dir = scratch("batch-clash");
    fixture(&dir.join("data"));
    let copy = dir.join("data/alpha/copy-of-2022.toml");
    std::fs::copy(dir.join("data/alpha/2022.toml"), &copy).unwrap();
    let out = dir.join("out");
    let result = factsheet(&[
        "build",
        "-o",
        out.to_str().unwrap(),
        dir.join("data/alpha").to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("would all write `alphaland-2022.pdf`"),
        "{stderr}"
    );
    assert!(
        !out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(),
        "something was built"
    );
    // A name pattern that tells them apart resolves it… not here: same year and
    // country. The hint says so; check it is there.
    assert!(stderr.contains("hint: "), "{stderr}");
}

#[test]
fn a_past_edition_shows_the_sums_of_the_history() {
    let dir = scratch("batch-history");
    fixture(&dir.join("data"));
    let mut sources = Sources::default();
    let loaded = factsheet::load(&dir.join("data/alpha/2022.toml"), &mut sources).unwrap();
    let tables = &loaded.edition.results;
    // The 2022 edition reports 2021 and 2019–2021.
    assert_eq!((tables[0].first, tables[0].last), (2021, 2021));
    assert_eq!(tables[0].values, HISTORY[2].1.to_vec());
    assert_eq!((tables[1].first, tables[1].last), (2019, 2021));
    let sum: Vec<u64> = (0..4)
        .map(|i| HISTORY[..3].iter().map(|(_, v)| v[i]).sum())
        .collect();
    assert_eq!(tables[1].values, sum);
    assert!(tables[1].key_figures);
}

#[test]
fn a_typed_total_that_disagrees_with_the_history_names_both_figures() {
    let dir = scratch("batch-total");
    fixture(&dir.join("data"));
    let path = dir.join("data/alpha/programme.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n[[results]]\nfirst = 2019\nlast = 2023\nvalues = { land_released = 15_000_001, items_destroyed = 150, beneficiaries = 1_500, tasks_completed = 15 }\n",
    );
    std::fs::write(&path, text).unwrap();
    let result = factsheet(&[
        "check",
        "--diagnostic-format",
        "short",
        dir.join("data/alpha/2024.toml").to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains(
            "programme.toml:1"
        ) && stderr.contains(
            "error: `land_released` for 2019–2023 is 15000001 m², but the periods it covers add up to 15000000 m²"
        ),
        "{stderr}"
    );
}

#[test]
fn the_write_path_never_leaves_a_partial_file() {
    let dir = scratch("batch-atomic");
    // The target is a folder: the rename fails, the temporary file goes.
    let target = dir.join("x.pdf");
    std::fs::create_dir_all(&target).unwrap();
    assert!(factsheet::cli::write_atomically(&target, b"%PDF-new").is_err());
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("x.pdf")],
        "temporary file left behind"
    );
    // A good write replaces the old file whole.
    let file = dir.join("y.pdf");
    std::fs::write(&file, b"old").unwrap();
    factsheet::cli::write_atomically(&file, b"%PDF-new").unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), b"%PDF-new");
}
