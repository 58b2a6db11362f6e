//! The pipeline: ingest -> segment -> quote/attribute -> classify -> output,
//! parallel over articles in bounded batches, written in input order.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::classify::classify_tokens;
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::{self, Format as Format_, Found, Input, Walk};
use crate::lexicon::Lexicons;
use crate::model::{Article, Claim, SourceType};
use crate::output::{datapackage::Table, ClaimBase, Collector, CsvOptions, Extras, Written};
use crate::output::{
    ArticleCsvRecord, ArticleRecord, AtomicFile, ClaimRecord, Format, RecordWriter, SentenceRecord,
};
use crate::quote::{attribute_with, Token};
use crate::segment::{paragraphs, segment, segment_with, Segmentation};

/// An article's segmentation and claims.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub segmentation: Segmentation,
    pub claims: Vec<Claim>,
}

/// Runs every stage on one article.
pub fn annotate(article: &Article, lex: &Lexicons) -> Annotation {
    annotate_part(article, lex, true)
}

thread_local! {
    /// The room of the last article's tokens, kept for the next article on
    /// the same thread: a fresh buffer for each article would be new pages
    /// from the allocator, each a page fault.
    static TOKEN_BUFFER: std::cell::Cell<Vec<Token>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The most tokens whose room is kept between articles: enough for a piece
/// of a long article ([`PIECE_BYTES`], about 100,000 tokens), at most 15 MB
/// a thread; a larger buffer goes back to the allocator.
const KEPT_TOKENS: usize = 1 << 18;

/// [`annotate`] for an article or a later piece of one (`opening: false`: no
/// dateline is looked for).
fn annotate_part(article: &Article, lex: &Lexicons, opening: bool) -> Annotation {
    let segmentation = segment_with(&article.text, lex, opening);
    let buffer = TOKEN_BUFFER.take();
    let attribution = attribute_with(&article.text, &segmentation, lex, buffer);
    let claims = classify_tokens(
        article,
        &segmentation,
        &attribution.parts,
        &attribution.tokens,
        lex,
    );
    let buffer = attribution.tokens.into_buffer();
    if buffer.capacity() <= KEPT_TOKENS {
        TOKEN_BUFFER.set(buffer);
    }
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
    /// Claims for the extras only (`claimtag report`): no record output.
    Report,
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
    /// `(k, n)`: process only the k-th (1-based) of n contiguous shards.
    pub shard: Option<(usize, usize)>,
    /// How CSV is written (formula guard, `--excel`, `--delimiter`).
    pub csv: CsvOptions,
    /// Summary, report and data package written beside the records.
    pub extras: Extras,
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
    /// No record output (`claimtag report`).
    Null,
}

impl Sink {
    fn open(path: Option<&Path>, format: Format, csv: CsvOptions) -> Result<Sink> {
        Ok(match path {
            Some(p) if p.as_os_str() != "-" => Sink::File(RecordWriter::with_csv_options(
                format,
                AtomicFile::create(p)?,
                csv,
            )),
            _ => Sink::Stdout(RecordWriter::with_csv_options(
                format,
                io::stdout().lock(),
                csv,
            )),
        })
    }

    fn write<T: serde::Serialize>(&mut self, record: &T) -> io::Result<()> {
        match self {
            Sink::File(w) => w.write(record),
            Sink::Stdout(w) => w.write(record),
            Sink::Null => Ok(()),
        }
    }

    /// Writes records already serialised in this sink's format.
    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::File(w) => w.write_raw(bytes),
            Sink::Stdout(w) => w.write_raw(bytes),
            Sink::Null => Ok(()),
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::File(w) => {
                let target = match &w {
                    RecordWriter::Jsonl(b) => b.get_ref().target().to_path_buf(),
                    RecordWriter::Csv(c) => c.get_ref().target().to_path_buf(),
                };
                let fail = |e| cannot_write(&target, e);
                let mut file = w.into_inner().map_err(fail)?;
                file.flush().map_err(fail)?;
                file.commit()
            }
            Sink::Stdout(mut w) => w.flush().map_err(|e| cannot_write(Path::new(STDOUT), e)),
            Sink::Null => Ok(()),
        }
    }
}

/// The name a write error gives standard output.
const STDOUT: &str = "<stdout>";

/// The error of a failed write to the output `name`.
fn cannot_write(name: &Path, e: io::Error) -> Error {
    Error::new(ErrorKind::Output, "cannot write output")
        .with_path(name)
        .with_source(e)
}

/// One article's records; the article record is `None` for the leading
/// chunks of a long article written in pieces (it comes with the last one).
struct Records {
    article: Option<ArticleRecord>,
    claims: Vec<ClaimRecord>,
    sentences: Vec<SentenceRecord>,
    /// The claim (or sentence) records as JSON lines, when the output is
    /// JSONL: the worker serialises them, so the writing thread, which is
    /// the one serial step, only copies bytes.
    jsonl: Option<Vec<u8>>,
    /// Claims by source type (kept when `claims` is emptied after encoding).
    by_type: [usize; 4],
}

