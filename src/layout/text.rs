//! Setting text (layout stage): styled runs are shaped once per run, cut at
//! UAX #14 break opportunities into segments, broken into lines by
//! [`linebreak`](super::linebreak), and turned into [`TextRun`]s positioned
//! relative to the line's left end and baseline.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::hyphen::Hyphenation;
use super::linebreak::{Segment, break_lines};
use super::page::{Point, TextRun};
use crate::diag::{Diagnostic, Span};
use crate::fonts::{FontId, Glyph, Shaper};
use crate::markup::Inline;
use crate::template::{Color, Pt, Style, Template};

/// A template style resolved to faces and colours.
#[derive(Debug, Clone)]
pub struct TextStyle {
    /// Face for plain runs.
    pub regular: FontId,
    /// Face for **bold** runs.
    pub bold: FontId,
    /// Face for *italic* runs.
    pub italic: FontId,
    /// Face for bold italic runs.
    pub bold_italic: FontId,
    /// Size in pt.
    pub size: Pt,
    /// Baseline distance in pt.
    pub leading: Pt,
    /// Text colour.
    pub color: Color,
    /// Link colour.
    pub link_color: Color,
    /// Set in capitals.
    pub caps: bool,
    /// Letter-spacing in em.
    pub tracking: f64,
    /// Where words may break with a hyphen.
    pub hyphenation: Hyphenation,
}

impl TextStyle {
    /// Resolves template style `name` against the loaded faces.
    pub fn resolve(template: &Template, shaper: &Shaper<'_>, name: &str) -> TextStyle {
        let style: &Style = template.style(name);
        let book = shaper.book();
        // Faces named by styles and REQUIRED_FACES are loaded before layout.
        let face = |n: &str| book.id(n).unwrap_or(FontId(0));
        let color = template.color(&style.color);
        TextStyle {
            regular: face(&style.font),
            bold: face("bold"),
            italic: face("italic"),
            bold_italic: face("bold_italic"),
            size: style.size,
            leading: style.leading,
            color,
            link_color: style
                .link_color
                .as_ref()
                .map_or(color, |c| template.color(c)),
            caps: style.caps,
            tracking: style.tracking,
            hyphenation: Hyphenation::Off,
        }
    }

    /// The same style at another size (leading scales with it).
    pub fn at_size(&self, size: Pt) -> TextStyle {
        TextStyle {
            size,
            leading: self.leading * size / self.size,
            ..self.clone()
        }
    }

    fn font_for(&self, run: &Inline) -> FontId {
        match (run.bold, run.italic) {
            (false, false) => self.regular,
            (true, false) => self.bold,
            (false, true) => self.italic,
            (true, true) => self.bold_italic,
        }
    }
}

/// One set line: runs relative to the line's start (x) and baseline (y = 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Glyph runs, left to right.
    pub runs: Vec<TextRun>,
    /// Width of the ink, trailing space excluded.
    pub width: Pt,
    /// Linked stretches.
    pub links: Vec<LinkSpan>,
}

/// A stretch of a line that is a link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSpan {
    /// Left end, from the line's start.
    pub left: Pt,
    /// Right end.
    pub right: Pt,
    /// Target.
    pub url: String,
    /// Its `Link` element, once tagged.
    pub tag: Option<super::page::ElementId>,
}

impl Line {
    /// Tags the line's runs with `element`; linked runs and stretches get a
    /// `Link` child of it (one per target, made by `link_element`).
    pub fn tag(
        &mut self,
        element: super::page::ElementId,
        mut link_element: impl FnMut(&str) -> super::page::ElementId,
    ) {
        for link in &mut self.links {
            link.tag = Some(link_element(&link.url));
        }
        for run in &mut self.runs {
            let linked = self
                .links
                .iter()
                .find(|l| run.origin.x >= l.left - 0.01 && run.origin.x < l.right);
            run.tag = Some(linked.and_then(|l| l.tag).unwrap_or(element));
        }
    }
}

