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
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$run"
}
trap cleanup EXIT
mkdir -p "$run/project/.git" "$run/data"
echo '{ "permissions": { "ask": ["Bash(echo asked)"] }, "orchestrator": { "approvalPolicy": "on-request" } }' > "$run/settings.json"
agent=$("$exe" tokens add --role agent --name bench-agent --agent bench-agent --data "$run/data" | tail -1)
operator=$("$exe" tokens add --role operator --name bench-operator --data "$run/data" | tail -1)
(cd "$run/project" && exec "$exe" serve --data "$run/data" --project "$run/project" --settings "$run/settings.json" \
  --no-user-settings --port 0) >"$run/serve.log" 2>&1 &
pid=$!
url=""
while [ -z "$url" ]; do
  kill -0 "$pid" 2>/dev/null || { log "the server exited:"; cat "$run/serve.log" >&2; exit 1; }
  url=$(grep -o 'serving on http://[0-9.:]*' "$run/serve.log" | head -1 | sed 's/serving on //') || true
  [ -n "$url" ] || sleep 0.05
done
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ]; do kill -0 "$pid" || exit 1; sleep 0.05; done
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
