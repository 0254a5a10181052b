//! The render stage, and the only module that knows printpdf: pages of
//! positioned items become PDF operations (the y axis flips here), fonts
//! are embedded as subsets with Unicode maps, and a lopdf post-pass fixes
//! what printpdf leaves random or wrong (IDs, Info, /Lang) so the same
//! input always gives the same bytes.

mod sfnt;

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, ObjectId, SaveOptions, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, ColorArray, FontId as PdfFontId, ImageCompression,
    ImageOptimizationOptions, LinePoint, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, PdfWarnMsg, Polygon, PolygonRing, RawImage, TextItem,
    TextMatrix, WindingOrder, XObjectTransform,
};

use crate::diag::{Diagnostic, Warned};
use crate::fonts::{FontBook, FontId};
use crate::layout::page::{Item, Page, Point, Rect, TextRun};
use crate::model::Date;
use crate::template::{Color, Pt};

/// Document metadata written to the Info dictionary and catalog.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Title ("Kosovo — 2024 Factsheet").
    pub title: String,
    /// Author (the organisation).
    pub author: String,
    /// Subject line.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// BCP 47 language tag for /Lang.
    pub language: String,
    /// Creation and modification date (from the data, never the clock).
    pub date: Date,
}

/// The producer string written to the Info dictionary.
const PRODUCER: &str = concat!(
    "factsheet ",
    env!("CARGO_PKG_VERSION"),
    " (printpdf 0.12.8)"
);

/// Renders pages into PDF bytes. `images[i]` holds the PNG bytes that
/// `Item::Image { image: i, .. }` refers to.
pub fn render(
    pages: &[Page],
    fonts: &FontBook,
    images: &[Vec<u8>],
    meta: &Meta,
) -> Result<Warned<Vec<u8>>, Vec<Diagnostic>> {
    let mut doc = PdfDocument::new(&meta.title);
    let mut pdf_warnings: Vec<PdfWarnMsg> = Vec::new();
    let font_ids = register_fonts(&mut doc, pages, fonts)?;
    let image_ids = register_images(&mut doc, pages, images, &mut pdf_warnings)?;
    doc.pages = pages
        .iter()
        .map(|page| {
            let ops = PageWriter {
                height: page.height,
                font_ids: &font_ids,
                image_ids: &image_ids,
                ops: Vec::new(),
            }
            .run(page);
            PdfPage::new(
                printpdf::Mm::from(printpdf::Pt(page.width as f32)),
                printpdf::Mm::from(printpdf::Pt(page.height as f32)),
                ops,
            )
        })
        .collect();
    let options = PdfSaveOptions {
        subset_fonts: true,
        // The logo is flat art: keep it lossless and at its own size.
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Flate),
            max_image_size: None,
            auto_optimize: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&options, &mut pdf_warnings);
    finish(&mut lo, meta, pages);
    lo.compress();
    // Object and cross-reference streams: the dictionaries (fonts, widths,
    // pages, Info) are compressed too. They need PDF 1.5.
    lo.version = "1.5".into();
    let mut save = SaveOptions {
        use_object_streams: true,
        use_xref_streams: true,
        ..SaveOptions::default()
    };
    save.object_stream_config.compression_level = 9;
    let mut bytes = Vec::new();
    lo.save_with_options(&mut bytes, save).map_err(|e| {
        vec![Diagnostic::error(
            None,
            format!("could not write the PDF ({e})"),
        )]
    })?;
    // printpdf reports progress as Info; only its warnings and errors matter.
    let warnings = pdf_warnings
        .into_iter()
        .filter(|w| w.severity != printpdf::PdfParseErrorSeverity::Info)
        .map(|w| Diagnostic::warning(None, format!("pdf writer: {}", w.msg)))
        .collect();
    Ok(Warned {
        value: bytes,
        warnings,
    })
}

