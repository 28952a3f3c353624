//! The one place that decides what of a user's file may be quoted back to them. Every message,
//! error and table that quotes text from an export, a config file or a log passes through
//! [`redact`] first, which masks whatever has the shape of a secret wherever it stands:
//!
//! - Clerk keys (`pk_`/`sk_` `test`/`live`, and the legacy `test_`/`live_` API keys): their
//!   prefix and last four characters are kept, as everywhere else in this tool;
//! - password digests of every shape Clerk documents: modular crypt strings (`$2b$…`,
//!   `$argon2id$…`, `$P$…`), `name$…` strings (`pbkdf2_sha256$…`, `md5_salted`'s `salt$hex`,
//!   scrypt's `…$…$…`), `awscognito#…`, bare hex of 32 characters or more (md5, sha256);
//! - TOTP secrets (base32, 16 characters or more) and other long opaque base64 runs.
//!
//! What the shapes cannot know, the values a row holds in its secret columns (a backup code, a
//! TOTP secret written in lower case), [`mask_values`] masks wherever else they appear in that
//! row's messages. A masked secret reads `***` (after a non-secret prefix such as `$2b$` or
//! `$argon2id$`), so a message still says what kind of value stood there.

use std::borrow::Cow;

use crate::core::issue::Detail;

/// What replaces the secret part of a masked value.
pub const MASK: &str = "***";

const KEY_PREFIXES: [&str; 4] = ["pk_test_", "pk_live_", "sk_test_", "sk_live_"];
const LEGACY_PREFIXES: [&str; 2] = ["test_", "live_"];
/// A character a key's body may run over: anything but space, control characters and the
/// punctuation that ends a value in a config file or a message (`…` included, so that an
/// already masked key is left as it is).
fn in_key_body(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !"\"'`,;)]}|<>…\\".contains(c)
}

