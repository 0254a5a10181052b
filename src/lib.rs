//! factsheet: TOML programme data → print-ready A4 factsheet PDFs.
//!
//! The pipeline has three stages that hand data to each other:
//! **load** ([`model`], [`template`], [`locale`], [`fonts`]) reads and checks
//! the input, **layout** ([`layout`]) turns it into renderer-independent
//! pages, and **render** ([`render`]) writes the PDF. [`build`] is the table
//! of contents; the command line lives in `main.rs` and [`cli`].

#![warn(missing_docs)]

pub mod cli;
pub mod diag;
pub mod fonts;
pub mod layout;
pub mod locale;
pub mod markup;
pub mod model;
pub mod render;
pub mod template;

use std::path::{Component, Path, PathBuf};

use diag::{Diagnostic, Sources, Span, Warned};
use fonts::FontBook;
use layout::page::{Item, Page};
use locale::Locale;
use model::{Edition, Overflow};
use template::Template;

/// Input files larger than this are refused (a factsheet's data is a few KB).
pub const MAX_INPUT_BYTES: u64 = 1 << 20;
/// Font files larger than this are refused.
pub const MAX_FONT_BYTES: u64 = 32 << 20;
/// Logo images larger than this many pixels on a side are refused.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// The project folder: the one holding `fonts/` and `assets/`; every path in
/// data and templates is relative to it and may not leave it.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder.
    pub root: PathBuf,
}

impl Project {
    /// The nearest folder at or above `start` that holds `fonts/` and `assets/`.
    pub fn discover(start: &Path) -> Option<Project> {
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let absolute = std::path::absolute(start).ok()?;
        absolute
            .ancestors()
            .find(|dir| dir.join("fonts").is_dir() && dir.join("assets").is_dir())
            .map(|root| Project {
                root: root.to_path_buf(),
            })
    }

    /// Resolves a project-relative path, refusing absolute paths and `..`.
    pub fn resolve(&self, relative: &str, span: Option<&Span>) -> Result<PathBuf, Diagnostic> {
        let path = Path::new(relative);
        let escapes = path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        if escapes || relative.is_empty() {
            return Err(Diagnostic::error(
                span.cloned(),
                format!("path `{relative}` is not inside the project folder"),
            )
            .with_hint("write a relative path without `..`, such as assets/logo.png"));
        }
        Ok(self.root.join(path))
    }

    /// Reads a project file, refusing missing and oversized ones.
    pub fn read(
        &self,
        relative: &str,
        span: Option<&Span>,
        limit: u64,
    ) -> Result<Vec<u8>, Diagnostic> {
        let path = self.resolve(relative, span)?;
        read_limited(&path, limit).map_err(|why| {
            Diagnostic::error(span.cloned(), format!("cannot read `{relative}` ({why})"))
                .with_hint(format!("paths are relative to {}", self.root.display()))
        })
    }
}

/// Reads a file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| lower_io(&e))?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > limit {
        return Err(format!("{} bytes; the limit is {limit}", meta.len()));
    }
    std::fs::read(path).map_err(|e| lower_io(&e))
}

fn lower_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string().to_lowercase(),
    }
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides the edition's overflow policy.
    pub overflow: Option<Overflow>,
    /// Overrides the edition's output profile (default: screen).
    pub profile: Option<render::Profile>,
}

/// What a build produces.
#[derive(Debug)]
pub struct Output {
    /// The laid-out pages (for tests and `check`).
    pub pages: Vec<Page>,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Faces the pages refer to.
    pub fonts: FontBook,
    /// The edition, for naming the output.
    pub edition: Edition,
    /// The output profile the PDF was rendered for.
    pub profile: render::Profile,
}

impl Output {
    /// The PDF's file name: `{country}-{year}.pdf` for screen, with
    /// `-print` or `-archive` before `.pdf` for the other profiles.
    pub fn file_name(&self) -> String {
        let name = output_name(&self.edition);
        let stem = name.strip_suffix(".pdf").unwrap_or(&name);
        format!("{stem}{}.pdf", self.profile.file_suffix())
    }
}

/// Loads, lays out and renders one edition file.
pub fn build(
    input: &Path,
    options: &BuildOptions,
    sources: &mut Sources,
) -> Result<Warned<Output>, Vec<Diagnostic>> {
    let mut warnings = Vec::new();
    // Load: the edition, then what it names (template, labels, fonts, logo).
    let (project, edition) = load_edition(input, sources)?;
    let (template, locale, fonts, logo) = load_resources(&project, &edition, sources)?;
    // Layout: flows, pages, furniture.
    let shaper = fonts.shaper(&locale.language);
    let overflow = options.overflow.unwrap_or(edition.overflow);
    let laid = layout::layout(&edition, &template, &locale, &shaper, overflow)?;
    warnings.extend(laid.warnings);
    check_glyphs(&laid.value.pages)?;
    // Render: PDF bytes with embedded subset fonts, for the output profile.
    let meta = metadata(&edition, &locale);
    let profile = options.profile.unwrap_or(edition.profile.into());
    let rendered = render::render(&laid.value.pages, &fonts, &[logo], &meta, profile)?;
    warnings.extend(rendered.warnings);
    Ok(Warned {
        value: Output {
            pages: laid.value.pages,
            pdf: rendered.value,
            fonts,
            edition,
            profile,
        },
        warnings,
    })
}

