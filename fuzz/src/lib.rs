//! The invariants every fuzz target asserts, beyond "no panic", on what the command line and
//! the page would show or write for an input:
//!
//! - a result or a clear error (a message in both languages, neither empty);
//! - every row accepted, rejected or already in production: the counts add up to the rows
//!   read, and the files hold as many users and rejected rows as the counts say;
//! - no output file on an unusable input;
//! - no 12-character piece of any secret (a Clerk key anywhere in the input, a value in a
//!   row's secret columns) in any message or non-secret output, the tool's own words aside (a
//!   message's example "+14155550100" is no leak of a phone number shifted into a TOTP
//!   secret's column; the same number quoted from the row is) and text the input holds outside
//!   its keys (a variable named `5555…` beside a key of 5s); a row's secret is looked for in
//!   the tool's words and the values a message quotes that are none of the row's public cells
//!   (a column name quoted, `"primary_email_address"`, is no leak of a TOTP secret ending in
//!   `mail_address"`, nor a public phone number normalised);
//! - no cell of `rejected.csv` that a spreadsheet would run as a formula;
//! - Markdown outputs free of injected structure (headings, raw HTML, split table rows) and of
//!   control characters.
//!
//! A broken invariant panics with what broke, so libFuzzer saves the input as a crash.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, OnceLock};

use clerk_dev2prod::core::decode;
use clerk_dev2prod::core::escape::terminal;
use clerk_dev2prod::core::existing::ProductionUsers;
use clerk_dev2prod::core::instance::InstanceSettings;
use clerk_dev2prod::core::issue::{Detail, Issue};
use clerk_dev2prod::core::keys::ServiceCheck;
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{
    prepare_into, OutputFile, Outputs, PrepareOptions, Prepared, MIGRATION_MD, REJECTED_CSV,
    REPORT_JSON, USERS_JSON,
};
use clerk_dev2prod::core::reconcile::{
    reconcile, records, ReconcileInput, Reconciled, RECONCILE_JSON, RECONCILE_MD, RETRY_USERS_JSON,
};
use clerk_dev2prod::core::record::{ExportRecord, Raw, DASHBOARD_COLUMNS};
use clerk_dev2prod::core::rules::HASHERS;

pub const LANGS: [Lang; 2] = [Lang::En, Lang::Es];

/// Splits a fuzz input into at most `n` parts at NUL bytes (the last part keeps the rest), so
/// one input can stand for several files.
pub fn split_parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0).collect()
}

