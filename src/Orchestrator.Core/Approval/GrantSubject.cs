using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Approval;

/// <summary>
/// What a session or always grant covers: a tool and a subject. Matching is deliberately exact — the same tool and the
/// same subject after trimming — so approving <c>git push origin main</c> never covers <c>git push --force</c>:
/// Bash → the whole command; file tools → the path; WebFetch → the URL's host; other tools (MCP, …) → the tool as a
/// whole, like a bare rule. Subjects are taken from masked input, so a grant never stores a secret.
/// </summary>
public sealed record GrantSubject(string Tool, string Subject)
{
    public static GrantSubject From(ToolCall call)
    {
        var subject = call.ToolName switch
        {
            ToolNames.Bash => call.InputValue(ToolInputKeys.Command),
            ToolNames.WebFetch => HostOf(call.InputValue(ToolInputKeys.Url)),
            ToolNames.NotebookEdit => call.InputValue(ToolInputKeys.NotebookPath),
            _ when ToolNames.IsFileEdit(call.ToolName) || call.ToolName == ToolNames.Read =>
                call.InputValue(ToolInputKeys.FilePath),
            ToolNames.Glob or ToolNames.Grep => call.InputValue(ToolInputKeys.Path),
            _ => null,
        };
        return new GrantSubject(call.ToolName, subject?.Trim() ?? "");
    }

    /// <summary>The allow rule this subject amounts to, in settings syntax.</summary>
    public string RuleText => Subject.Length == 0
        ? Tool
        : Tool == ToolNames.WebFetch ? $"{Tool}(domain:{Subject})" : $"{Tool}({Subject})";

    private static string? HostOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;
}
