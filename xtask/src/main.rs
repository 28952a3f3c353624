//! `cargo xtask serve | test | dist | bench`: everything a developer or CI needs, installing
//! what is missing first, so a fresh machine with only Rust goes from clone to green.

mod bench;
mod dist;
mod fuzz;
mod postgres;
mod serve;
mod shell;
mod test;
mod tools;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]   build the page and serve it on http://127.0.0.1:8080 (Ctrl-C stops)
  dist               release build into dist/ and the single file dist/clerk-dev2prod.html
  test               every check CI runs: fmt, clippy, native, wasm and end-to-end tests
  test database      only the database tests, against throwaway clusters (one with TLS)
  verify FILE        rebuild the single file and say whether FILE is byte for byte the same
  bench [SECTION]    speed and size measurements: prepare, database, page (default all)
  fuzz [SECONDS]     run every fuzz target for SECONDS each (default 60)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    tools::prepare_path();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&args[1..]),
        Some("dist") => dist::run().map(|_| ()),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("verify") => verify::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // An empty message means the command already said everything (the test summary
            // must stay the last line).
            if !message.is_empty() {
                eprintln!("xtask: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}
