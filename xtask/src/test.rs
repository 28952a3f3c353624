//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure, and a
//! last line `N passed, N failed` that counts every test run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{dist, postgres, serve, shell, tools};

/// Where the database tests find the throwaway cluster (a superuser's address).
pub const DATABASE_TESTS_URL: &str = "CLERK_DEV2PROD_TEST_DATABASE_URL";
/// The same for a second cluster with `ssl = on`, and the roots to check it against (the
/// one that signed its certificate, and one that did not).
pub const TLS_DATABASE_TESTS_URL: &str = "CLERK_DEV2PROD_TEST_TLS_DATABASE_URL";
pub const TLS_ROOT: &str = "CLERK_DEV2PROD_TEST_TLS_ROOT";
pub const TLS_OTHER_ROOT: &str = "CLERK_DEV2PROD_TEST_TLS_OTHER_ROOT";

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Adds the counts of every `test result:` line cargo's test harnesses printed.
    fn add_from(&mut self, output: &str) {
        for line in output.lines() {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                let count = |label: &str| {
                    words
                        .windows(2)
                        .find(|w| w[1].trim_end_matches('.') == label)
                        .and_then(|w| w[0].parse::<u64>().ok())
                };
                if let Some(n) = count("passed") {
                    self.passed += n;
                }
                if let Some(n) = count("failed") {
                    self.failed += n;
                }
            }
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let only_database = match args {
        [] => false,
        [one] if one == "database" => true,
        _ => return Err("usage: cargo xtask test [database]".into()),
    };
    let started = Instant::now();
    let mut tally = Tally::default();
    let result = if only_database {
        database_tests(&mut tally, &crate::root())
    } else {
        run_steps(&mut tally)
    };
    if result.is_err() && tally.failed == 0 {
        // A failed build, lint or format check counts as one failure of its own.
        tally.failed = 1;
    }
    eprintln!(
        "\ncargo xtask test: {} in {:.0} s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if let Err(message) = &result {
        eprintln!("first failure: {message}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    result.map_err(|_| String::new())
}

fn run_steps(tally: &mut Tally) -> Result<(), String> {
    let root = crate::root();
    tools::ensure_wasm_target()?;
    tools::ensure_trunk()?;
    tools::ensure_wasm_bindgen(&root)?;
    let browser = tools::ensure_chromium()?;
    tools::ensure_shell_tools()?;

    let cargo = || {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&root);
        cmd
    };
    step("format");
    shell::run(cargo().args(["fmt", "--all", "--check"]))
        .map_err(|e| format!("{e}\nRun `cargo fmt --all` and commit the result."))?;

    step("lints, native");
    shell::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("lints, wasm32");
    shell::run(cargo().args([
        "clippy",
        "--package",
        "clerk-dev2prod",
        "--all-targets",
        "--target",
        tools::WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))?;

    // The fuzz crate is a workspace of its own (cargo-fuzz builds it with libFuzzer's
    // flags), so the lints above never see it. Checked with the main target folder, whose
    // dependencies it shares.
    step("lints, fuzz targets");
    shell::run(cargo().args([
        "clippy",
        "--manifest-path",
        "fuzz/Cargo.toml",
        "--target-dir",
        "target",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("GitHub workflows (actionlint)");
    let actionlint = tools::ensure_actionlint(&root)?;
    let workflows: Vec<_> = std::fs::read_dir(root.join(".github/workflows"))
        .map_err(|e| format!("cannot list .github/workflows: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    // One file a run: the checker reads only its first argument.
    for workflow in &workflows {
        shell::run(
            Command::new("node")
                .current_dir(&root)
                .arg(&actionlint)
                .arg(workflow),
        )?;
    }

    step("native tests");
    counted(tally, cargo().args(["test", "--workspace"]))?;

    step("fuzz every target briefly");
    let fuzz_started = Instant::now();
    let fuzzed = crate::fuzz::run_all(crate::fuzz::TEST_SECONDS);
    eprintln!(
        "fuzz: {} targets in {:.0} s, their build included",
        crate::fuzz::TARGETS.len(),
        fuzz_started.elapsed().as_secs_f64()
    );
    match fuzzed {
        Ok(()) => tally.passed += crate::fuzz::TARGETS.len() as u64,
        Err(message) => {
            tally.failed += 1;
            return Err(message);
        }
    }

    step("database tests against a throwaway PostgreSQL");
    database_tests(tally, &root)?;

    step("wasm tests in headless Chromium");
    counted(
        tally,
        cargo()
            .args([
                "test",
                "--package",
                "clerk-dev2prod",
                "--lib",
                "--target",
                tools::WASM_TARGET,
            ])
            .env("CHROMEDRIVER", &browser.chromedriver),
    )?;

    step("release build");
    let built = dist::run()?;

    step("end-to-end tests in headless Chromium");
    let axe = tools::ensure_axe_core(&root)?;
    let addr = serve::start(&built.dir, 0)?;
    let e2e = |filters: &[&str]| {
        let mut cmd = cargo();
        cmd.args([
            "test",
            "--package",
            "clerk-dev2prod",
            "--test",
            "e2e",
            "--",
            "--ignored",
        ])
        .args(filters)
        .env("E2E_HTTP_URL", format!("http://{addr}/"))
        .env("E2E_SINGLE_FILE", &built.single_file)
        .env("CHROMIUM", &browser.chromium)
        .env("E2E_AXE_CORE", &axe);
        cmd
    };
    // bench_ tests are measurements, run by `cargo xtask bench`; timed_ tests measure the
    // page's responsiveness and run alone, after the rest, so no other test competes for the
    // two cores. failing_ tests state a promise the page does not keep yet (each says what
    // it still finds); they are kept so the next change can make them pass, and run by name.
    counted(
        tally,
        &mut e2e(&[
            "--skip",
            "bench_",
            "--skip",
            "failing_",
            "--skip",
            "timed_",
            "--test-threads",
            "2",
        ]),
    )?;
    step("timed end-to-end tests, one at a time");
    counted(tally, &mut e2e(&["timed_", "--test-threads", "1"]))?;

    step("the same single file from another checkout and another CARGO_HOME");
    reproducible(&root, &built.single_file, tally)
}

/// Builds the page again from a clone of this commit at another path, with a CARGO_HOME of
/// its own, and fails unless the single file is the same bytes: what a user who rebuilds a
/// release to check it will get.
fn reproducible(
    root: &std::path::Path,
    single_file: &std::path::Path,
    tally: &mut Tally,
) -> Result<(), String> {
    let dirty = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(true);
    if dirty {
        // A clone holds only what is committed, so it cannot be compared with this tree.
        eprintln!("skipped: the work tree has uncommitted changes; commit them to compare");
        return Ok(());
    }
    let elsewhere =
        std::env::temp_dir().join(format!("clerk-dev2prod-again-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&elsewhere);
    let checkout = elsewhere.join("another/checkout");
    let result = (|| {
        shell::run(
            Command::new("git")
                .args(["clone", "--quiet", "--no-hardlinks"])
                .arg(root)
                .arg(&checkout),
        )?;
        shell::run(
            Command::new("cargo")
                .current_dir(&checkout)
                .env("CARGO_HOME", elsewhere.join("cargo-home"))
                .env_remove("CARGO_TARGET_DIR")
                .args(["xtask", "dist"]),
        )?;
        let ours =
            std::fs::read(single_file).map_err(|e| format!("cannot read {single_file:?}: {e}"))?;
        let theirs_path = checkout.join("dist").join(dist::SINGLE_FILE);
        let theirs =
            std::fs::read(&theirs_path).map_err(|e| format!("cannot read {theirs_path:?}: {e}"))?;
        crate::verify::compare(single_file, &ours, &theirs_path, &theirs)
            .map(|said| eprintln!("{said}"))
    })();
    let _ = std::fs::remove_dir_all(&elsewhere);
    match result {
        Ok(()) => {
            tally.passed += 1;
            Ok(())
        }
        Err(message) => {
            tally.failed += 1;
            Err(message)
        }
    }
}

fn step(name: &str) {
    eprintln!("\n==> {name}");
}

fn counted(tally: &mut Tally, cmd: &mut Command) -> Result<(), String> {
    match shell::run_tee(cmd) {
        Ok(output) => {
            tally.add_from(&output);
            Ok(())
        }
        Err((message, output)) => {
            tally.add_from(&output);
            Err(message)
        }
    }
}

/// The database tests against two throwaway clusters, one with `ssl = on`.
fn database_tests(tally: &mut Tally, root: &Path) -> Result<(), String> {
    let started = Instant::now();
    {
        // Stopped when they go out of scope, also when a test fails. Started side by side:
        // most of a start is waiting for initdb and the server.
        let (cluster, tls) = std::thread::scope(|s| {
            let tls = s.spawn(|| postgres::Cluster::start_tls(root));
            let plain = postgres::Cluster::start(root);
            let tls = tls
                .join()
                .map_err(|_| "starting the TLS cluster panicked".to_string());
            (plain, tls.and_then(|t| t))
        });
        let (cluster, tls) = (cluster?, tls?);
        let roots = tls.tls.as_ref().expect("a TLS cluster has roots");
        counted(
            tally,
            Command::new("cargo")
                .current_dir(root)
                .args(["test", "--package", "clerk-dev2prod", "--test", "database"])
                .args(["--", "--ignored", "--test-threads", "2"])
                .env(DATABASE_TESTS_URL, cluster.url())
                .env(TLS_DATABASE_TESTS_URL, tls.url())
                .env(TLS_ROOT, &roots.root)
                .env(TLS_OTHER_ROOT, &roots.other),
        )?;
    }
    eprintln!(
        "PostgreSQL steps (two clusters, tests, stop): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn sums_every_result_line() {
        let mut tally = Tally::default();
        tally.add_from(
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out\n\
             noise\n\
             test result: FAILED. 3 passed; 2 failed; 0 ignored\n",
        );
        assert_eq!((tally.passed, tally.failed), (15, 2));
    }

    #[test]
    fn ignores_lines_that_are_not_results() {
        let mut tally = Tally::default();
        tally.add_from("running 4 tests\ntest a ... ok\n4 passed, 0 failed\n");
        assert_eq!((tally.passed, tally.failed), (0, 0));
    }
}
