//! From an export record to an importable user and the problems found on the way. Rules that
//! need only the row are here; duplicates across rows are in [`Claims`].

use std::collections::HashSet;

use serde_json::{Map, Value};
use xxhash_rust::xxh3::xxh3_128_with_seed;

use crate::core::escape;
use crate::core::issue::{Code, Detail, Field, Issue, Severity};
use crate::core::record::{parse_list, ExportRecord, Raw, MAX_CELL_BYTES};
use crate::core::redact;
use crate::core::rules::{self, DigestFit, Phone};
use crate::core::user::User;

/// Clerk's `external_id` limit.
pub const MAX_USER_ID_CHARS: usize = 64;

/// A row after validation: the user as it would be imported, and what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub line: usize,
    pub user: User,
    pub issues: Vec<Issue>,
}

impl Checked {
    pub fn is_rejected(&self) -> bool {
        rejects(&self.issues)
    }

    /// Whether the user belongs in `users.csv`: accepted, or rejected only because Clerk's
    /// migration tool cannot take it while Clerk's other importers can.
    pub fn is_importable_elsewhere(&self) -> bool {
        importable_elsewhere(&self.issues)
    }
}

fn importable_elsewhere(issues: &[Issue]) -> bool {
    issues
        .iter()
        .filter(|i| i.severity() == Severity::Error)
        .all(|i| i.code == Code::HasherNotInMigrationTool)
}

/// Whether these findings reject their row: any error does.
fn rejects(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity() == Severity::Error)
}

/// The issues of one row; their user id is filled in once the row is done, so a row without
/// problems allocates nothing here.
struct Findings {
    line: usize,
    issues: Vec<Issue>,
}

impl Findings {
    fn add(&mut self, field: Field, code: Code, detail: Detail) {
        self.issues.push(Issue {
            row: self.line,
            user_id: Box::default(),
            field,
            code,
            detail,
        });
    }
}

