//! Tests named after bugs they caught. An `#[ignore]`d test here is a known,
//! unfixed bug in src/: the reason says what is wrong; remove the attribute
//! with the fix.

use std::io::Read;

use crate::corpus::{ruiz_and_ledger, LEDGER_REPORT, RUIZ_QUOTE};
use crate::util::{articles_dir, parse_csv, parse_jsonl, Dir};

/// `csv::Error` hides its `io::Error` from `source()`, so main's broken pipe
/// check misses it: `claimtag annotate big/ --format csv | head` exits 1 with
/// "write error: cannot write output: Broken pipe".
#[test]
fn regression_csv_stdout_broken_pipe_is_success() {
    let dir = Dir::new("csv_broken_pipe");
    let input = articles_dir();
    let mut child = dir
        .command()
        .args(["annotate", "-q", "--format", "csv", "--threads", "1"])
        .args([&input, &input, &input, &input])
        .spawn();
    drop(child.stdin.take());
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

/// `--articles` picks CSV from a `.csv` name, but `ArticleRecord.extra` is a
/// map, which CSV cannot hold: the whole run fails ("serializing maps is not
/// supported") and neither output is written.
#[test]
fn regression_articles_csv_is_written() {
    let dir = Dir::new("articles_csv");
    dir.write(
        "in/story.md",
        format!("---\ntitle: T\nsection: metro\n---\n{}", ruiz_and_ledger()),
    );
    let run = dir
        .command()
        .args([
            "annotate",
            "in",
            "-q",
            "-o",
            "claims.csv",
            "--articles",
            "articles.csv",
        ])
        .run();
    run.ok();
    let (header, rows) = parse_csv(&dir.read("articles.csv"), "articles.csv");
    assert_eq!(rows.len(), 1);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("article_id")], "story");
    assert_eq!(rows[0][col("n_claims")], "2");
    assert_eq!(parse_csv(&dir.read("claims.csv"), "claims.csv").1.len(), 2);
}

/// stdin is read as JSONL only when its first non-space byte is `{`; a UTF-8
/// BOM (as PowerShell and Notepad write) makes a JSONL stream plain text, and
/// its JSON syntax becomes claims.
#[test]
fn regression_stdin_jsonl_with_bom_is_jsonl() {
    let dir = Dir::new("stdin_bom_jsonl");
    let input = format!(
        "\u{feff}{}\n{}\n",
        serde_json::json!({"id": "a", "text": RUIZ_QUOTE}),
        serde_json::json!({"id": "b", "text": LEDGER_REPORT}),
    );
    dir.command()
        .args(["annotate", "-", "-q", "--articles", "articles.jsonl"])
        .stdin(input)
        .run()
        .ok();
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    let ids: Vec<&str> = articles
        .iter()
        .map(|a| a["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(articles[0]["text"], RUIZ_QUOTE);
}

/// `segment::dateline` looks for the dash in `&s[..s.len().min(120)]`: when
/// byte 120 of one of the first four paragraphs falls inside a multibyte char
/// (an accent, a curly quote, an emoji), the slice panics, the worker thread
/// panics and the whole batch dies with exit 101 and no output.
fn dateline_article() -> String {
    // 118 ASCII bytes, then `’` (3 bytes) straddling byte 120.
    let lead = "The council said on Monday that the bridge over the river would stay closed until engineers finish the last inspection";
    assert_eq!(lead.len(), 118);
    format!("{lead}’s report.\n\n{LEDGER_REPORT}\n")
}

#[test]
fn regression_dateline_window_cuts_a_multibyte_char_library() {
    let article = claimtag::model::Article {
        id: "a".to_string(),
        text: dateline_article(),
        ..Default::default()
    };
    let lex = claimtag::lexicon::Lexicons::builtin();
    let annotation = claimtag::pipeline::annotate(&article, &lex);
    assert_eq!(annotation.claims.len(), 2);
}

#[test]
fn regression_dateline_window_cuts_a_multibyte_char() {
    let dir = Dir::new("dateline_window");
    dir.write("in/a_multibyte.txt", dateline_article());
    dir.write("in/b_good.txt", ruiz_and_ledger());
    let run = dir
        .command()
        .args(["annotate", "in", "-q", "-o", "claims.jsonl"])
        .run();
    run.ok();
    let claims = parse_jsonl(&dir.read("claims.jsonl"), "claims.jsonl");
    assert_eq!(claims.len(), 4);
}
