use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use claimtag::cli::{Cli, Command, SchemaName};
use claimtag::error::{Error, ErrorKind};
use claimtag::pipeline::{self, Job};
use claimtag::schema;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("claimtag: {e}");
            if e.kind() == ErrorKind::Usage || e.kind() == ErrorKind::Lexicon {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let (config, quiet) = match cli.command {
        Command::Schema { record } => {
            let text = match record {
                SchemaName::Claim => schema::CLAIM,
                SchemaName::Article => schema::ARTICLE,
                SchemaName::Sentence => schema::SENTENCE,
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Error::new(ErrorKind::Output, "cannot write").with_source(e))?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Eval(args) => {
            let gold = claimtag::eval::read_claims(&args.gold)?;
            let pred = claimtag::eval::read_claims(&args.pred)?;
            let report = claimtag::eval::evaluate(&gold, &pred, args.errors);
            let text = if args.json {
                serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
            } else {
                report.text()
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Error::new(ErrorKind::Output, "cannot write").with_source(e))?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Annotate(args) => (
            args.input.config(Job::Annotate, args.articles.clone())?,
            args.input.quiet,
        ),
        Command::Sentences(args) => (args.input.config(Job::Sentences, None)?, args.input.quiet),
    };
    let mut report = |e: &Error| eprintln!("claimtag: {e}");
    let summary = pipeline::run(&config, &mut report)?;
    if !quiet {
        eprintln!("{}", summary.line());
    }
    Ok(if summary.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn is_broken_pipe(e: &Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return true;
            }
        }
        source = s.source();
    }
    false
}
