//! One binary, two faces: in the browser it mounts the page, in a terminal it is the CLI.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod database;

#[cfg(target_arch = "wasm32")]
fn main() {
    clerk_dev2prod::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().skip(1).collect())
}
