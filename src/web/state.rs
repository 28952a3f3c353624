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
use crate::core::reconcile::{
    check_input, reconcile, NotThisInput, ReconcileError, ReconcileInput, Reconciled, VerifyInput,
};
use crate::core::sniff::{sniff, FileKind};
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

/// Which issues the table shows, in which order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssueFilter {
    pub severity: Option<Severity>,
    pub code: Option<Code>,
    pub search: String,
    pub sort: IssueSort,
    pub page: usize,
}

/// The order of the problem table; each keeps the file's order among equals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IssueSort {
    /// Errors (rejected rows) first, then warnings, then notes.
    #[default]
    Severity,
    /// As the rows stand in the file.
    Row,
    /// Problems of one kind together, kinds by their name in the page's language.
    Kind,
}

impl IssueSort {
    pub const ALL: [IssueSort; 3] = [IssueSort::Severity, IssueSort::Row, IssueSort::Kind];

    pub fn as_str(self) -> &'static str {
        match self {
            IssueSort::Severity => "severity",
            IssueSort::Row => "row",
            IssueSort::Kind => "kind",
        }
    }

    /// `issues` (positions into `all`) put in this order, stably.
    pub fn apply(self, all: &[Issue], issues: &mut [usize], lang: Lang) {
        match self {
            IssueSort::Severity => issues.sort_by_key(|&i| (all[i].severity(), all[i].row)),
            IssueSort::Row => issues.sort_by_key(|&i| (all[i].row, all[i].severity())),
            IssueSort::Kind => issues.sort_by_key(|&i| (all[i].code.label(lang), all[i].row)),
        }
    }
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
            || issue.code.label(lang).to_lowercase().contains(&needle)
            || issue.field.label(lang).to_lowercase().contains(&needle)
            || issue.message(lang).to_lowercase().contains(&needle)
    }
}

/// The page's steps, in the order the migration runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Keys,
    Export,
    Settings,
    Claims,
    Import,
    Verify,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Keys,
        Step::Export,
        Step::Settings,
        Step::Claims,
        Step::Import,
        Step::Verify,
    ];

    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The id of the step's section, for links to it.
    pub fn anchor(self) -> &'static str {
        match self {
            Step::Keys => "step-keys",
            Step::Export => "step-export",
            Step::Settings => "step-settings",
            Step::Claims => "step-claims",
            Step::Import => "step-import",
            Step::Verify => "step-verify",
        }
    }
}

/// What became of one file dropped or picked on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct DropNote {
    pub name: String,
    pub kind: FileKind,
    pub outcome: DropOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropOutcome {
    /// Given to this step.
    Taken(Step),
    /// A user export while another is prepared: the user says what it is.
    HeldForChoice,
    /// Not recognised, and nothing to lose: read as the export, whose step says why not.
    TriedAsExport,
    /// Not recognised; nothing changed.
    NotUsed,
    /// A second user export in the same drop: one at a time.
    OneExportAtATime,
}

/// What a held user export is, as the user says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingUse {
    /// It replaces the prepared export.
    Replace,
    /// It is production's users, taken before the import.
    ProductionBefore,
    /// It is production's users, taken after the import (the verify step).
    ProductionAfter,
    Discard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    /// The claim name as typed; the outputs use it once it is valid.
    pub claim_name: String,
    pub claim_error: Option<BadClaimName>,
    /// The last valid claim name: what the prepared files hold while the typed one is refused
    /// (and every download embedding it is disabled).
    pub valid_claim: String,
    /// What became of each file of the last drop or pick.
    pub drop_notes: Vec<DropNote>,
    /// A user export dropped while another is prepared, until the user says what it is.
    pub pending_export: Option<Given>,
    /// The prepared export a new one is replacing: back on screen if the new one fails.
    pub previous: Option<Loaded>,
    /// An export that failed while another was prepared: its name and why.
    pub refused_export: Option<(String, PrepareError)>,
    /// Settings that could not be read while good ones are in use: name and why.
    pub refused_settings: Option<(String, NotSettings)>,
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
    /// A production-users file that could not be read while a good one was in use: the good
    /// one stays, and this says why the new one was not taken.
    pub refused_production_users: Option<(String, PrepareError)>,
    /// Files of the last pick or drop on a verify input that are not what it takes: none of
    /// them replaced a file in use.
    pub refused_verify: Vec<(VerifySlot, String, NotThisInput)>,
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

