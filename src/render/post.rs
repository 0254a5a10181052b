//! The post-pass (render stage, after the pages and fonts are written):
//! the document ID and Info, `/Lang`, and what each output profile's
//! standard asks for: for print (PDF/X-4) a CMYK output intent and sRGB
//! tags on photos; for the archive (PDF/A) XMP, an sRGB output intent,
//! printable annotations and, for PDF/A-1b, CIDSets. Then it saves, with
//! object streams where the standard allows them.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::flate;
use super::profile::{PdfA, Profile};
use super::xmp::{self, Claim, DocInfo};
use super::{Meta, PRODUCER, fnv1a, sfnt};
use crate::layout::page::Page;

/// Runs every step the profile needs on the written document.
pub fn finish(lo: &mut Document, meta: &Meta, pages: &[Page], profile: Profile) {
    let id = document_id(meta, pages, profile);
    let hex = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![hex.clone(), hex]));
    let info = doc_info(meta);
    set_info(lo, &info, profile);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set(
            "Lang",
            Object::String(meta.language.as_bytes().to_vec(), StringFormat::Literal),
        );
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", Object::Boolean(true));
        catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    }
    match profile {
        Profile::Screen => {}
        Profile::Print { .. } => {
            tag_rgb_images(lo);
            let icc = add_icc(lo, &FOGRA39);
            set_output_intent(lo, "GTS_PDFX", &FOGRA39, icc);
            set_metadata(lo, &xmp::packet(&info, Claim::PdfX4, &id));
        }
        Profile::Archive { pdfa } => {
            let icc = add_icc(lo, &SRGB);
            set_output_intent(lo, "GTS_PDFA1", &SRGB, icc);
            print_annotations(lo);
            let part = match pdfa {
                PdfA::A1b => {
                    add_cid_sets(lo);
                    1
                }
                PdfA::A2b => 2,
            };
            set_metadata(lo, &xmp::packet(&info, Claim::PdfA(part), &id));
        }
    }
    lo.version = profile.version().into();
}

/// Compresses the streams and writes the file: object and cross-reference
/// streams (dictionaries compressed too) unless the standard is PDF/A-1.
pub fn save(lo: &mut Document, profile: Profile) -> Vec<u8> {
    compress_streams(lo);
    super::file::write(lo, profile.object_streams())
}

