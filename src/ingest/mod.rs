//! Ingest: find input files (sorted), decode them and turn each into one or
//! more [`Article`]s with normalised body text (guide §1).
//!
//! Takes paths (files or folders) or stdin; gives articles in a stable order,
//! with one error per bad file or JSONL line so the rest of a batch goes on.

mod html;
mod jsonl;
mod text;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;

pub use html::parse_html;
pub use jsonl::{parse_jsonl, parse_jsonl_line};
pub(crate) use text::utf8;
pub use text::{decode, normalize_newlines, parse_text};

/// The kinds of input claimtag reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown, with optional front matter.
    Text,
    /// An HTML page.
    Html,
    /// One JSON article object per line.
    Jsonl,
}

impl Format {
    /// The format a file name implies, if claimtag reads it.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" | "markdown" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// One input source: a file found under an input root, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path to open; `None` for stdin.
    pub path: Option<PathBuf>,
    /// The path relative to its input root, `/`-separated; empty for stdin.
    pub rel: String,
    pub format: Format,
}

impl Input {
    /// How the input is named in messages.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }

    /// The size in bytes, when it is a file.
    pub fn size(&self) -> u64 {
        self.path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len())
    }
}

/// What walking the inputs found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Files in folders that claimtag does not read (other extensions).
    pub skipped: usize,
    /// Inputs that do not exist or cannot be listed.
    pub errors: Vec<Error>,
}

/// Expands the command line inputs: files as given, folders walked
/// recursively in sorted order, `-` for stdin. (Collects a [`Walk`].)
pub fn discover(inputs: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for item in Walk::new(inputs) {
        match item {
            Found::Input(input) => found.inputs.push(input),
            Found::Skipped => found.skipped += 1,
            Found::Error(e) => found.errors.push(e),
        }
    }
    found
}

/// One thing a [`Walk`] finds.
#[derive(Debug)]
pub enum Found {
    Input(Input),
    /// A file in a folder that claimtag does not read (another extension).
    Skipped,
    /// An input that does not exist, or a folder that cannot be listed.
    Error(Error),
}

/// A folder's entries not yet visited, with their kinds.
type Listing = std::vec::IntoIter<(PathBuf, Entry)>;

/// What a folder's entry is, for the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Folder,
    /// A file, or a symbolic link to one.
    File,
    /// A named pipe, a socket or a device (or a link to one): no article,
    /// and opening a pipe would wait for a writer.
    Special,
}

impl Entry {
    fn of(entry: &std::fs::DirEntry) -> Entry {
        let Ok(kind) = entry.file_type() else {
            return Entry::File;
        };
        if kind.is_dir() {
            return Entry::Folder;
        }
        // Symlinked folders are not followed (no cycles); symlinked files are.
        let kind = if kind.is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(meta) if meta.is_dir() => return Entry::File,
                Ok(meta) => meta.file_type(),
                // A broken link: reading it reports why.
                Err(_) => return Entry::File,
            }
        } else {
            kind
        };
        if is_special(kind) {
            Entry::Special
        } else {
            Entry::File
        }
    }
}

#[cfg(unix)]
fn is_special(kind: std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_fifo() || kind.is_socket() || kind.is_block_device() || kind.is_char_device()
}

#[cfg(not(unix))]
fn is_special(_kind: std::fs::FileType) -> bool {
    false
}

/// The command line inputs expanded one at a time, in the order of
/// [`discover`]: files as given, folders depth first with each folder's
/// entries sorted by name (hidden ones left out), `-` for stdin. It holds the
/// listings of the folders on the current path, never the whole file list,
/// so memory does not grow with the corpus.
pub struct Walk {
    roots: std::collections::VecDeque<PathBuf>,
    /// For each folder being walked, innermost last: its input root and the
    /// entries not yet visited.
    stack: Vec<(Arc<Path>, Listing)>,
    /// Listing errors not yet given out.
    errors: Vec<Error>,
}

