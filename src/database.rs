//! The command line's connection to the team's PostgreSQL (native only: the page cannot
//! connect to anything). It runs the SQL the core writes and nothing else: reads in one
//! `BEGIN READ ONLY` transaction with a statement timeout, and the rewrite in one
//! transaction that is rolled back (the dry run) or committed (`--apply`).
//!
//! The address's password is never shown: every message goes through [`mask_url`] and has
//! the password itself masked wherever the server or the driver may have repeated it.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_dev2prod::core::database::columns::{
    self, is_id_column_name, looks_like_id_column, ColumnRef, Skipped,
};
use clerk_dev2prod::core::database::ids::{ColumnIds, DbIds};
use clerk_dev2prod::core::database::remap::{read_notice, Reported};
use clerk_dev2prod::core::database::tls::{
    self, Encryption, Roots, SslMode, TlsPlan, TlsSettingError, Verify,
};
use clerk_dev2prod::core::database::url::{mask_url, MASK};
use clerk_dev2prod::core::lang::Lang;
use postgres::config::{Host, SslMode as DriverSslMode};
use postgres::error::SqlState;
use postgres::tls::{MakeTlsConnect, TlsConnect};
use postgres::{Client, Config, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

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
    /// The address's TLS settings cannot be honoured.
    TlsSetting {
        url: String,
        problem: TlsSettingError,
    },
    /// The root certificates to check the server against cannot be had.
    Roots {
        url: String,
        /// The file, or None for the system's roots.
        file: Option<String>,
        reason: String,
    },
    /// The mode needs TLS and the server offers none.
    TlsNotOffered {
        url: String,
        mode: SslMode,
    },
    /// The server's certificate does not chain to a trusted root.
    Untrusted {
        url: String,
        mode: SslMode,
        roots: Roots,
        reason: String,
    },
    /// The certificate chains to a trusted root but does not name the host.
    HostMismatch {
        url: String,
        host: String,
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
            DbError::TlsSetting { url, problem } => match problem {
                TlsSettingError::UnknownMode(mode) => lang.pick(
                    format!("{url}: sslmode={mode} is not one of {}.", SslMode::NAMES),
                    format!("{url}: sslmode={mode} no es ninguno de {}.", SslMode::NAMES),
                ),
                TlsSettingError::SystemRootsNeedVerifyFull(mode) => lang.pick(
                    format!("{url}: sslrootcert=system needs sslmode=verify-full (not {}): the system's roots mean something only with the host name checked.", mode.name()),
                    format!("{url}: sslrootcert=system necesita sslmode=verify-full (no {}): las raíces del sistema solo significan algo si se comprueba el nombre del host.", mode.name()),
                ),
                TlsSettingError::Unsupported(setting) => lang.pick(
                    format!("{url}: {setting} is not supported by this tool (no client certificates, no revocation lists): connect with a password, over sslmode=verify-full."),
                    format!("{url}: esta herramienta no admite {setting} (ni certificados de cliente ni listas de revocación): conéctate con contraseña, con sslmode=verify-full."),
                ),
            },
            DbError::Roots { url, file: Some(file), reason } => lang.pick(
                format!("cannot use sslrootcert={file} for {url}: {reason}. Give the PEM file of your database's certificate authority (your provider publishes it)."),
                format!("no se puede usar sslrootcert={file} para {url}: {reason}. Indica el archivo PEM de la autoridad de certificación de tu base de datos (tu proveedor lo publica)."),
            ),
            DbError::Roots { url, file: None, reason } => lang.pick(
                format!("cannot check the certificate of {url}: {reason}. Give your database's certificate authority with sslrootcert=FILE."),
                format!("no se puede comprobar el certificado de {url}: {reason}. Indica la autoridad de certificación de tu base de datos con sslrootcert=ARCHIVO."),
            ),
            DbError::TlsNotOffered { url, mode } => lang.pick(
                format!("the database at {url} does not support TLS, and sslmode={} requires it: turn TLS on in the server, or, on a network you trust, use sslmode=prefer.", mode.name()),
                format!("la base de datos en {url} no admite TLS, y sslmode={} lo exige: activa TLS en el servidor o, en una red de confianza, usa sslmode=prefer.", mode.name()),
            ),
            DbError::Untrusted { url, mode, roots, reason } => {
                let (en, es) = match roots {
                    Roots::File(file) => (format!("the roots in {file}"), format!("las raíces de {file}")),
                    Roots::System => ("the system's trusted roots".to_string(), "las raíces de confianza del sistema".to_string()),
                };
                lang.pick(
                    format!("the certificate of the database at {url} is not trusted by sslmode={} ({reason}; checked against {en}): give the certificate authority that signed it with sslrootcert=FILE, or use sslmode=require to encrypt without checking who answers.", mode.name()),
                    format!("el certificado de la base de datos en {url} no es de confianza para sslmode={} ({reason}; comprobado con {es}): indica la autoridad que lo firmó con sslrootcert=ARCHIVO, o usa sslmode=require para cifrar sin comprobar quién responde.", mode.name()),
                )
            }
            DbError::HostMismatch { url, host } => lang.pick(
                format!("the certificate of the database at {url} is not for the host {host} (sslmode=verify-full checks the host name): connect with the host name the certificate names, or use sslmode=verify-ca to check the certificate but not the name."),
                format!("el certificado de la base de datos en {url} no es para el host {host} (sslmode=verify-full comprueba el nombre del host): conéctate con el nombre que indica el certificado, o usa sslmode=verify-ca para comprobar el certificado pero no el nombre."),
            ),
        }
    }
}

