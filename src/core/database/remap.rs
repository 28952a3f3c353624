//! The rewrite, for teams that would rather not read the custom claim forever: every named
//! column's dev ids replaced by production ids in one transaction (`remap.sql`), its exact
//! reverse (`remap-undo.sql`), and the same machinery moving what linked users wrote in
//! production under their new id to their dev id (`link-existing.sql`).
//!
//! The transaction loads the map into a temporary table, locks every named table against
//! writers (readers go on), checks the foreign keys that touch the named columns, then per
//! column counts the rows to change, changes them, and raises (so nothing is committed)
//! when the update changed another number of rows than counted. Each column reports what it
//! changed, and the rows it left alone, as a NOTICE the command line reads.

use super::columns::ColumnRef;
use super::{dollar_tag, ident, literal};

pub const REMAP_SQL: &str = "remap.sql";
pub const REMAP_UNDO_SQL: &str = "remap-undo.sql";
/// The rows the rewrite leaves alone (ids nobody in the map has), as `db-ids.csv` lists ids.
pub const REMAP_UNTOUCHED_CSV: &str = "remap-untouched.csv";

/// How long the transaction waits for another one's lock on a named table before giving up
/// (nothing is changed then); writers that come after it wait for it instead.
pub const LOCK_TIMEOUT: &str = "60s";

/// What a rewrite is for; it decides the direction and the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Dev ids become production ids.
    Remap,
    /// Production ids go back to the dev ids `remap.sql` replaced.
    Undo,
    /// Linked users' production ids become their dev ids (what they wrote in production
    /// before they were linked).
    Link,
}

/// The start of every NOTICE the transaction raises for the command line.
pub const NOTICE: &str = "clerk-dev2prod";

/// One column's result, read back from the transaction's notices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    /// `rows` rows of `column` changed.
    Changed { column: String, rows: u64 },
    /// `rows` rows of `column`, of `users` distinct ids, belong to no one in the map: left
    /// as they were.
    Untouched {
        column: String,
        rows: u64,
        users: u64,
    },
}

/// Reads one notice the transaction raised; None for any other notice.
pub fn read_notice(message: &str) -> Option<Reported> {
    let rest = message.strip_prefix(NOTICE)?.strip_prefix(' ')?;
    if let Some(rest) = rest.strip_prefix("changed ") {
        let (rows, column) = rest.split_once(' ')?;
        return Some(Reported::Changed {
            column: column.to_string(),
            rows: rows.parse().ok()?,
        });
    }
    let rest = rest.strip_prefix("untouched ")?;
    let (rows, rest) = rest.split_once(' ')?;
    let (users, column) = rest.split_once(' ')?;
    Some(Reported::Untouched {
        column: column.to_string(),
        rows: rows.parse().ok()?,
        users: users.parse().ok()?,
    })
}

/// The statements between `BEGIN` and the end of the transaction: the command line runs
/// exactly these, then commits (`--apply`) or rolls back (the dry run). `pairs` are
/// (from, to): (dev, prod) for [`Purpose::Remap`], as given for the others.
pub fn transaction_body(
    pairs: &[(String, String)],
    columns: &[ColumnRef],
    purpose: Purpose,
) -> String {
    let mut sql = String::new();
    sql.push_str(&format!("SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';\n"));
    sql.push_str(
        "CREATE TEMP TABLE clerk_id_map (from_id text PRIMARY KEY, to_id text NOT NULL UNIQUE) ON COMMIT DROP;\n",
    );
    for chunk in pairs.chunks(1000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(from, to)| format!("({}, {})", literal(from), literal(to)))
            .collect();
        sql.push_str("INSERT INTO clerk_id_map (from_id, to_id) VALUES\n  ");
        sql.push_str(&values.join(",\n  "));
        sql.push_str(";\n");
    }
    sql.push_str("ANALYZE clerk_id_map;\n");
    let mut tables: Vec<String> = Vec::new();
    for column in columns {
        let table = column.table_sql();
        if !tables.contains(&table) {
            tables.push(table);
        }
    }
    sql.push_str(&format!(
        "-- No writer can slip in between the counts and the updates; readers go on.\n\
         LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE;\n",
        tables.join(", ")
    ));
    sql.push_str("SET CONSTRAINTS ALL DEFERRED;\n");
    sql.push_str(&foreign_key_check(columns));
    for column in columns {
        sql.push_str(&column_update(column, purpose));
    }
    sql
}

