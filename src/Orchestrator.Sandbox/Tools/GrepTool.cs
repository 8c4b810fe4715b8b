using System.Collections.Immutable;
using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Claude Code's Grep executed in process (<see cref="GrepSearch"/>: ripgrep when installed, inside the sandbox Bash runs in
/// (<see cref="ToolRun.Sandbox"/>), else the .NET fallback).
/// The searched path is checked as a Read of it (<see cref="FileAccessCheck.ForRead"/>) and searched at its canonical
/// path; lines of files the run's sandbox would hide are never returned. Recorded: the path, the engine and the
/// number of lines returned.
/// </summary>
public sealed class GrepTool(bool preferRipgrep = true) : IToolExecutor
{
    public string Tool => ToolNames.Grep;

    public bool HasSideEffects => false;

    public string? Validate(ToolCall call, ToolLimits limits)
    {
        if (GrepRequest.Read(call, out var error) is not { } request) return error;
        return GrepPattern.Problem(request, fallback: !preferRipgrep || RipgrepSearch.Installed is null);
    }

    public async Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        if (GrepRequest.Read(run.Call, out var error) is not { } request) return ToolOutcome.Failed(error!);
        var check = FileAccessCheck.ForRead(request.Path, run.Profile, run.Policy);
        if (check.Refusal is { } refusal) return ToolOutcome.Failed(refusal);
        request = request with { Path = check.Path! };
        var confinement = run.Sandbox is { } sandbox ? new RipgrepConfinement(sandbox, run.Profile) : null;
        var output = await GrepSearch.RunAsync(request, path => !FileAccessCheck.IsHidden(path, run.Profile), preferRipgrep, confinement, cancellation,
            run.Limits.MaxGrepLines).ConfigureAwait(false);
        if (output.Error is { } failed) return ToolOutcome.Failed(failed);
        var record = new ToolRecord(Tool, check.Path, Details: ImmutableSortedDictionary<string, string>.Empty
            .Add("engine", output.Engine)
            .Add("lines", output.Lines.Count.ToString(CultureInfo.InvariantCulture)));
        return ToolOutcome.Ok(GrepSearch.Text(request, output, run.Limits.MaxGrepLines), record);
    }
}
