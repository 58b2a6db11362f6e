//! Word and punctuation tokens of a sentence, marked when inside a quotation.

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
    pub lower: Lower,
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

/// A token's text in lower case: kept in the token itself up to
/// [`INLINE`] bytes (nearly every word), on the heap when longer. The
/// tokenizer builds an ASCII word's from the two integers it lowercased the
/// word in, with two stores.
#[derive(Clone)]
pub struct Lower(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes.0[..len]` is the text (valid UTF-8).
    Inline {
        len: u8,
        bytes: Inline,
    },
    Heap(Box<str>),
}

/// The bytes of an inline [`Lower`], aligned as two integers so that a
/// word lowercased in two integers is stored with two aligned moves.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Inline([u8; INLINE]);

/// The longest text a [`Lower`] keeps inline.
const INLINE: usize = 16;

const _: () = assert!(std::mem::size_of::<Lower>() == 24);

impl Lower {
    /// `text` as a `Lower` (as it is: lowercasing is the caller's).
    #[inline]
    pub fn new(text: &str) -> Self {
        let from = text.as_bytes();
        if from.len() > INLINE {
            return Lower(Repr::Heap(text.into()));
        }
        let (low, high) = pack(from);
        // SAFETY: the packed bytes are those of `text`, a `str`.
        unsafe { Lower::from_packed(low, high, from.len()) }
    }

    /// The ASCII text of `len` bytes (at most 16) packed little-endian in
    /// `low` (bytes 0 to 7) and `high` (bytes 8 to 15).
    ///
    /// # Safety
    /// The `len` bytes must be ASCII: the text is not checked again.
    #[inline]
    unsafe fn from_ascii_packed(low: u64, high: u64, len: usize) -> Self {
        debug_assert!(len <= INLINE);
        // SAFETY: ASCII is UTF-8 (the caller's promise).
        let lower = unsafe { Lower::from_packed(low, high, len) };
        debug_assert!(lower.as_str().is_ascii());
        lower
    }

    /// The text of `len` bytes (at most 16) packed as for
    /// [`Lower::from_ascii_packed`], stored with two moves.
    ///
    /// # Safety
    /// The `len` bytes must be UTF-8 and the bytes past them zero.
    #[inline]
    unsafe fn from_packed(low: u64, high: u64, len: usize) -> Self {
        debug_assert!(len <= INLINE);
        let mut bytes = Inline([0; INLINE]);
        bytes.0[..8].copy_from_slice(&low.to_le_bytes());
        bytes.0[8..].copy_from_slice(&high.to_le_bytes());
        debug_assert!(std::str::from_utf8(&bytes.0[..len]).is_ok());
        Lower(Repr::Inline {
            len: len as u8,
            bytes,
        })
    }

    /// Lowercases the ASCII capitals in place.
    fn make_ascii_lowercase(&mut self) {
        match &mut self.0 {
            Repr::Inline { len, bytes } => bytes.0[..usize::from(*len)].make_ascii_lowercase(),
            Repr::Heap(text) => text.make_ascii_lowercase(),
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                // SAFETY: `bytes[..len]` is a copy of a `str` or ASCII
                // (`Lower::new`, `Lower::from_ascii_packed`), and `len` is at
                // most `INLINE`.
                unsafe { std::str::from_utf8_unchecked(bytes.0.get_unchecked(..usize::from(*len))) }
            }
            Repr::Heap(text) => text,
        }
    }
}

impl std::ops::Deref for Lower {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Lower {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Lower {
    fn from(text: &str) -> Self {
        Lower::new(text)
    }
}

impl PartialEq for Lower {
    fn eq(&self, other: &Lower) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Lower {}

impl PartialEq<str> for Lower {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Lower {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Lower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Lower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classes of a byte, for [`CLASS`].
mod class {
    /// `a`-`z`.
    pub const LOWER: u8 = 1;
    /// `A`-`Z`.
    pub const UPPER: u8 = 2;
    /// `0`-`9`.
    pub const DIGIT: u8 = 4;
    /// An ASCII letter or digit.
    pub const ALNUM: u8 = LOWER | UPPER | DIGIT;
    /// An ASCII space (`char::is_whitespace`): space, tab, line feed,
    /// vertical tab, form feed, carriage return.
    pub const SPACE: u8 = 8;
    /// `'`, `-`, `.` or `&`: joins two letters or digits into one word.
    pub const JOINER: u8 = 16;
    /// `.`.
    pub const DOT: u8 = 32;
    /// Part of a character outside ASCII.
    pub const NON_ASCII: u8 = 64;
}

