//! Lexicons: the tunable word lists behind segmentation and attribution.
//!
//! Each lexicon is a readable text file in `data/lexicons/` (one entry a line,
//! `#` comments), compiled into the binary. `Lexicons::load(dir)` replaces any
//! of them with a file of the same name found in `dir`.

use std::borrow::Cow;
use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// `word` in lower case, borrowed when it has no capitals.
#[inline]
pub fn lower(word: &str) -> Cow<'_, str> {
    // One pass for the usual case: ASCII, already in lower case.
    let (mut upper, mut other) = (false, false);
    for b in word.bytes() {
        upper |= b.is_ascii_uppercase();
        other |= !b.is_ascii();
    }
    if !other {
        if upper {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().any(char::is_uppercase) {
        Cow::Owned(lower_mixed(word))
    } else {
        Cow::Borrowed(word)
    }
}

/// `str::to_lowercase` for text that is mostly ASCII with some other
/// characters (curly quotes, accents): runs of ASCII skip the Unicode tables.
/// The same result, except that a word-final Greek capital sigma becomes `σ`
/// rather than `ς`.
fn lower_mixed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
    out
}

/// A set of words or multi-word phrases, matched against token sequences.
///
/// Lookups are on the hot path: a word's shape is checked before any hashing,
/// one lookup a word tells both whether the phrase so far is an entry and
/// whether a longer one can follow, and hashing uses FxHash.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    /// Every lowercased beginning of an entry, of one word or more (words
    /// joined by one space), whole entries included.
    beginnings: FxHashMap<Box<str>, Beginning>,
    /// How many entries (distinct in lower case).
    entries: usize,
    /// Lowercased first words of the entries.
    first: FxHashSet<Box<str>>,
    /// Whether a first word is not ASCII.
    non_ascii_first: bool,
    /// The shapes of the entries' first words.
    shapes: Shapes,
    max_words: usize,
    /// This set's bit in [`Lexicons::first_mask`].
    bit: u64,
}

/// What a beginning of entries is.
#[derive(Debug, Clone, Default)]
struct Beginning {
    /// `Some` when it is a whole entry, with the exact spelling the entry
    /// requires when the set respects case and the entry has capitals.
    entry: Option<Option<Box<str>>>,
    /// Whether a longer entry starts with it.
    longer: bool,
}

impl PhraseSet {
    /// Builds a set. With `respect_case`, entries that contain capitals match
    /// only text with the same capitals.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a str>, respect_case: bool) -> Self {
        let mut set = PhraseSet::default();
        for entry in entries {
            let words: Vec<&str> = entry.split_whitespace().collect();
            if words.is_empty() {
                continue;
            }
            let phrase = words.join(" ");
            let exact = if respect_case && phrase.chars().any(char::is_uppercase) {
                Some(phrase.clone().into_boxed_str())
            } else {
                None
            };
            set.max_words = set.max_words.max(words.len());
            let first = words[0].to_lowercase();
            set.shapes.add(&first);
            set.non_ascii_first |= !first.is_ascii();
            set.first.insert(first.into_boxed_str());
            for n in 1..words.len() {
                let beginning = words[..n].join(" ").to_lowercase().into_boxed_str();
                set.beginnings.entry(beginning).or_default().longer = true;
            }
            let whole = set
                .beginnings
                .entry(phrase.to_lowercase().into_boxed_str())
                .or_default();
            whole.entry = Some(exact);
        }
        set.entries = set
            .beginnings
            .values()
            .filter(|b| b.entry.is_some())
            .count();
        set
    }

    /// Whether an entry may start with `word`: false only when none can
    /// (an ASCII word whose first byte and length, lowercased, no entry's
    /// first word has).
    #[inline]
    fn may_start_with(&self, word: &str) -> bool {
        self.shapes.may_be(word)
    }

    /// Whether a single word or phrase (words separated by single spaces) is in the set.
    pub fn contains(&self, phrase: &str) -> bool {
        // The first word (a byte loop: phrases are short, mostly one word).
        let first = match phrase.bytes().position(|b| b == b' ') {
            Some(space) => &phrase[..space],
            None => phrase,
        };
        if !self.may_start_with(first) {
            return false;
        }
        let key = lower(phrase);
        match self.beginnings.get(key.as_ref()).map(|b| &b.entry) {
            Some(Some(Some(exact))) => exact.as_ref() == phrase,
            Some(Some(None)) => true,
            _ => false,
        }
    }

    /// The number of words of the longest entry matching at the start of `words`.
    pub fn longest_prefix(&self, words: &[&str]) -> Option<usize> {
        self.longest_prefix_of(words.len(), |n| words[n])
    }

    /// [`PhraseSet::longest_prefix`] of `count` words, the `n`-th (from 0)
    /// given by `word`: words held elsewhere (a sentence's tokens) need not
    /// be gathered into a slice first.
    pub fn longest_prefix_of<'w>(
        &self,
        count: usize,
        word: impl Fn(usize) -> &'w str,
    ) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let first = word(0);
        if !self.may_start_with(first) {
            return None;
        }
        let first_lower = lower(first);
        let beginning = self.beginnings.get(first_lower.as_ref())?;
        let mut best = entry_matches(beginning, 1, &word).then_some(1);
        let limit = self.max_words.min(count);
        if beginning.longer && limit >= 2 {
            // Inline (no allocation) for phrases of up to 24 bytes.
            let mut phrase = compact_str::CompactString::from(first_lower.as_ref());
            for n in 2..=limit {
                phrase.push(' ');
                phrase.push_str(&lower(word(n - 1)));
                let Some(beginning) = self.beginnings.get(phrase.as_str()) else {
                    break;
                };
                if entry_matches(beginning, n, &word) {
                    best = Some(n);
                }
                if !beginning.longer {
                    break;
                }
            }
        }
        best
    }

    /// The number of words of the longest entry ending at the end of `words`.
    pub fn longest_suffix(&self, words: &[&str]) -> Option<usize> {
        let mut best = None;
        for n in 1..=self.max_words.min(words.len()) {
            if !self.first.contains(lower(words[words.len() - n]).as_ref()) {
                continue;
            }
            let phrase = words[words.len() - n..].join(" ");
            if self.contains(&phrase) {
                best = Some(n);
            }
        }
        best
    }

    /// The first occurrence of any entry in `words`: (start word, word count).
    pub fn find_in(&self, words: &[&str]) -> Option<(usize, usize)> {
        (0..words.len()).find_map(|i| self.longest_prefix(&words[i..]).map(|n| (i, n)))
    }

    /// The last occurrence of any entry in `words`: (start word, word count).
    pub fn rfind_in(&self, words: &[&str]) -> Option<(usize, usize)> {
        (0..words.len())
            .rev()
            .find_map(|i| self.longest_prefix(&words[i..]).map(|n| (i, n)))
    }

    /// Whether a token's word (lowercased) is an entry: [`PhraseSet::contains`]
    /// for its lowercase form, ruled out by one bit test when no entry starts
    /// with it.
    #[inline]
    pub fn has_token(&self, token: &crate::quote::Token) -> bool {
        (self.bit == 0 || self.may_start(token.mask)) && self.contains(&token.lower)
    }

    /// Whether an entry may start at a word whose [`Lexicons::first_mask`] is
    /// `mask`: one bit test instead of a lookup.
    pub fn may_start(&self, mask: u64) -> bool {
        mask & self.bit != 0
    }

    pub fn len(&self) -> usize {
        self.entries
    }

    /// The number of words of the longest entry.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }
}

/// Whether the first `n` words (the `k`-th given by `word`) match
/// `beginning` as a whole entry, capitals included where the entry requires
/// them.
#[inline]
fn entry_matches<'w>(beginning: &Beginning, n: usize, word: impl Fn(usize) -> &'w str) -> bool {
    match &beginning.entry {
        Some(Some(exact)) => exact.split(' ').eq((0..n).map(word)),
        Some(None) => true,
        None => false,
    }
}

/// Openings of texts (`photo:`, `read more`), looked up by the text's first
/// word instead of tried one by one.
#[derive(Debug, Clone)]
pub struct Openings {
    /// The openings, lowercased, in file order.
    pub list: Vec<String>,
    /// An opening's leading run of letters and digits -> its places in `list`.
    by_word: FxHashMap<String, Vec<usize>>,
    /// The shapes of the leading words.
    shapes: Shapes,
    /// Whether an opening has no leading word (`©`).
    has_empty_word: bool,
}

impl Default for Openings {
    fn default() -> Self {
        Openings::new(Vec::new())
    }
}

impl Openings {
    /// `list` must be lowercased.
    pub fn new(list: Vec<String>) -> Self {
        let mut by_word: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let (mut shapes, mut has_empty_word) = (Shapes::default(), false);
        for (i, opening) in list.iter().enumerate() {
            let word = leading_word(opening);
            // A non-ASCII word adds no shape: no ASCII text can start with
            // it, and other texts are tried anyway.
            has_empty_word |= word.is_empty();
            shapes.add(word);
            by_word.entry(word.to_string()).or_default().push(i);
        }
        Openings {
            list,
            by_word,
            shapes,
            has_empty_word,
        }
    }

