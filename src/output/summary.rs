//! Summaries of a claim dataset: one row per article, one per outlet and one
//! for everything (the summary table), and the sources most claims rest on
//! (the sources table).
//!
//! Built incrementally from claim records (and, when known, the article
//! records that give each article its outlet and title), so
//! `annotate --summary` needs no second pass and `claimtag summary` reads
//! claim JSONL back. Outlets come from the article records: front matter,
//! JSONL metadata or `og:site_name`. Articles whose outlet is unknown (claims
//! read without `--articles`, or metadata without an outlet) are counted in
//! the outlet row whose `outlet` is empty.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::records::{ArticleRecord, ClaimRecord};
use crate::model::{QuoteType, SourceType};

/// What a summary row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// One article.
    Article,
    /// Every article of one outlet.
    Outlet,
    /// Every article.
    All,
}

/// One row of the summary table (`schemas/summary.schema.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRow {
    pub level: Level,
    /// The article (article rows only).
    pub article_id: String,
    /// The article's outlet, or the outlet of an outlet row; empty when unknown.
    pub outlet: String,
    /// The article's title (article rows only).
    pub title: String,
    pub n_articles: usize,
    pub n_claims: usize,
    pub n_official_statement: usize,
    pub n_media_report: usize,
    pub n_reporter_observation: usize,
    pub n_other_source: usize,
    /// `n_<type> / n_claims`, rounded to 4 decimals; 0 without claims.
    pub share_official_statement: f64,
    pub share_media_report: f64,
    pub share_reporter_observation: f64,
    pub share_other_source: f64,
    /// Claims whose `quote_type` is `direct`.
    pub n_direct_quotes: usize,
    /// Claims whose `quote_type` is `partial`.
    pub n_partial_quotes: usize,
    /// Distinct non-empty `source` names.
    pub n_distinct_sources: usize,
    /// Mean `confidence` of the claims, rounded to 4 decimals; 0 without claims.
    pub mean_confidence: f64,
}

/// One row of the sources table (`schemas/summary_source.schema.json`): a
/// source name with one source type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRow {
    /// 1 for the source with most claims.
    pub rank: usize,
    pub source: String,
    pub source_type: SourceType,
    /// The role most often given to the source (first seen on a tie).
    pub source_role: String,
    pub n_claims: usize,
    /// `n_claims` over all claims, rounded to 4 decimals.
    pub share_of_claims: f64,
    /// Articles with at least one claim of this source.
    pub n_articles: usize,
    /// Claims of this source whose `quote_type` is `direct`.
    pub n_direct_quotes: usize,
}

/// Both tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Article rows in input order, outlet rows by outlet, then the `all` row.
    pub rows: Vec<SummaryRow>,
    /// Sources by claims (most first), then name, then type.
    pub sources: Vec<SourceRow>,
}

/// How many sources the sources table keeps by default.
pub const DEFAULT_TOP: usize = 50;

/// Counts over a set of claims.
#[derive(Debug, Clone, Default)]
struct Counts {
    n_articles: usize,
    n_claims: usize,
    by_type: [usize; 4],
    direct: usize,
    partial: usize,
    confidence: f64,
    sources: BTreeSet<String>,
}