/// The [`class`] of every byte, so that the usual (ASCII) case of the scan
/// costs one table look-up a byte.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = match byte {
            b'a'..=b'z' => class::LOWER,
            b'A'..=b'Z' => class::UPPER,
            b'0'..=b'9' => class::DIGIT,
            b' ' | b'\t'..=b'\r' => class::SPACE,
            b'.' => class::JOINER | class::DOT,
            b'\'' | b'-' | b'&' => class::JOINER,
            0x80..=0xFF => class::NON_ASCII,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The class of the byte at `at` of `bytes`, 0 past the end.
#[inline]
fn class_at(bytes: &[u8], at: usize) -> u8 {
    bytes.get(at).map_or(0, |&b| CLASS[usize::from(b)])
}

/// The char starting at byte offset `at` of `s` (a char boundary before its
/// end).
#[inline]
fn char_at(s: &str, at: usize) -> char {
    s[at..].chars().next().unwrap_or_default()
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

/// Whether a letter or digit starts at byte `at` of `s` (false at its end).
#[inline]
fn alphanumeric_at(s: &str, at: usize) -> bool {
    let class = class_at(s.as_bytes(), at);
    if class & class::NON_ASCII == 0 {
        class & class::ALNUM != 0
    } else {
        is_alphanumeric(char_at(s, at))
    }
}

/// Where the word whose first char (a letter or digit) ends at byte `from`
/// of `s` ends: letters and digits, joined by `'`, `’`, `-`, `.`, `&` or a
/// non-breaking hyphen when a letter or digit follows. Also gives the
/// [`class`] bits of the word's joiners and chars outside ASCII, or-ed
/// together (a char outside ASCII adding [`class::NON_ASCII`]), so that the
/// caller need not look at them again; ASCII letters and digits add none,
/// which keeps the loop over them short.
#[inline]
fn scan_word(s: &str, from: usize) -> (usize, u8) {
    let bytes = s.as_bytes();
    let mut end = from;
    let mut classes = 0;
    loop {
        // ASCII letters and digits, most of any word.
        end = alnum_end(bytes, end);
        let class = class_at(bytes, end);
        let len = if class & class::JOINER != 0 {
            1
        } else if class & class::NON_ASCII != 0 {
            let c = char_at(s, end);
            if is_alphanumeric(c) {
                classes |= class;
                end += c.len_utf8();
                continue;
            }
            if !matches!(c, '’' | '\u{2011}') {
                break;
            }
            c.len_utf8()
        } else {
            break;
        };
        // A joiner, kept when a letter or digit follows (the next round
        // takes that).
        if !alphanumeric_at(s, end + len) {
            break;
        }
        classes |= class;
        end += len;
    }
    (end, classes)
}

/// How many of the bytes of `word` (eight bytes packed little-endian), from
/// the lowest, are ASCII letters or digits, eight at a time: with each
/// byte's top bit cleared the additions carry into no neighbour, and each
/// byte's top bit then says how it compares.
#[inline]
fn alnum_run(word: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let low7 = word & !HIGH;
    // Letters of either case as `a`-`z`; digits keep their 0x20 bit.
    let folded = low7 | (ONES * 0x20);
    let letter =
        (folded + ONES * u64::from(0x80 - b'a')) & !(folded + ONES * u64::from(0x80 - b'z' - 1));
    let digit =
        (low7 + ONES * u64::from(0x80 - b'0')) & !(low7 + ONES * u64::from(0x80 - b'9' - 1));
    let alnum = (letter | digit) & !word & HIGH;
    (!alnum & HIGH).trailing_zeros() as usize / 8
}

/// Where the run of ASCII letters and digits from byte `at` of `bytes`
/// ends: eight bytes at a time while eight are there, then byte by byte.
#[inline]
fn alnum_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(eight) = bytes.get(at..at + 8) {
        let run = alnum_run(u64::from_le_bytes(eight.try_into().unwrap_or_default()));
        at += run;
        if run < 8 {
            return at;
        }
    }
    while class_at(bytes, at) & class::ALNUM != 0 {
        at += 1;
    }
    at
}

