//! A user as the migration tool imports it: the tool's internal field names, absent fields
//! left out (the tool's schema rejects `null`), the primary address never repeated in a list.

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The dev user id; the tool makes it the production user's `external_id`.
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unverified_email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unverified_phone_numbers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_hasher: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp_secret: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backup_codes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsafe_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

impl User {
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// Every email address, primary first.
    pub fn all_emails(&self) -> impl Iterator<Item = &String> {
        self.email
            .iter()
            .chain(&self.email_addresses)
            .chain(&self.unverified_email_addresses)
    }

    /// Every phone number, primary first.
    pub fn all_phones(&self) -> impl Iterator<Item = &String> {
        self.phone
            .iter()
            .chain(&self.phone_numbers)
            .chain(&self.unverified_phone_numbers)
    }
}
