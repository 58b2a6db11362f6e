//! Summaries: `claimtag summary` and `annotate --summary` give the same
//! tables; the figures add up to the claims (counted here independently);
//! every row matches its schema; CSV by default, JSONL on request.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};

use claimtag::output::summary::{SourceRow, SummaryRow};

use crate::corpus::{ruiz_and_ledger, sample};
use crate::util::{articles_dir, parse_csv, parse_jsonl, repo, str_field, uint_field, Dir};

const TYPES: [&str; 4] = [
    "official_statement",
    "media_report",
    "reporter_observation",
    "other_source",
];

/// The sample's claims and articles as JSONL files in `dir`.
fn sample_files(dir: &Dir) {
    dir.write("claims.jsonl", &sample().claims_jsonl);
    dir.write("articles.jsonl", &sample().articles_jsonl);
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join(format!("schemas/{name}.schema.json"))).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[track_caller]
fn assert_valid(name: &str, records: &[Value]) {
    assert!(!records.is_empty(), "no {name} records");
    let v = validator(name);
    let problems: Vec<String> = records
        .iter()
        .flat_map(|r| v.iter_errors(r).map(move |e| format!("{e} in {r}")))
        .take(10)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn annotate_summary_equals_the_summary_command() {
    let dir = Dir::new("summary_same");
    sample_files(&dir);
    for sub in ["a", "b", "c", "d"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "-o", "claims.csv", "--summary", "a/summary.jsonl"])
        .run()
        .ok();
    dir.command()
        .args(["summary", "claims.jsonl", "--articles", "articles.jsonl"])
        .args(["-o", "b/summary.jsonl"])
        .run()
        .ok();
    for name in ["summary.jsonl", "summary-sources.jsonl"] {
        assert_eq!(
            dir.read(&format!("a/{name}")),
            dir.read(&format!("b/{name}")),
            "{name}"
        );
    }
    // And the CSV of both equals too.
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "-o", "claims.jsonl", "--summary", "c/summary.csv"])
        .run()
        .ok();
    dir.command()
        .args(["summary", "claims.jsonl", "--articles", "articles.jsonl"])
        .args(["-o", "d/summary.csv"])
        .run()
        .ok();
    assert_eq!(dir.read("c/summary.csv"), dir.read("d/summary.csv"));
    assert_eq!(
        dir.read("c/summary-sources.csv"),
        dir.read("d/summary-sources.csv")
    );
}

