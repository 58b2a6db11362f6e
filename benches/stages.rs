//! Per-stage benchmarks (divan) on generated articles.
//!
//! ```sh
//! cargo bench --bench stages              # all stages
//! cargo bench --bench stages -- segment   # one stage (a name filter)
//! ```
//!
//! Each stage runs over the same in-memory sample of typical articles (about
//! 1 MB of text, from the generator behind `examples/gen_corpus`), with the
//! inputs of a stage made beforehand by the stages before it, so a figure is
//! that stage alone. Throughput is in bytes of article text. `annotate_long`
//! and the pathological cases check that cost stays linear in article length.
//!
//! `cargo test --all-targets` runs this file once per benchmark without
//! `--bench`: the inputs are then made tiny so the test run stays fast.

#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::io;
use std::sync::OnceLock;

use claimtag::classify::classify;
use claimtag::ingest::{parse_html, parse_jsonl, parse_text};
use claimtag::lexicon::Lexicons;
use claimtag::model::{Article, Claim};
use claimtag::output::{ClaimRecord, Format, RecordWriter};
use claimtag::pipeline::annotate;
use claimtag::quote::{attribute, Part};
use claimtag::segment::{segment, Segmentation};
use corpus::{Rng, Shape};
use divan::counter::BytesCount;
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

/// True under `cargo bench`; false when `cargo test` runs the file once.
fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Scales a size down for test runs.
fn scaled(len: usize) -> usize {
    if benching() {
        len
    } else {
        (len / 50).max(4_000)
    }
}

/// The sample and every stage's input, made once.
struct Sample {
    lex: Lexicons,
    /// `.txt` files (front matter included).
    txt: Vec<Vec<u8>>,
    html: Vec<Vec<u8>>,
    jsonl: Vec<u8>,
    articles: Vec<Article>,
    segs: Vec<Segmentation>,
    parts: Vec<Vec<Part>>,
    claims: Vec<Vec<Claim>>,
    records: Vec<Vec<ClaimRecord>>,
    /// Bytes of article text (what the throughput counts).
    text_bytes: usize,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let lex = Lexicons::builtin();
        let target = scaled(1_000_000);
        let mut txt = Vec::new();
        let mut html = Vec::new();
        let mut jsonl = String::new();
        let mut size = 0;
        let mut n = 0u64;
        while size < target {
            n += 1;
            let mut rng = Rng::derive(42, n);
            let shape = Shape::typical(&mut rng);
            let a = corpus::article(&mut rng, &format!("a{n:05}"), shape);
            let bytes = a.to_txt(rng.chance(0.1), false, true);
            size += bytes.len();
            txt.push(bytes);
            if n.is_multiple_of(10) {
                html.push(a.to_html(&mut rng).into_bytes());
                jsonl.push_str(&a.to_jsonl());
                jsonl.push('\n');
            }
        }
        let articles: Vec<Article> = txt
            .iter()
            .enumerate()
            .map(|(i, b)| {
                parse_text(b, &format!("a{i}"), "bench.txt").expect("generated text parses")
            })
            .collect();
        let segs: Vec<Segmentation> = articles.iter().map(|a| segment(&a.text, &lex)).collect();
        let parts: Vec<Vec<Part>> = articles
            .iter()
            .zip(&segs)
            .map(|(a, s)| attribute(&a.text, s, &lex))
            .collect();
        let claims: Vec<Vec<Claim>> = articles
            .iter()
            .zip(&segs)
            .zip(&parts)
            .map(|((a, s), p)| classify(a, s, p, &lex))
            .collect();
        let records = articles
            .iter()
            .zip(&claims)
            .map(|(a, c)| ClaimRecord::from_claims(a, c))
            .collect();
        let text_bytes = articles.iter().map(|a| a.text.len()).sum();
        Sample {
            lex,
            txt,
            html,
            jsonl: jsonl.into_bytes(),
            articles,
            segs,
            parts,
            claims,
            records,
            text_bytes,
        }
    })
}

const SAMPLES: u32 = 20;

/// Ingest: `.txt` bytes (front matter, newline normalisation) to articles.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn ingest_text(bencher: Bencher) {
    let s = sample();
    let bytes: usize = s.txt.iter().map(Vec::len).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for b in &s.txt {
            black_box(parse_text(b, "id", "bench.txt").ok());
        }
    });
}

