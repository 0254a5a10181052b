//! Flow content (layout stage): turns the edition's sections, results
//! tables, links and contacts into [`Unit`]s for a column of a given width,
//! with the template's vertical rhythm and the keep rules (no widows, no
//! orphans, headings with two lines, atomic tables and cards).

use super::flow::{Unit, UnitKind};
use super::page::{Item, Point, Rect, Role, Structure};
use super::text::{Line, TextStyle, set_line, set_paragraph};
use super::{Ctx, line_items};
use crate::markup::Inline;
use crate::model::{DONORS_PLACEHOLDER, ResultTable, Section, Unit as ValueUnit};
use crate::template::{Anchor, Pt, mm};

/// Lines a paragraph keeps at each side of a frame break (no widows or orphans).
const KEEP_LINES: usize = 2;

impl Ctx<'_> {
    /// The units of flow `name`, set for a column `width` pt wide.
    pub fn flow_units(&mut self, name: &str, width: Pt) -> Vec<Unit> {
        let contents = self.template.flows.get(name).cloned().unwrap_or_default();
        let mut units: Vec<Unit> = Vec::new();
        for content in &contents {
            match content.as_str() {
                "sections" => {
                    for section in &self.edition.sections {
                        self.section_units(section, &[], width, &mut units);
                    }
                }
                "donors" => {
                    if let Some(donors) = &self.edition.donors {
                        let names: Vec<&str> = donors.names.iter().map(String::as_str).collect();
                        self.section_units(&donors.section, &names, width, &mut units);
                    }
                }
                "results" => {
                    for table in &self.edition.results {
                        let unit = self.table_unit(table, width);
                        push_block(&mut units, unit, self.template.rhythm.after_block);
                    }
                }
                "links" if !self.edition.links.is_empty() => {
                    let unit = self.links_unit(width);
                    push_block(&mut units, unit, self.template.rhythm.after_block);
                }
                "contact" if !self.edition.contacts.is_empty() => {
                    let unit = self.contact_unit(width);
                    push_block(&mut units, unit, self.template.rhythm.after_block);
                }
                "frame-break" => units.push(Unit::frame_break()),
                _ => {}
            }
        }
        units
    }

    fn section_units(
        &mut self,
        section: &Section,
        donors: &[&str],
        width: Pt,
        units: &mut Vec<Unit>,
    ) {
        let heading_style = self.style("heading");
        let body = self.style("body");
        let rhythm = self.template.rhythm.clone();
        let title = section.heading.to_uppercase();
        let sect = self.element(Role::Sect, Structure::ROOT);
        let h2 = self.element(Role::H2, sect);
        let heading_lines = set_paragraph(
            self.shaper,
            &[Inline::plain(&section.heading)],
            &heading_style,
            width,
            Some(&section.span),
            &mut self.warnings,
        );
        let heading_lines = self.tagged(heading_lines, h2);
        let after_content = units.last().is_some_and(|u| u.kind != UnitKind::FrameBreak);
        let mut heading = text_unit(heading_lines, &heading_style, UnitKind::Heading, &title);
        heading.src = Some(section.span.clone());
        heading.advance = if after_content { rhythm.section } else { 0.0 };
        units.push(heading);
        for (p, paragraph) in section.paragraphs.iter().enumerate() {
            let runs = self.expand_donors(&paragraph.runs, donors);
            let lines = set_paragraph(
                self.shaper,
                &runs,
                &body,
                width,
                Some(&paragraph.span),
                &mut self.warnings,
            );
            let element = self.element(Role::P, sect);
            let lines = self.tagged(lines, element);
            let count = lines.len();
            for (k, line) in lines.into_iter().enumerate() {
                let kind = if k == 0 {
                    UnitKind::FirstLine
                } else {
                    UnitKind::Line
                };
                let mut unit = text_unit(vec![line], &body, kind, &title);
                unit.src = Some(section.span.clone());
                unit.advance = match (k, p) {
                    (0, 0) => rhythm.heading,
                    (0, _) => rhythm.paragraph,
                    _ => body.leading,
                };
                // A break may come between paragraphs (not right after the
                // heading) or inside one with two lines on each side.
                unit.breakable_before = match k {
                    0 => p > 0,
                    _ => k >= KEEP_LINES && count - k >= KEEP_LINES,
                };
                units.push(unit);
            }
        }
    }

    /// Replaces the donors placeholder run with bold names joined as a list.
    fn expand_donors(&self, runs: &[Inline], donors: &[&str]) -> Vec<Inline> {
        let mut out = Vec::new();
        for run in runs {
            if run.text != DONORS_PLACEHOLDER {
                out.push(run.clone());
                continue;
            }
            for piece in self.locale.list(donors) {
                out.push(match piece {
                    crate::locale::ListPiece::Item(name) => Inline::bold(name),
                    crate::locale::ListPiece::Joiner(joiner) => Inline::plain(joiner),
                });
            }
        }
        out
    }

    /// The caption printed above a results table.
    pub fn results_caption(&self, table: &ResultTable) -> String {
        let labels = &self.locale.labels;
        if table.first == table.last {
            crate::locale::fill(&labels.results_year, &[("year", &table.last.to_string())])
        } else {
            crate::locale::fill(
                &labels.results_period,
                &[
                    ("first", &table.first.to_string()),
                    ("last", &table.last.to_string()),
                ],
            )
        }
    }

    /// A value as printed in a table: exact, grouped, with its unit.
    pub fn exact_value(&self, value: u64, unit: ValueUnit) -> String {
        let number = self.locale.integer(value);
        match unit {
            ValueUnit::M2 => format!("{number}\u{a0}{}", self.locale.labels.m2),
            ValueUnit::Count => number,
        }
    }

    /// The widest value an indicator takes in any results table. A row's
    /// label may run up to it, so one indicator wraps alike in every table
    /// while rows with short values keep the whole width.
    fn value_width(&self, indicator: usize, style: &TextStyle) -> Pt {
        let unit = self.edition.indicators[indicator].unit;
        self.edition
            .results
            .iter()
            .filter_map(|t| t.values.get(indicator))
            .map(|&value| set_line(self.shaper, &self.exact_value(value, unit), style, None).width)
            .fold(0.0, Pt::max)
    }

    fn table_unit(&mut self, table: &ResultTable, width: Pt) -> Unit {
        let caption_style = self.style("caption");
        let label_style = self.style("table_label");
        let value_style = self.style("table_value");
        let tables = self.template.tables.clone();
        let rhythm = self.template.rhythm.clone();
        let ink = self.template.color("ink");
        let hairline = self.template.color("hairline");
        let caption = self.results_caption(table);
        let table_element = self.element(Role::Table, Structure::ROOT);
        let caption_element = self.element(Role::Caption, table_element);
        let caption_line = set_line(self.shaper, &caption, &caption_style, Some(&table.span));
        let mut caption_line = self.tagged(vec![caption_line], caption_element);
        let mut items = line_items(caption_line.remove(0), 0.0, 0.0);
        let rule = |y: Pt, thickness: Pt, color| Item::Rule {
            from: Point { x: 0.0, y },
            to: Point { x: width, y },
            width: thickness,
            color,
        };
        items.push(rule(
            tables.rule_below_baseline_pt,
            tables.caption_rule_pt,
            ink,
        ));
        let mut baseline = rhythm.caption;
        let mut lines = 1;
        for (row, (indicator, &value)) in self
            .edition
            .indicators
            .iter()
            .zip(&table.values)
            .enumerate()
        {
            let label_width = width - self.value_width(row, &value_style) - mm(tables.gap);
            let tr = self.element(Role::TR, table_element);
            let th = self.element(Role::TH, tr);
            let td = self.element(Role::TD, tr);
            let label = set_paragraph(
                self.shaper,
                &[Inline::plain(&indicator.label)],
                &label_style,
                label_width,
                Some(&table.span),
                &mut self.warnings,
            );
            let label = self.tagged(label, th);
            let shown = self.exact_value(value, indicator.unit);
            let value_line = set_line(self.shaper, &shown, &value_style, Some(&table.span));
            let value_line = self.tagged(vec![value_line], td).remove(0);
            let value_x = width - value_line.width;
            items.extend(line_items(value_line, value_x, baseline));
            let label_lines = label.len();
            for (k, line) in label.into_iter().enumerate() {
                items.extend(line_items(
                    line,
                    0.0,
                    baseline + k as Pt * label_style.leading,
                ));
            }
            let last = baseline + (label_lines.max(1) - 1) as Pt * label_style.leading;
            items.push(rule(
                last + tables.rule_below_baseline_pt,
                tables.row_rule_pt,
                hairline,
            ));
            lines += label_lines;
            baseline = last + rhythm.table_row;
        }
        let extent = baseline - rhythm.table_row;
        let depth = tables.rule_below_baseline_pt + tables.row_rule_pt;
        block_unit(items, extent, depth, &caption, lines)
    }

    fn links_unit(&mut self, width: Pt) -> Unit {
        let caption_style = self.style("caption");
        let label_style = self.style("item_label");
        let link_style = self.style("item_link");
        let rhythm = self.template.rhythm.clone();
        let caption = self.locale.labels.more_information.clone();
        let sect = self.element(Role::Sect, Structure::ROOT);
        let heading = self.element(Role::H2, sect);
        let caption_line = set_line(self.shaper, &caption, &caption_style, None);
        let mut caption_line = self.tagged(vec![caption_line], heading);
        let mut items = line_items(caption_line.remove(0), 0.0, 0.0);
        let mut baseline = caption_style.leading;
        let mut lines = 1;
        for link in &self.edition.links {
            let label = set_paragraph(
                self.shaper,
                &[Inline::plain(&link.label)],
                &label_style,
                width,
                Some(&link.span),
                &mut self.warnings,
            );
            let target = Inline {
                link: Some(link.url.clone()),
                ..Inline::plain(&link.text)
            };
            let text = set_paragraph(
                self.shaper,
                &[target],
                &link_style,
                width,
                Some(&link.span),
                &mut self.warnings,
            );
            let paragraph = self.element(Role::P, sect);
            let label = self.tagged(label, paragraph);
            let text = self.tagged(text, paragraph);
            for line in label.into_iter().chain(text) {
                items.extend(line_items(line, 0.0, baseline));
                baseline += label_style.leading;
                lines += 1;
            }
            baseline += rhythm.item - label_style.leading;
        }
        let extent = baseline - rhythm.item;
        block_unit(items, extent, link_style.size * 0.3, &caption, lines)
    }

    fn contact_unit(&mut self, width: Pt) -> Unit {
        let caption_style = self.style("caption");
        let name_style = self.style("item_label");
        let role_style = self.style("contact_role");
        let email_style = self.style("item_link");
        let rhythm = self.template.rhythm.clone();
        let card = self.template.contact_card.clone();
        let pad = mm(card.padding);
        let inner = width - 2.0 * pad;
        let caption = self.locale.labels.contact.clone();
        let mut items = Vec::new();
        let sect = self.element(Role::Sect, Structure::ROOT);
        let heading = self.element(Role::H2, sect);
        let caption_line = set_line(self.shaper, &caption, &caption_style, None);
        let mut caption_line = self.tagged(vec![caption_line], heading);
        let mut text_items = line_items(caption_line.remove(0), pad, 0.0);
        let mut baseline = caption_style.leading;
        let mut lines = 1;
        for contact in &self.edition.contacts {
            let src = Some(&contact.span);
            let email = Inline {
                link: Some(format!("mailto:{}", contact.email)),
                ..Inline::plain(&contact.email)
            };
            let set = |runs: &[Inline], style: &TextStyle, warnings: &mut Vec<_>| {
                set_paragraph(self.shaper, runs, style, inner, src, warnings)
            };
            let mut block = set(
                &[Inline::plain(&contact.name)],
                &name_style,
                &mut self.warnings,
            );
            block.extend(set(
                &[Inline::plain(&contact.role)],
                &role_style,
                &mut self.warnings,
            ));
            block.extend(set(&[email], &email_style, &mut self.warnings));
            let paragraph = self.element(Role::P, sect);
            let block = self.tagged(block, paragraph);
            for line in block {
                text_items.extend(line_items(line, pad, baseline));
                baseline += name_style.leading;
                lines += 1;
            }
            baseline += rhythm.item - name_style.leading;
        }
        let extent = baseline - rhythm.item;
        let top = -card.top_pt;
        let bottom = extent + card.bottom_pt;
        items.push(Item::Fill {
            rect: Rect {
                x: 0.0,
                y: top,
                width,
                height: bottom - top,
            },
            color: self.template.color("tint"),
        });
        items.push(Item::Fill {
            rect: Rect {
                x: 0.0,
                y: top,
                width,
                height: card.rule_pt,
            },
            color: self.template.color("brand"),
        });
        items.extend(text_items);
        Unit {
            advance: card.top_pt,
            anchor: card.anchor,
            ..block_unit(items, extent, card.bottom_pt, &caption, lines)
        }
    }
}

