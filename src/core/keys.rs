//! The key switch: find every Clerk key in a set of config files (one file per service), say
//! which are still development keys, which pairs disagree, and which would leak a secret, and
//! never show a key in full (a prefix and its last four characters).

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine as _;

use crate::core::decode;
use crate::core::escape::{shown, visible};
use crate::core::lang::Lang;
use crate::core::redact::redact;

/// One config file, named for its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    pub service: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyKind {
    Publishable,
    Secret,
    /// `test_…`/`live_…`: the Backend API keys Clerk used before `sk_` keys.
    LegacyApiKey,
    /// `clerk.…`: the Frontend API host Clerk SDKs took before publishable keys.
    LegacyFrontendApi,
}

impl KeyKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            KeyKind::Publishable => lang.pick("publishable key", "clave publicable"),
            KeyKind::Secret => lang.pick("secret key", "clave secreta"),
            KeyKind::LegacyApiKey => lang.pick("legacy API key", "clave de API antigua"),
            KeyKind::LegacyFrontendApi => lang.pick("legacy Frontend API", "Frontend API antigua"),
        }
    }
}

/// Which instance a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Instance {
    Development,
    Production,
}

/// A key as found: never its full value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundKey {
    pub service: String,
    pub line: usize,
    pub variable: String,
    pub kind: KeyKind,
    pub instance: Instance,
    /// Prefix and last four characters: `sk_live_…abcd`.
    pub masked: String,
    /// The Frontend API host a publishable key names.
    pub host: Option<String>,
    /// Why the key cannot be used as it is.
    pub malformed: Option<Malformed>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// The part after the prefix is not base64.
    BadBase64,
    /// It decodes, but not to `<host>$`: cut short, or not a key.
    NoDollar,
    /// Too short to be a secret key.
    Truncated,
    /// The prefix says one instance and the host the other.
    PrefixHostMismatch,
}

/// What is wrong, or worth knowing, about the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyCode {
    TestKeyLeft,
    SecretInPublicVariable,
    MixedPair,
    HostsDiffer,
    MalformedKey,
    SecretInBrowserApp,
    LegacyKey,
    NoKeyFound,
    Unreadable,
}

impl KeyCode {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyCode::TestKeyLeft => "test_key_left",
            KeyCode::SecretInPublicVariable => "secret_in_public_variable",
            KeyCode::MixedPair => "mixed_pair",
            KeyCode::HostsDiffer => "hosts_differ",
            KeyCode::MalformedKey => "malformed_key",
            KeyCode::SecretInBrowserApp => "secret_in_browser_app",
            KeyCode::LegacyKey => "legacy_key",
            KeyCode::NoKeyFound => "no_key_found",
            KeyCode::Unreadable => "unreadable",
        }
    }

    /// Errors block the switch; warnings deserve a look.
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            KeyCode::SecretInBrowserApp | KeyCode::LegacyKey | KeyCode::NoKeyFound
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFinding {
    pub code: KeyCode,
    pub service: String,
    /// The keys it is about, as indices into [`KeyReport::keys`] (none for a file without
    /// keys or one that cannot be read).
    pub keys: Vec<usize>,
    pub message: [String; 2],
    pub fix: [String; 2],
}

impl KeyFinding {
    pub fn message(&self, lang: Lang) -> &str {
        &self.message[lang as usize]
    }

    pub fn fix(&self, lang: Lang) -> &str {
        &self.fix[lang as usize]
    }
}

/// Everything found in a set of files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyReport {
    pub services: Vec<String>,
    pub keys: Vec<FoundKey>,
    pub findings: Vec<KeyFinding>,
}

impl KeyReport {
    /// Every key live, consistent and in its place.
    pub fn all_live(&self) -> bool {
        !self.findings.iter().any(|f| f.code.is_error())
    }

    pub fn has_unreadable(&self) -> bool {
        self.findings.iter().any(|f| f.code == KeyCode::Unreadable)
    }
}

/// One line of the runbook's key checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCheck {
    pub service: String,
    /// The variables holding Clerk keys, in file order.
    pub variables: Vec<String>,
    /// Every key of the service live, and nothing blocking found for it.
    pub ready: bool,
}

