using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// Writes a strongly typed id (a struct whose only member is <c>string Value</c>, built by a constructor taking that
/// string — e.g. <c>CallId</c>) as the bare string, so events read <c>"callId":"c-1"</c>, not <c>{"value":"c-1"}</c>.
/// </summary>
public sealed class SingleStringValueConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => ValueShape(typeToConvert) is not null;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var (constructor, property) = ValueShape(typeToConvert)
            ?? throw new InvalidOperationException($"{typeToConvert} is not a single string value type.");
        var converterType = typeof(Converter<>).MakeGenericType(typeToConvert);
        return (JsonConverter)Activator.CreateInstance(converterType, constructor, property)!;
    }

    private static (ConstructorInfo, PropertyInfo)? ValueShape(Type type)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null) return null;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
        if (properties.Length != 1 || fields.Length != 0) return null;
        var property = properties[0];
        if (property.Name != "Value" || property.PropertyType != typeof(string) || property.GetMethod is null) return null;
        var constructor = type.GetConstructor([typeof(string)]);
        return constructor is null ? null : (constructor, property);
    }

    private sealed class Converter<T>(ConstructorInfo constructor, PropertyInfo property) : JsonConverter<T>
    {
        // Invokers, not Invoke/GetValue: no argument array per id, a few times per event read (replay reads millions).
        private readonly ConstructorInvoker _create = ConstructorInvoker.Create(constructor);
        private readonly MethodInvoker _value = MethodInvoker.Create(property.GetMethod!);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");
            return (T)_create.Invoke(reader.GetString());
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue((string?)_value.Invoke(value));
    }
}
