//! From sentences, quotes and cues to claim parts with an attribution basis.

use super::cues::{find_cues_into, CueKind, Found};
use super::marks::find_quotes;
use super::tokens::{Token, Tokens};
use crate::lexicon::Lexicons;
use crate::model::{Quote, QuoteType, SentenceKind, Span};
use crate::segment::Segmentation;

/// How a part's attribution was carried from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// A later sentence of a quotation attributed in another sentence.
    QuoteContinued,
    /// A quote paragraph introduced by `X said:` in the paragraph before.
    QuoteIntro,
    /// A standalone quote whose words are attributed elsewhere (pull quote).
    PullQuote,
    /// A hedged claim (`allegedly`, `was described as`) passed to the
    /// attribution nearby.
    Hedge,
}

/// What a part's attribution rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Basis {
    /// A cue in the part itself.
    Own(Found),
    /// A cue elsewhere, carried here.
    Carried(Found, Carry),
    /// A hedge (`allegedly`) resting on the attribution nearby.
    Hedged { hedge: Span, found: Found },
    /// Unnamed media reports (`reportedly`).
    MediaHedge(Span),
    /// A quotation the outlet observed (a chant, a sign).
    Observation(Span),
    /// A quotation with no attribution anywhere.
    UnattributedQuote,
    /// The article's own voice.
    Narrative,
}

/// One claim-to-be: a sentence or a piece of one.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub span: Span,
    pub sentence: usize,
    pub paragraph: usize,
    /// Quoted words in the part (inner spans clipped to it).
    pub quotes: Vec<Span>,
    pub quote_type: QuoteType,
    pub basis: Basis,
    /// Every attributing cue of the part, in order.
    pub founds: Vec<Found>,
}

struct Draft<'t> {
    span: Span,
    sentence: usize,
    paragraph: usize,
    tokens: &'t [Token],
    /// The part's cues: a range of the article's cues (see [`Draft::founds`]).
    founds: std::ops::Range<usize>,
}

impl Draft<'_> {
    /// The part's cues, in order, out of `all`, the cues of the article.
    fn founds<'f>(&self, all: &'f [Found]) -> &'f [Found] {
        &all[self.founds.clone()]
    }
}

/// The parts of an article with the tokens of every sentence (by sentence
/// index), which later stages reuse instead of tokenizing again.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub parts: Vec<Part>,
    pub tokens: Tokens,
}

/// Splits the claimable sentences into parts and finds each part's basis.
pub fn attribute(text: &str, seg: &Segmentation, lex: &Lexicons) -> Vec<Part> {
    attribute_all(text, seg, lex).parts
}

/// [`attribute`], also giving every sentence's tokens.
pub fn attribute_all(text: &str, seg: &Segmentation, lex: &Lexicons) -> Attribution {
    attribute_with(text, seg, lex, Vec::new())
}