impl KeyReport {
    /// The runbook's per-service checklist.
    pub fn checklist(&self) -> Vec<ServiceCheck> {
        let blocked_everywhere = self
            .findings
            .iter()
            .any(|f| f.service == "*" && f.code.is_error());
        // One pass over the keys and one over the findings: a file can hold hundreds of
        // thousands of keys.
        let mut variables: HashMap<&str, (Vec<String>, HashSet<&str>)> = HashMap::new();
        for key in &self.keys {
            let (list, seen) = variables.entry(key.service.as_str()).or_default();
            if seen.insert(key.variable.as_str()) {
                list.push(key.variable.clone());
            }
        }
        let blocked: HashSet<&str> = self
            .findings
            .iter()
            .filter(|f| f.code.is_error())
            .map(|f| f.service.as_str())
            .collect();
        self.services
            .iter()
            .map(|service| {
                let variables = variables
                    .get(service.as_str())
                    .map(|(list, _)| list.clone())
                    .unwrap_or_default();
                ServiceCheck {
                    service: service.clone(),
                    ready: !variables.is_empty()
                        && !blocked.contains(service.as_str())
                        && !blocked_everywhere,
                    variables,
                }
            })
            .collect()
    }
}

/// Prefixes of variables that bundlers copy into the browser build.
const PUBLIC_PREFIXES: [&str; 5] = [
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
];
/// Prefixes only single-page apps use (Next.js renders on the server and may need a secret).
const BROWSER_APP_PREFIXES: [&str; 4] = ["VITE_", "REACT_APP_", "EXPO_PUBLIC_", "PUBLIC_"];
/// Host suffixes of Clerk's development (and staging) Frontend APIs.
const DEV_HOST_SUFFIXES: [&str; 3] = [".accounts.dev", ".lcl.dev", ".lclclerk.com"];

/// `pk_live_…abcd`: the prefix and the last four characters, nothing between.
pub fn mask_key(key: &str) -> String {
    let prefix_len = [
        "pk_test_", "pk_live_", "sk_test_", "sk_live_", "test_", "live_", "clerk.",
    ]
    .iter()
    .find(|p| key.starts_with(*p))
    .map_or(0, |p| p.len());
    let tail: String = key
        .chars()
        .rev()
        .take(4.min(key.chars().count().saturating_sub(prefix_len)))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}…{tail}", &key[..prefix_len])
}

/// The Frontend API host a publishable key names (`pk_live_` + base64 of `<host>$`), and
/// whether that host is a development or a production one. `None` when it is not one.
pub fn publishable_key_host(key: &str) -> Option<(String, Instance)> {
    let body = key
        .trim()
        .strip_prefix("pk_live_")
        .or_else(|| key.trim().strip_prefix("pk_test_"))?;
    let host = decode_publishable(body).ok()?;
    let instance = host_instance(&host);
    Some((host, instance))
}

/// Whether a Frontend API host is a development instance's (`*.accounts.dev`, legacy
/// `*.lcl.dev`) or a production one's (`clerk.<domain>`).
pub fn host_instance(host: &str) -> Instance {
    if DEV_HOST_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        Instance::Development
    } else {
        Instance::Production
    }
}