/// The text of an input as the engine reads it (or lossily, when it is not text).
fn input_text(bytes: &[u8]) -> String {
    match decode::decode(bytes) {
        Ok(decoded) => decoded.text.into_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Clerk keys in `text`, found by their prefix at the start of a word, with a body of at
/// least 12 letters and digits: the whole key is the secret (it is shown only as its prefix
/// and last four).
fn clerk_keys(text: &str, into: &mut Vec<String>) {
    into.extend(
        key_spans(text)
            .into_iter()
            .map(|(from, to)| text[from..to].to_string()),
    );
}

/// `text` with every Clerk key taken out: what of the input is no key.
fn outside_keys(text: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (start, end) in key_spans(text) {
        out.push_str(&text[from..start]);
        out.push_str(TAKEN_OUT);
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// Where the Clerk keys of `text` stand, in order (a key's body has no `_`, so none holds
/// another's prefix).
fn key_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    for prefix in ["sk_live_", "sk_test_", "pk_live_", "pk_test_"] {
        for (at, _) in text.match_indices(prefix) {
            let word_start =
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            let body = bytes[at + prefix.len()..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if word_start && body >= 12 {
                spans.push((at, at + prefix.len() + body));
            }
        }
    }
    spans.sort_unstable();
    spans
}

fn raw_text(raw: &Option<Raw>) -> String {
    match raw {
        None => String::new(),
        Some(Raw::Text(text)) => text.clone(),
        Some(Raw::Json(value)) => value.to_string(),
    }
}

/// What of one row is secret: its digest, its TOTP secret and its backup codes.
fn row_secrets(record: &ExportRecord) -> Vec<String> {
    // A digest's scheme (`pbkdf2_sha256$`, `awscognito#`) is no secret: messages name hashers.
    let digest = &record.password_digest;
    let scheme = digest
        .find(['$', '#'])
        .filter(|&at| {
            digest[..at]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_:".contains(&b))
        })
        .map_or(0, |at| at + 1);
    let mut secrets = vec![digest[scheme..].to_string(), record.totp_secret.clone()];
    secrets.extend(
        raw_text(&record.backup_codes)
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .map(str::to_string),
    );
    secrets.retain(|s| s.chars().count() >= 12);
    secrets
}

/// Everything of a row that is not secret: pieces of a secret that are also here (a name
/// that happens to hold part of a digest) are the user's own words, not a leak.
fn row_public(record: &ExportRecord) -> String {
    let mut all = [
        record.id.as_str(),
        &record.first_name,
        &record.last_name,
        &record.username,
        &record.primary_email,
        &record.primary_phone,
        &record.password_hasher,
        &record.external_id,
    ]
    .join("\n");
    for list in [
        &record.verified_emails,
        &record.unverified_emails,
        &record.verified_phones,
        &record.unverified_phones,
        &record.unread_addresses,
    ] {
        all.push('\n');
        all.push_str(&list.join("\n"));
    }
    for raw in [
        &record.public_metadata,
        &record.private_metadata,
        &record.unsafe_metadata,
        &record.created_at,
    ] {
        all.push('\n');
        all.push_str(&raw_text(raw));
    }
    all
}

/// The secrets of a set of inputs.
#[derive(Default)]
pub struct Secrets {
    /// Clerk keys: masked wherever they stand.
    anywhere: Vec<String>,
    /// A row's secret columns, by the line the row starts on: masked in that row's messages
    /// and in every file-level output, unless the same text is also in the row's own
    /// non-secret cells.
    by_row: BTreeMap<usize, Vec<String>>,
    public: String,
    /// The inputs with their keys taken out: a piece of a key that also stands there (a
    /// variable named `5555…` beside a key of 5s) is shown as that text, not as the key.
    outside_keys: String,
}

impl Secrets {
    /// The secrets of any input file (a config file, a log, an id list, a token).
    pub fn add_text(&mut self, bytes: &[u8]) {
        let text = input_text(bytes);
        clerk_keys(&text, &mut self.anywhere);
        self.outside_keys.push_str(&outside_keys(&text));
        self.outside_keys.push('\n');
    }

    /// The secrets of an export: those of any text, and each row's secret columns.
    pub fn add_export(&mut self, bytes: &[u8]) {
        self.add_text(bytes);
        // The column names are the tool's words too (a shifted row puts them in any cell).
        self.public.push_str(&DASHBOARD_COLUMNS.join("\n"));
        self.public.push('\n');
        // So are Clerk's hasher names: a message names the one a digest was checked against.
        self.public.push_str(&HASHERS.join("\n"));
        self.public.push('\n');
        if let Ok(records) = records(bytes) {
            for record in &records {
                self.by_row
                    .entry(record.line)
                    .or_default()
                    .extend(row_secrets(record));
                self.public.push_str(&row_public(record));
                self.public.push('\n');
            }
        }
    }

    /// One value that is secret as a whole (a token's signature).
    pub fn add_secret(&mut self, secret: &str) {
        if secret.chars().count() >= 12 {
            self.anywhere.push(secret.to_string());
        }
    }

    /// Input text that holds none of these secrets (a token's header and claims, the public
    /// keys file): a piece of a secret that it also holds is shown as that text.
    pub fn add_outside(&mut self, text: &str) {
        self.outside_keys.push_str(text);
        self.outside_keys.push('\n');
    }

    /// Whether `text` holds a 12-character piece of a Clerk key of the input that the input
    /// holds nowhere else.
    pub fn holds_a_key_piece(&self, text: &str) -> bool {
        self.anywhere.iter().any(|secret| {
            let chars: Vec<char> = secret.chars().collect();
            chars.windows(12).any(|piece| {
                let piece: String = piece.iter().collect();
                text.contains(&piece) && !self.outside_keys.contains(&piece)
            })
        })
    }

    pub fn from_export(bytes: &[u8]) -> Secrets {
        let mut secrets = Secrets::default();
        secrets.add_export(bytes);
        secrets
    }

    /// Panics if `text` holds a 12-character piece of a secret: a key, or one of the secret
    /// columns of the row on line `row` (0: a file-level output).
    pub fn assert_absent(&self, what: &str, text: &str, row: usize) {
        self.assert_absent_beside(what, text, row, "");
    }

    /// [`Secrets::assert_absent`] for a text made of the tool's words and values quoted from
    /// the input, `own` being the same text with those values taken out: a piece that `text`
    /// holds no more often than `own` does is the tool's own wording (an example in a fix),
    /// not a leak. A piece quoted from the input is one occurrence more, and still caught.
    pub fn assert_absent_beside(&self, what: &str, text: &str, row: usize, own: &str) {
        self.assert_absent_quoting(what, text, row, own, text);
    }

    /// [`Secrets::assert_absent_beside`] for a message whose values are known: `quoting` is
    /// `text` with the values it quotes that are public taken out (see
    /// [`Secrets::public_words`]), so a row's secret is looked for in the tool's words and
    /// the values that are no row's own (a piece made of a public value and the quote after
    /// it, `ail_address"`, is neither); keys are looked for in the whole text.
    pub fn assert_absent_quoting(
        &self,
        what: &str,
        text: &str,
        row: usize,
        own: &str,
        quoting: &str,
    ) {
        for secret in &self.anywhere {
            assert_no_piece(what, text, secret, &self.outside_keys, own);
        }
        // A row's secret columns are masked in that row's messages (what redaction promises);
        // file-level outputs are held to the keys alone, as a value shifted into a secret
        // column (a phone, a name) may stand in another row as itself.
        for secret in self.by_row.get(&row).into_iter().flatten() {
            assert_no_piece(what, quoting, secret, &self.public, own);
        }
    }

    /// Whether a value a message quotes is public: a row's own non-secret cell (or part of
    /// one), a column name, or a list of such.
    fn is_public(&self, value: &str) -> bool {
        !value.is_empty()
            && (self.public.contains(value)
                || value
                    .split(", ")
                    .all(|item| !item.is_empty() && self.public.contains(item)))
    }

    /// An issue's message and fix with the values it quotes that are public taken out (see
    /// [`TAKEN_OUT`]); a value a public one is changed to (a phone number normalised) is
    /// taken out with it, being made of it.
    pub fn public_words(&self, issue: &Issue, lang: Lang) -> (String, String) {
        let out = |value: &str| -> Box<str> {
            if self.is_public(value) {
                TAKEN_OUT.into()
            } else {
                value.into()
            }
        };
        let detail = match &issue.detail {
            Detail::Value(v) => Detail::Value(out(v)),
            Detail::Collision { value, first_row } => Detail::Collision {
                value: out(value),
                first_row: *first_row,
            },
            Detail::Changed { from, to } if self.is_public(from) => Detail::Changed {
                from: TAKEN_OUT.into(),
                to: TAKEN_OUT.into(),
            },
            Detail::Changed { from, to } => Detail::Changed {
                from: from.clone(),
                to: out(to),
            },
            Detail::ValueNumber(v, n) => Detail::ValueNumber(out(v), *n),
            Detail::List(v) => Detail::List(out(v)),
            Detail::Existing {
                prod_id,
                matched_by,
                value,
            } => Detail::Existing {
                prod_id: out(prod_id),
                matched_by,
                value: out(value),
            },
            other => other.clone(),
        };
        let template = Issue {
            user_id: out(&issue.user_id),
            detail,
            ..issue.clone()
        };
        (template.message(lang), template.fix(lang))
    }
}

fn assert_no_piece(what: &str, text: &str, secret: &str, public: &str, own: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for piece in chars.windows(12) {
        let piece: String = piece.iter().collect();
        if text.contains(&piece)
            && !public.contains(&piece)
            && occurrences(text, &piece) > occurrences(own, &piece)
        {
            panic!("{what} holds {piece:?}, a piece of the secret {secret:?}:\n{text}");
        }
    }
}

/// How many times `piece` stands in `text`, overlapping ones counted.
fn occurrences(text: &str, piece: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find(piece) {
        count += 1;
        from += at + piece.chars().next().map_or(1, char::len_utf8);
    }
    count
}

/// What stands in a message for a value quoted from the input: a character no generated
/// secret piece is made of next to the tool's words.
const TAKEN_OUT: &str = "\u{fffc}";

/// An issue's message and fix in the tool's words alone: every value it quotes from the
/// input (the user id too) replaced by [`TAKEN_OUT`]. Numbers stay: the tool counts them.
pub fn own_words(issue: &Issue, lang: Lang) -> (String, String) {
    let out = || Box::<str>::from(TAKEN_OUT);
    let detail = match &issue.detail {
        Detail::None => Detail::None,
        Detail::Value(_) => Detail::Value(out()),
        Detail::Collision { first_row, .. } => Detail::Collision {
            value: out(),
            first_row: *first_row,
        },
        Detail::Changed { .. } => Detail::Changed {
            from: out(),
            to: out(),
        },
        Detail::Number(n) => Detail::Number(*n),
        Detail::ValueNumber(_, n) => Detail::ValueNumber(out(), *n),
        Detail::List(_) => Detail::List(out()),
        Detail::Existing { matched_by, .. } => Detail::Existing {
            prod_id: out(),
            matched_by,
            value: out(),
        },
    };
    let template = Issue {
        user_id: out(),
        detail,
        ..issue.clone()
    };
    (template.message(lang), template.fix(lang))
}

/// A message shown to a person: not empty, no secret, and nothing a terminal would act on
/// once through the terminal escaper the command line prints with.
pub fn check_message(what: &str, message: &str, secrets: &Secrets, row: usize) {
    check_message_quoting(what, message, secrets, row, "", message);
}

/// [`check_message`] for a message whose own words (see [`own_words`]) and public values
/// (see [`Secrets::public_words`]) are known.
fn check_message_quoting(
    what: &str,
    message: &str,
    secrets: &Secrets,
    row: usize,
    own: &str,
    quoting: &str,
) {
    assert!(!message.trim().is_empty(), "{what}: an empty message");
    secrets.assert_absent_quoting(what, message, row, own, quoting);
    let shown = terminal(message);
    assert!(
        !shown.chars().any(is_hostile_char),
        "{what}: a control character reaches the terminal: {shown:?}"
    );
}

/// A character a terminal or an editor would act on (line breaks aside), or that reorders
/// the text around it.
fn is_hostile_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The sources that write the tool's Markdown: a heading whose text is not written there as
/// `# text` came from a value.
const MARKDOWN_SOURCES: [&str; 2] = [
    include_str!("../../src/core/runbook.rs"),
    include_str!("../../src/core/reconcile.rs"),
];

fn own_heading(text: &str) -> bool {
    let written = format!("# {text}");
    !text.is_empty()
        && MARKDOWN_SOURCES
            .iter()
            .any(|source| source.contains(&written))
}

/// The only raw HTML the tool's own words hold (placeholders CommonMark reads as tags).
const OWN_HTML: [&str; 2] = ["<frontend API host>", "<host de la Frontend API>"];

/// Panics if a Markdown file holds a control character, a heading or raw HTML the tool does
/// not write, or a table row split into more cells than its header.
pub fn check_markdown(what: &str, md: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    if let Some(c) = md.chars().find(|&c| is_hostile_char(c)) {
        panic!("{what} holds the control character {c:?}:\n{md}");
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                assert!(
                    own_heading(text.trim()),
                    "{what} has a heading the tool does not write: {text:?}\n{md}"
                );
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => assert!(
                OWN_HTML.contains(&html.trim()),
                "{what} holds raw HTML {html:?}\n{md}"
            ),
            _ => {}
        }
    }
    // A table row with more cells than its header: GFM drops the extra cells silently, so
    // only the source shows a `|` a value brought in.
    let mut columns: Option<usize> = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let cells = table_cells(line);
        match columns {
            None => columns = Some(cells),
            Some(n) => assert_eq!(
                cells, n,
                "{what}: a table row split by a value: {line:?}\n{md}"
            ),
        }
    }
}

/// The cells of a table row: `|` not escaped and not inside inline code.
fn table_cells(line: &str) -> usize {
    let mut cells = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => cells += 1,
            _ => {}
        }
        escaped = false;
    }
    cells
}