impl Walk {
    pub fn new(inputs: &[PathBuf]) -> Self {
        Walk {
            roots: inputs.iter().cloned().collect(),
            stack: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Lists `dir` (sorted, hidden entries left out) onto the stack.
    fn enter(&mut self, root: Arc<Path>, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.errors.push(
                    Error::new(ErrorKind::Io, "cannot list folder")
                        .with_path(dir)
                        .with_source(e),
                );
                return;
            }
        };
        let mut paths: Vec<(PathBuf, Entry)> = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let hidden = entry
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.'));
                    if hidden {
                        continue;
                    }
                    paths.push((entry.path(), Entry::of(&entry)));
                }
                Err(e) => self.errors.push(
                    Error::new(ErrorKind::Io, "cannot list folder")
                        .with_path(dir)
                        .with_source(e),
                ),
            }
        }
        // All in one folder: ordered by name, as whole paths would be, but
        // without splitting each path into components at every comparison.
        paths.sort_unstable_by(|(a, _), (b, _)| a.file_name().cmp(&b.file_name()));
        self.stack.push((root, paths.into_iter()));
    }
}

impl Iterator for Walk {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            if !self.errors.is_empty() {
                return Some(Found::Error(self.errors.remove(0)));
            }
            if let Some((root, entries)) = self.stack.last_mut() {
                let Some((path, kind)) = entries.next() else {
                    self.stack.pop();
                    continue;
                };
                let root = root.clone();
                match kind {
                    Entry::Folder => {
                        self.enter(root, &path);
                        continue;
                    }
                    Entry::Special => return Some(Found::Skipped),
                    Entry::File => {}
                }
                return Some(match Format::from_path(&path) {
                    Some(format) => Found::Input(Input {
                        rel: relative(&root, &path),
                        path: Some(path),
                        format,
                    }),
                    None => Found::Skipped,
                });
            }
            let input = self.roots.pop_front()?;
            if input.as_os_str() == "-" {
                return Some(Found::Input(Input {
                    path: None,
                    rel: String::new(),
                    format: Format::Text,
                }));
            }
            match std::fs::metadata(&input) {
                Ok(meta) if meta.is_dir() => {
                    let root: Arc<Path> = Arc::from(input.as_path());
                    self.enter(root, &input);
                }
                Ok(_) => {
                    // A file named on the command line is read whatever its
                    // extension: text unless it says otherwise.
                    let format = Format::from_path(&input).unwrap_or(Format::Text);
                    let rel = input
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    return Some(Found::Input(Input {
                        path: Some(input),
                        rel,
                        format,
                    }));
                }
                Err(e) => {
                    return Some(Found::Error(
                        Error::new(ErrorKind::Io, "cannot open input")
                            .with_path(&input)
                            .with_source(e),
                    ))
                }
            }
        }
    }
}

/// `path` relative to `root`, `/`-separated.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The article id a path gives: the relative path without its extension.
pub fn id_from_rel(rel: &str) -> String {
    match rel.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => stem.to_string(),
        _ => rel.to_string(),
    }
}

/// Reads the raw bytes of an input.
pub fn read_bytes(input: &Input) -> Result<Vec<u8>> {
    match &input.path {
        Some(path) => std::fs::read(path).map_err(|e| {
            Error::new(ErrorKind::Io, "cannot read file")
                .with_path(path)
                .with_source(e)
        }),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    Error::new(ErrorKind::Io, "cannot read stdin")
                        .with_path("<stdin>")
                        .with_source(e)
                })?;
            Ok(bytes)
        }
    }
}

/// Reads the raw bytes of an input already opened as `file`, `size` bytes
/// long when it was listed (a hint: a file that has changed since is read
/// whole all the same).
pub fn read_open(input: &Input, mut file: std::fs::File, size: u64) -> Result<Vec<u8>> {
    // Room for the whole file and the read that finds its end. Read through
    // `take`, which asks the kernel for no size of its own: `File`'s own
    // `read_to_end` would `stat` and `seek` the file first.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    (&mut file)
        .take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::new(ErrorKind::Io, "cannot read file")
                .with_path(input.path.as_deref().unwrap_or(Path::new("<stdin>")))
                .with_source(e)
        })?;
    Ok(bytes)
}

