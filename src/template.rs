//! The template (load stage): page masters with named frames, flows that
//! thread through them, colours in RGB and CMYK, type styles, rhythm and the
//! measures of the fixed blocks, read from a TOML file under `assets/`.
//! Lengths are millimetres in the file and points ([`Pt`]) once loaded.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostic, FileId, Span};
use crate::model::toml_error;

/// A length in PostScript points (1/72 in).
pub type Pt = f64;

/// Millimetres to points.
pub fn mm(value: f64) -> Pt {
    value * 72.0 / 25.4
}

/// A colour kept in both spaces: screen output uses RGB, print CMYK.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    /// Red, green, blue in 0–1.
    pub rgb: [f64; 3],
    /// Cyan, magenta, yellow, black in 0–1.
    pub cmyk: [f64; 4],
}

/// A type style.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Face name from `[fonts]`.
    pub font: String,
    /// Size in pt.
    pub size: Pt,
    /// Baseline-to-baseline distance in pt.
    pub leading: Pt,
    /// Colour name from `[colors]`.
    pub color: String,
    /// Colour of links in this style (defaults to `color`).
    #[serde(default)]
    pub link_color: Option<String>,
    /// Set in capitals.
    #[serde(default)]
    pub caps: bool,
    /// Extra letter-spacing in em.
    #[serde(default)]
    pub tracking: f64,
    /// Hyphenate this style's text when the language's labels turn it on.
    #[serde(default)]
    pub hyphenate: bool,
}

/// Baseline-to-baseline distances in pt.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rhythm {
    /// Paragraph to paragraph.
    pub paragraph: Pt,
    /// Section end to next heading.
    pub section: Pt,
    /// Heading to its first line.
    pub heading: Pt,
    /// Table row to row.
    pub table_row: Pt,
    /// Caption to first table row.
    pub caption: Pt,
    /// Table or list end to next caption.
    pub after_block: Pt,
    /// Link or contact item to the next.
    pub item: Pt,
}

/// Measures of the key-figure row (millimetres in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFigures {
    /// Left edge.
    pub x: f64,
    /// Whole width.
    pub width: f64,
    /// Number of cells.
    pub columns: usize,
    /// Gap between cells.
    pub gutter: f64,
    /// Caption baseline (page y).
    pub caption_baseline: f64,
    /// Cell top (page y).
    pub top: f64,
    /// Cell bottom (page y).
    pub bottom: f64,
    /// Brand rule thickness in pt.
    pub rule_pt: Pt,
    /// Left and right inset.
    pub inset: f64,
    /// Number baseline (page y).
    pub number_baseline: f64,
    /// First label baseline (page y).
    pub label_baseline: f64,
    /// Most label lines.
    pub label_lines: usize,
    /// Largest number size.
    pub number_max_pt: Pt,
    /// Smallest number size.
    pub number_min_pt: Pt,
}

/// Table measures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tables {
    /// Rule under the caption, pt.
    pub caption_rule_pt: Pt,
    /// Rules between rows and at the foot, pt.
    pub row_rule_pt: Pt,
    /// Distance from a baseline down to the rule below it, pt.
    pub rule_below_baseline_pt: Pt,
    /// Least gap between label and value, mm (the value column is as wide
    /// as the widest value of all tables).
    pub gap: f64,
}

/// Where a block sits in its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// After the content before it.
    Top,
    /// At the foot of the frame.
    Bottom,
}

/// The contact card.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCard {
    /// Top (flows on) or bottom (foot of frame).
    pub anchor: Anchor,
    /// Left and right padding, mm.
    pub padding: f64,
    /// Card top to caption baseline, pt.
    pub top_pt: Pt,
    /// Last baseline to card bottom, pt.
    pub bottom_pt: Pt,
    /// Brand rule on top, pt.
    pub rule_pt: Pt,
}

/// The logo image.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// PNG file relative to the project folder.
    pub file: String,
    /// Alternative text.
    pub alt: String,
}