impl Line {
    /// The line's text.
    pub fn text(&self) -> String {
        self.runs.iter().map(TextRun::text).collect()
    }
}

#[derive(Debug, Clone)]
struct PlacedGlyph {
    glyph: Glyph,
    run: usize,
}

/// Sets styled runs into lines no wider than `width`. A word wider than the
/// measure is broken between letters, with a warning.
pub fn set_paragraph(
    shaper: &Shaper<'_>,
    inlines: &[Inline],
    style: &TextStyle,
    width: Pt,
    src: Option<&Span>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let (text, glyphs) = shape_runs(shaper, inlines, style);
    let pieces = segments(&text, glyphs);
    let pieces = hyphenate(pieces, &text, shaper, inlines, style);
    let pieces = split_overwide(pieces, width, src, warnings);
    let measured: Vec<Segment> = pieces.iter().map(|p| p.segment).collect();
    let mut pieces = pieces.into_iter();
    let mut start = 0;
    break_lines(&measured, width)
        .into_iter()
        .map(|end| {
            let line: Vec<Piece> = pieces.by_ref().take(end - start).collect();
            start = end;
            line_of_pieces(line, inlines, style, src)
        })
        .collect()
}

/// Sets the pieces chosen for one line: their glyphs, and the hyphen when
/// the line ends at a hyphenation point.
fn line_of_pieces(
    pieces: Vec<Piece>,
    inlines: &[Inline],
    style: &TextStyle,
    src: Option<&Span>,
) -> Line {
    let trailing = pieces.last().map_or(0.0, |p| p.segment.trailing);
    let mut glyphs = Vec::with_capacity(pieces.iter().map(|p| p.glyphs.len() + 1).sum());
    let mut hyphen = None;
    for piece in pieces {
        glyphs.extend(piece.glyphs);
        hyphen = piece.hyphen;
    }
    glyphs.extend(hyphen);
    build_line(glyphs, trailing, inlines, style, src)
}

/// Sets one run of plain text on a single line, never broken.
pub fn set_line(shaper: &Shaper<'_>, text: &str, style: &TextStyle, src: Option<&Span>) -> Line {
    let inline = Inline::plain(text);
    let (_, glyphs) = shape_runs(shaper, std::slice::from_ref(&inline), style);
    build_line(glyphs, 0.0, std::slice::from_ref(&inline), style, src)
}

fn shape_runs(
    shaper: &Shaper<'_>,
    inlines: &[Inline],
    style: &TextStyle,
) -> (String, Vec<PlacedGlyph>) {
    let mut text = String::new();
    let mut glyphs = Vec::new();
    for (run, inline) in inlines.iter().enumerate() {
        let piece = if style.caps {
            inline.text.to_uppercase()
        } else {
            inline.text.clone()
        };
        let offset = text.len();
        let shaped = shaper.shape(style.font_for(inline), &piece, style.size, style.tracking);
        glyphs.extend(shaped.glyphs.into_iter().map(|mut glyph| {
            glyph.cluster += offset;
            PlacedGlyph { glyph, run }
        }));
        text.push_str(&piece);
    }
    (text, glyphs)
}

#[derive(Debug, Clone)]
struct Piece {
    segment: Segment,
    glyphs: Vec<PlacedGlyph>,
    /// The hyphen drawn when a line ends after this piece (hyphenation points only).
    hyphen: Option<PlacedGlyph>,
}

/// Letters a word part must have on each side of a hard hyphen for a line to
/// break there: "re-|established" may break, "NATO-|a" (a case ending) may not.
const MIN_AFTER_HYPHEN: usize = 3;

