//! The data model (load stage): an edition's TOML file is deserialised into
//! spanned raw structs, then checked into an [`Edition`] that layout can
//! trust. Every problem found by the check is reported at once.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, FileId, Span};
use crate::markup::{self, Inline, Paragraph};
use crate::printed::Printed;

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
    /// The last year the results tables cover (default: the year before).
    pub results_year: u16,
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
    /// The results tables printed, computed from the history: the results
    /// year's table, then the overall table (also the key figures).
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
    /// Every text value the factsheet prints, as written, with its place:
    /// checked against the fonts before layout.
    pub printed: Vec<Printed>,
}

/// Facts that stay the same across a programme's editions.
#[derive(Debug, Clone)]
pub struct Programme {
    /// Stable id for file names ("kosovo"); default: the country in lower case.
    pub id: String,
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
    /// Where its label is written.
    pub span: Span,
}

/// One period of the results history, as written.
#[derive(Debug, Clone)]
pub struct Period {
    /// First year covered.
    pub first: u16,
    /// Last year covered.
    pub last: u16,
    /// Values in indicator order.
    pub values: Vec<u64>,
    /// Where each value is written.
    pub spans: Vec<Span>,
    /// Where the whole entry is.
    pub span: Span,
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

/// One TOML file as written: an edition file, or the `programme.toml` its
/// edition files share. Every table is optional here; [`Merged`] decides.
/// Read table by table by [`parse_raw`], so that a mistake in one table
/// does not hide the mistakes in the others.
#[derive(Debug, Default)]
struct RawEdition {
    template: Option<Spanned<String>>,
    programme: Option<Spanned<RawProgramme>>,
    edition: Option<Spanned<RawEditionInfo>>,
    indicators: Option<Vec<Spanned<RawIndicator>>>,
    results: Vec<Spanned<RawResults>>,
    sections: Option<Vec<Spanned<RawSection>>>,
    donors: Option<Spanned<RawDonors>>,
    links: Option<Vec<Spanned<RawLink>>>,
    contacts: Option<Vec<Spanned<RawContact>>>,
    places: Option<BTreeMap<String, Spanned<RawPlace>>>,
}

/// Printed text: one string for every language, or one per language
/// (`{ en = "Tasks completed", sq = "Detyra të kryera" }`).
#[derive(Debug)]
enum RawText {
    Plain(String),
    /// Texts by language tag; each key keeps where it is written.
    Languages(BTreeMap<String, (std::ops::Range<usize>, Spanned<String>)>),
}

/// By hand rather than `untagged`, which would lose the spans of the
/// per-language strings (and of their keys) that diagnostics point at.
impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawTextVisitor)
    }
}

struct RawTextVisitor;