/// `word` without a possessive `'s` or `’s`.
#[inline]
fn strip_possessive(word: &str) -> &str {
    if !word.ends_with('s') {
        return word;
    }
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

/// `word` in lower case, without a heap allocation for short words. `ascii`
/// and `upper` say whether it is ASCII and has ASCII capitals.
#[inline]
fn lowercase(word: &str, ascii: bool, upper: bool) -> Lower {
    if ascii && word.len() <= INLINE {
        let (low, high) = pack(word.as_bytes());
        let (low, high) = if upper {
            (ascii_lowercase_packed(low), ascii_lowercase_packed(high))
        } else {
            (low, high)
        };
        // SAFETY: ASCII, capitals lowercased.
        unsafe { Lower::from_ascii_packed(low, high, word.len()) }
    } else if ascii {
        let mut out = Lower::new(word);
        if upper {
            out.make_ascii_lowercase();
        }
        out
    } else {
        Lower::new(&crate::lexicon::lower(word))
    }
}

/// `bytes` (at most 16) packed little-endian in two integers, zero padded:
/// overlapping loads, no loop and no buffer on the stack (bytes stored one
/// at a time and read back as integers stall the processor).
#[inline]
fn pack(bytes: &[u8]) -> (u64, u64) {
    let n = bytes.len();
    debug_assert!(n <= INLINE);
    let le8 = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    let le4 = |at: usize| {
        u64::from(u32::from_le_bytes(
            bytes[at..at + 4].try_into().unwrap_or_default(),
        ))
    };
    let byte = |at: usize| u64::from(bytes[at]);
    if n > 8 {
        // Bytes 8 to `n` are the top `n - 8` of the last eight.
        (le8(0), le8(n - 8) >> (8 * (16 - n)))
    } else if n == 8 {
        (le8(0), 0)
    } else if n >= 4 {
        (le4(0) | le4(n - 4) << (8 * (n - 4)), 0)
    } else if n > 0 {
        (
            byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1)),
            0,
        )
    } else {
        (0, 0)
    }
}

/// Longest ASCII word (without a possessive) that [`short_ascii_word`]
/// takes: two 8-byte loads.
const SHORT_WORD: usize = 16;

/// The `n` bytes (1 to 8) of `bytes` from `at` as a little-endian integer,
/// zero padded. One unaligned load when 8 bytes are there to read.
#[inline]
fn load_le(bytes: &[u8], at: usize, n: usize) -> u64 {
    debug_assert!((1..=8).contains(&n));
    let word = match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => load_le_tail(&bytes[at..at + n]),
    };
    word & (u64::MAX >> (64 - 8 * n))
}

/// `bytes` (at most 8) as a little-endian integer: the last bytes of a text,
/// where an 8-byte load would run past its end.
#[cold]
#[inline(never)]
fn load_le_tail(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0, |word, &b| (word << 8) | u64::from(b))
}

/// `word` (ASCII bytes packed in an integer) with `A`-`Z` lowercased, all
/// eight bytes at once: no byte is above 0x7F, so the additions carry into
/// no neighbour and each byte's top bit says how it compares.
#[inline]
fn ascii_lowercase_packed(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Top bit set in bytes >= `A`, and in bytes > `Z`.
    let from_a = word + ONES * u64::from(0x80 - b'A');
    let past_z = word + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = from_a & !past_z & (ONES * 0x80);
    word | (upper >> 2)
}

/// The lowercased text and [`Lexicons::first_mask`] of an ASCII word of
/// `len` bytes (1 to [`SHORT_WORD`], possessive stripped) at byte `at` of
/// `text`, most of the words of a text: the word is read in two loads,
/// lowercased eight bytes at a time (cheaper than finding out whether it has
/// capitals), and a word of at most 8 bytes is looked up by the integer it
/// was read into.
#[inline]
fn short_ascii_word(text: &[u8], at: usize, len: usize, lex: &Lexicons) -> (Lower, u64) {
    debug_assert!((1..=SHORT_WORD).contains(&len));
    let low = ascii_lowercase_packed(load_le(text, at, len.min(8)));
    let high = if len > 8 {
        ascii_lowercase_packed(load_le(text, at + 8, len - 8))
    } else {
        0
    };
    // SAFETY: the bytes are those of an ASCII word with ASCII capitals
    // lowercased, so ASCII; validating them again would cost a pass.
    let lower = unsafe { Lower::from_ascii_packed(low, high, len) };
    // No word has a NUL byte: the packed word is the lexicon's key.
    let mask = if len <= 8 {
        lex.first_mask_packed(low)
    } else {
        lex.first_mask_packed16(low, high)
    };
    (lower, mask)
}

/// Which quotations tokens fall in, asked in order of position.
struct QuoteCursor<'q> {
    /// Sorted and not overlapping.
    quotes: &'q [Quote],
    /// The first quote that does not end before the last position asked.
    next: usize,
    /// That quote's outer start and end (`usize::MAX` for both when there is
    /// none), so that most questions are answered by two comparisons.
    start: usize,
    end: usize,
}

