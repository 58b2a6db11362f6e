//! Quotation spans: pairs of quotation marks in each paragraph, and chains of
//! quotes that continue a quotation over several paragraphs.
//!
//! Double marks (`"`, `“ ”`) make quotes; single marks (`'`, `‘ ’`) make a
//! quote only outside a double quote (a nested quote is part of its outer one)
//! and only where they cannot be an apostrophe. A paragraph that ends inside a
//! quote continues it into the next paragraph when that one opens with a mark.

use crate::model::{Paragraph, Quote, Span};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Double,
    Single,
}

/// Finds the quotes of every paragraph, in text order.
pub fn find_quotes(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut chain = 0;
    let mut open_chain: Option<usize> = None; // chain left open by the previous paragraph
    for paragraph in paragraphs {
        let first = quotes.len();
        let left_open = paragraph_quotes(text, paragraph.span, &mut quotes);
        let mut next_open = None;
        for (n, q) in quotes[first..].iter_mut().enumerate() {
            let continues = n == 0 && open_chain.is_some() && q.outer.start == paragraph.span.start;
            q.chain = if continues {
                open_chain.unwrap_or(chain)
            } else {
                chain += 1;
                chain
            };
            if !q.closed {
                next_open = Some(q.chain);
            }
        }
        open_chain = if left_open { next_open } else { None };
    }
    quotes
}

/// The quotes of one paragraph; returns whether the paragraph ends inside one.
fn paragraph_quotes(text: &str, span: Span, out: &mut Vec<Quote>) -> bool {
    let para = span.of(text);
    let mut open: Option<(Mark, usize)> = None; // kind and byte offset of the opening mark
    let mut single_inside = false; // a nested single quote inside a double one
    for (b, c) in quote_marks(para) {
        // The characters around the mark, decoded only for the arms that
        // look at them (not for the curly double marks).
        let prev = || para[..b].chars().next_back();
        let next = || para[b + c.len_utf8()..].chars().next();
        let opener_context = || prev().is_none_or(|p| p.is_whitespace() || opens_after(p));
        let closer_context = || next().is_none_or(|n| !n.is_alphanumeric());
        match (c, open) {
            ('“', None) => open = Some((Mark::Double, b)),
            // A double mark inside a single quote: the single one was an apostrophe.
            ('“', Some((Mark::Single, _))) => open = Some((Mark::Double, b)),
            ('”', Some((Mark::Double, o))) => {
                push(out, span, para, o, b, c);
                open = None;
                single_inside = false;
            }
            ('"', None) if opener_context() || !closer_context() => open = Some((Mark::Double, b)),
            ('"', Some((Mark::Double, o))) => {
                push(out, span, para, o, b, c);
                open = None;
                single_inside = false;
            }
            ('"', Some((Mark::Single, _))) if opener_context() => open = Some((Mark::Double, b)),
            ('‘' | '\'', None)
                if opener_context()
                    && next().is_some_and(|n| n.is_alphabetic() || n == '"' || n == '“') =>
            {
                open = Some((Mark::Single, b))
            }
            ('’' | '\'', Some((Mark::Single, o)))
                if closer_context()
                    && prev().is_some_and(|p| !p.is_whitespace())
                    && !is_plural_possessive(para, b) =>
            {
                push(out, span, para, o, b, c);
                open = None;
            }
            ('‘' | '\'', Some((Mark::Double, _)))
                if opener_context() && next().is_some_and(char::is_alphabetic) =>
            {
                single_inside = true
            }
            ('’' | '\'', Some((Mark::Double, _))) if single_inside && closer_context() => {
                single_inside = false
            }
            _ => {}
        }
    }
    match open {
        Some((Mark::Double, o)) => {
            let end = para.len();
            out.push(Quote {
                outer: Span::new(span.start + o, span.start + end),
                inner: Span::new(span.start + o + mark_len(para, o), span.start + end),
                closed: false,
                chain: 0,
            });
            true
        }
        _ => false,
    }
}

