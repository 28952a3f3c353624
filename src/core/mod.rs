//! The pure engine: no web, no file system, no clock. Everything here takes bytes or values
//! and returns values, so the page and the command line produce the same results, and the
//! whole engine is tested natively.

pub mod bundle;
pub mod checks;
pub mod claims;
pub mod csv_input;
pub mod database;
pub mod decode;
pub mod emit;
pub mod escape;
pub mod existing;
pub mod inspect;
pub mod instance;
pub mod issue;
pub mod json_input;
pub mod keys;
pub mod labels;
pub mod lang;
pub mod prepare;
pub mod reconcile;
pub mod record;
pub mod redact;
pub mod rules;
pub mod runbook;
pub mod sniff;
pub mod synth;
pub mod text;
pub mod user;
pub mod validate;
pub mod verdict;
