//! Segmentation: paragraphs, datelines, then sentences.
//!
//! Takes an article's text; gives paragraph and sentence spans (byte offsets)
//! that never overlap, in order, each trimmed of surrounding whitespace, and a
//! [`SentenceKind`] telling whether a sentence can carry a claim.

mod sentences;

use crate::lexicon::Lexicons;
use crate::model::{Paragraph, Sentence, SentenceKind, Span};

pub use sentences::split_sentences;
use sentences::split_sentences_into;

/// The segmenter's output for one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segmentation {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// The dateline (`SPRINGFIELD, Ill. (AP) —`), which belongs to no sentence.
    pub dateline: Option<Span>,
}

/// Splits `text` into paragraphs and sentences.
pub fn segment(text: &str, lex: &Lexicons) -> Segmentation {
    segment_with(text, lex, true)
}

/// [`segment`], looking for a dateline only when `datelines` is set (a later
/// piece of a long article has none).
pub fn segment_with(text: &str, lex: &Lexicons, datelines: bool) -> Segmentation {
    let mut seg = Segmentation {
        paragraphs: paragraphs(text),
        ..Segmentation::default()
    };
    let mut spans = Vec::new();
    for (index, paragraph) in seg.paragraphs.iter().enumerate() {
        let mut span = paragraph.span;
        if datelines && seg.dateline.is_none() && index < 4 {
            if let Some(dateline) = dateline(text, span) {
                seg.dateline = Some(dateline);
                span.start = skip_space(text, dateline.end);
            }
        }
        let para_text = span.of(text);
        let para_kind = paragraph_kind(para_text, lex);
        let start = seg.sentences.len();
        spans.clear();
        split_sentences_into(text, span, lex, &mut spans);
        for &s in &spans {
            let kind = para_kind.unwrap_or_else(|| sentence_kind(s.of(text), lex));
            seg.sentences.push(Sentence {
                span: s,
                paragraph: index,
                kind,
            });
        }
        // A paragraph of one unpunctuated line is a heading.
        if seg.sentences.len() == start + 1 && para_kind.is_none() {
            let only = &mut seg.sentences[start];
            if only.kind == SentenceKind::Statement && is_heading(only.span.of(text)) {
                only.kind = SentenceKind::Heading;
            }
        }
    }
    seg
}

/// The offset in `bytes` of the first byte equal to one of `needles`.
/// Compares eight bytes at a time: for text, where the bytes looked for are
/// sparse, several times fewer steps than a byte-by-byte search.
fn find_byte<const N: usize>(bytes: &[u8], needles: [u8; N]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // The high bit of each zero byte of `word ^ needle`, and maybe of
        // bytes above one: the lowest set bit is always the first match.
        let mut hits = 0;
        for needle in needles {
            let diff = word ^ (ONES * u64::from(needle));
            hits |= diff.wrapping_sub(ONES) & !diff & HIGHS;
        }
        if hits != 0 {
            return Some(offset + hits.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|b| needles.contains(b))
        .map(|i| offset + i)
}

fn skip_space(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if !c.is_whitespace() {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// Paragraph spans: blocks between blank lines, or lines when the text has no
/// blank line at all. Each span is trimmed of whitespace.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|line| {
                let at = offset;
                offset += line.len();
                (at, line)
            })
            .collect()
    };
    let has_blank_line = lines.iter().any(|(_, l)| l.trim().is_empty());
    let mut out = Vec::new();
    let mut block: Option<Span> = None;
    let close = |block: &mut Option<Span>, out: &mut Vec<Paragraph>| {
        if let Some(span) = block.take() {
            let trimmed = trim(text, span);
            if !trimmed.is_empty() {
                out.push(Paragraph { span: trimmed });
            }
        }
    };
    for (at, line) in lines {
        if line.trim().is_empty() {
            close(&mut block, &mut out);
            continue;
        }
        let end = at + line.len();
        match &mut block {
            Some(span) if has_blank_line => span.end = end,
            _ => {
                close(&mut block, &mut out);
                block = Some(Span::new(at, end));
            }
        }
    }
    close(&mut block, &mut out);
    out
}

/// `span` without leading and trailing whitespace.
pub fn trim(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    Span::new(start, end.max(start))
}

const DASHES: &[&str] = &[" — ", " – ", " -- ", " - ", "—", "–"];

