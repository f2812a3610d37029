#!/usr/bin/env bash
# Accuracy of the résumé parser on the shared corpus, with the shared scorer.
#   bench/accuracy.sh                       # scores `cvlens analyze {file} --format json`
#   bench/accuracy.sh '<command with {file}>' [extra scorer options]
# Example while the CLI is not there: bench/accuracy.sh '.venv/bin/python bench/parse_json.py {file}'
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${CORPUS:-../shared/resumes}"
SCORER="${SCORER:-../shared/bench/score_resume.py}"
DEFAULT_CMD='.venv/bin/cvlens analyze {file} --format json'
CMD="${1:-$DEFAULT_CMD}"  # a literal {file} inside ${...:-} would end the expansion early
shift || true
exec python3 "$SCORER" --corpus "$CORPUS" --cmd "$CMD" \
  --check basics=0.95,work=0.85,education=0.85,skills_recall=0.85 "$@"
