//! Offsets and record structure on `data/articles`: `text[start:end]` in code
//! points is the claim's text, claims are ordered and disjoint, ids follow the
//! guide, counts add up, and the CSV holds the same values as the JSONL.

use std::collections::HashMap;

use serde_json::Value;

use claimtag::output::csvsafe::{guard, unguard};

use crate::cli::CLAIM_FIELDS;
use crate::corpus::sample;
use crate::util::{articles_dir, char_slice, parse_csv, str_field, uint_field};

/// Article texts by id, from the `--articles` records.
fn texts() -> HashMap<&'static str, &'static str> {
    sample()
        .articles
        .iter()
        .map(|a| (str_field(a, "article_id"), str_field(a, "text")))
        .collect()
}

/// Records grouped by article, in output order.
fn by_article(records: &'static [Value]) -> Vec<(&'static str, Vec<&'static Value>)> {
    let mut groups: Vec<(&str, Vec<&Value>)> = Vec::new();
    for r in records {
        let id = str_field(r, "article_id");
        match groups.last_mut() {
            Some((last, rs)) if *last == id => rs.push(r),
            _ => {
                assert!(
                    groups.iter().all(|(g, _)| *g != id),
                    "the records of {id} are not contiguous"
                );
                groups.push((id, vec![r]));
            }
        }
    }
    groups
}

