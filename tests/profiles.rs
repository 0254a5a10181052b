//! The output profiles of the default factsheet: screen (small RGB with
//! links), print (CMYK, bleed, PDF/X-4 structure) and archive (PDF/A-2b and
//! 1b structure). Read back with lopdf; nothing outside the repository is
//! needed (the CI script runs the external validators).

mod common;
use common::*;

use factsheet::diag::Sources;
use factsheet::render::{PdfA, Profile};
use factsheet::template::mm;
use factsheet::{BuildOptions, Output, build};
use lopdf::{Dictionary, Document, Object, ObjectId};

const PRINT: Profile = Profile::Print { crop_marks: false };
const PRINT_MARKS: Profile = Profile::Print { crop_marks: true };
const ARCHIVE_2B: Profile = Profile::Archive { pdfa: PdfA::A2b };
const ARCHIVE_1B: Profile = Profile::Archive { pdfa: PdfA::A1b };
const A4: (f64, f64) = (595.2756, 841.8898);

fn kosovo(profile: Profile) -> Output {
    let mut sources = Sources::default();
    let options = BuildOptions {
        profile: Some(profile),
        ..BuildOptions::default()
    };
    match build(
        &root().join("data/kosovo/2024.toml"),
        &options,
        &mut sources,
    ) {
        Ok(built) => {
            assert!(built.warnings.is_empty(), "{:?}", built.warnings);
            built.value.0
        }
        Err(errors) => panic!("{errors:#?}"),
    }
}

fn load(output: &Output) -> Document {
    Document::load_mem(&output.pdf).unwrap()
}

fn number(object: &Object) -> f64 {
    match object {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        other => panic!("not a number: {other:?}"),
    }
}

fn resolve<'a>(pdf: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => pdf.get_object(*id).unwrap(),
        other => other,
    }
}

fn page_box(pdf: &Document, page: ObjectId, name: &[u8]) -> Option<[f64; 4]> {
    let dict = pdf.get_dictionary(page).unwrap();
    let array = resolve(pdf, dict.get(name).ok()?).as_array().unwrap();
    Some(std::array::from_fn(|i| number(&array[i])))
}

fn contains(outer: [f64; 4], inner: [f64; 4]) -> bool {
    const EPS: f64 = 0.01;
    outer[0] <= inner[0] + EPS
        && outer[1] <= inner[1] + EPS
        && outer[2] >= inner[2] - EPS
        && outer[3] >= inner[3] - EPS
}

fn catalog(pdf: &Document) -> &Dictionary {
    pdf.catalog().unwrap()
}

fn xmp(pdf: &Document) -> String {
    let id = catalog(pdf)
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = pdf.get_object(id).unwrap().as_stream().unwrap();
    assert!(
        stream.dict.get(b"Filter").is_err(),
        "the XMP stream must not be filtered (PDF/A-1)"
    );
    String::from_utf8(stream.content.clone()).unwrap()
}

/// The output intent's subtype and its profile's number of components.
fn output_intent(pdf: &Document) -> (Vec<u8>, i64) {
    let intents = resolve(pdf, catalog(pdf).get(b"OutputIntents").unwrap())
        .as_array()
        .unwrap();
    assert_eq!(intents.len(), 1);
    let intent = resolve(pdf, &intents[0]).as_dict().unwrap();
    let subtype = intent.get(b"S").unwrap().as_name().unwrap().to_vec();
    let profile = intent
        .get(b"DestOutputProfile")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = pdf.get_object(profile).unwrap().as_stream().unwrap();
    let icc = stream
        .decompressed_content()
        .unwrap_or(stream.content.clone());
    assert_eq!(&icc[36..40], b"acsp", "an ICC profile");
    let components = stream.dict.get(b"N").unwrap().as_i64().unwrap();
    (subtype, components)
}

