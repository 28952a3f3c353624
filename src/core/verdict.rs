//! The verdicts a user reads first, each with its evidence: what was checked and against
//! what. The page and the command line render the same values, so neither can say "all
//! clear" about something it did not check.

use crate::core::instance::InstanceSettings;
use crate::core::issue::{Code, Severity};
use crate::core::keys::{KeyCode, KeyReport};
use crate::core::lang::{group_digits, plural, Lang};
use crate::core::prepare::Prepared;

/// Whether a verdict clears its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Checked, and nothing stands in the way.
    Pass,
    /// Checked, and something must be done first.
    Fail,
    /// Nothing to pass or fail yet: what was read, and what will be checked.
    Pending,
}

impl Tone {
    /// The page's class for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Pass => "clean",
            Tone::Fail => "rejected",
            Tone::Pending => "pending",
        }
    }
}

/// What the other inputs of the prepare step were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckedAgainst {
    pub instance_settings: bool,
    pub production_users: bool,
}

/// The export's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportVerdict {
    /// Every row accepted, nothing lost or changed on the way.
    AllAccepted {
        file: String,
        rows: usize,
        against: CheckedAgainst,
    },
    /// Every row accepted, but users lose or change something: each kind with its count.
    AcceptedWithChanges {
        file: String,
        rows: usize,
        changes: Vec<(Code, usize)>,
        against: CheckedAgainst,
    },
    SomeRejected {
        file: String,
        rows: usize,
        rejected: usize,
        against: CheckedAgainst,
    },
}

