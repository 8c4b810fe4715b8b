using System.Collections.Immutable;
using System.Text;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// The environment block CreateProcess wants: names unique ignoring case, sorted the way Windows sorts them
/// (upper-cased, ordinal, no locale), each <c>NAME=value\0</c>, the whole block ending in one more <c>\0</c>.
/// </summary>
public static class WindowsEnvironmentBlock
{
    /// <summary>Windows' order: compare names upper-cased, ordinally.</summary>
    public static readonly IComparer<string> NameOrder = Comparer<string>.Create(
        (a, b) => string.CompareOrdinal(a.ToUpperInvariant(), b.ToUpperInvariant()));

    /// <summary>Merges layers (later layers override earlier ones, ignoring case) and sorts.</summary>
    /// <exception cref="ArgumentException">An invalid name or value, or one layer naming a variable twice in different cases.</exception>
    public static ImmutableArray<EnvironmentVariable> Build(params IEnumerable<KeyValuePair<string, string>>[] layers)
    {
        var merged = new Dictionary<string, EnvironmentVariable>(StringComparer.OrdinalIgnoreCase);
        foreach (var layer in layers)
        {
            var seenInLayer = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in layer)
            {
                Validate(name, value);
                if (!seenInLayer.Add(name))
                    throw new ArgumentException($"The environment names '{name}' twice (Windows ignores case in names).", nameof(layers));
                merged[name] = new EnvironmentVariable(name, value);
            }
        }
        return [.. merged.Values.OrderBy(v => v.Name, NameOrder)];
    }

    /// <summary>The block as CreateProcess with CREATE_UNICODE_ENVIRONMENT reads it.</summary>
    public static string Render(ImmutableArray<EnvironmentVariable> variables)
    {
        var block = new StringBuilder();
        foreach (var variable in variables)
            block.Append(variable.Name).Append('=').Append(variable.Value).Append('\0');
        if (variables.IsEmpty)
            block.Append('\0');
        return block.Append('\0').ToString();
    }

    private static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        // A leading '=' is allowed: cmd.exe keeps per-drive directories as "=C:=C:\dir".
        if (name.Length == 0 || name.IndexOf('=', 1) >= 0 || name.Contains('\0'))
            throw new ArgumentException($"Invalid environment variable name '{name}'.", nameof(name));
        if (value.Contains('\0'))
            throw new ArgumentException($"The value of '{name}' contains a NUL.", nameof(value));
    }
}
