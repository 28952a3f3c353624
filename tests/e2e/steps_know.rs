//! What the steps know, the page shows; screen readers hear each result and the keyboard
//! skips the problem table; a bad file never replaces a good one in the verify step. One
//! test per point of issue #12 (6, 9 and the verify step's part of 2), on the single file.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::cdp::{Chromium, Page};
use super::wait_for_download;
use crate::common::{fixture, scratch};

fn open() -> Page {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    let mut page = Chromium::launch().new_page();
    page.open(&format!(
        "file://{}",
        single.canonicalize().unwrap().display()
    ));
    page
}

fn load(page: &mut Page, file: &Path) {
    page.set_input_file("#file-input", file);
    page.wait_for(
        "!!document.querySelector('#verdict') && !!document.querySelector('#download-zip')",
    );
}

fn strings(page: &mut Page, expression: &str) -> Vec<String> {
    serde_json::from_value(page.eval(expression).unwrap()).unwrap()
}

/// The count a headline gives before `word` ("3 problems", "1 problem").
fn count_before(text: &str, words: &[&str]) -> Option<usize> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    tokens.windows(2).find_map(|w| {
        words
            .iter()
            .any(|word| w[1].trim_end_matches([',', '.', ';', ':']) == *word)
            .then(|| w[0].replace([',', '.'], "").parse().ok())
            .flatten()
    })
}

