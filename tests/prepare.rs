//! The prepare step on fixture exports: golden files for all six outputs, and every quirk of
//! re-saved exports giving the same users as the original.
//!
//! `UPDATE_GOLDEN=1 cargo test --test prepare` rewrites the golden files; review the diff.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{
    prepare, PrepareError, PrepareOptions, Prepared, REJECTED_CSV, REPORT_JSON, USERS_CSV,
    USERS_JSON,
};
use common::root;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::fixture(&format!("exports/{name}"))).expect("fixture exists")
}

fn options(name: &str, lang: Lang) -> PrepareOptions {
    PrepareOptions {
        file_name: name.into(),
        lang,
        ..PrepareOptions::default()
    }
}

fn run(name: &str, lang: Lang) -> Prepared {
    prepare(&fixture(name), &options(name, lang)).expect("the fixture is a usable export")
}

/// Compares every output file with its golden copy under tests/golden/<case>/.
fn assert_golden(case: &str, prepared: &Prepared) {
    let dir = root().join("tests/golden").join(case);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for file in &prepared.files {
        let path = dir.join(file.name);
        if update {
            std::fs::write(&path, &file.bytes).unwrap();
            continue;
        }
        let golden = std::fs::read(&path)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
        assert!(
            golden == file.bytes,
            "{} differs from its golden copy:\n--- golden\n{}\n--- now\n{}",
            path.display(),
            String::from_utf8_lossy(&golden),
            String::from_utf8_lossy(&file.bytes)
        );
    }
}

fn users(prepared: &Prepared) -> Vec<Value> {
    let bytes = &prepared.file(USERS_JSON).unwrap().bytes;
    serde_json::from_slice::<Vec<Value>>(bytes).expect("users.json is a JSON array")
}

fn codes_on_row(prepared: &Prepared, row: usize) -> Vec<&'static str> {
    prepared
        .issues
        .iter()
        .filter(|i| i.row == row)
        .map(|i| i.code.as_str())
        .collect()
}

#[test]
fn golden_dashboard_export() {
    let prepared = run("dashboard.csv", Lang::En);
    assert_eq!(prepared.counts.rows, 5);
    assert_eq!(prepared.counts.accepted, 5);
    assert_golden("dashboard-en", &prepared);
}

#[test]
fn golden_every_problem_in_spanish() {
    let prepared = run("every-problem.csv", Lang::Es);
    assert_golden("every-problem-es", &prepared);
}

#[test]
fn golden_json_exports() {
    assert_golden("backend-api-en", &run("backend-api.json", Lang::En));
    assert_golden("flat-sample-en", &run("flat-sample.json", Lang::En));
}

#[test]
fn every_problem_is_found_on_its_row() {
    let p = run("every-problem.csv", Lang::En);
    let expect = [
        (2, vec![]),
        (3, vec!["missing_user_id"]),
        (4, vec!["duplicate_user_id"]),
        (5, vec!["no_identifier"]),
        (6, vec!["invalid_email"]),
        (7, vec!["email_refused_by_clerk"]),
        (8, vec!["duplicate_email"]),
        (9, vec!["invalid_phone"]),
        (10, vec!["phone_normalised"]),
        (11, vec!["phone_country_may_be_refused"]),
        (12, vec!["phone_normalised", "duplicate_phone"]),
        (13, vec!["duplicate_username"]),
        (14, vec!["password_without_hasher"]),
        (15, vec!["unknown_hasher"]),
        (16, vec!["digest_shape_mismatch"]),
        (17, vec!["bcrypt_cost_too_high"]),
        (18, vec!["hasher_name_normalised", "insecure_hasher"]),
        (19, vec!["hasher_without_password"]),
        (20, vec!["invalid_totp_secret"]),
        (21, vec!["totp_secret_normalised"]),
        (22, vec!["username_outside_default_rules"]),
        (23, vec!["name_dropped", "name_dropped"]),
        (24, vec!["only_unverified_identifiers"]),
        (25, vec!["unverified_left_out"]),
        (26, vec!["row_starts_with_hash"]),
        (28, vec!["extra_cells"]),
        (29, vec!["user_id_too_long"]),
        (30, vec!["invalid_phone", "name_dropped"]),
    ];
    for (row, codes) in expect {
        assert_eq!(codes_on_row(&p, row), codes, "row {row}");
    }
    let c = &p.counts;
    assert_eq!(c.rows, 28, "line 27 is a comment, not a row");
    assert_eq!(c.accepted + c.rejected, c.rows);
    assert_eq!(c.rejected, 17);
    assert_eq!(
        c.rejected_by_first_reason.values().sum::<usize>(),
        c.rejected
    );
    assert_eq!(c.rejected_by_first_reason["duplicate_email"], 1);
    let notices: Vec<_> = p.notices.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(notices, ["comment_lines_skipped", "no_password"]);
    assert_eq!(c.users_without_password, 9);
    let no_password = p
        .notices
        .iter()
        .find(|n| n.code.as_str() == "no_password")
        .unwrap();
    assert!(no_password
        .message(Lang::En)
        .starts_with("9 accepted users have"));
}

