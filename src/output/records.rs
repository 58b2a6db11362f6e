//! The records claimtag emits. Their fields are the public contract described
//! by `schemas/` and the annotation guide; CSV rows hold scalars only.

use std::ptr;

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
        let mut head = Vec::with_capacity(self.article_id.len() + self.claim_id.len() + 32);
        head.extend_from_slice(b"{\"article_id\":");
        json_str(&mut head, &self.article_id);
        head.extend_from_slice(b",\"claim_id\":\"");
        json_str_body(&mut head, &self.claim_id);
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
        .write_jsonl(out, &head, None, None);
    }

    /// Appends the JSON lines of an article's claims: the bytes of
    /// [`ClaimRecord::from_claims`] then [`ClaimRecord::write_jsonl`]
    /// (tested), without building the records.
    ///
    /// Every line opens with the same article id, so that part is escaped
    /// once per article: `{"article_id":"<id>","claim_id":"<id>#`, then the
    /// index (`#` and digits never need escaping).
    pub fn write_claims_jsonl(article: &Article, claims: &[Claim], out: &mut Vec<u8>) {
        Self::write_claims_jsonl_after(article, claims, ClaimBase::default(), out);
    }

    /// Numbers a piece's claim record (see
    /// [`ClaimRecord::write_claims_jsonl_after`]) after `base`.
    pub fn number_after(&mut self, base: ClaimBase, article_id: &str) {
        self.start += base.chars;
        self.end += base.chars;
        self.paragraph += base.paragraphs;
        self.sentence += base.sentences;
        self.index += base.claims;
        self.claim_id = format!("{article_id}#{}", self.index);
    }

    /// [`ClaimRecord::write_claims_jsonl`] for a piece of a longer article
    /// (`article` holding the piece's text), its claims numbered after
    /// `base`: what the pieces before it hold.
    pub fn write_claims_jsonl_after(
        article: &Article,
        claims: &[Claim],
        base: ClaimBase,
        out: &mut Vec<u8>,
    ) {
        let mut head = Vec::with_capacity(2 * article.id.len() + 32);
        head.extend_from_slice(b"{\"article_id\":");
        json_str(&mut head, &article.id);
        head.extend_from_slice(b",\"claim_id\":");
        json_str(&mut head, &article.id);
        head.pop(); // the closing quote comes after `#<index>`
        head.push(b'#'); // the line writes the index after it

        // Each line reserves room for its string fields all escaped, so the
        // last lines need that much past their own length.
        let (total, longest) = claims.iter().fold((0, 0), |(total, longest), c| {
            let strings = c.span.len() + c.quote.len();
            (
                total + head.len() + LINE_OVERHEAD + strings,
                longest.max(strings),
            )
        });
        let room = total + ESCAPED_MAX * longest;
        if out.is_empty() && out.capacity() < room {
            // Replaced, not grown: the allocator's `realloc` would copy all
            // of the old room, used or not.
            *out = Vec::with_capacity(room);
        }
        out.reserve(room);
        let mut counter = CodePoints::new(&article.text);
        // The thread's memo, kept from one article to the next (articles
        // share their confidence values too), taken for the loop.
        let mut confidences = CONFIDENCES.take();
        for (index, c) in claims.iter().enumerate() {
            let index = base.claims + index;
            ClaimFields {
                index,
                paragraph: base.paragraphs + c.paragraph,
                sentence: base.sentences + c.sentence,
                start: base.chars + counter.at(c.span.start),
                end: base.chars + counter.at(c.span.end),
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
            .write_jsonl(out, &head, Some(index), Some(&mut confidences));
        }
        CONFIDENCES.set(confidences);
    }
}

