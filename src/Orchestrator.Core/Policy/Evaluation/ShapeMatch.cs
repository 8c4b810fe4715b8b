using Orchestrator.Core.Classification;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Matches a Bash rule pattern against a command as the program reads it (<see cref="CommandShape"/>): the same
/// program and subcommands, every option the pattern names present anywhere in the command (clusters split, long and
/// short spellings alike, <c>--force*</c> as a glob over the spellings), and the operands matching the pattern's
/// operands as a wildcard text. Options the pattern does not name may be added. Used for deny and ask rules only: it
/// makes them catch more spellings, never fewer.
/// </summary>
internal static class ShapeMatch
{
    public static bool Matches(CommandShape pattern, bool argumentsOptional, CommandShape command)
    {
        if (!string.Equals(pattern.Program, command.Program, StringComparison.Ordinal)) return false;
        if (pattern.Subcommands.Count > command.Subcommands.Count) return false;
        for (var i = 0; i < pattern.Subcommands.Count; i++)
            if (!string.Equals(pattern.Subcommands[i], command.Subcommands[i], StringComparison.Ordinal)) return false;

        foreach (var wanted in pattern.Options)
            if (!command.Options.Any(option => OptionMatches(wanted, option))) return false;

        // Subcommands the pattern does not name are operands to it (a rule for `git stash *` sees `drop` as one).
        var operands = command.Subcommands.Skip(pattern.Subcommands.Count).Concat(command.Operands).ToArray();
        var wantedText = string.Join(' ', pattern.Operands);
        var text = string.Join(' ', operands);
        if (Wildcard.Matches(wantedText, text)) return true;
        if (!argumentsOptional) return false;
        return wantedText.Length == 0 || Wildcard.MatchesWithSpaceSuffix(wantedText, text);
    }

    private static bool OptionMatches(OptionUse wanted, OptionUse option)
    {
        bool named;
        if (wanted.Name.Contains('*'))
            named = Wildcard.Matches(wanted.Name, option.Name) || option.Spellings.Any(n => Wildcard.Matches(wanted.Name, n));
        else
            named = wanted.Spellings.Any(option.IsSpelledAs);
        if (!named) return false;
        return wanted.Value is null || (option.Value is not null && Wildcard.Matches(wanted.Value, option.Value));
    }
}
