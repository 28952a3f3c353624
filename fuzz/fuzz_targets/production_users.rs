//! The production export taken before the import (`--production-users`).
#![no_main]

use clerk_dev2prod::core::existing::ProductionUsers;
use clerk_dev2prod_fuzz::{check_message, check_prepare_with, Secrets, LANGS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut secrets = Secrets::from_export(data);
    match ProductionUsers::read(data) {
        Err(err) => LANGS
            .iter()
            .for_each(|&lang| check_message("the error", &err.message(lang), &secrets, 0)),
        Ok(users) => check_prepare_with(None, Vec::new(), Some(users), &mut secrets),
    }
});
