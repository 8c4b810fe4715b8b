using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Claude Code's Glob executed in process (<see cref="GlobSearch"/>): the base directory is checked as a Read of it
/// (<see cref="FileAccessCheck.ForRead"/>: hidden paths refused) and walked from its canonical path; what the run's
/// sandbox would hide is never listed. Recorded: the base, the number of matches and how many were listed.
/// </summary>
public sealed class GlobTool : IToolExecutor
{
    public string Tool => ToolNames.Glob;

    public bool HasSideEffects => false;

    public string? Validate(ToolCall call, ToolLimits limits)
    {
        GlobSearch.Read(call, out var error);
        return error;
    }

    public Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        if (GlobSearch.Read(run.Call, out var error) is not { } request) return Task.FromResult(ToolOutcome.Failed(error!));
        var check = FileAccessCheck.ForRead(request.Base, run.Profile, run.Policy);
        if (check.Refusal is { } refusal) return Task.FromResult(ToolOutcome.Failed(refusal));
        var result = GlobSearch.Search(request with { Base = check.Path! }, path => !FileAccessCheck.IsHidden(path, run.Profile), cancellation,
            run.Limits.MaxGlobResults);
        if (result.Error is { } failed) return Task.FromResult(ToolOutcome.Failed(failed));
        var record = new ToolRecord(Tool, check.Path, Details: ImmutableSortedDictionary<string, string>.Empty
            .Add("matched", result.Matched.ToString(CultureInfo.InvariantCulture))
            .Add("listed", result.Files.Count.ToString(CultureInfo.InvariantCulture))
            .Add("walk-cut", result.WalkCut ? "true" : "false"));
        return Task.FromResult(ToolOutcome.Ok(result.Text(), record));
    }
}
