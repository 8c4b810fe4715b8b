using System.Text.RegularExpressions;

namespace Orchestrator.Core.Classification;

/// <summary>
/// Shell variables whose values bash, or a shell it starts, runs as code: <c>PS4</c> is expanded (command
/// substitutions included) for every traced command, the prompt variables before each prompt, <c>BASH_ENV</c> and
/// <c>ENV</c> name a file each new shell sources, <c>SHELLOPTS</c> and <c>BASHOPTS</c> switch on options such as tracing
/// and aliases in child shells, and <c>BASH_FUNC_*</c> variables define functions in them. A script that may set one —
/// by assignment, <c>export</c>, <c>read</c>, <c>for</c>, <c>env</c>, anything but reading it — runs code no parser
/// can name from its commands.
/// </summary>
internal static partial class CodeVariables
{
    public sealed record Variable(string Name, string Reason);

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["PS4"] = "bash runs the command substitutions in it for every command it traces",
        ["PS0"] = "an interactive bash runs the command substitutions in it",
        ["PS1"] = "an interactive shell runs the command substitutions in it",
        ["PS2"] = "an interactive shell runs the command substitutions in it",
        ["PROMPT_COMMAND"] = "an interactive bash runs it before each prompt",
        ["BASH_ENV"] = "every bash it starts runs that file first",
        ["ENV"] = "an interactive or POSIX shell runs that file first",
        ["SHELLOPTS"] = "the shells it starts take their options (tracing, aliases) from it",
        ["BASHOPTS"] = "the shells it starts take their options (aliases, debugging) from it",
        ["BASH_FUNC_"] = "the bash it starts defines functions from such variables",
    };

    /// <summary>The first such variable the text may set: its name anywhere but right after <c>$</c>, <c>${</c> or <c>${#</c>.</summary>
    public static Variable? Written(string text)
    {
        if (!text.Contains("PS", StringComparison.Ordinal) && !text.Contains("ENV", StringComparison.Ordinal)
            && !text.Contains("OPTS", StringComparison.Ordinal) && !text.Contains("PROMPT_COMMAND", StringComparison.Ordinal)
            && !text.Contains("BASH_FUNC_", StringComparison.Ordinal))
            return null;
        var match = Named().Match(text);
        return match.Success ? new Variable(match.Groups["name"].Value, Reasons[match.Groups["name"].Value]) : null;
    }

    [GeneratedRegex(@"(?<!\$)(?<!\$\{)(?<!\$\{#)\b(?<name>PS[0124]|PROMPT_COMMAND|BASH_ENV|ENV|SHELLOPTS|BASHOPTS)\b|(?<name>BASH_FUNC_)")]
    private static partial Regex Named();
}