impl Records {
    fn new(
        article: Option<ArticleRecord>,
        claims: Vec<ClaimRecord>,
        sentences: Vec<SentenceRecord>,
    ) -> Self {
        let mut by_type = [0; 4];
        for c in &claims {
            by_type[c.source_type as usize] += 1;
        }
        Records {
            article,
            claims,
            sentences,
            jsonl: None,
            by_type,
        }
    }

    /// Serialises the claims and sentences as JSON lines. The claims are
    /// kept only when `keep_claims` (the summary or report needs them).
    fn encode(&mut self, keep_claims: bool) {
        let mut out = spare_buffer(self.claims.len() * 512 + self.sentences.len() * 256);
        for c in &self.claims {
            c.write_jsonl(&mut out);
        }
        for s in &self.sentences {
            serde_json::to_writer(&mut out, s).expect("records serialise");
            out.push(b'\n');
        }
        self.jsonl = Some(out);
        self.sentences = Vec::new();
        if !keep_claims {
            self.claims = Vec::new();
        }
    }
}

/// Output buffers the writing thread has emptied, for the workers to fill
/// again: a fresh buffer for every article would be new pages from the
/// allocator, each a page fault, and a copy whenever it grows.
static SPARE_BUFFERS: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// The most room [`SPARE_BUFFERS`] keeps in all, and in one buffer: an
/// ordinary article's claims take some tens of KB (a piece of a long
/// article, about 3 MB, is not kept).
const SPARE_BYTES: usize = 4 << 20;
const SPARE_BUFFER_BYTES: usize = 1 << 20;

/// The room asked of a spare buffer for a line of JSONL input: most
/// articles' lines fit.
const LINE_ROOM: usize = 16 << 10;

/// An empty buffer with room for `bytes`, a spare one if there is one.
fn spare_buffer(bytes: usize) -> Vec<u8> {
    let spare = SPARE_BUFFERS
        .lock()
        .map(|mut spares| spares.pop())
        .unwrap_or_default();
    match spare {
        Some(buffer) if buffer.capacity() >= bytes => buffer,
        // Not grown: growing would copy the old room.
        _ => Vec::with_capacity(bytes),
    }
}

/// Keeps `buffer`, emptied, for [`spare_buffer`] if there is room.
fn give_back(mut buffer: Vec<u8>) {
    if buffer.capacity() > SPARE_BUFFER_BYTES {
        return;
    }
    buffer.clear();
    if let Ok(mut spares) = SPARE_BUFFERS.lock() {
        let kept: usize = spares.iter().map(Vec::capacity).sum();
        if kept + buffer.capacity() <= SPARE_BYTES {
            spares.push(buffer);
        }
    }
}

/// Results that workers hand to the writing thread, which sleeps until as
/// many as it asked for are there.
struct Finished<T> {
    /// Results by the ordinal of their unit, in the order they came.
    ready: Mutex<Vec<(usize, T)>>,
    /// How many results wake the writing thread (`usize::MAX` while it is
    /// awake).
    wake_at: AtomicUsize,
    reader: std::thread::Thread,
}

impl<T> Finished<T> {
    /// Results for the current thread to wait for.
    fn new() -> Self {
        Finished {
            ready: Mutex::new(Vec::new()),
            wake_at: AtomicUsize::new(usize::MAX),
            reader: std::thread::current(),
        }
    }

    /// Hands over unit `ordinal`'s result (from any thread).
    fn push(&self, ordinal: usize, result: T) {
        let count = {
            let mut ready = self.ready.lock().unwrap_or_else(PoisonError::into_inner);
            ready.push((ordinal, result));
            ready.len()
        };
        if count >= self.wake_at.load(Ordering::SeqCst) {
            self.reader.unpark();
        }
    }

    /// Takes the results there are once there are at least `count` (from the
    /// thread that made `self`; `count` no more than the results still to
    /// come, else it waits for ever).
    fn wait(&self, count: usize) -> Vec<(usize, T)> {
        loop {
            {
                let mut ready = self.ready.lock().unwrap_or_else(PoisonError::into_inner);
                if ready.len() >= count.max(1) {
                    self.wake_at.store(usize::MAX, Ordering::SeqCst);
                    return std::mem::take(&mut *ready);
                }
                // Set under the lock: a result pushed after it is checked
                // against this, one pushed before it is seen above.
                self.wake_at.store(count.max(1), Ordering::SeqCst);
            }
            std::thread::park();
        }
    }
}

/// One unit of work: a whole file, one line of a JSONL input, or stdin's text.
enum Unit {
    File {
        input: Arc<Input>,
        /// Bytes, as the walk found them.
        size: u64,
        /// The file, opened when it was handed out (the worker then need
        /// not open it again), if it could be.
        file: Option<std::fs::File>,
    },
    /// A line's bytes, checked for UTF-8 by the worker.
    Line {
        input: Arc<Input>,
        line: usize,
        bytes: Vec<u8>,
    },
    Text {
        input: Arc<Input>,
        bytes: Vec<u8>,
    },
    Failed(Error),
}

/// What one unit produced.
struct Done {
    articles: Vec<Records>,
    errors: Vec<Error>,
    bytes: u64,
}

