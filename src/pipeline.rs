//! The pipeline: ingest -> segment -> quote/attribute -> classify -> output,
//! parallel over articles in bounded batches, written in input order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::classify::classify;
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::{self, Input};
use crate::lexicon::Lexicons;
use crate::model::{Article, Claim, SourceType};
use crate::output::{
    ArticleCsvRecord, ArticleRecord, AtomicFile, ClaimRecord, Format, RecordWriter, SentenceRecord,
};
use crate::quote::attribute;
use crate::segment::{segment, Segmentation};

/// An article's segmentation and claims.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub segmentation: Segmentation,
    pub claims: Vec<Claim>,
}

/// Runs every stage on one article.
pub fn annotate(article: &Article, lex: &Lexicons) -> Annotation {
    let segmentation = segment(&article.text, lex);
    let parts = attribute(&article.text, &segmentation, lex);
    let claims = classify(article, &segmentation, &parts, lex);
    Annotation {
        segmentation,
        claims,
    }
}

/// What a batch run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Claims (and optionally article records).
    Annotate,
    /// The segmenter's sentences.
    Sentences,
}

/// A validated batch configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub job: Job,
    pub inputs: Vec<PathBuf>,
    /// `None` writes to stdout.
    pub output: Option<PathBuf>,
    pub format: Format,
    pub articles: Option<PathBuf>,
    pub lexicons: Lexicons,
    pub threads: usize,
    pub quiet: bool,
}

/// Figures of a finished run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub articles: usize,
    pub claims: usize,
    pub by_type: [usize; 4],
    pub failures: usize,
    pub skipped: usize,
    pub bytes: u64,
    pub seconds: f64,
}

impl Summary {
    /// One line for stderr.
    pub fn line(&self) -> String {
        let types = SourceType::ALL
            .iter()
            .zip(self.by_type)
            .map(|(t, n)| format!("{} {n}", t.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let mb = self.bytes as f64 / 1e6;
        format!(
            "claimtag: {} articles, {} claims ({types}), {} failed, {} skipped, {:.2} s, {:.1} MB/s",
            self.articles,
            self.claims,
            self.failures,
            self.skipped,
            self.seconds,
            if self.seconds > 0.0 { mb / self.seconds } else { 0.0 }
        )
    }
}

/// Where records go: a file that appears whole at the end, or stdout.
enum Sink {
    File(RecordWriter<AtomicFile>),
    Stdout(RecordWriter<io::StdoutLock<'static>>),
}

impl Sink {
    fn open(path: Option<&Path>, format: Format) -> Result<Sink> {
        Ok(match path {
            Some(p) if p.as_os_str() != "-" => {
                Sink::File(RecordWriter::new(format, AtomicFile::create(p)?))
            }
            _ => Sink::Stdout(RecordWriter::new(format, io::stdout().lock())),
        })
    }

    fn write<T: serde::Serialize>(&mut self, record: &T) -> io::Result<()> {
        match self {
            Sink::File(w) => w.write(record),
            Sink::Stdout(w) => w.write(record),
        }
    }

    fn finish(self) -> Result<()> {
        let fail =
            |e: io::Error| Error::new(ErrorKind::Output, "cannot write output").with_source(e);
        match self {
            Sink::File(w) => {
                let target = match &w {
                    RecordWriter::Jsonl(b) => b.get_ref().target().to_path_buf(),
                    RecordWriter::Csv(c) => c.get_ref().target().to_path_buf(),
                };
                let mut file = w.into_inner().map_err(|e| fail(e).with_path(&target))?;
                file.flush().map_err(|e| fail(e).with_path(&target))?;
                file.commit()
            }
            Sink::Stdout(mut w) => w.flush().map_err(fail),
        }
    }
}

/// What one input produced.
struct Done {
    articles: Vec<(ArticleRecord, Vec<ClaimRecord>, Vec<SentenceRecord>)>,
    errors: Vec<Error>,
    bytes: u64,
}

fn process(input: &Input, config: &Config) -> Done {
    let mut done = Done {
        articles: Vec::new(),
        errors: Vec::new(),
        bytes: 0,
    };
    let bytes = match ingest::read_bytes(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            done.errors.push(e);
            return done;
        }
    };
    done.bytes = bytes.len() as u64;
    for article in ingest::parse_input(input, &bytes) {
        match article {
            Ok(article) => {
                let annotation = annotate(&article, &config.lexicons);
                let claims = match config.job {
                    Job::Annotate => ClaimRecord::from_claims(&article, &annotation.claims),
                    Job::Sentences => Vec::new(),
                };
                let sentences = match config.job {
                    Job::Sentences => {
                        SentenceRecord::from_sentences(&article, &annotation.segmentation.sentences)
                    }
                    Job::Annotate => Vec::new(),
                };
                let record = ArticleRecord::new(&article, &annotation.claims);
                done.articles.push((record, claims, sentences));
            }
            Err(e) => done.errors.push(e),
        }
    }
    done
}

/// Inputs handled per parallel batch: bounds memory to a batch's articles.
const BATCH: usize = 256;

/// Runs a batch job. Errors in single inputs are reported on stderr and
/// counted; an `Err` means the run itself failed (output could not be written).
pub fn run(config: &Config, report: &mut dyn FnMut(&Error)) -> Result<Summary> {
    let started = Instant::now();
    let mut found = ingest::discover(&config.inputs);
    // Never read this run's own output files (`annotate dir -o dir/claims.jsonl`).
    let outputs: Vec<PathBuf> = [config.output.as_ref(), config.articles.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    if !outputs.is_empty() {
        found.inputs.retain(|i| {
            i.path
                .as_ref()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .is_none_or(|p| !outputs.contains(&p))
        });
    }
    let mut summary = Summary {
        skipped: found.skipped,
        ..Summary::default()
    };
    for e in &found.errors {
        report(e);
        summary.failures += 1;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::new(ErrorKind::Usage, "cannot start worker threads").with_source(e))?;
    let mut sink = Sink::open(config.output.as_deref(), config.format)?;
    let articles_format = config
        .articles
        .as_deref()
        .map_or(Format::Jsonl, Format::from_path);
    let mut articles_sink = match &config.articles {
        Some(p) => Some(Sink::open(Some(p), articles_format)?),
        None => None,
    };
    let write_err =
        |e: io::Error| Error::new(ErrorKind::Output, "cannot write output").with_source(e);
    for batch in found.inputs.chunks(BATCH) {
        let results: Vec<Done> = pool.install(|| {
            batch
                .par_iter()
                .map(|input| process(input, config))
                .collect()
        });
        for done in results {
            summary.bytes += done.bytes;
            for e in &done.errors {
                report(e);
                summary.failures += 1;
            }
            for (record, claims, sentences) in done.articles {
                summary.articles += 1;
                summary.claims += claims.len();
                for c in &claims {
                    summary.by_type[c.source_type as usize] += 1;
                    sink.write(c).map_err(write_err)?;
                }
                for s in &sentences {
                    sink.write(s).map_err(write_err)?;
                }
                if let Some(a) = &mut articles_sink {
                    match articles_format {
                        Format::Csv => a.write(&ArticleCsvRecord::from(&record)),
                        Format::Jsonl => a.write(&record),
                    }
                    .map_err(write_err)?;
                }
            }
        }
    }
    sink.finish()?;
    if let Some(a) = articles_sink {
        a.finish()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
