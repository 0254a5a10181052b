//! Embedded fonts (render stage): each face a document draws with becomes a
//! Type 0 font over a CIDFontType2 whose TrueType program is cut down to the
//! glyphs used (typst's `subsetter`, renumbered from 1 in glyph order, so
//! code = CID = new glyph id), with its widths (`/W`) and a ToUnicode map so
//! text copies and searches as it was typed (ISO 32000-1, 9.7 and 9.10).

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use subsetter::GlyphRemapper;

use super::{file, name, sfnt};

/// What every build needs of one face, read once per process: the program
/// to subset (hinting and names stripped, a third of the bytes) and the
/// font descriptor's metrics.
#[derive(Debug)]
pub struct Face {
    program: Vec<u8>,
    postscript_name: String,
    units_per_em: f64,
    /// Advance of every glyph, in font units.
    advances: Vec<u16>,
    ascent: f64,
    descent: f64,
    cap_height: f64,
    bbox: [f64; 4],
    italic_angle: f64,
    flags: i64,
    stem_v: f64,
}

impl Face {
    /// Reads a TrueType face; `None` when it is not one.
    pub fn new(bytes: &[u8]) -> Option<Face> {
        let face = ttf_parser::Face::parse(bytes, 0).ok()?;
        let upem = f64::from(face.units_per_em());
        let em = |v: f64| v * 1000.0 / upem;
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            // A PDF name from printable ASCII only; never empty.
            .map(|n| {
                n.replace(
                    |c: char| !c.is_ascii_graphic() || "()<>[]{}/%#".contains(c),
                    "",
                )
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Font".into());
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let bbox = face.global_bounding_box();
        // Flags (9.8.2): non-symbolic (32); italic (64); fixed pitch (1).
        let flags = 32 + if face.is_italic() { 64 } else { 0 } + i64::from(face.is_monospaced());
        // No face records its stem width; this usual estimate from the
        // weight class gives 88 for Regular and 166 for Bold.
        let weight = f64::from(face.weight().to_number());
        let stem_v = 50.0 + (weight / 65.0).powi(2);
        let program =
            sfnt::strip_hinting(bytes, sfnt::Names::Drop).unwrap_or_else(|| bytes.to_vec());
        Some(Face {
            program,
            postscript_name,
            units_per_em: upem,
            advances,
            ascent: em(f64::from(face.ascender())),
            descent: em(f64::from(face.descender())),
            cap_height: em(f64::from(face.capital_height().unwrap_or(face.ascender()))),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max].map(|v| em(f64::from(v))),
            italic_angle: f64::from(face.italic_angle()),
            flags,
            stem_v: stem_v.round(),
        })
    }

    /// A glyph's width in thousandths of an em (what `/W` holds).
    fn width(&self, glyph: u16) -> f64 {
        let units = self.advances.get(usize::from(glyph)).copied().unwrap_or(0);
        f64::from(units) * 1000.0 / self.units_per_em
    }
}

/// The glyphs one document draws from a face, each with the text it stands
/// for, numbered for the subset.
#[derive(Debug)]
pub struct Subset<'a> {
    remapper: GlyphRemapper,
    /// Original glyph and its text (the first non-empty one drawn with
    /// it), in glyph order.
    texts: Vec<(u16, &'a str)>,
}

/// Collects the glyphs drawn from a face, one slot per glyph id (a page
/// draws thousands of glyphs from a few hundred ids).
#[derive(Debug, Default)]
pub struct Glyphs<'a> {
    texts: Vec<Option<(&'a str, Claim)>>,
}

/// How surely a text is what a glyph stands for; a ToUnicode map has one
/// text per glyph, so the surest one seen wins (the first among equals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim {
    /// No text: a later glyph of a cluster (the first carries its text).
    None,
    /// A soft hyphen: the hyphen drawn at a line break, which a font may
    /// share with the hyphen typed in the text.
    BreakHyphen,
    /// A cluster of several glyphs (a letter and a mark), whose text the
    /// first glyph carries whole.
    Cluster,
    /// The glyph alone stands for the text (a letter, a ligature).
    Alone,
}

