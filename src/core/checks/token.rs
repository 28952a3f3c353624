//! The session token check: a token copied after signing in to production proves, or
//! disproves, that services receive the dev id under the chosen claim.
//!
//! The token is verified here, against the instance's public keys (its JWKS), with no
//! request: RS256 only, the key chosen by the header's `kid`. Nothing in the result holds
//! the token or any piece of it but [`mask_token`]'s few characters.

use std::collections::HashSet;

use base64::Engine as _;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::core::claims::{check_claim_name, BadClaimName, CLAIM_TEMPLATE};
use crate::core::keys::{host_instance, Instance};
use crate::core::lang::Lang;

/// What the check was given. `now` is Unix seconds (the engine has no clock).
#[derive(Debug, Clone)]
pub struct TokenInput<'a> {
    pub token: &'a str,
    pub jwks: &'a [u8],
    pub claim_name: &'a str,
    /// The production Frontend API host, from a live publishable key, when known.
    pub frontend_api: Option<&'a str>,
    /// The dev user ids, from the export or `users.json`, when given.
    pub dev_ids: Option<&'a HashSet<String>>,
    pub now: Option<u64>,
}

/// Why the check could not start: the input is not what it must be (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenInputError {
    Empty,
    NotAJwt,
    Jwks(String),
    ClaimName(BadClaimName),
}

impl TokenInputError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TokenInputError::Empty => lang.pick(
                "No session token was given. Sign in to production as a migrated user, then copy the __session cookie (browser tools → Application → Cookies) or the value of await getToken().",
                "No se indicó ningún token de sesión. Inicia sesión en producción como un usuario migrado y copia la cookie __session (herramientas del navegador → Aplicación → Cookies) o el valor de await getToken().",
            ).to_string(),
            TokenInputError::NotAJwt => lang.pick(
                "This is not a session token: a session token is three base64url parts joined by dots, a JSON header and payload and a signature. Copy the whole __session cookie value, or the string await getToken() returns.",
                "Esto no es un token de sesión: un token de sesión son tres partes base64url unidas por puntos, una cabecera y un contenido JSON y una firma. Copia el valor completo de la cookie __session, o la cadena que devuelve await getToken().",
            ).to_string(),
            TokenInputError::Jwks(detail) => lang.pick(
                format!("The public keys file is not a JWKS ({detail}). Save https://<Frontend API host>/.well-known/jwks.json from a browser tab (the JSON with a \"keys\" list), not the PEM public key."),
                format!("El archivo de claves públicas no es un JWKS ({detail}). Guarda https://<host de la Frontend API>/.well-known/jwks.json desde una pestaña del navegador (el JSON con una lista \"keys\"), no la clave pública PEM."),
            ),
            TokenInputError::ClaimName(bad) => bad.message(lang),
        }
    }
}

/// One thing the check found. Failures carry the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenCode {
    AlgNotRs256,
    UnknownKid,
    BadSignature,
    DevIssuer,
    OtherIssuer,
    ClaimMissing,
    ClaimNotRendered,
    ClaimNotString,
    ClaimNotDevId,
    /// Passes: the claim holds a dev id and differs from `sub`.
    MigratedUser,
    /// Passes: the claim equals `sub` (a user created in production).
    NewUser,
    /// Passes without the export to compare with.
    ClaimDiffersUnconfirmed,
    Expired,
    NotYetValid,
    AuthorizedParty,
    SignatureValid,
}

