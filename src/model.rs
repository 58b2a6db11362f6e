//! The data model shared by the stages: articles, spans, sentences, quotes,
//! attributions and claims. Offsets inside the pipeline are byte offsets into
//! `Article::text`; they become code point offsets only in `output`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// One input document: body text plus metadata (guide §1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// From metadata `id`, else the input-relative path without extension.
    pub id: String,
    /// Input-relative path, `/`-separated; empty for stdin.
    pub source_file: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
    pub byline: String,
    /// Metadata keys the guide does not name, kept in input order.
    pub extra: IndexMap<String, String>,
    /// The body text every offset refers to.
    pub text: String,
}

impl Article {
    /// The same metadata with another body (a piece of a long article).
    pub fn with_text(&self, text: String) -> Article {
        Article {
            id: self.id.clone(),
            source_file: self.source_file.clone(),
            title: self.title.clone(),
            outlet: self.outlet.clone(),
            published: self.published.clone(),
            url: self.url.clone(),
            byline: self.byline.clone(),
            extra: self.extra.clone(),
            text,
        }
    }
}

/// A half-open byte range `[start, end)` into an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The text this span covers.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Why a sentence is, or is not, a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceKind {
    /// An ordinary sentence: it can carry a claim.
    Statement,
    /// A heading, title or section label.
    Heading,
    /// A byline or credit line.
    Byline,
    /// A photo caption or credit.
    Caption,
    /// A question with no attribution cue.
    Question,
    /// A fragment that asserts nothing (`Read more:`).
    Fragment,
}

/// A sentence found by the segmenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// 0-based paragraph number.
    pub paragraph: usize,
    pub kind: SentenceKind,
}

/// A paragraph: a block of text between blank lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
}

/// A quotation: the words between a pair of quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// From the opening mark to the closing mark, marks included (to the end
    /// of the paragraph when the quote is left open).
    pub outer: Span,
    /// The words inside the marks.
    pub inner: Span,
    /// Whether the closing mark was found in the same paragraph.
    pub closed: bool,
    /// Quotes that continue one quotation over several paragraphs share a chain.
    pub chain: usize,
}

/// Whose word a claim rests on (guide §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    OfficialStatement,
    MediaReport,
    ReporterObservation,
    OtherSource,
}

impl SourceType {
    pub const ALL: [SourceType; 4] = [
        SourceType::OfficialStatement,
        SourceType::MediaReport,
        SourceType::ReporterObservation,
        SourceType::OtherSource,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::OfficialStatement => "official_statement",
            SourceType::MediaReport => "media_report",
            SourceType::ReporterObservation => "reporter_observation",
            SourceType::OtherSource => "other_source",
        }
    }
}

/// How the claim carries its source's words (guide §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteType {
    Direct,
    Partial,
    Indirect,
    None,
}

impl QuoteType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteType::Direct => "direct",
            QuoteType::Partial => "partial",
            QuoteType::Indirect => "indirect",
            QuoteType::None => "none",
        }
    }
}

/// A claim before output: byte offsets, labels, and the rule that decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub span: Span,
    pub paragraph: usize,
    pub sentence: usize,
    pub quote: String,
    pub quote_type: QuoteType,
    pub source_type: SourceType,
    pub source: String,
    pub source_mention: String,
    pub source_role: String,
    pub cue: String,
    pub confidence: f64,
    pub rule: &'static str,
}
