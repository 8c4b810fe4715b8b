using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

public sealed class GlobSearchTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private GlobSearch.Result Search(string pattern, string? path = null, Func<string, bool>? include = null)
    {
        var input = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Pattern, pattern);
        if (path is not null) input = input.Add(ToolInputKeys.Path, path);
        var request = GlobSearch.Read(ToolCall.Create(ToolNames.Glob, input, _tree.Root), out var error);
        Assert.True(request is not null, error);
        return GlobSearch.Search(request, include, CancellationToken.None);
    }

    [Fact]
    public void Matches_are_listed_newest_first()
    {
        var old = _tree.Write("src/old.cs", "");
        var young = _tree.Write("src/deep/young.cs", "");
        var middle = _tree.Write("top.cs", "");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(middle, DateTime.UtcNow.AddHours(-1));
        _tree.Write("src/notes.md", "");

        var result = Search("**/*.cs");

        Assert.Equal([young, middle, old], result.Files);
        Assert.Equal([middle], Search("*.cs").Files);
        Assert.Equal([young, old], Search("src/**/*.cs").Files);
    }

    [Fact]
    public void At_most_a_hundred_files_are_listed_and_the_cut_is_said()
    {
        for (var i = 0; i < 130; i++) _tree.Write($"f{i:000}.txt", "");

        var result = Search("*.txt");

        Assert.Equal(GlobSearch.MaxResults, result.Files.Count);
        Assert.Equal(130, result.Matched);
        Assert.Contains("30 more files matched", result.Text());
    }

    [Fact]
    public void A_symlink_never_leads_the_listing_out_of_the_base()
    {
        using var outside = new TempTree();
        outside.Write("secret.cs", "");
        outside.Write("dir/inner.cs", "");
        var inside = _tree.Write("a.cs", "");
        File.CreateSymbolicLink(_tree.At("out.cs"), outside.At("secret.cs"));
        File.CreateSymbolicLink(_tree.At("in.cs"), inside);
        Directory.CreateSymbolicLink(_tree.At("linkdir"), outside.At("dir"));

        var result = Search("**/*.cs");

        Assert.Equal(new[] { inside, _tree.At("in.cs") }.Order(), result.Files.Order());
    }

    [Fact]
    public void Paths_the_policy_hides_and_git_directories_are_not_listed()
    {
        var shown = _tree.Write("a.env", "");
        _tree.Write("secret/b.env", "");
        _tree.Write(".git/c.env", "");

        var result = Search("**/*.env", include: path => !path.StartsWith(_tree.At("secret"), StringComparison.Ordinal));

        Assert.Equal([shown], result.Files);
    }

    [Fact]
    public void A_fixed_leading_part_moves_the_base_as_the_policy_judged_it()
    {
        var file = _tree.Write("sub/x/a.ts", "");

        Assert.Equal([file], Search("sub/x/*.ts").Files);
        Assert.Equal([file], Search("../sub/**/*.ts", path: _tree.At("sub")).Files);
    }

    [Theory]
    [InlineData("", null, "non-empty 'pattern'")]
    [InlineData("*.cs", "relative/dir", "absolute path")]
    [InlineData("[ab", null, "unclosed '['")]
    [InlineData("src/", null, "names a directory")]
    public void Bad_input_is_refused_naming_the_field(string pattern, string? path, string reason)
    {
        var input = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Pattern, pattern);
        if (path is not null) input = input.Add(ToolInputKeys.Path, path);
        Assert.Null(GlobSearch.Read(ToolCall.Create(ToolNames.Glob, input, _tree.Root), out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void No_match_says_so() => Assert.Equal("No files found", Search("*.nothing").Text());
}
