//! The output files, each written from the same model: `users.json` and `rejected.csv` row by
//! row as the input streams through, `report.json` from the finished counts and issues.
//! All UTF-8 without a byte-order mark, and deterministic: the same input gives the same bytes.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::io::{self, Write};

use crate::core::issue::Issue;
use crate::core::lang::Lang;
use crate::core::prepare::{InputFormat, Prepared};
use crate::core::record::DASHBOARD_COLUMNS;
use crate::core::redact::redact;
use crate::core::user::User;

pub use crate::core::runbook::runbook;

/// `users.json`: a JSON array, one user object per line, in input order.
pub struct UsersJson<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> UsersJson<W> {
    pub fn new(out: W) -> UsersJson<W> {
        UsersJson { out, count: 0 }
    }

    pub fn push(&mut self, user: &User) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, user)?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok(self.out)
    }
}

/// `users.csv`: the users as a clean Dashboard CSV, for Clerk's other importers (Clerk's CLI,
/// `clerk migrate import --source clerk`, and the like). The 13 columns in Clerk's order,
/// lists joined with `|`, the primary address first in its verified list as the Dashboard
/// writes it, phones in E.164 without the Dashboard's formula TAB; LF line ends.
pub struct UsersCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> UsersCsv<W> {
    pub fn new(out: W) -> io::Result<UsersCsv<W>> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer
            .write_record(DASHBOARD_COLUMNS)
            .map_err(io::Error::other)?;
        Ok(UsersCsv { writer })
    }

    pub fn push(&mut self, user: &User) -> io::Result<()> {
        let text = |value: &Option<String>| value.as_deref().unwrap_or("").to_string();
        let joined = |first: &Option<String>, rest: &[String]| {
            first
                .iter()
                .chain(rest)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("|")
        };
        let record: [String; 13] = [
            user.user_id.clone(),
            text(&user.first_name),
            text(&user.last_name),
            text(&user.username),
            text(&user.email),
            text(&user.phone),
            joined(&user.email, &user.email_addresses),
            user.unverified_email_addresses.join("|"),
            joined(&user.phone, &user.phone_numbers),
            user.unverified_phone_numbers.join("|"),
            text(&user.totp_secret),
            text(&user.password),
            user.password_hasher.unwrap_or("").to_string(),
        ];
        self.writer.write_record(record).map_err(io::Error::other)
    }

    pub fn finish(self) -> io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// `rejected.csv`: the rejected rows with their original cells, the row number and the
/// problems first. Cells a spreadsheet would run as a formula are neutralised.
pub struct RejectedCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> RejectedCsv<W> {
    pub fn new(out: W) -> RejectedCsv<W> {
        RejectedCsv {
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out),
        }
    }

    pub fn start(&mut self, original_header: &[&str]) -> io::Result<()> {
        let header = ["row", "problems"]
            .into_iter()
            .chain(original_header.iter().copied())
            .map(|cell| neutralise(cell).into_owned());
        self.writer.write_record(header).map_err(io::Error::other)
    }

    pub fn write_row<'c>(
        &mut self,
        row: usize,
        problems: &str,
        cells: impl Iterator<Item = &'c str>,
    ) -> io::Result<()> {
        // Field by field, borrowed: a cell is copied only when it needs the guard, so a row
        // of megabytes is not held twice.
        let row = row.to_string();
        for cell in [row.as_str(), problems] {
            self.writer
                .write_field(neutralise(cell).as_bytes())
                .map_err(io::Error::other)?;
        }
        for cell in cells {
            self.writer
                .write_field(neutralise(cell).as_bytes())
                .map_err(io::Error::other)?;
        }
        self.writer
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)
    }

    pub fn finish(self) -> io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// The characters a spreadsheet starts a formula with, in their ASCII and full-width forms
