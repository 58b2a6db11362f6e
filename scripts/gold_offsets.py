#!/usr/bin/env python3
"""Fill `start`/`end` in the gold claim files of claimtag's dev set.

Every data/gold/<article_id>.jsonl holds one claim per line, in article order.
For each claim this script finds its `text` in the article text, searching
forward from the end of the previous claim, and writes the code-point offsets
(`start` inclusive, `end` exclusive, what Python's str slicing uses) back into
the file, so that `article_text[start:end] == claim["text"]` holds.

Where the article text comes from:

* `--articles FILE`: a JSONL file of {"article_id": ..., "text": ...} objects,
  e.g. what `claimtag annotate --articles FILE` emits. Every article, HTML
  included, is then taken from that file.
* otherwise the text is computed here from the files under `--articles-dir`,
  following ANNOTATION_GUIDE.md section 1: UTF-8, BOM stripped, CRLF/CR turned
  into LF, the front matter block (a first line of exactly `---`, key: value
  lines, a line of exactly `---`) removed from .txt/.md, nothing else changed.
  Each line of a .jsonl file is one article object with `id` and `text`.
  HTML articles are skipped with a warning (their body text depends on the
  HTML extraction; fill them with `--articles`).

Lines are rewritten with keys in the order article_id, start, end, text,
source_type, source, source_role, cue, quote_type, quote (any other keys
follow in their original order), as UTF-8 JSON with ensure_ascii=False.

A claim text that cannot be found, a gold file without an article, or a
malformed gold line is an error: the script names the file, line and claim,
leaves that gold file untouched, carries on with the others and exits 1.

Usage:
    python3 scripts/gold_offsets.py [--gold DIR] [--articles-dir DIR]
                                    [--articles FILE] [--check] [GOLD_FILE ...]

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KEY_ORDER = [
    "article_id",
    "start",
    "end",
    "text",
    "source_type",
    "source",
    "source_role",
    "cue",
    "quote_type",
    "quote",
]

TEXT_EXTS = {".txt", ".md"}
HTML_EXTS = {".html", ".htm"}
JSONL_EXTS = {".jsonl"}


class GoldError(Exception):
    """An error in one gold file; reported with its location."""


def warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def normalize_newlines(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


def strip_bom(s: str) -> str:
    return s[1:] if s.startswith("\ufeff") else s


def split_front_matter(s: str) -> tuple[dict[str, str], str]:
    """Split a `---` front matter block off the start of a normalised text.

    The block is a first line of exactly `---`, then `key: value` lines, then
    a line of exactly `---`. The body is everything after that closing line's
    newline, unchanged (no trimming). Without a closing line there is no front
    matter and the whole text is the body.
    """
    lines = s.split("\n")
    if not lines or lines[0] != "---":
        return {}, s
    for i in range(1, len(lines)):
        if lines[i] == "---":
            meta: dict[str, str] = {}
            for line in lines[1:i]:
                if ":" in line:
                    key, _, value = line.partition(":")
                    value = value.strip()
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                        value = value[1:-1]
                    meta[key.strip()] = value
            body = "\n".join(lines[i + 1 :])
            return meta, body
    return {}, s


def rel_id(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


def load_articles_dir(root: Path) -> tuple[dict[str, str], dict[str, Path]]:
    """Article texts computed from files; HTML articles are returned apart."""
    texts: dict[str, str] = {}
    html: dict[str, Path] = {}
    origin: dict[str, Path] = {}

    def add(article_id: str, text: str, path: Path) -> None:
        if article_id in origin:
            raise SystemExit(
                f"error: article id {article_id!r} defined twice: "
                f"{origin[article_id]} and {path}"
            )
        origin[article_id] = path
        texts[article_id] = text

    if not root.is_dir():
        raise SystemExit(f"error: articles directory not found: {root}")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        ext = path.suffix.lower()
        if ext in HTML_EXTS:
            html[rel_id(path, root)] = path
            continue
        if ext not in TEXT_EXTS | JSONL_EXTS:
            continue
        try:
            raw = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            raise SystemExit(f"error: {path}: not valid UTF-8: {e}")
        raw = normalize_newlines(strip_bom(raw))
        if ext in TEXT_EXTS:
            meta, body = split_front_matter(raw)
            article_id = meta.get("id") or rel_id(path, root)
            add(article_id, body, path)
        else:
            for lineno, line in enumerate(raw.split("\n"), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SystemExit(f"error: {path}:{lineno}: invalid JSON: {e}")
                if not isinstance(obj, dict) or not obj.get("id"):
                    raise SystemExit(f"error: {path}:{lineno}: article object without `id`")
                text = obj.get("text")
                if not isinstance(text, str):
                    raise SystemExit(f"error: {path}:{lineno}: article without string `text`")
                add(str(obj["id"]), normalize_newlines(strip_bom(text)), path)
    return texts, html


def load_articles_file(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise SystemExit(f"error: cannot read {path}: {e}")
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise SystemExit(f"error: {path}:{lineno}: invalid JSON: {e}")
        if not isinstance(obj, dict):
            raise SystemExit(f"error: {path}:{lineno}: not a JSON object")
        article_id = obj.get("article_id", obj.get("id"))
        text = obj.get("text")
        if not article_id or not isinstance(text, str):
            raise SystemExit(f"error: {path}:{lineno}: needs `article_id` and string `text`")
        if article_id in texts:
            raise SystemExit(f"error: {path}:{lineno}: article {article_id!r} appears twice")
        texts[str(article_id)] = text
    return texts


def ordered(claim: dict) -> dict:
    out = {k: claim[k] for k in KEY_ORDER if k in claim}
    for k, v in claim.items():
        if k not in out:
            out[k] = v
    return out


def short(s: str, n: int = 80) -> str:
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[: n - 1] + "…"


def fill_file(gold_path: Path, article_id: str, text: str) -> list[dict]:
    """Return the file's claims with offsets filled; raise GoldError on a problem."""
    claims: list[tuple[int, dict]] = []
    raw = gold_path.read_text(encoding="utf-8-sig")
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            claim = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{gold_path}:{lineno}: invalid JSON: {e}")
        if not isinstance(claim, dict):
            raise GoldError(f"{gold_path}:{lineno}: not a JSON object")
        claims.append((lineno, claim))

    out: list[dict] = []
    pos = 0
    for n, (lineno, claim) in enumerate(claims):
        where = f"{gold_path}:{lineno} (claim {n})"
        ctext = claim.get("text")
        if not isinstance(ctext, str) or not ctext:
            raise GoldError(f"{where}: claim has no `text`")
        cid = claim.get("article_id")
        if cid is not None and cid != article_id:
            raise GoldError(f"{where}: article_id {cid!r} does not match file name ({article_id!r})")
        if ctext != ctext.strip():
            raise GoldError(f"{where}: claim text has leading/trailing whitespace: {short(ctext)!r}")
        start = text.find(ctext, pos)
        if start < 0:
            earlier = text.find(ctext)
            hint = (
                f" (it occurs at {earlier}, before the previous claim's end {pos}: claims out of order or overlapping?)"
                if earlier >= 0
                else ""
            )
            raise GoldError(f"{where}: claim text not found in article {article_id!r}{hint}: {short(ctext)!r}")
        end = start + len(ctext)
        assert text[start:end] == ctext
        claim = dict(claim)
        claim["article_id"] = article_id
        claim["start"] = start
        claim["end"] = end
        out.append(ordered(claim))
        pos = end
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default="data/gold", type=Path, help="gold directory (default data/gold)")
    ap.add_argument(
        "--articles-dir", default="data/articles", type=Path, help="articles directory (default data/articles)"
    )
    ap.add_argument(
        "--articles",
        type=Path,
        help="JSONL of {article_id, text} objects (e.g. from `claimtag annotate --articles FILE`); "
        "used instead of reading --articles-dir",
    )
    ap.add_argument("--check", action="store_true", help="verify only, do not rewrite files")
    ap.add_argument("files", nargs="*", type=Path, help="only these gold files (default: all in --gold)")
    args = ap.parse_args(argv)

    html: dict[str, Path] = {}
    if args.articles:
        texts = load_articles_file(args.articles)
    else:
        texts, html = load_articles_dir(args.articles_dir)

    if args.files:
        gold_files = args.files
    else:
        if not args.gold.is_dir():
            print(f"error: gold directory not found: {args.gold}", file=sys.stderr)
            return 1
        gold_files = sorted(args.gold.rglob("*.jsonl"))

    failed = 0
    filled = skipped = 0
    n_claims = 0
    for gold_path in gold_files:
        try:
            article_id = gold_path.resolve().relative_to(args.gold.resolve()).with_suffix("").as_posix()
        except ValueError:
            article_id = gold_path.stem
        if article_id not in texts:
            if article_id in html:
                warn(f"{gold_path}: article {html[article_id]} is HTML; skipped (fill it with --articles FILE)")
                skipped += 1
                continue
            print(f"error: {gold_path}: no article with id {article_id!r}", file=sys.stderr)
            failed += 1
            continue
        try:
            claims = fill_file(gold_path, article_id, texts[article_id])
        except (GoldError, OSError, UnicodeDecodeError) as e:
            print(f"error: {e}", file=sys.stderr)
            failed += 1
            continue
        n_claims += len(claims)
        filled += 1
        if not args.check:
            body = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in claims)
            tmp = gold_path.with_name(gold_path.name + ".tmp")
            tmp.write_text(body, encoding="utf-8", newline="\n")
            tmp.replace(gold_path)

    verb = "checked" if args.check else "filled"
    print(
        f"{verb} {n_claims} claims in {filled} gold files; {skipped} HTML skipped; {failed} failed",
        file=sys.stderr,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
