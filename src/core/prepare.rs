//! The whole prepare step: an export's bytes in; the users to import, every problem, and the
//! six output files out. The page and the command line both call [`prepare`], so their files
//! are byte-identical for the same input and options.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use crate::core::checks::code_scan::CodeScan;
use crate::core::claims::{self, BadClaimName};
use crate::core::csv_input::{CsvCursor, CsvLayout};
use crate::core::database::columns::ColumnRef;
use crate::core::decode::{self, Decoded, Encoding, NotText};
use crate::core::emit;
use crate::core::existing::{self, Existing, Link, ProductionUsers};
use crate::core::instance::InstanceSettings;
use crate::core::issue::{Code, Detail, Field, Issue, Severity};
use crate::core::json_input::{self, JsonRow, JsonShape, NotAClerkJson};
use crate::core::keys::ServiceCheck;
use crate::core::lang::Lang;
use crate::core::record::{ExportRecord, DASHBOARD_COLUMNS};
use crate::core::text::TextStats;
use crate::core::user::User;
use crate::core::validate::{check_row_with, Checked, Claims, RowRules};

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
    /// The services' keys as checked (`check-keys`), for the runbook's checklist; empty when
    /// no keys were checked.
    pub key_checklist: Vec<ServiceCheck>,
    /// The production instance's settings (its environment document), when given.
    pub instance: Option<InstanceSettings>,
    /// Import the addresses the export lists as unverified (off: they are left out and named).
    pub keep_unverified: bool,
    /// An export of the production instance taken before the import, when given: users who
    /// already exist there are left out of `users.json` and linked instead.
    pub production: Option<Arc<ProductionUsers>>,
    /// The database columns that hold Clerk user ids, when the team named them (or the
    /// command line found them): `link-existing.sql` then moves linked users' rows in each,
    /// checking the counts; otherwise it counts them in every column named like a user id.
    pub link_columns: Vec<ColumnRef>,
    /// The services' code as scanned (`check-code`), for the runbook's per-service table.
    pub code_scan: Option<CodeScan>,
}