impl ExportVerdict {
    pub fn of(prepared: &Prepared) -> ExportVerdict {
        let (file, rows, c) = (
            prepared.input.file_name.clone(),
            prepared.counts.rows,
            &prepared.counts,
        );
        let against = prepared.checked_against;
        if c.rejected > 0 {
            return ExportVerdict::SomeRejected {
                file,
                rows,
                rejected: c.rejected,
                against,
            };
        }
        // A warning on an accepted row is something that does not arrive as it was.
        let changes: Vec<(Code, usize)> = c
            .by_code
            .iter()
            .filter_map(|(name, count)| Some((Code::from_name(name)?, *count)))
            .filter(|(code, _)| code.severity() == Severity::Warning)
            .collect();
        if changes.is_empty() {
            ExportVerdict::AllAccepted {
                file,
                rows,
                against,
            }
        } else {
            ExportVerdict::AcceptedWithChanges {
                file,
                rows,
                changes,
                against,
            }
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            ExportVerdict::AllAccepted { .. } => Tone::Pass,
            // Accepted, but not as it was: the user must read what changes before the run.
            ExportVerdict::AcceptedWithChanges { .. } | ExportVerdict::SomeRejected { .. } => {
                Tone::Fail
            }
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let n = |count: usize| group_digits(lang, count);
        let checked = |file: &str, rows: usize, against: &CheckedAgainst| {
            let mut what =
                vec![lang.pick("Clerk's import rules", "las reglas de importación de Clerk")];
            if against.instance_settings {
                what.push(lang.pick(
                    "the production instance's settings",
                    "los ajustes de la instancia de producción",
                ));
            }
            if against.production_users {
                what.push(lang.pick("production's users", "los usuarios de producción"));
            }
            let what = join(lang, &what);
            lang.pick(
                format!(
                    "Checked {} {} of {file} against {what}",
                    n(rows),
                    plural(rows, "row", "rows")
                ),
                format!(
                    "Revisadas {} {} de {file} con {what}",
                    n(rows),
                    plural(rows, "fila", "filas")
                ),
            )
        };
        match self {
            ExportVerdict::AllAccepted {
                file,
                rows,
                against,
            } => {
                let head = checked(file, *rows, against);
                let tail = lang.pick(
                    ": every row is accepted and nothing is lost or changed on the way, so the import should finish with zero failures.",
                    ": se aceptan todas las filas y nada se pierde ni cambia por el camino, así que la importación debería terminar sin ningún fallo.",
                );
                let unchecked = if against.instance_settings {
                    ""
                } else {
                    lang.pick(
                        " Not yet checked against the production instance's settings.",
                        " Aún sin comprobar con los ajustes de la instancia de producción.",
                    )
                };
                format!("{head}{tail}{unchecked}")
            }
            ExportVerdict::AcceptedWithChanges {
                file,
                rows,
                changes,
                against,
            } => {
                let head = checked(file, *rows, against);
                let listed: Vec<String> = changes
                    .iter()
                    .map(|(code, count)| change(lang, *code, *count))
                    .collect();
                lang.pick(
                    format!(
                        "{head}: every row is accepted, so the import call should succeed, but not everything arrives as it is: {}. The table below names each user.",
                        join(lang, &listed)
                    ),
                    format!(
                        "{head}: se aceptan todas las filas, así que la importación debería funcionar, pero no todo llega tal cual: {}. La tabla de abajo nombra a cada usuario.",
                        join(lang, &listed)
                    ),
                )
            }
            ExportVerdict::SomeRejected {
                file,
                rows,
                rejected,
                against,
            } => {
                let head = checked(file, *rows, against);
                let accepted = rows - rejected;
                lang.pick(
                    format!(
                        "{head}: {} rejected (left out of users.json and listed in rejected.csv with what to fix), {} accepted.",
                        n(*rejected),
                        n(accepted)
                    ),
                    format!(
                        "{head}: {} {} (fuera de users.json y en rejected.csv con lo que hay que corregir), {} {}.",
                        n(*rejected),
                        plural(*rejected, "rechazada", "rechazadas"),
                        n(accepted),
                        plural(accepted, "aceptada", "aceptadas")
                    ),
                )
            }
        }
    }
}

/// "1 user loses their password": what a warning means for the users it is on.
fn change(lang: Lang, code: Code, count: usize) -> String {
    let n = group_digits(lang, count);
    let (en, es) = match code {
        Code::PasswordNotInExport => (
            plural(count, "user loses their password (the export has no digest; they set a new one)", "users lose their password (the export has no digest; they set a new one)"),
            plural(count, "usuario pierde su contraseña (la exportación no trae el resumen; pondrá una nueva)", "usuarios pierden su contraseña (la exportación no trae el resumen; pondrán una nueva)"),
        ),
        Code::TotpNotInExport => (
            plural(count, "user loses their authenticator app secret (they set up two-step verification again)", "users lose their authenticator app secret (they set up two-step verification again)"),
            plural(count, "usuario pierde el secreto de su app de autenticación (volverá a configurar la verificación en dos pasos)", "usuarios pierden el secreto de su app de autenticación (volverán a configurar la verificación en dos pasos)"),
        ),
        Code::UnverifiedLeftOut => (
            plural(count, "user loses their unverified addresses", "users lose their unverified addresses"),
            plural(count, "usuario pierde sus direcciones sin verificar", "usuarios pierden sus direcciones sin verificar"),
        ),
        Code::UnverifiedMadeVerified => (
            plural(count, "user has an unverified address created verified", "users have an unverified address created verified"),
            plural(count, "usuario tiene una dirección sin verificar que se crea verificada", "usuarios tienen una dirección sin verificar que se crea verificada"),
        ),
        Code::NameDropped => (
            plural(count, "user loses a name Clerk refuses", "users lose a name Clerk refuses"),
            plural(count, "usuario pierde un nombre que Clerk rechaza", "usuarios pierden un nombre que Clerk rechaza"),
        ),
        Code::AlreadyInProduction => (
            plural(count, "user is already in production and is linked instead of imported", "users are already in production and are linked instead of imported"),
            plural(count, "usuario ya está en producción y se vincula en vez de importarse", "usuarios ya están en producción y se vinculan en vez de importarse"),
        ),
        Code::InvalidCreatedAt => (
            plural(count, "user loses their sign-up date (not a date Clerk takes)", "users lose their sign-up date (not a date Clerk takes)"),
            plural(count, "usuario pierde su fecha de alta (no es una fecha que Clerk acepte)", "usuarios pierden su fecha de alta (no es una fecha que Clerk acepte)"),
        ),
        other => {
            let name = other.as_str();
            return lang.pick(
                format!("{n} {} ({name})", plural(count, "warning", "warnings")),
                format!("{n} {} ({name})", plural(count, "aviso", "avisos")),
            );
        }
    };
    format!("{n} {}", lang.pick(en, es))
}

/// "a, b and c" / "a, b y c".
fn join<S: AsRef<str>>(lang: Lang, items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!(
                "{} {} {}",
                rest.join(", "),
                lang.pick("and", "y"),
                last.as_ref()
            )
        }
    }
}

