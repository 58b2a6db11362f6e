//! Ingest through the binary: HTML boilerplate is dropped, front matter and
//! HTML metadata land in the `--articles` records, ids follow the guide.

use serde_json::Value;

use crate::corpus::{ruiz_and_ledger, LEDGER_REPORT, RUIZ_QUOTE};
use crate::util::{parse_jsonl, str_field, Dir};

/// Runs `annotate in --articles` and returns (articles, claims).
fn annotate_folder(dir: &Dir) -> (Vec<Value>, Vec<Value>) {
    let claims = dir
        .command()
        .args(["annotate", "in", "-q", "--articles", "articles.jsonl"])
        .run()
        .ok()
        .jsonl();
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    (articles, claims)
}

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Bridge closed | Harbor Courier</title>
  <meta name="author" content="Ana  Díaz">
  <meta property="og:site_name" content="Harbor Courier">
  <meta property="article:published_time" content="2025-03-11T19:42:00Z">
  <link rel="canonical" href="https://ledger.example/bridge">
  <style>p { color: red; } /* STYLE-LEAK */</style>
  <script>var leak = "SCRIPT-LEAK said the mayor.";</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/news">NAV-LEAK News</a></nav>
  <header><div class="masthead">HEADER-LEAK Harbor Courier</div></header>
  <div class="cookie">COOKIE-LEAK We use cookies.</div>
  <article>
    <h1>Bridge   closed after inspection</h1>
    <p>&ldquo;We will reopen it,&rdquo; Mayor Ana Ruiz said.</p>
    <figure><img src="x.jpg"><figcaption>FIGURE-LEAK Photo: A. Díaz</figcaption></figure>
    <aside><h3>Related</h3><p>ASIDE-LEAK Another story said things.</p></aside>
    <p>The Ledger reported   that repairs
       may cost $4&nbsp;million.</p>
    <form><button>FORM-LEAK Subscribe</button></form>
    <script>document.write("INLINE-SCRIPT-LEAK");</script>
  </article>
  <footer>FOOTER-LEAK © 2025 Harbor Courier</footer>
</body>
</html>
"#;

#[test]
fn html_boilerplate_is_dropped_and_metadata_kept() {
    let dir = Dir::new("html");
    dir.write("in/story.html", PAGE);
    let (articles, claims) = annotate_folder(&dir);
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(
        str_field(a, "text"),
        "“We will reopen it,” Mayor Ana Ruiz said.\n\nThe Ledger reported that repairs may cost $4\u{a0}million."
    );
    assert_eq!(a["title"], "Bridge closed after inspection");
    assert_eq!(a["byline"], "Ana Díaz");
    assert_eq!(a["outlet"], "Harbor Courier");
    assert_eq!(a["published"], "2025-03-11T19:42:00Z");
    assert_eq!(a["url"], "https://ledger.example/bridge");
    assert_eq!(a["article_id"], "story");
    assert_eq!(a["source_file"], "story.html");
    for c in &claims {
        assert!(
            !str_field(c, "text").contains("LEAK"),
            "boilerplate claim: {c}"
        );
    }
    let texts: Vec<&str> = claims.iter().map(|c| str_field(c, "text")).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(claims[0]["source"], "Ana Ruiz");
    assert_eq!(claims[0]["quote_type"], "direct");
    // Another outlet's report (the page's own outlet would be its own voice).
    assert_eq!(claims[1]["source_type"], "media_report");
}

#[test]
fn html_without_article_falls_back_to_main_then_body() {
    let dir = Dir::new("html_fallback");
    dir.write(
        "in/main.htm",
        format!("<html><body><nav>NAV</nav><main><p>{RUIZ_QUOTE}</p></main><p>OUTSIDE</p></body></html>"),
    );
    dir.write(
        "in/plain.html",
        format!("<html><head><title>Plain title</title></head><body><p>{LEDGER_REPORT}</p></body></html>"),
    );
    let (articles, _) = annotate_folder(&dir);
    assert_eq!(articles[0]["article_id"], "main");
    assert_eq!(articles[0]["text"], RUIZ_QUOTE);
    assert_eq!(articles[1]["text"], LEDGER_REPORT);
    assert_eq!(articles[1]["title"], "Plain title");
}

