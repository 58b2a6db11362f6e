//! The harness: a temp dir per test, the binary run with args and stdin, its
//! output captured, JSONL and CSV readers, code point helpers, and a line diff
//! for failures that are easier to read than two long strings.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_claimtag");

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample articles.
pub fn articles_dir() -> PathBuf {
    repo().join("data/articles")
}

/// A temporary folder for one test, removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// A fresh folder; `name` (the test's name) makes leftovers recognisable.
    pub fn new(name: &str) -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix(&format!("claimtag-test-{name}-"))
            .tempdir()
            .expect("cannot create a temp dir");
        Dir { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes a file (creating its folders) and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("cannot create folder");
        }
        std::fs::write(&path, contents).expect("cannot write test file");
        path
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.join(rel).exists()
    }

    /// A file's text; the panic lists what the folder holds.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        match std::fs::read_to_string(self.join(rel)) {
            Ok(text) => text,
            Err(e) => panic!(
                "cannot read {rel}: {e}; the test dir holds {:?}",
                self.list("")
            ),
        }
    }

    /// Names in a folder of the test dir, hidden ones included, sorted.
    pub fn list(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.join(rel))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The binary, run in this folder.
    pub fn command(&self) -> TestCommand {
        TestCommand::new(self.path())
    }
}

/// A command line for the binary, with optional stdin.
pub struct TestCommand {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    shown: Vec<String>,
}

impl TestCommand {
    pub fn new(cwd: &Path) -> Self {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(cwd);
        TestCommand {
            cmd,
            stdin: None,
            shown: vec!["claimtag".to_string()],
        }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.shown.push(arg.as_ref().to_string_lossy().into_owned());
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Bytes for stdin (else stdin is empty).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Starts the binary with piped stdin, stdout and stderr.
    pub fn spawn(&mut self) -> Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start claimtag")
    }

    /// Runs to the end and captures everything.
    pub fn run(&mut self) -> Run {
        let input = self.stdin.clone();
        self.cmd
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("cannot start claimtag");
        // Feed stdin from another thread so a full stdout pipe cannot deadlock us.
        let feeder = input.map(|bytes| {
            let mut stdin = child.stdin.take().expect("stdin is piped");
            std::thread::spawn(move || {
                // The binary may stop reading early (a usage error): not our failure.
                let _ = stdin.write_all(&bytes);
            })
        });
        let output = child.wait_with_output().expect("cannot wait for claimtag");
        if let Some(feeder) = feeder {
            feeder.join().expect("stdin thread panicked");
        }
        Run {
            code: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            shown: self.shown.join(" "),
        }
    }
}

/// What a finished run gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    shown: String,
}

impl Run {
    /// Stdout as text (it must be UTF-8).
    #[track_caller]
    pub fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone())
            .unwrap_or_else(|e| panic!("`{}`: stdout is not UTF-8: {e}", self.shown))
    }

    /// Panics with the command, the code and stderr unless the exit code is `code`.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        if self.code != Some(code) {
            let stdout = String::from_utf8_lossy(&self.stdout);
            let head: String = stdout.lines().take(10).collect::<Vec<_>>().join("\n");
            panic!(
                "`{}` exited with {:?}, expected {code}\n--- stderr ---\n{}\n--- stdout (first lines) ---\n{head}\n",
                self.shown, self.code, self.stderr
            );
        }
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.code(0)
    }

    /// Panics unless stderr contains every one of `needles`.
    #[track_caller]
    pub fn stderr_has(&self, needles: &[&str]) -> &Self {
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "`{}`: stderr does not mention {needle:?}\n--- stderr ---\n{}",
                self.shown,
                self.stderr
            );
        }
        self
    }

    /// Stdout parsed as JSON lines.
    #[track_caller]
    pub fn jsonl(&self) -> Vec<Value> {
        parse_jsonl(&self.stdout(), &format!("stdout of `{}`", self.shown))
    }
}

