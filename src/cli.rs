//! The command line (outside the pipeline): clap arguments, running builds
//! and checks over the given files, printing diagnostics, and writing each
//! PDF atomically so a failed build never leaves a half-written file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostic, Format, Sources};
use crate::model::Overflow;
use crate::{BuildOptions, build, output_name};

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
    let options = BuildOptions {
        overflow: args.overflow.map(Overflow::from),
    };
    let format = Format::from(args.diagnostic_format);
    let files = inputs(&args.files);
    let mut built = 0;
    let mut failed = Vec::new();
    for input in &files {
        let mut sources = Sources::default();
        let result = build(input, &options, &mut sources).and_then(|output| {
            let path = args.output.join(output_name(&output.value.edition));
            write_atomically(&path, &output.value.pdf).map_err(|e| vec![e])?;
            Ok((path, output))
        });
        match result {
            Ok((path, output)) => {
                report(&output.warnings, &sources, format);
                println!(
                    "wrote {} ({} pages, {} bytes)",
                    diag::display_path(&path),
                    output.value.pages.len(),
                    output.value.pdf.len()
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
