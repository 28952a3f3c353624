//! The whole prepare step: an export's bytes in; the users to import, every problem, and the
//! five output files out. The page and the command line both call [`prepare`], so their files
//! are byte-identical for the same input and options.

use std::collections::BTreeMap;

use crate::core::claims::{self, BadClaimName};
use crate::core::csv_input::CsvExport;
use crate::core::decode::{self, Encoding, NotText};
use crate::core::emit;
use crate::core::issue::{Code, Detail, Field, Issue, Severity};
use crate::core::json_input::{self, JsonShape, NotAClerkJson};
use crate::core::lang::Lang;
use crate::core::record::{ExportRecord, DASHBOARD_COLUMNS};
use crate::core::text::TextStats;
use crate::core::user::User;
use crate::core::validate::{check_row, Checked, Claims};

/// Development instances hold at most this many users (Clerk's documentation).
pub const DEV_INSTANCE_USER_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareOptions {
    /// The export's file name, shown in the report and the runbook.
    pub file_name: String,
    /// The session token claim that carries the dev user id.
    pub claim_name: String,
    /// The language of the runbook and of `rejected.csv`'s problem column.
    pub lang: Lang,
}

impl Default for PrepareOptions {
    fn default() -> PrepareOptions {
        PrepareOptions {
            file_name: "users.csv".into(),
            claim_name: claims::DEFAULT_CLAIM.into(),
            lang: Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv { delimiter: u8 },
    Json(JsonShape),
}

impl InputFormat {
    pub fn label(self) -> &'static str {
        match self {
            InputFormat::Csv { .. } => "Dashboard CSV",
            InputFormat::Json(JsonShape::BackendApi) => "Backend API JSON",
            InputFormat::Json(JsonShape::Flat) => "flat JSON",
        }
    }
}

/// What the input was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputInfo {
    pub file_name: String,
    pub format: InputFormat,
    pub encoding: Encoding,
    pub stats: TextStats,
}

/// The numbers a user reads first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub rows: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub users_without_password: usize,
    pub users_with_totp: usize,
    pub users_with_unverified_addresses: usize,
    /// API requests the import makes: one per user plus one per further address.
    pub api_requests: usize,
    pub by_code: BTreeMap<&'static str, usize>,
    /// Each rejected row counted once, under its first error.
    pub rejected_by_first_reason: BTreeMap<&'static str, usize>,
}

impl Counts {
    pub fn is_clean(&self) -> bool {
        self.rejected == 0
    }
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

pub const USERS_JSON: &str = "users.json";
pub const REJECTED_CSV: &str = "rejected.csv";
pub const REPORT_JSON: &str = "report.json";
pub const SESSION_CLAIMS_JSON: &str = "session-claims.json";
pub const MIGRATION_MD: &str = "MIGRATION.md";

#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub input: InputInfo,
    pub counts: Counts,
    /// About the file as a whole.
    pub notices: Vec<Issue>,
    /// About rows, in input order.
    pub issues: Vec<Issue>,
    pub files: Vec<OutputFile>,
}

impl Prepared {
    pub fn file(&self, name: &str) -> Option<&OutputFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// Why nothing could be prepared. Every variant says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepareError {
    NotText(NotText),
    NotAClerkCsv { found: Vec<String> },
    InvalidJson(String),
    NotUsersJson(String),
    ClaimName(BadClaimName),
}

