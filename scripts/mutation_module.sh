#!/usr/bin/env bash
# Mutation testing of ONE module against a few test files, in a scratch copy of the
# checkout, so that each mutant runs in a second or so and nothing lands in the checkout:
#   bash scripts/mutation_module.sh kiosk/domain/tax.py tests/unit/domain/test_domain_tax.py
#   bash scripts/mutation_module.sh kiosk/domain/tax.py    # the tests in mutation_plan.txt
# The copy (default /tmp/mutation-<module>, MUTATION_DIR to change) keeps mutmut's cache:
# a second call re-runs what changed and every mutant not killed before. MUTATION_JOBS
# (default 1) is mutmut's --max-children. Prints the score and the mutants not killed (scripts/mutation_score.py);
# `cd <copy> && mutmut show NAME` prints one mutant's diff. docs/mutation.md lists the
# module/test pairs used and what was done with each survivor.
set -euo pipefail
# all in one function: bash reads it whole, so editing this file mid-run is safe
main() {
cd "$(dirname "$0")/.."
if [ "$#" -eq 1 ]; then  # the tests listed for it in scripts/mutation_plan.txt
  # shellcheck disable=SC2046
  set -- $(awk -v m="$1" '$1 == m' scripts/mutation_plan.txt)
fi
if [ "$#" -lt 2 ]; then
  echo "usage: $0 MODULE.py [TEST_PATH...] (no tests: those in scripts/mutation_plan.txt)" >&2
  exit 2
fi
module=$1
shift
checkout=$PWD
VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV=$checkout/$VENV ;; esac
name=$(basename "$module" .py)
work=${MUTATION_DIR:-/tmp/mutation-$name}
mkdir -p "$work"
# tracked and new (not ignored) files, so uncommitted tests take part too
git ls-files -z --cached --others --exclude-standard |
  tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$work"
"$VENV/bin/python" - "$work/pyproject.toml" "$module" "$@" <<'EOF'
import json, re, sys
path, module, tests = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(path, encoding="utf-8").read()
section = (
    "[tool.mutmut]\n"
    'source_paths = ["kiosk"]\n'
    'also_copy = ["drivers", "fleet", "docs"]\n'
    f"only_mutate = {json.dumps([module])}\n"
    f"pytest_add_cli_args_test_selection = {json.dumps([*tests, '-m', 'not slow'])}\n"
    'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n\n'
)
text, n = re.subn(r"^\[tool\.mutmut\]\n.*?(?=^\[)", section, text, flags=re.M | re.S)
assert n == 1, "no [tool.mutmut] section in pyproject.toml"
open(path, "w", encoding="utf-8").write(text)
EOF
cd "$work"
export KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1 KIVY_NO_FILELOG=1
mkdir -p mutants
status=0
"$VENV/bin/mutmut" run --max-children "${MUTATION_JOBS:-1}" >mutants/run.log 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 40 mutants/run.log
  exit "$status"
fi
# mutmut keeps a cached verdict even when the tests changed: re-run the mutants that were
# not killed (by name, which bypasses the cache) so new tests are seen; a timeout counts as
# killed and is not run again (each one waits for its time limit)
# (sed, not grep, drops the timeouts: grep selecting no line, as when every mutant was
# killed, would end the script here under pipefail before it prints the score)
alive=$("$VENV/bin/mutmut" results 2>/dev/null | sed -n '/: timeout$/d
  s/^ *\([^ :]*__mutmut_[0-9]*\): .*/\1/p')
if [ -n "$alive" ]; then
  # shellcheck disable=SC2086
  "$VENV/bin/mutmut" run --max-children "${MUTATION_JOBS:-1}" $alive >>mutants/run.log 2>&1 || status=$?
  [ "$status" -eq 0 ] || { tail -n 40 mutants/run.log; exit "$status"; }
fi
echo "scratch copy: $work"
"$VENV/bin/mutmut" results --all true 2>/dev/null | "$VENV/bin/python" "$checkout/scripts/mutation_score.py"
}
main "$@"
