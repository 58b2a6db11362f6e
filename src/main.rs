use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use claimtag::cli::{Cli, Command, ReportRun, SchemaName};
use claimtag::error::{Error, ErrorKind};
use claimtag::pipeline;
use claimtag::schema;

/// mimalloc: the pipeline allocates many small, short-lived strings and
/// vectors per article on every thread, which glibc malloc serves slowly.
#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// mimalloc through its plain entry points when they give the alignment
/// asked for (every block is 8-aligned), which is nearly every allocation:
/// the aligned entry points `mimalloc::MiMalloc` always calls cost a third
/// more per call.
struct Allocator;

impl Allocator {
    /// The alignment every mimalloc block has.
    const PLAIN_ALIGN: usize = 8;
}

// SAFETY: each method hands the layout to mimalloc's entry point for it;
// the plain ones only when the layout's alignment is at most the alignment
// of every mimalloc block, so the returned memory is always aligned as asked.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        if layout.align() <= Self::PLAIN_ALIGN {
            mi_malloc(layout.size()).cast()
        } else {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        if layout.align() <= Self::PLAIN_ALIGN {
            mi_zalloc(layout.size()).cast()
        } else {
            mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        if layout.align() <= Self::PLAIN_ALIGN {
            mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

/// Tunes mimalloc for a small peak RSS: freed memory goes back to the OS at
/// once, and memory is committed when used, in ordinary pages. Without this,
/// peak RSS on a 500 MB corpus is about 150 MB instead of 85 MB, for no
/// measurable speed. Transparent huge pages are not asked for: memory given
/// back and used again would be faulted in 2 MB at a time, each page zeroed
/// by the kernel (on the 50 MB corpus, 1 thread: 14% of the run in
/// `clear_page_erms`, and 16 MB more peak RSS). (Option numbers from
/// `mi_option_e` in `mimalloc.h`; a `MIMALLOC_*` environment variable set by
/// the user still wins.)
fn tune_allocator() {
    use libmimalloc_sys::{mi_option_set_default, mi_option_t};
    const ARENA_EAGER_COMMIT: mi_option_t = 4;
    const ALLOW_LARGE_OS_PAGES: mi_option_t = 6;
    const PURGE_DELAY: mi_option_t = 15;
    const ALLOW_THP: mi_option_t = 43;
    // SAFETY: called at the start of `main`, before any other thread exists.
    unsafe {
        mi_option_set_default(ARENA_EAGER_COMMIT, 0);
        mi_option_set_default(ALLOW_LARGE_OS_PAGES, 0);
        mi_option_set_default(PURGE_DELAY, 0);
        mi_option_set_default(ALLOW_THP, 0);
    }
    // The first arena was reserved, and marked for huge pages, by the
    // allocations made before `main`: the process is told to use none. A
    // user who sets `MIMALLOC_ALLOW_THP=1` keeps them.
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl` with `PR_SET_THP_DISABLE` only sets a flag of the
    // process; its arguments are integers.
    unsafe {
        if libmimalloc_sys::mi_option_get(ALLOW_THP) == 0 {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

fn main() -> ExitCode {
    tune_allocator();
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
                SchemaName::Summary => schema::SUMMARY,
                SchemaName::SummarySource => schema::SUMMARY_SOURCE,
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
        Command::Summary(args) => {
            let job = args.job()?;
            let failures = job.run(&mut |e| eprintln!("claimtag: {e}"))?;
            return Ok(exit_code(failures));
        }
        Command::Report(args) => match args.config()? {
            ReportRun::Files(job) => {
                let failures = job.run(&mut |e| eprintln!("claimtag: {e}"))?;
                return Ok(exit_code(failures));
            }
            ReportRun::Annotate(config) => (*config, args.input.quiet),
        },
        Command::Annotate(args) => (args.config()?, args.input.quiet),
        Command::Sentences(args) => (args.config()?, args.input.quiet),
    };
    let mut report = |e: &Error| eprintln!("claimtag: {e}");
    let summary = pipeline::run(&config, &mut report)?;
    if !quiet {
        eprintln!("{}", summary.line());
    }
    Ok(exit_code(summary.failures))
}

/// 1 when some input failed, else 0.
fn exit_code(failures: usize) -> ExitCode {
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
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
