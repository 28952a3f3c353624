//! End-to-end tests: the built page in a real headless Chromium, served over http and opened
//! as a single file from disk. They need `cargo xtask dist` and Chromium, so they are ignored
//! by a plain `cargo test`; `cargo xtask test` builds, serves and runs them.
#![cfg(not(target_arch = "wasm32"))]

mod audit;
mod cdp;
mod checks;
#[path = "../common/mod.rs"]
mod common;
mod existing;
mod hostile;
mod instance;
mod keys;
mod page;
mod steps_know;
mod trust;
mod verify;

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cdp::{Chromium, Page};
use serde_json::Value;

const NEEDS: &str = "needs the built page and Chromium: run `cargo xtask test`";

/// A downloaded file once it has its full size (the browser may still be writing it when it
/// first appears).
pub(crate) fn wait_for_download(path: &Path, expected_len: usize) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(bytes) = std::fs::read(path) {
            if bytes.len() == expected_len || Instant::now() > deadline {
                return bytes;
            }
        } else if Instant::now() > deadline {
            panic!("{} was not downloaded", path.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn http_url() -> String {
    std::env::var("E2E_HTTP_URL").expect(NEEDS)
}

fn single_file() -> PathBuf {
    PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect(NEEDS))
}

fn file_url(path: &Path) -> String {
    format!(
        "file://{}",
        path.canonicalize().expect("page exists").display()
    )
}

use common::fixture;

/// Both ways a user meets the page.
fn both_pages() -> [(&'static str, String); 2] {
    [("http", http_url()), ("file", file_url(&single_file()))]
}

fn open(url: &str) -> Page {
    let mut page = Chromium::launch().new_page();
    page.open(url);
    page
}

/// What the page reported about the file it read: (bytes, lines).
fn reported_stats(page: &mut Page) -> (u64, u64) {
    page.wait_for("!!document.querySelector('#file-stats')");
    let stats = page
        .eval(
            "(() => { const e = document.querySelector('#file-stats'); \
             return [Number(e.dataset.bytes), Number(e.dataset.lines), e.textContent]; })()",
        )
        .unwrap();
    let text = stats[2].as_str().unwrap_or_default().to_string();
    let (bytes, lines) = (stats[0].as_u64().unwrap(), stats[1].as_u64().unwrap());
    assert!(
        text.contains(&bytes.to_string()) && text.contains(&lines.to_string()),
        "the visible text states the numbers: {text}"
    );
    (bytes, lines)
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_csv_dropped_on_the_page_is_measured() {
    let csv = fixture("small.csv");
    let expected_bytes = std::fs::metadata(&csv).unwrap().len();
    // small.csv: a header and two rows, the first ending in CRLF.
    for (how, url) in both_pages() {
        let mut page = open(&url);
        page.drop_file_on("#drop-zone", &csv);
        assert_eq!(reported_stats(&mut page), (expected_bytes, 3), "over {how}");
    }
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_csv_picked_with_the_file_input_is_measured() {
    let csv = fixture("small.csv");
    let expected_bytes = std::fs::metadata(&csv).unwrap().len();
    for (how, url) in both_pages() {
        let mut page = open(&url);
        page.set_input_file("#file-input", &csv);
        assert_eq!(reported_stats(&mut page), (expected_bytes, 3), "over {how}");
    }
}

/// A loopback listener that counts connections: anything reaching it left the page.
struct Probe {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Probe {
    fn start() -> Probe {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/probe", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().map_while(Result::ok) {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf);
            }
        });
        Probe { url, connections }
    }

    fn hits(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Tries to reach the probe from inside the page (fetch) and to run an injected inline script,
/// and returns what the browser reported: the violations, with the policy text the page runs
/// under.
fn try_to_escape(page: &mut Page, probe: &Probe) -> Value {
    page.eval(&format!(
        r#"(async () => {{
            const violations = [];
            document.addEventListener('securitypolicyviolation', (e) =>
                violations.push({{ directive: e.effectiveDirective, policy: e.originalPolicy }}));
            let fetchFailed = false;
            try {{ await fetch('{url}'); }} catch (_) {{ fetchFailed = true; }}
            const injected = document.createElement('script');
            injected.textContent = 'window.injectedRan = true;';
            document.body.appendChild(injected);
            await new Promise((r) => setTimeout(r, 300));
            return {{ fetchFailed, injectedRan: window.injectedRan === true, violations }};
        }})()"#,
        url = probe.url
    ))
    .expect("the probe script runs")
}

/// Splits a policy into directive → sources.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_string).collect()))
        })
        .collect()
}

fn sources<'a>(policy: &'a [(String, Vec<String>)], name: &str) -> &'a [String] {
    policy
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_slice())
        .unwrap_or_else(|| panic!("the policy has no {name}: {policy:?}"))
}