/// What the pieces of a long article before a piece hold: its claims are
/// numbered after these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimBase {
    pub claims: usize,
    pub paragraphs: usize,
    pub sentences: usize,
    /// Code points.
    pub chars: usize,
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
    /// Appends the JSON line: `head` (the line up to the claim id's closing
    /// quotation mark, without it), the decimal `id_index` if given, then
    /// the fields from `,"index":` to the newline in the record's order, the
    /// confidence through `floats` when given.
    ///
    /// The room for the longest the line could be (every byte of its string
    /// fields escaped at most) is reserved at once, and its pieces then
    /// copied without further capacity checks, each string field checked for
    /// bytes to escape as it is copied. The quotation marks around a string
    /// go with the keys beside it (`","quote":"`), so that each field takes
    /// one copy besides its value.
    fn write_jsonl(
        &self,
        out: &mut Vec<u8>,
        head: &[u8],
        id_index: Option<usize>,
        floats: Option<&mut FloatMemo>,
    ) {
        let strings = self.text.len()
            + self.quote.len()
            + self.source.len()
            + self.source_mention.len()
            + self.source_role.len()
            + self.cue.len()
            + self.rule.len();
        let room = head.len() + LINE_FIXED_ROOM + ESCAPED_MAX * strings;
        let confidence = match floats {
            Some(memo) => memo.json(self.confidence),
            None => FloatJson::new(self.confidence),
        };
        let mut line = Cursor::new(out, room);
        // SAFETY: the room covers every piece: `head`; the string fields at
        // ESCAPED_MAX bytes a byte; and the rest in LINE_FIXED_ROOM: the
        // keys, six numbers of at most 20 digits, a float of at most
        // FloatJson::MAX bytes and the two names (tested).
        unsafe {
            line.put(head);
            if let Some(index) = id_index {
                line.put_num(index);
            }
            line.put(b"\",\"index\":");
            line.put_num(self.index);
            line.put(b",\"paragraph\":");
            line.put_num(self.paragraph);
            line.put(b",\"sentence\":");
            line.put_num(self.sentence);
            line.put(b",\"start\":");
            line.put_num(self.start);
            line.put(b",\"end\":");
            line.put_num(self.end);
            line.put(b",\"text\":\"");
            line.put_str(self.text);
            line.put(b"\",\"quote\":\"");
            line.put_str(self.quote);
            line.put(quote_type_piece(self.quote_type));
            line.put(source_type_piece(self.source_type));
            line.put_str(self.source);
            line.put(b"\",\"source_mention\":\"");
            line.put_str(self.source_mention);
            line.put(b"\",\"source_role\":\"");
            line.put_str(self.source_role);
            line.put(b"\",\"cue\":\"");
            line.put_str(self.cue);
            line.put(b"\",\"confidence\":");
            line.put(confidence.as_bytes());
            line.put(b",\"rule\":\"");
            line.put_str(self.rule);
            line.put(b"\"}\n");
        }
    }
}

/// Room a claim line takes besides its head and string fields: the keys and
/// punctuation (207 bytes), six numbers of at most 20 digits (the claim
/// id's index among them), a float and the two names (at most 20 bytes
/// each), rounded up. Tested on the longest of each.
const LINE_FIXED_ROOM: usize = 400;

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

thread_local! {
    /// The confidences' JSON text written on this thread.
    static CONFIDENCES: std::cell::Cell<FloatMemo> = std::cell::Cell::default();
}

/// The JSON text of floats written before: claims share a handful of
/// confidence values, and finding one here costs a fraction of formatting
/// it again.
#[derive(Default)]
struct FloatMemo {
    /// Values by their bits (the same bits always give the same text).
    seen: Vec<(u64, FloatJson)>,
}

impl FloatMemo {
    /// Values remembered at most; any others are formatted every time.
    const CAP: usize = 16;

    /// The JSON text of `x`.
    fn json(&mut self, x: f64) -> FloatJson {
        let bits = x.to_bits();
        if let Some(&(_, json)) = self.seen.iter().find(|(b, _)| *b == bits) {
            return json;
        }
        let json = FloatJson::new(x);
        if self.seen.len() < Self::CAP {
            self.seen.push((bits, json));
        }
        json
    }
}

