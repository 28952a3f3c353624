//! The key switch in the page: several config files at once, and a pasted one.

use std::path::PathBuf;

use super::cdp::Chromium;
use crate::common::fixture_secrets as secrets;

fn key_fixture(case: &str, name: &str) -> PathBuf {
    crate::common::fixture(&format!("keys/{case}/{name}"))
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn three_services_are_checked_and_no_secret_reaches_the_page() {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    for url in [
        std::env::var("E2E_HTTP_URL").expect("run `cargo xtask test`"),
        format!("file://{}", single.canonicalize().unwrap().display()),
    ] {
        let mut page = Chromium::launch().new_page();
        page.open(&url);
        let frontend = key_fixture("one-on-test", "frontend.env");
        let chat = key_fixture("one-on-test", "chat.env");
        let gateway = key_fixture("mixed", "gateway.env");
        page.set_input_files("#keys-input", &[&frontend, &chat, &gateway]);
        page.wait_for("!!document.querySelector('#keys-verdict')");
        let findings: Vec<String> = serde_json::from_value(
            page.eval("Array.from(document.querySelectorAll('#keys-findings li')).map(li => li.dataset.code + ' ' + li.innerText)")
                .unwrap(),
        )
        .unwrap();
        let codes: Vec<&str> = findings
            .iter()
            .map(|f| f.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["test_key_left", "test_key_left", "mixed_pair"],
            "{url}: {findings:?}"
        );
        assert!(
            findings[0].contains("chat.env, line 1, CLERK_SECRET_KEY"),
            "{findings:?}"
        );
        assert!(page.text("#keys-verdict").contains("3 problems to fix"));
        let table = page.text("#keys-table");
        assert!(
            table.contains("sk_test_…") && table.contains("clerk.example-shop.com"),
            "{table}"
        );

        // A pasted configuration joins them; the text box is emptied once it is read.
        page.eval(
            "document.querySelector('#keys-paste').value = 'CLERK_SECRET_KEY=sk_live_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8cB7aA'; \
             document.querySelector('#keys-service').value = 'worker.env'; \
             document.querySelector('#keys-check').click()",
        )
        .unwrap();
        page.wait_for("document.querySelector('#keys-table').innerText.includes('worker.env')");
        assert_eq!(
            page.eval("document.querySelector('#keys-paste').value")
                .unwrap(),
            ""
        );

        let html = page.eval("document.documentElement.outerHTML").unwrap();
        let html = html.as_str().unwrap();
        for secret in secrets() {
            assert!(
                !html.contains(&secret[8..20]),
                "{url}: a secret key reached the page"
            );
        }
        page.eval("document.querySelector('#keys-clear').click()")
            .unwrap();
        page.wait_for("!document.querySelector('#keys-table')");
    }
}
