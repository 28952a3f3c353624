//! What the engine found: the summary, the notes about the file, and every problem in a
//! filterable table that renders one page of rows at a time.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::i18n::{group_digits, text, Lang};
use super::state::{Action, IssueFilter, Shared};
use crate::core::issue::{Code, Issue, Severity};
use crate::core::prepare::Prepared;
use crate::core::verdict::ExportVerdict;

/// Rows the table shows at once; the rest wait behind Previous/Next.
pub const PAGE_SIZE: usize = 100;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub prepared: Shared<Prepared>,
    pub lang: Lang,
}

#[function_component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let c = &props.prepared.counts;
    let figure = |id: &str, label: &str, value: usize| {
        html! {
            <div class="figure" id={id.to_string()} data-value={value.to_string()}>
                <dt>{ label.to_string() }</dt>
                <dd>{ group_digits(lang, value) }</dd>
            </div>
        }
    };
    // The engine's verdict, with its evidence: what was checked, against what.
    let verdict = ExportVerdict::of(&props.prepared);
    let verdict_class = format!("verdict {}", verdict.tone().as_str());
    html! {
        <section class="card" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{ t.summary_heading }</h2>
            <dl class="figures">
                { figure("count-rows", t.rows_read, c.rows) }
                { figure("count-accepted", t.accepted, c.accepted) }
                { figure("count-rejected", t.rejected, c.rejected) }
                { figure("count-warnings", t.warnings, c.warnings) }
                { figure("count-without-password", t.without_password, c.users_without_password) }
            </dl>
            <p id="verdict" class={verdict_class} data-tone={verdict.tone().as_str()}>
                { verdict.message(lang) }
            </p>
            if !props.prepared.notices.is_empty() {
                <h3>{ t.notices_heading }</h3>
                <ul id="notices" class="notices">
                    { for props.prepared.notices.iter().map(|n| html! {
                        <li data-code={n.code.as_str()}>
                            <span class={classes!("badge", n.severity().as_str())}>{ n.code.as_str() }</span>
                            { " " }{ n.message(lang) }{ " " }
                            <span class="fix">{ n.fix(lang) }</span>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct IssueTableProps {
    pub prepared: Shared<Prepared>,
    pub filter: IssueFilter,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

fn severity_label(lang: Lang, severity: Severity) -> &'static str {
    let t = text(lang);
    match severity {
        Severity::Error => t.severity_error,
        Severity::Warning => t.severity_warning,
        Severity::Info => t.severity_info,
    }
}

#[function_component(IssueTable)]
pub fn issue_table(props: &IssueTableProps) -> Html {
    let (t, lang) = (text(props.lang), props.lang);
    let issues: &[Issue] = &props.prepared.issues;
    let matching: Vec<&Issue> = issues
        .iter()
        .filter(|i| props.filter.matches(i, lang))
        .collect();
    let pages = matching.len().div_ceil(PAGE_SIZE).max(1);
    let page = props.filter.page.min(pages - 1);
    let shown = &matching
        [(page * PAGE_SIZE).min(matching.len())..((page + 1) * PAGE_SIZE).min(matching.len())];

    let dispatch = props.dispatch.clone();
    let on_severity = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let severity = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|s| s.as_str() == value);
        dispatch.emit(Action::FilterSeverity(severity));
    });
    let dispatch = props.dispatch.clone();
    let on_code = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        dispatch.emit(Action::FilterCode(Code::from_name(&value)));
    });
    let dispatch = props.dispatch.clone();
    let on_search = Callback::from(move |e: InputEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            dispatch.emit(Action::Search(input.value()));
        }
    });
    let go = |to: usize| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Page(to)))
    };
    // The row number opens that row's record: a button, so the keyboard reaches it too.
    let show_row = |row: usize| {
        if row == 0 {
            return html! { { "–" } };
        }
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(Some(row))));
        html! {
            <button type="button" class="row-link" aria-label={format!("{} {row}", t.show_row)} {onclick}>{ row }</button>
        }
    };
    // Only the codes this file has are offered.
    let mut present: Vec<Code> = issues.iter().map(|i| i.code).collect();
    present.sort();
    present.dedup();

    html! {
        <section class="card" aria-labelledby="issues-heading">
            <h2 id="issues-heading">{ t.issues_heading }</h2>
            <div class="filters" role="search">
                <label>{ t.filter_severity }{ " " }
                    <select id="filter-severity" onchange={on_severity}>
                        <option value="" selected={props.filter.severity.is_none()}>{ t.all }</option>
                        { for [Severity::Error, Severity::Warning, Severity::Info].into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={props.filter.severity == Some(s)}>{ severity_label(lang, s) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t.filter_code }{ " " }
                    <select id="filter-code" onchange={on_code}>
                        <option value="" selected={props.filter.code.is_none()}>{ t.all }</option>
                        { for present.iter().map(|c| html! {
                            <option value={c.as_str()} selected={props.filter.code == Some(*c)}>{ c.as_str() }</option>
                        }) }
                    </select>
                </label>
                <label>{ t.search }{ " " }
                    <input id="filter-search" type="search" placeholder={t.search_hint}
                           value={props.filter.search.clone()} oninput={on_search} />
                </label>
            </div>
            if matching.is_empty() {
                <p id="issues-empty">{ t.no_issues }</p>
            } else {
                <p id="issues-range" aria-live="polite" data-total={matching.len().to_string()}>
                    { t.showing(lang, page * PAGE_SIZE + 1, page * PAGE_SIZE + shown.len(), matching.len()) }
                </p>
                <div class="table-wrap" tabindex="0">
                    <table id="issues" aria-describedby="issues-range">
                        <thead><tr>
                            <th scope="col">{ t.col_row }</th>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ t.col_field }</th>
                            <th scope="col">{ t.col_severity }</th>
                            <th scope="col">{ t.col_problem }</th>
                            <th scope="col">{ t.col_fix }</th>
                        </tr></thead>
                        <tbody>
                            { for shown.iter().map(|issue| html! {
                                <tr data-code={issue.code.as_str()} data-row={issue.row.to_string()}>
                                    <td class="num">{ show_row(issue.row) }</td>
                                    <td class="mono">{ issue.shown_user_id() }</td>
                                    <td class="mono">{ issue.field.as_str() }</td>
                                    <td><span class={classes!("badge", issue.severity().as_str())}>{ issue.code.as_str() }</span></td>
                                    <td>{ issue.message(lang) }</td>
                                    <td class="fix">{ issue.fix(lang) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                if pages > 1 {
                    <nav class="pager" aria-label={t.issues_heading}>
                        <button type="button" id="page-prev" disabled={page == 0} onclick={go(page.saturating_sub(1))}>{ t.previous }</button>
                        <span>{ format!("{} / {}", page + 1, pages) }</span>
                        <button type="button" id="page-next" disabled={page + 1 >= pages} onclick={go(page + 1)}>{ t.next }</button>
                    </nav>
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct UnverifiedChoiceProps {
    pub keep: bool,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

/// The user's explicit choice about unverified addresses; changing it prepares the export again.
#[function_component(UnverifiedChoice)]
pub fn unverified_choice(props: &UnverifiedChoiceProps) -> Html {
    let t = text(props.lang);
    let dispatch = props.dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        dispatch.emit(Action::KeepUnverified(input.checked()));
    });
    html! {
        <section class="card" aria-labelledby="keep-unverified-label">
            <p>
                <input type="checkbox" id="keep-unverified" checked={props.keep} {onchange}
                       aria-describedby="keep-unverified-hint" />
                <label id="keep-unverified-label" for="keep-unverified">{ t.keep_unverified_label }</label>
            </p>
            <p class="hint" id="keep-unverified-hint">{ t.keep_unverified_hint }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RowDetailProps {
    pub bytes: Shared<Vec<u8>>,
    pub line: usize,
    /// Whether unverified addresses are imported, so "imported as" is what the files hold.
    pub keep_unverified: bool,
    pub lang: Lang,
    pub dispatch: Callback<Action>,
}

/// One row's record as the export states it and as it would be imported; secrets masked.
#[function_component(RowDetail)]
pub fn row_detail(props: &RowDetailProps) -> Html {
    let t = text(props.lang);
    let view = use_memo(
        (props.bytes.clone(), props.line, props.keep_unverified),
        |(bytes, line, keep_unverified)| {
            let rules = crate::core::validate::RowRules {
                keep_unverified: *keep_unverified,
            };
            crate::core::inspect::row_at(bytes, *line, rules)
        },
    );
    let dispatch = props.dispatch.clone();
    let close = Callback::from(move |_: MouseEvent| dispatch.emit(Action::Select(None)));
    let Some(view) = view.as_ref() else {
        return html! {};
    };
    html! {
        <section id="row-detail" class="card" aria-labelledby="row-detail-heading">
            <div class="row">
                <h2 id="row-detail-heading">{ format!("{} {}", t.row_heading, view.line) }</h2>
                <button type="button" id="row-detail-close" onclick={close}>{ t.close }</button>
            </div>
            <dl class="record">
                { for view.fields.iter().map(|(name, value)| html! {
                    <><dt class="mono">{ *name }</dt><dd>{ value.clone() }</dd></>
                }) }
            </dl>
            <h3>{ t.imported_as }</h3>
            if let Some(json) = &view.imported_as {
                <pre id="row-detail-json" class="code">{ json.clone() }</pre>
            } else {
                <p>{ t.not_imported }</p>
            }
        </section>
    }
}
