//! The dev export: any bytes, read as the Dashboard CSV (also re-saved) or a JSON export.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::export(data));
