//! Command line: clap structs hold what the user typed; [`Cli::config`] turns
//! them into a validated [`Config`] with the lexicons loaded.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, ErrorKind, Result};
use crate::lexicon::Lexicons;
use crate::output::Format;
use crate::pipeline::{Config, Job};

/// Turn folders of news articles into a dataset of attributed claims.
#[derive(Debug, Parser)]
#[command(name = "claimtag", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split articles into claims tagged with their source.
    #[command(after_help = "Examples:
  claimtag annotate data/articles -o claims.csv
  claimtag annotate story.txt                      # JSONL on stdout
  claimtag annotate corpus/ -o claims.jsonl --articles articles.jsonl
  cat dump.jsonl | claimtag annotate - --format csv > claims.csv
  claimtag annotate corpus/ --lexicons my-lexicons/ -o claims.jsonl
  claimtag annotate corpus/ --shard 2/8 -o part-2.jsonl   # one of 8 machines")]
    Annotate(AnnotateArgs),
    /// Print the sentence segmentation only (to check the segmenter).
    #[command(after_help = "Examples:
  claimtag sentences story.txt
  claimtag sentences data/articles -o sentences.jsonl")]
    Sentences(SentencesArgs),
    /// Compare predicted claims with gold claims and print the figures.
    #[command(after_help = "Examples:
  claimtag annotate data/articles -o pred.jsonl && claimtag eval --gold data/gold --pred pred.jsonl
  claimtag eval --gold data/gold --pred pred.jsonl --errors 20
  claimtag eval --gold data/gold --pred pred.jsonl --json > figures.json")]
    Eval(EvalArgs),
    /// Print the JSON Schema of an output record.
    #[command(after_help = "Examples:
  claimtag schema claim > claim.schema.json
  claimtag schema article")]
    Schema {
        /// Which record.
        record: SchemaName,
    },
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold claim JSONL: files or folders.
    #[arg(long, required = true, num_args = 1..)]
    pub gold: Vec<PathBuf>,
    /// Predicted claim JSONL: files or folders.
    #[arg(long, required = true, num_args = 1..)]
    pub pred: Vec<PathBuf>,
    /// Print the first N disagreements.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub errors: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaName {
    Claim,
    Article,
    Sentence,
}

/// Options shared by the batch commands.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders (.txt, .md, .html, .htm, .jsonl; folders are walked
    /// recursively in sorted order), or `-` for stdin. Default: stdin.
    pub inputs: Vec<PathBuf>,
    /// Write to this file instead of stdout; it appears only when complete.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the -o extension, else jsonl).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Folder of lexicon files replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar or summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Process only shard K of N (1-based): a contiguous, deterministic range
    /// of the articles, so shard outputs concatenated in order equal the
    /// output of one run.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Also write one record per article (metadata, text, claim counts).
    #[arg(long, value_name = "PATH")]
    pub articles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SentencesArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

impl InputArgs {
    /// The validated configuration for `job`.
    pub fn config(&self, job: Job, articles: Option<PathBuf>) -> Result<Config> {
        let lexicons = match &self.lexicons {
            Some(dir) => Lexicons::load(dir)?,
            None => Lexicons::builtin(),
        };
        let threads = match self.threads {
            Some(0) => return Err(Error::new(ErrorKind::Usage, "--threads must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let format = self
            .format
            .or_else(|| self.output.as_deref().map(Format::from_path))
            .unwrap_or(Format::Jsonl);
        let inputs = if self.inputs.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.inputs.clone()
        };
        if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(Error::new(
                ErrorKind::Usage,
                "stdin (`-`) can be read only once",
            ));
        }
        Ok(Config {
            job,
            inputs,
            output: self.output.clone(),
            format,
            articles,
            lexicons,
            threads,
            quiet: self.quiet,
            shard: self.shard,
        })
    }
}

/// Parses `K/N` with 1 <= K <= N.
fn parse_shard(value: &str) -> std::result::Result<(usize, usize), String> {
    let bad = || format!("expected K/N with 1 <= K <= N (like 2/8), got `{value}`");
    let (k, n) = value.split_once('/').ok_or_else(bad)?;
    let k: usize = k.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}