    /// Whether an opening may start `text` once lowercased: false when
    /// the leading word of `text` is ASCII and no opening's leading word has
    /// its first byte (lowercased) and length. Rules out most texts before
    /// they are lowercased for [`Openings::find`].
    pub fn may_start(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let len = bytes
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len());
        // A non-ASCII character may be a letter, or lowercase to one.
        if bytes.get(len).is_some_and(|b| !b.is_ascii()) {
            return true;
        }
        match bytes.first() {
            Some(&b) if len > 0 => self.shapes.fits(b, len),
            _ => self.has_empty_word,
        }
    }

    /// The first opening (in file order) that `lower`, a lowercased text,
    /// starts with, followed by its end or a character that is not a letter
    /// or digit. Only openings with the text's first word can match: after
    /// that word, opening and text go on with the same character.
    pub fn find(&self, lower: &str) -> Option<&str> {
        self.by_word
            .get(leading_word(lower))?
            .iter()
            .map(|&i| self.list[i].as_str())
            .find(|p| {
                lower.starts_with(p)
                    && lower[p.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
    }
}

/// The leading run of letters and digits of `s`. Goes by bytes while they
/// are ASCII, decoding characters only from the first non-ASCII one on.
fn leading_word(s: &str) -> &str {
    let bytes = s.as_bytes();
    let ascii = bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len());
    if bytes.get(ascii).is_none_or(u8::is_ascii) {
        return &s[..ascii];
    }
    let rest = &s[ascii..];
    let end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    &s[..ascii + end]
}

/// Substrings looked for anywhere in a text, whatever its case.
///
/// The search looks at a few places of a text rather than at every byte,
/// and checks each against the markers that may be there:
/// - a marker with a byte seldom seen in prose (the `/` of `reuters/`) is
///   looked for where `memchr` finds that byte (its anchor), and so is one
///   shorter than `SAMPLED_LEN` bytes, anchored on its last byte;
/// - the others by the four bytes at every `step`-th offset of the text:
///   an occurrence of a marker of `step + 3` bytes or more holds the four
///   bytes at one of those offsets, and those four, their case folded, are
///   first looked up in a bit set of the hashes of the markers' four-byte
///   pieces.
///
/// Both ways are derived from the list, so any list is searched exactly.
#[derive(Debug, Clone)]
pub struct Markers {
    /// The markers, lowercased.
    pub list: Vec<String>,
    /// Whether a marker is empty, and so found in every text.
    empty: bool,
    /// Whether every marker is ASCII (see [`Markers::found_in`]).
    ascii: bool,
    /// The markers found by an anchor: `(anchor, marker, offset)`, the
    /// anchor lowercased and at `offset` in `list[marker]`.
    anchored: Vec<(u8, usize, usize)>,
    /// The anchors, both cases of a letter: where the search for those
    /// markers stops.
    needles: Vec<u8>,
    /// The other markers' folded four-byte pieces: `(piece, marker,
    /// offset)`, sorted.
    pieces: Vec<(u32, usize, usize)>,
    /// Bit [`Markers::slot`] is set for each piece of `pieces`. An array,
    /// so that a slot's word is read without a bounds check.
    piece_slots: Box<[u64; Markers::SLOTS / 64]>,
    /// How far apart the offsets whose four bytes are looked up are.
    step: usize,
}

impl Markers {
    /// The shortest marker found by its pieces: the longer the shortest,
    /// the fewer offsets are looked up (one in five at this length).
    const SAMPLED_LEN: usize = 8;
    /// Sets bit 5 of every byte of a piece, making ASCII letters lowercase:
    /// bytes equal but for ASCII case fold alike.
    const FOLD: u32 = 0x2020_2020;
    /// The number of bits of [`Markers::piece_slots`], a power of two.
    const SLOTS: usize = 1 << 12;

    /// `list` must be lowercased.
    pub fn new(list: Vec<String>) -> Self {
        let mut markers = Markers {
            list: Vec::new(),
            empty: false,
            ascii: list.iter().all(|m| m.is_ascii()),
            anchored: Vec::new(),
            needles: Vec::new(),
            pieces: Vec::new(),
            piece_slots: Box::new([0; Self::SLOTS / 64]),
            step: usize::MAX,
        };
        for (i, marker) in list.iter().enumerate() {
            let bytes = marker.as_bytes();
            let rare = bytes.iter().position(|&b| Self::is_rare(b));
            if bytes.is_empty() {
                markers.empty = true;
            } else if rare.is_none() && bytes.len() >= Self::SAMPLED_LEN {
                markers.step = markers.step.min(bytes.len() - 3);
                for offset in 0..=bytes.len() - 4 {
                    let piece = Self::piece(&bytes[offset..]);
                    markers.pieces.push((piece, i, offset));
                    let slot = Self::slot(piece);
                    markers.piece_slots[slot / 64] |= 1 << (slot % 64);
                }
            } else {
                // A short marker of common bytes is found, slowly, by its last.
                let offset = rare.unwrap_or(bytes.len() - 1);
                let anchor = bytes[offset].to_ascii_lowercase();
                markers.anchored.push((anchor, i, offset));
                for needle in [anchor, anchor.to_ascii_uppercase()] {
                    if !markers.needles.contains(&needle) {
                        markers.needles.push(needle);
                    }
                }
            }
        }
        markers.pieces.sort_unstable();
        markers.list = list;
        markers
    }

    /// Whether `b` is an ASCII punctuation mark or symbol seldom seen in
    /// prose: an anchor that stops the search in few places.
    fn is_rare(b: u8) -> bool {
        b.is_ascii_punctuation() && !b".,'\"-():;!?".contains(&b)
    }

    /// The first four bytes of `bytes`, folded.
    fn piece(bytes: &[u8]) -> u32 {
        let four = bytes[..4].try_into().expect("four bytes");
        u32::from_le_bytes(four) | Self::FOLD
    }

    /// The bit of `piece` in [`Markers::piece_slots`] (a multiplicative hash).
    fn slot(piece: u32) -> usize {
        (piece.wrapping_mul(0x9E37_79B1) >> (32 - Self::SLOTS.trailing_zeros())) as usize
    }

    /// Whether a marker occurs in `text`, ignoring case: as
    /// `lower(text).contains(marker)` for each marker.
    pub fn found_in(&self, text: &str) -> bool {
        if self.empty {
            return true;
        }
        // Lowercasing changes nothing the ASCII-insensitive search cares
        // about unless a non-ASCII character has another lowercase form
        // (`É`, `ǅ`); curly quotes and accented small letters do not. ASCII
        // markers can only be found in ASCII, and only two non-ASCII
        // characters lowercase to some (tested), so for those the text is
        // searched for these two alone.
        let lowering_matters = if self.ascii {
            Self::lowers_to_ascii(text)
        } else {
            Self::lowering_changes_non_ascii(text)
        };
        if lowering_matters {
            self.occur_in(lower(text).as_bytes())
        } else {
            self.occur_in(text.as_bytes())
        }
    }

    /// Whether a marker occurs in `hay`, ignoring ASCII case.
    fn occur_in(&self, hay: &[u8]) -> bool {
        // The sampled offsets, in a plain loop: each reads its four bytes
        // with one bounds check (`at < end` keeps `at + 4` in `hay`). No
        // offset is sampled without pieces (`step` is then `usize::MAX`).
        let end = if self.pieces.is_empty() {
            0
        } else {
            hay.len().saturating_sub(3)
        };
        let mut at = 0;
        while at < end {
            let four = hay[at..at + 4].try_into().expect("four bytes");
            let piece = u32::from_le_bytes(four) | Self::FOLD;
            let slot = Self::slot(piece);
            if self.piece_slots[slot / 64] >> (slot % 64) & 1 != 0
                && self.piece_matches(hay, at, piece)
            {
                return true;
            }
            at += self.step;
        }
        self.needles.chunks(3).any(|n| {
            let needle = |i: usize| n[i.min(n.len() - 1)];
            memchr::memchr3_iter(needle(0), needle(1), needle(2), hay)
                .any(|at| self.anchor_matches(hay, at))
        })
    }

    /// Whether a marker with the folded four bytes `piece` occurs in `hay`
    /// with them at `at`.
    fn piece_matches(&self, hay: &[u8], at: usize, piece: u32) -> bool {
        let from = self.pieces.partition_point(|p| p.0 < piece);
        self.pieces[from..]
            .iter()
            .take_while(|p| p.0 == piece)
            .any(|&(_, marker, offset)| self.is_at(hay, marker, at.wrapping_sub(offset)))
    }

    /// Whether a marker anchored on the byte at `at` occurs in `hay` with
    /// its anchor there.
    fn anchor_matches(&self, hay: &[u8], at: usize) -> bool {
        let anchor = hay[at].to_ascii_lowercase();
        self.anchored
            .iter()
            .filter(|a| a.0 == anchor)
            .any(|&(_, marker, offset)| self.is_at(hay, marker, at.wrapping_sub(offset)))
    }

    /// Whether `list[marker]` occurs in `hay` at `start`, ignoring ASCII
    /// case (a `start` that wrapped below zero is past the end).
    fn is_at(&self, hay: &[u8], marker: usize, start: usize) -> bool {
        let marker = self.list[marker].as_bytes();
        hay.get(start..)
            .and_then(|rest| rest.get(..marker.len()))
            .is_some_and(|found| found.eq_ignore_ascii_case(marker))
    }

    /// Whether `text` has a non-ASCII character whose lowercase holds an
    /// ASCII one: the Kelvin sign (`k`) or `İ` (`i` and a combining dot).
    /// Found by their last bytes, which few characters have.
    fn lowers_to_ascii(text: &str) -> bool {
        const KELVIN: &[u8] = "\u{212a}".as_bytes();
        const DOTTED_I: &[u8] = "\u{130}".as_bytes();
        let bytes = text.as_bytes();
        memchr::memchr2_iter(KELVIN[2], DOTTED_I[1], bytes).any(|i| {
            let upto = &bytes[..=i];
            upto.ends_with(KELVIN) || upto.ends_with(DOTTED_I)
        })
    }

    /// Whether `lower(text)` differs from `text` in a non-ASCII character;
    /// if not, it is `text.to_ascii_lowercase()`. Decodes only the
    /// characters that start at a non-ASCII byte, and skips general
    /// punctuation (curly quotes, dashes), which has no case.
    pub(crate) fn lowering_changes_non_ascii(text: &str) -> bool {
        let mut at = 0;
        while let Some(i) = Self::next_non_ascii(text.as_bytes(), at) {
            let c = text[i..].chars().next().unwrap_or_default();
            if !matches!(c, '\u{2000}'..='\u{206f}') {
                let mut lower = c.to_lowercase();
                if lower.next() != Some(c) || lower.next().is_some() {
                    return true;
                }
            }
            at = i + c.len_utf8();
        }
        false
    }

    /// The offset of the first non-ASCII byte of `bytes` from `from` on,
    /// looking at eight bytes at a time.
    fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
        const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
        let mut chunks = bytes[from..].chunks_exact(8);
        let mut offset = from;
        for chunk in &mut chunks {
            let high = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) & HIGHS;
            if high != 0 {
                return Some(offset + high.trailing_zeros() as usize / 8);
            }
            offset += 8;
        }
        let rest = chunks.remainder();
        rest.iter().position(|b| !b.is_ascii()).map(|i| offset + i)
    }
}

