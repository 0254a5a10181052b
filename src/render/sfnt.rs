//! Slims TrueType faces (render stage): drops the hinting (`fpgm`, `prep`,
//! `cvt `, and each glyph's instructions) from each whole face once, before
//! the PDF writer parses and subsets it, and the `name` table from every
//! embedded subset in the lopdf post-pass; together they were more than
//! half of every subset. Outlines, metrics and the glyph order stay byte-for-byte, so
//! widths, CIDs and text extraction do not change.
//!
//! Why hinting can go: it snaps outlines to the pixel grid of small text on
//! screens, but PDF viewers (pdf.js, pdfium, Preview, MuPDF) rasterise
//! without TrueType bytecode, and at print resolutions it does nothing. The
//! `name` table is not read from an embedded font: the PDF font dictionary
//! names it.

/// Tables that are dropped (hinting programs and their data, names).
const DROPPED: [&[u8; 4]; 7] = [
    b"name", b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX",
];

/// Whether the `name` table goes too: an embedded subset does not need it,
/// but the PDF writer reads a whole face's PostScript name from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Names {
    Keep,
    Drop,
}

/// Returns the font without hinting (and names, unless kept), or `None`
/// when the font is not a TrueType program this code understands (it is
/// then kept as it is).
pub fn strip_hinting(font: &[u8], names: Names) -> Option<Vec<u8>> {
    let tables = read_directory(font)?;
    let table = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag).map(|t| t.data);
    let head = table(b"head")?;
    let loca = table(b"loca")?;
    let glyf = table(b"glyf")?;
    let maxp = table(b"maxp")?;
    let glyphs = usize::from(be16(maxp, 4)?);
    let long = be16(head, 50)? == 1;
    let offsets = read_loca(loca, glyphs, long)?;
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_offsets = Vec::with_capacity(glyphs + 1);
    for pair in offsets.windows(2) {
        new_offsets.push(new_glyf.len());
        let glyph = glyf.get(pair[0]..pair[1])?;
        new_glyf.extend(strip_glyph(glyph)?);
        // Keep every glyph on an even offset so a short `loca` can hold it.
        if new_glyf.len() % 2 == 1 {
            new_glyf.push(0);
        }
    }
    new_offsets.push(new_glyf.len());
    let short = new_glyf.len() < 0x2_0000;
    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for t in &tables {
        if DROPPED.contains(&&t.tag) && !(names == Names::Keep && &t.tag == b"name") {
            continue;
        }
        let data = match &t.tag {
            b"glyf" => new_glyf.clone(),
            b"loca" => write_loca(&new_offsets, short),
            b"head" => {
                let mut head = t.data.to_vec();
                head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
                head.get_mut(50..52)?
                    .copy_from_slice(&(i16::from(!short)).to_be_bytes());
                head
            }
            b"maxp" => {
                let mut maxp = t.data.to_vec();
                // Version 1.0 maxp: twilight points, storage, function and
                // instruction definitions, stack and instruction size are
                // all about hinting, which is gone.
                if maxp.len() >= 32 {
                    for offset in [16, 18, 20, 22, 24, 26] {
                        maxp[offset..offset + 2].copy_from_slice(&[0, 0]);
                    }
                    maxp[14..16].copy_from_slice(&1u16.to_be_bytes());
                }
                maxp
            }
            _ => t.data.to_vec(),
        };
        out_tables.push((t.tag, data));
    }
    Some(write_font(be32(font, 0)?, &out_tables))
}

struct Table<'a> {
    tag: [u8; 4],
    data: &'a [u8],
}

fn read_directory(font: &[u8]) -> Option<Vec<Table<'_>>> {
    // TrueType outlines only (0x00010000 or 'true'); CFF fonts have no glyf.
    let version = be32(font, 0)?;
    if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
        return None;
    }
    let count = usize::from(be16(font, 4)?);
    (0..count)
        .map(|i| {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = be32(font, record + 8)? as usize;
            let length = be32(font, record + 12)? as usize;
            let data = font.get(offset..offset.checked_add(length)?)?;
            Some(Table { tag, data })
        })
        .collect()
}

fn read_loca(loca: &[u8], glyphs: usize, long: bool) -> Option<Vec<usize>> {
    let offsets: Option<Vec<usize>> = (0..=glyphs)
        .map(|i| {
            if long {
                be32(loca, 4 * i).map(|o| o as usize)
            } else {
                be16(loca, 2 * i).map(|o| usize::from(o) * 2)
            }
        })
        .collect();
    let offsets = offsets?;
    offsets.windows(2).all(|w| w[0] <= w[1]).then_some(offsets)
}