impl<'a> Glyphs<'a> {
    /// Records that `glyph` is drawn for `text`; `alone` when it is its
    /// cluster's only glyph.
    pub fn add(&mut self, glyph: u16, text: &'a str, alone: bool) {
        let claim = match text {
            "" => Claim::None,
            "\u{ad}" => Claim::BreakHyphen,
            _ if alone => Claim::Alone,
            _ => Claim::Cluster,
        };
        let index = usize::from(glyph);
        if index >= self.texts.len() {
            self.texts.resize(index + 1, None);
        }
        let slot = &mut self.texts[index];
        if slot.is_none_or(|(_, held)| claim > held) {
            *slot = Some((text, claim));
        }
    }

    /// The subset: glyphs numbered in ascending id order after .notdef.
    pub fn subset(self) -> Subset<'a> {
        let texts: Vec<(u16, &str)> = self
            .texts
            .into_iter()
            .enumerate()
            .filter_map(|(glyph, slot)| Some((glyph as u16, slot?.0)))
            .collect();
        let mut remapper = GlyphRemapper::new();
        for (glyph, _) in &texts {
            remapper.remap(*glyph);
        }
        Subset { remapper, texts }
    }
}

impl<'a> Subset<'a> {
    /// Numbers `glyphs` (original id, text, alone in its cluster) in
    /// ascending id order.
    #[cfg(test)]
    pub fn new(glyphs: impl IntoIterator<Item = (u16, &'a str, bool)>) -> Subset<'a> {
        let mut collected = Glyphs::default();
        for (glyph, text, alone) in glyphs {
            collected.add(glyph, text, alone);
        }
        collected.subset()
    }

    /// The code (CID) that draws original glyph `glyph`.
    pub fn code(&self, glyph: u16) -> Option<u16> {
        self.remapper.get(glyph)
    }

    /// Original glyph ids, in id order (for the subset tag).
    pub fn glyphs(&self) -> impl Iterator<Item = u16> + '_ {
        self.texts.iter().map(|(glyph, _)| *glyph)
    }

    /// Adds the font's objects to `doc` and returns the Type 0 font's id.
    /// `tag` is the six-letter subset tag.
    pub fn write(&self, face: &Face, tag: &str, doc: &mut Document) -> Result<ObjectId, String> {
        let program = subsetter::subset(&face.program, 0, &self.remapper)
            .map_err(|e| format!("could not subset the font ({e})"))?;
        let base_font = format!("{tag}+{}", face.postscript_name);

        let mut file = Dictionary::new();
        file.set("Length1", program.len() as i64);
        let file = doc.add_object(Stream::new(file, program));

        let mut descriptor = Dictionary::new();
        descriptor.set("Type", name("FontDescriptor"));
        descriptor.set("FontName", name(&base_font));
        descriptor.set("Flags", face.flags);
        descriptor.set("FontBBox", reals(&face.bbox));
        descriptor.set("ItalicAngle", real(face.italic_angle));
        descriptor.set("Ascent", real(face.ascent));
        descriptor.set("Descent", real(face.descent));
        descriptor.set("CapHeight", real(face.cap_height));
        descriptor.set("StemV", real(face.stem_v));
        descriptor.set("FontFile2", Object::Reference(file));
        let descriptor = doc.add_object(descriptor);

        let mut system = Dictionary::new();
        system.set("Registry", literal("Adobe"));
        system.set("Ordering", literal("Identity"));
        system.set("Supplement", 0);
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", name("Font"));
        cid_font.set("Subtype", name("CIDFontType2"));
        cid_font.set("BaseFont", name(&base_font));
        cid_font.set("CIDSystemInfo", Object::Dictionary(system));
        cid_font.set("FontDescriptor", Object::Reference(descriptor));
        cid_font.set("CIDToGIDMap", name("Identity"));
        cid_font.set("W", self.widths(face));
        let cid_font = doc.add_object(cid_font);

        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), self.to_unicode(tag)));

        let mut font = Dictionary::new();
        font.set("Type", name("Font"));
        font.set("Subtype", name("Type0"));
        font.set("BaseFont", name(&base_font));
        font.set("Encoding", name("Identity-H"));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        );
        font.set("ToUnicode", Object::Reference(to_unicode));
        Ok(doc.add_object(font))
    }

    /// `/W [0 [w0 w1 …]]`: every code's width, from .notdef on.
    fn widths(&self, face: &Face) -> Object {
        let widths = self
            .remapper
            .remapped_gids()
            .map(|glyph| real(face.width(glyph)))
            .collect();
        Object::Array(vec![Object::Integer(0), Object::Array(widths)])
    }

    /// The ToUnicode CMap: each code to the UTF-16 of its text (several
    /// characters for a ligature).
    fn to_unicode(&self, tag: &str) -> Vec<u8> {
        let mut entries = Vec::with_capacity(self.texts.len());
        for (glyph, text) in &self.texts {
            let Some(code) = self.code(*glyph).filter(|_| !text.is_empty()) else {
                continue;
            };
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let mut line = Vec::with_capacity(16);
            file::hex(&mut line, &code.to_be_bytes());
            line.push(b' ');
            file::hex(&mut line, &utf16);
            entries.push(line);
        }
        let mut cmap: Vec<u8> = format!(
            "/CIDInit /ProcSet findresource begin\n\
             12 dict begin\n\
             begincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /{tag}-UCS def\n\
             /CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        )
        .into_bytes();
        // At most 100 mappings per block (PDF 9.10.3, CMap format limits).
        for block in entries.chunks(100) {
            cmap.extend_from_slice(format!("{} beginbfchar\n", block.len()).as_bytes());
            for line in block {
                cmap.extend_from_slice(line);
                cmap.push(b'\n');
            }
            cmap.extend_from_slice(b"endbfchar\n");
        }
        cmap.extend_from_slice(
            b"endcmap\n\
             CMapName currentdict /CMap defineresource pop\n\
             end\n\
             end\n",
        );
        cmap
    }
}

