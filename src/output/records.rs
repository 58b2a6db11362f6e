//! The records claimtag emits. Their fields are the public contract described
//! by `schemas/` and the annotation guide; CSV rows hold scalars only.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::{Article, Claim, QuoteType, Sentence, SourceType};

/// One claim (guide §4), in the guide's field order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    pub article_id: String,
    pub claim_id: String,
    pub index: usize,
    pub paragraph: usize,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub quote: String,
    pub quote_type: QuoteType,
    pub source_type: SourceType,
    pub source: String,
    pub source_mention: String,
    pub source_role: String,
    pub cue: String,
    pub confidence: f64,
    pub rule: String,
}

impl ClaimRecord {
    /// The records of an article's claims, offsets in code points.
    pub fn from_claims(article: &Article, claims: &[Claim]) -> Vec<ClaimRecord> {
        let mut counter = CodePoints::new(&article.text);
        claims
            .iter()
            .enumerate()
            .map(|(index, c)| ClaimRecord {
                article_id: article.id.clone(),
                claim_id: format!("{}#{index}", article.id),
                index,
                paragraph: c.paragraph,
                sentence: c.sentence,
                start: counter.at(c.span.start),
                end: counter.at(c.span.end),
                text: c.span.of(&article.text).to_string(),
                quote: c.quote.clone(),
                quote_type: c.quote_type,
                source_type: c.source_type,
                source: c.source.clone(),
                source_mention: c.source_mention.clone(),
                source_role: c.source_role.clone(),
                cue: c.cue.clone(),
                confidence: c.confidence,
                rule: c.rule.to_string(),
            })
            .collect()
    }

    /// Appends the record as one JSON line: the same bytes as
    /// `serde_json::to_writer` and a newline (tested), written field by
    /// field.
    pub fn write_jsonl(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"article_id\":");
        json_str(out, &self.article_id);
        out.extend_from_slice(b",\"claim_id\":");
        json_str(out, &self.claim_id);
        ClaimFields {
            index: self.index,
            paragraph: self.paragraph,
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            text: &self.text,
            quote: &self.quote,
            quote_type: self.quote_type,
            source_type: self.source_type,
            source: &self.source,
            source_mention: &self.source_mention,
            source_role: &self.source_role,
            cue: &self.cue,
            confidence: self.confidence,
            rule: &self.rule,
        }
        .write_jsonl(out, None);
    }

    /// Appends the JSON lines of an article's claims: the bytes of
    /// [`ClaimRecord::from_claims`] then [`ClaimRecord::write_jsonl`]
    /// (tested), without building the records.
    ///
    /// Every line opens with the same article id, so that part is escaped
    /// once per article: `{"article_id":"<id>","claim_id":"<id>#`, then the
    /// index (`#` and digits never need escaping).
    pub fn write_claims_jsonl(article: &Article, claims: &[Claim], out: &mut Vec<u8>) {
        let mut head = Vec::with_capacity(2 * article.id.len() + 32);
        head.extend_from_slice(b"{\"article_id\":");
        json_str(&mut head, &article.id);
        head.extend_from_slice(b",\"claim_id\":");
        json_str(&mut head, &article.id);
        head.pop(); // the closing quote comes after `#<index>`
        head.push(b'#');
        out.reserve(
            claims
                .iter()
                .map(|c| head.len() + LINE_OVERHEAD + c.span.len() + c.quote.len())
                .sum(),
        );
        let mut counter = CodePoints::new(&article.text);
        let mut confidences = FloatMemo::default();
        for (index, c) in claims.iter().enumerate() {
            out.extend_from_slice(&head);
            out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
            out.push(b'"');
            ClaimFields {
                index,
                paragraph: c.paragraph,
                sentence: c.sentence,
                start: counter.at(c.span.start),
                end: counter.at(c.span.end),
                text: c.span.of(&article.text),
                quote: &c.quote,
                quote_type: c.quote_type,
                source_type: c.source_type,
                source: &c.source,
                source_mention: &c.source_mention,
                source_role: &c.source_role,
                cue: &c.cue,
                confidence: c.confidence,
                rule: c.rule,
            }
            .write_jsonl(out, Some(&mut confidences));
        }
    }
}

/// Room a claim line takes besides its ids, text and quote: keys, numbers
/// and the short fields, generously. Only a capacity hint.
const LINE_OVERHEAD: usize = 320;

