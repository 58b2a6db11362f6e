#!/usr/bin/env bash
# Browser test of the HTML review report: builds claimtag, writes the report
# of data/articles, opens it in Debian's headless Chromium and checks, on the
# DOM the page's script built:
#   - #all (every article rendered): one article element per article, and per
#     article as many highlighted claims as claims.jsonl holds, each showing
#     exactly its claim's text, in its source type's colour class;
#   - #article=0 (the default lazy view): one article rendered, with as many
#     highlighted claims as it has claims;
# then saves a screenshot with a claim's tooltip showing.
#
#   scripts/check_report.sh                 # screenshot in target/report-check/
#   scripts/check_report.sh --update-docs   # screenshot to docs/report.png
#
# Needs /usr/bin/chromium (apt-get install -y chromium) and python3.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "check_report: $chromium not found: apt-get install -y chromium" >&2
    exit 1
fi

target_dir=${CARGO_TARGET_DIR:-target}
work="$target_dir/report-check"
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
screenshot="$work/report.png"
if [ "${1:-}" = "--update-docs" ]; then
    screenshot="$PWD/docs/report.png"
fi

cargo build --quiet --locked
bin="$target_dir/debug/claimtag"

"$bin" annotate data/articles -q -o "$work/claims.jsonl" --articles "$work/articles.jsonl"
"$bin" report data/articles -q -o "$work/report.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# chrome URL [flags...]: headless Chromium, no network, a fresh profile.
chrome() {
    local url=$1
    shift
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-quic --no-first-run --user-data-dir="$profile" \
        --virtual-time-budget=10000 "$@" "$url" 2>"$work/chromium.log"
}

chrome "file://$work/report.html#all" --dump-dom >"$work/all.html"
chrome "file://$work/report.html" --dump-dom >"$work/first.html"

python3 - "$work" <<'EOF'
import html.parser
import json
import sys
from collections import defaultdict

work = sys.argv[1]
TYPES = ["official_statement", "media_report", "reporter_observation", "other_source"]


class Dom(html.parser.HTMLParser):
    """Articles rendered by the report's script, with their highlighted claims."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.articles = []  # (article_id, n_claims attr, [(type class, text)])
        self.mark = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "article" and "doc" in classes:
            self.articles.append((a["data-article-id"], int(a["data-n-claims"]), []))
        elif tag == "mark" and "claim" in classes:
            kind = [c for c in classes if c.startswith("t") and c[1:].isdigit()]
            self.mark = [kind[0] if kind else "", ""]
        elif self.mark is not None:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.mark is None:
            return
        if tag == "mark" and self.depth == 0:
            self.articles[-1][2].append(tuple(self.mark))
            self.mark = None
        elif self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.mark is not None:
            self.mark[1] += data


def parse(name):
    dom = Dom()
    with open(f"{work}/{name}", encoding="utf-8") as f:
        dom.feed(f.read())
    return dom.articles


claims = defaultdict(list)
with open(f"{work}/claims.jsonl", encoding="utf-8") as f:
    for line in f:
        c = json.loads(line)
        claims[c["article_id"]].append(c)
with open(f"{work}/articles.jsonl", encoding="utf-8") as f:
    order = [json.loads(line)["article_id"] for line in f]

problems = []
everything = parse("all.html")
if [a[0] for a in everything] != order:
    problems.append(f"#all rendered {len(everything)} articles, expected {len(order)} in input order")
n_marks = 0
for article_id, n_attr, marks in everything:
    expected = claims.get(article_id, [])
    n_marks += len(marks)
    if len(marks) != len(expected) or n_attr != len(expected):
        problems.append(f"{article_id}: {len(marks)} highlighted spans, {len(expected)} claims")
        continue
    for mark, c in zip(marks, expected):
        if mark[1] != c["text"]:
            problems.append(f"{c['claim_id']}: highlighted {mark[1]!r}, claim text {c['text']!r}")
        if mark[0] != f"t{TYPES.index(c['source_type'])}":
            problems.append(f"{c['claim_id']}: class {mark[0]}, source type {c['source_type']}")

first = parse("first.html")
if len(first) != 1:
    problems.append(f"the default view rendered {len(first)} articles, expected 1")
else:
    article_id, _, marks = first[0]
    if article_id != order[0] or len(marks) != len(claims.get(order[0], [])):
        problems.append(f"default view: {article_id} with {len(marks)} highlighted spans")

total = sum(len(v) for v in claims.values())
print(f"check_report: {len(everything)} articles, {n_marks} highlighted spans, {total} claims; "
      f"first article {order[0]}: {len(first[0][2]) if first else 0} spans")
if problems:
    print("\n".join(problems[:30]), file=sys.stderr)
    sys.exit(1)
EOF

# A screenshot of the first article with one claim focused (its tooltip shows).
chrome "file://$work/report.html#article=0&claim=2" --window-size=1200,880 \
    --hide-scrollbars --screenshot="$screenshot" >/dev/null
if [ ! -s "$screenshot" ]; then
    echo "check_report: no screenshot written" >&2
    exit 1
fi
echo "check_report: screenshot $screenshot ($(wc -c <"$screenshot") bytes)"
echo "check_report: ok"
