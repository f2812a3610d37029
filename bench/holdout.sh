#!/usr/bin/env bash
# Build a held-out accuracy corpus: the shared corpus's truths rendered by OTHER themes.
#
#   bench/holdout.sh [OUT]          # OUT defaults to /work/holdout (keep it outside the repo)
#   THEMES="class paper" bench/holdout.sh /tmp/ho
#
# What it downloads: the `resumed` CLI and the JSON Resume themes named in THEMES, from the
# npm registry (npm's configured registry), into TOOLS (default $OUT.tools, beside OUT, so
# the corpus folder only holds résumés). The themes' HTML links web fonts / CDN stylesheets;
# Chromium prints without them when the machine is offline (the fallback fonts are part of
# what is being tested).
# What it writes: for every SRC/rNN/resume.json (SRC defaults to ../shared/resumes),
#   OUT/rNN/resume.json      a copy of the truth
#   OUT/rNN/<theme>.html     `resumed render` with jsonresume-theme-<theme>
#   OUT/rNN/<theme>.pdf      that HTML printed by headless Chromium (CHROMIUM, default
#                            /usr/bin/chromium; `make browser` installs one)
#   OUT/rNN/<theme>.txt      `pdftotext -layout` of the PDF (poppler-utils; the scorer needs
#                            it to tell which truth the rendering shows)
# A theme that fails to render a résumé is reported and skipped for that résumé.
# Score it with:
#   CORPUS=OUT bash bench/accuracy.sh
#   CORPUS=OUT .venv/bin/python bench/accuracy_detail.py -v
# Never commit OUT and never read it from tests: it is a held-out set.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$(realpath -m "${1:-/work/holdout}")"
SRC="$(realpath "${SRC:-../shared/resumes}")"
TOOLS="$(realpath -m "${TOOLS:-$OUT.tools}")"
THEMES="${THEMES:-stackoverflow elegant kendall spartan class}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

command -v pdftotext >/dev/null || { echo "pdftotext missing: apt-get install -y poppler-utils" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "no Chromium at $CHROMIUM: make browser" >&2; exit 1; }

mkdir -p "$TOOLS" "$OUT"
if [ ! -f "$TOOLS/package.json" ]; then
  (cd "$TOOLS" && npm init -y >/dev/null)
fi
pkgs=(resumed)
for t in $THEMES; do pkgs+=("jsonresume-theme-$t"); done
(cd "$TOOLS" && npm install --no-audit --no-fund --silent "${pkgs[@]}")

for truth in "$SRC"/*/resume.json; do
  id="$(basename "$(dirname "$truth")")"
  mkdir -p "$OUT/$id"
  cp "$truth" "$OUT/$id/resume.json"
  for t in $THEMES; do
    html="$OUT/$id/$t.html" pdf="$OUT/$id/$t.pdf"
    if ! (cd "$TOOLS" && timeout 120 npx --no-install resumed render "$OUT/$id/resume.json" \
          --theme "jsonresume-theme-$t" -o "$html" >/dev/null 2>&1); then
      echo "skip $id/$t: resumed render failed" >&2
      rm -f "$html"
      continue
    fi
    if ! timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
          --print-to-pdf="$pdf" "file://$html" >/dev/null 2>&1; then
      echo "skip $id/$t: chromium print failed" >&2
      rm -f "$pdf"
      continue
    fi
    pdftotext -layout "$pdf" "$OUT/$id/$t.txt"
    echo "$id/$t.pdf"
  done
done