impl TokenCode {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenCode::AlgNotRs256 => "alg_not_rs256",
            TokenCode::UnknownKid => "unknown_kid",
            TokenCode::BadSignature => "bad_signature",
            TokenCode::DevIssuer => "dev_issuer",
            TokenCode::OtherIssuer => "other_issuer",
            TokenCode::ClaimMissing => "claim_missing",
            TokenCode::ClaimNotRendered => "claim_not_rendered",
            TokenCode::ClaimNotString => "claim_not_string",
            TokenCode::ClaimNotDevId => "claim_not_dev_id",
            TokenCode::MigratedUser => "migrated_user",
            TokenCode::NewUser => "new_user",
            TokenCode::ClaimDiffersUnconfirmed => "claim_differs_unconfirmed",
            TokenCode::Expired => "expired",
            TokenCode::NotYetValid => "not_yet_valid",
            TokenCode::AuthorizedParty => "authorized_party",
            TokenCode::SignatureValid => "signature_valid",
        }
    }

    /// A failure means the services would not receive the dev id (or the token proves nothing).
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            TokenCode::AlgNotRs256
                | TokenCode::UnknownKid
                | TokenCode::BadSignature
                | TokenCode::DevIssuer
                | TokenCode::OtherIssuer
                | TokenCode::ClaimMissing
                | TokenCode::ClaimNotRendered
                | TokenCode::ClaimNotString
                | TokenCode::ClaimNotDevId
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFinding {
    pub code: TokenCode,
    pub message: [String; 2],
    /// What to do, for failures.
    pub fix: Option<[String; 2]>,
}

impl TokenFinding {
    pub fn message(&self, lang: Lang) -> &str {
        &self.message[lang as usize]
    }

    pub fn fix(&self, lang: Lang) -> Option<&str> {
        self.fix.as_ref().map(|f| f[lang as usize].as_str())
    }
}

/// The check's result. It holds no part of the token but its mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenReport {
    /// `eyJ…(812 characters)…Qx_w`.
    pub masked: String,
    pub claim_name: String,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub claim_value: Option<String>,
    pub findings: Vec<TokenFinding>,
}

impl TokenReport {
    /// Signature, issuer and claim all hold: the services can rely on the claim.
    pub fn proven(&self) -> bool {
        !self.findings.iter().any(|f| f.code.is_failure())
    }