/// [`attribute_all`], putting the tokens in `buffer` (emptied first), whose
/// room a caller keeps from one article to the next.
pub fn attribute_with(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicons,
    buffer: Vec<Token>,
) -> Attribution {
    let quotes = find_quotes(text, &seg.paragraphs);
    let tokens = Tokens::of_spans(
        text,
        seg.sentences.iter().map(|s| s.span),
        &quotes,
        lex,
        buffer,
    );
    // One draft a sentence at most, but for the few sentences cut in parts.
    let mut drafts: Vec<Draft> = Vec::with_capacity(seg.sentences.len());
    // The cues of every sentence, one after another: a draft holds a range
    // of them, so that no sentence needs a vector of its own.
    let mut all_founds: Vec<Found> = Vec::new();
    for (index, sentence) in seg.sentences.iter().enumerate() {
        if sentence.kind != SentenceKind::Statement {
            continue;
        }
        let toks = tokens.sentence(index);
        let first = all_founds.len();
        find_cues_into(toks, lex, &mut all_founds);
        let mut draft = |span: Span, founds: std::ops::Range<usize>| {
            // A sentence's tokens lie in its span, their starts and ends
            // increasing: for the whole sentence, no search is needed.
            let whole = toks.first().is_none_or(|t| t.span.start >= span.start)
                && toks.last().is_none_or(|t| t.span.end <= span.end);
            let tokens = if whole {
                toks
            } else {
                let from = toks.partition_point(|t| t.span.start < span.start);
                let to = toks.partition_point(|t| t.span.end <= span.end);
                &toks[from..to.max(from)]
            };
            drafts.push(Draft {
                span,
                sentence: index,
                paragraph: sentence.paragraph,
                tokens,
                founds,
            });
        };
        let cuts = cuts(text, toks, &all_founds[first..]);
        if cuts.is_empty() {
            // Most sentences: one part with all the sentence's cues.
            draft(sentence.span, first..all_founds.len());
            continue;
        }
        let end_of_sentence = all_founds.len();
        let mut start = sentence.span.start;
        for (end, next) in cuts
            .into_iter()
            .chain(std::iter::once((sentence.span.end, sentence.span.end)))
        {
            let span = Span::new(start, end);
            // The piece's cues, copied after the article's cues so far.
            let mine = all_founds.len();
            for k in first..end_of_sentence {
                let f = all_founds[k];
                if span.contains(f.cue) {
                    all_founds.push(f);
                }
            }
            draft(span, mine..all_founds.len());
            start = next;
        }
    }
    let quote_attr = quote_attributions(text, &quotes, &drafts, &all_founds, seg);

    // Parts come in text order, so the quotes each overlaps only move forward.
    let mut overlaps = Overlaps::new(&quotes, |q: &Quote| q.outer);
    let mut parts: Vec<Part> = drafts
        .iter()
        .map(|d| {
            // A range of indices, not gathered into a vector: most parts
            // overlap no quote, and none overlaps many.
            let overlapping = overlaps.range(d.span);
            let founds = d.founds(&all_founds);
            let basis = basis(d, founds, overlapping.clone(), &quote_attr);
            let fragments: Vec<Span> = overlapping
                .clone()
                .filter_map(|q| {
                    let inner = quotes[q].inner;
                    let clipped =
                        Span::new(inner.start.max(d.span.start), inner.end.min(d.span.end));
                    let clipped = trim_quote(text, clipped);
                    (!clipped.is_empty()).then_some(clipped)
                })
                .collect();
            let quote_type = quote_type(d, &fragments, &basis, overlapping, &quotes);
            Part {
                span: d.span,
                sentence: d.sentence,
                paragraph: d.paragraph,
                quotes: fragments,
                quote_type,
                basis,
                founds: founds.iter().filter(|f| f.attributes()).copied().collect(),
            }
        })
        .collect();
    resolve_hedges(&mut parts);
    drop(drafts);
    Attribution { parts, tokens }
}