#[test]
fn the_duplicate_names_the_row_it_collides_with() {
    let p = run("every-problem.csv", Lang::En);
    let dup = p
        .issues
        .iter()
        .find(|i| i.code.as_str() == "duplicate_email")
        .unwrap();
    assert!(
        dup.message(Lang::En).contains("row 2"),
        "{}",
        dup.message(Lang::En)
    );
    let dup_phone = p
        .issues
        .iter()
        .find(|i| i.code.as_str() == "duplicate_phone")
        .unwrap();
    assert!(dup_phone.message(Lang::En).contains("row 10"));
}

#[test]
fn rejected_rows_keep_their_cells_and_cannot_run_formulas() {
    let p = run("every-problem.csv", Lang::En);
    let text = String::from_utf8(p.file(REJECTED_CSV).unwrap().bytes.clone()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "row");
    assert_eq!(&header[1], "problems");
    assert_eq!(&header[2], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), p.counts.rejected);
    let formula = rows.iter().find(|r| &r[2] == "user_formula").unwrap();
    assert_eq!(&formula[3], "'=HYPERLINK(\"http://evil.example\")");
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    // A rejected row's digest is kept as it was given, so nothing is lost.
    let shape = rows.iter().find(|r| &r[2] == "user_shape").unwrap();
    assert_eq!(&shape[13], "5f4dcc3b5aa765d61d8327deb882cf99");
}

#[test]
fn a_corrected_rejected_csv_reads_back_as_an_export() {
    let p = run("every-problem.csv", Lang::En);
    let rejected = &p.file(REJECTED_CSV).unwrap().bytes;
    let again = prepare(rejected, &options("rejected.csv", Lang::En)).unwrap();
    assert_eq!(again.counts.rows, p.counts.rejected);
    let ignored: Vec<_> = again.notices.iter().map(|n| n.message(Lang::En)).collect();
    assert!(
        ignored.iter().any(|m| m.contains("row, problems")),
        "{ignored:?}"
    );
}

/// The Dashboard export after the things spreadsheets do to it.
fn resaves(original: &str) -> Vec<(&'static str, Vec<u8>)> {
    // Re-delimit and re-terminate outside quotes, as a spreadsheet does: the fixture's quoted
    // cells hold commas and a line break, which stay as they are.
    let mut semicolons = String::new();
    let mut quoted = false;
    for c in original.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                semicolons.push(c);
            }
            ',' if !quoted => semicolons.push(';'),
            '\n' if !quoted => semicolons.push_str("\r\n"),
            _ => semicolons.push(c),
        }
    }
    // A TAB-delimited save quotes the cells that hold a TAB (the formula guard).
    let (comment, body) = original.split_once('\n').unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .terminator(csv::Terminator::CRLF)
        .from_writer(format!("{comment}\r\n").into_bytes());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    let tabs = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(semicolons.as_bytes());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(tabs.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(original);
    assert!(!lossy);
    vec![
        ("bom+semicolon+crlf", bom),
        ("tab", tabs.into_bytes()),
        ("utf16le", utf16),
        ("windows1252", cp1252.into_owned()),
    ]
}

