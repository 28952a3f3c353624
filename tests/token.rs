//! The session token check, with tokens signed here by an RSA key made from a fixed seed and
//! published as a JWKS, as Clerk's Frontend API publishes its own; and `check-token`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::sync::OnceLock;

use base64::Engine as _;
use clerk_dev2prod::core::checks::token::{
    check_token, dev_ids, mask_token, TokenCode, TokenInput, TokenInputError, TokenReport,
};
use clerk_dev2prod::core::keys::{publishable_key_host, Instance};
use clerk_dev2prod::core::lang::Lang;
use rand_chacha::rand_core::SeedableRng;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

const PROD: &str = "clerk.example.com";
const NOW: u64 = 1_700_000_000;
const KID: &str = "ins_2prodKey";

fn key(seed: u64) -> &'static RsaPrivateKey {
    static KEYS: [OnceLock<RsaPrivateKey>; 2] = [OnceLock::new(), OnceLock::new()];
    KEYS[seed as usize].get_or_init(|| {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        RsaPrivateKey::new(&mut rng, 2048).expect("a 2048-bit key")
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn jwks() -> Vec<u8> {
    let public = key(0).to_public_key();
    serde_json::json!({"keys": [{
        "use": "sig", "kty": "RSA", "kid": KID, "alg": "RS256",
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()),
    }]})
    .to_string()
    .into_bytes()
}

fn sign_with(
    signer: &RsaPrivateKey,
    header: serde_json::Value,
    payload: serde_json::Value,
) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let digest = Sha256::digest(input.as_bytes());
    let signature = signer.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    format!("{input}.{}", b64(&signature))
}

fn header() -> serde_json::Value {
    serde_json::json!({"alg": "RS256", "kid": KID, "typ": "JWT"})
}

/// What Clerk puts in a production session token, with the custom claim.
fn claims(sub: &str, user_id: Option<&str>) -> serde_json::Value {
    let mut claims = serde_json::json!({
        "azp": "https://app.example.com", "exp": NOW + 60, "fva": [0, -1], "iat": NOW,
        "iss": format!("https://{PROD}"), "nbf": NOW - 10, "sid": "sess_2xyz", "sub": sub, "v": 2,
    });
    if let Some(id) = user_id {
        claims["userId"] = id.into();
    }
    claims
}

fn sign(payload: serde_json::Value) -> String {
    sign_with(key(0), header(), payload)
}

fn export_ids() -> HashSet<String> {
    dev_ids(b"id,first_name,primary_email_address\nuser_2devAda,Ada,ada@example.com\nuser_2devBob,Bob,bob@example.com\n").unwrap()
}

fn check(token: &str, ids: Option<&HashSet<String>>) -> TokenReport {
    let jwks = jwks();
    check_token(&TokenInput {
        token,
        jwks: &jwks,
        claim_name: "userId",
        frontend_api: Some(PROD),
        dev_ids: ids,
        now: Some(NOW),
    })
    .expect("a checkable token")
}

fn codes(report: &TokenReport) -> Vec<TokenCode> {
    report.findings.iter().map(|f| f.code).collect()
}

/// No 12-character piece of the token anywhere in what the report says.
fn assert_no_piece_of(token: &str, report: &TokenReport) {
    let mut said = format!("{report:?}");
    for lang in [Lang::En, Lang::Es] {
        for f in &report.findings {
            said += f.message(lang);
            said += f.fix(lang).unwrap_or("");
        }
    }
    let chars: Vec<char> = token.chars().collect();
    for piece in chars.windows(12) {
        let piece: String = piece.iter().collect();
        assert!(
            !said.contains(&piece),
            "the report holds {piece:?} of the token"
        );
    }
}