impl<'q> QuoteCursor<'q> {
    /// A cursor for positions from `start` on.
    fn new(quotes: &'q [Quote], start: usize) -> Self {
        let next = quotes.partition_point(|q| q.outer.end <= start);
        let mut cursor = QuoteCursor {
            quotes,
            next,
            start: usize::MAX,
            end: usize::MAX,
        };
        cursor.load();
        cursor
    }

    /// Copies the bounds of quote `next`.
    #[inline]
    fn load(&mut self) {
        (self.start, self.end) = self
            .quotes
            .get(self.next)
            .map_or((usize::MAX, usize::MAX), |q| (q.outer.start, q.outer.end));
    }

    /// Whether byte `at` (no less than the last one asked) is inside a quote.
    #[inline]
    fn contains(&mut self, at: usize) -> bool {
        if at < self.end {
            return self.start <= at;
        }
        self.contains_past(at)
    }

    /// [`QuoteCursor::contains`] once `at` is past the current quote.
    #[cold]
    #[inline(never)]
    fn contains_past(&mut self, at: usize) -> bool {
        while self.next < self.quotes.len() && self.end <= at {
            self.next += 1;
            self.load();
        }
        self.start <= at && at < self.end
    }
}

/// The tokens of every sentence of an article, in one buffer.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    all: Vec<Token>,
    /// Sentence `i`'s tokens are `all[ends[i - 1]..ends[i]]` (from 0 for the
    /// first).
    ends: Vec<usize>,
}

impl Tokens {
    /// Tokenizes every span (a sentence each) into `buffer`, whose contents
    /// are dropped and whose room is reused.
    pub fn of_spans(
        text: &str,
        spans: impl ExactSizeIterator<Item = Span> + Clone,
        quotes: &[Quote],
        lex: &Lexicons,
        mut buffer: Vec<Token>,
    ) -> Self {
        buffer.clear();
        let mut ends = Vec::with_capacity(spans.len());
        // Room for one token per 3 bytes (see `tokenize_into`) at once: the
        // buffer never regrows, which would copy it and touch new pages.
        let bytes: usize = spans.clone().map(|s| s.end - s.start).sum();
        // A buffer too small is replaced, not grown: growing would copy
        // all of its old room.
        if buffer.capacity() < bytes / 3 + 1 {
            buffer = Vec::with_capacity(bytes / 3 + 1);
        }
        for span in spans {
            tokenize_into(text, span, quotes, lex, &mut buffer);
            ends.push(buffer.len());
        }
        Tokens { all: buffer, ends }
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Sentence `i`'s tokens.
    pub fn sentence(&self, i: usize) -> &[Token] {
        let from = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.all[from..self.ends[i]]
    }

    /// Every sentence's tokens, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[Token]> + '_ {
        (0..self.ends.len()).map(|i| self.sentence(i))
    }

    /// The buffer, emptied, for the next article.
    pub fn into_buffer(self) -> Vec<Token> {
        let mut all = self.all;
        all.clear();
        all
    }
}

/// Tokenizes `span` of `text`.
pub fn tokenize(text: &str, span: Span, quotes: &[Quote], lex: &Lexicons) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, span, quotes, lex, &mut out);
    out
}

/// The length of the word at byte `at` of `bytes` (an ASCII letter or
/// digit there), its bytes as a little-endian integer, zero padded, and
/// whether an ASCII space follows it, when it is a plain short word, as
/// most words of a text are: fewer than 8 ASCII letters and digits, not
/// within 8 bytes of the end, followed by a byte that neither joins (`'`,
/// `-`, `.`, `&`) nor starts a character outside ASCII. Such a word is all
/// [`scan_word`] would take, with no abbreviation period or possessive to
/// look at.
#[inline]
fn plain_short_word(bytes: &[u8], at: usize) -> Option<(usize, u64, bool)> {
    let eight = bytes.get(at..at + 8)?;
    let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
    let run = alnum_run(word);
    let after = CLASS[usize::from(*eight.get(run)?)];
    (after & (class::JOINER | class::NON_ASCII) == 0).then(|| {
        (
            run,
            word & (u64::MAX >> (64 - 8 * run)),
            after & class::SPACE != 0,
        )
    })
}

