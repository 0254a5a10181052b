//! The render stage, and the only module that writes PDF: pages of
//! positioned items become content streams (the y axis flips here) in the
//! colours, boxes and images of an output [`Profile`]; fonts are embedded
//! as subsets with widths and Unicode maps ([`embed`]); the document is
//! assembled with lopdf, and a post-pass ([`post`]) adds what the profile's
//! standard (PDF/X-4, PDF/A) asks for. Nothing depends on the clock or on
//! the process, so the same input and profile always give the same bytes.
//!
//! This stage used to go through printpdf. Its op translation and its
//! subsetting were two thirds of a build (issue #3 asks for 5 ms per
//! factsheet), and the post-pass had to undo its random ids, boxes and
//! empty resources; writing the few operators a factsheet uses is simpler.

mod content;
mod embed;
mod file;
mod flate;
mod image;
mod post;
pub mod profile;
mod sfnt;
mod tags;
mod xmp;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use content::Content;

use crate::diag::Diagnostic;
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
const PRODUCER: &str = concat!("factsheet ", env!("CARGO_PKG_VERSION"));

/// What renders share across builds, so a batch pays for it once: each
/// face read for embedding, and each image encoded per profile. Lives
/// beside the fonts in the resources; safe to share between threads.
#[derive(Default)]
pub struct Cache {
    faces: Mutex<BTreeMap<FontId, Arc<embed::Face>>>,
    images: Mutex<Vec<(ImageCacheKey, Arc<image::Encoded>)>>,
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
    /// The face read for embedding, read on first use.
    fn face(&self, font: FontId, fonts: &FontBook) -> Result<Arc<embed::Face>, Vec<Diagnostic>> {
        if let Some(face) = self.faces.lock().ok().and_then(|m| m.get(&font).cloned()) {
            return Ok(face);
        }
        let data = fonts.face(font);
        let face = embed::Face::new(data.bytes())
            .map(Arc::new)
            .ok_or_else(|| {
                vec![Diagnostic::error(
                    None,
                    format!("the PDF writer could not read font `{}`", data.path),
                )]
            })?;
        if let Ok(mut faces) = self.faces.lock() {
            faces.insert(font, Arc::clone(&face));
        }
        Ok(face)
    }

    /// The image encoded for the profile, encoded on first use.
    fn image(
        &self,
        bytes: &[u8],
        placement: &image::Placement,
        profile: Profile,
        palette: &[Color],
    ) -> Result<Arc<image::Encoded>, String> {
        if image::per_placement(profile) {
            return image::encode(bytes, placement, profile, palette).map(Arc::new);
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
                .map(|(_, encoded)| Arc::clone(encoded))
        });
        if let Some(encoded) = cached {
            return Ok(encoded);
        }
        let encoded = Arc::new(image::encode(bytes, placement, profile, palette)?);
        if let Ok(mut images) = self.images.lock()
            && images.len() < CACHED_IMAGES
        {
            let key = ImageCacheKey {
                bytes: bytes.to_vec(),
                profile,
                palette: palette_bits,
            };
            images.push((key, Arc::clone(&encoded)));
        }
        Ok(encoded)
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
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut doc = Document::with_version(profile.version());
    let page_tree = doc.new_object_id();
    let fonts = embed_fonts(&mut doc, pages, fonts, cache)?;
    let images = embed_images(&mut doc, pages, images, profile, cache)?;
    let resources = doc.add_object(resources(&fonts, &images));
    let mut kids = Vec::with_capacity(pages.len());
    let mut marks = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter().enumerate() {
        let written = PageWriter {
            index,
            height: page.height,
            width: page.width,
            profile,
            tagged: structure.is_some(),
            fonts: &fonts,
            images: &images,
            content: Content::new(),
            marks: tags::PageMarks::default(),
            annots: Vec::new(),
        }
        .run(page, structure);
        let contents = doc.add_object(Stream::new(Dictionary::new(), written.content));
        let dict = page_dict(
            page,
            profile,
            page_tree,
            resources,
            contents,
            written.annots,
        );
        kids.push(Object::Reference(doc.add_object(dict)));
        marks.push(written.marks);
    }
    add_catalog(&mut doc, page_tree, kids);

    post::finish(&mut doc, meta, pages, profile);
    if let Some(structure) = structure {
        tags::write(&mut doc, structure, pages, &marks);
    }
    Ok(post::save(&mut doc, profile))
}

/// A PDF name object (the render stage's modules share this one).
fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