fn literal(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// A number, as an integer when it is one (most font metrics are).
fn real(v: f64) -> Object {
    let rounded = v.round();
    if (v - rounded).abs() < 1e-6 {
        Object::Integer(rounded as i64)
    } else {
        Object::Real(v as f32)
    }
}

fn reals(values: &[f64]) -> Object {
    Object::Array(values.iter().map(|v| real(*v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noto() -> Face {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSans-Regular.ttf"
        ))
        .unwrap();
        Face::new(&bytes).unwrap()
    }

    #[test]
    fn glyphs_are_numbered_in_id_order_after_notdef() {
        let subset = Subset::new([(70, "c", true), (68, "a", true), (70, "", false)]);
        assert_eq!(subset.code(68), Some(1));
        assert_eq!(subset.code(70), Some(2));
        assert_eq!(subset.code(69), None);
    }

    #[test]
    fn the_surest_text_drawn_with_a_glyph_maps_it() {
        let cmap = |glyphs: &[(u16, &'static str, bool)]| {
            let subset = Subset::new(glyphs.iter().copied());
            String::from_utf8(subset.to_unicode("AAAAAA")).unwrap()
        };
        // A cluster's second glyph has no text of its own; a later use
        // with text maps it, and among equals the first one stays.
        let map = cmap(&[(5, "", false), (5, "fi", true), (5, "x", true)]);
        assert!(map.contains("<0001> <00660069>"), "{map}");
        assert!(!map.contains("<0078>"), "{map}");
        // A letter drawn first with a combining mark (а̀: a cluster of two
        // glyphs) maps to the letter alone once it is drawn alone.
        let map = cmap(&[
            (7, "\u{430}\u{300}", false),
            (9, "", false),
            (7, "\u{430}", true),
        ]);
        assert!(map.contains("<0001> <0430>\n"), "{map}");
        // A line-break hyphen sharing a glyph with a typed one copies as
        // the typed one.
        let map = cmap(&[(3, "\u{ad}", true), (3, "-", true)]);
        assert!(map.contains("<0001> <002D>"), "{map}");
    }

    #[test]
    fn descriptor_metrics_come_from_the_face() {
        let face = noto();
        assert_eq!(face.postscript_name, "NotoSans-Regular");
        assert_eq!(face.stem_v, 88.0);
        assert_eq!(face.cap_height, 714.0);
        assert_eq!(face.flags, 32);
    }

    #[test]
    fn the_subset_program_holds_only_the_glyphs_used() {
        let face = noto();
        let subset = Subset::new([(68, "a", true), (69, "b", true)]);
        let mut doc = Document::with_version("1.7");
        let font = subset.write(&face, "ABCDEF", &mut doc).unwrap();
        let font = doc.get_dictionary(font).unwrap();
        assert_eq!(
            font.get(b"BaseFont").unwrap().as_name().unwrap(),
            b"ABCDEF+NotoSans-Regular"
        );
        let program = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .find(|s| s.dict.has(b"Length1"))
            .unwrap();
        assert_eq!(sfnt::glyph_count(&program.content), Some(3));
        assert!(program.content.len() < face.program.len() / 50);
    }
}
