//! Cues and their speakers inside one sentence.
//!
//! A cue is a speech verb (`said`, `told`), `according to`, a document verb
//! after a document (`court records show`), a characterising verb before a
//! quotation (`called it "reckless"`), a hedge (`allegedly`), a media hedge
//! (`reportedly`) or a verb of observed behaviour (`chanted`). The speaker is
//! the noun phrase before the cue (`the department said`), or after it when
//! nothing stands before (`"...," said Ruiz`, `according to police`).

use super::tokens::Token;
use crate::lexicon::Lexicons;
use crate::model::Span;

/// What kind of cue links a claim to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    Speech,
    According,
    Document,
    Characterize,
    MediaHedge,
    Hedge,
    Observation,
}

/// A cue found in a sentence, with the words naming its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub cue: Span,
    pub kind: CueKind,
    /// The noun phrase naming the source (`Director Ana Ruiz`).
    pub speaker: Option<Span>,
    /// An apposition beside it (`a spokesperson for the county`).
    pub apposition: Option<Span>,
    /// The speaker stands after the cue (`said Ruiz`).
    pub inverted: bool,
}

impl Found {
    /// Whether the cue attributes words to a source.
    pub fn attributes(&self) -> bool {
        matches!(
            self.kind,
            CueKind::Speech | CueKind::According | CueKind::Document | CueKind::Characterize
        )
    }
}

const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "another",
    "each",
    "every",
    "some",
    "several",
    "many",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "both",
    "all",
    "no",
    "one",
    "dozens",
    "hundreds",
    "thousands",
    "most",
    "few",
    "other",
    "such",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "who"];
const STOP: &[&str] = &[
    "that",
    "which",
    "whom",
    "whose",
    "but",
    "or",
    "nor",
    "because",
    "while",
    "when",
    "whenever",
    "if",
    "as",
    "than",
    "after",
    "before",
    "since",
    "although",
    "though",
    "where",
    "whether",
    "until",
    "unless",
    "so",
    "then",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "being",
    "am",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "not",
    "there",
    "to",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "during",
    "without",
    "against",
    "among",
    "through",
    "across",
    "toward",
    "towards",
    "upon",
    "within",
    "on",
    "also",
    "meanwhile",
    "however",
    "still",
    "now",
    "instead",
    "separately",
    "additionally",
    "yet",
    "moreover",
    "furthermore",
    "finally",
    "previously",
    "later",
    "earlier",
    "today",
    "yesterday",
    "tonight",
    "afterward",
    "afterwards",
    "thus",
    "indeed",
    "last",
    "once",
    "again",
    "just",
    "even",
    "only",
    "already",
    "here",
    "what",
    "how",
    "why",
    "said",
    "says",
];
/// Prepositions that can continue a noun phrase (`spokesperson for the county`).
const CONT_PREPS: &[&str] = &["of", "for", "at", "with", "from", "by", "in"];
/// Participles whose `by` phrase is not part of the source (`obtained by`).
const PARTICIPLES: &[&str] = &[
    "obtained",
    "seen",
    "reviewed",
    "released",
    "published",
    "issued",
    "filed",
    "shared",
    "written",
    "signed",
    "sent",
    "posted",
    "cited",
    "viewed",
    "provided",
    "first",
];
/// Words between a subject and its cue that are not part of the subject.
const SKIPPED: &[&str] = &[
    "also",
    "later",
    "previously",
    "then",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "further",
    "again",
    "once",
    "repeatedly",
    "initially",
    "first",
    "last",
    "earlier",
    "recently",
    "publicly",
    "privately",
    "separately",
    "similarly",
    "did",
    "does",
    "not",
    "never",
    "quickly",
    "flatly",
    "falsely",
    "wrongly",
    "openly",
    "personally",
    "had",
    "reportedly",
    "previously",
    "on",
    "late",
    "early",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "weekend",
    "himself",
    "herself",
    "themselves",
    "itself",
    "however",
    "meanwhile",
    "still",
    "now",
    "may",
    "might",
    "can",
    "must",
    "should",
];
const BE: &[&str] = &[
    "was", "were", "is", "are", "been", "being", "be", "get", "got", "gets",
];
const ADJ_ING: &[&str] = &[
    "outgoing",
    "incoming",
    "ruling",
    "governing",
    "leading",
    "acting",
    "presiding",
    "visiting",
    "remaining",
    "opposing",
    "reigning",
    "sitting",
    "managing",
    "founding",
    "striking",
    "working",
    "neighboring",
    "neighbouring",
    "surrounding",
    "existing",
    "pumping",
    "polling",
    "housing",
    "building",
    "planning",
    "nursing",
    "teaching",
    "marketing",
    "trading",
    "banking",
    "funding",
];
const ADJ_ED: &[&str] = &[
    "retired",
    "elected",
    "unnamed",
    "unidentified",
    "armed",
    "concerned",
    "united",
    "appointed",
    "licensed",
    "certified",
    "registered",
    "detained",
    "accused",
    "injured",
    "displaced",
    "affected",
    "unaffiliated",
    "organized",
    "organised",
    "frustrated",
    "worried",
    "alarmed",
];
const LISTENER_CUES: &[&str] = &["told", "tells", "tell"];
/// Words before `with`/`of`/`to` that keep a source phrase going
/// (`officials familiar with the matter`, `with knowledge of`).
const LINKING: &[&str] = &[
    "familiar",
    "close",
    "knowledge",
    "briefed",
    "involved",
    "aware",
    "speaking",
    "representing",
];
/// The closed word lists above that the walks test tokens against. Each
/// is a bit of a token's first-word bits (`Lexicons::first_mask`), so a test
/// is one AND; [`WORD_CLASSES`] lists their words in this order.
#[derive(Debug, Clone, Copy)]
enum WordClass {
    Determiner,
    Pronoun,
    Stop,
    ContinuingPreposition,
    Participle,
    Skipped,
    AdjectiveIng,
    AdjectiveEd,
    ListenerCue,
    Linking,
    NeedsQuote,
    PassiveHedge,
    ModifierParticiple,
    Be,
}

