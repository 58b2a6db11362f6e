//! End-to-end benchmark: runs the real `claimtag` binary over a corpus and
//! prints MB/s, articles/s, the speed-up from 1 thread to all threads, and the
//! peak RSS of the child process.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example gen_corpus -- --out /tmp/corpus500 --size 500MB
//! cargo run --release --example bench_e2e -- --corpus /tmp/corpus500
//! ```
//!
//! Every input file is read once before timing, so the corpus is in the page
//! cache. Each run is `claimtag annotate CORPUS -o OUT.jsonl --threads N`
//! (JSONL to a file, as a user would run it: that includes claimtag's fsync
//! of the output); the output is hashed and deleted after each run, and the
//! hashes of the different thread counts are compared (the output must not
//! depend on the thread count). `--sink null` sends the JSONL to /dev/null
//! instead, which leaves the disk out. Peak RSS is the child's `ru_maxrss`
//! from `wait4`. MB are 10^6 bytes of input files.
//!
//! Each row shows the best and the median of `--repeat` runs, the CPU time
//! of the best run and the share of the machine's CPU that other programs
//! used meanwhile (from `/proc/stat`): on a shared machine the best run is
//! the one least disturbed, and a large "others" share says a figure is
//! not to be trusted.
//!
//! Options:
//!   --corpus DIR      the corpus (required)
//!   --bin PATH        the claimtag binary (default: `claimtag` beside the
//!                     folder of this example, i.e. target/release/claimtag;
//!                     or $CLAIMTAG_BIN)
//!   --threads LIST    comma-separated thread counts (default: 1,<all cores>)
//!   --repeat N        runs per thread count (default 3)
//!   --huge PATH       the single big article to time alone, at each thread
//!                     count (default: CORPUS/pathological/huge_article.txt
//!                     when it exists)
//!   --out-dir DIR     where outputs are written (default: the temp folder)
//!   --sink file|null  JSONL to a file (default) or to /dev/null
//!   --wait-idle SECS  before each run, wait up to SECS for the machine to
//!                     be idle (under 10% CPU busy over a second)
//!   --json PATH       also write the figures as JSON

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "jsonl", "ndjson"];

