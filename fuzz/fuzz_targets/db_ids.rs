//! The database's user ids (`reconcile --db-ids`).
#![no_main]

use clerk_dev2prod::core::reconcile::ReconcileInput;
use clerk_dev2prod_fuzz::{check_reconcile, reconcile_fixtures, Secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = reconcile_fixtures();
    let mut secrets = Secrets::from_export(f.dev);
    secrets.add_export(f.prod);
    secrets.add_text(data);
    let input = ReconcileInput {
        dev: f.dev,
        prod: f.prod,
        logs: vec![f.log],
        db_ids: Some(data),
    };
    check_reconcile(&input, &secrets);
});
