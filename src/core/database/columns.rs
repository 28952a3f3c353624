//! The columns that hold Clerk user ids: named by the team (`--db-column table.column`) or
//! found in `information_schema.columns` by their name and type, then kept only when the
//! values sampled from them look like Clerk ids.

use super::{ident, literal, looks_like_clerk_user_id};

/// Why a `--db-column` value names no column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadColumn {
    UnclosedQuote(String),
    Shape(String),
}

impl BadColumn {
    pub fn message(&self, lang: crate::core::lang::Lang) -> String {
        match self {
            BadColumn::UnclosedQuote(spec) => lang.pick(
                format!("{spec}: a double quote is not closed."),
                format!("{spec}: unas comillas dobles no se cierran."),
            ),
            BadColumn::Shape(spec) => lang.pick(
                format!("{spec}: give table.column (or schema.table.column)."),
                format!("{spec}: indica tabla.columna (o esquema.tabla.columna)."),
            ),
        }
    }
}

/// One column of one table, as PostgreSQL names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnRef {
    /// None: the table is found on the connection's search_path.
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
}

impl ColumnRef {
    pub fn new(schema: Option<&str>, table: &str, column: &str) -> ColumnRef {
        ColumnRef {
            schema: schema.map(str::to_string),
            table: table.to_string(),
            column: column.to_string(),
        }
    }

    /// Reads `table.column` or `schema.table.column`. As in SQL, a part in double quotes
    /// keeps its case and may hold dots; a bare part is folded to lower case.
    pub fn parse(spec: &str) -> Result<ColumnRef, BadColumn> {
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        let mut chars = spec.trim().chars().peekable();
        let finish = |current: &mut String, was_quoted: &mut bool, parts: &mut Vec<String>| {
            let part = std::mem::take(current);
            parts.push(if *was_quoted {
                part
            } else {
                part.trim().to_lowercase()
            });
            *was_quoted = false;
        };
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    current.push('"');
                }
                '"' => {
                    quoted = !quoted;
                    was_quoted = true;
                }
                '.' if !quoted => finish(&mut current, &mut was_quoted, &mut parts),
                c => current.push(c),
            }
        }
        if quoted {
            return Err(BadColumn::UnclosedQuote(spec.to_string()));
        }
        finish(&mut current, &mut was_quoted, &mut parts);
        if parts.iter().any(String::is_empty) {
            return Err(BadColumn::Shape(spec.to_string()));
        }
        match parts.as_slice() {
            [table, column] => Ok(ColumnRef::new(None, table, column)),
            [schema, table, column] => Ok(ColumnRef::new(Some(schema), table, column)),
            _ => Err(BadColumn::Shape(spec.to_string())),
        }
    }

    /// The table as a person reads it: `user_notes` or `app.user_notes`.
    pub fn table_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.table),
            None => self.table.clone(),
        }
    }

    /// `user_notes.user_id`, as listed in every output.
    pub fn name(&self) -> String {
        format!("{}.{}", self.table_name(), self.column)
    }

    /// The table in SQL: `"user_notes"` or `"app"."user_notes"`.
    pub fn table_sql(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{}.{}", ident(schema), ident(&self.table)),
            None => ident(&self.table),
        }
    }

    pub fn column_sql(&self) -> String {
        ident(&self.column)
    }
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// Whether a column's name says it holds a user id: `user_id`, `*_user_id`, `owner_id`,
/// `created_by`, `author_id` (any case).
pub fn is_id_column_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "user_id"
        || name.ends_with("_user_id")
        || ["owner_id", "created_by", "author_id"].contains(&name.as_str())
}

/// [`is_id_column_name`] as an SQL condition on `column_name`, for the SQL a team runs
/// themselves.
pub const ID_COLUMN_NAMES_SQL: &str = "lower(column_name) = 'user_id' OR lower(column_name) LIKE '%\\_user\\_id' OR lower(column_name) IN ('owner_id', 'created_by', 'author_id')";

