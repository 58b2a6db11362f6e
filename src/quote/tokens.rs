//! Word and punctuation tokens of a sentence, marked when inside a quotation.

use compact_str::CompactString;

use crate::lexicon::Lexicons;
use crate::model::{Quote, Span};

/// A word (letters, digits, inner `'`, `-`, `.`, `&`) or one punctuation mark.
#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    pub word: bool,
    /// A word that starts with a capital letter.
    pub cap: bool,
    /// Inside a quotation, marks included.
    pub in_quote: bool,
    /// The text, lowercased, without a possessive `'s` (inline, no heap
    /// allocation for ordinary words).
    pub lower: CompactString,
    /// Which lexicons have an entry starting with this word
    /// ([`Lexicons::first_mask`]).
    pub mask: u64,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.of(text)
    }

    /// Whether the token is a word that starts with a capital letter.
    pub fn capitalized(&self) -> bool {
        self.cap
    }

    pub fn is(&self, lower: &str) -> bool {
        self.lower == lower
    }
}

/// `word` in lower case, without a heap allocation for short words.
#[inline]
fn lowercase(word: &str) -> CompactString {
    if word.is_ascii() {
        let mut out = CompactString::from(word);
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            out.make_ascii_lowercase();
        }
        out
    } else {
        CompactString::from(crate::lexicon::lower(word))
    }
}

/// The char at byte offset `at` of `s`, if any (ASCII without decoding).
#[inline]
fn char_at(s: &str, at: usize) -> Option<char> {
    match s.as_bytes().get(at) {
        None => None,
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => s.get(at..).and_then(|rest| rest.chars().next()),
    }
}

/// `char::is_alphanumeric`, answering for ASCII and for the General
/// Punctuation block (curly quotes, dashes, ellipses: no letters or digits
/// there) without the Unicode tables.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{2000}'..='\u{206F}').contains(&c) {
        false
    } else {
        c.is_alphanumeric()
    }
}

/// Where the word starting at byte `b` of `s` (a letter or digit) ends:
/// letters and digits, joined by `'`, `’`, `-`, `.`, `&` or a non-breaking
/// hyphen when a letter or digit follows.
#[inline]
fn word_end(s: &str, b: usize) -> usize {
    let bytes = s.as_bytes();
    let mut end = b;
    loop {
        // ASCII letters and digits without decoding.
        while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            end += 1;
        }
        let Some(cj) = char_at(s, end) else { break };
        if is_alphanumeric(cj) {
            end += cj.len_utf8();
            continue;
        }
        if matches!(cj, '\'' | '’' | '-' | '.' | '&' | '\u{2011}') {
            let after = end + cj.len_utf8();
            if let Some(n) = char_at(s, after).filter(|&n| is_alphanumeric(n)) {
                end = after + n.len_utf8();
                continue;
            }
        }
        break;
    }
    end
}

/// Tokenizes `span` of `text`.
pub fn tokenize(text: &str, span: Span, quotes: &[Quote], lex: &Lexicons) -> Vec<Token> {
    let s = span.of(text);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    // Quotes are sorted and do not overlap, and tokens come in order: a cursor
    // moves over the quotes that end before the current token.
    let mut q = quotes.partition_point(|q| q.outer.end <= span.start);
    let mut in_quote = |at: usize| {
        while quotes.get(q).is_some_and(|quote| quote.outer.end <= at) {
            q += 1;
        }
        quotes.get(q).is_some_and(|quote| quote.outer.start <= at)
    };
    let mut b = 0;
    while b < bytes.len() {
        // ASCII spaces, the most common byte, first.
        if matches!(bytes[b], b' ' | b'\t'..=b'\r') {
            b += 1;
            continue;
        }
        let Some(c) = char_at(s, b) else { break };
        if c.is_whitespace() {
            b += c.len_utf8();
            continue;
        }
        let abs = span.start + b;
        if is_alphanumeric(c) {
            let mut end = word_end(s, b + c.len_utf8());
            // Keep the period of an abbreviation or initial (`Sen.`, `J.`, `U.S.`).
            if bytes.get(end) == Some(&b'.') {
                let word = &s[b..end];
                let initial = c.is_uppercase() && end == b + c.len_utf8();
                if initial || word.contains('.') || lex.abbreviation(word).is_some() {
                    end += 1;
                }
            }
            let word = &s[b..end];
            let bare = word
                .strip_suffix("'s")
                .or_else(|| word.strip_suffix("’s"))
                .unwrap_or(word);
            let lower = lowercase(bare);
            out.push(Token {
                span: Span::new(abs, span.start + end),
                word: true,
                cap: c.is_uppercase(),
                in_quote: in_quote(abs),
                mask: lex.first_mask(&lower),
                lower,
            });
            b = end;
        } else {
            let mut buf = [0u8; 4];
            out.push(Token {
                span: Span::new(abs, abs + c.len_utf8()),
                word: false,
                cap: false,
                in_quote: in_quote(abs),
                mask: 0,
                lower: CompactString::from(&*c.encode_utf8(&mut buf)),
            });
            b += c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_abbreviations_and_marks() {
        let lex = Lexicons::builtin();
        let text = "“Go,” Sen. J. Núñez-Ruiz of the U.S. DHS's office said.";
        let quotes = crate::quote::find_quotes(text, &crate::segment::paragraphs(text));
        let toks = tokenize(text, Span::new(0, text.len()), &quotes, &lex);
        let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
        assert_eq!(
            words,
            [
                "“",
                "Go",
                ",",
                "”",
                "Sen.",
                "J.",
                "Núñez-Ruiz",
                "of",
                "the",
                "U.S.",
                "DHS's",
                "office",
                "said",
                "."
            ]
        );
        assert!(toks[1].in_quote && toks[3].in_quote && !toks[4].in_quote);
        assert_eq!(toks[10].lower, "dhs");
    }
}