/// Point 6: the settings' findings say what, how many users and which (each a way to their
/// rows), and the headline counts what is listed, in both languages; the key headline counts
/// what it lists and the table marks the keys at fault; verify shows every section
/// reconcile.md has; the SQL helper's tables are the user's; MIGRATION.md lists no services
/// it was not given.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn what_the_other_steps_know_the_page_shows() {
    let dir = scratch("steps-know");
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let mut page = open();
    page.allow_downloads(&downloads);
    load(&mut page, &fixture("exports/dashboard.csv"));

    // MIGRATION.md with no key file given: which services to check, none named as checked.
    let size: usize = page
        .eval("Number(document.querySelector('#download-MIGRATION-md').dataset.size)")
        .unwrap()
        .as_u64()
        .unwrap() as usize;
    page.eval("document.querySelector('#download-MIGRATION-md').click()")
        .unwrap();
    let runbook =
        String::from_utf8(wait_for_download(&downloads.join("MIGRATION.md"), size)).unwrap();
    assert!(
        runbook.contains("Not checked: no service's configuration was given"),
        "{runbook}"
    );
    for invented in ["Chat service", "WebSocket servers", "API gateway"] {
        assert!(!runbook.contains(invented), "{invented} in:\n{runbook}");
    }

    // Settings: each finding says what, how many and which users, and the headline's count
    // is the number of findings listed, in English and in Spanish.
    page.set_input_file("#instance-input", &fixture("instance/strict.json"));
    page.wait_for("document.querySelectorAll('#instance-findings > li').length > 0");
    for (lang, words) in [
        ("en", ["problem", "problems"]),
        ("es", ["problema", "problemas"]),
    ] {
        page.eval(&format!("document.querySelector('#lang-{lang}').click()"))
            .unwrap();
        page.wait_for(&format!("document.documentElement.lang === '{lang}'"));
        let listed = page
            .eval("document.querySelectorAll('#instance-findings > li').length")
            .unwrap()
            .as_u64()
            .unwrap() as usize;
        let verdict = page.text("#instance-verdict");
        assert_eq!(
            count_before(&verdict, &words),
            Some(listed),
            "{lang}: {verdict}"
        );
        for item in strings(
            &mut page,
            "Array.from(document.querySelectorAll('#instance-findings > li')).map(li => \
             li.dataset.count + '|' + li.querySelector('.finding-problem strong').innerText + '|' + \
             li.querySelectorAll('.finding-users a').length)",
        ) {
            let parts: Vec<&str> = item.split('|').collect();
            let count: usize = parts[0].parse().unwrap();
            assert!(
                parts[1].starts_with(&count.to_string()),
                "{lang}: says how many: {item}"
            );
            assert!(
                parts[1].split_whitespace().count() > 4,
                "{lang}: says what, not only a code: {item}"
            );
            assert_eq!(
                parts[2].parse::<usize>().unwrap(),
                count.min(10),
                "{lang}: names which: {item}"
            );
        }
    }
    page.eval("document.querySelector('#lang-en').click()")
        .unwrap();
    page.wait_for("document.documentElement.lang === 'en'");
    let user = page.text("#instance-findings .finding-users a");
    page.eval("document.querySelector('#instance-findings .finding-users a').click()")
        .unwrap();
    page.wait_for(&format!(
        "document.querySelector('#filter-search').value === {}",
        json!(user)
    ));
    let rows = page.text("#issues tbody");
    assert!(rows.contains(&user), "the user's rows: {rows}");

    // Keys: the headline counts every item listed, and the table marks the keys at fault.
    let keys = crate::common::fixture("keys");
    page.set_input_files(
        "#keys-input",
        &[
            &keys.join("one-on-test/frontend.env"),
            &keys.join("one-on-test/chat.env"),
            &keys.join("public-secret/spa.env"),
        ],
    );
    page.wait_for("!!document.querySelector('#keys-verdict')");
    let verdict = page.text("#keys-verdict");
    let listed = page
        .eval("document.querySelectorAll('#keys-findings li').length")
        .unwrap()
        .as_u64()
        .unwrap() as usize;
    let problems = count_before(&verdict, &["problem", "problems"]).unwrap_or(0);
    let warnings = count_before(&verdict, &["warning", "warnings"]).unwrap_or(0);
    assert_eq!(problems + warnings, listed, "{verdict}");
    let marked = strings(
        &mut page,
        "Array.from(document.querySelectorAll('#keys-table tbody tr')).map(tr => \
         tr.dataset.state + ' ' + tr.cells[1].innerText + ' ' + tr.cells[2].innerText)",
    );
    assert!(
        marked
            .iter()
            .any(|m| m.starts_with("error chat.env CLERK_SECRET_KEY")),
        "{marked:?}"
    );
    assert!(marked
        .iter()
        .all(|m| m.starts_with("error") || m.starts_with("warning") || m.starts_with("ok")));

    // Verify: every section reconcile.md has is on the page, with its list.
    let verify = |name: &str| fixture(&format!("reconcile/{name}"));
    page.set_input_file("#verify-dev-input", &verify("dev.csv"));
    page.set_input_file("#verify-prod-input", &verify("prod.json"));
    page.wait_for("!!document.querySelector('#verify-verdict')");
    page.set_input_file("#verify-logs-input", &verify("migration-2026-11-23.log"));
    page.set_input_file("#verify-db-input", &verify("db-ids.csv"));
    page.wait_for("!!document.querySelector('#verify-orphaned-section')");
    let cli_out = dir.join("cli");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(["reconcile", "--dev"])
        .arg(verify("dev.csv"))
        .arg("--prod")
        .arg(verify("prod.json"))
        .arg("--logs")
        .arg(verify("migration-2026-11-23.log"))
        .arg("--db-ids")
        .arg(verify("db-ids.csv"))
        .arg("--out")
        .arg(&cli_out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let md = std::fs::read_to_string(cli_out.join("reconcile.md")).unwrap();
    let sections: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert!(sections.len() >= 6, "{md}");
    for heading in sections {
        let on_page: &[&str] = match heading {
            "Missing in production" => &["#verify-missing-section tbody tr"],
            "Never imported (rejected when prepared)" => &["#verify-not-imported-list li"],
            "Database ids that belong to no user" => &["#verify-orphaned-list li"],
            "Production users that do not add up" => {
                &["#verify-strays-list li", "#verify-duplicates-list li"]
            }
            "Already in production, not linked" => &["#verify-not-linked-list li"],
            "Ids that cannot be mapped" => &["#verify-conflicts-list li"],
            "Read from the database" => &["#verify-database-table tbody tr"],
            "Fields that changed on the way" => &["#verify-drift-table tbody tr"],
            "Your database: keep the dev ids, or rewrite them once" => &["#verify-strategies li"],
            other => panic!("reconcile.md has a section the test does not know: {other}"),
        };
        for selector in on_page {
            assert!(
                page.eval(&format!(
                    "document.querySelectorAll({}).length > 0",
                    json!(selector)
                ))
                .unwrap()
                    == Value::Bool(true),
                "{heading}: nothing at {selector}"
            );
        }
    }
    let stray = page.text("#verify-strays-list");
    assert!(
        stray.contains("user_2pZ") && stray.contains("user_zzz"),
        "{stray}"
    );
    assert!(page.text("#verify-duplicates-list").contains("user_2pA2"));

    // The SQL helper: the user's tables; the example only when asked for.
    page.eval("document.querySelector('#verify-sql-helper').open = true")
        .unwrap();
    assert!(page
        .eval("!document.body.innerText.includes('user_screener_templates')")
        .unwrap()
        .as_bool()
        .unwrap());
    assert!(page
        .eval("!!document.querySelector('#verify-sql-none')")
        .unwrap()
        .as_bool()
        .unwrap());
    page.eval(
        "(() => { const a = document.querySelector('#verify-sql-columns'); \
         a.value = 'notes\\napp.prefs.owner_id'; \
         a.dispatchEvent(new InputEvent('input', {bubbles: true})); })()",
    )
    .unwrap();
    page.wait_for("!!document.querySelector('#verify-sql')");
    let sql = page.text("#verify-sql");
    assert!(
        sql.contains("FROM \"notes\"")
            && sql.contains("\"app\".\"prefs\"")
            && sql.contains("\"owner_id\""),
        "{sql}"
    );
    page.eval("document.querySelector('#verify-sql-example').click()")
        .unwrap();
    page.wait_for("document.querySelector('#verify-sql').innerText.includes('user_preferences')");
    let _ = std::fs::remove_dir_all(dir);
}