/// A foreign key that touches a named column must have its other end named too, be
/// DEFERRABLE (the ends are rewritten one after the other), and, when it acts on update
/// (CASCADE, RESTRICT, SET NULL, SET DEFAULT), have its referencing column named before
/// the referenced one, so the referenced row changes when nothing points at its old id.
/// Otherwise the transaction stops here, saying which key and what to do.
fn foreign_key_check(columns: &[ColumnRef]) -> String {
    let named: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "({}, to_regclass({}), {})",
                i + 1,
                literal(&c.table_sql()),
                literal(&c.column)
            )
        })
        .collect();
    let body = format!(
        "\nDECLARE fk record;\nBEGIN\n  FOR fk IN\n    WITH named(pos, rel, att) AS (VALUES {named})\n    \
         SELECT c.conname::text AS name, c.condeferrable AS deferrable, c.confupdtype AS on_update,\n      \
         c.conrelid::regclass::text AS child, ca.attname::text AS child_col,\n      \
         c.confrelid::regclass::text AS parent, pa.attname::text AS parent_col,\n      \
         nc.pos AS child_pos, np.pos AS parent_pos\n    \
         FROM pg_constraint c\n    \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(child_att, parent_att)\n    \
         JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_att\n    \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_att\n    \
         LEFT JOIN named nc ON nc.rel = c.conrelid AND nc.att = ca.attname\n    \
         LEFT JOIN named np ON np.rel = c.confrelid AND np.att = pa.attname\n    \
         WHERE c.contype = 'f' AND (nc.pos IS NOT NULL OR np.pos IS NOT NULL)\n  \
         LOOP\n    \
         IF fk.child_pos IS NULL OR fk.parent_pos IS NULL THEN\n      \
         RAISE EXCEPTION '{NOTICE}: foreign key % links %.% to %.%, and only one of them is named: name both (--db-column), or the ids would no longer match', fk.name, fk.child, fk.child_col, fk.parent, fk.parent_col;\n    \
         END IF;\n    \
         IF NOT fk.deferrable THEN\n      \
         RAISE EXCEPTION '{NOTICE}: foreign key % (%.% to %.%) is not DEFERRABLE, so its two ends cannot be rewritten one after the other: run ALTER TABLE % ALTER CONSTRAINT % DEFERRABLE; then this again', fk.name, fk.child, fk.child_col, fk.parent, fk.parent_col, fk.child, fk.name;\n    \
         END IF;\n    \
         IF fk.on_update <> 'a' AND fk.child_pos > fk.parent_pos THEN\n      \
         RAISE EXCEPTION '{NOTICE}: foreign key % acts on update, so %.% must be named before %.%', fk.name, fk.child, fk.child_col, fk.parent, fk.parent_col;\n    \
         END IF;\n  \
         END LOOP;\nEND\n",
        named = named.join(", ")
    );
    let tag = dollar_tag(&body);
    format!("-- Foreign keys on the named columns: both ends named, deferrable.\nDO {tag}{body}{tag};\n")
}

fn column_update(column: &ColumnRef, purpose: Purpose) -> String {
    let (t, c, name) = (
        column.table_sql(),
        column.column_sql(),
        literal(&column.name()),
    );
    let held_check = match purpose {
        // Rows already holding a target id could not be told from rewritten ones, so the
        // reverse could not restore them: refuse rather than make the undo inexact.
        Purpose::Remap | Purpose::Undo => format!(
            "  IF held > 0 THEN\n    \
             RAISE EXCEPTION '{NOTICE}: % already has % rows whose id is one this rewrite writes; afterwards they could not be told from the rewritten rows (and the reverse could not restore them): move them first, or leave their users out of the id map', {name}, held;\n  \
             END IF;\n"
        ),
        // A linked user's dev rows are theirs already; their production rows join them.
        Purpose::Link => String::new(),
    };
    let body = format!(
        "\nDECLARE expected bigint; held bigint; untouched bigint; untouched_users bigint; changed bigint;\nBEGIN\n  \
         SELECT count(f.from_id), count(g.to_id),\n         \
         count(*) FILTER (WHERE f.from_id IS NULL AND g.to_id IS NULL),\n         \
         count(DISTINCT t.{c}) FILTER (WHERE f.from_id IS NULL AND g.to_id IS NULL)\n    \
         INTO expected, held, untouched, untouched_users\n    \
         FROM {t} t\n    \
         LEFT JOIN clerk_id_map f ON t.{c} = f.from_id\n    \
         LEFT JOIN clerk_id_map g ON t.{c} = g.to_id\n    \
         WHERE t.{c} IS NOT NULL;\n\
         {held_check}  \
         UPDATE {t} t SET {c} = m.to_id FROM clerk_id_map m WHERE t.{c} = m.from_id;\n  \
         GET DIAGNOSTICS changed = ROW_COUNT;\n  \
         IF changed <> expected THEN\n    \
         RAISE EXCEPTION '{NOTICE}: % changed % rows where % were counted (a trigger or a rule acted on the update): nothing is committed', {name}, changed, expected;\n  \
         END IF;\n  \
         RAISE NOTICE '{NOTICE} changed % %', changed, {name};\n  \
         RAISE NOTICE '{NOTICE} untouched % % %', untouched, untouched_users, {name};\n\
         END\n",
    );
    let tag = dollar_tag(&body);
    format!("-- {}\nDO {tag}{body}{tag};\n", comment(&column.name()))
}