/// Whether an abbreviation can end a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Never ends a sentence (`Mr.`, `Jan.`).
    Title,
    /// May end one (`Inc.`, `U.S.`, `p.m.`).
    Final,
}

/// Document nouns and who issued them by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOwner {
    /// Issued by an official body unless another owner is named.
    Official,
    /// The owner named in the phrase decides.
    Owner,
}

/// Every lexicon the pipeline uses.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub abbreviations: FxHashMap<String, AbbrevClass>,
    /// The shapes of the abbreviations: rules out most words at once.
    abbreviation_shapes: Shapes,
    pub sentence_starters: PhraseSet,
    pub cue_verbs: PhraseSet,
    pub characterize_verbs: PhraseSet,
    pub observation_verbs: PhraseSet,
    pub document_verbs: PhraseSet,
    pub documents: HashMap<String, DocumentOwner>,
    pub document_set: PhraseSet,
    pub hedges: PhraseSet,
    pub media_hedges: PhraseSet,
    pub own_reporter: PhraseSet,
    pub official_bodies: PhraseSet,
    pub official_titles: PhraseSet,
    pub ambiguous_titles: PhraseSet,
    pub other_roles: PhraseSet,
    pub other_orgs: PhraseSet,
    pub media_outlets: PhraseSet,
    pub media_nouns: PhraseSet,
    pub media_name_words: PhraseSet,
    /// Openings of non-claim paragraphs (`Photo:`), lowercased.
    pub non_claim_prefixes: Openings,
    /// Markers of credit lines anywhere in a short paragraph.
    pub non_claim_markers: Markers,
    /// Last words of place names (`Street`, `County`).
    pub place_last: PhraseSet,
    /// First words of place names (`Port`, `San`).
    pub place_first: PhraseSet,
    /// Days, months, parts of the day, time zones.
    pub time_words: PhraseSet,
    /// Words that open a cue outside the cue lexicons (passive hedges,
    /// `according`): with the cue sets, they make [`Lexicons::cue_bits`].
    cue_openers: PhraseSet,
    /// The closed word classes of the cue walks
    /// ([`crate::quote::WORD_CLASSES`]), each with its bit
    /// ([`word_class_bit`]).
    word_classes: Vec<PhraseSet>,
    /// Lowercased word -> bits of the sets with an entry starting with it.
    first_masks: FirstMasks,
}

/// The [`Lexicons::first_mask`] bit of the `k`-th closed word class of the
/// cue walks: set for the words of the class.
pub const fn word_class_bit(k: usize) -> u64 {
    1 << (WORD_CLASS_SHIFT + k)
}

/// Where the word classes' bits start (the phrase sets' bits are below).
const WORD_CLASS_SHIFT: usize = 32;

/// Lowercased first words -> set bits. Words of up to 16 ASCII bytes (most
/// words of a text) are packed into one or two integers and looked up in a
/// [`BucketTable`]: a multiply and one cache line read, with no string
/// hashing or comparison, and no branch on what the word is.
#[derive(Debug, Clone, Default)]
struct FirstMasks {
    /// The ASCII words of 1 to 8 bytes, packed as [`FirstMasks::pack`] packs.
    short: BucketTable<u64>,
    /// The ASCII words of 9 to 16 bytes: their first 8 bytes and the rest,
    /// each packed as [`FirstMasks::pack`] packs.
    medium: BucketTable<(u64, u64)>,
    /// Every word that `short` does not hold.
    long: FxHashMap<Box<str>, u64>,
}

/// A key of a [`BucketTable`]: its zero value marks an empty place and is
/// never a key.
trait BucketKey: Copy + Ord + Default + std::fmt::Debug {
    /// The key folded into one integer, to be hashed.
    fn fold(self) -> u64;
}

impl BucketKey for u64 {
    #[inline]
    fn fold(self) -> u64 {
        self
    }
}

impl BucketKey for (u64, u64) {
    #[inline]
    fn fold(self) -> u64 {
        self.0 ^ self.1.wrapping_mul(0x517C_C1B7_2722_0A95)
    }
}

/// Keys a bucket holds.
const BUCKET: usize = 4;

/// Up to [`BUCKET`] keys and their bits, in one cache line for `u64` keys.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket<K> {
    keys: [K; BUCKET],
    bits: [u64; BUCKET],
}

/// A hash table from keys to bits in which every key is in the bucket its
/// hash names (the multiplier is chosen, and the table grown, until no
/// bucket overflows). A look-up compares the key with the bucket's four and
/// ors together the bits of the one that is equal: no loop and no branch
/// on whether, or where, the key is found, which a probing table
/// mispredicts about once for every word of a text.
#[derive(Debug, Clone)]
struct BucketTable<K> {
    /// A power of two long.
    buckets: Vec<Bucket<K>>,
    /// Odd: the hash is the top 32 bits of the folded key times this.
    mult: u64,
}

impl<K: BucketKey> Default for BucketTable<K> {
    fn default() -> Self {
        BucketTable {
            buckets: vec![Bucket::default()],
            mult: 1,
        }
    }
}

impl<K: BucketKey> BucketTable<K> {
    /// The table of `entries` (distinct keys, none of them zero): about one
    /// bucket a key, a power of two of them. The first multiplier of a
    /// fixed series with which no bucket overflows is taken, so that the
    /// same entries always make the same table.
    fn build(entries: &[(K, u64)]) -> Self {
        debug_assert!(entries.iter().all(|(key, _)| *key != K::default()));
        // A key given twice would take two places, and five times would
        // overflow its bucket whatever the size: its bits are merged first.
        let mut sorted = entries.to_vec();
        sorted.sort_unstable_by_key(|&(key, _)| key);
        let mut merged: Vec<(K, u64)> = Vec::with_capacity(sorted.len());
        for (key, bits) in sorted {
            match merged.last_mut() {
                Some((k, b)) if *k == key => *b |= bits,
                _ => merged.push((key, bits)),
            }
        }
        let entries = &merged[..];
        let mut size = entries.len().next_power_of_two().max(16);
        loop {
            for seed in 0..64u64 {
                let mult = 0x9E37_79B9_7F4A_7C15u64
                    .wrapping_add(seed.wrapping_mul(0xD6E8_FEB8_6659_FD93))
                    | 1;
                if let Some(table) = Self::try_build(entries, size, mult) {
                    return table;
                }
            }
            size *= 2;
        }
    }

    /// The table of `entries` with `size` buckets and `mult`, unless a
    /// bucket would overflow.
    fn try_build(entries: &[(K, u64)], size: usize, mult: u64) -> Option<Self> {
        let mut table = BucketTable {
            buckets: vec![Bucket::default(); size],
            mult,
        };
        for &(key, bits) in entries {
            let at = table.slot(key);
            let bucket = &mut table.buckets[at];
            let free = bucket.keys.iter().position(|k| *k == K::default())?;
            bucket.keys[free] = key;
            bucket.bits[free] = bits;
        }
        Some(table)
    }

    #[inline]
    fn slot(&self, key: K) -> usize {
        // The top bits of the product are the best mixed.
        ((key.fold().wrapping_mul(self.mult) >> 32) as usize) & (self.buckets.len() - 1)
    }

    /// The bits of `key` (not zero), 0 when it is not in the table.
    #[inline]
    fn get(&self, key: K) -> u64 {
        let bucket = &self.buckets[self.slot(key)];
        let mut bits = 0;
        for i in 0..BUCKET {
            // A select, not a jump: whether a word is a key is not to be
            // predicted.
            bits |= std::hint::select_unpredictable(bucket.keys[i] == key, bucket.bits[i], 0);
        }
        bits
    }
}

impl FirstMasks {
    /// `word`'s bytes as a little-endian integer, when it is ASCII and has at
    /// most 8 bytes (no NUL, so the padding cannot be confused with a byte).
    #[inline]
    fn pack(word: &str) -> Option<u64> {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > 8 {
            return None;
        }
        let mut key = 0u64;
        for (i, &b) in bytes.iter().enumerate() {
            if b == 0 || !b.is_ascii() {
                return None;
            }
            key |= u64::from(b) << (8 * i);
        }
        Some(key)
    }

