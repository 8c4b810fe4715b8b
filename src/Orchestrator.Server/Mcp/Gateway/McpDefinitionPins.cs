using System.Text.Json;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// The definition digest of each gateway tool as first seen or last approved (trust on first use), kept in
/// <c>DATA/mcp-definitions.json</c> so it outlives restarts. A tool listed with another digest is "changed": it is
/// flagged in <c>tools/list</c> and its calls ask (<see cref="Core.Calls.McpTools.ChangedFromKey"/>) until one of them
/// is approved and runs, which pins the new digest (<see cref="Accept"/>). A file that cannot be read fails closed: it
/// is kept aside (<c>.unreadable</c>) and every tool not pinned since counts as changed from <see cref="Unknown"/>.
/// </summary>
public sealed class McpDefinitionPins
{
    private readonly string? _file;
    private readonly Dictionary<string, string> _pins;
    private readonly Lock _lock = new();
    private readonly bool _unreadable;

    public const string Unknown = "unknown";

    public McpDefinitionPins(string? file)
    {
        _file = file;
        (_pins, _unreadable) = Load(file);
    }

    /// <summary>The digest pinned for <paramref name="tool"/> when it differs from <paramref name="digest"/>; pins a tool seen for the first time.</summary>
    public string? ChangedFrom(string tool, string digest)
    {
        lock (_lock)
        {
            if (_pins.TryGetValue(tool, out var pinned)) return pinned == digest ? null : pinned;
            if (_unreadable) return Unknown;
            _pins[tool] = digest;
            Save();
            return null;
        }
    }

    /// <summary>Pins <paramref name="digest"/> for <paramref name="tool"/>: a call with this definition was approved and runs.</summary>
    public void Accept(string tool, string digest)
    {
        lock (_lock)
        {
            if (_pins.TryGetValue(tool, out var pinned) && pinned == digest) return;
            _pins[tool] = digest;
            Save();
        }
    }

    private void Save()
    {
        if (_file is null) return;
        var temporary = _file + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new SortedDictionary<string, string>(_pins, StringComparer.Ordinal), Indented));
        File.Move(temporary, _file, overwrite: true);
    }

    private static (Dictionary<string, string>, bool Unreadable) Load(string? file)
    {
        if (file is null || !File.Exists(file)) return (new(StringComparer.Ordinal), false);
        try
        {
            if (JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) is { } pins)
                return (new(pins, StringComparer.Ordinal), false);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
        }
        File.Move(file, file + ".unreadable", overwrite: true);
        return (new(StringComparer.Ordinal), true);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