struct Args {
    corpus: PathBuf,
    bin: PathBuf,
    threads: Vec<usize>,
    repeat: usize,
    huge: Option<PathBuf>,
    out_dir: PathBuf,
    sink_null: bool,
    json: Option<PathBuf>,
    /// Seconds to wait at most for an idle machine before each run.
    wait_idle: f64,
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn parse_args() -> Result<Args, String> {
    let mut corpus = None;
    let mut bin = None;
    let mut threads = None;
    let mut repeat = 3;
    let mut huge = None;
    let mut out_dir = std::env::temp_dir();
    let mut sink_null = false;
    let mut json = None;
    let mut wait_idle = 0.0;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--corpus" => corpus = Some(PathBuf::from(value()?)),
            "--bin" => bin = Some(PathBuf::from(value()?)),
            "--threads" => {
                let list = value()?
                    .split(',')
                    .map(|t| {
                        t.trim()
                            .parse::<usize>()
                            .map_err(|_| format!("bad thread count: {t}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                threads = Some(list);
            }
            "--repeat" => repeat = value()?.parse().map_err(|_| "bad --repeat".to_string())?,
            "--huge" => huge = Some(PathBuf::from(value()?)),
            "--out-dir" => out_dir = PathBuf::from(value()?),
            "--sink" => match value()?.as_str() {
                "null" => sink_null = true,
                "file" => sink_null = false,
                other => return Err(format!("bad --sink: {other} (file or null)")),
            },
            "--json" => json = Some(PathBuf::from(value()?)),
            "--wait-idle" => {
                wait_idle = value()?
                    .parse()
                    .map_err(|_| "bad --wait-idle".to_string())?
            }
            // `cargo bench` passes --bench to every target; ignore it.
            "--bench" => {}
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let corpus = corpus.ok_or("--corpus is required")?;
    let bin = match bin.or_else(|| std::env::var_os("CLAIMTAG_BIN").map(PathBuf::from)) {
        Some(b) => b,
        None => {
            // target/release/examples/bench_e2e -> target/release/claimtag
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let dir = exe
                .parent()
                .and_then(Path::parent)
                .ok_or("cannot find the target folder")?;
            dir.join(format!("claimtag{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !bin.is_file() {
        return Err(format!(
            "{} not found: run `cargo build --release` first or pass --bin",
            bin.display()
        ));
    }
    let huge = huge.or_else(|| {
        let p = corpus.join("pathological/huge_article.txt");
        p.is_file().then_some(p)
    });
    let mut threads = threads.unwrap_or_else(|| vec![1, cores()]);
    threads.dedup();
    if threads.contains(&0) || repeat == 0 {
        return Err("thread counts and --repeat must be at least 1".into());
    }
    Ok(Args {
        corpus,
        bin,
        threads,
        repeat,
        huge,
        out_dir,
        sink_null,
        json,
        wait_idle,
    })
}

/// Input files under `root` (or `root` itself), sorted.
fn input_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if root.is_file() {
        out.push(root.to_path_buf());
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads every file once so the timed runs find it in the page cache.
/// Gives the total size in bytes.
fn warm(files: &[PathBuf]) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0;
    for f in files {
        let mut file = fs::File::open(f)?;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
        }
    }
    Ok(total)
}

/// What one child run gave.
#[derive(Clone)]
struct Run {
    seconds: f64,
    /// Peak resident set of the child, in KiB (`None` where unknown).
    max_rss_kib: Option<u64>,
    cpu_seconds: Option<f64>,
    articles: Option<u64>,
    stderr: String,
    output_bytes: u64,
    output_hash: Option<u64>,
    /// CPU seconds the rest of the machine used during the run.
    others_cpu: Option<f64>,
}

/// Busy and total CPU seconds of the whole machine since boot, from
/// `/proc/stat` (other programs, and other containers on the same machine,
/// show up here and not in `ps`).
fn machine_cpu() -> Option<(f64, f64)> {
    let stat = fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<f64> = line
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    if v.len() < 8 {
        return None;
    }
    // user nice system idle iowait irq softirq steal; clock ticks are 1/100 s
    // on every Linux this runs on.
    let busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    let total = busy + v[3] + v[4];
    Some((busy / 100.0, total / 100.0))
}

/// Waits (at most `limit` seconds) until the machine is idle: under 10% of
/// its CPU busy over one second. Gives the busy share last seen.
fn wait_idle(limit: f64) -> Option<f64> {
    let started = Instant::now();
    loop {
        let (b0, t0) = machine_cpu()?;
        std::thread::sleep(std::time::Duration::from_secs(1));
        let (b1, t1) = machine_cpu()?;
        let busy = (b1 - b0) / (t1 - t0).max(1e-9);
        if busy < 0.10 || started.elapsed().as_secs_f64() >= limit {
            return Some(busy);
        }
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    //! `wait4`, for the child's peak RSS and CPU time (std has no way to get
    //! them once the child is gone).

    #[repr(C)]
    #[derive(Default)]
    struct Timeval {
        sec: i64,
        usec: i64,
    }

    /// `struct rusage` on 64-bit Linux: two timevals and 14 longs.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        utime: Timeval,
        stime: Timeval,
        maxrss: i64,
        rest: [i64; 13],
    }

    extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }

    /// Waits for `pid`; gives its exit code (`None` if killed by a signal),
    /// peak RSS in KiB and user + system CPU seconds.
    pub fn wait(pid: u32) -> std::io::Result<(Option<i32>, u64, f64)> {
        let mut status = 0i32;
        let mut usage = Rusage::default();
        loop {
            // SAFETY: valid pointers to live locals; pid is our own child.
            let r = unsafe { wait4(pid as i32, &mut status, 0, &mut usage) };
            if r == pid as i32 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
        let code = if status & 0x7f == 0 {
            Some((status >> 8) & 0xff)
        } else {
            None
        };
        let cpu = |t: &Timeval| t.sec as f64 + t.usec as f64 / 1e6;
        Ok((
            code,
            usage.maxrss.max(0) as u64,
            cpu(&usage.utime) + cpu(&usage.stime),
        ))
    }
}

/// FNV-1a over a file, to compare outputs without keeping them.
fn hash_file(path: &Path) -> io::Result<(u64, u64)> {
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut len = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        len += n as u64;
        for &b in &buf[..n] {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok((h, len))
}

/// `claimtag: 3265 articles, ...` -> 3265.
fn articles_in(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find_map(|line| {
        let rest = line.strip_prefix("claimtag: ")?;
        let (n, tail) = rest.split_once(' ')?;
        tail.starts_with("articles").then(|| n.parse().ok())?
    })
}

fn run_once(args: &Args, input: &Path, threads: usize, tag: &str) -> Result<Run, String> {
    let out = args
        .out_dir
        .join(format!("claimtag-bench-{}-{tag}.jsonl", std::process::id()));
    let mut cmd = Command::new(&args.bin);
    cmd.arg("annotate").arg(input);
    if !args.sink_null {
        cmd.arg("-o").arg(&out);
    }
    cmd.arg("--threads")
        .arg(threads.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if args.wait_idle > 0.0 {
        if let Some(busy) = wait_idle(args.wait_idle) {
            if busy >= 0.10 {
                eprintln!(
                    "  machine still {:.0}% busy after {} s: running anyway",
                    busy * 100.0,
                    args.wait_idle
                );
            }
        }
    }
    let cpu_before = machine_cpu();
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", args.bin.display()))?;
    let mut pipe = child.stderr.take().ok_or("no stderr pipe")?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    let (code, rss, cpu) = {
        let (code, rss, cpu) = sys::wait(child.id()).map_err(|e| format!("wait4: {e}"))?;
        (code, Some(rss), Some(cpu))
    };
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    let (code, rss, cpu) = {
        let status = child.wait().map_err(|e| e.to_string())?;
        (status.code(), None, None)
    };
    let seconds = started.elapsed().as_secs_f64();
    let others_cpu = match (cpu_before, machine_cpu(), cpu) {
        (Some((b0, _)), Some((b1, _)), Some(own)) => Some((b1 - b0 - own).max(0.0)),
        _ => None,
    };
    let stderr = reader.join().unwrap_or_default();
    // Exit code 1 means some inputs failed (reported on stderr): still a run.
    if !matches!(code, Some(0) | Some(1)) {
        return Err(format!(
            "claimtag exited with {code:?} on {}:\n{stderr}",
            input.display()
        ));
    }
    let (output_hash, output_bytes) = if args.sink_null {
        (None, 0)
    } else {
        let (h, len) = hash_file(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let _ = fs::remove_file(&out);
        (Some(h), len)
    };
    Ok(Run {
        seconds,
        max_rss_kib: rss,
        cpu_seconds: cpu,
        articles: articles_in(&stderr),
        stderr,
        output_bytes,
        output_hash,
        others_cpu,
    })
}

/// The figures of one configuration over `repeat` runs.
struct Figures {
    label: String,
    threads: usize,
    bytes: u64,
    articles: Option<u64>,
    cores: usize,
    median: Run,
    best: Run,
    /// Highest peak RSS over the runs, KiB.
    max_rss_kib: Option<u64>,
}

impl Figures {
    fn mb_s(&self, run: &Run) -> f64 {
        self.bytes as f64 / 1e6 / run.seconds
    }
    fn articles_s(&self, run: &Run) -> Option<f64> {
        self.articles.map(|a| a as f64 / run.seconds)
    }
    /// Share of the machine's CPU that other programs used during a run.
    fn others_pct(&self, run: &Run) -> Option<f64> {
        run.others_cpu
            .map(|c| 100.0 * c / (run.seconds * self.cores as f64))
    }
    fn summary(&self) -> &str {
        self.best
            .stderr
            .lines()
            .rev()
            .find(|l| l.starts_with("claimtag: "))
            .unwrap_or("")
    }
}

fn measure(
    args: &Args,
    label: &str,
    input: &Path,
    bytes: u64,
    threads: usize,
) -> Result<Figures, String> {
    let mut runs = Vec::new();
    for i in 0..args.repeat {
        let run = run_once(args, input, threads, &format!("{threads}-{i}"))?;
        eprintln!(
            "  {label}, {threads} thread(s), run {}: {:.2} s, {:.1} MB/s, CPU {}, others {}, peak RSS {}",
            i + 1,
            run.seconds,
            bytes as f64 / 1e6 / run.seconds,
            run.cpu_seconds.map_or("?".into(), |c| format!("{c:.2} s")),
            run.others_cpu.map_or("?".into(), |c| format!("{c:.2} s")),
            run.max_rss_kib
                .map_or("?".into(), |k| format!("{:.1} MB", k as f64 * 1024.0 / 1e6))
        );
        runs.push(run);
    }
    if runs
        .windows(2)
        .any(|w| w[0].output_hash != w[1].output_hash)
    {
        eprintln!("  warning: {label}: output differs between repeated runs");
    }
    let max_rss_kib = runs.iter().filter_map(|r| r.max_rss_kib).max();
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let median = runs.swap_remove(runs.len() / 2);
    let best = if runs.is_empty() {
        median.clone()
    } else {
        runs.swap_remove(0)
    };
    Ok(Figures {
        label: label.to_string(),
        threads,
        bytes,
        articles: best.articles.or(median.articles),
        cores: cores(),
        median,
        best,
        max_rss_kib,
    })
}

fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .and_then(|r| r.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("? GiB".into(), |kb| {
            format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0)
        });
    format!("{} cores, {model}, {mem} RAM", cores())
}

/// The 1, 5 and 15 minute load averages.
fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn rss_mb(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1}", k as f64 * 1024.0 / 1e6))
}

fn rate(v: Option<f64>) -> String {
    match v {
        None => "?".into(),
        Some(v) if v < 10.0 => format!("{v:.2}"),
        Some(v) => format!("{v:.0}"),
    }
}

fn json_opt(v: Option<f64>) -> String {
    v.map_or("null".into(), |v| format!("{v:.3}"))
}

fn json_figures(f: &Figures) -> String {
    let run = |r: &Run| {
        format!(
            "{{\"seconds\": {:.3}, \"mb_per_s\": {:.3}, \"articles_per_s\": {}, \"cpu_seconds\": {}, \"others_cpu_seconds\": {}, \"peak_rss_mb\": {}}}",
            r.seconds,
            f.mb_s(r),
            json_opt(f.articles_s(r)),
            json_opt(r.cpu_seconds),
            json_opt(r.others_cpu),
            r.max_rss_kib
                .map_or("null".into(), |k| format!("{:.1}", k as f64 * 1024.0 / 1e6)),
        )
    };
    format!(
        "{{\"label\": \"{}\", \"threads\": {}, \"bytes\": {}, \"articles\": {}, \"max_rss_mb\": {}, \"output_bytes\": {}, \"median\": {}, \"best\": {}, \"summary\": \"{}\"}}",
        f.label,
        f.threads,
        f.bytes,
        f.articles.map_or("null".into(), |a| a.to_string()),
        f.max_rss_kib
            .map_or("null".into(), |k| format!("{:.1}", k as f64 * 1024.0 / 1e6)),
        f.best.output_bytes,
        run(&f.median),
        run(&f.best),
        f.summary().replace('"', "'"),
    )
}

fn run(args: &Args) -> Result<(), String> {
    let files = input_files(&args.corpus).map_err(|e| format!("{}: {e}", args.corpus.display()))?;
    if files.is_empty() {
        return Err(format!("no input files under {}", args.corpus.display()));
    }
    let started = Instant::now();
    let bytes = warm(&files).map_err(|e| e.to_string())?;
    eprintln!(
        "bench_e2e: {} input files, {:.1} MB, read into the page cache in {:.1} s",
        files.len(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let _ = warm(std::slice::from_ref(&args.bin));
    let load_before = loadavg();

    let mut all = Vec::new();
    for &threads in &args.threads {
        all.push(measure(args, "corpus", &args.corpus, bytes, threads)?);
    }
    // The big article alone at each thread count (its pieces are annotated
    // in parallel), to set beside the corpus at the same count.
    let mut huge = Vec::new();
    if let Some(path) = &args.huge {
        let size =
            warm(std::slice::from_ref(path)).map_err(|e| format!("{}: {e}", path.display()))?;
        for &threads in &args.threads {
            huge.push(measure(args, "huge article", path, size, threads)?);
        }
    }
    let load_after = loadavg();

    let mut out = String::new();
    let _ = writeln!(out, "\nclaimtag end-to-end benchmark");
    let _ = writeln!(out, "machine: {}", machine());
    let _ = writeln!(out, "binary:  {}", args.bin.display());
    let _ = writeln!(
        out,
        "corpus:  {} ({} files, {:.1} MB), {} run(s) per row, output {}",
        args.corpus.display(),
        files.len(),
        bytes as f64 / 1e6,
        args.repeat,
        if args.sink_null {
            "to /dev/null"
        } else {
            "to a JSONL file"
        }
    );
    let _ = writeln!(
        out,
        "load average before: {load_before}; after: {load_after}"
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| input | threads | MB/s best | MB/s median | articles/s best | s best | CPU s best | others' CPU % best | peak RSS MB | output MB |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for f in all.iter().chain(huge.iter()) {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {:.1} | {} | {:.2} | {} | {} | {} | {:.1} |",
            f.label,
            f.threads,
            f.mb_s(&f.best),
            f.mb_s(&f.median),
            rate(f.articles_s(&f.best)),
            f.best.seconds,
            f.best.cpu_seconds.map_or("?".into(), |c| format!("{c:.2}")),
            f.others_pct(&f.best)
                .map_or("?".into(), |c| format!("{c:.0}")),
            rss_mb(f.max_rss_kib),
            f.best.output_bytes as f64 / 1e6
        );
    }
    let _ = writeln!(out);
    let one = all.iter().find(|f| f.threads == 1);
    let most = all.iter().max_by_key(|f| f.threads);
    if let (Some(one), Some(most)) = (one, most) {
        if most.threads > 1 {
            let _ = writeln!(
                out,
                "speed-up {} threads vs 1: {:.2}x (best runs), {:.2}x (medians)",
                most.threads,
                one.best.seconds / most.best.seconds,
                one.median.seconds / most.median.seconds
            );
        }
    }
    for h in &huge {
        if let Some(corpus) = all.iter().find(|f| f.threads == h.threads) {
            let _ = writeln!(
                out,
                "huge article ({:.1} MB), {} thread(s): {:.1} MB/s = {:.2}x the corpus throughput on {} thread(s) (best runs)",
                h.bytes as f64 / 1e6,
                h.threads,
                h.mb_s(&h.best),
                h.mb_s(&h.best) / corpus.mb_s(&corpus.best),
                corpus.threads
            );
        }
    }
    let hashes: Vec<_> = all.iter().filter_map(|f| f.best.output_hash).collect();
    if hashes.len() > 1 {
        let same = hashes.windows(2).all(|w| w[0] == w[1]);
        let _ = writeln!(
            out,
            "output identical across thread counts: {}",
            if same { "yes" } else { "NO" }
        );
    }
    for f in all.iter().chain(huge.iter()) {
        let _ = writeln!(
            out,
            "claimtag summary ({}, {} thread(s)): {}",
            f.label,
            f.threads,
            f.summary().trim_start_matches("claimtag: ")
        );
    }
    print!("{out}");

    if let Some(path) = &args.json {
        let rows: Vec<String> = all.iter().chain(huge.iter()).map(json_figures).collect();
        let json = format!(
            "{{\"machine\": \"{}\", \"load_before\": \"{load_before}\", \"load_after\": \"{load_after}\", \"corpus\": \"{}\", \"files\": {}, \"bytes\": {}, \"sink\": \"{}\", \"runs\": [\n  {}\n]}}\n",
            machine().replace('"', "'"),
            args.corpus.display(),
            files.len(),
            bytes,
            if args.sink_null { "null" } else { "file" },
            rows.join(",\n  ")
        );
        fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bench_e2e: {e}");
            }
            eprintln!(
                "usage: bench_e2e --corpus DIR [--bin PATH] [--threads 1,2] [--repeat N] [--huge PATH] [--out-dir DIR] [--sink file|null] [--wait-idle SECS] [--json PATH]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_e2e: {e}");
            ExitCode::FAILURE
        }
    }
}
