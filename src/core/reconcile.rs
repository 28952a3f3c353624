//! The morning after: did every dev user arrive in production, and will every row of the
//! team's database still find its owner? Production users are matched to dev users by
//! `external_id` (the dev id the import set), then, as weaker evidence, by primary email.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::core::csv_input::CsvLayout;
use crate::core::database;
use crate::core::database::columns::{BadColumn, ColumnRef};
use crate::core::database::id_map::{
    created_in_logs, Conflict, ConflictKind, Evidence, IdMap, Mapped, ID_MAP_CSV,
};
use crate::core::database::ids::DbIds;
use crate::core::database::remap::{self, Purpose, REMAP_SQL, REMAP_UNDO_SQL};
use crate::core::decode;
use crate::core::escape::{md_cell_code, md_code, md_text};
use crate::core::existing::{
    link_csv, link_script, matched_by_words, Existing, Link, MatchedBy, ProductionUsers,
    LINK_EXISTING_CSV, LINK_EXISTING_SH,
};
use crate::core::issue::Severity;
use crate::core::json_input;
use crate::core::lang::{group_digits, plural, Lang};
use crate::core::prepare::{prepare, OutputFile, PrepareError, PrepareOptions, USERS_JSON};
use crate::core::record::{Column, ExportRecord};
use crate::core::rules::{check_phone, Phone};

pub const RECONCILE_JSON: &str = "reconcile.json";
pub const RECONCILE_MD: &str = "reconcile.md";
pub const RETRY_USERS_JSON: &str = "retry-users.json";

/// What to reconcile.
pub struct ReconcileInput<'a> {
    pub dev: &'a [u8],
    pub prod: &'a [u8],
    /// The migration tool's logs (`logs/migration-*.log`, one JSON object a line).
    pub logs: Vec<&'a [u8]>,
    /// User ids found in the team's database, one a line (a one-column CSV works).
    pub db_ids: Option<&'a [u8]>,
}

/// Why a reconciliation could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReconcileError {
    Dev(PrepareError),
    Prod(PrepareError),
    DbIds,
}

impl ReconcileError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReconcileError::Dev(e) => lang.pick("The dev export: ", "La exportación de desarrollo: ").to_string() + &e.message(lang),
            ReconcileError::Prod(e) => lang.pick("The production export: ", "La exportación de producción: ").to_string() + &e.message(lang),
            ReconcileError::DbIds => lang.pick(
                "The database id list is not a text file. Give one user id a line, e.g. the output of the SQL this tool writes.",
                "La lista de ids de la base de datos no es un archivo de texto. Indica un id de usuario por línea, p. ej. la salida del SQL que escribe esta herramienta.",
            ).to_string(),
        }
    }
}

/// The inputs of a reconciliation, each of which a file given to it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyInput {
    Dev,
    Prod,
    Log,
    DbIds,
}

/// Why a file is not the input it was given as: it is refused, and the file given before
/// it, if any, stays in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotThisInput {
    /// Not readable as a user export (or, for the dev export, one with no user).
    Export(PrepareError),
    /// No line of it is a migration tool log entry.
    NotALog,
    /// Not one id a line, nor the `source,user_id,rows` file the SQL writes: `columns`
    /// cells in its first line.
    NotAnIdList {
        columns: usize,
    },
    /// A JSON document (an export, settings), not a list.
    Json,
    /// Text, but no id in it.
    NoIds,
    NotText,
}

impl NotThisInput {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            NotThisInput::Export(err) => err.message(lang),
            NotThisInput::NotALog => lang.pick(
                "No line of it is an entry of the migration tool's log (a JSON object with userId and status). Give the files bun migrate wrote under logs/.",
                "Ninguna línea es una entrada del registro de la herramienta de migración (un objeto JSON con userId y status). Indica los archivos que bun migrate escribió en logs/.",
            ).to_string(),
            NotThisInput::NotAnIdList { columns } => {
                let n = group_digits(lang, *columns);
                lang.pick(
                    format!("Its first line has {n} columns, and it is not the db-ids.csv the SQL below writes (source,user_id,rows). Give one user id a line, or that file."),
                    format!("Su primera línea tiene {n} columnas, y no es el db-ids.csv que escribe el SQL de abajo (source,user_id,rows). Indica un id de usuario por línea, o ese archivo."),
                )
            }
            NotThisInput::Json => lang.pick(
                "It is a JSON document, not a list of ids. Give one user id a line, or the db-ids.csv the SQL below writes.",
                "Es un documento JSON, no una lista de ids. Indica un id de usuario por línea, o el db-ids.csv que escribe el SQL de abajo.",
            ).to_string(),
            NotThisInput::NoIds => lang.pick(
                "It holds no user id. Give one user id a line, or the db-ids.csv the SQL below writes.",
                "No contiene ningún id de usuario. Indica un id de usuario por línea, o el db-ids.csv que escribe el SQL de abajo.",
            ).to_string(),
            NotThisInput::NotText => lang.pick(
                "It is not a text file. Give one user id a line, or the db-ids.csv the SQL below writes.",
                "No es un archivo de texto. Indica un id de usuario por línea, o el db-ids.csv que escribe el SQL de abajo.",
            ).to_string(),
        }
    }
}

