#!/usr/bin/env bash
# Installs what Orchestrator's build and tests need on a Debian machine, and builds the NativeAOT sandbox helper.
# Idempotent; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK (dotnet) is required and not on PATH" >&2; exit 1; }

# Debian packages: bubblewrap (second sandbox layer), util-linux's setpriv (tests run as an unprivileged user),
# python3 (test probes), gcc/zlib (NativeAOT links with them), strace (the shell parser's differential test against bash),
# ripgrep (Grep runs `rg` when installed; the tests comparing it with the .NET fallback need it), chromium (the web
# console's browser tests).
need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
command -v script >/dev/null 2>&1 || need_apt+=(bsdutils)   # a terminal for tests of `run` waiting at its prompt
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)   # the web console's browser tests (Playwright drives it; no browser download)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v make >/dev/null 2>&1 || need_apt+=(make)
[ -e /usr/lib/x86_64-linux-gnu/libz.so ] || [ -e /usr/lib/aarch64-linux-gnu/libz.so ] || need_apt+=(zlib1g-dev)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${need_apt[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "setup: installing ${need_apt[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

dotnet restore Orchestrator.sln --nologo -v q

# The sandbox helper is published NativeAOT (starting under the JIT would cost ~50 ms per command).
helper=artifacts/bin/orchestrator-sandbox
if [ ! -x "$helper" ] || [ -n "$(find src/Orchestrator.SandboxHelper src/Orchestrator.Sandbox/Linux/Seccomp src/Orchestrator.Sandbox/Linux/Landlock src/Orchestrator.Sandbox/Linux/Mounts \
      -newer "$helper" \( -name '*.cs' -o -name '*.csproj' \) 2>/dev/null | head -1)" ]; then
  echo "setup: publishing the sandbox helper (NativeAOT)" >&2
  rid=linux-x64; [ "$(uname -m)" = aarch64 ] && rid=linux-arm64
  dotnet publish src/Orchestrator.SandboxHelper -c Release -r "$rid" -o artifacts/bin --nologo -v q >/dev/null
fi

# The MCP end-to-end tests drive the server with the official TypeScript SDK client (exact versions in its
# package-lock.json); installed only when the lock file is newer than what is there.
mcp_client=tests/Orchestrator.EndToEnd.Tests/mcp-client
command -v node >/dev/null 2>&1 || { echo "setup: node (v20+) is required for the MCP client tests and not on PATH" >&2; exit 1; }
if [ ! -d "$mcp_client/node_modules/@modelcontextprotocol/sdk" ] || [ "$mcp_client/package-lock.json" -nt "$mcp_client/node_modules/.package-lock.json" ]; then
  echo "setup: installing the MCP test client (npm ci)" >&2
  (cd "$mcp_client" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
