//! Printed text (between load and layout): every string the factsheet prints
//! is kept with where it stands in its file, so each character is checked
//! against the template's faces before layout and a missing one is reported
//! at its own line and column. The check after layout stays as a backstop
//! for characters made on the way (curly quotes, capitals, Cyrillic).

use std::collections::HashSet;
use std::ops::Range;

use crate::diag::{Diagnostic, FileId, Span};
use crate::fonts::Shaper;
use crate::layout::page::{Item, Page};

/// A string value as the data wrote it, and where its characters stand.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    /// The value, escapes resolved.
    pub text: String,
    /// The whole TOML string, quotes included.
    pub span: Span,
    /// Where `text` starts in the file, and how many of its leading bytes
    /// stand there verbatim; an escape (`\"`, `\u00E9`) ends the verbatim run.
    verbatim: (usize, usize),
}

impl Printed {
    /// `text`, read from the TOML string at `span` in `source` (the whole
    /// text of that file).
    pub fn new(text: &str, span: Span, source: &str) -> Printed {
        let raw = source.get(span.range.clone()).unwrap_or("");
        let verbatim = match content_start(raw) {
            Some(start) => {
                let content = raw.get(start..).unwrap_or("");
                (span.range.start + start, verbatim_len(text, content, raw))
            }
            None => (span.range.start, 0),
        };
        Printed {
            text: text.to_string(),
            span,
            verbatim,
        }
    }

    /// A value whose characters are all reported at `span` (its place in
    /// the file is not known character by character).
    pub fn whole(text: &str, span: Span) -> Printed {
        Printed {
            text: text.to_string(),
            verbatim: (span.range.start, 0),
            span,
        }
    }

    /// Where bytes `range` of the text stand in the file: exactly while the
    /// text is verbatim there, else the whole value.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let (begin, len) = self.verbatim;
        if range.start <= range.end && range.end <= len {
            Span::new(self.span.file, begin + range.start..begin + range.end)
        } else {
            self.span.clone()
        }
    }
}

/// Bytes from the start of a TOML string token to its first character.
fn content_start(raw: &str) -> Option<usize> {
    if let Some(rest) = raw
        .strip_prefix("\"\"\"")
        .or_else(|| raw.strip_prefix("'''"))
    {
        // A newline right after the opening quotes is not part of the value.
        let newline = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
        return Some(3 + newline);
    }
    (raw.starts_with('"') || raw.starts_with('\'')).then_some(1)
}

/// How many leading bytes of `text` stand unchanged at the start of
/// `content`; in a basic string ("…") a backslash starts an escape, so the
/// verbatim run ends there.
fn verbatim_len(text: &str, content: &str, raw: &str) -> usize {
    let basic = raw.starts_with('"');
    let mut len = 0;
    for (a, b) in text.chars().zip(content.chars()) {
        if a != b || (basic && b == '\\') {
            break;
        }
        len += a.len_utf8();
    }
    len
}

/// Every string in a labels file (all of them are printed), with its place.
pub fn in_labels(text: &str, file: FileId) -> Vec<Printed> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in table.get_ref().iter() {
        // The language tag is a setting, not text.
        if key.get_ref() != "language" {
            collect_strings(value, text, file, &mut out);
        }
    }
    out
}

fn collect_strings(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    text: &str,
    file: FileId,
    out: &mut Vec<Printed>,
) {
    match value.get_ref() {
        toml::de::DeValue::String(s) => {
            out.push(Printed::new(s, Span::new(file, value.span()), text));
        }
        toml::de::DeValue::Array(items) => {
            for item in items.iter() {
                collect_strings(item, text, file, out);
            }
        }
        toml::de::DeValue::Table(table) => {
            for item in table.values() {
                collect_strings(item, text, file, out);
            }
        }
        _ => {}
    }
}

/// Refuses characters that no face of the template has, each reported at
/// its own place (once per value).
pub fn check_chars(printed: &[Printed], shaper: &Shaper<'_>) -> Result<(), Vec<Diagnostic>> {
    if shaper.book().faces().is_empty() {
        return Ok(());
    }
    let mut errors = Vec::new();
    // Most characters repeat: look each up in the faces once per build.
    let mut drawn: HashSet<char> = HashSet::new();
    for value in printed {
        let mut seen: Vec<char> = Vec::new();
        for (i, c) in value.text.char_indices() {
            if drawn.contains(&c) || !is_visible(c) || seen.contains(&c) {
                continue;
            }
            if shaper.any_face_has(c) {
                drawn.insert(c);
                continue;
            }
            seen.push(c);
            errors.push(missing(c, Some(value.span_of(i..i + c.len_utf8()))));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Characters that print something; shaping drops the others (controls are
/// refused by the model, joiners and variation selectors are invisible).
fn is_visible(c: char) -> bool {
    !c.is_control()
        && !matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

fn missing(c: char, span: Option<Span>) -> Diagnostic {
    Diagnostic::error(
        span,
        format!(
            "character '{c}' (U+{:04X}) is not in the fonts",
            u32::from(c)
        ),
    )
    .with_hint("replace it, or add a font that has it to the template")
}

/// After layout: refuses glyphs the shaper could not find (a blank box in
/// the PDF), at the text run's place. Catches what [`check_chars`] cannot
/// see: characters made by typography and capitals, or missing in one face.
pub fn check_pages(pages: &[Page]) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        let Item::Text(run) = item else { continue };
        for glyph in run.glyphs.iter().filter(|g| g.id == 0) {
            let Some(c) = glyph.text.chars().next() else {
                continue;
            };
            let error = missing(c, run.src.clone());
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(source: &str, value: &str, needle: char) -> (usize, usize) {
        let start = source.find(['"', '\'']).unwrap();
        let span = Span::new(FileId(0), start..source.trim_end().len());
        let printed = Printed::new(value, span, source);
        let i = value.find(needle).unwrap();
        let span = printed.span_of(i..i + needle.len_utf8());
        crate::diag::line_col(source, span.range.start)
    }

    #[test]
    fn a_character_is_found_in_one_line_and_multi_line_strings() {
        assert_eq!(at("x = \"ab 😀\"", "ab 😀", '😀'), (1, 9));
        assert_eq!(at("x = 'ab 😀'", "ab 😀", '😀'), (1, 9));
        let source = "x = \"\"\"\nfirst\n\nse 挪 cond\n\"\"\"\n";
        assert_eq!(at(source, "first\n\nse 挪 cond\n", '挪'), (4, 4));
        let source = "x = '''\nfirst\nse 挪'''\n";
        assert_eq!(at(source, "first\nse 挪", '挪'), (3, 4));
    }

    #[test]
    fn after_an_escape_the_value_start_is_used() {
        assert_eq!(at("x = \"a 😀 \\\" b 挪\"", "a 😀 \" b 挪", '😀'), (1, 8));
        assert_eq!(at("x = \"a 😀 \\\" b 挪\"", "a 😀 \" b 挪", '挪'), (1, 5));
        assert_eq!(at("x = \"\\u00e9 挪\"", "é 挪", '挪'), (1, 5));
    }

    #[test]
    fn every_string_of_a_labels_file_is_found() {
        let text = "language = \"en\"\n[labels]\nkicker = \"{year} ✅\"\n[dates]\nmonths = [\"a\", \"b\"]\n";
        let mut found: Vec<String> = in_labels(text, FileId(0))
            .into_iter()
            .map(|p| p.text)
            .collect();
        found.sort();
        assert_eq!(found, ["a", "b", "{year} ✅"]);
    }
}