/// Text strings in Info are PDFDocEncoding/ASCII literals or UTF-16BE.
fn info_text(pdf: &Document, key: &[u8]) -> String {
    let info = pdf.trailer.get(b"Info").unwrap();
    let info = resolve(pdf, info).as_dict().unwrap();
    let Object::String(bytes, _) = info.get(key).unwrap() else {
        panic!("Info {key:?} is not a string")
    };
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8(bytes.clone()).unwrap()
    }
}

fn operators(pdf: &Document, page: ObjectId) -> Vec<lopdf::content::Operation> {
    pdf.get_and_decode_page_content(page).unwrap().operations
}

fn images(pdf: &Document) -> Vec<&Dictionary> {
    pdf.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| &s.dict)
        .filter(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()))
        .collect()
}

fn annotation_count(pdf: &Document, page: ObjectId) -> usize {
    let dict = pdf.get_dictionary(page).unwrap();
    dict.get(b"Annots")
        .map_or(0, |a| resolve(pdf, a).as_array().unwrap().len())
}

#[test]
fn print_boxes_nest_with_trim_a4_and_3_mm_bleed() {
    for profile in [PRINT, PRINT_MARKS] {
        let output = kosovo(profile);
        let pdf = load(&output);
        for page in pdf.get_pages().into_values() {
            let media = page_box(&pdf, page, b"MediaBox").unwrap();
            let bleed = page_box(&pdf, page, b"BleedBox").expect("a BleedBox");
            let trim = page_box(&pdf, page, b"TrimBox").expect("a TrimBox");
            assert!(contains(media, bleed), "{media:?} ⊇ {bleed:?}");
            assert!(contains(bleed, trim), "{bleed:?} ⊇ {trim:?}");
            assert!((trim[2] - trim[0] - A4.0).abs() < 0.01, "trim {trim:?}");
            assert!((trim[3] - trim[1] - A4.1).abs() < 0.01, "trim {trim:?}");
            for i in 0..2 {
                assert!((trim[i] - bleed[i] - mm(3.0)).abs() < 0.01, "{bleed:?}");
                assert!(
                    (bleed[i + 2] - trim[i + 2] - mm(3.0)).abs() < 0.01,
                    "{bleed:?}"
                );
            }
            assert!(page_box(&pdf, page, b"CropBox").is_none());
            if profile == PRINT_MARKS {
                // Room for the crop marks outside the bleed.
                assert!((bleed[0] - media[0] - mm(7.0)).abs() < 0.01, "{media:?}");
            } else {
                assert_eq!(media, bleed);
            }
        }
    }
}

#[test]
fn print_content_uses_no_rgb_colour_and_black_text_is_k_only() {
    let pdf = load(&kosovo(PRINT));
    for page in pdf.get_pages().into_values() {
        let ops = operators(&pdf, page);
        let mut in_text = false;
        let mut cmyk = 0;
        for op in &ops {
            match op.operator.as_str() {
                "rg" | "RG" | "sc" | "SC" | "scn" | "SCN" | "cs" | "CS" => {
                    panic!("colour operator {} in a print file", op.operator)
                }
                "BT" => in_text = true,
                "ET" => in_text = false,
                "k" | "K" => {
                    cmyk += 1;
                    let v: Vec<f64> = op.operands.iter().map(number).collect();
                    if in_text && v[3] >= 1.0 {
                        assert_eq!(v, [0.0, 0.0, 0.0, 1.0], "rich black text");
                    }
                }
                _ => {}
            }
        }
        assert!(cmyk > 10, "only {cmyk} CMYK colour operators");
    }
}

#[test]
fn print_band_runs_into_the_bleed_and_links_are_gone() {
    let pdf = load(&kosovo(PRINT));
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let ops = operators(&pdf, pages[0]);
    // The band is the first rectangle: it starts 3 mm left of the trim
    // (trim coordinates, after the one translate) and is 6 mm wider.
    let band = ops.iter().find(|op| op.operator == "re").unwrap();
    let band: Vec<f64> = band.operands.iter().map(number).collect();
    assert!((band[0] + mm(3.0)).abs() < 0.01, "{band:?}");
    assert!((band[2] - A4.0 - mm(6.0)).abs() < 0.01, "{band:?}");
    assert_eq!(ops[0].operator, "q");
    assert_eq!(ops[1].operator, "cm");
    for page in pages {
        assert_eq!(annotation_count(&pdf, page), 0, "PDF/X: no annotations");
    }
}

