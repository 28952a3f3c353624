//! Reading the Dashboard CSV: comment lines, the header, the delimiter a spreadsheet chose,
//! quoted cells with line breaks, short and long rows, and each row's editor line number.

use csv::StringRecord;

use crate::core::record::{Column, ExportRecord, MAX_CELL_BYTES, MAX_ROW_BYTES};

/// The shape of a CSV export, found from its header: owns no text, so a reading can pause
/// between rows and resume later (the page reads in slices to stay responsive).
#[derive(Debug, Clone)]
pub struct CsvLayout {
    /// Editor line of the header.
    pub header_line: usize,
    pub delimiter: u8,
    /// What each header cell maps to, in file order.
    pub columns: Vec<Option<Column>>,
    /// The header cells as written.
    pub header: Vec<String>,
    /// Header cells that are not Clerk columns.
    pub ignored_columns: Vec<String>,
    /// Lines skipped as comments (before the header, or `#` lines with a single cell).
    pub comment_lines: Vec<usize>,
}

/// Where a paused reading resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvCursor {
    /// Byte offset of the next record.
    pub offset: usize,
    /// Editor line of the next record.
    pub line: usize,
    pub done: bool,
}

impl CsvCursor {
    /// The reader stops right after a record's terminator, which may leave the `\n` of a
    /// `\r\n`, or blank lines, ahead of the next record. Stepping over them here keeps line
    /// numbers and the `#` check exact when a reading resumes.
    fn skip_line_ends(&mut self, text: &str) {
        let rest = &text.as_bytes()[self.offset.min(text.len())..];
        for &b in rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')) {
            self.offset += 1;
            if b == b'\n' {
                self.line += 1;
            }
        }
        if self.offset >= text.len() {
            self.done = true;
        }
    }
}

/// A CSV that is not a Clerk export: what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAClerkCsv {
    pub found: Vec<String>,
    /// The header opens a quote that no later character closes on its line: the line it is
    /// on. The whole file would be read as one header record, and no row at all.
    pub unclosed_quote: Option<usize>,
    /// A Clerk column the header names twice, as the header writes it: which of the two
    /// cells holds a user's value cannot be told.
    pub duplicate_column: Option<String>,
}

/// One row: the record and the cells exactly as read (for `rejected.csv`), borrowed from a
/// buffer the reader reuses for every row.
pub struct CsvRow<'r> {
    pub record: ExportRecord,
    pub cells: &'r StringRecord,
}