/// How the connection is protected, as the command line tells it.
#[derive(Clone, Debug)]
pub struct Security {
    pub plan: TlsPlan,
    /// Whether the TLS handshake took place (prefer falls back to the clear).
    pub encrypted: bool,
}

impl Security {
    /// One sentence: encrypted or not, and what was checked.
    pub fn describe(&self, lang: Lang) -> String {
        let mode = self.plan.mode.name();
        if !self.encrypted {
            return match self.plan.encryption {
                Encryption::Off => lang.pick(
                    format!("without TLS (sslmode={mode})"),
                    format!("sin TLS (sslmode={mode})"),
                ),
                _ => lang.pick(
                    format!("without TLS: the server offers none (sslmode={mode}; sslmode=require refuses such a server)"),
                    format!("sin TLS: el servidor no lo ofrece (sslmode={mode}; sslmode=require rechaza un servidor así)"),
                ),
            };
        }
        let (roots_en, roots_es) = match &self.plan.roots {
            Roots::File(file) => (
                format!("the roots in {file}"),
                format!("las raíces de {file}"),
            ),
            Roots::System => (
                "the system's trusted roots".to_string(),
                "las raíces de confianza del sistema".to_string(),
            ),
        };
        match self.plan.verify {
            Verify::Nothing => lang.pick(
                format!("over TLS, the certificate not checked (sslmode={mode}; sslmode=verify-full also checks who answers)"),
                format!("con TLS, sin comprobar el certificado (sslmode={mode}; sslmode=verify-full comprueba también quién responde)"),
            ),
            Verify::Chain => lang.pick(
                format!("over TLS, the certificate checked against {roots_en} but not the host name (sslmode={mode})"),
                format!("con TLS, el certificado comprobado con {roots_es} pero no el nombre del host (sslmode={mode})"),
            ),
            Verify::ChainAndHost => lang.pick(
                format!("over TLS, the certificate checked against {roots_en} and the host name (sslmode={mode})"),
                format!("con TLS, el certificado comprobado con {roots_es} y el nombre del host (sslmode={mode})"),
            ),
        }
    }
}

/// An open connection, with what it needs to describe itself safely.
pub struct Database {
    client: Client,
    /// The address with its password masked, as every message shows it.
    pub shown: String,
    pub security: Security,
    password: Option<String>,
    notices: Arc<Mutex<Vec<String>>>,
}

