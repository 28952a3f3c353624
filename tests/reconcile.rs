//! After the run: a dev export, a production export with chosen losses and drift, the tool's
//! logs and a database id list; every finding, and `retry-users.json` exactly the missing.
//!
//! `UPDATE_GOLDEN=1 cargo test --test reconcile` rewrites the golden files.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use clerk_dev2prod::core::existing::LINK_EXISTING_SH;
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::reconcile::{
    db_ids_sql, reconcile, ReconcileError, ReconcileInput, Reconciled, RECONCILE_JSON,
    RECONCILE_MD, RETRY_USERS_JSON,
};
use common::root;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::fixture(&format!("reconcile/{name}"))).unwrap()
}

fn run(lang: Lang) -> Reconciled {
    let (dev, prod, log, ids) = (
        fixture("dev.csv"),
        fixture("prod.json"),
        fixture("migration-2026-11-23.log"),
        fixture("db-ids.csv"),
    );
    let input = ReconcileInput {
        dev: &dev,
        prod: &prod,
        logs: vec![&log],
        db_ids: Some(&ids),
    };
    reconcile(&input, lang).unwrap()
}

fn file<'r>(r: &'r Reconciled, name: &str) -> &'r [u8] {
    &r.files.iter().find(|f| f.name == name).unwrap().bytes
}

#[test]
fn every_finding() {
    let r = run(Lang::En);
    let c = &r.counts;
    assert_eq!(
        (c.dev_users, c.prod_users, c.matched, c.exists_not_linked),
        (6, 6, 2, 1)
    );
    assert!(!r.all_arrived());

    let missing: Vec<(&str, bool, Option<&str>)> = r
        .missing
        .iter()
        .map(|m| (m.dev_id.as_str(), m.has_data, m.logged_error.as_deref()))
        .collect();
    assert_eq!(
        missing,
        [
            // Users with data first; a later success line clears an earlier error.
            ("user_c", true, None),
            (
                "user_b",
                false,
                Some("form_identifier_exists: That email address is taken. Please try another.")
            ),
        ]
    );
    assert_eq!(r.not_imported.len(), 1);
    assert_eq!(
        (
            r.not_imported[0].dev_id.as_str(),
            r.not_imported[0].row,
            r.not_imported[0].reason
        ),
        ("user_e", 6, "invalid_email")
    );
    assert_eq!(r.prod_without_dev_user.len(), 1);
    assert_eq!(r.prod_without_dev_user[0].external_id, "user_zzz");
    assert_eq!(
        r.duplicate_external_ids["user_a"],
        ["user_2pA", "user_2pA2"]
    );
    // Hedy signed up in production before the import (no external_id): not missing, not
    // retried, but linked, with the same script prepare writes.
    let hedy = &r.exists_not_linked[0];
    assert_eq!(
        (
            hedy.dev_id.as_str(),
            hedy.prod_ids.as_slice(),
            hedy.matched_by
        ),
        ("user_f", &["user_2pF".to_string()][..], "email")
    );
    assert!(!String::from_utf8_lossy(file(&r, RETRY_USERS_JSON)).contains("user_f"));
    let script = String::from_utf8_lossy(file(&r, LINK_EXISTING_SH));
    assert!(script.contains("link 'user_2pF' 'user_f'"), "{script}");
    let drift: Vec<(&str, &str, &str, &str)> = r
        .drift
        .iter()
        .map(|d| (d.dev_id.as_str(), d.field, d.dev.as_str(), d.prod.as_str()))
        .collect();
    assert_eq!(
        drift,
        [
            (
                "user_d",
                "primary_email_address",
                "kate@example.com",
                "katherine@example.com"
            ),
            ("user_d", "totp", "yes", "no"),
        ],
        "the guarded dev phone equals the production one; Hedy's email differs only in case"
    );
    assert_eq!(
        c.db_ids,
        Some(5),
        "a repeated id and the header are not counted"
    );
    assert_eq!(
        r.orphaned_db_ids.as_deref().unwrap(),
        ["user_c", "user_e", "user_zzz9"]
    );
    assert_eq!(c.missing_users_with_data, Some(1));
}

