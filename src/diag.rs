//! Diagnostics shared by every stage: source files, byte spans, severities,
//! and the two printers (our short `file:line:col:` lines, and a human format
//! with the source line and a caret drawn by codespan-reporting).

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a source file in a [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range points into.
    pub file: FileId,
    /// Byte offsets into that file's text.
    pub range: Range<usize>,
}

impl Span {
    /// A span covering `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on, but a person should look.
    Warning,
}

/// One problem found in the input, with where it is and how to mend it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Lower-case message naming the thing and the cause.
    pub message: String,
    /// Where in the input, when known.
    pub span: Option<Span>,
    /// One line per action that would fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Adds a hint line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A value together with the warnings produced while making it.
#[derive(Debug)]
pub struct Warned<T> {
    /// The result.
    pub value: T,
    /// Warnings (never errors).
    pub warnings: Vec<Diagnostic>,
}

/// A loaded source file: its path as given (relative, for messages) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as it should appear in messages.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
}

/// Every source file a build read, so spans can be turned into positions.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        self.files.push(SourceFile {
            path: path.into(),
            text,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// The file behind `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        // Ids are only made by `add`, so the index is always in range.
        &self.files[id.0 as usize]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        line_col(&self.get(id).text, offset)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Source line and caret under the place, for a person at a terminal.
    #[default]
    Human,
    /// One `file:line:col: severity: message` line plus hints, for CI and batches.
    Short,
}

/// Renders one diagnostic as text (ends with a newline), without colour.
pub fn render(diag: &Diagnostic, sources: &Sources, format: Format) -> String {
    render_styled(diag, sources, format, false)
}

/// Renders one diagnostic; `color` adds ANSI colours to the human format
/// and is only for a terminal (see [`stderr_color`]).
pub fn render_styled(diag: &Diagnostic, sources: &Sources, format: Format, color: bool) -> String {
    // A span into a file these sources do not hold (a batch shares template
    // and labels between editions) prints without a place, never panics.
    let unplaced;
    let diag = match &diag.span {
        Some(span) if sources.checked(span.file).is_err() => {
            unplaced = Diagnostic {
                span: None,
                ..diag.clone()
            };
            &unplaced
        }
        _ => diag,
    };
    match format {
        Format::Short => render_short(diag, sources),
        Format::Human => render_human(diag, sources, color).unwrap_or_else(|| {
            // codespan only fails on a span outside its file: print the short form.
            render_short(diag, sources)
        }),
    }
}

/// Whether diagnostics written to stderr may be coloured: stderr is a
/// terminal and `NO_COLOR` is not set (see no-color.org).
pub fn stderr_color() -> bool {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `file:line:col: severity: message` and one `  hint:` line per hint.
fn render_short(diag: &Diagnostic, sources: &Sources) -> String {
    let severity = severity_word(diag.severity);
    let mut out = String::new();
    match &diag.span {
        Some(span) => {
            let file = sources.get(span.file);
            let (line, col) = line_col(&file.text, span.range.start);
            let _ = writeln!(
                out,
                "{}:{line}:{col}: {severity}: {}",
                display_path(&file.path),
                diag.message
            );
        }
        None => {
            let _ = writeln!(out, "{severity}: {}", diag.message);
        }
    }
    for hint in &diag.hints {
        let _ = writeln!(out, "  hint: {hint}");
    }
    out
}

/// The source line with the span underlined, by codespan-reporting; hints
/// become `= hint:` notes.
fn render_human(diag: &Diagnostic, sources: &Sources, color: bool) -> Option<String> {
    use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
    use codespan_reporting::term::{self, termcolor};
    let report = match diag.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    }
    .with_message(&diag.message)
    .with_notes(diag.hints.iter().map(|h| format!("hint: {h}")).collect());
    let report = match &diag.span {
        Some(span) => report.with_label(Label::primary(span.file, sources.clamp(span))),
        None => report,
    };
    let config = term::Config::default();
    if !color {
        return term::emit_into_string(&config, sources, &report).ok();
    }
    let mut buffer = termcolor::Buffer::ansi();
    term::emit_to_write_style(&mut buffer, &config, sources, &report).ok()?;
    Some(String::from_utf8_lossy(buffer.as_slice()).into_owned())
}

impl Sources {
    /// `span`'s range cut to its file and to character boundaries.
    fn clamp(&self, span: &Span) -> Range<usize> {
        let text = &self.get(span.file).text;
        let start = floor_char_boundary(text, span.range.start.min(text.len()));
        let end = floor_char_boundary(text, span.range.end.min(text.len())).max(start);
        start..end
    }

    /// Byte offsets where each line of `id` starts.
    fn line_starts(&self, id: FileId) -> Vec<usize> {
        codespan_reporting::files::line_starts(&self.get(id).text).collect()
    }
}

