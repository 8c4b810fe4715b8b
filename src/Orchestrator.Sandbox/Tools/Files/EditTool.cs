using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>Claude Code's Edit (<c>file_path</c>, <c>old_string</c>, <c>new_string</c>, <c>replace_all</c>): see <see cref="TextEdit"/>.</summary>
public sealed class EditTool : IToolExecutor
{
    public string Tool => ToolNames.Edit;

    public bool HasSideEffects => true;

    public string? Validate(ToolCall call, ToolLimits limits) =>
        FileToolInput.PathProblem(call)
        ?? FileToolInput.Required(call, FileToolInput.OldString)
        ?? FileToolInput.Required(call, FileToolInput.NewString)
        ?? FileToolInput.Boolean(call, FileToolInput.ReplaceAll).Problem
        ?? EditOf(call).Problem;

    public Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        var edit = EditOf(run.Call);
        return Task.FromResult(FileChange.Run(run, Tool, (before, shown) =>
        {
            var (after, replacements, problem) = edit.Apply(before, shown);
            return (after, $"Edited {shown}: {replacements} replacement{(replacements == 1 ? "" : "s")}", problem);
        }, createParents: false, cancellation));
    }

    private static TextEdit EditOf(ToolCall call) => new(
        call.InputValue(FileToolInput.OldString) ?? "",
        call.InputValue(FileToolInput.NewString) ?? "",
        FileToolInput.Boolean(call, FileToolInput.ReplaceAll).Value);
}