/// Point 9: each step's result is announced, every file picker and drop box has a name of
/// its own, and a skip link reaches the downloads past the problem table.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn results_are_announced_and_the_keyboard_skips_the_table() {
    let mut page = open();
    let live = page
        .eval("(() => { const a = document.querySelector('#announcer'); return a ? [a.getAttribute('role'), a.getAttribute('aria-live'), a.innerText.trim()] : null; })()")
        .unwrap();
    assert_eq!(
        live,
        json!(["status", "polite", ""]),
        "an empty live region from the start"
    );
    load(&mut page, &fixture("exports/every-problem.csv"));
    let verdict = page.text("#verdict");
    page.wait_for(&format!(
        "document.querySelector('#announcer').innerText.includes({})",
        json!(verdict)
    ));
    assert!(page.text("#announcer").starts_with("Step 2."));
    page.set_input_files("#keys-input", &[&fixture("keys/one-on-test/chat.env")]);
    page.wait_for("!!document.querySelector('#keys-verdict')");
    let keys = page.text("#keys-verdict");
    page.wait_for(&format!(
        "document.querySelector('#announcer').innerText === {}",
        json!(format!("Step 1. Switch the keys: {keys}"))
    ));

    // Every picker and drop box, by the name a screen reader reads.
    page.call("Accessibility.enable", json!({})).unwrap();
    let tree = page.call("Accessibility.getFullAXTree", json!({})).unwrap();
    let named = |role: &str, starts: &[&str]| -> Vec<String> {
        tree["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["role"]["value"] == role && n["ignored"] != true)
            .filter_map(|n| n["name"]["value"].as_str().map(str::to_string))
            .filter(|name| starts.iter().any(|s| name.to_lowercase().starts_with(s)))
            .collect()
    };
    let pickers = named("button", &["choose a file", "choose files"]);
    assert!(pickers.len() >= 8, "{pickers:?}");
    let mut distinct = pickers.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), pickers.len(), "{pickers:?}");
    let groups = named("group", &["drop"]);
    assert!(groups.len() >= 6, "{groups:?}");
    let mut distinct = groups.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), groups.len(), "{groups:?}");

    // The skip link comes before the table's row buttons and lands on the downloads: one
    // Tab from there is the first file.
    let before = page
        .eval("!!(document.querySelector('#skip-to-downloads').compareDocumentPosition(document.querySelector('#issues button')) & Node.DOCUMENT_POSITION_FOLLOWING)")
        .unwrap();
    assert_eq!(before, Value::Bool(true));
    page.eval("document.querySelector('#skip-to-downloads').focus()")
        .unwrap();
    let key = |page: &mut Page, key: &str, code: u32| {
        for kind in ["keyDown", "keyUp"] {
            page.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code, "text": if key == "Enter" && kind == "keyDown" { "\r" } else { "" } }),
            )
            .unwrap();
        }
    };
    let visible = page
        .eval("getComputedStyle(document.querySelector('#skip-to-downloads')).position")
        .unwrap();
    assert_eq!(visible, "static", "the focused skip link is shown");
    key(&mut page, "Enter", 13);
    page.wait_for("document.activeElement && document.activeElement.id === 'downloads-heading'");
    key(&mut page, "Tab", 9);
    page.wait_for("document.activeElement && document.activeElement.id === 'download-zip'");
}

