//! Reading the Dashboard CSV: comment lines, the header, the delimiter a spreadsheet chose,
//! quoted cells with line breaks, short and long rows, and each row's editor line number.

use csv::StringRecord;

use crate::core::record::{Column, ExportRecord};

/// A CSV export ready to be read row by row.
pub struct CsvExport<'t> {
    text: &'t str,
    /// Byte offset where the header line starts.
    header_start: usize,
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

/// A CSV that is not a Clerk export: what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAClerkCsv {
    pub found: Vec<String>,
}

/// One row: the record and the cells exactly as read (for `rejected.csv`), borrowed from a
/// buffer the reader reuses for every row.
pub struct CsvRow<'r> {
    pub record: ExportRecord,
    pub cells: &'r StringRecord,
}

impl<'t> CsvExport<'t> {
    pub fn open(text: &'t str) -> Result<CsvExport<'t>, NotAClerkCsv> {
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
            });
        }
        let ignored_columns = header
            .iter()
            .zip(&columns)
            .filter(|(_, c)| c.is_none())
            .map(|(h, _)| h.clone())
            .collect();
        Ok(CsvExport {
            text,
            header_start: offset,
            header_line: line,
            delimiter,
            columns,
            header,
            ignored_columns,
            comment_lines,
        })
    }

    /// Reads every data row in order, calling `each` with it. Comment lines met on the way are
    /// added to `comment_lines`.
    pub fn read_rows(&mut self, mut each: impl FnMut(CsvRow<'_>)) {
        let body = &self.text[self.header_start..];
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut cells = StringRecord::new();
        // The input is valid UTF-8 text, and csv reports no other errors for an in-memory
        // reader with flexible rows, so an error can only end the input.
        while let Ok(true) = reader.read_record(&mut cells) {
            let position = cells
                .position()
                .expect("records read from a reader have positions");
            let line = self.header_line + position.line() as usize - 1;
            let starts_with_hash = body.as_bytes().get(position.byte() as usize) == Some(&b'#');
            if starts_with_hash && cells.len() == 1 && self.columns.len() > 1 {
                self.comment_lines.push(line);
                continue;
            }
            let mut record = ExportRecord {
                line,
                starts_with_hash,
                extra_cells: cells.len().saturating_sub(self.columns.len()),
                ..ExportRecord::default()
            };
            for (cell, column) in cells.iter().zip(&self.columns) {
                if let Some(column) = column {
                    record.set_text(*column, cell);
                }
            }
            each(CsvRow {
                record,
                cells: &cells,
            });
        }
    }
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

    fn read_all(text: &str) -> (CsvExport<'_>, Vec<Row>) {
        let mut export = CsvExport::open(text).unwrap();
        let mut rows = Vec::new();
        export.read_rows(|row| rows.push(Row { record: row.record }));
        (export, rows)
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
        let err = CsvExport::open("email,name\na@x.io,A\n").err().unwrap();
        assert_eq!(err.found, vec!["email".to_string(), "name".to_string()]);
    }
}
