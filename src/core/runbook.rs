//! `MIGRATION.md`: the runbook for this exact dataset, in English or Spanish.

use crate::core::claims::CLAIM_TEMPLATE;
use crate::core::escape::{md_cell_code, md_code, md_text};
use crate::core::lang::group_digits;
use crate::core::prepare::{PrepareOptions, Prepared};

/// The services a typical Clerk app has, and the key variables each one reads.
const SERVICES: [(&str, &str, &str); 4] = [
    (
        "Frontend (Next.js)",
        "Frontend (Next.js)",
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
    ),
    (
        "API gateway",
        "Pasarela de API",
        "CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY",
    ),
    (
        "WebSocket servers",
        "Servidores WebSocket",
        "CLERK_PUBLISHABLE_KEY",
    ),
    ("Chat service", "Servicio de chat", "CLERK_SECRET_KEY"),
];

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
    line(String::new());
    line(if c.is_clean() {
        t(
            "Every row was accepted: the import should finish with zero failures.",
            "Se aceptaron todas las filas: la importación debería terminar sin ningún fallo.",
        )
    } else {
        lang.pick(
            format!(
                "**{} rows were rejected** and are not in `users.json`; see section 6.",
                n(c.rejected)
            ),
            format!(
                "**Se rechazaron {} filas**, que no están en `users.json`; mira la sección 6.",
                n(c.rejected)
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
    line(t("- [ ] A current release of Clerk's migration tool: releases up to spring 2026 import unverified addresses as verified.",
           "- [ ] Una versión actual de la herramienta de migración de Clerk: las versiones hasta la primavera de 2026 importan como verificadas las direcciones sin verificar."));
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
        "## 4. Switch every service to the production keys",
        "## 4. Cambia cada servicio a las claves de producción",
    ));
    line(String::new());
    line(t("Replace `pk_test_` with `pk_live_` and `sk_test_` with `sk_live_` everywhere; one forgotten service breaks sign-in.",
           "Sustituye `pk_test_` por `pk_live_` y `sk_test_` por `sk_live_` en todas partes; un solo servicio olvidado rompe el inicio de sesión."));
    line(String::new());
    if options.key_checklist.is_empty() {
        line(t("| | Service | Variables |", "| | Servicio | Variables |"));
        line("|---|---|---|".into());
        for (en, es, vars) in SERVICES {
            line(format!(
                "| [ ] | {} | `{}` |",
                lang.pick(en, es),
                vars.replace(", ", "`, `")
            ));
        }
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
    line(lang.pick(
        format!("{} users are created without a password. OAuth connections cannot be imported: when such a user signs in with the same provider in production, Clerk links the account through the verified email. Others use an email code or reset their password.", n(c.users_without_password)),
        format!("{} usuarios se crean sin contraseña. Las conexiones OAuth no se pueden importar: cuando uno de ellos entra con el mismo proveedor en producción, Clerk enlaza la cuenta por el correo verificado. Los demás usan un código por correo o restablecen la contraseña.", n(c.users_without_password)),
    ));
    line(String::new());

    line(t("## 8. After the import", "## 8. Después de importar"));
    line(String::new());
    line(lang.pick(
        format!(
            "- [ ] The production Dashboard shows {} more users.",
            n(c.accepted)
        ),
        format!(
            "- [ ] El Dashboard de producción muestra {} usuarios más.",
            n(c.accepted)
        ),
    ));
    line(lang.pick(
        format!("- [ ] Sign in as a migrated user and check that your services receive the dev id in `sessionClaims.{claim}`."),
        format!("- [ ] Inicia sesión como un usuario migrado y comprueba que tus servicios reciben el id de desarrollo en `sessionClaims.{claim}`."),
    ));
    line(t("- [ ] **Delete** `users.json`, `rejected.csv`, `report.json` and the export itself: they hold password digests and TOTP secrets.",
           "- [ ] **Borra** `users.json`, `rejected.csv`, `report.json` y la propia exportación: contienen resúmenes de contraseñas y secretos TOTP."));
    md
}
