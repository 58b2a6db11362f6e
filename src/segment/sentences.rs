//! Sentence boundaries inside one paragraph.
//!
//! A boundary is a run of `.`, `!`, `?` or `…`, with any closing quotation
//! marks and brackets after it, followed by white space. It is not a boundary
//! after an abbreviation or an initial (`Dr.`, `J.R.`), after a period-final
//! abbreviation (`Inc.`, `p.m.`) unless a usual sentence starter follows, before
//! a lowercase word, or after a quoted `?`/`!` that its attribution follows
//! (`"Why now?" she asked.`). Linear in the paragraph's length.

use crate::lexicon::{AbbrevClass, Lexicons};
use crate::model::Span;

const OPENERS: &[char] = &['"', '“', '‘', '\'', '(', '[', '«', '*', '_', '—', '–', '-'];

/// Splits the paragraph `span` of `text` into sentence spans.
pub fn split_sentences(text: &str, span: Span, lex: &Lexicons) -> Vec<Span> {
    let mut out = Vec::new();
    split_sentences_into(text, span, lex, &mut out);
    out
}

/// [`split_sentences`], appending to `out`: a caller splitting many
/// paragraphs reuses one vector.
///
/// Works on bytes: closing and opening marks and white space are told by
/// their UTF-8 bytes, and the word after a candidate boundary is only cut
/// out when a lexicon lookup needs it.
pub(super) fn split_sentences_into(text: &str, span: Span, lex: &Lexicons, out: &mut Vec<Span>) {
    let terminators = Terminators::new(span.of(text).as_bytes());
    split(text, span, lex, terminators, false, out);
}

/// [`split_sentences_into`] for the paragraphs of a text taken in order,
/// `ellipses` made for the text and kept from one paragraph to the next:
/// the text is searched for `…` about once rather than every paragraph.
///
/// `span` must be trimmed of white space (as paragraphs are): then so is the
/// last sentence, from the paragraph's start or a character after white
/// space that is not white space, to the paragraph's end.
pub(super) fn split_sentences_in(
    text: &str,
    span: Span,
    lex: &Lexicons,
    ellipses: &mut Ellipses,
    out: &mut Vec<Span>,
) {
    let ellipsis = ellipses
        .first_from(text.as_bytes(), span.start)
        .filter(|&at| at < span.end);
    let terminators = Terminators {
        bytes: span.of(text).as_bytes(),
        ellipsis: ellipsis.map(|at| at - span.start),
    };
    split(text, span, lex, terminators, true, out);
}

/// The first `…` of a text at or after an offset, asked for offsets that
/// never go back: the text is searched about once.
pub(super) struct Ellipses {
    /// The first `…` at or after the last offset asked for, if any.
    at: Option<usize>,
}

impl Ellipses {
    pub(super) fn new(text: &str) -> Self {
        Ellipses {
            at: find_ellipsis(text.as_bytes(), 0),
        }
    }

    /// The byte offset of the first `…` in `bytes[from..]`, `bytes` being
    /// the text's.
    fn first_from(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if self.at.is_some_and(|at| at < from) {
            self.at = find_ellipsis(bytes, from);
        }
        self.at
    }
}

/// The sentences of the paragraph `span` of `text`, its terminators found by
/// `terminators`. `trimmed` tells that `span` has no white space at either
/// end, and so neither has the last sentence.
fn split(
    text: &str,
    span: Span,
    lex: &Lexicons,
    mut terminators: Terminators,
    trimmed: bool,
    out: &mut Vec<Span>,
) {
    let para = span.of(text);
    let bytes = para.as_bytes();
    let mut start = 0; // byte offset in para of the current sentence
    let mut i = 0; // byte offset in para
    while let Some(run_start) = terminators.next_from(i) {
        // The run of terminators.
        i = run_start;
        while let Some(len) = terminator_len(bytes, i) {
            i += len;
        }
        let run = &bytes[run_start..i];
        let mut closed_quote = false;
        while let Some((len, quote)) = closer_at(bytes, i) {
            closed_quote |= quote;
            i += len;
        }
        let end = i;
        if end >= bytes.len() {
            break; // the paragraph's end closes the sentence anyway
        }
        let Some(len) = space_len(bytes, i) else {
            continue;
        };
        // The next word, past white space and opening marks.
        let mut j = i + len;
        while let Some(len) = space_len(bytes, j) {
            j += len;
        }
        if j >= bytes.len() {
            break;
        }
        let next_start = j;
        let mut k = j;
        while let Some(len) = opener_len(bytes, k) {
            k += len;
        }
        let next = Next::new(&para[k..]);

        let boundary = if run == b"." {
            period_boundary(word_before(para, run_start), &next, lex)
        } else if !run.iter().any(|&b| b == b'?' || b == b'!') {
            // An ellipsis ends a sentence only before a capital.
            next.is_upper()
        } else if next.is_lower() {
            false
        } else if closed_quote {
            !attribution_follows(&para[next_start..], lex)
        } else {
            true
        };
        if boundary {
            out.push(Span::new(span.start + start, span.start + end));
            start = next_start;
        }
    }
    if start < para.len() {
        let rest = Span::new(span.start + start, span.end);
        if trimmed {
            debug_assert_eq!(crate::segment::trim(text, rest), rest);
            out.push(rest);
        } else {
            let rest = crate::segment::trim(text, rest);
            if !rest.is_empty() {
                out.push(rest);
            }
        }
    }
}

