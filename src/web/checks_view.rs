//! The checks after the claim step: a production session token verified against the saved
//! public keys, and the services' code scanned for reads of the production id. The token is
//! a credential: read from a masked field that is emptied at once, kept nowhere, and shown
//! only as its mask. Results live in this step alone and go with a reload.

use wasm_bindgen::JsCast;
use web_sys::{File, FileList, HtmlInputElement};
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::Lang;
use super::state::Shared;
use crate::core::checks::code_scan::{
    scan, skipped_dir, CodeScan, Language, SourceFile, MAX_FILE_BYTES,
};
use crate::core::checks::token::{check_token, dev_ids, jwks_url, TokenInput, TokenReport};

#[derive(Properties, PartialEq)]
pub struct ChecksStepProps {
    pub claim_name: String,
    /// The production Frontend API host, from a live publishable key the key step found.
    pub host: Option<String>,
    /// The loaded dev export, whose ids the claim must be one of.
    pub export: Option<Shared<Vec<u8>>>,
    pub lang: Lang,
}

/// A file's path inside the folder picked or dropped (`web/app/route.ts`).
fn relative_path(file: &File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name())
}

/// The services' files from a folder: the first folder of each path is the service; skipped
/// folders and files of other languages are never read.
fn read_sources(files: FileList, claim: String, done: Callback<CodeScan>) {
    let wanted: Vec<(String, String, File)> = (0..files.length())
        .filter_map(|i| files.get(i))
        .filter_map(|file| {
            let path = relative_path(&file);
            let parts: Vec<&str> = path.split('/').collect();
            let (service, rest) = match parts.as_slice() {
                [service, rest @ ..] if !rest.is_empty() => (service.to_string(), rest.join("/")),
                _ => ("—".to_string(), path.clone()),
            };
            let skipped = parts[..parts.len() - 1].iter().any(|d| skipped_dir(d));
            let read =
                !skipped && Language::of(&path).is_some() && file.size() <= MAX_FILE_BYTES as f64;
            read.then_some((service, rest, file))
        })
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut sources = Vec::with_capacity(wanted.len());
        for (service, path, file) in wanted {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            sources.push(SourceFile {
                service,
                path,
                text,
            });
        }
        done.emit(scan(&sources, &claim));
    });
}

