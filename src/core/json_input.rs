//! Reading Clerk's JSON exports: Backend API user objects (`GET /v1/users`, Clerk's CLI) and
//! the flat snake_case shape of the migration tool's sample file.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::core::record::{parse_list, Column, ExportRecord, Raw, MAX_ROW_BYTES};

/// One element of the array: its record and its JSON text (for `rejected.csv`).
pub struct JsonRow {
    pub record: ExportRecord,
    pub original: String,
}

/// Which of the two shapes the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonShape {
    BackendApi,
    Flat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAClerkJson {
    /// Not valid JSON: the parser's message, with line and column.
    Syntax(String),
    /// Valid JSON, but not an array of user objects with ids.
    Shape(String),
}

pub struct JsonExport {
    pub shape: JsonShape,
    pub rows: Vec<JsonRow>,
    /// Keys of the user objects that this tool does not read.
    pub ignored_keys: Vec<String>,
}

pub fn read(text: &str) -> Result<JsonExport, NotAClerkJson> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| NotAClerkJson::Syntax(e.to_string()))?;
    let Value::Array(items) = value else {
        return Err(NotAClerkJson::Shape(
            "the file is JSON but not an array of users".into(),
        ));
    };
    let starts = element_lines(text);
    // Decided by the values, not the key names: both shapes have `email_addresses`, but only
    // the Backend API's holds objects (`email_address`, `verification`); the migration
    // tool's flat shape holds strings there.
    let holds_objects = |item: &Value, key: &str| {
        item.get(key)
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(Value::is_object))
    };
    let backend = items
        .iter()
        .any(|item| holds_objects(item, "email_addresses") || holds_objects(item, "phone_numbers"));
    let shape = if backend {
        JsonShape::BackendApi
    } else {
        JsonShape::Flat
    };
    if !items.iter().any(|item| item.get("id").is_some()) && !items.is_empty() {
        return Err(NotAClerkJson::Shape(
            "the array's elements have no \"id\" field".into(),
        ));
    }
    // A set: a file can hold hundreds of thousands of distinct keys, each looked up per user.
    let mut ignored_keys: BTreeSet<String> = BTreeSet::new();
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let line = starts.get(index).copied().unwrap_or(1);
        let original = item.to_string();
        let record = match &item {
            // A user over the bound is read for its id only, so no message quotes the rest.
            Value::Object(object) if original.len() > MAX_ROW_BYTES => {
                let mut record = ExportRecord {
                    line,
                    row_too_large: Some(original.len()),
                    ..ExportRecord::default()
                };
                if let Some(id) = object.get("id") {
                    record.set_text(Column::Id, &text_of(id));
                }
                record
            }
            Value::Object(object) => match shape {
                JsonShape::BackendApi => from_backend_api(object, line, &mut ignored_keys),
                JsonShape::Flat => from_flat(object, line, &mut ignored_keys),
            },
            // Not an object: a row with nothing in it, rejected for its missing id.
            _ => ExportRecord {
                line,
                ..ExportRecord::default()
            },
        };
        rows.push(JsonRow { record, original });
    }
    Ok(JsonExport {
        shape,
        rows,
        ignored_keys: ignored_keys.into_iter().collect(),
    })
}

/// The editor line on which each top-level array element starts.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut line) = (0usize, false, false, 1usize);
    let mut expecting_element = false;
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting_element && !b.is_ascii_whitespace() && b != b']' {
            lines.push(line);
            expecting_element = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 && b == b'[' {
                    expecting_element = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting_element = true,
            _ => {}
        }
    }
    lines
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn note_ignored(key: &str, ignored: &mut BTreeSet<String>) {
    if !ignored.contains(key) {
        ignored.insert(key.to_string());
    }
}