#[test]
fn spreadsheet_resaves_give_the_same_users() {
    let original = String::from_utf8(fixture("dashboard.csv")).unwrap();
    let baseline = run("dashboard.csv", Lang::En);
    for (how, bytes) in resaves(&original) {
        let p = prepare(&bytes, &options("dashboard.csv", Lang::En)).unwrap();
        assert_eq!(p.counts.accepted, 5, "{how}");
        assert_eq!(
            p.file(USERS_JSON).unwrap().bytes,
            baseline.file(USERS_JSON).unwrap().bytes,
            "{how}: users.json differs"
        );
        let notices: Vec<_> = p.notices.iter().map(|n| n.code.as_str()).collect();
        let expected: &[&str] = match how {
            "bom+semicolon+crlf" => &["utf8_bom_removed", "delimiter_detected"],
            "tab" => &["delimiter_detected"],
            "utf16le" => &["decoded_utf16", "delimiter_detected"],
            _ => &["decoded_windows_1252"],
        };
        // Every variant also has the comment line and José, who has no password.
        let expected = [expected, &["comment_lines_skipped", "no_password"]].concat();
        assert_eq!(notices, expected, "{how}");
    }
}

#[test]
fn rows_are_numbered_as_an_editor_shows_them() {
    let p = run("dashboard.csv", Lang::En);
    // Line 1 is a comment, 2 the header; Mary's quoted name spans lines 7 and 8.
    let rows: Vec<usize> = p.issues.iter().map(|i| i.row).collect();
    assert!(
        rows.is_empty(),
        "a clean export has no row issues: {rows:?}"
    );
    let p = prepare(
        b"id,first_name,primary_email_address\nuser_1,\"A\nB\",a@example.com\nuser_2,C,bad\n",
        &PrepareOptions::default(),
    )
    .unwrap();
    let bad = p
        .issues
        .iter()
        .find(|i| i.code.as_str() == "invalid_email")
        .unwrap();
    assert_eq!(bad.row, 4);
}

#[test]
fn json_exports_map_to_the_same_names() {
    let p = run("backend-api.json", Lang::En);
    let u = users(&p);
    assert_eq!(u[0]["userId"], "user_2bA1");
    assert_eq!(u[0]["email"], "ada@example.com");
    assert!(
        u[0].get("unverifiedEmailAddresses").is_none(),
        "unverified addresses are left out by default"
    );
    assert_eq!(u[0]["phone"], "+14155550100");
    assert_eq!(u[0]["publicMetadata"]["seats"], 3);
    assert!(
        u[0].get("privateMetadata").is_none(),
        "empty metadata is left out"
    );
    assert_eq!(u[0]["createdAt"], "2023-11-14T22:13:20.000Z");
    assert_eq!(u[1]["privateMetadata"]["crm_id"], 42);
    assert_eq!(
        codes_on_row(&p, 2),
        ["password_not_in_export", "unverified_left_out"]
    );
    assert_eq!(codes_on_row(&p, 25), ["totp_not_in_export"]);

    let p = run("flat-sample.json", Lang::En);
    let u = users(&p);
    assert_eq!(u.len(), 1);
    assert_eq!(
        u[0]["emailAddresses"],
        serde_json::json!(["enigma@example.org"])
    );
    assert_eq!(
        u[0]["backupCodes"],
        serde_json::json!(["1234-5678", "8765-4321"])
    );
    assert_eq!(u[0]["createdAt"], "2024-02-29T12:00:00Z");
    assert_eq!(codes_on_row(&p, 22), ["invalid_metadata"]);
}

