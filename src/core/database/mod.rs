//! The team's database, in the order the data travels: which columns hold Clerk user ids
//! ([`columns`]), what they hold (`db-ids.csv`, read or written by [`ids`]), which production
//! user each dev id became ([`id_map`], `id-map.csv`), and the rewrite of those ids for teams
//! that would rather not read the custom claim forever ([`remap`], `remap.sql` and
//! `remap-undo.sql`), and how an address asks for TLS ([`tls`]).
//!
//! Everything here is pure: SQL text and files out, values in. The command line runs that
//! SQL over its own connection; the page cannot connect to anything and offers the same SQL
//! for the team to run themselves.

pub mod columns;
pub mod id_map;
pub mod ids;
pub mod remap;
pub mod tls;
pub mod url;

/// An SQL identifier, always double-quoted (so case and odd characters survive) with inner
/// quotes doubled.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A PostgreSQL string literal: quotes doubled, and standard_conforming_strings assumed
/// (PostgreSQL's default since 9.1), so a backslash is an ordinary character.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A dollar-quoting tag that does not occur in `body`, so nothing in a table name or an id
/// can end a `DO` block early.
pub fn dollar_tag(body: &str) -> String {
    let mut tag = String::from("$clerk$");
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$clerk{n}$");
    }
    tag
}

/// Whether a value has the shape of a Clerk user id: `user_` then letters and digits.
pub fn looks_like_clerk_user_id(value: &str) -> bool {
    value
        .strip_prefix("user_")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_leaves_nothing_to_break_out_of() {
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(literal("o'neil\\"), "'o''neil\\'");
        assert_eq!(dollar_tag("SELECT 1"), "$clerk$");
        assert_eq!(dollar_tag("'$clerk$'"), "$clerk1$");
        assert!(looks_like_clerk_user_id("user_2aXk2LmNoPqRsTuVwXyZ0123"));
        for not in ["user_", "usr_2a", "user_2a b", "42", ""] {
            assert!(!looks_like_clerk_user_id(not), "{not:?}");
        }
    }
}
