//! The layout stage: a checked [`Edition`], its [`Template`] and [`Locale`]
//! become pages of positioned items ([`page::Page`]). Flows are set and
//! paginated first; the page furniture that needs the page count (running
//! heads, footers with "1/2") is added last, in [`Ctx::finalize`].

pub mod blocks;
pub mod flow;
pub mod hyphen;
pub mod linebreak;
pub mod page;
#[cfg(test)]
mod test_rng;
pub mod text;

use std::collections::BTreeMap;

use flow::{FlowError, PageFrame, Unit, paginate, translate};
use hyphen::Hyphenation;
use page::{ElementId, Item, Page, Point, Rect, Role, Structure};
use text::{Line, LinkSpan, TextStyle, set_line, set_paragraph};

use crate::diag::{Diagnostic, Span, Warned};
use crate::fonts::Shaper;
use crate::locale::{Locale, fill};
use crate::markup::Inline;
use crate::model::{Edition, Overflow, Unit as ValueUnit};
use crate::template::{Pt, Template, mm};

/// Most pages the `flow` overflow policy may add, so a runaway flow ends.
const MAX_PAGES: usize = 40;

/// What layout produces: pages and the document's logical structure.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Finished pages.
    pub pages: Vec<Page>,
    /// Structure elements the pages' items are tagged with.
    pub structure: Structure,
}

/// Everything layout reads, and the warnings it collects.
pub struct Ctx<'a> {
    /// The edition.
    pub edition: &'a Edition,
    /// The template.
    pub template: &'a Template,
    /// Labels and formats.
    pub locale: &'a Locale,
    /// Shaper for the edition's language.
    pub shaper: &'a Shaper<'a>,
    /// Warnings so far.
    pub warnings: Vec<Diagnostic>,
    /// Structure elements made so far.
    pub structure: Structure,
    /// The title (`H1`) and logo (`Figure`) elements of the masthead.
    masthead: Option<(ElementId, ElementId)>,
}