/// A claim record's fields after `claim_id`, borrowed: what
/// [`ClaimRecord::write_jsonl`] and [`ClaimRecord::write_claims_jsonl`] write
/// after the ids.
struct ClaimFields<'a> {
    index: usize,
    paragraph: usize,
    sentence: usize,
    start: usize,
    end: usize,
    text: &'a str,
    quote: &'a str,
    quote_type: QuoteType,
    source_type: SourceType,
    source: &'a str,
    source_mention: &'a str,
    source_role: &'a str,
    cue: &'a str,
    confidence: f64,
    rule: &'a str,
}

impl ClaimFields<'_> {
    /// The rest of the JSON line, from `,"index":` to the newline, fields in
    /// the record's order; the confidence through `floats` when given.
    ///
    /// The quotation marks around a string go with the keys beside it
    /// (`","quote":"`), so that each field takes one write besides its
    /// value.
    fn write_jsonl(&self, out: &mut Vec<u8>, floats: Option<&mut FloatMemo>) {
        json_num(out, b",\"index\":", self.index);
        json_num(out, b",\"paragraph\":", self.paragraph);
        json_num(out, b",\"sentence\":", self.sentence);
        json_num(out, b",\"start\":", self.start);
        json_num(out, b",\"end\":", self.end);
        out.extend_from_slice(b",\"text\":\"");
        json_str_body(out, self.text);
        out.extend_from_slice(b"\",\"quote\":\"");
        json_str_body(out, self.quote);
        out.extend_from_slice(b"\",\"quote_type\":\"");
        json_name_body(out, self.quote_type.as_str());
        out.extend_from_slice(b"\",\"source_type\":\"");
        json_name_body(out, self.source_type.as_str());
        out.extend_from_slice(b"\",\"source\":\"");
        json_str_body(out, self.source);
        out.extend_from_slice(b"\",\"source_mention\":\"");
        json_str_body(out, self.source_mention);
        out.extend_from_slice(b"\",\"source_role\":\"");
        json_str_body(out, self.source_role);
        out.extend_from_slice(b"\",\"cue\":\"");
        json_str_body(out, self.cue);
        out.extend_from_slice(b"\",\"confidence\":");
        match floats {
            Some(memo) => memo.write(out, self.confidence),
            None => out.extend_from_slice(FloatJson::new(self.confidence).as_bytes()),
        }
        out.extend_from_slice(b",\"rule\":\"");
        json_str_body(out, self.rule);
        out.extend_from_slice(b"\"}\n");
    }
}

/// A float as serde_json writes it (`null` if not finite), kept on the
/// stack.
#[derive(Clone, Copy)]
struct FloatJson {
    bytes: [u8; FloatJson::MAX],
    len: usize,
}

impl FloatJson {
    /// Room for the text: the longest an `f64` gets is 24 bytes
    /// (`-2.2250738585072014e-308`).
    const MAX: usize = 32;