#[test]
fn summary_figures_add_up_to_the_claims() {
    let dir = Dir::new("summary_figures");
    sample_files(&dir);
    dir.command()
        .args(["summary", "claims.jsonl", "--articles", "articles.jsonl"])
        .args(["-o", "s.jsonl", "--top", "0"])
        .run()
        .ok();
    let rows = parse_jsonl(&dir.read("s.jsonl"), "s.jsonl");
    let sources = parse_jsonl(&dir.read("s-sources.jsonl"), "s-sources.jsonl");
    let s = sample();

    // Independent counts from the claims.
    let mut claims_of: HashMap<&str, Vec<&Value>> = HashMap::new();
    for c in &s.claims {
        claims_of
            .entry(str_field(c, "article_id"))
            .or_default()
            .push(c);
    }
    let article_rows: Vec<&Value> = rows.iter().filter(|r| r["level"] == "article").collect();
    let ids: Vec<&str> = article_rows
        .iter()
        .map(|r| str_field(r, "article_id"))
        .collect();
    let expected_ids: Vec<&str> = s
        .articles
        .iter()
        .map(|a| str_field(a, "article_id"))
        .collect();
    assert_eq!(ids, expected_ids, "one row per article, in input order");
    for (row, article) in article_rows.iter().zip(&s.articles) {
        let id = str_field(row, "article_id");
        let claims = claims_of.get(id).cloned().unwrap_or_default();
        assert_eq!(row["outlet"], article["outlet"], "{id}");
        assert_eq!(row["title"], article["title"], "{id}");
        assert_eq!(uint_field(row, "n_articles"), 1);
        assert_eq!(uint_field(row, "n_claims"), claims.len(), "{id}");
        let mut share_sum = 0.0;
        for t in TYPES {
            let n = claims.iter().filter(|c| c["source_type"] == t).count();
            assert_eq!(uint_field(row, &format!("n_{t}")), n, "{id} {t}");
            assert_eq!(
                uint_field(row, &format!("n_{t}")),
                uint_field(article, &format!("n_{t}"))
            );
            let share = row[format!("share_{t}")].as_f64().unwrap();
            if !claims.is_empty() {
                assert!(
                    (share - n as f64 / claims.len() as f64).abs() <= 0.00005,
                    "{id} {t}"
                );
            }
            share_sum += share;
        }
        if !claims.is_empty() {
            assert!(
                (share_sum - 1.0).abs() < 0.001,
                "{id}: shares sum to {share_sum}"
            );
        }
        let direct = claims
            .iter()
            .filter(|c| c["quote_type"] == "direct")
            .count();
        assert_eq!(uint_field(row, "n_direct_quotes"), direct, "{id}");
        let distinct: BTreeSet<&str> = claims
            .iter()
            .map(|c| str_field(c, "source"))
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(
            uint_field(row, "n_distinct_sources"),
            distinct.len(),
            "{id}"
        );
    }

    // Outlet rows: every outlet once, sorted, adding up to the `all` row.
    let outlet_rows: Vec<&Value> = rows.iter().filter(|r| r["level"] == "outlet").collect();
    let outlets: BTreeSet<&str> = s.articles.iter().map(|a| str_field(a, "outlet")).collect();
    let names: Vec<&str> = outlet_rows.iter().map(|r| str_field(r, "outlet")).collect();
    assert_eq!(names, outlets.into_iter().collect::<Vec<_>>());
    let all = rows.last().unwrap();
    assert_eq!(all["level"], "all");
    assert_eq!(uint_field(all, "n_claims"), s.claims.len());
    assert_eq!(uint_field(all, "n_articles"), s.articles.len());
    for field in [
        "n_articles",
        "n_claims",
        "n_direct_quotes",
        "n_official_statement",
    ] {
        let sum: usize = outlet_rows.iter().map(|r| uint_field(r, field)).sum();
        assert_eq!(sum, uint_field(all, field), "outlet rows add up: {field}");
    }
    assert_eq!(rows.len(), article_rows.len() + outlet_rows.len() + 1);

    // Sources: counted independently, most claims first.
    let mut by_source: BTreeMap<(&str, &str), (usize, BTreeSet<&str>)> = BTreeMap::new();
    for c in &s.claims {
        let source = str_field(c, "source");
        if source.is_empty() {
            continue;
        }
        let e = by_source
            .entry((source, str_field(c, "source_type")))
            .or_default();
        e.0 += 1;
        e.1.insert(str_field(c, "article_id"));
    }
    assert_eq!(sources.len(), by_source.len(), "--top 0 keeps every source");
    let mut previous = usize::MAX;
    for (rank, r) in sources.iter().enumerate() {
        assert_eq!(uint_field(r, "rank"), rank + 1);
        let key = (str_field(r, "source"), str_field(r, "source_type"));
        let (n, articles) = &by_source[&key];
        assert_eq!(uint_field(r, "n_claims"), *n, "{key:?}");
        assert_eq!(uint_field(r, "n_articles"), articles.len(), "{key:?}");
        assert!(*n <= previous, "sorted by claims");
        previous = *n;
    }
}

