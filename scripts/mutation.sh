#!/usr/bin/env bash
# `make mutation`: mutmut over kiosk/domain and the ledger/journal ([tool.mutmut] in
# pyproject.toml), the fast unit tests as the test command. Not part of `make test`: it
# takes an hour or more on two cores. Progress goes to mutants/run.log; the score and the
# surviving mutants are printed at the end (docs/mutation.md says what was done with them).
# Extra arguments select mutants, e.g. `bash scripts/mutation.sh "kiosk.domain.money*"`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1 KIVY_NO_FILELOG=1
mkdir -p mutants
status=0
"$VENV/bin/mutmut" run --max-children "${MUTATION_JOBS:-2}" "$@" >mutants/run.log 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 40 mutants/run.log
  exit "$status"
fi
"$VENV/bin/mutmut" results --all true 2>/dev/null | "$VENV/bin/python" scripts/mutation_score.py
