#!/usr/bin/env bash
# Sandbox start overhead: median wall time of /bin/true and of a short `ls -R` under
#   (a) bare exec, (b) raw bwrap with the same flags, (c) our built-in layer (NativeAOT helper),
#   (d) bwrap + our helper, (e) `orchestrator run` end to end,
# measured with hyperfine in one run, reported as differences from (a). Usage: ops/bench/sandbox-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-200}
ops/setup.sh >/dev/null
command -v hyperfine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
dotnet build src/Orchestrator.Cli -c Release --nologo -v q >/dev/null
cli=$(pwd)/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator

ws=$(mktemp -d /tmp/orchestrator-bench-ws.XXXXXX)
trap 'rm -rf "$ws"' EXIT
mkdir -p "$ws/src/a/b" && for i in $(seq 1 20); do echo "$i" > "$ws/src/a/b/f$i"; done
export HOME=$ws ORCHESTRATOR_MANAGED_SETTINGS=""

# The exact launch lines orchestrator would use, one argument per line (NUL-separated).
plan() { (cd "$ws" && ORCHESTRATOR_NO_BWRAP=$1 "$cli" run --print-launch --yes --no-user-settings --workspace "$ws" -- "${@:2}"); }
quote() { local out="" a; while IFS= read -r -d '' a; do out+=" $(printf '%q' "$a")"; done; echo "${out# }"; }

results=()
for label in true ls; do
  if [ $label = true ]; then cmd=(/bin/true); else cmd=(/bin/ls -R "$ws/src"); fi
  builtin=$(plan 1 "${cmd[@]}" | quote)
  both=$(plan 0 "${cmd[@]}" | quote)
  # Raw bwrap: the same bwrap flags, without our helpers around and inside it (and so without --seccomp FD).
  raw=$(plan 0 "${cmd[@]}" | python3 -c '
import sys, shlex
args = sys.stdin.buffer.read().split(b"\0")[:-1]
args = [a.decode() for a in args]
b = next(i for i, a in enumerate(args) if a.endswith("bwrap"))
inner = args.index("--", b + 1)
flags = args[b:inner]
s = flags.index("--seccomp"); del flags[s:s + 2]
cmd = args[args.index("--", inner + 2) + 1:]
print(" ".join(shlex.quote(a) for a in flags + ["--"] + cmd))')
  json=$(mktemp)
  (cd "$ws" && hyperfine -N --warmup 20 --runs "$runs" --export-json "$json" \
    -n "a bare" "$(printf '%q ' "${cmd[@]}")" \
    -n "b raw bwrap" "$raw" \
    -n "c built-in" "$builtin" \
    -n "d bwrap+built-in" "$both" \
    -n "e orchestrator run" "$cli run --yes --no-user-settings --workspace $ws -- $(printf '%q ' "${cmd[@]}")" >/dev/null)
  results+=("$(python3 - "$json" "$label" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"]
base = data[0]["median"]
print(f"### `{ 'true' if sys.argv[2] == 'true' else 'ls -R (20 files)' }`\n")
print("| layer | median ms | over bare exec ms | ratio |")
print("|---|---:|---:|---:|")
for r in data:
    m = r["median"]
    print(f"| {r['command']} | {m*1000:.2f} | {(m-base)*1000:+.2f} | {m/base:.1f}× |")
PY
)")
  rm -f "$json"
done
printf '%s\n\n' "${results[@]}"
