//! The page's state and the actions that change it, reduced in one place (`use_reducer`).

use std::rc::Rc;

use yew::Reducible;

use super::Lang;
use crate::core::text::TextStats;

/// A file the page has read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub name: String,
    pub stats: TextStats,
}

/// Where the page stands with its input.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Empty,
    Reading { name: String },
    Loaded(Loaded),
    Failed { name: String, detail: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub input: Input,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            lang,
            input: Input::Empty,
        }
    }
}

pub enum Action {
    SetLang(Lang),
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
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::Reading { name } => next.input = Input::Reading { name },
            Action::Read { name, bytes } => {
                next.input = Input::Loaded(Loaded {
                    name,
                    stats: TextStats::of(&bytes),
                })
            }
            Action::ReadFailed { name, detail } => next.input = Input::Failed { name, detail },
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_new_file_replaces_the_old_state() {
        let state = Rc::new(AppState::new(Lang::En));
        let state = state.reduce(Action::Read {
            name: "a.csv".into(),
            bytes: b"id\nuser_1\n".to_vec(),
        });
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
            bytes: b"x".to_vec(),
        });
        assert_eq!(
            state.input,
            Input::Loaded(Loaded {
                name: "b.csv".into(),
                stats: TextStats { bytes: 1, lines: 1 }
            })
        );
    }

    #[test]
    fn switching_language_keeps_the_file() {
        let state = Rc::new(AppState::new(Lang::En)).reduce(Action::Read {
            name: "a.csv".into(),
            bytes: b"id\n".to_vec(),
        });
        let state = state.reduce(Action::SetLang(Lang::Es));
        assert_eq!(state.lang, Lang::Es);
        assert!(matches!(state.input, Input::Loaded(_)));
    }
}
