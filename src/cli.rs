//! The command line: the same engine as the page, reading and writing files.
//!
//! Exit codes are part of the interface: 0 all good, 1 problems found (outputs still
//! written), 2 unusable input or usage (nothing written).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "clerk-dev2prod",
    version,
    about = "Move a Clerk development instance's users to production, keeping their dev ids.",
    long_about = "Move a Clerk development instance's users to production, keeping their dev ids.\n\n\
        Everything runs on this machine: no file is sent anywhere."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the size and line count of a file, as the page shows them.
    Stats {
        /// The file to read.
        file: std::path::PathBuf,
    },
}

pub fn run(args: Vec<OsString>) -> ExitCode {
    let cli =
        match Cli::try_parse_from(std::iter::once(OsString::from("clerk-dev2prod")).chain(args)) {
            Ok(cli) => cli,
            Err(err) => {
                let _ = err.print();
                return if err.use_stderr() {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
        };
    match cli.command {
        Command::Stats { file } => match std::fs::read(&file) {
            Ok(bytes) => {
                let stats = clerk_dev2prod::core::text::TextStats::of(&bytes);
                println!(
                    "{}: {} bytes, {} lines",
                    file.display(),
                    stats.bytes,
                    stats.lines
                );
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", file.display());
                ExitCode::from(2)
            }
        },
    }
}
