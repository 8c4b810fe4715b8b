namespace Orchestrator.Actors.Hosting;

/// <summary>Finds the <c>hocon/</c> folder with Orchestrator's Akka configuration files.</summary>
public static class HoconDirectory
{
    /// <summary>The file every configuration starts from; its presence marks the folder.</summary>
    public const string MarkerFile = "orchestrator.conf";

    /// <summary>
    /// <paramref name="explicitDirectory"/> when given (it must hold the files); else <c>hocon/</c> next to the
    /// executable (the build copies it there); else the first <c>hocon/</c> walking up from the executable's folder
    /// and from the working directory.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No folder with <c>orchestrator.conf</c> was found.</exception>
    public static string Locate(string? explicitDirectory = null)
    {
        if (explicitDirectory is not null)
        {
            var full = Path.GetFullPath(explicitDirectory);
            return File.Exists(Path.Combine(full, MarkerFile))
                ? full
                : throw new DirectoryNotFoundException($"The HOCON directory {full} has no {MarkerFile}.");
        }

        var searched = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "hocon");
                if (File.Exists(Path.Combine(candidate, MarkerFile))) return candidate;
                searched.Add(candidate);
            }
        }

        throw new DirectoryNotFoundException(
            $"No hocon/{MarkerFile} found next to the executable or above it; searched: {string.Join(", ", searched.Distinct())}. " +
            "Set PersistenceOptions.HoconDirectory.");
    }
}
