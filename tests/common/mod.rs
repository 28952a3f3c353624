//! Helpers the test crates share. Each file under `tests/` is a crate of its own and takes
//! these in with `mod common;`; not every crate uses every helper.
//!
//! Every test that runs the command line removes DATABASE_URL from its environment: a
//! developer's own would make `reconcile` and `prepare` connect to that database.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The package's folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file or folder under `tests/fixtures/`, e.g. `fixture("exports/dashboard.csv")`.
pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// A fresh, empty folder for one test: named after the test crate, the process and `name`, so
/// tests running side by side, and runs after one another, never share one.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "clerk-dev2prod-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    dir
}

/// The whole secret keys the key fixtures hold, one a line: no output may contain a piece of
/// any of them.
pub fn fixture_secrets() -> Vec<String> {
    std::fs::read_to_string(fixture("keys/SECRETS.txt"))
        .expect("the key fixtures list their secrets")
        .lines()
        .map(String::from)
        .collect()
}