    pub fn has(&self, code: TokenCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// The first three and last four characters and the length: enough to tell two tokens
/// apart, far too little to use (every JWT starts `eyJ`).
pub fn mask_token(token: &str) -> String {
    let token = token.trim();
    let count = token.chars().count();
    if count < 16 {
        return format!("…({count})");
    }
    let head: String = token.chars().take(3).collect();
    let tail: String = token.chars().skip(count - 4).collect();
    format!("{head}…({count})…{tail}")
}

/// The address the JWKS is saved from.
pub fn jwks_url(frontend_api: &str) -> String {
    format!("https://{frontend_api}/.well-known/jwks.json")
}

struct Parts<'t> {
    header: Map<String, Value>,
    payload: Map<String, Value>,
    signing_input: &'t str,
    signature: Vec<u8>,
}

fn b64url(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
}

fn json_object(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Reads a token, tolerating what copying adds: whitespace, `Bearer `, `__session=`, a `;`.
fn parse(token: &str) -> Result<Parts<'_>, TokenInputError> {
    let mut token = token.trim();
    for prefix in ["Bearer ", "bearer ", "__session="] {
        token = token.strip_prefix(prefix).unwrap_or(token).trim();
    }
    let token = token.trim_end_matches(';').trim_matches('"');
    if token.is_empty() {
        return Err(TokenInputError::Empty);
    }
    let mut pieces = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (pieces.next(), pieces.next(), pieces.next(), pieces.next())
    else {
        return Err(TokenInputError::NotAJwt);
    };
    let header = b64url(h)
        .and_then(|b| json_object(&b))
        .ok_or(TokenInputError::NotAJwt)?;
    let payload = b64url(p)
        .and_then(|b| json_object(&b))
        .ok_or(TokenInputError::NotAJwt)?;
    // A signature cut short when copied no longer decodes: it is then a bad signature,
    // which says "copied short", not "not a token".
    let signature = b64url(s).unwrap_or_default();
    Ok(Parts {
        header,
        payload,
        signing_input: &token[..h.len() + 1 + p.len()],
        signature,
    })
}

/// One RSA key of a JWKS.
struct Jwk {
    kid: Option<String>,
    key: Option<RsaPublicKey>,
}

fn read_jwks(bytes: &[u8]) -> Result<Vec<Jwk>, TokenInputError> {
    let bad = |detail: &str| TokenInputError::Jwks(detail.to_string());
    let value: Value = serde_json::from_slice(bytes).map_err(|e| bad(&format!("{e}")))?;
    let keys = match &value {
        Value::Object(map) if map.contains_key("keys") => map["keys"]
            .as_array()
            .ok_or_else(|| bad("\"keys\" is not a list"))?
            .clone(),
        Value::Object(map) if map.contains_key("kty") => vec![value.clone()],
        _ => return Err(bad("no \"keys\" list")),
    };
    let keys: Vec<Jwk> = keys
        .iter()
        .filter_map(Value::as_object)
        .map(|key| {
            let number = |name: &str| {
                key.get(name)
                    .and_then(Value::as_str)
                    .and_then(b64url)
                    .map(|b| BigUint::from_bytes_be(&b))
            };
            let rsa = key.get("kty").and_then(Value::as_str) == Some("RSA");
            Jwk {
                kid: key.get("kid").and_then(Value::as_str).map(str::to_string),
                key: match (rsa, number("n"), number("e")) {
                    (true, Some(n), Some(e)) => RsaPublicKey::new(n, e).ok(),
                    _ => None,
                },
            }
        })
        .collect();
    if keys.is_empty() {
        return Err(bad("the \"keys\" list is empty"));
    }
    Ok(keys)
}

fn finding(code: TokenCode, message: [String; 2], fix: Option<[String; 2]>) -> TokenFinding {
    TokenFinding { code, message, fix }
}

fn pair(en: impl Into<String>, es: impl Into<String>) -> [String; 2] {
    [en.into(), es.into()]
}

/// The fix shared by every way the claim can be absent or wrong in the template.
fn template_fix(name: &str) -> [String; 2] {
    pair(
        format!("In the Clerk Dashboard of the production instance (the instance switcher at the top says Production), open Sessions → Customize session token, paste {{\"{name}\": \"{CLAIM_TEMPLATE}\"}} exactly (the name spelled as your services read it, not a reserved name such as sub), and press Save. Then sign out and in again and copy a new token."),
        format!("En el Dashboard de Clerk de la instancia de producción (el selector de instancia arriba dice Production), abre Sessions → Customize session token, pega {{\"{name}\": \"{CLAIM_TEMPLATE}\"}} tal cual (el nombre escrito como lo leen tus servicios, no un nombre reservado como sub) y pulsa Save. Después cierra sesión, vuelve a entrar y copia un token nuevo."),
    )
}

/// Checks a production session token. `Err` when the input cannot be checked at all.
pub fn check_token(input: &TokenInput) -> Result<TokenReport, TokenInputError> {
    check_claim_name(input.claim_name).map_err(TokenInputError::ClaimName)?;
    let parts = parse(input.token)?;
    let keys = read_jwks(input.jwks)?;
    let name = input.claim_name;
    let mut report = TokenReport {
        masked: mask_token(input.token),
        claim_name: name.to_string(),
        issuer: None,
        subject: None,
        claim_value: None,
        findings: Vec::new(),
    };

    // The signature first: until it holds, the payload is anyone's writing.
    let alg = parts
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("");
    if alg != "RS256" {
        let shown = if alg.is_empty() { "(none given)" } else { alg };
        report.findings.push(finding(
            TokenCode::AlgNotRs256,
            pair(
                format!("The token's header says alg {shown}, not RS256: Clerk signs session tokens with RS256 only, so this token was not made by Clerk or was altered (alg none means no signature at all). Nothing in it can be trusted."),
                format!("La cabecera del token dice alg {shown}, no RS256: Clerk firma los tokens de sesión solo con RS256, así que este token no lo hizo Clerk o fue alterado (alg none significa sin firma). Nada en él es fiable."),
            ),
            Some(pair(
                "Copy the token again straight from the __session cookie or await getToken() in the production app; do not use a token from a JWT template or an editor.",
                "Copia el token de nuevo directamente de la cookie __session o de await getToken() en la app de producción; no uses un token de una plantilla JWT ni de un editor.",
            )),
        ));
        return Ok(report);
    }
    let kid = parts.header.get("kid").and_then(Value::as_str);
    let Some(key) = keys
        .iter()
        .find(|k| k.kid.as_deref() == kid && k.key.is_some() || kid.is_none() && keys.len() == 1)
        .and_then(|k| k.key.as_ref())
    else {
        let known: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
        report.findings.push(finding(
            TokenCode::UnknownKid,
            pair(
                format!("The token was signed with key {} , which the public keys file does not hold (it has {}): the keys and the token come from different instances.", kid.unwrap_or("(no kid)"), known.join(", ")),
                format!("El token se firmó con la clave {} , que el archivo de claves públicas no tiene (tiene {}): las claves y el token vienen de instancias distintas.", kid.unwrap_or("(sin kid)"), known.join(", ")),
            ),
            Some(pair(
                "Save the JWKS of the same instance the token came from: https://<production Frontend API host>/.well-known/jwks.json, the host being the one in the token's iss and in your pk_live_ key.",
                "Guarda el JWKS de la misma instancia de la que viene el token: https://<host de la Frontend API de producción>/.well-known/jwks.json, el host que dice el iss del token y tu clave pk_live_.",
            )),
        ));
        return Ok(report);
    };
    let digest = Sha256::digest(parts.signing_input.as_bytes());
    if key
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &parts.signature)
        .is_err()
    {
        report.findings.push(finding(
            TokenCode::BadSignature,
            pair(
                "The signature does not match: the token was changed after Clerk signed it, or cut short when it was copied. Nothing in it can be trusted.",
                "La firma no coincide: el token se cambió después de que Clerk lo firmara, o se cortó al copiarlo. Nada en él es fiable.",
            ),
            Some(pair(
                "Copy the whole token again (it is long: select all of the cookie's value) and check it once more.",
                "Copia el token completo otra vez (es largo: selecciona todo el valor de la cookie) y compruébalo de nuevo.",
            )),
        ));
        return Ok(report);
    }
    report.findings.push(finding(
        TokenCode::SignatureValid,
        pair(
            format!(
                "Signed with RS256 by key {}, which the public keys file holds.",
                kid.unwrap_or("(no kid)")
            ),
            format!(
                "Firmado con RS256 por la clave {}, que tiene el archivo de claves públicas.",
                kid.unwrap_or("(sin kid)")
            ),
        ),
        None,
    ));