fn value(s: &str) -> Detail {
    Detail::Value(s.into())
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Choices about a row that the user makes, not the export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowRules {
    /// Import the addresses the export lists as unverified instead of leaving them out.
    /// Clerk's migration tool cannot keep them unverified: with no verified address of the
    /// same kind it creates the first one verified, and it adds every later address with no
    /// `verified` flag, so each ends up in Clerk's default state.
    pub keep_unverified: bool,
}

/// Checks one row on its own with the default rules (unverified addresses left out).
pub fn check_row(record: ExportRecord) -> Checked {
    check_row_with(record, RowRules::default())
}

/// Checks one row on its own. The record's strings move into the user: no copies.
pub fn check_row_with(mut record: ExportRecord, rules: RowRules) -> Checked {
    let mut found = Findings {
        line: record.line,
        issues: Vec::new(),
    };
    let mut user = User::default();

    // A row or a value over what this tool accepts is rejected for that alone: nothing else
    // in it is checked, quoted or imported.
    bound_fields(&mut record);
    if let Some(bytes) = record.row_too_large {
        found.add(Field::Row, Code::RowTooLarge, Detail::Number(bytes));
    }
    for &(field, bytes) in &record.too_large {
        found.add(field, Code::CellTooLarge, Detail::Number(bytes));
    }
    if !found.issues.is_empty() {
        for issue in &mut found.issues {
            issue.user_id = record.id.as_str().into();
        }
        user.user_id = record.id;
        return Checked {
            line: record.line,
            user,
            issues: found.issues,
        };
    }

    if record.id.is_empty() {
        found.add(Field::Id, Code::MissingUserId, Detail::None);
    } else if record.id.len() > MAX_USER_ID_CHARS && record.id.chars().count() > MAX_USER_ID_CHARS {
        found.add(
            Field::Id,
            Code::UserIdTooLong,
            Detail::Number(record.id.chars().count()),
        );
    }
    if escape::unusual_id(&record.id) {
        let shown = escape::visible(&record.id);
        found.add(Field::Id, Code::UnusualUserId, value(&shown));
    }
    let has_any_identifier = !record.primary_email.is_empty()
        || !record.verified_emails.is_empty()
        || !record.unverified_emails.is_empty()
        || !record.primary_phone.is_empty()
        || !record.verified_phones.is_empty()
        || !record.unverified_phones.is_empty()
        || !record.username.is_empty();
    if !record.unread_addresses.is_empty() {
        let list = Detail::List(record.unread_addresses.join(", ").into());
        found.add(Field::Row, Code::AddressesUnderUnreadKey, list);
    }
    if !has_any_identifier {
        found.add(Field::Row, Code::NoIdentifier, Detail::None);
    }

    let unverified_emails = check_emails(&mut record, &mut user, &mut found, rules.keep_unverified);
    let unverified_phones = check_phones(&record, &mut user, &mut found, rules.keep_unverified);
    check_password(&mut record, &mut user, &mut found);
    check_totp(&record, &mut user, &mut found);
    check_extras(&record, &mut user, &mut found);

    if !record.username.is_empty() {
        if !rules::username_meets_default_rules(&record.username) {
            found.add(
                Field::Username,
                Code::UsernameOutsideDefaultRules,
                value(&record.username),
            );
        }
        user.username = Some(std::mem::take(&mut record.username));
    }
    for (field, name, slot) in [
        (
            Field::FirstName,
            &mut record.first_name,
            &mut user.first_name,
        ),
        (Field::LastName, &mut record.last_name, &mut user.last_name),
    ] {
        if name.is_empty() {
            continue;
        }
        if rules::name_is_refused(name) {
            found.add(field, Code::NameDropped, value(name));
        } else {
            *slot = Some(std::mem::take(name));
        }
    }

    settle_unverified(
        &mut user,
        unverified_emails,
        unverified_phones,
        rules.keep_unverified,
        &mut found,
    );
    if record.starts_with_hash {
        found.add(Field::Id, Code::RowStartsWithHash, Detail::None);
    }
    if let Some((column, last_line)) = &record.unclosed_quote {
        found.add(
            Field::Row,
            Code::UnclosedQuote,
            Detail::ValueNumber(column.as_str().into(), *last_line),
        );
    }
    if record.extra_cells > 0 {
        found.add(
            Field::Row,
            Code::ExtraCells,
            Detail::Number(record.extra_cells),
        );
    }

    if !found.issues.is_empty() {
        // A shifted row can put a digest or TOTP secret in a cell a message quotes.
        let secrets: Vec<&str> = [
            user.password.as_deref(),
            Some(record.password_digest.as_str()),
            Some(record.totp_secret.as_str()),
            user.totp_secret.as_deref(),
        ]
        .into_iter()
        .flatten()
        .chain(user.backup_codes.iter().map(String::as_str))
        .collect();
        for issue in &mut found.issues {
            redact::mask_detail(&mut issue.detail, &secrets);
        }
    }
    for issue in &mut found.issues {
        issue.user_id = record.id.as_str().into();
    }
    user.user_id = record.id;
    Checked {
        line: record.line,
        user,
        issues: found.issues,
    }
}

/// Moves out every field over [`MAX_CELL_BYTES`] (a list counts as the cell it was read
/// from), noting it in `too_large`: the CSV reader refuses such cells as it reads them, and
/// this catches JSON values the same way.
fn bound_fields(record: &mut ExportRecord) {
    let ExportRecord {
        id,
        first_name,
        last_name,
        username,
        primary_email,
        verified_emails,
        unverified_emails,
        primary_phone,
        verified_phones,
        unverified_phones,
        totp_secret,
        password_digest,
        password_hasher,
        too_large,
        ..
    } = record;
    for (field, text) in [
        (Field::Id, id),
        (Field::FirstName, first_name),
        (Field::LastName, last_name),
        (Field::Username, username),
        (Field::PrimaryEmail, primary_email),
        (Field::PrimaryPhone, primary_phone),
        (Field::TotpSecret, totp_secret),
        (Field::PasswordDigest, password_digest),
        (Field::PasswordHasher, password_hasher),
    ] {
        if text.len() > MAX_CELL_BYTES {
            too_large.push((field, text.len()));
            *text = String::new();
        }
    }
    for (field, list) in [
        (Field::VerifiedEmails, verified_emails),
        (Field::UnverifiedEmails, unverified_emails),
        (Field::VerifiedPhones, verified_phones),
        (Field::UnverifiedPhones, unverified_phones),
    ] {
        let bytes = list.iter().map(|a| a.len() + 1).sum::<usize>();
        if bytes > MAX_CELL_BYTES {
            too_large.push((field, bytes));
            *list = Vec::new();
        }
    }
}

/// Leaves the unverified addresses out (the default) or keeps them, and says which and what
/// the migration tool will do with them.
fn settle_unverified(
    user: &mut User,
    emails: Vec<String>,
    phones: Vec<String>,
    keep: bool,
    found: &mut Findings,
) {
    if emails.is_empty() && phones.is_empty() {
        return;
    }
    let field = if emails.is_empty() {
        Field::UnverifiedPhones
    } else {
        Field::UnverifiedEmails
    };
    let verified_identifier =
        user.email.is_some() || user.phone.is_some() || user.username.is_some();
    if !keep {
        let all = emails.iter().chain(&phones).map(String::as_str);
        let list = Detail::List(all.collect::<Vec<_>>().join(", ").into());
        if verified_identifier {
            found.add(field, Code::UnverifiedLeftOut, list);
        } else {
            found.add(Field::Row, Code::OnlyUnverifiedIdentifiers, list);
        }
        return;
    }
    // The tool merges each kind into one list and creates its first address verified: with
    // no verified address of that kind, that first one is an unverified address.
    let mut promoted: Vec<&str> = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    for (has_verified, list) in [
        (user.email.is_some(), &emails),
        (user.phone.is_some(), &phones),
    ] {
        for (i, address) in list.iter().enumerate() {
            if i == 0 && !has_verified {
                promoted.push(address);
            } else {
                kept.push(address);
            }
        }
    }
    if !promoted.is_empty() {
        found.add(
            field,
            Code::UnverifiedMadeVerified,
            Detail::List(promoted.join(", ").into()),
        );
    }
    if !kept.is_empty() {
        found.add(
            field,
            Code::UnverifiedKept,
            Detail::List(kept.join(", ").into()),
        );
    }
    user.unverified_email_addresses = emails;
    user.unverified_phone_numbers = phones;
}

/// A list of addresses without repeats (ignoring case); the first spelling wins. The set
/// makes each addition constant time: a row can list hundreds of thousands of addresses.
struct UniqueList<'l> {
    list: &'l mut Vec<String>,
    seen: HashSet<String>,
}

