//! The key switch on the page: several config files dropped or picked at once, or pasted; every
//! key shown only as its prefix and last four characters; nothing kept after a reload.

use web_sys::{DragEvent, FileList, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker};
use super::i18n::{text, Lang};
use super::state::{Action, Shared};
use crate::core::keys::{Instance, KeyFile, KeyFinding, KeyReport};
use crate::core::verdict::KeysVerdict;

/// The services' files, each named by its file name.
fn read_all(files: FileList, dispatch: Callback<Action>) {
    read_files(files, move |read| {
        let files = read
            .into_iter()
            .map(|(service, bytes)| KeyFile { service, bytes })
            .collect();
        dispatch.emit(Action::AddKeyFiles(files));
    });
}

#[derive(Properties, PartialEq)]
pub struct KeysStepProps {
    pub report: Option<Shared<KeyReport>>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

#[function_component(KeysStep)]
pub fn keys_step(props: &KeysStepProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let paste = use_node_ref();
    let paste_name = use_node_ref();

    let ondragover = Callback::from(|e: DragEvent| {
        e.prevent_default();
        e.stop_propagation();
    });
    let ondrop = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: DragEvent| {
            // These files are configs, not the export: the page's own drop must not see them.
            e.prevent_default();
            e.stop_propagation();
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                read_all(files, dispatch.clone());
            }
        })
    };
    let on_files = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |files: FileList| read_all(files, dispatch.clone()))
    };
    let check_paste = {
        let dispatch = props.dispatch.clone();
        let (paste, paste_name) = (paste.clone(), paste_name.clone());
        Callback::from(move |_: MouseEvent| {
            let (Some(area), Some(name)) = (
                paste.cast::<HtmlTextAreaElement>(),
                paste_name.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let service = match name.value().trim() {
                "" => "pasted".to_string(),
                given => given.to_string(),
            };
            let bytes = area.value().into_bytes();
            // The pasted text leaves the page as soon as it is read.
            area.set_value("");
            dispatch.emit(Action::AddKeyFiles(vec![KeyFile { service, bytes }]));
        })
    };
    let clear = props.dispatch.reform(|_: MouseEvent| Action::ClearKeys);

    let results = props.report.as_ref().map(|report| {
        // The engine's verdict: how many keys in which files; no key found is no pass.
        let verdict = KeysVerdict::of(report);
        let verdict = html! {
            <p id="keys-verdict" class={format!("verdict {}", verdict.tone().as_str())}
               data-tone={verdict.tone().as_str()}>{ verdict.message(lang) }</p>
        };
        html! {
            <>
                { verdict }
                <div class="table-wrap" tabindex="0">
                    <table id="keys-table" class="cards">
                        <thead><tr>
                            <th scope="col">{ t.keys_state }</th>
                            <th scope="col">{ t.keys_service }</th>
                            <th scope="col">{ t.keys_variable }</th>
                            <th scope="col">{ t.keys_kind }</th>
                            <th scope="col">{ t.keys_instance }</th>
                            <th scope="col">{ t.keys_key }</th>
                            <th scope="col">{ t.keys_host }</th>
                        </tr></thead>
                        <tbody>
                            { for report.keys.iter().enumerate().map(|(index, k)| {
                                // The findings about this key: the table marks the keys at fault.
                                let about: Vec<&KeyFinding> = report.findings.iter().filter(|f| f.keys.contains(&index)).collect();
                                let to_fix = about.iter().any(|f| f.code.is_error());
                                let (class, word) = if to_fix {
                                    ("error", t.keys_state_fix)
                                } else if about.is_empty() {
                                    ("ok", t.keys_state_ok)
                                } else {
                                    ("warning", t.keys_state_warning)
                                };
                                let mut codes: Vec<&str> = about.iter().map(|f| f.code.as_str()).collect();
                                codes.dedup();
                                html! {
                                // The state first: on a phone the last columns scroll out of view.
                                <tr class="key-row" data-state={class}>
                                    <td data-label={t.keys_state} class="key-state">
                                        <span class={classes!("badge", class)}>{ word }</span>
                                        { for codes.iter().map(|c| html! { <>{ " " }<code class="secondary">{ *c }</code></> }) }
                                    </td>
                                    <td data-label={t.keys_service}>{ k.service.clone() }</td>
                                    <td data-label={t.keys_variable} class="mono">{ k.variable.clone() }</td>
                                    <td data-label={t.keys_kind}>{ k.kind.label(lang) }</td>
                                    <td data-label={t.keys_instance}>{ match k.instance { Instance::Development => t.keys_development, Instance::Production => t.keys_production } }</td>
                                    <td data-label={t.keys_key} class="mono">{ k.masked.clone() }</td>
                                    <td data-label={t.keys_host} class="mono">{ k.host.clone().unwrap_or_default() }</td>
                                </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                if !report.findings.is_empty() {
                    <ul id="keys-findings" class="notices">
                        { for report.findings.iter().map(|f| html! {
                            <li data-code={f.code.as_str()}>
                                <span class={classes!("badge", if f.code.is_error() { "error" } else { "warning" })}>{ f.code.as_str() }</span>
                                { " " }{ f.message(lang).to_string() }{ " " }
                                <span class="fix">{ f.fix(lang).to_string() }</span>
                            </li>
                        }) }
                    </ul>
                }
                <p><button type="button" id="keys-clear" onclick={clear}>{ t.keys_clear }</button></p>
            </>
        }
    });

    html! {
        <section class="card" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{ t.keys_heading }</h2>
            <p>{ t.keys_intro }</p>
            <div id="keys-drop" class="drop-zone small" role="region" aria-label={t.keys_drop_label} {ondragover} {ondrop}>
                <p>
                    { t.keys_drop }{ " " }
                    <FilePicker input_id="keys-input" button_id="keys-choose" label={t.choose_files}
                                name={t.choose_files_for(lang, t.keys_file_name)}
                                multiple={true} {on_files} />
                    { "." }
                </p>
            </div>
            <details>
                <summary>{ t.keys_paste }</summary>
                <div class="paste">
                    <label>{ t.keys_service }{ " " }<input ref={paste_name} id="keys-service" type="text" placeholder="gateway.env" spellcheck="false" /></label>
                    <textarea ref={paste} id="keys-paste" rows="5" spellcheck="false" autocomplete="off"
                              aria-label={t.keys_paste} />
                    <button type="button" id="keys-check" onclick={check_paste}>{ t.keys_check }</button>
                </div>
            </details>
            { for results }
        </section>
    }
}