fn records(article: &Article, config: &Config) -> Records {
    match config.job {
        // The segmenter alone: no attribution work for `claimtag sentences`.
        Job::Sentences => {
            let segmentation = segment(&article.text, &config.lexicons);
            let sentences = SentenceRecord::from_sentences(article, &segmentation.sentences);
            Records::new(
                Some(ArticleRecord::new(article, &[])),
                Vec::new(),
                sentences,
            )
        }
        // JSON lines written straight from the annotation, when nothing
        // else needs the claim records.
        Job::Annotate if config.format == Format::Jsonl && config.extras.is_empty() => {
            let annotation = annotate(article, &config.lexicons);
            let mut jsonl = spare_buffer(annotation.claims.len() * 512);
            ClaimRecord::write_claims_jsonl(article, &annotation.claims, &mut jsonl);
            let mut records = Records::new(
                Some(ArticleRecord::new(article, &annotation.claims)),
                Vec::new(),
                Vec::new(),
            );
            for c in &annotation.claims {
                records.by_type[c.source_type as usize] += 1;
            }
            records.jsonl = Some(jsonl);
            records
        }
        Job::Annotate | Job::Report => {
            let annotation = annotate(article, &config.lexicons);
            let claims = ClaimRecord::from_claims(article, &annotation.claims);
            Records::new(
                Some(ArticleRecord::new(article, &annotation.claims)),
                claims,
                Vec::new(),
            )
        }
    }
}

fn process(unit: Unit, config: &Config) -> Done {
    let mut done = Done {
        articles: Vec::new(),
        errors: Vec::new(),
        bytes: 0,
    };
    let take = |result: Result<Article>, done: &mut Done| match result {
        Ok(article) => {
            let mut records = records(&article, config);
            if config.job != Job::Report
                && config.format == Format::Jsonl
                && records.jsonl.is_none()
            {
                records.encode(!config.extras.is_empty());
            }
            done.articles.push(records)
        }
        Err(e) => done.errors.push(e),
    };
    match unit {
        Unit::File { input, size, file } => match file
            .map(|file| ingest::read_open(&input, file, size))
            .unwrap_or_else(|| ingest::read_bytes(&input))
        {
            Ok(bytes) => {
                done.bytes = bytes.len() as u64;
                for article in ingest::parse_input(&input, &bytes) {
                    take(article, &mut done);
                }
            }
            Err(e) => done.errors.push(e),
        },
        Unit::Text { input, bytes } => {
            done.bytes = bytes.len() as u64;
            for article in ingest::parse_input(&input, &bytes) {
                take(article, &mut done);
            }
        }
        Unit::Line { input, line, bytes } => {
            done.bytes = bytes.len() as u64 + 1;
            let text = match ingest::utf8(&bytes) {
                // SAFETY: the bytes were just checked to be UTF-8.
                Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
                Err(e) => {
                    let e = Error::new(
                        ErrorKind::Encoding,
                        format!("byte {} of the line is not valid UTF-8", e.valid_up_to()),
                    );
                    done.errors
                        .push(e.with_path(input.display_name()).with_line(line));
                    return done;
                }
            };
            let id_base = if input.path.is_none() {
                "stdin".to_string()
            } else {
                ingest::id_from_rel(&input.rel)
            };
            let result = ingest::parse_jsonl_line(&text, line, &id_base, &input.rel)
                .map_err(|e| e.with_path(input.display_name()).with_line(line));
            give_back(text.into_bytes());
            take(result, &mut done);
        }
        Unit::Failed(e) => done.errors.push(e),
    }
    done
}

/// A JSONL stream read line by line.
struct Lines {
    input: Arc<Input>,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    name: String,
}

/// Turns inputs into units in input order, streaming JSONL line by line, and
/// numbers every article so a shard can take a contiguous range of them.
struct Feed {
    walk: Inputs,
    lines: Option<Lines>,
    /// The ordinal the next article gets.
    ordinal: usize,
    /// Articles `[from, to)` are this run's.
    range: Option<(usize, usize)>,
}

impl Feed {
    fn wanted(&mut self) -> bool {
        let ordinal = self.ordinal;
        self.ordinal += 1;
        self.range
            .is_none_or(|(from, to)| from <= ordinal && ordinal < to)
    }

