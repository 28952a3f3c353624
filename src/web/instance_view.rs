//! The production instance's settings: its public environment document, saved from a browser
//! tab by the user (this page requests nothing), and what those settings do to the users.

use web_sys::FileList;
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::{text, Lang};
use super::state::{Action, Shared};
use crate::core::instance::{InstanceSettings, NotSettings};
use crate::core::prepare::Prepared;
use crate::core::verdict::{SettingsFinding, SettingsVerdict};

/// Users named under each finding; the problem table holds them all.
const SHOWN_USERS: usize = 10;

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
            // Each kind of problem: what it is, how many users and which, each a way into
            // the problem table filtered to their rows.
            let findings: Vec<Html> = props
                .prepared
                .iter()
                .flat_map(|p| SettingsFinding::all(p).into_iter().map(move |f| (p.clone(), f)))
                .map(|(p, finding)| {
                    let code = finding.code;
                    let fix = p
                        .issues
                        .iter()
                        .find(|i| i.code == code)
                        .map(|i| i.fix(lang))
                        .unwrap_or_default();
                    let show_all = props.dispatch.reform(move |_: MouseEvent| Action::ShowInTable {
                        code: Some(code),
                        search: String::new(),
                    });
                    let users = finding.users.iter().take(SHOWN_USERS).map(|(row, user)| {
                        let search = user.clone();
                        let onclick = props.dispatch.reform(move |_: MouseEvent| Action::ShowInTable {
                            code: None,
                            search: search.clone(),
                        });
                        html! {
                            <li><a href="#issues-heading" class="mono" data-row={row.to_string()} {onclick}
                                   aria-label={t.settings_user_rows(lang, user, *row)}>{ user.clone() }</a></li>
                        }
                    });
                    let more = finding.users.len().saturating_sub(SHOWN_USERS);
                    let (badge, severity) = if finding.rejects() {
                        ("error", t.severity_error)
                    } else {
                        ("warning", t.severity_warning)
                    };
                    html! {
                        <li data-code={code.as_str()} data-count={finding.users.len().to_string()}>
                            <p class="finding-problem">
                                <span class={classes!("badge", badge)}>{ severity }</span>{ " " }
                                <strong>{ finding.problem(lang) }</strong>{ " " }
                                <code class="secondary">{ code.as_str() }</code>
                            </p>
                            <ul class="finding-users" aria-label={t.settings_which_users}>
                                { for users }
                                if more > 0 {
                                    <li class="hint">{ t.settings_more_users(lang, more) }</li>
                                }
                            </ul>
                            <p class="fix">
                                { fix }{ " " }
                                <a href="#issues-heading" class="show-rows" onclick={show_all}>
                                    { t.settings_show_rows(lang, finding.users.len()) }
                                </a>
                            </p>
                        </li>
                    }
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
            <SmallDrop id="instance-drop" label={t.drop_group_name(lang, t.settings_file_name)} on_files={on_files.clone()}>
                { t.verify_drop }{ " " }
                <FilePicker input_id="instance-input" button_id="instance-choose" label={t.choose_file}
                            name={t.choose_file_for(lang, t.settings_file_name)}
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
