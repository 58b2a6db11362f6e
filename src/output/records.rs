//! The records claimtag emits. Their fields are the public contract described
//! by `schemas/` and the annotation guide; CSV rows hold scalars only.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::CharCounter;
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
        let mut counter = CharCounter::new(&article.text);
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
        let mut counter = CharCounter::new(&article.text);
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
