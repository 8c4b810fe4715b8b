using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// The checks of the file tools' inputs that need no disk (Claude Code's shapes; the types were already checked against
/// <see cref="Core.Calls.Input.ToolInputSchemas"/> when the call was submitted): a <c>file_path</c> that is absolute and
/// free of NUL, whole numbers where numbers are expected, the fields a tool requires.
/// </summary>
public static class FileToolInput
{
    public const string OldString = "old_string";
    public const string NewString = "new_string";
    public const string ReplaceAll = "replace_all";
    public const string Content = "content";
    public const string Offset = "offset";
    public const string Limit = "limit";
    public const string Edits = "edits";

    /// <summary>The ingress check again (<see cref="PathText.AbsolutePathProblem"/>), for calls built without it.</summary>
    public static string? PathProblem(ToolCall call)
    {
        var path = call.InputValue(ToolInputKeys.FilePath);
        return path is null ? "input.file_path is required (an absolute path)" : PathText.AbsolutePathProblem(path, "input.file_path");
    }

    public static string FilePath(ToolCall call) => call.InputValue(ToolInputKeys.FilePath)!;

    /// <summary>A whole number of at least <paramref name="min"/> (JSON numbers arrive as their text); null when absent.</summary>
    public static (long? Value, string? Problem) WholeNumber(ToolCall call, string field, long min)
    {
        if (call.InputValue(field) is not { } text) return (null, null);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number != decimal.Truncate(number)
            || number < min || number > int.MaxValue)
            return (null, $"input.{field} must be a whole number from {min} to {int.MaxValue}, not {text}");
        return ((long)number, null);
    }

    /// <summary>A boolean (JSON true/false arrive as their text); false when absent.</summary>
    public static (bool Value, string? Problem) Boolean(ToolCall call, string field) => call.InputValue(field) switch
    {
        null or "false" => (false, null),
        "true" => (true, null),
        var other => (false, $"input.{field} must be true or false, not {other}"),
    };

    public static string? Required(ToolCall call, string field) =>
        call.InputValue(field) is null ? $"input.{field} is required (a string)" : null;
}
