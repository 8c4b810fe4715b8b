using System.Collections.Frozen;
using T = Orchestrator.Core.Calls.Input.ToolInputType;

namespace Orchestrator.Core.Calls.Input;

/// <summary>
/// The declared input fields of the tools Orchestrator judges (as Claude Code defines them). Fields not declared
/// here, and every field of other tools (MCP tools), may have any JSON type but null.
/// </summary>
public static class ToolInputSchemas
{
    private static readonly FrozenDictionary<string, IReadOnlyList<ToolInputField>> Schemas =
        new Dictionary<string, IReadOnlyList<ToolInputField>>(StringComparer.Ordinal)
        {
            [ToolNames.Bash] = [Req(ToolInputKeys.Command, T.String), new("timeout", T.Number), new("description", T.String), new("run_in_background", T.Boolean)],
            [ToolNames.Read] = [FilePath(ToolInputKeys.FilePath), new("offset", T.Number), new("limit", T.Number)],
            [ToolNames.Write] = [FilePath(ToolInputKeys.FilePath), new("content", T.String)],
            [ToolNames.Edit] = [FilePath(ToolInputKeys.FilePath), new("old_string", T.String), new("new_string", T.String), new("replace_all", T.Boolean)],
            [ToolNames.MultiEdit] = [FilePath(ToolInputKeys.FilePath), new("edits", T.Array)],
            [ToolNames.NotebookEdit] = [FilePath(ToolInputKeys.NotebookPath), new("new_source", T.String), new("cell_id", T.String), new("cell_type", T.String), new("edit_mode", T.String)],
            [ToolNames.Glob] = [Req(ToolInputKeys.Pattern, T.String), new(ToolInputKeys.Path, T.String)],
            [ToolNames.Grep] = [Req(ToolInputKeys.Pattern, T.String), new(ToolInputKeys.Path, T.String), new("glob", T.String), new("type", T.String), new("output_mode", T.String),
                new("-i", T.Boolean), new("-n", T.Boolean), new("-A", T.Number), new("-B", T.Number), new("-C", T.Number), new("multiline", T.Boolean), new("head_limit", T.Number)],
            [ToolNames.WebFetch] = [Req(ToolInputKeys.Url, T.String), new("prompt", T.String)],
            [ToolNames.WebSearch] = [Req("query", T.String), new("allowed_domains", T.Array), new("blocked_domains", T.Array)],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The declared fields of <paramref name="tool"/>; empty for tools without a schema.</summary>
    public static IReadOnlyList<ToolInputField> For(string tool) => Schemas.TryGetValue(tool, out var fields) ? fields : [];

    private static ToolInputField Req(string name, ToolInputType type) => new(name, type, Required: true);

    /// <summary>A required absolute path (Claude Code's <c>file_path</c> and <c>notebook_path</c>).</summary>
    private static ToolInputField FilePath(string name) => new(name, T.String, Required: true, AbsolutePath: true);
}
