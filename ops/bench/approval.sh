#!/usr/bin/env bash
# Approval round trip through the API (issue 13, "Speed"): a real `orchestrator serve` (SQLite, tokens for an agent and an
# operator), N rounds of: the agent submits an ask call and waits → the operator sees it pending in GET /v1/approvals →
# answers it → the agent's POST returns with the decided call. Baseline in the same run: a call the policy allows.
# Both run `echo` in the sandbox (an ask is only raised for a call to execute), so the difference is the approval's.
#   ops/bench/approval.sh [rounds, default 300] [warm-up rounds, default 30]
# ORCHESTRATOR_EXE=path uses that built `orchestrator` instead of building src/Orchestrator.Cli.
# Prints progress on stderr and a markdown table on stdout. Needs python3 (ops/bench/approval_roundtrip.py drives it).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-300}; warmup=${2:-30}
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
exe=${ORCHESTRATOR_EXE:-}
if [ -z "$exe" ]; then
  dotnet build src/Orchestrator.Cli -c Release -nologo -v quiet >&2
  exe=$PWD/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator
fi
run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-approval-bench-XXXXXX")
. ops/bench/lib/serve.sh
trap 'serve_stop; rm -rf "$run"' EXIT
mkdir -p "$run/project/.git" "$run/data"
echo '{ "permissions": { "ask": ["Bash(echo asked)"] }, "orchestrator": { "approvalPolicy": "on-request" } }' > "$run/settings.json"
agent=$(serve_token "$exe" "$run/data" agent bench-agent bench-agent)
operator=$(serve_token "$exe" "$run/data" operator bench-operator)
serve_start "$run/serve.log" "$run/project" "$exe" serve --data "$run/data" --project "$run/project" --settings "$run/settings.json" \
  --no-user-settings --port 0
serve_ready
url=$serve_url
log "serve ready at $url; $warmup warm-up and $rounds measured rounds"
result=$(python3 ops/bench/approval_roundtrip.py "$url" "$agent" "$operator" "$run/project" "$rounds" "$warmup")
log "$result"
row() { jq -r --arg k "$1" --arg name "$2" '.[$k] | "| \($name) | \(.p50) | \(.p90) | \(.p99) | \(.max) |"' <<<"$result"; }
echo "| $rounds rounds (after $warmup warm-up), SQLite, $(nproc) cores | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|"
row allowedCall "baseline: a call the policy allows (POST /v1/calls, run, answered)"
row approvalRoundTrip "approval round trip: submit → listed → answered → decided call back at the agent"
row submitToListed "  of which: submit → pending in GET /v1/approvals"
row answerPost "  of which: POST /v1/approvals/{id}"
row answerToAgent "  of which: answer recorded → the agent's POST returns"
