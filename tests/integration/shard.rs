//! Sharding and streaming: shard outputs concatenated in shard order are the
//! single-run output; JSONL streams line by line from files and stdin.

use crate::util::{articles_dir, Dir};

/// A corpus with several articles per JSONL file, nested folders and text files.
fn corpus(dir: &Dir) {
    for f in 0..3 {
        let lines: Vec<String> = (0..7)
            .map(|n| {
                format!(
                    "{{\"id\":\"j{f}-{n}\",\"text\":\"Officials said bridge {n} would close. \\\"It is unsafe,\\\" Mayor Ana Ruiz said.\"}}"
                )
            })
            .collect();
        dir.write(&format!("feeds/f{f}.jsonl"), lines.join("\n") + "\n");
    }
    for n in 0..5 {
        dir.write(
            &format!("txt/a{n}.txt"),
            format!(
                "The Ledger reported that repairs may cost ${n} million. Crews worked overnight."
            ),
        );
    }
}

#[test]
fn shards_concatenate_to_the_single_run_output() {
    let dir = Dir::new("shards");
    corpus(&dir);
    let whole = dir.command().args(["annotate", "-q", "."]).run();
    whole.ok();
    let whole = whole.stdout();
    assert!(whole.lines().count() > 30, "the corpus gives claims");
    for n in 1..=5 {
        let mut joined = String::new();
        for k in 1..=n {
            let run = dir
                .command()
                .args(["annotate", "-q", ".", "--shard", &format!("{k}/{n}")])
                .run();
            run.ok();
            joined.push_str(&run.stdout());
        }
        crate::util::assert_same(&format!("{n} shards"), &whole, &joined);
    }
}

#[test]
fn shards_of_the_sample_articles_match_too() {
    let dir = Dir::new("shards-sample");
    let articles = articles_dir();
    let whole = dir.command().args(["annotate", "-q"]).arg(&articles).run();
    let mut joined = String::new();
    for k in 1..=4 {
        let run = dir
            .command()
            .args(["annotate", "-q", "--shard", &format!("{k}/4")])
            .arg(&articles)
            .run();
        joined.push_str(&run.stdout());
    }
    crate::util::assert_same("4 shards", &whole.stdout(), &joined);
}

#[test]
fn bad_shards_are_usage_errors() {
    let dir = Dir::new("bad-shards");
    for bad in ["0/3", "4/3", "x/2", "2"] {
        dir.command()
            .args(["annotate", ".", "--shard", bad])
            .run()
            .code(2);
    }
    dir.command()
        .args(["annotate", "-", "--shard", "1/2"])
        .stdin("Text.")
        .run()
        .code(2)
        .stderr_has(&["stdin"]);
}

#[test]
fn jsonl_streams_from_stdin_with_line_numbers_in_errors() {
    let dir = Dir::new("stream-stdin");
    let mut input = String::new();
    for n in 0..500 {
        input.push_str(&format!(
            "{{\"text\":\"Police said car {n} was towed.\"}}\n"
        ));
    }
    input.push_str("not json\n");
    let run = dir
        .command()
        .args(["annotate", "-q", "-"])
        .stdin(input)
        .run();
    run.code(1).stderr_has(&["<stdin>:501"]);
    let claims = run.jsonl();
    assert_eq!(claims.len(), 500);
    assert_eq!(claims[499]["article_id"], "stdin/500");
}

#[test]
fn a_very_long_article_is_written_in_pieces_with_article_offsets() {
    let dir = Dir::new("long-article");
    // Over 4 MB: annotated and written piece by piece.
    let paragraph = "“The water is rising,” Mayor Ana Ruiz said. Crews worked through the night near the café.\n\n";
    let text = format!(
        "RIVERTON, Ore. (AP) — The river crested at noon.\n\n{}",
        paragraph.repeat(4_700_000 / paragraph.len())
    );
    dir.write("in/long.txt", &text);
    // Short articles before and after it keep their places, at any thread count.
    for n in 0..40 {
        let name = if n < 20 {
            format!("in/a{n:02}.txt")
        } else {
            format!("in/z{n:02}.txt")
        };
        dir.write(&name, format!("The county said road {n} was closed."));
    }
    dir.command()
        .args(["annotate", "-q", "in", "--threads", "1", "-o", "one.jsonl"])
        .run()
        .ok();
    dir.command()
        .args([
            "annotate",
            "-q",
            "in",
            "--threads",
            "2",
            "-o",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .run()
        .ok();
    crate::util::assert_same(
        "1 and 2 threads",
        &dir.read("one.jsonl"),
        &dir.read("claims.jsonl"),
    );
    let all = crate::util::parse_jsonl(&dir.read("claims.jsonl"), "claims");
    let ids: Vec<&str> = all
        .iter()
        .map(|c| crate::util::str_field(c, "article_id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "claims in sorted input order");
    let claims: Vec<serde_json::Value> = all
        .iter()
        .filter(|c| crate::util::str_field(c, "article_id") == "long")
        .cloned()
        .collect();
    let articles: Vec<serde_json::Value> =
        crate::util::parse_jsonl(&dir.read("articles.jsonl"), "articles")
            .into_iter()
            .filter(|a| crate::util::str_field(a, "article_id") == "long")
            .collect();
    assert_eq!(articles.len(), 1);
    let body = crate::util::str_field(&articles[0], "text");
    assert_eq!(
        crate::util::uint_field(&articles[0], "n_claims"),
        claims.len()
    );
    assert!(claims.len() > 90_000, "{}", claims.len());
    let mut previous_end = 0;
    for (i, c) in claims.iter().enumerate() {
        let (start, end) = (
            crate::util::uint_field(c, "start"),
            crate::util::uint_field(c, "end"),
        );
        assert!(start >= previous_end, "claim {i} overlaps");
        previous_end = end;
        assert_eq!(crate::util::uint_field(c, "index"), i);
        assert_eq!(crate::util::str_field(c, "claim_id"), format!("long#{i}"));
        if i % 997 == 0 || i + 1 == claims.len() {
            let slice = crate::util::char_slice(body, start, end).expect("offsets inside the text");
            assert_eq!(slice, crate::util::str_field(c, "text"), "claim {i}");
        }
    }
    // The dateline is only the article's, and quotes keep their speaker.
    assert_eq!(
        crate::util::str_field(&claims[0], "text"),
        "The river crested at noon."
    );
    let last_quote = claims
        .iter()
        .rev()
        .find(|c| crate::util::str_field(c, "quote_type") == "direct")
        .unwrap();
    assert_eq!(crate::util::str_field(last_quote, "source"), "Ana Ruiz");
}
