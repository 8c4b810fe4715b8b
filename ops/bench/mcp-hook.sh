#!/usr/bin/env bash
# Issue 15 speed, one run on one server: decision latency of the Claude Code hook adapter (embedded pipeline, and via
# the running server) against a direct POST /v1/check; and an MCP tools/call (bash `true`, over /mcp, official
# TypeScript SDK client) against a direct POST /v1/calls?wait of the same command. Milliseconds, wall time per call.
#   ops/bench/mcp-hook.sh [N]        (after a Release build; needs node and tests/…/mcp-client/node_modules)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
exe=$repo/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator
client=$repo/tests/Orchestrator.EndToEnd.Tests/mcp-client
n=${1:-20}
root=$(mktemp -d); proj=$root/project; data=$root/data; mkdir -p "$proj" "$root/home"
. "$repo/ops/bench/lib/serve.sh"
trap 'serve_stop; rm -rf "$root"' EXIT
export HOME=$root/home XDG_CONFIG_HOME=$root/home/.config ORCHESTRATOR_MANAGED_SETTINGS=
hook_input() { sed "s|PROJECT|$proj|g; s|toolu_01ABCdefGHIjklMNOpqrSTUv|toolu_$1|" "$repo/tests/Orchestrator.EndToEnd.Tests/ClaudeCode/pre-bash.json"; }
ms() { local s; s=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
stats() { sort -n | awk '{a[NR]=$1; t+=$1} END {printf "median %d ms, min %d, max %d, mean %.1f (n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], t/NR, NR}'; }

emb=(); for i in $(seq 5); do emb+=("$(ms bash -c "$(declare -f hook_input); repo=$repo proj=$proj; hook_input e$i | $exe hook claude-code --data $data --project $proj")"); done

serve_start "$root/serve.log" "$proj" "$exe" serve --port 0 --data "$data" --project "$proj"
serve_ready
url=$serve_url
secret=$(cat "$data/server-secret")
post() { curl -sf -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' -d "$2" "$url$1"; }

srv=(); for i in $(seq "$n"); do srv+=("$(ms bash -c "$(declare -f hook_input); repo=$repo proj=$proj; hook_input s$i | $exe hook claude-code --data $data")"); done
chk=(); for i in $(seq "$n"); do chk+=("$(ms post /v1/check "{\"tool\":\"Bash\",\"input\":{\"command\":\"git status\"},\"cwd\":\"$proj\"}")"); done
run=(); for i in $(seq "$n"); do run+=("$(ms post /v1/calls "{\"id\":\"bench-$i\",\"agentId\":\"bench\",\"sessionId\":\"bench\",\"tool\":\"Bash\",\"input\":{\"command\":\"true\"},\"cwd\":\"$proj\",\"wait\":30}")"); done
calls=$(python3 -c "import json; print(json.dumps([{'name':'bash','arguments':{'command':'true'}}]*$n))")
mcp=$(cd "$client" && node client.mjs "{\"transport\":\"http\",\"url\":\"$url/mcp\",\"token\":\"$secret\",\"calls\":$calls}" | python3 -c "
import json,sys
for l in sys.stdin:
    o=json.loads(l)
    if o['step']=='result': print(round(o['ms']))")

echo "hook claude-code, embedded pipeline (process start + host + decide): $(printf '%s\n' "${emb[@]}" | stats)"
echo "hook claude-code via serve (process start + POST /v1/check):          $(printf '%s\n' "${srv[@]}" | stats)"
echo "direct POST /v1/check (curl, decide only):                             $(printf '%s\n' "${chk[@]}" | stats)"
echo "direct POST /v1/calls wait (curl, bash true executed):                  $(printf '%s\n' "${run[@]}" | stats)"
echo "MCP tools/call bash true over /mcp (SDK client, connection reused):    $(echo "$mcp" | stats)"