/// A dateline at the start of a paragraph: an upper-case place, an optional
/// region or date after a comma, an optional `(AGENCY)`, then a dash.
pub fn dateline(text: &str, paragraph: Span) -> Option<Span> {
    let s = paragraph.of(text);
    let mut cut = s.len().min(120);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &s[..cut];
    let (dash_at, dash) = DASHES
        .iter()
        .filter_map(|d| window.find(d).map(|i| (i, *d)))
        .min_by_key(|(i, _)| *i)?;
    let prefix = s[..dash_at].trim_end();
    let mut head = prefix;
    if let Some(open) = head.rfind('(') {
        if head.ends_with(')') {
            let agency = &head[open + 1..head.len() - 1];
            if agency.is_empty() || agency.len() > 40 {
                return None;
            }
            head = head[..open].trim_end();
        }
    }
    let (place, region) = match head.split_once(',') {
        Some((place, region)) => (place.trim(), Some(region.trim())),
        None => (head, None),
    };
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return None;
    }
    if !place
        .chars()
        .all(|c| c.is_alphabetic() || " .'-".contains(c))
    {
        return None;
    }
    if let Some(region) = region {
        let words: Vec<&str> = region.split_whitespace().collect();
        if words.is_empty()
            || words.len() > 4
            || words
                .iter()
                .any(|w| w.chars().next().is_some_and(char::is_lowercase))
        {
            return None;
        }
    }
    let end = dash_at + dash.trim_end().len();
    // The dash must be followed by the first sentence.
    if s[end..].trim().is_empty() {
        return None;
    }
    Some(Span::new(paragraph.start, paragraph.start + end))
}

/// The first 64 bytes or so of `s` (whole characters), lowercased: enough to
/// test openings.
fn lower_head(s: &str) -> String {
    let mut end = s.len().min(64);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    crate::lexicon::lower(&s[..end]).into_owned()
}

/// A kind that applies to every sentence of a paragraph (captions, bylines,
/// page furniture, Markdown headings), if any.
fn paragraph_kind(para: &str, lex: &Lexicons) -> Option<SentenceKind> {
    if para.starts_with('#') {
        return Some(SentenceKind::Heading);
    }
    // `by ` in any case: no other character lowercases to these three.
    if para
        .as_bytes()
        .get(..3)
        .is_some_and(|b| b.eq_ignore_ascii_case(b"by "))
        && count_words(para, 13) <= 12
        && para[3..].chars().next().is_some_and(char::is_uppercase)
    {
        return Some(SentenceKind::Byline);
    }
    if let Some(p) = lex.non_claim_prefixes.find(&lower_head(para)) {
        let is_credit = [
            "photo",
            "image",
            "credit",
            "caption",
            "pictured",
            "illustration",
            "video",
            "file photo",
        ]
        .iter()
        .any(|c| p.starts_with(c));
        return Some(if is_credit {
            SentenceKind::Caption
        } else if p.contains(" by") {
            SentenceKind::Byline
        } else {
            SentenceKind::Fragment
        });
    }
    // Credit lines are short; the word count is the cheaper test.
    if count_words(para, 41) <= 40 && lex.non_claim_markers.found_in(para) {
        return Some(SentenceKind::Caption);
    }
    None
}

/// The number of words of `s` (as `str::split_whitespace` gives them),
/// counting no further than `limit`: enough for "at most N words" tests
/// without scanning a long text to its end. Decodes only non-ASCII bytes.
fn count_words(s: &str, limit: usize) -> usize {
    let bytes = s.as_bytes();
    let (mut count, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() {
        let (space, len) = if bytes[i].is_ascii() {
            (matches!(bytes[i], b' ' | b'\t'..=b'\r'), 1)
        } else {
            let c = s[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        };
        if !space && !in_word {
            if count == limit {
                return count;
            }
            count += 1;
        }
        in_word = !space;
        i += len;
    }
    count
}

/// Whether a lone line reads as a heading: no closing punctuation.
fn is_heading(s: &str) -> bool {
    let last = s
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_'])
        .chars()
        .last();
    !matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';' | ',')) && count_words(s, 21) <= 20
}

