//! The emulator's integration tests, one test binary with each file a
//! module: the HTTP stack, the store and the engine are linked once, not
//! once per file.

mod hardening;
mod policies;
mod project_properties;
mod ram_catalogue;
mod rest_surface;
mod server;
mod support;
