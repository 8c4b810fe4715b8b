using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// Bash builtins that evaluate their arguments as code the words do not show: <c>let</c> and the integer attribute
/// evaluate arithmetic, which reads variables and runs command substitutions in the subscripts of their values; builtins
/// that take variable names (<c>read</c>, <c>printf -v</c>, <c>declare</c>, <c>unset</c>, <c>test -v</c>, …) evaluate a
/// subscript in the name; <c>compgen -W</c> expands its word list; aliases and <c>hash -p</c> change what a later name
/// runs; <c>enable -f</c> loads code; <c>fc</c> runs remembered commands. Each such use is a reason the commands the
/// script runs cannot all be named before it runs.
/// </summary>
internal static class ShellBuiltinCode
{
    private const string NameEvaluated = "evaluates the subscript of a variable name as arithmetic, which runs command substitutions in variables' values";

    /// <summary>Why this command runs code its words do not show, or null. <paramref name="words"/> has a static program.</summary>
    public static string? Find(CommandWords words)
    {
        var argv = words.Argv;
        if (argv[0].Contains('/')) return null;
        switch (argv[0])
        {
            case "let":
                for (var k = 1; k < argv.Length; k++)
                    if (words.IsDynamic(k) || !IsConstantAssignment(argv[k]))
                        return $"let '{CommandWords.Display(argv[k])}' evaluates arithmetic that reads variables, whose values bash evaluates too";
                return null;
            case "declare" or "typeset" or "local" or "export" or "readonly":
                return Declaration(words);
            case "unset":
                return Names(words, valueOptions: "", nameOptions: "", operandsAreNames: true);
            case "read":
                return Names(words, valueOptions: "adinNptu", nameOptions: "a", operandsAreNames: true);
            case "mapfile" or "readarray":
                if (HasOption(words, 'C')) return $"{argv[0]} -C runs a callback command";
                return Names(words, valueOptions: "dnOsucC", nameOptions: "", operandsAreNames: true);
            case "printf":
                return Names(words, valueOptions: "v", nameOptions: "v", operandsAreNames: false);
            case "wait":
                return Names(words, valueOptions: "p", nameOptions: "p", operandsAreNames: false);
            case "getopts":
                return argv.Length > 2 && !IsKnownName(words, 2) ? $"getopts {NameEvaluated}" : null;
            case "test" or "[":
                for (var k = 1; k + 1 < argv.Length; k++)
                    if (argv[k] is "-v" or "-R" && !IsKnownName(words, k + 1)) return $"{argv[0]} {argv[k]} {NameEvaluated}";
                return null;
            case "compgen":
                return HasOption(words, 'W') || HasOption(words, 'C') || HasOption(words, 'F')
                    ? "compgen -W expands its word list like a script, and -C and -F run commands" : null;
            case "alias":
                for (var k = 1; k < argv.Length; k++)
                    if (argv[k].Contains('=') || words.IsDynamic(k)) return "an alias makes a later command name run other code";
                return null;
            case "enable":
                return HasOption(words, 'f') ? "enable -f loads builtins from a shared library" : null;
            case "hash":
                return HasOption(words, 'p') ? "hash -p makes a program name run another file" : null;
            case "fc":
                return "fc runs commands remembered in the history";
            default:
                return null;
        }
    }

    private static string? Declaration(CommandWords words)
    {
        var argv = words.Argv;
        var options = true;
        for (var k = 1; k < argv.Length; k++)
        {
            var word = argv[k];
            if (options && word == "--")
            {
                options = false;
                continue;
            }
            if (options && word.Length > 1 && word[0] is '-' or '+')
            {
                if (words.IsDynamic(k)) return $"{argv[0]} takes options only known at run time";
                if (word.Contains('i')) return $"{argv[0]} -i makes assignments evaluate arithmetic, which reads variables";
                if (word.Contains('n') && argv[0] != "export") return $"{argv[0]} -n makes a name refer to a variable named by a value";
                continue;
            }
            options = false;
            var equals = word.IndexOf('=');
            var name = equals < 0 ? word : word[..equals].TrimEnd('+');
            if (!ValueEvaluationFinder.IsPlainName(name)) return $"{argv[0]} {NameEvaluated}";
        }
        return null;
    }

    /// <summary>Checks the variable names a builtin takes: operands, and the values of <paramref name="nameOptions"/>.</summary>
    private static string? Names(CommandWords words, string valueOptions, string nameOptions, bool operandsAreNames)
    {
        var argv = words.Argv;
        var k = 1;
        for (; k < argv.Length; k++)
        {
            var word = argv[k];
            if (word == "--")
            {
                k++;
                break;
            }
            if (word.Length < 2 || word[0] != '-') break;
            if (words.IsDynamic(k)) return $"{argv[0]} takes options only known at run time";
            for (var j = 1; j < word.Length; j++)
            {
                if (!valueOptions.Contains(word[j])) continue;
                var attached = j + 1 < word.Length;
                if (!attached) k++;
                if (nameOptions.Contains(word[j]) && (attached ? !ValueEvaluationFinder.IsPlainName(word[(j + 1)..]) : !IsKnownName(words, k)))
                    return $"{argv[0]} -{word[j]} {NameEvaluated}";
                break;
            }
        }
        if (!operandsAreNames) return null;
        for (; k < argv.Length; k++)
            if (!IsKnownName(words, k)) return $"{argv[0]} {NameEvaluated}";
        return null;
    }

    private static bool IsKnownName(CommandWords words, int index) =>
        index < words.Argv.Length && !words.IsDynamic(index) && ValueEvaluationFinder.IsPlainName(words.Argv[index]);

    /// <summary>An option letter used alone or in a cluster, before the first operand.</summary>
    private static bool HasOption(CommandWords words, char letter)
    {
        for (var k = 1; k < words.Argv.Length; k++)
        {
            var word = words.Argv[k];
            if (word == "--" || word.Length < 2 || word[0] != '-') return false;
            if (words.IsDynamic(k) || word.IndexOf(letter, 1) > 0) return true;
        }
        return false;
    }

    /// <summary><c>NAME=EXPR</c> where the expression reads no variable (a compound <c>+=</c> reads NAME itself).</summary>
    private static bool IsConstantAssignment(string expression)
    {
        var equals = expression.IndexOf('=');
        if (equals <= 0 || !ValueEvaluationFinder.IsPlainName(expression[..equals])) return false;
        var value = expression.AsSpan(equals + 1);
        return !value.IsEmpty && value[0] != '=' && !ArithmeticText.ReadsVariables(value);
    }
}
