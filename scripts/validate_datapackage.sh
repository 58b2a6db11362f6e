#!/usr/bin/env bash
# Validates claimtag's `--datapackage` output with frictionless-py (the
# reference implementation of Frictionless Data): every CSV against its Table
# Schema (types, enums, required values, primary and foreign keys), for the
# default CSV, for `--excel --delimiter ';'` and for `claimtag summary`; then
# checks that a broken value (an unknown source type) is caught. Not part of
# CI (it needs PyPI); run it by hand:
#
#   scripts/validate_datapackage.sh
#
# frictionless is installed into a virtualenv under /tmp ($VENV to change it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=${VENV:-/tmp/claimtag-frictionless}
if [ ! -x "$venv/bin/frictionless" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "frictionless>=5,<6"
fi
echo "validate_datapackage: $("$venv/bin/frictionless" --version 2>/dev/null | tail -1 || true) in $venv"

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --quiet --locked
bin="$PWD/$target_dir/debug/claimtag"
[ -x "$bin" ] || bin="$target_dir/debug/claimtag"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A hostile article beside the samples: formula-like cells, non-ASCII text.
cat >"$work/hostile.jsonl" <<'EOF'
{"id": "hostile", "title": "=HYPERLINK(\"http://example.invalid\")", "outlet": "@Ledger", "text": "=1+1 The mayor said the bridge would close.\n\n-40 degrees hit Tromsø, Mayor Åsa Øberg said.\n\n+Crews worked in the “old town”, police said. 🎉"}
EOF

validate() {
    local dir=$1
    if "$venv/bin/frictionless" validate --json "$dir/datapackage.json" >"$dir/report.json"; then
        python3 - "$dir/report.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for task in report["tasks"]:
    print(f"    {task['name']:16} {task['stats'].get('rows', '?'):>5} rows  "
          f"{task['stats'].get('fields', '?'):>3} fields  {'valid' if task['valid'] else 'INVALID'}")
EOF
    else
        "$venv/bin/frictionless" validate "$dir/datapackage.json" || true
        echo "validate_datapackage: $dir/datapackage.json is INVALID" >&2
        exit 1
    fi
}

echo "1. annotate -o claims.csv --articles articles.csv --summary summary.csv --datapackage"
mkdir -p "$work/plain"
"$bin" annotate data/articles "$work/hostile.jsonl" -q --datapackage \
    -o "$work/plain/claims.csv" --articles "$work/plain/articles.csv" --summary "$work/plain/summary.csv"
validate "$work/plain"

echo "2. the same with --excel --delimiter ';'"
mkdir -p "$work/excel"
"$bin" annotate data/articles "$work/hostile.jsonl" -q --datapackage --excel --delimiter ';' \
    -o "$work/excel/claims.csv" --articles "$work/excel/articles.csv" --summary "$work/excel/summary.csv"
validate "$work/excel"

echo "3. claimtag summary claims.jsonl --articles articles.jsonl -o summary.csv --datapackage"
mkdir -p "$work/summary"
"$bin" annotate data/articles -q -o "$work/claims.jsonl" --articles "$work/articles.jsonl"
"$bin" summary "$work/claims.jsonl" --articles "$work/articles.jsonl" --datapackage \
    -o "$work/summary/summary.csv"
validate "$work/summary"

echo "4. sentences -o sentences.csv --datapackage"
mkdir -p "$work/sentences"
"$bin" sentences data/articles -q --datapackage -o "$work/sentences/sentences.csv"
validate "$work/sentences"

echo "5. a broken value is caught: source_type 'rumour' in claims.csv"
sed -i '2s/,official_statement,/,rumour,/; 2s/,reporter_observation,/,rumour,/; 2s/,other_source,/,rumour,/; 2s/,media_report,/,rumour,/' \
    "$work/plain/claims.csv"
if "$venv/bin/frictionless" validate --json "$work/plain/datapackage.json" >"$work/broken.json"; then
    echo "validate_datapackage: the broken claims.csv passed: the enum constraint is not enforced" >&2
    exit 1
fi
python3 - "$work/broken.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
errors = [e for t in report["tasks"] for e in t["errors"]]
print(f"    caught: {len(errors)} error(s): " + "; ".join(e["type"] + " " + e.get("fieldName", "") for e in errors[:3]))
EOF
echo "validate_datapackage: ok"