/// The flat shape: CSV column names as keys; strings, arrays or objects as values.
fn from_flat(
    object: &Map<String, Value>,
    line: usize,
    ignored: &mut BTreeSet<String>,
) -> ExportRecord {
    let mut record = ExportRecord {
        line,
        ..ExportRecord::default()
    };
    let mut unread: Vec<String> = Vec::new();
    for (key, value) in object {
        let key_name = key.trim().to_ascii_lowercase();
        if UNREAD_ADDRESS_KEYS.contains(&key_name.as_str()) {
            unread.extend(match value {
                Value::Array(items) => items.iter().map(text_of).collect(),
                other => parse_list(&text_of(other)),
            });
            continue;
        }
        if NOT_CARRIED_KEYS.contains(&key_name.as_str()) {
            continue;
        }
        let Some(column) = Column::from_name(key) else {
            note_ignored(key, ignored);
            continue;
        };
        match (column, value) {
            (Column::BackupCodes, _)
            | (Column::PublicMetadata, _)
            | (Column::PrivateMetadata, _)
            | (Column::UnsafeMetadata, _)
            | (Column::CreatedAt, _) => {
                let raw = match value {
                    Value::Null => None,
                    Value::String(s) if s.trim().is_empty() => None,
                    Value::String(s) => Some(Raw::Text(s.trim().to_string())),
                    other => Some(Raw::Json(other.clone())),
                };
                match column {
                    Column::BackupCodes => record.backup_codes = raw,
                    Column::PublicMetadata => record.public_metadata = raw,
                    Column::PrivateMetadata => record.private_metadata = raw,
                    Column::UnsafeMetadata => record.unsafe_metadata = raw,
                    _ => record.created_at = raw,
                }
            }
            (_, Value::Array(items)) => {
                let joined: Vec<String> = items.iter().map(text_of).collect();
                record.set_text(column, &serde_json::to_string(&joined).unwrap_or_default());
            }
            (_, value) => record.set_text(column, &text_of(value)),
        }
    }
    record.unread_addresses = not_listed_elsewhere(&record, unread);
    record
}

/// Keys of the flat shape that hold addresses Clerk's migration tool never reads: its `clerk`
/// transformer maps only the `primary_*`, `verified_*` and `unverified_*` keys.
const UNREAD_ADDRESS_KEYS: [&str; 2] = ["email_addresses", "phone_numbers"];

/// Keys of the flat shape that the migration tool reads but never sends to Clerk, so there is
/// nothing to carry: `backup_codes_enabled` (the codes themselves are carried).
const NOT_CARRIED_KEYS: [&str; 1] = ["backup_codes_enabled"];

/// The unread addresses that no read field of the record lists too (case ignored for emails,
/// punctuation for phones), in their first spelling.
fn not_listed_elsewhere(record: &ExportRecord, unread: Vec<String>) -> Vec<String> {
    let key = |a: &str| {
        if a.contains('@') {
            a.to_ascii_lowercase()
        } else {
            a.chars().filter(|c| c.is_ascii_digit()).collect()
        }
    };
    let mut seen: std::collections::HashSet<String> =
        [&record.primary_email, &record.primary_phone]
            .into_iter()
            .chain(&record.verified_emails)
            .chain(&record.unverified_emails)
            .chain(&record.verified_phones)
            .chain(&record.unverified_phones)
            .filter(|a| !a.is_empty())
            .map(|a| key(a))
            .collect();
    unread
        .into_iter()
        .filter(|a| !a.is_empty() && seen.insert(key(a)))
        .collect()
}

/// Backend API user objects: addresses are objects with a verification status, and the
/// primary one is named by id.
fn from_backend_api(
    object: &Map<String, Value>,
    line: usize,
    ignored: &mut BTreeSet<String>,
) -> ExportRecord {
    let mut record = ExportRecord {
        line,
        ..ExportRecord::default()
    };
    let string = |key: &str| object.get(key).map(text_of).unwrap_or_default();
    record.id = string("id");
    record.first_name = string("first_name");
    record.last_name = string("last_name");
    record.username = string("username");
    record.external_id = string("external_id");
    let (primary, verified, unverified) = addresses(
        object,
        "email_addresses",
        "email_address",
        "primary_email_address_id",
    );
    (
        record.primary_email,
        record.verified_emails,
        record.unverified_emails,
    ) = (primary, verified, unverified);
    let (primary, verified, unverified) = addresses(
        object,
        "phone_numbers",
        "phone_number",
        "primary_phone_number_id",
    );
    (
        record.primary_phone,
        record.verified_phones,
        record.unverified_phones,
    ) = (primary, verified, unverified);
    let raw = |key: &str| match object.get(key) {
        None | Some(Value::Null) => None,
        Some(value) => Some(Raw::Json(value.clone())),
    };
    record.public_metadata = raw("public_metadata");
    record.private_metadata = raw("private_metadata");
    record.unsafe_metadata = raw("unsafe_metadata");
    record.created_at = raw("created_at");
    record.password_enabled = object.get("password_enabled") == Some(&Value::Bool(true));
    record.totp_enabled = object.get("totp_enabled") == Some(&Value::Bool(true));
    // The digest and TOTP secret are never in these exports; if a hand-made file adds them,
    // they are taken.
    record.password_digest = string("password_digest");
    record.password_hasher = string("password_hasher");
    record.totp_secret = string("totp_secret");
    const READ: [&str; 19] = [
        "id",
        "first_name",
        "last_name",
        "username",
        "email_addresses",
        "primary_email_address_id",
        "phone_numbers",
        "primary_phone_number_id",
        "public_metadata",
        "private_metadata",
        "unsafe_metadata",
        "created_at",
        "password_enabled",
        "totp_enabled",
        "password_digest",
        "password_hasher",
        "totp_secret",
        "backup_codes",
        "external_id",
    ];
    for key in object.keys() {
        if !READ.contains(&key.as_str()) {
            note_ignored(key, ignored);
        }
    }
    if let Some(codes) = object.get("backup_codes").filter(|v| !v.is_null()) {
        record.backup_codes = Some(Raw::Json(codes.clone()));
    }
    record
}

