//! Command line: clap structs hold what the user typed; [`Cli::config`] turns
//! them into a validated [`Config`] with the lexicons loaded.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, ErrorKind, Result};
use crate::lexicon::Lexicons;
use crate::output::Format;
use crate::output::{csvsafe, datapackage::Table, extras, CsvOptions, Extras, Written};
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
    /// Summary tables from claim JSONL: per article, per outlet, top sources.
    #[command(after_help = "Examples:
  claimtag summary claims.jsonl --articles articles.jsonl -o summary.csv
      # also writes summary-sources.csv (the top sources)
  claimtag summary claims.jsonl --format jsonl
  claimtag annotate corpus/ -o claims.csv --summary summary.csv   # in one run")]
    Summary(SummaryArgs),
    /// A self-contained HTML page to review claims, coloured by source type.
    #[command(after_help = "Examples:
  claimtag report data/articles -o report.html
  claimtag report --claims claims.jsonl --articles articles.jsonl -o report.html
  claimtag annotate corpus/ -o claims.csv --report report.html   # in one run
Open report.html in a browser: no network needed. #article=N opens article N,
#all shows every article on one page.")]
    Report(ReportArgs),
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
    Summary,
    SummarySource,
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
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// How CSV output is written (every CSV file of the command).
#[derive(Debug, Clone, Args)]
pub struct CsvArgs {
    /// Write CSV text cells exactly as they are: no `'` before a cell that
    /// starts with = + - @ tab CR or NUL (the spreadsheet formula guard).
    #[arg(long)]
    pub raw_csv: bool,
    /// CSV for Excel: a UTF-8 byte order mark and CRLF line endings.
    #[arg(long)]
    pub excel: bool,
    /// CSV field delimiter: `,` `;` or `tab`.
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = csvsafe::parse_delimiter)]
    pub delimiter: u8,
    /// Also write datapackage.json (a Frictionless Data Package describing
    /// every CSV file written) in the folder of the CSV files.
    #[arg(long)]
    pub datapackage: bool,
}

