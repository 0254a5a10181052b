//! Bad input never crashes: every file in `tests/bad/` is an edition with one
//! mistake, and the comment lines at its top say what the tool must report:
//!
//! ```text
//! # expect: 12:1: error: unknown field `organsation`
//! # expect: error: is not UTF-8 text          (a diagnostic without a position)
//! # expect-hint: did you mean `organisation`?
//! ```
//!
//! Line and column are 1-based and count characters, as the short
//! diagnostic format prints them. Each file is built with the real binary;
//! the build must exit with 1, print every expected diagnostic and hint, never
//! panic, never echo a raw control character, never print the same
//! diagnostic twice, and write nothing into its output folder. `check` must
//! report the same.
//!
//! Files in [`KNOWN_GAPS`] show where the tool does not yet do the right
//! thing; they still run, but only print a note.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Bad files the tool does not handle right yet (see each file's header).
/// They are run, and a note says whether they still fail, but they do not
/// fail the test. Remove a name once its case passes.
const KNOWN_GAPS: &[&str] = &[];

/// A build that takes longer than this is a failure (a hang is a crash too).
const TIMEOUT: Duration = Duration::from_secs(120);

/// One expected diagnostic: where (None: printed without a position) and
/// a part of its message.
#[derive(Debug)]
struct Expect {
    position: Option<(usize, usize)>,
    message: String,
}

/// A bad file and what it must produce.
#[derive(Debug)]
struct Case {
    name: String,
    /// Path relative to the crate root, as passed to the binary and printed.
    path: String,
    expects: Vec<Expect>,
    hints: Vec<String>,
}

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Vec<Case> {
    let folder = crate_root().join("tests/bad");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            // Lossy: some bad files are deliberately not UTF-8.
            let bytes = std::fs::read(path).expect("read bad file");
            let text = String::from_utf8_lossy(&bytes);
            let (expects, hints) = header(&text);
            Case {
                path: format!("tests/bad/{name}.toml"),
                name,
                expects,
                hints,
            }
        })
        .collect()
}

/// Reads the `# expect:` and `# expect-hint:` lines of the leading comment.
fn header(text: &str) -> (Vec<Expect>, Vec<String>) {
    let mut expects = Vec::new();
    let mut hints = Vec::new();
    for line in text.lines().take_while(|line| line.starts_with('#')) {
        if let Some(hint) = line.strip_prefix("# expect-hint: ") {
            hints.push(hint.to_string());
        } else if let Some(rest) = line.strip_prefix("# expect: ") {
            expects.push(parse_expect(rest).unwrap_or_else(|| {
                Expect {
                    // Unparsable: keep it so the case fails with a clear message.
                    position: Some((0, 0)),
                    message: format!("<unparsable expect line: {rest}>"),
                }
            }));
        }
    }
    (expects, hints)
}

/// `12:3: error: message` or `error: message`.
fn parse_expect(rest: &str) -> Option<Expect> {
    if let Some(message) = rest.strip_prefix("error: ") {
        return Some(Expect {
            position: None,
            message: message.to_string(),
        });
    }
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.trim().parse().ok()?;
    let col = parts.next()?.trim().parse().ok()?;
    let message = parts.next()?.strip_prefix(" error: ")?;
    Some(Expect {
        position: Some((line, col)),
        message: message.to_string(),
    })
}