#[test]
fn claim_text_is_the_code_point_slice_of_the_article_text() {
    let texts = texts();
    let mut failures = Vec::new();
    for c in &sample().claims {
        let id = str_field(c, "article_id");
        let text = texts
            .get(id)
            .unwrap_or_else(|| panic!("claim of unknown article {id}"));
        let (start, end) = (uint_field(c, "start"), uint_field(c, "end"));
        let slice = char_slice(text, start, end);
        if slice.as_deref() != Some(str_field(c, "text")) {
            failures.push(format!(
                "{}: text[{start}:{end}] = {slice:?}\n    claim text = {:?}",
                c["claim_id"], c["text"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sentence_text_is_the_code_point_slice_of_the_article_text() {
    let texts = texts();
    for (id, sentences) in by_article(&sample().sentences) {
        let text = texts[id];
        let mut previous_end = 0;
        for s in sentences {
            let (start, end) = (uint_field(s, "start"), uint_field(s, "end"));
            assert_eq!(
                char_slice(text, start, end).as_deref(),
                Some(str_field(s, "text")),
                "{id} sentence {}",
                s["index"]
            );
            assert!(start < end, "{id}: empty sentence {s}");
            assert!(previous_end <= start, "{id}: sentences overlap at {s}");
            previous_end = end;
        }
    }
}

#[test]
fn claims_are_ordered_disjoint_and_numbered_by_the_guide() {
    for (id, claims) in by_article(&sample().claims) {
        let mut previous: Option<&Value> = None;
        for (n, c) in claims.iter().enumerate() {
            assert_eq!(uint_field(c, "index"), n, "{id}: index counts from 0");
            assert_eq!(str_field(c, "claim_id"), format!("{id}#{n}"));
            let (start, end) = (uint_field(c, "start"), uint_field(c, "end"));
            assert!(start < end, "{id}: empty claim {c}");
            if let Some(p) = previous {
                assert!(
                    uint_field(p, "end") <= start,
                    "{id}: claim {} overlaps claim {}",
                    c["index"],
                    p["index"]
                );
                assert!(uint_field(p, "paragraph") <= uint_field(c, "paragraph"));
                assert!(uint_field(p, "sentence") <= uint_field(c, "sentence"));
            }
            previous = Some(c);
        }
    }
}

#[test]
fn each_claim_lies_in_the_sentence_it_names() {
    let sentences: HashMap<(&str, usize), &Value> = sample()
        .sentences
        .iter()
        .map(|s| ((str_field(s, "article_id"), uint_field(s, "index")), s))
        .collect();
    for c in &sample().claims {
        let key = (str_field(c, "article_id"), uint_field(c, "sentence"));
        let s = sentences
            .get(&key)
            .unwrap_or_else(|| panic!("{}: no sentence {key:?}", c["claim_id"]));
        assert!(
            uint_field(s, "start") <= uint_field(c, "start")
                && uint_field(c, "end") <= uint_field(s, "end"),
            "{} ({:?}) is not inside sentence {:?}",
            c["claim_id"],
            c["text"],
            s["text"]
        );
    }
}

#[test]
fn article_records_follow_input_order_and_count_their_claims() {
    let s = sample();
    let claim_groups = by_article(&s.claims);
    // Claims come in the order of their articles.
    let article_order: Vec<&str> = s
        .articles
        .iter()
        .map(|a| str_field(a, "article_id"))
        .collect();
    let claim_order: Vec<&str> = claim_groups.iter().map(|(id, _)| *id).collect();
    let with_claims: Vec<&str> = article_order
        .iter()
        .copied()
        .filter(|id| claim_order.contains(id))
        .collect();
    assert_eq!(claim_order, with_claims);
    let sentence_order: Vec<&str> = by_article(&s.sentences).iter().map(|(id, _)| *id).collect();
    assert_eq!(
        sentence_order, article_order,
        "sentences of every article, in order"
    );

    let counts: HashMap<&str, &Vec<&Value>> =
        claim_groups.iter().map(|(id, cs)| (*id, cs)).collect();
    for a in &s.articles {
        let id = str_field(a, "article_id");
        let claims = counts.get(id).map_or(&[][..], |v| &v[..]);
        assert_eq!(uint_field(a, "n_claims"), claims.len(), "{id}");
        for t in [
            "official_statement",
            "media_report",
            "reporter_observation",
            "other_source",
        ] {
            let n = claims.iter().filter(|c| c["source_type"] == t).count();
            assert_eq!(uint_field(a, &format!("n_{t}")), n, "{id}: n_{t}");
        }
    }
}

#[test]
fn article_ids_and_source_files_follow_the_guide() {
    for a in &sample().articles {
        let id = str_field(a, "article_id");
        let file = str_field(a, "source_file");
        assert!(!file.is_empty() && !file.contains('\\'), "{id}: {file:?}");
        if file.ends_with(".jsonl") {
            continue;
        }
        // The front matter `id`, else the path without its extension.
        let source = std::fs::read_to_string(articles_dir().join(file)).unwrap();
        let source = source.replace("\r\n", "\n");
        let meta_id = source
            .strip_prefix("---\n")
            .and_then(|rest| rest.split("\n---\n").next())
            .and_then(|block| block.lines().find_map(|l| l.strip_prefix("id:")))
            .map(|v| v.trim().trim_matches(['"', '\'']));
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        assert_eq!(id, meta_id.unwrap_or(stem), "{file}");
    }
}

/// A record as the CSV writes it by default: every string field through the
/// spreadsheet formula guard (`'` before a leading = + - @ tab CR NUL).
fn guarded(record: &Value) -> Value {
    let mut v = record.clone();
    for field in v.as_object_mut().unwrap().values_mut() {
        if let Value::String(text) = field {
            *text = guard(text).into_owned();
        }
    }
    v
}

#[test]
fn csv_round_trips_to_the_jsonl_values() {
    // The default CSV holds the guarded values (csv_safe.rs checks that
    // `--raw-csv` holds the exact ones).
    let s = sample();
    let (header, rows) = parse_csv(&s.claims_csv, "claims.csv");
    assert_eq!(header, CLAIM_FIELDS);
    assert_eq!(rows.len(), s.claims.len(), "same number of rows");
    for (row, json) in rows.iter().zip(&s.claims) {
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            header.iter().collect::<Vec<_>>(),
            "same fields in order"
        );
        for (field, cell) in header.iter().zip(row) {
            let value = &json[field];
            match value {
                Value::String(text) => {
                    assert_eq!(cell, &guard(text), "{} {field}", json["claim_id"]);
                    assert_eq!(unguard(cell), text, "{} {field}", json["claim_id"]);
                }
                Value::Number(n) => {
                    let parsed: f64 = cell
                        .parse()
                        .unwrap_or_else(|e| panic!("{} {field}: {cell:?}: {e}", json["claim_id"]));
                    assert_eq!(parsed, n.as_f64().unwrap(), "{} {field}", json["claim_id"]);
                }
                other => panic!(
                    "{} {field}: a CSV row holds scalars only, got {other}",
                    json["claim_id"]
                ),
            }
        }
    }

    // And through serde: the same records.
    let from_csv: Vec<claimtag::output::ClaimRecord> =
        csv::Reader::from_reader(s.claims_csv.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("CSV rows deserialize into ClaimRecord");
    let from_jsonl: Vec<claimtag::output::ClaimRecord> = s
        .claims
        .iter()
        .map(|v| serde_json::from_value(guarded(v)).unwrap())
        .collect();
    assert_eq!(from_csv.len(), from_jsonl.len());
    for (a, b) in from_csv.iter().zip(&from_jsonl) {
        assert_eq!(a, b, "CSV and JSONL records differ");
    }
}
