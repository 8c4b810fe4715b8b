#!/usr/bin/env bash
# Publishes the `orchestrator` command to artifacts/cli/ ReadyToRun (precompiled): a one-shot `orchestrator run` spends
# most of its start-up compiling Akka, the SQL journal and Orchestrator itself, and the precompiled code skips that
# (BENCHMARKS.md, "orchestrator run start-up"). Prints the executable's path. Republishes only when a source changed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/cli
exe="$out/orchestrator"
if [ ! -x "$exe" ] || [ -n "$(find src hocon Directory.Build.props Directory.Packages.props -newer "$exe" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.conf' -o -name '*.props' -o -name '*.json' \) \
      -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null | head -1)" ]; then
  rid=linux-x64; [ "$(uname -m)" = aarch64 ] && rid=linux-arm64
  echo "publish: orchestrator (ReadyToRun, $rid) to $out" >&2
  dotnet publish src/Orchestrator.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$out" --nologo -v q >&2
  touch "$exe"
fi
echo "$PWD/$exe"