impl Counts {
    fn add_claim(&mut self, c: &ClaimRecord) {
        self.n_claims += 1;
        self.by_type[c.source_type as usize] += 1;
        match c.quote_type {
            QuoteType::Direct => self.direct += 1,
            QuoteType::Partial => self.partial += 1,
            QuoteType::Indirect | QuoteType::None => {}
        }
        self.confidence += c.confidence;
        if !c.source.is_empty() && !self.sources.contains(&c.source) {
            self.sources.insert(c.source.clone());
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.n_articles += other.n_articles;
        self.n_claims += other.n_claims;
        for (a, b) in self.by_type.iter_mut().zip(other.by_type) {
            *a += b;
        }
        self.direct += other.direct;
        self.partial += other.partial;
        self.confidence += other.confidence;
        self.sources.extend(other.sources.iter().cloned());
    }

    fn row(&self, level: Level, article_id: &str, outlet: &str, title: &str) -> SummaryRow {
        let share = |n: usize| ratio(n, self.n_claims);
        SummaryRow {
            level,
            article_id: article_id.to_string(),
            outlet: outlet.to_string(),
            title: title.to_string(),
            n_articles: self.n_articles,
            n_claims: self.n_claims,
            n_official_statement: self.by_type[0],
            n_media_report: self.by_type[1],
            n_reporter_observation: self.by_type[2],
            n_other_source: self.by_type[3],
            share_official_statement: share(self.by_type[0]),
            share_media_report: share(self.by_type[1]),
            share_reporter_observation: share(self.by_type[2]),
            share_other_source: share(self.by_type[3]),
            n_direct_quotes: self.direct,
            n_partial_quotes: self.partial,
            n_distinct_sources: self.sources.len(),
            mean_confidence: if self.n_claims == 0 {
                0.0
            } else {
                round4(self.confidence / self.n_claims as f64)
            },
        }
    }
}

/// `n / total` rounded to 4 decimals, 0 when `total` is 0.
fn ratio(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        round4(n as f64 / total as f64)
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[derive(Debug, Clone, Default)]
struct ArticleAcc {
    outlet: String,
    title: String,
    counts: Counts,
    /// (source, type) pairs with a claim in this article.
    sources: BTreeSet<(String, SourceType)>,
}

#[derive(Debug, Clone, Default)]
struct SourceAcc {
    n_claims: usize,
    direct: usize,
    roles: IndexMap<String, usize>,
}

/// Collects articles and claims, then gives the [`Summary`].
#[derive(Debug, Clone, Default)]
pub struct SummaryBuilder {
    articles: IndexMap<String, ArticleAcc>,
    sources: IndexMap<(String, SourceType), SourceAcc>,
}

impl SummaryBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers an article (its outlet and title), with or without claims.
    /// Claims of an article never registered count with an unknown outlet.
    pub fn add_article(&mut self, article_id: &str, outlet: &str, title: &str) {
        let acc = self.articles.entry(article_id.to_string()).or_default();
        acc.outlet = outlet.to_string();
        acc.title = title.to_string();
    }

    /// Adds one claim to its article.
    pub fn add_claim(&mut self, c: &ClaimRecord) {
        let acc = match self.articles.get_mut(&c.article_id) {
            Some(acc) => acc,
            None => self.articles.entry(c.article_id.clone()).or_default(),
        };
        acc.counts.add_claim(c);
        if !c.source.is_empty() {
            let key = (c.source.clone(), c.source_type);
            acc.sources.insert(key.clone());
            let s = self.sources.entry(key).or_default();
            s.n_claims += 1;
            if c.quote_type == QuoteType::Direct {
                s.direct += 1;
            }
            if !c.source_role.is_empty() {
                *s.roles.entry(c.source_role.clone()).or_default() += 1;
            }
        }
    }

    /// Adds an article record and its claims.
    pub fn add(&mut self, article: &ArticleRecord, claims: &[ClaimRecord]) {
        self.add_article(&article.article_id, &article.outlet, &article.title);
        for c in claims {
            self.add_claim(c);
        }
    }

    /// The tables, keeping the `top` sources with most claims (0: all).
    pub fn finish(self, top: usize) -> Summary {
        let mut rows = Vec::with_capacity(self.articles.len() + 2);
        let mut outlets: BTreeMap<String, Counts> = BTreeMap::new();
        let mut all = Counts::default();
        let mut n_articles: BTreeMap<(String, SourceType), usize> = BTreeMap::new();
        for (id, mut acc) in self.articles {
            acc.counts.n_articles = 1;
            rows.push(acc.counts.row(Level::Article, &id, &acc.outlet, &acc.title));
            outlets
                .entry(acc.outlet.clone())
                .or_default()
                .merge(&acc.counts);
            all.merge(&acc.counts);
            for key in acc.sources {
                *n_articles.entry(key).or_default() += 1;
            }
        }
        for (outlet, counts) in &outlets {
            rows.push(counts.row(Level::Outlet, "", outlet, ""));
        }
        rows.push(all.row(Level::All, "", "", ""));

        let mut sources: Vec<SourceRow> = self
            .sources
            .into_iter()
            .map(|((source, source_type), acc)| {
                let mut role = ("", 0);
                for (r, &n) in &acc.roles {
                    if n > role.1 {
                        role = (r, n);
                    }
                }
                SourceRow {
                    rank: 0,
                    source_role: role.0.to_string(),
                    n_claims: acc.n_claims,
                    share_of_claims: ratio(acc.n_claims, all.n_claims),
                    n_articles: n_articles
                        .get(&(source.clone(), source_type))
                        .copied()
                        .unwrap_or(0),
                    n_direct_quotes: acc.direct,
                    source,
                    source_type,
                }
            })
            .collect();
        sources.sort_by(|a, b| {
            b.n_claims
                .cmp(&a.n_claims)
                .then_with(|| a.source.cmp(&b.source))
                .then_with(|| a.source_type.cmp(&b.source_type))
        });
        if top > 0 {
            sources.truncate(top);
        }
        for (i, s) in sources.iter_mut().enumerate() {
            s.rank = i + 1;
        }
        Summary { rows, sources }
    }
}

/// The summary of claim JSONL files (`claimtag summary`). Article JSONL
/// (`annotate --articles`), when given, supplies outlets and titles and the
/// articles without claims, and sets the row order; claims of articles it
/// does not list follow in order of appearance. Bad lines are reported and
/// skipped; their count is returned with the summary.
pub fn summarize_files(
    claims: &[std::path::PathBuf],
    articles: &[std::path::PathBuf],
    top: usize,
    report: &mut dyn FnMut(&crate::error::Error),
) -> crate::error::Result<(Summary, usize)> {
    let mut builder = SummaryBuilder::new();
    let mut failures = 0;
    for path in articles {
        failures += super::extras::read_jsonl::<ArticleRecord>(
            path,
            "article",
            &mut |a| builder.add_article(&a.article_id, &a.outlet, &a.title),
            report,
        )?;
    }
    for path in claims {
        failures += super::extras::read_jsonl::<ClaimRecord>(
            path,
            "claim",
            &mut |c| builder.add_claim(&c),
            report,
        )?;
    }
    Ok((builder.finish(top), failures))
}

/// A validated `claimtag summary` run.
#[derive(Debug, Clone)]
pub struct SummaryJob {
    /// Claim JSONL files (`-`: stdin).
    pub claims: Vec<std::path::PathBuf>,
    /// Article JSONL files.
    pub articles: Vec<std::path::PathBuf>,
    /// The summary table (`None`: stdout).
    pub output: Option<std::path::PathBuf>,
    /// The sources table (`None`: not written).
    pub sources: Option<std::path::PathBuf>,
    pub format: super::Format,
    pub top: usize,
    pub csv: super::CsvOptions,
    pub datapackage: bool,
}

impl SummaryJob {
    /// The record files the job writes.
    pub fn written(&self) -> Vec<super::Written> {
        use super::datapackage::Table;
        let mut out = vec![super::Written::new(
            self.output.clone(),
            self.format,
            Table::Summary,
        )];
        if self.sources.is_some() {
            out.push(super::Written::new(
                self.sources.clone(),
                self.format,
                Table::Sources,
            ));
        }
        out
    }

