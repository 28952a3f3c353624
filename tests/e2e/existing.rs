//! Users who already exist in production, in the page: the production export given, the
//! people found, and the link files byte for byte the command line's.

use std::path::PathBuf;
use std::process::Command;

use super::cdp::Chromium;
use super::wait_for_download;

use crate::common::{fixture, scratch};

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn users_already_in_production_are_found_and_linked() {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    let mut page = Chromium::launch().new_page();
    let downloads = scratch("existing-downloads");
    page.open(&format!(
        "file://{}",
        single.canonicalize().unwrap().display()
    ));
    page.allow_downloads(&downloads);
    page.set_input_file("#file-input", &fixture("exports/dashboard.csv"));
    page.wait_for("!!document.querySelector('#verdict')");
    assert!(page
        .text("#existing-not-checked")
        .contains("Not checked yet"));
    assert_eq!(
        page.eval("!!document.querySelector('#download-link-existing-sh')")
            .unwrap(),
        serde_json::json!(false),
        "no link files before the check"
    );

    page.set_input_file("#existing-input", &fixture("production/before-import.json"));
    page.wait_for("document.querySelector('#existing-found') && document.querySelector('#existing-found').dataset.count === '4'");
    let list = page.text("#existing-list");
    for expected in ["user_2aXk1", "user_p1Ada", "user_2aXk4", "user_p3GraceH"] {
        assert!(list.contains(expected), "{expected}: {list}");
    }
    // The list holds the ambiguous user too: the headline counts it apart, so its number and
    // the list agree.
    let items = page
        .eval("document.querySelectorAll('#existing-list li').length")
        .unwrap();
    assert_eq!(items, serde_json::json!(5), "{list}");
    let headline = page.text("#existing-found");
    assert!(
        headline.contains("4 already in production")
            && headline.contains("1 more matches more than one production user"),
        "{headline}"
    );

    // The same files as `prepare --production-users`.
    let cli_out = scratch("existing-cli");
    let status = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .arg("prepare")
        .arg(fixture("exports/dashboard.csv"))
        .arg("--production-users")
        .arg(fixture("production/before-import.json"))
        .arg("--out")
        .arg(&cli_out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "Grace is rejected as ambiguous");
    for file in [
        "link-existing.csv",
        "link-existing.sh",
        "link-existing.sql",
        "users.json",
        "MIGRATION.md",
    ] {
        page.eval(&format!(
            "document.querySelector('#download-{}').click()",
            file.replace('.', "-")
        ))
        .unwrap();
        let written = std::fs::read(cli_out.join(file)).unwrap();
        let path = downloads.join(file);
        let downloaded = wait_for_download(&path, written.len());
        assert!(
            downloaded == written,
            "{file} differs from the command line's"
        );
    }
}
