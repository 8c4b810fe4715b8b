#!/usr/bin/env bash
# The whole benchmark set, each figure beside a baseline measured in the same run, and BENCHMARKS.md's summary table
# rewritten (machine, commit, commands, which DESIGN §9 targets are met). The detailed sections below the summary
# are left as they are: only the part between the "all.sh summary" markers is replaced.
#   ops/bench/all.sh [--quick] [--out FILE (default BENCHMARKS.md)]
# --quick: every benchmark at smoke size (BenchmarkDotNet's dry job, a few runs, small journals) to prove the set runs
# end to end; its figures are not comparable to the targets and the table says so (no target is claimed met).
# Steps (a step whose script is not on this commit is listed as not present):
#   policy core          ops/bench/run.sh policy            full decision vs exact-text allowlist lookup (BenchmarkDotNet)
#   sandbox start        ops/bench/sandbox-start.sh         built-in / bwrap + built-in vs bare exec, /bin/true, small workspace
#   sandboxed executions orchestrator loadtest --embedded   executed calls (mix 0:0:0:1) vs decide-only allowed calls (1:0:0:0)
#   durable decisions    ops/bench/load.sh sqlite           decisions/s and p99 at 1,000 agents vs the policy core alone
#   hooks                ops/bench/hooks.sh                 when present
#   approval round trip  orchestrator loadtest --embedded   asked calls approved through the API (0:1:0:0) vs allowed calls
#   replay               ops/bench/replay.sh                when present
#   restart to ready     ops/bench/restart.sh               1,000,000 calls / 10,000 pending vs the same server on an empty journal
# Each step's full output is kept in artifacts/bench-all/<step>.log. Exits non-zero when a step fails to run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
quick=0; out=BENCHMARKS.md
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--quick] [--out FILE]" >&2; exit 2 ;;
  esac
done
logs=$root/artifacts/bench-all; mkdir -p "$logs"
. ops/bench/lib/serve.sh
trap serve_stop EXIT
rows=$logs/rows.tsv; : > "$rows"
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
# row NAME TARGET MEASURED BASELINE MET COMMAND  (one line of the summary table)
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$rows"; }
met() { if [ "$quick" = 1 ]; then echo "— (quick)"; elif python3 -c "import sys; sys.exit(0 if $1 else 1)"; then echo "**yes**"; else echo "no"; fi; }
failed=0
unparsed() { # unparsed NAME LOG: the step ran but left no figure to read (e.g. BenchmarkDotNet could not build its job)
  log "$1: no result in $2"; row "$1" "" "**failed to run** (no result in \`${2#$root/}\`)" "" "no" ""; failed=1
}
step() { # step NAME LOG COMMAND...: runs it, its output in LOG; a failure is recorded, the set goes on
  local name=$1 file=$2; shift 2
  local rc=0
  log "$name: $*"
  "$@" > "$file" 2> "${file%.log}.err" || rc=$?
  [ "$rc" = 0 ] && return 0
  log "$name FAILED (exit $rc); see $file and ${file%.log}.err"
  row "$name" "" "**failed to run**" "" "no" "\`$*\`"; failed=1; return 1
}

dotnet build src/Orchestrator.Cli -c Release --nologo -v q >&2
cli=$root/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator

# 1. Policy core: BenchmarkDotNet, one thread, the 100-rule policy and 20-command mix.
if [ "$quick" = 1 ]; then job=(--job Dry); else job=(); fi
rm -rf "$logs/bdn"
# A loaded machine can take more than BenchmarkDotNet's default two minutes to build the job.
if step "Policy evaluation" "$logs/policy.log" ops/bench/run.sh policy "${job[@]}" --buildTimeout 900 --artifacts "$logs/bdn" --exporters csv; then
  if parsed=$(python3 - "$logs/bdn" <<'PY'
import csv, glob, sys
rows = {r["Method"]: r for f in glob.glob(sys.argv[1] + "/results/*Policy*-report.csv") for r in csv.DictReader(open(f))}
def ns(method):
    text = rows[method]["Mean"].replace(",", "").split()
    value, unit = text if len(text) == 2 else (text[0], "ns")
    return float(value) * {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]
print(f"{ns('FullPolicyDecision'):.0f} {ns('ExactAllowlistLookup'):.0f}")
PY
) && read -r full base <<<"$parsed"; then
  per_second=$(( 1000000000 / full ))
  row "Policy evaluation, one core" "≥ 200,000 decisions/s" "$(printf "%'d" "$per_second") decisions/s ($full ns each)" \
    "exact-text allowlist lookup $base ns" "$(met "$per_second >= 200000")" '`ops/bench/run.sh policy`'
  else unparsed "Policy evaluation" "$logs/policy.log"; fi
