//! The render stage, and the only module that knows printpdf and lopdf:
//! pages of positioned items become PDF operations (the y axis flips here)
//! in the colours, boxes and images of an output [`Profile`], fonts are
//! embedded as subsets with Unicode maps, and a lopdf post-pass ([`post`])
//! fixes what printpdf leaves random or wrong and adds what the profile's
//! standard (PDF/X-4, PDF/A) asks for, so the same input and profile always
//! give the same bytes.

mod flate;
mod image;
mod post;
pub mod profile;
mod sfnt;
mod tags;
mod xmp;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use printpdf::{
    Actions, BorderArray, Codepoint, ColorArray, CurTransMat, ExternalXObject, FontId as PdfFontId,
    LinePoint, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, PdfWarnMsg, Polygon, PolygonRing, TextItem, TextMatrix, WindingOrder,
    XObjectTransform,
};

use crate::diag::{Diagnostic, Warned};
use crate::fonts::{FontBook, FontId};
use crate::layout::page::{Item, Page, Point, Rect, Structure, TextRun};
use crate::model::Date;
use crate::template::{Color, Pt, mm};
pub use profile::{PdfA, Profile};

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

/// What renders share across builds, so a batch pays for it once: each
/// face parsed for the PDF writer, and each image encoded per profile.
/// Lives beside the fonts in the resources; safe to share between threads.
#[derive(Default)]
pub struct Cache {
    faces: Mutex<BTreeMap<FontId, Arc<ParsedFont>>>,
    images: Mutex<Vec<(ImageCacheKey, ExternalXObject)>>,
}

/// An image encoding depends on the file, the profile and, for print,
/// the colours the pages use (flattened placements are never cached).
struct ImageCacheKey {
    bytes: Vec<u8>,
    profile: Profile,
    palette: Vec<u64>,
}

/// At most this many encoded images are kept (a template has one logo).
const CACHED_IMAGES: usize = 16;

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let faces = self.faces.lock().map_or(0, |m| m.len());
        let images = self.images.lock().map_or(0, |v| v.len());
        write!(f, "Cache {{ faces: {faces}, images: {images} }}")
    }
}

impl Cache {
    /// The face parsed for the PDF writer, parsed on first use.
    fn face(&self, font: FontId, fonts: &FontBook) -> Result<ParsedFont, Vec<Diagnostic>> {
        // The deep copy (the face's bytes) is made outside the lock, so
        // parallel builds do not queue behind it.
        if let Some(parsed) = self.faces.lock().ok().and_then(|m| m.get(&font).cloned()) {
            return Ok(ParsedFont::clone(&parsed));
        }
        let face = fonts.face(font);
        // Without hinting the face is a third smaller, so every build copies
        // and subsets less; the post-pass slims each subset as before.
        let slim = sfnt::strip_hinting(&face.bytes, sfnt::Names::Keep);
        let bytes = slim.as_deref().unwrap_or(&face.bytes);
        let mut parse_warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut parse_warnings).ok_or_else(|| {
            vec![Diagnostic::error(
                None,
                format!("the PDF writer could not read font `{}`", face.path),
            )]
        })?;
        if let Ok(mut faces) = self.faces.lock() {
            faces.insert(font, Arc::new(parsed.clone()));
        }
        Ok(parsed)
    }

    /// The image encoded for the profile, encoded on first use.
    fn image(
        &self,
        bytes: &[u8],
        placement: &image::Placement,
        profile: Profile,
        palette: &[Color],
    ) -> Result<ExternalXObject, String> {
        if image::per_placement(profile) {
            return image::encode(bytes, placement, profile, palette);
        }
        let palette_bits: Vec<u64> = if profile.cmyk() {
            palette
                .iter()
                .flat_map(|c| c.rgb.iter().chain(&c.cmyk))
                .map(|v| v.to_bits())
                .collect()
        } else {
            Vec::new()
        };
        let cached = self.images.lock().ok().and_then(|images| {
            images
                .iter()
                .find(|(k, _)| {
                    k.bytes == bytes && k.profile == profile && k.palette == palette_bits
                })
                .map(|(_, xobject)| xobject.clone())
        });
        if let Some(xobject) = cached {
            return Ok(xobject);
        }
        let xobject = image::encode(bytes, placement, profile, palette)?;
        if let Ok(mut images) = self.images.lock()
            && images.len() < CACHED_IMAGES
        {
            let key = ImageCacheKey {
                bytes: bytes.to_vec(),
                profile,
                palette: palette_bits,
            };
            images.push((key, xobject.clone()));
        }
        Ok(xobject)
    }
}