#[test]
fn retry_users_holds_exactly_the_missing_users_in_users_json_format() {
    let r = run(Lang::En);
    let retry = file(&r, RETRY_USERS_JSON);
    let users: Vec<Value> = serde_json::from_slice(retry).unwrap();
    let ids: Vec<&str> = users
        .iter()
        .map(|u| u["userId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["user_b", "user_c"]);
    // The same lines users.json has for them, byte for byte.
    let prepared = clerk_dev2prod::core::prepare::prepare(
        &fixture("dev.csv"),
        &clerk_dev2prod::core::prepare::PrepareOptions::default(),
    )
    .unwrap();
    let users_json = String::from_utf8(prepared.file("users.json").unwrap().bytes.clone()).unwrap();
    for line in String::from_utf8(retry.to_vec())
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('{'))
    {
        let line = line.trim_end_matches(',');
        assert!(users_json.contains(line), "{line}");
    }
}

#[test]
fn a_complete_migration_is_reported_as_such() {
    let dev = b"id,primary_email_address\nuser_1,a@example.com\n";
    let prod = br#"[{"id": "user_p1", "external_id": "user_1", "email_addresses": [{"id": "e", "email_address": "a@example.com", "verification": {"status": "verified"}}], "primary_email_address_id": "e"}]"#;
    let ids = b"user_1\nuser_p1\n";
    let r = reconcile(
        &ReconcileInput {
            dev,
            prod,
            logs: vec![],
            db_ids: Some(ids),
        },
        Lang::En,
    )
    .unwrap();
    assert!(r.all_arrived(), "{:?}", r.counts);
    assert_eq!(file(&r, RETRY_USERS_JSON), b"[]\n");
    assert!(String::from_utf8_lossy(file(&r, RECONCILE_MD)).contains("Every dev user arrived"));
}

#[test]
fn unusable_inputs_say_which_file() {
    let good = fixture("dev.csv");
    let err = reconcile(
        &ReconcileInput {
            dev: b"",
            prod: &good,
            logs: vec![],
            db_ids: None,
        },
        Lang::En,
    )
    .unwrap_err();
    assert!(matches!(err, ReconcileError::Dev(_)));
    assert!(err.message(Lang::En).starts_with("The dev export"));
    let err = reconcile(
        &ReconcileInput {
            dev: &good,
            prod: b"email\nx@y.io\n",
            logs: vec![],
            db_ids: None,
        },
        Lang::Es,
    )
    .unwrap_err();
    assert!(err
        .message(Lang::Es)
        .starts_with("La exportación de producción"));
}

#[test]
fn golden_reconcile_md_in_both_languages_and_the_json() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (lang, name) in [(Lang::En, "reconcile-en.md"), (Lang::Es, "reconcile-es.md")] {
        let r = run(lang);
        let path = root().join("tests/golden/reconcile").join(name);
        let bytes = file(&r, RECONCILE_MD);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
        let golden = std::fs::read(&path).expect("run with UPDATE_GOLDEN=1");
        assert!(
            golden == bytes,
            "{name} differs:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
    let json: Value = serde_json::from_slice(file(&run(Lang::En), RECONCILE_JSON)).unwrap();
    assert_eq!(json["counts"]["missing"], 2);
    assert_eq!(
        json["missing"][1]["logged_error"],
        "form_identifier_exists: That email address is taken. Please try another."
    );
}

#[test]
fn the_sql_lists_each_id_with_its_rows_per_table() {
    let sql = db_ids_sql(&["user_notes", "user_filters"]);
    assert_eq!(
        sql,
        "-- Every user id your tables refer to, with its rows in each table. Save the output as\n\
         -- db-ids.csv, header included:  psql \"$DATABASE_URL\" --csv -f db-ids.sql > db-ids.csv\n\
         SELECT 'user_notes.user_id' AS source, \"user_id\"::text AS user_id, count(*) AS rows FROM \"user_notes\" WHERE \"user_id\" IS NOT NULL AND \"user_id\" <> '' GROUP BY 2\n\
         UNION ALL\n\
         SELECT 'user_filters.user_id' AS source, \"user_id\"::text AS user_id, count(*) AS rows FROM \"user_filters\" WHERE \"user_id\" IS NOT NULL AND \"user_id\" <> '' GROUP BY 2\n\
         ORDER BY 1, 2;\n"
    );
    assert!(db_ids_sql(&["we\"ird"]).contains("\"we\"\"ird\""));
}

/// What that SQL's output gives: the rows each orphaned id loses, per column, the columns
/// read, and the rewrite for those columns.
#[test]
fn ids_with_rows_say_how_many_rows_lose_their_owner() {
    let (dev, prod, log) = (
        fixture("dev.csv"),
        fixture("prod.json"),
        fixture("migration-2026-11-23.log"),
    );
    let ids = "source,user_id,rows\n\
        user_notes.user_id,user_b,4\n\
        user_notes.user_id,user_gone,7\n\
        user_filters.user_id,user_gone,2\n\
        user_filters.user_id,user_e,1\n";
    let r = reconcile(
        &ReconcileInput {
            dev: &dev,
            prod: &prod,
            logs: vec![&log],
            db_ids: Some(ids.as_bytes()),
        },
        Lang::En,
    )
    .unwrap();
    let gone = r
        .orphaned_rows
        .iter()
        .find(|o| o.user_id == "user_gone")
        .unwrap();
    assert_eq!(gone.rows, 9);
    assert_eq!(
        gone.by_column,
        vec![
            ("user_notes.user_id".to_string(), 7),
            ("user_filters.user_id".to_string(), 2)
        ]
    );
    assert_eq!(
        r.counts.orphaned_rows,
        Some(r.orphaned_rows.iter().map(|o| o.rows).sum())
    );
    assert_eq!(r.database_columns.len(), 2);
    assert_eq!(
        (r.database_columns[0].ids, r.database_columns[0].rows),
        (2, 11)
    );
    let md = String::from_utf8_lossy(file(&r, RECONCILE_MD)).into_owned();
    assert!(
        md.contains("- `user_gone` — 9 rows (`user_notes.user_id` 7, `user_filters.user_id` 2)"),
        "{md}"
    );
    let remap = String::from_utf8_lossy(file(&r, "remap.sql")).into_owned();
    assert!(
        remap.contains("LOCK TABLE \"user_notes\", \"user_filters\""),
        "{remap}"
    );
    assert!(r.files.iter().any(|f| f.name == "remap-undo.sql"));
}

/// id-map.csv: the external_id's pairs, a holder found by email marked as such, the
/// migration tool's success lines, and a dev id on two production users left out and listed.
#[test]
fn the_id_map_from_the_export_and_the_logs() {
    let (dev, prod) = (fixture("dev.csv"), fixture("prod.json"));
    let log = br#"{"userId":"user_c","status":"success","clerkUserId":"user_2pC"}
{"userId":"user_d","status":"success","clerkUserId":"user_2pX"}
"#;
    let r = reconcile(
        &ReconcileInput {
            dev: &dev,
            prod: &prod,
            logs: vec![log],
            db_ids: None,
        },
        Lang::En,
    )
    .unwrap();
    let csv = String::from_utf8_lossy(file(&r, "id-map.csv")).into_owned();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("dev_user_id,prod_user_id,email,matched_by")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.iter()
            .any(|l| l.starts_with("user_f,user_2pF,") && l.ends_with(",email")),
        "{csv}"
    );
    assert!(
        rows.iter()
            .any(|l| l.starts_with("user_c,user_2pC,") && l.ends_with(",migration_log")),
        "{csv}"
    );
    for (dev, why) in [
        ("user_a", "external_id on two production users"),
        ("user_d", "the log and the export disagree"),
    ] {
        assert!(
            !rows.iter().any(|l| l.starts_with(&format!("{dev},"))),
            "{why} is never guessed: {csv}"
        );
        assert!(
            r.id_map
                .conflicts
                .iter()
                .any(|c| c.id == dev && c.partners.len() == 2),
            "{dev}"
        );
    }
    let json: Value = serde_json::from_slice(file(&r, RECONCILE_JSON)).unwrap();
    assert_eq!(
        json["id_map"]["conflicts"][0]["kind"],
        "dev_id_to_several_production_users"
    );
}

#[test]
fn the_cli_exit_status_and_files() {
    let dir = common::fixture("reconcile");
    let out = std::env::temp_dir().join(format!("clerk-dev2prod-reconcile-{}", std::process::id()));
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args(["reconcile", "--lang", "es", "--dev"])
        .arg(dir.join("dev.csv"))
        .arg("--prod")
        .arg(dir.join("prod.json"))
        .arg("--logs")
        .arg(dir.join("migration-2026-11-23.log"))
        .arg("--db-ids")
        .arg(dir.join("db-ids.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stdout).contains("2 faltan"));
    for name in [RECONCILE_JSON, RECONCILE_MD, RETRY_USERS_JSON] {
        assert!(out.join(name).is_file(), "{name}");
    }
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args([
            "reconcile",
            "--dev",
            "/nonexistent",
            "--prod",
            "/nonexistent",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    // No table is assumed: without one, the command says to name them.
    let sql = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .arg("db-ids-sql")
        .output()
        .unwrap();
    assert_eq!(sql.status.code(), Some(2));
    assert!(sql.stdout.is_empty());
    assert!(String::from_utf8_lossy(&sql.stderr).contains("name the tables"));
    let sql = std::process::Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .env_remove("DATABASE_URL")
        .args([
            "db-ids-sql",
            "notes",
            "app.prefs.owner_id,  billing.customer_id",
        ])
        .output()
        .unwrap();
    let sql = String::from_utf8_lossy(&sql.stdout);
    assert!(
        sql.contains("SELECT 'notes.user_id' AS source, \"user_id\"::text"),
        "{sql}"
    );
    assert!(sql.contains("FROM \"app\".\"prefs\""), "{sql}");
    assert!(sql.contains("'billing.customer_id'"), "{sql}");
    assert!(!sql.contains("user_screener_templates"), "{sql}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn the_columns_named_are_the_columns_read_and_none_is_assumed() {
    use clerk_dev2prod::core::database::columns::ColumnRef;
    use clerk_dev2prod::core::reconcile::id_columns;
    assert_eq!(id_columns("").unwrap(), []);
    assert_eq!(id_columns("\n-- mine\n# also\n").unwrap(), []);
    assert_eq!(
        id_columns("notes, notes\nprefs.owner_id\n app.\"Filters\".user_id ").unwrap(),
        [
            ColumnRef::new(None, "notes", "user_id"),
            ColumnRef::new(None, "prefs", "owner_id"),
            ColumnRef::new(Some("app"), "Filters", "user_id"),
        ]
    );
    assert!(id_columns("a.b.c.d").is_err());
    assert!(id_columns("\"open").is_err());
}

#[test]
fn each_verify_input_refuses_what_it_cannot_read() {
    use clerk_dev2prod::core::reconcile::{check_input, NotThisInput, VerifyInput};
    let read = |name: &str| std::fs::read(common::fixture(&format!("reconcile/{name}"))).unwrap();
    let (dev, prod, log, ids) = (
        read("dev.csv"),
        read("prod.json"),
        read("migration-2026-11-23.log"),
        read("db-ids.csv"),
    );
    assert_eq!(check_input(VerifyInput::Dev, &dev), Ok(()));
    assert_eq!(check_input(VerifyInput::Prod, &prod), Ok(()));
    assert_eq!(check_input(VerifyInput::Log, &log), Ok(()));
    assert_eq!(check_input(VerifyInput::DbIds, &ids), Ok(()));
    assert_eq!(
        check_input(
            VerifyInput::DbIds,
            b"source,user_id,rows\nnotes.user_id,user_a,2\n"
        ),
        Ok(())
    );
    assert!(matches!(
        check_input(VerifyInput::Prod, b"{ not json"),
        Err(NotThisInput::Export(_))
    ));
    assert!(matches!(
        check_input(VerifyInput::Dev, b"id,primary_email_address\n"),
        Err(NotThisInput::Export(_))
    ));
    assert_eq!(
        check_input(VerifyInput::Log, &dev),
        Err(NotThisInput::NotALog)
    );
    assert_eq!(
        check_input(VerifyInput::DbIds, &prod),
        Err(NotThisInput::Json)
    );
    assert_eq!(
        check_input(VerifyInput::DbIds, &dev),
        Err(NotThisInput::NotAnIdList { columns: 13 })
    );
    assert_eq!(
        check_input(VerifyInput::DbIds, b"user_id\n\n"),
        Err(NotThisInput::NoIds)
    );
    for refusal in [
        NotThisInput::NotALog,
        NotThisInput::Json,
        NotThisInput::NoIds,
    ] {
        assert_ne!(refusal.message(Lang::En), refusal.message(Lang::Es));
    }
}