/// Cuts shaped glyphs at UAX #14 break opportunities.
fn segments(text: &str, glyphs: Vec<PlacedGlyph>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut glyphs = glyphs.into_iter().peekable();
    for (end, kind) in linebreaks(text).filter(|&(at, _)| !short_after_hyphen(text, at)) {
        let mut piece_glyphs = Vec::new();
        while let Some(glyph) = glyphs.next_if(|g| g.glyph.cluster < end) {
            piece_glyphs.push(glyph);
        }
        if piece_glyphs.is_empty() {
            continue;
        }
        let width = piece_glyphs.iter().map(|g| g.glyph.advance).sum();
        let trailing = piece_glyphs
            .iter()
            .rev()
            .take_while(|g| g.glyph.text == " ")
            .map(|g| g.glyph.advance)
            .sum();
        pieces.push(Piece {
            segment: Segment {
                width,
                trailing,
                mandatory: kind == BreakOpportunity::Mandatory && end < text.len(),
                hyphen: 0.0,
            },
            glyphs: piece_glyphs,
            hyphen: None,
        });
    }
    pieces
}

/// Whether `at` follows a hard hyphen that must not end a line: one with
/// fewer than three letters on a side, or one that joins an ending to an
/// acronym (Albanian "NPA-së", Serbian "NATO-a").
fn short_after_hyphen(text: &str, at: usize) -> bool {
    let (before, after) = text.split_at(at);
    if !before.ends_with(['-', '\u{2010}']) {
        return false;
    }
    let tail: String = after.chars().take_while(|c| c.is_alphanumeric()).collect();
    let head: String = before
        .chars()
        .rev()
        .skip(1)
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let acronym = head
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && tail.chars().all(char::is_lowercase);
    tail.chars().count() < MIN_AFTER_HYPHEN || head.chars().count() < MIN_AFTER_HYPHEN || acronym
}

/// Splits any piece wider than `width` between glyphs, warning once per piece.
fn split_overwide(
    pieces: Vec<Piece>,
    width: Pt,
    src: Option<&Span>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if piece.segment.width - piece.segment.trailing <= width {
            out.push(piece);
            continue;
        }
        let word: String = piece.glyphs.iter().map(|g| g.glyph.text.as_str()).collect();
        warnings.push(
            Diagnostic::warning(
                src.cloned(),
                format!(
                    "word \"{}\" is wider than the column ({:.1}pt > {:.1}pt); breaking it",
                    word.trim(),
                    piece.segment.width - piece.segment.trailing,
                    width
                ),
            )
            .with_hint("shorten it, or give a link a shorter printed text"),
        );
        let mut current: Vec<PlacedGlyph> = Vec::new();
        let mut current_width = 0.0;
        for glyph in piece.glyphs {
            if current_width + glyph.glyph.advance > width && !current.is_empty() {
                out.push(Piece {
                    segment: Segment {
                        width: current_width,
                        trailing: 0.0,
                        mandatory: false,
                        hyphen: 0.0,
                    },
                    glyphs: std::mem::take(&mut current),
                    hyphen: None,
                });
                current_width = 0.0;
            }
            current_width += glyph.glyph.advance;
            current.push(glyph);
        }
        out.push(Piece {
            segment: Segment {
                width: current_width,
                trailing: piece.segment.trailing,
                mandatory: piece.segment.mandatory,
                hyphen: piece.segment.hyphen,
            },
            glyphs: current,
            hyphen: piece.hyphen,
        });
    }
    out
}

