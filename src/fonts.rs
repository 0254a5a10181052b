//! Fonts (load stage) and shaping (used by layout): the template's faces are
//! read from `fonts/` once into a [`FontBook`]; a [`Shaper`] borrows them as
//! rustybuzz faces and turns text into positioned glyphs with GPOS kerning,
//! ligatures and the edition's language (so `locl` forms apply).

use std::collections::BTreeMap;

use std::cell::RefCell;

use rustybuzz::{Direction, Face, Language, Script, ShapePlan, UnicodeBuffer};

use crate::diag::Diagnostic;
use crate::template::Pt;

/// Index of a face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub usize);

/// One loaded face: its bytes and the metrics layout and render need.
#[derive(Debug, Clone)]
pub struct FaceData {
    /// Face name from the template (`regular`, `bold`, …).
    pub name: String,
    /// File it came from, relative to the project folder.
    pub path: String,
    /// The TrueType file.
    pub bytes: Vec<u8>,
    /// Font units per em.
    pub units_per_em: f64,
    /// Capital height in em (for optical alignment and link boxes).
    pub cap_height: f64,
    /// Typographic descender in em (positive, below the baseline).
    pub descender: f64,
}

/// Every face a template uses, loaded once and shared by builds.
#[derive(Debug, Clone, Default)]
pub struct FontBook {
    faces: Vec<FaceData>,
    by_name: BTreeMap<String, FontId>,
}

impl FontBook {
    /// Adds a face from TrueType bytes; refuses files that are not fonts.
    pub fn add(&mut self, name: &str, path: &str, bytes: Vec<u8>) -> Result<FontId, Diagnostic> {
        let face = Face::from_slice(&bytes, 0).ok_or_else(|| {
            Diagnostic::error(
                None,
                format!("failed to load font `{path}` (not a TrueType or OpenType file)"),
            )
            .with_hint("ship .ttf files under fonts/ and name them in the template's [fonts]")
        })?;
        let units_per_em = f64::from(face.units_per_em());
        let cap_height = face
            .capital_height()
            .map_or(0.7, |h| f64::from(h) / units_per_em);
        let descender =
            f64::from(-face.typographic_descender().unwrap_or(face.descender())) / units_per_em;
        let id = FontId(self.faces.len());
        self.faces.push(FaceData {
            name: name.to_string(),
            path: path.to_string(),
            bytes,
            units_per_em,
            cap_height,
            descender,
        });
        self.by_name.insert(name.to_string(), id);
        Ok(id)
    }

    /// The face called `name`.
    pub fn id(&self, name: &str) -> Option<FontId> {
        self.by_name.get(name).copied()
    }

    /// The data of face `id`.
    pub fn face(&self, id: FontId) -> &FaceData {
        &self.faces[id.0]
    }

    /// All faces, in id order.
    pub fn faces(&self) -> &[FaceData] {
        &self.faces
    }

    /// A shaper over these faces for one language.
    pub fn shaper(&self, language: &str) -> Shaper<'_> {
        let faces = self
            .faces
            .iter()
            // Every face was parsed once in `add`, so parsing again succeeds.
            .filter_map(|f| Face::from_slice(&f.bytes, 0))
            .collect();
        Shaper {
            book: self,
            faces,
            language: language.parse().ok(),
            plans: RefCell::new(BTreeMap::new()),
        }
    }
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Advance to the next glyph in pt, kerning and tracking included.
    pub advance: Pt,
    /// The font's own advance (hmtx) in pt; the PDF viewer moves by this,
    /// so the renderer writes `advance - font_advance` as a TJ offset.
    pub font_advance: Pt,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: usize,
    /// The text this glyph stands for (for copy and search).
    pub text: String,
}

/// Text shaped in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    /// Glyphs in visual order (left to right).
    pub glyphs: Vec<Glyph>,
    /// Sum of the advances.
    pub width: Pt,
}

/// Shapes text with rustybuzz for one language. Not shared between
/// threads: each build makes its own (it is cheap; the fonts are shared).
pub struct Shaper<'a> {
    book: &'a FontBook,
    faces: Vec<Face<'a>>,
    language: Option<Language>,
    /// Shape plans per face and script: compiling a plan costs more than
    /// shaping a paragraph, and a factsheet needs only a handful.
    plans: RefCell<BTreeMap<(usize, Script), ShapePlan>>,
}

impl Shaper<'_> {
    /// The book the shaper draws from.
    pub fn book(&self) -> &FontBook {
        self.book
    }

    /// Shapes `text` in face `font` at `size`, with `tracking` (em) added
    /// after every glyph but the last.
    pub fn shape(&self, font: FontId, text: &str, size: Pt, tracking: f64) -> Shaped {
        let face = &self.faces[font.0];
        let data = self.book.face(font);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        if let Some(language) = &self.language {
            buffer.set_language(language.clone());
        }
        buffer.guess_segment_properties();
        let script = buffer.script();
        let mut plans = self.plans.borrow_mut();
        let plan = plans.entry((font.0, script)).or_insert_with(|| {
            ShapePlan::new(
                face,
                Direction::LeftToRight,
                Some(script),
                self.language.as_ref(),
                &[],
            )
        });
        let output = rustybuzz::shape_with_plan(face, plan, buffer);
        let scale = size / data.units_per_em;
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let cluster = info.cluster as usize;
            let end = infos[i..]
                .iter()
                .find(|next| next.cluster != info.cluster)
                .map_or(text.len(), |next| next.cluster as usize);
            let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
            let id = info.glyph_id as u16;
            let font_advance = face
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id))
                .map_or(0.0, |a| f64::from(a) * scale);
            let last = i + 1 == infos.len();
            let tracking = if last { 0.0 } else { tracking * size };
            glyphs.push(Glyph {
                id,
                advance: f64::from(pos.x_advance) * scale + tracking,
                font_advance,
                cluster,
                text: if first_of_cluster {
                    cluster_text(text, cluster, end)
                } else {
                    String::new()
                },
            });
        }
        let width = glyphs.iter().map(|g| g.advance).sum();
        Shaped { glyphs, width }
    }

    /// Characters of `text` that face `font` has no glyph for.
    pub fn missing_chars(&self, font: FontId, text: &str) -> Vec<char> {
        let face = &self.faces[font.0];
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !c.is_control() && face.glyph_index(*c).is_none())
            .collect();
        missing.dedup();
        missing
    }
}

/// The text a cluster stands for; a no-break space copies as a plain space.
fn cluster_text(text: &str, start: usize, end: usize) -> String {
    let (start, end) = (start.min(end), end.max(start).min(text.len()));
    text.get(start..end)
        .unwrap_or("")
        .replace(['\u{a0}', '\u{202f}'], " ")
}
