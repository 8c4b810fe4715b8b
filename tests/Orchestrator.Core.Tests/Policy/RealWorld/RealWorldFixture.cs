using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Policy.RealWorld;

/// <summary>
/// A throwaway project and home with one of the real-world-shaped files under Policy/RealWorld installed where a user
/// would put it, loaded through <see cref="PolicyLoader"/>; and the file's text, to find where a string stands in it.
/// </summary>
public sealed class RealWorldFixture : IDisposable
{
    private RealWorldFixture(string sourceName)
    {
        Root = Directory.CreateTempSubdirectory("orchestrator-realworld-").FullName;
        Project = Path.Combine(Root, "project");
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(Home);
        Text = System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Policy", "RealWorld", sourceName));
    }

    public string Root { get; }
    public string Project { get; }
    public string Home { get; }
    public string Text { get; }
    public string File { get; private set; } = "";

    /// <summary>The file as the project's <c>.orchestrator/settings.json</c> (a Claude Code settings file imported as is).</summary>
    public static RealWorldFixture ProjectSettings(string sourceName) => Install(sourceName, Path.Combine(".orchestrator", "settings.json"));

    /// <summary>The file as one of the project's <c>.orchestrator/rules/*.rules</c>.</summary>
    public static RealWorldFixture ProjectRules(string sourceName) => Install(sourceName, Path.Combine(".orchestrator", "rules", sourceName));

    private static RealWorldFixture Install(string sourceName, string relative)
    {
        var fixture = new RealWorldFixture(sourceName);
        fixture.File = Path.Combine(fixture.Project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(fixture.File)!);
        System.IO.File.WriteAllText(fixture.File, fixture.Text);
        return fixture;
    }

    public PolicySnapshot Load(PolicyLoadOptions? options = null) => PolicyLoader.Load((options ?? new PolicyLoadOptions(Project)) with
    {
        HomeDirectory = Home,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        DataDirectories = [Path.Combine(Home, ".local", "share", "orchestrator")],
    });

    /// <summary>file:line:column of the <paramref name="occurrence"/>-th appearance of <paramref name="needle"/>, plus <paramref name="shift"/> columns.</summary>
    public SourceLocation Find(string needle, int shift = 0, int occurrence = 1)
    {
        var lines = Text.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (column >= 0 && ++seen == occurrence) return new SourceLocation(File, i + 1, column + 1 + shift);
        }
        throw new InvalidOperationException($"'{needle}' does not occur {occurrence} time(s) in the fixture");
    }

    public ToolCall Call(string tool, params (string Key, string Value)[] input) =>
        new(new CallId(Guid.NewGuid().ToString("n")), tool, input.ToImmutableDictionary(p => p.Key, p => p.Value), Project,
            new AgentId("agent"), new SessionId("session"));

    public ToolCall Bash(string command) => Call(ToolNames.Bash, (ToolInputKeys.Command, command));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
