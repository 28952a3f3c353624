//! The database's user ids (`reconcile --db-ids`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::db_ids(data));
