//! `db-ids.csv`: what the team's database holds, per column and per user id, with its rows.
//! The command line writes it from its own read of the database; the page reads it from the
//! output of [`db_ids_sql`] the team runs themselves. An older list of one id a line is read
//! too (then the rows are unknown).

use std::collections::BTreeMap;

use super::columns::ColumnRef;
use super::literal;
use crate::core::record::clean_cell;

pub const DB_IDS_CSV: &str = "db-ids.csv";

/// One column's ids, each with its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnIds {
    /// `table.column`, as listed.
    pub source: String,
    pub ids: BTreeMap<String, u64>,
}

impl ColumnIds {
    pub fn rows(&self) -> u64 {
        self.ids.values().sum()
    }
}

/// Everything read from the database, or from `db-ids.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbIds {
    pub columns: Vec<ColumnIds>,
    /// False for a plain list of ids: nothing says how many rows each has.
    pub rows_known: bool,
}

impl DbIds {
    /// Every distinct id, in the order first seen.
    pub fn distinct(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        for column in &self.columns {
            for id in column.ids.keys() {
                if seen.insert(id.as_str()) {
                    ids.push(id.clone());
                }
            }
        }
        ids
    }

    /// The rows of one id, per column that has it.
    pub fn rows_of(&self, id: &str) -> Vec<(&str, u64)> {
        self.columns
            .iter()
            .filter_map(|c| c.ids.get(id).map(|&n| (c.source.as_str(), n)))
            .collect()
    }

    /// `db-ids.csv`: `source,user_id,rows`, one line an id and column.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let neutral = |cell: &str| crate::core::emit::neutralise(cell).into_owned();
        writer
            .write_record(["source", "user_id", "rows"])
            .expect("writing to memory");
        for column in &self.columns {
            for (id, rows) in &column.ids {
                writer
                    .write_record([neutral(&column.source), neutral(id), rows.to_string()])
                    .expect("writing to memory");
            }
        }
        writer.into_inner().expect("writing to memory")
    }

    /// Reads `db-ids.csv` (with its `source,user_id,rows` header), or one id a line (the
    /// first cell of each line; a header such as `user_id` skipped).
    pub fn read(text: &str) -> DbIds {
        let first = text.lines().next().unwrap_or("").trim();
        let header: Vec<String> = first
            .split([',', ';', '\t', '|'])
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        if header.len() >= 3 && header[0] == "source" && header[1] == "user_id" {
            let delimiter = first
                .bytes()
                .find(|b| [b',', b';', b'\t', b'|'].contains(b))
                .unwrap_or(b',');
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut columns: Vec<ColumnIds> = Vec::new();
            for record in reader.records().flatten() {
                let cell = |i: usize| clean_cell(record.get(i).unwrap_or(""));
                let (source, id) = (cell(0), cell(1));
                if id.is_empty() {
                    continue;
                }
                let rows = cell(2).parse::<u64>().unwrap_or(1);
                let at = match columns.iter().position(|c| c.source == source) {
                    Some(at) => at,
                    None => {
                        columns.push(ColumnIds {
                            source: source.to_string(),
                            ids: BTreeMap::new(),
                        });
                        columns.len() - 1
                    }
                };
                *columns[at].ids.entry(id.to_string()).or_default() += rows;
            }
            return DbIds {
                columns,
                rows_known: true,
            };
        }
        let mut ids = BTreeMap::new();
        for line in text.lines() {
            let cell = line
                .split([',', ';', '\t', '|'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .trim();
            if cell.is_empty()
                || ["user_id", "id", "userid"].contains(&cell.to_ascii_lowercase().as_str())
            {
                continue;
            }
            ids.insert(cell.to_string(), 1);
        }
        DbIds {
            columns: vec![ColumnIds {
                source: String::new(),
                ids,
            }],
            rows_known: false,
        }
    }
}

/// SQL giving `db-ids.csv` for these columns, for the team to run themselves (the page
/// cannot connect to a database; the command line runs the same reads with
/// `--database-url`).
pub fn db_ids_sql(columns: &[ColumnRef]) -> String {
    let selects: Vec<String> = columns
        .iter()
        .map(|c| {
            format!(
                "SELECT {} AS source, {col}::text AS user_id, count(*) AS rows FROM {} WHERE {col} IS NOT NULL AND {col} <> '' GROUP BY 2",
                literal(&c.name()),
                c.table_sql(),
                col = c.column_sql(),
            )
        })
        .collect();
    format!(
        "-- Every user id your tables refer to, with its rows in each table. Save the output as\n\
         -- db-ids.csv, header included:  psql \"$DATABASE_URL\" --csv -f db-ids.sql > db-ids.csv\n\
         {}\nORDER BY 1, 2;\n",
        selects.join("\nUNION ALL\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_reads_back_what_was_written() {
        let mut notes = BTreeMap::new();
        notes.insert("user_a".to_string(), 3);
        notes.insert("=cmd".to_string(), 1);
        let ids = DbIds {
            columns: vec![ColumnIds {
                source: "user_notes.user_id".into(),
                ids: notes,
            }],
            rows_known: true,
        };
        let csv = String::from_utf8(ids.to_csv()).unwrap();
        assert!(csv.starts_with("source,user_id,rows\n"), "{csv}");
        assert!(
            csv.contains("'=cmd"),
            "a formula cell is neutralised: {csv}"
        );
        let back = DbIds::read(&csv);
        assert!(back.rows_known);
        assert_eq!(back.rows_of("user_a"), vec![("user_notes.user_id", 3)]);
        assert_eq!(
            back.rows_of("=cmd"),
            vec![("user_notes.user_id", 1)],
            "read back as it was"
        );
        let plain = DbIds::read("user_id\nuser_a\nuser_b\nuser_a\n");
        assert!(!plain.rows_known);
        assert_eq!(plain.distinct(), vec!["user_a", "user_b"]);
    }

    #[test]
    fn the_sql_reads_every_column() {
        let sql = db_ids_sql(&[
            ColumnRef::new(None, "user_notes", "user_id"),
            ColumnRef::new(Some("app"), "we\"ird", "owner_id"),
        ]);
        assert!(sql.contains("SELECT 'user_notes.user_id' AS source, \"user_id\"::text AS user_id, count(*) AS rows FROM \"user_notes\""), "{sql}");
        assert!(sql.contains("FROM \"app\".\"we\"\"ird\""), "{sql}");
        assert!(sql.contains("\nUNION ALL\n"));
    }
}
