//! Problems found in an export: one record per problem, with a stable code, a severity, and a
//! message and a fix in English and Spanish.
//!
//! Records stay small (a code and a few parameters); the words are produced when a record is
//! shown or written, so a million rows with a note each cost megabytes, not gigabytes. No
//! message ever repeats a password digest, TOTP secret or backup code.

use crate::core::escape::shown;
use crate::core::existing::matched_by_words;
use crate::core::lang::{group_digits, plural, Lang};

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The row is rejected: importing it would fail, or abort the whole run.
    Error,
    /// The row is imported, but something about it deserves attention.
    Warning,
    /// Worth knowing and counting; nothing to fix.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The column (or JSON field) a problem is about, named as in Clerk's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Row,
    Id,
    FirstName,
    LastName,
    Username,
    PrimaryEmail,
    VerifiedEmails,
    UnverifiedEmails,
    PrimaryPhone,
    VerifiedPhones,
    UnverifiedPhones,
    TotpSecret,
    PasswordDigest,
    PasswordHasher,
    BackupCodes,
    PublicMetadata,
    PrivateMetadata,
    UnsafeMetadata,
    CreatedAt,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Row => "(row)",
            Field::Id => "id",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Username => "username",
            Field::PrimaryEmail => "primary_email_address",
            Field::VerifiedEmails => "verified_email_addresses",
            Field::UnverifiedEmails => "unverified_email_addresses",
            Field::PrimaryPhone => "primary_phone_number",
            Field::VerifiedPhones => "verified_phone_numbers",
            Field::UnverifiedPhones => "unverified_phone_numbers",
            Field::TotpSecret => "totp_secret",
            Field::PasswordDigest => "password_digest",
            Field::PasswordHasher => "password_hasher",
            Field::BackupCodes => "backup_codes",
            Field::PublicMetadata => "public_metadata",
            Field::PrivateMetadata => "private_metadata",
            Field::UnsafeMetadata => "unsafe_metadata",
            Field::CreatedAt => "created_at",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident;)*) => {
        /// What kind of problem: a stable name for filters, scripts and counts.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    // Per row: the row is rejected.
    MissingUserId => "missing_user_id", Error;
    DuplicateUserId => "duplicate_user_id", Error;
    UserIdTooLong => "user_id_too_long", Error;
    NoIdentifier => "no_identifier", Error;
    InvalidEmail => "invalid_email", Error;
    EmailRefusedByClerk => "email_refused_by_clerk", Error;
    DuplicateEmail => "duplicate_email", Error;
    InvalidPhone => "invalid_phone", Error;
    DuplicatePhone => "duplicate_phone", Error;
    DuplicateUsername => "duplicate_username", Error;
    PasswordWithoutHasher => "password_without_hasher", Error;
    UnknownHasher => "unknown_hasher", Error;
    HasherNotInMigrationTool => "hasher_not_in_migration_tool", Error;
    DigestShapeMismatch => "digest_shape_mismatch", Error;
    BcryptCostTooHigh => "bcrypt_cost_too_high", Error;
    InvalidTotpSecret => "invalid_totp_secret", Error;
    InvalidMetadata => "invalid_metadata", Error;
    InvalidBackupCodes => "invalid_backup_codes", Error;
    ProductionAmbiguous => "production_ambiguous", Error;
    OnlyUnverifiedIdentifiers => "only_unverified_identifiers", Error;
    UnclosedQuote => "unclosed_quote", Error;
    CellTooLarge => "cell_too_large", Error;
    RowTooLarge => "row_too_large", Error;
    // Per row, against the production instance's settings.
    InstanceNoIdentifierLeft => "instance_no_identifier_left", Error;
    InstanceRequiresEmail => "instance_requires_email", Error;
    InstanceRequiresPhone => "instance_requires_phone", Error;
    InstanceRequiresUsername => "instance_requires_username", Error;
    InstanceRequiresName => "instance_requires_name", Error;
    InstanceUsernameRules => "instance_username_rules", Error;
    InstancePasswordOnly => "instance_password_only", Error;
    InstanceTotpOff => "instance_totp_off", Error;
    InstanceBackupCodesOff => "instance_backup_codes_off", Error;
    InstanceEmailOff => "instance_email_off", Warning;
    InstancePhoneOff => "instance_phone_off", Warning;
    InstanceUsernameOff => "instance_username_off", Warning;
    // Per row: the user already exists in production and is left out of users.json.
    AlreadyInProduction => "already_in_production", Warning;
    ImportedEarlier => "imported_earlier", Info;
    // Per row: the row is imported.
    PhoneNormalised => "phone_normalised", Warning;
    PhoneCountryMayBeRefused => "phone_country_may_be_refused", Warning;
    HasherWithoutPassword => "hasher_without_password", Warning;
    HasherNameNormalised => "hasher_name_normalised", Warning;
    InsecureHasher => "insecure_hasher", Warning;
    TotpSecretNormalised => "totp_secret_normalised", Warning;
    UsernameOutsideDefaultRules => "username_outside_default_rules", Warning;
    NameDropped => "name_dropped", Warning;
    InvalidCreatedAt => "invalid_created_at", Warning;
    PasswordNotInExport => "password_not_in_export", Warning;
    TotpNotInExport => "totp_not_in_export", Warning;
    UnverifiedLeftOut => "unverified_left_out", Warning;
    UnverifiedKept => "unverified_kept", Warning;
    UnverifiedMadeVerified => "unverified_made_verified", Warning;
    AddressesUnderUnreadKey => "addresses_under_unread_key", Warning;
    RowStartsWithHash => "row_starts_with_hash", Warning;
    ExtraCells => "extra_cells", Warning;
    UnusualUserId => "unusual_user_id", Warning;
    // About the whole file.
    NoPassword => "no_password", Info;
    Utf8BomRemoved => "utf8_bom_removed", Info;
    DecodedUtf16 => "decoded_utf16", Warning;
    DecodedWindows1252 => "decoded_windows_1252", Warning;
    DelimiterDetected => "delimiter_detected", Info;
    IgnoredColumns => "ignored_columns", Info;
    CommentLinesSkipped => "comment_lines_skipped", Info;
    DevInstanceLimit => "dev_instance_limit", Warning;
    LegalConsentRequired => "legal_consent_required", Warning;
    OAuthProvidersInProduction => "oauth_providers_in_production", Info;
}

