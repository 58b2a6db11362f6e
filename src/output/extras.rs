//! The analyst-facing outputs a run can write beside its records: the
//! summary tables (`--summary`), the HTML review report (`--report`, the
//! `report` command) and the data package (`--datapackage`). The pipeline
//! hands every finished article to a [`Collector`] and calls
//! [`Collector::finish`] once the records are written.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::csvsafe::CsvOptions;
use super::datapackage::{self, Table};
use super::records::{ArticleRecord, ClaimRecord};
use super::report::ReportBuilder;
use super::summary::{self, Summary, SummaryBuilder};
use super::writer::{AtomicFile, Format, RecordWriter};
use crate::error::{Error, ErrorKind, Result};

/// Which analyst outputs a run writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// The summary table (`--summary PATH`); the sources table goes beside it.
    pub summary: Option<PathBuf>,
    /// How many sources the sources table keeps (0: all).
    pub top: usize,
    /// The HTML report (`-` for stdout).
    pub report: Option<PathBuf>,
    /// The report's title.
    pub title: String,
    /// Write `datapackage.json` beside the CSV files.
    pub datapackage: bool,
}

impl Extras {
    /// Whether there is nothing to collect.
    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.report.is_none() && !self.datapackage
    }

    /// The files these outputs write (for never reading them back as input).
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut paths = Vec::new();
        if let Some(s) = &self.summary {
            paths.push(s.clone());
            paths.push(summary::sources_path(s));
        }
        paths.extend(self.report.clone());
        paths.retain(|p| p.as_os_str() != "-");
        paths
    }

    /// The record files of the summary.
    fn written(&self) -> Vec<Written> {
        match &self.summary {
            Some(s) => {
                let format = Format::from_path(s);
                vec![
                    Written::new(Some(s.clone()), format, Table::Summary),
                    Written::new(Some(summary::sources_path(s)), format, Table::Sources),
                ]
            }
            None => Vec::new(),
        }
    }

    /// Checks up front, so a long run does not fail at its end: the folders
    /// of the extras exist, and `--datapackage` can be written for a run that
    /// writes `written` (and these extras): at least one CSV file, all in one
    /// folder.
    pub fn check(&self, written: &[Written]) -> Result<()> {
        for path in self.paths() {
            let folder = datapackage::folder_of(&path);
            if !folder.is_dir() {
                return Err(Error::new(
                    ErrorKind::Output,
                    format!(
                        "cannot create output file: the folder {} does not exist",
                        folder.display()
                    ),
                )
                .with_path(path));
            }
        }
        if self.datapackage {
            let mut all = written.to_vec();
            all.extend(self.written());
            package_files(&all)?;
        }
        Ok(())
    }
}

/// A record file a run writes: where (`None` or `-`: stdout), in which
/// format, holding which table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: Option<PathBuf>,
    pub format: Format,
    pub table: Table,
}

impl Written {
    pub fn new(path: Option<PathBuf>, format: Format, table: Table) -> Self {
        Written {
            path,
            format,
            table,
        }
    }

    /// The CSV file this is, if it is one.
    fn csv_file(&self) -> Option<&Path> {
        match (&self.path, self.format) {
            (Some(p), Format::Csv) if p.as_os_str() != "-" => Some(p),
            _ => None,
        }
    }
}

/// The folder of the package and its CSV files: the folder of the first CSV
/// file; every other CSV file must be in it too.
pub fn package_files(written: &[Written]) -> Result<(PathBuf, Vec<(PathBuf, Table)>)> {
    let files: Vec<(PathBuf, Table)> = written
        .iter()
        .filter_map(|w| w.csv_file().map(|p| (p.to_path_buf(), w.table)))
        .collect();
    let Some((first, _)) = files.first() else {
        return Err(Error::new(
            ErrorKind::Usage,
            "--datapackage describes CSV files: write one (-o claims.csv, --articles articles.csv or --summary summary.csv)",
        ));
    };
    let dir = datapackage::folder_of(first);
    for (p, _) in &files {
        if !datapackage::same_dir(p, &dir) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "--datapackage: {} and {} are in different folders; datapackage.json lists its CSV files by name, so put them in one folder",
                    first.display(),
                    p.display()
                ),
            ));
        }
    }
    Ok((dir, files))
}

/// Collects finished articles for the extras, then writes them.
#[derive(Debug)]
pub struct Collector {
    extras: Extras,
    csv: CsvOptions,
    summary: Option<SummaryBuilder>,
    report: Option<ReportBuilder>,
}

impl Collector {
    pub fn new(extras: &Extras, csv: CsvOptions) -> Self {
        Collector {
            extras: extras.clone(),
            csv,
            summary: extras.summary.as_ref().map(|_| SummaryBuilder::new()),
            report: extras.report.as_ref().map(|_| ReportBuilder::new()),
        }
    }

