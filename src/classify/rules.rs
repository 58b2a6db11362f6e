//! The rules that decide a claim's source type, with stable ids.
//!
//! A claim's `rule` is `<attribution>/<class>`: how the claim was linked to a
//! source, then what made that source the type it is. Both halves are listed
//! here with a description and a base confidence; the claim's confidence is
//! the product of the two.

/// How a claim was linked to its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub id: &'static str,
    pub confidence: f64,
    pub description: &'static str,
}

macro_rules! rules {
    ($table:ident: $($name:ident = $id:literal, $conf:literal, $desc:literal;)*) => {
        $(pub const $name: Rule = Rule { id: $id, confidence: $conf, description: $desc };)*
        /// Every rule of this kind, for docs and tests.
        pub const $table: &[Rule] = &[$($name),*];
    };
}

/// Attribution rules: how the claim found its source.
pub mod attribution {
    use super::Rule;
    rules! { ALL:
        QUOTE_CUE = "quote_cue", 0.95, "a quotation with its speech cue and speaker in the same sentence (`\"...,\" Ruiz said`)";
        SPEECH_CUE = "speech_cue", 0.9, "reported speech with a cue and its subject (`the county said that ...`)";
        ACCORDING_TO = "according_to", 0.9, "`according to X`";
        DOCUMENT_CUE = "document_cue", 0.85, "a document as subject of a document verb (`court records show`)";
        CHARACTERIZATION = "characterization", 0.8, "a quoted characterisation (`the mayor called it \"reckless\"`)";
        QUOTE_CONTINUED = "quote_continued", 0.9, "a sentence of a quotation attributed in another sentence or paragraph";
        QUOTE_INTRO = "quote_intro", 0.85, "a quote paragraph introduced by `X said:` in the paragraph before";
        PULL_QUOTE = "pull_quote", 0.8, "a standalone quote whose words are quoted with attribution elsewhere";
        HEDGE_NEARBY = "hedge_nearby", 0.7, "a hedged claim (`allegedly`, `was described as`) resting on the attribution nearby";
        MEDIA_HEDGE = "media_hedge", 0.85, "unnamed media reports (`reportedly`, `according to reports`)";
        OBSERVED_QUOTE = "observed_quote", 0.75, "a quotation the outlet observed (a chant, a sign)";
        UNATTRIBUTED_QUOTE = "unattributed_quote", 0.5, "a quotation with no attribution anywhere in the article";
        NARRATIVE = "narrative", 0.8, "no attribution: the article's own voice";
    }
}

/// Class rules: what made the source the type it is.
pub mod class {
    use super::Rule;
    rules! { ALL:
        OWN_REPORTER = "own_reporter", 0.9, "the outlet's own reporter or the outlet itself";
        MEDIA_OUTLET = "media_outlet", 0.95, "a news organisation from the outlet lexicon";
        MEDIA_NAME = "media_name", 0.85, "a name ending like an outlet's (`The Harbor Ledger`, `Valley Public Radio`)";
        MEDIA_NOUN = "media_noun", 0.85, "a news-organisation noun (`local media`, `the newspaper`)";
        OFFICIAL_TITLE = "official_title", 0.95, "a title of public office (`Mayor`, `Assistant Secretary`)";
        OFFICIAL_BODY = "official_body", 0.9, "a government body, police, court, agency or military";
        OFFICIAL_DOCUMENT = "official_document", 0.85, "a record or filing of an official body (`court records`)";
        TITLE_OF_BODY = "title_of_body", 0.85, "an ambiguous title (`spokesperson`, `director`) of an official body";
        TITLE_OF_ORG = "title_of_org", 0.85, "an ambiguous title of a company or other private organisation";
        TITLE_BEFORE_NAME = "title_before_name", 0.6, "an ambiguous title before a name with no organisation named (`Director Ana Ruiz`)";
        OTHER_ROLE = "other_role", 0.85, "a non-official role (`resident`, `professor`, `lawyer`)";
        OTHER_ORG = "other_org", 0.85, "a company, NGO, union, university or other private body";
        ANONYMOUS_OFFICIAL = "anonymous_official", 0.85, "unnamed officials (`a senior official`)";
        UNKNOWN_NAME = "unknown_name", 0.6, "a name with nothing marking it official or media";
        UNRESOLVED = "unresolved", 0.4, "a pronoun or phrase whose antecedent was not found";
        NO_SOURCE = "no_source", 1.0, "no source: narrative or unattributed";
    }
}
