//! The TLS settings of a database address, read as libpq reads them: `sslmode` and
//! `sslrootcert` in the URL's query or in key/value settings, else `PGSSLMODE` and
//! `PGSSLROOTCERT`. The driver underneath knows only disable, prefer and require, so these
//! settings are taken out of the address here and turned into a [`TlsPlan`]: whether TLS is
//! used, and what of the server's certificate is checked.

/// libpq's `sslmode` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub const NAMES: &'static str = "disable, allow, prefer, require, verify-ca, verify-full";

    pub fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// Whether the connection is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encryption {
    /// Never (disable).
    Off,
    /// When the server offers it, else in the clear (allow, prefer).
    IfOffered,
    /// Always: a server without TLS is refused.
    Required,
}

/// What of the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    /// Nothing: the link is encrypted, but whoever answers is believed.
    Nothing,
    /// The certificate chains to a trusted root (verify-ca; require with a root file).
    Chain,
    /// The chain, and that the certificate names the host connected to (verify-full).
    ChainAndHost,
}

/// The roots a certificate is checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roots {
    /// The operating system's trusted roots.
    System,
    /// The PEM certificates in this file.
    File(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsPlan {
    /// The mode as given (or prefer, libpq's default), for messages.
    pub mode: SslMode,
    pub encryption: Encryption,
    pub verify: Verify,
    /// Meaningful only when something is verified.
    pub roots: Roots,
}

/// A TLS setting this tool cannot honour; each message says what to do instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsSettingError {
    /// `sslmode` is not one of libpq's values.
    UnknownMode(String),
    /// `sslrootcert=system` with a mode that would not check the certificate (libpq refuses
    /// it too: the system's roots only mean something with the host name checked).
    SystemRootsNeedVerifyFull(SslMode),
    /// A libpq setting this tool does not implement (client certificates, revocation lists).
    Unsupported(String),
}

/// The address without its TLS settings (what the driver reads), and those settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub rest: String,
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    /// libpq TLS settings given that this tool does not implement, by name.
    pub unsupported: Vec<String>,
}

/// libpq settings about TLS that this tool does not implement: refused by name rather than
/// ignored (a client certificate left out would fail later, less clearly).
const UNSUPPORTED: [&str; 7] = [
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "sslcertmode",
    "sslkeylogfile",
];

/// Takes `sslmode`, `sslrootcert` (and the unsupported TLS settings) out of a URL or of
/// key/value settings.
pub fn split(url: &str) -> Split {
    let trimmed = url.trim_start();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        split_uri(url)
    } else {
        split_key_values(url)
    }
}

fn split_uri(url: &str) -> Split {
    let mut split = Split::default();
    let (before_fragment, fragment) = match url.find('#') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    let Some(q) = before_fragment.find('?') else {
        split.rest = url.to_string();
        return split;
    };
    let (base, query) = (&before_fragment[..q], &before_fragment[q + 1..]);
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        if !take(&mut split, &key, percent_decode(value)) {
            kept.push(pair);
        }
    }
    split.rest = if kept.is_empty() {
        format!("{base}{fragment}")
    } else {
        format!("{base}?{}{fragment}", kept.join("&"))
    };
    split
}