impl Default for PrepareOptions {
    fn default() -> PrepareOptions {
        PrepareOptions {
            file_name: "users.csv".into(),
            claim_name: claims::DEFAULT_CLAIM.into(),
            lang: Lang::En,
            key_checklist: Vec::new(),
            instance: None,
            keep_unverified: false,
            production: None,
            link_columns: Vec::new(),
            code_scan: None,
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
    /// Users whose export lists unverified addresses (left out or, when asked, kept).
    pub users_with_unverified_addresses: usize,
    /// Users left out of `users.json` because production already has them: linked (by an
    /// earlier run, `imported_earlier`) or to link (`link-existing.sh`).
    pub already_in_production: usize,
    pub imported_earlier: usize,
    /// Users rejected from `users.json` only because the migration tool cannot take them
    /// (a hasher it does not know), written to `users.csv` for Clerk's other importers.
    pub users_csv_only: usize,
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

    /// Users for `link-existing.sh`: in production already, and not linked yet.
    pub fn to_link(&self) -> usize {
        self.already_in_production - self.imported_earlier
    }
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

pub const USERS_JSON: &str = "users.json";
pub const USERS_CSV: &str = "users.csv";
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
    /// Production users to link to their dev accounts (`link-existing.csv`).
    pub links: Vec<Link>,
    /// What the rows were checked against besides Clerk's rules.
    pub checked_against: crate::core::verdict::CheckedAgainst,
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
    NotAClerkCsv {
        found: Vec<String>,
    },
    /// The header (on this line) opens a quote that never closes.
    UnclosedQuoteInHeader {
        line: usize,
    },
    /// The header names this Clerk column twice (as the header writes it).
    DuplicateColumn {
        name: String,
    },
    /// The export is readable but holds no user: a header with no row, or only blank lines
    /// after it; a JSON array with no element.
    NoUsers,
    InvalidJson(String),
    NotUsersJson(String),
    ClaimName(BadClaimName),
    /// An output file could not be written (a full disk, a folder without permission).
    Output {
        file: &'static str,
        message: String,
    },
}

impl PrepareError {
    /// What went wrong and what to do; what it quotes from the file has its secrets masked
    /// and its control characters visible.
    pub fn message(&self, lang: Lang) -> String {
        crate::core::escape::shown(self.words(lang))
    }

    fn words(&self, lang: Lang) -> String {
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
            PrepareError::NotText(NotText::MixedEncoding { encoding, line }) => lang.pick(
                format!("Line {line} is not {encoding} like the lines before it: the file mixes two encodings (rows added or re-saved in another program), so names would be changed if it were read either way. Open the file in a text editor, save it as UTF-8, and use that file; or export the users again from the Clerk Dashboard."),
                format!("La línea {line} no está en {encoding} como las anteriores: el archivo mezcla dos codificaciones (filas añadidas o guardadas con otro programa), así que se cambiarían nombres al leerlo de cualquiera de las dos formas. Abre el archivo en un editor de texto, guárdalo como UTF-8 y usa ese archivo; o exporta de nuevo los usuarios desde el Dashboard de Clerk."),
            ),
            PrepareError::NotAClerkCsv { found } => {
                let found = if found.is_empty() { "-".to_string() } else { found.join(", ") };
                lang.pick(
                    format!("This CSV is not a Clerk user export: it has no id column. Expected Clerk's columns ({expected}); found: {found}. Export the users from the Clerk Dashboard (Settings → User exports)."),
                    format!("Este CSV no es una exportación de usuarios de Clerk: no tiene columna id. Se esperaban las columnas de Clerk ({expected}); se encontraron: {found}. Exporta los usuarios desde el Dashboard de Clerk (Settings → User exports)."),
                )
            }
            PrepareError::UnclosedQuoteInHeader { line } => lang.pick(
                format!("The header on line {line} opens a quote (\") that never closes, so the whole file would be read as one header and no row at all. Remove the stray quote from the header, or export the users again from the Clerk Dashboard."),
                format!("La cabecera de la línea {line} abre unas comillas (\") que nunca se cierran, así que todo el archivo se leería como una sola cabecera y ninguna fila. Quita las comillas sueltas de la cabecera, o exporta de nuevo los usuarios desde el Dashboard de Clerk."),
            ),
            PrepareError::DuplicateColumn { name } => lang.pick(
                format!("The header names the column {name} twice, so which of the two cells holds a user's value cannot be told. Remove one of the two columns (keep the one with the values you want), or export the users again from the Clerk Dashboard."),
                format!("La cabecera nombra dos veces la columna {name}, así que no se puede saber cuál de las dos celdas tiene el valor de cada usuario. Quita una de las dos columnas (deja la que tenga los valores que quieres), o exporta de nuevo los usuarios desde el Dashboard de Clerk."),
            ),
            PrepareError::NoUsers => lang.pick(
                "The file holds no users: it has a header but no row after it, so there is nothing to import. Export the users again from the Clerk Dashboard (Settings → User exports) once the development instance has users, and use that file.".into(),
                "El archivo no contiene usuarios: tiene cabecera pero ninguna fila después, así que no hay nada que importar. Exporta de nuevo los usuarios desde el Dashboard de Clerk (Settings → User exports) cuando la instancia de desarrollo tenga usuarios, y usa ese archivo.".into(),
            ),
            PrepareError::InvalidJson(detail) => lang.pick(
                format!("The file looks like JSON but cannot be read: {detail}. Export it again, or use the Dashboard's CSV export."),
                format!("El archivo parece JSON pero no se puede leer: {detail}. Expórtalo de nuevo, o usa la exportación CSV del Dashboard."),
            ),
            PrepareError::NotUsersJson(detail) => lang.pick(
                format!("This JSON is not a Clerk user export ({detail}). Expected an array of users, each with an id: the Backend API's users, or Clerk's flat export shape."),
                format!("Este JSON no es una exportación de usuarios de Clerk ({detail}). Se esperaba un array de usuarios, cada uno con id: los usuarios de la Backend API, o la forma plana de Clerk."),
            ),
            PrepareError::ClaimName(bad) => bad.message(lang),
            PrepareError::Output { file, message } => lang.pick(
                format!("Could not write {file}: {message}. Check the output folder's free space and permissions, then run again."),
                format!("No se pudo escribir {file}: {message}. Comprueba el espacio libre y los permisos de la carpeta de salida y vuelve a ejecutar."),
            ),
        }
    }
}

impl From<crate::core::csv_input::NotAClerkCsv> for PrepareError {
    fn from(e: crate::core::csv_input::NotAClerkCsv) -> PrepareError {
        match (e.unclosed_quote, e.duplicate_column) {
            (Some(line), _) => PrepareError::UnclosedQuoteInHeader { line },
            (None, Some(name)) => PrepareError::DuplicateColumn { name },
            (None, None) => PrepareError::NotAClerkCsv { found: e.found },
        }
    }
}

/// Where the output files go. Each file is opened once, and only after the input has proved
/// usable, so an unusable input leaves nothing behind.
pub trait Outputs {
    type Writer: Write;
    fn open(&mut self, name: &'static str) -> io::Result<Self::Writer>;
    /// Called once a file is complete.
    fn close(&mut self, name: &'static str, writer: Self::Writer) -> io::Result<()>;
}

/// Lends outputs to a run and keeps them: `prepare_into(bytes, options, &mut outputs)`.
impl<T: Outputs> Outputs for &mut T {
    type Writer = T::Writer;

    fn open(&mut self, name: &'static str) -> io::Result<T::Writer> {
        (**self).open(name)
    }

    fn close(&mut self, name: &'static str, writer: T::Writer) -> io::Result<()> {
        (**self).close(name, writer)
    }
}

/// Keeps every file in memory: the page's downloads, and [`prepare`].
pub struct InMemory {
    /// The export's size, to reserve room for `users.json` up front.
    input_bytes: usize,
    pub files: Vec<OutputFile>,
}

impl InMemory {
    pub fn new(input_bytes: usize) -> InMemory {
        InMemory {
            input_bytes,
            files: Vec::new(),
        }
    }
}

impl Outputs for InMemory {
    type Writer = Vec<u8>;

    fn open(&mut self, name: &'static str) -> io::Result<Vec<u8>> {
        // users.json is about one and a half times the export (its field names on every
        // line); room for that up front saves doubling the buffer, and a copy, near the end.
        // The rest is small.
        let room = if name == USERS_JSON {
            self.input_bytes + self.input_bytes / 2
        } else {
            0
        };
        Ok(Vec::with_capacity(room))
    }

    fn close(&mut self, name: &'static str, mut bytes: Vec<u8>) -> io::Result<()> {
        // The page keeps the files as long as it shows them, so a buffer much larger than its
        // file is trimmed. Only then: in wasm, trimming copies the whole file (a 200 MB
        // users.json takes a third of a second), while the usual slack is a few percent.
        if bytes.capacity() - bytes.len() > bytes.len() / 4 {
            bytes.shrink_to_fit();
        }
        self.files.push(OutputFile { name, bytes });
        Ok(())
    }
}

/// Reads an export and returns everything the migration needs, the files in memory.
pub fn prepare(bytes: &[u8], options: &PrepareOptions) -> Result<Prepared, PrepareError> {
    let mut preparation = Preparation::begin(bytes, options, InMemory::new(bytes.len()))?;
    preparation.step(usize::MAX);
    let (mut prepared, outputs) = preparation.finish()?;
    prepared.files = outputs.files;
    Ok(prepared)
}

/// Reads an export and writes the six files into `outputs` as the rows stream through, so
/// memory stays near the size of the input however large the outputs grow. The returned
/// value has every count and issue, and no files.
pub fn prepare_into<O: Outputs>(
    bytes: &[u8],
    options: &PrepareOptions,
    outputs: O,
) -> Result<(Prepared, O), PrepareError> {
    let mut preparation = Preparation::begin(bytes, options, outputs)?;
    preparation.step(usize::MAX);
    preparation.finish()
}

/// Where the rows come from.
enum Source {
    Csv {
        layout: CsvLayout,
        cursor: CsvCursor,
    },
    Json {
        shape: JsonShape,
        rows: std::vec::IntoIter<JsonRow>,
        total: usize,
    },
}

/// How far a preparation has come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub rows: usize,
    /// From 0 to 1: the share of the input read so far.
    pub fraction: f64,
    pub finished: bool,
}

/// A prepare run that can pause between rows: [`Preparation::step`] reads a slice of rows,
/// so the page can hand the browser back its thread between slices.
pub struct Preparation<'t, O: Outputs> {
    text: Cow<'t, str>,
    encoding: Encoding,
    stats: TextStats,
    options: PrepareOptions,
    notices: Vec<Issue>,
    source: Source,
    run: Run<O::Writer>,
    outputs: O,
}

impl<'t, O: Outputs> Preparation<'t, O> {
    /// Checks the options and the input's shape; nothing is written unless both are usable.
    pub fn begin(
        bytes: &'t [u8],
        options: &PrepareOptions,
        outputs: O,
    ) -> Result<Preparation<'t, O>, PrepareError> {
        Preparation::begin_counted(bytes, TextStats::of(bytes), options, outputs)
    }