impl VerifySlot {
    fn input(self) -> VerifyInput {
        match self {
            VerifySlot::Dev => VerifyInput::Dev,
            VerifySlot::Prod => VerifyInput::Prod,
            VerifySlot::Logs => VerifyInput::Log,
            VerifySlot::DbIds => VerifyInput::DbIds,
        }
    }
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            claim_name: DEFAULT_CLAIM.into(),
            claim_error: None,
            valid_claim: DEFAULT_CLAIM.into(),
            drop_notes: Vec::new(),
            pending_export: None,
            previous: None,
            refused_export: None,
            refused_settings: None,
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
            refused_production_users: None,
            refused_verify: Vec::new(),
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

    /// A prepared export (or one being prepared) that a new one would replace.
    pub fn has_good_export(&self) -> bool {
        matches!(&self.input, Input::Loaded(l) if !matches!(l.outcome, Some(Err(_))))
    }

    /// Takes `bytes` as the export; the prepared one waits in `previous` until the new one
    /// proves usable.
    fn load_export(&mut self, name: String, bytes: Vec<u8>) {
        self.previous = match std::mem::replace(&mut self.input, Input::Empty) {
            Input::Loaded(loaded) if matches!(loaded.outcome, Some(Ok(_))) => Some(loaded),
            _ => None,
        };
        self.refused_export = None;
        self.filter = IssueFilter::default();
        self.selected = None;
        self.input = Input::Loaded(Loaded {
            stats: TextStats::of(&bytes),
            name,
            bytes: Shared(Rc::new(bytes)),
            outcome: None,
            progress: Some(0.0),
        });
        if self.verify.prod.is_some() && self.verify.dev.is_none() {
            self.reverify();
        }
    }

    /// Reads settings; a file that is not settings never replaces settings in use.
    fn set_instance(&mut self, name: String, bytes: &[u8]) {
        match read_settings(bytes) {
            Err(err) if matches!(self.instance, Some((_, Ok(_)))) => {
                self.refused_settings = Some((name, err));
            }
            read => {
                self.refused_settings = None;
                self.instance = Some((name, read));
            }
        }
    }

    fn add_key_files(&mut self, files: Vec<KeyFile>) {
        for file in files {
            self.key_files.retain(|f| f.service != file.service);
            self.key_files.push(file);
        }
        self.key_report = Some(Shared(Rc::new(check_keys(&self.key_files))));
    }