#[test]
fn unusable_inputs_are_refused_with_what_to_do() {
    let cases: [(&[u8], &str); 5] = [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (b"email,name,uid\na@example.com,A,1\n", "email, name, uid"),
        (b"[{\"id\": 1,,}]", "cannot be read"),
        (b"{\"users\": []}", "not an array"),
    ];
    for (bytes, says) in cases {
        let err = prepare(bytes, &PrepareOptions::default()).unwrap_err();
        let message = err.message(Lang::En);
        assert!(message.contains(says), "{message}");
        assert!(!err.message(Lang::Es).is_empty());
    }
    let err = prepare(
        b"id\nuser_1\n",
        &PrepareOptions {
            claim_name: "sub".into(),
            ..PrepareOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, PrepareError::ClaimName(_)));
}

#[test]
fn report_counts_match_the_issue_records() {
    let p = run("every-problem.csv", Lang::En);
    let report: Value = serde_json::from_slice(&p.file(REPORT_JSON).unwrap().bytes).unwrap();
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), p.issues.len());
    let errors = issues.iter().filter(|i| i["severity"] == "error").count();
    assert_eq!(report["counts"]["errors"], errors);
    for issue in issues {
        assert!(issue["message"]["en"].is_string() && issue["message"]["es"].is_string());
        assert!(issue["fix"]["en"].is_string() && issue["fix"]["es"].is_string());
    }
    let by_code: usize = report["counts"]["by_code"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap() as usize)
        .sum();
    assert_eq!(by_code, issues.len());
}

#[test]
fn outputs_are_deterministic_and_bomless() {
    let a = run("every-problem.csv", Lang::En);
    let b = run("every-problem.csv", Lang::En);
    assert_eq!(a.files, b.files);
    for file in &a.files {
        assert!(!file.bytes.starts_with(b"\xEF\xBB\xBF"), "{}", file.name);
        assert!(std::str::from_utf8(&file.bytes).is_ok(), "{}", file.name);
    }
}

#[test]
fn a_claim_name_reaches_the_snippet_and_the_runbook() {
    let mut opts = options("dashboard.csv", Lang::En);
    opts.claim_name = "devUserId".into();
    let p = prepare(&fixture("dashboard.csv"), &opts).unwrap();
    let claims = String::from_utf8(p.file("session-claims.json").unwrap().bytes.clone()).unwrap();
    assert_eq!(
        claims,
        "{\n  \"devUserId\": \"{{user.external_id || user.id}}\"\n}\n"
    );
    let runbook = String::from_utf8(p.file("MIGRATION.md").unwrap().bytes.clone()).unwrap();
    assert!(runbook.contains("sessionClaims.devUserId"));
    assert!(runbook.contains("bun migrate -y -t clerk -f users.json --resume-after user_"));
}

