//! Optimal-fit line breaking for ragged-right text (the layout stage's
//! inner loop). Given measured segments (text between UAX #14 break
//! opportunities), choose the breaks that minimise the total squared slack
//! of all lines but the last, with a high cost for a last line that holds a
//! single short word (a runt). This is Knuth–Plass's total-fit idea without
//! stretchable glue, which ragged-right text does not need.

use crate::template::Pt;

/// A piece of text that is never broken inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Width including any trailing space.
    pub width: Pt,
    /// Width of the trailing space, dropped when a line ends here.
    pub trailing: Pt,
    /// A line must end after this segment.
    pub mandatory: bool,
    /// Width of the hyphen added when a line ends here (a hyphenation
    /// point); zero elsewhere.
    pub hyphen: Pt,
}

/// Cost of a paragraph whose last line is a single short segment.
const RUNT_COST: f64 = 50.0;
/// A last line shorter than this share of the measure counts as a runt.
const RUNT_SHARE: f64 = 0.2;
/// Cost per line, so that fewer lines win among near-equal choices.
const LINE_COST: f64 = 0.05;
/// Cost of ending a line with a hyphen: taken only when it evens the rag.
const HYPHEN_COST: f64 = 0.1;

/// Chooses line breaks: returns the exclusive end index of each line.
///
/// Invariant: every line's width (trailing space excluded) is at most
/// `width`, unless the line is a single segment wider than `width` (the
/// caller splits such segments first and warns).
pub fn break_lines(segments: &[Segment], width: Pt) -> Vec<usize> {
    let n = segments.len();
    if n == 0 {
        return Vec::new();
    }
    // best[j]: least cost of setting segments 0..j; from[j]: start of its last line.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in 1..=n {
        let end = &segments[j - 1];
        let mut line_width = end.hyphen - end.trailing;
        let hyphen_cost = if end.hyphen > 0.0 { HYPHEN_COST } else { 0.0 };
        for i in (0..j).rev() {
            if i < j - 1 && segments[i].mandatory {
                break;
            }
            line_width += segments[i].width;
            if line_width > width + 1e-6 && i < j - 1 {
                break;
            }
            if !best[i].is_finite() {
                continue;
            }
            let is_last = j == n || segments[j - 1].mandatory;
            let cost = best[i] + hyphen_cost + line_cost(line_width, width, is_last, j - i, i == 0);
            if cost < best[j] {
                best[j] = cost;
                from[j] = i;
            }
        }
    }
    let mut ends = Vec::new();
    let mut j = n;
    while j > 0 {
        ends.push(j);
        j = from[j];
    }
    ends.reverse();
    ends
}

