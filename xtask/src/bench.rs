//! `cargo xtask bench`: the engine's speed and memory on generated exports (native), and the
//! size of the single-file page.

use std::process::Command;

use crate::{dist, shell};

pub fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask bench   (BENCH_SIZES=10000,100000 to choose sizes)".into());
    }
    let root = crate::root();
    println!("==> prepare, native (best of several runs; peak heap includes the input)");
    shell::run(Command::new("cargo").current_dir(&root).args([
        "bench",
        "--package",
        "clerk-dev2prod",
        "--bench",
        "prepare",
    ]))?;
    println!("\n==> the single-file page");
    let built = dist::run()?;
    let size = std::fs::metadata(&built.single_file)
        .map_err(|e| e.to_string())?
        .len();
    println!(
        "{}: {size} bytes ({:.2} MB; target under 1.5 MB)",
        built.single_file.display(),
        size as f64 / 1_000_000.0
    );
    Ok(())
}
