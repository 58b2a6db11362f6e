//! The command line: formats, stdin, subcommands, exit codes, failed inputs,
//! lexicon overrides, atomic output and deterministic output.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use crate::corpus::{ruiz_and_ledger, sample, LEDGER_REPORT, RUIZ_QUOTE};
use crate::util::{
    articles_dir, assert_same, parse_csv, parse_jsonl, repo, str_field, Dir, TestCommand,
};

/// The claim fields in the guide's order (§4): the CSV header.
pub const CLAIM_FIELDS: [&str; 17] = [
    "article_id",
    "claim_id",
    "index",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "quote",
    "quote_type",
    "source_type",
    "source",
    "source_mention",
    "source_role",
    "cue",
    "confidence",
    "rule",
];

fn claim_header() -> String {
    CLAIM_FIELDS.join(",")
}

/// How many articles `data/articles` holds: one per text or HTML file, one
/// per non-empty JSONL line (counted here independently of claimtag).
fn expected_sample_articles() -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(articles_dir()).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt" | "md" | "html" | "htm") => n += 1,
            Some("jsonl") => {
                let text = std::fs::read_to_string(&path).unwrap();
                n += text.lines().filter(|l| !l.trim().is_empty()).count();
            }
            _ => {}
        }
    }
    n
}

// ---- formats and destinations ----

#[test]
fn annotate_folder_to_csv_picks_csv_from_the_extension() {
    let dir = Dir::new("csv_ext");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-o", "claims.csv", "-q"])
        .run()
        .ok();
    let csv = dir.read("claims.csv");
    assert_eq!(csv.lines().next(), Some(claim_header().as_str()));
    let (_, rows) = parse_csv(&csv, "claims.csv");
    assert_eq!(rows.len(), sample().claims.len());
    assert_same("claims.csv of two runs", &sample().claims_csv, &csv);
}

#[test]
fn annotate_folder_to_jsonl_picks_jsonl_from_the_extension() {
    let dir = Dir::new("jsonl_ext");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-o", "claims.jsonl", "-q"])
        .run()
        .ok();
    let jsonl = dir.read("claims.jsonl");
    let records = parse_jsonl(&jsonl, "claims.jsonl");
    assert!(records.iter().all(|r| r.is_object()));
    assert_same("claims.jsonl of two runs", &sample().claims_jsonl, &jsonl);
}

#[test]
fn format_flag_overrides_the_extension() {
    let dir = Dir::new("format_flag");
    let input = dir.write("story.txt", ruiz_and_ledger());
    dir.command()
        .args(["annotate", "-q", "--format", "csv", "-o", "claims.jsonl"])
        .arg(&input)
        .run()
        .ok();
    let csv = dir.read("claims.jsonl");
    assert!(csv.starts_with(&format!("{}\n", claim_header())), "{csv}");
    assert_eq!(parse_csv(&csv, "claims.jsonl").1.len(), 2);

    dir.command()
        .args(["annotate", "-q", "--format", "jsonl", "-o", "claims.csv"])
        .arg(&input)
        .run()
        .ok();
    assert_eq!(parse_jsonl(&dir.read("claims.csv"), "claims.csv").len(), 2);

    let stdout = dir
        .command()
        .args(["annotate", "-q", "--format", "csv"])
        .arg(&input)
        .run()
        .ok()
        .stdout();
    assert_same("CSV on stdout and in a file", &csv, &stdout);
}

#[test]
fn other_output_extensions_are_jsonl_and_csv_is_case_insensitive() {
    let dir = Dir::new("out_ext");
    let input = dir.write("story.txt", ruiz_and_ledger());
    for (out, csv) in [
        ("claims.out", false),
        ("claims", false),
        ("CLAIMS.CSV", true),
    ] {
        dir.command()
            .args(["annotate", "-q", "-o", out])
            .arg(&input)
            .run()
            .ok();
        let text = dir.read(out);
        if csv {
            assert!(text.starts_with(&claim_header()), "{out}: {text}");
        } else {
            assert_eq!(parse_jsonl(&text, out).len(), 2, "{out}");
        }
    }
}

