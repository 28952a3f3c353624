//! `cargo xtask fuzz [SECONDS]`: every fuzz target in fuzz/ for SECONDS each (default 60),
//! its corpus seeded from tests/fixtures/ first, stopping at the first crash.
//!
//! The fuzzer is libFuzzer through cargo-fuzz: it runs in the process (the fastest of the
//! three on a small machine), keeps its corpus as plain files, and builds on the stable
//! compiler given RUSTC_BOOTSTRAP=1 for the coverage flags. honggfuzz needs Debian's
//! binutils-dev and libunwind-dev and a fork server; cargo-afl builds AFL++ from source on
//! first use; neither finds more on these parsers.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{shell, tools};

pub const DEFAULT_SECONDS: u64 = 60;

/// The budget of each target in `cargo xtask test`: long enough to find again what a change
/// broke in the parsers, short enough that the eight targets and their build stay a few
/// minutes of the run.
pub const TEST_SECONDS: u64 = 20;

/// Each target and the fixtures its corpus starts from (NUL joins the parts of an input
/// that stands for several files).
fn seeds(target: &str) -> Vec<Vec<&'static str>> {
    let exports = [
        "exports/backend-api.json",
        "exports/dashboard.csv",
        "exports/every-problem.csv",
        "exports/flat-sample.json",
        "exports/tool-flat.json",
        "small.csv",
        "reconcile/dev.csv",
    ];
    let one = |files: &[&'static str]| files.iter().map(|f| vec![*f]).collect::<Vec<_>>();
    match target {
        "export" => one(&exports),
        "instance_settings" => one(&[
            "instance/default.json",
            "instance/legal-consent.json",
            "instance/mfa-off.json",
            "instance/password-only.json",
            "instance/strict.json",
            "instance/username-required.json",
        ]),
        "key_files" => vec![
            vec![
                "keys/all-live/chat.json",
                "keys/all-live/frontend.env",
                "keys/all-live/gateway.env",
                "keys/all-live/websocket.yaml",
            ],
            vec!["keys/malformed/gateway.env"],
            vec!["keys/mixed/gateway.env"],
            vec!["keys/one-on-test/chat.env", "keys/one-on-test/frontend.env"],
            vec![
                "keys/other-host/frontend.env",
                "keys/other-host/websocket.env",
            ],
            vec![
                "keys/public-secret/frontend.env",
                "keys/public-secret/spa.env",
            ],
        ],
        "production_users" => one(&[
            "production/before-import.csv",
            "production/before-import.json",
            "reconcile/prod.json",
        ]),
        "migration_logs" => one(&["reconcile/migration-2026-11-23.log"]),
        "db_ids" => one(&["reconcile/db-ids.csv"]),
        "reconcile" => vec![vec![
            "reconcile/dev.csv",
            "reconcile/prod.json",
            "reconcile/migration-2026-11-23.log",
            "reconcile/db-ids.csv",
        ]],
        // A token-shaped text before the JWKS-shaped one (the fuzzer mutates both).
        "session_token" => vec![vec!["token"]],
        _ => Vec::new(),
    }
}

pub const TARGETS: [&str; 8] = [
    "export",
    "instance_settings",
    "key_files",
    "production_users",
    "migration_logs",
    "db_ids",
    "reconcile",
    "session_token",
];

/// A session token and JWKS of the right shape (not signed: the signature is checked, and
/// fails, after everything a fuzzer can reach by the shape).
fn token_seed() -> Vec<u8> {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let header = b64(r#"{"alg":"RS256","kid":"ins_1","typ":"JWT"}"#);
    let payload = b64(
        r#"{"iss":"https://clerk.example.com","sub":"user_2p","userId":"user_m","exp":1764003600,"iat":1764000000,"azp":"https://app.example.com"}"#,
    );
    let signature = b64("not a real signature, long enough to look like one");
    let jwks = r#"{"keys":[{"kty":"RSA","kid":"ins_1","use":"sig","alg":"RS256","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}"#;
    format!("{header}.{payload}.{signature}\0{jwks}").into_bytes()
}

/// Writes each target's seeds into fuzz/corpus/TARGET/ (kept out of git: the fixtures are
/// the source, and libFuzzer adds what it finds beside them).
fn seed_corpus(root: &Path, target: &str) -> Result<PathBuf, String> {
    let dir = root.join("fuzz").join("corpus").join(target);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (i, files) in seeds(target).iter().enumerate() {
        let bytes = if files == &["token"] {
            token_seed()
        } else {
            let mut joined = Vec::new();
            for (n, file) in files.iter().enumerate() {
                if n > 0 {
                    joined.push(0);
                }
                let path = root.join("tests").join("fixtures").join(file);
                joined.extend(
                    std::fs::read(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
                );
            }
            joined
        };
        let seed = dir.join(format!("seed-{i}"));
        std::fs::write(&seed, bytes)
            .map_err(|e| format!("cannot write {}: {e}", seed.display()))?;
    }
    Ok(dir)
}

/// `cargo fuzz` for one target, with the coverage flags allowed on the stable compiler.
fn cargo_fuzz(root: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .arg("fuzz");
    cmd
}

/// The files under `dir` (an artifacts folder), sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Builds every target, then runs each for `seconds`; a crash fails the run, naming the
/// input libFuzzer saved under fuzz/artifacts/TARGET/.
pub fn run_all(seconds: u64) -> Result<(), String> {
    let root = crate::root();
    tools::ensure_cargo_fuzz()?;
    // No sanitizer: the engine is safe Rust, and without ASan each execution is several
    // times faster; debug assertions stay on.
    shell::run(cargo_fuzz(&root).args(["build", "--sanitizer", "none", "--debug-assertions"]))?;
    for target in TARGETS {
        let corpus = seed_corpus(&root, target)?;
        let artifacts = root.join("fuzz").join("artifacts").join(target);
        let before = files_in(&artifacts);
        eprintln!("fuzz: {target} for {seconds} s");
        shell::run(
            cargo_fuzz(&root)
                .args(["run", "--sanitizer", "none", "--debug-assertions", target])
                .arg(&corpus)
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-max_len=65536",
                    "-timeout=20",
                    "-rss_limit_mb=2048",
                    "-print_final_stats=1",
                ]),
        )
        .map_err(|e| {
            let found: Vec<String> = files_in(&artifacts)
                .into_iter()
                .filter(|f| !before.contains(f))
                .map(|f| f.display().to_string())
                .collect();
            let input = if found.is_empty() {
                format!("its input is under {}", artifacts.display())
            } else {
                format!("its input: {}", found.join(", "))
            };
            format!(
                "fuzz target {target} failed ({input}; once fixed, copy it to \
                 fuzz/regressions/{target}/ so cargo test replays it): {e}"
            )
        })?;
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        [s] => s
            .parse()
            .map_err(|_| "usage: cargo xtask fuzz [SECONDS]".to_string())?,
        _ => return Err("usage: cargo xtask fuzz [SECONDS]".into()),
    };
    run_all(seconds)
}
