//! The production instance's own settings, read from its public environment document (what
//! Clerk's Frontend API serves at `https://<frontend API host>/v1/environment`), so users the
//! instance would refuse are found before the run, without its secret key and without a
//! request from here.

use serde_json::Value;

use crate::core::issue::{Code, Detail, Field, Issue};
use crate::core::user::User;

/// One user attribute's settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attribute {
    pub enabled: bool,
    pub required: bool,
    /// Signing in with it works without a password (a code or a link).
    pub passwordless: bool,
}

/// What the checks need from the instance's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstanceSettings {
    pub email: Attribute,
    pub phone: Attribute,
    pub username: Attribute,
    pub first_name: Attribute,
    pub last_name: Attribute,
    pub password: Attribute,
    pub authenticator_app: Attribute,
    pub backup_code: Attribute,
    pub legal_consent: bool,
    pub username_min: usize,
    pub username_max: usize,
    pub username_extended_characters: bool,
    pub username_numeric: bool,
    /// Enabled OAuth providers, e.g. `google`.
    pub oauth_providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSettings {
    NotJson(String),
    /// JSON, but neither an environment document nor user settings.
    Shape,
}

impl NotSettings {
    pub fn message(&self, lang: crate::core::lang::Lang) -> String {
        match self {
            NotSettings::NotJson(detail) => lang.pick(
                format!("The instance settings file is not JSON ({detail}). Save what https://<frontend API host>/v1/environment shows in a browser tab, as it is."),
                format!("El archivo de ajustes de la instancia no es JSON ({detail}). Guarda tal cual lo que muestra https://<host de la Frontend API>/v1/environment en una pestaña del navegador."),
            ),
            NotSettings::Shape => lang.pick(
                "The file is JSON but not a Clerk environment document: it has no user_settings.attributes. Save what https://<frontend API host>/v1/environment shows in a browser tab.".to_string(),
                "El archivo es JSON pero no un documento de entorno de Clerk: no tiene user_settings.attributes. Guarda lo que muestra https://<host de la Frontend API>/v1/environment en una pestaña del navegador.".to_string(),
            ),
        }
    }
}

fn attribute(attributes: &Value, name: &str) -> Attribute {
    let a = &attributes[name];
    let flag = |key: &str| a[key].as_bool().unwrap_or(false);
    let passwordless = flag("used_for_first_factor")
        && a["first_factors"]
            .as_array()
            .is_some_and(|f| f.iter().filter_map(Value::as_str).any(|s| s != "password"));
    Attribute {
        enabled: flag("enabled"),
        required: flag("required"),
        passwordless,
    }
}

/// Reads an environment document (or its `user_settings` alone).
pub fn read_settings(bytes: &[u8]) -> Result<InstanceSettings, NotSettings> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let value: Value =
        serde_json::from_str(text).map_err(|e| NotSettings::NotJson(e.to_string()))?;
    let settings = if value.get("user_settings").is_some() {
        &value["user_settings"]
    } else {
        &value
    };
    let attributes = &settings["attributes"];
    if !attributes.is_object() {
        return Err(NotSettings::Shape);
    }
    let usernames = &settings["username_settings"];
    let mut oauth_providers: Vec<String> = settings["social"]
        .as_object()
        .map(|social| {
            social
                .iter()
                .filter(|(_, p)| p["enabled"].as_bool().unwrap_or(false))
                .map(|(name, _)| name.trim_start_matches("oauth_").to_string())
                .collect()
        })
        .unwrap_or_default();
    oauth_providers.sort();
    Ok(InstanceSettings {
        email: attribute(attributes, "email_address"),
        phone: attribute(attributes, "phone_number"),
        username: attribute(attributes, "username"),
        first_name: attribute(attributes, "first_name"),
        last_name: attribute(attributes, "last_name"),
        password: attribute(attributes, "password"),
        authenticator_app: attribute(attributes, "authenticator_app"),
        backup_code: attribute(attributes, "backup_code"),
        legal_consent: settings["sign_up"]["legal_consent_enabled"]
            .as_bool()
            .unwrap_or(false),
        username_min: usernames["min_length"].as_u64().unwrap_or(4) as usize,
        username_max: usernames["max_length"].as_u64().unwrap_or(64) as usize,
        username_extended_characters: usernames["allow_extended_special_characters"]
            .as_bool()
            .unwrap_or(false),
        username_numeric: usernames["allow_numeric_usernames"]
            .as_bool()
            .unwrap_or(false),
        oauth_providers,
    })
}

