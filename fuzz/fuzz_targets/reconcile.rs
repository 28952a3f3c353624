//! Reconcile as a whole: the dev export, the production export, a log and the database ids,
//! split at NUL bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clerk_dev2prod_fuzz::targets::reconcile(data));