/// A character of a digest string (`$`-separated base64, hex and parameters).
fn in_digest(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"./+=$:_-".contains(&b)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// One masked stretch of the text: `[start, end)` is replaced by `shown`.
struct Span {
    start: usize,
    end: usize,
    shown: String,
}

/// `text` with every secret-shaped part masked; borrowed when there is none (the usual case).
pub fn redact(text: &str) -> Cow<'_, str> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(&span.shown);
        at = span.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// [`redact`] for a string already owned: no copy when nothing is masked.
pub fn redact_owned(text: String) -> String {
    match redact(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// Whether `text` holds anything [`redact`] would mask.
pub fn has_secret(text: &str) -> bool {
    !secret_spans(text).is_empty()
}

/// The key's prefix, `…` and its last four characters (fewer for a short body).
fn masked_key(prefix: &str, body: &str) -> String {
    let count = body.chars().count();
    let shown = if count >= 12 { 4 } else { count / 4 };
    let tail: String = body.chars().skip(count - shown).collect();
    format!("{prefix}…{tail}")
}

fn secret_spans(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    // Keys first: a key is shown as its prefix and last four, not swallowed whole by the run
    // of characters around it (`CLERK_SECRET_KEY=sk_live_…`).
    let mut keys = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !is_word(bytes[i - 1]);
        if let Some(span) = (word_start && bytes[i].is_ascii())
            .then(|| key_at(text, i))
            .flatten()
        {
            i = span.end;
            keys.push(span);
        } else {
            i += 1;
        }
    }
    // Then digests, in the stretches between keys.
    let mut spans = Vec::new();
    let mut from = 0;
    for key in keys.into_iter().map(Some).chain([None]) {
        let until = key.as_ref().map_or(bytes.len(), |k| k.start);
        let mut i = from;
        while i < until {
            if in_digest(bytes[i]) && (i == from || !in_digest(bytes[i - 1])) {
                let end = i + bytes[i..until]
                    .iter()
                    .take_while(|&&c| in_digest(c))
                    .count();
                if let Some(span) = digest_run(text, i, end) {
                    i = span.end;
                    spans.push(span);
                    continue;
                }
                i = end;
            } else {
                i += 1;
            }
        }
        if let Some(key) = key {
            from = key.end;
            spans.push(key);
        }
    }
    spans
}

/// A Clerk key (or legacy API key) starting at `i`.
fn key_at(text: &str, i: usize) -> Option<Span> {
    let rest = &text[i..];
    let body_of = |prefix: &str| -> &str {
        let body = &rest[prefix.len()..];
        let len = body
            .char_indices()
            .find(|&(_, c)| !in_key_body(c))
            .map_or(body.len(), |(at, _)| at);
        // A sentence's full stop after a key is not part of it.
        body[..len].trim_end_matches(['.', ':'])
    };
    if let Some(prefix) = KEY_PREFIXES.iter().find(|p| rest.starts_with(*p)) {
        let body = body_of(prefix);
        if body.is_empty() {
            return None;
        }
        return Some(Span {
            start: i,
            end: i + prefix.len() + body.len(),
            shown: masked_key(prefix, body),
        });
    }
    let prefix = LEGACY_PREFIXES.iter().find(|p| rest.starts_with(*p))?;
    let body_len = rest.as_bytes()[prefix.len()..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let after = rest.as_bytes().get(prefix.len() + body_len).copied();
    if body_len < 20 || after.is_some_and(is_word) {
        return None;
    }
    let body = &rest[prefix.len()..prefix.len() + body_len];
    Some(Span {
        start: i,
        end: i + prefix.len() + body_len,
        shown: masked_key(prefix, body),
    })
}

/// A run of digest characters `[start, end)`, masked when it has a secret's shape.
fn digest_run(text: &str, start: usize, end: usize) -> Option<Span> {
    let run = &text[start..end];
    let bytes = run.as_bytes();
    let masked = |keep: usize| Span {
        start,
        end,
        shown: format!("{}{MASK}", &run[..keep]),
    };
    // `awscognito#pool#client#identifier`: the run stops at the first `#`; take the rest.
    if run == "awscognito" && text[end..].starts_with('#') {
        let tail = text[end..]
            .char_indices()
            .find(|&(_, c)| !in_key_body(c))
            .map_or(text.len() - end, |(at, _)| at);
        return Some(Span {
            start,
            end: end + tail,
            shown: format!("awscognito#{MASK}"),
        });
    }
    let dollars = bytes.iter().filter(|&&b| b == b'$').count();
    if dollars > 0 && run.len() >= 12 {
        // Keep what only names the scheme, short enough to be no piece of the secret:
        // `$2b$`, `$P$`, `$argon2id$`.
        let keep = run
            .strip_prefix('$')
            .and_then(|after| after.find('$'))
            .filter(|&n| n <= 8 && run[1..=n].bytes().all(|b| b.is_ascii_alphanumeric()))
            .map_or(0, |n| n + 2);
        return Some(masked(keep));
    }
    let longest = |keep: fn(&u8) -> bool| {
        let (mut best, mut now) = (0, 0);
        for b in bytes {
            now = if keep(b) { now + 1 } else { 0 };
            best = best.max(now);
        }
        best
    };
    // md5, sha256 and other bare hex digests (letters and digits: a row of `aaaa…` is
    // padding, not a digest).
    let hex_mixed = bytes.iter().any(u8::is_ascii_digit)
        && bytes
            .iter()
            .any(|b| b.is_ascii_hexdigit() && b.is_ascii_alphabetic());
    if hex_mixed && longest(u8::is_ascii_hexdigit) >= 32 {
        return Some(masked(0));
    }
    // Base32 TOTP secrets: upper-case letters and 2-7, standing on their own.
    let base32 = |b: &u8| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b) || *b == b'=';
    if run.len() >= 16 && bytes.iter().all(base32) {
        return Some(masked(0));
    }
    // Long opaque base64 (a key's body without its prefix, a hash cut out of its digest).
    let base64 = |b: &u8| b.is_ascii_alphanumeric() || b"+/=".contains(b);
    if longest(base64) >= 32 {
        let mixed = bytes.iter().any(u8::is_ascii_uppercase)
            && bytes.iter().any(u8::is_ascii_lowercase)
            && bytes.iter().any(u8::is_ascii_digit);
        if mixed {
            return Some(masked(0));
        }
    }
    None
}

/// `text` with every occurrence of one of `secrets` (the values of a row's secret columns)
/// masked, as well as every secret-shaped part.
pub fn mask_values<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| s.len() >= MIN_SECRET_LEN) {
        if out.contains(secret) {
            out = Cow::Owned(out.replace(secret, MASK));
        }
    }
    match redact(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(masked) => Cow::Owned(masked),
    }
}

/// Values shorter than this are not masked by value (a one-letter digest would mask every
/// such letter); the shapes still apply.
pub const MIN_SECRET_LEN: usize = 6;