    /// [`Preparation::begin`] for a caller that has counted the input already (the page, when
    /// the file arrives): a second pass over a large file is not free in the browser.
    pub fn begin_counted(
        bytes: &'t [u8],
        stats: TextStats,
        options: &PrepareOptions,
        outputs: O,
    ) -> Result<Preparation<'t, O>, PrepareError> {
        debug_assert_eq!(stats, TextStats::of(bytes));
        claims::check_claim_name(&options.claim_name).map_err(PrepareError::ClaimName)?;
        let decoded = decode::decode(bytes).map_err(PrepareError::NotText)?;
        Preparation::from_text(decoded, stats, options, outputs)
    }

    fn from_text(
        decoded: Decoded<'t>,
        stats: TextStats,
        options: &PrepareOptions,
        mut outputs: O,
    ) -> Result<Preparation<'t, O>, PrepareError> {
        let text = decoded.text;
        let mut notices = encoding_notices(decoded.encoding);
        let looks_like_json = text.trim_start().starts_with(['[', '{']);
        let (source, header) = if looks_like_json {
            let export = json_input::read(&text).map_err(|e| match e {
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
            let total = export.rows.len();
            if total == 0 {
                return Err(PrepareError::NoUsers);
            }
            let source = Source::Json {
                shape: export.shape,
                rows: export.rows.into_iter(),
                total,
            };
            (source, vec!["record".to_string()])
        } else {
            let (layout, cursor) = CsvLayout::open(&text).map_err(PrepareError::from)?;
            if text[cursor.offset.min(text.len())..].trim().is_empty() {
                return Err(PrepareError::NoUsers);
            }
            if layout.delimiter != b',' {
                let name = if layout.delimiter == b';' { ";" } else { "TAB" };
                notices.push(notice(
                    layout.header_line,
                    Code::DelimiterDetected,
                    Detail::Value(name.into()),
                ));
            }
            if !layout.ignored_columns.is_empty() {
                notices.push(notice(
                    layout.header_line,
                    Code::IgnoredColumns,
                    Detail::List(layout.ignored_columns.join(", ").into()),
                ));
            }
            let header = layout.header.clone();
            (Source::Csv { layout, cursor }, header)
        };
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut run = Run::open(options.lang, &mut outputs, &header)?;
        run.claims = Claims::for_lines(stats.lines);
        run.instance = options.instance.clone();
        run.production = options.production.clone();
        run.rules = RowRules {
            keep_unverified: options.keep_unverified,
        };
        Ok(Preparation {
            text,
            encoding: decoded.encoding,
            stats,
            options: options.clone(),
            notices,
            source,
            run,
            outputs,
        })
    }

    /// Reads up to `max_rows` more rows.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        let run = &mut self.run;
        let (finished, fraction) = match &mut self.source {
            Source::Csv { layout, cursor } => {
                layout.read_rows(&self.text, cursor, max_rows, |row| {
                    run.take(row.record, |rejected, row_number, problems| {
                        rejected.write_row(row_number, problems, row.cells.iter())
                    });
                });
                let len = self.text.len().max(1);
                (cursor.done, cursor.offset.min(len) as f64 / len as f64)
            }
            Source::Json { rows, total, .. } => {
                for row in rows.by_ref().take(max_rows) {
                    run.take(row.record, |rejected, row_number, problems| {
                        rejected.write_row(
                            row_number,
                            problems,
                            std::iter::once(row.original.as_str()),
                        )
                    });
                }
                let left = rows.len();
                (left == 0, (*total - left) as f64 / (*total).max(1) as f64)
            }
        };
        Progress {
            rows: self.run.counts.rows,
            fraction: if finished { 1.0 } else { fraction },
            finished,
        }
    }

    /// Reads what is left, completes the files and hands back the outputs.
    pub fn finish(mut self) -> Result<(Prepared, O), PrepareError> {
        while !self.step(usize::MAX).finished {}
        let Preparation {
            text,
            encoding,
            stats,
            options,
            mut notices,
            source,
            run,
            mut outputs,
        } = self;
        // The rows are done: what only they needed (the claim table, 64 MB at 1M users; the
        // decoded copy of an export that was not UTF-8; the parsed JSON users) goes before
        // the report, the last large allocation, is written.
        drop(text);
        let format = match source {
            Source::Csv { layout, .. } => {
                if !layout.comment_lines.is_empty() {
                    let lines: Vec<String> =
                        layout.comment_lines.iter().map(usize::to_string).collect();
                    notices.push(notice(
                        layout.comment_lines[0],
                        Code::CommentLinesSkipped,
                        Detail::List(lines.join(", ").into()),
                    ));
                }
                InputFormat::Csv {
                    delimiter: layout.delimiter,
                }
            }
            Source::Json { shape, rows, .. } => {
                drop(rows);
                InputFormat::Json(shape)
            }
        };
        let Run {
            claims,
            counts,
            issues,
            links,
            users_json,
            users_csv,
            rejected,
            error,
            ..
        } = run;
        drop(claims);
        if let Some((name, e)) = error {
            return Err(output_error(name)(e));
        }
        let users_json = users_json.finish().map_err(output_error(USERS_JSON))?;
        outputs
            .close(USERS_JSON, users_json)
            .map_err(output_error(USERS_JSON))?;
        let users_csv = users_csv.finish().map_err(output_error(USERS_CSV))?;
        outputs
            .close(USERS_CSV, users_csv)
            .map_err(output_error(USERS_CSV))?;
        let rejected = rejected.finish().map_err(output_error(REJECTED_CSV))?;
        outputs
            .close(REJECTED_CSV, rejected)
            .map_err(output_error(REJECTED_CSV))?;
        if counts.users_without_password > 0 {
            let count = counts.users_without_password;
            notices.push(notice(0, Code::NoPassword, Detail::Number(count)));
        }
        if let Some(instance) = &options.instance {
            if instance.legal_consent && counts.accepted > 0 {
                notices.push(notice(
                    0,
                    Code::LegalConsentRequired,
                    Detail::Number(counts.accepted),
                ));
            }
            if counts.users_without_password > 0 {
                let providers = if instance.oauth_providers.is_empty() {
                    "—".to_string()
                } else {
                    instance.oauth_providers.join(", ")
                };
                notices.push(notice(
                    0,
                    Code::OAuthProvidersInProduction,
                    Detail::List(providers.into()),
                ));
            }
        }
        if counts.rows > DEV_INSTANCE_USER_LIMIT {
            notices.push(notice(
                0,
                Code::DevInstanceLimit,
                Detail::Number(counts.rows),
            ));
        }
        let prepared = Prepared {
            input: InputInfo {
                file_name: options.file_name.clone(),
                format,
                encoding,
                stats,
            },
            counts,
            notices,
            issues,
            files: Vec::new(),
            links,
            checked_against: crate::core::verdict::CheckedAgainst {
                instance_settings: options.instance.is_some(),
                production_users: options.production.is_some(),
            },
        };
        write_file(&mut outputs, REPORT_JSON, |w| {
            emit::write_report_json(w, &prepared)
        })?;
        write_file(&mut outputs, SESSION_CLAIMS_JSON, |w| {
            w.write_all(claims::session_claims_json(&options.claim_name).as_bytes())
        })?;
        write_file(&mut outputs, MIGRATION_MD, |w| {
            w.write_all(emit::runbook(&prepared, &options).as_bytes())
        })?;
        if options.production.is_some() {
            let links = &prepared.links;
            write_file(&mut outputs, existing::LINK_EXISTING_CSV, |w| {
                w.write_all(&existing::link_csv(links))
            })?;
            write_file(&mut outputs, existing::LINK_EXISTING_SH, |w| {
                w.write_all(&existing::link_script(links, &options.file_name))
            })?;
            write_file(&mut outputs, existing::LINK_EXISTING_SQL, |w| {
                w.write_all(&existing::link_sql(links, &options.link_columns))
            })?;
        }
        Ok((prepared, outputs))
    }
}

