//! The production instance's environment document (`--instance-settings`).
#![no_main]

use clerk_dev2prod::core::instance::read_settings;
use clerk_dev2prod_fuzz::{check_message, check_prepare_with, Secrets, LANGS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut secrets = Secrets::default();
    secrets.add_text(data);
    match read_settings(data) {
        Err(err) => LANGS
            .iter()
            .for_each(|&lang| check_message("the error", &err.message(lang), &secrets, 0)),
        Ok(settings) => check_prepare_with(Some(settings), Vec::new(), None, &mut secrets),
    }
});