/// An atomic block (table, link list, card) headed by `caption`.
fn block_unit(items: Vec<Item>, extent: Pt, depth: Pt, caption: &str, lines: usize) -> Unit {
    Unit {
        items,
        extent,
        depth,
        advance: 0.0,
        breakable_before: true,
        kind: UnitKind::Block,
        anchor: Anchor::Top,
        section: caption.to_uppercase(),
        src: None,
        lines,
    }
}

/// Adds an atomic block after what the flow already holds.
fn push_block(units: &mut Vec<Unit>, mut unit: Unit, after_block: Pt) {
    let after_content = units.last().is_some_and(|u| u.kind != UnitKind::FrameBreak);
    unit.advance = if after_content {
        after_block.max(unit.advance)
    } else {
        0.0
    };
    units.push(unit);
}

/// A unit made of set lines one leading apart.
fn text_unit(lines: Vec<Line>, style: &TextStyle, kind: UnitKind, section: &str) -> Unit {
    let count = lines.len();
    let items = lines
        .into_iter()
        .enumerate()
        .flat_map(|(k, line)| line_items(line, 0.0, k as Pt * style.leading))
        .collect();
    Unit {
        items,
        extent: (count.max(1) - 1) as Pt * style.leading,
        depth: style.size * 0.3,
        advance: 0.0,
        breakable_before: true,
        kind,
        anchor: Anchor::Top,
        section: section.to_string(),
        src: None,
        lines: count,
    }
}