    fn next_unit(&mut self) -> Option<Unit> {
        loop {
            if let Some(lines) = &mut self.lines {
                // A spare buffer, given back by the worker that parses the
                // line: no new memory, and no regrowing, for most lines.
                let mut buf = spare_buffer(LINE_ROOM);
                match lines.reader.read_until(b'\n', &mut buf) {
                    Ok(0) => {
                        self.lines = None;
                        continue;
                    }
                    Ok(_) => {
                        lines.line += 1;
                        let line = lines.line;
                        let content = if line == 1 {
                            buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&buf)
                        } else {
                            &buf[..]
                        };
                        if content.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        let input = lines.input.clone();
                        if !self.wanted() {
                            continue;
                        }
                        if content.contains(&0) {
                            self.lines = None;
                            let e = Error::new(ErrorKind::Binary, "the file contains NUL bytes");
                            let name = input.display_name();
                            return Some(Unit::Failed(e.with_path(name).with_line(line)));
                        }
                        let bytes = if content.len() == buf.len() {
                            buf
                        } else {
                            content.to_vec()
                        };
                        return Some(Unit::Line { input, line, bytes });
                    }
                    Err(e) => {
                        let name = lines.name.clone();
                        self.lines = None;
                        return Some(Unit::Failed(
                            Error::new(ErrorKind::Io, "cannot read")
                                .with_path(name)
                                .with_source(e),
                        ));
                    }
                }
            }
            let (input, size, opened) = match self.walk.next()? {
                Ok((input, size, opened)) => (Arc::new(input), size, opened),
                Err(e) => return Some(Unit::Failed(e)),
            };
            match (&input.path, input.format) {
                (Some(path), Format_::Jsonl) => {
                    match opened.map_or_else(|| std::fs::File::open(path), Ok) {
                        Ok(file) => {
                            self.lines = Some(Lines {
                                name: input.display_name(),
                                input,
                                reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                                line: 0,
                            })
                        }
                        Err(e) => {
                            return Some(Unit::Failed(
                                Error::new(ErrorKind::Io, "cannot read file")
                                    .with_path(path)
                                    .with_source(e),
                            ))
                        }
                    }
                }
                (Some(_), _) => {
                    if self.wanted() {
                        return Some(Unit::File {
                            input,
                            size,
                            file: opened,
                        });
                    }
                }
                (None, _) => {
                    // stdin: JSONL (streamed) when it opens with `{`, else one text.
                    let mut reader = BufReader::with_capacity(1 << 16, io::stdin());
                    let head = match reader.fill_buf() {
                        Ok(head) => head,
                        Err(e) => {
                            return Some(Unit::Failed(
                                Error::new(ErrorKind::Io, "cannot read stdin")
                                    .with_path("<stdin>")
                                    .with_source(e),
                            ))
                        }
                    };
                    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
                    let jsonl = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
                    if jsonl {
                        self.lines = Some(Lines {
                            input,
                            reader: Box::new(reader),
                            line: 0,
                            name: "<stdin>".into(),
                        });
                        continue;
                    }
                    let mut bytes = Vec::new();
                    if let Err(e) = reader.read_to_end(&mut bytes) {
                        return Some(Unit::Failed(
                            Error::new(ErrorKind::Io, "cannot read stdin")
                                .with_path("<stdin>")
                                .with_source(e),
                        ));
                    }
                    if self.wanted() {
                        return Some(Unit::Text { input, bytes });
                    }
                }
            }
        }
    }
}

/// Asks the kernel to start reading a file (opened as it was found) into
/// the page cache when it is handed out, so that the worker that takes it
/// up, a few articles later, does not wait for the disk: with a cold
/// cache, or when a large output has pushed the corpus out of it, workers
/// otherwise sit idle on each read. Gives the open file back when `keep`;
/// `None` otherwise or when it could not be opened (the worker then opens
/// it, or reports why not).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
fn prefetch(file: Option<std::fs::File>, keep: bool) -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    let file = file?;
    // SAFETY: `posix_fadvise` reads no memory of ours; the descriptor is
    // open until `file` drops. Only a hint: errors change nothing, as the
    // worker reads the file anyway.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
    }
    keep.then_some(file)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
fn prefetch(file: Option<std::fs::File>, keep: bool) -> Option<std::fs::File> {
    file.filter(|_| keep)
}

/// The most files kept open for the workers (see [`prefetch`]): 256, and
/// no more than a quarter of the descriptors the process may have open.
/// With many threads the units in flight could otherwise use them up, and
/// nothing else could be opened. Files handed out beyond it are opened again
/// by the worker.
fn kept_open_files() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `getrlimit` writes one `rlimit` to the pointer it is given,
        // a local of that type.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            return usize::try_from(limit.rlim_cur / 4)
                .unwrap_or(usize::MAX)
                .min(256);
        }
    }
    64
}

/// What tells one file from another, whatever path it is reached by: the
/// device and inode on Unix, the canonical path elsewhere.
#[derive(Debug, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

/// The file at `path` (symbolic links followed) and its size in bytes,
/// from one `stat` on Unix; `None` when it cannot be reached.
fn file_id(path: &Path) -> Option<(FileId, u64)> {
    id_of(&std::fs::metadata(path).ok()?, path)
}

/// A found file opened, with its [`FileId`] and size taken from the open
/// descriptor (no second look-up of the path); when it cannot be opened,
/// the id and size from the path, if any, and no file.
fn open_with_id(path: &Path) -> (Option<std::fs::File>, Option<(FileId, u64)>) {
    match std::fs::File::open(path) {
        Ok(file) => match file.metadata() {
            Ok(meta) => {
                let id = id_of(&meta, path);
                (Some(file), id)
            }
            Err(_) => (Some(file), file_id(path)),
        },
        Err(_) => (None, file_id(path)),
    }
}

