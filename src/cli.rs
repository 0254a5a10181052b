//! The command line (outside the pipeline): clap arguments, running builds
//! and checks over the given files, printing diagnostics, and writing each
//! PDF atomically so a failed build never leaves a half-written file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostic, Format, Sources};
use crate::model::Overflow;
use crate::render::{PdfA, Profile};
use crate::{BuildOptions, build};

/// The edition built when no file is given.
pub const DEFAULT_INPUT: &str = "data/kosovo-2024.toml";

/// Turns TOML programme data into print-ready A4 factsheet PDFs.
///
/// With no command, `factsheet` builds the default edition
/// (data/kosovo-2024.toml) into out/.
#[derive(Debug, Parser)]
#[command(name = "factsheet", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: build).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Build options when no command is given.
    #[command(flatten)]
    pub build: BuildArgs,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build factsheet PDFs from edition files (default: data/kosovo-2024.toml).
    Build(BuildArgs),
    /// Load and lay out edition files without writing anything; report problems.
    Check(CheckArgs),
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum DiagnosticFormat {
    /// Source line with a caret under the problem.
    #[default]
    Human,
    /// One `file:line:col: error: …` line per problem (for CI and batches).
    Short,
}

/// What to do when the main text does not fit the template's pages.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OverflowArg {
    /// Stop with an error naming the flow, section and amount.
    Error,
    /// Add continuation pages.
    Flow,
}

/// What the PDF is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// E-mail and web: RGB, small, links work ({country}-{year}.pdf).
    Screen,
    /// The press: CMYK, 3 mm bleed, PDF/X-4 (…-print.pdf).
    Print,
    /// The archive: PDF/A-2b, or PDF/A-1b with --pdfa 1b (…-archive.pdf).
    Archive,
}

/// A PDF/A level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfaArg {
    /// PDF/A-1b (PDF 1.4, no transparency).
    #[value(name = "1b")]
    A1b,
    /// PDF/A-2b (PDF 1.7).
    #[value(name = "2b")]
    A2b,
}

/// Arguments of `build`.
#[derive(Debug, Args, Default)]
pub struct BuildArgs {
    /// Edition files (TOML). Default: data/kosovo-2024.toml.
    pub files: Vec<PathBuf>,
    /// Folder for the PDFs (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub output: PathBuf,
    /// Overflow policy; overrides the edition's `overflow`.
    #[arg(long, value_enum)]
    pub overflow: Option<OverflowArg>,
    /// Output profile; overrides the edition's `profile` (default: screen).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// With --profile print: crop marks outside the bleed.
    #[arg(long, requires = "profile")]
    pub crop_marks: bool,
    /// With --profile archive: the PDF/A level (default: 2b).
    #[arg(long, value_enum, value_name = "LEVEL", requires = "profile")]
    pub pdfa: Option<PdfaArg>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t)]
    pub diagnostic_format: DiagnosticFormat,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Edition files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Overflow policy; overrides the edition's `overflow`.
    #[arg(long, value_enum)]
    pub overflow: Option<OverflowArg>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t)]
    pub diagnostic_format: DiagnosticFormat,
}

impl From<DiagnosticFormat> for Format {
    fn from(value: DiagnosticFormat) -> Self {
        match value {
            DiagnosticFormat::Human => Format::Human,
            DiagnosticFormat::Short => Format::Short,
        }
    }
}

impl From<OverflowArg> for Overflow {
    fn from(value: OverflowArg) -> Self {
        match value {
            OverflowArg::Error => Overflow::Error,
            OverflowArg::Flow => Overflow::Flow,
        }
    }
}

impl BuildArgs {
    /// The profile the arguments ask for (`None`: the edition's), or why the
    /// options do not go together.
    pub fn profile(&self) -> Result<Option<Profile>, String> {
        let Some(name) = self.profile else {
            return Ok(None);
        };
        if self.crop_marks && name != ProfileArg::Print {
            return Err("--crop-marks needs --profile print".into());
        }
        if self.pdfa.is_some() && name != ProfileArg::Archive {
            return Err("--pdfa needs --profile archive".into());
        }
        Ok(Some(match name {
            ProfileArg::Screen => Profile::Screen,
            ProfileArg::Print => Profile::Print {
                crop_marks: self.crop_marks,
            },
            ProfileArg::Archive => Profile::Archive {
                pdfa: match self.pdfa {
                    Some(PdfaArg::A1b) => PdfA::A1b,
                    Some(PdfaArg::A2b) | None => PdfA::A2b,
                },
            },
        }))
    }
}