/// What one run of the binary produced.
struct Run {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

/// Runs the binary from the crate root with stdout and stderr in files
/// (no pipe can fill up), killing it after [`TIMEOUT`].
fn run(args: &[&str], logs: &Path) -> Run {
    std::fs::create_dir_all(logs).expect("create log folder");
    let stdout_path = logs.join("stdout");
    let stderr_path = logs.join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_factsheet"))
        .args(args)
        .current_dir(crate_root())
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("start factsheet");
    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for factsheet") {
            Some(status) => break Some(status),
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let read = |path: &Path| {
        String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
    };
    Run {
        status,
        stdout: read(&stdout_path),
        stderr: read(&stderr_path),
    }
}

/// Everything wrong with one run; empty when it did the right thing.
fn problems(case: &Case, run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    match run.status {
        None => out.push(format!("did not finish within {}s", TIMEOUT.as_secs())),
        Some(status) if status.code() != Some(1) => {
            out.push(format!("exited with {status}, expected exit code 1"));
        }
        Some(_) => {}
    }
    if run.stderr.contains("panicked") || run.stdout.contains("panicked") {
        out.push("panicked".into());
    }
    if case.expects.is_empty() {
        out.push("the file has no `# expect:` line".into());
    }
    let lines: Vec<&str> = run.stderr.lines().collect();
    for expect in &case.expects {
        let found = match expect.position {
            Some((line, col)) => {
                let prefix = format!("{}:{line}:{col}: error: ", case.path);
                lines.iter().any(|l| {
                    l.strip_prefix(&prefix)
                        .is_some_and(|m| m.contains(&expect.message))
                })
            }
            None => lines.iter().any(|l| {
                l.strip_prefix("error: ")
                    .is_some_and(|m| m.contains(&expect.message))
            }),
        };
        if !found {
            let wanted = match expect.position {
                Some((line, col)) => format!("{}:{line}:{col}: error: …", case.path),
                None => "error: … (without a position)".into(),
            };
            out.push(format!(
                "missing diagnostic `{wanted}` containing {:?}",
                expect.message
            ));
        }
    }
    for hint in &case.hints {
        let found = lines.iter().any(|l| {
            l.strip_prefix("  hint: ")
                .is_some_and(|h| h.contains(hint.as_str()))
        });
        if !found {
            out.push(format!("missing hint containing {hint:?}"));
        }
    }
    let raw = run
        .stderr
        .chars()
        .chain(run.stdout.chars())
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect::<HashSet<_>>();
    if !raw.is_empty() {
        let mut raw: Vec<String> = raw.into_iter().collect();
        raw.sort();
        out.push(format!(
            "raw control characters printed: {}",
            raw.join(", ")
        ));
    }
    let mut seen = HashSet::new();
    for line in lines.iter().filter(|l| !l.starts_with(' ')) {
        if line.contains("error: ") && !seen.insert(*line) {
            out.push(format!("diagnostic printed twice: {line}"));
        }
    }
    out
}

/// What a case produced: its problems (empty: right) and its short-format stderr.
struct Outcome {
    problems: Vec<String>,
    stderr: String,
}

/// Runs `job` for every case on a few threads; returns the outcomes in file order.
fn for_each_case<F>(cases: &[Case], job: F) -> Vec<Outcome>
where
    F: Fn(&Case) -> Outcome + Sync,
{
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(index) else { break };
                    let outcome = job(case);
                    results.lock().expect("results lock").push((index, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, outcome)| outcome).collect()
}

/// Prints notes for known gaps and returns the report of all other failures.
fn judge(what: &str, cases: &[Case], outcomes: &[Outcome]) -> String {
    let mut report = String::new();
    for (case, outcome) in cases.iter().zip(outcomes) {
        let known = KNOWN_GAPS.contains(&case.name.as_str());
        match (known, outcome.problems.is_empty()) {
            (true, true) => println!(
                "note: {what}: known gap `{}` now passes: remove it from KNOWN_GAPS",
                case.name
            ),
            (true, false) => println!(
                "note: {what}: skipping known gap `{}` ({})",
                case.name,
                outcome.problems.join("; ")
            ),
            (false, true) => {}
            (false, false) => {
                report.push_str(&format!("\n{}:\n", case.path));
                for problem in &outcome.problems {
                    report.push_str(&format!("  - {problem}\n"));
                }
                report.push_str("  stderr was:\n");
                for line in outcome.stderr.lines() {
                    report.push_str(&format!("    | {line}\n"));
                }
            }
        }
    }
    report
}

fn scratch(kind: &str, case: &Case) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bad-inputs")
        .join(format!("{kind}-{}-{}", std::process::id(), case.name))
}

fn check_known_gaps_exist(cases: &[Case]) {
    for gap in KNOWN_GAPS {
        assert!(
            cases.iter().any(|c| c.name == *gap),
            "KNOWN_GAPS names `{gap}`, but tests/bad/{gap}.toml does not exist"
        );
    }
}

#[test]
fn bad_inputs_fail_cleanly_with_positioned_diagnostics() {
    let cases = cases();
    assert!(cases.len() >= 25, "only {} bad files", cases.len());
    check_known_gaps_exist(&cases);
    let outcomes = for_each_case(&cases, |case| {
        let work = scratch("build", case);
        let output = work.join("out");
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&output).expect("create output folder");
        let output_arg = output.to_string_lossy().into_owned();
        let args = [
            "build",
            "--diagnostic-format",
            "short",
            "-o",
            &output_arg,
            &case.path,
        ];
        let run = run(&args, &work.join("logs"));
        let mut problems = problems(case, &run);
        let written: Vec<String> = std::fs::read_dir(&output)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !written.is_empty() {
            problems.push(format!(
                "wrote into the output folder: {}",
                written.join(", ")
            ));
        }
        if problems.is_empty() {
            let _ = std::fs::remove_dir_all(&work);
        }
        Outcome {
            problems,
            stderr: run.stderr,
        }
    });
    let report = judge("build", &cases, &outcomes);
    assert!(
        report.is_empty(),
        "bad inputs handled wrongly by `build`:{report}"
    );
}

#[test]
fn check_reports_the_same_errors() {
    let cases = cases();
    check_known_gaps_exist(&cases);
    let outcomes = for_each_case(&cases, |case| {
        let work = scratch("check", case);
        let _ = std::fs::remove_dir_all(&work);
        let args = ["check", "--diagnostic-format", "short", &case.path];
        let short = run(&args, &work.join("short"));
        let mut problems = problems(case, &short);
        // The human format (the default) must fail the same way, without panicking.
        let human = run(&["check", &case.path], &work.join("human"));
        if human.status.and_then(|s| s.code()) != Some(1) {
            problems.push(format!(
                "human format: exit code {:?}, expected 1",
                human.status.and_then(|s| s.code())
            ));
        }
        if human.stderr.contains("panicked") {
            problems.push("human format: panicked".into());
        }
        if problems.is_empty() {
            let _ = std::fs::remove_dir_all(&work);
        }
        Outcome {
            problems,
            stderr: short.stderr,
        }
    });
    let report = judge("check", &cases, &outcomes);
    assert!(
        report.is_empty(),
        "bad inputs handled wrongly by `check`:{report}"
    );
}

#[test]
fn expect_lines_parse() {
    let (expects, hints) = header(
        "# expect: 12:3: error: unknown field `x`\n# expect: error: not UTF-8\n# expect-hint: did you mean\n\nkey = 1\n# expect: 9:9: error: ignored after the header\n",
    );
    assert_eq!(expects.len(), 2);
    assert_eq!(expects[0].position, Some((12, 3)));
    assert_eq!(expects[0].message, "unknown field `x`");
    assert_eq!(expects[1].position, None);
    assert_eq!(expects[1].message, "not UTF-8");
    assert_eq!(hints, vec!["did you mean".to_string()]);
}
