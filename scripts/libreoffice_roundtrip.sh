#!/usr/bin/env bash
# Opens claimtag's CSV in LibreOffice Calc (headless), converts it to .xlsx and
# back to CSV, and checks that rows, columns and non-ASCII text survive and
# that no cell became a formula. Not part of CI (LibreOffice is large); run it
# by hand:
#
#   scripts/libreoffice_roundtrip.sh
#
# Installs Debian's libreoffice-calc-nogui when soffice is missing (as root).
# The corpus is data/articles plus one hostile article: cells that start with
# = + - @, accents, curly quotes, emoji, CJK and Arabic, a paragraph-long cell
# with newlines (articles.csv) and a 40,000-character article text.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v soffice >/dev/null 2>&1; then
    echo "\$ apt-get install -y libreoffice-calc-nogui"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null
fi

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --quiet --locked
bin="$PWD/$target_dir/debug/claimtag"
[ -x "$bin" ] || bin="$target_dir/debug/claimtag"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "libreoffice_roundtrip: working in $work"

python3 - "$work/hostile.jsonl" <<'EOF'
import json, sys
long_text = " ".join(f"Crews inspected section {i} of the Zürich bridge on Tuesday." for i in range(700))
articles = [
    {
        "id": "hostile",
        "title": "=HYPERLINK(\"http://example.invalid\",\"click\")",
        "outlet": "@Ledger",
        "text": (
            "=1+1 The mayor said the bridge would close.\n\n"
            "-40 degrees hit Tromsø, Mayor Åsa Øberg said.\n\n"
            "+Crews worked overnight in the “old town” of Zürich, police said. 🎉\n\n"
            "@Ledger reported that 東京 and القاهرة sent engineers."
        ),
    },
    {"id": "long", "title": "A very long article", "outlet": "The Ledger", "text": long_text},
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for a in articles:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF

"$bin" annotate data/articles "$work/hostile.jsonl" -q \
    -o "$work/claims.csv" --articles "$work/articles.csv"
"$bin" annotate data/articles "$work/hostile.jsonl" -q --raw-csv -o "$work/claims-raw.csv"
"$bin" annotate data/articles "$work/hostile.jsonl" -q --excel --delimiter ';' -o "$work/claims-excel.csv"

# CSV import (token 1 is the separator, 44 `,` or 59 `;`): ", UTF-8 (76),
# from line 1, standard cell formats, en-US, quoted fields not forced to
# text, no special-number detection, ..., token 13: evaluate formulas (what
# Excel always does).
infilter='34,76,1,,1033,false,false,false,false,false,1,true'
# CSV export: comma, ", UTF-8, quote all text cells, full precision.
outfilter='csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true,false,false'
profile="-env:UserInstallation=file://$work/profile"

roundtrip() {
    local name=$1 separator=${2:-44}
    mkdir -p "$work/xlsx" "$work/back"
    soffice "$profile" --headless --norestore \
        --infilter="Text - txt - csv (StarCalc):$separator,$infilter" \
        --convert-to xlsx --outdir "$work/xlsx" "$work/$name.csv" >/dev/null 2>&1
    soffice "$profile" --headless --norestore \
        --convert-to "$outfilter" --outdir "$work/back" "$work/xlsx/$name.xlsx" >/dev/null 2>&1
    [ -s "$work/back/$name.csv" ] || { echo "libreoffice_roundtrip: $name: no CSV came back" >&2; exit 1; }
}

for name in claims articles claims-raw; do
    roundtrip "$name"
done
roundtrip claims-excel 59

python3 - "$work" <<'EOF'
import csv, re, sys, zipfile

work = sys.argv[1]
csv.field_size_limit(1 << 30)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
# An .xlsx cell holds at most 32,767 characters (Excel's limit, which
# LibreOffice applies when it writes .xlsx); the CSV keeps longer cells whole.
XLSX_CELL_LIMIT = 32767


def rows(path, delimiter=","):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter=delimiter))


def formulas(xlsx):
    with zipfile.ZipFile(xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return len(re.findall(r"<f[ >]", sheet))


def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


failed = False
for name in ["claims", "articles", "claims-excel", "claims-raw"]:
    before = rows(f"{work}/{name}.csv", ";" if name == "claims-excel" else ",")
    after = rows(f"{work}/back/{name}.csv")
    if name == "claims-excel":
        with open(f"{work}/{name}.csv", "rb") as f:
            raw = f.read()
        bom, crlf = raw.startswith(b"\xef\xbb\xbf"), raw.count(b"\r\n")
        print(f"claims-excel.csv: starts with a BOM: {bom}, CRLF line ends: {crlf}, delimiter ';'")
    n_formulas = formulas(f"{work}/xlsx/{name}.xlsx")
    cells = sum(len(r) for r in before)
    non_ascii = [c for r in before for c in r if any(ord(ch) > 127 for ch in c)]
    guarded = [c for r in before for c in r if c.startswith("'") and c[1:].startswith(FORMULA_STARTS)]
    longest = max(len(c) for r in before for c in r)
    diffs, cut = [], []
    if len(before) != len(after):
        diffs.append(f"{len(before)} rows before, {len(after)} after")
    for i, (x, y) in enumerate(zip(before, after)):
        if len(x) != len(y):
            diffs.append(f"row {i}: {len(x)} columns before, {len(y)} after")
            continue
        for j, (a, b) in enumerate(zip(x, y)):
            if len(a) > XLSX_CELL_LIMIT and b == a[:XLSX_CELL_LIMIT]:
                cut.append(f"row {i} column {before[0][j]}: {len(a)} chars cut to {len(b)}")
            elif not same(a, b):
                diffs.append(f"row {i} column {before[0][j]}: {a[:60]!r} -> {b[:60]!r}")
    print(f"{name}.csv: {len(before) - 1} rows x {len(before[0])} columns, {cells} cells, "
          f"{len(non_ascii)} with non-ASCII text, {len(guarded)} guarded, longest cell {longest} chars; "
          f"xlsx formulas: {n_formulas}; cells changed by the round trip: {len(diffs)}")
    for d in diffs[:8]:
        print("   ", d)
    for c in cut:
        print("    xlsx cell limit:", c)
    if name != "claims-raw" and (diffs or n_formulas):
        failed = True
if failed:
    print("libreoffice_roundtrip: FAILED")
    sys.exit(1)
print("libreoffice_roundtrip: ok (claims-raw.csv is --raw-csv, shown for comparison)")
EOF
