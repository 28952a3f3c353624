//! `cargo xtask bench database`: the command line against a real PostgreSQL (the throwaway
//! cluster xtask starts), on 6 tables of 200k rows each (1.2M rows) owned by 100 users:
//! discovery + read (`reconcile --database-url`), the dry run and `--apply` of `remap`, and
//! `remap-undo.sql`, beside the floor: a plain `UPDATE … FROM` of the same rows typed by
//! hand, committed. `BENCH_DB_ROWS` sets the rows per table.

#[cfg(not(target_arch = "wasm32"))]
use std::process::Command;
#[cfg(not(target_arch = "wasm32"))]
use std::time::Instant;

#[cfg(not(target_arch = "wasm32"))]
use postgres::{Client, NoTls};

#[cfg(not(target_arch = "wasm32"))]
const TABLES: usize = 6;
#[cfg(not(target_arch = "wasm32"))]
const USERS: usize = 100;

/// The page's build has no database client, and nothing to measure here.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // `cargo test` runs benches in test mode with --bench absent; only run when asked.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Ok(admin) = std::env::var("CLERK_DEV2PROD_TEST_DATABASE_URL") else {
        println!("skipped: no database (run `cargo xtask bench database`)");
        return;
    };
    let rows: usize = std::env::var("BENCH_DB_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let name = format!("bench_{}", std::process::id());
    let mut server = Client::connect(&admin, NoTls).expect("the cluster answers");
    server
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    server
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = admin.replace("/postgres", &format!("/{name}"));
    let mut db = Client::connect(&url, NoTls).unwrap();
    let seeding = Instant::now();
    for t in 1..=TABLES {
        db.batch_execute(&format!(
            "CREATE TABLE user_table_{t} (id bigserial PRIMARY KEY, user_id text NOT NULL, payload text);
             INSERT INTO user_table_{t} (user_id, payload)
               SELECT 'user_dev' || (i % {USERS}), md5(i::text) FROM generate_series(1, {rows}) AS i;
             CREATE INDEX ON user_table_{t} (user_id);"
        ))
        .unwrap();
    }
    db.batch_execute("VACUUM ANALYZE").unwrap();
    let total = rows * TABLES;
    println!(
        "{TABLES} tables x {rows} rows = {total} rows owned by {USERS} users (seeded in {:.1} s)",
        seeding.elapsed().as_secs_f64()
    );

    let dir = std::env::temp_dir().join(format!("clerk-dev2prod-bench-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut dev = String::from("id,primary_email_address\n");
    let mut prod = String::from("id,external_id,primary_email_address\n");
    let mut map = String::from("dev_user_id,prod_user_id,email,matched_by\n");
    for u in 0..USERS {
        dev.push_str(&format!("user_dev{u},u{u}@example.com\n"));
        prod.push_str(&format!("user_prod{u},user_dev{u},u{u}@example.com\n"));
        map.push_str(&format!(
            "user_dev{u},user_prod{u},u{u}@example.com,external_id\n"
        ));
    }
    for (file, text) in [("dev.csv", &dev), ("prod.csv", &prod), ("id-map.csv", &map)] {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let path = |f: &str| dir.join(f).display().to_string();
    let columns: Vec<String> = (1..=TABLES)
        .flat_map(|t| ["--db-column".to_string(), format!("user_table_{t}.user_id")])
        .collect();
    let cli = |args: &[String]| {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .args(args)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        let seconds = start.elapsed().as_secs_f64();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (seconds, String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let report = |what: &str, seconds: f64| {
        println!(
            "{what:<44} {seconds:>7.2} s  {:>11.0} rows/s",
            total as f64 / seconds
        );
    };
    let strings = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();

    let (seconds, said) = cli(&strings(&[
        "reconcile",
        "--dev",
        &path("dev.csv"),
        "--prod",
        &path("prod.csv"),
        "--database-url",
        &url,
        "--out",
        &path("reconcile"),
    ]));
    assert!(
        said.contains(&format!("public.user_table_1.user_id: {USERS} user ids")),
        "{said}"
    );
    report("reconcile: discovery + read (read-only)", seconds);

    // The floor: the same rewrite typed by hand, one transaction, no checks.
    let values: Vec<String> = (0..USERS)
        .map(|u| format!("('user_dev{u}', 'user_prod{u}')"))
        .collect();
    let by_hand = |from: usize, to: usize| {
        let mut sql = String::from("BEGIN;\n");
        for t in 1..=TABLES {
            sql.push_str(&format!(
                "UPDATE user_table_{t} t SET user_id = m.c{to} FROM (VALUES {}) AS m(c0, c1) WHERE t.user_id = m.c{from};\n",
                values.join(", ")
            ));
        }
        sql.push_str("COMMIT;\n");
        sql
    };
    let start = Instant::now();
    db.batch_execute(&by_hand(0, 1)).unwrap();
    let floor = start.elapsed().as_secs_f64();
    db.batch_execute(&by_hand(1, 0)).unwrap();
    db.batch_execute("VACUUM ANALYZE").unwrap();

    let mut remap = strings(&[
        "remap",
        "--map",
        &path("id-map.csv"),
        "--database-url",
        &url,
        "--out",
        &path("remap"),
    ]);
    remap.extend(columns.iter().cloned());
    let (dry, said) = cli(&remap);
    assert!(
        said.contains(&format!(
            "user_table_1.user_id: {} rows would change",
            group(rows)
        )),
        "{said}"
    );
    report("remap: dry run (rolled back)", dry);
    db.batch_execute("VACUUM ANALYZE").unwrap();
    remap.push("--apply".into());
    let (apply, said) = cli(&remap);
    assert!(
        said.contains(&format!(
            "user_table_1.user_id: {} rows changed",
            group(rows)
        )),
        "{said}"
    );
    report("remap --apply (committed)", apply);
    let undo = std::fs::read_to_string(dir.join("remap/remap-undo.sql")).unwrap();
    let start = Instant::now();
    db.batch_execute(&undo).unwrap();
    report("remap-undo.sql", start.elapsed().as_secs_f64());
    report("floor: plain UPDATE … FROM by hand", floor);
    println!(
        "apply / floor: {:.2}x (the apply includes connecting, the FK check, one counting scan per table, the read of untouched rows and the process start)",
        apply / floor
    );

    drop(db);
    let _ = server.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// 200000 as the command line prints it in English: 200,000.
#[cfg(not(target_arch = "wasm32"))]
fn group(n: usize) -> String {
    clerk_dev2prod::core::lang::group_digits(clerk_dev2prod::core::lang::Lang::En, n)
}