/// [`plain_short_word`] for a word of 8 to 15 ASCII letters and digits,
/// not within 16 bytes of the end: its length and its bytes as two
/// little-endian integers (the first 8, then the rest, zero padded).
#[inline]
fn plain_long_word(bytes: &[u8], at: usize) -> Option<(usize, u64, u64)> {
    let sixteen = bytes.get(at..at + 16)?;
    let low = u64::from_le_bytes(sixteen[..8].try_into().unwrap_or_default());
    if alnum_run(low) < 8 {
        return None;
    }
    let high = u64::from_le_bytes(sixteen[8..].try_into().unwrap_or_default());
    let run = alnum_run(high);
    let after = CLASS[usize::from(*sixteen.get(8 + run)?)];
    let rest = u64::MAX.checked_shr(64 - 8 * run as u32).unwrap_or(0);
    (after & (class::JOINER | class::NON_ASCII) == 0).then_some((8 + run, low, high & rest))
}

/// Appends a word token.
#[inline(always)]
fn push_word(out: &mut Vec<Token>, span: Span, cap: bool, in_quote: bool, lower: Lower, mask: u64) {
    out.push(Token {
        span,
        word: true,
        cap,
        in_quote,
        mask,
        lower,
    });
}

/// [`tokenize`], appending to `out`.
pub fn tokenize_into(
    text: &str,
    span: Span,
    quotes: &[Quote],
    lex: &Lexicons,
    out: &mut Vec<Token>,
) {
    let s = span.of(text);
    let bytes = s.as_bytes();
    // News text has about one token per 5 bytes and seldom more than one per
    // 3 in a sentence: room for all of them at once, without regrowing.
    out.reserve(s.len() / 3 + 1);
    let mut quotes = QuoteCursor::new(quotes, span.start);
    let mut b = 0;
    while let Some(&first) = bytes.get(b) {
        let class = CLASS[usize::from(first)];
        if class & class::SPACE != 0 {
            b += 1;
            continue;
        }
        let (len, word, cap) = if class & class::NON_ASCII == 0 {
            (1, class & class::ALNUM != 0, class & class::UPPER != 0)
        } else {
            let c = char_at(s, b);
            if c.is_whitespace() {
                b += c.len_utf8();
                continue;
            }
            let word = is_alphanumeric(c);
            (c.len_utf8(), word, word && c.is_uppercase())
        };
        let abs = span.start + b;
        if word && class & class::NON_ASCII == 0 {
            if let Some((run, word, space_after)) = plain_short_word(bytes, b) {
                // Lowercased and looked up in the integer its bytes were
                // loaded in to find its end.
                let packed = ascii_lowercase_packed(word);
                push_word(
                    out,
                    Span::new(abs, abs + run),
                    class & class::UPPER != 0,
                    quotes.contains(abs),
                    // SAFETY: the bytes are ASCII letters and digits,
                    // lowercased.
                    unsafe { Lower::from_ascii_packed(packed, 0, run) },
                    lex.first_mask_packed(packed),
                );
                // The space after it, if one, is skipped here, at no cost.
                b += run + usize::from(space_after);
                continue;
            }
            if let Some((len, low, high)) = plain_long_word(bytes, b) {
                let low = ascii_lowercase_packed(low);
                let high = ascii_lowercase_packed(high);
                // SAFETY: the bytes are ASCII letters and digits,
                // lowercased.
                let lower = unsafe { Lower::from_ascii_packed(low, high, len) };
                let mask = if len == 8 {
                    lex.first_mask_packed(low)
                } else {
                    lex.first_mask_packed16(low, high)
                };
                push_word(
                    out,
                    Span::new(abs, abs + len),
                    class & class::UPPER != 0,
                    quotes.contains(abs),
                    lower,
                    mask,
                );
                b += len;
                continue;
            }
        }
        if word {
            let (mut end, classes) = scan_word(s, b + len);
            let classes = classes | class;
            // Keep the period of an abbreviation or initial (`Sen.`, `J.`, `U.S.`).
            if bytes.get(end) == Some(&b'.') {
                let initial = cap && end == b + len;
                // An ASCII word is ruled out by its first byte and length.
                let may_be =
                    classes & class::NON_ASCII != 0 || lex.may_be_abbreviation(first, end - b);
                if initial
                    || classes & class::DOT != 0
                    || (may_be && lex.abbreviation(&s[b..end]).is_some())
                {
                    end += 1;
                }
            }
            let (lower, mask) = if classes & class::NON_ASCII == 0 {
                // A word ending with `'s` has kept `'` as a joiner (most
                // words have none), and has at least three bytes.
                let possessive = classes & class::JOINER != 0
                    && end - b >= 3
                    && bytes[end - 1] == b's'
                    && bytes[end - 2] == b'\'';
                let bare = if possessive { end - b - 2 } else { end - b };
                if bare <= SHORT_WORD {
                    short_ascii_word(text.as_bytes(), abs, bare, lex)
                } else {
                    let bare = &s[b..b + bare];
                    let upper = bare.bytes().any(|b| b.is_ascii_uppercase());
                    let lower = lowercase(bare, true, upper);
                    let mask = lex.first_mask(&lower);
                    (lower, mask)
                }
            } else {
                let bare = strip_possessive(&s[b..end]);
                // A word outside ASCII may be ASCII without its `’s`.
                let ascii = bare.is_ascii();
                let upper = ascii && bare.bytes().any(|b| b.is_ascii_uppercase());
                let lower = lowercase(bare, ascii, upper);
                let mask = lex.first_mask(&lower);
                (lower, mask)
            };
            push_word(
                out,
                Span::new(abs, span.start + end),
                cap,
                quotes.contains(abs),
                lower,
                mask,
            );
            b = end;
        } else {
            out.push(Token {
                span: Span::new(abs, abs + len),
                word: false,
                cap: false,
                in_quote: quotes.contains(abs),
                mask: 0,
                lower: Lower::new(&s[b..b + len]),
            });
            b += len;
        }
    }
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

    /// The straightforward tokenizer the one above must agree with: it
    /// decodes every char and asks the standard library about it.
    mod reference {
        use super::*;

        fn lowercase(word: &str) -> Lower {
            if word.is_ascii() {
                Lower::new(&word.to_ascii_lowercase())
            } else {
                Lower::new(&crate::lexicon::lower(word))
            }
        }

        fn char_at(s: &str, at: usize) -> Option<char> {
            s.get(at..).and_then(|rest| rest.chars().next())
        }

        fn word_end(s: &str, b: usize) -> usize {
            let mut end = b;
            while let Some(cj) = char_at(s, end) {
                if cj.is_alphanumeric() {
                    end += cj.len_utf8();
                    continue;
                }
                if matches!(cj, '\'' | '’' | '-' | '.' | '&' | '\u{2011}') {
                    let after = end + cj.len_utf8();
                    if let Some(n) = char_at(s, after).filter(|n| n.is_alphanumeric()) {
                        end = after + n.len_utf8();
                        continue;
                    }
                }
                break;
            }
            end
        }

        pub fn tokenize(text: &str, span: Span, quotes: &[Quote], lex: &Lexicons) -> Vec<Token> {
            let s = span.of(text);
            let in_quote = |at: usize| {
                quotes
                    .iter()
                    .any(|q| q.outer.start <= at && at < q.outer.end)
            };
            let mut out = Vec::new();
            let mut b = 0;
            while let Some(c) = char_at(s, b) {
                if c.is_whitespace() {
                    b += c.len_utf8();
                    continue;
                }
                let abs = span.start + b;
                if c.is_alphanumeric() {
                    let mut end = word_end(s, b + c.len_utf8());
                    if s[end..].starts_with('.') {
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
                    out.push(Token {
                        span: Span::new(abs, abs + c.len_utf8()),
                        word: false,
                        cap: false,
                        in_quote: in_quote(abs),
                        mask: 0,
                        lower: Lower::new(&c.to_string()),
                    });
                    b += c.len_utf8();
                }
            }
            out
        }
    }

    /// The fields of a token, for comparing.
    fn fields(t: &Token) -> (usize, usize, bool, bool, bool, String, u64) {
        (
            t.span.start,
            t.span.end,
            t.word,
            t.cap,
            t.in_quote,
            t.lower.to_string(),
            t.mask,
        )
    }

    /// Checks `tokenize` against the reference on `span` of `text`.
    fn agrees(text: &str, span: Span, lex: &Lexicons) {
        let quotes = crate::quote::find_quotes(text, &crate::segment::paragraphs(text));
        for quotes in [&quotes[..], &[]] {
            let got: Vec<_> = tokenize(text, span, quotes, lex)
                .iter()
                .map(fields)
                .collect();
            let want: Vec<_> = reference::tokenize(text, span, quotes, lex)
                .iter()
                .map(fields)
                .collect();
            assert_eq!(got, want, "{:?}", span.of(text));
        }
    }

    /// Pieces of text that the tokenizer treats in different ways.
    const PIECES: &[&str] = &[
        "the",
        "Senate",
        "said",
        // Words about the 8 bytes a plain word is read in.
        "Federal",
        "minister",
        "OFFICIALS",
        "spokeswoman",
        "1234567",
        "2026",
        "U.S.",
        "Sen.",
        "J.",
        "Dr.",
        "etc.",
        "Inc.",
        "a.m.",
        "3.5",
        "3.5.",
        "1,000",
        "$12",
        "Núñez-Ruiz",
        "ÉCOLE",
        "Ærø",
        "straße",
        "ΣΟΦΟΣ",
        "İstanbul",
        "ǅemal",
        "日本語",
        "Москва",
        "DHS's",
        "Trump’s",
        "rock’n’roll’s",
        "it's",
        "o'clock",
        "'s",
        "’s",
        "AT&T",
        "R&D",
        "&",
        "well-known",
        "non\u{2011}stop",
        "-",
        "--",
        "—",
        "–",
        "…",
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "«",
        "»",
        "(",
        ")",
        ",",
        ".",
        "..",
        "?",
        "!",
        ":",
        ";",
        "/",
        "🙏",
        "✊🏽",
        "👩‍👩‍👧",
        "e\u{301}",
        "x²",
        "Ⅻ",
        "½",
        "١٢٣",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{b}",
        "\u{c}",
        "\u{a0}",
        "\u{2009}",
        "\u{202f}",
        "\u{3000}",
        "\u{85}",
        "\u{2028}",
        "\u{200b}",
        "\u{feff}",
        "\u{1c}",
        "\0",
        "x",
        "A",
        "B.",
        "9.",
        "Mr",
        "Mrs.",
        "Gov.",
        "No.",
        "St.",
        "Calif.",
        "Ph.D.",
        "e.g.",
        "i.e.",
        "internationalization",
        "Supercalifragilisticexpialidocious",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "s",
        "S's",
        "Abcdefgh's",
        "ABCDEFGHIJKLMNOP",
        "abcdefghijklmnop's",
        "ABCDEFGHIJKLMNOPQ's",
        "Said",
        "SAID",
        "According",
    ];

    /// A small deterministic pseudo-random generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn packed_lowercasing_agrees_with_the_standard_library() {
        // Every ASCII byte in every position, next to every other.
        for a in 0u8..128 {
            for b in 0u8..128 {
                let bytes = [a, b, b'A', b'Z', b'@', b'[', b'`', b'{'];
                let want = bytes.map(|x| x.to_ascii_lowercase());
                let got = ascii_lowercase_packed(u64::from_le_bytes(bytes)).to_le_bytes();
                assert_eq!(got, want, "{bytes:?}");
            }
        }
    }

    #[test]
    fn alnum_runs_end_where_the_byte_by_byte_scan_ends() {
        // Every byte in every position, after and before letters and digits.
        for a in 0u8..=255 {
            for at in 0..12 {
                let mut bytes = *b"aZ09mQ7kzA5b";
                bytes[at] = a;
                for from in 0..bytes.len() {
                    let mut want = from;
                    while want < bytes.len() && bytes[want].is_ascii_alphanumeric() {
                        want += 1;
                    }
                    assert_eq!(alnum_end(&bytes, from), want, "{bytes:?} {from}");
                }
            }
        }
        let text = crate::testing::pieced(PIECES, 200, 30).join(" ");
        let bytes = text.as_bytes();
        for from in 0..bytes.len() {
            let mut want = from;
            while want < bytes.len() && bytes[want].is_ascii_alphanumeric() {
                want += 1;
            }
            assert_eq!(alnum_end(bytes, from), want, "{from}");
        }
    }

    #[test]
    fn loads_read_the_bytes_asked_for_anywhere_in_the_text() {
        let text = b"Abc'sDefGhijKLMNOPQrst-uv";
        for at in 0..text.len() {
            for n in 1..=8.min(text.len() - at) {
                let mut want = [0u8; 8];
                want[..n].copy_from_slice(&text[at..at + n]);
                assert_eq!(load_le(text, at, n), u64::from_le_bytes(want), "{at} {n}");
            }
        }
    }

    #[test]
    fn packing_keeps_every_byte_in_place() {
        let text = "Abc'sDéfGhijKLMNOPQrst-uv".as_bytes();
        for at in 0..text.len() {
            for n in 0..=INLINE.min(text.len() - at) {
                let mut want = [0u8; 16];
                want[..n].copy_from_slice(&text[at..at + n]);
                let (low, high) = pack(&text[at..at + n]);
                assert_eq!(
                    low,
                    u64::from_le_bytes(want[..8].try_into().unwrap()),
                    "{at} {n}"
                );
                assert_eq!(
                    high,
                    u64::from_le_bytes(want[8..].try_into().unwrap()),
                    "{at} {n}"
                );
            }
        }
        for word in [
            "",
            ",",
            "’",
            "é",
            "Abc",
            "ABCDEFGHIJKLMNOP",
            "Ab’cdéfghijkl",
        ] {
            assert_eq!(Lower::new(word).as_str(), word);
        }
        for (word, upper) in [("ABC", true), ("abc", false), ("MacDONALD-Smith", true)] {
            assert_eq!(
                lowercase(word, true, upper).as_str(),
                word.to_ascii_lowercase()
            );
        }
    }

    #[test]
    fn short_ascii_words_agree_with_the_simple_form() {
        let lex = Lexicons::builtin();
        let text = crate::testing::pieced(PIECES, 200, 30).join(" ");
        let bytes = text.as_bytes();
        let mut checked = 0;
        for (at, _) in text.char_indices() {
            for len in 1..=SHORT_WORD {
                let Some(word) = text.get(at..at + len) else {
                    continue;
                };
                if !word
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"'-.&".contains(&b))
                {
                    continue;
                }
                let (lower, mask) = short_ascii_word(bytes, at, len, &lex);
                assert_eq!(lower, word.to_ascii_lowercase().as_str(), "{word:?}");
                assert_eq!(mask, lex.first_mask(&lower), "{word:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn lower_keeps_text_of_any_length() {
        let text = "abcdefghijklmnopqrstuvwxyzé0123456789";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let lower = Lower::new(&text[..end]);
            assert_eq!(lower, &text[..end]);
            assert_eq!(lower.len(), end);
            let mut upper = Lower::new(&text[..end].to_uppercase());
            upper.make_ascii_lowercase();
            assert_eq!(
                upper,
                text[..end].to_uppercase().to_ascii_lowercase().as_str()
            );
        }
    }

    #[test]
    fn agrees_with_the_reference_on_chosen_text() {
        let lex = Lexicons::builtin();
        for text in [
            "",
            " ",
            "\u{a0}\u{2003}",
            "a",
            "A.",
            "“Go,” Sen. J. Núñez-Ruiz of the U.S. DHS's office said.",
            "He said: “It’s 3.5% of $1,000.” Then: ‘no’.\r\n\tAT&T’s  R&D — U.S.-based.",
            "The non\u{2011}stop flight’s crew (Mr. O'Neil, Ph.D.) left at 9 a.m.",
            "“Open quote never closed\n\n“Another” one",
            "Ærø’s ΣΟΦΟΣ İstanbul ǅemal 日本語 🙏 e\u{301} x² Ⅻ.",
        ] {
            agrees(text, Span::new(0, text.len()), &lex);
        }
    }

    #[test]
    fn agrees_with_the_reference_on_random_text() {
        let lex = Lexicons::builtin();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..rng.below(40) {
                text.push_str(PIECES[rng.below(PIECES.len())]);
                if rng.below(3) > 0 {
                    text.push(' ');
                }
            }
            agrees(&text, Span::new(0, text.len()), &lex);
            // A part of the text, as a sentence of a paragraph.
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let (x, y) = (
                bounds[rng.below(bounds.len())],
                bounds[rng.below(bounds.len())],
            );
            agrees(&text, Span::new(x.min(y), x.max(y)), &lex);
        }
    }

    #[test]
    fn tokens_of_spans_are_each_sentences_tokens_whatever_the_buffer_held() {
        let lex = Lexicons::builtin();
        let text = "“Go,” Sen. Núñez said. Then he left.\n\nThe U.S. agency's staff agreed.";
        let quotes = crate::quote::find_quotes(text, &crate::segment::paragraphs(text));
        let seg = crate::segment::segment(text, &lex);
        let spans = || seg.sentences.iter().map(|s| s.span);
        // A buffer left with another article's tokens and more room.
        let old = tokenize("Earlier text, long gone.", Span::new(0, 24), &[], &lex);
        let tokens = Tokens::of_spans(text, spans(), &quotes, &lex, old);
        assert_eq!(tokens.len(), seg.sentences.len());
        assert!(tokens.len() >= 3);
        for (i, span) in spans().enumerate() {
            let want: Vec<_> = tokenize(text, span, &quotes, &lex)
                .iter()
                .map(fields)
                .collect();
            let got: Vec<_> = tokens.sentence(i).iter().map(fields).collect();
            assert_eq!(got, want, "sentence {i}");
        }
        let total: usize = tokens.iter().map(<[Token]>::len).sum();
        let buffer = tokens.into_buffer();
        assert!(buffer.is_empty() && buffer.capacity() >= total);
    }
}