/// Lets codespan-reporting read our files; columns it prints count
/// characters, as ours do.
impl<'a> codespan_reporting::files::Files<'a> for Sources {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, codespan_reporting::files::Error> {
        self.checked(id).map(|f| display_path(&f.path))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.checked(id).map(|f| f.text.as_str())
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.checked(id)?;
        let starts = self.line_starts(id);
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next.saturating_sub(1)))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let len = self.checked(id)?.text.len();
        let starts = self.line_starts(id);
        let max = starts.len().saturating_sub(1);
        let start =
            *starts
                .get(line_index)
                .ok_or(codespan_reporting::files::Error::LineTooLarge {
                    given: line_index,
                    max,
                })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(len);
        Ok(start..end)
    }
}

impl Sources {
    fn checked(&self, id: FileId) -> Result<&SourceFile, codespan_reporting::files::Error> {
        self.files
            .get(id.0 as usize)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

/// Paths in messages use `/` and no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Orders diagnostics as a reader meets them: by file, then position in
/// it; ones without a position keep their place at the front.
pub fn in_source_order(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| d.span.as_ref().map(|s| (s.file, s.range.start)));
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_into_a_file_not_held_prints_without_a_place() {
        let sources = Sources::default();
        let diag = Diagnostic::error(Some(Span::new(FileId(3), 0..4)), "lost");
        assert_eq!(render(&diag, &sources, Format::Short), "error: lost\n");
        assert!(render(&diag, &sources, Format::Human).contains("lost"));
    }

    #[test]
    fn diagnostics_are_ordered_by_file_and_position() {
        let at =
            |file, start| Diagnostic::error(Some(Span::new(FileId(file), start..start + 1)), "x");
        let none = Diagnostic::error(None, "no place");
        let ordered = in_source_order(vec![at(1, 5), at(0, 40), none.clone(), at(0, 3)]);
        let places: Vec<_> = ordered
            .iter()
            .map(|d| d.span.as_ref().map(|s| (s.file.0, s.range.start)))
            .collect();
        assert_eq!(places, [None, Some((0, 3)), Some((0, 40)), Some((1, 5))]);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nč = \"x\"\n";
        let offset = text.find('=').unwrap();
        assert_eq!(line_col(text, offset), (1, 3));
        let offset = text.rfind('"').unwrap();
        assert_eq!(line_col(text, offset), (2, 7));
    }

    #[test]
    fn short_format_is_one_line_plus_hints() {
        let mut sources = Sources::default();
        let id = sources.add("data/x.toml", "year = \"soon\"\n".into());
        let diag = Diagnostic::error(Some(Span::new(id, 7..13)), "year is not a number")
            .with_hint("write it as 2024");
        let text = render(&diag, &sources, Format::Short);
        assert_eq!(
            text,
            "data/x.toml:1:8: error: year is not a number\n  hint: write it as 2024\n"
        );
        let human = render(&diag, &sources, Format::Human);
        assert!(
            human.starts_with("error: year is not a number\n"),
            "{human}"
        );
        assert!(human.contains("data/x.toml:1:8"), "{human}");
        assert!(human.contains("1 │ year = \"soon\""), "{human}");
        assert!(human.contains("│        ^^^^^^"), "{human}");
        assert!(human.contains("= hint: write it as 2024"), "{human}");
        assert!(!human.contains('\u{1b}'), "no colour unless asked: {human}");
    }

    #[test]
    fn human_format_counts_columns_in_characters() {
        let mut sources = Sources::default();
        let text = "name = \"Zvečan 😀\"\n";
        let id = sources.add("data/x.toml", text.into());
        let at = text.find('😀').unwrap();
        let diag = Diagnostic::error(Some(Span::new(id, at..at + 4)), "no glyph");
        let human = render(&diag, &sources, Format::Human);
        assert!(human.contains("data/x.toml:1:16"), "{human}");
        let short = render(&diag, &sources, Format::Short);
        assert!(
            short.starts_with("data/x.toml:1:16: error: no glyph"),
            "{short}"
        );
    }

    #[test]
    fn human_format_without_a_span_and_in_colour() {
        let sources = Sources::default();
        let diag = Diagnostic::warning(None, "nothing to build").with_hint("name a file");
        let plain = render(&diag, &sources, Format::Human);
        assert_eq!(plain, "warning: nothing to build\n = hint: name a file\n\n");
        let coloured = render_styled(&diag, &sources, Format::Human, true);
        assert!(coloured.contains('\u{1b}'), "{coloured:?}");
    }

    #[test]
    fn human_format_survives_a_span_past_the_end() {
        let mut sources = Sources::default();
        let id = sources.add("x.toml", "a = 1".into());
        let diag = Diagnostic::error(Some(Span::new(id, 3..99)), "odd");
        let human = render(&diag, &sources, Format::Human);
        assert!(human.contains("x.toml:1:4"), "{human}");
    }
}
