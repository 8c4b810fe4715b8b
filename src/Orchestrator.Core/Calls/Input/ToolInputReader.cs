using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Text;

namespace Orchestrator.Core.Calls.Input;

/// <summary>
/// Turns a tool call's JSON <c>input</c> into the typed, named text values a <see cref="ToolCall"/> holds, checking it
/// against the tool's schema (<see cref="ToolInputSchemas"/>) first: a null, a missing required field or a field of the
/// wrong type is refused with a message naming the field and the type expected, so nothing malformed reaches a stage.
/// A path field must be absolute (<see cref="ToolInputField.AbsolutePath"/>). Strings are kept as they are, numbers and booleans as their JSON text, arrays and objects as compact JSON.
/// </summary>
public static class ToolInputReader
{
    /// <summary>Deepest nesting of arrays and objects accepted inside one field.</summary>
    public const int MaxDepth = 16;

    public static ToolInputResult Read(string tool, JsonElement? input)
    {
        var fields = ToolInputSchemas.For(tool);
        if (input is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            var required = fields.FirstOrDefault(f => f.Required);
            return required is null
                ? ToolInputResult.Ok(ImmutableDictionary<string, string>.Empty)
                : ToolInputResult.Invalid($"input.{required.Name} is required for {tool} (a {Name(required.Type)})");
        }
        if (element.ValueKind != JsonValueKind.Object)
            return ToolInputResult.Invalid($"input must be a JSON object of named fields, not {Article(element.ValueKind)}");

        try
        {
            return ReadFields(tool, fields, element);
        }
        catch (InvalidOperationException)
        {
            // A name or string that is not valid Unicode, met as it was read: each is decoded once, here (JsonText).
            return ToolInputResult.Invalid($"input {JsonText.Problem}");
        }
    }

    private static ToolInputResult ReadFields(string tool, IReadOnlyList<ToolInputField> fields, JsonElement element)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var field = fields.FirstOrDefault(f => f.Name == name);
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
                return ToolInputResult.Invalid($"input.{name} is null; expected {(field is null ? "a value" : Article(field.Type))} (omit the field instead)");
            if (field is not null && KindOf(value.ValueKind) != field.Type)
                return ToolInputResult.Invalid($"input.{name} must be {Article(field.Type)}, not {Article(value.ValueKind)}");
            if (field?.Type == ToolInputType.Number && !double.IsFinite(value.GetDouble()))
                return ToolInputResult.Invalid($"input.{name} must be a finite number");
            if (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object && JsonText.ReadDepth(value) > MaxDepth)
                return ToolInputResult.Invalid($"input.{name} is nested deeper than {MaxDepth} levels");
            if (values.ContainsKey(name))
                return ToolInputResult.Invalid($"input.{name} appears more than once");
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (field is { AbsolutePath: true } && Paths.PathText.AbsolutePathProblem(text, $"input.{name}") is { } pathProblem)
                return ToolInputResult.Invalid(pathProblem);
            values[name] = text;
        }
        foreach (var field in fields)
            if (field.Required && !values.ContainsKey(field.Name))
                return ToolInputResult.Invalid($"input.{field.Name} is required for {tool} ({Article(field.Type)})");
        return ToolInputResult.Ok(values.ToImmutable());
    }

    private static ToolInputType? KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => ToolInputType.String,
        JsonValueKind.Number => ToolInputType.Number,
        JsonValueKind.True or JsonValueKind.False => ToolInputType.Boolean,
        JsonValueKind.Array => ToolInputType.Array,
        JsonValueKind.Object => ToolInputType.Object,
        _ => null,
    };

    private static string Name(ToolInputType type) => type.ToString().ToLowerInvariant();

    private static string Article(ToolInputType type) => type is ToolInputType.Array or ToolInputType.Object
        ? $"an {Name(type)}"
        : $"a {Name(type)}";

    private static string Article(JsonValueKind kind) => KindOf(kind) is { } type ? Article(type) : "null";
}
