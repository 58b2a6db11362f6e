//! Classification: names each part's source (coreference resolved), gives it
//! a source type from the lexicons, and records the deciding rule.
//!
//! Takes the article, its segmentation and the attributed parts; gives
//! [`Claim`]s. Sources are resolved in text order against a registry of the
//! people and organisations the article has named so far, so `the department`,
//! `DHS`, `she` or `Ruiz` find the source named before.

pub mod rules;

use std::borrow::Cow;

use crate::lexicon::{DocumentOwner, Lexicons};
use crate::model::{Article, Claim, QuoteType, SourceType, Span};
use crate::quote::{tokenize, Basis, Carry, CueKind, Found, Part, Token, Tokens};
use crate::segment::Segmentation;
use rules::{attribution as att, class, Rule};

/// What a source is, for coreference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Organization,
    Media,
    Group,
}

#[derive(Debug, Clone)]
struct Entity {
    name: String,
    kind: Kind,
    source_type: SourceType,
    role: String,
    rule: Rule,
}

/// A resolved source.
#[derive(Debug, Clone)]
struct Resolved {
    source: String,
    role: String,
    source_type: SourceType,
    rule: Rule,
}

#[derive(Default)]
struct Registry {
    entities: Vec<Entity>,
    /// The last word of each person's name in lower case, entity by entity
    /// (empty for the others, whose kind never changes and who are never
    /// looked up by surname).
    surnames: Vec<String>,
    /// Names of people resolved as speakers, most recent last.
    speakers: Vec<String>,
    /// The sentence being read, and the sentence each entity's name was
    /// last added in, entity by entity (names are unique in the registry,
    /// so an entity's place holds its name's sentence).
    now: usize,
    seen: Vec<usize>,
}

impl Registry {
    /// Entities kept for back-references: a name further back than this many
    /// others is not referred to by `she` or `the agency`, and the bound keeps
    /// very long articles linear.
    const CAPACITY: usize = 256;

    /// An empty registry with room for the entities and speakers of most
    /// articles, so that its lists seldom grow.
    fn with_room() -> Self {
        const ROOM: usize = 64;
        Registry {
            entities: Vec::with_capacity(ROOM),
            surnames: Vec::with_capacity(ROOM),
            speakers: Vec::with_capacity(ROOM),
            now: 0,
            seen: Vec::with_capacity(ROOM),
        }
    }

    fn add(&mut self, entity: Entity) -> usize {
        if self.entities.len() >= Self::CAPACITY {
            self.entities.remove(0);
            self.surnames.remove(0);
            self.seen.remove(0);
        }
        if let Some(i) = self.entities.iter().position(|e| e.name == entity.name) {
            // Keep the most informative role; move it to the most recent place.
            let mut old = self.entities.remove(i);
            if old.role.is_empty() {
                old.role = entity.role;
            }
            self.entities.push(old);
            let surname = self.surnames.remove(i);
            self.surnames.push(surname);
            self.seen.remove(i);
        } else {
            self.surnames.push(if entity.kind == Kind::Person {
                // (`str::to_lowercase` of ASCII is its ASCII lowercasing.)
                let surname = after_last_space(&entity.name);
                if surname.is_ascii() {
                    surname.to_ascii_lowercase()
                } else {
                    surname.to_lowercase()
                }
            } else {
                String::new()
            });
            self.entities.push(entity);
        }
        self.seen.push(self.now);
        self.entities.len() - 1
    }

    /// The most recent person whose name's last word, lowercased, is
    /// `surname`.
    fn last_surnamed(&self, surname: &str) -> Option<&Entity> {
        self.entities
            .iter()
            .zip(&self.surnames)
            .rev()
            .find(|(e, s)| e.kind == Kind::Person && s.as_str() == surname)
            .map(|(e, _)| e)
    }

    /// The most recent person who spoke, else the most recent person named:
    /// what `he` or `she` refers to.
    /// A person named in this sentence or the one before who has not spoken
    /// yet is a better guess than the last speaker (`Marisol Ortega rode out
    /// the storm. "...," she said.`).
    fn last_person(&self) -> Option<&Entity> {
        let speaker = self
            .speakers
            .last()
            .and_then(|name| self.last(|e| e.kind == Kind::Person && &e.name == name));
        let recent = self
            .entities
            .iter()
            .rposition(|e| e.kind == Kind::Person)
            .map(|i| (&self.entities[i], self.seen[i]));
        match (speaker, recent) {
            (Some(s), Some((r, at)))
                if r.name != s.name && at + 1 >= self.now && !self.speakers.contains(&r.name) =>
            {
                Some(r)
            }
            (Some(s), _) => Some(s),
            (None, r) => r.map(|(r, _)| r),
        }
    }

    fn spoke(&mut self, name: &str) {
        if self.speakers.last().is_none_or(|n| n != name) {
            self.speakers.push(name.to_string());
        }
        if self.speakers.len() > Self::CAPACITY {
            self.speakers.remove(0);
        }
    }

    fn last(&self, pred: impl Fn(&Entity) -> bool) -> Option<&Entity> {
        self.entities.iter().rev().find(|e| pred(e))
    }
}

const TITLE_CONNECTORS: &[&str] = &[
    "of", "for", "and", "the", "de", "del", "la", "von", "van", "&",
];
const PERSON_PRONOUNS: &[&str] = &["he", "she", "him", "her"];
const GROUP_PRONOUNS: &[&str] = &["they", "it", "we", "them"];

/// Turns parts into claims.
pub fn classify(
    article: &Article,
    seg: &Segmentation,
    parts: &[Part],
    lex: &Lexicons,
) -> Vec<Claim> {
    let tokens = Tokens::of_spans(
        &article.text,
        seg.sentences.iter().map(|s| s.span),
        &[],
        lex,
        Vec::new(),
    );
    classify_tokens(article, seg, parts, &tokens, lex)
}

/// [`classify`] with the sentences' tokens already made (by sentence index).
pub fn classify_tokens(
    article: &Article,
    seg: &Segmentation,
    parts: &[Part],
    tokens: &Tokens,
    lex: &Lexicons,
) -> Vec<Claim> {
    let text = article.text.as_str();
    let ctx = Ctx {
        text,
        lex,
        outlet: article.outlet.trim(),
        lowercase: Default::default(),
        title_bits: [
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
        ]
        .iter()
        .fold(0, |bits, set| bits | first_word_bits(set)),
        words: Default::default(),
        scratch: Default::default(),
    };
    let mut registry = Registry::with_room();

    // Resolve every cue's speaker in text order, registering names as they come.
    let mut founds: Vec<Found> =
        Vec::with_capacity(parts.len() + parts.iter().map(|p| p.founds.len()).sum::<usize>());
    founds.extend(parts.iter().filter_map(|p| match p.basis {
        Basis::Own(f) | Basis::Carried(f, _) | Basis::Hedged { found: f, .. } => Some(f),
        _ => None,
    }));
    founds.extend(parts.iter().flat_map(|p| p.founds.iter().copied()));
    founds.sort_by_key(|f| f.cue.start);
    founds.dedup_by_key(|f| f.cue);
    // One entry a cue: made at its size, never regrown.
    let mut resolved = Resolutions(Vec::with_capacity(founds.len()));
    let mut next = 0;
    for (sentence_index, (sentence, tokens)) in seg.sentences.iter().zip(tokens.iter()).enumerate()
    {
        registry.now = sentence_index;
        register_names(&ctx, tokens, &mut registry);
        while next < founds.len() && founds[next].cue.start < sentence.span.end {
            let f = founds[next];
            let r = ctx.resolve(&f, tokens, &mut registry);
            resolved.0.push((f.cue, r));
            next += 1;
        }
    }

    parts.iter().map(|p| ctx.claim(p, &resolved)).collect()
}

/// Each cue's resolved source, in the order the cues were resolved: by
/// their starts.
struct Resolutions(Vec<(Span, Resolved)>);

impl Resolutions {
    /// The source last resolved for `cue` (as a map that each resolution
    /// replaces gives it): found among the cues with its start by a binary
    /// search, without hashing.
    fn get(&self, cue: &Span) -> Option<&Resolved> {
        let end = self.0.partition_point(|(c, _)| c.start <= cue.start);
        self.0[..end]
            .iter()
            .rev()
            .take_while(|(c, _)| c.start == cue.start)
            .find(|(c, _)| c == cue)
            .map(|(_, r)| r)
    }
}

struct Ctx<'a> {
    text: &'a str,
    lex: &'a Lexicons,
    outlet: &'a str,
    /// Words known to be written (or not) in lower case in the article.
    lowercase: std::cell::RefCell<rustc_hash::FxHashMap<String, bool>>,
    /// The first-word bits of the three title and role lexicons together:
    /// a word with none of them starts no title.
    title_bits: u64,
    /// A buffer for the words of a phrase.
    words: std::cell::RefCell<Vec<&'a str>>,
    /// Buffers for [`Ctx::classify_new`], kept from one phrase to the next.
    scratch: std::cell::RefCell<Scratch<'a>>,
}

/// The lists [`Ctx::classify_new`] makes of a phrase and its apposition,
/// cleared and refilled for each phrase rather than made anew.
#[derive(Default)]
struct Scratch<'a> {
    /// The phrase's words, possessives removed.
    texts: Vec<&'a str>,
    /// The apposition's words, possessives removed.
    app_texts: Vec<&'a str>,
    /// The phrase's words, then the apposition's.
    all: Vec<&'a str>,
    /// The first-word bits of the phrase's tokens.
    masks: Vec<u64>,
    /// The first-word bits of all the words, where they rule lookups out.
    all_masks: Vec<u64>,
}

impl<'a> Ctx<'a> {
    /// Whether the article also writes `word` in lower case (`budget` in
    /// `the budget`): then a capitalised `Budget` is a function, not a name.
    /// Answers are cached; each new word costs one search of the text.
    fn written_in_lower_case(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        let mut cache = self.lowercase.borrow_mut();
        if let Some(&known) = cache.get(lower.as_str()) {
            return known;
        }
        let found = written_alone(self.text, &lower);
        cache.insert(lower, found);
        found
    }

