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
. ops/bench/lib/serve.sh
trap 'serve_stop; rm -rf "$work"' EXIT
mkdir -p "$work/project" "$work/home"
echo '{ "orchestrator": { "approvalPolicy": "on-request" } }' > "$work/settings.json"
serve_start "$work/serve.log" "$work/project" env HOME="$work/home" "$PWD/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator" serve --port 0 \
  --data "$work/data" --project "$work/project" --settings "$work/settings.json"
serve_ready
dotnet "$bench" direct "$work/project" "$agents" "$seconds"
dotnet "$bench" http "$work/project" "$agents" "$seconds" "$serve_url/"
