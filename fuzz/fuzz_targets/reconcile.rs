//! Reconcile as a whole: the dev export, the production export, a log and the database ids,
//! split at NUL bytes.
#![no_main]

use clerk_dev2prod::core::reconcile::ReconcileInput;
use clerk_dev2prod_fuzz::{check_reconcile, split_parts, Secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = split_parts(data, 4);
    let part = |i: usize| parts.get(i).copied().unwrap_or_default();
    let mut secrets = Secrets::from_export(part(0));
    secrets.add_export(part(1));
    secrets.add_text(part(2));
    secrets.add_text(part(3));
    let input = ReconcileInput {
        dev: part(0),
        prod: part(1),
        logs: vec![part(2)],
        db_ids: (parts.len() > 3).then(|| part(3)),
    };
    check_reconcile(&input, &secrets);
});