    /// `word`'s first 8 bytes and the rest, each packed as
    /// [`FirstMasks::pack`] packs, when it is ASCII and has 9 to 16 bytes.
    #[inline]
    fn pack16(word: &str) -> Option<(u64, u64)> {
        if !(9..=16).contains(&word.len()) {
            return None;
        }
        // The first 8 bytes are ASCII when packed, so a char boundary.
        let low = Self::pack(word.get(..8)?)?;
        Some((low, Self::pack(&word[8..])?))
    }

    /// The bits of the word packed as `(low, high)` ([`FirstMasks::pack16`]).
    #[inline]
    fn get_packed16(&self, low: u64, high: u64) -> u64 {
        self.medium.get((low, high))
    }

    /// The tables for `words` (with their bits).
    fn build(words: &FxHashMap<Box<str>, u64>) -> Self {
        // Sorted, so that the tables do not depend on the map's order.
        let mut short: Vec<(u64, u64)> = words
            .iter()
            .filter_map(|(word, &bits)| Self::pack(word).map(|key| (key, bits)))
            .collect();
        short.sort_unstable();
        let mut medium: Vec<((u64, u64), u64)> = words
            .iter()
            .filter_map(|(word, &bits)| Self::pack16(word).map(|key| (key, bits)))
            .collect();
        medium.sort_unstable();
        FirstMasks {
            short: BucketTable::build(&short),
            medium: BucketTable::build(&medium),
            long: words
                .iter()
                .filter(|(word, _)| Self::pack(word).is_none())
                .map(|(word, &bits)| (word.clone(), bits))
                .collect(),
        }
    }

    #[inline]
    fn get(&self, word: &str) -> u64 {
        match Self::pack(word) {
            Some(key) => self.get_packed(key),
            None => self.long.get(word).copied().unwrap_or(0),
        }
    }

    /// The bits of the word packed as `key` ([`FirstMasks::pack`]).
    #[inline]
    fn get_packed(&self, key: u64) -> u64 {
        self.short.get(key)
    }
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        /// The lexicon files compiled into the binary, by file name.
        pub const BUILTIN: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../data/lexicons/", $name)))),*
        ];
    };
}

builtin!(
    "abbreviations.txt",
    "sentence_starters.txt",
    "cue_verbs.txt",
    "characterize_verbs.txt",
    "observation_verbs.txt",
    "document_verbs.txt",
    "documents.txt",
    "hedges.txt",
    "media_hedges.txt",
    "own_reporter.txt",
    "official_bodies.txt",
    "official_titles.txt",
    "ambiguous_titles.txt",
    "other_roles.txt",
    "other_orgs.txt",
    "media_outlets.txt",
    "media_name_words.txt",
    "media_nouns.txt",
    "non_claims.txt",
    "place_words.txt",
    "time_words.txt",
);

/// The entries of a lexicon file: non-empty lines without `#` comments.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
}

/// An entry with a class in its last word: `court records official`.
fn split_class(entry: &str) -> Option<(&str, &str)> {
    let (phrase, class) = entry.rsplit_once(char::is_whitespace)?;
    Some((phrase.trim(), class))
}

impl Lexicons {
    /// The lexicons compiled into the binary.
    pub fn builtin() -> Self {
        Self::from_sources(None, |name| Ok(builtin_text(name).to_string()))
            .expect("the built-in lexicons are valid")
    }

    /// The built-in lexicons, each replaced by the file of the same name in
    /// `dir` where there is one.
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::new(ErrorKind::Lexicon, "not a directory").with_path(dir));
        }
        Self::from_sources(Some(dir), |name| {
            let path = dir.join(name);
            if path.exists() {
                std::fs::read_to_string(&path).map_err(|e| {
                    Error::new(ErrorKind::Lexicon, "cannot read lexicon")
                        .with_path(&path)
                        .with_source(e)
                })
            } else {
                Ok(builtin_text(name).to_string())
            }
        })
        .map_err(|e| {
            if e.path().is_some() {
                e
            } else {
                e.with_path(dir)
            }
        })
    }

    fn from_sources(dir: Option<&Path>, read: impl Fn(&str) -> Result<String>) -> Result<Self> {
        let source_name = |name: &str| -> std::path::PathBuf {
            match dir {
                Some(d) if d.join(name).exists() => d.join(name),
                _ => std::path::PathBuf::from(format!("<built-in>/{name}")),
            }
        };
        let set = |name: &str, respect_case: bool| -> Result<PhraseSet> {
            Ok(PhraseSet::new(entries(&read(name)?), respect_case))
        };
        // `ENTRY CLASS` lines, each CLASS one of `classes`.
        let classed =
            |name: &str, expected: &str, classes: &[&str]| -> Result<Vec<(String, usize)>> {
                let text = read(name)?;
                let mut out = Vec::new();
                for (n, line) in text.lines().enumerate() {
                    let entry = line.split('#').next().unwrap_or("").trim();
                    if entry.is_empty() {
                        continue;
                    }
                    let bad = || {
                        Error::new(
                            ErrorKind::Lexicon,
                            format!("expected `{expected}`, got `{entry}`"),
                        )
                        .with_path(source_name(name))
                        .with_line(n + 1)
                    };
                    let (word, class) = split_class(entry).ok_or_else(bad)?;
                    let class = classes.iter().position(|c| *c == class).ok_or_else(bad)?;
                    out.push((word.to_string(), class));
                }
                Ok(out)
            };
        let abbreviations: FxHashMap<String, AbbrevClass> = classed(
            "abbreviations.txt",
            "ABBREVIATION title|final",
            &["title", "final"],
        )?
        .into_iter()
        .map(|(word, class)| {
            let class = if class == 0 {
                AbbrevClass::Title
            } else {
                AbbrevClass::Final
            };
            (word.trim_end_matches('.').to_string(), class)
        })
        .collect();
        let documents: HashMap<String, DocumentOwner> = classed(
            "documents.txt",
            "NOUN official|owner",
            &["official", "owner"],
        )?
        .into_iter()
        .map(|(noun, class)| {
            let class = if class == 0 {
                DocumentOwner::Official
            } else {
                DocumentOwner::Owner
            };
            (noun.to_lowercase(), class)
        })
        .collect();
        let non_claims = read("non_claims.txt")?;
        let (mut non_claim_prefixes, mut non_claim_markers) = (Vec::new(), Vec::new());
        for entry in entries(&non_claims) {
            match entry.strip_prefix('~') {
                Some(marker) => non_claim_markers.push(marker.trim().to_lowercase()),
                None => non_claim_prefixes.push(entry.to_lowercase()),
            }
        }
        let places = read("place_words.txt")?;
        let (mut place_last, mut place_first) = (Vec::new(), Vec::new());
        for (n, entry) in entries(&places).enumerate() {
            match entry.split_once(char::is_whitespace) {
                Some(("last", word)) => place_last.push(word.trim()),
                Some(("first", word)) => place_first.push(word.trim()),
                _ => {
                    return Err(Error::new(
                        ErrorKind::Lexicon,
                        format!(
                            "expected `last WORD` or `first WORD`, got `{entry}` (entry {})",
                            n + 1
                        ),
                    )
                    .with_path(source_name("place_words.txt")))
                }
            }
        }
        let place_last = PhraseSet::new(place_last, true);
        let place_first = PhraseSet::new(place_first, true);
        let document_set = PhraseSet::new(documents.keys().map(String::as_str), false);
        Ok(Lexicons {
            abbreviation_shapes: abbreviations
                .keys()
                .fold(Shapes::default(), |mut shapes, w| {
                    shapes.add(w);
                    shapes
                }),
            abbreviations,
            sentence_starters: set("sentence_starters.txt", false)?,
            cue_verbs: set("cue_verbs.txt", false)?,
            characterize_verbs: set("characterize_verbs.txt", false)?,
            observation_verbs: set("observation_verbs.txt", false)?,
            document_verbs: set("document_verbs.txt", false)?,
            documents,
            document_set,
            hedges: set("hedges.txt", false)?,
            media_hedges: set("media_hedges.txt", false)?,
            own_reporter: set("own_reporter.txt", false)?,
            official_bodies: set("official_bodies.txt", true)?,
            official_titles: set("official_titles.txt", false)?,
            ambiguous_titles: set("ambiguous_titles.txt", false)?,
            other_roles: set("other_roles.txt", false)?,
            other_orgs: set("other_orgs.txt", true)?,
            media_outlets: set("media_outlets.txt", true)?,
            media_nouns: set("media_nouns.txt", false)?,
            media_name_words: set("media_name_words.txt", true)?,
            non_claim_prefixes: Openings::new(non_claim_prefixes),
            non_claim_markers: Markers::new(non_claim_markers),
            place_last,
            place_first,
            time_words: set("time_words.txt", false)?,
            cue_openers: PhraseSet::new(crate::quote::CUE_OPENERS.iter().copied(), false),
            word_classes: crate::quote::WORD_CLASSES
                .iter()
                .map(|words| PhraseSet::new(words.iter().copied(), false))
                .collect(),
            first_masks: FirstMasks::default(),
        }
        .with_masks())
    }

    /// Gives every phrase set a bit and indexes their first words.
    fn with_masks(mut self) -> Self {
        let mut masks: FxHashMap<Box<str>, u64> = FxHashMap::default();
        let sets: [&mut PhraseSet; 21] = [
            &mut self.sentence_starters,
            &mut self.cue_verbs,
            &mut self.characterize_verbs,
            &mut self.observation_verbs,
            &mut self.document_verbs,
            &mut self.document_set,
            &mut self.hedges,
            &mut self.media_hedges,
            &mut self.own_reporter,
            &mut self.official_bodies,
            &mut self.official_titles,
            &mut self.ambiguous_titles,
            &mut self.other_roles,
            &mut self.other_orgs,
            &mut self.media_outlets,
            &mut self.media_nouns,
            &mut self.media_name_words,
            &mut self.cue_openers,
            &mut self.time_words,
            &mut self.place_last,
            &mut self.place_first,
        ];
        let classes = self.word_classes.iter_mut().enumerate();
        let sets = sets
            .into_iter()
            .enumerate()
            .chain(classes.map(|(k, set)| (WORD_CLASS_SHIFT + k, set)));
        for (n, set) in sets {
            set.bit = 1 << n;
            for word in &set.first {
                *masks.entry(word.clone()).or_default() |= set.bit;
            }
        }
        self.first_masks = FirstMasks::build(&masks);
        self
    }

    /// The bits of the phrase sets that have an entry starting with `lower`
    /// (a lowercased word); see [`PhraseSet::may_start`].
    pub fn first_mask(&self, lower: &str) -> u64 {
        self.first_masks.get(lower)
    }

    /// [`Lexicons::first_mask`] of a lowercased ASCII word of 1 to 8 bytes
    /// (no NUL) given as its bytes in a little-endian integer, zero padded:
    /// a tokenizer that builds that integer while it reads the word skips
    /// reading it again.
    #[inline]
    pub fn first_mask_packed(&self, packed: u64) -> u64 {
        self.first_masks.get_packed(packed)
    }

    /// [`Lexicons::first_mask`] of a lowercased ASCII word of 9 to 16 bytes
    /// (no NUL) given as its first 8 bytes and the rest, each in a
    /// little-endian integer, zero padded.
    #[inline]
    pub fn first_mask_packed16(&self, low: u64, high: u64) -> u64 {
        self.first_masks.get_packed16(low, high)
    }

    /// The [`Lexicons::first_mask`] bits of the words that may open a cue:
    /// a word whose mask has none of them opens none.
    pub fn cue_bits(&self) -> u64 {
        [
            &self.media_hedges,
            &self.hedges,
            &self.cue_verbs,
            &self.document_verbs,
            &self.characterize_verbs,
            &self.observation_verbs,
            &self.cue_openers,
        ]
        .iter()
        .fold(0, |bits, set| bits | set.bit)
    }

    /// Whether an ASCII word of `len` bytes starting with byte `first` may be
    /// an abbreviation: when not, [`Lexicons::abbreviation`] gives `None`
    /// for it, and a caller that knows the word to be ASCII need not ask.
    #[inline]
    pub fn may_be_abbreviation(&self, first: u8, len: usize) -> bool {
        self.abbreviation_shapes.fits(first, len)
    }

    /// The class of an abbreviation (without its final period), if it is one.
    /// Entries with capitals match exactly; lowercase entries match any case.
    pub fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        if !self.abbreviation_shapes.may_be(word) {
            return None;
        }
        // Exactly as written, else (a word with capitals) in lower case.
        self.abbreviations
            .get(word)
            .copied()
            .or_else(|| self.abbreviation_lowered(word))
    }

    /// [`Lexicons::abbreviation`] of `word` lowercased, `None` when it has
    /// no capitals. A short ASCII word is lowercased on the stack.
    #[inline]
    fn abbreviation_lowered(&self, word: &str) -> Option<AbbrevClass> {
        const SHORT: usize = 32;
        let bytes = word.as_bytes();
        if bytes.len() <= SHORT && word.is_ascii() {
            if !bytes.iter().any(u8::is_ascii_uppercase) {
                return None;
            }
            let mut buf = [0u8; SHORT];
            let buf = &mut buf[..bytes.len()];
            buf.copy_from_slice(bytes);
            buf.make_ascii_lowercase();
            let lower = std::str::from_utf8(buf).ok()?;
            return self.abbreviations.get(lower).copied();
        }
        match lower(word) {
            Cow::Borrowed(_) => None,
            Cow::Owned(lower) => self.abbreviations.get(&lower).copied(),
        }
    }
}

