//! `--datapackage`: a Frictionless Data Package (`datapackage.json`) beside
//! the CSV files of a run, so `frictionless validate`, R's `frictionless` and
//! Python loaders know every column's name, type, meaning and allowed values.
//!
//! Each CSV gets a Table Schema derived from the JSON Schema of its records in
//! `schemas/` (one source of truth for names, types, descriptions and enums),
//! and a CSV dialect that matches how it was written (`--delimiter`,
//! `--excel`). Resource paths are relative to the package, so every CSV must
//! sit in the folder of `datapackage.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::csvsafe::CsvOptions;
use super::writer::AtomicFile;
use crate::error::{Error, ErrorKind, Result};

/// The file name of the package descriptor.
pub const DESCRIPTOR: &str = "datapackage.json";

/// The kinds of CSV claimtag writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Claim rows (`annotate -o claims.csv`).
    Claims,
    /// Article rows (`--articles articles.csv`).
    Articles,
    /// Sentence rows (`sentences -o sentences.csv`).
    Sentences,
    /// Summary rows (`summary`, `--summary`).
    Summary,
    /// The sources table beside a summary.
    Sources,
}

impl Table {
    /// The resource name in the package.
    pub fn name(self) -> &'static str {
        match self {
            Table::Claims => "claims",
            Table::Articles => "articles",
            Table::Sentences => "sentences",
            Table::Summary => "summary",
            Table::Sources => "summary-sources",
        }
    }

    /// The JSON Schema of the table's records.
    pub fn json_schema(self) -> &'static str {
        match self {
            Table::Claims => crate::schema::CLAIM,
            Table::Articles => crate::schema::ARTICLE,
            Table::Sentences => crate::schema::SENTENCE,
            Table::Summary => crate::schema::SUMMARY,
            Table::Sources => crate::schema::SUMMARY_SOURCE,
        }
    }

    fn primary_key(self) -> Option<Value> {
        match self {
            Table::Claims => Some(json!("claim_id")),
            Table::Articles => Some(json!("article_id")),
            Table::Sentences => Some(json!(["article_id", "index"])),
            Table::Summary => None,
            Table::Sources => Some(json!("rank")),
        }
    }
}

/// The Table Schema of a table's CSV: its fields in column order.
pub fn table_schema(table: Table) -> Value {
    let schema: Value = serde_json::from_str(table.json_schema()).unwrap_or(Value::Null);
    let fields: Vec<Value> = schema["properties"]
        .as_object()
        .map(|props| props.iter().map(|(name, p)| field(name, p)).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    out.insert("fields".into(), Value::Array(fields));
    // An empty cell is an empty string, not a missing value: `quote`, `source`
    // and the other optional texts are "" in the JSONL too.
    out.insert("missingValues".into(), json!([]));
    if let Some(key) = table.primary_key() {
        out.insert("primaryKey".into(), key);
    }
    Value::Object(out)
}

/// A Table Schema field from a JSON Schema property.
fn field(name: &str, p: &Value) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    let kind = match p["type"].as_str() {
        Some("integer") => "integer",
        Some("number") => "number",
        // CSV holds an object (`extra`) as JSON text in one cell.
        Some("object") => "object",
        Some("boolean") => "boolean",
        _ => "string",
    };
    f.insert("type".into(), json!(kind));
    if let Some(d) = p["description"].as_str() {
        f.insert("description".into(), json!(d));
    }
    let mut c = Map::new();
    if let Some(values) = p["enum"].as_array() {
        c.insert("enum".into(), Value::Array(values.clone()));
    }
    if p["minLength"].as_u64().is_some_and(|n| n >= 1) {
        c.insert("minLength".into(), p["minLength"].clone());
    }
    for key in ["minimum", "maximum"] {
        if p[key].is_number() {
            c.insert(key.into(), p[key].clone());
        }
    }
    if !c.is_empty() {
        f.insert("constraints".into(), Value::Object(c));
    }
    Value::Object(f)
}

/// One CSV of the package: its path relative to the package and its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub path: String,
    pub table: Table,
}

