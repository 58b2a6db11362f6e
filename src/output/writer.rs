//! Writers: JSONL or CSV behind one type, and files that appear only whole.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::csvsafe::{CsvOptions, CsvWriter};
use crate::error::{Error, ErrorKind, Result};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    /// The format a file name implies (`.csv` is CSV, anything else JSONL).
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(ext) if ext == "csv" => Format::Csv,
            _ => Format::Jsonl,
        }
    }
}

/// Writes records as JSON lines or CSV rows (header from the first record).
#[allow(clippy::large_enum_variant)] // one writer per output file: size does not matter
pub enum RecordWriter<W: Write> {
    Jsonl(BufWriter<W>),
    /// Spreadsheet-safe CSV (see [`super::csvsafe`]).
    Csv(CsvWriter<W>),
}

impl<W: Write> RecordWriter<W> {
    /// A writer with the default CSV options (formula guard on, `,`, LF).
    pub fn new(format: Format, inner: W) -> Self {
        Self::with_csv_options(format, inner, CsvOptions::default())
    }

    /// A writer whose CSV follows `options` (JSONL ignores them).
    pub fn with_csv_options(format: Format, inner: W, options: CsvOptions) -> Self {
        match format {
            Format::Jsonl => RecordWriter::Jsonl(BufWriter::with_capacity(1 << 16, inner)),
            Format::Csv => RecordWriter::Csv(CsvWriter::new(inner, options)),
        }
    }

    pub fn write<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        match self {
            RecordWriter::Jsonl(w) => {
                serde_json::to_writer(&mut *w, record)?;
                w.write_all(b"\n")
            }
            RecordWriter::Csv(w) => w.write(record),
        }
    }

    /// Writes JSON lines serialised elsewhere (JSONL only). A large block
    /// (an article's claims, as a rule) goes straight to the inner writer
    /// once the buffer is flushed, rather than being copied into the buffer
    /// first; small ones are buffered.
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            RecordWriter::Jsonl(w) if bytes.len() >= DIRECT_WRITE => {
                w.flush()?;
                w.get_mut().write_all(bytes)
            }
            RecordWriter::Jsonl(w) => w.write_all(bytes),
            RecordWriter::Csv(_) => Err(io::Error::other("raw JSON lines written to CSV")),
        }
    }

    /// Flushes and gives back the inner writer.
    pub fn into_inner(self) -> io::Result<W> {
        match self {
            RecordWriter::Jsonl(w) => w.into_inner().map_err(|e| e.into_error()),
            RecordWriter::Csv(w) => w.into_inner(),
        }
    }

    /// Flushes explicitly: dropping a CSV writer would swallow the error.
    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            RecordWriter::Jsonl(w) => w.flush(),
            RecordWriter::Csv(w) => w.flush(),
        }
    }
}

/// Blocks of at least this many bytes skip the JSONL writer's buffer.
const DIRECT_WRITE: usize = 8 << 10;

/// A file written beside its target under a temporary name and renamed into
/// place by [`AtomicFile::commit`]; dropped without a commit, it is removed.
/// A target that exists and is not a regular file (`/dev/null`, a FIFO) is
/// written directly and never replaced.
///
/// The bytes are gathered in aligned chunks of [`CHUNK`] bytes. From the
/// first full chunk on, where the file system allows it (Linux `O_DIRECT`),
/// a thread writes each chunk straight to the disk, around the page cache:
/// the kernel copies nothing into its cache, the output does not push the
/// input out of it, and the `fsync` before the rename finds the data
/// already written.
/// Elsewhere the file is written through the page cache, and every
/// [`SYNC_EVERY`] bytes a background thread asks the OS to write what is
/// there to disk, so the final `fsync` has little left to do (on a large
/// output it otherwise waits for gigabytes at the end).
pub struct AtomicFile {
    target: PathBuf,
    /// `None` when the target is not a regular file (`/dev/null`, a FIFO):
    /// that is written directly, never replaced.
    temp: Option<PathBuf>,
    file: Option<File>,
    sink: Sink,
    /// Whether direct writes are tried (tests turn them off).
    try_direct: bool,
}