impl CsvLayout {
    /// Finds the header (after blank and `#` comment lines) and where the data starts.
    pub fn open(text: &str) -> Result<(CsvLayout, CsvCursor), NotAClerkCsv> {
        let mut offset = 0;
        let mut line = 1;
        let mut comment_lines = Vec::new();
        // Leading blank lines and `# …` comment lines (Clerk's sample file starts with one).
        let header_text = loop {
            let end = text[offset..]
                .find('\n')
                .map_or(text.len(), |e| offset + e + 1);
            let this = &text[offset..end];
            let trimmed = this.trim();
            if trimmed.starts_with('#') {
                comment_lines.push(line);
            } else if !trimmed.is_empty() || end == text.len() {
                break this;
            }
            if end == text.len() {
                break "";
            }
            offset = end;
            line += 1;
        };
        let delimiter = sniff_delimiter(header_text);
        let header: Vec<String> = header_text
            .trim_end_matches(['\r', '\n'])
            .split(delimiter as char)
            .map(|h| h.trim().trim_matches('"').trim().to_string())
            .collect();
        let columns: Vec<Option<Column>> = header.iter().map(|h| Column::from_name(h)).collect();
        if !columns.contains(&Some(Column::Id)) {
            return Err(NotAClerkCsv {
                found: header.into_iter().filter(|h| !h.is_empty()).collect(),
                unclosed_quote: None,
                duplicate_column: None,
            });
        }
        if let Some(at) =
            (1..columns.len()).find(|&i| columns[i].is_some() && columns[..i].contains(&columns[i]))
        {
            return Err(NotAClerkCsv {
                duplicate_column: Some(header[at].clone()),
                found: header,
                unclosed_quote: None,
            });
        }
        let ignored_columns = header
            .iter()
            .zip(&columns)
            .filter(|(_, c)| c.is_none())
            .map(|(h, _)| h.clone())
            .collect();
        // The data starts after the header record (which a quoted cell could stretch).
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&text.as_bytes()[offset..]);
        let _ = reader.read_record(&mut StringRecord::new());
        let after = reader.position();
        // A header is one line; one that runs on, or ends inside a quote (a file with no
        // row after it), has a quote that never closes.
        if after.line() > 2 || open_quote(header_text, delimiter).is_some() {
            return Err(NotAClerkCsv {
                found: header,
                unclosed_quote: Some(line),
                duplicate_column: None,
            });
        }
        let mut cursor = CsvCursor {
            offset: offset + after.byte() as usize,
            line: line + after.line() as usize - 1,
            done: false,
        };
        cursor.skip_line_ends(text);
        let layout = CsvLayout {
            header_line: line,
            delimiter,
            columns,
            header,
            ignored_columns,
            comment_lines,
        };
        Ok((layout, cursor))
    }

    /// Reads up to `max_rows` data rows from `cursor` in order, calling `each` with each one,
    /// and moves the cursor past them. Comment lines met on the way are added to
    /// `comment_lines`.
    pub fn read_rows(
        &mut self,
        text: &str,
        cursor: &mut CsvCursor,
        max_rows: usize,
        mut each: impl FnMut(CsvRow<'_>),
    ) {
        let mut comment_lines = Vec::new();
        self.walk_rows(text, cursor, max_rows, &mut comment_lines, |row| {
            let (cells, line) = (row.cells, row.line);
            let unclosed_quote = self.unclosed_quote(cells, line).or_else(|| {
                // Only the last record is scanned: scanning every one would read the rest of
                // the file once per row.
                if !row.at_end {
                    return None;
                }
                let field = open_quote(row.rest, self.delimiter)?;
                Some((self.column_name(field), 0))
            });
            let mut record = ExportRecord {
                line,
                starts_with_hash: row.starts_with_hash,
                extra_cells: cells.len().saturating_sub(self.columns.len()),
                unclosed_quote,
                ..ExportRecord::default()
            };
            // A row over the bound is read for its id only, so no message quotes the rest.
            let row_bytes = cells.as_slice().len();
            if row_bytes > MAX_ROW_BYTES {
                record.row_too_large = Some(row_bytes);
            }
            for (cell, column) in cells.iter().zip(&self.columns) {
                match column {
                    Some(Column::Id) => record.set_text(Column::Id, cell),
                    Some(column) if record.row_too_large.is_none() => {
                        record.set_text(*column, cell)
                    }
                    // Still named, unread: the cells that make the row too large.
                    Some(column) if cell.len() > MAX_CELL_BYTES => {
                        record.too_large.push((column.field(), cell.len()))
                    }
                    _ => {}
                }
            }
            each(CsvRow { record, cells });
        });
        self.comment_lines.append(&mut comment_lines);
    }

    /// [`CsvLayout::read_rows`] without making records: each data row's cells as read, for a
    /// reader that keeps only a few of them (the production users' index). Comment lines are
    /// skipped, as there, and added to `comment_lines`.
    pub fn walk_rows(
        &self,
        text: &str,
        cursor: &mut CsvCursor,
        max_rows: usize,
        comment_lines: &mut Vec<usize>,
        mut each: impl FnMut(RawRow<'_>),
    ) {
        if cursor.done {
            return;
        }
        let body = &text[cursor.offset..];
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(body.as_bytes()));
        // A reader keeps a copy of the first record it reads (as headers, even with none
        // asked for) unless it has headers and has been positioned: with a row of
        // megabytes, that copy would double what the row costs.
        reader.set_byte_headers(csv::ByteRecord::new());
        reader
            .seek(csv::Position::new())
            .expect("an in-memory reader seeks");
        let mut cells = StringRecord::new();
        let mut taken = 0;
        while taken < max_rows {
            // The input is valid UTF-8 text, and csv reports no other errors for an
            // in-memory reader with flexible rows, so an error can only end the input.
            if !matches!(reader.read_record(&mut cells), Ok(true)) {
                cursor.done = true;
                break;
            }
            // The reader dates a record from where it stood, which can be before the `\n` of
            // a `\r\n` or before blank lines; the record itself starts after them.
            let position = cells
                .position()
                .expect("records read from a reader have positions");
            let mut start = position.byte() as usize;
            let mut line = cursor.line + position.line() as usize - 1;
            while let Some(&b) = body
                .as_bytes()
                .get(start)
                .filter(|b| matches!(b, b'\r' | b'\n'))
            {
                line += usize::from(b == b'\n');
                start += 1;
            }
            let starts_with_hash = body.as_bytes().get(start) == Some(&b'#');
            if starts_with_hash && cells.len() == 1 && self.columns.len() > 1 {
                comment_lines.push(line);
                continue;
            }
            taken += 1;
            // The last record can end inside a quote without a line break to show for it:
            // the file ends in the quote, which took the rest of the row as one cell.
            let at_end = reader.position().byte() as usize >= body.len();
            each(RawRow {
                line,
                starts_with_hash,
                cells: &cells,
                rest: &body[start..],
                at_end,
            });
        }
        let after = reader.position();
        cursor.offset += after.byte() as usize;
        cursor.line += after.line() as usize - 1;
        cursor.skip_line_ends(text);
    }
}

