//! Flowing and paginating (layout stage): a flow is a list of [`Unit`]s
//! (lines, headings, atomic blocks such as tables) that fills the frames
//! named for it, page after page. Keep rules live in the units
//! (`breakable_before`), so this module only finds the last legal break
//! that fits and never splits an atomic block.

use super::page::{Item, Point};
use crate::diag::Span;
use crate::template::{Anchor, Frame, Pt, mm};

/// A frame may end up to this many lines short so that it ends between
/// paragraphs rather than inside one (a sentence then never runs across the
/// page's foot and the next page's head).
const MAX_SHORT_LINES: usize = 3;

/// What a unit is, for spacing and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A section heading.
    Heading,
    /// The first line of a paragraph.
    FirstLine,
    /// Any later line of a paragraph.
    Line,
    /// An atomic block: a table, the link list, the contact card.
    Block,
    /// Ends the current frame.
    FrameBreak,
}

/// A vertical piece of a flow, never split between frames.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Items relative to the frame's left edge (x) and the unit's first baseline (y).
    pub items: Vec<Item>,
    /// Distance from the first to the last baseline.
    pub extent: Pt,
    /// How far the unit draws below its last baseline.
    pub depth: Pt,
    /// Baseline distance from the previous unit in the same frame.
    pub advance: Pt,
    /// Whether a frame may end just before this unit.
    pub breakable_before: bool,
    /// What it is.
    pub kind: UnitKind,
    /// Top (flows) or bottom (anchored to the frame's foot).
    pub anchor: Anchor,
    /// Section the unit belongs to, for overflow messages.
    pub section: String,
    /// Where that section is in the data.
    pub src: Option<Span>,
    /// Lines of text it holds, for overflow amounts.
    pub lines: usize,
}

impl Unit {
    /// A frame break marker.
    pub fn frame_break() -> Unit {
        Unit {
            items: Vec::new(),
            extent: 0.0,
            depth: 0.0,
            advance: 0.0,
            breakable_before: true,
            kind: UnitKind::FrameBreak,
            anchor: Anchor::Top,
            section: String::new(),
            src: None,
            lines: 0,
        }
    }
}

/// A frame on a given page.
#[derive(Debug, Clone)]
pub struct PageFrame {
    /// 0-based page index.
    pub page: usize,
    /// The frame's measures (mm).
    pub frame: Frame,
}

/// Units placed in one frame, with the baseline of each.
#[derive(Debug, Clone)]
pub struct Filled {
    /// Page and frame.
    pub at: PageFrame,
    /// (unit index, first baseline y in pt).
    pub units: Vec<(usize, Pt)>,
}

/// Why a flow could not be placed.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowError {
    /// Frames ran out: `lines` lines of `section` and after did not fit.
    Overflow {
        /// Last page that had a frame for the flow (1-based).
        page: usize,
        /// Section of the first unit left over.
        section: String,
        /// Where that section is in the data.
        span: Option<Span>,
        /// Lines left over.
        lines: usize,
    },
    /// One unit is taller than an empty frame.
    TooTall {
        /// Its section.
        section: String,
        /// Where that section is in the data.
        span: Option<Span>,
        /// Frame name.
        frame: String,
        /// How much too tall, in pt.
        by: Pt,
    },
}

/// Fills frames in order with `units`; `frames` yields the flow's frames.
pub fn paginate(
    units: &[Unit],
    mut frames: impl Iterator<Item = PageFrame>,
) -> Result<Vec<Filled>, FlowError> {
    let mut filled = Vec::new();
    let mut next = 0;
    let mut last_page = 0;
    while next < units.len() {
        let Some(at) = frames.next() else {
            let rest = &units[next..];
            return Err(FlowError::Overflow {
                page: last_page + 1,
                section: rest
                    .iter()
                    .find(|u| !u.section.is_empty())
                    .map(|u| u.section.clone())
                    .unwrap_or_default(),
                span: rest.iter().find_map(|u| u.src.clone()),
                lines: rest.iter().map(|u| u.lines).sum(),
            });
        };
        last_page = at.page;
        let (placed, resume) = fill_frame(units, next, &at.frame)?;
        next = resume;
        filled.push(Filled { at, units: placed });
    }
    Ok(filled)
}

