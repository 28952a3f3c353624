//! What the engine found: the summary, the notes about the file, and every problem in a
//! filterable table that renders one page of rows at a time.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::i18n::{group_digits, text, Lang};
use super::state::{Action, IssueFilter, IssueSort, Shared};
use super::table_text::table_text;
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
    /// The export, to read a row's record again when it is opened.
    pub bytes: Shared<Vec<u8>>,
    /// The row whose record is open, by its editor line.
    pub selected: Option<usize>,
    pub keep_unverified: bool,
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

/// The severity as a shape and a word, so it reads without colour (WCAG 1.4.1).
fn severity_cell(lang: Lang, severity: Severity) -> Html {
    let icon = match severity {
        Severity::Error => "✕",
        Severity::Warning => "!",
        Severity::Info => "i",
    };
    html! {
        <span class={classes!("severity", severity.as_str())}>
            <span class="severity-icon" aria-hidden="true">{ icon }</span>
            { severity.label(lang) }
        </span>
    }
}

/// Ids longer than this may wrap anywhere (a phone cannot show 70 characters on a line);
/// shorter ones stay whole on one line.
const LONGEST_UNBROKEN_ID: usize = 32;

fn id_class(id: &str) -> Classes {
    classes!(
        "id",
        (id.chars().count() > LONGEST_UNBROKEN_ID).then_some("long")
    )
}