/// What starts a formula in a spreadsheet, East Asian locales' full-width forms too: written
/// here rather than taken from the engine, so the check does not shrink with it.
const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Outputs that remember which files were opened, so an error can be shown to leave none.
#[derive(Default)]
pub struct Recorded {
    pub opened: Vec<&'static str>,
    pub files: Vec<OutputFile>,
}

impl Outputs for Recorded {
    type Writer = Vec<u8>;

    fn open(&mut self, name: &'static str) -> io::Result<Vec<u8>> {
        self.opened.push(name);
        Ok(Vec::new())
    }

    fn close(&mut self, name: &'static str, bytes: Vec<u8>) -> io::Result<()> {
        self.files.push(OutputFile { name, bytes });
        Ok(())
    }
}

fn file<'f>(files: &'f [OutputFile], name: &str) -> Option<&'f OutputFile> {
    files.iter().find(|f| f.name == name)
}

fn text_of(file: &OutputFile) -> &str {
    std::str::from_utf8(&file.bytes).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", file.name))
}

/// Runs `prepare` as the command line does and checks every invariant on the result:
/// `Some` with the result when the input was usable.
pub fn check_prepare(
    export: &[u8],
    options: &PrepareOptions,
    secrets: &Secrets,
) -> Option<(Prepared, Vec<OutputFile>)> {
    let mut outputs = Recorded::default();
    match prepare_into(export, options, &mut outputs) {
        Err(err) => {
            assert!(
                outputs.opened.is_empty(),
                "an unusable input opened {:?}",
                outputs.opened
            );
            for lang in LANGS {
                check_message("the error", &err.message(lang), secrets, 0);
            }
            None
        }
        Ok((prepared, _)) => {
            let files = outputs.files;
            check_prepared(&prepared, &files, secrets, options.lang);
            Some((prepared, files))
        }
    }
}

