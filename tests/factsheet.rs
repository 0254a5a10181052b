//! End-to-end tests of the default factsheet: the page description (layout
//! snapshot, margins, grid, keeps) and the PDF (text, links, page size,
//! fonts, measured = drawn widths, determinism).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::process::Command;

use factsheet::diag::Sources;
use factsheet::fonts::FontBook;
use factsheet::layout::page::{ElementId, Item, Page, Role, Structure, dump};
use factsheet::template::mm;
use factsheet::{BuildOptions, build};
use lopdf::{Document, Object};

/// The default factsheet, built in process.
struct Built {
    pages: Vec<Page>,
    structure: Structure,
    pdf: Vec<u8>,
    fonts: FontBook,
}

fn kosovo() -> Built {
    let mut sources = Sources::default();
    let input = root().join("data/kosovo/2024.toml");
    match build(&input, &BuildOptions::default(), &mut sources) {
        Ok(built) => {
            assert!(built.warnings.is_empty(), "{:?}", built.warnings);
            let (output, _, resources) = built.value;
            Built {
                pages: output.pages,
                structure: output.structure,
                pdf: output.pdf,
                fonts: resources.fonts,
            }
        }
        Err(errors) => panic!("{errors:#?}"),
    }
}

fn all_text(pages: &[Page]) -> String {
    pages
        .iter()
        .flat_map(Page::texts)
        .map(|run| run.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn layout_snapshot_matches_golden() {
    let output = kosovo();
    let actual = dump(&output.pages, &output.fonts);
    let golden = root().join("tests/golden/kosovo-2024.layout.txt");
    if std::env::var_os("UPDATE").is_some() {
        std::fs::write(&golden, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&golden)
        .expect("no golden layout: run `UPDATE=1 cargo test --test factsheet` once");
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(0);
        panic!(
            "layout changed (first difference at line {}):\n  expected: {}\n  actual:   {}\nrun with UPDATE=1 to accept",
            first + 1,
            expected.lines().nth(first).unwrap_or(""),
            actual.lines().nth(first).unwrap_or("")
        );
    }
}

#[test]
fn two_pages_of_a4() {
    let output = kosovo();
    assert_eq!(output.pages.len(), 2);
    for page in &output.pages {
        assert!((page.width - 595.28).abs() < 0.01 && (page.height - 841.89).abs() < 0.01);
    }
    let pdf = Document::load_mem(&output.pdf).unwrap();
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 2);
    for id in pages.values() {
        let media = media_box(&pdf, *id);
        let expected = [0.0, 0.0, 595.28, 841.89];
        for (got, want) in media.iter().zip(expected) {
            assert!((got - want).abs() < 0.01, "MediaBox {media:?}");
        }
    }
}

fn media_box(pdf: &Document, page: lopdf::ObjectId) -> Vec<f64> {
    let dict = pdf.get_dictionary(page).unwrap();
    let array = dict.get(b"MediaBox").unwrap().as_array().unwrap();
    array.iter().map(number).collect()
}

fn number(object: &Object) -> f64 {
    match object {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn nothing_is_set_past_a_margin() {
    let output = kosovo();
    let (left, right) = (mm(15.0), mm(195.0));
    for (n, page) in output.pages.iter().enumerate() {
        for run in page.texts() {
            let text = run.text();
            let ink_right = run.origin.x + run.width;
            // The title hangs its first letter's side bearing (under 0.1 em)
            // into the margin, so its stem lines up with the kicker.
            let hang = if run.size > 30.0 { 0.1 * run.size } else { 0.0 };
            assert!(
                run.origin.x >= left - hang - 0.01,
                "p{} {text:?} starts at {}",
                n + 1,
                run.origin.x
            );
            assert!(
                ink_right <= right + 0.01,
                "p{} {text:?} ends at {ink_right}",
                n + 1
            );
            assert!(
                run.origin.y <= mm(284.0) + 0.01,
                "p{} {text:?} below the footer",
                n + 1
            );
        }
    }
}

#[test]
fn column_baselines_fall_on_the_half_grid() {
    let output = kosovo();
    // First baselines of the frames on each page (mm), as in the template.
    let origins = [mm(104.9), mm(34.2)];
    for (n, page) in output.pages.iter().enumerate() {
        for run in page.texts() {
            let in_columns = run.origin.y >= origins[n] - 0.01 && run.origin.y <= mm(277.0);
            if !in_columns {
                continue;
            }
            let steps = (run.origin.y - origins[n]) / 7.0;
            assert!(
                (steps - steps.round()).abs() < 1e-6,
                "p{} {:?} at y {} is off the 7 pt grid",
                n + 1,
                run.text(),
                run.origin.y
            );
        }
    }
}

#[test]
fn headings_keep_with_two_lines_of_their_text() {
    let output = kosovo();
    for page in &output.pages {
        let runs: Vec<_> = page.texts().collect();
        for heading in runs
            .iter()
            .filter(|r| ["CONTEXT", "PROGRAMME", "DONORS AND FUNDING"].contains(&r.text().trim()))
        {
            let below = runs
                .iter()
                .filter(|r| {
                    (r.origin.x - heading.origin.x).abs() < 0.01 && r.origin.y > heading.origin.y
                })
                .map(|r| r.origin.y)
                .fold(Vec::new(), |mut ys, y| {
                    if !ys.iter().any(|v: &f64| (v - y).abs() < 0.01) {
                        ys.push(y);
                    }
                    ys
                });
            assert!(
                below.len() >= 2,
                "{:?} has {} lines after it on its page",
                heading.text(),
                below.len()
            );
        }
    }
}

#[test]
fn main_flow_breaks_between_paragraphs_as_designed() {
    let output = kosovo();
    let page1 = all_text(&output.pages[..1]);
    let page2 = all_text(&output.pages[1..]);
    assert!(page1.contains("Albanian communities."), "{page1}");
    assert!(page2.contains("During this time NPA"), "{page2}");
    assert!(page2.contains("DONORS AND FUNDING"));
}

#[test]
fn numbers_are_formatted_from_numbers() {
    let output = kosovo();
    let text = all_text(&output.pages);
    // No-break spaces copy as plain spaces (see fonts::cluster_text).
    for value in ["10,292,440 m²", "1,192,676 m²", "6,838", "10.29"] {
        assert!(text.contains(value), "{value:?} missing");
    }
}

#[test]
fn links_are_annotations_over_their_printed_text() {
    let output = kosovo();
    let mut targets: Vec<String> = output
        .pages
        .iter()
        .flat_map(|p| p.links().map(|(_, url)| url.to_string()))
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            "https://facebook.com/npa.kosovo",
            "https://npaid.org/kosovo",
            "https://www.mineactionreview.org/country/kosovo",
            "mailto:Kyawhtut396@npaid.org",
            "mailto:clausn@npaid.org",
            "mailto:hansr@npaid.org",
        ]
    );
    // Each link rectangle covers text of the link colour, and no more than it.
    for page in &output.pages {
        for (rect, url) in page.links() {
            let covered: Vec<_> = page
                .texts()
                .filter(|r| r.origin.y > rect.y && r.origin.y < rect.bottom())
                .filter(|r| {
                    r.origin.x >= rect.x - 0.01 && r.origin.x + r.width <= rect.right() + 0.01
                })
                .collect();
            assert!(!covered.is_empty(), "{url}: no text under the link");
            let ink: f64 = covered.iter().map(|r| r.width).sum();
            assert!(
                (ink - rect.width).abs() < 0.01,
                "{url}: {ink} vs {}",
                rect.width
            );
        }
    }
    // And in the PDF: URI actions, no visible border.
    let pdf = Document::load_mem(&output.pdf).unwrap();
    let mut uris = Vec::new();
    for page in pdf.get_pages().values() {
        for annot in annotations(&pdf, *page) {
            assert_eq!(annot.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let border: Vec<f64> = annot
                .get(b"Border")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(number)
                .collect();
            assert_eq!(border[2], 0.0, "visible border");
            let action = annot.get(b"A").unwrap().as_dict().unwrap();
            uris.push(
                String::from_utf8(action.get(b"URI").unwrap().as_str().unwrap().to_vec()).unwrap(),
            );
        }
    }
    uris.sort();
    assert_eq!(uris, targets);
}

fn annotations(pdf: &Document, page: lopdf::ObjectId) -> Vec<lopdf::Dictionary> {
    let dict = pdf.get_dictionary(page).unwrap();
    let Ok(annots) = dict.get(b"Annots") else {
        return Vec::new();
    };
    let annots = match annots {
        Object::Reference(id) => pdf.get_object(*id).unwrap().as_array().unwrap().clone(),
        other => other.as_array().unwrap().clone(),
    };
    annots
        .iter()
        .map(|a| match a {
            Object::Reference(id) => pdf.get_dictionary(*id).unwrap().clone(),
            Object::Dictionary(d) => d.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn resolve<'a>(pdf: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => pdf.get_object(*id).unwrap(),
        other => other,
    }
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    let output = kosovo();
    let pdf = Document::load_mem(&output.pdf).unwrap();
    let mut fonts = 0;
    for (_, object) in pdf.objects.iter() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font".as_slice())
            || dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice())
        {
            continue;
        }
        fonts += 1;
        let name =
            String::from_utf8(dict.get(b"BaseFont").unwrap().as_name().unwrap().to_vec()).unwrap();
        let (tag, _) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{name}"
        );
        assert!(dict.get(b"ToUnicode").is_ok(), "{name} has no ToUnicode");
        let descendants = resolve(&pdf, dict.get(b"DescendantFonts").unwrap())
            .as_array()
            .unwrap();
        let cid = resolve(&pdf, &descendants[0]).as_dict().unwrap();
        let descriptor = resolve(&pdf, cid.get(b"FontDescriptor").unwrap())
            .as_dict()
            .unwrap();
        assert!(
            descriptor.get(b"FontFile2").is_ok(),
            "{name} is not embedded"
        );
    }
    assert_eq!(fonts, 3, "regular, semibold and bold are used");
}

