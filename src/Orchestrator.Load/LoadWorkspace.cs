namespace Orchestrator.Load;

/// <summary>A project the <see cref="CallMix"/>'s Read/Write/Edit calls point into (README.md, src/main.c, a .env).</summary>
public static class LoadWorkspace
{
    /// <summary>Creates (or completes) the files at <paramref name="at"/>, or in a new temp directory.</summary>
    public static string Create(string? at = null)
    {
        var root = at is null ? Directory.CreateTempSubdirectory("orchestrator-loadbench-").FullName : Directory.CreateDirectory(at).FullName;
        Directory.CreateDirectory(Path.Combine(root, "src"));
        Directory.CreateDirectory(Path.Combine(root, "build"));
        Directory.CreateDirectory(Path.Combine(root, "home"));
        File.WriteAllText(Path.Combine(root, "README.md"), "# bench\n");
        File.WriteAllText(Path.Combine(root, "src", "main.c"), "int main(void) { return 0; }\n");
        File.WriteAllText(Path.Combine(root, ".env"), "SECRET=1\n");
        return root;
    }
}
