#!/usr/bin/env bash
# End-to-end figures for docs/performance.md: builds claimtag and the
# benchmark programs (release), generates the 50 MB and 500 MB corpora (seed
# 1, each with the 20 MB article) under /tmp if they are not there yet, and
# runs examples/bench_e2e on each: output to a JSONL file, then to /dev/null.
#
#   bench/e2e.sh [SIZE...]        # default: 50MB 500MB
#
# Environment: CARGO_TARGET_DIR (default target/), CORPORA (default /tmp),
# REPEAT (runs per row, default 3), RESULTS (default /tmp/claimtag-bench).
# Needs about 3 GB free in /tmp for the 500 MB corpus and its output. Run it
# on an otherwise idle machine: the load average is printed with the figures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET=${CARGO_TARGET_DIR:-target}
CORPORA=${CORPORA:-/tmp}
REPEAT=${REPEAT:-3}
RESULTS=${RESULTS:-/tmp/claimtag-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50MB 500MB)

cargo build --release --quiet --bin claimtag --example gen_corpus --example bench_e2e
mkdir -p "$RESULTS"
for size in "${sizes[@]}"; do
    corpus="$CORPORA/claimtag-corpus-$size"
    if [ ! -f "$corpus/MANIFEST" ]; then
        rm -rf "$corpus"
        "$TARGET/release/examples/gen_corpus" --out "$corpus" --size "$size" --seed 1
    fi
    for sink in file null; do
        echo "==> $size, output to $sink" >&2
        "$TARGET/release/examples/bench_e2e" --corpus "$corpus" --repeat "$REPEAT" \
            --sink "$sink" --json "$RESULTS/e2e-$size-$sink.json" | tee "$RESULTS/e2e-$size-$sink.txt"
    done
done
echo "results in $RESULTS" >&2