/// The quotation marks of `para` (`"`, `'`, `“`, `”`, `‘`, `’`) with their
/// byte offsets, in order.
///
/// Only the marks matter, so rather than decoding every character the search
/// jumps between the bytes a mark can start with: `"`, `'`, and 0xE2, the
/// first byte of the curly marks (E2 80 98/99/9C/9D); an 0xE2 that starts
/// another character (a dash, an ellipsis) is passed over.
fn quote_marks(para: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = para.as_bytes();
    memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes).filter_map(move |at| {
        let mark = match bytes[at] {
            b'"' => '"',
            b'\'' => '\'',
            _ => match bytes.get(at + 1..at + 3)? {
                [0x80, 0x98] => '‘',
                [0x80, 0x99] => '’',
                [0x80, 0x9C] => '“',
                [0x80, 0x9D] => '”',
                _ => return None,
            },
        };
        Some((at, mark))
    })
}

/// Whether a quotation may open right after `c` (besides whitespace): an
/// opening bracket, a dash, a slash or another quotation mark.
fn opens_after(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '"' | '\''
    )
}

/// `protesters' ire`: an apostrophe after a plural `s` followed by a word.
fn is_plural_possessive(para: &str, at: usize) -> bool {
    para[..at].ends_with('s')
        && para[at..].chars().nth(1).is_some_and(|c| c == ' ')
        && para[at..].chars().nth(2).is_some_and(char::is_lowercase)
}

fn mark_len(para: &str, at: usize) -> usize {
    para[at..].chars().next().map_or(1, char::len_utf8)
}

fn push(out: &mut Vec<Quote>, span: Span, para: &str, open: usize, close: usize, close_char: char) {
    out.push(Quote {
        outer: Span::new(
            span.start + open,
            span.start + close + close_char.len_utf8(),
        ),
        inner: Span::new(span.start + open + mark_len(para, open), span.start + close),
        closed: true,
        chain: 0,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::paragraphs;

    fn quotes(text: &str) -> Vec<(String, bool, usize)> {
        find_quotes(text, &paragraphs(text))
            .iter()
            .map(|q| (q.inner.of(text).to_string(), q.closed, q.chain))
            .collect()
    }

    #[test]
    fn marks_are_found_as_a_character_search_finds_them() {
        let texts = [
            "",
            "no marks at all",
            "\"We will,\" she said. “Not now,” he said — it's ‘fine’… 'ok'",
            "“”‘’\"'",
            "dashes – — and … and € € but no marks",
            "Zoë Núñez said 東京 🎉 “x” at the end’",
            "cut short: \u{2018}",
        ];
        for text in texts {
            let expected: Vec<(usize, char)> = text
                .char_indices()
                .filter(|&(_, c)| ['"', '“', '”', '\'', '‘', '’'].contains(&c))
                .collect();
            let found: Vec<(usize, char)> = quote_marks(text).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn opens_after_is_membership_in_the_listed_characters() {
        let listed = "([{—–-/“‘\"'";
        let mut chars: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        chars.extend(['🙏', '\u{FEFF}', '\u{10FFFF}']);
        for c in chars {
            assert_eq!(opens_after(c), listed.contains(c), "{c:?}");
        }
    }

    #[test]
    fn straight_curly_and_single() {
        let got = quotes("\"We will,\" she said. “Not now,” he said.\n\n'We are praying.' The protesters' ire rose. It's 'fine' now.");
        let inner: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(inner, ["We will,", "Not now,", "We are praying.", "fine"]);
    }

    #[test]
    fn nested_quotes_stay_inside() {
        let got = quotes("“He said ‘no’ twice,” Ruiz said.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "He said ‘no’ twice,");
    }

    #[test]
    fn multi_paragraph_quotes_share_a_chain() {
        let text = "“First part,” Ruiz said. “Second part.\n\n“Third part.”\n\n“New quote.”";
        let got = quotes(text);
        assert_eq!(got.len(), 4);
        assert!(!got[1].1);
        assert_eq!(got[1].2, got[2].2);
        assert_ne!(got[2].2, got[3].2);
        assert_eq!(got[1].0, "Second part.");
    }
}