/// The length of the closing mark (`"`, `”`, `’`, `'`, `)`, `]`, `»`, `*`
/// or `_`) at byte `i` of `bytes`, if one is there, and whether it is a
/// quotation mark (`"`, `”`, `’`, `'`). Told by its bytes: `”` is E2 80 9D,
/// `’` E2 80 99, `»` C2 BB.
fn closer_at(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    match *bytes.get(i)? {
        b'"' | b'\'' => Some((1, true)),
        b')' | b']' | b'*' | b'_' => Some((1, false)),
        0xE2 => match bytes.get(i + 1..i + 3)? {
            [0x80, 0x9D | 0x99] => Some((3, true)),
            _ => None,
        },
        0xC2 => (bytes.get(i + 1) == Some(&0xBB)).then_some((2, false)),
        _ => None,
    }
}

/// The length of the opening mark (one of [`OPENERS`]) at byte `i` of
/// `bytes`, if one is there. Told by its bytes: `“` is E2 80 9C, `‘`
/// E2 80 98, `—` E2 80 94, `–` E2 80 93, `«` C2 AB.
fn opener_len(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b'"' | b'\'' | b'(' | b'[' | b'*' | b'_' | b'-' => Some(1),
        0xE2 => match bytes.get(i + 1..i + 3)? {
            [0x80, 0x9C | 0x98 | 0x94 | 0x93] => Some(3),
            _ => None,
        },
        0xC2 => (bytes.get(i + 1) == Some(&0xAB)).then_some(2),
        _ => None,
    }
}

/// The length of the white-space character at byte `i` of `bytes` (which
/// starts a character), if one is there.
fn space_len(bytes: &[u8], i: usize) -> Option<usize> {
    match *bytes.get(i)? {
        b' ' | b'\t'..=b'\r' => Some(1),
        0xC2 | 0xE1..=0xE3 => match super::wide_space_at(bytes, i) {
            (true, len) => Some(len),
            (false, _) => None,
        },
        _ => None,
    }
}

/// The terminators (`.`, `!`, `?`, `…`) of a paragraph, looked for front
/// to back. `memchr3` finds the one-byte ones; the next `…` is remembered,
/// so that the paragraph is searched for it about once.
struct Terminators<'a> {
    bytes: &'a [u8],
    /// The first `…` at or after the last offset searched from, if any.
    ellipsis: Option<usize>,
}

impl<'a> Terminators<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Terminators {
            bytes,
            ellipsis: find_ellipsis(bytes, 0),
        }
    }

    /// The byte offset of the first terminator in `bytes[from..]`; `from`
    /// must be at least the last one asked for.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        if self.ellipsis.is_some_and(|at| at < from) {
            self.ellipsis = find_ellipsis(self.bytes, from);
        }
        let mark = memchr::memchr3(b'.', b'!', b'?', &self.bytes[from..]).map(|i| from + i);
        match (mark, self.ellipsis) {
            (Some(mark), Some(ellipsis)) => Some(mark.min(ellipsis)),
            (mark, ellipsis) => mark.or(ellipsis),
        }
    }
}

/// The byte offset of the first `…` in `bytes[from..]`, found by its last
/// byte, which few other characters have.
fn find_ellipsis(bytes: &[u8], from: usize) -> Option<usize> {
    let last = ELLIPSIS.len() - 1;
    memchr::memchr_iter(ELLIPSIS[last], &bytes[from..])
        .map(|i| from + i)
        .find(|&i| i >= from + last && bytes[i - last..=i] == *ELLIPSIS)
        .map(|i| i - last)
}

