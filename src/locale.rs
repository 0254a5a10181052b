//! Per-language data (load stage): labels, number and date formats, list
//! joining, read from `assets/labels/{lang}.toml`. Layout asks this module
//! for every word the template itself prints, so no language lives in code.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, FileId, Span};

/// Number formatting for one language (CLDR symbols).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    /// Thousands separator ("," in English, U+00A0 in Albanian).
    pub group: String,
    /// Decimal separator.
    pub decimal: String,
    /// CLDR minimumGroupingDigits: 2 means 1234 stays ungrouped.
    #[serde(default = "one")]
    pub min_grouping: usize,
}

fn one() -> usize {
    1
}

/// Dates for one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateFormat {
    /// A date on its own: `{d}`, `{month}` and `{y}`.
    pub pattern: String,
    /// A date inside a phrase ("Data as of …"); may use `{month_genitive}`.
    /// Default: `pattern`.
    #[serde(default)]
    pub running: Option<String>,
    /// Twelve month names, January first.
    pub months: Spanned<Vec<String>>,
    /// Twelve genitive month names (Serbian: "децембра"); default: `months`.
    #[serde(default)]
    pub months_genitive: Option<Spanned<Vec<String>>>,
}

/// Labels the template prints, with `{placeholders}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Kicker above the country name: `{year}`.
    pub kicker: String,
    /// Running head on continuation pages: `{country}`, `{year}`.
    pub running_head: String,
    /// Caption of a results table over several years: `{first}`, `{last}`.
    pub results_period: String,
    /// Caption of a results table for one year: `{year}`.
    pub results_year: String,
    /// Side heading above the links.
    pub more_information: String,
    /// Side heading of the contact card.
    pub contact: String,
    /// Footer: `{date}`.
    pub data_as_of: String,
    /// Page number: `{page}`, `{pages}`.
    pub page: String,
    /// Key figure unit for square kilometres.
    pub km2: String,
    /// Table unit for square metres.
    pub m2: String,
    /// List of two: `{a}`, `{b}`.
    pub list_two: String,
    /// Joins all but the last two items of a longer list: `{a}`, `{b}`.
    pub list_middle: String,
    /// Joins the last two items of a longer list: `{a}`, `{b}`.
    pub list_end: String,
}

/// Everything language-specific for one edition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// BCP 47 tag, written to the PDF's /Lang and used for shaping.
    pub language: String,
    /// Hyphenate running text (styles with `hyphenate = true`).
    #[serde(default)]
    pub hyphenate: bool,
    /// Number symbols.
    pub numbers: NumberFormat,
    /// Date pattern and month names.
    pub dates: DateFormat,
    /// Printed labels.
    pub labels: Labels,
}

impl Locale {
    /// Parses a labels file; `file` is its id for diagnostics.
    pub fn parse(text: &str, file: FileId) -> Result<Locale, Vec<Diagnostic>> {
        let locale: Locale = toml::from_str(text).map_err(|e| {
            let mut diag = crate::model::toml_error(&e, file);
            if let Some(key) = diag.message.strip_prefix("missing field `") {
                let key = key.trim_end_matches('`');
                let language = language_of(text);
                diag.message = format!("the `{language}` labels have no `{key}`");
            }
            vec![diag.with_hint(
                "compare with assets/labels/en.toml, which has every key (`factsheet labels` lists what is missing)",
            )]
        })?;
        let lists = std::iter::once(("months", &locale.dates.months)).chain(
            locale
                .dates
                .months_genitive
                .iter()
                .map(|m| ("months_genitive", m)),
        );
        for (name, list) in lists {
            if list.get_ref().len() != 12 {
                let span = Span::new(file, list.span());
                return Err(vec![
                    Diagnostic::error(Some(span), format!("`{name}` needs twelve names"))
                        .with_hint("list January to December, in order"),
                ]);
            }
        }
        Ok(locale)
    }

    /// Formats a whole number: 10292440 → "10,292,440" in English.
    pub fn integer(&self, value: u64) -> String {
        group_digits(&value.to_string(), &self.numbers)
    }

