#!/usr/bin/env bash
# A server holding a large history under a trickle of calls: what it costs per call when few sessions are active among
# many (the high-water mark's flush, timers, followers). Alternates builds A and B on one copy of a data directory.
#   ops/bench/trickle.sh EXE_A EXE_B DATA_DIR WORKSPACE POLICY [rounds, default 2] [seconds, default 20] [agents, default 4]
# EXE_*: published `orchestrator` executables (ops/publish.sh); DATA_DIR: a data directory it may write to (e.g. a copy
# of ops/bench/restart.sh's cached data, artifacts/restart/<scale>/data, with its workspace and bench-policy.json).
# Prints one line per run: calls, server CPU ms per call, bytes the server passed to write calls per call (/proc/PID/io wchar).
set -euo pipefail
cd "$(dirname "$0")/../.."
a=$1 b=$2 data=$3 workspace=$4 policy=$5 rounds=${6:-2} seconds=${7:-20} agents=${8:-4}
. ops/bench/lib/serve.sh
trap serve_stop EXIT
log=$(mktemp -d)
ticks=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
  for side in A B; do
    exe=$a; [ "$side" = B ] && exe=$b
    serve_start "$log/serve-$side-$round.log" "$workspace" "$exe" serve --data "$data" --project "$workspace" \
      --settings "$policy" --no-user-settings --port 0
    serve_ready
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$serve_pid/stat")
    w0=$(awk '/^wchar/ {print $2}' "/proc/$serve_pid/io")
    report=$("$exe" loadtest --target "$serve_url" --data "$data" --workspace "$workspace" --agents "$agents" \
      --duration "$seconds" --think-ms 100 --mix 1:0:0:0 --json)
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$serve_pid/stat")
    w1=$(awk '/^wchar/ {print $2}' "/proc/$serve_pid/io")
    calls=$(jq -r '.calls' <<<"$report")
    echo "$side round $round: $calls calls; server CPU $(( (u1 + s1 - u0 - s0) * 1000 / ticks )) ms, $(awk -v c="$calls" -v t=$(( (u1 + s1 - u0 - s0) * 1000 / ticks )) 'BEGIN {printf "%.2f", t / c}') ms/call; written $(( (w1 - w0) / 1024 )) KiB, $(( (w1 - w0) / calls )) B/call; load $(cut -d' ' -f1 /proc/loadavg)"
    serve_stop
  done
done