/// The parameters a message needs beyond its code. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    None,
    /// The offending (non-secret) value.
    Value(Box<str>),
    /// The earlier row that already claimed this value.
    Collision {
        value: Box<str>,
        first_row: usize,
    },
    /// A value as read and as it will be imported.
    Changed {
        from: Box<str>,
        to: Box<str>,
    },
    /// A number: a length, a cost, a count.
    Number(usize),
    /// A (non-secret) value and a number, e.g. a hasher and a digest's length.
    ValueNumber(Box<str>, usize),
    /// A list of names (columns, values), comma-separated.
    List(Box<str>),
    /// The production user that already holds one of the row's identifiers.
    Existing {
        prod_id: Box<str>,
        matched_by: &'static str,
        value: Box<str>,
    },
}

/// One problem in one row (or, with `row == 0`, in the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The line the row starts on, as a text editor numbers it; for file-level notes, the
    /// line they concern, or 0.
    pub row: usize,
    pub user_id: Box<str>,
    pub field: Field,
    pub code: Code,
    pub detail: Detail,
}

impl Issue {
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// What is wrong, with anything secret-shaped it quotes masked and any control
    /// character shown as an escape.
    pub fn message(&self, lang: Lang) -> String {
        shown(words(self, lang).0)
    }

    pub fn fix(&self, lang: Lang) -> String {
        shown(words(self, lang).1)
    }

    /// The row's user id as every report shows it: secrets masked, control characters
    /// visible (the id itself, as the export has it, is `user_id`).
    pub fn shown_user_id(&self) -> String {
        crate::core::escape::terminal(&self.user_id).into_owned()
    }
}

