//! The command line's connection to the team's PostgreSQL (native only: the page cannot
//! connect to anything). It runs the SQL the core writes and nothing else: reads in one
//! `BEGIN READ ONLY` transaction with a statement timeout, and the rewrite in one
//! transaction that is rolled back (the dry run) or committed (`--apply`).
//!
//! The address's password is never shown: every message goes through [`mask_url`] and has
//! the password itself masked wherever the server or the driver may have repeated it.

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_dev2prod::core::database::columns::{
    self, is_id_column_name, looks_like_id_column, ColumnRef, Skipped,
};
use clerk_dev2prod::core::database::ids::{ColumnIds, DbIds};
use clerk_dev2prod::core::database::remap::{read_notice, Reported};
use clerk_dev2prod::core::database::url::{mask_url, MASK};
use clerk_dev2prod::core::lang::Lang;
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

/// How long one statement of a read may run before the database stops it.
pub const STATEMENT_TIMEOUT: &str = "300s";

/// Why the database could not be used. Each says what happened in one line, with the
/// address masked.
#[derive(Debug)]
pub enum DbError {
    /// The address cannot be read as a PostgreSQL address.
    BadUrl(String),
    Unreachable {
        url: String,
        reason: String,
    },
    Login {
        url: String,
        reason: String,
    },
    MissingTable {
        url: String,
        table: String,
    },
    MissingColumn {
        url: String,
        column: String,
    },
    /// A statement failed (for the rewrite: a check raised, and nothing was committed).
    Failed {
        reason: String,
    },
}

impl DbError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DbError::BadUrl(url) => lang.pick(
                format!("{url} is not a PostgreSQL address: give postgres://user:password@host:5432/database."),
                format!("{url} no es una dirección de PostgreSQL: indica postgres://usuario:contraseña@host:5432/base."),
            ),
            DbError::Unreachable { url, reason } => lang.pick(
                format!("cannot reach the database at {url}: {reason}. Check the host and port, and that it accepts connections from here."),
                format!("no se puede llegar a la base de datos en {url}: {reason}. Comprueba el host y el puerto, y que acepte conexiones desde aquí."),
            ),
            DbError::Login { url, reason } => lang.pick(
                format!("the database at {url} refused the login: {reason}. Check the user and password."),
                format!("la base de datos en {url} rechazó el acceso: {reason}. Comprueba el usuario y la contraseña."),
            ),
            DbError::MissingTable { url, table } => lang.pick(
                format!("the database at {url} has no table {table}: check --db-column (schema.table.column names another schema)."),
                format!("la base de datos en {url} no tiene la tabla {table}: revisa --db-column (esquema.tabla.columna indica otro esquema)."),
            ),
            DbError::MissingColumn { url, column } => lang.pick(
                format!("the database at {url} has no column {column}: check --db-column."),
                format!("la base de datos en {url} no tiene la columna {column}: revisa --db-column."),
            ),
            DbError::Failed { reason } => reason.clone(),
        }
    }
}

/// An open connection, with what it needs to describe itself safely.
pub struct Database {
    client: Client,
    /// The address with its password masked, as every message shows it.
    pub shown: String,
    password: Option<String>,
    notices: Arc<Mutex<Vec<String>>>,
}

/// The columns discovery chose, and the candidates it passed over.
pub struct Discovery {
    pub chosen: Vec<ColumnRef>,
    pub skipped: Vec<(ColumnRef, Skipped)>,
}

/// Connects, or says why not.
pub fn connect(url: &str) -> Result<Database, DbError> {
    let shown = mask_url(url);
    let mut config = Config::from_str(url).map_err(|_| DbError::BadUrl(shown.clone()))?;
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.application_name("clerk-dev2prod");
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&notices);
    config.notice_callback(move |notice| {
        if let Ok(mut all) = sink.lock() {
            all.push(notice.message().to_string());
        }
    });
    let masker = Masker {
        password: password.clone(),
    };
    let client = config.connect(NoTls).map_err(|e| {
        let reason = masker.reason(&e);
        match e.code() {
            Some(code)
                if *code == SqlState::INVALID_PASSWORD
                    || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
            {
                DbError::Login {
                    url: shown.clone(),
                    reason,
                }
            }
            _ => DbError::Unreachable {
                url: shown.clone(),
                reason,
            },
        }
    })?;
    Ok(Database {
        client,
        shown,
        password,
        notices,
    })
}

/// Masks the password wherever a message may repeat it.
struct Masker {
    password: Option<String>,
}

