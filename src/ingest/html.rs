//! HTML pages: the article's main text, extracted with a real HTML parser.
//!
//! The body is the first `<article>` (else `<main>`, else `<body>`), without
//! scripts, navigation, headers, footers, asides, figures and forms, and
//! without the `<h1>` (it is the title). Block elements make paragraphs, which
//! are joined by a blank line; whitespace inside a paragraph collapses to one
//! space. Entities are decoded by the parser.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::text::decode;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Article;

/// Elements whose content is never body text.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "textarea",
    "object",
    "h1",
    "head",
    "title",
    "canvas",
    "video",
    "audio",
    "picture",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "dl",
    "dt",
    "dd",
    "hr",
    "br",
    "address",
    "center",
    "details",
    "summary",
    "body",
    "html",
    "caption",
    "hgroup",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector is valid")
}

/// An HTML file's bytes as an article.
pub fn parse_html(bytes: &[u8], id: &str, rel: &str) -> Result<Article> {
    let source = decode(bytes)?;
    let doc = Html::parse_document(source);
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|css| doc.select(&selector(css)).next())
        .unwrap_or_else(|| doc.root_element());

    let mut paragraphs = Vec::new();
    let mut current = String::new();
    collect(*root, &mut paragraphs, &mut current);
    flush(&mut paragraphs, &mut current);
    if paragraphs.is_empty() {
        return Err(Error::new(
            ErrorKind::Empty,
            "the page has no body text in <article>, <main> or <body>",
        ));
    }

    let text_of = |el: ElementRef| collapse(&el.text().collect::<String>());
    let title = root
        .select(&selector("h1"))
        .next()
        .or_else(|| doc.select(&selector("h1")).next())
        .map(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| doc.select(&selector("title")).next().map(text_of))
        .unwrap_or_default();
    let meta = |names: &[&str]| -> String {
        names
            .iter()
            .find_map(|name| {
                let css = format!("meta[name=\"{name}\"], meta[property=\"{name}\"]");
                doc.select(&selector(&css))
                    .find_map(|m| m.value().attr("content"))
                    .map(collapse)
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or_default()
    };
    let url = {
        let canonical = doc
            .select(&selector("link[rel=\"canonical\"]"))
            .find_map(|l| l.value().attr("href"))
            .map(collapse)
            .unwrap_or_default();
        if canonical.is_empty() {
            meta(&["og:url"])
        } else {
            canonical
        }
    };
    Ok(Article {
        id: id.to_string(),
        source_file: rel.to_string(),
        title,
        outlet: meta(&["og:site_name", "publisher"]),
        published: meta(&["article:published_time", "date", "pubdate"]),
        url,
        byline: meta(&["author", "article:author"]),
        text: paragraphs.join("\n\n"),
        ..Article::default()
    })
}

fn collect(node: NodeRef<'_, Node>, paragraphs: &mut Vec<String>, current: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => push_text(current, text),
            Node::Element(el) => {
                let name = el.name();
                if DROPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(paragraphs, current);
                }
                collect(child, paragraphs, current);
                if block {
                    flush(paragraphs, current);
                }
            }
            _ => {}
        }
    }
}

/// Appends text, collapsing runs of HTML whitespace to one space.
fn push_text(current: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !current.is_empty() && !current.ends_with(' ') {
                current.push(' ');
            }
        } else {
            current.push(c);
        }
    }
}

fn flush(paragraphs: &mut Vec<String>, current: &mut String) {
    let paragraph = current.trim_matches(|c: char| c.is_ascii_whitespace());
    if !paragraph.is_empty() {
        paragraphs.push(paragraph.to_string());
    }
    current.clear();
}

fn collapse(text: &str) -> String {
    let mut out = String::new();
    push_text(&mut out, text);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Site | Story</title>
<meta name="author" content="Ana  Díaz"><meta property="og:site_name" content="The Ledger">
<script>var x = "<p>no</p>";</script></head><body><nav><a>Home</a></nav>
<header>Masthead</header><article><h1>Bridge  closed</h1>
<p>The county   said the bridge
 would stay closed.</p><figure><img><figcaption>Photo: A. Díaz</figcaption></figure>
<p>&ldquo;It&#8217;s unsafe,&rdquo; she said &amp; left.<br>Next line.</p>
<aside>Related</aside><ul><li>One item.</li></ul><form>Subscribe</form></article>
<footer>© 2026</footer></body></html>"#;

    #[test]
    fn extracts_the_article_body() {
        let a = parse_html(PAGE.as_bytes(), "page", "page.html").unwrap();
        assert_eq!(
            a.text,
            "The county said the bridge would stay closed.\n\n\u{201c}It\u{2019}s unsafe,\u{201d} she said & left.\n\nNext line.\n\nOne item."
        );
        assert_eq!(a.title, "Bridge closed");
        assert_eq!(a.byline, "Ana Díaz");
        assert_eq!(a.outlet, "The Ledger");
    }

    #[test]
    fn falls_back_to_body_and_title_tag() {
        let a = parse_html(
            b"<html><head><title>T</title></head><body><p>Hi there.</p></body></html>",
            "p",
            "",
        )
        .unwrap();
        assert_eq!(a.text, "Hi there.");
        assert_eq!(a.title, "T");
    }

    #[test]
    fn a_page_without_text_is_an_error() {
        let err = parse_html(b"<html><body><nav>x</nav></body></html>", "p", "").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Empty);
    }
}
