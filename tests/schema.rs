//! `users.json` checked against the migration tool's rules as the facts state them, with a
//! checker of its own (nothing here calls the emitter's or the validator's code): any file the
//! engine writes must pass, and the checker must catch each kind of breach.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use clerk_dev2prod::core::prepare::{prepare, PrepareOptions, USERS_CSV, USERS_JSON};
use serde_json::Value;

/// The tool's email validator (zod's default), verbatim.
const EMAIL_RULE: &str = r"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$";

/// The migration tool's `PASSWORD_HASHERS` (`src/types.ts`, April 2026): 21 names, no
/// `phpass`. Any other value aborts the tool's whole run.
const HASHERS: &str = "argon2i argon2id awscognito bcrypt bcrypt_peppered bcrypt_sha256_django \
    hmac_sha256_utf16_b64 ldap_ssha md5 md5_phpass md5_salted pbkdf2_sha1 pbkdf2_sha256 \
    pbkdf2_sha256_django pbkdf2_sha512 pbkdf2_sha512_hex scrypt_firebase scrypt_werkzeug \
    sha256 sha256_salted sha512_symfony";

const STRING_FIELDS: [&str; 8] = [
    "userId",
    "email",
    "phone",
    "username",
    "firstName",
    "lastName",
    "password",
    "totpSecret",
];
const LIST_FIELDS: [&str; 5] = [
    "emailAddresses",
    "unverifiedEmailAddresses",
    "phoneNumbers",
    "unverifiedPhoneNumbers",
    "backupCodes",
];
const OBJECT_FIELDS: [&str; 3] = ["publicMetadata", "privateMetadata", "unsafeMetadata"];
const OTHER_FIELDS: [&str; 2] = ["passwordHasher", "createdAt"];

/// Every breach of the tool's schema in one users.json, as readable lines.
fn breaches(users_json: &[u8]) -> Vec<String> {
    let email = fancy_regex::Regex::new(EMAIL_RULE).unwrap();
    let mut found = Vec::new();
    let Ok(Value::Array(users)) = serde_json::from_slice::<Value>(users_json) else {
        return vec!["not one top-level JSON array".into()];
    };
    let mut ids = std::collections::HashSet::new();
    for (i, user) in users.iter().enumerate() {
        let Value::Object(user) = user else {
            found.push(format!("#{i}: not an object"));
            continue;
        };
        for (key, value) in user {
            let known = STRING_FIELDS.contains(&key.as_str())
                || LIST_FIELDS.contains(&key.as_str())
                || OBJECT_FIELDS.contains(&key.as_str())
                || OTHER_FIELDS.contains(&key.as_str());
            if !known {
                found.push(format!("#{i}: unknown key {key}"));
            }
            match value {
                Value::Null => found.push(format!("#{i}: {key} is null")),
                Value::String(s) if s.is_empty() => found.push(format!("#{i}: {key} is empty")),
                _ => {}
            }
            if STRING_FIELDS.contains(&key.as_str()) && !value.is_string() {
                found.push(format!("#{i}: {key} is not a string"));
            }
            if LIST_FIELDS.contains(&key.as_str())
                && !value
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))
            {
                found.push(format!("#{i}: {key} is not a non-empty list of strings"));
            }
            if OBJECT_FIELDS.contains(&key.as_str()) && !value.is_object() {
                found.push(format!("#{i}: {key} is not an object"));
            }
        }
        let id = user.get("userId").and_then(Value::as_str).unwrap_or("");
        if id.is_empty() {
            found.push(format!("#{i}: no userId"));
        } else if !ids.insert(id.to_string()) {
            found.push(format!("#{i}: userId {id} twice"));
        }
        let strings = |key: &str| -> Vec<String> {
            match user.get(key) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            }
        };
        let identifiers = [
            "email",
            "emailAddresses",
            "unverifiedEmailAddresses",
            "phone",
            "phoneNumbers",
            "unverifiedPhoneNumbers",
            "username",
        ];
        if identifiers.iter().all(|k| strings(k).is_empty()) {
            found.push(format!("#{i}: no identifier"));
        }
        for key in ["email", "emailAddresses", "unverifiedEmailAddresses"] {
            for address in strings(key) {
                if !email.is_match(&address).unwrap() {
                    found.push(format!("#{i}: {key} {address} fails the email rule"));
                }
            }
        }
        let primary = strings("email").first().map(|e| e.to_lowercase());
        if let Some(primary) = primary {
            if strings("emailAddresses")
                .iter()
                .chain(&strings("unverifiedEmailAddresses"))
                .any(|e| e.to_lowercase() == primary)
            {
                found.push(format!("#{i}: the primary email is repeated in a list"));
            }
        }
        match (user.get("password"), user.get("passwordHasher")) {
            (Some(_), None) => found.push(format!("#{i}: password without passwordHasher")),
            (None, Some(_)) => found.push(format!("#{i}: passwordHasher without password")),
            (_, Some(hasher))
                if !hasher
                    .as_str()
                    .is_some_and(|h| HASHERS.split_whitespace().any(|k| k == h)) =>
            {
                found.push(format!("#{i}: unknown hasher {hasher}"));
            }
            _ => {}
        }
        if let Some(date) = user.get("createdAt") {
            let ok = date
                .as_str()
                .is_some_and(|d| d.len() >= 20 && d.as_bytes()[10] == b'T');
            if !ok {
                found.push(format!(
                    "#{i}: createdAt {date} is not an RFC 3339 date-time"
                ));
            }
        }
    }
    found
}

