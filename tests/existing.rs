//! Users who already exist in production, found before the import from an export of the
//! production instance, left out of `users.json`, and linked by `link-existing.sh`, which is
//! run here against a stand-in for Clerk's Backend API on 127.0.0.1.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use clerk_dev2prod::core::existing::{
    ProductionUsers, LINK_EXISTING_CSV, LINK_EXISTING_SH, LINK_EXISTING_SQL,
};
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{prepare, PrepareOptions, Prepared, USERS_JSON};
use serde_json::Value;

fn run(production: Option<&str>, lang: Lang) -> Prepared {
    let export = std::fs::read(common::fixture("exports/dashboard.csv")).unwrap();
    let production = production.map(|name| {
        let bytes = std::fs::read(common::fixture(&format!("production/{name}"))).unwrap();
        Arc::new(ProductionUsers::read(&bytes).expect("a usable production export"))
    });
    let options = PrepareOptions {
        file_name: "dashboard.csv".into(),
        lang,
        production,
        ..PrepareOptions::default()
    };
    prepare(&export, &options).unwrap()
}

fn codes(p: &Prepared, user: &str) -> Vec<&'static str> {
    p.issues
        .iter()
        .filter(|i| &*i.user_id == user)
        .map(|i| i.code.as_str())
        .collect()
}

fn user_ids(p: &Prepared) -> Vec<String> {
    let users: Vec<Value> = serde_json::from_slice(&p.file(USERS_JSON).unwrap().bytes).unwrap();
    users
        .iter()
        .map(|u| u["userId"].as_str().unwrap().to_string())
        .collect()
}

fn text(p: &Prepared, name: &str) -> String {
    String::from_utf8(p.file(name).unwrap().bytes.clone()).unwrap()
}

#[test]
fn collisions_are_found_by_each_identifier_in_every_shape() {
    for shape in ["before-import.csv", "before-import.json"] {
        let p = run(Some(shape), Lang::En);
        // Ada: same email in another case. José: his secondary address. Mary: her phone
        // written another way. Grace: her email and her username belong to two different
        // production users, which is an error, never a guess.
        assert_eq!(
            codes(&p, "user_2aXk1"),
            ["already_in_production"],
            "{shape}"
        );
        assert_eq!(
            codes(&p, "user_2aXk3"),
            ["already_in_production"],
            "{shape}"
        );
        assert_eq!(
            codes(&p, "user_2aXk5"),
            ["already_in_production"],
            "{shape}"
        );
        assert_eq!(codes(&p, "user_2aXk2"), ["production_ambiguous"], "{shape}");
        let grace = p
            .issues
            .iter()
            .find(|i| &*i.user_id == "user_2aXk2")
            .unwrap();
        let message = grace.message(Lang::En);
        assert!(
            message.contains("user_p2Grace") && message.contains("user_p3GraceH"),
            "{message}"
        );
        let links = text(&p, LINK_EXISTING_CSV);
        assert_eq!(
            links,
            "dev_user_id,prod_user_id,matched_by,email\n\
             user_2aXk1,user_p1Ada,email,ada@example.com\n\
             user_2aXk3,user_p4Jose,email,jose@example.es\n\
             user_2aXk5,user_p6Mary,phone,\n",
            "{shape}"
        );
        assert_eq!(p.counts.rejected, 1, "{shape}: Grace");
        assert_eq!(
            p.counts.accepted + p.counts.rejected + p.counts.already_in_production,
            p.counts.rows
        );
    }
    // The Dashboard CSV has no external_id: Kate is imported. The Backend API export says
    // an earlier run imported her: she is left out, so a re-run cannot fail on her.
    let csv = run(Some("before-import.csv"), Lang::En);
    assert_eq!(user_ids(&csv), ["user_2aXk4"]);
    assert_eq!(csv.counts.already_in_production, 3);
    let json = run(Some("before-import.json"), Lang::En);
    assert_eq!(user_ids(&json), Vec::<String>::new());
    assert_eq!(codes(&json, "user_2aXk4"), ["imported_earlier"]);
    assert_eq!(
        (
            json.counts.already_in_production,
            json.counts.imported_earlier
        ),
        (4, 1)
    );
    assert!(
        !text(&json, LINK_EXISTING_CSV).contains("user_2aXk4"),
        "nothing to link"
    );
}

