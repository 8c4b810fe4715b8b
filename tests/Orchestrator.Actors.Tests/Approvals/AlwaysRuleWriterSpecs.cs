using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Approvals;

public sealed class AlwaysRuleWriterSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _workspace = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "always-rules", Guid.NewGuid().ToString("n"))).FullName;

    private string SettingsFile => LocalSettingsRules.PathIn(_workspace);

    private string[] AllowRules() =>
        [.. JsonDocument.Parse(File.ReadAllText(SettingsFile)).RootElement.GetProperty("permissions").GetProperty("allow").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Fifty_rules_told_at_once_from_fifty_senders_all_end_up_in_one_valid_file_with_its_other_keys_kept()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, """{"permissions":{"deny":["Bash(rm:*)"]},"env":{"A":"1"}}""");
        var writer = Sys.ActorOf(AlwaysRuleWriter.Props(_workspace));

        var written = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            writer.Ask<AlwaysRuleWritten>(new WriteAlwaysRule(new GrantId($"g-{i}"), null, $"Bash(make target-{i})"), Patience))));

        Assert.All(written, w => Assert.Null(w.Error));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"Bash(make target-{i})").Order(), AllowRules().Order());
        using var doc = JsonDocument.Parse(File.ReadAllText(SettingsFile));
        Assert.Equal("Bash(rm:*)", doc.RootElement.GetProperty("permissions").GetProperty("deny")[0].GetString());
        Assert.Equal("1", doc.RootElement.GetProperty("env").GetProperty("A").GetString());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(SettingsFile)!, "*.tmp"));
    }

    [Fact]
    public async Task A_rule_told_again_writes_nothing_and_a_revoked_grant_takes_its_rule_out()
    {
        var writer = Sys.ActorOf(AlwaysRuleWriter.Props(_workspace));
        var first = await writer.Ask<AlwaysRuleWritten>(new WriteAlwaysRule(new GrantId("g"), _workspace, "Bash(git push)"), Patience);

        var again = await writer.Ask<AlwaysRuleWritten>(new WriteAlwaysRule(new GrantId("g"), _workspace, "Bash(git push)"), Patience);
        Assert.True(first.Changed);
        Assert.False(again.Changed);
        Assert.Equal(["Bash(git push)"], AllowRules());

        var removed = await writer.Ask<AlwaysRuleWritten>(new RemoveAlwaysRule(new GrantId("g"), _workspace, "Bash(git push)"), Patience);
        Assert.True(removed.Changed);
        Assert.Empty(AllowRules());
    }

    [Fact]
    public async Task A_settings_file_that_is_not_valid_json_is_left_as_it_was_and_the_answer_says_why()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, "{ \"permissions\": ");
        var writer = Sys.ActorOf(AlwaysRuleWriter.Props(_workspace));

        var written = await writer.Ask<AlwaysRuleWritten>(new WriteAlwaysRule(new GrantId("g"), null, "Bash(ls)"), Patience);

        Assert.Contains("not valid JSON", written.Error);
        Assert.Equal("{ \"permissions\": ", await File.ReadAllTextAsync(SettingsFile));
    }

    [Fact]
    public async Task A_dot_orchestrator_that_is_a_symbolic_link_is_never_written_through()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_workspace, "elsewhere")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(_workspace, LocalSettingsRules.DirectoryName), elsewhere);
        var writer = Sys.ActorOf(AlwaysRuleWriter.Props(_workspace));

        var written = await writer.Ask<AlwaysRuleWritten>(new WriteAlwaysRule(new GrantId("g"), null, "Bash(ls)"), Patience);

        Assert.Contains("symbolic link", written.Error);
        Assert.Empty(Directory.GetFiles(elsewhere));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            try { Directory.Delete(_workspace, recursive: true); } catch (IOException) { }
    }
}
