//! Inline markup of paragraph text (load stage): a small, documented part of
//! CommonMark parsed by pulldown-cmark into styled runs, plus the few
//! typographic ties a typesetter adds (no break before a spaced dash or
//! between a number and its unit).
//!
//! Accepted: `**bold**`, `*italic*`, `[printed text](https://target)`, and a
//! blank line between paragraphs. Everything else (headings, lists, images,
//! raw HTML, code) is refused with a hint, so nothing is silently dropped.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, Span};
use crate::printed::Printed;

/// One run of text with one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// The text, after typographic clean-up.
    pub text: String,
    /// Set in the bold face.
    pub bold: bool,
    /// Set in the italic face.
    pub italic: bool,
    /// Target of a link, when the run is one.
    pub link: Option<String>,
}

impl Inline {
    /// A plain run.
    pub fn plain(text: impl Into<String>) -> Self {
        Inline {
            text: text.into(),
            bold: false,
            italic: false,
            link: None,
        }
    }

    /// A bold run.
    pub fn bold(text: impl Into<String>) -> Self {
        Inline {
            bold: true,
            ..Inline::plain(text)
        }
    }
}

/// A paragraph: styled runs plus where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Runs in reading order.
    pub runs: Vec<Inline>,
    /// The TOML value the paragraph came from.
    pub span: Span,
}

impl Paragraph {
    /// The paragraph's text without styles.
    pub fn plain_text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Parses `source` (one TOML string value at `span`) into paragraphs.
pub fn parse(source: &str, span: &Span) -> Result<Vec<Paragraph>, Vec<Diagnostic>> {
    parse_printed(&Printed::whole(source, span.clone()))
}

/// Parses a TOML string value into paragraphs; problems are reported where
/// they stand in the value (a heading on its own line, a link in the text).
pub fn parse_printed(value: &Printed) -> Result<Vec<Paragraph>, Vec<Diagnostic>> {
    let source = value.text.as_str();
    let mut parser = MarkupParser {
        value,
        span: &value.span,
        at: 0..0,
        paragraphs: Vec::new(),
        current: Vec::new(),
        bold: 0,
        italic: 0,
        link: None,
        errors: Vec::new(),
    };
    let options = Options::ENABLE_SMART_PUNCTUATION;
    for (event, at) in Parser::new_ext(source, options).into_offset_iter() {
        parser.at = at;
        parser.event(event);
    }
    parser.finish_paragraph();
    // One message per kind of problem: `<b>…</b>` is one mistake, not two.
    parser.errors.dedup_by(|a, b| a.message == b.message);
    if parser.errors.is_empty() {
        Ok(parser.paragraphs)
    } else {
        Err(parser.errors)
    }
}

struct MarkupParser<'s> {
    /// The whole value, to find where an event stands.
    value: &'s Printed,
    /// The whole value's span (paragraphs point at it).
    span: &'s Span,
    /// Bytes of the value the current event came from.
    at: std::ops::Range<usize>,
    paragraphs: Vec<Paragraph>,
    current: Vec<Inline>,
    bold: u32,
    italic: u32,
    link: Option<String>,
    errors: Vec<Diagnostic>,
}

impl MarkupParser<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Paragraph) => self.finish_paragraph(),
            Event::End(TagEnd::Paragraph) => self.finish_paragraph(),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                match check_url(&dest_url) {
                    Ok(()) => {}
                    Err(why) => self.errors.push(
                        Diagnostic::error(
                            Some(self.here()),
                            format!("link target \"{dest_url}\" is not usable ({why})"),
                        )
                        .with_hint("write a full address such as [npaid.org](https://npaid.org)"),
                    ),
                }
                self.link = Some(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => self.link = None,
            Event::Text(text) => self.push_text(&text),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text(" "),
            other => self.refuse(&other),
        }
    }

    /// Where the current event starts in the file.
    fn here(&self) -> Span {
        let start = self.at.start;
        let end = self
            .value
            .text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start, |c| start + c.len_utf8());
        self.value.span_of(start..end)
    }

    fn push_text(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(last) = self.current.last_mut()
            && last.bold == bold
            && last.italic == italic
            && last.link == self.link
        {
            last.text.push_str(text);
            return;
        }
        self.current.push(Inline {
            text: text.to_string(),
            bold,
            italic,
            link: self.link.clone(),
        });
    }

    fn finish_paragraph(&mut self) {
        if self.current.is_empty() {
            return;
        }
        let mut runs = std::mem::take(&mut self.current);
        tie_spaces(&mut runs);
        self.paragraphs.push(Paragraph {
            runs,
            span: self.span.clone(),
        });
    }

    fn refuse(&mut self, event: &Event<'_>) {
        let what = match event {
            Event::Start(Tag::Heading { .. }) => "a heading",
            Event::Start(Tag::List(_)) => "a list",
            Event::Start(Tag::Image { .. }) => "an image",
            Event::Start(Tag::BlockQuote(_)) => "a block quote",
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => "code",
            Event::Html(_) | Event::InlineHtml(_) => "HTML",
            Event::Start(_) => "markup this tool does not print",
            _ => return,
        };
        self.errors.push(
            Diagnostic::error(
                Some(self.here()),
                format!("text contains {what}, which a factsheet paragraph cannot hold"),
            )
            .with_hint("paragraph text may use **bold**, *italic* and [text](https://link) only")
            .with_hint("a line starting with '#', '-', '1.' or '>' is read as markup: reword it"),
        );
    }
}

