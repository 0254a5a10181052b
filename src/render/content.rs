//! Content streams (render stage): PDF page operators written straight into
//! bytes, in PDF coordinates (y up), with numbers in a short fixed-precision
//! form. The page writer in `render` decides what to draw; this only knows
//! how each operator is spelled (ISO 32000-1, 8 and 9), and leaves out a
//! colour, line width or font that is already set (most text runs share
//! them), so pages are smaller and faster to compress.

/// A page's content stream being written.
#[derive(Debug, Default)]
pub struct Content {
    bytes: Vec<u8>,
    /// The graphics state as set so far, and as saved by each open `q`.
    state: State,
    saved: Vec<State>,
}

/// What the stream has set (`None`: the PDF default, never written here).
#[derive(Debug, Default, Clone, PartialEq)]
struct State {
    fill: Option<Vec<f64>>,
    stroke: Option<Vec<f64>>,
    line_width: Option<f64>,
    /// Font resource and size (text state lives in the graphics state, so
    /// it carries from one text object to the next).
    font: Option<(String, f64)>,
    /// Text rise in thousandths of a point (0 is the PDF default).
    rise: i64,
}

/// One glyph as `TJ` shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    /// The two-byte code.
    pub code: u16,
    /// How far right of the pen it is drawn, in thousandths of an em
    /// (GPOS mark positioning; the pen itself does not move).
    pub shift: f64,
    /// How far up it is drawn, in points (text rise).
    pub rise: f64,
    /// The pen's move after it, beyond the font's width, in thousandths of
    /// an em (kerning, tracking).
    pub kern: f64,
}

#[cfg(test)]
impl Shown {
    /// A glyph drawn at the pen, followed by `kern`.
    pub fn at_pen(code: u16, kern: f64) -> Shown {
        Shown {
            code,
            shift: 0.0,
            rise: 0.0,
            kern,
        }
    }
}

impl Content {
    /// An empty stream with room for a typical factsheet page.
    pub fn new() -> Self {
        Content {
            bytes: Vec::with_capacity(16 * 1024),
            ..Content::default()
        }
    }

