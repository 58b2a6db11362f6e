//! The HTML review report: one self-contained file whose embedded data holds
//! every article and claim exactly; the same report from the inputs, from
//! `annotate --report` and from claim + article JSONL; hostile text cannot
//! break out of the page. scripts/check_report.sh checks the page in
//! Chromium.

use serde_json::{json, Value};

use crate::corpus::sample;
use crate::util::{articles_dir, str_field, uint_field, Dir};

/// The JSON embedded in the report.
#[track_caller]
fn embedded(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"claimtag-data\">";
    let start = html.find(open).expect("no embedded data") + open.len();
    let end = start + html[start..].find("</script>").expect("data not closed");
    serde_json::from_str(&html[start..end]).expect("the embedded data is not JSON")
}

#[test]
fn report_embeds_every_article_and_claim_exactly() {
    let dir = Dir::new("report");
    dir.command()
        .arg("report")
        .arg(articles_dir())
        .args(["-q", "-o", "report.html"])
        .run()
        .ok();
    let html = dir.read("report.html");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    let data = embedded(&html);
    let s = sample();
    let articles = data["articles"].as_array().unwrap();
    assert_eq!(articles.len(), s.articles.len());
    let mut claims = s.claims.iter();
    for (a, record) in articles.iter().zip(&s.articles) {
        assert_eq!(a["id"], record["article_id"]);
        assert_eq!(a["text"], record["text"]);
        assert_eq!(a["outlet"], record["outlet"]);
        let n = uint_field(record, "n_claims");
        assert_eq!(a["claims"].as_array().unwrap().len(), n);
        for c in a["claims"].as_array().unwrap() {
            let want = claims.next().unwrap();
            assert_eq!(c[0], want["start"]);
            assert_eq!(c[1], want["end"]);
            let types = data["types"].as_array().unwrap();
            assert_eq!(
                types[c[2].as_u64().unwrap() as usize]["key"],
                want["source_type"]
            );
            let quotes = data["quote_types"].as_array().unwrap();
            assert_eq!(quotes[c[3].as_u64().unwrap() as usize], want["quote_type"]);
            assert_eq!(c[4], want["source"]);
            assert_eq!(c[6], want["source_role"]);
            assert_eq!(c[7], want["cue"]);
            assert_eq!(c[8], want["rule"]);
            assert_eq!(c[9], want["confidence"]);
        }
    }
    assert!(claims.next().is_none());
    // The overall chart and legend are in the page itself.
    assert!(html.contains(&format!("{} claims", s.claims.len())));
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 1);
    assert_eq!(html.matches("data-type=").count(), 4);
}

#[test]
fn report_is_self_contained() {
    let dir = Dir::new("report_offline");
    let html = dir
        .command()
        .arg("report")
        .arg(articles_dir())
        .arg("-q")
        .run()
        .ok()
        .stdout();
    assert!(
        html.contains("default-src 'none'"),
        "a CSP forbids the network"
    );
    let page = html.replace("http://www.w3.org/2000/svg", "");
    // Outside the embedded data (article URLs are data, not requests).
    let data_start = page.find("id=\"claimtag-data\">").unwrap();
    let data_end = data_start + page[data_start..].find("</script>").unwrap();
    let outside = format!("{}{}", &page[..data_start], &page[data_end..]);
    for needle in ["src=", "href=\"http", "@import", "url(", "<link", "<iframe"] {
        assert!(!outside.contains(needle), "the page loads {needle}");
    }
}