/// The page tree (one level: the pages in order) and the catalog over it.
fn add_catalog(doc: &mut Document, page_tree: ObjectId, kids: Vec<Object>) {
    let mut tree = Dictionary::new();
    tree.set("Type", name("Pages"));
    tree.set("Count", kids.len() as i64);
    tree.set("Kids", Object::Array(kids));
    doc.objects.insert(page_tree, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", name("Catalog"));
    catalog.set("Pages", Object::Reference(page_tree));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
}

fn reals(values: &[Pt]) -> Object {
    Object::Array(values.iter().map(|v| Object::Real(*v as f32)).collect())
}

/// A page: its boxes (media; for print also bleed and trim), the shared
/// resources, its content and its link annotations.
fn page_dict(
    page: &Page,
    profile: Profile,
    parent: ObjectId,
    resources: ObjectId,
    contents: ObjectId,
    annots: Vec<Object>,
) -> Dictionary {
    let (w, h) = profile::media_size(profile, page.width, page.height);
    let mut dict = Dictionary::new();
    dict.set("Type", name("Page"));
    dict.set("Parent", Object::Reference(parent));
    dict.set("MediaBox", reals(&[0.0, 0.0, w, h]));
    if profile.cmyk() {
        let (bleed, slug) = (profile.bleed(), profile.slug());
        let (m, s) = (bleed + slug, slug);
        dict.set("BleedBox", reals(&[s, s, w - s, h - s]));
        dict.set("TrimBox", reals(&[m, m, w - m, h - m]));
    }
    dict.set("Resources", Object::Reference(resources));
    dict.set("Contents", Object::Reference(contents));
    if !annots.is_empty() {
        dict.set("Annots", Object::Array(annots));
    }
    dict
}

/// The resource dictionary every page shares: fonts and images by name.
fn resources(
    fonts: &BTreeMap<FontId, EmbeddedFont<'_>>,
    images: &BTreeMap<ImageKey, PlacedImage>,
) -> Dictionary {
    let mut dict = Dictionary::new();
    if !fonts.is_empty() {
        let mut map = Dictionary::new();
        for font in fonts.values() {
            map.set(font.resource.as_str(), Object::Reference(font.id));
        }
        dict.set("Font", Object::Dictionary(map));
    }
    if !images.is_empty() {
        let mut map = Dictionary::new();
        for image in images.values() {
            map.set(image.resource.as_str(), Object::Reference(image.id));
        }
        dict.set("XObject", Object::Dictionary(map));
    }
    dict
}

/// A face as the pages draw it: resource name, subset and font object.
struct EmbeddedFont<'a> {
    resource: String,
    subset: embed::Subset<'a>,
    id: ObjectId,
}

/// Embeds every face the pages use, subset to the glyphs drawn, under
/// resource names and subset tags that depend only on the content.
fn embed_fonts<'a>(
    doc: &mut Document,
    pages: &'a [Page],
    fonts: &FontBook,
    cache: &Cache,
) -> Result<BTreeMap<FontId, EmbeddedFont<'a>>, Vec<Diagnostic>> {
    let mut used: BTreeMap<FontId, embed::Glyphs> = BTreeMap::new();
    for run in pages.iter().flat_map(Page::texts) {
        let glyphs = used.entry(run.font).or_default();
        for (i, glyph) in run.glyphs.iter().enumerate() {
            // The next glyph starts a new cluster when it carries text.
            let alone = run
                .glyphs
                .get(i + 1)
                .is_none_or(|next| !next.text.is_empty());
            glyphs.add(glyph.id, &glyph.text, alone);
        }
    }
    let mut embedded = BTreeMap::new();
    for (font, glyphs) in used {
        let face = cache.face(font, fonts)?;
        let subset = glyphs.subset();
        let tag = subset_tag(&fonts.face(font).name, subset.glyphs());
        let id = subset.write(&face, &tag, doc).map_err(|e| {
            vec![Diagnostic::error(
                None,
                format!("font `{}`: {e}", fonts.face(font).path),
            )]
        })?;
        let resource = format!("F{}", font.0);
        embedded.insert(
            font,
            EmbeddedFont {
                resource,
                subset,
                id,
            },
        );
    }
    Ok(embedded)
}

