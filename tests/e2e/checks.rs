//! The checks step in the page: a session token signed here, checked against its JWKS, shown
//! only masked and gone from the field and the DOM; and a service's files scanned.

use std::path::PathBuf;

use base64::Engine as _;
use rand_chacha::rand_core::SeedableRng;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

use super::cdp::Chromium;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWKS file and a production session token for a migrated user, signed by its key.
fn token_and_jwks(dir: &std::path::Path) -> (String, PathBuf) {
    let key = RsaPrivateKey::new(&mut rand_chacha::ChaCha8Rng::seed_from_u64(7), 2048).unwrap();
    let public = key.to_public_key();
    let jwks = serde_json::json!({"keys": [{"kty": "RSA", "kid": "ins_2prod", "alg": "RS256", "use": "sig",
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be())}]});
    let path = dir.join("jwks.json");
    std::fs::write(&path, jwks.to_string()).unwrap();
    let header = serde_json::json!({"alg": "RS256", "kid": "ins_2prod", "typ": "JWT"});
    let payload = serde_json::json!({"iss": "https://clerk.example.com", "sub": "user_2prodAda",
        "userId": "user_2devAda", "iat": 1_700_000_000u64, "exp": 1_700_000_060u64, "azp": "https://app.example.com"});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(input.as_bytes()),
        )
        .unwrap();
    (format!("{input}.{}", b64(&signature)), path)
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn a_token_is_checked_masked_and_cleared_and_code_is_scanned() {
    let dir = crate::common::scratch("e2e-checks");
    let (token, jwks) = token_and_jwks(&dir);
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    for url in [
        std::env::var("E2E_HTTP_URL").expect("run `cargo xtask test`"),
        format!("file://{}", single.canonicalize().unwrap().display()),
    ] {
        let mut page = Chromium::launch().new_page();
        page.open(&url);
        page.set_input_file("#jwks-input", &jwks);
        page.wait_for("document.querySelector('#jwks-name').innerText === 'jwks.json'");
        assert_eq!(
            page.eval("document.querySelector('#token-input').type")
                .unwrap(),
            "password",
            "{url}: the field shows the token"
        );
        page.eval(&format!(
            "document.querySelector('#token-input').value = {}; document.querySelector('#token-check').click()",
            serde_json::json!(token)
        ))
        .unwrap();
        page.wait_for("!!document.querySelector('#token-verdict')");
        assert_eq!(
            page.eval("document.querySelector('#token-input').value")
                .unwrap(),
            "",
            "{url}"
        );
        let verdict = page.text("#token-verdict");
        assert!(verdict.contains("The token proves it"), "{url}: {verdict}");
        let findings = page.text("#token-findings");
        assert!(
            findings.contains("signature_valid")
                && findings.contains("expired")
                && findings.contains("user_2devAda"),
            "{findings}"
        );
        assert!(page.text("#token-masked").starts_with("eyJ…("), "{url}");
        let html = page.eval("document.documentElement.outerHTML").unwrap();
        let html = html.as_str().unwrap();
        let chars: Vec<char> = token.chars().collect();
        for piece in chars.windows(12) {
            let piece: String = piece.iter().collect();
            assert!(
                !html.contains(&piece),
                "{url}: the page holds {piece:?} of the token"
            );
        }

        // A folder given to the picker is scanned, its name the service; look-alikes are not
        // findings.
        let folder = crate::common::fixture("services/gateway");
        page.set_input_file("#code-input", &folder);
        page.wait_for("!!document.querySelector('#code-table')");
        assert!(
            page.text("#code-counts")
                .contains("1 TypeScript/JavaScript file"),
            "{url}"
        );
        let table = page.text("#code-table");
        assert!(
            table.contains("server.js:9") && table.contains("getAuth(req).userId"),
            "{table}"
        );
        assert!(
            table.contains("server.js:22") && !table.contains("server.js:23"),
            "{table}"
        );

        // A folder with no source file says how to give one.
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("README.md"), "auth().userId\n").unwrap();
        page.set_input_file("#code-input", &docs);
        page.wait_for("document.querySelector('#code-counts').innerText.includes('No TypeScript')");
        assert!(page
            .text("#code-counts")
            .contains("Choose the folder with the button"));

        // Spanish.
        page.eval("document.querySelector('#lang-es').click()")
            .unwrap();
        page.wait_for(
            "document.querySelector('#checks-heading').innerText.includes('id de desarrollo')",
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
