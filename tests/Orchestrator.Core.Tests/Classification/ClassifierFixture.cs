using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

internal static class ClassifierFixture
{
    public static CommandClassification Classify(string commandLine) =>
        CommandClassifier.Default.Classify(Words.Split(commandLine));
}