/// Turns one input's bytes into articles; a JSONL input can give several, and
/// an error for each bad line beside the good ones.
pub fn parse_input(input: &Input, bytes: &[u8]) -> Vec<Result<Article>> {
    let name = input.display_name();
    let format = match input.path {
        // stdin: JSONL when it starts with an object, else text.
        None if bytes
            .strip_prefix("\u{feff}".as_bytes())
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{') =>
        {
            Format::Jsonl
        }
        _ => input.format,
    };
    let id_base = if input.path.is_none() {
        "stdin".to_string()
    } else {
        id_from_rel(&input.rel)
    };
    let located = |e: Error| {
        if e.path().is_some() {
            e
        } else {
            e.with_path(&name)
        }
    };
    match format {
        Format::Jsonl => parse_jsonl(bytes, &id_base, &input.rel)
            .into_iter()
            .map(|r| r.map_err(located))
            .collect(),
        Format::Text => vec![parse_text(bytes, &id_base, &input.rel).map_err(located)],
        Format::Html => vec![parse_html(bytes, &id_base, &input.rel).map_err(located)],
    }
}

/// Reads and parses one input.
pub fn load(input: &Input) -> Vec<Result<Article>> {
    match read_bytes(input) {
        Ok(bytes) => parse_input(input, &bytes),
        Err(e) => vec![Err(e)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_file_is_read_whole_whatever_size_it_was_listed_with() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("a.txt");
        let text = "Héllo, “world”.\n".repeat(1000);
        std::fs::write(&path, &text).expect("written");
        let input = Input {
            path: Some(path.clone()),
            rel: "a.txt".into(),
            format: Format::Text,
        };
        for listed in [0, 1, text.len() as u64 - 1, text.len() as u64, 1 << 20] {
            let file = std::fs::File::open(&path).expect("opened");
            let bytes = read_open(&input, file, listed).expect("read");
            assert_eq!(
                bytes,
                read_bytes(&input).expect("read"),
                "listed as {listed}"
            );
        }
    }

    #[test]
    fn ids_drop_the_extension_only() {
        assert_eq!(id_from_rel("wire/a.b.txt"), "wire/a.b");
        assert_eq!(id_from_rel("story.txt"), "story");
        assert_eq!(id_from_rel("noext"), "noext");
    }

    #[test]
    fn walk_is_sorted_recursive_and_counts_skipped_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("b")).unwrap();
        std::fs::write(root.join("b/z.txt"), "Body.").unwrap();
        std::fs::write(root.join("a.md"), "Body.").unwrap();
        std::fs::write(root.join("c.html"), "<p>Body.</p>").unwrap();
        std::fs::write(root.join("notes.pdf"), "x").unwrap();
        let found = discover(&[root.to_path_buf()]);
        let rels: Vec<&str> = found.inputs.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, ["a.md", "b/z.txt", "c.html"]);
        assert_eq!(found.skipped, 1);
        assert!(found.errors.is_empty());
    }

    #[test]
    fn walk_lists_a_folder_only_when_it_gets_there() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::create_dir(root.join("b")).unwrap();
        std::fs::write(root.join("a/1.txt"), "Body.").unwrap();
        let mut walk = Walk::new(&[root.to_path_buf()]);
        let first = walk.next();
        assert!(matches!(first, Some(Found::Input(i)) if i.rel == "a/1.txt"));
        // `b` is listed after `a` is done: a file added now is found.
        std::fs::write(root.join("b/2.txt"), "Body.").unwrap();
        let rest: Vec<String> = walk
            .filter_map(|f| match f {
                Found::Input(i) => Some(i.rel),
                _ => None,
            })
            .collect();
        assert_eq!(rest, ["b/2.txt"]);
    }

    #[test]
    fn missing_input_is_an_error_naming_it() {
        let found = discover(&[PathBuf::from("/no/such/place.txt")]);
        assert_eq!(found.errors.len(), 1);
        assert!(found.errors[0].to_string().contains("/no/such/place.txt"));
    }
}