#[test]
fn stdout_is_jsonl_by_default_and_equals_the_file_output() {
    let dir = Dir::new("stdout_default");
    let run = dir
        .command()
        .arg("annotate")
        .arg(articles_dir())
        .arg("-q")
        .run();
    run.ok();
    assert_eq!(run.stderr, "", "-q prints nothing on stderr");
    assert_same(
        "stdout and -o claims.jsonl",
        &sample().claims_jsonl,
        &run.stdout(),
    );
}

#[test]
fn summary_line_goes_to_stderr_unless_quiet() {
    let dir = Dir::new("summary");
    let run = dir.command().arg("annotate").arg(articles_dir()).run();
    run.ok().stderr_has(&[
        &format!("{} articles", expected_sample_articles()),
        &format!("{} claims", sample().claims.len()),
        "0 failed",
    ]);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

// ---- stdin ----

#[test]
fn stdin_dash_reads_a_text_article() {
    let dir = Dir::new("stdin_text");
    let claims = dir
        .command()
        .args(["annotate", "-", "-q", "--articles", "articles.jsonl"])
        .stdin(ruiz_and_ledger())
        .run()
        .ok()
        .jsonl();
    let texts: Vec<&str> = claims.iter().map(|c| str_field(c, "text")).collect();
    assert_eq!(texts, [RUIZ_QUOTE, LEDGER_REPORT]);
    assert!(claims.iter().all(|c| c["article_id"] == "stdin"));
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["source_file"], "", "stdin has no source file");
    assert_eq!(articles[0]["text"], ruiz_and_ledger().as_str());
}

#[test]
fn stdin_is_the_default_input() {
    let dir = Dir::new("stdin_default");
    let with_dash = dir
        .command()
        .args(["annotate", "-", "-q"])
        .stdin(ruiz_and_ledger())
        .run()
        .ok()
        .stdout();
    let without = dir
        .command()
        .args(["annotate", "-q"])
        .stdin(ruiz_and_ledger())
        .run()
        .ok()
        .stdout();
    assert_same("stdin with and without `-`", &with_dash, &without);
    assert_eq!(parse_jsonl(&without, "stdout").len(), 2);
}

#[test]
fn stdin_reads_jsonl_articles_with_metadata() {
    let dir = Dir::new("stdin_jsonl");
    let input = format!(
        "{}\n\n{}\n",
        serde_json::json!({"id": "brief-1", "title": "Bridge", "outlet": "The Ledger", "text": RUIZ_QUOTE}),
        serde_json::json!({"text": format!("{LEDGER_REPORT}\r\n\r\nSecond paragraph here."), "desk": "metro", "rank": 3}),
    );
    let claims = dir
        .command()
        .args(["annotate", "-", "-q", "--articles", "articles.jsonl"])
        .stdin(input)
        .run()
        .ok()
        .jsonl();
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    let ids: Vec<&str> = articles
        .iter()
        .map(|a| str_field(a, "article_id"))
        .collect();
    assert_eq!(
        ids,
        ["brief-1", "stdin/3"],
        "an id, else stdin/<line number>"
    );
    assert_eq!(articles[0]["title"], "Bridge");
    assert_eq!(articles[0]["outlet"], "The Ledger");
    assert_eq!(
        articles[1]["text"],
        format!("{LEDGER_REPORT}\n\nSecond paragraph here.").as_str(),
        "CRLF becomes LF"
    );
    assert_eq!(articles[1]["extra"]["desk"], "metro");
    assert_eq!(
        articles[1]["extra"]["rank"], "3",
        "extra values are strings"
    );
    assert_eq!(claims[0]["claim_id"], "brief-1#0");
    assert_eq!(claims[0]["text"], RUIZ_QUOTE);
    assert!(claims.iter().any(|c| c["claim_id"] == "stdin/3#0"));
}

#[test]
fn stdin_can_be_named_only_once() {
    let dir = Dir::new("stdin_twice");
    dir.command()
        .args(["annotate", "-", "-"])
        .stdin(ruiz_and_ledger())
        .run()
        .code(2)
        .stderr_has(&["stdin"]);
}

// ---- other subcommands and records ----