/// The [`FileId`] and size of the file at `path` with metadata `meta`.
fn id_of(meta: &std::fs::Metadata, path: &Path) -> Option<(FileId, u64)> {
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        FileId((meta.dev(), meta.ino()))
    };
    #[cfg(not(unix))]
    let id = FileId(std::fs::canonicalize(path).ok()?);
    Some((id, meta.len()))
}

/// The run's inputs one at a time: a [`Walk`] less this run's own output
/// files, counting the files it skips.
struct Inputs {
    walk: Walk,
    /// This run's output files that exist already, never read as input
    /// (`annotate dir -o dir/claims.jsonl`).
    outputs: Vec<FileId>,
    skipped: usize,
    /// Whether files are opened as they are found (for reading), or only
    /// looked at (for counting).
    open: bool,
}

impl Inputs {
    /// The inputs, each file opened as it is found, to be read.
    fn new(config: &Config) -> Self {
        Inputs {
            open: true,
            ..Inputs::listing(config)
        }
    }

    /// The inputs, files not opened: for counting them.
    fn listing(config: &Config) -> Self {
        let extra_paths = config.extras.paths();
        let outputs = [config.output.as_ref(), config.articles.as_ref()]
            .into_iter()
            .flatten()
            .chain(&extra_paths)
            .filter_map(|p| file_id(p).map(|(id, _)| id))
            .collect();
        Inputs {
            walk: Walk::new(&config.inputs),
            outputs,
            skipped: 0,
            open: false,
        }
    }

    /// The next input, its size in bytes (0 for stdin, or a file that
    /// cannot be read: reading it reports that) and the file, opened.
    fn next(&mut self) -> Option<Result<(Input, u64, Option<std::fs::File>)>> {
        loop {
            match self.walk.next()? {
                Found::Input(input) => {
                    let Some(path) = input.path.as_deref() else {
                        return Some(Ok((input, 0, None)));
                    };
                    let (file, id) = if self.open {
                        open_with_id(path)
                    } else {
                        (None, file_id(path))
                    };
                    let Some((id, size)) = id else {
                        return Some(Ok((input, 0, file)));
                    };
                    if !self.outputs.contains(&id) {
                        return Some(Ok((input, size, file)));
                    }
                }
                Found::Skipped => self.skipped += 1,
                Found::Error(e) => return Some(Err(e)),
            }
        }
    }
}

/// How many articles the inputs hold (a JSONL file: its non-blank lines),
/// for sharding.
fn count_articles(mut inputs: Inputs) -> usize {
    std::iter::from_fn(|| inputs.next())
        .filter_map(Result::ok)
        .map(|(input, _, _)| match (&input.path, input.format) {
            (Some(path), Format_::Jsonl) => std::fs::File::open(path)
                .map(|f| {
                    let mut reader = BufReader::with_capacity(1 << 16, f);
                    let mut buf = Vec::new();
                    let mut n = 0;
                    let mut first = true;
                    while let Ok(len) = reader.read_until(b'\n', &mut buf) {
                        if len == 0 {
                            break;
                        }
                        let content = if first {
                            buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&buf)
                        } else {
                            &buf[..]
                        };
                        first = false;
                        if !content.iter().all(u8::is_ascii_whitespace) {
                            n += 1;
                        }
                        buf.clear();
                    }
                    n
                })
                .unwrap_or(0),
            _ => 1,
        })
        .sum()
}

/// The articles `[from, to)` of shard `k` (1-based) of `n` over `total`.
pub fn shard_range(k: usize, n: usize, total: usize) -> (usize, usize) {
    ((k - 1) * total / n, k * total / n)
}

/// Articles longer than this are annotated in pieces of about
/// `PIECE_BYTES` (whole paragraphs) and written piece by piece, so memory
/// follows the piece, not the article.
const LONG_ARTICLE_BYTES: u64 = 4 << 20;
const PIECE_BYTES: usize = 512 << 10;