    /// Formats `hundredths / 100` with two decimals: 1029 → "10.29".
    pub fn hundredths(&self, hundredths: u64) -> String {
        let whole = group_digits(&(hundredths / 100).to_string(), &self.numbers);
        format!("{whole}{}{:02}", self.numbers.decimal, hundredths % 100)
    }

    /// A date on its own: 2023-12-31 → "31 December 2023".
    pub fn date(&self, year: u16, month: u8, day: u8) -> String {
        self.format_date(&self.dates.pattern, year, month, day)
    }

    /// A date inside a phrase: Serbian "31. децембра 2023." (genitive).
    pub fn running_date(&self, year: u16, month: u8, day: u8) -> String {
        let pattern = self.dates.running.as_ref().unwrap_or(&self.dates.pattern);
        self.format_date(pattern, year, month, day)
    }

    fn format_date(&self, pattern: &str, year: u16, month: u8, day: u8) -> String {
        // Months are validated to 1..=12 by the model and the lists to twelve names.
        let index = usize::from(month.clamp(1, 12)) - 1;
        let months = self.dates.months.get_ref();
        let genitive = self
            .dates
            .months_genitive
            .as_ref()
            .map_or(months, |g| g.get_ref());
        fill(
            pattern,
            &[
                ("d", &day.to_string()),
                ("month_genitive", &genitive[index]),
                ("month", &months[index]),
                ("y", &year.to_string()),
            ],
        )
        // A date is never split across lines.
        .replace(' ', "\u{a0}")
    }

    /// Joins names as a list: "A, B, and C".
    pub fn list<'a>(&self, items: &[&'a str]) -> Vec<ListPiece<'a>> {
        join_list(items, &self.labels)
    }
}

/// The `language` a labels file declares, for messages ("?" if none).
fn language_of(text: &str) -> String {
    #[derive(Deserialize)]
    struct Head {
        language: Option<String>,
    }
    toml::from_str::<Head>(text)
        .ok()
        .and_then(|h| h.language)
        .unwrap_or_else(|| "?".into())
}

/// Keys (dotted) that `reference` has and `other` lacks: what a translation
/// still needs.
pub fn missing_keys(reference: &toml::Table, other: &toml::Table) -> Vec<String> {
    let mut missing = Vec::new();
    for (key, value) in reference {
        match (value, other.get(key)) {
            (_, None) => missing.push(key.clone()),
            (toml::Value::Table(inner), Some(toml::Value::Table(theirs))) => missing.extend(
                missing_keys(inner, theirs)
                    .into_iter()
                    .map(|k| format!("{key}.{k}")),
            ),
            _ => {}
        }
    }
    missing
}

/// A piece of a joined list: an item or the words between items.
#[derive(Debug, Clone, PartialEq)]
pub enum ListPiece<'a> {
    /// One of the items.
    Item(&'a str),
    /// Connecting text such as ", and ".
    Joiner(String),
}

fn join_list<'a>(items: &[&'a str], labels: &Labels) -> Vec<ListPiece<'a>> {
    let joiner = |pattern: &str| {
        let after_a = pattern.split("{a}").nth(1).unwrap_or("");
        ListPiece::Joiner(after_a.split("{b}").next().unwrap_or("").to_string())
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let pattern = match (items.len(), i == items.len() - 1) {
                (2, _) => &labels.list_two,
                (_, true) => &labels.list_end,
                _ => &labels.list_middle,
            };
            out.push(joiner(pattern));
        }
        out.push(ListPiece::Item(item));
    }
    out
}

fn group_digits(digits: &str, format: &NumberFormat) -> String {
    if digits.len() < 4 + format.min_grouping.saturating_sub(1) {
        return digits.to_string();
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(&format.group);
        }
        out.push(c);
    }
    out
}