/// (primary if verified, other verified, unverified) addresses of one kind.
fn addresses(
    object: &Map<String, Value>,
    list_key: &str,
    value_key: &str,
    primary_key: &str,
) -> (String, Vec<String>, Vec<String>) {
    let primary_id = object
        .get(primary_key)
        .and_then(Value::as_str)
        .unwrap_or("");
    let (mut primary, mut verified, mut unverified) = (String::new(), Vec::new(), Vec::new());
    for entry in object
        .get(list_key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let address = entry.get(value_key).map(text_of).unwrap_or_default();
        if address.is_empty() {
            continue;
        }
        let is_verified = entry
            .pointer("/verification/status")
            .and_then(Value::as_str)
            == Some("verified");
        let is_primary =
            !primary_id.is_empty() && entry.get("id").and_then(Value::as_str) == Some(primary_id);
        match (is_verified, is_primary) {
            (true, true) => primary = address,
            (true, false) => verified.push(address),
            (false, _) => unverified.push(address),
        }
    }
    (primary, verified, unverified)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKEND: &str = r#"[
  {
    "id": "user_1",
    "first_name": "Ada",
    "email_addresses": [
      {"id": "idn_a", "email_address": "ada@example.com", "verification": {"status": "verified"}},
      {"id": "idn_b", "email_address": "old@example.com", "verification": {"status": "unverified"}}
    ],
    "primary_email_address_id": "idn_a",
    "phone_numbers": [],
    "public_metadata": {"plan": "pro"},
    "created_at": 1700000000000,
    "password_enabled": true,
    "last_sign_in_at": null
  },
  {"id": "user_2", "email_addresses": [], "phone_numbers": [
      {"id": "idn_p", "phone_number": "+14155550100", "verification": {"status": "verified"}}],
   "primary_phone_number_id": "idn_p"}
]"#;

    #[test]
    fn reads_backend_api_users() {
        let export = read(BACKEND).unwrap();
        assert_eq!(export.shape, JsonShape::BackendApi);
        let ada = &export.rows[0].record;
        assert_eq!(ada.line, 2);
        assert_eq!(ada.primary_email, "ada@example.com");
        assert_eq!(ada.unverified_emails, vec!["old@example.com".to_string()]);
        assert!(ada.password_enabled);
        assert_eq!(
            ada.public_metadata,
            Some(Raw::Json(serde_json::json!({"plan": "pro"})))
        );
        assert_eq!(export.rows[1].record.line, 16);
        assert_eq!(export.rows[1].record.primary_phone, "+14155550100");
        assert_eq!(export.ignored_keys, vec!["last_sign_in_at".to_string()]);
    }

    #[test]
    fn reads_the_flat_sample_shape() {
        let text = r#"[{"id":"user_1","primary_email_address":"ada@example.com",
            "verified_email_addresses":["ada@example.com","a2@example.com"],
            "password_digest":"x","password_hasher":"bcrypt","public_metadata":{"a":1}}]"#;
        let export = read(text).unwrap();
        assert_eq!(export.shape, JsonShape::Flat);
        let r = &export.rows[0].record;
        assert_eq!(r.verified_emails.len(), 2);
        assert_eq!(r.password_hasher, "bcrypt");
        assert_eq!(
            r.public_metadata,
            Some(Raw::Json(serde_json::json!({"a": 1})))
        );
    }

    #[test]
    fn refuses_what_is_not_a_user_array() {
        assert!(matches!(
            read("{\"users\": []}"),
            Err(NotAClerkJson::Shape(_))
        ));
        assert!(matches!(
            read("[{\"email\": \"a@b.co\"}]"),
            Err(NotAClerkJson::Shape(_))
        ));
        assert!(matches!(
            read("[{\"id\": 1,}]"),
            Err(NotAClerkJson::Syntax(_))
        ));
    }

    #[test]
    fn element_lines_skip_strings_and_nesting() {
        let text = "[\n {\"a\": \"[,{\\\"\",\n  \"b\": [1,\n2]},\n\n {}]";
        assert!(serde_json::from_str::<Value>(text).is_ok(), "{text}");
        assert_eq!(element_lines(text), vec![2, 6]);
    }
}
