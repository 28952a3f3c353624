//! Users who already exist in production: people who signed in to the production instance
//! before the import (the team, early users, "Sign in with Google") have a production user
//! with a new id and no `external_id`. Importing their dev account fails (the email, phone
//! or username is taken), and the session claim keeps giving them the new id, so their dev
//! data stays invisible. Found here, from an export of production taken before the import,
//! and linked by setting each one's `external_id` to the dev id.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_128;

use crate::core::database::columns::ColumnRef;
use crate::core::database::remap::{self, Purpose};
use crate::core::lang::{group_digits, plural, Lang};
use crate::core::prepare::PrepareError;
use crate::core::reconcile::{each_row, ExportRow};
use crate::core::record::{
    clean_cell, each_list_item, Column, ExportRecord, MAX_CELL_BYTES, MAX_ROW_BYTES,
};
use crate::core::rules::{check_phone, Phone};
use crate::core::user::User;

/// Which identifier tied a dev user to a production user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchedBy {
    Email,
    Phone,
    Username,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Email => "email",
            MatchedBy::Phone => "phone",
            MatchedBy::Username => "username",
        }
    }
}

/// What matched, in words of the language: `email`, `phone`, `username` (the codes
/// `link-existing.csv` and the JSON reports carry) and `ambiguous` become "correo",
/// "teléfono", "nombre de usuario" and "ambiguo" in a Spanish sentence; anything else is
/// shown as it is.
pub fn matched_by_words(matched_by: &str, lang: Lang) -> &str {
    match (lang, matched_by) {
        (Lang::Es, "email") => "correo",
        (Lang::Es, "phone") => "teléfono",
        (Lang::Es, "username") => "nombre de usuario",
        (Lang::Es, "ambiguous") => "ambiguo",
        (_, other) => other,
    }
}

/// What the production instance already holds for one dev user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nobody: the import creates the user.
    No,
    /// A production user already carries this dev id as its `external_id`: an earlier run
    /// imported it, and creating it again would fail.
    ImportedEarlier { prod_id: String },
    /// One production user holds one of the dev user's identifiers and is not linked: the
    /// create would fail, and linking gives the person their dev data back.
    Collides {
        prod_id: String,
        matched_by: MatchedBy,
        value: String,
    },
    /// The identifiers point at more than one production user, or at one already linked to
    /// another dev user: nothing is guessed. Each entry is a production id, with the dev id
    /// it is linked to when it has one.
    Ambiguous { prod_users: Vec<(String, String)> },
}

/// An export of the production instance, indexed by every identifier a create could
/// collide with. The indexes hold 128-bit fingerprints of the normalised identifiers (as the
/// duplicate checks do), not the strings, and each user is indexed as it is read, straight
/// from the cells of a CSV (no record is made): reading a production export of 100k users
/// costs a fraction of preparing the dev export. Of each user only the id and the
/// external_id are kept, one after the other in one string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductionUsers {
    text: String,
    /// Where each user's id and then its external_id end in `text`; each user starts where
    /// the one before it ends.
    ends: Vec<(usize, usize)>,
    by_external_id: Index,
    by_email: Index,
    by_phone: Index,
    by_username: Index,
}

/// A fingerprint is already a hash: its low 64 bits pick the bucket.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type Prehash = BuildHasherDefault<Prehashed>;

/// Users by the fingerprint of one kind of identifier: the first holder inline, any further
/// ones (rare: a shared address) beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Index {
    first: HashMap<u128, u32, Prehash>,
    more: HashMap<u128, Vec<u32>, Prehash>,
}

impl Index {
    fn push(&mut self, key: Option<u128>, at: u32) {
        let Some(key) = key else { return };
        match self.first.get(&key) {
            None => {
                self.first.insert(key, at);
            }
            Some(&first) if first == at => {}
            Some(_) => {
                let more = self.more.entry(key).or_default();
                if more.last() != Some(&at) {
                    more.push(at);
                }
            }
        }
    }