    /// The finished operators.
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }

    /// Appends `v` with at most three decimals, no trailing zeros and never
    /// `-0`, then a space (three decimals are 1/3000 mm on the page).
    fn number(&mut self, v: f64) {
        write_number(&mut self.bytes, v);
        self.bytes.push(b' ');
    }

    fn numbers(&mut self, values: &[f64]) {
        for v in values {
            self.number(*v);
        }
    }

    fn op(&mut self, operator: &str) {
        self.bytes.extend_from_slice(operator.as_bytes());
        self.bytes.push(b'\n');
    }

    fn name(&mut self, name: &str) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
    }

    /// `q`: saves the graphics state.
    pub fn save(&mut self) {
        self.saved.push(self.state.clone());
        self.op("q");
    }

    /// `Q`: restores the graphics state.
    pub fn restore(&mut self) {
        self.state = self.saved.pop().unwrap_or_default();
        self.op("Q");
    }

    /// `cm`: concatenates `[a b c d e f]` to the transformation matrix.
    pub fn transform(&mut self, matrix: [f64; 6]) {
        self.numbers(&matrix);
        self.op("cm");
    }

    /// `rg` or `k`: the fill colour (three components RGB, four CMYK).
    pub fn fill_color(&mut self, components: &[f64]) {
        if self.state.fill.as_deref() == Some(components) {
            return;
        }
        self.state.fill = Some(components.to_vec());
        self.numbers(components);
        self.op(if components.len() == 4 { "k" } else { "rg" });
    }

    /// `RG` or `K`: the stroke colour.
    pub fn stroke_color(&mut self, components: &[f64]) {
        if self.state.stroke.as_deref() == Some(components) {
            return;
        }
        self.state.stroke = Some(components.to_vec());
        self.numbers(components);
        self.op(if components.len() == 4 { "K" } else { "RG" });
    }

    /// `w`: the line width.
    pub fn line_width(&mut self, width: f64) {
        if self.state.line_width == Some(width) {
            return;
        }
        self.state.line_width = Some(width);
        self.number(width);
        self.op("w");
    }

    /// A straight line from `a` to `b`, stroked.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.numbers(&[a.0, a.1]);
        self.op("m");
        self.numbers(&[b.0, b.1]);
        self.op("l");
        self.op("S");
    }

    /// A rectangle from its lower-left corner, filled.
    pub fn fill_rect(&mut self, x: f64, y: f64, width: f64, height: f64) {
        self.numbers(&[x, y, width, height]);
        self.op("re");
        self.op("f");
    }

    /// A closed path of cubic Bézier segments from `start`, each segment
    /// `[c1, c2, end]`, filled with the non-zero rule.
    pub fn fill_curves(&mut self, start: (f64, f64), segments: &[[(f64, f64); 3]]) {
        self.numbers(&[start.0, start.1]);
        self.op("m");
        for [c1, c2, end] in segments {
            self.numbers(&[c1.0, c1.1, c2.0, c2.1, end.0, end.1]);
            self.op("c");
        }
        self.op("h");
        self.op("f");
    }

    /// `Do`: paints the XObject called `name` (unit square, scaled by `cm`).
    pub fn paint(&mut self, name: &str) {
        self.name(name);
        self.op("Do");
    }

    /// `BT`: starts a text object.
    pub fn begin_text(&mut self) {
        self.op("BT");
    }

    /// `ET`: ends a text object.
    pub fn end_text(&mut self) {
        self.op("ET");
    }

    /// `Tf`: font resource `name` at `size`.
    pub fn font(&mut self, name: &str, size: f64) {
        if self
            .state
            .font
            .as_ref()
            .is_some_and(|(n, s)| n == name && *s == size)
        {
            return;
        }
        self.state.font = Some((name.to_string(), size));
        self.name(name);
        self.number(size);
        self.op("Tf");
    }

    /// `Tm`: the text matrix, unscaled, at `(x, y)`.
    pub fn text_at(&mut self, x: f64, y: f64) {
        self.numbers(&[1.0, 0.0, 0.0, 1.0, x, y]);
        self.op("Tm");
    }

    /// `TJ`: two-byte glyph codes, each followed by its adjustment (a TJ
    /// number moves the pen left by thousandths of an em). Codes between
    /// adjustments share one hex string. A shifted glyph is moved right
    /// before it and back after it; a raised one gets its own `TJ` after a
    /// `Ts` (text rise), which is set back to 0 before the next glyph.
    pub fn show_glyphs(&mut self, glyphs: impl IntoIterator<Item = Shown>) {
        let mut array = TjArray::default();
        for glyph in glyphs {
            let rise = round_milli(glyph.rise);
            if rise != self.state.rise {
                self.end_array(&mut array);
                write_number(&mut self.bytes, glyph.rise);
                self.bytes.push(b' ');
                self.op("Ts");
                self.state.rise = rise;
            }
            if !array.started {
                self.bytes.push(b'[');
                array.started = true;
            }
            if round_milli(glyph.shift) != 0 {
                array.close_string(&mut self.bytes);
                write_number(&mut self.bytes, -glyph.shift);
            }
            array.glyph(&mut self.bytes, glyph.code);
            let after = glyph.kern + glyph.shift;
            if round_milli(after) != 0 {
                array.close_string(&mut self.bytes);
                write_number(&mut self.bytes, after);
            }
        }
        self.end_array(&mut array);
    }

    /// Writes `] TJ` for an array begun with `[`.
    fn end_array(&mut self, array: &mut TjArray) {
        if array.started {
            array.close_string(&mut self.bytes);
            self.bytes.extend_from_slice(b"] ");
            self.op("TJ");
            *array = TjArray::default();
        }
    }

    /// `BDC` with an MCID: starts tagged content of structure type `tag`.
    pub fn begin_marked(&mut self, tag: &str, mcid: i64) {
        self.name(tag);
        self.bytes.extend_from_slice(b"<</MCID ");
        write_integer(&mut self.bytes, mcid.unsigned_abs());
        self.bytes.extend_from_slice(b">> ");
        self.op("BDC");
    }

    /// `BMC`: starts untagged marked content (`Artifact`).
    pub fn begin_artifact(&mut self) {
        self.name("Artifact");
        self.op("BMC");
    }

    /// `EMC`: ends marked content.
    pub fn end_marked(&mut self) {
        self.op("EMC");
    }
}

