//! The database side against a real PostgreSQL: discovery, the read-only read, the dry run,
//! the rewrite and its undo, a failure half-way, a concurrent writer, and every way the
//! database can be unusable. `cargo xtask test` starts a throwaway cluster and runs these
//! with its superuser's address in CLERK_DEV2PROD_TEST_DATABASE_URL; each test works in a
//! database of its own.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};

const NEEDS: &str = "needs PostgreSQL: run `cargo xtask test`";

fn admin_url() -> String {
    std::env::var("CLERK_DEV2PROD_TEST_DATABASE_URL").expect(NEEDS)
}

/// The password in the cluster's address, which no output may show.
fn password() -> String {
    let url = admin_url();
    let credentials = url.split('@').next().unwrap();
    credentials.rsplit(':').next().unwrap().to_string()
}

/// A database of the test's own, dropped at the end.
struct TestDb {
    name: String,
    url: String,
    /// The superuser's address on its cluster.
    admin: String,
}

impl TestDb {
    fn new(name: &str, schema: &str) -> TestDb {
        TestDb::on(&admin_url(), name, schema)
    }

    fn on(admin_url: &str, name: &str, schema: &str) -> TestDb {
        let name = format!("t_{name}_{}", std::process::id());
        let mut admin = Client::connect(admin_url, NoTls).unwrap();
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = admin_url.replace("/postgres", &format!("/{name}"));
        Client::connect(&url, NoTls)
            .unwrap()
            .batch_execute(schema)
            .unwrap();
        TestDb {
            name,
            url,
            admin: admin_url.to_string(),
        }
    }

    fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }

    /// A digest of every row of every table (in a fixed order), to prove nothing changed.
    fn checksum(&self) -> String {
        let mut client = self.client();
        let tables: Vec<String> = client
            .query(
                "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables \
                 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        tables
            .iter()
            .map(|t| {
                let digest: Option<String> = client
                    .query_one(
                        &format!(
                            "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM {t} t"
                        ),
                        &[],
                    )
                    .unwrap()
                    .get(0);
                format!("{t}={}", digest.unwrap_or_default())
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Transactions that ended in a rollback in this database, counted once every other
    /// connection to it is gone (a backend hands in its counts before it leaves).
    fn rollbacks(&self) -> i64 {
        let mut client = self.client();
        for _ in 0..100 {
            let others: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap()
                .get(0);
            if others == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        client
            .batch_execute("SELECT pg_stat_clear_snapshot()")
            .unwrap();
        client
            .query_one(
                "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()",
                &[],
            )
            .unwrap()
            .get(0)
    }

    fn ids(&self, table: &str, column: &str) -> Vec<String> {
        self.client()
            .query(
                &format!("SELECT {column}::text FROM {table} ORDER BY id"),
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.admin, NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn cli(args: &[&str]) -> Output {
    cli_with_env(args, &[])
}

/// The command line with only the given database variables set (none of the caller's).
fn cli_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"));
    command.args(args);
    for name in ["DATABASE_URL", "PGSSLMODE", "PGSSLROOTCERT"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every output of a run, and every file it wrote, without the password.
fn assert_password_hidden(run: &Output, dir: &Path) {
    let secret = password();
    for (what, out) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text(out).contains(&secret),
            "{what} shows the password: {}",
            text(out)
        );
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        assert!(
            !text(&bytes).contains(&secret),
            "{:?} holds the password",
            entry.path()
        );
    }
}

/// Tables keyed by Clerk ids in every way discovery must find, and some it must not.
const APP_SCHEMA: &str = "
CREATE TABLE user_notes (id serial PRIMARY KEY, user_id text NOT NULL, body text);
CREATE TABLE user_preferences (id serial PRIMARY KEY, user_id varchar(64), theme text);
CREATE TABLE chat_messages (id serial PRIMARY KEY, author_id text, reviewer_user_id varchar, created_by text, body text);
CREATE SCHEMA app;
CREATE TABLE app.documents (id serial PRIMARY KEY, owner_id text);
-- Named like ids, but not Clerk ids, empty, or not text: never read.
CREATE TABLE audit (id serial PRIMARY KEY, owner_id text);
CREATE TABLE drafts (id serial PRIMARY KEY, user_id text);
CREATE TABLE counters (id serial PRIMARY KEY, user_id integer);
CREATE TABLE profiles (id serial PRIMARY KEY, user_name text, userid text);
INSERT INTO user_notes (user_id, body) VALUES ('user_d', 'n1'), ('user_d', 'n2'), ('user_f', 'n3'), ('user_gone', 'n4'), ('user_2pNew', 'n5');
INSERT INTO user_preferences (user_id, theme) VALUES ('user_d', 'dark'), (NULL, 'none'), ('user_gone', 'light');
INSERT INTO chat_messages (author_id, reviewer_user_id, created_by, body) VALUES ('user_d', 'user_f', 'user_d', 'hi'), ('user_f', NULL, 'user_f', 'yo');
INSERT INTO app.documents (owner_id) VALUES ('user_f'), ('user_gone');
INSERT INTO audit (owner_id) VALUES ('7f1e2a3c-0000-4000-8000-000000000001'), ('root');
INSERT INTO counters (user_id) VALUES (1);
INSERT INTO profiles (user_name, userid) VALUES ('user_d', 'user_d');
";

fn reconcile_fixture(name: &str) -> String {
    common::fixture(&format!("reconcile/{name}"))
        .display()
        .to_string()
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn discovery_reads_exactly_the_id_columns_and_says_how_many_rows_lose_their_owner() {
    let db = TestDb::new("discovery", APP_SCHEMA);
    let out = common::scratch("db-discovery");
    let before = db.checksum();
    let rollbacks = db.rollbacks();
    let run = cli(&[
        "reconcile",
        "--dev",
        &reconcile_fixture("dev.csv"),
        "--prod",
        &reconcile_fixture("prod.json"),
        "--database-url",
        &db.url,
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}{}", text(&run.stderr));
    let found: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Columns found"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.trim_start().starts_with("skipped"))
        .map(str::trim)
        .collect();
    assert_eq!(
        found,
        [
            "app.documents.owner_id",
            "public.chat_messages.author_id",
            "public.chat_messages.created_by",
            "public.chat_messages.reviewer_user_id",
            "public.user_notes.user_id",
            "public.user_preferences.user_id",
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("  skipped public.audit.owner_id (its values are not Clerk ids)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  skipped public.drafts.user_id (empty)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("counters") && !stdout.contains("profiles"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  public.user_notes.user_id: 4 user ids, 5 rows"),
        "{stdout}"
    );
    // user_gone is nobody's (a note, a preference, a document), and user_f is in production
    // but not linked yet (a note, two chat messages as author and creator, one as reviewer,
    // a document): 8 rows lose their owner.
    assert!(
        stdout.contains("Orphaned database ids: 2, owning 8 rows that lose their owner."),
        "{stdout}"
    );
    let db_ids = std::fs::read_to_string(out.join("db-ids.csv")).unwrap();
    assert!(
        db_ids.contains("public.user_notes.user_id,user_d,2\n"),
        "{db_ids}"
    );
    let md = std::fs::read_to_string(out.join("reconcile.md")).unwrap();
    assert!(
        md.contains("| `public.user_notes.user_id` | 4 | 5 |"),
        "{md}"
    );
    assert!(
        out.join("remap.sql").is_file(),
        "the rewrite for the columns read"
    );
    // Discovery and the read are one read-only transaction (ended by a rollback), so no
    // table can change between choosing the columns and reading them.
    assert_eq!(
        db.rollbacks() - rollbacks,
        1,
        "one read-only transaction for discovery and the read"
    );
    assert_eq!(db.checksum(), before, "reading changes nothing");
    assert_password_hidden(&run, &out);
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn the_read_is_read_only_a_write_inside_it_fails_and_nothing_is_written() {
    // A view whose every read tries to write: only a read-only transaction stops it.
    let db = TestDb::new(
        "readonly",
        "CREATE TABLE written (at timestamptz DEFAULT now());
         CREATE FUNCTION sneaky() RETURNS text LANGUAGE plpgsql VOLATILE AS
           $$ BEGIN INSERT INTO written DEFAULT VALUES; RETURN 'user_x'; END $$;
         CREATE VIEW sneaky_ids AS SELECT sneaky() AS user_id;",
    );
    let out = common::scratch("db-readonly");
    let _ = std::fs::remove_dir_all(&out);
    let run = cli(&[
        "reconcile",
        "--dev",
        &reconcile_fixture("dev.csv"),
        "--prod",
        &reconcile_fixture("prod.json"),
        "--database-url",
        &db.url,
        "--db-column",
        "sneaky_ids.user_id",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("read-only transaction"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    let written: i64 = db
        .client()
        .query_one("SELECT count(*) FROM written", &[])
        .unwrap()
        .get(0);
    assert_eq!(written, 0);
    assert!(!out.exists(), "nothing is written");
}

/// A users table the other columns point at, a deferrable foreign key, and rows of users who
/// were not migrated.
const REMAP_SCHEMA: &str = "
CREATE TABLE users (id text PRIMARY KEY, name text);
CREATE TABLE user_notes (id serial PRIMARY KEY, user_id text REFERENCES users (id) DEFERRABLE, body text);
CREATE TABLE user_filters (id serial PRIMARY KEY, user_id varchar(40), filter text);
INSERT INTO users VALUES ('user_d1', 'Ada'), ('user_d2', 'Grace'), ('user_stay', 'Not migrated');
INSERT INTO user_notes (user_id, body) VALUES ('user_d1', 'a'), ('user_d1', 'b'), ('user_d2', 'c'), ('user_stay', 'd');
INSERT INTO user_filters (user_id, filter) VALUES ('user_d1', 'x'), ('user_stay', 'y'), (NULL, 'z'), ('user_p9', 'new user');
";

const MAP: &str = "dev_user_id,prod_user_id,email,matched_by\n\
    user_d1,user_p1,ada@example.com,external_id\n\
    user_d2,user_p2,grace@example.com,email\n";

fn remap(url: &str, out: &Path, extra: &[&str]) -> Output {
    std::fs::create_dir_all(out).unwrap();
    let map = out.with_extension("csv");
    std::fs::write(&map, MAP).unwrap();
    let mut args = vec![
        "remap",
        "--map",
        map.to_str().unwrap(),
        "--database-url",
        url,
        "--db-column",
        "users.id",
        "--db-column",
        "user_notes.user_id",
        "--db-column",
        "user_filters.user_id",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .args(&args)
        .env_remove("DATABASE_URL")
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn the_dry_run_changes_nothing_and_says_what_would_change() {
    let db = TestDb::new("dryrun", REMAP_SCHEMA);
    let out = common::scratch("db-dryrun");
    let before = db.checksum();
    let run = remap(&db.url, &out, &[]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(
        stdout.contains("Dry run in postgres://clerk_test:****@127.0.0.1:"),
        "{stdout}"
    );
    // The referencing column comes first, then the users table it points at.
    assert!(stdout.contains("  user_notes.user_id: 3 rows would change\n  users.id: 2 rows would change\n  user_filters.user_id: 1 row would change"), "{stdout}");
    assert!(stdout.contains("  user_filters.user_id: 2 rows of 2 users not in the map, left as they are: user_p9, user_stay"), "{stdout}");
    assert_eq!(db.checksum(), before, "a dry run changes nothing");
    let untouched = std::fs::read_to_string(out.join("remap-untouched.csv")).unwrap();
    assert!(
        untouched.contains("user_notes.user_id,user_stay,1"),
        "{untouched}"
    );
    assert_password_hidden(&run, &out);
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn apply_rewrites_exactly_the_mapped_rows_and_the_undo_restores_every_byte() {
    let db = TestDb::new("apply", REMAP_SCHEMA);
    let out = common::scratch("db-apply");
    let before = db.checksum();
    let run = remap(&db.url, &out, &["--apply"]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(
        stdout.contains("  user_notes.user_id: 3 rows changed"),
        "{stdout}"
    );
    assert_eq!(
        db.ids("user_notes", "user_id"),
        ["user_p1", "user_p1", "user_p2", "user_stay"]
    );
    let filters: Vec<Option<String>> = db
        .client()
        .query("SELECT user_id::text FROM user_filters ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        filters,
        [
            Some("user_p1".into()),
            Some("user_stay".into()),
            None,
            Some("user_p9".into())
        ]
    );
    let users: Vec<String> = db
        .client()
        .query("SELECT id FROM users ORDER BY name", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(users, ["user_p1", "user_p2", "user_stay"]);
    assert_ne!(db.checksum(), before);
    // remap.sql again now refuses: the production ids it would write are there already.
    let again = remap(&db.url, &out.join("again"), &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("already has"),
        "{}",
        text(&again.stderr)
    );

    let undo = std::fs::read_to_string(out.join("remap-undo.sql")).unwrap();
    db.client().batch_execute(&undo).unwrap();
    assert_eq!(
        db.checksum(),
        before,
        "the undo restores the original bytes"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn a_failure_half_way_leaves_every_table_unchanged() {
    let db = TestDb::new(
        "trigger",
        &format!(
            "{REMAP_SCHEMA}
             CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'filters are frozen'; END $$;
             CREATE TRIGGER frozen BEFORE UPDATE ON user_filters FOR EACH ROW EXECUTE FUNCTION refuse();"
        ),
    );
    let out = common::scratch("db-trigger");
    let before = db.checksum();
    let run = remap(&db.url, &out, &["--apply"]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the rewrite was refused, nothing changed: filters are frozen"),
        "{stderr}"
    );
    assert_eq!(
        db.checksum(),
        before,
        "user_notes was updated before the trigger fired, and rolled back"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn an_update_that_changes_another_number_of_rows_than_counted_rolls_everything_back() {
    // A trigger that quietly skips one row's update (no error): only the count check can
    // see that user_notes changed 2 rows where 3 were counted. No foreign key, which would
    // catch this case at the commit by itself.
    let db = TestDb::new(
        "count",
        &format!(
            "{}
             CREATE FUNCTION skip_b() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN IF OLD.body = 'b' THEN RETURN NULL; END IF; RETURN NEW; END $$;
             CREATE TRIGGER skip BEFORE UPDATE ON user_notes FOR EACH ROW EXECUTE FUNCTION skip_b();",
            REMAP_SCHEMA.replace("REFERENCES users (id) DEFERRABLE", "")
        ),
    );
    let out = common::scratch("db-count");
    let before = db.checksum();
    let run = remap(&db.url, &out, &["--apply"]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}{}", text(&run.stdout));
    assert!(
        stderr.contains("user_notes.user_id changed 2 rows where 3 were counted"),
        "{stderr}"
    );
    assert_eq!(db.checksum(), before, "nothing is committed");
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn a_foreign_key_that_cannot_be_deferred_is_refused_with_the_reason() {
    let db = TestDb::new(
        "fk",
        &REMAP_SCHEMA.replace("REFERENCES users (id) DEFERRABLE", "REFERENCES users (id)"),
    );
    let out = common::scratch("db-fk");
    let before = db.checksum();
    let run = remap(&db.url, &out, &["--apply"]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not DEFERRABLE"), "{stderr}");
    assert!(
        stderr
            .contains("ALTER TABLE user_notes ALTER CONSTRAINT user_notes_user_id_fkey DEFERRABLE"),
        "{stderr}"
    );
    assert_eq!(db.checksum(), before);

    // Naming only the referencing column is refused too: the ids would no longer match.
    let map = out.join("map.csv");
    std::fs::write(&map, MAP).unwrap();
    let run = cli(&[
        "remap",
        "--map",
        map.to_str().unwrap(),
        "--database-url",
        &db.url,
        "--db-column",
        "user_notes.user_id",
        "--out",
        out.join("one").to_str().unwrap(),
        "--apply",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("only one of them is named"),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(db.checksum(), before);
}

/// Waits until `count` sessions wait for a lock.
fn wait_for_lock_waiters(db: &TestDb, count: i64) {
    let mut client = db.client();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting >= count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "only {waiting} sessions wait for a lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn a_concurrent_writer_is_included_or_waits_never_lost() {
    // No foreign key here: a late dev-id row would be refused by it, not lost, but this test
    // is about the locks.
    let db = TestDb::new(
        "concurrent",
        &REMAP_SCHEMA.replace("REFERENCES users (id) DEFERRABLE", ""),
    );
    let out = common::scratch("db-concurrent");
    // A writer in the middle of its transaction when the rewrite starts.
    let mut early = db.client();
    let mut tx = early.transaction().unwrap();
    tx.execute(
        "INSERT INTO user_notes (user_id, body) VALUES ('user_d2', 'early')",
        &[],
    )
    .unwrap();
    let apply = {
        let (url, out) = (db.url.clone(), out.clone());
        std::thread::spawn(move || {
            let db = TestDb {
                name: String::new(),
                url,
                admin: String::new(),
            };
            let run = remap(&db.url, &out, &["--apply"]);
            std::mem::forget(db);
            run
        })
    };
    wait_for_lock_waiters(&db, 1);
    // A writer that comes after the rewrite asked for its locks.
    let late = {
        let url = db.url.clone();
        std::thread::spawn(move || {
            Client::connect(&url, NoTls)
                .unwrap()
                .execute(
                    "INSERT INTO user_notes (user_id, body) VALUES ('user_d2', 'late')",
                    &[],
                )
                .unwrap()
        })
    };
    wait_for_lock_waiters(&db, 2);
    tx.commit().unwrap();
    let run = apply.join().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("  user_notes.user_id: 4 rows changed"),
        "the early row is included: {}",
        text(&run.stdout)
    );
    assert_eq!(
        late.join().unwrap(),
        1,
        "the late writer waited, then wrote"
    );
    let bodies: Vec<(String, String)> = db
        .client()
        .query(
            "SELECT body, user_id FROM user_notes WHERE body IN ('early', 'late') ORDER BY body",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        bodies,
        [
            ("early".into(), "user_p2".into()),
            ("late".into(), "user_d2".into())
        ],
        "nothing lost: the early row rewritten, the late one written after the commit"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn an_unusable_database_exits_2_in_one_line_with_the_password_masked() {
    let db = TestDb::new("unusable", REMAP_SCHEMA);
    let secret = password();
    let wrong = db.url.replace(&format!(":{secret}@"), ":not-the-password@");
    let unreachable = {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        format!("postgres://clerk_test:{secret}@127.0.0.1:{port}/app")
    };
    let cases = [
        (wrong.as_str(), "user_notes.user_id", "refused the login"),
        (
            db.url.as_str(),
            "no_such_table.user_id",
            "has no table no_such_table",
        ),
        (
            db.url.as_str(),
            "user_notes.no_such_column",
            "has no column user_notes.no_such_column",
        ),
        (
            unreachable.as_str(),
            "user_notes.user_id",
            "cannot reach the database",
        ),
    ];
    for (url, column, said) in cases {
        let out = common::scratch("db-unusable");
        let _ = std::fs::remove_dir_all(&out);
        let run = cli(&[
            "reconcile",
            "--dev",
            &reconcile_fixture("dev.csv"),
            "--prod",
            &reconcile_fixture("prod.json"),
            "--database-url",
            url,
            "--db-column",
            column,
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{said}: {stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(
            stderr.contains(":****@127.0.0.1:"),
            "the address is shown masked: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(
            !stderr.contains("not-the-password") && !stderr.contains(&secret),
            "{stderr}"
        );
        assert!(!out.exists(), "nothing is written");
    }
    // The same through DATABASE_URL.
    let run = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .args([
            "reconcile",
            "--dev",
            &reconcile_fixture("dev.csv"),
            "--prod",
            &reconcile_fixture("prod.json"),
            "--db-column",
            "user_notes.user_id",
        ])
        .env("DATABASE_URL", &wrong)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("refused the login"),
        "{}",
        text(&run.stderr)
    );
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn prepare_counts_what_linked_people_wrote_in_production_and_moves_it() {
    let db = TestDb::new(
        "link",
        "CREATE TABLE user_notes (id serial PRIMARY KEY, user_id text, body text);
         INSERT INTO user_notes (user_id, body) VALUES
           ('user_d1', 'written in dev'), ('user_p1', 'written in production'), ('user_p1', 'again'), ('user_p7', 'someone new');",
    );
    let out = common::scratch("db-link");
    let dev = out.join("dev.csv");
    let production = out.join("production.csv");
    std::fs::write(
        &dev,
        "id,primary_email_address\nuser_d1,a@example.com\nuser_d2,b@example.com\n",
    )
    .unwrap();
    std::fs::write(
        &production,
        "id,primary_email_address\nuser_p1,A@example.com\nuser_p7,new@example.com\n",
    )
    .unwrap();
    let files = out.join("files");
    let run = cli(&[
        "prepare",
        dev.to_str().unwrap(),
        "--production-users",
        production.to_str().unwrap(),
        "--database-url",
        &db.url,
        "--out",
        files.to_str().unwrap(),
    ]);
    let stdout = text(&run.stdout);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{stdout}{}",
        text(&run.stderr)
    );
    assert!(
        stdout.contains("  public.user_notes.user_id: 2 rows"),
        "{stdout}"
    );
    let sql = std::fs::read_to_string(files.join("link-existing.sql")).unwrap();
    assert!(sql.contains("UPDATE \"public\".\"user_notes\""), "{sql}");
    db.client().batch_execute(&sql).unwrap();
    assert_eq!(
        db.ids("user_notes", "user_id"),
        ["user_d1", "user_d1", "user_d1", "user_p7"]
    );
    assert_password_hidden(&run, &files);

    // Without a database, the SQL counts them itself, changing nothing.
    let files = out.join("offline");
    let run = cli(&[
        "prepare",
        dev.to_str().unwrap(),
        "--production-users",
        production.to_str().unwrap(),
        "--out",
        files.to_str().unwrap(),
    ]);
    assert!(run.status.code().is_some_and(|c| c < 2));
    let db = TestDb::new(
        "link_offline",
        "CREATE TABLE user_notes (id serial PRIMARY KEY, user_id text); INSERT INTO user_notes (user_id) VALUES ('user_p1'), ('user_p1');",
    );
    let before = db.checksum();
    let sql = std::fs::read_to_string(files.join("link-existing.sql")).unwrap();
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = notices.clone();
    let mut config: postgres::Config = db.url.parse().unwrap();
    config.notice_callback(move |n| sink.lock().unwrap().push(n.message().to_string()));
    config.connect(NoTls).unwrap().batch_execute(&sql).unwrap();
    assert_eq!(
        *notices.lock().unwrap(),
        ["public.user_notes.user_id: 2 rows to move"]
    );
    assert_eq!(db.checksum(), before);
}

fn tls_admin_url() -> String {
    std::env::var("CLERK_DEV2PROD_TEST_TLS_DATABASE_URL").expect(NEEDS)
}

/// The root that signed the TLS cluster's certificate (made for `localhost` only).
fn tls_root() -> String {
    std::env::var("CLERK_DEV2PROD_TEST_TLS_ROOT").expect(NEEDS)
}

/// A root that signed nothing the cluster holds.
fn other_root() -> String {
    std::env::var("CLERK_DEV2PROD_TEST_TLS_OTHER_ROOT").expect(NEEDS)
}

/// A view that tells, from the server's side, whether the connection reading it is
/// encrypted: `user_tls` or `user_plain`, read by the command line like any id column.
const CONNECTION_SCHEMA: &str = "CREATE VIEW connection AS \
    SELECT CASE WHEN ssl THEN 'user_tls' ELSE 'user_plain' END AS user_id \
    FROM pg_stat_ssl WHERE pid = pg_backend_pid();";

/// `url` with `query` added to its settings, and its host named `localhost` when `local`.
fn with_settings(url: &str, query: &str, local: bool) -> String {
    let url = if local {
        url.replace("@127.0.0.1:", "@localhost:")
    } else {
        url.to_string()
    };
    if query.is_empty() {
        url
    } else {
        format!("{url}?{query}")
    }
}

/// reconcile reading the connection view through `url`: the run, and what the server saw
/// (`Some("user_tls")`, `Some("user_plain")`, or None when nothing was read).
fn read_connection(url: &str, env: &[(&str, &str)], out: &Path) -> (Output, Option<String>) {
    let _ = std::fs::remove_dir_all(out);
    let run = cli_with_env(
        &[
            "reconcile",
            "--dev",
            &reconcile_fixture("dev.csv"),
            "--prod",
            &reconcile_fixture("prod.json"),
            "--database-url",
            url,
            "--db-column",
            "connection.user_id",
            "--out",
            out.to_str().unwrap(),
        ],
        env,
    );
    let seen = std::fs::read_to_string(out.join("db-ids.csv"))
        .ok()
        .and_then(|ids| {
            ["user_tls", "user_plain"]
                .into_iter()
                .find(|id| ids.contains(&format!(",{id},")))
                .map(str::to_string)
        });
    (run, seen)
}

/// A refused connection: exit 2, one line saying `said`, the address masked, nothing written.
fn assert_refused(run: &Output, out: &Path, said: &str) {
    let stderr = text(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{said}: {stderr}{}",
        text(&run.stdout)
    );
    assert!(stderr.contains(said), "{said}: {stderr}");
    assert!(
        stderr.contains(":****@"),
        "the address is shown masked: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!out.exists(), "nothing is written");
    assert_password_hidden(run, out);
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn each_sslmode_against_a_server_with_tls_encrypts_and_checks_as_it_says() {
    let db = TestDb::on(&tls_admin_url(), "tls_modes", CONNECTION_SCHEMA);
    let out = common::scratch("db-tls-modes");
    let root = tls_root();
    let verify_ca = format!("sslmode=verify-ca&sslrootcert={root}");
    let verify_full = format!("sslmode=verify-full&sslrootcert={root}");
    let cases: [(&str, bool, &str, &str); 5] = [
        (
            "sslmode=disable",
            false,
            "user_plain",
            "without TLS (sslmode=disable)",
        ),
        (
            "",
            false,
            "user_tls",
            "over TLS, the certificate not checked (sslmode=prefer;",
        ),
        (
            "sslmode=require",
            false,
            "user_tls",
            "over TLS, the certificate not checked (sslmode=require;",
        ),
        // The certificate names localhost, not 127.0.0.1: verify-ca does not mind.
        (
            &verify_ca,
            false,
            "user_tls",
            "but not the host name (sslmode=verify-ca)",
        ),
        (
            &verify_full,
            true,
            "user_tls",
            "and the host name (sslmode=verify-full)",
        ),
    ];
    for (query, local, seen, said) in cases {
        let url = with_settings(&db.url, query, local);
        let (run, read) = read_connection(&url, &[], &out);
        let stdout = text(&run.stdout);
        assert!(
            run.status.code().is_some_and(|c| c < 2),
            "{query}: {stdout}{}",
            text(&run.stderr)
        );
        assert_eq!(read.as_deref(), Some(seen), "{query}: the server saw it");
        assert!(stdout.contains(said), "{query}: {stdout}");
        assert_password_hidden(&run, &out);
    }
    // The same from PGSSLMODE and PGSSLROOTCERT, as libpq reads them.
    let url = with_settings(&db.url, "", true);
    let (run, read) = read_connection(
        &url,
        &[("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", &root)],
        &out,
    );
    assert_eq!(read.as_deref(), Some("user_tls"), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("and the host name (sslmode=verify-full)"),
        "{}",
        text(&run.stdout)
    );

    // The rewrite's dry run goes over the same checked connection.
    let db = TestDb::on(&tls_admin_url(), "tls_remap", REMAP_SCHEMA);
    let out = common::scratch("db-tls-remap");
    let run = remap(&with_settings(&db.url, &verify_full, true), &out, &[]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(
        stdout.contains("and the host name (sslmode=verify-full)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  users.id: 2 rows would change"),
        "{stdout}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn a_certificate_that_cannot_be_trusted_or_names_another_host_is_refused() {
    let db = TestDb::on(&tls_admin_url(), "tls_refused", CONNECTION_SCHEMA);
    let out = common::scratch("db-tls-refused");
    let (root, other) = (tls_root(), other_root());
    let cases = [
        (
            format!("sslmode=verify-full&sslrootcert={other}"),
            true,
            format!("is not trusted by sslmode=verify-full (signed by an unknown authority; checked against the roots in {other}): give the certificate authority that signed it with sslrootcert=FILE, or use sslmode=require"),
        ),
        (
            format!("sslmode=verify-ca&sslrootcert={other}"),
            false,
            "is not trusted by sslmode=verify-ca".to_string(),
        ),
        // libpq's rule: require with a root file checks the chain.
        (
            format!("sslmode=require&sslrootcert={other}"),
            false,
            "is not trusted by sslmode=require".to_string(),
        ),
        // No root file: the system's roots, which know nothing of this one.
        (
            "sslmode=verify-full".to_string(),
            true,
            "sslrootcert=FILE".to_string(),
        ),
        (
            format!("sslmode=verify-full&sslrootcert={root}"),
            false,
            "is not for the host 127.0.0.1 (sslmode=verify-full checks the host name): connect with the host name the certificate names, or use sslmode=verify-ca".to_string(),
        ),
    ];
    for (query, local, said) in cases {
        let (run, read) = read_connection(&with_settings(&db.url, &query, local), &[], &out);
        assert_eq!(read, None, "{query}");
        assert_refused(&run, &out, &said);
    }
}

#[test]
#[ignore = "needs PostgreSQL: run `cargo xtask test`"]
fn requiring_tls_from_a_server_without_it_is_refused_and_prefer_says_it_fell_back() {
    let db = TestDb::new("tls_off", CONNECTION_SCHEMA);
    let out = common::scratch("db-tls-off");
    for mode in ["require", "verify-ca", "verify-full"] {
        let query = format!("sslmode={mode}&sslrootcert={}", tls_root());
        let (run, _) = read_connection(&with_settings(&db.url, &query, false), &[], &out);
        assert_refused(
            &run,
            &out,
            &format!("does not support TLS, and sslmode={mode} requires it: turn TLS on in the server, or, on a network you trust, use sslmode=prefer."),
        );
    }
    let (run, read) = read_connection(&db.url, &[], &out);
    assert_eq!(read.as_deref(), Some("user_plain"), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("without TLS: the server offers none (sslmode=prefer;"),
        "{}",
        text(&run.stdout)
    );
}

/// Settings refused before any connection: these need no database.
#[test]
fn tls_settings_that_cannot_be_honoured_exit_2_in_one_line() {
    let out = common::scratch("db-tls-settings");
    let not_pem = reconcile_fixture("dev.csv");
    let cases = [
        ("sslmode=verify_full", "sslmode=verify_full is not one of disable, allow, prefer, require, verify-ca, verify-full."),
        ("sslmode=require&sslrootcert=system", "sslrootcert=system needs sslmode=verify-full (not require)"),
        ("sslcert=client.crt&sslkey=client.key", "sslcert is not supported by this tool"),
        ("sslmode=verify-full&sslrootcert=/no/such/ca.pem", "cannot use sslrootcert=/no/such/ca.pem for "),
        (&format!("sslmode=verify-ca&sslrootcert={not_pem}"), "it holds no certificate."),
    ];
    for (query, said) in cases {
        let url = format!("postgres://ada:hunter2-secret@127.0.0.1:9/app?{query}");
        let _ = std::fs::remove_dir_all(&out);
        let run = cli(&[
            "reconcile",
            "--dev",
            &reconcile_fixture("dev.csv"),
            "--prod",
            &reconcile_fixture("prod.json"),
            "--database-url",
            &url,
            "--db-column",
            "user_notes.user_id",
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{query}: {stderr}");
        assert!(stderr.contains(said), "{query}: {stderr}");
        assert!(
            stderr.contains("postgres://ada:****@127.0.0.1:9/app?"),
            "{stderr}"
        );
        assert!(!stderr.contains("hunter2"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(!out.exists(), "nothing is written");
    }
}
