//! The data model (load stage): an edition's TOML file is deserialised into
//! spanned raw structs, then checked into an [`Edition`] that layout can
//! trust. Every problem found by the check is reported at once.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, FileId, Span};
use crate::markup::{self, Inline, Paragraph};

/// The default template, relative to the project folder.
pub const DEFAULT_TEMPLATE: &str = "assets/templates/default.toml";

/// A checked edition: everything layout needs, in typed form.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Template path relative to the project folder, with its span.
    pub template: (String, Option<Span>),
    /// Facts about the country programme.
    pub programme: Programme,
    /// Edition year ("2024 FACTSHEET").
    pub year: u16,
    /// Language tag; selects `assets/labels/{language}.toml`.
    pub language: (String, Span),
    /// The date the figures are current to (footer, PDF dates).
    pub data_as_of: Date,
    /// What to do when the main flow does not fit.
    pub overflow: Overflow,
    /// The output profile built unless the command line names one.
    pub profile: ProfileName,
    /// Indicators in table order.
    pub indicators: Vec<Indicator>,
    /// Results tables, in data order.
    pub results: Vec<ResultTable>,
    /// Narrative sections of the main column.
    pub sections: Vec<Section>,
    /// The acknowledgement of donors, set after the sections.
    pub donors: Option<Donors>,
    /// Labelled links for MORE INFORMATION.
    pub links: Vec<LinkItem>,
    /// People to contact.
    pub contacts: Vec<Contact>,
    /// The edition file itself.
    pub file: FileId,
}

/// Facts that stay the same across a programme's editions.
#[derive(Debug, Clone)]
pub struct Programme {
    /// Country or programme name ("Kosovo").
    pub country: String,
    /// Organisation name (footer, PDF author).
    pub organisation: String,
    /// Organisation web address for the footer.
    pub website: Option<LinkItem>,
}

/// A calendar date from the data (never from the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

/// Overflow policy of the main flow (design brief, "When content does not fit").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Overflow {
    /// Stop with an error naming the flow, section and amount.
    #[default]
    Error,
    /// Add continuation pages from the last page master.
    Flow,
}

/// An output profile named in the data (`[edition] profile`); the render
/// stage turns it into its full form with default options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileName {
    /// RGB for e-mail and the web.
    #[default]
    Screen,
    /// CMYK with bleed, PDF/X-4.
    Print,
    /// PDF/A-2b.
    Archive,
}

/// The unit of an indicator's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Square metres; key figures may show km².
    M2,
    /// A plain count.
    Count,
}

/// A results indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Key used in `values` tables.
    pub key: String,
    /// Printed label.
    pub label: String,
    /// Unit of its values.
    pub unit: Unit,
}

/// One results table: a period and one value per indicator (in indicator order).
#[derive(Debug, Clone)]
pub struct ResultTable {
    /// First year covered.
    pub first: u16,
    /// Last year covered.
    pub last: u16,
    /// Also shown as the key-figure row.
    pub key_figures: bool,
    /// Values in indicator order.
    pub values: Vec<u64>,
    /// Where the table is in the data.
    pub span: Span,
}

/// A headed section of running text.
#[derive(Debug, Clone)]
pub struct Section {
    /// Heading as written (the template may set it in capitals).
    pub heading: String,
    /// Paragraphs of styled text.
    pub paragraphs: Vec<Paragraph>,
    /// Where the section is in the data.
    pub span: Span,
}

/// The donor acknowledgement: a section whose text holds a `{donors}` run.
#[derive(Debug, Clone)]
pub struct Donors {
    /// Heading and paragraphs; one run's text is exactly [`DONORS_PLACEHOLDER`].
    pub section: Section,
    /// Donor names, printed in bold and joined as a list by layout.
    pub names: Vec<String>,
}

/// The run that layout replaces with the joined donor names.
pub const DONORS_PLACEHOLDER: &str = "{donors}";

/// A link with a printed label and address.
#[derive(Debug, Clone)]
pub struct LinkItem {
    /// Label printed above the address (may be empty for the footer).
    pub label: String,
    /// Printed text of the link.
    pub text: String,
    /// Target (https:, http: or mailto:).
    pub url: String,
    /// Where it is in the data.
    pub span: Span,
}

/// A person to contact.
#[derive(Debug, Clone)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// Role or title.
    pub role: String,
    /// E-mail address (printed and linked with mailto:).
    pub email: String,
    /// Where it is in the data.
    pub span: Span,
}