#[test]
fn articles_flag_writes_one_record_per_article() {
    let s = sample();
    assert_eq!(s.articles.len(), expected_sample_articles());
    let mut ids: Vec<&str> = s
        .articles
        .iter()
        .map(|a| str_field(a, "article_id"))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "article ids are unique");
    for a in &s.articles {
        assert!(
            !str_field(a, "text").is_empty(),
            "{} has an empty text",
            a["article_id"]
        );
    }
}

#[test]
fn sentences_command_writes_sentence_records_as_jsonl_or_csv() {
    let s = sample();
    let mut expected_index = std::collections::HashMap::new();
    for r in &s.sentences {
        let id = str_field(r, "article_id").to_string();
        let next = expected_index.entry(id).or_insert(0u64);
        assert_eq!(
            r["index"].as_u64(),
            Some(*next),
            "sentence indexes count up: {r}"
        );
        *next += 1;
    }
    let dir = Dir::new("sentences_csv");
    dir.command()
        .arg("sentences")
        .arg(articles_dir())
        .args(["-q", "-o", "sentences.csv"])
        .run()
        .ok();
    let (header, rows) = parse_csv(&dir.read("sentences.csv"), "sentences.csv");
    assert_eq!(header, ["article_id", "index", "start", "end", "text"]);
    assert_eq!(rows.len(), s.sentences.len());
    for (row, json) in rows.iter().zip(&s.sentences) {
        assert_eq!(row[4], str_field(json, "text"));
        assert_eq!(row[2], json["start"].to_string());
    }
}

#[test]
fn schema_command_prints_each_schema_as_json() {
    let dir = Dir::new("schema_cmd");
    for name in ["claim", "article", "sentence"] {
        let stdout = dir.command().args(["schema", name]).run().ok().stdout();
        let printed: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("`schema {name}` is not JSON: {e}"));
        let file = repo().join(format!("schemas/{name}.schema.json"));
        let on_disk: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(printed, on_disk, "`schema {name}` is {}", file.display());
        jsonschema::validator_for(&printed)
            .unwrap_or_else(|e| panic!("`schema {name}` is not a valid JSON Schema: {e}"));
    }
    dir.command().args(["schema", "claims"]).run().code(2);
    dir.command().arg("schema").run().code(2);
}

#[test]
fn help_and_version_exit_0() {
    let dir = Dir::new("help");
    let help = dir.command().arg("--help").run().ok().stdout();
    for command in ["annotate", "sentences", "schema"] {
        assert!(help.contains(command), "--help does not mention {command}");
    }
    dir.command().args(["annotate", "--help"]).run().ok();
    let version = dir.command().arg("--version").run().ok().stdout();
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
}

// ---- exit codes and failed inputs ----

/// A folder with one good article and one bad input of every kind.
fn bad_inputs(dir: &Dir) {
    dir.write("in/good.txt", ruiz_and_ledger());
    dir.write("in/bad_utf8.txt", b"The mayor said caf\xe9 prices rose.\n");
    dir.write("in/binary.txt", b"GIF89a\x00\x01\x02 said the mayor.\n");
    dir.write("in/empty.txt", b"");
    dir.write("in/blank.md", b"---\ntitle: Only metadata\n---\n  \n");
    let mut batch = format!(
        "{}\n{{\"text\": \"unterminated\n{}\n",
        serde_json::json!({"id": "first", "text": RUIZ_QUOTE}),
        serde_json::json!({"id": "third", "text": LEDGER_REPORT}),
    )
    .into_bytes();
    batch.extend_from_slice(b"{\"id\": \"fourth\", \"text\": \"caf\xe9 prices rose\"}\n");
    dir.write("in/batch.jsonl", batch);
}

/// `-o /dev/null` (or a FIFO) is written in place: the device is not
/// replaced by a regular file, which would break every later use of it.
#[cfg(unix)]
#[test]
fn output_to_a_device_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = Dir::new("device_output");
    dir.write("in/a.txt", RUIZ_QUOTE);
    let run = dir
        .command()
        .args([
            "annotate",
            "in",
            "-o",
            "/dev/null",
            "--articles",
            "/dev/null",
        ])
        .run();
    run.code(0);
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    assert_eq!(std::fs::read("/dev/null").unwrap().len(), 0);
    assert_eq!(dir.list(""), ["in"], "no stray files");
}