/// Widths of every TJ array of a page, from the font's /W widths and the
/// array's numbers: what a viewer actually advances.
fn drawn_widths(pdf: &Document, page: lopdf::ObjectId) -> Vec<f64> {
    let fonts = pdf.get_page_fonts(page).unwrap();
    let mut widths_by_font: BTreeMap<Vec<u8>, BTreeMap<u32, f64>> = BTreeMap::new();
    for (name, font) in &fonts {
        let descendants = resolve(pdf, font.get(b"DescendantFonts").unwrap())
            .as_array()
            .unwrap();
        let cid = resolve(pdf, &descendants[0]).as_dict().unwrap();
        let w = resolve(pdf, cid.get(b"W").unwrap()).as_array().unwrap();
        let mut map = BTreeMap::new();
        let mut i = 0;
        while i < w.len() {
            let first = number(&w[i]) as u32;
            match &w[i + 1] {
                Object::Array(list) => {
                    for (k, width) in list.iter().enumerate() {
                        map.insert(first + k as u32, number(width));
                    }
                    i += 2;
                }
                last => {
                    for code in first..=number(last) as u32 {
                        map.insert(code, number(&w[i + 2]));
                    }
                    i += 3;
                }
            }
        }
        widths_by_font.insert(name.clone(), map);
    }
    let content = pdf.get_and_decode_page_content(page).unwrap();
    let (mut font, mut size) = (Vec::new(), 0.0);
    let mut out = Vec::new();
    for op in content.operations {
        match op.operator.as_str() {
            "Tf" => {
                font = op.operands[0].as_name().unwrap().to_vec();
                size = number(&op.operands[1]);
            }
            "TJ" => {
                let widths = &widths_by_font[&font];
                let mut total = 0.0;
                for element in op.operands[0].as_array().unwrap() {
                    match element {
                        Object::String(bytes, _) => {
                            for pair in bytes.chunks(2) {
                                let code = u32::from(pair[0]) << 8 | u32::from(pair[1]);
                                total +=
                                    widths.get(&code).copied().unwrap_or(1000.0) / 1000.0 * size;
                            }
                        }
                        n => total -= number(n) / 1000.0 * size,
                    }
                }
                out.push(total);
            }
            _ => {}
        }
    }
    out
}

