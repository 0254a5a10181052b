//! Language editions: the Kosovo programme in en, sq, sr-Latn and sr-Cyrl,
//! from one programme file.

mod common;
use common::*;

use std::process::Command;

use factsheet::diag::Sources;
use factsheet::layout::page::Page;
use factsheet::{BuildOptions, build};
use lopdf::{Document, Object};

const EDITIONS: [(&str, &str); 4] = [
    ("en", "data/kosovo/2024.toml"),
    ("sq", "data/kosovo/2024-sq.toml"),
    ("sr-Latn", "data/kosovo/2024-sr-Latn.toml"),
    ("sr-Cyrl", "data/kosovo/2024-sr-Cyrl.toml"),
];

struct Edition {
    pages: Vec<Page>,
    pdf: Vec<u8>,
    italic: factsheet::fonts::FontId,
}

fn edition(path: &str) -> Edition {
    let mut sources = Sources::default();
    let built = build(&root().join(path), &BuildOptions::default(), &mut sources)
        .unwrap_or_else(|e| panic!("{path}: {e:#?}"));
    let (output, _, resources) = built.value;
    Edition {
        pages: output.pages,
        pdf: output.pdf,
        italic: resources.fonts.id("italic").unwrap(),
    }
}

fn text(pages: &[Page]) -> String {
    pages
        .iter()
        .flat_map(Page::texts)
        .map(|r| r.text())
        .collect()
}

#[test]
fn every_edition_has_its_language_in_the_pdf() {
    for (language, path) in EDITIONS {
        let edition = edition(path);
        assert_eq!(edition.pages.len(), 2, "{language}");
        let pdf = Document::load_mem(&edition.pdf).unwrap();
        let lang = pdf.catalog().unwrap().get(b"Lang").unwrap();
        let Object::String(bytes, _) = lang else {
            panic!("{lang:?}")
        };
        assert_eq!(bytes, language.as_bytes());
    }
}

#[test]
fn place_names_print_in_each_language_s_form() {
    let forms = [
        ("en", "Zvečan"),
        ("sq", "Zveçan"),
        ("sr-Latn", "Zvečan"),
        ("sr-Cyrl", "Звечан"),
    ];
    for ((language, path), (_, form)) in EDITIONS.iter().zip(forms) {
        let all = text(&edition(path).pages);
        assert!(all.contains(form), "{language}: no {form}");
    }
    let sq = text(&edition(EDITIONS[1].1).pages);
    assert!(sq.contains("Mitrovicë") && sq.contains("Podujevë"));
}

#[test]
fn numbers_are_formatted_per_language() {
    let expected = [
        ("en", ["10,292,440 m²", "6,838", "10.29"]),
        ("sq", ["10 292 440 m²", "6838", "10,29"]),
        ("sr-Latn", ["10.292.440 m²", "6.838", "10,29"]),
        ("sr-Cyrl", ["10.292.440 m²", "6.838", "10,29"]),
    ];
    for ((language, path), (_, values)) in EDITIONS.iter().zip(expected) {
        let all = text(&edition(path).pages);
        for value in values {
            assert!(all.contains(value), "{language}: {value:?} missing");
        }
    }
}

#[test]
fn serbian_cyrillic_italic_uses_the_serbian_glyph_forms() {
    let edition = edition(EDITIONS[3].1);
    // Noto Sans Italic: the Russian forms of б г д п т are glyphs 455 457
    // 458 469 472; the Serbian ones (uni04xx.loclSRB) 2411–2415.
    let russian = [455u16, 457, 458, 469, 472];
    let serbian = [2411u16, 2412, 2413, 2414, 2415];
    let mut seen = 0;
    for run in edition
        .pages
        .iter()
        .flat_map(Page::texts)
        .filter(|r| r.font == edition.italic)
    {
        for glyph in &run.glyphs {
            assert!(
                !russian.contains(&glyph.id),
                "Russian form for {:?}",
                glyph.text
            );
            if serbian.contains(&glyph.id) {
                seen += 1;
            }
        }
    }
    assert!(
        seen > 0,
        "no Serbian italic б г д п т in the sr-Cyrl edition"
    );
}

#[test]
fn serbian_and_albanian_text_is_hyphenated_and_english_is_not() {
    let hyphens = |path: &str| {
        edition(path)
            .pages
            .iter()
            .flat_map(Page::texts)
            .flat_map(|r| &r.glyphs)
            .filter(|g| g.text == "\u{ad}")
            .count()
    };
    assert_eq!(hyphens(EDITIONS[0].1), 0, "English is not hyphenated");
    let others: usize = EDITIONS[1..].iter().map(|(_, p)| hyphens(p)).sum();
    assert!(others > 0, "no hyphenation in sq or sr");
}

#[test]
fn output_names_gain_the_language_when_a_programme_has_several() {
    let out = root().join("target/test-scratch/languages-out");
    let _ = std::fs::remove_dir_all(&out);
    let result = Command::new(env!("CARGO_BIN_EXE_factsheet"))
        .args(["build", "-o", out.to_str().unwrap(), "data/kosovo"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let names = file_names(&out);
    assert_eq!(
        names,
        [
            "kosovo-2024-en.pdf",
            "kosovo-2024-sq.pdf",
            "kosovo-2024-sr-Cyrl.pdf",
            "kosovo-2024-sr-Latn.pdf"
        ]
    );
}

#[test]
fn every_translated_sentence_extracts_exactly() {
    for (language, path) in &EDITIONS[1..] {
        let expected = root().join(format!("tests/golden/kosovo-2024-{language}.expected.txt"));
        let expected = std::fs::read_to_string(&expected).unwrap();
        let dir = root().join("target/test-scratch/languages-text");
        std::fs::create_dir_all(&dir).unwrap();
        let pdf_path = dir.join(format!("{language}.pdf"));
        std::fs::write(&pdf_path, edition(path).pdf).unwrap();
        let Ok(out) = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf_path)
            .arg("-")
            .output()
        else {
            eprintln!("skipped: pdftotext (poppler-utils) is not installed");
            return;
        };
        // Soft hyphens at line ends join their word again, as a reader's search would.
        let extracted = String::from_utf8(out.stdout)
            .unwrap()
            .replace("\u{ad}\n", "")
            .replace(['\u{2019}', '\u{2018}'], "'");
        let extracted = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
        let missing: Vec<&str> = expected
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .filter(|l| {
                let line = l.replace(['\u{2019}', '\u{2018}'], "'");
                !extracted.contains(&line.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{language}: not extracted: {missing:#?}"
        );
    }
}