/// The kind of a sentence in an ordinary paragraph.
fn sentence_kind(s: &str, lex: &Lexicons) -> SentenceKind {
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) && !s.chars().any(char::is_alphabetic) {
        return SentenceKind::Fragment;
    }
    if count_words(s, 9) <= 8 && lex.non_claim_prefixes.find(&lower_head(s)).is_some() {
        return SentenceKind::Fragment;
    }
    let core = s.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    // `Read more:` asserts nothing; `Mayor Ana Ruiz said:` introduces a quote.
    if core.ends_with(':') && count_words(s, 5) <= 4 && !words(s).any(|w| lex.cue_verbs.contains(w))
    {
        return SentenceKind::Fragment;
    }
    if core.ends_with('?') {
        let has_quote = s.contains(['"', '“', '”', '‘']);
        let has_cue = words(s).any(|w| lex.cue_verbs.contains(w));
        if !(has_quote && has_cue) {
            return SentenceKind::Question;
        }
    }
    SentenceKind::Statement
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, SentenceKind)> {
        let lex = Lexicons::builtin();
        segment(text, &lex)
            .sentences
            .iter()
            .map(|s| (s.span.of(text), s.kind))
            .collect()
    }

    /// Texts with ASCII and other white space, multibyte letters, CRLF line
    /// ends, and empty or blank extremes.
    const VARIED: &[&str] = &[
        "",
        " ",
        "\n\n",
        "one",
        "  two words  ",
        "a\tb\nc\rd\x0be\x0cf",
        "Zoë  Núñez\u{a0}said “ça va.”\u{2003}Fin\u{3000}end",
        "line one\r\nline two\r\n\r\nline three\r\n",
        "\u{85}x\u{1680}y\u{2028}z\u{202f}w\u{205f}v",
        "🎉 🎉🎉 — – ‘q’ ” ",
        "By ANA RUIZ and LEE PARK",
        "One. Two? Three! Four… “Five.” (Six.) Seven",
    ];

    #[test]
    fn count_words_counts_as_split_whitespace_does() {
        for text in VARIED {
            let all = text.split_whitespace().count();
            for limit in 0..all + 3 {
                assert_eq!(count_words(text, limit), all.min(limit), "{text:?} {limit}");
            }
        }
    }

    #[test]
    fn find_byte_finds_the_first_of_the_needles() {
        for text in VARIED {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let rest = &bytes[from..];
                for needles in [
                    [b'.', b'!', b'?', 0xE2],
                    [b'\n'; 4],
                    [b' ', b'a', 0x80, 0xFF],
                ] {
                    let simple = rest.iter().position(|b| needles.contains(b));
                    assert_eq!(find_byte(rest, needles), simple, "{text:?} {from}");
                }
            }
        }
    }

    #[test]
    fn paragraphs_by_blank_lines_or_by_lines() {
        let text = "One.\nstill one.\n\n  Two.  \n\n\n";
        let spans: Vec<&str> = paragraphs(text).iter().map(|p| p.span.of(text)).collect();
        assert_eq!(spans, ["One.\nstill one.", "Two."]);
        let text = "One.\nTwo.\n";
        let spans: Vec<&str> = paragraphs(text).iter().map(|p| p.span.of(text)).collect();
        assert_eq!(spans, ["One.", "Two."]);
    }

    #[test]
    fn datelines_are_left_out() {
        let text = "SPRINGFIELD, Ill. (AP) — The bridge closed. It rained.";
        let lex = Lexicons::builtin();
        let seg = segment(text, &lex);
        assert_eq!(seg.dateline.unwrap().of(text), "SPRINGFIELD, Ill. (AP) —");
        assert_eq!(seg.sentences[0].span.of(text), "The bridge closed.");
        for t in [
            "NEW YORK (Reuters) - Stocks fell.",
            "KYIV, Ukraine — Sirens.",
            "LONDON, March 3 (Reuters) -- Up.",
        ] {
            assert!(segment(t, &lex).dateline.is_some(), "{t}");
        }
        for t in [
            "The plan — if it passes — is big.",
            "Smith, who works — hard.",
            "AP — fine",
        ] {
            let d = segment(t, &lex).dateline.map(|d| d.of(t).to_string());
            assert!(d.is_none() || t.starts_with("AP"), "{t}: {d:?}");
        }
    }

    #[test]
    fn headings_bylines_captions_questions_fragments() {
        let got = texts("Bridge Closes Downtown\n\nBy Ana Ruiz and Lee Park\n\nPhoto: Lee Park/The Ledger\n\nWill it reopen? Nobody knows. Read more:\n\n\"Why now?\" she asked.");
        let kinds: Vec<SentenceKind> = got.iter().map(|g| g.1).collect();
        use SentenceKind::*;
        assert_eq!(
            kinds,
            [Heading, Byline, Caption, Question, Statement, Fragment, Statement]
        );
        assert_eq!(got[6].0, "\"Why now?\" she asked.");
    }
}
