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

/// Index of a structure element in [`Structure::elements`].
pub type ElementId = usize;

/// The role of a structure element (the tagged-PDF standard structure types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The root.
    Document,
    /// A section: its heading and what belongs to it.
    Sect,
    /// The title.
    H1,
    /// A section heading.
    H2,
    /// A paragraph (also a link or contact entry).
    P,
    /// A table.
    Table,
    /// A table's caption.
    Caption,
    /// A table row.
    TR,
    /// A header cell (the row's label).
    TH,
    /// A data cell.
    TD,
    /// A link: its text and its annotation.
    Link,
    /// An image with alternative text.
    Figure,
}

impl Role {
    /// The PDF structure type name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Sect => "Sect",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::Table => "Table",
            Role::Caption => "Caption",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::Link => "Link",
            Role::Figure => "Figure",
        }
    }
}

/// A structure element: its role and its parent. Children are read in the
/// order they were made, except the root's, which are read in the order they
/// first appear on the pages (page by page; masthead, key figures, main
/// column, side column) — so a section split across pages keeps its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// What it is.
    pub role: Role,
    /// Its parent (`None` for the root).
    pub parent: Option<ElementId>,
    /// Alternative text (figures) or a link's description.
    pub alt: Option<String>,
}

/// The logical structure of a document: element 0 is the root.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Every element; index 0 is the `Document` root.
    pub elements: Vec<Element>,
}

impl Default for Structure {
    fn default() -> Self {
        Structure {
            elements: vec![Element {
                role: Role::Document,
                parent: None,
                alt: None,
            }],
        }
    }
}

impl Structure {
    /// The root element.
    pub const ROOT: ElementId = 0;

    /// Adds an element under `parent` and returns its id.
    pub fn add(&mut self, role: Role, parent: ElementId) -> ElementId {
        self.elements.push(Element {
            role,
            parent: Some(parent),
            alt: None,
        });
        self.elements.len() - 1
    }

    /// The children of `parent`, in reading order.
    pub fn children(&self, parent: ElementId, pages: &[Page]) -> Vec<ElementId> {
        let mut children: Vec<ElementId> = (0..self.elements.len())
            .filter(|&e| self.elements[e].parent == Some(parent))
            .collect();
        if parent == Structure::ROOT {
            let first_seen = self.first_appearance(pages);
            children.sort_by_key(|&e| (first_seen.get(&e).copied().unwrap_or(usize::MAX), e));
        }
        children
    }

    /// For each top-level element, the position of its first tagged item.
    fn first_appearance(&self, pages: &[Page]) -> std::collections::BTreeMap<ElementId, usize> {
        let mut seen = std::collections::BTreeMap::new();
        let tags = pages.iter().flat_map(|p| &p.items).filter_map(Item::tag);
        for (position, tag) in tags.enumerate() {
            let top = self.top_level(tag);
            seen.entry(top).or_insert(position);
        }
        seen
    }

    /// The ancestor of `element` just below the root.
    pub fn top_level(&self, mut element: ElementId) -> ElementId {
        while let Some(parent) = self.elements[element].parent {
            if parent == Structure::ROOT {
                return element;
            }
            element = parent;
        }
        element
    }

    /// Elements in reading order (depth first), with their depth.
    pub fn reading_order(&self, pages: &[Page]) -> Vec<(ElementId, usize)> {
        let mut out = Vec::new();
        self.walk(Structure::ROOT, 0, pages, &mut out);
        out
    }

    fn walk(
        &self,
        element: ElementId,
        depth: usize,
        pages: &[Page],
        out: &mut Vec<(ElementId, usize)>,
    ) {
        out.push((element, depth));
        for child in self.children(element, pages) {
            self.walk(child, depth + 1, pages, out);
        }
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
    /// The structure element it belongs to; `None` for page furniture
    /// (running heads, footers), which is an artifact.
    pub tag: Option<ElementId>,
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
        /// Its `Figure` element; `None` when decorative (an artifact).
        tag: Option<ElementId>,
    },
    /// A clickable area over printed text.
    Link {
        /// The area.
        rect: Rect,
        /// Target URL (https:, http:, mailto:).
        url: String,
        /// Its `Link` element.
        tag: Option<ElementId>,
    },
}

impl Item {
    /// The structure element of a tagged item.
    pub fn tag(&self) -> Option<ElementId> {
        match self {
            Item::Text(run) => run.tag,
            Item::Image { tag, .. } | Item::Link { tag, .. } => *tag,
            Item::Rule { .. } | Item::Fill { .. } | Item::Disc { .. } => None,
        }
    }
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
            Item::Link { rect, url, .. } => Some((rect, url.as_str())),
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
                Item::Image {
                    rect, image, alt, ..
                } => {
                    writeln!(out, "p{p} image#{image} {} {alt:?}", rect_text(rect))
                }
                Item::Link { rect, url, .. } => {
                    writeln!(out, "p{p} link {} {url}", rect_text(rect))
                }
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
