#!/usr/bin/env bash
# The main job: `orchestrator serve` on the embedded journal (SQLite), four agents submitting calls in parallel
# (safe, asking, denied, sandboxed), an operator approving the one that asks, and the recorded history of each call.
# No tokens: the server runs for one local user; the agents (no credentials) submit and read their calls, and the CLI
# answers the approval as the local user with the server secret it finds in the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh >/dev/null
bin=$(ops/publish.sh)

# A throwaway project: a build directory to delete, and a Makefile whose test target also tries to write /etc.
root=$(mktemp -d /tmp/orchestrator-demo.XXXXXX)
demo="$root/project"
mkdir -p "$demo/src" "$demo/build" && echo 'console.log(1)' > "$demo/src/app.js" && echo 'old artefact' > "$demo/build/app.bin"
printf 'test:\n\t@echo "tests pass"\n\t@echo "now writing /etc/orchestrator-demo..."; echo pwned > /etc/orchestrator-demo\n' > "$demo/Makefile"
data="$root/data"
log="$root/server.log"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$root"; }
trap cleanup EXIT

echo "\$ orchestrator serve --port 0 --data $data --settings config/default-settings.json  (in the background)"
"$bin" serve --port 0 --data "$data" --project "$demo" --settings config/default-settings.json \
  --managed-settings "" --no-user-settings >"$log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1 || true)
  [ -n "$url" ] && curl -sf "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
head -2 "$log" | sed 's/^/  /'
echo

echo "Four agents submit at once (POST /v1/calls, wait up to 20 s each):"
python3 ops/demo/client.py "$url" "$demo" submit
echo

echo "\$ orchestrator approvals list"
"$bin" approvals list --server "$url" --data "$data" | sed 's/^/  /'
approval=$("$bin" approvals list --server "$url" --data "$data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["approvals"][0]["approvalId"])')
echo "\$ orchestrator approvals approve $approval --reason 'stale build output'"
"$bin" approvals approve "$approval" --server "$url" --data "$data" --reason 'stale build output' | sed 's/^/  /'
python3 ops/demo/client.py "$url" "$demo" wait demo-asking
echo "  build/ is $( [ -e "$demo/build" ] && echo 'still there' || echo 'gone' ); /etc/orchestrator-demo $( [ -e /etc/orchestrator-demo ] && echo 'EXISTS (sandbox failed!)' || echo 'was never written')"
echo

for name in safe asking denied sandboxed; do
  echo "\$ orchestrator history demo-$name"
  "$bin" history "demo-$name" --server "$url" --data "$data" | sed 's/^/  /'
done