impl InstanceSettings {
    /// No way in without a password: no passwordless identifier and no OAuth provider.
    pub fn password_only(&self) -> bool {
        self.password.enabled
            && ![self.email, self.phone, self.username]
                .iter()
                .any(|a| a.enabled && a.passwordless)
            && self.oauth_providers.is_empty()
    }

    fn username_fits(&self, username: &str) -> bool {
        let length = username.chars().count();
        let characters = username.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c == '-'
                || c == '_'
                || (self.username_extended_characters && c.is_ascii_punctuation())
        });
        (self.username_min..=self.username_max).contains(&length)
            && characters
            && (self.username_numeric || !username.chars().all(|c| c.is_ascii_digit()))
    }

    /// Checks one accepted user against the instance; drops what the instance has turned off.
    pub fn check(&self, user: &mut User, line: usize, issues: &mut Vec<Issue>) {
        let id: Box<str> = user.user_id.as_str().into();
        let mut add = |field: Field, code: Code, detail: Detail| {
            issues.push(Issue {
                row: line,
                user_id: id.clone(),
                field,
                code,
                detail,
            })
        };
        // Identifiers the instance has turned off are dropped (with a warning).
        if !self.email.enabled && user.all_emails().next().is_some() {
            add(Field::PrimaryEmail, Code::InstanceEmailOff, Detail::None);
            user.email = None;
            user.email_addresses.clear();
            user.unverified_email_addresses.clear();
        }
        if !self.phone.enabled && user.all_phones().next().is_some() {
            add(Field::PrimaryPhone, Code::InstancePhoneOff, Detail::None);
            user.phone = None;
            user.phone_numbers.clear();
            user.unverified_phone_numbers.clear();
        }
        if !self.username.enabled && user.username.is_some() {
            add(Field::Username, Code::InstanceUsernameOff, Detail::None);
            user.username = None;
        }
        let has_identifier = user.all_emails().next().is_some()
            || user.all_phones().next().is_some()
            || user.username.is_some();
        if !has_identifier {
            add(Field::Row, Code::InstanceNoIdentifierLeft, Detail::None);
            return;
        }
        // Required attributes (an email or phone counts only when verified).
        if self.email.required && user.email.is_none() {
            add(
                Field::PrimaryEmail,
                Code::InstanceRequiresEmail,
                Detail::None,
            );
        }
        if self.phone.required && user.phone.is_none() {
            add(
                Field::PrimaryPhone,
                Code::InstanceRequiresPhone,
                Detail::None,
            );
        }
        if self.username.required && user.username.is_none() {
            add(
                Field::Username,
                Code::InstanceRequiresUsername,
                Detail::None,
            );
        }
        if self.first_name.enabled && self.first_name.required && user.first_name.is_none() {
            add(
                Field::FirstName,
                Code::InstanceRequiresName,
                Detail::Value("first_name".into()),
            );
        }
        if self.last_name.enabled && self.last_name.required && user.last_name.is_none() {
            add(
                Field::LastName,
                Code::InstanceRequiresName,
                Detail::Value("last_name".into()),
            );
        }
        if let Some(username) = &user.username {
            if !self.username_fits(username) {
                let rule = format!("{}–{}", self.username_min, self.username_max);
                add(
                    Field::Username,
                    Code::InstanceUsernameRules,
                    Detail::ValueNumber(format!("{username} ({rule})").into(), 0),
                );
            }
        }
        if user.password.is_none() && self.password_only() {
            add(
                Field::PasswordDigest,
                Code::InstancePasswordOnly,
                Detail::None,
            );
        }
        if user.totp_secret.is_some() && !self.authenticator_app.enabled {
            add(Field::TotpSecret, Code::InstanceTotpOff, Detail::None);
        }
        if !user.backup_codes.is_empty() && !self.backup_code.enabled {
            add(
                Field::BackupCodes,
                Code::InstanceBackupCodesOff,
                Detail::None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_an_environment_document() {
        assert!(matches!(
            read_settings(b"not json"),
            Err(NotSettings::NotJson(_))
        ));
        assert_eq!(
            read_settings(b"{\"auth_config\": {}}"),
            Err(NotSettings::Shape)
        );
        assert_eq!(read_settings(b"[]"), Err(NotSettings::Shape));
    }

    #[test]
    fn username_rules_follow_the_instance() {
        let mut s = InstanceSettings {
            username_min: 3,
            username_max: 5,
            ..InstanceSettings::default()
        };
        assert!(s.username_fits("ada"));
        assert!(!s.username_fits("adalovelace"));
        assert!(!s.username_fits("a.b"));
        assert!(!s.username_fits("123"));
        s.username_extended_characters = true;
        s.username_numeric = true;
        assert!(s.username_fits("a.b") && s.username_fits("123"));
    }
}
