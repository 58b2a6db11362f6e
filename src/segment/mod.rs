//! Segmentation: paragraphs, datelines, then sentences.
//!
//! Takes an article's text; gives paragraph and sentence spans (byte offsets)
//! that never overlap, in order, each trimmed of surrounding whitespace, and a
//! [`SentenceKind`] telling whether a sentence can carry a claim.

mod sentences;

use crate::lexicon::{lower, Lexicons, Markers, Openings};
use crate::model::{Paragraph, Sentence, SentenceKind, Span};

pub use sentences::split_sentences;
use sentences::{split_sentences_in, Ellipses};

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
    let (mut spans, mut head) = (Vec::new(), String::new());
    let mut ellipses = Ellipses::new(text);
    let opening_test = OpeningTest::new(&lex.non_claim_prefixes);
    // A marker in a paragraph is one in the whole text: when the text holds
    // none (credit lines are rare), one search rules out every paragraph.
    let has_markers = lex.non_claim_markers.found_in(text);
    for (index, paragraph) in seg.paragraphs.iter().enumerate() {
        let mut span = paragraph.span;
        if datelines && seg.dateline.is_none() && index < 4 {
            if let Some(dateline) = dateline(text, span) {
                seg.dateline = Some(dateline);
                span.start = skip_space(text, dateline.end);
            }
        }
        let para_text = span.of(text);
        let para_opens = opening_test.may_open(para_text);
        let para_kind = paragraph_kind(para_text, lex, para_opens, has_markers, &mut head);
        let start = seg.sentences.len();
        spans.clear();
        split_sentences_in(text, span, lex, &mut ellipses, &mut spans);
        for &s in &spans {
            let kind = para_kind.unwrap_or_else(|| {
                // The first sentence starts as its paragraph does, with the
                // whole leading word and what follows it: an opening may
                // start both or neither.
                let opens = if s.start == span.start {
                    para_opens
                } else {
                    opening_test.may_open(s.of(text))
                };
                sentence_kind(s.of(text), lex, opens, &mut head)
            });
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
    let has_blank_line = lines(text).any(|(_, l)| is_blank(l));
    // Room for paragraphs of 128 bytes on average: news paragraphs are
    // seldom shorter, so the list is seldom grown.
    let mut out = Vec::with_capacity(text.len() / 128 + 1);
    let mut block: Option<Span> = None;
    let close = |block: &mut Option<Span>, out: &mut Vec<Paragraph>| {
        if let Some(span) = block.take() {
            let trimmed = trim(text, span);
            if !trimmed.is_empty() {
                out.push(Paragraph { span: trimmed });
            }
        }
    };
    for (at, line) in lines(text) {
        if is_blank(line) {
            close(&mut block, &mut out);
            continue;
        }
        // The line's `\n`, if any, is white space that trimming would drop.
        let end = at + line.len() - usize::from(line.ends_with('\n'));
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

/// The lines of `text`, each with its `\n` if it has one (as
/// `str::split_inclusive('\n')` gives them), and their byte offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = text.get(at..).filter(|rest| !rest.is_empty())?;
        // A blank line between paragraphs is often a lone `\n`.
        let len = if rest.as_bytes()[0] == b'\n' {
            1
        } else {
            memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1)
        };
        let line = (at, &rest[..len]);
        at += len;
        Some(line)
    })
}

