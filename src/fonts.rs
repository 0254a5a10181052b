//! Fonts (load stage) and shaping (used by layout): the template's faces are
//! read from `fonts/` and parsed once into a [`FontBook`] (ttf-parser for
//! metrics, HarfRust for shaping); a [`Shaper`] borrows them and turns text
//! into positioned glyphs with GPOS kerning, ligatures and the edition's
//! language (so `locl` forms apply).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use harfrust::{Buffer, Direction, Font, Language, Script, ShapeOptions, ShapePlan, ShaperFont};

use crate::diag::Diagnostic;
use crate::template::Pt;

/// Index of a face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub usize);

type Metrics<'a> = ttf_parser::Face<'a>;

self_cell::self_cell!(
    /// A face's bytes with ttf-parser's view of them, for metrics and the
    /// character map.
    struct Parsed {
        owner: Arc<Vec<u8>>,
        #[covariant]
        dependent: Metrics,
    }
);

/// One loaded face: its bytes, parsed, and the metrics layout and render need.
pub struct FaceData {
    /// Face name from the template (`regular`, `bold`, …).
    pub name: String,
    /// File it came from, relative to the project folder.
    pub path: String,
    parsed: Parsed,
    /// The face for HarfRust, sharing the bytes; it keeps the lookup tables
    /// it prepares on first use, so only the first build pays for them.
    font: Font,
    /// Font units per em.
    pub units_per_em: f64,
    /// Capital height in em (for optical alignment and link boxes).
    pub cap_height: f64,
    /// Typographic descender in em (positive, below the baseline).
    pub descender: f64,
}

impl FaceData {
    /// The TrueType file.
    pub fn bytes(&self) -> &[u8] {
        self.parsed.borrow_owner()
    }

    /// The face's metrics, character map and names.
    pub fn metrics(&self) -> &ttf_parser::Face<'_> {
        self.parsed.borrow_dependent()
    }
}

impl std::fmt::Debug for FaceData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceData")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("bytes", &self.bytes().len())
            .finish_non_exhaustive()
    }
}

/// Shape plans by face, script and language.
type Plans = BTreeMap<(usize, Option<Script>, String), Arc<ShapePlan>>;

/// Every face a template uses, loaded once and shared by builds, with the
/// shape plans compiled for them so far.
#[derive(Default)]
pub struct FontBook {
    faces: Vec<FaceData>,
    by_name: BTreeMap<String, FontId>,
    plans: Mutex<Plans>,
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontBook")
            .field("faces", &self.faces)
            .finish_non_exhaustive()
    }
}

impl FontBook {
    /// Adds a face from TrueType bytes; refuses files that are not fonts.
    pub fn add(&mut self, name: &str, path: &str, bytes: Vec<u8>) -> Result<FontId, Diagnostic> {
        let not_a_font = || {
            Diagnostic::error(
                None,
                format!("failed to load font `{path}` (not a TrueType or OpenType file)"),
            )
            .with_hint("ship .ttf files under fonts/ and name them in the template's [fonts]")
        };
        let bytes = Arc::new(bytes);
        let parsed = Parsed::try_new(Arc::clone(&bytes), |bytes| {
            ttf_parser::Face::parse(bytes, 0).map_err(|_| ())
        })
        .map_err(|()| not_a_font())?;
        let face = parsed.borrow_dependent();
        if face.tables().glyf.is_none() {
            // PDF embeds CFF outlines differently (FontFile3, CIDFontType0);
            // the renderer writes TrueType only.
            return Err(Diagnostic::error(
                None,
                format!("font `{path}` has PostScript (CFF) outlines, not TrueType ones"),
            )
            .with_hint("use the family's TrueType files (.ttf with glyf outlines)"));
        }
        let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = bytes;
        let font = Font::new(shared, 0).ok_or_else(not_a_font)?;
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
            parsed,
            font,
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
        Shaper {
            book: self,
            language: language.parse().ok(),
            tag: language.to_string(),
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
    /// Where the glyph is drawn from the pen position, in pt (x right, y
    /// up): GPOS mark positioning puts a combining accent over its letter.
    /// Zero for nearly every glyph.
    pub offset: (Pt, Pt),
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: usize,
    /// The text this glyph stands for (for copy and search).
    pub text: GlyphText,
}

/// The text a glyph stands for: nearly always one character or a short
/// ligature, so it is kept inline (a build has thousands of glyphs, and a
/// heap string each was a tenth of shaping time).
#[derive(Clone, PartialEq, Eq)]
pub struct GlyphText(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

/// Bytes kept inline (the enum is then the size of a `String`).
const INLINE: usize = 22;

impl GlyphText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever filled from a whole `&str` (see `From`).
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(text) => text,
        }
    }
}