/// The shapes of a set of words: bit `len` (63 for longer) of `bits[b]` is
/// set when an ASCII word of the set starts with byte `b` (lowercased) and
/// has `len` bytes. Two loads rule out most words before any hashing.
#[derive(Debug, Clone)]
struct Shapes {
    bits: [u64; 128],
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes { bits: [0; 128] }
    }
}

impl Shapes {
    /// Adds `word`'s shape (nothing for an empty or non-ASCII word, which
    /// no ASCII word can equal, whatever its case).
    fn add(&mut self, word: &str) {
        if let Some(&b) = word.as_bytes().first().filter(|_| word.is_ascii()) {
            self.bits[usize::from(b.to_ascii_lowercase())] |= Self::bit(word.len());
        }
    }

    fn bit(len: usize) -> u64 {
        1 << len.min(63)
    }

    /// Whether some ASCII word of the set starts with byte `first` (either
    /// case) and has `len` bytes.
    #[inline]
    fn fits(&self, first: u8, len: usize) -> bool {
        self.bits
            .get(usize::from(first.to_ascii_lowercase()))
            .is_some_and(|shape| shape & Self::bit(len) != 0)
    }

    /// Whether `word` may be a word of the set, ignoring ASCII case: false
    /// only for an ASCII word whose first byte and length no word of the set
    /// has (an empty or non-ASCII word may always be).
    #[inline]
    fn may_be(&self, word: &str) -> bool {
        match word.as_bytes().first() {
            Some(&b) if word.is_ascii() => self.fits(b, word.len()),
            _ => true,
        }
    }
}

