using System.Diagnostics;

namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>
/// Locates the published <c>orchestrator-sandbox</c>: <c>ORCHESTRATOR_SANDBOX_HELPER</c> if set, otherwise
/// <c>artifacts/bin/orchestrator-sandbox</c> under the repository root, published first when missing or stale.
/// </summary>
public sealed class HelperBinary
{
    public const string EnvironmentVariable = "ORCHESTRATOR_SANDBOX_HELPER";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    public HelperBinary()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            Path = fromEnvironment;
            return;
        }

        var root = FindRepositoryRoot();
        Path = System.IO.Path.Combine(root, "artifacts", "bin", "orchestrator-sandbox");
        if (IsStale(root, Path))
        {
            Publish(root);
        }
    }

    public string Path { get; }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Orchestrator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no Orchestrator.sln above " + AppContext.BaseDirectory);
    }

    private static bool IsStale(string root, string binary)
    {
        if (!File.Exists(binary))
        {
            return true;
        }

        var built = File.GetLastWriteTimeUtc(binary);
        string[] sourceDirectories =
        [
            "src/Orchestrator.SandboxHelper",
            "src/Orchestrator.Sandbox/Linux/Seccomp",
            "src/Orchestrator.Sandbox/Linux/Landlock",
            "src/Orchestrator.Sandbox/Linux/Mounts",
        ];
        return sourceDirectories
            .Select(directory => System.IO.Path.Combine(root, directory))
            .Where(Directory.Exists)
            .SelectMany(directory => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal))
            .Any(file => File.GetLastWriteTimeUtc(file) > built);
    }

    private static void Publish(string root)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var arg in new[]
                 {
                     "publish", "src/Orchestrator.SandboxHelper", "-c", "Release", "-r", "linux-x64", "-o", "artifacts/bin",
                     "-nologo",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(PublishTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("publishing orchestrator-sandbox timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"publishing orchestrator-sandbox failed:\n{output.Result}\n{error.Result}");
        }
    }
}