impl From<&str> for GlyphText {
    fn from(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            GlyphText(Repr::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            GlyphText(Repr::Heap(text.into()))
        }
    }
}

impl Default for GlyphText {
    fn default() -> Self {
        GlyphText::from("")
    }
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for GlyphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for GlyphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text shaped in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    /// Glyphs in visual order (left to right).
    pub glyphs: Vec<Glyph>,
    /// Sum of the advances.
    pub width: Pt,
}

/// Shapes text with HarfRust for one language. Each build makes its own;
/// it only borrows the book's parsed faces and plans, so it costs nothing.
pub struct Shaper<'a> {
    book: &'a FontBook,
    language: Option<Language>,
    /// The language tag (the plans' key).
    tag: String,
}

impl Shaper<'_> {
    /// The book the shaper draws from.
    pub fn book(&self) -> &FontBook {
        self.book
    }

    /// Shapes `text` in face `font` at `size`, with `tracking` (em) added
    /// after every glyph but the last. Each run of one script is shaped
    /// with that script and the edition's language, so Serbian Cyrillic
    /// gets its `locl` forms even after a Latin word.
    pub fn shape(&self, font: FontId, text: &str, size: Pt, tracking: f64) -> Shaped {
        let data = self.book.face(font);
        let scale = size / data.units_per_em;
        let mut glyphs = Vec::with_capacity(text.len());
        for (range, script) in script_runs(text) {
            self.shape_run(font, text, range, script, scale, &mut glyphs);
        }
        // Tracking goes between clusters, never between a letter and its
        // combining mark (a later glyph of a cluster carries no text).
        for i in 1..glyphs.len() {
            if !glyphs[i].text.is_empty() {
                glyphs[i - 1].advance += tracking * size;
            }
        }
        let width = glyphs.iter().map(|g| g.advance).sum();
        Shaped { glyphs, width }
    }

    fn shape_run(
        &self,
        font: FontId,
        text: &str,
        range: std::ops::Range<usize>,
        script: Option<Script>,
        scale: f64,
        glyphs: &mut Vec<Glyph>,
    ) {
        let metrics = self.book.faces[font.0].metrics();
        let mut buffer = Buffer::new();
        buffer.push_str(&text[range.clone()]);
        buffer.set_direction(Direction::LeftToRight);
        if script.is_some() {
            buffer.set_script(script);
        }
        buffer.set_language(self.language.clone());
        buffer.guess_segment_properties();
        let plan = self.plan(font.0, buffer.script());
        let options = ShapeOptions::new().plan(Some(&plan));
        // Shaping fails only when the plan does not fit the buffer, and the
        // plan is made for the buffer's own direction and script.
        let shaper_font = ShaperFont::new(&self.book.faces[font.0].font);
        if harfrust::shape(&shaper_font, &mut buffer, options).is_err() {
            return;
        }
        let infos = buffer.glyph_infos();
        let positions = buffer.glyph_positions();
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let cluster = range.start + info.cluster as usize;
            let end = infos[i..]
                .iter()
                .find(|next| next.cluster != info.cluster)
                .map_or(range.end, |next| range.start + next.cluster as usize);
            let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
            let id = info.glyph_id as u16;
            let font_advance = metrics
                .glyph_hor_advance(ttf_parser::GlyphId(id))
                .map_or(0.0, |a| f64::from(a) * scale);
            glyphs.push(Glyph {
                id,
                advance: f64::from(pos.x_advance) * scale,
                font_advance,
                offset: (
                    f64::from(pos.x_offset) * scale,
                    f64::from(pos.y_offset) * scale,
                ),
                cluster,
                text: if first_of_cluster {
                    cluster_text(text, cluster, end)
                } else {
                    GlyphText::default()
                },
            });
        }
    }

    /// The plan for `face`, `script` and the shaper's language, compiled
    /// on first use (it costs more than shaping a paragraph) and kept in
    /// the book for every later build.
    fn plan(&self, face: usize, script: Option<Script>) -> Arc<ShapePlan> {
        let key = (face, script, self.tag.clone());
        let mut plans = self.book.plans.lock().unwrap_or_else(|e| e.into_inner());
        let plan = plans.entry(key).or_insert_with(|| {
            Arc::new(ShapePlan::new(
                &self.book.faces[face].font,
                Direction::LeftToRight,
                script,
                self.language.as_ref(),
                &[],
            ))
        });
        Arc::clone(plan)
    }

    /// Whether some face of the book has a glyph for `c`.
    pub fn any_face_has(&self, c: char) -> bool {
        self.book
            .faces
            .iter()
            .any(|face| face.metrics().glyph_index(c).is_some())
    }

    /// Characters of `text` that face `font` has no glyph for.
    pub fn missing_chars(&self, font: FontId, text: &str) -> Vec<char> {
        let face = self.book.faces[font.0].metrics();
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !c.is_control() && face.glyph_index(*c).is_none())
            .collect();
        missing.dedup();
        missing
    }
}

