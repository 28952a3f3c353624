//! The command line: the same engine as the page, reading and writing files.
//!
//! Exit codes are part of the interface: 0 every row accepted, 1 some rows rejected (the files
//! are still written), 2 unusable input or arguments (nothing is written).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::database::{self, Database, DbError, Settled};
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clerk_dev2prod::core::checks::code_scan::{
    scan, skipped_dir, CodeScan, Language, SourceFile, MAX_FILE_BYTES,
};
use clerk_dev2prod::core::database::columns::{ColumnRef, Skipped};
use clerk_dev2prod::core::database::id_map::read_map;
use clerk_dev2prod::core::database::ids::db_ids_sql;
use clerk_dev2prod::core::database::ids::DB_IDS_CSV;
use clerk_dev2prod::core::database::remap::{
    self, Purpose, Reported, REMAP_SQL, REMAP_UNDO_SQL, REMAP_UNTOUCHED_CSV,
};
use clerk_dev2prod::core::escape::terminal;
use clerk_dev2prod::core::existing::ProductionUsers;
use clerk_dev2prod::core::instance::read_settings;
use clerk_dev2prod::core::keys::{check_keys, publishable_key_host, Instance, KeyFile};
use clerk_dev2prod::core::lang::{group_digits, plural, Lang};
use clerk_dev2prod::core::reconcile::{id_columns, reconcile, ReconcileInput};
use std::fs::File;
use std::io::{BufWriter, Write};

use clerk_dev2prod::core::prepare::{
    prepare_into, Outputs, PrepareError, PrepareOptions, Prepared,
};

/// Prints a line on stdout: [`println!`] for text that quotes a user's files (every line
/// here may), through [`say`].
macro_rules! say {
    ($($arg:tt)*) => { say(&format!($($arg)*)) };
}

