//! The services' config files (`check-keys`, `prepare --keys`): up to four files split at
//! NUL bytes; the first line of the input also names the first service (a file name).
#![no_main]

use clerk_dev2prod::core::keys::{check_keys, KeyFile};
use clerk_dev2prod_fuzz::{check_message, check_prepare_with, split_parts, Secrets, LANGS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut secrets = Secrets::default();
    secrets.add_text(data);
    let parts = split_parts(data, 4);
    let first_line = parts[0].split(|&b| b == b'\n').next().unwrap_or_default();
    let files: Vec<KeyFile> = parts
        .iter()
        .enumerate()
        .map(|(i, bytes)| KeyFile {
            service: if i == 0 {
                String::from_utf8_lossy(&first_line[..first_line.len().min(64)]).into_owned()
            } else {
                format!("service-{i}.env")
            },
            bytes: bytes.to_vec(),
        })
        .collect();
    let report = check_keys(&files);
    for key in &report.keys {
        let shown = format!(
            "{} {} {} {}",
            key.variable,
            key.masked,
            key.host.as_deref().unwrap_or(""),
            key.service
        );
        secrets.assert_absent("a key's line", &shown, 0);
    }
    for finding in &report.findings {
        for lang in LANGS {
            check_message(finding.code.as_str(), finding.message(lang), &secrets, 0);
            check_message(finding.code.as_str(), finding.fix(lang), &secrets, 0);
        }
    }
    check_prepare_with(None, report.checklist(), None, &mut secrets);
});