/// Opens, writes and closes one whole output file.
fn write_file<O: Outputs>(
    outputs: &mut O,
    name: &'static str,
    write: impl FnOnce(&mut O::Writer) -> io::Result<()>,
) -> Result<(), PrepareError> {
    let mut writer = outputs.open(name).map_err(output_error(name))?;
    write(&mut writer).map_err(output_error(name))?;
    outputs.close(name, writer).map_err(output_error(name))
}

fn output_error(file: &'static str) -> impl Fn(io::Error) -> PrepareError {
    move |e| PrepareError::Output {
        file,
        message: e.to_string(),
    }
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
struct Run<W: Write> {
    lang: Lang,
    claims: Claims,
    counts: Counts,
    issues: Vec<Issue>,
    users_json: emit::UsersJson<W>,
    users_csv: emit::UsersCsv<W>,
    rejected: emit::RejectedCsv<W>,
    /// The first write that failed; rows after it are still counted, not written.
    error: Option<(&'static str, io::Error)>,
    instance: Option<InstanceSettings>,
    rules: RowRules,
    production: Option<Arc<ProductionUsers>>,
    links: Vec<Link>,
}

impl<W: Write> Run<W> {
    fn open<O: Outputs<Writer = W>>(
        lang: Lang,
        outputs: &mut O,
        original_header: &[&str],
    ) -> Result<Run<W>, PrepareError> {
        let users = outputs.open(USERS_JSON).map_err(output_error(USERS_JSON))?;
        let users_csv = outputs.open(USERS_CSV).map_err(output_error(USERS_CSV))?;
        let users_csv = emit::UsersCsv::new(users_csv).map_err(output_error(USERS_CSV))?;
        let rejected = outputs
            .open(REJECTED_CSV)
            .map_err(output_error(REJECTED_CSV))?;
        let mut run = Run {
            lang,
            claims: Claims::default(),
            counts: Counts::default(),
            issues: Vec::new(),
            users_json: emit::UsersJson::new(users),
            users_csv,
            rejected: emit::RejectedCsv::new(rejected),
            error: None,
            instance: None,
            rules: RowRules::default(),
            production: None,
            links: Vec::new(),
        };
        if let Err(e) = run.rejected.start(original_header) {
            run.error = Some((REJECTED_CSV, e));
        }
        Ok(run)
    }

    /// Validates one row and sends it to `users.json` or, through `reject`, to `rejected.csv`.
    fn take(
        &mut self,
        record: ExportRecord,
        reject: impl FnOnce(&mut emit::RejectedCsv<W>, usize, &str) -> io::Result<()>,
    ) {
        let mut checked: Checked = check_row_with(record, self.rules);
        // The instance's own rules apply to rows that pass the general ones, before claims:
        // an identifier the instance drops cannot collide.
        if let (Some(instance), false) = (&self.instance, checked.is_rejected()) {
            instance.check(&mut checked.user, checked.line, &mut checked.issues);
        }
        self.claims.settle(&mut checked);
        let existing = self.check_production(&mut checked);
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
            if self.error.is_none() {
                let problems = problems_text(&checked.issues, self.lang);
                if let Err(e) = reject(&mut self.rejected, checked.line, &problems) {
                    self.error = Some((REJECTED_CSV, e));
                }
            }
            if checked.is_importable_elsewhere() {
                counts.users_csv_only += 1;
                if self.error.is_none() {
                    if let Err(e) = self.users_csv.push(&checked.user) {
                        self.error = Some((USERS_CSV, e));
                    }
                }
            }
        } else if let Some(link) = existing {
            counts.already_in_production += 1;
            match link {
                Some(link) => self.links.push(link),
                None => counts.imported_earlier += 1,
            }
        } else {
            counts.accepted += 1;
            tally_user(counts, &checked.user);
            if self.error.is_none() {
                if let Err(e) = self.users_json.push(&checked.user) {
                    self.error = Some((USERS_JSON, e));
                } else if let Err(e) = self.users_csv.push(&checked.user) {
                    self.error = Some((USERS_CSV, e));
                }
            }
        }
        if checked.issues.iter().any(|i| {
            matches!(
                i.code,
                Code::UnverifiedLeftOut
                    | Code::UnverifiedKept
                    | Code::UnverifiedMadeVerified
                    | Code::OnlyUnverifiedIdentifiers
            )
        }) {
            counts.users_with_unverified_addresses += 1;
        }
        self.issues.append(&mut checked.issues);
    }
}

impl<W: Write> Run<W> {
    /// Whether production already has this (otherwise importable) user: `Some(Some(link))`
    /// to link, `Some(None)` imported by an earlier run, `None` to import. Two production
    /// users is an error on the row, never a guess.
    fn check_production(&self, checked: &mut Checked) -> Option<Option<Link>> {
        let production = self.production.as_ref()?;
        if checked.is_rejected() {
            return None;
        }
        let issue = |code, detail| Issue {
            row: checked.line,
            user_id: checked.user.user_id.as_str().into(),
            field: Field::Row,
            code,
            detail,
        };
        match production.find(&checked.user) {
            Existing::No => None,
            Existing::ImportedEarlier { prod_id } => {
                let found = issue(Code::ImportedEarlier, Detail::Value(prod_id.into()));
                checked.issues.push(found);
                Some(None)
            }
            Existing::Collides {
                prod_id,
                matched_by,
                value,
            } => {
                checked.issues.push(issue(
                    Code::AlreadyInProduction,
                    Detail::Existing {
                        prod_id: prod_id.as_str().into(),
                        matched_by: matched_by.as_str(),
                        value: value.as_str().into(),
                    },
                ));
                let email = checked.user.email.clone().unwrap_or_default();
                Some(Some(Link {
                    dev_id: checked.user.user_id.clone(),
                    prod_id,
                    matched_by,
                    email,
                }))
            }
            Existing::Ambiguous { prod_users } => {
                let named: Vec<String> = prod_users
                    .iter()
                    .map(|(id, linked)| match linked.as_str() {
                        "" => id.clone(),
                        linked => format!("{id} → {linked}"),
                    })
                    .collect();
                checked.issues.push(issue(
                    Code::ProductionAmbiguous,
                    Detail::List(named.join(", ").into()),
                ));
                None
            }
        }
    }
}

fn tally_user(counts: &mut Counts, user: &User) {
    if !user.has_password() {
        counts.users_without_password += 1;
    }
    if user.totp_secret.is_some() {
        counts.users_with_totp += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs whose users.json fails after a few bytes, like a disk filling up.
    struct FullDisk {
        opened: Vec<&'static str>,
    }

    struct Failing(usize);

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 < buf.len() {
                return Err(io::Error::other("no space left on device"));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Outputs for FullDisk {
        type Writer = Failing;

        fn open(&mut self, name: &'static str) -> io::Result<Failing> {
            self.opened.push(name);
            Ok(Failing(if name == USERS_JSON { 10 } else { usize::MAX }))
        }

        fn close(&mut self, _: &'static str, _: Failing) -> io::Result<()> {
            Ok(())
        }
    }

    const EXPORT: &[u8] = b"id,primary_email_address\nuser_1,a@example.com\nuser_2,b@example.com\n";

    #[test]
    fn a_failed_write_is_reported_with_the_file_it_hit() {
        let outputs = FullDisk { opened: vec![] };
        let Err(err) = prepare_into(EXPORT, &PrepareOptions::default(), outputs) else {
            panic!("a full disk must fail the run");
        };
        assert_eq!(
            err,
            PrepareError::Output {
                file: USERS_JSON,
                message: "no space left on device".into()
            }
        );
        assert!(err.message(Lang::En).contains("users.json"));
    }

    #[test]
    fn nothing_is_opened_for_an_unusable_input() {
        let mut outputs = FullDisk { opened: vec![] };
        let err = prepare_into(
            b"email\na@example.com\n",
            &PrepareOptions::default(),
            &mut outputs,
        );
        assert!(matches!(err, Err(PrepareError::NotAClerkCsv { .. })));
        assert!(outputs.opened.is_empty());
    }

    #[test]
    fn streamed_and_in_memory_files_are_the_same() {
        let in_memory = prepare(EXPORT, &PrepareOptions::default()).unwrap();
        let (streamed, outputs) =
            prepare_into(EXPORT, &PrepareOptions::default(), InMemory::new(0)).unwrap();
        assert_eq!(outputs.files, in_memory.files);
        assert_eq!(streamed.counts, in_memory.counts);
        let names: Vec<_> = in_memory.files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                USERS_JSON,
                USERS_CSV,
                REJECTED_CSV,
                REPORT_JSON,
                SESSION_CLAIMS_JSON,
                MIGRATION_MD
            ]
        );
    }
}
