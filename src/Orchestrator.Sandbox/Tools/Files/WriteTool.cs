using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>Claude Code's Write (<c>file_path</c>, <c>content</c>): creates or replaces a file atomically, missing parent directories created.</summary>
public sealed class WriteTool : IToolExecutor
{
    public string Tool => ToolNames.Write;

    public bool HasSideEffects => true;

    public string? Validate(ToolCall call, ToolLimits limits)
    {
        if ((FileToolInput.PathProblem(call) ?? FileToolInput.Required(call, FileToolInput.Content)) is { } problem) return problem;
        var content = call.InputValue(FileToolInput.Content)!;
        // Cheap bound first: a string of n characters is at most 3n bytes of UTF-8.
        if ((long)content.Length * 3 > limits.MaxWriteBytes && Encoding.UTF8.GetByteCount(content) is var bytes && bytes > limits.MaxWriteBytes)
            return $"input.content is {bytes:N0} bytes, more than the {limits.MaxWriteBytes:N0}-byte cap on a Write; nothing was written";
        return null;
    }

    public Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        var content = run.Call.InputValue(FileToolInput.Content)!;
        return Task.FromResult(FileChange.Run(run, Tool, (before, shown) =>
            (content, $"{(before is null ? "Created" : "Overwrote")} {shown} ({Encoding.UTF8.GetByteCount(content):N0} bytes)", null),
            createParents: true, cancellation));
    }
}