/// Lays out an edition. Errors name the flow, section and amount of an overflow.
pub fn layout(
    edition: &Edition,
    template: &Template,
    locale: &Locale,
    shaper: &Shaper<'_>,
    overflow: Overflow,
) -> Result<Warned<Layout>, Vec<Diagnostic>> {
    let mut ctx = Ctx {
        edition,
        template,
        locale,
        shaper,
        warnings: Vec::new(),
        structure: Structure::default(),
        masthead: None,
    };
    ctx.masthead = Some(ctx.masthead_elements());
    let mut pages: BTreeMap<usize, Vec<Item>> = BTreeMap::new();
    let mut errors = Vec::new();
    for name in template.flows.keys() {
        if let Err(error) = ctx.place_flow(name, overflow, &mut pages) {
            errors.push(error);
        }
    }
    let key_figures = ctx.key_figure_items();
    if let Err(error) = &key_figures {
        errors.push(error.clone());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let page_count = pages
        .keys()
        .next_back()
        .map_or(0, |last| last + 1)
        .max(template.masters.len());
    let pages = (0..page_count)
        .map(|index| {
            let content = pages.remove(&index).unwrap_or_default();
            ctx.finalize(index, page_count, content, key_figures.as_ref().ok())
        })
        .collect();
    Ok(Warned {
        value: Layout {
            pages,
            structure: ctx.structure,
        },
        warnings: ctx.warnings,
    })
}

impl Ctx<'_> {
    /// Makes a structure element under `parent`.
    pub fn element(&mut self, role: Role, parent: ElementId) -> ElementId {
        self.structure.add(role, parent)
    }

    /// Tags lines with `element`; each link target gets one `Link` child.
    pub fn tagged(&mut self, mut lines: Vec<Line>, element: ElementId) -> Vec<Line> {
        let mut links: BTreeMap<String, ElementId> = BTreeMap::new();
        for line in &mut lines {
            line.tag(element, |url| {
                *links.entry(url.to_string()).or_insert_with(|| {
                    let link = self.structure.add(Role::Link, element);
                    self.structure.elements[link].alt = Some(link_description(url));
                    link
                })
            });
        }
        lines
    }

    /// The title and the logo: the first things a reader meets.
    fn masthead_elements(&mut self) -> (ElementId, ElementId) {
        let figure = self.element(Role::Figure, Structure::ROOT);
        self.structure.elements[figure].alt = Some(self.template.logo.alt.clone());
        let title = self.element(Role::H1, Structure::ROOT);
        (title, figure)
    }

    /// A template style resolved against the loaded faces.
    pub fn style(&self, name: &str) -> TextStyle {
        let mut style = TextStyle::resolve(self.template, self.shaper, name);
        if self.template.style(name).hyphenate {
            style.hyphenation =
                Hyphenation::for_language(&self.locale.language, self.locale.hyphenate);
        }
        style
    }

    fn frames_of(&self, flow: &str, overflow: Overflow) -> impl Iterator<Item = PageFrame> + '_ {
        let pages = match overflow {
            Overflow::Error => self.template.masters.len(),
            Overflow::Flow => MAX_PAGES,
        };
        let flow = flow.to_string();
        (0..pages).flat_map(move |page| {
            self.template
                .master(page)
                .frames
                .iter()
                .filter(|f| f.flow == flow)
                .map(move |frame| PageFrame {
                    page,
                    frame: frame.clone(),
                })
                .collect::<Vec<_>>()
        })
    }

    fn place_flow(
        &mut self,
        name: &str,
        overflow: Overflow,
        pages: &mut BTreeMap<usize, Vec<Item>>,
    ) -> Result<(), Diagnostic> {
        let Some(first) = self.frames_of(name, Overflow::Error).next() else {
            return Ok(());
        };
        let mut units: Vec<Unit> = self.flow_units(name, mm(first.frame.width));
        let filled = paginate(&units, self.frames_of(name, overflow))
            .map_err(|e| self.flow_error(name, e, overflow))?;
        for frame in filled {
            let x = mm(frame.at.frame.x);
            let items = pages.entry(frame.at.page).or_default();
            for (index, y) in frame.units {
                // Each unit is placed once: its items move onto the page.
                let unit_items = std::mem::take(&mut units[index].items);
                items.extend(unit_items.into_iter().map(|item| translate(item, x, y)));
            }
        }
        Ok(())
    }

    fn flow_error(&self, flow: &str, error: FlowError, overflow: Overflow) -> Diagnostic {
        let whole = Some(Span::new(self.edition.file, 0..0));
        match error {
            FlowError::Overflow {
                page,
                section,
                span,
                lines,
            } => {
                let diag = Diagnostic::error(
                    span.or(whole),
                    format!(
                        "{flow} flow overflows page {page} by {lines} line{}, in {section}",
                        if lines == 1 { "" } else { "s" }
                    ),
                );
                match overflow {
                    Overflow::Error => diag
                        .with_hint("shorten the text, or set `overflow = \"flow\"` under [edition] to add pages"),
                    Overflow::Flow => diag.with_hint(format!("a factsheet may have at most {MAX_PAGES} pages")),
                }
            }
            FlowError::TooTall {
                section,
                span,
                frame,
                by,
            } => Diagnostic::error(
                span.or(whole),
                format!(
                    "{section} does not fit in the empty frame `{frame}` (too tall by {by:.1}pt)"
                ),
            )
            .with_hint("shorten it: a table, card or heading is never split"),
        }
    }

    /// Adds the master's furniture around a page's flowed content.
    fn finalize(
        &self,
        index: usize,
        count: usize,
        content: Vec<Item>,
        key_figures: Option<&Vec<Item>>,
    ) -> Page {
        let master = self.template.master(index);
        let mut items = Vec::new();
        if let Some(band) = &master.band {
            items.push(Item::Fill {
                rect: Rect {
                    x: 0.0,
                    y: mm(band.top),
                    width: mm(self.template.page.width),
                    height: mm(band.bottom - band.top),
                },
                color: self.template.color(&band.color),
            });
        }
        items.extend(self.masthead_items(index));
        if master.key_figures
            && let Some(figures) = key_figures
        {
            items.extend(figures.iter().cloned());
        }
        items.extend(content);
        items.extend(self.footer_items(index, count));
        Page {
            width: mm(self.template.page.width),
            height: mm(self.template.page.height),
            items,
        }
    }

    /// Logo, kicker and title on a first page; running head on later ones.
    fn masthead_items(&self, index: usize) -> Vec<Item> {
        let master = self.template.master(index);
        let edition = self.edition;
        let year = edition.year.to_string();
        let (h1, figure) = self.masthead.unzip();
        let mut items = Vec::new();
        if let Some(logo) = &master.logo {
            items.push(Item::Image {
                rect: Rect {
                    x: mm(logo.x),
                    y: mm(logo.y),
                    width: mm(logo.size),
                    height: mm(logo.size),
                },
                image: 0,
                alt: self.template.logo.alt.clone(),
                tag: figure,
            });
        }
        if let Some(kicker) = &master.kicker {
            // The trailing space keeps "2024 FACTSHEET Kosovo" apart when
            // the heading is read from the structure tree.
            let text = fill(&self.locale.labels.kicker, &[("year", &year)]) + " ";
            let line = set_line(self.shaper, &text, &self.style("kicker"), None);
            let line = with_tag(line, h1);
            items.extend(line_items(line, mm(kicker.x), mm(kicker.baseline)));
        }
        if let Some(title) = &master.title {
            let style = self.style("title");
            let line = set_line(self.shaper, &edition.programme.country, &style, None);
            let line = with_tag(line, h1);
            let shift = if title.optical_margin {
                self.left_bearing(&line)
            } else {
                0.0
            };
            items.extend(line_items(line, mm(title.x) - shift, mm(title.baseline)));
        }
        if let Some(head) = &master.running_head {
            items.extend(self.running_head_items(head));
        }
        items
    }

    fn running_head_items(&self, head: &crate::template::RunningHead) -> Vec<Item> {
        let style = self.style("running_head");
        let radius = mm(head.logo_size) / 2.0;
        let center = Point {
            x: mm(head.logo_x) + radius,
            y: mm(head.logo_y) + radius,
        };
        // The mark sits on a brand disc, inset so a ring of brand shows.
        let inset = radius * 0.12;
        let text = fill(
            &self.locale.labels.running_head,
            &[
                ("country", &self.edition.programme.country),
                ("year", &self.edition.year.to_string()),
            ],
        );
        let line = set_line(self.shaper, &text, &style, None);
        let cap = self.shaper.book().face(style.regular).cap_height * style.size;
        let mut items = vec![
            Item::Disc {
                center,
                radius,
                color: self.template.color("brand"),
            },
            Item::Image {
                rect: Rect {
                    x: center.x - radius + inset,
                    y: center.y - radius + inset,
                    width: 2.0 * (radius - inset),
                    height: 2.0 * (radius - inset),
                },
                image: 0,
                alt: self.template.logo.alt.clone(),
                // On continuation pages the mark is decoration: an artifact.
                tag: None,
            },
        ];
        items.extend(line_items(line, mm(head.text_x), center.y + cap / 2.0));
        items.push(Item::Rule {
            from: Point {
                x: mm(self.template.footer.left_x),
                y: mm(head.rule_y),
            },
            to: Point {
                x: mm(self.template.footer.right_x),
                y: mm(head.rule_y),
            },
            width: 0.5,
            color: self.template.color("hairline"),
        });
        items
    }

    /// How far the first glyph's ink starts right of its origin.
    fn left_bearing(&self, line: &Line) -> Pt {
        let Some(run) = line.runs.first() else {
            return 0.0;
        };
        let Some(glyph) = run.glyphs.first() else {
            return 0.0;
        };
        let face = self.shaper.book().face(run.font);
        face.metrics()
            .glyph_bounding_box(ttf_parser::GlyphId(glyph.id))
            .map_or(0.0, |bbox| {
                f64::from(bbox.x_min) * run.size / face.units_per_em
            })
    }

    fn footer_items(&self, index: usize, count: usize) -> Vec<Item> {
        let footer = &self.template.footer;
        let style = self.style("footer");
        let baseline = mm(footer.baseline);
        let programme = &self.edition.programme;
        let left = match &programme.website {
            Some(site) => format!("{} · {}", programme.organisation, site.text),
            None => programme.organisation.clone(),
        };
        let date = self.edition.data_as_of;
        let middle = fill(
            &self.locale.labels.data_as_of,
            &[(
                "date",
                &self.locale.running_date(date.year, date.month, date.day),
            )],
        );
        let page = fill(
            &self.locale.labels.page,
            &[
                ("page", &(index + 1).to_string()),
                ("pages", &count.to_string()),
            ],
        );
        let mut items = Vec::new();
        let left = set_line(self.shaper, &crate::model::smarten(&left), &style, None);
        items.extend(line_items(left, mm(footer.left_x), baseline));
        let middle = set_line(self.shaper, &middle, &style, None);
        items.extend(line_items(middle, mm(footer.middle_x), baseline));
        let right = set_line(self.shaper, &page, &style, None);
        let right_x = mm(footer.right_x) - right.width;
        items.extend(line_items(right, right_x, baseline));
        items
    }

    /// The key-figure row: caption, tinted cells, numbers that shrink together.
    fn key_figure_items(&mut self) -> Result<Vec<Item>, Diagnostic> {
        let Some(table) = self.edition.results.iter().find(|t| t.key_figures) else {
            return Ok(Vec::new());
        };
        let kf = self.template.key_figures.clone();
        let cell_width =
            (mm(kf.width) - mm(kf.gutter) * (kf.columns as Pt - 1.0)) / kf.columns as Pt;
        let inner = cell_width - 2.0 * mm(kf.inset);
        let values = self.fit_key_figures(table, inner)?;
        let caption = set_line(
            self.shaper,
            &self.results_caption(table),
            &self.style("caption"),
            Some(&table.span),
        );
        // The key-figure row is a real table: a heading, then one row per
        // figure with its label (header cell) and its value.
        let sect = self.element(Role::Sect, Structure::ROOT);
        let heading = self.element(Role::H2, sect);
        let table_element = self.element(Role::Table, sect);
        let caption = with_tag(caption, Some(heading));
        let mut items = line_items(caption, mm(kf.x), mm(kf.caption_baseline));
        let label_style = self.style("key_label");
        let brand = self.template.color("brand");
        let tint = self.template.color("tint");
        for (i, (indicator, value_lines)) in self.edition.indicators.iter().zip(values).enumerate()
        {
            let x = mm(kf.x) + i as Pt * (cell_width + mm(kf.gutter));
            let (top, bottom) = (mm(kf.top), mm(kf.bottom));
            items.push(Item::Fill {
                rect: Rect {
                    x,
                    y: top,
                    width: cell_width,
                    height: bottom - top,
                },
                color: tint,
            });
            items.push(Item::Fill {
                rect: Rect {
                    x,
                    y: top,
                    width: cell_width,
                    height: kf.rule_pt,
                },
                color: brand,
            });
            let text_x = x + mm(kf.inset);
            let row = self.element(Role::TR, table_element);
            let (th, td) = (self.element(Role::TH, row), self.element(Role::TD, row));
            for line in value_lines {
                let line = with_tag(line, Some(td));
                items.extend(line_items(line, text_x, mm(kf.number_baseline)));
            }
            let label = set_paragraph(
                self.shaper,
                &[Inline::plain(&indicator.label)],
                &label_style,
                inner,
                Some(&table.span),
                &mut self.warnings,
            );
            if label.len() > kf.label_lines {
                return Err(Diagnostic::error(
                    Some(indicator.span.clone()),
                    format!(
                        "key figure label \"{}\" needs {} lines; the cell holds {}",
                        indicator.label,
                        label.len(),
                        kf.label_lines
                    ),
                )
                .with_hint("shorten the indicator's label"));
            }
            for (k, line) in label.into_iter().enumerate() {
                let y = mm(kf.label_baseline) + k as Pt * label_style.leading;
                items.extend(line_items(with_tag(line, Some(th)), text_x, y));
            }
        }
        Ok(items)
    }

    /// Tries each size from the largest down: every value in its exact form,
    /// then km²; the first size at which all fit wins.
    fn fit_key_figures(
        &self,
        table: &crate::model::ResultTable,
        inner: Pt,
    ) -> Result<Vec<Vec<Line>>, Diagnostic> {
        let kf = &self.template.key_figures;
        let number = self.style("key_number");
        let unit = self.style("key_unit");
        let unit_ratio = unit.size / number.size;
        let steps = ((kf.number_max_pt - kf.number_min_pt) / 0.5).round() as usize;
        for step in 0..=steps {
            let size = kf.number_max_pt - step as Pt * 0.5;
            let number = number.at_size(size);
            let unit = unit.at_size(size * unit_ratio);
            let fitted: Option<Vec<Vec<Line>>> = self
                .edition
                .indicators
                .iter()
                .zip(&table.values)
                .map(|(indicator, &value)| {
                    self.key_figure_forms(value, indicator.unit)
                        .into_iter()
                        .map(|(digits, suffix)| {
                            self.key_figure_lines(&digits, suffix.as_deref(), &number, &unit)
                        })
                        .find(|lines| lines_width(lines) <= inner)
                })
                .collect();
            if let Some(fitted) = fitted {
                return Ok(fitted);
            }
        }
        Err(Diagnostic::error(
            Some(table.span.clone()),
            format!(
                "key figures do not fit their cells even at {} pt",
                kf.number_min_pt
            ),
        )
        .with_hint(
            "the template's [key_figures] may allow a smaller `number_min_pt` or wider cells",
        ))
    }

    /// The forms a key figure may take, preferred first: (number, unit).
    fn key_figure_forms(&self, value: u64, unit: ValueUnit) -> Vec<(String, Option<String>)> {
        let labels = &self.locale.labels;
        match unit {
            ValueUnit::Count => vec![(self.locale.integer(value), None)],
            ValueUnit::M2 => {
                let mut forms = vec![(self.locale.integer(value), Some(labels.m2.clone()))];
                if value >= 1_000_000 {
                    // Hundredths of km², rounded half up: 10,292,440 m² → 10.29.
                    let hundredths = (value + 5_000) / 10_000;
                    forms.push((self.locale.hundredths(hundredths), Some(labels.km2.clone())));
                }
                forms
            }
        }
    }

    fn key_figure_lines(
        &self,
        digits: &str,
        suffix: Option<&str>,
        number: &TextStyle,
        unit: &TextStyle,
    ) -> Vec<Line> {
        let number_line = set_line(self.shaper, digits, number, None);
        let Some(suffix) = suffix else {
            return vec![number_line];
        };
        let space = set_line(self.shaper, "\u{a0}", unit, None);
        let mut unit_line = set_line(self.shaper, suffix, unit, None);
        let gap = number_line.width + space.width;
        // Shift the unit's runs right of the number, keeping the NBSP for copy.
        let mut runs = space.runs;
        runs.append(&mut unit_line.runs);
        let mut x = number_line.width;
        for run in &mut runs {
            run.origin.x = x;
            x += run.width;
        }
        let unit_width = unit_line.width;
        vec![
            number_line,
            Line {
                runs,
                width: gap + unit_width,
                links: Vec::new(),
            },
        ]
    }
}

