//! JSONL input: one article object per line.

use serde_json::Value;

use super::text::{apply_meta, decode, normalize_newlines, normalize_newlines_owned, Meta};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;

/// Parses a JSONL file: one result per non-empty line, in order. A line
/// without `id` gets `<id_base>/<line number>`.
pub fn parse_jsonl(bytes: &[u8], id_base: &str, rel: &str) -> Vec<Result<Article>> {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(e) => return vec![Err(e)],
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(parse_jsonl_line(line, n + 1, id_base, rel).map_err(|e| e.with_line(n + 1)));
    }
    if out.is_empty() {
        out.push(Err(Error::new(
            ErrorKind::Empty,
            "the file has no articles",
        )));
    }
    out
}

/// Parses one JSONL line (1-based `number`) into an article; a line without
/// `id` gets `<id_base>/<number>`.
pub fn parse_jsonl_line(line: &str, number: usize, id_base: &str, rel: &str) -> Result<Article> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| Error::new(ErrorKind::Json, "not a JSON object").with_source(e))?;
    let Value::Object(object) = value else {
        return Err(Error::new(ErrorKind::Json, "the line is not a JSON object"));
    };
    let mut meta = Meta::new();
    let mut text = None;
    for (key, value) in object {
        let value = match value {
            Value::String(s) => s,
            Value::Null => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => other.to_string(),
        };
        if key == "text" {
            text = Some(value);
        } else {
            meta.insert(key, value);
        }
    }
    let text =
        text.ok_or_else(|| Error::new(ErrorKind::Json, "the object has no `text` string"))?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => normalize_newlines(rest),
        None => normalize_newlines_owned(text),
    };
    if text.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::Empty,
            "the article's `text` is empty",
        ));
    }
    let mut article = Article {
        id: String::new(),
        source_file: rel.to_string(),
        text,
        ..Article::default()
    };
    apply_meta(&mut article, meta);
    if article.id.is_empty() {
        article.id = format!("{id_base}/{number}");
    }
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_lines() {
        let input = b"{\"id\":\"a\",\"title\":\"T\",\"text\":\"One.\\r\\nTwo.\"}\n\nnot json\n{\"title\":\"no text\"}\n{\"text\":\"Three.\",\"tags\":[1]}\n";
        let out = parse_jsonl(input, "batch", "batch.jsonl");
        assert_eq!(out.len(), 4);
        let a = out[0].as_ref().unwrap();
        assert_eq!(
            (a.id.as_str(), a.title.as_str(), a.text.as_str()),
            ("a", "T", "One.\nTwo.")
        );
        assert_eq!(out[1].as_ref().unwrap_err().line(), Some(3));
        assert_eq!(out[2].as_ref().unwrap_err().line(), Some(4));
        let d = out[3].as_ref().unwrap();
        assert_eq!(d.id, "batch/5");
        assert_eq!(d.extra.get("tags").map(String::as_str), Some("[1]"));
    }
}