/// Text for an SQL line comment: a line break would end the comment.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A whole script: what it does, how to run it, and the transaction.
pub fn script(pairs: &[(String, String)], columns: &[ColumnRef], purpose: Purpose) -> String {
    let names: Vec<String> = columns.iter().map(|c| comment(&c.name())).collect();
    let mut sql = String::new();
    sql.push_str(match purpose {
        Purpose::Remap => "-- remap.sql: rewrites dev user ids to production user ids, once, so every service can\n\
             -- use the plain production id (auth().userId) and the custom session claim can go.\n\
             -- Run it in a maintenance window (the tables are locked against writers while it runs):\n\
             --   psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f remap.sql\n\
             -- It commits everything or nothing; remap-undo.sql reverses it exactly.\n",
        Purpose::Undo => "-- remap-undo.sql: puts back the dev user ids remap.sql replaced, exactly as they were.\n\
             --   psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f remap-undo.sql\n",
        Purpose::Link => "-- link-existing.sql: moves what linked users wrote in production under their new id to\n\
             -- their dev id, which their session claim carries once link-existing.sh has run.\n\
             -- Run it once, right after link-existing.sh, in a maintenance window:\n\
             --   psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f link-existing.sql\n",
    });
    sql.push_str(&format!(
        "-- {} {}, {} {}: {}\n",
        pairs.len(),
        crate::core::lang::plural(pairs.len(), "user", "users"),
        columns.len(),
        crate::core::lang::plural(columns.len(), "column", "columns"),
        names.join(", ")
    ));
    sql.push_str("-- Each column's count is checked; any difference rolls everything back.\n");
    sql.push_str("BEGIN;\n");
    sql.push_str(&transaction_body(pairs, columns, purpose));
    sql.push_str("COMMIT;\n");
    sql
}

/// For a team that has not named its columns: counts, per text column with a user-id name,
/// the rows under each linked user's production id (a NOTICE each), changing nothing.
pub fn link_count_sql(pairs: &[(String, String)]) -> String {
    let ids: Vec<String> = pairs.iter().map(|(prod, _)| literal(prod)).collect();
    let names = super::columns::ID_COLUMN_NAMES_SQL;
    let body = format!(
        "\nDECLARE col record; n bigint; linked text[] := ARRAY[{}]::text[];\nBEGIN\n  \
         FOR col IN SELECT table_schema::text AS s, table_name::text AS t, column_name::text AS c\n    \
         FROM information_schema.columns\n    \
         WHERE data_type IN ('text', 'character varying') AND table_schema NOT IN ('pg_catalog', 'information_schema')\n      \
         AND ({names})\n    \
         ORDER BY 1, 2, 3\n  \
         LOOP\n    \
         EXECUTE format('SELECT count(*) FROM %I.%I WHERE %I = ANY($1)', col.s, col.t, col.c) INTO n USING linked;\n    \
         RAISE NOTICE '%.%.%: % rows to move', col.s, col.t, col.c, n;\n  \
         END LOOP;\nEND\n",
        ids.join(", ")
    );
    let tag = dollar_tag(&body);
    format!(
        "-- 1. Counts what linked users wrote in production under their new id, in every text\n\
         -- column named like a user id (a NOTICE each); changes nothing. `prepare --database-url`\n\
         -- counts them for you, and `prepare --db-column table.column` writes the move below\n\
         -- with each count checked.\n\
         -- Linked users (production id -> dev id): {}\n\
         BEGIN READ ONLY;\n\
         DO {tag}{body}{tag};\n\
         ROLLBACK;\n",
        pairs
            .iter()
            .map(|(prod, dev)| format!("({}, {})", literal(prod), literal(dev)))
            .map(|p| comment(&p))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `"user_notes"."user_id"` for messages that quote SQL.
pub fn qualified(column: &ColumnRef) -> String {
    format!("{}.{}", column.table_sql(), ident(&column.column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back() {
        assert_eq!(
            read_notice("clerk-dev2prod changed 12 user_notes.user_id"),
            Some(Reported::Changed {
                column: "user_notes.user_id".into(),
                rows: 12
            })
        );
        assert_eq!(
            read_notice("clerk-dev2prod untouched 3 2 app.my notes.owner_id"),
            Some(Reported::Untouched {
                column: "app.my notes.owner_id".into(),
                rows: 3,
                users: 2
            })
        );
        assert_eq!(read_notice("relation \"x\" does not exist"), None);
    }

    #[test]
    fn the_script_is_one_transaction_with_every_value_quoted() {
        let pairs = vec![("user_d'1".to_string(), "user_p1".to_string())];
        let columns = vec![
            ColumnRef::new(None, "user_notes", "user_id"),
            ColumnRef::new(None, "we$clerk$ird", "owner_id"),
        ];
        let sql = script(&pairs, &columns, Purpose::Remap);
        assert_eq!(sql.matches("BEGIN;").count(), 1);
        assert!(sql.ends_with("COMMIT;\n"));
        assert!(sql.contains("('user_d''1', 'user_p1')"));
        assert!(sql
            .contains("LOCK TABLE \"user_notes\", \"we$clerk$ird\" IN SHARE ROW EXCLUSIVE MODE;"));
        assert!(sql.contains("DO $clerk1$"), "a tag the body does not hold");
        assert!(sql.contains("IF held > 0"));
        assert!(!script(&pairs, &columns, Purpose::Link).contains("IF held > 0"));
    }
}