fn builtin_text(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openings_find_the_first_that_the_naive_scan_finds() {
        let list: Vec<String> = [
            "photo",
            "photo by",
            "photo:",
            "©",
            "read more",
            "all rights reserved",
            "a1-b",
        ]
        .map(String::from)
        .to_vec();
        let openings = Openings::new(list.clone());
        for text in [
            "photo by jane",
            "photo: jane",
            "photos of the day",
            "photo",
            "© 2026 the ledger",
            "read more: x",
            "read moreover",
            "a1-b and more",
            "all rights reserved.",
            "by jane doe",
            "",
        ] {
            let naive = list.iter().map(String::as_str).find(|p| {
                text.starts_with(p)
                    && text[p.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            });
            assert_eq!(openings.find(text), naive, "{text}");
        }
    }

    #[test]
    fn leading_word_is_the_run_of_letters_and_digits() {
        let pieces = [
            "a", "Z", "7", " ", "-", ":", "'", "é", "É", "ß", "٣", "“", "—", "\u{a0}", "東京",
            "🎉", "\u{301}",
        ];
        let mut texts = pieced(&pieces, 2000);
        texts.extend(["", "photo: x", "über alles", "a1-b"].map(String::from));
        for text in &texts {
            let end = text
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(text.len());
            assert_eq!(leading_word(text), &text[..end], "{text:?}");
        }
    }

    #[test]
    fn markers_match_as_lowercased_contains() {
        let markers = Markers::new(vec!["ap photo".into(), "/ap".into(), "über".into()]);
        for text in [
            "(AP Photo/Jane Doe)",
            "Photo by AP",
            "Reuters/AP",
            "ÜBER alles",
            "Über",
            "nothing here",
            "“AP PHOTO” — Núñez",
            "“ÜBER” ǅ",
            "caf\u{e9} über",
        ] {
            let naive = markers
                .list
                .iter()
                .any(|m| text.to_lowercase().contains(m.as_str()));
            assert_eq!(markers.found_in(text), naive, "{text}");
        }
    }

    /// Texts pieced together from `pieces` (see [`crate::testing::pieced`]).
    fn pieced(pieces: &[&str], count: usize) -> Vec<String> {
        crate::testing::pieced(pieces, count, 50)
    }

    #[test]
    fn markers_match_as_lowercased_contains_for_any_list() {
        let builtin = Lexicons::builtin().non_claim_markers.list;
        let lists: Vec<Vec<String>> = vec![
            builtin.clone(),
            ["ap", "/", "über", "©", "photo courtesy of", "ab/cd", "k"]
                .map(String::from)
                .to_vec(),
            ["getty images", "via getty", "mid\u{2019}s"]
                .map(String::from)
                .to_vec(),
            ["k", "i", "photo/", "ber"].map(String::from).to_vec(),
            vec![String::new()],
            Vec::new(),
        ];
        let mut pieces: Vec<String> = builtin.iter().map(|m| m.to_uppercase()).collect();
        pieces.extend(builtin.iter().cloned());
        pieces.extend(
            [
                "a", "p", "ap", " ", "  ", "\r\n", "\t", "\u{a0}", "\u{2003}", "/", "Photo",
                "GETTY", "get", "ty", "é", "É", "Ü", "ü", "ber", "BER", "\u{212a}", "İ", "“", "”",
                "’", "—", "…", "©", "ǅ", "🎉", "x", "Reuters", "AFP", "courtesy",
            ]
            .map(String::from),
        );
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let mut texts = pieced(&pieces, 3000);
        texts.extend(
            [
                "",
                "ap",
                "(AP Photo/Jane Doe)",
                "Reuters/AP",
                "\u{212a}",
                "ÜBER alles",
                "“AP PHOTO” — Núñez",
                "line\r\nvia\r\ngetty",
            ]
            .map(String::from),
        );
        for list in lists {
            let markers = Markers::new(list.clone());
            let mut found = 0;
            for text in &texts {
                let lowered = lower(text);
                let naive = list.iter().any(|m| lowered.contains(m.as_str()));
                assert_eq!(markers.found_in(text), naive, "{list:?} {text:?}");
                found += usize::from(naive);
            }
            assert!(list.is_empty() || found > 100, "{list:?} {found}");
        }
    }

    #[test]
    fn only_two_non_ascii_characters_lowercase_to_ascii() {
        for c in (0x80..=0x10_FFFF).filter_map(char::from_u32) {
            let to_ascii = c.to_lowercase().any(|l| l.is_ascii());
            assert_eq!(to_ascii, matches!(c, '\u{212a}' | 'İ'), "{c:?}");
            let mut buf = [0; 4];
            let text = format!("x{}y", c.encode_utf8(&mut buf));
            assert_eq!(Markers::lowers_to_ascii(&text), to_ascii, "{c:?}");
        }
    }

    #[test]
    fn markers_decide_on_lowering_as_a_check_of_every_character() {
        let changes = |c: char| {
            let mut l = c.to_lowercase();
            l.next() != Some(c) || l.next().is_some()
        };
        assert!(!('\u{2000}'..='\u{206f}').any(changes));
        let pieces = [
            "a", "B", " ", "\r\n", "\u{a0}", "\u{2003}", "é", "É", "“", "—", "…", "ǅ", "🎉",
            "\u{212a}", "İ", "Σ", "ß", "東京",
        ];
        for text in pieced(&pieces, 2000) {
            let simple = text.chars().any(|c| !c.is_ascii() && changes(c));
            assert_eq!(
                Markers::lowering_changes_non_ascii(&text),
                simple,
                "{text:?}"
            );
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let simple = bytes[from..].iter().position(|b| !b.is_ascii());
                let got = Markers::next_non_ascii(bytes, from);
                assert_eq!(got, simple.map(|i| from + i), "{text:?} {from}");
            }
        }
    }

    #[test]
    fn the_shape_filter_rules_out_only_words_no_entry_starts_with() {
        let set = PhraseSet::new(
            ["Ñandú", "k", "the washington post", "über alles", "x"],
            false,
        );
        for (word, expected) in [
            ("ñandú", true),
            ("ÑANDÚ", true),
            ("K", true),
            ("\u{212a}", true), // the Kelvin sign lowercases to `k`
            ("X", true),
            ("The", false),
            ("ÜBER", false),
            ("kk", false),
            ("", false),
        ] {
            assert_eq!(set.contains(word), expected, "{word}");
        }
        assert_eq!(set.longest_prefix(&["THE", "Washington", "Post"]), Some(3));
        assert_eq!(set.longest_prefix(&["Über", "alles"]), Some(2));
        assert_eq!(set.longest_prefix(&["Thee", "Washington"]), None);
    }

    #[test]
    fn abbreviations_lowered_on_the_stack_agree_with_the_simple_form() {
        let lex = Lexicons::builtin();
        let mut words: Vec<String> = lex.abbreviations.keys().cloned().collect();
        words.extend(lex.abbreviations.keys().map(|w| w.to_uppercase()));
        words.extend(lex.abbreviations.keys().map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default()
        }));
        words.extend(
            [
                "", "Sen", "SEN", "Gov", "ÉTAT", "Jr", "x", "Ph.D", "U.S", "Mr’s",
            ]
            .iter()
            .map(|w| w.to_string()),
        );
        words.push("A".repeat(40));
        for word in &words {
            let simple =
                lex.abbreviations
                    .get(word.as_str())
                    .copied()
                    .or_else(|| match lower(word) {
                        Cow::Borrowed(_) => None,
                        Cow::Owned(lower) => lex.abbreviations.get(&lower).copied(),
                    });
            let shaped = lex.abbreviation_shapes.may_be(word);
            let got = lex.abbreviation(word);
            assert_eq!(got, if shaped { simple } else { None }, "{word:?}");
            assert_eq!(
                lex.abbreviations
                    .get(word.as_str())
                    .copied()
                    .or_else(|| lex.abbreviation_lowered(word)),
                simple,
                "{word:?}"
            );
        }
    }

    #[test]
    fn ascii_words_ruled_out_by_shape_are_no_abbreviations() {
        let lex = Lexicons::builtin();
        let mut words: Vec<String> = lex.abbreviations.keys().cloned().collect();
        words.extend(lex.abbreviations.keys().map(|w| w.to_uppercase()));
        words.extend(crate::testing::pieced(
            &["Sen", "Gov", "Mr", "x", "U.S", "Jan", "said"],
            60,
            4,
        ));
        for word in words.iter().filter(|w| !w.is_empty() && w.is_ascii()) {
            if !lex.may_be_abbreviation(word.as_bytes()[0], word.len()) {
                assert_eq!(lex.abbreviation(word), None, "{word:?}");
            }
        }
        for word in lex
            .abbreviations
            .keys()
            .filter(|w| !w.is_empty() && w.is_ascii())
        {
            assert!(
                lex.may_be_abbreviation(word.as_bytes()[0], word.len()),
                "{word:?}"
            );
        }
    }

    #[test]
    fn first_masks_give_the_bits_of_every_set_a_word_starts() {
        let lex = Lexicons::builtin();
        let sets = [
            &lex.cue_verbs,
            &lex.official_titles,
            &lex.official_bodies,
            &lex.media_outlets,
            &lex.hedges,
        ];
        let mut words: Vec<&str> = sets
            .iter()
            .flat_map(|set| set.first.iter().map(|w| w.as_ref()))
            .collect();
        words.extend(["", "zzqx", "a\u{0}", "spokeswomanly", "überall", "x"]);
        for word in words {
            let expected = sets
                .iter()
                .filter(|set| set.first.contains(word))
                .fold(0, |bits, set| bits | set.bit);
            let all = sets.iter().fold(0, |bits, set| bits | set.bit);
            assert_eq!(lex.first_mask(word) & all, expected, "{word:?}");
        }
    }

    #[test]
    fn longest_prefix_of_words_given_one_by_one_is_longest_prefix() {
        let lex = Lexicons::builtin();
        let pieces = [
            "said",
            "told",
            "according",
            "to",
            "the",
            "The",
            "Washington",
            "Post",
            "court",
            "records",
            "show",
            "reportedly",
            "allegedly",
            "New",
            "York",
            "Times",
            "police",
            "said.",
            "x",
            "ÜBER",
            "alles",
        ];
        for text in crate::testing::pieced(&pieces, 400, 7) {
            let words: Vec<&str> = text.split_inclusive(' ').map(str::trim_end).collect();
            for set in [
                &lex.cue_verbs,
                &lex.media_outlets,
                &lex.document_set,
                &lex.hedges,
                &lex.media_hedges,
                &lex.official_bodies,
            ] {
                for i in 0..=words.len() {
                    let rest = &words[i..];
                    assert_eq!(
                        set.longest_prefix_of(rest.len(), |n| rest[n]),
                        set.longest_prefix(rest),
                        "{rest:?}"
                    );
                }
            }
        }
    }

    /// Every phrase set and word class, for the first-word tests.
    fn every_set(lex: &Lexicons) -> Vec<&PhraseSet> {
        let mut sets = vec![
            &lex.sentence_starters,
            &lex.cue_verbs,
            &lex.characterize_verbs,
            &lex.observation_verbs,
            &lex.document_verbs,
            &lex.document_set,
            &lex.hedges,
            &lex.media_hedges,
            &lex.own_reporter,
            &lex.official_bodies,
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
            &lex.other_orgs,
            &lex.media_outlets,
            &lex.media_nouns,
            &lex.media_name_words,
            &lex.cue_openers,
            &lex.time_words,
            &lex.place_last,
            &lex.place_first,
        ];
        sets.extend(lex.word_classes.iter());
        sets
    }

    /// The bits of the sets with an entry starting with `word`, found by
    /// asking each set.
    fn bits_by_sets(lex: &Lexicons, word: &str) -> u64 {
        every_set(lex)
            .iter()
            .filter(|set| set.first.contains(word))
            .fold(0, |bits, set| bits | set.bit)
    }

    /// Every first word of every set, and some that start none.
    fn first_words_and_others(lex: &Lexicons) -> Vec<String> {
        let mut words: Vec<String> = every_set(lex)
            .iter()
            .flat_map(|set| set.first.iter().map(|w| w.to_string()))
            .collect();
        words.extend(
            [
                "x",
                "zzqx",
                "said",
                "the",
                "abcdefgh",
                "q-r",
                "abcdefghi",
                "spokeswomen",
                "departments",
                "zzzzzzzzzzzzzzzz",
            ]
            .map(String::from),
        );
        words
    }

    #[test]
    fn packed_first_masks_are_the_bits_of_the_sets() {
        let lex = Lexicons::builtin();
        let (mut short, mut medium) = (0, 0);
        for word in &first_words_and_others(&lex) {
            // Words of up to 8 bytes in one integer, of 9 to 16 in two.
            let packed = match (FirstMasks::pack(word), FirstMasks::pack16(word)) {
                (Some(key), _) => {
                    short += 1;
                    lex.first_mask_packed(key)
                }
                (None, Some((low, high))) => {
                    medium += 1;
                    lex.first_mask_packed16(low, high)
                }
                (None, None) => continue,
            };
            assert_eq!(packed, bits_by_sets(&lex, word), "{word:?}");
        }
        assert!(short > 500 && medium > 20, "{short} {medium}");
    }

    #[test]
    fn every_first_mask_is_the_bits_of_the_sets() {
        let lex = Lexicons::builtin();
        for word in first_words_and_others(&lex) {
            assert_eq!(lex.first_mask(&word), bits_by_sets(&lex, &word), "{word:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn bucket_tables_give_the_bits_of_a_map(
            entries in proptest::collection::hash_map(1u64..400, 1u64.., 0..300),
            wide in proptest::collection::hash_map((1u64..40, 0u64..10), 1u64.., 0..100),
            asked in proptest::collection::vec(0u64..500, 0..100),
        ) {
            // Small keys crowd the buckets, so that the table must grow
            // or change its multiplier.
            let mut list: Vec<(u64, u64)> = entries.iter().map(|(&k, &v)| (k, v)).collect();
            // A key given more than once has its bits merged.
            if let Some(&(k, v)) = list.first() {
                list.extend([(k, v), (k, v), (k, v), (k, v)]);
            }
            let table = BucketTable::build(&list);
            for key in entries.keys().chain(asked.iter()).filter(|&&k| k != 0) {
                proptest::prop_assert_eq!(table.get(*key), entries.get(key).copied().unwrap_or(0));
            }
            let list: Vec<((u64, u64), u64)> = wide.iter().map(|(&k, &v)| (k, v)).collect();
            let table = BucketTable::build(&list);
            for &k in &asked {
                let key = (k % 41 + 1, k % 11);
                proptest::prop_assert_eq!(table.get(key), wide.get(&key).copied().unwrap_or(0));
            }
            for key in wide.keys() {
                proptest::prop_assert_eq!(table.get(*key), wide[key]);
            }
        }
    }

    #[test]
    fn the_abbreviation_shape_filter_changes_no_answer() {
        let lex = Lexicons::builtin();
        let naive = |word: &str| {
            lex.abbreviations.get(word).copied().or_else(|| {
                lex.abbreviations
                    .get(lower(word).as_ref())
                    .copied()
                    .filter(|_| !lex.abbreviations.contains_key(word))
            })
        };
        let mut words: Vec<String> = lex.abbreviations.keys().cloned().collect();
        words.extend(lex.abbreviations.keys().map(|w| w.to_uppercase()));
        words.extend(lex.abbreviations.keys().map(|w| w.to_lowercase()));
        words
            .extend(["", "said", "Tuesday", "MR", "mR", "Ñ", "K\u{212a}", "p.m"].map(String::from));
        for word in &words {
            assert_eq!(lex.abbreviation(word), naive(word), "{word:?}");
        }
    }

    #[test]
    fn has_token_is_contains_of_the_lowercase_form() {
        let lex = Lexicons::builtin();
        let text = "Police Chief Ana Ruiz told The Harbor Ledger on Tuesday that the \
                    department's report, cited by officials in Port Talbot Street, \
                    was described as final, according to a spokeswoman. Ñandú ΣΟΦΙΑ";
        let tokens =
            crate::quote::tokenize(text, crate::model::Span::new(0, text.len()), &[], &lex);
        let sets = [
            &lex.cue_verbs,
            &lex.document_set,
            &lex.official_titles,
            &lex.official_bodies,
            &lex.other_orgs,
            &lex.media_nouns,
            &lex.time_words,
            &lex.place_last,
            &lex.place_first,
            &PhraseSet::new(["tuesday", "police"], false),
        ];
        for t in &tokens {
            for set in sets {
                assert_eq!(set.has_token(t), set.contains(&t.lower), "{}", t.lower);
            }
        }
    }

    #[test]
    fn lower_matches_std_lowercase() {
        for text in [
            "“Núñez-Ruiz SAID,” İstanbul’s ÉCOLE — Ωmega ǅ 東京 ABC",
            "plain ascii",
            "MIXED Ascii",
            "ÀÉÎÕÜ",
            "",
        ] {
            assert_eq!(lower(text), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn phrase_set_matches_longest_prefix_and_respects_case() {
        let set = PhraseSet::new(["The Washington Post", "The Post", "AP"], true);
        assert_eq!(
            set.longest_prefix(&["The", "Washington", "Post", "said"]),
            Some(3)
        );
        assert_eq!(set.longest_prefix(&["The", "Post"]), Some(2));
        assert!(set.contains("AP"));
        assert!(!set.contains("ap"));
    }

    #[test]
    fn builtin_lexicons_load_and_classify_abbreviations() {
        let lex = Lexicons::builtin();
        assert_eq!(lex.abbreviation("Mr"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbreviation("U.S"), Some(AbbrevClass::Final));
        assert_eq!(lex.abbreviation("p.m"), Some(AbbrevClass::Final));
        assert_eq!(lex.abbreviation("house"), None);
        assert!(lex.cue_verbs.contains("said"));
        assert_eq!(
            lex.documents.get("court records"),
            Some(&DocumentOwner::Official)
        );
    }

    #[test]
    fn override_directory_replaces_one_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cue_verbs.txt"), "# only one\nmuttered\n").unwrap();
        let lex = Lexicons::load(dir.path()).unwrap();
        assert!(lex.cue_verbs.contains("muttered"));
        assert!(!lex.cue_verbs.contains("said"));
        assert!(lex.official_bodies.contains("police"));
    }

    #[test]
    fn malformed_abbreviation_line_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("abbreviations.txt"),
            "Mr title\nDr nonsense\n",
        )
        .unwrap();
        let err = Lexicons::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("abbreviations.txt:2"), "{err}");
    }
}