/// Checks that a link target is an address a donor can safely open.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') {
        return Err("empty or a placeholder");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains a space or control character");
    }
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() || !host.contains('.') {
            return Err("it has no host name");
        }
        return Ok(());
    }
    if let Some(address) = lower.strip_prefix("mailto:") {
        return check_email(address).map_err(|_| "not a valid e-mail address");
    }
    Err("only https:, http: and mailto: links are allowed")
}

/// Checks the shape of an e-mail address (`local@domain.tld`).
pub fn check_email(address: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = address.split_once('@') else {
        return Err("it has no @");
    };
    let ok_local = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let ok_domain = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
    if ok_local && ok_domain {
        Ok(())
    } else {
        Err("it is not of the form name@example.org")
    }
}

/// Units after which a number must not be separated from them.
const UNITS: [&str; 6] = ["km²", "m²", "km", "ha", "%", "mm"];

/// Replaces breakable spaces that a typesetter would tie: before a spaced
/// en or em dash (a dash never starts a line), and between a number and a
/// following unit ("10.02 km²").
pub fn tie_spaces(runs: &mut [Inline]) {
    for run in runs {
        run.text = tie_text(&run.text);
    }
}

fn tie_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let tie = c == ' ' && (before_dash(&chars, i) || between_number_and_unit(&chars, i));
        out.push(if tie { '\u{a0}' } else { c });
    }
    out
}

fn before_dash(chars: &[char], i: usize) -> bool {
    matches!(chars.get(i + 1), Some('–' | '—'))
        && matches!(chars.get(i + 2), None | Some(' '))
        && i > 0
}

fn between_number_and_unit(chars: &[char], i: usize) -> bool {
    if i == 0 || !chars[i - 1].is_ascii_digit() {
        return false;
    }
    let rest: String = chars[i + 1..].iter().take(4).collect();
    UNITS.iter().any(|unit| {
        rest.starts_with(unit)
            && rest[unit.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn span() -> Span {
        Span::new(FileId(0), 0..1)
    }

    #[test]
    fn bold_italic_and_links_become_runs() {
        let paras = parse("We **thank** *you*: [site](https://npaid.org).", &span()).unwrap();
        assert_eq!(paras.len(), 1);
        let runs = &paras[0].runs;
        assert_eq!(runs[1], Inline::bold("thank"));
        assert!(runs[3].italic);
        assert_eq!(runs[5].link.as_deref(), Some("https://npaid.org"));
        assert_eq!(paras[0].plain_text(), "We thank you: site.");
    }

    #[test]
    fn blank_line_separates_paragraphs_and_quotes_are_curled() {
        let paras = parse("Kosovo's first.\n\nSecond\nline.", &span()).unwrap();
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].plain_text(), "Kosovo’s first.");
        assert_eq!(paras[1].plain_text(), "Second line.");
    }

    #[test]
    fn dash_and_units_are_tied() {
        assert_eq!(tie_text("Podujevo – and"), "Podujevo\u{a0}– and");
        assert_eq!(tie_text("10.02 km² across"), "10.02\u{a0}km² across");
        assert_eq!(tie_text("32 %"), "32\u{a0}%");
        assert_eq!(tie_text("2014 and"), "2014 and");
        assert_eq!(tie_text("in 42 mmm"), "in 42 mmm");
    }

    #[test]
    fn unsafe_and_placeholder_links_are_refused() {
        assert!(check_url("https://npaid.org/kosovo").is_ok());
        assert!(check_url("mailto:hansr@npaid.org").is_ok());
        assert!(check_url("#").is_err());
        assert!(check_url("").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("file:///etc/passwd").is_err());
        assert!(parse("see [x](javascript:alert(1))", &span()).is_err());
    }

    #[test]
    fn lists_and_headings_are_refused_not_dropped() {
        let errors = parse("# Title\n\ntext", &span()).unwrap_err();
        assert!(errors[0].message.contains("a heading"));
        assert!(parse("- item", &span()).is_err());
    }
}
