//! Database addresses as they may be shown: the password never leaves as it was given.

/// What stands for a password wherever an address is shown.
pub const MASK: &str = "****";

/// The address with its password replaced by `****`, in both forms libpq reads: a URL
/// (`postgres://user:secret@host/db`, also `?password=secret`) and key/value settings
/// (`host=… password=secret`, also quoted).
pub fn mask_url(url: &str) -> String {
    let trimmed = url.trim_start();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        mask_uri(url)
    } else {
        mask_key_values(url)
    }
}

fn mask_uri(url: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let (scheme, rest) = url.split_at(scheme_end);
    // The authority ends at the first `/`, `?` or `#`; its credentials at its last `@`.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (credentials, host) = authority.split_at(at);
            match credentials.find(':') {
                Some(colon) => format!("{}:{MASK}{host}", &credentials[..colon]),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.find('?') {
        Some(q) => {
            let (path, query) = tail.split_at(q + 1);
            let masked: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}={MASK}")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}{}", masked.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}{authority}{tail}")
}

fn mask_key_values(settings: &str) -> String {
    let mut out = String::with_capacity(settings.len());
    let mut rest = settings;
    while let Some(at) = find_password_key(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let eq = after.find('=').expect("the key ends at =");
        out.push_str(&after[..=eq]);
        let value = after[eq + 1..].trim_start();
        out.push_str(MASK);
        rest = skip_value(value);
    }
    out.push_str(rest);
    out
}

/// Where `password` starts as a key (a word followed by optional spaces and `=`).
fn find_password_key(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("password") {
        let at = from + found;
        let starts_word = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[at + "password".len()..].trim_start();
        if starts_word && after.starts_with('=') {
            return Some(at);
        }
        from = at + "password".len();
    }
    None
}

/// The text after one key/value value: a quoted value ends at its closing quote (`\'` and
/// `\\` escaped), a bare one at whitespace.
fn skip_value(value: &str) -> &str {
    if let Some(quoted) = value.strip_prefix('\'') {
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '\'' => return &quoted[i + 1..],
                _ => {}
            }
        }
        ""
    } else {
        let end = value.find(char::is_whitespace).unwrap_or(value.len());
        &value[end..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_password_is_masked() {
        let cases = [
            (
                "postgres://ada:s3cr%40t@db.example.com:5432/app",
                "postgres://ada:****@db.example.com:5432/app",
            ),
            (
                "postgresql://ada:p@ss:w@rd@host/app?sslmode=require",
                "postgresql://ada:****@host/app?sslmode=require",
            ),
            (
                "postgres://ada@host/app?password=hunter2&sslmode=disable",
                "postgres://ada@host/app?password=****&sslmode=disable",
            ),
            ("postgres://host/app", "postgres://host/app"),
            (
                "host=db user=ada password=hunter2 dbname=app",
                "host=db user=ada password=**** dbname=app",
            ),
            (
                "host=db password = 'it\\'s a secret' dbname=app",
                "host=db password =**** dbname=app",
            ),
            ("PASSWORD=x", "PASSWORD=****"),
        ];
        for (given, shown) in cases {
            assert_eq!(mask_url(given), shown, "{given}");
        }
        assert_eq!(
            mask_url("host=h password='a b c' user=u"),
            "host=h password=**** user=u"
        );
    }
}
