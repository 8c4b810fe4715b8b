#!/usr/bin/env bash
# Sandbox start overhead, side by side in interleaved runs per workspace and command (interleave.py: a, b, c, a, b,
# c, … so that the machine's other load falls evenly on every column): median wall time under
#   (a) bare exec, (b) minimal bubblewrap (namespaces, read-only /, the workspace bound), (c) our built-in layer
#   alone, (d) bubblewrap + our built-in layer, (e) `orchestrator run` end to end (one-shot: .NET start, policy, one
#   walk of the workspace), and with --peers (f) OpenAI Codex's `codex sandbox`, (g) Anthropic's `srt`, both installed
#   from npm into a cache directory by this script — all with a workspace-write policy,
# in a small workspace and in one of 100,000 files with nested repositories (generated here), reported as differences
# from (a). (c) and (d) are the exact launch lines `orchestrator run` uses (its hidden --print-launch).
# (a)–(d) are measured in one run, 5 samples each per round; (a) with (e)–(g) in another. Usage:
#   ops/bench/sandbox-start.sh [runs] [--peers]
# ORCHESTRATOR_BENCH_WORKSPACES=small measures the small workspace only (ops/bench/all.sh --quick).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$(pwd)/ops/bench
runs=${1:-200}
peers=${2:-}
ops/setup.sh >/dev/null
dotnet build src/Orchestrator.Cli -c Release --nologo -v q >/dev/null
cli=$(pwd)/src/Orchestrator.Cli/bin/Release/net10.0/orchestrator

# Not below /tmp: every sandbox here gives the command a private /tmp, and Codex refuses a home below it.
scratch=$(mktemp -d /var/tmp/orchestrator-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export HOME=$scratch/home ORCHESTRATOR_MANAGED_SETTINGS=""
mkdir -p "$HOME"

# The small workspace: a repository with 20 files.
small=$scratch/small
mkdir -p "$small/src/a/b" && git init -q "$small" && for i in $(seq 1 20); do echo "$i" > "$small/src/a/b/f$i"; done

# The large one: 100,000 files in 1,000 directories, the workspace itself a repository holding 20 nested ones
# (vendored libraries), a few editor and environment files below the top.
large=$scratch/large
workspaces=${ORCHESTRATOR_BENCH_WORKSPACES:-small large}
[[ " $workspaces " == *" large "* ]] && python3 - "$large" <<'PY'
import os, subprocess, sys
root = sys.argv[1]
for d in range(100):
    for e in range(10):
        path = os.path.join(root, "src", f"d{d:02}", f"e{e}")
        os.makedirs(path)
        for f in range(100):
            with open(os.path.join(path, f"f{f:03}.txt"), "w") as out: out.write(f"{d} {e} {f}\n")
subprocess.run(["git", "init", "-q", root], check=True)
for k in range(20):
    lib = os.path.join(root, "vendor", f"lib{k:02}")
    os.makedirs(lib)
    subprocess.run(["git", "init", "-q", lib], check=True)
for d in range(0, 100, 25):
    os.makedirs(os.path.join(root, "src", f"d{d:02}", ".vscode"), exist_ok=True)
    open(os.path.join(root, "src", f"d{d:02}", ".envrc"), "w").close()
PY

if [ "$peers" = "--peers" ]; then
  command -v npm >/dev/null || { echo "sandbox-start: --peers needs npm (nodejs)" >&2; exit 1; }
  # srt needs ripgrep and socat next to bubblewrap.
  command -v rg >/dev/null && command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep socat >/dev/null; }
  npm_cache=${ORCHESTRATOR_BENCH_NPM:-$HOME/../npm}
  npm install --prefix "$npm_cache" --no-audit --no-fund --silent @openai/codex @anthropic-ai/sandbox-runtime >/dev/null
  codex="$npm_cache/node_modules/.bin/codex"
  srt="$npm_cache/node_modules/.bin/srt"
  echo '{ "filesystem": { "allowWrite": ["."], "denyRead": [], "denyWrite": [] }, "network": { "allowedDomains": [], "deniedDomains": [] } }' > "$HOME/.srt-settings.json"
  echo "peers: codex $("$codex" --version 2>/dev/null | head -1), srt $("$srt" --version 2>/dev/null | head -1)" >&2