/// The key step's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysVerdict {
    /// No file given holds a Clerk key: nothing was checked.
    NoKeyFound { files: Vec<String> },
    /// Keys were found and something blocks the switch: `problems` errors and `warnings`
    /// warnings, each one item of the list below the verdict.
    Problems {
        problems: usize,
        warnings: usize,
        keys: usize,
        files: usize,
    },
    /// Every key found is live and consistent; `without_keys` names the files with none;
    /// `warnings` items (those files among them) are listed below the verdict.
    AllLive {
        keys: usize,
        files: Vec<String>,
        without_keys: Vec<String>,
        warnings: usize,
    },
}

impl KeysVerdict {
    pub fn of(report: &KeyReport) -> KeysVerdict {
        let without_keys: Vec<String> = report
            .findings
            .iter()
            .filter(|f| matches!(f.code, KeyCode::NoKeyFound | KeyCode::Unreadable))
            .map(|f| f.service.clone())
            .collect();
        let problems = report.findings.iter().filter(|f| f.code.is_error()).count();
        let warnings = report.findings.len() - problems;
        if report.keys.is_empty() {
            return KeysVerdict::NoKeyFound {
                files: report.services.clone(),
            };
        }
        if problems > 0 {
            return KeysVerdict::Problems {
                problems,
                warnings,
                keys: report.keys.len(),
                files: report.services.len(),
            };
        }
        let files = report
            .services
            .iter()
            .filter(|s| !without_keys.contains(s))
            .cloned()
            .collect();
        KeysVerdict::AllLive {
            keys: report.keys.len(),
            files,
            without_keys,
            warnings,
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            KeysVerdict::AllLive { .. } => Tone::Pass,
            KeysVerdict::Problems { .. } => Tone::Fail,
            KeysVerdict::NoKeyFound { .. } => Tone::Pending,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let n = |count: usize| group_digits(lang, count);
        match self {
            KeysVerdict::NoKeyFound { files } => {
                let files = join(lang, files);
                lang.pick(
                    format!("No Clerk key in {files}: nothing was checked. Give the configuration files that hold the services' Clerk keys (.env, YAML or JSON)."),
                    format!("No hay ninguna clave de Clerk en {files}: no se ha comprobado nada. Indica los archivos de configuración que tienen las claves de Clerk de los servicios (.env, YAML o JSON)."),
                )
            }
            KeysVerdict::Problems {
                problems,
                warnings,
                keys,
                files,
            } => {
                let head = lang.pick(
                    format!(
                        "Checked {} {} in {} {}: {} {} to fix before switching to production",
                        n(*keys),
                        plural(*keys, "key", "keys"),
                        n(*files),
                        plural(*files, "file", "files"),
                        n(*problems),
                        plural(*problems, "problem", "problems")
                    ),
                    format!(
                        "Revisadas {} {} en {} {}: {} {} que corregir antes de pasar a producción",
                        n(*keys),
                        plural(*keys, "clave", "claves"),
                        n(*files),
                        plural(*files, "archivo", "archivos"),
                        n(*problems),
                        plural(*problems, "problema", "problemas")
                    ),
                );
                match warnings {
                    0 => format!("{head}{}", lang.pick(", listed below.", ", abajo.")),
                    w => lang.pick(
                        format!(
                            "{head}, and {} {}, listed below.",
                            n(*w),
                            plural(*w, "warning", "warnings")
                        ),
                        format!(
                            "{head}, y {} {}, abajo.",
                            n(*w),
                            plural(*w, "aviso", "avisos")
                        ),
                    ),
                }
            }
            KeysVerdict::AllLive {
                keys,
                files,
                without_keys,
                warnings,
            } => {
                let head = lang.pick(
                    format!(
                        "Checked {} Clerk {} in {}: every one is a production key, well formed, and each publishable and secret pair names the same production instance.",
                        n(*keys),
                        plural(*keys, "key", "keys"),
                        join(lang, files)
                    ),
                    format!(
                        "Revisadas {} {} de Clerk en {}: todas son de producción, están bien formadas y cada par de clave publicable y secreta nombra la misma instancia de producción.",
                        n(*keys),
                        plural(*keys, "clave", "claves"),
                        join(lang, files)
                    ),
                );
                let head = if without_keys.is_empty() {
                    head
                } else {
                    let none = join(lang, without_keys);
                    lang.pick(
                        format!("{head} No Clerk key in {none}: check that service's keys where they live."),
                        format!("{head} No hay ninguna clave de Clerk en {none}: revisa las claves de ese servicio allí donde estén."),
                    )
                };
                match warnings {
                    0 => head,
                    w => lang.pick(
                        format!(
                            "{head} {} {} below.",
                            n(*w),
                            plural(*w, "warning", "warnings")
                        ),
                        format!("{head} {} {} abajo.", n(*w), plural(*w, "aviso", "avisos")),
                    ),
                }
            }
        }
    }
}

/// The production settings' verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsVerdict {
    /// Read, but no export to check yet: which checks will run once one is given.
    WaitingForExport { file: String, checks: Vec<Check> },
    /// Checked against every row of the export: none is refused.
    AcceptsEveryone {
        file: String,
        export: String,
        rows: usize,
    },
    /// Checked: `findings` kinds of problem (each listed below the verdict) on `users`
    /// distinct users.
    Refuses {
        file: String,
        export: String,
        rows: usize,
        findings: usize,
        users: usize,
    },
}