#[test]
fn measured_width_equals_drawn_width() {
    let output = kosovo();
    let pdf = Document::load_mem(&output.pdf).unwrap();
    for (page, id) in output.pages.iter().zip(pdf.get_pages().values()) {
        let measured: Vec<f64> = page.texts().map(|r| r.width).collect();
        let drawn = drawn_widths(&pdf, *id);
        assert_eq!(measured.len(), drawn.len(), "one TJ per text run");
        for (m, d) in measured.iter().zip(&drawn) {
            assert!((m - d).abs() < 0.01, "measured {m} pt, drawn {d} pt");
        }
    }
}

#[test]
fn kerning_is_applied() {
    let output = kosovo();
    let kerned = output
        .pages
        .iter()
        .flat_map(Page::texts)
        .flat_map(|r| &r.glyphs)
        .filter(|g| (g.advance - g.font_advance).abs() > 1e-6)
        .count();
    assert!(kerned > 50, "only {kerned} glyphs kerned or tracked");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let first = kosovo().pdf;
    let second = kosovo().pdf;
    assert!(first == second, "two builds in one process differ");
    assert!(first.starts_with(b"%PDF-"));
    assert!(first.len() < 100_000, "{} bytes", first.len());
}

#[test]
fn every_page_item_is_traceable_or_furniture() {
    let output = kosovo();
    let traced = output
        .pages
        .iter()
        .flat_map(Page::texts)
        .filter(|r| r.src.is_some())
        .count();
    let total = output.pages.iter().flat_map(Page::texts).count();
    assert!(
        traced * 10 >= total * 8,
        "{traced} of {total} runs carry a source span"
    );
    let images = output
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, Item::Image { .. }))
        .count();
    assert_eq!(images, 2, "the logo in the band and in the running head");
}

