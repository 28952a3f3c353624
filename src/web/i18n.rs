//! The page's words in English and Spanish. Every visible string comes from here, so a
//! missing translation is a compile error, not a blank.

pub use crate::core::lang::{group_digits, Lang};

use super::state::VerifySlot;
use crate::core::reconcile::Reconciled;

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
    pub summary_heading: &'static str,
    pub rows_read: &'static str,
    pub accepted: &'static str,
    pub rejected: &'static str,
    pub warnings: &'static str,
    pub without_password: &'static str,
    pub notices_heading: &'static str,
    pub issues_heading: &'static str,
    pub col_user: &'static str,
    pub filter_severity: &'static str,
    pub filter_code: &'static str,
    pub all: &'static str,
    pub severity_error: &'static str,
    pub severity_warning: &'static str,
    pub severity_info: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub no_issues: &'static str,
    pub downloads_heading: &'static str,
    pub downloads_intro: &'static str,
    pub download_all: &'static str,
    pub checking: &'static str,
    pub keys_heading: &'static str,
    pub keys_intro: &'static str,
    pub keys_drop_label: &'static str,
    pub keys_drop: &'static str,
    pub choose_files: &'static str,
    pub keys_paste: &'static str,
    pub keys_check: &'static str,
    pub keys_clear: &'static str,
    pub keys_service: &'static str,
    pub keys_variable: &'static str,
    pub keys_kind: &'static str,
    pub keys_instance: &'static str,
    pub keys_key: &'static str,
    pub keys_host: &'static str,
    pub keys_development: &'static str,
    pub keys_production: &'static str,
    /// The list of users under a settings finding.
    pub settings_which_users: &'static str,
    /// "Step", before a step's number in what is announced.
    pub step_word: &'static str,
    /// The link past the problem table to the downloads.
    pub skip_to_downloads: &'static str,
    /// What each step's file is, in the names of its picker and drop box.
    pub export_file_name: &'static str,
    pub settings_file_name: &'static str,
    pub existing_file_name: &'static str,
    pub keys_file_name: &'static str,
    /// The key table's last column: whether a key is at fault.
    pub keys_state: &'static str,
    pub keys_state_fix: &'static str,
    pub keys_state_warning: &'static str,
    pub keys_state_ok: &'static str,
    pub instance_heading: &'static str,
    pub instance_intro: &'static str,
    pub instance_not_checked: &'static str,
    pub instance_read: &'static str,
    pub verify_heading: &'static str,
    pub verify_intro: &'static str,
    pub verify_dev: &'static str,
    pub verify_prod: &'static str,
    pub verify_logs: &'static str,
    pub verify_db_ids: &'static str,
    pub verify_none: &'static str,
    pub verify_waiting: &'static str,
    pub verify_matched: &'static str,
    pub verify_missing: &'static str,
    pub verify_not_imported: &'static str,
    pub verify_drifted: &'static str,
    pub verify_not_linked: &'static str,
    pub verify_orphaned: &'static str,
    pub verify_has_data: &'static str,
    pub verify_logged: &'static str,
    pub verify_sql: &'static str,
    pub verify_strategies: &'static str,
    pub verify_keep: &'static str,
    pub verify_rewrite: &'static str,
    pub verify_drop: &'static str,
    pub try_sample: &'static str,
    pub file_users: &'static str,
    pub file_rejected: &'static str,
    pub file_users_csv: &'static str,
    pub file_link_csv: &'static str,
    pub file_link_sh: &'static str,
    pub file_link_sql: &'static str,
    /// The choice to import unverified addresses, and what it means.
    pub keep_unverified_label: &'static str,
    /// The step for users who already exist in production.
    pub existing_heading: &'static str,
    pub existing_intro: &'static str,
    pub existing_not_checked: &'static str,
    pub keep_unverified_hint: &'static str,
    pub file_report: &'static str,
    pub file_claims: &'static str,
    pub file_runbook: &'static str,
    pub claims_heading: &'static str,
    pub claims_intro: &'static str,
    pub claim_name: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub claims_warning: &'static str,
    pub privacy_heading: &'static str,
    pub privacy_policy: &'static str,
    pub privacy_header_policy: &'static str,
    pub privacy_check: &'static str,
    pub built_from: &'static str,
    /// The steps of the migration, in order, and where the user stands.
    pub steps_label: &'static str,
    /// Keys, export, production settings, claims, import, verify.
    pub step_names: [&'static str; 6],
    pub step_done: &'static str,
    pub step_now: &'static str,
    pub step_later: &'static str,
    pub step_skipped: &'static str,
    pub go_to_step: &'static str,
    /// What became of a dropped file the page does not read, or a second export.
    pub dropped_tried: &'static str,
    pub dropped_not_used: &'static str,
    pub dropped_one_export: &'static str,
    pub pending_before: &'static str,
    pub pending_after: &'static str,
    pub pending_discard: &'static str,
    /// Later steps, quiet until they apply.
    pub import_quiet: &'static str,
    pub verify_quiet: &'static str,
    /// Why the downloads holding the claim are disabled.
    pub claim_blocks_downloads: &'static str,
    pub claim_snippet_disabled: &'static str,
}

impl UiText {
    /// How many resources the page has loaded since it opened.
    pub fn requests_made(&self, lang: Lang, count: usize) -> String {
        match lang {
            Lang::En => format!("Network requests made by this page since it opened: {count}."),
            Lang::Es => {
                format!("Peticiones de red hechas por esta página desde que se abrió: {count}.")
            }
        }
    }

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

impl UiText {
    /// A step's name.
    pub fn step_name(&self, step: super::state::Step) -> &'static str {
        self.step_names[step.number() - 1]
    }