/// Runs the command; returns true when every file built or checked cleanly.
pub fn run(cli: Cli) -> bool {
    match cli.command {
        Some(Command::Build(args)) => run_build(&args),
        Some(Command::Check(args)) => run_check(&args),
        None => run_build(&cli.build),
    }
}

fn inputs(files: &[PathBuf]) -> Vec<PathBuf> {
    if files.is_empty() {
        vec![PathBuf::from(DEFAULT_INPUT)]
    } else {
        files.to_vec()
    }
}

fn run_build(args: &BuildArgs) -> bool {
    // A usage error like clap's own: message, usage line, exit code 2.
    let profile = args.profile().unwrap_or_else(|message| {
        Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit()
    });
    let options = BuildOptions {
        overflow: args.overflow.map(Overflow::from),
        profile,
    };
    let format = Format::from(args.diagnostic_format);
    let files = inputs(&args.files);
    let mut built = 0;
    let mut failed = Vec::new();
    for input in &files {
        let mut sources = Sources::default();
        let result = build(input, &options, &mut sources).and_then(|output| {
            let path = args.output.join(output.value.file_name());
            write_atomically(&path, &output.value.pdf).map_err(|e| vec![e])?;
            Ok((path, output))
        });
        match result {
            Ok((path, output)) => {
                report(&output.warnings, &sources, format);
                println!(
                    "wrote {} ({} pages, {} bytes, {})",
                    diag::display_path(&path),
                    output.value.pages.len(),
                    output.value.pdf.len(),
                    output.value.profile.name()
                );
                built += 1;
            }
            Err(errors) => {
                report(&errors, &sources, format);
                failed.push(diag::display_path(input));
            }
        }
    }
    if files.len() > 1 || !failed.is_empty() {
        summary(built, files.len(), &failed);
    }
    failed.is_empty()
}

fn run_check(args: &CheckArgs) -> bool {
    let options = BuildOptions {
        overflow: args.overflow.map(Overflow::from),
        ..BuildOptions::default()
    };
    let format = Format::from(args.diagnostic_format);
    let mut failed = Vec::new();
    for input in &args.files {
        let mut sources = Sources::default();
        match build(input, &options, &mut sources) {
            Ok(output) => {
                report(&output.warnings, &sources, format);
                println!(
                    "ok {} ({} pages)",
                    diag::display_path(input),
                    output.value.pages.len()
                );
            }
            Err(errors) => {
                report(&errors, &sources, format);
                failed.push(diag::display_path(input));
            }
        }
    }
    failed.is_empty()
}

fn summary(built: usize, total: usize, failed: &[String]) {
    let mut line = format!("built {built} of {total}");
    if !failed.is_empty() {
        line.push_str(&format!(", {} failed: {}", failed.len(), failed.join(", ")));
    }
    eprintln!("{line}");
}

/// Prints diagnostics to stderr.
pub fn report(diagnostics: &[Diagnostic], sources: &Sources, format: Format) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for diagnostic in diagnostics {
        let _ = err.write_all(diag::render(diagnostic, sources, format).as_bytes());
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so readers see the old file or the whole new one, never a part.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = diag::display_path(path);
    let folder = path.parent().unwrap_or(Path::new("."));
    let fail = |what: &str, e: std::io::Error| {
        Diagnostic::error(
            None,
            format!("cannot {what} `{shown}` ({})", e.to_string().to_lowercase()),
        )
        .with_hint("choose another output folder with -o DIR")
    };
    std::fs::create_dir_all(folder).map_err(|e| fail("create the folder for", e))?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail("write", e));
    }
    Ok(())
}