/// How an [`AtomicFile`]'s bytes reach its file.
enum Sink {
    /// Written as they come (a device or FIFO target).
    Plain,
    /// Gathered in `chunk`; once it is full, written by `direct` if the
    /// file takes direct writes (it is then started), else as below.
    Chunked {
        chunk: Chunk,
        direct: Option<DirectWriter>,
    },
    /// Written through the page cache, synced in the background.
    Cached {
        unsynced: u64,
        syncer: Option<Syncer>,
    },
}

/// The size of a chunk written directly.
const CHUNK: usize = 1 << 20;

/// The alignment of a direct write's memory, offset and length: 4096 bytes
/// suits disks of 512- and 4096-byte sectors alike.
const ALIGN: usize = 4096;

/// Chunks in use at once: one being filled, the others written or waiting.
const CHUNKS: usize = 4;

/// Bytes written through the page cache between two background syncs.
const SYNC_EVERY: u64 = 64 << 20;

/// [`CHUNK`] bytes of memory aligned to [`ALIGN`], the first `len` in use.
struct Chunk {
    memory: Vec<u8>,
    start: usize,
    len: usize,
}

impl Chunk {
    fn new() -> Chunk {
        let memory = vec![0; CHUNK + ALIGN];
        let start = memory.as_ptr().align_offset(ALIGN);
        Chunk {
            memory,
            start,
            len: 0,
        }
    }

    /// A chunk with no memory, which takes nothing: a stand-in while a
    /// chunk is with the writing thread.
    fn empty() -> Chunk {
        Chunk {
            memory: Vec::new(),
            start: 0,
            len: 0,
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.memory[self.start..self.start + self.len]
    }

    /// Copies as much of `buf` as fits; returns how much.
    fn fill(&mut self, buf: &[u8]) -> usize {
        let room = (self.memory.len() - self.start).min(CHUNK) - self.len;
        let n = buf.len().min(room);
        let at = self.start + self.len;
        self.memory[at..at + n].copy_from_slice(&buf[..n]);
        self.len += n;
        n
    }

    fn is_full(&self) -> bool {
        self.len == CHUNK
    }
}

/// A thread that writes full chunks to a file switched to direct writes
/// and hands them back empty.
struct DirectWriter {
    full: std::sync::mpsc::SyncSender<Chunk>,
    empty: std::sync::mpsc::Receiver<Chunk>,
    /// Chunks made so far (at most [`CHUNKS`]).
    made: usize,
    /// `None` once joined.
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl DirectWriter {
    /// Switches `file` to direct writes and starts the thread, or `None` if
    /// the file system does not take them (the file is then as it was).
    fn start(file: &File) -> Option<DirectWriter> {
        let clone = file.try_clone().ok()?;
        if !set_direct(file, true) {
            return None;
        }
        let writer = DirectWriter::spawn(clone);
        if writer.is_none() {
            set_direct(file, false);
        }
        writer
    }

    /// Starts the thread that writes to `file`.
    fn spawn(mut file: File) -> Option<DirectWriter> {
        let (full, to_write) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS);
        let (give_back, empty) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS);
        let thread = std::thread::Builder::new()
            .name("claimtag-write".into())
            .spawn(move || -> io::Result<()> {
                for mut chunk in to_write {
                    write_direct(&mut file, chunk.bytes())?;
                    chunk.len = 0;
                    // The owner may have stopped taking chunks back.
                    let _ = give_back.send(chunk);
                }
                Ok(())
            })
            .ok()?;
        Some(DirectWriter {
            full,
            empty,
            made: 1,
            thread: Some(thread),
        })
    }

    /// Hands `chunk` (full) to the thread and gives an empty one back.
    fn swap(&mut self, chunk: Chunk) -> io::Result<Chunk> {
        if self.full.send(chunk).is_err() {
            return Err(self.stop());
        }
        if self.made < CHUNKS {
            self.made += 1;
            return Ok(Chunk::new());
        }
        self.empty.recv().map_err(|_| self.stop())
    }

