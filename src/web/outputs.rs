//! What the user takes away: the claims step and the files, every byte made by the core.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};
use yew::prelude::*;

use super::i18n::{text, Lang};
use super::state::{Action, Shared};
use crate::core::bundle::{zip_files, ZIP_NAME};
use crate::core::claims::{session_claims_json, BadClaimName};
use crate::core::existing::{LINK_EXISTING_CSV, LINK_EXISTING_SH, LINK_EXISTING_SQL};
use crate::core::prepare::{
    Prepared, MIGRATION_MD, REJECTED_CSV, REPORT_JSON, SESSION_CLAIMS_JSON, USERS_CSV, USERS_JSON,
};

/// Hands bytes to the browser as a download; nothing leaves the machine.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let mime = match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        Some("md") => "text/markdown",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser has copied what it needs once the click is handled; release it later so a
    // slow download is never cut short.
    let release = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    web_sys::window()
        .ok_or("no window")?
        .set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 60_000)?;
    Ok(())
}

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub prepared: Shared<Prepared>,
    /// Why the claim name is refused, if it is: the files holding it are disabled.
    #[prop_or_default]
    pub claim_blocked: Option<String>,
    pub lang: Lang,
}

/// The files that embed the claim name.
const HOLD_THE_CLAIM: [&str; 2] = [SESSION_CLAIMS_JSON, MIGRATION_MD];

#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let t = text(props.lang);
    let described = [
        (USERS_JSON, t.file_users),
        (USERS_CSV, t.file_users_csv),
        (REJECTED_CSV, t.file_rejected),
        (REPORT_JSON, t.file_report),
        (SESSION_CLAIMS_JSON, t.file_claims),
        (MIGRATION_MD, t.file_runbook),
        (LINK_EXISTING_CSV, t.file_link_csv),
        (LINK_EXISTING_SH, t.file_link_sh),
        (LINK_EXISTING_SQL, t.file_link_sql),
    ];
    // The link files exist only when production's users were given.
    let described = described
        .into_iter()
        .filter(|(name, _)| props.prepared.file(name).is_some());
    let all = {
        let prepared = props.prepared.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(err) = download(ZIP_NAME, &zip_files(&prepared.files)) {
                web_sys::console::error_1(&err);
            }
        })
    };
    html! {
        <section id="downloads" class="card" aria-labelledby="downloads-heading">
            // The skip link's target: focus lands here, and Tab goes on to the files.
            <h2 id="downloads-heading" tabindex="-1">{ t.downloads_heading }</h2>
            <p class="hint">{ t.downloads_intro }</p>
            if let Some(why) = &props.claim_blocked {
                <p id="downloads-claim-blocked" class="error" role="alert">{ format!("{} {why}", t.claim_blocks_downloads) }</p>
            }
            <p><button type="button" class="download primary" id="download-zip" onclick={all}
                       disabled={props.claim_blocked.is_some()}
                       aria-describedby={props.claim_blocked.is_some().then_some("downloads-claim-blocked")}>{ t.download_all }</button></p>
            <ul class="downloads">
                { for described.map(|(name, what)| {
                    let prepared = props.prepared.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if let Some(file) = prepared.file(name) {
                            if let Err(err) = download(name, &file.bytes) {
                                web_sys::console::error_1(&err);
                            }
                        }
                    });
                    let size = props.prepared.file(name).map_or(0, |f| f.bytes.len());
                    let blocked = props.claim_blocked.is_some() && HOLD_THE_CLAIM.contains(&name);
                    html! {
                        <li>
                            <button type="button" class="download" id={format!("download-{}", name.replace('.', "-"))}
                                    disabled={blocked}
                                    aria-describedby={blocked.then_some("downloads-claim-blocked")}
                                    data-size={size.to_string()} {onclick}>{ name }</button>
                            { format!(" — {what} ({size} B)") }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClaimStepProps {
    pub claim_name: String,
    pub error: Option<BadClaimName>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

#[function_component(ClaimStep)]
pub fn claim_step(props: &ClaimStepProps) -> Html {
    let t = text(props.lang);
    let copied = use_state_eq(|| false);
    // "Copied" is about the snippet as it was: another name is not copied yet.
    {
        let copied = copied.clone();
        use_effect_with(props.claim_name.clone(), move |_| copied.set(false));
    }
    // A refused name gives no snippet at all: never a silent userId in its place.
    let valid = props.error.is_none();
    let snippet = if valid {
        session_claims_json(&props.claim_name)
    } else {
        String::new()
    };
    let name = props.claim_name.as_str();
    let dispatch = props.dispatch.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            dispatch.emit(Action::SetClaimName(input.value()));
        }
    });
    let on_copy = {
        let snippet = snippet.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&snippet);
                copied.set(true);
            }
        })
    };
    let typescript = format!("// types/globals.d.ts\nexport {{}};\ndeclare global {{\n  interface CustomJwtSessionClaims {{\n    {name}?: string;\n  }}\n}}");
    let node = format!("// Next.js route handler\nimport {{ auth }} from '@clerk/nextjs/server';\n\nexport async function GET() {{\n  const {{ sessionClaims }} = await auth();\n  const userId = sessionClaims?.{name}; // the dev id your database knows\n  // not auth().userId: that is the new production id\n}}");
    let python = format!("# pip install pyjwt[crypto]\nimport jwt\n\njwks = jwt.PyJWKClient(\"https://<your frontend API host>/.well-known/jwks.json\")\nkey = jwks.get_signing_key_from_jwt(token).key\nclaims = jwt.decode(token, key, algorithms=[\"RS256\"])\nuser_id = claims[\"{name}\"]  # the dev id; claims[\"sub\"] is the production id");
    html! {
        <section class="card" aria-labelledby="claims-heading">
            <h2 id="claims-heading">{ t.claims_heading }</h2>
            <p>{ t.claims_intro }</p>
            if valid {
                <pre id="claims-snippet" class="code">{ snippet.clone() }</pre>
            } else {
                <p id="claims-snippet" class="code disabled" aria-disabled="true" data-disabled="true">
                    { format!("{} {}", t.claim_snippet_disabled, props.error.as_ref().map(|e| e.message(props.lang)).unwrap_or_default()) }
                </p>
            }
            <div class="row">
                <button type="button" id="copy-claims" onclick={on_copy} disabled={!valid}
                        aria-describedby={(!valid).then_some("claim-error")}>{ if *copied { t.copied } else { t.copy } }</button>
                <label>{ t.claim_name }{ " " }
                    <input id="claim-name" type="text" value={props.claim_name.clone()} {oninput}
                           aria-invalid={props.error.is_some().to_string()}
                           aria-describedby="claim-error" spellcheck="false" />
                </label>
            </div>
            <p id="claim-error" class="error" role="alert">
                { props.error.as_ref().map(|e| e.message(props.lang)).unwrap_or_default() }
            </p>
            <p class="warning">{ t.claims_warning }</p>
            <details hidden={!valid}>
                <summary>{ "TypeScript · Next.js · Python" }</summary>
                <pre class="code">{ typescript }</pre>
                <pre class="code">{ node }</pre>
                <pre class="code">{ python }</pre>
            </details>
        </section>
    }
}