#[test]
fn every_fixture_users_json_passes_the_tools_schema() {
    let dir = common::fixture("exports");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let prepared = prepare(&std::fs::read(&path).unwrap(), &PrepareOptions::default()).unwrap();
        let users = &prepared.file(USERS_JSON).unwrap().bytes;
        assert_eq!(breaches(users), Vec::<String>::new(), "{}", path.display());
        let parsed: Vec<Value> = serde_json::from_slice(users).unwrap();
        assert_eq!(parsed.len(), prepared.counts.accepted, "{}", path.display());
    }
}

/// One digest of the documented shape for each hasher an export may name (Clerk's 22).
const DIGEST_PER_HASHER: [(&str, &str); 22] = [
    ("argon2i", "$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA"),
    ("argon2id", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
    ("awscognito", "awscognito#pool#client#user"),
    (
        "bcrypt",
        "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
    ),
    (
        "bcrypt_peppered",
        "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy$pepper",
    ),
    (
        "bcrypt_sha256_django",
        "bcrypt_sha256$$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
    ),
    ("hmac_sha256_utf16_b64", "aGFzaGhhc2g="),
    ("ldap_ssha", "{SSHA}aGFzaGhhc2g="),
    ("md5", "5f4dcc3b5aa765d61d8327deb882cf99"),
    ("md5_phpass", "$P$Baaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("md5_salted", "salt$5f4dcc3b5aa765d61d8327deb882cf99"),
    ("pbkdf2_sha1", "pbkdf2_sha1$1000$salt$abcdef$20"),
    ("pbkdf2_sha256", "pbkdf2_sha256$260000$salt$q3B8dQ+/abc="),
    (
        "pbkdf2_sha256_django",
        "pbkdf2_sha256$260000$salt$q3B8dQ+/abc=",
    ),
    ("pbkdf2_sha512", "pbkdf2_sha512$1000$salt$abcdef"),
    ("pbkdf2_sha512_hex", "pbkdf2_sha512_hex$1000$a1b2$abcdef"),
    ("phpass", "$P$Baaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("scrypt_firebase", "aGFzaA==$c2FsdA==$a2V5$Bw==$8$14"),
    ("scrypt_werkzeug", "scrypt:32768:8:1$salt$abcdef"),
    (
        "sha256",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ),
    (
        "sha256_salted",
        "s$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ),
    ("sha512_symfony", "sha512_symfony$5000$salt$hash"),
];

#[test]
fn one_user_per_hasher_gives_a_users_json_the_tool_accepts() {
    let mut csv = String::from("id,username,password_digest,password_hasher\n");
    for (i, (hasher, digest)) in DIGEST_PER_HASHER.iter().enumerate() {
        csv.push_str(&format!(
            "user_{i},user{i}_{hasher},\"{digest}\",{hasher}\n"
        ));
    }
    let prepared = prepare(csv.as_bytes(), &PrepareOptions::default()).unwrap();
    let users = &prepared.file(USERS_JSON).unwrap().bytes;
    assert_eq!(breaches(users), Vec::<String>::new());
    let parsed: Vec<Value> = serde_json::from_slice(users).unwrap();
    let hashers: Vec<&str> = parsed
        .iter()
        .map(|u| u["passwordHasher"].as_str().unwrap())
        .collect();
    let tool: Vec<&str> = HASHERS.split_whitespace().collect();
    assert_eq!(
        hashers, tool,
        "every hasher the tool knows is carried, in order"
    );
    // The one it does not know is in users.csv, for Clerk's CLI, with its digest.
    let csv = String::from_utf8(prepared.file(USERS_CSV).unwrap().bytes.clone()).unwrap();
    let phpass = csv
        .lines()
        .find(|l| l.ends_with(",phpass"))
        .expect("phpass in users.csv");
    assert!(phpass.contains("$P$B"), "{phpass}");
    assert_eq!(prepared.counts.users_csv_only, 1);
    assert_eq!(
        prepared.counts.rejected_by_first_reason["hasher_not_in_migration_tool"],
        1
    );
}

#[test]
fn the_checker_catches_each_breach() {
    let cases = [
        (r#"{"users": []}"#, "not one top-level JSON array"),
        (r#"[{"email": "a@example.com"}]"#, "no userId"),
        (
            r#"[{"userId": "u", "email": "a@example.com", "firstName": null}]"#,
            "firstName is null",
        ),
        (r#"[{"userId": "u"}]"#, "no identifier"),
        (
            r#"[{"userId": "u", "email": "a..b@example.com"}]"#,
            "fails the email rule",
        ),
        (
            r#"[{"userId": "u", "email": "josé@example.com"}]"#,
            "fails the email rule",
        ),
        (
            r#"[{"userId": "u", "email": "a@example.com", "emailAddresses": ["A@example.com"]}]"#,
            "repeated",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "password": "x"}]"#,
            "password without passwordHasher",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "password": "x", "passwordHasher": "sha1"}]"#,
            "unknown hasher",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "password": "$P$B", "passwordHasher": "phpass"}]"#,
            "unknown hasher",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "nickname": "x"}]"#,
            "unknown key",
        ),
        (
            r#"[{"userId": "u", "username": "ada"}, {"userId": "u", "username": "bob"}]"#,
            "twice",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "publicMetadata": "{}"}]"#,
            "not an object",
        ),
        (
            r#"[{"userId": "u", "username": "ada", "createdAt": 1700000000}]"#,
            "RFC 3339",
        ),
    ];
    for (json, expected) in cases {
        let found = breaches(json.as_bytes());
        assert!(
            found.iter().any(|b| b.contains(expected)),
            "{json}: {found:?}"
        );
    }
}

#[test]
fn users_json_without_the_users_already_in_production_passes_the_tools_schema() {
    use clerk_dev2prod::core::existing::ProductionUsers;
    let export = std::fs::read(common::fixture("exports/every-problem.csv")).unwrap();
    let production =
        b"id,primary_email_address,username\nuser_p1,ALAN@example.com,\nuser_p2,,mixed_user\n";
    let options = PrepareOptions {
        production: Some(std::sync::Arc::new(
            ProductionUsers::read(production).unwrap(),
        )),
        ..PrepareOptions::default()
    };
    let prepared = prepare(&export, &options).unwrap();
    assert!(prepared.counts.already_in_production >= 1);
    let users = &prepared.file(USERS_JSON).unwrap().bytes;
    assert_eq!(breaches(users), Vec::<String>::new());
    let parsed: Vec<Value> = serde_json::from_slice(users).unwrap();
    assert_eq!(parsed.len(), prepared.counts.accepted);
    assert!(!String::from_utf8_lossy(users).contains("alan@example.com"));
}
