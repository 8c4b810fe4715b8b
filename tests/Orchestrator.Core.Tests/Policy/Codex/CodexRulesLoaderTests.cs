using System.Text;
using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public sealed class CodexRulesLoaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "codex-rules-tests-" + Guid.NewGuid().ToString("N"));

    public CodexRulesLoaderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void Load_reads_rules_from_a_file()
    {
        var path = Write("a.rules", "prefix_rule(pattern = [\"ls\"], decision = \"prompt\")\n");
        var file = CodexRulesParser.Load(path);
        Assert.Equal(path, file.Path);
        Assert.Empty(file.Errors);
        Assert.Equal(CodexDecision.Prompt, Assert.Single(file.Rules).Decision);
        Assert.Equal(path + ":1:1", file.Rules[0].Location.ToString());
    }

    [Fact]
    public void Load_accepts_a_utf8_byte_order_mark()
    {
        var path = Path.Combine(_directory, "bom.rules");
        File.WriteAllText(path, "prefix_rule(pattern = [\"ls\"])", new UTF8Encoding(true));
        var file = CodexRulesParser.Load(path);
        Assert.Empty(file.Errors);
        Assert.Single(file.Rules);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_with_its_position()
    {
        var path = Path.Combine(_directory, "bad.rules");
        var bytes = Encoding.UTF8.GetBytes("prefix_rule(pattern = [\"ls\"])\n# é ").Concat(new byte[] { 0xC3, 0x28, 0xFF }).ToArray();
        File.WriteAllBytes(path, bytes);
        var file = CodexRulesParser.Load(path);
        Assert.Empty(file.Rules);
        Assert.Equal($"{path}:2:5: rules file is not valid UTF-8", Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var path = Path.Combine(_directory, "absent.rules");
        var file = CodexRulesParser.Load(path);
        Assert.Empty(file.Rules);
        Assert.StartsWith($"{path}: cannot read rules file", Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void LoadDirectory_loads_rules_files_in_ordinal_name_order()
    {
        Write("b.rules", "prefix_rule(pattern = [\"b\"])");
        Write("B.rules", "prefix_rule(pattern = [\"B\"])");
        Write("a.rules", "prefix_rule(pattern = [\"a\"])");
        Write("notes.txt", "not rules");
        Write("c.rules.bak", "junk(");

        var files = CodexRulesParser.LoadDirectory(_directory);

        Assert.Equal(["B.rules", "a.rules", "b.rules"], files.Select(file => Path.GetFileName(file.Path)));
        Assert.All(files, file => Assert.Empty(file.Errors));
    }

    [Fact]
    public void LoadDirectory_of_missing_directory_is_empty()
    {
        Assert.Empty(CodexRulesParser.LoadDirectory(Path.Combine(_directory, "nope")));
    }

    [Fact]
    public void LoadDirectory_reports_errors_per_file()
    {
        Write("good.rules", "prefix_rule(pattern = [\"ls\"])");
        Write("bad.rules", "oops(");
        var files = CodexRulesParser.LoadDirectory(_directory);
        Assert.True(files.Single(file => file.Path.EndsWith("bad.rules", StringComparison.Ordinal)).HasErrors);
        Assert.False(files.Single(file => file.Path.EndsWith("good.rules", StringComparison.Ordinal)).HasErrors);
    }
}