/// `…` in UTF-8.
const ELLIPSIS: &[u8] = "…".as_bytes();

/// The length in bytes of the terminator (`.`, `!`, `?` or `…`) at byte `i`
/// of `bytes`, if one is there.
fn terminator_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'.' | b'!' | b'?' => Some(1),
        _ if bytes[i..].starts_with(ELLIPSIS) => Some(ELLIPSIS.len()),
        _ => None,
    }
}

/// The text after a candidate boundary, past any opening marks, and its
/// first character. Its first word, and lookups in the lexicons, are left
/// to the tests that need them.
struct Next<'a> {
    rest: &'a str,
    first: Option<char>,
}

impl<'a> Next<'a> {
    fn new(rest: &'a str) -> Self {
        let first = match rest.as_bytes().first() {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            _ => rest.chars().next(),
        };
        Next { rest, first }
    }

    /// The word: letters, digits and apostrophes.
    fn word(&self) -> &'a str {
        let len = self
            .rest
            .find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .unwrap_or(self.rest.len());
        &self.rest[..len]
    }

    fn is_lower(&self) -> bool {
        self.first.is_some_and(char::is_lowercase)
    }

    fn is_upper(&self) -> bool {
        self.first.is_some_and(char::is_uppercase)
    }

    /// Whether the word usually starts a sentence (`The`, `He`).
    fn is_starter(&self, lex: &Lexicons) -> bool {
        lex.sentence_starters.contains(self.word())
    }
}

/// The word before a period: back to white space or an opening mark other
/// than `-`. Decodes only non-ASCII characters.
fn word_before(para: &str, period_at: usize) -> &str {
    let head = &para[..period_at];
    let bytes = head.as_bytes();
    let mut from = head.len();
    while from > 0 {
        let b = bytes[from - 1];
        let (stop, len) = if b.is_ascii() {
            let stop = matches!(
                b,
                b' ' | b'\t'..=b'\r' | b'"' | b'\'' | b'(' | b'[' | b'*' | b'_'
            );
            (stop, 1)
        } else {
            let c = head[..from].chars().next_back().unwrap_or_default();
            (c.is_whitespace() || OPENERS.contains(&c), c.len_utf8())
        };
        if stop {
            break;
        }
        from -= len;
    }
    &head[from..]
}

/// Whether a lone `.` after the word `before` ends a sentence, `next` being
/// the word after it.
fn period_boundary(before: &str, next: &Next, lex: &Lexicons) -> bool {
    if before.is_empty() {
        return !next.is_lower();
    }
    // A lone capital is an initial (J. Martin), unless a sentence starter follows.
    let mut chars = before.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return next.is_starter(lex);
        }
    }
    // `at 7:30 a.m. Firefighters ...`: a clock time ends a sentence before a
    // capital, unless a day, month or time zone follows (`5 p.m. Monday`).
    if before.eq_ignore_ascii_case("a.m") || before.eq_ignore_ascii_case("p.m") {
        return next.is_upper() && !lex.time_words.contains(next.word());
    }
    match lex.abbreviation(before) {
        Some(AbbrevClass::Title) => {
            // A title before a number or name never ends a sentence.
            return false;
        }
        Some(AbbrevClass::Final) => return next.is_starter(lex),
        None => {}
    }
    // Dotted initials or acronyms (J.R, U.S.A, a.m).
    if before.bytes().any(|b| b == b'.')
        && before.split('.').all(|part| {
            !part.is_empty() && part.chars().count() <= 2 && part.chars().all(char::is_alphabetic)
        })
    {
        return next.is_starter(lex);
    }
    !next.is_lower() && next.first.is_some()
}

