//! `--datapackage`: a Frictionless descriptor beside the CSV files whose
//! Table Schemas name every column in order with its type and allowed values,
//! and every cell of the CSV conforms to them (the same checks
//! `frictionless validate` makes; scripts/validate_datapackage.sh runs the real
//! one).

use std::path::Path;

use serde_json::Value;

use crate::util::{articles_dir, parse_csv, Dir};

/// Checks one CSV file against its resource: header = field names, and each
/// cell has its field's type and constraints.
#[track_caller]
fn assert_conforms(dir: &Path, resource: &Value, delimiter: u8) {
    let path = resource["path"].as_str().unwrap();
    let bytes = std::fs::read(dir.join(path)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let fields = resource["schema"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(header, names, "{path}: columns are the schema's fields");
    let mut n = 0;
    for record in reader.records() {
        let record = record.unwrap();
        n += 1;
        for (cell, f) in record.iter().zip(fields) {
            let name = f["name"].as_str().unwrap();
            let c = &f["constraints"];
            match f["type"].as_str().unwrap() {
                "integer" => {
                    let v: i64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("{path} {name}: {cell:?}"));
                    if let Some(min) = c["minimum"].as_i64() {
                        assert!(v >= min, "{path} {name}: {v} < {min}");
                    }
                }
                "number" => {
                    let v: f64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("{path} {name}: {cell:?}"));
                    if let Some(max) = c["maximum"].as_f64() {
                        assert!(v <= max, "{path} {name}: {v} > {max}");
                    }
                }
                "object" => {
                    let v: Value = serde_json::from_str(cell).unwrap();
                    assert!(v.is_object(), "{path} {name}: {cell:?}");
                }
                "string" => {
                    if let Some(values) = c["enum"].as_array() {
                        assert!(values.iter().any(|v| v == cell), "{path} {name}: {cell:?}");
                    }
                    if c["minLength"].as_u64().is_some() {
                        assert!(!cell.is_empty(), "{path} {name} is empty");
                    }
                }
                other => panic!("{path} {name}: unexpected type {other}"),
            }
        }
    }
    assert!(n > 0, "{path} has no rows");
}

#[test]
fn datapackage_describes_every_csv_of_the_run() {
    let dir = Dir::new("datapackage");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "--datapackage", "-o", "out/claims.csv"])
        .args([
            "--articles",
            "out/articles.csv",
            "--summary",
            "out/summary.csv",
        ])
        .run()
        .ok();
    let package: Value = serde_json::from_str(&dir.read("out/datapackage.json")).unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    let resources = package["resources"].as_array().unwrap();
    let listed: Vec<(&str, &str)> = resources
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("claims", "claims.csv"),
            ("articles", "articles.csv"),
            ("summary", "summary.csv"),
            ("summary-sources", "summary-sources.csv"),
        ]
    );
    for r in resources {
        assert_eq!(r["profile"], "tabular-data-resource");
        assert_eq!(r["dialect"]["delimiter"], ",");
        assert_eq!(r["encoding"], "utf-8");
        assert!(r["description"].as_str().unwrap().contains("formula guard"));
        for f in r["schema"]["fields"].as_array().unwrap() {
            assert!(f["description"].is_string(), "{} {}", r["name"], f["name"]);
        }
    }
    for r in resources {
        assert_conforms(&dir.join("out"), r, b',');
    }
    let claims = &resources[0]["schema"];
    let source_type = claims["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "source_type")
        .unwrap();
    assert_eq!(
        source_type["constraints"]["enum"],
        serde_json::json!([
            "official_statement",
            "media_report",
            "reporter_observation",
            "other_source"
        ])
    );
    assert_eq!(claims["primaryKey"], "claim_id");
    assert_eq!(
        claims["foreignKeys"][0]["reference"]["resource"],
        "articles"
    );
}

#[test]
fn datapackage_follows_excel_and_delimiter_and_the_summary_command() {
    let dir = Dir::new("datapackage_excel");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "--datapackage", "--excel", "--delimiter", ";"])
        .args(["-o", "claims.csv", "--articles", "articles.jsonl"])
        .run()
        .ok();
    let package: Value = serde_json::from_str(&dir.read("datapackage.json")).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "articles.jsonl is not a CSV");
    assert_eq!(resources[0]["dialect"]["delimiter"], ";");
    assert_eq!(resources[0]["dialect"]["lineTerminator"], "\r\n");
    assert!(resources[0]["schema"]["foreignKeys"].is_null());
    assert_conforms(dir.path(), &resources[0], b';');

    let sub = Dir::new("datapackage_summary");
    sub.write("claims.jsonl", &crate::corpus::sample().claims_jsonl);
    sub.command()
        .args([
            "summary",
            "claims.jsonl",
            "-o",
            "s.csv",
            "--datapackage",
            "--raw-csv",
        ])
        .run()
        .ok();
    let package: Value = serde_json::from_str(&sub.read("datapackage.json")).unwrap();
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["summary", "summary-sources"]);
    for r in package["resources"].as_array().unwrap() {
        assert!(!r["description"].as_str().unwrap().contains("formula guard"));
        assert_conforms(sub.path(), r, b',');
    }
}

#[test]
fn datapackage_needs_csv_files_in_one_folder() {
    let dir = Dir::new("datapackage_usage");
    dir.write("a.txt", crate::corpus::ruiz_and_ledger());
    dir.command()
        .args(["annotate", "a.txt", "-o", "claims.jsonl", "--datapackage"])
        .run()
        .code(2)
        .stderr_has(&["--datapackage", "CSV"]);
    std::fs::create_dir_all(dir.join("x")).unwrap();
    dir.command()
        .args([
            "annotate",
            "a.txt",
            "-o",
            "claims.csv",
            "--articles",
            "x/articles.csv",
        ])
        .arg("--datapackage")
        .run()
        .code(2)
        .stderr_has(&["different folders"]);
    assert!(
        !dir.exists("claims.csv"),
        "nothing is written after a usage error"
    );
    dir.command()
        .args(["sentences", "a.txt", "-q", "-o", "s.csv", "--datapackage"])
        .run()
        .ok();
    let package: Value = serde_json::from_str(&dir.read("datapackage.json")).unwrap();
    assert_eq!(package["resources"][0]["name"], "sentences");
    let (header, _) = parse_csv(&dir.read("s.csv"), "s.csv");
    let names: Vec<&str> = package["resources"][0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(header, names);
}