    let claims = &parts.payload;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string);
    report.issuer = text("iss");
    report.subject = text("sub");
    check_issuer(&mut report, input.frontend_api);
    check_times(&mut report, claims, input.now);
    if let Some(azp) = text("azp") {
        report.findings.push(finding(
            TokenCode::AuthorizedParty,
            pair(
                format!("Made for the origin {azp} (azp): services that check authorized parties must list it."),
                format!("Hecho para el origen {azp} (azp): los servicios que comprueban authorized parties deben incluirlo."),
            ),
            None,
        ));
    }
    check_claim(&mut report, claims.get(name), input.dev_ids);
    Ok(report)
}

fn check_issuer(report: &mut TokenReport, frontend_api: Option<&str>) {
    let iss = report.issuer.clone().unwrap_or_default();
    let host = iss
        .strip_prefix("https://")
        .unwrap_or(&iss)
        .trim_end_matches('/');
    if !host.is_empty() && host_instance(host) == Instance::Development {
        report.findings.push(finding(
            TokenCode::DevIssuer,
            pair(
                format!("The token was issued by {iss}, a development instance: it proves nothing about production, where the import and the customisation must be."),
                format!("El token lo emitió {iss}, una instancia de desarrollo: no prueba nada sobre producción, donde deben estar la importación y la personalización."),
            ),
            Some(pair(
                "Sign in to the production app (the one using the pk_live_ key) as a migrated user and copy that token; save the production instance's JWKS too.",
                "Inicia sesión en la app de producción (la que usa la clave pk_live_) como un usuario migrado y copia ese token; guarda también el JWKS de la instancia de producción.",
            )),
        ));
        return;
    }
    let shown = if iss.is_empty() {
        "(no iss)"
    } else {
        iss.as_str()
    };
    if !iss.starts_with("https://") || host.is_empty() {
        report.findings.push(finding(
            TokenCode::OtherIssuer,
            pair(
                format!("The token's issuer is {shown}, not a Clerk Frontend API (https://clerk.<your domain>): it was not made by a Clerk instance's sign-in."),
                format!("El emisor del token es {shown}, no una Frontend API de Clerk (https://clerk.<tu dominio>): no lo hizo el inicio de sesión de una instancia de Clerk."),
            ),
            Some(pair(
                "Copy the __session cookie, or await getToken(), from the production app after signing in.",
                "Copia la cookie __session, o await getToken(), de la app de producción después de iniciar sesión.",
            )),
        ));
        return;
    }
    if let Some(expected) = frontend_api {
        if !host.eq_ignore_ascii_case(expected) {
            report.findings.push(finding(
                TokenCode::OtherIssuer,
                pair(
                    format!("The token was issued by {shown}, but the live publishable key names https://{expected}: the token comes from another production instance."),
                    format!("El token lo emitió {shown}, pero la clave publicable live indica https://{expected}: el token viene de otra instancia de producción."),
                ),
                Some(pair(
                    format!("Sign in to the app that uses this pk_live_ key and copy its token, or give the key of the instance the token came from. Its public keys: {}.", jwks_url(expected)),
                    format!("Inicia sesión en la app que usa esta clave pk_live_ y copia su token, o indica la clave de la instancia de la que viene el token. Sus claves públicas: {}.", jwks_url(expected)),
                )),
            ));
        }
    }
}