/// [`say!`] for stderr.
macro_rules! warn {
    ($($arg:tt)*) => { warn(&format!($($arg)*)) };
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// One line on stdout, shown safely: secrets masked and control characters visible (a file
/// name, a header cell or a JSON key can hold ESC, a window title, a bare `\r`). Once the
/// reader has gone (`| head -1`, `| true`) nothing more is printed and the run goes on to
/// its exit status: a closed pipe is no error of the run's.
fn say(line: &str) {
    write_line(&mut std::io::stdout().lock(), &STDOUT_CLOSED, line);
}

fn warn(line: &str) {
    write_line(&mut std::io::stderr().lock(), &STDERR_CLOSED, line);
}

fn write_line(out: &mut impl Write, closed: &AtomicBool, line: &str) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if writeln!(out, "{}", terminal(line)).is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "clerk-dev2prod",
    version,
    about = "Move a Clerk development instance's users to production, keeping their dev ids.",
    long_about = "Move a Clerk development instance's users to production, keeping their dev ids.\n\n\
        Everything runs on this machine: no file is sent anywhere."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a Clerk user export and write the files to import it into production.
    ///
    /// Reads the Dashboard CSV (Settings → User exports; also after a spreadsheet re-save:
    /// BOM, `;` or TAB delimiters, UTF-16, Windows-1252) or a JSON export of users, finds every
    /// problem row by row, and writes into the output folder:
    ///
    ///   users.json           the accepted users, for `bun migrate -y -t clerk -f users.json`
    ///   users.csv            the same users as a clean Dashboard CSV, for Clerk's CLI and
    ///                        other importers (plus users only the migration tool refuses)
    ///   rejected.csv         the rejected rows, their original cells and what to fix
    ///   report.json          every count and every problem found
    ///   session-claims.json  the production session token customisation
    ///   MIGRATION.md         the runbook for this export
    ///
    /// Exit status: 0 every row accepted, 1 some rows rejected (files written), 2 unusable
    /// input: an export holding no users, a header naming a column twice, a refused claim
    /// name (nothing written).
    #[command(verbatim_doc_comment)]
    Prepare {
        /// The export: a .csv from the Clerk Dashboard, or a .json export of users.
        export: PathBuf,
        /// The folder to write into (created if missing; files in it are replaced).
        #[arg(long, value_name = "DIR", default_value = "clerk-migration")]
        out: PathBuf,
        /// The session token claim that carries the dev user id: letters, digits and _, at
        /// most 64 characters. Clerk's own claim names (sub, sid, iat, …), __proto__,
        /// constructor and prototype are refused.
        #[arg(long, value_name = "NAME", default_value = "userId")]
        claim_name: String,
        /// The language of the runbook, the summary and rejected.csv's problems column.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// The services' config files, checked as `check-keys` does; the runbook then lists
        /// each service's key state.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        keys: Vec<PathBuf>,
        /// The production instance's environment document (open
        /// https://<frontend API host>/v1/environment in a browser and save it): users its
        /// settings would refuse are found now.
        #[arg(long, value_name = "FILE")]
        instance_settings: Option<PathBuf>,
        /// Import the addresses the export lists as unverified instead of leaving them out.
        /// Clerk's migration tool cannot keep them unverified: with no verified address of
        /// the same kind it creates the first one verified, and it adds the others with no
        /// verified flag (Clerk's default state). Each such user gets a warning saying which.
        #[arg(long)]
        keep_unverified: bool,
        /// An export of the production instance taken just before the import (Dashboard CSV
        /// or Backend API JSON): users who already exist there (same email, phone or
        /// username, or an earlier import) are left out of users.json, and
        /// link-existing.csv, link-existing.sh and link-existing.sql link them instead.
        #[arg(long, value_name = "FILE")]
        production_users: Option<PathBuf>,
        /// With --production-users (refused without it): your PostgreSQL (also
        /// $DATABASE_URL, ignored without --production-users), read-only, to count per table
        /// what the people to link already wrote in production under their new id;
        /// link-existing.sql then moves exactly those columns.
        #[arg(long, value_name = "URL", env = "DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        /// With --production-users (refused without it): a column holding Clerk user ids, as
        /// table.column (repeat for each); without it, the columns are found in the database,
        /// or link-existing.sql counts them itself.
        #[arg(long = "db-column", value_name = "TABLE.COLUMN")]
        db_columns: Vec<String>,
        /// The services' source folders, scanned as `check-code` does; the runbook then has
        /// a table of each service's reads.
        #[arg(long, value_name = "DIR", num_args = 1..)]
        code: Vec<PathBuf>,
    },
    /// Check that every dev user arrived in production and no database row is orphaned.
    ///
    /// Matches production users to dev users by external_id (then by primary email, as weaker
    /// evidence) and writes into the output folder:
    ///
    ///   reconcile.json     every count and every finding
    ///   reconcile.md       the same, to read (English or Spanish)
    ///   retry-users.json   exactly the missing users, in the format of users.json, for
    ///                      `bun migrate -y -t clerk -f retry-users.json`
    ///
    /// Exit status: 0 every dev user arrived and no orphans, 1 findings, 2 unusable input.
    #[command(verbatim_doc_comment)]
    Reconcile {
        /// The dev export, the same file given to `prepare`.
        #[arg(long, value_name = "FILE")]
        dev: PathBuf,
        /// The production export taken after the import (Dashboard CSV, or Backend API JSON
        /// with external_id).
        #[arg(long, value_name = "FILE")]
        prod: PathBuf,
        /// The migration tool's logs (logs/migration-*.log).
        #[arg(long, value_name = "FILE", num_args = 1..)]
        logs: Vec<PathBuf>,
        /// User ids found in your database: the output of `db-ids-sql` (each id with its rows
        /// per table), or one id a line.
        #[arg(long, value_name = "FILE")]
        db_ids: Option<PathBuf>,
        /// Read the user ids from your PostgreSQL instead (also $DATABASE_URL): one read-only
        /// transaction, nothing written; db-ids.csv records what was read.
        #[arg(
            long,
            value_name = "URL",
            env = "DATABASE_URL",
            hide_env_values = true,
            conflicts_with = "db_ids"
        )]
        database_url: Option<String>,
        /// A column holding Clerk user ids, as table.column or schema.table.column (repeat
        /// for each); without it, text columns named user_id, *_user_id, owner_id, created_by
        /// or author_id whose values look like Clerk ids are found and listed.
        #[arg(long = "db-column", value_name = "TABLE.COLUMN")]
        db_columns: Vec<String>,
        /// The folder to write reconcile.json, reconcile.md and retry-users.json into.
        #[arg(long, value_name = "DIR", default_value = "clerk-reconcile")]
        out: PathBuf,
        /// The language of reconcile.md and the summary.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Rewrite dev user ids to production ids in your database, once, instead of reading the
    /// custom session claim forever.
    ///
    /// Reads id-map.csv (written by `reconcile`) and writes into the output folder:
    ///
    ///   remap.sql        one transaction: the map in a temporary table, the named tables
    ///                    locked against writers, every named column updated, each count
    ///                    checked (any difference rolls everything back), then COMMIT
    ///   remap-undo.sql   its exact reverse
    ///
    /// With --database-url it also runs that transaction and rolls it back, printing per
    /// table the rows that would change (a dry run against the real data); with --apply it
    /// commits. Rows of users not in the map are never touched, and are listed.
    ///
    /// Exit status: 0 written (and run), 1 the transaction refused (a check raised; nothing
    /// changed), 2 unusable input or database (nothing written).
    #[command(verbatim_doc_comment)]
    Remap {
        /// The id map: dev_user_id,prod_user_id (reconcile's id-map.csv).
        #[arg(long, value_name = "FILE")]
        map: PathBuf,
        /// A column holding Clerk user ids, as table.column or schema.table.column; repeat
        /// for each. Name a referenced column (users.id) and the columns pointing at it.
        /// Without it, --database-url finds the columns as reconcile does.
        #[arg(
            long = "db-column",
            value_name = "TABLE.COLUMN",
            required_unless_present = "database_url"
        )]
        db_columns: Vec<String>,
        /// Your PostgreSQL (also $DATABASE_URL): the rewrite is tried there and rolled back.
        #[arg(long, value_name = "URL", env = "DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        /// Commit the rewrite instead of rolling it back (needs --database-url).
        #[arg(long, requires = "database_url")]
        apply: bool,
        /// The folder to write remap.sql and remap-undo.sql into.
        #[arg(long, value_name = "DIR", default_value = "clerk-remap")]
        out: PathBuf,
        /// The language of the summary.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Print the SQL that lists the distinct user ids across your tables, to run yourself
    /// and save as the `--db-ids` file for `reconcile`. This tool never connects to a database.
    DbIdsSql {
        /// Your tables that hold a Clerk user id: `table` (its user_id column), `table.column`
        /// or `schema.table.column`, e.g. `notes preferences.owner_id`. At least one: no
        /// table is assumed.
        #[arg(value_name = "TABLE")]
        tables: Vec<String>,
    },
    /// Check every service's Clerk keys before the switch to production.
    ///
    /// Give one config file per service (.env, YAML, JSON, a compose file; each is named by
    /// its file name). Every Clerk key is found by its shape, whatever the variable, and
    /// checked: development keys left, publishable/secret pairs that mix instances,
    /// services pointing at different production instances, secret keys in variables that
    /// ship to browsers, malformed and legacy keys. Keys are only ever shown as their prefix
    /// and last four characters.
    ///
    /// Exit status: 0 every key live and consistent, 1 problems found, 2 a file unreadable
    /// or no Clerk key in any file (nothing was checked).
    #[command(verbatim_doc_comment)]
    CheckKeys {
        /// The services' config files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The language of the report.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Find the places in your services' code that read the production id.
    ///
    /// Give each service's source folder (the folder's name is the service). TypeScript,
    /// JavaScript, Python and Go files are read as tokens, so comments and strings are not
    /// code; node_modules, .git, build output and virtual environments are skipped. Each
    /// read of the Clerk id that gives the new production id (`auth().userId`, a token's
    /// `sub`, `claims.Subject`, …) is listed with the line to write instead, and the reads of
    /// the custom claim beside them. A scan can miss indirect reads.
    ///
    /// Exit status: 0 no read of the production id, 1 some found, 2 a folder unreadable.
    #[command(verbatim_doc_comment)]
    CheckCode {
        /// The services' source folders.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// The claim that carries the dev user id.
        #[arg(long, value_name = "NAME", default_value = "userId")]
        claim_name: String,
        /// The language of the report.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Prove a production session token carries the dev user id.
    ///
    /// Sign in to the production app as a migrated user, copy the __session cookie (or the
    /// value of `await getToken()`) and give it on standard input, never as an argument:
    ///
    ///   pbpaste | clerk-dev2prod check-token --jwks jwks.json --export users.csv
    ///
    /// The signature is verified (RS256) against the instance's public keys, saved from
    /// https://<Frontend API host>/.well-known/jwks.json; then the issuer, the expiry and
    /// the claim. Nothing is sent anywhere, and the token is shown only masked.
    ///
    /// Exit status: 0 the claim holds, 1 a check failed, 2 unusable input.
    #[command(verbatim_doc_comment)]
    CheckToken {
        /// The production instance's JWKS.
        #[arg(long, value_name = "FILE")]
        jwks: PathBuf,
        /// The dev export (or the prepared users.json): the claim must be one of its ids.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
        /// The production publishable key (pk_live_…): the issuer must be its Frontend API.
        #[arg(long, value_name = "KEY")]
        publishable_key: Option<String>,
        /// The claim that carries the dev user id.
        #[arg(long, value_name = "NAME", default_value = "userId")]
        claim_name: String,
        /// The language of the report.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::En => Lang::En,
            LangArg::Es => Lang::Es,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Es,
}

pub fn run(args: Vec<OsString>) -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches_from(std::iter::once(OsString::from("clerk-dev2prod")).chain(args))
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Prepare {
            export,
            out,
            claim_name,
            lang,
            keys,
            instance_settings,
            keep_unverified,
            production_users,
            database_url,
            db_columns,
            code,
        } => {
            let lang: Lang = lang.into();
            if production_users.is_none() {
                if let Some(flag) = database_flag_without_production(&matches) {
                    warn!(
                        "{}",
                        lang.pick(
                            format!("error: {flag} needs --production-users FILE: prepare reads the database only to count what people already in production wrote under their new id."),
                            format!("error: {flag} necesita --production-users ARCHIVO: prepare solo lee la base de datos para contar lo que las personas que ya están en producción escribieron con su id nuevo."),
                        )
                    );
                    return ExitCode::from(2);
                }
            }
            let code_scan = if code.is_empty() {
                None
            } else {
                match read_source_dirs(&code, lang) {
                    Ok(files) => Some(scan(&files, &claim_name)),
                    Err(exit) => return exit,
                }
            };
            let files = match read_key_files(&keys, lang) {
                Ok(files) => files,
                Err(code) => return code,
            };
            let instance = match instance_settings
                .as_deref()
                .map(|p| read_input(p, lang))
                .transpose()
            {
                Ok(None) => None,
                Ok(Some(bytes)) => match read_settings(&bytes) {
                    Ok(settings) => Some(settings),
                    Err(err) => {
                        warn!("error: {}", err.message(lang));
                        return ExitCode::from(2);
                    }
                },
                Err(code) => return code,
            };
            let production = match production_users
                .as_deref()
                .map(|p| read_input(p, lang))
                .transpose()
            {
                Ok(None) => None,
                Ok(Some(bytes)) => match ProductionUsers::read(&bytes) {
                    Ok(users) => Some(std::sync::Arc::new(users)),
                    Err(err) => {
                        warn!(
                            "error: {}{}",
                            lang.pick("the production export: ", "la exportación de producción: "),
                            err.message(lang)
                        );
                        return ExitCode::from(2);
                    }
                },
                Err(code) => return code,
            };
            let options = PrepareOptions {
                file_name: export
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                claim_name,
                lang,
                key_checklist: if files.is_empty() {
                    Vec::new()
                } else {
                    check_keys(&files).checklist()
                },
                instance,
                keep_unverified,
                production,
                link_columns: Vec::new(),
                code_scan,
            };
            let columns = match parse_columns(&db_columns, lang) {
                Ok(columns) => columns,
                Err(code) => return code,
            };
            run_prepare(&export, &out, options, database_url.as_deref(), columns)
        }
        Command::CheckKeys { files, lang } => run_check_keys(&files, lang.into()),
        Command::CheckCode {
            dirs,
            claim_name,
            lang,
        } => run_check_code(&dirs, &claim_name, lang.into()),
        Command::CheckToken {
            jwks,
            export,
            publishable_key,
            claim_name,
            lang,
        } => run_check_token(
            &jwks,
            export.as_deref(),
            publishable_key.as_deref(),
            &claim_name,
            lang.into(),
        ),
        Command::Reconcile {
            dev,
            prod,
            logs,
            db_ids,
            database_url,
            db_columns,
            out,
            lang,
        } => {
            let lang = lang.into();
            let columns = match parse_columns(&db_columns, lang) {
                Ok(columns) => columns,
                Err(code) => return code,
            };
            let database = DatabaseArgs {
                url: database_url.filter(|_| db_ids.is_none()),
                columns,
            };
            run_reconcile(&dev, &prod, &logs, db_ids.as_deref(), &database, &out, lang)
        }
        Command::Remap {
            map,
            db_columns,
            database_url,
            apply,
            out,
            lang,
        } => run_remap(
            &map,
            &db_columns,
            database_url.as_deref(),
            apply,
            &out,
            lang.into(),
        ),
        Command::DbIdsSql { tables } => match id_columns(&tables.join("\n")) {
            Ok(columns) if columns.is_empty() => {
                warn!("error: name the tables that hold a Clerk user id, e.g. `clerk-dev2prod db-ids-sql notes preferences.owner_id`; no table is assumed.");
                ExitCode::from(2)
            }
            Ok(columns) => {
                db_ids_sql(&columns).lines().for_each(|line| say!("{line}"));
                ExitCode::SUCCESS
            }
            Err(bad) => {
                warn!("error: {}", bad.message(Lang::En));
                ExitCode::from(2)
            }
        },
    }
}

