namespace Orchestrator.Core.Classification;

/// <summary>
/// A command as its program reads it, per the catalog: the subcommand chain, every option with the group of spellings
/// it belongs to, and the operands. Lets rules match options wherever they are written and however they are spelled
/// (<c>git push origin main --force</c>, <c>rm -fr /</c>, <c>rm -r -f /</c>).
/// </summary>
/// <param name="Program">The basename of argv[0].</param>
/// <param name="Subcommands">The subcommands chosen, outermost first (<c>["remote", "add"]</c> for <c>git remote add</c>).</param>
/// <param name="Options">Options in the order written, global options included.</param>
/// <param name="Operands">The remaining arguments in order: everything that is neither an option, an option's value nor a subcommand.</param>
/// <param name="IsKnownProgram">The catalog describes the program; otherwise every dash-word is reported as an unknown option.</param>
public sealed record CommandShape(
    string Program,
    IReadOnlyList<string> Subcommands,
    IReadOnlyList<OptionUse> Options,
    IReadOnlyList<string> Operands,
    bool IsKnownProgram)
{
    /// <summary>True when an option the catalog does not know stands without a value: it may have taken the next word.</summary>
    public bool HasUnknownOptions => Options.Any(o => !o.IsKnown && o.Value is null);

    /// <summary>The normal form in words: program, subcommands, options (with values), then operands.</summary>
    public override string ToString()
    {
        var words = new List<string>(1 + Subcommands.Count + Options.Count + Operands.Count) { Program };
        words.AddRange(Subcommands);
        foreach (var option in Options)
            words.Add(option.Value is null ? option.Name : $"{option.Name} {option.Value}");
        if (Operands.Count > 0 && Operands[0].StartsWith('-')) words.Add("--");
        words.AddRange(Operands);
        return string.Join(' ', words);
    }

    /// <summary>True when an option of the group that <paramref name="spelling"/> belongs to was used.</summary>
    public bool Has(string spelling)
    {
        foreach (var option in Options)
        {
            if (option.IsSpelledAs(spelling)) return true;
        }
        return false;
    }
}

/// <param name="Name">The canonical spelling: the group's first long name, else its first name; an unknown option as written (without <c>=value</c>).</param>
/// <param name="Spellings">Every spelling of the option the catalog groups together (<c>-r</c>, <c>-R</c>, <c>--recursive</c>).</param>
/// <param name="Value">The option's (first) value, attached or separate; null for a flag.</param>
/// <param name="Level">0 for the program's own options, 1 for the first subcommand's, and so on.</param>
/// <param name="IsKnown">The catalog describes this option; an unknown one is read as a flag.</param>
public sealed record OptionUse(string Name, IReadOnlyList<string> Spellings, string? Value, int Level, bool IsKnown)
{
    public bool IsSpelledAs(string spelling)
    {
        foreach (var candidate in Spellings)
        {
            if (string.Equals(candidate, spelling, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