#[test]
fn failed_inputs_exit_1_name_the_file_and_the_rest_is_processed() {
    let dir = Dir::new("failed_inputs");
    bad_inputs(&dir);
    let run = dir
        .command()
        .args(["annotate", "in", "missing.txt", "-o", "claims.jsonl"])
        .args(["--articles", "articles.jsonl"])
        .run();
    run.code(1).stderr_has(&[
        "in/bad_utf8.txt",
        "in/binary.txt",
        "in/empty.txt",
        "in/blank.md",
        "in/batch.jsonl:2",
        "in/batch.jsonl:4",
        "missing.txt",
        "7 failed",
    ]);
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    let ids: Vec<&str> = articles
        .iter()
        .map(|a| str_field(a, "article_id"))
        .collect();
    assert_eq!(
        ids,
        ["first", "third", "good"],
        "sorted inputs, good ones kept"
    );
    let claims = parse_jsonl(&dir.read("claims.jsonl"), "claims.jsonl");
    let texts: Vec<&str> = claims.iter().map(|c| str_field(c, "text")).collect();
    assert_eq!(
        texts,
        [RUIZ_QUOTE, LEDGER_REPORT, RUIZ_QUOTE, LEDGER_REPORT]
    );
    assert_eq!(
        dir.list(""),
        ["articles.jsonl", "claims.jsonl", "in"],
        "no stray files"
    );
}

#[test]
fn each_kind_of_bad_input_alone_exits_1_naming_it() {
    let dir = Dir::new("bad_alone");
    bad_inputs(&dir);
    let cases = [
        ("in/bad_utf8.txt", "UTF-8"),
        ("in/binary.txt", "NUL"),
        ("in/empty.txt", "empty"),
        ("in/blank.md", "empty"),
        ("in/batch.jsonl", "in/batch.jsonl:2"),
        ("in/nope.txt", "in/nope.txt"),
    ];
    for (path, why) in cases {
        // -q hides the summary, never the errors.
        dir.command()
            .args(["annotate", "-q", path])
            .run()
            .code(1)
            .stderr_has(&[path, why]);
    }
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = Dir::new("usage");
    let input = dir.write("story.txt", ruiz_and_ledger());
    let cases: [&[&str]; 7] = [
        &["annotate", "--threads", "0", "-o", "out.jsonl"],
        &["annotate", "--threads", "many", "-o", "out.jsonl"],
        &["annotate", "--bogus", "-o", "out.jsonl"],
        &["annotate", "--format", "xml", "-o", "out.jsonl"],
        &["sentences", "--threads", "0", "-o", "out.jsonl"],
        &["frobnicate"],
        &[],
    ];
    for args in cases {
        let run = dir.command().args(args).arg(&input).run();
        run.code(2);
        assert!(!run.stderr.is_empty(), "{args:?}: no message on stderr");
        assert_eq!(dir.list(""), ["story.txt"], "{args:?} wrote something");
    }
    dir.command()
        .args(["annotate", "--threads", "0"])
        .arg(&input)
        .run()
        .code(2)
        .stderr_has(&["--threads"]);
}

#[test]
fn other_extensions_in_a_folder_are_skipped() {
    let dir = Dir::new("skipped");
    dir.write("in/story.txt", ruiz_and_ledger());
    dir.write("in/notes.pdf", b"%PDF-1.7\x00\x01");
    dir.write("in/data.json", "{\"text\": \"Not read.\"}");
    dir.write("in/photo.png", b"\x89PNG\r\n\x1a\n\x00");
    dir.write("in/.hidden.txt", "Hidden files are not read.");
    let run = dir
        .command()
        .args(["annotate", "in", "--articles", "articles.jsonl"])
        .run();
    run.ok()
        .stderr_has(&["1 articles", "0 failed", "3 skipped"]);
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["source_file"], "story.txt");
}