fn check_times(report: &mut TokenReport, claims: &Map<String, Value>, now: Option<u64>) {
    let Some(now) = now else { return };
    let seconds = |name: &str| claims.get(name).and_then(Value::as_u64);
    if let Some(exp) = seconds("exp").filter(|&exp| exp < now) {
        let ago = now - exp;
        report.findings.push(finding(
            TokenCode::Expired,
            pair(
                format!("The token expired {ago} s ago (session tokens live about a minute). Its signature still holds, so it still proves what the claim looks like; a service would refuse it now."),
                format!("El token caducó hace {ago} s (los tokens de sesión duran un minuto aproximadamente). Su firma sigue siendo válida, así que sigue probando cómo es el claim; un servicio lo rechazaría ahora."),
            ),
            None,
        ));
    }
    if seconds("nbf").is_some_and(|nbf| nbf > now + 5) {
        report.findings.push(finding(
            TokenCode::NotYetValid,
            pair(
                "The token is not valid yet (nbf is in the future): this computer's clock may be off.",
                "El token aún no es válido (nbf está en el futuro): puede que el reloj de este ordenador esté desajustado.",
            ),
            None,
        ));
    }
}

fn check_claim(report: &mut TokenReport, claim: Option<&Value>, dev_ids: Option<&HashSet<String>>) {
    let name = report.claim_name.clone();
    let sub = report.subject.clone().unwrap_or_default();
    let value = match claim {
        None => {
            report.findings.push(finding(
                TokenCode::ClaimMissing,
                pair(
                    format!("The token has no {name} claim: services reading sessionClaims.{name} get nothing, and those falling back to sub get the new production id. The customisation was not saved, was saved on the development instance, or names the claim differently."),
                    format!("El token no tiene el claim {name}: los servicios que leen sessionClaims.{name} no reciben nada, y los que recurren a sub reciben el id nuevo de producción. La personalización no se guardó, se guardó en la instancia de desarrollo, o nombra el claim de otra forma."),
                ),
                Some(template_fix(&name)),
            ));
            return;
        }
        Some(Value::String(value)) => value.clone(),
        Some(other) => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "true/false",
                Value::Number(_) => "number",
                Value::Array(_) => "list",
                _ => "object",
            };
            report.findings.push(finding(
                TokenCode::ClaimNotString,
                pair(
                    format!("The {name} claim is a {kind}, not a user id: the template has a typo (it must be the string \"{CLAIM_TEMPLATE}\", quotes included)."),
                    format!("El claim {name} es {kind}, no un id de usuario: la plantilla tiene una errata (debe ser la cadena \"{CLAIM_TEMPLATE}\", con comillas)."),
                ),
                Some(template_fix(&name)),
            ));
            return;
        }
    };
    report.claim_value = Some(value.clone());
    if value.is_empty() || value.contains("{{") || value.contains("user.") {
        report.findings.push(finding(
            TokenCode::ClaimNotRendered,
            pair(
                format!("The {name} claim is {value:?}, not a user id: Clerk did not fill the template in, so it has a typo (it must read {CLAIM_TEMPLATE})."),
                format!("El claim {name} es {value:?}, no un id de usuario: Clerk no rellenó la plantilla, así que tiene una errata (debe decir {CLAIM_TEMPLATE})."),
            ),
            Some(template_fix(&name)),
        ));
        return;
    }
    if value == sub {
        report.findings.push(finding(
            TokenCode::NewUser,
            pair(
                format!("{name} equals sub ({sub}): this is a user created in production (no external_id), and the claim falls back to the Clerk id as it should. To prove the dev id arrives, sign in as a user from the export instead."),
                format!("{name} es igual a sub ({sub}): es un usuario creado en producción (sin external_id), y el claim recurre al id de Clerk como debe. Para probar que llega el id de desarrollo, inicia sesión como un usuario de la exportación."),
            ),
            None,
        ));
        return;
    }
    match dev_ids {
        Some(ids) if ids.contains(&value) => report.findings.push(finding(
            TokenCode::MigratedUser,
            pair(
                format!("{name} is {value}, a dev user id from the export, and differs from sub ({sub}, the new production id): services reading sessionClaims.{name} receive the id your database knows."),
                format!("{name} es {value}, un id de usuario de desarrollo de la exportación, y difiere de sub ({sub}, el id nuevo de producción): los servicios que leen sessionClaims.{name} reciben el id que conoce tu base de datos."),
            ),
            None,
        )),
        Some(_) => report.findings.push(finding(
            TokenCode::ClaimNotDevId,
            pair(
                format!("{name} is {value}, which differs from sub but is no user id of the export: this user's external_id was set to something else, or the export is of another instance."),
                format!("{name} es {value}, que difiere de sub pero no es ningún id de usuario de la exportación: el external_id de este usuario se puso a otra cosa, o la exportación es de otra instancia."),
            ),
            Some(pair(
                "Give the development export the import was made from (or its users.json). If it is the right one, set this user's external_id to their dev id (link-existing.sh does that for users who already had a production account).",
                "Indica la exportación de desarrollo de la que se hizo la importación (o su users.json). Si es la correcta, pon el external_id de este usuario a su id de desarrollo (link-existing.sh lo hace para los usuarios que ya tenían cuenta en producción).",
            )),
        )),
        None => report.findings.push(finding(
            TokenCode::ClaimDiffersUnconfirmed,
            pair(
                format!("{name} is {value} and differs from sub ({sub}): the claim carries the external_id. Give the export to confirm it is a dev user id."),
                format!("{name} es {value} y difiere de sub ({sub}): el claim lleva el external_id. Indica la exportación para confirmar que es un id de usuario de desarrollo."),
            ),
            None,
        )),
    }
}

/// The dev user ids of a Dashboard export (CSV or JSON) or of a prepared `users.json`.
pub fn dev_ids(bytes: &[u8]) -> Option<HashSet<String>> {
    // users.json: the migration tool's names, the dev id under `userId`.
    if let Ok(Value::Array(users)) = serde_json::from_slice::<Value>(bytes) {
        let ids: HashSet<String> = users
            .iter()
            .filter_map(|u| u.get("userId").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        if !ids.is_empty() {
            return Some(ids);
        }
    }
    let ids: HashSet<String> = crate::core::reconcile::records(bytes)
        .ok()?
        .into_iter()
        .map(|r| r.id)
        .filter(|id| !id.is_empty())
        .collect();
    (!ids.is_empty()).then_some(ids)
}
