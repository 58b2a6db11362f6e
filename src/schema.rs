//! The JSON Schemas of the emitted records, compiled from `schemas/`.

/// `schemas/claim.schema.json`
pub const CLAIM: &str = include_str!("../schemas/claim.schema.json");
/// `schemas/article.schema.json`
pub const ARTICLE: &str = include_str!("../schemas/article.schema.json");
/// `schemas/sentence.schema.json`
pub const SENTENCE: &str = include_str!("../schemas/sentence.schema.json");
/// `schemas/summary.schema.json`
pub const SUMMARY: &str = include_str!("../schemas/summary.schema.json");
/// `schemas/summary_source.schema.json`
pub const SUMMARY_SOURCE: &str = include_str!("../schemas/summary_source.schema.json");
