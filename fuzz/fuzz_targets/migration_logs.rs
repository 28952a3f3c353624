//! The migration tool's logs (`reconcile --logs`): up to three logs split at NUL bytes.
#![no_main]

use clerk_dev2prod::core::reconcile::ReconcileInput;
use clerk_dev2prod_fuzz::{check_reconcile, reconcile_fixtures, split_parts, Secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = reconcile_fixtures();
    let mut secrets = Secrets::from_export(f.dev);
    secrets.add_export(f.prod);
    secrets.add_text(data);
    let input = ReconcileInput {
        dev: f.dev,
        prod: f.prod,
        logs: split_parts(data, 3),
        db_ids: Some(f.db_ids),
    };
    check_reconcile(&input, &secrets).expect("the fixtures are usable");
});