#[test]
fn the_migration_tools_flat_shape_is_read_as_itself() {
    let p = run("tool-flat.json", Lang::En);
    assert_eq!(p.input.format.label(), "flat JSON");
    let u = users(&p);
    // Rosalind: metadata, backup codes and TOTP carried; the address listed only under
    // email_addresses (a key the tool does not read) named on the row, not imported.
    assert_eq!(u[0]["userId"], "user_3fA1");
    assert_eq!(u[0]["email"], "rosalind@example.com");
    assert!(u[0].get("emailAddresses").is_none());
    assert_eq!(u[0]["publicMetadata"]["lab"], "kings");
    assert_eq!(u[0]["privateMetadata"]["crm_id"], 7);
    assert_eq!(
        u[0]["backupCodes"],
        serde_json::json!(["1111-2222", "3333-4444"])
    );
    assert_eq!(u[0]["totpSecret"], "JBSWY3DPEHPK3PXP");
    assert_eq!(codes_on_row(&p, 2), ["addresses_under_unread_key"]);
    let unread = p.issues.iter().find(|i| i.row == 2).unwrap();
    assert!(unread.message(Lang::En).contains("photo51@example.org"));
    assert!(!unread.message(Lang::En).contains("rosalind@"));
    // Chien-Shiung: only a primary phone; imported with it, nothing to say.
    assert_eq!(u[1]["userId"], "user_3fA2");
    assert_eq!(u[1]["phone"], "+14155550123");
    assert!(
        codes_on_row(&p, 22).is_empty(),
        "{:?}",
        codes_on_row(&p, 22)
    );
    // Lise: her primary is also listed as unverified, so it is left out and the verified
    // secondary becomes the first address; a `|` string list is read like an array.
    assert_eq!(u[2]["email"], "fission@example.org");
    assert!(u[2].get("emailAddresses").is_none());
    assert_eq!(codes_on_row(&p, 42), ["unverified_left_out"]);
    // Emmy: her only address is under email_addresses, which the tool would not import
    // either: rejected, with the key named.
    assert_eq!(u.len(), 3);
    assert_eq!(
        codes_on_row(&p, 59),
        ["addresses_under_unread_key", "no_identifier"]
    );
    // No key the tool maps is reported as ignored.
    let ignored = p
        .notices
        .iter()
        .find(|n| n.code.as_str() == "ignored_columns")
        .unwrap();
    assert_eq!(
        ignored.detail,
        clerk_dev2prod::core::issue::Detail::List("has_image, image_url".into())
    );
}

#[test]
fn unverified_addresses_are_kept_only_when_asked() {
    let export =
        b"id,primary_email_address,verified_email_addresses,unverified_email_addresses,username\n\
user_1,ada@example.com,ada@example.com,ada@example.com|old@example.com,\n\
user_2,,,only@example.com,\n\
user_3,grace@example.com,grace@example.com,g2@example.com,grace_h\n";
    let default = prepare(export, &PrepareOptions::default()).unwrap();
    assert_eq!(default.counts.accepted, 1);
    assert_eq!(
        default.counts.rejected, 2,
        "user_1 and user_2 have only unverified addresses"
    );
    let u = users(&default);
    assert_eq!(u[0]["userId"], "user_3");
    assert!(u[0].get("unverifiedEmailAddresses").is_none());
    assert_eq!(default.counts.users_with_unverified_addresses, 3);

    let keep = PrepareOptions {
        keep_unverified: true,
        ..PrepareOptions::default()
    };
    let kept = prepare(export, &keep).unwrap();
    assert_eq!(kept.counts.accepted, 3);
    let u = users(&kept);
    // Never as `email`: the primary cell was listed unverified too.
    assert!(u[0].get("email").is_none());
    assert_eq!(
        u[0]["unverifiedEmailAddresses"],
        serde_json::json!(["ada@example.com", "old@example.com"])
    );
    assert_eq!(
        codes_on_row(&kept, 2),
        ["unverified_made_verified", "unverified_kept"]
    );
    assert_eq!(codes_on_row(&kept, 4), ["unverified_kept"]);
    let runbook = String::from_utf8(kept.file("MIGRATION.md").unwrap().bytes.clone()).unwrap();
    assert!(
        runbook.contains("Unverified addresses are kept, as asked (3 users)"),
        "{runbook}"
    );
}

