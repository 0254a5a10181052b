//! The page description: what layout hands to the renderer. Positioned
//! glyph runs, rules, rectangles, discs, images and links in points, origin
//! top-left, y down. No PDF concepts here, so tests can inspect and dump it.

use std::fmt::Write as _;

use crate::diag::Span;
use crate::fonts::{FontBook, FontId, Glyph};
use crate::template::{Color, Pt};

/// A point on the page (pt, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// From the left edge.
    pub x: Pt,
    /// From the top edge.
    pub y: Pt,
}

/// An axis-aligned rectangle (pt, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: Pt,
    /// Top edge.
    pub y: Pt,
    /// Width.
    pub width: Pt,
    /// Height.
    pub height: Pt,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> Pt {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> Pt {
        self.y + self.height
    }
}

/// A run of glyphs in one face, size and colour, on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left end of the baseline.
    pub origin: Point,
    /// Face.
    pub font: FontId,
    /// Size in pt.
    pub size: Pt,
    /// Fill colour.
    pub color: Color,
    /// Shaped glyphs; their advances sum to `width`.
    pub glyphs: Vec<Glyph>,
    /// Measured width, trailing spaces included.
    pub width: Pt,
    /// Where the text came from in the data.
    pub src: Option<Span>,
}

impl TextRun {
    /// The run's text, as copied from the PDF.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Glyphs.
    Text(TextRun),
    /// A straight line.
    Rule {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Thickness in pt.
        width: Pt,
        /// Stroke colour.
        color: Color,
    },
    /// A filled rectangle.
    Fill {
        /// Where.
        rect: Rect,
        /// Fill colour.
        color: Color,
    },
    /// A filled circle.
    Disc {
        /// Centre.
        center: Point,
        /// Radius.
        radius: Pt,
        /// Fill colour.
        color: Color,
    },
    /// A raster image (the logo).
    Image {
        /// Where it is drawn.
        rect: Rect,
        /// Which image: an index into the layout's image list.
        image: usize,
        /// Alternative text.
        alt: String,
    },
    /// A clickable area over printed text.
    Link {
        /// The area.
        rect: Rect,
        /// Target URL (https:, http:, mailto:).
        url: String,
    },
}

/// A finished page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in pt.
    pub width: Pt,
    /// Height in pt.
    pub height: Pt,
    /// Items in drawing order.
    pub items: Vec<Item>,
}

impl Page {
    /// All text runs on the page.
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|item| match item {
            Item::Text(run) => Some(run),
            _ => None,
        })
    }

    /// All links on the page.
    pub fn links(&self) -> impl Iterator<Item = (&Rect, &str)> {
        self.items.iter().filter_map(|item| match item {
            Item::Link { rect, url } => Some((rect, url.as_str())),
            _ => None,
        })
    }
}

/// A stable text form of pages for snapshot tests: one line per item,
/// positions rounded to 0.01 pt.
pub fn dump(pages: &[Page], fonts: &FontBook) -> String {
    let mut out = String::new();
    for (n, page) in pages.iter().enumerate() {
        let p = n + 1;
        let _ = writeln!(out, "page {p} {:.2}x{:.2}", page.width, page.height);
        for item in &page.items {
            let _ = match item {
                Item::Text(run) => writeln!(
                    out,
                    "p{p} text {:.2},{:.2} w{:.2} {} {} {} {:?}",
                    run.origin.x,
                    run.origin.y,
                    run.width,
                    fonts.face(run.font).name,
                    run.size,
                    hex(run.color),
                    run.text()
                ),
                Item::Rule {
                    from,
                    to,
                    width,
                    color,
                } => writeln!(
                    out,
                    "p{p} rule {:.2},{:.2} {:.2},{:.2} {width} {}",
                    from.x,
                    from.y,
                    to.x,
                    to.y,
                    hex(*color)
                ),
                Item::Fill { rect, color } => {
                    writeln!(out, "p{p} fill {} {}", rect_text(rect), hex(*color))
                }
                Item::Disc {
                    center,
                    radius,
                    color,
                } => writeln!(
                    out,
                    "p{p} disc {:.2},{:.2} r{radius:.2} {}",
                    center.x,
                    center.y,
                    hex(*color)
                ),
                Item::Image { rect, image, alt } => {
                    writeln!(out, "p{p} image#{image} {} {alt:?}", rect_text(rect))
                }
                Item::Link { rect, url } => writeln!(out, "p{p} link {} {url}", rect_text(rect)),
            };
        }
    }
    out
}

fn rect_text(rect: &Rect) -> String {
    format!(
        "{:.2},{:.2} {:.2}x{:.2}",
        rect.x, rect.y, rect.width, rect.height
    )
}

fn hex(color: Color) -> String {
    let [r, g, b] = color.rgb.map(|c| (c * 255.0).round() as u8);
    format!("#{r:02X}{g:02X}{b:02X}")
}