fn line_cost(line_width: Pt, width: Pt, is_last: bool, segments: usize, first: bool) -> f64 {
    if is_last {
        let short = line_width < width * RUNT_SHARE;
        let runt = !first && (segments == 1 || short);
        return LINE_COST + if runt { RUNT_COST } else { 0.0 };
    }
    let slack = ((width - line_width) / width).max(0.0);
    LINE_COST + slack * slack
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(widths: &[f64]) -> Vec<Segment> {
        widths
            .iter()
            .map(|&w| Segment {
                width: w + 3.0,
                trailing: 3.0,
                mandatory: false,
                hyphen: 0.0,
            })
            .collect()
    }

    fn line_widths(segments: &[Segment], ends: &[usize]) -> Vec<f64> {
        let mut start = 0;
        ends.iter()
            .map(|&end| {
                let w: f64 = segments[start..end].iter().map(|s| s.width).sum::<f64>()
                    - segments[end - 1].trailing;
                start = end;
                w
            })
            .collect()
    }

    #[test]
    fn no_line_is_wider_than_the_measure() {
        let segments = words(&[20.0, 35.0, 12.0, 50.0, 8.0, 30.0, 22.0, 41.0, 17.0, 9.0]);
        let ends = break_lines(&segments, 80.0);
        assert_eq!(*ends.last().unwrap(), segments.len());
        for w in line_widths(&segments, &ends) {
            assert!(w <= 80.0, "{w}");
        }
    }

    #[test]
    fn last_line_is_not_a_single_word_when_avoidable() {
        // Greedy fills 50+3+40 = 93 on line one, leaving "10" alone below.
        let segments = words(&[50.0, 40.0, 10.0]);
        let ends = break_lines(&segments, 95.0);
        assert_eq!(ends, vec![1, 3]);
    }

    #[test]
    fn mandatory_breaks_end_lines() {
        let mut segments = words(&[10.0, 10.0, 10.0]);
        segments[0].mandatory = true;
        assert_eq!(break_lines(&segments, 100.0), vec![1, 3]);
    }

    #[test]
    fn an_overwide_segment_gets_a_line_of_its_own() {
        let segments = words(&[10.0, 200.0, 10.0]);
        let ends = break_lines(&segments, 100.0);
        assert_eq!(ends, vec![1, 2, 3]);
    }

    #[test]
    fn a_wider_measure_never_gives_more_lines() {
        let segments = words(&[
            31.0, 12.0, 44.0, 9.0, 27.0, 33.0, 18.0, 25.0, 40.0, 11.0, 6.0, 38.0,
        ]);
        let mut previous = usize::MAX;
        for width in (60..200).step_by(7) {
            let lines = break_lines(&segments, f64::from(width)).len();
            assert!(lines <= previous, "width {width}: {lines} > {previous}");
            previous = lines;
        }
    }

    /// Random paragraphs: words and spaces, hyphenation points, forced
    /// breaks and the odd word wider than the measure.
    fn random_paragraph(rng: &mut crate::layout::test_rng::Rng) -> (Vec<Segment>, f64) {
        let measure = rng.between(40.0, 300.0);
        let segments = (0..rng.below(1, 60))
            .map(|_| {
                let hyphen_point = rng.chance(0.1);
                let trailing = if hyphen_point { 0.0 } else { 3.0 };
                let widest = if rng.chance(0.03) { 400.0 } else { 90.0 };
                Segment {
                    width: rng.between(2.0, widest) + trailing,
                    trailing,
                    mandatory: rng.chance(0.05),
                    hyphen: if hyphen_point { 4.0 } else { 0.0 },
                }
            })
            .collect();
        (segments, measure)
    }

    #[test]
    fn property_every_segment_is_set_once_and_no_line_passes_the_measure() {
        let mut rng = crate::layout::test_rng::Rng::new(14);
        for case in 0..2000 {
            let (segments, measure) = random_paragraph(&mut rng);
            let ends = break_lines(&segments, measure);
            // Lines cover the segments in order, each at least one.
            assert_eq!(ends.last(), Some(&segments.len()), "case {case}");
            assert!(
                ends.windows(2).all(|w| w[0] < w[1]),
                "case {case}: {ends:?}"
            );
            assert!(ends[0] > 0, "case {case}");
            let mut start = 0;
            for (line, &end) in ends.iter().enumerate() {
                let last = &segments[end - 1];
                let hyphen = if line + 1 < ends.len() {
                    last.hyphen
                } else {
                    0.0
                };
                let width: f64 = segments[start..end].iter().map(|s| s.width).sum::<f64>()
                    - last.trailing
                    + hyphen;
                let lone_overwide = end - start == 1 && width > measure;
                assert!(
                    width <= measure + 1e-9 || lone_overwide,
                    "case {case}, line {line}: {width} > {measure}"
                );
                start = end;
            }
            // A forced break always ends its line.
            for (i, segment) in segments.iter().enumerate() {
                if segment.mandatory {
                    assert!(
                        ends.contains(&(i + 1)),
                        "case {case}: break after {i} ignored"
                    );
                }
            }
        }
    }
}