fi

# 2. Sandbox start overhead, small workspace, /bin/true.
runs=200; [ "$quick" = 1 ] && runs=3
if step "Sandbox start" "$logs/sandbox-start.log" env ORCHESTRATOR_BENCH_WORKSPACES=small ops/bench/sandbox-start.sh "$runs"; then
  if parsed=$(python3 - "$logs/sandbox-start.log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
table = text.split("### `/bin/true` — small workspace")[1].split("###")[0]
med = {m.group(1): float(m.group(2)) for m in re.finditer(r"^\| ([a-z]) [^|]*\| ([0-9.]+) \|", table, re.M)}
print(med["a"], med["c"], med["d"])
PY
) && read -r bare builtin both <<<"$parsed"; then
  over_builtin=$(python3 -c "print(f'{$builtin - $bare:+.1f}')"); over_both=$(python3 -c "print(f'{$both - $bare:+.1f}')")
  row "Sandbox start, \`/bin/true\`, over bare exec" "built-in ≤ +4 ms; bwrap + built-in ≤ +12 ms" "built-in $over_builtin ms; bwrap + built-in $over_both ms" \
    "bare exec $bare ms (median)" "$(met "$builtin - $bare <= 4 and $both - $bare <= 12")" "\`ops/bench/sandbox-start.sh $runs\`"
  else unparsed "Sandbox start" "$logs/sandbox-start.log"; fi
fi