/// One kind of problem the production settings cause, with the users it is on: what the
/// settings step lists under its verdict, one item each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsFinding {
    pub code: Code,
    /// Each user it is on, once, by (editor line of the row, user id), in file order.
    pub users: Vec<(usize, String)>,
}

impl SettingsFinding {
    /// Every kind of problem the settings cause in `prepared`, in the order of the codes.
    pub fn all(prepared: &Prepared) -> Vec<SettingsFinding> {
        let mut found: Vec<SettingsFinding> = Vec::new();
        for issue in prepared
            .issues
            .iter()
            .filter(|i| i.code.as_str().starts_with("instance_"))
        {
            let at = match found.iter().position(|f| f.code == issue.code) {
                Some(at) => at,
                None => {
                    found.push(SettingsFinding {
                        code: issue.code,
                        users: Vec::new(),
                    });
                    found.len() - 1
                }
            };
            let users = &mut found[at].users;
            // A user missing both names has two issues of one kind: one user.
            if users.last().is_none_or(|(row, _)| *row != issue.row) {
                users.push((issue.row, issue.shown_user_id()));
            }
        }
        found.sort_by_key(|f| f.code.as_str());
        found
    }

    /// Whether the users are rejected (an error) or imported without something (a warning).
    pub fn rejects(&self) -> bool {
        self.code.severity() == Severity::Error
    }

