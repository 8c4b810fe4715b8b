#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (ops/setup.sh), then prints one closing line "N passed, N failed".
# Without arguments it then runs the benchmark smoke test (ops/bench/smoke.sh: ops/bench/all.sh --quick and its report).
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh
# A private PostgreSQL on 127.0.0.1 for the persistence specs that claim PostgreSQL.
eval "$(ops/postgres.sh)"
dotnet build Orchestrator.sln -c Release --nologo -v q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Orchestrator.sln -c Release --no-build --nologo -v q --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# The whole run (CI's) also proves the benchmark set runs end to end and writes its report (a filtered run does not).
bench="not run (filtered test run)"
if [ $# -eq 0 ]; then
  if ops/bench/smoke.sh; then bench="ran end to end"; else bench="FAILED (ops/bench/smoke.sh)"; status=1; fi
fi
echo
echo "benchmark smoke run: $bench"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "test: no test ran" >&2; exit 1; fi
exit "$status"
