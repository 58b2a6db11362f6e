//! The review report: one self-contained HTML file (inline CSS, JavaScript
//! and SVG, no network) where each article's text shows every claim
//! highlighted in its source type's colour.
//!
//! The articles and claims are embedded once as JSON; the script renders one
//! article at a time, so a report of thousands of articles opens as fast as
//! one of ten. Colours are the Okabe-Ito palette (readable with the common
//! colour-vision deficiencies), and each type also has its own underline
//! style, so the highlight never rests on colour alone. Hovering or focusing
//! (Tab) a claim shows its source, role, cue, quote type, rule and
//! confidence; charts show source-type shares per article and overall.

use serde::Serialize;

use super::records::{ArticleRecord, ClaimRecord};
use crate::model::SourceType;

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// The title of a report when none is given.
pub const DEFAULT_TITLE: &str = "claimtag review report";

/// The Okabe-Ito colours of the four source types, in [`SourceType::ALL`] order.
pub const COLORS: [&str; 4] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];

/// A claim as the script reads it: `[start, end, type, quote_type, source,
/// mention, role, cue, rule, confidence, quote]`, offsets in code points.
#[derive(Debug, Clone, Serialize)]
struct Claim(
    usize,
    usize,
    usize,
    usize,
    String,
    String,
    String,
    String,
    String,
    f64,
    String,
);

#[derive(Debug, Clone, Serialize)]
struct Article {
    id: String,
    title: String,
    outlet: String,
    published: String,
    url: String,
    text: String,
    claims: Vec<Claim>,
}

#[derive(Serialize)]
struct TypeInfo {
    key: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct Data<'a> {
    types: Vec<TypeInfo>,
    quote_types: [&'static str; 4],
    articles: &'a [Article],
}

/// Collects articles and their claims, then renders the report.
#[derive(Debug, Clone, Default)]
pub struct ReportBuilder {
    articles: Vec<Article>,
    counts: [usize; 4],
}

impl ReportBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an article with its claims (in order, offsets into its text).
    pub fn add(&mut self, article: &ArticleRecord, claims: &[ClaimRecord]) {
        let claims = claims
            .iter()
            .map(|c| {
                self.counts[c.source_type as usize] += 1;
                Claim(
                    c.start,
                    c.end,
                    c.source_type as usize,
                    c.quote_type as usize,
                    c.source.clone(),
                    c.source_mention.clone(),
                    c.source_role.clone(),
                    c.cue.clone(),
                    c.rule.clone(),
                    c.confidence,
                    c.quote.clone(),
                )
            })
            .collect();
        self.articles.push(Article {
            id: article.article_id.clone(),
            title: article.title.clone(),
            outlet: article.outlet.clone(),
            published: article.published.clone(),
            url: article.url.clone(),
            text: article.text.clone(),
            claims,
        });
    }

    /// Articles added so far.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The report as one HTML document.
    pub fn render(&self, title: &str) -> String {
        let data = Data {
            types: SourceType::ALL
                .iter()
                .map(|t| TypeInfo {
                    key: t.as_str(),
                    label: label(*t),
                })
                .collect(),
            quote_types: ["direct", "partial", "indirect", "none"],
            articles: &self.articles,
        };
        let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
        let n_claims: usize = self.counts.iter().sum();
        let title = escape_html(title);
        let mut legend = String::new();
        for (i, t) in SourceType::ALL.iter().enumerate() {
            legend.push_str(&format!(
                "<label><input type=\"checkbox\" checked data-type=\"{i}\"> \
                 <span class=\"swatch t{i}\" aria-hidden=\"true\"></span> {}</label>\n",
                escape_html(label(*t))
            ));
        }
        let mut filter = String::from("<option value=\"\">all articles</option>");
        for (i, t) in SourceType::ALL.iter().enumerate() {
            filter.push_str(&format!(
                "<option value=\"{i}\">with {} claims</option>",
                escape_html(label(*t))
            ));
        }
        format!(
            r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="claimtag {version}">
<title>{title}</title>
<style>
{CSS}</style>
</head>
<body>
<header class="top">
<div class="intro">
<h1>{title}</h1>
<p class="stats">{n_articles} articles · {n_claims} claims · hover or Tab to a claim for its source, cue and rule</p>
<fieldset class="legend">
<legend>Source types (uncheck to hide their highlight)</legend>
{legend}</fieldset>
</div>
<figure class="overall">
<figcaption>All claims</figcaption>
{chart}
</figure>
</header>
<div class="layout">
<nav class="articles" aria-label="Articles">
<div class="tools">
<input id="search" type="search" placeholder="Filter by title, id or outlet" aria-label="Filter articles">
<select id="list-filter" aria-label="Show articles">{filter}</select>
<span id="shown" class="count"></span>
</div>
<ul id="list"></ul>
</nav>
<main id="main" tabindex="-1"><noscript><p>This report needs JavaScript to show the articles.</p></noscript></main>
</div>
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="claimtag-data">{data}</script>
<script>
{JS}</script>
</body>
</html>
"#,
            version = env!("CARGO_PKG_VERSION"),
            n_articles = self.articles.len(),
            chart = bar_chart(&self.counts, "Source types of all claims"),
            data = escape_script_json(&json),
        )
    }
}