    /// What the problem is, for all its users at once, and what happens to them.
    pub fn problem(&self, lang: Lang) -> String {
        let count = self.users.len();
        let n = group_digits(lang, count);
        let (en, es) = match self.code {
            Code::InstanceNoIdentifierLeft => (
                plural(count, "user has no identifier left once the identifiers production has turned off are dropped: rejected", "users have no identifier left once the identifiers production has turned off are dropped: rejected"),
                plural(count, "usuario se queda sin identificador al quitar los que producción tiene desactivados: rechazado", "usuarios se quedan sin identificador al quitar los que producción tiene desactivados: rechazados"),
            ),
            Code::InstanceRequiresEmail => (
                plural(count, "user has no verified email address, which production requires: rejected", "users have no verified email address, which production requires: rejected"),
                plural(count, "usuario no tiene correo verificado, que producción exige: rechazado", "usuarios no tienen correo verificado, que producción exige: rechazados"),
            ),
            Code::InstanceRequiresPhone => (
                plural(count, "user has no verified phone number, which production requires: rejected", "users have no verified phone number, which production requires: rejected"),
                plural(count, "usuario no tiene teléfono verificado, que producción exige: rechazado", "usuarios no tienen teléfono verificado, que producción exige: rechazados"),
            ),
            Code::InstanceRequiresUsername => (
                plural(count, "user has no username, which production requires: rejected", "users have no username, which production requires: rejected"),
                plural(count, "usuario no tiene nombre de usuario, que producción exige: rechazado", "usuarios no tienen nombre de usuario, que producción exige: rechazados"),
            ),
            Code::InstanceRequiresName => (
                plural(count, "user lacks a first or last name, which production requires: rejected", "users lack a first or last name, which production requires: rejected"),
                plural(count, "usuario no tiene nombre o apellido, que producción exige: rechazado", "usuarios no tienen nombre o apellido, que producción exige: rechazados"),
            ),
            Code::InstanceUsernameRules => (
                plural(count, "user has a username that breaks production's username rules: rejected", "users have a username that breaks production's username rules: rejected"),
                plural(count, "usuario tiene un nombre de usuario que no cumple las reglas de producción: rechazado", "usuarios tienen un nombre de usuario que no cumple las reglas de producción: rechazados"),
            ),
            Code::InstancePasswordOnly => (
                plural(count, "user has no password, and production signs in with a password only: rejected, they could not sign in", "users have no password, and production signs in with a password only: rejected, they could not sign in"),
                plural(count, "usuario no tiene contraseña, y en producción solo se entra con contraseña: rechazado, no podría entrar", "usuarios no tienen contraseña, y en producción solo se entra con contraseña: rechazados, no podrían entrar"),
            ),
            Code::InstanceTotpOff => (
                plural(count, "user has an authenticator app secret, and production has authenticator apps turned off: rejected", "users have an authenticator app secret, and production has authenticator apps turned off: rejected"),
                plural(count, "usuario tiene secreto de app de autenticación, y producción tiene esas apps desactivadas: rechazado", "usuarios tienen secreto de app de autenticación, y producción tiene esas apps desactivadas: rechazados"),
            ),
            Code::InstanceBackupCodesOff => (
                plural(count, "user has backup codes, and production has backup codes turned off: rejected", "users have backup codes, and production has backup codes turned off: rejected"),
                plural(count, "usuario tiene códigos de respaldo, y producción los tiene desactivados: rechazado", "usuarios tienen códigos de respaldo, y producción los tiene desactivados: rechazados"),
            ),
            Code::InstanceEmailOff => (
                plural(count, "user loses their email addresses: production has email turned off (imported without them)", "users lose their email addresses: production has email turned off (imported without them)"),
                plural(count, "usuario pierde sus correos: producción tiene el correo desactivado (se importa sin ellos)", "usuarios pierden sus correos: producción tiene el correo desactivado (se importan sin ellos)"),
            ),
            Code::InstancePhoneOff => (
                plural(count, "user loses their phone numbers: production has phone numbers turned off (imported without them)", "users lose their phone numbers: production has phone numbers turned off (imported without them)"),
                plural(count, "usuario pierde sus teléfonos: producción tiene el teléfono desactivado (se importa sin ellos)", "usuarios pierden sus teléfonos: producción tiene el teléfono desactivado (se importan sin ellos)"),
            ),
            Code::InstanceUsernameOff => (
                plural(count, "user loses their username: production has usernames turned off (imported without it)", "users lose their username: production has usernames turned off (imported without it)"),
                plural(count, "usuario pierde su nombre de usuario: producción lo tiene desactivado (se importa sin él)", "usuarios pierden su nombre de usuario: producción lo tiene desactivado (se importan sin él)"),
            ),
            other => {
                let name = other.as_str();
                return lang.pick(
                    format!("{n} {} ({name})", plural(count, "user", "users")),
                    format!("{n} {} ({name})", plural(count, "usuario", "usuarios")),
                );
            }
        };
        format!("{n} {}", lang.pick(en, es))
    }
}

/// A check the production settings make the engine run on every user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    EmailRequired,
    PhoneRequired,
    UsernameRequired,
    NameRequired,
    EmailOff,
    PhoneOff,
    UsernameOff,
    UsernameRules { min: usize, max: usize },
    PasswordOnly,
    AuthenticatorAppsOff,
    BackupCodesOff,
    LegalConsent,
    NoIdentifierLeft,
}

impl Check {
    /// The checks `settings` makes run.
    pub fn for_settings(settings: &InstanceSettings) -> Vec<Check> {
        let mut checks = vec![Check::NoIdentifierLeft];
        let s = settings;
        let pairs = [
            (s.email.required, Check::EmailRequired),
            (s.phone.required, Check::PhoneRequired),
            (s.username.required, Check::UsernameRequired),
            (
                s.first_name.required || s.last_name.required,
                Check::NameRequired,
            ),
            (!s.email.enabled, Check::EmailOff),
            (!s.phone.enabled, Check::PhoneOff),
            (!s.username.enabled, Check::UsernameOff),
            (
                s.username.enabled,
                Check::UsernameRules {
                    min: s.username_min,
                    max: s.username_max,
                },
            ),
            (s.password_only(), Check::PasswordOnly),
            (!s.authenticator_app.enabled, Check::AuthenticatorAppsOff),
            (!s.backup_code.enabled, Check::BackupCodesOff),
            (s.legal_consent, Check::LegalConsent),
        ];
        checks.extend(pairs.into_iter().filter(|(on, _)| *on).map(|(_, c)| c));
        checks
    }

