//! The production session token's custom claim that carries the dev user id.

/// Claim names Clerk sets itself; a custom claim may not use them.
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

/// The value every service reads: the dev id for migrated users, the Clerk id for new ones.
pub const CLAIM_TEMPLATE: &str = "{{user.external_id || user.id}}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadClaimName {
    Reserved(String),
    /// Not an identifier a service can read as `sessionClaims.<name>`.
    NotAnIdentifier(String),
}

impl BadClaimName {
    pub fn message(&self, lang: crate::core::lang::Lang) -> String {
        match self {
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

pub fn check_claim_name(name: &str) -> Result<(), BadClaimName> {
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
        assert!(matches!(
            check_claim_name(""),
            Err(BadClaimName::NotAnIdentifier(_))
        ));
    }

    #[test]
    fn the_snippet_is_the_documented_one() {
        assert_eq!(
            session_claims_json("userId"),
            "{\n  \"userId\": \"{{user.external_id || user.id}}\"\n}\n"
        );
    }
}
