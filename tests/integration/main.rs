//! claimtag's integration tests: one binary, a harness, a module per area.
//!
//! - `util`: temp dir per test, running the binary, JSONL/CSV readers, diffs.
//! - `corpus`: the sample articles of `data/articles`, annotated once, and
//!   small inline articles whose labels the annotation guide fixes.
//! - the other modules test one area each; `regression` holds tests named
//!   after the bugs they caught.
//!
//! Labels of `data/articles` claims change as attribution improves, so no test
//! here asserts them; tests assert the dataset contract (fields, offsets,
//! schemas, exit codes, determinism) and a few labels the guide makes certain.

mod util;

mod cli;
mod corpus;
mod csv_safe;
mod datapackage;
mod hard_cases;
mod ingest;
mod multibyte;
mod offsets;
mod properties;
mod regression;
mod report;
mod schema;
mod shard;
mod summary;
