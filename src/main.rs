//! The `factsheet` binary: parses arguments, runs the command, and turns the
//! outcome into an exit code (0 all built, 1 some input was bad, 2 usage).

use std::process::ExitCode;

use clap::Parser;
use factsheet::cli::{Cli, run};

fn main() -> ExitCode {
    // clap exits with code 2 on a usage error and 0 for --help/--version.
    let cli = Cli::parse();
    if run(cli) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