/// Adds every face the pages use, under fixed ids (printpdf's are random per
/// process), so the subset tags and resource names never change.
fn register_fonts(
    doc: &mut PdfDocument,
    pages: &[Page],
    fonts: &FontBook,
) -> Result<BTreeMap<FontId, PdfFontId>, Vec<Diagnostic>> {
    let mut used: BTreeMap<FontId, BTreeSet<u16>> = BTreeMap::new();
    for run in pages.iter().flat_map(Page::texts) {
        used.entry(run.font)
            .or_default()
            .extend(run.glyphs.iter().map(|g| g.id));
    }
    let mut ids = BTreeMap::new();
    for (font, glyphs) in used {
        let face = fonts.face(font);
        let mut parse_warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(&face.bytes, 0, &mut parse_warnings).ok_or_else(|| {
                vec![Diagnostic::error(
                    None,
                    format!("the PDF writer could not read font `{}`", face.path),
                )]
            })?;
        let id = PdfFontId(subset_tag(&face.name, &glyphs));
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(parsed));
        ids.insert(font, id);
    }
    Ok(ids)
}

/// Six capital letters derived from the face and its glyph set (ISO 32000-1, 9.6.4).
fn subset_tag(face: &str, glyphs: &BTreeSet<u16>) -> String {
    let mut hash = fnv1a(face.as_bytes(), 0xcbf2_9ce4_8422_2325);
    for glyph in glyphs {
        hash = fnv1a(&glyph.to_le_bytes(), hash);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Adds the images the pages draw (only those), under fixed ids.
fn register_images(
    doc: &mut PdfDocument,
    pages: &[Page],
    images: &[Vec<u8>],
    warnings: &mut Vec<PdfWarnMsg>,
) -> Result<BTreeMap<usize, (printpdf::XObjectId, usize)>, Vec<Diagnostic>> {
    let mut ids = BTreeMap::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        let Item::Image { image, .. } = item else {
            continue;
        };
        if ids.contains_key(image) {
            continue;
        }
        let bytes = images.get(*image).ok_or_else(|| {
            vec![Diagnostic::error(
                None,
                format!("image #{image} was not loaded"),
            )]
        })?;
        let raw = RawImage::decode_from_bytes(bytes, warnings).map_err(|e| {
            vec![Diagnostic::error(
                None,
                format!("the logo could not be decoded ({e})"),
            )]
        })?;
        let width = raw.width;
        let id = printpdf::XObjectId(format!("Im{image}"));
        doc.resources
            .xobjects
            .map
            .insert(id.clone(), printpdf::XObject::Image(raw));
        ids.insert(*image, (id, width));
    }
    Ok(ids)
}

/// Writes one page's items as operations.
struct PageWriter<'a> {
    height: Pt,
    font_ids: &'a BTreeMap<FontId, PdfFontId>,
    image_ids: &'a BTreeMap<usize, (printpdf::XObjectId, usize)>,
    ops: Vec<Op>,
}

