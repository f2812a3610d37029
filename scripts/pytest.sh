#!/usr/bin/env bash
# Runs pytest; a run that collects no test is a failure, never a silent pass.
set -uo pipefail
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing the run" >&2
  exit 1
fi
exit "$rc"