/// The message and the fix for an issue, in one language.
fn words(issue: &Issue, lang: Lang) -> (String, String) {
    let field = issue.field.as_str();
    // Values are quoted so that an empty, spaced or odd value reads as what it is.
    let quoted = |v: &str| format!("\"{v}\"");
    let (value, first_row, from, to, number, list) = match &issue.detail {
        Detail::Value(v) => (quoted(v), 0, String::new(), String::new(), 0, ""),
        Detail::Collision { value, first_row } => (
            quoted(value),
            *first_row,
            String::new(),
            String::new(),
            0,
            "",
        ),
        Detail::Changed { from, to } => (String::new(), 0, quoted(from), quoted(to), 0, ""),
        Detail::Number(n) => (String::new(), 0, String::new(), String::new(), *n, ""),
        Detail::ValueNumber(v, n) => (quoted(v), 0, String::new(), String::new(), *n, ""),
        Detail::List(l) => (
            String::new(),
            0,
            String::new(),
            String::new(),
            0,
            l.as_ref(),
        ),
        Detail::Existing {
            prod_id,
            matched_by,
            value,
        } => (
            quoted(value),
            0,
            matched_by.to_string(),
            prod_id.to_string(),
            0,
            "",
        ),
        Detail::None => (String::new(), 0, String::new(), String::new(), 0, ""),
    };
    let (en, es): ((String, String), (String, String)) = match issue.code {
        Code::MissingUserId => (
            ("The row has no user id.".into(),
             "Fill in the dev user id (user_…) from the Dashboard, or delete the row if it is not a real user.".into()),
            ("La fila no tiene id de usuario.".into(),
             "Escribe el id de usuario de desarrollo (user_…) del Dashboard, o borra la fila si no es un usuario real.".into()),
        ),
        Code::DuplicateUserId => (
            (format!("User id {value} already appears on row {first_row}."),
             format!("Keep one of the two rows: row {first_row} is imported, this one is not.")),
            (format!("El id de usuario {value} ya aparece en la fila {first_row}."),
             format!("Deja solo una de las dos filas: se importa la fila {first_row}, esta no.")),
        ),
        Code::UserIdTooLong => (
            (format!("The user id has {number} characters; Clerk's external_id allows at most 64."),
             "Shorten the id here and in your database, or map it to a shorter one before importing.".into()),
            (format!("El id de usuario tiene {number} caracteres; el external_id de Clerk admite 64 como máximo."),
             "Acorta el id aquí y en tu base de datos, o asígnale uno más corto antes de importar.".into()),
        ),
        Code::NoIdentifier => (
            ("The user has no email address, phone number or username that the migration tool reads, so it could not sign in.".into(),
             "Add a valid email address, phone number or username, or leave the user out.".into()),
            ("El usuario no tiene correo, teléfono ni nombre de usuario que lea la herramienta de migración, así que no podría iniciar sesión.".into(),
             "Añade un correo, teléfono o nombre de usuario válido, o deja fuera al usuario.".into()),
        ),
        Code::InvalidEmail => (
            (format!("{value} in {field} is not an email address the migration tool accepts."),
             "Correct the address (ASCII only, no spaces, a domain such as example.com), or remove it.".into()),
            (format!("{value} en {field} no es un correo que acepte la herramienta de migración."),
             "Corrige la dirección (solo ASCII, sin espacios, con un dominio como example.com) o quítala.".into()),
        ),
        Code::EmailRefusedByClerk => (
            (format!("Clerk refuses {value} in {field}: its local part is over 64 bytes, it is over 254 characters, or its domain is reserved (.test, .local, .example, …)."),
             "Replace it with the user's real address, or remove it.".into()),
            (format!("Clerk rechaza {value} en {field}: la parte local pasa de 64 bytes, pasa de 254 caracteres o su dominio está reservado (.test, .local, .example, …)."),
             "Sustitúyelo por la dirección real del usuario, o quítalo.".into()),
        ),
        Code::DuplicateEmail => (
            (format!("{value} already belongs to the user on row {first_row}; Clerk allows an address on one user only."),
             format!("Remove the address from one of the two users (row {first_row} keeps it), or merge the two accounts.")),
            (format!("{value} ya pertenece al usuario de la fila {first_row}; Clerk solo permite una dirección por usuario."),
             format!("Quita la dirección de uno de los dos usuarios (la fila {first_row} la conserva), o une las dos cuentas.")),
        ),
        Code::InvalidPhone => (
            (format!("{value} in {field} is not an E.164 phone number (+ and 7 to 15 digits)."),
             "Write it with its country code, e.g. +14155550100, or remove it.".into()),
            (format!("{value} en {field} no es un teléfono E.164 (+ y de 7 a 15 dígitos)."),
             "Escríbelo con el prefijo del país, p. ej. +34600000000, o quítalo.".into()),
        ),
        Code::DuplicatePhone => (
            (format!("{value} already belongs to the user on row {first_row}."),
             format!("Remove the number from one of the two users (row {first_row} keeps it).")),
            (format!("{value} ya pertenece al usuario de la fila {first_row}."),
             format!("Quita el número de uno de los dos usuarios (la fila {first_row} lo conserva).")),
        ),
        Code::DuplicateUsername => (
            (format!("Username {value} is already taken by the user on row {first_row} (usernames are compared ignoring case)."),
             format!("Rename one of the two users (row {first_row} keeps it).")),
            (format!("El nombre de usuario {value} ya lo tiene el usuario de la fila {first_row} (sin distinguir mayúsculas)."),
             format!("Cambia el nombre de uno de los dos usuarios (la fila {first_row} lo conserva).")),
        ),
        Code::PasswordWithoutHasher => (
            ("The row has a password digest but no password_hasher; the migration tool rejects it.".into(),
             "Fill in the hasher (bcrypt for users created in Clerk), or clear the digest so the user resets the password.".into()),
            ("La fila tiene un resumen de contraseña pero no password_hasher; la herramienta de migración la rechaza.".into(),
             "Indica el algoritmo (bcrypt para usuarios creados en Clerk) o vacía el resumen para que el usuario restablezca la contraseña.".into()),
        ),
        Code::UnknownHasher => (
            (format!("Password hasher {value} is not one Clerk supports. One such row aborts the migration tool's whole run."),
             "Use one of Clerk's hashers (bcrypt, argon2id, pbkdf2_sha256, …), or clear the digest and hasher so the user resets the password.".into()),
            (format!("El algoritmo {value} no es uno que admita Clerk. Una sola fila así aborta toda la ejecución de la herramienta."),
             "Usa uno de los algoritmos de Clerk (bcrypt, argon2id, pbkdf2_sha256, …) o vacía resumen y algoritmo para que el usuario restablezca la contraseña.".into()),
        ),
        Code::HasherNotInMigrationTool => (
            (format!("Password hasher {value} is one Clerk accepts but Clerk's migration tool does not: one such user aborts the tool's whole run, so this user is not in users.json."),
             "The user is in users.csv, which Clerk's CLI imports (clerk migrate import --source clerk, in a release that has the migrate command); or clear the digest and hasher so the user resets the password.".into()),
            (format!("El algoritmo {value} lo acepta Clerk pero no su herramienta de migración: un solo usuario así aborta toda la ejecución, así que este usuario no está en users.json."),
             "El usuario está en users.csv, que importa la CLI de Clerk (clerk migrate import --source clerk, en una versión que tenga el comando migrate); o vacía resumen y algoritmo para que el usuario restablezca la contraseña.".into()),
        ),
        Code::DigestShapeMismatch => (
            (format!("The password digest ({number} characters) does not have the shape Clerk documents for {value}; Clerk would refuse it."),
             "Check that the digest was copied whole and that the hasher is the right one.".into()),
            (format!("El resumen de contraseña ({number} caracteres) no tiene la forma que Clerk documenta para {value}; Clerk lo rechazaría."),
             "Comprueba que el resumen se copió entero y que el algoritmo es el correcto.".into()),
        ),
        Code::BcryptCostTooHigh => (
            (format!("The bcrypt digest has cost {number}; Clerk accepts at most 15."),
             "The user has to reset the password: clear the digest and hasher for this row.".into()),
            (format!("El resumen bcrypt tiene coste {number}; Clerk admite 15 como máximo."),
             "El usuario tendrá que restablecer la contraseña: vacía resumen y algoritmo en esta fila.".into()),
        ),
        Code::InvalidTotpSecret => (
            ("The TOTP secret is not base32 (letters A–Z and digits 2–7).".into(),
             "Clear it: the user sets up the authenticator app again after signing in.".into()),
            ("El secreto TOTP no está en base32 (letras A–Z y dígitos 2–7).".into(),
             "Vacíalo: el usuario volverá a configurar la app de autenticación tras iniciar sesión.".into()),
        ),
        Code::InvalidMetadata => (
            (format!("{field} is not a JSON object."),
             "Write it as a JSON object such as {\"plan\":\"pro\"}, or leave it empty.".into()),
            (format!("{field} no es un objeto JSON."),
             "Escríbelo como un objeto JSON como {\"plan\":\"pro\"}, o déjalo vacío.".into()),
        ),
        Code::InvalidBackupCodes => (
            ("backup_codes is not a list of codes.".into(),
             "Write the codes as a JSON array of strings, or separated by |, or leave the cell empty.".into()),
            ("backup_codes no es una lista de códigos.".into(),
             "Escribe los códigos como un array JSON de cadenas, o separados por |, o deja la celda vacía.".into()),
        ),
        Code::ProductionAmbiguous => (
            (format!("The user's identifiers belong to more than one production user, or to one already linked to another dev user ({list}): nothing is guessed."),
             "Look these production users up in the production Dashboard, decide which one is this person, and link it by hand (set its external_id to this dev id), or merge the accounts.".into()),
            (format!("Los identificadores del usuario pertenecen a más de un usuario de producción, o a uno ya vinculado a otro usuario de desarrollo ({list}): no se adivina nada."),
             "Busca esos usuarios en el Dashboard de producción, decide cuál es esta persona y vincúlalo a mano (pon este id de desarrollo como su external_id), o une las cuentas.".into()),
        ),
        Code::AlreadyInProduction => (
            (format!("This person already has a production account, {to} (same {from}: {value}); creating them would fail, so they are not in users.json."),
             "Run link-existing.sh after the import: it sets that account's external_id to this dev id, so the session claim carries the id your database knows. Then move what they wrote in production (link-existing.sql).".into()),
            (format!("Esta persona ya tiene cuenta en producción, {to} (mismo {}: {value}); crearla fallaría, así que no está en users.json.", matched_by_words(&from, Lang::Es)),
             "Ejecuta link-existing.sh tras la importación: pone este id de desarrollo como external_id de esa cuenta, así el claim de sesión lleva el id que conoce tu base de datos. Después mueve lo que escribió en producción (link-existing.sql).".into()),
        ),
        Code::ImportedEarlier => (
            (format!("An earlier run already imported this user: production user {value} has this dev id as its external_id. Left out so the run cannot fail on it."),
             "Nothing to do.".into()),
            (format!("Una ejecución anterior ya importó este usuario: el usuario de producción {value} tiene este id de desarrollo como external_id. Se deja fuera para que la ejecución no falle con él."),
             "Nada que hacer.".into()),
        ),
        Code::PhoneNormalised => (
            (format!("Phone number {from} is imported as {to}."),
             "Nothing to do, unless the digits are wrong.".into()),
            (format!("El teléfono {from} se importa como {to}."),
             "Nada que hacer, salvo que los dígitos estén mal.".into()),
        ),
        Code::PhoneCountryMayBeRefused => (
            (format!("Clerk has been reported to refuse numbers of this country ({value}); the user may be created without it."),
             "Check the user after the import; the number can be added again later.".into()),
            (format!("Se ha visto que Clerk rechaza números de este país ({value}); el usuario podría crearse sin él."),
             "Revisa el usuario tras importar; el número se puede volver a añadir después.".into()),
        ),
        Code::HasherWithoutPassword => (
            (format!("password_hasher is {value} but there is no digest; the hasher is left out."),
             "Nothing to do: the user signs in another way or resets the password.".into()),
            (format!("password_hasher es {value} pero no hay resumen; se omite el algoritmo."),
             "Nada que hacer: el usuario entra de otra forma o restablece la contraseña.".into()),
        ),
        Code::HasherNameNormalised => (
            (format!("Password hasher {from} is written as {to}, the exact name the migration tool requires."),
             "Nothing to do.".into()),
            (format!("El algoritmo {from} se escribe como {to}, el nombre exacto que exige la herramienta."),
             "Nada que hacer.".into()),
        ),
        Code::InsecureHasher => (
            (format!("{value} is a weak password hash; Clerk accepts it and re-hashes it with bcrypt at the user's first sign-in."),
             "Nothing to do now; users who never sign in keep the weak hash, so consider asking them to reset.".into()),
            (format!("{value} es un resumen débil; Clerk lo acepta y lo vuelve a calcular con bcrypt en el primer inicio de sesión."),
             "Nada que hacer ahora; quien nunca inicie sesión conserva el resumen débil: plantéate pedirles que la restablezcan.".into()),
        ),
        Code::TotpSecretNormalised => (
            ("The TOTP secret is imported in upper case without spaces or padding.".into(),
             "Nothing to do.".into()),
            ("El secreto TOTP se importa en mayúsculas, sin espacios ni relleno.".into(),
             "Nada que hacer.".into()),
        ),
        Code::UsernameOutsideDefaultRules => (
            (format!("Username {value} breaks Clerk's default rules (4–64 characters: letters, digits, - and _; not all digits; not a phone number)."),
             "If production keeps the default rules, rename the user here; otherwise relax the rules in the Dashboard (User & authentication → Username).".into()),
            (format!("El nombre de usuario {value} no cumple las reglas por defecto de Clerk (4–64 caracteres: letras, dígitos, - y _; no solo dígitos; no un teléfono)."),
             "Si producción mantiene las reglas por defecto, cambia aquí el nombre; si no, relaja las reglas en el Dashboard (User & authentication → Username).".into()),
        ),
        Code::NameDropped => (
            (format!("{field} {value} looks like a phone number, a link or HTML, which Clerk refuses; the user is imported without it."),
             "Nothing to do, unless you want to correct the name before importing.".into()),
            (format!("{field} {value} parece un teléfono, un enlace o HTML, que Clerk rechaza; el usuario se importa sin él."),
             "Nada que hacer, salvo que quieras corregir el nombre antes de importar.".into()),
        ),
        Code::InvalidCreatedAt => {
            // The number says why (see `validate::BadDate`); without one, it is not a date.
            let (why_en, why_es) = match (&issue.detail, number) {
                (Detail::ValueNumber(..), 1) => ("names no real day or time (a month 1–12, a day that month has, a time up to 23:59:59)", "no nombra un día o una hora reales (un mes de 1 a 12, un día que tenga ese mes, una hora hasta las 23:59:59)"),
                (Detail::ValueNumber(..), _) => ("is before 1970 or after 2099", "es anterior a 1970 o posterior a 2099"),
                _ => ("is not a date", "no es una fecha"),
            };
            (
                (format!("created_at {value} {why_en}; it is left out and Clerk sets the import time."),
                 "Give it as milliseconds since 1970 or an RFC 3339 date-time, or leave it out.".into()),
                (format!("created_at {value} {why_es}; se omite y Clerk pone la hora de la importación."),
                 "Indícalo en milisegundos desde 1970 o como fecha RFC 3339, o quítalo.".into()),
            )
        }
        Code::InstanceNoIdentifierLeft => (
            ("Once the identifiers the production instance has turned off are dropped, the user has none left.".into(),
             "Turn email, phone or username on in the production Dashboard (User & authentication), or leave the user out.".into()),
            ("Quitando los identificadores que la instancia de producción tiene desactivados, al usuario no le queda ninguno.".into(),
             "Activa correo, teléfono o nombre de usuario en el Dashboard de producción (User & authentication), o deja fuera al usuario.".into()),
        ),
        Code::InstanceRequiresEmail => (
            ("The production instance requires an email address and the user has no verified one.".into(),
             "Make email optional in the production Dashboard (User & authentication → Email), or add a verified address.".into()),
            ("La instancia de producción exige correo y el usuario no tiene ninguno verificado.".into(),
             "Haz opcional el correo en el Dashboard de producción (User & authentication → Email), o añade una dirección verificada.".into()),
        ),
        Code::InstanceRequiresPhone => (
            ("The production instance requires a phone number and the user has no verified one.".into(),
             "Make the phone number optional in the production Dashboard (User & authentication → Phone), or add a verified number.".into()),
            ("La instancia de producción exige teléfono y el usuario no tiene ninguno verificado.".into(),
             "Haz opcional el teléfono en el Dashboard de producción (User & authentication → Phone), o añade un número verificado.".into()),
        ),
        Code::InstanceRequiresUsername => (
            ("The production instance requires a username and the user has none.".into(),
             "Make the username optional in the production Dashboard (User & authentication → Username), or give the user one.".into()),
            ("La instancia de producción exige nombre de usuario y el usuario no tiene.".into(),
             "Haz opcional el nombre de usuario en el Dashboard de producción (User & authentication → Username), o dale uno.".into()),
        ),
        Code::InstanceRequiresName => (
            (format!("The production instance requires {value} and the user has none."),
             "Make names optional in the production Dashboard (User & authentication → Personal information), or fill the name in.".into()),
            (format!("La instancia de producción exige {value} y el usuario no lo tiene."),
             "Haz opcionales los nombres en el Dashboard de producción (User & authentication → Personal information), o rellena el nombre.".into()),
        ),
        Code::InstanceUsernameRules => (
            (format!("Username {value} breaks the production instance's username rules."),
             "Relax the rules in the production Dashboard (User & authentication → Username), or rename the user.".into()),
            (format!("El nombre de usuario {value} no cumple las reglas de la instancia de producción."),
             "Relaja las reglas en el Dashboard de producción (User & authentication → Username), o cambia el nombre.".into()),
        ),
        Code::InstancePasswordOnly => (
            ("Passwords are the production instance's only way to sign in, and the user has no password digest: they could not sign in.".into(),
             "Turn on an email code or link, or the user's OAuth provider, in the production Dashboard (User & authentication).".into()),
            ("La contraseña es la única forma de entrar en la instancia de producción y el usuario no tiene resumen de contraseña: no podría entrar.".into(),
             "Activa el código o enlace por correo, o el proveedor OAuth del usuario, en el Dashboard de producción (User & authentication).".into()),
        ),
        Code::InstanceTotpOff => (
            ("The user has a TOTP secret but the production instance has authenticator apps turned off; Clerk would refuse it.".into(),
             "Turn on authenticator apps in the production Dashboard (User & authentication → Multi-factor), or clear the secret.".into()),
            ("El usuario tiene secreto TOTP pero la instancia de producción tiene desactivadas las apps de autenticación; Clerk lo rechazaría.".into(),
             "Activa las apps de autenticación en el Dashboard de producción (User & authentication → Multi-factor), o vacía el secreto.".into()),
        ),
        Code::InstanceBackupCodesOff => (
            ("The user has backup codes but the production instance has backup codes turned off; Clerk would refuse them.".into(),
             "Turn on backup codes in the production Dashboard (User & authentication → Multi-factor), or leave the codes out.".into()),
            ("El usuario tiene códigos de respaldo pero la instancia de producción los tiene desactivados; Clerk los rechazaría.".into(),
             "Activa los códigos de respaldo en el Dashboard de producción (User & authentication → Multi-factor), o quita los códigos.".into()),
        ),
        Code::InstanceEmailOff => (
            ("The production instance has email addresses turned off: the user's are left out.".into(),
             "Turn email on in the production Dashboard (User & authentication → Email) to keep them.".into()),
            ("La instancia de producción tiene el correo desactivado: se omiten los del usuario.".into(),
             "Activa el correo en el Dashboard de producción (User & authentication → Email) para conservarlos.".into()),
        ),
        Code::InstancePhoneOff => (
            ("The production instance has phone numbers turned off: the user's are left out.".into(),
             "Turn phone numbers on in the production Dashboard (User & authentication → Phone) to keep them.".into()),
            ("La instancia de producción tiene el teléfono desactivado: se omiten los del usuario.".into(),
             "Activa el teléfono en el Dashboard de producción (User & authentication → Phone) para conservarlos.".into()),
        ),
        Code::InstanceUsernameOff => (
            ("The production instance has usernames turned off: the user's is left out.".into(),
             "Turn usernames on in the production Dashboard (User & authentication → Username) to keep it.".into()),
            ("La instancia de producción tiene el nombre de usuario desactivado: se omite el del usuario.".into(),
             "Activa el nombre de usuario en el Dashboard de producción (User & authentication → Username) para conservarlo.".into()),
        ),
        Code::LegalConsentRequired => (
            (plural(number,
                "The production instance requires legal consent; the 1 imported user has no record of accepting it and will be asked at the next sign-in.".to_string(),
                format!("The production instance requires legal consent; {number} imported users have no record of accepting it and will be asked at their next sign-in.")),
             "To import them as having accepted, set skipLegalChecks (or legalAcceptedAt) for them; otherwise nothing to do.".into()),
            (plural(number,
                "La instancia de producción exige aceptar las condiciones; el usuario importado no consta como aceptante y se le pedirá en su próximo inicio de sesión.".to_string(),
                format!("La instancia de producción exige aceptar las condiciones; {number} usuarios importados no constan como aceptantes y se les pedirá en su próximo inicio de sesión.")),
             "Para importarlos como aceptantes, indica skipLegalChecks (o legalAcceptedAt); si no, nada que hacer.".into()),
        ),
        Code::OAuthProvidersInProduction => (
            (format!("Production has these OAuth providers on: {list}. Users without a password who signed up with another provider cannot use it there."),
             "Such users sign in with an email code, or reset their password; or turn their provider on, with production credentials.".into()),
            (format!("Producción tiene activos estos proveedores OAuth: {list}. Los usuarios sin contraseña que usaron otro proveedor no podrán usarlo allí."),
             "Esos usuarios entran con un código por correo o restablecen la contraseña; o activa su proveedor, con credenciales de producción.".into()),
        ),
        Code::PasswordNotInExport => (
            ("The user has a password, but this JSON export carries no password digests; the user is imported without one.".into(),
             "Use the Dashboard's CSV export (Settings → User exports), the only one with digests, or expect the user to reset the password.".into()),
            ("El usuario tiene contraseña, pero esta exportación JSON no incluye resúmenes de contraseña; se importa sin ella.".into(),
             "Usa la exportación CSV del Dashboard (Settings → User exports), la única con resúmenes, o cuenta con que el usuario restablezca la contraseña.".into()),
        ),
        Code::TotpNotInExport => (
            ("The user has an authenticator app, but this JSON export carries no TOTP secrets; it is imported without one.".into(),
             "Use the Dashboard's CSV export, or expect the user to set up the authenticator app again.".into()),
            ("El usuario tiene app de autenticación, pero esta exportación JSON no incluye secretos TOTP; se importa sin él.".into(),
             "Usa la exportación CSV del Dashboard, o cuenta con que el usuario vuelva a configurar la app.".into()),
        ),
        Code::OnlyUnverifiedIdentifiers => (
            (format!("The user's only email addresses or phone numbers were never verified ({list}). Clerk's migration tool would create the first of them verified in production: an address nobody proved would become a verified sign-in, and Clerk links OAuth sign-ins by verified email."),
             "Have the user verify an address in development and export again, or leave the user out; to import them anyway, prepare again keeping unverified addresses (--keep-unverified, or the page's checkbox).".into()),
            (format!("Los únicos correos o teléfonos del usuario nunca se verificaron ({list}). La herramienta de migración de Clerk crearía el primero verificado en producción: una dirección que nadie comprobó pasaría a ser un inicio de sesión verificado, y Clerk vincula los inicios con OAuth por correo verificado."),
             "Pide al usuario que verifique una dirección en desarrollo y exporta de nuevo, o deja fuera al usuario; para importarlo de todos modos, vuelve a preparar conservando las direcciones sin verificar (--keep-unverified, o la casilla de la página).".into()),
        ),
        Code::UnverifiedLeftOut => (
            (format!("Not imported, never verified in development: {list}. The user can add them again in production."),
             "Nothing to do. To import them anyway, prepare again keeping unverified addresses (--keep-unverified, or the page's checkbox), knowing that the migration tool cannot keep them unverified.".into()),
            (format!("No se importan, nunca se verificaron en desarrollo: {list}. El usuario puede volver a añadirlas en producción."),
             "Nada que hacer. Para importarlas de todos modos, vuelve a preparar conservando las direcciones sin verificar (--keep-unverified, o la casilla de la página), sabiendo que la herramienta de migración no puede mantenerlas sin verificar.".into()),
        ),
        Code::UnverifiedKept => (
            (format!("Kept as asked, though never verified: {list}. The migration tool adds them after creating the user with no verified flag, so each takes Clerk's default state in production, not \"unverified\"."),
             "After the import, open this user in the production Dashboard and check each address's state.".into()),
            (format!("Se conservan como pediste, aunque nunca se verificaron: {list}. La herramienta de migración las añade tras crear el usuario sin indicador de verificación, así que cada una toma en producción el estado por defecto de Clerk, no \"sin verificar\"."),
             "Tras importar, abre este usuario en el Dashboard de producción y comprueba el estado de cada dirección.".into()),
        ),
        Code::UnverifiedMadeVerified => (
            (format!("Kept as asked, but the user has no verified address of that kind: the migration tool creates {list} as a verified address in production, although nobody proved it."),
             "Prepare without keeping unverified addresses to leave them out, or accept that this address becomes verified (Clerk links OAuth sign-ins by verified email).".into()),
            (format!("Se conserva como pediste, pero el usuario no tiene ninguna dirección verificada de ese tipo: la herramienta de migración crea {list} como dirección verificada en producción, aunque nadie la comprobó."),
             "Prepara sin conservar las direcciones sin verificar para dejarlas fuera, o acepta que esta dirección quede verificada (Clerk vincula los inicios con OAuth por correo verificado).".into()),
        ),
        Code::AddressesUnderUnreadKey => (
            (format!("Not imported: {list}. Clerk's migration tool does not read the keys email_addresses and phone_numbers of this flat JSON shape, so it would not import them either."),
             "If they were verified, list them under verified_email_addresses or verified_phone_numbers (otherwise under unverified_…) and prepare again.".into()),
            (format!("No se importan: {list}. La herramienta de migración de Clerk no lee las claves email_addresses ni phone_numbers de esta forma JSON plana, así que tampoco las importaría."),
             "Si estaban verificadas, ponlas en verified_email_addresses o verified_phone_numbers (si no, en unverified_…) y vuelve a preparar.".into()),
        ),
        Code::RowStartsWithHash => (
            ("The row starts with #. Clerk's migration tool skips such lines in a CSV as comments; this tool keeps the row.".into(),
             "Nothing to do: users.json is JSON, where the row cannot be mistaken for a comment.".into()),
            ("La fila empieza por #. La herramienta de migración de Clerk se salta esas líneas de un CSV como comentarios; esta herramienta conserva la fila.".into(),
             "Nada que hacer: users.json es JSON y ahí la fila no se confunde con un comentario.".into()),
        ),
        Code::ExtraCells => (
            (plural(number,
                "The row has 1 more cell than the header; it is ignored.".to_string(),
                format!("The row has {number} more cells than the header; they are ignored.")),
             "Check for an unquoted comma or semicolon inside a name, and quote that cell.".into()),
            (plural(number,
                "La fila tiene 1 celda más que la cabecera; se ignora.".to_string(),
                format!("La fila tiene {number} celdas más que la cabecera; se ignoran.")),
             "Busca una coma o un punto y coma sin comillas dentro de un nombre y pon esa celda entre comillas.".into()),
        ),
        // Line 0: the file ends inside the quote.
        Code::UnclosedQuote if number == 0 => (
            (format!("A quote opens in {value} on this row and never closes: the file ends inside it, so the rest of the row was read as that one cell."),
             "Remove the stray quote (or close it) in the export, then prepare it again.".into()),
            (format!("Unas comillas se abren en {value} en esta fila y no se cierran nunca: el archivo termina dentro de ellas, así que el resto de la fila se leyó como esa única celda."),
             "Quita las comillas sueltas (o ciérralas) en la exportación y vuelve a prepararla.".into()),
        ),
        Code::UnclosedQuote => (
            (format!("A quote opens in {value} on this row and does not close until line {number}: every line in between, rows included, was read as one cell, so those rows are not read at all."),
             "Remove the stray quote (or close it) in the export, then prepare it again.".into()),
            (format!("Unas comillas se abren en {value} en esta fila y no se cierran hasta la línea {number}: todas las líneas intermedias, filas incluidas, se leyeron como una sola celda, así que esas filas no se han leído."),
             "Quita las comillas sueltas (o ciérralas) en la exportación y vuelve a prepararla.".into()),
        ),
        Code::CellTooLarge => (
            (format!("{field} holds {} bytes, more than the {} this tool accepts in one cell. Clerk documents no limit for this field (its largest documented field, metadata, holds at most 8 KB), so the bound is this tool's own, chosen generously; no real value comes near it. The row is not imported and the value is not shown.", group_digits(Lang::En, number), "64 KB"),
             "Check the row: most likely the file is damaged or a stray quote joined cells. Shorten the value, or leave the user out.".into()),
            (format!("{field} contiene {} bytes, más de los {} que esta herramienta admite en una celda. Clerk no documenta ningún límite para este campo (su campo documentado más grande, los metadatos, admite 8 KB como máximo), así que el límite es de esta herramienta, elegido con holgura; ningún valor real se le acerca. La fila no se importa y el valor no se muestra.", group_digits(Lang::Es, number), "64 KB"),
             "Revisa la fila: lo más probable es que el archivo esté dañado o que unas comillas sueltas hayan unido celdas. Acorta el valor, o deja fuera al usuario.".into()),
        ),
        Code::RowTooLarge => (
            (format!("The row holds {} bytes, more than the {} this tool accepts for one user. Clerk documents no limit for a whole user, so the bound is this tool's own, chosen generously: every field at its largest (three metadata objects of 8 KB, a hundred addresses) comes to far less. Only its id was read; the row is not imported.", group_digits(Lang::En, number), "1 MB"),
             "Check the row: most likely the file is damaged or not a Clerk export. Fix the row, or leave the user out.".into()),
            (format!("La fila contiene {} bytes, más de los {} que esta herramienta admite para un usuario. Clerk no documenta ningún límite para un usuario entero, así que el límite es de esta herramienta, elegido con holgura: todos los campos en su tamaño máximo (tres objetos de metadatos de 8 KB, cien direcciones) suman mucho menos. Solo se ha leído su id; la fila no se importa.", group_digits(Lang::Es, number), "1 MB"),
             "Revisa la fila: lo más probable es que el archivo esté dañado o no sea una exportación de Clerk. Corrige la fila, o deja fuera al usuario.".into()),
        ),
        Code::UnusualUserId => (
            (format!("The user id {value} has characters Clerk never puts in an id (spaces, control characters, quotes, |, <, > or backticks). It is imported as it is, and shown escaped in every report."),
             "Check the row: the file may be damaged or edited by hand. If the id is what your database holds, nothing to do.".into()),
            (format!("El id de usuario {value} tiene caracteres que Clerk nunca pone en un id (espacios, caracteres de control, comillas, |, <, > o comillas invertidas). Se importa tal cual y se muestra escapado en todos los informes."),
             "Revisa la fila: puede que el archivo esté dañado o editado a mano. Si el id es el que guarda tu base de datos, nada que hacer.".into()),
        ),
        Code::NoPassword => (
            (plural(number,
                "1 accepted user has no password digest (signed up with OAuth, a one-time code or a magic link) and is imported without a password.".to_string(),
                format!("{number} accepted users have no password digest (they signed up with OAuth, a one-time code or a magic link) and are imported without a password.")),
             "Nothing to do: they sign in the same way, or reset the password. Production needs its own OAuth credentials for each provider.".into()),
            (plural(number,
                "1 usuario aceptado no tiene resumen de contraseña (se registró con OAuth, código de un solo uso o enlace mágico) y se importa sin contraseña.".to_string(),
                format!("{number} usuarios aceptados no tienen resumen de contraseña (se registraron con OAuth, código de un solo uso o enlace mágico) y se importan sin contraseña.")),
             "Nada que hacer: entran igual que antes, o restablecen la contraseña. Producción necesita sus propias credenciales OAuth para cada proveedor.".into()),
        ),
        Code::Utf8BomRemoved => (
            ("The file starts with a UTF-8 byte-order mark (a spreadsheet re-save). It was removed; given to the migration tool as it is, every row would have failed.".into(),
             "Nothing to do: use the users.json written here.".into()),
            ("El archivo empieza con una marca de orden de bytes UTF-8 (lo guardó una hoja de cálculo). Se ha quitado; tal cual, todas las filas habrían fallado en la herramienta.".into(),
             "Nada que hacer: usa el users.json generado aquí.".into()),
        ),
        Code::DecodedUtf16 => (
            (format!("The file is {value} (a spreadsheet's \"Unicode text\"); it was converted to UTF-8."),
             "Check a few names with accents in the results.".into()),
            (format!("El archivo está en {value} (\"texto Unicode\" de una hoja de cálculo); se ha convertido a UTF-8."),
             "Revisa en el resultado algunos nombres con tildes.".into()),
        ),
        Code::DecodedWindows1252 => (
            ("The file is not UTF-8; it was read as Windows-1252, the encoding spreadsheets use on Western Windows systems.".into(),
             "Check a few names with accents; if they look wrong, export again from the Dashboard and do not re-save in a spreadsheet.".into()),
            ("El archivo no está en UTF-8; se ha leído como Windows-1252, la codificación de las hojas de cálculo en Windows occidental.".into(),
             "Revisa algunos nombres con tildes; si se ven mal, exporta de nuevo desde el Dashboard sin volver a guardar en una hoja de cálculo.".into()),
        ),
        Code::DelimiterDetected => (
            (format!("Cells are separated by {value}, not commas (a spreadsheet re-save)."),
             "Nothing to do.".into()),
            (format!("Las celdas van separadas por {value}, no por comas (lo guardó una hoja de cálculo)."),
             "Nada que hacer.".into()),
        ),
        Code::IgnoredColumns => (
            (format!("These columns are not part of a Clerk export and are ignored: {list}."),
             "Nothing to do, unless one of them is a misspelt Clerk column.".into()),
            (format!("Estas columnas no forman parte de una exportación de Clerk y se ignoran: {list}."),
             "Nada que hacer, salvo que alguna sea una columna de Clerk mal escrita.".into()),
        ),
        Code::CommentLinesSkipped => (
            (format!("Comment lines starting with # were skipped (lines {list})."),
             "Nothing to do.".into()),
            (format!("Se han saltado las líneas de comentario que empiezan por # (líneas {list})."),
             "Nada que hacer.".into()),
        ),
        Code::DevInstanceLimit => (
            (format!("The export has {number} users; Clerk's development instances hold at most 100 (Clerk's documentation; the migration tool still assumes 500), so this is probably not a complete development export."),
             "Check that this is the export of the instance you mean to move.".into()),
            (format!("La exportación tiene {number} usuarios; las instancias de desarrollo de Clerk admiten 100 como máximo (según su documentación; la herramienta de migración aún supone 500), así que quizá no sea una exportación de desarrollo completa."),
             "Comprueba que es la exportación de la instancia que quieres mover.".into()),
        ),
    };
    lang.pick(en, es)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_and_round_trip() {
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
            assert!(code
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        }
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn every_code_has_words_in_both_languages() {
        for code in Code::ALL {
            let issue = Issue {
                row: 2,
                user_id: "user_1".into(),
                field: Field::PrimaryEmail,
                code: *code,
                detail: Detail::None,
            };
            for lang in Lang::ALL {
                assert!(!issue.message(lang).is_empty(), "{code:?}");
                assert!(!issue.fix(lang).is_empty(), "{code:?}");
            }
            assert_ne!(issue.message(Lang::En), issue.message(Lang::Es), "{code:?}");
        }
    }

    #[test]
    fn collisions_name_the_first_row() {
        let issue = Issue {
            row: 9,
            user_id: "user_9".into(),
            field: Field::PrimaryEmail,
            code: Code::DuplicateEmail,
            detail: Detail::Collision {
                value: "ada@example.com".into(),
                first_row: 3,
            },
        };
        assert!(issue.message(Lang::En).contains("row 3"));
        assert!(issue.message(Lang::Es).contains("fila 3"));
    }
}