/// A named pipe in a folder (or a link to one) is no article: it is
/// skipped like a file of another kind, not opened (which would wait for a
/// writer for ever).
#[cfg(unix)]
#[test]
fn named_pipes_in_a_folder_are_skipped() {
    let dir = Dir::new("fifo");
    dir.write("in/story.txt", ruiz_and_ledger());
    let pipe = dir.path().join("in/pipe.txt");
    let c_path = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
    // SAFETY: `mkfifo` reads the NUL-terminated path it is given.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink(&pipe, dir.path().join("in/link.md")).unwrap();
    let mut child = dir
        .command()
        .args(["annotate", "in", "-o", "out.jsonl"])
        .spawn();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("claimtag is still running: it waits on the named pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for part in ["1 articles", "0 failed", "2 skipped"] {
        assert!(stderr.contains(part), "{part:?} not in {stderr}");
    }
    assert!(!dir.read("out.jsonl").is_empty());
}

#[test]
fn a_file_named_on_the_command_line_is_read_whatever_its_extension() {
    let dir = Dir::new("named_file");
    dir.write("story.text", ruiz_and_ledger());
    let claims = dir
        .command()
        .args(["annotate", "-q", "story.text"])
        .run()
        .ok()
        .jsonl();
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[0]["article_id"], "story");
}

// ---- lexicons ----

const BLORF: &str = "Ana Ruiz blorfed that the bridge was closed.";

fn builtin_lexicon(name: &str) -> &'static str {
    claimtag::lexicon::BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("no built-in lexicon {name}"))
}

#[test]
fn lexicons_flag_overrides_the_builtin_lists() {
    let dir = Dir::new("lexicons");
    dir.write(
        "lex/cue_verbs.txt",
        format!(
            "{}\n# a made-up cue\nblorfed\n",
            builtin_lexicon("cue_verbs.txt")
        ),
    );
    let story = dir.write("story.txt", format!("{BLORF}\n"));

    let builtin = dir
        .command()
        .args(["annotate", "-q"])
        .arg(&story)
        .run()
        .ok()
        .jsonl();
    assert_eq!(builtin.len(), 1);
    assert_eq!(builtin[0]["text"], BLORF);
    assert_eq!(builtin[0]["cue"], "", "blorfed is not a cue by default");
    assert_eq!(builtin[0]["source"], "");

    let custom = dir
        .command()
        .args(["annotate", "-q", "--lexicons", "lex"])
        .arg(&story)
        .run()
        .ok()
        .jsonl();
    assert_eq!(custom.len(), 1);
    let c = &custom[0];
    assert_eq!(c["text"], BLORF);
    assert_eq!(c["cue"], "blorfed");
    assert_eq!(c["source"], "Ana Ruiz");
    assert_eq!(c["quote_type"], "indirect");
    assert_eq!(
        c["source_type"], "other_source",
        "no office title: guide §3"
    );

    // The override leaves the other lists alone: `said` still attributes.
    let said = dir
        .command()
        .args(["annotate", "-q", "--lexicons", "lex", "-"])
        .stdin(RUIZ_QUOTE)
        .run()
        .ok()
        .jsonl();
    assert_eq!(said[0]["cue"], "said");
}

#[test]
fn lexicon_errors_exit_2_naming_the_problem() {
    let dir = Dir::new("lexicon_errors");
    let story = dir.write("story.txt", ruiz_and_ledger());
    dir.command()
        .args(["annotate", "-q", "--lexicons", "no_such_dir"])
        .arg(&story)
        .run()
        .code(2)
        .stderr_has(&["no_such_dir"]);
    dir.write("lex/abbreviations.txt", "Mr title\nDr nonsense\n");
    dir.command()
        .args(["annotate", "-q", "--lexicons", "lex", "-o", "out.jsonl"])
        .arg(&story)
        .run()
        .code(2)
        .stderr_has(&["abbreviations.txt:2", "Dr nonsense"]);
    assert!(!dir.exists("out.jsonl"));
}

// ---- output files ----

#[test]
fn outputs_inside_the_input_folder_are_not_read_as_input() {
    let dir = Dir::new("outputs-inside");
    dir.write("in/story.txt", ruiz_and_ledger());
    let run = || {
        dir.command()
            .args(["annotate", "-q", "in", "-o", "in/claims.jsonl"])
            .args(["--articles", "in/articles.jsonl"])
            .run()
            .ok();
        (dir.read("in/claims.jsonl"), dir.read("in/articles.jsonl"))
    };
    let first = run();
    // A second run finds last run's outputs in the folder and skips them.
    let second = run();
    assert_same("claims, second run", &first.0, &second.0);
    assert_same("articles, second run", &first.1, &second.1);
    assert_eq!(first.1.lines().count(), 1, "{}", first.1);
    // Also when the folder reaches an output under another name.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("claims.jsonl", dir.join("in/linked.jsonl")).unwrap();
        assert_same("claims, through a link", &first.0, &run().0);
    }
}