    pub fn words(self, lang: Lang) -> String {
        match self {
            Check::EmailRequired => lang
                .pick(
                    "an email address (required)",
                    "una dirección de correo (obligatoria)",
                )
                .into(),
            Check::PhoneRequired => lang
                .pick("a phone number (required)", "un teléfono (obligatorio)")
                .into(),
            Check::UsernameRequired => lang
                .pick(
                    "a username (required)",
                    "un nombre de usuario (obligatorio)",
                )
                .into(),
            Check::NameRequired => lang
                .pick(
                    "first and last name (required)",
                    "nombre y apellidos (obligatorios)",
                )
                .into(),
            Check::EmailOff => lang
                .pick(
                    "email addresses, which this instance has turned off",
                    "direcciones de correo, que esta instancia tiene desactivadas",
                )
                .into(),
            Check::PhoneOff => lang
                .pick(
                    "phone numbers, which this instance has turned off",
                    "teléfonos, que esta instancia tiene desactivados",
                )
                .into(),
            Check::UsernameOff => lang
                .pick(
                    "usernames, which this instance has turned off",
                    "nombres de usuario, que esta instancia tiene desactivados",
                )
                .into(),
            Check::UsernameRules { min, max } => lang.pick(
                format!("usernames against this instance's rules ({min}–{max} characters)"),
                format!(
                    "nombres de usuario con las reglas de esta instancia ({min}–{max} caracteres)"
                ),
            ),
            Check::PasswordOnly => lang
                .pick(
                    "users without a password, since sign-in is password-only",
                    "usuarios sin contraseña, porque solo se entra con contraseña",
                )
                .into(),
            Check::AuthenticatorAppsOff => lang
                .pick(
                    "authenticator app secrets, which this instance has turned off",
                    "secretos de apps de autenticación, que esta instancia tiene desactivadas",
                )
                .into(),
            Check::BackupCodesOff => lang
                .pick(
                    "backup codes, which this instance has turned off",
                    "códigos de respaldo, que esta instancia tiene desactivados",
                )
                .into(),
            Check::LegalConsent => lang
                .pick(
                    "legal consent, which this instance asks for",
                    "consentimiento legal, que esta instancia pide",
                )
                .into(),
            Check::NoIdentifierLeft => lang
                .pick(
                    "an identifier left to sign in with",
                    "un identificador con el que entrar",
                )
                .into(),
        }
    }
}

impl SettingsVerdict {
    /// `file` holds `settings`; `prepared` is the export run with them, if there is one.
    pub fn of(file: &str, settings: &InstanceSettings, prepared: Option<&Prepared>) -> Self {
        let file = file.to_string();
        let Some(prepared) = prepared.filter(|p| p.checked_against.instance_settings) else {
            return SettingsVerdict::WaitingForExport {
                file,
                checks: Check::for_settings(settings),
            };
        };
        let (export, rows) = (prepared.input.file_name.clone(), prepared.counts.rows);
        let findings = SettingsFinding::all(prepared);
        if findings.is_empty() {
            SettingsVerdict::AcceptsEveryone { file, export, rows }
        } else {
            let mut users: Vec<usize> = findings
                .iter()
                .flat_map(|f| f.users.iter().map(|(row, _)| *row))
                .collect();
            users.sort_unstable();
            users.dedup();
            SettingsVerdict::Refuses {
                file,
                export,
                rows,
                findings: findings.len(),
                users: users.len(),
            }
        }
    }