/// Where to split a sentence: at `, but` (`; `, `, while` ...) where the
/// two sides have cues with different speakers. Each cut is the end of one
/// part and the start of the next; none (no allocation) for most sentences.
fn cuts(text: &str, tokens: &[Token], founds: &[Found]) -> Vec<(usize, usize)> {
    let attributing = || {
        founds
            .iter()
            .filter(|f| f.attributes() || f.kind == CueKind::MediaHedge)
    };
    let mut cuts = Vec::new();
    for (a, b) in attributing().zip(attributing().skip(1)) {
        let same = match (a.speaker, b.speaker) {
            (Some(x), Some(y)) => x.of(text).eq_ignore_ascii_case(y.of(text)),
            _ => false,
        };
        if same {
            continue;
        }
        let from = a.cue.end;
        let to = b
            .speaker
            .filter(|_| !b.inverted)
            .map_or(b.cue.start, |s| s.start.min(b.cue.start));
        // A comma before the conjunction, or a closing quotation mark that
        // holds it (`called the report “speculation,” but ...`).
        let closing =
            |t: &Token| t.in_quote && !t.word && matches!(t.lower.as_str(), "\"" | "”" | "’" | "'");
        let boundary = tokens.iter().enumerate().find(|(i, t)| {
            (!t.in_quote || closing(t))
                && t.span.start >= from
                && t.span.end <= to
                && (t.is(";")
                    || (t.is(",") || closing(t))
                        && tokens.get(i + 1).is_some_and(|n| {
                            matches!(
                                n.lower.as_str(),
                                "but"
                                    | "while"
                                    | "whereas"
                                    | "although"
                                    | "though"
                                    | "yet"
                                    | "and"
                                    | "however"
                            )
                        }))
        });
        if let Some((i, t)) = boundary {
            if let Some(next) = tokens.get(i + 1) {
                cuts.push((t.span.end, next.span.start));
            }
        }
    }
    // `The FDA has not approved it, and an FDA spokesperson said ...`: a
    // narrative clause, then a clause whose speaker opens it.
    if cuts.is_empty() {
        if let Some(f) = attributing()
            .next()
            .filter(|f| !f.inverted && f.kind == CueKind::Speech)
        {
            if let Some(speaker) = f.speaker {
                // Token starts increase: a binary search finds the one
                // starting the speaker.
                let k = tokens.partition_point(|t| t.span.start < speaker.start);
                let at = tokens
                    .get(k)
                    .is_some_and(|t| t.span.start == speaker.start)
                    .then_some(k);
                if let Some(at) = at.filter(|&a| a >= 2) {
                    let conj = &tokens[at - 1];
                    let comma = &tokens[at - 2];
                    let is_conj = matches!(
                        conj.lower.as_str(),
                        "but" | "and" | "while" | "whereas" | "though" | "although" | "yet"
                    );
                    let before_words = tokens[..at - 2].iter().filter(|t| t.word).count();
                    if is_conj
                        && comma.is(",")
                        && !comma.in_quote
                        && before_words >= 4
                        && !tokens[..at - 2].iter().any(|t| t.in_quote)
                    {
                        cuts.push((comma.span.end, conj.span.start));
                    } else if conj.is(";") && !conj.in_quote && before_words >= 4 {
                        cuts.push((conj.span.end, tokens[at].span.start));
                    }
                }
            }
        }
    }
    cuts
}

/// The range of `items` (sorted, non-overlapping spans) overlapping `span`.
fn overlapping<T>(items: &[T], span: Span, of: impl Fn(&T) -> Span) -> std::ops::Range<usize> {
    let from = items.partition_point(|x| of(x).end <= span.start);
    let to = from + items[from..].partition_point(|x| of(x).start < span.end);
    from..to
}

/// [`overlapping`] for spans asked about in text order: with each span
/// starting and ending no earlier than the one before, both ends of the
/// range only move forward, so they are stepped on from where they were
/// instead of searched for. A span that goes back is searched for.
struct Overlaps<'a, T, F> {
    items: &'a [T],
    of: F,
    /// The range for `last`.
    from: usize,
    to: usize,
    last: Span,
}

impl<'a, T, F: Fn(&T) -> Span> Overlaps<'a, T, F> {
    fn new(items: &'a [T], of: F) -> Self {
        Overlaps {
            items,
            of,
            from: 0,
            to: 0,
            last: Span::new(0, 0),
        }
    }

    /// The range of the items overlapping `span`: `overlapping(items, span, of)`.
    fn range(&mut self, span: Span) -> std::ops::Range<usize> {
        if span.start < self.last.start || span.end < self.last.end {
            let range = overlapping(self.items, span, &self.of);
            (self.from, self.to) = (range.start, range.end);
        } else {
            let of = &self.of;
            let items = self.items;
            // Items before `from` end by the last span's start, so by this
            // one's; those from `from` to `to` start before its end.
            while self.from < items.len() && of(&items[self.from]).end <= span.start {
                self.from += 1;
            }
            self.to = self.to.max(self.from);
            while self.to < items.len() && of(&items[self.to]).start < span.end {
                self.to += 1;
            }
        }
        self.last = span;
        self.from..self.to
    }
}

/// Whether a quote lies strictly between spans `a` and `b`.
fn quote_between(quotes: &[Quote], a: Span, b: Span) -> bool {
    let (lo, hi) = if a.end <= b.start {
        (a.end, b.start)
    } else {
        (b.end, a.start)
    };
    if lo >= hi {
        return false;
    }
    let k = quotes.partition_point(|q| q.outer.start < lo);
    quotes.get(k).is_some_and(|q| q.outer.end <= hi)
}

