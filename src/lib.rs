//! factsheet: TOML programme data → print-ready A4 factsheet PDFs.
//!
//! The pipeline has three stages that hand data to each other:
//! **load** ([`model`], [`template`], [`locale`], [`fonts`]) reads and checks
//! the input, **layout** ([`layout`]) turns it into renderer-independent
//! pages, and **render** ([`render`]) writes the PDF. [`build`] is the table
//! of contents; the command line lives in `main.rs` and [`cli`].

#![warn(missing_docs)]

pub mod batch;
pub mod bench;
pub mod cli;
pub mod diag;
pub mod fonts;
pub mod history;
pub mod layout;
pub mod locale;
pub mod markup;
pub mod model;
pub mod printed;
pub mod render;
pub mod template;

use std::path::{Component, Path, PathBuf};

use diag::{Diagnostic, Sources, Span, Warned};
use fonts::FontBook;
use layout::page::Page;
use locale::Locale;
use model::{Edition, Overflow};
use template::Template;

/// The folder of the templates in the project.
pub const TEMPLATES_FOLDER: &str = "assets/templates";
/// The folder of the labels files, one per language, in the project.
pub const LABELS_FOLDER: &str = "assets/labels";
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

    /// The language tags there are labels for (`assets/labels/{tag}.toml`), sorted.
    pub fn languages(&self) -> Vec<String> {
        self.files_in(LABELS_FOLDER, "toml")
            .into_iter()
            .filter_map(|name| name.strip_suffix(".toml").map(str::to_string))
            .collect()
    }

    /// Names of the files with extension `ext` in a project folder, sorted.
    pub fn files_in(&self, folder: &str, ext: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.root.join(folder)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == ext))
            .filter_map(|path| Some(path.file_name()?.to_str()?.to_string()))
            .collect();
        names.sort();
        names
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
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Overrides the edition's overflow policy.
    pub overflow: Option<Overflow>,
    /// Overrides the edition's output profile (default: screen).
    pub profile: Option<render::Profile>,
    /// Tagged PDF: structure tree, reading order, alternative text
    /// (default: on; off gives the smallest file).
    pub tags: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            overflow: None,
            profile: None,
            tags: true,
        }
    }
}

/// A checked edition and the project it belongs to.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The project folder.
    pub project: Project,
    /// The edition, merged over its programme.
    pub edition: Edition,
}

/// What an edition is set with: loaded once per template and language and
/// shared by every build that uses them.
#[derive(Debug)]
pub struct Resources {
    /// The template.
    pub template: Template,
    /// Labels and formats of the language.
    pub locale: Locale,
    /// The template's faces.
    pub fonts: FontBook,
    /// The logo (PNG bytes).
    pub logo: Vec<u8>,
    /// Faces parsed and images encoded for the PDF writer, once per batch.
    pub cache: render::Cache,
}

/// What a build produces.
#[derive(Debug)]
pub struct Output {
    /// The laid-out pages (for tests and `check`).
    pub pages: Vec<Page>,
    /// The logical structure the pages' items are tagged with.
    pub structure: layout::page::Structure,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The output profile the PDF was rendered for.
    pub profile: render::Profile,
}

/// The name of the file a folder's editions share.
pub const PROGRAMME_FILE: &str = "programme.toml";

/// Loads, lays out and renders one edition file: the whole pipeline.
pub fn build(
    input: &Path,
    options: &BuildOptions,
    sources: &mut Sources,
) -> Result<Warned<(Output, Loaded, Resources)>, Vec<Diagnostic>> {
    let loaded = load(input, sources)?;
    let resources = load_resources(&loaded.project, &loaded.edition, sources)?;
    let output = typeset(&loaded.edition, &resources, options)?;
    Ok(Warned {
        value: (output.value, loaded, resources),
        warnings: output.warnings,
    })
}

/// Lays out and renders a loaded edition with its resources.
pub fn typeset(
    edition: &Edition,
    resources: &Resources,
    options: &BuildOptions,
) -> Result<Warned<Output>, Vec<Diagnostic>> {
    let Resources {
        template,
        locale,
        fonts,
        logo,
        cache,
    } = resources;
    // Every printed character against the faces, before layout, at its place.
    let shaper = fonts.shaper(&locale.language);
    printed::check_chars(&edition.printed, &shaper)?;
    // Layout: flows, pages, furniture.
    let overflow = options.overflow.unwrap_or(edition.overflow);
    let laid = layout::layout(edition, template, locale, &shaper, overflow)?;
    printed::check_pages(&laid.value.pages)?;
    // Render: PDF bytes with embedded subset fonts, for the output profile.
    let meta = metadata(edition, locale);
    let profile = options.profile.unwrap_or(edition.profile.into());
    let pdf = render::render(
        &laid.value.pages,
        options.tags.then_some(&laid.value.structure),
        fonts,
        std::slice::from_ref(logo),
        &meta,
        profile,
        cache,
    )?;
    Ok(Warned {
        value: Output {
            pages: laid.value.pages,
            structure: laid.value.structure,
            pdf,
            profile,
        },
        warnings: laid.warnings,
    })
}