fn check_prepared(
    prepared: &Prepared,
    files: &[OutputFile],
    secrets: &Secrets,
    options_lang: Lang,
) {
    let c = &prepared.counts;
    assert_eq!(
        c.rows,
        c.accepted + c.rejected + c.already_in_production,
        "rows unaccounted for: {c:?}"
    );
    assert!(c.users_csv_only <= c.rejected, "{c:?}");
    assert!(c.imported_earlier <= c.already_in_production, "{c:?}");
    assert_eq!(
        prepared.links.len(),
        c.already_in_production - c.imported_earlier,
        "links: {c:?}"
    );
    if c.rejected > 0 {
        assert!(!c.is_clean(), "rejected rows, yet clean: {c:?}");
    }
    let users: serde_json::Value =
        serde_json::from_slice(&file(files, USERS_JSON).expect("users.json").bytes)
            .expect("users.json is JSON");
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(c.accepted),
        "users.json holds another number of users than accepted: {c:?}"
    );
    let report = file(files, REPORT_JSON).expect("report.json");
    serde_json::from_slice::<serde_json::Value>(&report.bytes).expect("report.json is JSON");
    secrets.assert_absent("report.json", text_of(report), 0);
    let runbook = text_of(file(files, MIGRATION_MD).expect("MIGRATION.md"));
    secrets.assert_absent("MIGRATION.md", runbook, 0);
    check_markdown("MIGRATION.md", runbook);

    // rejected.csv: one record per rejected row; its problems column is the tool's words.
    let rejected = file(files, REJECTED_CSV).expect("rejected.csv");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(rejected.bytes.as_slice());
    let runs_as_formula = |cell: &str| {
        cell.trim_start_matches(['\t', '\r', '\n', ' '])
            .starts_with(FORMULA_STARTS)
    };
    let header = reader.headers().expect("rejected.csv has a header").clone();
    if let Some(cell) = header.iter().find(|c| runs_as_formula(c)) {
        panic!("rejected.csv's header cell {cell:?} would run as a formula");
    }
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("rejected.csv reads back as CSV");
        rows += 1;
        let row: usize = record[0]
            .parse()
            .expect("rejected.csv's row column is a number");
        // The problems column is `code: message | …` of the row's issues.
        let own: Vec<String> = prepared
            .issues
            .iter()
            .filter(|i| i.row == row)
            .map(|i| format!("{}: {}", i.code.as_str(), own_words(i, options_lang).0))
            .collect();
        // The same column with the public values taken out, message by message (a cell
        // written otherwise than the messages joined keeps every value).
        let mut quoting = record[1].to_string();
        for issue in prepared.issues.iter().filter(|i| i.row == row) {
            let code = issue.code.as_str();
            quoting = quoting.replacen(
                &format!("{code}: {}", issue.message(options_lang)),
                &format!("{code}: {}", secrets.public_words(issue, options_lang).0),
                1,
            );
        }
        secrets.assert_absent_quoting(
            "rejected.csv's problems",
            &record[1],
            row,
            &own.join(" | "),
            &quoting,
        );
        if let Some(cell) = record.iter().find(|c| runs_as_formula(c)) {
            panic!("rejected.csv's cell {cell:?} on row {row} would run as a formula");
        }
    }
    assert_eq!(
        rows, c.rejected,
        "rejected.csv holds another number of rows than rejected: {c:?}"
    );

    for name in ["link-existing.csv", "link-existing.sh", "link-existing.sql"] {
        if let Some(link) = file(files, name) {
            secrets.assert_absent(name, text_of(link), 0);
        }
    }
    for issue in prepared.issues.iter().chain(&prepared.notices) {
        for lang in LANGS {
            let what = format!("{} on line {}", issue.code.as_str(), issue.row);
            let (message, fix) = own_words(issue, lang);
            let (quoting_message, quoting_fix) = secrets.public_words(issue, lang);
            check_message_quoting(
                &what,
                &issue.message(lang),
                secrets,
                issue.row,
                &message,
                &quoting_message,
            );
            secrets.assert_absent_quoting(&what, &issue.fix(lang), issue.row, &fix, &quoting_fix);
        }
    }
}

