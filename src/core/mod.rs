//! The pure engine: no web, no file system, no clock. Everything here takes bytes or values
//! and returns values, so the page and the command line produce the same results, and the
//! whole engine is tested natively.

pub mod text;
