//! The page's state and the actions that change it, reduced in one place (`use_reducer`).

use std::rc::Rc;
use std::sync::Arc;

use yew::Reducible;

use super::Lang;
use crate::core::claims::{check_claim_name, BadClaimName, DEFAULT_CLAIM};
use crate::core::existing::ProductionUsers;
use crate::core::instance::{read_settings, InstanceSettings, NotSettings};
use crate::core::issue::{Code, Issue, Severity};
use crate::core::keys::{check_keys, KeyFile, KeyReport};
use crate::core::prepare::{PrepareError, PrepareOptions, Prepared};
use crate::core::reconcile::{reconcile, ReconcileError, ReconcileInput, Reconciled};
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

/// A file the page has read, and what the engine made of it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub stats: TextStats,
    pub bytes: Shared<Vec<u8>>,
    /// The last finished result; kept on screen while a new run (another language, another
    /// claim name) is under way.
    pub outcome: Option<Result<Shared<Prepared>, PrepareError>>,
    /// While the engine works: the share of the input read, from 0 to 1.
    pub progress: Option<f64>,
}

/// What the engine must run on: when it changes, a new run starts and the old one stops.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareRequest {
    pub bytes: Shared<Vec<u8>>,
    pub stats: TextStats,
    pub options: PrepareOptions,
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
    /// Import the addresses the export lists as unverified (the user's explicit choice).
    pub keep_unverified: bool,
    pub input: Input,
    pub filter: IssueFilter,
    /// The row whose record is shown, by its editor line.
    pub selected: Option<usize>,
    /// The services' config files given to the key check; in memory only, gone on reload.
    pub key_files: Vec<KeyFile>,
    pub key_report: Option<Shared<KeyReport>>,
    /// The files of the verify step (after the import).
    pub verify: VerifyFiles,
    pub verified: Option<Result<Shared<Reconciled>, ReconcileError>>,
    /// The production instance's environment document, as given and as read.
    pub instance: Option<(String, Result<InstanceSettings, NotSettings>)>,
    /// An export of the production instance taken before the import, as given and as read.
    pub production_users: Option<(String, Result<Arc<ProductionUsers>, PrepareError>)>,
}

/// A file given to the verify step.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub name: String,
    pub bytes: Shared<Vec<u8>>,
}

/// Which input of the verify step a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifySlot {
    Dev,
    Prod,
    Logs,
    DbIds,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerifyFiles {
    /// The dev export; when none is given, the one of the prepare step is used.
    pub dev: Option<Given>,
    pub prod: Option<Given>,
    pub logs: Vec<Given>,
    pub db_ids: Option<Given>,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            claim_name: DEFAULT_CLAIM.into(),
            claim_error: None,
            keep_unverified: false,
            input: Input::Empty,
            filter: IssueFilter::default(),
            selected: None,
            key_files: Vec::new(),
            key_report: None,
            verify: VerifyFiles::default(),
            verified: None,
            instance: None,
            production_users: None,
        }
    }

    /// The dev export the verify step uses: its own, or the prepare step's.
    pub fn verify_dev(&self) -> Option<Given> {
        self.verify.dev.clone().or_else(|| match &self.input {
            Input::Loaded(loaded) => Some(Given {
                name: loaded.name.clone(),
                bytes: loaded.bytes.clone(),
            }),
            _ => None,
        })
    }

    /// Reconciles once both exports are there.
    fn reverify(&mut self) {
        self.verified = match (self.verify_dev(), &self.verify.prod) {
            (Some(dev), Some(prod)) => {
                let logs: Vec<&[u8]> = self
                    .verify
                    .logs
                    .iter()
                    .map(|l| l.bytes.as_slice())
                    .collect();
                let input = ReconcileInput {
                    dev: &dev.bytes,
                    prod: &prod.bytes,
                    logs,
                    db_ids: self.verify.db_ids.as_ref().map(|d| d.bytes.as_slice()),
                };
                Some(reconcile(&input, self.lang).map(|r| Shared(Rc::new(r))))
            }
            _ => None,
        };
    }

    /// The run the page needs now, if a file is loaded.
    pub fn request(&self) -> Option<PrepareRequest> {
        let Input::Loaded(loaded) = &self.input else {
            return None;
        };
        Some(PrepareRequest {
            bytes: loaded.bytes.clone(),
            stats: loaded.stats,
            options: PrepareOptions {
                file_name: loaded.name.clone(),
                claim_name: if self.claim_error.is_none() {
                    self.claim_name.clone()
                } else {
                    DEFAULT_CLAIM.into()
                },
                lang: self.lang,
                key_checklist: self
                    .key_report
                    .as_ref()
                    .map(|report| report.checklist())
                    .unwrap_or_default(),
                instance: self
                    .instance
                    .as_ref()
                    .and_then(|(_, settings)| settings.clone().ok()),
                keep_unverified: self.keep_unverified,
                link_columns: Vec::new(),
                code_scan: None,
                production: self
                    .production_users
                    .as_ref()
                    .and_then(|(_, users)| users.clone().ok()),
            },
        })
    }
}