#[test]
fn users_csv_reads_back_as_the_same_users() {
    for name in [
        "dashboard.csv",
        "backend-api.json",
        "tool-flat.json",
        "every-problem.csv",
    ] {
        let p = run(name, Lang::En);
        let bytes = &p.file(USERS_CSV).unwrap().bytes;
        assert!(
            !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.contains(&b'\r'),
            "{name}"
        );
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            clerk_dev2prod::core::record::DASHBOARD_COLUMNS,
            "{name}"
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let json = users(&p);
        assert_eq!(rows.len(), json.len(), "{name}: the same users");
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        let list = |first: &Value, rest: &Value| {
            let mut all: Vec<String> = first.as_str().map(String::from).into_iter().collect();
            all.extend(rest.as_array().into_iter().flatten().map(text));
            all.join("|")
        };
        for (row, user) in rows.iter().zip(&json) {
            assert_eq!(row[0], text(&user["userId"]), "{name}");
            assert_eq!(row[1], text(&user["firstName"]), "{name}");
            assert_eq!(row[2], text(&user["lastName"]), "{name}");
            assert_eq!(row[3], text(&user["username"]), "{name}");
            assert_eq!(row[4], text(&user["email"]), "{name}");
            assert_eq!(row[5], text(&user["phone"]), "{name}");
            assert!(!row[5].starts_with('\t'), "{name}: no formula TAB");
            assert_eq!(
                row[6],
                list(&user["email"], &user["emailAddresses"]),
                "{name}"
            );
            assert_eq!(
                row[8],
                list(&user["phone"], &user["phoneNumbers"]),
                "{name}"
            );
            assert_eq!(row[10], text(&user["totpSecret"]), "{name}");
            assert_eq!(row[11], text(&user["password"]), "{name}");
            assert_eq!(row[12], text(&user["passwordHasher"]), "{name}");
        }
    }
}

#[test]
fn counts_read_right_for_zero_one_and_many_in_both_languages() {
    // 0, 1 and 2 users without a password, rejected rows and accepted users.
    let header = "id,primary_email_address,password_digest,password_hasher\n";
    let bcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    let exports = [
        format!("{header}user_1,a@example.com,{bcrypt},bcrypt\nuser_2,b@example.com,{bcrypt},bcrypt\n,x@example.com,,\n,y@example.com,,\n"),
        format!("{header}user_1,a@example.com,,\nuser_2,b@example.com,{bcrypt},bcrypt\n,x@example.com,,\n"),
        format!("{header}user_1,a@example.com,,\nuser_2,b@example.com,,\n"),
    ];
    let expect_en = [
        [
            "0 users are created without a password",
            "**2 rows were rejected**",
            "shows 2 more users",
        ],
        [
            "1 user is created without a password",
            "**1 row was rejected**",
            "shows 2 more users",
        ],
        [
            "2 users are created without a password",
            "Every row was accepted",
            "shows 2 more users",
        ],
    ];
    let expect_es = [
        [
            "0 usuarios se crean sin contraseña",
            "**Se rechazaron 2 filas**",
            "muestra 2 usuarios más",
        ],
        [
            "1 usuario se crea sin contraseña",
            "**Se rechazó 1 fila**",
            "muestra 2 usuarios más",
        ],
        [
            "2 usuarios se crean sin contraseña",
            "Se aceptaron todas las filas",
            "muestra 2 usuarios más",
        ],
    ];
    for (export, (en, es)) in exports.iter().zip(expect_en.iter().zip(&expect_es)) {
        for (lang, expected) in [(Lang::En, en), (Lang::Es, es)] {
            let p = prepare(export.as_bytes(), &options("x.csv", lang)).unwrap();
            let md = String::from_utf8(p.file("MIGRATION.md").unwrap().bytes.clone()).unwrap();
            for sentence in expected {
                assert!(md.contains(sentence), "{sentence:?} missing:\n{md}");
            }
            assert!(
                !md.contains("(s)") && !md.contains("1 users") && !md.contains("1 usuarios"),
                "{md}"
            );
        }
    }
    let one = prepare(exports[1].as_bytes(), &options("x.csv", Lang::En)).unwrap();
    let notice = one
        .notices
        .iter()
        .find(|n| n.code.as_str() == "no_password")
        .unwrap();
    assert!(notice
        .message(Lang::En)
        .starts_with("1 accepted user has no password digest"));
    assert!(notice
        .message(Lang::Es)
        .starts_with("1 usuario aceptado no tiene"));
}