/// Reads `<host>$` out of a publishable key's body (padding optional).
fn decode_publishable(body: &str) -> Result<String, Malformed> {
    let trimmed = body.trim_end_matches('=');
    let decode = |text: &str| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
    };
    let bytes = match decode(trimmed) {
        Ok(bytes) => bytes,
        Err(_) => {
            // A key cut mid-character fails to decode; its whole groups still read as the
            // start of a host, which tells "cut short" from "not a key at all".
            let whole = trimmed.get(..trimmed.len() / 4 * 4).unwrap_or("");
            let start_of_host = !whole.is_empty()
                && decode(whole).is_ok_and(|b| {
                    b.iter()
                        .all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-')
                });
            return Err(if start_of_host {
                Malformed::NoDollar
            } else {
                Malformed::BadBase64
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| Malformed::BadBase64)?;
    let host = text.strip_suffix('$').ok_or(Malformed::NoDollar)?;
    let valid = !body.is_empty()
        && host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if valid {
        Ok(host.to_string())
    } else {
        Err(Malformed::NoDollar)
    }
}

/// The variable a value on this line belongs to: the last name before the nearest `=` or `:`.
/// A name that is itself a key (a rotation map `{"sk_live_…": "sk_test_…"}`, YAML `k1: k2`)
/// is no variable: the search goes on before it.
///
/// `known` holds the variable of each key already found on the line, by where the key starts:
/// a name that is such a key has that key's variable, so a rotation map of many keys on one
/// line is read in one pass, not by walking back over every earlier key for each one.
fn variable_before(line: &str, at: usize, known: &HashMap<usize, String>) -> String {
    let mut before = &line[..at];
    // Names that are secrets but no key found here (a digest before a `:`) are walked over;
    // past a few, the value has no variable.
    for _ in 0..16 {
        let Some(separator) = before.rfind(['=', ':']) else {
            return String::new();
        };
        let head = before[..separator].trim_end().trim_end_matches(['"', '\'']);
        let start = head
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            .last()
            .map_or(head.len(), |(i, _)| i);
        let name = &head[start..];
        let is_key = ["pk_test_", "pk_live_", "sk_test_", "sk_live_"]
            .iter()
            .any(|p| name.starts_with(p))
            || crate::core::redact::has_secret(name);
        if !is_key {
            return name.to_string();
        }
        if let Some(variable) = known.get(&start) {
            return variable.clone();
        }
        before = &head[..start];
    }
    String::new()
}

/// Finds every Clerk key in one file's text, by shape, whatever the syntax around it
/// (dotenv with `export` and quotes, YAML, JSON, a compose file).
fn keys_in(service: &str, text: &str) -> Vec<FoundKey> {
    let mut found = Vec::new();
    for (index, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let mut search_from = 0;
        let mut known = HashMap::new();
        while let Some(token) = next_token(line, search_from) {
            search_from = token.end;
            let value = &line[token.start..token.end];
            // Shown in the terminal, the page and the runbook: its control characters too.
            let variable = visible(&variable_before(line, token.start, &known)).into_owned();
            if let Some(key) = classify(service, index + 1, &variable, value) {
                known.insert(token.start, variable);
                found.push(key);
            }
        }
    }
    found
}

struct Token {
    start: usize,
    end: usize,
}

/// The next key-shaped run of characters at or after `from`.
fn next_token(line: &str, from: usize) -> Option<Token> {
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let rest = &line[i..];
        let at_word_start =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if at_word_start {
            let prefix = [
                "pk_test_", "pk_live_", "sk_test_", "sk_live_", "test_", "live_", "clerk.",
            ]
            .into_iter()
            .find(|p| rest.starts_with(p));
            if let Some(prefix) = prefix {
                // A key runs to the end of its value, stray characters included, so that a
                // damaged key is reported as damaged rather than silently shortened.
                let allowed = |b: u8| {
                    if prefix == "clerk." {
                        b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
                    } else {
                        !b.is_ascii_whitespace() && !b"\"'`,;}]#".contains(&b)
                    }
                };
                let end = i
                    + prefix.len()
                    + bytes[i + prefix.len()..]
                        .iter()
                        .take_while(|&&b| allowed(b))
                        .count();
                return Some(Token { start: i, end });
            }
        }
        i += line[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn classify(service: &str, line: usize, variable: &str, value: &str) -> Option<FoundKey> {
    let clerk_variable = variable.to_ascii_uppercase().contains("CLERK");
    let (kind, instance, body) = if let Some(body) = value.strip_prefix("pk_test_") {
        (KeyKind::Publishable, Instance::Development, body)
    } else if let Some(body) = value.strip_prefix("pk_live_") {
        (KeyKind::Publishable, Instance::Production, body)
    } else if let Some(body) = value.strip_prefix("sk_test_") {
        (KeyKind::Secret, Instance::Development, body)
    } else if let Some(body) = value.strip_prefix("sk_live_") {
        (KeyKind::Secret, Instance::Production, body)
    } else if clerk_variable && value.len() >= 25 {
        // Legacy forms count only under a Clerk variable: `test_` alone is too common a word.
        if let Some(body) = value.strip_prefix("test_") {
            (KeyKind::LegacyApiKey, Instance::Development, body)
        } else if let Some(body) = value.strip_prefix("live_") {
            (KeyKind::LegacyApiKey, Instance::Production, body)
        } else {
            return None;
        }
    } else if clerk_variable && value.starts_with("clerk.") && value.contains('.') {
        (KeyKind::LegacyFrontendApi, host_instance(value), value)
    } else {
        return None;
    };
    let mut host = None;
    let mut malformed = None;
    match kind {
        KeyKind::Publishable => match decode_publishable(body) {
            Ok(decoded) => {
                if host_instance(&decoded) != instance {
                    malformed = Some(Malformed::PrefixHostMismatch);
                }
                host = Some(decoded);
            }
            Err(problem) => malformed = Some(problem),
        },
        KeyKind::Secret | KeyKind::LegacyApiKey => {
            if body.len() < 20 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
                malformed = Some(Malformed::Truncated);
            }
        }
        KeyKind::LegacyFrontendApi => host = Some(value.to_string()),
    }
    Some(FoundKey {
        service: service.to_string(),
        line,
        variable: if variable.is_empty() {
            "(no name)".into()
        } else {
            redact(variable).into_owned()
        },
        kind,
        instance,
        masked: if kind == KeyKind::LegacyFrontendApi {
            value.to_string()
        } else {
            mask_key(value)
        },
        host,
        malformed,
    })
}

/// Checks the keys of every service.
pub fn check_keys(files: &[KeyFile]) -> KeyReport {
    let mut report = KeyReport::default();
    let mut finding = |code: KeyCode,
                       keys: Vec<usize>,
                       service: &str,
                       en: String,
                       es: String,
                       fix_en: String,
                       fix_es: String| {
        report.findings.push(KeyFinding {
            code,
            service: service.to_string(),
            keys,
            message: [shown(en), shown(es)],
            fix: [shown(fix_en), shown(fix_es)],
        });
    };
    let mut keys = Vec::new();
    for file in files {
        let service = &file.service;
        let text = match decode::decode(&file.bytes) {
            Ok(decoded) => decoded.text.into_owned(),
            Err(_) => {
                finding(
                    KeyCode::Unreadable,
                    Vec::new(),
                    service,
                    format!("{service} is not a text file."),
                    format!("{service} no es un archivo de texto."),
                    "Give the service's .env, YAML or JSON configuration.".into(),
                    "Indica el .env, YAML o JSON de configuración del servicio.".into(),
                );
                continue;
            }
        };
        let found = keys_in(service, &text);
        if found.is_empty() {
            finding(
                KeyCode::NoKeyFound,
                Vec::new(),
                service,
                format!("No Clerk key in {service}."),
                format!("No hay ninguna clave de Clerk en {service}."),
                "If this service talks to Clerk, its keys live elsewhere (a secret manager, the host's settings): check them there.".into(),
                "Si este servicio usa Clerk, sus claves están en otro sitio (un gestor de secretos, la configuración del host): revísalas allí.".into(),
            );
        }
        keys.extend(found);
    }

    for (index, key) in keys.iter().enumerate() {
        let (service, variable, masked) = (&key.service, &key.variable, &key.masked);
        let place = |lang: Lang| {
            lang.pick(
                format!("{service}, line {}, {variable}", key.line),
                format!("{service}, línea {}, {variable}", key.line),
            )
        };
        if let Some(problem) = key.malformed {
            let (en, es) = match problem {
                Malformed::BadBase64 => (
                    "is not valid: the part after the prefix is not base64",
                    "no es válida: lo que sigue al prefijo no es base64",
                ),
                Malformed::NoDollar => (
                    "is not valid: it does not decode to a Frontend API host (cut short?)",
                    "no es válida: no se decodifica como un host de Frontend API (¿cortada?)",
                ),
                Malformed::Truncated => (
                    "is too short or has stray characters (cut short?)",
                    "es demasiado corta o tiene caracteres de más (¿cortada?)",
                ),
                Malformed::PrefixHostMismatch => (
                    "names a host of the other instance than its prefix says",
                    "nombra un host de la otra instancia que la que dice su prefijo",
                ),
            };
            finding(
                KeyCode::MalformedKey,
                vec![index],
                service,
                format!("{masked} ({}) {en}.", place(Lang::En)),
                format!("{masked} ({}) {es}.", place(Lang::Es)),
                "Copy the key again from the production instance's Dashboard (API keys), whole.".into(),
                "Copia de nuevo la clave entera desde el Dashboard de la instancia de producción (API keys).".into(),
            );
        }
        if key.instance == Instance::Development && key.kind != KeyKind::LegacyFrontendApi {
            let (live_en, live_es) = match key.kind {
                KeyKind::Secret | KeyKind::LegacyApiKey => ("sk_live_", "sk_live_"),
                _ => ("pk_live_", "pk_live_"),
            };
            finding(
                KeyCode::TestKeyLeft,
                vec![index],
                service,
                format!("{masked} ({}) is a development key.", place(Lang::En)),
                format!("{masked} ({}) es una clave de desarrollo.", place(Lang::Es)),
                format!("Replace it with the production instance's {live_en} key."),
                format!("Sustitúyela por la clave {live_es} de la instancia de producción."),
            );
        }
        let public = PUBLIC_PREFIXES.iter().any(|p| variable.starts_with(p));
        if public && matches!(key.kind, KeyKind::Secret | KeyKind::LegacyApiKey) {
            finding(
                KeyCode::SecretInPublicVariable,
                vec![index],
                service,
                format!("{variable} holds a secret key ({masked}); variables named like this are copied into the code sent to browsers."),
                format!("{variable} contiene una clave secreta ({masked}); las variables con ese nombre se copian en el código que se envía a los navegadores."),
                format!("Rename it without the public prefix (e.g. CLERK_SECRET_KEY), use it only on the server, and roll the key in the Dashboard: {masked} may already be public."),
                format!("Renómbrala sin el prefijo público (p. ej. CLERK_SECRET_KEY), úsala solo en el servidor y rota la clave en el Dashboard: {masked} puede ser ya pública."),
            );
        }
        if key.kind == KeyKind::LegacyApiKey || key.kind == KeyKind::LegacyFrontendApi {
            finding(
                KeyCode::LegacyKey,
                vec![index],
                service,
                format!("{variable} ({}) uses a legacy form ({masked}).", place(Lang::En)),
                format!("{variable} ({}) usa una forma antigua ({masked}).", place(Lang::Es)),
                "Use CLERK_PUBLISHABLE_KEY (pk_live_…) and CLERK_SECRET_KEY (sk_live_…) with a current Clerk SDK.".into(),
                "Usa CLERK_PUBLISHABLE_KEY (pk_live_…) y CLERK_SECRET_KEY (sk_live_…) con un SDK de Clerk actual.".into(),
            );
        }
    }

    // Per service: a pair that mixes instances, and a secret in a browser-only app.
    let mut by_service: BTreeMap<&str, Vec<(usize, &FoundKey)>> = BTreeMap::new();
    for (index, key) in keys.iter().enumerate() {
        by_service
            .entry(&key.service)
            .or_default()
            .push((index, key));
    }
    for file in files {
        let Some(service_keys) = by_service.get(file.service.as_str()) else {
            continue;
        };
        let service = &file.service;
        let instances = |kinds: &[KeyKind]| -> Vec<Instance> {
            let mut found: Vec<Instance> = service_keys
                .iter()
                .filter(|(_, k)| kinds.contains(&k.kind))
                .map(|(_, k)| k.instance)
                .collect();
            found.sort();
            found.dedup();
            found
        };
        let publishable = instances(&[KeyKind::Publishable, KeyKind::LegacyFrontendApi]);
        let secret = instances(&[KeyKind::Secret, KeyKind::LegacyApiKey]);
        let all: Vec<Instance> = {
            let mut all = [publishable.clone(), secret.clone()].concat();
            all.sort();
            all.dedup();
            all
        };
        if !publishable.is_empty() && !secret.is_empty() && all.len() > 1 {
            finding(
                KeyCode::MixedPair,
                service_keys.iter().map(|(index, _)| *index).collect(),
                service,
                format!("{service} mixes development and production keys: its publishable and secret keys belong to different instances."),
                format!("{service} mezcla claves de desarrollo y de producción: sus claves publicable y secreta son de instancias distintas."),
                "Use the pk_live_ and sk_live_ keys of the same production instance.".into(),
                "Usa las claves pk_live_ y sk_live_ de la misma instancia de producción.".into(),
            );
        }
        let browser_app = service_keys.iter().any(|(_, k)| {
            BROWSER_APP_PREFIXES
                .iter()
                .any(|p| k.variable.starts_with(p))
        });
        if browser_app {
            for (index, key) in service_keys.iter().filter(|(_, k)| {
                k.kind == KeyKind::Secret
                    && !PUBLIC_PREFIXES.iter().any(|p| k.variable.starts_with(p))
            }) {
                finding(
                    KeyCode::SecretInBrowserApp,
                    vec![*index],
                    service,
                    format!("{service} is built for the browser yet holds a secret key ({}, {}).", key.variable, key.masked),
                    format!("{service} se compila para el navegador y aun así tiene una clave secreta ({}, {}).", key.variable, key.masked),
                    "A browser app needs only the publishable key: remove the secret key from its configuration.".into(),
                    "Una app de navegador solo necesita la clave publicable: quita la clave secreta de su configuración.".into(),
                );
            }
        }
    }

    // Across services: every live publishable key must name the same production host.
    let mut hosts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut live_publishable = Vec::new();
    for (index, key) in keys.iter().enumerate().filter(|(_, k)| {
        k.kind == KeyKind::Publishable
            && k.instance == Instance::Production
            && k.malformed.is_none()
    }) {
        if let Some(host) = &key.host {
            live_publishable.push(index);
            let services = hosts.entry(host).or_default();
            if !services.contains(&key.service.as_str()) {
                services.push(&key.service);
            }
        }
    }
    if hosts.len() > 1 {
        let list = hosts
            .iter()
            .map(|(host, services)| format!("{host} ({})", services.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        finding(
            KeyCode::HostsDiffer,
            live_publishable,
            "*",
            format!("The services' publishable keys point to different production instances: {list}."),
            format!("Las claves publicables de los servicios apuntan a instancias de producción distintas: {list}."),
            "Use the keys of the one production instance the users were imported into, in every service.".into(),
            "Usa en todos los servicios las claves de la única instancia de producción a la que se importaron los usuarios.".into(),
        );
    }

    report.services = files.iter().map(|f| f.service.clone()).collect();
    report.keys = keys;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_prefix_and_the_last_four() {
        assert_eq!(
            mask_key("sk_live_abcdefghijklmnopqrstuvwxyz1234"),
            "sk_live_…1234"
        );
        assert_eq!(
            mask_key("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"),
            "pk_test_…b20k"
        );
        assert_eq!(mask_key("sk_live_ab"), "sk_live_…ab");
    }

    #[test]
    fn publishable_keys_decode_with_or_without_padding() {
        // "clerk.example.com$" is 18 bytes: its base64 carries no padding; a 17-byte host has.
        assert_eq!(
            decode_publishable("Y2xlcmsuZXhhbXBsZS5jb20k").unwrap(),
            "clerk.example.com"
        );
        assert_eq!(
            decode_publishable("Y2xlcmsuZXhhbXBsZS5pbyQ=").unwrap(),
            "clerk.example.io"
        );
        assert_eq!(
            decode_publishable("Y2xlcmsuZXhhbXBsZS5pbyQ").unwrap(),
            "clerk.example.io"
        );
        assert_eq!(
            decode_publishable("Y2xlcmsuZXhhbXBsZS5jb20"),
            Err(Malformed::NoDollar)
        );
        assert_eq!(decode_publishable("!!!"), Err(Malformed::BadBase64));
    }

    #[test]
    fn damaged_keys_never_panic_and_are_told_apart() {
        assert_eq!(
            decode_publishable("Y2xlcmsuZXhhbXBsZS1zaG9wLm"),
            Err(Malformed::NoDollar)
        );
        assert_eq!(
            decode_publishable("%%%notbase64"),
            Err(Malformed::BadBase64)
        );
        assert_eq!(
            decode_publishable("Y2xlcmsuZé"),
            Err(Malformed::NoDollar),
            "a valid start, then damage"
        );
        assert_eq!(decode_publishable(""), Err(Malformed::NoDollar));
        let found = keys_in("x", "K=pk_live_Y2xlé,KEY2=sk_live_ü\n");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn the_checklist_marks_each_service() {
        let live = "CLERK_SECRET_KEY=sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7\n";
        let test = "CLERK_SECRET_KEY=sk_test_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7\n";
        let report = check_keys(&[
            KeyFile {
                service: "chat".into(),
                bytes: live.into(),
            },
            KeyFile {
                service: "gateway".into(),
                bytes: test.into(),
            },
            KeyFile {
                service: "worker".into(),
                bytes: b"PORT=1\n".to_vec(),
            },
        ]);
        let list = report.checklist();
        let ready: Vec<(&str, bool)> = list.iter().map(|c| (c.service.as_str(), c.ready)).collect();
        assert_eq!(
            ready,
            [("chat", true), ("gateway", false), ("worker", false)]
        );
        assert_eq!(list[0].variables, ["CLERK_SECRET_KEY"]);
    }

    #[test]
    fn variables_are_named_in_every_syntax() {
        assert_eq!(
            variable_before("export CLERK_SECRET_KEY=\"sk", 24, &HashMap::new()),
            "CLERK_SECRET_KEY"
        );
        assert_eq!(
            variable_before("  clerkSecretKey: sk", 18, &HashMap::new()),
            "clerkSecretKey"
        );
        assert_eq!(
            variable_before("  \"CLERK_SECRET_KEY\": \"sk", 23, &HashMap::new()),
            "CLERK_SECRET_KEY"
        );
        assert_eq!(
            variable_before("- CLERK_SECRET_KEY=sk", 19, &HashMap::new()),
            "CLERK_SECRET_KEY"
        );
        assert_eq!(variable_before("sk", 0, &HashMap::new()), "");
    }
}