/// Lookups of words already in lower case: each word `w` with
/// `lower(w) == w`, as a token's `lower` is (lowercasing a lowercase form
/// changes nothing). The answers are those of [`PhraseSet::longest_prefix_of`],
/// [`PhraseSet::contains`] and [`PhraseSet::has_token`], without
/// lowercasing the words again.
impl PhraseSet {
    /// [`PhraseSet::longest_prefix_of`] of words in lower case.
    pub fn longest_prefix_of_lower<'w>(
        &self,
        count: usize,
        word: impl Fn(usize) -> &'w str,
    ) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let first = word(0);
        debug_assert_eq!(lower(first), first);
        if !self.may_start_with(first) {
            return None;
        }
        let beginning = self.beginnings.get(first)?;
        let mut best = entry_matches(beginning, 1, &word).then_some(1);
        let limit = self.max_words.min(count);
        if beginning.longer && limit >= 2 {
            // The phrase so far, in a buffer kept by the thread (taken, so
            // that a lookup inside `word` would find an empty one).
            let mut phrase = PHRASE.take();
            phrase.clear();
            phrase.push_str(first);
            for n in 2..=limit {
                let next = word(n - 1);
                debug_assert_eq!(lower(next), next);
                phrase.push(' ');
                phrase.push_str(next);
                let Some(beginning) = self.beginnings.get(phrase.as_str()) else {
                    break;
                };
                if entry_matches(beginning, n, &word) {
                    best = Some(n);
                }
                if !beginning.longer {
                    break;
                }
            }
            PHRASE.set(phrase);
        }
        best
    }

    /// Whether an entry may start with `word` (in any case), by its shape:
    /// false only when none can. The lookups ask this first, so where it
    /// is false for every word, no lookup finds anything.
    #[inline]
    pub fn may_start_word(&self, word: &str) -> bool {
        self.may_start_with(word)
    }

    /// Whether an entry starts with `word` lowercased ([`lower`]): an exact
    /// test, where [`PhraseSet::may_start_word`] is only a shape's. When
    /// every first word is ASCII, a word that stays outside ASCII in lower
    /// case (one with a character such as `’` or `ñ`) is ruled out without
    /// being lowercased.
    pub fn has_first_word(&self, word: &str) -> bool {
        if word.is_ascii() {
            return self.may_start_with(word) && self.first.contains(lower(word).as_ref());
        }
        let lowers_to_ascii = word
            .chars()
            .all(|c| c.is_ascii() || c.to_lowercase().all(|l| l.is_ascii()));
        if !self.non_ascii_first && !lowers_to_ascii {
            return false;
        }
        self.first.contains(lower(word).as_ref())
    }

    /// [`PhraseSet::contains_any_case`] of a word token's text without its
    /// possessive `'s` or `’s` (`bare`), from the token: its `lower` is
    /// that text lowercased and its `mask` rules the set out by one bit
    /// test where no entry starts with it.
    #[inline]
    pub fn has_token_text(&self, token: &crate::quote::Token, bare: &str) -> bool {
        if !self.may_start(token.mask) {
            return false;
        }
        match self.beginnings.get(token.lower.as_str()).map(|b| &b.entry) {
            Some(Some(Some(exact))) => exact.as_ref() == bare,
            Some(Some(None)) => true,
            _ => false,
        }
    }

    /// [`PhraseSet::contains`] of a phrase in lower case.
    pub fn contains_lower(&self, phrase: &str) -> bool {
        debug_assert_eq!(lower(phrase), phrase);
        let first = match phrase.bytes().position(|b| b == b' ') {
            Some(space) => &phrase[..space],
            None => phrase,
        };
        if !self.may_start_with(first) {
            return false;
        }
        match self.beginnings.get(phrase).map(|b| &b.entry) {
            Some(Some(Some(exact))) => exact.as_ref() == phrase,
            Some(Some(None)) => true,
            _ => false,
        }
    }

    /// [`PhraseSet::has_token`], the token's `lower` being in lower case.
    #[inline]
    pub fn has_token_lower(&self, token: &crate::quote::Token) -> bool {
        (self.bit == 0 || self.may_start(token.mask)) && self.contains_lower(&token.lower)
    }
}

