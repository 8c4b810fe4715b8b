#!/usr/bin/env bash
# Durable-decisions load benchmark (DESIGN §9): builds ops/bench/Orchestrator.LoadBench and runs it.
#   ops/bench/load.sh [sqlite|postgres|all] [agents, default 1,100,1000] [seconds per point, default 10] [extra args]
# Extra args go to the benchmark: --warmup S, --baseline S, --calls N (per point, instead of a duration),
# --hocon FILE (experimental overrides), --verbose (per-second samples), --out FILE (the markdown table).
# PostgreSQL: the private cluster of ops/postgres.sh is started (or reused) when ORCHESTRATOR_TEST_POSTGRES is unset;
# each point gets a fresh schema, dropped afterwards. SQLite: a fresh temp directory per point.
# Prints progress on stderr and the markdown table on stdout; exits non-zero if any point lost or failed a call.
set -euo pipefail
cd "$(dirname "$0")/../.."
backend=${1:-sqlite}; agents=${2:-1,100,1000}; seconds=${3:-10}
shift $(( $# < 3 ? $# : 3 ))
case "$backend" in sqlite|postgres|all) ;; *) echo "usage: $0 [sqlite|postgres|all] [agents] [seconds] [extra args]" >&2; exit 2 ;; esac
if [ "$backend" != sqlite ] && [ -z "${ORCHESTRATOR_TEST_POSTGRES:-}" ]; then
  eval "$(ops/postgres.sh)"
fi
dotnet build ops/bench/Orchestrator.LoadBench -c Release -nologo -v quiet >&2
exec dotnet ops/bench/Orchestrator.LoadBench/bin/Release/net10.0/Orchestrator.LoadBench.dll \
  --backend "$backend" --agents "$agents" --duration "$seconds" "$@"