/// The words of each [`WordClass`], in its order.
pub const WORD_CLASSES: &[&[&str]] = &[
    DETERMINERS,
    PRONOUNS,
    STOP,
    CONT_PREPS,
    PARTICIPLES,
    SKIPPED,
    ADJ_ING,
    ADJ_ED,
    LISTENER_CUES,
    LINKING,
    NEEDS_QUOTE,
    PASSIVE_HEDGES,
    MODIFIER_PARTICIPLES,
    BE,
];

/// Whether token `t`'s word (lowercased) is in word class `class`.
#[inline]
fn is(t: &Token, class: WordClass) -> bool {
    t.mask & crate::lexicon::word_class_bit(class as usize) != 0
}

/// Words that open a cue though no cue lexicon has them: the passive hedges
/// and `according` (`according to`).
pub const CUE_OPENERS: &[&str] = &[
    "described",
    "identified",
    "characterized",
    "characterised",
    "portrayed",
    "depicted",
    "labeled",
    "labelled",
    "called",
    "quoted",
    "according",
];
/// Verbs that attribute only with a quotation in the sentence.
const NEEDS_QUOTE: &[&str] = &["asked", "asks", "ask"];
/// Passive forms that hedge (`was described as`).
const PASSIVE_HEDGES: &[&str] = CUE_OPENERS.split_last().expect("not empty").1;
/// Participles that modify a document rather than report speech (`a video posted to`).
const MODIFIER_PARTICIPLES: &[&str] = &[
    "posted",
    "released",
    "issued",
    "published",
    "shared",
    "sent",
    "written",
    "obtained",
];

/// Finds every cue of a sentence's tokens, in order.
pub fn find_cues(tokens: &[Token], lex: &Lexicons) -> Vec<Found> {
    let mut out = Vec::new();
    find_cues_into(tokens, lex, &mut out);
    out
}

