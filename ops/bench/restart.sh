#!/usr/bin/env bash
# Restart-to-ready benchmark (issue 11, DESIGN §9): a journal of 1,000,000 recorded calls over 10,000 sessions with
# 10,000 pending approvals; the real `orchestrator serve` (ReadyToRun, ops/publish.sh) is started on it, killed with
# SIGKILL and started again, and the restart is timed until /readyz answers 200 AND /v1/approvals lists every pending
# approval. Then a sample of finished calls must answer GET /v1/calls/{id} (the executed ones with their output).
#   ops/bench/restart.sh [--calls N] [--sessions S] [--pending P] [--with-output K] [--workers W] [--rebuild] [--keep]
# The journal is built once per scale by ops/bench/Orchestrator.LoadBench (build-journal: the real pipeline in-process,
# decide-only calls, K calls run by an instant sandbox with one line of output, one ask per session left pending) and
# cached in artifacts/restart/<scale>/ (--rebuild builds it again). Each run works on a copy of the cached data
# directory (--keep leaves the copy), so every run starts from the same journal.
# Prints progress on stderr and exactly one line on stdout:
#   restart: ready in S s, calls C, pending approvals P, rss M MiB
# Exits non-zero when the server does not become ready within --timeout seconds (default 1800) or a check fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
calls=1000000; sessions=10000; pending=10000; with_output=3000; workers=1000; rebuild=0; keep=0; timeout=1800
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --pending) pending=$2; shift 2 ;;
    --with-output) with_output=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--calls N] [--sessions S] [--pending P] [--with-output K] [--workers W] [--timeout S] [--rebuild] [--keep]" >&2; exit 2 ;;
  esac
done
[ "$with_output" -le "$sessions" ] || with_output=$sessions
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

cache="$root/artifacts/restart/calls-$calls-sessions-$sessions-pending-$pending-output-$with_output"
exe=$(ops/publish.sh)
if [ "$rebuild" = 1 ] || [ ! -f "$cache/built.json" ]; then
  log "building the journal in $cache (cached for later runs)"
  dotnet build ops/bench/Orchestrator.LoadBench -c Release -nologo -v quiet >&2
  rm -rf "$cache"; mkdir -p "$cache"
  dotnet ops/bench/Orchestrator.LoadBench/bin/Release/net10.0/Orchestrator.LoadBench.dll build-journal --dir "$cache" \
    --calls "$calls" --sessions "$sessions" --pending "$pending" --with-output "$with_output" --workers "$workers" >&2
fi
recorded=$(jq -r .calls "$cache/built.json")
log "journal: $(jq -c '{calls, journalRows, sessions, pendingApprovals, withOutput, buildSeconds, builtAt}' "$cache/built.json")"

run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-restart-XXXXXX")
cp -a "$cache/data" "$run/data"
data="$run/data"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then log "kept $run"; else rm -rf "$run"; fi
}
trap cleanup EXIT

# Starts the server in the background (pid in $pid, log in $run/serve-N.log); sets $url once it announces its port.
. ops/bench/lib/serve.sh
serve_poll=0.02
start_server() {
  serve_start "$run/serve-$1.log" "$cache/workspace" "$exe" serve --data "$data" --project "$cache/workspace" \
    --settings "$cache/bench-policy.json" --no-user-settings --port 0 || exit 1
  pid=$serve_pid; url=$serve_url
}

# Waits until /readyz is 200 and /v1/approvals counts $pending pending approvals (its total); sets $ready_at, $healthy_at.
wait_ready() {
  local start=$1 last_report=0 code approvals
  healthy_at=""; ready_at=""
  local secret; secret=$(cat "$data/server-secret")
  while :; do
    kill -0 "$pid" 2>/dev/null || { log "the server died"; exit 1; }
    [ -n "$healthy_at" ] || { [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] && healthy_at=$(now); } || true
    code=$(curl -s -o "$run/readyz" -w '%{http_code}' --max-time 5 "$url/readyz" || true)
    if [ "$code" = 200 ]; then
      approvals=$(curl -s --max-time 30 -H "Authorization: Bearer $secret" "$url/v1/approvals?limit=1" | jq '.total // 0' 2>/dev/null || echo 0)
      if [ "$approvals" -ge "$pending" ]; then ready_at=$(now); return 0; fi
      log "  /readyz 200 but /v1/approvals counts $approvals pending of $pending"
    fi
    if grep -q 'did not recover' "$run/readyz" 2>/dev/null; then
      log "recovery failed, the server will not become ready: $(jq -r '.error' "$run/readyz" | cut -c1-300)"; exit 1
    fi
    local t; t=$(now)
    if awk -v a="$last_report" -v b="$t" 'BEGIN { exit !(b - a >= 10) }'; then
      log "  $(secs "$start" "$t") s: /readyz $code $(jq -c '.error // empty' "$run/readyz" 2>/dev/null | cut -c1-200)"
      last_report=$t
    fi
    if awk -v a="$start" -v b="$t" -v m="$timeout" 'BEGIN { exit !(b - a > m) }'; then log "not ready after $timeout s"; exit 1; fi
    sleep 0.05
  done
}

rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

log "first start on a copy of the journal ($run/data)"
t0=$(now); start_server 1; wait_ready "$t0"
log "first start: ready in $(secs "$t0" "$ready_at") s (healthz after $(secs "$t0" "$healthy_at") s), rss $(rss_mib "$pid") MiB; SIGKILL"
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true

t0=$(now); start_server 2; wait_ready "$t0"
ready=$(secs "$t0" "$ready_at"); rss=$(rss_mib "$pid")
log "restart: healthz after $(secs "$t0" "$healthy_at") s, ready after $ready s"

# A sample of finished calls: each answers, and each that ran answers with its output.
failed=0
secret=$(cat "$data/server-secret")
for id in $(jq -r '.sampleWithOutput[]' "$cache/built.json"); do
  body=$(curl -s -H "Authorization: Bearer $secret" "$url/v1/calls/$id")
  if ! jq -e '.output.stdout | startswith("ran: ")' >/dev/null 2>&1 <<<"$body"; then log "call $id: no output after the restart: $(cut -c1-300 <<<"$body")"; failed=$((failed + 1)); fi
done
for id in $(jq -r '.sampleDecided[]' "$cache/built.json"); do
  body=$(curl -s -H "Authorization: Bearer $secret" "$url/v1/calls/$id")
  if ! jq -e --arg id "$id" '.callId == $id and .decision != null' >/dev/null 2>&1 <<<"$body"; then log "call $id: not served after the restart: $(cut -c1-300 <<<"$body")"; failed=$((failed + 1)); fi
done
log "sample: $(jq '.sampleWithOutput | length' "$cache/built.json") executed calls with output, $(jq '.sampleDecided | length' "$cache/built.json") decided calls; $failed failed"

echo "restart: ready in $ready s, calls $recorded, pending approvals $pending, rss $rss MiB"
[ "$failed" = 0 ]
