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
/// Every [`SYNC_EVERY`] bytes, a background thread asks the OS to write what
/// is there to disk, so the data streams out during the run and the final
/// `fsync` before the rename has little left to do (on a large output it
/// otherwise waits for gigabytes at the end).
pub struct AtomicFile {
    target: PathBuf,
    /// `None` when the target is not a regular file (`/dev/null`, a FIFO):
    /// that is written directly, never replaced.
    temp: Option<PathBuf>,
    file: Option<File>,
    unsynced: u64,
    syncer: Option<Syncer>,
}

/// Bytes written between two background syncs.
const SYNC_EVERY: u64 = 64 << 20;

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
                unsynced: 0,
                syncer: None,
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
            unsynced: 0,
            syncer: None,
        })
    }

    /// Moves the finished file into place.
    pub fn commit(mut self) -> Result<()> {
        if let Some(syncer) = self.syncer.take() {
            syncer.stop();
        }
        let file = self.file.take();
        let Some(temp) = self.temp.take() else {
            return Ok(()); // a device or FIFO: nothing to sync or move
        };
        if let Some(file) = file {
            file.sync_all().map_err(|e| {
                Error::new(ErrorKind::Output, "cannot write output file")
                    .with_path(&self.target)
                    .with_source(e)
            })?;
        }
        std::fs::rename(&temp, &self.target).map_err(|e| {
            Error::new(ErrorKind::Output, "cannot move output into place")
                .with_path(&self.target)
                .with_source(e)
        })
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
        let n = file.write(buf)?;
        self.unsynced += n as u64;
        if self.unsynced >= SYNC_EVERY && self.temp.is_some() {
            self.unsynced = 0;
            if self.syncer.is_none() {
                self.syncer = Syncer::start(file);
            }
            if let Some(syncer) = &self.syncer {
                let _ = syncer.ask.try_send(());
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(syncer) = self.syncer.take() {
            syncer.stop();
        }
        if let (Some(_), Some(temp)) = (self.file.take(), &self.temp) {
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

    #[test]
    fn atomic_file_syncs_in_the_background_and_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        let chunk = vec![b'x'; 1 << 20];
        let total = 2 * SYNC_EVERY as usize + (1 << 20);
        let mut written = 0;
        while written < total {
            file.write_all(&chunk).unwrap();
            written += chunk.len();
        }
        assert!(file.syncer.is_some(), "a background sync started");
        assert!(!target.exists(), "nothing at the target before the commit");
        file.commit().unwrap();
        let meta = std::fs::metadata(&target).unwrap();
        assert_eq!(meta.len(), total as u64);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is gone");
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
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(&vec![b'x'; SYNC_EVERY as usize + 1])
            .unwrap();
        drop(file);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
