//! `users.json` checked against the migration tool's rules as the facts state them, with a
//! checker of its own (nothing here calls the emitter's or the validator's code): any file the
//! engine writes must pass, and the checker must catch each kind of breach.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use clerk_dev2prod::core::prepare::{prepare, PrepareOptions, USERS_JSON};
use serde_json::Value;

/// The tool's email validator (zod's default), verbatim.
const EMAIL_RULE: &str = r"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$";

const HASHERS: &str = "argon2i argon2id awscognito bcrypt bcrypt_peppered bcrypt_sha256_django \
    hmac_sha256_utf16_b64 ldap_ssha md5 md5_phpass md5_salted pbkdf2_sha1 pbkdf2_sha256 \
    pbkdf2_sha256_django pbkdf2_sha512 pbkdf2_sha512_hex phpass scrypt_firebase scrypt_werkzeug \
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
