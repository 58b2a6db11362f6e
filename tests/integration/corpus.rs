//! Shared test inputs: the sample articles of `data/articles` annotated once
//! per test run, and small inline articles.

use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{articles_dir, parse_jsonl, Dir};

/// A sentence the guide makes certain: a direct quote of an official (an
/// office title before the name) with the cue `said`.
pub const RUIZ_QUOTE: &str = "\"We will reopen it,\" Mayor Ana Ruiz said.";

/// A sentence the guide makes certain: another outlet's report.
pub const LEDGER_REPORT: &str = "The Ledger reported that repairs may cost $4 million.";

/// A small article of the two sentences above, in two paragraphs.
pub fn ruiz_and_ledger() -> String {
    format!("{RUIZ_QUOTE}\n\n{LEDGER_REPORT}\n")
}

/// Everything the binary emits for `data/articles`.
pub struct Sample {
    /// `annotate -o claims.jsonl`, as written.
    pub claims_jsonl: String,
    pub claims: Vec<Value>,
    /// `annotate -o claims.csv`, as written.
    pub claims_csv: String,
    /// `annotate --articles articles.jsonl`, as written.
    pub articles_jsonl: String,
    pub articles: Vec<Value>,
    /// `sentences -o sentences.jsonl`, as written.
    pub sentences_jsonl: String,
    pub sentences: Vec<Value>,
}

/// `data/articles` annotated (once per test binary run).
pub fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = Dir::new("sample");
        let input = articles_dir();
        dir.command()
            .arg("annotate")
            .arg(&input)
            .args(["-q", "-o", "claims.jsonl", "--articles", "articles.jsonl"])
            .run()
            .ok();
        dir.command()
            .arg("annotate")
            .arg(&input)
            .args(["-q", "-o", "claims.csv"])
            .run()
            .ok();
        dir.command()
            .arg("sentences")
            .arg(&input)
            .args(["-q", "-o", "sentences.jsonl"])
            .run()
            .ok();
        let claims_jsonl = dir.read("claims.jsonl");
        let articles_jsonl = dir.read("articles.jsonl");
        let sentences_jsonl = dir.read("sentences.jsonl");
        let sample = Sample {
            claims: parse_jsonl(&claims_jsonl, "claims.jsonl"),
            articles: parse_jsonl(&articles_jsonl, "articles.jsonl"),
            sentences: parse_jsonl(&sentences_jsonl, "sentences.jsonl"),
            claims_csv: dir.read("claims.csv"),
            claims_jsonl,
            articles_jsonl,
            sentences_jsonl,
        };
        // Guard against tests that pass on nothing.
        assert!(sample.articles.len() >= 20, "too few sample articles");
        assert!(sample.claims.len() >= 200, "too few sample claims");
        assert!(!sample.sentences.is_empty(), "no sample sentences");
        sample
    })
}
