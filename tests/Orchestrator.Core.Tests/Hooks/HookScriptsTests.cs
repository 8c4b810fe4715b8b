using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Hooks;

public class HookScriptsTests
{
    [Theory]
    [InlineData(".orchestrator/hooks/guard.sh", "/proj/.orchestrator/hooks/guard.sh")]
    [InlineData("./scripts/guard.sh --strict", "/proj/scripts/guard.sh")]
    [InlineData("python3 tools/check.py", "/proj/tools/check.py")]
    [InlineData("\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/a.sh", "/proj/.claude/hooks/a.sh")]
    [InlineData("${ORCHESTRATOR_PROJECT_DIR}/hooks/b.sh", "/proj/hooks/b.sh")]
    [InlineData("/proj/abs/c.sh", "/proj/abs/c.sh")]
    [InlineData("node lib/x.js < input/rules.json", "/proj/lib/x.js|/proj/input/rules.json")]
    [InlineData("bash a/x.sh && node b/y.js; sh a/x.sh", "/proj/a/x.sh|/proj/b/y.js")]
    public void Names_the_workspace_files_a_hook_command_runs(string command, string expected)
    {
        Assert.Equal(expected.Split('|'), HookScripts.Of(command, "/proj"));
    }

    [Theory]
    [InlineData("jq -r .tool_input.command")]
    [InlineData("/usr/local/bin/guard")]
    [InlineData("../outside/guard.sh")]
    [InlineData("$HOME/guard.sh")]
    [InlineData("echo --flag=/x")]
    [InlineData("")]
    public void Names_nothing_for_programs_outside_the_workspace_or_words_it_cannot_read(string command)
    {
        Assert.Empty(HookScripts.Of(command, "/proj"));
    }

    [Fact]
    public void The_merged_policy_protects_the_hook_scripts_with_where_the_hook_is_configured()
    {
        using var dir = new TempDirectory();
        var settings = Path.Combine(dir.Path, "settings.json");
        File.WriteAllText(settings, """
            {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "scripts/guard.sh"}]}]}}
            """);
        var snapshot = PolicyLoader.Load(new PolicyLoadOptions(dir.Path)
        {
            HomeDirectory = dir.Path, ManagedSettingsPath = null, UserSettingsPath = null, SettingsFiles = [settings],
        });

        Assert.Empty(snapshot.Errors);
        var script = Assert.Single(snapshot.ProtectedPaths);
        Assert.Equal(Path.Combine(dir.Path, "scripts/guard.sh"), script.Value);
        Assert.Equal(settings, script.Origin.Location.File);
        var write = new Orchestrator.Core.Policy.Evaluation.PolicyEvaluator(snapshot).Evaluate(
            new Orchestrator.Core.Calls.ToolCall(new("c1"), "Write",
                System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("file_path", script.Value).Add("content", "exit 0"),
                dir.Path, new("a"), new("s")));
        Assert.NotEqual(Decision.Allow, write.Decision);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hook-scripts-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