/// A validated `claimtag report --claims ... --articles ...` run.
#[derive(Debug, Clone)]
pub struct ReportJob {
    pub claims: Vec<std::path::PathBuf>,
    pub articles: Vec<std::path::PathBuf>,
    /// The HTML file (`None`: stdout).
    pub output: Option<std::path::PathBuf>,
    pub title: String,
}

impl ReportJob {
    /// Reads, renders and writes; returns the number of problems reported.
    pub fn run(&self, report: &mut dyn FnMut(&crate::error::Error)) -> crate::error::Result<usize> {
        let (builder, failures) = report_from_files(&self.claims, &self.articles, report)?;
        super::extras::write_text(self.output.as_deref(), &builder.render(&self.title))?;
        Ok(failures)
    }
}

/// The report of claim JSONL and the article JSONL that holds their texts
/// (`claimtag report --claims ... --articles ...`), in the order of the
/// articles. A claim whose offsets do not give its text in its article (files
/// of different runs), that overlaps the claim before it, or whose article is
/// missing is reported and left out; the count of such problems is returned.
pub fn report_from_files(
    claims: &[std::path::PathBuf],
    articles: &[std::path::PathBuf],
    report: &mut dyn FnMut(&crate::error::Error),
) -> crate::error::Result<(ReportBuilder, usize)> {
    use crate::error::{Error, ErrorKind};
    use indexmap::IndexMap;

    let mut failures = 0;
    let mut texts: Vec<ArticleRecord> = Vec::new();
    for path in articles {
        failures += super::extras::read_jsonl::<ArticleRecord>(
            path,
            "article",
            &mut |a| texts.push(a),
            report,
        )?;
    }
    let mut by_article: IndexMap<String, Vec<ClaimRecord>> = IndexMap::new();
    for path in claims {
        failures += super::extras::read_jsonl::<ClaimRecord>(
            path,
            "claim",
            &mut |c| by_article.entry(c.article_id.clone()).or_default().push(c),
            report,
        )?;
    }
    let mut builder = ReportBuilder::new();
    for article in &texts {
        let mut claims = by_article
            .shift_remove(&article.article_id)
            .unwrap_or_default();
        claims.sort_by_key(|c| (c.start, c.index));
        let chars: Vec<(usize, char)> = article.text.char_indices().collect();
        let byte = |cp: usize| chars.get(cp).map_or(article.text.len(), |(b, _)| *b);
        let mut kept = Vec::with_capacity(claims.len());
        let mut end = 0;
        for c in claims {
            let fits = c.start < c.end
                && c.end <= chars.len()
                && c.start >= end
                && article.text[byte(c.start)..byte(c.end)] == c.text;
            if fits {
                end = c.end;
                kept.push(c);
            } else {
                failures += 1;
                report(&Error::new(
                    ErrorKind::Format,
                    format!(
                        "claim {}: text[{}:{}] of article {} is not the claim's text, or overlaps the claim before (claims and articles of different runs?); left out",
                        c.claim_id, c.start, c.end, c.article_id
                    ),
                ));
            }
        }
        builder.add(article, &kept);
    }
    for (id, claims) in by_article {
        failures += 1;
        report(&Error::new(
            ErrorKind::Format,
            format!(
                "{} claims of article {id}, which no --articles file holds; left out",
                claims.len()
            ),
        ));
    }
    Ok((builder, failures))
}

/// A source type as the legend writes it.
pub fn label(t: SourceType) -> &'static str {
    match t {
        SourceType::OfficialStatement => "official statement",
        SourceType::MediaReport => "media report",
        SourceType::ReporterObservation => "reporter observation",
        SourceType::OtherSource => "other source",
    }
}

