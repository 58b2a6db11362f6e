//! Every emitted record validates against `schemas/` and deserializes into the
//! `deny_unknown_fields` record types, and serializes back to the same line.

use jsonschema::Validator;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use claimtag::output::{ArticleRecord, ClaimRecord, SentenceRecord};

use crate::corpus::{ruiz_and_ledger, sample};
use crate::util::{parse_jsonl, repo, Dir};

fn validator(name: &str) -> Validator {
    let path = repo().join(format!("schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", path.display()))
}

/// Validates every record; the panic lists every violation (up to 20).
#[track_caller]
fn assert_valid(name: &str, records: &[Value]) {
    assert!(!records.is_empty(), "no {name} records to validate");
    let validator = validator(name);
    let mut problems = Vec::new();
    for (n, record) in records.iter().enumerate() {
        for error in validator.iter_errors(record) {
            problems.push(format!(
                "{name} record {} at {}: {error}",
                n + 1,
                error.instance_path
            ));
        }
    }
    problems.truncate(20);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each line deserializes into `T` and serializes back to the same line.
#[track_caller]
fn assert_round_trip<T: DeserializeOwned + Serialize>(what: &str, jsonl: &str) {
    for (n, line) in jsonl.lines().enumerate() {
        let record: T = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{what} line {}: {e}\n{line}", n + 1));
        let again = serde_json::to_string(&record).unwrap();
        assert_eq!(again, line, "{what} line {} does not round-trip", n + 1);
    }
}

#[test]
fn sample_claims_match_the_claim_schema() {
    assert_valid("claim", &sample().claims);
}

#[test]
fn sample_article_records_match_the_article_schema() {
    assert_valid("article", &sample().articles);
}

#[test]
fn sample_sentences_match_the_sentence_schema() {
    assert_valid("sentence", &sample().sentences);
}

#[test]
fn sample_records_deserialize_into_the_strict_record_types() {
    let s = sample();
    assert_round_trip::<ClaimRecord>("claims.jsonl", &s.claims_jsonl);
    assert_round_trip::<ArticleRecord>("articles.jsonl", &s.articles_jsonl);
    assert_round_trip::<SentenceRecord>("sentences.jsonl", &s.sentences_jsonl);
}

#[test]
fn stdin_and_metadata_records_match_the_schemas() {
    let dir = Dir::new("schema_stdin");
    let input = format!(
        "{}\n{}\n",
        json!({"text": ruiz_and_ledger(), "tags": ["a", "b"], "score": 1.5, "draft": true, "note": null}),
        json!({"id": "x", "title": "T", "text": "Short one."}),
    );
    let run = dir
        .command()
        .args(["annotate", "-", "-q", "--articles", "articles.jsonl"])
        .stdin(input.clone())
        .run();
    run.ok();
    assert_valid("claim", &run.jsonl());
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    assert_valid("article", &articles);
    assert_round_trip::<ArticleRecord>("articles.jsonl", &dir.read("articles.jsonl"));
    let sentences = dir
        .command()
        .args(["sentences", "-", "-q"])
        .stdin(input)
        .run()
        .ok()
        .jsonl();
    assert_valid("sentence", &sentences);
}

#[test]
fn the_schemas_reject_what_the_guide_forbids() {
    // Guard: the validators do reject bad records, so the tests above mean something.
    let good = sample().claims[0].clone();
    let claim = validator("claim");
    assert!(claim.is_valid(&good));
    let broken = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut v = good.clone();
        edit(v.as_object_mut().unwrap());
        v
    };
    // (what, record, whether the strict record type rejects it too)
    let cases = [
        (
            "extra field",
            broken(&|m| {
                m.insert("extra".into(), json!(1));
            }),
            true,
        ),
        (
            "missing field",
            broken(&|m| {
                m.remove("rule");
            }),
            true,
        ),
        (
            "unknown source type",
            broken(&|m| {
                m.insert("source_type".into(), json!("rumour"));
            }),
            true,
        ),
        (
            "negative offset",
            broken(&|m| {
                m.insert("start".into(), json!(-1));
            }),
            true,
        ),
        (
            "confidence above 1",
            broken(&|m| {
                m.insert("confidence".into(), json!(1.5));
            }),
            false,
        ),
        (
            "claim id without index",
            broken(&|m| {
                m.insert("claim_id".into(), json!("story"));
            }),
            false,
        ),
    ];
    for (what, record, strict) in cases {
        assert!(
            !claim.is_valid(&record),
            "the claim schema accepts a {what}"
        );
        if strict {
            assert!(
                serde_json::from_value::<ClaimRecord>(record).is_err(),
                "ClaimRecord accepts a {what}"
            );
        }
    }
}
