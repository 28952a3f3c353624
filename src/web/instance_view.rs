//! The production instance's settings: its public environment document, saved from a browser
//! tab by the user (this page requests nothing), and what those settings do to the users.

use web_sys::FileList;
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::{text, Lang};
use super::state::{Action, Shared};
use crate::core::instance::{InstanceSettings, NotSettings};
use crate::core::prepare::Prepared;
use crate::core::verdict::SettingsVerdict;

#[derive(Properties, PartialEq)]
pub struct InstanceStepProps {
    pub given: Option<(String, Result<InstanceSettings, NotSettings>)>,
    /// A file that was not settings, while the settings given stay in use.
    #[prop_or_default]
    pub refused: Option<(String, NotSettings)>,
    /// The production Frontend API host, when a live publishable key was checked.
    pub host: Option<String>,
    pub prepared: Option<Shared<Prepared>>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

#[function_component(InstanceStep)]
pub fn instance_step(props: &InstanceStepProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let on_files = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |files: FileList| {
            let dispatch = dispatch.clone();
            read_files(files, move |read| {
                if let Some((name, bytes)) = read.into_iter().next() {
                    dispatch.emit(Action::InstanceSettings { name, bytes });
                }
            });
        })
    };
    let link = format!(
        "https://{}/v1/environment",
        props.host.as_deref().unwrap_or("<frontend API host>")
    );
    let body = match &props.given {
        None => html! { <p id="instance-not-checked" class="hint">{ t.instance_not_checked }</p> },
        Some((name, Err(err))) => html! {
            <p id="instance-error" class="error" role="alert">{ format!("{name}: {}", err.message(lang)) }</p>
        },
        Some((name, Ok(settings))) => {
            let findings: Vec<Html> = props
                .prepared
                .iter()
                .flat_map(|p| {
                    p.counts
                        .by_code
                        .iter()
                        .filter(|(code, _)| code.starts_with("instance_"))
                        .map(|(code, count)| {
                            let fix = p
                                .issues
                                .iter()
                                .find(|i| i.code.as_str() == *code)
                                .map(|i| i.fix(lang))
                                .unwrap_or_default();
                            html! {
                                <li data-code={*code} data-count={count.to_string()}>
                                    <span class="badge error">{ *code }</span>
                                    { format!(" {} — ", t.users_affected(lang, *count)) }
                                    <span class="fix">{ fix }</span>
                                </li>
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let providers = if settings.oauth_providers.is_empty() {
                "—".to_string()
            } else {
                settings.oauth_providers.join(", ")
            };
            // The engine's verdict: checked against which rows, or which checks will run.
            let verdict = SettingsVerdict::of(name, settings, props.prepared.as_deref());
            let tone = verdict.tone();
            html! {
                <>
                    <p id="instance-read">{ format!("{name}: {} {providers}", t.instance_read) }</p>
                    <p id="instance-verdict" class={format!("verdict {}", tone.as_str())} data-tone={tone.as_str()}>
                        { verdict.message(lang) }
                    </p>
                    if !findings.is_empty() {
                        <ul id="instance-findings" class="notices">{ for findings }</ul>
                    }
                </>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="instance-heading">
            <h2 id="instance-heading">{ t.instance_heading }</h2>
            <p>{ t.instance_intro }</p>
            <pre id="instance-link" class="code">{ link }</pre>
            <SmallDrop label={t.verify_drop} on_files={on_files.clone()}>
                { t.verify_drop }{ " " }
                <FilePicker input_id="instance-input" button_id="instance-choose" label={t.choose_file}
                            multiple={false} accept=".json,application/json" {on_files} />
                if props.given.is_some() {
                    { " · " }
                    <button type="button" id="instance-clear" class="link-button"
                            onclick={props.dispatch.reform(|_: MouseEvent| Action::ClearInstance)}>{ t.keys_clear }</button>
                }
            </SmallDrop>
            if let Some((name, err)) = &props.refused {
                <p id="instance-error" class="error" role="alert">
                    { t.settings_refused(lang, name, &err.message(lang), props.given.as_ref().map_or("", |(kept, _)| kept.as_str())) }
                </p>
            }
            { body }
        </section>
    }
}
