#!/usr/bin/env bash
# Readers vs writers (issue 11): what clients reading GET /v1/calls/{id}/events of calls in a long session do to other
# agents' submissions. Starts the real `orchestrator serve` (ReadyToRun, ops/publish.sh) on a fresh data directory,
# then ops/bench/Orchestrator.LoadBench readers-vs-writers fills one session with --session-calls decide-only calls and
# measures --writers agents submitting back-to-back, alone and while --readers clients read that session's calls' events.
#   ops/bench/readers.sh [--session-calls 7000] [--readers 16] [--writers 8] [--seconds 10]
# Prints progress on stderr and the markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
exe=$(ops/publish.sh)
dotnet build ops/bench/Orchestrator.LoadBench -c Release -nologo -v quiet >&2
run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-readers-XXXXXX")
. ops/bench/lib/serve.sh
trap 'serve_stop; rm -rf "$run"' EXIT
mkdir -p "$run/workspace/src" "$run/workspace/build" "$run/workspace/home"
echo "# bench" >"$run/workspace/README.md"; echo "int main(void) { return 0; }" >"$run/workspace/src/main.c"; echo "SECRET=1" >"$run/workspace/.env"
cp ops/bench/Orchestrator.Benchmarks/bench-policy.json "$run/bench-policy.json"
serve_start "$run/serve.log" "$run/workspace" "$exe" serve --data "$run/data" --project "$run/workspace" \
  --settings "$run/bench-policy.json" --no-user-settings --port 0
serve_ready
url=$serve_url
echo "[$(date -u +%H:%M:%S)] serving on $url (commit $(git rev-parse --short HEAD))" >&2
dotnet ops/bench/Orchestrator.LoadBench/bin/Release/net10.0/Orchestrator.LoadBench.dll readers-vs-writers \
  --url "$url" --secret-file "$run/data/server-secret" --workspace "$run/workspace" "$@"
