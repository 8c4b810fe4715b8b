#!/usr/bin/env bash
# One operator poll of GET /v1/approvals with many approvals pending (issue: paged approvals). Starts a real
# `orchestrator serve` (an ask rule for `git push`, approvals timing out after an hour), raises P ask approvals through
# POST /v1/calls and times N polls of GET /v1/approvals?Q, with the server's CPU per poll (ops/bench/approvals_poll.py).
#   ops/bench/approvals-poll.sh [--pending P] [--polls N] [--query Q]... [--follow] [--exe PATH]
# Each --query is timed on the same server in turn (default: the first page of the default size, and limit=1000); repeat
# them (A B A B) to alternate. --follow makes each poll follow 'next' to the last page, as the load tester's approver
# does every tick (limit=1000 is its tick before it filtered by sessionPrefix; sessionPrefix=lt-RUN-&limit=1000 after).
# --exe runs another build (for an A/B against a build from before paging: its listing answers every approval).
# Prints one JSON line per query on stdout, with the load average beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
pending=10000; polls=50; exe=""; queries=(); follow=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pending) pending=$2; shift 2 ;;
    --polls) polls=$2; shift 2 ;;
    --query) queries+=("$2"); shift 2 ;;
    --follow) follow=follow; shift ;;
    --exe) exe=$2; shift 2 ;;
    *) echo "usage: $0 [--pending P] [--polls N] [--query Q]... [--follow] [--exe PATH]" >&2; exit 2 ;;
  esac
done
[ ${#queries[@]} -gt 0 ] || queries=("" "limit=1000")
[ -n "$exe" ] || exe=$(ops/publish.sh)
run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-approvals-poll-XXXXXX")
mkdir -p "$run/project" "$run/data"
. ops/bench/lib/serve.sh
trap 'serve_stop; rm -rf "$run"' EXIT
serve_start "$run/serve.log" "$run/project" "$exe" serve --data "$run/data" --project "$run/project" --ask 'Bash(git push)' \
  --no-user-settings --approval-timeout 3600 --port 0
serve_ready
for query in "${queries[@]}"; do
  result=$(python3 ops/bench/approvals_poll.py "$serve_url" "$(cat "$run/data/server-secret")" "$run/project" "$serve_pid" "$pending" "$polls" "$query" "$follow")
  echo "$result" | jq -c --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg exe "$exe" '. + {load: $load, exe: $exe}'
done
