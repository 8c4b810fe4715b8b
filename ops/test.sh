#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (ops/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh
dotnet build Orchestrator.sln -c Release --nologo -v q
dotnet test Orchestrator.sln -c Release --no-build --nologo -v q --logger "console;verbosity=minimal" "$@"
