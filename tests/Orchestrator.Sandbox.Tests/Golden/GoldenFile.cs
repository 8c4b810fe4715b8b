using System.Runtime.CompilerServices;

namespace Orchestrator.Sandbox.Tests.Golden;

/// <summary>
/// Compares generated text with a checked-in file under <c>Golden/</c> (copied to the output directory). With
/// <c>ORCHESTRATOR_UPDATE_GOLDEN=1</c> it rewrites the checked-in file instead; review the diff before committing.
/// </summary>
internal static class GoldenFile
{
    public const string UpdateVariable = "ORCHESTRATOR_UPDATE_GOLDEN";

    public static void AssertMatches(string relativePath, string actual, [CallerFilePath] string callerFile = "")
    {
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var source = Path.Combine(SourceGoldenDirectory(callerFile), relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "Golden", relativePath);
        Assert.True(File.Exists(copied), $"Golden file {relativePath} is missing; run the tests with {UpdateVariable}=1 to create it, then review it.");
        var expected = File.ReadAllText(copied).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }

    /// <summary>The checked-in Golden directory, found from the calling test's source file.</summary>
    private static string SourceGoldenDirectory(string callerFile)
    {
        for (var dir = Path.GetDirectoryName(callerFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Orchestrator.Sandbox.Tests.csproj")))
                return Path.Combine(dir, "Golden");
        }
        throw new InvalidOperationException($"Cannot find the test project above {callerFile}.");
    }
}