#[test]
fn a_migrated_user_proves_the_dev_id_arrives() {
    let token = sign(claims("user_2prodAda", Some("user_2devAda")));
    let ids = export_ids();
    let report = check(&token, Some(&ids));
    assert!(report.proven(), "{:?}", report.findings);
    assert_eq!(
        codes(&report),
        [
            TokenCode::SignatureValid,
            TokenCode::AuthorizedParty,
            TokenCode::MigratedUser
        ]
    );
    assert_eq!(report.claim_value.as_deref(), Some("user_2devAda"));
    assert_eq!(report.subject.as_deref(), Some("user_2prodAda"));
    assert_no_piece_of(&token, &report);
    // Copied with what comes around it: still the same token.
    let report = check(&format!("  __session={token};\n"), Some(&ids));
    assert!(report.has(TokenCode::MigratedUser));
    let report = check(&format!("Bearer {token}"), None);
    assert_eq!(
        codes(&report).last(),
        Some(&TokenCode::ClaimDiffersUnconfirmed)
    );
    assert!(report.proven());
}

#[test]
fn a_user_created_in_production_gets_sub() {
    let report = check(
        &sign(claims("user_2prodNew", Some("user_2prodNew"))),
        Some(&export_ids()),
    );
    assert!(report.proven());
    assert!(report.has(TokenCode::NewUser));
    assert!(report
        .findings
        .last()
        .unwrap()
        .message(Lang::En)
        .contains("created in production"));
}

#[test]
fn a_missing_claim_fails_with_the_customisation_fix() {
    let report = check(&sign(claims("user_2prodAda", None)), Some(&export_ids()));
    assert!(!report.proven());
    let missing = report
        .findings
        .iter()
        .find(|f| f.code == TokenCode::ClaimMissing)
        .unwrap();
    assert!(missing.message(Lang::En).contains("no userId claim"));
    let fix = missing.fix(Lang::Es).unwrap();
    assert!(
        fix.contains("Customize session token") && fix.contains("{{user.external_id || user.id}}"),
        "{fix}"
    );
}

#[test]
fn a_claim_that_is_no_dev_id_or_no_rendered_template_fails() {
    let report = check(
        &sign(claims("user_2prodAda", Some("user_2other"))),
        Some(&export_ids()),
    );
    assert_eq!(codes(&report).last(), Some(&TokenCode::ClaimNotDevId));
    assert!(!report.proven());
    let report = check(
        &sign(claims("user_2prodAda", Some("{{user.externalid}}"))),
        None,
    );
    assert_eq!(codes(&report).last(), Some(&TokenCode::ClaimNotRendered));
    let mut payload = claims("user_2prodAda", None);
    payload["userId"] = serde_json::json!({"id": "x"});
    assert_eq!(
        codes(&check(&sign(payload), None)).last(),
        Some(&TokenCode::ClaimNotString)
    );
}

#[test]
fn a_development_issuer_fails() {
    let mut payload = claims("user_2devAda", Some("user_2devAda"));
    payload["iss"] = "https://happy-hen-13.clerk.accounts.dev".into();
    let report = check(&sign(payload), Some(&export_ids()));
    assert!(!report.proven());
    assert!(report.has(TokenCode::DevIssuer));
    assert!(report
        .findings
        .iter()
        .find(|f| f.code == TokenCode::DevIssuer)
        .unwrap()
        .message(Lang::En)
        .contains("development instance"));
}

#[test]
fn another_production_issuer_than_the_live_key_names_fails() {
    let mut payload = claims("user_2prodAda", Some("user_2devAda"));
    payload["iss"] = "https://clerk.other.org".into();
    let report = check(&sign(payload), Some(&export_ids()));
    assert!(report.has(TokenCode::OtherIssuer));
    let fix = report
        .findings
        .iter()
        .find(|f| f.code == TokenCode::OtherIssuer)
        .unwrap()
        .fix(Lang::En)
        .unwrap();
    assert!(
        fix.contains("https://clerk.example.com/.well-known/jwks.json"),
        "{fix}"
    );
}

#[test]
fn a_key_the_jwks_does_not_hold_fails() {
    let mut h = header();
    h["kid"] = "ins_2devKey".into();
    let report = check(
        &sign_with(key(1), h, claims("user_2prodAda", Some("user_2devAda"))),
        None,
    );
    assert_eq!(codes(&report), [TokenCode::UnknownKid]);
    assert!(report.findings[0].message(Lang::En).contains("ins_2devKey"));
}