    /// Every holder of the key, the first one first.
    fn get(&self, key: Option<u128>) -> impl Iterator<Item = usize> + '_ {
        let first = key.and_then(|k| self.first.get(&k)).copied();
        let more = key.and_then(|k| self.more.get(&k));
        first
            .into_iter()
            .chain(more.into_iter().flatten().copied())
            .map(|i| i as usize)
    }
}

/// The fingerprint of an identifier, lower-cased when asked (`str::to_lowercase`; ASCII
/// text of a usual length is folded on the stack, with no allocation); None for an empty
/// one, which matches nothing. Each kind has an index of its own, so the kinds need no seed
/// (a seeded XXH3 costs several times more).
fn key(value: &str, lower: bool) -> Option<u128> {
    if value.is_empty() {
        return None;
    }
    if !lower {
        return Some(xxh3_128(value.as_bytes()));
    }
    let mut folded = [0u8; 256];
    if value.is_ascii() && value.len() <= folded.len() {
        let folded = &mut folded[..value.len()];
        folded.copy_from_slice(value.as_bytes());
        folded.make_ascii_lowercase();
        Some(xxh3_128(folded))
    } else {
        Some(xxh3_128(value.to_lowercase().as_bytes()))
    }
}

/// A phone number's fingerprint, in E.164 when it reads as a number.
fn phone_key(number: &str) -> Option<u128> {
    match check_phone(number) {
        Phone::Normalised(normal) => key(&normal, false),
        _ => key(number, false),
    }
}

impl ProductionUsers {
    /// Reads a production export in any shape the dev export may have (Dashboard CSV, also
    /// re-saved; Backend API JSON; the flat JSON shape), indexing each user as it is read.
    pub fn read(bytes: &[u8]) -> Result<ProductionUsers, PrepareError> {
        let mut index = ProductionUsers::default();
        let mut reserved = false;
        each_row(bytes, |row| match row {
            ExportRow::Record(record) => index.add_record(record),
            ExportRow::Cells { columns, cells } => {
                if !reserved {
                    // A CSV holds about one user a line: room for all of them at once,
                    // instead of the indexes growing, and moving, as rows come.
                    index.reserve(bytes.iter().filter(|&&b| b == b'\n').count());
                    reserved = true;
                }
                index.add_cells(columns, cells)
            }
        })?;
        Ok(index)
    }

    pub fn from_records(records: Vec<ExportRecord>) -> ProductionUsers {
        let mut index = ProductionUsers::default();
        index.reserve(records.len());
        for record in &records {
            index.add_record(record);
        }
        index
    }

    fn reserve(&mut self, users: usize) {
        self.ends.reserve(users);
        for index in [
            &mut self.by_external_id,
            &mut self.by_email,
            &mut self.by_phone,
            &mut self.by_username,
        ] {
            index.first.reserve(users);
        }
    }

    /// A user as the JSON readers give it.
    fn add_record(&mut self, record: &ExportRecord) {
        let Some(at) = self.start(&record.id, &record.external_id) else {
            return;
        };
        for email in std::iter::once(&record.primary_email)
            .chain(&record.verified_emails)
            .chain(&record.unverified_emails)
        {
            self.by_email.push(key(email.trim(), true), at);
        }
        for phone in std::iter::once(&record.primary_phone)
            .chain(&record.verified_phones)
            .chain(&record.unverified_phones)
        {
            self.add_phone(phone, at);
        }
        self.by_username.push(key(&record.username, true), at);
    }

