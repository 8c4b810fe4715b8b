#!/usr/bin/env bash
# What-if replay benchmark (issue 14, DESIGN §9: >= 100,000 recorded calls/s on a journal of 1,000,000 calls): the real
# `orchestrator replay --data` (ReadyToRun, ops/publish.sh) with the recorded policies — which must change nothing —
# over a copy of the restart benchmark's journal, three ways in the same run:
#   model build   the first command on a journal written before the history read model existed fills it (one scan)
#   read model    `replay --json`: the decisions found through orchestrator_history, each opened from its sealed rows
#   cold scan     `replay --json --scan`: the same decisions found by scanning the journal itself (the baseline)
#   ops/bench/replay.sh [--quick] [--calls N --sessions S --pending P --with-output K] [--cache DIR] [--stages]
# e.g. 100,000 calls: ops/bench/replay.sh --calls 100000 --sessions 1000 --pending 1000 --with-output 300 --stages
# The journal is the one ops/bench/restart.sh builds and caches (artifacts/restart/<scale>/, built here when missing);
# --cache DIR reads another cached journal (e.g. the main checkout's), only ever copied. --quick: 2,000 calls, to prove
# the script runs (its figures are not comparable to the target). --stages: then where the time goes per call (CPU µs
# by stage: SQL, seal, HMAC, event JSON, judging; Orchestrator.LoadBench replay-stages, ~11 passes over the journal).
# Each replay's CPU (user+sys of the process) is printed beside its wall time: less dependent on the machine's load.
# Prints progress on stderr, the figures as a table, and last one line:
#   replay: C recorded calls, X calls/s from the read model (S s); journal scan (cold) Y calls/s (S s); model built in B s
# Exits non-zero when a replay fails, the two ways disagree, or the recorded policy changes any verdict or cannot judge a call.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
calls=1000000; sessions=10000; pending=10000; with_output=3000; cache=""; stages=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) calls=2000; sessions=20; pending=20; with_output=10; shift ;;
    --calls) calls=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --pending) pending=$2; shift 2 ;;
    --with-output) with_output=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --stages) stages=1; shift ;;
    *) echo "usage: $0 [--quick] [--calls N --sessions S --pending P --with-output K] [--cache DIR] [--stages]" >&2; exit 2 ;;
  esac
done
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

[ -n "$cache" ] || cache="$root/artifacts/restart/calls-$calls-sessions-$sessions-pending-$pending-output-$with_output"
exe=$(ops/publish.sh)
if [ ! -f "$cache/built.json" ]; then
  log "building the journal in $cache (cached for later runs)"
  dotnet build ops/bench/Orchestrator.LoadBench -c Release -nologo -v quiet >&2
  rm -rf "$cache"; mkdir -p "$cache"
  dotnet ops/bench/Orchestrator.LoadBench/bin/Release/net10.0/Orchestrator.LoadBench.dll build-journal --dir "$cache" \
    --calls "$calls" --sessions "$sessions" --pending "$pending" --with-output "$with_output" --workers 100 >&2
fi
log "journal: $(jq -c '{calls, journalRows, sessions, buildSeconds, builtAt}' "$cache/built.json")"

run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-replay-XXXXXX")
trap 'rm -rf "$run"' EXIT
cp -a "$cache/data" "$run/data"
data="$run/data"

# The copy may hold a read model already (a journal built after it existed): dropped, so its build is measured too.
"$exe" history --data "$data" --limit 1 --json > /dev/null
sqlite3 "$data/orchestrator.db" "DROP TABLE IF EXISTS orchestrator_history;"
t0=$(now)
"$exe" history --data "$data" --limit 1 --json > /dev/null
built=$(secs "$t0" "$(now)")
log "read model built from the journal in $built s (one command, process start included)"

cpu() { /usr/bin/time -f "%U %S" -o "$1" "${@:2}"; }
cpu "$run/model.cpu" "$exe" replay --data "$data" --json > "$run/model.json"
log "read model: $(jq -c '{replayed, changed, undecidable, seconds, callsPerSecond}' "$run/model.json")"
cpu "$run/scan.cpu" "$exe" replay --data "$data" --json --scan > "$run/scan.json"
log "cold scan:  $(jq -c '{replayed, changed, undecidable, seconds, callsPerSecond}' "$run/scan.json")"

field() { jq -r "$1" "$2"; }
replayed=$(field .replayed "$run/model.json")
failed=0
if [ "$replayed" != "$(field .replayed "$run/scan.json")" ] || [ "$(field .undecidable "$run/model.json")" != "$(field .undecidable "$run/scan.json")" ]; then
  log "the read model and the scan found different decisions"; failed=1
fi
if [ "$(field .changed "$run/model.json")" != 0 ] || [ "$(field .changed "$run/scan.json")" != 0 ]; then
  log "the recorded policy changed verdicts: replay is not honest"; failed=1
fi
if [ "$(field .undecidable "$run/model.json")" != 0 ]; then
  log "calls replayed as undecidable with their recorded policy (the journal's policy cannot be rebuilt): nothing was judged"; failed=1
fi

cpus() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }
echo "| Way | Recorded calls | Seconds | Calls/s | CPU s of the process (user+sys) | load average |"
echo "|---|---|---|---|---|---|"
for way in model scan; do
  echo "| $([ $way = model ] && echo "read model (\`replay --json\`)" || echo "journal scan, cold (\`replay --json --scan\`)") | $(printf "%'d" "$replayed") | $(field .seconds "$run/$way.json") | $(printf "%'d" "$(field '.callsPerSecond | floor' "$run/$way.json")") | $(cpus "$run/$way.cpu") | $(cut -d' ' -f1-3 /proc/loadavg) |"
done
echo
printf "replay: %s recorded calls, %s calls/s from the read model (%s s); journal scan (cold) %s calls/s (%s s); model built in %s s\n" \
  "$(printf "%'d" "$replayed")" "$(printf "%'d" "$(field '.callsPerSecond | floor' "$run/model.json")")" "$(field .seconds "$run/model.json")" \
  "$(printf "%'d" "$(field '.callsPerSecond | floor' "$run/scan.json")")" "$(field .seconds "$run/scan.json")" "$built"
if [ "$stages" = 1 ]; then
  echo
  log "where the time goes per call (replay-stages)"
  dotnet build ops/bench/Orchestrator.LoadBench -c Release -nologo -v quiet >&2
  dotnet ops/bench/Orchestrator.LoadBench/bin/Release/net10.0/Orchestrator.LoadBench.dll replay-stages --data "$data"
fi
exit $failed