    /// Sends each file to the step that reads it, by its content. `export_picker`: the
    /// export step's own picker, where choosing a user export is the act of replacing.
    fn route(&mut self, files: Vec<(String, Vec<u8>)>, export_picker: bool) {
        self.drop_notes.clear();
        let mut export_taken = false;
        for (name, bytes) in files {
            let kind = sniff(&name, &bytes);
            let given = |name: &str, bytes: Vec<u8>| Given {
                name: name.to_string(),
                bytes: Shared(Rc::new(bytes)),
            };
            let outcome = match kind {
                FileKind::UserExport | FileKind::Unknown if export_taken => {
                    if kind == FileKind::UserExport {
                        DropOutcome::OneExportAtATime
                    } else {
                        DropOutcome::NotUsed
                    }
                }
                FileKind::UserExport if export_picker || !self.has_good_export() => {
                    export_taken = true;
                    self.pending_export = None;
                    self.load_export(name.clone(), bytes);
                    DropOutcome::Taken(Step::Export)
                }
                FileKind::UserExport => {
                    export_taken = true;
                    self.pending_export = Some(given(&name, bytes));
                    DropOutcome::HeldForChoice
                }
                FileKind::Unknown if export_picker || !self.has_good_export() => {
                    // Nothing to lose: the export step says precisely why it is not one.
                    export_taken = true;
                    self.load_export(name.clone(), bytes);
                    DropOutcome::TriedAsExport
                }
                FileKind::Unknown => DropOutcome::NotUsed,
                FileKind::ProductionExport => {
                    self.verify.prod = Some(given(&name, bytes));
                    self.reverify();
                    DropOutcome::Taken(Step::Verify)
                }
                FileKind::EnvironmentDocument => {
                    self.set_instance(name.clone(), &bytes);
                    DropOutcome::Taken(Step::Settings)
                }
                FileKind::ServiceConfig => {
                    self.add_key_files(vec![KeyFile {
                        service: name.clone(),
                        bytes,
                    }]);
                    DropOutcome::Taken(Step::Keys)
                }
                FileKind::MigrationLog => {
                    self.verify.logs.push(given(&name, bytes));
                    self.reverify();
                    DropOutcome::Taken(Step::Verify)
                }
                FileKind::DatabaseIds => {
                    self.verify.db_ids = Some(given(&name, bytes));
                    self.reverify();
                    DropOutcome::Taken(Step::Verify)
                }
            };
            self.drop_notes.push(DropNote {
                name,
                kind,
                outcome,
            });
        }
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
                // While the typed name is refused the files keep the last valid one, and the
                // downloads holding it are disabled: never a silent userId.
                claim_name: self.valid_claim.clone(),
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
    /// Files dropped on the page or picked in the export step (`export_picker`), each sent
    /// to the step that reads it.
    Files {
        files: Vec<(String, Vec<u8>)>,
        export_picker: bool,
    },
    /// What the held user export is.
    UsePending(PendingUse),
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
    Sort(IssueSort),
    Page(usize),
    /// Narrows the problem table to one kind of problem or one user's rows, from another
    /// step's list (the settings' findings).
    ShowInTable {
        code: Option<Code>,
        search: String,
    },
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
                if next.claim_error.is_none() {
                    next.valid_claim = name.clone();
                }
                next.claim_name = name;
            }
            Action::Files {
                files,
                export_picker,
            } => next.route(files, export_picker),
            Action::UsePending(choice) => {
                if let Some(held) = next.pending_export.take() {
                    let bytes = Rc::try_unwrap(held.bytes.0).unwrap_or_else(|rc| (*rc).clone());
                    match choice {
                        PendingUse::Replace => next.load_export(held.name, bytes),
                        PendingUse::ProductionBefore => {
                            next.production_users =
                                Some((held.name, ProductionUsers::read(&bytes).map(Arc::new)));
                        }
                        PendingUse::ProductionAfter => {
                            next.verify.prod = Some(Given {
                                name: held.name,
                                bytes: Shared(Rc::new(bytes)),
                            });
                            next.reverify();
                        }
                        PendingUse::Discard => {}
                    }
                }
                next.drop_notes.clear();
            }
            Action::KeepUnverified(keep) => next.keep_unverified = keep,
            Action::Reading { name } => next.input = Input::Reading { name },
            Action::Read { name, bytes } => next.load_export(name, bytes),
            Action::ReadFailed { name, detail } => next.input = Input::Failed { name, detail },
            Action::Progress(fraction) => {
                if let Input::Loaded(loaded) = &mut next.input {
                    loaded.progress = Some(fraction);
                }
            }
            Action::Prepared(outcome) => {
                match (outcome, next.previous.take()) {
                    // A file that fails never replaces an export that was prepared.
                    (Err(err), Some(previous)) => {
                        if let Input::Loaded(failed) = &next.input {
                            next.refused_export = Some((failed.name.clone(), err));
                        }
                        next.input = Input::Loaded(previous);
                    }
                    (outcome, _) => {
                        if let Input::Loaded(loaded) = &mut next.input {
                            loaded.outcome = Some(outcome);
                            loaded.progress = None;
                        }
                    }
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
            Action::Sort(sort) => {
                next.filter.sort = sort;
                next.filter.page = 0;
            }
            Action::Page(page) => next.filter.page = page,
            Action::ShowInTable { code, search } => {
                // The user's sort, if any, stays; what narrows the table is replaced.
                next.filter.severity = None;
                next.filter.code = code;
                next.filter.search = search;
                next.filter.page = 0;
            }
            Action::Select(line) => next.selected = line,
            Action::AddKeyFiles(files) => next.add_key_files(files),
            Action::ClearKeys => {
                next.key_files.clear();
                next.key_report = None;
            }
            Action::Verify(slot, files) => {
                // A file that is not what the input takes is refused by name and with why;
                // the one in use, if any, stays.
                next.refused_verify.clear();
                let mut taken = Vec::new();
                for (name, bytes) in files {
                    match check_input(slot.input(), &bytes) {
                        Ok(()) => taken.push(Given {
                            name,
                            bytes: Shared(Rc::new(bytes)),
                        }),
                        Err(why) => next.refused_verify.push((slot, name, why)),
                    }
                }
                if !taken.is_empty() {
                    let mut given = taken.into_iter();
                    match slot {
                        VerifySlot::Dev => next.verify.dev = given.next(),
                        VerifySlot::Prod => next.verify.prod = given.next(),
                        VerifySlot::Logs => next.verify.logs.extend(given),
                        VerifySlot::DbIds => next.verify.db_ids = given.next(),
                    }
                    next.reverify();
                }
            }
            Action::InstanceSettings { name, bytes } => next.set_instance(name, &bytes),
            Action::ClearInstance => {
                next.instance = None;
                next.refused_settings = None;
            }
            Action::ProductionUsers { name, bytes } => match ProductionUsers::read(&bytes) {
                Err(err) if matches!(next.production_users, Some((_, Ok(_)))) => {
                    next.refused_production_users = Some((name, err));
                }
                read => {
                    next.refused_production_users = None;
                    next.production_users = Some((name, read.map(Arc::new)));
                }
            },
            Action::ClearProductionUsers => {
                next.production_users = None;
                next.refused_production_users = None;
            }
            Action::ClearVerify => {
                next.verify = VerifyFiles::default();
                next.verified = None;
                next.refused_verify.clear();
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
    fn a_refused_claim_name_never_reaches_the_files() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let state = state.reduce(Action::SetClaimName("devId".into()));
        let state = state.reduce(Action::SetClaimName("sub".into()));
        assert!(matches!(state.claim_error, Some(BadClaimName::Reserved(_))));
        // The last valid name stays, not a silent userId.
        assert_eq!(state.request().unwrap().options.claim_name, "devId");
        assert_ne!(DEFAULT_CLAIM, "devId");
    }

    fn files(list: &[(&str, &[u8])]) -> Action {
        Action::Files {
            files: list
                .iter()
                .map(|(n, b)| (n.to_string(), b.to_vec()))
                .collect(),
            export_picker: false,
        }
    }

    #[test]
    fn a_drop_goes_to_its_step_and_never_replaces_a_prepared_export() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let done = Shared(Rc::new(
            prepare(EXPORT, &state.request().unwrap().options).unwrap(),
        ));
        let state = state.reduce(Action::Prepared(Ok(done.clone())));
        let environment = br#"{"object":"environment","user_settings":{"attributes":{}}}"#;
        let state = state.reduce(files(&[
            ("env.json", environment),
            ("gateway.env", b"PORT=1\n"),
            ("notes.txt", b"hello there\n"),
            (
                "other.csv",
                b"id,primary_email_address\nuser_9,z@example.com\n",
            ),
        ]));
        assert_eq!(
            loaded(&state).outcome,
            Some(Ok(done.clone())),
            "the export stays"
        );
        assert!(matches!(state.instance, Some((_, Ok(_)))));
        assert_eq!(state.key_files.len(), 1);
        let outcomes: Vec<DropOutcome> = state.drop_notes.iter().map(|n| n.outcome).collect();
        assert_eq!(
            outcomes,
            [
                DropOutcome::Taken(Step::Settings),
                DropOutcome::Taken(Step::Keys),
                DropOutcome::NotUsed,
                DropOutcome::HeldForChoice
            ]
        );
        // Replacing is the user's act, and a replacement that fails brings the old one back.
        let state = state.reduce(Action::UsePending(PendingUse::Replace));
        assert_eq!(loaded(&state).name, "other.csv");
        let state = state.reduce(Action::Prepared(Err(PrepareError::NoUsers)));
        assert_eq!(loaded(&state).outcome, Some(Ok(done)));
        assert_eq!(
            state.refused_export.as_ref().map(|(n, _)| n.as_str()),
            Some("other.csv")
        );
    }

    #[test]
    fn bad_settings_never_replace_good_ones() {
        let state = Rc::new(AppState::new(Lang::En));
        let good = br#"{"user_settings":{"attributes":{}}}"#.to_vec();
        let state = state.reduce(Action::InstanceSettings {
            name: "env.json".into(),
            bytes: good,
        });
        let state = state.reduce(Action::InstanceSettings {
            name: "users.csv".into(),
            bytes: b"id\n".to_vec(),
        });
        assert!(matches!(&state.instance, Some((name, Ok(_))) if name == "env.json"));
        assert!(state.refused_settings.is_some());
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
    fn a_bad_file_never_replaces_a_verify_input() {
        let state = read(Rc::new(AppState::new(Lang::En)), EXPORT);
        let prod = br#"[{"id": "user_p1", "external_id": "user_1"}]"#;
        let state = state.reduce(Action::Verify(
            VerifySlot::Prod,
            vec![("prod.json".into(), prod.to_vec())],
        ));
        let state = state.reduce(Action::Verify(
            VerifySlot::DbIds,
            vec![("ids.txt".into(), b"user_1\n".to_vec())],
        ));
        let before = state.verified.clone();
        let state = state.reduce(Action::Verify(
            VerifySlot::Prod,
            vec![("notes.txt".into(), b"{ not json".to_vec())],
        ));
        let state = state.reduce(Action::Verify(
            VerifySlot::DbIds,
            vec![("prod.json".into(), prod.to_vec())],
        ));
        assert_eq!(state.verify.prod.as_ref().unwrap().name, "prod.json");
        assert_eq!(state.verify.db_ids.as_ref().unwrap().name, "ids.txt");
        assert_eq!(state.verified, before, "the result stays");
        assert_eq!(state.refused_verify.len(), 1, "the last refusal is shown");
        assert_eq!(state.refused_verify[0].0, VerifySlot::DbIds);
        let state = state.reduce(Action::Verify(
            VerifySlot::Logs,
            vec![("notes.txt".into(), b"hello\n".to_vec())],
        ));
        assert!(state.verify.logs.is_empty());
        assert_eq!(state.refused_verify[0].2, NotThisInput::NotALog);
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