/// Masks, in a finding's parameters, the row's secret values and every secret shape.
pub fn mask_detail(detail: &mut Detail, secrets: &[&str]) {
    let fix = |value: &mut Box<str>| {
        if let Cow::Owned(masked) = mask_values(value, secrets) {
            *value = masked.into();
        }
    };
    match detail {
        Detail::None | Detail::Number(_) => {}
        Detail::Value(v) | Detail::List(v) | Detail::ValueNumber(v, _) => fix(v),
        Detail::Collision { value, .. } => fix(value),
        Detail::Existing { prod_id, value, .. } => {
            fix(prod_id);
            fix(value);
        }
        Detail::Changed { from, to } => {
            fix(from);
            fix(to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7";

    #[test]
    fn keys_keep_their_prefix_and_last_four() {
        assert_eq!(
            redact(&format!("found: CLERK_SECRET_KEY={KEY}, id")),
            "found: CLERK_SECRET_KEY=sk_live_…4lM7, id"
        );
        assert_eq!(redact("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"), "pk_test_…b20k");
        assert_eq!(
            redact("KEY=test_abcdefghijklmnopqrstuvwxyz"),
            "KEY=test_…wxyz"
        );
    }

    #[test]
    fn our_own_words_are_left_alone() {
        for text in [
            "Replace `pk_test_` with `pk_live_` and `sk_test_` with `sk_live_` everywhere.",
            "echo 'CLERK_SECRET_KEY=sk_live_…' > .env",
            "sk_live_…4lM7 (gateway.env, line 1, CLERK_SECRET_KEY) is a development key.",
            "Use one of Clerk's hashers (bcrypt, argon2id, pbkdf2_sha256, …).",
            "Write it as a JSON object such as {\"plan\":\"pro\"}, or leave it empty.",
            "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY, user_2aXk2LmNoPqRsTuVwXyZ012345, +14155550100",
            "ada.lovelace@example.com, test_key_left, ALEXANDERTHE",
            "user_long_id_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn every_digest_shape_is_masked() {
        let cases = [
            (
                "$2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS",
                "$2b$***",
            ),
            (
                "bcrypt_sha256$$2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS",
                "***",
            ),
            (
                "$2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS$pepper",
                "$2b$***",
            ),
            ("5f4dcc3b5aa765d61d8327deb882cf99", "***"),
            ("saltysalt12$5f4dcc3b5aa765d61d8327deb882cf99", "***"),
            (
                "pbkdf2_sha256$600000$c2FsdHNhbHQ$8xPzQ3Zm9vYmFyYmF6cXV4",
                "***",
            ),
            ("$P$B12345678abcdefghijklmnopqrstu", "$P$***"),
            (
                "scrypt:32768:8:1$c2FsdA$5f4dcc3b5aa765d61d8327deb882cf99",
                "***",
            ),
            (
                "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$***,t=3,***",
            ),
            (
                "awscognito#us-east-1_AbC#client#ada@example.com",
                "awscognito#***",
            ),
            ("JBSWY3DPEHPK3PXP", "***"),
            (
                "lSzY6aE0bvQ1uhy1hF8/3Eb0+Zm9vYmFyYmF6cXV4eHg=$c2FsdA==$Zm9v$Ymc=$8$14",
                "***",
            ),
        ];
        for (digest, shown) in cases {
            let text = format!("hasher \"{digest}\" is unknown");
            assert_eq!(
                redact(&text),
                format!("hasher \"{shown}\" is unknown"),
                "{digest}"
            );
        }
    }

    #[test]
    fn values_of_secret_columns_are_masked_wherever_they_stand() {
        assert_eq!(
            mask_values("Username \"hunter-code-9\" breaks", &["hunter-code-9", "x"]),
            "Username \"***\" breaks"
        );
        let mut detail = Detail::Collision {
            value: "jbswy3dpehpk3pxp".into(),
            first_row: 2,
        };
        mask_detail(&mut detail, &["jbswy3dpehpk3pxp"]);
        assert_eq!(
            detail,
            Detail::Collision {
                value: MASK.into(),
                first_row: 2
            }
        );
    }

    #[test]
    fn masking_is_idempotent() {
        let once = redact(&format!(
            "{KEY} $2b$12$KIXQJmBvQjO6yXv1mQ0tUeJqKzRrGk8m1wzZ0Jb5aQx9Y0n3pV8kS"
        ))
        .into_owned();
        assert_eq!(redact(&once), once);
    }
}