/// Splits pieces at the hyphenation points of their word, when the style
/// hyphenates. A line that ends at such a point gets a hyphen glyph (U+2010,
/// copied as a soft hyphen, so search and copy see the whole word).
fn hyphenate(
    pieces: Vec<Piece>,
    text: &str,
    shaper: &Shaper<'_>,
    inlines: &[Inline],
    style: &TextStyle,
) -> Vec<Piece> {
    if style.hyphenation == Hyphenation::Off {
        return pieces;
    }
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let (Some(first), Some(last)) = (piece.glyphs.first(), piece.glyphs.last()) else {
            out.push(piece);
            continue;
        };
        let (start, end) = (
            first.glyph.cluster,
            last.glyph.cluster + last.glyph.text.len(),
        );
        let word_start = start
            + text[start..end]
                .find(char::is_alphabetic)
                .unwrap_or(end - start);
        let word_end = text[..end]
            .rfind(char::is_alphabetic)
            .map_or(word_start, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            })
            .max(word_start);
        let breaks: Vec<usize> = style
            .hyphenation
            .breaks(&text[word_start..word_end])
            .into_iter()
            .map(|at| word_start + at)
            .filter(|at| piece.glyphs.iter().any(|g| g.glyph.cluster == *at))
            .collect();
        if breaks.is_empty() {
            out.push(piece);
            continue;
        }
        let mut rest = piece.glyphs;
        for at in breaks {
            let split = rest
                .iter()
                .position(|g| g.glyph.cluster >= at)
                .unwrap_or(rest.len());
            let tail = rest.split_off(split);
            let head = std::mem::replace(&mut rest, tail);
            let hyphen = hyphen_glyph(shaper, inlines, style, head.last());
            out.push(Piece {
                segment: Segment {
                    width: head.iter().map(|g| g.glyph.advance).sum(),
                    trailing: 0.0,
                    mandatory: false,
                    hyphen: hyphen.as_ref().map_or(0.0, |h| h.glyph.advance),
                },
                glyphs: head,
                hyphen,
            });
        }
        out.push(Piece {
            segment: Segment {
                width: rest.iter().map(|g| g.glyph.advance).sum(),
                ..piece.segment
            },
            glyphs: rest,
            hyphen: piece.hyphen,
        });
    }
    out
}

/// The hyphen for a break after `before`, in that glyph's run and face.
fn hyphen_glyph(
    shaper: &Shaper<'_>,
    inlines: &[Inline],
    style: &TextStyle,
    before: Option<&PlacedGlyph>,
) -> Option<PlacedGlyph> {
    let before = before?;
    let inline = inlines.get(before.run)?;
    let shaped = shaper.shape(style.font_for(inline), "\u{2010}", style.size, 0.0);
    let mut glyph = shaped.glyphs.into_iter().next()?;
    glyph.text = "\u{ad}".into();
    glyph.cluster = before.glyph.cluster;
    Some(PlacedGlyph {
        glyph,
        run: before.run,
    })
}

/// Groups a line's glyphs into runs by style and records link stretches.
fn build_line(
    glyphs: Vec<PlacedGlyph>,
    trailing: Pt,
    inlines: &[Inline],
    style: &TextStyle,
    src: Option<&Span>,
) -> Line {
    let mut runs: Vec<(usize, TextRun)> = Vec::new();
    let mut x = 0.0;
    for placed in glyphs {
        let same = runs.last().is_some_and(|(run, _)| *run == placed.run);
        if !same {
            let inline = &inlines[placed.run];
            let color = if inline.link.is_some() {
                style.link_color
            } else {
                style.color
            };
            runs.push((
                placed.run,
                TextRun {
                    origin: Point { x, y: 0.0 },
                    font: style.font_for(inline),
                    size: style.size,
                    color,
                    glyphs: Vec::new(),
                    width: 0.0,
                    src: src.cloned(),
                    tag: None,
                },
            ));
        }
        x += placed.glyph.advance;
        if let Some((_, run)) = runs.last_mut() {
            run.width += placed.glyph.advance;
            run.glyphs.push(placed.glyph);
        }
    }
    let width = x - trailing;
    let links = runs
        .iter()
        .filter_map(|(index, run)| {
            let url = inlines[*index].link.clone()?;
            let right = (run.origin.x + run.width).min(width);
            Some(LinkSpan {
                left: run.origin.x,
                right,
                url,
                tag: None,
            })
        })
        .collect();
    Line {
        runs: runs.into_iter().map(|(_, run)| run).collect(),
        width,
        links,
    }
}