/// Moves focus to the element with this id, if it is on the page.
fn focus(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// What the table should do to the focus and the scroll after the next render.
#[derive(Clone, Copy, PartialEq)]
enum After {
    Nothing,
    /// A pager was used: back to the table's top; from the lower pager, focus goes there too.
    PageTurned {
        from_bottom: bool,
    },
    /// A row's record was opened: focus on it.
    Opened,
    /// A row's record was closed: focus back on the button that opened it.
    Closed(usize),
}

#[function_component(IssueTable)]
pub fn issue_table(props: &IssueTableProps) -> Html {
    let (t, tt, lang) = (text(props.lang), table_text(props.lang), props.lang);
    let issues: &[Issue] = &props.prepared.issues;
    // Filtering and sorting walk every issue: done again only when one of them changes.
    let order = {
        let f = &props.filter;
        use_memo(
            (
                props.prepared.clone(),
                f.severity,
                f.code,
                f.search.clone(),
                f.sort,
                lang,
            ),
            |(prepared, severity, code, search, sort, lang)| {
                let filter = IssueFilter {
                    severity: *severity,
                    code: *code,
                    search: search.clone(),
                    ..IssueFilter::default()
                };
                let mut matching: Vec<usize> = (0..prepared.issues.len())
                    .filter(|&i| filter.matches(&prepared.issues[i], *lang))
                    .collect();
                sort.apply(&prepared.issues, &mut matching, *lang);
                matching
            },
        )
    };
    let matching: &[usize] = &order;
    let pages = matching.len().div_ceil(PAGE_SIZE).max(1);
    let page = props.filter.page.min(pages - 1);
    let shown = &matching
        [(page * PAGE_SIZE).min(matching.len())..((page + 1) * PAGE_SIZE).min(matching.len())];

    let section = use_node_ref();
    let after = use_mut_ref(|| After::Nothing);
    {
        let (section, after) = (section.clone(), after.clone());
        use_effect(move || {
            let todo = std::mem::replace(&mut *after.borrow_mut(), After::Nothing);
            match todo {
                After::Nothing => {}
                After::PageTurned { from_bottom } => {
                    if let Some(top) = section.cast::<web_sys::Element>() {
                        if top.get_bounding_client_rect().top() < 0.0 {
                            top.scroll_into_view();
                        }
                    }
                    if from_bottom {
                        focus("issues-range");
                    }
                }
                After::Opened => focus("row-detail"),
                After::Closed(line) => focus(&format!("row-link-{line}")),
            }
        });
    }

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
    let on_sort = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        if let Some(sort) = IssueSort::ALL.into_iter().find(|s| s.as_str() == value) {
            dispatch.emit(Action::Sort(sort));
        }
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
    let pager = |at_bottom: bool| {
        let go = |to: usize| {
            let (dispatch, after) = (props.dispatch.clone(), after.clone());
            Callback::from(move |_: MouseEvent| {
                *after.borrow_mut() = After::PageTurned {
                    from_bottom: at_bottom,
                };
                dispatch.emit(Action::Page(to));
            })
        };
        let suffix = if at_bottom { "" } else { "-top" };
        html! {
            <nav class="pager" aria-label={if at_bottom { tt.pager_bottom } else { tt.pager_top }}>
                <button type="button" id={format!("page-prev{suffix}")} disabled={page == 0} onclick={go(page.saturating_sub(1))}>{ t.previous }</button>
                <span>{ tt.page_of(lang, page + 1, pages) }</span>
                <button type="button" id={format!("page-next{suffix}")} disabled={page + 1 >= pages} onclick={go(page + 1)}>{ t.next }</button>
            </nav>
        }
    };
    // The row number opens that row's record in place, below it: a button, so the keyboard
    // reaches it too, and it says whether the record is open.
    let row_button = |row: usize| {
        if row == 0 {
            return html! { <span class="whole-file">{ tt.whole_file }</span> };
        }
        let open = props.selected == Some(row);
        let (dispatch, after) = (props.dispatch.clone(), after.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            if open {
                *after.borrow_mut() = After::Closed(row);
                dispatch.emit(Action::Select(None));
            } else {
                *after.borrow_mut() = After::Opened;
                dispatch.emit(Action::Select(Some(row)));
            }
        });
        let label = format!("{} {row}", if open { tt.close_row } else { tt.open_row });
        html! {
            <button type="button" class="row-link" id={format!("row-link-{row}")} aria-label={label}
                    aria-expanded={open.to_string()} aria-controls={open.then_some("row-detail")} {onclick}>
                <span class="disclosure" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>{ row }
            </button>
        }
    };
    let detail = |line: usize| {
        let (dispatch, after) = (props.dispatch.clone(), after.clone());
        let close = Callback::from(move |()| {
            *after.borrow_mut() = After::Closed(line);
            dispatch.emit(Action::Select(None));
        });
        html! {
            <RowDetail bytes={props.bytes.clone()} {line} keep_unverified={props.keep_unverified} {lang} on_close={close} />
        }
    };
    // The record opens below the first problem of its row on this page (a row can have
    // several); a row chosen elsewhere and not on this page opens above the table.
    let anchor = props
        .selected
        .and_then(|line| shown.iter().position(|&i| issues[i].row == line));
    // Only the codes this file has are offered, by their names in the page's language.
    let mut present: Vec<Code> = issues.iter().map(|i| i.code).collect();
    present.sort();
    present.dedup();
    present.sort_by_key(|c| c.label(lang));
    let cell_label = |label: &'static str| html! { <span class="cell-label">{ label }</span> };
    let sorted_by = |sort: IssueSort| (props.filter.sort == sort).then_some("ascending");

    html! {
        <section class="card issues-card" aria-labelledby="issues-heading" ref={section}>
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
                            <option value={c.as_str()} selected={props.filter.code == Some(*c)}>{ format!("{} ({})", c.label(lang), c.as_str()) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t.search }{ " " }
                    <input id="filter-search" type="search" placeholder={t.search_hint}
                           value={props.filter.search.clone()} oninput={on_search} />
                </label>
                <label>{ tt.sort }{ " " }
                    <select id="issues-sort" onchange={on_sort}>
                        { for IssueSort::ALL.into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={props.filter.sort == s}>{ match s {
                                IssueSort::Severity => tt.sort_severity,
                                IssueSort::Row => tt.sort_row,
                                IssueSort::Kind => tt.sort_kind,
                            } }</option>
                        }) }
                    </select>
                </label>
            </div>
            if matching.is_empty() {
                <p id="issues-empty">{ t.no_issues }</p>
            } else {
                <p id="issues-range" tabindex="-1" data-total={matching.len().to_string()}>
                    { tt.showing(lang, page * PAGE_SIZE + 1, page * PAGE_SIZE + shown.len(), matching.len()) }
                </p>
                if pages > 1 { { pager(false) } }
                if let (Some(line), None) = (props.selected, anchor) {
                    { detail(line) }
                }
                <table id="issues" class="issues" aria-describedby="issues-range">
                    <thead><tr>
                        <th scope="col" aria-sort={sorted_by(IssueSort::Severity)}>{ tt.col_severity }</th>
                        <th scope="col" aria-sort={sorted_by(IssueSort::Row)}>{ tt.col_row }</th>
                        <th scope="col">{ tt.col_user }</th>
                        <th scope="col">{ tt.col_field }</th>
                        <th scope="col" aria-sort={sorted_by(IssueSort::Kind)}>{ tt.col_problem }</th>
                        <th scope="col">{ tt.col_fix }</th>
                    </tr></thead>
                    <tbody>
                        { for shown.iter().enumerate().map(|(at, &i)| {
                            let issue = &issues[i];
                            let id = issue.shown_user_id();
                            html! {
                                <>
                                <tr data-code={issue.code.as_str()} data-row={issue.row.to_string()}
                                    data-severity={issue.severity().as_str()}>
                                    <td class="severity-cell">{ cell_label(tt.col_severity) }{ severity_cell(lang, issue.severity()) }</td>
                                    <td class="num">{ cell_label(tt.col_row) }{ row_button(issue.row) }</td>
                                    <td>{ cell_label(tt.col_user) }<span class={id_class(&id)}>{ id }</span></td>
                                    <td>
                                        { cell_label(tt.col_field) }
                                        <span class="field-label">{ issue.field.label(lang) }</span>
                                        if let Some(column) = issue.field.column() {
                                            { " " }<code class="secondary">{ column }</code>
                                        }
                                    </td>
                                    <td>
                                        { cell_label(tt.col_problem) }
                                        <span class="kind">{ issue.code.label(lang) }</span>
                                        { " " }<code class="secondary">{ issue.code.as_str() }</code>
                                        <span class="message">{ issue.message(lang) }</span>
                                    </td>
                                    <td class="fix">{ cell_label(tt.col_fix) }{ issue.fix(lang) }</td>
                                </tr>
                                if anchor == Some(at) {
                                    <tr class="detail-row"><td colspan="6">{ detail(issue.row) }</td></tr>
                                }
                                </>
                            }
                        }) }
                    </tbody>
                </table>
                if pages > 1 { { pager(true) } }
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
    pub on_close: Callback<()>,
}