impl Masker {
    /// One line: the server's message (or the driver's), the password masked.
    fn reason(&self, error: &postgres::Error) -> String {
        let text = match error.as_db_error() {
            Some(db) => db.message().to_string(),
            None => {
                let mut text = error.to_string();
                let mut source = std::error::Error::source(error);
                while let Some(inner) = source {
                    text = inner.to_string();
                    source = inner.source();
                }
                text
            }
        };
        let text = match self.password.as_deref().filter(|p| !p.is_empty()) {
            Some(password) => text.replace(password, MASK),
            None => text,
        };
        text.lines().next().unwrap_or("").trim().to_string()
    }
}

impl Database {
    fn masker(&self) -> Masker {
        Masker {
            password: self.password.clone(),
        }
    }

    /// Runs `read` inside one read-only transaction with a statement timeout; nothing it
    /// does can write.
    fn read_only<T>(
        &mut self,
        read: impl FnOnce(&mut postgres::Transaction<'_>, &Masker) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let masker = self.masker();
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .start()
            .map_err(|e| DbError::Failed {
                reason: masker.reason(&e),
            })?;
        tx.batch_execute(&format!(
            "SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'"
        ))
        .map_err(|e| DbError::Failed {
            reason: masker.reason(&e),
        })?;
        let value = read(&mut tx, &masker)?;
        // A read-only transaction has nothing to commit; ending it either way is the same.
        tx.rollback().map_err(|e| DbError::Failed {
            reason: masker.reason(&e),
        })?;
        Ok(value)
    }

    /// Every text or varchar column named like a user id whose sampled values look like
    /// Clerk ids.
    pub fn discover(&mut self) -> Result<Discovery, DbError> {
        self.read_only(|tx, masker| {
            let fail = |e: postgres::Error| DbError::Failed {
                reason: masker.reason(&e),
            };
            let candidates: Vec<ColumnRef> = tx
                .query(columns::CANDIDATES_SQL, &[])
                .map_err(fail)?
                .iter()
                .map(|row| {
                    let (schema, table, column): (String, String, String) =
                        (row.get(0), row.get(1), row.get(2));
                    ColumnRef::new(Some(&schema), &table, &column)
                })
                .filter(|c| is_id_column_name(&c.column))
                .collect();
            let mut chosen = Vec::new();
            let mut skipped = Vec::new();
            for column in candidates {
                let samples: Vec<String> = tx
                    .query(&columns::sample_sql(&column), &[])
                    .map_err(fail)?
                    .iter()
                    .map(|row| row.get(0))
                    .collect();
                if samples.is_empty() {
                    skipped.push((column, Skipped::Empty));
                } else if looks_like_id_column(&samples) {
                    chosen.push(column);
                } else {
                    skipped.push((column, Skipped::NotClerkIds));
                }
            }
            Ok(Discovery { chosen, skipped })
        })
    }

    /// Fails with the first named table or column the database lacks.
    pub fn check_columns(&mut self, columns: &[ColumnRef]) -> Result<(), DbError> {
        let shown = self.shown.clone();
        self.read_only(|tx, masker| {
            for column in columns {
                let fail = |e: postgres::Error| DbError::Failed {
                    reason: masker.reason(&e),
                };
                let table: bool = tx
                    .query_one(&columns::table_exists_sql(column), &[])
                    .map_err(fail)?
                    .get(0);
                if !table {
                    return Err(DbError::MissingTable {
                        url: shown.clone(),
                        table: column.table_name(),
                    });
                }
                let present: bool = tx
                    .query_one(&columns::column_exists_sql(column), &[])
                    .map_err(fail)?
                    .get(0);
                if !present {
                    return Err(DbError::MissingColumn {
                        url: shown.clone(),
                        column: column.name(),
                    });
                }
            }
            Ok(())
        })
    }

    /// Every id each column holds, with its rows, in one read-only transaction.
    pub fn read_ids(&mut self, columns: &[ColumnRef]) -> Result<DbIds, DbError> {
        self.read_only(|tx, masker| {
            let mut read = Vec::new();
            for column in columns {
                let rows =
                    tx.query(&columns::ids_sql(column), &[])
                        .map_err(|e| DbError::Failed {
                            reason: masker.reason(&e),
                        })?;
                read.push(ColumnIds {
                    source: column.name(),
                    ids: rows
                        .iter()
                        .map(|row| {
                            let (id, n): (String, i64) = (row.get(0), row.get(1));
                            (id, n.max(0) as u64)
                        })
                        .collect(),
                });
            }
            Ok(DbIds {
                columns: read,
                rows_known: true,
            })
        })
    }

    /// The named columns with every referencing column before the column it references, so
    /// a key that acts on update (CASCADE, RESTRICT) finds nothing pointing at an old id.
    pub fn order_by_foreign_keys(
        &mut self,
        columns: Vec<ColumnRef>,
    ) -> Result<Vec<ColumnRef>, DbError> {
        let edges: Vec<(usize, usize)> = self.read_only(|tx, masker| {
            let mut edges = Vec::new();
            let rows = tx
                .query(
                    "SELECT c.conrelid::regclass::text, ca.attname::text, c.confrelid::regclass::text, pa.attname::text \
                     FROM pg_constraint c \
                     CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(child_att, parent_att) \
                     JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_att \
                     JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_att \
                     WHERE c.contype = 'f'",
                    &[],
                )
                .map_err(|e| DbError::Failed {
                    reason: masker.reason(&e),
                })?;
            // Each named column's table as PostgreSQL prints it (regclass::text).
            let mut names = Vec::new();
            for column in &columns {
                let name: Option<String> = tx
                    .query_one(
                        "SELECT to_regclass($1)::text",
                        &[&column.table_sql()],
                    )
                    .map_err(|e| DbError::Failed {
                        reason: masker.reason(&e),
                    })?
                    .get(0);
                names.push((name.unwrap_or_default(), column.column.clone()));
            }
            let at = |table: &str, column: &str| {
                names
                    .iter()
                    .position(|(t, c)| t == table && c == column)
            };
            for row in &rows {
                let (child, child_col, parent, parent_col): (String, String, String, String) =
                    (row.get(0), row.get(1), row.get(2), row.get(3));
                if let (Some(c), Some(p)) = (at(&child, &child_col), at(&parent, &parent_col)) {
                    edges.push((c, p));
                }
            }
            Ok(edges)
        })?;
        // Referencing columns first; a cycle keeps the given order for what remains.
        let mut placed = vec![false; columns.len()];
        let mut order = Vec::with_capacity(columns.len());
        while order.len() < columns.len() {
            let next = (0..columns.len())
                .find(|&i| {
                    !placed[i]
                        && !edges
                            .iter()
                            .any(|&(child, parent)| parent == i && !placed[child] && child != i)
                })
                .or_else(|| (0..columns.len()).find(|&i| !placed[i]))
                .expect("an unplaced column remains");
            placed[next] = true;
            order.push(columns[next].clone());
        }
        Ok(order)
    }

    /// Runs a rewrite's statements in one transaction, then commits (`commit`) or rolls
    /// back, and gives what each column reported. A check that raises rolls everything back
    /// and is the error's reason.
    pub fn rewrite(&mut self, body: &str, commit: bool) -> Result<Vec<Reported>, DbError> {
        if let Ok(mut notices) = self.notices.lock() {
            notices.clear();
        }
        let masker = self.masker();
        let mut tx = self.client.transaction().map_err(|e| DbError::Failed {
            reason: masker.reason(&e),
        })?;
        // Dropping the transaction on an error rolls it back.
        tx.batch_execute(body).map_err(|e| DbError::Failed {
            reason: masker.reason(&e),
        })?;
        if commit { tx.commit() } else { tx.rollback() }.map_err(|e| DbError::Failed {
            reason: masker.reason(&e),
        })?;
        let notices = self.notices.lock().map(|n| n.clone()).unwrap_or_default();
        Ok(notices.iter().filter_map(|n| read_notice(n)).collect())
    }

    /// Counts, per column, the rows held by each of `ids` (read-only).
    pub fn count_rows(
        &mut self,
        columns: &[ColumnRef],
        ids: &[String],
    ) -> Result<Vec<(String, u64)>, DbError> {
        self.read_only(|tx, masker| {
            let mut counts = Vec::new();
            for column in columns {
                let sql = format!(
                    "SELECT count(*) FROM {} WHERE {}::text = ANY($1)",
                    column.table_sql(),
                    column.column_sql()
                );
                let n: i64 = tx
                    .query_one(&sql, &[&ids])
                    .map_err(|e| DbError::Failed {
                        reason: masker.reason(&e),
                    })?
                    .get(0);
                counts.push((column.name(), n.max(0) as u64));
            }
            Ok(counts)
        })
    }
}