# 3 and 6. Executed calls and approval round trips through the whole server (loadtest --embedded, real sandbox).
agents=100; calls=2000; [ "$quick" = 1 ] && { agents=4; calls=40; }
loadtest() { "$cli" loadtest --embedded --agents "$agents" --calls "$calls" --json "$@"; }
field() { python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'r': r}))" "$@"; }
if step "Decide-only baseline" "$logs/loadtest-allow.log" loadtest --mix 1:0:0:0 \
   && step "Sandboxed executions" "$logs/loadtest-exec.log" loadtest --mix 0:0:0:1 \
   && step "Approval round trip" "$logs/loadtest-ask.log" loadtest --mix 0:1:0:0 --approver auto; then
  a=$logs/loadtest-allow.log; e=$logs/loadtest-exec.log; k=$logs/loadtest-ask.log
  ran=$(field "$e" "r['outcomes'].get('allow → allowed-and-ran', 0)")
  row "Sandboxed executions, $agents agents at once in one workspace" "100 at once: 0 failures" \
    "$(field "$e" "f\"{r['throughputPerSecond']:,.0f} runs/s, p99 {r['p99Ms']:.0f} ms; {r['calls'] - $ran + r['errors']} failures of {r['calls'] + r['errors']}\"")" \
    "decide-only $(field "$a" "f\"{r['throughputPerSecond']:,.0f} calls/s, p99 {r['p99Ms']:.1f} ms\"")" \
    "$(met "$(field "$e" "r['errors']") == 0 and $ran == $calls")" "\`orchestrator loadtest --embedded --agents $agents --calls $calls --mix 0:0:0:1\`"
  row "Approval round trip (API answer → agent's answer, the approved call run)" "—" \
    "$(field "$k" "f\"p50 {r['approvals']['roundTripP50Ms']:.1f} ms, p99 {r['approvals']['roundTripP99Ms']:.1f} ms; {r['approvals']['perSecond']:,.1f} approvals/s\"")" \
    "allowed call p50 $(field "$a" "f\"{r['p50Ms']:.1f}\"") ms" "—" "\`orchestrator loadtest --embedded --agents $agents --calls $calls --mix 0:1:0:0 --approver auto\`"
fi

# 4. Durable decisions on SQLite at 1,000 agents, beside the policy core alone on the same tasks.
if [ "$quick" = 1 ]; then load=(sqlite 10 2 --warmup 1 --baseline 1); else load=(sqlite 1000 10); fi
if step "Durable decisions" "$logs/load.log" ops/bench/load.sh "${load[@]}"; then
  if parsed=$(python3 - "$logs/load.log" <<'PY'
import sys
lines = [l for l in open(sys.argv[1]) if l.startswith("|")]
head = [c.strip() for c in lines[0].strip("|\n").split("|")]
cells = [c.strip() for c in lines[-1].strip("|\n").split("|")]
row = dict(zip(head, cells))
num = lambda s: float(s.replace(",", ""))
print(int(num(row["decisions/s"])), num(row["p99 ms"]), int(num(next(v for k, v in row.items() if k.startswith("baseline")))))
PY
) && read -r dps p99 base <<<"$parsed"; then
  row "Durable decisions, SQLite, ${load[1]} agents" "≥ 20,000/s; p99 ≤ 5 ms at 1,000 agents" "$(printf "%'d" "$dps")/s, p99 $p99 ms" \
    "policy core alone $(printf "%'d" "$base")/s" "$(met "$dps >= 20000 and $p99 <= 5")" "\`ops/bench/load.sh ${load[*]}\`"
  else unparsed "Durable decisions" "$logs/load.log"; fi
fi

# 5 and 7. Benchmarks other areas add: run when present, their last line reported.
for extra in hooks replay; do
  script=ops/bench/$extra.sh
  if [ ! -x "$script" ]; then row "${extra^}" "$([ $extra = replay ] && echo "≥ 100,000 recorded calls/s" || echo "—")" "not present on this commit" "" "—" "\`$script\`"; continue; fi
  args=(); [ "$quick" = 1 ] && args=(--quick)
  if step "${extra^}" "$logs/$extra.log" "$script" "${args[@]}"; then
    row "${extra^}" "$([ $extra = replay ] && echo "≥ 100,000 recorded calls/s" || echo "—")" "$(tail -1 "$logs/$extra.log")" "(see its section)" "see its section" "\`$script\`"
  fi
done

# 8. Restart to ready, beside the same server becoming ready on an empty data directory.
if [ "$quick" = 1 ]; then restart=(--calls 2000 --sessions 20 --pending 20 --with-output 10 --workers 20); else restart=(); fi
if step "Restart to ready" "$logs/restart.log" ops/bench/restart.sh "${restart[@]}"; then
  ready=$(sed -n 's/^restart: ready in \([0-9.]*\) s.*/\1/p' "$logs/restart.log")
  recorded=$(sed -n 's/.*calls \([0-9]*\), pending approvals \([0-9]*\).*/\1 calls, \2 pending/p' "$logs/restart.log")
  exe=$(ops/publish.sh); empty=$(mktemp -d); mkdir -p "$empty/ws"
  t0=$(date +%s.%N)
  serve_poll=0.02 serve_start "$empty/serve.log" "$empty/ws" "$exe" serve --data "$empty/data" --project "$empty/ws" --no-user-settings --port 0
  serve_poll=0.02 serve_ready
  empty_ready=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.2f}')")
  serve_stop; rm -rf "$empty"
  row "Restart to ready ($recorded)" "≤ 3 s at 1,000,000 calls, 10,000 pending" "$ready s" "empty journal $empty_ready s" \
    "$(met "$ready <= 3")" "\`ops/bench/restart.sh ${restart[*]}\`"
fi

# The summary, between its markers in $out (inserted before the first section when absent).
python3 - "$out" "$rows" "$quick" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes')" <<'PY'
import datetime, os, platform, sys
out, rows, quick, commit = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
begin, end = "<!-- ops/bench/all.sh summary: begin -->", "<!-- ops/bench/all.sh summary: end -->"
mem = next((int(l.split()[1]) // 1048576 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
load = " ".join(open("/proc/loadavg").read().split()[:3])
lines = [begin, "## Summary (`ops/bench/all.sh`)", "",
         f"{'**Quick (smoke) run: sizes too small to compare with the targets.** ' if quick else ''}"
         f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on commit {commit}: {os.cpu_count()} cores, {mem} GiB, "
         f"kernel {platform.release()}, load average {load} at the end; command `ops/bench/all.sh{' --quick' if quick else ''}`. "
         "Each figure has its baseline from the same run; the sections below hold the details and earlier runs.", "",
         "| Figure | Target (DESIGN §9) | Measured | Baseline, same run | Target met | Command |", "|---|---|---|---|---|---|"]
for r in open(rows, encoding="utf-8"):
    lines.append("| " + " | ".join(c.replace("|", "\\|") for c in r.rstrip("\n").split("\t")) + " |")
lines.append(end)
block = "\n".join(lines) + "\n"
text = open(out, encoding="utf-8").read() if os.path.exists(out) else "# Benchmarks\n"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end) + 1:]
else:
    at = text.find("\n## ")
    text = text + "\n" + block if at < 0 else text[:at + 1] + block + "\n" + text[at + 1:]
open(out, "w", encoding="utf-8").write(text)
PY
log "summary written to $out"
cat "$rows" | cut -f1,3,5 >&2
exit $failed
