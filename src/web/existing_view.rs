//! Users who already exist in production: an export of the production instance, saved by the
//! user before the import, and who in the prepared export it already holds.

use std::sync::Arc;

use web_sys::FileList;
use yew::prelude::*;

use super::drop_zone::{read_files, FilePicker, SmallDrop};
use super::i18n::{text, Lang};
use super::state::{Action, Shared};
use crate::core::existing::{headline, read_sentence, ProductionUsers};
use crate::core::prepare::{PrepareError, Prepared};

#[derive(Properties, PartialEq)]
pub struct ExistingStepProps {
    pub given: Option<(String, Result<Arc<ProductionUsers>, PrepareError>)>,
    pub refused: Option<(String, PrepareError)>,
    pub prepared: Option<Shared<Prepared>>,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

#[function_component(ExistingStep)]
pub fn existing_step(props: &ExistingStepProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let on_files = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |files: FileList| {
            let dispatch = dispatch.clone();
            read_files(files, move |read| {
                if let Some((name, bytes)) = read.into_iter().next() {
                    dispatch.emit(Action::ProductionUsers { name, bytes });
                }
            });
        })
    };
    let body = match (&props.given, &props.prepared) {
        (None, _) => {
            html! { <p id="existing-not-checked" class="hint">{ t.existing_not_checked }</p> }
        }
        (Some((name, Err(err))), _) => html! {
            <p id="existing-error" class="error" role="alert">{ format!("{name}: {}", err.message(lang)) }</p>
        },
        (Some((name, Ok(users))), None) => html! {
            <p id="existing-read">{ read_sentence(lang, name, users.len()) }</p>
        },
        (Some((name, Ok(production))), Some(prepared)) => {
            let c = &prepared.counts;
            let ambiguous = prepared
                .issues
                .iter()
                .filter(|i| i.code.as_str() == "production_ambiguous")
                .count();
            let found: Vec<Html> = prepared
                .issues
                .iter()
                .filter(|i| {
                    matches!(
                        i.code.as_str(),
                        "already_in_production" | "imported_earlier" | "production_ambiguous"
                    )
                })
                .map(|i| {
                    html! {
                        <li data-code={i.code.as_str()} data-row={i.row.to_string()}>
                            <code class="id">{ i.shown_user_id() }</code>{ " " }
                            { i.message(lang) }
                        </li>
                    }
                })
                .collect();
            let headline = headline(
                lang,
                name,
                c.accepted,
                production.len(),
                c.already_in_production,
                ambiguous,
            );
            html! {
                <>
                    if found.is_empty() {
                        <p id="existing-none" class="verdict clean">{ headline }</p>
                    } else {
                        <p id="existing-found" data-count={c.already_in_production.to_string()}>{ headline }</p>
                        <ul id="existing-list" class="notices">{ for found }</ul>
                    }
                </>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="existing-heading">
            <h2 id="existing-heading">{ t.existing_heading }</h2>
            <p>{ t.existing_intro }</p>
            <SmallDrop id="existing-drop" label={t.drop_group_name(lang, t.existing_file_name)} on_files={on_files.clone()}>
                { t.verify_drop }{ " " }
                <FilePicker input_id="existing-input" button_id="existing-choose" label={t.choose_file}
                            name={t.choose_file_for(lang, t.existing_file_name)}
                            multiple={false} accept=".csv,.json,text/csv,application/json" {on_files} />
                if props.given.is_some() {
                    { " · " }
                    <button type="button" id="existing-clear" class="link-button"
                            onclick={props.dispatch.reform(|_: MouseEvent| Action::ClearProductionUsers)}>{ t.keys_clear }</button>
                }
            </SmallDrop>
            if let Some((name, err)) = &props.refused {
                <p id="existing-refused" class="error" role="alert">
                    { t.production_users_refused(lang, name, &err.message(lang), props.given.as_ref().map_or("", |(kept, _)| kept.as_str())) }
                </p>
            }
            { body }
        </section>
    }
}