/// Records a TLS setting; false when `key` is none.
fn take(split: &mut Split, key: &str, value: String) -> bool {
    match key {
        "sslmode" => split.sslmode = Some(value),
        "sslrootcert" => split.sslrootcert = Some(value),
        _ if UNSUPPORTED.contains(&key) => split.unsupported.push(key.to_string()),
        _ => return false,
    }
    true
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Key/value settings as libpq reads them: `key = value`, a value bare up to whitespace or
/// single-quoted with `\'` and `\\` escaped.
fn split_key_values(settings: &str) -> Split {
    let mut split = Split::default();
    let mut rest = String::with_capacity(settings.len());
    let bytes = settings.as_bytes();
    let mut at = 0;
    let mut copied = 0;
    while at < bytes.len() {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && bytes[at] != b'=' && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let key = &settings[start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if key.is_empty() || at >= bytes.len() || bytes[at] != b'=' {
            // Not key/value settings the driver can read: leave it all for it to refuse.
            break;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = Vec::new();
        if bytes.get(at) == Some(&b'\'') {
            at += 1;
            while at < bytes.len() && bytes[at] != b'\'' {
                if bytes[at] == b'\\' && at + 1 < bytes.len() {
                    at += 1;
                }
                value.push(bytes[at]);
                at += 1;
            }
            at = (at + 1).min(bytes.len());
        } else {
            while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                value.push(bytes[at]);
                at += 1;
            }
        }
        let value = String::from_utf8_lossy(&value).into_owned();
        if take(&mut split, key, value) {
            rest.push_str(&settings[copied..start]);
            copied = at;
        }
    }
    rest.push_str(&settings[copied..]);
    split.rest = rest.trim().to_string();
    split
}

/// What to do, from the settings in the address, else from `PGSSLMODE` / `PGSSLROOTCERT`
/// (`env_mode`, `env_root`), as libpq does.
///
/// - disable: never TLS. allow and prefer: TLS when the server offers it, nothing checked
///   (allow is read as prefer: both accept either, unchecked).
/// - require: TLS or refuse; nothing checked, unless a root file is named, then the chain
///   is (libpq's rule for require with a root file).
/// - verify-ca: TLS, the chain checked against the named file, else the system's roots.
/// - verify-full: the same and the host name. `sslrootcert=system` alone means verify-full.
pub fn plan(
    mode: Option<&str>,
    root: Option<&str>,
    env_mode: Option<&str>,
    env_root: Option<&str>,
) -> Result<TlsPlan, TlsSettingError> {
    let given_mode = mode.or(env_mode).filter(|m| !m.is_empty());
    let root = root.or(env_root).filter(|r| !r.is_empty());
    let roots = match root {
        Some("system") | None => Roots::System,
        Some(file) => Roots::File(file.to_string()),
    };
    let mode = match given_mode {
        Some(name) => {
            SslMode::parse(name).ok_or_else(|| TlsSettingError::UnknownMode(name.to_string()))?
        }
        None if root == Some("system") => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    if root == Some("system") && mode != SslMode::VerifyFull {
        return Err(TlsSettingError::SystemRootsNeedVerifyFull(mode));
    }
    let (encryption, verify) = match mode {
        SslMode::Disable => (Encryption::Off, Verify::Nothing),
        SslMode::Allow | SslMode::Prefer => (Encryption::IfOffered, Verify::Nothing),
        SslMode::Require if matches!(roots, Roots::File(_)) => {
            (Encryption::Required, Verify::Chain)
        }
        SslMode::Require => (Encryption::Required, Verify::Nothing),
        SslMode::VerifyCa => (Encryption::Required, Verify::Chain),
        SslMode::VerifyFull => (Encryption::Required, Verify::ChainAndHost),
    };
    Ok(TlsPlan {
        mode,
        encryption,
        verify,
        roots,
    })
}

/// Splits the address and plans its TLS in one step.
pub fn read(
    url: &str,
    env_mode: Option<&str>,
    env_root: Option<&str>,
) -> Result<(String, TlsPlan), TlsSettingError> {
    let split = split(url);
    if let Some(setting) = split.unsupported.first() {
        return Err(TlsSettingError::Unsupported(setting.clone()));
    }
    let plan = plan(
        split.sslmode.as_deref(),
        split.sslrootcert.as_deref(),
        env_mode,
        env_root,
    )?;
    Ok((split.rest, plan))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_settings_leave_the_url_and_the_rest_stays_as_given() {
        let s = split("postgres://ada:pw@db.example.com:5432/app?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Frds%20ca.pem");
        assert_eq!(
            s.rest,
            "postgres://ada:pw@db.example.com:5432/app?application_name=x"
        );
        assert_eq!(s.sslmode.as_deref(), Some("verify-full"));
        assert_eq!(s.sslrootcert.as_deref(), Some("/etc/rds ca.pem"));
        let s = split("postgresql://h/app?sslmode=require");
        assert_eq!(s.rest, "postgresql://h/app");
        assert_eq!(s.sslmode.as_deref(), Some("require"));
        let s = split("postgres://h/app");
        assert_eq!(
            s,
            Split {
                rest: "postgres://h/app".into(),
                ..Split::default()
            }
        );
        let s = split("postgres://h/app?sslcert=c.pem&sslkey=k.pem");
        assert_eq!(s.unsupported, ["sslcert", "sslkey"]);
        assert_eq!(s.rest, "postgres://h/app");
    }

    #[test]
    fn tls_settings_leave_key_value_settings_quoted_or_not() {
        let s = split(
            "host=db sslmode = verify-ca user=ada sslrootcert='/my certs/it\\'s.pem' dbname=app",
        );
        assert_eq!(s.rest, "host=db  user=ada  dbname=app");
        assert_eq!(s.sslmode.as_deref(), Some("verify-ca"));
        assert_eq!(s.sslrootcert.as_deref(), Some("/my certs/it's.pem"));
        let s = split("sslmode=disable");
        assert_eq!(s.rest, "");
        assert_eq!(s.sslmode.as_deref(), Some("disable"));
        let s = split("host=db password='a b' sslmode=require");
        assert_eq!(s.rest, "host=db password='a b'");
    }

    #[test]
    fn each_mode_says_what_is_encrypted_and_checked() {
        let file = || Roots::File("ca.pem".into());
        let cases = [
            (None, None, Encryption::IfOffered, Verify::Nothing),
            (Some("disable"), None, Encryption::Off, Verify::Nothing),
            (Some("allow"), None, Encryption::IfOffered, Verify::Nothing),
            (
                Some("prefer"),
                Some("ca.pem"),
                Encryption::IfOffered,
                Verify::Nothing,
            ),
            (Some("require"), None, Encryption::Required, Verify::Nothing),
            (
                Some("require"),
                Some("ca.pem"),
                Encryption::Required,
                Verify::Chain,
            ),
            (Some("verify-ca"), None, Encryption::Required, Verify::Chain),
            (
                Some("verify-ca"),
                Some("ca.pem"),
                Encryption::Required,
                Verify::Chain,
            ),
            (
                Some("verify-full"),
                None,
                Encryption::Required,
                Verify::ChainAndHost,
            ),
            (
                Some("verify-full"),
                Some("system"),
                Encryption::Required,
                Verify::ChainAndHost,
            ),
            (
                None,
                Some("system"),
                Encryption::Required,
                Verify::ChainAndHost,
            ),
        ];
        for (mode, root, encryption, verify) in cases {
            let plan = plan(mode, root, None, None).unwrap();
            assert_eq!(
                (plan.encryption, plan.verify),
                (encryption, verify),
                "{mode:?} {root:?}"
            );
            let roots = if root == Some("ca.pem") {
                file()
            } else {
                Roots::System
            };
            assert_eq!(plan.roots, roots, "{mode:?} {root:?}");
        }
        assert_eq!(
            plan(Some("verify_full"), None, None, None),
            Err(TlsSettingError::UnknownMode("verify_full".into()))
        );
        assert_eq!(
            plan(Some("require"), Some("system"), None, None),
            Err(TlsSettingError::SystemRootsNeedVerifyFull(SslMode::Require))
        );
    }

    #[test]
    fn the_address_wins_over_the_environment() {
        let p = plan(None, None, Some("verify-full"), Some("env.pem")).unwrap();
        assert_eq!(
            (p.mode, p.roots),
            (SslMode::VerifyFull, Roots::File("env.pem".into()))
        );
        let p = plan(
            Some("disable"),
            Some("url.pem"),
            Some("verify-full"),
            Some("env.pem"),
        )
        .unwrap();
        assert_eq!(
            (p.mode, p.roots),
            (SslMode::Disable, Roots::File("url.pem".into()))
        );
        assert_eq!(
            read("postgres://h/db?sslkey=k", None, None),
            Err(TlsSettingError::Unsupported("sslkey".into()))
        );
        let (rest, p) = read("postgres://u:pw@h/db?sslmode=verify-ca", None, None).unwrap();
        assert_eq!(rest, "postgres://u:pw@h/db");
        assert_eq!(p.verify, Verify::Chain);
    }
}