/// The package descriptor for `resources`, written with `csv` options.
pub fn descriptor(resources: &[Resource], csv: CsvOptions) -> Value {
    let has = |t: Table| resources.iter().any(|r| r.table == t);
    let mut dialect = Map::new();
    dialect.insert(
        "delimiter".into(),
        json!((csv.delimiter as char).to_string()),
    );
    dialect.insert(
        "lineTerminator".into(),
        json!(if csv.excel { "\r\n" } else { "\n" }),
    );
    dialect.insert("quoteChar".into(), json!("\""));
    dialect.insert("doubleQuote".into(), json!(true));
    dialect.insert("header".into(), json!(true));
    let guard_note = if csv.guard {
        " Text cells that start with =, +, -, @, a tab, a carriage return or NUL have a ' \
         in front (the spreadsheet formula guard; `--raw-csv` writes them without it)."
    } else {
        ""
    };
    let resources: Vec<Value> = resources
        .iter()
        .map(|r| {
            let schema: Value = serde_json::from_str(r.table.json_schema()).unwrap_or_default();
            let mut table = table_schema(r.table);
            if r.table == Table::Claims && has(Table::Articles) {
                table["foreignKeys"] = json!([{
                    "fields": "article_id",
                    "reference": {"resource": "articles", "fields": "article_id"}
                }]);
            }
            json!({
                "name": r.table.name(),
                "path": r.path,
                "profile": "tabular-data-resource",
                "title": schema["title"],
                "description": format!(
                    "{}{guard_note}",
                    schema["description"].as_str().unwrap_or_default()
                ),
                "format": "csv",
                "mediatype": "text/csv",
                // With `--excel` a byte order mark comes first: frictionless,
                // pandas and readr skip it in UTF-8.
                "encoding": "utf-8",
                "dialect": Value::Object(dialect.clone()),
                "schema": table,
            })
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "claimtag-dataset",
        "title": "claimtag claim dataset",
        "description": format!(
            "Claims of news articles tagged with whose word they rest on, written by claimtag {}. \
             Field meanings: the annotation guide and the JSON Schemas in claimtag's schemas/.",
            env!("CARGO_PKG_VERSION")
        ),
        "resources": resources,
    })
}

/// Writes `datapackage.json` into `dir` for the CSV files `files` (each with
/// its table); every file must be in `dir`.
pub fn write(dir: &Path, files: &[(PathBuf, Table)], csv: CsvOptions) -> Result<PathBuf> {
    let mut resources = Vec::new();
    for (path, table) in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !same_dir(path, dir) || name.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "--datapackage: {} is not in the folder of {DESCRIPTOR} ({}): put every CSV output in one folder",
                    path.display(),
                    dir.display()
                ),
            ));
        }
        resources.push(Resource {
            path: name,
            table: *table,
        });
    }
    let target = dir.join(DESCRIPTOR);
    let mut file = AtomicFile::create(&target)?;
    let mut text = serde_json::to_string_pretty(&descriptor(&resources, csv)).unwrap_or_default();
    text.push('\n');
    file.write_all(text.as_bytes())
        .and_then(|_| file.flush())
        .map_err(|e| {
            Error::new(ErrorKind::Output, "cannot write")
                .with_path(&target)
                .with_source(e)
        })?;
    file.commit()?;
    Ok(target)
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether `path` is directly in `dir`.
pub fn same_dir(path: &Path, dir: &Path) -> bool {
    let parent = folder_of(path);
    if parent == dir {
        return true;
    }
    match (std::fs::canonicalize(&parent), std::fs::canonicalize(dir)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_fields_follow_the_csv_columns_with_types_and_enums() {
        let schema = table_schema(Table::Claims);
        let fields = schema["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names[..3], ["article_id", "claim_id", "index"]);
        assert_eq!(names.len(), 17);
        let by_name = |n: &str| fields.iter().find(|f| f["name"] == n).unwrap();
        assert_eq!(by_name("index")["type"], "integer");
        assert_eq!(by_name("confidence")["type"], "number");
        assert_eq!(by_name("confidence")["constraints"]["maximum"], 1);
        assert_eq!(
            by_name("source_type")["constraints"]["enum"],
            json!([
                "official_statement",
                "media_report",
                "reporter_observation",
                "other_source"
            ])
        );
        assert_eq!(
            by_name("quote_type")["constraints"]["enum"],
            json!(["direct", "partial", "indirect", "none"])
        );
        assert!(fields.iter().all(|f| f["description"].is_string()));
        assert_eq!(schema["primaryKey"], "claim_id");
    }

    #[test]
    fn every_table_has_described_fields() {
        for t in [
            Table::Claims,
            Table::Articles,
            Table::Sentences,
            Table::Summary,
            Table::Sources,
        ] {
            let schema = table_schema(t);
            let fields = schema["fields"].as_array().unwrap();
            assert!(!fields.is_empty(), "{t:?}");
            for f in fields {
                assert!(f["description"].is_string(), "{t:?} {}", f["name"]);
            }
        }
        let articles = table_schema(Table::Articles);
        let extra = articles["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "extra")
            .unwrap();
        assert_eq!(extra["type"], "object");
    }

    #[test]
    fn dialect_and_foreign_key_follow_the_options_and_resources() {
        let resources = [
            Resource {
                path: "claims.csv".into(),
                table: Table::Claims,
            },
            Resource {
                path: "articles.csv".into(),
                table: Table::Articles,
            },
        ];
        let csv = CsvOptions {
            excel: true,
            delimiter: b';',
            guard: true,
        };
        let d = descriptor(&resources, csv);
        let claims = &d["resources"][0];
        assert_eq!(claims["dialect"]["delimiter"], ";");
        assert_eq!(claims["dialect"]["lineTerminator"], "\r\n");
        assert_eq!(claims["encoding"], "utf-8");
        assert_eq!(
            claims["schema"]["foreignKeys"][0]["reference"]["resource"],
            "articles"
        );
        assert!(d["resources"][1]["schema"]["foreignKeys"].is_null());
        assert_eq!(d["profile"], "tabular-data-package");
    }
}
