using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Load;

/// <summary>
/// The calls an agent submits, in a fixed rotation of 20: 12 safe (60 %), 4 ask-class answered by the automatic
/// approver (20 %), 4 denied by a rule (20 %). Read/Write/Edit paths are inside the temp workspace. The expected
/// class holds under the benchmarks' policy (<see cref="BenchPolicy"/>); the load bench checks it at start.
/// </summary>
public sealed class CallMix
{
    public enum Expected { Allow, Ask, Deny }

    /// <param name="Harmless">Read-only wherever it runs: the only commands <c>orchestrator loadtest</c> has a server execute.</param>
    public sealed record Template(string Tool, string Key, string Value, Expected Class, bool Harmless = false);

    public static ImmutableArray<Template> Templates(string workspace) =>
    [
        // 60 % safe
        new(ToolNames.Bash, ToolInputKeys.Command, "git status", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "ls -la src", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "cat README.md", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "git diff --stat", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "git log --oneline -5", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "grep -rn TODO src", Expected.Allow, Harmless: true),
        new(ToolNames.Bash, ToolInputKeys.Command, "dotnet build -c Release", Expected.Allow),
        new(ToolNames.Bash, ToolInputKeys.Command, "npm test", Expected.Allow),
        new(ToolNames.Read, ToolInputKeys.FilePath, Path.Combine(workspace, "README.md"), Expected.Allow),
        new(ToolNames.Read, ToolInputKeys.FilePath, Path.Combine(workspace, "src", "main.c"), Expected.Allow),
        new(ToolNames.Edit, ToolInputKeys.FilePath, Path.Combine(workspace, "src", "main.c"), Expected.Allow),
        new(ToolNames.Write, ToolInputKeys.FilePath, Path.Combine(workspace, "src", "new_file.c"), Expected.Allow),
        // 20 % ask, answered by the automatic approver
        new(ToolNames.Bash, ToolInputKeys.Command, "rm -rf build", Expected.Ask),
        new(ToolNames.Bash, ToolInputKeys.Command, "curl example.com", Expected.Ask),
        new(ToolNames.Bash, ToolInputKeys.Command, "git push origin main", Expected.Ask),
        new(ToolNames.Write, ToolInputKeys.FilePath, Path.Combine(workspace, "Dockerfile"), Expected.Ask),
        // 20 % denied by a rule
        new(ToolNames.Bash, ToolInputKeys.Command, "git push --force origin main", Expected.Deny),
        new(ToolNames.Bash, ToolInputKeys.Command, "sudo rm -rf /var/lib", Expected.Deny),
        new(ToolNames.Read, ToolInputKeys.FilePath, Path.Combine(workspace, ".env"), Expected.Deny),
        new(ToolNames.Edit, ToolInputKeys.FilePath, "/etc/passwd", Expected.Deny),
    ];

    /// <summary>
    /// Asked for by the benchmarks' policy and read-only if approved and run: the ask-class call <c>loadtest</c> submits
    /// to run (an ask only waits for an approver when the call is to execute). Not in the rotation of 20.
    /// </summary>
    public static readonly Template AskToRun = new(ToolNames.Bash, ToolInputKeys.Command, "docker version", Expected.Ask, Harmless: true);

    private readonly ImmutableArray<Template> _templates;
    private readonly string _workspace;

    public CallMix(string workspace)
    {
        _workspace = workspace;
        _templates = Templates(workspace);
    }

    public int Count => _templates.Length;

    public Template TemplateAt(long n) => _templates[(int)(n % _templates.Length)];

    /// <summary>The n-th call of an agent (agents start at different offsets so the mix is spread at every instant).</summary>
    public ToolCall Call(int agent, long n, string callId) => Build(TemplateAt(n + agent), agent, callId);

    /// <summary>The n-th call of an agent among the allowed Bash commands only: every one runs (<c>--execute</c>).</summary>
    public ToolCall RunnableCall(int agent, long n, string callId)
    {
        var runnable = _templates.Where(t => t.Tool == ToolNames.Bash && t.Class == Expected.Allow).ToArray();
        return Build(runnable[(int)((n + agent) % runnable.Length)], agent, callId);
    }

    /// <summary>Template <paramref name="template"/> as a call of <paramref name="agent"/> in <paramref name="session"/>.</summary>
    public ToolCall CallIn(int template, AgentId agent, SessionId session, string callId) => CallOf(_templates[template], agent, session, callId);

    /// <summary>The templates of one class, in rotation order (<see cref="LoadMix"/> picks a class, then rotates within it).</summary>
    public ImmutableArray<Template> Of(Expected expected, bool harmlessOnly = false) =>
        [.. _templates.Where(t => t.Class == expected && (!harmlessOnly || t.Harmless))];

    /// <summary><paramref name="template"/> as a call of <paramref name="agent"/> in <paramref name="session"/>.</summary>
    public ToolCall CallOf(Template template, AgentId agent, SessionId session, string callId) =>
        new(new CallId(callId), template.Tool, ImmutableDictionary<string, string>.Empty.Add(template.Key, template.Value), _workspace, agent, session);

    private ToolCall Build(Template t, int agent, string callId) =>
        CallIn(_templates.IndexOf(t), new AgentId($"agent-{agent}"), new SessionId($"bench-session-{agent}"), callId);
}
