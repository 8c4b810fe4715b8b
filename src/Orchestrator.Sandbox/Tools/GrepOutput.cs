namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// What a Grep search printed, in ripgrep's <c>--no-heading --with-filename</c> format (<c>path:line:text</c>, context
/// lines <c>path-line-text</c>, <c>--</c> between groups; <c>path:count</c>; or paths), or why it could not search.
/// <see cref="Engine"/> says which searched: <c>ripgrep</c> or <c>dotnet</c>.
/// </summary>
public sealed record GrepOutput(IReadOnlyList<string> Lines, string? Error, string Engine)
{
    public static GrepOutput Failed(string error, string engine) => new([], error, engine);
}
