//! Turns a [`crate::engine::Report`] into what the user reads: the human
//! diagnostics (rustc/ruff style) or the JSON document of SPEC section 6.

pub mod human;
pub mod json;
pub mod live;
