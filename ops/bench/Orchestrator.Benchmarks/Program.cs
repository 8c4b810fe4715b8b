using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Orchestrator.Benchmarks.PolicyEvaluationBenchmarks).Assembly).Run(args);
