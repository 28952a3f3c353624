//! The production instance's environment document (`--instance-settings`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::instance_settings(data));