impl<'l> UniqueList<'l> {
    /// A list that already counts `primary` (the primary address, kept apart from it).
    fn new(list: &'l mut Vec<String>, primary: Option<&String>) -> UniqueList<'l> {
        let seen = primary
            .into_iter()
            .chain(list.iter())
            .map(|a| a.to_ascii_lowercase())
            .collect();
        UniqueList { list, seen }
    }

    fn push(&mut self, address: String) {
        if self.seen.insert(address.to_ascii_lowercase()) {
            self.list.push(address);
        }
    }
}

/// The email addresses the export lists as unverified (valid ones only when they are to be
/// imported). Such an address is unverified wherever else it stands, the primary cell
/// included: importing it as verified would vouch for an address nobody proved.
fn check_emails(
    record: &mut ExportRecord,
    user: &mut User,
    found: &mut Findings,
    keep_unverified: bool,
) -> Vec<String> {
    let valid = |address: &str, field: Field, found: &mut Findings| {
        if !rules::is_tool_email(address) {
            found.add(field, Code::InvalidEmail, value(address));
            false
        } else if rules::clerk_refuses_email(address) {
            found.add(field, Code::EmailRefusedByClerk, value(address));
            false
        } else {
            true
        }
    };
    let mut unverified: Vec<String> = Vec::new();
    let mut unique = UniqueList::new(&mut unverified, None);
    for address in std::mem::take(&mut record.unverified_emails) {
        // Left out, an address is only named, so it need not be one Clerk would take.
        if !keep_unverified || valid(&address, Field::UnverifiedEmails, found) {
            unique.push(address);
        }
    }
    let listed: HashSet<String> = unverified.iter().map(|a| a.to_ascii_lowercase()).collect();
    let is_unverified = |address: &str| listed.contains(&address.to_ascii_lowercase());
    let primary = std::mem::take(&mut record.primary_email);
    if !primary.is_empty()
        && !is_unverified(&primary)
        && valid(&primary, Field::PrimaryEmail, found)
    {
        user.email = Some(primary);
    }
    let mut unique = UniqueList::new(&mut user.email_addresses, user.email.as_ref());
    for address in std::mem::take(&mut record.verified_emails) {
        if !is_unverified(&address) && valid(&address, Field::VerifiedEmails, found) {
            unique.push(address);
        }
    }
    // With no primary, the tool makes the first verified address primary; say so plainly.
    if user.email.is_none() && !user.email_addresses.is_empty() {
        user.email = Some(user.email_addresses.remove(0));
    }
    unverified
}

/// The phone numbers the export lists as unverified, as [`check_emails`] does for emails;
/// numbers are compared in E.164.
fn check_phones(
    record: &ExportRecord,
    user: &mut User,
    found: &mut Findings,
    keep_unverified: bool,
) -> Vec<String> {
    let mut warned_country = false;
    let mut checked = |number: &str, field: Field, found: &mut Findings| -> Option<String> {
        let e164 = match rules::check_phone(number) {
            Phone::Valid => number.to_string(),
            Phone::Normalised(normal) => {
                found.add(
                    field,
                    Code::PhoneNormalised,
                    Detail::Changed {
                        from: number.into(),
                        to: normal.as_str().into(),
                    },
                );
                normal
            }
            Phone::Invalid => {
                found.add(field, Code::InvalidPhone, value(number));
                return None;
            }
        };
        if let (Some(code), false) = (rules::country_may_be_refused(&e164), warned_country) {
            warned_country = true;
            found.add(field, Code::PhoneCountryMayBeRefused, value(code));
        }
        Some(e164)
    };
    let e164_of = |number: &str| match rules::check_phone(number) {
        Phone::Valid => Some(number.to_string()),
        Phone::Normalised(normal) => Some(normal),
        Phone::Invalid => None,
    };
    let mut unverified: Vec<String> = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
    for number in &record.unverified_phones {
        let phone = if keep_unverified {
            checked(number, Field::UnverifiedPhones, found)
        } else {
            // Left out, a number is only named: as the export wrote it when it is no E.164.
            Some(e164_of(number).unwrap_or_else(|| number.clone()))
        };
        if let Some(phone) = phone {
            if listed.insert(phone.clone()) {
                unverified.push(phone);
            }
        }
    }
    let is_unverified = |number: &str| e164_of(number).is_some_and(|p| listed.contains(&p));
    if !record.primary_phone.is_empty() && !is_unverified(&record.primary_phone) {
        if let Some(phone) = checked(&record.primary_phone, Field::PrimaryPhone, found) {
            user.phone = Some(phone);
        }
    }
    let mut unique = UniqueList::new(&mut user.phone_numbers, user.phone.as_ref());
    for number in &record.verified_phones {
        if is_unverified(number) {
            continue;
        }
        if let Some(phone) = checked(number, Field::VerifiedPhones, found) {
            unique.push(phone);
        }
    }
    if user.phone.is_none() && !user.phone_numbers.is_empty() {
        user.phone = Some(user.phone_numbers.remove(0));
    }
    unverified
}

fn check_password(record: &mut ExportRecord, user: &mut User, found: &mut Findings) {
    let digest = record.password_digest.as_str();
    let hasher = record.password_hasher.as_str();
    match (digest.is_empty(), hasher.is_empty()) {
        (true, true) if record.password_enabled => found.add(
            Field::PasswordDigest,
            Code::PasswordNotInExport,
            Detail::None,
        ),
        // Users without a password are counted, not listed: in a typical export they are
        // many, and nothing about them needs fixing (see `Code::NoPassword`).
        (true, true) => {}
        (true, false) => found.add(
            Field::PasswordHasher,
            Code::HasherWithoutPassword,
            value(hasher),
        ),
        (false, true) => found.add(
            Field::PasswordHasher,
            Code::PasswordWithoutHasher,
            Detail::None,
        ),
        (false, false) => {
            let Some(known) = rules::known_hasher(hasher) else {
                found.add(Field::PasswordHasher, Code::UnknownHasher, value(hasher));
                return;
            };
            if known != hasher {
                found.add(
                    Field::PasswordHasher,
                    Code::HasherNameNormalised,
                    Detail::Changed {
                        from: hasher.into(),
                        to: known.into(),
                    },
                );
            }
            match rules::check_digest(known, digest) {
                DigestFit::Fits => {}
                DigestFit::Mismatch => {
                    found.add(
                        Field::PasswordDigest,
                        Code::DigestShapeMismatch,
                        Detail::ValueNumber(known.into(), digest.chars().count()),
                    );
                    return;
                }
                DigestFit::BcryptCostTooHigh(cost) => {
                    found.add(
                        Field::PasswordDigest,
                        Code::BcryptCostTooHigh,
                        Detail::Number(cost as usize),
                    );
                    return;
                }
            }
            if rules::INSECURE_HASHERS.contains(&known) {
                found.add(Field::PasswordHasher, Code::InsecureHasher, value(known));
            }
            if !rules::migration_tool_knows(known) {
                // Rejected from users.json, but the user keeps the password: users.csv carries
                // it to the importers that know this hasher.
                found.add(
                    Field::PasswordHasher,
                    Code::HasherNotInMigrationTool,
                    value(known),
                );
            }
            user.password_hasher = Some(known);
            user.password = Some(std::mem::take(&mut record.password_digest));
        }
    }
}

fn check_totp(record: &ExportRecord, user: &mut User, found: &mut Findings) {
    if record.totp_secret.is_empty() {
        if record.totp_enabled {
            found.add(Field::TotpSecret, Code::TotpNotInExport, Detail::None);
        }
        return;
    }
    match rules::normalise_totp(&record.totp_secret) {
        None => found.add(Field::TotpSecret, Code::InvalidTotpSecret, Detail::None),
        Some(secret) => {
            if secret != record.totp_secret {
                found.add(Field::TotpSecret, Code::TotpSecretNormalised, Detail::None);
            }
            user.totp_secret = Some(secret);
        }
    }
}

/// Backup codes, metadata and creation time: only JSON exports (or extra CSV columns) have them.
fn check_extras(record: &ExportRecord, user: &mut User, found: &mut Findings) {
    match &record.backup_codes {
        None => {}
        Some(Raw::Text(text)) => user.backup_codes = parse_list(text),
        Some(Raw::Json(Value::Array(items))) if items.iter().all(Value::is_string) => {
            user.backup_codes = items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|s| non_empty(s.trim()))
                .collect();
        }
        Some(Raw::Json(Value::Null)) => {}
        Some(Raw::Json(_)) => found.add(Field::BackupCodes, Code::InvalidBackupCodes, Detail::None),
    }
    for (field, raw, slot) in [
        (
            Field::PublicMetadata,
            &record.public_metadata,
            &mut user.public_metadata,
        ),
        (
            Field::PrivateMetadata,
            &record.private_metadata,
            &mut user.private_metadata,
        ),
        (
            Field::UnsafeMetadata,
            &record.unsafe_metadata,
            &mut user.unsafe_metadata,
        ),
    ] {
        match metadata(raw.as_ref()) {
            Ok(map) => *slot = map,
            Err(()) => found.add(field, Code::InvalidMetadata, Detail::None),
        }
    }
    if let Some(raw) = &record.created_at {
        match created_at(raw) {
            Ok(date) => user.created_at = Some(date),
            Err(bad) => {
                let shown = match raw {
                    Raw::Text(t) => t.clone(),
                    Raw::Json(v) => v.to_string(),
                };
                let detail = match bad {
                    BadDate::NotADate => value(&shown),
                    reason => Detail::ValueNumber(shown.into(), reason as usize),
                };
                found.add(Field::CreatedAt, Code::InvalidCreatedAt, detail);
            }
        }
    }
}