#[test]
fn a_username_collision_and_no_collision() {
    let export = b"id,username,primary_email_address\nuser_d1,Ada_L,a@example.com\nuser_d2,bob_b,b@example.com\n";
    let production = b"id,username,primary_email_address\nuser_p1,ada_l,other@example.com\n";
    let options = PrepareOptions {
        production: Some(Arc::new(ProductionUsers::read(production).unwrap())),
        ..PrepareOptions::default()
    };
    let p = prepare(export, &options).unwrap();
    assert_eq!(codes(&p, "user_d1"), ["already_in_production"]);
    assert!(
        p.issues[0].message(Lang::En).contains("same username"),
        "{}",
        p.issues[0].message(Lang::En)
    );
    assert_eq!(user_ids(&p), ["user_d2"]);

    // Production users who match nobody change nothing: users.json is byte for byte the
    // file made without the check.
    let unrelated = b"id,primary_email_address\nuser_p9,someone@example.net\n";
    let with = PrepareOptions {
        production: Some(Arc::new(ProductionUsers::read(unrelated).unwrap())),
        ..PrepareOptions::default()
    };
    let checked = prepare(export, &with).unwrap();
    let unchecked = prepare(export, &PrepareOptions::default()).unwrap();
    assert_eq!(checked.file(USERS_JSON), unchecked.file(USERS_JSON));
    assert_eq!(checked.counts.already_in_production, 0);
    assert!(text(&checked, "MIGRATION.md").contains("none of these users exists there yet"));
    // Without the check, the runbook says it did not run and why that matters.
    let runbook = text(&unchecked, "MIGRATION.md");
    assert!(
        runbook.contains("Not checked: no export of the production instance was given"),
        "{runbook}"
    );
    assert!(unchecked.file(LINK_EXISTING_SH).is_none());
}

#[test]
fn the_runbook_counts_read_right_in_both_languages() {
    let en = text(&run(Some("before-import.json"), Lang::En), "MIGRATION.md");
    assert!(en.contains("- Already in production: **4** (not in `users.json`: 3 to link with `link-existing.sh`, 1 imported by an earlier run)"), "{en}");
    assert!(
        en.contains("- 3 people already have a production account"),
        "{en}"
    );
    assert!(
        en.contains("- 1 user was imported by an earlier run"),
        "{en}"
    );
    let es = text(&run(Some("before-import.json"), Lang::Es), "MIGRATION.md");
    assert!(
        es.contains("- 3 personas ya tienen cuenta de producción"),
        "{es}"
    );
    assert!(
        es.contains("- 1 usuario se importó en una ejecución anterior"),
        "{es}"
    );
    let one = b"id,primary_email_address\nuser_d1,a@example.com\n";
    let production = b"id,primary_email_address\nuser_p1,A@example.com\n";
    let options = PrepareOptions {
        production: Some(Arc::new(ProductionUsers::read(production).unwrap())),
        ..PrepareOptions::default()
    };
    let md = text(&prepare(one, &options).unwrap(), "MIGRATION.md");
    assert!(
        md.contains("- 1 person already has a production account"),
        "{md}"
    );
    assert!(
        md.contains("No row was rejected; 1 user already in production is left out"),
        "{md}"
    );
}

fn shellcheck() -> PathBuf {
    std::env::var_os("SHELLCHECK")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join("shellcheck"))
                .find(|p| p.is_file())
        })
        .expect(
            "shellcheck is needed: `cargo xtask test` installs it, or `apt-get install shellcheck`",
        )
}

#[test]
fn the_link_script_passes_shellcheck() {
    let dir = common::scratch("shellcheck");
    let p = run(Some("before-import.json"), Lang::En);
    let script = dir.join(LINK_EXISTING_SH);
    std::fs::write(&script, &p.file(LINK_EXISTING_SH).unwrap().bytes).unwrap();
    let out = Command::new(shellcheck())
        .args(["--shell=sh", "--severity=style"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let sql = text(&p, LINK_EXISTING_SQL);
    assert!(sql.contains("('user_p1Ada', 'user_2aXk1')"), "{sql}");
    let _ = std::fs::remove_dir_all(dir);
}

/// One request as the stand-in server saw it.
#[derive(Debug)]
struct Seen {
    method: String,
    path: String,
    authorization: String,
    body: Value,
}

/// Serves `count` requests on 127.0.0.1, answering each with 200 and a user object.
fn stand_in(count: usize) -> (String, std::thread::JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(count) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut parts = request_line.split_whitespace();
            let (method, path) = (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().to_string(),
            );
            let (mut length, mut authorization) = (0usize, String::new());
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').unwrap();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap(),
                    "authorization" => authorization = value.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let reply = br#"{"object":"user","id":"user_x"}"#;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reply.len()
            )
            .unwrap();
            stream.write_all(reply).unwrap();
            seen.push(Seen {
                method,
                path,
                authorization,
                body: serde_json::from_slice(&body).unwrap(),
            });
        }
        seen
    });
    (url, handle)
}