/// A small ordinary export, for targets about another input.
pub fn dashboard_export() -> &'static [u8] {
    include_bytes!("../../tests/fixtures/exports/dashboard.csv")
}

/// Prepares the ordinary export with one thing from the fuzzer (settings, keys, production).
pub fn check_prepare_with(
    instance: Option<InstanceSettings>,
    key_checklist: Vec<ServiceCheck>,
    production: Option<ProductionUsers>,
    secrets: &mut Secrets,
) {
    let export = dashboard_export();
    secrets.add_export(export);
    let options = PrepareOptions {
        instance,
        key_checklist,
        production: production.map(Arc::new),
        ..PrepareOptions::default()
    };
    check_prepare(export, &options, secrets).expect("the ordinary export is usable");
}

/// Runs a whole reconcile and checks it: `Some` when the inputs were usable.
pub fn check_reconcile(input: &ReconcileInput, secrets: &Secrets) -> Option<Reconciled> {
    let reconciled = match reconcile(input, Lang::En) {
        Err(err) => {
            for lang in LANGS {
                check_message("the error", &err.message(lang), secrets, 0);
            }
            return None;
        }
        Ok(reconciled) => reconciled,
    };
    let c = &reconciled.counts;
    assert_eq!(
        c.dev_users,
        c.matched + c.exists_not_linked + c.missing + c.not_imported,
        "dev users unaccounted for: {c:?}"
    );
    assert_eq!(reconciled.missing.len(), c.missing);
    let files = &reconciled.files;
    let retry: serde_json::Value = serde_json::from_slice(
        &file(files, RETRY_USERS_JSON)
            .expect("retry-users.json")
            .bytes,
    )
    .expect("retry-users.json is JSON");
    assert!(
        retry
            .as_array()
            .is_some_and(|users| users.len() <= c.missing),
        "retry-users.json holds more users than are missing: {c:?}"
    );
    let json = file(files, RECONCILE_JSON).expect("reconcile.json");
    serde_json::from_slice::<serde_json::Value>(&json.bytes).expect("reconcile.json is JSON");
    secrets.assert_absent("reconcile.json", text_of(json), 0);
    let md = text_of(file(files, RECONCILE_MD).expect("reconcile.md"));
    secrets.assert_absent("reconcile.md", md, 0);
    check_markdown("reconcile.md", md);
    Some(reconciled)
}