#[test]
fn a_token_signed_by_another_key_under_the_same_kid_fails() {
    let report = check(
        &sign_with(
            key(1),
            header(),
            claims("user_2prodAda", Some("user_2devAda")),
        ),
        None,
    );
    assert_eq!(codes(&report), [TokenCode::BadSignature]);
}

#[test]
fn a_tampered_payload_fails_and_nothing_in_it_is_read() {
    let token = sign(claims("user_2prodAda", None));
    let forged = b64(claims("user_2prodAda", Some("user_2devAda"))
        .to_string()
        .as_bytes());
    let parts: Vec<&str> = token.split('.').collect();
    let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
    let report = check(&tampered, Some(&export_ids()));
    assert_eq!(codes(&report), [TokenCode::BadSignature]);
    assert_eq!(report.claim_value, None);
    // A token cut short when copied.
    let cut = &token[..token.len() - 8];
    assert_eq!(codes(&check(cut, None)), [TokenCode::BadSignature]);
}

#[test]
fn alg_none_and_other_algorithms_fail() {
    let payload = claims("user_2prodAda", Some("user_2devAda"));
    let unsigned = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(payload.to_string().as_bytes())
    );
    let report = check(&unsigned, Some(&export_ids()));
    assert_eq!(codes(&report), [TokenCode::AlgNotRs256]);
    assert!(report.findings[0].message(Lang::En).contains("alg none"));
    let mut h = header();
    h["alg"] = "HS256".into();
    assert_eq!(
        codes(&check(&sign_with(key(0), h, payload), None)),
        [TokenCode::AlgNotRs256]
    );
}

#[test]
fn an_expired_well_signed_token_still_proves_the_claim() {
    let mut payload = claims("user_2prodAda", Some("user_2devAda"));
    payload["exp"] = (NOW - 3600).into();
    let report = check(&sign(payload), Some(&export_ids()));
    assert!(report.proven());
    assert!(report.has(TokenCode::Expired) && report.has(TokenCode::MigratedUser));
    let expired = report
        .findings
        .iter()
        .find(|f| f.code == TokenCode::Expired)
        .unwrap();
    assert!(expired.message(Lang::En).contains("expired 3600 s ago"));
    assert!(expired.message(Lang::En).contains("still proves"));
}

#[test]
fn unusable_input_is_an_error_not_a_finding() {
    let jwks = jwks();
    let input = |token, jwks, claim_name| TokenInput {
        token,
        jwks,
        claim_name,
        frontend_api: None,
        dev_ids: None,
        now: None,
    };
    assert_eq!(
        check_token(&input("  ", &jwks, "userId")).unwrap_err(),
        TokenInputError::Empty
    );
    assert_eq!(
        check_token(&input("not.a.jwt", &jwks, "userId")).unwrap_err(),
        TokenInputError::NotAJwt
    );
    let token = sign(claims("u", None));
    assert!(matches!(
        check_token(&input(&token, b"-----BEGIN PUBLIC KEY-----", "userId")),
        Err(TokenInputError::Jwks(_))
    ));
    assert!(matches!(
        check_token(&input(&token, &jwks, "sub")),
        Err(TokenInputError::ClaimName(_))
    ));
    let message = TokenInputError::NotAJwt.message(Lang::Es);
    assert!(message.contains("__session"));
}

#[test]
fn the_mask_shows_too_little_to_use() {
    let token = sign(claims("user_2prodAda", Some("user_2devAda")));
    let masked = mask_token(&token);
    assert!(
        masked.starts_with("eyJ…(") && masked.chars().count() < 20,
        "{masked}"
    );
    assert_eq!(mask_token("short"), "…(5)");
}

#[test]
fn the_frontend_api_host_comes_from_a_live_publishable_key() {
    let key = format!(
        "pk_live_{}",
        base64::engine::general_purpose::STANDARD.encode("clerk.example.com$")
    );
    assert_eq!(
        publishable_key_host(&key),
        Some(("clerk.example.com".to_string(), Instance::Production))
    );
    let dev = format!(
        "pk_test_{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode("happy-hen-13.clerk.accounts.dev$")
    );
    assert_eq!(publishable_key_host(&dev).unwrap().1, Instance::Development);
    assert_eq!(publishable_key_host("sk_live_abc"), None);
}