    /// A CSV row, from its cells: each cell read as [`ExportRecord::set_text`] reads it (the
    /// formula guard and spaces removed, lists split, a cell over the bound left empty, a row
    /// over the bound read for its id only), with nothing copied but the id and external_id.
    fn add_cells(&mut self, columns: &[Option<Column>], cells: &csv::StringRecord) {
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|&c| c == Some(wanted))
                .and_then(|i| cells.get(i))
                .filter(|cell| cell.len() <= MAX_CELL_BYTES)
                .map_or("", clean_cell)
        };
        let row_too_large = cells.as_slice().len() > MAX_ROW_BYTES;
        let external_id = if row_too_large {
            ""
        } else {
            cell(Column::ExternalId)
        };
        let Some(at) = self.start(cell(Column::Id), external_id) else {
            return;
        };
        if row_too_large {
            return;
        }
        for (cell, column) in cells.iter().zip(columns) {
            let Some(column) = column else { continue };
            if cell.len() > MAX_CELL_BYTES {
                continue;
            }
            match column {
                Column::PrimaryEmail => self.by_email.push(key(clean_cell(cell), true), at),
                Column::VerifiedEmails | Column::UnverifiedEmails => {
                    each_list_item(cell, |email| self.by_email.push(key(email, true), at))
                }
                Column::PrimaryPhone => self.add_phone(clean_cell(cell), at),
                Column::VerifiedPhones | Column::UnverifiedPhones => {
                    each_list_item(cell, |phone| self.add_phone(phone, at))
                }
                Column::Username => self.by_username.push(key(clean_cell(cell), true), at),
                _ => {}
            }
        }
    }

    /// Keeps a user's id and external_id, indexes the external_id, and gives the user's
    /// place; None for a user without an id, which nothing can refer to.
    fn start(&mut self, id: &str, external_id: &str) -> Option<u32> {
        if id.is_empty() {
            return None;
        }
        let at = self.ends.len() as u32;
        self.text.push_str(id);
        let id_end = self.text.len();
        self.text.push_str(external_id);
        self.ends.push((id_end, self.text.len()));
        self.by_external_id.push(key(external_id, false), at);
        Some(at)
    }

    fn add_phone(&mut self, phone: &str, at: u32) {
        let phone = phone.trim();
        if !phone.is_empty() {
            self.by_phone.push(phone_key(phone), at);
        }
    }

    /// The production id of the user at `at`.
    fn id(&self, at: usize) -> &str {
        let start = at.checked_sub(1).map_or(0, |before| self.ends[before].1);
        &self.text[start..self.ends[at].0]
    }

    /// The external_id of the user at `at` (empty when it has none).
    fn external_id(&self, at: usize) -> &str {
        let (id_end, end) = self.ends[at];
        &self.text[id_end..end]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// What production holds for this dev user (as `users.json` would carry it).
    pub fn find(&self, user: &User) -> Existing {
        self.find_identifiers(
            &user.user_id,
            user.all_emails().map(String::as_str),
            user.all_phones().map(String::as_str),
            user.username.as_deref(),
        )
    }

    /// What production holds for a dev user with these identifiers.
    pub fn find_identifiers<'a>(
        &self,
        dev_id: &str,
        emails: impl Iterator<Item = &'a str>,
        phones: impl Iterator<Item = &'a str>,
        username: Option<&'a str>,
    ) -> Existing {
        let ambiguous = |found: &BTreeSet<usize>| Existing::Ambiguous {
            prod_users: found
                .iter()
                .map(|&i| (self.id(i).to_string(), self.external_id(i).to_string()))
                .collect(),
        };
        let linked: Vec<usize> = self.by_external_id.get(key(dev_id, false)).collect();
        match linked.as_slice() {
            [] => {}
            [one] => {
                return Existing::ImportedEarlier {
                    prod_id: self.id(*one).to_string(),
                }
            }
            many => return ambiguous(&many.iter().copied().collect()),
        }
        let mut found: BTreeSet<usize> = BTreeSet::new();
        let mut first: Option<(MatchedBy, &str)> = None;
        let identifiers = emails
            .filter(|e| !e.is_empty())
            .map(|e| (MatchedBy::Email, e))
            .chain(
                phones
                    .filter(|p| !p.is_empty())
                    .map(|p| (MatchedBy::Phone, p)),
            )
            .chain(
                username
                    .into_iter()
                    .filter(|u| !u.is_empty())
                    .map(|u| (MatchedBy::Username, u)),
            );
        for (kind, value) in identifiers {
            let (index, fingerprint) = match kind {
                MatchedBy::Email => (&self.by_email, key(value, true)),
                MatchedBy::Phone => (&self.by_phone, phone_key(value)),
                MatchedBy::Username => (&self.by_username, key(value, true)),
            };
            let mut holders = index.get(fingerprint).peekable();
            if holders.peek().is_some() {
                first.get_or_insert((kind, value));
            }
            found.extend(holders);
        }
        match (found.len(), first) {
            (0, _) | (_, None) => Existing::No,
            (1, Some((matched_by, value))) => {
                let holder = *found.first().expect("one holder");
                if self.external_id(holder).is_empty() {
                    Existing::Collides {
                        prod_id: self.id(holder).to_string(),
                        matched_by,
                        value: value.to_string(),
                    }
                } else {
                    // Linked to another dev user: linking again would steal that user's data.
                    ambiguous(&found)
                }
            }
            _ => ambiguous(&found),
        }
    }
}