/// The database flag `prepare` was given on its command line that needs
/// `--production-users` to mean anything. A `DATABASE_URL` in the environment is no flag:
/// many services keep one there, and without a production export it is left alone.
fn database_flag_without_production(matches: &ArgMatches) -> Option<&'static str> {
    let prepare = matches.subcommand_matches("prepare")?;
    let given = |id: &str| prepare.value_source(id) == Some(ValueSource::CommandLine);
    if given("database_url") {
        Some("--database-url")
    } else if given("db_columns") {
        Some("--db-column")
    } else {
        None
    }
}

fn run_prepare(
    export: &Path,
    out: &Path,
    mut options: PrepareOptions,
    database_url: Option<&str>,
    columns: Vec<ColumnRef>,
) -> ExitCode {
    let lang = options.lang;
    let bytes = match read_input(export, lang) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    // The database only matters for people to link; it is opened before anything is
    // written, so an unusable one leaves nothing behind.
    let mut database = None;
    match database_url.filter(|_| options.production.is_some()) {
        Some(url) => match open_database(url, columns, lang) {
            Ok((db, columns)) => {
                options.link_columns = columns;
                database = Some(db);
            }
            Err(code) => return code,
        },
        None => options.link_columns = columns,
    }
    // Files are written as the rows stream through; the folder is created only once the
    // export has proved usable.
    let prepared = match prepare_into(&bytes, &options, Folder { dir: out }) {
        Ok((prepared, _)) => prepared,
        Err(err @ PrepareError::Output { .. }) => {
            warn!(
                "{}",
                lang.pick(
                    format!(
                        "error: cannot write into {}: {}",
                        out.display(),
                        err.message(lang)
                    ),
                    format!(
                        "error: no se puede escribir en {}: {}",
                        out.display(),
                        err.message(lang)
                    ),
                )
            );
            return ExitCode::from(2);
        }
        Err(err) => {
            warn!("error: {}", err.message(lang));
            return ExitCode::from(2);
        }
    };
    print_summary(&prepared, out, lang);
    if let Some(db) = database.as_mut().filter(|_| !prepared.links.is_empty()) {
        let ids: Vec<String> = prepared.links.iter().map(|l| l.prod_id.clone()).collect();
        match db.count_rows(&options.link_columns, &ids) {
            Ok(counts) => {
                say!(
                    "{}",
                    lang.pick(
                        "Rows the people to link already wrote in production under their new id (link-existing.sql moves them to the dev id, in one transaction):",
                        "Filas que las personas por vincular ya escribieron en producción con su id nuevo (link-existing.sql las pasa al id de desarrollo, en una transacción):",
                    )
                );
                for (column, rows) in counts {
                    say!(
                        "  {column}: {} {}",
                        group_digits(lang, rows as usize),
                        lang.pick(
                            plural(rows as usize, "row", "rows"),
                            plural(rows as usize, "fila", "filas")
                        )
                    );
                }
            }
            Err(err) => {
                warn!("error: {}", err.message(lang));
                return ExitCode::from(2);
            }
        }
    }
    if prepared.counts.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The database to read, when one was given.
struct DatabaseArgs {
    url: Option<String>,
    columns: Vec<ColumnRef>,
}

/// Connects and says how: the address masked, and what the link's security checked. Any
/// failure is one line and exit status 2.
fn connect_database(url: &str, lang: Lang) -> Result<Database, ExitCode> {
    let db = database::connect(url).map_err(|err| {
        warn!("error: {}", err.message(lang));
        ExitCode::from(2)
    })?;
    say!(
        "{}",
        lang.pick(
            format!("Connected to {} {}.", db.shown, db.security.describe(lang)),
            format!("Conectado a {} {}.", db.shown, db.security.describe(lang)),
        )
    );
    Ok(db)
}

/// Lists what discovery chose and passed over; discovery that found nothing is exit 2.
fn say_settled(shown: &str, settled: &Settled, lang: Lang) -> Result<(), ExitCode> {
    let Settled::Discovered(found) = settled else {
        return Ok(());
    };
    say!(
        "{}",
        lang.pick(
            format!("Columns found in {shown} (text columns named like a user id whose values look like Clerk ids):"),
            format!("Columnas encontradas en {shown} (columnas de texto con nombre de id de usuario cuyos valores parecen ids de Clerk):"),
        )
    );
    for column in &found.chosen {
        say!("  {column}");
    }
    for (column, why) in &found.skipped {
        let why = match why {
            Skipped::Empty => lang.pick("empty", "vacía"),
            Skipped::NotClerkIds => lang.pick(
                "its values are not Clerk ids",
                "sus valores no son ids de Clerk",
            ),
        };
        say!("  {} {column} ({why})", lang.pick("skipped", "descartada"));
    }
    if found.chosen.is_empty() {
        warn!(
            "{}",
            lang.pick(
                format!("error: no column in {shown} looks like it holds Clerk user ids: name them with --db-column table.column."),
                format!("error: ninguna columna de {shown} parece tener ids de usuario de Clerk: indícalas con --db-column tabla.columna."),
            )
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// Connects and settles the columns: the named ones checked to exist, or discovery's, listed
/// with the candidates it passed over. Any failure is one line and exit status 2.
fn open_database(
    url: &str,
    columns: Vec<ColumnRef>,
    lang: Lang,
) -> Result<(Database, Vec<ColumnRef>), ExitCode> {
    let fail = |err: DbError| {
        warn!("error: {}", err.message(lang));
        ExitCode::from(2)
    };
    let mut db = connect_database(url, lang)?;
    let settled = if columns.is_empty() {
        Settled::Discovered(db.discover().map_err(fail)?)
    } else {
        db.check_columns(&columns).map_err(fail)?;
        Settled::Named(columns)
    };
    say_settled(&db.shown, &settled, lang)?;
    let columns = settled.columns().to_vec();
    Ok((db, columns))
}

fn run_reconcile(
    dev: &Path,
    prod: &Path,
    logs: &[PathBuf],
    db_ids: Option<&Path>,
    database: &DatabaseArgs,
    out: &Path,
    lang: Lang,
) -> ExitCode {
    let read = |path: &Path| read_input(path, lang);
    let (dev, prod) = match (read(dev), read(prod)) {
        (Ok(dev), Ok(prod)) => (dev, prod),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let logs: Vec<Vec<u8>> = match logs.iter().map(|p| read(p)).collect() {
        Ok(logs) => logs,
        Err(code) => return code,
    };
    let mut db_ids = match db_ids.map(read).transpose() {
        Ok(ids) => ids,
        Err(code) => return code,
    };
    // Read from the database: the same db-ids.csv the page takes, recorded in the output.
    if let Some(url) = &database.url {
        let mut db = match connect_database(url, lang) {
            Ok(db) => db,
            Err(code) => return code,
        };
        // Choosing the columns and reading them share one read-only snapshot.
        let (settled, read) = match db.settle_and_read(&database.columns) {
            Ok(done) => done,
            Err(err) => {
                warn!("error: {}", err.message(lang));
                return ExitCode::from(2);
            }
        };
        if let Err(code) = say_settled(&db.shown, &settled, lang) {
            return code;
        }
        db_ids = Some(read.to_csv());
    }
    let input = ReconcileInput {
        dev: &dev,
        prod: &prod,
        logs: logs.iter().map(Vec::as_slice).collect(),
        db_ids: db_ids.as_deref(),
    };
    let reconciled = match reconcile(&input, lang) {
        Ok(reconciled) => reconciled,
        Err(err) => {
            warn!("error: {}", err.message(lang));
            return ExitCode::from(2);
        }
    };
    let written = std::fs::create_dir_all(out).and_then(|()| {
        reconciled
            .files
            .iter()
            .try_for_each(|f| std::fs::write(out.join(f.name), &f.bytes))?;
        match (&database.url, &db_ids) {
            (Some(_), Some(read)) => std::fs::write(out.join(DB_IDS_CSV), read),
            _ => Ok(()),
        }
    });
    if let Err(err) = written {
        warn!(
            "{}",
            lang.pick(
                format!("error: cannot write into {}: {err}", out.display()),
                format!("error: no se puede escribir en {}: {err}", out.display()),
            )
        );
        return ExitCode::from(2);
    }
    let c = &reconciled.counts;
    let n = |x: usize| group_digits(lang, x);
    say!(
        "{}",
        lang.pick(
            format!("{} dev users, {} production users: {} matched, {} already in production but not linked, {} missing, {} never imported.", n(c.dev_users), n(c.prod_users), n(c.matched), n(c.exists_not_linked), n(c.missing), n(c.not_imported)),
            format!("{} usuarios de desarrollo, {} de producción: {} emparejados, {} ya en producción sin vincular, {} faltan, {} nunca importados.", n(c.dev_users), n(c.prod_users), n(c.matched), n(c.exists_not_linked), n(c.missing), n(c.not_imported)),
        )
    );
    for column in &reconciled.database_columns {
        say!(
            "  {}: {} {}, {} {}",
            column.column,
            n(column.ids),
            lang.pick(
                plural(column.ids, "user id", "user ids"),
                plural(column.ids, "id de usuario", "ids de usuario")
            ),
            n(column.rows as usize),
            lang.pick(
                plural(column.rows as usize, "row", "rows"),
                plural(column.rows as usize, "fila", "filas")
            ),
        );
    }
    if let Some(orphaned) = c.orphaned_db_ids {
        match c.orphaned_rows {
            Some(rows) => say!(
                "{}",
                lang.pick(
                    format!(
                        "Orphaned database ids: {}, owning {} {} that lose their owner.",
                        n(orphaned),
                        n(rows as usize),
                        plural(rows as usize, "row", "rows")
                    ),
                    format!(
                        "Ids huérfanos en la base de datos: {}, con {} {} que pierden a su dueño.",
                        n(orphaned),
                        n(rows as usize),
                        plural(rows as usize, "fila", "filas")
                    ),
                )
            ),
            None => say!(
                "{}",
                lang.pick(
                    format!("Orphaned database ids: {}.", n(orphaned)),
                    format!("Ids huérfanos en la base de datos: {}.", n(orphaned)),
                )
            ),
        }
    }
    say!(
        "{}",
        lang.pick(
            format!("Id map: {} {} in id-map.csv, {} matched only by an email, phone or username; {} {}.", n(c.id_map), plural(c.id_map, "user", "users"), n(reconciled.id_map.identifier_only()), n(c.id_map_conflicts), plural(c.id_map_conflicts, "conflict", "conflicts")),
            format!("Mapa de ids: {} {} en id-map.csv, {} solo por correo, teléfono o nombre de usuario; {} {}.", n(c.id_map), plural(c.id_map, "usuario", "usuarios"), n(reconciled.id_map.identifier_only()), n(c.id_map_conflicts), plural(c.id_map_conflicts, "conflicto", "conflictos")),
        )
    );
    print_written(out, "reconcile.md", lang);
    if reconciled.all_arrived() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The columns given with --db-column, or why one cannot be read (exit status 2).
fn parse_columns(specs: &[String], lang: Lang) -> Result<Vec<ColumnRef>, ExitCode> {
    let mut columns: Vec<ColumnRef> = Vec::new();
    for spec in specs {
        match ColumnRef::parse(spec) {
            Ok(column) if !columns.contains(&column) => columns.push(column),
            Ok(_) => {}
            Err(bad) => {
                warn!("error: --db-column {}", bad.message(lang));
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok(columns)
}

fn run_remap(
    map: &Path,
    db_columns: &[String],
    database_url: Option<&str>,
    apply: bool,
    out: &Path,
    lang: Lang,
) -> ExitCode {
    let columns = match parse_columns(db_columns, lang) {
        Ok(columns) => columns,
        Err(code) => return code,
    };
    let bytes = match read_input(map, lang) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let pairs = match read_map(&String::from_utf8_lossy(&bytes)) {
        Ok(pairs) => pairs,
        Err(err) => {
            warn!("error: {}: {}", map.display(), err.message(lang));
            return ExitCode::from(2);
        }
    };
    // The database first: an unusable one leaves nothing written.
    let (mut database, columns) = match database_url {
        Some(url) => {
            let opened = open_database(url, columns, lang).and_then(|(mut db, columns)| {
                db.order_by_foreign_keys(columns)
                    .map(|columns| (db, columns))
                    .map_err(|err| {
                        warn!("error: {}", err.message(lang));
                        ExitCode::from(2)
                    })
            });
            match opened {
                Ok((db, columns)) => (Some(db), columns),
                Err(code) => return code,
            }
        }
        None => (None, columns),
    };
    let forward: Vec<(String, String)> = pairs
        .iter()
        .map(|p| (p.dev_id.clone(), p.prod_id.clone()))
        .collect();
    let back: Vec<(String, String)> = pairs
        .iter()
        .map(|p| (p.prod_id.clone(), p.dev_id.clone()))
        .collect();
    let mut files = vec![
        (
            REMAP_SQL,
            remap::script(&forward, &columns, Purpose::Remap).into_bytes(),
        ),
        (
            REMAP_UNDO_SQL,
            remap::script(&back, &columns, Purpose::Undo).into_bytes(),
        ),
    ];
    // The rows nobody in the map owns: never touched, and listed.
    let mut untouched = None;
    if let Some(db) = database.as_mut() {
        let mapped: std::collections::HashSet<&str> = pairs
            .iter()
            .flat_map(|p| [p.dev_id.as_str(), p.prod_id.as_str()])
            .collect();
        match db.read_ids(&columns) {
            Ok(mut read) => {
                for column in &mut read.columns {
                    column.ids.retain(|id, _| !mapped.contains(id.as_str()));
                }
                files.push((REMAP_UNTOUCHED_CSV, read.to_csv()));
                untouched = Some(read);
            }
            Err(err) => {
                warn!("error: {}", err.message(lang));
                return ExitCode::from(2);
            }
        }
    }
    let written = std::fs::create_dir_all(out).and_then(|()| {
        files
            .iter()
            .try_for_each(|(name, bytes)| std::fs::write(out.join(name), bytes))
    });
    if let Err(err) = written {
        warn!(
            "{}",
            lang.pick(
                format!("error: cannot write into {}: {err}", out.display()),
                format!("error: no se puede escribir en {}: {err}", out.display()),
            )
        );
        return ExitCode::from(2);
    }
    let n = |x: usize| group_digits(lang, x);
    let names: Vec<String> = columns.iter().map(ColumnRef::name).collect();
    say!(
        "{}",
        lang.pick(
            format!(
                "{} {} to rewrite in {} {}: {}.",
                n(pairs.len()),
                plural(pairs.len(), "user", "users"),
                n(columns.len()),
                plural(columns.len(), "column", "columns"),
                names.join(", ")
            ),
            format!(
                "{} {} que reescribir en {} {}: {}.",
                n(pairs.len()),
                plural(pairs.len(), "usuario", "usuarios"),
                n(columns.len()),
                plural(columns.len(), "columna", "columnas"),
                names.join(", ")
            ),
        )
    );
    say!(
        "{}",
        lang.pick(
            format!(
                "Wrote {} and {}: remap.sql commits everything or nothing (psql -v ON_ERROR_STOP=1 -f remap.sql, in a maintenance window).",
                out.join(REMAP_SQL).display(),
                out.join(REMAP_UNDO_SQL).display()
            ),
            format!(
                "Escritos {} y {}: remap.sql confirma todo o nada (psql -v ON_ERROR_STOP=1 -f remap.sql, en una ventana de mantenimiento).",
                out.join(REMAP_SQL).display(),
                out.join(REMAP_UNDO_SQL).display()
            ),
        )
    );
    let (Some(db), Some(untouched)) = (database.as_mut(), untouched) else {
        return ExitCode::SUCCESS;
    };
    for column in untouched.columns.iter().filter(|c| !c.ids.is_empty()) {
        let (users, rows) = (column.ids.len(), column.rows() as usize);
        let shown: Vec<&str> = column.ids.keys().take(10).map(String::as_str).collect();
        say!(
            "{}",
            lang.pick(
                format!(
                    "  {}: {} {} of {} {} not in the map, left as they are: {}{}",
                    column.source,
                    n(rows),
                    plural(rows, "row", "rows"),
                    n(users),
                    plural(users, "user", "users"),
                    shown.join(", "),
                    if users > shown.len() {
                        " … (all in remap-untouched.csv)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "  {}: {} {} de {} {} fuera del mapa, sin tocar: {}{}",
                    column.source,
                    n(rows),
                    plural(rows, "fila", "filas"),
                    n(users),
                    plural(users, "usuario", "usuarios"),
                    shown.join(", "),
                    if users > shown.len() {
                        " … (todos en remap-untouched.csv)"
                    } else {
                        ""
                    }
                ),
            )
        );
    }
    let body = remap::transaction_body(&forward, &columns, Purpose::Remap);
    match db.rewrite(&body, apply) {
        Ok(reported) => {
            say!(
                "{}",
                if apply {
                    lang.pick(
                        format!("Applied in {} and committed:", db.shown),
                        format!("Aplicado en {} y confirmado:", db.shown),
                    )
                } else {
                    lang.pick(
                        format!(
                            "Dry run in {} (rolled back, nothing changed; --apply commits):",
                            db.shown
                        ),
                        format!(
                            "Prueba en {} (deshecha, nada cambió; --apply lo confirma):",
                            db.shown
                        ),
                    )
                }
            );
            for report in reported {
                if let Reported::Changed { column, rows } = report {
                    let rows = rows as usize;
                    say!(
                        "  {column}: {} {} {}",
                        n(rows),
                        lang.pick(plural(rows, "row", "rows"), plural(rows, "fila", "filas")),
                        match (apply, lang) {
                            (true, Lang::En) => "changed",
                            (false, Lang::En) => "would change",
                            (true, Lang::Es) => plural(rows, "cambiada", "cambiadas"),
                            (false, Lang::Es) => plural(rows, "cambiaría", "cambiarían"),
                        }
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(DbError::Failed { reason }) => {
            warn!(
                "{}",
                lang.pick(
                    format!("error: the rewrite was refused, nothing changed: {reason}"),
                    format!("error: la reescritura se rechazó, nada cambió: {reason}"),
                )
            );
            ExitCode::from(1)
        }
        Err(err) => {
            warn!("error: {}", err.message(lang));
            ExitCode::from(2)
        }
    }
}

/// Where the files went, and which one to read next.
fn print_written(out: &Path, read_next: &str, lang: Lang) {
    let next = out.join(read_next);
    say!(
        "{}",
        lang.pick(
            format!(
                "Files written to {}; next, read {}.",
                out.display(),
                next.display()
            ),
            format!(
                "Archivos escritos en {}; ahora lee {}.",
                out.display(),
                next.display()
            ),
        )
    );
}

/// Reads a file, or says why not (exit status 2: nothing usable was given).
fn read_input(path: &Path, lang: Lang) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(path).map_err(|err| {
        warn!(
            "{}",
            lang.pick(
                format!("error: cannot read {}: {err}", path.display()),
                format!("error: no se puede leer {}: {err}", path.display()),
            )
        );
        ExitCode::from(2)
    })
}

/// Reads the services' config files, each named by its file name.
fn read_key_files(paths: &[PathBuf], lang: Lang) -> Result<Vec<KeyFile>, ExitCode> {
    paths
        .iter()
        .map(|path| {
            Ok(KeyFile {
                service: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string()),
                bytes: read_input(path, lang)?,
            })
        })
        .collect()
}

fn run_check_keys(paths: &[PathBuf], lang: Lang) -> ExitCode {
    let files = match read_key_files(paths, lang) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let report = check_keys(&files);
    // Grouped once: a file can hold hundreds of thousands of keys.
    let mut by_service: std::collections::HashMap<&str, Vec<_>> = Default::default();
    for key in &report.keys {
        by_service
            .entry(key.service.as_str())
            .or_default()
            .push(key);
    }
    for service in &report.services {
        say!("{service}");
        for key in by_service.get(service.as_str()).into_iter().flatten() {
            let instance = match key.instance {
                Instance::Development => lang.pick("development", "desarrollo"),
                Instance::Production => lang.pick("production", "producción"),
            };
            say!(
                "  {:<36} {:<18} {:<12} {}{}",
                key.variable,
                key.kind.label(lang),
                instance,
                key.masked,
                key.host
                    .as_deref()
                    .map(|h| format!("  {h}"))
                    .unwrap_or_default()
            );
        }
    }
    if !report.findings.is_empty() {
        say!("");
    }
    for finding in &report.findings {
        let level = if finding.code.is_error() {
            "error"
        } else {
            "warning"
        };
        say!(
            "[{level}] {}: {}",
            finding.code.as_str(),
            finding.message(lang)
        );
        say!("    {}", finding.fix(lang));
    }
    say!("");
    if report.has_unreadable() {
        say!(
            "{}",
            lang.pick(
                "Some files could not be read.",
                "Algunos archivos no se pudieron leer."
            )
        );
        ExitCode::from(2)
    } else if report.all_live() {
        let verdict = clerk_dev2prod::core::verdict::KeysVerdict::of(&report);
        say!("{}", verdict.message(lang));
        if verdict.tone() == clerk_dev2prod::core::verdict::Tone::Pass {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        }
    } else {
        say!(
            "{}",
            lang.pick(
                "Fix the problems above before switching to production.",
                "Corrige los problemas de arriba antes de pasar a producción.",
            )
        );
        ExitCode::from(1)
    }
}

/// Every source file under each folder, named for its service (the folder's name). Skipped
/// folders are never entered and links never followed, so a link loop cannot trap the walk.
fn read_source_dirs(dirs: &[PathBuf], lang: Lang) -> Result<Vec<SourceFile>, ExitCode> {
    let mut files = Vec::new();
    for dir in dirs {
        let service = std::fs::canonicalize(dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| dir.display().to_string());
        let mut pending = vec![dir.clone()];
        let mut first = true;
        while let Some(folder) = pending.pop() {
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(err) if first => {
                    warn!(
                        "{}",
                        lang.pick(
                            format!("error: cannot read the folder {}: {err}", dir.display()),
                            format!(
                                "error: no se puede leer la carpeta {}: {err}",
                                dir.display()
                            ),
                        )
                    );
                    return Err(ExitCode::from(2));
                }
                Err(_) => continue,
            };
            first = false;
            let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries.into_iter().rev() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let name = entry.file_name().to_string_lossy().into_owned();
                if kind.is_dir() {
                    if !skipped_dir(&name) {
                        pending.push(entry.path());
                    }
                } else if kind.is_file() && Language::of(&name).is_some() {
                    let path = entry.path();
                    let too_big = entry
                        .metadata()
                        .is_ok_and(|m| m.len() > MAX_FILE_BYTES as u64);
                    if too_big {
                        continue;
                    }
                    let Ok(bytes) = std::fs::read(&path) else {
                        continue;
                    };
                    let relative = path.strip_prefix(dir).unwrap_or(&path);
                    files.push(SourceFile {
                        service: service.clone(),
                        path: relative.to_string_lossy().replace('\\', "/"),
                        text: String::from_utf8_lossy(&bytes).into_owned(),
                    });
                }
            }
        }
    }
    Ok(files)
}

fn run_check_code(dirs: &[PathBuf], claim_name: &str, lang: Lang) -> ExitCode {
    if let Err(bad) = clerk_dev2prod::core::claims::check_claim_name(claim_name) {
        warn!("error: {}", bad.message(lang));
        return ExitCode::from(2);
    }
    let files = match read_source_dirs(dirs, lang) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let report = scan(&files, claim_name);
    say!("{} {}", lang.pick("Read:", "Leídos:"), report.counts(lang));
    for service in &report.services {
        say!("");
        say!(
            "{}: {} {}, {} {}",
            service.service,
            service.reads.len(),
            plural(
                service.reads.len(),
                lang.pick("read of the production id", "lectura del id de producción"),
                lang.pick(
                    "reads of the production id",
                    "lecturas del id de producción"
                ),
            ),
            service.claim_reads.len(),
            plural(
                service.claim_reads.len(),
                lang.pick(
                    format!("read of {claim_name}"),
                    format!("lectura de {claim_name}")
                ),
                lang.pick(
                    format!("reads of {claim_name}"),
                    format!("lecturas de {claim_name}")
                ),
            ),
        );
        for read in &service.reads {
            say!("  [fix] {}:{}  {}", read.path, read.line, read.expression);
            say!("        {}", read.why(lang, claim_name));
            say!(
                "        {} {}",
                lang.pick("use:", "usa:"),
                read.replacement(claim_name)
            );
        }
        for read in &service.claim_reads {
            say!("  [ok]  {}:{}  {}", read.path, read.line, read.expression);
        }
    }
    say!("");
    say!("{}", CodeScan::limits(lang));
    if report.files_read() == 0 {
        say!(
            "{}",
            lang.pick(
                "No TypeScript, JavaScript, Python or Go file was found in these folders: give each service's source folder.",
                "No se encontró ningún archivo TypeScript, JavaScript, Python ni Go en estas carpetas: indica la carpeta de código de cada servicio.",
            )
        );
        ExitCode::from(2)
    } else if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_check_token(
    jwks: &Path,
    export: Option<&Path>,
    publishable_key: Option<&str>,
    claim_name: &str,
    lang: Lang,
) -> ExitCode {
    use clerk_dev2prod::core::checks::token::{check_token, dev_ids, jwks_url, TokenInput};
    use std::io::Read as _;

    let frontend_api = match publishable_key.map(publishable_key_host) {
        None => None,
        Some(Some((host, Instance::Production))) => Some(host),
        Some(_) => {
            warn!(
                "{}",
                lang.pick(
                    "error: --publishable-key must be the production instance's pk_live_ key (pk_live_ then base64 of its Frontend API host and $).",
                    "error: --publishable-key debe ser la clave pk_live_ de la instancia de producción (pk_live_ y el base64 del host de su Frontend API y $).",
                )
            );
            return ExitCode::from(2);
        }
    };
    let jwks_bytes = match read_input(jwks, lang) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let ids = match export {
        None => None,
        Some(path) => match read_input(path, lang).map(|b| dev_ids(&b)) {
            Ok(Some(ids)) => Some(ids),
            Ok(None) => {
                warn!(
                    "{}",
                    lang.pick(
                        format!("error: {} holds no user ids: give the dev export (Dashboard CSV or JSON) or the prepared users.json.", path.display()),
                        format!("error: {} no tiene ids de usuario: indica la exportación de desarrollo (CSV del Dashboard o JSON) o el users.json preparado.", path.display()),
                    )
                );
                return ExitCode::from(2);
            }
            Err(code) => return code,
        },
    };
    // The token only ever lives in this buffer: never printed, never written.
    let mut token = String::new();
    if std::io::stdin().read_to_string(&mut token).is_err() {
        warn!(
            "{}",
            lang.pick(
                "error: standard input is not text: paste the session token there.",
                "error: la entrada estándar no es texto: pega ahí el token de sesión.",
            )
        );
        return ExitCode::from(2);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs());
    let result = check_token(&TokenInput {
        token: &token,
        jwks: &jwks_bytes,
        claim_name,
        frontend_api: frontend_api.as_deref(),
        dev_ids: ids.as_ref(),
        now,
    });
    token.clear();
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            warn!("error: {}", err.message(lang));
            return ExitCode::from(2);
        }
    };
    say!("{} {}", lang.pick("token", "token"), report.masked);
    if let Some(host) = &frontend_api {
        say!(
            "{} {}",
            lang.pick("public keys from", "claves públicas de"),
            jwks_url(host)
        );
    }
    for finding in &report.findings {
        let level = if finding.code.is_failure() {
            "fail"
        } else {
            "ok"
        };
        say!(
            "[{level}] {}: {}",
            finding.code.as_str(),
            finding.message(lang)
        );
        if let Some(fix) = finding.fix(lang) {
            say!("    {fix}");
        }
    }
    say!("");
    if report.proven() {
        say!(
            "{}",
            lang.pick(
                format!("The token proves it: services reading sessionClaims.{claim_name} receive the id your database knows."),
                format!("El token lo prueba: los servicios que leen sessionClaims.{claim_name} reciben el id que conoce tu base de datos."),
            )
        );
        ExitCode::SUCCESS
    } else {
        say!(
            "{}",
            lang.pick(
                "Fix the failure above, then check a new token.",
                "Corrige el fallo de arriba y comprueba un token nuevo.",
            )
        );
        ExitCode::from(1)
    }
}

/// The output folder: each file buffered, flushed when complete.
struct Folder<'p> {
    dir: &'p Path,
}

impl Outputs for Folder<'_> {
    type Writer = BufWriter<File>;

    fn open(&mut self, name: &'static str) -> std::io::Result<BufWriter<File>> {
        std::fs::create_dir_all(self.dir)?;
        Ok(BufWriter::with_capacity(
            1 << 16,
            File::create(self.dir.join(name))?,
        ))
    }

    fn close(&mut self, _name: &'static str, mut writer: BufWriter<File>) -> std::io::Result<()> {
        writer.flush()?;
        writer.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

fn print_summary(prepared: &Prepared, out: &Path, lang: Lang) {
    let c = &prepared.counts;
    let n = |x: usize| group_digits(lang, x);
    let input = &prepared.input;
    say!(
        "{}",
        lang.pick(
            format!(
                "{}: {}, {}; {} {}.",
                input.file_name,
                input.format.label(),
                input.encoding.label(),
                n(c.rows),
                plural(c.rows, "row", "rows")
            ),
            format!(
                "{}: {}, {}; {} {}.",
                input.file_name,
                input.format.label(),
                input.encoding.label(),
                n(c.rows),
                plural(c.rows, "fila", "filas")
            ),
        )
    );
    let rows = [
        (
            lang.pick(
                "accepted (users.json)",
                plural(
                    c.accepted,
                    "aceptada (users.json)",
                    "aceptadas (users.json)",
                ),
            ),
            c.accepted,
        ),
        (
            lang.pick("rejected", plural(c.rejected, "rechazada", "rechazadas")),
            c.rejected,
        ),
        (
            lang.pick(
                plural(c.warnings, "warning", "warnings"),
                plural(c.warnings, "aviso", "avisos"),
            ),
            c.warnings,
        ),
        (
            lang.pick(
                plural(
                    c.users_without_password,
                    "user without a password",
                    "users without a password",
                ),
                plural(
                    c.users_without_password,
                    "usuario sin contraseña",
                    "usuarios sin contraseña",
                ),
            ),
            c.users_without_password,
        ),
    ];
    for (label, count) in rows {
        say!("  {:>9}  {label}", n(count));
    }
    if c.already_in_production > 0 {
        let count = c.already_in_production;
        say!(
            "  {:>9}  {}",
            n(count),
            lang.pick(
                "already in production (not in users.json; see link-existing.csv)",
                "ya en producción (no en users.json; mira link-existing.csv)",
            )
        );
    }
    if c.users_csv_only > 0 {
        let count = c.users_csv_only;
        say!(
            "  {:>9}  {}",
            n(count),
            lang.pick(
                plural(
                    count,
                    "only in users.csv (a hasher the migration tool does not know)",
                    "only in users.csv (hashers the migration tool does not know)"
                ),
                plural(
                    count,
                    "solo en users.csv (un algoritmo que la herramienta no conoce)",
                    "solo en users.csv (algoritmos que la herramienta no conoce)"
                ),
            )
        );
    }
    for notice in &prepared.notices {
        say!("  {}: {}", notice.code.as_str(), notice.message(lang));
    }
    say!(
        "{}",
        clerk_dev2prod::core::verdict::ExportVerdict::of(prepared).message(lang)
    );
    print_written(out, "MIGRATION.md", lang);
}