/// Renders pages into PDF bytes for `profile`. `images[i]` holds the image
/// file bytes (PNG or JPEG) that `Item::Image { image: i, .. }` refers to.
/// With a `structure`, the PDF is tagged: marked content, a structure tree
/// and artifacts (see [`tags`]); without, it is the smallest file.
pub fn render(
    pages: &[Page],
    structure: Option<&Structure>,
    fonts: &FontBook,
    images: &[Vec<u8>],
    meta: &Meta,
    profile: Profile,
    cache: &Cache,
) -> Result<Warned<Vec<u8>>, Vec<Diagnostic>> {
    let mut doc = PdfDocument::new(&meta.title);
    let mut pdf_warnings: Vec<PdfWarnMsg> = Vec::new();
    let font_ids = register_fonts(&mut doc, pages, fonts, cache)?;
    let image_ids = register_images(&mut doc, pages, images, profile, cache)?;
    let mut marks = Vec::new();
    doc.pages = pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let (ops, page_marks) = PageWriter {
                index,
                height: page.height,
                width: page.width,
                profile,
                tagged: structure.is_some(),
                font_ids: &font_ids,
                image_ids: &image_ids,
                ops: Vec::new(),
                marks: tags::PageMarks::default(),
                annots: 0,
            }
            .run(page, structure);
            marks.push(page_marks);
            let (width, height) = profile::media_size(profile, page.width, page.height);
            PdfPage::new(
                printpdf::Mm::from(printpdf::Pt(width as f32)),
                printpdf::Mm::from(printpdf::Pt(height as f32)),
                ops,
            )
        })
        .collect();
    // Images arrive as finished XObjects (see image.rs), so printpdf's image
    // re-encoding never runs.
    let options = PdfSaveOptions {
        subset_fonts: true,
        image_optimization: None,
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&options, &mut pdf_warnings);
    post::finish(&mut lo, meta, pages, profile);
    if let Some(structure) = structure {
        tags::write(&mut lo, structure, pages, &marks);
    }
    let bytes = post::save(&mut lo, profile).map_err(|e| {
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
    cache: &Cache,
) -> Result<BTreeMap<FontId, PdfFontId>, Vec<Diagnostic>> {
    let mut used: BTreeMap<FontId, BTreeSet<u16>> = BTreeMap::new();
    for run in pages.iter().flat_map(Page::texts) {
        used.entry(run.font)
            .or_default()
            .extend(run.glyphs.iter().map(|g| g.id));
    }
    let mut ids = BTreeMap::new();
    for (font, glyphs) in used {
        let parsed = cache.face(font, fonts)?;
        let id = PdfFontId(subset_tag(&fonts.face(font).name, &glyphs));
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

/// Which image object an image item draws: one per image, or one per
/// placement when the profile flattens images onto what is underneath.
type ImageKey = (usize, Option<(usize, usize)>);

/// Adds the images the pages draw (only those), under fixed ids, encoded
/// for the profile.
fn register_images(
    doc: &mut PdfDocument,
    pages: &[Page],
    images: &[Vec<u8>],
    profile: Profile,
    cache: &Cache,
) -> Result<BTreeMap<ImageKey, (printpdf::XObjectId, usize)>, Vec<Diagnostic>> {
    let palette = palette(pages);
    let mut ids = BTreeMap::new();
    for (page_index, page) in pages.iter().enumerate() {
        for (item_index, item) in page.items.iter().enumerate() {
            let Item::Image { rect, image, .. } = item else {
                continue;
            };
            let key = image_key(profile, *image, page_index, item_index);
            if ids.contains_key(&key) {
                continue;
            }
            let bytes = images.get(*image).ok_or_else(|| {
                vec![Diagnostic::error(
                    None,
                    format!("image #{image} was not loaded"),
                )]
            })?;
            let backdrop = backdrop(&page.items[..item_index]);
            let placement = image::Placement {
                rect: *rect,
                backdrop: &backdrop,
            };
            let xobject = cache
                .image(bytes, &placement, profile, &palette)
                .map_err(|e| {
                    vec![Diagnostic::error(
                        None,
                        format!("image #{image} could not be used ({e})"),
                    )]
                })?;
            let width = xobject.width.map_or(1, |px| px.0);
            let id = printpdf::XObjectId(match key.1 {
                None => format!("Im{image}"),
                Some((page, item)) => format!("Im{image}p{page}i{item}"),
            });
            doc.resources
                .xobjects
                .map
                .insert(id.clone(), printpdf::XObject::External(xobject));
            ids.insert(key, (id, width));
        }
    }
    Ok(ids)
}

fn image_key(profile: Profile, image: usize, page: usize, item: usize) -> ImageKey {
    (image, image::per_placement(profile).then_some((page, item)))
}

/// Every colour the pages draw with, and paper white: what flat art in the
/// print profile may be made of.
fn palette(pages: &[Page]) -> Vec<Color> {
    let mut colours = vec![Color {
        rgb: [1.0; 3],
        cmyk: [0.0; 4],
    }];
    for item in pages.iter().flat_map(|p| &p.items) {
        let color = match item {
            Item::Text(run) => run.color,
            Item::Rule { color, .. } | Item::Fill { color, .. } | Item::Disc { color, .. } => {
                *color
            }
            Item::Image { .. } | Item::Link { .. } => continue,
        };
        if !colours.contains(&color) {
            colours.push(color);
        }
    }
    colours
}

/// The fills and discs drawn before an image: what flattening composites onto.
fn backdrop(items: &[Item]) -> Vec<image::Shape> {
    items
        .iter()
        .filter_map(|item| match *item {
            Item::Fill { rect, color } => Some(image::Shape::Rect(rect, color)),
            Item::Disc {
                center,
                radius,
                color,
            } => Some(image::Shape::Disc(center, radius, color)),
            _ => None,
        })
        .collect()
}

/// Writes one page's items as operations.
struct PageWriter<'a> {
    index: usize,
    height: Pt,
    width: Pt,
    profile: Profile,
    /// Whether items are wrapped in marked content.
    tagged: bool,
    font_ids: &'a BTreeMap<FontId, PdfFontId>,
    image_ids: &'a BTreeMap<ImageKey, (printpdf::XObjectId, usize)>,
    ops: Vec<Op>,
    marks: tags::PageMarks,
    /// Link annotations written so far on the page.
    annots: usize,
}

/// What the page writer is inside of.
#[derive(Clone, Copy, PartialEq)]
enum Marked {
    Nothing,
    Artifact,
}

impl PageWriter<'_> {
    fn run(mut self, page: &Page, structure: Option<&Structure>) -> (Vec<Op>, tags::PageMarks) {
        // Print pages are larger than the trim (bleed, slug): one translate
        // keeps the whole layout in trim coordinates.
        let offset = self.profile.bleed() + self.profile.slug();
        if offset > 0.0 {
            self.ops.extend([
                Op::SaveGraphicsState,
                Op::SetTransformationMatrix {
                    matrix: CurTransMat::Translate(
                        printpdf::Pt(offset as f32),
                        printpdf::Pt(offset as f32),
                    ),
                },
            ]);
        }
        let mut marked = Marked::Nothing;
        for (index, item) in page.items.iter().enumerate() {
            // Marked content: each tagged run or image with its own MCID,
            // everything else (consecutive items together) an artifact.
            let tag = item.tag().filter(|_| self.tagged);
            let role = tag.and_then(|t| structure.map(|s| s.elements[t].role.name()));
            if let Item::Link { .. } = item {
                // An annotation: no page content.
            } else if let (Some(tag), Some(role)) = (tag, role) {
                if marked == Marked::Artifact {
                    self.ops.push(Op::EndMarkedContent);
                    marked = Marked::Nothing;
                }
                let mcid = self.marks.mcid(tag);
                let mut properties = BTreeMap::new();
                properties.insert("MCID".to_string(), printpdf::DictItem::Int(mcid));
                self.ops.push(Op::BeginMarkedContentWithProperties {
                    tag: role.into(),
                    properties: printpdf::DictItem::Dict { map: properties },
                });
            } else if self.tagged && marked == Marked::Nothing {
                self.ops.push(Op::BeginMarkedContent {
                    tag: "Artifact".into(),
                });
                marked = Marked::Artifact;
            }
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
                Item::Image { rect, image, .. } => self.handle_image(rect, *image, index),
                Item::Link { rect, url, .. } => self.handle_link(rect, url, tag),
            }
            if tag.is_some() && role.is_some() && !matches!(item, Item::Link { .. }) {
                self.ops.push(Op::EndMarkedContent);
            }
        }
        if self.profile.slug() > 0.0 {
            if self.tagged && marked == Marked::Nothing {
                self.ops.push(Op::BeginMarkedContent {
                    tag: "Artifact".into(),
                });
                marked = Marked::Artifact;
            }
            self.crop_marks();
        }
        if marked == Marked::Artifact {
            self.ops.push(Op::EndMarkedContent);
        }
        if offset > 0.0 {
            self.ops.push(Op::RestoreGraphicsState);
        }
        (self.ops, self.marks)
    }

    /// The colour operator for a template colour: its CMYK values in print,
    /// its RGB values otherwise.
    fn color(&self, color: Color) -> printpdf::Color {
        if self.profile.cmyk() {
            let [c, m, y, k] = color.cmyk.map(|v| v as f32);
            printpdf::Color::Cmyk(printpdf::Cmyk::new(c, m, y, k, None))
        } else {
            let [r, g, b] = color.rgb.map(|v| v as f32);
            printpdf::Color::Rgb(printpdf::Rgb::new(r, g, b, None))
        }
    }

    /// Text colour: as [`PageWriter::color`], except that black text is
    /// always 100 % K alone. Rich black in small type misregisters into
    /// coloured fringes.
    fn text_color(&self, color: Color) -> printpdf::Color {
        if self.profile.cmyk() && color.cmyk[3] >= 1.0 {
            return printpdf::Color::Cmyk(printpdf::Cmyk::new(0.0, 0.0, 0.0, 1.0, None));
        }
        self.color(color)
    }

    /// Crop marks at the trim corners, from the bleed edge 5 mm outwards,
    /// 0.25 pt in registration colour (100 % of every ink).
    fn crop_marks(&mut self) {
        let (start, end) = (profile::BLEED, profile::BLEED + mm(5.0));
        let (w, h) = (self.width, self.height);
        let mut segments = Vec::new();
        for (x, out_x) in [(0.0, -1.0), (w, 1.0)] {
            for (y, out_y) in [(0.0, -1.0), (h, 1.0)] {
                segments.push(((x + out_x * start, y), (x + out_x * end, y)));
                segments.push(((x, y + out_y * start), (x, y + out_y * end)));
            }
        }
        let registration = printpdf::Color::Cmyk(printpdf::Cmyk::new(1.0, 1.0, 1.0, 1.0, None));
        self.ops.extend([
            Op::SetOutlineColor { col: registration },
            Op::SetOutlineThickness {
                pt: printpdf::Pt(0.25),
            },
        ]);
        for ((x0, y0), (x1, y1)) in segments {
            // PDF coordinates (y up, trim origin): no flip.
            let point = |x: Pt, y: Pt| LinePoint {
                p: printpdf::Point {
                    x: printpdf::Pt(x as f32),
                    y: printpdf::Pt(y as f32),
                },
                bezier: false,
            };
            self.ops.push(Op::DrawLine {
                line: printpdf::Line {
                    points: vec![point(x0, y0), point(x1, y1)],
                    is_closed: false,
                },
            });
        }
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
                col: self.text_color(run.color),
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
                col: self.color(color),
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
        let rect = self.bleed(rect);
        self.ops.extend([
            Op::SetFillColor {
                col: self.color(color),
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
                col: self.color(color),
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

    /// A fill that touches a page edge runs on into the bleed there, so a
    /// trim a little off still shows no paper edge.
    fn bleed(&self, rect: &Rect) -> Rect {
        const EDGE: Pt = 0.01;
        let b = self.profile.bleed();
        let (mut left, mut top, mut right, mut bottom) =
            (rect.x, rect.y, rect.right(), rect.bottom());
        if left <= EDGE {
            left -= b;
        }
        if top <= EDGE {
            top -= b;
        }
        if right >= self.width - EDGE {
            right += b;
        }
        if bottom >= self.height - EDGE {
            bottom += b;
        }
        Rect {
            x: left,
            y: top,
            width: right - left,
            height: bottom - top,
        }
    }

    fn handle_image(&mut self, rect: &Rect, image: usize, item: usize) {
        let key = image_key(self.profile, image, self.index, item);
        let Some((id, pixels)) = self.image_ids.get(&key) else {
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

    fn handle_link(&mut self, rect: &Rect, url: &str, tag: Option<usize>) {
        if !self.profile.links() {
            return;
        }
        if let Some(tag) = tag {
            let index = self.annots;
            self.marks
                .content
                .push(tags::Content::Annot(index, tag, url.to_string()));
        }
        self.annots += 1;
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
