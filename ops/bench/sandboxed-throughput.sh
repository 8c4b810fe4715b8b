#!/usr/bin/env bash
# Sandboxed runs and approvals through the API, two builds side by side (A/B, alternated round by round so the
# machine's other load falls on both): `orchestrator loadtest --embedded` with every call asked and approved by the
# built-in approver (mix 0:1:0:0), and with every call run sandboxed without approval (0:0:0:1), at 10 and 50 agents.
#   ops/bench/sandboxed-throughput.sh EXE_A EXE_B [rounds, default 2] [seconds per run, default 10]
# EXE_* are built `orchestrator` executables (src/Orchestrator.Cli/bin/Release/net10.0/orchestrator of each build).
# Load-independent figures per call come from `perf stat` over the whole process tree (bubblewrap, the helper and the
# command included): CPU ms, fsync, mkdir/rmdir (cgroups and bubblewrap's mount points), context switches. Without
# perf only the loadtest's own figures are printed. Prints one markdown row per run on stdout.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,8p "$0" >&2; exit 2; }
a=$1; b=$2; rounds=${3:-2}; seconds=${4:-10}
events=syscalls:sys_enter_fsync,syscalls:sys_enter_mkdir,syscalls:sys_enter_rmdir,task-clock,context-switches
scratch=$(mktemp -d "${TMPDIR:-/tmp}/orchestrator-throughput-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
perf_ok=0
perf stat -e "$events" -o /dev/null true 2>/dev/null && perf_ok=1

echo "| build | mix | agents | load avg (1 min) | calls/s | p50 ms | approval answer → agent p50 ms | CPU ms/call | fsync/call | mkdir/call | rmdir/call | context switches/call |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  for mix in 0:1:0:0 0:0:0:1; do
    for agents in 10 50; do
      for build in A B; do
        exe=$a; [ $build = B ] && exe=$b
        load=$(cut -d' ' -f1 /proc/loadavg)
        cmd=("$exe" loadtest --embedded --agents "$agents" --duration "$seconds" --mix "$mix" --json)
        if [ $perf_ok = 1 ]; then
          perf stat -x, -e "$events" -o "$scratch/stat.csv" -- "${cmd[@]}" > "$scratch/report.json" 2>/dev/null || true
        else
          "${cmd[@]}" > "$scratch/report.json" 2>/dev/null || true
          : > "$scratch/stat.csv"
        fi
        python3 - "$build" "$mix" "$agents" "$load" "$scratch/report.json" "$scratch/stat.csv" <<'PY'
import csv, json, sys
build, mix, agents, load, report, stat = sys.argv[1:]
d = json.load(open(report)); n = max(d["calls"], 1)
c = {}
for row in csv.reader(open(stat)):
    if len(row) > 3 and row[0].strip() and not row[0].startswith("#"):
        try: c[row[2].replace("syscalls:sys_enter_", "")] = float(row[0])
        except ValueError: pass
per = lambda k, f="{:.1f}": f.format(c[k] / n) if k in c else "–"
rt = (d.get("approvals") or {}).get("roundTripP50Ms")
print(f"| {build} | {mix} | {agents} | {load} | {d['throughputPerSecond']} | {d['p50Ms']:.0f} | {rt:.0f} |" if rt else
      f"| {build} | {mix} | {agents} | {load} | {d['throughputPerSecond']} | {d['p50Ms']:.0f} | – |", end="")
print(f" {per('task-clock')} | {per('fsync', '{:.2f}')} | {per('mkdir')} | {per('rmdir')} | {per('context-switches', '{:.0f}')} |")
PY
      done
    done
  done
done
