//! One user as an export states it, whatever the export's format: the meeting point of the
//! CSV and JSON readers and the input of validation.

use serde_json::Value;

use crate::core::issue::Field;

/// A value that may come from a CSV cell (text) or a JSON export (any JSON value).
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Text(String),
    Json(Value),
}

/// One data row of an export, with every field as read (only the formula guard removed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportRecord {
    /// The line the row starts on, as a text editor numbers it.
    pub line: usize,
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub primary_email: String,
    pub verified_emails: Vec<String>,
    pub unverified_emails: Vec<String>,
    pub primary_phone: String,
    pub verified_phones: Vec<String>,
    pub unverified_phones: Vec<String>,
    pub totp_secret: String,
    pub password_digest: String,
    pub password_hasher: String,
    pub backup_codes: Option<Raw>,
    pub public_metadata: Option<Raw>,
    pub private_metadata: Option<Raw>,
    pub unsafe_metadata: Option<Raw>,
    pub created_at: Option<Raw>,
    /// A production export's link back to the dev user (empty in a dev export).
    pub external_id: String,
    /// JSON exports say whether a user had a password or an authenticator app even though
    /// they never carry the secrets themselves.
    pub password_enabled: bool,
    pub totp_enabled: bool,
    /// Addresses held under keys Clerk's migration tool does not read (a flat JSON file's
    /// `email_addresses` and `phone_numbers`), when no other field lists them: named on the
    /// row, never silently lost.
    pub unread_addresses: Vec<String>,
    /// A CSV row whose first byte is `#`.
    pub starts_with_hash: bool,
    /// Cells beyond the header's columns.
    pub extra_cells: usize,
    /// A quote opened in this CSV row swallows the lines after it: the column it opened in
    /// and the line the record runs to.
    pub unclosed_quote: Option<(String, usize)>,
    /// Fields whose value is over [`MAX_CELL_BYTES`], with their size; the value itself is
    /// not kept (left empty), so nothing can quote or import it.
    pub too_large: Vec<(Field, usize)>,
    /// The row's size, when it is over [`MAX_ROW_BYTES`]: then only its id is read.
    pub row_too_large: Option<usize>,
}

/// The most one cell (or one JSON value) may hold. Clerk documents no limit for names,
/// addresses or digests; its largest documented field is metadata, at most 8 KB each. Eight
/// times that leaves room for any real value, and stops a damaged or hostile file (a stray
/// quote that joins cells, a 50 MB name) before it costs time or memory or reaches Clerk.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// The most one row (a CSV record, a JSON user object) may hold. Clerk documents no limit for
/// a whole user; every field at its largest (three metadata objects of 8 KB, a hundred
/// addresses of 254 characters, a digest) comes to well under a tenth of this.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;

/// Removes the formula guard a spreadsheet-safe export puts before `= + - @` (one TAB, or the
/// apostrophe `rejected.csv` uses, so a corrected `rejected.csv` reads back as it was), and the
/// spaces around a value.
pub fn clean_cell(cell: &str) -> &str {
    let unguarded = match cell.strip_prefix(['\t', '\'']) {
        Some(rest) if rest.starts_with(crate::core::emit::FORMULA_STARTS) => rest,
        _ => cell,
    };
    unguarded.trim()
}

/// Splits a multi-valued cell: `a|b`, a quoted `a,b`, or a JSON array `["a","b"]`.
pub fn parse_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    each_list_item(cell, |item| items.push(item.to_string()));
    items
}

/// [`parse_list`], each item handed over as it is found (borrowed from the cell, but for a
/// JSON array's): a reader that keeps no list allocates nothing.
pub fn each_list_item(cell: &str, each: impl FnMut(&str)) {
    let cell = clean_cell(cell);
    if cell.is_empty() {
        return;
    }
    if cell.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<String>>(cell) {
            items
                .iter()
                .map(|s| clean_cell(s))
                .filter(|s| !s.is_empty())
                .for_each(each);
            return;
        }
    }
    let separator = if cell.contains('|') { '|' } else { ',' };
    cell.split(separator)
        .map(clean_cell)
        .filter(|s| !s.is_empty())
        .for_each(each);
}

/// The columns this tool reads, named as in Clerk's exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    FirstName,
    LastName,
    Username,
    PrimaryEmail,
    PrimaryPhone,
    VerifiedEmails,
    UnverifiedEmails,
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
    ExternalId,
}

/// The 13 columns of the Dashboard export, in Clerk's order.
pub const DASHBOARD_COLUMNS: [&str; 13] = [
    "id",
    "first_name",
    "last_name",
    "username",
    "primary_email_address",
    "primary_phone_number",
    "verified_email_addresses",
    "unverified_email_addresses",
    "verified_phone_numbers",
    "unverified_phone_numbers",
    "totp_secret",
    "password_digest",
    "password_hasher",
];

