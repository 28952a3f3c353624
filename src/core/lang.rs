//! The two languages everything a user reads is written in.

/// A language the page, the messages and the runbook speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// Reads a BCP 47 tag such as `es-AR` or `en`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Picks this language's text from an English/Spanish pair.
    pub fn pick<T>(self, en: T, es: T) -> T {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}

/// The form a count takes: `one` for exactly 1, `other` for every other number (0 included).
/// This is the CLDR plural rule of both English and Spanish for whole numbers; a sentence
/// whose verb agrees with its count picks the whole sentence this way, not only the noun.
pub fn plural<T>(n: usize, one: T, other: T) -> T {
    if n == 1 {
        one
    } else {
        other
    }
}

/// Groups thousands the way each language writes them: 1,234,567 and 1.234.567.
pub fn group_digits(lang: Lang, n: usize) -> String {
    let sep = lang.pick(',', '.');
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_language_tags() {
        assert_eq!(Lang::from_tag("es-AR"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }

    #[test]
    fn only_exactly_one_is_singular() {
        assert_eq!(plural(0, "user", "users"), "users");
        assert_eq!(plural(1, "user", "users"), "user");
        assert_eq!(plural(2, "user", "users"), "users");
        assert_eq!(plural(1001, "user", "users"), "users");
    }

    #[test]
    fn groups_thousands_per_language() {
        assert_eq!(group_digits(Lang::En, 1234567), "1,234,567");
        assert_eq!(group_digits(Lang::Es, 1234), "1.234");
        assert_eq!(group_digits(Lang::En, 999), "999");
        assert_eq!(group_digits(Lang::En, 0), "0");
    }
}