/// The full-bleed band on a master.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Top edge, mm.
    pub top: f64,
    /// Bottom edge, mm.
    pub bottom: f64,
    /// Colour name.
    pub color: String,
}

/// A square placement, mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width and height.
    pub size: f64,
}

/// A line of text placed by its baseline, mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextPlacement {
    /// Left edge.
    pub x: f64,
    /// Baseline.
    pub baseline: f64,
    /// Hang the first letter's side bearing into the margin, so its stem
    /// lines up with the text above.
    #[serde(default)]
    pub optical_margin: bool,
}

/// The running head of continuation pages, mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunningHead {
    /// Logo disc left edge.
    pub logo_x: f64,
    /// Logo disc top edge.
    pub logo_y: f64,
    /// Logo disc diameter.
    pub logo_size: f64,
    /// Text left edge.
    pub text_x: f64,
    /// Hairline position.
    pub rule_y: f64,
}

/// A frame: a rectangle that a flow fills (mm in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Name used in messages.
    pub name: String,
    /// The flow that fills it.
    pub flow: String,
    /// Left edge.
    pub x: f64,
    /// Width.
    pub width: f64,
    /// Baseline of the first line.
    pub first_baseline: f64,
    /// Nothing may be drawn below this.
    pub bottom: f64,
}

/// A page master.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Master {
    /// Name.
    pub name: String,
    /// Full-bleed band.
    #[serde(default)]
    pub band: Option<Band>,
    /// Logo in the band.
    #[serde(default)]
    pub logo: Option<Placement>,
    /// Kicker line.
    #[serde(default)]
    pub kicker: Option<TextPlacement>,
    /// Country title.
    #[serde(default)]
    pub title: Option<TextPlacement>,
    /// Whether the key-figure row is on this master.
    #[serde(default)]
    pub key_figures: bool,
    /// Running head.
    #[serde(default)]
    pub running_head: Option<RunningHead>,
    /// Frames in fill order.
    pub frames: Vec<Frame>,
}

/// Footer measures, mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// Baseline.
    pub baseline: f64,
    /// Left zone: organisation · web.
    pub left_x: f64,
    /// Middle zone: data as of.
    pub middle_x: f64,
    /// Right edge: page number.
    pub right_x: f64,
}

/// Smallest and largest page side, mm (PDF's largest page is 200 inches).
const PAGE_MM: (f64, f64) = (10.0, 5080.0);

/// Page size, mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSize {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColor {
    rgb: String,
    cmyk: [f64; 4],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    page: toml::Spanned<PageSize>,
    colors: BTreeMap<String, toml::Spanned<RawColor>>,
    fonts: BTreeMap<String, toml::Spanned<String>>,
    styles: BTreeMap<String, toml::Spanned<Style>>,
    rhythm: Rhythm,
    key_figures: KeyFigures,
    tables: Tables,
    contact_card: ContactCard,
    logo: toml::Spanned<Logo>,
    flows: BTreeMap<String, Vec<String>>,
    masters: Vec<Master>,
    footer: Footer,
}

/// A checked template.
#[derive(Debug, Clone)]
pub struct Template {
    /// Page size.
    pub page: PageSize,
    /// Colours by name.
    pub colors: BTreeMap<String, Color>,
    /// Face name → font file (relative to the project folder).
    pub fonts: BTreeMap<String, String>,
    /// Face name → where its font file is written in the template.
    pub font_spans: BTreeMap<String, Span>,
    /// Styles by name.
    pub styles: BTreeMap<String, Style>,
    /// Vertical rhythm.
    pub rhythm: Rhythm,
    /// Key-figure row.
    pub key_figures: KeyFigures,
    /// Tables.
    pub tables: Tables,
    /// Contact card.
    pub contact_card: ContactCard,
    /// Logo.
    pub logo: Logo,
    /// Where the logo is set in the template.
    pub logo_span: Span,
    /// Flow name → content names in order.
    pub flows: BTreeMap<String, Vec<String>>,
    /// Masters: the first is page 1's, the last repeats.
    pub masters: Vec<Master>,
    /// Footer.
    pub footer: Footer,
    /// The template file.
    pub file: FileId,
}