/// One data row as [`CsvLayout::walk_rows`] meets it, before any cell is stored.
pub struct RawRow<'r> {
    /// The editor line the row starts on.
    pub line: usize,
    /// The row's first byte is `#`.
    pub starts_with_hash: bool,
    /// The cells as read, in the header's order.
    pub cells: &'r StringRecord,
    /// The text from the row's first byte to the end of the input.
    rest: &'r str,
    /// The row is the input's last record.
    at_end: bool,
}

impl CsvLayout {
    /// A quote opened in a row and closed only lines later (or never) makes one cell of the
    /// rows in between. Clerk writes line breaks in names only, and few: a line break in any
    /// other Clerk column, a name of more than a few lines, or a cell whose later lines hold
    /// a row's worth of delimiters, is such a quote. Then: the column it opened in, and the
    /// line the record runs to.
    fn unclosed_quote(&self, cells: &StringRecord, line: usize) -> Option<(String, usize)> {
        // A quote that never closes takes the file's last line break too.
        let breaks = |cell: &str| cell.trim_end_matches(['\r', '\n']).matches('\n').count();
        let total: usize = cells.iter().map(breaks).sum();
        if total == 0 {
            return None;
        }
        let row_like = (self.columns.len().saturating_sub(1) / 2).max(2);
        let suspicious = cells.iter().enumerate().find(|(i, cell)| {
            let n = breaks(cell);
            if n == 0 {
                return false;
            }
            let looks_like_rows = cell
                .split('\n')
                .skip(1)
                .any(|l| l.matches(self.delimiter as char).count() >= row_like);
            let multi_line_allowed = match self.columns.get(*i).copied().flatten() {
                Some(Column::FirstName | Column::LastName) => 3,
                Some(
                    Column::PublicMetadata
                    | Column::PrivateMetadata
                    | Column::UnsafeMetadata
                    | Column::BackupCodes,
                )
                | None => 1000,
                Some(_) => 0,
            };
            looks_like_rows || n > multi_line_allowed
        })?;
        Some((self.column_name(suspicious.0), line + total))
    }

    /// The header's name for the cell at `index`, or its position past the header.
    fn column_name(&self, index: usize) -> String {
        self.header
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("#{}", index + 1))
    }
}

