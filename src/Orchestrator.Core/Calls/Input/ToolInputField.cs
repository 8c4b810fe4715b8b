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

/// <summary>One declared field of a tool's input: its name, its type and whether the tool needs it.</summary>
public sealed record ToolInputField(string Name, ToolInputType Type, bool Required = false);
