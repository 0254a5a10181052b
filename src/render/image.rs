//! Images for each output profile (render stage): encoded once per profile
//! and cached for the batch. Flat art (the PNG logo) stays lossless Flate, as an 8-bit
//! palette when it has at most 256 colours, with its alpha as a soft mask.
//! The print profile maps its colours onto the template's CMYK values, and
//! PDF/A-1b, which forbids soft masks, gets it flattened onto what the page
//! draws underneath. JPEG photos pass through untouched unless they are
//! finer than the profile needs at their printed size, then they are
//! downsampled and re-encoded.

use std::collections::{BTreeMap, BTreeSet};

use image::RgbaImage;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::profile::{PdfA, Profile};
use super::{flate, name};
use crate::layout::page::{Point, Rect};
use crate::template::{Color, Pt};

/// Something drawn before an image, as far as flattening needs to know.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A filled rectangle.
    Rect(Rect, Color),
    /// A filled disc.
    Disc(Point, Pt, Color),
}

impl Shape {
    fn covers(&self, x: Pt, y: Pt) -> Option<Color> {
        match *self {
            Shape::Rect(r, color) => {
                (x >= r.x && x <= r.right() && y >= r.y && y <= r.bottom()).then_some(color)
            }
            Shape::Disc(c, radius, color) => {
                ((x - c.x).powi(2) + (y - c.y).powi(2) <= radius * radius).then_some(color)
            }
        }
    }
}

/// Where and over what an image is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    /// The drawn area (pt, y down).
    pub rect: Rect,
    /// Fills and discs drawn before the image on its page, in drawing order.
    pub backdrop: &'a [Shape],
}

/// An image XObject ready to add to a document, with the streams its
/// dictionary refers to.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The image stream (its `/ColorSpace` and `/SMask` are set on adding).
    image: Stream,
    colour_space: ColourSpace,
    /// The alpha channel, for a transparent image that is not flattened.
    smask: Option<Stream>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Encoded {
    /// Adds the image and its colour table and soft mask to `doc`.
    pub fn add_to(&self, doc: &mut Document) -> ObjectId {
        let mut image = self.image.clone();
        let space = match &self.colour_space {
            ColourSpace::Device(space) => name(space.device()),
            ColourSpace::Indexed(space, count, lookup) => {
                let lookup = doc.add_object(lookup.clone());
                Object::Array(vec![
                    name("Indexed"),
                    name(space.device()),
                    Object::Integer(*count),
                    Object::Reference(lookup),
                ])
            }
        };
        image.dict.set("ColorSpace", space);
        if let Some(smask) = &self.smask {
            let smask = doc.add_object(smask.clone());
            image.dict.set("SMask", Object::Reference(smask));
        }
        doc.add_object(image)
    }

    #[cfg(test)]
    fn stream(&self) -> &Stream {
        &self.image
    }
}

/// The colours of an image's samples.
#[derive(Debug, Clone)]
enum ColourSpace {
    Device(Space),
    /// A palette: the base space, the highest index and the lookup table.
    Indexed(Space, i64, Stream),
}

/// Turns image file bytes into an image XObject for the profile. `palette`
/// holds the colours the pages use (print maps flat art onto their CMYK).
pub fn encode(
    bytes: &[u8],
    placement: &Placement,
    profile: Profile,
    palette: &[Color],
) -> Result<Encoded, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return encode_jpeg(bytes, placement.rect.width, profile);
    }
    let rgba = image::load_from_memory(bytes)
        .map_err(|e| e.to_string().to_lowercase())?
        .to_rgba8();
    Ok(encode_flat_art(&rgba, placement, profile, palette))
}

/// Whether this profile needs one image object per placement (flattening
/// depends on what is underneath).
pub fn per_placement(profile: Profile) -> bool {
    profile.pdfa() == Some(PdfA::A1b)
}

fn encode_flat_art(
    rgba: &RgbaImage,
    placement: &Placement,
    profile: Profile,
    palette: &[Color],
) -> Encoded {
    let (width, height) = rgba.dimensions();
    let mut pixels: Vec<[u8; 4]> = rgba.pixels().map(|p| p.0).collect();
    let transparent = pixels.iter().any(|p| p[3] < 255);
    let flatten = transparent && per_placement(profile);
    if flatten {
        flatten_onto(&mut pixels, width, height, placement);
    }
    // A fully transparent pixel's colour is never seen: make it paper white
    // so it joins the palette instead of adding to it.
    for p in pixels.iter_mut().filter(|p| p[3] == 0) {
        *p = [255, 255, 255, 0];
    }
    let (space, samples) = colour_samples(&pixels, profile, palette);
    let (colour_space, data) = pack(space, &samples);
    let smask = (transparent && !flatten).then(|| {
        let alpha = pixels.iter().map(|p| p[3]).collect();
        let mut mask = image_dict(width, height);
        mask.set("ColorSpace", name("DeviceGray"));
        deflated(mask, alpha)
    });
    Encoded {
        image: deflated(image_dict(width, height), data),
        colour_space,
        smask,
        width,
        height,
    }
}