pub enum Action {
    SetLang(Lang),
    SetClaimName(String),
    KeepUnverified(bool),
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
    /// The engine has read this share of the input.
    Progress(f64),
    /// The engine is done.
    Prepared(Result<Shared<Prepared>, PrepareError>),
    FilterSeverity(Option<Severity>),
    FilterCode(Option<Code>),
    Search(String),
    Page(usize),
    /// Shows (or, with None, hides) one row's record.
    Select(Option<usize>),
    /// Config files for the key check; a file of a service already given replaces it.
    AddKeyFiles(Vec<KeyFile>),
    ClearKeys,
    /// Files for the verify step.
    Verify(VerifySlot, Vec<(String, Vec<u8>)>),
    ClearVerify,
    /// The production instance's environment document.
    InstanceSettings {
        name: String,
        bytes: Vec<u8>,
    },
    ClearInstance,
    /// An export of the production instance taken before the import.
    ProductionUsers {
        name: String,
        bytes: Vec<u8>,
    },
    ClearProductionUsers,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                next.lang = lang;
                if next.verified.is_some() {
                    next.reverify();
                }
            }
            Action::SetClaimName(name) => {
                next.claim_error = check_claim_name(&name).err();
                next.claim_name = name;
            }
            Action::KeepUnverified(keep) => next.keep_unverified = keep,
            Action::Reading { name } => next.input = Input::Reading { name },
            Action::Read { name, bytes } => {
                next.filter = IssueFilter::default();
                next.selected = None;
                next.input = Input::Loaded(Loaded {
                    stats: TextStats::of(&bytes),
                    name,
                    bytes: Shared(Rc::new(bytes)),
                    outcome: None,
                    progress: Some(0.0),
                });
                if next.verify.prod.is_some() && next.verify.dev.is_none() {
                    next.reverify();
                }
            }
            Action::ReadFailed { name, detail } => next.input = Input::Failed { name, detail },
            Action::Progress(fraction) => {
                if let Input::Loaded(loaded) = &mut next.input {
                    loaded.progress = Some(fraction);
                }
            }
            Action::Prepared(outcome) => {
                if let Input::Loaded(loaded) = &mut next.input {
                    loaded.outcome = Some(outcome);
                    loaded.progress = None;
                }
            }
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
            Action::Select(line) => next.selected = line,
            Action::AddKeyFiles(files) => {
                for file in files {
                    next.key_files.retain(|f| f.service != file.service);
                    next.key_files.push(file);
                }
                next.key_report = Some(Shared(Rc::new(check_keys(&next.key_files))));
            }
            Action::ClearKeys => {
                next.key_files.clear();
                next.key_report = None;
            }
            Action::Verify(slot, files) => {
                let mut given = files.into_iter().map(|(name, bytes)| Given {
                    name,
                    bytes: Shared(Rc::new(bytes)),
                });
                match slot {
                    VerifySlot::Dev => next.verify.dev = given.next(),
                    VerifySlot::Prod => next.verify.prod = given.next(),
                    VerifySlot::Logs => next.verify.logs.extend(given),
                    VerifySlot::DbIds => next.verify.db_ids = given.next(),
                }
                next.reverify();
            }
            Action::InstanceSettings { name, bytes } => {
                next.instance = Some((name, read_settings(&bytes)));
            }
            Action::ClearInstance => next.instance = None,
            Action::ProductionUsers { name, bytes } => {
                next.production_users = Some((name, ProductionUsers::read(&bytes).map(Arc::new)));
            }
            Action::ClearProductionUsers => next.production_users = None,
            Action::ClearVerify => {
                next.verify = VerifyFiles::default();
                next.verified = None;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::prepare::prepare;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const EXPORT: &[u8] = b"id,primary_email_address\nuser_1,ada@example.com\nuser_2,bad\n";

    fn loaded(state: &AppState) -> &Loaded {
        match &state.input {
            Input::Loaded(loaded) => loaded,
            other => panic!("not loaded: {other:?}"),
        }
    }

    fn read(state: Rc<AppState>, bytes: &[u8]) -> Rc<AppState> {
        state.reduce(Action::Read {
            name: "a.csv".into(),
            bytes: bytes.to_vec(),
        })
    }

    #[test]
    fn a_new_file_replaces_the_old_state_and_starts_a_run() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let first = state.request().unwrap();
        let state = state.reduce(Action::Search("bad".into()));
        let state = state.reduce(Action::Prepared(Err(PrepareError::InvalidJson("x".into()))));
        let state = read(state, b"id\nuser_9\n");
        let now = loaded(&state);
        assert_eq!(
            now.stats,
            TextStats {
                bytes: 10,
                lines: 2
            }
        );
        assert_eq!((now.outcome.clone(), now.progress), (None, Some(0.0)));
        assert_eq!(state.filter, IssueFilter::default());
        assert_ne!(
            state.request().unwrap(),
            first,
            "another file is another run"
        );
    }

    #[test]
    fn language_and_a_valid_claim_name_start_a_new_run_and_keep_the_last_result() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let done = Shared(Rc::new(
            prepare(EXPORT, &state.request().unwrap().options).unwrap(),
        ));
        let state = state.reduce(Action::Prepared(Ok(done.clone())));
        let before = state.request().unwrap();
        let state = state.reduce(Action::SetLang(Lang::Es));
        assert_eq!(state.request().unwrap().options.lang, Lang::Es);
        assert_eq!(
            state.request().unwrap().bytes,
            before.bytes,
            "the same bytes, no copy"
        );
        let state = state.reduce(Action::SetClaimName("devId".into()));
        assert_eq!(state.request().unwrap().options.claim_name, "devId");
        assert_eq!(loaded(&state).outcome, Some(Ok(done)));
    }

    #[test]
    fn a_reserved_claim_name_is_refused_and_runs_keep_the_default() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let state = state.reduce(Action::SetClaimName("sub".into()));
        assert!(matches!(state.claim_error, Some(BadClaimName::Reserved(_))));
        assert_eq!(state.request().unwrap().options.claim_name, DEFAULT_CLAIM);
    }

    #[test]
    fn keeping_unverified_addresses_is_a_new_run() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        assert!(!state.request().unwrap().options.keep_unverified);
        let state = state.reduce(Action::KeepUnverified(true));
        assert!(state.request().unwrap().options.keep_unverified);
    }

    #[test]
    fn progress_then_the_result() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let state = state.reduce(Action::Progress(0.5));
        assert_eq!(loaded(&state).progress, Some(0.5));
        let done = prepare(EXPORT, &state.request().unwrap().options).unwrap();
        let state = state.reduce(Action::Prepared(Ok(Shared(Rc::new(done)))));
        assert_eq!(loaded(&state).progress, None);
        assert!(matches!(loaded(&state).outcome, Some(Ok(_))));
    }

    #[test]
    fn key_files_replace_by_service_and_reach_the_runbook_options() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let file = |text: &str| KeyFile {
            service: "chat.env".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let state = state.reduce(Action::AddKeyFiles(vec![file(
            "CLERK_SECRET_KEY=sk_test_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7",
        )]));
        assert!(!state.key_report.as_ref().unwrap().all_live());
        let state = state.reduce(Action::AddKeyFiles(vec![file(
            "CLERK_SECRET_KEY=sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7",
        )]));
        assert_eq!(state.key_files.len(), 1);
        assert!(state.key_report.as_ref().unwrap().all_live());
        let checklist = state.request().unwrap().options.key_checklist;
        assert_eq!(
            (checklist[0].service.as_str(), checklist[0].ready),
            ("chat.env", true)
        );
        let state = state.reduce(Action::ClearKeys);
        assert!(state.request().unwrap().options.key_checklist.is_empty());
    }

    #[test]
    fn verify_uses_the_prepared_export_until_another_is_given() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        assert_eq!(state.verify_dev().unwrap().name, "a.csv");
        let prod = br#"[{"id": "user_p1", "external_id": "user_1", "email_addresses": [{"id": "e", "email_address": "ada@example.com", "verification": {"status": "verified"}}], "primary_email_address_id": "e"}]"#;
        let state = state.reduce(Action::Verify(
            VerifySlot::Prod,
            vec![("prod.json".into(), prod.to_vec())],
        ));
        let verified = state.verified.clone().unwrap().unwrap();
        // user_2 was rejected by prepare (invalid email): never imported, not missing.
        assert_eq!(
            (verified.counts.matched, verified.counts.not_imported),
            (1, 1)
        );
        let state = state.reduce(Action::ClearVerify);
        assert_eq!(state.verified, None);
    }

    #[test]
    fn filters_narrow_the_issues() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let outcome = prepare(EXPORT, &state.request().unwrap().options).unwrap();
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
