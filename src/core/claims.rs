//! The production session token's custom claim that carries the dev user id.

/// Claim names Clerk sets itself; a custom claim may not use them. These are the default
/// claims of Clerk's session tokens, version 2 (`azp` … `sts`, `o`, `act`) and version 1
/// (`org_*`), as Clerk's docs list them in `docs/guides/sessions/session-tokens.mdx`.
pub const RESERVED_CLAIMS: [&str; 19] = [
    "azp",
    "exp",
    "fva",
    "iat",
    "iss",
    "jti",
    "nbf",
    "sid",
    "sub",
    "v",
    "pla",
    "fea",
    "sts",
    "o",
    "act",
    "org_id",
    "org_permissions",
    "org_slug",
    "org_role",
];

pub const DEFAULT_CLAIM: &str = "userId";

/// The longest claim name accepted. Clerk keeps every custom claim of a session token within
/// 1.2 KB together; a name is one identifier a service types, so 64 characters is plenty.
pub const MAX_CLAIM_NAME: usize = 64;

/// Names every JavaScript object already has: `sessionClaims.constructor` is a function
/// even when the token has no such claim, and `__proto__` cannot be set as a plain key.
const OBJECT_KEYS: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// The value every service reads: the dev id for migrated users, the Clerk id for new ones.
pub const CLAIM_TEMPLATE: &str = "{{user.external_id || user.id}}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadClaimName {
    /// Nothing was typed.
    Empty,
    /// Longer than [`MAX_CLAIM_NAME`] characters (the count).
    TooLong(usize),
    Reserved(String),
    /// A name every JavaScript object has already (`__proto__`, `constructor`, `prototype`).
    ObjectKey(String),
    /// Not an identifier a service can read as `sessionClaims.<name>`.
    NotAnIdentifier(String),
}

impl BadClaimName {
    pub fn message(&self, lang: crate::core::lang::Lang) -> String {
        match self {
            BadClaimName::Empty => lang.pick(
                "The claim name is empty: the session token needs a name for the dev id, such as userId or devUserId.".into(),
                "El nombre del claim está vacío: el token de sesión necesita un nombre para el id de desarrollo, como userId o devUserId.".into(),
            ),
            BadClaimName::TooLong(count) => lang.pick(
                format!("The claim name has {count} characters; at most {MAX_CLAIM_NAME} are accepted (Clerk keeps all custom claims of a session token within 1.2 KB). Choose a shorter name, such as userId or devUserId."),
                format!("El nombre del claim tiene {count} caracteres; se aceptan {MAX_CLAIM_NAME} como mucho (Clerk limita todos los claims propios de un token de sesión a 1,2 KB). Elige uno más corto, como userId o devUserId."),
            ),
            BadClaimName::ObjectKey(name) => lang.pick(
                format!("The claim name {name} is a name every JavaScript object already has, so sessionClaims.{name} would not read the claim. Choose another name, such as userId or devUserId."),
                format!("El nombre de claim {name} es un nombre que ya tiene todo objeto de JavaScript, así que sessionClaims.{name} no leería el claim. Elige otro, como userId o devUserId."),
            ),
            BadClaimName::Reserved(name) => lang.pick(
                format!("The claim name {name} is reserved: Clerk sets it in every session token itself. Choose another name, such as userId or devUserId."),
                format!("El nombre de claim {name} está reservado: Clerk lo pone él mismo en cada token de sesión. Elige otro, como userId o devUserId."),
            ),
            BadClaimName::NotAnIdentifier(name) => lang.pick(
                format!("The claim name {name:?} must be letters, digits and _ (not starting with a digit), so services can read it as sessionClaims.{name}."),
                format!("El nombre de claim {name:?} debe tener letras, dígitos y _ (sin empezar por dígito), para que los servicios lo lean como sessionClaims.{name}."),
            ),
        }
    }
}

/// Whether `name` can carry the dev id: a JavaScript identifier of ASCII letters, digits and
/// `_` (so `sessionClaims.<name>` reads it in every language's JWT library), at most
/// [`MAX_CLAIM_NAME`] characters, none of Clerk's own claims, no name objects already have.
pub fn check_claim_name(name: &str) -> Result<(), BadClaimName> {
    if name.is_empty() {
        return Err(BadClaimName::Empty);
    }
    let count = name.chars().count();
    if count > MAX_CLAIM_NAME {
        return Err(BadClaimName::TooLong(count));
    }
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier {
        return Err(BadClaimName::NotAnIdentifier(name.to_string()));
    }
    if RESERVED_CLAIMS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
    {
        return Err(BadClaimName::Reserved(name.to_string()));
    }
    if OBJECT_KEYS.contains(&name) {
        return Err(BadClaimName::ObjectKey(name.to_string()));
    }
    Ok(())
}

/// `session-claims.json`: what to paste into Dashboard → Sessions → Customize session token.
pub fn session_claims_json(name: &str) -> String {
    let mut object = serde_json::Map::new();
    object.insert(name.to_string(), CLAIM_TEMPLATE.into());
    let mut text = serde_json::to_string_pretty(&object).expect("a map of strings serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_malformed_names_are_refused() {
        assert_eq!(check_claim_name("userId"), Ok(()));
        assert_eq!(check_claim_name("dev_user_id"), Ok(()));
        assert!(matches!(
            check_claim_name("sub"),
            Err(BadClaimName::Reserved(_))
        ));
        assert!(matches!(
            check_claim_name("ORG_ID"),
            Err(BadClaimName::Reserved(_))
        ));
        assert!(matches!(
            check_claim_name("user id"),
            Err(BadClaimName::NotAnIdentifier(_))
        ));
        assert!(matches!(
            check_claim_name("1st"),
            Err(BadClaimName::NotAnIdentifier(_))
        ));
        assert_eq!(check_claim_name(""), Err(BadClaimName::Empty));
        for name in ["__proto__", "constructor", "prototype"] {
            assert_eq!(
                check_claim_name(name),
                Err(BadClaimName::ObjectKey(name.into()))
            );
        }
        assert_eq!(check_claim_name(&"a".repeat(64)), Ok(()));
        assert_eq!(
            check_claim_name(&"a".repeat(2000)),
            Err(BadClaimName::TooLong(2000))
        );
        for reserved in RESERVED_CLAIMS {
            assert!(matches!(
                check_claim_name(reserved),
                Err(BadClaimName::Reserved(_))
            ));
        }
    }

    #[test]
    fn every_refusal_says_why_in_both_languages() {
        use crate::core::lang::Lang;
        for bad in ["", "sub", "__proto__", "a b", &"x".repeat(65)] {
            let err = check_claim_name(bad).unwrap_err();
            let (en, es) = (err.message(Lang::En), err.message(Lang::Es));
            assert!(!en.is_empty() && !es.is_empty() && en != es, "{bad:?}");
        }
        assert!(BadClaimName::TooLong(65)
            .message(Lang::En)
            .contains("65 characters"));
    }

    #[test]
    fn the_snippet_is_the_documented_one() {
        assert_eq!(
            session_claims_json("userId"),
            "{\n  \"userId\": \"{{user.external_id || user.id}}\"\n}\n"
        );
    }
}