impl PrepareError {
    pub fn message(&self, lang: Lang) -> String {
        let expected = DASHBOARD_COLUMNS.join(", ");
        match self {
            PrepareError::NotText(NotText::Empty) => lang.pick(
                "The file is empty. Export the users again from the Clerk Dashboard (Settings → User exports) and use that file.".into(),
                "El archivo está vacío. Exporta de nuevo los usuarios desde el Dashboard de Clerk (Settings → User exports) y usa ese archivo.".into(),
            ),
            PrepareError::NotText(NotText::Binary { kind }) => {
                let kind = kind.unwrap_or("");
                lang.pick(
                    format!("This is not a text file{}. Use the CSV from the Clerk Dashboard (Settings → User exports), or a JSON export of your users.", if kind.is_empty() { String::new() } else { format!(" (it looks like a {kind})") }),
                    format!("No es un archivo de texto{}. Usa el CSV del Dashboard de Clerk (Settings → User exports) o una exportación JSON de tus usuarios.", if kind.is_empty() { String::new() } else { format!(" (parece un {kind})") }),
                )
            }
            PrepareError::NotAClerkCsv { found } => {
                let found = if found.is_empty() { "-".to_string() } else { found.join(", ") };
                lang.pick(
                    format!("This CSV is not a Clerk user export: it has no id column. Expected Clerk's columns ({expected}); found: {found}. Export the users from the Clerk Dashboard (Settings → User exports)."),
                    format!("Este CSV no es una exportación de usuarios de Clerk: no tiene columna id. Se esperaban las columnas de Clerk ({expected}); se encontraron: {found}. Exporta los usuarios desde el Dashboard de Clerk (Settings → User exports)."),
                )
            }
            PrepareError::InvalidJson(detail) => lang.pick(
                format!("The file looks like JSON but cannot be read: {detail}. Export it again, or use the Dashboard's CSV export."),
                format!("El archivo parece JSON pero no se puede leer: {detail}. Expórtalo de nuevo, o usa la exportación CSV del Dashboard."),
            ),
            PrepareError::NotUsersJson(detail) => lang.pick(
                format!("This JSON is not a Clerk user export ({detail}). Expected an array of users, each with an id: the Backend API's users, or Clerk's flat export shape."),
                format!("Este JSON no es una exportación de usuarios de Clerk ({detail}). Se esperaba un array de usuarios, cada uno con id: los usuarios de la Backend API, o la forma plana de Clerk."),
            ),
            PrepareError::ClaimName(bad) => bad.message(lang),
        }
    }
}

/// Reads an export and writes everything the migration needs.
pub fn prepare(bytes: &[u8], options: &PrepareOptions) -> Result<Prepared, PrepareError> {
    claims::check_claim_name(&options.claim_name).map_err(PrepareError::ClaimName)?;
    let decoded = decode::decode(bytes).map_err(PrepareError::NotText)?;
    let text = decoded.text.as_ref();
    let mut notices = encoding_notices(decoded.encoding);

    let mut run = Run::new(options.lang, bytes.len());
    let looks_like_json = text.trim_start().starts_with(['[', '{']);
    let format = if looks_like_json {
        let export = json_input::read(text).map_err(|e| match e {
            NotAClerkJson::Syntax(detail) => PrepareError::InvalidJson(detail),
            NotAClerkJson::Shape(detail) => PrepareError::NotUsersJson(detail),
        })?;
        if !export.ignored_keys.is_empty() {
            notices.push(notice(
                0,
                Code::IgnoredColumns,
                Detail::List(export.ignored_keys.join(", ").into()),
            ));
        }
        run.rejected.start(&["record"]);
        for row in export.rows {
            run.take(row.record, |rejected, row_number, problems| {
                rejected.write_row(row_number, problems, std::iter::once(row.original.as_str()))
            });
        }
        InputFormat::Json(export.shape)
    } else {
        let mut export =
            CsvExport::open(text).map_err(|e| PrepareError::NotAClerkCsv { found: e.found })?;
        if export.delimiter != b',' {
            let name = if export.delimiter == b';' { ";" } else { "TAB" };
            notices.push(notice(
                export.header_line,
                Code::DelimiterDetected,
                Detail::Value(name.into()),
            ));
        }
        if !export.ignored_columns.is_empty() {
            notices.push(notice(
                export.header_line,
                Code::IgnoredColumns,
                Detail::List(export.ignored_columns.join(", ").into()),
            ));
        }
        let header: Vec<&str> = export.header.iter().map(String::as_str).collect();
        run.rejected.start(&header);
        export.read_rows(|row| {
            run.take(row.record, |rejected, row_number, problems| {
                rejected.write_row(row_number, problems, row.cells.iter())
            });
        });
        if !export.comment_lines.is_empty() {
            let lines: Vec<String> = export.comment_lines.iter().map(usize::to_string).collect();
            notices.push(notice(
                export.comment_lines[0],
                Code::CommentLinesSkipped,
                Detail::List(lines.join(", ").into()),
            ));
        }
        InputFormat::Csv {
            delimiter: export.delimiter,
        }
    };
    if run.counts.users_without_password > 0 {
        let count = run.counts.users_without_password;
        notices.push(notice(0, Code::NoPassword, Detail::Number(count)));
    }
    if run.counts.rows > DEV_INSTANCE_USER_LIMIT {
        notices.push(notice(
            0,
            Code::DevInstanceLimit,
            Detail::Number(run.counts.rows),
        ));
    }

    let input = InputInfo {
        file_name: options.file_name.clone(),
        format,
        encoding: decoded.encoding,
        stats: TextStats::of(bytes),
    };
    let Run {
        counts,
        issues,
        users_json,
        rejected,
        ..
    } = run;
    let mut prepared = Prepared {
        input,
        counts,
        notices,
        issues,
        files: Vec::new(),
    };
    let report = emit::report_json(&prepared);
    let runbook = emit::runbook(&prepared, options);
    prepared.files = vec![
        OutputFile {
            name: USERS_JSON,
            bytes: users_json.finish(),
        },
        OutputFile {
            name: REJECTED_CSV,
            bytes: rejected.finish(),
        },
        OutputFile {
            name: REPORT_JSON,
            bytes: report,
        },
        OutputFile {
            name: SESSION_CLAIMS_JSON,
            bytes: claims::session_claims_json(&options.claim_name).into_bytes(),
        },
        OutputFile {
            name: MIGRATION_MD,
            bytes: runbook.into_bytes(),
        },
    ];
    Ok(prepared)
}