/// Lines of the expected-text file, whitespace collapsed, quotes folded.
fn normalise(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_seed_sentence_extracts_from_the_pdf() {
    let Some(text) = pdftotext(&kosovo().pdf) else {
        eprintln!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    };
    let text = normalise(&text);
    let expected =
        std::fs::read_to_string(root().join("tests/golden/kosovo-2024.expected.txt")).unwrap();
    let missing: Vec<&str> = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| !text.contains(&normalise(l)))
        .collect();
    assert!(missing.is_empty(), "not extracted: {missing:#?}");
}

fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = scratch("pdftotext");
    let path = dir.join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The Kosovo programme and 2024 edition as one self-contained file.
fn standalone() -> String {
    let programme = std::fs::read_to_string(root().join("data/kosovo/programme.toml")).unwrap();
    let edition = std::fs::read_to_string(root().join("data/kosovo/2024.toml")).unwrap();
    format!("{programme}\n{edition}")
}

#[test]
fn cli_builds_the_default_factsheet() {
    let out_dir = scratch("cli-default");
    let out = factsheet(&["build", "-o", out_dir.to_str().unwrap()], &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(out_dir.join("kosovo-2024-en.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("kosovo-2024-en.pdf (2 pages"), "{stdout}");
}

#[test]
fn malformed_data_is_reported_at_file_line_column_and_writes_nothing() {
    let dir = scratch("malformed");
    let good = standalone();
    let bad = good.replace("year = 2024", "year = \"2024\"");
    let line = bad
        .lines()
        .position(|l| l.starts_with("year = \"2024\""))
        .unwrap()
        + 1;
    let input = dir.join("bad.toml");
    std::fs::write(&input, bad).unwrap();
    let out_dir = dir.join("out");
    let out = factsheet(
        &[
            "build",
            "--diagnostic-format",
            "short",
            "-o",
            out_dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "bad.toml:{line}:8: error: expected a whole number"
        )),
        "{stderr}"
    );
    assert!(
        !out_dir.exists() || std::fs::read_dir(&out_dir).unwrap().next().is_none(),
        "a file was written"
    );
}

#[test]
fn a_failed_build_leaves_an_existing_pdf_untouched() {
    let dir = scratch("untouched");
    let good = standalone();
    let input = dir.join("kosovo.toml");
    std::fs::write(
        &input,
        good.replace("url = \"https://npaid.org/kosovo\"", "url = \"#\""),
    )
    .unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("kosovo-2024.pdf"), b"old").unwrap();
    let out = factsheet(
        &[
            "build",
            "-o",
            out_dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read(out_dir.join("kosovo-2024.pdf")).unwrap(),
        b"old"
    );
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let out = factsheet(&["build", "--overflow", "sideways"], &root());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_explains_the_commands() {
    let out = factsheet(&["--help"], &root());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("build") && help.contains("check"), "{help}");
    use clap::CommandFactory;
    factsheet::cli::Cli::command().debug_assert();
}

#[test]
fn overflow_is_an_error_naming_flow_section_and_amount_unless_flow_is_asked() {
    let dir = scratch("overflow");
    let good = standalone();
    let extra = "\n\nNPA has expanded to the current 110 staff members, including one expatriate, and employs eight multi-gender and multi-ethnic teams in northern Kosovo.".repeat(12);
    let long = good.replacen(
        "Kosovo Albanians.\n\"\"\"",
        &format!("Kosovo Albanians.{extra}\n\"\"\""),
        1,
    );
    let input = dir.join("long.toml");
    std::fs::write(&input, long).unwrap();
    let out_dir = dir.join("out");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "build",
            "--diagnostic-format",
            "short",
            "-o",
            out_dir.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        a.push(input.to_str().unwrap());
        factsheet(&a.iter().map(|s| &**s).collect::<Vec<_>>(), &root())
    };
    let out = args(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: main flow overflows page 2 by "),
        "{stderr}"
    );
    assert!(stderr.contains("lines, in PROGRAMME"), "{stderr}");
    let out = args(&["--overflow", "flow"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(3 pages"));
}

/// The text of an element and its descendants, in page order.
fn element_text(built: &Built, element: ElementId) -> String {
    built
        .pages
        .iter()
        .flat_map(Page::texts)
        .filter(|r| {
            let mut tag = r.tag;
            while let Some(t) = tag {
                if t == element {
                    return true;
                }
                tag = built.structure.elements[t].parent;
            }
            false
        })
        .map(|r| format!("{}/{:?}\u{0}{}", r.origin.y, r.tag, r.text()))
        .fold((String::new(), String::new()), |(text, y), run| {
            let (run_y, run_text) = run.split_once('\u{0}').unwrap();
            let gap = if y.is_empty() || y == run_y { "" } else { " " };
            (format!("{text}{gap}{run_text}"), run_y.to_string())
        })
        .0
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reading_order_is_title_key_figures_main_then_side_page_by_page() {
    let built = kosovo();
    let top: Vec<(Role, String)> = built
        .structure
        .children(Structure::ROOT, &built.pages)
        .into_iter()
        .map(|e| (built.structure.elements[e].role, element_text(&built, e)))
        .collect();
    let starts: Vec<(Role, &str)> = vec![
        (Role::Figure, ""),
        (Role::H1, "2024 FACTSHEET Kosovo"),
        (
            Role::Sect,
            "OVERALL RESULTS (2017–2023) 10.29 km² Land released",
        ),
        (Role::Sect, "CONTEXT Kosovo continues"),
        (Role::Sect, "PROGRAMME NPA was re-established"),
        (Role::Table, "2023 RESULTS 1,192,676 m² Land released"),
        (
            Role::Table,
            "OVERALL RESULTS (2017–2023) 10,292,440 m² Land released",
        ),
        (Role::Sect, "DONORS AND FUNDING We thank"),
        (Role::Sect, "MORE INFORMATION Programme webpage"),
        (Role::Sect, "CONTACT Claus Nielsen"),
    ];
    assert_eq!(top.len(), starts.len(), "{top:#?}");
    for ((role, text), (want_role, want_start)) in top.iter().zip(&starts) {
        assert_eq!(role, want_role, "{text}");
        assert!(
            text.starts_with(want_start),
            "{role:?}: {text:?} should start with {want_start:?}"
        );
    }
    // PROGRAMME keeps its paragraphs on page 2 (it spans the page break).
    assert!(top[4].1.ends_with("Kosovo Albanians."), "{}", top[4].1);
}

#[test]
fn running_heads_footers_and_decoration_are_artifacts() {
    let built = kosovo();
    for (n, page) in built.pages.iter().enumerate() {
        for run in page.texts() {
            let furniture = run.origin.y > mm(280.0) || (n > 0 && run.origin.y < mm(25.0));
            assert_eq!(run.tag.is_none(), furniture, "p{} {:?}", n + 1, run.text());
        }
    }
    // Every link annotation belongs to a Link element.
    for page in &built.pages {
        for item in &page.items {
            if let Item::Link { tag, url, .. } = item {
                let tag = tag.unwrap_or_else(|| panic!("{url} untagged"));
                assert_eq!(built.structure.elements[tag].role, Role::Link);
            }
        }
    }
}

#[test]
fn headings_do_not_skip_levels_and_table_cells_have_headers() {
    let built = kosovo();
    let order = built.structure.reading_order(&built.pages);
    let headings: Vec<Role> = order
        .iter()
        .map(|(e, _)| built.structure.elements[*e].role)
        .filter(|r| matches!(r, Role::H1 | Role::H2))
        .collect();
    assert_eq!(headings[0], Role::H1);
    assert!(headings[1..].iter().all(|r| *r == Role::H2));
    for (element, _) in &order {
        if built.structure.elements[*element].role != Role::TR {
            continue;
        }
        let cells: Vec<Role> = built
            .structure
            .children(*element, &built.pages)
            .iter()
            .map(|c| built.structure.elements[*c].role)
            .collect();
        assert_eq!(cells, [Role::TH, Role::TD]);
    }
}