/// `","quote_type":"<name>","source_type":"`: the quote type's name (plain
/// snake_case, nothing to escape) with the keys around it, one piece to copy.
fn quote_type_piece(t: QuoteType) -> &'static [u8] {
    match t {
        QuoteType::Direct => b"\",\"quote_type\":\"direct\",\"source_type\":\"",
        QuoteType::Partial => b"\",\"quote_type\":\"partial\",\"source_type\":\"",
        QuoteType::Indirect => b"\",\"quote_type\":\"indirect\",\"source_type\":\"",
        QuoteType::None => b"\",\"quote_type\":\"none\",\"source_type\":\"",
    }
}

/// `<name>","source":"`: the source type's name (plain snake_case) and the
/// key after it, one piece to copy.
fn source_type_piece(t: SourceType) -> &'static [u8] {
    match t {
        SourceType::OfficialStatement => b"official_statement\",\"source\":\"",
        SourceType::MediaReport => b"media_report\",\"source\":\"",
        SourceType::ReporterObservation => b"reporter_observation\",\"source\":\"",
        SourceType::OtherSource => b"other_source\",\"source\":\"",
    }
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
    let mut body = Cursor::new(out, ESCAPED_MAX * s.len());
    // SAFETY: the room is what `put_str` may write for `s`.
    unsafe { body.put_str(s) };
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

/// A value that is zero exactly when [`needs_escape`] holds for `b` (each
/// term is zero for one case): the same test as three byte-wise minimums,
/// which vectorise into fewer instructions than three comparisons.
fn zero_if_escaped(b: u8) -> u8 {
    b.saturating_sub(0x1f).min(b ^ b'"').min(b ^ b'\\')
}

/// Top bits among the 8 bytes of `w`: none if no byte needs escaping, and
/// otherwise the lowest one set is that of the first byte that does (the
/// bits above it may be set for bytes that do not). For `n` at most 0x80,
/// `(x - n * ONES) & !x & TOPS` is zero when no byte of `x` is below `n` and
/// has the top bit of the lowest such byte set otherwise, so the test is
/// exact; a byte equal to `b` is a byte below 1 of `w ^ b * ONES`.
fn escape_bits(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & TOPS;
    let equal = |x: u64, b: u8| below(x ^ (ONES * u64::from(b)), 1);
    below(w, 0x20) | equal(w, b'"') | equal(w, b'\\')
}

/// Writes one piece of output of bounded length into the spare capacity of a
/// byte vector, reserved for it at once: one capacity check for a whole line
/// instead of one per piece, and short pieces copied without a call to
/// `memcpy`. The vector's length is set when the cursor is dropped.
struct Cursor<'v> {
    out: &'v mut Vec<u8>,
    /// The vector's buffer, `room` bytes past its length reserved.
    base: *mut u8,
    /// How many bytes of the buffer are written (the old length and the
    /// cursor's own).
    len: usize,
    /// The end of the room: no write may pass it.
    end: usize,
}

impl<'v> Cursor<'v> {
    /// A cursor at the end of `out`, with room for `room` bytes.
    fn new(out: &'v mut Vec<u8>, room: usize) -> Self {
        out.reserve(room);
        let len = out.len();
        Cursor {
            base: out.as_mut_ptr(),
            out,
            len,
            end: len + room,
        }
    }

    /// Appends `bytes`.
    ///
    /// # Safety
    ///
    /// Everything written through the cursor, `bytes` included, fits in the
    /// room it was made with.
    #[inline(always)]
    unsafe fn put(&mut self, bytes: &[u8]) {
        debug_assert!(self.len + bytes.len() <= self.end);
        // SAFETY: the bytes from `len` on are within the room reserved (the
        // caller's promise), and `bytes` is a slice of its own length.
        unsafe { copy_short(bytes.as_ptr(), self.base.add(self.len), bytes.len()) };
        self.len += bytes.len();
    }

