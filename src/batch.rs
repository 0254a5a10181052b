//! Batch builds (around the pipeline): expand the inputs (files, folders,
//! globs), load every edition, refuse two that would write the same file
//! before anything is built, load each template and language once, then
//! build the editions in parallel and write each PDF atomically as soon as
//! it is built. One failure never stops the others; a summary closes the run.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::diag::{self, Diagnostic, Format, Sources};
use crate::{
    BuildOptions, Loaded, PROGRAMME_FILE, Resources, load, load_resources, output_name, typeset,
};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Options of each build.
    pub build: BuildOptions,
    /// Folder for the PDFs.
    pub out_dir: PathBuf,
    /// Output name pattern (`{programme}`, `{year}`, `{lang}`).
    pub name: String,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// How diagnostics are printed.
    pub format: Format,
    /// Write PDFs (`build`) or only check (`check`).
    pub write: bool,
}

/// The outcome of a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Editions built (or checked) without error.
    pub built: usize,
    /// Editions attempted.
    pub total: usize,
    /// Inputs that failed, as displayed.
    pub failed: Vec<String>,
}

impl Report {
    /// The closing line: `built 41 of 42, 1 failed: data/x/2019.toml`.
    pub fn summary(&self, verb: &str) -> String {
        let mut line = format!("{verb} {} of {}", self.built, self.total);
        if !self.failed.is_empty() {
            line.push_str(&format!(
                ", {} failed: {}",
                self.failed.len(),
                self.failed.join(", ")
            ));
        }
        line
    }
}

/// An input that loaded, waiting to be built.
struct Job {
    input: String,
    sources: Sources,
    loaded: Loaded,
    name: String,
    resources: usize,
}

/// Prints diagnostics and progress without tearing lines (builds run in parallel).
struct Printer {
    format: Format,
    /// Colour the human format (stderr is a terminal and NO_COLOR is unset).
    color: bool,
    bar: ProgressBar,
    lock: Mutex<()>,
}

impl Printer {
    fn new(format: Format, total: usize) -> Printer {
        let bar = if std::io::stderr().is_terminal() && total > 1 {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        Printer {
            format,
            color: diag::stderr_color(),
            bar,
            lock: Mutex::new(()),
        }
    }

    fn diagnostics(&self, diagnostics: &[Diagnostic], sources: &Sources) {
        if diagnostics.is_empty() {
            return;
        }
        let text: String = diagnostics
            .iter()
            .map(|d| diag::render_styled(d, sources, self.format, self.color))
            .collect();
        let _guard = self.lock.lock();
        self.bar.suspend(|| {
            let _ = std::io::stderr().write_all(text.as_bytes());
        });
    }

    fn line(&self, text: &str) {
        let _guard = self.lock.lock();
        self.bar.suspend(|| println!("{text}"));
    }
}

/// Turns arguments into edition files: a folder gives every `*.toml` below
/// it except `programme.toml` files; a pattern with `*`, `?` or `[` is a glob.
pub fn expand(arguments: &[PathBuf]) -> (Vec<PathBuf>, Vec<(String, Diagnostic)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for argument in arguments {
        let shown = diag::display_path(argument);
        let text = argument.to_string_lossy();
        if argument.is_dir() {
            collect_folder(argument, &mut files);
        } else if argument.is_file() {
            files.push(argument.clone());
        } else if text.contains(['*', '?', '[']) {
            let matched: Vec<PathBuf> = glob::glob(&text)
                .map(|paths| {
                    paths
                        .filter_map(Result::ok)
                        .filter(|p| is_edition(p))
                        .collect()
                })
                .unwrap_or_default();
            if matched.is_empty() {
                errors.push((
                    shown.clone(),
                    Diagnostic::error(None, format!("no edition file matches `{shown}`")),
                ));
            }
            files.extend(matched);
        } else {
            errors.push((
                shown.clone(),
                Diagnostic::error(
                    None,
                    format!("cannot read `{shown}` (no such file or folder)"),
                )
                .with_hint("give edition files (.toml), folders of them, or a glob"),
            ));
        }
    }
    (files, errors)
}

fn is_edition(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
        && path.file_name().is_some_and(|n| n != PROGRAMME_FILE)
        && path.is_file()
}

fn collect_folder(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_folder(&path, files);
        } else if is_edition(&path) {
            files.push(path);
        }
    }
}

/// Runs a batch over `arguments` and returns what happened.
pub fn run(arguments: &[PathBuf], options: &BatchOptions) -> Report {
    let (files, expand_errors) = expand(arguments);
    let total = files.len() + expand_errors.len();
    let printer = Printer::new(options.format, total);
    let mut report = Report {
        total,
        ..Report::default()
    };
    for (shown, error) in expand_errors {
        printer.diagnostics(&[error], &Sources::default());
        report.failed.push(shown);
    }
    let (jobs, resources) = prepare(&files, options, &printer, &mut report);
    // `check` writes nothing, so two editions sharing a name is no error there.
    if options.write && !refuse_collisions(&jobs, &printer, &mut report) {
        return report;
    }
    let failed = Mutex::new(Vec::new());
    let build = || {
        jobs.par_iter().for_each(|job| {
            let ok = build_one(job, &resources, options, &printer);
            printer.bar.inc(1);
            if !ok {
                let _ = failed.lock().map(|mut f| f.push(job.input.clone()));
            }
        });
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(build),
        Err(_) => build(),
    }
    printer.bar.finish_and_clear();
    let failed = failed.into_inner().unwrap_or_default();
    report.built = jobs.len() - failed.len();
    report.failed.extend(failed);
    report.failed.sort();
    report
}