/// Reads an edition file and, when one sits beside it, its programme file.
pub fn load(input: &Path, sources: &mut Sources) -> Result<Loaded, Vec<Diagnostic>> {
    let file = read_source(input, sources)?;
    let folder = input.parent().unwrap_or(Path::new(""));
    let programme_path = folder.join(PROGRAMME_FILE);
    let is_programme = input.file_name() == Some(std::ffi::OsStr::new(PROGRAMME_FILE));
    let programme = if !is_programme && programme_path.is_file() {
        Some(read_source(&programme_path, sources)?)
    } else {
        None
    };
    let project = Project::discover(folder);
    let languages = project.as_ref().map(Project::languages).unwrap_or_default();
    let edition = model::load_checked(
        &sources.get(file).text,
        file,
        programme.map(|id| (sources.get(id).text.as_str(), id)),
        &languages,
    )
    .map_err(diag::in_source_order)?;
    let project = project.ok_or_else(|| {
        vec![
            Diagnostic::error(
                None,
                format!(
                    "no project folder (with fonts/ and assets/) above `{}`",
                    folder.display()
                ),
            )
            .with_hint("keep data files inside the factsheet project, e.g. data/kosovo/2024.toml"),
        ]
    })?;
    Ok(Loaded { project, edition })
}

fn read_source(path: &Path, sources: &mut Sources) -> Result<diag::FileId, Vec<Diagnostic>> {
    let shown = diag::display_path(path);
    let bytes = read_limited(path, MAX_INPUT_BYTES).map_err(|why| {
        vec![Diagnostic::error(
            None,
            format!("cannot read `{shown}` ({why})"),
        )]
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path, text)),
        Err(error) => Err(vec![not_utf8(path, &shown, &error, sources)]),
    }
}

/// A file that is not UTF-8, at its first bad byte (the text before it is
/// kept as it is, so line and column are right).
fn not_utf8(
    path: &Path,
    shown: &str,
    error: &std::string::FromUtf8Error,
    sources: &mut Sources,
) -> Diagnostic {
    let at = error.utf8_error().valid_up_to();
    let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
    let width = text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    let file = sources.add(path, text);
    Diagnostic::error(
        Some(Span::new(file, at..at + width)),
        format!("`{shown}` is not UTF-8 text"),
    )
    .with_hint("save the file as UTF-8 (in most editors: Save As, encoding UTF-8)")
}

/// Loads the template, labels, fonts and logo an edition names.
pub fn load_resources(
    project: &Project,
    edition: &Edition,
    sources: &mut Sources,
) -> Result<Resources, Vec<Diagnostic>> {
    let template = load_template(project, edition, sources)?;
    let (locale, labels_file) = load_labels(project, edition, sources)?;
    let fonts = load_fonts(project, &template).map_err(|e| named_at(e, edition, sources))?;
    let logo = load_logo(project, &template.logo.file, &template.logo_span)
        .map_err(|e| named_at(e, edition, sources))?;
    // Every label against the faces, at its place in the labels file.
    let labels = printed::in_labels(&sources.get(labels_file).text, labels_file);
    printed::check_chars(&labels, &fonts.shaper(&locale.language))?;
    Ok(Resources {
        template,
        locale,
        fonts,
        logo,
        cache: render::Cache::default(),
    })
}

/// Reads and checks the edition's template.
fn load_template(
    project: &Project,
    edition: &Edition,
    sources: &mut Sources,
) -> Result<Template, Vec<Diagnostic>> {
    let (template_path, template_span) = &edition.template;
    let template_text =
        read_text(project, template_path, template_span.as_ref()).map_err(|mut errors| {
            let templates = project.files_in(TEMPLATES_FOLDER, "toml");
            for error in &mut errors {
                error.hints.push(format!(
                    "templates in {TEMPLATES_FOLDER}/: {}",
                    templates.join(", ")
                ));
            }
            errors
        })?;
    let template_file = sources.add(template_path, template_text);
    Template::parse(&sources.get(template_file).text, template_file)
        .map_err(|e| named_at(e, edition, sources))
}

