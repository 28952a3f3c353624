//! What a file is, told by its content: the page takes a file dropped anywhere and sends it
//! to the step that reads it, instead of assuming every drop is the user export.

use serde_json::Value;

use crate::core::csv_input::CsvLayout;
use crate::core::decode;
use crate::core::instance::read_settings;
use crate::core::json_input;
use crate::core::keys::{check_keys, KeyFile};
use crate::core::lang::Lang;

/// The kinds of file the steps read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A user export (Dashboard CSV, Backend API or flat JSON): the dev export, or one of
    /// production taken before the import; only the user can tell which.
    UserExport,
    /// A user export whose users carry external ids: production, after the import.
    ProductionExport,
    /// The production instance's public settings (`/v1/environment`).
    EnvironmentDocument,
    /// A service's configuration (.env, YAML, JSON) with Clerk keys, or shaped like one.
    ServiceConfig,
    /// The migration tool's log: JSON lines with `userId` and `status`.
    MigrationLog,
    /// One user id a line, as a database query lists them.
    DatabaseIds,
    /// None of these.
    Unknown,
}

impl FileKind {
    /// "a user export", to say what a file was taken for.
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            FileKind::UserExport => lang.pick("a user export", "una exportación de usuarios"),
            FileKind::ProductionExport => lang.pick(
                "an export of production after the import (its users have external ids)",
                "una exportación de producción tras la importación (sus usuarios tienen external_id)",
            ),
            FileKind::EnvironmentDocument => lang.pick(
                "the production instance's settings (an environment document)",
                "los ajustes de la instancia de producción (un documento de entorno)",
            ),
            FileKind::ServiceConfig => {
                lang.pick("a service's configuration", "la configuración de un servicio")
            }
            FileKind::MigrationLog => {
                lang.pick("a migration tool log", "un registro de la herramienta de migración")
            }
            FileKind::DatabaseIds => {
                lang.pick("a list of database user ids", "una lista de ids de usuario de la base de datos")
            }
            FileKind::Unknown => lang.pick("not a file this page reads", "un archivo que esta página no lee"),
        }
    }
}

/// What `bytes` (a file called `name`) is. Reads the content first; the name's extension
/// only decides between a configuration and nothing for text that could be either.
///
/// A large file is judged by its first [`HEAD`] bytes (whole lines), so telling what a
/// 100,000-user export is costs the page no noticeable time.
pub fn sniff(name: &str, bytes: &[u8]) -> FileKind {
    let Ok(decoded) = decode::decode(bytes) else {
        return FileKind::Unknown;
    };
    let text = decoded.text.as_ref();
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return FileKind::Unknown;
    }
    let head = whole_lines(text, HEAD);
    if is_migration_log(head) {
        return FileKind::MigrationLog;
    }
    if trimmed.starts_with(['{', '[']) {
        if text.len() > HEAD && trimmed.starts_with('[') {
            // Too large to parse twice: an array this size is a user export.
            return if names_an_external_id(head) {
                FileKind::ProductionExport
            } else {
                FileKind::UserExport
            };
        }
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            return sniff_json(name, bytes, &value, text);
        }
    }
    if is_id_list(head) {
        return FileKind::DatabaseIds;
    }
    if CsvLayout::open(head).is_ok() {
        return FileKind::UserExport;
    }
    if has_clerk_keys(name, head.as_bytes()) || looks_like_config(name, head) {
        return FileKind::ServiceConfig;
    }
    FileKind::Unknown
}

/// How much of a large file is read to tell what it is.
pub const HEAD: usize = 256 * 1024;

/// The text up to `limit` bytes, cut after its last complete line.
fn whole_lines(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(at) => &text[..=at],
        None => &text[..end],
    }
}

/// `"external_id": "<something>"` somewhere in `text`.
fn names_an_external_id(text: &str) -> bool {
    text.match_indices("\"external_id\"").any(|(at, key)| {
        let rest = text[at + key.len()..].trim_start();
        rest.strip_prefix(':')
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('"'))
            .is_some_and(|r| !r.starts_with('"'))
    })
}