fn load_edition(
    input: &Path,
    sources: &mut Sources,
) -> Result<(Project, Edition), Vec<Diagnostic>> {
    let shown = input.to_path_buf();
    let bytes = read_limited(input, MAX_INPUT_BYTES).map_err(|why| {
        vec![Diagnostic::error(
            None,
            format!("cannot read `{}` ({why})", diag::display_path(&shown)),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![
            Diagnostic::error(
                None,
                format!("`{}` is not UTF-8 text", diag::display_path(&shown)),
            )
            .with_hint("save the file as UTF-8"),
        ]
    })?;
    let file = sources.add(shown, text);
    let edition = model::load(&sources.get(file).text, file)?;
    let folder = input.parent().unwrap_or(Path::new("."));
    let project = Project::discover(folder).ok_or_else(|| {
        vec![
            Diagnostic::error(
                None,
                format!(
                    "no project folder (with fonts/ and assets/) above `{}`",
                    folder.display()
                ),
            )
            .with_hint("keep data files inside the factsheet project, e.g. data/kosovo-2024.toml"),
        ]
    })?;
    Ok((project, edition))
}

type Resources = (Template, Locale, FontBook, Vec<u8>);

fn load_resources(
    project: &Project,
    edition: &Edition,
    sources: &mut Sources,
) -> Result<Resources, Vec<Diagnostic>> {
    let (template_path, template_span) = &edition.template;
    let template_text = read_text(project, template_path, template_span.as_ref())?;
    let template_file = sources.add(template_path, template_text);
    let template = Template::parse(&sources.get(template_file).text, template_file)?;

    let (language, language_span) = &edition.language;
    let labels_path = format!("assets/labels/{language}.toml");
    let labels_text = read_text(project, &labels_path, Some(language_span)).map_err(|mut e| {
        e[0].hints = vec![format!(
            "copy assets/labels/en.toml to {labels_path} and translate it"
        )];
        e
    })?;
    let labels_file = sources.add(&labels_path, labels_text);
    let locale = Locale::parse(&sources.get(labels_file).text, labels_file)?;

    let mut fonts = FontBook::default();
    let whole = Span::new(template_file, 0..0);
    for (name, path) in &template.fonts {
        let bytes = project
            .read(path, Some(&whole), MAX_FONT_BYTES)
            .map_err(|e| vec![e])?;
        fonts.add(name, path, bytes).map_err(|e| vec![e])?;
    }
    let logo = load_logo(project, &template.logo.file, &whole)?;
    Ok((template, locale, fonts, logo))
}

fn read_text(
    project: &Project,
    path: &str,
    span: Option<&Span>,
) -> Result<String, Vec<Diagnostic>> {
    let bytes = project
        .read(path, span, MAX_INPUT_BYTES)
        .map_err(|e| vec![e])?;
    String::from_utf8(bytes).map_err(|_| {
        vec![Diagnostic::error(
            span.cloned(),
            format!("`{path}` is not UTF-8 text"),
        )]
    })
}

/// Reads the logo and checks that it is a PNG of sane dimensions.
fn load_logo(project: &Project, path: &str, span: &Span) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let bytes = project
        .read(path, Some(span), MAX_INPUT_BYTES * 8)
        .map_err(|e| vec![e])?;
    let refuse = |why: String| {
        vec![
            Diagnostic::error(
                Some(span.clone()),
                format!("logo `{path}` is not usable ({why})"),
            )
            .with_hint("use a PNG of at most 4096 × 4096 pixels"),
        ]
    };
    let reader =
        image::ImageReader::with_format(std::io::Cursor::new(&bytes), image::ImageFormat::Png);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| refuse(e.to_string().to_lowercase()))?;
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(refuse(format!("{width} × {height} pixels")));
    }
    Ok(bytes)
}

/// Refuses text the fonts cannot draw: a missing glyph would print as a blank box.
fn check_glyphs(pages: &[Page]) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        let Item::Text(run) = item else { continue };
        for glyph in run.glyphs.iter().filter(|g| g.id == 0) {
            let Some(c) = glyph.text.chars().next() else {
                continue;
            };
            let message = format!(
                "character '{c}' (U+{:04X}) is not in the fonts",
                u32::from(c)
            );
            if errors
                .iter()
                .any(|e| e.message == message && e.span == run.src)
            {
                continue;
            }
            errors.push(
                Diagnostic::error(run.src.clone(), message)
                    .with_hint("replace it, or add a font that has it to the template"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn metadata(edition: &Edition, locale: &Locale) -> render::Meta {
    let kicker = locale::fill(
        &locale.labels.kicker,
        &[("year", &edition.year.to_string())],
    );
    let country = &edition.programme.country;
    render::Meta {
        title: format!("{country} — {kicker}"),
        author: model::smarten(&edition.programme.organisation),
        subject: format!(
            "{kicker}: {country}, {}",
            model::smarten(&edition.programme.organisation)
        ),
        keywords: vec![
            country.clone(),
            edition.year.to_string(),
            "factsheet".into(),
            "mine action".into(),
        ],
        language: locale.language.clone(),
        date: edition.data_as_of,
    }
}

/// The output file name of an edition: `{country}-{year}.pdf`, lower case.
pub fn output_name(edition: &Edition) -> String {
    let slug: String = edition
        .programme
        .country
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}-{}.pdf", slug.trim_matches('-'), edition.year)
}
