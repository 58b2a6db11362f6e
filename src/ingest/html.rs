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

/// Elements whose content is never body text ([`is_dropped`]).
#[cfg_attr(not(test), allow(dead_code))]
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

/// Elements that start and end a paragraph ([`is_block`]).
#[cfg_attr(not(test), allow(dead_code))]
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

/// The selectors [`parse_html`] uses, parsed once.
struct Selectors {
    /// `article`, `main`, `body`: where the body text is looked for.
    roots: [Selector; 3],
    h1: Selector,
    title: Selector,
    canonical: Selector,
    /// `meta[name="N"], meta[property="N"]` for each name [`parse_html`]
    /// reads, by name.
    metas: Vec<(&'static str, Selector)>,
}

/// The meta names read, in the order they are tried for each field.
const META_NAMES: &[&str] = &[
    "og:url",
    "og:site_name",
    "publisher",
    "article:published_time",
    "date",
    "pubdate",
    "author",
    "article:author",
];

fn selectors() -> &'static Selectors {
    static SELECTORS: std::sync::OnceLock<Selectors> = std::sync::OnceLock::new();
    SELECTORS.get_or_init(|| Selectors {
        roots: ["article", "main", "body"].map(selector),
        h1: selector("h1"),
        title: selector("title"),
        canonical: selector("link[rel=\"canonical\"]"),
        metas: META_NAMES
            .iter()
            .map(|name| {
                let css = format!("meta[name=\"{name}\"], meta[property=\"{name}\"]");
                (*name, selector(&css))
            })
            .collect(),
    })
}

/// An HTML file's bytes as an article.
pub fn parse_html(bytes: &[u8], id: &str, rel: &str) -> Result<Article> {
    let source = decode(bytes)?;
    let doc = Html::parse_document(source);
    let css = selectors();
    let root = css
        .roots
        .iter()
        .find_map(|selector| doc.select(selector).next())
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
        .select(&css.h1)
        .next()
        .or_else(|| doc.select(&css.h1).next())
        .map(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| doc.select(&css.title).next().map(text_of))
        .unwrap_or_default();
    let meta = |names: &[&str]| -> String {
        names
            .iter()
            .find_map(|name| {
                let (_, selector) = css
                    .metas
                    .iter()
                    .find(|(n, _)| n == name)
                    .expect("every meta name read is in META_NAMES");
                doc.select(selector)
                    .find_map(|m| m.value().attr("content"))
                    .map(collapse)
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or_default()
    };
    let url = {
        let canonical = doc
            .select(&css.canonical)
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
                if is_dropped(name) {
                    continue;
                }
                let block = is_block(name);
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

/// Whether `name` is one of [`DROPPED`] (a `match`, which the compiler
/// turns into a test of the length and a few comparisons).
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "figure"
            | "figcaption"
            | "form"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "button"
            | "select"
            | "textarea"
            | "object"
            | "h1"
            | "head"
            | "title"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
    )
}

/// Whether `name` is one of [`BLOCKS`].
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "dl"
            | "dt"
            | "dd"
            | "hr"
            | "br"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "caption"
            | "hgroup"
    )
}

/// Appends text, collapsing runs of HTML whitespace to one space. The text
/// is copied in stretches: a lone space between two other bytes, most
/// spaces of a text, is copied with them.
fn push_text(current: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // `text[start..at]` is still to be copied; it has no white space but
    // lone spaces.
    let mut start = 0;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        // All ASCII white space is at or below the space.
        if b > b' ' || !b.is_ascii_whitespace() {
            at += 1;
            continue;
        }
        // A space after a byte kept (not white space) and before one that
        // is not white space either stays as it is.
        if b == b' ' && at > start && bytes.get(at + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
            at += 1;
            continue;
        }
        // `at` is ASCII, so a char boundary.
        current.push_str(&text[start..at]);
        let run = bytes[at..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(bytes.len() - at);
        if !current.is_empty() && !current.ends_with(' ') {
            current.push(' ');
        }
        at += run;
        start = at;
    }
    current.push_str(&text[start..]);
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
    fn element_tests_agree_with_the_lists() {
        for name in DROPPED {
            assert!(is_dropped(name) && !is_block(name), "{name}");
        }
        for name in BLOCKS {
            assert!(is_block(name) && !is_dropped(name), "{name}");
        }
        for name in ["a", "span", "em", "img", "b", "h7", "", "P", "scripts"] {
            assert!(!is_dropped(name) && !is_block(name), "{name}");
        }
    }

    #[test]
    fn push_text_collapses_as_char_by_char() {
        fn by_char(current: &mut String, text: &str) {
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
        let texts = [
            "",
            " ",
            "a",
            " a ",
            "one  two\n\t three",
            "\r\n\x0cx\u{a0}y\u{2003} z",
            "“Núñez” 🎉  \n",
        ];
        for before in ["", "x", "x "] {
            for text in texts {
                for more in texts {
                    let (mut ours, mut expected) = (before.to_string(), before.to_string());
                    push_text(&mut ours, text);
                    push_text(&mut ours, more);
                    by_char(&mut expected, text);
                    by_char(&mut expected, more);
                    assert_eq!(ours, expected, "{before:?} {text:?} {more:?}");
                }
            }
        }
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