    fn claim(&self, p: &Part, resolved: &Resolutions) -> Claim {
        // Most parts have one quotation or none: no list to join then.
        let quote = match p.quotes.as_slice() {
            [] => String::new(),
            [q] => q.of(self.text).to_string(),
            quotes => quotes
                .iter()
                .map(|q| q.of(self.text))
                .collect::<Vec<_>>()
                .join(" … "),
        };
        let mut claim = Claim {
            span: p.span,
            paragraph: p.paragraph,
            sentence: p.sentence,
            quote,
            quote_type: p.quote_type,
            source_type: SourceType::ReporterObservation,
            source: String::new(),
            source_mention: String::new(),
            source_role: String::new(),
            cue: String::new(),
            confidence: 0.0,
            rule: "",
        };
        // `CBS reported that police said ...`: the claim rests on the outlet
        // that reports the other source's words.
        let basis = match p.basis {
            Basis::Own(f) => p
                .founds
                .iter()
                .filter(|g| g.cue.end <= f.cue.start)
                .find(|g| {
                    resolved
                        .get(&g.cue)
                        .is_some_and(|r| r.source_type == SourceType::MediaReport)
                })
                .map_or(p.basis, |g| Basis::Own(*g)),
            other => other,
        };
        let (att_rule, class_rule) = match basis {
            Basis::Own(f) | Basis::Carried(f, _) | Basis::Hedged { found: f, .. } => {
                let att_rule = match basis {
                    Basis::Carried(_, Carry::QuoteContinued) => att::QUOTE_CONTINUED,
                    Basis::Carried(_, Carry::QuoteIntro) => att::QUOTE_INTRO,
                    Basis::Carried(_, Carry::PullQuote) => att::PULL_QUOTE,
                    Basis::Carried(_, Carry::Hedge) | Basis::Hedged { .. } => att::HEDGE_NEARBY,
                    _ => match f.kind {
                        CueKind::According => att::ACCORDING_TO,
                        CueKind::Document => att::DOCUMENT_CUE,
                        CueKind::Characterize => att::CHARACTERIZATION,
                        _ if !p.quotes.is_empty() => att::QUOTE_CUE,
                        _ => att::SPEECH_CUE,
                    },
                };
                let cue = match basis {
                    Basis::Hedged { hedge, .. } => hedge,
                    _ => f.cue,
                };
                claim.cue = cue.of(self.text).to_string();
                let r = resolved
                    .get(&f.cue)
                    .cloned()
                    .unwrap_or_else(|| self.resolve_readonly(&f));
                if matches!(basis, Basis::Own(_)) {
                    claim.source_mention = f
                        .speaker
                        .filter(|s| p.span.contains(*s))
                        .map(|s| s.of(self.text).to_string())
                        .unwrap_or_default();
                }
                claim.source = r.source;
                claim.source_role = r.role;
                claim.source_type = r.source_type;
                (att_rule, r.rule)
            }
            Basis::MediaHedge(cue) => {
                claim.cue = cue.of(self.text).to_string();
                claim.source_type = SourceType::MediaReport;
                (att::MEDIA_HEDGE, class::MEDIA_NOUN)
            }
            Basis::Observation(_) => (att::OBSERVED_QUOTE, class::NO_SOURCE),
            Basis::UnattributedQuote => {
                claim.source_type = SourceType::OtherSource;
                (att::UNATTRIBUTED_QUOTE, class::NO_SOURCE)
            }
            Basis::Narrative => (att::NARRATIVE, class::NO_SOURCE),
        };
        if claim.quote_type == QuoteType::Indirect
            && claim.source_type == SourceType::ReporterObservation
            && claim.source.is_empty()
        {
            claim.quote_type = QuoteType::None;
        }
        (claim.rule, claim.confidence) = rule_of(&att_rule, &class_rule);
        claim
    }

