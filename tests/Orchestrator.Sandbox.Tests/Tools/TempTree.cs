namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>A directory tree under the temp directory, removed on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Join(Path.GetTempPath(), "orch-search-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string At(string relative) => Path.Join(Root, relative);

    public string Write(string relative, string content)
    {
        var path = Path.Join(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