impl<'de> serde::de::Visitor<'de> for RawTextVisitor {
    type Value = RawText;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text, or a table of texts by language (en = \"…\", sq = \"…\")")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawText, E> {
        Ok(RawText::Plain(text.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawText, A::Error> {
        let mut texts = BTreeMap::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let text = map.next_value::<Spanned<String>>()?;
            let span = key.span();
            texts.insert(key.into_inner(), (span, text));
        }
        Ok(RawText::Languages(texts))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    id: Option<Spanned<String>>,
    country: Spanned<RawText>,
    organisation: Spanned<RawText>,
    website: Option<Spanned<RawWebsite>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebsite {
    text: Spanned<RawText>,
    url: Spanned<String>,
}

/// A place name in its Albanian and Serbian (Latin) forms.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    sq: Spanned<String>,
    sr: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEditionInfo {
    year: Spanned<i64>,
    language: Spanned<String>,
    data_as_of: Spanned<toml::value::Datetime>,
    results_year: Option<Spanned<i64>>,
    place_names: Option<Spanned<String>>,
    #[serde(default)]
    overflow: Overflow,
    #[serde(default)]
    profile: ProfileName,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    label: Spanned<RawText>,
    unit: Unit,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResults {
    year: Option<Spanned<i64>>,
    first: Option<Spanned<i64>>,
    last: Option<Spanned<i64>>,
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
    heading: Spanned<String>,
    text: Spanned<String>,
    names: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    label: Spanned<RawText>,
    text: Spanned<RawText>,
    url: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Spanned<String>,
    role: Spanned<RawText>,
    email: Spanned<String>,
}

/// A value and the file it was read from.
type Part<T> = (FileId, T);

/// Tags values with the file they came from.
fn tag<T>(file: FileId) -> impl Fn(T) -> Part<T> {
    move |value| (file, value)
}

/// An edition merged over its programme: each table comes from the edition
/// file when it has it, else from `programme.toml`; results are the union.
struct Merged {
    template: Option<Part<Spanned<String>>>,
    programme: Option<Part<Spanned<RawProgramme>>>,
    edition: Option<Part<Spanned<RawEditionInfo>>>,
    indicators: Option<Part<Vec<Spanned<RawIndicator>>>>,
    results: Vec<Part<Spanned<RawResults>>>,
    sections: Option<Part<Vec<Spanned<RawSection>>>>,
    donors: Option<Part<Spanned<RawDonors>>>,
    links: Option<Part<Vec<Spanned<RawLink>>>>,
    contacts: Option<Part<Vec<Spanned<RawContact>>>>,
    places: Option<Part<BTreeMap<String, Spanned<RawPlace>>>>,
}

impl Merged {
    fn new(edition: RawEdition, file: FileId, programme: Option<(RawEdition, FileId)>) -> Merged {
        let mut merged = Merged {
            template: edition.template.map(tag(file)),
            programme: edition.programme.map(tag(file)),
            edition: edition.edition.map(tag(file)),
            indicators: edition.indicators.map(tag(file)),
            results: edition.results.into_iter().map(tag(file)).collect(),
            sections: edition.sections.map(tag(file)),
            donors: edition.donors.map(tag(file)),
            links: edition.links.map(tag(file)),
            contacts: edition.contacts.map(tag(file)),
            places: edition.places.map(tag(file)),
        };
        let Some((base, base_file)) = programme else {
            return merged;
        };
        let t = base_file;
        merged.template = merged.template.or(base.template.map(tag(t)));
        merged.programme = merged.programme.or(base.programme.map(tag(t)));
        merged.edition = merged.edition.or(base.edition.map(tag(t)));
        merged.indicators = merged.indicators.or(base.indicators.map(tag(t)));
        merged.sections = merged.sections.or(base.sections.map(tag(t)));
        merged.donors = merged.donors.or(base.donors.map(tag(t)));
        merged.links = merged.links.or(base.links.map(tag(t)));
        merged.contacts = merged.contacts.or(base.contacts.map(tag(t)));
        merged.places = merged.places.or(base.places.map(tag(t)));
        let mut results: Vec<_> = base.results.into_iter().map(tag(t)).collect();
        results.append(&mut merged.results);
        merged.results = results;
        merged
    }
}

// ---------------------------------------------------------------- loading

/// Top-level keys of an edition or programme file.
const TOP_LEVEL_KEYS: [&str; 10] = [
    "template",
    "programme",
    "edition",
    "indicators",
    "results",
    "sections",
    "donors",
    "links",
    "contacts",
    "places",
];

/// Parses a file table by table (and list entry by list entry), reporting
/// every syntax error, and every type error in a different table, at once.
fn parse_raw(text: &str, file: FileId) -> Result<RawEdition, Vec<Diagnostic>> {
    let (document, syntax) = toml::de::DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax.iter().map(|e| toml_error(e, file)).collect());
    }
    let mut raw = RawEdition::default();
    let mut errors = Vec::new();
    for (key, value) in document.into_inner() {
        let mut read = Reader {
            file,
            errors: &mut errors,
        };
        match key.get_ref().as_ref() {
            "template" => raw.template = read.one(value),
            "programme" => raw.programme = read.one(value),
            "edition" => raw.edition = read.one(value),
            "indicators" => raw.indicators = read.list(value),
            "results" => raw.results = read.list(value).unwrap_or_default(),
            "sections" => raw.sections = read.list(value),
            "donors" => raw.donors = read.one(value),
            "links" => raw.links = read.list(value),
            "contacts" => raw.contacts = read.list(value),
            "places" => raw.places = read.one(value),
            other => {
                let best = TOP_LEVEL_KEYS
                    .iter()
                    .min_by_key(|k| edit_distance(other, k))
                    .filter(|k| edit_distance(other, k) <= k.len().max(3) / 2);
                let hint = match best {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("known keys here: {}", TOP_LEVEL_KEYS.join(", ")),
                };
                errors.push(
                    Diagnostic::error(
                        Some(Span::new(file, key.span())),
                        format!("unknown key `{other}`"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}

/// Deserialises spanned TOML values, collecting the errors.
struct Reader<'e> {
    file: FileId,
    errors: &'e mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Reads one value. When a table holds a mistake, the field it is in is
    /// taken out and the table read again, so that every wrong field of one
    /// table is reported in one run, not one per run.
    fn one<T: serde::de::DeserializeOwned>(
        &mut self,
        value: Spanned<toml::de::DeValue<'_>>,
    ) -> Option<T> {
        let span = value.span();
        let mut value = value.into_inner();
        let mut taken_out: Vec<String> = Vec::new();
        loop {
            let whole = Spanned::new(span.clone(), value.clone());
            let error = match T::deserialize(toml::de::ValueDeserializer::from(whole)) {
                Ok(read) => return taken_out.is_empty().then_some(read),
                Err(error) => error,
            };
            // A field taken out to look past an earlier mistake, or the one
            // a misspelt key meant, is not missing: it was reported already.
            let message = error.message();
            if taken_out
                .iter()
                .any(|key| message.contains(&format!("missing field `{key}`")))
            {
                return None;
            }
            taken_out.extend(meant_key(message));
            let mut diag = toml_error(&error, self.file);
            diag.span = diag.span.or(Some(Span::new(self.file, span.clone())));
            self.errors.push(diag);
            let key = error.span().and_then(|at| field_at(&value, at.start))?;
            if let toml::de::DeValue::Table(table) = &mut value {
                table.remove(key.as_str());
            }
            taken_out.push(key);
        }
    }

    /// A list whose entries are read one by one.
    fn list<T: serde::de::DeserializeOwned>(
        &mut self,
        value: Spanned<toml::de::DeValue<'_>>,
    ) -> Option<Vec<T>> {
        let span = value.span();
        match value.into_inner() {
            toml::de::DeValue::Array(items) => {
                let read: Vec<Option<T>> = items.into_iter().map(|item| self.one(item)).collect();
                read.into_iter().collect()
            }
            other => self.one(Spanned::new(span, other)),
        }
    }
}

/// The key of the field of table `value` that byte `offset` lies in.
fn field_at(value: &toml::de::DeValue<'_>, offset: usize) -> Option<String> {
    let toml::de::DeValue::Table(table) = value else {
        return None;
    };
    table
        .iter()
        .find(|(key, item)| {
            (key.span().start..item.span().end.max(key.span().end)).contains(&offset)
        })
        .map(|(key, _)| key.get_ref().to_string())
}

/// Turns a TOML error into a diagnostic at its span.
pub fn toml_error(error: &toml::de::Error, file: FileId) -> Diagnostic {
    let span = error.span().map(|range| Span::new(file, range));
    let message = error.message().trim().trim_end_matches('.').to_string();
    let words = plain_words(&lower_first(&message));
    let hint = suggest_key(&message).unwrap_or_else(|| toml_hint(&message, &words));
    Diagnostic::error(span, words).with_hint(hint)
}

/// One action that mends a TOML mistake, from its message.
fn toml_hint(message: &str, words: &str) -> String {
    if message.contains("TOML datetime") {
        return "write a date without quotes: data_as_of = 2023-12-31".into();
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let choices = rest.split_once("expected ").map_or("", |(_, c)| c);
        return format!("write one of {choices}");
    }
    if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or(field);
        return format!("add `{field} = …` to this table");
    }
    let hint = if words.starts_with("expected a whole number, found text")
        || words.starts_with("expected a number, found text")
    {
        "write the number without quotes"
    } else if words.starts_with("expected a whole number, found a decimal") {
        "write a whole number, without a decimal point"
    } else if words.contains("too large") {
        "check the number: it is far larger than any count or area"
    } else if words.starts_with("expected text") {
        "put the text in double quotes: key = \"text\""
    } else if message.contains("duplicate key") {
        "each key may appear once per table: remove or rename one of them"
    } else if words.starts_with("expected") {
        "compare with data/kosovo/2024.toml, which writes every field"
    } else {
        "check the TOML on this line: quotes and brackets closed, one `key = value` per line"
    };
    hint.into()
}

/// serde's type names in words a programme officer reads.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 12] = [
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected text in quotes"),
        ("expected a sequence", "expected a list [ … ]"),
        ("expected a boolean", "expected true or false"),
        ("expected a map", "expected a table { … }"),
        ("invalid type: string", "invalid type: text"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a table"),
        (
            "invalid type: floating point",
            "invalid type: a decimal number",
        ),
    ];
    if message.contains(" as i128") || message.contains(" as u128") {
        return "the number is too large (at most 9,223,372,036,854,775,807)".into();
    }
    let mut out = message.to_string();
    for (from, to) in WORDS {
        out = out.replace(from, to);
    }
    if let Some(rest) = out.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {expected}, found {found}");
    }
    out
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
    let (_, expected) = unknown_field(message)?;
    match meant_key(message) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("known keys here: {}", expected.join(", "))),
    }
}

/// The unknown key and the keys serde expected instead.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let unknown = message.strip_prefix("unknown field `")?.split('`').next()?;
    let expected: Vec<&str> = message
        .split("expected")
        .nth(1)?
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    Some((unknown, expected))
}

/// The known key an unknown one is a typo of, if one is near enough.
fn meant_key(message: &str) -> Option<String> {
    let (unknown, expected) = unknown_field(message)?;
    let best = expected
        .iter()
        .min_by_key(|key| edit_distance(unknown, key))?;
    (edit_distance(unknown, best) <= best.len().max(3) / 2).then(|| best.to_string())
}

/// The candidate a typo most likely meant: same letters in another case,
/// else the nearest by edit distance, if near enough.
pub fn nearest<'c>(word: &str, candidates: &'c [String]) -> Option<&'c str> {
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    candidates
        .iter()
        .min_by_key(|c| edit_distance(word, c))
        .filter(|c| edit_distance(word, c) <= c.len().max(3) / 2)
        .map(String::as_str)
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

/// Parses and checks a self-contained edition file.
pub fn load(text: &str, file: FileId) -> Result<Edition, Vec<Diagnostic>> {
    load_with_programme(text, file, None)
}

/// Parses and checks an edition file merged over its programme file (the
/// `programme.toml` beside it, when there is one).
pub fn load_with_programme(
    text: &str,
    file: FileId,
    programme: Option<(&str, FileId)>,
) -> Result<Edition, Vec<Diagnostic>> {
    load_checked(text, file, programme, &[])
}

/// As [`load_with_programme`], and refuses per-language texts whose tag is
/// not one of `languages` (the labels files there are; empty: any tag).
pub fn load_checked(
    text: &str,
    file: FileId,
    programme: Option<(&str, FileId)>,
    languages: &[String],
) -> Result<Edition, Vec<Diagnostic>> {
    let raw = parse_raw(text, file);
    let base = programme.map(|(text, base_file)| (parse_raw(text, base_file), base_file));
    let mut errors = Vec::new();
    let raw = raw.map_err(|e| errors.extend(e)).ok();
    let base = match base {
        Some((Ok(base), base_file)) => Some((base, base_file)),
        Some((Err(e), _)) => {
            errors.extend(e);
            None
        }
        None => None,
    };
    let (Some(raw), true) = (raw, errors.is_empty()) else {
        return Err(errors);
    };
    let labels = languages.to_vec();
    // A text for `sr` serves `sr-Latn` and `sr-Cyrl` editions.
    let mut languages = languages.to_vec();
    languages.extend(
        languages
            .iter()
            .filter_map(|l| l.split_once('-').map(|(base, _)| base.to_string()))
            .collect::<Vec<_>>(),
    );
    languages.sort();
    languages.dedup();
    let mut texts = vec![(file, text.to_string())];
    texts.extend(programme.map(|(text, id)| (id, text.to_string())));
    Checker {
        file,
        edition_file: file,
        language: String::new(),
        languages,
        labels,
        places: BTreeMap::new(),
        texts,
        printed: Vec::new(),
        errors: Vec::new(),
    }
    .run(Merged::new(raw, file, base))
}

struct Checker {
    /// The file the part being checked came from.
    file: FileId,
    /// The edition file itself.
    edition_file: FileId,
    /// The edition's language: picks texts given per language.
    language: String,
    /// Language tags texts may be given in (empty: any).
    languages: Vec<String>,
    /// Language tags there are labels files for (empty: not known).
    labels: Vec<String>,
    /// Place names as this edition prints them, by key.
    places: BTreeMap<String, String>,
    /// The text of each file, to find printed characters in.
    texts: Vec<(FileId, String)>,
    /// Every printed value checked so far.
    printed: Vec<Printed>,
    errors: Vec<Diagnostic>,
}

impl Checker {
    fn run(mut self, m: Merged) -> Result<Edition, Vec<Diagnostic>> {
        let template = match m.template {
            Some((file, t)) => {
                self.file = file;
                let span = self.span(t.span());
                (t.into_inner(), Some(span))
            }
            None => (DEFAULT_TEMPLATE.to_string(), None),
        };
        let (Some((programme_file, programme)), Some((info_file, info))) = (m.programme, m.edition)
        else {
            return Err(self.missing_tables());
        };
        self.file = info_file;
        let info = info.into_inner();
        self.language = info.language.get_ref().clone();
        self.language_tag(&info.language);
        let place_mode = self.place_mode(info.place_names.as_ref());
        if let Some((file, places)) = m.places {
            self.file = file;
            self.places = places_for(&places, place_mode, &self.language);
            for place in places.values() {
                let place = place.get_ref();
                self.print(&place.sq);
                self.print(&place.sr);
            }
        }
        self.file = programme_file;
        let programme = self.programme(programme.into_inner());
        self.file = info_file;
        let year = self.year(&info.year, "edition year");
        let results_year = match &info.results_year {
            Some(y) => self.year(y, "results year"),
            None => year.saturating_sub(1),
        };
        let data_as_of = self.date(&info.data_as_of);
        let language = (
            info.language.get_ref().clone(),
            self.span(info.language.span()),
        );
        let indicators = match m.indicators {
            Some((file, list)) => {
                self.file = file;
                self.indicators(list)
            }
            None => Vec::new(),
        };
        let mut periods = Vec::new();
        for (file, raw) in m.results {
            self.file = file;
            periods.extend(self.period(raw, &indicators));
        }
        let results = if self.errors.is_empty() {
            self.file = info_file;
            // Errors about the tables point at `results_year` when it is written.
            let anchor = self.span(
                info.results_year
                    .as_ref()
                    .map_or(info.year.span(), Spanned::span),
            );
            match crate::history::tables(&periods, results_year, &indicators, &anchor) {
                Ok(tables) => tables,
                Err(errors) => {
                    self.errors.extend(errors);
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let sections = match m.sections {
            Some((file, list)) => {
                self.file = file;
                list.into_iter().filter_map(|s| self.section(s)).collect()
            }
            None => Vec::new(),
        };
        let donors = m.donors.and_then(|(file, d)| {
            self.file = file;
            self.donors(d)
        });
        let links = match m.links {
            Some((file, list)) => {
                self.file = file;
                list.into_iter().filter_map(|l| self.link(l)).collect()
            }
            None => Vec::new(),
        };
        let contacts = match m.contacts {
            Some((file, list)) => {
                self.file = file;
                list.into_iter().filter_map(|c| self.contact(c)).collect()
            }
            None => Vec::new(),
        };
        let edition = Edition {
            template,
            programme,
            year,
            results_year,
            language,
            data_as_of,
            overflow: info.overflow,
            profile: info.profile,
            indicators,
            results,
            sections,
            donors,
            links,
            contacts,
            file: self.edition_file,
            printed: std::mem::take(&mut self.printed),
        };
        if self.errors.is_empty() {
            Ok(edition)
        } else {
            Err(self.errors)
        }
    }

    fn missing_tables(&self) -> Vec<Diagnostic> {
        let whole = Some(Span::new(self.edition_file, 0..0));
        vec![
            Diagnostic::error(
                whole,
                "the edition has no [programme] or no [edition] table",
            )
            .with_hint("an edition file holds [edition] (year, language, data_as_of)")
            .with_hint(
                "[programme] (country, organisation) is in the file or in programme.toml beside it",
            ),
        ]
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    /// Where `value` (read from the current file) stands, character by character.
    fn located(&self, value: &Spanned<String>) -> Printed {
        let span = self.span(value.span());
        match self.texts.iter().find(|(id, _)| *id == self.file) {
            Some((_, text)) => Printed::new(value.get_ref(), span, text),
            None => Printed::whole(value.get_ref(), span),
        }
    }

    /// Keeps a printed value for the check against the fonts.
    fn print(&mut self, value: &Spanned<String>) {
        let printed = self.located(value);
        self.printed.push(printed);
    }

    fn error(&mut self, range: std::ops::Range<usize>, message: String, hint: &str) {
        let span = self.span(range);
        self.errors
            .push(Diagnostic::error(Some(span), message).with_hint(hint));
    }

    /// Control characters (a NUL, an escape) are never text: refuse them,
    /// naming the code point rather than printing the character itself.
    fn refuse_controls(&mut self, value: &Spanned<String>) {
        let Some(c) = value
            .get_ref()
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        else {
            return;
        };
        self.error(
            value.span(),
            format!(
                "text contains an invisible control character (U+{:04X})",
                u32::from(c)
            ),
            "delete it; it often comes from copying out of another program",
        );
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> String {
        self.refuse_controls(value);
        self.print(value);
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
        let country = self.text(&raw.country, "country");
        let organisation = self.text(&raw.organisation, "organisation");
        let website = raw.website.map(|w| {
            let span = self.span(w.span());
            let w = w.into_inner();
            self.url(&w.url);
            LinkItem {
                label: String::new(),
                text: self.text(&w.text, "website text"),
                url: w.url.into_inner(),
                span,
            }
        });
        let id = match &raw.id {
            Some(id) => id.get_ref().trim().to_string(),
            None => slug(&default_text(raw.country.get_ref())),
        };
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            let span = raw.id.as_ref().map_or(raw.country.span(), Spanned::span);
            self.error(
                span,
                format!("programme id \"{id}\" is not usable in a file name"),
                "write it in lower-case letters, digits and '-', e.g. id = \"kosovo\"",
            );
        }
        Programme {
            id,
            country: smarten(&country),
            organisation: smarten(&organisation),
            website,
        }
    }

    /// The edition's text of a field given once or per language.
    fn text(&mut self, raw: &Spanned<RawText>, what: &str) -> String {
        let text = match raw.get_ref() {
            RawText::Plain(text) => Some(Spanned::new(raw.span(), text.clone())),
            RawText::Languages(by_language) => {
                self.language_tags(by_language);
                pick_language(by_language, &self.language)
            }
        };
        let Some(text) = text else {
            let language = self.language.clone();
            self.error(
                raw.span(),
                format!("{what} has no `{language}` text"),
                &format!("add `{language} = \"…\"` to it"),
            );
            return default_text(raw.get_ref());
        };
        if text.get_ref().trim().is_empty() {
            self.error(
                text.span(),
                format!("{what} is empty"),
                "write the text between the quotes",
            );
        }
        self.refuse_controls(&text);
        self.print(&text);
        text.get_ref().trim().to_string()
    }

    /// Refuses a `language` that is not a tag (`../en`): it names a labels
    /// file, so anything else would be read as a path.
    fn language_tag(&mut self, value: &Spanned<String>) {
        let tag = value.get_ref();
        let is_tag = tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if is_tag {
            return;
        }
        let mut diag = Diagnostic::error(
            Some(self.span(value.span())),
            format!("language \"{tag}\" is not a language tag"),
        )
        .with_hint("write a language tag such as en, sq or sr-Latn");
        if !self.labels.is_empty() {
            diag = diag.with_hint(format!(
                "languages with labels in assets/labels/: {}",
                self.labels.join(", ")
            ));
        }
        self.errors.push(diag);
    }

    /// Refuses a per-language text whose tag has no labels file (a typo such
    /// as `sr-latn` would otherwise never be printed), suggesting the nearest.
    fn language_tags(
        &mut self,
        by_language: &BTreeMap<String, (std::ops::Range<usize>, Spanned<String>)>,
    ) {
        if self.languages.is_empty() {
            return;
        }
        for (tag, (span, _)) in by_language {
            if self.languages.contains(tag) {
                continue;
            }
            let hint = match nearest(tag, &self.languages) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "languages with labels in assets/labels/: {}",
                    self.languages.join(", ")
                ),
            };
            self.error(
                span.clone(),
                format!("`{tag}` is not a known language"),
                &hint,
            );
        }
    }

    /// How place names print: "sq", "sr", "sq/sr" or "sr/sq".
    fn place_mode(&mut self, raw: Option<&Spanned<String>>) -> PlaceMode {
        let Some(raw) = raw else {
            return PlaceMode::default_for(&self.language);
        };
        match raw.get_ref().as_str() {
            "sq" => PlaceMode::Albanian,
            "sr" => PlaceMode::Serbian,
            "sq/sr" => PlaceMode::AlbanianSerbian,
            "sr/sq" => PlaceMode::SerbianAlbanian,
            other => {
                self.error(
                    raw.span(),
                    format!("`place_names = \"{other}\"` is not a choice"),
                    "write \"sq\", \"sr\", \"sq/sr\" or \"sr/sq\"",
                );
                PlaceMode::default_for(&self.language)
            }
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
            let label = self.text(&item.label, "indicator label");
            out.push(Indicator {
                key,
                label: smarten(&label),
                unit: item.unit,
                span: self.span(item.label.span()),
            });
        }
        out
    }

    /// Checks one period of the results history.
    fn period(&mut self, raw: Spanned<RawResults>, indicators: &[Indicator]) -> Option<Period> {
        let span = self.span(raw.span());
        let raw = raw.into_inner();
        let (first, last) = match (&raw.year, &raw.first, &raw.last) {
            (Some(year), None, None) => {
                let y = self.year(year, "year");
                (y, y)
            }
            (None, Some(first), Some(last)) => {
                let (f, l) = (self.year(first, "first year"), self.year(last, "last year"));
                if f > l {
                    self.error(
                        first.span(),
                        format!("period {f}–{l} runs backwards"),
                        "`first` is the earlier year",
                    );
                }
                (f, l)
            }
            _ => {
                self.error(
                    raw.values.span(),
                    "a results entry needs `year`, or `first` and `last`".into(),
                    "write `year = 2023` for one year, `first = 2017` and `last = 2022` for a period",
                );
                return None;
            }
        };
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
        let mut spans = Vec::new();
        for indicator in indicators {
            match map.get(&indicator.key) {
                Some(v) if *v.get_ref() >= 0 => {
                    values.push(*v.get_ref() as u64);
                    spans.push(self.span(v.span()));
                }
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
        (values.len() == indicators.len()).then_some(Period {
            first,
            last,
            values,
            spans,
            span,
        })
    }

    fn paragraphs(&mut self, body: &Spanned<String>) -> Vec<Paragraph> {
        self.refuse_controls(body);
        let located = self.located(body);
        let parsed = markup::parse_printed(&located);
        match parsed {
            Ok(mut paragraphs) if !paragraphs.is_empty() => {
                for paragraph in &mut paragraphs {
                    for run in &mut paragraph.runs {
                        run.text = self.fill_places(&run.text, &located);
                    }
                }
                self.printed.push(located);
                paragraphs
            }
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
        match raw.text.get_ref().matches("{donors}").count() {
            0 => self.error(
                raw.text.span(),
                "donor text has no `{donors}` placeholder".into(),
                "put {donors} where the names belong",
            ),
            1 => {}
            _ => self.error(
                raw.text.span(),
                "donor text has `{donors}` more than once".into(),
                "name the donors once; the list is joined for you",
            ),
        }
        self.print(&raw.heading);
        for name in raw.names.get_ref() {
            self.print(name);
            if name.get_ref().trim().is_empty() {
                self.error(
                    name.span(),
                    "donor name is empty".into(),
                    "write the donor's name, or remove the empty entry",
                );
            }
            self.refuse_controls(name);
        }
        let mut paragraphs = self.paragraphs(&raw.text);
        for paragraph in &mut paragraphs {
            paragraph.runs = isolate_placeholder(&paragraph.runs);
        }
        let names = raw
            .names
            .get_ref()
            .iter()
            .map(|n| smarten(n.get_ref().trim()))
            .collect();
        Some(Donors {
            section: Section {
                heading: raw.heading.into_inner(),
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
        let text = self.text(&raw.text, "link text");
        let label = self.text(&raw.label, "link label");
        Some(LinkItem {
            label: smarten(&label),
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
        let role = self.text(&raw.role, "contact role");
        Some(Contact {
            name: smarten(&name),
            role: smarten(&role),
            email: raw.email.into_inner(),
            span,
        })
    }
}

impl Checker {
    /// Replaces `{place}` with the place's name; `{donors}` is left for layout.
    /// An unknown place is reported where it is written in `value`, the
    /// string the run came from.
    fn fill_places(&mut self, text: &str, value: &Printed) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let key = &after[..close];
            match self.places.get(key) {
                Some(name) => out.push_str(name),
                None if key == "donors" => out.push_str(DONORS_PLACEHOLDER),
                None => {
                    let known: Vec<&str> = self.places.keys().map(String::as_str).collect();
                    let hint = if known.is_empty() {
                        "define place names under [places] in programme.toml".to_string()
                    } else {
                        format!("known places: {}", known.join(", "))
                    };
                    let keys: Vec<String> = self.places.keys().cloned().collect();
                    let mut diag = Diagnostic::error(
                        Some(place_span(value, key)),
                        format!("`{{{key}}}` is not a place"),
                    );
                    if let Some(best) = nearest(key, &keys) {
                        diag = diag.with_hint(format!("did you mean `{{{best}}}`?"));
                    }
                    self.errors.push(diag.with_hint(hint));
                    out.push_str(key);
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Where `{key}` is first written in `value` (the whole value if not found).
fn place_span(value: &Printed, key: &str) -> Span {
    let written = format!("{{{key}}}");
    match value.text.find(&written) {
        Some(at) => value.span_of(at..at + written.len()),
        None => value.span.clone(),
    }
}

/// Which form of a place name an edition prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceMode {
    Albanian,
    Serbian,
    AlbanianSerbian,
    SerbianAlbanian,
}

impl PlaceMode {
    /// Albanian editions use the Albanian forms, Serbian ones the Serbian
    /// forms; English follows the seed document (Serbian forms).
    fn default_for(language: &str) -> PlaceMode {
        if language == "sq" || language.starts_with("sq-") {
            PlaceMode::Albanian
        } else {
            PlaceMode::Serbian
        }
    }
}

/// Place names as an edition in `language` prints them.
fn places_for(
    places: &BTreeMap<String, Spanned<RawPlace>>,
    mode: PlaceMode,
    language: &str,
) -> BTreeMap<String, String> {
    let cyrillic = language.ends_with("-Cyrl");
    places
        .iter()
        .map(|(key, place)| {
            let place = place.get_ref();
            let (sq, sr) = (place.sq.get_ref(), place.sr.get_ref());
            let sr = if cyrillic {
                latin_to_cyrillic(sr)
            } else {
                sr.clone()
            };
            let name = match mode {
                PlaceMode::Albanian => sq.clone(),
                PlaceMode::Serbian => sr,
                PlaceMode::AlbanianSerbian => format!("{sq}/{sr}"),
                PlaceMode::SerbianAlbanian => format!("{sr}/{sq}"),
            };
            (key.clone(), name)
        })
        .collect()
}

/// The text for `language`: exact tag, then its base language ("sr" for "sr-Latn").
fn pick_language(
    by_language: &BTreeMap<String, (std::ops::Range<usize>, Spanned<String>)>,
    language: &str,
) -> Option<Spanned<String>> {
    let base = language.split('-').next().unwrap_or(language);
    by_language
        .get(language)
        .or_else(|| by_language.get(base))
        .map(|(_, text)| text.clone())
}

/// The English text, or the first one: for ids and error recovery.
fn default_text(raw: &RawText) -> String {
    match raw {
        RawText::Plain(text) => text.clone(),
        RawText::Languages(by_language) => by_language
            .get("en")
            .or_else(|| by_language.values().next())
            .map(|(_, text)| text.get_ref().clone())
            .unwrap_or_default(),
    }
}

/// Lower-case letters and digits, words joined by `-`.
fn slug(text: &str) -> String {
    let mapped: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    mapped
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Serbian Latin to Cyrillic: the two scripts map letter for letter (lj,
/// nj and dž are single letters), so place names are stored once.
pub fn latin_to_cyrillic(text: &str) -> String {
    const DIGRAPHS: [(&str, char); 9] = [
        ("Lj", 'Љ'),
        ("LJ", 'Љ'),
        ("lj", 'љ'),
        ("Nj", 'Њ'),
        ("NJ", 'Њ'),
        ("nj", 'њ'),
        ("Dž", 'Џ'),
        ("DŽ", 'Џ'),
        ("dž", 'џ'),
    ];
    const LETTERS: [(char, char); 27] = [
        ('a', 'а'),
        ('b', 'б'),
        ('c', 'ц'),
        ('č', 'ч'),
        ('ć', 'ћ'),
        ('d', 'д'),
        ('đ', 'ђ'),
        ('e', 'е'),
        ('f', 'ф'),
        ('g', 'г'),
        ('h', 'х'),
        ('i', 'и'),
        ('j', 'ј'),
        ('k', 'к'),
        ('l', 'л'),
        ('m', 'м'),
        ('n', 'н'),
        ('o', 'о'),
        ('p', 'п'),
        ('r', 'р'),
        ('s', 'с'),
        ('š', 'ш'),
        ('t', 'т'),
        ('u', 'у'),
        ('v', 'в'),
        ('z', 'з'),
        ('ž', 'ж'),
    ];
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    'letters: while let Some(c) = rest.chars().next() {
        for (latin, cyrillic) in DIGRAPHS {
            if let Some(tail) = rest.strip_prefix(latin) {
                out.push(cyrillic);
                rest = tail;
                continue 'letters;
            }
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        match LETTERS.iter().find(|(latin, _)| *latin == lower) {
            Some((_, cyrillic)) if c.is_uppercase() => out.extend(cyrillic.to_uppercase()),
            Some((_, cyrillic)) => out.push(*cyrillic),
            None => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
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

    /// The programme and edition files together form a self-contained edition.
    const KOSOVO: &str = concat!(
        include_str!("../data/kosovo/programme.toml"),
        "\n",
        include_str!("../data/kosovo/2024.toml")
    );

    #[test]
    fn an_edition_reads_on_top_of_its_programme() {
        let edition = load_with_programme(
            include_str!("../data/kosovo/2024.toml"),
            FileId(1),
            Some((include_str!("../data/kosovo/programme.toml"), FileId(0))),
        )
        .unwrap();
        assert_eq!(edition.programme.country, "Kosovo");
        assert_eq!(edition.results_year, 2023);
        assert_eq!(edition.results[0].values, vec![1_192_676, 460, 852, 2]);
        assert_eq!(edition.links[0].span.file, FileId(0));
        assert_eq!(edition.sections[0].span.file, FileId(1));
    }

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
    fn mistakes_in_different_tables_are_reported_together() {
        let text = KOSOVO
            .replace("year = 2024 ", "year = \"2024\" ")
            .replace("country = {", "contry = {")
            .replace("unit = \"count\"", "unit = 5");
        let errors = load(&text, FileId(0)).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("expected a whole number, found text")),
            "{messages:#?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unknown field `contry`")),
            "{messages:#?}"
        );
        assert!(errors.len() >= 3, "{messages:#?}");
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let text = KOSOVO
            .replacen("country = {", "country = {{", 1)
            .replace("year = 2024 ", "year = 2024 2025 ");
        let errors = load(&text, FileId(0)).unwrap_err();
        assert!(errors.len() >= 2, "{errors:#?}");
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

    #[test]
    fn every_wrong_field_of_one_table_is_reported() {
        let text = KOSOVO
            .replace("year = 2024 ", "year = \"2024\" ")
            .replace("results_year = 2023", "results_year = 20.23")
            .replace("language = \"en\"", "langage = \"en\"");
        let errors = load(&text, FileId(0)).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 3, "{messages:#?}");
        assert!(errors.iter().all(|e| !e.hints.is_empty()), "{errors:#?}");
        // The misspelt `langage` is not also reported as a missing `language`.
        assert!(
            !messages.iter().any(|m| m.contains("missing field")),
            "{messages:#?}"
        );
    }

    #[test]
    fn a_text_in_an_unknown_language_suggests_the_nearest() {
        let languages = ["en", "sq", "sr-Cyrl", "sr-Latn"].map(String::from);
        let text = KOSOVO.replacen("country = { ", "country = { sr-latn = \"Kosovo\", ", 1);
        let errors = load_checked(&text, FileId(0), None, &languages).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].message, "`sr-latn` is not a known language");
        assert_eq!(errors[0].hints, ["did you mean `sr-Latn`?"]);
        // `sr` serves both Serbian scripts, and with no list any tag goes.
        let text = KOSOVO.replacen("country = { ", "country = { sr = \"Kosovo\", ", 1);
        assert!(load_checked(&text, FileId(0), None, &languages).is_ok());
        let text = KOSOVO.replacen("country = { ", "country = { xx = \"Kosovo\", ", 1);
        assert!(load(&text, FileId(0)).is_ok());
    }
}