    pub fn tone(&self) -> Tone {
        match self {
            SettingsVerdict::WaitingForExport { .. } => Tone::Pending,
            SettingsVerdict::AcceptsEveryone { .. } => Tone::Pass,
            SettingsVerdict::Refuses { .. } => Tone::Fail,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let n = |count: usize| group_digits(lang, count);
        match self {
            SettingsVerdict::WaitingForExport { file, checks } => {
                let checks: Vec<String> = checks.iter().map(|c| c.words(lang)).collect();
                let checks = checks.join("; ");
                lang.pick(
                    format!("{file} read; no user has been checked yet. Once an export is given (step 2), each user is checked for: {checks}."),
                    format!("{file} leído; aún no se ha revisado ningún usuario. Cuando indiques una exportación (paso 2), se revisa en cada usuario: {checks}."),
                )
            }
            SettingsVerdict::AcceptsEveryone { file, export, rows } => lang.pick(
                format!(
                    "Checked the {} {} of {export} against the settings in {file}: the production instance accepts every one.",
                    n(*rows),
                    plural(*rows, "row", "rows")
                ),
                format!(
                    "Revisadas las {} {} de {export} con los ajustes de {file}: la instancia de producción las acepta todas.",
                    n(*rows),
                    plural(*rows, "fila", "filas")
                ),
            ),
            SettingsVerdict::Refuses {
                file,
                export,
                rows,
                findings,
                users,
            } => lang.pick(
                format!(
                    "Checked the {} {} of {export} against the settings in {file}: {} {} on {} {}, listed below.",
                    n(*rows),
                    plural(*rows, "row", "rows"),
                    n(*findings),
                    plural(*findings, "problem", "problems"),
                    n(*users),
                    plural(*users, "user", "users")
                ),
                format!(
                    "Revisadas las {} {} de {export} con los ajustes de {file}: {} {} en {} {}, abajo.",
                    n(*rows),
                    plural(*rows, "fila", "filas"),
                    n(*findings),
                    plural(*findings, "problema", "problemas"),
                    n(*users),
                    plural(*users, "usuario", "usuarios")
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keys::{check_keys, KeyFile};
    use crate::core::prepare::{prepare, PrepareOptions};

    fn prepared(bytes: &[u8]) -> Prepared {
        prepare(bytes, &PrepareOptions::default()).unwrap()
    }

    #[test]
    fn a_clean_export_says_how_many_rows_were_checked_and_against_what() {
        let p = prepared(b"id,primary_email_address\nuser_1,ada@example.com\n");
        let v = ExportVerdict::of(&p);
        assert!(
            matches!(v, ExportVerdict::AllAccepted { rows: 1, .. }),
            "{v:?}"
        );
        assert_eq!(v.tone(), Tone::Pass);
        let en = v.message(Lang::En);
        assert!(
            en.starts_with("Checked 1 row of users.csv against Clerk's import rules"),
            "{en}"
        );
        assert!(
            en.contains("Not yet checked against the production instance's settings"),
            "{en}"
        );
        assert!(v
            .message(Lang::Es)
            .starts_with("Revisadas 1 fila de users.csv"));
    }

    #[test]
    fn an_accepted_but_lossy_export_names_what_is_lost() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/exports/backend-api.json"
        ))
        .unwrap();
        let v = ExportVerdict::of(&prepared(&bytes));
        assert_eq!(v.tone(), Tone::Fail);
        let en = v.message(Lang::En);
        assert!(en.contains("1 user loses their password"), "{en}");
        assert!(
            en.contains("1 user loses their authenticator app secret"),
            "{en}"
        );
        assert!(!en.contains("zero failures"), "{en}");
        let es = v.message(Lang::Es);
        assert!(es.contains("1 usuario pierde su contraseña"), "{es}");
    }

    #[test]
    fn a_file_without_keys_is_a_finding_naming_it_never_a_pass() {
        let report = check_keys(&[KeyFile {
            service: "gateway.env".into(),
            bytes: b"PORT=8080\n".to_vec(),
        }]);
        let v = KeysVerdict::of(&report);
        assert_eq!(v.tone(), Tone::Pending);
        assert!(v
            .message(Lang::En)
            .starts_with("No Clerk key in gateway.env"));
        assert!(v.message(Lang::Es).contains("gateway.env"));
    }

    #[test]
    fn settings_without_an_export_say_which_checks_will_run() {
        let settings = InstanceSettings {
            email: crate::core::instance::Attribute {
                enabled: true,
                required: true,
                passwordless: true,
            },
            ..InstanceSettings::default()
        };
        let v = SettingsVerdict::of("env.json", &settings, None);
        assert_eq!(v.tone(), Tone::Pending);
        let en = v.message(Lang::En);
        assert!(en.contains("no user has been checked yet"), "{en}");
        assert!(en.contains("an email address (required)"), "{en}");
        assert!(!en.contains("accept"), "{en}");
    }

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(join(Lang::En, &["a", "b", "c"]), "a, b and c");
        assert_eq!(join(Lang::Es, &["a", "b"]), "a y b");
        assert_eq!(join(Lang::En, &["a"]), "a");
    }
}
