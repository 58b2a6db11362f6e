//! Properties over any text: the pipeline never panics, spans stay inside the
//! text on char boundaries, in order and disjoint, and output records slice to
//! their text in code points.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;

use claimtag::lexicon::Lexicons;
use claimtag::model::Article;
use claimtag::output::{ClaimRecord, SentenceRecord};
use claimtag::pipeline::annotate;

use crate::util::char_slice;

fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(Lexicons::builtin)
}

/// Pieces of news text and of everything that trips segmenters and quote finders.
const PIECES: &[&str] = &[
    "said",
    "says",
    "told reporters",
    "according to",
    "reported",
    "reportedly",
    "stated",
    "asked",
    "Mayor",
    "Ana",
    "Ruiz",
    "the",
    "police",
    "department",
    "The Ledger",
    "CBS News",
    "a spokesperson for",
    "officials",
    "residents",
    "Mr.",
    "Dr.",
    "U.S.",
    "Inc.",
    "p.m.",
    "St.",
    "No.",
    "Jan.",
    "e.g.",
    "etc.",
    "A.",
    "(AP) —",
    "SPRINGFIELD, Ill.",
    "Photo:",
    "Read more:",
    "By",
    "—",
    "–",
    "…",
    "...",
    "$4",
    "3.5",
    "1,200",
    "Zoë",
    "é",
    "e\u{301}",
    "café",
    "東京",
    "🎉",
    "👷‍♀️",
    "🇺🇸",
    "👍🏽",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\t",
];

const MARKS: &[&str] = &[
    "\"", "\"", "“", "”", "'", "‘", "’", "«", "»", "„", ".", ".", ". ", "? ", "! ", ", ", ": ",
    "; ", "\n", "\n\n", "\r\n", "\r", "---\n", " ", " ", " ", "  ", "(", ")",
];

/// Text built from news-like pieces, marks, random words and random chars.
fn newsish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        4 => proptest::sample::select(MARKS).prop_map(str::to_string),
        3 => "[A-Za-z]{1,9}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

/// Sentences that look like an article, with quotes opened and not closed.
fn articleish() -> impl Strategy<Value = String> {
    let sentence = prop_oneof![
        Just("“We will reopen it,” Mayor Ana Ruiz said.".to_string()),
        Just("\"We will reopen it,\" Mayor Ana Ruiz said.".to_string()),
        Just("The Ledger reported that repairs may cost $4 million.".to_string()),
        Just("“That could take a month.".to_string()),
        Just("Engineers found cracks in two supports.".to_string()),
        Just("'Why now?' she asked.".to_string()),
        Just("MARLOW FALLS, Ohio (AP) — ".to_string()),
        Just("Read more:".to_string()),
        newsish(),
    ];
    let sep = proptest::sample::select(&[" ", "\n", "\n\n", " ", "\r\n\r\n"][..]);
    proptest::collection::vec((sentence, sep), 0..12).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(s, sep)| format!("{s}{sep}"))
            .collect()
    })
}

fn article(text: String) -> Article {
    Article {
        id: "prop".to_string(),
        text,
        ..Article::default()
    }
}

/// Checks every span property for one text; returns a description of the
/// first violation.
fn check(text: String) -> Result<(), TestCaseError> {
    let article = article(text);
    let text = article.text.as_str();
    let annotation = match std::panic::catch_unwind(|| annotate(&article, lexicons())) {
        Ok(annotation) => annotation,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(TestCaseError::fail(format!("annotate panicked: {message}")));
        }
    };

    let mut previous_end = 0;
    for s in &annotation.segmentation.sentences {
        let span = s.span;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "sentence {span:?} outside text"
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "sentence {span:?} splits a char"
        );
        prop_assert!(previous_end <= span.start, "sentences overlap at {span:?}");
        prop_assert!(span.start < span.end, "empty sentence at {span:?}");
        previous_end = span.end;
    }

    let mut previous_end = 0;
    for c in &annotation.claims {
        let span = c.span;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "claim {span:?} outside text"
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "claim {span:?} splits a char"
        );
        prop_assert!(
            previous_end <= span.start,
            "claims overlap or go back at {span:?}"
        );
        prop_assert!(span.start < span.end, "empty claim at {span:?}");
        prop_assert!(
            (0.0..=1.0).contains(&c.confidence),
            "confidence {}",
            c.confidence
        );
        previous_end = span.end;
    }

    let records = ClaimRecord::from_claims(&article, &annotation.claims);
    prop_assert_eq!(records.len(), annotation.claims.len());
    for (i, r) in records.iter().enumerate() {
        prop_assert_eq!(r.index, i);
        prop_assert_eq!(&r.claim_id, &format!("prop#{i}"));
        let slice = char_slice(text, r.start, r.end);
        prop_assert_eq!(slice.as_deref(), Some(r.text.as_str()));
    }
    let sentences = SentenceRecord::from_sentences(&article, &annotation.segmentation.sentences);
    for r in &sentences {
        let slice = char_slice(text, r.start, r.end);
        prop_assert_eq!(slice.as_deref(), Some(r.text.as_str()));
    }
    Ok(())
}

fn config() -> Config {
    Config {
        cases: 256,
        // Minimal failing inputs are printed; no files are written into the repo.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_string_is_annotated_without_panic_with_valid_spans(text in any::<String>()) {
        check(text)?;
    }

    #[test]
    fn newsish_text_is_annotated_with_valid_spans(text in newsish()) {
        check(text)?;
    }

    #[test]
    fn articleish_text_is_annotated_with_valid_spans(text in articleish()) {
        check(text)?;
    }
}

/// Inputs that broke, or nearly broke, the pipeline; kept as plain tests.
#[test]
fn edge_texts_are_annotated_with_valid_spans() {
    let texts = [
        "",
        " ",
        "\n\n\n",
        "“",
        "”",
        "\"",
        "'",
        "“”",
        "\"\"",
        ".",
        "...",
        "…",
        "—",
        "Mr.",
        "U.S.",
        "said",
        "according to",
        "“said”",
        "\u{feff}",
        "\r\n\r\n",
        "\r",
        "🎉",
        "e\u{301}",
        "---\n---\n",
        "A (AP) —",
        "SPRINGFIELD, Ill. (AP) — ",
        "“Open\n\n“Still open\n\nclosed,” she said.",
        "‘’‘’‘’",
        "„Hallo“, sagte sie.",
        "«Bonjour», a-t-il dit.",
    ];
    for text in texts {
        if let Err(e) = check(text.to_string()) {
            panic!("{text:?}: {e}");
        }
    }
}
