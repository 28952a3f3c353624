//! The key switch on fixture config files: each finding, and no full secret anywhere.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;
use std::process::Command;

use clerk_dev2prod::core::keys::{check_keys, Instance, KeyFile, KeyKind, KeyReport};
use clerk_dev2prod::core::lang::Lang;
use common::fixture_secrets as secrets;

fn dir(case: &str) -> PathBuf {
    common::fixture(&format!("keys/{case}"))
}

fn files(case: &str) -> Vec<KeyFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir(case))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| KeyFile {
            service: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect()
}

fn codes(report: &KeyReport) -> Vec<(&str, &'static str)> {
    report
        .findings
        .iter()
        .map(|f| (f.service.as_str(), f.code.as_str()))
        .collect()
}

#[test]
fn all_live_in_four_syntaxes_is_clean() {
    let report = check_keys(&files("all-live"));
    assert_eq!(codes(&report), Vec::<(&str, &str)>::new());
    assert!(report.all_live());
    // The commented-out test key in gateway.env is not counted.
    assert_eq!(report.keys.len(), 5);
    let gateway: Vec<_> = report
        .keys
        .iter()
        .filter(|k| k.service == "gateway.env")
        .collect();
    assert_eq!(gateway[0].variable, "CLERK_PUBLISHABLE_KEY");
    assert_eq!(
        gateway[0].host.as_deref(),
        Some("clerk.example-shop.com"),
        "unpadded base64"
    );
    assert_eq!(gateway[1].variable, "CLERK_SECRET_KEY");
    assert_eq!(
        (gateway[1].kind, gateway[1].instance),
        (KeyKind::Secret, Instance::Production)
    );
    assert_eq!(gateway[1].masked, "sk_live_…4lM7");
    let yaml = report
        .keys
        .iter()
        .find(|k| k.service == "websocket.yaml")
        .unwrap();
    assert_eq!((yaml.variable.as_str(), yaml.line), ("publishableKey", 2));
    let json = report
        .keys
        .iter()
        .find(|k| k.service == "chat.json")
        .unwrap();
    assert_eq!(json.variable, "CLERK_SECRET_KEY");
}

#[test]
fn a_service_left_on_test_is_named() {
    let report = check_keys(&files("one-on-test"));
    assert_eq!(codes(&report), [("chat.env", "test_key_left")]);
    assert!(!report.all_live());
    assert!(report.findings[0]
        .message(Lang::En)
        .contains("chat.env, line 1, CLERK_SECRET_KEY"));
    assert!(report.findings[0].fix(Lang::Es).contains("sk_live_"));
}

#[test]
fn a_mixed_pair_is_caught() {
    let report = check_keys(&files("mixed"));
    assert_eq!(
        codes(&report),
        [
            ("gateway.env", "test_key_left"),
            ("gateway.env", "mixed_pair")
        ]
    );
}

#[test]
fn a_secret_that_would_ship_to_browsers_is_caught() {
    let report = check_keys(&files("public-secret"));
    assert_eq!(
        codes(&report),
        [
            ("frontend.env", "secret_in_public_variable"),
            ("spa.env", "secret_in_browser_app")
        ]
    );
    assert!(report.findings[0].fix(Lang::En).contains("roll the key"));
}

#[test]
fn malformed_and_legacy_keys_are_caught() {
    let report = check_keys(&files("malformed"));
    assert_eq!(
        codes(&report),
        [
            ("gateway.env", "malformed_key"),
            ("gateway.env", "malformed_key"),
            ("gateway.env", "malformed_key"),
            ("gateway.env", "legacy_key"),
        ]
    );
    let messages: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.message(Lang::En))
        .collect();
    assert!(
        messages[0].contains("does not decode to a Frontend API host"),
        "{messages:?}"
    );
    assert!(messages[1].contains("not base64"), "{messages:?}");
    assert!(messages[2].contains("too short"), "{messages:?}");
}

#[test]
fn publishable_keys_of_two_instances_are_caught() {
    let report = check_keys(&files("other-host"));
    assert_eq!(codes(&report), [("*", "hosts_differ")]);
    let message = report.findings[0].message(Lang::En);
    assert!(
        message.contains("clerk.example-shop.com (frontend.env)"),
        "{message}"
    );
    assert!(
        message.contains("clerk.other-shop.com (websocket.env)"),
        "{message}"
    );
}