/// A metadata value: absent when empty (`""`, `null`, `{}`), an object, or an error.
fn metadata(raw: Option<&Raw>) -> Result<Option<Map<String, Value>>, ()> {
    let parsed;
    let value = match raw {
        None => return Ok(None),
        Some(Raw::Json(Value::String(text))) | Some(Raw::Text(text)) => {
            if text.trim().is_empty() {
                return Ok(None);
            }
            parsed = serde_json::from_str::<Value>(text).map_err(|_| ())?;
            &parsed
        }
        Some(Raw::Json(value)) => value,
    };
    match value {
        Value::Null => Ok(None),
        Value::Object(map) if map.is_empty() => Ok(None),
        Value::Object(map) => Ok(Some(map.clone())),
        _ => Err(()),
    }
}

/// Why a `created_at` is left out; the number is what [`Code::InvalidCreatedAt`]'s words
/// take to say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadDate {
    /// Neither an RFC 3339 date-time nor a number.
    NotADate = 0,
    /// RFC 3339 in form, but no such day or time (`2024-13-45T99:99:99Z`, `0000-00-00…`).
    NoSuchDate = 1,
    /// Before 1970 or after 2099: no account was created then.
    OutOfRange = 2,
}

/// 2100-01-01T00:00:00Z: no account can have been created after it.
const LATEST_MILLIS: f64 = 4_102_444_800_000.0;

/// `created_at` as RFC 3339: numbers below 1e11 are seconds, larger ones milliseconds. A
/// date-time string is kept as written once it names a real day and time from 1970 to 2099.
fn created_at(raw: &Raw) -> Result<String, BadDate> {
    let number = match raw {
        Raw::Json(Value::Number(n)) => n.as_f64(),
        Raw::Text(t) | Raw::Json(Value::String(t)) => {
            if looks_like_rfc3339(t) {
                return check_rfc3339(t).map(|()| t.clone());
            }
            t.trim().parse::<f64>().ok()
        }
        _ => None,
    }
    .filter(|n| n.is_finite())
    .ok_or(BadDate::NotADate)?;
    let millis = if number.abs() < 1e11 {
        number * 1000.0
    } else {
        number
    };
    if !(0.0..LATEST_MILLIS).contains(&millis) {
        return Err(BadDate::OutOfRange);
    }
    Ok(rfc3339_from_millis(millis as i64))
}

