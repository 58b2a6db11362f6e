//! The library's error type: a kind, the input it concerns and where in it.

use std::fmt;
use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file or stream could not be read.
    Io,
    /// The bytes are not valid UTF-8.
    Encoding,
    /// The file holds binary data (NUL bytes).
    Binary,
    /// The file has no body text.
    Empty,
    /// A JSONL line is not a valid article object.
    Json,
    /// Front matter or HTML could not be understood.
    Format,
    /// A lexicon file is malformed or missing.
    Lexicon,
    /// Writing output failed.
    Output,
    /// The command line or configuration is invalid.
    Usage,
}

impl ErrorKind {
    /// A short lowercase name, used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "read error",
            ErrorKind::Encoding => "invalid UTF-8",
            ErrorKind::Binary => "binary content",
            ErrorKind::Empty => "empty article",
            ErrorKind::Json => "invalid JSON",
            ErrorKind::Format => "invalid format",
            ErrorKind::Lexicon => "lexicon error",
            ErrorKind::Output => "write error",
            ErrorKind::Usage => "usage error",
        }
    }
}

/// An error with its kind, the file it concerns (if any), a 1-based line (if
/// known) and a human-readable message.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
    line: Option<usize>,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            path: None,
            line: None,
            message: message.into(),
            source: None,
        }
    }

    /// Attach the file the error concerns.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attach a 1-based line number.
    pub fn with_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Attach the underlying cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file the error concerns, if any.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// The 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        } else if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}: {}", self.kind.name(), self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