#[test]
fn print_has_a_pdfx4_claim_and_a_cmyk_output_intent() {
    let output = kosovo(PRINT);
    assert!(output.pdf.starts_with(b"%PDF-1.6"));
    let pdf = load(&output);
    assert_eq!(output_intent(&pdf), (b"GTS_PDFX".to_vec(), 4));
    let x = xmp(&pdf);
    assert!(x.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
    assert!(x.contains("<pdf:Trapped>False</pdf:Trapped>"));
    assert_eq!(info_text(&pdf, b"GTS_PDFXVersion"), "PDF/X-4");
    // The logo's colours are the template's CMYK values, not RGB.
    for image in images(&pdf) {
        let space = format!("{:?}", image.get(b"ColorSpace").unwrap());
        assert!(!space.contains("DeviceRGB"), "{space}");
    }
}

#[test]
fn archive_2b_has_xmp_matching_info_and_an_srgb_output_intent() {
    let output = kosovo(ARCHIVE_2B);
    assert!(output.pdf.starts_with(b"%PDF-1.7"));
    let pdf = load(&output);
    let x = xmp(&pdf);
    assert!(x.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(x.contains(&format!(
        "<rdf:li xml:lang=\"x-default\">{}</rdf:li>",
        info_text(&pdf, b"Title")
    )));
    assert!(x.contains(&format!("<rdf:li>{}</rdf:li>", info_text(&pdf, b"Author"))));
    assert!(x.contains(&format!(
        "<pdf:Keywords>{}</pdf:Keywords>",
        info_text(&pdf, b"Keywords")
    )));
    assert_eq!(output_intent(&pdf), (b"GTS_PDFA1".to_vec(), 3));
    assert!(pdf.trailer.get(b"ID").is_ok());
    let mut links = 0;
    for page in pdf.get_pages().into_values() {
        let dict = pdf.get_dictionary(page).unwrap();
        let Ok(annots) = dict.get(b"Annots") else {
            continue;
        };
        for annot in resolve(&pdf, annots).as_array().unwrap() {
            let annot = resolve(&pdf, annot).as_dict().unwrap();
            assert_eq!(annot.get(b"F").unwrap().as_i64().unwrap(), 4, "printable");
            links += 1;
        }
    }
    assert_eq!(links, 6);
}

#[test]
fn archive_1b_is_pdf_1_4_with_cidsets_and_no_transparency() {
    let output = kosovo(ARCHIVE_1B);
    assert!(output.pdf.starts_with(b"%PDF-1.4"));
    let pdf = load(&output);
    assert!(xmp(&pdf).contains("<pdfaid:part>1</pdfaid:part>"));
    assert_eq!(output_intent(&pdf), (b"GTS_PDFA1".to_vec(), 3));
    let text = String::from_utf8_lossy(&output.pdf);
    assert!(!text.contains("/ObjStm") && !text.contains("/XRef"));
    assert!(!text.contains("/SMask"), "PDF/A-1 forbids soft masks");
    let mut descriptors = 0;
    for object in pdf.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor".as_slice()) {
            assert!(dict.get(b"CIDSet").is_ok(), "no CIDSet");
            descriptors += 1;
        }
    }
    assert_eq!(descriptors, 3);
    // The logo is flattened per placement: on the band and on the disc.
    assert_eq!(images(&pdf).len(), 2);
}

