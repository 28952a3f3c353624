//! The page. It only calls the core engine and the browser: every number it shows and every
//! byte it offers for download comes from [`crate::core`].

mod app;
mod checks_view;
mod drop_zone;
mod existing_view;
mod i18n;
mod instance_view;
mod job;
mod keys_view;
mod outputs;
mod privacy;
mod report_view;
mod state;
mod table_text;
mod verify_view;

pub use i18n::Lang;
pub use state::{Action, AppState, Loaded};

/// Mounts the page on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