/// Places units from `start` into one frame; returns them and where the next frame resumes.
fn fill_frame(
    units: &[Unit],
    start: usize,
    frame: &Frame,
) -> Result<(Vec<(usize, Pt)>, usize), FlowError> {
    let bottom = mm(frame.bottom);
    let mut placed: Vec<(usize, Pt)> = Vec::new();
    let mut last_baseline: Option<Pt> = None;
    let mut i = start;
    while i < units.len() {
        let unit = &units[i];
        if unit.kind == UnitKind::FrameBreak {
            return Ok((placed, i + 1));
        }
        let flowed = last_baseline.map_or(mm(frame.first_baseline), |y| y + unit.advance);
        let y = match unit.anchor {
            Anchor::Top => flowed,
            Anchor::Bottom => snap_down(
                bottom - unit.depth - unit.extent,
                mm(frame.first_baseline),
                7.0,
            )
            .max(flowed),
        };
        if y + unit.extent + unit.depth <= bottom + 0.01 {
            placed.push((i, y));
            last_baseline = Some(y + unit.extent);
            i += 1;
            continue;
        }
        if placed.is_empty() {
            return Err(FlowError::TooTall {
                section: unit.section.clone(),
                span: unit.src.clone(),
                frame: frame.name.clone(),
                by: y + unit.extent + unit.depth - bottom,
            });
        }
        // Back up to the last unit a frame may end before; end the frame
        // between paragraphs instead when that costs at most a few lines.
        let legal = |k: &usize| units[*k].breakable_before;
        let last = (start + 1..=i).rev().find(legal).unwrap_or(i);
        let between = (start + 1..=i)
            .rev()
            .take(MAX_SHORT_LINES + 1)
            .filter(legal)
            .find(|&k| units[k].kind != UnitKind::Line);
        let resume = between.unwrap_or(last);
        placed.retain(|&(k, _)| k < resume);
        return Ok((placed, resume));
    }
    Ok((placed, i))
}

/// The largest `origin + n·step` not above `y`: keeps anchored blocks on the grid.
fn snap_down(y: Pt, origin: Pt, step: Pt) -> Pt {
    origin + ((y - origin) / step).floor() * step
}

