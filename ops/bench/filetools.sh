#!/usr/bin/env bash
# Read/Edit calls per second through a real `orchestrator serve` (SQLite journal) against the same operations done
# directly in process, same run, same machine:  ops/bench/filetools.sh [agents, default 100] [seconds, default 10]
# Each agent alternates a Read of its own 200-line file and an Edit of it. Prints one line per mode.
set -euo pipefail
cd "$(dirname "$0")/../.."
agents=${1:-100}; seconds=${2:-10}
dotnet build src/Orchestrator.Cli -c Release -nologo -v quiet >&2
dotnet build ops/bench/Orchestrator.FileToolBench -c Release -nologo -v quiet >&2
bench=ops/bench/Orchestrator.FileToolBench/bin/Release/net10.0/Orchestrator.FileToolBench.dll
work=$(mktemp -d /tmp/orchestrator-filetools-bench-XXXXXX)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/project" "$work/home"
echo '{ "orchestrator": { "approvalPolicy": "on-request" } }' > "$work/settings.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HOME="$work/home" src/Orchestrator.Cli/bin/Release/net10.0/orchestrator serve --port "$port" --data "$work/data" \
  --project "$work/project" --settings "$work/settings.json" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
dotnet "$bench" direct "$work/project" "$agents" "$seconds"
dotnet "$bench" http "$work/project" "$agents" "$seconds" "http://127.0.0.1:$port/"
