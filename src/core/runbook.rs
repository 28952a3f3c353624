//! `MIGRATION.md`: the runbook for this exact dataset, in English or Spanish.

use crate::core::claims::CLAIM_TEMPLATE;
use crate::core::escape::{md_cell_code, md_code, md_text};
use crate::core::lang::{group_digits, plural};
use crate::core::prepare::{PrepareOptions, Prepared};

/// Production allows 1000 Backend API requests per 10 seconds.
const PRODUCTION_REQUESTS_PER_SECOND: usize = 100;

pub fn runbook(prepared: &Prepared, options: &PrepareOptions) -> String {
    let lang = options.lang;
    let c = &prepared.counts;
    let n = |x: usize| group_digits(lang, x);
    let t = |en: &str, es: &str| lang.pick(en, es).to_string();
    let claim = &options.claim_name;
    let file = md_code(&prepared.input.file_name);
    let mut md = String::new();
    let mut line = |text: String| {
        md.push_str(&text);
        md.push('\n');
    };

    line(t(
        "# Migration runbook: development → production",
        "# Guía de migración: desarrollo → producción",
    ));
    line(String::new());
    line(lang.pick(
        format!(
            "Prepared by clerk-dev2prod {} from {file} ({}, {}).",
            env!("CARGO_PKG_VERSION"),
            prepared.input.format.label(),
            prepared.input.encoding.label()
        ),
        format!(
            "Preparada por clerk-dev2prod {} a partir de {file} ({}, {}).",
            env!("CARGO_PKG_VERSION"),
            prepared.input.format.label(),
            prepared.input.encoding.label()
        ),
    ));
    line(String::new());

    line(t("## 1. This export", "## 1. Esta exportación"));
    line(String::new());
    line(lang.pick(
        format!("- Rows read: **{}**; accepted: **{}** (in `users.json`); rejected: **{}** (in `rejected.csv`).", n(c.rows), n(c.accepted), n(c.rejected)),
        format!("- Filas leídas: **{}**; aceptadas: **{}** (en `users.json`); rechazadas: **{}** (en `rejected.csv`).", n(c.rows), n(c.accepted), n(c.rejected)),
    ));
    if c.already_in_production > 0 {
        // Only the parts that have someone in them: "0 imported by an earlier run" says
        // nothing, and a Spanish participle agrees with its count.
        let mut parts = Vec::new();
        if c.to_link() > 0 {
            parts.push(lang.pick(
                format!("{} to link with `link-existing.sh`", n(c.to_link())),
                format!("{} por vincular con `link-existing.sh`", n(c.to_link())),
            ));
        }
        if c.imported_earlier > 0 {
            parts.push(lang.pick(
                format!("{} imported by an earlier run", n(c.imported_earlier)),
                format!(
                    "{} {} en una ejecución anterior",
                    n(c.imported_earlier),
                    plural(c.imported_earlier, "importado", "importados")
                ),
            ));
        }
        line(lang.pick(
            format!(
                "- Already in production: **{}** (not in `users.json`: {}); see section 5.",
                n(c.already_in_production),
                parts.join(", ")
            ),
            format!(
                "- Ya en producción: **{}** (no {} en `users.json`: {}); mira la sección 5.",
                n(c.already_in_production),
                plural(c.already_in_production, "está", "están"),
                parts.join(", ")
            ),
        ));
    }
    line(lang.pick(
        format!(
            "- Warnings: {}. Every problem, row by row, is in `report.json`.",
            n(c.warnings)
        ),
        format!(
            "- Avisos: {}. Cada problema, fila a fila, está en `report.json`.",
            n(c.warnings)
        ),
    ));
    line(lang.pick(
        format!("- Users without a password: {} (they sign in with OAuth or an email code, or reset their password).", n(c.users_without_password)),
        format!("- Usuarios sin contraseña: {} (entran con OAuth o un código por correo, o restablecen la contraseña).", n(c.users_without_password)),
    ));
    line(lang.pick(
        format!(
            "- Users with an authenticator app: {}; with unverified addresses: {}.",
            n(c.users_with_totp),
            n(c.users_with_unverified_addresses)
        ),
        format!(
            "- Usuarios con app de autenticación: {}; con direcciones sin verificar: {}.",
            n(c.users_with_totp),
            n(c.users_with_unverified_addresses)
        ),
    ));
    if c.users_with_unverified_addresses > 0 {
        let count = n(c.users_with_unverified_addresses);
        line(if options.keep_unverified {
            lang.pick(
                format!("- Unverified addresses are kept, as asked ({count} {}). Clerk's migration tool cannot keep them unverified: when a user has no verified address of a kind, it creates the first unverified one **verified** (`unverified_made_verified` in `report.json`), and it adds the others with no verified flag, so they take Clerk's default state (`unverified_kept`). Its pre-check also counts a user with only unverified addresses as having no identifier: it says such users will be skipped, imports them all the same, and refuses a file made of nothing else.", plural(c.users_with_unverified_addresses, "user", "users")),
                format!("- Se conservan las direcciones sin verificar, como pediste ({count} {}). La herramienta de migración de Clerk no puede mantenerlas sin verificar: si un usuario no tiene ninguna dirección verificada de un tipo, crea la primera sin verificar como **verificada** (`unverified_made_verified` en `report.json`), y añade las demás sin indicador de verificación, con el estado por defecto de Clerk (`unverified_kept`). Su comprobación previa cuenta además a un usuario con solo direcciones sin verificar como sin identificador: dice que se omitirán, los importa igualmente, y rechaza un archivo que solo tenga usuarios así.", plural(c.users_with_unverified_addresses, "usuario", "usuarios")),
            )
        } else {
            lang.pick(
                format!("- {count} {} addresses never verified in development. They are not in `users.json` (each named in `report.json` as `unverified_left_out`; a user with nothing else is rejected as `only_unverified_identifiers`): the migration tool would create the first of them verified. The users can add them again in production.", plural(c.users_with_unverified_addresses, "user has", "users have")),
                format!("- {count} {} direcciones que nunca se verificaron en desarrollo. No están en `users.json` (cada una consta en `report.json` como `unverified_left_out`; un usuario sin nada más se rechaza como `only_unverified_identifiers`): la herramienta de migración crearía la primera como verificada. Los usuarios pueden volver a añadirlas en producción.", plural(c.users_with_unverified_addresses, "usuario tiene", "usuarios tienen")),
            )
        });
    }
    line(String::new());
    line(if c.is_clean() && c.already_in_production > 0 {
        lang.pick(
            format!("No row was rejected; {} left out of `users.json`, so the import should finish with zero failures.", plural(c.already_in_production, "1 user already in production is".to_string(), format!("{} users already in production are", n(c.already_in_production)))),
            format!("No se rechazó ninguna fila; {} fuera de `users.json`, así que la importación debería terminar sin ningún fallo.", plural(c.already_in_production, "1 usuario que ya está en producción queda".to_string(), format!("{} usuarios que ya están en producción quedan", n(c.already_in_production)))),
        )
    } else if c.is_clean() {
        t(
            "Every row was accepted: the import should finish with zero failures.",
            "Se aceptaron todas las filas: la importación debería terminar sin ningún fallo.",
        )
    } else {
        lang.pick(
            plural(
                c.rejected,
                "**1 row was rejected** and is not in `users.json`; see section 6.".to_string(),
                format!(
                    "**{} rows were rejected** and are not in `users.json`; see section 6.",
                    n(c.rejected)
                ),
            ),
            plural(
                c.rejected,
                "**Se rechazó 1 fila**, que no está en `users.json`; mira la sección 6."
                    .to_string(),
                format!(
                    "**Se rechazaron {} filas**, que no están en `users.json`; mira la sección 6.",
                    n(c.rejected)
                ),
            ),
        )
    });
    line(String::new());

    line(t("## 2. Before you start", "## 2. Antes de empezar"));
    line(String::new());
    line(t("- [ ] The production instance exists and has the same sign-in options as development (email, phone, username, password, OAuth providers).",
           "- [ ] La instancia de producción existe y tiene las mismas opciones de inicio de sesión que desarrollo (correo, teléfono, nombre de usuario, contraseña, proveedores OAuth)."));
    line(t("- [ ] Each OAuth provider in production has its own credentials (development's shared credentials do not carry over).",
           "- [ ] Cada proveedor OAuth de producción tiene sus propias credenciales (las compartidas de desarrollo no sirven)."));
    line(String::new());

    // What the production instance's own settings do to these users.
    line(t("### Production instance", "### Instancia de producción"));
    line(String::new());
    if options.instance.is_none() {
        line(t(
            "Its settings were not checked: give its environment document (https://<frontend API host>/v1/environment, saved from a browser tab) to find the users it would refuse.",
            "Sus ajustes no se comprobaron: indica su documento de entorno (https://<host de la Frontend API>/v1/environment, guardado desde una pestaña del navegador) para encontrar los usuarios que rechazaría.",
        ));
    } else {
        let affected: Vec<(&str, usize)> = c
            .by_code
            .iter()
            .filter(|(code, _)| code.starts_with("instance_"))
            .map(|(code, count)| (*code, *count))
            .collect();
        if affected.is_empty() {
            line(t(
                "Its settings accept every user here.",
                "Sus ajustes aceptan a todos los usuarios de aquí.",
            ));
        }
        for (code, count) in affected {
            let fix = prepared
                .issues
                .iter()
                .find(|i| i.code.as_str() == code)
                .map(|i| i.fix(lang))
                .unwrap_or_default();
            line(format!("- `{code}`: {} — {fix}", n(count)));
        }
        for notice in prepared.notices.iter().filter(|n| {
            matches!(
                n.code.as_str(),
                "legal_consent_required" | "oauth_providers_in_production"
            )
        }) {
            line(format!(
                "- {} {}",
                md_text(&notice.message(lang)),
                md_text(&notice.fix(lang))
            ));
        }
    }
    line(String::new());

    line(t(
        "## 3. Customise the production session token",
        "## 3. Personaliza el token de sesión de producción",
    ));
    line(String::new());
    line(t("In the Dashboard of the **production** instance: Sessions → Customize session token. Paste (also in `session-claims.json`):",
           "En el Dashboard de la instancia de **producción**: Sessions → Customize session token. Pega (también en `session-claims.json`):"));
    line(String::new());
    line("```json".into());
    line(format!("{{\n  \"{claim}\": \"{CLAIM_TEMPLATE}\"\n}}"));
    line("```".into());
    line(String::new());
    line(lang.pick(
        format!("Every service then reads the id your database knows from `sessionClaims.{claim}`: the dev id for migrated users, the production id for new ones. `auth().userId` is always the **new production id** (`sub`), never the dev one. In TypeScript, declare `interface CustomJwtSessionClaims {{ {claim}?: string }}` in a global `.d.ts`."),
        format!("Así cada servicio lee el id que conoce tu base de datos en `sessionClaims.{claim}`: el id de desarrollo para los usuarios migrados, el de producción para los nuevos. `auth().userId` es siempre el **nuevo id de producción** (`sub`), nunca el de desarrollo. En TypeScript, declara `interface CustomJwtSessionClaims {{ {claim}?: string }}` en un `.d.ts` global."),
    ));
    line(String::new());
    line(t(
        "### Or rewrite the ids once",
        "### O reescribe los ids una vez",
    ));
    line(String::new());
    line(t(
        "Two ways to keep every row of your database with its owner:",
        "Dos maneras de que cada fila de tu base de datos conserve a su dueño:",
    ));
    line(String::new());
    line(t(
        "| | keep the dev ids (this runbook) | rewrite once |\n|---|---|---|",
        "| | conservar los ids de desarrollo (esta guía) | reescribir una vez |\n|---|---|---|",
    ));
    line(lang.pick(
        format!("| your database | unchanged | each dev id replaced by the production id, in one transaction |\n| your services | read `sessionClaims.{claim}`, forever | use the plain production id (`auth().userId`); the claim can go |\n| downtime | none | a maintenance window while the tables are locked |\n| undo | nothing to undo | `remap-undo.sql` puts back the exact ids |"),
        format!("| tu base de datos | sin cambios | cada id de desarrollo sustituido por el de producción, en una transacción |\n| tus servicios | leen `sessionClaims.{claim}`, para siempre | usan el id de producción tal cual (`auth().userId`); el claim puede desaparecer |\n| parada | ninguna | una ventana de mantenimiento mientras las tablas están bloqueadas |\n| deshacer | nada que deshacer | `remap-undo.sql` devuelve los ids exactos |"),
    ));
    line(String::new());
    line(t("To rewrite, after the import: `clerk-dev2prod reconcile … --database-url \"$DATABASE_URL\"` writes `id-map.csv` (each dev id and its production id); `clerk-dev2prod remap --map id-map.csv --db-column table.column … --database-url \"$DATABASE_URL\"` writes `remap.sql` and `remap-undo.sql` and tries them, rolling back, printing per table the rows that would change; add `--apply` to commit. Rows of users who were not migrated are never touched, and are listed.",
           "Para reescribir, después de importar: `clerk-dev2prod reconcile … --database-url \"$DATABASE_URL\"` escribe `id-map.csv` (cada id de desarrollo y su id de producción); `clerk-dev2prod remap --map id-map.csv --db-column tabla.columna … --database-url \"$DATABASE_URL\"` escribe `remap.sql` y `remap-undo.sql` y los prueba deshaciendo los cambios, mostrando por tabla las filas que cambiarían; añade `--apply` para confirmarlo. Las filas de usuarios que no se migraron nunca se tocan, y se listan."));
    line(String::new());

    if let Some(scan) = &options.code_scan {
        for text in crate::core::checks::code_scan::runbook_lines(scan, lang) {
            line(text);
        }
    }

    line(t(
        "## 4. Switch every service to the production keys",
        "## 4. Cambia cada servicio a las claves de producción",
    ));
    line(String::new());
    line(t("Replace `pk_test_` with `pk_live_` and `sk_test_` with `sk_live_` everywhere; one forgotten service breaks sign-in.",
           "Sustituye `pk_test_` por `pk_live_` y `sk_test_` por `sk_live_` en todas partes; un solo servicio olvidado rompe el inicio de sesión."));
    line(String::new());
    if options.key_checklist.is_empty() {
        // No configuration was given: which services to check, never a list of someone
        // else's services as if they were these.
        line(t(
            "Not checked: no service's configuration was given (`--keys`, or the page's step 1), so this runbook cannot list your services. Before the switch, find every place that holds a Clerk key:",
            "Sin comprobar: no se indicó la configuración de ningún servicio (`--keys`, o el paso 1 de la página), así que esta guía no puede listar tus servicios. Antes del cambio, busca cada sitio que tenga una clave de Clerk:",
        ));
        line(String::new());
        line(t(
            "- [ ] Each app that runs in the browser: its publishable key (e.g. `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY`, `VITE_CLERK_PUBLISHABLE_KEY`) becomes a `pk_live_` key.",
            "- [ ] Cada app que se ejecuta en el navegador: su clave publicable (p. ej. `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY`, `VITE_CLERK_PUBLISHABLE_KEY`) pasa a ser una clave `pk_live_`.",
        ));
        line(t(
            "- [ ] Each server, API, worker or function that calls Clerk: `CLERK_SECRET_KEY` becomes an `sk_live_` key, and its `CLERK_PUBLISHABLE_KEY`, if it has one, the `pk_live_` key of the same instance.",
            "- [ ] Cada servidor, API, proceso o función que llama a Clerk: `CLERK_SECRET_KEY` pasa a ser una clave `sk_live_`, y su `CLERK_PUBLISHABLE_KEY`, si la tiene, la clave `pk_live_` de la misma instancia.",
        ));
        line(t(
            "- [ ] Every copy of them: the hosting provider's and the CI's environment settings, secret managers.",
            "- [ ] Cada copia de ellas: la configuración de entorno del proveedor de hosting y de la CI, los gestores de secretos.",
        ));
        line(String::new());
        line(t(
            "Then give each service's `.env`, YAML or JSON to `clerk-dev2prod check-keys`, or prepare again with `--keys`: this section then lists each service with its state.",
            "Después indica el `.env`, YAML o JSON de cada servicio a `clerk-dev2prod check-keys`, o vuelve a preparar con `--keys`: esta sección lista entonces cada servicio con su estado.",
        ));
    } else {
        line(t(
            "As checked with clerk-dev2prod (keys shown nowhere in full):",
            "Según la comprobación de clerk-dev2prod (sin mostrar ninguna clave entera):",
        ));
        line(String::new());
        line(t(
            "| | Service | Variables | State |",
            "| | Servicio | Variables | Estado |",
        ));
        line("|---|---|---|---|".into());
        for check in &options.key_checklist {
            let variables = if check.variables.is_empty() {
                "—".to_string()
            } else {
                let each: Vec<String> = check.variables.iter().map(|v| md_cell_code(v)).collect();
                each.join(", ")
            };
            let (mark, state) = match (check.ready, check.variables.is_empty()) {
                (true, _) => ("[x]", t("live", "producción")),
                (false, true) => ("[ ]", t("no key found", "sin claves")),
                (false, false) => ("[ ]", t("**to fix**", "**por corregir**")),
            };
            line(format!(
                "| {mark} | {} | {variables} | {state} |",
                md_text(&check.service)
            ));
        }
    }
    line(String::new());

    line(t("## 5. Import", "## 5. Importa"));
    line(String::new());
    line(t("In a checkout of Clerk's migration tool (github.com/clerk/migration-tool), after `bun install`:",
           "En una copia de la herramienta de migración de Clerk (github.com/clerk/migration-tool), tras `bun install`:"));
    line(String::new());
    line("```sh".into());
    line(t(
        "echo 'CLERK_SECRET_KEY=sk_live_…' > .env   # the production secret key",
        "echo 'CLERK_SECRET_KEY=sk_live_…' > .env   # la clave secreta de producción",
    ));
    line(t("cp /path/to/users.json .", "cp /ruta/a/users.json ."));
    line("bun migrate -y -t clerk -f users.json".into());
    line("```".into());
    line(String::new());
    let seconds = c
        .api_requests
        .div_ceil(PRODUCTION_REQUESTS_PER_SECOND)
        .max(1);
    line(lang.pick(
        format!("The import makes about {} Backend API requests; at production's limit of 1000 per 10 seconds that is at least {} s.", n(c.api_requests), n(seconds)),
        format!("La importación hace unas {} peticiones a la Backend API; con el límite de producción de 1000 cada 10 segundos son al menos {} s.", n(c.api_requests), n(seconds)),
    ));
    line(t("If the run stops, resume after the last user id the tool logged, written exactly like this (`--resume-after=…` is silently ignored):",
           "Si la ejecución se detiene, reanuda tras el último id que registró la herramienta, escrito exactamente así (`--resume-after=…` se ignora sin avisar):"));
    line(String::new());
    line("```sh".into());
    line("bun migrate -y -t clerk -f users.json --resume-after user_…".into());
    line("```".into());
    line(String::new());
    line(t("The tool creates each user with their first email address and first phone number verified, and adds every further address afterwards with no `verified` flag, so those take Clerk's default state in production, not the export's. After the import, open one migrated user with several addresses in the production Dashboard (Users → the user) and check each address's state.",
           "La herramienta crea cada usuario con su primer correo y su primer teléfono verificados, y añade después cada dirección más sin indicador `verified`, así que esas toman en producción el estado por defecto de Clerk, no el de la exportación. Tras importar, abre en el Dashboard de producción un usuario migrado con varias direcciones (Users → el usuario) y comprueba el estado de cada una."));
    line(String::new());
    line(t("`users.csv` holds the same users as a clean Dashboard CSV, for Clerk's CLI (`clerk migrate import users.csv --source clerk`, in a release of `clerk` that has the migrate command) and other importers that read Clerk's export. It has no metadata or backup codes: the Dashboard's 13 columns carry none.",
           "`users.csv` tiene los mismos usuarios como un CSV limpio del Dashboard, para la CLI de Clerk (`clerk migrate import users.csv --source clerk`, en una versión de `clerk` que tenga el comando migrate) y otros importadores que leen la exportación de Clerk. No lleva metadatos ni códigos de respaldo: las 13 columnas del Dashboard no los tienen."));
    if c.users_csv_only > 0 {
        line(String::new());
        line(lang.pick(
            plural(c.users_csv_only,
                "**1 user is only in `users.csv`**: their password hasher (`phpass`) is one Clerk accepts but the migration tool does not, and one such user in `users.json` aborts the tool's whole run. Import them with Clerk's CLI from `users.csv`, or clear the digest in `rejected.csv` (the user resets the password) and prepare it again.".to_string(),
                format!("**{} users are only in `users.csv`**: their password hasher (`phpass`) is one Clerk accepts but the migration tool does not, and one such user in `users.json` aborts the tool's whole run. Import them with Clerk's CLI from `users.csv`, or clear their digests in `rejected.csv` (the users reset their passwords) and prepare it again.", n(c.users_csv_only))),
            plural(c.users_csv_only,
                "**1 usuario está solo en `users.csv`**: su algoritmo de contraseña (`phpass`) lo acepta Clerk pero no la herramienta de migración, y un solo usuario así en `users.json` aborta toda la ejecución. Impórtalo con la CLI de Clerk desde `users.csv`, o vacía el resumen en `rejected.csv` (el usuario restablece la contraseña) y vuelve a prepararlo.".to_string(),
                format!("**{} usuarios están solo en `users.csv`**: su algoritmo de contraseña (`phpass`) lo acepta Clerk pero no la herramienta de migración, y un solo usuario así en `users.json` aborta toda la ejecución. Impórtalos con la CLI de Clerk desde `users.csv`, o vacía sus resúmenes en `rejected.csv` (los usuarios restablecen la contraseña) y vuelve a prepararlo.", n(c.users_csv_only))),
        ));
    }
    line(String::new());

    line(existing_users(prepared, options));
    line(String::new());

    line(t("## 6. Rejected rows", "## 6. Filas rechazadas"));
    line(String::new());
    if c.rejected == 0 {
        line(t("None.", "Ninguna."));
    } else {
        line(t(
            "Each rejected row, counted once under its first reason:",
            "Cada fila rechazada, contada una vez por su primer motivo:",
        ));
        line(String::new());
        for (code, count) in &c.rejected_by_first_reason {
            line(format!("- `{code}`: {}", n(*count)));
        }
        line(String::new());
        line(t("Fix the cells in `rejected.csv` (its `problems` column says what to do), then prepare it again: the `row` and `problems` columns are ignored. Import the new `users.json` the same way.",
               "Corrige las celdas de `rejected.csv` (su columna `problems` dice qué hacer) y vuelve a prepararlo: las columnas `row` y `problems` se ignoran. Importa el nuevo `users.json` igual."));
    }
    line(String::new());

    line(t(
        "## 7. Users without a password",
        "## 7. Usuarios sin contraseña",
    ));
    line(String::new());
    let without = c.users_without_password;
    line(lang.pick(
        format!("{} created without a password. OAuth connections cannot be imported: when such a user signs in with the same provider in production, Clerk links the account through the verified email. Others use an email code or reset their password.", plural(without, "1 user is".to_string(), format!("{} users are", n(without)))),
        format!("{} sin contraseña. Las conexiones OAuth no se pueden importar: cuando uno de ellos entra con el mismo proveedor en producción, Clerk enlaza la cuenta por el correo verificado. Los demás usan un código por correo o restablecen la contraseña.", plural(without, "1 usuario se crea".to_string(), format!("{} usuarios se crean", n(without)))),
    ));
    line(String::new());

    line(t("## 8. After the import", "## 8. Después de importar"));
    line(String::new());
    line(lang.pick(
        plural(
            c.accepted,
            "- [ ] The production Dashboard shows 1 more user.".to_string(),
            format!(
                "- [ ] The production Dashboard shows {} more users.",
                n(c.accepted)
            ),
        ),
        plural(
            c.accepted,
            "- [ ] El Dashboard de producción muestra 1 usuario más.".to_string(),
            format!(
                "- [ ] El Dashboard de producción muestra {} usuarios más.",
                n(c.accepted)
            ),
        ),
    ));
    line(lang.pick(
        format!("- [ ] Sign in as a migrated user and check that your services receive the dev id in `sessionClaims.{claim}`."),
        format!("- [ ] Inicia sesión como un usuario migrado y comprueba que tus servicios reciben el id de desarrollo en `sessionClaims.{claim}`."),
    ));
    line(t("- [ ] **Delete** `users.json`, `users.csv`, `rejected.csv`, `report.json` and the export itself: they hold password digests and TOTP secrets.",
           "- [ ] **Borra** `users.json`, `users.csv`, `rejected.csv`, `report.json` y la propia exportación: contienen resúmenes de contraseñas y secretos TOTP."));
    md
}