/// The fields of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` name a real calendar day and
/// time, in the years accounts can have been created.
fn check_rfc3339(text: &str) -> Result<(), BadDate> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Result<u32, BadDate> {
        let digits = b.get(range).ok_or(BadDate::NotADate)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(BadDate::NotADate);
        }
        Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(BadDate::NotADate);
        }
        rest = &fraction[digits..];
    }
    let offset_ok = match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()) =>
        {
            (h1 - b'0') * 10 + (h2 - b'0') <= 23 && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => return Err(BadDate::NotADate),
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if !offset_ok || day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return Err(BadDate::NoSuchDate);
    }
    if !(1970..=2099).contains(&year) {
        return Err(BadDate::OutOfRange);
    }
    Ok(())
}

fn looks_like_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (text.ends_with('Z')
            || text.ends_with('z')
            || b[b.len() - 6] == b'+'
            || b[b.len() - 6] == b'-')
}

/// Milliseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.mmmZ` (days to civil date: H. Hinnant).
pub fn rfc3339_from_millis(millis: i64) -> String {
    let (days, ms_of_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, ms) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

/// A 128-bit fingerprint of an identifier, ASCII case folded when asked (XXH3-128 seeded with
/// the identifier's kind). Claims keep fingerprints rather than strings, which keeps their
/// memory small and fixed on large exports.
fn fingerprint(kind: u8, value: &str, fold_case: bool) -> u128 {
    let seed = u64::from(kind);
    let bytes = value.as_bytes();
    if !fold_case || !bytes.iter().any(u8::is_ascii_uppercase) {
        return xxh3_128_with_seed(bytes, seed);
    }
    let mut folded = [0u8; 128];
    match folded.get_mut(..bytes.len()) {
        Some(room) => {
            room.copy_from_slice(bytes);
            room.make_ascii_lowercase();
            xxh3_128_with_seed(room, seed)
        }
        None => xxh3_128_with_seed(&bytes.to_ascii_lowercase(), seed),
    }
}

const ID: u8 = 0;
const EMAIL: u8 = 1;
const PHONE: u8 = 2;
const USERNAME: u8 = 3;

const LINE_BITS: u32 = 40;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;

/// One claimed identifier in [`ClaimTable`], 16 bytes: `[high, low_and_line]`, the
/// fingerprint's high 64 bits, and beside the claiming row's line (plus one, so a free slot is
/// all zeros) the fingerprint's low 24 bits. A pair of integers rather than a struct: a table
/// of them is allocated as zeroed memory, which the system hands over without writing it
/// (a struct's zeros would be written out, 64 MB for a million users, before the first row).
type Slot = [u64; 2];

/// The parts of a fingerprint a slot keeps: 88 of its 128 bits, the high 64 of which also
/// place it. Two different identifiers of one export match with a probability near
/// n² / 2^89: about 10^-14 for the 3 million identifiers of a million users, far below any
/// disk or memory error.
fn slot_key(fingerprint: u128) -> (u64, u64) {
    (
        (fingerprint >> 64) as u64,
        (fingerprint as u64) >> LINE_BITS,
    )
}

fn is_free(slot: Slot) -> bool {
    slot[1] == 0
}

fn holds(slot: Slot, (high, low): (u64, u64)) -> bool {
    slot[0] == high && slot[1] >> LINE_BITS == low
}

fn claimed_line(slot: Slot) -> usize {
    ((slot[1] & LINE_MASK) - 1) as usize
}

/// A set of fingerprints, each with the line that claimed it first: open addressing with
/// linear probing, at most four fifths full. A lookup in a table of millions is a cache miss;
/// keeping the whole entry in 16 bytes, four to a cache line, makes it usually the only one (a
/// general map reads a control byte and then the entry, two misses), and a probe that runs on
/// reads the next lines in order, which the processor fetches ahead. Measured on a million
/// users, a table half full was no faster than one four fifths full, at twice the memory.
struct ClaimTable {
    slots: Vec<Slot>,
    len: usize,
}

impl ClaimTable {
    fn with_room(claims: usize) -> ClaimTable {
        let slots = (claims.saturating_mul(5) / 4).max(64).next_power_of_two();
        ClaimTable {
            slots: vec![[0; 2]; slots],
            len: 0,
        }
    }

    /// Where a slot whose fingerprint's high bits are `high` is placed first. The length is a
    /// power of two, so this is a mask (a table whose length fits its load exactly, placed by
    /// multiplication, was tried: its first guess of the load, three identifiers a user,
    /// fell short, and growing held both tables at once).
    fn home(&self, high: u64) -> usize {
        high as usize & (self.slots.len() - 1)
    }

    /// The slot after `at`, wrapping at the end.
    fn next(&self, at: usize) -> usize {
        (at + 1) & (self.slots.len() - 1)
    }

    /// The slot holding `fingerprint`, or the empty slot where it would go.
    fn probe(&self, fingerprint: u128) -> usize {
        let key = slot_key(fingerprint);
        let mut at = self.home(key.0);
        loop {
            let slot = self.slots[at];
            if is_free(slot) || holds(slot, key) {
                return at;
            }
            at = self.next(at);
        }
    }

    /// Reads the home slot of each fingerprint, so that the probes after find them cached.
    fn warm<'k>(&self, fingerprints: impl Iterator<Item = &'k u128>) {
        let seen = fingerprints.fold(0, |seen, &f| seen ^ self.slots[self.home(slot_key(f).0)][0]);
        std::hint::black_box(seen);
    }

    /// The line that claimed `fingerprint`, if one did.
    fn get(&self, fingerprint: u128) -> Option<usize> {
        let slot = self.slots[self.probe(fingerprint)];
        (!is_free(slot)).then(|| claimed_line(slot))
    }

    /// Claims `fingerprint` for `line` unless it is claimed already.
    fn claim(&mut self, fingerprint: u128, line: usize) {
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        let at = self.probe(fingerprint);
        if is_free(self.slots[at]) {
            let (high, low) = slot_key(fingerprint);
            // 40 bits of line: only a file of over a terabyte would need the cap.
            let stored = (line as u64).min(LINE_MASK - 1) + 1;
            self.slots[at] = [high, low << LINE_BITS | stored];
            self.len += 1;
        }
    }

    /// Doubles the table. A slot is placed by its fingerprint's high bits, which it keeps, so
    /// each finds its new place without the identifier.
    fn grow(&mut self) {
        let doubled = vec![[0; 2]; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for slot in old.into_iter().filter(|&s| !is_free(s)) {
            let mut at = self.home(slot[0]);
            while !is_free(self.slots[at]) {
                at = self.next(at);
            }
            self.slots[at] = slot;
        }
    }
}

/// Identifiers already taken by earlier rows: the first occurrence wins.
pub struct Claims {
    taken: ClaimTable,
    /// The fingerprints of the row being settled, kept between rows for their room.
    pending: Vec<u128>,
}

impl Default for Claims {
    fn default() -> Claims {
        Claims::for_lines(0)
    }
}

impl Claims {
    /// Room for an export of `lines` lines: a user id, an email and a username a row is the
    /// usual load, so the table is built at its final size instead of doubling its way there.
    pub fn for_lines(lines: usize) -> Claims {
        Claims {
            taken: ClaimTable::with_room(lines.saturating_mul(3)),
            pending: Vec::new(),
        }
    }

    /// Adds cross-row findings to a checked row, and claims its identifiers if it is accepted.
    ///
    /// User ids are compared with every earlier row, accepted or not: two rows with one id
    /// mean a damaged file. Emails (ignoring case), phones and usernames (ignoring case) are
    /// compared with accepted rows only, since a rejected row's addresses are never imported.
    pub fn settle(&mut self, checked: &mut Checked) {
        let Checked { line, user, issues } = checked;
        let line = *line;
        let collision = |code, field, value: &str, first_row| Issue {
            row: line,
            user_id: user.user_id.as_str().into(),
            field,
            code,
            detail: Detail::Collision {
                value: value.into(),
                first_row,
            },
        };
        let identifiers = || {
            user.all_emails()
                .map(|e| (EMAIL, e, true, Code::DuplicateEmail, Field::PrimaryEmail))
                .chain(
                    user.all_phones()
                        .map(|p| (PHONE, p, false, Code::DuplicatePhone, Field::PrimaryPhone)),
                )
                .chain(
                    user.username
                        .iter()
                        .map(|u| (USERNAME, u, true, Code::DuplicateUsername, Field::Username)),
                )
        };
        // Every fingerprint of the row first, and their slots read together: the reads do not
        // wait on each other, so the processor overlaps their cache misses.
        let id_key = (!user.user_id.is_empty()).then(|| fingerprint(ID, &user.user_id, false));
        self.pending.clear();
        self.pending.extend(
            identifiers().map(|(kind, value, fold_case, ..)| fingerprint(kind, value, fold_case)),
        );
        self.taken.warm(id_key.iter().chain(&self.pending));

        if let Some(key) = id_key {
            match self.taken.get(key) {
                Some(first) => issues.push(collision(
                    Code::DuplicateUserId,
                    Field::Id,
                    &user.user_id,
                    first,
                )),
                None => self.taken.claim(key, line),
            }
        }
        // A user users.csv carries to another importer claims its identifiers like an
        // accepted one: both files must be free of duplicates.
        if !importable_elsewhere(issues) {
            return;
        }
        let before = issues.len();
        for ((_, value, _, code, field), &key) in identifiers().zip(&self.pending) {
            if let Some(first) = self.taken.get(key) {
                issues.push(collision(code, field, value, first));
            }
        }
        if issues.len() == before {
            for &key in &self.pending {
                self.taken.claim(key, line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BCRYPT: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    fn record(id: &str, email: &str) -> ExportRecord {
        ExportRecord {
            line: 2,
            id: id.into(),
            primary_email: email.into(),
            password_digest: BCRYPT.into(),
            password_hasher: "bcrypt".into(),
            ..ExportRecord::default()
        }
    }

    fn codes(checked: &Checked) -> Vec<&'static str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn a_clean_row_becomes_a_user() {
        let checked = check_row(record("user_1", "ada@example.com"));
        assert!(checked.issues.is_empty(), "{:?}", checked.issues);
        assert_eq!(checked.user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(checked.user.password_hasher, Some("bcrypt"));
    }

    #[test]
    fn the_primary_is_not_repeated_in_the_lists() {
        let mut r = record("user_1", "ada@example.com");
        r.verified_emails = vec!["ADA@example.com".into(), "a2@example.com".into()];
        let user = check_row(r.clone()).user;
        assert_eq!(user.email_addresses, vec!["a2@example.com".to_string()]);
    }

    const KEEP: RowRules = RowRules {
        keep_unverified: true,
    };

    #[test]
    fn an_address_listed_as_unverified_is_unverified_wherever_it_stands() {
        // The primary cell and the verified list also hold it: still unverified.
        let mut r = record("user_1", "Ada@Example.com");
        r.username = "ada_l".into();
        r.verified_emails = vec!["ada@example.com".into(), "a2@example.com".into()];
        r.unverified_emails = vec!["ada@example.com".into()];
        let checked = check_row(r.clone());
        assert_eq!(codes(&checked), ["unverified_left_out"]);
        assert_eq!(checked.user.email.as_deref(), Some("a2@example.com"));
        assert!(checked.user.email_addresses.is_empty());
        assert!(checked.user.unverified_email_addresses.is_empty());
        assert_eq!(
            checked.issues[0].detail,
            Detail::List("ada@example.com".into())
        );

        // Kept: under unverifiedEmailAddresses, never as `email`; a verified one stays first.
        let kept = check_row_with(r, KEEP);
        assert_eq!(codes(&kept), ["unverified_kept"]);
        assert_eq!(kept.user.email.as_deref(), Some("a2@example.com"));
        assert_eq!(
            kept.user.unverified_email_addresses,
            vec!["ada@example.com".to_string()]
        );

        // The same for phones, compared in E.164.
        let mut p = record("user_2", "grace@example.com");
        p.primary_phone = "+1 415 555 0100".into();
        p.unverified_phones = vec!["+14155550100".into()];
        let checked = check_row(p);
        assert_eq!(codes(&checked), ["unverified_left_out"]);
        assert_eq!(checked.user.phone, None);
        assert_eq!(checked.issues[0].field, Field::UnverifiedPhones);
    }

    #[test]
    fn a_user_with_only_unverified_addresses() {
        let mut r = record("user_1", "u@example.com");
        r.unverified_emails = vec!["u@example.com".into(), "u2@example.com".into()];
        r.unverified_phones = vec!["+14155550100".into()];
        let default = check_row(r.clone());
        assert_eq!(codes(&default), ["only_unverified_identifiers"]);
        assert!(default.is_rejected());

        let kept = check_row_with(r, KEEP);
        assert!(!kept.is_rejected());
        assert_eq!(
            codes(&kept),
            ["unverified_made_verified", "unverified_kept"]
        );
        // The tool creates the first of each kind verified: name exactly those.
        assert_eq!(
            kept.issues[0].detail,
            Detail::List("u@example.com, +14155550100".into())
        );
        assert_eq!(kept.issues[1].detail, Detail::List("u2@example.com".into()));
        assert_eq!(kept.user.email, None);
        assert_eq!(kept.user.unverified_email_addresses.len(), 2);
        assert_eq!(kept.user.unverified_phone_numbers, ["+14155550100"]);
    }

    #[test]
    fn a_hasher_the_migration_tool_does_not_know_keeps_the_user_for_users_csv() {
        let mut r = record("user_1", "ada@example.com");
        r.password_hasher = "phpass".into();
        r.password_digest = format!("$P$B{}", "a".repeat(30));
        let checked = check_row(r);
        assert_eq!(codes(&checked), ["hasher_not_in_migration_tool"]);
        assert!(checked.is_rejected());
        assert!(checked.is_importable_elsewhere());
        assert_eq!(checked.user.password_hasher, Some("phpass"));
        assert!(checked.user.has_password());

        let mut other = record("user_2", "");
        other.password_hasher = "bcrypt2".into();
        assert!(!check_row(other).is_importable_elsewhere());
    }

    #[test]
    fn without_a_primary_the_first_verified_address_is_primary() {
        let mut r = record("user_1", "");
        r.verified_emails = vec!["a1@example.com".into(), "a2@example.com".into()];
        let user = check_row(r.clone()).user;
        assert_eq!(user.email.as_deref(), Some("a1@example.com"));
        assert_eq!(user.email_addresses, vec!["a2@example.com".to_string()]);
    }

    #[test]
    fn password_rules() {
        let mut r = record("user_1", "ada@example.com");
        r.password_hasher = String::new();
        assert_eq!(codes(&check_row(r.clone())), ["password_without_hasher"]);
        r.password_hasher = "bcrypt2".into();
        assert_eq!(codes(&check_row(r.clone())), ["unknown_hasher"]);
        r.password_hasher = "md5".into();
        assert_eq!(codes(&check_row(r.clone())), ["digest_shape_mismatch"]);
        r.password_digest = "5f4dcc3b5aa765d61d8327deb882cf99".into();
        assert_eq!(codes(&check_row(r.clone())), ["insecure_hasher"]);
        r.password_hasher = "MD5".into();
        assert_eq!(
            codes(&check_row(r.clone())),
            ["hasher_name_normalised", "insecure_hasher"]
        );
        r.password_digest = String::new();
        r.password_hasher = String::new();
        assert!(codes(&check_row(r.clone())).is_empty());
        assert!(!check_row(r.clone()).user.has_password());
    }

    #[test]
    fn secrets_never_reach_messages() {
        let mut r = record("user_1", "ada@example.com");
        r.password_hasher = "md5".into();
        r.totp_secret = "NOT-BASE32-!!".into();
        let checked = check_row(r.clone());
        for issue in &checked.issues {
            for lang in crate::core::lang::Lang::ALL {
                let text = issue.message(lang) + &issue.fix(lang);
                assert!(
                    !text.contains(BCRYPT) && !text.contains("NOT-BASE32"),
                    "{text}"
                );
            }
        }
        assert_eq!(
            codes(&checked),
            ["digest_shape_mismatch", "invalid_totp_secret"]
        );
    }

    #[test]
    fn identifiers() {
        let none = record("user_1", "");
        assert_eq!(codes(&check_row(none)), ["no_identifier"]);
        let mut unverified = record("user_1", "");
        unverified.unverified_emails = vec!["u@example.com".into()];
        assert_eq!(
            codes(&check_row(unverified)),
            ["only_unverified_identifiers"]
        );
        // A number left out is named, not checked or normalised: it is not imported.
        let mut both = record("user_1", "ada@example.com");
        both.unverified_phones = vec!["+1 415 555 0100".into()];
        assert_eq!(codes(&check_row(both.clone())), ["unverified_left_out"]);
        assert_eq!(
            codes(&check_row_with(both, KEEP)),
            ["phone_normalised", "unverified_made_verified"]
        );
        // Addresses under a key the tool does not read are named, not called missing.
        let mut unread = record("user_1", "");
        unread.unread_addresses = vec!["a@example.com".into()];
        assert_eq!(
            codes(&check_row(unread)),
            ["addresses_under_unread_key", "no_identifier"]
        );
    }

    #[test]
    fn duplicates_name_the_first_row_and_the_first_wins() {
        let mut claims = Claims::default();
        let mut first = check_row(record("user_1", "Ada@Example.com"));
        claims.settle(&mut first);
        let mut second = check_row(ExportRecord {
            line: 7,
            ..record("user_2", "ada@example.com")
        });
        claims.settle(&mut second);
        assert!(!first.is_rejected());
        assert_eq!(codes(&second), ["duplicate_email"]);
        assert!(second.issues[0]
            .message(crate::core::lang::Lang::En)
            .contains("row 2"));
        let mut same_id = check_row(ExportRecord {
            line: 9,
            ..record("user_1", "other@example.com")
        });
        claims.settle(&mut same_id);
        assert_eq!(codes(&same_id), ["duplicate_user_id"]);
    }

    #[test]
    fn a_rejected_row_claims_nothing_but_its_id() {
        let mut claims = Claims::default();
        let with_username = |line, id: &str, email: &str| {
            check_row(ExportRecord {
                line,
                username: "ada_lovelace".into(),
                ..record(id, email)
            })
        };
        let mut first = check_row(record("user_1", "ada@example.com"));
        claims.settle(&mut first);
        // Rejected for its email: its username stays free, its id does not.
        let mut second = with_username(3, "user_2", "ADA@example.com");
        claims.settle(&mut second);
        assert_eq!(codes(&second), ["duplicate_email"]);
        let mut third = with_username(4, "user_3", "grace@example.com");
        claims.settle(&mut third);
        assert!(third.issues.is_empty(), "{:?}", third.issues);
        let mut fourth = check_row(ExportRecord {
            line: 5,
            ..record("user_2", "alan@example.com")
        });
        claims.settle(&mut fourth);
        assert_eq!(codes(&fourth), ["duplicate_user_id"]);
        assert!(fourth.issues[0]
            .message(crate::core::lang::Lang::En)
            .contains("row 3"));
    }

    #[test]
    fn the_claim_table_grows_and_keeps_every_first_line() {
        let mut table = ClaimTable::with_room(0);
        let key = |i: usize| fingerprint(EMAIL, &format!("user{i}@example.com"), true);
        for i in 0..20_000 {
            table.claim(key(i), i + 2);
        }
        assert!(
            table.len * 5 <= table.slots.len() * 4,
            "{} claims in {} slots",
            table.len,
            table.slots.len()
        );
        // A second claim of a taken fingerprint keeps the first line.
        table.claim(key(7), 99_999);
        for i in 0..20_000 {
            assert_eq!(table.get(key(i)), Some(i + 2), "user{i}");
        }
        assert_eq!(table.get(key(20_000)), None);
        assert_eq!(table.len, 20_000);
    }

    #[test]
    fn a_probe_past_the_last_slot_goes_on_at_the_first() {
        let mut table = ClaimTable::with_room(0);
        // High bits all ones: each of these is placed first in the last slot. They differ in
        // the low bits a slot keeps.
        let at_the_end = |i: u128| u128::from(u64::MAX) << 64 | i << LINE_BITS;
        for i in 1..=3 {
            table.claim(at_the_end(i), i as usize * 10);
        }
        let last = table.slots.len() - 1;
        assert_eq!(table.home(u64::MAX), last);
        assert_eq!(claimed_line(table.slots[last]), 10);
        assert_eq!(claimed_line(table.slots[0]), 20);
        assert_eq!(claimed_line(table.slots[1]), 30);
        for i in 1..=3 {
            assert_eq!(table.get(at_the_end(i)), Some(i as usize * 10));
        }
        assert_eq!(table.get(at_the_end(4)), None);
    }

    #[test]
    fn fingerprints_fold_case_when_asked_at_any_length() {
        for local in ["Ada", &"Ab".repeat(100)] {
            let mixed = format!("{local}@Example.com");
            let lower = mixed.to_ascii_lowercase();
            assert_eq!(
                fingerprint(EMAIL, &mixed, true),
                fingerprint(EMAIL, &lower, true)
            );
            assert_ne!(
                fingerprint(EMAIL, &mixed, false),
                fingerprint(EMAIL, &lower, false)
            );
            // The kind takes part: an email and a username with one spelling differ.
            assert_ne!(
                fingerprint(EMAIL, &lower, true),
                fingerprint(USERNAME, &lower, true)
            );
        }
    }

    #[test]
    fn metadata_and_dates() {
        assert_eq!(metadata(Some(&Raw::Text("{}".into()))), Ok(None));
        assert_eq!(metadata(Some(&Raw::Text("[1]".into()))), Err(()));
        assert!(metadata(Some(&Raw::Text("{\"a\":1}".into())))
            .unwrap()
            .is_some());
        assert_eq!(rfc3339_from_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_from_millis(1_700_000_000_123),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            created_at(&Raw::Json(serde_json::json!(1_700_000_000))).as_deref(),
            Ok("2023-11-14T22:13:20.000Z")
        );
        assert_eq!(
            created_at(&Raw::Text("yesterday".into())),
            Err(BadDate::NotADate)
        );
        assert_eq!(
            created_at(&Raw::Text("2024-02-29T12:00:00Z".into())).as_deref(),
            Ok("2024-02-29T12:00:00Z")
        );
    }
}