#[test]
fn screen_is_small_rgb_with_links() {
    let output = kosovo(Profile::Screen);
    assert!(
        output.pdf.len() < 30_000,
        "screen file is {} bytes",
        output.pdf.len()
    );
    let pdf = load(&output);
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    for page in &pages {
        for op in operators(&pdf, *page) {
            assert!(!matches!(op.operator.as_str(), "k" | "K"), "CMYK on screen");
        }
        let media = page_box(&pdf, *page, b"MediaBox").unwrap();
        assert!((media[2] - A4.0).abs() < 0.01 && (media[3] - A4.1).abs() < 0.01);
    }
    assert_eq!(annotation_count(&pdf, pages[1]), 6);
    assert!(catalog(&pdf).get(b"OutputIntents").is_err());
    // Only what is drawn is embedded: one logo image (and its mask).
    assert_eq!(images(&pdf).len(), 2);
}

#[test]
fn same_input_and_profile_give_the_same_bytes() {
    let mut files = Vec::new();
    for profile in [Profile::Screen, PRINT, PRINT_MARKS, ARCHIVE_2B, ARCHIVE_1B] {
        let first = kosovo(profile).pdf;
        assert_eq!(first, kosovo(profile).pdf, "{profile:?}");
        assert!(
            !files.contains(&first),
            "{profile:?} gives another profile's bytes"
        );
        files.push(first);
    }
}

#[test]
fn cli_writes_the_three_profiles_side_by_side() {
    let dir = scratch("cli-profiles");
    let out = dir.to_str().unwrap();
    for args in [
        &["build", "-o", out][..],
        &["build", "--profile", "print", "--crop-marks", "-o", out],
        &["build", "--profile", "archive", "--pdfa", "1b", "-o", out],
    ] {
        let run = factsheet(args, &root());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(stdout.contains(" bytes, "), "size reported: {stdout}");
    }
    // The programme has editions in several languages: names carry -en.
    for name in [
        "kosovo-2024-en.pdf",
        "kosovo-2024-en-print.pdf",
        "kosovo-2024-en-archive.pdf",
    ] {
        assert!(dir.join(name).is_file(), "{name}");
    }
    let archive = std::fs::read(dir.join("kosovo-2024-en-archive.pdf")).unwrap();
    assert!(archive.starts_with(b"%PDF-1.4"));
}

