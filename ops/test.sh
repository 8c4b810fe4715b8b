#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (ops/setup.sh), then prints one closing line "N passed, N failed".
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
echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "test: no test ran" >&2; exit 1; fi
exit "$status"
