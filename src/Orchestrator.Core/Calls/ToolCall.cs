using System.Collections.Immutable;

namespace Orchestrator.Core.Calls;

/// <summary>
/// One tool call as an agent submitted it. <see cref="Input"/> holds the tool's named string arguments
/// (<c>command</c> for Bash, <c>file_path</c> for Read/Edit/Write, <c>url</c> for WebFetch, …). <see cref="Workspace"/>
/// is the canonical workspace directory whose policy judges the call (resolved from the submission's <c>workspace</c>
/// or <c>cwd</c> within the server's roots); null means the server's one workspace. <see cref="ParentSession"/> is the
/// parent session of <see cref="Session"/> (agent teams): declared with the session's first call, checked at ingress,
/// recorded by the session (<see cref="History.Events.SessionParentDeclared"/>) and set by it on every later call.
/// </summary>
public sealed record ToolCall(
    CallId Id,
    string ToolName,
    ImmutableDictionary<string, string> Input,
    string WorkingDirectory,
    AgentId Agent,
    SessionId Session,
    SandboxMode? RequestedMode = null,
    bool RequestsEscalation = false,
    string? SubmittedBy = null,
    string? Workspace = null,
    SessionId? ParentSession = null)
{
    public string? InputValue(string key) => Input.TryGetValue(key, out var value) ? value : null;

    public static ToolCall Bash(string command, string workingDirectory, SandboxMode? mode = null) =>
        Create(ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command), workingDirectory, mode);

    public static ToolCall Create(string toolName, ImmutableDictionary<string, string> input, string workingDirectory,
        SandboxMode? mode = null) =>
        new(new CallId(Guid.NewGuid().ToString("n")), toolName, input, workingDirectory,
            new AgentId("local"), new SessionId("local"), mode);
}