#[function_component(ChecksStep)]
pub fn checks_step(props: &ChecksStepProps) -> Html {
    let lang = props.lang;
    let p = |en: &'static str, es: &'static str| lang.pick(en, es);
    let token_field = use_node_ref();
    let jwks = use_state(|| None::<(String, Shared<Vec<u8>>)>);
    let report = use_state(|| None::<Result<TokenReport, String>>);
    let code = use_state(|| None::<CodeScan>);

    let on_jwks = {
        let jwks = jwks.clone();
        Callback::from(move |files: FileList| {
            let jwks = jwks.clone();
            read_files(files, move |mut read| {
                if let Some((name, bytes)) = read.pop() {
                    jwks.set(Some((name, Shared(std::rc::Rc::new(bytes)))));
                }
            });
        })
    };
    let check = {
        let (token_field, jwks, report) = (token_field.clone(), jwks.clone(), report.clone());
        let (claim, host, export) = (
            props.claim_name.clone(),
            props.host.clone(),
            props.export.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(field) = token_field.cast::<HtmlInputElement>() else {
                return;
            };
            let mut token = field.value();
            // The credential leaves the page as soon as it is read.
            field.set_value("");
            let Some((_, keys)) = &*jwks else {
                token.clear();
                report.set(Some(Err(lang
                    .pick(
                        "Give the production instance's public keys first: save https://<Frontend API host>/.well-known/jwks.json from a browser tab and choose the file.",
                        "Indica primero las claves públicas de la instancia de producción: guarda https://<host de la Frontend API>/.well-known/jwks.json desde una pestaña del navegador y elige el archivo.",
                    )
                    .to_string())));
                return;
            };
            let ids = export.as_ref().and_then(|bytes| dev_ids(&bytes.0));
            let result = check_token(&TokenInput {
                token: &token,
                jwks: &keys.0,
                claim_name: &claim,
                frontend_api: host.as_deref(),
                dev_ids: ids.as_ref(),
                now: Some((js_sys::Date::now() / 1000.0) as u64),
            });
            token.clear();
            report.set(Some(result.map_err(|e| e.message(lang))));
        })
    };
    let on_code = {
        let (code, claim) = (code.clone(), props.claim_name.clone());
        Callback::from(move |files: FileList| {
            let code = code.clone();
            read_sources(
                files,
                claim.clone(),
                Callback::from(move |scan| code.set(Some(scan))),
            );
        })
    };
    let pick_folder = {
        Callback::from(|_: MouseEvent| {
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("code-input"))
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            {
                input.click();
            }
        })
    };
    let on_code_input = {
        let on_code = on_code.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Some(files) = input.files() {
                    on_code.emit(files);
                }
                input.set_value("");
            }
        })
    };

    let token_result = report.as_ref().map(|result| match result {
        Err(message) => html! { <p id="token-verdict" class="verdict rejected" role="alert">{ message.clone() }</p> },
        Ok(report) => html! {
            <>
                if report.proven() {
                    <p id="token-verdict" class="verdict clean">{ lang.pick(
                        format!("The token proves it: services reading sessionClaims.{} receive the id your database knows.", report.claim_name),
                        format!("El token lo prueba: los servicios que leen sessionClaims.{} reciben el id que conoce tu base de datos.", report.claim_name),
                    ) }</p>
                } else {
                    <p id="token-verdict" class="verdict rejected">{ p("The token does not prove it: fix the failure below, then check a new token.", "El token no lo prueba: corrige el fallo de abajo y comprueba un token nuevo.") }</p>
                }
                <p>{ p("Token checked: ", "Token comprobado: ") }<span id="token-masked" class="mono">{ report.masked.clone() }</span></p>
                <ul id="token-findings" class="notices">
                    { for report.findings.iter().map(|f| html! {
                        <li data-code={f.code.as_str()}>
                            <span class={classes!("badge", if f.code.is_failure() { "error" } else { "ok" })}>{ f.code.as_str() }</span>
                            { " " }{ f.message(lang).to_string() }
                            if let Some(fix) = f.fix(lang) {
                                { " " }<span class="fix">{ fix.to_string() }</span>
                            }
                        </li>
                    }) }
                </ul>
            </>
        },
    });

    let code_result = code.as_ref().map(|scan| {
        let claim = scan.claim_name.clone();
        if scan.files_read() == 0 {
            // A dropped folder arrives as one empty entry: its files come only through the picker.
            return html! { <p id="code-counts" class="verdict rejected" role="alert">{ p(
                "No TypeScript, JavaScript, Python or Go file was read. Choose the folder with the button (a dropped folder's files do not reach the page), or drop the source files themselves.",
                "No se leyó ningún archivo TypeScript, JavaScript, Python ni Go. Elige la carpeta con el botón (los archivos de una carpeta soltada no llegan a la página), o suelta los archivos de código.",
            ) }</p> };
        }
        html! {
            <>
                <p id="code-counts">{ p("Read: ", "Leídos: ") }{ scan.counts(lang) }</p>
                <div class="table-wrap" tabindex="0">
                    <table id="code-table" class="cards">
                        <thead><tr>
                            <th scope="col">{ p("Service", "Servicio") }</th>
                            <th scope="col">{ p("File and line", "Archivo y línea") }</th>
                            <th scope="col">{ p("Reads", "Lee") }</th>
                            <th scope="col">{ p("Why", "Por qué") }</th>
                            <th scope="col">{ p("Write instead", "Escribe en su lugar") }</th>
                        </tr></thead>
                        <tbody>
                            { for scan.services.iter().flat_map(|s| s.reads.iter().chain(&s.claim_reads).map(move |f| (s.service.clone(), f))).map(|(service, f)| html! {
                                <tr data-kind={format!("{:?}", f.kind)}>
                                    <td data-label={p("Service", "Servicio")}>{ service }</td>
                                    <td data-label={p("File and line", "Archivo y línea")} class="mono">{ format!("{}:{}", f.path, f.line) }</td>
                                    <td data-label={p("Reads", "Lee")} class="mono">{ f.expression.clone() }</td>
                                    <td data-label={p("Why", "Por qué")}>{ f.why(lang, &claim) }</td>
                                    <td data-label={p("Write instead", "Escribe en su lugar")} class="mono">{ f.replacement(&claim) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="fix">{ CodeScan::limits(lang) }</p>
            </>
        }
    });

    html! {
        <section class="card" aria-labelledby="checks-heading">
            <h2 id="checks-heading">{ p("Prove your services receive the dev id", "Comprueba que tus servicios reciben el id de desarrollo") }</h2>
            <h3>{ p("A production session token", "Un token de sesión de producción") }</h3>
            <p>{ p(
                "Sign in to the production app as a migrated user and copy the __session cookie (or the value of await getToken()). It is checked here, against the instance's public keys, and never kept or sent.",
                "Inicia sesión en la app de producción como un usuario migrado y copia la cookie __session (o el valor de await getToken()). Se comprueba aquí, con las claves públicas de la instancia, y nunca se guarda ni se envía.",
            ) }</p>
            <p>
                { p("Public keys: ", "Claves públicas: ") }
                <span class="mono">{ props.host.as_deref().map_or_else(|| "https://<Frontend API host>/.well-known/jwks.json".to_string(), jwks_url) }</span>
                { " " }
                <SmallDrop id="jwks-drop" label={p("Drop the JWKS file here", "Suelta aquí el archivo JWKS")} on_files={on_jwks.clone()}>
                    <FilePicker input_id="jwks-input" button_id="jwks-choose" label={p("choose the JWKS file", "elige el archivo JWKS")}
                                multiple={false} accept=".json,application/json" on_files={on_jwks} />
                    { " " }<span id="jwks-name">{ jwks.as_ref().map(|(name, _)| name.clone()).unwrap_or_default() }</span>
                </SmallDrop>
            </p>
            <p class="paste">
                <label>{ p("Session token ", "Token de sesión ") }
                    <input ref={token_field} id="token-input" type="password" autocomplete="off" spellcheck="false" />
                </label>
                { " " }<button type="button" id="token-check" onclick={check}>{ p("Check the token", "Comprobar el token") }</button>
            </p>
            { for token_result }
            <h3>{ p("The services' code", "El código de los servicios") }</h3>
            <p>{ p(
                "Give the folder that holds your services (each subfolder is a service): TypeScript, JavaScript, Python and Go are read here for reads of the production id; node_modules, .git, build output and virtual environments are skipped.",
                "Indica la carpeta que contiene tus servicios (cada subcarpeta es un servicio): se leen aquí TypeScript, JavaScript, Python y Go buscando lecturas del id de producción; se omiten node_modules, .git, la salida de compilación y los entornos virtuales.",
            ) }</p>
            <SmallDrop id="code-drop" label={p("Drop source files here", "Suelta aquí los archivos de código")} on_files={on_code}>
                <button type="button" id="code-choose" class="link-button" onclick={pick_folder}>{ p("choose a folder", "elige una carpeta") }</button>
                <input id="code-input" type="file" hidden=true tabindex="-1" multiple=true webkitdirectory=true onchange={on_code_input} />
            </SmallDrop>
            { for code_result }
        </section>
    }
}
