//! The page's frame: header, language switch, drop zone, and the steps that follow a drop.

use wasm_bindgen_futures::spawn_local;
use web_sys::FileList;
use yew::prelude::*;

use super::drop_zone::{read_files, DropZone, PageDropTarget};
use super::i18n::{browser_lang, text, Lang};
use super::outputs::{ClaimStep, Downloads};
use super::privacy::PrivacyPanel;
use super::report_view::{IssueTable, Summary, UnverifiedChoice};
use std::cell::Cell;

use crate::core::escape::shown;
use crate::core::keys::{Instance, KeyKind};
use std::rc::Rc;

use super::checks_view::ChecksStep;
use super::existing_view::ExistingStep;
use super::instance_view::InstanceStep;
use super::job;
use super::keys_view::KeysStep;
use super::state::{Action, AppState, DropOutcome, Input, PendingUse, Shared, Step};
use super::verify_view::VerifyStep;
use crate::core::verdict::{ExportVerdict, KeysVerdict, SettingsVerdict, Tone};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(browser_lang()));
    let lang = state.lang;
    let t = text(lang);
    // The live region's words, and what each step had said when they were last set.
    let announcement = use_state(String::new);
    let last_said = use_mut_ref(|| (lang, Vec::<Option<String>>::new()));

    // The document's language follows the page's, for screen readers and hyphenation.
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
        // The tab says what the page is for, in the page's language.
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{} · clerk-dev2prod", text(*lang).title));
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
    // A drop anywhere on the page sends each file to the step that reads it; the export step's
    // own picker (`export_picker`) is the act of replacing the export.
    let files_read = |export_picker: bool| {
        let dispatch = dispatch.clone();
        Callback::from(move |files: FileList| {
            let dispatch = dispatch.clone();
            read_files(files, move |files| {
                dispatch.emit(Action::Files {
                    files,
                    export_picker,
                })
            });
        })
    };
    let on_dropped = files_read(false);
    let on_picked = files_read(true);

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
                    html! { <>{ status }<p id="input-error" class="error" role="alert">{ format!("{}: {}", loaded.name, err.message(lang)) }</p></> },
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
                                // A hundred row buttons stand between here and the files: one
                                // keypress past them.
                                <a id="skip-to-downloads" class="skip-link" href="#downloads-heading">{ t.skip_to_downloads }</a>
                                <IssueTable prepared={prepared.clone()} filter={state.filter.clone()} bytes={loaded.bytes.clone()}
                                            selected={state.selected} keep_unverified={state.keep_unverified} {lang} dispatch={dispatch.clone()} />
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

    // Where the user stands: each step done or not. The current one is the first not done
    // after the furthest done, so an optional step skipped (the keys) does not hold the
    // marker back once the user has moved on; a skipped earlier step reads "not done yet".
    let done = |step: Step| match step {
        Step::Keys => state
            .key_report
            .as_ref()
            .is_some_and(|r| KeysVerdict::of(r).tone() == Tone::Pass),
        Step::Export => prepared_now.is_some(),
        Step::Settings => matches!(state.instance, Some((_, Ok(_)))),
        Step::Claims => prepared_now.is_some() && state.claim_error.is_none(),
        Step::Import => state.verify.prod.is_some(),
        Step::Verify => matches!(&state.verified, Some(Ok(r)) if r.all_arrived()),
    };
    let furthest_done = Step::ALL.into_iter().rposition(done);
    let current = Step::ALL
        .into_iter()
        .enumerate()
        .find(|(i, s)| furthest_done.is_none_or(|f| *i > f) && !done(*s))
        .or_else(|| Step::ALL.into_iter().enumerate().find(|(_, s)| !done(*s)))
        .map(|(_, s)| s);
    let step_nav = Step::ALL.into_iter().enumerate().map(|(i, step)| {
        let (class, word) = if done(step) {
            ("done", t.step_done)
        } else if Some(step) == current {
            ("current", t.step_now)
        } else if furthest_done.is_some_and(|f| i < f) {
            ("skipped", t.step_skipped)
        } else {
            ("later", t.step_later)
        };
        html! {
            <li class={class} data-step={step.number().to_string()}
                aria-current={(Some(step) == current).then_some("step")}>
                <a href={format!("#{}", step.anchor())}>{ format!("{}. {}", step.number(), t.step_name(step)) }</a>
                <span class="step-state">{ word }</span>
            </li>
        }
    });
    let step_title = |step: Step| {
        html! { <h2 class="step-title" id={format!("{}-title", step.anchor())}>{ format!("{}. {}", step.number(), t.step_name(step)) }</h2> }
    };

    // What became of each file of the last drop, and the choice a held export waits for.
    let notes = (!state.drop_notes.is_empty()).then(|| {
        html! {
            <ul id="drop-notes" class="notices">
                { for state.drop_notes.iter().map(|note| {
                    let said = match note.outcome {
                        DropOutcome::Taken(step) => t.dropped_taken(lang, note.kind.words(lang), step.number(), t.step_name(step)),
                        DropOutcome::HeldForChoice => t.dropped_held(lang),
                        DropOutcome::TriedAsExport => t.dropped_tried.to_string(),
                        DropOutcome::NotUsed => t.dropped_not_used.to_string(),
                        DropOutcome::OneExportAtATime => t.dropped_one_export.to_string(),
                    };
                    let class = match note.outcome {
                        DropOutcome::NotUsed | DropOutcome::OneExportAtATime => "error",
                        _ => "info",
                    };
                    html! {
                        // A file's name is the user's text: shown as every message shows it.
                        <li data-file={shown(note.name.clone())} data-kind={format!("{:?}", note.kind)} class={class}>
                            <code>{ shown(note.name.clone()) }</code>{ ": " }{ said }
                            if let DropOutcome::Taken(step) = note.outcome {
                                { " " }<a href={format!("#{}", step.anchor())}>{ t.go_to_step }</a>
                            }
                        </li>
                    }
                }) }
            </ul>
        }
    });
    let pending = state.pending_export.as_ref().map(|held| {
        let prepared_name = match &state.input {
            Input::Loaded(loaded) => loaded.name.clone(),
            _ => String::new(),
        };
        let choice = |id: &'static str, label: String, use_as: PendingUse| {
            let onclick = dispatch.reform(move |_: MouseEvent| Action::UsePending(use_as));
            html! { <button type="button" id={id} class={if use_as == PendingUse::Replace { "primary" } else { "secondary" }} {onclick}>{ label }</button> }
        };
        html! {
            <div id="pending-export" class="card pending" role="group" aria-labelledby="pending-export-title">
                <p id="pending-export-title">{ t.pending_question(lang, &held.name, &prepared_name) }</p>
                <p class="row">
                    { choice("pending-replace", t.pending_replace(lang, &prepared_name, &held.name), PendingUse::Replace) }
                    { choice("pending-before", t.pending_before.to_string(), PendingUse::ProductionBefore) }
                    { choice("pending-after", t.pending_after.to_string(), PendingUse::ProductionAfter) }
                    { choice("pending-discard", t.pending_discard.to_string(), PendingUse::Discard) }
                </p>
            </div>
        }
    });
    let refused = state.refused_export.as_ref().map(|(name, err)| {
        let kept = match &state.input {
            Input::Loaded(loaded) => loaded.name.clone(),
            _ => String::new(),
        };
        html! {
            <p id="export-refused" class="error" role="alert">
                { t.export_refused(lang, name, &err.message(lang), &kept) }
            </p>
        }
    });

    let claim_blocked = state.claim_error.as_ref().map(|e| e.message(lang));
    let import_body = match &prepared_now {
        Some(prepared) => html! {
            <>
                <ExistingStep given={state.production_users.clone()} refused={state.refused_production_users.clone()} prepared={prepared_now.clone()}
                              {lang} dispatch={dispatch.clone()} />
                <Downloads prepared={prepared.clone()} claim_blocked={claim_blocked.clone()} {lang} />
            </>
        },
        None => html! { <p id="import-quiet" class="hint quiet">{ t.import_quiet }</p> },
    };
    let verify_applies = prepared_now.is_some()
        || state.verify.prod.is_some()
        || state.verify.dev.is_some()
        || !state.verify.logs.is_empty()
        || state.verify.db_ids.is_some();

    // What each step found, for the screen reader: the latest result is announced, in the
    // words the page shows (a change of language alone announces nothing).
    let results_said: Vec<Option<String>> = Step::ALL
        .into_iter()
        .map(|step| {
            let said = match step {
                Step::Keys => state
                    .key_report
                    .as_ref()
                    .map(|r| KeysVerdict::of(r).message(lang)),
                Step::Export => match &state.input {
                    Input::Loaded(loaded) => match &loaded.outcome {
                        Some(Ok(prepared)) => Some(ExportVerdict::of(prepared).message(lang)),
                        Some(Err(err)) => Some(format!("{}: {}", loaded.name, err.message(lang))),
                        None => None,
                    },
                    _ => None,
                },
                Step::Settings => match &state.instance {
                    Some((name, Ok(settings))) => Some(
                        SettingsVerdict::of(name, settings, prepared_now.as_deref()).message(lang),
                    ),
                    Some((name, Err(err))) => Some(format!("{name}: {}", err.message(lang))),
                    None => None,
                },
                Step::Claims => state.claim_error.as_ref().map(|e| e.message(lang)),
                Step::Import => state
                    .production_users
                    .as_ref()
                    .map(|(name, read)| match read {
                        Ok(users) => t.production_users_read(
                            lang,
                            name,
                            users.len(),
                            prepared_now
                                .as_ref()
                                .map(|p| p.counts.already_in_production),
                        ),
                        Err(err) => format!("{name}: {}", err.message(lang)),
                    }),
                Step::Verify => match &state.verified {
                    Some(Ok(r)) => {
                        let dev = state.verify_dev().map(|g| g.name).unwrap_or_default();
                        let prod = state
                            .verify
                            .prod
                            .as_ref()
                            .map(|g| g.name.clone())
                            .unwrap_or_default();
                        Some(t.verify_verdict(lang, r, &dev, &prod))
                    }
                    Some(Err(err)) => Some(err.message(lang)),
                    None => None,
                },
            };
            said.map(|said| {
                format!(
                    "{} {}. {}: {said}",
                    t.step_word,
                    step.number(),
                    t.step_name(step)
                )
            })
        })
        .collect();
    {
        let announcement = announcement.clone();
        let last = last_said.clone();
        use_effect_with((lang, results_said), move |(lang, said)| {
            let mut last = last.borrow_mut();
            if last.0 == *lang {
                let changed: Vec<&str> = said
                    .iter()
                    .zip(last.1.iter().chain(std::iter::repeat(&None)))
                    .filter(|(now, before)| now.is_some() && now != before)
                    .filter_map(|(now, _)| now.as_deref())
                    .collect();
                if !changed.is_empty() {
                    // The sentences quote file names and ids: announced as they are shown.
                    announcement.set(shown(changed.join(" ")));
                }
            } else {
                // The last sentence was in the other language: emptied, not said again (an
                // emptied live region announces nothing).
                announcement.set(String::new());
            }
            *last = (*lang, said.clone());
        });
    }

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
        <PageDropTarget on_files={on_dropped}>
            <header class="top">
                <div>
                    <h1>{ t.title }</h1>
                    <p class="tagline">{ t.tagline }</p>
                </div>
                <nav aria-label={t.language} class="langs">{ for lang_buttons }</nav>
            </header>
            <nav id="steps" aria-label={t.steps_label} class="steps">
                <ol>{ for step_nav }</ol>
            </nav>
            <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                { (*announcement).clone() }
            </div>
            <main>
                <div id="drop-status" aria-live="polite">{ for notes }{ for pending }</div>
                <div id={Step::Keys.anchor()} class="step">
                    { step_title(Step::Keys) }
                    <KeysStep report={state.key_report.clone()} {lang} dispatch={dispatch.clone()} />
                </div>
                <div id={Step::Export.anchor()} class="step">
                    { step_title(Step::Export) }
                    <DropZone {lang} on_files={on_picked} {on_sample} />
                    // Not a live region: the progress would be read out at every step; what the
                    // check found is announced by #announcer.
                    <div id="status">{ status }{ for refused }</div>
                    { results }
                </div>
                <div id={Step::Settings.anchor()} class="step">
                    { step_title(Step::Settings) }
                    <InstanceStep given={state.instance.clone()} refused={state.refused_settings.clone()}
                                  host={production_host.clone()} prepared={prepared_now.clone()}
                                  {lang} dispatch={dispatch.clone()} />
                </div>
                <div id={Step::Claims.anchor()} class="step">
                    { step_title(Step::Claims) }
                    <ClaimStep claim_name={state.claim_name.clone()} error={state.claim_error.clone()} {lang} dispatch={dispatch.clone()} />
                    <ChecksStep claim_name={state.valid_claim.clone()}
                                host={production_host.clone()} export={export_bytes} {lang} />
                </div>
                <div id={Step::Import.anchor()} class="step">
                    { step_title(Step::Import) }
                    { import_body }
                </div>
                <div id={Step::Verify.anchor()} class="step">
                    { step_title(Step::Verify) }
                    if verify_applies {
                        <VerifyStep dev={state.verify_dev()} prod={state.verify.prod.clone()} logs={state.verify.logs.clone()}
                                    db_ids={state.verify.db_ids.clone()} verified={state.verified.clone()} refused={state.refused_verify.clone()}
                                    {lang} dispatch={dispatch.clone()} />
                    } else {
                        <p id="verify-quiet" class="hint quiet">{ t.verify_quiet }</p>
                    }
                </div>
                <PrivacyPanel {lang} />
            </main>
            <footer><p>{ t.footer_privacy }</p></footer>
        </PageDropTarget>
    }
}
