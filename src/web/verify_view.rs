//! The verify step, the morning after the import: the dev export (the prepare step's, or
//! another), the production export, the tool's logs and the database's user ids in; who is
//! missing, what drifted and which rows would be orphaned out.

use web_sys::FileList;
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::{group_digits, text, Lang};
use super::outputs::download;
use super::state::{Action, Given, Shared, VerifySlot};
use crate::core::reconcile::{db_ids_sql, ReconcileError, Reconciled, DEFAULT_TABLES};

/// Rows of the missing-users list shown on the page; all of them are in the downloads.
const SHOWN: usize = 100;

fn read_into(slot: VerifySlot, files: FileList, dispatch: Callback<Action>) {
    read_files(files, move |read| dispatch.emit(Action::Verify(slot, read)));
}

#[derive(Properties, PartialEq)]
pub struct VerifyStepProps {
    pub dev: Option<Given>,
    pub prod: Option<Given>,
    pub logs: Vec<Given>,
    pub db_ids: Option<Given>,
    pub verified: Option<Result<Shared<Reconciled>, ReconcileError>>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

#[function_component(VerifyStep)]
pub fn verify_step(props: &VerifyStepProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    // Each input takes a drop or the picker.
    let picker = |slot: VerifySlot,
                  zone: &'static str,
                  id: &'static str,
                  button: &'static str,
                  multiple: bool| {
        let dispatch = props.dispatch.clone();
        let on_files =
            Callback::from(move |files: FileList| read_into(slot, files, dispatch.clone()));
        html! {
            <SmallDrop id={zone} label={t.verify_drop} on_files={on_files.clone()}>
                { t.verify_drop }{ " " }
                <FilePicker input_id={id} button_id={button} label={t.choose_file} {multiple} {on_files} />
            </SmallDrop>
        }
    };
    let named = |given: &Option<Given>| {
        given
            .as_ref()
            .map_or_else(|| t.verify_none.to_string(), |g| g.name.clone())
    };
    let rows = [
        (
            t.verify_dev,
            named(&props.dev),
            picker(
                VerifySlot::Dev,
                "verify-dev-drop",
                "verify-dev-input",
                "verify-dev",
                false,
            ),
        ),
        (
            t.verify_prod,
            named(&props.prod),
            picker(
                VerifySlot::Prod,
                "verify-prod-drop",
                "verify-prod-input",
                "verify-prod",
                false,
            ),
        ),
        (
            t.verify_logs,
            if props.logs.is_empty() {
                t.verify_none.to_string()
            } else {
                props
                    .logs
                    .iter()
                    .map(|l| l.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            picker(
                VerifySlot::Logs,
                "verify-logs-drop",
                "verify-logs-input",
                "verify-logs",
                true,
            ),
        ),
        (
            t.verify_db_ids,
            named(&props.db_ids),
            picker(
                VerifySlot::DbIds,
                "verify-db-drop",
                "verify-db-input",
                "verify-db",
                false,
            ),
        ),
    ];
    let result = match &props.verified {
        None => html! { <p class="hint">{ t.verify_waiting }</p> },
        Some(Err(err)) => {
            html! { <p id="verify-error" class="error" role="alert">{ err.message(lang) }</p> }
        }
        Some(Ok(r)) => {
            let c = &r.counts;
            let figure = |id: &str, label: &str, value: usize| {
                html! {
                    <div class="figure" id={id.to_string()} data-value={value.to_string()}>
                        <dt>{ label.to_string() }</dt><dd>{ group_digits(lang, value) }</dd>
                    </div>
                }
            };
            // Every file the reconciliation made (the link files only when someone is to link).
            let names: Vec<&'static str> = r.files.iter().map(|f| f.name).collect();
            let downloads = names.into_iter().map(|name| {
                let r = r.clone();
                let onclick = Callback::from(move |_: MouseEvent| {
                    if let Some(file) = r.files.iter().find(|f| f.name == name) {
                        if let Err(err) = download(name, &file.bytes) {
                            web_sys::console::error_1(&err);
                        }
                    }
                });
                html! { <button type="button" class="download" id={format!("download-{}", name.replace('.', "-"))} {onclick}>{ name }</button> }
            });
            html! {
                <>
                    <dl class="figures">
                        { figure("verify-matched", t.verify_matched, c.matched) }
                        { figure("verify-missing", t.verify_missing, c.missing) }
                        { figure("verify-not-imported", t.verify_not_imported, c.not_imported) }
                        { figure("verify-not-linked", t.verify_not_linked, c.exists_not_linked) }
                        { figure("verify-drifted", t.verify_drifted, c.drifted_users) }
                        if let Some(orphaned) = c.orphaned_db_ids {
                            { figure("verify-orphaned", t.verify_orphaned, orphaned) }
                        }
                    </dl>
                    <p id="verify-verdict" class={if r.all_arrived() { "verdict clean" } else { "verdict rejected" }}>
                        { if r.all_arrived() { t.verify_all_arrived } else { t.verify_not_all } }
                    </p>
                    if !r.missing.is_empty() {
                        <div class="table-wrap" tabindex="0">
                            <table id="verify-missing-table" class="cards">
                                <thead><tr>
                                    <th scope="col">{ t.col_user }</th>
                                    <th scope="col">{ "Email" }</th>
                                    <th scope="col">{ t.verify_has_data }</th>
                                    <th scope="col">{ t.verify_logged }</th>
                                </tr></thead>
                                <tbody>
                                    { for r.missing.iter().take(SHOWN).map(|m| html! {
                                        <tr>
                                            <td data-label={t.col_user} class="mono">{ m.dev_id.clone() }</td>
                                            <td data-label={"Email"}>{ m.email.clone() }</td>
                                            <td data-label={t.verify_has_data}>{ if m.has_data { "●" } else { "" } }</td>
                                            <td data-label={t.verify_logged}>{ m.logged_error.clone().unwrap_or_default() }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                    <p class="row">{ for downloads }</p>
                </>
            }
        }
    };
    let sql = db_ids_sql(&DEFAULT_TABLES);
    html! {
        <section class="card" aria-labelledby="verify-heading">
            <h2 id="verify-heading">{ t.verify_heading }</h2>
            <p>{ t.verify_intro }</p>
            <dl class="record">
                { for rows.into_iter().map(|(label, name, picker)| html! {
                    <><dt>{ label }</dt><dd><span class="given">{ name }</span>{ picker }</dd></>
                }) }
            </dl>
            <details>
                <summary>{ t.verify_sql }</summary>
                <pre id="verify-sql" class="code">{ sql }</pre>
            </details>
            { result }
            <details id="verify-strategies">
                <summary>{ t.verify_strategies }</summary>
                <ul>
                    <li>{ t.verify_keep }</li>
                    <li>{ t.verify_rewrite }</li>
                </ul>
            </details>
            <p><button type="button" id="verify-clear" onclick={props.dispatch.reform(|_: MouseEvent| Action::ClearVerify)}>{ t.keys_clear }</button></p>
        </section>
    }
}
