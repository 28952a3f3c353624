//! The privacy panel: the policy the page runs under, read from the page itself, and how
//! many network requests it has made.

use wasm_bindgen::JsCast;
use web_sys::HtmlMetaElement;
use yew::prelude::*;

use super::i18n::{text, Lang};

/// The Content-Security-Policy in the page's `<meta>`, if it carries one.
fn meta_policy() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector("meta[http-equiv='Content-Security-Policy']")
        .ok()??;
    Some(meta.dyn_into::<HtmlMetaElement>().ok()?.content())
}

/// Resources fetched since the page opened (the Resource Timing API lists every one). Nothing
/// the page does after loading fetches anything, so reading it at render time is enough.
fn requests_made() -> usize {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0, |p| p.get_entries_by_type("resource").length() as usize)
}

/// The tag or commit the page was built from (set by `cargo xtask dist` from git), so a
/// downloaded file can be matched to its release and rebuilt to compare.
pub const BUILT_FROM: &str = match option_env!("CLERK_DEV2PROD_BUILD") {
    Some(version) => version,
    None => "unknown",
};

#[derive(Properties, PartialEq)]
pub struct PrivacyProps {
    pub lang: Lang,
}

#[function_component(PrivacyPanel)]
pub fn privacy_panel(props: &PrivacyProps) -> Html {
    let t = text(props.lang);
    let policy = meta_policy();
    html! {
        <section class="card privacy" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{ t.privacy_heading }</h2>
            if let Some(policy) = policy {
                <p>{ t.privacy_policy }</p>
                <pre id="privacy-policy" class="code">{ policy.replace("; ", ";\n") }</pre>
            } else {
                <p>{ t.privacy_header_policy }</p>
            }
            <p id="privacy-requests" data-count={requests_made().to_string()}>{ t.requests_made(props.lang, requests_made()) }</p>
            <p id="privacy-version">{ t.built_from }{ " " }<code>{ BUILT_FROM }</code></p>
            <p class="hint">{ t.privacy_check }</p>
        </section>
    }
}