/// What the page's production step says once the production export is read and before an
/// export is prepared: how many production users it holds.
pub fn read_sentence(lang: Lang, name: &str, production_users: usize) -> String {
    let q = group_digits(lang, production_users);
    match lang {
        Lang::En => format!(
            "{name}: {q} production {} read; the check runs once an export is given above.",
            plural(production_users, "user", "users"),
        ),
        Lang::Es => format!(
            "{name}: {q} {} de producción; la comprobación se hace cuando indiques una exportación arriba.",
            plural(production_users, "usuario leído", "usuarios leídos"),
        ),
    }
}

/// The page's headline for the check: with nobody found, how many accepted users were
/// compared with how many production users (the green sentence carries its evidence);
/// otherwise how many are already in production, and apart from them the dev users whose
/// identifiers point at more than one production user (rejected, so the headline's count
/// and the list agree).
pub fn headline(
    lang: Lang,
    name: &str,
    accepted: usize,
    production_users: usize,
    already_in_production: usize,
    ambiguous: usize,
) -> String {
    let n = |x: usize| group_digits(lang, x);
    if already_in_production == 0 && ambiguous == 0 {
        let (p, q) = (n(accepted), n(production_users));
        return match lang {
            Lang::En => format!(
                "{name}: checked {p} accepted {} against {q} production {}: {}.",
                plural(accepted, "user", "users"),
                plural(production_users, "user", "users"),
                plural(
                    accepted,
                    "it has no production account yet",
                    "none of them has a production account yet"
                ),
            ),
            Lang::Es => format!(
                "{name}: {} {p} {} frente a {q} {} de producción: {}.",
                plural(accepted, "se comprobó", "se comprobaron"),
                plural(accepted, "usuario aceptado", "usuarios aceptados"),
                plural(production_users, "usuario", "usuarios"),
                plural(
                    accepted,
                    "todavía no tiene cuenta de producción",
                    "ninguno tiene todavía cuenta de producción"
                ),
            ),
        };
    }
    let mut sentences = Vec::new();
    if already_in_production > 0 {
        sentences.push(match lang {
            Lang::En => format!(
                "{name}: {} already in production, left out of users.json. link-existing.sh (in the downloads) links {} to {} dev id; link-existing.sql moves what {} wrote in production.",
                n(already_in_production),
                plural(already_in_production, "it", "each one"),
                plural(already_in_production, "its", "their"),
                plural(already_in_production, "the person", "they"),
            ),
            Lang::Es => format!(
                "{name}: {} ya en producción, fuera de users.json. link-existing.sh (en las descargas) {} a su id de desarrollo; link-existing.sql mueve lo que {} en producción.",
                n(already_in_production),
                plural(already_in_production, "lo vincula", "vincula cada uno"),
                plural(already_in_production, "escribió", "escribieron"),
            ),
        });
    }
    if ambiguous > 0 {
        let k = n(ambiguous);
        let more = already_in_production > 0;
        sentences.push(match (lang, more) {
            (Lang::En, true) => format!(
                "{k} more {} more than one production user: rejected (in rejected.csv), nothing is guessed.",
                plural(ambiguous, "matches", "match"),
            ),
            (Lang::En, false) => format!(
                "{name}: {k} {} more than one production user: rejected (in rejected.csv), nothing is guessed.",
                plural(ambiguous, "dev user matches", "dev users match"),
            ),
            (Lang::Es, true) => format!(
                "Además, {k} {} con más de un usuario de producción: {} (en rejected.csv), no se adivina nada.",
                plural(ambiguous, "coincide", "coinciden"),
                plural(ambiguous, "rechazado", "rechazados"),
            ),
            (Lang::Es, false) => format!(
                "{name}: {k} {} con más de un usuario de producción: {} (en rejected.csv), no se adivina nada.",
                plural(ambiguous, "usuario de desarrollo coincide", "usuarios de desarrollo coinciden"),
                plural(ambiguous, "rechazado", "rechazados"),
            ),
        });
    }
    sentences.join(" ")
}

