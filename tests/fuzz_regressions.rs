//! The inputs the fuzzers found, kept under `fuzz/regressions/TARGET/`, each run through the
//! checks of its target (`fuzz/src/lib.rs`, compiled here without libFuzzer), so what a
//! fuzzer once found stays found by `cargo test`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod invariants;

#[test]
fn every_input_a_fuzzer_found_passes_its_targets_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = Vec::new();
    let mut failed = Vec::new();
    for (name, target) in invariants::targets::ALL {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| target(&bytes)).is_err() {
                failed.push(path.display().to_string());
            }
            ran.push(path);
        }
    }
    assert!(ran.len() >= 2, "the regression inputs are found: {ran:?}");
    assert!(failed.is_empty(), "checks broken by {failed:?}");
}

#[test]
fn every_fixture_passes_the_export_targets_checks() {
    let exports = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports");
    for entry in std::fs::read_dir(exports).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        invariants::targets::export(&bytes);
    }
}