#[test]
fn output_file_appears_only_when_complete() {
    let dir = Dir::new("atomic");
    dir.write("claims.jsonl", "previous run\n");
    let mut child = dir
        .command()
        .args([
            "annotate",
            "-",
            "-q",
            "-o",
            "claims.jsonl",
            "--articles",
            "articles.jsonl",
        ])
        .spawn();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(RUIZ_QUOTE.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // claimtag cannot finish before stdin closes: the outputs must not be
    // there yet (a temporary file may be), and the old file is untouched.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(dir.read("claims.jsonl"), "previous run\n");
    assert!(!dir.exists("articles.jsonl"));
    let visible: Vec<String> = dir
        .list("")
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(visible, ["claims.jsonl"], "only whole files are visible");

    stdin
        .write_all(format!("\n\n{LEDGER_REPORT}\n").as_bytes())
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let claims = parse_jsonl(&dir.read("claims.jsonl"), "claims.jsonl");
    assert_eq!(claims.len(), 2);
    assert_eq!(
        dir.list(""),
        ["articles.jsonl", "claims.jsonl"],
        "no temp files left"
    );
}

#[test]
fn unwritable_output_exits_1_naming_it() {
    let dir = Dir::new("unwritable");
    let story = dir.write("story.txt", ruiz_and_ledger());
    dir.command()
        .args(["annotate", "-q", "-o", "no/such/dir/claims.jsonl"])
        .arg(&story)
        .run()
        .code(1)
        .stderr_has(&["no/such/dir/claims.jsonl"]);
    assert_eq!(dir.list(""), ["story.txt"]);
}

/// A full disk (here `/dev/full`, which refuses every write with ENOSPC):
/// exit 1, and the error names the output written to, be it the claims,
/// the articles or standard output.
#[cfg(target_os = "linux")]
#[test]
fn a_full_output_exits_1_naming_it() {
    let dir = Dir::new("full_output");
    let story = dir.write("story.txt", ruiz_and_ledger());
    for args in [
        ["-o", "/dev/full", "--articles", "/dev/null"],
        ["-o", "/dev/null", "--articles", "/dev/full"],
    ] {
        dir.command()
            .args(["annotate", "-q"])
            .args(args)
            .arg(&story)
            .run()
            .code(1)
            .stderr_has(&["/dev/full: write error: cannot write output", "space"]);
    }
    let run = std::process::Command::new(crate::util::BIN)
        .args(["annotate", "-q"])
        .arg(&story)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("<stdout>: write error: cannot write output"),
        "{stderr}"
    );
    assert_eq!(dir.list(""), ["story.txt"], "no stray files");
}

// ---- determinism ----

fn annotate_with_threads(dir: &Dir, threads: &str) -> (String, String, String) {
    let out = |name: &str| format!("{threads}-{name}");
    dir.command()
        .arg("annotate")
        .arg(articles_dir())
        .args(["-q", "--threads", threads, "-o", &out("claims.jsonl")])
        .args(["--articles", &out("articles.jsonl")])
        .run()
        .ok();
    dir.command()
        .arg("sentences")
        .arg(articles_dir())
        .args(["-q", "--threads", threads, "-o", &out("sentences.jsonl")])
        .run()
        .ok();
    (
        dir.read(&out("claims.jsonl")),
        dir.read(&out("articles.jsonl")),
        dir.read(&out("sentences.jsonl")),
    )
}

#[test]
fn thread_count_does_not_change_the_output() {
    let dir = Dir::new("threads");
    let one = annotate_with_threads(&dir, "1");
    for threads in ["2", "7"] {
        let many = annotate_with_threads(&dir, threads);
        assert_same(&format!("claims, 1 vs {threads} threads"), &one.0, &many.0);
        assert_same(
            &format!("articles, 1 vs {threads} threads"),
            &one.1,
            &many.1,
        );
        assert_same(
            &format!("sentences, 1 vs {threads} threads"),
            &one.2,
            &many.2,
        );
    }
    assert_same("claims of separate runs", &sample().claims_jsonl, &one.0);
}

