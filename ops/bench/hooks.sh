#!/usr/bin/env bash
# Hook overhead per call (issue 13, "Speed"): the same decide-only call (`ls`, allowed by the policy) through a real
# `orchestrator serve` (SQLite) three times in one run — without hooks, with a trivial PreToolUse command hook
# (`exit 0`), and with a trivial PreToolUse http hook (a local listener answering 200 `{}`) — each on a fresh server and
# data directory, N calls one after another over one keep-alive connection after a warm-up.
#   ops/bench/hooks.sh [--quick | calls, default 300] [warm-up calls, default 30]
# --quick: 20 calls after 5 warm-up, to prove the script runs (ops/bench/all.sh --quick).
# Prints progress on stderr, a markdown table on stdout (p50/p90/p99 ms and the ratio of p50s to the no-hook run) and
# last one summary line.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = --quick ]; then calls=20; warmup=5; else calls=${1:-300}; warmup=${2:-30}; fi
case "$calls$warmup" in *[!0-9]*) echo "usage: $0 [--quick | calls] [warm-up calls]" >&2; exit 2 ;; esac
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
dotnet build src/Orchestrator.Cli -c Release -nologo -v quiet >&2
exe=$PWD/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator
run=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-hooks-bench-XXXXXX")
. ops/bench/lib/serve.sh
listener=""
cleanup() {
  serve_stop
  if [ -n "$listener" ] && kill -0 "$listener" 2>/dev/null; then kill -TERM "$listener" 2>/dev/null; wait "$listener" 2>/dev/null || true; fi
  rm -rf "$run"
}
trap cleanup EXIT

# The http hook's receiver: answers every POST with 200 {} (keep-alive).
python3 - "$run/listener.port" >"$run/listener.log" 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One segment per answer, sent at once: otherwise headers and body go out separately and Nagle + delayed ACK add ~40 ms.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", "2"); self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
listener=$!
until [ -s "$run/listener.port" ]; do kill -0 "$listener" || exit 1; sleep 0.05; done
hook_url="http://127.0.0.1:$(cat "$run/listener.port")/hook"

measure() { # $1 = label, $2 = hooks JSON (or empty); runs in a $(…) subshell, which has its own EXIT trap
  trap serve_stop EXIT
  local dir="$run/$1"; mkdir -p "$dir/project/.git" "$dir/data"
  local token; token=$(serve_token "$exe" "$dir/data" agent bench bench)
  echo "{ \"permissions\": { \"allow\": [\"Bash(ls)\"] }${2:+, \"hooks\": $2} }" > "$dir/settings.json"
  serve_start "$dir/serve.log" "$dir/project" "$exe" serve --data "$dir/data" --project "$dir/project" --settings "$dir/settings.json" \
    --no-user-settings --port 0
  serve_ready
  local url=$serve_url
  python3 - "$url" "$dir/project" "$calls" "$warmup" "$1" "$token" <<'PY'
import http.client, json, sys, time, uuid
from urllib.parse import urlparse
url, cwd, calls, warmup, label, token = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
t = urlparse(url); conn = http.client.HTTPConnection(t.hostname, t.port, timeout=120); run = uuid.uuid4().hex[:8]
def call(n):
    body = {"id": f"h-{run}-{n}", "agentId": "bench", "sessionId": f"h-{run}", "tool": "Bash", "input": {"command": "ls"},
            "cwd": cwd, "intent": "decide-only", "wait": 30}
    t0 = time.perf_counter(); conn.request("POST", "/v1/calls", json.dumps(body), {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    r = conn.getresponse(); data = json.loads(r.read()); elapsed = (time.perf_counter() - t0) * 1000
    if r.status not in (200, 201) or data.get("outcome") != "decided-only": raise SystemExit(f"{label} call {n}: {r.status} {data}")
    return elapsed
for n in range(warmup): call(-1 - n)
times = sorted(call(n) for n in range(calls))
q = lambda p: round(times[min(len(times) - 1, int(p * len(times)))], 2)
print(json.dumps({"p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "max": round(times[-1], 2)}))
PY
  serve_stop
}
log "no hooks"; none=$(measure none "")
log "$none; a command hook"; cmd=$(measure command '{ "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "exit 0" } ] } ] }')
log "$cmd; an http hook"; http=$(measure http "{ \"PreToolUse\": [ { \"matcher\": \"Bash\", \"hooks\": [ { \"type\": \"http\", \"url\": \"$hook_url\" } ] } ] }")
log "$http"
base=$(jq -r .p50 <<<"$none")
row() { jq -r --arg name "$1" --argjson base "$base" '"| \($name) | \(.p50) | \(.p90) | \(.p99) | \(.max) | \((.p50 / $base * 100 | round) / 100)x |"' <<<"$2"; }
echo "| $calls decide-only calls each (after $warmup warm-up), SQLite, $(nproc) cores | p50 ms | p90 ms | p99 ms | max ms | p50 vs no hook |"
echo "|---|---|---|---|---|---|"
row "no hook" "$none"
row "PreToolUse command hook (\`exit 0\`)" "$cmd"
row "PreToolUse http hook (local listener, 200 \`{}\`)" "$http"
jq -rn --argjson none "$none" --argjson cmd "$cmd" --argjson http "$http" \
  '"hooks: p50 \($none.p50) ms without, command hook +\(($cmd.p50 - $none.p50) * 100 | round / 100) ms, http hook +\(($http.p50 - $none.p50) * 100 | round / 100) ms per call"'
