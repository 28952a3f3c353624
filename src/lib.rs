//! clerk-dev2prod moves a Clerk development instance's users to a production instance
//! without losing the ids a team's database is keyed by.
//!
//! [`core`] is the pure engine (bytes in, values out) shared by every front end:
//! the Yew page in [`web`] (wasm32 only) and the `clerk-dev2prod` command line (native only).

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;