/// Compresses every stream that may be and is not yet (what lopdf's
/// `compress` does, at the level chosen in [`flate`] instead of the best).
fn compress_streams(lo: &mut Document) {
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.has(b"Filter") {
            continue;
        }
        if let Some(compressed) = flate::deflate_if_smaller(&stream.content, flate::EVERY_BUILD) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

fn doc_info(meta: &Meta) -> DocInfo {
    DocInfo {
        title: meta.title.clone(),
        author: meta.author.clone(),
        subject: meta.subject.clone(),
        keywords: meta.keywords.join(", "),
        creator: "factsheet".into(),
        producer: PRODUCER.into(),
        date: meta.date,
    }
}

/// The Info dictionary (PDF/X-4 also wants its version and `/Trapped` there).
fn set_info(lo: &mut Document, info: &DocInfo, profile: Profile) {
    let date = || Object::String(info.pdf_date().into_bytes(), StringFormat::Literal);
    let mut dict = Dictionary::new();
    dict.set("Title", text_string(&info.title));
    dict.set("Author", text_string(&info.author));
    dict.set("Subject", text_string(&info.subject));
    dict.set("Keywords", text_string(&info.keywords));
    dict.set("Creator", text_string(&info.creator));
    dict.set("Producer", text_string(&info.producer));
    dict.set("CreationDate", date());
    dict.set("ModDate", date());
    if profile.cmyk() {
        dict.set("GTS_PDFXVersion", text_string("PDF/X-4"));
        dict.set("Trapped", Object::Name(b"False".to_vec()));
    }
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => lo.set_object(id, dict),
        Err(_) => {
            let id = lo.add_object(dict);
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
}

/// A PDF text string: ASCII as a literal, anything else as UTF-16BE with a BOM.
pub fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::String(text.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A 16-byte document ID from the content and profile, so it is stable for
/// the same input and differs between the three files of one edition.
fn document_id(meta: &Meta, pages: &[Page], profile: Profile) -> [u8; 16] {
    let mut a = fnv1a(meta.title.as_bytes(), 0xcbf2_9ce4_8422_2325);
    let mut b = fnv1a(meta.author.as_bytes(), 0x8422_2325_cbf2_9ce4);
    for run in pages.iter().flat_map(Page::texts) {
        for glyph in &run.glyphs {
            a = fnv1a(&glyph.id.to_le_bytes(), a);
        }
        b = fnv1a(&run.origin.x.to_bits().to_le_bytes(), b);
        b = fnv1a(&run.origin.y.to_bits().to_le_bytes(), b);
    }
    if profile != Profile::Screen {
        let level = match profile.pdfa() {
            Some(PdfA::A1b) => "1b",
            Some(PdfA::A2b) => "2b",
            None => "",
        };
        a = fnv1a(profile.name().as_bytes(), a);
        b = fnv1a(level.as_bytes(), b);
    }
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&a.to_be_bytes());
    id[8..].copy_from_slice(&b.to_be_bytes());
    id
}

/// Every FontDescriptor's embedded TrueType program, by object id.
fn font_programs(lo: &Document) -> Vec<(ObjectId, ObjectId)> {
    lo.objects
        .iter()
        .filter_map(|(id, object)| {
            let dict = object.as_dict().ok()?;
            let is_descriptor =
                dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor");
            let program = dict.get(b"FontFile2").and_then(Object::as_reference).ok()?;
            is_descriptor.then_some((*id, program))
        })
        .collect()
}

/// PDF/A-1 wants each subset's CIDSet: every CID the program holds, which
/// with the subsets' compact numbering and Identity CIDToGIDMap is 0..numGlyphs.
fn add_cid_sets(lo: &mut Document) {
    for (descriptor, program) in font_programs(lo) {
        let count = lo
            .get_object(program)
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.get_plain_content().ok())
            .and_then(|p| sfnt::glyph_count(&p));
        let Some(count) = count else { continue };
        let count = usize::from(count);
        let mut bits = vec![0u8; count.div_ceil(8)];
        for cid in 0..count {
            bits[cid / 8] |= 0x80 >> (cid % 8);
        }
        let set = lo.add_object(Stream::new(Dictionary::new(), bits));
        if let Ok(dict) = lo.get_dictionary_mut(descriptor) {
            dict.set("CIDSet", Object::Reference(set));
        }
    }
}

/// PDF/A wants every annotation printable (`/F 4`).
fn print_annotations(lo: &mut Document) {
    for (_, object) in lo.objects.iter_mut() {
        let Ok(page) = object.as_dict_mut() else {
            continue;
        };
        let Ok(Object::Array(annotations)) = page.get_mut(b"Annots") else {
            continue;
        };
        for annotation in annotations.iter_mut() {
            if let Object::Dictionary(a) = annotation {
                a.set("F", Object::Integer(4));
            }
        }
    }
}

/// An ICC profile the binary carries, deflated once per process.
struct Icc {
    bytes: &'static [u8],
    components: i64,
    identifier: &'static str,
    info: &'static str,
    deflated: OnceLock<Stream>,
}

static SRGB: Icc = Icc {
    bytes: include_bytes!("../../assets/icc/sRGB-v2.icc"),
    components: 3,
    identifier: "sRGB IEC61966-2.1",
    info: "sRGB IEC61966-2.1 (ICC v2, ArgyllCMS reference profile, public domain)",
    deflated: OnceLock::new(),
};

static FOGRA39: Icc = Icc {
    bytes: include_bytes!("../../assets/icc/FOGRA39L-coated.icc"),
    components: 4,
    identifier: "FOGRA39",
    info: "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), profile made with ArgyllCMS from FOGRA39L data",
    deflated: OnceLock::new(),
};

fn add_icc(lo: &mut Document, icc: &Icc) -> ObjectId {
    let stream = icc.deflated.get_or_init(|| {
        let mut dict = Dictionary::new();
        dict.set("N", Object::Integer(icc.components));
        // Deflating the 71 KB CMYK profile at the best level is most of a
        // print build's time; once per process is enough.
        match flate::deflate_if_smaller(icc.bytes, flate::ONCE) {
            Some(deflated) => {
                dict.set("Filter", "FlateDecode");
                Stream::new(dict, deflated)
            }
            None => Stream::new(dict, icc.bytes.to_vec()),
        }
    });
    lo.add_object(stream.clone())
}

fn set_output_intent(lo: &mut Document, subtype: &str, icc: &Icc, profile: ObjectId) {
    let literal = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(subtype.as_bytes().to_vec()));
    intent.set("OutputConditionIdentifier", literal(icc.identifier));
    intent.set("RegistryName", literal("http://www.color.org"));
    intent.set("Info", literal(icc.info));
    intent.set("DestOutputProfile", Object::Reference(profile));
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set(
            "OutputIntents",
            Object::Array(vec![Object::Dictionary(intent)]),
        );
    }
}

/// Print: RGB images (photos; flat art in template colours is already
/// CMYK) are tagged as sRGB, which PDF/X-4 allows and the RIP converts.
fn tag_rgb_images(lo: &mut Document) {
    let device_rgb = Object::Name(b"DeviceRGB".to_vec());
    let images: Vec<ObjectId> = lo
        .objects
        .iter()
        .filter_map(|(id, object)| {
            let dict = &object.as_stream().ok()?.dict;
            let space = dict.get(b"ColorSpace").ok()?;
            let rgb = *space == device_rgb
                || space
                    .as_array()
                    .is_ok_and(|a| a.get(1) == Some(&device_rgb));
            rgb.then_some(*id)
        })
        .collect();
    if images.is_empty() {
        return;
    }
    let icc = add_icc(lo, &SRGB);
    let based = Object::Array(vec![
        Object::Name(b"ICCBased".to_vec()),
        Object::Reference(icc),
    ]);
    for id in images {
        let Ok(stream) = lo.get_object_mut(id).and_then(Object::as_stream_mut) else {
            continue;
        };
        match stream.dict.get_mut(b"ColorSpace") {
            Ok(Object::Array(indexed)) => indexed[1] = based.clone(),
            Ok(space) => *space = based.clone(),
            Err(_) => {}
        }
    }
}

/// The XMP packet, unfiltered (PDF/A-1 forbids a filter on it).
fn set_metadata(lo: &mut Document, packet: &str) {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Metadata".to_vec()));
    dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let stream = Stream::new(dict, packet.as_bytes().to_vec()).with_compression(false);
    let id = lo.add_object(stream);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Metadata", Object::Reference(id));
    }
}