/// Parses JSON lines; every line (the last one too) must end with `\n`.
#[track_caller]
pub fn parse_jsonl(text: &str, what: &str) -> Vec<Value> {
    if !text.is_empty() {
        assert!(text.ends_with('\n'), "{what}: the last line has no newline");
    }
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{what}: line {} is not JSON ({e}): {line}", n + 1))
        })
        .collect()
}

/// Parses CSV with a header: (header, rows).
#[track_caller]
pub fn parse_csv(text: &str, what: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap_or_else(|e| panic!("{what}: bad CSV header: {e}"))
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .enumerate()
        .map(|(n, r)| {
            r.unwrap_or_else(|e| panic!("{what}: bad CSV row {}: {e}", n + 1))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    (header, rows)
}

/// A string field of a JSON record.
#[track_caller]
pub fn str_field<'a>(record: &'a Value, key: &str) -> &'a str {
    record[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key:?} is not a string in {record}"))
}

/// An unsigned integer field of a JSON record.
#[track_caller]
pub fn uint_field(record: &Value, key: &str) -> usize {
    record[key]
        .as_u64()
        .unwrap_or_else(|| panic!("field {key:?} is not an unsigned integer in {record}"))
        as usize
}

/// `text[start:end]` in Unicode code points (Python's `str` slicing), or
/// `None` when the range is out of bounds or reversed.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<String> {
    if start > end {
        return None;
    }
    let count = text.chars().count();
    if end > count {
        return None;
    }
    Some(text.chars().skip(start).take(end - start).collect())
}

/// The code point offset of a byte offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Asserts two texts are equal, showing a line diff when they are not.
#[track_caller]
pub fn assert_same(what: &str, expected: &str, actual: &str) {
    if expected != actual {
        panic!(
            "{what} differs (- expected, + actual):\n{}",
            line_diff(expected, actual)
        );
    }
}

/// A compact line diff: changed lines with two lines of context.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split('\n').collect();
    let b: Vec<&str> = actual.split('\n').collect();
    // Trim the common head and tail so the LCS table stays small.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<(char, &str)> = Vec::new();
    if ma.len() * mb.len() > 4_000_000 {
        ops.extend(ma.iter().map(|l| ('-', *l)));
        ops.extend(mb.iter().map(|l| ('+', *l)));
    } else {
        let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i][j] = if ma[i] == mb[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                ops.push((' ', ma[i]));
                i += 1;
                j += 1;
            } else if j < mb.len() && (i == ma.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
                ops.push(('+', mb[j]));
                j += 1;
            } else {
                ops.push(('-', ma[i]));
                i += 1;
            }
        }
    }
    let mut out = String::new();
    let context = 2;
    for line in &a[head.saturating_sub(context)..head] {
        out.push_str(&format!("  {line}\n"));
    }
    let mut shown_gap = false;
    for (k, (op, line)) in ops.iter().enumerate() {
        let near_change = ops[k.saturating_sub(context)..(k + context + 1).min(ops.len())]
            .iter()
            .any(|(o, _)| *o != ' ');
        if *op != ' ' || near_change {
            out.push_str(&format!("{op} {line}\n"));
            shown_gap = false;
        } else if !shown_gap {
            out.push_str("  ...\n");
            shown_gap = true;
        }
    }
    for line in b[b.len() - tail..].iter().take(context) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

#[test]
fn harness_line_diff_marks_changed_lines() {
    let diff = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
    assert!(diff.contains("- b\n"), "{diff}");
    assert!(diff.contains("+ B\n"), "{diff}");
    assert!(diff.contains("+ e\n"), "{diff}");
    assert!(diff.contains("  a\n"), "{diff}");
}

#[test]
fn harness_char_slice_counts_code_points() {
    let text = "é🎉“x”";
    assert_eq!(char_slice(text, 1, 2).as_deref(), Some("🎉"));
    assert_eq!(char_slice(text, 2, 5).as_deref(), Some("“x”"));
    assert_eq!(char_slice(text, 4, 6), None);
    assert_eq!(char_offset(text, text.find('x').unwrap()), 3);
}
