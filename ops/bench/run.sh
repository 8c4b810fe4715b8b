#!/usr/bin/env bash
# Runs the BenchmarkDotNet suites. Usage: ops/bench/run.sh [policy|workspaceIndex] [extra BenchmarkDotNet args]
set -euo pipefail
cd "$(dirname "$0")/../.."
suite=${1:-policy}; shift || true
dotnet run -c Release --project ops/bench/Orchestrator.Benchmarks -- --filter "*${suite^}*" "$@"