/// A production user to link to its dev account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dev_id: String,
    pub prod_id: String,
    pub matched_by: MatchedBy,
    pub email: String,
}

pub const LINK_EXISTING_CSV: &str = "link-existing.csv";
pub const LINK_EXISTING_SH: &str = "link-existing.sh";
pub const LINK_EXISTING_SQL: &str = "link-existing.sql";

/// `link-existing.csv`: one line a link, LF, no byte-order mark; cells a spreadsheet would
/// run are neutralised like `rejected.csv`'s.
pub fn link_csv(links: &[Link]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let neutral = |cell: &str| crate::core::emit::neutralise(cell).into_owned();
    writer
        .write_record(["dev_user_id", "prod_user_id", "matched_by", "email"])
        .expect("writing to memory");
    for link in links {
        writer
            .write_record([
                neutral(&link.dev_id),
                neutral(&link.prod_id),
                link.matched_by.as_str().to_string(),
                neutral(&link.email),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// Text for a shell comment: control characters (a line break would end the comment and
/// start a command) shown as `?`.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A value as one single-quoted shell word: nothing in it is expanded or ends the word.
fn shell_word(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A production user id as one URL path segment: anything but `A-Z a-z 0-9 _ -` is
/// percent-encoded, so an odd id can never reach another endpoint.
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `link-existing.sh`: one `PATCH /v1/users/<prod id>` a user, setting `external_id` to the
/// dev id. The secret key is read from `$CLERK_SECRET_KEY` and handed to curl on its standard
/// input, so it is never in the file, on a command line or in the process list. Setting the
/// same `external_id` twice changes nothing, so the script is safe to run again.
pub fn link_script(links: &[Link], source: &str) -> Vec<u8> {
    let mut sh = String::new();
    sh.push_str("#!/bin/sh\n");
    sh.push_str(
        "# Links production users who signed up before the import to their development accounts:\n\
         # sets each one's external_id to the dev user id, so the session claim\n\
         # {{user.external_id || user.id}} carries the id your database knows.\n",
    );
    sh.push_str(&format!(
        "# Written by clerk-dev2prod from {}. Safe to run more than once.\n",
        comment_text(source)
    ));
    sh.push_str(
        "#\n# Usage: CLERK_SECRET_KEY=sk_live_... sh link-existing.sh\n\
         # (CLERK_API_URL overrides https://api.clerk.com, e.g. for a test server.)\n\
         set -eu\n\
         : \"${CLERK_SECRET_KEY:?set CLERK_SECRET_KEY to the production secret key (sk_live_...)}\"\n\
         api=\"${CLERK_API_URL:-https://api.clerk.com}\"\n\
         body=$(mktemp)\n\
         trap 'rm -f \"$body\"' EXIT\n\
         failed=0\n\
         \n\
         # link PROD_ID DEV_ID JSON: one PATCH, its result printed.\n\
         link() {\n\
         \tstatus=$(printf 'header = \"Authorization: Bearer %s\"\\n' \"$CLERK_SECRET_KEY\" |\n\
         \t\tcurl --silent --show-error --config - --request PATCH \\\n\
         \t\t\t--header 'Content-Type: application/json' --data \"$3\" \\\n\
         \t\t\t--output \"$body\" --write-out '%{http_code}' \"$api/v1/users/$1\") || status=000\n\
         \tcase \"$status\" in\n\
         \t2??) printf 'linked %s -> %s\\n' \"$1\" \"$2\" ;;\n\
         \t*)\n\
         \t\tprintf 'FAILED %s -> %s: HTTP %s %s\\n' \"$1\" \"$2\" \"$status\" \"$(cat \"$body\")\" >&2\n\
         \t\tfailed=$((failed + 1))\n\
         \t\t;;\n\
         \tesac\n\
         }\n\n",
    );
    for link in links {
        let body = serde_json::json!({ "external_id": link.dev_id }).to_string();
        sh.push_str(&format!(
            "link {} {} {}\n",
            shell_word(&path_segment(&link.prod_id)),
            shell_word(&link.dev_id),
            shell_word(&body)
        ));
    }
    sh.push_str(
        "\nif [ \"$failed\" -gt 0 ]; then\n\
         \tprintf '%s of the links failed; fix the cause and run this script again.\\n' \"$failed\" >&2\n\
         \texit 1\n\
         fi\n",
    );
    sh.into_bytes()
}

/// A PostgreSQL string literal: quotes doubled, and standard_conforming_strings assumed
/// (PostgreSQL's default since 9.1), so a backslash is an ordinary character.
pub fn sql_literal(value: &str) -> String {
    crate::core::database::literal(value)
}

/// `link-existing.sql`: once linked, a person's session claim carries the dev id, so what
/// they wrote in production under their new id must move to the dev id too. With the
/// columns named, one transaction moves them, counting and checking each column; without,
/// the SQL counts them in every column named like a user id (changing nothing) and shows
/// the two statements to repeat per table.
pub fn link_sql(links: &[Link], columns: &[ColumnRef]) -> Vec<u8> {
    let pairs: Vec<(String, String)> = links
        .iter()
        .map(|l| (l.prod_id.clone(), l.dev_id.clone()))
        .collect();
    if !columns.is_empty() {
        return remap::script(&pairs, columns, Purpose::Link).into_bytes();
    }
    let mut sql = remap::link_count_sql(&pairs);
    let values: Vec<String> = pairs
        .iter()
        .map(|(prod, dev)| format!("--   ({}, {})", sql_literal(prod), sql_literal(dev)))
        .collect();
    sql.push_str(&format!(
        "\n-- 2. Then, in a maintenance window, one transaction: for each table that keys rows by\n\
         -- the Clerk user id, replace user_notes and user_id with its name and column.\n\
         -- BEGIN;\n\
         -- CREATE TEMP TABLE clerk_link (prod_id text PRIMARY KEY, dev_id text NOT NULL) ON COMMIT DROP;\n\
         -- INSERT INTO clerk_link (prod_id, dev_id) VALUES\n{};\n\
         -- SELECT count(*) FROM user_notes t JOIN clerk_link l ON t.user_id = l.prod_id;\n\
         -- UPDATE user_notes t SET user_id = l.dev_id FROM clerk_link l WHERE t.user_id = l.prod_id;\n\
         -- COMMIT;\n",
        values.join(",\n")
    ));
    sql.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prod(id: &str, external_id: &str, email: &str) -> ExportRecord {
        ExportRecord {
            id: id.into(),
            external_id: external_id.into(),
            primary_email: email.into(),
            ..ExportRecord::default()
        }
    }

    fn dev(id: &str, email: &str) -> User {
        User {
            user_id: id.into(),
            email: (!email.is_empty()).then(|| email.to_string()),
            ..User::default()
        }
    }

    #[test]
    fn each_identifier_finds_its_holder() {
        let mut grace = prod("user_p2", "", "");
        grace.verified_emails = vec!["other@example.com".into(), "Grace@Example.com".into()];
        let mut mary = prod("user_p3", "", "");
        mary.primary_phone = "+44 20 7946 0000".into();
        mary.username = "MJackson".into();
        let index = ProductionUsers::from_records(vec![
            prod("user_p1", "user_d1", "ada@example.com"),
            grace,
            mary,
        ]);
        assert_eq!(
            index.find(&dev("user_d1", "someone@example.com")),
            Existing::ImportedEarlier {
                prod_id: "user_p1".into()
            }
        );
        assert_eq!(
            index.find(&dev("user_d2", "grace@example.COM")),
            Existing::Collides {
                prod_id: "user_p2".into(),
                matched_by: MatchedBy::Email,
                value: "grace@example.COM".into()
            }
        );
        let mut by_phone = dev("user_d3", "");
        by_phone.phone = Some("+442079460000".into());
        assert!(matches!(
            index.find(&by_phone),
            Existing::Collides {
                matched_by: MatchedBy::Phone,
                ..
            }
        ));
        let mut by_username = dev("user_d4", "");
        by_username.username = Some("mjackson".into());
        assert!(matches!(
            index.find(&by_username),
            Existing::Collides {
                matched_by: MatchedBy::Username,
                ..
            }
        ));
        assert_eq!(index.find(&dev("user_d5", "new@example.com")), Existing::No);
    }

    #[test]
    fn two_holders_or_one_linked_elsewhere_is_never_a_guess() {
        let index = ProductionUsers::from_records(vec![
            prod("user_p1", "", "a@example.com"),
            prod("user_p2", "", "b@example.com"),
            prod("user_p3", "user_other", "c@example.com"),
        ]);
        let mut both = dev("user_d1", "a@example.com");
        both.email_addresses = vec!["b@example.com".into()];
        assert_eq!(
            index.find(&both),
            Existing::Ambiguous {
                prod_users: vec![
                    ("user_p1".into(), String::new()),
                    ("user_p2".into(), String::new())
                ]
            }
        );
        assert_eq!(
            index.find(&dev("user_d2", "c@example.com")),
            Existing::Ambiguous {
                prod_users: vec![("user_p3".into(), "user_other".into())]
            }
        );
    }

    #[test]
    fn the_script_quotes_every_value_and_never_holds_the_key() {
        let links = [Link {
            dev_id: "user_'; rm -rf ~ #".into(),
            prod_id: "user_p1/../../v1/instance".into(),
            matched_by: MatchedBy::Email,
            email: "a@example.com".into(),
        }];
        let sh = String::from_utf8(link_script(&links, "prod.csv\n`x`")).unwrap();
        assert!(
            sh.contains(
                "link 'user_p1%2F%2E%2E%2F%2E%2E%2Fv1%2Finstance' 'user_'\\''; rm -rf ~ #'"
            ),
            "{sh}"
        );
        assert!(!sh.contains("Bearer sk_"), "no key in the file");
        assert!(
            !sh.contains("\n`x`"),
            "the source name stays on its comment line"
        );
        assert_eq!(
            sql_literal("o'neil\\"),
            "'o''neil\\'",
            "quotes doubled, backslash literal"
        );
    }
}