/// Whether the text after a quoted `?` or `!` is its attribution: a short run
/// up to the next sentence end that holds a cue (`she asked.`, `said Ruiz.`).
fn attribution_follows(rest: &str, lex: &Lexicons) -> bool {
    let clause_end = rest
        .find(['.', '!', '?', '"', '“', '”'])
        .unwrap_or(rest.len());
    let clause = &rest[..clause_end];
    let words: Vec<&str> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    words.len() <= 8 && words.iter().any(|w| lex.cue_verbs.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marks that may close a sentence after its terminators.
    const CLOSERS: &[char] = &['"', '”', '’', '\'', ')', ']', '»', '*', '_'];

    fn split(text: &str) -> Vec<&str> {
        let lex = Lexicons::builtin();
        split_sentences(text, Span::new(0, text.len()), &lex)
            .iter()
            .map(|s| s.of(text))
            .collect()
    }

    /// Paragraphs with ASCII and multibyte text, CRLF, terminators at the
    /// edges and characters that share `…`'s first byte (`—`, `“`, `’`).
    const VARIED: &[&str] = &[
        "",
        ".",
        "…",
        "a…b?!",
        "No end",
        "Dr. J.R. Ruiz (Ph.D.) left at 5 p.m. Monday… “Why?” she asked.",
        "Zoë “ça va.” — the café – closed… ’Twas 🎉. «Fin.» (x.)",
        "line one.\r\nline two!\r\n\r\n“line three?”\r\n",
        "\u{a0}end.\u{2003}Start\u{3000}.\t-x.\u{2014}y.",
        "no terminator here but — dashes – and “quotes” ‘too’",
        "x\u{a6}y\u{126}. \u{a6}\u{2026}\u{1a6}!",
    ];

    /// The splitter as first written, character by character: what
    /// [`split_sentences_into`] must give.
    fn split_by_chars(text: &str, span: Span, lex: &Lexicons) -> Vec<Span> {
        let mut out = Vec::new();
        let para = span.of(text);
        let at = |b: usize| para.get(b..).and_then(|rest| rest.chars().next());
        let (mut start, mut i) = (0, 0);
        while let Some(run_start) = para[i..].find(['.', '!', '?', '…']).map(|f| i + f) {
            i = run_start;
            while let Some(c) = at(i).filter(|c| matches!(c, '.' | '!' | '?' | '…')) {
                i += c.len_utf8();
            }
            let run = &para[run_start..i];
            let mut closed_quote = false;
            while let Some(c) = at(i).filter(|c| CLOSERS.contains(c)) {
                closed_quote |= matches!(c, '"' | '”' | '’' | '\'');
                i += c.len_utf8();
            }
            let end = i;
            let Some(after) = at(i) else {
                break;
            };
            if !after.is_whitespace() {
                continue;
            }
            let mut j = i;
            while let Some(c) = at(j).filter(|c| c.is_whitespace()) {
                j += c.len_utf8();
            }
            if j >= para.len() {
                break;
            }
            let next_start = j;
            let mut k = j;
            while let Some(c) = at(k).filter(|c| OPENERS.contains(c)) {
                k += c.len_utf8();
            }
            let next = Next {
                rest: &para[k..],
                first: at(k),
            };
            let boundary = if run == "." {
                period_boundary(word_before(para, run_start), &next, lex)
            } else if run.chars().all(|c| c == '.' || c == '…') {
                next.first.is_some_and(char::is_uppercase)
            } else if next.is_lower() {
                false
            } else if closed_quote && run.contains(['?', '!']) {
                !attribution_follows(&para[next_start..], lex)
            } else {
                true
            };
            if boundary {
                out.push(Span::new(span.start + start, span.start + end));
                start = next_start;
            }
        }
        if start < para.len() {
            let rest = crate::segment::trim(text, Span::new(span.start + start, span.end));
            if !rest.is_empty() {
                out.push(rest);
            }
        }
        out
    }

    #[test]
    fn split_matches_the_split_by_characters() {
        let lex = Lexicons::builtin();
        let pieces = [
            "a", "Word", "the", "The", "Dr", "Inc", "p.m", "J", "U.S", " ", "  ", "\n", "\t",
            "\r\n", ".", "!", "?", "…", "...", "\"", "'", "”", "’", "“", "‘", ")", "(", "]", "[",
            "»", "«", "*", "_", "—", "–", "-", "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}",
            "\u{2028}", "Zoë", "É", "é", "🎉", "said", "asked", "Monday", "x\u{a6}", "\u{bb}",
            "\u{ab}", "\u{1680}", "\u{80}", "\u{2009}",
        ];
        let mut texts = crate::testing::pieced(&pieces, 6000, 40);
        texts.extend(VARIED.iter().map(|t| t.to_string()));
        for text in &texts {
            let span = Span::new(0, text.len());
            let got = split_sentences(text, span, &lex);
            assert_eq!(got, split_by_chars(text, span, &lex), "{text:?}");
        }
    }

    #[test]
    fn paragraphs_split_in_order_as_one_by_one() {
        let lex = Lexicons::builtin();
        let pieces = [
            "a",
            "Word",
            " ",
            "\n\n",
            "\n",
            ". ",
            "…",
            "… ",
            "...",
            "! ",
            "x\u{a6}",
            "“",
            "The",
            "\t",
            "\u{a0}",
            ".\u{2003}",
            "\u{3000}",
            "é",
            "”",
        ];
        let mut ellipses_seen = 0;
        for text in crate::testing::pieced(&pieces, 4000, 40) {
            let mut ellipses = Ellipses::new(&text);
            for para in crate::segment::paragraphs(&text) {
                let mut got = Vec::new();
                split_sentences_in(&text, para.span, &lex, &mut ellipses, &mut got);
                assert_eq!(got, split_sentences(&text, para.span, &lex), "{text:?}");
                ellipses_seen += usize::from(para.span.of(&text).contains('…'));
            }
        }
        assert!(ellipses_seen > 100, "{ellipses_seen}");
    }

    #[test]
    fn marks_and_spaces_are_told_as_by_characters() {
        for c in (0..=0x3000).filter_map(char::from_u32) {
            for tail in ["", "x", " "] {
                let text = format!("{c}{tail}");
                let bytes = text.as_bytes();
                let len = c.len_utf8();
                assert_eq!(
                    closer_at(bytes, 0),
                    CLOSERS
                        .contains(&c)
                        .then_some((len, matches!(c, '"' | '”' | '’' | '\''))),
                    "{c:?}"
                );
                assert_eq!(
                    opener_len(bytes, 0),
                    OPENERS.contains(&c).then_some(len),
                    "{c:?}"
                );
                assert_eq!(
                    space_len(bytes, 0),
                    c.is_whitespace().then_some(len),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn terminators_are_found_as_str_find_finds_them() {
        for text in VARIED {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            // Every offset in order, and every other one from each start.
            for first in 0..boundaries.len().min(3) {
                let mut terminators = Terminators::new(text.as_bytes());
                for &from in boundaries.iter().skip(first).step_by(first + 1) {
                    let simple = text[from..].find(['.', '!', '?', '…']).map(|i| from + i);
                    assert_eq!(terminators.next_from(from), simple, "{text:?} {from}");
                }
            }
        }
    }

    #[test]
    fn word_before_matches_a_search_by_characters() {
        let simple = |para: &str, period_at: usize| -> usize {
            para[..period_at]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace() || OPENERS.contains(c) && *c != '-')
                .map_or(0, |(i, c)| i + c.len_utf8())
        };
        for text in VARIED {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let word = word_before(text, at);
                assert_eq!(&text[simple(text, at)..at], word, "{text:?} {at}");
            }
        }
    }

    #[test]
    fn abbreviations_initials_and_numbers() {
        assert_eq!(
            split("Sen. J.R. Martin of the U.S. Senate met Dr. Ruiz at 5 p.m. Monday. It cost $4.5 million, up 3.2%. Next."),
            [
                "Sen. J.R. Martin of the U.S. Senate met Dr. Ruiz at 5 p.m. Monday.",
                "It cost $4.5 million, up 3.2%.",
                "Next."
            ]
        );
        assert_eq!(
            split(
                "The meeting ended at 5 p.m. The mayor left. He moved to the U.S. In May he spoke."
            ),
            [
                "The meeting ended at 5 p.m.",
                "The mayor left.",
                "He moved to the U.S.",
                "In May he spoke."
            ]
        );
        assert_eq!(
            split("Acme Inc. said profits rose. Lt. Col. Ann Lee, Ph.D., agreed. No. 5 won."),
            [
                "Acme Inc. said profits rose.",
                "Lt. Col. Ann Lee, Ph.D., agreed.",
                "No. 5 won."
            ]
        );
    }

    #[test]
    fn quotes_questions_and_ellipses() {
        assert_eq!(
            split("\"Why now?\" she asked. \"It is safe.\" He left! “Go,” said Ruiz… Then quiet... and more."),
            ["\"Why now?\" she asked.", "\"It is safe.\"", "He left!", "“Go,” said Ruiz…", "Then quiet... and more."]
        );
        assert_eq!(
            split("“Who will pay?” Mayor Ana Ruiz asked on Monday. Nobody answered."),
            [
                "“Who will pay?” Mayor Ana Ruiz asked on Monday.",
                "Nobody answered."
            ]
        );
        assert_eq!(split("Really? Yes."), ["Really?", "Yes."]);
        assert_eq!(
            split("'We are praying.' (He left.) Done."),
            ["'We are praying.'", "(He left.)", "Done."]
        );
    }

    #[test]
    fn multibyte_text() {
        assert_eq!(
            split("Zoë Núñez said “ça va.” The café — closed — reopened 🎉. Fin."),
            [
                "Zoë Núñez said “ça va.”",
                "The café — closed — reopened 🎉.",
                "Fin."
            ]
        );
    }
}