/// Annotates a long article piece by piece and hands each piece's claims to
/// `emit` as soon as they are made; the last piece carries the article record
/// with the totals. Offsets, paragraph, sentence and claim numbers are the
/// article's. Each piece is read on its own: a quotation or a back-reference
/// does not reach across a piece boundary, and only the first piece has a
/// dateline.
fn long_article(
    input: &Input,
    config: &Config,
    pool: &rayon::ThreadPool,
    emit: &mut dyn FnMut(Done) -> Result<()>,
) -> Result<()> {
    let failed = |e: Error| Done {
        articles: Vec::new(),
        errors: vec![e],
        bytes: 0,
    };
    let bytes = match ingest::read_bytes(input) {
        Ok(bytes) => bytes,
        Err(e) => return emit(failed(e)),
    };
    let total = bytes.len() as u64;
    let articles = ingest::parse_input(input, &bytes);
    drop(bytes);
    for article in articles {
        let article = match article {
            Ok(article) => article,
            Err(e) => {
                emit(failed(e))?;
                continue;
            }
        };
        let text = article.text.as_str();
        // Piece boundaries: paragraph starts about PIECE_BYTES apart.
        let mut bounds = vec![0];
        for p in paragraphs(text) {
            if p.span.start - bounds[bounds.len() - 1] >= PIECE_BYTES {
                bounds.push(p.span.start);
            }
        }
        bounds.push(text.len());
        let pieces: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        // The workers annotate pieces in any order, at most a few a thread
        // ahead of the one being written. This thread numbers each piece's
        // claims after the pieces before it (which needs their counts), hands
        // the numbered claims back to the workers to be serialised, and
        // writes the pieces in order.
        let (mut chars, mut paras, mut sentences, mut claims_so_far) = (0, 0, 0, 0);
        let mut by_type = [0usize; 4];
        let max_in_flight = 2 * config.threads.max(1);
        let (results, finished) = std::sync::mpsc::channel::<(usize, PieceStep)>();
        let article = &article;
        pool.in_place_scope(|scope| -> Result<()> {
            let annotate_piece = |k: usize| {
                let results = results.clone();
                let (from, to) = pieces[k];
                scope.spawn(move |_| {
                    let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let piece = article.with_text(text[from..to].to_string());
                        let annotation = annotate_part(&piece, &config.lexicons, k == 0);
                        PieceStep::Annotated {
                            paragraphs: annotation.segmentation.paragraphs.len(),
                            sentences: annotation.segmentation.sentences.len(),
                            chars: piece.text.chars().count(),
                            claims: annotation.claims,
                            piece: Box::new(piece),
                        }
                    }));
                    let _ = results.send((k, step.unwrap_or_else(PieceStep::Panicked)));
                });
            };
            // Each piece's latest step, from the first not yet written.
            let mut steps: VecDeque<Option<PieceStep>> = VecDeque::new();
            let (mut started, mut numbered, mut written) = (0, 0, 0);
            while written < pieces.len() {
                while started < pieces.len() && started - written < max_in_flight {
                    annotate_piece(started);
                    steps.push_back(None);
                    started += 1;
                }
                let (k, step) = finished.recv().expect("every piece handed out reports");
                if let PieceStep::Panicked(panic) = step {
                    std::panic::resume_unwind(panic);
                }
                steps[k - written] = Some(step);
                // Number the pieces whose turn it is, in order.
                while let Some(Some(PieceStep::Annotated { .. })) = steps.get(numbered - written) {
                    let Some(PieceStep::Annotated {
                        piece,
                        claims,
                        paragraphs: piece_paras,
                        sentences: piece_sentences,
                        chars: piece_chars,
                    }) = steps[numbered - written].take()
                    else {
                        unreachable!("matched above")
                    };
                    let base = ClaimBase {
                        claims: claims_so_far,
                        paragraphs: paras,
                        sentences,
                        chars,
                    };
                    let mut piece_by_type = [0usize; 4];
                    for c in &claims {
                        piece_by_type[c.source_type as usize] += 1;
                    }
                    for (total, n) in by_type.iter_mut().zip(piece_by_type) {
                        *total += n;
                    }
                    // The text between pieces belongs to the piece before.
                    chars += piece_chars;
                    paras += piece_paras;
                    sentences += piece_sentences;
                    claims_so_far += claims.len();
                    let last = numbered + 1 == pieces.len();
                    let record = last.then(|| {
                        let mut record = ArticleRecord::new(article, &[]);
                        record.n_claims = claims_so_far;
                        record.n_official_statement = by_type[0];
                        record.n_media_report = by_type[1];
                        record.n_reporter_observation = by_type[2];
                        record.n_other_source = by_type[3];
                        record
                    });
                    // A worker writes the piece's lines (or records) with its
                    // numbers after the pieces before it.
                    let (results, ordinal) = (results.clone(), numbered);
                    scope.spawn(move |_| {
                        let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let mut records = if config.format == Format::Jsonl {
                                let mut jsonl = spare_buffer(claims.len() * 512);
                                ClaimRecord::write_claims_jsonl_after(
                                    &piece, &claims, base, &mut jsonl,
                                );
                                let mut records = Records::new(record, Vec::new(), Vec::new());
                                records.jsonl = Some(jsonl);
                                records
                            } else {
                                let mut records = ClaimRecord::from_claims(&piece, &claims);
                                for c in &mut records {
                                    c.number_after(base, &piece.id);
                                }
                                Records::new(record, records, Vec::new())
                            };
                            records.by_type = piece_by_type;
                            PieceStep::Ready(Box::new(records))
                        }));
                        let _ = results.send((ordinal, step.unwrap_or_else(PieceStep::Panicked)));
                    });
                    numbered += 1;
                }
                // Write the pieces that are ready, in order.
                while let Some(Some(PieceStep::Ready(_))) = steps.front() {
                    let Some(Some(PieceStep::Ready(records))) = steps.pop_front() else {
                        unreachable!("matched above")
                    };
                    written += 1;
                    emit(Done {
                        articles: vec![*records],
                        errors: Vec::new(),
                        bytes: if written == pieces.len() { total } else { 0 },
                    })?;
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Where a piece of a long article is (see `long_article`).
enum PieceStep {
    /// Annotated: its claims, numbered from the piece's start, and what it
    /// holds, to number the pieces after it.
    Annotated {
        /// The piece as an article of its own.
        piece: Box<Article>,
        claims: Vec<Claim>,
        paragraphs: usize,
        sentences: usize,
        chars: usize,
    },
    /// Numbered and, for JSONL, serialised: ready to write.
    Ready(Box<Records>),
    /// Its annotation panicked (the panic is raised again on this thread).
    Panicked(Box<dyn std::any::Any + Send>),
}

/// Most units, and input bytes, handed to the workers and not yet written:
/// bounds memory whatever the corpus size. (32 a thread: with the writing
/// thread woken at half of them, a worker gives one wake-up per 16
/// articles.)
const UNITS_IN_FLIGHT_PER_THREAD: usize = 32;
const BYTES_IN_FLIGHT: u64 = 8 << 20;

/// Runs a batch job. Errors in single inputs are reported on stderr and
/// counted; an `Err` means the run itself failed (output could not be written).
pub fn run(config: &Config, report: &mut dyn FnMut(&Error)) -> Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let range = match config.shard {
        Some((k, n)) => {
            if config.inputs.iter().any(|p| p.as_os_str() == "-") {
                return Err(Error::new(
                    ErrorKind::Usage,
                    "--shard cannot split stdin: name files or folders",
                ));
            }
            Some(shard_range(k, n, count_articles(Inputs::listing(config))))
        }
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::new(ErrorKind::Usage, "cannot start worker threads").with_source(e))?;
    let mut sink = match config.job {
        Job::Report => Sink::Null,
        _ => Sink::open(config.output.as_deref(), config.format, config.csv)?,
    };
    let mut collector = Collector::new(&config.extras, config.csv);
    let articles_format = config
        .articles
        .as_deref()
        .map_or(Format::Jsonl, Format::from_path);
    let mut articles_sink = match &config.articles {
        Some(p) => Some(Sink::open(Some(p), articles_format, config.csv)?),
        None => None,
    };
    // A write error names the file written to, or standard output.
    let write_error = |path: Option<&Path>| {
        let name = path
            .filter(|p| p.as_os_str() != "-")
            .unwrap_or(Path::new(STDOUT))
            .to_path_buf();
        move |e: io::Error| cannot_write(&name, e)
    };
    let write_err = write_error(config.output.as_deref());
    let articles_err = write_error(config.articles.as_deref());
    let show_progress = !config.quiet && io::stderr().is_terminal();
    // The bar's total: one more walk over the inputs, only when it is shown.
    let total_bytes: u64 = if show_progress {
        let mut inputs = Inputs::listing(config);
        std::iter::from_fn(|| inputs.next())
            .filter_map(Result::ok)
            .map(|(_, size, _)| size)
            .sum()
    } else {
        0
    };
    let progress = Progress::new(show_progress, total_bytes);

    let mut feed = Feed {
        walk: Inputs::new(config),
        lines: None,
        ordinal: 0,
        range,
    };
    // Long text or HTML articles are written in pieces by this thread (see
    // `long_article`), when nothing asks for whole-article extras.
    let piecewise = config.job == Job::Annotate && config.extras.is_empty();
    let is_long = |input: &Input, size: u64| {
        piecewise && input.format != Format_::Jsonl && size > LONG_ARTICLE_BYTES
    };
    // Writes one unit's results.
    let mut write = |done: Done| -> Result<()> {
        summary.bytes += done.bytes;
        for e in &done.errors {
            progress.suspend(|| report(e));
            summary.failures += 1;
        }
        for records in done.articles {
            for (total, n) in summary.by_type.iter_mut().zip(records.by_type) {
                *total += n;
            }
            summary.claims += records.by_type.iter().sum::<usize>();
            if let Some(bytes) = records.jsonl {
                sink.write_raw(&bytes).map_err(&write_err)?;
                give_back(bytes);
            } else {
                for c in &records.claims {
                    sink.write(c).map_err(&write_err)?;
                }
                for s in &records.sentences {
                    sink.write(s).map_err(&write_err)?;
                }
            }
            let (Some(record), claims) = (records.article, records.claims) else {
                continue;
            };
            summary.articles += 1;
            if let Some(a) = &mut articles_sink {
                match articles_format {
                    Format::Csv => a.write(&ArticleCsvRecord::from(&record)),
                    Format::Jsonl => a.write(&record),
                }
                .map_err(&articles_err)?;
            }
            collector.add(&record, &claims);
        }
        progress.set(summary.bytes, summary.articles);
        Ok(())
    };
    // This thread walks the inputs and hands units to the workers, which
    // annotate them in any order; it writes their results in input order,
    // holding back those that come early. The units in flight (handed out
    // and not yet written) are bounded in number and in input bytes, so
    // memory depends on the thread count and the largest article, never on
    // the corpus size, and no worker waits for a slower one.
    let max_units = config.threads.max(1) * UNITS_IN_FLIGHT_PER_THREAD;
    let kept_open = kept_open_files();
    let finished = Finished::<std::thread::Result<Done>>::new();
    // This thread wakes when half the window is done, not for every unit:
    // each wake-up costs the worker that gives it a system call (and, on a
    // virtual machine, an interrupt to the other core), while the other
    // half keeps the workers busy until this thread hands out more.
    let batch = (max_units / 2).max(1);
    pool.in_place_scope(|scope| -> Result<()> {
        // The results of the units in flight, in input order (`None` until
        // done), and their input bytes.
        let mut in_flight: VecDeque<(Option<Done>, u64)> = VecDeque::new();
        let mut bytes_in_flight = 0u64;
        // Units handed out so far; the first in `in_flight` is unit
        // `issued - in_flight.len()`.
        let mut issued = 0usize;
        let mut exhausted = false;
        // A long article waits until everything before it is written.
        let mut long: Option<Arc<Input>> = None;
        loop {
            while !exhausted
                && long.is_none()
                && (in_flight.is_empty()
                    || (in_flight.len() < max_units && bytes_in_flight < BYTES_IN_FLIGHT))
            {
                let unit = match feed.next_unit() {
                    None => {
                        exhausted = true;
                        break;
                    }
                    Some(Unit::File { input, size, .. }) if is_long(&input, size) => {
                        long = Some(input);
                        break;
                    }
                    Some(unit) => unit,
                };
                let mut unit = unit;
                if let Unit::File { file, .. } = &mut unit {
                    *file = prefetch(file.take(), in_flight.len() < kept_open);
                }
                let bytes = match &unit {
                    Unit::File { size, .. } => *size,
                    Unit::Line { bytes, .. } => bytes.len() as u64,
                    Unit::Text { bytes, .. } => bytes.len() as u64,
                    Unit::Failed(_) => 0,
                };
                bytes_in_flight += bytes;
                in_flight.push_back((None, bytes));
                let (ordinal, finished) = (issued, &finished);
                issued += 1;
                scope.spawn(move |_| {
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        process(unit, config)
                    }));
                    finished.push(ordinal, done);
                });
            }
            if in_flight.is_empty() {
                match long.take() {
                    Some(input) => {
                        long_article(&input, config, &pool, &mut write)?;
                        continue;
                    }
                    None => break,
                }
            }
            let running = in_flight.iter().filter(|(done, _)| done.is_none()).count();
            let first = issued - in_flight.len();
            for (ordinal, done) in finished.wait(batch.min(running)) {
                let done = done.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                in_flight[ordinal - first].0 = Some(done);
            }
            while let Some((Some(_), _)) = in_flight.front() {
                let (done, bytes) = in_flight.pop_front().expect("a front entry");
                bytes_in_flight -= bytes;
                write(done.expect("a finished unit"))?;
            }
        }
        Ok(())
    })?;
    summary.skipped = feed.walk.skipped;
    progress.finish();
    sink.finish()?;
    if let Some(a) = articles_sink {
        a.finish()?;
    }
    let table = match config.job {
        Job::Sentences => Table::Sentences,
        _ => Table::Claims,
    };
    collector.finish(&[
        Written::new(config.output.clone(), config.format, table),
        Written::new(config.articles.clone(), articles_format, Table::Articles),
    ])?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// A progress bar on stderr (articles, MB/s, ETA), when stderr is a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(show: bool, total_bytes: u64) -> Self {
        if !show {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(total_bytes);
        let style = indicatif::ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        Progress(Some(bar))
    }

    fn set(&self, bytes: u64, articles: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(bytes);
            bar.set_message(format!("{articles} articles"));
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_results_all_arrive_in_batches_of_at_least_the_count_asked() {
        let finished = Finished::<usize>::new();
        let (workers, each) = (4, 500);
        std::thread::scope(|scope| {
            for w in 0..workers {
                let finished = &finished;
                scope.spawn(move || {
                    for i in 0..each {
                        let ordinal = w * each + i;
                        if i % 97 == 0 {
                            std::thread::sleep(std::time::Duration::from_millis(1));
                        }
                        finished.push(ordinal, ordinal * 2);
                    }
                });
            }
            let mut seen = vec![false; workers * each];
            let mut left = workers * each;
            while left > 0 {
                let count = 7.min(left);
                let batch = finished.wait(count);
                assert!(batch.len() >= count);
                for (ordinal, result) in batch {
                    assert_eq!(result, ordinal * 2);
                    assert!(!std::mem::replace(&mut seen[ordinal], true));
                    left -= 1;
                }
            }
            assert!(seen.iter().all(|&s| s));
        });
    }

    #[test]
    fn spare_buffers_come_back_empty_with_the_room_asked_for() {
        for (filled, asked) in [(100, 50), (100, 5_000), (2 << 20, 10), (0, 0)] {
            give_back(vec![b'x'; filled]);
            let buffer = spare_buffer(asked);
            assert!(
                buffer.is_empty(),
                "a spare of {filled} bytes came back full"
            );
            assert!(buffer.capacity() >= asked);
        }
        let kept: usize = SPARE_BUFFERS
            .lock()
            .map(|spares| spares.iter().map(Vec::capacity).sum())
            .unwrap_or_default();
        assert!(kept <= SPARE_BYTES);
    }
}