fn sniff_json(name: &str, bytes: &[u8], value: &Value, text: &str) -> FileKind {
    if value.get("object").and_then(Value::as_str) == Some("environment")
        || (value.is_object() && read_settings(bytes).is_ok())
    {
        return FileKind::EnvironmentDocument;
    }
    if let Value::Array(items) = value {
        if json_input::read(text).is_ok() || items.is_empty() {
            let imported = items.iter().any(|user| {
                user.get("external_id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| !id.trim().is_empty())
            });
            return if imported {
                FileKind::ProductionExport
            } else {
                FileKind::UserExport
            };
        }
    }
    if has_clerk_keys(name, bytes) || mentions_clerk(value) {
        return FileKind::ServiceConfig;
    }
    FileKind::Unknown
}

fn has_clerk_keys(name: &str, bytes: &[u8]) -> bool {
    !check_keys(&[KeyFile {
        service: name.to_string(),
        bytes: bytes.to_vec(),
    }])
    .keys
    .is_empty()
}

/// A JSON object with a key naming Clerk anywhere: a service's settings, keys or not.
fn mentions_clerk(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.to_ascii_lowercase().contains("clerk") || mentions_clerk(v)),
        Value::Array(items) => items.iter().any(mentions_clerk),
        _ => false,
    }
}

/// Every JSON line with content is an object, and one at least names a `userId` and a
/// `status` or `error`: what Clerk's migration tool writes, one line per user.
pub fn is_migration_log(text: &str) -> bool {
    let mut entries = 0;
    let mut lines = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        if let Ok(Value::Object(entry)) = serde_json::from_str::<Value>(line) {
            if entry.contains_key("userId")
                && (entry.contains_key("status") || entry.contains_key("error"))
            {
                entries += 1;
            }
        }
    }
    // A stray line (a banner, a cut line) does not make a log something else.
    entries > 0 && entries * 2 >= lines
}

/// One cell a line, each a Clerk user id, after an optional header such as `user_id`.
fn is_id_list(text: &str) -> bool {
    let mut ids = 0;
    for (index, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let cell = line.trim_matches('"').trim();
        let header = index == 0
            && ["user_id", "id", "userid", "owner_id"]
                .contains(&cell.to_ascii_lowercase().as_str());
        if header {
            continue;
        }
        let id_shaped = cell.starts_with("user_")
            && cell.len() > 5
            && cell.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !id_shaped {
            return false;
        }
        ids += 1;
    }
    ids > 0
}