    /// "gateway.env: a service's configuration, taken by step 1 (Switch the keys)."
    pub fn dropped_taken(&self, lang: Lang, kind: &str, number: usize, step: &str) -> String {
        match lang {
            Lang::En => format!("{kind}, taken by step {number} ({step})."),
            Lang::Es => format!("{kind}, recibido en el paso {number} ({step})."),
        }
    }

    pub fn dropped_held(&self, lang: Lang) -> String {
        match lang {
            Lang::En => "a user export; an export is already prepared, so nothing was replaced: say below what this one is.".into(),
            Lang::Es => "una exportación de usuarios; ya hay una exportación preparada, así que no se ha sustituido nada: di abajo qué es esta.".into(),
        }
    }

    pub fn pending_question(&self, lang: Lang, held: &str, prepared: &str) -> String {
        match lang {
            Lang::En => format!("{held} is a user export, and {prepared} is already prepared. What is {held}?"),
            Lang::Es => format!("{held} es una exportación de usuarios, y {prepared} ya está preparada. ¿Qué es {held}?"),
        }
    }

    pub fn pending_replace(&self, lang: Lang, prepared: &str, held: &str) -> String {
        match lang {
            Lang::En => format!("Replace {prepared} with {held}"),
            Lang::Es => format!("Sustituir {prepared} por {held}"),
        }
    }

    /// A replacement export that failed: the prepared one is back.
    pub fn export_refused(&self, lang: Lang, name: &str, why: &str, kept: &str) -> String {
        match lang {
            Lang::En => format!("{name} was not used: {why} {kept} is still the prepared export; nothing was lost."),
            Lang::Es => format!("{name} no se ha usado: {why} {kept} sigue siendo la exportación preparada; no se ha perdido nada."),
        }
    }

    /// Settings that could not be read while others are in use.
    pub fn production_users_refused(
        &self,
        lang: Lang,
        name: &str,
        why: &str,
        kept: &str,
    ) -> String {
        match lang {
            Lang::En => format!("{name}: {why} The production users of {kept} are still in use."),
            Lang::Es => {
                format!("{name}: {why} Se siguen usando los usuarios de producción de {kept}.")
            }
        }
    }

    /// Production's users read before the import, as announced: how many, and how many of
    /// the export's users already have an account there once an export is checked.
    pub fn production_users_read(
        &self,
        lang: Lang,
        name: &str,
        users: usize,
        already: Option<usize>,
    ) -> String {
        let n = group_digits(lang, users);
        let head = match lang {
            Lang::En => format!(
                "{name}: {n} production {} read",
                plural(users, "user", "users")
            ),
            Lang::Es => format!(
                "{name}: {n} {} de producción {}",
                plural(users, "usuario", "usuarios"),
                plural(users, "leído", "leídos")
            ),
        };
        match (lang, already) {
            (_, None) => format!("{head}."),
            (Lang::En, Some(k)) => format!(
                "{head}; {} of the export already {} an account there.",
                group_digits(lang, k),
                plural(k, "has", "have")
            ),
            (Lang::Es, Some(k)) => format!(
                "{head}; {} de la exportación ya {} cuenta allí.",
                group_digits(lang, k),
                plural(k, "tiene", "tienen")
            ),
        }
    }

    /// A user under a settings finding: a link to their rows in the problem table.
    pub fn settings_user_rows(&self, lang: Lang, user: &str, row: usize) -> String {
        match lang {
            Lang::En => format!("{user}, row {row}: show its problems in the table"),
            Lang::Es => format!("{user}, fila {row}: ver sus problemas en la tabla"),
        }
    }

    /// The users a settings finding names beyond those listed.
    pub fn settings_more_users(&self, lang: Lang, more: usize) -> String {
        let n = group_digits(lang, more);
        match lang {
            Lang::En => format!("and {n} more"),
            Lang::Es => format!("y {n} más"),
        }
    }

    /// Filters the problem table to a settings finding's rows.
    pub fn settings_show_rows(&self, lang: Lang, users: usize) -> String {
        let n = group_digits(lang, users);
        match lang {
            Lang::En => plural(
                users,
                "Show this user's row in the problem table".to_string(),
                format!("Show these {n} users' rows in the problem table"),
            ),
            Lang::Es => plural(
                users,
                "Ver la fila de este usuario en la tabla de problemas".to_string(),
                format!("Ver las filas de estos {n} usuarios en la tabla de problemas"),
            ),
        }
    }

    pub fn settings_refused(&self, lang: Lang, name: &str, why: &str, kept: &str) -> String {
        match lang {
            Lang::En => format!("{name}: {why} The settings of {kept} are still in use."),
            Lang::Es => format!("{name}: {why} Se siguen usando los ajustes de {kept}."),
        }
    }
}