#[test]
fn profile_options_that_do_not_belong_together_are_usage_errors() {
    for args in [
        &["build", "--profile", "screen", "--crop-marks"][..],
        &["build", "--profile", "print", "--pdfa", "1b"],
        &["build", "--crop-marks"],
        &["build", "--profile", "archive", "--pdfa", "3u"],
    ] {
        let run = factsheet(args, &root());
        assert_eq!(run.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn the_edition_may_name_the_default_profile() {
    let dir = scratch("edition-profile");
    let programme = std::fs::read_to_string(root().join("data/kosovo/programme.toml")).unwrap();
    let edition = std::fs::read_to_string(root().join("data/kosovo/2024.toml")).unwrap();
    let data = format!("{programme}\n{edition}");
    let input = dir.join("kosovo.toml");
    std::fs::write(
        &input,
        data.replace("profile = \"screen\"", "profile = \"archive\""),
    )
    .unwrap();
    let out = dir.join("out");
    let (out_arg, input_arg) = (out.to_str().unwrap(), input.to_str().unwrap());
    let run = factsheet(&["build", "-o", out_arg, input_arg], &root());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("kosovo-2024-archive.pdf").is_file());
    // The command line wins.
    let run = factsheet(
        &["build", "--profile", "screen", "-o", out_arg, input_arg],
        &root(),
    );
    assert!(run.status.success());
    assert!(out.join("kosovo-2024.pdf").is_file());
}

/// A page with a photo-like JPEG (1200 × 600 px over 2 × 1 inches, so
/// 600 ppi) and a green PNG (no template colour), rendered directly.
fn render_images(profile: Profile) -> Document {
    use factsheet::layout::page::{Item, Page, Rect};
    let photo = image::RgbImage::from_fn(1200, 600, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&photo)
        .unwrap();
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(40, 40, image::Rgba([0, 160, 60, 255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let at = |y: f64, width: f64, height: f64| Rect {
        x: 100.0,
        y,
        width,
        height,
    };
    let page = Page {
        width: A4.0,
        height: A4.1,
        items: vec![
            Item::Image {
                rect: at(100.0, 144.0, 72.0),
                image: 0,
                alt: "photo".into(),
                tag: None,
            },
            Item::Image {
                rect: at(300.0, 40.0, 40.0),
                image: 1,
                alt: "green mark".into(),
                tag: None,
            },
        ],
    };
    let meta = factsheet::render::Meta {
        title: "Images".into(),
        author: "Test".into(),
        subject: "Image handling".into(),
        keywords: vec![],
        language: "en".into(),
        date: factsheet::model::Date {
            year: 2024,
            month: 1,
            day: 1,
        },
    };
    let fonts = factsheet::fonts::FontBook::default();
    let cache = factsheet::render::Cache::default();
    let pdf =
        factsheet::render::render(&[page], None, &fonts, &[jpeg, png], &meta, profile, &cache)
            .unwrap();
    Document::load_mem(&pdf).unwrap()
}

fn image_widths_and_spaces(pdf: &Document) -> Vec<(i64, String)> {
    let mut found: Vec<(i64, String)> = images(pdf)
        .into_iter()
        .map(|d| {
            let space = format!("{:?}", d.get(b"ColorSpace").unwrap());
            (d.get(b"Width").unwrap().as_i64().unwrap(), space)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn photos_are_downsampled_per_profile_and_tagged_srgb_for_print() {
    // Screen: 150 ppi over 2 inches; the one-colour mark is a palette over RGB.
    let screen = image_widths_and_spaces(&render_images(Profile::Screen));
    assert_eq!(screen.len(), 2, "{screen:?}");
    assert!(screen[0].1.contains("Indexed") && screen[0].1.contains("DeviceRGB"));
    assert_eq!(screen[1], (300, "/DeviceRGB".into()));
    // Print: 300 ppi, and RGB that is no template colour is ICC-based sRGB.
    let print = image_widths_and_spaces(&render_images(PRINT));
    assert_eq!(print.len(), 2, "{print:?}");
    assert_eq!(print[1].0, 600);
    for (_, space) in &print {
        assert!(
            space.contains("ICCBased") && !space.contains("DeviceRGB"),
            "{space}"
        );
    }
    // Archive keeps the photo as it is.
    let archive = image_widths_and_spaces(&render_images(ARCHIVE_2B));
    assert_eq!(archive[1], (1200, "/DeviceRGB".into()));
}

#[test]
fn builds_sharing_resources_give_the_bytes_of_a_fresh_build() {
    // A batch renders every edition with one set of resources, whose cache
    // keeps parsed faces and encoded images: the second build of each
    // profile is served from it and must not differ from a build alone.
    let mut sources = Sources::default();
    let input = root().join("data/kosovo/2024.toml");
    let loaded = factsheet::load(&input, &mut sources).unwrap();
    let resources =
        factsheet::load_resources(&loaded.project, &loaded.edition, &mut sources).unwrap();
    for profile in [Profile::Screen, PRINT, ARCHIVE_2B, ARCHIVE_1B] {
        let options = BuildOptions {
            profile: Some(profile),
            ..BuildOptions::default()
        };
        let shared: Vec<Vec<u8>> = (0..2)
            .map(|_| {
                factsheet::typeset(&loaded.edition, &resources, &options)
                    .unwrap()
                    .value
                    .pdf
            })
            .collect();
        let alone = kosovo(profile).pdf;
        assert!(
            shared[0] == alone,
            "{profile:?}: first shared build differs"
        );
        assert!(shared[1] == alone, "{profile:?}: cached build differs");
    }
    assert!(
        format!("{:?}", resources.cache).contains("images: 3"),
        "screen, print and PDF/A-2b encodings cached: {:?}",
        resources.cache
    );
}
