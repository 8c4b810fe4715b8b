namespace Orchestrator.Sandbox.Process;

/// <summary>
/// Finds the executable a <see cref="LaunchPlan"/> names, the way the child would, rather than the way .NET would
/// (which searches our own PATH and our own application directory first).
/// </summary>
internal static class ProgramResolver
{
    // What execvp uses when PATH is unset.
    private const string DefaultPath = "/bin:/usr/bin";

    /// <exception cref="LaunchException">Nothing executable by that name.</exception>
    public static string Resolve(string fileName, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (string.IsNullOrEmpty(fileName) || fileName.Contains('\0'))
            throw new LaunchException("The program name is empty or contains NUL.", nameof(LaunchPlan.FileName));

        if (fileName.Contains('/'))
        {
            var path = Path.GetFullPath(fileName, workingDirectory);
            return IsExecutableFile(path)
                ? path
                : throw new LaunchException($"Program '{fileName}' not found or not executable (looked at '{path}').", nameof(LaunchPlan.FileName));
        }

        var searchPath = environment.TryGetValue("PATH", out var p) ? p : DefaultPath;
        // Relative and empty entries (which mean "the current directory") are skipped: a command must not pick
        // up a program planted in the directory it runs in.
        foreach (var directory in searchPath.Split(':'))
        {
            if (!Path.IsPathRooted(directory))
                continue;
            var candidate = Path.Combine(directory, fileName);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        throw new LaunchException($"Program '{fileName}' not found on the child's PATH '{searchPath}'.", nameof(LaunchPlan.FileName));
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path))
                return false;
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