/// The verify step's words beyond the fixed ones: its sections, its inputs' names, its
/// verdict.
impl UiText {
    /// What each verify input is, for its picker's and drop box's accessible names.
    pub fn verify_slot_name(&self, lang: Lang, slot: VerifySlot) -> &'static str {
        match (lang, slot) {
            (Lang::En, VerifySlot::Dev) => "the dev export to verify against",
            (Lang::Es, VerifySlot::Dev) => "la exportación de desarrollo con la que verificar",
            (Lang::En, VerifySlot::Prod) => "the production export taken after the import",
            (Lang::Es, VerifySlot::Prod) => {
                "la exportación de producción hecha tras la importación"
            }
            (Lang::En, VerifySlot::Logs) => "the migration tool's logs",
            (Lang::Es, VerifySlot::Logs) => "los registros de la herramienta de migración",
            (Lang::En, VerifySlot::DbIds) => "the database's user ids",
            (Lang::Es, VerifySlot::DbIds) => "los ids de usuario de la base de datos",
        }
    }

    /// The part of an element id naming a verify input.
    pub fn slot_id(&self, slot: VerifySlot) -> &'static str {
        match slot {
            VerifySlot::Dev => "dev",
            VerifySlot::Prod => "prod",
            VerifySlot::Logs => "logs",
            VerifySlot::DbIds => "db",
        }
    }

    /// "choose a file: the production settings": the visible words first (WCAG 2.5.3), then
    /// what the file is, so each picker has a name of its own.
    pub fn choose_file_for(&self, lang: Lang, what: &str) -> String {
        format!("{}: {what}", lang.pick(EN.choose_file, ES.choose_file))
    }

    /// "choose files: …", for a picker that takes several.
    pub fn choose_files_for(&self, lang: Lang, what: &str) -> String {
        format!("{}: {what}", lang.pick(EN.choose_files, ES.choose_files))
    }

    /// A drop box's name: which file it takes.
    pub fn drop_group_name(&self, lang: Lang, what: &str) -> String {
        match lang {
            Lang::En => format!("Drop box for {what}"),
            Lang::Es => format!("Zona para soltar {what}"),
        }
    }

    /// A file a verify input refused, and the one it keeps using.
    pub fn verify_refused(&self, lang: Lang, name: &str, why: &str, kept: Option<&str>) -> String {
        match (lang, kept) {
            (Lang::En, Some(kept)) => format!("{name} was not used: {why} {kept} is still in use."),
            (Lang::Es, Some(kept)) => {
                format!("{name} no se ha usado: {why} Se sigue usando {kept}.")
            }
            (Lang::En, None) => format!("{name} was not used: {why}"),
            (Lang::Es, None) => format!("{name} no se ha usado: {why}"),
        }
    }

    pub fn verify_sql_columns(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Your tables that hold a Clerk user id, one a line: a table (its user_id column), table.column, or schema.table.column.",
            "Tus tablas que guardan un id de usuario de Clerk, una por línea: una tabla (su columna user_id), tabla.columna, o esquema.tabla.columna.",
        )
    }

    pub fn verify_sql_example(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Start from an example (five tables of one app; edit them to yours)",
            "Empezar con un ejemplo (cinco tablas de una app; cámbialas por las tuyas)",
        )
    }

    pub fn verify_sql_none(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Name your tables above and the SQL appears here. Nothing is assumed about your database.",
            "Escribe arriba tus tablas y el SQL aparece aquí. No se da nada por supuesto sobre tu base de datos.",
        )
    }

    /// "… and 12 more in reconcile.json."
    pub fn verify_more(&self, lang: Lang, more: usize) -> String {
        let n = group_digits(lang, more);
        match lang {
            Lang::En => format!("… and {n} more in reconcile.json."),
            Lang::Es => format!("… y {n} más en reconcile.json."),
        }
    }

    pub fn col_email(&self, lang: Lang) -> &'static str {
        lang.pick("Email", "Correo")
    }

    pub fn col_column(&self, lang: Lang) -> &'static str {
        lang.pick("Column", "Columna")
    }

    pub fn col_user_ids(&self, lang: Lang) -> &'static str {
        lang.pick("User ids", "Ids de usuario")
    }

    pub fn col_rows(&self, lang: Lang) -> &'static str {
        lang.pick("Rows", "Filas")
    }

    pub fn yes(&self, lang: Lang) -> &'static str {
        lang.pick("yes", "sí")
    }

    pub fn no(&self, lang: Lang) -> &'static str {
        lang.pick("no", "no")
    }

    pub fn verify_in_dev(&self, lang: Lang) -> &'static str {
        lang.pick("In development", "En desarrollo")
    }

    pub fn verify_in_prod(&self, lang: Lang) -> &'static str {
        lang.pick("In production", "En producción")
    }

    pub fn verify_strays(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Production users of no dev user",
            "Usuarios de producción sin usuario de desarrollo",
        )
    }

    pub fn verify_duplicates(&self, lang: Lang) -> &'static str {
        lang.pick(
            "external_ids on several users",
            "external_id en varios usuarios",
        )
    }

    pub fn verify_files(&self, lang: Lang) -> &'static str {
        lang.pick("Files of this check", "Archivos de esta comprobación")
    }

    /// "row 12"
    pub fn row_word(&self, lang: Lang, row: usize) -> String {
        match lang {
            Lang::En => format!("row {row}"),
            Lang::Es => format!("fila {row}"),
        }
    }

    /// "1 row", "3 rows"
    pub fn rows_count(&self, lang: Lang, rows: usize) -> String {
        let n = group_digits(lang, rows);
        match lang {
            Lang::En => format!("{n} {}", plural(rows, "row", "rows")),
            Lang::Es => format!("{n} {}", plural(rows, "fila", "filas")),
        }
    }

    pub fn dev_id_word(&self, lang: Lang) -> &'static str {
        lang.pick("dev id", "id de desarrollo")
    }

    pub fn prod_user_word(&self, lang: Lang) -> &'static str {
        lang.pick("production user", "usuario de producción")
    }

    /// How a dev user was found in production without being linked.
    pub fn matched_by(&self, lang: Lang, by: &str) -> &'static str {
        match by {
            "email" => lang.pick("same email", "mismo correo"),
            "phone" => lang.pick("same phone number", "mismo teléfono"),
            "username" => lang.pick("same username", "mismo nombre de usuario"),
            _ => lang.pick(
                "several production users match: decide in the Dashboard",
                "coinciden varios usuarios de producción: decide en el Dashboard",
            ),
        }
    }

    pub fn verify_section_missing(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 dev user is missing in production".to_string(),
                format!("{k} dev users are missing in production"),
            ),
            Lang::Es => plural(
                n,
                "Falta 1 usuario de desarrollo en producción".to_string(),
                format!("Faltan {k} usuarios de desarrollo en producción"),
            ),
        }
    }

    pub fn verify_missing_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Those with data in your database first. retry-users.json (below) holds exactly these users: fix what the log says, then run bun migrate -y -t clerk -f retry-users.json.",
            "Primero los que tienen datos en tu base de datos. retry-users.json (abajo) contiene exactamente estos usuarios: corrige lo que dice el registro y ejecuta bun migrate -y -t clerk -f retry-users.json.",
        )
    }

    pub fn verify_section_not_linked(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 dev user is already in production, not linked".to_string(),
                format!("{k} dev users are already in production, not linked"),
            ),
            Lang::Es => plural(
                n,
                "1 usuario de desarrollo ya está en producción, sin vincular".to_string(),
                format!("{k} usuarios de desarrollo ya están en producción, sin vincular"),
            ),
        }
    }

    pub fn verify_not_linked_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "They signed up in production before the import, or are linked to another dev id: until their external_id is the dev id, the session claim gives them their new id and their dev data stays invisible. link-existing.sh (below) links the ones with a single match.",
            "Se registraron en producción antes de importar, o están vinculados a otro id de desarrollo: mientras su external_id no sea el id de desarrollo, el claim de sesión les da su id nuevo y sus datos de desarrollo quedan invisibles. link-existing.sh (abajo) vincula los que tienen una sola coincidencia.",
        )
    }

    pub fn verify_section_not_imported(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 dev user was never imported (rejected when prepared)".to_string(),
                format!("{k} dev users were never imported (rejected when prepared)"),
            ),
            Lang::Es => plural(
                n,
                "1 usuario de desarrollo no se importó nunca (rechazado al preparar)".to_string(),
                format!(
                    "{k} usuarios de desarrollo no se importaron nunca (rechazados al preparar)"
                ),
            ),
        }
    }

    pub fn verify_not_imported_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Fix them in rejected.csv, prepare it again and import the result.",
            "Corrígelos en rejected.csv, vuelve a prepararlo e importa el resultado.",
        )
    }

    pub fn verify_section_orphaned(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 database id belongs to no user".to_string(),
                format!("{k} database ids belong to no user"),
            ),
            Lang::Es => plural(
                n,
                "1 id de la base de datos no es de ningún usuario".to_string(),
                format!("{k} ids de la base de datos no son de ningún usuario"),
            ),
        }
    }

    pub fn verify_orphaned_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Rows with these user ids find no owner after the switch: neither a migrated dev user nor a production user has them.",
            "Las filas con estos ids no encuentran dueño tras el cambio: no los tiene ningún usuario de desarrollo migrado ni de producción.",
        )
    }

    pub fn verify_section_strays(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(n, "1 production user has an external_id that is no dev user's id".to_string(), format!("{k} production users have an external_id that is no dev user's id")),
            Lang::Es => plural(n, "1 usuario de producción tiene un external_id que no es el id de ningún usuario de desarrollo".to_string(), format!("{k} usuarios de producción tienen un external_id que no es el id de ningún usuario de desarrollo")),
        }
    }

    pub fn verify_strays_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Imported from another export, or linked by hand to a wrong id: their session claim carries an id your database does not know.",
            "Importados desde otra exportación, o vinculados a mano a un id equivocado: su claim de sesión lleva un id que tu base de datos no conoce.",
        )
    }

    pub fn verify_section_duplicates(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 external_id is on more than one production user".to_string(),
                format!("{k} external_ids are on more than one production user"),
            ),
            Lang::Es => plural(
                n,
                "1 external_id está en más de un usuario de producción".to_string(),
                format!("{k} external_id están en más de un usuario de producción"),
            ),
        }
    }

    pub fn verify_duplicates_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Each of these people's data would be shared by two accounts: keep one account per dev id in the production Dashboard.",
            "Los datos de cada una de estas personas los compartirían dos cuentas: deja una sola cuenta por id de desarrollo en el Dashboard de producción.",
        )
    }

    pub fn verify_section_conflicts(&self, lang: Lang, n: usize) -> String {
        let k = group_digits(lang, n);
        match lang {
            Lang::En => plural(
                n,
                "1 id cannot be mapped".to_string(),
                format!("{k} ids cannot be mapped"),
            ),
            Lang::Es => plural(
                n,
                "1 id no se puede emparejar".to_string(),
                format!("{k} ids no se pueden emparejar"),
            ),
        }
    }

    pub fn verify_conflicts_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "Left out of id-map.csv: the evidence names two partners for one id, and nothing is guessed. Decide in the production Dashboard which account is the person's.",
            "Fuera de id-map.csv: las pruebas dan dos parejas para un mismo id, y nada se adivina. Decide en el Dashboard de producción cuál es la cuenta de la persona.",
        )
    }

    pub fn verify_section_drift(&self, lang: Lang, users: usize, fields: usize) -> String {
        let (u, f) = (group_digits(lang, users), group_digits(lang, fields));
        match lang {
            Lang::En => format!(
                "{f} {} changed on the way, on {u} {}",
                plural(fields, "field", "fields"),
                plural(users, "user", "users")
            ),
            Lang::Es => format!(
                "{f} {} por el camino, en {u} {}",
                plural(fields, "campo cambió", "campos cambiaron"),
                plural(users, "usuario", "usuarios")
            ),
        }
    }

    pub fn verify_drift_intro(&self, lang: Lang) -> &'static str {
        lang.pick(
            "The user arrived, but this field is not what development had.",
            "El usuario llegó, pero este campo no es el que tenía desarrollo.",
        )
    }

    pub fn verify_section_database(&self, lang: Lang) -> &'static str {
        lang.pick("Read from the database", "Leído de la base de datos")
    }

    /// The verify step's verdict: what was compared with what, and what stands in the way.
    pub fn verify_verdict(&self, lang: Lang, r: &Reconciled, dev: &str, prod: &str) -> String {
        let c = &r.counts;
        let n = |x: usize| group_digits(lang, x);
        let head =
            match lang {
                Lang::En => format!(
                    "Compared the {} dev {} of {dev} with the {} production {} of {prod}",
                    n(c.dev_users),
                    plural(c.dev_users, "user", "users"),
                    n(c.prod_users),
                    plural(c.prod_users, "user", "users"),
                ),
                Lang::Es => format!(
                "Comparados los {} {} de desarrollo de {dev} con los {} {} de producción de {prod}",
                n(c.dev_users), plural(c.dev_users, "usuario", "usuarios"),
                n(c.prod_users), plural(c.prod_users, "usuario", "usuarios"),
            ),
            };
        let database = match (c.db_ids, c.orphaned_db_ids) {
            (Some(ids), Some(0)) => match lang {
                Lang::En => format!(" None of the {} database {} is orphaned.", n(ids), plural(ids, "id", "ids")),
                Lang::Es => format!(" Ninguno de los {} {} de la base de datos queda huérfano.", n(ids), plural(ids, "id", "ids")),
            },
            (None, _) => lang
                .pick(
                    " The database's user ids were not given, so orphaned rows were not checked.",
                    " No se indicaron los ids de usuario de la base de datos, así que no se comprobaron las filas huérfanas.",
                )
                .to_string(),
            _ => String::new(),
        };
        if r.all_arrived() {
            let tail = match lang {
                Lang::En => format!(": all {} arrived.", n(c.matched)),
                Lang::Es => format!(": han llegado los {}.", n(c.matched)),
            };
            return format!("{head}{tail}{database}");
        }
        let mut what: Vec<String> = Vec::new();
        let mut add = |count: usize, en: (&str, &str), es: (&str, &str)| {
            if count > 0 {
                let (one, many) = lang.pick(en, es);
                what.push(format!("{} {}", n(count), plural(count, one, many)));
            }
        };
        add(c.missing, ("missing", "missing"), ("falta", "faltan"));
        add(
            c.exists_not_linked,
            (
                "already in production, not linked",
                "already in production, not linked",
            ),
            (
                "ya en producción, sin vincular",
                "ya en producción, sin vincular",
            ),
        );
        add(
            c.not_imported,
            ("never imported", "never imported"),
            ("nunca importado", "nunca importados"),
        );
        add(
            c.orphaned_db_ids.unwrap_or(0),
            ("orphaned database id", "orphaned database ids"),
            (
                "id huérfano en la base de datos",
                "ids huérfanos en la base de datos",
            ),
        );
        let listed = what.join("; ");
        match lang {
            Lang::En => format!("{head}: not everyone arrived ({listed}). Each is listed below, the most urgent first.{database}"),
            Lang::Es => format!("{head}: no han llegado todos ({listed}). Cada uno está abajo, lo más urgente primero.{database}"),
        }
    }
}