/// Loads every edition and the resources they need (each set once).
fn prepare(
    files: &[PathBuf],
    options: &BatchOptions,
    printer: &Printer,
    report: &mut Report,
) -> (Vec<Job>, Vec<Option<Resources>>) {
    let mut jobs = Vec::new();
    let mut resources: Vec<Option<Resources>> = Vec::new();
    let mut keys: BTreeMap<(PathBuf, String, String), usize> = BTreeMap::new();
    let mut languages: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for file in files {
        let input = diag::display_path(file);
        let mut sources = Sources::default();
        let loaded = match load(file, &mut sources) {
            Ok(loaded) => loaded,
            Err(errors) => {
                printer.diagnostics(&errors, &sources);
                report.failed.push(input);
                continue;
            }
        };
        let key = (
            loaded.project.root.clone(),
            loaded.edition.template.0.clone(),
            loaded.edition.language.0.clone(),
        );
        let index = *keys.entry(key).or_insert_with(|| {
            let set = match load_resources(&loaded.project, &loaded.edition, &mut sources) {
                Ok(set) => Some(set),
                Err(errors) => {
                    printer.diagnostics(&errors, &sources);
                    None
                }
            };
            resources.push(set);
            resources.len() - 1
        });
        if resources[index].is_none() {
            report.failed.push(input);
            continue;
        }
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let multilingual = *languages
            .entry(folder)
            .or_insert_with(|| crate::programme_languages(file).len() > 1);
        let name = output_name(&loaded.edition, &options.name, multilingual);
        // The print and archive files sit beside the screen one: kosovo-2024-print.pdf.
        let profile = options
            .build
            .profile
            .unwrap_or(loaded.edition.profile.into());
        let name = match name.strip_suffix(".pdf") {
            Some(stem) => format!("{stem}{}.pdf", profile.file_suffix()),
            None => format!("{name}{}", profile.file_suffix()),
        };
        jobs.push(Job {
            input,
            sources,
            loaded,
            name,
            resources: index,
        });
    }
    (jobs, resources)
}

/// Two editions that would write the same file are an error before anything
/// is built. Returns whether the batch may go on.
fn refuse_collisions(jobs: &[Job], printer: &Printer, report: &mut Report) -> bool {
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for job in jobs {
        by_name.entry(&job.name).or_default().push(&job.input);
    }
    let clashes: Vec<(&&str, &Vec<&str>)> = by_name
        .iter()
        .filter(|(_, inputs)| inputs.len() > 1)
        .collect();
    for (name, inputs) in &clashes {
        let error = Diagnostic::error(
            None,
            format!("{} would all write `{name}`", inputs.join(" and ")),
        )
        .with_hint(
            "give them different years or countries, or a --name pattern that tells them apart",
        );
        printer.diagnostics(&[error], &Sources::default());
    }
    if clashes.is_empty() {
        return true;
    }
    report.failed.extend(jobs.iter().map(|j| j.input.clone()));
    report.failed.sort();
    false
}

/// Lays out, renders and (when writing) saves one edition; prints what happened.
fn build_one(
    job: &Job,
    resources: &[Option<Resources>],
    options: &BatchOptions,
    printer: &Printer,
) -> bool {
    let Some(Some(set)) = resources.get(job.resources) else {
        return false;
    };
    let result = typeset(&job.loaded.edition, set, &options.build).and_then(|output| {
        if options.write {
            let path = options.out_dir.join(&job.name);
            crate::cli::write_atomically(&path, &output.value.pdf).map_err(|e| vec![e])?;
            Ok((Some(path), output))
        } else {
            Ok((None, output))
        }
    });
    match result {
        Ok((path, output)) => {
            printer.diagnostics(&output.warnings, &job.sources);
            let pages = output.value.pages.len();
            let line = match path {
                Some(path) => format!(
                    "wrote {} ({pages} pages, {} bytes, {})",
                    diag::display_path(&path),
                    output.value.pdf.len(),
                    output.value.profile.name()
                ),
                None => format!("ok {} ({pages} pages)", job.input),
            };
            printer.line(&line);
            true
        }
        Err(errors) => {
            printer.diagnostics(&errors, &job.sources);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_the_failures() {
        let report = Report {
            built: 41,
            total: 42,
            failed: vec!["data/x/2019.toml".into()],
        };
        assert_eq!(
            report.summary("built"),
            "built 41 of 42, 1 failed: data/x/2019.toml"
        );
    }
}
