//! docfacts: messy documents in, trustworthy structured facts out.
//!
//! Data flows one way, one module per stage:
//! `read` -> `extract` (html | pdf | text) -> `repair` -> `language` -> `facts` -> `record` ->
//! `write`. [`pipeline`] chains the stages for one document; [`cli`] runs batches.

pub mod batch;
pub mod cli;
pub mod entities;
pub mod explain;
pub mod extract;
pub mod facts;
pub mod language;
pub mod limits;
pub mod memo;
pub mod model;
pub mod offsets;
pub mod pipeline;
pub mod read;
pub mod record;
pub mod repair;
pub mod wordre;
pub mod write;

/// The JSON Schema (draft 2020-12) every output file validates against.
pub const SCHEMA_JSON: &str = include_str!("../schema/facts.schema.json");
