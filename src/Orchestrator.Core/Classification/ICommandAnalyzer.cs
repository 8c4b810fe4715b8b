namespace Orchestrator.Core.Classification;

/// <summary>Code for a program whose syntax the catalog data alone cannot describe; selected by the catalog's "analyzer".</summary>
internal interface ICommandAnalyzer
{
    string Name { get; }

    /// <summary>Fills in the verdict. The verdict starts with the spec's risk and reason.</summary>
    void Analyze(AnalysisContext context);
}