/// Splits text into runs of one script; spaces, digits and punctuation
/// (script Common or Inherited) join the run they stand in.
fn script_runs(text: &str) -> Vec<(std::ops::Range<usize>, Option<Script>)> {
    use unicode_script::{Script as Uscript, UnicodeScript};
    let mut runs: Vec<(std::ops::Range<usize>, Option<Uscript>)> = Vec::new();
    for (i, c) in text.char_indices() {
        let script = match c.script() {
            Uscript::Common | Uscript::Inherited | Uscript::Unknown => None,
            other => Some(other),
        };
        match runs.last_mut() {
            Some((range, current))
                if script.is_none() || *current == script || current.is_none() =>
            {
                range.end = i + c.len_utf8();
                if current.is_none() {
                    *current = script;
                }
            }
            _ => runs.push((i..i + c.len_utf8(), script)),
        }
    }
    runs.into_iter()
        .map(|(range, script)| {
            let tag = script.and_then(|s| {
                let name = s.short_name().as_bytes();
                let bytes: [u8; 4] = name.try_into().ok()?;
                Script::from_iso15924_tag(harfrust::Tag::new(&bytes))
            });
            (range, tag)
        })
        .collect()
}

/// The text a cluster stands for; a no-break space copies as a plain space.
fn cluster_text(text: &str, start: usize, end: usize) -> GlyphText {
    let (start, end) = (start.min(end), end.max(start).min(text.len()));
    let cluster = text.get(start..end).unwrap_or("");
    if cluster.contains(['\u{a0}', '\u{202f}']) {
        GlyphText::from(cluster.replace(['\u{a0}', '\u{202f}'], " ").as_str())
    } else {
        GlyphText::from(cluster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> FontBook {
        let mut book = FontBook::default();
        for (name, file) in [
            ("regular", "NotoSans-Regular.ttf"),
            ("italic", "NotoSans-Italic.ttf"),
        ] {
            let path = format!("{}/fonts/{file}", env!("CARGO_MANIFEST_DIR"));
            book.add(name, file, std::fs::read(path).unwrap()).unwrap();
        }
        book
    }

    fn ids(book: &FontBook, language: &str, text: &str) -> Vec<u16> {
        let shaper = book.shaper(language);
        let italic = book.id("italic").unwrap();
        shaper
            .shape(italic, text, 10.0, 0.0)
            .glyphs
            .iter()
            .map(|g| g.id)
            .collect()
    }

    #[test]
    fn a_combining_mark_sits_over_its_letter_and_tracking_skips_it() {
        let book = book();
        let regular = book.id("regular").unwrap();
        // Cyrillic capital A with a grave accent: no precomposed form.
        let shaper = book.shaper("sr-Cyrl");
        let shaped = shaper.shape(regular, "\u{410}\u{300}Б", 10.0, 0.1);
        let [letter, mark, next] = &shaped.glyphs[..] else {
            panic!("{:?}", shaped.glyphs)
        };
        assert_eq!(mark.text, "");
        // Tracking (1 pt) goes after the whole cluster: on the mark, which
        // has no advance of its own, and not between letter and mark.
        let plain = shaper.shape(regular, "\u{410}\u{300}Б", 10.0, 0.0);
        assert_eq!(letter.advance, plain.glyphs[0].advance);
        assert_eq!(mark.advance, plain.glyphs[1].advance + 1.0);
        // The mark's ink, drawn from the pen after the letter and moved by
        // its offset, is centred over the letter (and raised for a capital).
        let face = book.face(regular);
        let bbox = face
            .metrics()
            .glyph_bounding_box(ttf_parser::GlyphId(mark.id))
            .unwrap();
        let scale = 10.0 / face.units_per_em;
        let centre =
            letter.advance + mark.offset.0 + f64::from(bbox.x_min + bbox.x_max) / 2.0 * scale;
        assert!(
            (centre - letter.advance / 2.0).abs() < 0.5,
            "{centre} {mark:?}"
        );
        assert!(mark.offset.1 > 0.0, "{:?}", mark.offset);
        assert_eq!(next.offset, (0.0, 0.0));
    }

    #[test]
    fn fonts_without_truetype_outlines_are_refused() {
        let mut bytes = std::fs::read(format!(
            "{}/fonts/NotoSans-Regular.ttf",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // Rename the glyf table in the table directory: still a font, but
        // without TrueType outlines (as a CFF-flavoured OpenType file is).
        let count = usize::from(u16::from_be_bytes([bytes[4], bytes[5]]));
        let record = (0..count)
            .map(|i| 12 + 16 * i)
            .find(|&at| &bytes[at..at + 4] == b"glyf")
            .unwrap();
        bytes[record..record + 4].copy_from_slice(b"glyF");
        let error = FontBook::default()
            .add("regular", "fonts/X.otf", bytes)
            .unwrap_err();
        assert!(error.message.contains("not TrueType"), "{}", error.message);
    }

    #[test]
    fn glyph_text_is_kept_whole_inline_or_not() {
        for text in [
            "",
            "a",
            "ffi",
            "ë",
            "\u{ad}",
            "ŋ".repeat(11).as_str(),
            "a".repeat(40).as_str(),
        ] {
            let glyph_text = GlyphText::from(text);
            assert_eq!(glyph_text.as_str(), text);
            assert_eq!(glyph_text, text);
        }
        assert_eq!(
            std::mem::size_of::<GlyphText>(),
            std::mem::size_of::<String>()
        );
    }

    #[test]
    fn serbian_cyrillic_italic_takes_the_serbian_forms() {
        let book = book();
        // Noto Sans Italic: б г д п т are 455 457 458 469 472 (Russian
        // forms) and 2411–2415 (uni04xx.loclSRB) with language sr.
        assert_eq!(ids(&book, "ru", "бгдпт"), [455, 457, 458, 469, 472]);
        assert_eq!(
            ids(&book, "sr-Cyrl", "бгдпт"),
            [2411, 2412, 2413, 2414, 2415]
        );
        // A Latin word first must not make the Cyrillic run Latin.
        let mixed = ids(&book, "sr-Cyrl", "NPA бгдпт");
        assert_eq!(mixed[mixed.len() - 5..], [2411, 2412, 2413, 2414, 2415]);
    }

    #[test]
    fn kerning_narrows_av() {
        let book = book();
        let shaper = book.shaper("en");
        let regular = book.id("regular").unwrap();
        let av = shaper.shape(regular, "AV", 10.0, 0.0);
        let sum: f64 = av.glyphs.iter().map(|g| g.font_advance).sum();
        assert!(av.width < sum - 0.1, "{} vs {sum}", av.width);
    }

    #[test]
    fn clusters_keep_their_text() {
        let book = book();
        let shaper = book.shaper("en");
        let regular = book.id("regular").unwrap();
        let shaped = shaper.shape(regular, "office Звечан", 10.0, 0.0);
        let text: String = shaped.glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "office Звечан");
    }
}