    /// Adds a finished article and its claims.
    pub fn add(&mut self, article: &ArticleRecord, claims: &[ClaimRecord]) {
        if let Some(s) = &mut self.summary {
            s.add(article, claims);
        }
        if let Some(r) = &mut self.report {
            r.add(article, claims);
        }
    }

    /// Writes the summary, the report and the data package; `written` are
    /// the run's other record files (for the data package).
    pub fn finish(self, written: &[Written]) -> Result<()> {
        if let (Some(builder), Some(path)) = (self.summary, &self.extras.summary) {
            let summary = builder.finish(self.extras.top);
            let sources = summary::sources_path(path);
            write_summary(
                &summary,
                Some(path),
                Some(&sources),
                Format::from_path(path),
                self.csv,
            )?;
        }
        if let (Some(builder), Some(path)) = (self.report, &self.extras.report) {
            let title = match self.extras.title.as_str() {
                "" => super::report::DEFAULT_TITLE,
                title => title,
            };
            write_text(Some(path), &builder.render(title))?;
        }
        if self.extras.datapackage {
            let mut all = written.to_vec();
            all.extend(self.extras.written());
            let (dir, files) = package_files(&all)?;
            datapackage::write(&dir, &files, self.csv)?;
        }
        Ok(())
    }
}

fn write_error(path: Option<&Path>, e: io::Error) -> Error {
    let e = Error::new(ErrorKind::Output, "cannot write output").with_source(e);
    match path {
        Some(p) => e.with_path(p),
        None => e,
    }
}

fn is_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// Writes records to a file (appearing whole when done) or stdout.
pub fn write_records<T: Serialize>(
    path: Option<&Path>,
    format: Format,
    csv: CsvOptions,
    records: &[T],
) -> Result<()> {
    if is_stdout(path) {
        let mut w = RecordWriter::with_csv_options(format, io::stdout().lock(), csv);
        for r in records {
            w.write(r).map_err(|e| write_error(None, e))?;
        }
        return w.flush().map_err(|e| write_error(None, e));
    }
    let path = path.unwrap_or(Path::new("-"));
    let mut w = RecordWriter::with_csv_options(format, AtomicFile::create(path)?, csv);
    for r in records {
        w.write(r).map_err(|e| write_error(Some(path), e))?;
    }
    let mut file = w.into_inner().map_err(|e| write_error(Some(path), e))?;
    file.flush().map_err(|e| write_error(Some(path), e))?;
    file.commit()
}

/// Writes the summary table to `path` and, if given, the sources table to
/// `sources` (`None` for either means stdout).
pub fn write_summary(
    summary: &Summary,
    path: Option<&Path>,
    sources: Option<&Path>,
    format: Format,
    csv: CsvOptions,
) -> Result<()> {
    write_records(path, format, csv, &summary.rows)?;
    if sources.is_some() {
        write_records(sources, format, csv, &summary.sources)?;
    }
    Ok(())
}

/// Writes text to a file (appearing whole when done) or stdout.
pub fn write_text(path: Option<&Path>, text: &str) -> Result<()> {
    if is_stdout(path) {
        let mut out = io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| write_error(None, e));
    }
    let path = path.unwrap_or(Path::new("-"));
    let mut file = AtomicFile::create(path)?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.flush())
        .map_err(|e| write_error(Some(path), e))?;
    file.commit()
}

/// Reads JSONL records of type `T` from a file or stdin (`-`), line by line.
/// A line that is not a valid record is reported (file and line) and
/// skipped; the count of such lines is returned. An `Err` means the file
/// could not be read at all.
pub fn read_jsonl<T: DeserializeOwned>(
    path: &Path,
    what: &str,
    each: &mut dyn FnMut(T),
    report: &mut dyn FnMut(&Error),
) -> Result<usize> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        PathBuf::from("<stdin>")
    } else {
        path.to_path_buf()
    };
    let reader: Box<dyn Read> = if stdin {
        Box::new(io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot read {what}"))
                .with_path(path)
                .with_source(e)
        })?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut failures = 0;
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot read {what}"))
                .with_path(&name)
                .with_source(e)
        })?;
        if n == 0 {
            break;
        }
        line += 1;
        let content = if line == 1 {
            buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&buf)
        } else {
            &buf[..]
        };
        if content.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<T>(content) {
            Ok(record) => each(record),
            Err(e) => {
                failures += 1;
                report(
                    &Error::new(ErrorKind::Json, format!("not a {what} record"))
                        .with_path(&name)
                        .with_line(line)
                        .with_source(e),
                );
            }
        }
    }
    Ok(failures)
}