fn lines_width(lines: &[Line]) -> Pt {
    lines.iter().map(|l| l.width).fold(0.0, Pt::max)
}

/// A line whose runs all belong to `tag`.
fn with_tag(mut line: Line, tag: Option<ElementId>) -> Line {
    for run in &mut line.runs {
        run.tag = tag;
    }
    line
}

/// What a screen reader says for a link: its address without the scheme.
fn link_description(url: &str) -> String {
    match url.strip_prefix("mailto:") {
        Some(address) => format!("e-mail {address}"),
        None => url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_string(),
    }
}

/// A set line's runs and links placed at (x, baseline).
pub fn line_items(line: Line, x: Pt, baseline: Pt) -> Vec<Item> {
    let size = line.runs.first().map_or(10.0, |r| r.size);
    let mut items: Vec<Item> = line
        .runs
        .into_iter()
        .map(|run| translate(Item::Text(run), x, baseline))
        .collect();
    for LinkSpan {
        left,
        right,
        url,
        tag,
    } in &line.links
    {
        items.push(Item::Link {
            tag: *tag,
            rect: Rect {
                x: x + left,
                // From above the ascenders to below the descenders: the
                // printed text, not the line box.
                y: baseline - 0.8 * size,
                width: right - left,
                height: 1.05 * size,
            },
            url: url.clone(),
        });
    }
    items
}