impl Column {
    /// Reads a header cell or JSON key (any case, surrounding space and quotes ignored).
    pub fn from_name(name: &str) -> Option<Column> {
        let name = name.trim().trim_matches('"').trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "id" => Column::Id,
            "first_name" => Column::FirstName,
            "last_name" => Column::LastName,
            "username" => Column::Username,
            "primary_email_address" => Column::PrimaryEmail,
            "primary_phone_number" => Column::PrimaryPhone,
            "verified_email_addresses" => Column::VerifiedEmails,
            "unverified_email_addresses" => Column::UnverifiedEmails,
            "verified_phone_numbers" => Column::VerifiedPhones,
            "unverified_phone_numbers" => Column::UnverifiedPhones,
            "totp_secret" => Column::TotpSecret,
            "password_digest" => Column::PasswordDigest,
            "password_hasher" => Column::PasswordHasher,
            "backup_codes" => Column::BackupCodes,
            "public_metadata" => Column::PublicMetadata,
            "private_metadata" => Column::PrivateMetadata,
            "unsafe_metadata" => Column::UnsafeMetadata,
            "created_at" => Column::CreatedAt,
            "external_id" => Column::ExternalId,
            _ => return None,
        })
    }
}

impl Column {
    /// The field of a finding about this column.
    pub fn field(self) -> Field {
        match self {
            Column::Id => Field::Id,
            Column::FirstName => Field::FirstName,
            Column::LastName => Field::LastName,
            Column::Username => Field::Username,
            Column::PrimaryEmail => Field::PrimaryEmail,
            Column::PrimaryPhone => Field::PrimaryPhone,
            Column::VerifiedEmails => Field::VerifiedEmails,
            Column::UnverifiedEmails => Field::UnverifiedEmails,
            Column::VerifiedPhones => Field::VerifiedPhones,
            Column::UnverifiedPhones => Field::UnverifiedPhones,
            Column::TotpSecret => Field::TotpSecret,
            Column::PasswordDigest => Field::PasswordDigest,
            Column::PasswordHasher => Field::PasswordHasher,
            Column::BackupCodes => Field::BackupCodes,
            Column::PublicMetadata => Field::PublicMetadata,
            Column::PrivateMetadata => Field::PrivateMetadata,
            Column::UnsafeMetadata => Field::UnsafeMetadata,
            Column::CreatedAt => Field::CreatedAt,
            Column::ExternalId => Field::Row,
        }
    }
}

impl ExportRecord {
    /// Stores a CSV cell (or a JSON string) under its column; a cell over
    /// [`MAX_CELL_BYTES`] is noted in `too_large` instead.
    pub fn set_text(&mut self, column: Column, cell: &str) {
        if cell.len() > MAX_CELL_BYTES {
            self.too_large.push((column.field(), cell.len()));
            return;
        }
        let text = || clean_cell(cell).to_string();
        let raw = || {
            let cell = clean_cell(cell);
            (!cell.is_empty()).then(|| Raw::Text(cell.to_string()))
        };
        match column {
            Column::Id => self.id = text(),
            Column::FirstName => self.first_name = text(),
            Column::LastName => self.last_name = text(),
            Column::Username => self.username = text(),
            Column::PrimaryEmail => self.primary_email = text(),
            Column::PrimaryPhone => self.primary_phone = text(),
            Column::VerifiedEmails => self.verified_emails = parse_list(cell),
            Column::UnverifiedEmails => self.unverified_emails = parse_list(cell),
            Column::VerifiedPhones => self.verified_phones = parse_list(cell),
            Column::UnverifiedPhones => self.unverified_phones = parse_list(cell),
            Column::TotpSecret => self.totp_secret = text(),
            Column::PasswordDigest => self.password_digest = text(),
            Column::PasswordHasher => self.password_hasher = text(),
            Column::BackupCodes => self.backup_codes = raw(),
            Column::PublicMetadata => self.public_metadata = raw(),
            Column::PrivateMetadata => self.private_metadata = raw(),
            Column::UnsafeMetadata => self.unsafe_metadata = raw(),
            Column::CreatedAt => self.created_at = raw(),
            Column::ExternalId => self.external_id = text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_is_removed_only_before_formula_characters() {
        assert_eq!(clean_cell("\t+14155550100"), "+14155550100");
        assert_eq!(clean_cell("\t@handle"), "@handle");
        assert_eq!(clean_cell(" ada "), "ada");
        assert_eq!(clean_cell("\tplain"), "plain");
        assert_eq!(clean_cell("'+14155550100"), "+14155550100");
        assert_eq!(clean_cell("O'Brien"), "O'Brien");
    }

    #[test]
    fn lists_in_every_form() {
        let both = vec!["a@x.io".to_string(), "b@x.io".to_string()];
        assert_eq!(parse_list("a@x.io|b@x.io"), both);
        assert_eq!(parse_list("a@x.io, b@x.io"), both);
        assert_eq!(parse_list(r#"["a@x.io","b@x.io"]"#), both);
        assert_eq!(parse_list("\t+14155550100|+14155550101").len(), 2);
        assert!(parse_list("").is_empty());
        assert!(parse_list(" | ").is_empty());
    }

    #[test]
    fn columns_are_read_in_any_case() {
        assert_eq!(Column::from_name(" ID "), Some(Column::Id));
        assert_eq!(
            Column::from_name("\"Password_Hasher\""),
            Some(Column::PasswordHasher)
        );
        assert_eq!(Column::from_name("email"), None);
        for name in DASHBOARD_COLUMNS {
            assert!(Column::from_name(name).is_some(), "{name}");
        }
    }
}
