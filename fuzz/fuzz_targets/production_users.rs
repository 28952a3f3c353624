//! The production export taken before the import (`--production-users`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::production_users(data));