/// The colour space of an image's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
}

impl Space {
    fn device(self) -> &'static str {
        match self {
            Space::Gray => "DeviceGray",
            Space::Rgb => "DeviceRGB",
            Space::Cmyk => "DeviceCMYK",
        }
    }
}

/// The pixels' colours in the profile's space: CMYK from the template for
/// print (RGB when a colour is not a blend of template colours: the
/// post-pass then tags it as sRGB), grey when every pixel is grey.
fn colour_samples(
    pixels: &[[u8; 4]],
    profile: Profile,
    palette: &[Color],
) -> (Space, Vec<Vec<u8>>) {
    if profile.cmyk()
        && let Some(cmyk) = to_template_cmyk(pixels, palette)
    {
        return (Space::Cmyk, cmyk);
    }
    if pixels.iter().all(|p| p[0] == p[1] && p[1] == p[2]) {
        return (Space::Gray, pixels.iter().map(|p| vec![p[0]]).collect());
    }
    (Space::Rgb, pixels.iter().map(|p| p[..3].to_vec()).collect())
}

/// An indexed colour space when there are at most 256 colours (a third of
/// the bytes for flat art), otherwise the samples as they are.
fn pack(space: Space, samples: &[Vec<u8>]) -> (ColourSpace, Vec<u8>) {
    let colours: BTreeSet<&[u8]> = samples.iter().map(Vec::as_slice).collect();
    if colours.len() > 256 || space == Space::Gray {
        return (ColourSpace::Device(space), samples.concat());
    }
    // Number the colours in sorted order so the bytes never depend on pixel order.
    let index: BTreeMap<&[u8], u8> = colours
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i as u8))
        .collect();
    let lookup: Vec<u8> = colours.iter().flat_map(|c| c.iter().copied()).collect();
    let data = samples.iter().map(|s| index[s.as_slice()]).collect();
    let indexed = ColourSpace::Indexed(
        space,
        colours.len() as i64 - 1,
        deflated(Dictionary::new(), lookup),
    );
    (indexed, data)
}

/// Largest RGB distance (0–1 per channel) of a pixel from a blend of two
/// template colours; more, and the image is not flat art in those colours.
const BLEND_TOLERANCE: f64 = 3.0 / 255.0;

/// Maps every visible pixel onto a blend of two page colours (antialiased
/// edges are blends) and takes the same blend of their CMYK values. `None`
/// when some pixel is no such blend.
fn to_template_cmyk(pixels: &[[u8; 4]], palette: &[Color]) -> Option<Vec<Vec<u8>>> {
    let mut cache: BTreeMap<[u8; 3], [u8; 4]> = BTreeMap::new();
    pixels
        .iter()
        .map(|p| {
            let rgb = [p[0], p[1], p[2]];
            if let Some(cmyk) = cache.get(&rgb) {
                return Some(cmyk.to_vec());
            }
            let cmyk = blend_cmyk(rgb, palette)?;
            cache.insert(rgb, cmyk);
            Some(cmyk.to_vec())
        })
        .collect()
}

fn blend_cmyk(rgb: [u8; 3], palette: &[Color]) -> Option<[u8; 4]> {
    let c = rgb.map(|v| f64::from(v) / 255.0);
    let mut best: Option<(f64, [f64; 4])> = None;
    for a in palette {
        for b in palette {
            let d: [f64; 3] = std::array::from_fn(|i| b.rgb[i] - a.rgb[i]);
            let length = d.iter().map(|v| v * v).sum::<f64>();
            let t = if length == 0.0 {
                0.0
            } else {
                ((0..3).map(|i| (c[i] - a.rgb[i]) * d[i]).sum::<f64>() / length).clamp(0.0, 1.0)
            };
            let distance = (0..3)
                .map(|i| (c[i] - (a.rgb[i] + t * d[i])).powi(2))
                .sum::<f64>()
                .sqrt();
            if best.is_none_or(|(bd, _)| distance < bd) {
                let cmyk = std::array::from_fn(|i| a.cmyk[i] + t * (b.cmyk[i] - a.cmyk[i]));
                best = Some((distance, cmyk));
            }
        }
    }
    let (distance, cmyk) = best?;
    (distance <= BLEND_TOLERANCE).then(|| cmyk.map(|v| (v * 255.0).round() as u8))
}