    /// Appends the decimal digits of `n` (at most 20), counted first and
    /// then written in place from the last pair to the first. (Writing them
    /// to a buffer and copying it as one block reads back bytes just stored
    /// two at a time, which the processor cannot forward: a stall for every
    /// number.)
    ///
    /// # Safety
    ///
    /// As for [`Cursor::put`], with 20 bytes for the number.
    #[inline(always)]
    unsafe fn put_num(&mut self, n: usize) {
        let digits = n.checked_ilog10().map_or(1, |log| log as usize + 1);
        debug_assert!(self.len + digits <= self.end);
        // SAFETY: the digits are written within `digits` bytes from `len`,
        // within the room (the caller's promise), each pair of digits read
        // from the table in bounds (`m % 100` and `m` below 100 when read).
        unsafe {
            let mut at = self.base.add(self.len + digits);
            let mut m = n;
            while m >= 100 {
                at = at.sub(2);
                ptr::copy_nonoverlapping(DIGIT_PAIRS.as_ptr().add(2 * (m % 100)), at, 2);
                m /= 100;
            }
            if m >= 10 {
                ptr::copy_nonoverlapping(DIGIT_PAIRS.as_ptr().add(2 * m), at.sub(2), 2);
            } else {
                *at.sub(1) = b'0' + m as u8;
            }
        }
        self.len += digits;
    }

    /// Appends `s` escaped as [`json_str`] does, without the quotation
    /// marks: copied as it is by [`copy_clean`], and written again escaped
    /// over the copy if a byte of it needs escaping (few strings do).
    ///
    /// # Safety
    ///
    /// As for [`Cursor::put`], with [`ESCAPED_MAX`] bytes per byte of `s`.
    #[inline(always)]
    unsafe fn put_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        // SAFETY: the caller's promise covers the copy (as long as `s`) and
        // the escaped form alike.
        unsafe {
            let dst = self.base.add(self.len);
            let written = if copy_clean(bytes.as_ptr(), dst, bytes.len()) {
                bytes.len()
            } else {
                write_escaped(dst, bytes)
            };
            debug_assert!(self.len + written <= self.end);
            self.len += written;
        }
    }
}

/// Writes `bytes` escaped as [`json_str`] does, without the quotation marks,
/// at `dst`, and returns how many bytes it wrote: the runs between the bytes
/// that need escaping are copied whole (a few strings take this path:
/// quotes with straight quotation marks in them).
///
/// A function of its own, apart from [`Cursor`], so that a cursor's fields
/// can stay in registers.
///
/// # Safety
///
/// `dst` is valid for writes of [`ESCAPED_MAX`] bytes per byte of `bytes`.
#[inline(never)]
unsafe fn write_escaped(dst: *mut u8, bytes: &[u8]) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut written = 0;
    // SAFETY: each byte of `bytes` becomes at most ESCAPED_MAX bytes, so
    // every piece falls within the room the caller promises.
    let mut put = |piece: &[u8]| unsafe {
        copy_short(piece.as_ptr(), dst.add(written), piece.len());
        written += piece.len();
    };
    let mut clean = 0; // start of the run not yet copied
    while let Some(at) = next_escape(bytes, clean) {
        put(&bytes[clean..at]);
        let b = bytes[at];
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0A => b'n',
            0x0C => b'f',
            0x0D => b'r',
            _ => 0,
        };
        if short != 0 {
            put(&[b'\\', short]);
        } else {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
            put(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        }
        clean = at + 1;
    }
    put(&bytes[clean..]);
    written
}

impl Drop for Cursor<'_> {
    fn drop(&mut self) {
        debug_assert!(self.len <= self.end);
        // SAFETY: the bytes up to `len` are the vector's old ones and those
        // the cursor wrote after them, one piece after another, within the
        // capacity reserved.
        unsafe { self.out.set_len(self.len) };
    }
}

/// The most bytes one byte of a string becomes in JSON (`\u001f`).
const ESCAPED_MAX: usize = 6;

