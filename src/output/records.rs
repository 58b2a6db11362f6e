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

    /// Appends the record as one JSON line: the same bytes as
    /// `serde_json::to_writer` and a newline (tested), written field by
    /// field with a fast path for strings that need no escaping.
    pub fn write_jsonl(&self, out: &mut Vec<u8>) {
        ClaimFields {
            article_id: &self.article_id,
            claim_id: &self.claim_id,
            index: self.index,
            paragraph: self.paragraph,
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            text: &self.text,
            quote: &self.quote,
            quote_type: self.quote_type,
            source_type: self.source_type,
            source: &self.source,
            source_mention: &self.source_mention,
            source_role: &self.source_role,
            cue: &self.cue,
            confidence: self.confidence,
            rule: &self.rule,
        }
        .write_jsonl(out);
    }

    /// Appends the JSON lines of an article's claims: the bytes of
    /// [`ClaimRecord::from_claims`] then [`ClaimRecord::write_jsonl`]
    /// (tested), without building the records.
    pub fn write_claims_jsonl(article: &Article, claims: &[Claim], out: &mut Vec<u8>) {
        let mut counter = CharCounter::new(&article.text);
        let mut claim_id = String::new();
        for (index, c) in claims.iter().enumerate() {
            claim_id.clear();
            claim_id.push_str(&article.id);
            claim_id.push('#');
            claim_id.push_str(itoa::Buffer::new().format(index));
            ClaimFields {
                article_id: &article.id,
                claim_id: &claim_id,
                index,
                paragraph: c.paragraph,
                sentence: c.sentence,
                start: counter.at(c.span.start),
                end: counter.at(c.span.end),
                text: c.span.of(&article.text),
                quote: &c.quote,
                quote_type: c.quote_type,
                source_type: c.source_type,
                source: &c.source,
                source_mention: &c.source_mention,
                source_role: &c.source_role,
                cue: &c.cue,
                confidence: c.confidence,
                rule: c.rule,
            }
            .write_jsonl(out);
        }
    }
}

/// A claim record's fields, borrowed: what [`ClaimRecord::write_jsonl`] and
/// [`ClaimRecord::write_claims_jsonl`] write.
struct ClaimFields<'a> {
    article_id: &'a str,
    claim_id: &'a str,
    index: usize,
    paragraph: usize,
    sentence: usize,
    start: usize,
    end: usize,
    text: &'a str,
    quote: &'a str,
    quote_type: QuoteType,
    source_type: SourceType,
    source: &'a str,
    source_mention: &'a str,
    source_role: &'a str,
    cue: &'a str,
    confidence: f64,
    rule: &'a str,
}

impl ClaimFields<'_> {
    /// One JSON line, fields in the record's order.
    fn write_jsonl(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"article_id\":");
        json_str(out, self.article_id);
        out.extend_from_slice(b",\"claim_id\":");
        json_str(out, self.claim_id);
        for (key, n) in [
            (&b",\"index\":"[..], self.index),
            (b",\"paragraph\":", self.paragraph),
            (b",\"sentence\":", self.sentence),
            (b",\"start\":", self.start),
            (b",\"end\":", self.end),
        ] {
            out.extend_from_slice(key);
            out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        }
        for (key, value) in [
            (&b",\"text\":"[..], self.text),
            (b",\"quote\":", self.quote),
            (b",\"quote_type\":", self.quote_type.as_str()),
            (b",\"source_type\":", self.source_type.as_str()),
            (b",\"source\":", self.source),
            (b",\"source_mention\":", self.source_mention),
            (b",\"source_role\":", self.source_role),
            (b",\"cue\":", self.cue),
        ] {
            out.extend_from_slice(key);
            json_str(out, value);
        }
        out.extend_from_slice(b",\"confidence\":");
        serde_json::to_writer(&mut *out, &self.confidence).expect("a number serialises");
        out.extend_from_slice(b",\"rule\":");
        json_str(out, self.rule);
        out.extend_from_slice(b"}\n");
    }
}

/// Appends `s` as a JSON string. Most strings need no escaping (no `"`,
/// `\\` or control character): they are copied; the rest go through
/// serde_json.
fn json_str(out: &mut Vec<u8>, s: &str) {
    // A branch-free scan the compiler vectorises.
    let escape = s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if escape {
        serde_json::to_writer(&mut *out, s).expect("a string serialises");
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_jsonl_gives_the_bytes_serde_json_gives() {
        let strings = [
            "",
            "plain",
            "“Curly” quotes, accents: Núñez, emoji 🎉, CJK 東京",
            "a \"quoted\" word and a back\\slash",
            "tab\there, newline\nthere, CR\r, NUL\u{0}, bell\u{7}, DEL\u{7f}",
            "line separator\u{2028}and paragraph separator\u{2029}",
            "=1+1",
        ];
        for (i, s) in strings.iter().enumerate() {
            let record = ClaimRecord {
                article_id: s.to_string(),
                claim_id: format!("{s}#{i}"),
                index: i,
                paragraph: i * 7,
                sentence: usize::MAX - i,
                start: 0,
                end: 1234567,
                text: s.to_string(),
                quote: strings[(i + 1) % strings.len()].to_string(),
                quote_type: [
                    QuoteType::Direct,
                    QuoteType::Partial,
                    QuoteType::Indirect,
                    QuoteType::None,
                ][i % 4],
                source_type: SourceType::ALL[i % 4],
                source: s.to_string(),
                source_mention: strings[(i + 2) % strings.len()].to_string(),
                source_role: s.to_string(),
                cue: s.to_string(),
                confidence: [0.0, 0.81, 1.0, 0.1 + 0.2, 1e-7, 0.5][i % 6],
                rule: s.to_string(),
            };
            let mut fast = Vec::new();
            record.write_jsonl(&mut fast);
            let mut expected = serde_json::to_vec(&record).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    #[test]
    fn claims_written_directly_give_the_bytes_of_the_records() {
        let lex = crate::lexicon::Lexicons::builtin();
        let text = "“We will rebuild,” said Mayor Zoë Núñez on Monday. \
                    Officials said the \"levee\" failed.\n\nThe river rose 3 feet, \
                    according to The Harbor Ledger. Crews worked overnight.";
        let mut article = Article::with_text(&Article::default(), text.to_string());
        article.id = "us/2026/a\\b".to_string();
        let claims = crate::pipeline::annotate(&article, &lex).claims;
        assert!(claims.len() >= 4);
        let mut direct = Vec::new();
        ClaimRecord::write_claims_jsonl(&article, &claims, &mut direct);
        let mut via_records = Vec::new();
        for record in ClaimRecord::from_claims(&article, &claims) {
            record.write_jsonl(&mut via_records);
        }
        assert_eq!(
            String::from_utf8(direct).unwrap(),
            String::from_utf8(via_records).unwrap()
        );
    }
}
