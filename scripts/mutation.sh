#!/usr/bin/env bash
# `make mutation`: mutmut over every module of scripts/mutation_plan.txt (kiosk/domain and
# the ledger/journal), one module at a time against the tests listed for it, each in its
# own scratch copy (scripts/mutation_module.sh), then the score of them all. Not part of
# `make test`: about an hour on two cores. Arguments pick modules:
#   bash scripts/mutation.sh kiosk/domain/tax.py kiosk/domain/pricing.py
# docs/mutation.md says what was done with each survivor.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV=$PWD/$VENV ;; esac
export VENV
if [ "$#" -eq 0 ]; then
  # shellcheck disable=SC2046
  set -- $(awk '!/^#/ && NF {print $1}' scripts/mutation_plan.txt)
fi
base=${MUTATION_BASE:-/tmp/mutation}
for module in "$@"; do
  name=$(basename "$module" .py)
  echo "== $module" >&2
  MUTATION_DIR=$base-$name bash scripts/mutation_module.sh "$module" | tail -n +2 | head -n 2 >&2
done
for module in "$@"; do
  (cd "$base-$(basename "$module" .py)" && "$VENV/bin/mutmut" results --all true 2>/dev/null)
done | "$VENV/bin/python" scripts/mutation_score.py
