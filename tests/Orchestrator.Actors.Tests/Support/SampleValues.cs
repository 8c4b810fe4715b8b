using System.Collections;
using System.Reflection;
using System.Text.Json;
using Orchestrator.Actors.Serialization;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// Builds a populated instance of an event type it has never seen (for round-tripping every discovered event):
/// primitives get non-default values, records go through their widest constructor, collections get one element.
/// </summary>
public static class SampleValues
{
    private const int MaxDepth = 7;

    public static object? Create(Type type, int depth = 0)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Create(inner, depth);
        if (type == typeof(string)) return "sample";
        if (type == typeof(bool)) return true;
        if (type == typeof(char)) return 's';
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsPrimitive || type == typeof(decimal)) return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
        if (type == typeof(Guid)) return new Guid("6d1b3c0e-3f37-4c55-9a55-0b9d0f3a2c11");
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        if (type == typeof(DateTime)) return new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMilliseconds(1500);
        if (type == typeof(Uri)) return new Uri("https://example.com/sample");
        if (type == typeof(byte[])) return new byte[] { 1, 2, 3 };
        if (depth > MaxDepth) return type.IsValueType ? Activator.CreateInstance(type) : null;

        if (type.GetConstructor([typeof(string)]) is { } fromString && type.IsValueType) return fromString.Invoke(["sample-id"]);
        if (DictionaryTypes(type) is { } kv) return ThroughJson(OneEntryDictionary(kv.Key, kv.Value, depth), type);
        if (type != typeof(string) && ElementType(type) is { } element) return ThroughJson(OneElementList(element, depth), type);
        if (type.IsInterface || type.IsAbstract || type == typeof(object)) return null;

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null) return type.IsValueType ? Activator.CreateInstance(type) : null;
        var arguments = constructor.GetParameters().Select(p => Create(p.ParameterType, depth + 1)).ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? ThroughJson(object value, Type target) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), EventJsonOptions.Default), target, EventJsonOptions.Default);

    private static object OneElementList(Type element, int depth)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        list.Add(Create(element, depth + 1));
        return list;
    }

    private static object OneEntryDictionary(Type key, Type value, int depth)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        dictionary.Add(Create(key, depth + 1)!, Create(value, depth + 1));
        return dictionary;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : Interfaces(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static KeyValuePair<Type, Type>? DictionaryTypes(Type type)
    {
        var dictionary = Interfaces(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        return dictionary is null ? null : new(dictionary.GetGenericArguments()[0], dictionary.GetGenericArguments()[1]);
    }

    private static IEnumerable<Type> Interfaces(Type type) => type.IsInterface ? type.GetInterfaces().Prepend(type) : type.GetInterfaces();
}
