//! The export checked against the production instance's own settings (its environment
//! document), one fixture per setting, over the same export.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use clerk_dev2prod::core::instance::{read_settings, NotSettings};
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{prepare, PrepareOptions, Prepared};

/// dashboard.csv: Ada (email, phone, username, TOTP, password), Grace and Kate (email,
/// username, password), José (emails only, no password), Mary (phone, username, password,
/// no last name).
fn run(settings: &str) -> Prepared {
    let export = std::fs::read(common::fixture("exports/dashboard.csv")).unwrap();
    let env = std::fs::read(common::fixture(&format!("instance/{settings}"))).unwrap();
    let options = PrepareOptions {
        instance: Some(read_settings(&env).unwrap()),
        ..PrepareOptions::default()
    };
    prepare(&export, &options).unwrap()
}

fn instance_codes(p: &Prepared) -> Vec<(&str, usize)> {
    let mut codes: Vec<(&str, usize)> = p
        .counts
        .by_code
        .iter()
        .filter(|(c, _)| c.starts_with("instance_"))
        .map(|(c, n)| (*c, *n))
        .collect();
    codes.sort();
    codes
}

fn notices(p: &Prepared) -> Vec<&'static str> {
    p.notices.iter().map(|n| n.code.as_str()).collect()
}

#[test]
fn default_settings_accept_everyone_and_name_the_oauth_providers() {
    let p = run("default.json");
    assert_eq!(instance_codes(&p), []);
    assert_eq!(p.counts.accepted, 5);
    let oauth = p
        .notices
        .iter()
        .find(|n| n.code.as_str() == "oauth_providers_in_production")
        .unwrap();
    assert!(
        oauth.message(Lang::En).contains("google"),
        "{}",
        oauth.message(Lang::En)
    );
    assert!(!oauth.message(Lang::En).contains("github"), "github is off");
}

#[test]
fn a_required_username_rejects_the_user_without_one() {
    let p = run("username-required.json");
    assert_eq!(instance_codes(&p), [("instance_requires_username", 1)]);
    assert_eq!(p.counts.rejected, 1);
    assert_eq!(
        p.counts.rejected_by_first_reason["instance_requires_username"],
        1
    );
}

#[test]
fn password_only_rejects_the_user_without_a_password() {
    let p = run("password-only.json");
    assert_eq!(instance_codes(&p), [("instance_password_only", 1)]);
    let issue = p
        .issues
        .iter()
        .find(|i| i.code.as_str() == "instance_password_only")
        .unwrap();
    assert_eq!(&*issue.user_id, "user_2aXk3");
}

#[test]
fn authenticator_apps_off_rejects_the_totp_secret() {
    let p = run("mfa-off.json");
    assert_eq!(instance_codes(&p), [("instance_totp_off", 1)]);
    assert!(p
        .issues
        .iter()
        .any(|i| i.code.as_str() == "instance_totp_off" && &*i.user_id == "user_2aXk1"));
}

#[test]
fn legal_consent_is_counted_once_for_every_imported_user() {
    let p = run("legal-consent.json");
    assert_eq!(instance_codes(&p), []);
    assert!(notices(&p).contains(&"legal_consent_required"));
    let notice = p
        .notices
        .iter()
        .find(|n| n.code.as_str() == "legal_consent_required")
        .unwrap();
    assert!(notice
        .message(Lang::En)
        .starts_with("The production instance requires legal consent; 5 imported"));
    assert!(notice.fix(Lang::En).contains("skipLegalChecks"));
}

