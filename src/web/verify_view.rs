//! The verify step, the morning after the import: the dev export (the prepare step's, or
//! another), the production export, the tool's logs and the database's user ids in; every
//! section reconcile.md has, each with its list, on the page.

use web_sys::{FileList, HtmlTextAreaElement};
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::{group_digits, text, Lang};
use super::outputs::download;
use super::state::{Action, Given, Shared, VerifySlot};
use crate::core::database::id_map::ConflictKind;
use crate::core::database::ids::db_ids_sql;
use crate::core::escape::terminal;
use crate::core::reconcile::{id_columns, NotThisInput, ReconcileError, Reconciled};

/// Rows of each list shown on the page; all of them are in the downloads.
const SHOWN: usize = 100;

/// Tables a team might have, offered to start the SQL from; the page never assumes them.
pub const EXAMPLE_TABLES: &str =
    "user_notes\nuser_preferences\nuser_filters\nuser_alert_strategies\nuser_screener_templates\n";

fn read_into(slot: VerifySlot, files: FileList, dispatch: Callback<Action>) {
    read_files(files, move |read| dispatch.emit(Action::Verify(slot, read)));
}

/// A value from a user's file as the page shows it: secrets masked, control characters
/// visible.
fn shown(value: &str) -> String {
    terminal(value).into_owned()
}