fn run_script(script: &Path, url: &str, key: &str) -> std::process::Output {
    Command::new("sh")
        .arg(script)
        .env("CLERK_SECRET_KEY", key)
        .env("CLERK_API_URL", url)
        .output()
        .unwrap()
}

#[test]
fn the_link_script_sends_one_patch_per_user_with_the_key_only_in_the_header() {
    let key = "sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7";
    let dir = common::scratch("link");
    let p = run(Some("before-import.json"), Lang::En);
    for file in &p.files {
        let bytes = String::from_utf8_lossy(&file.bytes);
        assert!(!bytes.contains(&key[..20]), "{} holds the key", file.name);
    }
    let script = dir.join(LINK_EXISTING_SH);
    std::fs::write(&script, &p.file(LINK_EXISTING_SH).unwrap().bytes).unwrap();
    let expected = [
        ("/v1/users/user_p1Ada", "user_2aXk1"),
        ("/v1/users/user_p4Jose", "user_2aXk3"),
        ("/v1/users/user_p6Mary", "user_2aXk5"),
    ];
    // Twice: setting the same external_id again changes nothing, and the script says so.
    for _ in 0..2 {
        let (url, server) = stand_in(expected.len());
        let out = run_script(&script, &url, key);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.matches("linked ").count(), 3, "{stdout}");
        assert!(!stdout.contains(key) && !String::from_utf8_lossy(&out.stderr).contains(key));
        let seen = server.join().unwrap();
        assert_eq!(seen.len(), expected.len());
        for (request, (path, dev_id)) in seen.iter().zip(expected) {
            assert_eq!(request.method, "PATCH");
            assert_eq!(request.path, path);
            assert_eq!(request.authorization, format!("Bearer {key}"));
            assert_eq!(request.body, serde_json::json!({ "external_id": dev_id }));
        }
    }
    // Without the key the script refuses before sending anything.
    let out = Command::new("sh")
        .arg(&script)
        .env_remove("CLERK_SECRET_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CLERK_SECRET_KEY"));
    let _ = std::fs::remove_dir_all(dir);
}

