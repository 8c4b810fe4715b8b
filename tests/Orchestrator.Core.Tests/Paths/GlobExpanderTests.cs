using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

public sealed class GlobExpanderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-glob-").FullName;

    public GlobExpanderTests()
    {
        foreach (var file in new[] { ".env", ".envrc", "a.txt", "b.txt", "src/x.cs", "src/.hidden.cs" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, file))!);
            File.WriteAllText(Path.Combine(_root, file), "");
        }
    }

    [Theory]
    [InlineData(".en?", ".env")]
    [InlineData(".e*", ".env .envrc")]
    [InlineData(".[e]nv", ".env")]
    [InlineData("*.txt", "a.txt b.txt")]
    [InlineData("*nv", "")]
    [InlineData("src/*.cs", "src/x.cs")]
    [InlineData("src/.*.cs", "src/.hidden.cs")]
    [InlineData("*/x.cs", "src/x.cs")]
    [InlineData("nothing*", "")]
    public void Names_what_bash_would_name(string pattern, string expected)
    {
        var found = GlobExpander.Expand(pattern, _root)!;
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(' ').Select(f => Path.Combine(_root, f)), found);
    }

    [Fact]
    public void Gives_up_past_the_limit() => Assert.Null(GlobExpander.Expand("*", _root, limit: 2));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
