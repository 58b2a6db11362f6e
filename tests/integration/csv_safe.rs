//! Spreadsheet-safe CSV: the formula guard (on by default, `--raw-csv` off,
//! JSONL never touched), `--excel` (BOM + CRLF), `--delimiter`, newlines and
//! long cells kept whole, on every CSV a command writes.

use serde_json::{json, Value};

use claimtag::output::csvsafe::{guard, BOM};
use claimtag::output::ClaimRecord;

use crate::cli::CLAIM_FIELDS;
use crate::corpus::sample;
use crate::util::{articles_dir, parse_csv, parse_jsonl, Dir};

/// An article whose claims, title and outlet start with formula characters,
/// with accents, curly quotes and emoji.
fn hostile_jsonl() -> String {
    let text = "=1+1 The mayor said the bridge would close.\n\n\
                -40 degrees hit Tromsø, Mayor Åsa Øberg said.\n\n\
                +Crews worked overnight in the “old town”, police said. 🎉\n\n\
                @Ledger reported that repairs may cost $4 million.";
    format!(
        "{}\n",
        json!({"id": "-hostile", "title": "=HYPERLINK(\"http://x.invalid\")", "outlet": "@Ledger", "text": text})
    )
}

/// Parses CSV with a delimiter: (header, rows).
fn parse_with(text: &str, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The cell a JSON value becomes: strings guarded or not, numbers as written.
fn cell(value: &Value, guarded: bool) -> String {
    match value {
        Value::String(s) if guarded => guard(s).into_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Asserts that CSV rows hold the JSON records' values, guarded or exact.
#[track_caller]
fn assert_rows_hold(records: &[Value], header: &[String], rows: &[Vec<String>], guarded: bool) {
    assert_eq!(rows.len(), records.len(), "one row per record");
    for (row, record) in rows.iter().zip(records) {
        for (field, got) in header.iter().zip(row) {
            let want = cell(&record[field.as_str()], guarded);
            assert_eq!(got, &want, "{field} of {record}");
        }
    }
}

#[test]
fn formula_cells_get_a_quote_by_default_and_jsonl_is_untouched() {
    let dir = Dir::new("csv_guard");
    let input = hostile_jsonl();
    let jsonl = dir
        .command()
        .args(["annotate", "-", "-q"])
        .stdin(input.clone())
        .run()
        .ok()
        .jsonl();
    // JSONL keeps the text exactly.
    assert!(jsonl
        .iter()
        .any(|c| c["text"].as_str().unwrap().starts_with("=1+1")));
    assert!(jsonl.iter().all(|c| c["article_id"] == "-hostile"));
    let csv = dir
        .command()
        .args(["annotate", "-", "-q", "--format", "csv"])
        .stdin(input)
        .run()
        .ok()
        .stdout();
    let (header, rows) = parse_csv(&csv, "guarded CSV");
    assert_eq!(header, CLAIM_FIELDS);
    assert_rows_hold(&jsonl, &header, &rows, true);
    let texts: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
    for start in ["'=1+1 ", "'-40 degrees", "'+Crews", "'@Ledger"] {
        assert!(
            texts.iter().any(|t| t.starts_with(start)),
            "no claim text starts with {start:?}: {texts:?}"
        );
    }
    // Ids are guarded too (a text cell), numbers never are.
    assert!(rows.iter().all(|r| r[0] == "'-hostile"));
    assert!(rows.iter().all(|r| r[5].parse::<usize>().is_ok()));
    // No cell a spreadsheet would run as a formula.
    for row in &rows {
        for c in row {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r', '\0']),
                "unguarded cell {c:?}"
            );
        }
    }
}

#[test]
fn raw_csv_holds_the_exact_jsonl_values() {
    let dir = Dir::new("csv_raw");
    let input = hostile_jsonl();
    let jsonl = dir
        .command()
        .args(["annotate", "-", "-q"])
        .stdin(input.clone())
        .run()
        .ok()
        .jsonl();
    let csv = dir
        .command()
        .args(["annotate", "-", "-q", "--format", "csv", "--raw-csv"])
        .stdin(input)
        .run()
        .ok()
        .stdout();
    let (header, rows) = parse_csv(&csv, "raw CSV");
    assert_rows_hold(&jsonl, &header, &rows, false);
    // And through serde: the same records as the JSONL.
    let from_csv: Vec<ClaimRecord> = csv::Reader::from_reader(csv.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    let from_jsonl: Vec<ClaimRecord> = jsonl
        .iter()
        .map(|v| serde_json::from_value(v.clone()).unwrap())
        .collect();
    assert_eq!(from_csv, from_jsonl);
}

#[test]
fn raw_csv_of_the_sample_reads_back_to_the_jsonl_records() {
    let dir = Dir::new("csv_raw_sample");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "--raw-csv", "-o", "claims.csv"])
        .run()
        .ok();
    let csv = dir.read("claims.csv");
    let from_csv: Vec<ClaimRecord> = csv::Reader::from_reader(csv.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    let from_jsonl: Vec<ClaimRecord> = sample()
        .claims
        .iter()
        .map(|v| serde_json::from_value(v.clone()).unwrap())
        .collect();
    assert_eq!(from_csv, from_jsonl);
}

#[test]
fn excel_writes_a_bom_and_crlf_line_ends_with_the_same_cells() {
    let dir = Dir::new("csv_excel");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "--excel", "-o", "claims.csv"])
        .args(["--articles", "articles.csv"])
        .run()
        .ok();
    for (name, plain) in [
        ("claims.csv", sample().claims_csv.clone()),
        ("articles.csv", String::new()),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(bytes.starts_with(BOM), "{name} has no byte order mark");
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        assert!(text.ends_with("\r\n"), "{name}");
        // Every record ends with CRLF (a bare LF only inside a quoted cell).
        let (header, rows) = parse_csv(&text, name);
        let records = 1 + rows.len();
        assert_eq!(
            text.matches("\r\n").count(),
            records,
            "{name}: CRLF per record"
        );
        if !plain.is_empty() {
            assert_eq!(
                parse_csv(&plain, "plain"),
                (header, rows),
                "{name}: same cells"
            );
        }
    }
}

