namespace Orchestrator.Core.Classification;

/// <summary>Everything an analyzer needs to classify one command.</summary>
internal readonly record struct AnalysisContext(IReadOnlyList<string> Argv, ProgramSpec Spec, VerdictBuilder Verdict, CommandCatalog Catalog);
