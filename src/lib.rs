//! claimtag turns news articles into a dataset of claims, each tagged with
//! whose word it rests on: an official statement, another outlet's media
//! report, the reporter's own observation, or another source.
//!
//! The pipeline runs in one direction: [`ingest`] reads files (text with
//! front matter, HTML, JSONL) into [`model::Article`]s; [`segment`] finds
//! paragraphs, datelines and sentences; [`quote`] finds quotation marks, cues
//! and speakers and splits sentences into claim parts; [`classify`] resolves
//! each source (coreference included) and gives it a source type with the rule
//! that decided it; [`output`] writes JSONL or CSV records with code point
//! offsets. [`pipeline`] wires the stages, parallel over articles with output
//! in input order.
//!
//! ```
//! use claimtag::lexicon::Lexicons;
//! use claimtag::model::{Article, SourceType};
//! use claimtag::output::ClaimRecord;
//!
//! let article = Article {
//!     id: "bridge".into(),
//!     text: "\"We will not reopen it until it is safe,\" Director Ana Ruiz said. \
//!            The Ledger reported that repairs may cost $4 million."
//!         .into(),
//!     ..Article::default()
//! };
//! let annotation = claimtag::pipeline::annotate(&article, &Lexicons::builtin());
//! let claims = ClaimRecord::from_claims(&article, &annotation.claims);
//! assert_eq!(claims.len(), 2);
//! assert_eq!(claims[0].source, "Ana Ruiz");
//! assert_eq!(claims[0].source_type, SourceType::OfficialStatement);
//! assert_eq!(claims[1].source_type, SourceType::MediaReport);
//! // Offsets are code points into the article text.
//! let chars: Vec<char> = article.text.chars().collect();
//! let span: String = chars[claims[1].start..claims[1].end].iter().collect();
//! assert_eq!(span, claims[1].text);
//! ```

pub mod classify;
pub mod cli;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod lexicon;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod quote;
pub mod schema;
pub mod segment;

/// Helpers for unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// Texts pieced together from `pieces`, pseudo-randomly (xorshift, the
    /// same texts every run): text `n` has `n % longest` pieces, so pieces
    /// fall at every offset and next to every other piece.
    pub fn pieced(pieces: &[&str], count: usize, longest: usize) -> Vec<String> {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        (0..count)
            .map(|n| {
                (0..n % longest)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        pieces[state as usize % pieces.len()]
                    })
                    .collect()
            })
            .collect()
    }
}
