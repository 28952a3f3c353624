//! What a person calls each kind of problem and each field of the export, in English and
//! Spanish: the page shows these, and the stable codes and column names only beside them.
//! Each `match` is exhaustive, so a new code or field without its words fails to compile.

use crate::core::issue::{Code, Field, Severity};
use crate::core::lang::Lang;

impl Severity {
    /// One word: "Error", "Warning", "Info".
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, es) = match self {
            Severity::Error => ("Error", "Error"),
            Severity::Warning => ("Warning", "Aviso"),
            Severity::Info => ("Info", "Información"),
        };
        lang.pick(en, es)
    }
}

impl Field {
    /// The field as a person names it: "Primary email" for `primary_email_address`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, es) = match self {
            Field::Row => ("Whole row", "Toda la fila"),
            Field::Id => ("User id", "Id de usuario"),
            Field::FirstName => ("First name", "Nombre"),
            Field::LastName => ("Last name", "Apellidos"),
            Field::Username => ("Username", "Nombre de usuario"),
            Field::PrimaryEmail => ("Primary email", "Correo principal"),
            Field::VerifiedEmails => ("Verified emails", "Correos verificados"),
            Field::UnverifiedEmails => ("Unverified emails", "Correos sin verificar"),
            Field::PrimaryPhone => ("Primary phone", "Teléfono principal"),
            Field::VerifiedPhones => ("Verified phones", "Teléfonos verificados"),
            Field::UnverifiedPhones => ("Unverified phones", "Teléfonos sin verificar"),
            Field::TotpSecret => ("Authenticator secret", "Secreto de autenticación"),
            Field::PasswordDigest => ("Password digest", "Resumen de contraseña"),
            Field::PasswordHasher => ("Password hasher", "Algoritmo de contraseña"),
            Field::BackupCodes => ("Backup codes", "Códigos de respaldo"),
            Field::PublicMetadata => ("Public metadata", "Metadatos públicos"),
            Field::PrivateMetadata => ("Private metadata", "Metadatos privados"),
            Field::UnsafeMetadata => ("Unsafe metadata", "Metadatos no seguros"),
            Field::CreatedAt => ("Created at", "Fecha de creación"),
        };
        lang.pick(en, es)
    }

    /// The column (or JSON key) the export names it by; None for the row as a whole.
    pub fn column(self) -> Option<&'static str> {
        (self != Field::Row).then(|| self.as_str())
    }
}