/// A `TJ` array being written: whether `[` and a hex string are open.
#[derive(Debug, Default)]
struct TjArray {
    started: bool,
    string: bool,
}

impl TjArray {
    fn glyph(&mut self, out: &mut Vec<u8>, code: u16) {
        if !self.string {
            out.push(b'<');
            self.string = true;
        }
        super::file::hex_digits(out, &code.to_be_bytes());
    }

    fn close_string(&mut self, out: &mut Vec<u8>) {
        if self.string {
            out.push(b'>');
            self.string = false;
        }
    }
}

/// `v` in thousandths, rounded half away from zero.
fn round_milli(v: f64) -> i64 {
    (v * 1000.0).round() as i64
}

/// Writes `v` with at most three decimals and no trailing zeros (no
/// allocation: a page writes thousands of numbers).
fn write_number(out: &mut Vec<u8>, v: f64) {
    let milli = round_milli(v);
    if milli < 0 {
        out.push(b'-');
    }
    let milli = milli.unsigned_abs();
    write_integer(out, milli / 1000);
    let frac = milli % 1000;
    if frac != 0 {
        let digits = [frac / 100, frac / 10 % 10, frac % 10].map(|d| b'0' + d as u8);
        let len = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        out.push(b'.');
        out.extend_from_slice(&digits[..len]);
    }
}

fn write_integer(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(v: f64) -> String {
        let mut out = Vec::new();
        write_number(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    /// The operators `draw` writes into a fresh stream.
    fn stream(draw: impl FnOnce(&mut Content)) -> String {
        let mut c = Content::new();
        draw(&mut c);
        String::from_utf8(c.finish()).unwrap()
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(written(0.0), "0");
        assert_eq!(written(-0.0001), "0");
        assert_eq!(written(12.5), "12.5");
        assert_eq!(written(-3.14259), "-3.143");
        assert_eq!(written(595.27559), "595.276");
        assert_eq!(written(1.0005), "1.001");
        assert_eq!(written(-120.0), "-120");
    }

    #[test]
    fn glyphs_between_adjustments_share_a_string() {
        let glyphs = [(1, 0.0), (0x2A, -20.0), (0xBEEF, 0.0), (3, 0.0)]
            .map(|(code, kern)| Shown::at_pen(code, kern));
        assert_eq!(
            stream(|c| c.show_glyphs(glyphs)),
            "[<0001002A>-20<BEEF0003>] TJ\n"
        );
    }

    #[test]
    fn a_shifted_and_raised_mark_moves_and_comes_back() {
        let mark = Shown {
            code: 2,
            shift: 42.0,
            rise: 1.78,
            kern: 0.0,
        };
        assert_eq!(
            stream(|c| c.show_glyphs([Shown::at_pen(1, 0.0), mark, Shown::at_pen(3, -5.0)])),
            "[<0001>] TJ\n1.78 Ts\n[-42<0002>42] TJ\n0 Ts\n[<0003>-5] TJ\n"
        );
    }

    #[test]
    fn state_already_set_is_not_written_again_until_restored() {
        let written = stream(|c| {
            c.fill_color(&[1.0, 0.0, 0.0]);
            c.font("F0", 9.0);
            c.save();
            c.fill_color(&[1.0, 0.0, 0.0]);
            c.fill_color(&[0.0, 0.0, 1.0]);
            c.restore();
            c.fill_color(&[1.0, 0.0, 0.0]);
            c.fill_color(&[0.0, 0.0, 1.0]);
            c.font("F0", 9.0);
            c.font("F0", 10.0);
        });
        assert_eq!(
            written,
            "1 0 0 rg\n/F0 9 Tf\nq\n0 0 1 rg\nQ\n0 0 1 rg\n/F0 10 Tf\n"
        );
    }

    #[test]
    fn marked_content_carries_its_mcid() {
        assert_eq!(
            stream(|c| {
                c.begin_marked("P", 7);
                c.end_marked();
            }),
            "/P <</MCID 7>> BDC\nEMC\n"
        );
    }
}
