//! Plain text and Markdown: decoding, newline normalisation, front matter.

use std::borrow::Cow;

use indexmap::IndexMap;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;

/// Bytes to text: rejects binary data and invalid UTF-8, drops a BOM.
pub fn decode(bytes: &[u8]) -> Result<&str> {
    if memchr::memchr(0, bytes).is_some() {
        return Err(Error::new(
            ErrorKind::Binary,
            "the file contains NUL bytes; it is not a text article",
        ));
    }
    let text = utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Encoding,
            format!(
                "byte {} is not valid UTF-8 (re-encode the file as UTF-8)",
                e.valid_up_to()
            ),
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// `bytes` as text if they are UTF-8: checked 32 bytes at a time where the
/// processor can (`simdutf8`), which is many times faster than the standard
/// check; the standard check is run again only on invalid bytes, for where
/// they are.
pub(crate) fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// `\r\n` and lone `\r` become `\n`; nothing else changes.
pub fn normalize_newlines(text: &str) -> String {
    newlines_normalized(text).into_owned()
}

/// [`normalize_newlines`] for a string already owned: given back as it is
/// when it has no `\r`.
pub(crate) fn normalize_newlines_owned(text: String) -> String {
    match newlines_normalized(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(normalized) => normalized,
    }
}

/// [`normalize_newlines`], borrowing `text` when it has no `\r` (most
/// files). The text between two `\r` is copied whole.
fn newlines_normalized(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'\r', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut cr = first;
    loop {
        // `\r` is ASCII, so `cr` and `cr + 1` are character boundaries.
        out.push_str(&rest[..cr]);
        out.push('\n');
        let after = &rest[cr + 1..];
        rest = after.strip_prefix('\n').unwrap_or(after);
        match memchr::memchr(b'\r', rest.as_bytes()) {
            Some(next) => cr = next,
            None => break,
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Metadata from a front matter block.
pub(crate) type Meta = IndexMap<String, String>;

/// Splits `---` front matter from the body. Returns the metadata and the body;
/// text without a well-formed block is all body.
pub(crate) fn split_front_matter(text: &str) -> (Meta, &str) {
    let mut meta = Meta::new();
    let Some(rest) = text.strip_prefix("---\n") else {
        return (meta, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content == "---" {
            let body = &rest[offset + line.len()..];
            return (meta, body);
        }
        offset += line.len();
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            // Not a front matter block after all (a Markdown rule, say).
            return (Meta::new(), text);
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return (Meta::new(), text);
        }
        meta.insert(key.to_string(), unquote(value.trim()).to_string());
    }
    (Meta::new(), text)
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Fills an article's metadata fields from `meta`; unknown keys go to `extra`.
pub(crate) fn apply_meta(article: &mut Article, meta: Meta) {
    for (key, value) in meta {
        match key.as_str() {
            "id" => {
                if !value.is_empty() {
                    article.id = value
                }
            }
            "title" => article.title = value,
            "outlet" => article.outlet = value,
            "published" => article.published = value,
            "url" => article.url = value,
            "byline" => article.byline = value,
            _ => {
                article.extra.insert(key, value);
            }
        }
    }
}

/// A `.txt` or `.md` file's bytes as an article.
pub fn parse_text(bytes: &[u8], id: &str, rel: &str) -> Result<Article> {
    let text = newlines_normalized(decode(bytes)?);
    let (meta, body) = split_front_matter(&text);
    if body.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty, "the file has no body text"));
    }
    let mut article = Article {
        id: id.to_string(),
        source_file: rel.to_string(),
        text: body.to_string(),
        ..Article::default()
    };
    apply_meta(&mut article, meta);
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain character-by-character version of [`normalize_newlines`].
    fn normalize_newlines_by_char(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn utf8_agrees_with_the_standard_check() {
        let valid = "plain ASCII text, then “curly” Núñez 🎉 and 中文 ".repeat(5);
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new(), valid.clone().into_bytes()];
        // Invalid bytes at every position of a text longer than one SIMD
        // block: a lone continuation byte, a cut multi-byte char, 0xFF.
        for at in 0..valid.len() {
            for bad in [0x80u8, 0xE2, 0xFF] {
                let mut bytes = valid.clone().into_bytes();
                bytes[at] = bad;
                inputs.push(bytes);
            }
            inputs.push(valid.as_bytes()[..at].to_vec());
        }
        for bytes in &inputs {
            let ours = utf8(bytes).map_err(|e| e.valid_up_to());
            let std = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to());
            assert_eq!(ours, std, "{bytes:?}");
        }
    }

    #[test]
    fn newlines_normalize_as_char_by_char() {
        let texts = [
            "",
            "\r",
            "\n",
            "\r\n",
            "\n\r",
            "\r\r\n\n\r",
            "no carriage return, “curly” Núñez 🎉\n",
            "a\r\nb\rc\n\rd\r",
            "\r\n“Curly”\r\r\n— dash\r東京",
            "\u{feff}BOM kept\r\n",
        ];
        for text in texts {
            let expected = normalize_newlines_by_char(text);
            assert_eq!(normalize_newlines(text), expected, "{text:?}");
            assert_eq!(normalize_newlines_owned(text.to_string()), expected);
        }
    }

    #[test]
    fn bom_crlf_and_front_matter() {
        let bytes = "\u{feff}---\r\nid: x1\r\ntitle: \"A title\"\r\nsection: city\r\n---\r\nBody one.\r\rBody two.\r\n".as_bytes();
        let a = parse_text(bytes, "path/id", "path/id.txt").unwrap();
        assert_eq!(a.id, "x1");
        assert_eq!(a.title, "A title");
        assert_eq!(a.extra.get("section").map(String::as_str), Some("city"));
        assert_eq!(a.text, "Body one.\n\nBody two.\n");
        assert_eq!(a.source_file, "path/id.txt");
    }

    #[test]
    fn an_unclosed_block_is_body() {
        let a = parse_text(b"---\nnot: closed\nBody.", "i", "i.txt").unwrap();
        assert_eq!(a.text, "---\nnot: closed\nBody.");
        assert!(a.title.is_empty());
    }

    #[test]
    fn binary_invalid_and_empty_are_errors() {
        assert_eq!(
            parse_text(b"ab\0cd", "i", "").unwrap_err().kind(),
            ErrorKind::Binary
        );
        let err = parse_text(b"caf\xe9", "i", "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encoding);
        assert!(err.to_string().contains("byte 3"));
        assert_eq!(
            parse_text(b"---\nid: a\n---\n  \n", "i", "")
                .unwrap_err()
                .kind(),
            ErrorKind::Empty
        );
    }

    #[test]
    fn body_is_otherwise_unchanged() {
        let a = parse_text("  “Curly” — quotes…  \n".as_bytes(), "i", "").unwrap();
        assert_eq!(a.text, "  “Curly” — quotes…  \n");
    }
}