/// The cell (by position in its record) in which a quote opens that is still open where
/// `text` ends, read as the CSV reader reads it: a quote opens a cell only at its start, `""`
/// inside one is a quote character, and a line break outside quotes ends the record.
fn open_quote(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let (mut state, mut cell, mut opened) = (State::CellStart, 0, 0);
    for b in text.bytes() {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) | (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::CellStart, b'"') => {
                opened = cell;
                State::Quoted
            }
            (_, b'\n') => {
                cell = 0;
                State::CellStart
            }
            (_, b) if b == delimiter => {
                cell += 1;
                State::CellStart
            }
            _ => State::Unquoted,
        };
    }
    (state == State::Quoted).then_some(opened)
}

/// Picks the delimiter that splits the header into the most Clerk column names: `,` as Clerk
/// writes it, `;` from spreadsheets in many European locales, TAB from "text" exports.
fn sniff_delimiter(header: &str) -> u8 {
    let known = |d: char| {
        header
            .trim_end_matches(['\r', '\n'])
            .split(d)
            .filter(|h| Column::from_name(h).is_some())
            .count()
    };
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (known(*d as char), header.matches(*d as char).count()))
        .filter(|d| header.contains(*d as char))
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        record: ExportRecord,
    }

    fn read_all(text: &str) -> (CsvLayout, Vec<Row>) {
        let (mut layout, mut cursor) = CsvLayout::open(text).unwrap();
        let mut rows = Vec::new();
        layout.read_rows(text, &mut cursor, usize::MAX, |row| {
            rows.push(Row { record: row.record })
        });
        assert!(cursor.done);
        (layout, rows)
    }

    #[test]
    fn reads_columns_in_any_order_and_reports_extra_ones() {
        let (export, rows) = read_all("username,id,plan\nada,user_1,pro\n");
        assert_eq!(export.ignored_columns, vec!["plan".to_string()]);
        assert_eq!(rows[0].record.id, "user_1");
        assert_eq!(rows[0].record.username, "ada");
    }

    #[test]
    fn sniffs_semicolons_and_tabs() {
        let (export, rows) = read_all("id;first_name\r\nuser_1;Ada\r\n");
        assert_eq!(export.delimiter, b';');
        assert_eq!(rows[0].record.first_name, "Ada");
        let (export, rows) = read_all("id\tfirst_name\nuser_1\tAda, Countess\n");
        assert_eq!(export.delimiter, b'\t');
        assert_eq!(rows[0].record.first_name, "Ada, Countess");
    }

    #[test]
    fn line_numbers_are_editor_lines() {
        let text = "# exported users\n\nid,first_name\nuser_1,\"Ada\nLovelace\"\nuser_2,Grace\n";
        let (export, rows) = read_all(text);
        assert_eq!(export.header_line, 3);
        assert_eq!(export.comment_lines, vec![1]);
        assert_eq!(rows[0].record.line, 4);
        assert_eq!(rows[0].record.first_name, "Ada\nLovelace");
        assert_eq!(rows[1].record.line, 6);
    }

    #[test]
    fn hash_lines_after_the_header_are_rows_unless_they_are_one_cell() {
        let (export, rows) = read_all("id,first_name\n# a note\n#user_1,Ada\nuser_2,Grace\n");
        assert_eq!(export.comment_lines, vec![2]);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].record.starts_with_hash);
        assert_eq!(rows[0].record.id, "#user_1");
    }

    #[test]
    fn a_reading_in_slices_gives_the_same_rows_and_lines() {
        let text = "# note\nid,first_name\nuser_1,\"A\nB\"\r\n# c\nuser_2,C\n\nuser_3,D\nuser_4,E";
        let (_, whole) = read_all(text);
        for slice in 1..4 {
            let (mut layout, mut cursor) = CsvLayout::open(text).unwrap();
            let mut rows = Vec::new();
            let mut steps = 0;
            while !cursor.done {
                layout.read_rows(text, &mut cursor, slice, |row| rows.push(row.record));
                steps += 1;
                assert!(steps < 10, "the cursor moves");
            }
            let lines: Vec<_> = rows.iter().map(|r| (r.line, r.id.clone())).collect();
            let expected: Vec<_> = whole
                .iter()
                .map(|r| (r.record.line, r.record.id.clone()))
                .collect();
            assert_eq!(lines, expected, "slices of {slice}");
            assert_eq!(layout.comment_lines, vec![1, 5], "slices of {slice}");
        }
        assert_eq!(
            whole.iter().map(|r| r.record.line).collect::<Vec<_>>(),
            vec![3, 6, 8, 9]
        );
    }

    #[test]
    fn crlf_and_blank_lines_keep_rows_on_their_editor_lines() {
        let (export, rows) =
            read_all("id,first_name\r\nuser_1,A\r\n\r\n# note\r\nuser_2,B\r\n\r\nuser_3,C\r\n");
        let lines: Vec<_> = rows.iter().map(|r| r.record.line).collect();
        assert_eq!(lines, vec![2, 5, 7]);
        assert_eq!(export.comment_lines, vec![4]);
    }

    #[test]
    fn short_and_long_rows() {
        let (_, rows) =
            read_all("id,first_name,last_name\nuser_1\nuser_2,Ada,Lovelace,extra,more\n");
        assert_eq!(rows[0].record.first_name, "");
        assert_eq!(rows[1].record.extra_cells, 2);
        assert_eq!(rows[1].record.last_name, "Lovelace");
    }

    #[test]
    fn doubled_quotes_and_guarded_cells() {
        let (_, rows) = read_all("id,first_name,primary_phone_number\nuser_1,\"Ada \"\"The Countess\"\"\",\t+14155550100\n");
        assert_eq!(rows[0].record.first_name, "Ada \"The Countess\"");
        assert_eq!(rows[0].record.primary_phone, "+14155550100");
    }

    #[test]
    fn a_csv_without_an_id_column_is_refused_with_what_was_found() {
        let err = CsvLayout::open("email,name\na@x.io,A\n").err().unwrap();
        assert_eq!(err.found, vec!["email".to_string(), "name".to_string()]);
    }

    #[test]
    fn a_header_naming_a_column_twice_is_refused_with_its_name() {
        let err =
            CsvLayout::open("id,email,Primary_Email_Address,primary_email_address\n").unwrap_err();
        assert_eq!(
            err.duplicate_column.as_deref(),
            Some("primary_email_address")
        );
        let err = CsvLayout::open("id,first_name,id\nuser_1,Ada,user_2\n").unwrap_err();
        assert_eq!(err.duplicate_column.as_deref(), Some("id"));
        // Two columns Clerk does not read may share a name: neither is read.
        assert!(CsvLayout::open("id,note,note\nuser_1,a,b\n").is_ok());
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let err = CsvLayout::open("# note\nid,first_name,\"last_name,username\nuser_1,A,B,c\n")
            .err()
            .unwrap();
        assert_eq!(err.unclosed_quote, Some(2));
        let (_, rows) = read_all(
            "id,first_name,username\nuser_1,\"Ada\nLovelace\",ada1\nuser_2,\"Grace,grace\nuser_3,Alan,alan\nuser_4,Kate,kate\n",
        );
        assert_eq!(rows[0].record.unclosed_quote, None);
        assert_eq!(
            rows[1].record.unclosed_quote,
            Some(("first_name".to_string(), 6))
        );
        assert_eq!(rows.len(), 2);
        let (_, rows) = read_all("id,username\nuser_1,\"ada\nuser_2,grace\n");
        assert_eq!(rows[0].record.unclosed_quote, Some(("username".into(), 3)));
        // A quote in the last row that the end of the file leaves open.
        let (_, rows) = read_all("id,first_name,username\nuser_1,A,a1\nuser_2,\"Grace,grace\n");
        assert_eq!(rows[0].record.unclosed_quote, None);
        assert_eq!(
            rows[1].record.unclosed_quote,
            Some(("first_name".into(), 0))
        );
        let (_, rows) = read_all("id,first_name\nuser_1,\"Ada \"\"K\"\"\"\nuser_2,\"\"");
        assert!(rows.iter().all(|r| r.record.unclosed_quote.is_none()));
        // A header that ends inside a quote, with no row after it.
        let err = CsvLayout::open("id,\"username\n").err().unwrap();
        assert_eq!(err.unclosed_quote, Some(1));
    }
}
