using System.Text.Json;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// Claude Code's MultiEdit (<c>file_path</c>, <c>edits</c>: <c>[{old_string, new_string, replace_all?}]</c>): the edits
/// apply in order to the file's text, each to the result of the one before; all or nothing — the first that cannot
/// apply refuses the call, naming it, and the file is left as it was.
/// </summary>
public sealed class MultiEditTool : IToolExecutor
{
    public const int MaxEdits = 1000;

    public string Tool => ToolNames.MultiEdit;

    public bool HasSideEffects => true;

    public string? Validate(ToolCall call, ToolLimits limits) => FileToolInput.PathProblem(call) ?? EditsOf(call).Problem;

    public Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        var edits = EditsOf(run.Call).Edits!;
        return Task.FromResult(FileChange.Run(run, Tool, (before, shown) =>
        {
            var text = before;
            var replacements = 0;
            for (var i = 0; i < edits.Count; i++)
            {
                var (after, count, problem) = edits[i].Apply(text, shown);
                if (problem is not null) return (null, "", $"edit {i + 1} of {edits.Count}: {problem}; no edit was applied");
                text = after;
                replacements += count;
            }
            return (text, $"Applied {edits.Count} edit{(edits.Count == 1 ? "" : "s")} to {shown}: {replacements} replacement{(replacements == 1 ? "" : "s")}", null);
        }, createParents: false, cancellation));
    }

    /// <summary>The edits of the call, or what is wrong with them.</summary>
    public static (IReadOnlyList<TextEdit>? Edits, string? Problem) EditsOf(ToolCall call)
    {
        if (call.InputValue(FileToolInput.Edits) is not { } json) return (null, "input.edits is required (an array of {old_string, new_string, replace_all?})");
        JsonElement array;
        try
        {
            array = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return (null, "input.edits must be a JSON array");
        }
        if (array.ValueKind != JsonValueKind.Array) return (null, "input.edits must be an array");
        var count = array.GetArrayLength();
        if (count == 0) return (null, "input.edits is empty; give at least one edit");
        if (count > MaxEdits) return (null, $"input.edits has {count} edits, more than {MaxEdits}");
        var edits = new List<TextEdit>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object) return (null, $"input.edits[{index - 1}] must be an object");
            string? old = null, @new = null;
            var all = false;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name, property.Value.ValueKind)
                {
                    case (FileToolInput.OldString, JsonValueKind.String): old = property.Value.GetString(); break;
                    case (FileToolInput.NewString, JsonValueKind.String): @new = property.Value.GetString(); break;
                    case (FileToolInput.ReplaceAll, JsonValueKind.True or JsonValueKind.False): all = property.Value.GetBoolean(); break;
                    default: return (null, $"input.edits[{index - 1}].{property.Name} is not a field of an edit or has the wrong type (old_string and new_string are strings, replace_all a boolean)");
                }
            }
            if (old is null || @new is null) return (null, $"input.edits[{index - 1}] needs old_string and new_string");
            var edit = new TextEdit(old, @new, all);
            if (edit.Problem is { } problem) return (null, $"input.edits[{index - 1}]: {problem}");
            edits.Add(edit);
        }
        return (edits, null);
    }
}