/// Most characters compared when looking for pull quotes in one article,
/// so a pathological article stays linear.
const PULL_QUOTE_BUDGET: usize = 4_000_000;

/// The attribution of each quote: its own cue, else its chain's, else a
/// neighbour's in the paragraph, else an introduction, else a pull quote's.
fn quote_attributions(
    text: &str,
    quotes: &[Quote],
    drafts: &[Draft],
    founds: &[Found],
    seg: &Segmentation,
) -> Vec<Option<(Found, Option<Carry>)>> {
    // Quotes come in text order, so the parts each overlaps only move forward.
    let mut overlaps = Overlaps::new(drafts, |d: &Draft| d.span);
    let mut attr: Vec<Option<(Found, Option<Carry>)>> = quotes
        .iter()
        .map(|q| {
            // The part holding the closing mark first, then the opening one.
            let holding = &drafts[overlaps.range(q.outer)];
            let candidates = holding.iter().rev().chain(holding.iter().take(1));
            for d in candidates {
                // A speech cue beats a verb of observation (`confirmed that
                // the village held "talks"`); the nearest of the kind wins.
                let usable = |f: &&Found| !quote_between(quotes, f.cue, q.outer);
                let best = d
                    .founds(founds)
                    .iter()
                    .filter(|f| f.attributes())
                    .filter(usable)
                    .min_by_key(|f| distance(f.cue, q.outer))
                    .or_else(|| {
                        d.founds(founds)
                            .iter()
                            .filter(|f| f.kind == CueKind::Observation)
                            .filter(usable)
                            .min_by_key(|f| distance(f.cue, q.outer))
                    });
                if let Some(f) = best {
                    return Some((*f, None));
                }
            }
            None
        })
        .collect();
    let own = |a: &Option<(Found, Option<Carry>)>| a.is_some_and(|a| a.1.is_none());
    // Chains: a later part of a quotation takes the first attributed part's source.
    // Only for a quote without attribution, the map sized at once for the
    // quotes with their own.
    if attr.iter().any(Option::is_none) {
        let owned = attr.iter().filter(|a| own(a)).count();
        let mut chain_first: rustc_hash::FxHashMap<usize, usize> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(owned, Default::default());
        for (j, q) in quotes.iter().enumerate() {
            if own(&attr[j]) {
                chain_first.entry(q.chain).or_insert(j);
            }
        }
        for i in 0..quotes.len() {
            if attr[i].is_none() {
                if let Some(&j) = chain_first.get(&quotes[i].chain) {
                    attr[i] = attr[j].map(|a| (a.0, Some(Carry::QuoteContinued)));
                }
            }
        }
    }
    let para_of = |span: Span| {
        let k = seg.paragraphs.partition_point(|p| p.span.end < span.end);
        seg.paragraphs
            .get(k)
            .filter(|p| p.span.contains(span))
            .map(|_| k)
    };
    let paras: Vec<Option<usize>> = quotes.iter().map(|q| para_of(q.outer)).collect();
    // Neighbours in the same paragraph: the surrounding quotation's speaker.
    let usable = |a: &Option<(Found, Option<Carry>)>| {
        own(a) && a.is_some_and(|a| a.0.kind != CueKind::Observation)
    };
    for i in 0..quotes.len() {
        if attr[i].is_some() {
            continue;
        }
        let before = (0..i)
            .rev()
            .take_while(|&j| paras[j] == paras[i])
            .find(|&j| usable(&attr[j]));
        let after = || {
            (i + 1..quotes.len())
                .take_while(|&j| paras[j] == paras[i])
                .find(|&j| usable(&attr[j]))
        };
        if let Some(j) = before.or_else(after) {
            attr[i] = attr[j].map(|a| (a.0, Some(Carry::QuoteContinued)));
        }
    }
    // A paragraph that is all quotation, right after a paragraph whose last
    // quotation is attributed, continues that speaker.
    for i in 0..quotes.len() {
        if attr[i].is_some() {
            continue;
        }
        let Some(para) = paras[i] else { continue };
        let pspan = seg.paragraphs[para].span;
        let all_quote =
            quotes[i].outer.start == pspan.start && quotes[i].outer.end + 2 >= pspan.end;
        if para == 0 || !all_quote {
            continue;
        }
        let prev = seg.paragraphs[para - 1].span;
        let last = (0..i)
            .rev()
            .take_while(|&j| quotes[j].outer.end > prev.start)
            .find(|&j| prev.contains(quotes[j].outer));
        if let Some(j) = last {
            if let Some((f, _)) = attr[j].filter(|a| a.0.kind != CueKind::Observation) {
                let tail = &text[quotes[j].outer.end..prev.end];
                // The paragraph before must end with its quotation's attribution.
                if tail.len() < 80 {
                    attr[i] = Some((f, Some(Carry::QuoteContinued)));
                }
            }
        }
    }
    // `X said:` ending the paragraph before a quote paragraph.
    for i in 0..quotes.len() {
        if attr[i].is_some() {
            continue;
        }
        let Some(para) = paras[i] else { continue };
        if para == 0 || seg.paragraphs[para].span.start != quotes[i].outer.start {
            continue;
        }
        let prev = seg.paragraphs[para - 1].span;
        let intro = drafts[overlapping(drafts, prev, |d| d.span)].last();
        if let Some(d) = intro {
            if d.span.of(text).trim_end().ends_with(':') {
                if let Some(f) = d.founds(founds).iter().rev().find(|f| f.attributes()) {
                    attr[i] = Some((*f, Some(Carry::QuoteIntro)));
                    // The rest of its chain follows.
                    for j in i + 1..quotes.len() {
                        if quotes[j].chain != quotes[i].chain {
                            break;
                        }
                        if attr[j].is_none() {
                            attr[j] = Some((*f, Some(Carry::QuoteIntro)));
                        }
                    }
                }
            }
        }
    }
    // Pull quotes: the same words quoted and attributed elsewhere.
    if attr.iter().all(Option::is_some) {
        return attr;
    }
    let attributed: Vec<usize> = (0..quotes.len())
        .filter(|&j| attr[j].is_some_and(|a| a.0.kind != CueKind::Observation))
        .collect();
    let norm = |k: usize| letters_and_digits_lowercased(quotes[k].inner.of(text));
    // The attributed quotations' letters, by `attributed`: worked out when
    // first compared, since most quotations without attribution are too
    // short to compare at all.
    let mut attributed_norms: Vec<String> = Vec::new();
    let mut budget = PULL_QUOTE_BUDGET;
    for i in 0..quotes.len() {
        if attr[i].is_some() {
            continue;
        }
        let mine = norm(i);
        if mine.len() < 12 {
            continue;
        }
        if attributed_norms.len() < attributed.len() {
            attributed_norms = attributed.iter().map(|&j| norm(j)).collect();
        }
        let mut source = None;
        for (&j, theirs) in attributed.iter().zip(&attributed_norms) {
            let cost = theirs.len() + mine.len();
            if budget < cost {
                break;
            }
            budget -= cost;
            if j != i && (theirs.contains(&mine) || theirs.len() >= 12 && mine.contains(theirs)) {
                source = Some(j);
                break;
            }
        }
        if let Some(j) = source {
            attr[i] = attr[j].map(|a| (a.0, Some(Carry::PullQuote)));
        }
    }
    attr
}

