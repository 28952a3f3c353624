//! One row, looked up again on demand: what the export said and what would be imported, with
//! every secret (password digest, TOTP secret, backup codes) shown only as its length.

use std::borrow::Cow;

use serde_json::Value;

use crate::core::csv_input::CsvLayout;
use crate::core::decode;
use crate::core::escape::visible;
use crate::core::json_input;
use crate::core::lang::{group_digits, plural, Lang};
use crate::core::record::{parse_list, Column, ExportRecord, Raw, MAX_CELL_BYTES};
use crate::core::redact::mask_values;
use crate::core::validate::{check_row_with, RowRules};

/// A secret, never shown: dots and its length.
pub fn mask(secret: &str, lang: Lang) -> String {
    hidden(lang, Hidden::Characters(secret.chars().count()))
}

/// What stands in place of a value the record does not show.
enum Hidden {
    /// A digest or TOTP secret, by its length.
    Characters(usize),
    /// A cell too large to read, by its size.
    Bytes(usize),
    /// Backup codes as the export holds them.
    Codes,
    /// Backup codes as `users.json` holds them, by their number.
    CodeCount(usize),
}

fn hidden(lang: Lang, what: Hidden) -> String {
    let n = |n: usize| group_digits(lang, n);
    let said = match (lang, what) {
        (Lang::En, Hidden::Characters(c)) => {
            plural(c, "1 character".into(), format!("{} characters", n(c)))
        }
        (Lang::Es, Hidden::Characters(c)) => {
            plural(c, "1 carácter".into(), format!("{} caracteres", n(c)))
        }
        (Lang::En, Hidden::Bytes(b)) => format!("{} bytes, not shown", n(b)),
        (Lang::Es, Hidden::Bytes(b)) => format!("{} bytes, no se muestra", n(b)),
        (Lang::En, Hidden::Codes) => "hidden".to_string(),
        (Lang::Es, Hidden::Codes) => "ocultos".to_string(),
        (Lang::En, Hidden::CodeCount(c)) => plural(c, "1 code".into(), format!("{} codes", n(c))),
        (Lang::Es, Hidden::CodeCount(c)) => {
            plural(c, "1 código".into(), format!("{} códigos", n(c)))
        }
    };
    format!("•••• ({said})")
}

/// One row as the page shows it when asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RowView {
    pub line: usize,
    /// The row as the export has it: in a CSV its cells in the file's order under their
    /// header (None for a cell beyond the header), in JSON the fields read; secrets masked,
    /// control characters shown as escapes (`\n`, `\x1b`), empty cells left out.
    pub fields: Vec<(Option<String>, String)>,
    /// The `users.json` entry the row becomes (secrets masked), or None when it is rejected.
    pub imported_as: Option<String>,
}

/// Finds the row that starts on `line` and describes it. Reads the export again from the
/// start: a click costs one pass, and nothing per row is kept around for it.
pub fn row_at(bytes: &[u8], line: usize, rules: RowRules, lang: Lang) -> Option<RowView> {
    let decoded = decode::decode(bytes).ok()?;
    let text = decoded.text.as_ref();
    let record = if text.trim_start().starts_with(['[', '{']) {
        json_input::read(text)
            .ok()?
            .rows
            .into_iter()
            .map(|r| r.record)
            .find(|r| r.line == line)?
    } else {
        let (mut layout, mut cursor) = CsvLayout::open(text).ok()?;
        let mut found = None;
        while found.is_none() && !cursor.done && cursor.line <= line {
            layout.read_rows(text, &mut cursor, 256, |row| {
                if row.record.line == line {
                    let cells = row.cells.iter().map(str::to_string).collect();
                    found = Some((row.record, cells));
                }
            });
        }
        let (record, cells) = found?;
        return Some(view(record, Some((&layout, cells)), rules, lang));
    };
    Some(view(record, None, rules, lang))
}

/// A cell too large to read is not shown either: only its size.
fn too_large(cell: &str, lang: Lang) -> Option<String> {
    (cell.len() > MAX_CELL_BYTES).then(|| hidden(lang, Hidden::Bytes(cell.len())))
}

