//! notes-vet: vet a folder of client notes for red flags.
//!
//! The pipeline runs one way: [`scan`] finds notes, [`frontmatter`] splits
//! and parses them, [`model`] reads the known keys into a typed client
//! record, [`rules`] run against it, [`verdict`] decides, [`engine`] ties
//! these together per note and per folder, [`report`] prints the result,
//! and [`publish`] renders ([`render`]) and writes ([`write`]) the
//! generated files.

pub mod annotate;
pub mod cache;
pub mod config;
pub mod dates;
pub mod engine;
pub mod frontmatter;
pub mod fsx;
pub mod i18n;
pub mod listing;
pub mod lock;
pub mod lsp;
pub mod model;
pub mod pathmap;
pub mod plugins;
pub mod publish;
pub mod render;
pub mod report;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod vault;
pub mod verdict;
pub mod watch;
pub mod write;
