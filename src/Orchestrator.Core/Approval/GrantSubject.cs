using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;

namespace Orchestrator.Core.Approval;

/// <summary>
/// What a session or always grant covers: a tool and a subject. Matching is deliberately exact — the same tool and the
/// same real subject after trimming — so approving <c>git push origin main</c> never covers <c>git push --force</c>:
/// Bash → the whole command; file tools → the path; WebFetch → the URL's host; other tools (MCP, …) → the tool as a
/// whole, like a bare rule — except a gateway MCP call, whose subject is its tool's definition digest, so a grant made
/// for one definition of the tool never covers a changed one (an always grant is still the bare rule: a changed
/// definition asks whatever the rules allow). <see cref="Subject"/> is what is shown (secrets masked where they are plain literals), so a
/// grant never stores a secret; <see cref="Digest"/> is the SHA-256 of the real subject and is what tells two subjects
/// apart, so a grant for <c>Bearer abc123</c> never covers another command that is shown the same.
/// </summary>
public sealed record GrantSubject(string Tool, string Subject, string Digest)
{
    /// <param name="call">The real call (hook-rewritten where a hook rewrote it), never a masked copy.</param>
    public static GrantSubject From(ToolCall call)
    {
        var (key, real) = RealSubject(call);
        var shown = real.Length == 0 || key is null ? real : SecretMasker.MaskValue(call.ToolName, key, real).Text;
        return new GrantSubject(call.ToolName, shown, DigestOf(real));
    }

    /// <summary>A subject as recorded; events written before digests were recorded take the digest of the text they show.</summary>
    public static GrantSubject Recorded(string tool, string subject, string? digest) =>
        new(tool, subject, digest ?? DigestOf(subject));

    public static string DigestOf(string realSubject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(realSubject)));

    /// <summary>Two subjects are the same when their tool and their real subject are: the shown text does not count.</summary>
    public bool Equals(GrantSubject? other) =>
        other is not null && Tool == other.Tool && Digest == other.Digest;

    public override int GetHashCode() => HashCode.Combine(Tool, Digest);

    /// <summary>The allow rule this subject amounts to, in settings syntax.</summary>
    public string RuleText => Subject.Length == 0 || McpTools.IsMcp(Tool)
        ? Tool
        : Tool == ToolNames.WebFetch ? $"{Tool}(domain:{Subject})" : $"{Tool}({Subject})";

    private static (string? Key, string Subject) RealSubject(ToolCall call)
    {
        var key = call.ToolName switch
        {
            ToolNames.Bash => ToolInputKeys.Command,
            ToolNames.WebFetch => ToolInputKeys.Url,
            ToolNames.NotebookEdit => ToolInputKeys.NotebookPath,
            _ when ToolNames.IsFileEdit(call.ToolName) || call.ToolName == ToolNames.Read => ToolInputKeys.FilePath,
            ToolNames.Glob or ToolNames.Grep => ToolInputKeys.Path,
            _ when McpTools.IsMcp(call.ToolName) && call.Input.ContainsKey(McpTools.DefinitionKey) => McpTools.DefinitionKey,
            _ => null,
        };
        var value = key is null ? null : call.InputValue(key);
        if (key == ToolInputKeys.Url) value = HostOf(value);
        return (key, value?.Trim() ?? "");
    }

    private static string? HostOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;
}