/// The letters and digits of `text`, each lowercased (`char::to_lowercase`):
/// a quotation's words without spacing or punctuation, to compare quotations
/// by. Runs of ASCII, most of any text, are taken byte by byte without
/// decoding chars.
fn letters_and_digits_lowercased(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for &b in &rest.as_bytes()[..ascii] {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        let mut chars = rest[ascii..].chars();
        if let Some(c) = chars.next().filter(|c| c.is_alphanumeric()) {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
    out
}

fn distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn basis(
    d: &Draft,
    founds: &[Found],
    overlapping: std::ops::Range<usize>,
    quote_attr: &[Option<(Found, Option<Carry>)>],
) -> Basis {
    // The cue that attributes this part's quote, if it is in this part.
    for q in overlapping.clone() {
        if let Some((f, carry)) = quote_attr[q] {
            if d.span.contains(f.cue) && carry.is_none() {
                return match f.kind {
                    CueKind::Observation => Basis::Observation(f.cue),
                    _ => Basis::Own(f),
                };
            }
        }
    }
    if let Some(f) = founds.iter().find(|f| f.attributes()) {
        return Basis::Own(*f);
    }
    // A sentence inside a quotation attributed elsewhere.
    for q in overlapping.clone() {
        if let Some((f, carry)) = quote_attr[q] {
            // The share is counted only for an observation.
            if f.kind != CueKind::Observation || quoted_share(d) >= 0.5 {
                let carry = carry.unwrap_or(Carry::QuoteContinued);
                return match f.kind {
                    CueKind::Observation => Basis::Observation(f.cue),
                    _ => Basis::Carried(f, carry),
                };
            }
        }
    }
    if let Some(f) = founds.iter().find(|f| f.kind == CueKind::MediaHedge) {
        return Basis::MediaHedge(f.cue);
    }
    if let Some(f) = founds.iter().find(|f| f.kind == CueKind::Hedge) {
        // Resolved against the paragraph afterwards.
        return Basis::Carried(*f, Carry::Hedge);
    }
    if let Some(f) = founds.iter().find(|f| f.kind == CueKind::Observation) {
        return Basis::Observation(f.cue);
    }
    if !overlapping.is_empty() && quoted_share(d) >= 0.5 {
        return Basis::UnattributedQuote;
    }
    Basis::Narrative
}

/// The share of the part's words that are inside quotation marks.
fn quoted_share(d: &Draft) -> f64 {
    // Both counts in one pass over the tokens.
    let (words, quoted) = d.tokens.iter().fold((0usize, 0usize), |(w, q), t| {
        (
            w + usize::from(t.word),
            q + usize::from(t.word && t.in_quote),
        )
    });
    if words == 0 {
        return 0.0;
    }
    quoted as f64 / words as f64
}

fn quote_type(
    d: &Draft,
    fragments: &[Span],
    basis: &Basis,
    overlapping: std::ops::Range<usize>,
    quotes: &[Quote],
) -> QuoteType {
    let attributed = matches!(
        basis,
        Basis::Own(_) | Basis::Carried(..) | Basis::Hedged { .. }
    );
    if fragments.is_empty() {
        return match basis {
            Basis::Own(_) | Basis::MediaHedge(_) => QuoteType::Indirect,
            Basis::Carried(_, Carry::Hedge) => QuoteType::Indirect,
            Basis::Carried(..) => QuoteType::Indirect,
            _ => QuoteType::None,
        };
    }
    if !attributed && !matches!(basis, Basis::UnattributedQuote) {
        return QuoteType::Partial;
    }
    // The words outside the quotation, counted twice rather than gathered.
    let outside = || d.tokens.iter().filter(|t| t.word && !t.in_quote);
    let outside_words = outside().count();
    if outside_words == 0 {
        return QuoteType::Direct;
    }
    let own = match basis {
        Basis::Own(f) => Some(f),
        _ => None,
    };
    if own.is_some_and(|f| f.kind == CueKind::Characterize) {
        return QuoteType::Partial;
    }
    // Without a cue of its own no word is the attribution's: no second pass.
    let attribution_words = own.map_or(0, |f| {
        outside()
            .filter(|t| {
                f.cue.contains(t.span)
                    || f.speaker.is_some_and(|s| s.contains(t.span))
                    || f.apposition.is_some_and(|s| s.contains(t.span))
            })
            .count()
    });
    let extra = outside_words - attribution_words;
    // The quotation opens the part, or follows `X said,` / `X said:` to its end.
    let first = d.tokens.first();
    let opens = first.is_some_and(|t| t.in_quote);
    let mut overlapping = overlapping;
    let after_intro = overlapping.any(|q| {
        let qo = quotes[q].outer;
        // The last token ending before the quote; token ends increase.
        let before = d.tokens[..d.tokens.partition_point(|t| t.span.end <= qo.start)].last();
        before.is_some_and(|t| t.is(",") || t.is(":")) && qo.end >= d.span.end.saturating_sub(2)
    });
    if (opens || after_intro) && extra <= 4 {
        QuoteType::Direct
    } else {
        QuoteType::Partial
    }
}

/// A hedged part takes the nearest attribution in its paragraph (else the
/// last one of the paragraph before); with none, it stays narrative.
fn resolve_hedges(parts: &mut [Part]) {
    for i in 0..parts.len() {
        let Basis::Carried(hedge, Carry::Hedge) = parts[i].basis else {
            continue;
        };
        let para = parts[i].paragraph;
        let attributed = |p: &Part| match p.basis {
            Basis::Own(f) => Some(f),
            Basis::Carried(f, c) if c != Carry::Hedge => Some(f),
            _ => None,
        };
        // The nearest attributed part of the same paragraph.
        let mut best: Option<(usize, Found)> = None;
        let same_para = |j: usize| parts[j].paragraph == para;
        let back = (0..i)
            .rev()
            .take_while(|&j| same_para(j))
            .find_map(|j| attributed(&parts[j]).map(|f| (i - j, f)));
        let ahead = (i + 1..parts.len())
            .take_while(|&j| same_para(j))
            .find_map(|j| attributed(&parts[j]).map(|f| (j - i, f)));
        for candidate in [back, ahead].into_iter().flatten() {
            if best.is_none_or(|(bd, _)| candidate.0 < bd) {
                best = Some(candidate);
            }
        }
        let found = best.map(|b| b.1).or_else(|| {
            parts[..i]
                .iter()
                .rev()
                .take_while(|p| p.paragraph + 1 >= para)
                .filter(|p| p.paragraph + 1 == para)
                .find_map(attributed)
        });
        parts[i].basis = match found {
            Some(found) => Basis::Hedged {
                hedge: hedge.cue,
                found,
            },
            None => Basis::Narrative,
        };
        if matches!(parts[i].basis, Basis::Narrative) && parts[i].quote_type == QuoteType::Indirect
        {
            parts[i].quote_type = QuoteType::None;
        }
    }
}

/// Quoted words without trailing `,` `;` `:` and surrounding spaces.
fn trim_quote(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let trimmed = s.trim_start();
    let start = span.start + (s.len() - trimmed.len());
    let t = trimmed.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    Span::new(start, start + t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_digits_lowercased_agrees_with_the_simple_form() {
        let pieces = [
            "Said",
            "the",
            " ",
            "ÉCOLE",
            "“Quote,”",
            "İstanbul’s",
            "ǅemal",
            "—",
            "ΣΟΦΟΣ",
            "x2",
            "3.5%",
            "Ⅻ",
            "東京",
            "🙏",
            "e\u{301}",
            "\n",
            "A-B",
            "",
        ];
        for text in crate::testing::pieced(&pieces, 400, 8) {
            let simple: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(letters_and_digits_lowercased(&text), simple, "{text:?}");
        }
    }

    /// Sorted, non-overlapping spans from gaps and lengths.
    fn spans_of(pieces: &[(usize, usize)]) -> Vec<Span> {
        let mut at = 0;
        pieces
            .iter()
            .map(|&(gap, len)| {
                let span = Span::new(at + gap, at + gap + len);
                at = span.end;
                span
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn overlaps_agrees_with_overlapping(
            items in proptest::collection::vec((0usize..4, 1usize..6), 0..12),
            asked in proptest::collection::vec((0usize..40, 0usize..10), 0..12),
            in_order in proptest::bool::ANY,
        ) {
            let items = spans_of(&items);
            let mut asked: Vec<Span> = asked
                .iter()
                .map(|&(start, len)| Span::new(start, start + len))
                .collect();
            if in_order {
                // Parts and quotes: starts and ends both increasing.
                asked = spans_of(&asked.iter().map(|s| (s.start % 4, s.len())).collect::<Vec<_>>());
            }
            let mut overlaps = Overlaps::new(&items, |s: &Span| *s);
            for span in asked {
                proptest::prop_assert_eq!(
                    overlaps.range(span),
                    overlapping(&items, span, |s| *s),
                    "{:?} in {:?}", span, items
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn letters_and_digits_lowercased_agrees_on_any_text(text in "(?s).{0,60}") {
            let simple: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(letters_and_digits_lowercased(&text), simple);
        }
    }
}