#[test]
fn turned_off_identifiers_are_dropped_and_stricter_rules_apply() {
    let p = run("strict.json");
    // Phones off: Ada's and Mary's are dropped (Mary keeps her username). Last name
    // required: Mary has none. Usernames of 6–8: ada_l (5) and grace_h? (7 fits), mjackson (8
    // fits), kjohnson (8 fits).
    assert_eq!(
        instance_codes(&p),
        [
            ("instance_phone_off", 2),
            ("instance_requires_name", 1),
            ("instance_username_rules", 1),
        ]
    );
    let users: Vec<serde_json::Value> =
        serde_json::from_slice(&p.file("users.json").unwrap().bytes).unwrap();
    assert!(
        users.iter().all(|u| u.get("phone").is_none()),
        "no phone is imported"
    );
    // Each rejected row counts once, under its first reason.
    assert_eq!(p.counts.rejected, 2);
    assert_eq!(p.counts.rejected_by_first_reason.values().sum::<usize>(), 2);
    let runbook = String::from_utf8(p.file("MIGRATION.md").unwrap().bytes.clone()).unwrap();
    assert!(
        runbook
            .contains("`instance_username_rules`: 1 — Relax the rules in the production Dashboard"),
        "{runbook}"
    );
}

#[test]
fn a_file_that_is_not_an_environment_document_is_refused() {
    let export = std::fs::read(common::fixture("exports/dashboard.csv")).unwrap();
    assert!(matches!(
        read_settings(&export),
        Err(NotSettings::NotJson(_))
    ));
    let err = read_settings(b"{\"users\": []}").unwrap_err();
    assert!(err.message(Lang::En).contains("/v1/environment"));
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .arg("prepare")
        .arg(common::fixture("exports/dashboard.csv"))
        .arg("--instance-settings")
        .arg(common::fixture("exports/dashboard.csv"))
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(2));
}

#[test]
fn only_a_verified_address_meets_a_required_email_even_in_the_primary_cell() {
    let mut env: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::fixture("instance/default.json")).unwrap())
            .unwrap();
    let attributes = env
        .pointer_mut("/user_settings/attributes/email_address")
        .expect("the fixture has an email attribute");
    attributes["enabled"] = true.into();
    attributes["required"] = true.into();
    let settings = read_settings(env.to_string().as_bytes()).unwrap();
    // user_1's primary address is listed as unverified too; user_2's is verified.
    let export = b"id,username,primary_email_address,unverified_email_addresses\n\
user_1,ada_l,ada@example.com,ada@example.com\n\
user_2,grace_h,grace@example.com,\n";
    for keep_unverified in [false, true] {
        let options = PrepareOptions {
            instance: Some(settings.clone()),
            keep_unverified,
            ..PrepareOptions::default()
        };
        let p = prepare(export, &options).unwrap();
        let on = |row: usize| -> Vec<&str> {
            p.issues
                .iter()
                .filter(|i| i.row == row)
                .map(|i| i.code.as_str())
                .collect()
        };
        assert!(
            on(2).contains(&"instance_requires_email"),
            "{keep_unverified}: {:?}",
            on(2)
        );
        assert!(on(3).is_empty(), "{:?}", on(3));
    }
}

#[test]
fn the_settings_headline_counts_the_findings_it_lists_and_each_names_its_users() {
    use clerk_dev2prod::core::verdict::{SettingsFinding, SettingsVerdict};
    let p = run("strict.json");
    let env = std::fs::read(common::fixture("instance/strict.json")).unwrap();
    let settings = read_settings(&env).unwrap();
    let findings = SettingsFinding::all(&p);
    let listed: Vec<(&str, usize)> = findings
        .iter()
        .map(|f| (f.code.as_str(), f.users.len()))
        .collect();
    assert_eq!(
        listed,
        [
            ("instance_phone_off", 2),
            ("instance_requires_name", 1),
            ("instance_username_rules", 1)
        ]
    );
    let verdict = SettingsVerdict::of("strict.json", &settings, Some(&p));
    let en = verdict.message(Lang::En);
    assert!(
        en.contains(": 3 problems on 2 users, listed below."),
        "{en}"
    );
    let es = verdict.message(Lang::Es);
    assert!(es.contains(": 3 problemas en 2 usuarios, abajo."), "{es}");
    assert_eq!(
        findings[0].problem(Lang::En),
        "2 users lose their phone numbers: production has phone numbers turned off (imported without them)"
    );
    assert!(findings[2]
        .problem(Lang::Es)
        .starts_with("1 usuario tiene un nombre de usuario"));
    assert!(findings.iter().all(|f| !f.users.is_empty()));
}