/// Moves an item by (dx, dy).
pub fn translate(mut item: Item, dx: Pt, dy: Pt) -> Item {
    let shift = |p: &mut Point| {
        p.x += dx;
        p.y += dy;
    };
    match &mut item {
        Item::Text(run) => shift(&mut run.origin),
        Item::Rule { from, to, .. } => {
            shift(from);
            shift(to);
        }
        Item::Disc { center, .. } => shift(center),
        Item::Fill { rect, .. } | Item::Image { rect, .. } | Item::Link { rect, .. } => {
            rect.x += dx;
            rect.y += dy;
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(section: &str, advance: Pt, breakable: bool) -> Unit {
        Unit {
            items: Vec::new(),
            extent: 0.0,
            depth: 3.0,
            advance,
            breakable_before: breakable,
            kind: UnitKind::Line,
            anchor: Anchor::Top,
            section: section.into(),
            src: None,
            lines: 1,
        }
    }

    fn frames(count: usize) -> impl Iterator<Item = PageFrame> {
        (0..count).map(|page| PageFrame {
            page,
            frame: Frame {
                name: format!("f{page}"),
                flow: "main".into(),
                x: 0.0,
                width: 100.0,
                first_baseline: 10.0,
                // 10 mm + 4 lines of 14 pt, a little over.
                bottom: 10.0 + 4.0 * 14.0 * 25.4 / 72.0 + 1.5,
            },
        })
    }

    #[test]
    fn lines_fill_frames_in_order() {
        let units: Vec<Unit> = (0..8).map(|_| line("A", 14.0, true)).collect();
        let filled = paginate(&units, frames(2)).unwrap();
        assert_eq!(filled[0].units.len(), 5);
        assert_eq!(filled[1].units.len(), 3);
    }

    #[test]
    fn a_keep_moves_lines_to_the_next_frame() {
        let mut units: Vec<Unit> = (0..8).map(|_| line("A", 14.0, true)).collect();
        // Unit 5 does not fit; it must stay with 4, and 4 with 3.
        units[5].breakable_before = false;
        units[4].breakable_before = false;
        let filled = paginate(&units, frames(2)).unwrap();
        assert_eq!(filled[0].units.len(), 3, "3, 4 and 5 move on together");
        assert_eq!(filled[1].units[0].0, 3);
        assert_eq!(filled[1].units.len(), 5);
    }

    #[test]
    fn a_frame_ends_short_to_break_between_paragraphs() {
        // Two paragraphs of 3 and 4 lines; the frame holds 5 lines.
        let mut units: Vec<Unit> = (0..7).map(|_| line("A", 14.0, true)).collect();
        units[0].kind = UnitKind::FirstLine;
        units[3].kind = UnitKind::FirstLine;
        for k in [1, 2, 4, 6] {
            units[k].breakable_before = false;
        }
        let filled = paginate(&units, frames(2)).unwrap();
        assert_eq!(filled[0].units.len(), 3, "the second paragraph moves whole");
        assert_eq!(filled[1].units.len(), 4);
    }

    #[test]
    fn overflow_names_section_and_lines() {
        let mut units: Vec<Unit> = (0..12).map(|_| line("CONTEXT", 14.0, true)).collect();
        for unit in &mut units[10..] {
            unit.section = "PROGRAMME".into();
        }
        let error = paginate(&units, frames(2)).unwrap_err();
        assert_eq!(
            error,
            FlowError::Overflow {
                page: 2,
                section: "PROGRAMME".into(),
                span: None,
                lines: 2
            }
        );
    }

    #[test]
    fn every_unit_is_placed_once_in_order_inside_its_frame() {
        let units: Vec<Unit> = (0..9)
            .map(|i| line("A", if i % 3 == 0 { 21.0 } else { 14.0 }, i % 2 == 0))
            .collect();
        let filled = paginate(&units, frames(4)).unwrap();
        let order: Vec<usize> = filled
            .iter()
            .flat_map(|f| f.units.iter().map(|u| u.0))
            .collect();
        assert_eq!(order, (0..9).collect::<Vec<_>>());
        for f in &filled {
            for &(_, y) in &f.units {
                assert!(y + 3.0 <= mm(f.at.frame.bottom) + 0.01);
            }
        }
    }

    /// Random flows: lines of paragraphs (kept two by two), headings kept
    /// with what follows, blocks of several lines, the odd frame break.
    fn random_flow(rng: &mut crate::layout::test_rng::Rng) -> Vec<Unit> {
        (0..rng.below(1, 80))
            .map(|i| {
                if rng.chance(0.03) {
                    return Unit::frame_break();
                }
                let mut unit = line("S", 14.0, i > 0 && rng.chance(0.6));
                if rng.chance(0.1) {
                    unit.kind = UnitKind::Block;
                    unit.extent = 14.0 * rng.below(1, 4) as f64;
                    unit.lines = 1 + (unit.extent / 14.0) as usize;
                } else if rng.chance(0.2) {
                    unit.kind = UnitKind::FirstLine;
                    unit.advance = 21.0;
                }
                unit
            })
            .collect()
    }

    #[test]
    fn property_units_are_placed_once_in_order_inside_frames_breaking_only_where_allowed() {
        let mut rng = crate::layout::test_rng::Rng::new(7);
        let (mut placed_flows, mut overflows) = (0, 0);
        for case in 0..2000 {
            let units = random_flow(&mut rng);
            let frame_count = rng.below(1, 8);
            let filled = match paginate(&units, frames(frame_count)) {
                Ok(filled) => filled,
                Err(FlowError::Overflow { lines, .. }) => {
                    assert!(
                        lines > 0 || units.iter().any(|u| u.lines == 0),
                        "case {case}"
                    );
                    overflows += 1;
                    continue;
                }
                Err(FlowError::TooTall { .. }) => {
                    panic!("case {case}: no unit is taller than a frame")
                }
            };
            placed_flows += 1;
            assert!(filled.len() <= frame_count, "case {case}");
            let order: Vec<usize> = filled
                .iter()
                .flat_map(|f| f.units.iter().map(|u| u.0))
                .collect();
            let expected: Vec<usize> = (0..units.len())
                .filter(|&i| units[i].kind != UnitKind::FrameBreak)
                .collect();
            assert_eq!(order, expected, "case {case}: every unit once, in order");
            let mut previous_start = None;
            for f in &filled {
                for &(i, y) in &f.units {
                    let bottom = y + units[i].extent + units[i].depth;
                    assert!(
                        bottom <= mm(f.at.frame.bottom) + 0.01,
                        "case {case}: unit {i} past the foot"
                    );
                }
                // A frame starts where one may, or the keep before it is
                // longer than a frame (then it must break somewhere).
                if let (Some(&(first, _)), Some(before)) = (f.units.first(), previous_start) {
                    let forced_by_break = units[first - 1].kind == UnitKind::FrameBreak;
                    let legal = units[first].breakable_before || forced_by_break;
                    let no_choice = (before + 1..=first).all(|k| !units[k].breakable_before);
                    assert!(
                        legal || no_choice,
                        "case {case}: frame starts at kept unit {first}"
                    );
                }
                previous_start = f.units.first().map(|u| u.0).or(previous_start);
            }
        }
        assert!(
            placed_flows > 200 && overflows > 200,
            "{placed_flows} placed, {overflows} overflowed"
        );
    }
}