/// The columns discovery chose, and the candidates it passed over.
pub struct Discovery {
    pub chosen: Vec<ColumnRef>,
    pub skipped: Vec<(ColumnRef, Skipped)>,
}

/// How the columns to read were settled: named by the user (and found to exist), or
/// discovered.
pub enum Settled {
    Named(Vec<ColumnRef>),
    Discovered(Discovery),
}

impl Settled {
    /// The columns that are read.
    pub fn columns(&self) -> &[ColumnRef] {
        match self {
            Settled::Named(columns) => columns,
            Settled::Discovered(found) => &found.chosen,
        }
    }
}

/// Connects, or says why not. The TLS settings come from the address, else from
/// `PGSSLMODE` and `PGSSLROOTCERT`, as libpq reads them.
pub fn connect(url: &str) -> Result<Database, DbError> {
    let env = |name: &str| std::env::var(name).ok();
    connect_with(url, env("PGSSLMODE"), env("PGSSLROOTCERT"))
}

fn connect_with(
    url: &str,
    env_mode: Option<String>,
    env_root: Option<String>,
) -> Result<Database, DbError> {
    let shown = mask_url(url);
    let (driver_url, plan) =
        tls::read(url, env_mode.as_deref(), env_root.as_deref()).map_err(|problem| {
            DbError::TlsSetting {
                url: shown.clone(),
                problem,
            }
        })?;
    let mut config = Config::from_str(&driver_url).map_err(|_| DbError::BadUrl(shown.clone()))?;
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.application_name("clerk-dev2prod");
    config.ssl_mode(match plan.encryption {
        Encryption::Off => DriverSslMode::Disable,
        Encryption::IfOffered => DriverSslMode::Prefer,
        Encryption::Required => DriverSslMode::Require,
    });
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
    let handshake = Arc::new(AtomicBool::new(false));
    let connected = match plan.encryption {
        Encryption::Off => config.connect(NoTls),
        _ => config.connect(Recorded {
            inner: MakeRustlsConnect::new(client_config(&plan, &shown)?),
            handshake: Arc::clone(&handshake),
        }),
    };
    let client = connected.map_err(|e| {
        if let Some(failure) = tls_failure(&e) {
            return match failure {
                TlsFailure::NotOffered => DbError::TlsNotOffered {
                    url: shown.clone(),
                    mode: plan.mode,
                },
                TlsFailure::HostMismatch => DbError::HostMismatch {
                    url: shown.clone(),
                    host: first_host(&config),
                },
                TlsFailure::Untrusted(reason) => DbError::Untrusted {
                    url: shown.clone(),
                    mode: plan.mode,
                    roots: plan.roots.clone(),
                    reason,
                },
            };
        }
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
        security: Security {
            plan,
            encrypted: handshake.load(Ordering::SeqCst),
        },
        password,
        notices,
    })
}

/// The first host name of the address, as the certificate is checked against it.
fn first_host(config: &Config) -> String {
    config
        .get_hosts()
        .iter()
        .find_map(|host| match host {
            Host::Tcp(name) => Some(name.clone()),
            #[allow(unreachable_patterns)]
            _ => None,
        })
        .unwrap_or_default()
}

