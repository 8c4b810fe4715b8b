#!/usr/bin/env bash
# Proves the benchmark set runs end to end (ops/test.sh runs it after the tests, so CI does): ops/bench/all.sh --quick
# (every benchmark at its smallest scale) writing its summary into a copy of BENCHMARKS.md, then checks that summary:
# both markers, a row for every figure, none that failed to run or was missing. BENCHMARKS.md itself is not touched.
#   ops/bench/smoke.sh      (exit 0: the set ran and reported; the figures of a quick run mean nothing)
set -euo pipefail
cd "$(dirname "$0")/../.."
report=$(mktemp "${TMPDIR:-/tmp}/orchestrator-bench-smoke-XXXXXX.md")
trap 'rm -f "$report"' EXIT
cp BENCHMARKS.md "$report"
status=0
ops/bench/all.sh --quick --out "$report" || status=$?
python3 - "$report" <<'PY' || status=1
import sys
text = open(sys.argv[1], encoding="utf-8").read()
begin, end = "<!-- ops/bench/all.sh summary: begin -->", "<!-- ops/bench/all.sh summary: end -->"
problems = []
if begin not in text or end not in text: problems.append("the summary's markers are missing")
summary = text[text.find(begin):text.find(end)] if begin in text and end in text else ""
if "Quick (smoke) run" not in summary: problems.append("the summary does not say it is a quick run")
rows = [l for l in summary.splitlines() if l.startswith("| ") and not l.startswith("| Figure")]
for figure in ["Policy evaluation", "Sandbox start", "Sandboxed executions", "Approval round trip", "Durable decisions", "Hooks", "Replay", "Restart to ready"]:
    if not any(r.startswith("| " + figure) for r in rows): problems.append(f"no row for {figure}")
for r in rows:
    if "failed to run" in r or "not present" in r: problems.append("a step did not run: " + r)
for p in problems: print("bench smoke: " + p, file=sys.stderr)
print(f"bench smoke: {len(rows)} rows, {len(problems)} problems", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
exit $status