fn plural<T>(n: usize, one: T, many: T) -> T {
    crate::core::lang::plural(n, one, many)
}

static EN: UiText = UiText {
    title: "Move Clerk users from development to production",
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
    summary_heading: "Summary",
    rows_read: "Rows read",
    accepted: "Accepted",
    rejected: "Rejected",
    warnings: "Warnings",
    without_password: "Users without a password",
    notices_heading: "About the file",
    issues_heading: "Problems, row by row",
    col_user: "User id",
    filter_severity: "Severity",
    filter_code: "Kind",
    all: "All",
    severity_error: "Error (row rejected)",
    severity_warning: "Warning",
    severity_info: "Info",
    search: "Search",
    search_hint: "user id, row, email…",
    previous: "Previous",
    next: "Next",
    no_issues: "No problem matches.",
    downloads_heading: "Files for the migration",
    downloads_intro: "Made on this computer. users.json and rejected.csv hold password digests and TOTP secrets: delete them after the import.",
    download_all: "Download every file (clerk-migration.zip)",
    checking: "Checking every row…",
    keys_heading: "Switch every service to the production keys",
    keys_intro: "Give each service's configuration (.env, YAML or JSON), several at once, and see which keys are still development keys, which pairs disagree and which would leak a secret. Keys are shown only as their prefix and last four characters and kept nowhere: a reload forgets them. The runbook then lists each service.",
    keys_drop_label: "Drop zone for the services' configuration files",
    keys_drop: "Drop the services' config files here, or",
    choose_files: "choose files",
    keys_paste: "Or paste one configuration",
    keys_check: "Check",
    keys_clear: "Forget these files",
    keys_service: "Service",
    keys_variable: "Variable",
    keys_kind: "Kind",
    keys_instance: "Instance",
    keys_key: "Key",
    keys_host: "Frontend API",
    keys_development: "development",
    keys_production: "production",
    settings_which_users: "The users",
    export_file_name: "the Clerk user export to check",
    step_word: "Step",
    skip_to_downloads: "Skip the problem table: go to the files for the migration",
    settings_file_name: "the production instance's settings (environment document)",
    existing_file_name: "production's users, exported before the import",
    keys_file_name: "the services' configuration files",
    keys_state: "State",
    keys_state_fix: "✗ to fix",
    keys_state_warning: "⚠ look at it",
    keys_state_ok: "✓ no problem found",
    instance_heading: "The production instance's own settings",
    instance_intro: "A flawless file can still fail if production requires a username, allows only passwords or has authenticator apps off. Clerk serves the instance's public settings at this address: open it in a browser tab, save the page as a .json file and give it here (this page requests nothing itself).",
    instance_not_checked: "Not checked yet, so these checks did not run: required email, phone, username and names; identifiers turned off; this instance's username rules; password-only sign-in; authenticator apps and backup codes; legal consent; OAuth providers.",
    instance_read: "read. OAuth providers on:",
    verify_heading: "After the import: did everyone arrive?",
    verify_intro: "Give the production export taken after the import (Dashboard CSV, or Backend API JSON with external_id). Add the migration tool's logs and your database's user ids to learn why users are missing and which rows would lose their owner.",
    verify_dev: "Dev export",
    verify_prod: "Production export",
    verify_logs: "Migration tool logs (optional)",
    verify_db_ids: "Database user ids (optional)",
    verify_none: "none",
    verify_waiting: "Waiting for both exports.",
    verify_matched: "Arrived",
    verify_missing: "Missing",
    verify_not_imported: "Never imported",
    verify_drifted: "Changed on the way",
    verify_not_linked: "Already in production, not linked",
    verify_orphaned: "Orphaned database ids",
    verify_has_data: "Has data",
    verify_logged: "What the tool logged",
    verify_sql: "SQL that lists your database's user ids, with their rows per table (save its output as db-ids.csv)",
    verify_strategies: "Your database: two ways to keep every row with its owner",
    verify_keep: "Keep the dev ids (the runbook's way): nothing to rewrite; every service reads the dev id from the custom session claim, forever.",
    verify_rewrite: "Rewrite once: id-map.csv lists each dev id and its production id; with db-ids.csv given, remap.sql rewrites those columns in one transaction (tables locked, each count checked, everything or nothing) and remap-undo.sql puts the exact ids back. Services then use the plain production id and the claim can go; it needs a maintenance window. This page cannot connect to your database: run the files yourself (psql -v ON_ERROR_STOP=1 -f remap.sql), or let the command line try them first (clerk-dev2prod remap --map id-map.csv --database-url …). Rows of users who were not migrated are never touched.",
    verify_drop: "Drop it here, or",
    try_sample: "Try it with sample data",
    file_users: "the accepted users, for bun migrate -y -t clerk -f users.json",
    file_rejected: "the rejected rows and what to fix",
    file_users_csv: "the same users as a clean Dashboard CSV, for Clerk's CLI and other importers (plus users only the migration tool refuses)",
    file_link_csv: "the users already in production, each with the production account it matched",
    file_link_sh: "links each of them to its dev id after the import (CLERK_SECRET_KEY=sk_live_… sh link-existing.sh)",
    file_link_sql: "moves what they wrote in production to their dev id, in one transaction",
    keep_unverified_label: "Import unverified addresses too",
    existing_heading: "Users already in production",
    existing_intro: "Anyone who signed in to production before the import (the team while setting it up, early users, \"Sign in with Google\") has a production account with a new id: their import would fail, and their session claim would keep giving them the new id, so their dev data stays invisible. Export the production users just before the import (Dashboard CSV or Backend API JSON) and give the file here.",
    existing_not_checked: "Not checked yet: without an export of production, nobody can tell who already has an account there.",
    keep_unverified_hint: "Off: addresses never verified in development are left out and named, and a user with nothing else is rejected. On: they are imported, but Clerk's migration tool cannot keep them unverified: it creates a user's first address of a kind verified when they have no verified one, and adds the rest with no verified flag. Each such user gets a warning saying which.",
    file_report: "every count and every problem",
    file_claims: "the session token customisation",
    file_runbook: "the runbook for this export",
    claims_heading: "Keep every service on the dev ids",
    claims_intro: "In the production instance's Dashboard: Sessions → Customize session token. Paste:",
    claim_name: "Claim name",
    copy: "Copy",
    copied: "Copied",
    claims_warning: "auth().userId is the new production id, not the dev one: read the claim instead.",
    privacy_heading: "Privacy",
    privacy_policy: "This page runs under this Content-Security-Policy, read from the page itself:",
    privacy_header_policy: "This page was served with its policy in an HTTP header; open the single file to read it here.",
    privacy_check: "Check it yourself: open the single file from disk with the network off; it works the same. Compare its SHA-256 with the release's SHA256SUMS, or rebuild it from this version's source with `cargo xtask verify` and get the same bytes.",
    built_from: "Built from",
    steps_label: "Steps of the migration",
    step_names: ["Switch the keys", "Check the user export", "Production settings", "Keep the dev ids", "Import", "Verify"],
    step_done: "done",
    step_now: "you are here",
    step_later: "later",
    step_skipped: "not done yet",
    go_to_step: "Go to the step",
    dropped_tried: "not a kind of file this page recognises; read as the user export, and the export step says why it is not one.",
    dropped_not_used: "not a file this page reads (a user export, the production settings, a service's .env/YAML/JSON, a migration tool log or database user ids), so nothing changed.",
    dropped_one_export: "a second user export in the same drop; nothing was done with it. Drop one export at a time.",
    pending_before: "It is production's users, taken before the import (step 5)",
    pending_after: "It is production's users, taken after the import (step 6)",
    pending_discard: "Neither: forget it",
    import_quiet: "Once the export is checked (step 2), the files for the import appear here, with the users production already has.",
    verify_quiet: "After the import (step 5): give the production export taken after it, and see who arrived.",
    claim_blocks_downloads: "The claim name is refused (step 4), so session-claims.json, MIGRATION.md and the zip, which hold it, are disabled until it is fixed:",
    claim_snippet_disabled: "No snippet while the claim name is refused:",
};