/// The reconcile fixtures, for targets about one of its inputs.
pub struct ReconcileFixtures {
    pub dev: &'static [u8],
    pub prod: &'static [u8],
    pub log: &'static [u8],
    pub db_ids: &'static [u8],
}

pub fn reconcile_fixtures() -> &'static ReconcileFixtures {
    static FIXTURES: OnceLock<ReconcileFixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| ReconcileFixtures {
        dev: include_bytes!("../../tests/fixtures/reconcile/dev.csv"),
        prod: include_bytes!("../../tests/fixtures/reconcile/prod.json"),
        log: include_bytes!("../../tests/fixtures/reconcile/migration-2026-11-23.log"),
        db_ids: include_bytes!("../../tests/fixtures/reconcile/db-ids.csv"),
    })
}

/// What each fuzz target runs on one input, here so that the main test suite can run the
/// inputs the fuzzers found (`fuzz/regressions/TARGET/`) through the same checks.
pub mod targets {
    use clerk_dev2prod::core::checks::token::{check_token, TokenInput};
    use clerk_dev2prod::core::existing::ProductionUsers;
    use clerk_dev2prod::core::instance::read_settings;
    use clerk_dev2prod::core::keys::{check_keys, KeyFile};
    use clerk_dev2prod::core::prepare::PrepareOptions;
    use clerk_dev2prod::core::reconcile::ReconcileInput;

    use super::{
        check_message, check_prepare, check_prepare_with, check_reconcile, reconcile_fixtures,
        split_parts, Secrets, LANGS,
    };

    /// What a target runs on one input; a broken invariant panics.
    pub type Target = fn(&[u8]);

    /// Every target by its name (the name of its file under fuzz_targets/).
    pub const ALL: [(&str, Target); 8] = [
        ("export", export),
        ("instance_settings", instance_settings),
        ("key_files", key_files),
        ("production_users", production_users),
        ("migration_logs", migration_logs),
        ("db_ids", db_ids),
        ("reconcile", reconcile),
        ("session_token", session_token),
    ];

    /// The dev export: any bytes, read as the Dashboard CSV (also re-saved) or a JSON export.
    pub fn export(data: &[u8]) {
        let secrets = Secrets::from_export(data);
        check_prepare(data, &PrepareOptions::default(), &secrets);
    }

