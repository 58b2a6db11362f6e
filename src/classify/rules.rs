//! The rules that decide a claim's source type, with stable ids.
//!
//! A claim's `rule` is `<attribution>/<class>`: how the claim was linked to a
//! source, then what made that source the type it is. Both halves are listed
//! here with a description, a base confidence and an example article that a
//! test runs; the claim's confidence is the product of the two.

/// One rule: its id, base confidence, what it means and an example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub id: &'static str,
    /// The rule's position in its table (`attribution::ALL` or
    /// `class::ALL`): rule ids are looked up per claim, by index rather
    /// than by comparing names.
    pub index: usize,
    pub confidence: f64,
    pub description: &'static str,
    /// An article (its outlet is "The Harbor Ledger") with a claim this rule decides.
    pub example: &'static str,
}

macro_rules! rules {
    ($table:ident: $($name:ident = $id:literal, $conf:literal, $desc:literal, $example:literal;)*) => {
        /// The rules' positions in the table, in order.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Position { $($name),* }
        $(pub const $name: Rule = Rule {
            id: $id,
            index: Position::$name as usize,
            confidence: $conf,
            description: $desc,
            example: $example,
        };)*
        /// Every rule of this kind, for docs and tests.
        pub const $table: &[Rule] = &[$($name),*];
    };
}

/// Attribution rules: how the claim found its source.
pub mod attribution {
    use super::Rule;
    rules! { ALL:
        QUOTE_CUE = "quote_cue", 0.95, "a quotation with its speech cue and speaker in the same sentence (`\"...,\" Ruiz said`)",
            "\"We will rebuild,\" Mayor Ana Ruiz said.";
        SPEECH_CUE = "speech_cue", 0.9, "reported speech with a cue and its subject (`the county said that ...`)",
            "The county said the bridge would stay closed.";
        ACCORDING_TO = "according_to", 0.9, "`according to X`",
            "Two people died, according to police.";
        DOCUMENT_CUE = "document_cue", 0.85, "a document as subject of a document verb (`court records show`)",
            "Court records show he was arrested twice.";
        CHARACTERIZATION = "characterization", 0.8, "a quoted characterisation (`the mayor called it \"reckless\"`)",
            "Mayor Ana Ruiz called the plan \"reckless.\"";
        QUOTE_CONTINUED = "quote_continued", 0.9, "a sentence of a quotation attributed in another sentence or paragraph",
            "\"We will rebuild,\" Mayor Ana Ruiz said. \"It will take a year.\"";
        QUOTE_INTRO = "quote_intro", 0.85, "a quote paragraph introduced by `X said:` in the paragraph before",
            "Mayor Ana Ruiz said:\n\n\"We will rebuild the bridge this year.\"";
        PULL_QUOTE = "pull_quote", 0.8, "a standalone quote whose words are quoted with attribution elsewhere",
            "\"We will rebuild the bridge.\"\n\nThe river rose on Monday.\n\n\"We will rebuild the bridge,\" Mayor Ana Ruiz said.";
        HEDGE_NEARBY = "hedge_nearby", 0.7, "a hedged claim (`allegedly`, `was described as`) resting on the attribution nearby",
            "The driver allegedly fled. Two officers were hurt, the department said.";
        MEDIA_HEDGE = "media_hedge", 0.85, "unnamed media reports (`reportedly`, `according to reports`)",
            "The minister reportedly resigned.";
        OBSERVED_QUOTE = "observed_quote", 0.75, "a quotation the outlet observed (a chant, a sign)",
            "Protesters chanted \"No more raids\" outside the gates.";
        UNATTRIBUTED_QUOTE = "unattributed_quote", 0.5, "a quotation with no attribution anywhere in the article",
            "\"Nobody warned us about the water.\"";
        NARRATIVE = "narrative", 0.8, "no attribution: the article's own voice",
            "Crews worked through the night.";
    }
}