/// rustls set up as the plan says: which roots, and what is checked.
fn client_config(plan: &TlsPlan, shown: &str) -> Result<rustls::ClientConfig, DbError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match plan.verify {
        Verify::Nothing => Arc::new(Unchecked {
            provider: Arc::clone(&provider),
        }),
        Verify::Chain | Verify::ChainAndHost => {
            let roots = root_store(&plan.roots, shown)?;
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                    .build()
                    .map_err(|e| DbError::Roots {
                        url: shown.to_string(),
                        file: root_file(&plan.roots),
                        reason: e.to_string(),
                    })?;
            if plan.verify == Verify::Chain {
                Arc::new(ChainOnly { webpki })
            } else {
                webpki
            }
        }
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DbError::Failed {
            reason: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

fn root_file(roots: &Roots) -> Option<String> {
    match roots {
        Roots::File(file) => Some(file.clone()),
        Roots::System => None,
    }
}

/// The trusted roots: every certificate in the PEM file, or the system's.
fn root_store(roots: &Roots, shown: &str) -> Result<RootCertStore, DbError> {
    let fail = |reason: String| DbError::Roots {
        url: shown.to_string(),
        file: root_file(roots),
        reason,
    };
    let certificates: Vec<CertificateDer<'static>> = match roots {
        Roots::File(file) => {
            let bytes = std::fs::read(file).map_err(|e| fail(e.to_string()))?;
            CertificateDer::pem_slice_iter(&bytes)
                .collect::<Result<_, _>>()
                .map_err(|e| fail(format!("not a PEM file ({e})")))?
        }
        Roots::System => rustls_native_certs::load_native_certs().certs,
    };
    let mut store = RootCertStore::empty();
    let (_added, _ignored) = store.add_parsable_certificates(certificates);
    if store.is_empty() {
        return Err(fail(match roots {
            Roots::File(_) => "it holds no certificate".to_string(),
            Roots::System => "this system has no trusted root certificates".to_string(),
        }));
    }
    Ok(store)
}

/// Accepts any certificate (prefer, require): the link is encrypted, whoever answers. The
/// handshake's signatures are still checked, so the server must hold the certificate's key.
#[derive(Debug)]
struct Unchecked {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// verify-ca: the chain to a trusted root, validity dates and key usage, as verify-full,
/// but a certificate for another host name is accepted. webpki checks the name last, after
/// the chain, so a name error means the chain was good.
#[derive(Debug)]
struct ChainOnly {
    webpki: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// The rustls connector, noting whether a handshake began: with prefer, the server may
/// answer that it has no TLS and the connection goes on in the clear.
struct Recorded {
    inner: MakeRustlsConnect,
    handshake: Arc<AtomicBool>,
}

struct RecordedConnect<T> {
    inner: T,
    handshake: Arc<AtomicBool>,
}

impl<S> MakeTlsConnect<S> for Recorded
where
    MakeRustlsConnect: MakeTlsConnect<S>,
{
    type Stream = <MakeRustlsConnect as MakeTlsConnect<S>>::Stream;
    type TlsConnect = RecordedConnect<<MakeRustlsConnect as MakeTlsConnect<S>>::TlsConnect>;
    type Error = <MakeRustlsConnect as MakeTlsConnect<S>>::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Self::TlsConnect, Self::Error> {
        Ok(RecordedConnect {
            inner: self.inner.make_tls_connect(domain)?,
            handshake: Arc::clone(&self.handshake),
        })
    }
}

impl<S, T: TlsConnect<S>> TlsConnect<S> for RecordedConnect<T> {
    type Stream = T::Stream;
    type Error = T::Error;
    type Future = T::Future;

    fn connect(self, stream: S) -> Self::Future {
        // A failed handshake fails the connection, so "began" is "encrypted" once connected.
        self.handshake.store(true, Ordering::SeqCst);
        self.inner.connect(stream)
    }
}

/// Why a TLS connection failed, when it did.
enum TlsFailure {
    NotOffered,
    HostMismatch,
    Untrusted(String),
}

type Tx<'a> = postgres::Transaction<'a>;

/// Discovery's work, inside a read-only transaction the caller holds.
fn discover_in(tx: &mut Tx<'_>, masker: &Masker) -> Result<Discovery, DbError> {
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
}

/// The first named table or column the database lacks, as an error.
fn check_columns_in(
    tx: &mut Tx<'_>,
    masker: &Masker,
    shown: &str,
    columns: &[ColumnRef],
) -> Result<(), DbError> {
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
                url: shown.to_string(),
                table: column.table_name(),
            });
        }
        let present: bool = tx
            .query_one(&columns::column_exists_sql(column), &[])
            .map_err(fail)?
            .get(0);
        if !present {
            return Err(DbError::MissingColumn {
                url: shown.to_string(),
                column: column.name(),
            });
        }
    }
    Ok(())
}

