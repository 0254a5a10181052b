//! The command line (outside the pipeline): clap arguments, running builds
//! and checks over the given files, printing diagnostics, and writing each
//! PDF atomically so a failed build never leaves a half-written file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::batch::{self, BatchOptions};
use crate::diag::{self, Diagnostic, Format};
use crate::model::Overflow;
use crate::render::{PdfA, Profile};
use crate::{BuildOptions, DEFAULT_NAME};

/// The edition built when no file is given.
pub const DEFAULT_INPUT: &str = "data/kosovo/2024.toml";
/// The folder `--all` builds.
pub const DATA_FOLDER: &str = "data";

/// Turns TOML programme data into print-ready A4 factsheet PDFs.
///
/// With no command, `factsheet` builds the default edition
/// (data/kosovo/2024.toml) into out/. An edition file is read on top of the
/// `programme.toml` beside it, when there is one.
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
    /// Build factsheet PDFs from edition files, folders or globs, in parallel
    /// (default: data/kosovo/2024.toml).
    Build(BuildArgs),
    /// Load and lay out edition files without writing anything; report problems.
    Check(CheckArgs),
    /// Time the pipeline: one edition many times, then a generated set in parallel.
    Bench(BenchArgs),
    /// List the labels each language in assets/labels/ still lacks (against en.toml).
    Labels,
}

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The edition to time (default: data/kosovo/2024.toml).
    pub file: Option<PathBuf>,
    /// Times the edition is typeset on its own.
    #[arg(long, default_value_t = 200)]
    pub iterations: usize,
    /// Programmes in the generated set.
    #[arg(long, default_value_t = 20)]
    pub programmes: usize,
    /// Years per programme in the generated set.
    #[arg(long, default_value_t = 10)]
    pub years: usize,
    /// Threads for the set (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Folder the set is written to (default: a fresh folder under the system's temporary folder).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
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
    /// Edition files (TOML), folders (every edition below them) or globs.
    /// Default: data/kosovo/2024.toml.
    pub files: Vec<PathBuf>,
    /// Build every edition under data/.
    #[arg(long, conflicts_with = "files")]
    pub all: bool,
    /// Folder for the PDFs (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub output: PathBuf,
    /// Output file name pattern: {programme}, {year}, {lang}.
    #[arg(long, value_name = "PATTERN", default_value = DEFAULT_NAME)]
    pub name: String,
    /// Editions built at once (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
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
    /// Untagged PDF: no structure tree, reading order or alternative text
    /// (a smaller file that screen readers cannot follow).
    #[arg(long)]
    pub no_tags: bool,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t)]
    pub diagnostic_format: DiagnosticFormat,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Edition files (TOML), folders or globs.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Editions checked at once (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
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
        Some(Command::Bench(args)) => run_bench(&args),
        Some(Command::Labels) => run_labels(),
        None => run_build(&cli.build),
    }
}

fn run_labels() -> bool {
    let Some(project) = crate::Project::discover(Path::new(".")) else {
        eprintln!("error: no project folder (with fonts/ and assets/) here or above");
        return false;
    };
    let folder = project.root.join("assets/labels");
    let read = |path: &Path| -> Option<toml::Table> {
        let text = std::fs::read_to_string(path).ok()?;
        toml::from_str(&text).ok()
    };
    let Some(reference) = read(&folder.join("en.toml")) else {
        eprintln!("error: cannot read assets/labels/en.toml");
        return false;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    let mut complete = true;
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let name = path
            .file_stem()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match read(path) {
            Some(table) => {
                let missing = crate::locale::missing_keys(&reference, &table);
                if missing.is_empty() {
                    println!("{name}: complete");
                } else {
                    complete = false;
                    println!("{name}: missing {}", missing.join(", "));
                }
            }
            None => {
                complete = false;
                println!("{name}: not valid TOML (run `factsheet check` on an edition in it)");
            }
        }
    }
    complete
}

fn run_bench(args: &BenchArgs) -> bool {
    let input = args
        .file
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INPUT));
    let out_dir = args.output.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("factsheet-bench-{}", std::process::id()))
    });
    let options = crate::bench::BenchOptions {
        iterations: args.iterations,
        programmes: args.programmes,
        years: args.years,
        jobs: args.jobs,
    };
    let result = crate::bench::run(&input, &options, &out_dir);
    if args.output.is_none() {
        let _ = std::fs::remove_dir_all(&out_dir);
    }
    match result {
        Ok(report) => {
            print!("{report}");
            true
        }
        Err((errors, sources)) => {
            for error in &errors {
                let color = diag::stderr_color();
                eprint!(
                    "{}",
                    diag::render_styled(error, &sources, Format::Human, color)
                );
            }
            false
        }
    }
}

fn inputs(files: &[PathBuf], all: bool) -> Vec<PathBuf> {
    if all {
        vec![PathBuf::from(DATA_FOLDER)]
    } else if files.is_empty() {
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
    let options = BatchOptions {
        build: BuildOptions {
            overflow: args.overflow.map(Overflow::from),
            profile,
            tags: !args.no_tags,
        },
        out_dir: args.output.clone(),
        name: args.name.clone(),
        jobs: args.jobs,
        format: Format::from(args.diagnostic_format),
        write: true,
    };
    let inputs = inputs(&args.files, args.all);
    let report = batch::run(&inputs, &options);
    if report.total > 1 || !report.failed.is_empty() {
        eprintln!("{}", report.summary("built"));
    }
    report.failed.is_empty()
}

fn run_check(args: &CheckArgs) -> bool {
    let options = BatchOptions {
        build: BuildOptions {
            overflow: args.overflow.map(Overflow::from),
            ..BuildOptions::default()
        },
        out_dir: PathBuf::new(),
        name: DEFAULT_NAME.to_string(),
        jobs: args.jobs,
        format: Format::from(args.diagnostic_format),
        write: false,
    };
    let report = batch::run(&args.files, &options);
    if report.total > 1 || !report.failed.is_empty() {
        eprintln!("{}", report.summary("checked"));
    }
    report.failed.is_empty()
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
