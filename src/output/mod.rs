//! Output: record types for JSONL and CSV, and the writers.
//!
//! Records carry code point offsets (what Python's `str` slicing uses); the
//! conversion from the pipeline's byte offsets happens here, once. Beside the
//! records: spreadsheet-safe CSV ([`csvsafe`]), summary tables ([`summary`]),
//! the HTML review report ([`report`]) and the Frictionless data package
//! ([`datapackage`]), collected during a run by [`extras::Collector`].

pub mod csvsafe;
pub mod datapackage;
pub mod extras;
mod records;
pub mod report;
pub mod summary;
mod writer;

pub use csvsafe::CsvOptions;
pub use extras::{Collector, Extras, Written};
pub use records::{ArticleCsvRecord, ArticleRecord, ClaimBase, ClaimRecord, SentenceRecord};
pub use writer::{AtomicFile, Format, RecordWriter};
