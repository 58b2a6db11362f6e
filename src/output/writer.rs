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

    /// Writes JSON lines serialised elsewhere (JSONL only).
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
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

/// A file written beside its target under a temporary name and renamed into
/// place by [`AtomicFile::commit`]; dropped without a commit, it is removed.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".to_string());
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|e| {
            Error::new(ErrorKind::Output, "cannot create output file")
                .with_path(target)
                .with_source(e)
        })?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temp,
            file: Some(file),
        })
    }

    /// Moves the finished file into place.
    pub fn commit(mut self) -> Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all().ok();
        }
        std::fs::rename(&self.temp, &self.target).map_err(|e| {
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
        self.file.as_mut().map_or(Ok(buf.len()), |f| f.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}
