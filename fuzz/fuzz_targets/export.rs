//! The dev export: any bytes, read as the Dashboard CSV (also re-saved) or a JSON export.
#![no_main]

use clerk_dev2prod::core::prepare::PrepareOptions;
use clerk_dev2prod_fuzz::{check_prepare, Secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let secrets = Secrets::from_export(data);
    check_prepare(data, &PrepareOptions::default(), &secrets);
});