impl PageWriter<'_> {
    fn run(mut self, page: &Page) -> Vec<Op> {
        for item in &page.items {
            match item {
                Item::Text(run) => self.handle_text(run),
                Item::Rule {
                    from,
                    to,
                    width,
                    color,
                } => self.handle_rule(*from, *to, *width, *color),
                Item::Fill { rect, color } => self.handle_fill(rect, *color),
                Item::Disc {
                    center,
                    radius,
                    color,
                } => self.handle_disc(*center, *radius, *color),
                Item::Image { rect, image, .. } => self.handle_image(rect, *image),
                Item::Link { rect, url } => self.handle_link(rect, url),
            }
        }
        self.ops
    }

    /// Page y (down from the top) to PDF y (up from the bottom).
    fn flip(&self, y: Pt) -> printpdf::Pt {
        printpdf::Pt((self.height - y) as f32)
    }

    fn point(&self, p: Point) -> printpdf::Point {
        printpdf::Point {
            x: printpdf::Pt(p.x as f32),
            y: self.flip(p.y),
        }
    }

    fn handle_text(&mut self, run: &TextRun) {
        let Some(font) = self.font_ids.get(&run.font) else {
            return;
        };
        let glyphs = run
            .glyphs
            .iter()
            .map(|g| {
                // The viewer advances by the font's own width; the TJ number
                // moves the pen the rest of the way (kerning, tracking).
                let offset = -(g.advance - g.font_advance) * 1000.0 / run.size;
                Codepoint::with_cid(g.id, offset as f32, g.text.clone())
            })
            .collect();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: pdf_color(run.color),
            },
            Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: printpdf::Pt(run.size as f32),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(
                    printpdf::Pt(run.origin.x as f32),
                    self.flip(run.origin.y),
                ),
            },
            Op::ShowText {
                items: vec![TextItem::GlyphIds(glyphs)],
            },
            Op::EndTextSection,
        ]);
    }

    fn handle_rule(&mut self, from: Point, to: Point, width: Pt, color: Color) {
        let points = vec![
            LinePoint {
                p: self.point(from),
                bezier: false,
            },
            LinePoint {
                p: self.point(to),
                bezier: false,
            },
        ];
        self.ops.extend([
            Op::SetOutlineColor {
                col: pdf_color(color),
            },
            Op::SetOutlineThickness {
                pt: printpdf::Pt(width as f32),
            },
            Op::DrawLine {
                line: printpdf::Line {
                    points,
                    is_closed: false,
                },
            },
        ]);
    }

    fn handle_fill(&mut self, rect: &Rect, color: Color) {
        self.ops.extend([
            Op::SetFillColor {
                col: pdf_color(color),
            },
            Op::DrawRectangle {
                rectangle: printpdf::Rect {
                    x: printpdf::Pt(rect.x as f32),
                    y: self.flip(rect.bottom()),
                    width: printpdf::Pt(rect.width as f32),
                    height: printpdf::Pt(rect.height as f32),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
    }

    fn handle_disc(&mut self, center: Point, radius: Pt, color: Color) {
        // Four cubic arcs; 0.5523 is the usual circle constant 4(√2−1)/3.
        let k = radius * 0.552_284_75;
        let (cx, cy) = (center.x, center.y);
        let pts = [
            ((cx + radius, cy), false),
            ((cx + radius, cy + k), true),
            ((cx + k, cy + radius), true),
            ((cx, cy + radius), false),
            ((cx - k, cy + radius), true),
            ((cx - radius, cy + k), true),
            ((cx - radius, cy), false),
            ((cx - radius, cy - k), true),
            ((cx - k, cy - radius), true),
            ((cx, cy - radius), false),
            ((cx + k, cy - radius), true),
            ((cx + radius, cy - k), true),
            ((cx + radius, cy), false),
        ];
        let points = pts
            .iter()
            .map(|&((x, y), bezier)| LinePoint {
                p: self.point(Point { x, y }),
                bezier,
            })
            .collect();
        self.ops.extend([
            Op::SetFillColor {
                col: pdf_color(color),
            },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    fn handle_image(&mut self, rect: &Rect, image: usize) {
        let Some((id, pixels)) = self.image_ids.get(&image) else {
            return;
        };
        // printpdf sizes an image as pixels / dpi inches: choose the dpi that
        // gives the requested width.
        let dpi = *pixels as f64 * 72.0 / rect.width;
        self.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(printpdf::Pt(rect.x as f32)),
                translate_y: Some(self.flip(rect.bottom())),
                dpi: Some(dpi as f32),
                ..Default::default()
            },
        });
    }

    fn handle_link(&mut self, rect: &Rect, url: &str) {
        let area = printpdf::Rect::from_xywh(
            printpdf::Pt(rect.x as f32),
            self.flip(rect.bottom()),
            printpdf::Pt(rect.width as f32),
            printpdf::Pt(rect.height as f32),
        );
        self.ops.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                area,
                Actions::Uri(url.to_string()),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                Some(ColorArray::Transparent),
                None,
            ),
        });
    }
}

fn pdf_color(color: Color) -> printpdf::Color {
    let [r, g, b] = color.rgb.map(|c| c as f32);
    printpdf::Color::Rgb(printpdf::Rgb::new(r, g, b, None))
}