/// [`find_cues`], appending the cues to `all` (what it holds already is
/// left alone), so that the cues of many sentences can share one vector.
pub fn find_cues_into(tokens: &[Token], lex: &Lexicons, all: &mut Vec<Found>) {
    let cue_bits = lex.cue_bits();
    // Many sentences have no token that may open a cue, and the walk below
    // goes from one to the next.
    let next_open = |from: usize| next_open(tokens, from, cue_bits);
    let Some(first) = next_open(0) else {
        return;
    };
    let base = all.len();
    // The lowercased words from token `i` on, for the phrase lexicons.
    let words_from = |i: usize| {
        (tokens.len() - i, move |n: usize| {
            tokens[i + n].lower.as_str()
        })
    };
    let quote_after = |i: usize| tokens[i..].iter().any(|t| t.in_quote);
    let out = all;
    let mut i = first;
    while i < tokens.len() {
        // Words outside quotations whose bits say they may open a cue; the
        // tokens passed over open none.
        let Some(at) = next_open(i) else {
            break;
        };
        i = at;
        let t = &tokens[i];
        let cue_span = |n: usize| Span::new(t.span.start, tokens[i + n - 1].span.end);
        if let Some(n) = lex
            .media_hedges
            .may_start(t.mask)
            .then(|| {
                let (count, word) = words_from(i);
                lex.media_hedges.longest_prefix_of_lower(count, word)
            })
            .flatten()
        {
            out.push(Found {
                cue: cue_span(n),
                kind: CueKind::MediaHedge,
                speaker: None,
                apposition: None,
                inverted: false,
            });
            i += n;
            continue;
        }
        if t.is("according") && tokens.get(i + 1).is_some_and(|n| n.is("to")) {
            let right = walk_right(tokens, i + 2, lex);
            out.push(Found {
                cue: cue_span(2),
                kind: CueKind::According,
                speaker: right.map(|r| r.0),
                apposition: right.and_then(|r| r.1),
                inverted: true,
            });
            i += 2;
            continue;
        }
        if let Some(n) = lex
            .hedges
            .may_start(t.mask)
            .then(|| {
                let (count, word) = words_from(i);
                lex.hedges.longest_prefix_of_lower(count, word)
            })
            .flatten()
        {
            out.push(Found {
                cue: cue_span(n),
                kind: CueKind::Hedge,
                speaker: None,
                apposition: None,
                inverted: false,
            });
            i += n;
            continue;
        }
        let prev = previous_word(tokens, i);
        let prev_raw = if i > 0 { Some(&tokens[i - 1]) } else { None };
        let negated = tokens[i.saturating_sub(3)..i].iter().any(|p| {
            // Each word below ends in `t` or `r`: one byte test turns down
            // most words before the comparisons.
            p.word
                && matches!(p.lower.as_bytes().last(), Some(b't' | b'r'))
                && (p.is("not")
                    || p.is("never")
                    || p.lower.ends_with("n't")
                    || p.lower.ends_with("n’t"))
        });
        let passive = prev.is_some_and(|p| is(p, WordClass::Be));
        // `the report`, `to say`, and `finance reports show` are not cues.
        let before_document_verb = tokens.get(i + 1).is_some_and(|n| {
            n.word && lex.document_verbs.has_token(n) && !lex.cue_verbs.has_token(n)
        });
        let noun_use = before_document_verb
            || prev
                .is_some_and(|p| is(p, WordClass::Determiner) || p.is("to") || p.is("so-called"));
        // `reported by`, `first reported Monday by`: the position of `by`.
        let by_at = (i + 1..tokens.len().min(i + 4))
            .take_while(|&k| {
                tokens[k].is("by")
                    || lex.time_words.has_token(&tokens[k])
                    || tokens[k].is("on")
                    || tokens[k].is("last")
            })
            .find(|&k| tokens[k].is("by"));
        let agent_by = by_at.is_some();
        // Cues are lowercase verbs: `United States`, `Notes` are not cues.
        let sentence_start = prev_raw.is_none_or(|p| !p.word);
        let capital_ok = !t.capitalized() || sentence_start;
        if passive && is(&tokens[i], WordClass::PassiveHedge) && !agent_by {
            out.push(Found {
                cue: t.span,
                kind: CueKind::Hedge,
                speaker: None,
                apposition: None,
                inverted: false,
            });
            i += 1;
            continue;
        }
        if let Some(mut n) = (capital_ok && lex.cue_verbs.may_start(t.mask))
            .then(|| {
                let (count, word) = words_from(i);
                lex.cue_verbs.longest_prefix_of_lower(count, word)
            })
            .flatten()
        {
            let right_after_quote =
                prev_raw.is_some_and(|p| p.in_quote) || (i >= 2 && tokens[i - 2].in_quote);
            let needs_quote =
                is(&tokens[i], WordClass::NeedsQuote) && !quote_after(i) && !right_after_quote;
            let modifier = is(&tokens[i], WordClass::ModifierParticiple)
                && prev_raw.is_some_and(|p| p.word && lex.document_set.has_token(p));
            let by = by_at.unwrap_or(i + 1);
            let time_agent = tokens
                .get(by + 1)
                .is_some_and(|t| lex.time_words.has_token(t));
            if agent_by && time_agent {
                // `reported by Tuesday evening`: a date, not an agent.
                i += 1;
                continue;
            }
            let participle = t.lower.ends_with("ed");
            if agent_by && (passive || participle || prev_raw.is_some_and(|p| p.is("first"))) {
                // `first reported by the Courier`, `was reported by Reuters`,
                // `the driver, identified by police as ...`
                let right = walk_right(tokens, by + 1, lex);
                out.push(Found {
                    cue: t.span,
                    kind: CueKind::Speech,
                    speaker: right.map(|r| r.0),
                    apposition: right.and_then(|r| r.1),
                    inverted: true,
                });
                i += 2;
                continue;
            }
            if !noun_use && !passive && !negated && !needs_quote && !modifier {
                if n > 1 && tokens[i + n - 1].is("that") {
                    n -= 1; // `found that`: the cue is the verb
                }
                let left = walk_left(tokens, i, lex).map(|l| relative_subject(tokens, i, l, lex));
                let can_invert =
                    sentence_start || prev_raw.is_some_and(|p| p.in_quote || p.is(","));
                let coordinated = prev_raw.is_some_and(|p| p.is("but") || p.is("and"));
                let (speaker, inverted) = match left {
                    Some(l) => (Some(l), false),
                    // `Dunn said ... but noted that`: the first verb's subject.
                    None if coordinated => {
                        match out[base..].iter().rev().find(|f| f.speaker.is_some()) {
                            Some(f) => (f.speaker.map(|s| (s, f.apposition)), f.inverted),
                            None => (walk_right(tokens, 0, lex), false),
                        }
                    }
                    None if can_invert && !is(&tokens[i], WordClass::ListenerCue) => {
                        (walk_right(tokens, i + n, lex), true)
                    }
                    None => (None, false),
                };
                out.push(Found {
                    cue: cue_span(n),
                    kind: CueKind::Speech,
                    speaker: speaker.map(|s| s.0),
                    apposition: speaker.and_then(|s| s.1),
                    inverted: inverted && speaker.is_some(),
                });
                i += n;
                continue;
            }
            if negated || noun_use || passive || needs_quote || modifier {
                i += n;
                continue;
            }
        }
        if !noun_use && lex.document_verbs.may_start(t.mask) && lex.document_verbs.has_token(t) {
            if let Some((np, app)) = walk_left(tokens, i, lex) {
                let np_words: Vec<&str> = tokens
                    .iter()
                    .filter(|w| w.word && np.contains(w.span))
                    .map(|w| w.lower.as_str())
                    .collect();
                if lex.document_set.find_in(&np_words).is_some() {
                    out.push(Found {
                        cue: t.span,
                        kind: CueKind::Document,
                        speaker: Some(np),
                        apposition: app,
                        inverted: false,
                    });
                    i += 1;
                    continue;
                }
            }
        }
        if !noun_use
            && lex.characterize_verbs.may_start(t.mask)
            && lex.characterize_verbs.has_token(t)
            && quote_after(i)
        {
            let left = walk_left(tokens, i, lex);
            out.push(Found {
                cue: t.span,
                kind: CueKind::Characterize,
                speaker: left.map(|l| l.0),
                apposition: left.and_then(|l| l.1),
                inverted: false,
            });
        } else if lex.observation_verbs.may_start(t.mask)
            && lex.observation_verbs.has_token(t)
            && quote_after(i)
        {
            out.push(Found {
                cue: t.span,
                kind: CueKind::Observation,
                speaker: None,
                apposition: None,
                inverted: false,
            });
        }
        i += 1;
    }
}

