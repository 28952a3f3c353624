//! The migration tool's logs (`reconcile --logs`): up to three logs split at NUL bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::migration_logs(data));