/// A mistake inside the template also says which edition line chose it.
fn named_at(mut errors: Vec<Diagnostic>, edition: &Edition, sources: &Sources) -> Vec<Diagnostic> {
    let hint = match &edition.template {
        (path, Some(span)) => {
            let file = sources.get(span.file);
            let (line, col) = diag::line_col(&file.text, span.range.start);
            format!(
                "the template `{path}` is named at {}:{line}:{col}",
                diag::display_path(&file.path)
            )
        }
        (path, None) => format!("`{path}` is the default template (the edition names none)"),
    };
    for error in &mut errors {
        error.hints.push(hint.clone());
    }
    errors
}

/// Reads and checks the labels of the edition's language.
fn load_labels(
    project: &Project,
    edition: &Edition,
    sources: &mut Sources,
) -> Result<(Locale, diag::FileId), Vec<Diagnostic>> {
    let (language, language_span) = &edition.language;
    let labels_path = format!("{LABELS_FOLDER}/{language}.toml");
    let labels_text = read_text(project, &labels_path, Some(language_span)).map_err(|errors| {
        let available = project.languages();
        let mut hints = Vec::new();
        if let Some(best) = model::nearest(language, &available) {
            hints.push(format!("did you mean `{best}`?"));
        }
        hints.push(format!(
            "copy {LABELS_FOLDER}/en.toml to {labels_path} and translate it"
        ));
        hints.push(format!(
            "languages with labels in {LABELS_FOLDER}/: {}",
            available.join(", ")
        ));
        errors
            .into_iter()
            .map(|e| Diagnostic {
                hints: hints.clone(),
                ..e
            })
            .collect::<Vec<_>>()
    })?;
    let labels_file = sources.add(&labels_path, labels_text);
    let locale = Locale::parse(&sources.get(labels_file).text, labels_file)?;
    Ok((locale, labels_file))
}

/// Loads the template's faces, each error at the font's line in the template.
fn load_fonts(project: &Project, template: &Template) -> Result<FontBook, Vec<Diagnostic>> {
    let mut fonts = FontBook::default();
    let whole = Span::new(template.file, 0..0);
    for (name, path) in &template.fonts {
        let span = template.font_spans.get(name).unwrap_or(&whole);
        let bytes = project
            .read(path, Some(span), MAX_FONT_BYTES)
            .map_err(|e| vec![e])?;
        fonts.add(name, path, bytes).map_err(|mut e| {
            e.span = e.span.or(Some(span.clone()));
            vec![e]
        })?;
    }
    Ok(fonts)
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

/// The PDF metadata of an edition.
pub fn metadata(edition: &Edition, locale: &Locale) -> render::Meta {
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

/// The default output name pattern; `-{lang}` is added before `.pdf` when
/// the programme's folder holds editions in more than one language.
pub const DEFAULT_NAME: &str = "{programme}-{year}.pdf";

/// The output file name of an edition from a pattern with `{programme}`
/// (the programme's id), `{year}` and `{lang}`.
pub fn output_name(edition: &Edition, pattern: &str, multilingual: bool) -> String {
    let pattern = if multilingual && pattern == DEFAULT_NAME {
        "{programme}-{year}-{lang}.pdf"
    } else {
        pattern
    };
    locale::fill(
        pattern,
        &[
            ("programme", &edition.programme.id),
            ("year", &edition.year.to_string()),
            ("lang", &edition.language.0),
        ],
    )
}

/// The languages of the edition files in a programme folder (the folder of
/// `input`, when it holds a `programme.toml`).
pub fn programme_languages(input: &Path) -> std::collections::BTreeSet<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        edition: Option<HeadEdition>,
    }
    #[derive(serde::Deserialize)]
    struct HeadEdition {
        language: Option<String>,
    }
    let folder = input.parent().unwrap_or(Path::new(""));
    let mut languages = std::collections::BTreeSet::new();
    if !folder.join(PROGRAMME_FILE).is_file() {
        return languages;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return languages;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let is_edition = path.extension().is_some_and(|e| e == "toml")
            && path.file_name().is_some_and(|n| n != PROGRAMME_FILE);
        let Some(text) = is_edition
            .then(|| read_limited(&path, MAX_INPUT_BYTES).ok())
            .flatten()
        else {
            continue;
        };
        let head: Option<Head> = std::str::from_utf8(&text)
            .ok()
            .and_then(|t| toml::from_str(t).ok());
        if let Some(language) = head.and_then(|h| h.edition).and_then(|e| e.language) {
            languages.insert(language);
        }
    }
    languages
}
