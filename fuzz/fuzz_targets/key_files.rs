//! The services' config files (`check-keys`, `prepare --keys`): up to four files split at
//! NUL bytes; the first line of the input also names the first service (a file name) unless
//! it holds a piece of a key.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::key_files(data));