    /// The production instance's environment document (`--instance-settings`).
    pub fn instance_settings(data: &[u8]) {
        let mut secrets = Secrets::default();
        secrets.add_text(data);
        match read_settings(data) {
            Err(err) => LANGS
                .iter()
                .for_each(|&lang| check_message("the error", &err.message(lang), &secrets, 0)),
            Ok(settings) => check_prepare_with(Some(settings), Vec::new(), None, &mut secrets),
        }
    }

    /// The services' config files (`check-keys`, `prepare --keys`): up to four files split
    /// at NUL bytes; the first line of the input also names the first service (a file name),
    /// unless that line holds a piece of a key: the tool shows a file's name as it is given,
    /// so a key the user put in a name is theirs to show, not the tool's leak.
    pub fn key_files(data: &[u8]) {
        let mut secrets = Secrets::default();
        secrets.add_text(data);
        let parts = split_parts(data, 4);
        let first_line = parts[0].split(|&b| b == b'\n').next().unwrap_or_default();
        let first_name =
            String::from_utf8_lossy(&first_line[..first_line.len().min(64)]).into_owned();
        let files: Vec<KeyFile> = parts
            .iter()
            .enumerate()
            .map(|(i, bytes)| KeyFile {
                service: if i == 0 && !secrets.holds_a_key_piece(&first_name) {
                    first_name.clone()
                } else {
                    format!("service-{i}.env")
                },
                bytes: bytes.to_vec(),
            })
            .collect();
        let report = check_keys(&files);
        for key in &report.keys {
            let shown = format!(
                "{} {} {} {}",
                key.variable,
                key.masked,
                key.host.as_deref().unwrap_or(""),
                key.service
            );
            secrets.assert_absent("a key's line", &shown, 0);
        }
        for finding in &report.findings {
            for lang in LANGS {
                check_message(finding.code.as_str(), finding.message(lang), &secrets, 0);
                check_message(finding.code.as_str(), finding.fix(lang), &secrets, 0);
            }
        }
        check_prepare_with(None, report.checklist(), None, &mut secrets);
    }

    /// The production export taken before the import (`--production-users`).
    pub fn production_users(data: &[u8]) {
        let mut secrets = Secrets::from_export(data);
        match ProductionUsers::read(data) {
            Err(err) => LANGS
                .iter()
                .for_each(|&lang| check_message("the error", &err.message(lang), &secrets, 0)),
            Ok(users) => check_prepare_with(None, Vec::new(), Some(users), &mut secrets),
        }
    }

    /// The migration tool's logs (`reconcile --logs`): up to three logs split at NUL bytes.
    pub fn migration_logs(data: &[u8]) {
        let f = reconcile_fixtures();
        let mut secrets = Secrets::from_export(f.dev);
        secrets.add_export(f.prod);
        secrets.add_text(data);
        let input = ReconcileInput {
            dev: f.dev,
            prod: f.prod,
            logs: split_parts(data, 3),
            db_ids: Some(f.db_ids),
        };
        check_reconcile(&input, &secrets).expect("the fixtures are usable");
    }

    /// The database's user ids (`reconcile --db-ids`).
    pub fn db_ids(data: &[u8]) {
        let f = reconcile_fixtures();
        let mut secrets = Secrets::from_export(f.dev);
        secrets.add_export(f.prod);
        secrets.add_text(data);
        let input = ReconcileInput {
            dev: f.dev,
            prod: f.prod,
            logs: vec![f.log],
            db_ids: Some(data),
        };
        check_reconcile(&input, &secrets);
    }

    /// Reconcile as a whole: the dev export, the production export, a log and the database
    /// ids, split at NUL bytes.
    pub fn reconcile(data: &[u8]) {
        let parts = split_parts(data, 4);
        let part = |i: usize| parts.get(i).copied().unwrap_or_default();
        let mut secrets = Secrets::from_export(part(0));
        secrets.add_export(part(1));
        secrets.add_text(part(2));
        secrets.add_text(part(3));
        let input = ReconcileInput {
            dev: part(0),
            prod: part(1),
            logs: vec![part(2)],
            db_ids: (parts.len() > 3).then(|| part(3)),
        };
        check_reconcile(&input, &secrets);
    }

