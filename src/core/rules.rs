//! Field rules: what the migration tool and Clerk's Backend API accept, one function each.
//! Sources: the migration tool's validators and Clerk's documented limits (see the README).

/// The migration tool's email rule (zod's default), written out by hand:
/// `^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`
pub fn is_tool_email(email: &str) -> bool {
    if email.starts_with('.') || email.contains("..") {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = local
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_'+-.".contains(&b))
        && local
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b));
    let Some((labels, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    local_ok
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && labels.split('.').all(|label| {
            label
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Top-level domains Clerk's API refuses (reserved for tests, documentation, local networks).
const RESERVED_TLDS: [&str; 13] = [
    "arpa",
    "local",
    "invalid",
    "example",
    "test",
    "internal",
    "lan",
    "corp",
    "home",
    "localdomain",
    "intranet",
    "private",
    "localhost",
];

/// An address the tool accepts but Clerk's API refuses.
pub fn clerk_refuses_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let tld = domain.rsplit('.').next().unwrap_or("");
    local.len() > 64
        || (email.len() > 254 && email.chars().count() > 254)
        || RESERVED_TLDS.iter().any(|r| r.eq_ignore_ascii_case(tld))
}

/// A phone number as written, brought to E.164 where only layout differs.
#[derive(Debug, PartialEq, Eq)]
pub enum Phone {
    /// Already E.164.
    Valid,
    /// E.164 once spaces, dashes, dots and brackets are removed.
    Normalised(String),
    Invalid,
}

pub fn check_phone(phone: &str) -> Phone {
    if is_e164(phone) {
        return Phone::Valid;
    }
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .collect();
    if is_e164(&compact) {
        Phone::Normalised(compact)
    } else {
        Phone::Invalid
    }
}

/// `+`, a first digit that is not 0, and 7 to 15 digits in all.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Country codes Clerk has been reported to refuse outright.
pub fn country_may_be_refused(e164: &str) -> Option<&'static str> {
    e164.starts_with("+39").then_some("+39")
}

/// Clerk's default username rules: 4–64 characters of Latin letters, digits, `-` and `_`,
/// not all digits, never an E.164 number.
pub fn username_meets_default_rules(username: &str) -> bool {
    // Only ASCII passes the character test, so bytes are characters here.
    username
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && (4..=64).contains(&username.len())
        && !username.bytes().all(|b| b.is_ascii_digit())
        && !is_e164(username)
}

/// A first or last name Clerk's API refuses: it looks like a phone number, holds a link or
/// an HTML tag.
pub fn name_is_refused(name: &str) -> bool {
    let digits = name.chars().filter(char::is_ascii_digit).count();
    let phone_like = (10..=15).contains(&digits)
        && name
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    // Every link form holds ':' or '.'; most names hold neither, and skip the slower scan.
    let link = name.contains([':', '.'])
        && ["http://", "https://", "www."]
            .iter()
            .any(|needle| contains_ignore_ascii_case(name, needle));
    let tag = name
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    phone_like || link || tag
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A TOTP secret: base32 (RFC 4648) once upper-cased, with spaces and `=` padding removed.
pub fn normalise_totp(secret: &str) -> Option<String> {
    let compact: String = secret
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect::<String>()
        .trim_end_matches('=')
        .to_ascii_uppercase();
    let valid = !compact.is_empty()
        && compact
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
    valid.then_some(compact)
}

/// The password hashers Clerk's Backend API (and Clerk's CLI) accepts, exactly as spelt there.
/// The migration tool knows all but [`HASHERS_NOT_IN_MIGRATION_TOOL`].
pub const HASHERS: [&str; 22] = [
    "argon2i",
    "argon2id",
    "awscognito",
    "bcrypt",
    "bcrypt_peppered",
    "bcrypt_sha256_django",
    "hmac_sha256_utf16_b64",
    "ldap_ssha",
    "md5",
    "md5_phpass",
    "md5_salted",
    "pbkdf2_sha1",
    "pbkdf2_sha256",
    "pbkdf2_sha256_django",
    "pbkdf2_sha512",
    "pbkdf2_sha512_hex",
    "phpass",
    "scrypt_firebase",
    "scrypt_werkzeug",
    "sha256",
    "sha256_salted",
    "sha512_symfony",
];

/// Hashers Clerk accepts that the migration tool's validator does not know (its
/// `PASSWORD_HASHERS`, `src/types.ts`, April 2026): one of them anywhere in `users.json`
/// aborts the tool's whole run ("Invalid password hasher detected").
pub const HASHERS_NOT_IN_MIGRATION_TOOL: [&str; 1] = ["phpass"];

/// Whether Clerk's migration tool accepts this (exactly spelt) hasher.
pub fn migration_tool_knows(hasher: &str) -> bool {
    !HASHERS_NOT_IN_MIGRATION_TOOL.contains(&hasher)
}

/// Hashers Clerk accepts but re-hashes with bcrypt at the first sign-in.
pub const INSECURE_HASHERS: [&str; 5] = [
    "md5",
    "md5_salted",
    "sha256",
    "sha256_salted",
    "sha512_symfony",
];

/// The supported hasher a name means, ignoring case and surrounding space.
pub fn known_hasher(name: &str) -> Option<&'static str> {
    let name = name.trim();
    HASHERS
        .iter()
        .copied()
        .find(|h| h.eq_ignore_ascii_case(name))
}

/// How a digest fits its hasher's documented shape.
#[derive(Debug, PartialEq, Eq)]
pub enum DigestFit {
    Fits,
    Mismatch,
    /// A well-formed bcrypt digest whose cost Clerk refuses.
    BcryptCostTooHigh(u32),
}

/// Checks a digest against the shape Clerk documents for its hasher.
pub fn check_digest(hasher: &str, digest: &str) -> DigestFit {
    let fits = match hasher {
        "bcrypt" => return check_bcrypt(digest),
        "bcrypt_sha256_django" => {
            return digest
                .strip_prefix("bcrypt_sha256$")
                .map_or(DigestFit::Mismatch, check_bcrypt)
        }
        "bcrypt_peppered" => {
            return match (digest.get(..60), digest.get(60..)) {
                (Some(bcrypt), Some(pepper)) if pepper.len() > 1 && pepper.starts_with('$') => {
                    check_bcrypt(bcrypt)
                }
                _ => DigestFit::Mismatch,
            }
        }
        "md5" => is_hex(digest, 32),
        "md5_salted" => salted(digest, 32),
        "sha256" => is_hex(digest, 64),
        "sha256_salted" => salted(digest, 64),
        "pbkdf2_sha1" => pbkdf2(digest, "pbkdf2_sha1", is_hex_any, true),
        "pbkdf2_sha256" | "pbkdf2_sha256_django" => {
            pbkdf2(digest, "pbkdf2_sha256", is_base64, false)
        }
        "pbkdf2_sha512" => pbkdf2(digest, "pbkdf2_sha512", is_hex_any, false),
        "pbkdf2_sha512_hex" => {
            pbkdf2(digest, "pbkdf2_sha512_hex", is_hex_any, false)
                && digest.split('$').nth(2).is_some_and(is_hex_any)
        }
        "phpass" | "md5_phpass" => {
            digest.len() == 34
                && (digest.starts_with("$P$") || digest.starts_with("$H$"))
                && digest[3..].bytes().all(is_crypt64)
        }
        "scrypt_firebase" => {
            let parts: Vec<&str> = digest.split('$').collect();
            parts.len() == 6
                && parts[..4].iter().all(|p| is_base64(p))
                && parts[4..].iter().all(|p| is_digits(p))
        }
        "scrypt_werkzeug" => {
            let parts: Vec<&str> = digest.split('$').collect();
            parts.len() == 3
                && parts[0]
                    .strip_prefix("scrypt:")
                    .is_some_and(|p| p.split(':').count() == 3 && p.split(':').all(is_digits))
                && !parts[1].is_empty()
                && is_hex_any(parts[2])
        }
        "argon2i" | "argon2id" => {
            let parts: Vec<&str> = digest.split('$').collect();
            parts.len() == 6
                && parts[0].is_empty()
                && parts[1] == hasher
                && parts[2].starts_with("v=")
                && parts[3].split(',').count() == 3
                && ["m=", "t=", "p="]
                    .iter()
                    .zip(parts[3].split(','))
                    .all(|(key, part)| part.strip_prefix(key).is_some_and(is_digits))
                && is_base64(parts[4])
                && is_base64(parts[5])
        }
        "sha512_symfony" => {
            let parts: Vec<&str> = digest.split('$').collect();
            parts.len() == 4
                && parts[0] == "sha512_symfony"
                && is_digits(parts[1])
                && !parts[2].is_empty()
                && !parts[3].is_empty()
        }
        "awscognito" => {
            let parts: Vec<&str> = digest.split('#').collect();
            parts.len() == 4 && parts[0] == "awscognito" && parts[1..].iter().all(|p| !p.is_empty())
        }
        // No documented shape: accepted as they are.
        "ldap_ssha" | "hmac_sha256_utf16_b64" => !digest.is_empty(),
        _ => false,
    };
    if fits {
        DigestFit::Fits
    } else {
        DigestFit::Mismatch
    }
}

/// `$2a$`/`$2b$`/`$2x$`/`$2y$`, a two-digit cost, 53 characters of bcrypt's alphabet.
fn check_bcrypt(digest: &str) -> DigestFit {
    let bytes = digest.as_bytes();
    let shaped = bytes.len() == 60
        && digest.starts_with("$2")
        && matches!(bytes[2], b'a' | b'b' | b'x' | b'y')
        && bytes[3] == b'$'
        && bytes[4].is_ascii_digit()
        && bytes[5].is_ascii_digit()
        && bytes[6] == b'$'
        && bytes[7..].iter().copied().all(is_crypt64);
    if !shaped {
        return DigestFit::Mismatch;
    }
    let cost = u32::from(bytes[4] - b'0') * 10 + u32::from(bytes[5] - b'0');
    if cost > 15 {
        DigestFit::BcryptCostTooHigh(cost)
    } else {
        DigestFit::Fits
    }
}

fn pbkdf2(digest: &str, prefix: &str, hash_ok: fn(&str) -> bool, key_length: bool) -> bool {
    let parts: Vec<&str> = digest.split('$').collect();
    let count_ok = parts.len() == 4 || (key_length && parts.len() == 5);
    count_ok
        && parts[0] == prefix
        && is_digits(parts[1])
        && !parts[2].is_empty()
        && hash_ok(parts[3])
        && parts.get(4).is_none_or(|p| is_digits(p))
}

fn salted(digest: &str, hex_len: usize) -> bool {
    digest
        .rsplit_once('$')
        .is_some_and(|(salt, hash)| !salt.is_empty() && is_hex(hash, hex_len))
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && is_hex_any(s)
}

fn is_hex_any(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_base64(s: &str) -> bool {
    !s.is_empty()
        && s.trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'.'))
}

fn is_crypt64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'/'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rule_matches_the_tools_regex() {
        for ok in [
            "ada@example.com",
            "o'brien+tag@mail.example.co.uk",
            "a_b-c@x1.io",
            "x@1host.com",
        ] {
            assert!(is_tool_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ada",
            ".ada@example.com",
            "ada.@example.com",
            "a..b@example.com",
            "ada@example",
            "ada@example.c",
            "ada@-example.com",
            "ada@exa_mple.com",
            "ada@example.c0m",
            "josé@example.com",
            "ada @example.com",
            "a@b@example.com",
            "ada'@example.com",
            "ada@example..com",
        ] {
            assert!(!is_tool_email(bad), "{bad}");
        }
    }

    #[test]
    fn clerk_refuses_reserved_domains_and_long_addresses() {
        assert!(clerk_refuses_email("ada@shop.test"));
        assert!(clerk_refuses_email("ada@printer.local"));
        assert!(clerk_refuses_email(&format!(
            "{}@example.com",
            "a".repeat(65)
        )));
        assert!(!clerk_refuses_email(&format!(
            "{}@example.com",
            "a".repeat(64)
        )));
        assert!(!clerk_refuses_email("ada@example.com"));
    }

    #[test]
    fn phones_are_e164_or_normalised() {
        assert_eq!(check_phone("+14155550100"), Phone::Valid);
        assert_eq!(
            check_phone("+1 (415) 555-0100"),
            Phone::Normalised("+14155550100".into())
        );
        assert_eq!(check_phone("4155550100"), Phone::Invalid);
        assert_eq!(check_phone("+0123456789"), Phone::Invalid);
        assert_eq!(check_phone("+123456"), Phone::Invalid);
        assert_eq!(check_phone("+1234567890123456"), Phone::Invalid);
        assert_eq!(country_may_be_refused("+393331234567"), Some("+39"));
    }

    #[test]
    fn username_default_rules() {
        assert!(username_meets_default_rules("ada_l-1"));
        assert!(!username_meets_default_rules("ada"));
        assert!(!username_meets_default_rules("12345"));
        assert!(!username_meets_default_rules("ada.l"));
        assert!(!username_meets_default_rules("añada"));
        assert!(!username_meets_default_rules(&"a".repeat(65)));
    }

    #[test]
    fn names_clerk_refuses() {
        assert!(name_is_refused("+1 415 555 0100"));
        assert!(name_is_refused("visit https://spam.example"));
        assert!(name_is_refused("<img src=x onerror=alert(1)>"));
        assert!(!name_is_refused("Ada <3"));
        assert!(!name_is_refused("Louis XIV"));
        assert!(!name_is_refused("O'Brien-Smith"));
    }

    #[test]
    fn totp_secrets_are_base32() {
        assert_eq!(
            normalise_totp("JBSWY3DPEHPK3PXP").as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(
            normalise_totp("jbsw y3dp ====").as_deref(),
            Some("JBSWY3DP")
        );
        assert_eq!(normalise_totp("JBSWY3DPEHPK3PX1"), None);
        assert_eq!(normalise_totp("===="), None);
    }

    #[test]
    fn hasher_names_ignore_case_only() {
        assert_eq!(known_hasher("BCRYPT "), Some("bcrypt"));
        assert_eq!(known_hasher("bcrypt2"), None);
        assert_eq!(known_hasher("sha1"), None);
    }

    const BCRYPT: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    #[test]
    fn digests_fit_their_hashers() {
        let cases = [
            ("bcrypt", BCRYPT.to_string()),
            ("bcrypt_sha256_django", format!("bcrypt_sha256${BCRYPT}")),
            ("bcrypt_peppered", format!("{BCRYPT}$pepper")),
            ("md5", "5f4dcc3b5aa765d61d8327deb882cf99".into()),
            ("md5_salted", "salt$5f4dcc3b5aa765d61d8327deb882cf99".into()),
            ("sha256", "a".repeat(64)),
            ("sha256_salted", format!("s$${}", "b".repeat(64))),
            ("pbkdf2_sha1", "pbkdf2_sha1$1000$salt$abcdef$20".into()),
            (
                "pbkdf2_sha256",
                "pbkdf2_sha256$260000$salt$q3B8dQ+/abc=".into(),
            ),
            (
                "pbkdf2_sha256_django",
                "pbkdf2_sha256$260000$salt$q3B8dQ+/abc=".into(),
            ),
            ("pbkdf2_sha512", "pbkdf2_sha512$1000$salt$abcdef".into()),
            (
                "pbkdf2_sha512_hex",
                "pbkdf2_sha512_hex$1000$a1b2$abcdef".into(),
            ),
            ("phpass", format!("$P$B{}", "a".repeat(30))),
            ("scrypt_firebase", "aGFzaA==$c2FsdA==$a2V5$Bw==$8$14".into()),
            ("scrypt_werkzeug", "scrypt:32768:8:1$salt$abcdef".into()),
            (
                "argon2id",
                "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA".into(),
            ),
            (
                "argon2i",
                "$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA".into(),
            ),
            ("sha512_symfony", "sha512_symfony$5000$salt$hash".into()),
            ("awscognito", "awscognito#pool#client#user".into()),
            ("ldap_ssha", "{SSHA}anything".into()),
        ];
        for (hasher, digest) in cases {
            assert_eq!(check_digest(hasher, &digest), DigestFit::Fits, "{hasher}");
        }
    }

    #[test]
    fn digests_of_the_wrong_shape_are_caught() {
        let cases = [
            ("bcrypt", &BCRYPT[..59]),
            ("bcrypt", "5f4dcc3b5aa765d61d8327deb882cf99"),
            ("md5", BCRYPT),
            ("sha256", "abc"),
            ("argon2id", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA"),
            ("pbkdf2_sha256", "pbkdf2_sha1$1000$salt$abc"),
            ("phpass", "$P$short"),
            ("awscognito", "awscognito#pool##user"),
            ("scrypt_werkzeug", "scrypt:1:2$salt$abc"),
        ];
        for (hasher, digest) in cases {
            assert_eq!(
                check_digest(hasher, digest),
                DigestFit::Mismatch,
                "{hasher} {digest}"
            );
        }
        let costly = BCRYPT.replacen("$10$", "$16$", 1);
        assert_eq!(
            check_digest("bcrypt", &costly),
            DigestFit::BcryptCostTooHigh(16)
        );
    }
}
