//! Properties of `prepare` over generated exports: any column order, delimiter, line ending
//! and byte-order mark; names with commas, quotes, line breaks and any script; valid and
//! broken addresses and digests. For every one: nothing panics, every data row is accounted
//! for exactly once, and what is accepted reaches `users.json` unchanged.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use clerk_dev2prod::core::prepare::{prepare, PrepareOptions, REJECTED_CSV, USERS_JSON};
use clerk_dev2prod::core::record::{parse_list, DASHBOARD_COLUMNS};
use proptest::prelude::*;
use serde_json::Value;

/// The Dashboard export's columns; each generated export shuffles them.
const COLUMNS: [&str; 13] = DASHBOARD_COLUMNS;

#[derive(Debug, Clone)]
struct Row {
    id: String,
    first_name: String,
    last_name: String,
    username: String,
    email: String,
    phone: String,
    unverified_email: String,
    digest: String,
    hasher: String,
    totp: String,
}

fn name() -> impl Strategy<Value = String> {
    // Any printable text, plus the characters that break naive CSV handling.
    prop_oneof![
        "[A-Za-zÀ-ÿ ]{0,12}",
        "[\\PC,;\"|#\n]{0,14}",
        Just(String::new()),
    ]
    .prop_map(|s| s.replace(['\t', '\''], ""))
}

fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}(\\.[a-z]{1,5})?@[a-z]{2,8}\\.(com|org|es)",
        1 => "[\\PC]{0,10}",
        1 => Just(String::new()),
    ]
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\+1[2-9][0-9]{9}",
        "\\+1 \\([2-9][0-9]{2}\\) [0-9]{3}-[0-9]{4}",
        "[0-9 ]{0,8}",
        Just(String::new()),
    ]
}

fn password() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        Just((
            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy".to_string(),
            "bcrypt".to_string()
        )),
        Just((
            "5f4dcc3b5aa765d61d8327deb882cf99".to_string(),
            "md5".to_string()
        )),
        Just(("x".to_string(), "bcrypt".to_string())),
        Just(("x".to_string(), "sha1".to_string())),
        Just(("x".to_string(), String::new())),
        Just((String::new(), String::new())),
    ]
}

fn row() -> impl Strategy<Value = Row> {
    (
        (name(), name(), "[a-z_]{0,8}", email(), phone(), email()),
        (
            password(),
            prop_oneof![
                Just(String::new()),
                Just("JBSWY3DPEHPK3PXP".to_string()),
                "[a-z0-9]{4}"
            ],
        ),
    )
        .prop_map(
            |(
                (first_name, last_name, username, email, phone, unverified_email),
                ((digest, hasher), totp),
            )| Row {
                id: String::new(),
                first_name,
                last_name,
                username,
                email,
                phone,
                unverified_email,
                digest,
                hasher,
                totp,
            },
        )
}

#[derive(Debug, Clone)]
struct Export {
    rows: Vec<Row>,
    order: Vec<usize>,
    delimiter: u8,
    crlf: bool,
    bom: bool,
    keep_unverified: bool,
}

fn export() -> impl Strategy<Value = Export> {
    (
        prop::collection::vec(row(), 0..25),
        Just((0..COLUMNS.len()).collect::<Vec<_>>()).prop_shuffle(),
        prop::sample::select(vec![b',', b';', b'\t']),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 25),
        any::<bool>(),
    )
        .prop_map(
            |(mut rows, order, delimiter, crlf, bom, missing_ids, keep_unverified)| {
                for (i, row) in rows.iter_mut().enumerate() {
                    // Now and then the primary address is listed as unverified too.
                    if i % 4 == 1 {
                        row.unverified_email = row.email.to_uppercase();
                    }
                    // Unique ids, now and then none at all.
                    row.id = if missing_ids[i] && i % 7 == 3 {
                        String::new()
                    } else {
                        format!("user_{i:03}")
                    };
                }
                Export {
                    rows,
                    order,
                    delimiter,
                    crlf,
                    bom,
                    keep_unverified,
                }
            },
        )
}

impl Row {
    fn cell(&self, column: &str) -> String {
        match column {
            "id" => self.id.clone(),
            "first_name" => self.first_name.clone(),
            "last_name" => self.last_name.clone(),
            "username" => self.username.clone(),
            "primary_email_address" => self.email.clone(),
            // Clerk's formula guard.
            "primary_phone_number" if self.phone.starts_with('+') => format!("\t{}", self.phone),
            "primary_phone_number" => self.phone.clone(),
            "unverified_email_addresses" => self.unverified_email.clone(),
            "totp_secret" => self.totp.clone(),
            "password_digest" => self.digest.clone(),
            "password_hasher" => self.hasher.clone(),
            _ => String::new(),
        }
    }
}

