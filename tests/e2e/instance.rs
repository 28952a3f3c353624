//! The production instance's settings in the page.

use std::path::PathBuf;

use super::cdp::Chromium;

use crate::common::fixture;

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_export_is_checked_against_the_instance_settings() {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    let mut page = Chromium::launch().new_page();
    page.open(&format!(
        "file://{}",
        single.canonicalize().unwrap().display()
    ));
    page.set_input_file("#file-input", &fixture("exports/dashboard.csv"));
    page.wait_for("!!document.querySelector('#verdict')");
    assert!(page
        .text("#instance-not-checked")
        .contains("password-only sign-in"));
    assert!(page.text("#instance-link").contains("<frontend API host>"));

    // A live key names the host whose settings to fetch.
    page.set_input_files("#keys-input", &[&fixture("keys/all-live/frontend.env")]);
    page.wait_for(
        "document.querySelector('#instance-link').innerText.includes('clerk.example-shop.com')",
    );
    assert_eq!(
        page.text("#instance-link"),
        "https://clerk.example-shop.com/v1/environment"
    );

    page.set_input_file("#instance-input", &fixture("instance/strict.json"));
    page.wait_for(
        "!!document.querySelector('#instance-findings li[data-code=\"instance_username_rules\"]')",
    );
    let findings: Vec<(String, String)> = serde_json::from_value(
        page.eval("Array.from(document.querySelectorAll('#instance-findings > li')).map(li => [li.dataset.code, li.dataset.count])")
            .unwrap(),
    )
    .unwrap();
    let findings: Vec<(&str, &str)> = findings
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        findings,
        [
            ("instance_phone_off", "2"),
            ("instance_requires_name", "1"),
            ("instance_username_rules", "1")
        ]
    );
    assert!(page
        .text("#instance-findings")
        .contains("User & authentication"));
    page.wait_for("document.querySelector('#count-rejected').dataset.value === '2'");

    // A file that is not an environment document is refused; the page stays usable.
    page.set_input_file("#instance-input", &fixture("exports/backend-api.json"));
    page.wait_for("!!document.querySelector('#instance-error')");
    assert!(page.text("#instance-error").contains("/v1/environment"));
}