#[test]
fn semicolon_and_tab_delimiters_give_the_same_cells() {
    let dir = Dir::new("csv_delimiter");
    let plain = parse_csv(&sample().claims_csv, "claims.csv");
    for (flag, byte) in [(";", b';'), ("tab", b'\t'), ("\t", b'\t'), (",", b',')] {
        dir.command()
            .arg("annotate")
            .arg(articles_dir())
            .args(["-q", "-o", "claims.csv", "--delimiter", flag])
            .run()
            .ok();
        let text = dir.read("claims.csv");
        let first = text.lines().next().unwrap();
        assert_eq!(first, CLAIM_FIELDS.join(&(byte as char).to_string()));
        assert_eq!(parse_with(&text, byte), plain, "--delimiter {flag:?}");
    }
    dir.command()
        .args(["annotate", "-", "--delimiter", "|"])
        .stdin("x")
        .run()
        .code(2)
        .stderr_has(&["delimiter"]);
}

#[test]
fn newlines_stay_inside_quoted_cells_and_long_cells_are_kept_whole() {
    let dir = Dir::new("csv_newlines");
    let long = "The county said the bridge would stay closed. ".repeat(2_000);
    let text = format!("First paragraph, police said.\n\nSecond paragraph.\n\n{long}");
    let input = format!("{}\n", json!({"id": "multi", "text": text}));
    dir.write("in.jsonl", &input);
    dir.command()
        .args(["annotate", "in.jsonl", "-q", "-o", "claims.csv"])
        .args(["--articles", "articles.csv", "--excel", "--delimiter", ";"])
        .run()
        .ok();
    let bytes = std::fs::read(dir.join("articles.csv")).unwrap();
    let csv_text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
    let (header, rows) = parse_with(&csv_text, b';');
    assert_eq!(rows.len(), 1, "one article, one row");
    let text_col = header.iter().position(|h| h == "text").unwrap();
    assert_eq!(rows[0][text_col], text, "the text cell, newlines and all");
    assert!(rows[0][text_col].chars().count() > 90_000);
}

#[test]
fn sentences_csv_is_guarded_too() {
    let dir = Dir::new("csv_sentences");
    let out = dir
        .command()
        .args(["sentences", "-", "-q", "--format", "csv"])
        .stdin("=SUM(A1:A9) is what the sheet said. Then it stopped.")
        .run()
        .ok()
        .stdout();
    let (_, rows) = parse_csv(&out, "sentences");
    assert!(rows[0][4].starts_with("'=SUM"), "{rows:?}");
    let out = dir
        .command()
        .args(["sentences", "-", "-q", "--format", "csv", "--raw-csv"])
        .stdin("=SUM(A1:A9) is what the sheet said. Then it stopped.")
        .run()
        .ok()
        .stdout();
    let (_, rows) = parse_csv(&out, "sentences");
    assert!(rows[0][4].starts_with("=SUM"), "{rows:?}");
}

#[test]
fn csv_flags_leave_jsonl_byte_for_byte_alone() {
    let dir = Dir::new("csv_flags_jsonl");
    let plain = dir
        .command()
        .args(["annotate", "-", "-q"])
        .stdin(hostile_jsonl())
        .run()
        .ok()
        .stdout();
    let flagged = dir
        .command()
        .args(["annotate", "-", "-q", "--excel", "--delimiter", ";"])
        .stdin(hostile_jsonl())
        .run()
        .ok()
        .stdout();
    assert_eq!(plain, flagged);
    assert!(!plain.starts_with('\u{feff}'));
    assert_eq!(parse_jsonl(&plain, "jsonl").len(), 4);
}
