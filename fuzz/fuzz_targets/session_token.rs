//! The session token (standard input of `check-token`) and the JWKS, split at the first NUL
//! byte; the token is a secret as a whole and must never be shown but masked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::session_token(data));