/// Whether `bytes` can be `input`, read as [`reconcile`] reads it.
pub fn check_input(input: VerifyInput, bytes: &[u8]) -> Result<(), NotThisInput> {
    match input {
        VerifyInput::Dev | VerifyInput::Prod => {
            let mut users = 0;
            each_record(bytes, |_| users += 1).map_err(NotThisInput::Export)?;
            // The dev export is prepared again to tell the rejected rows: it needs users.
            if users == 0 && input == VerifyInput::Dev {
                return Err(NotThisInput::Export(PrepareError::NoUsers));
            }
            Ok(())
        }
        VerifyInput::Log => {
            let text = String::from_utf8_lossy(bytes);
            if crate::core::sniff::is_migration_log(&text) {
                Ok(())
            } else {
                Err(NotThisInput::NotALog)
            }
        }
        VerifyInput::DbIds => {
            let decoded = decode::decode(bytes).map_err(|_| NotThisInput::NotText)?;
            let text = decoded.text.as_ref();
            if text.trim_start().starts_with(['{', '[']) {
                return Err(NotThisInput::Json);
            }
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let columns = first.split([',', ';', '\t', '|']).count();
            let ids = DbIds::read(text);
            if columns > 1 && !ids.rows_known {
                return Err(NotThisInput::NotAnIdList { columns });
            }
            if ids.distinct().is_empty() {
                return Err(NotThisInput::NoIds);
            }
            Ok(())
        }
    }
}

/// A dev user that is not in production.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub dev_id: String,
    pub email: String,
    /// What the migration tool logged for this user, if the logs were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logged_error: Option<String>,
    /// The database holds rows for this user: the most urgent to fix.
    pub has_data: bool,
}

/// A row the dev export had but `prepare` rejected, so it was never imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotImported {
    pub dev_id: String,
    pub row: usize,
    pub reason: &'static str,
}

/// A dev user whose identifiers a production user holds, but who is not linked to it: the
/// person signed up in production before the import (so the import could not create them),
/// and their session claim gives the new id until `link-existing.sh` sets the external_id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotLinked {
    pub dev_id: String,
    /// The production user holding the identifier; several when it is ambiguous.
    pub prod_ids: Vec<String>,
    /// `email`, `phone`, `username`, or `ambiguous` (never linked automatically).
    pub matched_by: &'static str,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProdRef {
    pub prod_id: String,
    pub external_id: String,
    pub email: String,
}

/// A field that differs between a dev user and its production user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub dev_id: String,
    pub prod_id: String,
    pub field: &'static str,
    pub dev: String,
    pub prod: String,
}

/// An orphaned database id and the rows that lose their owner with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrphanedRows {
    pub user_id: String,
    pub rows: u64,
    /// `table.column` and its rows.
    pub by_column: Vec<(String, u64)>,
}