/// `00`, `01`, ... `99`: two digits at a time for [`Cursor::put_num`].
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0; 200];
    let mut i = 0;
    while i < 100 {
        pairs[2 * i] = b'0' + (i / 10) as u8;
        pairs[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    pairs
};

/// Copies `n` bytes from `src` to `dst`. Up to 32 bytes, the copy is two
/// loads and two stores of the widest size that fits, overlapping in the
/// middle (three single bytes below 4), and up to 64 bytes four of 16 bytes
/// (the first and last 32, overlapping), which for the short pieces lines
/// are made of costs a fraction of a call to `memcpy`.
///
/// # Safety
///
/// As for [`ptr::copy_nonoverlapping`].
#[inline(always)]
unsafe fn copy_short(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: every read is within `src..src + n` and every write within
    // `dst..dst + n` (the caller's promise), unaligned where wider than a
    // byte.
    unsafe {
        if n > 64 {
            ptr::copy_nonoverlapping(src, dst, n);
        } else if n > 32 {
            let a = ptr::read_unaligned(src.cast::<u128>());
            let b = ptr::read_unaligned(src.add(16).cast::<u128>());
            let c = ptr::read_unaligned(src.add(n - 32).cast::<u128>());
            let d = ptr::read_unaligned(src.add(n - 16).cast::<u128>());
            ptr::write_unaligned(dst.cast::<u128>(), a);
            ptr::write_unaligned(dst.add(16).cast::<u128>(), b);
            ptr::write_unaligned(dst.add(n - 32).cast::<u128>(), c);
            ptr::write_unaligned(dst.add(n - 16).cast::<u128>(), d);
        } else if n >= 16 {
            let head = ptr::read_unaligned(src.cast::<u128>());
            let tail = ptr::read_unaligned(src.add(n - 16).cast::<u128>());
            ptr::write_unaligned(dst.cast::<u128>(), head);
            ptr::write_unaligned(dst.add(n - 16).cast::<u128>(), tail);
        } else if n >= 8 {
            let head = ptr::read_unaligned(src.cast::<u64>());
            let tail = ptr::read_unaligned(src.add(n - 8).cast::<u64>());
            ptr::write_unaligned(dst.cast::<u64>(), head);
            ptr::write_unaligned(dst.add(n - 8).cast::<u64>(), tail);
        } else if n >= 4 {
            let head = ptr::read_unaligned(src.cast::<u32>());
            let tail = ptr::read_unaligned(src.add(n - 4).cast::<u32>());
            ptr::write_unaligned(dst.cast::<u32>(), head);
            ptr::write_unaligned(dst.add(n - 4).cast::<u32>(), tail);
        } else if n > 0 {
            let (first, middle, last) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = first;
            *dst.add(n / 2) = middle;
            *dst.add(n - 1) = last;
        }
    }
}

/// Copies `n` bytes from `src` to `dst` as [`copy_short`] does and returns
/// whether none of them needs escaping, checking each piece as it is copied.
///
/// From 16 bytes on, the copy goes by blocks of 16, the last block
/// overlapping the one before it, and the check keeps the bytewise minimum of
/// [`zero_if_escaped`] over the blocks, tested for a zero once at the end: no
/// branch per block. Shorter strings are copied and checked as two
/// overlapping words (8 to 15 bytes) or halves (4 to 7, checked as one word),
/// and 1 to 3 bytes as the first, middle and last.
///
/// # Safety
///
/// As for [`ptr::copy_nonoverlapping`].
#[inline(always)]
unsafe fn copy_clean(src: *const u8, dst: *mut u8, n: usize) -> bool {
    const BLOCK: usize = 16;
    type Block = [u8; BLOCK];
    // SAFETY: every read is within `src..src + n` and every write within
    // `dst..dst + n` (the caller's promise), unaligned where wider than a
    // byte.
    unsafe {
        if n >= BLOCK {
            let mut lowest: Block = [u8::MAX; BLOCK];
            let mut copy = |at: usize| {
                let block = ptr::read_unaligned(src.add(at).cast::<Block>());
                ptr::write_unaligned(dst.add(at).cast::<Block>(), block);
                for (low, &b) in lowest.iter_mut().zip(&block) {
                    *low = (*low).min(zero_if_escaped(b));
                }
            };
            let mut at = 0;
            while at < n - BLOCK {
                copy(at);
                at += BLOCK;
            }
            copy(n - BLOCK);
            !lowest.iter().fold(false, |any, &low| any | (low == 0))
        } else if n >= 8 {
            let head = ptr::read_unaligned(src.cast::<u64>());
            let tail = ptr::read_unaligned(src.add(n - 8).cast::<u64>());
            ptr::write_unaligned(dst.cast::<u64>(), head);
            ptr::write_unaligned(dst.add(n - 8).cast::<u64>(), tail);
            escape_bits(head) | escape_bits(tail) == 0
        } else if n >= 4 {
            let head = ptr::read_unaligned(src.cast::<u32>());
            let tail = ptr::read_unaligned(src.add(n - 4).cast::<u32>());
            ptr::write_unaligned(dst.cast::<u32>(), head);
            ptr::write_unaligned(dst.add(n - 4).cast::<u32>(), tail);
            escape_bits(u64::from(head) | u64::from(tail) << 32) == 0
        } else if n > 0 {
            let (a, b, c) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = a;
            *dst.add(n / 2) = b;
            *dst.add(n - 1) = c;
            escape_bits(u64::from_le_bytes([a, b, c, a, b, c, a, b])) == 0
        } else {
            true
        }
    }
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

    /// Forward steps of at most this many bytes (most often the space or
    /// the paragraph break between two claims) are counted byte by byte in
    /// place, without a call to [`code_points`].
    const SHORT: usize = 8;

    /// The code point offset of byte offset `byte` (a char boundary).
    #[inline(always)]
    fn at(&mut self, byte: usize) -> usize {
        if byte >= self.byte {
            self.chars += if byte - self.byte <= Self::SHORT {
                short_code_points(&self.bytes[self.byte..byte])
            } else {
                code_points(self.bytes, self.byte, byte)
            };
        } else {
            self.chars -= code_points(self.bytes, byte, self.byte);
        }
        self.byte = byte;
        self.chars
    }
}

/// The number of code points in `bytes` (a few, from char boundary to char
/// boundary): the bytes that are not continuation bytes, one by one.
#[inline(always)]
fn short_code_points(bytes: &[u8]) -> usize {
    bytes.iter().map(|&b| usize::from(b as i8 >= -0x40)).sum()
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
    let masked = |last: &[u8], rest: usize| {
        let keep = &KEEP_LAST[rest..rest + BLOCK];
        last.iter()
            .zip(keep)
            .fold(0u8, |sum, (&b, &k)| sum + (continuation(b) & k))
    };
    let span = &bytes[from..to];
    if span.len() < BLOCK && to >= BLOCK {
        // Most often the few bytes between two claims: one masked block.
        return span.len() - usize::from(masked(&bytes[to - BLOCK..to], span.len()));
    }
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
        continuations += usize::from(masked(&bytes[to - BLOCK..to], rest));
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
    use proptest::prelude::*;

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
            assert_eq!(memo.json(x).as_bytes(), expected, "{x}");
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

    /// Strings of `y` of every length below `lengths`, and the same with
    /// one byte that needs escaping in JSON, or one just beside those
    /// values, at each place.
    fn escape_cases(lengths: usize) -> Vec<String> {
        let mut strings = Vec::new();
        for len in 0..lengths {
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
        strings
    }

    #[test]
    fn strings_are_copied_and_checked_as_a_byte_by_byte_check_finds() {
        let mut strings: Vec<String> = Vec::new();
        // Every length up to four blocks, with a byte that needs escaping
        // (or one just beside those values) at each place.
        strings.extend(escape_cases(66));
        for s in &strings {
            let bytes = s.as_bytes();
            let mut out = vec![0xAA_u8; bytes.len() + 2];
            // SAFETY: `out` has room for the bytes after its first.
            let clean = unsafe { copy_clean(bytes.as_ptr(), out.as_mut_ptr().add(1), bytes.len()) };
            assert_eq!(clean, !bytes.iter().any(|&b| needs_escape(b)), "{s:?}");
            assert_eq!(&out[1..=bytes.len()], bytes, "{s:?}");
            assert_eq!((out[0], out[bytes.len() + 1]), (0xAA, 0xAA), "{s:?}");
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
        strings.extend(escape_cases(48));
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
    fn short_spans_are_counted_as_the_standard_library_counts_them() {
        let pieces = ["a", " ", "\n", "é", "“", "東", "🎉", "\u{7f}", "\u{80}"];
        for text in crate::testing::pieced(&pieces, 300, 20) {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &from) in boundaries.iter().enumerate() {
                for &to in &boundaries[k..] {
                    let span = &text.as_bytes()[from..to];
                    assert_eq!(
                        short_code_points(span),
                        text[from..to].chars().count(),
                        "{text:?} {from} {to}"
                    );
                }
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
    fn the_cursor_copies_pieces_of_every_length_as_extend_does() {
        let source: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(37)).collect();
        for before in [0, 1, 7, 30] {
            for from in [0, 3] {
                for n in 0..=80 {
                    let piece = &source[from..from + n];
                    let mut expected = vec![b'#'; before];
                    expected.extend_from_slice(piece);
                    expected.extend_from_slice(b"!");
                    let mut out = vec![b'#'; before];
                    {
                        let mut cursor = Cursor::new(&mut out, n + 1);
                        // SAFETY: the room is the length of what is put.
                        unsafe {
                            cursor.put(piece);
                            cursor.put(b"!");
                        }
                    }
                    assert_eq!(out, expected, "{before} {from} {n}");
                }
            }
        }
    }

    #[test]
    fn label_pieces_hold_the_names_serde_gives() {
        for t in [
            QuoteType::Direct,
            QuoteType::Partial,
            QuoteType::Indirect,
            QuoteType::None,
        ] {
            let name = serde_json::to_string(&t).unwrap();
            let expected = format!("\",\"quote_type\":{name},\"source_type\":\"");
            assert_eq!(quote_type_piece(t), expected.as_bytes());
        }
        for t in SourceType::ALL {
            let name = serde_json::to_string(&t).unwrap();
            let expected = format!("{},\"source\":\"", &name[1..]);
            assert_eq!(source_type_piece(t), expected.as_bytes());
        }
    }

    #[test]
    fn numbers_are_written_as_to_string_writes_them() {
        let mut values: Vec<usize> = (0..=10_000).collect();
        let mut power = 1usize;
        while let Some(next) = power.checked_mul(10) {
            values.extend([power - 1, power, power + 1, next - 1]);
            power = next;
        }
        values.extend([usize::MAX - 1, usize::MAX]);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..10_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(state as usize >> (state % 60));
        }
        for n in values {
            let mut out = b"x".to_vec();
            {
                let mut cursor = Cursor::new(&mut out, 21);
                // SAFETY: 20 bytes hold any usize, and one more the mark
                // after it.
                unsafe {
                    cursor.put_num(n);
                    cursor.put(b"!");
                }
            }
            assert_eq!(out, format!("x{n}!").into_bytes());
        }
    }

    #[test]
    fn the_fixed_room_holds_the_longest_line_without_strings() {
        let quote_type = [
            QuoteType::Direct,
            QuoteType::Partial,
            QuoteType::Indirect,
            QuoteType::None,
        ]
        .into_iter()
        .max_by_key(|t| t.as_str().len())
        .unwrap();
        let source_type = SourceType::ALL
            .into_iter()
            .max_by_key(|t| t.as_str().len())
            .unwrap();
        let confidence = -f64::MIN_POSITIVE;
        assert_eq!(FloatJson::new(confidence).as_bytes().len(), 24);
        let fields = ClaimFields {
            index: usize::MAX,
            paragraph: usize::MAX,
            sentence: usize::MAX,
            start: usize::MAX,
            end: usize::MAX,
            text: "",
            quote: "",
            quote_type,
            source_type,
            source: "",
            source_mention: "",
            source_role: "",
            cue: "",
            confidence,
            rule: "",
        };
        let mut out = Vec::new();
        fields.write_jsonl(&mut out, b"", Some(usize::MAX), None);
        assert!(out.len() <= LINE_FIXED_ROOM, "{}", out.len());
        assert!(out.ends_with(b"\"}\n"));
    }

    /// Strings full of what JSON escapes and of multibyte characters.
    fn escapeish() -> impl Strategy<Value = String> {
        "[\\x00-\\x7f\"\\\\é“”東🎉\u{2028}\u{2029}]{0,70}"
    }

    fn claim_record() -> impl Strategy<Value = ClaimRecord> {
        let string = || prop_oneof![escapeish(), any::<String>(), "[a-z ]{0,40}"];
        (
            (string(), string(), string(), string(), string(), string()),
            (string(), string(), string()),
            (any::<[usize; 5]>(), 0..4usize, 0..4usize, any::<f64>()),
        )
            .prop_map(
                |(
                    (article_id, claim_id, text, quote, source, source_mention),
                    (source_role, cue, rule),
                    ([index, paragraph, sentence, start, end], q, t, confidence),
                )| ClaimRecord {
                    article_id,
                    claim_id,
                    index,
                    paragraph,
                    sentence,
                    start,
                    end,
                    text,
                    quote,
                    quote_type: [
                        QuoteType::Direct,
                        QuoteType::Partial,
                        QuoteType::Indirect,
                        QuoteType::None,
                    ][q],
                    source_type: SourceType::ALL[t],
                    source,
                    source_mention,
                    source_role,
                    cue,
                    confidence,
                    rule,
                },
            )
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(
            s in prop_oneof![escapeish(), any::<String>()]
        ) {
            let mut fast = b"[".to_vec();
            json_str(&mut fast, &s);
            let mut expected = b"[".to_vec();
            expected.extend(serde_json::to_vec(&s).unwrap());
            prop_assert_eq!(fast, expected);
            let mut copy = vec![0; s.len()];
            // SAFETY: `copy` is as long as `s`.
            let clean = unsafe { copy_clean(s.as_ptr(), copy.as_mut_ptr(), s.len()) };
            prop_assert_eq!(clean, !s.bytes().any(needs_escape));
            prop_assert_eq!(copy, s.as_bytes());
        }

        #[test]
        fn any_record_is_written_as_serde_json_writes_it(record in claim_record()) {
            let mut fast = b"before\n".to_vec();
            record.write_jsonl(&mut fast);
            let mut expected = b"before\n".to_vec();
            expected.extend(serde_json::to_vec(&record).unwrap());
            expected.push(b'\n');
            prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(expected).unwrap());
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

    #[test]
    fn a_pieces_claims_are_written_numbered_after_the_pieces_before_it() {
        let lex = crate::lexicon::Lexicons::builtin();
        let text = "“We will rebuild,” said Mayor Zoë Núñez on Monday. \
                    Officials said the levee failed.\n\nCrews worked overnight.";
        let mut piece = Article::with_text(&Article::default(), text.to_string());
        piece.id = "wire/long\"one".to_string();
        let claims = crate::pipeline::annotate(&piece, &lex).claims;
        assert!(claims.len() >= 3);
        for base in [
            ClaimBase::default(),
            ClaimBase {
                claims: 7,
                paragraphs: 3,
                sentences: 12,
                chars: 5_000,
            },
        ] {
            let mut direct = Vec::new();
            ClaimRecord::write_claims_jsonl_after(&piece, &claims, base, &mut direct);
            let mut via_records = Vec::new();
            for mut record in ClaimRecord::from_claims(&piece, &claims) {
                record.number_after(base, &piece.id);
                record.write_jsonl(&mut via_records);
            }
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(via_records).unwrap()
            );
        }
    }
}