/// The import step's part about people who already have a production account, without
/// its last line break.
fn existing_users(prepared: &Prepared, options: &PrepareOptions) -> String {
    let lang = options.lang;
    let c = &prepared.counts;
    let n = |x: usize| group_digits(lang, x);
    let mut md = String::new();
    let mut line = |text: String| {
        md.push_str(&text);
        md.push('\n');
    };
    line(
        lang.pick(
            "### Users already in production",
            "### Usuarios que ya están en producción",
        )
        .into(),
    );
    line(String::new());
    if options.production.is_none() {
        line(lang.pick(
            "Not checked: no export of the production instance was given (`--production-users`, or the page's production step). Anyone who signed in to production before the import (the team while setting it up, early users, \"Sign in with Google\") has a production account with a new id and no `external_id`: their import fails (the email is taken), and the session claim keeps giving them the new id, so their dev data stays invisible. Export the production users just before the import and prepare again with them.",
            "Sin comprobar: no se indicó una exportación de la instancia de producción (`--production-users`, o el paso de producción de la página). Quien haya entrado en producción antes de importar (el equipo al configurarla, los primeros usuarios, \"Sign in with Google\") tiene una cuenta de producción con un id nuevo y sin `external_id`: su importación falla (el correo ya existe) y el claim de sesión le sigue dando el id nuevo, así que sus datos de desarrollo quedan invisibles. Exporta los usuarios de producción justo antes de importar y vuelve a preparar con ellos.",
        ).into());
        md.pop();
        return md;
    }
    if c.already_in_production == 0 {
        line(lang.pick(
            "Checked against the production export given: none of these users exists there yet.",
            "Comprobado con la exportación de producción indicada: ninguno de estos usuarios existe aún allí.",
        ).into());
        md.pop();
        return md;
    }
    if c.imported_earlier > 0 {
        line(lang.pick(
            plural(c.imported_earlier,
                "- 1 user was imported by an earlier run (its production account already has the dev id as `external_id`): left out, so running the import again cannot fail on it.".to_string(),
                format!("- {} users were imported by an earlier run (their production accounts already have the dev id as `external_id`): left out, so running the import again cannot fail on them.", n(c.imported_earlier))),
            plural(c.imported_earlier,
                "- 1 usuario se importó en una ejecución anterior (su cuenta de producción ya tiene el id de desarrollo como `external_id`): se deja fuera para que repetir la importación no falle con él.".to_string(),
                format!("- {} usuarios se importaron en una ejecución anterior (sus cuentas de producción ya tienen el id de desarrollo como `external_id`): se dejan fuera para que repetir la importación no falle con ellos.", n(c.imported_earlier))),
        ));
    }
    let to_link = c.to_link();
    if to_link > 0 {
        line(lang.pick(
            format!("- {} already {} a production account (listed in `link-existing.csv`, each with what matched): not in `users.json`, since creating them would fail. After the import, link them:", plural(to_link, "1 person".to_string(), format!("{} people", n(to_link))), plural(to_link, "has", "have")),
            format!("- {} ya {} cuenta de producción (en `link-existing.csv`, cada una con lo que coincidió): no están en `users.json`, porque crearlas fallaría. Tras la importación, vincúlalas:", plural(to_link, "1 persona".to_string(), format!("{} personas", n(to_link))), plural(to_link, "tiene", "tienen")),
        ));
        line(String::new());
        line("```sh".into());
        line("CLERK_SECRET_KEY=sk_live_… sh link-existing.sh".into());
        line("```".into());
        line(String::new());
        line(lang.pick(
            "It sets each account's `external_id` to the dev id (one `PATCH /v1/users/<id>` each, safe to run twice; the key is read from the environment and never written down). From then on their session claim carries the dev id, so their dev data is theirs again, and whatever they wrote in production under their new id must move to the dev id too: `link-existing.sql` does that in one transaction (name each of your tables in it first; it counts the rows before moving them).",
            "Pone el id de desarrollo como `external_id` de cada cuenta (un `PATCH /v1/users/<id>` por cuenta, se puede repetir; la clave se lee del entorno y nunca se escribe). Desde entonces su claim de sesión lleva el id de desarrollo, así que sus datos de desarrollo vuelven a ser suyos, y lo que escribieran en producción con su id nuevo debe pasar también al id de desarrollo: `link-existing.sql` lo hace en una transacción (escribe antes en él cada una de tus tablas; cuenta las filas antes de moverlas).",
        ).into());
    }
    md.pop();
    md
}