/// One column read from the database: its distinct ids and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnRead {
    pub column: String,
    pub ids: usize,
    pub rows: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReconcileCounts {
    pub dev_users: usize,
    pub prod_users: usize,
    pub matched: usize,
    /// Found in production by an identifier, with no or another external_id.
    pub exists_not_linked: usize,
    pub missing: usize,
    pub not_imported: usize,
    pub prod_without_dev_user: usize,
    pub duplicate_external_ids: usize,
    pub drifted_users: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_ids: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orphaned_db_ids: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_users_with_data: Option<usize>,
    /// Rows whose owner is an orphaned id, when the database's ids came with rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orphaned_rows: Option<u64>,
    pub id_map: usize,
    pub id_map_conflicts: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciled {
    pub counts: ReconcileCounts,
    pub missing: Vec<Missing>,
    pub not_imported: Vec<NotImported>,
    /// Production users whose `external_id` names no dev user.
    pub prod_without_dev_user: Vec<ProdRef>,
    /// External ids held by more than one production user, with those users' ids.
    pub duplicate_external_ids: BTreeMap<String, Vec<String>>,
    /// Dev users production already holds under another id, not linked.
    pub exists_not_linked: Vec<NotLinked>,
    /// False when the production export shows no external_id at all (the Dashboard CSV
    /// leaves it out): then nobody can be told apart as linked or not, and users found by an
    /// identifier are counted as matched.
    pub external_ids_shown: bool,
    pub drift: Vec<Drift>,
    /// Database user ids that belong to no production user: their rows are orphaned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orphaned_db_ids: Option<Vec<String>>,
    /// The rows each orphaned id has, per column, when the database's ids came with rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub orphaned_rows: Vec<OrphanedRows>,
    /// What was read from the database, per column, when the ids came with rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub database_columns: Vec<ColumnRead>,
    /// Each dev user's production user, as `id-map.csv` lists it.
    pub id_map: IdMap,
    #[serde(skip)]
    pub files: Vec<OutputFile>,
}

impl Reconciled {
    /// Every dev user arrived and no database row is orphaned.
    pub fn all_arrived(&self) -> bool {
        self.missing.is_empty()
            && self.not_imported.is_empty()
            && self.exists_not_linked.is_empty()
            && self.orphaned_db_ids.as_ref().is_none_or(Vec::is_empty)
    }
}

/// Every record of an export, as read (no validation).
pub fn records(bytes: &[u8]) -> Result<Vec<ExportRecord>, PrepareError> {
    let mut all = Vec::new();
    each_record(bytes, |record| all.push(record))?;
    Ok(all)
}

/// Each record of an export, as read (no validation), handed over one at a time.
pub fn each_record(bytes: &[u8], mut each: impl FnMut(ExportRecord)) -> Result<(), PrepareError> {
    let decoded = decode::decode(bytes).map_err(PrepareError::NotText)?;
    let text = decoded.text.as_ref();
    if looks_like_json(text) {
        read_json(text)?
            .rows
            .into_iter()
            .for_each(|r| each(r.record));
    } else {
        let (mut layout, mut cursor) = CsvLayout::open(text).map_err(PrepareError::from)?;
        layout.read_rows(text, &mut cursor, usize::MAX, |row| each(row.record));
    }
    Ok(())
}

/// One user of an export, for a reader that keeps only part of each (the production users'
/// index): a JSON export's record, or a CSV row's cells as read, never made into a record.
pub enum ExportRow<'r> {
    Record(&'r ExportRecord),
    Cells {
        /// What each cell is, in the header's order (None: not a Clerk column).
        columns: &'r [Option<Column>],
        cells: &'r csv::StringRecord,
    },
}

/// Each user of an export, read by the same readers as [`each_record`].
pub fn each_row(bytes: &[u8], mut each: impl FnMut(ExportRow<'_>)) -> Result<(), PrepareError> {
    let decoded = decode::decode(bytes).map_err(PrepareError::NotText)?;
    let text = decoded.text.as_ref();
    if looks_like_json(text) {
        read_json(text)?
            .rows
            .iter()
            .for_each(|r| each(ExportRow::Record(&r.record)));
    } else {
        let (layout, mut cursor) = CsvLayout::open(text).map_err(PrepareError::from)?;
        let mut comment_lines = Vec::new();
        layout.walk_rows(text, &mut cursor, usize::MAX, &mut comment_lines, |row| {
            each(ExportRow::Cells {
                columns: &layout.columns,
                cells: row.cells,
            })
        });
    }
    Ok(())
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['[', '{'])
}

fn read_json(text: &str) -> Result<json_input::JsonExport, PrepareError> {
    json_input::read(text).map_err(|e| match e {
        json_input::NotAClerkJson::Syntax(d) => PrepareError::InvalidJson(d),
        json_input::NotAClerkJson::Shape(d) => PrepareError::NotUsersJson(d),
    })
}

/// Whether a production export says what each user's external_id is: Backend API objects
/// always have the key, a CSV only with an `external_id` column.
fn shows_external_ids(bytes: &[u8]) -> bool {
    let Ok(decoded) = decode::decode(bytes) else {
        return false;
    };
    let text = decoded.text.as_ref();
    if text.trim_start().starts_with(['[', '{']) {
        return text.contains("\"external_id\"");
    }
    CsvLayout::open(text).is_ok_and(|(layout, _)| {
        layout
            .header
            .iter()
            .any(|h| Column::from_name(h) == Some(Column::ExternalId))
    })
}

/// The production user holding one of a dev record's identifiers, as `prepare` looks for it.
fn find_holder(holders: &ProductionUsers, user: &ExportRecord) -> Existing {
    let emails = std::iter::once(&user.primary_email)
        .chain(&user.verified_emails)
        .chain(&user.unverified_emails)
        .map(String::as_str);
    let phones = std::iter::once(&user.primary_phone)
        .chain(&user.verified_phones)
        .chain(&user.unverified_phones)
        .map(String::as_str);
    holders.find_identifiers(&user.id, emails, phones, Some(user.username.as_str()))
}

/// The primary email a record states (or its first verified one).
fn primary_email(record: &ExportRecord) -> String {
    if record.primary_email.is_empty() {
        record.verified_emails.first().cloned().unwrap_or_default()
    } else {
        record.primary_email.clone()
    }
}

fn primary_phone(record: &ExportRecord) -> String {
    let phone = if record.primary_phone.is_empty() {
        record
            .verified_phones
            .first()
            .map(String::as_str)
            .unwrap_or("")
    } else {
        record.primary_phone.as_str()
    };
    match check_phone(phone) {
        Phone::Normalised(normal) => normal,
        _ => phone.to_string(),
    }
}

/// (status, error, code) by user id, the last line for a user winning.
fn read_logs(logs: &[&[u8]]) -> HashMap<String, String> {
    let mut errors = HashMap::new();
    for log in logs {
        for line in String::from_utf8_lossy(log).lines() {
            let Ok(entry) = serde_json::from_str::<Value>(line.trim()) else {
                continue;
            };
            let Some(user_id) = entry.get("userId").and_then(Value::as_str) else {
                continue;
            };
            let failed = entry
                .get("status")
                .and_then(Value::as_str)
                .is_some_and(|s| s != "success");
            if failed || entry.get("error").is_some_and(|e| !e.is_null()) {
                let error = entry.get("error").map(|e| match e {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                let code = entry.get("code").and_then(Value::as_str);
                let text = match (error, code) {
                    (Some(e), Some(c)) => format!("{c}: {e}"),
                    (Some(e), None) => e,
                    (None, Some(c)) => c.to_string(),
                    (None, None) => "failed".to_string(),
                };
                errors.insert(user_id.to_string(), text);
            } else {
                errors.remove(user_id);
            }
        }
    }
    errors
}

/// `db-ids.csv` (`source,user_id,rows`), or one id a line.
fn read_db_ids(bytes: &[u8]) -> Result<DbIds, ReconcileError> {
    let decoded = decode::decode(bytes).map_err(|_| ReconcileError::DbIds)?;
    Ok(DbIds::read(&decoded.text))
}

/// SQL giving `db-ids.csv` (each user id with its rows, per table) across `tables`, each
/// with a `user_id` column, for the team to run themselves (the page cannot connect).
pub fn db_ids_sql(tables: &[&str]) -> String {
    let columns: Vec<ColumnRef> = tables
        .iter()
        .map(|t| ColumnRef::new(None, t, "user_id"))
        .collect();
    database::ids::db_ids_sql(&columns)
}

/// The columns a team names as holding Clerk user ids, one a line or separated by commas:
/// `table` (its `user_id` column), `table.column` or `schema.table.column`. Blank lines and
/// lines starting with `--` or `#` are skipped. No table is assumed: nothing named, none
/// returned.
pub fn id_columns(text: &str) -> Result<Vec<ColumnRef>, BadColumn> {
    let mut columns: Vec<ColumnRef> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("--") || line.starts_with('#') {
            continue;
        }
        for spec in line.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            // A bare name is a table; its column is user_id (dots inside quotes are no parts).
            let mut quoted = false;
            let has_dot = spec.chars().any(|c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '.' && !quoted
            });
            let column = if has_dot {
                ColumnRef::parse(spec)?
            } else {
                ColumnRef::parse(&format!("{spec}.user_id")).map_err(|e| match e {
                    BadColumn::UnclosedQuote(_) => BadColumn::UnclosedQuote(spec.to_string()),
                    BadColumn::Shape(_) => BadColumn::Shape(spec.to_string()),
                })?
            };
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
    }
    Ok(columns)
}

pub fn reconcile(input: &ReconcileInput, lang: Lang) -> Result<Reconciled, ReconcileError> {
    let dev = records(input.dev).map_err(ReconcileError::Dev)?;
    let prod = records(input.prod).map_err(ReconcileError::Prod)?;
    let prepared = prepare(input.dev, &PrepareOptions::default()).map_err(ReconcileError::Dev)?;
    let logged = read_logs(&input.logs);
    let db = input.db_ids.map(read_db_ids).transpose()?;
    let db_ids: Option<Vec<String>> = db.as_ref().map(DbIds::distinct);

    // Production users by external id; then, with the same matching `prepare` uses for
    // users already in production, by any email, phone or username.
    let mut by_external: HashMap<&str, Vec<&ExportRecord>> = HashMap::new();
    for user in &prod {
        if !user.external_id.is_empty() {
            by_external
                .entry(user.external_id.as_str())
                .or_default()
                .push(user);
        }
    }
    let holders = ProductionUsers::from_records(prod.clone());
    let prod_by_id: HashMap<&str, &ExportRecord> =
        prod.iter().map(|u| (u.id.as_str(), u)).collect();
    let external_ids_shown =
        shows_external_ids(input.prod) || prod.iter().any(|u| !u.external_id.is_empty());
    let duplicate_external_ids: BTreeMap<String, Vec<String>> = by_external
        .iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(id, users)| (id.to_string(), users.iter().map(|u| u.id.clone()).collect()))
        .collect();

    // Rows prepare rejected never reached users.json: missing, but not retryable as they are.
    let mut rejected_reason: HashMap<&str, (usize, &'static str)> = HashMap::new();
    for issue in prepared
        .issues
        .iter()
        .filter(|i| i.severity() == Severity::Error)
    {
        rejected_reason
            .entry(&issue.user_id)
            .or_insert((issue.row, issue.code.as_str()));
    }

    let db_set: Option<HashSet<&str>> = db_ids
        .as_ref()
        .map(|ids| ids.iter().map(String::as_str).collect());
    let mut matched_prod: HashSet<&str> = HashSet::new();
    let mut migrated_dev: HashSet<&str> = HashSet::new();
    let mut missing = Vec::new();
    let mut not_imported = Vec::new();
    let mut exists_not_linked = Vec::new();
    let mut drift = Vec::new();
    let mut drifted_users = 0;
    let mut dev_ids: HashSet<&str> = HashSet::new();
    // Every pair of ids the evidence offers, for id-map.csv; IdMap::build settles conflicts.
    let mut candidates: Vec<Mapped> = Vec::new();
    let mut ambiguous: Vec<Conflict> = Vec::new();
    let mut dev_emails: HashMap<&str, String> = HashMap::new();
    let evidence = |matched_by: MatchedBy| match matched_by {
        MatchedBy::Email => Evidence::Email,
        MatchedBy::Phone => Evidence::Phone,
        MatchedBy::Username => Evidence::Username,
    };
    for user in dev.iter().filter(|u| !u.id.is_empty()) {
        if !dev_ids.insert(&user.id) {
            continue;
        }
        let email = primary_email(user);
        dev_emails.insert(&user.id, email.clone());
        let linked = by_external.get(user.id.as_str());
        for prod_user in linked.into_iter().flatten() {
            candidates.push(Mapped {
                dev_id: user.id.clone(),
                prod_id: prod_user.id.clone(),
                email: email.clone(),
                matched_by: Evidence::ExternalId,
            });
        }
        let by_id = linked.and_then(|u| u.first().copied());
        let found = match by_id {
            Some(prod_user) => Some(prod_user),
            None => match find_holder(&holders, user) {
                // Without external ids in the export, a holder may well be the imported user.
                Existing::Collides {
                    prod_id,
                    matched_by,
                    ..
                } if !external_ids_shown => {
                    candidates.push(Mapped {
                        dev_id: user.id.clone(),
                        prod_id: prod_id.clone(),
                        email: email.clone(),
                        matched_by: evidence(matched_by),
                    });
                    prod_by_id.get(prod_id.as_str()).copied()
                }
                Existing::Collides {
                    prod_id,
                    matched_by,
                    ..
                } => {
                    candidates.push(Mapped {
                        dev_id: user.id.clone(),
                        prod_id: prod_id.clone(),
                        email: email.clone(),
                        matched_by: evidence(matched_by),
                    });
                    exists_not_linked.push(NotLinked {
                        dev_id: user.id.clone(),
                        prod_ids: vec![prod_id],
                        matched_by: matched_by.as_str(),
                        email,
                    });
                    continue;
                }
                Existing::Ambiguous { prod_users } => {
                    ambiguous.push(match prod_users.as_slice() {
                        // One holder, linked to another dev user already.
                        [(prod_id, linked_to)] => Conflict {
                            kind: ConflictKind::ProductionUserToSeveralDevIds,
                            id: prod_id.clone(),
                            partners: vec![linked_to.clone(), user.id.clone()],
                        },
                        _ => Conflict {
                            kind: ConflictKind::DevIdToSeveralProductionUsers,
                            id: user.id.clone(),
                            partners: prod_users.iter().map(|(id, _)| id.clone()).collect(),
                        },
                    });
                    exists_not_linked.push(NotLinked {
                        dev_id: user.id.clone(),
                        prod_ids: prod_users.into_iter().map(|(id, _)| id).collect(),
                        matched_by: "ambiguous",
                        email,
                    });
                    continue;
                }
                Existing::No | Existing::ImportedEarlier { .. } => None,
            },
        };
        let Some(prod_user) = found else {
            if let Some(&(row, reason)) = rejected_reason.get(user.id.as_str()) {
                not_imported.push(NotImported {
                    dev_id: user.id.clone(),
                    row,
                    reason,
                });
            } else {
                missing.push(Missing {
                    dev_id: user.id.clone(),
                    email,
                    logged_error: logged.get(&user.id).cloned(),
                    has_data: db_set
                        .as_ref()
                        .is_some_and(|s| s.contains(user.id.as_str())),
                });
            }
            continue;
        };
        matched_prod.insert(&prod_user.id);
        migrated_dev.insert(&user.id);
        let before = drift.len();
        compare(user, prod_user, &mut drift);
        if drift.len() > before {
            drifted_users += 1;
        }
    }

    let prod_without_dev_user: Vec<ProdRef> = prod
        .iter()
        .filter(|u| !u.external_id.is_empty() && !dev_ids.contains(u.external_id.as_str()))
        .map(|u| ProdRef {
            prod_id: u.id.clone(),
            external_id: u.external_id.clone(),
            email: primary_email(u),
        })
        .collect();

    // A database id is safe when it is a migrated dev id (the claim carries it) or the id of
    // a production user created after the move (the claim falls back to it).
    let prod_ids: HashSet<&str> = prod.iter().map(|u| u.id.as_str()).collect();
    let orphaned_db_ids = db_ids.as_ref().map(|ids| {
        ids.iter()
            .filter(|id| !migrated_dev.contains(id.as_str()) && !prod_ids.contains(id.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    });
    // The most urgent first: users whose data is waiting for them.
    missing.sort_by_key(|m| !m.has_data);

    let logs: Vec<&[u8]> = input.logs.to_vec();
    for (dev_id, prod_id) in created_in_logs(&logs) {
        if let Some(email) = dev_emails.get(dev_id.as_str()) {
            candidates.push(Mapped {
                email: email.clone(),
                dev_id,
                prod_id,
                matched_by: Evidence::MigrationLog,
            });
        }
    }
    let mut id_map = IdMap::build(candidates);
    for conflict in ambiguous {
        if !id_map.conflicts.contains(&conflict) {
            id_map.conflicts.push(conflict);
        }
    }

    let rows_known = db.as_ref().is_some_and(|d| d.rows_known);
    let orphaned_rows: Vec<OrphanedRows> = match (&db, &orphaned_db_ids) {
        (Some(db), Some(orphaned)) if rows_known => orphaned
            .iter()
            .map(|id| {
                let by_column: Vec<(String, u64)> = db
                    .rows_of(id)
                    .into_iter()
                    .map(|(c, n)| (c.to_string(), n))
                    .collect();
                OrphanedRows {
                    user_id: id.clone(),
                    rows: by_column.iter().map(|(_, n)| n).sum(),
                    by_column,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let database_columns: Vec<ColumnRead> = match &db {
        Some(db) if rows_known => db
            .columns
            .iter()
            .map(|c| ColumnRead {
                column: c.source.clone(),
                ids: c.ids.len(),
                rows: c.rows(),
            })
            .collect(),
        _ => Vec::new(),
    };

    let counts = ReconcileCounts {
        dev_users: dev_ids.len(),
        prod_users: prod.len(),
        matched: migrated_dev.len(),
        exists_not_linked: exists_not_linked.len(),
        missing: missing.len(),
        not_imported: not_imported.len(),
        prod_without_dev_user: prod_without_dev_user.len(),
        duplicate_external_ids: duplicate_external_ids.len(),
        drifted_users,
        db_ids: db_ids.as_ref().map(Vec::len),
        orphaned_db_ids: orphaned_db_ids.as_ref().map(Vec::len),
        missing_users_with_data: db_ids
            .as_ref()
            .map(|_| missing.iter().filter(|m| m.has_data).count()),
        orphaned_rows: rows_known.then(|| orphaned_rows.iter().map(|o| o.rows).sum()),
        id_map: id_map.mapped.len(),
        id_map_conflicts: id_map.conflicts.len(),
    };
    let missing_ids: HashSet<&str> = missing.iter().map(|m| m.dev_id.as_str()).collect();
    let retry = retry_users(
        &prepared
            .file(USERS_JSON)
            .expect("prepare writes users.json")
            .bytes,
        &missing_ids,
    );
    let mut reconciled = Reconciled {
        counts,
        missing,
        not_imported,
        prod_without_dev_user,
        duplicate_external_ids,
        exists_not_linked,
        external_ids_shown,
        drift,
        orphaned_db_ids,
        orphaned_rows,
        database_columns,
        id_map,
        files: Vec::new(),
    };
    let mut json = serde_json::to_vec_pretty(&reconciled).expect("a report serialises");
    json.push(b'\n');
    let markdown = markdown(&reconciled, lang);
    reconciled.files = vec![
        OutputFile {
            name: RECONCILE_JSON,
            bytes: json,
        },
        OutputFile {
            name: RECONCILE_MD,
            bytes: markdown.into_bytes(),
        },
        OutputFile {
            name: RETRY_USERS_JSON,
            bytes: retry,
        },
        OutputFile {
            name: ID_MAP_CSV,
            bytes: reconciled.id_map.to_csv(),
        },
    ];
    // The rewrite, when db-ids.csv named its columns: the same SQL `remap` writes.
    let named: Option<Vec<ColumnRef>> = reconciled
        .database_columns
        .iter()
        .map(|c| ColumnRef::parse(&c.column).ok())
        .collect();
    if let Some(columns) = named.filter(|c| !c.is_empty() && !reconciled.id_map.mapped.is_empty()) {
        let pairs = reconciled.id_map.pairs();
        let undo: Vec<(String, String)> =
            pairs.iter().map(|(d, p)| (p.clone(), d.clone())).collect();
        reconciled.files.push(OutputFile {
            name: REMAP_SQL,
            bytes: remap::script(&pairs, &columns, Purpose::Remap).into_bytes(),
        });
        reconciled.files.push(OutputFile {
            name: REMAP_UNDO_SQL,
            bytes: remap::script(&undo, &columns, Purpose::Undo).into_bytes(),
        });
    }
    // The same fix as before the import: link each one (ambiguous ones are never guessed).
    let links: Vec<Link> = reconciled
        .exists_not_linked
        .iter()
        .filter_map(|n| {
            let matched_by = match n.matched_by {
                "email" => MatchedBy::Email,
                "phone" => MatchedBy::Phone,
                "username" => MatchedBy::Username,
                _ => return None,
            };
            Some(Link {
                dev_id: n.dev_id.clone(),
                prod_id: n.prod_ids.first()?.clone(),
                matched_by,
                email: n.email.clone(),
            })
        })
        .collect();
    if !links.is_empty() {
        reconciled.files.push(OutputFile {
            name: LINK_EXISTING_CSV,
            bytes: link_csv(&links),
        });
        reconciled.files.push(OutputFile {
            name: LINK_EXISTING_SH,
            bytes: link_script(&links, "reconcile"),
        });
    }
    Ok(reconciled)
}

/// The lines of `users.json` whose user is missing, in the same format.
fn retry_users(users_json: &[u8], missing: &HashSet<&str>) -> Vec<u8> {
    if missing.is_empty() {
        return b"[]\n".to_vec();
    }
    let text = String::from_utf8_lossy(users_json);
    // Each line is one user whose first field is its userId: read just that string.
    let user_id = |line: &str| {
        let rest = line.strip_prefix("{\"userId\":")?;
        serde_json::Deserializer::from_str(rest)
            .into_iter::<String>()
            .next()?
            .ok()
    };
    let picked: Vec<&str> = text
        .lines()
        .map(|line| line.trim_end_matches(','))
        .filter(|line| user_id(line).is_some_and(|id| missing.contains(id.as_str())))
        .collect();
    if picked.is_empty() {
        b"[]\n".to_vec()
    } else {
        format!("[\n{}\n]\n", picked.join(",\n")).into_bytes()
    }
}

fn compare(dev: &ExportRecord, prod: &ExportRecord, drift: &mut Vec<Drift>) {
    let mut differ = |field: &'static str, a: String, b: String, same: bool| {
        if !same {
            drift.push(Drift {
                dev_id: dev.id.clone(),
                prod_id: prod.id.clone(),
                field,
                dev: a,
                prod: b,
            });
        }
    };
    let (de, pe) = (primary_email(dev), primary_email(prod));
    let same = de.eq_ignore_ascii_case(&pe);
    differ("primary_email_address", de, pe, same);
    let (dp, pp) = (primary_phone(dev), primary_phone(prod));
    let same = dp == pp;
    differ("primary_phone_number", dp, pp, same);
    let same = dev.username.eq_ignore_ascii_case(&prod.username);
    differ(
        "username",
        dev.username.clone(),
        prod.username.clone(),
        same,
    );
    differ(
        "first_name",
        dev.first_name.clone(),
        prod.first_name.clone(),
        dev.first_name == prod.first_name,
    );
    differ(
        "last_name",
        dev.last_name.clone(),
        prod.last_name.clone(),
        dev.last_name == prod.last_name,
    );
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let (dpw, ppw) = (
        !dev.password_digest.is_empty() || dev.password_enabled,
        !prod.password_digest.is_empty() || prod.password_enabled,
    );
    differ("password", yes_no(dpw), yes_no(ppw), dpw == ppw);
    let (dt, pt) = (
        !dev.totp_secret.is_empty() || dev.totp_enabled,
        !prod.totp_secret.is_empty() || prod.totp_enabled,
    );
    differ("totp", yes_no(dt), yes_no(pt), dt == pt);
}

/// `reconcile.md`: the findings as a person reads them.
fn markdown(r: &Reconciled, lang: Lang) -> String {
    const SHOWN: usize = 50;
    let c = &r.counts;
    let n = |x: usize| group_digits(lang, x);
    let t = |en: &str, es: &str| lang.pick(en, es).to_string();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "{}\n",
        t("# Did everyone arrive?", "# ¿Han llegado todos?")
    );
    let _ = writeln!(md, "{}", lang.pick(
        format!("- Dev users: **{}**; production users: **{}**; matched: **{}**; already in production but not linked: **{}**.", n(c.dev_users), n(c.prod_users), n(c.matched), n(c.exists_not_linked)),
        format!("- Usuarios de desarrollo: **{}**; de producción: **{}**; emparejados: **{}**; ya en producción pero sin vincular: **{}**.", n(c.dev_users), n(c.prod_users), n(c.matched), n(c.exists_not_linked)),
    ));
    if !r.external_ids_shown {
        let _ = writeln!(md, "{}", t(
            "- This production export shows no external_id (the Dashboard CSV leaves it out): users are matched by email, phone or username, and whether each one is linked cannot be told. Give a Backend API export of production to check.",
            "- Esta exportación de producción no muestra external_id (el CSV del Dashboard no lo incluye): los usuarios se emparejan por correo, teléfono o nombre de usuario, y no se puede saber si cada uno está vinculado. Indica una exportación de la Backend API de producción para comprobarlo.",
        ));
    }
    let _ = writeln!(md, "{}", lang.pick(
        format!("- Missing in production: **{}**; never imported (rejected by prepare): **{}**.", n(c.missing), n(c.not_imported)),
        format!("- Faltan en producción: **{}**; nunca importados (rechazados al preparar): **{}**.", n(c.missing), n(c.not_imported)),
    ));
    if let (Some(ids), Some(orphaned), Some(urgent)) =
        (c.db_ids, c.orphaned_db_ids, c.missing_users_with_data)
    {
        let _ = writeln!(md, "{}", lang.pick(
            format!("- Database user ids: {}; orphaned: **{}**; missing users with data: **{}**.", n(ids), n(orphaned), n(urgent)),
            format!("- Ids de usuario en la base de datos: {}; huérfanos: **{}**; usuarios que faltan y tienen datos: **{}**.", n(ids), n(orphaned), n(urgent)),
        ));
        if let Some(rows) = c.orphaned_rows {
            let rows = rows as usize;
            let _ = writeln!(
                md,
                "{}",
                lang.pick(
                    format!("- Rows that lose their owner: **{}**.", n(rows)),
                    format!("- Filas que pierden a su dueño: **{}**.", n(rows)),
                )
            );
        }
    }
    let _ = writeln!(md, "{}", lang.pick(
        format!("- Id map (`id-map.csv`): **{}** {}, {} matched only by an email, phone or username; conflicts: **{}**.", n(c.id_map), plural(c.id_map, "user", "users"), n(r.id_map.identifier_only()), n(c.id_map_conflicts)),
        format!("- Mapa de ids (`id-map.csv`): **{}** {}, {} {} solo por correo, teléfono o nombre de usuario; conflictos: **{}**.", n(c.id_map), plural(c.id_map, "usuario", "usuarios"), n(r.id_map.identifier_only()), plural(r.id_map.identifier_only(), "emparejado", "emparejados"), n(c.id_map_conflicts)),
    ));
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "{}\n",
        if r.all_arrived() {
            t("Every dev user arrived and no database row is orphaned.", "Han llegado todos los usuarios de desarrollo y ninguna fila de la base de datos queda huérfana.")
        } else {
            t(
                "Not everyone arrived: see below, most urgent first.",
                "No han llegado todos: mira abajo, lo más urgente primero.",
            )
        }
    );
    let more = |total: usize| {
        (total > SHOWN).then(|| {
            lang.pick(
                format!("- … and {} more in reconcile.json.", n(total - SHOWN)),
                format!("- … y {} más en reconcile.json.", n(total - SHOWN)),
            )
        })
    };
    if !r.missing.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t("## Missing in production", "## Faltan en producción")
        );
        for m in r.missing.iter().take(SHOWN) {
            let data = if m.has_data {
                t(
                    " — **has data in the database**",
                    " — **tiene datos en la base de datos**",
                )
            } else {
                String::new()
            };
            let error = m
                .logged_error
                .as_ref()
                .map(|e| {
                    let e = md_text(e);
                    lang.pick(
                        format!(" — the tool logged: {e}"),
                        format!(" — la herramienta registró: {e}"),
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "- {} {}{data}{error}",
                md_code(&m.dev_id),
                md_text(&m.email)
            );
        }
        if let Some(line) = more(r.missing.len()) {
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md, "\n{}\n\n```sh\nbun migrate -y -t clerk -f retry-users.json\n```\n", t(
            "`retry-users.json` holds exactly these users, in the format of users.json. Fix what the log says, then import them alone:",
            "`retry-users.json` contiene exactamente estos usuarios, con el formato de users.json. Corrige lo que dice el registro e impórtalos solos:",
        ));
    }
    if !r.not_imported.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Never imported (rejected when prepared)",
                "## Nunca importados (rechazados al preparar)"
            )
        );
        for m in r.not_imported.iter().take(SHOWN) {
            let _ = writeln!(
                md,
                "- {} ({} {}): `{}`",
                md_code(&m.dev_id),
                t("row", "fila"),
                m.row,
                m.reason
            );
        }
        if let Some(line) = more(r.not_imported.len()) {
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(
            md,
            "\n{}\n",
            t(
                "Fix them in rejected.csv, prepare it again and import the result.",
                "Corrígelos en rejected.csv, vuelve a prepararlo e importa el resultado."
            )
        );
    }
    if let Some(orphaned) = r.orphaned_db_ids.as_ref().filter(|o| !o.is_empty()) {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Database ids that belong to no user",
                "## Ids de la base de datos que no son de ningún usuario"
            )
        );
        let _ = writeln!(md, "{}\n", t(
            "Rows with these user ids will find no owner after the switch: neither a migrated dev user nor a production user has them.",
            "Las filas con estos ids no encontrarán dueño tras el cambio: no los tiene ningún usuario de desarrollo migrado ni de producción.",
        ));
        if r.orphaned_rows.is_empty() {
            for id in orphaned.iter().take(SHOWN) {
                let _ = writeln!(md, "- {}", md_code(id));
            }
        } else {
            for o in r.orphaned_rows.iter().take(SHOWN) {
                let columns: Vec<String> = o
                    .by_column
                    .iter()
                    .map(|(column, rows)| format!("{} {}", md_code(column), n(*rows as usize)))
                    .collect();
                let _ = writeln!(
                    md,
                    "- {} — {} {} ({})",
                    md_code(&o.user_id),
                    n(o.rows as usize),
                    lang.pick(
                        plural(o.rows as usize, "row", "rows"),
                        plural(o.rows as usize, "fila", "filas")
                    ),
                    columns.join(", ")
                );
            }
        }
        if let Some(line) = more(orphaned.len()) {
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md);
    }
    if !r.prod_without_dev_user.is_empty() || !r.duplicate_external_ids.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Production users that do not add up",
                "## Usuarios de producción que no cuadran"
            )
        );
        for p in r.prod_without_dev_user.iter().take(SHOWN) {
            let (prod_id, external_id) = (md_code(&p.prod_id), md_code(&p.external_id));
            let _ = writeln!(md, "{}", lang.pick(
                format!("- {prod_id} has external_id {external_id}, which is no dev user's id."),
                format!("- {prod_id} tiene external_id {external_id}, que no es el id de ningún usuario de desarrollo."),
            ));
        }
        for (external, ids) in &r.duplicate_external_ids {
            let external = md_code(external);
            let ids: Vec<String> = ids.iter().map(|id| md_text(id)).collect();
            let _ = writeln!(
                md,
                "{}",
                lang.pick(
                    format!(
                        "- external_id {external} is on {} users: {}.",
                        ids.len(),
                        ids.join(", ")
                    ),
                    format!(
                        "- el external_id {external} está en {} usuarios: {}.",
                        ids.len(),
                        ids.join(", ")
                    ),
                )
            );
        }
        let _ = writeln!(md);
    }
    if !r.exists_not_linked.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Already in production, not linked",
                "## Ya en producción, sin vincular"
            )
        );
        let _ = writeln!(md, "{}\n", t(
            "These people signed up in production before the import (so the import could not create them), or were linked to another dev id. Until their external_id is the dev id, the session claim gives them their new id and their dev data stays invisible. `link-existing.sh` links the ones with a single match (`CLERK_SECRET_KEY=sk_live_… sh link-existing.sh`); the ambiguous ones are for you to decide in the production Dashboard.",
            "Estas personas se registraron en producción antes de importar (así que la importación no pudo crearlas), o están vinculadas a otro id de desarrollo. Mientras su external_id no sea el id de desarrollo, el claim de sesión les da su id nuevo y sus datos de desarrollo quedan invisibles. `link-existing.sh` vincula las que tienen una sola coincidencia (`CLERK_SECRET_KEY=sk_live_… sh link-existing.sh`); las ambiguas las decides tú en el Dashboard de producción.",
        ));
        for n in r.exists_not_linked.iter().take(SHOWN) {
            let prod: Vec<String> = n.prod_ids.iter().map(|id| md_code(id)).collect();
            let _ = writeln!(
                md,
                "- {} → {} ({})",
                md_code(&n.dev_id),
                prod.join(", "),
                matched_by_words(n.matched_by, lang)
            );
        }
        if let Some(line) = more(r.exists_not_linked.len()) {
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md);
    }
    if !r.id_map.conflicts.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Ids that cannot be mapped",
                "## Ids que no se pueden emparejar"
            )
        );
        let _ = writeln!(md, "{}\n", t(
            "Left out of `id-map.csv`: the evidence names two partners for one id, and nothing is guessed. Decide in the production Dashboard which account is the person's.",
            "Fuera de `id-map.csv`: las pruebas dan dos parejas para un mismo id, y nada se adivina. Decide en el Dashboard de producción cuál es la cuenta de la persona.",
        ));
        for conflict in r.id_map.conflicts.iter().take(SHOWN) {
            let partners: Vec<String> = conflict.partners.iter().map(|p| md_code(p)).collect();
            let id = md_code(&conflict.id);
            let _ = writeln!(
                md,
                "{}",
                match conflict.kind {
                    ConflictKind::DevIdToSeveralProductionUsers => lang.pick(
                        format!("- dev id {id} → production users {}", partners.join(", ")),
                        format!(
                            "- id de desarrollo {id} → usuarios de producción {}",
                            partners.join(", ")
                        ),
                    ),
                    ConflictKind::ProductionUserToSeveralDevIds => lang.pick(
                        format!("- production user {id} ← dev ids {}", partners.join(", ")),
                        format!(
                            "- usuario de producción {id} ← ids de desarrollo {}",
                            partners.join(", ")
                        ),
                    ),
                }
            );
        }
        if let Some(line) = more(r.id_map.conflicts.len()) {
            let _ = writeln!(md, "{line}");
        }
        let _ = writeln!(md);
    }
    if !r.database_columns.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t("## Read from the database", "## Leído de la base de datos")
        );
        let _ = writeln!(
            md,
            "| {} | {} | {} |\n|---|---|---|",
            t("column", "columna"),
            t("user ids", "ids de usuario"),
            t("rows", "filas")
        );
        for column in &r.database_columns {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                md_cell_code(&column.column),
                n(column.ids),
                n(column.rows as usize)
            );
        }
        let _ = writeln!(md);
    }
    if c.id_map > 0 {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Your database: keep the dev ids, or rewrite them once",
                "## Tu base de datos: conservar los ids de desarrollo, o reescribirlos una vez"
            )
        );
        let _ = writeln!(md, "{}\n", t(
            "- **Keep the dev ids** (what the runbook sets up): nothing to rewrite; every service reads the dev id from the custom session claim, forever.\n- **Rewrite once**: `clerk-dev2prod remap --map id-map.csv --db-column table.column …` writes `remap.sql` (one transaction, counts checked, tables locked) and `remap-undo.sql`; with `--database-url` it tries it and rolls back, with `--apply` it commits. Then services use the plain production id and the claim can go; it needs a maintenance window. Rows of users who were not migrated are never touched, and are listed.",
            "- **Conservar los ids de desarrollo** (lo que prepara la guía): nada que reescribir; cada servicio lee el id de desarrollo del claim de sesión personalizado, para siempre.\n- **Reescribir una vez**: `clerk-dev2prod remap --map id-map.csv --db-column tabla.columna …` escribe `remap.sql` (una transacción, recuentos comprobados, tablas bloqueadas) y `remap-undo.sql`; con `--database-url` lo prueba y lo deshace, con `--apply` lo confirma. Después los servicios usan el id de producción tal cual y el claim puede desaparecer; necesita una ventana de mantenimiento. Las filas de usuarios que no se migraron nunca se tocan, y se listan.",
        ));
    }
    if !r.drift.is_empty() {
        let _ = writeln!(
            md,
            "{}\n",
            t(
                "## Fields that changed on the way",
                "## Campos que cambiaron por el camino"
            )
        );
        let _ = writeln!(
            md,
            "| {} | {} | dev | prod |\n|---|---|---|---|",
            t("user", "usuario"),
            t("field", "campo")
        );
        for d in r.drift.iter().take(SHOWN) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                md_cell_code(&d.dev_id),
                d.field,
                cell(&d.dev),
                cell(&d.prod)
            );
        }
        if let Some(line) = more(r.drift.len()) {
            let _ = writeln!(md, "{line}");
        }
    }
    md
}

fn cell(value: &str) -> String {
    if value.is_empty() {
        "—".into()
    } else {
        md_text(value)
    }
}