// ---------------------------------------------------------------- raw form

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    template: Option<Spanned<String>>,
    programme: RawProgramme,
    edition: RawEditionInfo,
    #[serde(default)]
    indicators: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    results: Vec<Spanned<RawResults>>,
    #[serde(default)]
    sections: Vec<Spanned<RawSection>>,
    donors: Option<Spanned<RawDonors>>,
    #[serde(default)]
    links: Vec<Spanned<RawLink>>,
    #[serde(default)]
    contacts: Vec<Spanned<RawContact>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    country: Spanned<String>,
    organisation: Spanned<String>,
    website: Option<Spanned<RawWebsite>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebsite {
    text: String,
    url: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEditionInfo {
    year: Spanned<i64>,
    language: Spanned<String>,
    data_as_of: Spanned<toml::value::Datetime>,
    #[serde(default)]
    overflow: Overflow,
    #[serde(default)]
    profile: ProfileName,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    label: String,
    unit: Unit,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResults {
    first: Spanned<i64>,
    last: Spanned<i64>,
    #[serde(default)]
    key_figures: bool,
    values: Spanned<BTreeMap<String, Spanned<i64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    heading: Spanned<String>,
    body: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDonors {
    heading: String,
    text: Spanned<String>,
    names: Spanned<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    label: String,
    text: Spanned<String>,
    url: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Spanned<String>,
    role: String,
    email: Spanned<String>,
}

// ---------------------------------------------------------------- loading

/// Turns a TOML error into a diagnostic at its span.
pub fn toml_error(error: &toml::de::Error, file: FileId) -> Diagnostic {
    let span = error.span().map(|range| Span::new(file, range));
    let message = error.message().trim().trim_end_matches('.').to_string();
    let mut diag = Diagnostic::error(span, lower_first(&message));
    if let Some(hint) = suggest_key(&message) {
        diag = diag.with_hint(hint);
    }
    diag
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the nearest key.
fn suggest_key(message: &str) -> Option<String> {
    let unknown = message.strip_prefix("unknown field `")?.split('`').next()?;
    let expected: Vec<&str> = message
        .split("expected")
        .nth(1)?
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    let best = expected
        .iter()
        .min_by_key(|key| edit_distance(unknown, key))?;
    if edit_distance(unknown, best) <= best.len().max(3) / 2 {
        Some(format!("did you mean `{best}`?"))
    } else {
        Some(format!("known keys here: {}", expected.join(", ")))
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Parses and checks an edition file.
pub fn load(text: &str, file: FileId) -> Result<Edition, Vec<Diagnostic>> {
    let raw: RawEdition = toml::from_str(text).map_err(|e| vec![toml_error(&e, file)])?;
    Checker {
        file,
        errors: Vec::new(),
    }
    .run(raw)
}

struct Checker {
    file: FileId,
    errors: Vec<Diagnostic>,
}

impl Checker {
    fn run(mut self, raw: RawEdition) -> Result<Edition, Vec<Diagnostic>> {
        let template = match raw.template {
            Some(t) => {
                let span = self.span(t.span());
                (t.into_inner(), Some(span))
            }
            None => (DEFAULT_TEMPLATE.to_string(), None),
        };
        let programme = self.programme(raw.programme);
        let year = self.year(&raw.edition.year, "edition year");
        let data_as_of = self.date(&raw.edition.data_as_of);
        let language = (
            raw.edition.language.get_ref().clone(),
            self.span(raw.edition.language.span()),
        );
        let indicators = self.indicators(raw.indicators);
        let results = raw
            .results
            .into_iter()
            .filter_map(|r| self.results(r, &indicators))
            .collect();
        let sections = raw
            .sections
            .into_iter()
            .filter_map(|s| self.section(s))
            .collect();
        let donors = raw.donors.and_then(|d| self.donors(d));
        let links = raw.links.into_iter().filter_map(|l| self.link(l)).collect();
        let contacts = raw
            .contacts
            .into_iter()
            .filter_map(|c| self.contact(c))
            .collect();
        let edition = Edition {
            template,
            programme,
            year,
            language,
            data_as_of,
            overflow: raw.edition.overflow,
            profile: raw.edition.profile,
            indicators,
            results,
            sections,
            donors,
            links,
            contacts,
            file: self.file,
        };
        self.require_content(&edition);
        if self.errors.is_empty() {
            Ok(edition)
        } else {
            Err(self.errors)
        }
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn error(&mut self, range: std::ops::Range<usize>, message: String, hint: &str) {
        let span = self.span(range);
        self.errors
            .push(Diagnostic::error(Some(span), message).with_hint(hint));
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> String {
        if value.get_ref().trim().is_empty() {
            self.error(
                value.span(),
                format!("{what} is empty"),
                "write the text between the quotes",
            );
        }
        value.get_ref().trim().to_string()
    }

    fn programme(&mut self, raw: RawProgramme) -> Programme {
        let country = self.non_empty(&raw.country, "country");
        let organisation = self.non_empty(&raw.organisation, "organisation");
        let website = raw.website.map(|w| {
            let span = self.span(w.span());
            let w = w.into_inner();
            self.url(&w.url);
            LinkItem {
                label: String::new(),
                text: w.text,
                url: w.url.into_inner(),
                span,
            }
        });
        Programme {
            country,
            organisation,
            website,
        }
    }

    fn year(&mut self, value: &Spanned<i64>, what: &str) -> u16 {
        let year = *value.get_ref();
        if !(1990..=2100).contains(&year) {
            self.error(
                value.span(),
                format!("{what} {year} is out of range (1990–2100)"),
                "write the four-digit year, e.g. 2024",
            );
            return 2000;
        }
        year as u16
    }

    fn date(&mut self, value: &Spanned<toml::value::Datetime>) -> Date {
        match (value.get_ref().date, value.get_ref().time) {
            (Some(d), None) if (1990..=2100).contains(&d.year) => Date {
                year: d.year,
                month: d.month,
                day: d.day,
            },
            _ => {
                self.error(
                    value.span(),
                    "`data_as_of` must be a date between 1990 and 2100, without a time".into(),
                    "write it as 2023-12-31 (no quotes)",
                );
                Date {
                    year: 2000,
                    month: 1,
                    day: 1,
                }
            }
        }
    }

    fn indicators(&mut self, raw: Vec<Spanned<RawIndicator>>) -> Vec<Indicator> {
        let mut out: Vec<Indicator> = Vec::new();
        for item in raw {
            let item = item.into_inner();
            let key = item.key.get_ref().clone();
            if out.iter().any(|i| i.key == key) {
                self.error(
                    item.key.span(),
                    format!("indicator `{key}` is defined twice"),
                    "give each indicator its own key",
                );
            }
            out.push(Indicator {
                key,
                label: item.label.trim().to_string(),
                unit: item.unit,
            });
        }
        out
    }

    fn results(
        &mut self,
        raw: Spanned<RawResults>,
        indicators: &[Indicator],
    ) -> Option<ResultTable> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        let first = self.year(&raw.first, "first year");
        let last = self.year(&raw.last, "last year");
        if first > last {
            self.error(
                raw.first.span(),
                format!("period {first}–{last} runs backwards"),
                "`first` is the earlier year",
            );
        }
        let map = raw.values.get_ref();
        for (key, value) in map {
            if !indicators.iter().any(|i| &i.key == key) {
                let known: Vec<&str> = indicators.iter().map(|i| i.key.as_str()).collect();
                self.error(
                    value.span(),
                    format!("`{key}` is not an indicator"),
                    &format!("known indicators: {}", known.join(", ")),
                );
            }
        }
        let mut values = Vec::new();
        for indicator in indicators {
            match map.get(&indicator.key) {
                Some(v) if *v.get_ref() >= 0 => values.push(*v.get_ref() as u64),
                Some(v) => self.error(
                    v.span(),
                    format!("`{}` is negative ({})", indicator.key, v.get_ref()),
                    "results are counts or areas: zero or more",
                ),
                None => self.error(
                    raw.values.span(),
                    format!(
                        "results {first}–{last} have no value for `{}`",
                        indicator.key
                    ),
                    &format!("add `{} = …` to `values`", indicator.key),
                ),
            }
        }
        Some(ResultTable {
            first,
            last,
            key_figures: raw.key_figures,
            values,
            span,
        })
    }

    fn paragraphs(&mut self, body: &Spanned<String>) -> Vec<Paragraph> {
        let span = self.span(body.span());
        match markup::parse(body.get_ref(), &span) {
            Ok(paragraphs) if !paragraphs.is_empty() => paragraphs,
            Ok(_) => {
                self.error(
                    body.span(),
                    "the text is empty".into(),
                    "write at least one sentence",
                );
                Vec::new()
            }
            Err(errors) => {
                self.errors.extend(errors);
                Vec::new()
            }
        }
    }

    fn section(&mut self, raw: Spanned<RawSection>) -> Option<Section> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        let heading = self.non_empty(&raw.heading, "section heading");
        let paragraphs = self.paragraphs(&raw.body);
        Some(Section {
            heading,
            paragraphs,
            span,
        })
    }

    fn donors(&mut self, raw: Spanned<RawDonors>) -> Option<Donors> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        if raw.names.get_ref().is_empty() {
            self.error(
                raw.names.span(),
                "`names` lists no donor".into(),
                "add each donor's name as a string",
            );
        }
        if !raw.text.get_ref().contains("{donors}") {
            self.error(
                raw.text.span(),
                "donor text has no `{donors}` placeholder".into(),
                "put {donors} where the names belong",
            );
        }
        let mut paragraphs = self.paragraphs(&raw.text);
        for paragraph in &mut paragraphs {
            paragraph.runs = isolate_placeholder(&paragraph.runs);
        }
        let names = raw
            .names
            .get_ref()
            .iter()
            .map(|n| smarten(n.trim()))
            .collect();
        Some(Donors {
            section: Section {
                heading: raw.heading,
                paragraphs,
                span,
            },
            names,
        })
    }

    fn url(&mut self, url: &Spanned<String>) {
        if let Err(why) = markup::check_url(url.get_ref()) {
            self.error(
                url.span(),
                format!("link target \"{}\" is not usable ({why})", url.get_ref()),
                "write the full address, starting with https://",
            );
        }
    }

    fn link(&mut self, raw: Spanned<RawLink>) -> Option<LinkItem> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        self.url(&raw.url);
        let text = self.non_empty(&raw.text, "link text");
        Some(LinkItem {
            label: smarten(raw.label.trim()),
            text,
            url: raw.url.into_inner(),
            span,
        })
    }

    fn contact(&mut self, raw: Spanned<RawContact>) -> Option<Contact> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        let name = self.non_empty(&raw.name, "contact name");
        if let Err(why) = markup::check_email(raw.email.get_ref()) {
            self.error(
                raw.email.span(),
                format!("e-mail \"{}\" is not valid ({why})", raw.email.get_ref()),
                "write it as name@example.org",
            );
        }
        Some(Contact {
            name: smarten(&name),
            role: smarten(raw.role.trim()),
            email: raw.email.into_inner(),
            span,
        })
    }

    fn require_content(&mut self, edition: &Edition) {
        let whole = Span::new(self.file, 0..0);
        if edition.results.iter().filter(|r| r.key_figures).count() > 1 {
            self.errors.push(
                Diagnostic::error(
                    Some(whole),
                    "more than one results table has `key_figures = true`",
                )
                .with_hint("mark only the table the key-figure row should show"),
            );
        }
    }
}

/// Straight apostrophes in plain (non-markup) text become typographic ones.
pub fn smarten(text: &str) -> String {
    text.replace('\'', "’")
}

/// Splits runs so that `{donors}` stands in a run of its own.
fn isolate_placeholder(runs: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::new();
    for run in runs {
        let Some((before, after)) = run.text.split_once(DONORS_PLACEHOLDER) else {
            out.push(run.clone());
            continue;
        };
        out.push(Inline {
            text: before.to_string(),
            ..run.clone()
        });
        out.push(Inline::plain(DONORS_PLACEHOLDER));
        out.push(Inline {
            text: after.to_string(),
            ..run.clone()
        });
    }
    out.retain(|r| !r.text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KOSOVO: &str = include_str!("../data/kosovo-2024.toml");

    #[test]
    fn kosovo_loads_with_typed_results() {
        let edition = load(KOSOVO, FileId(0)).unwrap();
        assert_eq!(edition.year, 2024);
        assert_eq!(edition.indicators.len(), 4);
        let overall = edition.results.iter().find(|r| r.key_figures).unwrap();
        assert_eq!((overall.first, overall.last), (2017, 2023));
        assert_eq!(overall.values, vec![10_292_440, 800, 6_838, 15]);
        assert_eq!(edition.sections[0].paragraphs.len(), 3);
        assert_eq!(edition.sections[1].paragraphs.len(), 4);
        assert_eq!(edition.links.len(), 3);
        assert_eq!(edition.contacts.len(), 3);
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let text = KOSOVO.replace("country = ", "contry = ");
        let errors = load(&text, FileId(0)).unwrap_err();
        assert!(
            errors[0].message.contains("unknown field `contry`"),
            "{errors:?}"
        );
        assert_eq!(errors[0].hints, vec!["did you mean `country`?".to_string()]);
    }

    #[test]
    fn every_semantic_problem_is_reported_at_once() {
        let text = KOSOVO
            .replace("url = \"https://facebook.com/npa.kosovo\"", "url = \"#\"")
            .replace("email = \"hansr@npaid.org\"", "email = \"hansr\"")
            .replace("items_destroyed = 460", "items_destroyed = -460");
        let errors = load(&text, FileId(0)).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:#?}");
    }
}