/// One row's record, opened in place: an accepted row as the export states it and as it is
/// imported; a rejected row said to be not in `users.json`, with its cells as the file has
/// them. Secrets masked, control characters shown as escapes.
#[function_component(RowDetail)]
pub fn row_detail(props: &RowDetailProps) -> Html {
    let tt = table_text(props.lang);
    let view = use_memo(
        (
            props.bytes.clone(),
            props.line,
            props.keep_unverified,
            props.lang,
        ),
        |(bytes, line, keep_unverified, lang)| {
            let rules = crate::core::validate::RowRules {
                keep_unverified: *keep_unverified,
            };
            crate::core::inspect::row_at(bytes, *line, rules, *lang)
        },
    );
    let close = props.on_close.reform(|_: MouseEvent| ());
    let on_close = props.on_close.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            on_close.emit(());
        }
    });
    let body = match view.as_ref() {
        None => html! { <p>{ tt.not_found }</p> },
        Some(view) => {
            let cells = if view.fields.is_empty() {
                html! { <p>{ tt.no_cells }</p> }
            } else {
                html! {
                    <dl class="record">
                        { for view.fields.iter().map(|(name, value)| html! {
                            <div class="record-item">
                                <dt>
                                    if let Some(name) = name {
                                        <code>{ name.clone() }</code>
                                    } else {
                                        { tt.extra_cell }
                                    }
                                </dt>
                                <dd>{ value.clone() }</dd>
                            </div>
                        }) }
                    </dl>
                }
            };
            match &view.imported_as {
                Some(json) => html! {
                    <>
                        <h4>{ tt.as_exported }</h4>
                        { cells }
                        <h4>{ tt.imported_as }</h4>
                        <pre id="row-detail-json" class="code">{ json.clone() }</pre>
                    </>
                },
                None => html! {
                    <>
                        <p id="row-detail-rejected" class="rejected-note">
                            <span class="severity-icon" aria-hidden="true">{ "✕" }</span>
                            { tt.not_imported }
                        </p>
                        <h4>{ tt.original_cells }</h4>
                        { cells }
                    </>
                },
            }
        }
    };
    html! {
        <div id="row-detail" class="row-detail" role="region" aria-labelledby="row-detail-heading"
             tabindex="-1" {onkeydown}>
            <div class="row">
                <h3 id="row-detail-heading">{ format!("{} {}", tt.row_heading, props.line) }</h3>
                <button type="button" id="row-detail-close" onclick={close}>{ tt.close }</button>
            </div>
            { body }
        </div>
    }
}