/// The post-pass: fixed /ID, a clean Info dictionary, /Lang, and the
/// document title shown in viewers' title bars.
fn finish(lo: &mut lopdf::Document, meta: &Meta, pages: &[Page]) {
    let id = Object::String(document_id(meta, pages).to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let info = info_dictionary(meta);
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(info_id) => lo.set_object(info_id, info),
        Err(_) => {
            let info_id = lo.add_object(info);
            lo.trailer.set("Info", Object::Reference(info_id));
        }
    }
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set(
            "Lang",
            Object::String(meta.language.as_bytes().to_vec(), StringFormat::Literal),
        );
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", Object::Boolean(true));
        catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    }
    slim_fonts(lo);
    let resources: Vec<ObjectId> = lo
        .get_pages()
        .into_values()
        .filter_map(|page| {
            let dict = lo.get_dictionary(page).ok()?;
            dict.get(b"Resources").and_then(Object::as_reference).ok()
        })
        .collect();
    for id in resources {
        drop_empty_resources(lo, id);
    }
    // Drop what nothing refers to any more (the empty dictionaries), then
    // number the rest densely.
    lo.prune_objects();
    lo.renumber_objects();
}

/// Strips hinting and names from every embedded subset (see [`sfnt`]).
fn slim_fonts(lo: &mut lopdf::Document) {
    let programs: Vec<ObjectId> = lo
        .objects
        .values()
        .filter_map(|object| {
            let dict = object.as_dict().ok()?;
            dict.get(b"FontFile2").and_then(Object::as_reference).ok()
        })
        .collect();
    for program in programs {
        let Ok(stream) = lo.get_object_mut(program).and_then(Object::as_stream_mut) else {
            continue;
        };
        let Ok(plain) = stream.get_plain_content() else {
            continue;
        };
        if let Some(slim) = sfnt::strip_hinting(&plain) {
            stream.dict.set("Length1", slim.len() as i64);
            stream.set_plain_content(slim);
            stream.allows_compression = true;
        }
    }
}

/// Removes resource categories that name nothing (printpdf always writes
/// ExtGState, Shading and XObject dictionaries).
fn drop_empty_resources(lo: &mut lopdf::Document, resources: ObjectId) {
    let Ok(dict) = lo.get_dictionary(resources) else {
        return;
    };
    let empty: Vec<Vec<u8>> = dict
        .iter()
        .filter(|(_, value)| {
            let target = match value {
                Object::Reference(r) => lo.get_dictionary(*r).ok(),
                Object::Dictionary(d) => Some(d),
                _ => None,
            };
            target.is_some_and(|d| d.is_empty())
        })
        .map(|(key, _)| key.clone())
        .collect();
    if let Ok(dict) = lo.get_dictionary_mut(resources) {
        for key in empty {
            dict.remove(&key);
        }
    }
}

fn info_dictionary(meta: &Meta) -> Dictionary {
    let date = format!(
        "D:{:04}{:02}{:02}000000Z",
        meta.date.year, meta.date.month, meta.date.day
    );
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    info.set("Author", text_string(&meta.author));
    info.set("Subject", text_string(&meta.subject));
    info.set("Keywords", text_string(&meta.keywords.join(", ")));
    info.set("Creator", text_string("factsheet"));
    info.set("Producer", text_string(PRODUCER));
    info.set(
        "CreationDate",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    info.set(
        "ModDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    info
}

/// A PDF text string: ASCII as a literal, anything else as UTF-16BE with a BOM.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::String(text.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A 16-byte document ID from the content, so it is stable for the same input.
fn document_id(meta: &Meta, pages: &[Page]) -> [u8; 16] {
    let mut a = fnv1a(meta.title.as_bytes(), 0xcbf2_9ce4_8422_2325);
    let mut b = fnv1a(meta.author.as_bytes(), 0x8422_2325_cbf2_9ce4);
    for run in pages.iter().flat_map(Page::texts) {
        for glyph in &run.glyphs {
            a = fnv1a(&glyph.id.to_le_bytes(), a);
        }
        b = fnv1a(&run.origin.x.to_bits().to_le_bytes(), b);
        b = fnv1a(&run.origin.y.to_bits().to_le_bytes(), b);
    }
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&a.to_be_bytes());
    id[8..].copy_from_slice(&b.to_be_bytes());
    id
}