impl Code {
    /// The kind of problem as a person names it: "Duplicate email" for `duplicate_email`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, es) = match self {
            Code::MissingUserId => ("Missing user id", "Falta el id de usuario"),
            Code::DuplicateUserId => ("Duplicate user id", "Id de usuario repetido"),
            Code::UserIdTooLong => ("User id too long", "Id de usuario demasiado largo"),
            Code::NoIdentifier => ("No way to sign in", "Sin forma de iniciar sesión"),
            Code::InvalidEmail => ("Invalid email", "Correo no válido"),
            Code::EmailRefusedByClerk => ("Email Clerk refuses", "Correo que Clerk rechaza"),
            Code::DuplicateEmail => ("Duplicate email", "Correo repetido"),
            Code::InvalidPhone => ("Invalid phone number", "Teléfono no válido"),
            Code::DuplicatePhone => ("Duplicate phone number", "Teléfono repetido"),
            Code::DuplicateUsername => ("Duplicate username", "Nombre de usuario repetido"),
            Code::PasswordWithoutHasher => {
                ("Password without a hasher", "Contraseña sin algoritmo")
            }
            Code::UnknownHasher => ("Unknown password hasher", "Algoritmo desconocido"),
            Code::HasherNotInMigrationTool => (
                "Hasher the migration tool lacks",
                "Algoritmo que la herramienta no tiene",
            ),
            Code::DigestShapeMismatch => {
                ("Digest of the wrong shape", "Resumen con forma incorrecta")
            }
            Code::BcryptCostTooHigh => ("bcrypt cost too high", "Coste de bcrypt demasiado alto"),
            Code::InvalidTotpSecret => (
                "Invalid authenticator secret",
                "Secreto de autenticación no válido",
            ),
            Code::InvalidMetadata => ("Invalid metadata", "Metadatos no válidos"),
            Code::InvalidBackupCodes => ("Invalid backup codes", "Códigos de respaldo no válidos"),
            Code::ProductionAmbiguous => (
                "Matches several production users",
                "Coincide con varios usuarios de producción",
            ),
            Code::OnlyUnverifiedIdentifiers => (
                "Only unverified addresses",
                "Solo direcciones sin verificar",
            ),
            Code::UnclosedQuote => ("Quote never closed", "Comillas sin cerrar"),
            Code::CellTooLarge => ("Cell too large", "Celda demasiado grande"),
            Code::RowTooLarge => ("Row too large", "Fila demasiado grande"),
            Code::InstanceNoIdentifierLeft => (
                "No identifier production allows",
                "Sin identificador que producción admita",
            ),
            Code::InstanceRequiresEmail => {
                ("Production requires an email", "Producción exige correo")
            }
            Code::InstanceRequiresPhone => {
                ("Production requires a phone", "Producción exige teléfono")
            }
            Code::InstanceRequiresUsername => (
                "Production requires a username",
                "Producción exige nombre de usuario",
            ),
            Code::InstanceRequiresName => ("Production requires a name", "Producción exige nombre"),
            Code::InstanceUsernameRules => (
                "Username breaks production's rules",
                "Nombre de usuario fuera de las reglas de producción",
            ),
            Code::InstancePasswordOnly => (
                "Password-only sign-in, no password",
                "Solo contraseña, y no tiene",
            ),
            Code::InstanceTotpOff => (
                "Authenticator apps off in production",
                "Apps de autenticación desactivadas en producción",
            ),
            Code::InstanceBackupCodesOff => (
                "Backup codes off in production",
                "Códigos de respaldo desactivados en producción",
            ),
            Code::InstanceEmailOff => (
                "Email off in production",
                "Correo desactivado en producción",
            ),
            Code::InstancePhoneOff => (
                "Phone off in production",
                "Teléfono desactivado en producción",
            ),
            Code::InstanceUsernameOff => (
                "Username off in production",
                "Nombre de usuario desactivado en producción",
            ),
            Code::AlreadyInProduction => ("Already in production", "Ya está en producción"),
            Code::ImportedEarlier => ("Imported earlier", "Importado antes"),
            Code::PhoneNormalised => ("Phone number rewritten", "Teléfono reescrito"),
            Code::PhoneCountryMayBeRefused => (
                "Phone country may be refused",
                "País del teléfono quizá rechazado",
            ),
            Code::HasherWithoutPassword => {
                ("Hasher without a password", "Algoritmo sin contraseña")
            }
            Code::HasherNameNormalised => {
                ("Hasher name rewritten", "Nombre de algoritmo reescrito")
            }
            Code::InsecureHasher => ("Weak password hash", "Resumen de contraseña débil"),
            Code::TotpSecretNormalised => (
                "Authenticator secret rewritten",
                "Secreto de autenticación reescrito",
            ),
            Code::UsernameOutsideDefaultRules => (
                "Username outside default rules",
                "Nombre de usuario fuera de las reglas por defecto",
            ),
            Code::NameDropped => ("Name left out", "Nombre omitido"),
            Code::InvalidCreatedAt => ("Invalid creation date", "Fecha de creación no válida"),
            Code::PasswordNotInExport => (
                "Password not in the export",
                "Contraseña no incluida en la exportación",
            ),
            Code::TotpNotInExport => (
                "Authenticator secret not in the export",
                "Secreto de autenticación no incluido en la exportación",
            ),
            Code::UnverifiedLeftOut => (
                "Unverified addresses left out",
                "Direcciones sin verificar omitidas",
            ),
            Code::UnverifiedKept => (
                "Unverified addresses kept",
                "Direcciones sin verificar conservadas",
            ),
            Code::UnverifiedMadeVerified => (
                "Unverified address becomes verified",
                "Dirección sin verificar pasa a verificada",
            ),
            Code::AddressesUnderUnreadKey => (
                "Addresses under a key not read",
                "Direcciones bajo una clave que no se lee",
            ),
            Code::RowStartsWithHash => ("Row starts with #", "La fila empieza por #"),
            Code::ExtraCells => ("Extra cells", "Celdas de más"),
            Code::UnusualUserId => ("Unusual user id", "Id de usuario inusual"),
            Code::NoPassword => ("No password", "Sin contraseña"),
            Code::Utf8BomRemoved => ("Byte-order mark removed", "Marca de orden de bytes quitada"),
            Code::DecodedUtf16 => ("Read as UTF-16", "Leído como UTF-16"),
            Code::DecodedWindows1252 => ("Read as Windows-1252", "Leído como Windows-1252"),
            Code::DelimiterDetected => ("Separator detected", "Separador detectado"),
            Code::IgnoredColumns => ("Columns ignored", "Columnas ignoradas"),
            Code::CommentLinesSkipped => ("Comment lines skipped", "Líneas de comentario omitidas"),
            Code::DevInstanceLimit => (
                "Development instance limit",
                "Límite de la instancia de desarrollo",
            ),
            Code::LegalConsentRequired => (
                "Legal consent required",
                "Aceptación de condiciones exigida",
            ),
            Code::OAuthProvidersInProduction => (
                "OAuth providers in production",
                "Proveedores OAuth en producción",
            ),
        };
        lang.pick(en, es)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_label_in_each_language() {
        for lang in Lang::ALL {
            let mut labels: Vec<&str> = Code::ALL.iter().map(|c| c.label(lang)).collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), Code::ALL.len(), "{lang:?}");
        }
        assert_eq!(Code::DuplicateEmail.label(Lang::En), "Duplicate email");
        assert_eq!(Field::PrimaryEmail.label(Lang::Es), "Correo principal");
        assert_eq!(Field::Row.column(), None);
        assert_eq!(Field::PrimaryEmail.column(), Some("primary_email_address"));
    }
}