fn write_loca(offsets: &[usize], short: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(offsets.len() * 4);
    for &offset in offsets {
        if short {
            out.extend(((offset / 2) as u16).to_be_bytes());
        } else {
            out.extend((offset as u32).to_be_bytes());
        }
    }
    out
}

/// One glyph without its instructions (OpenType `glyf` table layout).
fn strip_glyph(glyph: &[u8]) -> Option<Vec<u8>> {
    if glyph.is_empty() {
        return Some(Vec::new());
    }
    let contours = be16(glyph, 0)? as i16;
    if contours >= 0 {
        // Header (10 bytes), endPtsOfContours, instructionLength, instructions, the rest.
        let at = 10 + 2 * contours as usize;
        let length = usize::from(be16(glyph, at)?);
        let mut out = glyph.get(..at)?.to_vec();
        out.extend([0, 0]);
        out.extend(glyph.get(at + 2 + length..)?);
        return Some(out);
    }
    // Composite: walk the components, clear WE_HAVE_INSTRUCTIONS, and cut
    // the instructions that follow the last component.
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    const HAVE_INSTRUCTIONS: u16 = 0x0100;
    let mut out = glyph.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = be16(glyph, at)?;
        let mut size = 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        size += if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_XY_SCALE != 0 {
            4
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        out.extend((flags & !HAVE_INSTRUCTIONS).to_be_bytes());
        out.extend(glyph.get(at + 2..at + size)?);
        at += size;
        if flags & MORE_COMPONENTS == 0 {
            return Some(out);
        }
    }
}

/// Writes an sfnt with fresh table records, checksums and head adjustment.
fn write_font(version: u32, tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let power = if count == 0 {
        0
    } else {
        15 - count.leading_zeros() as u16
    };
    let search_range = (1u16 << power) * 16;
    let mut out = Vec::new();
    out.extend(version.to_be_bytes());
    out.extend(count.to_be_bytes());
    out.extend(search_range.to_be_bytes());
    out.extend(power.to_be_bytes());
    out.extend((count * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend(tag);
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    let mut head_at = None;
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The glyph count of a TrueType program (`maxp.numGlyphs`).
pub fn glyph_count(font: &[u8]) -> Option<u16> {
    let tables = read_directory(font)?;
    let maxp = tables.iter().find(|t| &t.tag == b"maxp")?.data;
    be16(maxp, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noto() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSans-Regular.ttf"
        ))
        .unwrap()
    }

    #[test]
    fn stripping_keeps_outlines_metrics_and_glyph_count() {
        let font = noto();
        let slim = strip_hinting(&font, Names::Drop).expect("Noto Sans is TrueType");
        let glyf = |data: &[u8]| {
            read_directory(data)
                .unwrap()
                .iter()
                .find(|t| &t.tag == b"glyf")
                .unwrap()
                .data
                .len()
        };
        // Noto Sans's instructions are about 40 % of its outline table.
        assert!(
            glyf(&slim) * 10 < glyf(&font) * 7,
            "{} of {}",
            glyf(&slim),
            glyf(&font)
        );
        let before = ttf_parser::Face::parse(&font, 0).unwrap();
        let after = ttf_parser::Face::parse(&slim, 0).unwrap();
        assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
        assert_eq!(glyph_count(&slim), Some(before.number_of_glyphs()));
        for id in (0..before.number_of_glyphs()).step_by(7) {
            let gid = ttf_parser::GlyphId(id);
            assert_eq!(before.glyph_hor_advance(gid), after.glyph_hor_advance(gid));
            assert_eq!(
                before.glyph_bounding_box(gid),
                after.glyph_bounding_box(gid)
            );
        }
        let tables = read_directory(&slim).unwrap();
        assert!(tables.iter().all(|t| !DROPPED.contains(&&t.tag)));
    }

    #[test]
    fn whole_font_checksum_is_the_magic_number() {
        let slim = strip_hinting(&noto(), Names::Drop).unwrap();
        assert_eq!(checksum(&slim), 0xB1B0_AFBA);
    }

    #[test]
    fn other_data_is_left_alone() {
        assert_eq!(strip_hinting(b"OTTO\0\0", Names::Drop), None);
        assert_eq!(strip_hinting(b"", Names::Drop), None);
    }
}