impl Export {
    /// The file, and the editor line each generated row starts on.
    fn bytes(&self) -> (Vec<u8>, Vec<usize>) {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .terminator(if self.crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(if self.bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            });
        writer
            .write_record(self.order.iter().map(|&c| COLUMNS[c]))
            .unwrap();
        let mut lines = Vec::new();
        for row in &self.rows {
            writer.flush().unwrap();
            let written = writer.get_ref();
            lines.push(1 + written.iter().filter(|&&b| b == b'\n').count());
            writer
                .write_record(self.order.iter().map(|&c| row.cell(COLUMNS[c])))
                .unwrap();
        }
        (writer.into_inner().unwrap(), lines)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn every_row_is_accounted_for_and_accepted_fields_survive(export in export()) {
        let (bytes, lines) = export.bytes();
        let options = PrepareOptions { keep_unverified: export.keep_unverified, ..PrepareOptions::default() };
        if export.rows.is_empty() {
            // A header alone holds no users: refused, never "every row accepted".
            prop_assert_eq!(prepare(&bytes, &options).err(), Some(clerk_dev2prod::core::prepare::PrepareError::NoUsers));
            return Ok(());
        }
        let prepared = prepare(&bytes, &options).expect("a generated export is usable");
        let c = &prepared.counts;
        prop_assert_eq!(c.rows, export.rows.len());
        prop_assert_eq!(c.accepted + c.rejected, c.rows);

        let users: Vec<Value> = serde_json::from_slice(&prepared.file(USERS_JSON).unwrap().bytes).unwrap();
        prop_assert_eq!(users.len(), c.accepted);
        let rejected: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(&prepared.file(REJECTED_CSV).unwrap().bytes[..])
            .records()
            .map(Result::unwrap)
            .collect();
        prop_assert_eq!(rejected.len(), c.rejected);

        // Every issue names the editor line its row starts on.
        let line_of: HashMap<&str, usize> = export
            .rows
            .iter()
            .zip(&lines)
            .filter(|(r, _)| !r.id.is_empty())
            .map(|(r, l)| (r.id.as_str(), *l))
            .collect();
        for issue in &prepared.issues {
            if let Some(&line) = line_of.get(&*issue.user_id) {
                prop_assert_eq!(issue.row, line, "{} of {}", issue.code.as_str(), &*issue.user_id);
            }
        }

        let by_id: HashMap<&str, &Row> = export.rows.iter().map(|r| (r.id.as_str(), r)).collect();
        for user in &users {
            let id = user["userId"].as_str().unwrap();
            let row = by_id[id];
            for (key, given) in [
                ("firstName", &row.first_name),
                ("lastName", &row.last_name),
                ("username", &row.username),
                ("email", &row.email),
                ("password", &row.digest),
            ] {
                if let Some(value) = user.get(key) {
                    prop_assert_eq!(value.as_str().unwrap(), given.trim(), "{} of {}", key, id);
                }
            }
            // A name that is given but left out is always explained.
            for (key, given) in [("firstName", &row.first_name), ("lastName", &row.last_name)] {
                if user.get(key).is_none() && !given.trim().is_empty() {
                    let explained = prepared.issues.iter().any(|i| &*i.user_id == id && i.code.as_str() == "name_dropped");
                    prop_assert!(explained, "{} of {} vanished", key, id);
                }
            }
            // An address listed as unverified is never imported as verified; it is kept as
            // unverified only when asked, and otherwise named in the report as left out.
            let strings = |key: &str| -> Vec<String> {
                match user.get(key) {
                    Some(Value::String(s)) => vec![s.to_lowercase()],
                    Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_lowercase).collect(),
                    _ => Vec::new(),
                }
            };
            let verified: Vec<String> = strings("email").into_iter().chain(strings("emailAddresses")).collect();
            let kept = strings("unverifiedEmailAddresses");
            for address in parse_list(&row.unverified_email) {
                let lower = address.to_lowercase();
                prop_assert!(!verified.contains(&lower), "{} of {} imported as verified", address, id);
                if export.keep_unverified {
                    prop_assert!(kept.contains(&lower), "{} of {} not kept", address, id);
                } else {
                    prop_assert!(!kept.contains(&lower), "{} of {} kept unasked", address, id);
                    let named = prepared.issues.iter().any(|i| {
                        &*i.user_id == id
                            && matches!(i.code.as_str(), "unverified_left_out")
                            && i.message(clerk_dev2prod::core::lang::Lang::En).contains(&address)
                    });
                    prop_assert!(named, "{} of {} left out without a word", address, id);
                }
            }
            // A primary address not listed as unverified is imported as the verified primary.
            let primary = row.email.trim();
            let listed = parse_list(&row.unverified_email).iter().any(|a| a.eq_ignore_ascii_case(primary));
            if !primary.is_empty() && !listed {
                prop_assert_eq!(user.get("email").and_then(Value::as_str), Some(primary), "{}", id);
            }
            // A phone is imported in E.164 with the same digits.
            if let Some(phone) = user.get("phone").and_then(Value::as_str) {
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                prop_assert_eq!(digits(phone), digits(&row.phone));
            }
        }
    }
}