/// Class rules: what made the source the type it is.
pub mod class {
    use super::Rule;
    rules! { ALL:
        OWN_REPORTER = "own_reporter", 0.9, "the outlet's own reporter or the outlet itself",
            "The Harbor Ledger reported last year that the bridge needed repairs.";
        MEDIA_OUTLET = "media_outlet", 0.95, "a news organisation from the outlet lexicon",
            "Reuters reported that the talks stalled.";
        MEDIA_NAME = "media_name", 0.85, "a name ending like an outlet's (`The Valley Courier`, `Valley Public Radio`)",
            "The Valley Courier reported that the mayor resigned.";
        MEDIA_NOUN = "media_noun", 0.85, "a news-organisation noun (`local media`, `the newspaper`)",
            "Local media reported that two ships left.";
        OFFICIAL_TITLE = "official_title", 0.95, "a title of public office (`Mayor`, `Assistant Secretary`)",
            "Mayor Ana Ruiz said the bridge would reopen.";
        OFFICIAL_BODY = "official_body", 0.9, "a government body, police, court, agency or military",
            "The county said the bridge would stay closed.";
        OFFICIAL_DOCUMENT = "official_document", 0.85, "a record or filing of an official body (`court records`)",
            "Court records show he was arrested twice.";
        TITLE_OF_BODY = "title_of_body", 0.85, "an ambiguous title (`spokesperson`, `director`) of an official body",
            "DHS spokesperson Carla Voss said the arrest was lawful.";
        TITLE_OF_ORG = "title_of_org", 0.85, "an ambiguous title of a company or other private organisation",
            "Acme Corp. President John Smith said sales fell.";
        TITLE_BEFORE_NAME = "title_before_name", 0.6, "an ambiguous title before a name with no organisation named (`Director Ana Ruiz`)",
            "Director Ana Ruiz said the bridge would reopen.";
        OTHER_ROLE = "other_role", 0.85, "a non-official role (`resident`, `professor`, `lawyer`)",
            "A neighbor said the water rose fast.";
        OTHER_ORG = "other_org", 0.85, "a company, NGO, union, university or other private body",
            "The union said the strike would go on.";
        ANONYMOUS_OFFICIAL = "anonymous_official", 0.85, "unnamed officials (`a senior official`)",
            "Officials said the road would reopen.";
        UNKNOWN_NAME = "unknown_name", 0.6, "a name with nothing marking it official or media",
            "Maria Gomez said the water rose fast.";
        UNRESOLVED = "unresolved", 0.4, "a pronoun or phrase whose antecedent was not found",
            "She said the water rose fast.";
        NO_SOURCE = "no_source", 1.0, "no source: narrative or unattributed",
            "Crews worked through the night.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicons;
    use crate::model::Article;

    /// Every rule's example gives a claim that names the rule.
    #[test]
    fn every_rule_example_fires_its_rule() {
        let lex = Lexicons::builtin();
        let halves = attribution::ALL
            .iter()
            .map(|r| (r, 0))
            .chain(class::ALL.iter().map(|r| (r, 1)));
        for (rule, half) in halves {
            let article = Article {
                id: "example".into(),
                outlet: "The Harbor Ledger".into(),
                text: rule.example.into(),
                ..Article::default()
            };
            let claims = crate::pipeline::annotate(&article, &lex).claims;
            let fired = claims
                .iter()
                .any(|c| c.rule.split('/').nth(half) == Some(rule.id));
            let rules: Vec<&str> = claims.iter().map(|c| c.rule).collect();
            assert!(
                fired,
                "rule {} not fired by {:?}: {rules:?}",
                rule.id, rule.example
            );
        }
    }

    #[test]
    fn indexes_are_table_positions() {
        for table in [attribution::ALL, class::ALL] {
            for (i, rule) in table.iter().enumerate() {
                assert_eq!(rule.index, i, "{}", rule.id);
            }
        }
    }

    #[test]
    fn ids_are_unique_and_confidences_in_range() {
        for table in [attribution::ALL, class::ALL] {
            for (i, a) in table.iter().enumerate() {
                assert!((0.0..=1.0).contains(&a.confidence), "{}", a.id);
                assert!(table[i + 1..].iter().all(|b| b.id != a.id), "{}", a.id);
            }
        }
    }
}