/// Horizontal bars of source-type shares as inline SVG (the script draws the
/// per-article charts the same way).
pub fn bar_chart(counts: &[usize; 4], caption: &str) -> String {
    let total: usize = counts.iter().sum();
    let (row_h, label_w, bar_w) = (20, 140, 180);
    let width = label_w + bar_w + 80;
    let height = row_h * 4 + 4;
    let caption = escape_html(caption);
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{caption}\"><title>{caption}</title>"
    );
    for (i, (t, &n)) in SourceType::ALL.iter().zip(counts).enumerate() {
        let y = i * row_h + 2;
        let w = if total == 0 {
            0.0
        } else {
            bar_w as f64 * n as f64 / total as f64
        };
        let pct = if total == 0 {
            0.0
        } else {
            (1000.0 * n as f64 / total as f64).round() / 10.0
        };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" class=\"label\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{ry}\" width=\"{bar_w}\" height=\"13\" class=\"track\"/>\
             <rect x=\"{label_w}\" y=\"{ry}\" width=\"{w:.1}\" height=\"13\" class=\"f{i}\" fill=\"{color}\"/>\
             <text x=\"{vx}\" y=\"{ty}\">{pct}% ({n})</text>",
            ty = y + 13,
            ry = y + 2,
            label = escape_html(label(*t)),
            color = COLORS[i],
            vx = label_w + bar_w + 6,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// JSON made safe inside `<script>`: `<`, `>` and `&` (so no `</script>` or
/// `<!--` can end or confuse the element) and the line separators U+2028 and
/// U+2029 become `\u` escapes, which JSON reads back as the same characters.
pub fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QuoteType;

    fn article(text: &str) -> ArticleRecord {
        ArticleRecord {
            article_id: "a<1>".into(),
            source_file: String::new(),
            title: "</title><script>alert(1)</script>".into(),
            outlet: "O & Co".into(),
            published: String::new(),
            url: "javascript:alert(1)".into(),
            byline: String::new(),
            extra: Default::default(),
            text: text.into(),
            n_claims: 1,
            n_official_statement: 0,
            n_media_report: 1,
            n_reporter_observation: 0,
            n_other_source: 0,
        }
    }

    fn claim(text: &str) -> ClaimRecord {
        ClaimRecord {
            article_id: "a<1>".into(),
            claim_id: "a<1>#0".into(),
            index: 0,
            paragraph: 0,
            sentence: 0,
            start: 0,
            end: text.chars().count(),
            text: text.into(),
            quote: String::new(),
            quote_type: QuoteType::Indirect,
            source_type: SourceType::MediaReport,
            source: "</script><b>".into(),
            source_mention: String::new(),
            source_role: String::new(),
            cue: "reported".into(),
            confidence: 0.9,
            rule: "speech_cue/media_outlet".into(),
        }
    }

    #[test]
    fn embedded_text_cannot_close_the_script_or_inject_markup() {
        let text = "The Ledger reported </script><script>alert(1)</script> <!-- x \u{2028}.";
        let mut b = ReportBuilder::new();
        b.add(&article(text), &[claim(text)]);
        let html = b.render("Report <b>&</b>");
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the two real ends"
        );
        assert_eq!(html.matches("<script").count(), 2);
        assert!(!html.contains("<!-- x"));
        assert!(html.contains("<title>Report &lt;b&gt;&amp;&lt;/b&gt;</title>"));
        // The JSON reads back to the same text.
        let start = html.find("id=\"claimtag-data\">").unwrap() + "id=\"claimtag-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(data["articles"][0]["text"], text);
        assert_eq!(
            data["articles"][0]["title"],
            "</title><script>alert(1)</script>"
        );
        assert_eq!(data["articles"][0]["claims"][0][4], "</script><b>");
        assert_eq!(data["articles"][0]["claims"][0][2], 1);
    }

    #[test]
    fn the_page_needs_no_network() {
        let mut b = ReportBuilder::new();
        b.add(&article("x"), &[claim("x")]);
        let html = b.render("r");
        for needle in ["src=", "http://", "https://", "@import", "url("] {
            let outside_svg_ns = html.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !outside_svg_ns.contains(needle),
                "the report refers to {needle}"
            );
        }
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn assets_cannot_end_their_elements() {
        assert!(!JS.contains("</"), "report.js must not contain `</`");
        assert!(!CSS.contains("</"), "report.css must not contain `</`");
    }

    #[test]
    fn chart_has_one_bar_per_type_with_shares() {
        let svg = bar_chart(&[1, 1, 2, 0], "c");
        assert_eq!(svg.matches("class=\"track\"").count(), 4);
        assert!(svg.contains("25% (1)"));
        assert!(svg.contains("50% (2)"));
        assert!(svg.contains("0% (0)"));
        assert!(bar_chart(&[0; 4], "c").contains("0% (0)"));
    }
}