#[test]
fn html_page_with_only_boilerplate_is_a_failed_input() {
    let dir = Dir::new("html_empty");
    dir.write(
        "in/empty.html",
        "<html><body><nav>Home</nav><footer>©</footer></body></html>",
    );
    dir.write("in/good.txt", ruiz_and_ledger());
    dir.command()
        .args(["annotate", "in", "-q"])
        .run()
        .code(1)
        .stderr_has(&["in/empty.html"]);
}

#[test]
fn front_matter_fills_the_article_record() {
    let dir = Dir::new("front_matter");
    dir.write(
        "in/desk/story.md",
        format!(
            "---\nid: ledger-2025-0311\ntitle: \"Bridge: closed\"\noutlet: Harbor Courier\npublished: 2025-03-11\nurl: https://ledger.example/bridge\nbyline: By Ana Díaz\n# a comment\nsection: metro\ntags: 'bridges, roads'\n---\n{}",
            ruiz_and_ledger()
        ),
    );
    let (articles, claims) = annotate_folder(&dir);
    let a = &articles[0];
    assert_eq!(a["article_id"], "ledger-2025-0311", "metadata id wins");
    assert_eq!(a["source_file"], "desk/story.md");
    assert_eq!(a["title"], "Bridge: closed");
    assert_eq!(a["outlet"], "Harbor Courier");
    assert_eq!(a["published"], "2025-03-11");
    assert_eq!(a["url"], "https://ledger.example/bridge");
    assert_eq!(a["byline"], "By Ana Díaz");
    assert_eq!(
        a["extra"],
        serde_json::json!({"section": "metro", "tags": "bridges, roads"})
    );
    assert_eq!(
        a["text"],
        ruiz_and_ledger().as_str(),
        "front matter removed"
    );
    assert_eq!(claims[0]["claim_id"], "ledger-2025-0311#0");
    assert_eq!(claims[0]["start"], 0);
}

#[test]
fn a_markdown_rule_is_not_front_matter() {
    let dir = Dir::new("not_front_matter");
    let body = format!("---\n{RUIZ_QUOTE}\n---\n\n{LEDGER_REPORT}\n");
    dir.write("in/rule.md", &body);
    let (articles, _) = annotate_folder(&dir);
    assert_eq!(articles[0]["text"], body.as_str());
    assert_eq!(articles[0]["title"], "");
}

#[test]
fn ids_are_relative_paths_without_extension() {
    let dir = Dir::new("ids");
    dir.write("in/wire/2025/story.v2.txt", ruiz_and_ledger());
    dir.write("in/a.md", ruiz_and_ledger());
    dir.write("in/wire/b.html", format!("<p>{RUIZ_QUOTE}</p>"));
    dir.write(
        "in/wire/batch.jsonl",
        format!(
            "{}\n{}\n",
            serde_json::json!({"text": RUIZ_QUOTE}),
            serde_json::json!({"id": "named", "text": LEDGER_REPORT})
        ),
    );
    let (articles, _) = annotate_folder(&dir);
    let got: Vec<(&str, &str)> = articles
        .iter()
        .map(|a| (str_field(a, "article_id"), str_field(a, "source_file")))
        .collect();
    assert_eq!(
        got,
        [
            ("a", "a.md"),
            ("wire/2025/story.v2", "wire/2025/story.v2.txt"),
            ("wire/b", "wire/b.html"),
            ("wire/batch/1", "wire/batch.jsonl"),
            ("named", "wire/batch.jsonl"),
        ],
        "sorted walk, `/`-separated relative paths"
    );
}