    /// Reads, summarises and writes; returns the number of bad input lines.
    pub fn run(&self, report: &mut dyn FnMut(&crate::error::Error)) -> crate::error::Result<usize> {
        let (summary, failures) = summarize_files(&self.claims, &self.articles, self.top, report)?;
        super::extras::write_summary(
            &summary,
            self.output.as_deref(),
            self.sources.as_deref(),
            self.format,
            self.csv,
        )?;
        if self.datapackage {
            let (dir, files) = super::extras::package_files(&self.written())?;
            super::datapackage::write(&dir, &files, self.csv)?;
        }
        Ok(failures)
    }
}

/// Where the sources table goes when the summary goes to `path`:
/// `summary.csv` gives `summary-sources.csv`.
pub fn sources_path(path: &std::path::Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "summary".into());
    let name = match path.extension() {
        Some(ext) => format!("{stem}-sources.{}", ext.to_string_lossy()),
        None => format!("{stem}-sources"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(article: &str, t: SourceType, q: QuoteType, source: &str, role: &str) -> ClaimRecord {
        ClaimRecord {
            article_id: article.into(),
            claim_id: format!("{article}#0"),
            index: 0,
            paragraph: 0,
            sentence: 0,
            start: 0,
            end: 1,
            text: "x".into(),
            quote: String::new(),
            quote_type: q,
            source_type: t,
            source: source.into(),
            source_mention: String::new(),
            source_role: role.into(),
            cue: String::new(),
            confidence: 0.5,
            rule: "narrative/no_source".into(),
        }
    }

    #[test]
    fn rows_count_shares_quotes_and_sources_per_article_outlet_and_all() {
        use QuoteType::*;
        use SourceType::*;
        let mut b = SummaryBuilder::new();
        b.add_article("a", "Ledger", "A");
        b.add_article("b", "Ledger", "B");
        b.add_article("c", "Post", "C (no claims)");
        b.add_claim(&claim("a", OfficialStatement, Direct, "Ana Ruiz", "Mayor"));
        b.add_claim(&claim("a", OfficialStatement, Partial, "Ana Ruiz", ""));
        b.add_claim(&claim("a", ReporterObservation, None, "", ""));
        b.add_claim(&claim("b", MediaReport, Indirect, "Reuters", ""));
        b.add_claim(&claim("b", OfficialStatement, Direct, "Ana Ruiz", "Mayor"));
        b.add_claim(&claim("z", OtherSource, Direct, "a neighbour", ""));
        let s = b.finish(0);
        let levels: Vec<(Level, &str, &str)> = s
            .rows
            .iter()
            .map(|r| (r.level, r.article_id.as_str(), r.outlet.as_str()))
            .collect();
        assert_eq!(
            levels,
            [
                (Level::Article, "a", "Ledger"),
                (Level::Article, "b", "Ledger"),
                (Level::Article, "c", "Post"),
                (Level::Article, "z", ""),
                (Level::Outlet, "", ""),
                (Level::Outlet, "", "Ledger"),
                (Level::Outlet, "", "Post"),
                (Level::All, "", ""),
            ]
        );
        let a = &s.rows[0];
        assert_eq!(
            (a.n_claims, a.n_official_statement, a.n_direct_quotes),
            (3, 2, 1)
        );
        assert_eq!((a.n_partial_quotes, a.n_distinct_sources), (1, 1));
        assert_eq!(a.share_official_statement, 0.6667);
        assert_eq!(a.share_reporter_observation, 0.3333);
        assert_eq!(a.mean_confidence, 0.5);
        let c = &s.rows[2];
        assert_eq!(
            (c.n_claims, c.share_media_report, c.mean_confidence),
            (0, 0.0, 0.0)
        );
        let ledger = &s.rows[5];
        assert_eq!((ledger.n_articles, ledger.n_claims), (2, 5));
        assert_eq!(ledger.n_distinct_sources, 2);
        let all = &s.rows[7];
        assert_eq!(
            (all.n_articles, all.n_claims, all.n_direct_quotes),
            (4, 6, 3)
        );
        assert_eq!(all.share_official_statement, 0.5);

        let top: Vec<(usize, &str, SourceType, usize, usize)> = s
            .sources
            .iter()
            .map(|r| {
                (
                    r.rank,
                    r.source.as_str(),
                    r.source_type,
                    r.n_claims,
                    r.n_articles,
                )
            })
            .collect();
        assert_eq!(
            top,
            [
                (1, "Ana Ruiz", OfficialStatement, 3, 2),
                (2, "Reuters", MediaReport, 1, 1),
                (3, "a neighbour", OtherSource, 1, 1),
            ]
        );
        assert_eq!(s.sources[0].source_role, "Mayor");
        assert_eq!(s.sources[0].n_direct_quotes, 2);
        assert_eq!(s.sources[0].share_of_claims, 0.5);
    }

    #[test]
    fn top_keeps_the_sources_with_most_claims() {
        let mut b = SummaryBuilder::new();
        for (n, name) in ["x", "y", "y", "z", "z", "z"].iter().enumerate() {
            let mut c = claim("a", SourceType::OtherSource, QuoteType::None, name, "");
            c.index = n;
            b.add_claim(&c);
        }
        let s = b.finish(2);
        let names: Vec<&str> = s.sources.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(names, ["z", "y"]);
    }

    #[test]
    fn sources_path_sits_beside_the_summary() {
        use std::path::Path;
        assert_eq!(
            sources_path(Path::new("out/summary.csv")),
            Path::new("out/summary-sources.csv")
        );
        assert_eq!(sources_path(Path::new("s")), Path::new("s-sources"));
    }
}
