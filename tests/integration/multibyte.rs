//! Multibyte text: accents, combining marks, emoji (ZWJ sequences, flags),
//! CJK, curly quotes, CRLF and a BOM. Offsets are code points, never bytes.

use serde_json::Value;

use claimtag::lexicon::Lexicons;
use claimtag::output::ClaimRecord;

use crate::util::{char_offset, char_slice, parse_csv, parse_jsonl, str_field, uint_field, Dir};

const ZOE: &str = "Zoë Müller said the café on Rue de l’Église was closed 🎉 on Monday.";
const CURLY_RUIZ: &str = "“It’s over,” Mayor Ana Ruiz said.";
const LEDGER: &str = "The Ledger reported that repairs may cost €4 million 👷‍♀️🇺🇸.";
const SATO: &str =
    "東京の記者 Kenji Sato said the 🏳️‍🌈 flags were e\u{301}xtraordinary and 👍🏽 popular.";

/// The body as claimtag must give it: no BOM, `\n` newlines.
fn body() -> String {
    format!("{ZOE}\n\n{CURLY_RUIZ} “We’re done.”\n\n{LEDGER}\n\n{SATO}\n")
}

/// The file as written: BOM, CRLF, front matter.
fn file_bytes() -> Vec<u8> {
    let front = "---\ntitle: Café “news” 🎉\nsection: métro\n---\n";
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        format!("{front}{}", body())
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    bytes
}

fn annotate(dir: &Dir) -> (Value, Vec<Value>) {
    dir.write("in/multi.txt", file_bytes());
    let claims = dir
        .command()
        .args(["annotate", "in", "-q", "--articles", "articles.jsonl"])
        .run()
        .ok()
        .jsonl();
    let mut articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    assert_eq!(articles.len(), 1);
    (articles.remove(0), claims)
}

#[track_caller]
fn claim_with_text<'a>(claims: &'a [Value], text: &str) -> &'a Value {
    claims
        .iter()
        .find(|c| c["text"] == text)
        .unwrap_or_else(|| panic!("no claim {text:?} among {:#?}", texts(claims)))
}

fn texts(records: &[Value]) -> Vec<&str> {
    records.iter().map(|r| str_field(r, "text")).collect()
}

#[test]
fn bom_crlf_and_front_matter_are_removed_and_nothing_else() {
    let dir = Dir::new("mb_text");
    let (article, _) = annotate(&dir);
    assert_eq!(str_field(&article, "text"), body());
    assert_eq!(article["title"], "Café “news” 🎉");
    assert_eq!(article["extra"]["section"], "métro");
    assert_eq!(article["article_id"], "multi");
}

#[test]
fn claim_offsets_are_code_points() {
    let dir = Dir::new("mb_offsets");
    let (article, claims) = annotate(&dir);
    let text = str_field(&article, "text");
    assert!(claims.len() >= 4, "{:#?}", texts(&claims));
    for c in &claims {
        let (start, end) = (uint_field(c, "start"), uint_field(c, "end"));
        assert_eq!(
            char_slice(text, start, end).as_deref(),
            Some(str_field(c, "text")),
            "{}",
            c["claim_id"]
        );
    }
    // Sentences whose boundaries the guide fixes, at their code point offsets
    // (which differ from byte offsets here).
    let mut multibyte_before = 0;
    for sentence in [ZOE, LEDGER, SATO] {
        let c = claim_with_text(&claims, sentence);
        let byte = text.find(sentence).unwrap();
        let start = char_offset(text, byte);
        if start != byte {
            multibyte_before += 1;
        }
        assert_eq!(uint_field(c, "start"), start, "{sentence}");
        assert_eq!(
            uint_field(c, "end"),
            start + sentence.chars().count(),
            "{sentence}"
        );
    }
    assert_eq!(
        multibyte_before, 2,
        "the test needs multibyte text before the sentences"
    );
}

#[test]
fn curly_quotes_attribute_like_straight_ones() {
    let dir = Dir::new("mb_curly");
    let (_, claims) = annotate(&dir);
    let c = claim_with_text(&claims, CURLY_RUIZ);
    // Whether the comma before the closing mark stays in `quote` is not the point here.
    assert_eq!(str_field(c, "quote").trim_end_matches(','), "It’s over");
    assert_eq!(c["quote_type"], "direct");
    assert_eq!(c["source_type"], "official_statement");
    assert_eq!(c["source"], "Ana Ruiz");
    assert_eq!(c["cue"], "said");
}

#[test]
fn sentence_and_csv_offsets_are_code_points() {
    let dir = Dir::new("mb_sentences");
    let (article, claims) = annotate(&dir);
    let text = str_field(&article, "text");
    let sentences = dir
        .command()
        .args(["sentences", "in", "-q"])
        .run()
        .ok()
        .jsonl();
    for s in &sentences {
        let (start, end) = (uint_field(s, "start"), uint_field(s, "end"));
        assert_eq!(
            char_slice(text, start, end).as_deref(),
            Some(str_field(s, "text"))
        );
    }
    dir.command()
        .args(["annotate", "in", "-q", "-o", "claims.csv"])
        .run()
        .ok();
    let (header, rows) = parse_csv(&dir.read("claims.csv"), "claims.csv");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), claims.len());
    for row in &rows {
        let start: usize = row[col("start")].parse().unwrap();
        let end: usize = row[col("end")].parse().unwrap();
        assert_eq!(
            char_slice(text, start, end).as_deref(),
            Some(&*row[col("text")])
        );
    }
}

#[test]
fn jsonl_text_with_lone_cr_bom_and_separators() {
    let dir = Dir::new("mb_jsonl");
    // Short paragraphs: see regression::regression_dateline_window_cuts_a_multibyte_char.
    let text = format!("\u{feff}{ZOE}\r\r{LEDGER}\u{2028}tail\r\n\r\n{SATO}\r");
    let line = serde_json::json!({"id": "j", "text": text});
    let claims = dir
        .command()
        .args(["annotate", "-", "-q", "--articles", "articles.jsonl"])
        .stdin(format!("{line}\n"))
        .run()
        .ok()
        .jsonl();
    let articles = parse_jsonl(&dir.read("articles.jsonl"), "articles.jsonl");
    let body = str_field(&articles[0], "text");
    assert_eq!(body, format!("{ZOE}\n\n{LEDGER}\u{2028}tail\n\n{SATO}\n"));
    assert!(!claims.is_empty());
    for c in &claims {
        let (start, end) = (uint_field(c, "start"), uint_field(c, "end"));
        assert_eq!(
            char_slice(body, start, end).as_deref(),
            Some(str_field(c, "text"))
        );
    }
}

#[test]
fn the_binary_and_the_library_agree() {
    let dir = Dir::new("mb_library");
    let (_, claims) = annotate(&dir);
    let article = claimtag::ingest::parse_text(&file_bytes(), "multi", "multi.txt").unwrap();
    assert_eq!(article.text, body());
    let annotation = claimtag::pipeline::annotate(&article, &Lexicons::builtin());
    let records = ClaimRecord::from_claims(&article, &annotation.claims);
    let from_binary: Vec<ClaimRecord> = claims
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    assert_eq!(records, from_binary);
}