#[derive(Properties, PartialEq)]
pub struct VerifyStepProps {
    pub dev: Option<Given>,
    pub prod: Option<Given>,
    pub logs: Vec<Given>,
    pub db_ids: Option<Given>,
    pub verified: Option<Result<Shared<Reconciled>, ReconcileError>>,
    /// Files of the last pick or drop that the input refused, with why.
    #[prop_or_default]
    pub refused: Vec<(VerifySlot, String, NotThisInput)>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

/// One section of the result: a heading with its count, and its list.
fn section(id: &str, heading: String, intro: Option<&str>, body: Html, more: Html) -> Html {
    html! {
        <section class="verify-section" id={id.to_string()} aria-labelledby={format!("{id}-heading")}>
            <h3 id={format!("{id}-heading")}>{ heading }</h3>
            if let Some(intro) = intro {
                <p class="hint">{ intro.to_string() }</p>
            }
            { body }
            { more }
        </section>
    }
}

#[function_component(VerifyStep)]
pub fn verify_step(props: &VerifyStepProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let columns_text = use_state(String::new);
    let columns_area = use_node_ref();
    // Each input takes a drop or the picker, under a name of its own.
    let picker = |slot: VerifySlot,
                  zone: &'static str,
                  id: &'static str,
                  button: &'static str,
                  multiple: bool| {
        let dispatch = props.dispatch.clone();
        let on_files =
            Callback::from(move |files: FileList| read_into(slot, files, dispatch.clone()));
        let what = t.verify_slot_name(lang, slot);
        html! {
            <SmallDrop id={zone} label={t.drop_group_name(lang, what)} on_files={on_files.clone()}>
                { t.verify_drop }{ " " }
                <FilePicker input_id={id} button_id={button} label={t.choose_file}
                            name={t.choose_file_for(lang, what)} {multiple} {on_files} />
            </SmallDrop>
        }
    };
    let named = |given: &Option<Given>| {
        given
            .as_ref()
            .map_or_else(|| t.verify_none.to_string(), |g| g.name.clone())
    };
    let refused = |slot: VerifySlot, kept: Option<String>| {
        let id = format!("verify-{}-refused", t.slot_id(slot));
        props
            .refused
            .iter()
            .filter(|(s, _, _)| *s == slot)
            .map(|(_, name, why)| {
                html! {
                    <p id={id.clone()} class="error" role="alert">
                        { t.verify_refused(lang, name, &why.message(lang), kept.as_deref()) }
                    </p>
                }
            })
            .collect::<Html>()
    };
    let logs_named = if props.logs.is_empty() {
        t.verify_none.to_string()
    } else {
        props
            .logs
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
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
            refused(VerifySlot::Dev, props.dev.as_ref().map(|g| g.name.clone())),
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
            refused(
                VerifySlot::Prod,
                props.prod.as_ref().map(|g| g.name.clone()),
            ),
        ),
        (
            t.verify_logs,
            logs_named.clone(),
            picker(
                VerifySlot::Logs,
                "verify-logs-drop",
                "verify-logs-input",
                "verify-logs",
                true,
            ),
            refused(
                VerifySlot::Logs,
                (!props.logs.is_empty()).then_some(logs_named),
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
            refused(
                VerifySlot::DbIds,
                props.db_ids.as_ref().map(|g| g.name.clone()),
            ),
        ),
    ];
    let result = match &props.verified {
        None => html! { <p class="hint">{ t.verify_waiting }</p> },
        Some(Err(err)) => {
            html! { <p id="verify-error" class="error" role="alert">{ err.message(lang) }</p> }
        }
        Some(Ok(r)) => result(
            r,
            props.dev.as_ref().map_or("", |g| g.name.as_str()),
            props.prod.as_ref().map_or("", |g| g.name.as_str()),
            lang,
        ),
    };

    // The SQL for the database's ids, over the columns the user names (none assumed).
    let on_columns = {
        let columns_text = columns_text.clone();
        Callback::from(move |e: InputEvent| {
            columns_text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let use_example = {
        let (columns_text, area) = (columns_text.clone(), columns_area.clone());
        Callback::from(move |_: MouseEvent| {
            columns_text.set(EXAMPLE_TABLES.to_string());
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let _ = area.focus();
            }
        })
    };
    let sql = match id_columns(&columns_text) {
        Ok(columns) if columns.is_empty() => {
            html! { <p id="verify-sql-none" class="hint">{ t.verify_sql_none(lang) }</p> }
        }
        Ok(columns) => html! { <pre id="verify-sql" class="code">{ db_ids_sql(&columns) }</pre> },
        Err(bad) => {
            html! { <p id="verify-sql-error" class="error" role="alert">{ bad.message(lang) }</p> }
        }
    };
    html! {
        <section class="card" aria-labelledby="verify-heading">
            <h2 id="verify-heading">{ t.verify_heading }</h2>
            <p>{ t.verify_intro }</p>
            <dl class="record verify-inputs">
                { for rows.into_iter().map(|(label, name, picker, refused)| html! {
                    <><dt>{ label }</dt><dd><span class="given">{ name }</span>{ picker }{ refused }</dd></>
                }) }
            </dl>
            <details id="verify-sql-helper">
                <summary>{ t.verify_sql }</summary>
                <label for="verify-sql-columns">{ t.verify_sql_columns(lang) }</label>
                <textarea ref={columns_area} id="verify-sql-columns" rows="5" spellcheck="false" autocomplete="off"
                          value={(*columns_text).clone()} oninput={on_columns}
                          placeholder="notes\npreferences.owner_id\napp.filters.user_id" />
                <p>
                    <button type="button" id="verify-sql-example" class="secondary" onclick={use_example}>
                        { t.verify_sql_example(lang) }
                    </button>
                </p>
                { sql }
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

/// The figures, the verdict, every section of reconcile.md with its list, and the files.
fn result(r: &Shared<Reconciled>, dev: &str, prod: &str, lang: Lang) -> Html {
    let t = text(lang);
    let c = &r.counts;
    let n = |x: usize| group_digits(lang, x);
    let figure = |id: &str, label: &str, value: usize, section: Option<&str>| {
        let value_html = match section.filter(|_| value > 0) {
            Some(section) => html! { <a href={format!("#{section}")}>{ n(value) }</a> },
            None => html! { { n(value) } },
        };
        html! {
            <div class="figure" id={id.to_string()} data-value={value.to_string()}>
                <dt>{ label.to_string() }</dt><dd>{ value_html }</dd>
            </div>
        }
    };
    let more = |total: usize| -> Html {
        if total > SHOWN {
            html! { <p class="hint">{ t.verify_more(lang, total - SHOWN) }</p> }
        } else {
            html! {}
        }
    };
    let code = |value: &str| html! { <code class="mono">{ shown(value) }</code> };

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

    let mut sections: Vec<Html> = Vec::new();
    if !r.missing.is_empty() {
        sections.push(section(
            "verify-missing-section",
            t.verify_section_missing(lang, r.missing.len()),
            Some(t.verify_missing_intro(lang)),
            html! {
                <div class="table-wrap" tabindex="0">
                    <table id="verify-missing-table" class="cards">
                        <thead><tr>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ t.col_email(lang) }</th>
                            <th scope="col">{ t.verify_has_data }</th>
                            <th scope="col">{ t.verify_logged }</th>
                        </tr></thead>
                        <tbody>
                            { for r.missing.iter().take(SHOWN).map(|m| html! {
                                <tr>
                                    <td data-label={t.col_user} class="mono">{ shown(&m.dev_id) }</td>
                                    <td data-label={t.col_email(lang)}>{ shown(&m.email) }</td>
                                    <td data-label={t.verify_has_data}>{ if m.has_data { t.yes(lang) } else { "" } }</td>
                                    <td data-label={t.verify_logged}>{ for m.logged_error.as_deref().map(|e| html! {
                                        // The tool's words (Clerk's API answers in English), quoted.
                                        <q class="logged">{ shown(e) }</q>
                                    }) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            },
            more(r.missing.len()),
        ));
    }
    if !r.exists_not_linked.is_empty() {
        sections.push(section(
            "verify-not-linked-section",
            t.verify_section_not_linked(lang, r.exists_not_linked.len()),
            Some(t.verify_not_linked_intro(lang)),
            html! {
                <ul id="verify-not-linked-list" class="notices">
                    { for r.exists_not_linked.iter().take(SHOWN).map(|l| html! {
                        <li data-user={shown(&l.dev_id)}>
                            { code(&l.dev_id) }{ " → " }
                            { for l.prod_ids.iter().enumerate().map(|(i, p)| html! {
                                <>{ if i > 0 { ", " } else { "" } }{ code(p) }</>
                            }) }
                            { format!(" ({})", t.matched_by(lang, l.matched_by)) }
                            if !l.email.is_empty() {
                                { format!(" — {}", shown(&l.email)) }
                            }
                        </li>
                    }) }
                </ul>
            },
            more(r.exists_not_linked.len()),
        ));
    }
    if !r.not_imported.is_empty() {
        sections.push(section(
            "verify-not-imported-section",
            t.verify_section_not_imported(lang, r.not_imported.len()),
            Some(t.verify_not_imported_intro(lang)),
            html! {
                <ul id="verify-not-imported-list" class="notices">
                    { for r.not_imported.iter().take(SHOWN).map(|m| html! {
                        <li data-user={shown(&m.dev_id)}>
                            { code(&m.dev_id) }{ format!(" — {} ", t.row_word(lang, m.row)) }
                            <code class="secondary">{ m.reason }</code>
                        </li>
                    }) }
                </ul>
            },
            more(r.not_imported.len()),
        ));
    }
    if let Some(orphaned) = r.orphaned_db_ids.as_ref().filter(|o| !o.is_empty()) {
        let list = if r.orphaned_rows.is_empty() {
            html! {
                <ul id="verify-orphaned-list" class="notices">
                    { for orphaned.iter().take(SHOWN).map(|id| html! { <li data-user={shown(id)}>{ code(id) }</li> }) }
                </ul>
            }
        } else {
            html! {
                <ul id="verify-orphaned-list" class="notices">
                    { for r.orphaned_rows.iter().take(SHOWN).map(|o| {
                        let by_column: Vec<String> = o.by_column.iter()
                            .map(|(column, rows)| format!("{} {}", shown(column), n(*rows as usize)))
                            .collect();
                        html! {
                            <li data-user={shown(&o.user_id)}>
                                { code(&o.user_id) }
                                { format!(" — {} ({})", t.rows_count(lang, o.rows as usize), by_column.join(", ")) }
                            </li>
                        }
                    }) }
                </ul>
            }
        };
        sections.push(section(
            "verify-orphaned-section",
            t.verify_section_orphaned(lang, orphaned.len()),
            Some(t.verify_orphaned_intro(lang)),
            list,
            more(orphaned.len()),
        ));
    }
    if !r.prod_without_dev_user.is_empty() {
        sections.push(section(
            "verify-strays-section",
            t.verify_section_strays(lang, r.prod_without_dev_user.len()),
            Some(t.verify_strays_intro(lang)),
            html! {
                <ul id="verify-strays-list" class="notices">
                    { for r.prod_without_dev_user.iter().take(SHOWN).map(|p| html! {
                        <li data-user={shown(&p.prod_id)}>
                            { code(&p.prod_id) }{ " — external_id " }{ code(&p.external_id) }
                            if !p.email.is_empty() {
                                { format!(" — {}", shown(&p.email)) }
                            }
                        </li>
                    }) }
                </ul>
            },
            more(r.prod_without_dev_user.len()),
        ));
    }
    if !r.duplicate_external_ids.is_empty() {
        sections.push(section(
            "verify-duplicates-section",
            t.verify_section_duplicates(lang, r.duplicate_external_ids.len()),
            Some(t.verify_duplicates_intro(lang)),
            html! {
                <ul id="verify-duplicates-list" class="notices">
                    { for r.duplicate_external_ids.iter().take(SHOWN).map(|(external, users)| html! {
                        <li data-user={shown(external)}>
                            { "external_id " }{ code(external) }{ " → " }
                            { for users.iter().enumerate().map(|(i, p)| html! {
                                <>{ if i > 0 { ", " } else { "" } }{ code(p) }</>
                            }) }
                        </li>
                    }) }
                </ul>
            },
            more(r.duplicate_external_ids.len()),
        ));
    }
    if !r.id_map.conflicts.is_empty() {
        sections.push(section(
            "verify-conflicts-section",
            t.verify_section_conflicts(lang, r.id_map.conflicts.len()),
            Some(t.verify_conflicts_intro(lang)),
            html! {
                <ul id="verify-conflicts-list" class="notices">
                    { for r.id_map.conflicts.iter().take(SHOWN).map(|conflict| {
                        let (one, several) = match conflict.kind {
                            ConflictKind::DevIdToSeveralProductionUsers => (t.dev_id_word(lang), " → "),
                            ConflictKind::ProductionUserToSeveralDevIds => (t.prod_user_word(lang), " ← "),
                        };
                        html! {
                            <li data-user={shown(&conflict.id)}>
                                { format!("{one} ") }{ code(&conflict.id) }{ several }
                                { for conflict.partners.iter().enumerate().map(|(i, p)| html! {
                                    <>{ if i > 0 { ", " } else { "" } }{ code(p) }</>
                                }) }
                            </li>
                        }
                    }) }
                </ul>
            },
            more(r.id_map.conflicts.len()),
        ));
    }
    if !r.drift.is_empty() {
        let value = |field: &str, v: &str| -> String {
            match (field, v) {
                ("password" | "totp", "yes") => t.yes(lang).to_string(),
                ("password" | "totp", "no") => t.no(lang).to_string(),
                (_, "") => "—".to_string(),
                (_, v) => shown(v),
            }
        };
        sections.push(section(
            "verify-drift-section",
            t.verify_section_drift(lang, c.drifted_users, r.drift.len()),
            Some(t.verify_drift_intro(lang)),
            html! {
                <div class="table-wrap" tabindex="0">
                    <table id="verify-drift-table" class="cards">
                        <thead><tr>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ super::table_text::table_text(lang).col_field }</th>
                            <th scope="col">{ t.verify_in_dev(lang) }</th>
                            <th scope="col">{ t.verify_in_prod(lang) }</th>
                        </tr></thead>
                        <tbody>
                            { for r.drift.iter().take(SHOWN).map(|d| html! {
                                <tr>
                                    <td data-label={t.col_user} class="mono">{ shown(&d.dev_id) }</td>
                                    <td data-label={super::table_text::table_text(lang).col_field} class="mono">{ d.field }</td>
                                    <td data-label={t.verify_in_dev(lang)}>{ value(d.field, &d.dev) }</td>
                                    <td data-label={t.verify_in_prod(lang)}>{ value(d.field, &d.prod) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            },
            more(r.drift.len()),
        ));
    }
    if !r.database_columns.is_empty() {
        sections.push(section(
            "verify-database-section",
            t.verify_section_database(lang).to_string(),
            None,
            html! {
                <div class="table-wrap" tabindex="0">
                    <table id="verify-database-table" class="cards">
                        <thead><tr>
                            <th scope="col">{ t.col_column(lang) }</th>
                            <th scope="col">{ t.col_user_ids(lang) }</th>
                            <th scope="col">{ t.col_rows(lang) }</th>
                        </tr></thead>
                        <tbody>
                            { for r.database_columns.iter().map(|column| html! {
                                <tr>
                                    <td data-label={t.col_column(lang)} class="mono">{ shown(&column.column) }</td>
                                    <td data-label={t.col_user_ids(lang)} class="num">{ n(column.ids) }</td>
                                    <td data-label={t.col_rows(lang)} class="num">{ n(column.rows as usize) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            },
            html! {},
        ));
    }
    let all = r.all_arrived();
    html! {
        <>
            <dl class="figures">
                { figure("verify-matched", t.verify_matched, c.matched, None) }
                { figure("verify-missing", t.verify_missing, c.missing, Some("verify-missing-section")) }
                { figure("verify-not-imported", t.verify_not_imported, c.not_imported, Some("verify-not-imported-section")) }
                { figure("verify-not-linked", t.verify_not_linked, c.exists_not_linked, Some("verify-not-linked-section")) }
                { figure("verify-drifted", t.verify_drifted, c.drifted_users, Some("verify-drift-section")) }
                { figure("verify-strays", t.verify_strays(lang), c.prod_without_dev_user, Some("verify-strays-section")) }
                { figure("verify-duplicates", t.verify_duplicates(lang), c.duplicate_external_ids, Some("verify-duplicates-section")) }
                if let Some(orphaned) = c.orphaned_db_ids {
                    { figure("verify-orphaned", t.verify_orphaned, orphaned, Some("verify-orphaned-section")) }
                }
            </dl>
            <p id="verify-verdict" class={if all { "verdict clean" } else { "verdict rejected" }}
               data-tone={if all { "clean" } else { "rejected" }}>
                { t.verify_verdict(lang, r, dev, prod) }
            </p>
            { for sections }
            <h3 id="verify-downloads-heading">{ t.verify_files(lang) }</h3>
            <p class="row">{ for downloads }</p>
        </>
    }
}
