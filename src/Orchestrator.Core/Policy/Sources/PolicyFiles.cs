using System.Collections.Immutable;

namespace Orchestrator.Core.Policy.Sources;

/// <summary>The policy files as they are on disk now.</summary>
public sealed class PolicyFiles : IPolicyFiles
{
    /// <summary>Largest policy file read; larger ones are unreadable (the policy fails closed).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static PolicyFiles Disk { get; } = new();

    private PolicyFiles() { }

    public PolicyFileObservation Observe(string path)
    {
        try
        {
            if (Directory.Exists(path))
                return new PolicyFileObservation(path, PolicyFileKind.Directory)
                {
                    Entries = [.. Directory.GetFiles(path).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)],
                };
            var info = new FileInfo(path);
            if (!info.Exists) return PolicyFileObservation.Missing(path);
            if (info.Length > MaxBytes)
                return new PolicyFileObservation(path, PolicyFileKind.Unreadable) { Error = $"larger than {MaxBytes} bytes" };
            return new PolicyFileObservation(path, PolicyFileKind.File) { Bytes = ImmutableArray.Create(File.ReadAllBytes(path)) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new PolicyFileObservation(path, PolicyFileKind.Unreadable) { Error = e.Message };
        }
    }
}
