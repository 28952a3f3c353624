//! The session token (standard input of `check-token`) and the JWKS, split at the first NUL
//! byte; the token is a secret as a whole and must never be shown but masked.
#![no_main]

use clerk_dev2prod::core::checks::token::{check_token, TokenInput};
use clerk_dev2prod_fuzz::{check_message, split_parts, Secrets, LANGS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = split_parts(data, 2);
    let token = String::from_utf8_lossy(parts[0]);
    let jwks = parts.get(1).copied().unwrap_or_default();
    let mut secrets = Secrets::default();
    secrets.add_text(jwks);
    // The token's signature is its secret part.
    let mut token_secrets = Secrets::default();
    if let Some(signature) = token.trim().rsplit('.').next() {
        token_secrets.add_secret(signature);
    }
    let input = TokenInput {
        token: &token,
        jwks,
        claim_name: "userId",
        frontend_api: Some("clerk.example.com"),
        dev_ids: None,
        now: Some(1_764_000_000),
    };
    match check_token(&input) {
        Err(err) => LANGS.iter().for_each(|&lang| {
            check_message("the error", &err.message(lang), &secrets, 0);
            token_secrets.assert_absent("the error", &err.message(lang), 0);
        }),
        Ok(report) => {
            token_secrets.assert_absent("the masked token", &report.masked, 0);
            for finding in &report.findings {
                for lang in LANGS {
                    check_message(finding.code.as_str(), finding.message(lang), &secrets, 0);
                    token_secrets.assert_absent(finding.code.as_str(), finding.message(lang), 0);
                }
            }
        }
    }
});
