using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// The one System.Text.Json contract for stored events. Changing anything here changes what is on disk: add a new
/// event version instead. Property names camelCase; enums as camelCase strings (never numbers); single-value ids
/// such as <c>CallId</c> as plain strings; immutable collections natively; no type names in the payload (the type
/// comes from the manifest). The options are frozen after creation.
/// </summary>
public static class EventJsonOptions
{
    public static JsonSerializerOptions Default { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // Dictionary keys are data (paths, rule texts, tool names): stored exactly as given.
            DictionaryKeyPolicy = null,
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Strict: an event with a member its type does not know, without a required member, or with null where
            // the type allows none is refused naming the event (the session then fails closed), never half-read.
            // Optional members are constructor parameters with defaults, so adding one stays readable.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            IncludeFields = false,
            WriteIndented = false,
            MaxDepth = 64,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new SingleStringValueConverterFactory());
        options.MakeReadOnly();
        return options;
    }
}