#[test]
fn dev_ids_come_from_users_json_too() {
    let ids = dev_ids(br#"[{"userId":"user_2devAda","email":["ada@example.com"]}]"#).unwrap();
    assert!(ids.contains("user_2devAda"));
    assert_eq!(dev_ids(b""), None);
}

mod cli {
    use super::*;
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "clerk-dev2prod-token-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs check-token with the token on standard input; (exit code, stdout + stderr).
    fn run(dir: &std::path::Path, token: &str, extra: &[&str]) -> (Option<i32>, String) {
        let jwks_path = dir.join("jwks.json");
        std::fs::write(&jwks_path, jwks()).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .current_dir(dir)
            .args(["check-token", "--jwks", jwks_path.to_str().unwrap()])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A run refused for its arguments exits before reading: the pipe is then closed.
        let _ = child.stdin.take().unwrap().write_all(token.as_bytes());
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    }

    fn assert_no_piece(token: &str, text: &str) {
        let chars: Vec<char> = token.chars().collect();
        for piece in chars.windows(12) {
            let piece: String = piece.iter().collect();
            assert!(
                !text.contains(&piece),
                "the output holds {piece:?} of the token"
            );
        }
    }

    fn live_key() -> String {
        format!(
            "pk_live_{}",
            base64::engine::general_purpose::STANDARD.encode(format!("{PROD}$"))
        )
    }

    #[test]
    fn a_migrated_users_token_exits_0_and_is_never_shown() {
        let dir = scratch("ok");
        std::fs::write(
            dir.join("users.csv"),
            "id,primary_email_address\nuser_2devAda,ada@example.com\n",
        )
        .unwrap();
        // Expired by now (signed for a fixed time): still proves the claim, and says so.
        let token = sign(claims("user_2prodAda", Some("user_2devAda")));
        let key = live_key();
        let (code, text) = run(
            &dir,
            &token,
            &["--export", "users.csv", "--publishable-key", &key],
        );
        assert_eq!(code, Some(0), "{text}");
        assert!(
            text.contains("[ok] migrated_user") && text.contains("[ok] expired"),
            "{text}"
        );
        assert!(
            text.contains("https://clerk.example.com/.well-known/jwks.json"),
            "{text}"
        );
        assert_no_piece(&token, &text);
        // Nothing written beside the inputs.
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["jwks.json", "users.csv"]);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_failed_check_exits_1_in_spanish_too() {
        let dir = scratch("fail");
        let token = sign(claims("user_2prodAda", None));
        let (code, text) = run(&dir, &token, &["--lang", "es"]);
        assert_eq!(code, Some(1), "{text}");
        assert!(
            text.contains("[fail] claim_missing") && text.contains("no tiene el claim userId"),
            "{text}"
        );
        assert_no_piece(&token, &text);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn unusable_input_exits_2() {
        let dir = scratch("bad");
        let (code, text) = run(&dir, "", &[]);
        assert_eq!(code, Some(2), "{text}");
        assert!(text.contains("No session token was given"), "{text}");
        let token = sign(claims("user_2prodAda", Some("user_2devAda")));
        let (code, text) = run(&dir, &token, &["--claim-name", "sub"]);
        assert_eq!(code, Some(2), "{text}");
        let (code, text) = run(
            &dir,
            &token,
            &[
                "--publishable-key",
                "pk_test_Zm9vLmNsZXJrLmFjY291bnRzLmRldiQ",
            ],
        );
        assert_eq!(code, Some(2), "{text}");
        assert!(text.contains("pk_live_"), "{text}");
        assert_no_piece(&token, &text);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_token_is_refused_as_an_argument() {
        let out = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
            .args([
                "check-token",
                "--jwks",
                "jwks.json",
                "eyJhbGciOiJSUzI1NiJ9.e30.x",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
}