/// Whether `line` is all white space, deciding on its first byte that is not
/// ASCII white space when that is ASCII.
fn is_blank(line: &str) -> bool {
    match line.bytes().find(|b| !matches!(b, b' ' | b'\t'..=b'\r')) {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// `span` without leading and trailing whitespace. Steps over ASCII white
/// space byte by byte, and decodes characters only at an end whose byte
/// may be that of a non-ASCII white-space character: such a character
/// starts with 0xC2 or 0xE1 to 0xE3, and ends with 0x80 to 0x8A, 0x9F,
/// 0xA0, 0xA8, 0xA9 or 0xAF.
pub fn trim(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() && matches!(bytes[start], b' ' | b'\t'..=b'\r') {
        start += 1;
    }
    if bytes
        .get(start)
        .is_some_and(|b| matches!(b, 0xC2 | 0xE1..=0xE3))
    {
        start = s.len() - s.trim_start().len();
    }
    let mut end = bytes.len();
    while end > start && matches!(bytes[end - 1], b' ' | b'\t'..=b'\r') {
        end -= 1;
    }
    if end > start
        && matches!(
            bytes[end - 1],
            0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF
        )
    {
        end = start + s[start..end].trim_end().len();
    }
    Span::new(span.start + start, span.start + end)
}

const DASHES: &[&str] = &[" — ", " – ", " -- ", " - ", "—", "–"];

/// The second bytes of [`DASHES`].
const DASH_SECONDS: &[u8] = &[b'-', 0xE2, 0x80];

/// A dateline at the start of a paragraph: an upper-case place, an optional
/// region or date after a comma, an optional `(AGENCY)`, then a dash.
pub fn dateline(text: &str, paragraph: Span) -> Option<Span> {
    let s = paragraph.of(text);
    let mut cut = s.len().min(120);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &s[..cut];
    let (dash_at, dash) = first_dash(window)?;
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
    // Two letters or more, none of them lowercase, and nothing else but
    // spaces, periods, apostrophes and hyphens.
    let mut letters = 0;
    for c in place.chars() {
        if c.is_alphabetic() {
            if c.is_lowercase() {
                return None;
            }
            letters += 1;
        } else if !" .'-".contains(c) {
            return None;
        }
    }
    if letters < 2 {
        return None;
    }
    if let Some(region) = region {
        // One to four words, none starting lowercase.
        let mut words = 0;
        for word in region.split_whitespace() {
            words += 1;
            if words > 4 || word.chars().next().is_some_and(char::is_lowercase) {
                return None;
            }
        }
        if words == 0 {
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

/// The first of [`DASHES`] in `window` and its offset; of two at the same
/// offset, the first in [`DASHES`] (` -- ` rather than ` - `). Every dash
/// starts with a space or with the first byte of `—` and `–`, and goes on
/// with `-`, that byte, or the second byte of `—` and `–` ([`DASH_SECONDS`]):
/// other places are passed over without trying each dash.
fn first_dash(window: &str) -> Option<(usize, &'static str)> {
    let bytes = window.as_bytes();
    (0..bytes.len())
        .filter(|&i| {
            matches!(bytes[i], b' ' | 0xE2)
                && bytes.get(i + 1).is_some_and(|b| DASH_SECONDS.contains(b))
        })
        .find_map(|i| {
            let dash = DASHES
                .iter()
                .find(|d| bytes[i..].starts_with(d.as_bytes()))?;
            Some((i, *dash))
        })
}

/// How many bytes of a text are enough to test openings.
const HEAD: usize = 64;

/// The first [`HEAD`] bytes or so of `s` (whole characters), lowercased
/// as [`lower`] does, into `out`: enough to test openings. A caller testing
/// many texts reuses one buffer. Most heads only need their ASCII letters
/// lowercased: their other characters (curly quotes, dashes, small
/// letters) lowercase to themselves.
fn lower_head<'a>(s: &str, out: &'a mut String) -> &'a str {
    let mut end = s.len().min(HEAD);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    out.clear();
    if Markers::lowering_changes_non_ascii(head) {
        out.push_str(&lower(head));
    } else {
        out.push_str(head);
        out.make_ascii_lowercase();
    }
    out
}

/// A test ruling out texts that no opening of an [`Openings`] starts, before
/// they are lowercased for [`Openings::find`]. Made once for a whole article
/// from the openings (a few dozen at most).
struct OpeningTest<'a> {
    openings: &'a Openings,
    /// Bit `b` is set when an opening starts with byte `b`.
    first_bytes: [u64; 4],
    /// Bit `len` (63 for longer) of `word_lens[b]` is set when an opening's
    /// leading run of ASCII letters and digits starts with byte `b` and has
    /// `len` bytes.
    word_lens: [u64; 128],
    /// Bit [`pair_bit`]`(a, b)` is set when an opening starts with the
    /// ASCII bytes `a` and `b` (of 256 bits, some pairs share one).
    pairs: [u64; 4],
    /// Bit `a` is set when an opening is the one ASCII byte `a`.
    lone: u128,
    /// Whether an opening is empty (and so starts every text).
    has_empty: bool,
}

impl<'a> OpeningTest<'a> {
    fn new(openings: &'a Openings) -> Self {
        let mut test = OpeningTest {
            openings,
            first_bytes: [0; 4],
            word_lens: [0; 128],
            pairs: [0; 4],
            lone: 0,
            has_empty: false,
        };
        for opening in &openings.list {
            let bytes = opening.as_bytes();
            let Some(&first) = bytes.first() else {
                test.has_empty = true;
                continue;
            };
            test.first_bytes[usize::from(first / 64)] |= 1 << (first % 64);
            if first.is_ascii() {
                let first = first.to_ascii_lowercase();
                match bytes.get(1) {
                    None => test.lone |= 1 << first,
                    Some(&b) if b.is_ascii() => {
                        let bit = pair_bit(first, b.to_ascii_lowercase());
                        test.pairs[bit / 64] |= 1 << (bit % 64);
                    }
                    Some(_) => {}
                }
            }
            let len = ascii_word_len(bytes);
            if len > 0 {
                test.word_lens[usize::from(first.to_ascii_lowercase())] |= 1 << len.min(63);
            }
        }
        test
    }

    /// Whether an opening may start `text`: false only when
    /// [`Openings::find`] finds none at the start of `text` lowercased (by
    /// [`lower_head`]). An opening must start with the first byte of the
    /// lowercased first character of `text`; when `text` starts with a word
    /// of ASCII letters and digits that ends before [`HEAD`] bytes and before
    /// any non-ASCII character, an opening must have that word, whatever
    /// its case, as its own leading word. Other texts are left to
    /// [`Openings::may_start`]. Before the word is measured, a text that
    /// starts with two ASCII bytes needs an opening that starts with them
    /// lowercased, or is the first alone.
    fn may_open(&self, text: &str) -> bool {
        let Some(lead) = lowered_first_byte(text) else {
            return true;
        };
        if self.has_empty {
            return true;
        }
        if self.first_bytes[usize::from(lead / 64)] >> (lead % 64) & 1 == 0 {
            return false;
        }
        let bytes = text.as_bytes();
        if let [first, second, ..] = *bytes {
            if first.is_ascii() && second.is_ascii() && self.lone >> lead & 1 == 0 {
                let bit = pair_bit(lead, second.to_ascii_lowercase());
                if self.pairs[bit / 64] >> (bit % 64) & 1 == 0 {
                    return false;
                }
            }
        }
        let len = ascii_word_len(bytes);
        if len == 0 || len >= HEAD || bytes.get(len).is_some_and(|b| !b.is_ascii()) {
            return self.openings.may_start(text);
        }
        if self.word_lens[usize::from(lead)] >> len.min(63) & 1 == 0 {
            return false;
        }
        let word = &text[..len];
        self.openings.list.iter().any(|opening| {
            opening.as_bytes().first() == Some(&lead)
                && opening
                    .get(..len)
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
                && !opening[len..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
    }
}

/// The bit of [`OpeningTest::pairs`] for the ASCII bytes `a` and `b`: the
/// low five bits of each tell letters apart.
fn pair_bit(a: u8, b: u8) -> usize {
    usize::from((a << 3) ^ b)
}

/// The length of the run of ASCII letters and digits that starts `bytes`.
fn ascii_word_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len())
}

/// The first byte of `text` lowercased (as [`lower`] does it), if `text` is
/// not empty: that of the lowercase of its first character. U+2000 to
/// U+203F (spaces, dashes, quotation marks) are their own lowercase.
fn lowered_first_byte(text: &str) -> Option<u8> {
    let bytes = text.as_bytes();
    let &first = bytes.first()?;
    if first.is_ascii() {
        return Some(first.to_ascii_lowercase());
    }
    if first == 0xE2 && bytes.get(1) == Some(&0x80) {
        return Some(first);
    }
    let c = text.chars().next()?;
    let lower = c.to_lowercase().next().unwrap_or(c);
    Some(lower.encode_utf8(&mut [0; 4]).as_bytes()[0])
}

/// A kind that applies to every sentence of a paragraph (captions, bylines,
/// page furniture, Markdown headings), if any.
/// `opens` is [`OpeningTest::may_open`] of `para`; `has_markers` is false
/// when no marker of [`Lexicons::non_claim_markers`] is in the text that
/// holds `para`.
fn paragraph_kind(
    para: &str,
    lex: &Lexicons,
    opens: bool,
    has_markers: bool,
    head: &mut String,
) -> Option<SentenceKind> {
    if para.starts_with('#') {
        return Some(SentenceKind::Heading);
    }
    // `by ` in any case: no other character lowercases to these three.
    if para
        .as_bytes()
        .get(..3)
        .is_some_and(|b| b.eq_ignore_ascii_case(b"by "))
        && has_at_most_words(para, 12)
        && para[3..].chars().next().is_some_and(char::is_uppercase)
    {
        return Some(SentenceKind::Byline);
    }
    let opening = if opens {
        lex.non_claim_prefixes.find(lower_head(para, head))
    } else {
        None
    };
    if let Some(p) = opening {
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
    // Credit lines are short. The marker search goes first: it rules out
    // nearly every paragraph, and most paragraphs would be counted to the end.
    if has_markers && lex.non_claim_markers.found_in(para) && has_at_most_words(para, 40) {
        return Some(SentenceKind::Caption);
    }
    None
}

/// The number of words of `s` (as `str::split_whitespace` gives them),
/// counting no further than `limit`: enough for "at most N words" tests
/// without scanning a long text to its end.
///
/// Takes eight bytes at a time (the last ones padded with spaces) while
/// they hold no non-ASCII white space, one character at a time around it.
fn count_words(s: &str, limit: usize) -> usize {
    let bytes = s.as_bytes();
    // Whether the byte before `i` ends white space (or there is none).
    let (mut count, mut after_space, mut i) = (0, true, 0);
    while i < bytes.len() && count <= limit {
        let word = eight_bytes_at(bytes, i)
            .filter(|&word| !may_start_wide_space(word) || !has_wide_space(bytes, i));
        if let Some(word) = word {
            let spaces = ascii_spaces(word);
            let before = (spaces << 8) | (u64::from(after_space) << 7);
            let starts = !spaces & HIGHS & before;
            // One bit a byte: the multiplication sums them in the top byte.
            count += ((starts >> 7).wrapping_mul(ONES) >> 56) as usize;
            after_space = spaces >> 63 != 0;
            i += 8;
            continue;
        }
        // One character at a time, to the end of these eight bytes.
        let end = (i + 8).min(bytes.len());
        while i < end {
            let (space, len) = match bytes[i] {
                b @ 0..=0x7F => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
                0xC2 | 0xE1..=0xE3 => wide_space_at(bytes, i),
                // Part of a character that is not white space.
                _ => (false, 1),
            };
            count += usize::from(after_space && !space);
            after_space = space;
            i += len;
        }
    }
    count.min(limit)
}

/// The eight bytes of `bytes` from `i` on as a little-endian `u64`, spaces
/// standing for those past the end (they start no word), unless `bytes`
/// is shorter than that. Near the end, the last eight bytes are read and
/// those before `i` shifted out.
fn eight_bytes_at(bytes: &[u8], i: usize) -> Option<u64> {
    let word_at =
        |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    if i + 8 <= bytes.len() {
        return Some(word_at(i));
    }
    let last = bytes.len().checked_sub(8)?;
    // 8 to 56: `i` is past `last` and less than eight bytes from the end.
    let shift = 8 * (i - last);
    Some(word_at(last) >> shift | (ONES * u64::from(b' ')) << (64 - shift))
}

/// Whether a non-ASCII white-space character starts in `bytes[i..i + 8]`.
fn has_wide_space(bytes: &[u8], i: usize) -> bool {
    (i..(i + 8).min(bytes.len()))
        .any(|j| matches!(bytes[j], 0xC2 | 0xE1..=0xE3) && wide_space_at(bytes, j).0)
}

/// Whether the character at `bytes[i]`, which starts with 0xC2 or 0xE1 to
/// 0xE3, is white space, and its length. Compares its bytes with those of
/// the white-space characters that start so, rather than decoding it.
fn wide_space_at(bytes: &[u8], i: usize) -> (bool, usize) {
    let lead = bytes[i];
    let len = if lead == 0xC2 { 2 } else { 3 };
    let tail = bytes.get(i + 1..i + len).unwrap_or_default();
    let space = matches!(
        (lead, tail),
        (0xC2, [0x85 | 0xA0])
            | (0xE1, [0x9A, 0x80])
            | (0xE2, [0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF])
            | (0xE2, [0x81, 0x9F])
            | (0xE3, [0x80, 0x80])
    );
    (space, len)
}

/// Whether `s` has at most `n` words. A text of `2 * n` bytes or fewer has
/// no room for more (a word and the white space before it take two bytes),
/// and is not scanned.
fn has_at_most_words(s: &str, n: usize) -> bool {
    s.len() <= 2 * n || count_words(s, n + 1) <= n
}

/// 0x01 and 0x80 in each byte of a `u64`, to work on eight bytes at once.
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// Whether `word` has a zero byte.
fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether one of the eight bytes in `word` may start a non-ASCII white-space
/// character: all of them start with 0xC2, 0xE1, 0xE2 or 0xE3.
fn may_start_wide_space(word: u64) -> bool {
    word & HIGHS != 0
        && (has_zero_byte(word ^ (ONES * 0xC2))
            || has_zero_byte((word | (ONES * 0x03)) ^ (ONES * 0xE3)))
}

/// The high bit of each byte of `word` that is ASCII white space (0x09 to
/// 0x0D, 0x20). Works on each byte's low seven bits, so that no sum carries
/// into the next byte.
fn ascii_spaces(word: u64) -> u64 {
    let low = word & !HIGHS;
    let is_space = !((low ^ (ONES * 0x20)) + ONES * 0x7F) & HIGHS;
    let from_tab = (low + ONES * (0x80 - 0x09)) & HIGHS;
    let to_return = !(low + ONES * (0x80 - 0x0E)) & HIGHS;
    (is_space | (from_tab & to_return)) & !word
}

/// Whether a lone line reads as a heading: no closing punctuation.
fn is_heading(s: &str) -> bool {
    let last = s
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_'])
        .chars()
        .last();
    !matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';' | ',')) && has_at_most_words(s, 20)
}

/// The kind of a sentence in an ordinary paragraph.
/// `opens` is [`OpeningTest::may_open`] of `s`.
fn sentence_kind(s: &str, lex: &Lexicons, opens: bool, head: &mut String) -> SentenceKind {
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) && !s.chars().any(char::is_alphabetic) {
        return SentenceKind::Fragment;
    }
    if opens
        && has_at_most_words(s, 8)
        && lex.non_claim_prefixes.find(lower_head(s, head)).is_some()
    {
        return SentenceKind::Fragment;
    }
    // Most sentences end with a period, neither `:` nor `?`.
    if s.as_bytes().last() == Some(&b'.') {
        return SentenceKind::Statement;
    }
    let core = s.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    // `Read more:` asserts nothing; `Mayor Ana Ruiz said:` introduces a quote.
    if core.ends_with(':')
        && has_at_most_words(s, 4)
        && !words(s).any(|w| lex.cue_verbs.contains(w))
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
    fn lower_head_lowercases_as_lower_does() {
        let pieces = [
            "a",
            "B",
            " ",
            "\r\n",
            "\u{a0}",
            "\u{3000}",
            "é",
            "É",
            "“",
            "—",
            "…",
            "ǅ",
            "Σ",
            "ϒ",
            "\u{212a}",
            "İ",
            "ß",
            "🎉",
            "東京",
            "Photo by",
            "READ MORE",
        ];
        let mut texts = pieced(&pieces, 2000);
        texts.extend(VARIED.iter().map(|t| t.to_string()));
        texts.push(format!("{}É", "x".repeat(HEAD - 1)));
        let mut out = String::new();
        for text in &texts {
            let cut = (0..=text.len().min(HEAD))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            assert_eq!(lower_head(text, &mut out), lower(&text[..cut]), "{text:?}");
        }
    }

    #[test]
    fn lowered_first_byte_is_that_of_the_lowered_text() {
        assert_eq!(lowered_first_byte(""), None);
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for tail in ["", "x", "\u{3a3}"] {
                let text = format!("{c}{tail}");
                let lowered = lower(&text);
                assert_eq!(lowered_first_byte(&text), lowered.bytes().next(), "{c:?}");
            }
        }
    }

    #[test]
    fn a_first_sentence_may_open_as_its_paragraph_does() {
        let lex = Lexicons::builtin();
        let test = OpeningTest::new(&lex.non_claim_prefixes);
        let pieces = [
            "Photo",
            "Photo: ",
            "photos",
            "by",
            "Read more. ",
            "read",
            "x",
            "É",
            "©",
            ":",
            " ",
            ". ",
            "!",
            "? ",
            "\"",
            "“",
            "”",
            "(",
            "Dr",
            "Inc",
            "A",
            "…",
            "\n",
            "é",
            "Σ",
        ];
        let mut checked = 0;
        for text in crate::testing::pieced(&pieces, 10_000, 16) {
            for para in paragraphs(&text) {
                let spans = split_sentences(&text, para.span, &lex);
                let first = spans.first().expect("a sentence");
                assert_eq!(first.start, para.span.start, "{text:?}");
                let opens = test.may_open(para.span.of(&text));
                assert_eq!(test.may_open(first.of(&text)), opens, "{text:?}");
                checked += usize::from(opens && spans.len() > 1);
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn dash_seconds_are_those_of_the_dashes() {
        for dash in DASHES {
            assert!(DASH_SECONDS.contains(&dash.as_bytes()[1]), "{dash:?}");
        }
    }

    #[test]
    fn markers_in_a_paragraph_are_in_its_text() {
        let markers = Lexicons::builtin().non_claim_markers;
        let pieces = [
            "AP Photo", "ap", " ", "photo", "/", "Getty", "images", "\n\n", "\n", "É", "\u{212a}",
            "\u{130}", "Reuters", "x", "©",
        ];
        let mut found = 0;
        for text in crate::testing::pieced(&pieces, 3000, 20) {
            let in_text = markers.found_in(&text);
            for para in paragraphs(&text) {
                let in_para = markers.found_in(para.span.of(&text));
                assert!(in_text || !in_para, "{text:?}");
                found += usize::from(in_para);
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn count_words_counts_as_split_whitespace_does() {
        for text in VARIED {
            let all = text.split_whitespace().count();
            for limit in 0..all + 3 {
                assert_eq!(count_words(text, limit), all.min(limit), "{text:?} {limit}");
            }
        }
    }

    /// Texts pieced together from `pieces` (see [`crate::testing::pieced`]).
    fn pieced(pieces: &[&str], count: usize) -> Vec<String> {
        crate::testing::pieced(pieces, count, 40)
    }

    #[test]
    fn wide_space_at_tells_white_space_as_char_is_whitespace_does() {
        for c in (0x80..=0xFFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            if matches!(bytes[0], 0xC2 | 0xE1..=0xE3) {
                let expected = (c.is_whitespace(), c.len_utf8());
                assert_eq!(wide_space_at(bytes, 0), expected, "{c:?}");
            }
        }
    }

    #[test]
    fn count_words_counts_long_mixed_texts_as_split_whitespace_does() {
        let pieces = [
            "a", "word", " ", "  ", "\t", "\r\n", "\n\n", "\x0b", "\x0c", "\x1f", "é", "Zoë", "“",
            "—", "…", "\u{85}", "\u{a0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{202f}",
            "\u{205f}", "\u{3000}", "\u{e000}", "🎉", "\u{0800}",
        ];
        for text in pieced(&pieces, 3000) {
            let all = text.split_whitespace().count();
            for limit in [0, 1, 2, all / 2, all, all + 1] {
                assert_eq!(
                    count_words(&text, limit),
                    all.min(limit),
                    "{text:?} {limit}"
                );
            }
        }
    }

    #[test]
    fn openings_rule_out_only_texts_no_opening_starts() {
        let builtin = Lexicons::builtin().non_claim_prefixes;
        let mut list = builtin.list.clone();
        list.extend(
            [
                "über alles",
                "café crème",
                "42nd street",
                &"x".repeat(70),
                "(ap)",
                &"x".repeat(HEAD),
                &"y".repeat(HEAD - 1),
                "read more",
                "σigma",
                "z",
                "q.",
                "kx",
            ]
            .map(String::from),
        );
        let custom = crate::lexicon::Openings::new(list.clone());
        let mut texts: Vec<String> = VARIED.iter().map(|t| t.to_string()).collect();
        for opening in &list {
            for tail in ["", " ", ":", "s", "é", " Ruiz", "\u{2019}s"] {
                texts.push(format!("{opening}{tail}"));
                texts.push(format!("{}{tail}", opening.to_uppercase()));
                let half: String = opening.chars().take(opening.chars().count() / 2).collect();
                texts.push(format!("{half}{tail}"));
            }
        }
        texts.extend(
            [
                "Über alles",
                "KELVIN",
                "\u{212a}x",
                "Q.x",
                "\u{212a}elvin",
                "ÉDITOR",
                "Photo\u{a0}by",
                "\"Read more",
                "“Read more”",
                "Σigma",
                "ΣIGMA x",
                "σigma",
                "İmage: x",
                "ÜBER alles",
                "(AP) x",
                "(ap",
            ]
            .map(String::from),
        );
        for n in HEAD - 3..HEAD + 3 {
            for tail in ["", " ", "!", "x", "é"] {
                texts.push(format!("{}{tail}", "X".repeat(n)));
                texts.push(format!("{}{tail}", "y".repeat(n)));
            }
        }
        texts.extend(pieced(
            &["Photo", "by", ":", " ", "Read", "more", "É", "©", "x"],
            500,
        ));
        for openings in [&builtin, &custom] {
            let (mut found, mut ruled_out, mut opened_not) = (0, 0, 0);
            for text in &texts {
                let opening = openings.find(lower_head(text, &mut String::new()));
                if !openings.may_start(text) {
                    assert_eq!(opening, None, "{text:?}");
                    ruled_out += 1;
                }
                if !OpeningTest::new(openings).may_open(text) {
                    assert_eq!(opening, None, "{text:?}");
                    opened_not += 1;
                }
                found += usize::from(opening.is_some());
            }
            assert!(found > 100 && ruled_out > 100, "{found} {ruled_out}");
            assert!(opened_not > ruled_out, "{opened_not} {ruled_out}");
        }
    }

    #[test]
    fn lines_blanks_dashes_and_word_limits_as_the_simple_versions() {
        let pieces = [
            "a", "B", "\n", "\r\n", " ", "\t", "\u{a0}", "\u{2003}", "é", "—", "–", "-", " -- ",
            " — ", " - ", "“", "…", "PLACE", ",",
        ];
        let mut texts = pieced(&pieces, 2000);
        texts.extend(VARIED.iter().map(|t| t.to_string()));
        for text in &texts {
            let simple: Vec<&str> = text.split_inclusive('\n').collect();
            let got: Vec<(usize, &str)> = lines(text).collect();
            assert_eq!(
                got.iter().map(|l| l.1).collect::<Vec<_>>(),
                simple,
                "{text:?}"
            );
            assert!(got.iter().all(|&(at, l)| &text[at..at + l.len()] == l));
            for line in simple {
                assert_eq!(is_blank(line), line.trim().is_empty(), "{line:?}");
            }
            let dash = DASHES
                .iter()
                .filter_map(|d| text.find(d).map(|i| (i, *d)))
                .min_by_key(|(i, _)| *i);
            assert_eq!(first_dash(text), dash, "{text:?}");
            let words = text.split_whitespace().count();
            for n in [0, 1, 2, words.saturating_sub(1), words, words + 1] {
                assert_eq!(has_at_most_words(text, n), words <= n, "{text:?} {n}");
            }
        }
    }

    /// [`trim`] as first written, by `str::trim_start` and `str::trim_end`.
    fn trim_by_str(text: &str, span: Span) -> Span {
        let s = span.of(text);
        let start = span.start + (s.len() - s.trim_start().len());
        let end = span.start + s.trim_end().len();
        Span::new(start, end.max(start))
    }

    #[test]
    fn trim_matches_str_trim() {
        let pieces = [
            "a", "B", " ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1f", "\u{a0}", "\u{85}",
            "\u{2003}", "\u{3000}", "\u{2028}", "é", "—", "“", "🎉", "x y", "\u{1680}", "\u{2029}",
            "\u{202f}", "\u{205f}", "\u{200b}", "”", "\u{9f}", "\u{2060}",
        ];
        let mut texts = pieced(&pieces, 4000);
        texts.extend(VARIED.iter().map(|t| t.to_string()));
        let mut trimmed_wide = 0;
        for text in &texts {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (n, &from) in bounds.iter().enumerate().step_by(3) {
                for &to in bounds[n..].iter().step_by(2) {
                    let span = Span::new(from, to);
                    let simple = trim_by_str(text, span);
                    assert_eq!(trim(text, span), simple, "{text:?} {from} {to}");
                    let s = span.of(text);
                    trimmed_wide +=
                        usize::from(s.trim() != s.trim_matches(|c: char| c.is_ascii_whitespace()));
                }
            }
        }
        assert!(trimmed_wide > 1000, "{trimmed_wide}");
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("x{c}"),
                format!("{c}x"),
                format!("{c}{c}"),
            ] {
                let span = Span::new(0, text.len());
                assert_eq!(trim(&text, span), trim_by_str(&text, span), "{c:?}");
            }
        }
    }

    /// [`paragraphs`] in its simple form: blocks of `split_inclusive` lines
    /// between blank lines (or each line when none is blank), trimmed by
    /// `str::trim`.
    fn paragraphs_by_str(text: &str) -> Vec<Span> {
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(0, |at, l| {
                let line = (*at, l);
                *at += l.len();
                Some(line)
            })
            .collect();
        let has_blank = lines.iter().any(|(_, l)| l.trim().is_empty());
        let mut blocks: Vec<Span> = Vec::new();
        let mut open = false;
        for &(at, line) in &lines {
            if line.trim().is_empty() {
                open = false;
            } else if open && has_blank {
                blocks.last_mut().expect("an open block").end = at + line.len();
            } else {
                blocks.push(Span::new(at, at + line.len()));
                open = true;
            }
        }
        blocks
            .into_iter()
            .map(|b| trim_by_str(text, b))
            .filter(|b| !b.is_empty())
            .collect()
    }

    #[test]
    fn paragraphs_match_the_simple_form() {
        let pieces = [
            "a", "Word.", " ", "\t", "\n", "\n\n", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}", " \n",
            "\t\n", "\u{a0}\n", "é", "”", "—", "🎉",
        ];
        let mut texts = pieced(&pieces, 4000);
        texts.extend(VARIED.iter().map(|t| t.to_string()));
        let mut many = 0;
        for text in &texts {
            let got: Vec<Span> = paragraphs(text).iter().map(|p| p.span).collect();
            assert_eq!(got, paragraphs_by_str(text), "{text:?}");
            many += usize::from(got.len() > 2);
        }
        assert!(many > 1000, "{many}");
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