/// Whether token `t` may open a cue: a word outside quotations with one of
/// `cue_bits` (the first-word bits of the cue lexicons).
#[inline(always)]
fn may_open(t: &Token, cue_bits: u64) -> bool {
    t.mask & cue_bits != 0 && t.word && !t.in_quote
}

/// The first token from `from` on that [may open](may_open) a cue.
///
/// Nearly every token has none of `cue_bits`, so the search tests two
/// tokens' bits at once and looks closer only at a pair that has some.
#[inline(never)]
fn next_open(tokens: &[Token], from: usize, cue_bits: u64) -> Option<usize> {
    let n = tokens.len();
    let mut i = from;
    loop {
        while i + 1 < n && (tokens[i].mask | tokens[i + 1].mask) & cue_bits == 0 {
            i += 2;
        }
        if i >= n {
            return None;
        }
        if may_open(&tokens[i], cue_bits) {
            return Some(i);
        }
        if i + 1 < n && may_open(&tokens[i + 1], cue_bits) {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// `A senior official who was not authorized to speak said`: the subject is
/// the phrase before `who`, when the walk stopped inside the relative clause.
fn relative_subject(tokens: &[Token], cue: usize, found: Np, lex: &Lexicons) -> Np {
    // Tokens are in text order, their starts increasing: a binary search
    // finds the one starting the phrase.
    let at = tokens.partition_point(|t| t.span.start < found.0.start);
    let start = tokens
        .get(at)
        .filter(|t| t.span.start == found.0.start)
        .map_or(0, |_| at);
    let who = (0..start)
        .rev()
        .take_while(|&k| !tokens[k].is(",") && !tokens[k].in_quote)
        .find(|&k| tokens[k].is("who"));
    match who {
        Some(w) if w > 0 && w < cue => walk_left(tokens, w, lex).unwrap_or(found),
        _ => found,
    }
}

fn previous_word(tokens: &[Token], i: usize) -> Option<&Token> {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let t = &tokens[j];
        if !t.word {
            return None;
        }
        let adverb = t.lower.ends_with("ly") && t.lower != "only"
            || matches!(
                t.lower.as_str(),
                "not"
                    | "also"
                    | "first"
                    | "then"
                    | "since"
                    | "already"
                    | "later"
                    | "previously"
                    | "once"
                    | "never"
                    | "twice"
            );
        if adverb {
            continue;
        }
        return Some(t);
    }
    None
}

fn noun_like(t: &Token, lex: &Lexicons) -> bool {
    let l = t.lower.as_str();
    t.word
        && !t.in_quote
        && (t.capitalized()
            || lex.official_titles.has_token(t)
            || lex.ambiguous_titles.has_token(t)
            || lex.other_roles.has_token(t)
            || lex.official_bodies.has_token(t)
            || lex.other_orgs.has_token(t)
            || lex.media_nouns.has_token(t)
            || lex.document_set.has_token(t)
            || matches!(
                l,
                "official"
                    | "officials"
                    | "member"
                    | "members"
                    | "head"
                    | "leader"
                    | "leaders"
                    | "representative"
                    | "representatives"
                    | "people"
                    | "person"
            ))
}

type Np = (Span, Option<Span>);

/// The noun phrase ending just before token `cue`, with any apposition
/// between it and the cue.
pub fn walk_left(tokens: &[Token], cue: usize, lex: &Lexicons) -> Option<Np> {
    let mut j = cue as isize - 1;
    while j >= 0 {
        let t = &tokens[j as usize];
        if t.word
            && !t.in_quote
            && (is(t, WordClass::Skipped) || t.lower.ends_with("ly") && !t.capitalized())
        {
            j -= 1;
        } else {
            break;
        }
    }
    let mut apposition = None;
    if j >= 1 {
        let t = &tokens[j as usize];
        if !t.word && !t.in_quote && t.is(",") {
            // `Jane Doe, a spokesperson for the county, said`
            let mut k = j - 1;
            let mut words = 0;
            while k >= 0 {
                let u = &tokens[k as usize];
                if u.in_quote || (!u.word && !u.is(",") && !u.is("-") && !u.is("'") && !u.is("’"))
                {
                    return None;
                }
                if u.is(",") {
                    break;
                }
                words += 1;
                k -= 1;
            }
            if k < 1 || words == 0 || words > 16 {
                return None;
            }
            let before = &tokens[k as usize - 1];
            if !before.word || before.in_quote {
                return None;
            }
            apposition = Some(Span::new(
                tokens[k as usize + 1].span.start,
                tokens[j as usize - 1].span.end,
            ));
            j = k - 1;
        }
    }
    let mut end = j;
    let mut count = 0;
    while j >= 0 {
        let t = &tokens[j as usize];
        if !t.word || t.in_quote {
            break;
        }
        let l = t.lower.as_str();
        let at_start = j == 0 || !tokens[j as usize - 1].word;
        if is(t, WordClass::Pronoun) {
            if j == end && !t.is("who") {
                j -= 1;
            }
            break;
        }
        if is(t, WordClass::Determiner) {
            j -= 1;
            // `officials at the scene`: the determiner may follow a preposition.
            if j >= 1
                && is(&tokens[j as usize], WordClass::ContinuingPreposition)
                && tokens[j as usize].word
                && (noun_like(&tokens[j as usize - 1], lex)
                    || is(&tokens[j as usize - 1], WordClass::Linking))
            {
                j -= 1;
                continue;
            }
            break;
        }
        if is(t, WordClass::ContinuingPreposition) {
            if j >= 1 {
                let left = &tokens[j as usize - 1];
                if l == "by" && is(left, WordClass::Participle) && j >= 2 {
                    // `a press release obtained by Blaze News`: not the source.
                    end = j - 2;
                    j -= 2;
                    count = 0;
                    continue;
                }
                if noun_like(left, lex) {
                    j -= 1;
                    continue;
                }
                if is(left, WordClass::Linking) && j >= 2 {
                    // `officials familiar with the matter`: keep going past the link word.
                    j -= 2;
                    continue;
                }
            }
            break;
        }
        if l == "and" || l == "&" {
            if j >= 1 && tokens[j as usize - 1].capitalized() && count > 0 {
                j -= 1;
                continue;
            }
            break;
        }
        if is(t, WordClass::Stop) || lex.cue_verbs.has_token(t) {
            break;
        }
        if !t.capitalized() {
            if (l.ends_with("ed") && !is(t, WordClass::AdjectiveEd))
                || (l.ends_with("ing") && !is(t, WordClass::AdjectiveIng))
            {
                // `An indictment unsealed last year describes`: skip the participle.
                if count == 0 && j == end && j >= 1 && noun_like(&tokens[j as usize - 1], lex) {
                    j -= 1;
                    end = j;
                    continue;
                }
                break;
            }
        } else if at_start && (is(t, WordClass::ContinuingPreposition) || l == "and") {
            break;
        }
        count += 1;
        if count > 10 {
            break;
        }
        j -= 1;
    }
    let start = (j + 1) as usize;
    if end < 0 || start > end as usize {
        return None;
    }
    let end = end as usize;
    let span = Span::new(tokens[start].span.start, tokens[end].span.end);
    // A phrase of determiners or prepositions alone names nobody.
    let has_head = tokens[start..=end].iter().any(|t| {
        t.word && !is(t, WordClass::Determiner) && !is(t, WordClass::ContinuingPreposition)
    });
    has_head.then_some((span, apposition))
}

/// The noun phrase starting at token `from` (`said Ruiz`, `according to the
/// county's records`), with an apposition after a comma.
pub fn walk_right(tokens: &[Token], from: usize, lex: &Lexicons) -> Option<Np> {
    let mut j = from;
    let mut last = None;
    let mut count = 0;
    while j < tokens.len() {
        let t = &tokens[j];
        if !t.word || t.in_quote {
            break;
        }
        let l = t.lower.as_str();
        if count == 0 && is(t, WordClass::Determiner) {
            j += 1;
            continue;
        }
        if is(t, WordClass::Pronoun) && count == 0 {
            last = Some(j);
            break;
        }
        let from_document = l == "from" && j > from && lex.document_set.has_token(&tokens[j - 1]);
        if (matches!(l, "of" | "for" | "by") || from_document)
            && j > from
            && noun_like(&tokens[j - 1], lex)
        {
            j += 1;
            continue;
        }
        if is(t, WordClass::Determiner)
            && j > from
            && matches!(tokens[j - 1].lower.as_str(), "of" | "for" | "by" | "from")
        {
            j += 1;
            continue;
        }
        let after_determiner = j > from && is(&tokens[j - 1], WordClass::Determiner);
        if is(t, WordClass::Stop)
            || is(t, WordClass::ContinuingPreposition)
            || (lex.cue_verbs.has_token(t) && !after_determiner)
            || l == "and" && count == 0
        {
            break;
        }
        if !t.capitalized()
            && ((l.ends_with("ed") && !is(t, WordClass::AdjectiveEd))
                || (l.ends_with("ing") && !is(t, WordClass::AdjectiveIng)))
        {
            break;
        }
        last = Some(j);
        count += 1;
        if count > 10 {
            break;
        }
        j += 1;
    }
    let last = last?;
    let span = Span::new(tokens[from].span.start, tokens[last].span.end);
    // An apposition after a comma: `said Jane Doe, a spokesperson for the county.`
    let mut apposition = None;
    if tokens
        .get(last + 1)
        .is_some_and(|t| t.is(",") && !t.in_quote)
    {
        if let Some(first) = tokens.get(last + 2) {
            if first.word && !first.in_quote && !first.capitalized() {
                let mut k = last + 2;
                while k < tokens.len() && tokens[k].word && !tokens[k].in_quote {
                    k += 1;
                }
                apposition = Some(Span::new(first.span.start, tokens[k - 1].span.end));
            }
        }
    }
    Some((span, apposition))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_class_bits_are_list_membership() {
        let lex = Lexicons::builtin();
        assert!(WORD_CLASSES.len() <= 32, "the classes' bits fit in a u64");
        let mut text = String::from("Officials, Who said: “They were not.” ");
        for (k, words) in WORD_CLASSES.iter().enumerate() {
            for w in *words {
                // One lowercase word each, so a first-word bit is membership.
                assert!(
                    !w.contains(char::is_whitespace) && w.to_lowercase() == *w,
                    "{w}"
                );
                text.push_str(w);
                text.push(' ');
                text.push_str(&w.to_uppercase());
                text.push_str(", ");
            }
            assert!(k < 32);
        }
        let tokens = crate::quote::tokenize(&text, Span::new(0, text.len()), &[], &lex);
        let classes = [
            WordClass::Determiner,
            WordClass::Pronoun,
            WordClass::Stop,
            WordClass::ContinuingPreposition,
            WordClass::Participle,
            WordClass::Skipped,
            WordClass::AdjectiveIng,
            WordClass::AdjectiveEd,
            WordClass::ListenerCue,
            WordClass::Linking,
            WordClass::NeedsQuote,
            WordClass::PassiveHedge,
            WordClass::ModifierParticiple,
            WordClass::Be,
        ];
        assert_eq!(classes.len(), WORD_CLASSES.len());
        for t in &tokens {
            for class in classes {
                let listed = WORD_CLASSES[class as usize].contains(&t.lower.as_str());
                assert_eq!(is(t, class), listed, "{} {class:?}", t.lower);
            }
        }
    }
    use crate::quote::{find_quotes, tokenize};
    use crate::segment::paragraphs;

    #[test]
    fn next_open_finds_what_a_search_token_by_token_finds() {
        let lex = Lexicons::builtin();
        let cue_bits = lex.cue_bits();
        let texts = [
            "",
            "Said",
            "No cue here at all.",
            "He said it. “They said no,” she reportedly told reporters, according to police.",
            "said said “said” said, allegedly, Officials Said: said",
        ];
        // And the sample articles, read whole as text.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/articles");
        let articles = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap());
        let all = texts.iter().map(|t| t.to_string()).chain(articles);
        for text in all {
            let quotes = find_quotes(&text, &paragraphs(&text));
            let toks = tokenize(&text, Span::new(0, text.len()), &quotes, &lex);
            for from in 0..=toks.len() {
                let simple = (from..toks.len()).find(|&i| {
                    let t = &toks[i];
                    t.word && !t.in_quote && t.mask & cue_bits != 0
                });
                assert_eq!(
                    next_open(&toks, from, cue_bits),
                    simple,
                    "{from} in {text:?}"
                );
            }
        }
    }

    fn cues(text: &str) -> Vec<(String, CueKind, String, String)> {
        let lex = Lexicons::builtin();
        let quotes = find_quotes(text, &paragraphs(text));
        let toks = tokenize(text, Span::new(0, text.len()), &quotes, &lex);
        find_cues(&toks, &lex)
            .iter()
            .map(|f| {
                (
                    f.cue.of(text).to_string(),
                    f.kind,
                    f.speaker
                        .map(|s| s.of(text).to_string())
                        .unwrap_or_default(),
                    f.apposition
                        .map(|s| s.of(text).to_string())
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    fn speaker(text: &str) -> String {
        cues(text).first().map(|c| c.2.clone()).unwrap_or_default()
    }

    #[test]
    fn speakers_before_the_cue() {
        assert_eq!(
            speaker("\"We will not,\" Director Ana Ruiz said."),
            "Director Ana Ruiz"
        );
        assert_eq!(
            speaker("The county said on Monday that it would."),
            "The county"
        );
        assert_eq!(
            speaker("In March, the agency on Friday said it was done."),
            "the agency"
        );
        assert_eq!(
            speaker("A spokesperson for the county said it was closed."),
            "A spokesperson for the county"
        );
        assert_eq!(
            speaker("Officials at the scene said two died."),
            "Officials at the scene"
        );
        assert_eq!(
            speaker("A Department of Homeland Security press release obtained by Blaze News revealed that an officer was hurt."),
            "A Department of Homeland Security press release"
        );
        assert_eq!(
            speaker("Meanwhile the FBI and local police also said little."),
            "the FBI and local police"
        );
        let c = cues("Jane Doe, a spokesperson for the county, said the road was shut.");
        assert_eq!(
            (c[0].2.as_str(), c[0].3.as_str()),
            ("Jane Doe", "a spokesperson for the county")
        );
        let c =
            cues("Two defense officials, speaking on condition of anonymity, said the strike hit.");
        assert_eq!(c[0].2, "Two defense officials");
        assert_eq!(speaker("“It’s over,” she said."), "she");
    }

    #[test]
    fn speakers_after_the_cue() {
        assert_eq!(
            speaker("\"It is over,\" said Sen. Maria Lopez."),
            "Sen. Maria Lopez"
        );
        let c = cues("The plan is dead, said Jane Doe, a spokesperson for the county.");
        assert_eq!(
            (c[0].2.as_str(), c[0].3.as_str()),
            ("Jane Doe", "a spokesperson for the county")
        );
        let c = cues("According to a report by The Times, the deal collapsed.");
        assert_eq!(
            (c[0].1, c[0].2.as_str()),
            (CueKind::According, "a report by The Times")
        );
    }

    #[test]
    fn documents_hedges_and_non_cues() {
        let c = cues("Court records show he was arrested twice.");
        assert_eq!(
            (c[0].1, c[0].2.as_str()),
            (CueKind::Document, "Court records")
        );
        assert_eq!(
            cues("He allegedly \"refused\" to stop.")[0].1,
            CueKind::Hedge
        );
        assert_eq!(
            cues("Buses reportedly turned around.")[0].1,
            CueKind::MediaHedge
        );
        assert_eq!(
            cues("Protesters chanted \"no more.\"")[0].1,
            CueKind::Observation
        );
        assert!(cues("He was told to leave, and no injuries were reported.").is_empty());
        assert!(cues("She declined to say more. The report was long.").is_empty());
        let c = cues("The suspect was described as \"dangerous.\"");
        assert_eq!((c[0].1, c[0].0.as_str()), (CueKind::Hedge, "described as"));
        assert_eq!(
            speaker("Gomez told NBC News that the plan failed."),
            "Gomez"
        );
    }
}