/// Ingest: HTML pages to articles.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn ingest_html(bencher: Bencher) {
    let s = sample();
    let bytes: usize = s.html.iter().map(Vec::len).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for b in &s.html {
            black_box(parse_html(b, "id", "bench.html").ok());
        }
    });
}

/// Ingest: a JSONL dump to articles.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn ingest_jsonl(bencher: Bencher) {
    let s = sample();
    bencher
        .counter(BytesCount::new(s.jsonl.len()))
        .bench(|| black_box(parse_jsonl(&s.jsonl, "dump", "bench.jsonl")));
}

/// Segment: paragraphs, datelines, sentences.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn segment_sentences(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        for a in &s.articles {
            black_box(segment(&a.text, &s.lex));
        }
    });
}

/// Quote/attribute: quotation marks, cues, speakers, claim parts.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn quote_attribute(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        for (a, seg) in s.articles.iter().zip(&s.segs) {
            black_box(attribute(&a.text, seg, &s.lex));
        }
    });
}

/// Classify: coreference and source type (tokenizes again, as the public
/// `classify` does; the pipeline shares tokens with attribution instead).
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn classify_claims(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        for ((a, seg), parts) in s.articles.iter().zip(&s.segs).zip(&s.parts) {
            black_box(classify(a, seg, parts, &s.lex));
        }
    });
}

/// Write: claims to records (code point offsets) to JSONL.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn write_jsonl(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        let mut w = RecordWriter::new(Format::Jsonl, io::sink());
        for (a, claims) in s.articles.iter().zip(&s.claims) {
            for r in ClaimRecord::from_claims(a, claims) {
                w.write(&r).expect("sink never fails");
            }
        }
        w.flush().expect("sink never fails");
    });
}

/// Write: ready records to CSV.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn write_csv(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        let mut w = RecordWriter::new(Format::Csv, io::sink());
        for records in &s.records {
            for r in records {
                w.write(r).expect("sink never fails");
            }
        }
        w.flush().expect("sink never fails");
    });
}

/// Every stage on each article (`pipeline::annotate`), for comparison with
/// the sum of the stages.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn annotate_typical(bencher: Bencher) {
    let s = sample();
    bencher.counter(BytesCount::new(s.text_bytes)).bench(|| {
        for a in &s.articles {
            black_box(annotate(a, &s.lex));
        }
    });
}

fn long_article(len: usize) -> Article {
    let mut rng = Rng::derive(7, len as u64);
    let shape = Shape {
        len,
        people: 40,
        straight: false,
        dateline: true,
    };
    let g = corpus::article(&mut rng, "long", shape);
    Article {
        id: "long".into(),
        text: g.body(),
        ..Article::default()
    }
}

/// One long article at growing lengths: MB/s should stay flat (linear cost).
#[divan::bench(args = [250_000, 1_000_000, 4_000_000], sample_count = 10, sample_size = 1)]
fn annotate_long(bencher: Bencher, len: usize) {
    let lex = &sample().lex;
    let article = long_article(scaled(len));
    bencher
        .counter(BytesCount::new(article.text.len()))
        .bench(|| black_box(annotate(&article, lex)));
}

/// An article that is one paragraph on one line of about 100 KB.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn annotate_one_paragraph(bencher: Bencher) {
    let lex = &sample().lex;
    let mut rng = Rng::derive(8, 0);
    let g = corpus::one_paragraph(&mut rng, "para", scaled(100_000));
    let article = Article {
        text: g.body(),
        ..Article::default()
    };
    bencher
        .counter(BytesCount::new(article.text.len()))
        .bench(|| black_box(annotate(&article, lex)));
}

/// An article whose quotation marks never balance.
#[divan::bench(sample_count = SAMPLES, sample_size = 1)]
fn annotate_unbalanced_quotes(bencher: Bencher) {
    let lex = &sample().lex;
    let mut rng = Rng::derive(9, 0);
    let g = corpus::unbalanced_quotes(&mut rng, "unbalanced", scaled(100_000));
    let article = Article {
        text: g.body(),
        ..Article::default()
    };
    bencher
        .counter(BytesCount::new(article.text.len()))
        .bench(|| black_box(annotate(&article, lex)));
}