/// Styles layout asks for by name; a template must define each.
pub const REQUIRED_STYLES: [&str; 15] = [
    "title",
    "kicker",
    "heading",
    "body",
    "caption",
    "key_number",
    "key_unit",
    "key_label",
    "table_label",
    "table_value",
    "item_label",
    "item_link",
    "contact_role",
    "footer",
    "running_head",
];

/// Faces inline markup switches to.
pub const REQUIRED_FACES: [&str; 4] = ["regular", "bold", "italic", "bold_italic"];

/// Content names a flow may list.
pub const FLOW_CONTENT: [&str; 6] = [
    "sections",
    "donors",
    "results",
    "links",
    "contact",
    "frame-break",
];

impl Template {
    /// Parses and checks a template file.
    pub fn parse(text: &str, file: FileId) -> Result<Template, Vec<Diagnostic>> {
        let raw: RawTemplate = toml::from_str(text).map_err(|e| vec![toml_error(&e, file)])?;
        let mut errors = Vec::new();
        let colors = raw
            .colors
            .into_iter()
            .filter_map(|(name, c)| match parse_color(c.get_ref()) {
                Ok(color) => Some((name, color)),
                Err(why) => {
                    errors.push(
                        Diagnostic::error(Some(Span::new(file, c.span())), why)
                            .with_hint("write RGB as \"#RRGGBB\" and CMYK as four percentages"),
                    );
                    None
                }
            })
            .collect::<BTreeMap<_, _>>();
        let whole = Span::new(file, 0..0);
        let page = raw.page.get_ref();
        if ![page.width, page.height]
            .iter()
            .all(|mm| (PAGE_MM.0..=PAGE_MM.1).contains(mm))
        {
            errors.push(
                Diagnostic::error(
                    Some(Span::new(file, raw.page.span())),
                    format!(
                        "page size {} × {} mm is not a page",
                        page.width, page.height
                    ),
                )
                .with_hint(format!(
                    "width and height run from {} to {} mm (A4 is 210 × 297)",
                    PAGE_MM.0, PAGE_MM.1
                )),
            );
        }
        for (name, style) in &raw.styles {
            let span = Span::new(file, style.span());
            let style = style.get_ref();
            for color in std::iter::once(&style.color).chain(style.link_color.as_ref()) {
                if !colors.contains_key(color) {
                    errors.push(
                        Diagnostic::error(
                            Some(span.clone()),
                            format!("style `{name}` uses unknown colour `{color}`"),
                        )
                        .with_hint("define it under [colors]"),
                    );
                }
            }
            if !raw.fonts.contains_key(&style.font) {
                errors.push(
                    Diagnostic::error(
                        Some(span.clone()),
                        format!("style `{name}` uses unknown face `{}`", style.font),
                    )
                    .with_hint("define it under [fonts]"),
                );
            }
            if !(4.0..=96.0).contains(&style.size) || style.leading < style.size * 0.8 {
                errors.push(
                    Diagnostic::error(
                        Some(span),
                        format!("style `{name}` has an unusable size or leading"),
                    )
                    .with_hint("sizes run from 4 to 96 pt; leading is at least 0.8 × size"),
                );
            }
        }
        for name in REQUIRED_STYLES {
            if !raw.styles.contains_key(name) {
                errors.push(
                    Diagnostic::error(
                        Some(whole.clone()),
                        format!("template has no style `{name}`"),
                    )
                    .with_hint("copy it from assets/templates/default.toml"),
                );
            }
        }
        for face in REQUIRED_FACES {
            if !raw.fonts.contains_key(face) {
                errors.push(
                    Diagnostic::error(
                        Some(whole.clone()),
                        format!("template has no face `{face}`"),
                    )
                    .with_hint("add it under [fonts] with a file under fonts/"),
                );
            }
        }
        for (flow, items) in &raw.flows {
            for item in items {
                if !FLOW_CONTENT.contains(&item.as_str()) {
                    errors.push(
                        Diagnostic::error(
                            Some(whole.clone()),
                            format!("flow `{flow}` lists unknown content `{item}`"),
                        )
                        .with_hint(format!("known content: {}", FLOW_CONTENT.join(", "))),
                    );
                }
            }
        }
        if raw.masters.is_empty() {
            errors.push(Diagnostic::error(
                Some(whole),
                "template has no page master",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Template {
            page: raw.page.into_inner(),
            colors,
            font_spans: raw
                .fonts
                .iter()
                .map(|(name, path)| (name.clone(), Span::new(file, path.span())))
                .collect(),
            fonts: raw
                .fonts
                .into_iter()
                .map(|(name, path)| (name, path.into_inner()))
                .collect(),
            styles: raw
                .styles
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect(),
            rhythm: raw.rhythm,
            key_figures: raw.key_figures,
            tables: raw.tables,
            contact_card: raw.contact_card,
            logo_span: Span::new(file, raw.logo.span()),
            logo: raw.logo.into_inner(),
            flows: raw.flows,
            masters: raw.masters,
            footer: raw.footer,
            file,
        })
    }

    /// The style called `name` (checked to exist at load).
    pub fn style(&self, name: &str) -> &Style {
        // REQUIRED_STYLES are checked in `parse`; layout only asks for those.
        &self.styles[name]
    }

    /// The colour called `name` (checked to exist at load).
    pub fn color(&self, name: &str) -> Color {
        self.colors.get(name).copied().unwrap_or(Color {
            rgb: [0.0; 3],
            cmyk: [0.0, 0.0, 0.0, 1.0],
        })
    }

    /// The master for page `index` (0-based): the last one repeats.
    pub fn master(&self, index: usize) -> &Master {
        let last = self.masters.len() - 1;
        &self.masters[index.min(last)]
    }
}

fn parse_color(raw: &RawColor) -> Result<Color, String> {
    let hex = raw.rgb.strip_prefix('#').unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("colour \"{}\" is not #RRGGBB", raw.rgb));
    }
    let channel =
        |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_or(0.0, |v| f64::from(v) / 255.0);
    if raw.cmyk.iter().any(|v| !(0.0..=100.0).contains(v)) {
        return Err("CMYK values run from 0 to 100".into());
    }
    Ok(Color {
        rgb: [channel(0), channel(2), channel(4)],
        cmyk: raw.cmyk.map(|v| v / 100.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_template_loads() {
        let text = include_str!("../assets/templates/default.toml");
        let template = Template::parse(text, FileId(0)).unwrap();
        assert_eq!(template.masters.len(), 2);
        let brand = template.color("brand");
        assert!((brand.rgb[0] - 200.0 / 255.0).abs() < 1e-9);
        assert_eq!(brand.cmyk, [0.0, 1.0, 0.85, 0.05]);
        assert_eq!(template.master(5).name, "next");
    }

    #[test]
    fn a_page_size_that_is_no_page_is_an_error() {
        for size in ["nan", "inf", "0", "-210", "6000"] {
            let text = include_str!("../assets/templates/default.toml").replacen(
                "page = { width = 210,",
                &format!("page = {{ width = {size},"),
                1,
            );
            let errors = Template::parse(&text, FileId(0)).unwrap_err();
            assert!(
                errors[0].message.contains("is not a page"),
                "{size}: {errors:?}"
            );
            // At the [page] value, where the size was written.
            let at = text.find("page = {").unwrap() + "page = ".len();
            assert_eq!(errors[0].span.as_ref().unwrap().range.start, at, "{size}");
        }
    }

    #[test]
    fn unknown_colour_in_a_style_is_an_error() {
        let text = include_str!("../assets/templates/default.toml")
            .replace("color = \"secondary\" }", "color = \"grey\" }");
        let errors = Template::parse(&text, FileId(0)).unwrap_err();
        assert!(
            errors[0].message.contains("unknown colour `grey`"),
            "{errors:?}"
        );
    }
}