/// Composites the image onto what is drawn underneath it (the last fill or
/// disc covering each point, else paper white), 4 × 4 samples per pixel so
/// an edge underneath stays smooth.
fn flatten_onto(pixels: &mut [[u8; 4]], width: u32, height: u32, placement: &Placement) {
    const SAMPLES: u32 = 4;
    let Placement { rect, backdrop } = placement;
    let under = |x: Pt, y: Pt| {
        backdrop
            .iter()
            .rev()
            .find_map(|s| s.covers(x, y))
            .map_or([1.0; 3], |c| c.rgb)
    };
    for (i, p) in pixels.iter_mut().enumerate() {
        if p[3] == 255 {
            continue;
        }
        let (col, row) = (i as u32 % width, i as u32 / width);
        let mut bg = [0.0; 3];
        for s in 0..SAMPLES * SAMPLES {
            let fx = (f64::from(col) + (f64::from(s % SAMPLES) + 0.5) / f64::from(SAMPLES))
                / f64::from(width);
            let fy = (f64::from(row) + (f64::from(s / SAMPLES) + 0.5) / f64::from(SAMPLES))
                / f64::from(height);
            let rgb = under(rect.x + fx * rect.width, rect.y + fy * rect.height);
            for k in 0..3 {
                bg[k] += rgb[k] / f64::from(SAMPLES * SAMPLES);
            }
        }
        let a = f64::from(p[3]) / 255.0;
        for k in 0..3 {
            p[k] = (a * f64::from(p[k]) + (1.0 - a) * bg[k] * 255.0).round() as u8;
        }
        p[3] = 255;
    }
}

/// A JPEG: passed through, or downsampled when it is finer than the
/// profile's resolution at its printed width (10 % slack, so an image that
/// is about right is never re-encoded).
fn encode_jpeg(bytes: &[u8], width_pt: Pt, profile: Profile) -> Result<Encoded, String> {
    let (width, height, components) = jpeg_header(bytes).ok_or("not a readable JPEG")?;
    let space = match components {
        1 => Space::Gray,
        3 => Space::Rgb,
        n => {
            return Err(format!(
                "a JPEG with {n} colour channels is not supported; save it as RGB"
            ));
        }
    };
    let ppi = f64::from(width) / (width_pt / 72.0);
    let (bytes, width, height) = match profile.max_ppi() {
        Some(max) if ppi > max * 1.1 => {
            let scale = max / ppi;
            let w = ((f64::from(width) * scale).round() as u32).max(1);
            let h = ((f64::from(height) * scale).round() as u32).max(1);
            (
                downsample(bytes, w, h, space, profile.jpeg_quality())?,
                w,
                h,
            )
        }
        _ => (bytes.to_vec(), width, height),
    };
    let mut dict = image_dict(width, height);
    dict.set("Filter", name("DCTDecode"));
    Ok(Encoded {
        image: Stream::new(dict, bytes).with_compression(false),
        colour_space: ColourSpace::Device(space),
        smask: None,
        width,
        height,
    })
}

fn downsample(bytes: &[u8], w: u32, h: u32, space: Space, quality: u8) -> Result<Vec<u8>, String> {
    let decoded = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .map_err(|e| e.to_string().to_lowercase())?;
    let resized = decoded.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    let written = match space {
        Space::Gray => encoder.encode_image(&resized.to_luma8()),
        _ => encoder.encode_image(&resized.to_rgb8()),
    };
    written.map_err(|e| e.to_string().to_lowercase())?;
    Ok(out)
}

/// Width, height and number of components from a JPEG's frame header.
fn jpeg_header(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let sof = bytes.get(at + 4..at + 2 + length)?;
            let height = u16::from_be_bytes([sof[1], sof[2]]);
            let width = u16::from_be_bytes([sof[3], sof[4]]);
            return Some((u32::from(width), u32::from(height), sof[5]));
        }
        at += 2 + length;
    }
}

fn image_dict(width: u32, height: u32) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Type", name("XObject"));
    dict.set("Subtype", name("Image"));
    dict.set("Width", i64::from(width));
    dict.set("Height", i64::from(height));
    dict.set("BitsPerComponent", 8);
    dict
}

