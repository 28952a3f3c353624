//! The page's words in English and Spanish. Every visible string comes from here, so a
//! missing translation is a compile error, not a blank.

pub use crate::core::lang::{group_digits, Lang};

/// Picks the first of the browser's preferred languages that the page speaks.
pub fn browser_lang() -> Lang {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Lang::En;
    };
    let languages = navigator.languages();
    let preferred = languages
        .iter()
        .filter_map(|v| v.as_string())
        .chain(navigator.language());
    for tag in preferred {
        if let Some(lang) = Lang::from_tag(&tag) {
            return lang;
        }
    }
    Lang::En
}

/// The page's words in a language.
pub fn text(lang: Lang) -> &'static UiText {
    lang.pick(&EN, &ES)
}

/// Every fixed string of the page, one field each.
pub struct UiText {
    pub title: &'static str,
    pub tagline: &'static str,
    pub language: &'static str,
    pub language_name: &'static str,
    pub drop_zone_label: &'static str,
    pub drop_here: &'static str,
    pub choose_file: &'static str,
    pub never_leaves: &'static str,
    pub reading: &'static str,
    pub read_failed: &'static str,
    pub footer_privacy: &'static str,
}

impl UiText {
    /// "Read 1,234 bytes and 12 lines from users.csv."
    pub fn read_summary(&self, lang: Lang, name: &str, bytes: usize, lines: usize) -> String {
        let (b, l) = (group_digits(lang, bytes), group_digits(lang, lines));
        match lang {
            Lang::En => format!(
                "Read {b} {} and {l} {} from {name}.",
                plural(bytes, "byte", "bytes"),
                plural(lines, "line", "lines")
            ),
            Lang::Es => format!(
                "Leídos {b} {} y {l} {} de {name}.",
                plural(bytes, "byte", "bytes"),
                plural(lines, "línea", "líneas")
            ),
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

static EN: UiText = UiText {
    title: "clerk-dev2prod",
    tagline: "Move your Clerk users from development to production and keep every dev user id.",
    language: "Language",
    language_name: "English",
    drop_zone_label: "Drop zone for the Clerk user export",
    drop_here: "Drop the Clerk user export (CSV or JSON) anywhere on this page, or",
    choose_file: "choose a file",
    never_leaves: "The file is read by this page on your computer. Nothing is uploaded, stored or sent anywhere.",
    reading: "Reading",
    read_failed: "Could not read the file. Check that it is still on disk and readable, then drop it again.",
    footer_privacy: "No network requests. No storage. Works offline, opened from disk.",
};

static ES: UiText = UiText {
    title: "clerk-dev2prod",
    tagline: "Lleva tus usuarios de Clerk de desarrollo a producción conservando cada id de usuario de desarrollo.",
    language: "Idioma",
    language_name: "Español",
    drop_zone_label: "Zona para soltar la exportación de usuarios de Clerk",
    drop_here: "Suelta la exportación de usuarios de Clerk (CSV o JSON) en cualquier parte de esta página, o",
    choose_file: "elige un archivo",
    never_leaves: "Esta página lee el archivo en tu ordenador. Nada se sube, se guarda ni se envía a ningún sitio.",
    reading: "Leyendo",
    read_failed: "No se pudo leer el archivo. Comprueba que sigue en el disco y se puede leer, y suéltalo de nuevo.",
    footer_privacy: "Sin peticiones de red. Sin almacenamiento. Funciona sin conexión, abierta desde el disco.",
};
