//! Diagnostics shared by every stage: source files, byte spans, severities,
//! and the two printers (short `file:line:col:` lines and a human format
//! with the source line and a caret).

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

/// Renders one diagnostic as text (ends with a newline).
pub fn render(diag: &Diagnostic, sources: &Sources, format: Format) -> String {
    let severity = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
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
            if format == Format::Human {
                write_snippet(&mut out, &file.text, span, line, col);
            }
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

fn write_snippet(out: &mut String, text: &str, span: &Span, line: usize, col: usize) {
    let Some(source_line) = text.lines().nth(line - 1) else {
        return;
    };
    let width = line.to_string().len();
    let start = floor_char_boundary(text, span.range.start.min(text.len()));
    let end = floor_char_boundary(text, span.range.end.min(text.len())).max(start);
    let on_line = text[start..end]
        .split('\n')
        .next()
        .map_or(1, |s| s.chars().count().max(1));
    let room = source_line.chars().count().saturating_sub(col - 1).max(1);
    let _ = writeln!(out, "{:width$} |", "");
    let _ = writeln!(out, "{line} | {source_line}");
    let _ = writeln!(
        out,
        "{:width$} | {}{}",
        "",
        " ".repeat(col - 1),
        "^".repeat(on_line.min(room))
    );
}

/// Paths in messages use `/` and no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            human.contains("1 | year = \"soon\"\n  |        ^^^^^^\n"),
            "{human}"
        );
    }
}