/// Mostly `NAME=value` or `name: value` lines, or a configuration's file name.
fn looks_like_config(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".env")
        || lower.contains(".env.")
        || [".yaml", ".yml", ".toml", ".ini"]
            .iter()
            .any(|ext| lower.ends_with(ext))
    {
        return true;
    }
    let mut settings = 0;
    let mut lines = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        lines += 1;
        let line = line.strip_prefix("export ").unwrap_or(line);
        let name_end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)))
            .unwrap_or(line.len());
        if name_end > 0 && line[name_end..].trim_start().starts_with(['=', ':']) {
            settings += 1;
        }
    }
    settings > 0 && settings * 2 > lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn kind(path: &str) -> FileKind {
        let name = path.rsplit('/').next().unwrap();
        sniff(name, &fixture(path))
    }

    #[test]
    fn every_fixture_is_told_by_its_content() {
        for (path, expected) in [
            ("exports/dashboard.csv", FileKind::UserExport),
            ("exports/every-problem.csv", FileKind::UserExport),
            ("exports/backend-api.json", FileKind::UserExport),
            ("exports/flat-sample.json", FileKind::UserExport),
            ("small.csv", FileKind::UserExport),
            ("production/before-import.csv", FileKind::UserExport),
            ("reconcile/prod.json", FileKind::ProductionExport),
            ("instance/strict.json", FileKind::EnvironmentDocument),
            ("instance/default.json", FileKind::EnvironmentDocument),
            ("keys/all-live/gateway.env", FileKind::ServiceConfig),
            ("keys/all-live/chat.json", FileKind::ServiceConfig),
            ("keys/all-live/websocket.yaml", FileKind::ServiceConfig),
            ("reconcile/migration-2026-11-23.log", FileKind::MigrationLog),
            ("reconcile/db-ids.csv", FileKind::DatabaseIds),
        ] {
            assert_eq!(kind(path), expected, "{path}");
        }
    }

    #[test]
    fn the_name_does_not_decide_what_the_content_says() {
        let environment = fixture("instance/strict.json");
        assert_eq!(
            sniff("users.csv", &environment),
            FileKind::EnvironmentDocument
        );
        let export = fixture("exports/dashboard.csv");
        assert_eq!(sniff("gateway.env", &export), FileKind::UserExport);
    }

    #[test]
    fn a_config_without_keys_is_still_a_config() {
        assert_eq!(
            sniff("worker.env", b"PORT=8080\nLOG=debug\n"),
            FileKind::ServiceConfig
        );
        assert_eq!(
            sniff("settings", b"PORT=8080\nHOST=0.0.0.0\n"),
            FileKind::ServiceConfig
        );
        assert_eq!(
            sniff("app.json", br#"{"clerk": {"domain": "example.com"}}"#),
            FileKind::ServiceConfig
        );
    }

    #[test]
    fn anything_else_is_unknown() {
        for (name, bytes) in [
            ("notes.txt", &b"Dear team,\nplease migrate the users.\n"[..]),
            ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            ("empty.csv", b""),
            ("package.json", br#"{"name": "app", "version": "1.0.0"}"#),
            ("list.json", br#"[1, 2, 3]"#),
        ] {
            assert_eq!(sniff(name, bytes), FileKind::Unknown, "{name}");
        }
    }

    #[test]
    fn a_log_with_a_stray_line_is_still_a_log_and_ids_may_have_a_header() {
        let log = b"{\"userId\":\"user_a\",\"status\":\"success\"}\nnot json\n";
        assert_eq!(sniff("run.log", log), FileKind::MigrationLog);
        assert_eq!(
            sniff("ids.txt", b"user_id\nuser_a\n\"user_b\"\n"),
            FileKind::DatabaseIds
        );
        assert_eq!(sniff("ids.txt", b"user_a\nnot an id\n"), FileKind::Unknown);
    }

    #[test]
    fn a_large_file_is_judged_by_its_head() {
        let mut csv = String::from("id,primary_email_address\n");
        let mut json = String::from("[\n");
        for i in 0..20_000 {
            csv.push_str(&format!("user_{i},u{i}@example.com\n"));
            json.push_str(&format!(
                "{{\"id\": \"user_p{i}\", \"external_id\": \"user_{i}\"}},\n"
            ));
        }
        json.push_str("{\"id\": \"user_last\"}]\n");
        assert!(csv.len() > HEAD && json.len() > HEAD);
        assert_eq!(sniff("big.csv", csv.as_bytes()), FileKind::UserExport);
        assert_eq!(
            sniff("big.json", json.as_bytes()),
            FileKind::ProductionExport
        );
        let dev = json.replace(
            "\"external_id\": \"user_",
            "\"external_id\": null, \"x\": \"",
        );
        assert_eq!(sniff("big.json", dev.as_bytes()), FileKind::UserExport);
    }

    #[test]
    fn every_kind_is_named_in_both_languages() {
        for kind in [
            FileKind::UserExport,
            FileKind::ProductionExport,
            FileKind::EnvironmentDocument,
            FileKind::ServiceConfig,
            FileKind::MigrationLog,
            FileKind::DatabaseIds,
            FileKind::Unknown,
        ] {
            assert_ne!(kind.words(Lang::En), kind.words(Lang::Es));
        }
    }
}
