//! `clerk-dev2prod prepare` from a terminal: files, exit codes, messages.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use clerk_dev2prod::core::prepare::{prepare, PrepareOptions};
use common::scratch;

fn fixture(name: &str) -> PathBuf {
    common::fixture(&format!("exports/{name}"))
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_clean_export_exits_0_and_writes_the_five_files_the_engine_makes() {
    let out = scratch("clean");
    let result = cli(&[
        "prepare",
        fixture("dashboard.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.contains("every row is accepted and nothing is lost"),
        "{stdout}"
    );

    let engine = prepare(
        &std::fs::read(fixture("dashboard.csv")).unwrap(),
        &PrepareOptions {
            file_name: "dashboard.csv".into(),
            ..PrepareOptions::default()
        },
    )
    .unwrap();
    for file in &engine.files {
        let written = std::fs::read(out.join(file.name)).unwrap();
        assert!(
            written == file.bytes,
            "{} differs from the engine's bytes",
            file.name
        );
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn rejected_rows_exit_1_with_files_written_in_the_chosen_language() {
    let out = scratch("rejected");
    let result = cli(&[
        "prepare",
        fixture("every-problem.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "es",
        "--claim-name",
        "devUserId",
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stdout).contains("rechazadas"));
    let runbook = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(runbook.starts_with("# Guía de migración"));
    let claims = std::fs::read_to_string(out.join("session-claims.json")).unwrap();
    assert!(claims.contains("\"devUserId\""));
    assert!(out.join("rejected.csv").is_file() && out.join("report.json").is_file());
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn unusable_input_exits_2_and_writes_nothing() {
    let out = scratch("unusable");
    let target = out.join("files");
    let other = out.join("other.csv");
    std::fs::write(&other, "email,name\na@example.com,A\n").unwrap();
    for (args, says) in [
        (vec!["prepare", other.to_str().unwrap()], "no id column"),
        (vec!["prepare", "/nonexistent/users.csv"], "cannot read"),
        (
            vec![
                "prepare",
                fixture("dashboard.csv").to_str().unwrap(),
                "--claim-name",
                "sub",
            ],
            "reserved",
        ),
    ] {
        let mut args = args;
        args.extend(["--out", target.to_str().unwrap()]);
        let result = cli(&args);
        assert_eq!(result.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains(says), "{stderr}");
        assert!(!target.exists(), "nothing is written for {args:?}");
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn an_output_folder_that_cannot_be_written_exits_2_with_the_reason() {
    let out = scratch("blocked");
    let blocker = out.join("not-a-folder");
    std::fs::write(&blocker, "a file where the folder should be").unwrap();
    let result = cli(&[
        "prepare",
        fixture("dashboard.csv").to_str().unwrap(),
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("users.json"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn help_documents_every_option_and_exit_status() {
    let result = cli(&["prepare", "--help"]);
    assert_eq!(result.status.code(), Some(0));
    let help = String::from_utf8_lossy(&result.stdout);
    for word in [
        "--out",
        "--claim-name",
        "--lang",
        "users.json",
        "rejected.csv",
        "report.json",
        "session-claims.json",
        "MIGRATION.md",
        "Exit status",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
    assert_eq!(
        cli(&["prepare"]).status.code(),
        Some(2),
        "a missing argument is a usage error"
    );
    assert_eq!(
        cli(&["prepare", "x.csv", "--lang", "fr"]).status.code(),
        Some(2)
    );
}

#[test]
fn messages_follow_the_language() {
    let result = cli(&["prepare", "/nonexistent/users.csv", "--lang", "es"]);
    assert!(String::from_utf8_lossy(&result.stderr).contains("no se puede leer"));
}

#[test]
fn keep_unverified_is_the_users_choice_and_counts_read_right() {
    let dir = scratch("unverified");
    std::fs::create_dir_all(&dir).unwrap();
    let export = dir.join("one.csv");
    std::fs::write(
        &export,
        "id,primary_email_address,unverified_email_addresses\nuser_1,ada@example.com,old@example.com\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "prepare",
            export.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let result = cli(&args);
        assert_eq!(
            result.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let users = std::fs::read_to_string(out.join("users.json")).unwrap();
        (String::from_utf8_lossy(&result.stdout).into_owned(), users)
    };
    let (stdout, users) = run(&[]);
    assert!(stdout.contains("; 1 row."), "{stdout}");
    assert!(stdout.contains("1  warning\n"), "{stdout}");
    assert!(stdout.contains("1  user without a password"), "{stdout}");
    assert!(!users.contains("old@example.com"), "{users}");
    let (stdout, users) = run(&["--keep-unverified", "--lang", "es"]);
    assert!(stdout.contains("; 1 fila."), "{stdout}");
    assert!(
        users.contains(r#""unverifiedEmailAddresses":["old@example.com"]"#),
        "{users}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn remap_writes_the_rewrite_and_its_undo_or_nothing() {
    let dir = common::scratch("remap");
    let map = dir.join("id-map.csv");
    std::fs::write(
        &map,
        "dev_user_id,prod_user_id,email,matched_by\nuser_d1,user_p1,a@example.com,external_id\n",
    )
    .unwrap();
    let out = dir.join("out");
    let run = cli(&[
        "remap",
        "--map",
        map.to_str().unwrap(),
        "--db-column",
        "user_notes.user_id",
        "--db-column",
        "app.chat.author_id",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let remap = std::fs::read_to_string(out.join("remap.sql")).unwrap();
    let undo = std::fs::read_to_string(out.join("remap-undo.sql")).unwrap();
    assert!(remap.contains("('user_d1', 'user_p1')") && undo.contains("('user_p1', 'user_d1')"));
    assert!(remap.contains("LOCK TABLE \"user_notes\", \"app\".\"chat\""));

    std::fs::write(
        &map,
        "dev_user_id,prod_user_id\nuser_d1,user_p1\nuser_d1,user_p2\n",
    )
    .unwrap();
    let out = dir.join("none");
    let run = cli(&[
        "remap",
        "--map",
        map.to_str().unwrap(),
        "--db-column",
        "t.c",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("line 3 maps dev id user_d1 a second time")
    );
    assert!(!out.exists(), "nothing written");
    let run = cli(&[
        "remap",
        "--map",
        map.to_str().unwrap(),
        "--db-column",
        "notes",
        "--lang",
        "es",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("indica tabla.columna"));
}

/// An export that holds no users, a header naming a column twice and every claim name the
/// page refuses are refused here too, with the reason, exit status 2 and nothing written.
#[test]
fn the_command_line_refuses_what_the_page_refuses() {
    let out = scratch("refused");
    let target = out.join("files");
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let header_only = write("header-only.csv", "id,primary_email_address\n");
    let blank_lines = write("blank-lines.csv", "id,primary_email_address\r\n\r\n\n  \n");
    let no_users_json = write("none.json", "[]\n");
    let twice = write(
        "twice.csv",
        "id,primary_email_address,primary_email_address\nuser_1,a@example.com,b@example.com\n",
    );
    let export = fixture("dashboard.csv");
    let long = "a".repeat(2000);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![header_only.to_str().unwrap()], "holds no users"),
        (vec![blank_lines.to_str().unwrap()], "holds no users"),
        (vec![no_users_json.to_str().unwrap()], "holds no users"),
        (
            vec![twice.to_str().unwrap()],
            "names the column primary_email_address twice",
        ),
        (
            vec![export.to_str().unwrap(), "--claim-name", &long],
            "2000 characters",
        ),
        (
            vec![export.to_str().unwrap(), "--claim-name", "__proto__"],
            "every JavaScript object already has",
        ),
        (
            vec![export.to_str().unwrap(), "--claim-name", "constructor"],
            "every JavaScript object already has",
        ),
        (vec![export.to_str().unwrap(), "--claim-name", ""], "empty"),
        (
            vec![export.to_str().unwrap(), "--claim-name", "sub"],
            "reserved",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["prepare"];
        all.extend(args.iter().copied());
        all.extend(["--out", target.to_str().unwrap()]);
        let result = cli(&all);
        let stderr = String::from_utf8_lossy(&result.stderr);
        let stdout = String::from_utf8_lossy(&result.stdout);
        assert_eq!(result.status.code(), Some(2), "{all:?}: {stdout}{stderr}");
        assert!(stderr.contains(says), "{all:?}: {stderr}");
        assert!(!stdout.contains("zero failures"), "{all:?}: {stdout}");
        assert!(!target.exists(), "nothing is written for {all:?}");
    }
    let _ = std::fs::remove_dir_all(out);
}

/// The summary's last word names what was checked, and an accepted export that loses
/// passwords and authenticator secrets says so instead of promising a clean run.
#[test]
fn the_verdict_states_its_evidence() {
    let out = scratch("verdict");
    let result = cli(&[
        "prepare",
        fixture("backend-api.json").to_str().unwrap(),
        "--out",
        out.join("files").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Checked 2 rows of backend-api.json against Clerk's import rules"),
        "{stdout}"
    );
    assert!(stdout.contains("1 user loses their password"), "{stdout}");
    assert!(
        stdout.contains("1 user loses their authenticator app secret"),
        "{stdout}"
    );
    assert!(!stdout.contains("zero failures"), "{stdout}");
    let _ = std::fs::remove_dir_all(out);
}

/// prepare reads the database only for people already in production: a database flag
/// without --production-users would do nothing, so it is refused before anything is read or
/// written; a DATABASE_URL in the environment (many services keep one) is no flag, and is
/// left alone.
#[test]
fn a_database_flag_without_production_users_is_refused() {
    let out = scratch("database-flag");
    let target = out.join("files");
    let export = fixture("dashboard.csv");
    for (lang, flag, value, says) in [
        (
            "en",
            "--database-url",
            "postgres://u:hunter2@127.0.0.1:9/db",
            "--database-url needs --production-users FILE",
        ),
        (
            "es",
            "--database-url",
            "postgres://u:hunter2@127.0.0.1:9/db",
            "--database-url necesita --production-users ARCHIVO",
        ),
        (
            "en",
            "--db-column",
            "user_notes.user_id",
            "--db-column needs --production-users FILE",
        ),
    ] {
        let args = [
            "prepare",
            export.to_str().unwrap(),
            flag,
            value,
            "--lang",
            lang,
            "--out",
            target.to_str().unwrap(),
        ];
        let result = cli(&args);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
        assert!(!target.exists(), "nothing is written for {args:?}");
    }
    let from_env = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:9/db")
        .args([
            "prepare",
            export.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        from_env.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_env.stderr)
    );
    assert!(target.join("users.json").exists());
    let _ = std::fs::remove_dir_all(out);
}