/// Every id each column holds, with its rows.
fn read_ids_in(tx: &mut Tx<'_>, masker: &Masker, columns: &[ColumnRef]) -> Result<DbIds, DbError> {
    let mut read = Vec::new();
    for column in columns {
        let rows = tx
            .query(&columns::ids_sql(column), &[])
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
}

/// Finds rustls' verdict (or the driver's "no TLS here") among the error's causes.
fn tls_failure(error: &postgres::Error) -> Option<TlsFailure> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        // io::Error's source() skips the error it wraps, so look inside it by hand.
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if let Some(rustls::Error::InvalidCertificate(why)) =
            inner.or_else(|| e.downcast_ref::<rustls::Error>())
        {
            return Some(match why {
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => TlsFailure::HostMismatch,
                CertificateError::UnknownIssuer => {
                    TlsFailure::Untrusted("signed by an unknown authority".to_string())
                }
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    TlsFailure::Untrusted("expired".to_string())
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    TlsFailure::Untrusted("not valid yet".to_string())
                }
                other => TlsFailure::Untrusted(format!("{other:?}")),
            });
        }
        // The driver's own words when the server answers that it has no TLS.
        if e.to_string() == "server does not support TLS" {
            return Some(TlsFailure::NotOffered);
        }
        cause = e.source();
    }
    None
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
    ///
    /// With `one_snapshot` every statement sees the database as it was at the first one
    /// (REPEATABLE READ); otherwise each sees what was committed when it started.
    fn read_only<T>(
        &mut self,
        one_snapshot: bool,
        read: impl FnOnce(&mut postgres::Transaction<'_>, &Masker) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let masker = self.masker();
        let isolation = if one_snapshot {
            postgres::IsolationLevel::RepeatableRead
        } else {
            postgres::IsolationLevel::ReadCommitted
        };
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .isolation_level(isolation)
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
        self.read_only(false, discover_in)
    }

    /// Fails with the first named table or column the database lacks.
    pub fn check_columns(&mut self, columns: &[ColumnRef]) -> Result<(), DbError> {
        let shown = self.shown.clone();
        self.read_only(false, |tx, masker| {
            check_columns_in(tx, masker, &shown, columns)
        })
    }

    /// Every id each column holds, with its rows, in one read-only transaction.
    pub fn read_ids(&mut self, columns: &[ColumnRef]) -> Result<DbIds, DbError> {
        self.read_only(true, |tx, masker| read_ids_in(tx, masker, columns))
    }

    /// The columns settled (the named ones checked, or discovery's when none is named) and
    /// every id they hold, in one read-only transaction on one snapshot, so no table can
    /// change between choosing the columns and reading them.
    pub fn settle_and_read(&mut self, named: &[ColumnRef]) -> Result<(Settled, DbIds), DbError> {
        let shown = self.shown.clone();
        self.read_only(true, |tx, masker| {
            let settled = if named.is_empty() {
                Settled::Discovered(discover_in(tx, masker)?)
            } else {
                check_columns_in(tx, masker, &shown, named)?;
                Settled::Named(named.to_vec())
            };
            let ids = read_ids_in(tx, masker, settled.columns())?;
            Ok((settled, ids))
        })
    }

    /// The named columns with every referencing column before the column it references, so
    /// a key that acts on update (CASCADE, RESTRICT) finds nothing pointing at an old id.
    pub fn order_by_foreign_keys(
        &mut self,
        columns: Vec<ColumnRef>,
    ) -> Result<Vec<ColumnRef>, DbError> {
        let edges: Vec<(usize, usize)> = self.read_only(false, |tx, masker| {
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
        self.read_only(false, |tx, masker| {
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