fn notice(row: usize, code: Code, detail: Detail) -> Issue {
    Issue {
        row,
        user_id: "".into(),
        field: Field::Row,
        code,
        detail,
    }
}

fn encoding_notices(encoding: Encoding) -> Vec<Issue> {
    match encoding {
        Encoding::Utf8 => vec![],
        Encoding::Utf8Bom => vec![notice(1, Code::Utf8BomRemoved, Detail::None)],
        Encoding::Utf16Le | Encoding::Utf16Be => {
            vec![notice(
                1,
                Code::DecodedUtf16,
                Detail::Value(encoding.label().into()),
            )]
        }
        Encoding::Windows1252 => vec![notice(1, Code::DecodedWindows1252, Detail::None)],
    }
}

/// The state of one prepare run as rows stream through it.
struct Run {
    lang: Lang,
    claims: Claims,
    counts: Counts,
    issues: Vec<Issue>,
    users_json: emit::UsersJson,
    rejected: emit::RejectedCsv,
}

impl Run {
    fn new(lang: Lang, input_bytes: usize) -> Run {
        Run {
            lang,
            claims: Claims::default(),
            counts: Counts::default(),
            issues: Vec::new(),
            users_json: emit::UsersJson::with_capacity(input_bytes + input_bytes / 4),
            rejected: emit::RejectedCsv::new(),
        }
    }

    /// Validates one row and sends it to `users.json` or, through `reject`, to `rejected.csv`.
    fn take(
        &mut self,
        record: ExportRecord,
        reject: impl FnOnce(&mut emit::RejectedCsv, usize, &str),
    ) {
        let mut checked: Checked = check_row(record);
        self.claims.settle(&mut checked);
        let counts = &mut self.counts;
        counts.rows += 1;
        for issue in &checked.issues {
            *counts.by_code.entry(issue.code.as_str()).or_default() += 1;
            match issue.severity() {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        if let Some(first) = checked
            .issues
            .iter()
            .find(|i| i.severity() == Severity::Error)
        {
            counts.rejected += 1;
            *counts
                .rejected_by_first_reason
                .entry(first.code.as_str())
                .or_default() += 1;
            let problems = problems_text(&checked.issues, self.lang);
            reject(&mut self.rejected, checked.line, &problems);
        } else {
            counts.accepted += 1;
            tally_user(counts, &checked.user);
            self.users_json.push(&checked.user);
        }
        self.issues.append(&mut checked.issues);
    }
}

fn tally_user(counts: &mut Counts, user: &User) {
    if !user.has_password() {
        counts.users_without_password += 1;
    }
    if user.totp_secret.is_some() {
        counts.users_with_totp += 1;
    }
    if !user.unverified_email_addresses.is_empty() || !user.unverified_phone_numbers.is_empty() {
        counts.users_with_unverified_addresses += 1;
    }
    let further = user.all_emails().count() + user.all_phones().count();
    // The first email and the first phone travel with the create request.
    let in_create = usize::from(user.email.is_some()) + usize::from(user.phone.is_some());
    counts.api_requests += 1 + further.saturating_sub(in_create);
}

/// `code: message` for each problem of a row, in the chosen language, errors first.
fn problems_text(issues: &[Issue], lang: Lang) -> String {
    let mut ordered: Vec<&Issue> = issues.iter().collect();
    ordered.sort_by_key(|i| i.severity());
    ordered
        .into_iter()
        .map(|i| format!("{}: {}", i.code.as_str(), i.message(lang)))
        .collect::<Vec<_>>()
        .join(" | ")
}
