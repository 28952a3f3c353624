//! The page walked from prepare to verify, with the files of the reconcile fixtures.

use std::path::PathBuf;

use super::cdp::Chromium;
use super::wait_for_download;

fn fixture(name: &str) -> PathBuf {
    crate::common::fixture(&format!("reconcile/{name}"))
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn prepare_then_verify() {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    let url = format!("file://{}", single.canonicalize().unwrap().display());
    let cli_out =
        std::env::temp_dir().join(format!("clerk-dev2prod-e2e-verify-{}", std::process::id()));
    let downloads = cli_out.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(["reconcile", "--dev"])
        .arg(fixture("dev.csv"))
        .arg("--prod")
        .arg(fixture("prod.json"))
        .arg("--logs")
        .arg(fixture("migration-2026-11-23.log"))
        .arg("--db-ids")
        .arg(fixture("db-ids.csv"))
        .arg("--out")
        .arg(&cli_out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));

    let mut page = Chromium::launch().new_page();
    page.open(&url);
    page.allow_downloads(&downloads);
    // Prepare: the dev export.
    page.set_input_file("#file-input", &fixture("dev.csv"));
    page.wait_for("!!document.querySelector('#verdict')");
    // Verify: the production export, then the logs and the database ids.
    // The production export arrives by a drag from outside the browser onto its own zone,
    // which must take it instead of the page's export drop.
    page.drop_file_on("#verify-prod-drop", &fixture("prod.json"));
    page.wait_for("!!document.querySelector('#verify-verdict')");
    assert!(
        page.text("#file-stats").contains("dev.csv"),
        "the export of the prepare step stays"
    );
    page.set_input_file("#verify-logs-input", &fixture("migration-2026-11-23.log"));
    page.set_input_file("#verify-db-input", &fixture("db-ids.csv"));
    page.wait_for("!!document.querySelector('#verify-orphaned')");
    let figure = |page: &mut super::cdp::Page, id: &str| {
        page.eval(&format!(
            "Number(document.querySelector('#{id}').dataset.value)"
        ))
        .unwrap()
        .as_u64()
        .unwrap()
    };
    assert_eq!(figure(&mut page, "verify-matched"), 2);
    assert_eq!(
        figure(&mut page, "verify-not-linked"),
        1,
        "Hedy signed up in production first"
    );
    assert_eq!(figure(&mut page, "verify-missing"), 2);
    assert_eq!(figure(&mut page, "verify-not-imported"), 1);
    assert_eq!(figure(&mut page, "verify-orphaned"), 3);
    let missing = page.text("#verify-missing-table tbody");
    assert!(
        missing.starts_with("user_c"),
        "the user with data comes first: {missing}"
    );
    assert!(missing.contains("form_identifier_exists"), "{missing}");

    for file in [
        "reconcile.md",
        "reconcile.json",
        "retry-users.json",
        "link-existing.csv",
        "link-existing.sh",
        "id-map.csv",
    ] {
        page.eval(&format!(
            "document.querySelector('#download-{}').click()",
            file.replace('.', "-")
        ))
        .unwrap();
        let written = std::fs::read(cli_out.join(file)).unwrap();
        let path = downloads.join(file);
        let downloaded = wait_for_download(&path, written.len());
        assert!(downloaded == written, "{file} differs from the CLI's");
    }
    let _ = std::fs::remove_dir_all(cli_out);
}

/// Screenshots of the key and verify steps, for people to look at: target/screenshots/.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn screenshots_of_keys_and_verify() {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    let url = format!("file://{}", single.canonicalize().unwrap().display());
    let keys = crate::common::fixture("keys");
    let mut page = Chromium::launch().new_page();
    page.open(&url);
    page.set_input_file("#file-input", &fixture("dev.csv"));
    page.wait_for("!!document.querySelector('#verdict')");
    let frontend = keys.join("one-on-test/frontend.env");
    let chat = keys.join("one-on-test/chat.env");
    page.set_input_files("#keys-input", &[&frontend, &chat]);
    page.wait_for("!!document.querySelector('#keys-verdict')");
    // The production export arrives by a drag from outside the browser onto its own zone,
    // which must take it instead of the page's export drop.
    page.set_input_file("#verify-prod-input", &fixture("prod.json"));
    page.wait_for("!!document.querySelector('#verify-verdict')");
    let out = crate::common::root().join("target/screenshots/keys-and-verify-en-light.png");
    page.screenshot(&out);
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);
}