/// Lookups of words in any case, lowercased into a buffer kept by the
/// thread rather than into new strings: the answers of
/// [`PhraseSet::longest_prefix_of`] and [`PhraseSet::contains`].
impl PhraseSet {
    /// [`PhraseSet::longest_prefix_of`], without a string made per word.
    pub fn longest_prefix_of_any_case<'w>(
        &self,
        count: usize,
        word: impl Fn(usize) -> &'w str,
    ) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let first = word(0);
        if !self.may_start_with(first) {
            return None;
        }
        // (Taken, so that a lookup inside `word` would find an empty one.)
        let mut phrase = PHRASE.take();
        phrase.clear();
        push_lower(&mut phrase, first);
        let best = 'lookup: {
            let Some(beginning) = self.beginnings.get(phrase.as_str()) else {
                break 'lookup None;
            };
            let mut best = entry_matches(beginning, 1, &word).then_some(1);
            let limit = self.max_words.min(count);
            if beginning.longer && limit >= 2 {
                for n in 2..=limit {
                    phrase.push(' ');
                    push_lower(&mut phrase, word(n - 1));
                    let Some(beginning) = self.beginnings.get(phrase.as_str()) else {
                        break;
                    };
                    if entry_matches(beginning, n, &word) {
                        best = Some(n);
                    }
                    if !beginning.longer {
                        break;
                    }
                }
            }
            best
        };
        PHRASE.set(phrase);
        best
    }

    /// [`PhraseSet::contains`], without a lowercase copy of the phrase.
    pub fn contains_any_case(&self, phrase: &str) -> bool {
        let first = match phrase.bytes().position(|b| b == b' ') {
            Some(space) => &phrase[..space],
            None => phrase,
        };
        if !self.may_start_with(first) {
            return false;
        }
        let mut key = PHRASE.take();
        key.clear();
        push_lower(&mut key, phrase);
        let found = match self.beginnings.get(key.as_str()).map(|b| &b.entry) {
            Some(Some(Some(exact))) => exact.as_ref() == phrase,
            Some(Some(None)) => true,
            _ => false,
        };
        PHRASE.set(key);
        found
    }
}

/// Appends `word` in lower case, as [`lower`] gives it: an ASCII word
/// lowercased in place.
fn push_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&lower(word));
    }
}

thread_local! {
    /// The phrase a lookup of lowercase words builds, its room kept from
    /// lookup to lookup.
    static PHRASE: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

#[cfg(test)]
mod lower_lookup_tests {
    use super::*;
    use crate::model::Span;

    /// The words lookups of lowercase forms rely on: lowercasing twice is
    /// lowercasing once, for every character.
    #[test]
    fn lowering_a_lowercase_form_changes_nothing() {
        let mut s = String::new();
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            s.clear();
            s.push('A');
            s.push(c);
            let once = lower(&s).into_owned();
            assert_eq!(lower(&once), once, "{c:?}");
            let std_once = c.to_lowercase().collect::<String>();
            assert_eq!(lower(&std_once), std_once, "{c:?}");
        }
    }

    const PIECES: &[&str] = &[
        "Chief ",
        "chief ",
        "executive ",
        "Police ",
        "Department ",
        "of ",
        "Homeland ",
        "Security ",
        "the ",
        "The ",
        "Mayor ",
        "council ",
        "member ",
        "spokesperson ",
        "Washington ",
        "Post ",
        "Ñandú ",
        "ǅemal ",
        "ΟΔΟΣ ",
        "İstanbul ",
        "\u{212a}elvin ",
        "'s ",
        "’s ",
        "official ",
        "officials ",
        "said ",
        ", ",
        ". ",
        "a ",
        "University ",
        "union ",
        "assistant ",
        "secretary ",
        "state ",
        "police ",
        "report ",
    ];

    fn sets(lex: &Lexicons) -> Vec<&PhraseSet> {
        vec![
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
            &lex.official_bodies,
            &lex.other_orgs,
            &lex.media_outlets,
            &lex.media_nouns,
            &lex.media_name_words,
            &lex.document_set,
            &lex.own_reporter,
            &lex.place_first,
        ]
    }

    #[test]
    fn token_lowercase_forms_are_lowercase() {
        let lex = Lexicons::builtin();
        for text in crate::testing::pieced(PIECES, 1500, 9) {
            let span = Span::new(0, text.len());
            for t in crate::quote::tokenize(&text, span, &[], &lex) {
                assert_eq!(lower(&t.lower), t.lower.as_str(), "{text:?}");
            }
        }
    }

    #[test]
    fn lower_lookups_are_the_lookups() {
        let lex = Lexicons::builtin();
        let mut found = 0;
        for text in crate::testing::pieced(PIECES, 2500, 9) {
            let span = Span::new(0, text.len());
            let tokens = crate::quote::tokenize(&text, span, &[], &lex);
            let lowers: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
            for set in sets(&lex) {
                for i in 0..lowers.len() {
                    let words = &lowers[i..];
                    let expected = set.longest_prefix(words);
                    let fast = set.longest_prefix_of_lower(words.len(), |n| words[n]);
                    assert_eq!(fast, expected, "{text:?} {i}");
                    found += usize::from(expected.is_some());
                    for n in 1..=words.len().min(4) {
                        let phrase = words[..n].join(" ");
                        assert_eq!(
                            set.contains_lower(&phrase),
                            set.contains(&phrase),
                            "{phrase:?}"
                        );
                    }
                    assert_eq!(set.has_token_lower(&tokens[i]), set.has_token(&tokens[i]));
                }
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn any_case_lookups_are_the_lookups() {
        let lex = Lexicons::builtin();
        let mut found = 0;
        for text in crate::testing::pieced(PIECES, 2500, 9) {
            let words: Vec<&str> = text.split_whitespace().collect();
            for set in sets(&lex) {
                for i in 0..words.len() {
                    let rest = &words[i..];
                    let expected = set.longest_prefix(rest);
                    let fast = set.longest_prefix_of_any_case(rest.len(), |n| rest[n]);
                    assert_eq!(fast, expected, "{text:?} {i}");
                    found += usize::from(expected.is_some());
                    for n in 1..=rest.len().min(4) {
                        let phrase = rest[..n].join(" ");
                        assert_eq!(
                            set.contains_any_case(&phrase),
                            set.contains(&phrase),
                            "{phrase:?}"
                        );
                    }
                }
            }
        }
        assert!(found > 1000, "{found}");
        let set = PhraseSet::new(["The Washington Post", "AP"], true);
        for phrase in [
            "The Washington Post",
            "the washington post",
            "AP",
            "Ap",
            "ap",
        ] {
            assert_eq!(set.contains_any_case(phrase), set.contains(phrase));
        }
    }

    #[test]
    fn first_word_tests_are_the_lowercased_lookups() {
        let lex = Lexicons::builtin();
        let outside = PhraseSet::new(["Ñandú grande", "ǆemal", "óur man", "kelvin"], false);
        let mut found = 0;
        let texts = crate::testing::pieced(PIECES, 1500, 9)
            .into_iter()
            .chain(["Ruiz’s ÑANDÚ \u{212a}ELVIN Our OUR’s ÓUR İ \u{130}\u{212a}".to_string()]);
        for text in texts {
            for word in text.split_whitespace() {
                for set in sets(&lex).into_iter().chain([&outside]) {
                    let expected = set.first.contains(lower(word).as_ref());
                    assert_eq!(set.has_first_word(word), expected, "{word:?}");
                    found += usize::from(expected);
                }
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn token_text_lookups_are_the_any_case_lookups() {
        let lex = Lexicons::builtin();
        let mut found = 0;
        let texts = crate::testing::pieced(PIECES, 2500, 9).into_iter().chain(
            [
                "The Washington Post's Times’s TIMES Tv's TV’s ΟΔΟΣ's İstanbul’s",
                "Main Street's STREET street’s Port's San Jose",
            ]
            .map(String::from),
        );
        for text in texts {
            let span = Span::new(0, text.len());
            let tokens = crate::quote::tokenize(&text, span, &[], &lex);
            for t in tokens.iter().filter(|t| t.word) {
                let word = t.text(&text);
                let bare = word
                    .strip_suffix("'s")
                    .or_else(|| word.strip_suffix("’s"))
                    .unwrap_or(word);
                for set in sets(&lex).into_iter().chain([&lex.place_last]) {
                    let expected = set.contains_any_case(bare);
                    assert_eq!(set.has_token_text(t, bare), expected, "{text:?} {bare:?}");
                    found += usize::from(expected);
                }
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn long_phrases_are_looked_up_whole() {
        let long = "a".repeat(40);
        let entry = format!("{long} {long} b");
        let set = PhraseSet::new([entry.as_str(), "a"], false);
        let words = [long.as_str(), long.as_str(), "b"];
        assert_eq!(set.longest_prefix(&words), Some(3));
        assert_eq!(set.longest_prefix_of_lower(3, |n| words[n]), Some(3));
        assert_eq!(set.longest_prefix_of_lower(2, |n| words[n]), None);
        assert_eq!(set.longest_prefix_of_any_case(3, |n| words[n]), Some(3));
        assert!(set.contains_lower(&entry));
    }
}