/// Six capital letters derived from the face and its glyph set (ISO 32000-1, 9.6.4).
fn subset_tag(face: &str, glyphs: impl Iterator<Item = u16>) -> String {
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

/// A URI as a link action holds it: 7-bit ASCII (ISO 32000-1, 12.6.4.7),
/// so every other byte of its UTF-8, and spaces, are percent-encoded
/// (`…/wiki/Kosovë` → `…/wiki/Kosov%C3%AB`), as a browser sends them.
fn ascii_uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Which image object an image item draws: one per image, or one per
/// placement when the profile flattens images onto what is underneath.
type ImageKey = (usize, Option<(usize, usize)>);

/// An image as the pages draw it: resource name, object and pixel size.
struct PlacedImage {
    resource: String,
    id: ObjectId,
    width: u32,
    height: u32,
}

/// Adds the images the pages draw (only those), under fixed names, encoded
/// for the profile.
fn embed_images(
    doc: &mut Document,
    pages: &[Page],
    images: &[Vec<u8>],
    profile: Profile,
    cache: &Cache,
) -> Result<BTreeMap<ImageKey, PlacedImage>, Vec<Diagnostic>> {
    let palette = palette(pages);
    let mut placed = BTreeMap::new();
    for (page_index, page) in pages.iter().enumerate() {
        for (item_index, item) in page.items.iter().enumerate() {
            let Item::Image { rect, image, .. } = item else {
                continue;
            };
            let key = image_key(profile, *image, page_index, item_index);
            if placed.contains_key(&key) {
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
            let encoded = cache
                .image(bytes, &placement, profile, &palette)
                .map_err(|e| {
                    vec![Diagnostic::error(
                        None,
                        format!("image #{image} could not be used ({e})"),
                    )]
                })?;
            let resource = match key.1 {
                None => format!("Im{image}"),
                Some((page, item)) => format!("Im{image}p{page}i{item}"),
            };
            let id = encoded.add_to(doc);
            placed.insert(
                key,
                PlacedImage {
                    resource,
                    id,
                    width: encoded.width,
                    height: encoded.height,
                },
            );
        }
    }
    Ok(placed)
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

/// Writes one page's items as a content stream.
struct PageWriter<'a> {
    index: usize,
    height: Pt,
    width: Pt,
    profile: Profile,
    /// Whether items are wrapped in marked content.
    tagged: bool,
    fonts: &'a BTreeMap<FontId, EmbeddedFont<'a>>,
    images: &'a BTreeMap<ImageKey, PlacedImage>,
    content: Content,
    marks: tags::PageMarks,
    /// Link annotations, in drawing order.
    annots: Vec<Object>,
}

/// What a page writer leaves: the content stream, what it tagged, and the
/// page's link annotations.
struct WrittenPage {
    content: Vec<u8>,
    marks: tags::PageMarks,
    annots: Vec<Object>,
}

/// What the page writer is inside of.
#[derive(Clone, Copy, PartialEq)]
enum Marked {
    Nothing,
    Artifact,
}

/// A colour's operands: RGB on screen and in the archive, CMYK in print.
fn components(color: Color, cmyk: bool) -> Vec<f64> {
    if cmyk {
        color.cmyk.to_vec()
    } else {
        color.rgb.to_vec()
    }
}

impl PageWriter<'_> {
    fn run(mut self, page: &Page, structure: Option<&Structure>) -> WrittenPage {
        // Print pages are larger than the trim (bleed, slug): one translate
        // keeps the whole layout in trim coordinates.
        let offset = self.profile.bleed() + self.profile.slug();
        if offset > 0.0 {
            self.content.save();
            self.content.transform([1.0, 0.0, 0.0, 1.0, offset, offset]);
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
                    self.content.end_marked();
                    marked = Marked::Nothing;
                }
                let mcid = self.marks.mcid(tag);
                self.content.begin_marked(role, mcid);
            } else if self.tagged && marked == Marked::Nothing {
                self.content.begin_artifact();
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
                self.content.end_marked();
            }
        }
        if self.profile.slug() > 0.0 {
            if self.tagged && marked == Marked::Nothing {
                self.content.begin_artifact();
                marked = Marked::Artifact;
            }
            self.crop_marks();
        }
        if marked == Marked::Artifact {
            self.content.end_marked();
        }
        if offset > 0.0 {
            self.content.restore();
        }
        WrittenPage {
            content: self.content.finish(),
            marks: self.marks,
            annots: self.annots,
        }
    }

    /// The fill colour: a template colour's CMYK values in print, its RGB
    /// values otherwise.
    fn fill_color(&mut self, color: Color) {
        self.content
            .fill_color(&components(color, self.profile.cmyk()));
    }

    /// Text colour: as [`PageWriter::fill_color`], except that black text
    /// is always 100 % K alone. Rich black in small type misregisters into
    /// coloured fringes.
    fn text_color(&mut self, color: Color) {
        if self.profile.cmyk() && color.cmyk[3] >= 1.0 {
            self.content.fill_color(&[0.0, 0.0, 0.0, 1.0]);
        } else {
            self.fill_color(color);
        }
    }

    /// Crop marks at the trim corners, from the bleed edge 5 mm outwards,
    /// 0.25 pt in registration colour (100 % of every ink).
    fn crop_marks(&mut self) {
        let (start, end) = (profile::BLEED, profile::BLEED + mm(5.0));
        let (w, h) = (self.width, self.height);
        self.content.stroke_color(&[1.0, 1.0, 1.0, 1.0]);
        self.content.line_width(0.25);
        for (x, out_x) in [(0.0, -1.0), (w, 1.0)] {
            for (y, out_y) in [(0.0, -1.0), (h, 1.0)] {
                // PDF coordinates (y up, trim origin): no flip.
                self.content
                    .line((x + out_x * start, y), (x + out_x * end, y));
                self.content
                    .line((x, y + out_y * start), (x, y + out_y * end));
            }
        }
    }

    /// Page y (down from the top) to PDF y (up from the bottom).
    fn flip(&self, y: Pt) -> Pt {
        self.height - y
    }

    fn point(&self, p: Point) -> (Pt, Pt) {
        (p.x, self.flip(p.y))
    }

    fn handle_text(&mut self, run: &TextRun) {
        let Some(font) = self.fonts.get(&run.font) else {
            return;
        };
        self.content.begin_text();
        self.text_color(run.color);
        self.content.font(&font.resource, run.size);
        self.content.text_at(run.origin.x, self.flip(run.origin.y));
        // The viewer advances by the font's own width (/W); the TJ number
        // moves the pen the rest of the way (kerning, tracking).
        let em = 1000.0 / run.size;
        let glyphs = run.glyphs.iter().filter_map(|g| {
            Some(content::Shown {
                code: font.subset.code(g.id)?,
                shift: g.offset.0 * em,
                rise: g.offset.1,
                kern: -(g.advance - g.font_advance) * em,
            })
        });
        self.content.show_glyphs(glyphs);
        self.content.end_text();
    }

    fn handle_rule(&mut self, from: Point, to: Point, width: Pt, color: Color) {
        self.content
            .stroke_color(&components(color, self.profile.cmyk()));
        self.content.line_width(width);
        self.content.line(self.point(from), self.point(to));
    }

    fn handle_fill(&mut self, rect: &Rect, color: Color) {
        let rect = self.bleed(rect);
        self.fill_color(color);
        self.content
            .fill_rect(rect.x, self.flip(rect.bottom()), rect.width, rect.height);
    }

    fn handle_disc(&mut self, center: Point, radius: Pt, color: Color) {
        // Four cubic arcs; 0.5523 is the usual circle constant 4(√2−1)/3.
        let k = radius * 0.552_284_75;
        let (cx, cy) = (center.x, center.y);
        let height = self.height;
        let p = |x: Pt, y: Pt| (x, height - y);
        let segments = [
            [
                p(cx + radius, cy + k),
                p(cx + k, cy + radius),
                p(cx, cy + radius),
            ],
            [
                p(cx - k, cy + radius),
                p(cx - radius, cy + k),
                p(cx - radius, cy),
            ],
            [
                p(cx - radius, cy - k),
                p(cx - k, cy - radius),
                p(cx, cy - radius),
            ],
            [
                p(cx + k, cy - radius),
                p(cx + radius, cy - k),
                p(cx + radius, cy),
            ],
        ];
        self.fill_color(color);
        self.content.fill_curves(p(cx + radius, cy), &segments);
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

    /// The image at the rectangle's width, its height from the image's
    /// proportions, standing on the rectangle's bottom edge.
    fn handle_image(&mut self, rect: &Rect, image: usize, item: usize) {
        let key = image_key(self.profile, image, self.index, item);
        let Some(placed) = self.images.get(&key) else {
            return;
        };
        let width = rect.width;
        let height = width * f64::from(placed.height) / f64::from(placed.width.max(1));
        self.content.save();
        self.content
            .transform([width, 0.0, 0.0, height, rect.x, self.flip(rect.bottom())]);
        self.content.paint(&placed.resource);
        self.content.restore();
    }

    fn handle_link(&mut self, rect: &Rect, url: &str, tag: Option<usize>) {
        if !self.profile.links() {
            return;
        }
        if let Some(tag) = tag {
            self.marks.content.push(tags::Content::Annot(
                self.annots.len(),
                tag,
                url.to_string(),
            ));
        }
        let (x0, y0) = (rect.x, self.flip(rect.bottom()));
        let mut action = Dictionary::new();
        action.set("S", name("URI"));
        action.set(
            "URI",
            Object::String(ascii_uri(url).into_bytes(), StringFormat::Literal),
        );
        let mut link = Dictionary::new();
        link.set("Type", name("Annot"));
        link.set("Subtype", name("Link"));
        link.set("Rect", reals(&[x0, y0, x0 + rect.width, y0 + rect.height]));
        link.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
        link.set("A", Object::Dictionary(action));
        self.annots.push(Object::Dictionary(link));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_addresses_are_written_in_ascii() {
        assert_eq!(
            ascii_uri("https://sq.wikipedia.org/wiki/Kosovë"),
            "https://sq.wikipedia.org/wiki/Kosov%C3%AB"
        );
        assert_eq!(
            ascii_uri("mailto:a@b.org?subject=2024 report"),
            "mailto:a@b.org?subject=2024%20report"
        );
        assert_eq!(
            ascii_uri("https://npaid.org/kosovo"),
            "https://npaid.org/kosovo"
        );
    }
}