fi

# The exact launch line orchestrator would use, one argument per line (NUL-separated), quoted as one shell line.
plan() { (cd "$1" && ORCHESTRATOR_NO_BWRAP=$2 "$cli" run --print-launch --yes --no-user-settings --workspace "$1" -- "${@:3}"); }
quote() { local out="" a; while IFS= read -r -d '' a; do out+=" $(printf '%q' "$a")"; done; echo "${out# }"; }

results=()
for ws in $workspaces; do
  dir=${!ws}
  for label in true ls; do
    if [ $label = true ]; then cmd=(/bin/true); else cmd=(/bin/ls "$dir/src"); fi
    printed=$(printf '%q ' "${cmd[@]}")
    builtin=$(plan "$dir" 1 "${cmd[@]}" | quote)
    both=$(plan "$dir" 0 "${cmd[@]}" | quote)
    minimal="bwrap --die-with-parent --new-session --unshare-all --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind $dir $dir --chdir $dir -- $printed"
    if [ $ws = small ]; then where="small workspace (a repository, 20 files)"; else where="100,000 files, 21 repositories"; fi
    if [ $label = true ]; then what='`/bin/true`'; else what='`ls src`'; fi
    # The per-command cost (the targets): the quick columns only, 5 runs each per round. A run right after a
    # 200–800 ms .NET or Node start-up pays for that process's cold caches, so the slow columns get a run of their own.
    quick=("a bare" "$printed" "b minimal bwrap" "$minimal" "c built-in (ours)" "$builtin" "d bwrap + built-in (ours)" "$both")
    results+=("$(cd "$dir" && python3 "$here/interleave.py" "$runs" 5 4 5 "### $what — $where: per-command cost" "${quick[@]}")")
    slow=("a bare" "$printed" "e orchestrator run (one-shot)" "$cli run --yes --no-user-settings --workspace $dir -- $printed")
    if [ "$peers" = "--peers" ]; then
      slow+=("f codex sandbox" "$codex sandbox -c sandbox_mode=\"workspace-write\" -- $printed" "g srt" "$srt $printed")
    fi
    results+=("$(cd "$dir" && python3 "$here/interleave.py" "$runs" 3 1 1 "### $what — $where: end to end and peers" "${slow[@]}")")
  done
done
# Where the time goes (small workspace, /bin/true): the same launch lines taken apart.
mapfile -t parts < <(python3 - "$(plan "$small" 1 /bin/true | quote)" "$(plan "$small" 0 /bin/true | quote)" <<'PY'
import shlex, sys
builtin, both = shlex.split(sys.argv[1]), shlex.split(sys.argv[2])
helper, end = builtin[0], builtin.index("--", 1)
drop_flag, drop_value = {"--mount-ns", "--private-tmp"}, {"--keep", "--keep-ro", "--hide", "--protect", "--expose"}
kept, i = [], 1
while i < end:
    if builtin[i] in drop_value: i += 2; continue
    if builtin[i] not in drop_flag: kept.append(builtin[i])
    i += 1
bwrap_end = both.index("--", 1)
print(shlex.join([helper, "--", "/bin/true"]))
print(shlex.join([helper, *kept, *builtin[end:]]))
print(shlex.join(both[:bwrap_end] + ["--", "/bin/true"]))
PY
)
results+=("$(cd "$small" && python3 "$here/interleave.py" "$runs" 5 6 5 "### Where the time goes — \`/bin/true\`, small workspace" \
  "a bare" /bin/true "helper alone (NativeAOT start, exec)" "${parts[0]}" \
  "helper + Landlock, seccomp, caps, rlimits, new session" "${parts[1]}" "c built-in: + mount namespace, private /tmp, mounts" "$(plan "$small" 1 /bin/true | quote)" \
  "our bubblewrap line alone (no helper)" "${parts[2]}" "d bwrap + built-in" "$(plan "$small" 0 /bin/true | quote)")")
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs per column" >&2
printf '%s\n\n' "${results[@]}"