fn view(
    record: ExportRecord,
    csv: Option<(&CsvLayout, Vec<String>)>,
    rules: RowRules,
    lang: Lang,
) -> RowView {
    let list = |items: &[String]| items.join(" | ");
    let raw = |value: &Option<Raw>| match value {
        None => String::new(),
        Some(Raw::Text(text)) => text.clone(),
        Some(Raw::Json(value)) => value.to_string(),
    };
    let secret = |value: &str| {
        if value.is_empty() {
            String::new()
        } else {
            mask(value, lang)
        }
    };
    let backup_codes = match &record.backup_codes {
        None => String::new(),
        Some(_) => hidden(lang, Hidden::Codes),
    };
    let fields = vec![
        ("id", record.id.clone()),
        ("first_name", record.first_name.clone()),
        ("last_name", record.last_name.clone()),
        ("username", record.username.clone()),
        ("primary_email_address", record.primary_email.clone()),
        ("primary_phone_number", record.primary_phone.clone()),
        ("verified_email_addresses", list(&record.verified_emails)),
        (
            "unverified_email_addresses",
            list(&record.unverified_emails),
        ),
        ("verified_phone_numbers", list(&record.verified_phones)),
        ("unverified_phone_numbers", list(&record.unverified_phones)),
        ("totp_secret", secret(&record.totp_secret)),
        ("password_digest", secret(&record.password_digest)),
        ("password_hasher", record.password_hasher.clone()),
        ("backup_codes", backup_codes),
        ("public_metadata", raw(&record.public_metadata)),
        ("private_metadata", raw(&record.private_metadata)),
        ("unsafe_metadata", raw(&record.unsafe_metadata)),
        ("created_at", raw(&record.created_at)),
    ];
    // A shifted row can put a digest or TOTP secret in any other cell: every shown value
    // has the row's secrets, and anything secret-shaped, masked.
    let secrets: Vec<String> = [&record.password_digest, &record.totp_secret]
        .into_iter()
        .cloned()
        .chain(match &record.backup_codes {
            Some(Raw::Text(text)) => parse_list(text),
            Some(Raw::Json(Value::Array(codes))) => codes
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let masked = |value: String| match mask_values(&value, &secrets) {
        Cow::Borrowed(_) => value,
        Cow::Owned(masked) => masked,
    };
    let shown = |value: String| visible(&masked(value)).into_owned();
    let fields: Vec<(Option<String>, String)> = match csv {
        // The cells as the file has them: what a rejected row is, and what to fix.
        Some((layout, cells)) => cells
            .into_iter()
            .enumerate()
            .map(|(i, cell)| {
                let column = layout.columns.get(i).copied().flatten();
                let value = match column {
                    _ if cell.trim().is_empty() => String::new(),
                    Some(Column::PasswordDigest | Column::TotpSecret) => mask(&cell, lang),
                    Some(Column::BackupCodes) => hidden(lang, Hidden::Codes),
                    _ => too_large(&cell, lang).unwrap_or_else(|| shown(cell)),
                };
                let name = layout.header.get(i).map(|h| visible(h).into_owned());
                (name, value)
            })
            .collect(),
        None => fields
            .into_iter()
            .map(|(name, value)| (Some(name.to_string()), shown(value)))
            .collect(),
    };
    let line = record.line;
    let checked = check_row_with(record, rules);
    let imported_as = (!checked.is_rejected()).then(|| {
        let mut value = serde_json::to_value(&checked.user).expect("a user serialises");
        if let Value::Object(user) = &mut value {
            for key in ["password", "totpSecret"] {
                if let Some(Value::String(s)) = user.get(key) {
                    let masked = mask(s, lang);
                    user.insert(key.into(), masked.into());
                }
            }
            if let Some(Value::Array(codes)) = user.get("backupCodes") {
                let masked = hidden(lang, Hidden::CodeCount(codes.len()));
                user.insert("backupCodes".into(), masked.into());
            }
        }
        let json = masked(serde_json::to_string_pretty(&value).expect("a value serialises"));
        // JSON escapes the C0 controls itself, not the marks that reorder text: each line
        // is shown as it would be anywhere else, the layout's own line breaks kept.
        json.lines().map(visible).collect::<Vec<_>>().join("\n")
    });
    RowView {
        line,
        fields: fields.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        imported_as,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    fn export() -> String {
        format!(
            "id,first_name,primary_email_address,totp_secret,password_digest,password_hasher\r\n\
             user_1,Ada,ada@example.com,JBSWY3DPEHPK3PXP,{DIGEST},bcrypt\r\n\
             user_2,\"Grace\nHopper\",grace@example.com,,{DIGEST},bcrypt2\r\n"
        )
    }

    #[test]
    fn finds_a_row_by_its_editor_line_and_masks_every_secret() {
        let view = row_at(export().as_bytes(), 2, RowRules::default(), Lang::En).unwrap();
        assert_eq!(view.fields[0], (Some("id".into()), "user_1".to_string()));
        let shown = format!("{:?}{}", view.fields, view.imported_as.clone().unwrap());
        assert!(
            !shown.contains(DIGEST) && !shown.contains("JBSWY3DPEHPK3PXP"),
            "{shown}"
        );
        assert!(shown.contains("•••• (60 characters)") && shown.contains("•••• (16 characters)"));
        assert!(view.imported_as.unwrap().contains("\"userId\": \"user_1\""));
    }

    #[test]
    fn the_masks_are_worded_in_the_pages_language() {
        let view = row_at(export().as_bytes(), 2, RowRules::default(), Lang::Es).unwrap();
        let shown = format!("{:?}{}", view.fields, view.imported_as.unwrap());
        assert!(
            shown.contains("•••• (60 caracteres)") && shown.contains("•••• (16 caracteres)"),
            "{shown}"
        );
        assert!(!shown.contains("characters"), "{shown}");
        assert_eq!(mask("x", Lang::En), "•••• (1 character)");
        assert_eq!(mask("x", Lang::Es), "•••• (1 carácter)");
        assert_eq!(
            hidden(Lang::Es, Hidden::Bytes(2_000_000)),
            "•••• (2.000.000 bytes, no se muestra)"
        );
    }

    #[test]
    fn a_secret_shifted_into_another_cell_is_masked_there_too() {
        // One unquoted comma in the name: the digest stands in password_hasher, the TOTP
        // secret in password_digest, and a key in the last name.
        let export = format!(
            "id,first_name,last_name,totp_secret,password_digest,password_hasher\n\
             user_1,Grace, RADM,sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7,jbswy3dpehpk3pxp,{DIGEST},bcrypt\n"
        );
        let view = row_at(export.as_bytes(), 2, RowRules::default(), Lang::En).unwrap();
        let shown = format!("{:?}{:?}", view.fields, view.imported_as);
        for secret in [&DIGEST[7..], "jbswy3dpehpk3pxp", "Q7hd0K2mN4pR8sT1vW3x"] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
    }

    #[test]
    fn a_rejected_row_has_no_import_and_rows_after_line_breaks_are_found() {
        let view = row_at(export().as_bytes(), 3, RowRules::default(), Lang::En).unwrap();
        // The cells as the file has them, the line break inside one shown, not made.
        assert_eq!(
            view.fields[1],
            (Some("first_name".into()), "Grace\\nHopper".to_string())
        );
        assert_eq!(
            view.fields.last(),
            Some(&(Some("password_hasher".into()), "bcrypt2".to_string()))
        );
        assert_eq!(view.imported_as, None, "an unknown hasher rejects the row");
        assert_eq!(
            row_at(export().as_bytes(), 4, RowRules::default(), Lang::En),
            None
        );
        assert_eq!(
            row_at(b"not an export", 1, RowRules::default(), Lang::En),
            None
        );
    }

    #[test]
    fn cells_beyond_the_header_and_control_characters_are_shown_as_such() {
        let export = "id,first_name,primary_email_address\n\
                      user_1,\u{1b}[2J\u{202e}txt.exe,ada@example.com,surplus\n";
        let view = row_at(export.as_bytes(), 2, RowRules::default(), Lang::En).unwrap();
        assert_eq!(
            view.fields[1],
            (
                Some("first_name".into()),
                "\\x1b[2J\\u{202e}txt.exe".to_string()
            )
        );
        assert_eq!(view.fields[3], (None, "surplus".to_string()));
        let imported = view.imported_as.unwrap();
        assert!(!imported.contains('\u{202e}'), "{imported}");
        assert!(imported.contains("\\u{202e}"), "{imported}");
    }

    #[test]
    fn json_rows_are_found_too() {
        let json = b"[\n{\"id\": \"user_1\", \"email_addresses\": []},\n{\"id\": \"user_2\", \"username\": \"grace\", \"email_addresses\": []}\n]";
        let view = row_at(json, 3, RowRules::default(), Lang::En).unwrap();
        assert_eq!(view.fields[0].1, "user_2");
    }
}