/// The English names of the identifiers, as whole words: a Spanish sentence must say
/// "correo", "teléfono" and "nombre de usuario" instead ("external_id" is code, and stays).
fn english_field_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "email" | "emails" | "phone" | "phones" | "username" | "usernames"
            )
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_collision_by_each_identifier_is_told_in_spanish_words() {
    use clerk_dev2prod::core::reconcile::{reconcile, ReconcileInput, RECONCILE_MD};
    let dev = b"id,username,primary_email_address,primary_phone_number\n\
                user_d1,,ada@example.com,\n\
                user_d2,,,+14155550100\n\
                user_d3,grace_h,,\n";
    let production = b"id,username,primary_email_address,primary_phone_number\n\
                       user_p1,,ADA@example.com,\n\
                       user_p2,,,+1 415 555 0100\n\
                       user_p3,Grace_H,,\n";
    let options = PrepareOptions {
        lang: Lang::Es,
        production: Some(Arc::new(ProductionUsers::read(production).unwrap())),
        ..PrepareOptions::default()
    };
    let p = prepare(dev, &options).unwrap();
    for (user, said) in [
        ("user_d1", "mismo correo"),
        ("user_d2", "mismo teléfono"),
        ("user_d3", "mismo nombre de usuario"),
    ] {
        let issue = p.issues.iter().find(|i| &*i.user_id == user).unwrap();
        assert_eq!(issue.code.as_str(), "already_in_production");
        let (message, fix) = (issue.message(Lang::Es), issue.fix(Lang::Es));
        assert!(message.contains(said), "{message}");
        assert_eq!(
            english_field_words(&message),
            Vec::<String>::new(),
            "{message}"
        );
        assert_eq!(english_field_words(&fix), Vec::<String>::new(), "{fix}");
    }

    // After the import, the same people found by each identifier and not linked.
    let after = b"id,external_id,username,primary_email_address,primary_phone_number\n\
                  user_p1,,,ADA@example.com,\n\
                  user_p2,,,,+1 415 555 0100\n\
                  user_p3,,Grace_H,,\n";
    let input = ReconcileInput {
        dev,
        prod: after,
        logs: vec![],
        db_ids: None,
    };
    let r = reconcile(&input, Lang::Es).unwrap();
    assert_eq!(r.counts.exists_not_linked, 3);
    let md = String::from_utf8(
        r.files
            .iter()
            .find(|f| f.name == RECONCILE_MD)
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    let section = md
        .split("## Ya en producción, sin vincular")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    for line in ["(correo)", "(teléfono)", "(nombre de usuario)"] {
        assert!(section.contains(line), "{section}");
    }
    assert_eq!(
        english_field_words(section),
        Vec::<String>::new(),
        "{section}"
    );
}

/// A dev export of `n` people who signed up in production before the import, `earlier`
/// users an earlier run imported, and one newcomer; and the production export taken before
/// this import.
fn collisions(n: usize, earlier: usize) -> (Vec<u8>, Vec<u8>) {
    let mut dev = String::from("id,primary_email_address\nuser_new,new@example.com\n");
    let mut prod = String::from("id,external_id,primary_email_address\n");
    for i in 0..n {
        dev.push_str(&format!("user_d{i},p{i}@example.com\n"));
        prod.push_str(&format!("user_p{i},,P{i}@example.com\n"));
    }
    for i in 0..earlier {
        dev.push_str(&format!("user_e{i},e{i}@example.com\n"));
        prod.push_str(&format!("user_q{i},user_e{i},e{i}@example.com\n"));
    }
    (dev.into_bytes(), prod.into_bytes())
}

#[test]
fn counts_read_right_for_0_1_and_many_in_both_languages() {
    use clerk_dev2prod::core::existing::{headline, read_sentence};
    let prepared = |n: usize, earlier: usize, lang: Lang| {
        let (dev, prod) = collisions(n, earlier);
        let options = PrepareOptions {
            lang,
            production: Some(Arc::new(ProductionUsers::read(&prod).unwrap())),
            ..PrepareOptions::default()
        };
        prepare(&dev, &options).unwrap()
    };
    let expect = |n: usize, earlier: usize, lang: Lang, said: &[&str]| {
        let p = prepared(n, earlier, lang);
        assert_eq!(p.counts.already_in_production, n + earlier);
        let md = text(&p, "MIGRATION.md");
        for line in said {
            assert!(md.contains(line), "{n}+{earlier} {lang:?}: {line}\n{md}");
        }
    };
    expect(1, 0, Lang::En, &[
        "- Already in production: **1** (not in `users.json`: 1 to link with `link-existing.sh`); see section 5.",
        "- 1 person already has a production account",
        "No row was rejected; 1 user already in production is left out of `users.json`",
    ]);
    expect(2, 0, Lang::En, &[
        "- Already in production: **2** (not in `users.json`: 2 to link with `link-existing.sh`); see section 5.",
        "- 2 people already have a production account",
        "No row was rejected; 2 users already in production are left out of `users.json`",
    ]);
    expect(1, 0, Lang::Es, &[
        "- Ya en producción: **1** (no está en `users.json`: 1 por vincular con `link-existing.sh`); mira la sección 5.",
        "- 1 persona ya tiene cuenta de producción",
        "No se rechazó ninguna fila; 1 usuario que ya está en producción queda fuera de `users.json`",
    ]);
    expect(2, 0, Lang::Es, &[
        "- Ya en producción: **2** (no están en `users.json`: 2 por vincular con `link-existing.sh`); mira la sección 5.",
        "- 2 personas ya tienen cuenta de producción",
        "No se rechazó ninguna fila; 2 usuarios que ya están en producción quedan fuera de `users.json`",
    ]);
    expect(0, 1, Lang::En, &[
        "- Already in production: **1** (not in `users.json`: 1 imported by an earlier run); see section 5.",
        "- 1 user was imported by an earlier run",
    ]);
    expect(2, 2, Lang::En, &[
        "- Already in production: **4** (not in `users.json`: 2 to link with `link-existing.sh`, 2 imported by an earlier run); see section 5.",
        "- 2 users were imported by an earlier run",
    ]);
    expect(0, 1, Lang::Es, &[
        "- Ya en producción: **1** (no está en `users.json`: 1 importado en una ejecución anterior); mira la sección 5.",
        "- 1 usuario se importó en una ejecución anterior",
    ]);
    expect(1, 2, Lang::Es, &[
        "- Ya en producción: **3** (no están en `users.json`: 1 por vincular con `link-existing.sh`, 2 importados en una ejecución anterior); mira la sección 5.",
        "- 2 usuarios se importaron en una ejecución anterior",
    ]);
    for lang in Lang::ALL {
        let md = text(&prepared(0, 0, lang), "MIGRATION.md");
        assert!(
            !md.contains("Already in production: **") && !md.contains("Ya en producción: **"),
            "no line for nobody: {md}"
        );
        assert!(
            md.contains(lang.pick(
                "none of these users exists there yet",
                "ninguno de estos usuarios existe aún allí"
            )),
            "{md}"
        );
    }

    // The page's headline, from the same core.
    let h = |lang, accepted, prod, already, ambiguous| {
        headline(lang, "prod.csv", accepted, prod, already, ambiguous)
    };
    assert_eq!(h(Lang::En, 1, 1, 0, 0), "prod.csv: checked 1 accepted user against 1 production user: it has no production account yet.");
    assert_eq!(h(Lang::En, 2, 0, 0, 0), "prod.csv: checked 2 accepted users against 0 production users: none of them has a production account yet.");
    assert_eq!(h(Lang::Es, 1, 1, 0, 0), "prod.csv: se comprobó 1 usuario aceptado frente a 1 usuario de producción: todavía no tiene cuenta de producción.");
    assert_eq!(h(Lang::Es, 2, 3, 0, 0), "prod.csv: se comprobaron 2 usuarios aceptados frente a 3 usuarios de producción: ninguno tiene todavía cuenta de producción.");
    assert!(h(Lang::En, 5, 9, 1, 0).starts_with("prod.csv: 1 already in production, left out of users.json. link-existing.sh (in the downloads) links it to its dev id; link-existing.sql moves what the person wrote"));
    assert!(h(Lang::En, 5, 9, 2, 0)
        .contains("links each one to their dev id; link-existing.sql moves what they wrote"));
    assert!(h(Lang::Es, 5, 9, 1, 0).contains("1 ya en producción, fuera de users.json. link-existing.sh (en las descargas) lo vincula a su id de desarrollo; link-existing.sql mueve lo que escribió en producción."));
    assert!(h(Lang::Es, 5, 9, 2, 0).contains("vincula cada uno a su id de desarrollo; link-existing.sql mueve lo que escribieron en producción."));
    assert!(h(Lang::En, 5, 9, 2, 1).ends_with(" 1 more matches more than one production user: rejected (in rejected.csv), nothing is guessed."));
    assert!(h(Lang::En, 5, 9, 2, 2).contains(" 2 more match more than one"));
    // Only ambiguous ones: no "0 already in production", no "more".
    assert_eq!(h(Lang::En, 5, 9, 0, 1), "prod.csv: 1 dev user matches more than one production user: rejected (in rejected.csv), nothing is guessed.");
    assert_eq!(h(Lang::Es, 5, 9, 0, 2), "prod.csv: 2 usuarios de desarrollo coinciden con más de un usuario de producción: rechazados (en rejected.csv), no se adivina nada.");
    assert!(h(Lang::Es, 5, 9, 1, 1).ends_with(" Además, 1 coincide con más de un usuario de producción: rechazado (en rejected.csv), no se adivina nada."));
    assert_eq!(
        read_sentence(Lang::En, "p.csv", 1),
        "p.csv: 1 production user read; the check runs once an export is given above."
    );
    assert_eq!(read_sentence(Lang::Es, "p.csv", 2), "p.csv: 2 usuarios leídos de producción; la comprobación se hace cuando indiques una exportación arriba.");
    assert!(read_sentence(Lang::Es, "p.csv", 1).contains("1 usuario leído de producción"));

    // The command line's summary, for one and for two.
    let out = common::scratch("existing-counts");
    for (n, lang, said) in [
        (
            1,
            "en",
            "1  already in production (not in users.json; see link-existing.csv)",
        ),
        (
            2,
            "es",
            "2  ya en producción (no en users.json; mira link-existing.csv)",
        ),
    ] {
        let (dev, prod) = collisions(n, 0);
        std::fs::create_dir_all(&out).unwrap();
        let (dev_path, prod_path) = (out.join("dev.csv"), out.join("prod.csv"));
        std::fs::write(&dev_path, dev).unwrap();
        std::fs::write(&prod_path, prod).unwrap();
        let result = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .env_remove("DATABASE_URL")
            .arg("prepare")
            .arg(&dev_path)
            .arg("--production-users")
            .arg(&prod_path)
            .args(["--lang", lang, "--out"])
            .arg(out.join("files"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&result.stdout);
        assert_eq!(result.status.code(), Some(0), "{stdout}");
        assert!(stdout.contains(said), "{stdout}");
        assert!(!stdout.contains("(s)"), "{stdout}");
    }
    let _ = std::fs::remove_dir_all(out);
}