#[test]
fn summary_records_match_their_schemas_and_strict_types() {
    let dir = Dir::new("summary_schema");
    sample_files(&dir);
    dir.command()
        .args([
            "summary",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
            "-o",
            "s.jsonl",
        ])
        .run()
        .ok();
    let rows_text = dir.read("s.jsonl");
    let sources_text = dir.read("s-sources.jsonl");
    assert_valid("summary", &parse_jsonl(&rows_text, "s.jsonl"));
    assert_valid(
        "summary_source",
        &parse_jsonl(&sources_text, "s-sources.jsonl"),
    );
    for line in rows_text.lines() {
        let row: SummaryRow = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), line);
    }
    for line in sources_text.lines() {
        let row: SourceRow = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), line);
    }
    // The validators do reject bad rows.
    let mut bad = parse_jsonl(&rows_text, "s.jsonl")[0].clone();
    bad["level"] = json!("planet");
    assert!(!validator("summary").is_valid(&bad));
    // And `claimtag schema` prints them.
    for (name, file) in [("summary", "summary"), ("summary-source", "summary_source")] {
        let printed: Value =
            serde_json::from_str(&dir.command().args(["schema", name]).run().ok().stdout())
                .unwrap();
        let on_disk: Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join(format!("schemas/{file}.schema.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(printed, on_disk, "schema {name}");
    }
}

#[test]
fn summary_is_csv_on_stdout_by_default_with_sources_beside_a_file() {
    let dir = Dir::new("summary_csv");
    sample_files(&dir);
    let out = dir
        .command()
        .args(["summary", "claims.jsonl", "--articles", "articles.jsonl"])
        .run()
        .ok()
        .stdout();
    let (header, rows) = parse_csv(&out, "summary on stdout");
    assert_eq!(header[0], "level");
    assert_eq!(header.len(), 18);
    assert_eq!(rows.last().unwrap()[0], "all");
    assert!(
        !dir.exists("summary-sources.csv"),
        "no sources file for stdout"
    );

    dir.command()
        .args(["summary", "claims.jsonl", "--articles", "articles.jsonl"])
        .args(["-o", "out.csv", "--top", "3"])
        .run()
        .ok();
    let (header, rows) = parse_csv(&dir.read("out-sources.csv"), "sources");
    assert_eq!(header[..3], ["rank", "source", "source_type"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(parse_csv(&dir.read("out.csv"), "summary").1, rows_of(&out));

    // --sources elsewhere, JSONL on request, claims from stdin.
    dir.command()
        .args([
            "summary",
            "-",
            "--format",
            "jsonl",
            "--sources",
            "top.jsonl",
        ])
        .stdin(sample().claims_jsonl.clone())
        .run()
        .ok();
    assert_eq!(parse_jsonl(&dir.read("top.jsonl"), "top.jsonl").len(), 50);
}

fn rows_of(csv: &str) -> Vec<Vec<String>> {
    parse_csv(csv, "csv").1
}

#[test]
fn without_articles_the_outlet_is_unknown() {
    let dir = Dir::new("summary_no_articles");
    dir.write(
        "in/a.txt",
        format!("---\noutlet: The Post\n---\n{}", ruiz_and_ledger()),
    );
    dir.command()
        .args([
            "annotate",
            "in",
            "-q",
            "-o",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .run()
        .ok();
    let rows = dir
        .command()
        .args(["summary", "claims.jsonl", "--format", "jsonl"])
        .run()
        .ok()
        .jsonl();
    let levels: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (str_field(r, "level"), str_field(r, "outlet")))
        .collect();
    assert_eq!(levels, [("article", ""), ("outlet", ""), ("all", "")]);
    assert_eq!(uint_field(&rows[0], "n_official_statement"), 1);
    assert_eq!(uint_field(&rows[0], "n_media_report"), 1);
    // With the article records, the outlet is known.
    let rows = dir
        .command()
        .args([
            "summary",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
            "--format",
            "jsonl",
        ])
        .run()
        .ok()
        .jsonl();
    assert_eq!(rows[1]["outlet"], "The Post");
}

#[test]
fn bad_claim_lines_are_reported_and_the_rest_is_summarised() {
    let dir = Dir::new("summary_bad");
    let mut claims = sample().claims_jsonl.clone();
    claims.push_str("{\"not\": \"a claim\"}\n");
    dir.write("claims.jsonl", &claims);
    let run = dir
        .command()
        .args(["summary", "claims.jsonl", "--format", "jsonl"])
        .run();
    run.code(1)
        .stderr_has(&["claims.jsonl:", "not a claim record"]);
    // A missing output folder fails before any work.
    let early = dir
        .command()
        .arg("annotate")
        .arg(crate::util::articles_dir())
        .args(["-o", "claims.csv", "--summary", "nowhere/summary.csv"])
        .run();
    early.code(1).stderr_has(&["nowhere", "does not exist"]);
    assert!(!dir.exists("claims.csv"));
    let rows = run.jsonl();
    assert_eq!(
        uint_field(rows.last().unwrap(), "n_claims"),
        sample().claims.len()
    );
    dir.command()
        .args(["summary", "missing.jsonl"])
        .run()
        .code(1)
        .stderr_has(&["missing.jsonl"]);
    dir.command()
        .args(["summary", "-", "--articles", "-"])
        .run()
        .code(2);
}