/// Point 2, in the verify step: a file that is not what an input takes never replaces the
/// one in use; the page says why, and the result stays.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_bad_verify_file_keeps_the_good_one() {
    let dir = scratch("verify-bad");
    let mut page = open();
    let verify = |name: &str| fixture(&format!("reconcile/{name}"));
    load(&mut page, &verify("dev.csv"));
    page.set_input_file("#verify-prod-input", &verify("prod.json"));
    page.wait_for("!!document.querySelector('#verify-verdict')");
    page.set_input_file("#verify-db-input", &verify("db-ids.csv"));
    page.wait_for("!!document.querySelector('#verify-orphaned')");
    let verdict = page.text("#verify-verdict");

    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    page.set_input_file("#verify-prod-input", &broken);
    page.wait_for("!!document.querySelector('#verify-prod-refused')");
    let said = page.text("#verify-prod-refused");
    assert!(
        said.starts_with("broken.json was not used:")
            && said.ends_with("prod.json is still in use."),
        "{said}"
    );
    assert_eq!(page.text("#verify-verdict"), verdict, "the result stays");
    assert!(
        page.eval("!document.querySelector('#verify-error')")
            .unwrap()
            == true
    );

    // The production export given as the database's ids: refused, the ids stay.
    page.set_input_file("#verify-db-input", &verify("prod.json"));
    page.wait_for("!!document.querySelector('#verify-db-refused')");
    assert!(page
        .text("#verify-db-refused")
        .contains("db-ids.csv is still in use"));
    assert_eq!(page.text("#verify-verdict"), verdict);
    assert_eq!(
        page.eval("Number(document.querySelector('#verify-orphaned').dataset.value)")
            .unwrap(),
        json!(3)
    );

    // A text that is no log is not taken as one.
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "Dear team,\nplease migrate.\n").unwrap();
    page.set_input_file("#verify-logs-input", &notes);
    page.wait_for("!!document.querySelector('#verify-logs-refused')");
    assert!(page.text("#verify-logs-refused").contains("migration tool"));
    let dev_export = dir.join("empty.csv");
    std::fs::write(&dev_export, "id,primary_email_address\n").unwrap();
    page.set_input_file("#verify-dev-input", &dev_export);
    page.wait_for("!!document.querySelector('#verify-dev-refused')");
    assert!(page
        .text("#verify-dev-refused")
        .contains("dev.csv is still in use"));
    assert_eq!(page.text("#verify-verdict"), verdict);
    let _ = std::fs::remove_dir_all(dir);
}
