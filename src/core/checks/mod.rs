//! The checks after the import: does every service receive the dev id? One looks at a real
//! production session token, the other at the services' source code.

pub mod code_scan;
pub mod token;
