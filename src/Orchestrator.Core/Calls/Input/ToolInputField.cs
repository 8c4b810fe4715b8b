namespace Orchestrator.Core.Calls.Input;

/// <summary>The JSON types a tool input field may have.</summary>
public enum ToolInputType
{
    String,
    Number,
    Boolean,
    Array,
    Object,
}

/// <summary>
/// One declared field of a tool's input: its name, its type, whether the tool needs it and whether it must be an
/// absolute path (<see cref="Paths.PathText.AbsolutePathProblem"/>: refused at ingress, before any policy judges it).
/// </summary>
public sealed record ToolInputField(string Name, ToolInputType Type, bool Required = false, bool AbsolutePath = false);
