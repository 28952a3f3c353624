//! Running the engine without freezing the page: the rows are read in slices of a few dozen
//! milliseconds, and between slices the browser gets its thread back to paint the progress
//! bar and answer the user. A run is cancelled as soon as another one is asked for.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

use super::state::{Action, PrepareRequest, Shared};
use crate::core::prepare::{InMemory, Preparation};

/// How long one slice may keep the main thread (the browser counts tasks over 50 ms as long).
const SLICE_MS: f64 = 40.0;
/// Rows between two looks at the clock.
const ROWS_PER_CHECK: usize = 500;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Lets the browser run everything it has queued (painting, input) before going on.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Runs the engine for `request`, reporting progress and the outcome through `dispatch`,
/// unless `cancelled` is set first.
pub async fn run(request: PrepareRequest, dispatch: Callback<Action>, cancelled: Rc<Cell<bool>>) {
    // Let the page paint "0 %" before the first slice.
    yield_to_browser().await;
    if cancelled.get() {
        return;
    }
    // The run borrows the page's copy of the file for as long as it lasts: no second copy.
    let bytes = request.bytes.clone();
    let begun = Preparation::begin_counted(
        &bytes,
        request.stats,
        &request.options,
        InMemory::new(bytes.len()),
    );
    let mut preparation = match begun {
        Ok(preparation) => preparation,
        Err(err) => {
            dispatch.emit(Action::Prepared(Err(err)));
            return;
        }
    };
    loop {
        let slice_started = now();
        let progress = loop {
            let progress = preparation.step(ROWS_PER_CHECK);
            if progress.finished || now() - slice_started > SLICE_MS {
                break progress;
            }
        };
        if !progress.finished {
            dispatch.emit(Action::Progress(progress.fraction));
        }
        // Each of the last three pieces (the last slice of rows, writing the report and the
        // runbook, drawing the result) takes tens of milliseconds at 100k users: one task
        // each, so none of them adds to another.
        yield_to_browser().await;
        if cancelled.get() {
            return;
        }
        if progress.finished {
            break;
        }
    }
    let outcome = preparation.finish().map(|(mut prepared, outputs)| {
        prepared.files = outputs.files;
        Shared(Rc::new(prepared))
    });
    yield_to_browser().await;
    if !cancelled.get() {
        dispatch.emit(Action::Prepared(outcome));
    }
}