/// Replaces `{key}` placeholders.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Locale {
        let text = include_str!("../assets/labels/en.toml");
        Locale::parse(text, FileId(0)).unwrap()
    }

    #[test]
    fn english_numbers_follow_cldr() {
        let en = english();
        assert_eq!(en.integer(10_292_440), "10,292,440");
        assert_eq!(en.integer(1_234), "1,234");
        assert_eq!(en.integer(800), "800");
        assert_eq!(en.hundredths(1029), "10.29");
        assert_eq!(en.hundredths(5), "0.05");
    }

    #[test]
    fn minimum_grouping_two_leaves_four_digits_alone() {
        let sq = NumberFormat {
            group: "\u{a0}".into(),
            decimal: ",".into(),
            min_grouping: 2,
        };
        assert_eq!(group_digits("1234", &sq), "1234");
        assert_eq!(group_digits("12345", &sq), "12\u{a0}345");
        assert_eq!(group_digits("10292440", &sq), "10\u{a0}292\u{a0}440");
    }

    /// Every shipped language.
    const LANGUAGES: [(&str, &str); 4] = [
        ("en", include_str!("../assets/labels/en.toml")),
        ("sq", include_str!("../assets/labels/sq.toml")),
        ("sr-Latn", include_str!("../assets/labels/sr-Latn.toml")),
        ("sr-Cyrl", include_str!("../assets/labels/sr-Cyrl.toml")),
    ];

    #[test]
    fn numbers_and_dates_follow_cldr_in_every_language() {
        // (language, 10292440, 1234, 12345, 10.29, date, date in running text);
        // a space here stands for the no-break space.
        let cases = [
            (
                "en",
                "10,292,440",
                "1,234",
                "12,345",
                "10.29",
                "31 December 2023",
                "31 December 2023",
            ),
            (
                "sq",
                "10 292 440",
                "1234",
                "12 345",
                "10,29",
                "31 dhjetor 2023",
                "31 dhjetor 2023",
            ),
            (
                "sr-Latn",
                "10.292.440",
                "1.234",
                "12.345",
                "10,29",
                "31. decembar 2023.",
                "31. decembra 2023.",
            ),
            (
                "sr-Cyrl",
                "10.292.440",
                "1.234",
                "12.345",
                "10,29",
                "31. децембар 2023.",
                "31. децембра 2023.",
            ),
        ];
        for (language, big, four, five, decimal, date, running) in cases {
            let text = LANGUAGES.iter().find(|(l, _)| *l == language).unwrap().1;
            let locale = Locale::parse(text, FileId(0)).unwrap();
            assert_eq!(locale.language, language);
            let spaced = |s: &str| s.replace(' ', "\u{a0}");
            assert_eq!(locale.integer(10_292_440), spaced(big), "{language}");
            assert_eq!(locale.integer(1_234), four, "{language}");
            assert_eq!(locale.integer(12_345), spaced(five), "{language}");
            assert_eq!(locale.hundredths(1029), decimal, "{language}");
            assert_eq!(locale.date(2023, 12, 31), spaced(date), "{language}");
            assert_eq!(
                locale.running_date(2023, 12, 31),
                spaced(running),
                "{language}"
            );
        }
    }

    #[test]
    fn every_language_has_every_label() {
        let reference: toml::Table = toml::from_str(LANGUAGES[0].1).unwrap();
        for (language, text) in &LANGUAGES[1..] {
            let table: toml::Table = toml::from_str(text).unwrap();
            assert_eq!(
                missing_keys(&reference, &table),
                Vec::<String>::new(),
                "{language}"
            );
        }
    }

    #[test]
    fn a_missing_label_names_the_key_and_the_language() {
        let text = LANGUAGES[1].1.replace("\ncontact = ", "\n# contact = ");
        let errors = Locale::parse(&text, FileId(0)).unwrap_err();
        assert_eq!(errors[0].message, "the `sq` labels have no `contact`");
        let table: toml::Table = toml::from_str(&text).unwrap();
        let reference: toml::Table = toml::from_str(LANGUAGES[0].1).unwrap();
        assert_eq!(missing_keys(&reference, &table), ["labels.contact"]);
    }

    #[test]
    fn english_dates_and_lists() {
        let en = english();
        assert_eq!(en.date(2023, 12, 31), "31\u{a0}December\u{a0}2023");
        let pieces = en.list(&["A", "B", "C"]);
        assert_eq!(
            pieces,
            vec![
                ListPiece::Item("A"),
                ListPiece::Joiner(", ".into()),
                ListPiece::Item("B"),
                ListPiece::Joiner(", and ".into()),
                ListPiece::Item("C"),
            ]
        );
        assert_eq!(en.list(&["A", "B"])[1], ListPiece::Joiner(" and ".into()));
    }
}
