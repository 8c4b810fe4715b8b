using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

/// <summary>A real temporary directory tree, removed on dispose. <see cref="Root"/> is already canonical.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        var raw = Path.Combine(Path.GetTempPath(), "orch-paths-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(raw);
        // macOS puts temp under /var → /private/var, so tests compare against the physical spelling.
        Root = PathCanonicalizer.Canonicalize(raw, "/", "/").FullPath;
    }

    public string Root { get; }

    public string P(string relative) => relative.Length == 0 ? Root : Root + "/" + relative;

    public string Dir(string relative)
    {
        Directory.CreateDirectory(P(relative));
        return P(relative);
    }

    public string File(string relative, string content = "x")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(P(relative))!);
        System.IO.File.WriteAllText(P(relative), content);
        return P(relative);
    }

    /// <summary>Creates a symlink at <paramref name="relative"/> whose text is exactly <paramref name="target"/>.</summary>
    public string Link(string relative, string target)
    {
        System.IO.File.CreateSymbolicLink(P(relative), target);
        return P(relative);
    }

    public string DirLink(string relative, string target)
    {
        Directory.CreateSymbolicLink(P(relative), target);
        return P(relative);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