    fn new(x: f64) -> Self {
        let mut bytes = [0; Self::MAX];
        let mut rest = &mut bytes[..];
        serde_json::to_writer(&mut rest, &x).expect("a float's JSON fits");
        let len = Self::MAX - rest.len();
        FloatJson { bytes, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The JSON text of floats written before: an article's claims share a
/// handful of confidence values, and finding one here costs a fraction of
/// formatting it again.
#[derive(Default)]
struct FloatMemo {
    /// Values by their bits (the same bits always give the same text).
    seen: Vec<(u64, FloatJson)>,
}

impl FloatMemo {
    /// Values remembered at most; any others are formatted every time.
    const CAP: usize = 16;

    /// Appends the JSON text of `x`.
    fn write(&mut self, out: &mut Vec<u8>, x: f64) {
        let bits = x.to_bits();
        if let Some((_, json)) = self.seen.iter().find(|(b, _)| *b == bits) {
            out.extend_from_slice(json.as_bytes());
            return;
        }
        let json = FloatJson::new(x);
        out.extend_from_slice(json.as_bytes());
        if self.seen.len() < Self::CAP {
            self.seen.push((bits, json));
        }
    }
}

/// Appends `key` and the number `n`.
fn json_num(out: &mut Vec<u8>, key: &[u8], n: usize) {
    out.extend_from_slice(key);
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends a label name (`direct`, `official_statement`) as the inside of
/// a JSON string: names are plain snake_case, so they are copied without an
/// escape scan.
fn json_name_body(out: &mut Vec<u8>, name: &'static str) {
    debug_assert!(!name.bytes().any(needs_escape));
    out.extend_from_slice(name.as_bytes());
}

/// Appends `s` as a JSON string, escaped exactly as serde_json escapes
/// (tested): `"` and `\` get a backslash, the control characters with short
/// forms (`\b \t \n \f \r`) get those, other bytes below 0x20 become
/// `\u00XX` in lowercase hex, and everything else (DEL, non-ASCII, U+2028)
/// is copied as is.
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    json_str_body(out, s);
    out.push(b'"');
}

/// Appends `s` escaped as [`json_str`] does, without the quotation marks
/// around it: a caller writes those with the keys beside them.
fn json_str_body(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if is_clean(bytes) {
        // Nearly every string: one check, one copy.
        out.extend_from_slice(bytes);
    } else {
        // A few strings (quotes with straight quotation marks in them):
        // copied run by run between the bytes that need escaping.
        let mut clean = 0; // start of the run not yet copied
        while let Some(at) = next_escape(bytes, clean) {
            out.extend_from_slice(&bytes[clean..at]);
            push_escaped(out, bytes[at]);
            clean = at + 1;
        }
        out.extend_from_slice(&bytes[clean..]);
    }
}

/// The offset of the first byte of `bytes` from `from` on that needs
/// escaping, if any: eight bytes at a time with [`escape_bits`], then byte
/// by byte over the last few.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(eight) = bytes.get(at..at + 8) {
        let bits = escape_bits(u64::from_le_bytes(eight.try_into().expect("8 bytes")));
        if bits != 0 {
            return Some(at + bits.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    (at..bytes.len()).find(|&i| needs_escape(bytes[i]))
}

/// Whether JSON needs byte `b` escaped inside a string. Written with `|`
/// rather than `||` so that a loop of it has no branches.
fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// Whether no byte of `bytes` needs escaping.
///
/// Checking byte by byte costs several instructions a byte, so the check
/// goes by blocks: 16 bytes at a time with [`block_clean`], the last block
/// overlapping the one before it; 8 to 15 bytes as two overlapping words.
fn is_clean(bytes: &[u8]) -> bool {
    const BLOCK: usize = 16;
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let n = bytes.len();
    if n >= BLOCK {
        bytes.chunks_exact(BLOCK).all(block_clean) && block_clean(&bytes[n - BLOCK..])
    } else if n >= 8 {
        word_clean(word(0)) && word_clean(word(n - 8))
    } else {
        bytes.iter().all(|&b| !needs_escape(b))
    }
}

/// Whether no byte of `block` needs escaping: a test without branches, so
/// that on a fixed-size block it compiles to a few vector instructions.
fn block_clean(block: &[u8]) -> bool {
    !block
        .iter()
        .fold(false, |any, &b| any | (zero_if_escaped(b) == 0))
}

/// A value that is zero exactly when [`needs_escape`] holds for `b` (each
/// term is zero for one case): the same test as three byte-wise minimums,
/// which vectorise into fewer instructions than three comparisons.
fn zero_if_escaped(b: u8) -> u8 {
    b.saturating_sub(0x1f).min(b ^ b'"').min(b ^ b'\\')
}

/// Whether none of the 8 bytes of `w` needs escaping, tested on all of them
/// at once. For `n` at most 0x80, `(x - n * ONES) & !x & TOPS` is zero when
/// no byte of `x` is below `n` and has the top bit of the lowest such byte
/// set otherwise, so the test is exact; a byte equal to `b` is a byte below 1
/// of `w ^ b * ONES`.
fn word_clean(w: u64) -> bool {
    escape_bits(w) == 0
}

/// Top bits among the 8 bytes of `w`: none if no byte needs escaping, and
/// otherwise the lowest one set is that of the first byte that does (see
/// [`word_clean`]; the bits above it may be set for bytes that do not).
fn escape_bits(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & TOPS;
    let equal = |x: u64, b: u8| below(x ^ (ONES * u64::from(b)), 1);
    below(w, 0x20) | equal(w, b'"') | equal(w, b'\\')
}

/// Appends the JSON escape of byte `b` (one [`needs_escape`] accepts).
fn push_escaped(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0A => b'n',
        0x0C => b'f',
        0x0D => b'r',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// Converts byte offsets of one text to code point offsets, each from the
/// one before: forward by counting the code points passed, back by counting
/// those passed over, so offsets out of order cost no more than in order.
struct CodePoints<'a> {
    bytes: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CodePoints<'a> {
    fn new(text: &'a str) -> Self {
        CodePoints {
            bytes: text.as_bytes(),
            byte: 0,
            chars: 0,
        }
    }

    /// The code point offset of byte offset `byte` (a char boundary).
    fn at(&mut self, byte: usize) -> usize {
        if byte >= self.byte {
            self.chars += code_points(self.bytes, self.byte, byte);
        } else {
            self.chars -= code_points(self.bytes, byte, self.byte);
        }
        self.byte = byte;
        self.chars
    }
}

/// The number of code points in `bytes[from..to]` (both char boundaries):
/// its bytes that are not continuation bytes (`0b10xx_xxxx`, as `i8` below
/// -0x40).
///
/// Counted 16 bytes at a time into 16 one-byte tallies, without branches so
/// that a block compiles to a compare and a subtraction of vectors; the
/// tallies are added up every 255 blocks, before one could overflow. The
/// bytes after the last whole block are counted as the last 16 bytes up to
/// `to`, those before them masked off (byte by byte when the text does not
/// have 16 bytes there).
fn code_points(bytes: &[u8], from: usize, to: usize) -> usize {
    const BLOCK: usize = 16;
    /// Masks keeping the last `r` bytes of a block: `KEEP_LAST[r..r + 16]`.
    const KEEP_LAST: [u8; 2 * BLOCK] = {
        let mut keep = [0; 2 * BLOCK];
        let mut i = BLOCK;
        while i < 2 * BLOCK {
            keep[i] = 1;
            i += 1;
        }
        keep
    };
    let continuation = |b: u8| u8::from((b as i8) < -0x40);
    let span = &bytes[from..to];
    let mut continuations = 0;
    let mut blocks = span.chunks_exact(BLOCK);
    loop {
        let mut tallies = [0u8; BLOCK];
        let mut filled = 0;
        for block in blocks.by_ref().take(255) {
            for (tally, &b) in tallies.iter_mut().zip(block) {
                *tally += continuation(b);
            }
            filled += 1;
        }
        continuations += tallies.iter().map(|&t| usize::from(t)).sum::<usize>();
        if filled < 255 {
            break;
        }
    }
    let rest = blocks.remainder().len();
    if to >= BLOCK {
        let last = &bytes[to - BLOCK..to];
        let keep = &KEEP_LAST[rest..rest + BLOCK];
        let tail = last
            .iter()
            .zip(keep)
            .fold(0u8, |sum, (&b, &k)| sum + (continuation(b) & k));
        continuations += usize::from(tail);
    } else {
        continuations += blocks
            .remainder()
            .iter()
            .map(|&b| usize::from(continuation(b)))
            .sum::<usize>();
    }
    span.len() - continuations
}

/// One article with its metadata, text and claim counts (`--articles`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    pub article_id: String,
    pub source_file: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub byline: String,
    /// Metadata keys the guide does not name.
    pub extra: IndexMap<String, String>,
    pub text: String,
    pub n_claims: usize,
    pub n_official_statement: usize,
    pub n_media_report: usize,
    pub n_reporter_observation: usize,
    pub n_other_source: usize,
}

impl ArticleRecord {
    pub fn new(article: &Article, claims: &[Claim]) -> Self {
        let count = |t: SourceType| claims.iter().filter(|c| c.source_type == t).count();
        ArticleRecord {
            article_id: article.id.clone(),
            source_file: article.source_file.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published.clone(),
            url: article.url.clone(),
            byline: article.byline.clone(),
            extra: article.extra.clone(),
            text: article.text.clone(),
            n_claims: claims.len(),
            n_official_statement: count(SourceType::OfficialStatement),
            n_media_report: count(SourceType::MediaReport),
            n_reporter_observation: count(SourceType::ReporterObservation),
            n_other_source: count(SourceType::OtherSource),
        }
    }
}

/// An article record as a CSV row: CSV cells hold scalars, so `extra` is
/// written as a JSON object in one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleCsvRecord {
    pub article_id: String,
    pub source_file: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub byline: String,
    /// `extra` as a JSON object.
    pub extra: String,
    pub text: String,
    pub n_claims: usize,
    pub n_official_statement: usize,
    pub n_media_report: usize,
    pub n_reporter_observation: usize,
    pub n_other_source: usize,
}

impl From<&ArticleRecord> for ArticleCsvRecord {
    fn from(a: &ArticleRecord) -> Self {
        ArticleCsvRecord {
            article_id: a.article_id.clone(),
            source_file: a.source_file.clone(),
            title: a.title.clone(),
            outlet: a.outlet.clone(),
            published: a.published.clone(),
            url: a.url.clone(),
            byline: a.byline.clone(),
            extra: serde_json::to_string(&a.extra).unwrap_or_else(|_| "{}".into()),
            text: a.text.clone(),
            n_claims: a.n_claims,
            n_official_statement: a.n_official_statement,
            n_media_report: a.n_media_report,
            n_reporter_observation: a.n_reporter_observation,
            n_other_source: a.n_other_source,
        }
    }
}

/// One sentence of the segmenter (`claimtag sentences`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceRecord {
    pub article_id: String,
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl SentenceRecord {
    pub fn from_sentences(article: &Article, sentences: &[Sentence]) -> Vec<SentenceRecord> {
        let mut counter = CodePoints::new(&article.text);
        sentences
            .iter()
            .enumerate()
            .map(|(index, s)| SentenceRecord {
                article_id: article.id.clone(),
                index,
                start: counter.at(s.span.start),
                end: counter.at(s.span.end),
                text: s.span.of(&article.text).to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_jsonl_gives_the_bytes_serde_json_gives() {
        let strings = [
            "",
            "plain",
            "“Curly” quotes, accents: Núñez, emoji 🎉, CJK 東京",
            "a \"quoted\" word and a back\\slash",
            "tab\there, newline\nthere, CR\r, NUL\u{0}, bell\u{7}, DEL\u{7f}",
            "line separator\u{2028}and paragraph separator\u{2029}",
            "=1+1",
        ];
        for (i, s) in strings.iter().enumerate() {
            let record = ClaimRecord {
                article_id: s.to_string(),
                claim_id: format!("{s}#{i}"),
                index: i,
                paragraph: i * 7,
                sentence: usize::MAX - i,
                start: 0,
                end: 1234567,
                text: s.to_string(),
                quote: strings[(i + 1) % strings.len()].to_string(),
                quote_type: [
                    QuoteType::Direct,
                    QuoteType::Partial,
                    QuoteType::Indirect,
                    QuoteType::None,
                ][i % 4],
                source_type: SourceType::ALL[i % 4],
                source: s.to_string(),
                source_mention: strings[(i + 2) % strings.len()].to_string(),
                source_role: s.to_string(),
                cue: s.to_string(),
                confidence: [0.0, 0.81, 1.0, 0.1 + 0.2, 1e-7, 0.5][i % 6],
                rule: s.to_string(),
            };
            let mut fast = Vec::new();
            record.write_jsonl(&mut fast);
            let mut expected = serde_json::to_vec(&record).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn floats_are_written_and_remembered_as_serde_json_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.81,
            1.0,
            0.1 + 0.2,
            1e-7,
            1e21,
            123456789.125,
            f64::MAX,
            -f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // More distinct values than the memo holds, each seen twice.
        values.extend((0..40).map(|i| f64::from(i) / 100.0));
        values.extend(values.clone());
        let mut memo = FloatMemo::default();
        for x in values {
            let expected = serde_json::to_vec(&x).unwrap();
            assert_eq!(FloatJson::new(x).as_bytes(), expected, "{x}");
            let mut written = Vec::new();
            memo.write(&mut written, x);
            assert_eq!(written, expected, "{x}");
        }
    }

    #[test]
    fn next_escape_finds_what_a_search_byte_by_byte_finds() {
        let pieces = [
            "a",
            " ",
            "\"",
            "\\",
            "\n",
            "\t",
            "\u{1f}",
            "\u{7f}",
            "é",
            "“",
            "🎉",
            "#",
            "plain words",
        ];
        for text in crate::testing::pieced(&pieces, 2000, 40) {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let simple = (from..bytes.len()).find(|&i| needs_escape(bytes[i]));
                assert_eq!(next_escape(bytes, from), simple, "{text:?} {from}");
            }
        }
    }

    #[test]
    fn the_block_test_agrees_with_the_byte_test() {
        for b in 0..=u8::MAX {
            assert_eq!(zero_if_escaped(b) == 0, needs_escape(b), "{b:#x}");
        }
    }

    #[test]
    fn json_str_escapes_as_serde_json_does() {
        let mut strings: Vec<String> = [
            "",
            "plain ASCII that runs longer than one sixteen-byte block, twice over",
            "“Curly” quotes, accents: Núñez, emoji 🎉, CJK 東京, DEL \u{7f}",
            "a \"quoted\" word and a back\\slash",
            "\"\\\"\\",
            "line separator\u{2028}and paragraph separator\u{2029}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every ASCII byte alone, and at each offset of a long string, so the
        // hit falls at every place within and across the 16-byte blocks.
        for b in 0u8..0x80 {
            let c = char::from(b);
            strings.push(c.to_string());
            for at in [0, 1, 15, 16, 17, 31, 32, 40] {
                let mut s: String = "x".repeat(40);
                s.insert(at, c);
                s.push('é');
                strings.push(s);
            }
        }
        // Every length up to three blocks, with a byte that needs escaping
        // (or one just beside those values) at each place.
        for len in 0..48 {
            strings.push("y".repeat(len));
            for at in 0..len {
                for c in [
                    '\0', '\u{1f}', ' ', '!', '"', '#', '[', '\\', ']', '\u{7f}', 'é',
                ] {
                    let mut s: String = "y".repeat(len - 1);
                    s.insert(at, c);
                    strings.push(s);
                }
            }
        }
        for s in &strings {
            let mut fast = Vec::new();
            json_str(&mut fast, s);
            assert_eq!(fast, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn code_points_are_counted_as_the_standard_library_counts_them() {
        let pieces = [
            "a",
            " ",
            "é",
            "“",
            "東",
            "🎉",
            "\u{7f}",
            "\u{80}",
            "plain words",
        ];
        let mut texts = crate::testing::pieced(&pieces, 300, 700);
        // More than 255 blocks full of continuation bytes, to where the
        // tallies are added up and on.
        for prefix in ["", "a", "ab", "abc"] {
            for n in [1360, 1361, 1362, 2040, 2041, 3000] {
                for c in ['é', '東', '🎉'] {
                    texts.push(format!("{prefix}{}", c.to_string().repeat(n)));
                }
            }
        }
        for text in &texts {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            // Spans from the start and to the end (every one in a short
            // text), and every span of up to 40 chars.
            let step = if text.len() > 1000 { 97 } else { 1 };
            let mut spans: Vec<(usize, usize)> = boundaries
                .iter()
                .step_by(step)
                .flat_map(|&i| [(0, i), (i, text.len())])
                .collect();
            for (k, &from) in boundaries.iter().enumerate() {
                spans.extend(boundaries[k..].iter().take(40).map(|&to| (from, to)));
            }
            for (from, to) in spans {
                let expected = text[from..to].chars().count();
                assert_eq!(
                    code_points(text.as_bytes(), from, to),
                    expected,
                    "{text:?} {from} {to}"
                );
            }
        }
    }

    #[test]
    fn code_point_offsets_in_any_order_are_those_of_the_prefixes() {
        let pieces = ["a", " ", "é", "“", "東", "🎉", "plain words"];
        for text in crate::testing::pieced(&pieces, 200, 80) {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let mut offsets = CodePoints::new(&text);
            // Forward, back and forward again, in strides that skip around.
            for k in 0..3 * boundaries.len() {
                let byte = boundaries[(k * 7 + k / 3) % boundaries.len()];
                assert_eq!(
                    offsets.at(byte),
                    text[..byte].chars().count(),
                    "{text:?} {byte}"
                );
            }
        }
    }

    #[test]
    fn claims_written_directly_give_the_bytes_of_the_records() {
        let lex = crate::lexicon::Lexicons::builtin();
        let text = "“We will rebuild,” said Mayor Zoë Núñez on Monday. \
                    Officials said the \"levee\" failed.\n\nThe river rose 3 feet, \
                    according to The Harbor Ledger. Crews worked overnight.";
        let mut article = Article::with_text(&Article::default(), text.to_string());
        article.id = "us/2026/a\\b".to_string();
        let claims = crate::pipeline::annotate(&article, &lex).claims;
        assert!(claims.len() >= 4);
        let mut direct = Vec::new();
        ClaimRecord::write_claims_jsonl(&article, &claims, &mut direct);
        let mut via_records = Vec::new();
        for record in ClaimRecord::from_claims(&article, &claims) {
            record.write_jsonl(&mut via_records);
        }
        assert_eq!(
            String::from_utf8(direct).unwrap(),
            String::from_utf8(via_records).unwrap()
        );
    }
}
