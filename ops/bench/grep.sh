#!/usr/bin/env bash
# Grep over a generated tree through a real `orchestrator serve` (POST /v1/calls, intent execute, SQLite journal), once
# with ripgrep on the server's PATH and once without (the .NET fallback), against `rg` run directly on the same tree,
# same run, same machine:  ops/bench/grep.sh [files, default 100000] [runs, default 3]
# The tree: FILES files of 20 lines in directories of 100; every 1000th file holds "needle". Each mode searches for
# it with files_with_matches; prints one line per run with the wall time (curl's total for the HTTP calls) and the
# number of files listed, which must be the same in every mode.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${1:-100000}; runs=${2:-3}
dotnet build src/Orchestrator.Cli -c Release -nologo -v quiet >&2
work=$(mktemp -d /tmp/orchestrator-grep-bench-XXXXXX)
. ops/bench/lib/serve.sh
trap 'serve_stop; rm -rf "$work"' EXIT
mkdir -p "$work/project/tree" "$work/home"
python3 - "$work/project/tree" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
body = "".join(f"line {i} of some ordinary text, nothing to find here\n" for i in range(20))
for f in range(n):
    d = os.path.join(root, f"d{f // 100:04d}")
    if f % 100 == 0: os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{f:06d}.txt"), "w") as out:
        out.write(body + ("a needle here\n" if f % 1000 == 0 else ""))
PY
tree="$work/project/tree"
echo '{ "orchestrator": { "approvalPolicy": "on-request" } }' > "$work/settings.json"
echo "tree: $files files ($(du -sh "$tree" | cut -f1)); load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

for run in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  listed=$(rg --no-config --files-with-matches --no-messages --sort path -e needle -- "$tree" | wc -l)
  echo "rg direct       run $run: $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$(date +%s.%N)") s, $listed files"
done

serve() { # $1: PATH for the server
  rm -rf "$work/data"
  serve_start "$work/serve.log" "$work/project" env PATH="$1" HOME="$work/home" "$PWD/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator" serve \
    --port 0 --data "$work/data" --project "$work/project" --settings "$work/settings.json"
  serve_ready
  url=$serve_url
}

grep_call() { # $1: label, $2: call id
  local body
  body=$(printf '{"id":"%s","agentId":"bench","sessionId":"bench","tool":"Grep","input":{"pattern":"needle","path":"%s","output_mode":"files_with_matches"},"cwd":"%s","intent":"execute","wait":120}' \
    "$2" "$tree" "$work/project")
  curl -s -o "$work/answer.json" -w '%{time_total}' -H 'Content-Type: application/json' -d "$body" "$url/v1/calls" > "$work/time"
  python3 - "$1" "$(cat "$work/time")" "$work/answer.json" <<'PY'
import json, sys
label, seconds, answer = sys.argv[1], float(sys.argv[2]), json.load(open(sys.argv[3]))
tool = (answer.get("execution") or {}).get("tool") or {}
listed = len([l for l in ((answer.get("output") or {}).get("stdout") or "").split("\n") if l])
print(f"{label}: {seconds:.3f} s, {listed} files, outcome {answer.get('outcome')}, engine {(tool.get('details') or {}).get('engine')}"
      + ("" if answer.get("outcome") == "allowed-and-ran" else f", detail {answer.get('detail')!r} stderr {(answer.get('output') or {}).get('stderr')!r}"))
PY
}

serve "$PATH"
for run in $(seq 1 "$runs"); do grep_call "serve, ripgrep run $run" "rg-$run"; done
serve_stop
serve "$work/no-bin"
for run in $(seq 1 "$runs"); do grep_call "serve, fallback run $run" "net-$run"; done
serve_stop