#[test]
fn results_that_finish_early_wait_for_their_turn() {
    // Slow articles among many quick ones, more than the units in flight at
    // once: the quick ones finish first and are held back until the slow
    // ones before them are written.
    let dir = Dir::new("reorder");
    let paragraph = "\u{201c}The levee held,\u{201d} the county engineer said. \
                     Water reached the second step, according to the mayor.\n\n";
    for n in 0..300 {
        let text = if n % 50 == 0 {
            paragraph.repeat(2_000)
        } else {
            format!("Road {n} was closed, the sheriff's office said.")
        };
        dir.write(&format!("in/{n:03}.txt"), text);
    }
    let run = |threads: &str| {
        let out = format!("{threads}.jsonl");
        dir.command()
            .args(["annotate", "-q", "in", "--threads", threads, "-o", &out])
            .run()
            .ok();
        dir.read(&out)
    };
    let one = run("1");
    let ids: Vec<String> = parse_jsonl(&one, "claims")
        .iter()
        .map(|c| str_field(c, "article_id").to_string())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "claims in input order");
    assert!(ids.len() > 300 + 6 * 2_000, "{} claims", ids.len());
    for threads in ["2", "5"] {
        assert_same(&format!("1 vs {threads} threads"), &one, &run(threads));
    }
}

#[test]
fn records_do_not_depend_on_how_the_input_root_is_named() {
    let dir = Dir::new("roots");
    let run_in = |cwd: &Path, input: &Path, name: &str| {
        TestCommand::new(cwd)
            .arg("annotate")
            .arg(input)
            .arg("-q")
            .arg("-o")
            .arg(dir.join(&format!("{name}.jsonl")))
            .arg("--articles")
            .arg(dir.join(&format!("{name}-articles.jsonl")))
            .run()
            .ok();
    };
    run_in(&repo(), Path::new("data/articles"), "relative");
    run_in(&repo().join("data"), Path::new("./articles/"), "dotted");
    run_in(dir.path(), &articles_dir(), "absolute");
    for name in ["relative", "dotted"] {
        assert_same(
            &format!("claims, absolute vs {name} input path"),
            &dir.read("absolute.jsonl"),
            &dir.read(&format!("{name}.jsonl")),
        );
        assert_same(
            &format!("articles, absolute vs {name} input path"),
            &dir.read("absolute-articles.jsonl"),
            &dir.read(&format!("{name}-articles.jsonl")),
        );
    }
}

#[test]
fn broken_pipe_on_jsonl_stdout_is_success() {
    let dir = Dir::new("broken_pipe");
    let input = articles_dir();
    // Enough output to overflow a pipe buffer many times.
    let mut child = dir
        .command()
        .args(["annotate", "-q", "--threads", "1"])
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
    assert_eq!(stderr, "", "a closed pipe is not an error to report");
}

/// Many threads under a low limit on open files: the files opened ahead for
/// the workers stay well inside it, so folders listed later can still be
/// opened, and the output is the 1-thread output.
#[cfg(unix)]
#[test]
fn many_threads_under_a_low_open_file_limit_read_every_file() {
    let dir = Dir::new("fd_limit");
    for i in 0..300 {
        dir.write(
            &format!("in/{:02}/a{i:03}.txt", i / 10),
            format!("Officials said the bridge {i} would reopen. The mayor agreed.\n\n")
                .repeat(150),
        );
    }
    let one = dir
        .command()
        .args(["annotate", "in", "--threads", "1", "-q", "-o", "one.jsonl"])
        .run();
    one.ok();
    let status = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec '{}' annotate in --threads 16 -q -o many.jsonl",
            crate::util::BIN
        ))
        .status()
        .expect("sh runs");
    assert!(status.success(), "{status}");
    assert_eq!(dir.read("many.jsonl"), dir.read("one.jsonl"));
    assert_eq!(dir.read("one.jsonl").lines().count(), 300 * 300);
}