#[test]
fn a_file_without_keys_and_a_binary_file_are_reported() {
    let report = check_keys(&[
        KeyFile {
            service: "worker.env".into(),
            bytes: b"PORT=3000\n".to_vec(),
        },
        KeyFile {
            service: "logo.png".into(),
            bytes: b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
        },
    ]);
    assert_eq!(
        codes(&report),
        [("worker.env", "no_key_found"), ("logo.png", "unreadable")]
    );
    assert!(report.has_unreadable());
}

/// Every message, fix, masked key and CLI output for every fixture: no full secret anywhere.
#[test]
fn no_output_ever_contains_a_full_secret() {
    let secrets = secrets();
    for case in [
        "all-live",
        "one-on-test",
        "mixed",
        "public-secret",
        "malformed",
        "other-host",
    ] {
        let report = check_keys(&files(case));
        let mut shown = format!("{report:?}");
        for f in &report.findings {
            for lang in Lang::ALL {
                shown.push_str(f.message(lang));
                shown.push_str(f.fix(lang));
            }
        }
        let mut paths: Vec<String> = std::fs::read_dir(dir(case))
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().into_owned())
            .collect();
        paths.sort();
        let cli = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .arg("check-keys")
            .args(&paths)
            .output()
            .unwrap();
        shown.push_str(&String::from_utf8_lossy(&cli.stdout));
        shown.push_str(&String::from_utf8_lossy(&cli.stderr));
        for secret in &secrets {
            // Not the key, nor any long piece of it.
            let body = &secret[8..];
            for window in body.as_bytes().windows(12) {
                let piece = std::str::from_utf8(window).unwrap();
                assert!(
                    !shown.contains(piece),
                    "{case}: a piece of a secret key was shown: {piece}"
                );
            }
        }
    }
}

#[test]
fn check_keys_exit_status() {
    let run = |case: &str| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir(case))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .arg("check-keys")
            .args(&paths)
            .output()
            .unwrap()
    };
    let clean = run("all-live");
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert!(String::from_utf8_lossy(&clean.stdout).contains("pk_live_…"));
    assert_eq!(run("one-on-test").status.code(), Some(1));
    let missing = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .args(["check-keys", "/nonexistent/.env"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}

#[test]
fn the_runbook_lists_each_services_key_state() {
    let out = std::env::temp_dir().join(format!("clerk-dev2prod-keys-{}", std::process::id()));
    let export = common::fixture("exports/dashboard.csv");
    let result = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .arg("prepare")
        .arg(&export)
        .arg("--out")
        .arg(&out)
        .arg("--keys")
        .arg(dir("one-on-test").join("frontend.env"))
        .arg(dir("one-on-test").join("chat.env"))
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let runbook = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(
        runbook.contains("| [x] | frontend.env | `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY` | live |"),
        "{runbook}"
    );
    assert!(
        runbook.contains("| [ ] | chat.env | `CLERK_SECRET_KEY` | **to fix** |"),
        "{runbook}"
    );
    for secret in secrets() {
        assert!(!runbook.contains(&secret[8..20]));
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn each_finding_names_the_keys_it_is_about() {
    let read = |case: &str, name: &str| KeyFile {
        service: name.to_string(),
        bytes: std::fs::read(common::fixture(&format!("keys/{case}/{name}"))).unwrap(),
    };
    let report = check_keys(&[
        read("one-on-test", "chat.env"),
        read("mixed", "gateway.env"),
        KeyFile {
            service: "worker.env".into(),
            bytes: b"PORT=1\n".to_vec(),
        },
    ]);
    for finding in &report.findings {
        let about: Vec<&str> = finding
            .keys
            .iter()
            .map(|&i| report.keys[i].service.as_str())
            .collect();
        match finding.code.as_str() {
            "no_key_found" => assert!(about.is_empty()),
            "hosts_differ" => assert!(!about.is_empty()),
            _ => assert!(
                !about.is_empty() && about.iter().all(|s| *s == finding.service),
                "{finding:?}"
            ),
        }
    }
    let left = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "test_key_left")
        .unwrap();
    assert_eq!(report.keys[left.keys[0]].variable, "CLERK_SECRET_KEY");
    // The headline counts every item listed: problems and warnings.
    let verdict = clerk_dev2prod::core::verdict::KeysVerdict::of(&report).message(Lang::En);
    let errors = report.findings.iter().filter(|f| f.code.is_error()).count();
    let warnings = report.findings.len() - errors;
    assert!(
        verdict.contains(&format!(
            "{errors} problems to fix before switching to production, and {warnings} warning"
        )),
        "{verdict}"
    );
}
