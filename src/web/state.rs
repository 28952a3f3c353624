//! The page's state and the actions that change it, reduced in one place (`use_reducer`).

use std::rc::Rc;

use yew::Reducible;

use super::Lang;
use crate::core::claims::{check_claim_name, BadClaimName, DEFAULT_CLAIM};
use crate::core::issue::{Code, Issue, Severity};
use crate::core::prepare::{prepare, PrepareError, PrepareOptions, Prepared};
use crate::core::text::TextStats;

/// A value shared between renders and compared by identity: re-rendering never walks a
/// hundred thousand issues to find out nothing changed.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A file the page has read, and what the engine made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub stats: TextStats,
    pub bytes: Shared<Vec<u8>>,
    pub outcome: Result<Shared<Prepared>, PrepareError>,
}

/// Where the page stands with its input.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Empty,
    Reading { name: String },
    Loaded(Loaded),
    Failed { name: String, detail: String },
}

/// Which issues the table shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueFilter {
    pub severity: Option<Severity>,
    pub code: Option<Code>,
    pub search: String,
    pub page: usize,
}

impl IssueFilter {
    pub fn matches(&self, issue: &Issue, lang: Lang) -> bool {
        if self.severity.is_some_and(|s| s != issue.severity()) {
            return false;
        }
        if self.code.is_some_and(|c| c != issue.code) {
            return false;
        }
        let needle = self.search.trim().to_lowercase();
        needle.is_empty()
            || issue.user_id.to_lowercase().contains(&needle)
            || issue.row.to_string() == needle
            || issue.code.as_str().contains(&needle)
            || issue.field.as_str().contains(&needle)
            || issue.message(lang).to_lowercase().contains(&needle)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    /// The claim name as typed; the outputs use it once it is valid.
    pub claim_name: String,
    pub claim_error: Option<BadClaimName>,
    pub input: Input,
    pub filter: IssueFilter,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            claim_name: DEFAULT_CLAIM.into(),
            claim_error: None,
            input: Input::Empty,
            filter: IssueFilter::default(),
        }
    }

    fn options(&self, file_name: &str) -> PrepareOptions {
        PrepareOptions {
            file_name: file_name.into(),
            claim_name: if self.claim_error.is_none() {
                self.claim_name.clone()
            } else {
                DEFAULT_CLAIM.into()
            },
            lang: self.lang,
        }
    }

    /// Runs the engine again when an option that shapes the outputs changed.
    fn reprepare(&mut self) {
        if let Input::Loaded(loaded) = &self.input {
            let outcome = prepare(&loaded.bytes, &self.options(&loaded.name));
            let mut loaded = loaded.clone();
            loaded.outcome = outcome.map(|p| Shared(Rc::new(p)));
            self.input = Input::Loaded(loaded);
        }
    }
}

pub enum Action {
    SetLang(Lang),
    SetClaimName(String),
    /// A file was dropped or picked; its bytes are on their way.
    Reading {
        name: String,
    },
    /// The bytes arrived. A new file always replaces the previous one's state.
    Read {
        name: String,
        bytes: Vec<u8>,
    },
    ReadFailed {
        name: String,
        detail: String,
    },
    FilterSeverity(Option<Severity>),
    FilterCode(Option<Code>),
    Search(String),
    Page(usize),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                next.lang = lang;
                next.reprepare();
            }
            Action::SetClaimName(name) => {
                next.claim_error = check_claim_name(&name).err();
                next.claim_name = name;
                if next.claim_error.is_none() {
                    next.reprepare();
                }
            }
            Action::Reading { name } => next.input = Input::Reading { name },
            Action::Read { name, bytes } => {
                let outcome = prepare(&bytes, &next.options(&name));
                next.filter = IssueFilter::default();
                next.input = Input::Loaded(Loaded {
                    stats: TextStats::of(&bytes),
                    name,
                    bytes: Shared(Rc::new(bytes)),
                    outcome: outcome.map(|p| Shared(Rc::new(p))),
                });
            }
            Action::ReadFailed { name, detail } => next.input = Input::Failed { name, detail },
            Action::FilterSeverity(severity) => {
                next.filter.severity = severity;
                next.filter.page = 0;
            }
            Action::FilterCode(code) => {
                next.filter.code = code;
                next.filter.page = 0;
            }
            Action::Search(search) => {
                next.filter.search = search;
                next.filter.page = 0;
            }
            Action::Page(page) => next.filter.page = page,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const EXPORT: &[u8] = b"id,primary_email_address\nuser_1,ada@example.com\nuser_2,bad\n";

    fn loaded(state: &AppState) -> &Loaded {
        match &state.input {
            Input::Loaded(loaded) => loaded,
            other => panic!("not loaded: {other:?}"),
        }
    }

    #[test]
    fn a_new_file_replaces_the_old_state() {
        let state = Rc::new(AppState::new(Lang::En));
        let state = state.reduce(Action::Read {
            name: "a.csv".into(),
            bytes: EXPORT.to_vec(),
        });
        let state = state.reduce(Action::Search("bad".into()));
        let state = state.reduce(Action::Reading {
            name: "b.csv".into(),
        });
        assert_eq!(
            state.input,
            Input::Reading {
                name: "b.csv".into()
            }
        );
        let state = state.reduce(Action::Read {
            name: "b.csv".into(),
            bytes: b"id\nuser_9\n".to_vec(),
        });
        assert_eq!(
            loaded(&state).stats,
            TextStats {
                bytes: 10,
                lines: 2
            }
        );
        assert_eq!(state.filter, IssueFilter::default());
    }

    #[test]
    fn switching_language_rewrites_the_runbook() {
        let state = Rc::new(AppState::new(Lang::En)).reduce(Action::Read {
            name: "a.csv".into(),
            bytes: EXPORT.to_vec(),
        });
        let state = state.reduce(Action::SetLang(Lang::Es));
        let outcome = loaded(&state).outcome.as_ref().unwrap();
        let runbook = &outcome.file("MIGRATION.md").unwrap().bytes;
        assert!(String::from_utf8_lossy(runbook).starts_with("# Guía"));
    }

    #[test]
    fn a_reserved_claim_name_is_refused_and_the_outputs_keep_the_last_good_one() {
        let state = Rc::new(AppState::new(Lang::En)).reduce(Action::Read {
            name: "a.csv".into(),
            bytes: EXPORT.to_vec(),
        });
        let state = state.reduce(Action::SetClaimName("devId".into()));
        let state = state.reduce(Action::SetClaimName("sub".into()));
        assert!(matches!(state.claim_error, Some(BadClaimName::Reserved(_))));
        let outcome = loaded(&state).outcome.as_ref().unwrap();
        let claims = &outcome.file("session-claims.json").unwrap().bytes;
        assert!(String::from_utf8_lossy(claims).contains("devId"));
    }

    #[test]
    fn filters_narrow_the_issues() {
        let state = Rc::new(AppState::new(Lang::En)).reduce(Action::Read {
            name: "a.csv".into(),
            bytes: EXPORT.to_vec(),
        });
        let outcome = loaded(&state).outcome.as_ref().unwrap();
        let issue = &outcome.issues[0];
        let mut filter = IssueFilter::default();
        assert!(filter.matches(issue, Lang::En));
        filter.severity = Some(Severity::Warning);
        assert!(!filter.matches(issue, Lang::En));
        filter.severity = None;
        filter.search = "USER_2".into();
        assert!(filter.matches(issue, Lang::En));
        filter.search = "user_1".into();
        assert!(!filter.matches(issue, Lang::En));
    }
}