/// A stream compressed now, at the best level: encoded images are cached
/// for the whole batch, so no build compresses them again.
fn deflated(mut dict: Dictionary, content: Vec<u8>) -> Stream {
    let content = match flate::deflate_if_smaller(&content, flate::ONCE) {
        Some(compressed) => {
            dict.set("Filter", name("FlateDecode"));
            compressed
        }
        None => content,
    };
    Stream::new(dict, content).with_compression(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn color(rgb: [f64; 3], cmyk: [f64; 4]) -> Color {
        Color { rgb, cmyk }
    }

    fn palette() -> Vec<Color> {
        vec![
            color(
                [200.0 / 255.0, 16.0 / 255.0, 46.0 / 255.0],
                [0.0, 1.0, 0.85, 0.05],
            ),
            color([1.0; 3], [0.0; 4]),
        ]
    }

    #[test]
    fn template_colours_and_their_blends_map_to_template_cmyk() {
        let p = palette();
        assert_eq!(blend_cmyk([200, 16, 46], &p), Some([0, 255, 217, 13]));
        assert_eq!(blend_cmyk([255, 255, 255], &p), Some([0, 0, 0, 0]));
        // Half way from brand red to white (an antialiased edge).
        let half = blend_cmyk([228, 136, 150], &p).unwrap();
        for (got, want) in half.iter().zip([0, 128, 108, 6]) {
            assert!(got.abs_diff(want) <= 1, "{half:?}");
        }
        // Green is no blend of red and white.
        assert_eq!(blend_cmyk([0, 160, 0], &p), None);
    }

    #[test]
    fn few_colours_become_a_palette() {
        let samples = vec![vec![9, 9, 9], vec![1, 2, 3], vec![9, 9, 9]];
        let (space, data) = pack(Space::Rgb, &samples);
        assert_eq!(data, vec![1, 0, 1]);
        let ColourSpace::Indexed(Space::Rgb, highest, lookup) = space else {
            panic!("{space:?}")
        };
        assert_eq!(highest, 1);
        assert_eq!(
            lookup.decompressed_content().unwrap(),
            vec![1, 2, 3, 9, 9, 9]
        );
    }

    #[test]
    fn flattening_takes_the_colour_underneath_each_pixel() {
        // A 2 × 1 image, both pixels fully transparent, over a rectangle
        // that covers only the left one.
        let red = palette()[0];
        let under = [Shape::Rect(
            Rect {
                x: 0.0,
                y: 0.0,
                width: 1.0,
                height: 1.0,
            },
            red,
        )];
        let placement = Placement {
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width: 2.0,
                height: 1.0,
            },
            backdrop: &under,
        };
        let mut pixels = vec![[0, 0, 0, 0]; 2];
        flatten_onto(&mut pixels, 2, 1, &placement);
        assert_eq!(pixels, vec![[200, 16, 46, 255], [255, 255, 255, 255]]);
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn jpeg_is_passed_through_at_or_below_the_profile_resolution() {
        // 600 px over 4 inches = 150 ppi.
        let bytes = jpeg(600, 300);
        let x = encode_jpeg(&bytes, 288.0, Profile::Screen).unwrap();
        assert_eq!(x.stream().content, bytes);
        assert_eq!(x.stream().dict.get(b"Filter").unwrap(), &name("DCTDecode"));
        assert!(matches!(x.colour_space, ColourSpace::Device(Space::Rgb)));
        assert!(!x.stream().allows_compression);
    }

    #[test]
    fn larger_jpeg_is_downsampled_to_the_profile_resolution() {
        // 1200 px over 2 inches = 600 ppi: 150 ppi on screen, 300 for print.
        let bytes = jpeg(1200, 600);
        let screen = encode_jpeg(&bytes, 144.0, Profile::Screen).unwrap();
        assert_eq!(screen.width, 300);
        assert_eq!(jpeg_header(&screen.stream().content), Some((300, 150, 3)));
        let print = encode_jpeg(&bytes, 144.0, Profile::Print { crop_marks: false }).unwrap();
        assert_eq!(jpeg_header(&print.stream().content), Some((600, 300, 3)));
        let archive = Profile::Archive { pdfa: PdfA::A2b };
        assert_eq!(
            encode_jpeg(&bytes, 144.0, archive)
                .unwrap()
                .stream()
                .content,
            bytes
        );
    }
}