static ES: UiText = UiText {
    title: "Pasar los usuarios de Clerk de desarrollo a producción",
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
    summary_heading: "Resumen",
    rows_read: "Filas leídas",
    accepted: "Aceptadas",
    rejected: "Rechazadas",
    warnings: "Avisos",
    without_password: "Usuarios sin contraseña",
    notices_heading: "Sobre el archivo",
    issues_heading: "Problemas, fila a fila",
    col_user: "Id de usuario",
    filter_severity: "Gravedad",
    filter_code: "Tipo",
    all: "Todos",
    severity_error: "Error (fila rechazada)",
    severity_warning: "Aviso",
    severity_info: "Información",
    search: "Buscar",
    search_hint: "id de usuario, fila, correo…",
    previous: "Anterior",
    next: "Siguiente",
    no_issues: "Ningún problema coincide.",
    downloads_heading: "Archivos para la migración",
    downloads_intro: "Generados en este ordenador. users.json y rejected.csv contienen resúmenes de contraseñas y secretos TOTP: bórralos tras la importación.",
    download_all: "Descargar todos los archivos (clerk-migration.zip)",
    checking: "Revisando cada fila…",
    keys_heading: "Cambia cada servicio a las claves de producción",
    keys_intro: "Indica la configuración de cada servicio (.env, YAML o JSON), varias a la vez, y mira qué claves siguen siendo de desarrollo, qué pares no cuadran y cuáles filtrarían un secreto. Las claves solo se muestran con su prefijo y sus cuatro últimos caracteres y no se guardan en ningún sitio: al recargar se olvidan. La guía lista después cada servicio.",
    keys_drop_label: "Zona para soltar los archivos de configuración de los servicios",
    keys_drop: "Suelta aquí los archivos de configuración de los servicios, o",
    choose_files: "elige archivos",
    keys_paste: "O pega una configuración",
    keys_check: "Comprobar",
    keys_clear: "Olvidar estos archivos",
    keys_service: "Servicio",
    keys_variable: "Variable",
    keys_kind: "Tipo",
    keys_instance: "Instancia",
    keys_key: "Clave",
    keys_host: "Frontend API",
    keys_development: "desarrollo",
    keys_production: "producción",
    settings_which_users: "Los usuarios",
    export_file_name: "la exportación de usuarios de Clerk que revisar",
    step_word: "Paso",
    skip_to_downloads: "Saltar la tabla de problemas: ir a los archivos para la migración",
    settings_file_name: "los ajustes de la instancia de producción (documento de entorno)",
    existing_file_name: "los usuarios de producción, exportados antes de importar",
    keys_file_name: "los archivos de configuración de los servicios",
    keys_state: "Estado",
    keys_state_fix: "✗ por corregir",
    keys_state_warning: "⚠ a revisar",
    keys_state_ok: "✓ sin problemas",
    instance_heading: "Los ajustes de la propia instancia de producción",
    instance_intro: "Un archivo impecable puede fallar igual si producción exige nombre de usuario, solo admite contraseñas o tiene desactivadas las apps de autenticación. Clerk sirve los ajustes públicos de la instancia en esta dirección: ábrela en una pestaña, guarda la página como archivo .json e indícalo aquí (esta página no hace ninguna petición).",
    instance_not_checked: "Aún sin comprobar, así que no se hicieron estas comprobaciones: correo, teléfono, nombre de usuario y nombres obligatorios; identificadores desactivados; las reglas de nombre de usuario de esta instancia; entrada solo con contraseña; apps de autenticación y códigos de respaldo; consentimiento legal; proveedores OAuth.",
    instance_read: "leído. Proveedores OAuth activos:",
    verify_heading: "Tras la importación: ¿han llegado todos?",
    verify_intro: "Indica la exportación de producción hecha tras la importación (CSV del Dashboard, o JSON de la Backend API con external_id). Añade los registros de la herramienta y los ids de usuario de tu base de datos para saber por qué faltan usuarios y qué filas se quedarían sin dueño.",
    verify_dev: "Exportación de desarrollo",
    verify_prod: "Exportación de producción",
    verify_logs: "Registros de la herramienta (opcional)",
    verify_db_ids: "Ids de usuario de la base de datos (opcional)",
    verify_none: "ninguno",
    verify_waiting: "Esperando las dos exportaciones.",
    verify_matched: "Han llegado",
    verify_missing: "Faltan",
    verify_not_imported: "Nunca importados",
    verify_drifted: "Cambiaron por el camino",
    verify_not_linked: "Ya en producción, sin vincular",
    verify_orphaned: "Ids huérfanos en la base de datos",
    verify_has_data: "Tiene datos",
    verify_logged: "Lo que registró la herramienta",
    verify_sql: "SQL que lista los ids de usuario de tu base de datos, con sus filas por tabla (guarda su salida como db-ids.csv)",
    verify_strategies: "Tu base de datos: dos maneras de que cada fila conserve a su dueño",
    verify_keep: "Conservar los ids de desarrollo (lo que hace la guía): nada que reescribir; cada servicio lee el id de desarrollo del claim de sesión personalizado, para siempre.",
    verify_rewrite: "Reescribir una vez: id-map.csv lista cada id de desarrollo y su id de producción; si indicas db-ids.csv, remap.sql reescribe esas columnas en una transacción (tablas bloqueadas, cada recuento comprobado, todo o nada) y remap-undo.sql devuelve los ids exactos. Después los servicios usan el id de producción tal cual y el claim puede desaparecer; necesita una ventana de mantenimiento. Esta página no puede conectarse a tu base de datos: ejecuta tú los archivos (psql -v ON_ERROR_STOP=1 -f remap.sql), o deja que la línea de comandos los pruebe antes (clerk-dev2prod remap --map id-map.csv --database-url …). Las filas de usuarios que no se migraron nunca se tocan.",
    verify_drop: "Suéltalo aquí, o",
    try_sample: "Probar con datos de ejemplo",
    file_users: "los usuarios aceptados, para bun migrate -y -t clerk -f users.json",
    file_rejected: "las filas rechazadas y qué corregir",
    file_users_csv: "los mismos usuarios como un CSV limpio del Dashboard, para la CLI de Clerk y otros importadores (y los usuarios que solo la herramienta de migración rechaza)",
    file_link_csv: "los usuarios que ya están en producción, cada uno con la cuenta de producción que coincidió",
    file_link_sh: "vincula cada uno a su id de desarrollo tras la importación (CLERK_SECRET_KEY=sk_live_… sh link-existing.sh)",
    file_link_sql: "mueve lo que escribieron en producción a su id de desarrollo, en una transacción",
    keep_unverified_label: "Importar también las direcciones sin verificar",
    existing_heading: "Usuarios que ya están en producción",
    existing_intro: "Quien haya entrado en producción antes de importar (el equipo al configurarla, los primeros usuarios, \"Sign in with Google\") tiene una cuenta de producción con un id nuevo: su importación fallaría y su claim de sesión le seguiría dando el id nuevo, así que sus datos de desarrollo quedan invisibles. Exporta los usuarios de producción justo antes de importar (CSV del Dashboard o JSON de la Backend API) e indica aquí el archivo.",
    existing_not_checked: "Aún sin comprobar: sin una exportación de producción nadie puede saber quién tiene ya cuenta allí.",
    keep_unverified_hint: "Desactivado: las direcciones que nunca se verificaron en desarrollo se dejan fuera y se nombran, y un usuario sin nada más se rechaza. Activado: se importan, pero la herramienta de migración de Clerk no puede mantenerlas sin verificar: crea verificada la primera dirección de un tipo si el usuario no tiene ninguna verificada, y añade las demás sin indicador de verificación. Cada usuario así recibe un aviso que dice cuál.",
    file_report: "cada cifra y cada problema",
    file_claims: "la personalización del token de sesión",
    file_runbook: "la guía para esta exportación",
    claims_heading: "Que cada servicio siga recibiendo los ids de desarrollo",
    claims_intro: "En el Dashboard de la instancia de producción: Sessions → Customize session token. Pega:",
    claim_name: "Nombre del claim",
    copy: "Copiar",
    copied: "Copiado",
    claims_warning: "auth().userId es el nuevo id de producción, no el de desarrollo: lee el claim.",
    privacy_heading: "Privacidad",
    privacy_policy: "Esta página funciona bajo esta Content-Security-Policy, leída de la propia página:",
    privacy_header_policy: "Esta página se sirvió con su política en una cabecera HTTP; abre el archivo único para leerla aquí.",
    privacy_check: "Compruébalo tú: abre el archivo único desde el disco sin red; funciona igual. Compara su SHA-256 con el SHA256SUMS de la versión publicada, o vuelve a construirlo desde el código de esta versión con `cargo xtask verify` y obtén los mismos bytes.",
    built_from: "Construido a partir de",
    steps_label: "Pasos de la migración",
    step_names: ["Cambiar las claves", "Revisar la exportación de usuarios", "Ajustes de producción", "Conservar los ids de desarrollo", "Importar", "Verificar"],
    step_done: "hecho",
    step_now: "estás aquí",
    step_later: "después",
    step_skipped: "sin hacer",
    go_to_step: "Ir al paso",
    dropped_tried: "no es un tipo de archivo que esta página reconozca; se ha leído como la exportación de usuarios, y el paso de la exportación dice por qué no lo es.",
    dropped_not_used: "no es un archivo que esta página lea (una exportación de usuarios, los ajustes de producción, el .env/YAML/JSON de un servicio, un registro de la herramienta de migración o ids de usuario de la base de datos), así que no ha cambiado nada.",
    dropped_one_export: "una segunda exportación de usuarios en el mismo arrastre; no se ha hecho nada con ella. Suelta las exportaciones de una en una.",
    pending_before: "Son los usuarios de producción, antes de importar (paso 5)",
    pending_after: "Son los usuarios de producción, después de importar (paso 6)",
    pending_discard: "Ninguna de las dos: olvidarla",
    import_quiet: "Cuando la exportación esté revisada (paso 2), aquí aparecen los archivos para la importación, con los usuarios que producción ya tiene.",
    verify_quiet: "Tras la importación (paso 5): indica la exportación de producción hecha después y mira quién ha llegado.",
    claim_blocks_downloads: "El nombre del claim no es válido (paso 4), así que session-claims.json, MIGRATION.md y el zip, que lo contienen, están desactivados hasta corregirlo:",
    claim_snippet_disabled: "No hay fragmento mientras el nombre del claim no sea válido:",
};
