//! The prepare step in the page: real files given to the built page in headless Chromium,
//! over http and from disk.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::cdp::{Chromium, Page};
use super::wait_for_download;
use crate::common::scratch;

const NEEDS: &str = "needs the built page and Chromium: run `cargo xtask test`";

fn both_pages() -> [(&'static str, String); 2] {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect(NEEDS));
    [
        ("http", std::env::var("E2E_HTTP_URL").expect(NEEDS)),
        (
            "file",
            format!("file://{}", single.canonicalize().unwrap().display()),
        ),
    ]
}

fn fixture(name: &str) -> PathBuf {
    crate::common::fixture(&format!("exports/{name}"))
}

fn open(url: &str) -> Page {
    let mut page = Chromium::launch().new_page();
    page.open(url);
    page
}

/// Picks a file and waits for the engine's verdict (or its refusal).
fn load(page: &mut Page, file: &Path) {
    page.set_input_file("#file-input", file);
    page.wait_for(
        "!!document.querySelector('#verdict') || !!document.querySelector('#input-error')",
    );
}

fn count(page: &mut Page, id: &str) -> u64 {
    page.eval(&format!(
        "Number(document.querySelector('#{id}').dataset.value)"
    ))
    .unwrap()
    .as_u64()
    .unwrap()
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_sample_with_every_problem_is_summarised_and_listed() {
    for (how, url) in both_pages() {
        let mut page = open(&url);
        load(&mut page, &fixture("every-problem.csv"));
        assert_eq!(count(&mut page, "count-rows"), 28, "{how}");
        assert_eq!(count(&mut page, "count-accepted"), 11, "{how}");
        assert_eq!(count(&mut page, "count-rejected"), 17, "{how}");
        assert_eq!(count(&mut page, "count-without-password"), 9, "{how}");
        assert!(page.text("#verdict").contains("rejected"), "{how}");
        let duplicate = page.text("#issues tr[data-code='duplicate_email']");
        assert!(
            duplicate.contains("user_dupemail") && duplicate.contains("row 2"),
            "{how}: {duplicate}"
        );
        let hasher = page.text("#issues tr[data-code='unknown_hasher']");
        assert!(
            hasher.contains("aborts the migration tool's whole run"),
            "{how}: {hasher}"
        );

        // Filtering by severity and searching narrow the table.
        page.eval("(() => { const s = document.querySelector('#filter-severity'); s.value = 'error'; s.dispatchEvent(new Event('change', {bubbles: true})); })()").unwrap();
        page.wait_for("document.querySelector('#issues-range') && document.querySelector('#issues-range').dataset.total === '17'");
        page.eval("(() => { const i = document.querySelector('#filter-search'); i.value = 'user_badphone'; i.dispatchEvent(new InputEvent('input', {bubbles: true})); })()").unwrap();
        page.wait_for("document.querySelectorAll('#issues tbody tr').length === 1");
        assert!(page.text("#issues tbody tr").contains("invalid_phone"));
    }
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn unverified_addresses_are_imported_only_when_the_user_ticks_the_box() {
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    load(&mut page, &fixture("every-problem.csv"));
    // By default the user whose only address is unverified is rejected, and it says why.
    assert_eq!(count(&mut page, "count-rejected"), 17);
    let only = page.text("#issues tr[data-code='only_unverified_identifiers']");
    assert!(
        only.contains("created verified") || only.contains("create the first of them verified"),
        "{only}"
    );
    assert!(page
        .text("#issues tr[data-code='unverified_left_out']")
        .contains("old-mixed@example.com"));
    assert!(!page.text("#keep-unverified-hint").is_empty());
    page.eval("document.querySelector('#keep-unverified').click()")
        .unwrap();
    page.wait_for("document.querySelector('#count-rejected') && document.querySelector('#count-rejected').dataset.value === '16'");
    let promoted = page.text("#issues tr[data-code='unverified_made_verified']");
    assert!(promoted.contains("unverified@example.com"), "{promoted}");
    // Unticked, the export is prepared as before.
    page.eval("document.querySelector('#keep-unverified').click()")
        .unwrap();
    page.wait_for("document.querySelector('#count-rejected') && document.querySelector('#count-rejected').dataset.value === '17'");
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_built_in_sample_shows_every_kind_of_problem() {
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    page.eval("document.querySelector('#try-sample').click()")
        .unwrap();
    page.wait_for("!!document.querySelector('#verdict')");
    assert_eq!(count(&mut page, "count-rows"), 28);
    assert_eq!(count(&mut page, "count-rejected"), 17);
    let kinds = page
        .eval("Array.from(document.querySelectorAll('#filter-code option')).length - 1")
        .unwrap();
    assert!(kinds.as_u64().unwrap() >= 25, "kinds offered: {kinds}");
    assert!(page.text("#file-stats").contains("sample-export.csv"));
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn every_download_is_byte_identical_to_the_cli_output() {
    for name in ["every-problem.csv", "dashboard.csv", "backend-api.json"] {
        let cli_out = scratch(&format!("cli-{name}"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .env_remove("DATABASE_URL")
            .args([
                "prepare",
                fixture(name).to_str().unwrap(),
                "--out",
                cli_out.to_str().unwrap(),
            ])
            .status()
            .unwrap();
        assert!(status.code() == Some(0) || status.code() == Some(1));
        for (how, url) in both_pages() {
            let downloads = scratch(&format!("dl-{how}-{name}"));
            let mut page = open(&url);
            page.allow_downloads(&downloads);
            load(&mut page, &fixture(name));
            for file in [
                "users.json",
                "users.csv",
                "rejected.csv",
                "report.json",
                "session-claims.json",
                "MIGRATION.md",
            ] {
                let button = format!("#download-{}", file.replace('.', "-"));
                page.eval(&format!("document.querySelector('{button}').click()"))
                    .unwrap();
                let path = downloads.join(file);
                let written = std::fs::read(cli_out.join(file)).unwrap();
                let downloaded = wait_for_download(&path, written.len());
                if downloaded != written {
                    let at = downloaded
                        .iter()
                        .zip(&written)
                        .take_while(|(a, b)| a == b)
                        .count();
                    let show = |b: &[u8]| {
                        String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 80).min(b.len())])
                            .into_owned()
                    };
                    panic!(
                        "{how}: {name} → {file} differs from the CLI's at byte {at} ({} vs {} bytes)\n--- page\n{}\n--- cli\n{}",
                        downloaded.len(),
                        written.len(),
                        show(&downloaded),
                        show(&written)
                    );
                }
            }
            // The zip holds the same six files, byte for byte.
            page.eval("document.querySelector('#download-zip').click()")
                .unwrap();
            let zip_path = downloads.join("clerk-migration.zip");
            let deadline = Instant::now() + Duration::from_secs(20);
            while !zip_path.is_file() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            // A zip is complete once its end-of-central-directory record is there.
            let zipped = loop {
                let bytes = std::fs::read(&zip_path).unwrap_or_else(|_| panic!("{how}: no zip"));
                if bytes.windows(4).any(|w| w == b"PK\x05\x06") || Instant::now() > deadline {
                    break bytes;
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
            assert_eq!(archive.len(), 6, "{how}");
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).unwrap();
                let mut unzipped = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut unzipped).unwrap();
                let written = std::fs::read(cli_out.join(entry.name())).unwrap();
                assert!(
                    unzipped == written,
                    "{how}: {name} → zip's {} differs",
                    entry.name()
                );
            }
            let _ = std::fs::remove_dir_all(downloads);
        }
        let _ = std::fs::remove_dir_all(cli_out);
    }
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_spreadsheet_resave_and_a_json_export_are_read() {
    let dir = scratch("resave");
    let original = std::fs::read_to_string(fixture("dashboard.csv")).unwrap();
    let mut resaved = b"\xEF\xBB\xBF".to_vec();
    let mut quoted = false;
    for c in original.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                resaved.push(b'"')
            }
            ',' if !quoted => resaved.push(b';'),
            '\n' if !quoted => resaved.extend_from_slice(b"\r\n"),
            _ => resaved.extend_from_slice(c.to_string().as_bytes()),
        }
    }
    let path = dir.join("excel.csv");
    std::fs::write(&path, resaved).unwrap();
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    load(&mut page, &path);
    assert_eq!(count(&mut page, "count-accepted"), 5);
    let notices = page.text("#notices");
    assert!(
        notices.contains("byte-order mark") && notices.contains("separated by \";\""),
        "{notices}"
    );
    load(&mut page, &fixture("backend-api.json"));
    page.wait_for("document.querySelector('#count-rows') && document.querySelector('#count-rows').dataset.value === '2'");
    assert!(page.text("#issues").contains("password_not_in_export"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_wrong_file_gets_a_clear_message_and_the_page_stays_usable() {
    let dir = scratch("wrong");
    let png = dir.join("photo.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();
    let other = dir.join("auth0.csv");
    std::fs::write(&other, "user_id,email,name\nauth0|1,a@example.com,A\n").unwrap();
    for (how, url) in both_pages() {
        let mut page = open(&url);
        load(&mut page, &png);
        assert!(page.text("#input-error").contains("PNG image"), "{how}");
        load(&mut page, &other);
        page.wait_for("document.querySelector('#input-error') && document.querySelector('#input-error').innerText.includes('no id column')");
        assert!(page.text("#input-error").contains("user_id, email, name"));
        load(&mut page, &fixture("dashboard.csv"));
        page.wait_for("!!document.querySelector('#verdict')");
        assert!(page.text("#verdict").contains("zero failures"), "{how}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn names_with_markup_render_as_text_and_nothing_runs() {
    let dir = scratch("xss");
    let export = dir.join("xss.csv");
    std::fs::write(
        &export,
        "id,first_name,last_name,primary_email_address\n\
         user_x1,<script>window.pwned=1</script>,<img src=x onerror=\"window.pwned=2\">,x1@example.com\n\
         \"<svg onload=window.pwned=3>\",A,B,not-an-email<b>\n",
    )
    .unwrap();
    for (how, url) in both_pages() {
        let mut page = open(&url);
        load(&mut page, &export);
        let table = page.text("#issues");
        assert!(
            table.contains("<script>window.pwned=1</script>"),
            "{how}: {table}"
        );
        assert!(
            table.contains("<img src=x onerror=\"window.pwned=2\">"),
            "{how}"
        );
        assert!(table.contains("<svg onload=window.pwned=3>"), "{how}");
        std::thread::sleep(Duration::from_millis(300));
        let pwned = page.eval("typeof window.pwned").unwrap();
        assert_eq!(pwned, "undefined", "{how}: injected markup ran");
        let injected = page
            .eval("document.querySelectorAll('main script, main img, main svg').length")
            .unwrap();
        assert_eq!(injected, 0, "{how}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_claim_name_is_checked_and_reaches_the_snippet() {
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    load(&mut page, &fixture("dashboard.csv"));
    let type_name = |page: &mut Page, name: &str| {
        page.eval(&format!(
            "(() => {{ const i = document.querySelector('#claim-name'); i.value = '{name}'; i.dispatchEvent(new InputEvent('input', {{bubbles: true}})); }})()"
        ))
        .unwrap();
    };
    type_name(&mut page, "sub");
    page.wait_for("document.querySelector('#claim-error').innerText.includes('reserved')");
    assert!(
        !page.text("#claims-snippet").contains("\"userId\""),
        "no silent fallback"
    );
    type_name(&mut page, "devUserId");
    page.wait_for("document.querySelector('#claims-snippet').innerText.includes('devUserId')");
    assert_eq!(page.text("#claim-error"), "");
}

/// Screenshots in both languages and both themes, for people to look at: target/screenshots/.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn screenshots_in_both_languages_and_themes() {
    let out = crate::common::root().join("target/screenshots");
    let (_, url) = &both_pages()[1];
    for scheme in ["light", "dark"] {
        let mut page = open(url);
        page.prefer_color_scheme(scheme);
        load(&mut page, &fixture("every-problem.csv"));
        for lang in ["en", "es"] {
            page.eval(&format!("document.querySelector('#lang-{lang}').click()"))
                .unwrap();
            page.wait_for(&format!("document.documentElement.lang === '{lang}'"));
            let background = page
                .eval("getComputedStyle(document.body).backgroundColor")
                .unwrap();
            let dark = background != "rgb(251, 251, 253)";
            assert_eq!(dark, scheme == "dark", "{scheme}: {background}");
            let path = out.join(format!("prepare-{lang}-{scheme}.png"));
            page.screenshot(&path);
            assert!(std::fs::metadata(&path).unwrap().len() > 10_000);
        }
    }
}

/// Drops a generated export and returns (milliseconds from input to summary, the longest
/// main-thread task in milliseconds), both measured inside the page.
pub fn time_to_summary(page: &mut Page, users: usize) -> (f64, f64) {
    let dir = scratch(&format!("load-{users}"));
    let path = dir.join(format!("generated-{users}.csv"));
    std::fs::write(&path, clerk_dev2prod::core::synth::dashboard_csv(users, 7)).unwrap();
    page.eval(
        "window.longTasks = []; \
         new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); }) \
             .observe({ type: 'longtask', buffered: false }); \
         window.loadStarted = null; \
         document.querySelector('#file-input').addEventListener('change', () => { window.loadStarted = performance.now(); }, { once: true }); \
         new MutationObserver((_, observer) => { \
             const verdict = document.querySelector('#verdict'); \
             if (verdict && window.loadStarted !== null) { window.loadDone = performance.now(); observer.disconnect(); } \
         }).observe(document.body, { childList: true, subtree: true }); 0",
    )
    .unwrap();
    page.set_input_file("#file-input", &path);
    let deadline = Instant::now() + Duration::from_secs(120);
    while page.eval("typeof window.loadDone === 'number'").unwrap() != true {
        assert!(
            Instant::now() < deadline,
            "no summary for {users} users within 120 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let elapsed = page
        .eval("window.loadDone - window.loadStarted")
        .unwrap()
        .as_f64()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let longest = page
        .eval("window.longTasks.reduce((a, b) => Math.max(a, b), 0)")
        .unwrap()
        .as_f64()
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
    (elapsed, longest)
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn timed_a_100k_user_export_never_blocks_the_page_for_200_ms() {
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    let (elapsed, longest) = time_to_summary(&mut page, 100_000);
    assert_eq!(count(&mut page, "count-accepted"), 100_000);
    eprintln!(
        "100k users: summary after {elapsed:.0} ms; longest main-thread task {longest:.0} ms"
    );
    assert!(longest < 200.0, "a main-thread task took {longest:.0} ms");
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_rows_record_is_shown_with_its_secrets_masked() {
    let (_, url) = &both_pages()[1];
    let mut page = open(url);
    load(&mut page, &fixture("every-problem.csv"));
    // Row 18: accepted, with an md5 digest (a warning); row 16: rejected, digest of the wrong shape.
    page.eval("document.querySelector('#issues tr[data-row=\"18\"] .row-link').click()")
        .unwrap();
    page.wait_for("!!document.querySelector('#row-detail-json')");
    let detail = page.text("#row-detail");
    assert!(
        detail.contains("user_md5") && detail.contains("•••• (32 characters)"),
        "{detail}"
    );
    assert!(page
        .text("#row-detail-json")
        .contains("\"passwordHasher\": \"md5\""));
    page.eval("document.querySelector('#issues tr[data-row=\"16\"] .row-link').click()")
        .unwrap();
    page.wait_for("document.querySelector('#row-detail-heading').innerText.endsWith('16')");
    assert!(page.text("#row-detail").contains("Not imported"));
    let html = page.eval("document.documentElement.outerHTML").unwrap();
    let html = html.as_str().unwrap();
    assert!(
        !html.contains("5f4dcc3b5aa765d61d8327deb882cf99"),
        "a digest reached the page"
    );
    assert!(
        !html.contains("N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
        "a digest reached the page"
    );
    page.eval("document.querySelector('#row-detail-close').click()")
        .unwrap();
    page.wait_for("!document.querySelector('#row-detail')");
}

/// Not a check: the measurement `cargo xtask bench` prints (`cargo xtask test` skips it).
/// Drop to summary in the single file, for each size in BENCH_BROWSER_SIZES.
#[test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
fn bench_drop_to_summary() {
    let sizes: Vec<usize> = std::env::var("BENCH_BROWSER_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let (_, url) = &both_pages()[1];
    println!(
        "{:>9} {:>16} {:>22}",
        "users", "drop→summary ms", "longest task ms"
    );
    for users in sizes {
        // A fresh tab for each size, as a user would open it.
        let mut page = open(url);
        let (elapsed, longest) = time_to_summary(&mut page, users);
        assert_eq!(count(&mut page, "count-accepted"), users as u64);
        println!("{users:>9} {elapsed:>16.0} {longest:>22.0}");
    }
}