    /// The error the thread stopped on (it stops only on one).
    fn stop(&mut self) -> io::Error {
        match self.finish() {
            Err(e) => e,
            Ok(()) => io::Error::other("the output writer stopped"),
        }
    }

    /// Waits for every chunk handed over to be written.
    fn finish(&mut self) -> io::Result<()> {
        // A sender that goes nowhere ends the thread's loop.
        let (none, _) = std::sync::mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.full, none));
        match self.thread.take().map(|t| t.join()) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(io::Error::other("the output writer panicked")),
        }
    }
}

/// Writes a chunk to a file switched to direct writes. A file system may
/// accept the switch and still refuse a write (`EINVAL`), as it refuses the
/// unaligned rest of a short one: the file is then switched back, and the
/// rest of the chunk and every chunk after it go through the page cache.
fn write_direct(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    let mut done = 0;
    while done < bytes.len() {
        match file.write(&bytes[done..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidInput && is_direct(file) => {
                if !set_direct(file, false) {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether `file` is switched to direct writes.
#[cfg(target_os = "linux")]
fn is_direct(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: F_GETFL reads the status flags of `file`'s open descriptor.
    let flags = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETFL) };
    flags >= 0 && flags & libc::O_DIRECT != 0
}

#[cfg(not(target_os = "linux"))]
fn is_direct(_file: &File) -> bool {
    false
}

/// Turns direct writes (`O_DIRECT`) on or off for `file`; whether it did.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> bool {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open descriptor owned by `file`; F_GETFL and
    // F_SETFL read and set its status flags only.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return false;
        }
        let flags = if on {
            flags | libc::O_DIRECT
        } else {
            flags & !libc::O_DIRECT
        };
        libc::fcntl(fd, libc::F_SETFL, flags) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, _on: bool) -> bool {
    false
}

/// A thread that syncs a file's data whenever it is asked to.
struct Syncer {
    ask: std::sync::mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Syncer {
    fn start(file: &File) -> Option<Syncer> {
        let file = file.try_clone().ok()?;
        // One request may wait while a sync runs; more would add nothing.
        let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("claimtag-sync".into())
            .spawn(move || {
                for () in asked {
                    // An error shows up again at the final sync, which is checked.
                    let _ = file.sync_data();
                }
            })
            .ok()?;
        Some(Syncer { ask, thread })
    }

    fn stop(self) {
        drop(self.ask);
        let _ = self.thread.join();
    }
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<Self> {
        let cannot = |e: io::Error| {
            Error::new(ErrorKind::Output, "cannot create output file")
                .with_path(target)
                .with_source(e)
        };
        let special = std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(cannot)?;
            return Ok(AtomicFile {
                target: target.to_path_buf(),
                temp: None,
                file: Some(file),
                sink: Sink::Plain,
                try_direct: false,
            });
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".to_string());
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(cannot)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp: Some(temp),
            file: Some(file),
            sink: Sink::Chunked {
                chunk: Chunk::new(),
                direct: None,
            },
            try_direct: true,
        })
    }

    /// This file written through the page cache only.
    #[cfg(test)]
    fn through_the_cache(mut self) -> Self {
        self.try_direct = false;
        self
    }

    /// Writes what is left, syncs the file and moves it into place.
    pub fn commit(mut self) -> Result<()> {
        let target = self.target.clone();
        let cannot_write = |e: io::Error| {
            Error::new(ErrorKind::Output, "cannot write output file")
                .with_path(&target)
                .with_source(e)
        };
        let file = self.file.take();
        let Some(temp) = self.temp.take() else {
            return Ok(()); // a device or FIFO: nothing to sync or move
        };
        // Put back, so that the temporary file is removed on an error.
        self.temp = Some(temp.clone());
        if let Some(mut file) = file {
            match std::mem::replace(&mut self.sink, Sink::Plain) {
                Sink::Chunked { chunk, direct } => {
                    if let Some(mut direct) = direct {
                        direct.finish().map_err(cannot_write)?;
                        // The rest is shorter than a sector: through the cache.
                        set_direct(&file, false);
                    }
                    file.write_all(chunk.bytes()).map_err(cannot_write)?;
                }
                Sink::Cached { syncer, .. } => {
                    if let Some(syncer) = syncer {
                        syncer.stop();
                    }
                }
                Sink::Plain => {}
            }
            file.sync_all().map_err(cannot_write)?;
        }
        std::fs::rename(&temp, &self.target).map_err(|e| {
            Error::new(ErrorKind::Output, "cannot move output into place")
                .with_path(&self.target)
                .with_source(e)
        })?;
        self.temp = None;
        Ok(())
    }

    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(file) = self.file.as_mut() else {
            return Ok(buf.len());
        };
        match &mut self.sink {
            Sink::Plain => file.write(buf),
            Sink::Chunked { chunk, direct } => {
                let n = chunk.fill(buf);
                if chunk.is_full() {
                    if direct.is_none() && self.try_direct {
                        *direct = DirectWriter::start(file);
                    }
                    match direct {
                        Some(writer) => {
                            let next = writer.swap(std::mem::replace(chunk, Chunk::empty()))?;
                            *chunk = next;
                        }
                        None => {
                            // No direct writes here: through the page cache
                            // from now on.
                            file.write_all(chunk.bytes())?;
                            self.sink = Sink::Cached {
                                unsynced: CHUNK as u64,
                                syncer: None,
                            };
                        }
                    }
                }
                Ok(n)
            }
            Sink::Cached { unsynced, syncer } => {
                let n = file.write(buf)?;
                *unsynced += n as u64;
                if *unsynced >= SYNC_EVERY {
                    *unsynced = 0;
                    if syncer.is_none() {
                        *syncer = Syncer::start(file);
                    }
                    if let Some(syncer) = syncer {
                        let _ = syncer.ask.try_send(());
                    }
                }
                Ok(n)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.sink, Sink::Plain) {
            Sink::Chunked {
                direct: Some(mut direct),
                ..
            } => {
                let _ = direct.finish();
            }
            Sink::Cached {
                syncer: Some(syncer),
                ..
            } => syncer.stop(),
            _ => {}
        }
        if let Some(temp) = &self.temp {
            self.file = None;
            let _ = std::fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_blocks_small_and_large_keep_their_order() {
        let blocks = [
            b"{\"a\":1}\n".to_vec(),
            vec![b'x'; DIRECT_WRITE],
            b"{\"b\":2}\n".to_vec(),
            vec![b'y'; 3 * DIRECT_WRITE + 5],
            vec![b'z'; DIRECT_WRITE - 1],
        ];
        let mut w = RecordWriter::new(Format::Jsonl, Vec::new());
        for block in &blocks {
            w.write_raw(block).unwrap();
        }
        assert_eq!(w.into_inner().unwrap(), blocks.concat());
    }

    /// `total` bytes of a pattern that repeats only every 251 bytes, so
    /// that a chunk out of place or written twice shows.
    fn pattern(total: usize) -> Vec<u8> {
        (0..total).map(|i| (i % 251) as u8).collect()
    }

    /// Writes `bytes` to `file` in pieces of uneven sizes, from 1 byte to
    /// more than a chunk.
    fn write_in_pieces(file: &mut AtomicFile, bytes: &[u8]) {
        let sizes = [1, 4095, 4097, 70_000, CHUNK + 3, 17, CHUNK / 2];
        let mut at = 0;
        for size in sizes.iter().cycle() {
            if at == bytes.len() {
                break;
            }
            let end = (at + size).min(bytes.len());
            file.write_all(&bytes[at..end]).unwrap();
            at = end;
        }
    }

    /// Whether files in `dir` can be switched to direct writes.
    fn direct_writes_accepted_in(dir: &Path) -> bool {
        let probe = dir.join("probe");
        let accepted = set_direct(&File::create(&probe).unwrap(), true);
        std::fs::remove_file(probe).unwrap();
        accepted
    }

    #[test]
    fn atomic_file_written_directly_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let direct = direct_writes_accepted_in(dir.path());
        for total in [
            0,
            10,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNKS * CHUNK + 12_345,
        ] {
            let target = dir.path().join("out.jsonl");
            let expected = pattern(total);
            let mut file = AtomicFile::create(&target).unwrap();
            write_in_pieces(&mut file, &expected);
            match &file.sink {
                Sink::Chunked { direct: d, .. } => {
                    assert_eq!(
                        d.is_some(),
                        total >= CHUNK,
                        "direct writer of {total} bytes"
                    );
                    assert!(direct || total < CHUNK, "direct writes where none work");
                }
                Sink::Cached { .. } => assert!(!direct, "the cache where direct writes work"),
                Sink::Plain => panic!("a regular file written plain"),
            }
            assert!(!target.exists(), "nothing at the target before the commit");
            file.commit().unwrap();
            assert!(std::fs::read(&target).unwrap() == expected, "{total} bytes");
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "the temporary file is gone");
            std::fs::remove_file(&target).unwrap();
        }
    }

    #[test]
    fn atomic_file_through_the_cache_syncs_in_the_background_and_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap().through_the_cache();
        let expected = pattern(2 * SYNC_EVERY as usize + (1 << 20) + 7);
        write_in_pieces(&mut file, &expected);
        assert!(
            matches!(
                &file.sink,
                Sink::Cached {
                    syncer: Some(_),
                    ..
                }
            ),
            "a background sync started"
        );
        assert!(!target.exists(), "nothing at the target before the commit");
        file.commit().unwrap();
        assert!(std::fs::read(&target).unwrap() == expected);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is gone");
    }

    #[test]
    fn a_refused_direct_write_goes_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut file = File::create(&path).unwrap();
        let accepted = set_direct(&file, true);
        assert_eq!(is_direct(&file), accepted);
        // An aligned chunk, then 100 bytes from an odd address: a length
        // and an address no disk takes directly.
        let mut chunk = Chunk::new();
        chunk.fill(&pattern(CHUNK));
        write_direct(&mut file, chunk.bytes()).unwrap();
        let odd = pattern(101);
        write_direct(&mut file, &odd[1..]).unwrap();
        assert!(!is_direct(&file), "switched back after the refusal");
        drop(file);
        let mut expected = pattern(CHUNK);
        expected.extend_from_slice(&odd[1..]);
        assert!(std::fs::read(&path).unwrap() == expected);
    }

    #[test]
    fn a_failed_write_of_the_writing_thread_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read-only");
        std::fs::write(&path, b"").unwrap();
        // Written to through a descriptor opened for reading: every write fails.
        let mut writer = DirectWriter::spawn(File::open(&path).unwrap()).unwrap();
        let mut chunk = Chunk::new();
        let mut failed = None;
        for _ in 0..2 * CHUNKS {
            chunk.fill(&pattern(CHUNK));
            match writer.swap(chunk) {
                Ok(next) => chunk = next,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let error = failed.or_else(|| writer.finish().err()).expect("an error");
        assert_eq!(error.raw_os_error(), Some(libc::EBADF), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_target_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        let mut file = AtomicFile::create(null).unwrap();
        file.write_all(b"{}\n").unwrap();
        file.commit().unwrap();
        assert!(std::fs::metadata(null)
            .unwrap()
            .file_type()
            .is_char_device());
    }

    #[test]
    fn atomic_file_dropped_without_commit_leaves_nothing() {
        for cache_only in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("out.jsonl");
            let mut file = AtomicFile::create(&target).unwrap();
            if cache_only {
                file = file.through_the_cache();
            }
            file.write_all(&pattern(SYNC_EVERY as usize + 1)).unwrap();
            drop(file);
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
