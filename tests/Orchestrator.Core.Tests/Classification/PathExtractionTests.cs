using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

public class PathExtractionTests
{
    private static void AssertPaths(string commandLine, params string[] expected)
    {
        var actual = Classify(commandLine).Paths.Select(p => $"{(p.Kind == PathAccessKind.Read ? "R" : "W")}:{p.Path}");
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("cat a b", "R:a", "R:b")]
    [InlineData("head -n 5 file", "R:file")]
    [InlineData("head -n5 file", "R:file")]
    [InlineData("head --lines=5 file", "R:file")]
    [InlineData("tail -c 100 -f log", "R:log")]
    [InlineData("wc -l a", "R:a")]
    [InlineData("grep pattern f1 f2", "R:f1", "R:f2")]
    [InlineData("grep -i -e pattern file", "R:file")]
    [InlineData("grep -A 3 pattern file", "R:file")]
    [InlineData("grep -f patterns.txt file", "R:patterns.txt", "R:file")]
    [InlineData("grep -- -v file", "R:file")]
    [InlineData("rg -g '*.cs' TODO src", "R:src")]
    [InlineData("ls -- -weird", "R:-weird")]
    [InlineData("cat - file", "R:file")]
    [InlineData("jq --arg name value .x data.json", "R:data.json")]
    [InlineData("diff -u old new", "R:old", "R:new")]
    public void Readers_report_read_paths(string commandLine, params string[] expected) =>
        AssertPaths(commandLine, expected);

    [Theory]
    [InlineData("cp a b dir", "R:a", "R:b", "W:dir")]
    [InlineData("cp -r src dst", "R:src", "W:dst")]
    [InlineData("cp -t dir a", "W:dir", "R:a")]
    [InlineData("mv a b", "W:a", "W:b")]
    [InlineData("rm -- -rf", "W:-rf")]
    [InlineData("rm a b", "W:a", "W:b")]
    [InlineData("rmdir d", "W:d")]
    [InlineData("touch -d yesterday f", "W:f")]
    [InlineData("mkdir -m 755 -p d", "W:d")]
    [InlineData("tee -a log", "W:log")]
    [InlineData("ln -s target link", "R:target", "W:link")]
    [InlineData("chmod 644 f", "W:f")]
    [InlineData("chmod -x f", "W:f")]
    [InlineData("chmod u+x,g-w f", "W:f")]
    [InlineData("chown user:group f", "W:f")]
    [InlineData("truncate -s 0 f", "W:f")]
    [InlineData("sed -i 's/a/b/' f1 f2", "W:f1", "W:f2")]
    [InlineData("sed -i.bak -e 's/a/b/' f", "W:f")]
    [InlineData("sed 's/a/b/' f", "R:f")]
    [InlineData("sed -n -e p f", "R:f")]
    [InlineData("sort -o out in", "W:out", "R:in")]
    [InlineData("sort --output=out in", "W:out", "R:in")]
    [InlineData("uniq in out", "R:in", "W:out")]
    [InlineData("uniq in", "R:in")]
    [InlineData("find src -fprint list", "R:src", "W:list")]
    [InlineData("dd if=in.img of=out.img bs=1M", "R:in.img", "W:out.img")]
    [InlineData("tar -czf out.tgz src docs", "W:out.tgz", "R:src", "R:docs")]
    [InlineData("tar -xzf in.tgz -C dest", "R:in.tgz", "W:dest")]
    [InlineData("tar xf in.tar", "R:in.tar", "W:.")]
    [InlineData("tar -tf in.tar", "R:in.tar")]
    [InlineData("zip -r out.zip src", "W:out.zip", "R:src")]
    [InlineData("unzip in.zip -d dest", "W:dest", "R:in.zip")]
    [InlineData("curl -o page.html https://example.com", "W:page.html")]
    [InlineData("rsync -a --exclude .git src/ dst/", "R:src/", "W:dst/")]
    [InlineData("awk '{ print }' x=1 data", "R:data")]
    public void Writers_report_written_paths(string commandLine, params string[] expected) =>
        AssertPaths(commandLine, expected);

    [Theory]
    [InlineData("uniq in out", "out")]
    [InlineData("xxd in out.hex", "out.hex")]
    public void Commands_that_write_a_named_path_are_never_read_only(string commandLine, string written)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.WorkspaceWrite, result.Risk);
        Assert.Contains(written, result.Reason);
    }

    [Theory]
    [InlineData("gzip -c f")]
    [InlineData("unzip -l a.zip")]
    public void Query_options_turn_written_operands_into_reads(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.All(result.Paths, path => Assert.Equal(PathAccessKind.Read, path.Kind));
    }

    [Fact]
    public void Find_starting_points_are_read()
    {
        AssertPaths("find src tests -name '*.cs'", "R:src", "R:tests");
    }

    [Fact]
    public void Git_reports_the_repository_named_with_C()
    {
        AssertPaths("git -C ../other status", "R:../other");
    }

    [Fact]
    public void Programs_without_path_knowledge_report_no_paths()
    {
        Assert.Empty(Classify("echo hello world").Paths);
        Assert.Empty(Classify("git status").Paths);
    }
}
