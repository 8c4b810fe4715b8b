namespace Orchestrator.Core.Classification;

/// <summary>One option as the program reads it: every spelling the catalog groups with it, and its value.
/// <see cref="Known"/> is false for an option the catalog does not list (read as a flag).</summary>
public sealed record ShapedOption(string Written, IReadOnlyList<string> Names, string? Value, bool Known = true);

/// <summary>
/// A command as its program reads it rather than as a string: the program's base name, the subcommands chosen
/// (<c>git push</c>, with global options such as <c>-C DIR</c> taken out of the way), every option wherever it stands
/// (clusters such as <c>-rf</c> split, long and short spellings grouped), and the operands in order. Deny and ask rules
/// are matched on this form too, so <c>git -C . push origin main --force</c> is the force push it is.
/// </summary>
public sealed record CommandShape(string Program, IReadOnlyList<string> Subcommands, IReadOnlyList<ShapedOption> Options, IReadOnlyList<string> Operands)
{
    /// <summary>True when an option the catalog does not know stands before an operand, which may be its value.</summary>
    public bool HasUnknownOptions => Options.Any(o => !o.Known && o.Value is null);

    /// <summary>The normal form in words: program, subcommands, options (with values), then operands.</summary>
    public override string ToString()
    {
        var words = new List<string>(1 + Subcommands.Count + Options.Count + Operands.Count) { Program };
        words.AddRange(Subcommands);
        foreach (var option in Options)
            words.Add(option.Value is null ? option.Written : $"{option.Written} {option.Value}");
        if (Operands.Count > 0 && Operands[0].StartsWith('-')) words.Add("--");
        words.AddRange(Operands);
        return string.Join(' ', words);
    }
}