    /// The session token (standard input of `check-token`) and the JWKS, split at the first
    /// NUL byte; the token is a secret as a whole and must never be shown but masked.
    pub fn session_token(data: &[u8]) {
        let parts = split_parts(data, 2);
        let token = String::from_utf8_lossy(parts[0]);
        let jwks = parts.get(1).copied().unwrap_or_default();
        let mut secrets = Secrets::default();
        secrets.add_text(jwks);
        // The token's signature is its secret part; its header, its claims and the public
        // keys file are not (the tool quotes a kid of the keys file, whatever it holds).
        let mut token_secrets = Secrets::default();
        let trimmed = token.trim();
        if let Some((signed, signature)) = trimmed.rsplit_once('.') {
            token_secrets.add_secret(signature);
            token_secrets.add_outside(signed);
        } else {
            token_secrets.add_secret(trimmed);
        }
        token_secrets.add_outside(&String::from_utf8_lossy(jwks));
        let input = TokenInput {
            token: &token,
            jwks,
            claim_name: "userId",
            frontend_api: Some("clerk.example.com"),
            dev_ids: None,
            now: Some(1_764_000_000),
        };
        match check_token(&input) {
            Err(err) => LANGS.iter().for_each(|&lang| {
                check_message("the error", &err.message(lang), &secrets, 0);
                token_secrets.assert_absent("the error", &err.message(lang), 0);
            }),
            Ok(report) => {
                token_secrets.assert_absent("the masked token", &report.masked, 0);
                for finding in &report.findings {
                    for lang in LANGS {
                        check_message(finding.code.as_str(), finding.message(lang), &secrets, 0);
                        token_secrets.assert_absent(
                            finding.code.as_str(),
                            finding.message(lang),
                            0,
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clerk_dev2prod::core::issue::{Code, Field};

    /// A row whose TOTP secret column holds a phone number, as a shifted header leaves it.
    fn shifted() -> Secrets {
        let mut secrets = Secrets::default();
        secrets.by_row.insert(2, vec!["+14155550100".to_string()]);
        secrets
    }

    fn invalid_phone(value: &str) -> Issue {
        Issue {
            row: 2,
            user_id: "user_1".into(),
            field: Field::PrimaryPhone,
            code: Code::InvalidPhone,
            detail: Detail::Value(value.into()),
        }
    }

    fn leaks(issue: &Issue) -> bool {
        leaks_beside(issue, shifted())
    }

    fn leaks_beside(issue: &Issue, secrets: Secrets) -> bool {
        std::panic::catch_unwind(|| {
            for lang in LANGS {
                let (message, fix) = own_words(issue, lang);
                let (quoting_message, quoting_fix) = secrets.public_words(issue, lang);
                let shown = issue.message(lang);
                check_message_quoting("m", &shown, &secrets, 2, &message, &quoting_message);
                secrets.assert_absent_quoting("f", &issue.fix(lang), 2, &fix, &quoting_fix);
            }
        })
        .is_err()
    }

    #[test]
    fn the_tools_own_example_is_no_leak_but_the_same_value_quoted_is() {
        assert!(invalid_phone("ada_l")
            .fix(Lang::En)
            .contains("+14155550100"));
        assert!(!leaks(&invalid_phone("ada_l")));
        assert!(leaks(&invalid_phone("+14155550100x")));
        assert!(leaks(&invalid_phone("x+14155550100")));
    }

    #[test]
    fn a_public_value_quoted_is_no_leak_of_a_secret_sharing_its_edge() {
        // The TOTP secret ends as a quoted column name does; the phone column holds the name.
        let mut secrets = Secrets::default();
        secrets
            .by_row
            .insert(2, vec!["zzzzmail_address\": null".to_string()]);
        secrets.public = "primary_email_address\n".to_string();
        assert!(!leaks_beside(
            &invalid_phone("primary_email_address"),
            secrets
        ));
        // The same tail quoted from a value that is no row's own still is.
        let mut secrets = Secrets::default();
        secrets
            .by_row
            .insert(2, vec!["zzzzmail_address\": null".to_string()]);
        assert!(leaks_beside(
            &invalid_phone("primary_email_address"),
            secrets
        ));
    }

    #[test]
    fn a_public_phone_normalised_is_no_leak_but_a_secret_one_is() {
        let normalised = |from: &str| Issue {
            detail: Detail::Changed {
                from: from.into(),
                to: "+44207946000".into(),
            },
            code: Code::PhoneNormalised,
            ..invalid_phone("")
        };
        let with_public = |public: &str| {
            let mut secrets = Secrets::default();
            secrets.by_row.insert(2, vec!["+442079460000".to_string()]);
            secrets.public = public.to_string();
            secrets
        };
        assert!(!leaks_beside(
            &normalised("+442079460)00"),
            with_public("+442079460)00\n")
        ));
        assert!(leaks_beside(&normalised("+442079460)00"), with_public("")));
    }

    #[test]
    fn pieces_are_counted_where_they_overlap() {
        assert_eq!(occurrences("aaaa", "aa"), 3);
        assert_eq!(occurrences("", "aa"), 0);
        assert_eq!(occurrences("é+é+é", "é+é"), 2);
    }
}