#[test]
fn the_same_report_from_inputs_annotate_and_jsonl() {
    let dir = Dir::new("report_same");
    dir.command()
        .arg("report")
        .arg(articles_dir())
        .args(["-q", "-o", "a.html", "--title", "Sample <review>"])
        .run()
        .ok();
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "-o", "claims.jsonl", "--articles", "articles.jsonl"])
        .args(["--report", "b.html"])
        .run()
        .ok();
    dir.command()
        .args([
            "report",
            "--claims",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .args(["-o", "c.html", "--title", "Sample <review>"])
        .run()
        .ok();
    let a = dir.read("a.html");
    let c = dir.read("c.html");
    assert!(a.contains("<title>Sample &lt;review&gt;</title>"));
    assert_eq!(a, c, "report from inputs and from JSONL");
    let b = dir.read("b.html");
    assert_eq!(
        embedded(&a),
        embedded(&b),
        "annotate --report holds the same data"
    );
    assert!(b.contains("<title>claimtag review report</title>"));
}

#[test]
fn hostile_text_cannot_break_out_of_the_page() {
    let dir = Dir::new("report_hostile");
    let text = "The Ledger reported </script><script>alert(1)</script> that <!-- repairs --> \
                may cost <b>$4</b> & more. \u{2028}\"It is <img src=x onerror=alert(1)>,\" \
                Mayor Ana Ruiz said.";
    let input = format!(
        "{}\n",
        json!({"id": "x</script>", "title": "</title><script>alert(2)</script>", "url": "javascript:alert(3)", "text": text})
    );
    let html = dir
        .command()
        .args(["report", "-", "-q"])
        .stdin(input)
        .run()
        .ok()
        .stdout();
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the data and the code"
    );
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<!-- repairs"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>$4"));
    let data = embedded(&html);
    assert_eq!(data["articles"][0]["text"], text);
    assert_eq!(data["articles"][0]["id"], "x</script>");
    assert_eq!(data["articles"][0]["url"], "javascript:alert(3)");
    assert!(!data["articles"][0]["claims"].as_array().unwrap().is_empty());
}

#[test]
fn claims_that_do_not_fit_their_article_are_reported_and_left_out() {
    let dir = Dir::new("report_mismatch");
    let s = sample();
    let mut claims: Vec<Value> = s.claims.clone();
    claims[1]["text"] = json!("not the text of this span");
    let first_id = str_field(&claims[0], "article_id").to_string();
    claims.push(json!({
        "article_id": "ghost", "claim_id": "ghost#0", "index": 0, "paragraph": 0, "sentence": 0,
        "start": 0, "end": 1, "text": "x", "quote": "", "quote_type": "none",
        "source_type": "reporter_observation", "source": "", "source_mention": "",
        "source_role": "", "cue": "", "confidence": 0.5, "rule": "narrative/no_source"
    }));
    let lines: String = claims.iter().map(|c| format!("{c}\n")).collect();
    dir.write("claims.jsonl", lines);
    dir.write("articles.jsonl", &s.articles_jsonl);
    let run = dir
        .command()
        .args([
            "report",
            "--claims",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .args(["-o", "r.html"])
        .run();
    run.code(1)
        .stderr_has(&[&format!("claim {first_id}#1"), "ghost", "left out"]);
    let data = embedded(&dir.read("r.html"));
    let first = &data["articles"][0];
    assert_eq!(
        first["claims"].as_array().unwrap().len(),
        uint_field(&s.articles[0], "n_claims") - 1
    );
}

#[test]
fn report_usage_errors_exit_2() {
    let dir = Dir::new("report_usage");
    dir.write("claims.jsonl", "");
    dir.write("articles.jsonl", "");
    for args in [
        &["report", "--claims", "claims.jsonl"][..],
        &["report", "--articles", "articles.jsonl"],
        &[
            "report",
            "x.txt",
            "--claims",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ],
        &["report", "-", "--format", "csv"],
        &["report", "-", "--datapackage"],
        &["report", "-", "--excel"],
        &["annotate", "-", "--report", "-"],
    ] {
        dir.command().args(args).stdin("x").run().code(2);
    }
    // Empty inputs make an empty, valid report.
    let html = dir
        .command()
        .args([
            "report",
            "--claims",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .run()
        .ok()
        .stdout();
    assert_eq!(embedded(&html)["articles"], json!([]));
}