fn assert_strict(policy_text: &str, connect: &[&str]) {
    let policy = directives(policy_text);
    assert_eq!(sources(&policy, "default-src"), ["'none'"]);
    assert_eq!(sources(&policy, "connect-src"), connect);
    assert_eq!(sources(&policy, "form-action"), ["'none'"]);
    assert_eq!(sources(&policy, "base-uri"), ["'none'"]);
    assert_eq!(sources(&policy, "img-src"), ["data:"]);
    for source in sources(&policy, "script-src") {
        assert!(
            source.starts_with("'sha256-") || source == "'wasm-unsafe-eval'" || source == "'self'",
            "script-src allows {source}: {policy_text}"
        );
    }
}

/// Opens a page, tries to escape from it, and checks the browser stopped every attempt under
/// a strict policy whose connect-src is `connect`.
fn assert_contained(url: &str, connect: &[&str]) {
    let probe = Probe::start();
    let mut page = open(url);
    let outcome = try_to_escape(&mut page, &probe);
    assert_eq!(outcome["fetchFailed"], true, "{outcome}");
    assert_eq!(outcome["injectedRan"], false, "{outcome}");
    let violation = outcome["violations"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["directive"] == "connect-src"))
        .unwrap_or_else(|| panic!("no connect-src violation was reported: {outcome}"));
    assert_strict(violation["policy"].as_str().unwrap(), connect);
    assert_eq!(probe.hits(), 0, "a request reached the loopback probe");
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_single_file_runs_under_a_policy_that_forbids_every_connection() {
    assert_contained(&file_url(&single_file()), &["'none'"]);
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_served_page_may_reach_only_its_own_origin() {
    assert_contained(&http_url(), &["'self'"]);
}

/// The escape check must be able to fail: the same page without its policy does reach out.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_escape_check_catches_a_page_without_its_policy() {
    let html = std::fs::read_to_string(single_file()).unwrap();
    let start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("the single file has a CSP meta");
    let end = start + html[start..].find('>').unwrap() + 1;
    let dir = std::env::temp_dir().join(format!("clerk-dev2prod-nocsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let unprotected = dir.join("no-policy.html");
    std::fs::write(&unprotected, format!("{}{}", &html[..start], &html[end..])).unwrap();

    let probe = Probe::start();
    let mut page = open(&file_url(&unprotected));
    let outcome = try_to_escape(&mut page, &probe);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(outcome["injectedRan"], true, "{outcome}");
    assert!(
        probe.hits() > 0,
        "without a policy the fetch reaches the probe: {outcome}"
    );
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn no_request_leaves_the_page_during_a_full_use() {
    for (how, url) in both_pages() {
        let mut page = open(&url);
        page.set_input_file("#file-input", &fixture("small.csv"));
        reported_stats(&mut page);
        page.eval("document.querySelector('#lang-es').click()")
            .unwrap();
        page.wait_for("document.documentElement.lang === 'es'");
        page.eval("document.querySelector('#lang-en').click()")
            .unwrap();
        page.wait_for("document.documentElement.lang === 'en'");
        let requests = page.requests();
        assert!(!requests.is_empty(), "the page load itself is seen");
        for request in &requests {
            match how {
                // From disk the document itself is the only load.
                "file" => assert_eq!(request, &url, "over file://: {requests:?}"),
                _ => assert!(request.starts_with(&url), "over http: {requests:?}"),
            }
        }
    }
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_page_speaks_spanish_and_switches() {
    let mut page = open(&file_url(&single_file()));
    page.set_input_file("#file-input", &fixture("small.csv"));
    reported_stats(&mut page);
    page.eval("document.querySelector('#lang-es').click()")
        .unwrap();
    page.wait_for("document.documentElement.lang === 'es'");
    let text = page.eval("document.body.innerText").unwrap();
    let text = text.as_str().unwrap();
    assert!(text.contains("Suelta la exportación"), "{text}");
    assert!(text.contains("3 líneas"), "{text}");
    let pressed = page
        .eval("document.querySelector('#lang-es').getAttribute('aria-pressed')")
        .unwrap();
    assert_eq!(pressed, "true");
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_page_starts_in_the_browsers_language() {
    let mut page = Chromium::launch_with(&["--lang=es-AR", "--accept-lang=es-AR,es"]).new_page();
    page.open(&file_url(&single_file()));
    page.wait_for("document.documentElement.lang === 'es'");
    let heading = page
        .eval("document.querySelector('#drop-zone').innerText")
        .unwrap();
    assert!(heading.as_str().unwrap().contains("Suelta"), "{heading}");

    let mut page = Chromium::launch_with(&["--lang=fr-FR", "--accept-lang=fr-FR,fr"]).new_page();
    page.open(&file_url(&single_file()));
    let lang = page.eval("document.documentElement.lang").unwrap();
    assert_eq!(
        lang, "en",
        "a language the page does not speak falls back to English"
    );
}