/// The text and varchar columns outside PostgreSQL's own schemas, with (schema, table,
/// column); [`is_id_column_name`] then picks the candidates, so the rule lives in one place.
pub const CANDIDATES_SQL: &str = "SELECT c.table_schema::text, c.table_name::text, c.column_name::text \
FROM information_schema.columns c \
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
WHERE t.table_type = 'BASE TABLE' \
AND c.data_type IN ('text', 'character varying') \
AND c.table_schema NOT IN ('pg_catalog', 'information_schema') \
AND c.table_schema NOT LIKE 'pg_toast%' AND c.table_schema NOT LIKE 'pg_temp%' \
ORDER BY 1, 2, 3";

/// How many values of a candidate column are read to judge it.
pub const SAMPLE: usize = 50;

/// Up to [`SAMPLE`] distinct values of a column.
pub fn sample_sql(column: &ColumnRef) -> String {
    format!(
        "SELECT DISTINCT {c}::text FROM {t} WHERE {c} IS NOT NULL AND {c} <> '' LIMIT {SAMPLE}",
        c = column.column_sql(),
        t = column.table_sql()
    )
}

/// A candidate holds Clerk user ids when it has values and most of them look like ids
/// (a few hand-made or test ids do not disqualify it; a column of names or uuids does).
pub fn looks_like_id_column(samples: &[String]) -> bool {
    let ids = samples
        .iter()
        .filter(|s| looks_like_clerk_user_id(s))
        .count();
    !samples.is_empty() && ids * 10 >= samples.len() * 9
}

/// Why a candidate was passed over, for the list of what was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    Empty,
    NotClerkIds,
}

/// Every id a column holds, with its rows.
pub fn ids_sql(column: &ColumnRef) -> String {
    format!(
        "SELECT {c}::text, count(*) FROM {t} WHERE {c} IS NOT NULL AND {c} <> '' GROUP BY 1 ORDER BY 1",
        c = column.column_sql(),
        t = column.table_sql()
    )
}

/// Whether a table exists (`to_regclass` gives NULL otherwise), to say so before reading.
pub fn table_exists_sql(column: &ColumnRef) -> String {
    format!(
        "SELECT to_regclass({}) IS NOT NULL",
        literal(&column.table_sql())
    )
}

/// Whether the column exists in that table.
pub fn column_exists_sql(column: &ColumnRef) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({}) AND attname = {} AND NOT attisdropped AND attnum > 0)",
        literal(&column.table_sql()),
        literal(&column.column)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_read_like_sql_names() {
        assert_eq!(
            ColumnRef::parse("user_notes.user_id"),
            Ok(ColumnRef::new(None, "user_notes", "user_id"))
        );
        assert_eq!(
            ColumnRef::parse("App.\"Notes.v2\".\"Owner\"\"Id\""),
            Ok(ColumnRef::new(Some("app"), "Notes.v2", "Owner\"Id"))
        );
        assert_eq!(
            ColumnRef::parse("app.\"Notes.v2\".owner_id")
                .unwrap()
                .table_sql(),
            "\"app\".\"Notes.v2\""
        );
        for bad in ["user_notes", "a.b.c.d", "a.", "\"a.b", ".b"] {
            assert!(ColumnRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_samples_decide() {
        for yes in [
            "user_id",
            "author_user_id",
            "OWNER_ID",
            "created_by",
            "author_id",
        ] {
            assert!(is_id_column_name(yes), "{yes}");
        }
        for no in ["userid", "user_ids", "owner", "created_at", "id"] {
            assert!(!is_id_column_name(no), "{no}");
        }
        let ids: Vec<String> = (0..10).map(|i| format!("user_{i}abc")).collect();
        assert!(looks_like_id_column(&ids));
        let mut one_odd = ids.clone();
        one_odd[0] = "test-user".into();
        assert!(looks_like_id_column(&one_odd));
        let names: Vec<String> = vec!["ada".into(), "grace".into()];
        assert!(!looks_like_id_column(&names));
        assert!(!looks_like_id_column(&[]));
    }
}