    /// The word tokens of `tokens` inside `span`, in a list made once with
    /// room for all of `tokens` (a collected filter would start small and
    /// grow).
    fn words<'t>(&self, tokens: &'t [Token], span: Span) -> Vec<&'t Token> {
        let mut words = Vec::with_capacity(tokens.len());
        words.extend(tokens.iter().filter(|t| t.word && span.contains(t.span)));
        words
    }

    /// Resolves without a registry (a cue no earlier pass saw).
    fn resolve_readonly(&self, f: &Found) -> Resolved {
        let mut registry = Registry::default();
        self.resolve(f, &[], &mut registry)
    }

    /// The tokens of `span`: the run of `sentence`'s tokens that starts and
    /// ends with it where there is one (the tokenizer looks only forward, so
    /// they are the tokens `span` alone gives, quotes aside), else `span`
    /// tokenized.
    fn tokens_of<'t>(&self, span: Span, sentence: &'t [Token]) -> Cow<'t, [Token]> {
        let from = sentence.partition_point(|t| t.span.start < span.start);
        let to = sentence.partition_point(|t| t.span.end <= span.end);
        if from < to
            && sentence[from].span.start == span.start
            && sentence[to - 1].span.end == span.end
        {
            Cow::Borrowed(&sentence[from..to])
        } else {
            Cow::Owned(tokenize(self.text, span, &[], self.lex))
        }
    }

    /// Names and classifies the speaker of a cue, whose sentence has the
    /// tokens `sentence` (or none if not known).
    fn resolve(&self, f: &Found, sentence: &[Token], registry: &mut Registry) -> Resolved {
        let Some(speaker) = f.speaker else {
            return Resolved {
                source: String::new(),
                role: String::new(),
                source_type: SourceType::OtherSource,
                rule: class::UNRESOLVED,
            };
        };
        let span = match f.apposition {
            Some(a) if a.start > speaker.end => Span::new(speaker.start, a.end),
            Some(a) => Span::new(a.start, speaker.end),
            None => speaker,
        };
        let tokens = self.tokens_of(span, sentence);
        let np = self.words(&tokens, speaker);
        let app = f
            .apposition
            .map(|a| self.words(&tokens, a))
            .unwrap_or_default();
        if np.is_empty() {
            return Resolved {
                source: String::new(),
                role: String::new(),
                source_type: SourceType::OtherSource,
                rule: class::UNRESOLVED,
            };
        }
        // Pronouns.
        if np.len() == 1 {
            let l = np[0].lower.as_str();
            let found = if PERSON_PRONOUNS.contains(&l) {
                Some(registry.last_person())
            } else if GROUP_PRONOUNS.contains(&l) {
                Some(
                    registry
                        .last(|e| e.kind != Kind::Person)
                        .or_else(|| registry.last(|_| true)),
                )
            } else if l == "i" {
                Some(registry.last_person())
            } else {
                None
            };
            if let Some(found) = found {
                return match found {
                    Some(e) => e.into(),
                    None => Resolved {
                        source: String::new(),
                        role: String::new(),
                        source_type: SourceType::OtherSource,
                        rule: class::UNRESOLVED,
                    },
                };
            }
        }
        // The outlet's own reporter.
        let np_text = speaker.of(self.text);
        if self.is_own_reporter(np_text) {
            let name = self.name_of(&np).unwrap_or_default();
            return Resolved {
                source: name,
                role: String::new(),
                source_type: SourceType::ReporterObservation,
                rule: class::OWN_REPORTER,
            };
        }
        // Back-references: `the department`, `DHS`, `Ruiz`.
        // (The phrase's titles, once stripped there, serve its name below.)
        let stripped = std::cell::OnceCell::new();
        if let Some(e) = self
            .back_reference_in(&np, &stripped, registry)
            .or_else(|| self.owner_reference(&np, registry))
        {
            let mut r: Resolved = e.into();
            let person = e.kind == Kind::Person;
            if r.role.is_empty() {
                r.role = self.role_of(&np, &app);
            }
            if person {
                registry.spoke(&r.source);
            }
            return r;
        }
        let entity = self.classify_new(&np, &app, f, stripped.get().copied(), true);
        let r: Resolved = (&entity).into();
        if !entity.name.is_empty() {
            if entity.kind == Kind::Person {
                registry.spoke(&entity.name);
            }
            registry.add(entity);
        }
        r
    }

    /// A phrase whose owner was named before: `the department's data`,
    /// `its annual report`, `a company spokesperson`.
    fn owner_reference<'r>(&self, np: &[&Token], registry: &'r Registry) -> Option<&'r Entity> {
        let lex = self.lex;
        let possessive = np[..np.len().saturating_sub(1)]
            .iter()
            .position(|t| t.text(self.text).ends_with("'s") || t.text(self.text).ends_with("’s"));
        if let Some(k) = possessive {
            let owner = &np[..=k];
            if owner.len() >= 2 {
                if let Some(e) = self.back_reference(owner, registry) {
                    return Some(e);
                }
            }
        }
        let first = np[0].lower.as_str();
        let has_document = np.iter().any(|t| lex.document_set.has_token_lower(t));
        if matches!(first, "its" | "their") && has_document {
            return registry
                .last(|e| e.kind == Kind::Organization)
                .or_else(|| registry.last(|e| e.kind != Kind::Person));
        }
        // `a department spokesperson`, `a company spokesperson`
        let start = usize::from(matches!(first, "a" | "an" | "the"));
        if np.len() == start + 2 && !np[start].capitalized() {
            let modifier = np[start].lower.as_str();
            let head = np[start + 1].lower.as_str();
            let is_org_noun = lex.official_bodies.contains_lower(modifier)
                || lex.other_orgs.contains_lower(modifier)
                || lex.media_nouns.contains_lower(modifier);
            let is_role = lex.ambiguous_titles.contains_lower(head)
                || lex.official_titles.contains_lower(head)
                || lex.other_roles.contains_lower(head);
            if is_org_noun && is_role {
                let the = Token {
                    lower: "the".into(),
                    mask: lex.first_mask("the"),
                    ..np[0].clone()
                };
                return self.back_reference(&[&the, np[start]], registry);
            }
        }
        None
    }

    fn is_own_reporter(&self, np: &'a str) -> bool {
        if self.names_own_reporter(np) {
            return true;
        }
        if self.outlet.is_empty() {
            return false;
        }
        // `of the Ledger`, `for Ledger` (the outlet's last word), `The Harbor
        // Ledger's`, `of The Harbor Ledger`.
        let outlet_last = after_last_space(self.outlet);
        // Every text the name must follow ends with `of ` or `or `: a phrase
        // with neither (most) has the name after none of them.
        let linked = has_of_or_or(np);
        let after_of = |name: &str, articles: &[&str]| {
            linked
                && !name.is_empty()
                && occurrences(np, name).any(|at| {
                    let before = &np[..at];
                    articles.iter().any(|p| before.ends_with(p))
                })
        };
        after_of(outlet_last, &["of the ", "for the ", "of ", "for "])
            || np
                .strip_prefix(self.outlet)
                .is_some_and(|rest| rest.starts_with(['\'', '’']))
            || after_of(self.outlet, &["of ", "for "])
    }

    /// Whether the phrase holds an entry of the own-reporter lexicon (`our
    /// correspondent`), its words lowercased.
    ///
    /// That lexicon ignores case (it is built so, see `Lexicons::load`) and
    /// its lookups lowercase each word, so an ASCII phrase (whose words
    /// lowercase the same alone as together) is looked up as written, its
    /// words kept in a buffer reused from phrase to phrase: no copies.
    fn names_own_reporter(&self, np: &'a str) -> bool {
        let set = &self.lex.own_reporter;
        // No entry starts with a word of the wrong shape: most phrases have
        // only such words. (Lowercasing keeps the words apart, and an ASCII
        // word's shape ignores case.)
        if np.is_ascii() {
            if !ascii_words(np).any(|w| set.may_start_word(w)) {
                return false;
            }
            let mut words = self.words.borrow_mut();
            words.clear();
            words.extend(ascii_words(np));
            set.find_in(&words).is_some()
        } else {
            // A word outside ASCII is tested in lower case, as the set's
            // first words are: its shape says nothing.
            if !np
                .split_whitespace()
                .any(|w| set.may_start_word(w) && (w.is_ascii() || set.has_first_word(w)))
            {
                return false;
            }
            let lower = crate::lexicon::lower(np);
            let words: Vec<&str> = lower.split_whitespace().collect();
            set.find_in(&words).is_some()
        }
    }

    fn back_reference<'r>(&self, np: &[&Token], registry: &'r Registry) -> Option<&'r Entity> {
        self.back_reference_in(np, &std::cell::OnceCell::new(), registry)
    }

    /// [`Ctx::back_reference`], keeping in `stripped` the phrase with its
    /// titles stripped where it strips them.
    fn back_reference_in<'r, 'n, 't>(
        &self,
        np: &'n [&'t Token],
        stripped: &std::cell::OnceCell<&'n [&'t Token]>,
        registry: &'r Registry,
    ) -> Option<&'r Entity> {
        let determiner = matches!(np[0].lower.as_str(), "the" | "this" | "that" | "its");
        // `the department`, `the federal agency`, `the company`
        if determiner && np.len() <= 4 && np[1..].iter().all(|t| !t.capitalized()) && np.len() >= 2
        {
            let head = np.last()?.lower.as_str();
            let by_name = registry.last(|e| {
                e.kind != Kind::Person && e.name.split_whitespace().any(|w| lower_eq(w, head))
            });
            if by_name.is_some() {
                return by_name;
            }
            // What the head names, looked up once rather than per entity.
            let (media, official, other) = (
                self.lex.media_nouns.contains_lower(head),
                self.lex.official_bodies.contains_lower(head),
                self.lex.other_orgs.contains_lower(head),
            );
            let kind_match = |e: &Entity| -> bool {
                if media {
                    e.kind == Kind::Media
                } else if official {
                    e.kind == Kind::Organization && e.source_type == SourceType::OfficialStatement
                } else if other {
                    e.kind == Kind::Organization && e.source_type == SourceType::OtherSource
                } else {
                    false
                }
            };
            return registry.last(kind_match);
        }
        // An acronym: DHS for Department of Homeland Security.
        if np.len() <= 2 {
            let mut caps = np
                .iter()
                .map(|t| t.text(self.text))
                .filter(|t| t.chars().next().is_some_and(char::is_uppercase));
            if let (Some(cap), None) = (caps.next(), caps.next()) {
                let word = cap.trim_end_matches(['\'', '’', 's']);
                let word = if cap.ends_with("'s") || cap.ends_with("’s") {
                    word
                } else {
                    cap
                };
                if word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase()) {
                    if let Some(e) = registry.last(|e| initials_are(&e.name, word)) {
                        return Some(e);
                    }
                }
            }
        }
        // A surname or title + surname: `Ruiz`, `Mr. Ruiz`, `Director Ruiz`.
        let name = *stripped.get_or_init(|| self.strip_titles(np));
        if name.len() == 1 && name[0].capitalized() {
            let last = name[0].lower.as_str();
            if let Some(e) = registry.last_surnamed(last) {
                return Some(e);
            }
        }
        // The same name again (its length first: most names differ in it).
        let words = || name.iter().map(|t| t.text(self.text));
        let len = words().map(str::len).sum::<usize>() + name.len().saturating_sub(1);
        registry.last(|e| e.name.len() == len && is_joined(&e.name, words()))
    }

    /// Titles (and what stands before them) removed: `Marlow County Sheriff
    /// Dale Hutchins` -> `Dale Hutchins`. The rest of `np`, without copying.
    ///
    /// Only words that may start a title (by their first-word bits) or that
    /// end with a period (a title abbreviation, `Sen.`) are looked up.
    fn strip_titles<'n, 't>(&self, np: &'n [&'t Token]) -> &'n [&'t Token] {
        let lex = self.lex;
        let sets = [
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
        ];
        let mut cut = np
            .iter()
            .take_while(|t| matches!(t.lower.as_str(), "the" | "a" | "an"))
            .count();
        for i in 0..np.len() {
            // (One test of the three sets' bits together: where they are
            // not exact, `title_bits` has them all, and the sets are asked
            // one by one below.)
            let may_title = np[i].mask & self.title_bits != 0;
            let text = np[i].text(self.text);
            if !may_title && !text.ends_with('.') {
                continue;
            }
            let n = if may_title {
                sets.iter()
                    .filter(|set| set.may_start(np[i].mask))
                    .filter_map(|set| {
                        set.longest_prefix_of_lower(np.len() - i, |n| &np[i + n].lower)
                    })
                    .max()
            } else {
                None
            };
            let n = n.or_else(|| {
                let title_abbrev = text.ends_with('.')
                    && lex.abbreviation(text.trim_end_matches('.'))
                        == Some(crate::lexicon::AbbrevClass::Title);
                title_abbrev.then_some(1)
            });
            let possessive = text.ends_with("'s") || text.ends_with("’s");
            if let Some(n) = n.filter(|_| !possessive) {
                let after = &np[(i + n).min(np.len())..];
                let lead = after.iter().take_while(|t| t.capitalized()).count();
                if i + n < np.len() && lead > 0 {
                    let rest: Vec<&str> = after[..lead]
                        .iter()
                        .map(|t| bare(t.text(self.text)))
                        .collect();
                    let masks: Vec<u64> = after[..lead].iter().map(|t| t.mask).collect();
                    if org_words(lex, &rest, Some(&masks)).is_none() {
                        cut = cut.max(i + n);
                    }
                }
            }
        }
        &np[cut..]
    }

    /// The capitalised name in a phrase (titles removed), if any.
    fn name_of(&self, np: &[&Token]) -> Option<String> {
        self.name_in(self.strip_titles(np))
    }

    /// [`Ctx::name_of`] a phrase whose titles are stripped: `stripped`.
    fn name_in(&self, stripped: &[&Token]) -> Option<String> {
        if stripped.first().is_none_or(|t| !t.capitalized()) {
            return None;
        }
        // The leading capitalised words: `Ravi Menon of Meridian Daily` -> `Ravi Menon`.
        let len = stripped
            .iter()
            .take_while(|t| {
                t.capitalized()
                    || matches!(
                        t.lower.as_str(),
                        "de" | "del" | "da" | "van" | "von" | "la" | "le" | "bin" | "al"
                    )
            })
            .count();
        let rest = &stripped[len..];
        let rest_ok =
            rest.is_empty() || matches!(rest[0].lower.as_str(), "of" | "from" | "at" | "with");
        if !rest_ok {
            return None;
        }
        let name: Vec<&str> = stripped[..len].iter().map(|t| t.text(self.text)).collect();
        if len == 1 {
            let l = stripped[0].lower.as_str();
            let lex = self.lex;
            if lex.other_roles.contains_lower(l)
                || lex.official_titles.contains_lower(l)
                || lex.ambiguous_titles.contains_lower(l)
                || lex.media_nouns.contains_lower(l)
                || lex.official_bodies.contains_lower(l)
            {
                return None;
            }
        }
        // An organisation's name is not a person's.
        if !rest.is_empty() {
            let words: Vec<&str> = name.iter().map(|w| bare(w)).collect();
            let masks: Vec<u64> = stripped[..len].iter().map(|t| t.mask).collect();
            if org_words(self.lex, &words, Some(&masks)).is_some() {
                return None;
            }
        }
        let mut joined = name.join(" ");
        joined.truncate(bare(&joined).len());
        Some(joined)
    }

    /// The title or role given in the phrase or its apposition, as written.
    fn role_of(&self, np: &[&Token], app: &[&Token]) -> String {
        for words in [np, app] {
            let mut best: Option<(usize, usize)> = None;
            for set in [
                &self.lex.official_titles,
                &self.lex.ambiguous_titles,
                &self.lex.other_roles,
            ] {
                if let Some((i, n)) = find_in_tokens(set, words) {
                    if best.is_none_or(|(bi, bn)| i < bi || i == bi && n > bn) {
                        best = Some((i, n));
                    }
                }
            }
            if let Some((i, n)) = best {
                let start = words[i].span.start;
                let end = words[i + n - 1].span.end;
                return self.text[start..end].to_string();
            }
        }
        String::new()
    }

    /// A new source's entity. `stripped`, when given, is `np` with its
    /// titles stripped. Without `with_role`, the entity's role is left
    /// empty (for a caller that sets its own): nothing else depends on it.
    fn classify_new(
        &self,
        np: &[&Token],
        app: &[&Token],
        f: &Found,
        stripped: Option<&[&Token]>,
        with_role: bool,
    ) -> Entity {
        let lex = self.lex;
        let mut scratch = self.scratch.borrow_mut();
        let Scratch {
            texts,
            app_texts,
            all,
            masks,
            all_masks,
        } = &mut *scratch;
        texts.clear();
        texts.extend(np.iter().map(|t| bare(t.text(self.text))));
        let texts: &[&str] = texts;
        let lowers = |i: usize| np[i].lower.as_str();
        app_texts.clear();
        app_texts.extend(app.iter().map(|t| bare(t.text(self.text))));
        let app_texts: &[&str] = app_texts;
        let role = if with_role {
            self.role_of(np, app)
        } else {
            String::new()
        };
        let name = match stripped {
            Some(stripped) => self.name_in(stripped),
            None => self.name_of(np),
        };
        // A name in the apposition: `the company's chief executive, Maria Gomez`.
        let app_is_name = !app.is_empty()
            && app
                .iter()
                .all(|t| t.capitalized() || TITLE_CONNECTORS.contains(&t.lower.as_str()));
        let app_name = if app_is_name { self.name_of(app) } else { None };
        // A description: without `a`/`an`, and without what follows the
        // head (`officials familiar with the matter` -> `officials`).
        let description = || {
            let start = usize::from(matches!(lowers(0), "a" | "an"));
            let end = (start + 1..np.len())
                .find(|&i| {
                    matches!(
                        lowers(i),
                        "familiar"
                            | "with"
                            | "who"
                            | "close"
                            | "speaking"
                            | "briefed"
                            | "knowledgeable"
                            | "involved"
                            | "that"
                            | "which"
                    )
                })
                .unwrap_or(np.len());
            // (A lone `a` is its own description.)
            np[start.min(np.len() - 1)..end.max(start + 1).min(np.len())]
                .iter()
                .map(|t| t.text(self.text))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // The source's name: an organisation named inside a document phrase
        // (or its `by` agent), else the person named, else a description
        // when the phrase's head is a common noun (`Quillon employees`), else
        // the body named.
        let org_run = capitalized_run(self.text, np);
        let is_document =
            f.kind == CueKind::Document || find_in_tokens(&lex.document_set, np).is_some();
        let agent = (0..np.len())
            .position(|k| lowers(k) == "by")
            .filter(|&k| k + 1 < np.len())
            .map(|k| {
                let from = k + 1 + usize::from(matches!(lowers(k + 1), "the" | "a" | "an"));
                np[from.min(np.len() - 1)..]
                    .iter()
                    .map(|t| t.text(self.text))
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        let head_is_common = np.last().is_some_and(|t| !t.capitalized() && t.word);
        // The phrase's organisation words, looked up once.
        let texts_org_cell = std::cell::OnceCell::new();
        masks.clear();
        masks.extend(np.iter().map(|t| t.mask));
        let masks: &[u64] = masks;
        let texts_org = || *texts_org_cell.get_or_init(|| org_words(lex, texts, Some(masks)));
        // A lone capitalised word nobody was introduced by (`Lusavia said`) is
        // an organisation: people are named in full first.
        let single = name.as_deref().is_some_and(|n| !n.contains(' ')) && app_name.is_none();
        let kind_person = (name.is_some() && !single) || app_name.is_some();
        let canonical = if is_document && org_run.is_some() {
            org_run.clone().unwrap_or_default()
        } else if is_document && agent.is_some() {
            agent.unwrap_or_default()
        } else if let Some(n) = name.or(app_name) {
            n
        } else if head_is_common || org_run.is_none() {
            description()
        } else {
            org_run.clone().unwrap_or_default()
        };
        // Each way out makes one entity: the name and role move into it.
        let mk = move |source_type: SourceType, rule: Rule, kind: Kind| Entity {
            name: canonical,
            kind,
            source_type,
            role,
            rule,
        };
        let person_or = |k: Kind| {
            if kind_person && texts_org().is_none() {
                Kind::Person
            } else {
                k
            }
        };
        let own_name = |name: &str| {
            if self.outlet.is_empty() {
                name.to_string()
            } else {
                self.outlet.to_string()
            }
        };
        let own = |name: &str| {
            !self.outlet.is_empty()
                && (name == self.outlet
                    || self.outlet.ends_with(name)
                    || name.ends_with(self.outlet))
        };

        // Media: an outlet's name, an outlet-like name, a call sign, a media noun.
        // (An outlet's name can start only where its first-word bits allow:
        // a word token's bits are those of its lowercase form.)
        let outlet_at = (0..texts.len())
            .filter(|&i| !np[i].word || lex.media_outlets.may_start(np[i].mask))
            .find_map(|i| {
                lex.media_outlets
                    .longest_prefix_of_any_case(texts.len() - i, |n| texts[i + n])
                    .map(|n| (i, n))
            });
        if let Some((i, n)) = outlet_at {
            let outlet = texts[i..i + n].join(" ");
            let (t, rule, outlet) = if own(&outlet) {
                (
                    SourceType::ReporterObservation,
                    class::OWN_REPORTER,
                    own_name(&outlet),
                )
            } else {
                (SourceType::MediaReport, class::MEDIA_OUTLET, outlet)
            };
            return Entity {
                name: outlet,
                ..mk(t, rule, Kind::Media)
            };
        }
        if let Some(run) = &org_run {
            let last = after_last_space(run);
            if lex.media_name_words.contains_any_case(last) || is_call_sign(run) {
                let (t, rule) = if own(run) {
                    (SourceType::ReporterObservation, class::OWN_REPORTER)
                } else {
                    (SourceType::MediaReport, class::MEDIA_NAME)
                };
                // `The Ledger` keeps its article when the text gives it.
                let first = run.split(' ').next().unwrap_or("");
                let name = if rule.id == class::OWN_REPORTER.id {
                    own_name(run)
                } else if texts.first() == Some(&"The") && texts.get(1) == Some(&first) {
                    format!("The {run}")
                } else {
                    run.clone()
                };
                return Entity {
                    name,
                    ..mk(t, rule, Kind::Media)
                };
            }
        }
        if let Some(sign) = texts.iter().find(|t| is_call_sign(t)) {
            return Entity {
                name: sign.to_string(),
                ..mk(SourceType::MediaReport, class::MEDIA_NAME, Kind::Media)
            };
        }
        let other_role_np = find_in_tokens(&lex.other_roles, np).is_some();
        if find_in_tokens(&lex.media_nouns, np).is_some() && texts_org().is_none() && !other_role_np
        {
            return mk(SourceType::MediaReport, class::MEDIA_NOUN, Kind::Media);
        }

        all.clear();
        all.extend(texts.iter().chain(app_texts.iter()).copied());
        let all: &[&str] = all;
        let all_tokens = || np.iter().chain(app.iter());
        // The words as `str::to_lowercase` gives them: an ASCII word's token
        // already holds that form.
        // (Most phrases are ASCII: their tokens' forms, with no copies.)
        let lowered: Vec<Cow<str>>;
        let all_lower: Vec<&str> = if all.iter().all(|w| w.is_ascii()) {
            all_tokens().map(|t| t.lower.as_str()).collect()
        } else {
            lowered = all
                .iter()
                .zip(all_tokens())
                .map(|(w, t)| {
                    if w.is_ascii() {
                        Cow::Borrowed(t.lower.as_str())
                    } else {
                        Cow::Owned(w.to_lowercase())
                    }
                })
                .collect();
            lowered.iter().map(|w| w.as_ref()).collect()
        };
        // The first-word bits of the words, where they rule lookups out
        // exactly: an ASCII word's bits are those of its lowercase form;
        // other tokens may start anything.
        all_masks.clear();
        all_masks.extend(all.iter().zip(all_tokens()).map(|(w, t)| {
            if t.word && w.is_ascii() {
                t.mask
            } else {
                u64::MAX
            }
        }));
        let all_masks: &[u64] = all_masks;
        // The phrase's own organisation words decide before its apposition's
        // (`the Association, which represents the district's teachers`).
        let org = texts_org().or_else(|| {
            let app_masks: Vec<u64> = app.iter().map(|t| t.mask).collect();
            org_words(lex, app_texts, Some(&app_masks))
        });
        let find = |set: &crate::lexicon::PhraseSet| {
            (0..all.len())
                .filter(|&i| set.may_start(all_masks[i]))
                .find_map(|i| {
                    set.longest_prefix_of_lower(all.len() - i, |n| all_lower[i + n])
                        .map(|n| (i, n))
                })
        };
        let other_role = find(&lex.other_roles);
        let ambiguous = find(&lex.ambiguous_titles);
        // A title of office, unless a non-official role covers it (`chief financial officer`).
        let official_title = (0..all.len())
            .filter(|&i| lex.official_titles.may_start(all_masks[i]))
            .find_map(|i| {
                lex.official_titles
                    .longest_prefix_of_lower(all.len() - i, |n| all_lower[i + n])
                    .filter(|&n| {
                        !lex.ambiguous_titles
                            .contains_lower(&all_lower[i..i + n].join(" "))
                    })
                    .map(|n| (i, n))
            })
            .filter(|&(ti, tn)| !other_role.is_some_and(|(oi, on)| oi <= ti && oi + on >= ti + tn));

        if let Some((ai, an)) = ambiguous {
            // `chief executive` is a company role even though `chief` can be an office.
            let covered = other_role.is_some_and(|(oi, on)| oi <= ai && oi + on >= ai + an);
            // The organisation the title belongs to: capitalised words before it
            // (`Lusavia President`) or a name after for/of/at (`president of Acme`).
            // The segment holding the title: the phrase or its apposition.
            let (seg_start, seg_end) = if ai < texts.len() {
                (0, texts.len())
            } else {
                (texts.len(), all.len())
            };
            let before_len = all_lower[seg_start..ai]
                .iter()
                .rev()
                .take_while(|w| {
                    !matches!(**w, "the" | "a" | "an" | "its" | "his" | "her" | "their")
                        && !lex.official_titles.contains_lower(w)
                })
                .count();
            // Nearest first.
            let before: Vec<&str> = all[ai - before_len..ai].iter().rev().copied().collect();
            // An office title that contains this one (`battalion chief`).
            let office = official_title.is_some_and(|(ti, tn)| ti <= ai && ti + tn >= ai + an);
            let linked = all_lower
                .get(ai + an)
                .is_some_and(|w| matches!(*w, "for" | "of" | "at" | "with"));
            let after_at: Vec<usize> = if linked {
                ((ai + an + 1).min(seg_end)..seg_end)
                    .filter(|&k| !matches!(all_lower[k], "the" | "a" | "an"))
                    .collect()
            } else {
                Vec::new()
            };
            let after: Vec<&str> = after_at.iter().map(|&k| all[k]).collect();
            // The words around the title, in text order.
            let context_at = || (ai - before_len..ai).chain(after_at.iter().copied());
            let context: Vec<&str> = context_at().map(|k| all[k]).collect();
            let named_org = !context.is_empty();
            let context_lower: Vec<&str> = context_at().map(|k| all_lower[k]).collect();
            let context_title = lex.official_titles.find_in(&context_lower).is_some();
            // A capitalised word before the title that the article also uses in
            // lower case is a function (`Budget Director`), not a company name.
            let proper = |w: &&str| !self.written_in_lower_case(w);
            let named_org = named_org
                && before
                    .iter()
                    .chain(after.iter())
                    .any(|w| w.chars().next().is_some_and(char::is_uppercase))
                && (after
                    .iter()
                    .any(|w| w.chars().next().is_some_and(char::is_uppercase))
                    || before.iter().any(proper));
            let context_type = org_words(lex, &context, None)
                .or(context_title.then_some(SourceType::OfficialStatement))
                .or_else(|| {
                    let media = lex.media_outlets.find_in(&context).is_some()
                        || context
                            .last()
                            .is_some_and(|w| lex.media_name_words.contains(w));
                    media.then_some(SourceType::MediaReport)
                });
            match (covered, org.or(context_type)) {
                _ if office && !covered => {
                    return mk(
                        SourceType::OfficialStatement,
                        class::OFFICIAL_TITLE,
                        person_or(Kind::Person),
                    )
                }
                (true, _) => {
                    return mk(
                        SourceType::OtherSource,
                        class::OTHER_ROLE,
                        person_or(Kind::Group),
                    )
                }
                (_, Some(SourceType::OfficialStatement)) => {
                    return mk(
                        SourceType::OfficialStatement,
                        class::TITLE_OF_BODY,
                        person_or(Kind::Group),
                    )
                }
                (_, Some(SourceType::MediaReport)) => {
                    return mk(
                        SourceType::MediaReport,
                        class::MEDIA_NAME,
                        person_or(Kind::Group),
                    )
                }
                (_, Some(_)) => {
                    return mk(
                        SourceType::OtherSource,
                        class::TITLE_OF_ORG,
                        person_or(Kind::Group),
                    )
                }
                (_, None) if named_org => {
                    return mk(
                        SourceType::OtherSource,
                        class::TITLE_OF_ORG,
                        person_or(Kind::Group),
                    )
                }
                (_, None) if official_title.is_some() => {}
                (_, None) if kind_person => {
                    return mk(
                        SourceType::OfficialStatement,
                        class::TITLE_BEFORE_NAME,
                        Kind::Person,
                    )
                }
                (_, None) => {}
            }
        }
        if official_title.is_some() && org != Some(SourceType::OtherSource) {
            return mk(
                SourceType::OfficialStatement,
                class::OFFICIAL_TITLE,
                person_or(Kind::Person),
            );
        }
        if let Some(t) = org {
            let rule = match t {
                SourceType::OfficialStatement if f.kind == CueKind::Document => {
                    class::OFFICIAL_DOCUMENT
                }
                SourceType::OfficialStatement => class::OFFICIAL_BODY,
                _ => class::OTHER_ORG,
            };
            let group = other_role.is_some()
                || all_lower.contains(&"officials")
                || all_lower.contains(&"official");
            return mk(
                t,
                rule,
                person_or(if group {
                    Kind::Group
                } else {
                    Kind::Organization
                }),
            );
        }
        if other_role.is_some() {
            return mk(
                SourceType::OtherSource,
                class::OTHER_ROLE,
                person_or(Kind::Group),
            );
        }
        if all_lower
            .iter()
            .any(|w| matches!(*w, "official" | "officials" | "authorities"))
        {
            return mk(
                SourceType::OfficialStatement,
                class::ANONYMOUS_OFFICIAL,
                Kind::Group,
            );
        }
        if is_document {
            let lowers: Vec<&str> = np.iter().map(|t| t.lower.as_str()).collect();
            let n = lex.document_set.rfind_in(&lowers);
            let noun = n.map(|(i, n)| lowers[i..i + n].join(" "));
            if noun.as_deref().and_then(|o| lex.documents.get(o)) == Some(&DocumentOwner::Official)
            {
                return mk(
                    SourceType::OfficialStatement,
                    class::OFFICIAL_DOCUMENT,
                    Kind::Organization,
                );
            }
        }
        // `first reported by TechLedger`: whoever reports first is an outlet.
        if f.inverted
            && matches!(
                f.cue.of(self.text).to_lowercase().as_str(),
                "reported" | "published"
            )
        {
            return mk(SourceType::MediaReport, class::MEDIA_NAME, Kind::Media);
        }
        if kind_person {
            return mk(SourceType::OtherSource, class::UNKNOWN_NAME, Kind::Person);
        }
        let kind = if org_run.is_some() {
            Kind::Organization
        } else {
            Kind::Group
        };
        mk(SourceType::OtherSource, class::UNKNOWN_NAME, kind)
    }
}

/// The bits of [`crate::lexicon::Lexicons::first_mask`] that stand for
/// `set`: a mask has one of them exactly when [`PhraseSet::may_start`] says
/// so. A set has one bit, found by halving the mask; should it have more,
/// all bits are given, which rules nothing out.
///
/// [`PhraseSet::may_start`]: crate::lexicon::PhraseSet::may_start
fn first_word_bits(set: &crate::lexicon::PhraseSet) -> u64 {
    if !set.may_start(u64::MAX) {
        return 0;
    }
    let mut low = 0;
    let mut width = 64;
    while width > 1 {
        width /= 2;
        let lower_half = ((1u64 << width) - 1) << low;
        if !set.may_start(lower_half) {
            low += width;
        }
    }
    let bit = 1u64 << low;
    if set.may_start(!bit) {
        u64::MAX
    } else {
        bit
    }
}

/// The type of the organisation words in a phrase: the last one named wins
/// (`University of Ohio Police Department` is official, `union officials` not).
///
/// `masks`, when given, are the words' first-word bits (their tokens'
/// `mask`): each set is looked up only where one of its names can start.
fn org_words(lex: &Lexicons, words: &[&str], masks: Option<&[u64]>) -> Option<SourceType> {
    let mut best: Option<(usize, SourceType)> = None;
    let mut covered_to = 0;
    for i in 0..words.len() {
        let (may_official, may_other) = match masks {
            Some(m) => (
                lex.official_bodies.may_start(m[i]),
                lex.other_orgs.may_start(m[i]),
            ),
            None => (true, true),
        };
        if !may_official && !may_other {
            continue;
        }
        let rest = &words[i..];
        let official = may_official
            .then(|| {
                lex.official_bodies
                    .longest_prefix_of_any_case(rest.len(), |n| rest[n])
            })
            .flatten()
            // (`official` alone is a person, not a body; two words or more
            // joined by a space cannot be either word.)
            .filter(|&n| {
                !(n == 1 && (lower_eq(words[i], "official") || lower_eq(words[i], "officials")))
            });
        let other = may_other
            .then(|| {
                lex.other_orgs
                    .longest_prefix_of_any_case(rest.len(), |n| rest[n])
            })
            .flatten();
        let (n, t) = match (official, other) {
            (Some(a), Some(b)) if b > a => (b, SourceType::OtherSource),
            (Some(a), _) => (a, SourceType::OfficialStatement),
            (None, Some(b)) => (b, SourceType::OtherSource),
            (None, None) => continue,
        };
        // `Air Force`: a word inside a longer match already counted.
        if i + n <= covered_to {
            continue;
        }
        covered_to = i + n;
        best = Some((i, t));
    }
    best.map(|b| b.1)
}

/// The longest run of capitalised words in a phrase (with `of`, `and` ...
/// between them), titles at its start removed.
fn capitalized_run(text: &str, np: &[&Token]) -> Option<String> {
    // `Longtime customers`, `Two officials`: a sentence's capital, not a name.
    let np = match np {
        [first, second, ..]
            if first.capitalized()
                && !second.capitalized()
                && !first.text(text).ends_with("'s")
                && !first.text(text).ends_with("’s")
                && !first
                    .text(text)
                    .chars()
                    .all(|c| c.is_uppercase() || !c.is_alphabetic()) =>
        {
            &np[1..]
        }
        _ => np,
    };
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < np.len() {
        if np[i].capitalized()
            && !matches!(
                np[i].lower.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "one"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "several"
                    | "some"
                    | "many"
                    | "both"
            )
        {
            let start = i;
            let mut end = i;
            let mut j = i + 1;
            while j < np.len() {
                let digits = np[j].text(text).chars().all(|c| c.is_ascii_digit());
                if np[j].capitalized() || (digits && np.get(j + 1).is_some_and(|t| t.capitalized()))
                {
                    end = j;
                    j += 1;
                } else if TITLE_CONNECTORS.contains(&np[j].lower.as_str())
                    && j + 1 < np.len()
                    && np[j + 1].capitalized()
                {
                    j += 1;
                } else {
                    break;
                }
            }
            if best.is_none_or(|(s, e)| end - start > e - s) {
                best = Some((start, end));
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    best.map(|(s, e)| trim_possessives(&text[np[s].span.start..np[e].span.end]).to_string())
}

/// `text` without the `'s` (then the `’s`) it ends with, repeated:
/// `trim_end_matches` for each suffix, without its searcher's set-up.
fn trim_possessives(mut text: &str) -> &str {
    while let Some(rest) = text.strip_suffix("'s") {
        text = rest;
    }
    while let Some(rest) = text.strip_suffix("’s") {
        text = rest;
    }
    text
}

/// [`PhraseSet::find_in`] over the lowercase forms of `tokens`: positions
/// whose first-word bits rule the set out are skipped.
fn find_in_tokens(set: &crate::lexicon::PhraseSet, tokens: &[&Token]) -> Option<(usize, usize)> {
    (0..tokens.len())
        .filter(|&i| set.may_start(tokens[i].mask))
        .find_map(|i| {
            set.longest_prefix_of_lower(tokens.len() - i, |n| &tokens[i + n].lower)
                .map(|n| (i, n))
        })
}

/// A word without its possessive `'s`.
fn bare(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

/// Whether `name` is a broadcaster's call sign (`KQED`, `WNYC-FM`): three or
/// four capitals starting with K or W, before any hyphen. Byte tests (a
/// hyphen, and every character that counts, are ASCII).
fn is_call_sign(name: &str) -> bool {
    let bytes = name.as_bytes();
    let base = match bytes.iter().position(|&b| b == b'-') {
        Some(hyphen) => &bytes[..hyphen],
        None => bytes,
    };
    (base.len() == 4 || base.len() == 3)
        && matches!(base[0], b'K' | b'W')
        && base.iter().all(u8::is_ascii_uppercase)
}

/// Initials of a name's capitalised words: `Department of Homeland Security` -> `DHS`.
/// The starts of the non-overlapping occurrences of `needle` (not empty) in
/// `hay`, as `str::match_indices` gives them, without its searcher's set-up
/// (which costs more than the search in a few words).
fn occurrences<'h>(hay: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let mut from = 0;
    std::iter::from_fn(move || {
        let &first = needle.first()?;
        while from + needle.len() <= hay.len() {
            let at = from
                + hay[from..=hay.len() - needle.len()]
                    .iter()
                    .position(|&b| b == first)?;
            if &hay[at..at + needle.len()] == needle {
                from = at + needle.len();
                return Some(at);
            }
            from = at + 1;
        }
        None
    })
}

/// Whether `name` is `words` joined by single spaces (`name == words.join("
/// ")`, without building the joined text).
fn is_joined<'w>(name: &str, words: impl IntoIterator<Item = &'w str>) -> bool {
    let mut rest = name;
    for (k, word) in words.into_iter().enumerate() {
        if k > 0 {
            match rest.strip_prefix(' ') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(word) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The words of ASCII `text` between whitespace: `str::split_whitespace`
/// (whose whitespace in ASCII is space, tab, line feed, vertical tab, form
/// feed and carriage return) by byte tests.
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !space(bytes[at]) {
            at += 1;
        }
        // (Cut at ASCII bytes only: whole characters.)
        (start < at).then(|| &text[start..at])
    })
}

/// What follows the last space of `text` (all of it without one):
/// `text.rsplit(' ').next()`, by a plain byte search.
fn after_last_space(text: &str) -> &str {
    match text.bytes().rposition(|b| b == b' ') {
        Some(space) => &text[space + 1..],
        None => text,
    }
}

/// Whether `text` has `of ` or `or ` in it (as `for ` has): a byte loop,
/// without a searcher's set-up.
fn has_of_or_or(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'o' && (w[1] == b'f' || w[1] == b'r') && w[2] == b' ')
}

/// Whether `word` lowercased is `lower`, without allocating for ASCII.
fn lower_eq(word: &str, lower: &str) -> bool {
    // An ASCII first byte lowercases alone: a different one decides at once.
    if let (Some(&w), Some(&l)) = (word.as_bytes().first(), lower.as_bytes().first()) {
        if w.is_ascii() && w.to_ascii_lowercase() != l {
            return false;
        }
    }
    if word.is_ascii() {
        word.len() == lower.len()
            && word
                .bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        word.to_lowercase() == lower
    }
}

/// Whether the capital initials of `name`'s words spell `word`
/// (`initials(name) == word`, without building the initials).
fn initials_are(name: &str, word: &str) -> bool {
    name.split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .eq(word.chars())
}

#[cfg(test)]
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .collect()
}

/// Registers people and bodies named in a sentence, so later back-references
/// find them: a title before a name (`Council member Ruth Amsel`), a name with
/// a role apposition (`Ruth Amsel, a council member,`), and multi-word names of
/// bodies and outlets (`Department of Homeland Security`, `The Harbor Ledger`).
fn register_names(ctx: &Ctx, tokens: &[Token], registry: &mut Registry) {
    let lex = ctx.lex;
    let text = ctx.text;
    let name_len = |from: usize| -> usize {
        tokens[from..]
            .iter()
            .take(4)
            .take_while(|t| t.capitalized() && !t.in_quote)
            .count()
    };
    let clean = |s: &str| bare(s).to_string();
    let title_bits = ctx.title_bits;
    // The most words a title or role has: a name must start within that
    // many words after a title's first word for the title to be looked up.
    let title_reach = [
        &lex.official_titles,
        &lex.ambiguous_titles,
        &lex.other_roles,
    ]
    .iter()
    .map(|set| set.max_words())
    .max()
    .unwrap_or(0);
    let mut i = 0;
    while i < tokens.len() {
        // Every case below starts at a title or a capitalised word: most
        // words are neither, and one test of their bits passes them.
        match tokens[i..]
            .iter()
            .position(|t| t.capitalized() || t.mask & title_bits != 0)
        {
            Some(skip) => i += skip,
            None => break,
        }
        // A title, then a name (looked up only where a name of two words or
        // more starts soon enough after a word to follow a title of it).
        let name_follows = tokens[i].word
            && (1..=title_reach).any(|n| i + n < tokens.len() && name_len(i + n) >= 2);
        let title = [
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
        ]
        .iter()
        .filter(|set| name_follows && set.may_start(tokens[i].mask))
        .filter_map(|set| set.longest_prefix_of_lower(tokens.len() - i, |n| &tokens[i + n].lower))
        .max();
        if let Some(n) = title.filter(|_| tokens[i].word) {
            let len = if i + n < tokens.len() {
                name_len(i + n)
            } else {
                0
            };
            if len >= 2 {
                let start = tokens[i].span.start;
                // The organisation before the title (`Lusavia President`) decides too.
                let mut from = i;
                while from > 0
                    && (tokens[from - 1].capitalized()
                        || tokens[from - 1].lower.chars().all(|c| c.is_ascii_digit())
                        || lex.other_orgs.has_token_lower(&tokens[from - 1])
                        || lex.official_bodies.has_token_lower(&tokens[from - 1]))
                {
                    from -= 1;
                }
                let phrase: Vec<&Token> = tokens[from..i + n + len].iter().collect();
                let person =
                    clean(&text[tokens[i + n].span.start..tokens[i + n + len - 1].span.end]);
                let role = text[start..tokens[i + n - 1].span.end].to_string();
                let found = Found {
                    cue: Span::new(0, 0),
                    kind: CueKind::Speech,
                    speaker: Some(Span::new(
                        phrase[0].span.start,
                        phrase[phrase.len() - 1].span.end,
                    )),
                    apposition: None,
                    inverted: false,
                };
                let np: Vec<&Token> = phrase;
                let mut entity = ctx.classify_new(&np, &[], &found, None, false);
                entity.name = person;
                entity.kind = Kind::Person;
                entity.role = role;
                registry.add(entity);
                i += n + len;
                continue;
            }
        }
        // A name, then `, a/the ROLE ...,`
        if tokens[i].capitalized() && (i == 0 || !tokens[i - 1].capitalized()) {
            let len = name_len(i);
            let comma = i + len;
            if len >= 2 && tokens.get(comma).is_some_and(|t| t.is(",")) {
                let app_start = comma + 1;
                let app_end = tokens[app_start..]
                    .iter()
                    .position(|t| !t.word || t.in_quote)
                    .map_or(tokens.len(), |p| app_start + p);
                // `Ruth Amsel, a council member,` / `Farkas, 58,` — not
                // `Jorge Medina, disputed the account`.
                let starts_lower = tokens.get(app_start).is_some_and(|t| {
                    t.word
                        && !t.capitalized()
                        && (matches!(
                            t.lower.as_str(),
                            "a" | "an"
                                | "the"
                                | "his"
                                | "her"
                                | "their"
                                | "its"
                                | "another"
                                | "one"
                                | "who"
                        ) || t.lower.chars().all(|c| c.is_ascii_digit())
                            || lex.official_titles.has_token_lower(t)
                            || lex.ambiguous_titles.has_token_lower(t)
                            || lex.other_roles.has_token_lower(t))
                });
                if starts_lower && app_end > app_start && app_end - app_start <= 12 {
                    let name_toks: Vec<&Token> = tokens[i..comma].iter().collect();
                    let app: Vec<&Token> = tokens[app_start..app_end].iter().collect();
                    let found = Found {
                        cue: Span::new(0, 0),
                        kind: CueKind::Speech,
                        speaker: Some(Span::new(tokens[i].span.start, tokens[comma - 1].span.end)),
                        apposition: Some(Span::new(
                            tokens[app_start].span.start,
                            tokens[app_end - 1].span.end,
                        )),
                        inverted: false,
                    };
                    let entity = ctx.classify_new(&name_toks, &app, &found, None, true);
                    if entity.rule.id != class::UNKNOWN_NAME.id {
                        registry.add(Entity {
                            kind: Kind::Person,
                            ..entity
                        });
                    }
                    i = app_end;
                    continue;
                }
            }
        }
        // Multi-word names of bodies and outlets.
        if tokens[i].capitalized() {
            let start = i;
            let mut end = i;
            let mut j = i + 1;
            while j < tokens.len() {
                if tokens[j].capitalized() {
                    end = j;
                    j += 1;
                } else if tokens[j].word
                    && TITLE_CONNECTORS.contains(&tokens[j].lower.as_str())
                    && tokens.get(j + 1).is_some_and(|t| t.capitalized())
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let inner_title = (start + 1..=end).find(|&k| {
                let n = [&lex.official_titles, &lex.ambiguous_titles]
                    .iter()
                    .filter(|set| set.may_start(tokens[k].mask))
                    .filter_map(|set| {
                        set.longest_prefix_of_lower(tokens.len() - k, |n| &tokens[k + n].lower)
                    })
                    .max();
                n.is_some_and(|n| k + n < tokens.len() && name_len(k + n) >= 2)
            });
            if let Some(k) = inner_title {
                i = k;
                continue;
            }
            i = end + 1;
            if end == start {
                continue;
            }
            // The run's words and bits, in the buffers of `classify_new`
            // (not called while they are held).
            let mut scratch = ctx.scratch.borrow_mut();
            let Scratch {
                all: run,
                all_masks: run_masks,
                ..
            } = &mut *scratch;
            run.clear();
            run.extend(tokens[start..=end].iter().map(|t| bare(t.text(text))));
            let run: &[&str] = run;
            run_masks.clear();
            run_masks.extend(tokens[start..=end].iter().map(|t| t.mask));
            let run_masks: &[u64] = run_masks;
            let full = bare(&text[tokens[start].span.start..tokens[end].span.end]);
            let last = run[run.len() - 1];
            // Each looked up once: an outlet's name only where one can start.
            let media_last = lex.media_name_words.has_token_text(&tokens[end], last);
            let is_media = media_last
                || (lex.media_outlets.may_start(tokens[start].mask)
                    && lex.media_outlets.contains_any_case(&run.join(" ")));
            let org_cell = std::cell::OnceCell::new();
            let org = || *org_cell.get_or_init(|| org_words(lex, run, Some(run_masks)));
            // `The Ledger` keeps its article; `The Department of ...` does not.
            // (The name is copied only into an entity.)
            let name = match full.strip_prefix("The ") {
                Some(rest) if !is_media => rest,
                _ => full,
            };
            let plain_name = (2..=3).contains(&run.len())
                && tokens[start..=end]
                    .iter()
                    .all(|t| t.capitalized() && t.text(text).chars().any(char::is_lowercase))
                && org().is_none()
                && !lex.place_last.has_token_text(&tokens[end], last)
                && !lex.place_first.has_token_text(&tokens[start], run[0])
                && start > 0;
            if plain_name && !media_last {
                if registry.last(|e| e.name == name).is_none() {
                    registry.add(Entity {
                        name: name.to_string(),
                        kind: Kind::Person,
                        source_type: SourceType::OtherSource,
                        role: String::new(),
                        rule: class::UNKNOWN_NAME,
                    });
                }
                continue;
            }
            if is_media {
                let (t, rule) = if !ctx.outlet.is_empty() && ctx.outlet.ends_with(name) {
                    (SourceType::ReporterObservation, class::OWN_REPORTER)
                } else {
                    (SourceType::MediaReport, class::MEDIA_NAME)
                };
                registry.add(Entity {
                    name: name.to_string(),
                    kind: Kind::Media,
                    source_type: t,
                    role: String::new(),
                    rule,
                });
            } else if let Some(t) = org() {
                let rule = if t == SourceType::OfficialStatement {
                    class::OFFICIAL_BODY
                } else {
                    class::OTHER_ORG
                };
                registry.add(Entity {
                    name: name.to_string(),
                    kind: Kind::Organization,
                    source_type: t,
                    role: String::new(),
                    rule,
                });
            }
            continue;
        }
        i += 1;
    }
}

/// Whether `word` occurs in `text` with no ASCII letter or digit on either
/// side, among the non-overlapping occurrences `str::match_indices` gives;
/// a non-empty word is searched for by `memchr::memmem`, which finds the
/// same occurrences.
fn written_alone(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let alone = |at: usize| {
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    };
    if word.is_empty() {
        return text.match_indices(word).any(|(at, _)| alone(at));
    }
    memchr::memmem::find_iter(bytes, word.as_bytes()).any(alone)
}

impl From<&Entity> for Resolved {
    fn from(e: &Entity) -> Self {
        Resolved {
            source: e.name.clone(),
            role: e.role.clone(),
            source_type: e.source_type,
            rule: e.rule,
        }
    }
}

/// Whether two rules have the same id: the same text in the same place
/// (the usual case, a rule compared with its table's copy) without
/// comparing the bytes.
fn same_id(x: &Rule, y: &Rule) -> bool {
    std::ptr::eq(x.id, y.id) || x.id == y.id
}

/// `attribution/class`, interned so claims can hold a `&'static str`.
#[cfg(test)]
fn rule_id(a: Rule, c: Rule) -> &'static str {
    rule_of(&a, &c).0
}

/// The claim confidence of a pair of rules: the product of their base
/// confidences, rounded to two decimals.
fn confidence_of(a: &Rule, c: &Rule) -> f64 {
    ((a.confidence * c.confidence) * 100.0).round() / 100.0
}

/// A claim's rule id (`attribution/class`, interned so claims can hold a
/// `&'static str`) and its confidence ([`confidence_of`]), both made once
/// for every pair of rules.
fn rule_of(a: &Rule, c: &Rule) -> (&'static str, f64) {
    use std::sync::OnceLock;
    // The id and confidence of every pair, row by attribution rule.
    static PAIRS: OnceLock<Vec<(String, f64)>> = OnceLock::new();
    let pairs = PAIRS.get_or_init(|| {
        att::ALL
            .iter()
            .flat_map(|a| {
                class::ALL
                    .iter()
                    .map(move |c| (format!("{}/{}", a.id, c.id), confidence_of(a, c)))
            })
            .collect()
    });
    // A rule's index is its place in its table; the ids confirm that each
    // half comes from the table it is used for.
    match (att::ALL.get(a.index), class::ALL.get(c.index)) {
        (Some(x), Some(y)) if same_id(x, a) && same_id(y, c) => {
            let (id, confidence) = &pairs[a.index * class::ALL.len() + c.index];
            (id.as_str(), *confidence)
        }
        _ => unknown_rule(a, c),
    }
}

/// [`rule_of`] for halves that do not come from their tables (out of line,
/// so that the rounding is not done ahead for every claim).
#[cold]
#[inline(never)]
fn unknown_rule(a: &Rule, c: &Rule) -> (&'static str, f64) {
    ("unknown", confidence_of(a, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicons;
    use rustc_hash::FxHashMap as HashMap;

    /// Words that exercise the title, organisation and abbreviation lookups.
    const PIECES: &[&str] = &[
        "Mayor ",
        "mayor ",
        "Sen. ",
        "Mr. ",
        "Dr. ",
        "Director ",
        "director ",
        "Police ",
        "Chief ",
        "chief ",
        "executive ",
        "County ",
        "Sheriff ",
        "Ana ",
        "Ruiz ",
        "Ruiz's ",
        "Ruiz’s ",
        "the ",
        "The ",
        "a ",
        "an ",
        "of ",
        "Department ",
        "Homeland ",
        "Security ",
        "Acme ",
        "Corp. ",
        "President ",
        "spokesperson ",
        "resident ",
        "officials ",
        "Officials ",
        "University ",
        "union ",
        "U.S. ",
        "Inc. ",
        "Ñandú ",
        "ÓSCAR ",
        "reporter ",
        "Council ",
        "member ",
        "Secretary ",
        "Assistant ",
        "St. ",
        "DHS ",
        "Jan. ",
        ", ",
        ". ",
        "said ",
    ];

    /// The articles [`PIECES`] makes, with their word tokens.
    fn pieced_phrases(lex: &Lexicons) -> Vec<(String, Vec<Token>)> {
        crate::testing::pieced(PIECES, 1500, 9)
            .into_iter()
            .map(|text| {
                let span = Span::new(0, text.len());
                let tokens = tokenize(&text, span, &[], lex)
                    .into_iter()
                    .filter(|t| t.word)
                    .collect();
                (text, tokens)
            })
            .collect()
    }

    fn ctx<'a>(text: &'a str, lex: &'a Lexicons) -> Ctx<'a> {
        Ctx {
            text,
            lex,
            outlet: "The Harbor Ledger",
            lowercase: Default::default(),
            title_bits: u64::MAX,
            words: Default::default(),
            scratch: Default::default(),
        }
    }

    #[test]
    fn own_reporter_lookup_is_the_lowercased_lookup() {
        let lex = Lexicons::builtin();
        let pieces = [
            "our ",
            "Our ",
            "OUR ",
            "reporter ",
            "Reporter",
            "this ",
            "This ",
            "newspaper",
            "a ",
            "for ",
            "Ñandú ",
            "\t",
            "\u{b}",
            " ",
            "correspondent ",
            "ÓUR ",
        ];
        let mut found = 0;
        for text in crate::testing::pieced(&pieces, 3000, 7) {
            let ctx = ctx(&text, &lex);
            let lower = crate::lexicon::lower(&text);
            let words: Vec<&str> = lower.split_whitespace().collect();
            let expected = lex.own_reporter.find_in(&words).is_some();
            assert_eq!(ctx.names_own_reporter(&text), expected, "{text:?}");
            found += usize::from(expected);
        }
        assert!(found > 100, "{found}");
    }

    /// The own-reporter test as first written: both searches for the
    /// outlet's name made whatever the phrase.
    #[test]
    fn own_reporter_test_is_the_simple_form() {
        fn simple<'a>(ctx: &Ctx<'a>, np: &'a str) -> bool {
            if ctx.names_own_reporter(np) {
                return true;
            }
            if ctx.outlet.is_empty() {
                return false;
            }
            let outlet_last = ctx.outlet.rsplit(' ').next().unwrap_or("");
            let after_of = |name: &str, articles: &[&str]| {
                !name.is_empty()
                    && np.match_indices(name).any(|(at, _)| {
                        let before = &np[..at];
                        articles.iter().any(|p| before.ends_with(p))
                    })
            };
            after_of(outlet_last, &["of the ", "for the ", "of ", "for "])
                || np
                    .strip_prefix(ctx.outlet)
                    .is_some_and(|rest| rest.starts_with(['\'', '’']))
                || after_of(ctx.outlet, &["of ", "for "])
        }
        let lex = Lexicons::builtin();
        let pieces = [
            "of ",
            "for ",
            "the ",
            "The ",
            "Harbor ",
            "Ledger",
            "Ledger's ",
            "Ledger’s ",
            "or ",
            "reporter ",
            "our ",
            "a ",
            "Ñandú ",
            "of",
            "f",
            "o",
            " ",
        ];
        let mut found = 0;
        for outlet in ["The Harbor Ledger", "Ledger", ""] {
            for text in crate::testing::pieced(&pieces, 3000, 6) {
                let ctx = Ctx {
                    outlet,
                    ..ctx(&text, &lex)
                };
                let expected = simple(&ctx, &text);
                assert_eq!(ctx.is_own_reporter(&text), expected, "{outlet:?} {text:?}");
                found += usize::from(expected);
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn first_word_bits_are_what_may_start_tests() {
        let lex = Lexicons::builtin();
        for set in [
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
            &lex.media_outlets,
            &lex.time_words,
            &crate::lexicon::PhraseSet::default(),
        ] {
            let bits = first_word_bits(set);
            for k in 0..64 {
                assert_eq!(bits & (1 << k) != 0, set.may_start(1 << k), "bit {k}");
            }
        }
    }

    /// [`Ctx::strip_titles`] as first written: every word looked up.
    fn strip_titles_simple<'t>(ctx: &Ctx, np: &[&'t Token]) -> Vec<&'t Token> {
        let words: Vec<&str> = np.iter().map(|t| t.lower.as_str()).collect();
        let mut cut = 0;
        while cut < np.len() && matches!(words[cut], "the" | "a" | "an") {
            cut += 1;
        }
        for i in 0..np.len() {
            let n = [
                &ctx.lex.official_titles,
                &ctx.lex.ambiguous_titles,
                &ctx.lex.other_roles,
            ]
            .iter()
            .filter_map(|set| set.longest_prefix(&words[i..]))
            .max();
            let text = np[i].text(ctx.text);
            let title_abbrev = ctx.lex.abbreviation(text.trim_end_matches('.'))
                == Some(crate::lexicon::AbbrevClass::Title)
                && text.ends_with('.');
            let n = n.or(title_abbrev.then_some(1));
            let possessive = text.ends_with("'s") || text.ends_with("’s");
            if let Some(n) = n.filter(|_| !possessive) {
                let rest: Vec<&str> = np[(i + n).min(np.len())..]
                    .iter()
                    .map(|t| bare(t.text(ctx.text)))
                    .collect();
                let lead = np[(i + n).min(np.len())..]
                    .iter()
                    .take_while(|t| t.capitalized())
                    .count();
                if i + n < np.len() && lead > 0 && org_words(ctx.lex, &rest[..lead], None).is_none()
                {
                    cut = cut.max(i + n);
                }
            }
        }
        np[cut..].to_vec()
    }

    #[test]
    fn strip_titles_is_the_simple_form() {
        let lex = Lexicons::builtin();
        let mut stripped = 0;
        let title_bits = [
            &lex.official_titles,
            &lex.ambiguous_titles,
            &lex.other_roles,
        ]
        .iter()
        .fold(0, |bits, set| bits | first_word_bits(set));
        for ((text, tokens), bits) in pieced_phrases(&lex)
            .into_iter()
            .zip([u64::MAX, title_bits].into_iter().cycle())
        {
            let ctx = Ctx {
                title_bits: bits,
                ..ctx(&text, &lex)
            };
            let np: Vec<&Token> = tokens.iter().collect();
            for from in 0..np.len() {
                for to in from + 1..=np.len().min(from + 6) {
                    let phrase = &np[from..to];
                    let fast: Vec<Span> = ctx.strip_titles(phrase).iter().map(|t| t.span).collect();
                    let simple: Vec<Span> = strip_titles_simple(&ctx, phrase)
                        .iter()
                        .map(|t| t.span)
                        .collect();
                    assert_eq!(fast, simple, "{:?}", &text[phrase[0].span.start..]);
                    stripped += usize::from(fast.len() < phrase.len());
                }
            }
        }
        assert!(stripped > 1000, "{stripped}");
    }

    #[test]
    fn surnames_are_the_lowercased_last_words() {
        let mut registry = Registry::default();
        let names = [
            "Ana Ruiz",
            "ANA RUIZ",
            "Núñez",
            "Kim \u{212a}elvin",
            "Ruiz",
            "Dale  Hutchins",
        ];
        for (k, name) in names.iter().cycle().take(300).enumerate() {
            registry.add(Entity {
                name: format!("{name}{}", k % 7),
                kind: if k % 3 == 0 {
                    Kind::Organization
                } else {
                    Kind::Person
                },
                source_type: SourceType::OtherSource,
                role: String::new(),
                rule: class::UNKNOWN_NAME,
            });
            for last in [
                "ruiz1",
                "ruiz0",
                "núñez2",
                "kelvin3",
                "\u{212a}elvin3",
                "hutchins5",
                "x",
            ] {
                let expected = registry
                    .last(|e| e.kind == Kind::Person && lower_eq(after_last_space(&e.name), last))
                    .map(|e| e.name.clone());
                assert_eq!(
                    registry.last_surnamed(last).map(|e| e.name.clone()),
                    expected
                );
            }
        }
    }

    /// Each entity's sentence is the sentence its name was last added in,
    /// as a map from names kept for every name ever added gives it, also
    /// once the registry is full and drops its oldest entities.
    #[test]
    fn seen_is_the_sentence_of_the_last_add_by_name() {
        let mut registry = Registry::default();
        let mut last_added: HashMap<String, usize> = HashMap::default();
        for k in 0..2000usize {
            registry.now = k / 3;
            let name = format!("Name {}", (k * 7919) % 331);
            last_added.insert(name.clone(), registry.now);
            registry.add(Entity {
                name,
                kind: if k % 4 == 0 {
                    Kind::Organization
                } else {
                    Kind::Person
                },
                source_type: SourceType::OtherSource,
                role: String::new(),
                rule: class::UNKNOWN_NAME,
            });
            assert_eq!(registry.seen.len(), registry.entities.len());
            for (e, &at) in registry.entities.iter().zip(&registry.seen) {
                assert_eq!(Some(&at), last_added.get(&e.name), "{}", e.name);
            }
        }
    }

    /// A cue's resolution is the one a map given every resolution in turn
    /// keeps for it.
    #[test]
    fn resolutions_are_the_last_ones_by_cue() {
        let mut resolved = Resolutions(Vec::new());
        let mut map: HashMap<Span, String> = HashMap::default();
        let mut cues = Vec::new();
        for k in 0..300usize {
            let start = k / 4;
            let cue = Span::new(start, start + 1 + (k * 7) % 3);
            let source = format!("source {k}");
            resolved.0.push((
                cue,
                Resolved {
                    source: source.clone(),
                    role: String::new(),
                    source_type: SourceType::OtherSource,
                    rule: class::UNKNOWN_NAME,
                },
            ));
            map.insert(cue, source);
            cues.push(cue);
            cues.push(Span::new(start, start + 5));
        }
        for cue in cues {
            assert_eq!(
                resolved.get(&cue).map(|r| r.source.as_str()),
                map.get(&cue).map(String::as_str),
                "{cue:?}"
            );
        }
    }

    /// What registering a title before a name rests on to skip the title
    /// lookups where no name follows soon enough: no title or role found
    /// has more words than its lexicon's longest entry.
    #[test]
    fn titles_found_are_no_longer_than_the_longest_entries() {
        let lex = Lexicons::builtin();
        let mut found = 0;
        for (_, tokens) in pieced_phrases(&lex) {
            for i in 0..tokens.len() {
                for set in [
                    &lex.official_titles,
                    &lex.ambiguous_titles,
                    &lex.other_roles,
                ] {
                    let n = set.longest_prefix_of_lower(tokens.len() - i, |n| &tokens[i + n].lower);
                    if let Some(n) = n {
                        assert!((1..=set.max_words()).contains(&n), "{n}");
                        found += 1;
                    }
                }
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn trim_possessives_is_trim_end_matches() {
        let pieces = ["a", "s", "'", "’", "'s", "’s", "é", " "];
        for text in crate::testing::pieced(&pieces, 2000, 8) {
            assert_eq!(
                trim_possessives(&text),
                text.trim_end_matches("'s").trim_end_matches("’s"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn is_call_sign_is_the_simple_form() {
        fn simple(name: &str) -> bool {
            let base = name.split('-').next().unwrap_or("");
            (base.len() == 4 || base.len() == 3)
                && (base.starts_with('K') || base.starts_with('W'))
                && base.chars().all(|c| c.is_ascii_uppercase())
        }
        let pieces = ["K", "W", "Q", "E", "D", "-", "FM", "k", "É", "1", "—"];
        let mut yes = 0;
        for name in crate::testing::pieced(&pieces, 3000, 7) {
            assert_eq!(is_call_sign(&name), simple(&name), "{name:?}");
            yes += usize::from(simple(&name));
        }
        assert!(yes > 20, "{yes}");
    }

    #[test]
    fn org_words_is_the_simple_form() {
        /// [`org_words`] as first written: every word looked up, `official`
        /// tested on the joined, lowercased match.
        fn simple(lex: &Lexicons, words: &[&str]) -> Option<SourceType> {
            let mut best: Option<(usize, SourceType)> = None;
            let mut covered_to = 0;
            for i in 0..words.len() {
                let official = lex
                    .official_bodies
                    .longest_prefix(&words[i..])
                    .filter(|&n| {
                        !matches!(
                            words[i..i + n].join(" ").to_lowercase().as_str(),
                            "official" | "officials"
                        )
                    });
                let other = lex.other_orgs.longest_prefix(&words[i..]);
                let (n, t) = match (official, other) {
                    (Some(a), Some(b)) if b > a => (b, SourceType::OtherSource),
                    (Some(a), _) => (a, SourceType::OfficialStatement),
                    (None, Some(b)) => (b, SourceType::OtherSource),
                    (None, None) => continue,
                };
                if i + n <= covered_to {
                    continue;
                }
                covered_to = i + n;
                best = Some((i, t));
            }
            best.map(|b| b.1)
        }
        let lex = Lexicons::builtin();
        let mut found = 0;
        for (text, tokens) in pieced_phrases(&lex) {
            let words: Vec<&str> = tokens.iter().map(|t| bare(t.text(&text))).collect();
            let masks: Vec<u64> = tokens.iter().map(|t| t.mask).collect();
            for from in 0..words.len() {
                let to = words.len().min(from + 6);
                let expected = simple(&lex, &words[from..to]);
                assert_eq!(
                    org_words(&lex, &words[from..to], None),
                    expected,
                    "{text:?}"
                );
                assert_eq!(
                    org_words(&lex, &words[from..to], Some(&masks[from..to])),
                    expected,
                    "{text:?}"
                );
                found += usize::from(expected.is_some());
            }
        }
        assert!(found > 1000, "{found}");
    }

    /// What the own-reporter test's shape check rests on: lowercasing
    /// (`lexicon::lower`) neither makes nor removes whitespace.
    #[test]
    fn lowercasing_keeps_the_whitespace() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let text = format!("A{c}");
            let lowered = crate::lexicon::lower(&text);
            assert_eq!(
                lowered
                    .chars()
                    .filter(|c| c.is_whitespace())
                    .collect::<String>(),
                text.chars()
                    .filter(|c| c.is_whitespace())
                    .collect::<String>(),
                "{c:?}"
            );
            assert_eq!(
                lowered.split_whitespace().count(),
                text.split_whitespace().count()
            );
        }
    }

    #[test]
    fn ascii_words_are_split_whitespace() {
        let pieces = [
            "a", "B", " ", "  ", "\t", "\n", "\u{b}", "\u{c}", "\r", ".", "\u{1c}",
        ];
        for text in crate::testing::pieced(&pieces, 2000, 9) {
            assert!(ascii_words(&text).eq(text.split_whitespace()), "{text:?}");
        }
    }

    #[test]
    fn after_last_space_is_the_last_split() {
        let pieces = ["a", " ", "  ", "é", "\u{a0}", "Ñandú", "\t"];
        for text in crate::testing::pieced(&pieces, 1000, 8) {
            assert_eq!(
                Some(after_last_space(&text)),
                text.rsplit(' ').next(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn is_joined_compares_with_the_joined_words() {
        for name in [
            "Ana Ruiz",
            "Ana  Ruiz",
            "Ana",
            "",
            " Ana",
            "Ana Ruiz ",
            "Ñandú Óscar",
        ] {
            for words in [
                &["Ana", "Ruiz"][..],
                &["Ana"],
                &[],
                &["", "Ana"],
                &["Ana", ""],
                &["Ana Ruiz"],
                &["Ñandú", "Óscar"],
            ] {
                assert_eq!(
                    is_joined(name, words.iter().copied()),
                    name == words.join(" "),
                    "{name:?} {words:?}"
                );
            }
        }
    }

    #[test]
    fn rule_ids_are_the_joined_ids() {
        for a in att::ALL {
            for c in class::ALL {
                assert_eq!(rule_id(*a, *c), format!("{}/{}", a.id, c.id));
            }
        }
        // The confidence kept for each pair is the one the pair gives.
        for a in att::ALL.iter().chain(class::ALL) {
            for c in att::ALL.iter().chain(class::ALL) {
                let expected = ((a.confidence * c.confidence) * 100.0).round() / 100.0;
                assert_eq!(rule_of(a, c).1.to_bits(), expected.to_bits());
            }
        }
        // Halves from the wrong tables have no id.
        assert_eq!(rule_id(class::NO_SOURCE, att::NARRATIVE), "unknown");
        assert_eq!(rule_id(att::NARRATIVE, att::NARRATIVE), "unknown");
    }

    #[test]
    fn written_alone_is_the_match_indices_test() {
        fn simple(text: &str, word: &str) -> bool {
            let bytes = text.as_bytes();
            text.match_indices(word).any(|(at, m)| {
                let before = at.checked_sub(1).map(|b| bytes[b]);
                let after = bytes.get(at + m.len()).copied();
                !before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && !after.is_some_and(|b| b.is_ascii_alphanumeric())
            })
        }
        let pieces = ["budget", "bud", "get", "a", " ", "é", "1", ".", "aa"];
        let texts = crate::testing::pieced(&pieces, 1500, 8);
        let mut yes = 0;
        for text in &texts {
            for word in ["budget", "bud", "a", "aa", "aaa", "é", "get", "a a", ""] {
                assert_eq!(
                    written_alone(text, word),
                    simple(text, word),
                    "{text:?} {word:?}"
                );
                yes += usize::from(simple(text, word));
            }
        }
        assert!(yes > 1000, "{yes}");
    }

    #[test]
    fn occurrences_are_the_match_indices() {
        for (hay, needle) in [
            ("of the Ledger for the Ledger", "Ledger"),
            ("aaaa", "aa"),
            ("Ledger", "Ledger"),
            ("Ledg", "Ledger"),
            ("", "x"),
            ("the Ñandú Times of Ñandú", "Ñandú"),
            ("xyx", "y"),
        ] {
            let expected: Vec<usize> = hay.match_indices(needle).map(|(at, _)| at).collect();
            assert_eq!(
                occurrences(hay, needle).collect::<Vec<_>>(),
                expected,
                "{hay}"
            );
        }
    }

    #[test]
    fn initials_are_compares_with_the_initials() {
        for name in [
            "Department of Homeland Security",
            "Ana Ruiz",
            "",
            "Ñandú Óscar",
        ] {
            for word in ["DHS", "DoHS", "AR", "", "ÑÓ", "D"] {
                assert_eq!(
                    initials_are(name, word),
                    initials(name) == word,
                    "{name} {word}"
                );
            }
        }
    }

    #[test]
    fn lower_eq_compares_with_the_lowercased_word() {
        for (word, lower) in [
            ("Ruiz", "ruiz"),
            ("RUIZ", "ruiz"),
            ("Núñez", "núñez"),
            ("Ruiz", "ruíz"),
            ("Ru", "ruiz"),
            ("", ""),
            ("", "a"),
            ("A", ""),
            ("Éa", "éa"),
            ("Kelvin", "\u{212a}elvin"),
            ("\u{212a}elvin", "kelvin"),
            ("İstanbul", "i\u{307}stanbul"),
            ("İstanbul", "istanbul"),
            ("ruiz", "ruiz"),
        ] {
            assert_eq!(
                lower_eq(word, lower),
                word.to_lowercase() == lower,
                "{word}"
            );
        }
    }

    #[test]
    fn a_lone_article_as_a_speaker_is_classified() {
        let lex = Lexicons::builtin();
        for text in ["a", "an", "A"] {
            let ctx = ctx(text, &lex);
            let tokens = tokenize(text, Span::new(0, text.len()), &[], &lex);
            let np: Vec<&Token> = tokens.iter().collect();
            let found = Found {
                cue: Span::new(0, 0),
                kind: CueKind::Speech,
                speaker: Some(Span::new(0, text.len())),
                apposition: None,
                inverted: false,
            };
            // Once a panic: the description's end was past the phrase.
            let entity = ctx.classify_new(&np, &[], &found, None, true);
            assert_eq!(entity.name, text);
            assert_eq!(entity.source_type, SourceType::OtherSource);
        }
    }

    /// A new source classified without its role is the entity classified
    /// with it, the role left empty.
    #[test]
    fn classify_new_without_role_is_with_role_emptied() {
        let lex = Lexicons::builtin();
        let mut with_roles = 0;
        for (text, tokens) in pieced_phrases(&lex) {
            // (No phrase without words is classified: `resolve` returns
            // before.)
            if tokens.is_empty() {
                continue;
            }
            let ctx = ctx(&text, &lex);
            let np: Vec<&Token> = tokens.iter().collect();
            for kind in [CueKind::Speech, CueKind::Document] {
                let found = Found {
                    cue: Span::new(0, 0),
                    kind,
                    speaker: Some(Span::new(0, text.len())),
                    apposition: None,
                    inverted: false,
                };
                let with = ctx.classify_new(&np, &[], &found, None, true);
                let without = ctx.classify_new(&np, &[], &found, None, false);
                assert_eq!(without.name, with.name, "{text:?}");
                assert_eq!(without.kind, with.kind, "{text:?}");
                assert_eq!(without.source_type, with.source_type, "{text:?}");
                assert_eq!(without.rule.id, with.rule.id, "{text:?}");
                assert_eq!(without.role, "", "{text:?}");
                with_roles += usize::from(!with.role.is_empty());
            }
        }
        assert!(with_roles > 100, "{with_roles}");
    }

    /// [`Ctx::words`] is the collected filter it replaces.
    #[test]
    fn words_are_the_collected_filter() {
        let lex = Lexicons::builtin();
        let mut words = 0;
        for text in crate::testing::pieced(PIECES, 400, 9) {
            let ctx = ctx(&text, &lex);
            let tokens = tokenize(&text, Span::new(0, text.len()), &[], &lex);
            for start in (0..=text.len()).step_by(3) {
                for end in (start..=text.len()).step_by(5) {
                    let span = Span::new(start, end);
                    let simple: Vec<&Token> = tokens
                        .iter()
                        .filter(|t| t.word && span.contains(t.span))
                        .collect();
                    let found = ctx.words(&tokens, span);
                    assert_eq!(found.len(), simple.len(), "{text:?} {span:?}");
                    assert!(found.iter().zip(&simple).all(|(a, b)| std::ptr::eq(*a, *b)));
                    words += found.len();
                }
            }
        }
        assert!(words > 1000, "{words}");
    }
}
