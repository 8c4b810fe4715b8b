#!/usr/bin/env bash
# Installs what Orchestrator's build and tests need on a Debian machine. Idempotent; safe to run again.
set -euo pipefail

need_apt=()
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK (dotnet) is required and not on PATH" >&2; exit 1; }

if ((${#need_apt[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${need_apt[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

cd "$(dirname "$0")/.."
dotnet restore Orchestrator.sln --nologo -v q