/// (spreadsheets in East Asian locales read both).
pub const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// A cell that cannot start a spreadsheet formula: one whose text starts with `= + - @` (or
/// their full-width forms), after the TAB, CR or spaces a spreadsheet skips, gets an
/// apostrophe, the spreadsheet convention for "text, not a formula", in place of those. Any
/// other cell is written as it is, so that preparing `rejected.csv` again reads the values the
/// export had (the reader drops the apostrophe before a formula character, and the spaces
/// around a value).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let text = cell.trim_start_matches(['\t', '\r', '\n', ' ']);
    if text.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// An issue as `report.json` writes it, with its words in both languages.
struct IssueRecord<'a>(&'a Issue);

impl Serialize for IssueRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let issue = self.0;
        let both = |f: fn(&Issue, Lang) -> String| {
            let mut map = serde_json::Map::new();
            map.insert("en".into(), f(issue, Lang::En).into());
            map.insert("es".into(), f(issue, Lang::Es).into());
            map
        };
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("row", &issue.row)?;
        map.serialize_entry("user_id", &issue.shown_user_id())?;
        map.serialize_entry("field", issue.field.as_str())?;
        map.serialize_entry("code", issue.code.as_str())?;
        map.serialize_entry("severity", issue.severity().as_str())?;
        map.serialize_entry("message", &both(|i, l| i.message(l)))?;
        map.serialize_entry("fix", &both(|i, l| i.fix(l)))?;
        map.end()
    }
}

struct Issues<'a>(&'a [Issue]);

impl Serialize for Issues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(IssueRecord))
    }
}

#[derive(Serialize)]
struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    input: InputRecord<'a>,
    counts: CountsRecord<'a>,
    notices: Issues<'a>,
    issues: Issues<'a>,
}

#[derive(Serialize)]
struct InputRecord<'a> {
    file_name: std::borrow::Cow<'a, str>,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    delimiter: Option<String>,
    encoding: &'static str,
    bytes: usize,
    lines: usize,
}

#[derive(Serialize)]
struct CountsRecord<'a> {
    rows: usize,
    accepted: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    users_without_password: usize,
    users_with_totp: usize,
    users_with_unverified_addresses: usize,
    users_csv_only: usize,
    already_in_production: usize,
    imported_earlier: usize,
    api_requests: usize,
    by_code: &'a std::collections::BTreeMap<&'static str, usize>,
    rejected_by_first_reason: &'a std::collections::BTreeMap<&'static str, usize>,
}

/// `report.json`: the counts and every issue record.
pub fn write_report_json(out: &mut impl Write, prepared: &Prepared) -> io::Result<()> {
    let c = &prepared.counts;
    let report = Report {
        tool: "clerk-dev2prod",
        version: env!("CARGO_PKG_VERSION"),
        input: InputRecord {
            file_name: redact(&prepared.input.file_name),
            format: prepared.input.format.label(),
            delimiter: match prepared.input.format {
                InputFormat::Csv { delimiter } => Some((delimiter as char).to_string()),
                InputFormat::Json(_) => None,
            },
            encoding: prepared.input.encoding.label(),
            bytes: prepared.input.stats.bytes,
            lines: prepared.input.stats.lines,
        },
        counts: CountsRecord {
            rows: c.rows,
            accepted: c.accepted,
            rejected: c.rejected,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            users_without_password: c.users_without_password,
            users_with_totp: c.users_with_totp,
            users_with_unverified_addresses: c.users_with_unverified_addresses,
            users_csv_only: c.users_csv_only,
            already_in_production: c.already_in_production,
            imported_earlier: c.imported_earlier,
            api_requests: c.api_requests,
            by_code: &c.by_code,
            rejected_by_first_reason: &c.rejected_by_first_reason,
        },
        notices: Issues(&prepared.notices),
        issues: Issues(&prepared.issues),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("\t+14155550100"), "'+14155550100");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("Ada"), "Ada");
        assert_eq!(neutralise("\tAda"), "\tAda");
        assert_eq!(neutralise("＝1+1"), "'＝1+1");
        assert_eq!(neutralise("\t \r=1"), "'=1");
    }

    #[test]
    fn an_empty_users_json_is_an_empty_array() {
        assert_eq!(UsersJson::new(Vec::new()).finish().unwrap(), b"[]\n");
    }
}
