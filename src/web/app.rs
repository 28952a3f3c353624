//! The page's frame: header, language switch, drop zone, and the steps that follow a drop.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::File;
use yew::prelude::*;

use super::drop_zone::{DropZone, PageDropTarget};
use super::i18n::{browser_lang, text, Lang};
use super::outputs::{ClaimStep, Downloads};
use super::privacy::PrivacyPanel;
use super::report_view::{IssueTable, RowDetail, Summary, UnverifiedChoice};
use std::cell::Cell;

use crate::core::keys::{Instance, KeyKind};
use std::rc::Rc;

use super::checks_view::ChecksStep;
use super::existing_view::ExistingStep;
use super::instance_view::InstanceStep;
use super::job;
use super::keys_view::KeysStep;
use super::state::{Action, AppState, Input, Shared};
use super::verify_view::VerifyStep;
use crate::core::claims::DEFAULT_CLAIM;

/// Reads a file's bytes without blocking the page.
async fn read_bytes(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(browser_lang()));
    let lang = state.lang;
    let t = text(lang);

    // The document's language follows the page's, for screen readers and hyphenation.
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
    });

    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };

    // One engine run per request (file, language, claim name); a newer request cancels it.
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.request(), move |request| {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(request) = request.clone() {
                spawn_local(job::run(request, dispatch, cancelled.clone()));
            }
            move || cancelled.set(true)
        });
    }
    let on_file = {
        let state = state.clone();
        Callback::from(move |file: File| {
            let name = file.name();
            state.dispatch(Action::Reading { name: name.clone() });
            let state = state.clone();
            spawn_local(async move {
                match read_bytes(&file).await {
                    Ok(bytes) => state.dispatch(Action::Read { name, bytes }),
                    Err(detail) => state.dispatch(Action::ReadFailed { name, detail }),
                }
            });
        })
    };

    let on_sample = {
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(Action::Read {
                name: crate::core::synth::SAMPLE_NAME.into(),
                bytes: crate::core::synth::SAMPLE_EXPORT.to_vec(),
            })
        })
    };

    let (status, results) = match &state.input {
        Input::Empty => (html! {}, html! {}),
        Input::Reading { name } => (
            html! { <p>{ format!("{} {name}…", t.reading) }</p> },
            html! {},
        ),
        Input::Loaded(loaded) => {
            let stats = html! {
                <p id="file-stats" data-bytes={loaded.stats.bytes.to_string()}
                   data-lines={loaded.stats.lines.to_string()}>
                    { t.read_summary(lang, &loaded.name, loaded.stats.bytes, loaded.stats.lines) }
                </p>
            };
            let working = loaded.progress.map(|fraction| {
                html! {
                    <div class="progress">
                        <label for="progress">{ t.checking }</label>
                        <progress id="progress" max="1" value={fraction.to_string()}>
                            { format!("{:.0} %", fraction * 100.0) }
                        </progress>
                        <span>{ format!("{:.0} %", fraction * 100.0) }</span>
                    </div>
                }
            });
            let status = html! { <>{ stats }{ for working }</> };
            match &loaded.outcome {
                None => (status, html! {}),
                Some(Err(err)) => (
                    html! { <>{ status }<p id="input-error" class="error" role="alert">{ err.message(lang) }</p></> },
                    html! {},
                ),
                Some(Ok(prepared)) => {
                    let prepared: Shared<_> = prepared.clone();
                    (
                        status,
                        html! {
                            <>
                                <Summary prepared={prepared.clone()} {lang} />
                                if prepared.counts.users_with_unverified_addresses > 0 || state.keep_unverified {
                                    <UnverifiedChoice keep={state.keep_unverified} {lang} dispatch={dispatch.clone()} />
                                }
                                <IssueTable prepared={prepared.clone()} filter={state.filter.clone()} {lang} dispatch={dispatch.clone()} />
                                if let Some(line) = state.selected {
                                    <RowDetail bytes={loaded.bytes.clone()} {line} keep_unverified={state.keep_unverified} {lang} dispatch={dispatch.clone()} />
                                }
                                <ClaimStep claim_name={state.claim_name.clone()} error={state.claim_error.clone()} {lang} dispatch={dispatch.clone()} />
                                <Downloads {prepared} {lang} />
                            </>
                        },
                    )
                }
            }
        }
        Input::Failed { name, detail } => (
            html! { <p class="error" role="alert">{ format!("{name}: {} ({detail})", t.read_failed) }</p> },
            html! {},
        ),
    };

    // The production Frontend API host, from a live publishable key the key step found.
    let production_host = state.key_report.as_ref().and_then(|report| {
        report
            .keys
            .iter()
            .find(|k| {
                k.kind == KeyKind::Publishable
                    && k.instance == Instance::Production
                    && k.malformed.is_none()
            })
            .and_then(|k| k.host.clone())
    });
    let prepared_now = match &state.input {
        Input::Loaded(loaded) => loaded.outcome.clone().and_then(Result::ok),
        _ => None,
    };

    let export_bytes = match &state.input {
        Input::Loaded(loaded) => Some(loaded.bytes.clone()),
        _ => None,
    };

    let lang_buttons = Lang::ALL.iter().map(|&option| {
        let state = state.clone();
        let onclick = Callback::from(move |_: MouseEvent| state.dispatch(Action::SetLang(option)));
        html! {
            <button type="button" class="lang" lang={option.code()} aria-pressed={(option == lang).to_string()}
                    id={format!("lang-{}", option.code())} {onclick}>
                { text(option).language_name }
            </button>
        }
    });

    html! {
        <PageDropTarget on_file={on_file.clone()}>
            <header class="top">
                <div>
                    <h1>{ t.title }</h1>
                    <p class="tagline">{ t.tagline }</p>
                </div>
                <nav aria-label={t.language} class="langs">{ for lang_buttons }</nav>
            </header>
            <main>
                <DropZone {lang} {on_file} {on_sample} />
                <div id="status" aria-live="polite">{ status }</div>
                { results }
                <InstanceStep given={state.instance.clone()} host={production_host.clone()} prepared={prepared_now.clone()}
                              {lang} dispatch={dispatch.clone()} />
                <ExistingStep given={state.production_users.clone()} prepared={prepared_now.clone()}
                              {lang} dispatch={dispatch.clone()} />
                <KeysStep report={state.key_report.clone()} {lang} dispatch={dispatch.clone()} />
                <ChecksStep claim_name={if state.claim_error.is_none() { state.claim_name.clone() } else { DEFAULT_CLAIM.to_string() }}
                            host={production_host.clone()} export={export_bytes} {lang} />
                <VerifyStep dev={state.verify_dev()} prod={state.verify.prod.clone()} logs={state.verify.logs.clone()}
                            db_ids={state.verify.db_ids.clone()} verified={state.verified.clone()} {lang} dispatch={dispatch.clone()} />
                <PrivacyPanel {lang} />
            </main>
            <footer><p>{ t.footer_privacy }</p></footer>
        </PageDropTarget>
    }
}
