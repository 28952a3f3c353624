//! `cargo xtask bench`: the engine's speed and memory on generated exports (native), and the
//! size of the single-file page.

use std::process::Command;

use crate::{dist, postgres, serve, shell, tools};

pub fn run(args: &[String]) -> Result<(), String> {
    let all = ["prepare", "database", "page"];
    if args.iter().any(|a| !all.contains(&a.as_str())) {
        return Err(
            "usage: cargo xtask bench [prepare] [database] [page]   (all three when none \
             is named; BENCH_SIZES=10000,100000, BENCH_BROWSER_SIZES=10000,100000 and \
             BENCH_DB_ROWS=200000 choose the sizes)"
                .into(),
        );
    }
    let wanted = |section: &str| args.is_empty() || args.iter().any(|a| a == section);
    let root = crate::root();
    if wanted("prepare") {
        println!("==> prepare, native (best of several runs; peak heap includes the input)");
        shell::run(Command::new("cargo").current_dir(&root).args([
            "bench",
            "--package",
            "clerk-dev2prod",
            "--bench",
            "prepare",
        ]))?;
    }
    if wanted("database") {
        println!("\n==> the database side against a throwaway PostgreSQL");
        let cluster = postgres::Cluster::start(&root)?;
        shell::run(
            Command::new("cargo")
                .current_dir(&root)
                .args([
                    "bench",
                    "--package",
                    "clerk-dev2prod",
                    "--bench",
                    "database",
                ])
                .env(crate::test::DATABASE_TESTS_URL, cluster.url()),
        )?;
    }
    if !wanted("page") {
        return Ok(());
    }
    println!("\n==> the single-file page");
    let built = dist::run()?;
    let browser = tools::ensure_chromium()?;
    println!("\n==> drop to summary in headless Chromium (single file, from disk)");
    let addr = serve::start(&built.dir, 0)?;
    shell::run(
        Command::new("cargo")
            .current_dir(&root)
            .args([
                "test",
                "--release",
                "--package",
                "clerk-dev2prod",
                "--test",
                "e2e",
            ])
            .args([
                "--",
                "--ignored",
                "--exact",
                "page::bench_drop_to_summary",
                "--nocapture",
            ])
            .env("E2E_HTTP_URL", format!("http://{addr}/"))
            .env("E2E_SINGLE_FILE", &built.single_file)
            .env("CHROMIUM", &browser.chromium),
    )?;
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