impl CsvArgs {
    pub fn options(&self) -> CsvOptions {
        CsvOptions {
            guard: !self.raw_csv,
            excel: self.excel,
            delimiter: self.delimiter,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Also write one record per article (metadata, text, claim counts).
    #[arg(long, value_name = "PATH")]
    pub articles: Option<PathBuf>,
    /// Also write the summary tables (CSV for `.csv`, else JSONL); the top
    /// sources go beside it as `<name>-sources.<ext>`.
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,
    /// Also write the HTML review report.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// How many sources the sources table keeps (0: all).
    #[arg(long, value_name = "N", default_value_t = crate::output::summary::DEFAULT_TOP)]
    pub top: usize,
}

impl AnnotateArgs {
    /// The validated configuration.
    pub fn config(&self) -> Result<Config> {
        let mut config = self.input.config(Job::Annotate, self.articles.clone())?;
        for (flag, path) in [("--summary", &self.summary), ("--report", &self.report)] {
            if path.as_ref().is_some_and(|p| p.as_os_str() == "-") {
                return Err(Error::new(
                    ErrorKind::Usage,
                    format!("{flag} needs a file name: the claims go to stdout"),
                ));
            }
        }
        config.extras.summary = self.summary.clone();
        config.extras.report = self.report.clone();
        config.extras.top = self.top;
        check_extras(&config)?;
        Ok(config)
    }
}

impl SentencesArgs {
    /// The validated configuration.
    pub fn config(&self) -> Result<Config> {
        let config = self.input.config(Job::Sentences, None)?;
        check_extras(&config)?;
        Ok(config)
    }
}

/// Checks that the extras can be written (`--datapackage` needs CSV files in
/// one folder), before any work is done.
fn check_extras(config: &Config) -> Result<()> {
    let table = match config.job {
        Job::Sentences => Table::Sentences,
        _ => Table::Claims,
    };
    let articles_format = config
        .articles
        .as_deref()
        .map_or(Format::Jsonl, Format::from_path);
    config.extras.check(&[
        Written::new(config.output.clone(), config.format, table),
        Written::new(config.articles.clone(), articles_format, Table::Articles),
    ])
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Claim JSONL files (`annotate -o claims.jsonl`), or `-` for stdin.
    /// Default: stdin.
    pub claims: Vec<PathBuf>,
    /// Article JSONL (`annotate --articles articles.jsonl`): gives each
    /// article its outlet and title, and lists articles without claims.
    #[arg(long, value_name = "PATH")]
    pub articles: Vec<PathBuf>,
    /// Write the summary table to this file instead of stdout.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Where the top sources go (default: beside -o as
    /// `<name>-sources.<ext>`; not written when the summary goes to stdout).
    #[arg(long, value_name = "PATH")]
    pub sources: Option<PathBuf>,
    /// Output format (default: from the -o extension, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// How many sources the sources table keeps (0: all).
    #[arg(long, value_name = "N", default_value_t = crate::output::summary::DEFAULT_TOP)]
    pub top: usize,
    #[command(flatten)]
    pub csv: CsvArgs,
}

impl SummaryArgs {
    /// The validated job.
    pub fn job(&self) -> Result<crate::output::summary::SummaryJob> {
        let format = self
            .format
            .or_else(|| {
                self.output
                    .as_deref()
                    .filter(|p| p.as_os_str() != "-")
                    .map(Format::from_path)
            })
            .unwrap_or(Format::Csv);
        let output = self.output.clone().filter(|p| p.as_os_str() != "-");
        let sources = self
            .sources
            .clone()
            .or_else(|| output.as_deref().map(crate::output::summary::sources_path));
        if output.is_none() && sources.as_ref().is_some_and(|p| p.as_os_str() == "-") {
            return Err(Error::new(
                ErrorKind::Usage,
                "the summary and the sources cannot both go to stdout: give -o or --sources a file",
            ));
        }
        let claims = if self.claims.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.claims.clone()
        };
        let stdin_uses = claims
            .iter()
            .chain(&self.articles)
            .filter(|p| p.as_os_str() == "-")
            .count();
        if stdin_uses > 1 {
            return Err(Error::new(
                ErrorKind::Usage,
                "stdin (`-`) can be read only once",
            ));
        }
        let job = crate::output::summary::SummaryJob {
            claims,
            articles: self.articles.clone(),
            output,
            sources,
            format,
            top: self.top,
            csv: self.csv.options(),
            datapackage: self.csv.datapackage,
        };
        if job.datapackage {
            extras::package_files(&job.written())?;
        }
        Ok(job)
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Claim JSONL to show instead of annotating INPUTs (with --articles).
    #[arg(long, value_name = "PATH", requires = "articles")]
    pub claims: Vec<PathBuf>,
    /// Article JSONL (`annotate --articles`) holding the texts of --claims.
    #[arg(long, value_name = "PATH", requires = "claims")]
    pub articles: Vec<PathBuf>,
    /// The report's title.
    #[arg(long, default_value = crate::output::report::DEFAULT_TITLE)]
    pub title: String,
}

/// What `claimtag report` does.
#[derive(Debug)]
pub enum ReportRun {
    /// Annotate the inputs, then write the report.
    Annotate(Box<Config>),
    /// Show claims read back from JSONL.
    Files(crate::output::report::ReportJob),
}

impl ReportArgs {
    /// The validated configuration.
    pub fn config(&self) -> Result<ReportRun> {
        let csv = &self.input.csv;
        if self.input.format.is_some()
            || csv.datapackage
            || csv.raw_csv
            || csv.excel
            || csv.delimiter != b','
        {
            return Err(Error::new(
                ErrorKind::Usage,
                "the report is one HTML file: --format and the CSV options do not apply",
            ));
        }
        let output = self.input.output.clone().filter(|p| p.as_os_str() != "-");
        if !self.claims.is_empty() {
            if !self.input.inputs.is_empty() {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "give either INPUT files to annotate or --claims and --articles, not both",
                ));
            }
            return Ok(ReportRun::Files(crate::output::report::ReportJob {
                claims: self.claims.clone(),
                articles: self.articles.clone(),
                output,
                title: self.title.clone(),
            }));
        }
        let mut config = self.input.config(Job::Report, None)?;
        config.output = None;
        config.extras.report = Some(output.unwrap_or_else(|| PathBuf::from("-")));
        config.extras.title = self.title.clone();
        config.extras.check(&[])?;
        Ok(ReportRun::Annotate(Box::new(config)))
    }
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
            csv: self.csv.options(),
            extras: Extras {
                datapackage: self.csv.datapackage,
                ..Extras::default()
            },
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
